//! A photo as HTML: `<picture>` with a WebP `<source>` and an `<img>` in
//! its own format, both with `srcset`, inside a `<figure>` with its caption
//! and credit. Used for inline photos of article bodies; themes build the
//! lead photo from the same [`Srcsets`].

use super::{Format, Photo};

/// How wide a photo is shown: the column's width on wide screens, the
/// screen's on narrow ones.
pub const SIZES: &str = "(min-width: 46rem) 44rem, 100vw";

/// A photo's `srcset`s and fallback, with every URL made by `href` from
/// a path inside the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srcsets {
    /// The fallback `src`: its own format, about 960 pixels wide.
    pub src: String,
    /// `srcset` in its own format.
    pub srcset: String,
    /// `srcset` in WebP (empty for a WebP photo: `srcset` is WebP already).
    pub webp: String,
    /// Width of the fallback.
    pub width: u32,
    /// Height of the fallback.
    pub height: u32,
}

impl Srcsets {
    /// The srcsets of `photo`.
    pub fn of(photo: &Photo, href: &dyn Fn(&str) -> String) -> Option<Srcsets> {
        let fallback = photo.at_least(960)?;
        let set = |format: Format| {
            let list: Vec<String> = photo.in_format(format).map(|v| format!("{} {}w", href(&v.rel), v.width)).collect();
            list.join(", ")
        };
        let webp = if photo.format == Format::Webp { String::new() } else { set(Format::Webp) };
        Some(Srcsets {
            src: href(&fallback.rel),
            srcset: set(photo.format),
            webp,
            width: fallback.width,
            height: fallback.height,
        })
    }
}

/// What a figure says besides its photo.
#[derive(Debug, Default, Clone, Copy)]
pub struct Words<'a> {
    /// Alt text.
    pub alt: &'a str,
    /// Caption (the Markdown image's title, or the photo's own).
    pub caption: Option<&'a str>,
    /// Credit (the photo's own).
    pub credit: Option<&'a str>,
}

/// The `<figure>` of an inline photo, lazily loaded.
pub fn figure(sets: &Srcsets, words: Words<'_>) -> String {
    let mut html = String::from("<figure class=\"photo\"><picture>");
    if !sets.webp.is_empty() {
        html.push_str(&format!("<source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\">", escape(&sets.webp)));
    }
    html.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\" alt=\"{}\"></picture>",
        escape(&sets.src),
        escape(&sets.srcset),
        sets.width,
        sets.height,
        escape(words.alt)
    ));
    if words.caption.is_some() || words.credit.is_some() {
        html.push_str("<figcaption>");
        html.push_str(&escape(words.caption.unwrap_or_default()));
        if let Some(credit) = words.credit {
            let space = if words.caption.is_some() { " " } else { "" };
            html.push_str(&format!("{space}<span class=\"credit\">{}</span>", escape(credit)));
        }
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>");
    html
}

pub use crate::html::escape;
