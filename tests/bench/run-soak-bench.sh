#!/usr/bin/env bash
# A soak with faults: REQUESTS streamed chat completions through gatehoused (started and provisioned as users run it)
# with an upstream that answers 429 or 500 to 10% of requests and cuts 10% of streams half-way. Prints gatehoused's
# RSS after each tenth of the run: error paths must not leak. Everything on 127.0.0.1; not part of CTest.
#   tests/bench/run-soak-bench.sh [build-dir]   (REQUESTS=1000000 CONNECTIONS=64 to override)
set -euo pipefail

BUILD_DIR=${1:-build}
BENCH=$BUILD_DIR/tests/bench/gatehouse_engine_bench
GATEHOUSED=$BUILD_DIR/headless/gatehoused
REQUESTS=${REQUESTS:-1000000}
CONNECTIONS=${CONNECTIONS:-64}
for binary in "$BENCH" "$GATEHOUSED"; do
    [[ -x $binary ]] || { echo "missing $binary: build with -DGATEHOUSE_BUILD_BENCH=ON" >&2; exit 1; }
done
command -v wrk >/dev/null || { echo "missing wrk" >&2; exit 1; }

source "$(dirname "$0")/bench-lib.sh"
WORK=$(mktemp -d)
UP_PORT=$(free_port)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.3
    rm -rf "$WORK"
}
trap cleanup EXIT

"$BENCH" sse-server --listen "127.0.0.1:$UP_PORT" --events 5 --interval-ms 1 --error-percent 10 --cut-percent 10 \
    --workers 1 &
PIDS+=($!)
# A fifth of the upstream's answers fail: with the default policy (3 failures in a row eject a key) every key is soon
# ejected and the gateway refuses nearly everything itself, which would leave the upstream's fault paths unexercised.
cat > "$WORK/gatehoused.ini" <<INI
[health]
eject_after_failures = 50
INI
start_gatehoused --config "$WORK/gatehoused.ini"
PIDS+=("$GH_PID")
# Four provider keys in the pool: a 429 cools one down (1 ms) and the request is retried on another.
api PATCH provider-types/1 "{\"baseUrl\":\"http://127.0.0.1:$UP_PORT\"}" >/dev/null
pool=""
for k in 1 2 3 4; do
    id=$(api POST provider-keys "{\"providerTypeId\":1,\"name\":\"soak-$k\",\"secret\":\"sk-soak-0123456789-$k\"}" |
        json_field id)
    pool="$pool${pool:+,}$id"
done
KEY=$(api POST gateway-keys "{\"name\":\"soak\",\"providerTypeId\":1,\"pool\":[$pool]}" | json_field key)

cat > "$WORK/soak.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Count"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
LUA
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$GH_PID/status"; }

# wrk for $1 seconds (it has no request count), as "answered non2xx cut": wrk counts the streams the gateway cut (as
# the upstream did) among its read errors, not among its requests.
run_for() {
    wrk -t2 -c"$CONNECTIONS" -d"${1}s" -s "$WORK/soak.lua" "http://127.0.0.1:$PROXY_PORT/v1/chat/completions" |
        awk '/ requests in / { requests = $1 } /Non-2xx/ { bad = $5 }
             /Socket errors/ { gsub(",", ""); cut = $6 }
             END { printf "%d %d %d\n", requests, bad, cut }'
}

echo "soak: $REQUESTS streamed requests over $CONNECTIONS connections; upstream: 10% answered 429/500, 10% cut"
# The warm-up brings pools, arenas and caches to their working size, and measures the pace to size the rounds.
read -r requests _ cut < <(run_for 5)
(( requests > 0 )) || { echo "the warm-up completed no request" >&2; cat "$WORK/gatehoused.log" >&2; exit 1; }
rate=$(( (requests + cut) / 5 + 1 ))
first=$(rss_mb)
echo "after warm-up ($requests requests, $rate/s): RSS $first MB"
total=0
round=0
while (( total < REQUESTS )); do
    left=$(( REQUESTS - total < REQUESTS / 10 ? REQUESTS - total : REQUESTS / 10 ))
    seconds=$(( left / rate + 1 ))
    (( seconds > 120 )) && seconds=120
    read -r requests bad cut < <(run_for "$seconds")
    (( requests + cut > 0 )) || { echo "round $(( round + 1 )) completed no request" >&2; exit 1; }
    total=$(( total + requests + cut ))
    round=$(( round + 1 ))
    echo "round $round: $(( requests + cut )) requests in ${seconds}s ($bad not 2xx, $cut streams cut); $total in" \
        "all; RSS $(rss_mb) MB"
done
last=$(rss_mb)
curl -sf "http://127.0.0.1:$PROXY_PORT/readyz" >/dev/null || { echo "gatehoused no longer ready" >&2; exit 1; }
sleep 0.5 # the trace writer's last batch
overview=$(api GET "stats/overview?from=$(( ($(date +%s) - 3600) * 1000 ))")
echo "statistics: $(grep -o '"requests":[0-9]*' <<< "$overview" | head -1), errors by kind $(grep -o \
    '"errorsByKind":{[^}]*}' <<< "$overview")"
awk -v a="$first" -v b="$last" -v n="$total" 'BEGIN {
    printf "%d requests: RSS %.1f MB after warm-up, %.1f MB at the end (%+.1f%%)\n", n, a, b, (b - a) / a * 100
    exit (b <= a * 1.05) ? 0 : 1 }'
