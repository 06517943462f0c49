//! Archive phase, discovery indexes: sections, tags, places (datelines),
//! running stories (threads), calendar days in every year, and the
//! related stories of an article.
//!
//! Input: the articles newest first, and the profiles of sections, tags
//! and places. Output: a [`Discovery`]: each index as a list of topics,
//! each topic with its articles as positions in the archive; what each
//! article is filed under; and [`Discovery::related`], which scores only
//! the articles near an article in time within its thread, tags and place
//! (a bounded window each), so the whole archive's related lists cost
//! O(n log n), never a comparison of every pair; and
//! [`Discovery::related_touched`], which tells whose related lists an edit
//! can have changed, so an incremental build finds only those again.

use chrono::Datelike;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::config::{TopicKind, Topics};
use crate::load::ArticleMeta;
use crate::slug::Slug;

/// A section, tag, place or story, and its articles.
#[derive(Debug, Clone)]
pub struct Topic {
    /// The name to show: the profile's, or the spelling used most often
    /// (the newest wins a tie).
    pub name: String,
    /// Its page's URL segment.
    pub slug: Slug,
    /// Its articles, as positions in the archive: newest first (stories:
    /// oldest first).
    pub entries: Vec<usize>,
}

/// A calendar day with stories, in every year.
#[derive(Debug, Clone)]
pub struct CalendarDay {
    /// The month, 1–12.
    pub month: u32,
    /// The day of the month.
    pub day: u32,
    /// Its stories in every year, newest first.
    pub entries: Vec<usize>,
}

/// What one article is filed under, as positions in the indexes.
#[derive(Debug, Clone, Default)]
pub struct Filed {
    /// In [`Discovery::sections`].
    pub section: Option<u32>,
    /// In [`Discovery::tags`], in the order the article gives them.
    pub tags: Vec<u32>,
    /// In [`Discovery::places`].
    pub place: Option<u32>,
    /// In [`Discovery::stories`].
    pub story: Option<u32>,
}

/// The discovery indexes of an archive.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// Desks: those listed in `sections:` first, in that order (with a
    /// page even before they have stories), then the others by slug.
    pub sections: Vec<Topic>,
    /// Tags by slug.
    pub tags: Vec<Topic>,
    /// Places by slug.
    pub places: Vec<Topic>,
    /// Running stories by slug; their articles oldest first.
    pub stories: Vec<Topic>,
    /// Calendar days with stories, January 1 first.
    pub calendar: Vec<CalendarDay>,
    /// What each article is filed under, in archive order.
    pub filed: Vec<Filed>,
}

impl Discovery {
    /// The indexes of `metas` (newest first).
    pub fn build(metas: &[ArticleMeta], topics: &Topics) -> Discovery {
        let mut filed = vec![Filed::default(); metas.len()];
        let resolve = |kind: TopicKind| {
            move |name: &str| topics.resolve(kind, name).map(|(slug, p)| (slug, p.map(|p| p.name.clone())))
        };
        // Tags on one core (most names are tags), the rest on the other.
        let ((tags, tag_of), (mut sections, places, mut stories)) = rayon::join(
            || group(metas, |m| m.tags.as_slice(), resolve(TopicKind::Tag)),
            || {
                (
                    group(metas, |m| m.section.as_slice(), resolve(TopicKind::Section)).0,
                    group(metas, |m| m.location.as_slice(), resolve(TopicKind::Place)).0,
                    group(metas, |m| m.story.as_slice(), |name| Slug::from_name(name).map(|slug| (slug, None))).0,
                )
            },
        );
        add_desks(&mut sections, topics);
        for story in &mut stories {
            story.entries.reverse();
            story.name = thread_title(&story.name, &metas[story.entries[0]].title);
        }
        for (n, topic) in sections.iter().enumerate() {
            topic.entries.iter().for_each(|&i| filed[i].section = Some(n as u32));
        }
        // An article's tags in the order it gives them.
        for (meta, filed) in metas.iter().zip(&mut filed) {
            for n in meta.tags.iter().filter_map(|name| tag_of.get(name.as_str())) {
                if !filed.tags.contains(n) {
                    filed.tags.push(*n);
                }
            }
        }
        for (n, topic) in places.iter().enumerate() {
            topic.entries.iter().for_each(|&i| filed[i].place = Some(n as u32));
        }
        for (n, topic) in stories.iter().enumerate() {
            topic.entries.iter().for_each(|&i| filed[i].story = Some(n as u32));
        }
        Discovery { sections, tags, places, stories, calendar: calendar(metas), filed }
    }

