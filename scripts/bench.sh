#!/usr/bin/env bash
# Every benchmark, one command: builds the release app, runs each bench binary (each
# figure the median of at least five runs, with min, max and the ratio to its baseline),
# prints one table and writes it to bench/results.md and bench/results.json with the date
# and the machine. Not part of the test suite (figures, not pass/fail), but a bench that
# fails (an assertion, a missing tool, a build error) fails this script, loudly.
# Usage: bash scripts/bench.sh [bench ...]   (default: all; e.g. `sync scale`)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sellerdesk/target}"

all=(
  "sellerdesk-core sync"
  "sellerdesk-core scale"
  "sellerdesk-core drafts"
  "sellerdesk-core upload"
  "sellerdesk-invoice render"
  "sellerdesk-tests window"
)
benches=()
for b in "${all[@]}"; do
  name="${b#* }"
  if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx "$name"; then benches+=("$b"); fi
done
[ ${#benches[@]} -gt 0 ] || { echo "bench.sh: no bench named $*" >&2; exit 2; }

if printf '%s\n' "${benches[@]}" | grep -q ' upload$'; then
  # tus-node-server and tus-js-client, the upload bench's third-party peer and baseline.
  npm ci --prefix tests/tus-interop --no-audit --no-fund >/dev/null
fi
if printf '%s\n' "${benches[@]}" | grep -q ' window$'; then
  npm --prefix ui run build >/dev/null
  cargo build --release -p sellerdesk
  export SELLERDESK_BIN="$CARGO_TARGET_DIR/release/sellerdesk"
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for b in "${benches[@]}"; do
  read -r pkg name <<<"$b"
  echo "== cargo bench -p $pkg --bench $name" >&2
  # The bench's own lines go to stderr as it runs (through fd 2, not `tee /dev/stderr`,
  # which reopens a redirected log file and overwrites it); its `figure` lines are kept.
  # With pipefail, a failing bench (or cargo) fails the script here.
  cargo bench -q -p "$pkg" --bench "$name" |
    while IFS= read -r line; do
      printf '%s\n' "$line" >&2
      case "$line" in figure$'\t'*) printf '%s\t%s\n' "$name" "${line#figure$'\t'}" ;; esac
    done >>"$out"
  grep -q "^$name"$'\t' "$out" || { echo "bench.sh: $name printed no figure" >&2; exit 1; }
done

date=$(date -u +%Y-%m-%dT%H:%MZ)
cores=$(nproc)
memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)
kernel=$(uname -sr)
os=$(. /etc/os-release && echo "$PRETTY_NAME")
commit=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench' || echo "+changes")

mkdir -p bench
{
  echo "Measured $date on $cores cores, $memory, $os, $kernel (commit $commit)."
  echo "Each figure: median of the runs, with min and max; \"versus\" is the ratio of the"
  echo "medians (below 1× is faster than the baseline for times, slower for rates)."
  echo
  echo "| bench | what | median | min | max | unit | runs | versus |"
  echo "| --- | --- | ---: | ---: | ---: | --- | ---: | --- |"
  while IFS=$'\t' read -r name what median min max unit runs versus; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "${what//|/\\|}" \
      "$median" "$min" "$max" "$unit" "$runs" "$versus"
  done <"$out"
} >bench/results.md
jq -R -s --arg date "$date" --arg cores "$cores" --arg memory "$memory" \
  --arg kernel "$kernel" --arg os "$os" --arg commit "$commit" '
  {date: $date, commit: $commit,
   machine: {nproc: ($cores | tonumber), memory: $memory, kernel: $kernel, os: $os},
   figures: [split("\n")[] | select(length > 0) | split("\t") |
     {bench: .[0], what: .[1], median: (.[2] | tonumber), min: (.[3] | tonumber),
      max: (.[4] | tonumber), unit: .[5], runs: (.[6] | tonumber), versus: .[7]}]}' \
  "$out" >bench/results.json
echo
cat bench/results.md
