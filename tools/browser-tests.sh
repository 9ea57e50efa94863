#!/usr/bin/env bash
# Browser tests (Tests/Browser/test_*.py): a real headless Chromium driven by selenium, against the
# debug binaries `swift build` made. tools/test.sh runs this after the Swift tests.
# Installs chromium and chromium-driver (apt) and selenium and pytest (pip) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
tests=(Tests/Browser/test_*.py)
[ ${#tests[@]} -eq 0 ] && { echo "browser-tests.sh: no browser tests"; exit 0; }
DIGITS_BROWSER=1 bash tools/install-system-packages.sh
python3 -c "import selenium, pytest" 2>/dev/null || python3 -m pip install -q "selenium>=4.20" pytest
DIGITS_BIN="${DIGITS_BIN:-$(swift build --show-bin-path)}" python3 -m pytest -q -p no:cacheprovider "${tests[@]}"
