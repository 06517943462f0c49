//! Atom and RSS feeds.
//!
//! Part of the render phase. Input: feed items already chosen and ordered
//! (newest first) with absolute URLs. Output: well-formed XML whatever the
//! content: escaping is left to the `atom_syndication` and `rss` crates,
//! and characters XML 1.0 cannot carry at all (most control characters)
//! are removed first.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::archive::Entry;
use crate::config::{BaseUrl, Config};
use crate::plan::inputs::{Card, Categories, FeedInputs, FeedKind, Links};
use crate::urls::pages;

/// A feed, ready to serialize.
#[derive(Debug, Clone)]
pub struct Feed {
    /// Feed title.
    pub title: String,
    /// Absolute URL of the HTML page the feed follows (home, an author page).
    pub page_url: String,
    /// Absolute URL of the feed itself.
    pub self_url: String,
    /// The feed's language.
    pub language: String,
    /// What the feed is (RSS requires a description; the site's, else its title).
    pub description: String,
    /// Who publishes it: the feed's author, which Atom requires unless
    /// every entry names one (a story may have no byline).
    pub publisher: String,
    /// When it last changed if it has no entries: the archive's newest
    /// article (the epoch for an empty archive), never the build time, so
    /// an unchanged site writes the same bytes.
    pub quiet_since: DateTime<FixedOffset>,
    /// Entries, newest first.
    pub items: Vec<Item>,
}

/// One feed entry.
#[derive(Debug, Clone)]
pub struct Item {
    /// Stable identifier: the article's permalink (plus a fragment for corrections).
    pub id: String,
    /// Entry title.
    pub title: String,
    /// Absolute link to the article.
    pub url: String,
    /// First publication.
    pub published: DateTime<FixedOffset>,
    /// Last change (the publication date if never changed).
    pub updated: DateTime<FixedOffset>,
    /// Authors: name and absolute author-page URL.
    pub authors: Vec<(String, Option<String>)>,
    /// Plain-text summary.
    pub summary: String,
    /// HTML content, when the feed carries full bodies.
    pub content: Option<String>,
    /// Tags and categories.
    pub categories: Vec<String>,
}

impl Feed {
    /// The newest `updated` of the entries, or `quiet_since` without any.
    fn updated(&self) -> DateTime<FixedOffset> {
        self.items.iter().map(|i| i.updated).max().unwrap_or(self.quiet_since)
    }

