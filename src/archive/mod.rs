//! Archive phase: article metadata in, the indexes of the archive out.
//!
//! Input: the metadata of every article to publish. Output: an [`Archive`]
//! holding the articles newest first, each with its page, and the indexes
//! over them: years → months → days, and authors. Because the articles are
//! sorted by their calendar day as written (then by time), every year,
//! month and day is a contiguous range of that list: indexes are ranges and
//! positions, never copies of articles.

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

pub mod discovery;
pub mod paging;
pub use discovery::Discovery;
pub use paging::{ListPage, PagePlace};

use chrono::{Datelike, NaiveDate};

use crate::config::{Indexes, Permalink, TopicKind, Topics};
use crate::keys::{self, Key};
use crate::load::ArticleMeta;
use crate::path_index::PathIndex;
use crate::slug::Slug;
use crate::urls::{PagePath, pages};

/// An article placed in the archive.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What the article says about itself.
    pub meta: ArticleMeta,
    /// Where its page goes.
    pub page: PagePath,
}

/// A calendar day with articles.
#[derive(Debug, Clone)]
pub struct Day {
    /// The day.
    pub date: NaiveDate,
    /// Its articles, as positions in [`Archive::entries`].
    pub range: Range<usize>,
}

/// A month with articles.
#[derive(Debug, Clone)]
pub struct Month {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// Its articles.
    pub range: Range<usize>,
    /// Its days with articles, newest first.
    pub days: Vec<Day>,
}

/// A year with articles.
#[derive(Debug, Clone)]
pub struct Year {
    /// The year.
    pub year: i32,
    /// Its articles.
    pub range: Range<usize>,
    /// Its months with articles, newest first.
    pub months: Vec<Month>,
}

/// An author and their articles.
#[derive(Debug, Clone)]
pub struct AuthorIndex {
    /// Their name as their bylines spell it most (the newest spelling
    /// when two are used as often).
    pub name: String,
    /// Their URL segment.
    pub slug: Slug,
    /// Their articles, newest first, as positions in [`Archive::entries`].
    pub entries: Vec<usize>,
}

/// A listing page: which list, and which page of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Listing {
    /// Which list.
    pub kind: ListingKind,
    /// Which page, and its articles.
    pub page: ListPage,
}

/// The lists of the archive. Indexes point into [`Archive`]'s vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListingKind {
    /// The home page: every article, newest first.
    Home,
    /// `years[y]`.
    Year(usize),
    /// `years[y].months[m]`.
    Month(usize, usize),
    /// `years[y].months[m].days[d]`.
    Day(u32, u32, u32),
    /// `authors[a]`.
    Author(usize),
    /// Every author (not paginated).
    Authors,
    /// Every year and month (not paginated).
    Archive,
    /// Articles with corrections, most recently corrected first.
    Corrections,
    /// Every section, tag or place (not paginated).
    Topics(TopicKind),
    /// `discovery.sections[n]` (or tags, places).
    Topic(TopicKind, usize),
    /// Every running story (not paginated).
    Stories,
    /// `discovery.stories[n]`, oldest first.
    Story(usize),
    /// `discovery.calendar[n]`: a calendar day in every year.
    OnThisDay(usize),
}

impl ListingKind {
    /// Whether the list is shown oldest first (a running story).
    pub fn oldest_first(self) -> bool {
        matches!(self, ListingKind::Story(_))
    }

