//! Sitemaps, the Google News sitemap and `robots.txt`.
//!
//! Part of the render phase. Input: absolute page URLs with their last
//! modification, and the recent articles. Output: XML files following the
//! sitemaps.org protocol (the `sitemap.xml` index and the files it lists,
//! see [`crate::plan::sitemaps`]) and Google's news extension.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::feeds::xml_safe;
use crate::config::BaseUrl;
use crate::plan::inputs::{Card, SitemapInputs};
use crate::plan::sitemaps::SitemapUrl;

/// Google's limit of URLs in one news sitemap.
pub const MAX_NEWS_URLS: usize = 1_000;

/// An article for the news sitemap.
#[derive(Debug, Clone)]
pub struct NewsUrl {
    /// Absolute URL.
    pub loc: String,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub published: DateTime<FixedOffset>,
}

/// One sitemap file: the `sitemap.xml` index of the files, or one of
/// them with its URLs.
pub fn sitemap(inputs: &SitemapInputs<'_>, base: &BaseUrl) -> Vec<u8> {
    if inputs.urls.is_empty() && !inputs.index.is_empty() {
        return sitemap_index(&inputs.index, base);
    }
    urlset(inputs.urls, base)
}

/// The `sitemap.xml` index: each file's address.
fn sitemap_index(files: &[&str], base: &BaseUrl) -> Vec<u8> {
    let mut index = xml_writer();
    start(&mut index, "sitemapindex", &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")]);
    for name in files {
        start(&mut index, "sitemap", &[]);
        element(&mut index, "loc", &base.join(name));
        end(&mut index, "sitemap");
    }
    end(&mut index, "sitemapindex");
    finish(index)
}

/// A `<urlset>` of these URLs. Written as text rather than event by
/// event: a sitemap file may hold 50,000 URLs (the bytes are what the XML
/// writer makes of the same elements, indented by one space a level).
fn urlset(urls: &[SitemapUrl<'_>], base: &BaseUrl) -> Vec<u8> {
    let base = escaped(base.as_str());
    let mut xml = String::with_capacity(128 + urls.len() * (base.len() + 96));
    xml.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    xml.push_str("\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">");
    // Neighbouring pages often share their last change (a day's listings,
    // stories dated without a time): each is formatted once.
    let mut last: Option<(DateTime<FixedOffset>, String)> = None;
    for url in urls {
        xml.push_str("\n <url>\n  <loc>");
        xml.push_str(&base);
        xml.push_str(&escaped(url.path.trim_start_matches('/')));
        xml.push_str("</loc>");
        if let Some(lastmod) = url.lastmod {
            // Compared with its offset: the offset shows in the text.
            let same = |(at, _): &(DateTime<FixedOffset>, String)| *at == lastmod && at.offset() == lastmod.offset();
            if !last.as_ref().is_some_and(same) {
                last = Some((lastmod, lastmod.to_rfc3339()));
            }
            xml.push_str("\n  <lastmod>");
            xml.push_str(last.as_ref().map_or("", |(_, text)| text));
            xml.push_str("</lastmod>");
        }
        xml.push_str("\n </url>");
    }
    xml.push_str("\n</urlset>\n");
    xml.into_bytes()
}

/// Text as XML carries it: what XML cannot hold dropped, markup escaped.
fn escaped(text: &str) -> Cow<'_, str> {
    // Page paths are plain: one byte scan (folded without an early exit,
    // so that it vectorizes) tells, before anything looks at characters.
    // Controls, the lead byte 0xEF of U+FFFE and U+FFFF, and markup.
    let plain = !text.bytes().fold(false, |acc, b| {
        acc | (b < 0x20) | (b == 0xef) | (b == b'<') | (b == b'>') | (b == b'&') | (b == b'\'') | (b == b'"')
    });
    if plain {
        return Cow::Borrowed(text);
    }
    match xml_safe(text) {
        Cow::Borrowed(text) => quick_xml::escape::escape(text),
        Cow::Owned(text) => Cow::Owned(quick_xml::escape::escape(text.as_str()).into_owned()),
    }
}

/// The Google News sitemap: the given articles (already limited to the
/// last two days), at most [`MAX_NEWS_URLS`]. Valid, and empty, when there
/// are none.
pub fn news_sitemap(items: &[NewsUrl], publication: &str, language: &str) -> Vec<u8> {
    let mut w = xml_writer();
    start(
        &mut w,
        "urlset",
        &[
            ("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"),
            ("xmlns:news", "http://www.google.com/schemas/sitemap-news/0.9"),
        ],
    );
    for item in items.iter().take(MAX_NEWS_URLS) {
        start(&mut w, "url", &[]);
        element(&mut w, "loc", &item.loc);
        start(&mut w, "news:news", &[]);
        start(&mut w, "news:publication", &[]);
        element(&mut w, "news:name", publication);
        element(&mut w, "news:language", &news_language(language));
        end(&mut w, "news:publication");
        element(&mut w, "news:publication_date", &item.published.to_rfc3339());
        element(&mut w, "news:title", &item.title);
        end(&mut w, "news:news");
        end(&mut w, "url");
    }
    end(&mut w, "urlset");
    finish(w)
}

/// The language as Google News wants it: the ISO 639 code alone (`en` for
/// `en-GB`), but for Chinese, whose script matters (`zh-cn`, `zh-tw`).
fn news_language(tag: &str) -> String {
    let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
    let primary = tag.split('-').next().unwrap_or_default();
    if primary != "zh" {
        return primary.to_string();
    }
    let traditional = ["-tw", "-hk", "-mo", "-hant"].iter().any(|t| tag.contains(t));
    if traditional { "zh-tw" } else { "zh-cn" }.to_string()
}

/// `robots.txt`: allow everything and point at the sitemaps (when the site
/// has a base URL to make their addresses absolute).
pub fn robots(base: Option<&BaseUrl>) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = base {
        out.push_str(&format!("\nSitemap: {}\nSitemap: {}\n", base.join("sitemap.xml"), base.join("news-sitemap.xml")));
    }
    out
}

fn xml_writer() -> Writer<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 1);
    // Writing to a Vec cannot fail.
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    w
}

