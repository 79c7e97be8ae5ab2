#!/usr/bin/env bash
# Compares Gatehouse's HTTP engine as a pass-through proxy with nginx proxy_pass, both in front of the same nginx
# static upstream, with wrk at 64 and at 1 connection. Everything on 127.0.0.1; not part of CTest.
#   tests/bench/run-engine-bench.sh [build-dir]    (DURATION=10s WORKERS=2 RUNS=3 to override; each figure is the
#                                                   median of RUNS runs, the targets taking turns)
set -euo pipefail

BUILD_DIR=${1:-build}
BENCH=${BUILD_DIR}/tests/bench/gatehouse_engine_bench
DURATION=${DURATION:-10s}
WORKERS=${WORKERS:-2}
RUNS=${RUNS:-3}
[[ -x $BENCH ]] || { echo "missing $BENCH: configure with -DGATEHOUSE_BUILD_BENCH=ON and build it" >&2; exit 1; }
for tool in nginx wrk; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

source "$(dirname "$0")/bench-lib.sh"
WORK=$(mktemp -d)
UP_PORT=$(free_port); NGX_PORT=$(free_port); GH_PORT=$(free_port)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [[ -f $WORK/up.pid ]] && kill "$(cat "$WORK/up.pid")" 2>/dev/null || true
    [[ -f $WORK/proxy.pid ]] && kill "$(cat "$WORK/proxy.pid")" 2>/dev/null || true
    sleep 0.3; rm -rf "$WORK"
}
trap cleanup EXIT

{ nginx_main up; echo "worker_processes 1;"
  echo "http { $(nginx_http_common up) server { listen 127.0.0.1:$UP_PORT; location / { return 200 \"hello from the upstream\\n\"; } } }"
} > "$WORK/up.conf"
nginx_proxy_pass "$NGX_PORT" "$UP_PORT" "$WORKERS" > "$WORK/proxy.conf"

nginx -p "$WORK" -c "$WORK/up.conf"
nginx -p "$WORK" -c "$WORK/proxy.conf"
"$BENCH" proxy --listen "127.0.0.1:$GH_PORT" --upstream "http://127.0.0.1:$UP_PORT" --workers "$WORKERS" &
PIDS+=($!)
for port in $UP_PORT $NGX_PORT $GH_PORT; do
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
    curl -sf "http://127.0.0.1:$port/" >/dev/null || { echo "server on $port did not come up" >&2; exit 1; }
done

# Prints "rps p50_us p99_us".
measure() { # $1: port, $2: connections
    local threads=$(( $2 < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$2" -d"$DURATION" --latency "http://127.0.0.1:$1/" | awk '
        function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
        /Requests\/sec/ { rps = $2 } / 50%/ { p50 = us($2) } / 99%/ { p99 = us($2) }
        END { printf "%.0f %.0f %.0f\n", rps, p50, p99 }'
}

printf "%-22s %6s %12s %10s %10s %8s\n" target conns "requests/s" "p50 (us)" "p99 (us)" "vs nginx"
for conns in 64 1; do
    for target in UP NGX GH; do : > "$WORK/$target.runs"; done
    for _ in $(seq "$RUNS"); do # interleaved, so that a slow moment of the machine does not favour one target
        for target in UP NGX GH; do port=${target}_PORT; measure "${!port}" $conns >> "$WORK/$target.runs"; done
    done
    read -r up_rps up_p50 up_p99 < <(median "$WORK/UP.runs")
    read -r ngx_rps ngx_p50 ngx_p99 < <(median "$WORK/NGX.runs")
    read -r gh_rps gh_p50 gh_p99 < <(median "$WORK/GH.runs")
    printf "%-22s %6d %12d %10d %10d %8s\n" "upstream direct" $conns "$up_rps" "$up_p50" "$up_p99" "-"
    printf "%-22s %6d %12d %10d %10d %8s\n" "nginx proxy_pass" $conns "$ngx_rps" "$ngx_p50" "$ngx_p99" "1.00x"
    printf "%-22s %6d %12d %10d %10d %8s\n" "gatehouse engine" $conns "$gh_rps" "$gh_p50" "$gh_p99" \
        "$(awk -v a="$gh_rps" -v b="$ngx_rps" 'BEGIN { printf "%.2fx", a / b }')"
    if [[ $conns == 1 ]]; then
        awk -v up="$up_p50" -v ngx="$ngx_p50" -v gh="$gh_p50" 'BEGIN {
            ratio = (ngx > up) ? (gh - up) / (ngx - up) : 0
            printf "added p50 at 1 connection: nginx %d us, gatehouse %d us (%.2fx nginx)\n", ngx - up, gh - up, ratio }'
    fi
done
