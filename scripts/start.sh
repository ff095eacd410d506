#!/usr/bin/env bash
# First README command: install what is missing, build, and start sellerdesk on the
# embedded demo marketplace. With no display (a server, CI), it starts a private Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sellerdesk/target}"

npm --prefix ui run build
cargo build -p sellerdesk

app="$CARGO_TARGET_DIR/debug/sellerdesk"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  n="${SELLERDESK_XVFB_DISPLAY:-99}"
  # Exported before anything below starts: dunst needs it (one started without it crashes).
  export DISPLAY=":$n"
  # Reuse a live Xvfb on :N; a lock left by a killed one is stale and Xvfb replaces it.
  if ! { [ -e "/tmp/.X$n-lock" ] && kill -0 "$(tr -d ' ' < "/tmp/.X$n-lock")" 2>/dev/null; }; then
    Xvfb "$DISPLAY" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do
      [ "$(tr -d ' ' < "/tmp/.X$n-lock" 2>/dev/null)" = "$xvfb_pid" ] && break
      sleep 0.2
    done
    sleep 0.3
  fi
  echo "==> no display: running in Xvfb on $DISPLAY (screenshot: import -display $DISPLAY -window root shot.png)"
  # A private display has no desktop session: give the app a session bus of its own and a
  # notification daemon on it, so its notifications (with their buttons) really show.
  # Both end with the app: the bus when dbus-run-session's child exits, dunst with the bus.
  if command -v dbus-run-session >/dev/null && command -v dunst >/dev/null; then
    echo "==> a session bus and a notification daemon (dunst) for $DISPLAY"
    exec dbus-run-session -- bash -c 'dunst >/dev/null 2>&1 & exec "$0" "$@"' "$app" "$@"
  fi
  echo "==> dbus-run-session or dunst missing (scripts/install.sh installs them): alerts show in the window only"
fi
exec "$app" "$@"
