//! URLs: the one mapping between a page, its output file and its links.
//!
//! Used by the archive (to place pages) and the renderer (to link them).
//! Every page is a folder holding `index.html`; every link between pages is
//! relative and names `index.html` explicitly, so the output browses the
//! same from `file://`, from a domain root, or from any sub-path.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

/// Where a page lives: its folder relative to the output root, `""` for
/// the home page, otherwise ending in `/` (`"2025/12/03/"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PagePath(String);

impl PagePath {
    /// The home page.
    pub fn root() -> Self {
        PagePath(String::new())
    }

    /// Stands for any page, for what is made once and shown on many pages
    /// (a story card): each link from it is the link from the root behind
    /// [`ROOT`], which [`unroot`] turns into the way back to the root of
    /// the page that shows it.
    pub fn any() -> Self {
        PagePath(ROOT.to_string())
    }

    /// A page folder from `/`-separated segments (each already URL-safe).
    pub fn from_dir(dir: impl Into<String>) -> Self {
        let dir: String = dir.into();
        // Most callers pass a normalized folder: keep its allocation.
        if !dir.starts_with('/') && (dir.is_empty() || (dir.ends_with('/') && !dir.ends_with("//"))) {
            return PagePath(dir);
        }
        let trimmed = dir.trim_matches('/');
        if trimmed.is_empty() { Self::root() } else { PagePath(format!("{trimmed}/")) }
    }

    /// The folder of a listing's page: its front page is the listing
    /// itself, the others are `page/N/` below it.
    pub fn list_page(&self, place: crate::archive::PagePlace) -> Self {
        if place.front { self.clone() } else { self.paginated(place.number as usize) }
    }

    /// The folder `page/N/` below this listing (its page `n` that is not
    /// its front page).
    pub fn paginated(&self, n: usize) -> Self {
        let mut dir = String::with_capacity(self.0.len() + 12);
        dir.push_str(&self.0);
        dir.push_str("page/");
        push_number(&mut dir, n, 1);
        dir.push('/');
        PagePath(dir)
    }

    /// The folder, `""` or ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder, as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The HTML file to write, relative to the output root.
    pub fn file(&self) -> String {
        let mut file = String::with_capacity(self.0.len() + 10);
        file.push_str(&self.0);
        file.push_str("index.html");
        file
    }

    /// How many folders deep the page is.
    pub fn depth(&self) -> usize {
        self.0.matches('/').count()
    }

    /// The relative prefix from this page back to the output root
    /// (`""`, `"../"`, `"../../"` …), for site-wide assets.
    pub fn root_prefix(&self) -> String {
        "../".repeat(self.depth())
    }

    /// The relative link from this page to `target`.
    pub fn link_to(&self, target: &PagePath) -> String {
        relative(&self.0, &target.0)
    }

    /// The relative link from this page to a file in the output (`feed.xml`).
    pub fn link_to_file(&self, file: &str) -> String {
        relative(&self.0, file)
    }
}

impl fmt::Display for PagePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "/" } else { &self.0 })
    }
}

/// The folder of each kind of listing page: the one place that knows them.
pub mod pages {
    use chrono::{Datelike, NaiveDate};

    use super::PagePath;
    use crate::slug::Slug;

    /// The home page: newest articles first.
    pub fn home() -> PagePath {
        PagePath::root()
    }

    /// A year: `2025/`.
    pub fn year(year: i32) -> PagePath {
        dated(&[(year, 4)])
    }

    /// A month: `2025/12/`.
    pub fn month(year: i32, month: u32) -> PagePath {
        dated(&[(year, 4), (month as i32, 2)])
    }

    /// A day: `2025/12/03/`.
    pub fn day(date: NaiveDate) -> PagePath {
        dated(&[(date.year(), 4), (date.month() as i32, 2), (date.day() as i32, 2)])
    }

    /// Zero-padded numbers, each followed by `/` (a page per day of a
    /// big archive: no formatting machinery).
    fn dated(parts: &[(i32, usize)]) -> PagePath {
        let mut dir = String::with_capacity(11);
        for &(n, width) in parts {
            super::push_signed(&mut dir, n, width);
            dir.push('/');
        }
        PagePath(dir)
    }

