//! The typed article: what the rest of Gazette knows about a story.
//!
//! Part of the load phase. Input: a wire story or a front-matter map plus
//! Markdown body. Output: an [`Article`], with every field parsed into its
//! type (dates, authors with slugs, the slug) and unknown front-matter keys
//! kept in `extra` for templates.

use chrono::{FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::date::{self, ArticleDate};
use super::front_matter::{self, Split};
use super::wire::WireStory;
use crate::error::Located;
use crate::keys::Key;
use crate::limits::Limits;
use crate::markdown;
use crate::search::DocTerms;
use crate::slug::Slug;

/// The longest automatic summary, in characters.
const SUMMARY_CHARS: usize = 280;

/// A source file's identity for the incremental build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// Hash of the content.
    #[serde(with = "crate::keys::stored")]
    pub hash: Key,
}

/// A person in a byline.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Author {
    /// The name as written in the byline.
    pub name: String,
    /// The author's URL segment; two spellings with the same slug are one author.
    pub slug: Slug,
}

/// Everything the indexes and listing pages need about an article: small,
/// kept in memory for the whole build (and cached between builds). The
/// body is not here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleMeta {
    /// Path of the source file inside `content/`, with `/` separators.
    pub source: String,
    /// The headline.
    pub title: String,
    /// Publication date.
    pub date: ArticleDate,
    /// Last update, if any.
    pub updated: Option<ArticleDate>,
    /// Bylined authors, in byline order, without duplicates.
    pub authors: Vec<Author>,
    /// The dateline location.
    pub location: Option<String>,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// Sections or categories.
    pub categories: Vec<String>,
    /// The desk it belongs to (`section:`, else the first category).
    pub section: Option<String>,
    /// The running story it follows, by the thread's id (`story:` or `series:`).
    pub story: Option<String>,
    /// The front matter's summary, or the start of the first paragraph.
    pub summary: Summary,
    /// The URL segment: the sanitized explicit slug, or one made from the headline.
    pub slug: Slug,
    /// Left out of builds unless drafts are asked for.
    pub draft: bool,
    /// Published corrections, oldest first.
    pub corrections: Vec<Correction>,
    /// Lead image as written: a path relative to the source file, or a URL.
    pub image: Option<String>,
    /// Addresses the article had before (`aliases:`), as written, each
    /// with its place: the build writes a redirect at each.
    pub aliases: Vec<Alias>,
    /// The lead image's alt text, caption and credit (`image:` as a map);
    /// `None` when it gives none (most articles: 8 bytes instead of 72 in
    /// every article's record, see [`ArticleMeta::image_text`]).
    pub image_text: Option<Box<ImageText>>,
    /// Whether the body has text, not only white space (a story without
    /// is warned about). Not a word count: that would read every body
    /// through at load, a cost no reader of this needs.
    pub has_text: bool,
    /// Where its parts are written in the source, for every later message.
    pub places: Places,
    /// Front-matter keys Gazette does not know, kept for templates.
    pub extra: Extra,
    /// The file it was read from, as the incremental build identifies it
    /// (zero until [`load_all`](super::load_all) stamps it).
    pub stamp: Stamp,
    /// Its words for the search index, when the site has search (filled
    /// by [`load_all`](super::load_all) from the text it parsed, so an
    /// unchanged article is not tokenized again).
    pub terms: Option<DocTerms>,
}

/// An old address of an article (`aliases:`): a path from the site's
/// root (`/2019/05/quay/`, `/?p=12`) or an absolute URL, as written; the
/// plan phase ([`crate::plan::redirects`]) reads what it means.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Alias {
    /// The address as written, trimmed.
    pub written: String,
    /// Where the source writes it.
    pub place: Place,
}

/// What front matter says about its lead image besides where it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImageText {
    /// Alt text: what the photo shows, for readers who cannot see it.
    pub alt: Option<String>,
    /// The caption.
    pub caption: Option<String>,
    /// Who took it (or the agency).
    pub credit: Option<String>,
}

/// A line and column (from 1) in a source file; 0 when unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    /// The line.
    pub line: u32,
    /// The column, in characters.
    pub col: u32,
}

impl Place {
    /// A place from 1-based numbers.
    pub fn new((line, col): (usize, usize)) -> Place {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Place { line: n(line), col: n(col) }
    }

    /// As numbers, for a [`Diagnostic`](crate::error::Diagnostic).
    pub fn pair(self) -> (usize, usize) {
        (self.line as usize, self.col as usize)
    }
}

/// Where an article's parts are written in its source file, recorded when
/// it is read, so that later messages (lints, broken links) point there
/// without reading the file again. A part the file does not write (no
/// byline) is placed where it would go.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Places {
    /// The headline (`title:`).
    pub title: Place,
    /// The byline (`author:`/`authors:`, or the wire `- ` line).
    pub byline: Place,
    /// The date.
    pub date: Place,
    /// The lead image (`image:`).
    pub image: Place,
    /// The first line of the body.
    pub body: Place,
    /// The section (`section:`, else `categories:`; the wire `- Section:` line).
    pub section: Place,
    /// The tags (`tags:`; the wire `- Tags:` line).
    pub tags: Place,
    /// The dateline (`location:`; the wire's second `- ` line).
    pub location: Place,
    /// Each author's name, in the order of `authors` (the byline's place
    /// for a name not written as such, like an alias's profile name).
    pub names: Vec<Place>,
}

