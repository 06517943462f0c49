//! Import: another archive's files in, Gazette Markdown articles out.
//!
//! Not a build phase: it writes *sources* into `content/`. Input: a folder
//! (or one file) of plain-text wire stories ([`wire`]), a Jekyll site's
//! `_posts/` and `_drafts/` ([`jekyll`]), Hugo/Zola content ([`hugo`]) or
//! a WordPress export ([`wordpress`]).
//! Output: one `YYYY/MM/<slug>.md` per article with YAML front matter,
//! keeping dates with their offsets (found where the old site kept them:
//! [`dated`]), bylines, tags, categories, slugs, old addresses as
//! `aliases`, and every key Gazette does not know. Each article is read
//! back with Gazette's own loader before it is written; an existing file is
//! never replaced, nothing is written into the folder being read, and a
//! dry run writes nothing but reports the same.

pub mod dated;
pub mod hugo;
pub mod jekyll;
pub mod wire;
pub mod wordpress;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::{Map, Value};

use crate::authoring::date_text;
use crate::authoring::front_matter::{Extra, FrontMatter, Names};
use crate::config::{Config, Permalink, SitePaths};
use crate::error::{Diagnostic, Error, Located, Result};
use crate::fsx;
use crate::load::front_matter::{self, Split};
use crate::load::{self, ArticleDate, LoadOptions, Source, SourceKind, article};
use crate::slug::Slug;
use dated::DateRule;

/// Which kind of archive is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Plain-text wire stories (`.txt`).
    Wire,
    /// A Jekyll site or its `_posts/` folder.
    Jekyll,
    /// A Hugo (or Zola) site or its `content/` folder.
    Hugo,
    /// A WordPress export (WXR), with a copy of its uploads if given.
    WordPress,
}

/// What `gazette import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// What the source is.
    pub from: Origin,
    /// The folder (or file) to import.
    pub source: PathBuf,
    /// The Gazette site (its `site.yaml` gives the timezone, bylines and permalinks).
    pub root: PathBuf,
    /// Where articles go; `root/content` when `None`.
    pub into: Option<PathBuf>,
    /// A copy of the old site's uploaded files (WordPress's
    /// `wp-content/uploads`), to copy beside the articles that link to them.
    pub uploads: Option<PathBuf>,
    /// Report only; write nothing.
    pub dry_run: bool,
}

/// A source file and where it went (or would go).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The file imported.
    pub source: PathBuf,
    /// The file written (or already there).
    pub target: PathBuf,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Articles converted and written.
    pub converted: Vec<Moved>,
    /// Files copied beside an article (Hugo page-bundle resources).
    pub copied: Vec<Moved>,
    /// Articles whose target file already exists (left as it is).
    pub present: Vec<Moved>,
    /// Files not imported, each with the reason (and line, when there is one).
    pub skipped: Vec<Diagnostic>,
    /// Posts left out on purpose (WordPress's private, trashed and
    /// password-protected posts): the reason in a word, and where and why.
    /// Not a failure.
    pub left_out: Vec<(&'static str, Diagnostic)>,
    /// Items that are not articles, counted by kind (WordPress's `page`,
    /// `attachment`, `nav_menu_item`…), in the order first seen.
    pub not_posts: Vec<(String, usize)>,
    /// How many of the converted articles are drafts.
    pub drafts: usize,
    /// Links in the converted articles that still point at files on the
    /// old site (no `--uploads`, or not found there).
    pub old_links: usize,
    /// Where those files are on the old site (`https://example.org/wp-content/uploads/`).
    pub old_site: String,
    /// Things kept verbatim that will not work as before (shortcodes, Liquid).
    pub warnings: Vec<Diagnostic>,
    /// Things worth knowing (old addresses kept as aliases).
    pub notes: Vec<Diagnostic>,
    /// How many of the converted articles each rule dated, in rule order.
    pub dated: Vec<(DateRule, usize)>,
}

