# Shared by the tests/bench/run-*.sh scripts (sourced, not run). The nginx helpers write under $WORK.

# A loopback port nothing listens on.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 20000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

# The top of an nginx configuration named $1: pid and log files under $WORK.
nginx_main() {
    echo "pid $WORK/$1.pid; error_log $WORK/$1.err warn; user root; events { worker_connections 4096; }"
}

# Inside http {}: temp paths under $WORK for nginx $1, no access log, keep-alive for the whole run.
nginx_http_common() {
    echo "client_body_temp_path $WORK/$1-cb; proxy_temp_path $WORK/$1-px; fastcgi_temp_path $WORK/$1-fc;"
    echo "uwsgi_temp_path $WORK/$1-uw; scgi_temp_path $WORK/$1-sc; access_log off; keepalive_requests 1000000;"
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
    echo "http { $(nginx_http_common up) default_type application/json;"
    echo "  server { listen 127.0.0.1:$1; location / { return 200 '$CHAT_REPLY'; } } }"
}

# The configuration of nginx "proxy": plain proxy_pass on port $1 to the upstream on port $2, with $3 workers and
# keep-alive to the upstream, as a reverse proxy in production would be set up.
nginx_proxy_pass() {
    nginx_main proxy
    echo "worker_processes $3;"
    echo "http { $(nginx_http_common proxy) upstream backend { server 127.0.0.1:$2; keepalive 128; }"
    echo "  server { listen 127.0.0.1:$1; location / { proxy_pass http://backend; proxy_http_version 1.1;"
    echo "    proxy_set_header Connection \"\"; proxy_buffering off; } } }"
}

CHAT_REPLY='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}'

# The chat completion every gateway benchmark sends, and a wrk script posting it with gateway key $1.
CHAT_BODY='{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}'
chat_post_script() {
    cat <<LUA
wrk.method = "POST"
wrk.body = '$CHAT_BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $1"
LUA
}
