//! Photos: the JPEG, PNG and WebP files of `content/`, as responsive,
//! metadata-free variants.
//!
//! Two phases use it. Between load and plan, [`catalog`] reads each photo's
//! header only (size, EXIF orientation, the IPTC/XMP caption and credit a
//! picture desk files) and lists the variants it will have: one per width
//! of `images.widths` below its own (never upscaled, its own width when it
//! is narrower than the widest), in its own format and as WebP. Each
//! variant is a planned output file whose key is the photo's content hash
//! and the image settings, so an unchanged photo is never decoded again.
//! In the make phase, [`encode`] decodes a photo once (refusing a
//! decompression bomb before allocating), turns it upright, and encodes
//! the variants it is asked for from pixels: no EXIF, GPS or XMP survives.
//! SVG and GIF files are not photos here: they are copied as they are.

mod encode;
pub mod html;
mod meta;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::{ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use crate::error::Diagnostic;
use crate::keys::{self, Key, KeyBuilder};

pub use encode::encode;

/// `images:` in `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImageSettings {
    /// Widths of the variants, in pixels.
    pub widths: Vec<u32>,
    /// JPEG and WebP quality, 1 to 100.
    pub quality: u8,
    /// Also publish each photo at its own path, full size.
    pub keep_originals: bool,
    /// Publish kept originals byte for byte, metadata and all (off: they
    /// are encoded again from pixels, like the variants).
    pub keep_metadata: bool,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings { widths: vec![480, 960, 1600], quality: 82, keep_originals: false, keep_metadata: false }
    }
}

/// The keys of `images:`.
pub const IMAGE_KEYS: &[&str] = &["widths", "quality", "keep_originals", "keep_metadata"];

/// The most pixels a photo may declare (a 100 MP camera's); more is
/// refused before decoding, as a possible decompression bomb.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The encoded format of a photo or variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, Deserialize)]
pub enum Format {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP (lossy).
    Webp,
}

impl Format {
    /// The MIME type, for `<source type>`.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// One output file of a photo.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// Path inside the output.
    pub rel: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Its format.
    pub format: Format,
}

/// A photo of `content/`, as its header describes it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Photo {
    /// Path inside `content/`.
    pub rel: String,
    /// Its content hash and the image settings: the key of all it makes.
    pub key: Key,
    /// Width once upright.
    pub width: u32,
    /// Height once upright.
    pub height: u32,
    /// Its own format.
    pub format: Format,
    /// The caption filed in the photo (IPTC or XMP), if any.
    pub caption: Option<String>,
    /// The credit filed in the photo (IPTC or XMP), if any.
    pub credit: Option<String>,
    /// Every file it makes, narrowest first, its own format before WebP
    /// at each width.
    pub variants: Vec<Variant>,
    /// The original, published as it is (`keep_originals` and
    /// `keep_metadata`) rather than among the encoded variants.
    pub copied: bool,
}

impl Photo {
    /// The variants in one format, narrowest first.
    pub fn in_format(&self, format: Format) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == format && v.rel != self.rel)
    }

    /// The variant in its own format closest above `width` (or the widest).
    pub fn at_least(&self, width: u32) -> Option<&Variant> {
        let own = || self.in_format(self.format);
        own().find(|v| v.width >= width).or_else(|| own().last())
    }

    /// The key of the variant at `rel`.
    pub fn variant_key(&self, rel: &str) -> Key {
        KeyBuilder::new("photo variant").key(self.key).str(rel).finish()
    }
}

/// What a photo's header says, and which file it was read from: kept in
/// the build state so that an unchanged photo is not even read again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct Header {
    /// The file's size in bytes.
    pub len: u64,
    /// Its modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// The hash of its bytes.
    pub hash: Key,
    /// Width once upright.
    pub width: u32,
    /// Height once upright.
    pub height: u32,
    /// Its format.
    pub format: Format,
    /// The caption filed in it.
    pub caption: Option<String>,
    /// The credit filed in it.
    pub credit: Option<String>,
}

/// The headers of the photos of a build, by path inside `content/`.
pub type Headers = HashMap<String, Header>;

/// Every photo of `content/`, by its path there.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Every photo's header, for the next build.
    pub headers: Headers,
    photos: HashMap<String, Arc<Photo>>,
    /// Each photo's path on disk, by its path inside `content/`.
    sources: HashMap<String, PathBuf>,
}

impl Catalog {
    /// The photo at this path inside `content/`.
    pub fn get(&self, rel: &str) -> Option<&Arc<Photo>> {
        self.photos.get(rel)
    }

    /// Every photo, in path order.
    pub fn all(&self) -> Vec<&Arc<Photo>> {
        let mut all: Vec<&Arc<Photo>> = self.photos.values().collect();
        all.sort_by(|a, b| a.rel.cmp(&b.rel));
        all
    }

