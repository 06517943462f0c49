//! Lints: loaded articles in, the warnings a news desk cares about out.
//!
//! Part of `gazette check`. Input: each article as the loader read it (and
//! its text, to place a warning at the line of the key it is about).
//! Output: [`Finding`]s, all warnings: nothing here stops a build.
//! [`article`] looks at one article (no byline, a date that disagrees with
//! its `YYYY/MM` folder or its file name, an empty body, a future date, a
//! lead image previews cannot show or without alt text);
//! [`archive`] across all of them (one headline twice on one day, one
//! author spelled two ways); [`topics`] the sections, tags and places (one
//! with no letters, which is dropped; one written two ways, filed as one).

use rustc_hash::FxHashMap as HashMap;
use std::cmp::Reverse;
use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use super::{Finding, Kind};
use crate::authoring::date_text;
use crate::config::{TopicKind, Topics};
use crate::error::Diagnostic;
use crate::load::article::date_from_file_name;
use crate::load::article::{Place, Places};
use crate::load::{self, ArticleMeta, SourceKind};
use crate::slug::Slug;

/// The warnings about one article, placed where its source writes what
/// each is about (recorded when it was loaded).
pub fn article(meta: &ArticleMeta, display: &Path, now: DateTime<FixedOffset>) -> Vec<Finding> {
    let mut found: Vec<(Kind, Place, String)> = Vec::new();
    let places = &meta.places;
    if meta.authors.is_empty() {
        let hint = match load::kind_of(&meta.source) {
            SourceKind::Wire => "add a `- Name` line under the headline",
            _ => "add `author: Name` to the front matter",
        };
        found.push((Kind::MissingByline, places.byline, format!("no byline: {hint}")));
    }
    let day = meta.date.day();
    if let Some((year, month)) = folder_month(&meta.source)
        && (year, month) != (day.year(), day.month())
    {
        found.push((
            Kind::DateFolder,
            places.date,
            format!("dated {day}, but filed under {year:04}/{month:02}/: move the file or fix the date"),
        ));
    }
    if let Some(named) = date_from_file_name(&meta.source)
        && named != day
    {
        found.push((
            Kind::DateFileName,
            places.date,
            format!("dated {day}, but the file name says {named}: rename the file or fix the date"),
        ));
    }
    if !meta.has_text {
        found.push((Kind::EmptyBody, places.body, "empty body: the story has no text".into()));
    }
    // Open Graph, X and Google News previews show JPEG, PNG, WebP or GIF,
    // never SVG: the story would be shared without its picture.
    if let Some(image) = &meta.image
        && let Some(ext) = image.split(['?', '#']).next().and_then(|p| p.rsplit_once('.')).map(|(_, e)| e)
        && (ext.eq_ignore_ascii_case("svg") || ext.eq_ignore_ascii_case("svgz"))
    {
        found.push((
            Kind::PreviewImage,
            places.image,
            format!("lead image {image:?} is an SVG, which link previews (Open Graph, X, Google News) do not show: use a JPEG, PNG or WebP"),
        ));
    }
    if meta.image.is_some() && meta.image_text().alt.is_none() {
        let hint = "write it as `image: {src: …, alt: what the photo shows}` for readers who cannot see it";
        found.push((Kind::MissingAlt, places.image, format!("the lead image has no alt text: {hint}")));
    }
    if meta.date.at > now {
        found.push((
            Kind::FutureDate,
            places.date,
            format!(
                "dated {}, in the future: builds leave it out until then (or build with --future)",
                date_text(&meta.date)
            ),
        ));
    }
    found
        .into_iter()
        .map(|(kind, place, message)| {
            let (line, col) = place.pair();
            Finding::new(kind, Diagnostic::at(display, line, col, message))
        })
        .collect()
}

/// `…/2025/12/…` → (2025, 12): the last two folders that read as a year
/// and a month.
fn folder_month(rel: &str) -> Option<(i32, u32)> {
    let folders: Vec<&str> = rel.split('/').collect();
    let folders = &folders[..folders.len().saturating_sub(1)];
    folders.windows(2).rev().find_map(|pair| {
        let (y, m) = (pair[0], pair[1]);
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y, 4) && digits(m, 2)) {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12).contains(&month).then_some((year, month))
    })
}

/// A name without a trailing parenthetical (`Minwoo Jung (@jmwsoft)` →
/// `Minwoo Jung`), as a slug: two spellings with one key are one person.
fn author_key(name: &str) -> Option<Slug> {
    let name = name.trim();
    let bare = match name.strip_suffix(')').and_then(|n| n.rfind('(').map(|i| &n[..i])) {
        Some(bare) if !bare.trim().is_empty() => bare,
        _ => name,
    };
    Slug::from_text(bare)
}

