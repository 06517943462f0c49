//! Making the planned files: render each from its inputs, then stage it.
//!
//! Input: the plan's dirty files, their inputs, the theme and the output
//! being written. Output: for each file, a [`Made`] record (its hash, what
//! its body links to, its broken links placed in its source), the bytes
//! already staged in the output's staging folder (none held in memory);
//! and, under `--keep-going`, the pages a template failed on.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::site::Site;
use crate::config::{self, Config, SitePaths};
use crate::error::{Diagnostic, Error, Result};
use crate::keys::{self, Key};
use crate::load::{self, LoadOptions, Source};
use crate::markdown::BrokenRef;
use crate::photos::{self, Catalog};
use crate::plan::inputs::{Card, FeedInputs, FeedKind, Links};
use crate::plan::{Inputs, Job, PageInputs, Planned};
use crate::render::{Renderer, feeds, redirects, sitemap};
use crate::state::{BrokenLink, OutputRecord};
use crate::write::Output;

use super::FailedPage;

/// A made file: the hash of its bytes (none for a copy, written from its
/// source), and for an article page what its body links to.
pub struct Made {
    /// The hash of its bytes.
    pub hash: Option<Key>,
    /// Content paths of the articles its body links to.
    pub linked: Vec<String>,
    /// Its body's links that lead nowhere.
    pub broken: Vec<BrokenLink>,
    /// Whether it went to the output (its bytes differ from what is there).
    pub written: bool,
}

/// What making the plan's dirty files gave.
pub struct MadeFiles<'p> {
    /// Each file made (the search index's first, then the rest in plan order).
    pub files: Vec<(&'p Planned, Made)>,
    /// Pages left out under `--keep-going`.
    pub failed: Vec<FailedPage>,
}

impl<'a> Maker<'a> {
    /// A maker of this site's files from these inputs; `by_rel` finds the
    /// source of each article whose page is made.
    pub fn new(
        inputs: &'a Inputs<'a>,
        renderer: &'a Renderer<'a>,
        site: &'a Site,
        photos: &'a Catalog,
        by_rel: HashMap<&'a str, &'a Source>,
    ) -> Self {
        Maker {
            inputs,
            renderer,
            config: &site.config,
            paths: &site.paths,
            load_options: &site.load_options,
            by_rel,
            photos,
        }
    }
}

impl<'p> MadeFiles<'p> {
    /// Add the files of another batch after these.
    pub fn append(&mut self, mut other: MadeFiles<'p>) {
        self.files.append(&mut other.files);
        self.failed.append(&mut other.failed);
    }
}

/// Everything files are made from.
pub struct Maker<'a> {
    /// Each file's inputs.
    pub inputs: &'a Inputs<'a>,
    /// The theme, ready to render.
    pub renderer: &'a Renderer<'a>,
    /// The configuration.
    pub config: &'a Config,
    /// The site's folders (to name files in messages).
    pub paths: &'a SitePaths,
    /// How articles are read.
    pub load_options: &'a LoadOptions,
    /// Article sources by their path inside `content/`.
    pub by_rel: HashMap<&'a str, &'a Source>,
    /// The photos of `content/`.
    pub photos: &'a Catalog,
}

/// Make every file of `todo` into the output's staging folder, on every
/// core. A file whose bytes the output already holds (by `old`'s records)
/// is not written again. Under `keep_going` a page that fails on bad input
/// (a template that breaks on one article) is left out and reported; any
/// other failure fails the whole.
pub fn make_all<'p>(
    maker: &Maker<'_>,
    todo: Vec<&'p Planned>,
    output: &Output,
    old: Option<&HashMap<String, OutputRecord>>,
    keep_going: bool,
    progress: Option<fn(usize, usize)>,
) -> Result<MadeFiles<'p>> {
    output.prepare_folders(todo.iter().map(|f| f.rel.as_str()))?;
    let (photos, todo): (Vec<&Planned>, Vec<&Planned>) =
        todo.into_iter().partition(|f| matches!(f.job, Job::Photo(..)));
    let photos = make_photos(maker, photos, output, old);
    let site_feed = OnceLock::new();
    let done = AtomicUsize::new(0);
    let total = todo.len();
    let results: Vec<Result<Made>> = todo
        .par_iter()
        .map(|file| {
            let made = stage(maker, &site_feed, file, output, old);
            if let Some(report) = progress {
                report(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            }
            made
        })
        .collect();
    let mut made = MadeFiles { files: Vec::with_capacity(total + photos.len()), failed: Vec::new() };
    let mut errors = Vec::new();
    for (file, result) in todo.into_iter().zip(results).chain(photos) {
        match result {
            Ok(m) => made.files.push((file, m)),
            Err(Error::Input(list)) if keep_going => {
                output.discard(&file.rel)?;
                made.failed.push(FailedPage { file: file.rel.clone(), errors: list });
            }
            Err(Error::Input(list)) => errors.extend(list),
            Err(other) => return Err(other),
        }
    }
    if errors.is_empty() { Ok(made) } else { Err(Error::Input(errors)) }
}

