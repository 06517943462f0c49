#!/usr/bin/env bash
# bench/wordpress.sh: import a generated WordPress export, time and peak memory.
# Language: bash (plus python3 to run bench/gen_wordpress.py, the export generator).
#
# Usage:
#   bench/wordpress.sh [--posts N] [--workdir DIR] [--gazette-bin PATH] [--build]
#
#   --posts N          posts in the export (default 100000: about 470 MB of WXR, with
#                      50,000 attachments, and 50,000 uploads to copy)
#   --workdir DIR      where the export, its uploads and the imported site go; tmpfs by
#                      default, so the figures are Gazette's and not the disk's
#                      (default /dev/shm/gazette-bench-wordpress). The export is kept
#                      there between runs; the imported site is deleted afterwards
#                      (pass KEEP=1 in the environment to keep it).
#   --gazette-bin PATH use this binary instead of `cargo build --release`
#   --build            then build the imported site too, and report that
#
# It runs `gazette import --from wordpress EXPORT --uploads DIR` once under GNU time
# and prints the import's summary line, the wall time and the peak memory ("Maximum
# resident set size"). Target: 100,000 posts in under 60 s; the export is read as a
# stream, so a 1 GB export (--posts 210000) stays under 500 MB.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
POSTS=100000
WORK=/dev/shm/gazette-bench-wordpress
GAZETTE_BIN=
BUILD=0

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() {
    echo "wordpress: error: $*" >&2
    exit 1
}

while (($#)); do
    case $1 in
        --posts) POSTS=${2:?--posts needs a value}; shift 2 ;;
        --workdir) WORK=${2:?--workdir needs a value}; shift 2 ;;
        --gazette-bin) GAZETTE_BIN=${2:?--gazette-bin needs a value}; shift 2 ;;
        --build) BUILD=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $POSTS =~ ^[1-9][0-9]*$ ]] || die "--posts must be a positive integer, got '$POSTS'"
[[ -x /usr/bin/time ]] || die "GNU time is missing (apt-get install -y time)"

if [[ -z $GAZETTE_BIN ]]; then
    (cd "$REPO" && cargo build --release --quiet)
    GAZETTE_BIN="$REPO/target/release/gazette"
fi

export_dir="$WORK/export-$POSTS"
if [[ ! -f $export_dir/export.xml ]]; then
    echo "wordpress: generating an export of $POSTS posts in $export_dir" >&2
    rm -rf "$export_dir"
    mkdir -p "$export_dir.partial"
    /usr/bin/time -f 'wordpress: export generated in %e s' python3 "$REPO/bench/gen_wordpress.py" \
        --posts "$POSTS" --out "$export_dir.partial/export.xml" --uploads "$export_dir.partial/uploads"
    mv "$export_dir.partial" "$export_dir"
fi
echo "wordpress: export: $(du -h "$export_dir/export.xml" | cut -f1)" >&2

site="$WORK/site"
rm -rf "$site"
mkdir -p "$site"
printf 'title: Imported Archive\ntimezone: "-04:00"\n' >"$site/site.yaml"
cleanup() { [[ ${KEEP:-0} == 1 ]] || rm -rf "$site"; }
trap cleanup EXIT

echo "wordpress: importing $POSTS posts into $site/content" >&2
report="$WORK/import-report.txt"
/usr/bin/time -v -o "$WORK/import-time.txt" "$GAZETTE_BIN" import --from wordpress "$export_dir/export.xml" \
    --uploads "$export_dir/uploads" --root "$site" >"$report" || true
tail -n 1 "$report"
grep -E 'Elapsed \(wall clock\)|Maximum resident set size' "$WORK/import-time.txt"
echo "wordpress: files in content/: $(find "$site/content" -type f | wc -l)" >&2

if ((BUILD)); then
    echo "wordpress: building the imported site" >&2
    /usr/bin/time -v -o "$WORK/build-time.txt" "$GAZETTE_BIN" build --root "$site" --quiet
    grep -E 'Elapsed \(wall clock\)|Maximum resident set size' "$WORK/build-time.txt"
fi