fn start(w: &mut Writer<Vec<u8>>, name: &str, attributes: &[(&str, &str)]) {
    let mut tag = BytesStart::new(name);
    for attribute in attributes {
        tag.push_attribute(*attribute);
    }
    let _ = w.write_event(Event::Start(tag));
}

fn end(w: &mut Writer<Vec<u8>>, name: &str) {
    let _ = w.write_event(Event::End(BytesEnd::new(name)));
}

fn element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) {
    start(w, name, &[]);
    let _ = w.write_event(Event::Text(BytesText::new(&xml_safe(text))));
    end(w, name);
}

fn finish(w: Writer<Vec<u8>>) -> Vec<u8> {
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

/// The news sitemap's entries for these articles.
pub fn news_urls(cards: &[Card<'_>], base: &BaseUrl) -> Vec<NewsUrl> {
    cards
        .iter()
        .map(|c| NewsUrl {
            loc: base.join(c.entry.page.as_str()),
            title: c.entry.meta.title.clone(),
            published: c.entry.meta.date.at,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn news_sitemaps_give_the_language_as_google_news_wants_it() {
        for (site, news) in [
            ("en", "en"),
            ("en-GB", "en"),
            ("pt_BR", "pt"),
            ("zh-Hans-CN", "zh-cn"),
            ("zh-TW", "zh-tw"),
            ("zh-Hant", "zh-tw"),
            ("zh", "zh-cn"),
        ] {
            assert_eq!(news_language(site), news, "{site}");
        }
    }

    fn url(n: usize) -> SitemapUrl<'static> {
        SitemapUrl {
            path: Cow::Owned(format!("{n}/?a=1&b=2")),
            lastmod: DateTime::parse_from_rfc3339("2025-12-03T10:00:00+01:00").ok(),
        }
    }

    fn file_inputs<'a>(urls: &'a [SitemapUrl<'a>]) -> SitemapInputs<'a> {
        SitemapInputs { urls, index: Vec::new() }
    }

    #[test]
    fn a_sitemap_file_escapes_its_urls() {
        let base = BaseUrl::parse("https://example.org/news/").unwrap();
        let urls = [url(1)];
        let xml = String::from_utf8(sitemap(&file_inputs(&urls), &base)).unwrap();
        assert!(xml.contains("<loc>https://example.org/news/1/?a=1&amp;b=2</loc>"), "{xml}");
        assert!(xml.contains("<lastmod>2025-12-03T10:00:00+01:00</lastmod>"), "{xml}");
    }

    #[test]
    fn each_url_has_its_own_escaped_path_and_last_change() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        let at = |text: &str| DateTime::parse_from_rfc3339(text).ok();
        let page = |path: &str, lastmod| SitemapUrl { path: Cow::Owned(path.to_string()), lastmod };
        // The same instant at two offsets, then again at the first.
        let urls = [
            page("a/", at("2025-12-03T10:00:00+01:00")),
            page("b\u{1}<c>&'\"/", at("2025-12-03T09:00:00+00:00")),
            page("d/", at("2025-12-03T10:00:00+01:00")),
            page("e/", None),
        ];
        let xml = String::from_utf8(sitemap(&file_inputs(&urls), &base)).unwrap();
        let lastmods: Vec<&str> = xml.split("<lastmod>").skip(1).filter_map(|s| s.split('<').next()).collect();
        assert_eq!(lastmods, ["2025-12-03T10:00:00+01:00", "2025-12-03T09:00:00+00:00", "2025-12-03T10:00:00+01:00"]);
        assert!(xml.contains("<loc>https://example.org/b&lt;c&gt;&amp;&apos;&quot;/</loc>"), "{xml}");
        // Each character that needs it escaped (or dropped) on its own.
        for (c, written) in [("<", "&lt;"), (">", "&gt;"), ("&", "&amp;"), ("'", "&apos;"), ("\"", "&quot;")]
            .into_iter()
            .chain([("\u{1}", ""), ("\u{fffe}", ""), ("\u{ffff}", ""), ("\u{fffd}", "\u{fffd}")])
        {
            let path = format!("x{c}y/");
            let xml = String::from_utf8(sitemap(&file_inputs(&[page(&path, None)]), &base)).unwrap();
            assert!(xml.contains(&format!("<loc>https://example.org/x{written}y/</loc>")), "{c:?}: {xml}");
        }
        assert!(xml.contains(" <url>\n  <loc>https://example.org/e/</loc>\n </url>\n</urlset>\n"), "{xml}");
    }

    #[test]
    fn the_index_lists_each_file() {
        let base = BaseUrl::parse("https://example.org/news/").unwrap();
        let index = vec!["sitemap-pages.xml", "sitemap-2024.xml"];
        let xml = String::from_utf8(sitemap(&SitemapInputs { urls: &[], index }, &base)).unwrap();
        assert!(xml.contains("<sitemapindex"), "{xml}");
        let expected = " <sitemap>\n  <loc>https://example.org/news/sitemap-pages.xml</loc>\n </sitemap>\n \
                        <sitemap>\n  <loc>https://example.org/news/sitemap-2024.xml</loc>\n </sitemap>\n\
                        </sitemapindex>";
        assert!(xml.contains(expected), "{xml}");
    }

    #[test]
    fn empty_news_sitemap_is_still_valid_xml() {
        let xml = String::from_utf8(news_sitemap(&[], "Gazette", "en")).unwrap();
        assert!(xml.starts_with("<?xml"), "{xml}");
        assert!(xml.contains("<urlset") && xml.contains("</urlset>"), "{xml}");
    }

    #[test]
    fn robots_points_at_sitemaps_only_with_a_base_url() {
        let base = BaseUrl::parse("https://example.org/news/").unwrap();
        assert!(robots(Some(&base)).contains("Sitemap: https://example.org/news/sitemap.xml"));
        assert!(!robots(None).contains("Sitemap"));
    }
}
