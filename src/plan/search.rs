//! The search index's files, as the plan sees them: every published
//! article's metadata and terms → the index ([`crate::search::Index`]).
//!
//! Part of the plan phase. Input: the archive (each article's terms were
//! made at load, from the text it parsed: no page is read again) and the
//! settings that shape what a result shows (the date format). Output: the
//! index files, each planned as a generated file whose bytes are its
//! inputs, so only the files whose bytes changed are written again; and
//! the metadata chunks, each planned with what it shows of its articles
//! as its inputs, made only when written (they are most of the index).

use std::borrow::Cow;

use crate::archive::Archive;
use crate::archive::discovery::Topic;
use crate::config::{Config, TopicKind};
use crate::keys::{Key, KeyBuilder};
use crate::search::{
    Built, ChunkRecord, Doc, DocMeta, Facet, FacetGroup, FacetValue, Index, KnownShards, MetaChunk, SearchFile,
    ShardsRecord,
};
use crate::urls::{self, pages};

/// The search index as the plan holds it: its files, but for the
/// metadata chunks, which are made when they are written.
pub struct SearchIndex<'a> {
    /// Every file but the metadata chunks.
    pub files: Vec<SearchFile>,
    /// The metadata chunks, their articles by place in the archive.
    pub chunks: Vec<MetaChunk>,
    /// What the term shards were made from, for the next build.
    pub shards: ShardsRecord,
    /// How a result writes its date.
    config: &'a Config,
}

/// The search index of the archive's articles (those without terms, which
/// a site without search does not make, are left out); its term shards
/// taken from the previous build's output when they hold (`known`).
/// `settings` is the key of the site's settings and theme.
pub fn index<'a>(
    archive: &Archive,
    config: &'a Config,
    settings: Key,
    known: Option<KnownShards<'_>>,
) -> SearchIndex<'a> {
    // Each indexed article's place in the archive, and what identifies it.
    let (entries, docs): (Vec<usize>, Vec<Doc<'_>>) = archive
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let meta = &entry.meta;
            let terms = meta.terms.as_ref()?;
            // What a result shows is made from the article's source, its
            // page and the settings (the date format, the load settings, the
            // topics' profiles behind its facet slugs). A facet's label (the
            // spelling most used) depends on other articles too, but only the
            // facet files, keyed by their bytes, hold labels.
            let shows = KeyBuilder::new("result")
                .key(settings)
                .str(&meta.source)
                .key(meta.stamp.hash)
                .str(entry.page.as_str())
                .finish();
            Some((i, Doc { key: &meta.source, date: meta.date.day(), terms, shows }))
        })
        .unzip();
    let groups = facet_groups(archive, &entries);
    let Built { files, mut chunks, shards } = Index::build_knowing(&docs, groups, known);
    for chunk in &mut chunks {
        for (_, n) in &mut chunk.articles {
            *n = entries[*n];
        }
    }
    SearchIndex { files, chunks, shards, config }
}

impl SearchIndex<'_> {
    /// The file of a metadata chunk (one of [`SearchIndex::chunks`]), made
    /// from its articles' records.
    pub fn chunk_file(&self, archive: &Archive, chunk: &MetaChunk) -> Vec<u8> {
        let records: Vec<ChunkRecord<'_>> = chunk
            .articles
            .iter()
            .map(|&(slot, i)| ChunkRecord {
                slot,
                date: archive.entries[i].meta.date.day(),
                meta: doc_meta(archive, i, self.config),
            })
            .collect();
        crate::search::meta_chunk(chunk.number, &records)
    }
}

/// What a search result shows of an article, and its filter values.
fn doc_meta<'a>(archive: &'a Archive, i: usize, config: &Config) -> DocMeta<'a> {
    let entry = &archive.entries[i];
    let meta = &entry.meta;
    let byline = match meta.authors.as_slice() {
        [one] => Cow::Borrowed(one.name.as_str()),
        all => Cow::Owned(all.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", ")),
    };
    DocMeta {
        headline: Cow::Borrowed(&meta.title),
        url: urls::relative(pages::search().as_str(), entry.page.as_str()),
        date_text: config.date_format.format(&meta.date.at),
        byline,
        dateline: Cow::Borrowed(meta.location.as_deref().unwrap_or_default()),
        excerpt: Cow::Borrowed(&meta.summary.text),
        facets: facets(archive, i),
    }
}

/// Every filter value with its indexed articles (`entries[n]` is where
/// article `n` of the index sits in the archive), from the archive's own
/// indexes: the author, place, section and tag pages list the same
/// articles under the same name.
fn facet_groups<'a>(archive: &'a Archive, entries: &[usize]) -> Vec<FacetGroup<'a>> {
    let mut doc_of = vec![None; archive.entries.len()];
    for (n, &i) in entries.iter().enumerate() {
        doc_of[i] = u32::try_from(n).ok();
    }
    let group = |facet, slug: &'a str, label: &'a str, articles: &[usize]| FacetGroup {
        facet,
        value: FacetValue { slug: Cow::Borrowed(slug), label: Cow::Borrowed(label) },
        docs: articles.iter().filter_map(|&i| doc_of[i]).collect(),
    };
    let authors = archive.authors.iter().map(|a| group(Facet::Author, a.slug.as_str(), &a.name, &a.entries));
    let topics = [(Facet::Place, TopicKind::Place), (Facet::Section, TopicKind::Section), (Facet::Tag, TopicKind::Tag)]
        .into_iter()
        .flat_map(|(facet, kind)| {
            archive.discovery.of(kind).iter().map(move |t| group(facet, t.slug.as_str(), &t.name, &t.entries))
        });
    authors.chain(topics).collect()
}

/// An article's filter values: its authors (by their page's slug), and
/// its place, section and tags as the archive files them (the slug and
/// name of their pages, profiles and merged spellings applied).
fn facets(archive: &Archive, i: usize) -> Vec<(Facet, FacetValue<'_>)> {
    let meta = &archive.entries[i].meta;
    let (d, filed) = (&archive.discovery, &archive.discovery.filed[i]);
    fn value(facet: Facet, topic: &Topic) -> (Facet, FacetValue<'_>) {
        (facet, FacetValue { slug: Cow::Borrowed(topic.slug.as_str()), label: Cow::Borrowed(&topic.name) })
    }
    let authors = meta
        .authors
        .iter()
        .map(|a| (Facet::Author, FacetValue { slug: Cow::Borrowed(a.slug.as_str()), label: Cow::Borrowed(&a.name) }));
    let place = filed.place.map(|n| value(Facet::Place, &d.places[n as usize]));
    let section = filed.section.map(|n| value(Facet::Section, &d.sections[n as usize]));
    let tags = filed.tags.iter().map(|&n| value(Facet::Tag, &d.tags[n as usize]));
    authors.chain(place).chain(section).chain(tags).collect()
}
