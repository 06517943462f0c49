//! Page inputs: for every file the build makes, the typed value its
//! renderer reads, and the file's incremental key, computed from that value.
//!
//! Part of the plan phase. Input: the archive, the previous build's records
//! and the settings that shape pages. Output: for each planned file, a
//! [`PageInputs`] ([`Inputs::of`]) and its key ([`Inputs::key`]). The render
//! phase receives that value and reads nothing else of the archive (only
//! the theme and the configuration besides, whose key is part of every
//! file's key). The key is the hash of the value itself (`#[derive(Hash)]`),
//! so a page cannot read an input its key omits: a field added to a page's
//! inputs is in its key by construction.
//!
//! Two inputs are hashed through a stand-in, each sound:
//! - an article as another page shows it (a [`Card`], a [`Mention`], a
//!   [`Neighbour`]) by the key of its source and its page (its card's
//!   key): every field of an article's metadata follows from its source
//!   bytes and the load settings (in the settings key);
//! - an article's [`Links`] by what each path its body linked to in the
//!   previous build resolves to now: the body itself is part of the card,
//!   and while it is unchanged it links to the same paths.

use std::hash::{Hash, Hasher};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

use super::redirects::Redirects;
use super::search::SearchIndex;
use super::sitemaps::{SitemapUrl, Sitemaps};
use crate::archive::discovery::{Discovery, Filed, RelatedLists};
use crate::archive::{Archive, Entry, Listing, ListingKind, PagePlace};
use crate::config::{Indexes, TopicKind};
use crate::keys::{Key, KeyBuilder};
use crate::load::is_article_path;
use crate::markdown::Target;
use crate::photos::{Catalog, Photo};
use crate::search::{self, SearchFile};
use crate::slug::Slug;
use crate::state::Manifest;
use crate::urls::PagePath;
use std::sync::Arc;

use super::Job;

/// An article as another page shows it (a listing's card, a feed entry),
/// or as its own page's main input.
#[derive(Debug, Clone, Copy)]
pub struct Card<'a> {
    /// The article and its page.
    pub entry: &'a Entry,
    /// Its position in the archive: for memoizing what is computed from the
    /// entry alone (its formatted date); never an input of its own.
    pub index: usize,
    /// Its lead photo, when `image:` names one of `content/` (in the key).
    pub photo: Option<&'a Arc<Photo>>,
    key: Key,
}

impl Hash for Card<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// The key standing for a whole entry: its source (path and content
/// hash) and its page.
fn card_key(entry: &Entry, photo: Option<&Arc<Photo>>) -> Key {
    let mut k = KeyBuilder::new("card");
    k.str(&entry.meta.source).key(entry.meta.stamp.hash).str(entry.page.as_str());
    k.key(photo.map_or(0, |p| p.key)).finish()
}

/// A neighbouring article, as a link on an article page.
#[derive(Debug, Clone, Copy)]
pub struct Neighbour<'a> {
    /// Its headline.
    pub title: &'a str,
    /// Its page.
    pub page: &'a PagePath,
    /// Its card's key, which stands for both.
    key: Key,
}

impl Hash for Neighbour<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// What paths inside `content/` are, for resolving the relative links of
/// article bodies: the one place that tells a published article from an
/// unpublished one, a file, or nothing.
#[derive(Clone, Copy)]
pub struct Resolver<'a> {
    archive: &'a Archive,
    /// Every path inside `content/`, published or not.
    content: &'a HashSet<&'a str>,
    /// The photos among them.
    photos: &'a Catalog,
}

impl<'a> Resolver<'a> {
    /// A resolver over this archive and these content paths.
    pub fn new(archive: &'a Archive, content: &'a HashSet<&'a str>, photos: &'a Catalog) -> Self {
        Resolver { archive, content, photos }
    }

    /// The lead photo of an entry (`image:` naming a photo of `content/`).
    pub fn lead_photo(&self, entry: &Entry) -> Option<&'a Arc<Photo>> {
        let written = entry.meta.image.as_deref().filter(|i| crate::urls::is_relative_reference(i))?;
        let source_dir = entry.meta.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        self.photos.get(&crate::urls::join(source_dir, written)?)
    }

    /// What is at `path` inside `content/`.
    pub fn target(&self, path: &str) -> Target {
        match self.archive.by_source(path) {
            Some(e) => Target::Page(e.page.as_str().to_string()),
            None if self.content.contains(path) && is_article_path(path) => Target::Unpublished,
            None if self.content.contains(path) => match self.photos.get(path) {
                Some(photo) => Target::Photo(photo.clone()),
                None => Target::File,
            },
            None => Target::Missing,
        }
    }
}

/// Another article as a dated link (in a thread's timeline, or among
/// related stories).
#[derive(Debug, Clone, Copy)]
pub struct Mention<'a> {
    /// Its headline.
    pub title: &'a str,
    /// Its page.
    pub page: &'a PagePath,
    /// Its calendar day.
    pub day: NaiveDate,
    /// Its card's key, which stands for all three.
    key: Key,
}

impl Hash for Mention<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
    }
}

/// A section, tag, place or story an article is filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TopicRef<'a> {
    /// The name its page shows.
    pub name: &'a str,
    /// Its page's URL segment.
    pub slug: &'a Slug,
    /// Whether the site makes its page (`indexes:`).
    pub linked: bool,
}

/// An article's thread around it: "The story so far".
#[derive(Debug, Clone, Hash)]
pub struct StorySoFar<'a> {
    /// The thread.
    pub topic: TopicRef<'a>,
    /// How many articles the thread has.
    pub count: usize,
    /// The articles nearest this one, oldest first, with this one's
    /// place among them.
    pub items: Vec<Mention<'a>>,
    /// Where this article is in `items`.
    pub current: usize,
}

