//! Markdown to HTML: bodies, summaries, link rewriting and sanitizing.
//!
//! Used by the load phase (for the plain-text summary) and the render
//! phase (for the body). Input: an article's Markdown and where its source
//! and page live. Output: safe HTML in which every relative link or image
//! that pointed at a file next to the source (a photo, a PDF, another
//! article's `.md`) now resolves from the article's page.

mod html_scan;

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::Mutex;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::limits::Limits;
use crate::urls;
use crate::urls::BaseUrl;

/// How raw HTML inside Markdown is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Cleaned with ammonia: no scripts, event handlers, `javascript:` links or frames.
    #[default]
    Sanitize,
    /// Passed through untouched (only for content you fully trust).
    Trusted,
}

/// The Markdown extensions Gazette turns on. Smart punctuation stays off:
/// copy renders exactly as written.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// What a relative reference in a body points at, inside `content/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A published article: its page folder.
    Page(String),
    /// An article source that is not in this build (a draft, a future or a
    /// broken article).
    Unpublished,
    /// Any other file (copied to the output under the same path).
    File,
    /// A photo, published as its variants.
    Photo(std::sync::Arc<crate::photos::Photo>),
    /// Nothing at that path.
    Missing,
}

/// Where an article's relative references are resolved from and to.
pub struct Links<'a> {
    /// The source file's folder inside `content/` (`""` or `"2025/12"`).
    pub source_dir: &'a str,
    /// The page's folder in the output (`"2025/12/03/slug/"`).
    pub page_dir: &'a str,
    /// What is at a path inside `content/`.
    pub target: &'a (dyn Fn(&str) -> Target + Sync),
    /// Make resolved URLs absolute under this base (for feeds, which are
    /// read away from the site) instead of relative to the page.
    pub absolute: Option<&'a BaseUrl>,
}

/// An article body as HTML, and what its links found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Content paths of the articles it links to (the page depends on their URLs).
    pub linked: Vec<String>,
    /// Links that lead nowhere, for warnings.
    pub broken: Vec<BrokenRef>,
}

/// A link in a body that leads nowhere, or only from a domain root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenRef {
    /// A root-absolute link (`/about/`), which works only when the site
    /// is served from a domain root (never from disk or a sub-path),
    /// rather than one to nothing.
    pub rooted: bool,
    /// The URL as written.
    pub url: String,
    /// The path inside `content/` it leads to.
    pub target: String,
    /// Where the body writes it (a byte offset in the Markdown); `None`
    /// for a link in raw HTML, which the sanitizer resolves as a whole.
    pub offset: Option<usize>,
    /// What is wrong, in words.
    pub message: String,
}

/// Collects what resolving a body's links found.
#[derive(Default)]
struct Found {
    linked: Vec<String>,
    broken: Vec<BrokenRef>,
}

impl Links<'_> {
    /// The href a relative reference in the body should get on the page,
    /// or `None` to leave the URL as written (absolute, fragment, external,
    /// or pointing outside `content/`).
    fn resolve(&self, url: &str, found: &Mutex<Found>, offset: Option<usize>) -> Option<String> {
        if !urls::is_relative_reference(url) {
            if self.absolute.is_none() && url.starts_with('/') && !url.starts_with("//") {
                let message =
                    format!("absolute link {url:?}: it breaks when the site is opened from disk or a sub-path");
                let mut found = found.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                found.broken.push(BrokenRef {
                    rooted: true,
                    url: url.to_string(),
                    target: url.to_string(),
                    offset,
                    message,
                });
            }
            // Read away from the site (a feed), `#notes` or `/about/`
            // would resolve against the feed's address: make them absolute.
            return self.absolute.and_then(|base| base.absolute_reference(self.page_dir, url));
        }
        let split = url.find(['?', '#']).unwrap_or(url.len());
        let (path, suffix) = url.split_at(split);
        if path.is_empty() {
            return None;
        }
        let target = urls::join(self.source_dir, path)?;
        let mut found = found.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let resolved = match (self.target)(&target) {
            Target::Page(page) => {
                found.linked.push(target);
                page
            }
            Target::File => target,
            // A link to a photo (or an image in raw HTML) gets its largest
            // variant: the original is not published.
            Target::Photo(photo) => {
                found.linked.push(target.clone());
                photo.at_least(u32::MAX).map_or(target, |v| v.rel.clone())
            }
            Target::Unpublished => {
                found.linked.push(target.clone());
                let message = format!(
                    "links to content/{target}, which is not published (a draft, dated in the future, or broken)"
                );
                found.broken.push(BrokenRef {
                    rooted: false,
                    url: url.to_string(),
                    target: target.clone(),
                    offset,
                    message,
                });
                target
            }
            Target::Missing => {
                let message = format!("broken link: there is no content/{target} (the article links to {url:?})");
                found.broken.push(BrokenRef {
                    rooted: false,
                    url: url.to_string(),
                    target: target.clone(),
                    offset,
                    message,
                });
                target
            }
        };
        let href = match self.absolute {
            Some(base) => base.join(&resolved),
            None => urls::relative(self.page_dir, &resolved),
        };
        Some(href + suffix)
    }
}

