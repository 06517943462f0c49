//! Site configuration: `site.yaml` read once, validated into types.
//!
//! First step of every build. Input: the site root folder. Output: a
//! [`Config`] with every value already parsed (offsets, permalink pattern,
//! date format) and the [`SitePaths`] of the site's folders. A missing
//! `site.yaml` means defaults; an unknown key or a bad value is an error
//! that names the file, the line and the key.

use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDate};
use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::fsx;
use crate::keys::{Key, KeyBuilder};
use crate::load::article::normalize_name;
use crate::load::date;
use crate::load::front_matter::{self, Format};
use crate::slug::Slug;

/// The configuration file's name, in the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Where a site keeps its parts. Resolved once from the root.
#[derive(Debug, Clone)]
pub struct SitePaths {
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
    /// Articles and their assets.
    pub content: PathBuf,
    /// The site's own templates, overriding the theme's file by file.
    pub templates: PathBuf,
    /// The site's own static files, copied to the output root.
    pub static_dir: PathBuf,
    /// Installed themes, one folder each.
    pub themes: PathBuf,
    /// Where the built site goes.
    pub output: PathBuf,
}

impl SitePaths {
    /// The standard layout under `root`, with the output folder given or
    /// `root/output`.
    pub fn new(root: &Path, output: Option<&Path>) -> Self {
        Self {
            root: root.to_path_buf(),
            content: root.join("content"),
            templates: root.join("templates"),
            static_dir: root.join("static"),
            themes: root.join("themes"),
            output: output.map_or_else(|| root.join("output"), Path::to_path_buf),
        }
    }

    /// A path for messages: relative to the root when inside it.
    pub fn display(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
    }
}

/// How raw HTML inside Markdown is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Cleaned with ammonia: no scripts, event handlers, `javascript:` links or frames.
    #[default]
    Sanitize,
    /// Passed through untouched (only for content you fully trust).
    Trusted,
}

/// The first day of the week in month calendars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum WeekStart {
    /// ISO weeks, as in most of the world.
    #[default]
    Monday,
    /// As in the United States.
    Sunday,
}

/// What feeds carry for each entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    /// The whole article body.
    #[default]
    Full,
    /// Only the summary, with a link to the article.
    Summary,
}

/// The news organisation, for JSON-LD `publisher` and the Google News sitemap.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// Name of the publication; the site title when not given.
    pub name: Option<String>,
    /// Logo image: an absolute URL or a path inside the output.
    pub logo: Option<String>,
}

/// An author profile as written, in `site.yaml`'s `authors:` list or in a
/// `content/authors/*.yaml` file.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RawAuthor {
    /// The name to show.
    pub name: String,
    /// Other spellings in bylines that mean this person.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A short biography.
    pub bio: Option<String>,
    /// Role or beat ("Data reporter").
    pub role: Option<String>,
    /// A photo: a path inside `content/`, or a URL.
    pub photo: Option<String>,
}

/// An author profile, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorProfile {
    /// The name to show.
    pub name: String,
    /// The author page's URL segment (from the name).
    pub slug: Slug,
    /// Other spellings that mean this person.
    pub aliases: Vec<String>,
    /// A short biography.
    pub bio: Option<String>,
    /// Role or beat.
    pub role: Option<String>,
    /// A photo: a path inside `content/`, or a URL.
    pub photo: Option<String>,
}

/// `site.yaml` as written. Every key is optional.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
struct RawConfig {
    title: String,
    description: Option<String>,
    base_url: Option<String>,
    language: String,
    per_page: usize,
    permalink: String,
    theme: Option<String>,
    byline_separators: Vec<String>,
    raw_html: RawHtml,
    timezone: String,
    date_format: String,
    week_start: WeekStart,
    feed_limit: usize,
    feed_content: FeedContent,
    publisher: Publisher,
    theme_settings: serde_json::Map<String, serde_json::Value>,
    authors: Vec<RawAuthor>,
}

