//! Related stories, planned: every article's list, found again only where
//! an edit can have changed it.
//!
//! Part of the plan phase. Input: the archive, the lists the previous
//! build found (with the key of the archive order their positions index)
//! and the articles read again since, as that build had them. Output:
//! [`Found`]: every article's related stories, the same lists as
//! [`Discovery::related`](crate::archive::discovery::Discovery::related)
//! gives for each article of the whole archive, and whether they differ
//! from the previous build's. Finding them all costs about a fifth of an
//! incremental build of a big archive; after an edit that keeps the
//! archive's order (a retag, a new section, a body), only the lists
//! [`Discovery::related_touched`](crate::archive::discovery::Discovery::related_touched)
//! names are found again. Any other change (an article added, removed or
//! moved in time) finds them all.

use rayon::prelude::*;

use super::inputs::{RELATED, THREAD_AROUND};
use crate::archive::Archive;
use crate::archive::discovery::{RelatedLists, When};
use crate::config::Topics;
use crate::keys::{Key, KeyBuilder};
use crate::load::ArticleMeta;
use crate::state::RelatedRecord;

/// Related stories kept per article: those a page shows, and as many
/// again as "The story so far" may already show (they are not repeated).
const KEPT: usize = RELATED + 2 * THREAD_AROUND;

/// Every article's related stories, for this build and the next.
pub struct Found {
    /// The lists, with the key of the archive order they index.
    pub record: RelatedRecord,
    /// Whether they differ from the previous build's.
    pub changed: bool,
}

/// Every article's related stories. `previous` is what the previous build
/// found, when it loaded the articles with the same settings (so that
/// `edited` holds every article whose metadata changed since, as it was).
pub fn find(archive: &Archive, topics: &Topics, previous: Option<RelatedRecord>, edited: &[ArticleMeta]) -> Found {
    let when: Vec<When> = archive.entries.iter().map(|e| When::of(&e.meta)).collect();
    let search = |i: usize| archive.discovery.related(i, &when, KEPT);
    let order = order_key(archive);
    match previous.filter(|p| p.order == order && p.lists.len() == archive.entries.len()) {
        Some(previous) => update(archive, topics, previous, edited, search),
        None => {
            let found: Vec<Vec<u32>> = (0..archive.entries.len()).into_par_iter().map(search).collect();
            let mut lists = RelatedLists::with_capacity(found.len(), KEPT);
            found.iter().for_each(|list| lists.push(list));
            Found { record: RelatedRecord { order, lists }, changed: true }
        }
    }
}

/// The previous build's lists, with those an edit can have changed found
/// again (the archive's order is the same).
fn update(
    archive: &Archive,
    topics: &Topics,
    previous: RelatedRecord,
    edited: &[ArticleMeta],
    search: impl Fn(usize) -> Vec<u32> + Sync,
) -> Found {
    let edited: Vec<(usize, &ArticleMeta, &ArticleMeta)> = edited
        .iter()
        .filter_map(|then| archive.position(&then.source).map(|i| (i, then, &archive.entries[i].meta)))
        .collect();
    let touched = archive.discovery.related_touched(topics, archive.entries.len(), &edited);
    let found: Vec<(usize, Vec<u32>)> =
        touched.par_iter().enumerate().filter(|(_, t)| **t).map(|(i, _)| (i, search(i))).collect();
    let old = &previous.lists;
    if found.iter().all(|(i, list)| old.get(*i) == list.as_slice()) {
        return Found { record: previous, changed: false };
    }
    let mut lists = RelatedLists::with_capacity(old.len(), KEPT);
    let mut found = found.into_iter().peekable();
    for i in 0..old.len() {
        match found.next_if(|(j, _)| *j == i) {
            Some((_, list)) => lists.push(&list),
            None => lists.push(old.get(i)),
        }
    }
    Found { record: RelatedRecord { order: previous.order, lists }, changed: true }
}

/// The key of the archive's order: its sources, newest first. Equal keys
/// mean every position names the same article.
fn order_key(archive: &Archive) -> Key {
    let mut k = KeyBuilder::new("order");
    archive.entries.iter().for_each(|e| {
        k.str(&e.meta.source);
    });
    k.finish()
}

#[cfg(test)]
mod tests {
    //! The promise: after any edits, the lists found again only where
    //! [`Discovery::related_touched`] says are the lists of a search of the
    //! whole archive.

    use super::*;
    use crate::urls::Permalink;
    use chrono::{DateTime, Duration};

