#!/usr/bin/env bash
# The lecture's toolbox compared on MNIST (issue 11): every hidden activation × every loss with SGD,
# each optimiser at a tuned learning rate, and dropout. Every row trains 256-512-256-10 for EPOCHS
# epochs (default 8) from each of SEEDS (default "1 2 3"), without augmentation (so the rows differ
# only by the toolbox piece, and quickly), and prints the mean over the seeds of:
#   MNIST test accuracy (the run's own report: the epoch best on validation), USPS test accuracy
#   (digits evaluate), the first epoch at which validation accuracy reached 98 % ("–" if none did;
#   the mean over the seeds that reached it, with how many did), and CPU seconds of the training
#   process (user + system: less disturbed than wall time by other work on a shared machine).
#
# How the learning rates are tuned: for each optimiser, seed 1 trains TUNE_EPOCHS epochs (default 3)
# at three rates around the usual starting value, and the rate with the best *validation* accuracy
# is used for its row (test data is never looked at for the choice). The activation × loss rows use
# SGD (momentum 0.9, Nesterov) at the rate tuned for ReLU with that loss.
#
# Usage: bash tools/compare-toolbox.sh      (needs data/mnist and data/usps; builds digits in release)
#        EPOCHS=2 SEEDS=1 bash tools/compare-toolbox.sh    (a quick look)
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${EPOCHS:-8}"
SEEDS="${SEEDS:-1 2 3}"
TUNE_EPOCHS="${TUNE_EPOCHS:-3}"
swift build -c release --product digits 2>&1 | tail -1 >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A copy, so that a rebuild while the table runs (it takes a while) cannot change the binary under it.
cp .build/release/digits "$work/digits"
digits="$work/digits"

# train EPOCHS SEED ARGS… → prints "best_validation mnist_test epochs_to_98 cpu_seconds usps" or "diverged"
train() {
    local epochs="$1" seed="$2"; shift 2
    local model="$work/model.safetensors" log="$work/log" times="$work/times"
    rm -f "$model"
    if ! /usr/bin/time -f "%U %S" -o "$times" "$digits" train --dataset mnist --no-augment --epochs "$epochs" \
        --seed "$seed" --output "$model" "$@" > "$log" 2>&1; then
        echo "diverged"
        tail -1 "$log" | cut -c1-120 >&2
        return
    fi
    local validation test reached cpu usps
    validation="$(sed -n 's/^best validation accuracy \([0-9.]*\)%.*/\1/p' "$log")"
    test="$(sed -n 's/.*test accuracy \([0-9.]*\)%.*/\1/p' "$log")"
    reached="$(awk '/^epoch / { split($2, e, "/"); for (i = 1; i < NF; i++) if ($i == "validation") { v = $(i + 1); sub("%", "", v); if (v + 0 >= 98 && !r) r = e[1] } } END { print r ? r : "-" }' "$log")"
    cpu="$(awk '{ printf "%.1f", $1 + $2 }' "$times")"
    if [ -n "${EVALUATE_USPS-1}" ]; then
        usps="$("$digits" evaluate --model "$model" --dataset usps | sed -n 's/^Accuracy: \([0-9.]*\)%.*/\1/p')"
    fi
    echo "$validation $test $reached $cpu ${usps:--}"
}

# tune NAME RATES… ARGS-AFTER-DASHDASH… → the rate with the best validation accuracy after TUNE_EPOCHS
tune() {
    local rates=() best="" best_validation=-1
    while [ "$1" != "--" ]; do rates+=("$1"); shift; done
    shift
    for rate in "${rates[@]}"; do
        local result
        result="$(EVALUATE_USPS="" train "$TUNE_EPOCHS" 1 --learning-rate "$rate" "$@")"
        echo "  tuning ${*:-sgd} at η $rate: ${result%% *}% validation" >&2
        [ "$result" = diverged ] && continue
        if awk -v a="${result%% *}" -v b="$best_validation" 'BEGIN { exit !(a > b) }'; then
            best="$rate"
            best_validation="${result%% *}"
        fi
    done
    echo "${best:-${rates[0]}}"
}

row() {  # row LABEL ARGS…: the mean over SEEDS
    local label="$1"; shift
    local results=() seed
    for seed in $SEEDS; do results+=("$(train "$EPOCHS" "$seed" "$@")"); done
    printf '%s\n' "${results[@]}" | awk -v label="$label" -v seeds="$(echo $SEEDS | wc -w)" '
        $1 == "diverged" { diverged++; next }
        { n++; mnist += $2; cpu += $4; usps += $5; if ($3 != "-") { reached++; epochs += $3 } }
        END {
            if (n == 0) { printf "| %-44s | %9s | %9s | %12s | %6s |\n", label, "diverged", "", "", ""; exit }
            e = reached ? sprintf("%.1f (%d/%d)", epochs / reached, reached, n) : "–"
            printf "| %-44s | %8.2f%% | %8.2f%% | %12s | %6.1f |%s\n", label, mnist / n, usps / n, e, cpu / n,
                diverged ? sprintf(" %d of %d seeds diverged", diverged, seeds) : ""
        }'
}

echo "Tuning learning rates on seed 1, $TUNE_EPOCHS epochs, best validation accuracy:" >&2
sgd_ce="$(tune 0.02 0.05 0.1 --)"
sgd_hinge="$(tune 0.005 0.01 0.05 -- --loss hinge)"
sgd_mse="$(tune 0.05 0.1 0.2 -- --loss mse)"
adam="$(tune 0.0003 0.001 0.003 -- --optimizer adam)"
rmsprop="$(tune 0.0003 0.001 0.003 -- --optimizer rmsprop)"
adagrad="$(tune 0.01 0.03 0.1 -- --optimizer adagrad)"

echo "256-512-256-10, $EPOCHS epochs, no augmentation, batch 64, cosine schedule; mean over seeds $SEEDS"
echo "SGD η: cross-entropy $sgd_ce, hinge $sgd_hinge, mse $sgd_mse (tuned on validation, seed 1, $TUNE_EPOCHS epochs)"
echo
printf '| %-44s | %9s | %9s | %13s | %6s |\n' "configuration" "MNIST" "USPS" "epochs→98%" "CPU s"
printf '|%s|%s|%s|%s|%s|\n' "----------------------------------------------" "-----------" "-----------" "--------------" "--------"
for activation in relu leaky-relu sigmoid tanh elu maxout; do
    row "$activation, cross-entropy, sgd η $sgd_ce" --activation "$activation" --learning-rate "$sgd_ce"
    row "$activation, hinge, sgd η $sgd_hinge" --activation "$activation" --loss hinge --learning-rate "$sgd_hinge"
    row "$activation, mse, sgd η $sgd_mse" --activation "$activation" --loss mse --learning-rate "$sgd_mse"
done
row "relu, cross-entropy, adam η $adam" --optimizer adam --learning-rate "$adam"
row "relu, cross-entropy, adamw η $adam λ 0.01" --optimizer adam --learning-rate "$adam" --decoupled-weight-decay --weight-decay 0.01
row "relu, cross-entropy, rmsprop η $rmsprop" --optimizer rmsprop --learning-rate "$rmsprop"
row "relu, cross-entropy, adagrad η $adagrad" --optimizer adagrad --learning-rate "$adagrad"
row "relu, cross-entropy, sgd η $sgd_ce, dropout 0.2" --dropout 0.2 --learning-rate "$sgd_ce"