    /// Where the photo at `rel` is on disk.
    pub fn path_of(&self, rel: &str) -> Option<&Path> {
        self.sources.get(rel).map(PathBuf::as_path)
    }
}

/// Is this file of `content/` a photo (resized) rather than a file copied
/// as it is (SVG, GIF, PDF)?
pub fn is_photo_path(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "webp")
}

/// The headers an earlier build read, and the time before which a file's
/// unchanged size and modification time show its bytes unchanged.
pub struct Known<'a> {
    /// The headers, by path inside `content/`.
    pub headers: &'a Headers,
    /// Files modified at or after this (nanoseconds) are read again: they
    /// may have changed within the clock's resolution of that build.
    pub trusted_before: i128,
}

/// Describe every photo of `files` (path inside `content/`, path on disk,
/// name for messages) from its header, on every core; a photo `known`
/// with the same size and modification time is not read at all. A file
/// that is not a readable photo is a problem `path: reason`.
pub fn catalog(
    files: &[(String, PathBuf, PathBuf)],
    settings: &ImageSettings,
    known: Option<Known<'_>>,
) -> (Catalog, Vec<Diagnostic>) {
    let settings_key = keys::of_hash(settings);
    let read: Vec<Result<Header, Diagnostic>> = files
        .par_iter()
        .map(|(rel, path, shown)| {
            let at = |reason: String| Diagnostic::at(shown, 0, 0, reason);
            let metadata = std::fs::metadata(path).map_err(|e| at(e.to_string()))?;
            let (len, mtime_ns) = (metadata.len(), crate::fsx::mtime_ns(&metadata));
            let same = |h: &&Header| h.len == len && h.mtime_ns == mtime_ns;
            if let Some(k) = known.as_ref().filter(|k| mtime_ns < k.trusted_before)
                && let Some(header) = k.headers.get(rel).filter(same)
            {
                return Ok(header.clone());
            }
            let bytes = std::fs::read(path).map_err(|e| at(e.to_string()))?;
            read_header(&bytes, mtime_ns).map_err(at)
        })
        .collect();
    let mut catalog = Catalog::default();
    let mut problems = Vec::new();
    for (result, (rel, path, _)) in read.into_iter().zip(files) {
        match result {
            Ok(header) => {
                let photo = photo(rel, &header, settings, settings_key);
                catalog.photos.insert(rel.clone(), Arc::new(photo));
                catalog.sources.insert(rel.clone(), path.clone());
                catalog.headers.insert(rel.clone(), header);
            }
            Err(problem) => problems.push(problem),
        }
    }
    (catalog, problems)
}

/// What a photo's bytes say in their header, once the bomb checks passed.
pub fn read_header(bytes: &[u8], mtime_ns: i128) -> Result<Header, String> {
    let (format, mut decoder) = open(bytes)?;
    let (w, h) = decoder.dimensions();
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let (width, height) = if meta::swaps_sides(orientation) { (h, w) } else { (w, h) };
    let filed = meta::filed(&mut decoder);
    let (len, hash) = (bytes.len() as u64, keys::of_bytes(bytes));
    Ok(Header { len, mtime_ns, hash, width, height, format, caption: filed.caption, credit: filed.credit })
}

/// A photo from its header, with the variants the settings give it.
fn photo(rel: &str, header: &Header, settings: &ImageSettings, settings_key: Key) -> Photo {
    let Header { width, height, format, .. } = *header;
    Photo {
        rel: rel.to_string(),
        key: KeyBuilder::new("photo").key(header.hash).key(settings_key).finish(),
        width,
        height,
        format,
        caption: header.caption.clone(),
        credit: header.credit.clone(),
        variants: variants(rel, (width, height), format, settings),
        copied: settings.keep_originals && settings.keep_metadata,
    }
}

/// A decoder over a photo's header, once its declared size passed the
/// bomb checks.
fn open(bytes: &[u8]) -> Result<(Format, impl ImageDecoder + '_), String> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::WebP) => Format::Webp,
        Some(other) => return Err(format!("is a {other:?} image, not the JPEG, PNG or WebP its name says")),
        None => return Err("is not an image Gazette can read (not JPEG, PNG or WebP)".into()),
    };
    // The JPEG decoder fills a cut-off photo with grey: look for its end.
    if format == Format::Jpeg && !bytes.windows(2).any(|w| w == [0xFF, 0xD9]) {
        return Err("is truncated: the JPEG ends before its end marker".into());
    }
    let mut reader = reader;
    reader.limits(decode_limits());
    let decoder = reader.into_decoder().map_err(|e| format!("cannot be read: {e}"))?;
    check_size(decoder.dimensions(), bytes.len())?;
    Ok((format, decoder))
}

