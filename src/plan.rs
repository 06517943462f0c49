//! Plan phase: every file the build outputs, what makes it, and the key
//! of its inputs.
//!
//! Input: the archive, the theme's static files, the content assets, the
//! content hash of every source, and the previous build's manifest.
//! Output: a [`Plan`]: one [`Planned`] file per output path, each with a
//! [`Job`] that makes it and (for pages and copies) a [`Key`] over
//! everything that shapes its bytes. A file whose key is unchanged since
//! the last build is neither rendered nor written again. Checking that no
//! two files claim one path also happens here, before anything is written.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::archive::{Archive, Listing, ListingKind};
use crate::error::Diagnostic;
use crate::keys::{Key, KeyBuilder};
use crate::load::is_article_path;
use crate::render::sitemap::{self, SitemapUrl};
use crate::state::Manifest;
use crate::write::FileSource;

/// What makes an output file.
#[derive(Debug, Clone)]
pub enum Job {
    /// The page of `archive.entries[i]`.
    Article(usize),
    /// A listing page.
    Listing(Listing),
    /// A file copied as it is.
    Copy(FileSource),
    /// A file generated from the whole archive.
    Generated(Generated),
}

/// Files generated from the archive as a whole. They are cheap to make,
/// so they are made on every build and written only if their bytes changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    /// `feed.xml`
    SiteAtom,
    /// `rss.xml`
    SiteRss,
    /// `authors/<slug>/feed.xml` of `archive.authors[a]`.
    AuthorFeed(usize),
    /// `corrections/feed.xml`
    CorrectionsFeed,
    /// `sitemap.xml` or, past 50,000 URLs, the index and `sitemap-N.xml`
    /// (file number N, 0 for the index).
    Sitemap(usize),
    /// `news-sitemap.xml`
    NewsSitemap,
    /// `robots.txt`
    Robots,
    /// `404.html`
    NotFound,
}

/// One output file.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Path inside the output folder.
    pub rel: String,
    /// Key of its inputs; `None` for generated files (compared by bytes).
    pub key: Option<Key>,
    /// What makes it.
    pub job: Job,
    /// Whether it must be made: its key changed since the previous build,
    /// or it has none, or that build did not make it.
    pub dirty: bool,
}

/// Every output file of a build.
#[derive(Debug, Default)]
pub struct Plan {
    /// The files, pages first.
    pub files: Vec<Planned>,
    /// How many of them the previous build made too.
    pub kept: usize,
    /// Things worth telling the user (a content file replacing a theme file).
    pub warnings: Vec<String>,
}

/// Where a copied file comes from, for messages.
pub struct CopySource {
    /// Path inside the output.
    pub rel: String,
    /// Its bytes.
    pub source: FileSource,
    /// How to name it to the user (`static/robots.txt`, `content/a.png`).
    pub origin: PathBuf,
    /// A content asset (which overrides static files of the same name).
    pub is_asset: bool,
}

/// What the plan needs to know about the build.
pub struct Inputs<'a> {
    /// The archive.
    pub archive: &'a Archive,
    /// Every listing page.
    pub listings: &'a [Listing],
    /// Articles per listing page.
    pub per_page: usize,
    /// Key of the configuration and templates.
    pub settings: Key,
    /// Every path inside `content/`, published or not.
    pub content: &'a HashSet<&'a str>,
    /// The previous build, for the links of unchanged articles.
    pub previous: Option<&'a Manifest>,
    /// Every page for the sitemaps; `None` without a base URL (then no
    /// feeds or sitemaps are made).
    pub sitemap_urls: Option<&'a [SitemapUrl<'a>]>,
    /// Positions of the articles for the news sitemap.
    pub news: &'a [usize],
    /// Entries per feed.
    pub feed_limit: usize,
}

