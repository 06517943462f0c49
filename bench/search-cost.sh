#!/usr/bin/env bash
# bench/search-cost.sh: what search adds to a full `gazette build` (issue 17's target:
# at most 25% more time and 1.5x the peak memory), on a synthetic news archive; with
# --compare indexes, what the discovery indexes add instead (issue 16's: at most 1.3x).
# Language: bash (plus python3 to run the shared corpus generator).
#
# Usage:
#   bench/search-cost.sh [--count N] [--runs R] [--workdir DIR] [--gazette-bin PATH]
#                        [--compare search|indexes]
#
#   --count N          articles (default 10000)
#   --runs R           timed runs each way (default 3); the table shows medians
#   --workdir DIR      scratch space on tmpfs (default /dev/shm/gazette-search-cost)
#   --gazette-bin PATH the binary to time (default: cargo build --release)
#   --compare WHAT     `search` (default): `search: true` against `search: false`;
#                      `indexes`: every discovery index on (the default) against all
#                      off (`indexes:`), search on in both, as a site has it, and a
#                      `base_url` in both (so feeds and sitemaps are made)
#
# One corpus (gen_corpus.py md --taxonomies), two sites sharing it, "on" and "off".
# Runs alternate, each a whole clean build (no output folder, no state) under GNU
# time: wall seconds, CPU seconds, max RSS.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED_BENCH=${GAZETTE_SHARED_BENCH:-$REPO/../shared/bench}
COUNT=10000
RUNS=3
WORK=/dev/shm/gazette-search-cost
GAZETTE=
COMPARE=search

die() {
    echo "bench: error: $*" >&2
    exit 1
}

while (($#)); do
    case $1 in
        --count) COUNT=${2:?--count needs a value}; shift 2 ;;
        --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
        --workdir) WORK=${2:?--workdir needs a value}; shift 2 ;;
        --gazette-bin) GAZETTE=${2:?--gazette-bin needs a value}; shift 2 ;;
        --compare) COMPARE=${2:?--compare needs a value}; shift 2 ;;
        -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
[[ $COMPARE == search || $COMPARE == indexes ]] || die "--compare must be search or indexes, got '$COMPARE'"
[[ -x /usr/bin/time ]] || die "GNU time is needed (apt-get install time)"
if [[ -z $GAZETTE ]]; then
    (cd "$REPO" && cargo build --quiet --release --bin gazette) || die "cargo build failed"
    GAZETTE="$REPO/target/release/gazette"
fi

site="$WORK/site-$COUNT"
if [[ ! -d $site/content ]]; then
    echo "generating $COUNT articles" >&2
    python3 "$SHARED_BENCH/gen_corpus.py" --count "$COUNT" --format md --taxonomies --out "$site/content" >&2
fi
mkdir -p "$site/on" "$site/off"
ln -sfn ../content "$site/on/content"
ln -sfn ../content "$site/off/content"
if [[ $COMPARE == search ]]; then
    printf 'title: Bench\n' >"$site/on/site.yaml"
    printf 'title: Bench\nsearch: false\n' >"$site/off/site.yaml"
else
    # With a base URL, as bench/run.sh has it: the section and tag feeds and the
    # sitemaps are made too.
    printf 'title: Bench\nbase_url: https://news.example.org/\n' >"$site/on/site.yaml"
    cat "$site/on/site.yaml" "$REPO/bench/indexes-off.yaml" >"$site/off/site.yaml"
fi

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
cpu_of() { awk -F': ' '/(User|System) time/ { s += $2 } END { print s }' "$1"; }
rss_of() { awk -F': ' '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$1"; }

declare -A wall cpu rss
for ((run = 1; run <= RUNS; run++)); do
    for mode in on off; do
        out="$WORK/out-$mode"
        rm -rf "$out"
        log="$WORK/time-$mode-$run.txt"
        start=$EPOCHREALTIME
        /usr/bin/time -v "$GAZETTE" build --quiet --root "$site/$mode" --output "$out" 2>"$log" >/dev/null \
            || { cat "$log" >&2; die "build ($mode) failed"; }
        # To the millisecond (GNU time's own wall clock has hundredths).
        wall[$mode]+="$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }') "
        cpu[$mode]+="$(cpu_of "$log") "
        rss[$mode]+="$(rss_of "$log") "
    done
done
if [[ $COMPARE == search ]]; then
    files=$(find "$WORK/out-on/search" -type f | wc -l)
    size=$(du -sm "$WORK/out-on/search" | cut -f1)
    made="index: $files files, $size MB"
else
    made="output on: $(find "$WORK/out-on" -type f | wc -l) files, $(du -sm "$WORK/out-on" | cut -f1) MB;"
    made+=" off: $(find "$WORK/out-off" -type f | wc -l) files, $(du -sm "$WORK/out-off" | cut -f1) MB"
fi
echo "$COUNT articles, $RUNS alternating clean builds each way, medians ($(nproc) cores); $made"
declare -A med
for mode in on off; do
    for what in wall cpu rss; do
        declare -n values=$what
        med[$what-$mode]=$(tr ' ' '\n' <<<"${values[$mode]}" | grep . | median)
    done
done
printf '%-10s %8s %8s %10s\n' "$COMPARE" wall_s cpu_s peak_MiB
for mode in on off; do
    printf '%-10s %8s %8s %10s\n' "$mode" "${med[wall-$mode]}" "${med[cpu-$mode]}" "${med[rss-$mode]}"
done
ratio() { awk -v a="${med[$1-on]}" -v b="${med[$1-off]}" 'BEGIN { printf "%.3f", a / b }'; }
printf '%-10s %8s %8s %10s\n' "on/off" "$(ratio wall)x" "$(ratio cpu)x" "$(ratio rss)x"
