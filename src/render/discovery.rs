//! Render phase, discovery pages: the lists of sections, tags, places and
//! stories, each one's page, the calendar days in every year, and what an
//! article page shows of its section, tags, place, thread and related
//! stories.

use chrono::{Datelike, NaiveDate};
use tera::Context;

use super::views::*;
use super::{Parts, Renderer};
use crate::config::TopicKind;
use crate::error::Diagnostic;
use crate::plan::inputs::{Card, Filing, ListingInputs, Mention, OnThisDay, StorySoFar, TopicRef};
use crate::slug::Slug;
use crate::urls::{PagePath, pages};

/// The page of a topic.
fn topic_page(kind: TopicKind, slug: &Slug) -> PagePath {
    pages::topic(kind.plural(), slug)
}

/// `December 3`.
fn month_day(month: u32, day: u32) -> String {
    format!("{} {day}", month_name(month))
}

/// What a page calls a kind of topic.
fn title_of(kind: TopicKind) -> &'static str {
    match kind {
        TopicKind::Section => "Sections",
        TopicKind::Tag => "Tags",
        TopicKind::Place => "Places",
    }
}

impl Renderer<'_> {
    /// A topic an article is filed under, as a link.
    pub(super) fn topic_link(&self, kind: TopicKind, topic: &TopicRef<'_>, here: &PagePath) -> TopicLinkView {
        TopicLinkView {
            label: topic.name.to_string(),
            href: topic.linked.then(|| here.link_to(&topic_page(kind, topic.slug))),
            count: 0,
        }
    }

    /// Another article as a dated link.
    pub(super) fn mention(&self, m: &Mention<'_>, current: bool, here: &PagePath) -> MentionView {
        MentionView {
            label: m.title.to_string(),
            href: here.link_to(m.page),
            date: self.day_label(m.day),
            iso: m.day.to_string(),
            year: m.day.year(),
            current,
        }
    }

    /// Insert what an article page shows of its filing into `view`.
    pub(super) fn filing(&self, filing: &Filing<'_>, here: &PagePath) -> FilingViews {
        FilingViews {
            section: filing.section.as_ref().map(|t| self.topic_link(TopicKind::Section, t, here)),
            tags: filing.tags.iter().map(|t| self.topic_link(TopicKind::Tag, t, here)).collect(),
            place: filing.place.as_ref().map(|t| self.topic_link(TopicKind::Place, t, here)),
            story: filing.story.as_ref().map(|s| self.thread(s, here)),
            related: filing.related.iter().map(|m| self.mention(m, false, here)).collect(),
        }
    }

    fn thread(&self, story: &StorySoFar<'_>, here: &PagePath) -> ThreadView {
        ThreadView {
            label: story.topic.name.to_string(),
            href: here.link_to(&pages::story(story.topic.slug)),
            count: story.count,
            items: story.items.iter().enumerate().map(|(n, m)| self.mention(m, n == story.current, here)).collect(),
        }
    }

    /// The home page's "On this day".
    pub(super) fn home_on_this_day(&self, found: &OnThisDay<'_>, here: &PagePath) -> OnThisDayHome {
        OnThisDayHome {
            label: month_day(found.month, found.day),
            href: here.link_to(&pages::on_this_day(found.month, found.day)),
            items: found.items.iter().map(|m| self.mention(m, false, here)).collect(),
        }
    }

    /// `sections/`, `tags/` (grouped by initial) or `places/` (grouped by
    /// country where profiles give one).
    pub(super) fn topic_list(
        &self,
        kind: TopicKind,
        topics: &[(&str, &Slug, usize)],
        here: &PagePath,
        context: &mut Context,
    ) -> Parts {
        let link = |&(name, slug, count): &(&str, &Slug, usize)| TopicLinkView {
            label: name.to_string(),
            href: Some(here.link_to(&topic_page(kind, slug))),
            count,
        };
        let group_of = |&(name, slug, _): &(&str, &Slug, usize)| match kind {
            TopicKind::Section => String::new(),
            TopicKind::Tag => initial(name),
            TopicKind::Place => {
                self.config.topics.profile(kind, slug).and_then(|p| p.country.clone()).unwrap_or_default()
            }
        };
        let mut sorted: Vec<(String, &(&str, &Slug, usize))> = topics.iter().map(|t| (group_of(t), t)).collect();
        if kind != TopicKind::Section {
            // By group (places without a country last), then by name.
            sorted.sort_by(|a, b| (a.0.is_empty(), &a.0, a.1.1).cmp(&(b.0.is_empty(), &b.0, b.1.1)));
        }
        let mut groups: Vec<TopicGroup> = Vec::new();
        for (label, topic) in sorted {
            if groups.last().is_none_or(|g| g.label != label) {
                let id = Slug::from_text(&label).map_or_else(|| "other".to_string(), |s| format!("group-{s}"));
                groups.push(TopicGroup { label: label.clone(), id, topics: Vec::new() });
            }
            if let Some(group) = groups.last_mut() {
                group.topics.push(link(topic));
            }
        }
        if kind == TopicKind::Place
            && groups.len() > 1
            && let Some(last) = groups.last_mut().filter(|g| g.label.is_empty())
        {
            last.label = "Elsewhere".into();
        }
        context.insert("groups", &groups);
        context.insert("topic_kind", kind.plural());
        let title = title_of(kind);
        Parts {
            template: "topics.html",
            title: title.into(),
            crumbs: vec![self.home_crumb(here), Crumb { label: title.into(), href: None }],
        }
    }

    /// A section's, tag's or place's page.
    pub(super) fn topic(
        &self,
        kind: TopicKind,
        topic: &TopicRef<'_>,
        count: Option<usize>,
        here: &PagePath,
        context: &mut Context,
    ) -> Parts {
        let profile = self.config.topics.profile(kind, topic.slug);
        let page = topic_page(kind, topic.slug);
        let has_feed = self.config.base_url.is_some() && kind != TopicKind::Place;
        let view = TopicView {
            kind: kind.singular(),
            name: topic.name,
            slug: topic.slug.as_str(),
            count,
            description: profile.and_then(|p| p.description.as_deref()),
            country: profile.and_then(|p| p.country.as_deref()),
            coordinates: profile.and_then(|p| p.coordinates).map(|(a, b)| [a, b]),
            feed: has_feed.then(|| here.link_to_file(&format!("{}feed.xml", page.as_str()))),
        };
        context.insert("topic", &view);
        let title = title_of(kind);
        let crumbs = vec![
            self.home_crumb(here),
            Crumb { label: title.into(), href: Some(here.link_to(&pages::topics(kind.plural()))) },
            Crumb { label: topic.name.to_string(), href: None },
        ];
        Parts { template: "topic.html", title: topic.name.to_string(), crumbs }
    }

    /// `stories/`: every running story.
    pub(super) fn story_list(&self, stories: &[(&str, &Slug, usize)], here: &PagePath, context: &mut Context) -> Parts {
        let stories: Vec<TopicLinkView> = stories
            .iter()
            .map(|&(name, slug, count)| TopicLinkView {
                label: name.to_string(),
                href: Some(here.link_to(&pages::story(slug))),
                count,
            })
            .collect();
        context.insert("groups", &[TopicGroup { label: String::new(), id: "stories".into(), topics: stories }]);
        context.insert("topic_kind", "stories");
        Parts {
            template: "topics.html",
            title: "Running stories".into(),
            crumbs: vec![self.home_crumb(here), Crumb { label: "Running stories".into(), href: None }],
        }
    }

    /// A running story's timeline, oldest first.
    pub(super) fn story(
        &self,
        story: &TopicRef<'_>,
        count: Option<usize>,
        here: &PagePath,
        context: &mut Context,
    ) -> Parts {
        let view = TopicView {
            kind: "story",
            name: story.name,
            slug: story.slug.as_str(),
            count,
            description: None,
            country: None,
            coordinates: None,
            feed: None,
        };
        context.insert("topic", &view);
        let crumbs = vec![
            self.home_crumb(here),
            Crumb { label: "Running stories".into(), href: Some(here.link_to(&pages::topics("stories"))) },
            Crumb { label: story.name.to_string(), href: None },
        ];
        Parts { template: "story.html", title: story.name.to_string(), crumbs }
    }

    /// A calendar day in every year, grouped by year, newest first.
    pub(super) fn on_this_day(
        &self,
        (month, day): (u32, u32),
        inputs: &ListingInputs<'_>,
        here: &PagePath,
        context: &mut Context,
    ) -> Result<Parts, Diagnostic> {
        const TEMPLATE: &str = "on_this_day.html";
        let lists = self.theme.lists(TEMPLATE);
        let mut years: Vec<YearGroup<'_>> = Vec::new();
        for &card in &inputs.cards {
            let date: NaiveDate = card.entry.meta.date.day();
            if years.last().is_none_or(|y| y.year != date.year()) {
                let href = here.link_to(&pages::day(date));
                years.push(YearGroup { year: date.year(), href, articles: Vec::new(), cards: Vec::new() });
            }
            if let Some(year) = years.last_mut() {
                if lists.articles {
                    year.articles.push(self.card(card, here));
                }
                if lists.cards {
                    year.cards.push(self.card_html(card, here)?);
                }
            }
        }
        let label = month_day(month, day);
        context.insert("on_this_day", &OnThisDayView { label: label.clone(), count: inputs.count, years });
        let title = format!("On this day: {label}");
        Ok(Parts {
            template: TEMPLATE,
            title: title.clone(),
            crumbs: vec![self.home_crumb(here), Crumb { label: title, href: None }],
        })
    }

    /// The links every page has to the discovery indexes.
    pub(super) fn discovery_links(&self, here: &PagePath) -> DiscoveryLinks {
        let indexes = &self.config.indexes;
        let list = |on: bool, plural: &str| on.then(|| here.link_to(&pages::topics(plural)));
        let desks = if indexes.sections {
            self.config
                .topics
                .desks
                .iter()
                .map(|slug| LinkView {
                    label: self
                        .config
                        .topics
                        .profile(TopicKind::Section, slug)
                        .map_or_else(|| slug.to_string(), |p| p.name.clone()),
                    href: here.link_to(&topic_page(TopicKind::Section, slug)),
                })
                .collect()
        } else {
            Vec::new()
        };
        DiscoveryLinks {
            sections: list(indexes.sections, "sections"),
            tags: list(indexes.tags, "tags"),
            places: list(indexes.places, "places"),
            stories: list(indexes.stories, "stories"),
            desks,
        }
    }

    /// A card's dateline page, when the site makes place pages.
    pub(super) fn place_href(&self, card: Card<'_>, here: &PagePath) -> Option<String> {
        if !self.config.indexes.places {
            return None;
        }
        let location = card.entry.meta.location.as_deref()?;
        let (slug, _) = self.config.topics.resolve(TopicKind::Place, location)?;
        Some(here.link_to(&topic_page(TopicKind::Place, &slug)))
    }
}

/// What an article page shows of its filing.
pub(super) struct FilingViews {
    pub section: Option<TopicLinkView>,
    pub tags: Vec<TopicLinkView>,
    pub place: Option<TopicLinkView>,
    pub story: Option<ThreadView>,
    pub related: Vec<MentionView>,
}

/// The discovery part of [`SiteLinks`].
pub(super) struct DiscoveryLinks {
    pub sections: Option<String>,
    pub tags: Option<String>,
    pub places: Option<String>,
    pub stories: Option<String>,
    pub desks: Vec<LinkView>,
}

/// The A–Z group of a name: its first letter, folded (`É` → `E`), or `#`.
fn initial(name: &str) -> String {
    let folded = Slug::from_text(name).map(|s| s.as_str().chars().next().unwrap_or('#')).unwrap_or('#');
    if folded.is_ascii_alphabetic() { folded.to_ascii_uppercase().to_string() } else { "#".to_string() }
}
