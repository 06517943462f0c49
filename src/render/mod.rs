//! Render phase: archive and articles in, HTML pages out. Pure: no I/O.
//!
//! Input: the [`Theme`], the [`Archive`] and, for article pages, the
//! article's body. Output: [`Page`]s (a folder path and its HTML). The
//! caller decides when to write them, so article pages can be written as
//! soon as each is rendered and never all held in memory.

pub mod embedded;
pub mod feeds;
pub mod jsonld;
pub mod sitemap;
pub mod theme;
pub mod views;

use rustc_hash::FxHashSet as HashSet;

use chrono::{Datelike, NaiveDate, Weekday as ChronoWeekday};
use tera::Context;

pub use theme::Theme;

use crate::archive::{self, Archive, Entry, Listing, ListingKind};
use crate::config::{Config, WeekStart};
use crate::error::Diagnostic;
use crate::load;
use crate::markdown::{self, Links, Target};
use crate::urls::{PagePath, pages};
use views::*;

/// A rendered page.
#[derive(Debug)]
pub struct Page {
    /// Where it goes.
    pub path: PagePath,
    /// Its HTML (UTF-8).
    pub html: Vec<u8>,
}

/// Renders every kind of page for one build.
pub struct Renderer<'a> {
    theme: &'a Theme,
    archive: &'a Archive,
    config: &'a Config,
    /// Every entry's publication date, formatted once when first needed
    /// (an article shows up on five or more listing pages).
    dates: Vec<std::sync::OnceLock<DateView<'static>>>,
    /// Every file path inside `content/`, published or not, for telling
    /// broken links from links to unpublished articles.
    content: &'a HashSet<&'a str>,
}

/// An article page and what its body links to.
#[derive(Debug)]
pub struct ArticlePage {
    /// The page.
    pub page: Page,
    /// Content paths of the articles its body links to.
    pub linked: Vec<String>,
    /// Body links that lead nowhere.
    pub broken: Vec<markdown::BrokenRef>,
}

impl<'a> Renderer<'a> {
    /// A renderer for this build.
    pub fn new(theme: &'a Theme, archive: &'a Archive, config: &'a Config, content: &'a HashSet<&'a str>) -> Self {
        let dates = (0..archive.entries.len()).map(|_| std::sync::OnceLock::new()).collect();
        Renderer { theme, archive, config, dates, content }
    }

    /// Render the article at `index` in the archive, whose Markdown body is `body`.
    pub fn article(&self, index: usize, body: &str) -> Result<ArticlePage, Diagnostic> {
        let entry = &self.archive.entries[index];
        let here = &entry.page;
        let meta = &entry.meta;
        let format = &self.config.date_format;
        let day = meta.date.day();
        let image = self.image(entry, here);
        let extra = meta.extra.to_map();
        let body = self.body_html(index, body, false);
        let view = ArticleView {
            title: &meta.title,
            date: self.date(index).borrowed(),
            updated: meta.updated.as_ref().map(|d| DateView::new(d, format)),
            modified: meta.modified().map(|d| DateView::new(&d, format)),
            authors: self.author_links(entry, here),
            location: meta.location.as_deref(),
            json_ld: jsonld::news_article(entry, self.config, image.as_ref().and_then(|i| i.url.as_deref())),
            image,
            corrections: self.corrections(entry),
            tags: &meta.tags,
            categories: &meta.categories,
            summary: &meta.summary.text,
            standfirst: meta.summary.written.then_some(meta.summary.text.as_str()),
            body: body.html,
            extra: &extra,
            day: LinkView { label: self.day_label(day), href: here.link_to(&pages::day(day)) },
            older: self.archive.older(index).map(|e| self.article_link(e, here)),
            newer: self.archive.newer(index).map(|e| self.article_link(e, here)),
            source: &meta.source,
        };
        let mut crumbs = self.day_crumbs(day, here);
        crumbs.push(Crumb { label: meta.title.clone(), href: None });
        let mut context = Context::new();
        let page = self.page_view("article", meta.title.clone(), here, crumbs, meta.summary.text.clone(), Vec::new());
        context.insert("page", &page);
        context.insert("article", &view);
        Ok(ArticlePage { page: self.finish("article.html", &context, here)?, linked: body.linked, broken: body.broken })
    }