/// What an article is filed under, and what it relates to.
#[derive(Debug, Clone, Default, Hash)]
pub struct Filing<'a> {
    /// Its desk.
    pub section: Option<TopicRef<'a>>,
    /// Its tags, as the article lists them.
    pub tags: Vec<TopicRef<'a>>,
    /// Its dateline.
    pub place: Option<TopicRef<'a>>,
    /// Its thread.
    pub story: Option<StorySoFar<'a>>,
    /// Related stories, best first.
    pub related: Vec<Mention<'a>>,
}

/// How an article body's relative links resolve.
#[derive(Clone)]
pub struct Links<'a> {
    /// Resolves any path the body links to.
    pub resolver: Resolver<'a>,
    /// What the paths the body linked to in the previous build resolve to
    /// now (the key's stand-in for the links, see the module notes).
    linked: Vec<(&'a str, Target)>,
}

impl Hash for Links<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.linked.hash(state);
    }
}

/// An article page's inputs (besides its body, read from its source,
/// whose content hash is in the card).
#[derive(Clone, Hash)]
pub struct ArticleInputs<'a> {
    /// The article.
    pub card: Card<'a>,
    /// The next older article in the archive.
    pub older: Option<Neighbour<'a>>,
    /// The next newer article.
    pub newer: Option<Neighbour<'a>>,
    /// Its body's links.
    pub links: Links<'a>,
    /// Its section, tags, place, thread and related stories.
    pub filing: Filing<'a>,
}

/// A listing page's inputs.
#[derive(Clone, Hash)]
pub struct ListingInputs<'a> {
    /// What the list is, with what its page shows besides the cards.
    pub list: ListingData<'a>,
    /// The folder of the list's first page.
    pub first: PagePath,
    /// Where this page stands in the list.
    pub page: PagePlace,
    /// How many articles the whole list has, on its front page only (a
    /// later page keeps its bytes while the list grows); 0 for lists of
    /// other things.
    pub count: Option<usize>,
    /// The articles on this page, in order (none for lists of other things).
    pub cards: Vec<Card<'a>>,
    /// On the home page: old `?p=ID` addresses and the pages they lead to.
    pub old_ids: Vec<(u64, &'a PagePath)>,
}

/// The lists of the archive, each with the facts its page shows.
#[derive(Debug, Clone, Hash)]
pub enum ListingData<'a> {
    /// The home page, with what happened on this calendar day in
    /// earlier years.
    Home(Option<OnThisDay<'a>>),
    /// A year: its months with their counts (newest first), and the
    /// neighbouring years with articles.
    Year {
        /// The year.
        year: i32,
        /// (month, articles), newest first.
        months: Vec<(u32, usize)>,
        /// The next newer year with articles.
        newer: Option<i32>,
        /// The next older year with articles.
        older: Option<i32>,
    },
    /// A month: its days with their counts, and the neighbouring months.
    Month {
        /// The year.
        year: i32,
        /// The month, 1–12.
        month: u32,
        /// (day of the month, articles), for the days with articles.
        days: Vec<(u32, usize)>,
        /// The next newer month with articles.
        newer: Option<YearMonth>,
        /// The next older month with articles.
        older: Option<YearMonth>,
    },
    /// A day, and the neighbouring days with articles.
    Day {
        /// The day.
        date: NaiveDate,
        /// The next newer day with articles.
        newer: Option<NaiveDate>,
        /// The next older day with articles.
        older: Option<NaiveDate>,
    },
    /// An author (their profile, if any, is in the configuration).
    Author {
        /// The name as most often bylined.
        name: &'a str,
        /// Their URL segment.
        slug: &'a Slug,
    },
    /// Every author: (name, slug, articles).
    Authors(Vec<(&'a str, &'a Slug, usize)>),
    /// Every year, with its count and its months' counts (newest first).
    Archive(Vec<YearCounts>),
    /// Articles with corrections.
    Corrections,
    /// Every section, tag or place: (name, slug, articles).
    Topics(TopicKind, Vec<(&'a str, &'a Slug, usize)>),
    /// A section, tag or place (its profile, if any, is in the configuration).
    Topic(TopicKind, TopicRef<'a>),
    /// Every running story: (name, slug, articles).
    Stories(Vec<(&'a str, &'a Slug, usize)>),
    /// A running story, oldest first.
    Story(TopicRef<'a>),
    /// A calendar day in every year (the cards, newest first).
    OnThisDay {
        /// The month, 1–12.
        month: u32,
        /// The day of the month.
        day: u32,
    },
}

/// The home page's "On this day": a calendar day's stories from earlier
/// years.
#[derive(Debug, Clone, Hash)]
pub struct OnThisDay<'a> {
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month.
    pub day: u32,
    /// Up to five stories, newest first.
    pub items: Vec<Mention<'a>>,
}

/// A month of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct YearMonth {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
}

/// A year's articles, in all and by month.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct YearCounts {
    /// The year.
    pub year: i32,
    /// Its articles.
    pub count: usize,
    /// (month, articles) of its months with articles, newest first.
    pub months: Vec<(u32, usize)>,
}

impl ListingData<'_> {
    /// `page.kind` for templates.
    pub fn name(&self) -> &'static str {
        match self {
            ListingData::Home(_) => "home",
            ListingData::Year { .. } => "year",
            ListingData::Month { .. } => "month",
            ListingData::Day { .. } => "day",
            ListingData::Author { .. } => "author",
            ListingData::Authors(_) => "authors",
            ListingData::Archive(_) => "archive",
            ListingData::Corrections => "corrections",
            ListingData::Topics(kind, _) => kind.plural(),
            ListingData::Topic(kind, _) => kind.singular(),
            ListingData::Stories(_) => "stories",
            ListingData::Story(_) => "story",
            ListingData::OnThisDay { .. } => "on-this-day",
        }
    }

    /// Drop what only a list's front page shows: what changes with the
    /// list's articles or its neighbours (a period's months or days with
    /// their counts, the links to the next and previous period, which the
    /// first story of a new day, month or year changes; the home page's
    /// "On this day").
    fn keep_to_later_page(&mut self) {
        match self {
            ListingData::Home(on_this_day) => *on_this_day = None,
            ListingData::Year { months, newer, older, .. } => {
                months.clear();
                (*newer, *older) = (None, None);
            }
            ListingData::Month { days, newer, older, .. } => {
                days.clear();
                (*newer, *older) = (None, None);
            }
            ListingData::Day { newer, older, .. } => (*newer, *older) = (None, None),
            _ => {}
        }
    }

    /// Does the list show articles (paginated), rather than other things?
    pub fn lists_articles(&self) -> bool {
        !matches!(
            self,
            ListingData::Authors(_) | ListingData::Archive(_) | ListingData::Topics(..) | ListingData::Stories(_)
        )
    }
}