/// Make the dirty variants of photos, each photo decoded once, photos in
/// parallel (so a few decoded photos are in memory at a time: one per
/// core). A photo that fails fails its first variant with the reason (the
/// others with no message of their own).
fn make_photos<'p>(
    maker: &Maker<'_>,
    files: Vec<&'p Planned>,
    output: &Output,
    old: Option<&HashMap<String, OutputRecord>>,
) -> Vec<(&'p Planned, Result<Made>)> {
    let mut groups: std::collections::BTreeMap<&str, Vec<(&'p Planned, usize)>> = Default::default();
    for file in files {
        if let Job::Photo(photo, i) = &file.job {
            groups.entry(photo.rel.as_str()).or_default().push((file, *i));
        }
    }
    groups
        .into_par_iter()
        .flat_map_iter(|(_, mut files)| {
            files.sort_by_key(|(_, i)| *i);
            let made = make_photo(maker, &files, output, old);
            let results: Vec<Result<Made>> = match made {
                Ok(list) => list,
                Err(problem) => std::iter::once(Err(Error::Input(vec![problem])))
                    .chain(files.iter().skip(1).map(|_| Err(Error::Input(Vec::new()))))
                    .collect(),
            };
            files.into_iter().map(|(f, _)| f).zip(results).collect::<Vec<_>>()
        })
        .collect()
}

/// The variants `files` of one photo, staged.
fn make_photo(
    maker: &Maker<'_>,
    files: &[(&Planned, usize)],
    output: &Output,
    old: Option<&HashMap<String, OutputRecord>>,
) -> std::result::Result<Vec<Result<Made>>, Diagnostic> {
    let Some((Job::Photo(photo, _), _)) = files.first().map(|(f, i)| (&f.job, i)) else { return Ok(Vec::new()) };
    let path = maker.photos.path_of(&photo.rel).unwrap_or(std::path::Path::new(&photo.rel));
    let shown = maker.paths.display(path);
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::at(&shown, 0, 0, e.to_string()))?;
    let wanted: Vec<&crate::photos::Variant> = files.iter().map(|(_, i)| &photo.variants[*i]).collect();
    let encoded = photos::encode(photo, &bytes, &wanted, maker.config.images.quality)
        .map_err(|reason| Diagnostic::at(&shown, 0, 0, reason))?;
    Ok(files
        .iter()
        .zip(encoded)
        .map(|((file, _), bytes)| {
            let hash = keys::of_bytes(&bytes);
            let written = old.and_then(|o| o.get(&file.rel)).map(|r| r.hash) != Some(hash);
            if written {
                output.file(&file.rel, &bytes)?;
            }
            Ok(Made { hash: Some(hash), linked: Vec::new(), broken: Vec::new(), written })
        })
        .collect())
}

/// Make one file and stage it, unless the output holds those bytes already.
fn stage(
    maker: &Maker<'_>,
    site_feed: &OnceLock<feeds::Feed>,
    file: &Planned,
    output: &Output,
    old: Option<&HashMap<String, OutputRecord>>,
) -> Result<Made> {
    if let Job::Copy(source) = &file.job {
        output.copy(&file.rel, source)?;
        return Ok(Made { hash: None, linked: Vec::new(), broken: Vec::new(), written: true });
    }
    let page =
        maker.inputs.of(&file.job).ok_or_else(|| Error::Site(format!("{}: nothing makes this file", file.rel)))?;
    let (bytes, linked, broken) = maker.make(&page, site_feed)?;
    let hash = keys::of_bytes(&bytes);
    let written = old.and_then(|o| o.get(&file.rel)).map(|r| r.hash) != Some(hash);
    if written {
        output.file(&file.rel, &bytes)?;
    }
    Ok(Made { hash: Some(hash), linked, broken, written })
}

