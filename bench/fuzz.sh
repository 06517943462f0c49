#!/usr/bin/env bash
# bench/fuzz.sh: coverage-guided fuzzing of the loader and the Markdown/HTML path.
# Language: bash (with cargo-fuzz, which builds libFuzzer; stable Rust is
# enough with RUSTC_BOOTSTRAP=1, set here).
#
# Usage:
#   bench/fuzz.sh [--seconds N] [--target load|render|all] [--sanitizer none|address]
#
#   --seconds N     time budget per target (default 300)
#   --target T      load (wire copy, YAML/TOML front matter, dates, bylines),
#                   render (Markdown and raw HTML, sanitized and trusted), or all (default)
#   --sanitizer S   none (default: fastest; the crate has no unsafe code) or address
#
# Needs `cargo install cargo-fuzz` and a C++ compiler. The corpus starts from
# the test fixtures' articles and grows in fuzz/corpus/<target>/ (kept between
# runs, not committed). An input that panics, takes over 2 seconds (libFuzzer's
# -timeout: how slow inputs are caught) or needs over 2 GB is saved in
# fuzz/artifacts/<target>/; replay one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>
# (from fuzz/). Not run in CI: `cargo test` runs a fixed set of hostile inputs
# instead (tests/build/limits.rs).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_EACH=300
TARGETS=(load render)
SANITIZER=none
while [[ $# -gt 0 ]]; do
  case $1 in
    --seconds) SECONDS_EACH=$2; shift 2 ;;
    --target) [[ $2 == all ]] || TARGETS=("$2"); shift 2 ;;
    --sanitizer) SANITIZER=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
command -v cargo-fuzz >/dev/null || { echo "needs cargo-fuzz: cargo install cargo-fuzz" >&2; exit 2; }

cd "$REPO/fuzz"
export RUSTC_BOOTSTRAP=1
status=0
for target in "${TARGETS[@]}"; do
  mkdir -p "corpus/$target"
  if [[ -z $(ls -A "corpus/$target") ]]; then
    find "$REPO/tests/fixtures" -path '*content*' \( -name '*.md' -o -name '*.txt' \) -exec cp {} "corpus/$target/" \;
  fi
  echo "== $target: ${SECONDS_EACH}s"
  if ! cargo fuzz run -s "$SANITIZER" "$target" -- -max_total_time="$SECONDS_EACH" -timeout=2 \
      -rss_limit_mb=2048 -max_len=65536 -dict=dict/gazette.dict -print_final_stats=1 2>&1 | tail -n 12; then
    status=1
  fi
  if compgen -G "artifacts/$target/*" >/dev/null; then
    echo "found (fuzz/artifacts/$target/):"; ls "artifacts/$target"; status=1
  fi
done
exit $status
