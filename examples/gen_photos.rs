//! Benchmark photos for `bench/photos.sh`: `N` camera-sized JPEGs (4000×3000
//! stored, EXIF orientation 6 and a GPS position, like a phone's), made
//! from noise and gradients so they compress like photographs, each with a
//! story that leads with it: a Gazette site and a Hugo site (page bundles).
//!
//! `cargo run --release --example gen_photos -- N DIR` writes
//! `DIR/gazette/content/2025/story-K.md` + `photo-K.jpg` and
//! `DIR/hugo/content/posts/story-K/index.md` + `photo.jpg` (hard links).

#![allow(clippy::unwrap_used, reason = "a generator that cannot write should stop at once")]

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};
use rayon::prelude::*;
use std::path::Path;

#[path = "../tests/build/photo_files.rs"]
#[allow(dead_code, reason = "only the EXIF writer is used here")]
mod photos;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (count, dir): (usize, &Path) = (args[1].parse().unwrap(), Path::new(&args[2]));
    let gazette = dir.join("gazette/content/2025");
    std::fs::create_dir_all(&gazette).unwrap();
    (0..count).into_par_iter().for_each(|k| {
        let photo = gazette.join(format!("photo-{k}.jpg"));
        if !photo.exists() {
            std::fs::write(&photo, photos::with_exif(camera_jpeg(k as u32))).unwrap();
        }
        let story = format!(
            "---\ntitle: \"Story {k}\"\ndate: 2025-06-{:02} 12:00\nauthor: Ann Lee\nimage:\n  src: photo-{k}.jpg\n  alt: Photo {k}\n---\n\nBody of story {k}.\n",
            1 + k % 28
        );
        std::fs::write(gazette.join(format!("story-{k}.md")), story).unwrap();
        let bundle = dir.join(format!("hugo/content/posts/story-{k}"));
        std::fs::create_dir_all(&bundle).unwrap();
        let hugo_photo = bundle.join("photo.jpg");
        if !hugo_photo.exists() {
            std::fs::hard_link(&photo, &hugo_photo).unwrap();
        }
        let page = format!("---\ntitle: \"Story {k}\"\ndate: 2025-06-{:02}T12:00:00Z\n---\n\nBody of story {k}.\n", 1 + k % 28);
        std::fs::write(bundle.join("index.md"), page).unwrap();
    });
}

/// A 4000×3000 JPEG at quality 90 with photo-like detail.
fn camera_jpeg(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let img = RgbImage::from_fn(4000, 3000, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state & 31) as u8;
        image::Rgb([(x / 16 % 200) as u8 + noise, (y / 12 % 200) as u8 + noise, ((x + y) / 28 % 200) as u8 + noise])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90).write_image(&img, 4000, 3000, image::ExtendedColorType::Rgb8).unwrap();
    out
}
