//! Archive phase: how each list's articles are cut into pages.
//!
//! A list's pages keep their articles as the archive changes. Pages are
//! counted from the list's oldest article, and a page ends after an article
//! whose source path hashes to a "cut" (or when it is full): where a page
//! ends depends on the articles around it, not on how many come before.
//! So publishing a new story changes only the newest page of each list it
//! joins, and refiling an old story changes the pages that show it, not
//! every page after it. Pages hold between half and twice `per_page`
//! articles, `per_page` on average.

/// Where one page stands in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PagePlace {
    /// Its number, counted from the list's oldest page (1).
    pub number: u32,
    /// Whether it is the list's first page, at the list's own address:
    /// the newest page of a list shown newest first, page 1 of a list
    /// shown oldest first (a running story).
    pub front: bool,
    /// Whether its list runs oldest first (a running story): its newer
    /// stories are then on the next page.
    pub oldest_first: bool,
    /// How many pages are newer than it, up to [`NEWER_SHOWN`]: enough to
    /// link the two pages on its newer side, and to know whether more
    /// follow, without every page changing whenever a page is added. A
    /// front page (which changes with every article of its list anyway:
    /// it shows their count) knows them all, so a running story's first
    /// page can link its newest.
    pub newer: u16,
}

/// The most newer pages a page needs to know of (see [`PagePlace::newer`]).
pub const NEWER_SHOWN: u16 = 4;

/// One page of a list: its place, and its articles as a span of the list
/// in the order the list shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListPage {
    /// Where it stands.
    pub place: PagePlace,
    /// First of its articles, as a position in the list as shown.
    pub start: u32,
    /// One past its last article.
    pub end: u32,
}

/// The fewest and most articles a page ends at (the list's last page can
/// hold more: a short remainder joins it), and one in how many articles
/// is a cut, so that pages average `per_page`.
fn bounds(per_page: usize) -> (usize, usize, u64) {
    let per_page = per_page.max(1);
    let fewest = per_page.div_ceil(2);
    (fewest, 2 * per_page, (per_page - fewest + 1) as u64)
}

/// Whether a page may end after the article with this source path.
pub fn is_cut(source: &str, per_page: usize) -> bool {
    let (_, _, one_in) = bounds(per_page);
    xxhash_rust::xxh3::xxh3_64(source.as_bytes()).is_multiple_of(one_in)
}

/// The pages of a list of `len` articles. `cut(k)` says whether the `k`-th
/// oldest article is a cut. A list shown oldest first has its front page
/// at its oldest end; other lists at their newest. An empty list has one
/// empty page.
pub fn pages(len: usize, per_page: usize, oldest_first: bool, cut: impl Fn(usize) -> bool) -> Vec<ListPage> {
    let (fewest, most, _) = bounds(per_page);
    // Ends of the pages (exclusive), in articles from the oldest.
    let mut ends = Vec::with_capacity(len / fewest + 1);
    let mut start = 0;
    for k in 0..len {
        let length = k + 1 - start;
        if length >= most || (length >= fewest && cut(k)) {
            ends.push(k + 1);
            start = k + 1;
        }
    }
    if start < len {
        match ends.last_mut() {
            Some(last) if len - start < fewest => *last = len,
            _ => ends.push(len),
        }
    }
    if ends.is_empty() {
        ends.push(0);
    }
    let count = ends.len();
    let mut from = 0;
    ends.into_iter()
        .enumerate()
        .map(|(i, end)| {
            let number = i + 1;
            let front = if oldest_first { number == 1 } else { number == count };
            let place =
                PagePlace { number: small(number), front, oldest_first, newer: newer_pages(count - number, front) };
            let (start, stop) = if oldest_first { (from, end) } else { (len - end, len - from) };
            from = end;
            ListPage { place, start: small(start), end: small(stop) }
        })
        .collect()
}

/// [`PagePlace::newer`] for a page with `after` newer pages: all of
/// them for a front page, up to [`UNCOUNTED`]; at most [`NEWER_SHOWN`]
/// for the others.
fn newer_pages(after: usize, front: bool) -> u16 {
    if front { u16::try_from(after).unwrap_or(UNCOUNTED) } else { after.min(usize::from(NEWER_SHOWN)) as u16 }
}

/// A front page's [`PagePlace::newer`] when more pages follow than it can
/// count: its links then leave the newest page out rather than link the
/// wrong one.
pub const UNCOUNTED: u16 = u16::MAX;

