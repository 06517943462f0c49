//! Gazette: a static site generator for news archives.
//!
//! A build runs these phases, each in its own module:
//!
//! 1. [`load`]: `content/` → typed articles (wire copy or Markdown with
//!    front matter), every bad file reported with its line; unchanged
//!    files are taken from the previous build's [`state`];
//! 2. [`archive`]: article metadata → the archive's order and its indexes
//!    (years, months, days, authors) and every page's place ([`urls`]);
//! 3. [`plan`]: every output file, with the [`keys`] of its inputs;
//! 4. [`render`]: archive + theme → HTML pages and feeds, pure;
//! 5. [`write`]: the files whose inputs changed → the output folder,
//!    either staged and swapped in whole, or changed in place once
//!    everything rendered.
//!
//! [`build`] runs them in that order. With the `serve` feature (on by
//! default), `serve` previews a site: it builds it into a folder of its
//! own, serves it over HTTP and rebuilds on every change.

pub mod archive;
pub mod authoring;
pub mod check;
pub mod config;
pub mod error;
pub mod fsx;
pub mod import;
pub mod keys;
pub mod limits;
pub mod load;
pub mod markdown;
pub mod path_index;
pub mod plan;
pub mod render;
#[cfg(feature = "serve")]
pub mod serve;
pub mod slug;
pub mod state;
pub mod urls;
pub mod write;

#[cfg(test)]
mod testing;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use archive::Archive;
use config::{Config, SitePaths};
pub use error::{Diagnostic, Error, Result};
use keys::{Key, KeyBuilder};
use load::{ArticleMeta, LoadOptions, Source};
use plan::inputs::{Card, FeedInputs, FeedKind};
use plan::{Inputs, Job, PageInputs, Planned};
use render::{Renderer, Theme, feeds, sitemap};
use state::{Manifest, OutputRecord};
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
    /// Overrides `theme` from `site.yaml`.
    pub theme: Option<String>,
    /// Ignore the previous build: read, render and write everything.
    pub clean: bool,
    /// Called with (done, total) as files are made, for a progress bar.
    pub progress: Option<fn(usize, usize)>,
}

impl BuildOptions {
    /// Options for building the site at `root` into `root/output`.
    pub fn new(root: impl Into<PathBuf>, now: DateTime<FixedOffset>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            future: false,
            keep_going: false,
            now,
            base_url: None,
            theme: None,
            clean: false,
            progress: None,
        }
    }

    /// Does this build publish the article? Drafts and articles dated
    /// after `now` only when asked for.
    pub fn publishes(&self, meta: &ArticleMeta) -> bool {
        (self.drafts || !meta.draft) && (self.future || meta.date.at <= self.now)
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Articles published.
    pub articles: usize,
    /// Article files read and parsed (the others were unchanged).
    pub parsed: usize,
    /// Files in the output.
    pub files: usize,
    /// Files written by this build.
    pub written: usize,
    /// Files left as they were, because their inputs or bytes did not change.
    pub unchanged: usize,
    /// Files removed because the site no longer has them.
    pub removed: Vec<String>,
    /// Whether every file was made again (no earlier build with the same
    /// settings to update), rather than only those whose inputs changed.
    pub full: bool,
    /// Entries at the top of the output that Gazette did not write (`.git`,
    /// `CNAME`), left as they were.
    pub kept: usize,
    /// Files an interrupted earlier build had left unfinished, made again
    /// or removed by this one.
    pub repaired: usize,
    /// Articles left out because they are drafts or dated in the future.
    pub held_back: usize,
    /// Bad articles skipped under `--keep-going`, with their reasons.
    pub skipped: Vec<Diagnostic>,
    /// Pages left out under `--keep-going` because they failed to render.
    pub failed: Vec<FailedPage>,
    /// Things the user should know that did not stop the build.
    pub warnings: Vec<String>,
    /// Wall time of the build.
    pub elapsed: Duration,
}

