#!/usr/bin/env bash
# bench/same-output.sh: do two Gazette binaries write the same site, byte
# for byte? For refactors that must not change the output.
# Language: bash.
#
# Usage:
#   bench/same-output.sh OLD_BIN NEW_BIN SITE...
#
# Builds every SITE (a folder with content/) with both binaries into
# scratch folders (on /dev/shm when there is one), with the same
# SOURCE_DATE_EPOCH, and compares the MD5 of every output file but the
# marker (which holds a per-folder id). Prints one line per site: SAME
# with the file count and a digest of the digests, or DIFF and the first
# differing files. Exits 1 if any site differs.
set -euo pipefail
[[ $# -ge 3 ]] || { sed -n '2,14p' "$0"; exit 2; }
old=$1 new=$2
shift 2
scratch=$(mktemp -d "$( [[ -d /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/same-output.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
digests() { (cd "$1" && find . -type f ! -name .gazette-output -print0 | sort -z | xargs -0 -r md5sum); }
status=0
for site in "$@"; do
    for which in old new; do
        bin=$old
        [[ $which == new ]] && bin=$new
        rm -rf "$scratch/$which" "$scratch/.$which".gazette-*
        SOURCE_DATE_EPOCH=1767225600 "$bin" build --root "$site" --output "$scratch/$which" --quiet 2>/dev/null || true
        if [[ -d $scratch/$which ]]; then digests "$scratch/$which" >"$scratch/$which.md5"; else : >"$scratch/$which.md5"; fi
    done
    if cmp -s "$scratch/old.md5" "$scratch/new.md5"; then
        echo "SAME $site: $(wc -l <"$scratch/old.md5") files, digest $(md5sum <"$scratch/old.md5" | cut -c1-12)"
    else
        echo "DIFF $site:"
        diff "$scratch/old.md5" "$scratch/new.md5" | head -n 6
        status=1
    fi
done
exit $status
