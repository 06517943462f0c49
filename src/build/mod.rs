//! The build: the phases run in order, each handing the next a typed value.
//!
//! [`run`] is the pipeline: [`site::Site::open`] (settings, theme, the claim
//! on the output) → [`load`](crate::load) (typed articles, unchanged ones
//! from the previous build's state) → [`Archive`] (order and indexes) →
//! [`plan`](crate::plan) (every output file, keyed by its inputs) →
//! [`make`] (the dirty files rendered and staged) → [`write`](crate::write)
//! (committed into the output) → the state saved for the next build.
//! [`crate::build`] returns its report; `check` also reads what it loaded.

mod history;
mod make;
mod site;

use rustc_hash::FxHashSet as HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use crate::archive::Archive;
use crate::config::{self, SitePaths};
use crate::error::{self, Diagnostic, Error, Finding, Kind, Result};
use crate::keys;
use crate::load::{self, ArticleMeta, Source};
use crate::photos;
use crate::plan::{self, Inputs};
use crate::render::{Renderer, Theme, sitemap};
use crate::state::{self, Manifest, OutputRecord};
use crate::write::{self, Output};
use history::WriteHistory;
use make::Maker;
use site::Site;

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
    /// Photo variants encoded (each from a photo decoded by this build).
    pub photo_variants: usize,
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
    pub warnings: Vec<Finding>,
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

/// What a build leaves besides its report: every article it loaded, for
/// `check` to lint without reading them again.
pub struct Built {
    /// What the build did.
    pub report: BuildReport,
    /// The published articles, newest first, each with its page.
    pub archive: Archive,
    /// The articles held back (drafts, future dates).
    pub held: Vec<ArticleMeta>,
    /// The links the articles' bodies write that lead nowhere (or only
    /// from a domain root), as recorded (`report.warnings` has them too).
    pub links: Vec<state::BrokenLink>,
}

/// Build the site: load → archive → plan → render → write.
pub fn run(options: &BuildOptions) -> Result<Built> {
    finish(load(options)?, options)
}

/// A site whose articles are loaded: the first half of a build (which
/// `check` lints before the build goes on).
pub struct Loaded {
    /// The site's folders, settings and theme.
    pub site: Site,
    previous: Option<Manifest>,
    history: WriteHistory,
    discovered: load::Discovered,
    /// Every article that loaded, published or not, and every problem.
    pub articles: load::Loaded,
    warnings: Vec<Finding>,
    started: (Instant, i128),
    timings: Timings,
}

/// Read the site's settings and load its articles (unchanged ones from
/// the previous build's state, read while `content/` is walked), finding
/// every problem of them all.
pub fn load(options: &BuildOptions) -> Result<Loaded> {
    let started = (Instant::now(), chrono::Utc::now().timestamp_nanos_opt().map_or(0, i128::from));
    let mut timings = Timings::new(started.0);
    let mut site = Site::open(options)?;
    let mut warnings = std::mem::take(&mut site.warnings);
    timings.lap("config, theme");
    let output = &site.paths.output;
    let (mut previous, discovered) =
        rayon::join(|| Manifest::load(output, Output::build_id(output)), || load::discover(&site.paths.content));
    let discovered = discovered?;
    let history = WriteHistory::new(previous.as_mut(), std::mem::take(&mut site.unfinished));
    warnings.extend(interrupted(&history, &site.paths));
    timings.lap("manifest load, discover");
    let articles = load_articles(&site, &discovered, previous.as_mut(), options.clean);
    warnings.extend(articles.warnings.iter().cloned());
    timings.lap("load");
    Ok(Loaded { site, previous, history, discovered, articles, warnings, started, timings })
}