/// Where each front matter key was in the source: (line, column).
pub type KeyLines = HashMap<String, (usize, usize)>;

/// One article, converted, before it is placed.
#[derive(Debug)]
pub struct Converted {
    /// The calendar day it is published on (gives `YYYY/MM/`).
    pub day: NaiveDate,
    /// The file name, without `.md`.
    pub stem: Slug,
    /// The front matter to write.
    pub front: FrontMatter,
    /// The Markdown body.
    pub body: String,
    /// Where the keys were in the source, to place problems found later.
    pub key_lines: KeyLines,
    /// Files to copy beside the article: (source, name).
    pub resources: Vec<(PathBuf, String)>,
    /// Warnings about this file.
    pub warnings: Vec<Located>,
    /// Notes about this file.
    pub notes: Vec<Located>,
    /// Where its date was found.
    pub dated_by: DateRule,
}

/// A file found under the source folder.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path relative to the source folder, `/`-separated.
    pub rel: String,
    /// Where it is.
    pub path: PathBuf,
}

/// What converters need from the site.
pub struct Context<'a> {
    /// How the site reads dates and bylines.
    pub load: &'a LoadOptions,
    /// Where article pages go, for notes about old URLs.
    pub permalink: &'a Permalink,
}

/// Import an archive. Errors are about the whole run (no such source, a
/// bad `site.yaml`, a file that cannot be written); per-file problems are
/// in the report.
pub fn import(options: &ImportOptions) -> Result<ImportReport> {
    let paths = SitePaths::new(&options.root, None);
    let config = Config::load(&paths)?;
    let into = options.into.clone().unwrap_or(paths.content);
    let load = config.load_options();
    let context = Context { load: &load, permalink: &config.permalink };
    if !options.source.exists() {
        return Err(Error::Usage(format!("{}: no such file or folder", options.source.display())));
    }
    // The folders read, each with the prefix its files' paths get.
    let folders = match options.from {
        Origin::WordPress => return import_wordpress(options, &into, &context),
        _ if options.uploads.is_some() => {
            return Err(Error::Usage("--uploads DIR is for --from wordpress".into()));
        }
        Origin::Wire => vec![(options.source.clone(), String::new())],
        Origin::Jekyll => jekyll::folders(&options.source),
        Origin::Hugo => vec![(inner(&options.source, "content"), String::new())],
    };
    refuse_overlap(&into, folders.iter().map(|(folder, _)| folder.as_path()))?;
    let mut report = ImportReport::default();
    let mut files = Vec::new();
    for (folder, prefix) in &folders {
        let (found, unusable) = walk(folder);
        files.extend(found.into_iter().map(|f| Found { rel: format!("{prefix}{}", f.rel), path: f.path }));
        report.skipped.extend(unusable.into_iter().map(|(path, reason)| Diagnostic::file(path, reason)));
    }
    let plan = match options.from {
        Origin::Wire => wire::plan(files),
        Origin::Jekyll => jekyll::plan(files),
        Origin::Hugo => hugo::plan(files),
        Origin::WordPress => unreachable!("a WordPress export is imported by import_wordpress"),
    };
    report.skipped.extend(plan.ignored.into_iter().map(|(f, reason)| Diagnostic::at(&f.path, 0, 0, reason)));
    let mut taken: HashSet<PathBuf> = HashSet::default();
    for item in plan.articles {
        let converted = load::read_text(&item.file.path, &item.file.path).and_then(|text| {
            let converted = match options.from {
                Origin::Wire => wire::convert(&item.file, &text, &context),
                Origin::Jekyll => jekyll::convert(&item.file, &text, &context),
                Origin::Hugo => hugo::convert(&item, &text, &context),
                Origin::WordPress => unreachable!("a WordPress export is imported by import_wordpress"),
            };
            converted.map_err(|list| list.into_iter().map(|l| l.in_file(&item.file.path)).collect())
        });
        match converted {
            Ok(converted) => place(converted, &item.file, &into, options.dry_run, &load, &mut taken, &mut report)?,
            Err(problems) => report.skipped.extend(problems),
        }
    }
    for list in [&mut report.skipped, &mut report.warnings, &mut report.notes] {
        list.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    }
    Ok(report)
}

