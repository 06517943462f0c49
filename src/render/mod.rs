//! Render phase: archive and articles in, HTML pages out. Pure: no I/O.
//!
//! Input: the [`Theme`], the [`Archive`] and, for article pages, the
//! article's body. Output: [`Page`]s (a folder path and its HTML). The
//! caller decides when to write them, so article pages can be written as
//! soon as each is rendered and never all held in memory.

pub mod embedded;
pub mod theme;
pub mod views;

use chrono::{Datelike, NaiveDate, Weekday as ChronoWeekday};
use tera::Context;

pub use theme::Theme;

use crate::archive::{self, Archive, Entry};
use crate::config::{Config, WeekStart};
use crate::error::Diagnostic;
use crate::load::Article;
use crate::markdown::{self, Links};
use crate::urls::{PagePath, pages};
use views::*;

/// A rendered page.
#[derive(Debug)]
pub struct Page {
    /// Where it goes.
    pub path: PagePath,
    /// Its HTML.
    pub html: String,
}

/// A listing page to render: which list, and which page of it (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    /// Which list.
    pub kind: ListingKind,
    /// Page number, from 1.
    pub page: usize,
}

/// The kinds of listing page. Indexes point into the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingKind {
    /// The home page: every article, newest first.
    Home,
    /// `archive.years[y]`.
    Year(usize),
    /// `archive.years[y].months[m]`.
    Month(usize, usize),
    /// `archive.years[y].months[m].days[d]`.
    Day(usize, usize, usize),
    /// `archive.authors[a]`.
    Author(usize),
    /// The list of authors.
    Authors,
    /// The overview of years and months.
    Archive,
}

/// Renders every kind of page for one build.
pub struct Renderer<'a> {
    theme: &'a Theme,
    archive: &'a Archive,
    config: &'a Config,
}

impl<'a> Renderer<'a> {
    /// A renderer for this build.
    pub fn new(theme: &'a Theme, archive: &'a Archive, config: &'a Config) -> Self {
        Renderer { theme, archive, config }
    }

    /// Every listing page of the archive (all pages of every paginated list).
    pub fn listings(&self) -> Vec<Listing> {
        let per = self.config.per_page;
        let mut out = Vec::new();
        let mut push = |kind: ListingKind, count: usize| {
            out.extend((1..=archive::page_count(count, per)).map(|page| Listing { kind, page }));
        };
        push(ListingKind::Home, self.archive.entries.len());
        push(ListingKind::Archive, 0);
        push(ListingKind::Authors, 0);
        for (y, year) in self.archive.years.iter().enumerate() {
            push(ListingKind::Year(y), year.range.len());
            for (m, month) in year.months.iter().enumerate() {
                push(ListingKind::Month(y, m), month.range.len());
                for (d, day) in month.days.iter().enumerate() {
                    push(ListingKind::Day(y, m, d), day.range.len());
                }
            }
        }
        for (a, author) in self.archive.authors.iter().enumerate() {
            push(ListingKind::Author(a), author.entries.len());
        }
        out
    }

    /// Render the article at `index` in the archive, whose body is `article`.
    pub fn article(&self, index: usize, article: &Article) -> Result<Page, Diagnostic> {
        let entry = &self.archive.entries[index];
        let here = &entry.page;
        let meta = &entry.meta;
        let source_dir = meta.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        let article_page = |source: &str| self.archive.by_source(source).map(|e| e.page.as_str().to_string());
        let links = Links { source_dir, page_dir: here.as_str(), article_page: &article_page };
        let body = markdown::render(&article.body, &links, self.config.raw_html);
        let day = meta.date.day();
        let view = ArticleView {
            title: &meta.title,
            date: DateView::new(&meta.date, &self.config.date_format),
            updated: meta.updated.as_ref().map(|d| DateView::new(d, &self.config.date_format)),
            authors: self.author_links(entry, here),
            location: meta.location.as_deref(),
            tags: &meta.tags,
            categories: &meta.categories,
            summary: &meta.summary.text,
            standfirst: meta.summary.written.then_some(meta.summary.text.as_str()),
            body,
            extra: &article.extra,
            day: LinkView { label: day_label(day, &self.config.date_format), href: here.link_to(&pages::day(day)) },
            older: self.archive.older(index).map(|e| self.article_link(e, here)),
            newer: self.archive.newer(index).map(|e| self.article_link(e, here)),
            source: &meta.source,
        };
        let mut crumbs = self.day_crumbs(day, here);
        crumbs.push(Crumb { label: meta.title.clone(), href: None });
        let mut context = Context::new();
        context.insert("page", &self.page_view("article", meta.title.clone(), here, crumbs));
        context.insert("article", &view);
        self.finish("article.html", &context, here)
    }

