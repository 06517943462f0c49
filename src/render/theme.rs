//! Themes: which template and static file wins, resolved file by file.
//!
//! Part of the render phase, done once per build. Input: the site's
//! `templates/` and `static/`, the theme chosen in `site.yaml` (a folder
//! under `themes/`, or one of the themes bundled in the binary), and the
//! bundled default theme. Output: a [`Theme`] whose Tera instance has every
//! template parsed once, the static files to copy, and the theme's
//! settings for templates.
//!
//! Resolution, for each template name: the site's `templates/` first, then
//! the chosen theme, then the bundled default. Every template is also
//! reachable under a prefixed name, so a template can extend the version
//! it replaces: `{% extends "theme:article.html" %}` (or `"default:…"`).
//! Static files resolve the same way (site over theme over default); CSS
//! and JS files are also written under a name holding a hash of their
//! content (`assets/gazette.1a2b3c4d.css`), which templates get from the
//! `asset` function, so hosts may cache them forever.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tera::{Context, ErrorKind, Kwargs, State, Tera};

use super::embedded;
use super::views::{SiteView, ThemeView};
use crate::config::{Config, SitePaths};
use crate::error::{Diagnostic, Error, Result};
use crate::fsx;
use crate::keys::{self, Key, KeyBuilder};
use crate::urls::PagePath;
use crate::write::FileSource;

/// Bytes reserved for a rendered page (most pages of the default theme
/// are 8-20 KiB).
const PAGE_CAPACITY: usize = 32 * 1024;

/// Prefix of the site's own templates.
const SITE: &str = "site:";
/// Prefix of the chosen theme's templates.
const THEME: &str = "theme:";
/// Prefix of the bundled default theme's templates.
const DEFAULT: &str = "default:";

/// `theme.yaml`: what a theme says about itself.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemeManifest {
    /// Display name.
    pub name: String,
    /// One line about the theme.
    pub description: String,
    /// The theme's version.
    pub version: String,
    /// The templates it provides (the others come from the default theme).
    pub templates: Vec<String>,
    /// Default values of its settings, which `theme_settings:` in
    /// `site.yaml` overrides.
    pub settings: Map<String, Value>,
}

/// A static file to copy to the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path in the output, `/`-separated (`assets/gazette.css`).
    pub rel: String,
    /// Its bytes.
    pub source: FileSource,
    /// How to name it in messages (`static/robots.txt`).
    pub origin: PathBuf,
}

/// Parsed templates and static files, ready to render any page.
pub struct Theme {
    tera: Tera,
    /// Template name → the file to name in error messages.
    files: BTreeMap<String, String>,
    statics: Vec<StaticFile>,
    key: Key,
    /// Whether a template mentions `extra` (see [`Theme::reads_extra`]).
    reads_extra: bool,
    /// Which lists of stories each template reads (see [`Theme::lists`]).
    lists: BTreeMap<String, Lists>,
}

/// The lists of stories a listing template reads, with what it includes
/// and extends: `articles` (each card's fields) and `cards` (each card as
/// HTML). A page is given only the ones its template reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lists {
    /// It reads `articles` (or a group's `articles`).
    pub articles: bool,
    /// It reads `cards`.
    pub cards: bool,
}

/// A theme's files, wherever they come from.
struct Source {
    id: String,
    manifest: ThemeManifest,
    /// (template name, text, file to name in messages)
    templates: Vec<(String, String, String)>,
    /// (output path, bytes, file to name in messages)
    statics: Vec<(String, FileSource, PathBuf)>,
    /// The text of its `theme.yaml`, for the theme's key.
    manifest_text: String,
}

impl Theme {
    /// Resolve and parse the theme for this site.
    pub fn load(paths: &SitePaths, config: &Config) -> Result<Theme> {
        let mut problems = Vec::new();
        match Theme::load_checked(paths, config, &mut problems)? {
            Some(theme) if problems.is_empty() => Ok(theme),
            _ => Err(Error::Input(problems)),
        }
    }

