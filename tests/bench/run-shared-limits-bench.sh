#!/usr/bin/env bash
# What limits shared through Redis cost: gatehoused (as ./run.sh builds it, provisioned through its admin API) with a
# Redis, wrk alternating between a gateway key and provider key without limits and an identical pair limited to
# 10^9 a minute (and a day; TOKENS=1 adds a tokens-per-minute limit and a daily token budget), in front of an nginx
# upstream that answers like OpenAI. Prints requests/s per run, the ratio of the medians and the EVALs Redis ran.
#   tests/bench/run-shared-limits-bench.sh [build-dir]   (DURATION=4s RUNS=4 CONNS=64; NOREDIS=1 runs without Redis)
set -euo pipefail

BUILD_DIR=${1:-build}
GATEHOUSED=${BUILD_DIR}/headless/gatehoused
DURATION=${DURATION:-4s}
RUNS=${RUNS:-4}
CONNS=${CONNS:-64}
[[ -x $GATEHOUSED ]] || { echo "missing $GATEHOUSED: build it first" >&2; exit 1; }
for tool in nginx wrk curl redis-server redis-cli; do
    command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

source "$(dirname "$0")/bench-lib.sh"
WORK=$(mktemp -d)
UP_PORT=$(free_port); REDIS_PORT=$(free_port)
GH_PID=
cleanup() {
    [[ -n $GH_PID ]] && kill "$GH_PID" 2>/dev/null || true
    [[ -f $WORK/up.pid ]] && kill "$(cat "$WORK/up.pid")" 2>/dev/null || true
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    sleep 0.3; rm -rf "$WORK"
}
trap cleanup EXIT

nginx_chat_upstream "$UP_PORT" > "$WORK/up.conf"
nginx -p "$WORK" -c "$WORK/up.conf"
redis-server --port "$REDIS_PORT" --save '' --daemonize yes >/dev/null
export GATEHOUSE_LOG_LEVEL=warning
[[ ${NOREDIS:-0} == 1 ]] || export GATEHOUSE_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
start_gatehoused
EXTRA_KEY= EXTRA_GATEWAY=
[[ ${TOKENS:-0} == 1 ]] && EXTRA_KEY=',"tpmLimit":1000000000' EXTRA_GATEWAY=',"tokensPerDayLimit":1000000000'
FREE=$(provision_chat_key "$UP_PORT")
TENANT=$(api POST users '{"username":"tenant","password":"tenant-password-1","role":"user"}' | json_field id)
LIMITED=$(provision_chat_key "$UP_PORT" ",\"rpmLimit\":1000000000,\"rpdLimit\":1000000000$EXTRA_KEY" \
    ",\"userId\":$TENANT,\"rpmLimit\":1000000000,\"rpdLimit\":1000000000$EXTRA_GATEWAY")

for key in FREE LIMITED; do
    chat_post_script "${!key}" > "$WORK/$key.lua"
    status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer ${!key}" \
        -H 'Content-Type: application/json' -d "$CHAT_BODY" "http://127.0.0.1:$PROXY_PORT/v1/chat/completions")
    [[ $status == 200 ]] || { echo "the $key key answered $status" >&2; exit 1; }
    : > "$WORK/$key.runs"
done
redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
for _ in $(seq "$RUNS"); do
    for key in FREE LIMITED; do # interleaved, so that a slow moment of the machine does not favour one
        wrk -t2 -c"$CONNS" -d"$DURATION" -s "$WORK/$key.lua" "http://127.0.0.1:$PROXY_PORT/v1/chat/completions" |
            awk '/Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF } END { printf "%.0f %d\n", rps, bad }' \
            >> "$WORK/$key.runs"
    done
done
free=$(median "$WORK/FREE.runs" | cut -d' ' -f1)
limited=$(median "$WORK/LIMITED.runs" | cut -d' ' -f1)
echo "unlimited keys, requests/s: $(cut -d' ' -f1 "$WORK/FREE.runs" | paste -sd' ')"
echo "limited keys,   requests/s: $(cut -d' ' -f1 "$WORK/LIMITED.runs" | paste -sd' ')  non-2xx: $(cut -d' ' -f2 "$WORK/LIMITED.runs" | paste -sd' ')"
awk -v l="$limited" -v f="$free" 'BEGIN { printf "limited / unlimited (medians): %.2f\n", l / f }'
redis-cli -p "$REDIS_PORT" info commandstats | grep -E '^cmdstat_(eval|evalsha):' || echo "no EVALs (no Redis)"