/// Plan every output file and check that no two claim one path.
pub fn plan(inputs: &Inputs<'_>, copies: Vec<CopySource>) -> Result<Plan, Vec<Diagnostic>> {
    let archive = inputs.archive;
    let cards: Vec<Key> = (0..archive.entries.len()).into_par_iter().map(|i| card_key(inputs, i)).collect();

    let mut files: Vec<Planned> = (0..archive.entries.len())
        .into_par_iter()
        .map(|i| {
            let rel = archive.entries[i].page.file();
            Planned { key: Some(article_key(inputs, &cards, i, &rel)), rel, job: Job::Article(i), dirty: true }
        })
        .collect();
    files.par_extend(inputs.listings.par_iter().map(|&listing| Planned {
        rel: listing.path(archive).file(),
        key: Some(listing_key(inputs, &cards, listing)),
        job: Job::Listing(listing),
        dirty: true,
    }));
    let mut generated =
        vec![(Generated::Robots, "robots.txt".to_string()), (Generated::NotFound, "404.html".to_string())];
    if let Some(urls) = inputs.sitemap_urls {
        generated.push((Generated::SiteAtom, "feed.xml".into()));
        generated.push((Generated::SiteRss, "rss.xml".into()));
        generated.push((Generated::CorrectionsFeed, "corrections/feed.xml".into()));
        for (a, author) in archive.authors.iter().enumerate() {
            generated.push((Generated::AuthorFeed(a), format!("authors/{}/feed.xml", author.slug)));
        }
        generated.push((Generated::NewsSitemap, "news-sitemap.xml".into()));
        generated.push((Generated::Sitemap(0), "sitemap.xml".into()));
        for n in 1..sitemap::file_count(urls.len()) {
            generated.push((Generated::Sitemap(n), format!("sitemap-{n}.xml")));
        }
    }
    files.extend(generated.into_iter().map(|(g, rel)| Planned {
        key: Some(generated_key(inputs, &cards, g)),
        rel,
        job: Job::Generated(g),
        dirty: true,
    }));

    let mut plan = Plan { files, kept: 0, warnings: Vec::new() };
    add_copies(&mut plan, copies)?;
    plan.kept = mark_dirty(&mut plan.files, inputs.previous);
    // When the previous build made every one of these files, it checked
    // them: none can stand where another needs a folder.
    if inputs.previous.is_none() || plan.kept < plan.files.len() {
        check_folders(&plan)?;
    }
    Ok(plan)
}

/// Mark the files that must be made; returns how many of them the
/// previous build made too.
fn mark_dirty(files: &mut [Planned], previous: Option<&Manifest>) -> usize {
    files
        .par_iter_mut()
        .map(|f| {
            let record = previous.and_then(|m| m.outputs.get(&f.rel));
            f.dirty = match (f.key, record) {
                (Some(key), Some(record)) => record.key != Some(key),
                _ => true,
            };
            usize::from(record.is_some())
        })
        .sum()
}