/// Which feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedKind<'a> {
    /// The site's feed, in Atom (`feed.xml`) or RSS (`rss.xml`).
    Site {
        /// RSS 2.0 rather than Atom.
        rss: bool,
    },
    /// An author's Atom feed.
    Author {
        /// The name as most often bylined.
        name: &'a str,
        /// Their URL segment.
        slug: &'a Slug,
    },
    /// The corrections' Atom feed.
    Corrections,
    /// A section's or tag's Atom feed.
    Topic(TopicKind, TopicRef<'a>),
}

/// A feed's inputs.
#[derive(Clone, Hash)]
pub struct FeedInputs<'a> {
    /// Which feed.
    pub feed: FeedKind<'a>,
    /// Its entries, newest first.
    pub items: Vec<FeedItem<'a>>,
    /// When the feed has no entries: when the archive last changed (for
    /// its `updated`).
    pub quiet_since: Option<Moment>,
}

/// An entry of a feed.
#[derive(Clone, Hash)]
pub struct FeedItem<'a> {
    /// The article.
    pub card: Card<'a>,
    /// Its body's links, when the feed carries whole bodies.
    pub links: Option<Links<'a>>,
    /// Its desk's and tags' names, as their pages show them.
    pub categories: Categories<'a>,
}

/// An article's desk's and tags' names, as their pages show them (read
/// from the archive's indexes when asked for: a feed's key hashes them,
/// and only the feeds written make them).
#[derive(Clone, Copy)]
pub struct Categories<'a> {
    filed: &'a Filed,
    discovery: &'a Discovery,
}

impl<'a> Categories<'a> {
    /// The names: the desk's first, then the tags' in the article's order.
    pub fn names(self) -> impl Iterator<Item = &'a str> {
        let Categories { filed, discovery } = self;
        let section = filed.section.map(|n| discovery.sections[n as usize].name.as_str());
        section.into_iter().chain(filed.tags.iter().map(|&n| discovery.tags[n as usize].name.as_str()))
    }
}

impl Hash for Categories<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.names().for_each(|name| name.hash(state));
    }
}

/// A sitemap file's inputs.
#[derive(Clone, Hash, Default)]
pub struct SitemapInputs<'a> {
    /// The URLs it lists (none for the index).
    pub urls: &'a [SitemapUrl<'a>],
    /// For the `sitemap.xml` index: each file's name.
    pub index: Vec<&'a str>,
}

/// A redirect page's inputs: an old path and the article it leads to.
#[derive(Clone, Hash)]
pub struct RedirectInputs<'a> {
    /// The redirect's file in the output.
    pub file: &'a str,
    /// The article's headline.
    pub title: &'a str,
    /// The article's page.
    pub page: &'a PagePath,
}

/// A date and time with its offset, hashed with both (chrono hashes only
/// the instant, and the offset shows in what is printed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment(pub DateTime<FixedOffset>);

impl Hash for Moment {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.timestamp().hash(state);
        self.0.timestamp_subsec_nanos().hash(state);
        self.0.offset().local_minus_utc().hash(state);
    }
}

impl Hash for SitemapUrl<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.path.hash(state);
        self.lastmod.map(Moment).hash(state);
    }
}

