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

pub mod inputs;
pub mod redirects;
pub mod related;
pub mod search;
pub mod sitemaps;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::archive::Listing;
use crate::config::TopicKind;
use crate::error::Diagnostic;
use crate::keys::{Key, KeyBuilder};
use crate::state::Manifest;
use crate::urls::pages;
use crate::write::FileSource;
pub use inputs::{Generated, Inputs, PageInputs};

/// The search script's file name, in the search page's folder.
pub const SEARCH_SCRIPT: &str = "search.js";

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
    /// Redirect page `r` of [`Inputs::redirects`].
    Redirect(usize),
    /// Variant `.1` of a photo (see [`crate::photos`]).
    Photo(std::sync::Arc<crate::photos::Photo>, usize),
}

/// One output file.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Path inside the output folder.
    pub rel: String,
    /// Key of its inputs (the hash of its [`PageInputs`], or of a copy's source).
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

/// Plan every output file, each keyed by its inputs, and check that no
/// two claim one path. `previous` is the build whose records tell which
/// files are unchanged (one with the same settings).
pub fn plan(
    inputs: &Inputs<'_>,
    listings: &[Listing],
    copies: Vec<CopySource>,
    photos: &crate::photos::Catalog,
    previous: Option<&Manifest>,
) -> Result<Plan, Vec<Diagnostic>> {
    let archive = inputs.archive();
    let keyed = |job: Job, rel: String| {
        let key = inputs.of(&job).map(|page| inputs.key(&page));
        Planned { rel, key, job, dirty: true }
    };
    let mut files: Vec<Planned> = (0..archive.entries.len())
        .into_par_iter()
        .map(|i| keyed(Job::Article(i), archive.entries[i].page.file()))
        .collect();
    files.par_extend(listings.par_iter().map(|&listing| keyed(Job::Listing(listing), listing.path(archive).file())));
    files.par_extend(generated(inputs).into_par_iter().map(|(g, rel)| keyed(Job::Generated(g), rel)));

    files.extend(photo_files(photos));
    let mut plan = Plan { files, kept: 0 };
    let mut problems = add_copies(&mut plan, copies).err().unwrap_or_default();
    problems.extend(redirects::add(&mut plan, inputs));
    if !problems.is_empty() {
        return Err(problems);
    }
    plan.kept = mark_dirty(&mut plan.files, previous);
    // When the previous build made every one of these files, it checked
    // them: none can stand where another needs a folder.
    if previous.is_none() || plan.kept < plan.files.len() {
        check_folders(&plan)?;
    }
    Ok(plan)
}

/// The files generated from the archive as a whole, with their paths:
/// feeds and sitemaps only with a base URL.
fn generated(inputs: &Inputs<'_>) -> Vec<(Generated, String)> {
    let mut generated =
        vec![(Generated::Robots, "robots.txt".to_string()), (Generated::NotFound, "404.html".to_string())];
    if let Some(sitemaps) = inputs.sitemaps() {
        generated.push((Generated::SiteAtom, "feed.xml".into()));
        generated.push((Generated::SiteRss, "rss.xml".into()));
        generated.push((Generated::CorrectionsFeed, "corrections/feed.xml".into()));
        for (a, author) in inputs.archive().authors.iter().enumerate() {
            generated.push((Generated::AuthorFeed(a), format!("authors/{}/feed.xml", author.slug)));
        }
        for kind in [TopicKind::Section, TopicKind::Tag].into_iter().filter(|&k| inputs.indexes().has(k)) {
            for (n, topic) in inputs.archive().discovery.of(kind).iter().enumerate() {
                generated.push((Generated::TopicFeed(kind, n), format!("{}/{}/feed.xml", kind.plural(), topic.slug)));
            }
        }
        generated.push((Generated::NewsSitemap, "news-sitemap.xml".into()));
        if !inputs.redirects().pages.is_empty() {
            generated.push((Generated::Redirects, "_redirects".into()));
        }
        generated.push((Generated::Sitemap(0), "sitemap.xml".into()));
        let files = sitemaps.files().iter().enumerate();
        generated.extend(files.map(|(n, file)| (Generated::Sitemap(n + 1), file.name.clone())));
    }
    if let Some(index) = inputs.search() {
        generated.push((Generated::SearchPage, pages::search().file()));
        generated.push((Generated::SearchScript, format!("{}{SEARCH_SCRIPT}", pages::search().as_str())));
        generated.extend(index.files.iter().enumerate().map(|(i, f)| (Generated::SearchIndex(i), f.path.clone())));
        generated.extend(index.chunks.iter().enumerate().map(|(n, c)| (Generated::SearchChunk(n), c.path())));
    }
    generated
}

