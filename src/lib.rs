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
use plan::{Generated, Job, Planned};
use render::{Renderer, Theme, feeds, sitemap};
use state::{Manifest, OutputRecord};
use write::{Mode, Output};

/// At most this many changed files are rendered in memory and written in
/// place; past it, the build is staged beside the output and swapped in.
const IN_PLACE_LIMIT: usize = 20_000;

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
    pub removed: usize,
    /// Whether the output was rebuilt whole (staged) rather than updated in place.
    pub full: bool,
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
    /// written, 3 unchanged` (`, 1 removed` when some were).
    pub fn files_line(&self) -> String {
        let mut line = format!("{} written, {} unchanged", counted(self.written, "file", "files"), self.unchanged);
        if self.removed > 0 {
            line.push_str(&format!(", {} removed", self.removed));
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
    let mut config = Config::load(&paths)?;
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
    let theme = Theme::load(&paths, &config)?;
    let _lock = Output::lock(&paths)?;
    let settings = KeyBuilder::new("settings").key(config.key()).key(theme.key()).finish();
    let load_options = config.load_options();
    let load_settings = KeyBuilder::new("load").str(&format!("{load_options:?}")).finish();
    timings.lap("config, theme");

    // Load: every article's metadata, in parallel, unchanged ones from the
    // previous build. Bodies are not kept: each is read again when its page
    // is rendered, so memory grows with the number of articles, not their text.
    // (The previous build's state is read while the content folder is walked.)
    let (mut previous, discovered) = rayon::join(
        || if options.clean { None } else { Manifest::load(&paths.output, Output::build_id(&paths.output)) },
        || load::discover(&paths.content),
    );
    let discovered = discovered?;
    let (articles, assets): (Vec<&Source>, Vec<&Source>) = discovered.sources.iter().partition(|s| s.is_article());
    let valid_before = previous.as_ref().map_or(0, |m| m.started_ns - 2_000_000_000);
    let cache = previous.as_mut().filter(|m| m.load_settings == load_settings).map(|m| &mut m.sources);
    let display = |p: &std::path::Path| paths.display(p);
    timings.lap("manifest load, discover");
    let loaded = load::load_all(&articles, cache, valid_before, &display, &load_options);
    timings.lap("load");
    let mut problems: Vec<Diagnostic> =
        discovered.unusable.iter().map(|(path, message)| Diagnostic::at(paths.display(path), 0, 0, message)).collect();
    problems.extend(loaded.problems);
    if !problems.is_empty() && !options.keep_going {
        return Err(Error::Input(problems));
    }
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
    let sitemap_urls = config.base_url.as_ref().map(|_| sitemap::site_urls(&archive, &listings, config.per_page));
    let news = sitemap::recent(&archive, options.now);
    if config.base_url.is_some() && news.len() > sitemap::MAX_NEWS_URLS {
        warnings.push(format!(
            "news-sitemap.xml lists the newest {} of the {} stories of the last two days (Google News reads no more)",
            sitemap::MAX_NEWS_URLS,
            news.len()
        ));
    }
    let previous_outputs = previous.as_ref().filter(|m| m.settings == settings);
    let inputs = plan::Inputs {
        archive: &archive,
        listings: &listings,
        per_page: config.per_page,
        settings,
        content: &content,
        previous: previous_outputs,
        sitemap_urls: sitemap_urls.as_deref(),
        news: &news,
        feed_limit: config.feed_limit,
    };
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
    let plan = plan::plan(&inputs, copies).map_err(Error::Input)?;
    timings.lap("plan");
    warnings.extend(plan.warnings.iter().cloned());

    // Decide: update the output in place when the previous build's
    // manifest describes it and few files changed; otherwise rebuild it whole.
    let dirty: Vec<&Planned> = plan.files.iter().filter(|f| f.dirty).collect();
    // When every file of the previous build is planned again, none goes.
    let planned: Option<HashSet<&str>> = previous_outputs
        .is_some_and(|m| m.outputs.len() != plan.kept)
        .then(|| plan.files.iter().map(|f| f.rel.as_str()).collect());
    let in_place = previous_outputs.is_some() && dirty.len() <= IN_PLACE_LIMIT;
    let (output, todo) = match (in_place, previous_outputs) {
        (true, Some(m)) => (Output::in_place(&paths, m.build_id)?, dirty),
        // (The previous manifest stays until the new one replaces it: if
        // this build fails, it still describes the untouched output.)
        _ => (Output::staged(&paths, new_build_id(started_ns))?, plan.files.iter().collect()),
    };

    timings.lap("prepare output");
    // Render (and write).
    let renderer = Renderer::new(&theme, &archive, &config, &content);
    let maker = Maker {
        archive: &archive,
        renderer: &renderer,
        config: &config,
        paths: &paths,
        load_options: &load_options,
        by_rel: articles.iter().map(|s| (s.rel.as_str(), *s)).collect(),
        sitemap_urls: sitemap_urls.as_deref(),
        now: options.now,
        site_feed: OnceLock::new(),
        sitemaps: OnceLock::new(),
    };
    let done = AtomicUsize::new(0);
    let progress = |_: ()| {
        if let Some(report) = options.progress {
            report(done.fetch_add(1, Ordering::Relaxed) + 1, todo.len());
        }
    };
    let old = previous_outputs.map(|m| &m.outputs);
    if output.mode() == Mode::Staged {
        output.prepare_folders(todo.iter().map(|f| f.rel.as_str()))?;
    }
    timings.lap("renderer, folders");
    let made: Vec<Result<Made>> = match output.mode() {
        // Staged: write each file as soon as it is made, so pages are never
        // all held in memory.
        Mode::Staged => todo
            .par_iter()
            .map(|f| {
                let mut made = maker.make(f)?;
                made.write(&output, f)?;
                made.bytes = None;
                progress(());
                Ok(made)
            })
            .collect(),
        // In place: make everything first; write only if nothing failed.
        Mode::InPlace => todo
            .par_iter()
            .map(|f| {
                let made = maker.make(f);
                progress(());
                made
            })
            .collect(),
    };
    // Under --keep-going a page that fails on bad input (a template that
    // breaks on one article) is left out and reported, and the rest is
    // published; when updating in place, its previous version stays.
    let mut failed = Vec::new();
    let to_make = todo.len();
    let (todo, made): (Vec<&Planned>, Vec<Made>) = if options.keep_going {
        let mut kept = (Vec::with_capacity(todo.len()), Vec::with_capacity(todo.len()));
        for (f, result) in todo.into_iter().zip(made) {
            match result {
                Ok(m) => {
                    kept.0.push(f);
                    kept.1.push(m);
                }
                Err(Error::Input(list)) => {
                    if output.mode() == Mode::Staged {
                        // The folder made for it beforehand goes.
                        output.remove(&f.rel)?;
                    }
                    failed.push(FailedPage { file: f.rel.clone(), errors: list });
                }
                Err(other) => return Err(other),
            }
        }
        kept
    } else {
        (todo, collect_errors(made)?)
    };
    timings.lap("render (staged: and write)");
    let mut written = 0;
    let mut removed_files: Vec<String> = Vec::new();
    if output.mode() == Mode::InPlace {
        // Files the build no longer makes go first: one may stand where a
        // new file needs a folder, or hold the folder a new file replaces
        // (a content folder `report/` that became a file `report`).
        if let (Some(old), Some(planned)) = (old, &planned) {
            for rel in old.keys().filter(|rel| !planned.contains(rel.as_str())) {
                output.remove(rel)?;
                removed_files.push(rel.clone());
            }
        }
        output.prepare_folders(todo.iter().map(|f| f.rel.as_str()))?;
        let results: Vec<Result<bool>> = todo
            .par_iter()
            .zip(&made)
            .map(|(f, m)| {
                let same = m.hash.is_some() && old.and_then(|o| o.get(&f.rel)).map(|r| r.hash) == m.hash;
                if same { Ok(false) } else { m.write(&output, f).map(|()| true) }
            })
            .collect();
        written = collect_errors(results)?.into_iter().filter(|w| *w).count();
    } else {
        written = made.len().max(written);
    }
    let removed = removed_files.len();
    output.commit()?;
    // What only rendering needed goes before the manifest is made: the
    // peak memory of a big build is here.
    drop(maker);
    drop(renderer);
    drop((content, sitemap_urls, news, articles, assets));
    drop(discovered);
    timings.lap("write, commit");

    // Remember what was read and written, for the next build.
    let build_id = match (in_place, previous_outputs) {
        (true, Some(m)) => m.build_id,
        _ => Output::build_id(&paths.output).unwrap_or_default(),
    };
    let mut manifest = Manifest::new(build_id, settings, load_settings, started_ns);
    // Unchanged files keep their records (taken over, not copied).
    if in_place && let Some(old) = previous.as_mut() {
        manifest.outputs = std::mem::take(&mut old.outputs);
        if let Some(planned) = &planned {
            manifest.outputs.retain(|rel, _| planned.contains(rel.as_str()));
        }
    }
    for (f, m) in todo.iter().zip(made) {
        let hash = m.hash.unwrap_or_else(|| keys::of_bytes(f.rel.as_bytes()));
        manifest.outputs.insert(f.rel.clone(), OutputRecord { key: f.key, hash, linked: m.linked, broken: m.broken });
    }
    timings.lap("output records");
    warnings.extend(manifest.outputs.values().flat_map(|r| r.broken.iter().cloned()));
    let unchanged = plan.files.len() - written - (to_make - todo.len());
    let report = BuildReport {
        articles: archive.entries.len(),
        parsed: loaded.parsed,
        files: plan.files.len(),
        written,
        unchanged,
        removed,
        full: !in_place,
        held_back: held.len(),
        skipped: problems,
        failed,
        warnings,
        elapsed: Duration::ZERO,
    };
    let sources: Vec<&ArticleMeta> = archive.entries.iter().map(|e| &e.meta).chain(&held).collect();
    timings.lap("manifest records");
    // In place, only what this build touched can differ from the stored state.
    let changed = in_place.then(|| state::Changed {
        sources: loaded.refreshed.iter().map(String::as_str).chain(loaded.dropped.iter().map(String::as_str)).collect(),
        outputs: todo.iter().map(|f| f.rel.as_str()).chain(removed_files.iter().map(String::as_str)).collect(),
    });
    manifest.save(&paths.output, previous.as_ref().filter(|_| in_place), &sources, changed)?;
    // Freeing a big archive's millions of small allocations takes a while,
    // and the build's result does not wait for it.
    drop(sources);
    drop_in_background((manifest, previous, plan, archive, held));
    timings.lap("manifest");
    Ok(BuildReport { elapsed: started.elapsed(), ..report })
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

/// Every error of a phase together, so all are reported in one run.
fn collect_errors<T>(results: Vec<Result<T>>) -> Result<Vec<T>> {
    let mut ok = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(t) => ok.push(t),
            Err(Error::Input(list)) => diagnostics.extend(list),
            Err(other) => return Err(other),
        }
    }
    if diagnostics.is_empty() { Ok(ok) } else { Err(Error::Input(diagnostics)) }
}

