//! Encoding a photo's variants: decode once, turn upright, resize, encode
//! from pixels (so no metadata of the source survives).

use std::io::Cursor;

use fast_image_resize::{ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageDecoder};

use super::{Format, Photo, Variant};

/// The bytes of each of `wanted` (variants of `photo`, whose source is
/// `bytes`), in order. The photo is decoded once, whatever is asked.
pub fn encode(photo: &Photo, bytes: &[u8], wanted: &[&Variant], quality: u8) -> Result<Vec<Vec<u8>>, String> {
    let upright = decode(bytes)?;
    let mut resizer = Resizer::new();
    let mut out = Vec::with_capacity(wanted.len());
    let mut last: Option<(u32, DynamicImage)> = None;
    for variant in wanted {
        if last.as_ref().is_none_or(|(w, _)| *w != variant.width) {
            let sized = resize(&mut resizer, &upright, photo, variant)?;
            last = Some((variant.width, sized));
        }
        let sized = last.as_ref().map(|(_, image)| image).unwrap_or(&upright);
        out.push(encode_one(sized, variant.format, quality)?);
    }
    Ok(out)
}

/// The photo's pixels, upright, within the decoding limits.
fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let (_, mut decoder) = super::open(bytes)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| format!("cannot be decoded: {e}"))?;
    image.apply_orientation(orientation);
    Ok(if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

/// The upright photo at the variant's size.
fn resize(
    resizer: &mut Resizer,
    upright: &DynamicImage,
    photo: &Photo,
    variant: &Variant,
) -> Result<DynamicImage, String> {
    if (variant.width, variant.height) == (upright.width(), upright.height()) || variant.width == photo.width {
        return Ok(upright.clone());
    }
    let mut sized = DynamicImage::new(variant.width, variant.height, upright.color());
    resizer
        .resize(upright, &mut sized, &ResizeOptions::new())
        .map_err(|e| format!("cannot be resized to {}×{}: {e}", variant.width, variant.height))?;
    Ok(sized)
}

/// One image in one format, from its pixels alone.
fn encode_one(image: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    let failed = |e: &dyn std::fmt::Display| format!("cannot be encoded as {}: {e}", format.mime());
    match format {
        Format::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut buf, quality)).map_err(|e| failed(&e))?;
        }
        Format::Png => image.write_with_encoder(PngEncoder::new(Cursor::new(&mut buf))).map_err(|e| failed(&e))?,
        Format::Webp => buf = webp(image, quality).map_err(|e| failed(&e))?,
    }
    Ok(buf)
}

/// Lossy WebP through libwebp.
fn webp(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = (image.width(), image.height());
    let encoder = match image {
        DynamicImage::ImageRgba8(rgba) => webp::Encoder::from_rgba(rgba.as_raw(), w, h),
        DynamicImage::ImageRgb8(rgb) => webp::Encoder::from_rgb(rgb.as_raw(), w, h),
        _ => return Err("unexpected pixel layout".into()),
    };
    let mut config = webp::WebPConfig::new().map_err(|()| "libwebp refused its settings".to_string())?;
    config.lossless = 0;
    config.quality = f32::from(quality);
    let memory = encoder.encode_advanced(&config).map_err(|e| format!("{e:?}"))?;
    Ok(memory.to_vec())
}
