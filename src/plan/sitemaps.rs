//! Sitemaps, planned: every page with its last change, in files that an
//! edit leaves alone unless it changes one of their pages; and the recent
//! articles for the Google News sitemap.
//!
//! Part of the plan phase. Input: the archive and its listing pages.
//! Output: [`Sitemaps`], the files of the `sitemap.xml` index and the URLs
//! each lists (each file's URLs are its inputs). The index gives no
//! `lastmod`: what it means there (when the file last changed) is not
//! the newest change of its pages (a file gains a tag page for an old
//! story), and a wrong one tells a crawler to skip a file that changed.
//!
//! A page's file depends only on the page: an article and the date lists
//! go in their year's file (`sitemap-2024.xml`); the home page's pages and
//! the site-wide lists in `sitemap-pages.xml`; a topic's pages (author,
//! section, tag, place, running story, calendar day) in a file of their
//! kind, spread by a hash of the topic's slug over as many files as
//! keep each near [`PER_BUCKET`] URLs (`sitemap-tags-3.xml`). So an edit
//! that adds a tag rewrites that tag's file, not every file after it; the
//! files of a kind are dealt again only when its pages double. A file past
//! the protocol's 50,000 URLs is cut into parts (`sitemap-2024-part-2.xml`),
//! oldest articles first, so new stories change only the last part.

use rayon::prelude::*;
use std::borrow::Cow;
use std::ops::Range;

use chrono::{DateTime, Datelike, FixedOffset};

use super::inputs::SitemapInputs;
use crate::archive::{Archive, Listing, ListingKind};

/// The sitemaps.org limit of URLs in one sitemap file.
pub const MAX_URLS: usize = 50_000;

/// About how many URLs a topic kind's files hold each, once it needs more
/// than one.
pub const PER_BUCKET: usize = 2_000;

/// A page to list.
#[derive(Debug, Clone)]
pub struct SitemapUrl<'a> {
    /// The page's folder in the output (its URL is the base URL plus this).
    pub path: Cow<'a, str>,
    /// Last modification (update or publication date), if known.
    pub lastmod: Option<DateTime<FixedOffset>>,
}

/// Which file a page goes in, before a kind's pages are dealt over files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Group {
    /// The home page's pages and the lists of the whole site.
    Pages,
    /// A year's articles and date lists.
    Year(i32),
    /// The pages of a kind of topic (`tags`), with a hash of the topic's
    /// slug.
    Topic(&'static str, u64),
}

/// One sitemap file: its name in the output and its URLs.
#[derive(Debug, Clone)]
pub struct SitemapFile {
    /// `sitemap-2024.xml`
    pub name: String,
    urls: Range<usize>,
}

/// Every page of the site, file by file, for the `sitemap.xml` index.
#[derive(Debug, Default)]
pub struct Sitemaps<'a> {
    urls: Vec<SitemapUrl<'a>>,
    files: Vec<SitemapFile>,
}

impl<'a> Sitemaps<'a> {
    /// Every page of the site with its last modification: articles
    /// (updated or published) and every listing page (the newest change
    /// among the articles it shows; the site-wide lists take the newest of
    /// all), in their files.
    pub fn of(archive: &'a Archive, listings: &[Listing]) -> Self {
        let changed = |i: usize| {
            let meta = &archive.entries[i].meta;
            meta.modified().unwrap_or(meta.date).at
        };
        let newest_of_all = (0..archive.entries.len()).into_par_iter().map(changed).max();
        // The articles oldest first, then the lists: a year's new story
        // joins the end of its articles, and only the year's last parts
        // (its articles' end, its date lists) change.
        let mut urls: Vec<(Group, SitemapUrl)> = (0..archive.entries.len())
            .into_par_iter()
            .rev()
            .map(|i| {
                let entry = &archive.entries[i];
                let url = SitemapUrl { path: Cow::Borrowed(entry.page.as_str()), lastmod: Some(changed(i)) };
                (Group::Year(entry.meta.date.day().year()), url)
            })
            .collect();
        urls.par_extend(listings.par_iter().map(|listing| {
            let lastmod = match archive.articles_of(listing.kind) {
                Some(articles) => articles.page(listing.page).into_iter().map(changed).max(),
                None => newest_of_all,
            };
            let path = Cow::Owned(listing.path(archive).into_string());
            (group_of(listing.kind, archive), SitemapUrl { path, lastmod })
        }));
        Self::filed(urls)
    }

