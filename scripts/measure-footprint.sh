#!/usr/bin/env bash
# Measures the running app's memory with the demo data: RSS and PSS of the main process
# and its WebKit children (from /proc/<pid>/smaps_rollup), after it has synced.
# Usage: bash scripts/measure-footprint.sh [path/to/sellerdesk] [seconds to settle]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$HOME/.cache/sellerdesk/target}"
bin="${1:-$target/debug/sellerdesk}"
settle="${2:-15}"
data=$(mktemp -d)
display=":97"
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null; rm -rf "$data"' EXIT
sleep 1
DISPLAY="$display" SELLERDESK_DATA_DIR="$data" "$bin" >/dev/null 2>&1 &
app=$!
sleep "$settle"

descendants() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do descendants "$c"; done; }
total_rss=0; total_pss=0
printf '%-8s %-28s %10s %10s\n' PID PROCESS RSS_KiB PSS_KiB
for pid in $(descendants "$app"); do
  [ -r "/proc/$pid/smaps_rollup" ] || continue
  rss=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
  name=$(tr -d '\0' < "/proc/$pid/comm")
  printf '%-8s %-28s %10s %10s\n' "$pid" "$name" "$rss" "$pss"
  total_rss=$((total_rss + rss)); total_pss=$((total_pss + pss))
done
printf '%-37s %10s %10s\n' "TOTAL (KiB)" "$total_rss" "$total_pss"
printf 'TOTAL: RSS %d MiB, PSS %d MiB; binary %s: %d MiB\n' $((total_rss / 1024)) $((total_pss / 1024)) "$bin" $(( $(stat -c %s "$bin") / 1048576 ))