    /// The body of the article at `index` as HTML: links relative to its
    /// page, or (for feeds) absolute under the base URL.
    pub fn body_html(&self, index: usize, body: &str, absolute: bool) -> markdown::Rendered {
        let entry = &self.archive.entries[index];
        let source_dir = entry.meta.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        let target = |path: &str| match self.archive.by_source(path) {
            Some(e) => Target::Page(e.page.as_str().to_string()),
            None if self.content.contains(&path) && load::is_article_path(path) => Target::Unpublished,
            None if self.content.contains(&path) => Target::File,
            None => Target::Missing,
        };
        let links = Links {
            source_dir,
            page_dir: entry.page.as_str(),
            target: &target,
            absolute: if absolute { self.config.base_url.as_ref() } else { None },
        };
        markdown::render(body, &links, self.config.raw_html)
    }

    /// The page `404.html`. Hosts serve it at any URL, so its links cannot
    /// be relative: they are absolute under the base URL (or, without one,
    /// from the domain root).
    pub fn not_found(&self) -> Result<Vec<u8>, Diagnostic> {
        let here = PagePath::root();
        let root = self.config.base_url.as_ref().map_or_else(|| "/".to_string(), |b| b.as_str().to_string());
        let page = PageView {
            kind: "404",
            title: "Page not found".into(),
            root: root.clone(),
            path: String::new(),
            breadcrumbs: Vec::new(),
            links: SiteLinks {
                home: root.clone(),
                archive: format!("{root}{}", pages::archive().as_str()),
                authors: format!("{root}{}", pages::authors().as_str()),
                corrections: format!("{root}{}", pages::corrections().as_str()),
            },
            canonical: None,
            description: "Page not found".into(),
            feeds: Vec::new(),
        };
        let mut context = Context::new();
        context.insert("page", &page);
        self.theme.render("404.html", &context, &here)
    }

    /// Render one listing page.
    pub fn listing(&self, listing: Listing) -> Result<Page, Diagnostic> {
        let list = listing.kind.path(self.archive);
        let here = list.paginated(listing.page);
        let mut context = Context::new();
        let parts = match listing.kind {
            ListingKind::Home => Parts { template: "home.html", title: String::new(), crumbs: Vec::new() },
            ListingKind::Archive => self.archive_overview(&here, &mut context),
            ListingKind::Authors => self.author_list(&here, &mut context),
            ListingKind::Year(y) => self.year(y, &here, &mut context),
            ListingKind::Month(y, m) => self.month(y, m, &here, &mut context),
            ListingKind::Day(y, m, d) => self.day(y, m, d, &here, &mut context),
            ListingKind::Author(a) => self.author(a, &here, &mut context),
            ListingKind::Corrections => Parts {
                template: "corrections.html",
                title: "Corrections".into(),
                crumbs: vec![self.home_crumb(&here), Crumb { label: "Corrections".into(), href: None }],
            },
        };
        let n = listing.page;
        let mut title = parts.title;
        if let Some(articles) = self.archive.articles_of(listing.kind) {
            let per = self.config.per_page;
            let total = archive::page_count(articles.len(), per);
            let cards: Vec<CardView<'_>> = articles.page(n, per).iter().map(|&i| self.card(i, &here)).collect();
            context.insert("articles", &cards);
            context.insert("pagination", &pagination(&list, n, total, &here));
            if n > 1 {
                title = if title.is_empty() { format!("Page {n}") } else { format!("{title}, page {n}") };
            }
        }
        let description = match (&self.config.description, title.is_empty()) {
            (Some(d), true) => d.clone(),
            (_, true) => format!("The latest news from {}", self.config.title),
            (_, false) => format!("{title}: articles from {}", self.config.title),
        };
        let feeds = self.listing_feeds(listing.kind, &here);
        context.insert("page", &self.page_view(listing.kind.name(), title, &here, parts.crumbs, description, feeds));
        self.finish(parts.template, &context, &here)
    }

