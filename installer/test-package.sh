#!/usr/bin/env bash
# The packages as an operator meets them, on this machine (as root): builds them with cpack in BUILD_DIR, installs
# gatehoused with apt-get, starts the service (under systemd when it runs here, else the unit's own ExecStart line,
# as the unit's user with its credential and environment), waits for /readyz, sends a chat completion through it to an
# nginx answering like OpenAI, stops it with SIGTERM and checks a clean exit, then removes (data kept) and purges
# (data gone). Scores the unit with `systemd-analyze security` where that exists. The desktop package is built,
# installed and removed too. Run by test.sh; on its own:  installer/test-package.sh build
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:?usage: installer/test-package.sh BUILD_DIR}")
source tests/bench/bench-lib.sh

fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || { echo "test-package: skipped: installing packages needs root"; exit 0; }
# Never on a machine that has (or had: data kept after a remove) a gateway of its own: the purge would delete it.
for package in gatehoused gatehouse; do
    if [[ -n $(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -v '^not-installed$') ]]; then
        echo "test-package: skipped: dpkg knows $package on this machine already (not touching it)"
        exit 0
    fi
done
if [[ -e /var/lib/gatehouse || -e /etc/gatehouse ]]; then
    echo "test-package: skipped: /var/lib/gatehouse or /etc/gatehouse exists on this machine (not touching it)"
    exit 0
fi

WORK=$(mktemp -d /tmp/gatehouse-package.XXXXXX)
chmod 755 "$WORK"
pid=
cleanup() {
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
    [[ -f $WORK/up.pid ]] && kill "$(cat "$WORK/up.pid")" 2>/dev/null || true
    rm -rf /run/systemd/system/gatehoused.service.d
    for package in gatehoused gatehouse; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q installed &&
            DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$package" >/dev/null 2>&1
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

rm -rf "$build/packages"
(cd "$build" && cpack >"$WORK/cpack.log" 2>&1) || { cat "$WORK/cpack.log"; fail "cpack"; }
server_deb=$(ls "$build"/packages/gatehoused_*.deb)
desktop_deb=$(ls "$build"/packages/gatehouse_*.deb 2>/dev/null || true)
depends=$(dpkg-deb -f "$server_deb" Depends)
grep -Eq 'libqt6(widgets|gui|charts)' <<<"$depends" && fail "gatehoused depends on GUI libraries: $depends"

apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$WORK/apt.log" 2>&1 ||
    { cat "$WORK/apt.log"; fail "apt-get install $*"; }; }
apt_install "$server_deb"
getent passwd gatehouse >/dev/null || fail "no gatehouse user"
[[ $(stat -c '%a %U' /var/lib/gatehouse) == "700 gatehouse" ]] || fail "/var/lib/gatehouse is $(stat -c '%a %U' /var/lib/gatehouse)"
key=/etc/gatehouse/credentials/gatehouse-master-key
[[ $(stat -c '%a %U' "$key") == "600 root" && $(stat -c '%a' /etc/gatehouse/credentials) == 700 ]] ||
    fail "the master key is not 0600 root in a 0700 directory"
[[ $(stat -c '%a %G' /etc/gatehouse/gatehoused.ini) == "640 gatehouse" ]] || fail "gatehoused.ini is not 0640 root:gatehouse"
unit=/lib/systemd/system/gatehoused.service
wants=/etc/systemd/system/multi-user.target.wants/gatehoused.service
if command -v systemctl >/dev/null; then
    [[ -L $wants ]] || fail "the service is not enabled"
fi
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "$unit" || fail "systemd-analyze verify $unit"
    score=$(systemd-analyze security --offline=yes "$unit" | grep 'Overall exposure level')
    echo "test-package: $score"
    grep -Eq ' (OK|SAFE) ' <<<"$score" || fail "the unit's exposure is worse than OK"
fi

UP_PORT=$(free_port) PROXY_PORT=$(free_port) ADMIN_PORT=$(free_port)
nginx_chat_upstream "$UP_PORT" >"$WORK/up.conf"
nginx -p "$WORK" -c "$WORK/up.conf"
settings=(GATEHOUSE_PROXY_ADDRESS=127.0.0.1 GATEHOUSE_PROXY_PORT=$PROXY_PORT GATEHOUSE_ADMIN_PORT=$ADMIN_PORT)
under_systemd=0
[[ -d /run/systemd/system ]] && under_systemd=1
if ((under_systemd)); then
    systemctl stop gatehoused.service
    mkdir -p /run/systemd/system/gatehoused.service.d
    printf '[Service]\n%s\n' "$(printf 'Environment=%s\n' "${settings[@]}")" \
        >/run/systemd/system/gatehoused.service.d/test.conf
    systemctl daemon-reload
    systemctl start gatehoused.service