/// A made file: its bytes (none for a copy, which is written from its
/// source), their hash, and for article pages what the body links to.
struct Made {
    bytes: Option<Vec<u8>>,
    hash: Option<Key>,
    linked: Vec<String>,
    broken: Vec<String>,
}

impl Made {
    fn bytes(bytes: Vec<u8>) -> Self {
        let hash = Some(keys::of_bytes(&bytes));
        Made { bytes: Some(bytes), hash, linked: Vec::new(), broken: Vec::new() }
    }

    fn write(&self, output: &Output, file: &Planned) -> Result<()> {
        match (&self.bytes, &file.job) {
            (Some(bytes), _) => output.file(&file.rel, bytes),
            (None, Job::Copy(source)) => output.copy(&file.rel, source),
            (None, _) => Ok(()),
        }
    }
}

/// Makes the files of the plan.
struct Maker<'a> {
    archive: &'a Archive,
    renderer: &'a Renderer<'a>,
    config: &'a Config,
    paths: &'a SitePaths,
    load_options: &'a LoadOptions,
    by_rel: HashMap<&'a str, &'a Source>,
    sitemap_urls: Option<&'a [sitemap::SitemapUrl<'a>]>,
    now: DateTime<FixedOffset>,
    site_feed: OnceLock<std::result::Result<feeds::Feed, Diagnostic>>,
    sitemaps: OnceLock<Vec<(String, Vec<u8>)>>,
}