/// Where each name is first written in `text` (whose first line is line
/// `first`), from `from` on; `fallback` for a name it does not write.
fn name_places(text: &str, first: usize, from: Place, authors: &[Author], fallback: Place) -> Vec<Place> {
    text_places(text, first, from, authors.iter().map(|a| a.name.as_str()), fallback)
}

/// Where each of `items` is first written in `text` (whose first line is
/// line `first`), from `from` on; `fallback` for one it does not write.
fn text_places<'i>(
    text: &str,
    first: usize,
    from: Place,
    items: impl Iterator<Item = &'i str>,
    fallback: Place,
) -> Vec<Place> {
    let lines: Vec<&str> = text.lines().collect();
    let skip = (from.line as usize).saturating_sub(first);
    items
        .map(|item| {
            let found = lines.iter().enumerate().skip(skip).find_map(|(i, line)| {
                let at = line.find(item)?;
                Some(Place::new((first + i, line[..at].chars().count() + 1)))
            });
            found.unwrap_or(fallback)
        })
        .collect()
}

/// Front-matter keys Gazette does not know, untouched. Kept as compact
/// JSON text: small in memory for a million articles, and read back into a
/// map only when an article page is rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extra(String);

impl Extra {
    /// Keep a map of unknown keys.
    pub fn from_map(map: &Map<String, Value>) -> Extra {
        if map.is_empty() { Extra::default() } else { Extra(serde_json::to_string(map).unwrap_or_default()) }
    }

    /// The keys, as a map for templates.
    pub fn to_map(&self) -> Map<String, Value> {
        match serde_json::from_str(&self.0) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }
}

impl ArticleMeta {
    /// The lead image's alt text, caption and credit (all `None` when
    /// front matter gives none).
    pub fn image_text(&self) -> &ImageText {
        static NONE: ImageText = ImageText { alt: None, caption: None, credit: None };
        self.image_text.as_deref().unwrap_or(&NONE)
    }

    /// Give back the spare capacity its strings and lists grew while it
    /// was parsed (a summary built in pieces holds twice its length): a
    /// million of these are held for the whole build.
    pub fn shrink_to_fit(&mut self) {
        fn all(strings: &mut [String]) {
            strings.iter_mut().for_each(String::shrink_to_fit);
        }
        let optional = [&mut self.location, &mut self.section, &mut self.story, &mut self.image];
        optional.into_iter().flatten().for_each(String::shrink_to_fit);
        if let Some(text) = &mut self.image_text {
            let ImageText { alt, caption, credit } = &mut **text;
            [alt, caption, credit].into_iter().flatten().for_each(String::shrink_to_fit);
        }
        self.source.shrink_to_fit();
        self.title.shrink_to_fit();
        self.summary.text.shrink_to_fit();
        self.slug.shrink_to_fit();
        self.extra.0.shrink_to_fit();
        for author in &mut self.authors {
            author.name.shrink_to_fit();
            author.slug.shrink_to_fit();
        }
        self.authors.shrink_to_fit();
        all(&mut self.tags);
        self.tags.shrink_to_fit();
        all(&mut self.categories);
        self.categories.shrink_to_fit();
        self.corrections.iter_mut().for_each(|c| c.text.shrink_to_fit());
        self.corrections.shrink_to_fit();
        self.aliases.iter_mut().for_each(|a| a.written.shrink_to_fit());
        self.aliases.shrink_to_fit();
        self.places.names.shrink_to_fit();
    }

    /// When the article last changed: its `updated` date or its latest
    /// correction, whichever is later; `None` if it never changed.
    pub fn modified(&self) -> Option<ArticleDate> {
        let corrected = self.corrections.iter().map(|c| c.date).max_by_key(|d| d.at);
        match (self.updated, corrected) {
            (Some(u), Some(c)) => Some(if c.at > u.at { c } else { u }),
            (u, c) => u.or(c),
        }
    }
}

/// A dated correction notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    /// When the correction was made.
    pub date: ArticleDate,
    /// What was corrected, as plain text.
    pub text: String,
}

/// A short text about the article, for listings and meta descriptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The text.
    pub text: String,
    /// `true` when the writer gave it (`summary`/`description`): a real
    /// standfirst, shown above the body; `false` when taken from the body.
    pub written: bool,
}

/// A whole article: metadata and the Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// The metadata.
    pub meta: ArticleMeta,
    /// The body, as Markdown (wire bodies are escaped into Markdown).
    pub body: String,
}

/// What the load phase needs from the configuration.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Offset for dates written without one.
    pub timezone: FixedOffset,
    /// What separates names in one byline.
    pub byline_separators: Vec<String>,
    /// Names (and aliases) of the authors with a profile, normalized (see
    /// [`normalize_name`]), to the profile's name and slug: every spelling
    /// of one person goes to one author page.
    pub known_authors: std::collections::BTreeMap<String, (String, Slug)>,
    /// How much one file may cost.
    pub limits: Limits,
    /// The site's language when articles are tokenized for search (their
    /// [`ArticleMeta::terms`]); `None` when the site has no search.
    pub search: Option<String>,
    /// Whether the unknown front-matter keys are kept ([`ArticleMeta::extra`]):
    /// only when a template of the theme mentions `extra` (the bundled
    /// themes do not), as they cost a few hundred bytes an article.
    pub keep_extra: bool,
}

