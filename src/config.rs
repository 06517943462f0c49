//! Site configuration: `site.yaml` read once, validated into types.
//!
//! First step of every build. Input: the site root folder. Output: a
//! [`Config`] with every value already parsed (offsets, permalink pattern,
//! date format) and the [`SitePaths`] of the site's folders. A missing
//! `site.yaml` means defaults; an unknown key or a bad value is an error
//! that names the file, the line and the key.

use std::path::{Path, PathBuf};

use chrono::FixedOffset;
use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::fsx;
use crate::keys::{self, Key};
pub use crate::limits::Limits;
use crate::load::article::normalize_name;
use crate::load::date;
use crate::load::front_matter::{self, Format};
pub use crate::markdown::RawHtml;
use crate::photos::{IMAGE_KEYS, ImageSettings};
use crate::slug::Slug;

mod topics;
pub use crate::urls::{BaseUrl, Permalink};
pub use topics::{Indexes, TopicKind, TopicProfile, Topics};

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

/// The first day of the week in month calendars.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum WeekStart {
    /// ISO weeks, as in most of the world.
    #[default]
    Monday,
    /// As in the United States.
    Sunday,
}

/// What feeds carry for each entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, Default)]
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
#[serde(deny_unknown_fields, default)]
pub struct RawAuthor {
    /// The name to show.
    pub name: String,
    /// Other spellings in bylines that mean this person.
    pub aliases: Vec<String>,
    /// A short biography.
    pub bio: Option<String>,
    /// Role or beat ("Data reporter").
    pub role: Option<String>,
    /// A photo: a path inside `content/`, or a URL.
    pub photo: Option<String>,
}

/// An author profile, validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    limits: Limits,
    indexes: Indexes,
    // Read apart, before the rest (see `topics::take_listed`): here for
    // the list of keys only.
    sections: Vec<topics::RawTopic>,
    tags: Vec<topics::RawTopic>,
    places: Vec<topics::RawTopic>,
    search: bool,
    images: ImageSettings,
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
            limits: Limits::default(),
            indexes: Indexes::default(),
            sections: Vec::new(),
            tags: Vec::new(),
            places: Vec::new(),
            search: true,
            images: ImageSettings::default(),
        }
    }
}

/// The keys of `limits:`.
const LIMIT_KEYS: &[&str] = &["byline_names", "front_matter_kb", "html_depth", "body_mb"];

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
    "limits",
    "indexes",
    "sections",
    "tags",
    "places",
    "search",
    "images",
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
    /// How much one source file may cost.
    pub limits: Limits,
    /// Which discovery indexes are made.
    pub indexes: Indexes,
    /// Profiles of sections, tags and places; the desks' order.
    pub topics: Topics,
    /// Whether the build writes a search index and page (`search: false`
    /// leaves them out).
    pub search: bool,
    /// How photos are resized and encoded (`images:`).
    pub images: ImageSettings,
    /// `site.yaml` as read (its name for messages, and its text), to place
    /// later errors about a setting at its line.
    source: Option<(PathBuf, String)>,
}

impl std::hash::Hash for Config {
    /// Every setting, but not where `site.yaml` is or how it is laid out.
    /// (Destructured, so that a new setting cannot be left out.)
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Config {
            title,
            description,
            base_url,
            language,
            per_page,
            permalink,
            theme,
            byline_separators,
            raw_html,
            timezone,
            date_format,
            week_start,
            feed_limit,
            feed_content,
            publisher_name,
            publisher_logo,
            theme_settings,
            authors,
            limits,
            indexes,
            topics,
            search,
            images,
            source: _,
        } = self;
        (title, description, base_url, language, per_page, permalink, theme, byline_separators).hash(state);
        (raw_html, timezone.local_minus_utc(), date_format, week_start, feed_limit, feed_content).hash(state);
        (publisher_name, publisher_logo, authors, limits, indexes, topics, search, images).hash(state);
        // A JSON map is not `Hash`; its text is (its keys are sorted).
        serde_json::to_string(theme_settings).unwrap_or_default().hash(state);
    }
}

