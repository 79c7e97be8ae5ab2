#!/usr/bin/env bash
# The Debian 12 packages each part of Gatehouse needs, installed only where missing. Installs skip Recommends, so
# every package that a build or test uses is named here, even where a well-used machine happens to have it.
#
# Sourced by run.sh and test.sh (install_deps PART...), or run on its own:  installer/deps.sh PART...
#   server   build gatehoused, the core library and the tests (-DGATEHOUSE_BUILD_GUI=OFF needs only this); make
#            because GCC runs the jobs of gatehoused's link-time optimization through it (without, one at a time,
#            with a warning)
#   desktop  build the gatehouse desktop app as well (Widgets, Charts and the OpenGL headers Charts needs, Linguist,
#            and Qt's own translations for the standard dialogs)
#   test     run the tests and benchmarks: Redis, PostgreSQL, a keychain on a session bus, Xvfb, nginx, wrk, ccache,
#            and what cpack needs to build the Debian packages (dpkg-shlibdeps, file)
#   fuzz     long coverage-guided fuzz sessions with clang and libFuzzer (tests/fuzz/README.md); not used by test.sh

SERVER_PACKAGES=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
    libqt6sql6-sqlite libqt6sql6-psql qtkeychain-qt6-dev libhiredis-dev libssl-dev libsqlite3-dev node-llhttp
    libjemalloc-dev make)
DESKTOP_PACKAGES=(qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n)
TEST_PACKAGES=(redis-server postgresql xvfb xauth dbus dbus-x11 gnome-keyring curl nginx wrk openssl ccache dpkg-dev
    file)
FUZZ_PACKAGES=(clang libfuzzer-14-dev libclang-rt-14-dev)

install_deps() {
    local packages=() part
    for part in "$@"; do
        case $part in
            server) packages+=("${SERVER_PACKAGES[@]}") ;;
            desktop) packages+=("${DESKTOP_PACKAGES[@]}") ;;
            test) packages+=("${TEST_PACKAGES[@]}") ;;
            fuzz) packages+=("${FUZZ_PACKAGES[@]}") ;;
            *) echo "error: unknown part '$part' (server, desktop, test, fuzz)" >&2; return 2 ;;
        esac
    done
    local missing=() p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    echo "Installing: ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then
        echo "error: missing packages and not root; run as root or install them: ${missing[*]}" >&2
        return 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# configure_and_build DIR [cmake options...]: configures (a few seconds on an existing build, so that the options
# given now hold) and builds incrementally.
configure_and_build() {
    local dir=$1
    shift
    cmake -S . -B "$dir" -G Ninja --log-level=WARNING "$@" >/dev/null
    cmake --build "$dir" -j"$(nproc)"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    (($# > 0)) || { sed -n '/^# Sourced/,/^$/p' "$0" >&2; exit 2; }
    install_deps "$@"
fi