impl Default for RawConfig {
    fn default() -> Self {
        Self {
            title: "Gazette".into(),
            description: None,
            base_url: None,
            language: "en".into(),
            per_page: 20,
            permalink: "{year}/{month}/{day}/{slug}/".into(),
            theme: None,
            byline_separators: vec![" & ".into(), " and ".into(), ", ".into()],
            raw_html: RawHtml::Sanitize,
            timezone: "+00:00".into(),
            date_format: "%B %-d, %Y".into(),
            week_start: WeekStart::Monday,
            feed_limit: 50,
            feed_content: FeedContent::Full,
            publisher: Publisher::default(),
            theme_settings: serde_json::Map::new(),
            authors: Vec::new(),
        }
    }
}

/// Every key `site.yaml` may hold (a test checks it matches the settings).
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "per_page",
    "permalink",
    "theme",
    "byline_separators",
    "raw_html",
    "timezone",
    "date_format",
    "week_start",
    "feed_limit",
    "feed_content",
    "publisher",
    "theme_settings",
    "authors",
];

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site name, shown in the header and the `<title>`.
    pub title: String,
    /// One-line description of the site.
    pub description: Option<String>,
    /// Absolute URL the site is published at, ending in `/` (may include a sub-path).
    pub base_url: Option<BaseUrl>,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// Articles per listing page.
    pub per_page: usize,
    /// Where article pages go.
    pub permalink: Permalink,
    /// The chosen theme (a folder under `themes/`), or the built-in default.
    pub theme: Option<String>,
    /// What separates several names in one byline.
    pub byline_separators: Vec<String>,
    /// Raw HTML policy for Markdown bodies.
    pub raw_html: RawHtml,
    /// Offset for dates written without one.
    pub timezone: FixedOffset,
    /// How displayed dates are written.
    pub date_format: DateFormat,
    /// First day of the week in calendars.
    pub week_start: WeekStart,
    /// Entries per feed.
    pub feed_limit: usize,
    /// Full bodies or summaries in feeds.
    pub feed_content: FeedContent,
    /// Name of the publication, for news metadata.
    pub publisher_name: String,
    /// Publisher logo (absolute URL or output path), if any.
    pub publisher_logo: Option<String>,
    /// Settings for the theme, over the defaults in its `theme.yaml`.
    pub theme_settings: serde_json::Map<String, serde_json::Value>,
    /// Author profiles, from `site.yaml` and `content/authors/*.yaml`.
    pub authors: Vec<AuthorProfile>,
    /// `site.yaml` as read (its name for messages, and its text), to place
    /// later errors about a setting at its line.
    source: Option<(PathBuf, String)>,
}

impl Default for Config {
    fn default() -> Self {
        // The defaults are valid by construction; validation cannot fail.
        validate(RawConfig::default(), Path::new(CONFIG_FILE), "").unwrap_or_else(|_| unreachable!())
    }
}

