#!/usr/bin/env bash
# gatehoused as users run it (the binary ./run.sh builds, default settings, provisioned through its admin API, with
# its trace writer, admin listener and prober running) against nginx proxy_pass, both in front of the same nginx
# upstream that answers like OpenAI's chat completions: the full gateway path (authenticate the gateway key, select a
# provider key, forward, read usage, trace every request). wrk at 64 and at 1 connection, the three targets taking
# turns in each of RUNS rounds; each ratio is reported as the median and the spread (lowest, highest) of the RUNS
# per-round ratios, since on a shared machine nginx alone swings by 2x from run to run. Also: how long gatehoused takes
# from exec to /readyz answering 200, on a first start (creating the database) and on restarts. Not part of CTest.
# Also the CPU time each target's processes take per request (all their threads; gatehoused's trace writer also
# alone), which moves less with the neighbours than requests/s, and instructions per request, which do not move with
# them at all: run-instruction-count.sh.
#   tests/bench/run-gateway-bench.sh [build-dir]   (DURATION=4s WORKERS=2 RUNS=10; SOAK=1000000 also sends that
#                                                   many requests and reports the gateway's memory before and after;
#                                                   LOG_LEVEL=info (default) writes the access log to a file, as
#                                                   users run it; warning leaves it out; NGINX_ACCESS_LOG=1 has
#                                                   nginx log each request too, also to a file in 16 KB batches;
#                                                   STREAM=1 sends what a chat client sends on its eleventh turn,
#                                                   the 20 KiB conversation so far, streamed, and the upstream
#                                                   answers with events: see bench-lib.sh)
# PIN=1 runs everything (upstream, both proxies with all their threads, wrk) on CPU 0. On a VM a wake-up on another
# CPU costs tens of microseconds, so at one connection where the scheduler happens to place the request's hand-offs
# weighs more than either proxy (measured: nginx's p50 89 us spread, 46 us pinned); pinned, no hand-off crosses CPUs,
# the rounds agree within a few percent, and each proxy's own work, gatehoused's trace writer included, shares the
# one CPU with the request it serves. PIN=writer does the same but moves gatehoused's trace writer to CPU 1: the writer
# off the cores that serve requests, as on a machine with a core to spare, which this 2-CPU one cannot otherwise show.
set -euo pipefail

BUILD_DIR=${1:-build}
GATEHOUSED=${BUILD_DIR}/headless/gatehoused
DURATION=${DURATION:-4s}
WORKERS=${WORKERS:-2}
RUNS=${RUNS:-10}
export GATEHOUSE_LOG_LEVEL=${LOG_LEVEL:-info}
[[ -x $GATEHOUSED ]] || { echo "missing $GATEHOUSED: build it first" >&2; exit 1; }
for tool in nginx wrk curl; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

source "$(dirname "$0")/bench-lib.sh"
WORK=$(mktemp -d)
UP_PORT=$(free_port); NGX_PORT=$(free_port)
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

start_gatehoused --workers "$WORKERS"
first_start=$READY_MS
restarts=()
for _ in 1 2 3 4 5; do
    kill "$GH_PID" && wait "$GH_PID" || true
    start_gatehoused --workers "$WORKERS"
    restarts+=("$READY_MS")
done
GH_PORT=$PROXY_PORT
KEY=$(provision_chat_key "$UP_PORT")
[[ -n $KEY ]] || { echo "no gateway key" >&2; cat "$WORK/gatehoused.log" >&2; exit 1; }

chat_post_script "$KEY" > "$WORK/post.lua"
WRK=(wrk)
if [[ -n ${PIN:-} ]]; then
    for pid in $(cat "$WORK/up.pid" "$WORK/proxy.pid") $(pgrep -P "$(cat "$WORK/up.pid")") \
        $(pgrep -P "$(cat "$WORK/proxy.pid")") "$GH_PID"; do
        taskset -a -p -c 0 "$pid" > /dev/null
    done
    WRK=(taskset -c 0 wrk)
    echo "pinned to CPU 0: upstream, nginx, gatehoused and wrk"
    if [[ $PIN == writer ]]; then
        for task in /proc/$GH_PID/task/*; do
            [[ $(cat "$task/comm") == trace-writer ]] && taskset -p -c 1 "${task##*/}" > /dev/null
        done
        echo "gatehoused's trace writer on CPU 1"
    fi
fi
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $KEY" \
    -H 'Content-Type: application/json' -d "$CHAT_BODY" "http://127.0.0.1:$GH_PORT/v1/chat/completions")
[[ $status == 200 ]] || { echo "the gateway answered $status to a chat completion" >&2; exit 1; }

