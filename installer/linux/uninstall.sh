#!/usr/bin/env bash
# Remove what install.sh installed; the data folder (database, backups, printouts, logs) stays
# unless --purge is given.
#
#   uninstall.sh [--prefix DIR] [--purge]
#
# Without --prefix it removes the system-wide install (run as root).
set -euo pipefail

APP_NAME=ortho-supply-kiosk
UNIT_NAME=$APP_NAME-sync.service
die() { echo "uninstall.sh: $*" >&2; exit 1; }
say() { echo "uninstall.sh: $*"; }

PREFIX="" PURGE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=${2:?--prefix needs a folder}; shift 2 ;;
        --purge) PURGE=1; shift ;;
        -h|--help) sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown option $1 (see --help)." ;;
    esac
done

if [ -n "$PREFIX" ]; then
    [ -d "$PREFIX" ] || die "there is no folder $PREFIX."
    PREFIX=$(cd "$PREFIX" && pwd)
    MANIFEST=$PREFIX/app/install-manifest
else
    [ "$(id -u)" -eq 0 ] || die "removing the system-wide install needs root (sudo); or give --prefix DIR."
    MANIFEST=/opt/$APP_NAME/app/install-manifest
fi
if [ ! -f "$MANIFEST" ]; then
    # Already uninstalled with its data kept: --purge still removes that data.
    if [ -n "$PREFIX" ] && [ "$PURGE" -eq 1 ] && [ -d "$PREFIX/data" ]; then
        rm -rf -- "$PREFIX/data"
        rmdir -- "$PREFIX" 2>/dev/null || true
        say "removed the kept data in $PREFIX/data."
        exit 0
    fi
    die "no kiosk installation found ($MANIFEST is missing)."
fi

KIOSK_USER="" DATA="" FILES=() DIRS=() EMPTY=()
while IFS='=' read -r kind path; do
    case "$kind" in
        user) KIOSK_USER=$path ;;
        data) DATA=$path ;;
        file) FILES+=("$path") ;;
        dir) DIRS+=("$path") ;;
        empty) EMPTY+=("$path") ;;
    esac
done < "$MANIFEST"

# Stop the background sync first, where a user manager runs it (best effort).
if [ -z "$PREFIX" ] && [ -n "$KIOSK_USER" ] && command -v systemctl >/dev/null; then
    runuser -u "$KIOSK_USER" -- systemctl --user disable --now "$UNIT_NAME" >/dev/null 2>&1 || true
fi

for file in "${FILES[@]}"; do rm -f -- "$file"; done
for dir in "${DIRS[@]}"; do rm -rf -- "$dir"; done
for dir in "${EMPTY[@]}"; do rmdir -- "$dir" 2>/dev/null || true; done

if [ "$PURGE" -eq 1 ]; then
    rm -rf -- "$DATA"
    say "removed the kiosk and its data ($DATA)."
else
    say "removed the kiosk; its data is kept in $DATA (uninstall with --purge to remove it)."
fi
if [ -n "$PREFIX" ]; then rmdir -- "$PREFIX" 2>/dev/null || true; fi