impl Config {
    /// Read `root/site.yaml`, or the defaults when there is none.
    pub fn load(paths: &SitePaths) -> Result<Config> {
        let path = paths.root.join(CONFIG_FILE);
        let display = paths.display(&path);
        let Some(bytes) = fsx::read_optional(&path)? else {
            return Ok(Config { authors: author_profiles(author_files(paths)?)?, ..Config::default() });
        };
        let text = String::from_utf8(bytes).map_err(|_| Diagnostic::file(&display, "site.yaml is not valid UTF-8"))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        // First every unknown key, all at once (serde would stop at the first)…
        let tree: serde_yaml::Value = front_matter::parse_yaml(text).map_err(|e| e.in_file(&display))?;
        if let serde_yaml::Value::Mapping(map) = &tree {
            let unknown: Vec<Diagnostic> = map
                .keys()
                .map(|k| k.as_str().map_or_else(|| format!("{k:?}"), str::to_string))
                .filter(|k| !KEYS.contains(&k.as_str()))
                .map(|k| {
                    let (line, col) = front_matter::locate_key(text, 1, Format::Yaml, &k).unwrap_or((1, 1));
                    Diagnostic::at(
                        &display,
                        line,
                        1.max(col.saturating_sub(k.len() + 2)),
                        format!(
                            "unknown field `{k}`, expected one of {}",
                            KEYS.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                })
                .collect();
            if !unknown.is_empty() {
                return Err(Error::Input(unknown));
            }
        }
        // …then the values, typed.
        let raw: Option<RawConfig> = front_matter::parse_yaml(text).map_err(|e| e.in_file(&display))?;
        let mut raw = raw.unwrap_or_default();
        let listed = std::mem::take(&mut raw.authors);
        let mut config = validate(raw, &display, text)?;
        config.source = Some((display.clone(), text.to_string()));
        let mut profiles: Vec<(PathBuf, RawAuthor)> = listed.into_iter().map(|a| (display.clone(), a)).collect();
        profiles.extend(author_files(paths)?);
        config.authors = author_profiles(profiles)?;
        Ok(config)
    }

    /// Every name and alias of the profiled authors, normalized, to the
    /// profile's name and slug (what the loader needs to merge bylines).
    pub fn known_authors(&self) -> std::collections::BTreeMap<String, (String, Slug)> {
        let mut known = std::collections::BTreeMap::new();
        for profile in &self.authors {
            for name in std::iter::once(&profile.name).chain(&profile.aliases) {
                known.insert(normalize_name(name), (profile.name.clone(), profile.slug.clone()));
            }
        }
        known
    }

    /// What the loader needs from the configuration.
    pub fn load_options(&self) -> crate::load::LoadOptions {
        crate::load::LoadOptions {
            timezone: self.timezone,
            byline_separators: self.byline_separators.clone(),
            known_authors: self.known_authors(),
        }
    }

    /// The profile of the author with this slug, if there is one.
    pub fn author(&self, slug: &Slug) -> Option<&AuthorProfile> {
        self.authors.iter().find(|a| &a.slug == slug)
    }

    /// Key of every setting that shapes pages (not how `site.yaml` is
    /// laid out: a new comment changes nothing).
    pub fn key(&self) -> Key {
        let settings = Config { source: None, ..self.clone() };
        KeyBuilder::new("config").str(&format!("{settings:?}")).finish()
    }

    /// A diagnostic about the setting `key`, placed at its line in `site.yaml`.
    pub fn problem(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        match &self.source {
            Some((display, text)) => {
                let (line, col) = front_matter::locate_key(text, 1, Format::Yaml, key).unwrap_or((1, 1));
                Diagnostic::at(display, line, col, format!("{key}: {}", message.into()))
            }
            None => Diagnostic::file(CONFIG_FILE, format!("{key}: {}", message.into())),
        }
    }
}

/// The folder of author profile files inside `content/` (never copied to the output).
pub const AUTHORS_FOLDER: &str = "authors";

/// Profiles in `content/authors/*.yaml`, one person a file.
fn author_files(paths: &SitePaths) -> Result<Vec<(PathBuf, RawAuthor)>> {
    let dir = paths.content.join(AUTHORS_FOLDER);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(Vec::new()) };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    let mut profiles = Vec::new();
    let mut problems = Vec::new();
    for path in files {
        let display = paths.display(&path);
        let text = String::from_utf8(fsx::read(&path)?).map_err(|_| Diagnostic::file(&display, "not valid UTF-8"))?;
        match front_matter::parse_yaml::<RawAuthor>(&text) {
            Ok(author) => profiles.push((display, author)),
            Err(e) => problems.push(e.in_file(&display)),
        }
    }
    if problems.is_empty() { Ok(profiles) } else { Err(Error::Input(problems)) }
}

/// Validate profiles: a readable name each, one profile per person, and no
/// alias claimed by two people.
fn author_profiles(raw: Vec<(PathBuf, RawAuthor)>) -> Result<Vec<AuthorProfile>> {
    let mut profiles: Vec<AuthorProfile> = Vec::new();
    let mut claimed: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let mut problems = Vec::new();
    for (file, author) in raw {
        let Some(slug) = Slug::from_text(&author.name) else {
            problems.push(Diagnostic::file(
                &file,
                format!("author {:?} has no letters or digits in its name", author.name),
            ));
            continue;
        };
        if profiles.iter().any(|p| p.slug == slug) {
            problems.push(Diagnostic::file(&file, format!("author {:?} has two profiles", author.name)));
            continue;
        }
        for name in std::iter::once(&author.name).chain(&author.aliases) {
            if let Some(other) = claimed.insert(normalize_name(name), author.name.clone())
                && other != author.name
            {
                problems.push(Diagnostic::file(
                    &file,
                    format!("{name:?} is a name of both {other:?} and {:?}", author.name),
                ));
            }
        }
        profiles.push(AuthorProfile {
            name: author.name,
            slug,
            aliases: author.aliases,
            bio: author.bio,
            role: author.role,
            photo: author.photo,
        });
    }
    if problems.is_empty() { Ok(profiles) } else { Err(Error::Input(problems)) }
}

/// Parse the raw strings into types, reporting every bad value.
fn validate(raw: RawConfig, display: &Path, text: &str) -> Result<Config> {
    let mut problems = Vec::new();
    let mut problem = |key: &str, message: String| {
        let (line, col) = front_matter::locate_key(text, 1, Format::Yaml, key).unwrap_or((1, 1));
        problems.push(Diagnostic::at(display, line, col, format!("{key}: {message}")));
    };

    if raw.per_page == 0 {
        problem("per_page", "must be at least 1".into());
    }
    let permalink = Permalink::parse(&raw.permalink).map_err(|m| problem("permalink", m)).ok();
    let timezone = date::parse_offset(raw.timezone.trim())
        .ok_or(())
        .map_err(|()| {
            problem("timezone", format!("{:?} is not an offset; write it like \"+01:00\" or \"UTC\"", raw.timezone))
        })
        .ok();
    let date_format = DateFormat::parse(&raw.date_format).map_err(|m| problem("date_format", m)).ok();
    if raw.byline_separators.iter().any(String::is_empty) {
        problem("byline_separators", "separators must not be empty".into());
    }
    if raw.feed_limit == 0 {
        problem("feed_limit", "must be at least 1".into());
    }
    let base_url = match raw.base_url.as_deref().map(BaseUrl::parse) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(message)) => {
            problem("base_url", message);
            None
        }
    };
    if let Some(theme) = &raw.theme
        && (theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.'))
    {
        problem("theme", format!("{theme:?} is not a theme folder name"));
    }

    match (permalink, timezone, date_format, problems.is_empty()) {
        (Some(permalink), Some(timezone), Some(date_format), true) => Ok(Config {
            title: raw.title.clone(),
            description: raw.description,
            base_url,
            language: raw.language,
            per_page: raw.per_page,
            permalink,
            theme: raw.theme,
            byline_separators: raw.byline_separators,
            raw_html: raw.raw_html,
            timezone,
            date_format,
            week_start: raw.week_start,
            feed_limit: raw.feed_limit,
            feed_content: raw.feed_content,
            publisher_name: raw.publisher.name.unwrap_or(raw.title),
            publisher_logo: raw.publisher.logo,
            theme_settings: raw.theme_settings,
            authors: Vec::new(),
            source: None,
        }),
        _ => Err(Error::Input(problems)),
    }
}

