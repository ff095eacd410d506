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

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export DISPLAY=:99
  if [ ! -e /tmp/.X11-unix/X99 ]; then
    Xvfb :99 -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
    sleep 1
  fi
  echo "==> no display: running in Xvfb on :99 (screenshot: import -display :99 -window root shot.png)"
fi
exec "$CARGO_TARGET_DIR/debug/sellerdesk" "$@"
