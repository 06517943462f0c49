#!/usr/bin/env bash
# bench/refile-ab.sh: two Gazette binaries on the same refiling edits, alternating.
# Language: bash (plus python3 only to run the shared corpus generator).
#
# Usage:
#   bench/refile-ab.sh --old PATH --new PATH [--count N] [--runs R] [--first K]
#
#   --old, --new   the two binaries (e.g. a copy of an earlier target/release/gazette)
#   --count N      articles, with taxonomies (default 50000)
#   --runs R       edits (default 16: four of each kind)
#   --first K      number of the first edit (default 1): which articles are edited and
#                  how (the site is a fresh copy of the corpus every time)
#   --workdir DIR  corpus cache, shared with run.sh (default /dev/shm/gazette-bench)
#
# A private copy of the corpus gets one edit per run (bench/edit-filing.sh: a retag, a
# section move, a new dateline, a new story thread in turn, spread over the archive).
# After each edit both binaries build it incrementally, each into its own output on the
# ordinary disk (target/refile-ab-old, -new), the one that goes first alternating every
# four runs so that each kind of edit is built first by each binary: the first build after
# an edit pays for it (about 0.1–0.2 s here). Prints one line per build (wall seconds,
# files written) and the lower median of each kind per binary.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED_BENCH=${GAZETTE_SHARED_BENCH:-$REPO/../shared/bench}
COUNT=50000 RUNS=16 FIRST=1 WORK=/dev/shm/gazette-bench OLD= NEW=
die() {
    echo "refile-ab: error: $*" >&2
    exit 1
}
while (($#)); do
    case $1 in
        --old) OLD=${2:?}; shift 2 ;;
        --new) NEW=${2:?}; shift 2 ;;
        --count) COUNT=${2:?}; shift 2 ;;
        --runs) RUNS=${2:?}; shift 2 ;;
        --first) FIRST=${2:?}; shift 2 ;;
        --workdir) WORK=${2:?}; shift 2 ;;
        *) die "unknown argument '$1'" ;;
    esac
done
[[ -x $OLD && -x $NEW ]] || die "--old and --new must be executables"
[[ $FIRST =~ ^[0-9]+$ && $RUNS =~ ^[0-9]+$ && $COUNT =~ ^[0-9]+$ ]] || die "--first, --runs and --count take numbers"
# A bare name would be looked up on PATH when run.
OLD=$(realpath -- "$OLD") NEW=$(realpath -- "$NEW")
[[ -x /usr/bin/time ]] || die "needs GNU time (apt-get install time)"

corpus="$WORK/corpus/md-$COUNT-tax"
if [[ ! -d $corpus ]]; then
    rm -rf "$corpus.partial"
    python3 "$SHARED_BENCH/gen_corpus.py" --count "$COUNT" --out "$corpus.partial" --format md --taxonomies >&2
    mv "$corpus.partial" "$corpus"
fi
site="$WORK/sites/refile-ab-$COUNT"
rm -rf "$site"
mkdir -p "$site"
cp -r "$corpus" "$site/content"
printf '%s\n' 'title: News Archive' 'language: en' 'per_page: 20' 'base_url: https://news.example.org/' >"$site/site.yaml"
mapfile -t articles < <(cd "$site/content" && find . -type f -name "*.md" | sort)

declare -A bin=([old]=$OLD [new]=$NEW)
for b in old new; do
    rm -rf "$REPO/target/refile-ab-$b" "$REPO/target/.refile-ab-$b.gazette-state"
    "${bin[$b]}" build --quiet --root "$site" --output "$REPO/target/refile-ab-$b"
done
sync
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for ((run = FIRST; run < FIRST + RUNS; run++)); do
    "$REPO/bench/edit-filing.sh" "$site/content/${articles[$((run * 7919 % ${#articles[@]}))]}" "$run"
    # Past the racy window of the file's time stamp, as an editor's next build would be.
    sleep 2.2
    if (((run / 4) % 2)); then order="old new"; else order="new old"; fi
    for b in $order; do
        if ! out=$({ /usr/bin/time -f "%e" "${bin[$b]}" build --root "$site" --output "$REPO/target/refile-ab-$b"; } 2>&1); then
            printf '%s\n' "$out" >&2
            die "the $b binary's build after edit $run failed"
        fi
        files=$(grep -oE '[0-9]+ files? written' <<<"$out" | cut -d' ' -f1 || true)
        echo "run $run kind $((run % 4)) $b wall $(tail -1 <<<"$out") files $files" | tee -a "$log"
    done
done
kinds=([1]=retag [2]=section [3]=dateline [0]=thread)
for k in 1 2 3 0; do
    for b in old new; do
        mine=$(awk -v k="$k" -v b="$b" '$4 == k && $5 == b' "$log")
        [[ -n $mine ]] || continue
        walls=$(awk '{ print $7 }' <<<"$mine" | sort -g)
        n=$(wc -l <<<"$walls")
        median=$(sed -n "$(((n + 1) / 2))p" <<<"$walls")
        printf '%-8s %s: lower median %s s over %d edits; files written: %s\n' "${kinds[$k]}" "$b" "$median" "$n" \
            "$(awk '{ printf "%s ", $9 }' <<<"$mine")"
    done
done
