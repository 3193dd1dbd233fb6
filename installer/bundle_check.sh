#!/usr/bin/env bash
# Smoke-test a PyInstaller one-folder build on a throwaway kiosk (`make bundle` runs it):
# init, load the demo clinic (package data), print a label (fonts, barcodes), run `doctor`,
# and start the windowed UI offscreen for a few seconds. Nothing of the user's kiosk is touched.
set -euo pipefail
BUNDLE=${1:?usage: bundle_check.sh DIST_FOLDER}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" \
       XDG_STATE_HOME="$WORK/state" KIOSK_LOG_DIR="$WORK/log" QT_QPA_PLATFORM=offscreen
KIOSK=("$BUNDLE/kiosk" --config "$WORK/config.toml")

"${KIOSK[@]}" init --clinic-id 64b000000000000000000001 --workstation-id bundle-check \
    --data-dir "$WORK/kiosk-data"
"${KIOSK[@]}" demo-seed
"${KIOSK[@]}" label --lot B25E392 -o "$WORK/label.pdf" >/dev/null
test -s "$WORK/label.pdf"
"${KIOSK[@]}" doctor
# The UI must still be running after a few seconds: Qt and its offscreen plugin are bundled.
status=0
timeout 8 "$BUNDLE/kiosk-ui" run --demo --windowed || status=$?
if [ "$status" -ne 124 ]; then
    echo "bundle_check: the bundled UI exited with $status instead of running" >&2
    cat "$KIOSK_LOG_DIR"/kiosk-ui.log >&2 || true
    exit 1
fi
echo "bundle_check: $BUNDLE works ($(du -sh "$BUNDLE" | cut -f1))"