impl Maker<'_> {
    /// A file's bytes, from its inputs; for an article page also what its
    /// body links to and its broken links.
    fn make(
        &self,
        page: &PageInputs<'_>,
        site_feed: &OnceLock<feeds::Feed>,
    ) -> Result<(Vec<u8>, Vec<String>, Vec<BrokenLink>)> {
        let base = self.config.base_url.as_ref();
        let needs_base = || base.ok_or_else(|| Error::Site("feeds and sitemaps need a base URL".into()));
        let bytes = match page {
            PageInputs::Article(article) => {
                let body = self.read(article.card).map_err(Error::Input)?;
                let made = self.renderer.article(article, &body)?;
                let broken = self.place(article.card, &body, made.broken);
                return Ok((made.page.html, made.linked, broken));
            }
            PageInputs::Listing(listing) => self.renderer.listing(listing)?.html,
            PageInputs::NotFound => self.renderer.not_found()?,
            PageInputs::SearchPage => self.renderer.search_page(crate::plan::SEARCH_SCRIPT)?,
            PageInputs::Bytes(bytes) => bytes.to_vec(),
            PageInputs::SearchChunk(chunk) => match self.inputs.search() {
                Some(index) => index.chunk_file(self.inputs.archive(), chunk),
                None => Vec::new(),
            },
            PageInputs::Robots => sitemap::robots(base).into_bytes(),
            PageInputs::Redirect(redirect) => redirects::page(redirect, base, &self.config.language),
            PageInputs::Redirects(lines) => redirects::netlify(lines, needs_base()?),
            PageInputs::Feed(feed) => self.feed(feed, needs_base()?, site_feed),
            PageInputs::Sitemap(files) => sitemap::sitemap(files, needs_base()?),
            PageInputs::News(cards) => {
                let news = sitemap::news_urls(cards, needs_base()?);
                sitemap::news_sitemap(&news, &self.config.publisher_name, &self.config.language)
            }
        };
        Ok((bytes, Vec::new(), Vec::new()))
    }

    /// An article's broken links, each placed where its source writes it:
    /// from where the Markdown parser met it, or (for a link in raw HTML,
    /// which the sanitizer resolves as a whole) where the body first
    /// writes its URL.
    fn place(&self, card: Card<'_>, body: &load::Body, broken: Vec<BrokenRef>) -> Vec<BrokenLink> {
        let file = format!("content/{}", card.entry.meta.source);
        broken
            .into_iter()
            .map(|b| {
                let offset = b.offset.or_else(|| body.text().find(b.url.as_str()));
                let (line, col) = offset.map_or(card.entry.meta.places.body.pair(), |o| body.place(o));
                BrokenLink::new(&file, (line, col), b)
            })
            .collect()
    }

    /// Read an article's body again.
    fn read(&self, card: Card<'_>) -> std::result::Result<load::Body, Vec<Diagnostic>> {
        let source = self.by_rel[card.entry.meta.source.as_str()];
        load::read_body(source, &self.paths.display(&source.path), self.load_options)
    }

    /// A feed's XML. The site's feed is made once for both its formats.
    fn feed(&self, inputs: &FeedInputs<'_>, base: &config::BaseUrl, site_feed: &OnceLock<feeds::Feed>) -> Vec<u8> {
        let body = |card: Card<'_>, links: &Links<'_>| {
            Some(self.renderer.body_html(card, links, &self.read(card).ok()?, true).ok()?.html)
        };
        let FeedKind::Site { rss } = inputs.feed else {
            return feeds::feed(inputs, self.config, base, &body).to_atom().into_bytes();
        };
        let feed = site_feed.get_or_init(|| feeds::feed(inputs, self.config, base, &body));
        let self_url = base.join(if rss { "rss.xml" } else { "feed.xml" });
        let feed = feeds::Feed { self_url, ..feed.clone() };
        if rss { feed.to_rss() } else { feed.to_atom() }.into_bytes()
    }
}