impl Default for Config {
    fn default() -> Self {
        // The defaults are valid by construction: validating them finds nothing.
        validate(RawConfig::default(), &Place::new(Path::new(CONFIG_FILE), ""), &mut Vec::new())
    }
}

impl Config {
    /// Read `root/site.yaml`, or the defaults when there is none; any
    /// problem (in it or in a profile) is an error listing all of them.
    pub fn load(paths: &SitePaths) -> Result<Config> {
        let (config, problems) = Config::load_checked(paths)?;
        if problems.is_empty() { Ok(config) } else { Err(Error::Input(problems)) }
    }

    /// Read `root/site.yaml` and the author profiles, finding every
    /// problem: each unknown key, each bad value, each bad list item, each
    /// bad profile. A setting that is wrong keeps its default (a bad item
    /// or profile is left out), so a build can go on checking the
    /// templates and articles in the same run. `Err` only when a file
    /// cannot be read at all.
    pub fn load_checked(paths: &SitePaths) -> Result<(Config, Vec<Diagnostic>)> {
        let path = paths.root.join(CONFIG_FILE);
        let display = paths.display(&path);
        let mut problems = Vec::new();
        let text = match fsx::read_optional(&path)?.map(String::from_utf8) {
            None => None,
            Some(Ok(text)) => Some(text),
            Some(Err(_)) => {
                problems.push(Diagnostic::file(&display, "site.yaml is not valid UTF-8: save it as UTF-8"));
                None
            }
        };
        let text = text.as_deref().map(|t| t.strip_prefix('\u{feff}').unwrap_or(t));
        let place = Place::new(&display, text.unwrap_or_default());
        let (raw, mut profiles, mut topics) = match text {
            Some(text) => read_settings(text, &place, &mut problems),
            None => (RawConfig::default(), Vec::new(), Vec::new()),
        };
        let mut config = validate(raw, &place, &mut problems);
        if let Some(text) = text {
            config.source = Some((display.clone(), text.to_string()));
        }
        profiles.extend(author_files(paths, &mut problems)?);
        config.authors = author_profiles(profiles, &mut problems);
        topics.extend(topics::topic_files(paths, &mut problems)?);
        config.topics = topics::topic_profiles(topics, &mut problems);
        Ok((config, crate::error::by_file(problems)))
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
            limits: self.limits,
            search: self.search.then(|| self.language.clone()),
            keep_extra: true,
        }
    }

    /// The profile of the author with this slug, if there is one.
    pub fn author(&self, slug: &Slug) -> Option<&AuthorProfile> {
        self.authors.iter().find(|a| &a.slug == slug)
    }

    /// Key of every setting that shapes pages (not how `site.yaml` is
    /// laid out: a new comment changes nothing).
    pub fn key(&self) -> Key {
        keys::of_hash(&("config", self))
    }

    /// A diagnostic about the setting `key`, placed at its line in `site.yaml`.
    pub fn problem(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        match &self.source {
            Some((display, text)) => Place::new(display, text).at_value(key, format!("{key}: {}", message.into())),
            None => Diagnostic::file(CONFIG_FILE, format!("{key}: {}", message.into())),
        }
    }
}

/// An author profile as written, with where it was written.
struct Listed {
    at: Diagnostic,
    author: RawAuthor,
}

