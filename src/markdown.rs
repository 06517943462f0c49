//! Markdown to HTML: bodies, summaries, link rewriting and sanitizing.
//!
//! Used by the load phase (for the plain-text summary) and the render
//! phase (for the body). Input: an article's Markdown and where its source
//! and page live. Output: safe HTML in which every relative link or image
//! that pointed at a file next to the source (a photo, a PDF, another
//! article's `.md`) now resolves from the article's page.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::config::{BaseUrl, RawHtml};
use crate::urls;

/// The Markdown extensions Gazette turns on. Smart punctuation stays off:
/// copy renders exactly as written.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Where an article's relative references are resolved from and to.
pub struct Links<'a> {
    /// The source file's folder inside `content/` (`""` or `"2025/12"`).
    pub source_dir: &'a str,
    /// The page's folder in the output (`"2025/12/03/slug/"`).
    pub page_dir: &'a str,
    /// The page folder of the article whose source is at this content path, if any.
    pub article_page: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Make resolved URLs absolute under this base (for feeds, which are
    /// read away from the site) instead of relative to the page.
    pub absolute: Option<&'a BaseUrl>,
}

impl Links<'_> {
    /// The href a relative reference in the body should get on the page,
    /// or `None` to leave the URL as written (absolute, fragment, external,
    /// or pointing outside `content/`).
    pub fn resolve(&self, url: &str) -> Option<String> {
        if !urls::is_relative_reference(url) {
            return None;
        }
        let split = url.find(['?', '#']).unwrap_or(url.len());
        let (path, suffix) = url.split_at(split);
        if path.is_empty() {
            return None;
        }
        let target = urls::join(self.source_dir, path)?;
        let target = (self.article_page)(&target).unwrap_or(target);
        let href = match self.absolute {
            Some(base) => base.join(&target),
            None => urls::relative(self.page_dir, &target),
        };
        Some(href + suffix)
    }
}

/// Render an article body to HTML.
///
/// Raw HTML is cleaned with ammonia unless `policy` is [`RawHtml::Trusted`].
/// Bodies without raw HTML skip the HTML parser: pulldown-cmark already
/// escapes their text, and only their link and image URLs need checking.
pub fn render(markdown: &str, links: &Links<'_>, policy: RawHtml) -> String {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let has_raw_html = events.iter().any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    if has_raw_html && policy == RawHtml::Sanitize {
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        return sanitize(&html, links);
    }
    let check_schemes = policy == RawHtml::Sanitize;
    pulldown_cmark::html::push_html(&mut html, rewrite_urls(events, links, check_schemes));
    html
}

/// Resolve relative link and image URLs; when `check_schemes`, drop links
/// and images whose scheme is not a safe one (keeping their text).
fn rewrite_urls<'e>(events: Vec<Event<'e>>, links: &Links<'_>, check_schemes: bool) -> impl Iterator<Item = Event<'e>> {
    let mut dropping_link = false;
    let mut dropping_image = false;
    let rewrite = move |dest: CowStr<'e>| -> Option<CowStr<'e>> {
        if check_schemes && !urls::has_safe_scheme(&dest) {
            return None;
        }
        Some(links.resolve(&dest).map_or(dest, CowStr::from))
    };
    events.into_iter().filter_map(move |event| match event {
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => match rewrite(dest_url) {
            Some(dest_url) => Some(Event::Start(Tag::Link { link_type, dest_url, title, id })),
            None => {
                dropping_link = true;
                None
            }
        },
        Event::End(TagEnd::Link) if dropping_link => {
            dropping_link = false;
            None
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => match rewrite(dest_url) {
            Some(dest_url) => Some(Event::Start(Tag::Image { link_type, dest_url, title, id })),
            None => {
                dropping_image = true;
                None
            }
        },
        Event::End(TagEnd::Image) if dropping_image => {
            dropping_image = false;
            None
        }
        other => Some(other),
    })
}

/// Clean HTML with ammonia, resolving relative URLs on the way.
fn sanitize(html: &str, links: &Links<'_>) -> String {
    let resolve = evaluator(|url| Some(links.resolve(url).map_or(Cow::Borrowed(url), Cow::Owned)));
    ammonia::Builder::default()
        // Footnotes and code highlighting classes need `id` and `class`.
        .add_generic_attributes(["id", "class"])
        // Table column alignment, as pulldown-cmark writes it.
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(resolve)))
        .clean(html)
        .to_string()
}

