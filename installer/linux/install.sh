#!/usr/bin/env bash
# Install (or upgrade) the Ortho Supply Kiosk on one Linux workstation. See installer/README.md.
#
#   install.sh [--prefix DIR] --clinic-id ID --workstation-id NAME
#              (--mongo-uri-file FILE | --local-only) [--wheel FILE] [--python PYTHON]
#              [--timezone ZONE] [--user USER]
#   install.sh [--prefix DIR] --upgrade [--wheel FILE]      keep the config, new program only
#
# Without --prefix: a system-wide install (run as root) for the account given by --user (default:
# the one that ran sudo): program in /opt, config in /etc, data in /var/lib, and the autostart
# entry and sync unit in that account's ~/.config. With --prefix DIR every file this script
# writes stays under DIR. The server URI holds a password: it is read from a file or a hidden
# prompt, handed to `kiosk init` on standard input, and never put on a command line, echoed or
# logged. Missing options are asked for on a terminal; with every option given nothing is asked.
set -euo pipefail
umask 077

APP_NAME=ortho-supply-kiosk
UNIT_NAME=$APP_NAME-sync.service
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }
usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit "${1:-0}"; }

PREFIX="" CLINIC_ID="" WORKSTATION_ID="" URI_FILE="" LOCAL_ONLY=0 WHEEL="" PYTHON=python3
TIMEZONE="" KIOSK_USER="" UPGRADE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) PREFIX=${2:?--prefix needs a folder}; shift 2 ;;
        --clinic-id) CLINIC_ID=${2:?--clinic-id needs a value}; shift 2 ;;
        --workstation-id) WORKSTATION_ID=${2:?--workstation-id needs a value}; shift 2 ;;
        --mongo-uri-file) URI_FILE=${2:?--mongo-uri-file needs a file}; shift 2 ;;
        --local-only) LOCAL_ONLY=1; shift ;;
        --wheel) WHEEL=${2:?--wheel needs a file}; shift 2 ;;
        --python) PYTHON=${2:?--python needs a program}; shift 2 ;;
        --timezone) TIMEZONE=${2:?--timezone needs a zone such as America/Chicago}; shift 2 ;;
        --user) KIOSK_USER=${2:?--user needs an account name}; shift 2 ;;
        --upgrade) UPGRADE=1; shift ;;
        -h|--help) usage 0 ;;
        *) echo "install.sh: unknown option $1" >&2; usage 2 ;;
    esac
done

# --- where everything goes -------------------------------------------------------------------
if [ -n "$PREFIX" ]; then
    mkdir -p "$PREFIX"
    PREFIX=$(cd "$PREFIX" && pwd)
    SYSTEM=0
    KIOSK_USER=$(id -un)
    APP=$PREFIX/app BIN_DIR=$PREFIX/bin CONF_DIR=$PREFIX/etc/$APP_NAME DATA=$PREFIX/data
    AUTOSTART_DIR=$PREFIX/etc/xdg/autostart UNIT_DIR=$PREFIX/lib/systemd/user
    LOG_DIR=$DATA/logs
else
    [ "$(id -u)" -eq 0 ] || die "a system-wide install needs root (sudo); or give --prefix DIR."
    SYSTEM=1
    KIOSK_USER=${KIOSK_USER:-${SUDO_USER:-}}
    if [ -z "$KIOSK_USER" ] || [ "$KIOSK_USER" = root ]; then
        die "name the account that runs the kiosk with --user NAME (not root)."
    fi
    HOME_DIR=$(getent passwd "$KIOSK_USER" | cut -d: -f6) || die "there is no account $KIOSK_USER."
    APP=/opt/$APP_NAME/app BIN_DIR=/opt/$APP_NAME/bin CONF_DIR=/etc/$APP_NAME
    DATA=/var/lib/$APP_NAME LOG_DIR=""
    AUTOSTART_DIR=$HOME_DIR/.config/autostart UNIT_DIR=$HOME_DIR/.config/systemd/user
fi
CONFIG=$CONF_DIR/config.toml
KIOSK=$BIN_DIR/kiosk
MANIFEST=$APP/install-manifest

as_kiosk_user() {
    if [ "$SYSTEM" -eq 1 ]; then runuser -u "$KIOSK_USER" -- "$@"; else "$@"; fi
}

