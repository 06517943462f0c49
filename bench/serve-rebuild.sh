#!/usr/bin/env bash
# bench/serve-rebuild.sh: how fast `gazette serve` shows an edited article.
# Language: bash (with curl).
#
# Usage:
#   bench/serve-rebuild.sh [--site DIR] [--edits N] [--gazette-bin PATH]
#
#   --site DIR          the site to preview (default: this repository's example site).
#                       It is edited in place (a sentence appended to articles, then
#                       restored), and gets a .gazette/ folder: use a scratch copy of
#                       a large archive, on tmpfs, to measure the tool, not the disk.
#   --edits N           edits to time (default 5), each to a different article
#   --gazette-bin PATH  the binary to run (default: `cargo build --release`'s)
#
# For each edit it reports the server's own "Rebuilt in" time and the wall time from
# the save to the first HTTP response that serves the new text (what a writer waits
# for; it includes the 150 ms debounce). Medians at the end. A benchmark, not a test:
# nothing here passes or fails.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SITE=$REPO
EDITS=5
BIN=
while [[ $# -gt 0 ]]; do
  case $1 in
    --site) SITE=$2; shift 2 ;;
    --edits) EDITS=$2; shift 2 ;;
    --gazette-bin) BIN=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
if [[ -z $BIN ]]; then
  cargo build --release --quiet --manifest-path "$REPO/Cargo.toml"
  BIN=${CARGO_TARGET_DIR:-$REPO/target}/release/gazette
fi

LOG=$(mktemp)
BACKUP=$(mktemp -d)
"$BIN" serve --root "$SITE" --port 0 2>"$LOG" &
PID=$!
RESTORE=()
cleanup() {
  kill -INT "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  for i in "${!RESTORE[@]}"; do cp -p "$BACKUP/$i" "${RESTORE[$i]}"; done
  rm -rf "$LOG" "$BACKUP"
}
trap cleanup EXIT

until grep -q "Serving " "$LOG"; do
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
grep "^Built" "$LOG"
URL=$(grep -o 'http://[^ ]*' "$LOG" | head -1)

# N articles spread over the archive.
mapfile -t ALL < <(find "$SITE/content" -name '*.md' | sort)
ARTICLES=()
for ((i = 0; i < EDITS && i < ${#ALL[@]}; i++)); do ARTICLES+=("${ALL[i * ${#ALL[@]} / EDITS]}"); done
REBUILDS=() WALLS=()
for article in "${ARTICLES[@]}"; do
  cp -p "$article" "$BACKUP/${#RESTORE[@]}"
  RESTORE+=("$article")
  # First an untimed edit, to find the article's page (its URL is not known
  # from the file name).
  marker="serve-bench-$RANDOM$RANDOM"
  lines=$(grep -c "^Rebuilt in" "$LOG" || true)
  printf '\n%s\n' "$marker" >>"$article"
  until [[ $(grep -c "^Rebuilt in" "$LOG" || true) -gt $lines ]]; do sleep 0.005; done
  page=$(grep -rl --include=index.html "$marker" "$SITE/.gazette/serve" | head -1)
  rel=${page#"$SITE/.gazette/serve/"}
  # Then the timed one: from the save to the page served with the new text.
  marker="serve-bench-$RANDOM$RANDOM"
  lines=$(grep -c "^Rebuilt in" "$LOG" || true)
  start=$(date +%s%N)
  printf '%s\n' "$marker" >>"$article"
  until curl -sf "$URL${rel%index.html}" | grep -q "$marker"; do sleep 0.005; done
  end=$(date +%s%N)
  until [[ $(grep -c "^Rebuilt in" "$LOG" || true) -gt $lines ]]; do sleep 0.005; done
  rebuilt=$(grep "^Rebuilt in" "$LOG" | tail -1)
  echo "$rebuilt | save → page served: $(((end - start) / 1000000)) ms"
  REBUILDS+=("$(sed -E 's/^Rebuilt in ([0-9.]+)(ms|s).*/\1 \2/' <<<"$rebuilt" | awk '{print ($2 == "s") ? $1 * 1000 : $1}')")
  WALLS+=("$(((end - start) / 1000000))")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo "median rebuild: $(median "${REBUILDS[@]}") ms; median save → page served: $(median "${WALLS[@]}") ms (over ${#WALLS[@]} edits)"