impl std::hash::Hash for LoadOptions {
    /// Every option (destructured, so that a new one cannot be left out).
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let LoadOptions { timezone, byline_separators, known_authors, limits, search, keep_extra } = self;
        (timezone.local_minus_utc(), byline_separators, known_authors, limits, search, keep_extra).hash(state);
    }
}

/// A name as compared with profile names and aliases: lowercase, single spaces.
pub fn normalize_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Build an article from a parsed wire story.
pub fn from_wire(source: &str, story: WireStory, opts: &LoadOptions) -> Result<Article, Vec<Located>> {
    let authors = match &story.byline {
        Some((byline, line)) => {
            let names = split_byline(byline, &opts.byline_separators);
            few_enough(names.len(), &opts.limits)
                .and_then(|()| to_authors(names.iter().map(String::as_str), opts))
                .map_err(|m| vec![Located::new(*line, 3, m)])?
        }
        None => Vec::new(),
    };
    let summary = Summary { text: markdown::summary(&story.body, SUMMARY_CHARS), written: false };
    let slug = slug_for(&story.headline, source);
    let headline = Place::new((story.headline_line, 1));
    let byline =
        story.byline.as_ref().map_or(Place::new((story.headline_line + 1, 1)), |(_, line)| Place::new((*line, 3)));
    let names = match &story.byline {
        Some((text, line)) => name_places(&format!("- {text}"), *line, byline, &authors, byline),
        None => Vec::new(),
    };
    let places = Places {
        title: headline,
        byline,
        date: Place::new((story.date_line, 3)),
        image: headline,
        body: Place::new((story.body_line, 1)),
        names,
        section: Place::new((story.label_lines.0, 3)),
        tags: Place::new((story.label_lines.1, 3)),
        location: Place::new((story.location_line, 3)),
    };
    Ok(Article {
        meta: ArticleMeta {
            source: source.to_string(),
            title: story.headline,
            date: story.date,
            updated: None,
            authors,
            location: story.location,
            tags: story.tags,
            categories: Vec::new(),
            section: story.section,
            story: story.story,
            summary,
            slug,
            draft: false,
            corrections: Vec::new(),
            image: None,
            aliases: Vec::new(),
            image_text: None,
            has_text: has_text(&story.body),
            places,
            extra: Extra::default(),
            stamp: Stamp::default(),
            terms: None,
        },
        body: story.body,
    })
}

/// Collects field errors, each placed at the line of its key.
struct Problems<'s, 'a> {
    split: &'s Split<'a>,
    list: Vec<Located>,
}

impl Problems<'_, '_> {
    fn add(&mut self, key: &str, message: String) {
        let (line, col) = self.split.locate(key);
        self.list.push(Located::new(line, col, message));
    }

    /// The value, or (after noting the error under `key`) nothing.
    fn check<T>(&mut self, key: &str, result: Result<T, String>) -> Option<T> {
        result.map_err(|m| self.add(key, m)).ok()
    }
}

/// Build an article from a front-matter map and its Markdown body,
/// reporting every bad field at once.
pub fn from_front_matter(
    source: &str,
    split: &Split<'_>,
    mut map: Map<String, Value>,
    opts: &LoadOptions,
) -> Result<Article, Vec<Located>> {
    let mut problems = Problems { split, list: Vec::new() };
    let p = &mut problems;
    let title = take_title(&mut map, split, p);
    let date = take_date(&mut map, source, opts, p);
    let updated = match map.remove("updated") {
        Some(Value::Null) | None => None,
        Some(value) => p.check("updated", parse_date_value("updated", &value, opts)),
    };
    let authors = take_authors(&mut map, opts, p);

    let mut text = |key: &str| match map.remove(key) {
        Some(value) => p.check(key, take_text(key, value)).flatten(),
        None => None,
    };
    let location = text("location");
    let explicit_summary = text("summary");
    let description = text("description");
    let explicit_slug = text("slug");
    let (image, image_text) = match map.remove("image") {
        Some(value) => p.check("image", take_image(value)).unwrap_or_default(),
        None => (None, ImageText::default()),
    };

    let tags = take_list(&mut map, &["tags"], p);
    let categories = take_list(&mut map, &["category", "categories"], p);
    let section = text_or_first(&mut map, "section", p).or_else(|| categories.first().cloned());
    let thread = text_or_first(&mut map, "story", p).or_else(|| text_or_first(&mut map, "series", p));

    let aliases = take_aliases(&mut map, split, p);
    let draft = p.check("draft", take_flag(&mut map, "draft")).flatten().unwrap_or(false);
    // Jekyll's `published: false` means the same as `draft: true`.
    let unpublished = p.check("published", take_flag(&mut map, "published")).flatten() == Some(false);

    let corrections = match map.remove("corrections") {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => p.check("corrections", take_corrections(&value, opts)).unwrap_or_default(),
    };

    let slug = match explicit_slug {
        Some(s) => {
            let slug = Slug::sanitize(&s);
            if slug.is_none() {
                p.add("slug", format!("slug {s:?} has no letters or digits to use"));
            }
            slug
        }
        None => title.as_deref().map(|t| slug_for(t, source)),
    };

    let (Some(title), Some(date), Some(slug), true) = (title, date, slug, problems.list.is_empty()) else {
        return Err(problems.list);
    };
    // Zola keeps custom keys in an `extra` table: its keys are the article's extras.
    if let Some(Value::Object(nested)) = map.remove("extra") {
        for (key, value) in nested {
            map.entry(key).or_insert(value);
        }
    }
    let body = split.body.to_string();
    let summary = match explicit_summary.or(description) {
        Some(text) => Summary { text, written: true },
        None => Summary { text: markdown::summary(&body, SUMMARY_CHARS), written: false },
    };
    let places = front_places(split, &authors);
    Ok(Article {
        meta: ArticleMeta {
            source: source.to_string(),
            title,
            date,
            updated,
            authors,
            location,
            tags,
            categories,
            section,
            story: thread,
            summary,
            slug,
            draft: draft || unpublished,
            corrections,
            image,
            aliases,
            image_text: (image_text != ImageText::default()).then(|| Box::new(image_text)),
            has_text: has_text(&body),
            places,
            extra: if opts.keep_extra { Extra::from_map(&map) } else { Extra::default() },
            stamp: Stamp::default(),
            terms: None,
        },
        body,
    })
}