    /// [`Theme::load`], noting every problem rather than stopping at the
    /// first: a `theme:` that cannot be used is noted and the default
    /// theme taken instead, so the site's own templates are still checked
    /// in the same run; with template errors there is no theme. `Err`
    /// only for what stops everything (a file that cannot be read).
    pub fn load_checked(paths: &SitePaths, config: &Config, problems: &mut Vec<Diagnostic>) -> Result<Option<Theme>> {
        let chosen = match config.theme.as_deref().map(|name| find_theme(paths, config, name)) {
            None => None,
            Some(Ok(source)) => Some(source),
            Some(Err(Error::Input(list))) => {
                problems.extend(list);
                None
            }
            Some(Err(other)) => return Err(other),
        };
        match Theme::from_sources(paths, config, chosen) {
            Ok(theme) => Ok(Some(theme)),
            Err(Error::Input(list)) => {
                problems.extend(list);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// The theme made of the chosen theme's files (or none: the default's)
    /// under the site's own.
    fn from_sources(paths: &SitePaths, config: &Config, chosen: Option<Source>) -> Result<Theme> {
        let default = embedded_source("default")?;
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut files = BTreeMap::new();
        let mut statics: BTreeMap<String, (FileSource, PathBuf)> = BTreeMap::new();
        let mut key = KeyBuilder::new("theme");
        let mut add = |prefix: &str, source: &Source| {
            key.str(prefix).str(&source.manifest_text);
            for (name, text, file) in &source.templates {
                key.str(name).str(text);
                files.insert(format!("{prefix}{name}"), file.clone());
                templates.push((format!("{prefix}{name}"), text.clone()));
            }
            for (rel, bytes, origin) in &source.statics {
                statics.insert(rel.clone(), (bytes.clone(), origin.clone()));
            }
        };
        // The default is the last fallback; a chosen theme overrides it;
        // the site's own files override both.
        match &chosen {
            Some(theme) => {
                add(DEFAULT, &default);
                add(THEME, theme);
            }
            None => add(THEME, &default),
        }
        let site = site_source(paths)?;
        add(SITE, &site);
        // Tera resolves a plain name ("base.html") by formatting and looking
        // up each prefixed name in turn, at every include on every page: 7%
        // of a build's instructions. So each winning template (the last one
        // added under a name) is also registered under its plain name.
        let mut winners = BTreeMap::new();
        for (name, text) in &templates {
            let plain = name.split_once(':').map_or(name.as_str(), |(_, plain)| plain);
            winners.insert(plain.to_string(), (text.clone(), files[name].clone()));
        }
        // Only the templates pages use: one the site overrides is not read.
        let mut problems = removed_variables(winners.values());
        for (plain, (text, file)) in winners {
            files.insert(plain.clone(), file);
            templates.push((plain, text));
        }

        let theme = chosen.as_ref().unwrap_or(&default);
        let mut settings = default.manifest.settings.clone();
        settings.extend(theme.manifest.settings.clone());
        settings.extend(config.theme_settings.clone());

        // Hash-named copies of stylesheets and scripts, for long caching.
        let mut assets: BTreeMap<String, String> = BTreeMap::new();
        let mut fingerprinted = Vec::new();
        for (rel, (source, origin)) in &statics {
            let hashed = fingerprint(rel, source)?;
            if let Some(hashed) = &hashed {
                fingerprinted.push((hashed.clone(), source.clone(), origin.clone()));
            }
            assets.insert(rel.clone(), hashed.unwrap_or_else(|| rel.clone()));
        }
        let mut statics: Vec<StaticFile> =
            statics.into_iter().map(|(rel, (source, origin))| StaticFile { rel, source, origin }).collect();
        statics.extend(fingerprinted.into_iter().map(|(rel, source, origin)| StaticFile { rel, source, origin }));
        for (rel, hashed) in &assets {
            key.str(rel).str(hashed);
        }

        let mut tera = Tera::new();
        tera.set_fallback_prefixes([SITE, THEME, DEFAULT]).map_err(|e| Error::Site(e.to_string()))?;
        tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            assets.get(path.trim_start_matches('/')).cloned().ok_or_else(|| {
                tera::Error::message(format!("asset(path={path:?}): no static file of that name in the theme or site"))
            })
        });
        let reads_extra = templates.iter().any(|(_, text)| text.contains("extra"));
        // Every name a template can be reached by: plain and prefixed
        // (`{% extends "theme:day.html" %}`).
        let lists = lists_read(&templates.iter().cloned().collect());
        if let Err(e) = tera.add_raw_templates(templates) {
            problems.extend(template_errors(&e, &files, None));
        }
        if !problems.is_empty() {
            return Err(Error::Input(problems));
        }
        tera.global_context().insert(
            "site",
            &SiteView { title: &config.title, description: config.description.as_deref(), language: &config.language },
        );
        tera.global_context().insert(
            "theme",
            &ThemeView {
                id: &theme.id,
                name: &theme.manifest.name,
                version: &theme.manifest.version,
                settings: &settings,
            },
        );
        key.str(&Value::Object(settings).to_string());
        Ok(Theme { tera, files, statics, key: key.finish(), reads_extra, lists })
    }

    /// Render the template `name` for the page at `page`, as UTF-8 bytes.
    pub fn render(&self, name: &str, context: &Context, page: &PagePath) -> Result<Vec<u8>, Diagnostic> {
        // Room for a typical page up front: growing the buffer as Tera
        // writes copied each page two or three times. (Tera writes only
        // UTF-8, and the bytes go to a file: no need to check them again.)
        self.render_sized(name, context, page, PAGE_CAPACITY)
    }

    /// Render the template `name`, a part of pages (a story card), as text;
    /// `page` is the page to name in an error.
    pub fn render_fragment(&self, name: &str, context: &Context, page: &PagePath) -> Result<String, Diagnostic> {
        let html = self.render_sized(name, context, page, 1024)?;
        Ok(String::from_utf8(html).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Render `name` into a buffer of `capacity` bytes to begin with.
    fn render_sized(
        &self,
        name: &str,
        context: &Context,
        page: &PagePath,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut html = Vec::with_capacity(capacity);
        self.tera.render_to(name, context, &mut html).map_err(|e| {
            let mut list = template_errors(&e, &self.files, Some(page));
            list.swap_remove(0)
        })?;
        Ok(html)
    }

    /// Static files to copy: the default theme's, the chosen theme's over
    /// them, the site's over both, and hash-named copies of CSS and JS.
    pub fn statics(&self) -> &[StaticFile] {
        &self.statics
    }

    /// Key of everything in the theme that shapes pages (templates, static
    /// file names, settings): a change re-renders every page.
    pub fn key(&self) -> Key {
        self.key
    }

    /// Whether any of its templates (the site's own included) mentions
    /// `extra`, the articles' unknown front-matter keys. A plain text
    /// search, so a comment counts too: it errs on the side of keeping them.
    pub fn reads_extra(&self) -> bool {
        self.reads_extra
    }

    /// The lists of stories template `name` reads. Read from the text of
    /// its tags (not comments or markup), so a mention it never evaluates
    /// counts too: it errs on the side of giving a page both.
    pub fn lists(&self, name: &str) -> Lists {
        self.lists.get(name).copied().unwrap_or(Lists { articles: true, cards: true })
    }
}

/// [`Lists`] of every template, by the names Tera knows it by (plain and
/// prefixed): a template reads what its own tags name and what the
/// templates it names (includes, extends, imports) read.
fn lists_read(templates: &BTreeMap<String, String>) -> BTreeMap<String, Lists> {
    let tags: BTreeMap<&str, String> = templates.iter().map(|(name, text)| (name.as_str(), tag_text(text))).collect();
    let mut lists = BTreeMap::new();
    for name in templates.keys() {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = vec![name.as_str()];
        let mut found = Lists::default();
        while let Some(next) = todo.pop() {
            let Some(text) = tags.get(next).filter(|_| seen.insert(next)) else { continue };
            found.articles |= names_word(text, "articles");
            found.cards |= names_word(text, "cards");
            for quoted in quoted_strings(text) {
                match tags.get_key_value(quoted) {
                    Some((&known, _)) => todo.push(known),
                    // A template Gazette cannot follow: give it both.
                    None if quoted.ends_with(".html") => found = Lists { articles: true, cards: true },
                    None => {}
                }
            }
        }
        lists.insert(name.clone(), found);
    }
    lists
}

/// The string literals in tag text, in any of Tera's quotes.
fn quoted_strings(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['"', '\'', '`']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        let inner = &rest[open + 1..];
        let Some(close) = inner.find(quote) else { break };
        found.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    found
}

/// The text inside a template's `{{ }}` and `{% %}` tags, a line each.
fn tag_text(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find(['{']) {
        rest = &rest[start..];
        let close = match rest.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            _ => {
                rest = &rest[1..];
                continue;
            }
        };
        let Some(end) = rest.find(close) else { break };
        out.push_str(&rest[2..end]);
        out.push('\n');
        rest = &rest[end + 2..];
    }
    out
}

/// Whether `text` has `word` as a whole name (`group.articles` counts).
fn names_word(text: &str, word: &str) -> bool {
    let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    text.match_indices(word)
        .any(|(at, _)| !ident(text[..at].chars().next_back()) && !ident(text[at + word.len()..].chars().next()))
}

/// The themes a site can choose: its own folders under `themes/` and the
/// bundled ones, as (folder name, manifest), sorted by name.
pub fn available(paths: &SitePaths) -> Vec<(String, ThemeManifest)> {
    let mut found: BTreeMap<String, ThemeManifest> = BTreeMap::new();
    for theme in embedded::THEMES {
        if let Ok(source) = embedded_source(theme.name) {
            found.insert(theme.name.to_string(), source.manifest);
        }
    }
    if let Ok(entries) = std::fs::read_dir(&paths.themes) {
        for entry in entries.filter_map(|e| e.ok()).filter(|e| e.path().is_dir()) {
            let Ok(name) = entry.file_name().into_string() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let manifest = read_manifest(&entry.path(), paths).map(|(m, _)| m).unwrap_or_default();
            found.insert(name, manifest);
        }
    }
    found.into_iter().collect()
}

/// Copy the bundled default theme into `themes/NAME/`, to start a theme
/// from. Refuses an existing folder and names that are not a plain folder name.
pub fn eject(paths: &SitePaths, name: &str) -> Result<PathBuf> {
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) {
        return Err(Error::Usage(format!("{name:?} is not a theme folder name")));
    }
    let dir = paths.themes.join(name);
    if dir.exists() {
        return Err(Error::Usage(format!("{} already exists; choose another name", dir.display())));
    }
    let theme = embedded::theme("default").ok_or_else(|| Error::Site("no bundled default theme".into()))?;
    for (rel, bytes) in theme.files {
        let bytes: std::borrow::Cow<'_, [u8]> = if *rel == "theme.yaml" {
            let text = String::from_utf8_lossy(bytes).replacen("name: Gazette Default", &format!("name: {name}"), 1);
            std::borrow::Cow::Owned(text.into_bytes())
        } else {
            std::borrow::Cow::Borrowed(bytes)
        };
        fsx::write(&dir.join(rel), &bytes)?;
    }
    Ok(dir)
}

