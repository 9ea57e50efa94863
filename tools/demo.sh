#!/usr/bin/env bash
# The main job, from a fresh clone: install what is missing, fetch MNIST, build in release, train a
# model with the defaults, evaluate it on MNIST's test set (and USPS's, if present) with picture
# reports, and classify the sample images.
#   bash tools/demo.sh            # everything, 2–3 minutes on 2 cores
#   EPOCHS=5 bash tools/demo.sh   # a quicker, less accurate model
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-system-packages.sh
bash tools/fetch-mnist.sh
swift build -c release --product digits
bin="$(swift build -c release --show-bin-path)"
model=models/trained.safetensors

echo; echo "== digits train --dataset mnist"
"$bin/digits" train --dataset mnist --output "$model" --report reports/training ${EPOCHS:+--epochs "$EPOCHS"}

echo; echo "== digits evaluate --dataset mnist"
"$bin/digits" evaluate --dataset mnist --model "$model" --report reports/mnist
if "$bin/digits" evaluate --dataset usps --model "$model" --json > /dev/null 2>&1; then
    echo; echo "== digits evaluate --dataset usps   (never trained on)"
    "$bin/digits" evaluate --dataset usps --model "$model" --report reports/usps
fi

echo; echo "== digits classify Resources/samples/*.png"
"$bin/digits" classify --model "$model" --top 2 Resources/samples/*.png
echo; echo "Reports to open in a browser: reports/mnist/index.html (click a cell of the confusion matrix), reports/training/index.html"
echo "Pictures of the evaluation: reports/mnist/confusion.png, reports/mnist/misclassified.png; of the training: reports/training/curves.png"