# The CPU time, in nanoseconds, that the threads of processes $@ ran for (the first field of each task's schedstat;
# /proc/PID/stat counts in ticks of 10 ms); with ONLY=name, only the threads of that name.
cpu_ns() {
    local pid task name ns sum=0
    for pid in "$@"; do
        for task in /proc/"$pid"/task/*; do
            read -r name < "$task/comm" 2>/dev/null && read -r ns _ < "$task/schedstat" 2>/dev/null || continue
            [[ -z ${ONLY:-} || $name == "$ONLY" ]] && sum=$(( sum + ns ))
        done
    done
    echo $sum
}
UP_PIDS=$(pgrep -P "$(cat "$WORK/up.pid")" | xargs)
NGX_PIDS=$(pgrep -P "$(cat "$WORK/proxy.pid")" | xargs) # its workers
GH_PIDS=$GH_PID

# $1: target (UP, NGX, GH), $2: connections -> "rps p50_us p99_us non2xx cpu_us writer_us" (CPU per request)
measure() {
    local threads=$(( $2 < 2 ? 1 : 2 )) port=${1}_PORT pids=${1}_PIDS
    local cpu0 writer0 out cpu writer
    cpu0=$(cpu_ns ${!pids}); writer0=$(ONLY=trace-writer cpu_ns ${!pids})
    out=$("${WRK[@]}" -t"$threads" -c"$2" -d"$DURATION" --latency -s "$WORK/post.lua" \
        "http://127.0.0.1:${!port}/v1/chat/completions")
    cpu=$(( $(cpu_ns ${!pids}) - cpu0 )); writer=$(( $(ONLY=trace-writer cpu_ns ${!pids}) - writer0 ))
    echo "$out" | awk -v cpu=$cpu -v writer=$writer '
        function us(v) {
            if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1e6; return v
        }
        /Requests\/sec/ { rps = $2 } / 50%/ { p50 = us($2) } / 99%/ { p99 = us($2) } /requests in/ { n = $1 }
        /Non-2xx/ { bad = $NF }
        END {
            per = n ? 1 / (1000 * n) : 0 # ns to us per request
            printf "%.0f %.0f %.0f %d %.2f %.2f\n", rps, p50, p99, bad, cpu * per, writer * per
        }'
}

echo "gatehoused from exec to ready: first start $first_start ms, restarts ${restarts[*]} ms"
printf "%-22s %6s %12s %10s %10s %8s %10s\n" target conns "requests/s" "p50 (us)" "p99 (us)" "non-2xx" "CPU us/req"
for conns in 64 1; do
    for target in UP NGX GH; do : > "$WORK/$target.runs"; done
    for _ in $(seq "$RUNS"); do # interleaved, so that a slow moment of the machine does not favour one target
        for target in UP NGX GH; do measure $target $conns >> "$WORK/$target.runs"; done
    done
    read -r up_rps up_p50 up_p99 up_bad up_cpu _ < <(median "$WORK/UP.runs")
    read -r ngx_rps ngx_p50 ngx_p99 ngx_bad ngx_cpu _ < <(median "$WORK/NGX.runs")
    read -r gh_rps gh_p50 gh_p99 gh_bad gh_cpu gh_writer < <(median "$WORK/GH.runs")
    printf "%-22s %6d %12d %10d %10d %8d %10.2f\n" "upstream direct" $conns "$up_rps" "$up_p50" "$up_p99" "$up_bad" \
        "$up_cpu"
    printf "%-22s %6d %12d %10d %10d %8d %10.2f\n" "nginx proxy_pass" $conns "$ngx_rps" "$ngx_p50" "$ngx_p99" \
        "$ngx_bad" "$ngx_cpu"
    printf "%-22s %6d %12d %10d %10d %8d %10.2f  (trace writer %.2f)\n" "gatehoused" $conns "$gh_rps" "$gh_p50" \
        "$gh_p99" "$gh_bad" "$gh_cpu" "$gh_writer"
    # Per round: gatehoused / nginx requests/s, p99 ratio, the added p50 (over the upstream alone) ratio, and the ratio
    # of CPU per request (six columns a target: requests/s, p50, p99, non-2xx, CPU, trace writer's CPU).
    paste "$WORK/UP.runs" "$WORK/NGX.runs" "$WORK/GH.runs" | awk '{
        up50 = $2; ngx = $7; ngx50 = $8; ngx99 = $9; ngxcpu = $11; gh = $13; gh50 = $14; gh99 = $15; ghcpu = $17
        printf "%.3f %.3f %.3f %.3f\n", gh / ngx, gh99 / ngx99, (ngx50 > up50) ? (gh50 - up50) / (ngx50 - up50) : 0,
            ngxcpu ? ghcpu / ngxcpu : 0 }' \
        > "$WORK/ratios"
    spread() { # column $1 of the ratios: "median (lowest-highest)"
        sort -n -k"$1","$1" "$WORK/ratios" | awk -v c="$1" '{ v[NR] = $c }
            END { printf "%.2fx (%.2f-%.2f)", v[int((NR + 1) / 2)], v[1], v[NR] }'
    }
    echo "  gatehoused / nginx, median (spread) of $RUNS rounds: requests/s $(spread 1)$(
        [[ $conns == 1 ]] && echo ", p99 $(spread 2), added p50 $(spread 3)"), CPU per request $(spread 4)"
done

if [[ -n ${SOAK:-} ]]; then
    rss() { awk '/VmRSS/ { print $2 }' "/proc/$GH_PID/status"; }
    before=$(rss)
    sent=0
    while (( sent < SOAK )); do
        "${WRK[@]}" -t2 -c64 -d10s -s "$WORK/post.lua" "http://127.0.0.1:$GH_PORT/v1/chat/completions" > "$WORK/soak.out"
        sent=$(( sent + $(awk '/requests in/ { print $1 }' "$WORK/soak.out") ))
        echo "soak: $sent requests, gateway RSS $(rss) KiB"
    done
    echo "memory: RSS $before KiB before, $(rss) KiB after $sent requests"
fi
