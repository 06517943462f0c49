//! Sitemaps, planned: every page with its last change, split into files
//! of at most 50,000 URLs (past that, an index and numbered sitemaps), and
//! the recent articles for the Google News sitemap.
//!
//! Part of the plan phase. Input: the archive and its listing pages.
//! Output: the URL lists whose chunks are the sitemap files' inputs.

use rayon::prelude::*;
use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};

use super::inputs::{Moment, SitemapInputs};
use crate::archive::{Archive, Listing};

/// The sitemaps.org limit of URLs in one sitemap file.
pub const MAX_URLS: usize = 50_000;
/// A page to list.
#[derive(Debug, Clone)]
pub struct SitemapUrl<'a> {
    /// The page's folder in the output (its URL is the base URL plus this).
    pub path: Cow<'a, str>,
    /// Last modification (update or publication date), if known.
    pub lastmod: Option<DateTime<FixedOffset>>,
}

/// How many sitemap files `urls` URLs need: one, or past
/// [`MAX_URLS`] the index plus one per chunk.
pub fn file_count(urls: usize) -> usize {
    if urls <= MAX_URLS { 1 } else { 1 + urls.div_ceil(MAX_URLS) }
}

/// The inputs of sitemap file `n` (0 for `sitemap.xml`; see [`file_count`]).
pub fn file_inputs<'a>(urls: &'a [SitemapUrl<'a>], n: usize) -> SitemapInputs<'a> {
    if urls.len() <= MAX_URLS {
        return SitemapInputs { urls, index: Vec::new() };
    }
    if n == 0 {
        let newest = |chunk: &[SitemapUrl<'_>]| chunk.iter().filter_map(|u| u.lastmod).max().map(Moment);
        return SitemapInputs { urls: &[], index: urls.chunks(MAX_URLS).map(newest).collect() };
    }
    SitemapInputs { urls: urls.chunks(MAX_URLS).nth(n - 1).unwrap_or_default(), index: Vec::new() }
}

/// Every page of the site with its last modification: articles (updated
/// or published) and every listing page (the newest change among the
/// articles it shows; the archive and author lists take the newest of all).
pub fn site_urls<'a>(archive: &'a Archive, listings: &[Listing]) -> Vec<SitemapUrl<'a>> {
    let changed = |i: usize| {
        let meta = &archive.entries[i].meta;
        meta.modified().unwrap_or(meta.date).at
    };
    let newest_of_all = (0..archive.entries.len()).into_par_iter().map(changed).max();
    let mut urls: Vec<SitemapUrl> = listings
        .par_iter()
        .map(|listing| {
            let lastmod = match archive.articles_of(listing.kind) {
                Some(articles) => articles.page(listing.page).into_iter().map(changed).max(),
                None => newest_of_all,
            };
            SitemapUrl { path: Cow::Owned(listing.path(archive).into_string()), lastmod }
        })
        .collect();
    urls.par_extend(
        archive
            .entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| SitemapUrl { path: Cow::Borrowed(e.page.as_str()), lastmod: Some(changed(i)) }),
    );
    urls
}

/// Positions of the articles published in the two days before `now`,
/// newest first.
pub fn recent(archive: &Archive, now: DateTime<FixedOffset>) -> Vec<usize> {
    let days_before = |n| now.checked_sub_signed(chrono::Duration::days(n)).unwrap_or(now);
    let since = days_before(2);
    // Entries are sorted by calendar day; a day's articles may sit up to a
    // day either side of their instant, so stop a day past the window.
    let last_day = days_before(3).date_naive();
    let mut recent: Vec<usize> = (0..archive.entries.len())
        .take_while(|&i| archive.entries[i].meta.date.day() >= last_day)
        .filter(|&i| archive.entries[i].meta.date.at > since && archive.entries[i].meta.date.at <= now)
        .collect();
    recent.sort_by_key(|&i| std::cmp::Reverse(archive.entries[i].meta.date.at));
    recent
}
