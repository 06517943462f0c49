//! The typed views templates receive.
//!
//! Part of the render phase. Every template gets `site` (the same for all
//! pages) and `page` (a [`PageView`]); each page kind adds its own
//! variables (see `docs/themes.md`). Views borrow from the archive where
//! they can and hold links already made relative to the page being
//! rendered, so templates never compute URLs.

use std::borrow::Cow;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde::Serialize;
use serde_json::{Map, Value};

pub use super::cards::Html;
use crate::config::DateFormat;
use crate::load::ArticleDate;

/// Site-wide values, the same on every page (`site`).
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Site name.
    pub title: &'a str,
    /// One-line description, if configured.
    pub description: Option<&'a str>,
    /// Language tag for `<html lang>`.
    pub language: &'a str,
}

/// The theme in use, the same on every page (`theme`).
#[derive(Debug, Serialize)]
pub struct ThemeView<'a> {
    /// The theme's folder name (`default`, `broadsheet`).
    pub id: &'a str,
    /// Its display name, from `theme.yaml`.
    pub name: &'a str,
    /// Its version, from `theme.yaml`.
    pub version: &'a str,
    /// Its settings: `theme.yaml`'s defaults under `site.yaml`'s `theme_settings`.
    pub settings: &'a Map<String, Value>,
}

/// What every page has (`page`).
#[derive(Debug, Serialize)]
pub struct PageView {
    /// `article`, `home`, `year`, `month`, `day`, `author`, `authors`, `archive`,
    /// `corrections`, `sections`, `section`, `tags`, `tag`, `places`, `place`,
    /// `stories`, `story`, `on-this-day`, `search` or `404`.
    pub kind: &'static str,
    /// The page's own title, without the site name (empty on the home page).
    pub title: String,
    /// Relative prefix back to the output root (`""`, `"../"`, …).
    pub root: String,
    /// The page's folder relative to the output root (`""` for home).
    pub path: String,
    /// Where the page sits: Home › 2025 › December › 3. The last crumb is
    /// the page itself and has no link.
    pub breadcrumbs: Vec<Crumb>,
    /// Links to the site-wide pages and assets, relative to this page.
    pub links: SiteLinks,
    /// The page's absolute URL, for `<link rel="canonical">` and Open
    /// Graph; `None` when the site has no `base_url`.
    pub canonical: Option<String>,
    /// Text for `<meta name="description">`.
    pub description: String,
    /// Feeds to announce with `<link rel="alternate">`.
    pub feeds: Vec<FeedLink>,
}

/// A feed a page announces (`page.feeds[]`).
#[derive(Debug, Serialize)]
pub struct FeedLink {
    /// Feed title.
    pub title: String,
    /// Relative href.
    pub href: String,
    /// MIME type: `application/atom+xml` or `application/rss+xml`.
    pub mime: &'static str,
}

/// Links every page needs, relative to the page (`page.links`).
#[derive(Debug, Serialize)]
pub struct SiteLinks {
    /// The home page.
    pub home: String,
    /// The archive overview.
    pub archive: String,
    /// The list of authors.
    pub authors: String,
    /// The list of corrected articles.
    pub corrections: String,
    /// The list of sections, when the site makes it.
    pub sections: Option<String>,
    /// The A–Z of tags, when the site makes it.
    pub tags: Option<String>,
    /// The list of places, when the site makes it.
    pub places: Option<String>,
    /// The list of running stories, when the site makes it.
    pub stories: Option<String>,
    /// The desks listed in `sections:` of `site.yaml`, in that order (the
    /// masthead's sections).
    pub desks: Vec<LinkView>,
    /// The search page; absent when the site has none (`search: false`).
    pub search: Option<String>,
}

/// The search page's parts (`search`), relative to it.
#[derive(Debug, Serialize)]
pub struct SearchView {
    /// The search script, for a `<script src>`.
    pub script: String,
    /// The folder of the index files, for the element's `data-index`.
    pub index: String,
    /// Results per page, for its `data-per-page`.
    pub per_page: usize,
}

/// One step of the breadcrumb trail.
#[derive(Debug, Serialize)]
pub struct Crumb {
    /// Text of the step.
    pub label: String,
    /// Relative link, `None` for the current page.
    pub href: Option<String>,
}

/// A labelled link.
#[derive(Debug, Serialize)]
pub struct LinkView {
    /// Link text (a headline, a name, a period).
    pub label: String,
    /// Relative href.
    pub href: String,
}