/// The theme called `name`: the site's folder `themes/NAME/` if there is
/// one, else the bundled theme of that name; otherwise an error naming
/// the themes that exist.
fn find_theme(paths: &SitePaths, config: &Config, name: &str) -> Result<Source> {
    let dir = paths.themes.join(name);
    if dir.is_dir() {
        return disk_source(name, &dir, paths);
    }
    if embedded::theme(name).is_some() {
        return embedded_source(name);
    }
    let known: Vec<String> = available(paths).into_iter().map(|(n, _)| n).collect();
    Err(config.problem("theme", format!("unknown theme {name:?}; themes available: {}", known.join(", "))).into())
}

/// A bundled theme's files.
fn embedded_source(name: &str) -> Result<Source> {
    let theme = embedded::theme(name).ok_or_else(|| Error::Site(format!("no bundled theme {name:?}")))?;
    let origin = |rel: &str| format!("(bundled theme {name}) {rel}");
    let mut source = Source {
        id: name.to_string(),
        manifest: ThemeManifest::default(),
        templates: Vec::new(),
        statics: Vec::new(),
        manifest_text: String::new(),
    };
    for (rel, bytes) in theme.files {
        if *rel == "theme.yaml" {
            source.manifest_text = String::from_utf8_lossy(bytes).into_owned();
            source.manifest = parse_manifest(&source.manifest_text, Path::new(&origin(rel)))?;
        } else if let Some(name) = rel.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            source.templates.push((name.to_string(), text, origin(rel)));
        } else if let Some(out) = rel.strip_prefix("static/") {
            source.statics.push((out.to_string(), FileSource::Embedded(bytes), PathBuf::from(origin(rel))));
        }
    }
    Ok(source)
}

