#!/usr/bin/env bash
# Throughput of `digits serve`'s API under load, against a bare route measured in the same run:
#   - POST /api/classify with a 28×28 PNG body (Resources/samples/7-mnist-original.png), 32
#     connections, for DURATION seconds (default 62): requests/s and latency percentiles (wrk --latency),
#     and the server's RSS after 5 s and after 60 s of that load;
#   - GET /healthz with the same connections for 10 s, as the reference (what Hummingbird alone does here).
# Release build; wrk from Debian (installed here if missing); loopback only; about 1.5 minutes after
# the build. Server log lines (one per request) go to a temporary file, as they would in use.
# Usage: bash tools/serve-benchmark.sh [--log-level LEVEL]   (any digits-serve option is passed on)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-62}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"

if ! command -v wrk >/dev/null; then
    echo "installing wrk" >&2
    sudo_prefix=()
    [ "$(id -u)" -ne 0 ] && sudo_prefix=(sudo)
    DEBIAN_FRONTEND=noninteractive "${sudo_prefix[@]}" apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
bash tools/install-system-packages.sh
swift build -c release --product digits-serve 2>&1 | tail -1
binary="$(swift build -c release --show-bin-path)/digits-serve"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$binary" --port 0 --model models/default.safetensors "$@" >"$work/stdout" 2>"$work/log" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/stdout" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/^digits serve: listening on \(http:[^ ]*\) .*/\1/p' "$work/stdout")"
[ -n "$url" ] || { echo "serve-benchmark: the server did not start:" >&2; cat "$work/log" >&2; exit 1; }

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "image/png"
local file = assert(io.open(os.getenv("DIGITS_BENCH_BODY"), "rb"))
wrk.body = file:read("*a")
file:close()
-- Every answer must be a reading: count the others.
local bad = 0
function response(status, headers, body)
    if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
    io.write(string.format("non-200 answers: %d\n", bad))
end
LUA
body=Resources/samples/7-mnist-original.png
echo "body: $body ($(stat -c %s "$body") bytes): $(curl -s -H 'Content-Type: image/png' --data-binary @"$body" "${url}api/classify")"

# The server's CPU time (user + system) so far, in clock ticks: per request, it does not depend on
# how much of the machine the other jobs leave, as requests/s does.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
per_request_us() { awk -v a="$1" -v b="$2" -v n="$3" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (b - a) / hz / n * 1e6 }'; }
requests() { awk '/requests in/ { print $1 }' "$1"; }

rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }

# A short warm-up, so the 5-second reading is not of a cold process.
DIGITS_BENCH_BODY="$body" wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -s "$work/post.lua" "${url}api/classify" >/dev/null
echo "RSS after warm-up: $(rss_mb) MB"

cpu0="$(cpu_ticks)"
DIGITS_BENCH_BODY="$body" timeout $((DURATION + 30)) \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$work/post.lua" "${url}api/classify" >"$work/classify.txt" &
wrk_pid=$!
sleep 5
rss5="$(rss_mb)"
sleep 55
rss60="$(rss_mb)"
wait "$wrk_pid"
cpu1="$(cpu_ticks)"
timeout 40 wrk -t"$THREADS" -c"$CONNECTIONS" -d10s --latency "${url}healthz" >"$work/healthz.txt"
cpu2="$(cpu_ticks)"

echo
echo "== POST /api/classify, 28×28 PNG, $CONNECTIONS connections, ${DURATION} s, $THREADS wrk threads =="
cat "$work/classify.txt"
echo "== GET /healthz (reference), $CONNECTIONS connections, 10 s =="
cat "$work/healthz.txt"
echo "== summary =="
rate() { awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$1"; }
p99() { awk '$1 == "99%" { print $2 }' "$1"; }
echo "classify: $(rate "$work/classify.txt") requests/s, p99 $(p99 "$work/classify.txt"), server CPU $(per_request_us "$cpu0" "$cpu1" "$(requests "$work/classify.txt")") µs per request"
echo "healthz:  $(rate "$work/healthz.txt") requests/s, p99 $(p99 "$work/healthz.txt"), server CPU $(per_request_us "$cpu1" "$cpu2" "$(requests "$work/healthz.txt")") µs per request (reference)"
echo "RSS: ${rss5} MB after 5 s of load, ${rss60} MB after 60 s (difference $(awk -v a="$rss5" -v b="$rss60" 'BEGIN { printf "%+.1f", b - a }') MB)"
echo "server log: $(wc -l <"$work/log") lines"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared: other jobs may run beside this)"