/// The rest of a build, once its articles are loaded: archive → plan →
/// render → write, and the state saved for the next build.
pub fn finish(loaded: Loaded, options: &BuildOptions) -> Result<Built> {
    let Loaded {
        mut site,
        mut previous,
        history,
        discovered,
        articles: mut loaded,
        mut warnings,
        started,
        mut timings,
    } = loaded;
    let (started, started_ns) = started;
    let theme = site.theme(&loaded.problems)?;
    let known = previous.as_ref().filter(|_| !options.clean).and_then(|_| state::load_photos(&site.paths.output));
    let known =
        known.as_ref().map(|(started, headers)| photos::Known { headers, trusted_before: started - 2_000_000_000 });
    let (photos, bad_photos) = photos::catalog(&photo_files(&discovered, &site.paths), &site.config.images, known);
    loaded.problems.extend(bad_photos);
    if !loaded.problems.is_empty() && !options.keep_going {
        return Err(Error::Input(std::mem::take(&mut loaded.problems)));
    }
    let settings = site.settings(&theme);
    // Held-back articles (drafts, future dates) are taken out of the list
    // where it lies: copying every article into a new list costs fresh memory.
    let mut metas = std::mem::take(&mut loaded.metas);
    let mut held: Vec<ArticleMeta> = metas.extract_if(.., |m| !options.publishes(m)).collect();

    // Archive: order, indexes and the place of every page.
    let config = &site.config;
    let mut archive = Archive::build(metas, &config.permalink, config.per_page, &config.topics);
    let listings = archive.listings(config.per_page, &config.indexes);
    timings.lap("archive");

    // What the previous build found that still holds. Its related lists
    // help only when `loaded.replaced` holds every article changed since
    // they were found: the articles were loaded from that build's records
    // (same load settings). Its term shards are checked by what they were
    // made from, and each file by its bytes.
    let known_related = previous
        .as_mut()
        .filter(|m| !options.clean && m.settings == settings && m.load_settings == site.load_settings)
        .and_then(|m| m.related.take());
    let known_shards = previous.as_mut().filter(|_| !options.clean).and_then(|m| m.search_shards.take());
    let previous_file = |rel: &str| previous_output(&site.paths.output, previous.as_ref(), rel);
    // The search index, from every article's terms, on one core; on the
    // other, the related stories, then every article as read (its terms
    // with it) saved for the next build, then what else the pages read.
    // Then the terms are let go: the pages do not need them (half a
    // gigabyte at a million).
    let (mut search, (related, saved_sources, around)) = rayon::join(
        || {
            let known = known_shards.map(|record| crate::search::KnownShards {
                record,
                read: &previous_file,
                // The terms of the articles read again, as the state had
                // them; none for those it did not have.
                earlier: (loaded.replaced.iter())
                    .filter_map(|m| Some((m.source.as_str(), Some(m.terms.as_ref()?))))
                    .chain(loaded.added.iter().map(|rel| (rel.as_str(), None)))
                    .collect(),
            });
            config.search.then(|| plan::search::index(&archive, config, settings, known))
        },
        || {
            let related = config
                .indexes
                .related
                .then(|| plan::related::find(&archive, &config.topics, known_related, &loaded.replaced));
            let same_settings = previous.as_ref().filter(|m| !options.clean && m.settings == settings);
            let saved = save_sources(&site.paths.output, same_settings, (&archive, &held, &loaded));
            (related, saved, Around::of(&archive, &discovered, &site, options))
        },
    );
    timings.lap("index, related, save, around");
    let shards = search.as_mut().map(|s| std::mem::take(&mut s.shards));
    let saved_sources = saved_sources?;
    let same_settings = previous.as_ref().filter(|m| !options.clean && m.settings == settings);
    archive.forget_search_terms();
    for meta in &mut held {
        meta.terms = None;
    }

    // Plan: every output file, keyed by its inputs; unchanged keys since a
    // build with the same settings are not made again.
    let Around { content, missing, news, mut redirects } = around;
    if !missing.is_empty() && !options.keep_going {
        return Err(Error::Input(missing));
    }
    loaded.problems.extend(missing);
    warnings.extend(news_warning(config.base_url.is_some(), news.len()));
    warnings.append(&mut redirects.warnings);
    let sitemaps = config.base_url.as_ref().map(|_| plan::sitemaps::Sitemaps::of(&archive, &listings));
    let sources = plan::inputs::Sources {
        content: &content,
        photos: &photos,
        previous: same_settings,
        settings,
        feed_limit: config.feed_limit,
        full_feed: config.feed_content == config::FeedContent::Full,
        sitemaps: sitemaps.as_ref(),
        news: &news,
        indexes: config.indexes,
        today: options.now.with_timezone(&config.timezone).date_naive(),
        redirects: &redirects,
        related: related.as_ref().map(|r| &r.record.lists),
        search,
    };
    let mut inputs = Inputs::new(&archive, sources);
    timings.lap("sitemaps, inputs");
    let copies = copies(&theme, &discovered, &site.paths);
    let plan = plan::plan(&inputs, &listings, copies, &photos, same_settings).map_err(Error::Input)?;
    timings.lap("plan");

    // Render: each dirty file made from its inputs, and staged at once.
    let renderer = Renderer::new(&theme, config, archive.entries.len());
    let by_rel = discovered.sources.iter().filter(|s| s.is_article()).map(|s| (s.rel.as_str(), s)).collect();
    let staged = Output::start(&site.paths, new_build_id(started_ns))?;
    let trusted = previous.as_ref().filter(|_| !options.clean).map(|m| &m.outputs);
    // The search index's files first: once staged, they are let go before
    // the pages are rendered (they are a gigabyte for a million articles).
    let (index, todo): (Vec<&plan::Planned>, Vec<&plan::Planned>) = plan
        .files
        .iter()
        .filter(|f| f.dirty)
        .partition(|f| matches!(f.job, plan::Job::Generated(plan::Generated::SearchIndex(_))));
    let mut made = {
        // No article is read for the index.
        let maker = Maker::new(&inputs, &renderer, &site, &photos, Default::default());
        make::make_all(&maker, index, &staged, trusted, options.keep_going, None)?
    };
    drop(inputs.take_search_files());
    let maker = Maker::new(&inputs, &renderer, &site, &photos, by_rel);
    made.append(make::make_all(&maker, todo, &staged, trusted, options.keep_going, options.progress)?);
    let photo_variants = made.files.iter().filter(|(f, _)| matches!(f.job, plan::Job::Photo(..))).count();
    drop(maker);
    drop(inputs);
    timings.lap("render, stage");

    // Write: the staged files into the output, what it no longer has out.
    let kept = same_settings.map(|_| plan.kept);
    let (committed, finishing) = write_out(staged, &plan, &made, &history, previous.as_ref(), kept)?;
    timings.lap("write, commit");

    // Remember what was read and written, for the next build.
    let caching = same_settings.is_some();
    let ids = (committed.id, settings, site.load_settings, started_ns);
    let (records, links) = remember(
        &site.paths.output,
        ids,
        previous,
        &committed.removed,
        made.files,
        (caching, related, shards),
        saved_sources,
    )?;
    state::save_photos(&site.paths.output, started_ns, &photos.headers).map_err(|e| unsaved(&e))?;
    finishing.finish().map_err(|e| unsaved(&e))?;
    drop(records);
    warnings.extend(links.iter().map(state::BrokenLink::finding));
    timings.lap("manifest");
    let report = BuildReport {
        articles: archive.entries.len(),
        parsed: loaded.parsed,
        files: plan.files.len(),
        written: committed.written,
        unchanged: plan.files.len() - committed.written - made.failed.len(),
        photo_variants,
        removed: committed.removed,
        full: !caching,
        kept: committed.kept,
        repaired: history.unknown.len(),
        held_back: held.len(),
        skipped: loaded.problems,
        failed: made.failed,
        warnings,
        elapsed: started.elapsed(),
    };
    drop_in_background(plan);
    Ok(Built { report, archive, held, links })
}

