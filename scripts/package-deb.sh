#!/usr/bin/env bash
# Builds the Debian package with the Tauri bundler (release build, icons from icons/) and
# prints its path. Install it with: sudo apt install ./<the printed path>
#
# The design keeps tauri.conf.json at the workspace root, whose Cargo.toml is a virtual
# workspace; the Tauri CLI wants the config beside the app's own Cargo.toml. So the CLI
# runs in src-tauri/ on a copy of the root config with its paths rebased, removed after.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sellerdesk/target}"
npm --prefix ui run build
copy=src-tauri/tauri.conf.json
# The CLI also rewrites the app's Cargo.toml (tauri-build features): keep ours.
cp src-tauri/Cargo.toml "${TMPDIR:-/tmp}/sellerdesk-Cargo.toml.keep"
trap 'rm -f "$copy"; cp "${TMPDIR:-/tmp}/sellerdesk-Cargo.toml.keep" src-tauri/Cargo.toml' EXIT
node -e '
  const fs = require("fs");
  const conf = JSON.parse(fs.readFileSync("tauri.conf.json", "utf8"));
  conf.build.frontendDist = "../" + conf.build.frontendDist;
  conf.bundle.icon = conf.bundle.icon.map((p) => "../" + p);
  fs.writeFileSync(process.argv[1], JSON.stringify(conf, null, 2));
' "$copy"
(cd src-tauri && ../ui/node_modules/.bin/tauri build --bundles deb --ci)
deb=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -n1)
echo "built: $deb ($(du -h "$deb" | cut -f1))"
