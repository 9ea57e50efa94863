#!/usr/bin/env bash
# Builds the libFuzzer targets (DIGITS_FUZZ=1) and runs each for N seconds, one after another.
#   tools/fuzz/run.sh [seconds] [target…]      default: 60 s, all of FuzzModelFile FuzzIDX FuzzPNG FuzzJPEG
# Scratch (build, corpora, crash files, logs) lives under .build-fuzz/, never in the source tree.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzModelFile FuzzIDX FuzzPNG FuzzJPEG)
scratch=.build-fuzz

seeds_of() {
    case "$1" in
        FuzzModelFile) ls Tests/DigitsModelFixtures/*.safetensors tools/fuzz/seeds/model/* ;;
        FuzzIDX) ls Tests/DigitsDataTests/Fixtures/*.idx* ;;
        FuzzPNG) ls Tests/DigitsDataTests/Fixtures/*.png tools/fuzz/seeds/png/* ;;
        FuzzJPEG) ls Tests/DigitsDataTests/Fixtures/*.jpg tools/fuzz/seeds/jpeg/* ;;
        *) echo "unknown target $1" >&2; exit 2 ;;
    esac
}

for target in "${targets[@]}"; do
    # SwiftPM hands the compiler only the last --sanitize, so address is repeated through -Xswiftc.
    DIGITS_FUZZ=1 swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
        --scratch-path "$scratch" --product "$target" 2>&1 | grep -v "Cannot export local symbol" | tail -1
    seeds=$scratch/seeds/$target corpus=$scratch/corpus/$target artifacts=$scratch/artifacts/$target
    rm -rf "$seeds"
    mkdir -p "$seeds" "$corpus" "$artifacts" "$scratch/logs"
    cp $(seeds_of "$target") "$seeds/"
    log=$scratch/logs/$target.log
    echo "== $target: ${seconds}s, corpus $corpus, crash files in $artifacts/, log $log"
    # SWIFT_BACKTRACE=enable=no: a Swift trap ends the process at once, so libFuzzer records the input.
    # Leak checks are off: the Swift runtime's caches read as leaks. -timeout: an input taking 10 s is a hang.
    status=0
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$scratch/release/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "$corpus" "$seeds" >"$log" 2>&1 || status=$?
    grep -E "^(stat::number_of_executed_units|stat::average_exec_per_sec)|^==[0-9]+==ERROR|Fatal error|SUMMARY|Test unit written" "$log" || true
    if [ "$status" -ne 0 ]; then echo "!! $target stopped with status $status; see $log"; fi
done
