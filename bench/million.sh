#!/usr/bin/env bash
# bench/million.sh: the 1,000,000-article build, one clean run, time and peak memory.
# Language: bash (plus python3 only to run the shared corpus generator).
#
# Usage:
#   bench/million.sh [--count N] [--workdir DIR] [--output DIR] [--gazette-bin PATH]
#                    [--taxonomies] [--no-search]
#
#   --count N          articles (default 1000000)
#   --workdir DIR      where the corpus is generated and cached; tmpfs so reading it
#                      measures Gazette, not the disk (default /dev/shm/gazette-bench).
#                      The md corpus of a million articles takes about 6.1 GiB there and
#                      about 6 minutes to generate.
#   --output DIR       the site's output; the ordinary disk, since 1.3 million files
#                      (about 10 GiB) would crowd tmpfs (default target/bench-million)
#   --gazette-bin PATH use this binary instead of `cargo build --release`
#   --taxonomies       a corpus with sections, tags and story threads (gen_corpus.py
#                      --taxonomies), so the section, tag, place, story, on-this-day
#                      pages and related stories are at their full size; its output
#                      is over 30 GB (give --output a disk with room for it)
#   --no-search        `search: false` in site.yaml: the build without its search
#                      index (issue 16's million-article figure is for the pages)
#
# Hugo is not run here: at 50,000 articles it already needs 4.1 GiB (bench/run.sh).
# Run it on a quiet machine (no cargo or CI at the same time): the build is I/O bound
# and a concurrent compile inflates both its time and the page cache it competes with.
# It prints Gazette's per-phase times and memory (GAZETTE_TIMINGS=1) and GNU time's
# report; the figure to quote is "Maximum resident set size". The output and the
# build state are deleted afterwards (pass KEEP=1 in the environment to keep them).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The shared benchmark material sits beside the repository (`../shared/bench`).
SHARED_BENCH=${GAZETTE_SHARED_BENCH:-$REPO/../shared/bench}
COUNT=1000000
TAXONOMIES=0
NO_SEARCH=0
WORK=/dev/shm/gazette-bench
OUT="$REPO/target/bench-million/output"
GAZETTE_BIN=

usage() { sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() {
    echo "million: error: $*" >&2
    exit 1
}

while (($#)); do
    case $1 in
        --count) COUNT=${2:?--count needs a value}; shift 2 ;;
        --workdir) WORK=${2:?--workdir needs a value}; shift 2 ;;
        --output) OUT=${2:?--output needs a value}; shift 2 ;;
        --gazette-bin) GAZETTE_BIN=${2:?--gazette-bin needs a value}; shift 2 ;;
        --taxonomies) TAXONOMIES=1; shift ;;
        --no-search) NO_SEARCH=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $COUNT =~ ^[1-9][0-9]*$ ]] || die "--count must be a positive integer, got '$COUNT'"
[[ -x /usr/bin/time ]] || die "GNU time is missing (apt-get install -y time)"

if [[ -z $GAZETTE_BIN ]]; then
    (cd "$REPO" && cargo build --release --quiet)
    GAZETTE_BIN="$REPO/target/release/gazette"
fi

corpus="$WORK/corpus/md-$COUNT"
tax=()
if ((TAXONOMIES)); then corpus+="-tax" tax=(--taxonomies); fi
if [[ ! -d $corpus ]]; then
    mkdir -p "$WORK/corpus"
    echo "million: generating $COUNT articles in $corpus" >&2
    rm -rf "$corpus.partial"
    # bench/gen_corpus_large.py is the shared generator with a tag vocabulary that
    # does not run out above ~257,000 articles (identical corpora below that).
    GAZETTE_SHARED_BENCH="$SHARED_BENCH" /usr/bin/time -f 'million: corpus generated in %e s' \
        python3 "$REPO/bench/gen_corpus_large.py" --count "$COUNT" --out "$corpus.partial" --format md "${tax[@]}"
    mv "$corpus.partial" "$corpus"
fi

# The site: the corpus as its content, the same settings bench/run.sh gives Gazette.
site=$(dirname "$OUT")/site
mkdir -p "$site"
ln -sfn "$corpus" "$site/content"
printf 'title: News Archive\nlanguage: en\nper_page: 20\nbase_url: https://news.example.org/\n' \
    >"$site/site.yaml"
if ((NO_SEARCH)); then echo 'search: false' >>"$site/site.yaml"; fi

state="$(dirname "$OUT")/.$(basename "$OUT").gazette-state"
rm -rf "$OUT" "$state"
sync
echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true

echo "million: building $COUNT articles into $OUT" >&2
GAZETTE_TIMINGS=1 /usr/bin/time -v "$GAZETTE_BIN" build --root "$site" --output "$OUT"
echo "million: output files: $(find "$OUT" -type f | wc -l)" >&2

if [[ ${KEEP:-0} != 1 ]]; then
    rm -rf "$OUT" "$state"
fi
