#!/usr/bin/env bash
# Installs what is missing, builds gatehoused and the desktop app, and starts gatehoused in the foreground on its
# defaults (data under ./data/). Extra arguments go to gatehoused, e.g. ./run.sh --proxy-port 8081
# The desktop app is then in the same build: build/gui/gatehouse
set -euo pipefail
cd "$(dirname "$0")"
source installer/deps.sh
install_deps server desktop
configure_and_build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
exec build/headless/gatehoused --data-dir ./data "$@"