/// `site.yaml`'s text read into settings, one key at a time: an unknown
/// key or a bad value is noted and the rest is still read (serde alone
/// stops at the first). Bad values keep their defaults; the `authors:`
/// list comes back apart, each profile with its place.
fn read_settings(
    text: &str,
    place: &Place<'_>,
    problems: &mut Vec<Diagnostic>,
) -> (RawConfig, Vec<Listed>, Vec<topics::ListedTopic>) {
    let tree: serde_yaml::Value = match front_matter::parse_yaml(text) {
        Ok(tree) => tree,
        Err(e) => {
            problems.push(e.in_file(place.file));
            return (RawConfig::default(), Vec::new(), Vec::new());
        }
    };
    let mut map = match tree {
        serde_yaml::Value::Mapping(map) => map,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        _ => {
            problems.push(Diagnostic::file(place.file, "site.yaml must be a set of `key: value` lines"));
            return (RawConfig::default(), Vec::new(), Vec::new());
        }
    };
    let topics = topics::take_listed(&mut map, place, problems);
    let mut listed = Vec::new();
    if let Some(authors) = map.remove("authors") {
        match authors {
            serde_yaml::Value::Sequence(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    let at = place.item("authors", i);
                    let author =
                        read_struct(item, PROFILE_KEYS, "", place, &|key| place.in_item("authors", i, key), problems);
                    listed.extend(author.map(|author| Listed { at, author }));
                }
            }
            serde_yaml::Value::Null => {}
            other => {
                problems.push(place.at_value("authors", format!("authors: must be a list, found {}", kind(&other))))
            }
        }
    }
    if let Some(serde_yaml::Value::Sequence(items)) = map.get_mut("byline_separators") {
        let mut i = 0;
        items.retain(|item| {
            let bad = match item {
                serde_yaml::Value::String(s) if s.is_empty() => Some("separators must not be empty".to_string()),
                serde_yaml::Value::String(_) => None,
                other => Some(format!("a separator must be text, found {}", kind(other))),
            };
            if let Some(message) = &bad {
                problems.push(place.item("byline_separators", i).with(format!("byline_separators: {message}")));
            }
            i += 1;
            bad.is_none()
        });
    }
    let publisher: Option<Publisher> = take_nested(&mut map, "publisher", PUBLISHER_KEYS, place, problems);
    let limits: Option<Limits> = take_nested(&mut map, "limits", LIMIT_KEYS, place, problems);
    let indexes: Option<Indexes> = take_nested(&mut map, "indexes", topics::INDEX_KEYS, place, problems);
    let images: Option<ImageSettings> = take_nested(&mut map, "images", IMAGE_KEYS, place, problems);
    let mut raw: RawConfig =
        read_struct(serde_yaml::Value::Mapping(map), KEYS, "", place, &|key| place.key(key), problems)
            .unwrap_or_default();
    raw.publisher = publisher.unwrap_or(raw.publisher);
    raw.limits = limits.unwrap_or(raw.limits);
    raw.indexes = indexes.unwrap_or(raw.indexes);
    raw.images = images.unwrap_or(raw.images);
    (raw, listed, topics)
}

/// A top-level key holding a map (`publisher:`, `limits:`), read key by
/// key like the top level. A value that is not a map is left for the
/// top level to report.
fn take_nested<T: serde::de::DeserializeOwned>(
    map: &mut serde_yaml::Mapping,
    key: &str,
    known: &[&str],
    place: &Place<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    if !map.get(key).is_some_and(serde_yaml::Value::is_mapping) {
        return None;
    }
    let value = map.remove(key)?;
    read_struct(value, known, &format!("{key}."), place, &|field| place.in_key(key, field), problems)
}

/// The keys of a profile.
const PROFILE_KEYS: &[&str] = &["name", "aliases", "bio", "role", "photo"];

/// The keys of `publisher:`.
const PUBLISHER_KEYS: &[&str] = &["name", "logo"];

