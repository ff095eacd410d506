#!/usr/bin/env bash
# Installs whatever sellerdesk needs that this Debian/Ubuntu machine lacks: system
# packages (apt, with sudo when not root), tauri-driver, and the UI's npm packages.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Tauri 2 build
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev libsoup-3.0-dev pkg-config
  # a display for the window and end-to-end tests
  xvfb xauth x11-utils webkit2gtk-driver
  # drives the system file dialog in end-to-end tests
  xdotool
  # session bus (notifications, keychain) and the Secret Service keychain
  dbus dbus-x11 gnome-keyring
  # a notification daemon: start.sh runs it on its private display
  dunst
  # invoice tests read the PDFs back with pdftotext/pdfinfo
  poppler-utils
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "==> installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "==> installing the Rust toolchain (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "sellerdesk's UI build needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "Install it from your distribution or nodejs.org, then run this again." >&2
  exit 1
fi

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "==> installing tauri-driver"
  cargo install tauri-driver --locked --version 2.1.0
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> installing UI packages"
  # npm 11 writes no lock entries for optional platform packages the registry here does
  # not serve (rollup's other-OS binaries), then `npm ci` calls its own lock file out of
  # sync (npm/cli#9846). Fall back to `npm install`, which keeps the locked versions.
  if ! npm --prefix ui ci --no-audit --no-fund; then
    echo "==> npm ci refused the lock file; installing with npm install instead"
    npm --prefix ui install --no-audit --no-fund
  fi
fi

# A third-party tus server (tus-node-server) the upload client is tested against.
if [ ! -f tests/tus-interop/node_modules/.package-lock.json ] || [ tests/tus-interop/package-lock.json -nt tests/tus-interop/node_modules/.package-lock.json ]; then
  echo "==> installing the tus interop test server"
  npm --prefix tests/tus-interop ci --no-audit --no-fund
fi