    /// `page.kind` for templates.
    pub fn name(self) -> &'static str {
        match self {
            ListingKind::Home => "home",
            ListingKind::Year(_) => "year",
            ListingKind::Month(..) => "month",
            ListingKind::Day(..) => "day",
            ListingKind::Author(_) => "author",
            ListingKind::Authors => "authors",
            ListingKind::Archive => "archive",
            ListingKind::Corrections => "corrections",
            ListingKind::Topics(kind) => kind.plural(),
            ListingKind::Topic(kind, _) => kind.singular(),
            ListingKind::Stories => "stories",
            ListingKind::Story(_) => "story",
            ListingKind::OnThisDay(_) => "on-this-day",
        }
    }

    /// The folder of the list's first page.
    pub fn path(self, archive: &Archive) -> PagePath {
        match self {
            ListingKind::Home => pages::home(),
            ListingKind::Archive => pages::archive(),
            ListingKind::Authors => pages::authors(),
            ListingKind::Corrections => pages::corrections(),
            ListingKind::Year(y) => pages::year(archive.years[y].year),
            ListingKind::Month(y, m) => {
                let month = &archive.years[y].months[m];
                pages::month(month.year, month.month)
            }
            ListingKind::Day(y, m, d) => pages::day(archive.day(y, m, d).date),
            ListingKind::Author(a) => pages::author(&archive.authors[a].slug),
            ListingKind::Topics(kind) => pages::topics(kind.plural()),
            ListingKind::Topic(kind, n) => pages::topic(kind.plural(), &archive.discovery.of(kind)[n].slug),
            ListingKind::Stories => pages::topics("stories"),
            ListingKind::Story(n) => pages::story(&archive.discovery.stories[n].slug),
            ListingKind::OnThisDay(n) => {
                let day = &archive.discovery.calendar[n];
                pages::on_this_day(day.month, day.day)
            }
        }
    }
}

impl Listing {
    /// The folder of this page of the list.
    pub fn path(self, archive: &Archive) -> PagePath {
        self.kind.path(archive).list_page(self.page.place)
    }
}

/// The articles of a list, as positions in [`Archive::entries`].
#[derive(Debug, Clone)]
pub enum Articles<'a> {
    /// A period: a contiguous run of the newest-first entries.
    Range(Range<usize>),
    /// An author's or the corrections list.
    List(&'a [usize]),
}

impl Articles<'_> {
    /// How many articles the list has.
    pub fn len(&self) -> usize {
        match self {
            Articles::Range(r) => r.len(),
            Articles::List(l) => l.len(),
        }
    }

    /// Is the list empty?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `k`-th article of the list.
    pub fn get(&self, k: usize) -> usize {
        match self {
            Articles::Range(r) => r.start + k,
            Articles::List(l) => l[k],
        }
    }

    /// The articles of one page of the list.
    pub fn page(&self, page: ListPage) -> Vec<usize> {
        (page.start as usize..page.end as usize).map(|k| self.get(k)).collect()
    }
}

/// The whole archive's structure.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    /// Every published article, newest first.
    pub entries: Vec<Entry>,
    /// Years, newest first.
    pub years: Vec<Year>,
    /// Authors, in alphabetical order of slug.
    pub authors: Vec<AuthorIndex>,
    /// Articles with corrections, most recently corrected first.
    pub corrected: Vec<usize>,
    /// Sections, tags, places, stories and calendar days.
    pub discovery: Discovery,
    /// Positions in `entries` by source path (an index of positions: no
    /// second copy of every path).
    by_source: PathIndex,
}

/// The newest-first order of `metas`, as their positions: by calendar day
/// as written, then by instant; the source path breaks ties, so the order
/// never depends on the file walk. (Oldest first is exactly the reverse.)
fn newest_first(metas: &[ArticleMeta]) -> Vec<usize> {
    // Sort small keys (calendar day, instant, position), computed once per
    // article, rather than positions into the metadata: comparisons stay
    // in the cache, and only exact ties look at the source paths.
    let mut keys: Vec<(NaiveDate, i64, u32, usize)> = metas
        .par_iter()
        .enumerate()
        .map(|(i, m)| (m.date.day(), m.date.at.timestamp(), m.date.at.timestamp_subsec_nanos(), i))
        .collect();
    keys.par_sort_unstable_by(|x, y| {
        (y.0, y.1, y.2).cmp(&(x.0, x.1, x.2)).then_with(|| metas[y.3].source.cmp(&metas[x.3].source))
    });
    keys.into_iter().map(|k| k.3).collect()
}