impl BuildReport {
    /// What the build did to the output, for its summary line: `12 files
    /// written, 3 unchanged` (`, 1 removed` when some were, `, 2 not written
    /// by Gazette kept` when the output holds such entries).
    pub fn files_line(&self) -> String {
        let mut line = format!("{} written, {} unchanged", counted(self.written, "file", "files"), self.unchanged);
        if !self.removed.is_empty() {
            line.push_str(&format!(", {} removed", self.removed.len()));
        }
        if self.kept > 0 {
            line.push_str(&format!(", {} not written by Gazette kept", self.kept));
        }
        line
    }
}

/// A number with its noun in the right form: `1 article`, `2 articles`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A page left out under `--keep-going` because it failed to render. When
/// the output was updated in place, it keeps its previous version.
#[derive(Debug)]
pub struct FailedPage {
    /// Its path inside the output folder.
    pub file: String,
    /// Why: a template error, at the template's line.
    pub errors: Vec<Diagnostic>,
}

/// Build the site: load → archive → plan → render → write.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let mut timings = Timings::new(started);
    let started_ns = chrono::Utc::now().timestamp_nanos_opt().map_or(0, i128::from);
    let paths = SitePaths::new(&options.root, options.output.as_deref());
    // Every problem of the configuration, the profiles and the templates
    // is noted here, and the articles are still checked before the build
    // stops: all of them are reported in one run.
    let (mut config, mut site_problems) = Config::load_checked(&paths)?;
    if let Some(url) = &options.base_url {
        config.base_url = Some(config::BaseUrl::parse(url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?);
    }
    if let Some(theme) = &options.theme {
        config.theme = Some(theme.clone());
    }
    let mut warnings = Vec::new();
    if config.base_url.is_none() {
        warnings.push(
            "no base_url in site.yaml (or --base-url): feeds, sitemaps and canonical links need absolute \
             URLs, so they were left out"
                .to_string(),
        );
    }
    let theme = Theme::load_checked(&paths, &config, &mut site_problems)?;
    let _lock = Output::lock(&paths)?;
    // An earlier build that stopped half way is repaired by this one.
    let unfinished = write::recover(&paths)?;
    let load_options = config.load_options();
    let load_settings = keys::of_hash(&("load", &load_options));
    timings.lap("config, theme");

    // Load: every article's metadata, in parallel, unchanged ones from the
    // previous build. Bodies are not kept: each is read again when its page
    // is rendered, so memory grows with the number of articles, not their text.
    // (The previous build's state is read while the content folder is walked.)
    let (mut previous, discovered) = rayon::join(
        || Manifest::load(&paths.output, Output::build_id(&paths.output)),
        || load::discover(&paths.content),
    );
    let discovered = discovered?;
    let history = write_history(previous.as_mut(), unfinished);
    if !history.unknown.is_empty() {
        warnings.push(format!(
            "the previous build of {} stopped before it finished; this one makes again or removes the {} it had left unfinished",
            paths.output.display(),
            counted(history.unknown.len(), "file", "files")
        ));
    }
    let (articles, assets): (Vec<&Source>, Vec<&Source>) = discovered.sources.iter().partition(|s| s.is_article());
    let valid_before = previous.as_ref().map_or(0, |m| m.started_ns - 2_000_000_000);
    let cache =
        previous.as_mut().filter(|m| !options.clean && m.load_settings == load_settings).map(|m| &mut m.sources);
    let display = |p: &std::path::Path| paths.display(p);
    timings.lap("manifest load, discover");
    let loaded = load::load_all(&articles, cache, valid_before, &display, &load_options);
    warnings.extend(loaded.warnings.iter().cloned());
    timings.lap("load");
    let mut problems: Vec<Diagnostic> =
        discovered.unusable.iter().map(|(path, message)| Diagnostic::at(paths.display(path), 0, 0, message)).collect();
    problems.extend(loaded.problems);
    let theme = match theme {
        Some(theme) if site_problems.is_empty() => theme,
        _ => return Err(Error::Input(error::by_file([site_problems, problems].concat()))),
    };
    let problems = error::by_file(problems);
    if !problems.is_empty() && !options.keep_going {
        return Err(Error::Input(problems));
    }
    let settings = KeyBuilder::new("settings").key(config.key()).key(theme.key()).finish();
    // Held-back articles (drafts, future dates) are taken out of the list
    // where it lies: copying every article into a new list cost fresh memory.
    let mut metas = loaded.metas;
    let held: Vec<ArticleMeta> = metas.extract_if(.., |m| !options.publishes(m)).collect();

    // Archive: order, indexes and the place of every page.
    let archive = Archive::build(metas, &config.permalink, config.per_page);
    let listings = archive.listings(config.per_page);
    timings.lap("archive");

    // Plan: every output file and the key of its inputs.
    let content: HashSet<&str> = discovered.sources.iter().map(|s| s.rel.as_str()).collect();
    let sitemap_urls =
        config.base_url.as_ref().map(|_| plan::sitemaps::site_urls(&archive, &listings, config.per_page));
    let news = plan::sitemaps::recent(&archive, options.now);
    if config.base_url.is_some() && news.len() > sitemap::MAX_NEWS_URLS {
        warnings.push(format!(
            "news-sitemap.xml lists the newest {} of the {} stories of the last two days (Google News reads no more)",
            sitemap::MAX_NEWS_URLS,
            news.len()
        ));
    }
    // Pages are made again only where their inputs changed since a build
    // with the same settings, whose output is intact.
    let previous_outputs = previous.as_ref().filter(|m| !options.clean && m.settings == settings);
    let inputs = Inputs::new(
        &archive,
        plan::inputs::Sources {
            content: &content,
            previous: previous_outputs,
            settings,
            per_page: config.per_page,
            feed_limit: config.feed_limit,
            full_feed: config.feed_content == config::FeedContent::Full,
            sitemap_urls: sitemap_urls.as_deref(),
            news: &news,
        },
    );
    let copies = theme
        .statics()
        .iter()
        .map(|f| plan::CopySource {
            rel: f.rel.clone(),
            source: f.source.clone(),
            origin: f.origin.clone(),
            is_asset: false,
        })
        .chain(assets.iter().map(|a| plan::CopySource {
            rel: a.rel.clone(),
            source: write::FileSource::File(a.path.clone()),
            origin: paths.display(&a.path),
            is_asset: true,
        }))
        .collect();
    let plan = plan::plan(&inputs, &listings, copies, previous_outputs).map_err(Error::Input)?;
    timings.lap("plan");
    let todo: Vec<&Planned> = plan.files.iter().filter(|f| f.dirty).collect();
    let output = Output::start(&paths, new_build_id(started_ns))?;
    timings.lap("prepare output");

    // Render, each file written to the staging folder as soon as it is made.
    let renderer = Renderer::new(&theme, &config, archive.entries.len());
    let maker = Maker {
        inputs: &inputs,
        renderer: &renderer,
        config: &config,
        paths: &paths,
        load_options: &load_options,
        by_rel: articles.iter().map(|s| (s.rel.as_str(), *s)).collect(),
        site_feed: OnceLock::new(),
    };
    // (`--clean` trusts nothing in the output: every file is written.)
    let old = previous.as_ref().filter(|_| !options.clean).map(|m| &m.outputs);
    let stage =
        Stage { output: &output, old, progress: options.progress, done: AtomicUsize::new(0), total: todo.len() };
    output.prepare_folders(todo.iter().map(|f| f.rel.as_str()))?;
    timings.lap("renderer, folders");
    let made: Vec<Result<Made>> = todo.par_iter().map(|f| stage.make(&maker, f)).collect();
    // Under --keep-going a page that fails on bad input (a template that
    // breaks on one article) is left out and reported, and the rest is
    // published; where the output has it, its previous version stays.
    let mut failed = Vec::new();
    let mut todo_made = Vec::with_capacity(todo.len());
    let mut errors = Vec::new();
    for (f, result) in todo.into_iter().zip(made) {
        match result {
            Ok(m) => todo_made.push((f, m)),
            Err(Error::Input(list)) if options.keep_going => {
                output.discard(&f.rel)?;
                failed.push(FailedPage { file: f.rel.clone(), errors: list });
            }
            Err(Error::Input(list)) => errors.extend(list),
            Err(other) => return Err(other),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    timings.lap("render, stage");

    // Write: the staged files into the output, and what it no longer has out.
    let written: Vec<&str> = todo_made.iter().filter(|(_, m)| m.written).map(|(f, _)| f.rel.as_str()).collect();
    let removed = history.removals(previous.as_ref(), &plan, previous_outputs.map(|_| plan.kept), &failed);
    let owned = |rel: &str| history.owns(previous.as_ref(), rel);
    let changes = write::Changes {
        made: written,
        removed,
        owned: previous.is_some().then_some(&owned as &(dyn Fn(&str) -> bool + Sync)),
        tops: plan.files.iter().map(|f| f.rel.split('/').next().unwrap_or(&f.rel)).collect(),
    };
    let output_id = output.id();
    let (committed, finishing) = output.commit(&changes)?;
    let written = changes.made.len();
    let removed_files: Vec<String> = changes.removed.iter().map(|r| r.to_string()).collect();
    drop(changes);
    // What only rendering needed goes before the manifest is made: the
    // peak memory of a big build is here.
    drop(maker);
    drop(renderer);
    drop((content, sitemap_urls, news, articles, assets));
    drop(discovered);
    timings.lap("write, commit");

    // Remember what was read and written, for the next build.
    let caching = previous_outputs.is_some();
    let mut manifest = Manifest::new(output_id, settings, load_settings, started_ns);
    if let Some(old) = previous.as_mut() {
        // Unchanged files keep their records (taken over, not copied).
        manifest.outputs = std::mem::take(&mut old.outputs);
        for rel in &removed_files {
            manifest.outputs.remove(rel);
        }
    }
    let remade: Vec<&str> = todo_made.iter().map(|(f, _)| f.rel.as_str()).collect();
    for (f, m) in todo_made {
        let hash = m.hash.unwrap_or_else(|| keys::of_bytes(f.rel.as_bytes()));
        manifest.outputs.insert(f.rel.clone(), OutputRecord { key: f.key, hash, linked: m.linked, broken: m.broken });
    }
    timings.lap("output records");
    warnings.extend(manifest.outputs.values().flat_map(|r| r.broken.iter().cloned()));
    let report = BuildReport {
        articles: archive.entries.len(),
        parsed: loaded.parsed,
        files: plan.files.len(),
        written,
        unchanged: plan.files.len() - written - failed.len(),
        removed: removed_files,
        full: !caching,
        kept: committed.kept,
        repaired: history.unknown.len(),
        held_back: held.len(),
        skipped: problems,
        failed,
        warnings,
        elapsed: Duration::ZERO,
    };
    let sources: Vec<&ArticleMeta> = archive.entries.iter().map(|e| &e.meta).chain(&held).collect();
    timings.lap("manifest records");
    // Updating, only what this build touched can differ from the stored state.
    let changed = caching.then(|| state::Changed {
        sources: loaded.refreshed.iter().map(String::as_str).chain(loaded.dropped.iter().map(String::as_str)).collect(),
        outputs: remade.iter().copied().chain(report.removed.iter().map(String::as_str)).collect(),
    });
    let sealed = manifest
        .save(&paths.output, previous.as_ref().filter(|_| caching), &sources, changed)
        .and_then(|()| finishing.finish());
    if let Err(e) = sealed {
        return Err(Error::Site(format!(
            "the site was written, but its build state could not be saved ({e}); the next build checks and \
             repairs what this one wrote"
        )));
    }
    // Freeing a big archive's millions of small allocations takes a while,
    // and the build's result does not wait for it.
    drop(sources);
    drop_in_background((manifest, previous, plan, archive, held));
    timings.lap("manifest");
    Ok(BuildReport { elapsed: started.elapsed(), ..report })
}

/// What earlier builds left in the output: the records of the files they
/// wrote (in the build state) are trusted, except for the files an
/// unfinished build may have changed since.
struct WriteHistory {
    /// Files an earlier build wrote whose content an unfinished build left
    /// unknown (every file, when its journal could not be read): each is
    /// made again, or removed.
    unknown: HashSet<String>,
}

/// Take an unfinished build's files out of the previous build's records.
fn write_history(previous: Option<&mut Manifest>, unfinished: write::Unfinished) -> WriteHistory {
    let mut unknown = unfinished.files;
    if let Some(m) = previous {
        if unfinished.unreadable {
            unknown.extend(m.outputs.drain().map(|(rel, _)| rel));
        }
        for rel in &unknown {
            m.outputs.remove(rel);
        }
    }
    WriteHistory { unknown }
}

impl WriteHistory {
    /// Did an earlier build write this file?
    fn owns(&self, previous: Option<&Manifest>, rel: &str) -> bool {
        self.unknown.contains(rel) || previous.is_some_and(|m| m.outputs.contains_key(rel))
    }

    /// The files to take out of the output: those an earlier build wrote
    /// that this one does not plan, and unknown ones that failed to render.
    /// `kept` is how many planned files have a record, when the plan counted them.
    fn removals<'a>(
        &'a self,
        previous: Option<&'a Manifest>,
        plan: &plan::Plan,
        kept: Option<usize>,
        failed: &[FailedPage],
    ) -> Vec<&'a str> {
        let records = previous.map(|m| &m.outputs);
        let kept = kept
            .unwrap_or_else(|| records.map_or(0, |r| plan.files.par_iter().filter(|f| r.contains_key(&f.rel)).count()));
        let stale_records = records.is_some_and(|r| r.len() > kept);
        if !stale_records && self.unknown.is_empty() {
            return Vec::new();
        }
        let planned: HashSet<&str> = plan.files.iter().map(|f| f.rel.as_str()).collect();
        let failed: HashSet<&str> = failed.iter().map(|f| f.file.as_str()).collect();
        let mut removed: Vec<&str> = self
            .unknown
            .iter()
            .map(String::as_str)
            .filter(|rel| !planned.contains(rel) || failed.contains(rel))
            .collect();
        if stale_records && let Some(records) = records {
            removed.extend(records.keys().map(String::as_str).filter(|rel| !planned.contains(rel)));
        }
        removed.sort_unstable();
        removed
    }
}