/// A YAML mapping read into `T` (whose fields all have defaults) one
/// entry at a time, so every unknown key and every bad value is noted;
/// the good entries are kept. `at(key)` places a problem with a key (an
/// empty key: with the value as a whole),
/// and `prefix` names the map in messages (`limits.`).
/// `None` when the value is not a mapping at all.
fn read_struct<T: serde::de::DeserializeOwned>(
    value: serde_yaml::Value,
    known: &[&str],
    prefix: &str,
    place: &Place<'_>,
    at: &dyn Fn(&str) -> Diagnostic,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    let map = match value {
        serde_yaml::Value::Mapping(map) => map,
        serde_yaml::Value::Null => serde_yaml::Mapping::new(),
        other => {
            problems.push(at("").with(format!("expected `key: value` lines, found {}", kind(&other))));
            return None;
        }
    };
    let mut good = serde_yaml::Mapping::new();
    for (key, value) in map {
        let name = key.as_str().map_or_else(|| format!("{key:?}"), str::to_string);
        if !known.contains(&name.as_str()) {
            let expected = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            problems.push(
                place.to_key(at(&name), &name).with(format!("unknown field `{name}`, expected one of {expected}")),
            );
            continue;
        }
        let alone = serde_yaml::Mapping::from_iter([(key.clone(), value.clone())]);
        match front_matter::from_yaml_value::<T>(serde_yaml::Value::Mapping(alone)) {
            Ok(_) => {
                good.insert(key, value);
            }
            Err(message) => {
                let message = message.strip_prefix(&format!("{name}: ")).unwrap_or(&message).to_string();
                problems.push(at(&name).with(format!("{prefix}{name}: {message}")));
            }
        }
    }
    // Each entry was read alone without error, so together they read too.
    front_matter::from_yaml_value(serde_yaml::Value::Mapping(good)).ok()
}

/// A short name for a YAML value's type, for messages.
fn kind(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "nothing",
        serde_yaml::Value::Bool(_) => "true/false",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "text",
        serde_yaml::Value::Sequence(_) => "a list",
        serde_yaml::Value::Mapping(_) | serde_yaml::Value::Tagged(_) => "a map",
    }
}

/// Where things are set in a YAML file: a top-level key, an item of a
/// top-level list, a key inside either. Places fall back to the line
/// above when the text is laid out in a way it does not follow.
struct Place<'t> {
    file: &'t Path,
    text: &'t str,
}

impl<'t> Place<'t> {
    fn new(file: &'t Path, text: &'t str) -> Self {
        Place { file, text }
    }

    fn diagnostic(&self, (line, col): (usize, usize)) -> Diagnostic {
        Diagnostic::at(self.file, line, col, "")
    }

    /// The value of a top-level key.
    fn key(&self, key: &str) -> Diagnostic {
        self.diagnostic(front_matter::locate_key(self.text, 1, Format::Yaml, key).unwrap_or((1, 1)))
    }

    /// [`Place::key`] with a message.
    fn at_value(&self, key: &str, message: String) -> Diagnostic {
        self.key(key).with(message)
    }

    /// The `index`-th item of the block list under a top-level key (its
    /// key's line for a `[…]` list).
    fn item(&self, key: &str, index: usize) -> Diagnostic {
        let Some((line, col)) = front_matter::locate_key(self.text, 1, Format::Yaml, key) else {
            return self.key(key);
        };
        let lines: Vec<&str> = self.text.lines().collect();
        let mut dash_indent = None;
        let mut seen = 0;
        for (i, text) in lines.iter().enumerate().skip(line) {
            let trimmed = text.trim_start();
            let indent = text.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if !(trimmed.starts_with("- ") || trimmed == "-") {
                if indent == 0 {
                    break;
                }
                continue;
            }
            if *dash_indent.get_or_insert(indent) != indent {
                continue;
            }
            if seen == index {
                return self.diagnostic((i + 1, indent + 3));
            }
            seen += 1;
        }
        self.diagnostic((line, col))
    }

    /// A place moved back from a key's value to the key itself, when the
    /// key is written before it on its line (for "unknown field"
    /// messages, which are about the key).
    fn to_key(&self, at: Diagnostic, key: &str) -> Diagnostic {
        let line = self.text.lines().nth(at.line.saturating_sub(1)).unwrap_or_default();
        let before: String = line.chars().take(at.col.saturating_sub(1)).collect();
        match before.rfind(key) {
            Some(i) => Diagnostic { col: before[..i].chars().count() + 1, ..at },
            None => at,
        }
    }