/// A labelled link with an article count (authors, years, months).
#[derive(Debug, Serialize)]
pub struct CountLink {
    /// Link text.
    pub label: String,
    /// Relative href.
    pub href: String,
    /// Number of articles behind the link.
    pub count: usize,
}

/// A date, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct DateView<'a> {
    /// RFC 3339 with offset, for `<time datetime>` (`2025-12-03T14:30:00+01:00`).
    pub iso: Cow<'a, str>,
    /// Formatted with the site's `date_format` (`December 3, 2025`).
    pub display: Cow<'a, str>,
    /// Time of day as written (`14:30`), or `None` when only a day was given.
    pub time: Option<Cow<'a, str>>,
    /// Year, as written.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month.
    pub day: u32,
}

impl DateView<'static> {
    /// Present a date with the site's format.
    pub fn new(date: &ArticleDate, format: &DateFormat) -> Self {
        let day = date.day();
        DateView {
            iso: Cow::Owned(date.at.to_rfc3339()),
            display: Cow::Owned(format.format(&date.at)),
            time: date.has_time.then(|| Cow::Owned(date.at.format("%H:%M").to_string())),
            year: day.year(),
            month: day.month(),
            day: day.day(),
        }
    }

    /// A whole day (no time of day), as on day pages; `iso` is the bare
    /// date. Formatted as midnight in `offset`, so any valid site format works.
    pub fn from_day(day: NaiveDate, offset: FixedOffset, format: &DateFormat) -> Self {
        let midnight = offset.from_local_datetime(&day.and_time(NaiveTime::MIN)).single();
        let display = midnight.map_or_else(|| day.to_string(), |m| format.format(&m));
        DateView {
            iso: Cow::Owned(iso_day(day)),
            display: Cow::Owned(display),
            time: None,
            year: day.year(),
            month: day.month(),
            day: day.day(),
        }
    }
}

/// `YYYY-MM-DD` (chrono's `%Y-%m-%d`, without parsing that format on
/// every call; years outside 0–9999 are left to chrono's signs and widths).
fn iso_day(day: NaiveDate) -> String {
    match day.year() {
        0..=9999 => format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day()),
        _ => day.format("%Y-%m-%d").to_string(),
    }
}

impl DateView<'_> {
    /// The same date, borrowing its text (for the many listings that show
    /// one article's date: formatted once, shown everywhere).
    pub fn borrowed(&self) -> DateView<'_> {
        DateView {
            iso: Cow::Borrowed(&self.iso),
            display: Cow::Borrowed(&self.display),
            time: self.time.as_deref().map(Cow::Borrowed),
            year: self.year,
            month: self.month,
            day: self.day,
        }
    }
}

/// An article in a listing (`articles[]`).
#[derive(Debug, Serialize)]
pub struct CardView<'a> {
    /// Headline.
    pub title: &'a str,
    /// Relative link to the article page.
    pub href: String,
    /// Publication date.
    pub date: DateView<'a>,
    /// Last update, if any.
    pub updated: Option<DateView<'a>>,
    /// Authors, linked to their pages.
    pub authors: Vec<LinkView>,
    /// Dateline location.
    pub location: Option<&'a str>,
    /// Relative link to the dateline's place page, when the site makes it.
    pub place_href: Option<String>,
    /// Summary text (written, or the start of the first paragraph).
    pub summary: &'a str,
    /// Lead image, if the article has one.
    pub image: Option<ImageView>,
    /// Corrections, oldest first (empty for most articles).
    pub corrections: Vec<CorrectionView<'a>>,
}

/// An article's lead image. For a photo of `content/`, `href` is its
/// variant about 960 pixels wide, and `srcset`, `webp_srcset`, `width`
/// and `height` describe all of them, for a `<picture>` with `sizes`.
#[derive(Debug, Default, Serialize)]
pub struct ImageView {
    /// Relative href (or the URL as written, if absolute).
    pub href: String,
    /// Absolute URL, for Open Graph (a photo's variant about 1200 pixels
    /// wide); `None` without a `base_url`.
    pub url: Option<String>,
    /// Alt text (`image.alt`), empty when none is written.
    pub alt: String,
    /// Caption (`image.caption`, or the one filed in the photo).
    pub caption: Option<String>,
    /// Credit (`image.credit`, or the one filed in the photo).
    pub credit: Option<String>,
    /// A photo's `srcset` in its own format (empty for other images).
    pub srcset: String,
    /// A photo's `srcset` in WebP (empty when none).
    pub webp_srcset: String,
    /// The `sizes` attribute that goes with the srcsets.
    pub sizes: &'static str,
    /// Width of `href` in pixels (0 when unknown).
    pub width: u32,
    /// Height of `href` in pixels (0 when unknown).
    pub height: u32,
    /// A photo's narrowest variant, for listing thumbnails (else `href`).
    pub thumb: Option<String>,
}