/// Rearrange `items` in place so that position `k` holds what was at
/// `order[k]` (`order` is a permutation), by following its cycles: each
/// item moves once, and no second vector of them is made.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != DONE {
            let from = std::mem::replace(&mut order[at], DONE);
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// The folder of every listing page, for an archive of `count` entries
/// with these date and author indexes.
fn listing_paths(
    years: &[Year],
    authors: &[AuthorIndex],
    discovery: &Discovery,
    count: usize,
    per_page: usize,
) -> HashSet<Key> {
    let mut paths = HashSet::default();
    let mut add = |list: PagePath, n: usize| {
        paths.insert(keys::of_bytes(list.as_str().as_bytes()));
        for page in 1..=paging::most_pages(n, per_page) {
            paths.insert(keys::of_bytes(list.paginated(page).as_str().as_bytes()));
        }
    };
    add(pages::home(), count);
    add(pages::archive(), 0);
    add(pages::authors(), 0);
    // Reserved with search off too: turning it on moves no article.
    add(pages::search(), 0);
    // Corrections may list any number of articles: reserve as if all.
    add(pages::corrections(), count);
    for year in years {
        add(pages::year(year.year), year.range.len());
        for month in &year.months {
            add(pages::month(month.year, month.month), month.range.len());
            for day in &month.days {
                add(pages::day(day.date), day.range.len());
            }
        }
    }
    for author in authors {
        add(pages::author(&author.slug), author.entries.len());
    }
    for kind in TopicKind::ALL {
        add(pages::topics(kind.plural()), 0);
        for topic in discovery.of(kind) {
            add(pages::topic(kind.plural(), &topic.slug), topic.entries.len());
        }
    }
    add(pages::topics("stories"), 0);
    for story in &discovery.stories {
        add(pages::story(&story.slug), story.entries.len());
    }
    for day in &discovery.calendar {
        add(pages::on_this_day(day.month, day.day), day.entries.len());
    }
    paths
}

impl Archive {
    /// Sort the articles, place each page, and build the indexes.
    /// `per_page` is needed to know which listing pages exist, so no
    /// article can take one of their URLs.
    pub fn build(mut metas: Vec<ArticleMeta>, permalink: &Permalink, per_page: usize, topics: &Topics) -> Archive {
        let order = newest_first(&metas);
        permute(&mut metas, order);
        // The indexes side by side: each only reads the articles. (A
        // million-article build's memory peaks below, where the entries are
        // made, after their temporaries are gone.)
        let ((years, authors), discovery) =
            rayon::join(|| (date_index(&metas), author_index(&metas)), || Discovery::build(&metas, topics));
        let listing_pages = listing_paths(&years, &authors, &discovery, metas.len(), per_page);
        let pages = place_pages(&metas, permalink, listing_pages);
        let entries: Vec<Entry> = metas.into_par_iter().zip(pages).map(|(meta, page)| Entry { meta, page }).collect();
        let by_source = PathIndex::new(entries.len(), |i| &entries[i].meta.source);
        let mut corrected: Vec<usize> =
            (0..entries.len()).filter(|&i| !entries[i].meta.corrections.is_empty()).collect();
        // Stable sort: equal correction times keep the newest-first order.
        corrected.sort_by_key(|&i| std::cmp::Reverse(entries[i].meta.corrections.last().map(|c| c.date.at)));
        Archive { entries, years, authors, corrected, discovery, by_source }
    }

    /// Let go of every article's search terms, once the index is made and
    /// the build state has them: no page needs them.
    pub fn forget_search_terms(&mut self) {
        for entry in &mut self.entries {
            entry.meta.terms = None;
        }
    }

    /// Every listing page (all pages of every paginated list), with the
    /// discovery indexes the site makes.
    pub fn listings(&self, per_page: usize, indexes: &Indexes) -> Vec<Listing> {
        let mut kinds = vec![ListingKind::Home, ListingKind::Archive, ListingKind::Authors, ListingKind::Corrections];
        for (y, year) in self.years.iter().enumerate() {
            kinds.push(ListingKind::Year(y));
            for (m, month) in year.months.iter().enumerate() {
                kinds.push(ListingKind::Month(y, m));
                kinds.extend((0..month.days.len()).map(|d| ListingKind::Day(y as u32, m as u32, d as u32)));
            }
        }
        kinds.extend((0..self.authors.len()).map(ListingKind::Author));
        kinds.extend(self.discovery_listings(indexes));
        let cuts: Vec<bool> = self.entries.par_iter().map(|e| paging::is_cut(&e.meta.source, per_page)).collect();
        kinds
            .into_iter()
            .flat_map(|kind| {
                let oldest_first = kind.oldest_first();
                let pages = match self.articles_of(kind) {
                    Some(a) => paging::pages(a.len(), per_page, oldest_first, |k| {
                        cuts[a.get(if oldest_first { k } else { a.len() - 1 - k })]
                    }),
                    None => paging::pages(0, per_page, false, |_| false),
                };
                pages.into_iter().map(move |page| Listing { kind, page })
            })
            .collect()
    }

