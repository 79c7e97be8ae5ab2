#!/usr/bin/env bash
# Photographs every page of the desktop app in a real X window (Xvfb) into docs/screenshots/, driving the app with a
# fake OpenAI behind it (tests/gui/ScreenshotTour.cpp). Run from the repository root after a build:
#     tests/gui/screenshots.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
fc-list :lang=zh | grep -q . || { echo "error: no Chinese font (apt-get install fonts-droid-fallback)" >&2; exit 1; }
# English into docs/screenshots/, Simplified Chinese into docs/screenshots/zh_CN/.
for language in en zh_CN; do
    out=$PWD/docs/screenshots
    [[ $language == en ]] || out=$out/$language
    mkdir -p "$out"
    home=$(mktemp -d)
    # A session bus and an unlocked keyring of their own, as in ./test.sh: the app keeps its session there.
    HOME=$home QT_QPA_PLATFORM=xcb LANG=en_US.UTF-8 GATEHOUSE_SCREENSHOT_DIR=$out GATEHOUSE_SCREENSHOT_LANGUAGE=$language \
        xvfb-run -a -s "-screen 0 1280x800x24 -dpi 96" dbus-run-session -- sh -c '
            eval "$(printf gatehouse | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
            "$1" ScreenshotTour -silent' sh "$build/tests/gui_tests"
    rm -rf "$home"
    ls -1 "$out"
done