/// What writing the output did.
struct Written {
    /// The output's id (in its marker and its state).
    id: u64,
    /// Files written.
    written: usize,
    /// Files removed.
    removed: Vec<String>,
    /// Entries at the top of the output Gazette did not write.
    kept: usize,
}

/// Commit the staged files into the output, and take out the files an
/// earlier build wrote that this one does not make. `kept` is how many
/// planned files the previous build (with the same settings) made too.
fn write_out(
    staged: Output,
    plan: &plan::Plan,
    made: &make::MadeFiles<'_>,
    history: &WriteHistory,
    previous: Option<&Manifest>,
    kept: Option<usize>,
) -> Result<(Written, write::Finishing)> {
    let owned = |rel: &str| history.owns(previous, rel);
    let changes = write::Changes {
        made: made.files.iter().filter(|(_, m)| m.written).map(|(f, _)| f.rel.as_str()).collect(),
        removed: history.removals(previous, plan, kept, &made.failed),
        owned: previous.is_some().then_some(&owned as &(dyn Fn(&str) -> bool + Sync)),
        tops: plan.files.iter().map(|f| f.rel.split('/').next().unwrap_or(&f.rel)).collect(),
    };
    let id = staged.id();
    let (committed, finishing) = staged.commit(&changes)?;
    let removed = changes.removed.iter().map(|r| r.to_string()).collect();
    Ok((Written { id, written: changes.made.len(), removed, kept: committed.kept }, finishing))
}