/// A theme folder on disk.
fn disk_source(id: &str, dir: &Path, paths: &SitePaths) -> Result<Source> {
    let (manifest, manifest_text) = read_manifest(dir, paths)?;
    let mut source = Source { id: id.to_string(), manifest, templates: Vec::new(), statics: Vec::new(), manifest_text };
    for (name, path) in files_under(&dir.join("templates"), fsx::Hidden::Skip, paths)? {
        let text = read_text(&path, paths)?;
        source.templates.push((name, text, paths.display(&path).display().to_string()));
    }
    for (rel, path) in files_under(&dir.join("static"), fsx::Hidden::KeepExceptJunk, paths)? {
        let origin = paths.display(&path);
        source.statics.push((rel, FileSource::File(path), origin));
    }
    Ok(source)
}

/// The site's own `templates/` and `static/`, as a pseudo-theme.
fn site_source(paths: &SitePaths) -> Result<Source> {
    let mut source = Source {
        id: "site".into(),
        manifest: ThemeManifest::default(),
        templates: Vec::new(),
        statics: Vec::new(),
        manifest_text: String::new(),
    };
    for (name, path) in files_under(&paths.templates, fsx::Hidden::Skip, paths)? {
        let text = read_text(&path, paths)?;
        source.templates.push((name, text, paths.display(&path).display().to_string()));
    }
    for (rel, path) in files_under(&paths.static_dir, fsx::Hidden::KeepExceptJunk, paths)? {
        let origin = paths.display(&path);
        source.statics.push((rel, FileSource::File(path), origin));
    }
    Ok(source)
}