    /// The index of this kind.
    pub fn of(&self, kind: TopicKind) -> &[Topic] {
        match kind {
            TopicKind::Section => &self.sections,
            TopicKind::Tag => &self.tags,
            TopicKind::Place => &self.places,
        }
    }

    /// The calendar day `month`-`day`, if it has stories.
    pub fn calendar_day(&self, month: u32, day: u32) -> Option<&CalendarDay> {
        self.calendar.binary_search_by_key(&(month, day), |d| (d.month, d.day)).ok().map(|at| &self.calendar[at])
    }
}

/// A thread's title: the `story:` value when it reads as a name (it has a
/// space or a capital), else the headline of its first article.
fn thread_title(written: &str, first_headline: &str) -> String {
    if written.contains(' ') || written.chars().any(char::is_uppercase) {
        written.to_string()
    } else {
        first_headline.to_string()
    }
}

/// Group the articles by the slug of each name `names` gives them (an
/// article is listed once per topic however often it names it). The name
/// shown is the profile's, else the most used spelling (the newest wins
/// a tie: articles are newest first). Sorted by slug; with the topic of
/// each spelling, by its place among them.
fn group<'m>(
    metas: &'m [ArticleMeta],
    names: impl Fn(&'m ArticleMeta) -> &'m [String],
    resolve: impl Fn(&str) -> Option<(Slug, Option<String>)>,
) -> (Vec<Topic>, HashMap<&'m str, u32>) {
    // Topics as found, each with its profile's name.
    let mut topics: Vec<(Topic, Option<String>)> = Vec::new();
    let mut by_slug: HashMap<Slug, usize> = HashMap::default();
    // Each spelling is resolved once (archives repeat their tags), then
    // counted: one lookup per name an article gives.
    let mut spellings: HashMap<&'m str, Option<Spelling>> = HashMap::default();
    for (i, meta) in metas.iter().enumerate() {
        for name in names(meta) {
            let spelling = spellings.entry(name).or_insert_with(|| {
                let (slug, profile_name) = resolve(name)?;
                let topic = *by_slug.entry(slug.clone()).or_insert_with(|| {
                    topics.push((Topic { name: String::new(), slug, entries: Vec::new() }, profile_name));
                    topics.len() - 1
                });
                Some(Spelling { topic, count: 0, first: i })
            });
            let Some(spelling) = spelling else { continue };
            spelling.count += 1;
            let entries = &mut topics[spelling.topic].0.entries;
            if entries.last() != Some(&i) {
                entries.push(i);
            }
        }
    }
    let mut most_used: Vec<Option<(&str, &Spelling)>> = vec![None; topics.len()];
    for (name, spelling) in spellings.iter().filter_map(|(name, s)| Some((*name, s.as_ref()?))) {
        let best = &mut most_used[spelling.topic];
        if best.is_none_or(|(best_name, best)| spelling.beats(name, best, best_name)) {
            *best = Some((name, spelling));
        }
    }
    let mut topics: Vec<(usize, Topic)> = topics
        .into_iter()
        .zip(most_used)
        .map(|((mut topic, profile_name), most_used)| {
            topic.name = profile_name.or(most_used.map(|(name, _)| name.to_string())).unwrap_or_default();
            topic
        })
        .enumerate()
        .collect();
    topics.sort_by(|(_, a), (_, b)| a.slug.cmp(&b.slug));
    // Found as the `n`th, sorted as the `place[n]`th.
    let mut place = vec![0; topics.len()];
    topics.iter().enumerate().for_each(|(sorted, &(found, _))| place[found] = sorted as u32);
    let of = spellings.into_iter().filter_map(|(name, s)| Some((name, place[s?.topic]))).collect();
    (topics.into_iter().map(|(_, topic)| topic).collect(), of)
}

