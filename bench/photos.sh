#!/usr/bin/env bash
# bench/photos.sh: photo processing time of Gazette against Hugo 0.111.
#
# Usage: bench/photos.sh [N] [RUNS]     (default 100 photos, 3 runs per measure)
#
# Generates N camera-sized photos (4000×3000 JPEG, EXIF orientation 6 and GPS,
# about 3 MB each: examples/gen_photos.rs), one story leading with each, as a
# Gazette site and as a Hugo site of page bundles whose article template resizes
# the same photo to the same widths (480, 960, 1600) in JPEG (q82) and WebP.
# Times, by GNU time (wall seconds, peak RSS), alternating the tools run by run:
#   full      a build into a new output (Gazette: no state; Hugo: resources/_gen removed)
#   rebuild   a build with nothing changed (Gazette: its state; Hugo: its image cache)
# Outputs go to tmpfs (/dev/shm), as ../shared/bench/README.md advises. Hugo 0.111 does not
# apply the EXIF orientation (it has no auto-orient filter yet): it does a little less work.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-100}
RUNS=${2:-3}
WORK=${GAZETTE_PHOTO_BENCH:-/dev/shm/gazette-photo-bench}
mkdir -p "$WORK"

(cd "$REPO" && cargo build --release --bin gazette --example gen_photos >&2)
GAZETTE="$REPO/target/release/gazette"
echo "generating $N photos in $WORK (kept for later runs)" >&2
"$REPO/target/release/examples/gen_photos" "$N" "$WORK"

HUGO_SITE="$WORK/hugo"
mkdir -p "$HUGO_SITE/layouts/_default"
cat > "$HUGO_SITE/hugo.toml" <<'TOML'
baseURL = "https://news.example.org/"
title = "Photo bench"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[imaging]
  quality = 82
  resampleFilter = "lanczos"
TOML
cat > "$HUGO_SITE/layouts/_default/single.html" <<'HTML'
<!doctype html><title>{{ .Title }}</title>
{{ with .Resources.GetMatch "photo.jpg" }}<picture>
<source type="image/webp" srcset="{{ range $i, $w := slice 480 960 1600 }}{{ if $i }}, {{ end }}{{ (($.Resources.GetMatch "photo.jpg").Resize (printf "%dx webp q82" $w)).RelPermalink }} {{ $w }}w{{ end }}">
<img srcset="{{ range $i, $w := slice 480 960 1600 }}{{ if $i }}, {{ end }}{{ (($.Resources.GetMatch "photo.jpg").Resize (printf "%dx q82" $w)).RelPermalink }} {{ $w }}w{{ end }}" alt=""></picture>{{ end }}
{{ .Content }}
HTML
cat > "$HUGO_SITE/layouts/_default/list.html" <<'HTML'
<!doctype html><title>{{ .Title }}</title>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
HTML

timed() { # label, command...: prints "label seconds peak-MiB"
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" || { cat "$WORK/stderr" >&2; exit 1; }
    read -r secs kb < "$WORK/time"
    printf '%-16s %8s s %8d MiB\n' "$label" "$secs" $((kb / 1024))
}

for run in $(seq 1 "$RUNS"); do
    echo "run $run" >&2
    rm -rf "$WORK/out-gazette" "$HUGO_SITE/resources" "$WORK/out-hugo"
    timed gazette-full "$GAZETTE" build --root "$WORK/gazette" --quiet --output "$WORK/out-gazette"
    timed hugo-full hugo --quiet --source "$HUGO_SITE" --destination "$WORK/out-hugo"
    timed gazette-rebuild "$GAZETTE" build --root "$WORK/gazette" --quiet --output "$WORK/out-gazette"
    rm -rf "$WORK/out-hugo"
    timed hugo-rebuild hugo --quiet --source "$HUGO_SITE" --destination "$WORK/out-hugo"
done
du -sh "$WORK/gazette/content" "$WORK/out-gazette" "$WORK/out-hugo" >&2