    /// The feed as Atom 1.0.
    pub fn to_atom(&self) -> String {
        use atom_syndication as atom;
        let link = |href: &str, rel: &str, mime: Option<&str>| atom::Link {
            href: href.to_string(),
            rel: rel.to_string(),
            mime_type: mime.map(str::to_string),
            ..Default::default()
        };
        let entries = self
            .items
            .iter()
            .map(|item| atom::Entry {
                title: atom::Text::plain(xml_safe(&item.title)),
                id: xml_safe(&item.id).into_owned(),
                updated: item.updated,
                published: Some(item.published),
                authors: item
                    .authors
                    .iter()
                    .map(|(name, uri)| atom::Person {
                        name: xml_safe(name).into_owned(),
                        uri: uri.clone(),
                        ..Default::default()
                    })
                    .collect(),
                categories: item
                    .categories
                    .iter()
                    .map(|c| atom::Category { term: xml_safe(c).into_owned(), ..Default::default() })
                    .collect(),
                links: vec![link(&item.url, "alternate", Some("text/html"))],
                summary: Some(atom::Text::plain(xml_safe(&item.summary))),
                content: item.content.as_ref().map(|html| atom::Content {
                    value: Some(xml_safe(html).into_owned()),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect();
        let feed = atom::Feed {
            title: atom::Text::plain(xml_safe(&self.title)),
            id: self.self_url.clone(),
            updated: self.updated(),
            links: vec![
                link(&self.self_url, "self", Some("application/atom+xml")),
                link(&self.page_url, "alternate", Some("text/html")),
            ],
            lang: Some(self.language.clone()),
            authors: vec![atom::Person { name: xml_safe(&self.publisher).into_owned(), ..Default::default() }],
            generator: Some(atom::Generator { value: "Gazette".into(), ..Default::default() }),
            entries,
            ..Default::default()
        };
        feed.to_string()
    }

    /// The feed as RSS 2.0.
    pub fn to_rss(&self) -> String {
        let items = self
            .items
            .iter()
            .map(|item| rss::Item {
                title: Some(xml_safe(&item.title).into_owned()),
                link: Some(item.url.clone()),
                description: Some(xml_safe(item.content.as_deref().unwrap_or(&item.summary)).into_owned()),
                author: None,
                categories: item
                    .categories
                    .iter()
                    .map(|c| rss::Category { name: xml_safe(c).into_owned(), domain: None })
                    .collect(),
                guid: Some(rss::Guid { value: item.id.clone(), permalink: !item.id.contains('#') }),
                pub_date: Some(item.published.to_rfc2822()),
                dublin_core_ext: Some(rss::extension::dublincore::DublinCoreExtension {
                    creators: item.authors.iter().map(|(name, _)| xml_safe(name).into_owned()).collect(),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect();
        let channel = rss::Channel {
            title: xml_safe(&self.title).into_owned(),
            link: self.page_url.clone(),
            description: xml_safe(&self.description).into_owned(),
            language: Some(self.language.clone()),
            // The RSS Advisory Board's advice: say where the feed lives.
            atom_ext: Some(rss::extension::atom::AtomExtension {
                links: vec![atom_syndication::Link {
                    href: self.self_url.clone(),
                    rel: "self".into(),
                    mime_type: Some("application/rss+xml".into()),
                    ..Default::default()
                }],
            }),
            generator: Some("Gazette".into()),
            last_build_date: Some(self.updated().to_rfc2822()),
            items,
            namespaces: [("dc".to_string(), rss::extension::dublincore::NAMESPACE.to_string())].into(),
            ..Default::default()
        };
        channel.to_string()
    }
}

/// Remove the characters XML 1.0 cannot represent even escaped: control
/// characters other than tab, newline and carriage return, and U+FFFE/FFFF.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}');
    // A byte scan first, folded without an early exit so that it
    // vectorizes: C0 controls, and the lead byte 0xEF that U+FFFE and
    // U+FFFF share with other characters. Only text with one of them is
    // looked at character by character.
    let suspect = text
        .bytes()
        .fold(false, |acc, b| acc | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xef));
    if !suspect || text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

/// The entry for an article, with `content` as its body if given, and
/// its desk and tags as `categories`.
fn item(entry: &Entry, base: &BaseUrl, content: Option<String>, categories: Categories<'_>) -> Item {
    let meta = &entry.meta;
    let url = base.join(entry.page.as_str());
    Item {
        id: url.clone(),
        title: meta.title.clone(),
        url,
        published: meta.date.at,
        updated: meta.modified().unwrap_or(meta.date).at,
        authors: authors(entry, base),
        summary: meta.summary.text.clone(),
        content,
        categories: categories.names().map(str::to_string).collect(),
    }
}

/// The entry for a corrected article: its corrections, newest first.
fn correction(entry: &Entry, base: &BaseUrl, categories: Categories<'_>) -> Item {
    let meta = &entry.meta;
    let mut corrected = item(entry, base, None, categories);
    let notices: Vec<String> = meta
        .corrections
        .iter()
        .rev()
        .map(|c| format!("<p><strong>{}</strong>: {}</p>", c.date.at.format("%Y-%m-%d"), escape_html(&c.text)))
        .collect();
    corrected.id = format!("{}#corrections", corrected.url);
    corrected.title = format!("Correction: {}", meta.title);
    corrected.summary = meta.corrections.last().map(|c| c.text.clone()).unwrap_or_default();
    corrected.updated = meta.corrections.last().map_or(corrected.updated, |c| c.date.at);
    corrected.content = Some(notices.join("\n"));
    corrected
}

/// A feed from its inputs:
/// - the site's: the newest articles; `body` gives an entry's HTML body
///   with absolute links when the site carries full content (then the
///   inputs hold each entry's links); an entry whose body cannot be made
///   carries its summary (the article's own page reports why).
///   Serialized as Atom for `feed.xml` and as RSS for `rss.xml`;
/// - an author's: their newest articles, with summaries (so a big
///   archive never renders every body again for its author feeds);
/// - the corrections': corrected articles, most recently corrected first,
///   each entry listing its corrections.
pub fn feed(
    inputs: &FeedInputs<'_>,
    config: &Config,
    base: &BaseUrl,
    body: &(dyn Fn(Card<'_>, &Links<'_>) -> Option<String> + Sync),
) -> Feed {
    let (title, page, file) = match inputs.feed {
        FeedKind::Site { rss } => (config.title.clone(), pages::home(), if rss { "rss.xml" } else { "feed.xml" }),
        FeedKind::Author { name, slug } => (format!("{name} — {}", config.title), pages::author(slug), "feed.xml"),
        FeedKind::Corrections => (format!("Corrections — {}", config.title), pages::corrections(), "feed.xml"),
        FeedKind::Topic(kind, topic) => {
            (format!("{} — {}", topic.name, config.title), pages::topic(kind.plural(), topic.slug), "feed.xml")
        }
    };
    let items = inputs
        .items
        .par_iter()
        .map(|entry| match (inputs.feed, &entry.links) {
            (FeedKind::Corrections, _) => correction(entry.card.entry, base, entry.categories),
            (_, Some(links)) => item(entry.card.entry, base, body(entry.card, links), entry.categories),
            (_, None) => item(entry.card.entry, base, None, entry.categories),
        })
        .collect();
    Feed {
        description: config.description.clone().unwrap_or_else(|| title.clone()),
        title,
        page_url: base.join(page.as_str()),
        self_url: base.join(&format!("{}{file}", page.as_str())),
        language: config.language.clone(),
        publisher: config.publisher_name.clone(),
        quiet_since: inputs.quiet_since.map(|m| m.0).unwrap_or_default(),
        items,
    }
}

fn authors(entry: &Entry, base: &BaseUrl) -> Vec<(String, Option<String>)> {
    entry.meta.authors.iter().map(|a| (a.name.clone(), Some(base.join(pages::author(&a.slug).as_str())))).collect()
}

/// Escape text for HTML content inside a feed entry.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile_feed() -> Feed {
        let at = DateTime::parse_from_rfc3339("2025-12-03T10:00:00+01:00").unwrap();
        Feed {
            title: "News & <Views>".into(),
            page_url: "https://example.org/news/".into(),
            self_url: "https://example.org/news/feed.xml".into(),
            language: "en".into(),
            description: "All the <news>".into(),
            publisher: "The & Times".into(),
            quiet_since: at,
            items: vec![Item {
                id: "https://example.org/news/2025/12/03/a/".into(),
                title: "Tom & \"Jerry\" <b>\u{1}\u{1F4F0}".into(),
                url: "https://example.org/news/2025/12/03/a/".into(),
                published: at,
                updated: at,
                authors: vec![("Zoë <O'Brien>".into(), Some("https://example.org/news/authors/zoe/".into()))],
                summary: "A ]]> B \u{b}".into(),
                content: Some("<p>x ]]> y</p><![CDATA[ z ]]>".into()),
                categories: vec!["a&b".into()],
            }],
        }
    }

    #[test]
    fn hostile_text_still_gives_parseable_feeds() {
        let feed = hostile_feed();
        for xml in [feed.to_atom(), feed.to_rss()] {
            let parsed = feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"));
            assert_eq!(parsed.entries.len(), 1);
            let title = parsed.entries[0].title.as_ref().unwrap().content.clone();
            assert_eq!(title, "Tom & \"Jerry\" <b>\u{1F4F0}");
        }
    }

    #[test]
    fn xml_safe_removes_only_what_xml_cannot_carry() {
        assert_eq!(xml_safe("a\u{0}b\tc\u{1b}d\u{fffe}"), "ab\tcd");
        assert!(matches!(xml_safe("plain ü"), Cow::Borrowed(_)));
        // Other characters whose UTF-8 starts with the byte 0xEF stay.
        assert!(matches!(xml_safe("\u{fffd} \u{f8ff} \u{fb01}"), Cow::Borrowed(_)));
        assert_eq!(xml_safe("x\u{ffff}\u{fffd}"), "x\u{fffd}");
    }
}
