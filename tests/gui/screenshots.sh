#!/usr/bin/env bash
# Photographs every page of the desktop app in a real X window (Xvfb) into docs/screenshots/, driving the app with a
# fake OpenAI behind it (tests/gui/ScreenshotTour.cpp). Run from the repository root after a build:
#     tests/gui/screenshots.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
export GATEHOUSE_SCREENSHOT_DIR=$PWD/docs/screenshots
mkdir -p "$GATEHOUSE_SCREENSHOT_DIR"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
# A session bus and an unlocked keyring of their own, as in ./test.sh: the app keeps its session there.
HOME=$home QT_QPA_PLATFORM=xcb LANG=en_US.UTF-8 xvfb-run -a -s "-screen 0 1280x800x24 -dpi 96" \
    dbus-run-session -- sh -c '
        eval "$(printf gatehouse | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
        "$1" ScreenshotTour -silent' sh "$build/tests/gui_tests"
ls -1 "$GATEHOUSE_SCREENSHOT_DIR"
