#!/usr/bin/env bash
# The project's test command (README, "Tests"; .ci/run calls exactly this).
# Installs missing system packages, fetches MNIST if absent (the dataset tests use it when present),
# then runs every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-system-packages.sh
# Offline, the tests still run: the few that read MNIST are skipped, and say so in the output.
bash tools/fetch-mnist.sh || echo "test.sh: MNIST could not be fetched; the tests that need it will be skipped" >&2
# Python's safetensors and NumPy, for the test that reads our model files with them (skipped without).
python3 -c "import numpy, safetensors" 2>/dev/null || python3 -m pip install -q safetensors numpy \
    || echo "test.sh: could not install safetensors; the Python check will be skipped" >&2
swift build --build-tests
swift test --skip-build --parallel
# The nondigits generator's determinism (Python; needs the printed data set's fonts and MNIST, skipped without).
if dpkg-query -W -f='${Status}' fonts-lato 2>/dev/null | grep -q "install ok installed" && [ -f data/mnist/train-images-idx3-ubyte.gz ] \
    && python3 -c "import numpy, PIL" 2>/dev/null; then
    python3 tools/test_make_nondigit_training.py
else
    echo "test.sh: skipping tools/test_make_nondigit_training.py (needs the fonts of make-printed-digits.py, MNIST, numpy and Pillow)" >&2
fi
bash tools/browser-tests.sh
