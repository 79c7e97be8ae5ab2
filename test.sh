#!/usr/bin/env bash
# Installs what is missing, builds, starts Redis and PostgreSQL on loopback in a temporary directory, and runs every
# test: first the normal build (with the benchmarks, which must keep compiling) and its Debian packages (built,
# installed, started, used and purged: installer/test-package.sh), then the AddressSanitizer + UBSan build (with the
# fuzz smoke run).
#   ./test.sh                  both passes, every test: what CI runs
#   ./test.sh --quick          the normal build only
#   ./test.sh --quick -L unit  any further arguments go to ctest: a label (unit, integration, postgres, redis, slow,
#                              fuzz), -LE slow to leave one out, -R TestMigrator for tests by name (and no packages)
set -euo pipefail
cd "$(dirname "$0")"
source installer/deps.sh
install_deps server desktop test

quick=0
[[ "${1:-}" == --quick ]] && { quick=1; shift; }
ctest_args=("$@")

configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGATEHOUSE_BUILD_BENCH=ON

work=$(mktemp -d /tmp/gatehouse-test-services.XXXXXX)
chmod 755 "$work"
cleanup() {
    [[ -f "$work/redis.pid" ]] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
    [[ -d "$work/pg" ]] && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg" -m immediate stop \
        >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000)) # below the ephemeral range (32768+), where outgoing connections hold ports
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$work" --save '' --appendonly no \
    --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
export GATEHOUSE_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"

pg_port=$(free_port)
mkdir -p "$work/pg" "$work/pgsock"
chown postgres:postgres "$work/pg" "$work/pgsock"
runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$work/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg" -l "$work/pg/server.log" -w \
    -o "-p $pg_port -k $work/pgsock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
psql -h 127.0.0.1 -p "$pg_port" -U postgres -q -c 'CREATE DATABASE gatehouse_test' >/dev/null
export GATEHOUSE_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/gatehouse_test"

# The desktop keychain tests need a session bus and an unlocked Secret Service, in a home of their own (the builds
# keep the real one: ccache lives there).
mkdir -p "$work/home"
run_tests() {
    HOME="$work/home" dbus-run-session -- sh -c '
        eval "$(printf gatehouse | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
        dir=$1; shift; ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" "$@"' sh "$@"
}

run_tests build "${ctest_args[@]}"
((${#ctest_args[@]} > 0)) || installer/test-package.sh build
if ((quick == 0)); then
    configure_and_build build-asan -DCMAKE_BUILD_TYPE=Debug -DGATEHOUSE_SANITIZE=ON -DGATEHOUSE_BUILD_GUI=OFF \
        -DGATEHOUSE_BUILD_FUZZ=ON
    # max_free_fill_size: freed memory is overwritten, so that a read through a dangling pointer inside a library
    # ASan does not instrument (Qt's string compare) sees garbage instead of the old bytes.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:max_free_fill_size=4096 UBSAN_OPTIONS=print_stacktrace=1 \
        run_tests build-asan "${ctest_args[@]}"
fi