/// Makes the planned files into the staging folder, skipping those whose
/// bytes are what the output already holds.
struct Stage<'a> {
    output: &'a Output,
    old: Option<&'a HashMap<String, OutputRecord>>,
    progress: Option<fn(usize, usize)>,
    done: AtomicUsize,
    total: usize,
}

impl Stage<'_> {
    fn make(&self, maker: &Maker<'_>, file: &Planned) -> Result<Made> {
        let mut made = maker.make(file)?;
        let same = made.hash.is_some() && self.old.and_then(|o| o.get(&file.rel)).map(|r| r.hash) == made.hash;
        made.written = !same;
        if made.written {
            made.write(self.output, file)?;
        }
        made.bytes = None;
        if let Some(report) = self.progress {
            report(self.done.fetch_add(1, Ordering::Relaxed) + 1, self.total);
        }
        Ok(made)
    }
}

/// Drop something on another thread. A command-line build exits right
/// after, without waiting for it.
fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Time per phase, printed to stderr when `GAZETTE_TIMINGS` is set (for
/// profiling; the benchmark script in `bench/` measures whole processes).
struct Timings {
    on: bool,
    last: Instant,
}

impl Timings {
    fn new(started: Instant) -> Self {
        Timings { on: std::env::var_os("GAZETTE_TIMINGS").is_some(), last: started }
    }

    fn lap(&mut self, phase: &str) {
        if self.on {
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l[6..].trim().to_string()))
                .unwrap_or_default();
            eprintln!("{:>8.1?}  {phase:<28} rss {rss}", self.last.elapsed());
            self.last = Instant::now();
        }
    }
}

