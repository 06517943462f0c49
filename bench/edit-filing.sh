#!/usr/bin/env bash
# bench/edit-filing.sh FILE RUN: refile one Markdown article the way the benchmarks do.
# Language: bash (awk).
#
# Runs 1, 5, … retag it; 2, 6, … change its section; 3, 7, … its dateline; 4, 8, … put
# it in a story thread. The old value (if any) goes and the new one is added just before
# the closing `---`, so the old and the new topic's pages, the article's page and its
# neighbours' related lists change. Used by run.sh (--edit filing) and refile-ab.sh.
set -euo pipefail
file=${1:?usage: edit-filing.sh FILE RUN} run=${2:?usage: edit-filing.sh FILE RUN}
case $((run % 4)) in
    1) line="tags: [\"Benchmark Edit $run\"]" ;;
    2) line="section: \"Benchmark Desk $run\"" ;;
    3) line="location: \"Benchmark Town $run\"" ;;
    0) line="story: \"benchmark-thread-$run\"" ;;
esac
key=${line%%:*}
awk -v key="$key" -v line="$line" '
    NR == 1 { print; next }
    !done && $0 == "---" { print line; print; done = 1; next }
    !done && index($0, key ":") == 1 { next }
    { print }' "$file" >"$file.edit" && mv "$file.edit" "$file"
