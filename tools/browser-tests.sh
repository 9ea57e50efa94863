#!/usr/bin/env bash
# Browser tests (Tests/Browser/test_*.py): a real headless Chromium driven by selenium, against the
# debug binaries `swift build` made. tools/test.sh runs this after the Swift tests.
# Installs chromium and chromium-driver (apt) and selenium, pytest and schemathesis (pip) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
tests=(Tests/Browser/test_*.py)
[ ${#tests[@]} -eq 0 ] && { echo "browser-tests.sh: no browser tests"; exit 0; }
DIGITS_BROWSER=1 bash tools/install-system-packages.sh
python3 -c "import selenium, pytest" 2>/dev/null || python3 -m pip install -q "selenium>=4.20" pytest
# The API fuzz (Tests/Browser/test_serve_api.py) drives schemathesis; it skips itself without it.
command -v schemathesis >/dev/null || python3 -m pip install -q "schemathesis>=4,<5" \
    || echo "browser-tests.sh: could not install schemathesis; the API fuzz will be skipped" >&2
DIGITS_BIN="${DIGITS_BIN:-$(swift build --show-bin-path)}" python3 -m pytest -q -p no:cacheprovider "${tests[@]}"
