# Shared by the tests/bench/run-*.sh scripts (sourced, not run). The nginx helpers write under $WORK.

# A loopback port nothing listens on, below Linux's ephemeral range (32768 and up), where the machine's own outgoing
# connections hold ports that nothing listens on but no server can bind (installer/test-package.sh met one).
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

# The top of an nginx configuration named $1: pid and log files under $WORK.
nginx_main() {
    echo "pid $WORK/$1.pid; error_log $WORK/$1.err warn; user root; events { worker_connections 4096; }"
}

# Inside http {}: temp paths under $WORK for nginx $1, keep-alive for the whole run, and no access log; with
# NGINX_ACCESS_LOG=1 the proxy (not the upstream) logs each request to a file as gatehoused does at its default log
# level: a line per request, written in batches of 16 KB or every 100 ms.
nginx_http_common() {
    local access_log="access_log off;"
    [[ $1 == proxy && ${NGINX_ACCESS_LOG:-0} == 1 ]] && access_log="access_log $WORK/$1-access.log combined buffer=16k flush=100ms;"
    echo "client_body_temp_path $WORK/$1-cb; proxy_temp_path $WORK/$1-px; fastcgi_temp_path $WORK/$1-fc;"
    echo "uwsgi_temp_path $WORK/$1-uw; scgi_temp_path $WORK/$1-sc; $access_log keepalive_requests 1000000;"
}

# The median of each column over the runs in file $1 (one "rps p50 p99 ..." line per run).
median() {
    local columns
    columns=$(head -1 "$1" | wc -w)
    for ((c = 1; c <= columns; c++)); do
        sort -n -k"$c","$c" "$1" | awk -v c="$c" '{ v[NR] = $c } END { printf "%s ", v[int((NR + 1) / 2)] }'
    done
    echo
}

# The configuration of nginx "up" on port $1, answering every request like OpenAI's chat completions.
nginx_chat_upstream() {
    nginx_main up
    echo "worker_processes 1;"
    echo "http { $(nginx_http_common up) default_type $CHAT_REPLY_TYPE;"
    echo "  server { listen 127.0.0.1:$1; location / { return 200 '$CHAT_REPLY'; } } }"
}

# The configuration of nginx "proxy": plain proxy_pass on port $1 to the upstream on port $2, with $3 workers and
# keep-alive to the upstream, as a reverse proxy in production would be set up; request bodies up to 1 MiB held in
# memory, as gatehoused holds them (nginx's default of 16 KiB writes a chat's history to a temporary file, and then
# serves 45 requests/s at one connection: 40 ms per request waiting on delayed acknowledgements).
nginx_proxy_pass() {
    nginx_main proxy
    echo "worker_processes $3;"
    echo "http { $(nginx_http_common proxy) upstream backend { server 127.0.0.1:$2; keepalive 128; }"
    echo "  server { listen 127.0.0.1:$1; location / { proxy_pass http://backend; proxy_http_version 1.1;"
    echo "    proxy_set_header Connection \"\"; proxy_buffering off; client_body_buffer_size 1m; } } }"
}

# The chat completion every gateway benchmark sends (CHAT_BODY) and the upstream's answer to it: by default a short
# question answered with one JSON object. With STREAM=1, what a chat client sends on the eleventh turn of a
# conversation: the whole history (20 KiB; messages first, then model and stream, in the order OpenAI's SDKs write
# them), streamed, answered with server-sent chat.completion.chunk events, the last with the usage the gateway asks
# for (nginx writes them all at once: the gateway's work per event is what this measures, not the model's pace).
if [[ ${STREAM:-0} == 1 ]]; then
    chat_conversation() {
        local sentence messages='{"role":"system","content":"You are a helpful assistant."}'
        sentence=$(printf 'The quick brown fox jumps over the lazy dog. %.0s' $(seq 22))
        for turn in $(seq 10); do
            messages+=",{\"role\":\"user\",\"content\":\"Question $turn: $sentence\"}"
            messages+=",{\"role\":\"assistant\",\"content\":\"Answer $turn: $sentence\"}"
        done
        echo "{\"messages\":[$messages,{\"role\":\"user\",\"content\":\"Say hello\"}],\"model\":\"gpt-4o-mini\",\"stream\":true}"
    }
    chat_chunk() { # $1: choices, $2: usage
        printf 'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini",'
        printf '"system_fingerprint":"fp_bench","choices":%s,"usage":%s}\\n\\n' "$1" "$2"
    }
    chat_delta() { chat_chunk "[{\"index\":0,\"delta\":$1,\"logprobs\":null,\"finish_reason\":$2}]" null; }
    CHAT_BODY=$(chat_conversation)
    CHAT_REPLY="$(chat_delta '{"role":"assistant","content":""}' null)$(chat_delta '{"content":"Hello"}' null)"
    CHAT_REPLY+="$(chat_delta '{"content":"! How can I help?"}' null)$(chat_delta '{}' '"stop"')"
    CHAT_REPLY+="$(chat_chunk '[]' '{"prompt_tokens":4820,"completion_tokens":9,"total_tokens":4829}')data: [DONE]\\n\\n"
    CHAT_REPLY_TYPE=text/event-stream
