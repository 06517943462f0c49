//! Photos: responsive variants, no metadata left, bad input refused, and
//! an unchanged photo never decoded again. Every image is made here.

use std::path::Path;

use crate::common::{now, write};
use crate::photo_files::{jpeg_with_gps, png, png_declaring};

/// A site with one story: a lead photo (turned by EXIF, with GPS) and an
/// inline PNG with a caption.
pub fn photo_site(root: &Path) {
    write(&root.join("site.yaml"), "title: Photo Desk\n");
    write(
        &root.join("content/2025/story.md"),
        "---\ntitle: Harbour Storm\ndate: 2025-11-02\nauthors: [Ann Lee]\nimage:\n  src: lead.jpg\n  alt: Waves over the wall\n  caption: The sea wall at noon\n  credit: Ann Lee / Gazette\n---\nThe storm came in.\n\n![Boats in the harbour](boats.png \"Boats waited it out\")\n",
    );
    std::fs::write(root.join("content/2025/lead.jpg"), jpeg_with_gps(2000, 1000)).unwrap();
    std::fs::write(root.join("content/2025/boats.png"), png(700, 400)).unwrap();
}

fn build(root: &Path, out: &Path) -> Result<gazette::BuildReport, gazette::Error> {
    gazette::build(&gazette::BuildOptions {
        output: Some(out.to_path_buf()),
        ..gazette::BuildOptions::new(root, now())
    })
}

fn size_of(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn photos_become_upright_variants_that_never_upscale() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("output"));
    photo_site(&root);
    build(&root, &out).unwrap();
    // 2000×1000 stored, turned upright: 1000×2000; 1600 would upscale.
    assert_eq!(size_of(&out.join("2025/lead.480.jpg")), (480, 960));
    assert_eq!(size_of(&out.join("2025/lead.960.jpg.webp")), (960, 1920));
    assert_eq!(size_of(&out.join("2025/lead.1000.jpg")), (1000, 2000));
    assert!(!out.join("2025/lead.1600.jpg").exists());
    assert_eq!(size_of(&out.join("2025/boats.700.png")), (700, 400));
    assert!(image::open(out.join("2025/boats.480.png")).unwrap().color().has_alpha());
    assert!(!out.join("2025/lead.jpg").exists(), "the original (with its GPS) is not published");
}

#[test]
fn no_output_carries_the_photos_location() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("output"));
    photo_site(&root);
    let source = std::fs::read(root.join("content/2025/lead.jpg")).unwrap();
    assert!(source.windows(4).any(|w| w == b"Exif"));
    build(&root, &out).unwrap();
    let photos: Vec<String> =
        crate::common::list_files(&out).into_iter().filter(|f| f.starts_with("2025/lead.")).collect();
    assert_eq!(photos.len(), 6, "{photos:?}");
    for rel in photos {
        let bytes = std::fs::read(out.join(&rel)).unwrap();
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{rel} keeps EXIF");
        assert!(!bytes.windows(6).any(|w| w == b"xmpmet"), "{rel} keeps XMP");
    }
}

#[test]
fn an_unchanged_photo_is_not_decoded_again() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("output"));
    photo_site(&root);
    assert_eq!(build(&root, &out).unwrap().photo_variants, 10);
    assert_eq!(build(&root, &out).unwrap().photo_variants, 0);
    std::fs::write(root.join("content/2025/boats.png"), png(500, 300)).unwrap();
    let third = build(&root, &out).unwrap();
    assert_eq!(third.photo_variants, 4, "only the edited photo is encoded");
    assert!(!out.join("2025/boats.700.png").exists(), "its old variants are gone");
}

fn build_error(setup: impl FnOnce(&Path)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("output"));
    photo_site(&root);
    setup(&root);
    build(&root, &out).map(|_| ()).unwrap_err().to_string()
}