impl ImageView {
    /// An image with the words front matter gives it.
    pub fn text(text: &crate::load::ImageText) -> ImageView {
        ImageView {
            alt: text.alt.clone().unwrap_or_default(),
            caption: text.caption.clone(),
            credit: text.credit.clone(),
            ..ImageView::default()
        }
    }

    /// Take a photo's variants.
    pub fn photo(&mut self, sets: crate::photos::html::Srcsets) {
        self.href = sets.src;
        self.srcset = sets.srcset;
        self.webp_srcset = sets.webp;
        self.sizes = crate::photos::html::SIZES;
        (self.width, self.height) = (sets.width, sets.height);
    }
}

/// A dated correction notice.
#[derive(Debug, Serialize)]
pub struct CorrectionView<'a> {
    /// When it was corrected.
    pub date: DateView<'a>,
    /// What was corrected.
    pub text: &'a str,
}

/// The article of an article page (`article`).
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// Headline.
    pub title: &'a str,
    /// Publication date.
    pub date: DateView<'a>,
    /// Last update, if any, as written in `updated`.
    pub updated: Option<DateView<'a>>,
    /// Last change: `updated` or the latest correction, whichever is later.
    pub modified: Option<DateView<'a>>,
    /// Authors, linked to their pages.
    pub authors: Vec<LinkView>,
    /// Dateline location.
    pub location: Option<&'a str>,
    /// Lead image, if any.
    pub image: Option<ImageView>,
    /// Corrections, oldest first.
    pub corrections: Vec<CorrectionView<'a>>,
    /// schema.org `NewsArticle` as JSON, safe to print inside
    /// `<script type="application/ld+json">` with `| safe`.
    pub json_ld: String,
    /// Tags.
    pub tags: &'a [String],
    /// Sections or categories.
    pub categories: &'a [String],
    /// Summary text (written, or the start of the first paragraph).
    pub summary: &'a str,
    /// The writer's own summary, shown above the body; `None` when the
    /// summary was taken from the body (it would repeat the first paragraph).
    pub standfirst: Option<&'a str>,
    /// The body as sanitized HTML (print it with `| safe`).
    pub body: String,
    /// Front-matter keys Gazette does not know, as written.
    pub extra: &'a Map<String, Value>,
    /// Its desk, linked to the section page.
    pub section: Option<TopicLinkView>,
    /// Its tags, linked to their pages.
    pub tag_links: Vec<TopicLinkView>,
    /// Its dateline, linked to the place page.
    pub place: Option<TopicLinkView>,
    /// "The story so far": its thread around it.
    pub story: Option<ThreadView>,
    /// Related stories, best first (up to five).
    pub related: Vec<MentionView>,
    /// The article's day page.
    pub day: LinkView,
    /// The next older article in the archive.
    pub older: Option<LinkView>,
    /// The next newer article in the archive.
    pub newer: Option<LinkView>,
    /// Where the source file is, inside `content/`.
    pub source: &'a str,
}

/// Links between the pages of a paginated listing (`pagination`). Pages
/// are counted from the list's oldest page, so a page keeps its number
/// (and its articles) as the archive grows.
#[derive(Debug, Serialize)]
pub struct PaginationView {
    /// This page's number, counted from the list's oldest page (1).
    pub current: usize,
    /// Whether this is the list's front page (the list's own address): its
    /// newest page, or page 1 of a list shown oldest first.
    pub front: bool,
    /// Whether the listing runs oldest first (a running story): its newer
    /// articles are then on the next page (`rel="next"`), not the previous.
    pub oldest_first: bool,
    /// The page with newer articles (`rel="prev"`, or `rel="next"` when
    /// `oldest_first`).
    pub newer: Option<String>,
    /// The page with older articles (`rel="next"`, or `rel="prev"` when
    /// `oldest_first`).
    pub older: Option<String>,
    /// Links to the pages around this one, in the order the list runs
    /// (newest first unless `oldest_first`), with the front page and the
    /// oldest page, and gaps for long runs. A single page has only itself.
    pub pages: Vec<PageNumber>,
}