/// `title:`, which must be there and not empty. A headline that YAML
/// reads as a number ("1984", "1e3") keeps its spelling.
fn take_title(map: &mut Map<String, Value>, split: &Split<'_>, p: &mut Problems<'_, '_>) -> Option<String> {
    let title = match map.remove("title") {
        None => Err("missing title: add `title: Your headline` to the front matter".to_string()),
        Some(Value::Number(n)) => Ok(Some(split.number_text("title", &n))),
        Some(value) => take_text("title", value),
    };
    match title {
        Ok(Some(title)) => Some(title),
        Ok(None) => p.check("title", Err("title is empty".into())),
        Err(message) => p.check("title", Err(message)),
    }
}

/// `date:`, or the date a Jekyll file name starts with.
fn take_date(
    map: &mut Map<String, Value>,
    source: &str,
    opts: &LoadOptions,
    p: &mut Problems<'_, '_>,
) -> Option<ArticleDate> {
    if let Some(value) = map.remove("date").filter(|v| !v.is_null()) {
        return p.check("date", parse_date_value("date", &value, opts));
    }
    if let Some(day) = date_from_file_name(source) {
        return Some(midnight(day, opts.timezone));
    }
    let message = match file_name_day_problem(source) {
        Some(why) => format!("missing date, and {why}: add `date: 2025-12-03` or rename the file"),
        None => "missing date: add `date: 2025-12-03` (or name the file `2025-12-03-slug.md`)".into(),
    };
    p.check("date", Err(message))
}

/// `author:` and `authors:` merged, each byline split into names, one
/// author each; at most `limits.byline_names` names, counted before they
/// are compared with each other (and reported at the key with the most).
fn take_authors(map: &mut Map<String, Value>, opts: &LoadOptions, p: &mut Problems<'_, '_>) -> Vec<Author> {
    let mut bylines: Vec<(&str, Vec<String>)> = Vec::new();
    for key in ["author", "authors"] {
        if let Some(value) = map.remove(key) {
            let list = p.check(key, strings(key, &value)).unwrap_or_default();
            bylines.push((key, list.iter().flat_map(|s| split_byline(s, &opts.byline_separators)).collect()));
        }
    }
    let named = bylines.iter().map(|(_, names)| names.len()).sum();
    if let Some((key, _)) = bylines.iter().max_by_key(|(_, names)| names.len())
        && p.check(key, few_enough(named, &opts.limits)).is_none()
    {
        bylines.clear();
    }
    let mut authors: Vec<Author> = Vec::new();
    for (key, names) in bylines {
        for author in p.check(key, to_authors(names.iter().map(String::as_str), opts)).unwrap_or_default() {
            if !authors.iter().any(|a| a.slug == author.slug) {
                authors.push(author);
            }
        }
    }
    authors
}

/// `aliases:`: text or a list of text, each placed where it is written.
fn take_aliases(map: &mut Map<String, Value>, split: &Split<'_>, p: &mut Problems<'_, '_>) -> Vec<Alias> {
    let Some(value) = map.remove("aliases") else { return Vec::new() };
    let written: Vec<String> = p.check("aliases", strings("aliases", &value)).unwrap_or_default();
    let written: Vec<String> = written.iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect();
    let key = Place::new(split.locate("aliases"));
    let places = list_places(split.front, split.front_line, key, &written);
    written.into_iter().zip(places).map(|(written, place)| Alias { written, place }).collect()
}

/// Where each item of a list is written in `text` (whose first line is
/// line `first`), each searched after the one before, from `from` on
/// (`/2025/` after `/2025/10/crane/` is not found inside it); `from` for
/// one not written as it reads (escaped).
fn list_places(text: &str, first: usize, from: Place, items: &[String]) -> Vec<Place> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cursor = ((from.line as usize).saturating_sub(first), 0);
    items
        .iter()
        .map(|item| {
            let found = (cursor.0..lines.len()).find_map(|i| {
                let start = if i == cursor.0 { cursor.1.min(lines[i].len()) } else { 0 };
                lines[i].get(start..)?.find(item.as_str()).map(|at| (i, start + at))
            });
            let Some((i, at)) = found else { return from };
            cursor = (i, at + item.len());
            Place::new((first + i, lines[i][..at].chars().count() + 1))
        })
        .collect()
}

