#!/usr/bin/env bash
# bench/run.sh: build-time benchmark of Gazette against Hugo on a synthetic news archive.
# Language: bash (plus python3 only to run the shared corpus generator).
#
# Usage:
#   bench/run.sh [--count N] [--runs R] [--format md|txt] [--skip-hugo] [--incremental]
#                [--workdir DIR] [--gazette-bin PATH] [--instructions]
#                [--taxonomies] [--no-indexes] [--no-search] [--edit text|filing]
#
#   --count N          articles in the corpus (default 10000)
#   --runs R           timed runs per tool (default 5); the table shows medians
#   --format md|txt    corpus format Gazette reads (default md). Hugo cannot read the
#                      wire format, so with txt Hugo builds the md corpus of the SAME
#                      articles (gen_corpus.py emits identical articles in both formats).
#   --skip-hugo        time only Gazette (and the cp -r floor)
#   --incremental      also time a rebuild after editing one article, output on the
#                      ordinary disk (target/bench-incremental), R edits of R articles
#   --workdir DIR      scratch space, must be tmpfs to measure the tools rather than the
#                      disk (default /dev/shm/gazette-bench); corpora are cached here
#   --gazette-bin PATH use this binary instead of `cargo build --release` (e.g. to time
#                      an older build, or when the work tree does not compile)
#   --taxonomies       a corpus with sections, tags and story threads (gen_corpus.py
#                      --taxonomies); Hugo then builds section, tag and story pages too
#   --no-indexes       Gazette with every discovery index switched off (`indexes:` all
#                      false): no section, tag, place, story or on-this-day pages, no
#                      related stories (to measure what they cost)
#   --edit text|filing what each incremental edit changes (default text): `text`
#                      appends a sentence to the article's body; `filing` (md only)
#                      moves the article to another tag, section, place or story
#                      thread in turn, so the pages that listed it change too
#   --no-search        Gazette with `search: false`: no search index or page (Hugo's
#                      site has no search either, so this compares the same pages)
#   --instructions     instead of timing, count the instructions of one Gazette build
#                      under callgrind (valgrind), on one thread: a figure that does not
#                      drift with the machine, to compare two commits. Slow (about
#                      30 s at --count 2000, the size to use).
#
# Method (see ../shared/bench/README.md): every run starts with no output folder,
# the tools alternate run by run so drift on the machine hits both alike, and each run
# is a whole process timed by GNU time (wall seconds, max RSS). Outputs go to tmpfs
# because this VM's disk is slow at creating files. `cp -r` of Gazette's output is timed
# as a floor: no generator can write that tree faster than copying it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The shared benchmark material sits beside the repository (`../shared/bench`);
# GAZETTE_SHARED_BENCH points elsewhere.
SHARED_BENCH=${GAZETTE_SHARED_BENCH:-$REPO/../shared/bench}
CMDLINE=$(printf '%q ' "$0" "$@")

COUNT=10000
RUNS=5
FORMAT=md
SKIP_HUGO=0
INCREMENTAL=0
INSTRUCTIONS=0
TAXONOMIES=0
NO_INDEXES=0
NO_SEARCH=0
EDIT=text
WORK=/dev/shm/gazette-bench
GAZETTE_BIN=
GAZETTE_BUILT=0
# Incremental builds are about what the tool writes, so that output lives on the real
# disk (tmpfs would hide the cost of rewriting an unchanged tree). target/ is ignored by git.
INC_OUT="$REPO/target/bench-incremental"

usage() { sed -n '2,42p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

die() {
    echo "bench: error: $*" >&2
    exit 1
}

while (($#)); do
    case $1 in
        --count) COUNT=${2:?--count needs a value}; shift 2 ;;
        --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
        --format) FORMAT=${2:?--format needs a value}; shift 2 ;;
        --skip-hugo) SKIP_HUGO=1; shift ;;
        --incremental) INCREMENTAL=1; shift ;;
        --workdir) WORK=${2:?--workdir needs a value}; shift 2 ;;
        --gazette-bin) GAZETTE_BIN=${2:?--gazette-bin needs a value}; shift 2 ;;
        --instructions) INSTRUCTIONS=1; SKIP_HUGO=1; shift ;;
        --taxonomies) TAXONOMIES=1; shift ;;
        --no-indexes) NO_INDEXES=1; shift ;;
        --no-search) NO_SEARCH=1; shift ;;
        --edit) EDIT=${2:?--edit needs a value}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