/// A theme folder's `theme.yaml` (optional: a folder of templates is a theme too).
fn read_manifest(dir: &Path, paths: &SitePaths) -> Result<(ThemeManifest, String)> {
    let path = dir.join("theme.yaml");
    let Some(bytes) = fsx::read_optional(&path)? else {
        return Ok((ThemeManifest::default(), String::new()));
    };
    let text = String::from_utf8(bytes).map_err(|_| Diagnostic::file(paths.display(&path), "not valid UTF-8"))?;
    let manifest = parse_manifest(&text, &paths.display(&path))?;
    Ok((manifest, text))
}

fn parse_manifest(text: &str, display: &Path) -> Result<ThemeManifest> {
    let manifest: Option<ThemeManifest> =
        crate::load::front_matter::parse_yaml(text).map_err(|e| Error::from(e.in_file(display)))?;
    Ok(manifest.unwrap_or_default())
}

/// The hash-named path of a stylesheet or script (`assets/a.css` →
/// `assets/a.1a2b3c4d.css`), or `None` for other files.
fn fingerprint(rel: &str, source: &FileSource) -> Result<Option<String>> {
    let Some((stem, ext)) = rel.rsplit_once('.') else { return Ok(None) };
    if !matches!(ext, "css" | "js") || stem.ends_with('/') {
        return Ok(None);
    }
    let hash = match source {
        FileSource::Embedded(bytes) => keys::of_bytes(bytes),
        FileSource::File(path) => keys::of_bytes(&fsx::read(path)?),
    };
    Ok(Some(format!("{stem}.{:08x}.{ext}", (hash >> 96) as u32)))
}