    /// The articles a list shows, or `None` for lists of other things
    /// (authors, years).
    pub fn articles_of(&self, kind: ListingKind) -> Option<Articles<'_>> {
        Some(match kind {
            ListingKind::Home => Articles::Range(0..self.entries.len()),
            ListingKind::Year(y) => Articles::Range(self.years[y].range.clone()),
            ListingKind::Month(y, m) => Articles::Range(self.years[y].months[m].range.clone()),
            ListingKind::Day(y, m, d) => Articles::Range(self.day(y, m, d).range.clone()),
            ListingKind::Author(a) => Articles::List(&self.authors[a].entries),
            ListingKind::Corrections => Articles::List(&self.corrected),
            ListingKind::Topic(kind, n) => Articles::List(&self.discovery.of(kind)[n].entries),
            ListingKind::Story(n) => Articles::List(&self.discovery.stories[n].entries),
            ListingKind::OnThisDay(n) => Articles::List(&self.discovery.calendar[n].entries),
            ListingKind::Authors | ListingKind::Archive | ListingKind::Topics(_) | ListingKind::Stories => return None,
        })
    }

    /// The lists of the discovery indexes the site makes.
    fn discovery_listings(&self, indexes: &Indexes) -> Vec<ListingKind> {
        let d = &self.discovery;
        let mut kinds = Vec::new();
        for kind in TopicKind::ALL.into_iter().filter(|&k| indexes.has(k)) {
            kinds.push(ListingKind::Topics(kind));
            kinds.extend((0..d.of(kind).len()).map(|n| ListingKind::Topic(kind, n)));
        }
        if indexes.stories {
            kinds.push(ListingKind::Stories);
            kinds.extend((0..d.stories.len()).map(ListingKind::Story));
        }
        if indexes.on_this_day {
            kinds.extend((0..d.calendar.len()).map(ListingKind::OnThisDay));
        }
        kinds
    }

    /// Day `d` of month `m` of year `y` (as a [`ListingKind::Day`] names
    /// it: small indexes, so that every listing page is small).
    pub fn day(&self, y: u32, m: u32, d: u32) -> &Day {
        &self.years[y as usize].months[m as usize].days[d as usize]
    }

    /// The article whose source is at this path inside `content/`.
    pub fn by_source(&self, source: &str) -> Option<&Entry> {
        self.position(source).map(|at| &self.entries[at])
    }

    /// Where the article whose source is at this path stands in `entries`.
    pub fn position(&self, source: &str) -> Option<usize> {
        self.by_source.find(source, |i| &self.entries[i].meta.source)
    }

    /// The month with articles just newer than `years[y].months[m]`,
    /// across year boundaries.
    pub fn newer_month(&self, y: usize, m: usize) -> Option<&Month> {
        match m {
            0 => y.checked_sub(1).and_then(|newer| self.years[newer].months.last()),
            _ => self.years[y].months.get(m - 1),
        }
    }

    /// The month with articles just older than `years[y].months[m]`.
    pub fn older_month(&self, y: usize, m: usize) -> Option<&Month> {
        self.years[y].months.get(m + 1).or_else(|| self.years.get(y + 1).and_then(|older| older.months.first()))
    }

    /// When the archive last changed: its newest publication, update or
    /// correction (the epoch when it is empty): an empty feed's `updated`.
    pub fn newest_change(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.entries.iter().map(|e| e.meta.modified().unwrap_or(e.meta.date).at).max().unwrap_or_default()
    }

    /// The position of the next older article, if any.
    pub fn older(&self, index: usize) -> Option<usize> {
        (index + 1 < self.entries.len()).then_some(index + 1)
    }

    /// The position of the next newer article, if any.
    pub fn newer(&self, index: usize) -> Option<usize> {
        index.checked_sub(1)
    }
}