/// One entry of [`PaginationView::pages`].
#[derive(Debug, Serialize)]
pub struct PageNumber {
    /// What to print: the page's number, or `Latest` for the front page of
    /// a list shown newest first; empty for a gap.
    pub label: String,
    /// Relative link; `None` for the current page and for gaps.
    pub href: Option<String>,
    /// A gap in the run (print an ellipsis).
    pub gap: bool,
}

/// A year page's year (`year`).
#[derive(Debug, Serialize)]
pub struct YearView {
    /// The year.
    pub year: i32,
    /// Label, `2025`.
    pub label: String,
    /// Articles that year, on its front page (none on later pages).
    pub count: Option<usize>,
    /// Its months with articles, newest first (on its front page; empty on
    /// later pages).
    pub months: Vec<CountLink>,
    /// The next newer year with articles (front page only).
    pub newer: Option<LinkView>,
    /// The next older year with articles (front page only).
    pub older: Option<LinkView>,
}

/// A month page's month (`month`).
#[derive(Debug, Serialize)]
pub struct MonthView {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
    /// Label, `December 2025`.
    pub label: String,
    /// Articles that month, on its front page (none on later pages).
    pub count: Option<usize>,
    /// The month as a calendar, days linked to their pages (on its front
    /// page only).
    pub calendar: Option<CalendarView>,
    /// The next newer month with articles (front page only).
    pub newer: Option<LinkView>,
    /// The next older month with articles (front page only).
    pub older: Option<LinkView>,
}

/// A month laid out in weeks (`month.calendar`).
#[derive(Debug, Serialize)]
pub struct CalendarView {
    /// Column headings, starting on the configured first day of the week.
    pub weekdays: Vec<Weekday>,
    /// Rows of seven cells; `None` pads days outside the month.
    pub weeks: Vec<Vec<Option<CalendarDay>>>,
}

/// A calendar column heading.
#[derive(Debug, Serialize)]
pub struct Weekday {
    /// `Monday`.
    pub name: &'static str,
    /// `Mon`.
    pub short: &'static str,
}

/// One day cell of a calendar.
#[derive(Debug, Serialize)]
pub struct CalendarDay {
    /// Day of the month.
    pub day: u32,
    /// Articles that day.
    pub count: usize,
    /// Link to the day page, when there are articles.
    pub href: Option<String>,
    /// Accessible description, `3 December 2025: 2 articles`.
    pub label: String,
}

/// A day page's day (`day`).
#[derive(Debug, Serialize)]
pub struct DayView<'a> {
    /// The day, formatted.
    pub date: DateView<'a>,
    /// Label, `December 3, 2025`.
    pub label: String,
    /// Articles that day, on its front page (none on later pages).
    pub count: Option<usize>,
    /// The same calendar day in every year, when the site makes those pages.
    pub on_this_day: Option<LinkView>,
    /// The next newer day with articles (front page only).
    pub newer: Option<LinkView>,
    /// The next older day with articles (front page only).
    pub older: Option<LinkView>,
}

/// An author page's author (`author`).
#[derive(Debug, Serialize)]
pub struct AuthorView<'a> {
    /// Name: the profile's, or as bylined.
    pub name: &'a str,
    /// URL segment.
    pub slug: &'a str,
    /// Number of articles, on the front page (none on later pages).
    pub count: Option<usize>,
    /// Role or beat, from the author's profile.
    pub role: Option<&'a str>,
    /// Short biography, from the profile.
    pub bio: Option<&'a str>,
    /// Photo, from the profile: a relative href (or the URL as written).
    pub photo: Option<String>,
}

/// An author in the list of authors (`authors[]`).
#[derive(Debug, Serialize)]
pub struct AuthorLink<'a> {
    /// Name.
    pub label: &'a str,
    /// Relative link to the author page.
    pub href: String,
    /// Number of articles.
    pub count: usize,
    /// Role or beat, from the author's profile.
    pub role: Option<&'a str>,
}

