//! Check phase: a site in, its problems out; nothing written to `output/`.
//!
//! `gazette check` runs the build's own pieces rather than copies of them:
//!
//! 1. every article is read with the loader, so its errors are exactly the
//!    ones `gazette build` prints;
//! 2. [`lints`] add the warnings a news desk cares about (no byline, a date
//!    that disagrees with the folder or file name, one headline twice on a
//!    day, an empty body, a future date, one author spelled two ways);
//! 3. the site is built (as with `--keep-going`) into a temporary folder
//!    and [`links`] checks every internal reference of its pages; a broken
//!    link an article wrote is reported at that article's line.
//!
//! Errors (load, build, broken links) fail the check; warnings do not.

pub mod links;
pub mod lints;

use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::Serialize;

use crate::archive::Archive;
use crate::config::{Config, SitePaths};
use crate::error::{Diagnostic, Error, Result};
use crate::fsx;
use crate::load::{self, ArticleMeta, Source};
use links::{BrokenLink, LinkProblem};

/// What a finding is about (`kind` in JSON output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `site.yaml` is invalid.
    Config,
    /// An article (or a file under `content/`) cannot be loaded.
    Load,
    /// The build failed (a template error, two pages at one URL…).
    Build,
    /// A link or asset reference of the built site leads nowhere.
    BrokenLink,
    /// A root-absolute link (`/about/`), which breaks `file://` and sub-paths.
    AbsoluteLink,
    /// No byline.
    MissingByline,
    /// The date is not in the `YYYY/MM` folder the file is in.
    DateFolder,
    /// The date is not the one in the file name (`2025-12-03-slug.md`).
    DateFileName,
    /// Another article has the same headline on the same day.
    DuplicateHeadline,
    /// The article has no text.
    EmptyBody,
    /// The article is dated in the future.
    FutureDate,
    /// One author is bylined in two spellings.
    AuthorSpelling,
    /// The lead image is in a format link previews do not show (SVG).
    PreviewImage,
    /// The last build of the output stopped before it finished.
    InterruptedBuild,
    /// The file holds NUL bytes (removed, but the file may be damaged).
    NulBytes,
}

/// One problem found, with what it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What kind of problem.
    pub kind: Kind,
    /// Where and what (an empty path: the site as a whole).
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// A finding of `kind`.
    pub fn new(kind: Kind, diagnostic: Diagnostic) -> Self {
        Finding { kind, diagnostic }
    }

    /// A finding about the site as a whole, not one file.
    fn site(kind: Kind, message: impl Into<String>) -> Self {
        Finding::new(kind, Diagnostic::at("", 0, 0, message))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.diagnostic.path.as_os_str().is_empty() {
            f.write_str(&self.diagnostic.message)
        } else {
            self.diagnostic.fmt(f)
        }
    }
}

/// `{path, line, column, message, kind}`; `path` is null for the site as a
/// whole, `line` and `column` are 0 when unknown.
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = &self.diagnostic;
        let path = d.path.to_str().filter(|p| !p.is_empty()).map(|p| p.replace('\\', "/"));
        let mut out = s.serialize_struct("Finding", 5)?;
        out.serialize_field("path", &path)?;
        out.serialize_field("line", &d.line)?;
        out.serialize_field("column", &d.col)?;
        out.serialize_field("message", &d.message)?;
        out.serialize_field("kind", &self.kind)?;
        out.end()
    }
}

/// What `gazette check` was asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The current time (for future dates, and what the build publishes).
    pub now: DateTime<FixedOffset>,
}

/// Everything a check found.
#[derive(Debug, Default, Serialize)]
pub struct CheckReport {
    /// Articles read.
    #[serde(skip)]
    pub articles: usize,
    /// Problems that fail the check, sorted by file and line.
    pub errors: Vec<Finding>,
    /// Problems that do not, sorted by file and line.
    pub warnings: Vec<Finding>,
}

impl CheckReport {
    /// The report as JSON: `{"errors": [...], "warnings": [...]}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
    }
}

