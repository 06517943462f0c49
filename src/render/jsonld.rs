//! schema.org `NewsArticle` metadata for article pages.
//!
//! Part of the render phase. Input: an archive entry and the site's
//! configuration. Output: JSON text that is safe to print inside a
//! `<script type="application/ld+json">` element: whatever the headline
//! says, it can neither break the JSON nor close the script.

use serde::Serialize;

use crate::archive::Entry;
use crate::config::Config;
use crate::plan::inputs::Filing;
use crate::urls::pages;

/// schema.org `NewsArticle`, field by field (serialized straight to text:
/// no intermediate JSON tree for every page).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    headline: &'a str,
    date_published: String,
    date_modified: String,
    author: Vec<Person<'a>>,
    publisher: Organization<'a>,
    in_language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location_created: Option<Place<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    main_entity_of_page: Option<WebPage>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[&'a str; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    article_section: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<ImageObject>,
}

#[derive(Serialize)]
struct ImageObject {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: String,
}

#[derive(Serialize)]
struct Place<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct WebPage {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
}

/// The JSON-LD of an article. `image_url` is the lead image's absolute
/// URL; its section and keywords are the names of its desk and tags as
/// their pages show them (`filing`), not as written.
pub fn news_article(entry: &Entry, config: &Config, image_url: Option<&str>, filing: &Filing<'_>) -> String {
    let meta = &entry.meta;
    let base = config.base_url.as_ref();
    let url = base.map(|b| b.join(entry.page.as_str()));
    let published = meta.date.at.to_rfc3339();
    let doc = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        headline: &meta.title,
        date_modified: meta.modified().map_or_else(|| published.clone(), |d| d.at.to_rfc3339()),
        date_published: published,
        author: if meta.authors.is_empty() {
            // No byline: the story is the publisher's (Google asks for an author).
            vec![Person { kind: "Organization", name: &config.publisher_name, url: base.map(|b| b.join("")) }]
        } else {
            meta.authors
                .iter()
                .map(|a| Person {
                    kind: "Person",
                    name: &a.name,
                    url: base.map(|b| b.join(pages::author(&a.slug).as_str())),
                })
                .collect()
        },
        publisher: Organization {
            kind: "Organization",
            name: &config.publisher_name,
            logo: config
                .publisher_logo
                .as_deref()
                .and_then(|l| absolute(l, config))
                .map(|url| ImageObject { kind: "ImageObject", url }),
        },
        in_language: &config.language,
        description: Some(meta.summary.text.as_str()).filter(|s| !s.is_empty()),
        location_created: meta.location.as_deref().map(|name| Place { kind: "Place", name }),
        main_entity_of_page: url.clone().map(|id| WebPage { kind: "WebPage", id }),
        url,
        image: image_url.map(|i| [i]),
        article_section: filing.section.as_ref().map(|s| s.name),
        keywords: (!filing.tags.is_empty()).then(|| filing.tags.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")),
    };
    script_safe(&serde_json::to_string(&doc).unwrap_or_default())
}

/// An absolute URL for a path or URL from the configuration, if possible.
fn absolute(path_or_url: &str, config: &Config) -> Option<String> {
    if path_or_url.contains("://") {
        return Some(path_or_url.to_string());
    }
    config.base_url.as_ref().map(|b| b.join(path_or_url))
}

/// Escape the characters that could end a `<script>` element or start an
/// HTML comment inside it. The result is still the same JSON value.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let mut copied = 0;
    // The characters to escape are `<`, `>`, `&` and the two line
    // separators U+2028 and U+2029 (E2 80 A8 and E2 80 A9 in UTF-8): a
    // byte scan finds them without decoding the text. It goes 64 bytes at
    // a time: a whole block is first tested at once, with no early exit and
    // a fixed length (which the compiler turns into a few vector
    // instructions), and only a block with one of their bytes, or the
    // short last one, is looked at byte by byte.
    const BLOCK: usize = 64;
    let bytes = json.as_bytes();
    for (n, block) in bytes.chunks(BLOCK).enumerate() {
        let at = n * BLOCK;
        if let Ok(whole) = <&[u8; BLOCK]>::try_from(block) {
            let found =
                whole.iter().fold(0u8, |acc, &b| acc | u8::from((b == b'<') | (b == b'>') | (b == b'&') | (b == 0xe2)));
            if found == 0 {
                continue;
            }
        }
        for (i, &b) in block.iter().enumerate().map(|(i, b)| (at + i, b)) {
            let escape = match b {
                b'<' => "\\u003c",
                b'>' => "\\u003e",
                b'&' => "\\u0026",
                0xe2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xa8) => "\\u2028",
                0xe2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xa9) => "\\u2029",
                _ => continue,
            };
            out.push_str(&json[copied..i]);
            out.push_str(escape);
            copied = i + if b == 0xe2 { 3 } else { 1 };
        }
    }
    out.push_str(&json[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn script_safe_json_is_the_same_value() {
        let hostile = json!({ "headline": "</script><script>alert(1)</script> \"q\" & 'a' \u{2028}\u{2029} – é" });
        let safe = script_safe(&hostile.to_string());
        assert!(!safe.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{safe}");
        assert!(safe.contains("\\u2028\\u2029 – é"), "{safe}");
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, hostile);
    }

    #[test]
    fn script_safe_finds_every_character_wherever_the_scan_blocks_split() {
        // Each character to escape at every offset around the 64-byte blocks
        // the scan works in, including a line separator cut by a block end.
        for c in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            for pad in 0..140 {
                let text = format!("{}{c}é{c}", "x".repeat(pad));
                let json = json!({ "articleBody": text });
                let safe = script_safe(&json.to_string());
                assert!(!safe.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{pad}: {safe}");
                assert_eq!(serde_json::from_str::<Value>(&safe).unwrap(), json, "{pad}");
            }
        }
    }
}