/// Import a WordPress export (a file), with its uploads if given.
fn import_wordpress(options: &ImportOptions, into: &Path, context: &Context<'_>) -> Result<ImportReport> {
    if !options.source.is_file() {
        return Err(Error::Usage(format!(
            "{}: a WordPress export is one file (Tools → Export in WordPress writes it)",
            options.source.display()
        )));
    }
    if let Some(uploads) = &options.uploads
        && !uploads.is_dir()
    {
        return Err(Error::Usage(format!("--uploads {}: no such folder", uploads.display())));
    }
    refuse_overlap(into, std::iter::once(options.source.as_path()).chain(options.uploads.as_deref()))?;
    let request = wordpress::Request {
        export: &options.source,
        uploads: options.uploads.as_deref(),
        into,
        dry_run: options.dry_run,
    };
    wordpress::import(&request, context)
}

/// Refuse to write articles into a folder being read (or to read a folder
/// inside the one written): the imported files would be read again as
/// sources, by this import or by the site's build.
fn refuse_overlap<'a>(into: &Path, folders: impl Iterator<Item = &'a Path>) -> Result<()> {
    let written = fsx::absolute(into);
    for folder in folders {
        let read = fsx::absolute(folder);
        if written.starts_with(&read) || read.starts_with(&written) {
            return Err(Error::Usage(format!(
                "cannot import {} into {}: the articles would be written into the folder being read; \
                 import into another site (--root DIR) or folder (--into DIR)",
                folder.display(),
                into.display()
            )));
        }
    }
    Ok(())
}

/// `source/name` when the source is a site holding that folder, else `source`.
fn inner(source: &Path, name: &str) -> PathBuf {
    let folder = source.join(name);
    if folder.is_dir() { folder } else { source.to_path_buf() }
}

/// Every file under `source` (or `source` itself), and what could not be read.
fn walk(source: &Path) -> (Vec<Found>, Vec<(PathBuf, String)>) {
    if source.is_file() {
        let rel = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        return (vec![Found { rel, path: source.to_path_buf() }], Vec::new());
    }
    let walked = fsx::walk_files(source, fsx::Hidden::Skip);
    (walked.files.into_iter().map(|(rel, path)| Found { rel, path }).collect(), walked.problems)
}

/// What a converter will import from the files found.
#[derive(Debug, Default)]
pub struct Plan {
    /// Article files, in order.
    pub articles: Vec<Item>,
    /// Files that are not articles of this format, each with the reason.
    pub ignored: Vec<(Found, String)>,
}

/// An article file and the files that belong with it.
#[derive(Debug, Clone)]
pub struct Item {
    /// The article file.
    pub file: Found,
    /// Other files of its page bundle (Hugo), copied beside it.
    pub resources: Vec<Found>,
}

