#!/usr/bin/env bash
# Speed, as ratios against references measured in the same run on the same machine:
#   - the Swift trainer's epoch vs the time OpenBLAS needs for the same matrix products alone;
#   - the Swift trainer's epoch vs a plain NumPy float32 MLP doing the same work (one BLAS thread).
# Usage: bash tools/benchmark.sh [--epochs N]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product digits-benchmark 2>&1 | tail -1
swift_report="$(.build/release/digits-benchmark "$@")"
echo "$swift_report"
echo
python3 -c "import numpy" 2>/dev/null || pip install -q numpy
for sizes in 256,128,10 256,512,256,10; do
    reference="$(OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python3 tools/reference_mlp.py --sizes "$sizes")"
    echo "$reference"
    name="${sizes//,/-}"
    swift_seconds="$(echo "$swift_report" | awk -v n="$name" '$1 == n"," {getline; print $3}')"
    reference_seconds="$(echo "$reference" | awk '{print $6}')"
    awk -v s="$swift_seconds" -v r="$reference_seconds" -v n="$name" \
        'BEGIN { printf "%s: digits %.3f s/epoch, NumPy %.3f s/epoch: digits takes %.2f× the reference time\n", n, s, r, s / r }'
done