else
    # What systemd would do: the credential copied where only the service user reads it, the unit's user, working
    # directory and environment, its ExecStart line, and standard output to the journal (JOURNAL_STREAM).
    mkdir -m 0700 "$WORK/credentials"
    cp "$key" "$WORK/credentials/gatehouse-master-key"
    chown -R gatehouse: "$WORK/credentials"
    chmod 0400 "$WORK/credentials/gatehouse-master-key"
    exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
    environment=$(sed -n 's/^Environment=//p' "$unit")
    # shellcheck disable=SC2086 # the unit's command line, split into words as systemd does
    (cd /var/lib/gatehouse && exec setpriv --reuid=gatehouse --regid=gatehouse --init-groups env $environment "${settings[@]}" \
        CREDENTIALS_DIRECTORY="$WORK/credentials" JOURNAL_STREAM=8:1 $exec_start) >"$WORK/gatehoused.log" 2>&1 &
    pid=$!
fi

ready=0
for _ in $(seq 300); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PROXY_PORT/readyz") == 200 ]] && { ready=1; break; }
    sleep 0.1
done
((ready)) || { cat "$WORK/gatehoused.log" 2>/dev/null; fail "/readyz did not answer 200"; }

# The first start's generated password is in a file for root, never in the journal.
password_file=/var/lib/gatehouse/initial-admin-password
[[ $(stat -c '%a %U' "$password_file") == "600 gatehouse" ]] || fail "$password_file is missing or not 0600 gatehouse"
password=$(cat "$password_file")
if ((under_systemd)); then
    journalctl -u gatehoused.service --no-pager | grep -qF "$password" && fail "the admin password is in the journal"
else
    grep -qF "$password" "$WORK/gatehoused.log" && fail "the admin password is in the output"
fi
API=http://127.0.0.1:$ADMIN_PORT/api
field() { grep -o "\"$1\":[^,}]*" | head -1 | cut -d: -f2- | tr -d '"'; }
token=$(curl -s -X POST "$API/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$password\"}" | field accessToken)
[[ -n $token ]] || fail "no admin login"
api() { curl -s -X "$1" "$API/$2" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$3"; }
api PATCH provider-types/1 "{\"baseUrl\":\"http://127.0.0.1:$UP_PORT\"}" >/dev/null
provider_key=$(api POST provider-keys '{"providerTypeId":1,"name":"package","secret":"sk-package-0123456789"}' | field id)
gateway_key=$(api POST gateway-keys "{\"name\":\"package\",\"providerTypeId\":1,\"pool\":[$provider_key]}" | field key)
[[ -n $gateway_key ]] || fail "no gateway key"
answer=$(curl -s -w '\n%{http_code}' -X POST "http://127.0.0.1:$PROXY_PORT/v1/chat/completions" \
    -H "Authorization: Bearer $gateway_key" -H 'Content-Type: application/json' -d "$CHAT_BODY")
[[ $(tail -1 <<<"$answer") == 200 && $answer == *'"content":"Hello!"'* ]] || fail "the proxied call answered: $answer"

if ((under_systemd)); then
    systemctl stop gatehoused.service
    [[ $(systemctl show -p Result --value gatehoused.service) == success ]] || fail "the service did not stop cleanly"
else
    kill -TERM "$pid"
    status=0
    wait "$pid" || status=$?
    pid=
    ((status == 0)) || { cat "$WORK/gatehoused.log"; fail "gatehoused exited $status on SIGTERM"; }
    grep -q 'stopped' "$WORK/gatehoused.log" || fail "no clean stop in the log"
fi
echo "test-package: installed, served a proxied call, stopped cleanly"

DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq gatehoused >/dev/null
[[ ! -e /usr/bin/gatehoused && -f /var/lib/gatehouse/gatehouse.db && -f $key ]] ||
    fail "remove: the program must go, the data and the master key stay"
[[ ! -L $wants ]] || fail "remove left the service enabled"
key_digest=$(sha256sum <"$key")
apt_install "$server_deb" # a reinstall finds the data and the key as they were
[[ -f /var/lib/gatehouse/gatehouse.db && $(sha256sum <"$key") == "$key_digest" ]] || fail "a reinstall replaced the data or the key"
if command -v systemctl >/dev/null; then
    [[ -L $wants ]] || fail "a reinstall did not enable the service again"
fi
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq gatehoused >/dev/null
[[ ! -e /var/lib/gatehouse && ! -e /etc/gatehouse && ! -L $wants ]] ||
    fail "purge left /var/lib/gatehouse, /etc/gatehouse or the service enabled"
echo "test-package: removed (data kept), purged (data gone)"

if [[ -n $desktop_deb ]]; then
    apt_install "$desktop_deb"
    [[ -f /usr/share/applications/gatehouse.desktop && -f /usr/share/icons/hicolor/256x256/apps/gatehouse.png ]] ||
        fail "the desktop package lacks its .desktop file or icons"
    QT_QPA_PLATFORM=offscreen gatehouse --version >/dev/null || fail "gatehouse --version"
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq gatehouse >/dev/null
    echo "test-package: the desktop package installs and removes"
fi
