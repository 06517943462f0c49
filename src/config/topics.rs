//! Configuration of the discovery indexes: the profiles of sections, tags
//! and places (`sections:`, `tags:`, `places:` in `site.yaml`, and
//! `content/{sections,tags,places}/*.yaml`), the desks' order, and which
//! indexes are made (`indexes:`).
//!
//! Read with the rest of the configuration, before loading; the archive
//! phase uses [`Topics::resolve`] to file every name under its page.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Place, SitePaths, read_struct};
use crate::error::{Diagnostic, Result};
use crate::slug::Slug;

/// What a name files an article under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TopicKind {
    /// The desk (`section:`).
    Section,
    /// A topic (`tags:`).
    Tag,
    /// The dateline (`location:`).
    Place,
}

impl TopicKind {
    /// Every kind with profiles.
    pub const ALL: [TopicKind; 3] = [TopicKind::Section, TopicKind::Tag, TopicKind::Place];

    /// The `site.yaml` key, the `content/` folder of profile files and
    /// the output folder of the pages: `sections`, `tags`, `places`.
    pub fn plural(self) -> &'static str {
        match self {
            TopicKind::Section => "sections",
            TopicKind::Tag => "tags",
            TopicKind::Place => "places",
        }
    }

    /// One of them, in messages and as `page.kind`: `section`, `tag`, `place`.
    pub fn singular(self) -> &'static str {
        match self {
            TopicKind::Section => "section",
            TopicKind::Tag => "tag",
            TopicKind::Place => "place",
        }
    }
}

/// A profile as written.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RawTopic {
    /// The name to show.
    pub name: String,
    /// Other spellings that mean the same.
    pub aliases: Vec<String>,
    /// A line or two shown on its page.
    pub description: Option<String>,
    /// Places: the country, for grouping the places page.
    pub country: Option<String>,
    /// Places: latitude in degrees.
    pub latitude: Option<f64>,
    /// Places: longitude in degrees.
    pub longitude: Option<f64>,
}

impl RawTopic {
    /// A name and nothing else (a desk listed by name in `sections:`).
    fn is_name_alone(&self) -> bool {
        self.aliases.is_empty()
            && self.description.is_none()
            && self.country.is_none()
            && self.latitude.is_none()
            && self.longitude.is_none()
    }
}

/// The keys of a profile.
pub const TOPIC_KEYS: &[&str] = &["name", "aliases", "description", "country", "latitude", "longitude"];

/// A profile, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicProfile {
    /// The name to show.
    pub name: String,
    /// Its page's URL segment.
    pub slug: Slug,
    /// Other spellings that mean the same.
    pub aliases: Vec<String>,
    /// Shown on its page.
    pub description: Option<String>,
    /// Places: the country.
    pub country: Option<String>,
    /// Places: (latitude, longitude).
    pub coordinates: Option<(f64, f64)>,
}

impl std::hash::Hash for TopicProfile {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let TopicProfile { name, slug, aliases, description, country, coordinates } = self;
        (name, slug, aliases, description, country).hash(state);
        coordinates.map(|(a, b)| (a.to_bits(), b.to_bits())).hash(state);
    }
}

/// Which discovery indexes the site makes (`indexes:`); all by default.
#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields, default)]
pub struct Indexes {
    /// `sections/` pages and feeds.
    pub sections: bool,
    /// `tags/` pages and feeds.
    pub tags: bool,
    /// `places/` pages.
    pub places: bool,
    /// `stories/` thread pages and "The story so far".
    pub stories: bool,
    /// `on-this-day/` pages and the home page's "On this day".
    pub on_this_day: bool,
    /// "Related" on article pages.
    pub related: bool,
}

impl Default for Indexes {
    fn default() -> Self {
        Indexes { sections: true, tags: true, places: true, stories: true, on_this_day: true, related: true }
    }
}

/// The keys of `indexes:`.
pub const INDEX_KEYS: &[&str] = &["sections", "tags", "places", "stories", "on_this_day", "related"];

impl Indexes {
    /// Is the index of this kind made?
    pub fn has(&self, kind: TopicKind) -> bool {
        match kind {
            TopicKind::Section => self.sections,
            TopicKind::Tag => self.tags,
            TopicKind::Place => self.places,
        }
    }
}

/// The profiles of every kind, and the desks' order.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct Topics {
    /// Profiles by kind, in the order written.
    pub profiles: BTreeMap<TopicKind, Vec<TopicProfile>>,
    /// The desks listed in `sections:`, in order: the masthead's sections.
    pub desks: Vec<Slug>,
    /// Every name and alias of the profiles, as a slug, to its profile's
    /// position in `profiles` (made once, so filing a name is one lookup).
    named: BTreeMap<(TopicKind, Slug), usize>,
}

impl Topics {
    /// The slug a name is filed under, with the profile it names (by its
    /// name or an alias, compared as slugs: case, punctuation and
    /// diacritics aside); `None` when the name has no letters or digits.
    pub fn resolve(&self, kind: TopicKind, name: &str) -> Option<(Slug, Option<&TopicProfile>)> {
        let slug = Slug::from_name(name)?;
        let profile = self.named.get(&(kind, slug.clone())).and_then(|&at| self.profiles.get(&kind)?.get(at));
        match profile {
            Some(profile) => Some((profile.slug.clone(), Some(profile))),
            None => Some((slug, None)),
        }
    }