/// The warnings across articles (each given with how to name its file).
pub fn archive(articles: &[(&ArticleMeta, &Path)]) -> Vec<Finding> {
    let mut found = Vec::new();
    let place = |i: usize, what: &dyn Fn(&Places) -> Place| what(&articles[i].0.places).pair();
    // Where article `i` writes the author named `name`.
    let name_at = |i: usize, name: &str| {
        let meta = articles[i].0;
        let n = meta.authors.iter().position(|a| a.name == name);
        n.and_then(|n| meta.places.names.get(n)).copied().unwrap_or(meta.places.byline).pair()
    };
    let at = |i: usize, (line, col): (usize, usize)| {
        let path = articles[i].1.display();
        if line == 0 { path.to_string() } else { format!("{path}:{line}:{col}") }
    };

    // One headline twice on one day.
    let mut by_headline: HashMap<(NaiveDate, String), Vec<usize>> = HashMap::default();
    for (i, (meta, _)) in articles.iter().enumerate() {
        let normalized = meta.title.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        by_headline.entry((meta.date.day(), normalized)).or_default().push(i);
    }
    let mut groups: Vec<&Vec<usize>> = by_headline.values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for group in groups {
        let first = group[0];
        let first_at = place(first, &|p| p.title);
        for &i in &group[1..] {
            let (line, col) = place(i, &|p| p.title);
            let message = format!(
                "same headline as {} on the same day ({}): tell the stories apart",
                at(first, first_at),
                articles[i].0.date.day()
            );
            found.push(Finding::new(Kind::DuplicateHeadline, Diagnostic::at(articles[i].1, line, col, message)));
        }
    }

    // One author spelled two ways. Spellings by key, each with the
    // articles using it, in file order.
    let mut spellings: HashMap<Slug, Vec<(String, Vec<usize>)>> = HashMap::default();
    for (i, (meta, _)) in articles.iter().enumerate() {
        for name in meta.authors.iter().map(|a| &a.name) {
            let Some(key) = author_key(name) else { continue };
            let list = spellings.entry(key).or_default();
            match list.iter_mut().find(|(s, _)| s == name) {
                Some((_, uses)) => uses.push(i),
                None => list.push((name.clone(), vec![i])),
            }
        }
    }
    let mut keys: Vec<&Slug> = spellings.keys().filter(|k| spellings[*k].len() > 1).collect();
    keys.sort();
    for key in keys {
        let list = &spellings[key];
        // The most used spelling (the first seen, on a tie) is the reference.
        let main = list.iter().enumerate().max_by_key(|(n, (_, uses))| (uses.len(), std::cmp::Reverse(*n)));
        let Some((main_n, (main_name, main_uses))) = main else { continue };
        let main_at = name_at(main_uses[0], main_name);
        for (_, (name, uses)) in list.iter().enumerate().filter(|(n, _)| *n != main_n) {
            let (line, col) = name_at(uses[0], name);
            let message = format!(
                "author {name:?} ({} article{}) is also written {main_name:?} ({} article{}, first at {}): byline one \
                 person one way",
                uses.len(),
                if uses.len() == 1 { "" } else { "s" },
                main_uses.len(),
                if main_uses.len() == 1 { "" } else { "s" },
                at(main_uses[0], main_at)
            );
            found.push(Finding::new(Kind::AuthorSpelling, Diagnostic::at(articles[uses[0]].1, line, col, message)));
        }
    }
    found
}

/// A spelling of a topic: (as written, its first article, how many use it).
/// A spelling, its first article (in file order), how many use it and
/// the newest of them in the archive's order.
type Spelling<'a> = (&'a str, usize, usize, Newest<'a>);

/// Where an article stands in the archive, newest first: by calendar day
/// as written, then instant, then source path (the greatest is the newest).
type Newest<'a> = (NaiveDate, DateTime<FixedOffset>, &'a str);