/// Check the site at `options.root`. An `Err` is a failure to check at all
/// (a temporary folder that cannot be made); everything wrong with the site
/// is in the report.
pub fn check(options: &CheckOptions) -> Result<CheckReport> {
    let paths = SitePaths::new(&options.root, None);
    let mut report = CheckReport::default();
    // A bad setting keeps its default, so the articles are checked too.
    let config = match Config::load_checked(&paths) {
        Ok((config, problems)) => {
            report.errors.extend(problems.into_iter().map(|d| Finding::new(Kind::Config, d)));
            config
        }
        Err(other) => {
            report.errors.push(Finding::site(Kind::Config, other.to_string()));
            return Ok(report);
        }
    };
    if crate::write::interrupted(&paths) {
        report.warnings.push(Finding::new(
            Kind::InterruptedBuild,
            Diagnostic::at(
                paths.display(&paths.output),
                0,
                0,
                "the last build of this folder stopped before it finished; the next `gazette build` repairs it",
            ),
        ));
    }
    let discovered = match load::discover(&paths.content) {
        Ok(discovered) => discovered,
        Err(e) => {
            report.errors.push(Finding::site(Kind::Load, e.to_string()));
            return Ok(report);
        }
    };
    let load_options = config.load_options();
    for (path, message) in &discovered.unusable {
        report.errors.push(Finding::new(Kind::Load, Diagnostic::at(paths.display(path), 0, 0, message)));
    }

    // Load and lint each article.
    let articles: Vec<&Source> = discovered.sources.iter().filter(|s| s.is_article()).collect();
    let loaded: Vec<std::result::Result<Loaded, Vec<Diagnostic>>> = articles
        .par_iter()
        .map(|source| {
            let display = paths.display(&source.path);
            let bytes = fsx::read(&source.path).map_err(|e| vec![Diagnostic::file(&display, e.to_string())])?;
            let article = load::parse_article(source, &bytes, &display, &load_options)?;
            let text = load::decode(&bytes, &display)?;
            let mut findings = lints::article(source, &display, &text, &article, config.timezone, options.now);
            findings.extend(load::nul_warning(&bytes, &display).map(|d| Finding::new(Kind::NulBytes, d)));
            let meta = article.meta;
            let record = lints::Record {
                source: (*source).clone(),
                display,
                title: meta.title.clone(),
                day: meta.date.day(),
                authors: meta.authors.iter().map(|a| a.name.clone()).collect(),
            };
            Ok(Loaded { record, meta, findings })
        })
        .collect();
    let mut records = Vec::new();
    let mut metas = Vec::new();
    for result in loaded {
        match result {
            Ok(l) => {
                report.warnings.extend(l.findings);
                records.push(l.record);
                metas.push(l.meta);
            }
            Err(problems) => report.errors.extend(problems.into_iter().map(|d| Finding::new(Kind::Load, d))),
        }
    }
    report.articles = articles.len();
    report.warnings.extend(lints::archive(&records, config.timezone));

    // Build into a temporary folder and check the links of every page.
    let temp =
        tempfile::Builder::new().prefix("gazette-check-").tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let out = temp.path().join("output");
    let build = crate::BuildOptions {
        output: Some(out.clone()),
        keep_going: true,
        clean: true,
        ..crate::BuildOptions::new(&options.root, options.now)
    };
    match crate::build(&build) {
        Ok(built) => {
            // Pages a template failed on (the articles that failed to load
            // were reported above, by the loader itself). Links to them are
            // not reported again as broken: the template error is the cause.
            let failed: rustc_hash::FxHashSet<String> = built.failed.iter().map(|f| f.file.clone()).collect();
            let errors = built.failed.into_iter().flat_map(|f| f.errors);
            report.errors.extend(errors.map(|d| Finding::new(Kind::Build, d)));
            let broken = links::broken_links(&out)?.into_iter().filter(
                |link| !matches!(&link.problem, LinkProblem::Missing { target: Some(t) } if failed.contains(t)),
            );
            let published: Vec<ArticleMeta> = metas.into_iter().filter(|m| build.publishes(m)).collect();
            let archive = Archive::build(published, &config.permalink, config.per_page);
            let pages: HashMap<String, &str> =
                archive.entries.iter().map(|e| (e.page.file(), e.meta.source.as_str())).collect();
            let sources: HashMap<&str, &lints::Record> = records.iter().map(|r| (r.source.rel.as_str(), r)).collect();
            let authored = |link: &BrokenLink| pages.get(&link.page).and_then(|rel| sources.get(rel)).copied();
            let (errors, warnings) = link_findings(broken.collect(), &authored, &paths);
            report.errors.extend(errors);
            report.warnings.extend(warnings);
        }
        // The build reports the configuration's and the articles' problems
        // again, with the templates': each once.
        Err(Error::Input(list)) => {
            let seen: rustc_hash::FxHashSet<Diagnostic> = report.errors.iter().map(|f| f.diagnostic.clone()).collect();
            let new = list.into_iter().filter(|d| !seen.contains(d));
            report.errors.extend(new.map(|d| Finding::new(Kind::Build, d)).collect::<Vec<_>>());
        }
        Err(other) => report.errors.push(Finding::site(Kind::Build, format!("the build failed: {other}"))),
    }

    for list in [&mut report.errors, &mut report.warnings] {
        list.sort_by(|a, b| {
            let (a, b) = (&a.diagnostic, &b.diagnostic);
            (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
        });
    }
    Ok(report)
}

/// One article, loaded and linted.
struct Loaded {
    record: lints::Record,
    meta: ArticleMeta,
    findings: Vec<Finding>,
}

/// Broken links as (errors, warnings). A link found in an article's own
/// text is reported at that line of the article; one the templates made is
/// reported once, at the first page with it, with how many others have it.
fn link_findings<'r>(
    broken: Vec<BrokenLink>,
    authored: &dyn Fn(&BrokenLink) -> Option<&'r lints::Record>,
    paths: &SitePaths,
) -> (Vec<Finding>, Vec<Finding>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut from_templates: Vec<(BrokenLink, usize)> = Vec::new();
    let mut texts: HashMap<PathBuf, Option<String>> = HashMap::default();
    for link in broken {
        let (kind, list) = match link.problem {
            LinkProblem::Absolute => (Kind::AbsoluteLink, &mut warnings),
            LinkProblem::Missing { .. } | LinkProblem::Folder { .. } => (Kind::BrokenLink, &mut errors),
        };
        let in_text = authored(&link).and_then(|record| {
            let text = texts
                .entry(record.source.path.clone())
                .or_insert_with(|| load::read_text(&record.source.path, &record.display).ok());
            let (line, col) = find_link(text.as_deref()?, &link)?;
            Some(Diagnostic::at(&record.display, line, col, link_message(&link, paths)))
        });
        match in_text {
            Some(diagnostic) => list.push(Finding::new(kind, diagnostic)),
            None => match from_templates.iter_mut().find(|(l, _)| same_target(l, &link)) {
                Some((_, count)) => *count += 1,
                None => from_templates.push((link, 0)),
            },
        }
    }
    for (link, others) in from_templates {
        let mut message = link.to_string();
        if others > 0 {
            message.push_str(&format!(" (and on {others} more page{})", if others == 1 { "" } else { "s" }));
        }
        let page = Path::new("output").join(&link.page);
        let finding = Diagnostic::at(page, link.line, 0, message);
        match link.problem {
            LinkProblem::Absolute => warnings.push(Finding::new(Kind::AbsoluteLink, finding)),
            LinkProblem::Missing { .. } | LinkProblem::Folder { .. } => {
                errors.push(Finding::new(Kind::BrokenLink, finding));
            }
        }
    }
    (errors, warnings)
}