/// The inputs of one file the build makes.
#[derive(Clone, Hash)]
#[allow(
    clippy::large_enum_variant,
    reason = "one value lives at a time per thread, made and dropped per file: boxing an article's would allocate per page"
)]
pub enum PageInputs<'a> {
    /// An article page.
    Article(ArticleInputs<'a>),
    /// A listing page.
    Listing(ListingInputs<'a>),
    /// A feed.
    Feed(FeedInputs<'a>),
    /// `sitemap.xml`, or one file of a split sitemap.
    Sitemap(SitemapInputs<'a>),
    /// `news-sitemap.xml`: the recent articles.
    News(Vec<Card<'a>>),
    /// `robots.txt` (only the base URL, a setting).
    Robots,
    /// `404.html` (only settings).
    NotFound,
    /// A redirect page at an article's old path.
    Redirect(RedirectInputs<'a>),
    /// `_redirects`: (old path as served, article page) of every redirect page.
    Redirects(Vec<(&'a str, &'a PagePath)>),
    /// `search/index.html` (only settings: the script fills it in).
    SearchPage,
    /// A file whose bytes are its inputs: the search script, a file of
    /// the search index.
    Bytes(&'a [u8]),
    /// A metadata chunk of the search index (keyed by a hash of what its
    /// file shows, made as it is written: [`SearchIndex::chunk_file`]).
    SearchChunk(&'a search::MetaChunk),
}

/// The files made from the archive as a whole (the others are article
/// and listing pages, and copies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generated {
    /// `feed.xml`
    SiteAtom,
    /// `rss.xml`
    SiteRss,
    /// `authors/<slug>/feed.xml` of `archive.authors[a]`.
    AuthorFeed(usize),
    /// `corrections/feed.xml`
    CorrectionsFeed,
    /// `sections/<slug>/feed.xml` (or a tag's) of `discovery.of(kind)[n]`.
    TopicFeed(TopicKind, usize),
    /// The `sitemap.xml` index (0) or the file it lists as number N
    /// (see [`Sitemaps`]).
    Sitemap(usize),
    /// `news-sitemap.xml`
    NewsSitemap,
    /// `robots.txt`
    Robots,
    /// `404.html`
    NotFound,
    /// `_redirects`
    Redirects,
    /// `search/index.html`
    SearchPage,
    /// `search/search.js`
    SearchScript,
    /// File `i` of the search index (under `search/index/`).
    SearchIndex(usize),
    /// Metadata chunk `n` of the search index (`search/index/m/`).
    SearchChunk(usize),
}

/// What the inputs of every page are drawn from.
pub struct Inputs<'a> {
    archive: &'a Archive,
    /// The key of every entry's card, in archive order.
    cards: Vec<Key>,
    resolver: Resolver<'a>,
    /// The previous build's records: which paths each article linked to.
    previous: Option<&'a Manifest>,
    /// Key of the settings that shape every page (configuration, theme).
    settings: Key,
    feed_limit: usize,
    /// Whether the site feed carries whole bodies.
    full_feed: bool,
    /// Every page for the sitemaps; `None` without a base URL.
    sitemaps: Option<&'a Sitemaps<'a>>,
    /// Positions of the articles for the news sitemap.
    news: &'a [usize],
    /// The articles' old addresses.
    redirects: &'a Redirects,
    /// Which discovery indexes the site makes.
    indexes: Indexes,
    /// The build's day, for the home page's "On this day".
    today: NaiveDate,
    /// Every article's related stories; `None` when pages show none.
    related: Option<&'a RelatedLists>,
    /// The search index; `None` when the site has no search. Owned here,
    /// so that its files can be let go once staged (see
    /// [`Inputs::take_search_files`]).
    search: Option<SearchIndex<'a>>,
}

/// Related stories on an article page, and stories on the home page's
/// "On this day".
pub(super) const RELATED: usize = 5;

/// Articles shown on each side of an article in "The story so far".
pub(super) const THREAD_AROUND: usize = 5;

/// (name, slug, articles) of every topic of an index.
fn counts(topics: &[crate::archive::discovery::Topic]) -> Vec<(&str, &Slug, usize)> {
    topics.iter().map(|t| (t.name.as_str(), &t.slug, t.entries.len())).collect()
}

/// What [`Inputs::new`] needs besides the archive.
pub struct Sources<'a> {
    /// Every path inside `content/`, published or not.
    pub content: &'a HashSet<&'a str>,
    /// The photos of `content/`.
    pub photos: &'a Catalog,
    /// The previous build's records, if they describe pages made with the
    /// same settings.
    pub previous: Option<&'a Manifest>,
    /// Key of the settings that shape every page.
    pub settings: Key,
    /// Entries per feed.
    pub feed_limit: usize,
    /// Whether the site feed carries whole bodies.
    pub full_feed: bool,
    /// Every page for the sitemaps; `None` without a base URL.
    pub sitemaps: Option<&'a Sitemaps<'a>>,
    /// Positions of the articles for the news sitemap.
    pub news: &'a [usize],
    /// Which discovery indexes the site makes.
    pub indexes: Indexes,
    /// The build's day (`SOURCE_DATE_EPOCH` or now, in the site's offset).
    pub today: NaiveDate,
    /// The articles' old addresses.
    pub redirects: &'a Redirects,
    /// Every article's related stories ([`super::related`]); `None` when
    /// pages show none.
    pub related: Option<&'a RelatedLists>,
    /// The search index; `None` when the site has no search.
    pub search: Option<SearchIndex<'a>>,
}

impl<'a> Inputs<'a> {
    /// Prepare the inputs of this build's pages (the card of every
    /// article is keyed once here, on every core).
    pub fn new(archive: &'a Archive, sources: Sources<'a>) -> Self {
        let resolver = Resolver::new(archive, sources.content, sources.photos);
        let cards = archive.entries.par_iter().map(|e| card_key(e, resolver.lead_photo(e))).collect();
        Inputs {
            archive,
            cards,
            resolver,
            previous: sources.previous,
            settings: sources.settings,
            feed_limit: sources.feed_limit,
            full_feed: sources.full_feed,
            sitemaps: sources.sitemaps,
            news: sources.news,
            indexes: sources.indexes,
            today: sources.today,
            related: sources.related,
            redirects: sources.redirects,
            search: sources.search,
        }
    }

    /// The archive the inputs are drawn from.
    pub fn archive(&self) -> &'a Archive {
        self.archive
    }

    /// Every page for the sitemaps; `None` without a base URL (then no
    /// feeds or sitemaps are made).
    pub fn sitemaps(&self) -> Option<&'a Sitemaps<'a>> {
        self.sitemaps
    }

    /// The articles' old addresses.
    pub fn redirects(&self) -> &'a Redirects {
        self.redirects
    }

    /// The search index; `None` when the site has no search.
    pub fn search(&self) -> Option<&SearchIndex<'a>> {
        self.search.as_ref()
    }

    /// Hand over the search index's files (not its metadata chunks, made
    /// as they are written): once they are staged, the rest of the build
    /// does not need them. The inputs of their jobs are empty afterwards.
    pub fn take_search_files(&mut self) -> Vec<SearchFile> {
        self.search.as_mut().map(|s| std::mem::take(&mut s.files)).unwrap_or_default()
    }

    /// The inputs of the file a job makes; `None` for a copy.
    pub fn of(&self, job: &Job) -> Option<PageInputs<'_>> {
        Some(match job {
            Job::Article(i) => PageInputs::Article(self.article(*i)),
            Job::Listing(listing) => PageInputs::Listing(self.listing(*listing)),
            Job::Generated(g) => self.generated(*g),
            Job::Redirect(r) => PageInputs::Redirect(self.redirect(*r)),
            Job::Copy(_) | Job::Photo(..) => return None,
        })
    }

    /// Which discovery indexes the site makes.
    pub fn indexes(&self) -> &Indexes {
        &self.indexes
    }

    /// How a body's relative links resolve.
    pub fn resolver(&self) -> Resolver<'a> {
        self.resolver
    }

    /// The card of entry `i`.
    pub fn card(&self, i: usize) -> Card<'a> {
        let entry = &self.archive.entries[i];
        Card { entry, index: i, photo: self.resolver.lead_photo(entry), key: self.cards[i] }
    }

    /// Entry `j` as a link beside another article.
    fn neighbour(&self, j: usize) -> Neighbour<'a> {
        let entry = &self.archive.entries[j];
        Neighbour { title: &entry.meta.title, page: &entry.page, key: self.cards[j] }
    }

    /// Entry `j` as a dated link on another article's page.
    fn mention(&self, j: usize) -> Mention<'a> {
        let entry = &self.archive.entries[j];
        Mention { title: &entry.meta.title, page: &entry.page, day: entry.meta.date.day(), key: self.cards[j] }
    }

    /// The key of a file made from `inputs`: the settings and the value.
    pub fn key(&self, inputs: &PageInputs<'_>) -> Key {
        crate::keys::of_hash(&(self.settings, inputs))
    }

    /// The inputs of article `i`'s page.
    pub fn article(&self, i: usize) -> ArticleInputs<'a> {
        let archive = self.archive;
        ArticleInputs {
            card: self.card(i),
            older: archive.older(i).map(|j| self.neighbour(j)),
            newer: archive.newer(i).map(|j| self.neighbour(j)),
            links: self.links(i),
            filing: self.filing(i),
        }
    }

    /// A topic as an article or a page refers to it.
    fn topic_ref(&self, kind: TopicKind, n: u32) -> TopicRef<'a> {
        let topic = &self.archive.discovery.of(kind)[n as usize];
        TopicRef { name: &topic.name, slug: &topic.slug, linked: self.indexes.has(kind) }
    }

    /// What article `i` is filed under, its thread around it and its
    /// related stories.
    fn filing(&self, i: usize) -> Filing<'a> {
        let discovery = &self.archive.discovery;
        let filed = &discovery.filed[i];
        let (story, shown) = match filed.story.filter(|_| self.indexes.stories) {
            Some(n) => self.story_so_far(i, n as usize).map_or((None, &[][..]), |(s, shown)| (Some(s), shown)),
            None => (None, &[][..]),
        };
        let related = self.related.map_or(&[][..], |lists| lists.get(i));
        Filing {
            section: filed.section.map(|n| self.topic_ref(TopicKind::Section, n)),
            tags: filed.tags.iter().map(|&n| self.topic_ref(TopicKind::Tag, n)).collect(),
            place: filed.place.map(|n| self.topic_ref(TopicKind::Place, n)),
            related: related
                .iter()
                .map(|&j| j as usize)
                // What "The story so far" shows is not repeated here.
                .filter(|j| !shown.contains(j))
                .take(RELATED)
                .map(|j| self.mention(j))
                .collect(),
            story,
        }
    }

    /// Article `i`'s thread: up to [`THREAD_AROUND`] articles each side,
    /// with their positions.
    fn story_so_far(&self, i: usize, n: usize) -> Option<(StorySoFar<'a>, &'a [usize])> {
        let story = &self.archive.discovery.stories[n];
        let at = story.entries.iter().position(|&j| j == i)?;
        let from = at.saturating_sub(THREAD_AROUND);
        let shown = &story.entries[from..(at + THREAD_AROUND + 1).min(story.entries.len())];
        let so_far = StorySoFar {
            topic: TopicRef { name: &story.name, slug: &story.slug, linked: true },
            count: story.entries.len(),
            items: shown.iter().map(|&j| self.mention(j)).collect(),
            current: at - from,
        };
        Some((so_far, shown))
    }

    /// Entry `i`'s desk and tags.
    fn categories(&self, i: usize) -> Categories<'a> {
        let discovery = &self.archive.discovery;
        Categories { filed: &discovery.filed[i], discovery }
    }

    /// How entry `i`'s body links resolve, with what it linked to last time.
    fn links(&self, i: usize) -> Links<'a> {
        let rel = self.archive.entries[i].page.file();
        let before = self.previous.and_then(|m| m.outputs.get(&rel)).map(|r| r.linked.as_slice()).unwrap_or_default();
        Links {
            resolver: self.resolver,
            linked: before.iter().map(|p| (p.as_str(), self.resolver.target(p))).collect(),
        }
    }

    /// The inputs of redirect page `r`.
    pub fn redirect(&self, r: usize) -> RedirectInputs<'a> {
        let redirect = &self.redirects.pages[r];
        let entry = &self.archive.entries[redirect.entry];
        RedirectInputs { file: &redirect.file, title: &entry.meta.title, page: &entry.page }
    }

    /// The old `?p=ID` addresses, for the first page of the home page.
    fn old_ids(&self, listing: Listing) -> Vec<(u64, &'a PagePath)> {
        if listing.kind != ListingKind::Home || !listing.page.place.front {
            return Vec::new();
        }
        self.redirects.by_id.iter().map(|&(id, i)| (id, &self.archive.entries[i].page)).collect()
    }

    /// The inputs of one listing page. Only its front page shows what
    /// changes with every article of the list (its count, a period's
    /// calendar, the home page's "On this day"), so that its other pages
    /// keep their bytes while the list changes elsewhere.
    pub fn listing(&self, listing: Listing) -> ListingInputs<'a> {
        let archive = self.archive;
        let front = listing.page.place.front;
        let articles = archive.articles_of(listing.kind);
        let count = articles.as_ref().map_or(0, |a| a.len());
        let cards =
            articles.map(|a| a.page(listing.page).into_iter().map(|i| self.card(i)).collect()).unwrap_or_default();
        let mut list = self.listing_data(listing.kind);
        if !front {
            list.keep_to_later_page();
        }
        ListingInputs {
            list,
            first: listing.kind.path(archive),
            page: listing.page.place,
            count: front.then_some(count),
            cards,
            old_ids: self.old_ids(listing),
        }
    }

    fn listing_data(&self, kind: ListingKind) -> ListingData<'a> {
        let archive = self.archive;
        let months = |y: usize| archive.years[y].months.iter().map(|m| (m.month, m.range.len())).collect();
        match kind {
            ListingKind::Home => ListingData::Home(self.on_this_day()),
            ListingKind::Corrections => ListingData::Corrections,
            ListingKind::Year(y) => ListingData::Year {
                year: archive.years[y].year,
                months: months(y),
                newer: y.checked_sub(1).map(|n| archive.years[n].year),
                older: archive.years.get(y + 1).map(|o| o.year),
            },
            ListingKind::Month(y, m) => {
                let month = &archive.years[y].months[m];
                let ym = |o: &crate::archive::Month| YearMonth { year: o.year, month: o.month };
                ListingData::Month {
                    year: month.year,
                    month: month.month,
                    days: month.days.iter().map(|d| (d.date.day(), d.range.len())).collect(),
                    newer: archive.newer_month(y, m).map(ym),
                    older: archive.older_month(y, m).map(ym),
                }
            }
            ListingKind::Day(y, m, d) => {
                let range = &archive.day(y, m, d).range;
                let day_of = |i: usize| archive.entries.get(i).map(|e| e.meta.date.day());
                ListingData::Day {
                    date: archive.day(y, m, d).date,
                    newer: range.start.checked_sub(1).and_then(day_of),
                    older: day_of(range.end),
                }
            }
            ListingKind::Author(a) => {
                let author = &archive.authors[a];
                ListingData::Author { name: &author.name, slug: &author.slug }
            }
            ListingKind::Authors => ListingData::Authors(
                archive.authors.iter().map(|a| (a.name.as_str(), &a.slug, a.entries.len())).collect(),
            ),
            ListingKind::Topics(kind) => ListingData::Topics(kind, counts(archive.discovery.of(kind))),
            ListingKind::Topic(kind, n) => ListingData::Topic(kind, self.topic_ref(kind, n as u32)),
            ListingKind::Stories => ListingData::Stories(counts(&archive.discovery.stories)),
            ListingKind::Story(n) => {
                let story = &archive.discovery.stories[n];
                ListingData::Story(TopicRef { name: &story.name, slug: &story.slug, linked: true })
            }
            ListingKind::OnThisDay(n) => {
                let day = &archive.discovery.calendar[n];
                ListingData::OnThisDay { month: day.month, day: day.day }
            }
            ListingKind::Archive => ListingData::Archive(
                (0..archive.years.len())
                    .map(|y| YearCounts {
                        year: archive.years[y].year,
                        count: archive.years[y].range.len(),
                        months: months(y),
                    })
                    .collect(),
            ),
        }
    }

    /// The home page's "On this day": stories of today's calendar day in
    /// earlier years.
    fn on_this_day(&self) -> Option<OnThisDay<'a>> {
        if !self.indexes.on_this_day {
            return None;
        }
        let (month, day) = (self.today.month(), self.today.day());
        let found = self.archive.discovery.calendar_day(month, day)?;
        let earlier = |&&i: &&usize| self.archive.entries[i].meta.date.day().year() < self.today.year();
        let items: Vec<Mention<'a>> =
            found.entries.iter().filter(earlier).take(RELATED).map(|&i| self.mention(i)).collect();
        (!items.is_empty()).then_some(OnThisDay { month, day, items })
    }

    /// The inputs of a file generated from the archive as a whole.
    pub fn generated(&self, generated: Generated) -> PageInputs<'_> {
        let archive = self.archive;
        let limit = self.feed_limit;
        let feed = |feed: FeedKind<'a>, entries: &mut dyn Iterator<Item = usize>, bodies: bool| {
            let item = |i| FeedItem {
                card: self.card(i),
                links: bodies.then(|| self.links(i)),
                categories: self.categories(i),
            };
            let items: Vec<FeedItem<'a>> = entries.take(limit).map(item).collect();
            let quiet_since = items.is_empty().then(|| Moment(archive.newest_change()));
            PageInputs::Feed(FeedInputs { feed, items, quiet_since })
        };
        match generated {
            Generated::Robots => PageInputs::Robots,
            Generated::NotFound => PageInputs::NotFound,
            Generated::Redirects => PageInputs::Redirects(
                self.redirects.pages.iter().map(|r| (r.served.as_str(), &archive.entries[r.entry].page)).collect(),
            ),
            Generated::SearchPage => PageInputs::SearchPage,
            Generated::SearchScript => PageInputs::Bytes(search::SCRIPT.as_bytes()),
            Generated::SearchIndex(i) => {
                PageInputs::Bytes(self.search.as_ref().and_then(|s| s.files.get(i)).map_or(&[], |f| &f.bytes))
            }
            Generated::SearchChunk(n) => match self.search.as_ref().and_then(|s| s.chunks.get(n)) {
                Some(chunk) => PageInputs::SearchChunk(chunk),
                None => PageInputs::Bytes(&[]),
            },
            Generated::SiteAtom | Generated::SiteRss => {
                let rss = generated == Generated::SiteRss;
                feed(FeedKind::Site { rss }, &mut (0..archive.entries.len()), self.full_feed)
            }
            Generated::AuthorFeed(a) => {
                let author = &archive.authors[a];
                let kind = FeedKind::Author { name: &author.name, slug: &author.slug };
                feed(kind, &mut author.entries.iter().copied(), false)
            }
            Generated::CorrectionsFeed => feed(FeedKind::Corrections, &mut archive.corrected.iter().copied(), false),
            Generated::TopicFeed(kind, n) => {
                let topic = self.topic_ref(kind, n as u32);
                let entries = &archive.discovery.of(kind)[n].entries;
                feed(FeedKind::Topic(kind, topic), &mut entries.iter().copied(), false)
            }
            Generated::NewsSitemap => PageInputs::News(self.news.iter().map(|&i| self.card(i)).collect()),
            Generated::Sitemap(n) => PageInputs::Sitemap(self.sitemaps.map(|s| s.inputs(n)).unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    //! The property the module promises: whatever changes in the archive,
    //! a page whose bytes change has a new key. Every page of a small
    //! archive is rendered and keyed before and after each of many changes
    //! (to every field of every article, as an edit of its source makes
    //! them), under both bundled themes, as an incremental build sees them
    //! (with the previous build's records of what each page linked to).

    use super::*;
    use crate::archive::Archive;
    use crate::config::{Config, Permalink, SitePaths};
    use crate::load::{ArticleDate, ArticleMeta, Author, Correction, Extra, Summary};
    use crate::render::{Renderer, Theme, feeds, sitemap};

    fn meta(n: usize, date: &str, authors: &[&str]) -> ArticleMeta {
        let at = |d: &str| ArticleDate { at: DateTime::parse_from_rfc3339(d).unwrap(), has_time: true };
        ArticleMeta {
            authors: authors
                .iter()
                .map(|a| Author { name: a.to_string(), slug: Slug::from_text(a).unwrap() })
                .collect(),
            location: Some("Northport".into()),
            tags: if n.is_multiple_of(2) { vec!["harbour".into(), "ports".into()] } else { vec!["harbour".into()] },
            categories: vec!["local".into()],
            section: Some("local".into()),
            story: [1, 3, 4].contains(&n).then(|| "harbour-strike".to_string()),
            summary: Summary { text: format!("Summary {n}"), written: n.is_multiple_of(2) },
            corrections: if n == 2 {
                vec![Correction { date: at("2025-12-05T10:00:00Z"), text: "A name was misspelled.".into() }]
            } else {
                vec![]
            },
            image: (n == 1).then(|| "photo.jpg".to_string()),
            aliases: if n == 3 { vec![alias("/old/3/"), alias("/?p=3")] } else { vec![] },
            stamp: crate::load::Stamp { hash: n as Key, ..Default::default() },
            ..crate::testing::article(&format!("2025/a{n}.md"), &format!("Story {n}"), at(date).at)
        }
    }

    fn alias(written: &str) -> crate::load::Alias {
        crate::load::Alias { written: written.into(), place: Default::default() }
    }

    fn archive_metas() -> Vec<ArticleMeta> {
        vec![
            meta(0, "2024-11-30T09:00:00Z", &["Ann Lee"]),
            meta(1, "2025-11-03T09:00:00Z", &["Ann Lee", "Bo Chen"]),
            meta(2, "2025-12-01T10:00:00-05:00", &["Bo Chen"]),
            meta(3, "2025-12-01T12:00:00Z", &["Cy Dee"]),
            meta(4, "2025-12-03T08:00:00Z", &["Ann Lee"]),
            meta(5, "2025-12-03T18:00:00Z", &[]),
        ]
    }

    /// A named change to an article.
    type Edit = (&'static str, fn(&mut ArticleMeta));

    /// Every field of an article, changed as an edit of its source changes it.
    fn edits() -> Vec<Edit> {
        vec![
            ("title", |m| m.title.push_str(" (updated)")),
            ("time of day", |m| m.date.at += chrono::Duration::minutes(5)),
            ("day", |m| m.date.at += chrono::Duration::days(1)),
            ("year", |m| m.date.at -= chrono::Duration::days(400)),
            ("offset", |m| m.date.at = m.date.at.with_timezone(&FixedOffset::east_opt(3600).unwrap())),
            ("time shown", |m| m.date.has_time = !m.date.has_time),
            ("updated", |m| {
                m.updated = Some(ArticleDate { at: m.date.at + chrono::Duration::days(2), has_time: true })
            }),
            ("byline renamed", |m| m.authors.iter_mut().for_each(|a| a.name = a.name.to_uppercase())),
            ("byline added", |m| {
                m.authors.push(Author { name: "Dana Eve".into(), slug: Slug::from_text("Dana Eve").unwrap() })
            }),
            ("byline removed", |m| m.authors.clear()),
            ("dateline", |m| m.location = Some("Southport".into())),
            ("tags", |m| m.tags.push("storm".into())),
            ("categories", |m| m.categories.push("weather".into())),
            ("section", |m| m.section = Some("Weather".into())),
            ("section respelled", |m| m.section = m.section.as_ref().map(|s| s.to_uppercase())),
            ("tag respelled", |m| m.tags.iter_mut().for_each(|t| *t = t.to_uppercase())),
            ("tags removed", |m| m.tags.clear()),
            ("story joined", |m| m.story = Some("harbour-strike".into())),
            ("story left", |m| m.story = None),
            ("story renamed", |m| m.story = Some("Harbour Strike".into())),
            ("summary", |m| m.summary.text.push_str(" More.")),
            ("standfirst", |m| m.summary.written = !m.summary.written),
            ("slug", |m| m.slug = Slug::from_text("renamed").unwrap()),
            ("correction", |m| {
                let date = ArticleDate { at: m.date.at + chrono::Duration::hours(30), has_time: true };
                m.corrections.push(Correction { date, text: "Corrected.".into() })
            }),
            ("image", |m| m.image = Some("other.png".into())),
            ("aliases", |m| m.aliases.extend([alias("/older/"), alias("/?p=99")])),
            ("extra", |m| {
                let mut extra = serde_json::Map::new();
                extra.insert("weight".into(), 3.into());
                m.extra = Extra::from_map(&extra);
            }),
        ]
    }

    /// One file of a build: its path, key, bytes and (for an article)
    /// the content paths its body linked to.
    type Made = (String, Key, Vec<u8>, Vec<String>);

    /// The records a build leaves for the next: what each page linked to.
    fn records(made: &[Made]) -> Manifest {
        let mut manifest = Manifest::default();
        for (rel, key, _, linked) in made {
            let record =
                crate::state::OutputRecord { key: Some(*key), hash: 0, linked: linked.clone(), broken: vec![] };
            manifest.outputs.insert(rel.clone(), record);
        }
        manifest
    }

    /// Every file of a build of `metas`, after a build that left `previous`.
    fn pages(mut metas: Vec<ArticleMeta>, theme: &Theme, config: &Config, previous: Option<&Manifest>) -> Vec<Made> {
        let per_page = config.per_page;
        // Terms as the load phase makes them, from the article as edited.
        for meta in &mut metas {
            let body = format!("Body of {}.", meta.source);
            meta.terms = Some(crate::load::search_terms(meta, &body, &search::Language::from_tag("en")));
        }
        let archive = Archive::build(metas, &config.permalink, per_page, &config.topics);
        let search_files = super::super::search::index(&archive, config, 7, None);
        let listings = archive.listings(per_page, &config.indexes);
        let paths: Vec<&str> = archive.entries.iter().map(|e| e.meta.source.as_str()).collect();
        let content: HashSet<&str> = paths.iter().copied().chain(["photo.jpg"]).collect();
        let sitemaps = Sitemaps::of(&archive, &listings);
        let now = DateTime::parse_from_rfc3339("2025-12-04T00:00:00Z").unwrap();
        let news = super::super::sitemaps::recent(&archive, now);
        let redirects =
            super::super::redirects::Redirects::collect(&archive, config.base_url.as_ref(), "content".as_ref());
        let photos = crate::photos::Catalog::default();
        let related = super::super::related::find(&archive, &config.topics, None, &[]);
        let sources = Sources {
            content: &content,
            photos: &photos,
            previous,
            settings: 7,
            feed_limit: 4,
            full_feed: true,
            sitemaps: Some(&sitemaps),
            news: &news,
            indexes: config.indexes,
            // Stories of December 3 in earlier years are "On this day".
            today: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            redirects: &redirects,
            related: Some(&related.record.lists),
            search: Some(search_files),
        };
        let inputs = Inputs::new(&archive, sources);
        let renderer = Renderer::new(theme, config, archive.entries.len());
        let base = config.base_url.as_ref().unwrap();
        // A body (part of the source, like its content hash) that links to
        // the next story's source.
        let body_of = |card: Card<'_>| {
            let n: usize = card.entry.meta.source.trim_start_matches("2025/a").trim_end_matches(".md").parse().unwrap();
            crate::load::Body::new(format!("Body of {n}. See [the next](a{}.md).", n + 1))
        };
        let body =
            |card: Card<'_>, links: &Links<'_>| Some(renderer.body_html(card, links, &body_of(card), true).ok()?.html);
        let mut jobs: Vec<(String, Job)> =
            (0..archive.entries.len()).map(|i| (archive.entries[i].page.file(), Job::Article(i))).collect();
        jobs.extend(listings.iter().map(|l| (l.path(&archive).file(), Job::Listing(*l))));
        jobs.extend(super::super::generated(&inputs).into_iter().map(|(g, rel)| (rel, Job::Generated(g))));
        jobs.extend(redirects.pages.iter().enumerate().map(|(r, page)| (page.file.clone(), Job::Redirect(r))));
        jobs.into_iter()
            .map(|(rel, job)| {
                let page = inputs.of(&job).unwrap();
                let mut linked = Vec::new();
                let bytes = match &page {
                    PageInputs::Article(a) => {
                        let made = renderer.article(a, &body_of(a.card)).unwrap();
                        linked = made.linked;
                        made.page.html
                    }
                    PageInputs::Listing(l) => renderer.listing(l).unwrap().html,
                    PageInputs::Feed(f) => {
                        let feed = feeds::feed(f, config, base, &body);
                        if f.feed == (FeedKind::Site { rss: true }) { feed.to_rss() } else { feed.to_atom() }
                            .into_bytes()
                    }
                    PageInputs::Sitemap(s) => sitemap::sitemap(s, base),
                    PageInputs::News(cards) => sitemap::news_sitemap(&sitemap::news_urls(cards, base), "G", "en"),
                    PageInputs::Robots => sitemap::robots(Some(base)).into_bytes(),
                    PageInputs::NotFound => renderer.not_found().unwrap(),
                    PageInputs::Redirect(r) => crate::render::redirects::page(r, Some(base), "en"),
                    PageInputs::Redirects(lines) => crate::render::redirects::netlify(lines, base),
                    PageInputs::SearchPage => renderer.search_page(super::super::SEARCH_SCRIPT).unwrap(),
                    PageInputs::Bytes(bytes) => bytes.to_vec(),
                    PageInputs::SearchChunk(chunk) => inputs.search().unwrap().chunk_file(&archive, chunk),
                };
                (rel, inputs.key(&page), bytes, linked)
            })
            .collect()
    }

    #[test]
    fn a_page_whose_bytes_change_gets_a_new_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let paths = SitePaths::new(dir.path(), None);
        for theme_name in [None, Some("broadsheet")] {
            let mut config = Config::default();
            config.per_page = 2;
            config.base_url = Some(crate::config::BaseUrl::parse("https://example.org/news/").unwrap());
            config.permalink = Permalink::parse("{year}/{month}/{day}/{slug}/").unwrap();
            config.theme = theme_name.map(str::to_string);
            let theme = Theme::load(&paths, &config).unwrap();
            // The build before, as the next one sees it (with the records
            // of what its pages linked to).
            let previous = records(&pages(archive_metas(), &theme, &config, None));
            let before = pages(archive_metas(), &theme, &config, Some(&previous));
            let mut changed_pages = 0;
            for article in 0..archive_metas().len() {
                for (what, edit) in edits() {
                    let mut metas = archive_metas();
                    edit(&mut metas[article]);
                    // An edit changes the source, so its content hash.
                    metas[article].stamp.hash += 1000;
                    let after = pages(metas, &theme, &config, Some(&previous));
                    for (rel, key, bytes, _) in &after {
                        let Some((_, old_key, old_bytes, _)) = before.iter().find(|(r, ..)| r == rel) else { continue };
                        if old_bytes != bytes {
                            changed_pages += 1;
                            assert_ne!(
                                old_key, key,
                                "{rel} changed but kept its key after the {what} of story {article} changed"
                            );
                        }
                    }
                }
            }
            assert!(changed_pages > 500, "the edits changed only {changed_pages} pages");
        }
    }
}
