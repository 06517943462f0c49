//! Themes: which template and static file wins, resolved file by file.
//!
//! Part of the render phase, done once per build. Input: the site's
//! `templates/` and `static/`, the theme chosen in `site.yaml` (a folder
//! under `themes/`), and the default theme embedded in the binary. Output:
//! a [`Theme`] whose Tera instance has every template parsed once, and the
//! list of static files to copy.
//!
//! Resolution, for each template name: the site's `templates/` first, then
//! the chosen theme, then the built-in default. Every template is also
//! reachable under a prefixed name, so a site template can extend the
//! version it replaces: `{% extends "theme:article.html" %}`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, ErrorKind, Tera};

use super::embedded;
use super::views::SiteView;
use crate::config::{Config, SitePaths};
use crate::error::{Diagnostic, Error, Result};
use crate::fsx;
use crate::keys::{Key, KeyBuilder};
use crate::urls::PagePath;
use crate::write::FileSource;

/// Prefix of the site's own templates.
const SITE: &str = "site:";
/// Prefix of the chosen theme's templates.
const THEME: &str = "theme:";
/// Prefix of the built-in default theme, when another theme is chosen.
const DEFAULT: &str = "default:";

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
}

impl Theme {
    /// Resolve and parse the theme for this site.
    pub fn load(paths: &SitePaths, config: &Config) -> Result<Theme> {
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut files = BTreeMap::new();
        let mut statics: BTreeMap<String, (FileSource, PathBuf)> = BTreeMap::new();

        let theme_dir = match config.theme.as_deref() {
            Some(name) => find_theme(paths, config, name)?,
            None => None,
        };
        let mut add = |prefix: &str, name: &str, text: String, file: String| {
            files.insert(format!("{prefix}{name}"), file);
            templates.push((format!("{prefix}{name}"), text));
        };
        // The built-in default is the theme when none is chosen, and the
        // last fallback otherwise.
        let builtin_prefix = if theme_dir.is_some() { DEFAULT } else { THEME };
        for (name, text) in embedded::TEMPLATES {
            add(builtin_prefix, name, (*text).to_string(), format!("(built-in theme) templates/{name}"));
        }
        for (rel, bytes) in embedded::STATIC {
            let origin = PathBuf::from(format!("(built-in theme) static/{rel}"));
            statics.insert((*rel).to_string(), (FileSource::Embedded(bytes), origin));
        }
        if let Some(dir) = &theme_dir {
            for (name, path) in files_under(&dir.join("templates"), fsx::Hidden::Skip, paths)? {
                let text = read_text(&path, paths)?;
                add(THEME, &name, text, paths.display(&path).display().to_string());
            }
            for (rel, path) in files_under(&dir.join("static"), fsx::Hidden::KeepExceptJunk, paths)? {
                statics.insert(rel, (FileSource::File(path.clone()), paths.display(&path)));
            }
        }
        for (name, path) in files_under(&paths.templates, fsx::Hidden::Skip, paths)? {
            let text = read_text(&path, paths)?;
            add(SITE, &name, text, paths.display(&path).display().to_string());
        }
        for (rel, path) in files_under(&paths.static_dir, fsx::Hidden::KeepExceptJunk, paths)? {
            statics.insert(rel, (FileSource::File(path.clone()), paths.display(&path)));
        }

        let templates_for_key: Vec<(String, String)> = templates.clone();
        let statics_for_key: Vec<String> = statics.keys().cloned().collect();
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([SITE, THEME, DEFAULT]).map_err(|e| Error::Usage(e.to_string()))?;
        tera.add_raw_templates(templates).map_err(|e| Error::Input(template_errors(&e, &files, None)))?;
        tera.global_context().insert(
            "site",
            &SiteView { title: &config.title, description: config.description.as_deref(), language: &config.language },
        );
        let statics = statics.into_iter().map(|(rel, (source, origin))| StaticFile { rel, source, origin }).collect();
        let key = theme_key(&templates_for_key, &statics_for_key);
        Ok(Theme { tera, files, statics, key })
    }

    /// Render the template `name` for the page at `page`.
    pub fn render(&self, name: &str, context: &Context, page: &PagePath) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| {
            let mut list = template_errors(&e, &self.files, Some(page));
            list.swap_remove(0)
        })
    }

    /// Static files to copy, theme first, the site's own overriding them.
    pub fn statics(&self) -> &[StaticFile] {
        &self.statics
    }

    /// Key of every template's name and text: a changed template changes
    /// every page's key.
    pub fn key(&self) -> Key {
        self.key
    }
}

/// The key of a theme's templates (names and texts, in resolution order)
/// and of its static file names (which templates may link to).
fn theme_key(templates: &[(String, String)], statics: &[String]) -> Key {
    let mut k = KeyBuilder::new("theme");
    for (name, text) in templates {
        k.str(name).str(text);
    }
    for rel in statics {
        k.str(rel);
    }
    k.finish()
}

/// The folder of the theme called `name`, or an error listing the themes
/// that exist.
fn find_theme(paths: &SitePaths, config: &Config, name: &str) -> Result<Option<PathBuf>> {
    let dir = paths.themes.join(name);
    if dir.is_dir() {
        return Ok(Some(dir));
    }
    if name == "default" {
        return Ok(None);
    }
    let mut known = vec!["default (built in)".to_string()];
    if let Ok(entries) = std::fs::read_dir(&paths.themes) {
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n != "default" && !n.starts_with('.'))
            .collect();
        names.sort();
        known.extend(names);
    }
    Err(config.problem("theme", format!("unknown theme {name:?}; themes available: {}", known.join(", "))).into())
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
        out.push(located.unwrap_or_else(|| Diagnostic::at("templates", 0, 0, format!("{report}{while_rendering}"))));
    }
    out
}
