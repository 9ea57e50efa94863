#!/usr/bin/env bash
# The project's test command (README, "Tests"; .ci/run calls exactly this).
# Installs missing system packages, fetches MNIST if absent (the dataset tests use it when present),
# then runs every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-system-packages.sh
bash tools/fetch-mnist.sh
swift build --build-tests
swift test --skip-build --parallel
