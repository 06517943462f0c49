#!/usr/bin/env bash
# bench/search-browser.sh: search in the browser (issue 17): time to the first results and
# bytes a query downloads, in headless Chromium, from file:// and over HTTP.
# Language: bash (plus python3 for the shared corpus generator, Node for the measurement).
#
# Usage:
#   bench/search-browser.sh [--count N] [--workdir DIR] [--gazette-bin PATH] [-- ARGS...]
#
#   --count N          articles in the archive (default 50000)
#   --workdir DIR      scratch space on tmpfs (default /dev/shm/gazette-browser-bench):
#                      corpora, sites and outputs are kept here between runs (the 50,000
#                      article output is about 1.5 GB)
#   --gazette-bin PATH use this binary instead of `cargo build --release`
#   -- ARGS...         passed to bench/search-browser.mjs (--queries N, --common N,
#                      --transport file|http|file,http, --details, --json FILE; see
#                      `node bench/search-browser.mjs --help`)
#
# The archive is gen_corpus.py's (md, --taxonomies: sections, tags, places, bylines, so
# every filter of the search page has values), built with the settings of bench/run.sh
# (20 a page, a base URL) and search on. The corpus is made once and kept; the site is
# built on every run (an unchanged site rebuilds in a few seconds), so the output always
# comes from the binary being measured. Then bench/search-browser.mjs measures: see its
# header for what "first query", "next query", "index KB" and "transfer" are.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The shared benchmark material sits beside the repository (`../shared/bench`);
# GAZETTE_SHARED_BENCH points elsewhere.
SHARED_BENCH=${GAZETTE_SHARED_BENCH:-$REPO/../shared/bench}

COUNT=50000
WORK=/dev/shm/gazette-browser-bench
GAZETTE_BIN=
PASS=()
ARGS=("$@")

die() {
    echo "bench: error: $*" >&2
    exit 1
}

while (($#)); do
    case $1 in
        --count) COUNT=${2:?--count needs a value}; shift 2 ;;
        --workdir) WORK=${2:?--workdir needs a value}; shift 2 ;;
        --gazette-bin) GAZETTE_BIN=${2:?--gazette-bin needs a value}; shift 2 ;;
        --) shift; PASS=("$@"); break ;;
        -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
[[ $COUNT =~ ^[1-9][0-9]*$ ]] || die "--count must be a positive integer, got '$COUNT'"

command -v node >/dev/null || die "node (20 or later) is needed"
command -v python3 >/dev/null || die "python3 is needed for gen_corpus.py"
[[ -x ${GAZETTE_CHROMIUM:-/usr/bin/chromium} ]] ||
    die "no Chromium at ${GAZETTE_CHROMIUM:-/usr/bin/chromium} (apt-get install chromium, or set GAZETTE_CHROMIUM)"

# playwright-core, as the browser tests install it (tests/e2e/package-lock.json).
if [[ ! -e $REPO/tests/e2e/node_modules/playwright-core/package.json ]]; then
    echo "bench: npm ci in tests/e2e (playwright-core)" >&2
    (cd "$REPO/tests/e2e" && npm ci --no-audit --no-fund >&2) || die "npm ci in tests/e2e failed"
fi

if [[ -z $GAZETTE_BIN ]]; then
    echo "bench: cargo build --release in $REPO" >&2
    (cd "$REPO" && cargo build --quiet --release --bin gazette) || die "cargo build --release failed"
    GAZETTE_BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/gazette"
fi
[[ -x $GAZETTE_BIN ]] || die "no Gazette binary at $GAZETTE_BIN"

mkdir -p "$WORK/corpus" "$WORK/sites" "$WORK/out"
WORK=$(realpath "$WORK")
[[ $(stat -f -c %T "$WORK") == tmpfs ]] || echo "bench: warning: $WORK is not tmpfs" >&2

# The corpus, generated once under a temporary name (an interrupted run leaves no half corpus).
CORPUS="$WORK/corpus/md-$COUNT-tax"
if [[ ! -d $CORPUS ]]; then
    rm -rf "$CORPUS.partial"
    echo "bench: generating $COUNT articles" >&2
    python3 "$SHARED_BENCH/gen_corpus.py" --count "$COUNT" --out "$CORPUS.partial" --format md --taxonomies >&2 ||
        die "gen_corpus.py failed"
    mv "$CORPUS.partial" "$CORPUS"
fi

SITE="$WORK/sites/md-$COUNT-tax"
OUT="$WORK/out/md-$COUNT-tax"
mkdir -p "$SITE"
ln -sfn "$CORPUS" "$SITE/content"
printf '%s\n' 'title: News Archive' 'language: en' 'per_page: 20' 'base_url: https://news.example.org/' >"$SITE/site.yaml"
echo "bench: gazette build ($COUNT articles) into $OUT" >&2
"$GAZETTE_BIN" build --root "$SITE" --output "$OUT" --quiet || die "gazette build failed"

echo "bench: Gazette $("$GAZETTE_BIN" --version 2>/dev/null || echo '?') at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')" >&2
GAZETTE_BENCH_COMMAND=$(printf '%q ' "bench/search-browser.sh" "${ARGS[@]}")
export GAZETTE_BENCH_COMMAND=${GAZETTE_BENCH_COMMAND% }
exec node "$REPO/bench/search-browser.mjs" --site "$OUT" "${PASS[@]}"