/// A `strftime` date format, parsed once (not once per date printed).
#[derive(Debug, Clone)]
pub struct DateFormat {
    items: Vec<chrono::format::Item<'static>>,
}

impl DateFormat {
    /// Check a format that chrono accepts and can fill in for a dated,
    /// timed, offset moment (anything else would fail at render time, on
    /// every page). Dates are always printed as such moments.
    pub fn parse(format: &str) -> std::result::Result<DateFormat, String> {
        use chrono::format::{Item, StrftimeItems};
        let items = StrftimeItems::new(format)
            .parse_to_owned()
            .map_err(|_| format!("{format:?} is not a valid strftime format"))?;
        if items.iter().any(|item| matches!(item, Item::Error)) {
            return Err(format!("{format:?} is not a valid strftime format"));
        }
        let parsed = DateFormat { items };
        let sample = chrono::DateTime::parse_from_rfc3339("2025-12-03T14:30:00+01:00").map_err(|e| e.to_string())?;
        let mut out = String::new();
        std::fmt::Write::write_fmt(&mut out, format_args!("{}", sample.format_with_items(parsed.items.iter())))
            .map_err(|_| format!("{format:?} cannot be used to print dates"))?;
        Ok(parsed)
    }

    /// Print a moment.
    pub fn format(&self, at: &chrono::DateTime<FixedOffset>) -> String {
        at.format_with_items(self.items.iter()).to_string()
    }
}

