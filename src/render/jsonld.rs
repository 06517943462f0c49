//! schema.org `NewsArticle` metadata for article pages.
//!
//! Part of the render phase. Input: an archive entry and the site's
//! configuration. Output: JSON text that is safe to print inside a
//! `<script type="application/ld+json">` element: whatever the headline
//! says, it can neither break the JSON nor close the script.

use serde_json::{Value, json};

use crate::archive::Entry;
use crate::config::Config;
use crate::urls::pages;

/// The JSON-LD of an article. `image_url` is the lead image's absolute URL.
pub fn news_article(entry: &Entry, config: &Config, image_url: Option<&str>) -> String {
    let meta = &entry.meta;
    let base = config.base_url.as_ref();
    let authors: Vec<Value> = meta
        .authors
        .iter()
        .map(|a| {
            let mut person = json!({ "@type": "Person", "name": a.name });
            if let Some(base) = base {
                person["url"] = Value::String(base.join(pages::author(&a.slug).as_str()));
            }
            person
        })
        .collect();
    let mut publisher = json!({ "@type": "Organization", "name": config.publisher_name });
    if let Some(logo) = config.publisher_logo.as_deref().and_then(|l| absolute(l, config)) {
        publisher["logo"] = json!({ "@type": "ImageObject", "url": logo });
    }
    let published = meta.date.at.to_rfc3339();
    let modified = meta.modified().map_or_else(|| published.clone(), |d| d.at.to_rfc3339());
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": meta.title,
        "datePublished": published,
        "dateModified": modified,
        "author": authors,
        "publisher": publisher,
        "inLanguage": config.language,
    });
    if !meta.summary.text.is_empty() {
        doc["description"] = Value::String(meta.summary.text.clone());
    }
    if let Some(location) = &meta.location {
        doc["locationCreated"] = json!({ "@type": "Place", "name": location });
    }
    if let Some(base) = base {
        let url = base.join(entry.page.as_str());
        doc["url"] = Value::String(url.clone());
        doc["mainEntityOfPage"] = json!({ "@type": "WebPage", "@id": url });
    }
    if let Some(image) = image_url {
        doc["image"] = json!([image]);
    }
    if let Some(section) = meta.categories.first() {
        doc["articleSection"] = Value::String(section.clone());
    }
    if !meta.tags.is_empty() {
        doc["keywords"] = Value::String(meta.tags.join(", "));
    }
    script_safe(&doc.to_string())
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
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_is_the_same_value() {
        let hostile = json!({ "headline": "</script><script>alert(1)</script> \"q\" & 'a' \u{2028}" });
        let safe = script_safe(&hostile.to_string());
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'), "{safe}");
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, hostile);
    }
}