/// Where front matter writes an article's parts.
fn front_places(split: &Split<'_>, authors: &[Author]) -> Places {
    let byline = ["author", "authors"]
        .iter()
        .find_map(|k| front_matter::locate_key(split.front, split.front_line, split.format, k))
        .unwrap_or_else(|| split.locate("author"));
    let byline = Place::new(byline);
    Places {
        title: Place::new(split.locate("title")),
        byline,
        date: Place::new(split.locate("date")),
        image: Place::new(split.locate("image")),
        body: Place::new((split.body_line(), 1)),
        names: name_places(split.front, split.front_line, byline, authors, byline),
        section: first_key(split, &["section", "categories", "category"]),
        tags: first_key(split, &["tags"]),
        location: first_key(split, &["location"]),
    }
}

/// Where the first of `keys` that front matter sets is set.
fn first_key(split: &Split<'_>, keys: &[&str]) -> Place {
    let found = keys.iter().find_map(|k| front_matter::locate_key(split.front, split.front_line, split.format, k));
    Place::new(found.unwrap_or_else(|| split.locate(keys[0])))
}

/// Whether a body has anything but white space.
fn has_text(body: &str) -> bool {
    !body.trim().is_empty()
}

/// A text value, trimmed; `None` when empty or null.
fn take_text(key: &str, value: Value) -> Result<Option<String>, String> {
    match value {
        Value::String(s) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
        Value::Null => Ok(None),
        other => Err(format!("{key} must be text, found {}", front_matter::kind(&other))),
    }
}

/// `image:`, a path or URL, or a map `{src, alt, caption, credit}`.
fn take_image(value: Value) -> Result<(Option<String>, ImageText), String> {
    let Value::Object(mut map) = value else {
        return take_text("image", value).map(|src| (src, ImageText::default()));
    };
    let mut text = |key: &str| map.remove(key).map_or(Ok(None), |v| take_text(&format!("image.{key}"), v));
    let src = text("src")?.ok_or("image needs a `src:` (the photo's path or URL)")?;
    let image_text = ImageText { alt: text("alt")?, caption: text("caption")?, credit: text("credit")? };
    match map.keys().next() {
        Some(key) => Err(format!("image: unknown key `{key}`, expected src, alt, caption or credit")),
        None => Ok((Some(src), image_text)),
    }
}

/// A text under `key`, or the first of a list (Hugo's `series` is a list).
fn text_or_first(map: &mut Map<String, Value>, key: &str, p: &mut Problems<'_, '_>) -> Option<String> {
    match map.remove(key) {
        Some(Value::Array(items)) => match items.into_iter().next() {
            Some(value) => p.check(key, take_text(key, value)).flatten(),
            None => None,
        },
        Some(value) => p.check(key, take_text(key, value)).flatten(),
        None => None,
    }
}

/// Words or lists of words under any of `keys`, merged without duplicates;
/// a single string may hold several, separated by commas (an item of a
/// list is one, commas and all: `["Washington, D.C."]`). A bad value is
/// reported under the key it was found at.
fn take_list(map: &mut Map<String, Value>, keys: &[&str], problems: &mut Problems<'_, '_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in keys {
        let Some(value) = map.remove(*key) else { continue };
        let Some(list) = problems.check(key, strings(key, &value)) else { continue };
        let split = matches!(value, Value::String(_));
        let items = list.iter().flat_map(|s| if split { s.split(',').collect() } else { vec![s.as_str()] });
        for item in items.map(str::trim) {
            if !item.is_empty() && !out.iter().any(|o| o == item) {
                out.push(item.to_string());
            }
        }
    }
    out
}

/// `corrections:` as a list of `{date, text}`, sorted oldest first.
fn take_corrections(value: &Value, opts: &LoadOptions) -> Result<Vec<Correction>, String> {
    let Value::Array(items) = value else {
        return Err(format!(
            "corrections must be a list of `- date: …` / `text: …` entries, found {}",
            front_matter::kind(value)
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        let (Some(date), Some(Value::String(text))) = (item.get("date"), item.get("text")) else {
            return Err(format!("correction {n} needs a `date` and a `text`"));
        };
        let date = parse_date_value("correction date", date, opts).map_err(|m| format!("correction {n}: {m}"))?;
        if text.trim().is_empty() {
            return Err(format!("correction {n} has an empty text"));
        }
        out.push(Correction { date, text: text.trim().to_string() });
    }
    out.sort_by_key(|c| c.date.at);
    Ok(out)
}

fn take_flag(map: &mut Map<String, Value>, key: &str) -> Result<Option<bool>, String> {
    match map.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(other) => Err(format!("{key} must be true or false, found {}", front_matter::kind(&other))),
    }
}

/// A front-matter date value under `key`, parsed; the error says how to write it.
pub fn parse_date_value(key: &str, value: &Value, opts: &LoadOptions) -> Result<ArticleDate, String> {
    match value {
        Value::String(s) => date::parse(s, opts.timezone).ok_or_else(|| match date::impossible_day(s) {
            Some(why) => format!("{key} {s:?} is not a day: {why}"),
            None => format!(
                "unparseable {key} {s:?}: write it like `2025-12-03`, `2025-12-03 14:30 +01:00` or `December 3, 2025`"
            ),
        }),
        other => Err(format!("{key} must be a date like 2025-12-03, found {}", front_matter::kind(other))),
    }
}

/// The start of a calendar day in `offset`: a date written without a time.
pub fn midnight(day: NaiveDate, offset: FixedOffset) -> ArticleDate {
    use chrono::TimeZone;
    let at = offset.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN)).single();
    // A fixed offset has no gaps or folds, so `single()` always succeeds.
    ArticleDate { at: at.unwrap_or_else(|| unreachable!()), has_time: false }
}