/// A count or position within one list (an archive holds fewer than
/// 2^32 articles: the load phase stops far below that).
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The most page numbers a list of `len` articles can have: addresses
/// reserved for its pages, so that no article takes one.
pub fn most_pages(len: usize, per_page: usize) -> usize {
    let (fewest, _, _) = bounds(per_page);
    (len / fewest).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(n: usize, tag: &str) -> Vec<String> {
        (0..n).map(|k| format!("{tag}/{k:05}.md")).collect()
    }

    fn spans(list: &[String], per_page: usize, oldest_first: bool) -> Vec<Vec<String>> {
        // `list` is as shown; cut() counts from the oldest.
        let oldest = |k: usize| if oldest_first { k } else { list.len() - 1 - k };
        pages(list.len(), per_page, oldest_first, |k| is_cut(&list[oldest(k)], per_page))
            .iter()
            .map(|p| list[p.start as usize..p.end as usize].to_vec())
            .collect()
    }

    #[test]
    fn pages_cover_the_list_once_in_order_with_sizes_in_bounds() {
        for per_page in [1, 2, 3, 5, 20] {
            let list = sources(1000, "a");
            let pages = pages(list.len(), per_page, false, |k| is_cut(&list[999 - k], per_page));
            assert_eq!(pages.last().map(|p| (p.start, p.place.front)), Some((0, true)));
            assert_eq!(pages[0].end, 1000);
            for (i, w) in pages.windows(2).enumerate() {
                assert_eq!(w[1].end, w[0].start, "pages meet");
                assert_eq!(w[0].place.number as usize, i + 1);
                assert!(!w[0].place.front);
            }
            let (fewest, most, _) = bounds(per_page);
            for p in &pages {
                let n = (p.end - p.start) as usize;
                assert!(n >= fewest && n < most + fewest, "{per_page}: page of {n}");
            }
            let mean = 1000.0 / pages.len() as f64;
            assert!(mean > per_page as f64 * 0.7 && mean < per_page as f64 * 1.4, "{per_page}: mean {mean}");
        }
    }

    #[test]
    fn one_new_story_changes_only_the_front_page() {
        let mut list = sources(500, "b");
        let before = spans(&list, 20, false);
        list.insert(0, "b/new.md".into());
        let after = spans(&list, 20, false);
        let changed = after.iter().filter(|p| !before.contains(p)).count();
        assert!(changed <= 2, "{changed} pages changed");
        // The older pages keep their numbers: page k is the same articles.
        let unchanged = before.len().min(after.len()) - 2;
        assert_eq!(before[..unchanged], after[..unchanged]);
    }

    #[test]
    fn a_story_leaving_the_middle_changes_the_pages_around_it() {
        // A page is its number and its articles: either changing rewrites it.
        let numbered =
            |list: &[String]| -> Vec<(usize, Vec<String>)> { spans(list, 20, false).into_iter().enumerate().collect() };
        let list = sources(2000, "c");
        let before = numbered(&list);
        let (mut local, mut edits) = (0, 0);
        for gone in (0..2000).step_by(7) {
            let mut shorter = list.clone();
            shorter.remove(gone);
            let after = numbered(&shorter);
            local += usize::from(after.iter().filter(|p| !before.contains(p)).count() <= 3);
            edits += 1;
        }
        // Most edits change the one or two pages around the article, not the
        // fifty after it; the rest renumber the newer pages (a cut left).
        assert!(local * 10 >= edits * 8, "{local} of {edits} edits stayed local");
    }

    #[test]
    fn a_list_shown_oldest_first_has_its_front_at_the_oldest_end() {
        let list = sources(100, "d");
        let pages = pages(list.len(), 5, true, |k| is_cut(&list[k], 5));
        assert!(pages[0].place.front && pages[0].start == 0);
        assert!(pages[1..].iter().all(|p| !p.place.front));
        assert_eq!(pages.last().map(|p| (p.end, p.place.newer)), Some((100, 0)));
        assert_eq!(pages[0].place.newer as usize, pages.len() - 1, "the front page knows every later page");
        assert_eq!(pages[1].place.newer, NEWER_SHOWN.min(pages.len() as u16 - 2));
    }

    #[test]
    fn short_and_empty_lists_have_one_page() {
        assert_eq!(pages(0, 20, false, |_| true).len(), 1);
        let one = pages(3, 20, false, |_| true);
        assert_eq!((one.len(), one[0].start, one[0].end, one[0].place.front), (1, 0, 3, true));
        assert_eq!(most_pages(3, 20), 1);
    }

    #[test]
    fn a_front_page_knows_every_newer_page_while_it_can_count_them() {
        assert_eq!((newer_pages(9, true), newer_pages(9, false)), (9, NEWER_SHOWN));
        assert_eq!(newer_pages(70_000, true), UNCOUNTED);
    }
}