impl Links<'_> {
    /// The photo a relative URL of the body points at, with its path.
    fn photo(&self, url: &str) -> Option<(String, std::sync::Arc<crate::photos::Photo>)> {
        if !urls::is_relative_reference(url) || url.contains(['?', '#']) {
            return None;
        }
        let target = urls::join(self.source_dir, url)?;
        match (self.target)(&target) {
            Target::Photo(photo) => Some((target, photo)),
            _ => None,
        }
    }

    /// The `<figure>` of a Markdown image `url` when it is a photo of
    /// `content/` (recorded as linked: the page changes with the photo).
    fn figure(&self, url: &str, alt: &str, title: &str, found: &Mutex<Found>) -> Option<String> {
        let (target, photo) = self.photo(url)?;
        let href = |rel: &str| match self.absolute {
            Some(base) => base.join(rel),
            None => urls::relative(self.page_dir, rel),
        };
        let sets = crate::photos::html::Srcsets::of(&photo, &href)?;
        found.lock().unwrap_or_else(std::sync::PoisonError::into_inner).linked.push(target);
        let caption = Some(title).filter(|t| !t.is_empty()).or(photo.caption.as_deref());
        let words = crate::photos::html::Words { alt, caption, credit: photo.credit.as_deref() };
        Some(crate::photos::html::figure(&sets, words))
    }
}

/// A body that cannot be rendered within the limits, at a byte offset in
/// its Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooCostly {
    /// Where in the Markdown.
    pub offset: usize,
    /// What is wrong, and the limit.
    pub message: String,
}