/// Check a converted article with the loader, choose its file and write it.
fn place(
    converted: Converted,
    file: &Found,
    into: &Path,
    dry_run: bool,
    load: &LoadOptions,
    taken: &mut HashSet<PathBuf>,
    report: &mut ImportReport,
) -> Result<()> {
    let source = &file.path;
    let text = converted.front.to_text(&converted.body);
    let folder = into.join(converted.day.format("%Y/%m").to_string());
    // Two articles of one run that want one name: the later gets `-2`…
    let target = (1..)
        .map(|n| {
            let stem = if n == 1 { converted.stem.clone() } else { converted.stem.with_suffix(n) };
            folder.join(format!("{stem}.md"))
        })
        .find(|t| !taken.contains(t))
        .unwrap_or_else(|| unreachable!("an unbounded range always finds a free name"));
    let rel = target.strip_prefix(into).unwrap_or(&target).to_string_lossy().replace('\\', "/");
    let as_source = Source { rel, path: target.clone(), kind: SourceKind::Markdown };
    let draft = match load::parse_article(&as_source, text.as_bytes(), source, load) {
        Ok(article) => article.meta.draft,
        Err(problems) => {
            report.skipped.extend(problems.into_iter().map(|p| {
                let key = key_at(&text, p.line);
                let (line, col) = key.and_then(|k| converted.key_lines.get(k)).copied().unwrap_or((0, 0));
                Diagnostic::at(source, line, col, p.message)
            }));
            return Ok(());
        }
    };
    taken.insert(target.clone());
    let at = |l: Located| l.in_file(source);
    report.warnings.extend(converted.warnings.into_iter().map(at));
    report.notes.extend(converted.notes.into_iter().map(at));
    if !fsx::lands_inside(&target, into) {
        let message = format!("{}: a folder on the way is a link to outside {}", target.display(), into.display());
        report.skipped.push(Diagnostic::file(source, message));
        return Ok(());
    }
    let moved = Moved { source: source.clone(), target: target.clone() };
    let written = if dry_run { !target.exists() } else { fsx::write_new(&target, text.as_bytes())? };
    if !written {
        report.present.push(moved);
        return Ok(());
    }
    report.converted.push(moved);
    report.drafts += usize::from(draft);
    match report.dated.binary_search_by_key(&converted.dated_by.rank(), |(rule, _)| rule.rank()) {
        Ok(at) => report.dated[at].1 += 1,
        Err(at) => report.dated.insert(at, (converted.dated_by, 1)),
    }
    for (resource, name) in converted.resources {
        let beside = folder.join(&name);
        let bytes = match fsx::read(&resource) {
            Ok(bytes) => bytes,
            Err(e) => {
                report.skipped.push(Diagnostic::file(&resource, e.to_string()));
                continue;
            }
        };
        let copied = if dry_run { !beside.exists() } else { fsx::write_new(&beside, &bytes)? };
        if copied {
            report.copied.push(Moved { source: resource, target: beside });
        } else if fsx::read_optional(&beside)?.as_deref() != Some(bytes.as_slice()) {
            report.skipped.push(Diagnostic::file(
                &resource,
                format!("a different file is already at {}; copy it by hand and change the link", beside.display()),
            ));
        }
    }
    Ok(())
}

/// The top-level YAML key whose value spans line `line` of an article
/// `text` (line 1 is the opening `---`).
fn key_at(text: &str, line: usize) -> Option<&str> {
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines.iter().rev().find_map(|l| {
        let key = l.split_once(':')?.0;
        (!key.is_empty() && !key.starts_with([' ', '-', '#'])).then(|| key.trim_matches(['\'', '"']))
    })
}

/// Front matter of a Markdown source, parsed, with where each key is.
pub struct Front<'t> {
    /// The split file.
    pub split: Split<'t>,
    /// The keys and values.
    pub map: Map<String, Value>,
    /// Where each top-level key is written.
    pub lines: KeyLines,
}