    /// `field` inside the `index`-th item of the list under `key`.
    fn in_item(&self, key: &str, index: usize, field: &str) -> Diagnostic {
        let item = self.item(key, index);
        self.below(item, field)
    }

    /// `field` inside the map under the top-level `key`.
    fn in_key(&self, key: &str, field: &str) -> Diagnostic {
        let at = self.key(key);
        self.below(at, field)
    }

    /// The line setting `field` in the block that starts at `from` (the
    /// line itself, or a line below indented more than `from`'s), or `from`.
    fn below(&self, from: Diagnostic, field: &str) -> Diagnostic {
        let first = from.line.saturating_sub(1);
        let Some(start) = self.text.lines().nth(first).filter(|_| !field.is_empty()) else { return from };
        let block_indent = start.len() - start.trim_start().len();
        for (i, line) in self.text.lines().enumerate().skip(first) {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if i > first && !trimmed.is_empty() && indent <= block_indent {
                break;
            }
            // On the item's own line the field follows its `- `.
            let content = if i == first {
                line.char_indices().nth(from.col.saturating_sub(1)).map_or("", |(at, _)| &line[at..])
            } else {
                trimmed
            };
            if let Some((_, col)) = front_matter::locate_key(content, 1, Format::Yaml, field) {
                let before = line.chars().count() - content.chars().count();
                return self.diagnostic((i + 1, before + col));
            }
        }
        from
    }
}

/// The folder of author profile files inside `content/` (never copied to the output).
pub const AUTHORS_FOLDER: &str = "authors";

/// Profiles in `content/authors/*.yaml`, one person a file; a file with
/// problems is noted and left out.
fn author_files(paths: &SitePaths, problems: &mut Vec<Diagnostic>) -> Result<Vec<Listed>> {
    let files = profile_files(paths, AUTHORS_FOLDER, PROFILE_KEYS, problems)?;
    Ok(files.into_iter().map(|(at, author)| Listed { at, author }).collect())
}