/// Group positions into years → months → days; `metas` must be sorted.
fn date_index(metas: &[ArticleMeta]) -> Vec<Year> {
    let mut years: Vec<Year> = Vec::new();
    for (i, meta) in metas.iter().enumerate() {
        let day = meta.date.day();
        if years.last().is_none_or(|y| y.year != day.year()) {
            years.push(Year { year: day.year(), range: i..i, months: Vec::new() });
        }
        let year = years.last_mut().unwrap_or_else(|| unreachable!("pushed above"));
        year.range.end = i + 1;
        if year.months.last().is_none_or(|m| m.month != day.month()) {
            year.months.push(Month { year: day.year(), month: day.month(), range: i..i, days: Vec::new() });
        }
        let month = year.months.last_mut().unwrap_or_else(|| unreachable!("pushed above"));
        month.range.end = i + 1;
        if month.days.last().is_none_or(|d| d.date != day) {
            month.days.push(Day { date: day, range: i..i });
        }
        let d = month.days.last_mut().unwrap_or_else(|| unreachable!("pushed above"));
        d.range.end = i + 1;
    }
    years
}

/// Authors by slug, each with their articles newest first. The display
/// name is the spelling used most often (the newest wins a tie), so one
/// stray "ANN LEE" does not rename Ann Lee's page.
fn author_index(metas: &[ArticleMeta]) -> Vec<AuthorIndex> {
    let mut index: HashMap<&Slug, (AuthorIndex, HashMap<&str, usize>)> = HashMap::default();
    for (i, meta) in metas.iter().enumerate() {
        for author in &meta.authors {
            let (entry, spellings) = index.entry(&author.slug).or_insert_with(|| {
                (
                    AuthorIndex { name: String::new(), slug: author.slug.clone(), entries: Vec::new() },
                    HashMap::default(),
                )
            });
            entry.entries.push(i);
            *spellings.entry(author.name.as_str()).or_default() += 1;
        }
    }
    let mut authors: Vec<AuthorIndex> = index
        .into_values()
        .map(|(mut author, spellings)| {
            // Entries are newest first, so the first spelling seen is the newest.
            let newest = |name: &str| {
                author.entries.iter().position(|&i| metas[i].authors.iter().any(|a| a.name == name)).unwrap_or(0)
            };
            let best = spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| newest(b.0).cmp(&newest(a.0))))
                .map(|(name, _)| name.to_string());
            author.name = best.unwrap_or_default();
            author
        })
        .collect();
    authors.sort_by(|a, b| a.slug.cmp(&b.slug));
    authors
}

