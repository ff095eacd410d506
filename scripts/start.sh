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
  # Reuse a live Xvfb on :99; a lock left by a killed one is stale and Xvfb replaces it.
  if ! { [ -e /tmp/.X99-lock ] && kill -0 "$(tr -d ' ' < /tmp/.X99-lock)" 2>/dev/null; }; then
    Xvfb :99 -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do
      [ "$(tr -d ' ' < /tmp/.X99-lock 2>/dev/null)" = "$xvfb_pid" ] && break
      sleep 0.2
    done
    sleep 0.3
  fi
  echo "==> no display: running in Xvfb on :99 (screenshot: import -display :99 -window root shot.png)"
fi
exec "$CARGO_TARGET_DIR/debug/sellerdesk" "$@"