/// Add copied files, checking each against what is already planned:
/// a page is never overwritten; the site's own `robots.txt` or `404.html`
/// replaces the generated one; a content asset replaces a static file of
/// the same name (with a warning).
fn add_copies(plan: &mut Plan, copies: Vec<CopySource>) -> Result<(), Vec<Diagnostic>> {
    enum Action {
        Add,
        Replace(usize),
        Keep,
        Clash,
    }
    // Decide first, against the planned paths (borrowed, not copied)…
    let actions: Vec<Action> = {
        let at: HashMap<&str, usize> = plan.files.iter().enumerate().map(|(i, f)| (f.rel.as_str(), i)).collect();
        let mut seen: HashMap<&str, bool> = HashMap::default();
        copies
            .iter()
            .map(|copy| match at.get(copy.rel.as_str()) {
                None => match seen.insert(&copy.rel, copy.is_asset) {
                    None => Action::Add,
                    // A static file and an asset of the same name: the asset wins.
                    Some(_) if copy.is_asset => Action::Add,
                    Some(_) => Action::Keep,
                },
                Some(&i) => match &plan.files[i].job {
                    Job::Generated(Generated::Robots | Generated::NotFound) => Action::Replace(i),
                    _ => Action::Clash,
                },
            })
            .collect()
    };
    // …then apply.
    let mut problems = Vec::new();
    let mut added: HashMap<String, (usize, PathBuf)> = HashMap::default();
    for (copy, action) in copies.into_iter().zip(actions) {
        let planned =
            Planned { rel: copy.rel.clone(), key: Some(copy_key(&copy)), job: Job::Copy(copy.source), dirty: true };
        match action {
            Action::Add => match added.get(&copy.rel) {
                Some((i, replaced)) => {
                    plan.warnings.push(format!("{} replaces {}", copy.origin.display(), replaced.display()));
                    plan.files[*i] = planned;
                }
                None => {
                    added.insert(copy.rel, (plan.files.len(), copy.origin));
                    plan.files.push(planned);
                }
            },
            Action::Replace(i) => plan.files[i] = planned,
            Action::Keep => {}
            Action::Clash => problems.push(Diagnostic::at(
                &copy.origin,
                0,
                0,
                format!("would overwrite {}, which Gazette generates; rename or move it", copy.rel),
            )),
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// No file may sit where another file needs a folder (`content/archive`
/// as a file would block `archive/index.html`).
fn check_folders(plan: &Plan) -> Result<(), Vec<Diagnostic>> {
    let mut folders: HashSet<&str> = HashSet::with_capacity_and_hasher(plan.files.len(), Default::default());
    for file in &plan.files {
        let mut rel = file.rel.as_str();
        while let Some((parent, _)) = rel.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            rel = parent;
        }
    }
    let problems: Vec<Diagnostic> = plan
        .files
        .iter()
        .filter(|f| folders.contains(f.rel.as_str()))
        .map(|f| {
            let origin = match &f.job {
                Job::Copy(FileSource::File(path)) => path.display().to_string(),
                _ => f.rel.clone(),
            };
            Diagnostic::at(
                Path::new(&origin),
                0,
                0,
                format!("is a file where the folder {}/ must go; rename it", f.rel),
            )
        })
        .collect();
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// What an article is: its source (path and content: all its metadata and
/// body, and where its relative links start from) and its page.
fn card_key(inputs: &Inputs<'_>, i: usize) -> Key {
    let entry = &inputs.archive.entries[i];
    let mut k = KeyBuilder::new("card");
    k.str(&entry.meta.source);
    k.key(entry.meta.stamp.hash).str(entry.page.as_str());
    k.finish()
}

/// An article page depends on its source, its neighbours' headlines and
/// URLs, and the URLs of the articles its body links to.
fn article_key(inputs: &Inputs<'_>, cards: &[Key], i: usize, rel: &str) -> Key {
    let archive = inputs.archive;
    let mut k = KeyBuilder::new("article");
    k.key(inputs.settings).key(cards[i]);
    k.key(i.checked_sub(1).map_or(0, |n| cards[n]));
    k.key(cards.get(i + 1).copied().unwrap_or(0));
    let linked = inputs.previous.and_then(|m| m.outputs.get(rel)).map(|r| r.linked.as_slice()).unwrap_or_default();
    for path in linked {
        k.str(path);
        match archive.by_source(path) {
            Some(e) => k.str(e.page.as_str()),
            None if inputs.content.contains(path.as_str()) && is_article_path(path) => k.str("unpublished"),
            None if inputs.content.contains(path.as_str()) => k.str("file"),
            None => k.str("missing"),
        };
    }
    k.finish()
}

/// A listing page depends on what it lists (the cards of its articles, in
/// order), its place in the pagination, and the counts and neighbours its
/// kind shows.
fn listing_key(inputs: &Inputs<'_>, cards: &[Key], listing: Listing) -> Key {
    let archive = inputs.archive;
    let mut k = KeyBuilder::new("listing");
    k.key(inputs.settings).str(listing.path(archive).as_str()).num(listing.page as u64);
    if let Some(articles) = archive.articles_of(listing.kind) {
        k.num(articles.len() as u64);
        for i in articles.page(listing.page, inputs.per_page) {
            k.key(cards[i]);
        }
    }
    let month_counts = |k: &mut KeyBuilder, y: usize| {
        for m in &archive.years[y].months {
            k.num(u64::from(m.month)).num(m.range.len() as u64);
        }
    };
    match listing.kind {
        ListingKind::Year(y) => {
            month_counts(&mut k, y);
            k.num(y.checked_sub(1).map_or(0, |n| archive.years[n].year as u64));
            k.num(archive.years.get(y + 1).map_or(0, |n| n.year as u64));
        }
        ListingKind::Month(y, m) => {
            for d in &archive.years[y].months[m].days {
                k.num(day_number(d.date)).num(d.range.len() as u64);
            }
            for month in [archive.newer_month(y, m), archive.older_month(y, m)] {
                let (yy, mm) = month.map_or((0, 0), |o| (o.year, o.month));
                k.num(yy as u64).num(u64::from(mm));
            }
        }
        ListingKind::Day(y, m, d) => {
            let range = &archive.years[y].months[m].days[d].range;
            let day_of = |i: usize| archive.entries.get(i).map_or(0, |e| day_number(e.meta.date.day()));
            k.num(range.start.checked_sub(1).map_or(0, day_of)).num(day_of(range.end));
        }
        ListingKind::Author(a) => {
            k.str(&archive.authors[a].name);
        }
        ListingKind::Authors => {
            for author in &archive.authors {
                k.str(&author.name).str(author.slug.as_str()).num(author.entries.len() as u64);
            }
        }
        ListingKind::Archive => {
            for (y, year) in archive.years.iter().enumerate() {
                k.num(year.year as u64).num(year.range.len() as u64);
                month_counts(&mut k, y);
            }
        }
        ListingKind::Home | ListingKind::Corrections => {}
    }
    k.finish()
}

/// A calendar day as a number for a key (days from the common era, never 0).
fn day_number(day: chrono::NaiveDate) -> u64 {
    use chrono::Datelike;
    u64::from(day.num_days_from_ce().unsigned_abs()) + 1
}

/// A generated file depends on the articles it lists: the site feed on
/// its entries' pages (full bodies, links and all), the other feeds on
/// their cards, a sitemap on its URLs and their dates.
fn generated_key(inputs: &Inputs<'_>, cards: &[Key], generated: Generated) -> Key {
    let archive = inputs.archive;
    let mut k = KeyBuilder::new("generated");
    k.key(inputs.settings).str(&format!("{generated:?}"));
    let limit = inputs.feed_limit;
    match generated {
        Generated::Robots | Generated::NotFound => {}
        Generated::SiteAtom | Generated::SiteRss => {
            for i in 0..archive.entries.len().min(limit) {
                k.key(article_key(inputs, cards, i, &archive.entries[i].page.file()));
            }
        }
        Generated::AuthorFeed(a) => {
            k.str(&archive.authors[a].name);
            for &i in archive.authors[a].entries.iter().take(limit) {
                k.key(cards[i]);
            }
        }
        Generated::CorrectionsFeed => {
            if archive.corrected.is_empty() {
                // Its `updated` is then the archive's newest change.
                k.str(&crate::render::feeds::newest_change(archive).to_rfc3339());
            }
            for &i in archive.corrected.iter().take(limit) {
                k.key(cards[i]);
            }
        }
        Generated::NewsSitemap => {
            for &i in inputs.news {
                k.key(cards[i]);
            }
        }
        Generated::Sitemap(n) => {
            let urls = inputs.sitemap_urls.unwrap_or_default();
            let chunk: &[SitemapUrl<'_>] = match (n, urls.len() > sitemap::MAX_URLS) {
                (_, false) => urls,
                (0, true) => &[],
                (n, true) => urls.chunks(sitemap::MAX_URLS).nth(n - 1).unwrap_or_default(),
            };
            k.num(urls.len() as u64);
            if n == 0 && urls.len() > sitemap::MAX_URLS {
                for chunk in urls.chunks(sitemap::MAX_URLS) {
                    k.str(&format!("{:?}", chunk.iter().filter_map(|u| u.lastmod).max()));
                }
            }
            for url in chunk {
                k.str(&url.path);
                k.num(url.lastmod.map_or(0, |d| d.timestamp() as u64));
                k.num(url.lastmod.map_or(0, |d| d.offset().local_minus_utc() as u64));
            }
        }
    }
    k.finish()
}

/// A copied file changes when its content does: the embedded bytes, or a
/// file's size and modification time.
fn copy_key(copy: &CopySource) -> Key {
    let mut k = KeyBuilder::new("copy");
    match &copy.source {
        FileSource::Embedded(bytes) => {
            k.bytes(bytes);
        }
        FileSource::File(path) => {
            k.str(&path.to_string_lossy());
            if let Ok(metadata) = std::fs::metadata(path) {
                k.num(metadata.len()).bytes(&crate::state::mtime_ns(&metadata).to_le_bytes());
            }
        }
    }
    k.finish()
}
