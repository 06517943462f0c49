//! Gazette: a static site generator for news archives.
//!
//! A build runs four phases, each in its own module:
//!
//! 1. [`load`]: `content/` → typed articles (wire copy or Markdown with
//!    front matter), every bad file reported with its line;
//! 2. [`archive`]: article metadata → the archive's order and its indexes
//!    (years, months, days, authors) and every page's place ([`urls`]);
//! 3. [`render`]: archive + theme → HTML pages, pure;
//! 4. [`write`]: pages, assets and static files → the output folder,
//!    swapped in only when the whole build succeeded.
//!
//! [`build`] runs them in that order.

pub mod archive;
pub mod config;
pub mod error;
pub mod fsx;
pub mod load;
pub mod markdown;
pub mod render;
pub mod slug;
pub mod urls;
pub mod write;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use archive::Archive;
use config::{Config, SitePaths};
pub use error::{Diagnostic, Error, Result};
use load::{ArticleMeta, LoadOptions, Source};
use render::{Renderer, Theme};
use write::Output;

/// What `gazette build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `content/` and maybe `site.yaml`).
    pub root: PathBuf,
    /// Where to write; `root/output` when `None`.
    pub output: Option<PathBuf>,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Include articles dated after `now`.
    pub future: bool,
    /// Build the good articles even when some are bad.
    pub keep_going: bool,
    /// The build's "now", for leaving out future articles.
    pub now: DateTime<FixedOffset>,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Articles published.
    pub articles: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Asset and static files copied.
    pub files: usize,
    /// Articles left out because they are drafts or dated in the future.
    pub held_back: usize,
    /// Bad articles skipped under `--keep-going`, with their reasons.
    pub skipped: Vec<Diagnostic>,
    /// Things the user should know that did not stop the build.
    pub warnings: Vec<String>,
    /// Wall time of the build.
    pub elapsed: Duration,
}

/// Build the site: load → archive → render → write.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let paths = SitePaths::new(&options.root, options.output.as_deref());
    let mut config = Config::load(&paths)?;
    if let Some(url) = &options.base_url {
        config.base_url = Some(config::BaseUrl::parse(url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?);
    }
    let mut warnings = Vec::new();
    if config.base_url.is_none() {
        warnings.push(
            "no base_url in site.yaml (or --base-url): feeds, sitemaps and canonical links need absolute \
             URLs, so they were left out"
                .to_string(),
        );
    }
    let theme = Theme::load(&paths, &config)?;
    let load_options = LoadOptions { timezone: config.timezone, byline_separators: config.byline_separators.clone() };

    // Load: every article's metadata, in parallel; bodies are dropped here
    // and read again when their page is rendered.
    let load::Discovered { sources, unusable } = load::discover(&paths.content)?;
    let (articles, assets): (Vec<&Source>, Vec<&Source>) = sources.iter().partition(|s| s.is_article());
    let loaded: Vec<std::result::Result<ArticleMeta, Vec<Diagnostic>>> = articles
        .par_iter()
        .map(|source| load::read_article(source, &paths.display(&source.path), &load_options).map(|a| a.meta))
        .collect();
    let mut metas = Vec::with_capacity(loaded.len());
    let mut problems: Vec<Diagnostic> =
        unusable.into_iter().map(|(path, message)| Diagnostic::at(paths.display(&path), 0, 0, message)).collect();
    for result in loaded {
        match result {
            Ok(meta) => metas.push(meta),
            Err(diagnostics) => problems.extend(diagnostics),
        }
    }
    if !problems.is_empty() && !options.keep_going {
        return Err(Error::Input(problems));
    }
    let before = metas.len();
    metas.retain(|m| (options.drafts || !m.draft) && (options.future || m.date.at <= options.now));
    let held_back = before - metas.len();

    // Archive: order, indexes and the place of every page.
    let archive = Archive::build(metas, &config.permalink, config.per_page);
    let renderer = Renderer::new(&theme, &archive, &config);
    let listings = archive.listings(config.per_page);
    check_assets(&assets, &archive, &listings, &paths)?;

    // Render and write: each page is written as soon as it is rendered.
    let output = Output::begin(&paths)?;
    for file in theme.statics() {
        match &file.source {
            render::theme::StaticSource::Embedded(bytes) => output.file(&file.rel, bytes)?,
            render::theme::StaticSource::File(path) => output.copy(&file.rel, path)?,
        }
    }
    assets.par_iter().try_for_each(|asset| output.copy(&asset.rel, &asset.path))?;

    let by_rel: HashMap<&str, &Source> = articles.iter().map(|s| (s.rel.as_str(), *s)).collect();
    let article_results: Vec<Result<()>> = (0..archive.entries.len())
        .into_par_iter()
        .map(|i| {
            let source = by_rel[archive.entries[i].meta.source.as_str()];
            let article =
                load::read_article(source, &paths.display(&source.path), &load_options).map_err(Error::Input)?;
            output.page(&renderer.article(i, &article)?)
        })
        .collect();
    let listing_results: Vec<Result<()>> =
        listings.par_iter().map(|&listing| output.page(&renderer.listing(listing)?)).collect();
    fail_on_errors(article_results.into_iter().chain(listing_results))?;
    let read_body = |i: usize| -> std::result::Result<String, Diagnostic> {
        let source = by_rel[archive.entries[i].meta.source.as_str()];
        let article = load::read_article(source, &paths.display(&source.path), &load_options)
            .map_err(|mut list| list.swap_remove(0))?;
        Ok(renderer.body_html(i, &article, true))
    };
    let published = publish(&output, &archive, &renderer, &config, &listings, options.now, &read_body)?;

    output.commit()?;
    Ok(BuildReport {
        articles: archive.entries.len(),
        pages: archive.entries.len() + listings.len() + 1,
        files: theme.statics().len() + assets.len() + published,
        held_back,
        skipped: problems,
        warnings,
        elapsed: started.elapsed(),
    })
}