#[test]
fn a_corrupt_photo_is_an_error_naming_it() {
    let truncated = build_error(|root| {
        let jpeg = jpeg_with_gps(400, 300);
        std::fs::write(root.join("content/2025/lead.jpg"), &jpeg[..jpeg.len() / 3]).unwrap();
    });
    assert!(truncated.contains("content/2025/lead.jpg: "), "{truncated}");
    let not_an_image = build_error(|root| std::fs::write(root.join("content/2025/boats.png"), "hello").unwrap());
    assert!(not_an_image.contains("content/2025/boats.png: is not an image"), "{not_an_image}");
}

#[test]
fn a_decompression_bomb_is_refused_before_decoding() {
    let error =
        build_error(|root| std::fs::write(root.join("content/2025/boats.png"), png_declaring(30_000, 30_000)).unwrap());
    assert!(error.contains("content/2025/boats.png: declares 30000×30000 pixels"), "{error}");
    assert!(error.contains("decompression bomb"), "{error}");
}

#[test]
fn pages_show_photos_as_pictures_with_sizes_captions_and_credits() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("output"));
    photo_site(&root);
    build(&root, &out).unwrap();
    let page = std::fs::read_to_string(out.join("2025/11/02/harbour-storm/index.html")).unwrap();
    let html = scraper::Html::parse_document(&page);
    let one = |css: &str| {
        let selector = scraper::Selector::parse(css).unwrap();
        html.select(&selector).next().unwrap_or_else(|| panic!("no {css} in\n{page}"))
    };
    let lead = one(".lead-image picture img");
    assert_eq!(lead.attr("src"), Some("../../../lead.960.jpg"));
    assert_eq!((lead.attr("width"), lead.attr("height")), (Some("960"), Some("1920")));
    assert_eq!(lead.attr("alt"), Some("Waves over the wall"));
    assert_eq!(lead.attr("loading"), None, "the lead photo is not lazy");
    assert!(one(".lead-image source").attr("srcset").unwrap().contains("../../../lead.480.jpg.webp 480w"));
    assert_eq!(one(".lead-image figcaption").text().collect::<String>(), "The sea wall at noon Ann Lee / Gazette");
    let inline = one(".story-body figure.photo picture img");
    assert_eq!(inline.attr("loading"), Some("lazy"));
    assert_eq!(inline.attr("alt"), Some("Boats in the harbour"));
    assert_eq!((inline.attr("width"), inline.attr("height")), (Some("700"), Some("400")));
    assert_eq!(inline.attr("srcset"), Some("../../../boats.480.png 480w, ../../../boats.700.png 700w"));
    assert_eq!(one(".story-body figure.photo source").attr("type"), Some("image/webp"));
    assert_eq!(one(".story-body figcaption").text().collect::<String>(), "Boats waited it out");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(r#"class="story-card-thumb" src="2025/lead.480.jpg""#), "{home}");
}

#[test]
fn a_missing_lead_photo_is_an_error_at_its_line() {
    let error = build_error(|root| std::fs::remove_file(root.join("content/2025/lead.jpg")).unwrap());
    assert!(error.contains("content/2025/story.md:5:"), "{error}");
    assert!(error.contains("content/2025/lead.jpg"), "{error}");
}

#[test]
fn keep_going_lists_a_corrupt_photo_and_builds_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (root, out) = (dir.path().join("site"), dir.path().join("output"));
    photo_site(&root);
    std::fs::write(root.join("content/2025/boats.png"), "not a picture").unwrap();
    let options = gazette::BuildOptions {
        output: Some(out.clone()),
        keep_going: true,
        ..gazette::BuildOptions::new(&root, now())
    };
    let report = gazette::build(&options).unwrap();
    let skipped: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(skipped, ["content/2025/boats.png: is not an image Gazette can read (not JPEG, PNG or WebP)"]);
    assert!(out.join("2025/11/02/harbour-storm/index.html").exists());
    assert!(out.join("2025/lead.480.jpg").exists());
    assert!(!out.join("2025/boats.png").exists());
}