/// The articles of `content/`, loaded (unchanged ones from the previous
/// build's state, when it read them with the same settings), with every
/// problem of every file.
fn load_articles(
    site: &Site,
    discovered: &load::Discovered,
    previous: Option<&mut Manifest>,
    clean: bool,
) -> load::Loaded {
    let articles: Vec<&Source> = discovered.sources.iter().filter(|s| s.is_article()).collect();
    let valid_before = previous.as_ref().map_or(0, |m| m.started_ns - 2_000_000_000);
    let cache = previous.filter(|m| !clean && m.load_settings == site.load_settings).map(|m| &mut m.sources);
    let display = |p: &std::path::Path| site.paths.display(p);
    let mut loaded = load::load_all(&articles, cache, valid_before, &display, &site.load_options);
    let unusable =
        discovered.unusable.iter().map(|(path, message)| Diagnostic::at(site.paths.display(path), 0, 0, message));
    loaded.problems.extend(unusable);
    loaded.problems = error::by_file(std::mem::take(&mut loaded.problems));
    loaded
}

/// The files copied as they are: the theme's static files and the
/// content's assets.
fn copies(theme: &Theme, discovered: &load::Discovered, paths: &SitePaths) -> Vec<plan::CopySource> {
    let statics = theme.statics().iter().map(|f| plan::CopySource {
        rel: f.rel.clone(),
        source: f.source.clone(),
        origin: f.origin.clone(),
        is_asset: false,
    });
    let assets = discovered.sources.iter().filter(|s| !s.is_article() && !photos::is_photo_path(&s.rel));
    let assets = assets.map(|a| plan::CopySource {
        rel: a.rel.clone(),
        source: write::FileSource::File(a.path.clone()),
        origin: paths.display(&a.path),
        is_asset: true,
    });
    statics.chain(assets).collect()
}

/// What the pages' plan reads besides the archive, the index and the
/// related stories.
struct Around<'a> {
    /// Every file of `content/`, by its path in it.
    content: HashSet<&'a str>,
    /// A problem at each lead image that is not there.
    missing: Vec<Diagnostic>,
    /// The stories of the news sitemap.
    news: Vec<usize>,
    /// The redirects from old addresses.
    redirects: plan::redirects::Redirects,
}

