#!/usr/bin/env bash
# Every benchmark, one command: builds the release app, runs each bench binary and prints
# their figures as one table. Not part of the test suite (figures, not pass/fail).
# Usage: bash scripts/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sellerdesk/target}"
npm --prefix ui run build >/dev/null
cargo build --release -p sellerdesk
export SELLERDESK_BIN="$CARGO_TARGET_DIR/release/sellerdesk"

benches=(
  "sellerdesk-core sync"
  "sellerdesk-core drafts"
  "sellerdesk-core upload"
  "sellerdesk-invoice render"
  "sellerdesk-tests window"
)

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for b in "${benches[@]}"; do
  read -r pkg name <<<"$b"
  echo "== cargo bench -p $pkg --bench $name" >&2
  cargo bench -q -p "$pkg" --bench "$name" 2>/dev/null | sed "s/^/$name\t/" | tee -a "$out" >&2
done

echo
echo "| bench | figure |"
echo "| --- | --- |"
while IFS=$'\t' read -r name line; do
  line="${line#"${line%%[![:space:]]*}"}"
  [ -n "$line" ] && printf '| %s | %s |\n' "$name" "${line//|/\\|}"
done <"$out"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), $(date -u +%Y-%m-%d)"
