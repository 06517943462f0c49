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
use crate::urls::PagePath;

/// Prefix of the site's own templates.
const SITE: &str = "site:";
/// Prefix of the chosen theme's templates.
const THEME: &str = "theme:";
/// Prefix of the built-in default theme, when another theme is chosen.
const DEFAULT: &str = "default:";

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// Compiled into the binary (the default theme).
    Embedded(&'static [u8]),
    /// A file on disk.
    File(PathBuf),
}

/// A static file to copy to the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Path in the output, `/`-separated (`assets/gazette.css`).
    pub rel: String,
    /// Its bytes.
    pub source: StaticSource,
}

/// Parsed templates and static files, ready to render any page.
pub struct Theme {
    tera: Tera,
    /// Template name → the file to name in error messages.
    files: BTreeMap<String, String>,
    statics: Vec<StaticFile>,
}

impl Theme {
    /// Resolve and parse the theme for this site.
    pub fn load(paths: &SitePaths, config: &Config) -> Result<Theme> {
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut files = BTreeMap::new();
        let mut statics: BTreeMap<String, StaticSource> = BTreeMap::new();

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
            statics.insert((*rel).to_string(), StaticSource::Embedded(bytes));
        }
        if let Some(dir) = &theme_dir {
            for (name, path) in files_under(&dir.join("templates"), fsx::Hidden::Skip, paths)? {
                let text = read_text(&path, paths)?;
                add(THEME, &name, text, paths.display(&path).display().to_string());
            }
            for (rel, path) in files_under(&dir.join("static"), fsx::Hidden::KeepExceptJunk, paths)? {
                statics.insert(rel, StaticSource::File(path));
            }
        }
        for (name, path) in files_under(&paths.templates, fsx::Hidden::Skip, paths)? {
            let text = read_text(&path, paths)?;
            add(SITE, &name, text, paths.display(&path).display().to_string());
        }
        for (rel, path) in files_under(&paths.static_dir, fsx::Hidden::KeepExceptJunk, paths)? {
            statics.insert(rel, StaticSource::File(path));
        }

        let mut tera = Tera::new();
        tera.set_fallback_prefixes([SITE, THEME, DEFAULT]).map_err(|e| Error::Usage(e.to_string()))?;
        tera.add_raw_templates(templates).map_err(|e| template_error(&e, &files, None))?;
        tera.global_context().insert(
            "site",
            &SiteView { title: &config.title, description: config.description.as_deref(), language: &config.language },
        );
        let statics = statics.into_iter().map(|(rel, source)| StaticFile { rel, source }).collect();
        Ok(Theme { tera, files, statics })
    }

    /// Render the template `name` for the page at `page`.
    pub fn render(&self, name: &str, context: &Context, page: &PagePath) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| template_error(&e, &self.files, Some(page)))
    }

    /// Static files to copy, theme first, the site's own overriding them.
    pub fn statics(&self) -> &[StaticFile] {
        &self.statics
    }
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

/// A Tera error as a diagnostic naming the template file, line and column,
/// and the page being rendered.
fn template_error(error: &tera::Error, files: &BTreeMap<String, String>, page: Option<&PagePath>) -> Diagnostic {
    let while_rendering = page.map(|p| format!(" (while rendering {p})")).unwrap_or_default();
    let file_of = |name: &str| files.get(name).cloned().unwrap_or_else(|| name.to_string());
    match error.kind() {
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
            Diagnostic::file(name.trim_start_matches(SITE), format!("template not found{while_rendering}"))
        }
        other => Diagnostic::file("templates", format!("{other}{while_rendering}")),
    }
}