/// Do two broken links lead to the same place (from pages at any depth)?
fn same_target(a: &BrokenLink, b: &BrokenLink) -> bool {
    match (&a.problem, &b.problem) {
        (LinkProblem::Missing { target: Some(x) }, LinkProblem::Missing { target: Some(y) })
        | (LinkProblem::Folder { target: x }, LinkProblem::Folder { target: y }) => x == y,
        (x, y) => x == y && a.url == b.url,
    }
}

/// Where an article's text writes the link: the first line naming the
/// file it leads to (or, for an absolute link, the URL itself).
fn find_link(text: &str, link: &BrokenLink) -> Option<(usize, usize)> {
    let path = link.url.split(['#', '?']).next().unwrap_or("");
    let mut needles = vec![path.rsplit('/').find(|s| !s.is_empty() && *s != "..")?.to_string()];
    if let LinkProblem::Missing { target: Some(target) } = &link.problem
        && let Some(name) = target.rsplit('/').next()
    {
        needles.push(name.to_string());
    }
    if link.problem == LinkProblem::Absolute {
        needles.insert(0, path.to_string());
    }
    needles.iter().find_map(|needle| crate::markdown::position_of(text, needle))
}

/// What is wrong with a link an article wrote, in the article's terms.
fn link_message(link: &BrokenLink, paths: &SitePaths) -> String {
    match &link.problem {
        LinkProblem::Missing { target: Some(target) }
            if load::is_article_path(target) && paths.content.join(target).is_file() =>
        {
            format!("links to content/{target}, which is not published (a draft, dated in the future, or broken)")
        }
        LinkProblem::Missing { target: Some(target) } => {
            format!("broken link: there is no content/{target} (the page links to {:?})", link.url)
        }
        LinkProblem::Missing { target: None } => format!("broken link {:?}: it leads above the site's root", link.url),
        LinkProblem::Absolute | LinkProblem::Folder { .. } => link.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_serialize_with_a_null_path_for_the_whole_site() {
        let report = CheckReport {
            articles: 1,
            errors: vec![Finding::site(Kind::Build, "the build failed")],
            warnings: vec![Finding::new(Kind::EmptyBody, Diagnostic::at("content/a.md", 6, 1, "empty body"))],
        };
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "errors": [{"path": null, "line": 0, "column": 0, "message": "the build failed", "kind": "build"}],
                "warnings": [{"path": "content/a.md", "line": 6, "column": 1, "message": "empty body", "kind": "empty-body"}],
            })
        );
        assert_eq!(report.errors[0].to_string(), "the build failed");
        assert_eq!(report.warnings[0].to_string(), "content/a.md:6:1: empty body");
    }

    #[test]
    fn links_are_found_where_the_article_wrote_them() {
        let text = "---\ntitle: T\nimage: lead.jpg\n---\nSee ![x](img/chart%201.png) and [a](/about/).\n";
        let link = |url: &str, problem| BrokenLink { page: "p/index.html".into(), line: 1, url: url.into(), problem };
        let missing = |t: &str| LinkProblem::Missing { target: Some(t.into()) };
        assert_eq!(find_link(text, &link("../img/chart%201.png", missing("2025/img/chart 1.png"))), Some((5, 14)));
        assert_eq!(find_link(text, &link("../lead.jpg", missing("2025/lead.jpg"))), Some((3, 8)));
        assert_eq!(find_link(text, &link("/about/", LinkProblem::Absolute)), Some((5, 37)));
        assert_eq!(find_link(text, &link("../theme.css", missing("theme.css"))), None);
    }
}