/// A build id: the start time, which differs between any two builds of one output.
fn new_build_id(started_ns: i128) -> u64 {
    (started_ns as u64) ^ (u64::from(std::process::id()) << 48)
}

/// A made file: its bytes (none for a copy, which is written from its
/// source), their hash, and for article pages what the body links to.
struct Made {
    bytes: Option<Vec<u8>>,
    hash: Option<Key>,
    linked: Vec<String>,
    broken: Vec<String>,
    /// Whether it went to the output (its bytes differ from what is there).
    written: bool,
}

impl Made {
    fn bytes(bytes: Vec<u8>) -> Self {
        let hash = Some(keys::of_bytes(&bytes));
        Made { bytes: Some(bytes), hash, linked: Vec::new(), broken: Vec::new(), written: true }
    }

    fn write(&self, output: &Output, file: &Planned) -> Result<()> {
        match (&self.bytes, &file.job) {
            (Some(bytes), _) => output.file(&file.rel, bytes),
            (None, Job::Copy(source)) => output.copy(&file.rel, source),
            (None, _) => Ok(()),
        }
    }
}

/// Makes the files of the plan, each from its inputs.
struct Maker<'a> {
    inputs: &'a Inputs<'a>,
    renderer: &'a Renderer<'a>,
    config: &'a Config,
    paths: &'a SitePaths,
    load_options: &'a LoadOptions,
    by_rel: HashMap<&'a str, &'a Source>,
    /// The site's feed, shared by `feed.xml` and `rss.xml`.
    site_feed: OnceLock<feeds::Feed>,
}