    /// The URLs of each group in files: a kind's topics dealt over
    /// buckets, each group cut into parts of at most [`MAX_URLS`].
    fn filed(mut urls: Vec<(Group, SitemapUrl<'a>)>) -> Self {
        let mut per_kind: Vec<(&str, usize)> = Vec::new();
        for (group, _) in &urls {
            if let Group::Topic(kind, _) = group {
                match per_kind.iter_mut().find(|(k, _)| k == kind) {
                    Some((_, n)) => *n += 1,
                    None => per_kind.push((kind, 1)),
                }
            }
        }
        let buckets = |kind: &str| {
            let n = per_kind.iter().find(|(k, _)| *k == kind).map_or(0, |&(_, n)| n);
            n.div_ceil(PER_BUCKET).max(1).next_power_of_two() as u64
        };
        for (group, _) in &mut urls {
            if let Group::Topic(kind, hash) = group {
                *hash %= buckets(kind);
            }
        }
        // Stable: each file keeps the order its URLs came in.
        urls.par_sort_by_key(|(group, _)| *group);
        let mut files = Vec::new();
        let mut start = 0;
        while start < urls.len() {
            let group = urls[start].0;
            let end = start + urls[start..].iter().take_while(|(g, _)| *g == group).count();
            for (part, first) in (start..end).step_by(MAX_URLS).enumerate() {
                let name = file_name(group, buckets, part);
                files.push(SitemapFile { name, urls: first..end.min(first + MAX_URLS) });
            }
            start = end;
        }
        Sitemaps { urls: urls.into_iter().map(|(_, url)| url).collect(), files }
    }

    /// The sitemap files, in the order the index lists them.
    pub fn files(&self) -> &[SitemapFile] {
        &self.files
    }

    /// The inputs of file `n`: 0 for the `sitemap.xml` index, then
    /// `files()[n - 1]`.
    pub fn inputs(&self, n: usize) -> SitemapInputs<'_> {
        if n == 0 {
            return SitemapInputs { urls: &[], index: self.files.iter().map(|file| file.name.as_str()).collect() };
        }
        let urls = self.files.get(n - 1).map_or(&[][..], |file| &self.urls[file.urls.clone()]);
        SitemapInputs { urls, index: Vec::new() }
    }
}

/// The group of a listing's pages: a topic's by a hash of its slug (or
/// its calendar day), which is its address in its kind's folder.
fn group_of(kind: ListingKind, archive: &Archive) -> Group {
    let topic = |name, slug: &str| Group::Topic(name, xxhash_rust::xxh3::xxh3_64(slug.as_bytes()));
    let discovery = &archive.discovery;
    match kind {
        ListingKind::Year(y) | ListingKind::Month(y, _) => Group::Year(archive.years[y].year),
        ListingKind::Day(y, ..) => Group::Year(archive.years[y as usize].year),
        ListingKind::Author(a) => topic("authors", archive.authors[a].slug.as_str()),
        ListingKind::Topic(kind, n) => topic(kind.plural(), discovery.of(kind)[n].slug.as_str()),
        ListingKind::Story(n) => topic("stories", discovery.stories[n].slug.as_str()),
        ListingKind::OnThisDay(n) => {
            let day = &discovery.calendar[n];
            topic("on-this-day", &format!("{:02}-{:02}", day.month, day.day))
        }
        ListingKind::Home
        | ListingKind::Authors
        | ListingKind::Archive
        | ListingKind::Corrections
        | ListingKind::Topics(_)
        | ListingKind::Stories => Group::Pages,
    }
}