/// Every file under `dir` as (`/`-separated relative path, full path),
/// sorted; nothing if `dir` is absent. Unusable entries are errors here:
/// a theme with a broken file should be fixed, not half-used.
fn files_under(dir: &Path, hidden: fsx::Hidden, paths: &SitePaths) -> Result<Vec<(String, PathBuf)>> {
    let walked = fsx::walk_files(dir, hidden);
    if !walked.problems.is_empty() {
        return Err(Error::Input(
            walked.problems.into_iter().map(|(p, m)| Diagnostic::at(paths.display(&p), 0, 0, m)).collect(),
        ));
    }
    Ok(walked.files)
}

fn read_text(path: &Path, paths: &SitePaths) -> Result<String> {
    String::from_utf8(fsx::read(path)?)
        .map_err(|_| Diagnostic::file(paths.display(path), "template is not valid UTF-8").into())
}

/// Variables that templates of earlier versions read and pages no longer
/// get, with what to read instead: Tera would report only "undefined" on
/// every page that reaches them, or hide what they guard.
const REMOVED: [(&str, &str); 1] = [(
    "pagination.total",
    "`pagination.total` is gone: a list's pages keep their stories, so a page does not know how many \
     follow; use `pagination.pages | length > 1` to show the links (docs/themes.md, PaginationView)",
)];

/// Every use of a [`REMOVED`] variable in these (text, file) templates,
/// at its file, line and column.
fn removed_variables<'a>(templates: impl Iterator<Item = &'a (String, String)>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (text, file) in templates {
        for (n, line) in text.lines().enumerate() {
            for (variable, instead) in REMOVED {
                if let Some(at) = line.find(variable) {
                    let col = line[..at].chars().count() + 1;
                    found.push(Diagnostic::at(file.clone(), n + 1, col, instead.to_string()));
                }
            }
        }
    }
    found
}

/// A Tera error as diagnostics naming the template file, line and column,
/// and the page being rendered.
fn template_errors(error: &tera::Error, files: &BTreeMap<String, String>, page: Option<&PagePath>) -> Vec<Diagnostic> {
    let while_rendering = page.map(|p| format!(" (while rendering {p})")).unwrap_or_default();
    let file_of = |name: &str| files.get(name).cloned().unwrap_or_else(|| name.to_string());
    let one = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            Diagnostic::at(
                file_of(report.filename()),
                span.start_line,
                span.start_col + 1,
                format!("{}{while_rendering}", report.message()),
            )
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::file(
            file_of(current),
            format!("extends {parent:?}, which no template provides{while_rendering}"),
        ),
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::at("templates", 0, 0, format!("no template named {name:?}{while_rendering}"))
        }
        ErrorKind::Msg(text) => return reports(text, &file_of, &while_rendering),
        other => Diagnostic::at("templates", 0, 0, format!("{other}{while_rendering}")),
    };
    vec![one]
}