/// Write what publishing needs besides pages: `404.html`, `robots.txt`,
/// and (with a base URL) feeds and sitemaps. Returns how many files.
fn publish(
    output: &Output,
    archive: &Archive,
    renderer: &Renderer<'_>,
    config: &Config,
    listings: &[archive::Listing],
    now: DateTime<FixedOffset>,
    read_body: &(dyn Fn(usize) -> std::result::Result<String, Diagnostic> + Sync),
) -> Result<usize> {
    use render::{feeds, sitemap};
    output.file("404.html", renderer.not_found()?.as_bytes())?;
    output.file("robots.txt", sitemap::robots(config.base_url.as_ref()).as_bytes())?;
    let Some(base) = &config.base_url else {
        return Ok(2);
    };
    let mut files = feeds::site_feeds(archive, config, base, read_body)?
        .into_iter()
        .map(|(path, xml)| (path, xml.into_bytes()))
        .collect::<Vec<_>>();
    files.extend(sitemap::sitemaps(&sitemap::site_urls(archive, listings, config.per_page, base), base));
    let news = sitemap::recent_news(archive, base, now);
    files.push(("news-sitemap.xml".into(), sitemap::news_sitemap(&news, &config.publisher_name, &config.language)));
    files.par_iter().try_for_each(|(path, bytes)| output.file(path, bytes))?;
    Ok(files.len() + 2)
}

/// Collect every error of a phase into one, so all are reported together.
fn fail_on_errors(results: impl Iterator<Item = Result<()>>) -> Result<()> {
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(Error::Input(list)) => diagnostics.extend(list),
            Err(other) => return Err(other),
        }
    }
    if diagnostics.is_empty() { Ok(()) } else { Err(Error::Input(diagnostics)) }
}

/// A content file copied as an asset must not land on a generated page.
fn check_assets(assets: &[&Source], archive: &Archive, listings: &[archive::Listing], paths: &SitePaths) -> Result<()> {
    let mut pages: HashSet<String> = archive.entries.iter().map(|e| e.page.file()).collect();
    pages.extend(listings.iter().map(|l| l.path(archive).file()));
    let clashes: Vec<Diagnostic> = assets
        .iter()
        .filter(|a| pages.contains(&a.rel))
        .map(|a| Diagnostic::file(paths.display(&a.path), format!("would overwrite the generated page {}", a.rel)))
        .collect();
    if clashes.is_empty() { Ok(()) } else { Err(Error::Input(clashes)) }
}