    /// Every year and month with counts: `archive/`.
    pub fn archive() -> PagePath {
        PagePath("archive/".into())
    }

    /// Articles with corrections: `corrections/`.
    pub fn corrections() -> PagePath {
        PagePath("corrections/".into())
    }

    /// The search page: `search/` (its index and script beside it).
    pub fn search() -> PagePath {
        PagePath("search/".into())
    }

    /// Every author: `authors/`.
    pub fn authors() -> PagePath {
        PagePath("authors/".into())
    }

    /// One author: `authors/<slug>/`.
    pub fn author(slug: &Slug) -> PagePath {
        PagePath(format!("authors/{slug}/"))
    }

    /// Every section, tag or place: `sections/`, `tags/`, `places/`.
    pub fn topics(plural: &str) -> PagePath {
        PagePath(format!("{plural}/"))
    }

    /// One section, tag or place: `tags/<slug>/`.
    pub fn topic(plural: &str, slug: &Slug) -> PagePath {
        PagePath(format!("{plural}/{slug}/"))
    }

    /// One running story: `stories/<id>/`.
    pub fn story(slug: &Slug) -> PagePath {
        PagePath(format!("stories/{slug}/"))
    }

    /// A calendar day in every year: `on-this-day/12-03/`.
    pub fn on_this_day(month: u32, day: u32) -> PagePath {
        let mut dir = String::from("on-this-day/");
        super::push_number(&mut dir, month as usize, 2);
        dir.push('-');
        super::push_number(&mut dir, day as usize, 2);
        dir.push('/');
        PagePath(dir)
    }
}

/// Append `n` in decimal, zero-padded to `width` digits.
pub fn push_number(out: &mut String, n: usize, width: usize) {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(n);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(digits);
}

/// Append `n` as `format!("{n:0width$}")` would (the sign counts in the width).
pub fn push_signed(out: &mut String, n: i32, width: usize) {
    if n < 0 {
        out.push('-');
    }
    push_number(out, n.unsigned_abs() as usize, width.saturating_sub(usize::from(n < 0)));
}

/// Where a link from [`PagePath::any`] starts. A control character: the
/// loader drops them from everything an article says, so page text never
/// has one of its own.
pub const ROOT: &str = "\u{1}";