/// One spelling of a topic's name, as articles use it.
struct Spelling {
    /// The topic it files under.
    topic: usize,
    /// How many times articles use it.
    count: usize,
    /// The first (newest) article that does.
    first: usize,
}

impl Spelling {
    /// Whether this spelling (`name`) is shown rather than `other`: used
    /// more often, else by a newer article, else first in text order.
    fn beats(&self, name: &str, other: &Spelling, other_name: &str) -> bool {
        (other.count, self.first, name) < (self.count, other.first, other_name)
    }
}

/// Put the desks listed in `sections:` first, in that order, each with a
/// page even before it has stories.
fn add_desks(sections: &mut Vec<Topic>, topics: &Topics) {
    for (at, desk) in topics.desks.iter().enumerate() {
        let found = sections.iter().position(|s| &s.slug == desk);
        let topic = match found {
            Some(i) => sections.remove(i),
            None => {
                let name =
                    topics.profile(TopicKind::Section, desk).map_or_else(|| desk.to_string(), |p| p.name.clone());
                Topic { name, slug: desk.clone(), entries: Vec::new() }
            }
        };
        sections.insert(at, topic);
    }
}

/// Calendar days with their stories in every year, January 1 first.
fn calendar(metas: &[ArticleMeta]) -> Vec<CalendarDay> {
    let mut days: HashMap<(u32, u32), Vec<usize>> = HashMap::default();
    for (i, meta) in metas.iter().enumerate() {
        let day = meta.date.day();
        days.entry((day.month(), day.day())).or_default().push(i);
    }
    let mut calendar: Vec<CalendarDay> =
        days.into_iter().map(|((month, day), entries)| CalendarDay { month, day, entries }).collect();
    calendar.sort_by_key(|d| (d.month, d.day));
    calendar
}

/// How many articles on each side of an article, in time, each of its
/// thread, tags and place offers as candidates.
const WINDOW: usize = 15;

/// Same place counts only within this many days.
const PLACE_DAYS: i32 = 7;

/// When an article was published, as [`Discovery::related`] compares
/// articles: its calendar day as a number of days, and its second.
#[derive(Debug, Clone, Copy)]
pub struct When {
    day: i32,
    second: i64,
}

impl When {
    /// When `meta`'s article was published.
    pub fn of(meta: &ArticleMeta) -> When {
        When { day: meta.date.day().num_days_from_ce(), second: meta.date.at.timestamp() }
    }
}

impl Discovery {
    /// Up to `limit` articles related to article `i`: its thread first
    /// (nearest in time first), then by shared tags weighted by rarity
    /// (a tag on fewer articles counts more), plus a little for the same
    /// place within a week. Ties go to the nearer in time, then the newer.
    /// `when[j]` is when article `j` was published.
    ///
    /// What it reads, [`Discovery::related_touched`] must account for.
    pub fn related(&self, i: usize, when: &[When], limit: usize) -> Vec<u32> {
        let filed = &self.filed[i];
        SCORES.with_borrow_mut(|scores| {
            scores.start(when.len());
            if let Some(story) = filed.story {
                window(&self.stories[story as usize].entries, i, true).for_each(|j| scores.add(j, THREAD));
            }
            for &tag in &filed.tags {
                let entries = &self.tags[tag as usize].entries;
                let weight = tag_weight(when.len(), entries.len());
                window(entries, i, false).for_each(|j| scores.add(j, weight));
            }
            if let Some(place) = filed.place {
                let near = |&j: &usize| (when[j].day - when[i].day).abs() <= PLACE_DAYS;
                window(&self.places[place as usize].entries, i, false).filter(near).for_each(|j| scores.add(j, PLACE));
            }
            scores.best(i, when, limit)
        })
    }