/// The absolute URL a site is published at, such as `https://example.org/news/`.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year,
    Month,
    Day,
    Slug,
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
        use crate::urls::push_signed;
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

    fn load(yaml: &str) -> Result<Config> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), yaml).unwrap();
        Config::load(&SitePaths::new(dir.path(), None))
    }

    fn errors(yaml: &str) -> String {
        match load(yaml) {
            Err(e) => e.to_string(),
            Ok(_) => "ok".into(),
        }
    }

    #[test]
    fn missing_file_means_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::load(&SitePaths::new(dir.path(), None)).unwrap();
        assert_eq!(c.per_page, 20);
        assert_eq!(c.title, "Gazette");
    }

    #[test]
    fn values_are_read() {
        let c = load("title: The Daily\nper_page: 5\ntimezone: \"-05:00\"\nraw_html: trusted\n").unwrap();
        assert_eq!((c.title.as_str(), c.per_page), ("The Daily", 5));
        assert_eq!(c.timezone.local_minus_utc(), -5 * 3600);
        assert_eq!(c.raw_html, RawHtml::Trusted);
    }

    #[test]
    fn unknown_keys_are_all_errors_naming_them() {
        let e = errors("title: A\ncolour: blue\nper_pgae: 3\n");
        assert!(e.starts_with("site.yaml:2:1: unknown field `colour`"), "{e}");
        assert!(e.contains("site.yaml:3:1: unknown field `per_pgae`"), "{e}");
    }

    #[test]
    fn author_profiles_from_site_yaml_and_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "authors:\n  - name: Minwoo Jung\n    aliases: [\"Minwoo Jung (@jmwsoft)\"]\n    role: Data reporter\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("content/authors")).unwrap();
        std::fs::write(dir.path().join("content/authors/ann.yaml"), "name: Ann Lee\nbio: Covers the harbour.\n")
            .unwrap();
        let c = Config::load(&SitePaths::new(dir.path(), None)).unwrap();
        let names: Vec<_> = c.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Minwoo Jung", "Ann Lee"]);
        let known = c.known_authors();
        assert_eq!(known["minwoo jung (@jmwsoft)"].0, "Minwoo Jung");
        std::fs::write(dir.path().join("content/authors/bad.yaml"), "name: Bo\nalias: [x]\n").unwrap();
        let e = Config::load(&SitePaths::new(dir.path(), None)).unwrap_err().to_string();
        assert!(e.contains("content/authors/bad.yaml:2:1: unknown field `alias`"), "{e}");
    }

    #[test]
    fn the_key_list_matches_the_settings() {
        let defaults = serde_yaml::to_value(RawConfig::default()).unwrap();
        let mut keys: Vec<String> =
            defaults.as_mapping().unwrap().keys().map(|k| k.as_str().unwrap().to_string()).collect();
        keys.sort();
        let mut listed: Vec<String> = KEYS.iter().map(|k| k.to_string()).collect();
        listed.sort();
        assert_eq!(keys, listed);
    }

    #[test]
    fn date_formats_that_cannot_print_are_rejected() {
        assert!(load("date_format: \"%B %-d, %Y %H:%M %z\"\n").is_ok());
        let e = errors("date_format: \"%Q\"\n");
        assert!(e.contains("site.yaml:1:14: date_format:"), "{e}");
    }

    #[test]
    fn bad_values_are_all_reported_with_lines() {
        let e = errors("per_page: 0\npermalink: \"{year}/{nope}/\"\ntimezone: Mars\n");
        assert!(e.contains("site.yaml:1:11: per_page: must be at least 1"), "{e}");
        assert!(e.contains("site.yaml:2:12: permalink: unknown placeholder {nope}"), "{e}");
        assert!(e.contains("site.yaml:3:11: timezone:"), "{e}");
    }

    #[test]
    fn base_urls_are_checked_and_end_in_a_slash() {
        assert_eq!(BaseUrl::parse("https://example.org/news").unwrap().as_str(), "https://example.org/news/");
        assert_eq!(BaseUrl::parse("http://example.org").unwrap().join("2025/"), "http://example.org/2025/");
        assert!(BaseUrl::parse("example.org/news").is_err());
        assert!(BaseUrl::parse("ftp://example.org/").is_err());
        assert!(BaseUrl::parse("https://example.org/?x=1").is_err());
        let e = errors("base_url: not a url\n");
        assert!(e.contains("site.yaml:1:11: base_url:"), "{e}");
    }

    #[test]
    fn permalinks_render_and_stay_inside() {
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
