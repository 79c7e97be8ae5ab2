#!/usr/bin/env bash
# The full gateway path (authenticate the gateway key, select a provider key, forward, read usage from the
# response, trace every request) against nginx proxy_pass, both in front of the same nginx upstream that answers
# like OpenAI's chat completions. wrk at 64 and at 1 connection; everything on 127.0.0.1; not part of CTest.
#   tests/bench/run-gateway-bench.sh [build-dir]   (DURATION=10s WORKERS=2 RUNS=3, each figure the median of RUNS
#                                                   runs, the targets taking turns; SOAK=1000000 also sends that many
#                                                   requests and reports the gateway's memory before and after;
#                                                   LOG_LEVEL=info logs every request to a file, as users run it;
#                                                   warning leaves the access log out)
set -euo pipefail

BUILD_DIR=${1:-build}
BENCH=${BUILD_DIR}/tests/bench/BenchGateway
DURATION=${DURATION:-10s}
WORKERS=${WORKERS:-2}
RUNS=${RUNS:-3}
LOG_LEVEL=${LOG_LEVEL:-info}
[[ -x $BENCH ]] || { echo "missing $BENCH: configure with -DGATEHOUSE_BUILD_BENCH=ON and build it" >&2; exit 1; }
for tool in nginx wrk curl; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

source "$(dirname "$0")/bench-lib.sh"
WORK=$(mktemp -d)
UP_PORT=$(free_port); NGX_PORT=$(free_port); GH_PORT=$(free_port)
GH_PID=
cleanup() {
    [[ -n $GH_PID ]] && kill "$GH_PID" 2>/dev/null || true
    for pid in up proxy; do [[ -f $WORK/$pid.pid ]] && kill "$(cat "$WORK/$pid.pid")" 2>/dev/null || true; done
    sleep 0.3; rm -rf "$WORK"
}
trap cleanup EXIT

nginx_chat_upstream "$UP_PORT" > "$WORK/up.conf"
nginx_proxy_pass "$NGX_PORT" "$UP_PORT" "$WORKERS" > "$WORK/proxy.conf"
nginx -p "$WORK" -c "$WORK/up.conf"
nginx -p "$WORK" -c "$WORK/proxy.conf"

"$BENCH" --listen "$GH_PORT" --upstream "http://127.0.0.1:$UP_PORT" --workers "$WORKERS" --log-level "$LOG_LEVEL" \
    > "$WORK/gateway.out" 2> "$WORK/gateway.log" &
GH_PID=$!
for _ in $(seq 100); do grep -q GATEWAY_KEY "$WORK/gateway.out" 2>/dev/null && break; sleep 0.1; done
KEY=$(awk '/GATEWAY_KEY/ { print $2 }' "$WORK/gateway.out")
[[ -n $KEY ]] || { echo "the gateway did not start" >&2; exit 1; }

chat_post_script "$KEY" > "$WORK/post.lua"
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' -d "$CHAT_BODY" "http://127.0.0.1:$GH_PORT/v1/chat/completions")
[[ $status == 200 ]] || { echo "the gateway answered $status to a chat completion" >&2; exit 1; }

measure() { # $1: port, $2: connections -> "rps p50_us p99_us"
    local threads=$(( $2 < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$2" -d"$DURATION" --latency -s "$WORK/post.lua" "http://127.0.0.1:$1/v1/chat/completions" |
        awk 'function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1000000; return v }
             /Requests\/sec/ { rps = $2 } / 50%/ { p50 = us($2) } / 99%/ { p99 = us($2) }
             /Non-2xx/ { bad = $NF } END { printf "%.0f %.0f %.0f %d\n", rps, p50, p99, bad }'
}

printf "%-22s %6s %12s %10s %10s %8s %8s\n" target conns "requests/s" "p50 (us)" "p99 (us)" "vs nginx" "non-2xx"
for conns in 64 1; do
    for target in UP NGX GH; do : > "$WORK/$target.runs"; done
    for _ in $(seq "$RUNS"); do # interleaved, so that a slow moment of the machine does not favour one target
        for target in UP NGX GH; do port=${target}_PORT; measure "${!port}" $conns >> "$WORK/$target.runs"; done
    done
    read -r up_rps up_p50 up_p99 up_bad < <(median "$WORK/UP.runs")
    read -r ngx_rps ngx_p50 ngx_p99 ngx_bad < <(median "$WORK/NGX.runs")
    read -r gh_rps gh_p50 gh_p99 gh_bad < <(median "$WORK/GH.runs")
    printf "%-22s %6d %12d %10d %10d %8s %8d\n" "upstream direct" $conns "$up_rps" "$up_p50" "$up_p99" "-" "$up_bad"
    printf "%-22s %6d %12d %10d %10d %8s %8d\n" "nginx proxy_pass" $conns "$ngx_rps" "$ngx_p50" "$ngx_p99" "1.00x" "$ngx_bad"
    printf "%-22s %6d %12d %10d %10d %8s %8d\n" "gatehouse gateway" $conns "$gh_rps" "$gh_p50" "$gh_p99" \
        "$(awk -v a="$gh_rps" -v b="$ngx_rps" 'BEGIN { printf "%.2fx", a / b }')" "$gh_bad"
    if [[ $conns == 1 ]]; then
        awk -v up="$up_p50" -v ngx="$ngx_p50" -v gh="$gh_p50" 'BEGIN {
            ratio = (ngx > up) ? (gh - up) / (ngx - up) : 0
            printf "added p50 at 1 connection: nginx %d us, gatehouse %d us (%.2fx nginx)\n", ngx - up, gh - up, ratio }'
    fi
done

if [[ -n ${SOAK:-} ]]; then
    rss() { awk '/VmRSS/ { print $2 }' "/proc/$GH_PID/status"; }
    before=$(rss)
    sent=0
    while (( sent < SOAK )); do
        wrk -t2 -c64 -d10s -s "$WORK/post.lua" "http://127.0.0.1:$GH_PORT/v1/chat/completions" > "$WORK/soak.out"
        sent=$(( sent + $(awk '/requests in/ { print $1 }' "$WORK/soak.out") ))
        echo "soak: $sent requests, gateway RSS $(rss) KiB"
    done
    echo "memory: RSS $before KiB before, $(rss) KiB after $sent requests"
fi