/// A year on the archive overview (`years[]`).
#[derive(Debug, Serialize)]
pub struct ArchiveYear {
    /// Label, `2025`.
    pub label: String,
    /// Relative link to the year page.
    pub href: String,
    /// Articles that year.
    pub count: usize,
    /// Months with articles, oldest first (as a calendar reads).
    pub months: Vec<CountLink>,
}

/// The English name of a month.
pub fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[(month.clamp(1, 12) - 1) as usize]
}

/// A section, tag or place as a link (`article.section`, `article.tag_links[]`,
/// `topics[]`).
#[derive(Debug, Serialize)]
pub struct TopicLinkView {
    /// Its name.
    pub label: String,
    /// Relative link to its page; `None` when the site does not make it.
    pub href: Option<String>,
    /// Articles filed under it (0 where not shown).
    pub count: usize,
}

/// Another article as a dated link (`article.related[]`, a thread's items,
/// the home page's `on_this_day.items[]`).
#[derive(Debug, Serialize)]
pub struct MentionView {
    /// Headline.
    pub label: String,
    /// Relative link to the article.
    pub href: String,
    /// Its day, as the site prints dates.
    pub date: String,
    /// Its day as `2025-12-03`, for `<time datetime>`.
    pub iso: String,
    /// Its year.
    pub year: i32,
    /// Whether it is the article of the page (in a thread's timeline).
    pub current: bool,
}

/// "The story so far" on an article page (`article.story`).
#[derive(Debug, Serialize)]
pub struct ThreadView {
    /// The thread's title.
    pub label: String,
    /// Relative link to its whole timeline.
    pub href: String,
    /// Articles in the thread.
    pub count: usize,
    /// The articles nearest this one, oldest first; this one is `current`.
    pub items: Vec<MentionView>,
}

/// A group of topics on an index page: tags by initial, places by country
/// (`groups[]`).
#[derive(Debug, Serialize)]
pub struct TopicGroup {
    /// `A`, a country, or empty for the only group.
    pub label: String,
    /// Fragment id for the jump list (`letter-a`, `country-norway`).
    pub id: String,
    /// The topics, alphabetical.
    pub topics: Vec<TopicLinkView>,
}

/// A section, tag, place or story page's subject (`topic`).
#[derive(Debug, Serialize)]
pub struct TopicView<'a> {
    /// `section`, `tag`, `place` or `story`.
    pub kind: &'static str,
    /// Its name.
    pub name: &'a str,
    /// URL segment.
    pub slug: &'a str,
    /// Articles filed under it, on its front page (none on later pages).
    pub count: Option<usize>,
    /// From its profile.
    pub description: Option<&'a str>,
    /// Places: the country, from the profile.
    pub country: Option<&'a str>,
    /// Places: `[latitude, longitude]`, from the profile.
    pub coordinates: Option<[f64; 2]>,
    /// Relative link to its Atom feed (sections and tags, with a `base_url`).
    pub feed: Option<String>,
}

/// A calendar day in every year (`on_this_day`).
#[derive(Debug, Serialize)]
pub struct OnThisDayView<'a> {
    /// `December 3`.
    pub label: String,
    /// Stories on that day in all years, on its front page (none on later
    /// pages).
    pub count: Option<usize>,
    /// This page's stories by year, newest year first.
    pub years: Vec<YearGroup<'a>>,
}

/// Stories of one year (`on_this_day.years[]`).
#[derive(Debug, Serialize)]
pub struct YearGroup<'a> {
    /// The year.
    pub year: i32,
    /// Relative link to the day page of that year.
    pub href: String,
    /// Its stories, newest first (when the template reads `articles`).
    pub articles: Vec<CardView<'a>>,
    /// The same stories as HTML, each made by `partials/story_card.html`
    /// (when the template reads `cards`).
    pub cards: Vec<Html>,
}

/// The home page's "On this day" (`on_this_day`).
#[derive(Debug, Serialize)]
pub struct OnThisDayHome {
    /// `December 3`.
    pub label: String,
    /// Relative link to the day's page in every year.
    pub href: String,
    /// Stories of that day in earlier years, newest first.
    pub items: Vec<MentionView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_days_read_as_chrono_writes_them() {
        for (y, m, d) in [(0, 1, 1), (7, 3, 9), (2025, 12, 31), (9999, 12, 31), (10000, 1, 1), (-1, 6, 15)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso_day(day), day.format("%Y-%m-%d").to_string(), "{y}-{m}-{d}");
        }
    }
}