/// Pins a closure to the higher-ranked signature ammonia expects.
fn evaluator<F>(f: F) -> F
where
    F: for<'u> Fn(&'u str) -> Option<Cow<'u, str>>,
{
    f
}

/// The plain text of the first paragraph, cut to `max_chars` at a word.
pub fn summary(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::End(TagEnd::Paragraph) => in_paragraph = false,
            Event::Text(t) | Event::Code(t) if in_paragraph => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    truncate(text.trim(), max_chars)
}

/// Cut text to at most `max_chars` characters at a word boundary, adding `…`.
fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max_chars / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_articles(_: &str) -> Option<String> {
        None
    }

    fn page_links(lookup: &'static (dyn Fn(&str) -> Option<String> + Sync)) -> Links<'static> {
        Links { source_dir: "2025/12", page_dir: "2025/12/03/story/", article_page: lookup, absolute: None }
    }

    fn html(md: &str, policy: RawHtml) -> String {
        render(md, &page_links(&no_articles), policy)
    }

    #[test]
    fn plain_markdown_renders() {
        assert_eq!(html("Hello *world*", RawHtml::Sanitize), "<p>Hello <em>world</em></p>\n");
    }

    #[test]
    fn template_syntax_in_bodies_is_just_text() {
        assert_eq!(html("{{ config }} {% if %}", RawHtml::Sanitize), "<p>{{ config }} {% if %}</p>\n");
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let out = html(
            "Hi <script>alert(1)</script><img src=x.png onerror=alert(1)><iframe src=//e.vil></iframe>",
            RawHtml::Sanitize,
        );
        assert!(!out.contains("script"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("iframe"), "{out}");
        assert!(out.contains("<img src=\"../../x.png\""), "{out}");
    }

    #[test]
    fn javascript_links_are_dropped_without_raw_html_too() {
        let out = html("[click](javascript:alert(1)) and ![i](vbscript:x)", RawHtml::Sanitize);
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("vbscript"), "{out}");
        assert!(out.contains("click"), "{out}");
    }

    #[test]
    fn trusted_html_passes_through() {
        let out = html("<div onclick=\"x()\">hi</div>", RawHtml::Trusted);
        assert!(out.contains("onclick"), "{out}");
    }

    #[test]
    fn relative_assets_resolve_from_the_page() {
        let out = html("![Map](map.png) [PDF](docs/report.pdf#p2) [up](../11/x.jpg)", RawHtml::Sanitize);
        assert!(out.contains("src=\"../../map.png\""), "{out}");
        assert!(out.contains("href=\"../../docs/report.pdf#p2\""), "{out}");
        assert!(out.contains("href=\"../../../11/x.jpg\""), "{out}");
    }

    #[test]
    fn absolute_and_external_urls_are_left_alone() {
        let out = html("[a](https://example.org/x) [b](/abs) [c](#top) [d](mailto:a@b.c)", RawHtml::Sanitize);
        assert!(out.contains("href=\"https://example.org/x\""), "{out}");
        assert!(out.contains("href=\"/abs\""), "{out}");
        assert!(out.contains("href=\"#top\""), "{out}");
        assert!(out.contains("href=\"mailto:a@b.c\""), "{out}");
    }

    #[test]
    fn links_to_article_sources_go_to_their_pages() {
        fn lookup(path: &str) -> Option<String> {
            (path == "2025/11/other.md").then(|| "2025/11/20/other-story/".to_string())
        }
        let out = render("[see](../11/other.md)", &page_links(&lookup), RawHtml::Sanitize);
        assert!(out.contains("href=\"../../../11/20/other-story/index.html\""), "{out}");
    }

    #[test]
    fn feeds_get_absolute_urls() {
        fn lookup(path: &str) -> Option<String> {
            (path == "2025/11/other.md").then(|| "2025/11/20/other-story/".to_string())
        }
        let base = BaseUrl::parse("https://example.org/news").unwrap();
        let links = Links { absolute: Some(&base), ..page_links(&lookup) };
        let out = render("![m](map.png) [s](../11/other.md#x)", &links, RawHtml::Sanitize);
        assert!(out.contains("src=\"https://example.org/news/2025/12/map.png\""), "{out}");
        assert!(out.contains("href=\"https://example.org/news/2025/11/20/other-story/#x\""), "{out}");
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        assert_eq!(summary("# Head\n\nFirst *para* `x`\nline two.\n\nSecond.", 100), "First para x line two.");
        assert_eq!(summary("", 100), "");
        let long = summary(&"word ".repeat(100), 30);
        assert!(long.ends_with('…') && long.chars().count() <= 31, "{long}");
    }
}
