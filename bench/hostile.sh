#!/usr/bin/env bash
# bench/hostile.sh: small inputs that once cost far more than their size.
# Language: bash (with python3 to write the inputs, GNU time to measure).
#
# Usage:
#   bench/hostile.sh [--gazette-bin PATH] [--keep DIR]
#
#   --gazette-bin PATH  the binary to run (default: `cargo build --release`'s)
#   --keep DIR          write the generated sites into DIR and keep them
#                       (default: a temporary folder, removed at the end)
#
# Each case is a one-article site (a second article keeps the build going
# where a case is not an error), built once from scratch. For each it
# prints the input size, the wall time, the peak memory, the output size,
# the exit code and the first error line. Every case should finish in
# under 2 s, with an error naming the file, line and limit, or with a
# bounded output. A benchmark, not a test: nothing here passes or fails.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=
KEEP=
while [[ $# -gt 0 ]]; do
  case $1 in
    --gazette-bin) BIN=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
if [[ -z $BIN ]]; then
  cargo build --release --quiet --manifest-path "$REPO/Cargo.toml"
  BIN=${CARGO_TARGET_DIR:-$REPO/target}/release/gazette
fi
if [[ -n $KEEP ]]; then
  WORK=$KEEP
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
fi

python3 - "$WORK" <<'EOF'
import os, sys

work = sys.argv[1]
head = "---\ntitle: Hostile\ndate: 2025-01-01\n---\nA first paragraph.\n\n"

def names(n):
    return ", ".join(f"Writer {i}" for i in range(n))

cases = {
    # The issue's cases.
    "byline-1000": f"---\ntitle: Crowd\ndate: 2025-01-01\nauthor: {names(1000)}\n---\nBody.\n",
    "byline-10000": f"---\ntitle: Crowd\ndate: 2025-01-01\nauthor: {names(10000)}\n---\nBody.\n",
    "yaml-brackets-100k": "---\ntitle: T\ndate: 2025-01-01\nx: " + "[" * 100000 + "]" * 100000 + "\n---\nBody.\n",
    "toml-brackets-100k": "+++\ntitle = 'T'\ndate = 2025-01-01\nx = " + "[" * 100000 + "]" * 100000 + "\n+++\nBody.\n",
    "html-div-600k": head + "<div>" * 120000 + "x\n",
    "html-ul-li-40k": head + "<ul><li>" * 40000 + "x\n",
    # Found since.
    "yaml-maps-60k": "---\ntitle: T\ndate: 2025-01-01\nx: " + "{a: " * 60000 + "}" * 60000 + "\n---\nBody.\n",
    "yaml-dashes-100k": "---\ntitle: T\ndate: 2025-01-01\nx:\n  " + "- " * 100000 + "y\n---\nBody.\n",
    "toml-dotted-100k": "+++\ntitle = 'T'\ndate = 2025-01-01\n" + "a." * 100000 + "b = 1\n+++\nBody.\n",
    "html-reopen-100x75k": head + "<p>" + "".join(f"<b id={i}>" for i in range(100)) + "</p>" + "<p>x</p>" * 75000 + "\n",
    "html-font-per-line-20k": head + "<div>\n" + "<p><font size=2>Text</p>\n" * 20000 + "</div>\n",
    "md-footnotes-1m": head + "[^1]" * 250000 + "\n\n[^1]: A note.\n",
    "md-blockquotes-1m": head + ">" * 1000000 + " x\n",
    "md-link-refs": head + "[a]: http://example.org/" + "x" * 1000 + "\n\n" + "[a]" * 100000 + "\n",
    "md-table-padding": head + "|" + " a |" * 5000 + "\n|" + "---|" * 5000 + "\n" + "x\n" * 50000,
    "front-matter-1mb": "---\ntitle: T\ndate: 2025-01-01\nsummary: " + "word " * 200000 + "\n---\nBody.\n",
}
for name, text in cases.items():
    content = os.path.join(work, name, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(content, "hostile.md"), "w") as f:
        f.write(text)
    with open(os.path.join(content, "plain.md"), "w") as f:
        f.write("---\ntitle: Plain\ndate: 2025-01-02\nauthor: Ann Lee\n---\nA plain story.\n")
EOF

printf '%-24s %9s %8s %9s %9s %4s  %s\n' case input wall peak output exit "first error"
for site in "$WORK"/*/; do
  name=$(basename "$site")
  input=$(du -k "$site/content/hostile.md" | cut -f1)
  code=0
  /usr/bin/time -f '%e %M' -o "$site/time" "$BIN" build --root "$site" --quiet 2>"$site/stderr" || code=$?
  read -r wall peak < <(tail -1 "$site/time")
  output=$(du -sk "$site/output" 2>/dev/null | cut -f1 || echo 0)
  first=$(grep -m1 '^error: ' "$site/stderr" | cut -c8-110 || true)
  printf '%-24s %7sKB %7ss %7sMB %7sKB %4s  %s\n' "$name" "$input" "$wall" $((peak / 1024)) "${output:-0}" "$code" "$first"
done