else
    CHAT_BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}'
    CHAT_REPLY='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}'
    CHAT_REPLY_TYPE=application/json
fi

# A wrk script posting CHAT_BODY with gateway key $1, with the headers the OpenAI Python SDK sends (16 with wrk's Host
# and Content-Length): a proxy's work grows with them, and with wrk's 4 alone the gateway's workers ran 22% fewer
# instructions per request than for a real client (run-instruction-count.sh).
chat_post_script() {
    cat <<LUA
wrk.method = "POST"
wrk.body = '$CHAT_BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $1"
wrk.headers["Accept"] = "application/json"
wrk.headers["Accept-Encoding"] = "gzip, deflate"
wrk.headers["User-Agent"] = "OpenAI/Python 1.54.3"
wrk.headers["X-Stainless-Lang"] = "python"
wrk.headers["X-Stainless-Package-Version"] = "1.54.3"
wrk.headers["X-Stainless-OS"] = "Linux"
wrk.headers["X-Stainless-Arch"] = "x64"
wrk.headers["X-Stainless-Runtime"] = "CPython"
wrk.headers["X-Stainless-Runtime-Version"] = "3.11.2"
wrk.headers["X-Stainless-Async"] = "false"
wrk.headers["x-stainless-retry-count"] = "0"
wrk.headers["x-stainless-read-timeout"] = "600"
LUA
}

# gatehoused as users run it (binary $GATEHOUSED, default settings but the ports, data under $WORK/data), started in
# the background with its output in $WORK/gatehoused.log; sets GH_PID, PROXY_PORT, ADMIN_PORT, READY_MS (from exec
# to /readyz answering 200, polled every 5 ms), API and TOKEN (an admin's access token). Extra arguments go to gatehoused. Environment: as the caller exports it
# (GATEHOUSE_LOG_LEVEL, GATEHOUSE_REDIS_URL...).
start_gatehoused() {
    PROXY_PORT=${PROXY_PORT:-$(free_port)} ADMIN_PORT=${ADMIN_PORT:-$(free_port)}
    local began
    began=$(date +%s%N)
    GATEHOUSE_ADMIN_PASSWORD=bench-admin-password \
        GATEHOUSE_MASTER_KEY=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f \
        "$GATEHOUSED" --data-dir "$WORK/data" --proxy-port "$PROXY_PORT" --admin-port "$ADMIN_PORT" \
        --proxy-address 127.0.0.1 "$@" >> "$WORK/gatehoused.log" 2>&1 &
    GH_PID=$!
    wait_ready || { cat "$WORK/gatehoused.log" >&2; return 1; }
    READY_MS=$(( ($(date +%s%N) - began) / 1000000 ))
    API=http://127.0.0.1:$ADMIN_PORT/api
    TOKEN=$(curl -s -X POST "$API/auth/login" -H 'Content-Type: application/json' \
        -d '{"username":"admin","password":"bench-admin-password"}' | json_field accessToken)
}

# Waits up to 10 s for gatehoused's /readyz to answer 200.
wait_ready() {
    for _ in $(seq 2000); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PROXY_PORT/readyz") == 200 ]] && return 0
        sleep 0.005
    done
    return 1
}

# The first value of JSON member $1 in standard input (numbers and plain strings).
json_field() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'; }

# The admin API as the logged-in admin: api METHOD PATH [JSON].
api() { curl -s -X "$1" "$API/$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d "${3:-}"; }

# Points the OpenAI type at the nginx upstream on port $1 and prints a new gateway key over one new provider key; $2
# and $3 are extra JSON members of the provider key and the gateway key (',"rpmLimit":1000').
provision_chat_key() {
    api PATCH provider-types/1 "{\"baseUrl\":\"http://127.0.0.1:$1\"}" >/dev/null
    local provider_key
    provider_key=$(api POST provider-keys "{\"providerTypeId\":1,\"name\":\"bench-$RANDOM\",\
\"secret\":\"sk-bench-0123456789\"${2:-}}" | json_field id)
    api POST gateway-keys "{\"name\":\"bench-$RANDOM\",\"providerTypeId\":1,\"pool\":[$provider_key]${3:-}}" |
        json_field key
}