    /// xorshift, so a failure replays from its seed.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        /// Small numbers far more often than big ones: some topics are
        /// big, most small, as in a real archive.
        fn skewed(&mut self, n: usize) -> usize {
            let bound = 1 + self.below(n);
            self.below(bound)
        }
    }

    fn meta(n: usize, rng: &mut Rng) -> ArticleMeta {
        let start = DateTime::parse_from_rfc3339("2025-01-01T09:00:00Z").unwrap();
        let at = start + Duration::hours(rng.below(24 * 120) as i64);
        let mut meta = crate::testing::article(&format!("a{n}.md"), &format!("Story {n}"), at);
        refile(&mut meta, rng);
        meta
    }

    /// New tags (as written: case varies), place and thread, any of them
    /// possibly none; now and then a day later or earlier, or the same
    /// instant in another offset (on another day as written).
    fn refile(meta: &mut ArticleMeta, rng: &mut Rng) {
        let tags = rng.below(4);
        meta.tags = (0..tags).map(|_| format!("{} {}", ["tag", "Tag"][rng.below(2)], rng.skewed(40))).collect();
        meta.location = (rng.below(4) > 0).then(|| format!("Town {}", rng.skewed(8)));
        meta.story = (rng.below(3) == 0).then(|| format!("thread {}", rng.skewed(30)));
        match rng.below(6) {
            0 => meta.date.at += Duration::days(1),
            1 => meta.date.at -= Duration::days(1),
            2 => meta.date.at = meta.date.at.with_timezone(&chrono::FixedOffset::west_opt(11 * 3600).unwrap()),
            _ => {}
        }
    }

    fn archive(metas: &[ArticleMeta]) -> Archive {
        Archive::build(metas.to_vec(), &Permalink::default(), 10, &Topics::default())
    }

    #[test]
    fn ties_go_to_the_nearer_in_time_not_the_nearer_in_the_archive() {
        let at = DateTime::parse_from_rfc3339("2025-05-10T12:00:00Z").unwrap();
        let story = |name: &str, minutes: i64, tagged: bool| {
            let mut meta = crate::testing::article(&format!("{name}.md"), name, at + Duration::minutes(minutes));
            meta.tags = if tagged { vec!["rare".into()] } else { Vec::new() };
            meta
        };
        let related = |archive: &Archive, lists: &RelatedLists| -> Vec<String> {
            let x = archive.position("x.md").unwrap();
            lists.get(x).iter().map(|&j| archive.entries[j as usize].meta.title.clone()).collect()
        };
        // Five untagged stories stand between x and the one ten minutes
        // after it; the one a day before is next to it in the archive.
        let mut metas =
            vec![story("x", 0, true), story("ten minutes after", 10, true), story("a day before", -1440, true)];
        metas.extend((1..=5).map(|m| story(&format!("untagged {m}"), m, false)));
        let before = archive(&metas);
        let found = find(&before, &Topics::default(), None, &[]).record;
        assert_eq!(related(&before, &found.lists), ["ten minutes after", "a day before"]);

        // One more, an hour before x, as near as one an hour after: the
        // newer first. Then x moves a minute earlier, keeping its place in
        // the archive: the earlier is now nearer, and the list kept from
        // the previous build is found again.
        metas.push(story("an hour after", 60, true));
        metas.push(story("an hour before", -60, true));
        let tie = archive(&metas);
        let found = find(&tie, &Topics::default(), None, &[]).record;
        assert_eq!(related(&tie, &found.lists)[1..3], ["an hour after", "an hour before"]);
        let edited = vec![metas[0].clone()];
        metas[0].date.at -= Duration::minutes(1);
        let moved = archive(&metas);
        let found = find(&moved, &Topics::default(), Some(found), &edited).record;
        assert_eq!(related(&moved, &found.lists)[1..3], ["an hour before", "an hour after"]);
    }

    #[test]
    fn an_offset_that_moves_the_day_as_written_is_an_edit_of_its_related_stories() {
        let story = |name: &str, at: &str| {
            let mut meta =
                crate::testing::article(&format!("{name}.md"), name, DateTime::parse_from_rfc3339(at).unwrap());
            meta.location = Some("Harbor".into());
            meta
        };
        let mut metas = vec![story("a", "2025-05-10T00:30:00+00:00"), story("b", "2025-05-17T12:00:00+00:00")];
        let topics = Topics::default();
        let before = find(&archive(&metas), &topics, None, &[]).record;
        assert_eq!(before.lists.get(1), [0], "the same place within a week (May 10 to 17)");
        // The same instant, written in New York: May 9, eight days before.
        let edited = vec![metas[0].clone()];
        metas[0].date.at = DateTime::parse_from_rfc3339("2025-05-09T20:30:00-04:00").unwrap();
        let archive = archive(&metas);
        let found = find(&archive, &topics, Some(before), &edited).record;
        assert_eq!(found.lists, find(&archive, &topics, None, &[]).record.lists);
        assert!(found.lists.get(1).is_empty(), "more than a week apart as written");
    }

    #[test]
    fn lists_found_again_where_touched_are_those_of_a_whole_search() {
        let topics = Topics::default();
        let mut reused = 0;
        for seed in 1..=12u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let mut metas: Vec<ArticleMeta> = (0..400).map(|n| meta(n, &mut rng)).collect();
            let mut previous = find(&archive(&metas), &topics, None, &[]).record;
            for _ in 0..25 {
                let mut edited = Vec::new();
                for _ in 0..1 + rng.below(3) {
                    let n = rng.below(metas.len());
                    edited.push(metas[n].clone());
                    refile(&mut metas[n], &mut rng);
                }
                let archive = archive(&metas);
                let whole = find(&archive, &topics, None, &[]).record;
                let same_order = previous.order == whole.order;
                let found = find(&archive, &topics, Some(previous), &edited);
                assert_eq!(found.record.lists, whole.lists, "seed {seed}: lists differ after editing {edited:?}");
                reused += usize::from(same_order);
                previous = found.record;
            }
        }
        assert!(reused > 100, "only {reused} rounds kept the archive's order");
    }
}