    /// The profile with this slug.
    pub fn profile(&self, kind: TopicKind, slug: &Slug) -> Option<&TopicProfile> {
        self.profiles.get(&kind)?.iter().find(|p| &p.slug == slug)
    }
}

/// A profile as written, with where it was written.
pub(super) struct ListedTopic {
    kind: TopicKind,
    at: Diagnostic,
    raw: RawTopic,
    /// Listed in `sections:` of `site.yaml`: a desk of the masthead.
    desk: bool,
}

/// Take `sections:`, `tags:` and `places:` out of `site.yaml`'s map. A
/// section may be a name alone (a desk with no profile).
pub(super) fn take_listed(
    map: &mut serde_yaml::Mapping,
    place: &Place<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<ListedTopic> {
    let mut listed = Vec::new();
    for topic in TopicKind::ALL {
        let key = topic.plural();
        let items = match map.remove(key) {
            None | Some(serde_yaml::Value::Null) => continue,
            Some(serde_yaml::Value::Sequence(items)) => items,
            Some(other) => {
                problems.push(place.at_value(key, format!("{key}: must be a list, found {}", super::kind(&other))));
                continue;
            }
        };
        for (i, item) in items.into_iter().enumerate() {
            let at = place.item(key, i);
            let desk = topic == TopicKind::Section;
            let raw = match item {
                serde_yaml::Value::String(name) if desk => Some(RawTopic { name, ..RawTopic::default() }),
                item => read_struct(item, TOPIC_KEYS, "", place, &|k| place.in_item(key, i, k), problems),
            };
            listed.extend(raw.map(|raw| ListedTopic { kind: topic, at, raw, desk }));
        }
    }
    listed
}

/// Profiles in `content/{sections,tags,places}/*.yaml`, one a file.
pub(super) fn topic_files(paths: &SitePaths, problems: &mut Vec<Diagnostic>) -> Result<Vec<ListedTopic>> {
    let mut listed = Vec::new();
    for kind in TopicKind::ALL {
        let files = super::profile_files(paths, kind.plural(), TOPIC_KEYS, problems)?;
        listed.extend(files.into_iter().map(|(at, raw)| ListedTopic { kind, at, raw, desk: false }));
    }
    Ok(listed)
}

/// Validate profiles: a readable name each, one profile per name, no
/// alias claimed twice within a kind, coordinates on the globe. A desk
/// named alone in `sections:` gives its place in the masthead; its
/// profile, when a file gives one, is that file's.
pub(super) fn topic_profiles(listed: Vec<ListedTopic>, problems: &mut Vec<Diagnostic>) -> Topics {
    let mut topics = Topics::default();
    for topic in listed.iter().filter(|t| t.desk) {
        if let Some(slug) = Slug::from_name(&topic.raw.name)
            && !topics.desks.contains(&slug)
        {
            topics.desks.push(slug);
        }
    }
    // Names alone last: they stand aside for a profile of the same desk.
    let (alone, profiled): (Vec<ListedTopic>, Vec<ListedTopic>) =
        listed.into_iter().partition(|t| t.desk && t.raw.is_name_alone());
    let mut claimed: BTreeMap<(TopicKind, Slug), String> = BTreeMap::new();
    for ListedTopic { kind, at, raw, desk } in profiled.into_iter().chain(alone) {
        let what = kind.singular();
        let Some(slug) = Slug::from_name(&raw.name) else {
            problems.push(at.with(format!("a {what} needs a `name:` with letters or digits")));
            continue;
        };
        let profiles = topics.profiles.entry(kind).or_default();
        if profiles.iter().any(|p| p.slug == slug) {
            // A desk named twice (a name in `sections:` and a profile) is one desk.
            if !(desk && raw.is_name_alone()) {
                problems.push(at.with(format!("{what} {:?} has two profiles", raw.name)));
            }
            continue;
        }
        for name in std::iter::once(&raw.name).chain(&raw.aliases) {
            let Some(alias) = Slug::from_name(name) else { continue };
            if let Some(other) = claimed.insert((kind, alias), raw.name.clone())
                && other != raw.name
            {
                problems.push(at.clone().with(format!("{name:?} is a name of both {other:?} and {:?}", raw.name)));
            }
        }
        let coordinates = match (raw.latitude, raw.longitude) {
            (None, None) => None,
            (Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                Some((lat, lon))
            }
            _ => {
                problems.push(at.clone().with(format!(
                    "{what} {:?}: latitude (−90 to 90) and longitude (−180 to 180) go together",
                    raw.name
                )));
                None
            }
        };
        let at = profiles.len();
        for alias in std::iter::once(&raw.name).chain(&raw.aliases).filter_map(|n| Slug::from_name(n)) {
            topics.named.entry((kind, alias)).or_insert(at);
        }
        let RawTopic { name, aliases, description, country, .. } = raw;
        profiles.push(TopicProfile { name, slug, aliases, description, country, coordinates });
    }
    topics
}
