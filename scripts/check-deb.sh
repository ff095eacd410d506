#!/usr/bin/env bash
# Installs the .deb built by scripts/package-deb.sh on this machine and proves the
# installed /usr/bin/sellerdesk starts in demo mode: the end-to-end test that lists the
# demo orders with live countdowns runs against it under Xvfb.
# Usage: bash scripts/check-deb.sh [path/to/sellerdesk_x.y.z_amd64.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sellerdesk/target}"
deb="${1:-$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -n1)}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get install -y -qq --no-install-recommends "$(realpath "$deb")"
dpkg-query -W -f='installed: ${Package} ${Version}\n' sellerdesk
test -x /usr/bin/sellerdesk
test -f /usr/share/applications/sellerdesk.desktop
SELLERDESK_BIN=/usr/bin/sellerdesk cargo test -p sellerdesk-tests --test e2e_window \
  demo_orders_show_with_live_countdowns -- --exact