    /// Which articles' related stories can differ from the previous
    /// build's, in an archive of `total` articles in the same order as
    /// then, in which only the articles of `edited` changed (each as
    /// position, metadata then, metadata now).
    ///
    /// [`Discovery::related`] reads an article's own thread, tags, place
    /// and day; the members of those topics within a window of it, with
    /// their days; each tag's weight; and positions. With positions
    /// unchanged, an article's list can change only if it was edited
    /// itself, if an edited article joined, left or moved in time within
    /// one of its topics near enough to fall in its window, or if one of
    /// its tags changed weight (a member came or went).
    pub fn related_touched(
        &self,
        topics: &Topics,
        total: usize,
        edited: &[(usize, &ArticleMeta, &ArticleMeta)],
    ) -> Vec<bool> {
        let mut touched = vec![false; total];
        // Per tag: members gained minus members lost.
        let mut gained: HashMap<Slug, i64> = HashMap::default();
        for &(i, then, now) in edited {
            let (then, now) = (RelatedFiling::of(then, topics), RelatedFiling::of(now, topics));
            if then == now {
                continue;
            }
            touched[i] = true;
            for filing in [&then, &now] {
                for (entries, reversed) in self.related_topics(filing) {
                    let at = place_in(entries, i, reversed);
                    let near = &entries[at.saturating_sub(WINDOW + 1)..(at + WINDOW + 2).min(entries.len())];
                    near.iter().for_each(|&j| touched[j] = true);
                }
            }
            now.tags.iter().filter(|t| !then.tags.contains(t)).for_each(|t| *gained.entry(t.clone()).or_default() += 1);
            then.tags.iter().filter(|t| !now.tags.contains(t)).for_each(|t| *gained.entry(t.clone()).or_default() -= 1);
        }
        for (slug, gained) in gained {
            let Some(tag) = find(&self.tags, &slug) else { continue };
            let before = tag.entries.len() as i64 - gained;
            if before <= 0 || tag_weight(total, before as usize) != tag_weight(total, tag.entries.len()) {
                tag.entries.iter().for_each(|&j| touched[j] = true);
            }
        }
        touched
    }

    /// The member lists of the topics of a filing that exist, each with
    /// whether it is oldest first (a thread).
    fn related_topics<'d>(&'d self, filing: &RelatedFiling) -> impl Iterator<Item = (&'d [usize], bool)> {
        let story = filing.story.as_ref().and_then(|s| find(&self.stories, s)).map(|t| (&t.entries[..], true));
        let tags = filing.tags.iter().filter_map(|s| find(&self.tags, s)).map(|t| (&t.entries[..], false));
        let place = filing.place.as_ref().and_then(|s| find(&self.places, s)).map(|t| (&t.entries[..], false));
        story.into_iter().chain(tags).chain(place)
    }
}

/// What [`Discovery::related`] reads of an article itself: the slugs of
/// its thread, tags and place, and when it was published.
#[derive(PartialEq, Eq)]
struct RelatedFiling {
    story: Option<Slug>,
    /// Sorted, each once.
    tags: Vec<Slug>,
    place: Option<Slug>,
    /// Its calendar day as written (the same instant may fall on another
    /// day in another offset), and its instant.
    when: (chrono::NaiveDate, chrono::DateTime<chrono::FixedOffset>),
}

impl RelatedFiling {
    /// As [`Discovery::build`] files the article.
    fn of(meta: &ArticleMeta, topics: &Topics) -> Self {
        let slug = |kind, name: &str| topics.resolve(kind, name).map(|(slug, _)| slug);
        let mut tags: Vec<Slug> = meta.tags.iter().filter_map(|t| slug(TopicKind::Tag, t)).collect();
        tags.sort_unstable();
        tags.dedup();
        RelatedFiling {
            story: meta.story.as_deref().and_then(Slug::from_name),
            tags,
            place: meta.location.as_deref().and_then(|p| slug(TopicKind::Place, p)),
            when: (meta.date.day(), meta.date.at),
        }
    }
}

