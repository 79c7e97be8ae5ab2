# Sourced by run.sh and test.sh: installs the Debian packages Gatehouse needs, only those missing.
# Usage: install_deps run|test

BUILD_PACKAGES=(cmake ninja-build g++ pkg-config qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev
    qt6-tools-dev qt6-l10n-tools qt6-tools-dev-tools libqt6sql6-sqlite libqt6sql6-psql qtkeychain-qt6-dev
    libhiredis-dev libssl-dev libsqlite3-dev node-llhttp)
TEST_PACKAGES=(redis-server postgresql xvfb xauth dbus dbus-x11 gnome-keyring curl nginx wrk openssl)

install_deps() {
    local packages=("${BUILD_PACKAGES[@]}")
    [[ "${1:-run}" == test ]] && packages+=("${TEST_PACKAGES[@]}")
    local missing=()
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

# configure_and_build DIR [cmake options...]
configure_and_build() {
    local dir=$1
    shift
    [[ -f "$dir/build.ninja" ]] || cmake -S . -B "$dir" -G Ninja "$@"
    cmake --build "$dir" -j2
}