done
[[ $COUNT =~ ^[1-9][0-9]*$ ]] || die "--count must be a positive integer, got '$COUNT'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
[[ $FORMAT == md || $FORMAT == txt ]] || die "--format must be md or txt, got '$FORMAT'"
[[ $EDIT == text || $EDIT == filing ]] || die "--edit must be text or filing, got '$EDIT'"
[[ $EDIT == text || $FORMAT == md ]] || die "--edit filing needs --format md"

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------

# apt-get only when something is missing: the update is slow and needs the network.
need_pkgs=()
[[ -x /usr/bin/time ]] || need_pkgs+=(time)
((SKIP_HUGO)) || command -v hugo >/dev/null || need_pkgs+=(hugo)
((!INSTRUCTIONS)) || command -v valgrind >/dev/null || need_pkgs+=(valgrind)
if ((${#need_pkgs[@]})); then
    echo "bench: installing ${need_pkgs[*]} (Debian packages)" >&2
    if ! { apt-get update -qq >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null; }; then
        die "could not install ${need_pkgs[*]} with apt-get"
    fi
fi

if [[ -z $GAZETTE_BIN ]]; then
    echo "bench: cargo build --release in $REPO" >&2
    if ! cargo_log=$(cd "$REPO" && cargo build --release --bin gazette 2>&1); then
        printf '%s\n' "$cargo_log" | grep -E '^(error|warning: unused)|-->' | head -40 >&2 || true
        die "cargo build --release failed (shown above); pass --gazette-bin PATH to time an existing binary"
    fi
    GAZETTE_BIN="$REPO/target/release/gazette"
    GAZETTE_BUILT=1
fi
[[ -x $GAZETTE_BIN ]] || die "no Gazette binary at $GAZETTE_BIN"
GAZETTE_BIN=$(realpath "$GAZETTE_BIN")

mkdir -p "$WORK"
WORK=$(realpath "$WORK")
fstype=$(stat -f -c %T "$WORK")
[[ $fstype == tmpfs ]] || echo "bench: warning: $WORK is $fstype, not tmpfs: timings will include the disk" >&2
mkdir -p "$WORK/corpus" "$WORK/sites" "$WORK/out" "$WORK/logs"
rm -f "$WORK"/logs/*

# Two cores: a concurrent compile or test run halves the figures, so say so rather than
# mislead. The load average would still count our own cargo build, so sample /proc/stat.
cpu_busy() { # percent of all cores busy over one second
    local a b
    read -ra a < /proc/stat
    sleep 1
    read -ra b < /proc/stat
    awk -v a="${a[*]:1}" -v b="${b[*]:1}" 'BEGIN {
        n = split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= n; i++) { d = y[i] - x[i]; t += d; if (i == 4 || i == 5) idle += d }
        printf "%.0f", t ? 100 * (t - idle) / t : 0 }'
}
busy_before=$(cpu_busy)
((busy_before < 10)) || echo "bench: warning: CPU ${busy_before}% busy before starting; other work will skew timings" >&2

# ---------------------------------------------------------------------------
# Corpus and sites
# ---------------------------------------------------------------------------

# Prints the path of the cached corpus for a format, generating it on first use.
# Generated under a temporary name and renamed, so an interrupted run never leaves a
# half corpus that a later run would take for a complete one.
corpus() {
    local fmt=$1 dir="$WORK/corpus/$1-$COUNT" tax=()
    if ((TAXONOMIES)); then dir+="-tax" tax=(--taxonomies); fi
    if [[ ! -d $dir ]]; then
        rm -rf "$dir.partial"
        echo "bench: generating $COUNT $fmt articles" >&2
        python3 "$SHARED_BENCH/gen_corpus.py" --count "$COUNT" --out "$dir.partial" --format "$fmt" "${tax[@]}" >&2 \
            || die "gen_corpus.py failed"
        mv "$dir.partial" "$dir"
    fi
    echo "$dir"
}

# Settings that make Gazette's page set comparable with the Hugo site's: home paginated
# 20 per page (`paginate = 20`), and Hugo's baseURL, without which Gazette leaves out the
# feed and sitemap that Hugo writes.
write_site_yaml() { # SITE
    printf '%s\n' 'title: News Archive' 'language: en' 'per_page: 20' \
        'base_url: https://news.example.org/' >"$1/site.yaml"
    if ((NO_INDEXES)); then
        cat "$REPO/bench/indexes-off.yaml" >>"$1/site.yaml"
    fi
    if ((NO_SEARCH)); then echo 'search: false' >>"$1/site.yaml"; fi
}

# Gazette site: content/ is a symlink to the cached corpus (Gazette's walker follows links).
make_gazette_site() { # SITE CONTENT
    rm -rf "$1"
    mkdir -p "$1"
    ln -s "$2" "$1/content"
    write_site_yaml "$1"
}

GAZETTE_CORPUS=$(corpus "$FORMAT")
TAX_SUFFIX=$( ((TAXONOMIES)) && echo -tax || true)
GAZETTE_SITE="$WORK/sites/gazette-$FORMAT-$COUNT$TAX_SUFFIX$( ((NO_INDEXES)) && echo -noidx || true)$( ((NO_SEARCH)) && echo -nosearch || true)"
make_gazette_site "$GAZETTE_SITE" "$GAZETTE_CORPUS"

# Hugo site: a fresh copy of the shared site each time (cheap on tmpfs, never stale),
# with the corpus COPIED into content/: Hugo does not follow symlinks inside content/.
HUGO_SITE="$WORK/sites/hugo-$COUNT$TAX_SUFFIX"
if ((!SKIP_HUGO)); then
    HUGO_CORPUS=$(corpus md)
    rm -rf "$HUGO_SITE"
    cp -r "$SHARED_BENCH/hugo-site" "$HUGO_SITE"
    chmod -R u+w "$HUGO_SITE" # the shared copy is read-only
    rm -rf "$HUGO_SITE/content"
    cp -r "$HUGO_CORPUS" "$HUGO_SITE/content"
fi

# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------

# Removes an output folder and Gazette's staging/old siblings (.NAME.gazette-*), so the
# next build starts from nothing. Always called outside the timed region.
clear_output() {
    rm -rf "$1" "$(dirname "$1")/.$(basename "$1")".gazette-*
}

# timed LABEL CMD...: runs CMD under GNU time and appends "wall rss_kib user sys" to
# logs/LABEL.samples. On failure, shows the tool's stderr and stops the benchmark.
timed() {
    local label=$1
    shift
    local log="$WORK/logs/$label"
    if ! /usr/bin/time -f '%e %M %U %S' -o "$log.time" "$@" >"$log.stdout" 2>"$log.stderr"; then
        {
            echo "bench: $label FAILED: $*"
            echo "--- stderr ($log.stderr) ---"
            head -c 20000 "$log.stderr"
            echo "--- stdout ---"
            head -c 4000 "$log.stdout"
            echo "--- GNU time: $(head -n 1 "$log.time")"
        } >&2
        exit 1
    fi
    # Warnings do not fail a run, but they may mean the page sets differ: show them once.
    if [[ -s $log.stderr && ! -e $log.samples ]]; then
        echo "bench: $label succeeded but wrote to stderr:" >&2
        head -n 5 "$log.stderr" | sed 's/^/    /' >&2
    fi
    tail -n 1 "$log.time" >>"$log.samples"
}

# median FILE COLUMN: median of one column of a samples file (mean of the middle two
# for an even count).
median() {
    sort -g -k"$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c }
        END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

GZ_OUT="$WORK/out/gazette"
HUGO_OUT="$WORK/out/hugo"
CP_OUT="$WORK/out/cp"

# Which source the binary came from: only known when this script built it.
if ((GAZETTE_BUILT)); then
    gz_from="built from $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
    [[ -z $(git -C "$REPO" status --porcelain --untracked-files=no -- src Cargo.toml Cargo.lock themes 2>/dev/null) ]] \
        || gz_from="$gz_from + uncommitted changes"
else
    gz_from="given with --gazette-bin"
fi

if ((INSTRUCTIONS)); then
    echo "bench: one build under callgrind, on one thread" >&2
    clear_output "$GZ_OUT"
    cg="$WORK/logs/callgrind.out"
    if ! RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$cg" \
        "$GAZETTE_BIN" build --root "$GAZETTE_SITE" --output "$GZ_OUT" --quiet 2>"$WORK/logs/callgrind.stderr"; then
        tail -n 20 "$WORK/logs/callgrind.stderr" >&2
        die "the build under callgrind failed (its stderr is above)"
    fi
    echo
    echo "Command: \`$CMDLINE\`"
    echo
    echo "Gazette: $GAZETTE_BIN ($gz_from). Corpus: $COUNT articles, gen_corpus.py --format $FORMAT."
    echo "Instructions of one full build on one thread (user space; callgrind, $cg):"
    callgrind_annotate "$cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { print "    " $1 }'
    echo "Gazette functions with the most instructions, callees included:"
    callgrind_annotate --inclusive=yes "$cg" 2>/dev/null | grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) +[^ ]*:gazette::' |
        sed -E 's/ +[^ ]*:(gazette::[^ ]*).*/ \1/' | awk '!seen[$NF]++ { print "    " $0 }' | head -n 15
    exit 0
fi

for ((run = 1; run <= RUNS; run++)); do
    echo "bench: run $run/$RUNS" >&2
    clear_output "$GZ_OUT"
    timed gazette "$GAZETTE_BIN" build --root "$GAZETTE_SITE" --output "$GZ_OUT" --quiet

    # The floor: copying the tree Gazette just wrote (to a fresh folder).
    clear_output "$CP_OUT"
    timed cp cp -r "$GZ_OUT" "$CP_OUT"

    if ((!SKIP_HUGO)); then
        clear_output "$HUGO_OUT"
        timed hugo hugo --quiet --source "$HUGO_SITE" --destination "$HUGO_OUT"
    fi
done

# ---------------------------------------------------------------------------
# Incremental rebuild (optional)
# ---------------------------------------------------------------------------

if ((INCREMENTAL)); then
    # A private copy of the corpus, so edits never touch the cache the other runs share.
    INC_SITE="$WORK/sites/gazette-incremental-$FORMAT-$COUNT"
    rm -rf "$INC_SITE"
    mkdir -p "$INC_SITE"
    cp -r "$GAZETTE_CORPUS" "$INC_SITE/content"
    write_site_yaml "$INC_SITE"
    mapfile -t articles < <(cd "$INC_SITE/content" && find . -type f -name "*.$FORMAT" | sort)
    edited=()
    written=()
    # Put every edited article back as generated, even when a build fails midway.
    restore_corpus() {
        local rel
        for rel in "${edited[@]}"; do cp "$GAZETTE_CORPUS/$rel" "$INC_SITE/content/$rel"; done
    }
    trap restore_corpus EXIT

    # edit_article FILE RUN: the edit of one run (see --edit).
    edit_article() {
        local file=$1 run=$2
        if [[ $EDIT == text ]]; then
            # One sentence appended to the last paragraph (both formats end in "\n"), so
            # the article's page changes but its headline, date and listings do not.
            truncate -s -1 "$file"
            printf ' An editor added this sentence in benchmark run %d.\n' "$run" >>"$file"
            return
        fi
        # Refiled: another tag, section, dateline or story thread in turn.
        "$REPO/bench/edit-filing.sh" "$file" "$run"
    }
    mkdir -p "$(dirname "$INC_OUT")"
    clear_output "$INC_OUT"
    echo "bench: incremental: full build into $INC_OUT" >&2
    timed inc-full "$GAZETTE_BIN" build --root "$INC_SITE" --output "$INC_OUT" --quiet
    for ((run = 1; run <= RUNS; run++)); do
        # Spread the edits over the archive (different years and months), one per run.
        rel=${articles[$((run * ${#articles[@]} / (RUNS + 1)))]}
        edited+=("$rel")
        edit_article "$INC_SITE/content/$rel" "$run"
        echo "bench: incremental: rebuild $run/$RUNS after editing $rel" >&2
        # The full build has just written ~70,000 files: let the kernel write them back
        # (as it would have long before an editor's next save) rather than time a
        # rebuild that competes with that writeback for the disk and the CPU.
        sync
        timed inc-edit "$GAZETTE_BIN" build --root "$INC_SITE" --output "$INC_OUT"
        # The summary line says how many files the rebuild wrote.
        written+=("$(grep -o '[0-9]* files written' "$WORK/logs/inc-edit.stdout" | cut -d' ' -f1)")
    done
    # The incremental output must be byte-identical to a clean build of the same sources.
    INC_CLEAN="$WORK/out/incremental-clean"
    clear_output "$INC_CLEAN"
    "$GAZETTE_BIN" build --root "$INC_SITE" --output "$INC_CLEAN" --quiet --clean
    if diff -r -q --exclude=.gazette-output "$INC_OUT" "$INC_CLEAN" >"$WORK/logs/inc-diff" 2>&1; then
        INC_IDENTICAL="yes"
    else
        INC_IDENTICAL="NO ($(wc -l <"$WORK/logs/inc-diff") differences, see $WORK/logs/inc-diff)"
    fi
    restore_corpus
    trap - EXIT
    edited=()
fi

# ---------------------------------------------------------------------------
# Report (Markdown, to paste into a README)
# ---------------------------------------------------------------------------

mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }'; }

# row LABEL SAMPLES OUTDIR: one table row; sets WALL_<label>, RSS_<label> for ratios.
declare -A WALL RSS
row() {
    local label=$1 s="$WORK/logs/$2.samples" out=$3
    WALL[$2]=$(median "$s" 1)
    RSS[$2]=$(median "$s" 2)
    local cpu files size
    cpu=$(awk '{ print $3 + $4 }' "$s" | sort -g | awk '{ v[NR] = $1 }
        END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    files=$(find "$out" -type f | wc -l)
    size=$(du -s --apparent-size --block-size=1M "$out" | cut -f1)
    printf '| %s | %.2f | %.2f | %s | %s | %s MiB |\n' "$label" "${WALL[$2]}" "$cpu" "$(mib "${RSS[$2]}")" "$files" "$size"
}

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_gib=$(awk '/^MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)

echo
echo "Command: \`$CMDLINE\`"
echo
echo "Machine: $(nproc) cores, $cpu_model, $mem_gib GiB RAM; outputs on $fstype ($WORK/out)."
echo "Gazette: $GAZETTE_BIN ($gz_from)."
((SKIP_HUGO)) || echo "Hugo: $(hugo version | cut -d' ' -f2)."
echo "Corpus: $COUNT articles, gen_corpus.py --format $FORMAT$( ((TAXONOMIES)) && echo " --taxonomies" || true)$( ((NO_INDEXES)) && echo "; Gazette with every discovery index off" || true)$( ((SKIP_HUGO)) || [[ $FORMAT == md ]] || echo " (Hugo: the same articles as md)")."
echo "Medians of $RUNS runs, alternating tools, each from an empty output folder" \
    "(CPU busy with other work: ${busy_before}% before, $(cpu_busy)% after)."
echo
echo "| tool | wall s | CPU s (user+sys) | max RSS MiB | output files | output size |"
echo "|---|---:|---:|---:|---:|---:|"
row "Gazette" gazette "$GZ_OUT"
((SKIP_HUGO)) || row "Hugo" hugo "$HUGO_OUT"
row "\`cp -r\` of Gazette's output" cp "$CP_OUT"
echo
# Every sample, in run order, so a noisy run (another process on the two cores) shows.
samples() { awk '{ printf "%s%s", sep, $1; sep = " " }' "$WORK/logs/$1.samples"; }
echo "Wall s per run: Gazette $(samples gazette)$( ((SKIP_HUGO)) || echo "; Hugo $(samples hugo)"); cp -r $(samples cp)."
((SKIP_HUGO)) || echo "Hugo / Gazette: time $(ratio "${WALL[hugo]}" "${WALL[gazette]}"), peak memory $(ratio "${RSS[hugo]}" "${RSS[gazette]}")."
echo "Gazette / \`cp -r\`: time $(ratio "${WALL[gazette]}" "${WALL[cp]}")."

if ((INCREMENTAL)); then
    echo
    echo "Incremental (sources on $fstype, output on $(stat -f -c %T "$(dirname "$INC_OUT")") at $INC_OUT):"
    read -r full_wall full_rss _ < "$WORK/logs/inc-full.samples"
    echo "- full build: $(printf '%.2f' "$full_wall") s, $(mib "$full_rss") MiB"
    edit_what=$([[ $EDIT == text ]] && echo "appending a sentence to one article" || echo "refiling one article (new tag, section, dateline or story thread in turn)")
    echo "- rebuild after $edit_what: median $(printf '%.2f' "$(median "$WORK/logs/inc-edit.samples" 1)") s" \
        "over $RUNS edits (each a different article; runs: $(samples inc-edit)), max RSS $(mib "$(median "$WORK/logs/inc-edit.samples" 2)") MiB"
    echo "- files each rebuild wrote: ${written[*]}"
    echo "- output identical to a clean build of the same sources: $INC_IDENTICAL"
fi