/// The `*.yaml` files of `content/<folder>/`, each read as one profile of
/// `keys` (every problem noted, the file left out), with the file to name
/// in later messages about it.
fn profile_files<T: serde::de::DeserializeOwned>(
    paths: &SitePaths,
    folder: &str,
    keys: &[&str],
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<(Diagnostic, T)>> {
    let Ok(entries) = std::fs::read_dir(paths.content.join(folder)) else { return Ok(Vec::new()) };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    let mut profiles = Vec::new();
    for path in files {
        let display = paths.display(&path);
        let Ok(text) = String::from_utf8(fsx::read(&path)?) else {
            problems.push(Diagnostic::file(&display, "not valid UTF-8: save it as UTF-8"));
            continue;
        };
        let place = Place::new(&display, &text);
        match front_matter::parse_yaml::<serde_yaml::Value>(&text) {
            Ok(tree) => {
                let profile = read_struct(tree, keys, "", &place, &|key| place.key(key), problems);
                profiles.extend(profile.map(|p| (Diagnostic::file(&display, ""), p)));
            }
            Err(e) => problems.push(e.in_file(&display)),
        }
    }
    Ok(profiles)
}

/// Validate profiles: a readable name each, one profile per person, and no
/// alias claimed by two people. A bad profile is noted and left out.
fn author_profiles(raw: Vec<Listed>, problems: &mut Vec<Diagnostic>) -> Vec<AuthorProfile> {
    let mut profiles: Vec<AuthorProfile> = Vec::new();
    let mut claimed: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for Listed { at, author } in raw {
        let Some(slug) = Slug::from_text(&author.name) else {
            let message = if author.name.trim().is_empty() {
                "an author profile needs a `name:`".to_string()
            } else {
                format!("author {:?} has no letters or digits in its name", author.name)
            };
            problems.push(at.with(message));
            continue;
        };
        if profiles.iter().any(|p| p.slug == slug) {
            problems.push(at.with(format!("author {:?} has two profiles", author.name)));
            continue;
        }
        for name in std::iter::once(&author.name).chain(&author.aliases) {
            if let Some(other) = claimed.insert(normalize_name(name), author.name.clone())
                && other != author.name
            {
                problems.push(at.clone().with(format!("{name:?} is a name of both {other:?} and {:?}", author.name)));
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
    profiles
}

/// Parse the raw strings into types, noting every bad value; a bad value
/// keeps its default.
fn validate(raw: RawConfig, place: &Place<'_>, problems: &mut Vec<Diagnostic>) -> Config {
    let defaults = RawConfig::default();
    let mut problem = |key: &str, message: String| problems.push(place.at_value(key, format!("{key}: {message}")));

    let per_page = if raw.per_page == 0 {
        problem("per_page", "must be at least 1".into());
        defaults.per_page
    } else {
        raw.per_page
    };
    let permalink = Permalink::parse(&raw.permalink)
        .map_err(|m| problem("permalink", m))
        .or_else(|()| Permalink::parse(&defaults.permalink).map_err(|_| ()));
    let timezone = date::parse_offset(raw.timezone.trim()).ok_or(()).map_err(|()| {
        problem("timezone", format!("{:?} is not an offset; write it like \"+01:00\" or \"UTC\"", raw.timezone))
    });
    let date_format = DateFormat::parse(&raw.date_format)
        .map_err(|m| problem("date_format", m))
        .or_else(|()| DateFormat::parse(&defaults.date_format).map_err(|_| ()));
    let feed_limit = if raw.feed_limit == 0 {
        problem("feed_limit", "must be at least 1".into());
        defaults.feed_limit
    } else {
        raw.feed_limit
    };
    let base_url = match raw.base_url.as_deref().map(BaseUrl::parse) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(message)) => {
            problem("base_url", message);
            None
        }
    };
    let theme = match raw.theme {
        Some(theme) if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') => {
            problem("theme", format!("{theme:?} is not a theme folder name"));
            None
        }
        theme => theme,
    };
    let limits = raw.limits;
    for (key, value) in [
        ("byline_names", limits.byline_names),
        ("front_matter_kb", limits.front_matter_kb),
        ("html_depth", limits.html_depth),
        ("body_mb", limits.body_mb),
    ] {
        if value == 0 {
            problems.push(place.in_key("limits", key).with(format!("limits.{key}: must be at least 1")));
        }
    }
    let limits = Limits {
        byline_names: limits.byline_names.max(1),
        front_matter_kb: limits.front_matter_kb.max(1),
        html_depth: limits.html_depth.max(1),
        body_mb: limits.body_mb.max(1),
    };
    // (The defaults always parse: the last fallbacks below are never used.)
    Config {
        title: raw.title.clone(),
        description: raw.description,
        base_url,
        language: raw.language,
        per_page,
        permalink: permalink.unwrap_or_default(),
        theme,
        byline_separators: raw.byline_separators,
        raw_html: raw.raw_html,
        timezone: timezone.unwrap_or_else(|()| chrono::Offset::fix(&chrono::Utc)),
        date_format: date_format.unwrap_or_else(|()| DateFormat { text: String::new(), items: Vec::new() }),
        week_start: raw.week_start,
        feed_limit,
        feed_content: raw.feed_content,
        publisher_name: raw.publisher.name.unwrap_or(raw.title),
        publisher_logo: raw.publisher.logo,
        theme_settings: raw.theme_settings,
        authors: Vec::new(),
        limits,
        indexes: raw.indexes,
        topics: Topics::default(),
        search: raw.search,
        images: images(raw.images, place, problems),
        source: None,
    }
}

/// `images:`, with widths and quality in range (a bad value is a problem
/// at its line, and its default is used).
fn images(mut images: ImageSettings, place: &Place<'_>, problems: &mut Vec<Diagnostic>) -> ImageSettings {
    let defaults = ImageSettings::default();
    if images.widths.is_empty() || images.widths.iter().any(|&w| w == 0 || w > 16_383) {
        problems.push(place.in_key("images", "widths").with("images.widths: list widths from 1 to 16383 pixels"));
        images.widths = defaults.widths;
    }
    if !(1..=100).contains(&images.quality) {
        problems.push(place.in_key("images", "quality").with("images.quality: must be from 1 to 100"));
        images.quality = defaults.quality;
    }
    images
}

/// A `strftime` date format, parsed once (not once per date printed).
#[derive(Debug, Clone)]
pub struct DateFormat {
    /// As written (what identifies it).
    text: String,
    items: Vec<chrono::format::Item<'static>>,
}

impl std::hash::Hash for DateFormat {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
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
        let parsed = DateFormat { text: format.to_string(), items };
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
    fn every_problem_is_reported_and_bad_values_keep_their_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let yaml = "title: A\ncolour: blue\nper_page: 0\ntimezone: Mars\nfeed_limit: lots\n\
                    byline_separators: [\" & \", \"\", 3]\npublisher:\n  name: N\n  logo_url: x\n  slogan: y\n\
                    authors:\n  - name: Ann Lee\n    alias: [x]\n  - bio: No name.\n  - name: Bo Chen\n\
                    limits:\n  byline_names: 0\n  html_depth: deep\n";
        std::fs::write(dir.path().join(CONFIG_FILE), yaml).unwrap();
        std::fs::create_dir_all(dir.path().join("content/authors")).unwrap();
        std::fs::write(dir.path().join("content/authors/cy.yaml"), "name: Cy Dee\nrole: [1]\nbio: Fine.\n").unwrap();
        let (c, problems) = Config::load_checked(&SitePaths::new(dir.path(), None)).unwrap();
        let found: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let expected = [
            "content/authors/cy.yaml:2:7: role: invalid type: sequence, expected a string",
            "site.yaml:2:1: unknown field `colour`, expected one of `title`, `description`, `base_url`, `language`, \
             `per_page`, `permalink`, `theme`, `byline_separators`, `raw_html`, `timezone`, `date_format`, \
             `week_start`, `feed_limit`, `feed_content`, `publisher`, `theme_settings`, `authors`, `limits`, `indexes`, `sections`, `tags`, `places`, `search`, `images`",
            "site.yaml:3:11: per_page: must be at least 1",
            "site.yaml:4:11: timezone: \"Mars\" is not an offset; write it like \"+01:00\" or \"UTC\"",
            "site.yaml:5:13: feed_limit: invalid type: string \"lots\", expected usize",
            "site.yaml:6:20: byline_separators: separators must not be empty",
            "site.yaml:6:20: byline_separators: a separator must be text, found a number",
            "site.yaml:9:3: unknown field `logo_url`, expected one of `name`, `logo`",
            "site.yaml:10:3: unknown field `slogan`, expected one of `name`, `logo`",
            "site.yaml:13:5: unknown field `alias`, expected one of `name`, `aliases`, `bio`, `role`, `photo`",
            "site.yaml:14:5: an author profile needs a `name:`",
            "site.yaml:17:17: limits.byline_names: must be at least 1",
            "site.yaml:18:15: limits.html_depth: invalid type: string \"deep\", expected usize",
        ];
        assert_eq!(found, expected);
        assert_eq!((c.title.as_str(), c.per_page, c.feed_limit, c.timezone.local_minus_utc()), ("A", 20, 50, 0));
        assert_eq!(c.byline_separators, [" & "]);
        assert_eq!(c.publisher_name, "N");
        let names: Vec<&str> = c.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Ann Lee", "Bo Chen", "Cy Dee"]);
        assert_eq!(c.limits, Limits { byline_names: 1, ..Limits::default() });
    }

    #[test]
    fn problems_in_list_items_are_placed_in_any_script() {
        let e = errors("authors:\n  - name: Zoë Ünal\n    rôle: x\n  - {name: Ann Lee, bïo: y}\n");
        assert!(e.contains("site.yaml:3:5: unknown field `rôle`"), "{e}");
        assert!(e.contains("site.yaml:4:5: unknown field `bïo`"), "{e}");
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
}
