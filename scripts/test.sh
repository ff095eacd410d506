#!/usr/bin/env bash
# Second README command: every check and test — formatting, lints, UI type check and
# unit tests, Rust unit and integration tests against the simulator, and the end-to-end
# tests through the real window (Xvfb + tauri-driver + WebKitWebDriver).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sellerdesk/target}"
export SELLERDESK_E2E_ARTIFACTS="${SELLERDESK_E2E_ARTIFACTS:-$CARGO_TARGET_DIR/e2e-artifacts}"

step() { echo; echo "==> $*"; }

step "UI: type check, unit tests, build"
npm --prefix ui run check
npm --prefix ui test
npm --prefix ui run build

step "Rust: formatting"
cargo fmt --all --check

step "Rust: clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust: build the app for the end-to-end tests"
cargo build -p sellerdesk --locked

step "Rust: unit, integration and end-to-end tests"
cargo test --workspace --locked

echo
echo "screenshots: $SELLERDESK_E2E_ARTIFACTS"