impl<'a> Around<'a> {
    fn of(archive: &Archive, discovered: &'a load::Discovered, site: &Site, options: &BuildOptions) -> Around<'a> {
        let config = &site.config;
        let content: HashSet<&str> = discovered.sources.iter().map(|s| s.rel.as_str()).collect();
        let missing = missing_lead_images(archive, &content, &site.paths);
        let news = plan::sitemaps::recent(archive, options.now);
        let content_shown = site.paths.display(&site.paths.content);
        let redirects = plan::redirects::Redirects::collect(archive, config.base_url.as_ref(), &content_shown);
        Around { content, missing, news, redirects }
    }
}

/// A problem at each `image:` that names a file `content/` does not have.
fn missing_lead_images(archive: &Archive, content: &HashSet<&str>, paths: &SitePaths) -> Vec<Diagnostic> {
    let missing = |meta: &ArticleMeta| {
        let written = meta.image.as_deref().filter(|i| crate::urls::is_relative_reference(i))?;
        let source_dir = meta.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        let target = crate::urls::join(source_dir, written)?;
        (!content.contains(target.as_str())).then(|| {
            let (line, col) = meta.places.image.pair();
            let file = paths.display(&paths.content.join(&meta.source));
            Diagnostic::at(file, line, col, format!("image: there is no content/{target} (the lead image {written:?})"))
        })
    };
    archive.entries.iter().filter_map(|e| missing(&e.meta)).collect()
}

/// The photos of `content/` (its JPEG, PNG and WebP files): path inside
/// it, on disk, and as shown in messages.
fn photo_files(discovered: &load::Discovered, paths: &SitePaths) -> Vec<(String, PathBuf, PathBuf)> {
    let photos = discovered.sources.iter().filter(|s| !s.is_article() && photos::is_photo_path(&s.rel));
    photos.map(|s| (s.rel.clone(), s.path.clone(), paths.display(&s.path))).collect()
}

/// The warning that an earlier build stopped half way, if one did.
fn interrupted(history: &WriteHistory, paths: &SitePaths) -> Option<Finding> {
    (!history.unknown.is_empty()).then(|| {
        let message = format!(
            "the previous build of {} stopped before it finished; this one makes again or removes the {} it had left unfinished",
            paths.output.display(),
            counted(history.unknown.len(), "file", "files")
        );
        Finding::site(Kind::InterruptedBuild, message)
    })
}

/// The warning that the news sitemap holds fewer stories than the last
/// two days had.
fn news_warning(with_base_url: bool, recent: usize) -> Option<Finding> {
    (with_base_url && recent > sitemap::MAX_NEWS_URLS).then(|| {
        let message = format!(
            "news-sitemap.xml lists the newest {} of the {recent} stories of the last two days (Google News reads no more)",
            sitemap::MAX_NEWS_URLS
        );
        Finding::site(Kind::NewsSitemapFull, message)
    })
}

/// Save every source the build read (published or held back) for the
/// next build, before the pages are made (see [`Manifest::save_sources`]).
fn save_sources(
    output: &std::path::Path,
    same_settings: Option<&Manifest>,
    (archive, held, loaded): (&Archive, &[ArticleMeta], &load::Loaded),
) -> Result<state::SavedSources> {
    let sources: Vec<&ArticleMeta> = archive.entries.iter().map(|e| &e.meta).chain(held).collect();
    // Updating, only what this build read again or lost can differ.
    let changed: Option<Vec<&str>> =
        same_settings.map(|_| loaded.refreshed.iter().chain(&loaded.dropped).map(String::as_str).collect());
    Manifest::save_sources(output, same_settings, &sources, changed.as_deref())
}

/// Record this build for the next one: every file of the output with its
/// key and hash (unchanged files keep their records, taken over rather
/// than copied), and the header naming the sources saved before. Returns
/// the state (to free later) and the broken links of every article page,
/// to warn about.
fn remember(
    output: &std::path::Path,
    (output_id, settings, load_settings, started_ns): (u64, keys::Key, keys::Key, i128),
    mut previous: Option<Manifest>,
    removed: &[String],
    made: Vec<(&plan::Planned, make::Made)>,
    (caching, related, shards): (bool, Option<plan::related::Found>, Option<crate::search::ShardsRecord>),
    sources: state::SavedSources,
) -> Result<(Manifest, Vec<state::BrokenLink>)> {
    let mut manifest = Manifest::new(output_id, settings, load_settings, started_ns);
    manifest.search_shards = shards;
    let related_changed = related.as_ref().is_none_or(|r| r.changed);
    manifest.related = related.map(|r| r.record);
    if let Some(old) = previous.as_mut() {
        manifest.outputs = std::mem::take(&mut old.outputs);
        for rel in removed {
            manifest.outputs.remove(rel);
        }
    }
    let remade: Vec<String> = made.iter().map(|(f, _)| f.rel.clone()).collect();
    // Room for them all at once: growing a table of a million records
    // holds the old one and the new one together.
    manifest.outputs.reserve(made.len());
    for (f, m) in made {
        let hash = m.hash.unwrap_or_else(|| keys::of_bytes(f.rel.as_bytes()));
        manifest.outputs.insert(f.rel.clone(), OutputRecord { key: f.key, hash, linked: m.linked, broken: m.broken });
    }
    let broken = manifest.outputs.values().flat_map(|r| r.broken.iter().cloned()).collect();
    // Updating, only what this build touched can differ from the stored state.
    let changed = caching.then(|| state::Changed {
        outputs: remade.iter().chain(removed).map(String::as_str).collect(),
        related: related_changed,
    });
    let previous_kept = previous.as_ref().filter(|_| caching);
    manifest.save(output, previous_kept, sources, changed).map_err(|e| unsaved(&e))?;
    drop_in_background(previous);
    Ok((manifest, broken))
}

/// A file of the previous build's output (by its path in it), when its
/// bytes are those that build recorded.
fn previous_output(output: &std::path::Path, previous: Option<&Manifest>, rel: &str) -> Option<Vec<u8>> {
    state::read_whole(&output.join(rel), previous?.outputs.get(rel)?.hash)
}

fn unsaved(e: &Error) -> Error {
    Error::Site(format!(
        "the site was written, but its build state could not be saved ({e}); the next build checks and repairs \
         what this one wrote"
    ))
}

/// Drop something on another thread. A command-line build exits right
/// after, without waiting for it.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Time per phase, printed to stderr when `GAZETTE_TIMINGS` is set (for
/// profiling; the benchmark script in `bench/` measures whole processes).
struct Timings {
    on: bool,
    last: Instant,
    cpu: u64,
    faults: u64,
}

/// CPU time of the process's live threads so far (Linux), in ns.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

impl Timings {
    fn new(started: Instant) -> Self {
        Timings { on: std::env::var_os("GAZETTE_TIMINGS").is_some(), last: started, cpu: 0, faults: 0 }
    }

    fn lap(&mut self, phase: &str) {
        if self.on {
            let rss = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(|l| l[6..].trim().to_string()))
                .unwrap_or_default();
            let cpu = cpu_ns();
            let faults: u64 = std::fs::read_to_string("/proc/self/stat")
                .ok()
                .and_then(|s| s.rsplit(')').next()?.split_whitespace().nth(7)?.parse().ok())
                .unwrap_or(0);
            eprintln!(
                "{:>8.1?}  {phase:<28} cpu {:>4} ms  faults {:>6}  rss {rss}",
                self.last.elapsed(),
                cpu.saturating_sub(self.cpu) / 1_000_000,
                faults.saturating_sub(self.faults)
            );
            self.faults = faults;
            self.cpu = cpu;
            self.last = Instant::now();
        }
    }
}

/// A build id: the start time, which differs between any two builds of one output.
fn new_build_id(started_ns: i128) -> u64 {
    (started_ns as u64) ^ (u64::from(std::process::id()) << 48)
}