/// What to say of sections, tags and places: a name with no letters or
/// digits (dropped from the indexes), and spellings filed as one that no
/// profile names (the page shows the most used, else the newest's), of
/// the articles `published` says the build publishes.
pub fn topics(
    articles: &[(&ArticleMeta, &Path)],
    profiles: &Topics,
    published: &dyn Fn(&ArticleMeta) -> bool,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let at = |i: usize, place: Place| {
        let (line, col) = place.pair();
        if line == 0 {
            articles[i].1.display().to_string()
        } else {
            format!("{}:{line}:{col}", articles[i].1.display())
        }
    };
    // (kind, slug) → spellings in file order, each with its first article
    // and how many use it.
    let mut spellings: HashMap<(TopicKind, Slug), Vec<Spelling<'_>>> = HashMap::default();
    for (i, (meta, path)) in articles.iter().enumerate() {
        let named = meta.section.iter().map(|s| (TopicKind::Section, s, meta.places.section));
        let tagged = meta.tags.iter().map(|t| (TopicKind::Tag, t, meta.places.tags));
        let placed = meta.location.iter().map(|l| (TopicKind::Place, l, meta.places.location));
        for (kind, name, place) in named.chain(tagged).chain(placed) {
            let what = kind.singular();
            let Some((slug, profile)) = profiles.resolve(kind, name) else {
                let (line, col) = place.pair();
                let message =
                    format!("{what} {name:?} has no letters or digits: it is left out of the {}", kind.plural());
                found.push(Finding::new(Kind::EmptyTopic, Diagnostic::at(path, line, col, message)));
                continue;
            };
            if profile.is_some() || !published(meta) {
                continue;
            }
            let list = spellings.entry((kind, slug)).or_default();
            let at = (meta.date.day(), meta.date.at, meta.source.as_str());
            match list.iter_mut().find(|(s, ..)| s == name) {
                Some((.., uses, newest)) => (*uses, *newest) = (*uses + 1, at.max(*newest)),
                None => list.push((name.as_str(), i, 1, at)),
            }
        }
    }
    let mut merged: Vec<_> = spellings.into_iter().filter(|(_, list)| list.len() > 1).collect();
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    for ((kind, _), list) in merged {
        let what = kind.singular();
        // The spelling the page shows: the most used, else the newest
        // article's, else the first in text order (as the build picks it).
        let main = list.iter().enumerate().max_by_key(|(_, (name, _, uses, newest))| (*uses, *newest, Reverse(*name)));
        let Some((main_n, &(first, first_i, ..))) = main else { continue };
        let place_of = |i: usize| match kind {
            TopicKind::Section => articles[i].0.places.section,
            TopicKind::Tag => articles[i].0.places.tags,
            TopicKind::Place => articles[i].0.places.location,
        };
        for (_, &(name, i, ..)) in list.iter().enumerate().filter(|(n, _)| *n != main_n) {
            let (line, col) = place_of(i).pair();
            let message = format!(
                "{what} {name:?} is filed with {first:?} ({}): one page shows both; write it one way, or give \
                 a profile with aliases",
                at(first_i, place_of(first_i))
            );
            found.push(Finding::new(Kind::TopicSpelling, Diagnostic::at(articles[i].1, line, col, message)));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_give_a_month() {
        assert_eq!(folder_month("2025/12/a.md"), Some((2025, 12)));
        assert_eq!(folder_month("news/2024/01/x/a.md"), Some((2024, 1)));
        assert_eq!(folder_month("2025/13/a.md"), None);
        assert_eq!(folder_month("2025/a.md"), None);
        assert_eq!(folder_month("a/2025/12"), None);
    }

    #[test]
    fn spellings_of_one_person_share_a_key() {
        let key = |n: &str| author_key(n).map(|s| s.to_string());
        assert_eq!(key("Minwoo Jung (@jmwsoft)"), key("Minwoo Jung"));
        assert_eq!(key("José García"), key("jose garcia"));
        assert_ne!(key("Ann Lee"), key("Ann Li"));
        assert_eq!(key("(@only)"), Some("only".into()));
    }

    /// Whatever loads can be linted without a panic, and every warning has a line.
    #[test]
    fn no_loadable_input_panics_the_lints() {
        let utc = FixedOffset::east_opt(0).unwrap();
        let opts = load::LoadOptions {
            timezone: utc,
            byline_separators: vec![" & ".into(), ", ".into()],
            known_authors: Default::default(),
            limits: Default::default(),
            search: None,
            keep_extra: true,
        };
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap();
        let seeds = [
            ("2025/12/a.txt", "\nHeadline\n- Ann Lee & Bo\n- Kyiv\n- Dec. 3, 2025\nBody\n"),
            ("2025/11/2025-12-03-a.md", "---\ntitle: T\ndate: 2026-12-31\nauthors:\n  - Ann (@a)\n---\n\n"),
        ];
        let mut next = crate::testing::xorshift();
        let specials = ['-', ':', '\n', ' ', '#', '(', ')', 'é', '1', '2'];
        let (rounds, mut loaded, mut findings) = (3000, 0, 0);
        for round in 0..rounds {
            let (rel, seed) = seeds[round % seeds.len()];
            let mut chars: Vec<char> = seed.chars().collect();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % (chars.len() + 1);
                if next().is_multiple_of(2) && at < chars.len() {
                    chars.remove(at);
                } else {
                    chars.insert(at, specials[(next() as usize) % specials.len()]);
                }
            }
            let text: String = chars.into_iter().collect();
            let kind = if rel.ends_with(".txt") { SourceKind::Wire } else { SourceKind::Markdown };
            let source = load::Source { rel: rel.into(), path: std::path::PathBuf::from(rel), kind };
            if let Ok(a) = load::parse_article(&source, text.as_bytes(), Path::new(rel), &opts) {
                loaded += 1;
                for finding in article(&a.meta, Path::new(rel), now) {
                    assert!(finding.diagnostic.line >= 1, "{finding:?} in {text:?}");
                    findings += 1;
                }
            }
        }
        // The test means something only if many inputs load and get linted
        // (about a third load, with more than one warning each).
        assert!(loaded > rounds / 10, "only {loaded} of {rounds} inputs loaded");
        assert!(findings > loaded, "only {findings} warnings for {loaded} articles");
    }
}
