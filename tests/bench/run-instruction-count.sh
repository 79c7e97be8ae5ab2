#!/usr/bin/env bash
# Instructions per request of the engine (pass-through proxy) and of the full gateway path, counted by valgrind's
# callgrind over a few thousand requests from wrk: unlike requests per second on a shared machine, the count moves
# only when the code does, so it tells whether a change to the hot path helped (a few percent show). User space
# only: system calls are not counted (count them with strace -c). One worker; the gateway's trace writer is counted
# on its own. The two harnesses link without the link-time optimization that gatehoused has (about 3% fewer
# instructions per request, counted with callgrind on gatehoused itself): compare their counts with each other. Not
# part of CTest.
#   tests/bench/run-instruction-count.sh [build-dir]   (SECONDS_MEASURED=5 to override; LOG_LEVEL=warning leaves
#                                                        the gateway's access log out, default info)
set -euo pipefail

BUILD_DIR=$(cd "${1:-build}" && pwd)
ENGINE=${BUILD_DIR}/tests/bench/gatehouse_engine_bench
GATEWAY=${BUILD_DIR}/tests/bench/BenchGateway
MEASURED=${SECONDS_MEASURED:-5}
for binary in "$ENGINE" "$GATEWAY"; do
    [[ -x $binary ]] || { echo "missing $binary: configure with -DGATEHOUSE_BUILD_BENCH=ON and build it" >&2; exit 1; }
done
for tool in nginx wrk curl valgrind callgrind_control; do
    command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

source "$(dirname "$0")/bench-lib.sh"
WORK=$(mktemp -d)
UP_PORT=$(free_port)
VALGRIND_PID=
cleanup() {
    [[ -n $VALGRIND_PID ]] && kill "$VALGRIND_PID" 2>/dev/null || true
    [[ -f $WORK/up.pid ]] && kill "$(cat "$WORK/up.pid")" 2>/dev/null || true
    sleep 0.3; rm -rf "$WORK"
}
trap cleanup EXIT

nginx_chat_upstream "$UP_PORT" > "$WORK/up.conf"
nginx -p "$WORK" -c "$WORK/up.conf"

# Runs "$@" under callgrind with instrumentation off; once $READY succeeds runs $PREPARE, warms it up, counts the
# instructions of MEASURED seconds of wrk (its arguments in $WRK_ARGS), and prints "requests total_per_request
# writer_per_request".
count() {
    local out=$WORK/callgrind
    rm -f "$out".*
    valgrind --tool=callgrind --callgrind-out-file="$out.%p" --separate-threads=yes --instr-atstart=no "$@" \
        > "$WORK/target.out" 2>/dev/null &
    VALGRIND_PID=$!
    for _ in $(seq 300); do $READY && break; sleep 0.2; done
    $PREPARE
    wrk -t1 -c8 -d2s $WRK_ARGS >/dev/null
    callgrind_control -i on $VALGRIND_PID >/dev/null 2>&1
    local requests
    requests=$(wrk -t1 -c8 -d"${MEASURED}s" $WRK_ARGS | awk '/requests in/ { print $1 }')
    callgrind_control -i off $VALGRIND_PID >/dev/null 2>&1
    callgrind_control -d $VALGRIND_PID >/dev/null 2>&1
    sleep 1
    kill $VALGRIND_PID; wait $VALGRIND_PID 2>/dev/null || true
    VALGRIND_PID=
    local total=0 writer=0 instructions
    for file in "$out".*; do
        instructions=$(awk '/^(summary|totals):/ { s += $2 } END { print s + 0 }' "$file")
        total=$((total + instructions))
        grep -q "TraceWriter::flush" "$file" && writer=$((writer + instructions))
    done
    echo "$requests $((total / requests)) $((writer / requests))"
}

ENGINE_PORT=$(free_port)
READY="curl -sf http://127.0.0.1:$ENGINE_PORT/ -o /dev/null"
PREPARE=true
WRK_ARGS="http://127.0.0.1:$ENGINE_PORT/"
read -r requests engine _ < <(count "$ENGINE" proxy --listen "127.0.0.1:$ENGINE_PORT" \
    --upstream "http://127.0.0.1:$UP_PORT" --workers 1)
printf "engine (pass-through proxy)   %8d instructions per request (%d requests)\n" "$engine" "$requests"

GATEWAY_PORT=$(free_port)
mkdir -p "$WORK/gateway" && cd "$WORK/gateway"
READY="grep -q GATEWAY_KEY $WORK/target.out"
WRK_ARGS="-s $WORK/post.lua http://127.0.0.1:$GATEWAY_PORT/v1/chat/completions"
write_script() { # the gateway prints the key it created for the run
    chat_post_script "$(awk '/GATEWAY_KEY/ { print $2 }' "$WORK/target.out")" > "$WORK/post.lua"
}
PREPARE=write_script
read -r requests gateway writer < <(count "$GATEWAY" --listen "$GATEWAY_PORT" --upstream "http://127.0.0.1:$UP_PORT" \
    --workers 1 --log-level "${LOG_LEVEL:-info}")
printf "gateway (full path)           %8d instructions per request (%d requests): workers %d, trace writer %d\n" \
    "$gateway" "$requests" "$((gateway - writer))" "$writer"
