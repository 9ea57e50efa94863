#!/usr/bin/env bash
# A short comparison of the lecture's toolbox on MNIST (issue 11): each hidden activation × each loss
# with SGD at the defaults, then each optimiser (ReLU, cross-entropy) at a conventional learning
# rate, then dropout. Every run trains 256-512-256-10 from the same seed for a few epochs (default 2,
# so the whole table takes a few minutes on one core) and prints one row:
#   MNIST test accuracy (the training run's own report), USPS test accuracy (digits evaluate), seconds.
# The learning rates are NOT tuned: SGD uses the default η = 0.05 (momentum 0.9, Nesterov); Adam and
# RMSProp 0.001 and Adagrad 0.01, the values their papers and PyTorch's examples start from.
# With two epochs this compares early progress, not final accuracy; set EPOCHS (and SEED) to change it.
# Usage: bash tools/compare-toolbox.sh      (needs data/mnist and data/usps; builds digits in release)
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${EPOCHS:-2}"
SEED="${SEED:-1}"
swift build -c release --product digits 2>&1 | tail -1 >&2
digits=.build/release/digits
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

row() {  # row LABEL ARGS...
    local label="$1"; shift
    local model="$work/model.safetensors" out
    rm -f "$model"
    if ! out="$("$digits" train --dataset mnist --epochs "$EPOCHS" --seed "$SEED" --output "$model" --quiet "$@" 2>&1)"; then
        printf '| %-38s | %9s | %9s | %7s |\n' "$label" "diverged" "" ""
        echo "$out" | tail -1 | cut -c1-120 >&2
        return
    fi
    local mnist seconds usps
    mnist="$(echo "$out" | sed -n 's/.*test accuracy \([0-9.]*\)%.*/\1/p')"
    seconds="$(echo "$out" | sed -n 's/^trained in \([0-9.]*\) s.*/\1/p')"
    usps="$("$digits" evaluate --model "$model" --dataset usps | sed -n 's/^Accuracy: \([0-9.]*\)%.*/\1/p')"
    printf '| %-38s | %8s%% | %8s%% | %7s |\n' "$label" "$mnist" "$usps" "$seconds"
}

echo "256-512-256-10, $EPOCHS epochs, seed $SEED, batch 64, cosine schedule, defaults otherwise"
echo
printf '| %-38s | %9s | %9s | %7s |\n' "configuration" "MNIST" "USPS" "seconds"
printf '|%s|%s|%s|%s|\n' "----------------------------------------" "-----------" "-----------" "---------"
for activation in relu leaky-relu sigmoid tanh elu maxout; do
    for loss in cross-entropy hinge mse; do
        row "$activation, $loss, sgd" --activation "$activation" --loss "$loss"
    done
done
# Hinge's gradient is up to (classes − 1)/B on the label's score where cross-entropy's is at most 1/B:
# at lr 0.05 with momentum 0.9 it diverges with ELU and maxout (above). The same at lr 0.01:
row "elu, hinge, sgd lr 0.01" --activation elu --loss hinge --learning-rate 0.01
row "maxout, hinge, sgd lr 0.01" --activation maxout --loss hinge --learning-rate 0.01
row "relu, cross-entropy, adam lr 0.001" --optimizer adam --learning-rate 0.001
row "relu, cross-entropy, adamw lr 0.001" --optimizer adam --learning-rate 0.001 --decoupled-weight-decay --weight-decay 0.01
row "relu, cross-entropy, rmsprop lr 0.001" --optimizer rmsprop --learning-rate 0.001
row "relu, cross-entropy, adagrad lr 0.01" --optimizer adagrad --learning-rate 0.01
row "relu, cross-entropy, sgd, dropout 0.2" --dropout 0.2