/// Jekyll names posts `YYYY-MM-DD-title.md`: the date is in the file name
/// (`source` may be a path; its last segment is the name).
pub fn date_from_file_name(source: &str) -> Option<NaiveDate> {
    let name = source.rsplit('/').next()?;
    let prefix = name.get(..11)?;
    if !prefix.ends_with('-') {
        return None;
    }
    NaiveDate::parse_from_str(&prefix[..10], "%Y-%m-%d").ok()
}

/// Why a file name that starts like a Jekyll post's (`2023-02-30-slug.md`)
/// gives no date: the day it names does not exist.
pub fn file_name_day_problem(source: &str) -> Option<String> {
    let name = source.rsplit('/').next()?;
    let prefix = name.get(..11).filter(|p| p.ends_with('-'))?;
    let why = date::impossible_day(&prefix[..10])?;
    Some(format!("the file name's date {} is not a day ({why})", &prefix[..10]))
}

/// A value that should be text or a list of text.
fn strings(key: &str, value: &Value) -> Result<Vec<String>, String> {
    let wrong = |found: &Value| format!("{key} must be text or a list of text, found {}", front_matter::kind(found));
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                other => Err(wrong(other)),
            })
            .collect(),
        other => Err(wrong(other)),
    }
}

/// Split a byline into names: `"By A. Jones & B. Smith"` → `["A. Jones", "B. Smith"]`.
///
/// A serial comma (`A, B, and C`) works, stray separators at either end
/// (`Ann Lee and`) are dropped, and runs of spaces collapse to one.
pub fn split_byline(byline: &str, separators: &[String]) -> Vec<String> {
    // Most bylines are one name, single-spaced: nothing to split or trim
    // (the general path below costs a dozen allocations per byline).
    let name = byline.trim();
    let one_name = !name.contains("  ")
        && !name.contains(|c: char| c.is_whitespace() && c != ' ')
        && !["By ", "by ", "BY "].iter().any(|p| name.starts_with(p))
        && separators.iter().all(|sep| {
            let edge = sep.trim();
            !name.contains(sep.as_str()) && (edge.is_empty() || !(name.starts_with(edge) || name.ends_with(edge)))
        });
    if one_name {
        return if name.is_empty() { Vec::new() } else { vec![name.to_string()] };
    }
    split_byline_fully(byline, separators)
}

fn split_byline_fully(byline: &str, separators: &[String]) -> Vec<String> {
    let byline = byline.split_whitespace().collect::<Vec<_>>().join(" ");
    let byline = ["By ", "by ", "BY "].iter().find_map(|p| byline.strip_prefix(p)).unwrap_or(&byline);
    let mut names = vec![byline.to_string()];
    for sep in separators {
        names = names.iter().flat_map(|n| n.split(sep.as_str()).map(str::to_string)).collect();
    }
    // What is left of a separator at the edge of a piece ("B Two," before
    // " and C", or a trailing "and").
    let edges: Vec<&str> = separators.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    names
        .into_iter()
        .map(|name| {
            let mut name = name.trim().to_string();
            loop {
                let before = name.len();
                for edge in &edges {
                    // A word-separator ("and") only counts as a whole word.
                    let symbol = edge.chars().all(|c| !c.is_alphanumeric());
                    if let Some(rest) = name.strip_suffix(edge)
                        && (symbol || rest.is_empty() || rest.ends_with(' '))
                    {
                        name = rest.trim_end().to_string();
                    }
                    if let Some(rest) = name.strip_prefix(edge)
                        && (symbol || rest.is_empty() || rest.starts_with(' '))
                    {
                        name = rest.trim_start().to_string();
                    }
                }
                if name.len() == before {
                    break name;
                }
            }
        })
        .filter(|n| !n.is_empty())
        .collect()
}

/// No more names in one byline than the limit: each name gets an author
/// page listing the article with all its names, so a byline of N names
/// would write N pages of N names.
fn few_enough(names: usize, limits: &Limits) -> Result<(), String> {
    if names <= limits.byline_names {
        return Ok(());
    }
    Err(format!(
        "{names} names in one byline, more than the {} a byline may have (limits.byline_names in site.yaml): \
         each name gets an author page listing all the others",
        limits.byline_names
    ))
}

/// Names to authors: a name or alias of a profiled author becomes that
/// author (under the profile's name); repeats merge (by slug); a name with
/// nothing to make a URL from is an error.
fn to_authors<'a>(names: impl Iterator<Item = &'a str>, opts: &LoadOptions) -> Result<Vec<Author>, String> {
    let mut authors: Vec<Author> = Vec::new();
    for name in names {
        let author = match opts.known_authors.get(&normalize_name(name)) {
            Some((profile, slug)) => Author { name: profile.clone(), slug: slug.clone() },
            None => {
                let slug = Slug::from_text(name).ok_or_else(|| format!("author {name:?} has no letters or digits"))?;
                Author { name: name.to_string(), slug }
            }
        };
        if !authors.iter().any(|a| a.slug == author.slug) {
            authors.push(author);
        }
    }
    Ok(authors)
}