/// The page of every article (in `metas` order). An article whose URL is
/// taken (by a listing page, or an earlier article with the same slug on
/// the same day) gets `-2`, `-3`…: the article published first keeps the
/// plain URL.
fn place_pages(metas: &[ArticleMeta], permalink: &Permalink, mut taken: HashSet<Key>) -> Vec<PagePath> {
    // URLs are compared by their 128-bit hash: no copy of each kept, and a
    // collision is as likely as none of this mattering.
    let id = |page: &PagePath| keys::of_bytes(page.as_str().as_bytes());
    // The plain URL of every article, on every core; then, oldest first
    // (`metas` is newest first: walk it backwards), give the taken ones a
    // suffix.
    let plain: Vec<(PagePath, Key)> = metas
        .par_iter()
        .map(|meta| {
            let page = PagePath::from_dir(permalink.render(meta.date.day(), meta.slug.as_str()));
            let key = id(&page);
            (page, key)
        })
        .collect();
    // The next suffix to try for a URL, so a thousand "Weather" stories do
    // not try -2, -3… a thousand times each.
    let mut next_suffix: HashMap<Key, usize> = HashMap::default();
    let mut placed: Vec<PagePath> = Vec::with_capacity(metas.len());
    let mut keys: Vec<Key> = Vec::with_capacity(metas.len());
    for (page, key) in plain {
        placed.push(page);
        keys.push(key);
    }
    for i in (0..metas.len()).rev() {
        if taken.insert(keys[i]) {
            continue;
        }
        let meta = &metas[i];
        let day = meta.date.day();
        let n = next_suffix.entry(keys[i]).or_insert(2);
        loop {
            let page = PagePath::from_dir(permalink.render(day, meta.slug.with_suffix(*n).as_str()));
            *n += 1;
            if taken.insert(id(&page)) {
                placed[i] = page;
                break;
            }
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Author;
    use chrono::DateTime;

    fn meta(source: &str, date: &str, title: &str, authors: &[&str]) -> ArticleMeta {
        ArticleMeta {
            authors: authors
                .iter()
                .map(|n| Author { name: n.to_string(), slug: Slug::from_text(n).unwrap() })
                .collect(),
            ..crate::testing::article(source, title, DateTime::parse_from_rfc3339(date).unwrap())
        }
    }

    fn build(metas: Vec<ArticleMeta>) -> Archive {
        Archive::build(metas, &Permalink::parse("{year}/{month}/{day}/{slug}/").unwrap(), 20, &Topics::default())
    }

    #[test]
    fn newest_first_with_contiguous_periods() {
        let a = build(vec![
            meta("a.md", "2024-05-01T10:00:00Z", "A", &["X"]),
            meta("b.md", "2025-12-03T09:00:00Z", "B", &["X"]),
            meta("c.md", "2025-12-03T18:00:00Z", "C", &["Y"]),
            meta("d.md", "2025-11-30T12:00:00Z", "D", &["Y", "X"]),
        ]);
        let titles: Vec<_> = a.entries.iter().map(|e| e.meta.title.as_str()).collect();
        assert_eq!(titles, ["C", "B", "D", "A"]);
        assert_eq!(a.years.iter().map(|y| y.year).collect::<Vec<_>>(), [2025, 2024]);
        let y2025 = &a.years[0];
        assert_eq!(y2025.range, 0..3);
        assert_eq!(
            y2025.months.iter().map(|m| (m.month, m.range.clone())).collect::<Vec<_>>(),
            [(12, 0..2), (11, 2..3)]
        );
        assert_eq!(y2025.months[0].days[0].range, 0..2);
        assert_eq!(a.entries[0].page.as_str(), "2025/12/03/c/");
    }

    #[test]
    fn the_day_is_the_one_written_not_utc() {
        let a = build(vec![
            meta("late.md", "2025-12-31T23:30:00-05:00", "Late", &[]),
            meta("early.md", "2026-01-01T01:00:00+00:00", "Early", &[]),
        ]);
        assert_eq!(a.entries[0].page.as_str(), "2026/01/01/early/");
        assert_eq!(a.entries[1].page.as_str(), "2025/12/31/late/");
        assert_eq!(a.years.len(), 2);
    }

    #[test]
    fn authors_are_indexed_newest_first() {
        let a = build(vec![
            meta("a.md", "2024-05-01T10:00:00Z", "A", &["Ann Lee"]),
            meta("b.md", "2025-05-01T10:00:00Z", "B", &["Bo Chen", "Ann Lee"]),
        ]);
        assert_eq!(a.authors.iter().map(|x| x.slug.as_str()).collect::<Vec<_>>(), ["ann-lee", "bo-chen"]);
        assert_eq!(a.authors[0].entries, [0, 1]);
    }

    #[test]
    fn same_slug_same_day_gets_distinct_stable_urls() {
        let metas = vec![
            meta("z.md", "2025-12-03T08:00:00Z", "Talks", &[]),
            meta("a.md", "2025-12-03T20:00:00Z", "Talks", &[]),
            meta("m.md", "2025-12-03T20:00:00Z", "Talks", &[]),
        ];
        let a = build(metas.clone());
        let page = |src: &str| a.by_source(src).unwrap().page.as_str().to_string();
        assert_eq!(page("z.md"), "2025/12/03/talks/");
        assert_eq!(page("a.md"), "2025/12/03/talks-2/");
        assert_eq!(page("m.md"), "2025/12/03/talks-3/");
        // Same result whatever the input order.
        let b = build(metas.into_iter().rev().collect());
        assert_eq!(b.by_source("m.md").unwrap().page.as_str(), "2025/12/03/talks-3/");
    }

    #[test]
    fn every_article_is_found_by_its_source_whatever_the_input_order() {
        let metas: Vec<ArticleMeta> = (0..60)
            .map(|i| {
                let date = format!("2025-{:02}-{:02}T08:00:00Z", i % 12 + 1, i % 5 + 1);
                meta(&format!("{i:02}.md"), &date, &format!("T{i}"), &[])
            })
            .collect();
        let in_path_order = build(metas.clone());
        let mut shuffled = metas.clone();
        shuffled.reverse();
        shuffled.swap(3, 40);
        let shuffled = build(shuffled);
        for m in &metas {
            assert_eq!(in_path_order.by_source(&m.source).unwrap().meta.title, m.title);
            assert_eq!(shuffled.by_source(&m.source).unwrap().meta.title, m.title);
        }
        assert!(in_path_order.by_source("missing.md").is_none());
        let titles = |a: &Archive| a.entries.iter().map(|e| e.meta.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(&in_path_order), titles(&shuffled));
    }

    #[test]
    fn permute_puts_each_item_in_its_place() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        permute(&mut items, vec![2, 0, 4, 3, 1, 5]);
        assert_eq!(items, ['c', 'a', 'e', 'd', 'b', 'f']);
    }

    #[test]
    fn articles_never_take_a_listing_page_url() {
        let p = Permalink::parse("{slug}/").unwrap();
        let a = Archive::build(vec![meta("a.md", "2025-12-03T08:00:00Z", "Archive", &[])], &p, 20, &Topics::default());
        assert_eq!(a.entries[0].page.as_str(), "archive-2/");
    }

    #[test]
    fn articles_never_take_a_later_listing_page_either() {
        let p = Permalink::parse("{year}/page/{slug}/").unwrap();
        let metas =
            vec![meta("a.md", "2025-12-03T08:00:00Z", "One", &[]), meta("b.md", "2025-12-04T08:00:00Z", "2", &[])];
        let a = Archive::build(metas, &p, 1, &Topics::default());
        assert_eq!(a.by_source("b.md").unwrap().page.as_str(), "2025/page/2-2/");
    }

    #[test]
    fn many_identical_headlines_are_placed_in_linear_time() {
        let p = Permalink::parse("{slug}/").unwrap();
        let metas: Vec<ArticleMeta> =
            (0..3000).map(|i| meta(&format!("w{i:05}.md"), "2025-12-03T08:00:00Z", "Weather", &[])).collect();
        let a = Archive::build(metas, &p, 20, &Topics::default());
        assert_eq!(a.by_source("w02999.md").unwrap().page.as_str(), "weather-3000/");
    }

    #[test]
    fn the_most_used_spelling_names_the_author() {
        let a = build(vec![
            meta("a.md", "2024-05-01T10:00:00Z", "A", &["Ann Lee"]),
            meta("b.md", "2024-06-01T10:00:00Z", "B", &["Ann Lee"]),
            meta("c.md", "2025-05-01T10:00:00Z", "C", &["ANN LEE"]),
        ]);
        assert_eq!(a.authors[0].name, "Ann Lee");
    }

    #[test]
    fn neighbours() {
        let a =
            build(vec![meta("a.md", "2024-05-01T10:00:00Z", "A", &[]), meta("b.md", "2025-05-01T10:00:00Z", "B", &[])]);
        assert_eq!(a.older(0).map(|i| a.entries[i].meta.title.as_str()), Some("A"));
        assert!(a.older(1).is_none());
        assert_eq!(a.newer(1).map(|i| a.entries[i].meta.title.as_str()), Some("B"));
        assert!(a.newer(0).is_none());
    }

    #[test]
    fn a_listing_page_stays_small() {
        // Every listing page of the archive is held at once: more than two
        // million at a million articles.
        assert!(std::mem::size_of::<Listing>() <= 40, "{} bytes", std::mem::size_of::<Listing>());
    }
}
