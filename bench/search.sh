#!/usr/bin/env bash
# bench/search.sh: the search index (issue 17) against Pagefind, on a synthetic news archive.
# Language: bash (plus python3 to run the shared corpus generator and pip for Pagefind).
#
# Usage:
#   bench/search.sh [--count N]... [--runs R] [--workdir DIR]
#
#   --count N       articles in the corpus; repeat for several sizes (default 10000 and 50000)
#   --runs R        timed runs per tool and size (default 3); the table shows medians
#   --workdir DIR   scratch space on tmpfs (default /dev/shm/gazette-search-bench);
#                   corpora and built sites are cached here
#
# For each size: gen_corpus.py (md, --taxonomies) makes the archive; `gazette build`
# makes its site once; then, alternating run by run, each a whole process under GNU
# time with no output folder to start with:
#   - Gazette's index: examples/search_index.rs loads the articles with Gazette's load
#     phase, tokenizes them (terms_of) and builds the index (Index::build), writing it;
#     it reports each step's time, so the index build (tokenize + metadata + build) is
#     compared, as issue 17 asks, with the whole Pagefind run;
#   - Pagefind (PyPI `pagefind-bin`, its CLI) indexing the built site.
# Memory: Gazette's figure is the harness's peak RSS, which includes the loaded articles.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED_BENCH=/work/shared/bench
COUNTS=()
RUNS=3
WORK=/dev/shm/gazette-search-bench

die() {
    echo "bench: error: $*" >&2
    exit 1
}

while (($#)); do
    case $1 in
        --count) COUNTS+=("${2:?--count needs a value}"); shift 2 ;;
        --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
        --workdir) WORK=${2:?--workdir needs a value}; shift 2 ;;
        -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
((${#COUNTS[@]})) || COUNTS=(10000 50000)

command -v python3 >/dev/null || die "python3 is needed for gen_corpus.py"
[[ -x /usr/bin/time ]] || die "GNU time is needed (apt-get install time)"
PAGEFIND=$(python3 -c 'import pagefind_bin; print(pagefind_bin.get_executable())' 2>/dev/null) || {
    echo "installing pagefind-bin with pip" >&2
    python3 -m pip install --quiet pagefind-bin >&2 || die "pip install pagefind-bin failed"
    PAGEFIND=$(python3 -c 'import pagefind_bin; print(pagefind_bin.get_executable())')
}

echo "building gazette and the harness (release)" >&2
(cd "$REPO" && cargo build --quiet --release --bin gazette --example search_index) || die "cargo build failed"
GAZETTE="$REPO/target/release/gazette"
HARNESS="$REPO/target/release/examples/search_index"
mkdir -p "$WORK"

# median of numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# field=value from a line of the harness
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
# GNU time -v figures: wall seconds and max RSS in MiB
wall_of() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$1"; }
# and CPU seconds, user + system (steadier than wall time on a busy machine)
cpu_of() { awk -F': ' '/(User|System) time/ { s += $2 } END { print s }' "$1"; }

printf '%s\n' "Pagefind: $("$PAGEFIND" --version). Outputs on $WORK (tmpfs). $RUNS alternating runs; medians."
for count in "${COUNTS[@]}"; do
    site="$WORK/site-$count"
    if [[ ! -d $site/content ]]; then
        echo "generating $count articles" >&2
        rm -rf "$site"
        python3 "$SHARED_BENCH/gen_corpus.py" --count "$count" --format md --taxonomies --out "$site/content" >&2
    fi
    built="$WORK/built-$count"
    if [[ ! -f $built/index.html ]]; then
        echo "building the site of $count articles" >&2
        rm -rf "$built"
        "$GAZETTE" build --quiet --root "$site" --output "$built" || die "gazette build failed"
    fi
    index=() index_cpu=() gz_wall=() gz_rss=() pf_wall=() pf_cpu=() pf_rss=() line=
    for ((run = 1; run <= RUNS; run++)); do
        rm -rf "$WORK/out-gazette" "$WORK/out-pagefind"
        /usr/bin/time -v -o "$WORK/time-gazette" "$HARNESS" "$site" --out "$WORK/out-gazette" >"$WORK/line" \
            || die "the harness failed"
        line=$(<"$WORK/line")
        index+=("$(awk -v a="$(field "$line" tokenize_s)" -v b="$(field "$line" meta_s)" -v c="$(field "$line" index_s)" 'BEGIN { print a + b + c }')")
        index_cpu+=("$(field "$line" search_cpu_s)")
        gz_wall+=("$(wall_of "$WORK/time-gazette")")
        gz_rss+=("$(rss_of "$WORK/time-gazette")")
        /usr/bin/time -v -o "$WORK/time-pagefind" "$PAGEFIND" --site "$built" --output-path "$WORK/out-pagefind" \
            >/dev/null || die "pagefind failed"
        pf_wall+=("$(wall_of "$WORK/time-pagefind")")
        pf_cpu+=("$(cpu_of "$WORK/time-pagefind")")
        pf_rss+=("$(rss_of "$WORK/time-pagefind")")
    done
    m() { printf '%s\n' "$@" | median; }
    gi=$(m "${index[@]}") gc=$(m "${index_cpu[@]}") gw=$(m "${gz_wall[@]}") gr=$(m "${gz_rss[@]}")
    pw=$(m "${pf_wall[@]}") pc=$(m "${pf_cpu[@]}") pr=$(m "${pf_rss[@]}")
    pf_files=$(find "$WORK/out-pagefind" -type f | wc -l) pf_size=$(du -sm "$WORK/out-pagefind" | cut -f1)
    echo
    echo "== $count articles"
    echo "Gazette index build: ${gi} s (CPU ${gc} s); whole harness ${gw} s, peak ${gr} MiB"
    echo "  $line"
    echo "Pagefind: ${pw} s (CPU ${pc} s), peak ${pr} MiB, ${pf_files} files, ${pf_size} MiB"
    awk -v gi="$gi" -v gc="$gc" -v pw="$pw" -v pc="$pc" -v gr="$gr" -v pr="$pr" \
        'BEGIN { printf "Ratios: Pagefind / Gazette index build: time %.1f x, CPU %.1f x; memory Gazette = 1/%.1f of Pagefind\n", pw / gi, pc / gc, pr / gr }'
done