/// Tera reports some problems (unknown filters, tests, includes) as
/// formatted text, one report per problem: "error: MESSAGE" then
/// " --> NAME:LINE:COL". Turn each into a diagnostic; keep the text when
/// it has another shape.
fn reports(text: &str, file_of: &dyn Fn(&str) -> String, while_rendering: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for report in text.split("\n\n") {
        let mut lines = report.lines();
        let message = lines.next().unwrap_or_default().trim().trim_start_matches("error: ");
        let place = lines.find_map(|l| l.trim().strip_prefix("--> "));
        let located = place.and_then(|p| {
            let mut parts = p.rsplitn(3, ':');
            let col = parts.next()?.parse::<usize>().ok()?;
            let line = parts.next()?.parse::<usize>().ok()?;
            Some(Diagnostic::at(file_of(parts.next()?), line, col, format!("{message}{while_rendering}")))
        });
        let one = located.unwrap_or_else(|| Diagnostic::at("templates", 0, 0, format!("{report}{while_rendering}")));
        // A winning template is parsed under its plain name too: one report.
        if !out.contains(&one) {
            out.push(one);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheets_get_a_content_hash_in_their_name() {
        let a = fingerprint("assets/a.css", &FileSource::Embedded(b"body{}")).unwrap().unwrap();
        let b = fingerprint("assets/a.css", &FileSource::Embedded(b"body{color:red}")).unwrap().unwrap();
        assert!(a.starts_with("assets/a.") && a.ends_with(".css") && a.len() == "assets/a.12345678.css".len(), "{a}");
        assert_ne!(a, b);
        assert_eq!(fingerprint("img/logo.png", &FileSource::Embedded(b"x")).unwrap(), None);
    }

    #[test]
    fn a_template_reads_the_lists_its_tags_and_the_templates_it_names_read() {
        let templates: BTreeMap<String, String> = [
            ("base.html", "<p>No articles yet.</p>{# articles #}{% block main %}{% endblock main %}"),
            ("list.html", "{% if cards %}{% for card in cards %}{{ card | safe }}{% endfor %}{% endif %}"),
            ("fields.html", "{% for card in articles %}{{ card.title }}{% endfor %}"),
            ("day.html", "{% extends \"base.html\" %}{% block main %}{% include \"list.html\" %}{% endblock main %}"),
            (
                "story.html",
                "{% extends \"base.html\" %}{% block main %}{% include \"fields.html\" %}{% endblock main %}",
            ),
            ("both.html", "{% include \"day.html\" %}{% for g in groups %}{{ g.articles | length }}{% endfor %}"),
            ("near.html", "{{ my_articles }} {{ cardsets }} {{ page.cards_shown }}"),
            ("loop.html", "{% include \"loop.html\" %}{{ cards }}"),
            ("theme:list.html", "{{ articles }}"),
            ("own.html", "{% extends \"theme:list.html\" %}"),
            ("quotes.html", "{{ x | replace(from='\"', to=\"\") }}{% include 'list.html' %}"),
            ("lost.html", "{% include \"nowhere.html\" %}"),
        ]
        .into_iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
        let lists = lists_read(&templates);
        let read = |name: &str| (lists[name].articles, lists[name].cards);
        // Prose and comments are not reads.
        assert_eq!(read("base.html"), (false, false));
        assert_eq!(read("day.html"), (false, true), "through the include");
        assert_eq!(read("story.html"), (true, false));
        assert_eq!(read("both.html"), (true, true), "`g.articles` and the include's include");
        assert_eq!(read("near.html"), (false, false), "other names that contain the words");
        assert_eq!(read("loop.html"), (false, true));
        assert_eq!(read("own.html"), (true, false), "a prefixed parent");
        assert_eq!(read("quotes.html"), (false, true), "single quotes, and a quote inside quotes");
        assert_eq!(read("lost.html"), (true, true), "what it cannot follow, it gives both");
    }
}