/// Render an article body to HTML.
///
/// Raw HTML is cleaned with ammonia unless `policy` is [`RawHtml::Trusted`].
/// Bodies without raw HTML skip the HTML parser: pulldown-cmark already
/// escapes their text, and only their link and image URLs need checking.
/// Relative references resolve from the article's page either way (in
/// trusted raw HTML too).
///
/// Within `limits`: the HTML is written into a buffer that refuses to
/// grow past `body_mb` (a few kilobytes of Markdown can reference one long
/// link thousands of times), so rendering stops there; and before the
/// sanitizer parses raw HTML, one pass checks how deep it nests and how
/// many formatting elements the parser would reopen.
pub fn render(markdown: &str, links: &Links<'_>, policy: RawHtml, limits: &Limits) -> Result<Rendered, TooCostly> {
    let found = Mutex::new(Found::default());
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(markdown, options()).into_offset_iter().collect();
    let has_raw_html = events.iter().any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let sanitizing = has_raw_html && policy == RawHtml::Sanitize;
    // Where the event being written starts, for placing a broken link
    // (raw HTML is resolved by the sanitizer, all at once: unplaced).
    let at = std::sync::atomic::AtomicUsize::new(0);
    let resolve =
        |url: &str| links.resolve(url, &found, (!sanitizing).then(|| at.load(std::sync::atomic::Ordering::Relaxed)));
    let is_photo = |url: &str| links.photo(url).is_some();
    let figure = |url: &str, alt: &str, title: &str| links.figure(url, alt, title, &found);
    let max = limits.body_bytes();
    let written = Cell::new(0);
    let pulled = Cell::new(0usize);
    // Where each event's HTML starts, to place what the HTML scan finds.
    let mut starts: Vec<usize> = Vec::new();
    let mut html = Capped { html: String::with_capacity((markdown.len() * 3 / 2).min(max)), max, written: &written };
    let events = events.into_iter().map(|(event, range)| {
        pulled.set(pulled.get() + 1);
        at.store(range.start, std::sync::atomic::Ordering::Relaxed);
        if sanitizing {
            starts.push(written.get());
        }
        event
    });
    let check_schemes = policy == RawHtml::Sanitize;
    let outcome = if sanitizing {
        pulldown_cmark::html::write_html_fmt(&mut html, events)
    } else {
        pulldown_cmark::html::write_html_fmt(
            &mut html,
            rewrite_urls(photos_as_figures(events, &is_photo, &figure), &resolve, check_schemes),
        )
    };
    let too_long = |offset: usize| TooCostly {
        offset,
        message: format!("the body's HTML passes {} MB here (limits.body_mb in site.yaml)", limits.body_mb),
    };
    if outcome.is_err() {
        return Err(too_long(source_of(markdown, pulled.get().saturating_sub(1), 0)));
    }
    let mut html = html.html;
    if !sanitizing && html.contains("<figure class=\"photo\">") {
        // A photo alone in its paragraph stands as a figure, not inside a `<p>`.
        html = html
            .replace("<p><figure class=\"photo\">", "<figure class=\"photo\">")
            .replace("</figure></p>", "</figure>");
    }
    if sanitizing {
        html_scan::check(&html, limits.html_depth).map_err(|refusal| {
            let event = starts.partition_point(|&at| at <= refusal.offset).saturating_sub(1);
            let within = refusal.offset - starts.get(event).copied().unwrap_or(0);
            TooCostly { offset: source_of(markdown, event, within), message: refusal.message }
        })?;
        html = sanitize(&html, &resolve);
    }
    if let Some(base) = links.absolute {
        // Footnote references are written by the HTML writer, not as links:
        // make theirs absolute too. (Text cannot hold `href="`: its quotes
        // are escaped.)
        html = html.replace("href=\"#", &format!("href=\"{}#", base.join(links.page_dir)));
    }
    if html.len() > max {
        return Err(too_long(markdown.len()));
    }
    let mut found = found.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    // A link is placed where its URL is written, not where the link starts.
    for broken in &mut found.broken {
        if let Some(at) = broken.offset {
            broken.offset =
                Some(markdown.get(at..).and_then(|rest| rest.find(broken.url.as_str())).map_or(at, |i| at + i));
        }
    }
    Ok(Rendered { html, linked: found.linked, broken: found.broken })
}

/// Where in `markdown` its `event`-th event starts, plus `within` (raw
/// HTML is copied as written, so an offset inside its HTML is one inside
/// its source), kept inside the event. Found by parsing again: it is only
/// needed to report a problem, and the parse is the same every time.
fn source_of(markdown: &str, event: usize, within: usize) -> usize {
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .nth(event)
        .map_or(0, |(_, range)| (range.start + within).min(range.end.saturating_sub(1)).max(range.start))
}

/// A `String` that refuses to grow past `max` bytes, telling how much it
/// holds as it is written.
struct Capped<'c> {
    html: String,
    max: usize,
    written: &'c Cell<usize>,
}

impl std::fmt::Write for Capped<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.html.len() + s.len() > self.max {
            return Err(std::fmt::Error);
        }
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}