# --- what to install ---------------------------------------------------------------------------
if [ -z "$WHEEL" ]; then
    # shellcheck disable=SC2012  # wheel names are plain; newest first
    WHEEL=$(ls -t "$REPO"/dist/ortho_supply_kiosk-*.whl 2>/dev/null | head -n 1 || true)
    [ -n "$WHEEL" ] || die "no wheel in $REPO/dist; run \`make wheel\` there or give --wheel FILE."
fi
[ -f "$WHEEL" ] || die "there is no wheel at $WHEEL."
command -v "$PYTHON" >/dev/null || die "$PYTHON is not installed; install Python 3.11 or newer."
"$PYTHON" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
    || die "$PYTHON is older than 3.11 or lacks venv (Debian/Ubuntu: apt install python3-venv)."

if [ "$UPGRADE" -eq 1 ]; then
    if [ ! -f "$CONFIG" ] || [ ! -x "$APP/bin/python" ]; then
        die "nothing to upgrade at $APP; install first."
    fi
else
    ask() {  # ask VAR "question": only on a terminal; otherwise the option is required
        [ -t 0 ] || die "$3 is required when standard input is not a terminal."
        read -r -p "$2: " "$1"
    }
    [ -n "$CLINIC_ID" ] || ask CLINIC_ID "Clinic id (24 hex characters)" --clinic-id
    [ -n "$WORKSTATION_ID" ] || ask WORKSTATION_ID "Workstation name (e.g. chair-3)" --workstation-id
    [[ "$CLINIC_ID" =~ ^[0-9a-fA-F]{24}$ ]] || die "the clinic id must be 24 hex characters."
    [[ "$WORKSTATION_ID" =~ ^[^[:cntrl:]]{1,64}$ ]] || die "the workstation name must be 1 to 64 characters."
    if [ -n "$URI_FILE" ]; then
        [ -r "$URI_FILE" ] || die "cannot read the server URI file $URI_FILE."
    elif [ "$LOCAL_ONLY" -eq 0 ]; then
        # Hidden prompt on a terminal; from a pipe the first line of standard input. The URI
        # lives only in this variable until `kiosk init` reads it from its standard input.
        if [ -t 0 ]; then
            read -r -s -p "Central server URI (hidden; empty for a local-only kiosk): " MONGO_URI
            echo
        else
            IFS= read -r MONGO_URI || true
        fi
        [ -n "$MONGO_URI" ] || LOCAL_ONLY=1
    fi
fi

# --- the program: its own virtual environment ----------------------------------------------------
mkdir -p "$BIN_DIR" "$(dirname "$APP")"
if [ -x "$APP/bin/python" ]; then
    say "upgrading the program in $APP"
else
    say "creating $APP"
    "$PYTHON" -m venv "$APP"
fi
"$APP/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "$WHEEL" \
    || die "pip could not install $WHEEL (see above); nothing else was changed."
chmod -R go+rX "$APP"  # the program is readable by all, its config and data are not
if [ "$SYSTEM" -eq 1 ]; then chmod 755 "$(dirname "$APP")"; fi  # made under umask 077

LOG_LINE="# logs: the platform's user log folder"
if [ -n "$LOG_DIR" ]; then
    LOG_LINE="KIOSK_LOG_DIR=\"\${KIOSK_LOG_DIR:-$LOG_DIR}\"; export KIOSK_LOG_DIR"
fi
cat > "$KIOSK" <<EOF
#!/bin/sh
# Written by install.sh: the kiosk with this installation's config (and log folder).
KIOSK_CONFIG="\${KIOSK_CONFIG:-$CONFIG}"; export KIOSK_CONFIG
$LOG_LINE
exec "$APP/bin/kiosk" "\$@"
EOF
chmod 755 "$KIOSK"
chmod 755 "$BIN_DIR"

# --- config and data, owner-only -------------------------------------------------------------------
if [ "$UPGRADE" -eq 0 ]; then
    mkdir -p "$CONF_DIR" "$DATA"
    if [ "$SYSTEM" -eq 1 ]; then chown "$KIOSK_USER": "$CONF_DIR" "$DATA"; fi
    chmod 700 "$CONF_DIR" "$DATA"
    init=("$KIOSK" init --clinic-id "$CLINIC_ID" --workstation-id "$WORKSTATION_ID"
          --data-dir "$DATA" ${TIMEZONE:+--timezone "$TIMEZONE"})
    if [ -n "$URI_FILE" ]; then
        as_kiosk_user "${init[@]}" --mongo-uri-file - < "$URI_FILE"
    elif [ "$LOCAL_ONLY" -eq 0 ]; then
        printf '%s\n' "$MONGO_URI" | as_kiosk_user "${init[@]}" --mongo-uri-file -
        unset MONGO_URI
    else
        as_kiosk_user "${init[@]}"
    fi
    chmod 600 "$CONFIG"