impl<'t> Front<'t> {
    /// Split and parse a Markdown file's front matter.
    pub fn parse(text: &'t str) -> std::result::Result<Front<'t>, Vec<Located>> {
        // Hugo's JSON front matter is read too (and written as YAML).
        let split = front_matter::split_json(text).unwrap_or_else(|| front_matter::split(text)).map_err(|e| vec![e])?;
        let map = front_matter::parse(&split).map_err(|e| vec![e])?;
        let lines = map
            .keys()
            .filter_map(|k| {
                let at = front_matter::locate_key(split.front, split.front_line, split.format, k)?;
                Some((k.clone(), at))
            })
            .collect();
        Ok(Front { split, map, lines })
    }

    /// Where `key` is written, or the opening fence.
    pub fn at(&self, key: &str) -> (usize, usize) {
        self.lines.get(key).copied().unwrap_or((1, 1))
    }

    /// A problem at `key`.
    pub fn problem(&self, key: &str, message: impl Into<String>) -> Located {
        let (line, col) = self.at(key);
        Located::new(line, col, message)
    }

    /// The first line of the body.
    pub fn body_line(&self, text: &str) -> usize {
        let before = &text[..text.len() - self.split.body.len()];
        before.matches('\n').count() + 1
    }

    /// The title, required: text (a number, like `1984`, as written).
    pub fn title(&mut self) -> std::result::Result<String, Located> {
        let missing = || self.problem("title", "no title: an article needs a headline (`title:`)");
        match self.map.get("title") {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(Value::Number(n)) => Ok(self.split.number_text("title", n)),
            Some(Value::String(_) | Value::Null) | None => Err(missing()),
            Some(other) => {
                Err(self.problem("title", format!("title must be text, found {}", front_matter::kind(other))))
            }
        }
    }

    /// The date under the first of `keys` that is set, as the source
    /// writes it ([`as_written`]); `None` when none is, or it is not a date.
    pub fn written_date(&self, keys: &[&str], load: &LoadOptions) -> Option<String> {
        let date = self.date(keys, load).ok()??;
        Some(as_written(&date, |timezone| self.date(keys, &LoadOptions { timezone, ..load.clone() }).ok().flatten()))
    }

    /// The date under the first of `keys` that is set, parsed; `Ok(None)`
    /// when none is.
    pub fn date(&self, keys: &[&str], load: &LoadOptions) -> std::result::Result<Option<ArticleDate>, Located> {
        let Some((key, value)) = keys.iter().find_map(|k| self.map.get(*k).filter(|v| !v.is_null()).map(|v| (k, v)))
        else {
            return Ok(None);
        };
        article::parse_date_value(key, value, load).map(Some).map_err(|message| self.problem(key, message))
    }

    /// The front matter to write: `title` and `date` as given, the keys
    /// Gazette reads (typed, where their values have the type it reads),
    /// then every other key in the order of the source (keys it did not
    /// have at the end).
    pub fn into_front_matter(mut self, title: String, date: String) -> (FrontMatter, KeyLines) {
        let map = &mut self.map;
        map.remove("title");
        map.remove("date");
        let text = |v: &Value| v.as_str().map(str::to_string);
        let front = FrontMatter {
            title,
            date,
            updated: take(map, "updated", text),
            author: take(map, "author", Names::from_value),
            authors: take(map, "authors", Names::from_value),
            location: take(map, "location", text),
            summary: take(map, "summary", text),
            section: take(map, "section", text),
            tags: take(map, "tags", Names::from_value),
            categories: take(map, "categories", Names::from_value),
            story: take(map, "story", text),
            slug: take(map, "slug", text),
            draft: take(map, "draft", Value::as_bool),
            image: take(map, "image", text),
            aliases: take(map, "aliases", |v| Names::from_value(v).map(|n| n.to_vec())).unwrap_or_default(),
            extra: Extra::default(),
            notes: Vec::new(),
        };
        let mut rest: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
        rest.sort_by_key(|(k, _)| self.lines.get(k).copied().unwrap_or((usize::MAX, 0)));
        (FrontMatter { extra: Extra(rest), ..front }, self.lines)
    }
}

/// The value of `key`, removed from `map` when `typed` reads it; a value of
/// another type stays, to be written (and reported by the loader) as it is.
fn take<T>(map: &mut Map<String, Value>, key: &str, typed: impl Fn(&Value) -> Option<T>) -> Option<T> {
    let value = typed(map.get(key)?)?;
    map.remove(key);
    Some(value)
}

/// A date as an imported article writes it: as the source did. With an
/// offset (`2025-12-05T18:45:00-05:00`) when the source named one, or only
/// a day; otherwise as local time without one (`2025-12-05 18:45`), so the
/// site's `timezone` goes on applying to it, as it did to the source.
/// `reparse` reads the source's text again with another default offset:
/// a text that named its own offset keeps it.
pub fn as_written(date: &ArticleDate, reparse: impl Fn(chrono::FixedOffset) -> Option<ArticleDate>) -> String {
    use chrono::Timelike;
    let offset = date.at.offset().local_minus_utc();
    let other = chrono::FixedOffset::east_opt(if offset == 3600 { 7200 } else { 3600 }).unwrap_or(*date.at.offset());
    let named_offset = reparse(other).is_some_and(|again| again.at.offset() == date.at.offset());
    if !date.has_time || named_offset || date.at.nanosecond() != 0 {
        return date_text(date);
    }
    let format = if date.at.second() == 0 { "%Y-%m-%d %H:%M" } else { "%Y-%m-%d %H:%M:%S" };
    date.at.format(format).to_string()
}

/// Every shortcode or template tag in a body, as warnings: it is kept as
/// written, and will show as text. `pairs` are the (open, close) markers.
pub fn template_tags(body: &str, first_line: usize, pairs: &[(&str, &str)], what: &str) -> Vec<Located> {
    let mut found = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let mut from = 0;
        while let Some((at, open)) =
            pairs.iter().filter_map(|(open, _)| line[from..].find(open).map(|at| (from + at, open))).min()
        {
            let close = pairs.iter().find(|(o, _)| o == open).map_or("", |(_, c)| *c);
            let end = line[at + open.len()..].find(close).map_or(line.len(), |e| at + open.len() + e + close.len());
            let tag: String = line[at..end].chars().take(80).collect();
            let col = line[..at].chars().count() + 1;
            found.push(Located::new(
                first_line + i,
                col,
                format!("{what} kept as written (it will show as text): {tag}"),
            ));
            from = end.max(at + open.len());
        }
    }
    found
}

