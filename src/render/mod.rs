//! Render phase: archive and articles in, HTML pages out. Pure: no I/O.
//!
//! Input: the [`Theme`], the [`Archive`] and, for article pages, the
//! article's body. Output: [`Page`]s (a folder path and its HTML). The
//! caller decides when to write them, so article pages can be written as
//! soon as each is rendered and never all held in memory.

mod cards;
mod discovery;
pub mod embedded;
pub mod feeds;
pub mod jsonld;
pub mod redirects;
pub mod sitemap;
pub mod theme;
pub mod views;

use chrono::{Datelike, NaiveDate, Weekday as ChronoWeekday};
use tera::Context;

pub use theme::Theme;

use crate::archive::paging::UNCOUNTED;
use crate::archive::{Entry, PagePlace};
use crate::config::{Config, WeekStart};
use crate::error::Diagnostic;
use crate::load;
use crate::markdown;
use crate::plan::inputs::{ArticleInputs, Card, Links, ListingData, ListingInputs, Neighbour, YearCounts, YearMonth};
use crate::slug::Slug;
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

/// Renders every kind of page for one build, each from its inputs alone
/// (besides the theme and the configuration).
pub struct Renderer<'a> {
    theme: &'a Theme,
    config: &'a Config,
    /// Every entry's publication date, formatted once when first needed
    /// (an article shows up on five or more listing pages), by the card's
    /// position in the archive.
    dates: Vec<std::sync::OnceLock<DateView<'static>>>,
    /// Each calendar day's label, formatted once when first needed (a day
    /// is named on its articles, its month's calendar and its neighbours).
    day_labels: std::sync::RwLock<rustc_hash::FxHashMap<NaiveDate, String>>,
    /// Story cards as HTML, made once per article (see [`cards`]).
    cards: cards::Cards,
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
    /// A renderer for a build of an archive of `entries` articles.
    pub fn new(theme: &'a Theme, config: &'a Config, entries: usize) -> Self {
        let dates = (0..entries).map(|_| std::sync::OnceLock::new()).collect();
        Renderer { theme, config, dates, day_labels: Default::default(), cards: cards::Cards::new(entries) }
    }

    /// Render an article page, whose Markdown body is `body`.
    pub fn article(&self, inputs: &ArticleInputs<'_>, body: &load::Body) -> Result<ArticlePage, Diagnostic> {
        let entry = inputs.card.entry;
        let here = &entry.page;
        let meta = &entry.meta;
        let format = &self.config.date_format;
        let day = meta.date.day();
        let image = self.image(inputs.card, here);
        let extra = meta.extra.to_map();
        let body = self.body_html(inputs.card, &inputs.links, body, false)?;
        let filing = self.filing(&inputs.filing, here);
        let view = ArticleView {
            title: &meta.title,
            date: self.date(inputs.card).borrowed(),
            updated: meta.updated.as_ref().map(|d| DateView::new(d, format)),
            modified: meta.modified().map(|d| DateView::new(&d, format)),
            authors: self.author_links(entry, here),
            location: meta.location.as_deref(),
            json_ld: jsonld::news_article(
                entry,
                self.config,
                image.as_ref().and_then(|i| i.url.as_deref()),
                &inputs.filing,
            ),
            image,
            corrections: self.corrections(entry),
            tags: &meta.tags,
            categories: &meta.categories,
            summary: &meta.summary.text,
            standfirst: meta.summary.written.then_some(meta.summary.text.as_str()),
            body: body.html,
            extra: &extra,
            section: filing.section,
            tag_links: filing.tags,
            // The dateline as written (it is part of the story), linked
            // to its place's page.
            place: filing.place.map(|p| TopicLinkView { label: meta.location.clone().unwrap_or(p.label), ..p }),
            story: filing.story,
            related: filing.related,
            day: LinkView { label: self.day_label(day), href: here.link_to(&pages::day(day)) },
            older: inputs.older.map(|n| article_link(n, here)),
            newer: inputs.newer.map(|n| article_link(n, here)),
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

    /// An article's body as HTML: links relative to its page, or (for
    /// feeds) absolute under the base URL. An error when it would pass the
    /// site's limits, at its line in the article.
    pub fn body_html(
        &self,
        card: Card<'_>,
        links: &Links<'_>,
        body: &load::Body,
        absolute: bool,
    ) -> Result<markdown::Rendered, Diagnostic> {
        let entry = card.entry;
        let source_dir = entry.meta.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        let resolver = links.resolver;
        let target = move |path: &str| resolver.target(path);
        let links = markdown::Links {
            source_dir,
            page_dir: entry.page.as_str(),
            target: &target,
            absolute: if absolute { self.config.base_url.as_ref() } else { None },
        };
        markdown::render(body.text(), &links, self.config.raw_html, &self.config.limits).map_err(|problem| {
            let (line, col) = body.place(problem.offset);
            Diagnostic::at(format!("content/{}", entry.meta.source), line, col, problem.message)
        })
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
                sections: None,
                tags: None,
                places: None,
                stories: None,
                desks: Vec::new(),
                search: self.config.search.then(|| format!("{root}{}", pages::search().file())),
            },
            canonical: None,
            description: "Page not found".into(),
            feeds: Vec::new(),
        };
        let mut context = Context::new();
        context.insert("page", &page);
        self.theme.render("404.html", &context, &here)
    }

    /// The search page `search/index.html`: a form, and the element the
    /// search script fills in from the page's URL.
    pub fn search_page(&self, script: &str) -> Result<Vec<u8>, Diagnostic> {
        let here = pages::search();
        let crumbs = vec![self.home_crumb(&here), Crumb { label: "Search".into(), href: None }];
        let description = format!("Search the archive of {}", self.config.title);
        let page = self.page_view("search", "Search".into(), &here, crumbs, description, Vec::new());
        let search = SearchView {
            script: here.link_to_file(&format!("{}{script}", here.as_str())),
            index: format!("{}/", crate::search::FOLDER.trim_start_matches(here.as_str())),
            per_page: self.config.per_page,
        };
        let mut context = Context::new();
        context.insert("page", &page);
        context.insert("search", &search);
        Ok(self.finish("search.html", &context, &here)?.html)
    }

    /// Render one listing page.
    pub fn listing(&self, inputs: &ListingInputs<'_>) -> Result<Page, Diagnostic> {
        let list = &inputs.first;
        let here = list.list_page(inputs.page);
        let mut context = Context::new();
        let parts = match &inputs.list {
            ListingData::Home(found) => {
                context.insert("on_this_day", &found.as_ref().map(|f| self.home_on_this_day(f, &here)));
                Parts { template: "home.html", title: String::new(), crumbs: Vec::new() }
            }
            ListingData::Topics(kind, topics) => self.topic_list(*kind, topics, &here, &mut context),
            ListingData::Topic(kind, topic) => self.topic(*kind, topic, inputs.count, &here, &mut context),
            ListingData::Stories(stories) => self.story_list(stories, &here, &mut context),
            ListingData::Story(story) => self.story(story, inputs.count, &here, &mut context),
            ListingData::OnThisDay { month, day } => self.on_this_day((*month, *day), inputs, &here, &mut context)?,
            ListingData::Archive(years) => self.archive_overview(years, &here, &mut context),
            ListingData::Authors(authors) => self.author_list(authors, &here, &mut context),
            ListingData::Year { year, months, newer, older } => {
                self.year(*year, inputs.count, months, (*newer, *older), &here, &mut context)
            }
            ListingData::Month { year, month, days, newer, older } => self.month(
                YearMonth { year: *year, month: *month },
                inputs.count,
                days,
                (*newer, *older),
                &here,
                &mut context,
            ),
            ListingData::Day { date, newer, older } => {
                self.day(*date, inputs.count, (*newer, *older), &here, &mut context)
            }
            ListingData::Author { name, slug } => self.author(name, slug, inputs.count, &here, &mut context),
            ListingData::Corrections => Parts {
                template: "corrections.html",
                title: "Corrections".into(),
                crumbs: vec![self.home_crumb(&here), Crumb { label: "Corrections".into(), href: None }],
            },
        };
        let place = inputs.page;
        let mut title = parts.title;
        let lists = self.theme.lists(parts.template);
        if inputs.list.lists_articles() {
            if lists.articles {
                let cards: Vec<CardView<'_>> = inputs.cards.iter().map(|&c| self.card(c, &here)).collect();
                context.insert("articles", &cards);
            }
            if lists.cards {
                context.insert("cards", &self.cards_html(&inputs.cards, &here)?);
            }
            context.insert("pagination", &pagination(list, place, &here));
            if !place.front {
                let n = place.number;
                title = if title.is_empty() { format!("Page {n}") } else { format!("{title}, page {n}") };
            }
        }
        let description = match (&self.config.description, title.is_empty()) {
            (Some(d), true) => d.clone(),
            (_, true) => format!("The latest news from {}", self.config.title),
            (_, false) => format!("{title}: articles from {}", self.config.title),
        };
        let feeds = self.listing_feeds(&inputs.list, &here);
        context.insert("page", &self.page_view(inputs.list.name(), title, &here, parts.crumbs, description, feeds));
        let mut page = self.finish(parts.template, &context, &here)?;
        if lists.cards {
            page.html = cards::place(page.html, &here);
        }
        Ok(Page { html: redirects::with_old_ids(page.html, &inputs.old_ids), ..page })
    }

    fn archive_overview(&self, years: &[YearCounts], here: &PagePath, context: &mut Context) -> Parts {
        context.insert("years", &archive_years(years, here));
        Parts {
            template: "archive.html",
            title: "Archive".into(),
            crumbs: vec![self.home_crumb(here), Crumb { label: "Archive".into(), href: None }],
        }
    }

    fn author_list(&self, authors: &[(&str, &Slug, usize)], here: &PagePath, context: &mut Context) -> Parts {
        let authors: Vec<AuthorLink<'_>> = authors
            .iter()
            .map(|&(name, slug, count)| AuthorLink {
                label: name,
                href: here.link_to(&pages::author(slug)),
                count,
                role: self.config.author(slug).and_then(|p| p.role.as_deref()),
            })
            .collect();
        context.insert("authors", &authors);
        Parts {
            template: "authors.html",
            title: "Authors".into(),
            crumbs: vec![self.home_crumb(here), Crumb { label: "Authors".into(), href: None }],
        }
    }

    fn year(
        &self,
        year: i32,
        count: Option<usize>,
        months: &[(u32, usize)],
        (newer, older): (Option<i32>, Option<i32>),
        here: &PagePath,
        context: &mut Context,
    ) -> Parts {
        let link = |y: i32| LinkView { label: y.to_string(), href: here.link_to(&pages::year(y)) };
        let months = months
            .iter()
            .map(|&(m, count)| CountLink {
                label: month_name(m).to_string(),
                href: here.link_to(&pages::month(year, m)),
                count,
            })
            .collect();
        let view =
            YearView { year, label: year.to_string(), count, months, newer: newer.map(link), older: older.map(link) };
        context.insert("year", &view);
        Parts {
            template: "year.html",
            title: view.label.clone(),
            crumbs: vec![self.home_crumb(here), Crumb { label: view.label.clone(), href: None }],
        }
    }

    fn month(
        &self,
        at: YearMonth,
        count: Option<usize>,
        days: &[(u32, usize)],
        (newer, older): (Option<YearMonth>, Option<YearMonth>),
        here: &PagePath,
        context: &mut Context,
    ) -> Parts {
        let label = |o: YearMonth| format!("{} {}", month_name(o.month), o.year);
        let link = |o: YearMonth| LinkView { label: label(o), href: here.link_to(&pages::month(o.year, o.month)) };
        let (year, month) = (at.year, at.month);
        let view = MonthView {
            year,
            month,
            label: label(at),
            count,
            calendar: count.map(|_| self.calendar(at, days, here)),
            newer: newer.map(link),
            older: older.map(link),
        };
        context.insert("month", &view);
        let mut crumbs = self.year_crumbs(year, here);
        crumbs.push(Crumb { label: month_name(month).into(), href: None });
        Parts { template: "month.html", title: view.label, crumbs }
    }

    fn day(
        &self,
        date: NaiveDate,
        count: Option<usize>,
        (newer, older): (Option<NaiveDate>, Option<NaiveDate>),
        here: &PagePath,
        context: &mut Context,
    ) -> Parts {
        let format = &self.config.date_format;
        let link = |day: NaiveDate| LinkView { label: self.day_label(day), href: here.link_to(&pages::day(day)) };
        let view = DayView {
            date: DateView::from_day(date, self.config.timezone, format),
            label: self.day_label(date),
            count,
            on_this_day: self.config.indexes.on_this_day.then(|| LinkView {
                label: format!("{} {} in every year", month_name(date.month()), date.day()),
                href: here.link_to(&pages::on_this_day(date.month(), date.day())),
            }),
            newer: newer.map(link),
            older: older.map(link),
        };
        context.insert("day", &view);
        let mut crumbs = self.day_crumbs(date, here);
        if let Some(last) = crumbs.last_mut() {
            last.href = None;
        }
        Parts { template: "day.html", title: view.label, crumbs }
    }

    fn author(&self, name: &str, slug: &Slug, count: Option<usize>, here: &PagePath, context: &mut Context) -> Parts {
        let profile = self.config.author(slug);
        context.insert(
            "author",
            &AuthorView {
                name,
                slug: slug.as_str(),
                count,
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
            Crumb { label: name.to_string(), href: None },
        ];
        Parts { template: "author.html", title: name.to_string(), crumbs }
    }

    /// An article's publication date, formatted once.
    fn date(&self, card: Card<'_>) -> &DateView<'static> {
        self.dates[card.index].get_or_init(|| DateView::new(&card.entry.meta.date, &self.config.date_format))
    }

    /// A day as the site prints dates (`December 3, 2025`).
    fn day_label(&self, day: NaiveDate) -> String {
        if let Some(label) = self.day_labels.read().ok().and_then(|labels| labels.get(&day).cloned()) {
            return label;
        }
        let label = DateView::from_day(day, self.config.timezone, &self.config.date_format).display.into_owned();
        if let Ok(mut labels) = self.day_labels.write() {
            labels.insert(day, label.clone());
        }
        label
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
        let discovery = self.discovery_links(here);
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
                sections: discovery.sections,
                tags: discovery.tags,
                places: discovery.places,
                stories: discovery.stories,
                desks: discovery.desks,
                search: self.config.search.then(|| here.link_to(&pages::search())),
            },
            canonical: self.config.base_url.as_ref().map(|b| b.join(here.as_str())),
            description,
            feeds,
        }
    }

    /// The feeds of a list beyond the site's own: an author's, the corrections'.
    fn listing_feeds(&self, list: &ListingData<'_>, here: &PagePath) -> Vec<FeedLink> {
        if self.config.base_url.is_none() {
            return Vec::new();
        }
        match list {
            ListingData::Author { name, slug } => {
                let feed = format!("{}feed.xml", pages::author(slug).as_str());
                vec![FeedLink { title: format!("{name} (Atom)"), href: here.link_to_file(&feed), mime: ATOM }]
            }
            ListingData::Corrections => {
                let feed = format!("{}feed.xml", pages::corrections().as_str());
                vec![FeedLink { title: "Corrections (Atom)".into(), href: here.link_to_file(&feed), mime: ATOM }]
            }
            ListingData::Topic(kind, topic) if *kind != crate::config::TopicKind::Place => {
                let feed = format!("{}feed.xml", pages::topic(kind.plural(), topic.slug).as_str());
                let title = format!("{} (Atom)", topic.name);
                vec![FeedLink { title, href: here.link_to_file(&feed), mime: ATOM }]
            }
            _ => Vec::new(),
        }
    }

    fn image(&self, card: Card<'_>, here: &PagePath) -> Option<ImageView> {
        let entry = card.entry;
        let written = entry.meta.image.as_deref()?;
        let text = entry.meta.image_text();
        let mut view = ImageView::text(text);
        if let Some(photo) = card.photo {
            let sets = crate::photos::html::Srcsets::of(photo, &|rel: &str| here.link_to_file(rel))?;
            view.caption = text.caption.clone().or_else(|| photo.caption.clone());
            view.credit = text.credit.clone().or_else(|| photo.credit.clone());
            view.thumb = photo.in_format(photo.format).next().map(|v| here.link_to_file(&v.rel));
            view.url = photo.at_least(1200).and_then(|v| self.config.base_url.as_ref().map(|b| b.join(&v.rel)));
            view.photo(sets);
            return Some(view);
        }
        if !crate::urls::is_relative_reference(written) {
            // Previews need an absolute URL: `/images/x.jpg` is on this host.
            view.url = if written.contains("://") {
                Some(written.to_string())
            } else {
                self.config.base_url.as_ref().and_then(|b| b.absolute_reference(entry.page.as_str(), written))
            };
            view.href = written.to_string();
            view.thumb = Some(view.href.clone());
            return Some(view);
        }
        let source_dir = entry.meta.source.rsplit_once('/').map_or("", |(dir, _)| dir);
        let target = crate::urls::join(source_dir, written)?;
        view.href = here.link_to_file(&target);
        view.url = self.config.base_url.as_ref().map(|b| b.join(&target));
        view.thumb = Some(view.href.clone());
        Some(view)
    }

    fn corrections<'e>(&self, entry: &'e Entry) -> Vec<CorrectionView<'e>> {
        entry
            .meta
            .corrections
            .iter()
            .map(|c| CorrectionView { date: DateView::new(&c.date, &self.config.date_format), text: &c.text })
            .collect()
    }

    fn card<'c>(&'c self, card: Card<'c>, here: &PagePath) -> CardView<'c> {
        let entry = card.entry;
        let meta = &entry.meta;
        CardView {
            title: &meta.title,
            href: here.link_to(&entry.page),
            date: self.date(card).borrowed(),
            updated: meta.updated.as_ref().map(|d| DateView::new(d, &self.config.date_format)),
            authors: self.author_links(entry, here),
            location: meta.location.as_deref(),
            place_href: self.place_href(card, here),
            summary: &meta.summary.text,
            image: self.image(card, here),
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

    /// The month as weeks of seven cells, days with articles linked.
    fn calendar(&self, YearMonth { year, month }: YearMonth, days: &[(u32, usize)], here: &PagePath) -> CalendarView {
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
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            return CalendarView { weekdays, weeks: Vec::new() };
        };
        let lead = first.weekday().days_since(first_weekday) as usize;
        let days_in_month = first.num_days_in_month() as u32;
        let mut cells: Vec<Option<CalendarDay>> = (0..lead).map(|_| None).collect();
        for d in 1..=days_in_month {
            let date = first.with_day(d).unwrap_or(first);
            let count = days.iter().find(|x| x.0 == d).map_or(0, |x| x.1);
            let articles = if count == 1 { "1 article".to_string() } else { format!("{count} articles") };
            cells.push(Some(CalendarDay {
                day: d,
                count,
                href: (count > 0).then(|| here.link_to(&pages::day(date))),
                label: format!("{d} {} {year}: {articles}", month_name(month)),
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

/// A link to a neighbouring article.
fn article_link(neighbour: Neighbour<'_>, here: &PagePath) -> LinkView {
    LinkView { label: neighbour.title.to_string(), href: here.link_to(neighbour.page) }
}

/// The archive overview's years, each with its months oldest first (as a
/// calendar reads).
fn archive_years(years: &[YearCounts], here: &PagePath) -> Vec<ArchiveYear> {
    years
        .iter()
        .map(|y| ArchiveYear {
            label: y.year.to_string(),
            href: here.link_to(&pages::year(y.year)),
            count: y.count,
            months: y
                .months
                .iter()
                .rev()
                .map(|&(m, count)| CountLink {
                    label: month_name(m).to_string(),
                    href: here.link_to(&pages::month(y.year, m)),
                    count,
                })
                .collect(),
        })
        .collect()
}

/// What a listing page shows, besides its kind-specific view.
struct Parts {
    template: &'static str,
    title: String,
    crumbs: Vec<Crumb>,
}

/// A place in a listing's page links.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    /// Page `n`, not the front page.
    Page(usize),
    /// The list's front page.
    Front,
    /// Pages left out.
    Gap,
}

/// Links between the pages of one listing, seen from the page at `place`
/// of `list` (at `here`): two pages on each side of it, the front page and
/// the oldest page; longer runs become gaps. Only what the page knows of
/// its place is used (not how many pages the list has), so a page's links
/// change only when pages near it come or go.
fn pagination(list: &PagePath, place: PagePlace, here: &PagePath) -> PaginationView {
    let oldest_first = place.oldest_first;
    let (k, newer) = (place.number as usize, usize::from(place.newer));
    // Page k + j is the front of a list shown newest first when no page
    // is newer than it.
    let newer_page = |j: usize| {
        if !oldest_first && newer == j { Slot::Front } else { Slot::Page(k + j) }
    };
    let older_page = |n: usize| if oldest_first && n == 1 { Slot::Front } else { Slot::Page(n) };
    // Oldest first: page 1, a gap, k-2 ..= k+2, a gap, (the front).
    let mut slots = Vec::with_capacity(9);
    if k > 3 {
        slots.push(older_page(1));
        if k > 4 {
            slots.push(Slot::Gap);
        }
    }
    slots.extend((k.saturating_sub(2).max(1)..k).map(older_page));
    slots.push(if place.front { Slot::Front } else { Slot::Page(k) });
    slots.extend((1..=newer.min(2)).map(newer_page));
    if newer > 2 {
        if oldest_first {
            // The newest page, where new stories land, when this page knows
            // it: the next one past the run, or any from the front page
            // (which knows how many pages follow).
            if newer > 3 {
                slots.push(Slot::Gap);
            }
            if newer == 3 || (place.front && place.newer != UNCOUNTED) {
                slots.push(Slot::Page(k + newer));
            }
        } else {
            if newer > 3 {
                slots.push(Slot::Gap);
            }
            slots.push(Slot::Front);
        }
    }
    if !oldest_first {
        slots.reverse();
    }
    let href = |slot: Slot| match slot {
        Slot::Page(n) => Some(here.link_to(&list.paginated(n))),
        Slot::Front => Some(here.link_to(list)),
        Slot::Gap => None,
    };
    let current = if place.front { Slot::Front } else { Slot::Page(k) };
    let pages = slots
        .iter()
        .map(|&slot| PageNumber {
            label: match slot {
                Slot::Page(n) => n.to_string(),
                Slot::Front if oldest_first => "1".into(),
                Slot::Front => "Latest".into(),
                Slot::Gap => String::new(),
            },
            href: if slot == current { None } else { href(slot) },
            gap: slot == Slot::Gap,
        })
        .collect();
    let (newer, older) =
        ((newer > 0).then(|| newer_page(1)).and_then(href), (k > 1).then(|| older_page(k - 1)).and_then(href));
    PaginationView { current: k, front: place.front, oldest_first, newer, older, pages }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(number: u32, front: bool, newer: u16) -> PagePlace {
        PagePlace { number, front, oldest_first: false, newer }
    }

    fn story_place(number: u32, front: bool, newer: u16) -> PagePlace {
        PagePlace { oldest_first: true, ..place(number, front, newer) }
    }

    fn labels(p: &PaginationView) -> Vec<&str> {
        p.pages.iter().map(|x| if x.gap { "…" } else { x.label.as_str() }).collect()
    }

    #[test]
    fn pagination_windows_long_lists() {
        let list = pages::home();
        let here = list.paginated(6);
        let p = pagination(&list, place(6, false, 4), &here);
        assert_eq!(labels(&p), ["Latest", "…", "8", "7", "6", "5", "4", "…", "1"]);
        assert_eq!(p.newer.as_deref(), Some("../7/index.html"));
        assert_eq!(p.older.as_deref(), Some("../5/index.html"));
        assert_eq!(p.pages[0].href.as_deref(), Some("../../index.html"));
        assert_eq!(p.pages[8].href.as_deref(), Some("../1/index.html"));
        assert!(p.pages[4].href.is_none());
    }

    #[test]
    fn the_front_page_links_the_newest_older_pages_and_the_oldest() {
        let list = pages::home();
        let p = pagination(&list, place(9, true, 0), &list);
        assert_eq!(labels(&p), ["Latest", "8", "7", "…", "1"]);
        assert_eq!((p.newer.as_deref(), p.older.as_deref()), (None, Some("page/8/index.html")));
        // The page next to the front links it as Latest, once.
        let here = list.paginated(8);
        let p = pagination(&list, place(8, false, 1), &here);
        assert_eq!(labels(&p), ["Latest", "8", "7", "6", "…", "1"]);
        assert_eq!(p.newer.as_deref(), Some("../../index.html"));
    }

    #[test]
    fn a_list_oldest_first_has_its_newer_articles_on_the_next_page() {
        let list = pages::story(&Slug::from_name("Harbour").unwrap());
        let here = list.paginated(2);
        let p = pagination(&list, story_place(2, false, 4), &here);
        assert_eq!(labels(&p), ["1", "2", "3", "4", "…"]);
        assert_eq!((p.newer.as_deref(), p.older.as_deref()), (Some("../3/index.html"), Some("../../index.html")));
        // Its newest page, where new stories land, is linked when it is the
        // next one past the run.
        let p = pagination(&list, story_place(2, false, 3), &here);
        assert_eq!(labels(&p), ["1", "2", "3", "4", "5"]);
        assert_eq!(p.pages[4].href.as_deref(), Some("../5/index.html"));
        let p = pagination(&list, story_place(1, true, 1), &list);
        assert_eq!(labels(&p), ["1", "2"]);
        // Its front page links its newest page, however far.
        let p = pagination(&list, story_place(1, true, 8), &list);
        assert_eq!(labels(&p), ["1", "2", "3", "…", "9"]);
        assert_eq!(p.pages[4].href.as_deref(), Some("page/9/index.html"));
        // Past what it can count, it leaves the newest page out.
        let p = pagination(&list, story_place(1, true, UNCOUNTED), &list);
        assert_eq!(labels(&p), ["1", "2", "3", "…"]);
    }

    #[test]
    fn single_page_has_no_neighbours() {
        let list = pages::authors();
        let p = pagination(&list, place(1, true, 0), &list);
        assert!(p.newer.is_none() && p.older.is_none());
        assert_eq!(p.pages.len(), 1);
    }
}