/// The topic with this slug in an index sorted by slug.
fn find<'t>(index: &'t [Topic], slug: &Slug) -> Option<&'t Topic> {
    index.binary_search_by(|t| t.slug.cmp(slug)).ok().map(|at| &index[at])
}

/// A tag's points in an archive of `total` articles when it has
/// `members`: its inverse document frequency, in thousandths.
fn tag_weight(total: usize, members: usize) -> u64 {
    ((total.max(2) as f64 / members as f64).ln() * 1000.0).max(1.0) as u64
}

/// Every article's related stories, as positions in the archive, in
/// archive order: one flat list, and where each article's part ends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedLists {
    ends: Vec<u32>,
    flat: Vec<u32>,
}

impl RelatedLists {
    /// Room for `articles` lists of up to `each` stories.
    pub fn with_capacity(articles: usize, each: usize) -> Self {
        RelatedLists { ends: Vec::with_capacity(articles), flat: Vec::with_capacity(articles * each) }
    }

    /// Add the next article's list.
    pub fn push(&mut self, list: &[u32]) {
        self.flat.extend_from_slice(list);
        self.ends.push(self.flat.len() as u32);
    }

    /// Article `i`'s related stories, best first.
    pub fn get(&self, i: usize) -> &[u32] {
        let start = i.checked_sub(1).map_or(0, |p| self.ends[p] as usize);
        &self.flat[start..self.ends[i] as usize]
    }

    /// How many articles have a list.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether no article has one.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

thread_local! {
    /// Each thread's scratch table for [`Discovery::related`].
    static SCORES: std::cell::RefCell<Scores> = std::cell::RefCell::new(Scores::default());
}

/// Points per article while one article's related stories are scored: a
/// table as long as the archive, of which only the touched entries are
/// read and then cleared, so each article costs what its windows hold.
#[derive(Default)]
struct Scores {
    points: Vec<u64>,
    touched: Vec<usize>,
}

impl Scores {
    /// Ready for an archive of `n` articles, every score zero.
    fn start(&mut self, n: usize) {
        if self.points.len() < n {
            self.points.resize(n, 0);
        }
    }

    fn add(&mut self, j: usize, points: u64) {
        if self.points[j] == 0 {
            self.touched.push(j);
        }
        self.points[j] += points;
    }

    /// The `limit` best scored articles other than `i`: most points first,
    /// then nearer to `i` in time, then newer. Clears the table.
    fn best(&mut self, i: usize, when: &[When], limit: usize) -> Vec<u32> {
        // One number per candidate orders them: points (inverted, so the
        // most come first), then seconds from `i`, then position.
        let mut ranked: Vec<u128> = Vec::with_capacity(self.touched.len());
        for j in self.touched.drain(..) {
            let points = std::mem::take(&mut self.points[j]);
            if j != i {
                let (distance, j) = (u128::from(when[j].second.abs_diff(when[i].second)), j as u128);
                ranked.push((u128::from(u64::MAX - points) << 64) | (distance.min(u32::MAX.into()) << 32) | j);
            }
        }
        if limit > 0 && ranked.len() > limit {
            ranked.select_nth_unstable(limit - 1);
        }
        ranked.truncate(limit);
        ranked.sort_unstable();
        ranked.into_iter().map(|key| key as u32).collect()
    }
}

/// A thread member outranks any sum of tags.
const THREAD: u64 = 1 << 40;

/// Same place within a week.
const PLACE: u64 = 200;

/// The members of a topic nearest in time to article `i`: up to
/// [`WINDOW`] on each side of where `i` stands in its list.
fn window(entries: &[usize], i: usize, reversed: bool) -> impl Iterator<Item = usize> + '_ {
    let at = place_in(entries, i, reversed);
    entries[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(entries.len())].iter().copied()
}

/// Where article `i` stands (or would stand) in a topic's list: a
/// topic's positions increase (newest first), or decrease when `reversed`
/// (a story, oldest first).
fn place_in(entries: &[usize], i: usize, reversed: bool) -> usize {
    if reversed { entries.partition_point(|&j| j > i) } else { entries.partition_point(|&j| j < i) }
}