/// Resolve relative URLs of links, images and (trusted) raw HTML; when
/// `check_schemes`, drop links and images whose scheme is not a safe one
/// (keeping their text).
fn rewrite_urls<'e>(
    events: impl Iterator<Item = Event<'e>>,
    resolve: &(dyn Fn(&str) -> Option<String> + Sync),
    check_schemes: bool,
) -> impl Iterator<Item = Event<'e>> {
    let mut dropping_link = false;
    let mut dropping_image = false;
    let rewrite = move |dest: CowStr<'e>| -> Option<CowStr<'e>> {
        if check_schemes && !urls::has_safe_scheme(&dest) {
            return None;
        }
        Some(resolve(&dest).map_or(dest, CowStr::from))
    };
    events.filter_map(move |event| match event {
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
        // Only reached with trusted raw HTML (sanitized bodies go through ammonia).
        Event::Html(html) => Some(Event::Html(rewrite_html_urls(&html, resolve).into())),
        // (A photo's figure, made with its URLs resolved, stays as it is.)
        Event::InlineHtml(html) if html.starts_with("<figure class=\"photo\">") => Some(Event::InlineHtml(html)),
        Event::InlineHtml(html) => Some(Event::InlineHtml(rewrite_html_urls(&html, resolve).into())),
        other => Some(other),
    })
}

/// Markdown images of photos (`is_photo`) as `<figure>`s (`figure(url,
/// alt, title)`); other images are left as they are.
fn photos_as_figures<'e>(
    events: impl Iterator<Item = Event<'e>>,
    is_photo: &(dyn Fn(&str) -> bool + Sync),
    figure: &(dyn Fn(&str, &str, &str) -> Option<String> + Sync),
) -> impl Iterator<Item = Event<'e>> {
    // The photo being read: its URL, title and alt text so far.
    let mut open: Option<(CowStr<'e>, CowStr<'e>, String)> = None;
    events.filter_map(move |event| match (event, &mut open) {
        (Event::Start(Tag::Image { link_type, dest_url, title, id }), None) => {
            if is_photo(&dest_url) {
                open = Some((dest_url, title, String::new()));
                return None;
            }
            Some(Event::Start(Tag::Image { link_type, dest_url, title, id }))
        }
        (Event::Text(t) | Event::Code(t), Some((_, _, alt))) => {
            alt.push_str(&t);
            None
        }
        (Event::End(TagEnd::Image), Some(_)) => {
            let (url, title, alt) = open.take()?;
            figure(&url, &alt, &title).map(|html| Event::InlineHtml(html.into()))
        }
        (_, Some(_)) => None,
        (event, None) => Some(event),
    })
}

/// Resolve the `href`, `src` and `poster` attribute values in trusted raw
/// HTML. Everything else is copied as written.
fn rewrite_html_urls(html: &str, resolve: &(dyn Fn(&str) -> Option<String> + Sync)) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |i| i + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        // The tag runs to the first `>` outside quotes.
        let mut quote = None;
        let end = rest
            .char_indices()
            .find(|&(_, c)| match quote {
                Some(q) if c == q => {
                    quote = None;
                    false
                }
                Some(_) => false,
                None if c == '"' || c == '\'' => {
                    quote = Some(c);
                    false
                }
                None => c == '>',
            })
            .map_or(rest.len(), |(i, _)| i + 1);
        out.push_str(&rewrite_tag(&rest[..end], resolve));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One tag with its URL attributes resolved.