    fn archive_overview(&self, here: &PagePath, context: &mut Context) -> Parts {
        context.insert("years", &self.archive_years(here));
        Parts {
            template: "archive.html",
            title: "Archive".into(),
            crumbs: vec![self.home_crumb(here), Crumb { label: "Archive".into(), href: None }],
        }
    }

    fn author_list(&self, here: &PagePath, context: &mut Context) -> Parts {
        let authors: Vec<AuthorLink<'_>> = self
            .archive
            .authors
            .iter()
            .map(|a| AuthorLink {
                label: &a.name,
                href: here.link_to(&pages::author(&a.slug)),
                count: a.entries.len(),
                role: self.config.author(&a.slug).and_then(|p| p.role.as_deref()),
            })
            .collect();
        context.insert("authors", &authors);
        Parts {
            template: "authors.html",
            title: "Authors".into(),
            crumbs: vec![self.home_crumb(here), Crumb { label: "Authors".into(), href: None }],
        }
    }

    fn year(&self, y: usize, here: &PagePath, context: &mut Context) -> Parts {
        let years = &self.archive.years;
        let year = &years[y];
        let link = |i: usize| {
            years.get(i).map(|o| LinkView { label: o.year.to_string(), href: here.link_to(&pages::year(o.year)) })
        };
        let months = year
            .months
            .iter()
            .map(|m| CountLink {
                label: month_name(m.month).to_string(),
                href: here.link_to(&pages::month(m.year, m.month)),
                count: m.range.len(),
            })
            .collect();
        let view = YearView {
            year: year.year,
            label: year.year.to_string(),
            count: year.range.len(),
            months,
            newer: y.checked_sub(1).and_then(link),
            older: link(y + 1),
        };
        context.insert("year", &view);
        Parts {
            template: "year.html",
            title: view.label.clone(),
            crumbs: vec![self.home_crumb(here), Crumb { label: view.label.clone(), href: None }],
        }
    }

    fn month(&self, y: usize, m: usize, here: &PagePath, context: &mut Context) -> Parts {
        let years = &self.archive.years;
        let month = &years[y].months[m];
        let label = |o: &archive::Month| format!("{} {}", month_name(o.month), o.year);
        let link =
            |o: &archive::Month| LinkView { label: label(o), href: here.link_to(&pages::month(o.year, o.month)) };
        // The neighbouring months with articles, across year boundaries.
        let (newer, older) = (self.archive.newer_month(y, m), self.archive.older_month(y, m));
        let view = MonthView {
            year: month.year,
            month: month.month,
            label: label(month),
            count: month.range.len(),
            calendar: self.calendar(month, here),
            newer: newer.map(link),
            older: older.map(link),
        };
        context.insert("month", &view);
        let mut crumbs = self.year_crumbs(month.year, here);
        crumbs.push(Crumb { label: month_name(month.month).into(), href: None });
        Parts { template: "month.html", title: view.label, crumbs }
    }

    fn day(&self, y: usize, m: usize, d: usize, here: &PagePath, context: &mut Context) -> Parts {
        let entries = &self.archive.entries;
        let day = &self.archive.years[y].months[m].days[d];
        let format = &self.config.date_format;
        // The neighbouring days with articles hold the entries just outside this day's range.
        let link = |entry: Option<&Entry>| {
            entry.map(|e| {
                let date = e.meta.date.day();
                LinkView { label: self.day_label(date), href: here.link_to(&pages::day(date)) }
            })
        };
        let view = DayView {
            date: DateView::from_day(day.date, self.config.timezone, format),
            label: self.day_label(day.date),
            count: day.range.len(),
            newer: link(day.range.start.checked_sub(1).map(|i| &entries[i])),
            older: link(entries.get(day.range.end)),
        };
        context.insert("day", &view);
        let mut crumbs = self.day_crumbs(day.date, here);
        if let Some(last) = crumbs.last_mut() {
            last.href = None;
        }
        Parts { template: "day.html", title: view.label, crumbs }
    }