    /// Render one listing page.
    pub fn listing(&self, listing: Listing) -> Result<Page, Diagnostic> {
        let list = listing.kind.path(self.archive);
        let here = list.paginated(listing.page);
        let mut context = Context::new();
        let parts = match listing.kind {
            ListingKind::Home => Parts {
                template: "home.html",
                title: String::new(),
                crumbs: Vec::new(),
                articles: Some(Articles::Range(0..self.archive.entries.len())),
            },
            ListingKind::Archive => self.archive_overview(&here, &mut context),
            ListingKind::Authors => self.author_list(&here, &mut context),
            ListingKind::Year(y) => self.year(y, &here, &mut context),
            ListingKind::Month(y, m) => self.month(y, m, &here, &mut context),
            ListingKind::Day(y, m, d) => self.day(y, m, d, &here, &mut context),
            ListingKind::Author(a) => self.author(a, &here, &mut context),
        };
        let n = listing.page;
        let mut title = parts.title;
        if let Some(articles) = parts.articles {
            let per = self.config.per_page;
            let total = archive::page_count(articles.len(), per);
            let cards: Vec<CardView<'_>> = articles
                .slice((n - 1) * per, per)
                .iter()
                .map(|&i| self.card(&self.archive.entries[i], &here))
                .collect();
            context.insert("articles", &cards);
            context.insert("pagination", &pagination(&list, n, total, &here));
            if n > 1 {
                title = if title.is_empty() { format!("Page {n}") } else { format!("{title}, page {n}") };
            }
        }
        context.insert("page", &self.page_view(listing.kind.name(), title, &here, parts.crumbs));
        self.finish(parts.template, &context, &here)
    }