/// Every variant of every photo, keyed by the photo's content and the
/// image settings. A kept original with its metadata is copied as it is.
fn photo_files(photos: &crate::photos::Catalog) -> Vec<Planned> {
    let mut files = Vec::new();
    for photo in photos.all() {
        for (i, variant) in photo.variants.iter().enumerate() {
            let job = match photos.path_of(&photo.rel) {
                Some(path) if photo.copied && variant.rel == photo.rel => Job::Copy(FileSource::File(path.into())),
                _ => Job::Photo(photo.clone(), i),
            };
            files.push(Planned {
                rel: variant.rel.clone(),
                key: Some(photo.variant_key(&variant.rel)),
                job,
                dirty: true,
            });
        }
    }
    files
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

/// Add copied files, checking each against what is already planned. A
/// site's (or theme's) `static/robots.txt` or `static/404.html` replaces
/// the generated one. A file in `content/` may not stand where Gazette
/// writes anything else — a page, a generated file, a static file of the
/// theme or the site (pages link stylesheets and scripts by a name hashed
/// from those) — and neither may a static file where a page goes.
fn add_copies(plan: &mut Plan, copies: Vec<CopySource>) -> Result<(), Vec<Diagnostic>> {
    enum Action {
        Add,
        Replace(usize),
        Clash(String),
    }
    // Decide first, against the planned paths (borrowed, not copied)…
    let actions: Vec<Action> = {
        // Where the copies' paths are planned: the plan looked through for
        // the copies (a few), rather than a table made of every path in it.
        let wanted: HashSet<&str> = copies.iter().map(|c| c.rel.as_str()).collect();
        let at: HashMap<&str, usize> = plan
            .files
            .par_iter()
            .enumerate()
            .filter(|(_, f)| wanted.contains(f.rel.as_str()))
            .map(|(i, f)| (f.rel.as_str(), i))
            .collect();
        let mut seen: HashMap<&str, &CopySource> = HashMap::default();
        copies
            .iter()
            .map(|copy| match at.get(copy.rel.as_str()) {
                Some(&i) => match &plan.files[i].job {
                    Job::Generated(Generated::Robots | Generated::NotFound | Generated::Redirects)
                        if !copy.is_asset =>
                    {
                        Action::Replace(i)
                    }
                    Job::Generated(Generated::Robots | Generated::NotFound | Generated::Redirects) => Action::Clash(
                        format!("would overwrite {}, which Gazette generates; your own goes in static/", copy.rel),
                    ),
                    _ => Action::Clash(format!(
                        "would overwrite {}, which Gazette generates; rename or move it",
                        copy.rel
                    )),
                },
                // (Static files come first, one per path: the second is a
                // content file.)
                None => match seen.insert(&copy.rel, copy) {
                    None => Action::Add,
                    Some(first) => Action::Clash(format!(
                        "would replace {}; files that replace the theme's go in static/",
                        first.origin.display()
                    )),
                },
            })
            .collect()
    };
    // …then apply.
    let mut problems = Vec::new();
    for (copy, action) in copies.into_iter().zip(actions) {
        let planned =
            Planned { rel: copy.rel.clone(), key: Some(copy_key(&copy)), job: Job::Copy(copy.source), dirty: true };
        match action {
            Action::Add => plan.files.push(planned),
            Action::Replace(i) => plan.files[i] = planned,
            Action::Clash(message) => problems.push(Diagnostic::at(&copy.origin, 0, 0, message)),
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
                k.num(metadata.len()).bytes(&crate::fsx::mtime_ns(&metadata).to_le_bytes());
            }
        }
    }
    k.finish()
}
