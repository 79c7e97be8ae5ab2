#!/usr/bin/env bash
# Many concurrent SSE streams through gatehoused (started and provisioned as users run it), against the same streams
# taken straight from the upstream: every event must arrive, in order; prints the added delivery latency per event,
# gatehoused's memory and its CPU time per stream. Everything on 127.0.0.1; not part of CTest.
#   tests/bench/run-stream-bench.sh [build-dir]   (STREAMS=10000 EVENTS=20 INTERVAL_MS=500 to override)
set -euo pipefail

BUILD_DIR=${1:-build}
BENCH=$BUILD_DIR/tests/bench/gatehouse_engine_bench
GATEHOUSED=$BUILD_DIR/headless/gatehoused
STREAMS=${STREAMS:-10000}
EVENTS=${EVENTS:-20}
INTERVAL_MS=${INTERVAL_MS:-500}
for binary in "$BENCH" "$GATEHOUSED"; do
    [[ -x $binary ]] || { echo "missing $binary: build with -DGATEHOUSE_BUILD_BENCH=ON" >&2; exit 1; }
done

# gatehoused holds two descriptors per stream (the client's connection and the upstream's), plus its own.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if (( 2 * STREAMS + 200 > $(ulimit -n) )); then
    echo "the descriptor limit ($(ulimit -n), hard $(ulimit -Hn)) allows $(( ($(ulimit -n) - 200) / 2 )) streams" \
        "through one process, not $STREAMS: raise it (ulimit -Hn, LimitNOFILE=) or set STREAMS" >&2
    exit 1
fi

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

"$BENCH" sse-server --listen "127.0.0.1:$UP_PORT" --events "$EVENTS" --interval-ms "$INTERVAL_MS" --workers 1 &
PIDS+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$UP_PORT") 2>/dev/null && break; sleep 0.1; done

# "rss_kb cpu_ticks" of process $1.
usage() { echo "$(awk '/^VmRSS/ { print $2 }' "/proc/$1/status") $(awk '{ print $14 + $15 }' "/proc/$1/stat")"; }
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }

timeout_s=$(( EVENTS * INTERVAL_MS / 1000 + 120 ))
echo "$STREAMS streams of $EVENTS events, one every $INTERVAL_MS ms"
direct=$("$BENCH" sse-clients --port "$UP_PORT" --connections "$STREAMS" --events "$EVENTS" \
    --timeout-s "$timeout_s") || { echo "direct: $direct" >&2; exit 1; }
echo "direct:  $direct"

cat > "$WORK/gatehoused.ini" <<INI
[limits]
max_connections = $(( STREAMS + 1000 ))
max_connections_per_address = $(( STREAMS + 1000 ))
INI
start_gatehoused --config "$WORK/gatehoused.ini"
PIDS+=("$GH_PID")
KEY=$(provision_chat_key "$UP_PORT")
read -r rss_before cpu_before < <(usage "$GH_PID")
# The peak RSS while the streams run, sampled (VmHWM also holds the start-up's, such as the login's scrypt).
"$BENCH" sse-clients --port "$PROXY_PORT" --connections "$STREAMS" --events "$EVENTS" --key "$KEY" \
    --timeout-s "$timeout_s" > "$WORK/via.txt" &
clients=$!
hwm=0
while kill -0 "$clients" 2>/dev/null; do
    read -r rss _ < <(usage "$GH_PID")
    (( rss > hwm )) && hwm=$rss
    sleep 0.1
done
wait "$clients" || true
via=$(cat "$WORK/via.txt")
read -r rss_after cpu_after < <(usage "$GH_PID")
echo "gateway: $via"

ticks=$(getconf CLK_TCK)
awk -v streams="$STREAMS" -v complete="$(field complete <<< "$via")" -v events="$(field events <<< "$via")" \
    -v expected="$(field expected_events <<< "$via")" -v disorder="$(field out_of_order <<< "$via")" \
    -v d50="$(field latency_p50_us <<< "$direct")" -v d99="$(field latency_p99_us <<< "$direct")" \
    -v g50="$(field latency_p50_us <<< "$via")" -v g99="$(field latency_p99_us <<< "$via")" \
    -v ld50="$(field late_p50_us <<< "$direct")" -v ld99="$(field late_p99_us <<< "$direct")" \
    -v lg50="$(field late_p50_us <<< "$via")" -v lg99="$(field late_p99_us <<< "$via")" \
    -v rss0="$rss_before" -v rss1="$rss_after" -v hwm="$hwm" -v cpu="$(( cpu_after - cpu_before ))" -v hz="$ticks" \
    'BEGIN {
        printf "streams complete %d of %d; events %d of %d (lost %d, out of order %d)\n", complete, streams, events,
            expected, expected - events, disorder
        printf "event latency p50 / p99: direct %.2f / %.2f ms, through gatehoused %.2f / %.2f ms (added %.2f / %.2f ms)\n",
            d50 / 1000, d99 / 1000, g50 / 1000, g99 / 1000, (g50 - d50) / 1000, (g99 - d99) / 1000
        printf "  second half of each stream (all open): direct %.2f / %.2f ms, through gatehoused %.2f / %.2f ms (added %.2f / %.2f ms)\n",
            ld50 / 1000, ld99 / 1000, lg50 / 1000, lg99 / 1000, (lg50 - ld50) / 1000, (lg99 - ld99) / 1000
        printf "gatehoused RSS %.0f MB before, peak %.0f MB while streaming, %.0f MB after; CPU %.1f ms per stream\n",
            rss0 / 1024, hwm / 1024, rss1 / 1024, cpu / hz * 1000 / streams
        exit (complete == streams && disorder == 0) ? 0 : 1
    }'