/// The old addresses of an article, taken out of `keys` (in order: the
/// keys holding its old page address, like Zola's `path`, then alias lists
/// like `aliases` or Jekyll's `redirect_from`) and put under `aliases`,
/// each written from the site's root; with a note saying where Gazette
/// publishes the article now.
pub fn take_aliases(
    front: &mut Front<'_>,
    keys: &[&str],
    permalink: &Permalink,
    day: NaiveDate,
    slug: &Slug,
) -> Option<Located> {
    let mut aliases: Vec<String> = Vec::new();
    let mut first = None;
    for key in keys {
        let Some(names) = front.map.get(*key).and_then(Names::from_value) else { continue };
        front.map.remove(*key);
        first.get_or_insert(*key);
        for alias in names.to_vec().iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
            let alias =
                if alias.starts_with('/') || alias.contains("://") { alias.to_string() } else { format!("/{alias}") };
            if !aliases.contains(&alias) {
                aliases.push(alias);
            }
        }
    }
    let first = first.filter(|_| !aliases.is_empty())?;
    if let Some(at) = front.lines.get(first).copied() {
        front.lines.insert("aliases".into(), at);
    }
    let page = permalink.render(day, slug.as_str());
    let note = front.problem(
        first,
        format!(
            "old address{} {} kept as `aliases`: Gazette publishes this article at {page} (the build redirects {} there)",
            if aliases.len() == 1 { "" } else { "es" },
            aliases.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(", "),
            if aliases.len() == 1 { "it" } else { "them" },
        ),
    );
    front.map.insert("aliases".into(), Value::from(aliases));
    Some(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_with_an_offset_only_when_the_source_named_one() {
        let written = |text: &str, site: i32| {
            let tz = |secs| chrono::FixedOffset::east_opt(secs).unwrap();
            let date = crate::load::date::parse(text, tz(site)).unwrap();
            as_written(&date, |other| crate::load::date::parse(text, other))
        };
        assert_eq!(written("December 5, 2025 6:45 pm", 0), "2025-12-05 18:45");
        assert_eq!(written("December 5, 2025 6:45:30 pm", 3600), "2025-12-05 18:45:30");
        assert_eq!(written("December 5, 2025 6:45 pm +01:00", 3600), "2025-12-05T18:45:00+01:00");
        assert_eq!(written("2025-12-05T18:45:00Z", 3600), "2025-12-05T18:45:00+00:00");
        assert_eq!(written("December 5, 2025", 3600), "2025-12-05");
    }

    fn context<T>(f: impl FnOnce(&Context<'_>) -> T) -> T {
        let load = LoadOptions {
            timezone: chrono::FixedOffset::east_opt(0).unwrap(),
            byline_separators: vec![" & ".into()],
            known_authors: Default::default(),
            limits: Default::default(),
            search: None,
            keep_extra: true,
        };
        let permalink = Permalink::parse("{year}/{month}/{day}/{slug}/").unwrap();
        f(&Context { load: &load, permalink: &permalink })
    }

    #[test]
    fn template_tags_are_found_with_their_columns() {
        let found =
            template_tags("a {{ x }} b {% y %}\n\n{% unclosed", 10, &[("{%", "%}"), ("{{", "}}")], "Liquid tag");
        let at: Vec<(usize, usize, &str)> =
            found.iter().map(|l| (l.line, l.col, l.message.rsplit(": ").next().unwrap_or(""))).collect();
        assert_eq!(at, [(10, 3, "{{ x }}"), (10, 13, "{% y %}"), (12, 1, "{% unclosed")]);
    }

    #[test]
    fn problems_in_written_front_matter_are_traced_to_their_key() {
        let text = "---\ntitle: T\ntags:\n  a: 1\n---\n";
        assert_eq!(key_at(text, 4), Some("tags"));
        assert_eq!(key_at(text, 2), Some("title"));
        assert_eq!(key_at(text, 1), None);
    }

    /// Mutated inputs never panic a converter: they convert or give located problems.
    #[test]
    fn no_input_panics_the_converters() {
        let seeds = [
            "Headline\n- Ann Lee & Bo Chen\n- Kyiv\n- Dec. 3, 2025, 2:30 p.m. EST\n#1 body {{< x >}}\n",
            "---\ntitle: \"T: x\"\ndate: 2025-12-31 23:30:00 -0500\ntags: a b\nslug: ../y\npermalink: /p/\n---\n{% x %}\n",
            "+++\ntitle = 'T'\ndate = 2025-12-03T10:00:00Z\nlastmod = 2025-12-04\n[taxonomies]\ntags = ['a']\n+++\n{{% y %}}\n",
            "{\n  \"title\": 1984,\n  \"path\": \"2025/06/26/x\",\n  \"series\": [\"a\", \"b\"]\n}\n{{< x >}}\n",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let specials = ['-', ':', '\n', '+', '#', '{', '}', '%', '<', '>', '[', ']', '"', '\'', '1', 'T', 'é', ' '];
        context(|cx| {
            for round in 0..3000 {
                let mut chars: Vec<char> = seeds[round % seeds.len()].chars().collect();
                for _ in 0..(next() % 5 + 1) {
                    let at = (next() as usize) % (chars.len() + 1);
                    match next() % 3 {
                        0 if !chars.is_empty() => {
                            chars.remove(at.min(chars.len() - 1));
                        }
                        1 => chars.insert(at, specials[(next() as usize) % specials.len()]),
                        _ => chars.truncate(at),
                    }
                }
                let text: String = chars.into_iter().collect();
                let found = |rel: &str| Found { rel: rel.into(), path: PathBuf::from(rel) };
                let item = Item { file: found("posts/index.md"), resources: Vec::new() };
                for result in [
                    wire::convert(&found("a.txt"), &text, cx),
                    jekyll::convert(&found("2025-12-03-a.md"), &text, cx),
                    jekyll::convert(&found("_drafts/a.md"), &text, cx),
                    hugo::convert(&item, &text, cx),
                ] {
                    match result {
                        Ok(c) => drop(c.front.to_text(&c.body)),
                        Err(problems) => assert!(problems.iter().all(|p| p.line >= 1), "{problems:?}"),
                    }
                }
            }
        });
    }
}