impl Maker<'_> {
    fn make(&self, file: &Planned) -> Result<Made> {
        Ok(match &file.job {
            Job::Article(i) => {
                let body = self.read(*i).map_err(Error::Input)?;
                let made = self.renderer.article(*i, &body)?;
                let broken = self.locate(*i, made.broken);
                Made { linked: made.linked, broken, ..Made::bytes(made.page.html) }
            }
            Job::Listing(listing) => Made::bytes(self.renderer.listing(*listing)?.html),
            Job::Copy(_) => Made { bytes: None, hash: None, linked: Vec::new(), broken: Vec::new() },
            Job::Generated(g) => Made::bytes(self.generate(*g)?),
        })
    }

    /// Warnings for an article's broken links, each at the line and column
    /// where its source writes the URL (found in the source text, read
    /// again: broken links are rare, and the body alone has lost its lines).
    fn locate(&self, i: usize, broken: Vec<markdown::BrokenRef>) -> Vec<String> {
        if broken.is_empty() {
            return Vec::new();
        }
        let rel = self.archive.entries[i].meta.source.as_str();
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
    fn read(&self, i: usize) -> std::result::Result<String, Vec<Diagnostic>> {
        let rel = self.archive.entries[i].meta.source.as_str();
        let source = self.by_rel[rel];
        load::read_body(source, &self.paths.display(&source.path), self.load_options)
    }

    fn generate(&self, generated: Generated) -> Result<Vec<u8>> {
        let config = self.config;
        let base = config.base_url.as_ref();
        let needs_base = || base.ok_or_else(|| Error::Site("feeds and sitemaps need a base URL".into()));
        Ok(match generated {
            Generated::Robots => sitemap::robots(base).into_bytes(),
            Generated::NotFound => self.renderer.not_found()?,
            Generated::SiteAtom | Generated::SiteRss => {
                let base = needs_base()?;
                let body = |i: usize| -> std::result::Result<String, Diagnostic> {
                    let body = self.read(i).map_err(|mut list| list.swap_remove(0))?;
                    Ok(self.renderer.body_html(i, &body, true).html)
                };
                let feed = self.site_feed.get_or_init(|| feeds::site_feed(self.archive, config, base, &body));
                let feed = feed.as_ref().map_err(|d| Error::Input(vec![d.clone()]))?;
                if generated == Generated::SiteAtom {
                    feed.to_atom().into_bytes()
                } else {
                    feeds::Feed { self_url: base.join("rss.xml"), ..feed.clone() }.to_rss().into_bytes()
                }
            }
            Generated::AuthorFeed(a) => {
                feeds::author_feed(self.archive, config, needs_base()?, a).to_atom().into_bytes()
            }
            Generated::CorrectionsFeed => {
                feeds::corrections_feed(self.archive, config, needs_base()?).to_atom().into_bytes()
            }
            Generated::Sitemap(n) => {
                let base = needs_base()?;
                let files =
                    self.sitemaps.get_or_init(|| sitemap::sitemaps(self.sitemap_urls.unwrap_or_default(), base));
                files.get(n).map(|(_, bytes)| bytes.clone()).unwrap_or_default()
            }
            Generated::NewsSitemap => {
                let news = sitemap::recent_news(self.archive, needs_base()?, self.now);
                sitemap::news_sitemap(&news, &config.publisher_name, &config.language)
            }
        })
    }
}