/// The file name of a group's part (`part` from 0).
fn file_name(group: Group, buckets: impl Fn(&str) -> u64, part: usize) -> String {
    let group = match group {
        Group::Pages => "pages".to_string(),
        Group::Year(year) => year.to_string(),
        Group::Topic(kind, bucket) if buckets(kind) > 1 => format!("{kind}-{}", bucket + 1),
        Group::Topic(kind, _) => kind.to_string(),
    };
    match part {
        0 => format!("sitemap-{group}.xml"),
        _ => format!("sitemap-{group}-part-{}.xml", part + 1),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: String) -> SitemapUrl<'static> {
        SitemapUrl { path: Cow::Owned(path), lastmod: None }
    }

    fn names(sitemaps: &Sitemaps<'_>) -> Vec<String> {
        sitemaps.files().iter().map(|f| f.name.clone()).collect()
    }

    #[test]
    fn pages_go_in_their_years_file_or_their_kinds() {
        let tag = |slug: &str| Group::Topic("tags", xxhash_rust::xxh3::xxh3_64(slug.as_bytes()));
        let urls = vec![
            (Group::Year(2024), url("2024/".into())),
            (Group::Pages, url("page/1/".into())),
            (tag("harbour"), url("tags/harbour/".into())),
            (Group::Year(2023), url("2023/".into())),
            (Group::Year(2024), url("2024/01/02/quay/".into())),
        ];
        let sitemaps = Sitemaps::filed(urls);
        assert_eq!(names(&sitemaps), ["sitemap-pages.xml", "sitemap-2023.xml", "sitemap-2024.xml", "sitemap-tags.xml"]);
        let paths = |n| sitemaps.inputs(n).urls.iter().map(|u| u.path.to_string()).collect::<Vec<_>>();
        assert_eq!(paths(3), ["2024/", "2024/01/02/quay/"]);
        assert_eq!(sitemaps.inputs(0).index, names(&sitemaps));
    }

    /// The property the layout is for: a new tag's pages change one file,
    /// and every other file keeps its URLs.
    #[test]
    fn a_new_topic_changes_only_its_own_file() {
        let tags = |n: usize| -> Vec<(Group, SitemapUrl<'static>)> {
            (0..n)
                .map(|t| {
                    let path = format!("tags/t{t}/");
                    (Group::Topic("tags", xxhash_rust::xxh3::xxh3_64(path.as_bytes())), url(path))
                })
                .collect()
        };
        let contents = |sitemaps: &Sitemaps<'_>| -> Vec<(String, Vec<String>)> {
            let files = sitemaps.files().iter().enumerate();
            files
                .map(|(n, f)| {
                    (f.name.clone(), sitemaps.inputs(n + 1).urls.iter().map(|u| u.path.to_string()).collect())
                })
                .collect()
        };
        let before = contents(&Sitemaps::filed(tags(5_000)));
        let after = contents(&Sitemaps::filed(tags(5_001)));
        assert_eq!(before.len(), 4, "5,000 tag pages in files of about {PER_BUCKET}");
        let changed: Vec<&String> = after.iter().filter(|file| !before.contains(file)).map(|(name, _)| name).collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        assert!(after.iter().all(|(_, urls)| urls.len() > 900 && urls.len() < 1_600), "evenly dealt");
    }

    #[test]
    fn a_file_past_the_protocols_limit_is_cut_into_parts() {
        let urls = (0..MAX_URLS + 1).map(|n| (Group::Year(2024), url(format!("2024/a{n}/")))).collect();
        let sitemaps = Sitemaps::filed(urls);
        assert_eq!(names(&sitemaps), ["sitemap-2024.xml", "sitemap-2024-part-2.xml"]);
        assert_eq!(sitemaps.inputs(1).urls.len(), MAX_URLS);
        assert_eq!(sitemaps.inputs(2).urls[0].path, "2024/a50000/");
    }
}