fn rewrite_tag(tag: &str, resolve: &(dyn Fn(&str) -> Option<String> + Sync)) -> String {
    let mut out = String::with_capacity(tag.len() + 16);
    let mut i = 0;
    let bytes = tag.as_bytes();
    while i < tag.len() {
        let at_name = i > 0 && bytes[i - 1].is_ascii_whitespace();
        let name_len = ["href", "src", "poster"]
            .iter()
            .find(|n| at_name && bytes.get(i..i + n.len()).is_some_and(|b| b.eq_ignore_ascii_case(n.as_bytes())))
            .map(|n| n.len());
        let Some(name_len) = name_len else {
            let c = tag[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
            continue;
        };
        // name, optional spaces, `=`, optional spaces, value.
        let after_name = i + name_len;
        let eq = tag[after_name..].find(|c: char| !c.is_ascii_whitespace()).map(|j| after_name + j);
        let Some(eq) = eq.filter(|&j| bytes[j] == b'=') else {
            out.push_str(&tag[i..after_name]);
            i = after_name;
            continue;
        };
        let value_start = tag[eq + 1..].find(|c: char| !c.is_ascii_whitespace()).map_or(tag.len(), |j| eq + 1 + j);
        let (value, value_end, quote) = match bytes.get(value_start) {
            Some(&q @ (b'"' | b'\'')) => {
                let close = tag[value_start + 1..].find(q as char).map_or(tag.len(), |j| value_start + 1 + j);
                (&tag[value_start + 1..close], (close + 1).min(tag.len()), Some(q as char))
            }
            _ => {
                let end = tag[value_start..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map_or(tag.len(), |j| value_start + j);
                (&tag[value_start..end], end, None)
            }
        };
        out.push_str(&tag[i..value_start]);
        let new_value = resolve(value).unwrap_or_else(|| value.to_string());
        match quote {
            Some(q) => {
                out.push(q);
                out.push_str(&new_value);
                out.push(q);
            }
            None => out.push_str(&new_value),
        }
        i = value_end;
    }
    out
}

/// Clean HTML with ammonia, resolving relative URLs on the way.
///
/// Ids are prefixed (`user-content-`) so a body cannot take the id of the
/// page's own landmarks, and fragment links follow the prefix, which keeps
/// footnotes working; classes are limited to footnotes and code languages.
fn sanitize(html: &str, resolve: &(dyn Fn(&str) -> Option<String> + Sync)) -> String {
    const PREFIX: &str = "user-content-";
    let evaluate = evaluator(|url| {
        if let Some(fragment) = url.strip_prefix('#') {
            return Some(Cow::Owned(format!("#{PREFIX}{fragment}")));
        }
        Some(resolve(url).map_or(Cow::Borrowed(url), Cow::Owned))
    });
    ammonia::Builder::default()
        .add_generic_attributes(["id"])
        .id_prefix(Some(PREFIX))
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("div", ["class"])
        .add_tag_attributes("sup", ["class"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("code", "class") => value.starts_with("language-").then_some(value.into()),
            ("div" | "sup", "class") => {
                matches!(value, "footnote-definition" | "footnote-definition-label" | "footnote-reference")
                    .then_some(value.into())
            }
            _ => Some(value.into()),
        })
        // Table column alignment, as pulldown-cmark writes it.
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Custom(Box::new(evaluate)))
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
    // The parser reads a whole document's blocks before yielding anything,
    // so first try only the start: up to the first blank line after a line
    // of plain text. If that holds no paragraph (it was a setext heading,
    // indented code…), read the whole document.
    let mut end = markdown.len();
    let mut seen_text = false;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() && seen_text {
            end = offset;
            break;
        }
        seen_text =
            !trimmed.is_empty() && !trimmed.starts_with(['#', '>', '-', '*', '+', '|', '`', '<', '[', '!', '=', '~']);
        offset += line.len();
    }
    let text = first_paragraph(&markdown[..end]);
    let text = if text.is_empty() && end < markdown.len() { first_paragraph(markdown) } else { text };
    truncate(text.trim(), max_chars)
}