    fn author(&self, a: usize, here: &PagePath, context: &mut Context) -> Parts {
        let author = &self.archive.authors[a];
        let profile = self.config.author(&author.slug);
        context.insert(
            "author",
            &AuthorView {
                name: &author.name,
                slug: author.slug.as_str(),
                count: author.entries.len(),
                role: profile.and_then(|p| p.role.as_deref()),
                bio: profile.and_then(|p| p.bio.as_deref()),
                photo: profile.and_then(|p| p.photo.as_deref()).map(|photo| {
                    if crate::urls::is_relative_reference(photo) { here.link_to_file(photo) } else { photo.to_string() }
                }),
            },
        );
        let crumbs = vec![
            self.home_crumb(here),
            Crumb { label: "Authors".into(), href: Some(here.link_to(&pages::authors())) },
            Crumb { label: author.name.clone(), href: None },
        ];
        Parts { template: "author.html", title: author.name.clone(), crumbs }
    }

    /// The publication date of entry `index`, formatted once.
    fn date(&self, index: usize) -> &DateView<'static> {
        self.dates[index]
            .get_or_init(|| DateView::new(&self.archive.entries[index].meta.date, &self.config.date_format))
    }

    /// A day as the site prints dates (`December 3, 2025`).
    fn day_label(&self, day: NaiveDate) -> String {
        DateView::from_day(day, self.config.timezone, &self.config.date_format).display.into_owned()
    }

    fn finish(&self, template: &str, context: &Context, here: &PagePath) -> Result<Page, Diagnostic> {
        let html = self.theme.render(template, context, here)?;
        Ok(Page { path: here.clone(), html })
    }

    fn page_view(
        &self,
        kind: &'static str,
        title: String,
        here: &PagePath,
        breadcrumbs: Vec<Crumb>,
        description: String,
        mut feeds: Vec<FeedLink>,
    ) -> PageView {
        if self.config.base_url.is_some() {
            let site = self.config.title.as_str();
            feeds.insert(
                0,
                FeedLink { title: format!("{site} (Atom)"), href: here.link_to_file("feed.xml"), mime: ATOM },
            );
            feeds.insert(1, FeedLink { title: format!("{site} (RSS)"), href: here.link_to_file("rss.xml"), mime: RSS });
        }
        PageView {
            kind,
            title,
            root: here.root_prefix(),
            path: here.as_str().to_string(),
            breadcrumbs,
            links: SiteLinks {
                home: here.link_to(&pages::home()),
                archive: here.link_to(&pages::archive()),
                authors: here.link_to(&pages::authors()),
                corrections: here.link_to(&pages::corrections()),
            },
            canonical: self.config.base_url.as_ref().map(|b| b.join(here.as_str())),
            description,
            feeds,
        }
    }

    /// The feeds of a list beyond the site's own: an author's, the corrections'.
    fn listing_feeds(&self, kind: ListingKind, here: &PagePath) -> Vec<FeedLink> {
        if self.config.base_url.is_none() {
            return Vec::new();
        }
        match kind {
            ListingKind::Author(a) => {
                let author = &self.archive.authors[a];
                let feed = format!("{}feed.xml", pages::author(&author.slug).as_str());
                vec![FeedLink { title: format!("{} (Atom)", author.name), href: here.link_to_file(&feed), mime: ATOM }]
            }
            ListingKind::Corrections => {
                let feed = format!("{}feed.xml", pages::corrections().as_str());
                vec![FeedLink { title: "Corrections (Atom)".into(), href: here.link_to_file(&feed), mime: ATOM }]
            }
            _ => Vec::new(),
        }
    }

    fn image(&self, entry: &Entry, here: &PagePath) -> Option<ImageView> {
        let written = entry.meta.image.as_deref()?;
        if !crate::urls::is_relative_reference(written) {
            // Previews need an absolute URL: `/images/x.jpg` is on this host.
            let url = if written.contains("://") {
                Some(written.to_string())
            } else {
                self.config.base_url.as_ref().and_then(|b| b.absolute_reference(entry.page.as_str(), written))
            };
            return Some(ImageView { href: written.to_string(), url });
        }
        let source_dir = entry.meta.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        let target = crate::urls::join(source_dir, written)?;
        Some(ImageView {
            href: here.link_to_file(&target),
            url: self.config.base_url.as_ref().map(|b| b.join(&target)),
        })
    }

    fn corrections<'e>(&self, entry: &'e Entry) -> Vec<CorrectionView<'e>> {
        entry
            .meta
            .corrections
            .iter()
            .map(|c| CorrectionView { date: DateView::new(&c.date, &self.config.date_format), text: &c.text })
            .collect()
    }

    fn card(&self, index: usize, here: &PagePath) -> CardView<'_> {
        let entry = &self.archive.entries[index];
        let meta = &entry.meta;
        CardView {
            title: &meta.title,
            href: here.link_to(&entry.page),
            date: self.date(index).borrowed(),
            updated: meta.updated.as_ref().map(|d| DateView::new(d, &self.config.date_format)),
            authors: self.author_links(entry, here),
            location: meta.location.as_deref(),
            summary: &meta.summary.text,
            image: self.image(entry, here),
            corrections: self.corrections(entry),
        }
    }

    /// Byline links; the label is the name as bylined on this article.
    fn author_links(&self, entry: &Entry, here: &PagePath) -> Vec<LinkView> {
        entry
            .meta
            .authors
            .iter()
            .map(|a| LinkView { label: a.name.clone(), href: here.link_to(&pages::author(&a.slug)) })
            .collect()
    }

    fn article_link(&self, entry: &Entry, here: &PagePath) -> LinkView {
        LinkView { label: entry.meta.title.clone(), href: here.link_to(&entry.page) }
    }

    fn home_crumb(&self, here: &PagePath) -> Crumb {
        Crumb { label: "Home".into(), href: Some(here.link_to(&pages::home())) }
    }

    fn year_crumbs(&self, year: i32, here: &PagePath) -> Vec<Crumb> {
        vec![self.home_crumb(here), Crumb { label: year.to_string(), href: Some(here.link_to(&pages::year(year))) }]
    }

    /// Home › 2025 › December › 3, every step linked.
    fn day_crumbs(&self, day: NaiveDate, here: &PagePath) -> Vec<Crumb> {
        let mut crumbs = self.year_crumbs(day.year(), here);
        crumbs.push(Crumb {
            label: month_name(day.month()).into(),
            href: Some(here.link_to(&pages::month(day.year(), day.month()))),
        });
        crumbs.push(Crumb { label: day.day().to_string(), href: Some(here.link_to(&pages::day(day))) });
        crumbs
    }

    fn archive_years(&self, here: &PagePath) -> Vec<ArchiveYear> {
        self.archive
            .years
            .iter()
            .map(|y| ArchiveYear {
                label: y.year.to_string(),
                href: here.link_to(&pages::year(y.year)),
                count: y.range.len(),
                months: y
                    .months
                    .iter()
                    .rev()
                    .map(|m| CountLink {
                        label: month_name(m.month).to_string(),
                        href: here.link_to(&pages::month(m.year, m.month)),
                        count: m.range.len(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The month as weeks of seven cells, days with articles linked.
    fn calendar(&self, month: &archive::Month, here: &PagePath) -> CalendarView {
        const NAMES: [(&str, &str); 7] = [
            ("Monday", "Mon"),
            ("Tuesday", "Tue"),
            ("Wednesday", "Wed"),
            ("Thursday", "Thu"),
            ("Friday", "Fri"),
            ("Saturday", "Sat"),
            ("Sunday", "Sun"),
        ];
        let first_weekday = match self.config.week_start {
            WeekStart::Monday => ChronoWeekday::Mon,
            WeekStart::Sunday => ChronoWeekday::Sun,
        };
        let weekdays = (0..7)
            .map(|i| {
                let (name, short) = NAMES[(first_weekday.num_days_from_monday() as usize + i) % 7];
                Weekday { name, short }
            })
            .collect();
        let Some(first) = NaiveDate::from_ymd_opt(month.year, month.month, 1) else {
            return CalendarView { weekdays, weeks: Vec::new() };
        };
        let lead = first.weekday().days_since(first_weekday) as usize;
        let days_in_month = first.num_days_in_month() as u32;
        let mut cells: Vec<Option<CalendarDay>> = (0..lead).map(|_| None).collect();
        for d in 1..=days_in_month {
            let date = first.with_day(d).unwrap_or(first);
            let count = month.days.iter().find(|x| x.date == date).map_or(0, |x| x.range.len());
            let articles = if count == 1 { "1 article".to_string() } else { format!("{count} articles") };
            cells.push(Some(CalendarDay {
                day: d,
                count,
                href: (count > 0).then(|| here.link_to(&pages::day(date))),
                label: format!("{d} {} {}: {articles}", month_name(month.month), month.year),
            }));
        }
        while !cells.len().is_multiple_of(7) {
            cells.push(None);
        }
        let mut weeks = Vec::new();
        let mut cells = cells.into_iter();
        loop {
            let week: Vec<Option<CalendarDay>> = cells.by_ref().take(7).collect();
            if week.is_empty() {
                break;
            }
            weeks.push(week);
        }
        CalendarView { weekdays, weeks }
    }
}

const ATOM: &str = "application/atom+xml";
const RSS: &str = "application/rss+xml";

/// What a listing page shows, besides its kind-specific view.
struct Parts {
    template: &'static str,
    title: String,
    crumbs: Vec<Crumb>,
}

/// Links between the pages of one listing. Shows the first and last page,
/// and two on each side of the current one; longer runs become gaps.
fn pagination(list: &PagePath, current: usize, total: usize, here: &PagePath) -> PaginationView {
    let href = |n: usize| here.link_to(&list.paginated(n));
    // Only the shown numbers are visited (a listing may have thousands of pages).
    let mut shown: Vec<usize> = vec![1, total];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
    shown.sort_unstable();
    shown.dedup();
    let mut pages = Vec::with_capacity(shown.len() + 2);
    for n in shown {
        if pages.last().is_some_and(|p: &PageNumber| p.number + 1 < n) {
            pages.push(PageNumber { number: 0, href: None });
        }
        pages.push(PageNumber { number: n, href: (n != current).then(|| href(n)) });
    }
    PaginationView {
        current,
        total,
        newer: (current > 1).then(|| href(current - 1)),
        older: (current < total).then(|| href(current + 1)),
        pages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_windows_long_lists() {
        let list = pages::home();
        let here = list.paginated(6);
        let p = pagination(&list, 6, 20, &here);
        let numbers: Vec<usize> = p.pages.iter().map(|x| x.number).collect();
        assert_eq!(numbers, [1, 0, 4, 5, 6, 7, 8, 0, 20]);
        assert_eq!(p.newer.as_deref(), Some("../5/index.html"));
        assert_eq!(p.older.as_deref(), Some("../7/index.html"));
        assert_eq!(p.pages[0].href.as_deref(), Some("../../index.html"));
        assert!(p.pages[4].href.is_none());
    }

    #[test]
    fn single_page_has_no_neighbours() {
        let list = pages::authors();
        let p = pagination(&list, 1, 1, &list);
        assert!(p.newer.is_none() && p.older.is_none());
        assert_eq!(p.pages.len(), 1);
    }
}
