//! The search index's files, as the plan sees them: every published
//! article's metadata and terms → the index ([`crate::search::Index`]).
//!
//! Part of the plan phase. Input: the archive (each article's terms were
//! made at load, from the text it parsed: no page is read again) and the
//! settings that shape what a result shows (the date format). Output: the
//! index files, each planned as a generated file whose bytes are its
//! inputs, so only the files whose bytes changed are written again.

use rayon::prelude::*;

use crate::archive::{Archive, Entry};
use crate::config::Config;
use crate::search::{DocMeta, DocTerms, Facet, FacetValue, Index, SearchFile};
use crate::slug::Slug;
use crate::urls::{self, pages};

/// The search index of the archive's articles (those without terms, which
/// a site without search does not make, are left out).
pub fn index(archive: &Archive, config: &Config) -> Vec<SearchFile> {
    let docs: Vec<(DocMeta, &DocTerms)> = archive
        .entries
        .par_iter()
        .filter_map(|entry| Some((doc_meta(entry, config), entry.meta.terms.as_ref()?)))
        .collect();
    Index::build(docs.into_iter())
}

/// What a search result shows of an article, and its filter values.
fn doc_meta(entry: &Entry, config: &Config) -> DocMeta {
    let meta = &entry.meta;
    DocMeta {
        key: meta.source.clone(),
        headline: meta.title.clone(),
        url: urls::relative(pages::search().as_str(), entry.page.as_str()),
        date: meta.date.day(),
        date_text: config.date_format.format(&meta.date.at),
        byline: meta.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "),
        dateline: meta.location.clone().unwrap_or_default(),
        excerpt: meta.summary.text.clone(),
        facets: facets(entry),
    }
}

/// An article's filter values: its authors (by their page's slug), its
/// dateline place, its section and its tags (each by the slug of its name).
fn facets(entry: &Entry) -> Vec<(Facet, FacetValue)> {
    let meta = &entry.meta;
    let named = |facet: Facet, name: &str| {
        Slug::from_text(name).map(|slug| (facet, FacetValue { slug: slug.as_str().to_string(), label: name.into() }))
    };
    let authors = meta
        .authors
        .iter()
        .map(|a| (Facet::Author, FacetValue { slug: a.slug.as_str().to_string(), label: a.name.clone() }));
    let place = meta.location.as_deref().and_then(|p| named(Facet::Place, p));
    let section = meta.section.as_deref().and_then(|s| named(Facet::Section, s));
    let tags = meta.tags.iter().filter_map(|t| named(Facet::Tag, t));
    authors.chain(place).chain(section).chain(tags).collect()
}