    fn archive_overview(&self, here: &PagePath, context: &mut Context) -> Parts<'a> {
        context.insert("years", &self.archive_years(here));
        Parts {
            template: "archive.html",
            title: "Archive".into(),
            crumbs: vec![self.home_crumb(here), Crumb { label: "Archive".into(), href: None }],
            articles: None,
        }
    }

    fn author_list(&self, here: &PagePath, context: &mut Context) -> Parts<'a> {
        let authors: Vec<CountLink> = self
            .archive
            .authors
            .iter()
            .map(|a| CountLink {
                label: a.name.clone(),
                href: here.link_to(&pages::author(&a.slug)),
                count: a.entries.len(),
            })
            .collect();
        context.insert("authors", &authors);
        Parts {
            template: "authors.html",
            title: "Authors".into(),
            crumbs: vec![self.home_crumb(here), Crumb { label: "Authors".into(), href: None }],
            articles: None,
        }
    }

    fn year(&self, y: usize, here: &PagePath, context: &mut Context) -> Parts<'a> {
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
            articles: Some(Articles::Range(year.range.clone())),
        }
    }

    fn month(&self, y: usize, m: usize, here: &PagePath, context: &mut Context) -> Parts<'a> {
        let years = &self.archive.years;
        let month = &years[y].months[m];
        let label = |o: &archive::Month| format!("{} {}", month_name(o.month), o.year);
        let link =
            |o: &archive::Month| LinkView { label: label(o), href: here.link_to(&pages::month(o.year, o.month)) };
        // The neighbouring months with articles, across year boundaries.
        let newer = match m {
            0 => y.checked_sub(1).and_then(|py| years[py].months.last()),
            _ => years[y].months.get(m - 1),
        };
        let older = years[y].months.get(m + 1).or_else(|| years.get(y + 1).and_then(|ny| ny.months.first()));
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
        Parts {
            template: "month.html",
            title: view.label,
            crumbs,
            articles: Some(Articles::Range(month.range.clone())),
        }
    }

    fn day(&self, y: usize, m: usize, d: usize, here: &PagePath, context: &mut Context) -> Parts<'a> {
        let entries = &self.archive.entries;
        let day = &self.archive.years[y].months[m].days[d];
        let format = &self.config.date_format;
        // The neighbouring days with articles hold the entries just outside this day's range.
        let link = |entry: Option<&Entry>| {
            entry.map(|e| {
                let date = e.meta.date.day();
                LinkView { label: day_label(date, format), href: here.link_to(&pages::day(date)) }
            })
        };
        let view = DayView {
            date: DateView::from_day(day.date, format),
            label: day_label(day.date, format),
            count: day.range.len(),
            newer: link(day.range.start.checked_sub(1).map(|i| &entries[i])),
            older: link(entries.get(day.range.end)),
        };
        context.insert("day", &view);
        let mut crumbs = self.day_crumbs(day.date, here);
        if let Some(last) = crumbs.last_mut() {
            last.href = None;
        }
        Parts { template: "day.html", title: view.label, crumbs, articles: Some(Articles::Range(day.range.clone())) }
    }

    fn author(&self, a: usize, here: &PagePath, context: &mut Context) -> Parts<'a> {
        let author = &self.archive.authors[a];
        context.insert(
            "author",
            &AuthorView { name: &author.name, slug: author.slug.as_str(), count: author.entries.len() },
        );
        let crumbs = vec![
            self.home_crumb(here),
            Crumb { label: "Authors".into(), href: Some(here.link_to(&pages::authors())) },
            Crumb { label: author.name.clone(), href: None },
        ];
        Parts {
            template: "author.html",
            title: author.name.clone(),
            crumbs,
            articles: Some(Articles::List(&author.entries)),
        }
    }

    fn finish(&self, template: &str, context: &Context, here: &PagePath) -> Result<Page, Diagnostic> {
        let html = self.theme.render(template, context, here)?;
        Ok(Page { path: here.clone(), html })
    }

    fn page_view(&self, kind: &'static str, title: String, here: &PagePath, breadcrumbs: Vec<Crumb>) -> PageView {
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
                stylesheet: format!("{}assets/gazette.css", here.root_prefix()),
            },
        }
    }

    fn card<'e>(&self, entry: &'e Entry, here: &PagePath) -> CardView<'e> {
        let meta = &entry.meta;
        CardView {
            title: &meta.title,
            href: here.link_to(&entry.page),
            date: DateView::new(&meta.date, &self.config.date_format),
            updated: meta.updated.as_ref().map(|d| DateView::new(d, &self.config.date_format)),
            authors: self.author_links(entry, here),
            location: meta.location.as_deref(),
            summary: &meta.summary.text,
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
        while cells.len() % 7 != 0 {
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

/// What a listing page shows, besides its kind-specific view.
struct Parts<'a> {
    template: &'static str,
    title: String,
    crumbs: Vec<Crumb>,
    /// The articles to list and paginate, if the page lists articles.
    articles: Option<Articles<'a>>,
}

/// Positions in the archive's entries: a period's range or an author's list.
enum Articles<'a> {
    Range(std::ops::Range<usize>),
    List(&'a [usize]),
}

impl Articles<'_> {
    fn len(&self) -> usize {
        match self {
            Articles::Range(r) => r.len(),
            Articles::List(l) => l.len(),
        }
    }

    /// The positions of one page: `take` of them after skipping `skip`.
    fn slice(&self, skip: usize, take: usize) -> Vec<usize> {
        match self {
            Articles::Range(r) => r.clone().skip(skip).take(take).collect(),
            Articles::List(l) => l.iter().skip(skip).take(take).copied().collect(),
        }
    }
}

impl ListingKind {
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
        }
    }

    /// The folder of the list's first page.
    pub fn path(self, archive: &Archive) -> PagePath {
        match self {
            ListingKind::Home => pages::home(),
            ListingKind::Archive => pages::archive(),
            ListingKind::Authors => pages::authors(),
            ListingKind::Year(y) => pages::year(archive.years[y].year),
            ListingKind::Month(y, m) => {
                let month = &archive.years[y].months[m];
                pages::month(month.year, month.month)
            }
            ListingKind::Day(y, m, d) => pages::day(archive.years[y].months[m].days[d].date),
            ListingKind::Author(a) => pages::author(&archive.authors[a].slug),
        }
    }
}

impl Listing {
    /// The folder of this page of the list.
    pub fn path(self, archive: &Archive) -> PagePath {
        self.kind.path(archive).paginated(self.page)
    }
}

/// Links between the pages of one listing. Shows the first and last page,
/// and two on each side of the current one; longer runs become gaps.
fn pagination(list: &PagePath, current: usize, total: usize, here: &PagePath) -> PaginationView {
    let href = |n: usize| here.link_to(&list.paginated(n));
    let mut pages = Vec::new();
    for n in 1..=total {
        let near = n == 1 || n == total || n.abs_diff(current) <= 2;
        if near {
            pages.push(PageNumber { number: n, href: (n != current).then(|| href(n)) });
        } else if pages.last().is_some_and(|p: &PageNumber| p.number != 0) {
            pages.push(PageNumber { number: 0, href: None });
        }
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