impl Maker<'_> {
    fn make(&self, file: &Planned) -> Result<Made> {
        let Some(page) = self.inputs.of(&file.job) else {
            return Ok(Made { bytes: None, hash: None, linked: Vec::new(), broken: Vec::new(), written: true });
        };
        let base = self.config.base_url.as_ref();
        let needs_base = || base.ok_or_else(|| Error::Site("feeds and sitemaps need a base URL".into()));
        Ok(match page {
            PageInputs::Article(article) => {
                let body = self.read(article.card).map_err(Error::Input)?;
                let made = self.renderer.article(&article, &body)?;
                let broken = self.locate(article.card, made.broken);
                Made { linked: made.linked, broken, ..Made::bytes(made.page.html) }
            }
            PageInputs::Listing(listing) => Made::bytes(self.renderer.listing(&listing)?.html),
            PageInputs::NotFound => Made::bytes(self.renderer.not_found()?),
            PageInputs::Robots => Made::bytes(sitemap::robots(base).into_bytes()),
            PageInputs::Feed(feed) => Made::bytes(self.feed(&feed, needs_base()?)?),
            PageInputs::Sitemap(files) => Made::bytes(sitemap::sitemap(&files, needs_base()?)),
            PageInputs::News(cards) => {
                let news = sitemap::news_urls(&cards, needs_base()?);
                Made::bytes(sitemap::news_sitemap(&news, &self.config.publisher_name, &self.config.language))
            }
        })
    }

    /// Warnings for an article's broken links, each at the line and column
    /// where its source writes the URL (found in the source text, read
    /// again: broken links are rare, and the body alone has lost its lines).
    fn locate(&self, card: Card<'_>, broken: Vec<markdown::BrokenRef>) -> Vec<String> {
        if broken.is_empty() {
            return Vec::new();
        }
        let rel = card.entry.meta.source.as_str();
        let text =
            fsx::read(&self.by_rel[rel].path).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
        broken
            .into_iter()
            .map(|b| {
                let (line, col) = markdown::position_of(&text, &b.url).unwrap_or((0, 0));
                Diagnostic::at(format!("content/{rel}"), line, col, b.message).to_string()
            })
            .collect()
    }

    /// Read an article's body again.
    fn read(&self, card: Card<'_>) -> std::result::Result<load::Body, Vec<Diagnostic>> {
        let source = self.by_rel[card.entry.meta.source.as_str()];
        load::read_body(source, &self.paths.display(&source.path), self.load_options)
    }

    /// A feed's XML. The site's feed is made once for both its formats.
    fn feed(&self, inputs: &FeedInputs<'_>, base: &config::BaseUrl) -> Result<Vec<u8>> {
        let body = |card: Card<'_>, links: &plan::inputs::Links<'_>| {
            Some(self.renderer.body_html(card, links, &self.read(card).ok()?, true).ok()?.html)
        };
        let FeedKind::Site { rss } = inputs.feed else {
            return Ok(feeds::feed(inputs, self.config, base, &body).to_atom().into_bytes());
        };
        let feed = self.site_feed.get_or_init(|| feeds::feed(inputs, self.config, base, &body));
        let self_url = base.join(if rss { "rss.xml" } else { "feed.xml" });
        let feed = feeds::Feed { self_url, ..feed.clone() };
        Ok(if rss { feed.to_rss() } else { feed.to_atom() }.into_bytes())
    }
}