/// What a decoder may allocate: a 100 MP photo in RGBA, and a little more.
fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(65_535);
    limits.max_image_height = Some(65_535);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    limits
}

/// Refuse a declared size no real photo has: more pixels than
/// [`MAX_PIXELS`], or far more than its bytes can hold (the best deflate
/// holds about 4,000 pixels a byte).
fn check_size((w, h): (u32, u32), len: usize) -> Result<(), String> {
    let pixels = u64::from(w) * u64::from(h);
    if w == 0 || h == 0 {
        return Err(format!("declares a size of {w}×{h} pixels"));
    }
    if pixels > MAX_PIXELS {
        return Err(format!(
            "declares {w}×{h} pixels ({} MP), more than the {} MP Gazette decodes (refused as a possible decompression bomb)",
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        ));
    }
    if pixels > 4_000_000 && pixels / (len as u64).max(1) > 10_000 {
        return Err(format!("declares {w}×{h} pixels in only {len} bytes (refused as a possible decompression bomb)"));
    }
    Ok(())
}

/// The variants of a photo `(width, height)` upright: every width of the
/// settings below its own, and its own when narrower than the widest; in
/// its format and in WebP (once, for a WebP photo). With `keep_originals`
/// the original's path is one more, full size.
fn variants(rel: &str, (width, height): (u32, u32), format: Format, settings: &ImageSettings) -> Vec<Variant> {
    let mut widths: Vec<u32> = settings.widths.iter().copied().filter(|&w| w > 0 && w < width).collect();
    if widths.is_empty() || settings.widths.iter().any(|&w| w >= width) {
        widths.push(width);
    }
    widths.sort_unstable();
    widths.dedup();
    let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, "jpg"));
    let ext = ext.to_ascii_lowercase();
    let scaled = |w: u32| ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width)).max(1) as u32;
    let mut out = Vec::new();
    for w in widths {
        let h = scaled(w);
        out.push(Variant { rel: format!("{stem}.{w}.{ext}"), width: w, height: h, format });
        if format != Format::Webp {
            out.push(Variant { rel: format!("{stem}.{w}.{ext}.webp"), width: w, height: h, format: Format::Webp });
        }
    }
    if settings.keep_originals {
        out.push(Variant { rel: rel.to_string(), width, height, format });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(w: u32, h: u32) -> Vec<Variant> {
        variants("2025/p.jpg", (w, h), Format::Jpeg, &ImageSettings::default())
    }

    #[test]
    fn a_large_photo_gets_every_width_in_both_formats() {
        let v = photo(4000, 3000);
        let names: Vec<&str> = v.iter().map(|v| v.rel.as_str()).collect();
        assert_eq!(
            names,
            [
                "2025/p.480.jpg",
                "2025/p.480.jpg.webp",
                "2025/p.960.jpg",
                "2025/p.960.jpg.webp",
                "2025/p.1600.jpg",
                "2025/p.1600.jpg.webp"
            ]
        );
        assert_eq!((v[4].width, v[4].height), (1600, 1200));
    }

    #[test]
    fn a_small_photo_is_never_upscaled() {
        let v = photo(700, 350);
        let widths: Vec<u32> = v.iter().map(|v| v.width).collect();
        assert_eq!(widths, [480, 480, 700, 700]);
        assert!(photo(300, 200).iter().all(|v| v.width == 300 && v.height == 200));
    }

    #[test]
    fn a_photo_known_unchanged_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.png");
        let mut png = Vec::new();
        let pixels = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 10, 10]));
        image::DynamicImage::ImageRgb8(pixels).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        std::fs::write(&path, &png).unwrap();
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(hour_ago).unwrap();
        let files = [("p.png".to_string(), path.clone(), path.clone())];
        let settings = ImageSettings::default();
        let (first, _) = catalog(&files, &settings, None);
        let mut headers = first.headers.clone();
        // A header that the bytes would not give: only kept if the file is not read.
        headers.get_mut("p.png").unwrap().caption = Some("from the state".into());
        let known = || Some(Known { headers: &headers, trusted_before: i128::MAX });
        assert_eq!(
            catalog(&files, &settings, known()).0.get("p.png").unwrap().caption.as_deref(),
            Some("from the state")
        );
        std::fs::write(&path, [png.as_slice(), b"x"].concat()).unwrap();
        assert_eq!(catalog(&files, &settings, known()).0.get("p.png").unwrap().caption, None, "a changed file is read");
    }

    #[test]
    fn bombs_are_refused_before_decoding() {
        assert!(check_size((30_000, 30_000), 50_000_000).unwrap_err().contains("decompression bomb"));
        assert!(check_size((5_000, 5_000), 100).unwrap_err().contains("only 100 bytes"));
        assert!(check_size((4_000, 3_000), 2_000_000).is_ok());
    }
}