fi
if [ "$UPGRADE" -eq 1 ]; then
    as_kiosk_user "$KIOSK" migrate  # backs the database up first; a failure restores it
fi
CENTRAL=0
grep -Eq '^mongo_uri = ".+"' "$CONFIG" && CENTRAL=1

# --- start at login: the kiosk full-screen, and the background sync -------------------------------
mkdir -p "$AUTOSTART_DIR"
cat > "$AUTOSTART_DIR/$APP_NAME.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=Ortho Supply Kiosk
Comment=Chairside supply kiosk, full screen
Exec="$KIOSK" run
Terminal=false
X-GNOME-Autostart-enabled=true
X-GNOME-Autostart-Delay=5
EOF
chmod 644 "$AUTOSTART_DIR/$APP_NAME.desktop"
UNIT_WANTS=$UNIT_DIR/default.target.wants
if [ "$CENTRAL" -eq 1 ]; then
    mkdir -p "$UNIT_WANTS"
    cat > "$UNIT_DIR/$UNIT_NAME" <<EOF
[Unit]
Description=Ortho Supply Kiosk background sync with the central server
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart="$KIOSK" sync
Restart=on-failure
RestartSec=30

[Install]
WantedBy=default.target
EOF
    chmod 644 "$UNIT_DIR/$UNIT_NAME"
    ln -sfn "../$UNIT_NAME" "$UNIT_WANTS/$UNIT_NAME"  # what `systemctl --user enable` makes
else
    rm -f "$UNIT_DIR/$UNIT_NAME" "$UNIT_WANTS/$UNIT_NAME"
fi
if [ "$SYSTEM" -eq 1 ]; then
    for made in "$AUTOSTART_DIR" "$UNIT_DIR"; do
        chown -R "$KIOSK_USER": "$made"
    done
fi

# What uninstall.sh removes (the data folder is listed apart: it is kept unless --purge).
{
    echo "user=$KIOSK_USER"
    echo "data=$DATA"
    echo "file=$KIOSK"
    echo "file=$CONFIG"
    echo "file=$AUTOSTART_DIR/$APP_NAME.desktop"
    if [ "$CENTRAL" -eq 1 ]; then
        echo "file=$UNIT_WANTS/$UNIT_NAME"
        echo "file=$UNIT_DIR/$UNIT_NAME"
    fi
    echo "dir=$APP"
    for dir in "$CONF_DIR" "$BIN_DIR" "$UNIT_WANTS" "$UNIT_DIR" "$AUTOSTART_DIR"; do
        echo "empty=$dir"
    done
    if [ -n "$PREFIX" ]; then
        for dir in "$PREFIX/lib/systemd" "$PREFIX/lib" "$PREFIX/etc/xdg" "$PREFIX/etc"; do
            echo "empty=$dir"
        done
    else
        echo "empty=/opt/$APP_NAME"
    fi
} > "$MANIFEST"

say "installed $("$APP/bin/python" -c 'from importlib.metadata import version; print(version("ortho-supply-kiosk"))') for $KIOSK_USER; checking it:"
status=0
as_kiosk_user "$KIOSK" doctor || status=$?
if [ -n "$PREFIX" ]; then
    say "the autostart entry and sync unit are in $PREFIX/etc/xdg/autostart and $UNIT_DIR;"
    say "to use them for this account: ln -s \"$AUTOSTART_DIR/$APP_NAME.desktop\" ~/.config/autostart/"
    if [ "$CENTRAL" -eq 1 ]; then
        say "and: systemctl --user link \"$UNIT_DIR/$UNIT_NAME\" && systemctl --user enable --now $UNIT_NAME"
    fi
fi
[ "$status" -eq 0 ] || die "installed, but \`kiosk doctor\` found problems (above): fix them and run \`$KIOSK doctor\`."
say "done: the kiosk starts full-screen at $KIOSK_USER's next login."