fn first_paragraph(markdown: &str) -> String {
    let mut text = String::new();
    let mut in_paragraph = false;
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(Tag::Paragraph) => in_paragraph = true,
            Event::End(TagEnd::Paragraph) if !text.trim().is_empty() => break,
            Event::End(TagEnd::Paragraph) => in_paragraph = false,
            // A character reference can spell a control character (`&#1;`):
            // invisible, and not allowed in feeds.
            Event::Text(t) | Event::Code(t) if in_paragraph => {
                text.push_str(&crate::load::without_control_chars(&t));
            }
            Event::SoftBreak | Event::HardBreak if in_paragraph => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Cut text to at most `max_chars` characters at a word boundary, adding `…`.
fn truncate(text: &str, max_chars: usize) -> String {
    let Some((end, _)) = text.char_indices().nth(max_chars) else {
        return text.to_string();
    };
    let cut = &text[..end];
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max_chars / 2 => &cut[..i],
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Content: 2025/11/other.md is published, 2025/11/draft.md is not,
    /// and every .png, .pdf, .jpg exists.
    fn content(path: &str) -> Target {
        match path {
            "2025/11/other.md" => Target::Page("2025/11/20/other-story/".into()),
            "2025/11/draft.md" => Target::Unpublished,
            p if p.ends_with(".png") || p.ends_with(".pdf") || p.ends_with(".jpg") => Target::File,
            _ => Target::Missing,
        }
    }

    fn page_links() -> Links<'static> {
        Links { source_dir: "2025/12", page_dir: "2025/12/03/story/", target: &content, absolute: None }
    }

    fn html(md: &str, policy: RawHtml) -> String {
        render(md, &page_links(), policy, &Limits::default()).unwrap().html
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
        let out = render("[see](../11/other.md)", &page_links(), RawHtml::Sanitize, &Limits::default()).unwrap();
        assert!(out.html.contains("href=\"../../../11/20/other-story/index.html\""), "{out:?}");
        assert_eq!(out.linked, ["2025/11/other.md"]);
        assert!(out.broken.is_empty());
    }

    #[test]
    fn links_that_lead_nowhere_are_reported() {
        let out = render(
            "[a](../11/draft.md) [b](./) [c](nothere.txt)",
            &page_links(),
            RawHtml::Sanitize,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(out.broken.len(), 3, "{out:?}");
        assert!(out.broken[0].message.contains("links to content/2025/11/draft.md, which is not published"), "{out:?}");
        assert_eq!(out.broken[2].url, "nothere.txt");
    }

    #[test]
    fn trusted_raw_html_urls_resolve_too() {
        let out = html(
            "<img src=\"map.png\" alt='x'> <a href='../../docs/r.pdf' class=x>r</a> <video poster=v.jpg></video>",
            RawHtml::Trusted,
        );
        assert!(out.contains("<img src=\"../../map.png\" alt='x'>"), "{out}");
        assert!(out.contains("<a href='../../../../docs/r.pdf' class=x>"), "{out}");
        assert!(out.contains("poster=../../v.jpg"), "{out}");
    }

    #[test]
    fn trusted_raw_html_in_any_script_never_panics() {
        // A multi-byte character where an attribute name could start.
        let out = html("<iframe sr\u{4f4f} src=a.png>", RawHtml::Trusted);
        assert!(out.contains("sr\u{4f4f} src=../../a.png"), "{out}");
    }

    #[test]
    fn sanitized_ids_cannot_take_the_pages_own() {
        let out =
            html("<div id=\"main\" class=\"skip-link\">x</div>\n\nA note[^1].\n\n[^1]: The note.", RawHtml::Sanitize);
        assert!(!out.contains("id=\"main\""), "{out}");
        assert!(!out.contains("skip-link"), "{out}");
        assert!(out.contains("href=\"#user-content-1\""), "{out}");
        assert!(out.contains("id=\"user-content-1\""), "{out}");
    }

    #[test]
    fn feeds_get_absolute_urls() {
        let base = BaseUrl::parse("https://example.org/news").unwrap();
        let links = Links { absolute: Some(&base), ..page_links() };
        let out =
            render("![m](map.png) [s](../11/other.md#x)", &links, RawHtml::Sanitize, &Limits::default()).unwrap().html;
        assert!(out.contains("src=\"https://example.org/news/2025/12/map.png\""), "{out}");
        assert!(out.contains("href=\"https://example.org/news/2025/11/20/other-story/#x\""), "{out}");
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        assert_eq!(summary("# Head\n\nFirst *para* `x`\nline two.\n\nSecond.", 100), "First para x line two.");
        assert_eq!(summary("", 100), "");
        assert_eq!(summary("Title\n=====\n\nThe text.\n\nMore.", 100), "The text.");
        assert_eq!(summary("    code\n\nThe text.", 100), "The text.");
        assert_eq!(summary("* a list\n\nThe text.", 100), "The text.");
        let long = summary(&"word ".repeat(100), 30);
        assert!(long.ends_with('…') && long.chars().count() <= 31, "{long}");
        // Control characters spelled as references are dropped.
        assert_eq!(summary("A&#1;B &#x7f;C", 100), "AB C");
    }
}