/// `html` with each [`ROOT`] made `prefix`, the way from its page back to
/// the root (`../../`).
pub fn unroot(html: Vec<u8>, prefix: &str) -> Vec<u8> {
    let marker = ROOT.as_bytes()[0];
    if !html.contains(&marker) {
        return html;
    }
    let mut out = Vec::with_capacity(html.len() + html.len() / 8);
    let mut parts = html.split(|&b| b == marker);
    if let Some(first) = parts.next() {
        out.extend_from_slice(first);
    }
    for part in parts {
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// The relative href from the page in folder `from_dir` to `to`, both
/// relative to the output root. A `to` that is a folder (`""` or ending in
/// `/`) gets `index.html`, so links work without a web server.
pub fn relative(from_dir: &str, to: &str) -> String {
    if from_dir == ROOT {
        return ROOT.to_string() + &relative("", to);
    }
    // Called for every link of every page: no allocation but the result.
    let from = from_dir.trim_matches('/').as_bytes();
    let to = to.trim_start_matches('/');
    let is_dir = to.is_empty() || to.ends_with('/');
    // Share folders only, never the file name itself.
    let to_folders = if is_dir { to.len() } else { to.rfind('/').map_or(0, |i| i + 1) };
    let target = &to.as_bytes()[..to_folders];
    // Length of the common prefix made of whole folders.
    let mut common = 0;
    let mut i = 0;
    while i < from.len() && i < target.len() && from[i] == target[i] {
        i += 1;
        if target[i - 1] == b'/' {
            common = i;
        }
    }
    if i == from.len() && target.get(i) == Some(&b'/') {
        common = i + 1;
    }
    let rest = &from[common.min(from.len())..];
    let ups = if rest.is_empty() { 0 } else { rest.iter().filter(|&&b| b == b'/').count() + 1 };
    let tail = &to[common.min(to.len())..];
    let mut href = String::with_capacity(ups * 3 + tail.len() + 10);
    for _ in 0..ups {
        href.push_str("../");
    }
    href.push_str(tail);
    if is_dir {
        href.push_str("index.html");
    }
    href
}

/// Resolve a relative path against a folder (both `/`-separated), folding
/// `.` and `..`. `None` if the result would climb above the root.
pub fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Is this a reference relative to the current document (`photo.jpg`,
/// `../x.pdf`), as opposed to absolute, scheme-relative, a fragment or a URL?
pub fn is_relative_reference(url: &str) -> bool {
    !(url.is_empty() || url.starts_with(['/', '#', '?', '\\']) || scheme(url).is_some())
}

/// The URL's scheme (`https`, `javascript`), if it has one.
fn scheme(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let candidate = &url[..colon];
    let mut chars = candidate.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // "a/b:c" is a path with a colon, not a scheme.
    valid.then_some(candidate)
}

/// Is the URL relative, or does it use a scheme safe to link to?
pub fn has_safe_scheme(url: &str) -> bool {
    // Browsers ignore whitespace and control characters in schemes, so
    // "java\tscript:" must be judged without them.
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    match scheme(&cleaned) {
        None => true,
        Some(s) => ["http", "https", "mailto", "tel", "ftp", "ftps"].iter().any(|ok| s.eq_ignore_ascii_case(ok)),
    }
}

/// The absolute URL a site is published at, such as `https://example.org/news/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Check an `http(s)` URL with a host, and end it with `/` so page
    /// paths can be appended (`https://example.org/news` → `…/news/`).
    pub fn parse(text: &str) -> std::result::Result<BaseUrl, String> {
        let parsed = url::Url::parse(text.trim()).map_err(|e| format!("{text:?} is not a URL ({e})"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(format!("{text:?} must be an http:// or https:// URL with a host"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!("{text:?} must not have a query or fragment"));
        }
        let mut url = parsed.to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        Ok(BaseUrl(url))
    }

    /// The absolute URL of a path inside the output (`2025/12/` or `feed.xml`).
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path.trim_start_matches('/'))
    }

    /// The URL itself, ending in `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The absolute form of a reference that is not relative to a file, as
    /// written on the page at `page` (a path inside the output): `#notes`
    /// and `?page=2` against the page, `/about/` against the host and
    /// `//cdn.example/x.jpg` with the base's scheme. `None` for a URL that
    /// is already absolute (or anything else).
    pub fn absolute_reference(&self, page: &str, url: &str) -> Option<String> {
        let (scheme, rest) = self.0.split_once("://")?;
        if url.starts_with(['#', '?']) {
            Some(format!("{}{url}", self.join(page)))
        } else if url.starts_with("//") {
            Some(format!("{scheme}:{url}"))
        } else if url.starts_with('/') {
            let host = rest.split('/').next()?;
            Some(format!("{scheme}://{host}{url}"))
        } else {
            None
        }
    }
}

/// The pattern that places article pages, such as `{year}/{month}/{day}/{slug}/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Permalink {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Literal(String),
    Year,
    Month,
    Day,
    Slug,
}

impl Default for Permalink {
    /// `{year}/{month}/{day}/{slug}/`.
    fn default() -> Self {
        use Part::*;
        Permalink {
            parts: vec![
                Year,
                Literal("/".into()),
                Month,
                Literal("/".into()),
                Day,
                Literal("/".into()),
                Slug,
                Literal("/".into()),
            ],
        }
    }
}

impl Permalink {
    /// Parse and check a pattern: relative, no `..`, placeholders `{year}`,
    /// `{month}`, `{day}`, `{slug}` (required), literal text limited to
    /// characters that are safe in a URL path.
    pub fn parse(pattern: &str) -> std::result::Result<Permalink, String> {
        let pattern = pattern.trim().trim_start_matches('/');
        let mut parts = Vec::new();
        let mut rest = pattern;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after.find('}').ok_or("a `{` is never closed")?;
                parts.push(match &after[..end] {
                    "year" => Part::Year,
                    "month" => Part::Month,
                    "day" => Part::Day,
                    "slug" => Part::Slug,
                    other => {
                        return Err(format!(
                            "unknown placeholder {{{other}}}; use {{year}}, {{month}}, {{day}} and {{slug}}"
                        ));
                    }
                });
                rest = &after[end + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let literal = &rest[..end];
                if let Some(bad) =
                    literal.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.')))
                {
                    return Err(format!("{bad:?} is not allowed in a permalink"));
                }
                parts.push(Part::Literal(literal.to_string()));
                rest = &rest[end..];
            }
        }
        if !parts.contains(&Part::Slug) {
            return Err("must contain {slug}".into());
        }
        if pattern.contains('.') {
            return Err("must not contain `.`: pages are folders holding index.html".into());
        }
        if !pattern.ends_with('/') {
            parts.push(Part::Literal("/".into()));
        }
        // Doubled slashes ("{year}//{slug}") would make empty folders.
        for part in &mut parts {
            if let Part::Literal(s) = part {
                while s.contains("//") {
                    *s = s.replace("//", "/");
                }
            }
        }
        Ok(Permalink { parts })
    }

    /// The folder path of an article page, relative to the output root.
    pub fn render(&self, day: NaiveDate, slug: &str) -> String {
        use chrono::Datelike;
        let mut out = String::with_capacity(32 + slug.len());
        for part in &self.parts {
            match part {
                Part::Literal(s) => out.push_str(s),
                Part::Year => push_signed(&mut out, day.year(), 4),
                Part::Month => push_signed(&mut out, day.month() as i32, 2),
                Part::Day => push_signed(&mut out, day.day() as i32, 2),
                Part::Slug => out.push_str(slug),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_format_would() {
        for (n, width) in [(0, 4), (7, 2), (12, 2), (2025, 4), (123, 2), (-5, 4), (-2025, 4), (i32::MIN, 2)] {
            let mut out = String::new();
            push_signed(&mut out, n, width);
            assert_eq!(out, format!("{n:0width$}"));
        }
        let date = chrono::NaiveDate::from_ymd_opt(987, 1, 9).unwrap();
        assert_eq!(pages::day(date).as_str(), "0987/01/09/");
        assert_eq!(pages::month(2025, 12).paginated(12).file(), "2025/12/page/12/index.html");
    }

    #[test]
    fn links_from_any_page_take_the_way_to_the_root_of_the_page_that_shows_them() {
        let any = PagePath::any();
        let card = format!(
            "<a href=\"{}\">{}</a><img src=\"{}\">",
            any.link_to(&PagePath::from_dir("2025/12/03/story/")),
            "Story",
            any.link_to_file("photos/a-480.jpg")
        );
        for here in ["", "2025/12/", "tags/harbour/page/2/"] {
            let here = PagePath::from_dir(here);
            let page = String::from_utf8(unroot(card.clone().into_bytes(), &here.root_prefix())).unwrap();
            let up = here.root_prefix();
            assert_eq!(
                page,
                format!("<a href=\"{up}2025/12/03/story/index.html\">Story</a><img src=\"{up}photos/a-480.jpg\">")
            );
        }
        let plain = b"no cards here".to_vec();
        assert_eq!(unroot(plain.clone(), "../"), plain);
    }

    #[test]
    fn relative_links_between_pages() {
        assert_eq!(relative("", ""), "index.html");
        assert_eq!(relative("", "2025/"), "2025/index.html");
        assert_eq!(relative("2025/12/03/story/", ""), "../../../../index.html");
        assert_eq!(relative("2025/12/03/story/", "2025/12/03/"), "../index.html");
        assert_eq!(
            relative("2025/12/03/story/", "authors/ingrid-jones/"),
            "../../../../authors/ingrid-jones/index.html"
        );
        assert_eq!(relative("2025/12/03/a/", "2025/12/03/b/"), "../b/index.html");
        assert_eq!(relative("2025/", "2025/12/"), "12/index.html");
    }

    #[test]
    fn relative_links_agree_with_a_slow_reference() {
        fn reference(from_dir: &str, to: &str) -> String {
            let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
            let is_dir = to.is_empty() || to.ends_with('/');
            let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
            let to_dirs = if is_dir { to_parts.len() } else { to_parts.len().saturating_sub(1) };
            let common = from.iter().zip(&to_parts[..to_dirs]).take_while(|(a, b)| a == b).count();
            let mut href = "../".repeat(from.len() - common);
            for part in &to_parts[common..] {
                href.push_str(part);
                href.push('/');
            }
            if is_dir {
                href.push_str("index.html")
            } else {
                href.pop();
            }
            href
        }
        let places = ["", "a/", "a/b/", "ab/", "a/bc/", "a/b/c/", "x/", "2025/12/03/s/", "2025/12/", "2025/1/"];
        let files = ["a", "a/b", "ab/c.css", "a/b/c.png", "x/y", "2025/12/p.svg", "feed.xml", "2025/12/03/s/i.png"];
        for from in places {
            for to in places.iter().chain(files.iter()) {
                assert_eq!(relative(from, to), reference(from, to), "from {from:?} to {to:?}");
            }
        }
    }

    #[test]
    fn relative_links_to_files() {
        assert_eq!(relative("", "style.css"), "style.css");
        assert_eq!(relative("2025/12/03/story/", "2025/12/photo.jpg"), "../../photo.jpg");
        assert_eq!(relative("a/", "a/a"), "a");
        assert_eq!(relative("a/b/", "a/b"), "../b");
    }

    #[test]
    fn page_paths() {
        let p = PagePath::from_dir("/2025/12/");
        assert_eq!(p.as_str(), "2025/12/");
        assert_eq!(p.file(), "2025/12/index.html");
        assert_eq!(p.root_prefix(), "../../");
        assert_eq!(p.paginated(1).as_str(), "2025/12/page/1/");
        let front = crate::archive::PagePlace { number: 7, front: true, oldest_first: false, newer: 0 };
        assert_eq!(p.list_page(front), p);
        assert_eq!(p.list_page(crate::archive::PagePlace { front: false, ..front }).as_str(), "2025/12/page/7/");
        assert_eq!(p.paginated(3).as_str(), "2025/12/page/3/");
        assert_eq!(PagePath::root().paginated(2).file(), "page/2/index.html");
        assert_eq!(PagePath::root().root_prefix(), "");
    }

    #[test]
    fn joining_stays_inside() {
        assert_eq!(join("2025/12", "photo.jpg").as_deref(), Some("2025/12/photo.jpg"));
        assert_eq!(join("2025/12", "./a/../b.pdf").as_deref(), Some("2025/12/b.pdf"));
        assert_eq!(join("2025/12", "../../x").as_deref(), Some("x"));
        assert_eq!(join("2025/12", "../../../x"), None);
    }

    #[test]
    fn reference_kinds() {
        assert!(is_relative_reference("photo.jpg"));
        assert!(is_relative_reference("../a/b.pdf"));
        assert!(is_relative_reference("a/b:c.png"));
        for url in ["", "/x", "#top", "?q", "//cdn.example/x", "https://x", "mailto:a@b", "javascript:x"] {
            assert!(!is_relative_reference(url), "{url}");
        }
        assert!(has_safe_scheme("https://x") && has_safe_scheme("photo.jpg") && has_safe_scheme("MAILTO:a"));
        assert!(!has_safe_scheme("javascript:alert(1)"));
        assert!(!has_safe_scheme("java\tscript:alert(1)"));
        assert!(!has_safe_scheme(" JavaScript:alert(1)"));
        assert!(!has_safe_scheme("data:text/html,x"));
    }

    #[test]
    fn permalinks_render_and_stay_inside() {
        assert_eq!(Permalink::default(), Permalink::parse("{year}/{month}/{day}/{slug}/").unwrap());
        let day = NaiveDate::from_ymd_opt(2025, 3, 7).unwrap();
        let p = Permalink::parse("{year}/{month}/{day}/{slug}/").unwrap();
        assert_eq!(p.render(day, "talks"), "2025/03/07/talks/");
        let p = Permalink::parse("news/{year}/{slug}").unwrap();
        assert_eq!(p.render(day, "talks"), "news/2025/talks/");
        assert!(Permalink::parse("../{slug}/").is_err());
        assert!(Permalink::parse("{year}/").is_err());
        assert!(Permalink::parse("a b/{slug}/").is_err());
    }
}