/// The slug made from a headline; if the headline has nothing readable,
/// from the file name; failing that, `article`.
fn slug_for(title: &str, source: &str) -> Slug {
    let stem = source.rsplit('/').next().unwrap_or(source);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    Slug::from_text(title)
        .or_else(|| Slug::from_text(stem))
        .or_else(|| Slug::from_text("article"))
        .unwrap_or_else(|| unreachable!("\"article\" is a valid slug"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::front_matter::{parse, split};

    fn opts() -> LoadOptions {
        LoadOptions {
            timezone: FixedOffset::east_opt(0).unwrap(),
            byline_separators: vec![" & ".into(), " and ".into(), ", ".into()],
            known_authors: [(
                "minwoo jung (@jmwsoft)".to_string(),
                ("Minwoo Jung".to_string(), Slug::from_text("Minwoo Jung").unwrap()),
            )]
            .into(),
            limits: Default::default(),
            search: None,
            keep_extra: true,
        }
    }

    fn load(source: &str, text: &str) -> Result<Article, Vec<Located>> {
        let s = split(text).unwrap();
        let map = parse(&s).unwrap();
        from_front_matter(source, &s, map, &opts())
    }

    #[test]
    fn bylines_split_on_separators() {
        let seps = opts().byline_separators;
        assert_eq!(split_byline("Ingrid Jones", &seps), ["Ingrid Jones"]);
        assert_eq!(split_byline("By Ingrid Jones & Chen Wang", &seps), ["Ingrid Jones", "Chen Wang"]);
        assert_eq!(split_byline("A One, B Two and C Three", &seps), ["A One", "B Two", "C Three"]);
        assert_eq!(split_byline("  ", &seps), Vec::<String>::new());
        assert_eq!(split_byline("Alexander Anderson", &seps), ["Alexander Anderson"]);
        assert_eq!(split_byline("Ann Lee, Bo Chen, and Cy Dee", &seps), ["Ann Lee", "Bo Chen", "Cy Dee"]);
        assert_eq!(split_byline("By Ann Lee and", &seps), ["Ann Lee"]);
        assert_eq!(split_byline("Bo  Chen &", &seps), ["Bo Chen"]);
        assert_eq!(split_byline("Andrea Andersen", &seps), ["Andrea Andersen"]);
    }

    #[test]
    fn the_one_name_shortcut_agrees_with_the_full_split() {
        let seps: Vec<String> = vec![" & ".into(), " and ".into(), ", ".into(), " / ".into()];
        let words = ["Ann", "Lee", "and", "And", "andrew", "&", ",", "/", "By", "by", "Ö", "Bo-Chen", "", " ", "\t"];
        // Every byline of up to three of these words, joined by one or two spaces.
        for a in words {
            for b in words {
                for c in words {
                    for gap in [" ", "  "] {
                        let byline = [a, b, c].join(gap);
                        assert_eq!(split_byline(&byline, &seps), split_byline_fully(&byline, &seps), "{byline:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn author_and_authors_merge_without_duplicates() {
        let a = load(
            "a.md",
            "---\ntitle: T\ndate: 2025-01-02\nauthor: Ann Lee & Bo Chen\nauthors: [Bo Chen, Cy Dee]\n---\n",
        )
        .unwrap();
        let names: Vec<_> = a.meta.authors.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["Ann Lee", "Bo Chen", "Cy Dee"]);
        assert_eq!(a.meta.authors[0].slug.as_str(), "ann-lee");
    }

    #[test]
    fn aliases_go_to_the_profiled_author() {
        let a =
            load("a.md", "---\ntitle: T\ndate: 2025-01-02\nauthor: Minwoo  Jung (@jmwsoft) & Bo Chen\n---\n").unwrap();
        let names: Vec<_> = a.meta.authors.iter().map(|a| (a.name.as_str(), a.slug.as_str())).collect();
        assert_eq!(names, [("Minwoo Jung", "minwoo-jung"), ("Bo Chen", "bo-chen")]);
    }

    #[test]
    fn unknown_keys_go_to_extra() {
        let a = load("a.md", "---\ntitle: T\ndate: 2025-01-02\nlayout: post\nweight: 3\n---\nBody").unwrap();
        let extra = a.meta.extra.to_map();
        assert_eq!(extra["layout"], Value::String("post".into()));
        assert_eq!(extra["weight"], Value::from(3));
        assert!(!extra.contains_key("title"));
    }

    #[test]
    fn all_known_keys_are_typed() {
        let a = load(
            "a.md",
            "---\ntitle: T\ndate: 2025-01-02 10:00 +0200\nupdated: 2025-01-03\nlocation: Kyiv\ntags: [a, b]\n\
             categories: World\nsummary: Short.\nslug: My Slug\ndraft: true\n---\nBody",
        )
        .unwrap();
        let m = &a.meta;
        assert_eq!(m.date.at.to_rfc3339(), "2025-01-02T10:00:00+02:00");
        assert!(m.updated.is_some());
        assert_eq!(m.location.as_deref(), Some("Kyiv"));
        assert_eq!(m.tags, ["a", "b"]);
        assert_eq!(m.categories, ["World"]);
        assert_eq!(m.summary, Summary { text: "Short.".into(), written: true });
        assert_eq!(m.slug.as_str(), "my-slug");
        assert!(m.draft);
    }

    #[test]
    fn corrections_are_typed_and_set_the_modified_date() {
        let a = load(
            "a.md",
            "---\ntitle: T\ndate: 2025-01-02\nupdated: 2025-01-03\ncorrections:\n  - date: 2025-01-05 10:00\n    text: Fixed a name.\n  - date: 2025-01-04\n    text: Fixed a figure.\n---\n",
        )
        .unwrap();
        let texts: Vec<_> = a.meta.corrections.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["Fixed a figure.", "Fixed a name."]);
        assert_eq!(a.meta.modified().unwrap().at.to_rfc3339(), "2025-01-05T10:00:00+00:00");
        let e = load("a.md", "---\ntitle: T\ndate: 2025-01-02\ncorrections:\n  - text: no date\n---\n").unwrap_err();
        assert_eq!(e[0].line, 4, "{e:?}");
        assert!(e[0].message.contains("correction 1 needs a `date`"), "{e:?}");
    }

    #[test]
    fn summary_defaults_to_the_first_paragraph() {
        let a = load("a.md", "---\ntitle: T\ndate: 2025-01-02\n---\n\nFirst *para*.\n\nSecond.").unwrap();
        assert_eq!(a.meta.summary, Summary { text: "First para.".into(), written: false });
    }

    #[test]
    fn jekyll_file_names_give_the_date() {
        let a = load("_posts/2024-05-06-hello.md", "---\ntitle: Hello\n---\n").unwrap();
        assert_eq!(a.meta.date.day(), NaiveDate::from_ymd_opt(2024, 5, 6).unwrap());
        let a = load("_posts/2024-05-06-hello.md", "---\ntitle: Hello\ndate:\n---\n").unwrap();
        assert_eq!(a.meta.date.day(), NaiveDate::from_ymd_opt(2024, 5, 6).unwrap());
    }

    #[test]
    fn days_that_do_not_exist_are_named() {
        let e = load("_posts/2023-02-30-hello.md", "---\ntitle: Hello\n---\n").unwrap_err();
        assert_eq!(
            e[0].message,
            "missing date, and the file name's date 2023-02-30 is not a day (February 2023 has 28 days): \
             add `date: 2025-12-03` or rename the file"
        );
        let e = load("a.md", "---\ntitle: Old\ndate: 0000-01-01\n---\n").unwrap_err();
        assert_eq!((e[0].line, e[0].col), (3, 7));
        assert_eq!(e[0].message, "date \"0000-01-01\" is not a day: year 0 does not exist (1 BC is followed by AD 1)");
    }

    #[test]
    fn numeric_titles_keep_their_spelling() {
        assert_eq!(load("a.md", "---\ntitle: 1e3\ndate: 2025-01-02\n---\n").unwrap().meta.title, "1e3");
        assert_eq!(load("a.md", "---\ntitle: 1984\ndate: 2025-01-02\n---\n").unwrap().meta.title, "1984");
    }

    #[test]
    fn errors_are_placed_at_the_key_actually_used() {
        let e = load("a.md", "---\ntitle: T\ndate: 2025-01-02\ncategory: {a: 1}\n---\n").unwrap_err();
        assert_eq!(e[0].line, 4, "{e:?}");
        let e = load("a.md", "---\ntitle: T\ndate: 2025-01-02\nauthors: [\"Ann\", \"???\"]\n---\n").unwrap_err();
        assert_eq!(e[0].line, 4, "{e:?}");
    }

    #[test]
    fn zola_extra_tables_are_flattened_into_extra() {
        let s = split("+++\ntitle = \"T\"\ndate = 2025-01-02\n[extra]\nphoto = \"x.jpg\"\n+++\n").unwrap();
        let map = parse(&s).unwrap();
        let a = from_front_matter("a.md", &s, map, &opts()).unwrap();
        let extra = a.meta.extra.to_map();
        assert_eq!(extra["photo"], Value::String("x.jpg".into()));
        assert!(!extra.contains_key("extra"));
    }

    #[test]
    fn published_false_is_a_draft() {
        let a = load("a.md", "---\ntitle: T\ndate: 2025-01-02\npublished: false\n---\n").unwrap();
        assert!(a.meta.draft);
    }

    #[test]
    fn every_bad_field_is_reported_with_its_line() {
        let e = load("a.md", "---\nlocation: [1]\ndate: someday\ndraft: maybe\n---\n").unwrap_err();
        let lines: Vec<_> = e.iter().map(|l| (l.line, l.message.split(' ').next().unwrap_or(""))).collect();
        assert!(lines.contains(&(1, "missing")), "{e:?}");
        assert!(lines.contains(&(2, "location")), "{e:?}");
        assert!(lines.contains(&(3, "unparseable")), "{e:?}");
        assert!(lines.contains(&(4, "draft")), "{e:?}");
        let bad_date = e.iter().find(|l| l.line == 3).unwrap();
        assert!(bad_date.message.contains("\"someday\""), "{e:?}");
    }

    #[test]
    fn unreadable_titles_fall_back_to_the_file_name() {
        let a = load("2025/01/breaking.md", "---\ntitle: \"!!!\"\ndate: 2025-01-02\n---\n").unwrap();
        assert_eq!(a.meta.slug.as_str(), "breaking");
    }
}
