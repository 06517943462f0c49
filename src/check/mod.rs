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
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use serde::Serialize;

use crate::Built;
use crate::config::SitePaths;
use crate::error::{Diagnostic, Error, Result};
pub use crate::error::{Finding, Kind};
use crate::load::{self, ArticleMeta};
use links::{BrokenLink, LinkProblem};

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
    /// What is worth knowing and may be meant (a name written two ways,
    /// filed as one), sorted by file and line.
    pub notes: Vec<Finding>,
}

impl CheckReport {
    /// The report as JSON: `{"errors": [...], "warnings": [...], "notes": [...]}`.
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
    if crate::write::interrupted(&paths) {
        let message = "the last build of this folder stopped before it finished; the next `gazette build` repairs it";
        let at = Diagnostic::at(paths.display(&paths.output), 0, 0, message);
        report.warnings.push(Finding::new(Kind::InterruptedBuild, at));
    }
    // The site is built as `gazette build --keep-going` builds it, into a
    // temporary folder: every error a build would give, once.
    let temp =
        tempfile::Builder::new().prefix("gazette-check-").tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let out = temp.path().join("output");
    let build = crate::BuildOptions {
        output: Some(out.clone()),
        keep_going: true,
        clean: true,
        ..crate::BuildOptions::new(&options.root, options.now)
    };
    let outcome = crate::build::load(&build).and_then(|loaded| {
        // Every article that loaded is linted, even when the site's
        // settings keep the build from going on.
        report.articles = loaded.articles.parsed;
        let published = |m: &ArticleMeta| build.publishes(m);
        lint(&loaded.articles.metas, &published, &loaded.site.config.topics, (&paths, options.now), &mut report);
        crate::build::finish(loaded, &build)
    });
    match outcome {
        Ok(built) => inspect(built, &out, &paths, &mut report)?,
        Err(Error::Input(list)) => report.errors.extend(list.into_iter().map(|d| Finding::new(kind_of(&d), d))),
        Err(other) => report.errors.push(Finding::site(Kind::Build, format!("the build failed: {other}"))),
    }
    for list in [&mut report.errors, &mut report.warnings, &mut report.notes] {
        list.sort_by(|a, b| {
            let (a, b) = (&a.diagnostic, &b.diagnostic);
            (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
        });
    }
    Ok(report)
}

/// What a problem that stopped the build is about, by its file.
fn kind_of(problem: &Diagnostic) -> Kind {
    let path = problem.path.to_string_lossy().replace('\\', "/");
    if path == crate::config::CONFIG_FILE || path.starts_with("content/authors/") {
        Kind::Config
    } else if path.starts_with("content/") {
        Kind::Load
    } else {
        Kind::Build
    }
}

/// The warnings and notes about the articles, each and across them (in
/// the order of their files); the spellings they file under sections,
/// tags and places, of those the build publishes.
fn lint(
    metas: &[ArticleMeta],
    published: &dyn Fn(&ArticleMeta) -> bool,
    topics: &crate::config::Topics,
    (paths, now): (&SitePaths, DateTime<FixedOffset>),
    report: &mut CheckReport,
) {
    let mut articles: Vec<(&ArticleMeta, PathBuf)> =
        metas.iter().map(|m| (m, paths.display(&paths.content.join(&m.source)))).collect();
    articles.sort_by(|a, b| a.0.source.cmp(&b.0.source));
    let each = articles.par_iter().flat_map_iter(|(m, display)| lints::article(m, display, now));
    report.warnings.extend(each.collect::<Vec<_>>());
    let named: Vec<(&ArticleMeta, &Path)> = articles.iter().map(|(m, d)| (*m, d.as_path())).collect();
    report.warnings.extend(lints::archive(&named));
    let (notes, warnings): (Vec<Finding>, Vec<Finding>) =
        lints::topics(&named, topics, published).into_iter().partition(|f| f.kind == Kind::TopicSpelling);
    report.warnings.extend(warnings);
    report.notes.extend(notes);
}

/// Everything the build found, and the broken references of the pages it
/// made.
fn inspect(built: Built, out: &Path, paths: &SitePaths, report: &mut CheckReport) -> Result<()> {
    let Built { report: build, archive, links: authored, .. } = built;
    report.errors.extend(build.skipped.into_iter().map(|d| Finding::new(Kind::Load, d)));
    // Pages a template failed on: links to them are not reported again as
    // broken, the template error is the cause.
    let failed: rustc_hash::FxHashSet<String> = build.failed.iter().map(|f| f.file.clone()).collect();
    report.errors.extend(build.failed.into_iter().flat_map(|f| f.errors).map(|d| Finding::new(Kind::Build, d)));
    for warning in build.warnings {
        match warning.kind {
            Kind::BrokenLink => report.errors.push(warning),
            // Feeds are no concern of a check.
            Kind::NoBaseUrl => {}
            _ => report.warnings.push(warning),
        }
    }
    // The links the articles wrote were placed by the build; the others
    // (templates', lead images') are found in the pages.
    let pages: HashMap<String, &ArticleMeta> = archive.entries.iter().map(|e| (e.page.file(), &e.meta)).collect();
    let reported = |link: &BrokenLink, meta: &ArticleMeta| {
        let file = format!("content/{}", meta.source);
        authored.iter().any(|b| {
            b.file == file
                && match &link.problem {
                    LinkProblem::Missing { target: Some(t) } => &b.target == t,
                    LinkProblem::Absolute => b.target == link.url,
                    _ => false,
                }
        })
    };
    let broken = links::broken_links(out)?.into_iter().filter(|link| {
        let to_failed = matches!(&link.problem, LinkProblem::Missing { target: Some(t) } if failed.contains(t));
        !to_failed && !pages.get(&link.page).is_some_and(|meta| reported(link, meta))
    });
    let (errors, warnings) = link_findings(broken.collect(), &|link| pages.get(&link.page).copied(), paths);
    report.errors.extend(errors);
    report.warnings.extend(warnings);
    Ok(())
}

/// Broken links as (errors, warnings). A page's lead image that leads
/// nowhere is reported at its article's `image:` line; a link the
/// templates made is reported once, at the first page with it, with how
/// many others have it.
fn link_findings<'r>(
    broken: Vec<BrokenLink>,
    article: &dyn Fn(&BrokenLink) -> Option<&'r ArticleMeta>,
    paths: &SitePaths,
) -> (Vec<Finding>, Vec<Finding>) {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut from_templates: Vec<(BrokenLink, usize)> = Vec::new();
    for link in broken {
        let (kind, list) = match link.problem {
            LinkProblem::Absolute => (Kind::AbsoluteLink, &mut warnings),
            LinkProblem::Missing { .. } | LinkProblem::Folder { .. } => (Kind::BrokenLink, &mut errors),
        };
        let lead_image = article(&link).filter(|meta| is_lead_image(meta, &link));
        match lead_image {
            Some(meta) => {
                let (line, col) = meta.places.image.pair();
                let display = paths.display(&paths.content.join(&meta.source));
                list.push(Finding::new(kind, Diagnostic::at(display, line, col, link_message(&link, paths))));
            }
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

/// Is the link its article's lead image (as written in `image:`)?
fn is_lead_image(meta: &ArticleMeta, link: &BrokenLink) -> bool {
    let Some(image) = meta.image.as_deref() else { return false };
    let source_dir = meta.source.rsplit_once('/').map_or("", |(dir, _)| dir);
    match &link.problem {
        LinkProblem::Missing { target: Some(target) } => {
            crate::urls::join(source_dir, image).as_deref() == Some(target)
        }
        LinkProblem::Absolute => image == link.url,
        _ => false,
    }
}

/// Do two broken links lead to the same place (from pages at any depth)?
fn same_target(a: &BrokenLink, b: &BrokenLink) -> bool {
    match (&a.problem, &b.problem) {
        (LinkProblem::Missing { target: Some(x) }, LinkProblem::Missing { target: Some(y) })
        | (LinkProblem::Folder { target: x }, LinkProblem::Folder { target: y }) => x == y,
        (x, y) => x == y && a.url == b.url,
    }
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
            notes: vec![Finding::new(
                Kind::TopicSpelling,
                Diagnostic::at("content/b.md", 7, 7, "tag \"a\" is filed with \"A\""),
            )],
        };
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "errors": [{"path": null, "line": 0, "column": 0, "message": "the build failed", "kind": "build"}],
                "warnings": [{"path": "content/a.md", "line": 6, "column": 1, "message": "empty body", "kind": "empty-body"}],
                "notes": [{"path": "content/b.md", "line": 7, "column": 7, "message": "tag \"a\" is filed with \"A\"", "kind": "topic-spelling"}],
            })
        );
        assert_eq!(report.errors[0].to_string(), "the build failed");
        assert_eq!(report.warnings[0].to_string(), "content/a.md:6:1: empty body");
    }
}
