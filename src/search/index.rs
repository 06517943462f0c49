//! Search, for the whole site: every article's terms and metadata → the
//! index files ([`SearchFile`]), pure.
//!
//! Every file is a script that hands its data to the search script
//! (`gazetteSearch.add(kind, id, data)`), so the browser loads them with
//! `<script>` elements: from `file://`, any host or sub-path, no `fetch`.
//! Where a thing goes depends on that thing alone, so a one-article edit
//! rewrites only the files holding what changed:
//!
//! - an article's *slot* (its number in the index) is a hash of its source
//!   path, moved on to the next free slot when taken: never its place in
//!   the archive. Slots are at most a quarter to a half full;
//! - a term's *shard* is a hash of its first characters ([`shard_of`]);
//! - an article's *metadata chunk* and *document block* are ranges of slots.
//!
//! The format is described for readers in `docs/search.md`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::code::{Postings, Slots, gap, push_doc, shard_of};
use super::text::DocTerms;
use super::vocabulary::Vocabulary;
use crate::keys::{self, Key};

/// Where the index files go, inside the output.
pub const FOLDER: &str = "search/index";

/// The average size aimed at for a shard; shards come in a power-of-two
/// count, so the actual average lies between half and all of it.
const SHARD_TARGET: usize = 32 * 1024;

/// An article's metadata chunk holds the slots sharing all bits but these.
const CHUNK_BITS: u32 = 6;

/// An article's document block (date and length) holds the slots sharing
/// all bits but these: 8192 slots, 13 to 26 KB (2,000 to 4,000 articles). A
/// query finding thousands of articles loads every block, and in the
/// browser each file costs about as much as its bytes: larger blocks are
/// faster for those, smaller ones load less for a query of a few results.
const BLOCK_BITS: u32 = 13;

/// The version of the format, for the browser to refuse one it cannot read.
const VERSION: u32 = 1;

/// A kind of filter over search results (besides the year, which every
/// article has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    /// Bylined authors.
    Author,
    /// The dateline place.
    Place,
    /// The section.
    Section,
    /// Tags.
    Tag,
}

impl Facet {
    /// Its name in URLs (`?author=ann-lee`) and in the index.
    pub fn name(self) -> &'static str {
        match self {
            Facet::Author => "author",
            Facet::Place => "place",
            Facet::Section => "section",
            Facet::Tag => "tag",
        }
    }
}

/// One value of a facet on an article (borrowed from the archive where
/// it can be: a million articles' metadata is held while the index is built).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FacetValue<'a> {
    /// The value in URLs: the slug of its index page.
    pub slug: Cow<'a, str>,
    /// The value as shown.
    pub label: Cow<'a, str>,
}

/// An article to index: what identifies it from build to build (its
/// source path), its day, its terms, and a key of what a result shows of
/// it. Every article's is held while the index is built; what a result
/// shows ([`DocMeta`]) is made only for the metadata chunks written.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// Its source path.
    pub key: &'a str,
    /// The publication day.
    pub date: NaiveDate,
    /// Its terms.
    pub terms: &'a DocTerms,
    /// A hash of what its metadata chunk record is made from (what a result
    /// shows, [`DocMeta`], and its facet values' slugs; not their labels,
    /// which only the facet files hold), which the caller knows: it
    /// changes when they may have changed.
    pub shows: Key,
}

/// What a search result shows of an article, and how to filter it; its
/// text borrowed from the archive where it can be.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocMeta<'a> {
    /// The headline.
    pub headline: Cow<'a, str>,
    /// The article page, relative to the search page (`../2025/06/03/slug/`).
    pub url: String,
    /// The date as the site writes it.
    pub date_text: String,
    /// The byline as shown.
    pub byline: Cow<'a, str>,
    /// The dateline place, or `""`.
    pub dateline: Cow<'a, str>,
    /// A short text about the article (its standfirst or first lines).
    pub excerpt: Cow<'a, str>,
    /// Its facet values: authors, place, section, tags.
    pub facets: Vec<(Facet, FacetValue<'a>)>,
}

/// A file of the index: where in the output, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchFile {
    /// Path inside the output, with `/` separators (under [`FOLDER`]).
    pub path: String,
    /// The content.
    pub bytes: Vec<u8>,
}

/// The search index of a site.
pub struct Index;

/// The index, as [`Index::build`] leaves it: every file but the metadata
/// chunks, which are made when they are written ([`meta_chunk`]) from
/// their articles' [`DocMeta`]: the largest part of the index is never
/// held whole.
pub struct Built {
    /// Every other file.
    pub files: Vec<SearchFile>,
    /// The metadata chunks, by number.
    pub chunks: Vec<MetaChunk>,
    /// What its term shards were made from, for the next build.
    pub shards: ShardsRecord,
}

/// What a build's term shards were made from (a hash of every article's
/// slot and terms), and their sizes by shard number (0: no file). Kept in
/// the build state: the next build whose articles have the same slots and
/// terms (an edit of tags, section or thread changes neither) takes the
/// shards from the output as they are, instead of making every posting
/// list again.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShardsRecord {
    /// The hash.
    #[serde(with = "crate::keys::stored")]
    pub key: Key,
    /// The sizes.
    pub sizes: Vec<usize>,
    /// The measure of every term's postings and every form their count
    /// was worked out from (see [`term_shards`]).
    pub size: usize,
}

/// The previous build's term shards, to take when they still hold: their
/// record, and a reader of a file of the previous output (by its path in
/// it) that gives its bytes only when they are as that build wrote them.
pub struct KnownShards<'k> {
    /// The previous build's record.
    pub record: ShardsRecord,
    /// The reader.
    pub read: &'k (dyn Fn(&str) -> Option<Vec<u8>> + Sync),
    /// The terms the articles read again by this build had in the
    /// previous one, by key (none for an article it did not have): when
    /// only those changed, the shards they are in are patched (see
    /// [`super::patch`]).
    pub earlier: FxHashMap<&'k str, Option<&'k DocTerms>>,
}

/// A metadata chunk: its number, its articles, and a key of what its file
/// shows of them.
#[derive(Debug, Clone)]
pub struct MetaChunk {
    /// Its number: the slots' bits above [`CHUNK_BITS`].
    pub number: u64,
    /// (slot, article), by slot; the article as numbered in the input.
    pub articles: Vec<(u64, usize)>,
    /// A hash of its articles' slots and [`Doc::shows`] keys: it changes
    /// whenever its file's bytes may.
    pub key: Key,
}

/// A chunk stands for its file by its number and key: its records are
/// made again only when the file is written.
impl std::hash::Hash for MetaChunk {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.number.hash(state);
        self.key.hash(state);
    }
}

impl MetaChunk {
    /// Its path inside the output.
    pub fn path(&self) -> String {
        file_path("m", &self.number.to_string())
    }
}

/// One article in a metadata chunk: what the chunk's file is made from.
#[derive(Debug, Clone, Hash)]
pub struct ChunkRecord<'a> {
    /// Its slot.
    pub slot: u64,
    /// Its publication day.
    pub date: NaiveDate,
    /// What a result shows of it.
    pub meta: DocMeta<'a>,
}

/// An article's facet values (the filters it is found by).
pub type Facets<'a> = Vec<(Facet, FacetValue<'a>)>;

/// A facet value and its articles (by their place in the docs).
#[derive(Debug, Clone)]
pub struct FacetGroup<'a> {
    /// The facet.
    pub facet: Facet,
    /// The value, with the label the filter shows.
    pub value: FacetValue<'a>,
    /// Its articles, in any order (as `u32`: a million articles' values
    /// are millions of these, held while the index is built).
    pub docs: Vec<u32>,
}

impl Index {
    /// The index of these articles (in any order: the files depend on the
    /// set, not the order). `facets(i)` are the facet values of `docs[i]`;
    /// a value's label is the one its newest article gives.
    pub fn build<'t>(docs: &[Doc<'t>], facets: impl Fn(usize) -> Facets<'t>) -> Built {
        Index::build_knowing(docs, groups_of(docs, facets), None)
    }

    /// The index of these articles with their facet values' groups,
    /// taking the term shards of the previous build when the articles'
    /// slots and terms are as they were then.
    pub fn build_knowing<'t>(docs: &[Doc<'t>], facets: Vec<FacetGroup<'t>>, known: Option<KnownShards<'_>>) -> Built {
        let by_slot = by_slot(docs);

        // The shards on one core, the rest (about as long) on another.
        let ((mut files, shards), (described, rest)) = rayon::join(
            || {
                let mut files = Vec::new();
                let made = |files: &mut Vec<SearchFile>| term_shards(&by_slot, docs, files);
                // With the previous build's shards, the key says whether they
                // hold; without, it is only kept: hashed beside the making.
                let (key, (sizes, size)) = match known {
                    Some(known) => {
                        let key = shards_key(&by_slot, |i| docs[i].terms);
                        let taken =
                            shards_as_known(key, &known).or_else(|| super::patch::patched(&by_slot, docs, key, &known));
                        match taken {
                            Some((known_files, sizes)) => {
                                files = known_files;
                                (key, sizes)
                            }
                            None => (key, made(&mut files)),
                        }
                    }
                    None => rayon::join(|| shards_key(&by_slot, |i| docs[i].terms), || made(&mut files)),
                };
                (files, ShardsRecord { key, sizes, size })
            },
            || {
                let mut files = Vec::new();
                let described = describe(&by_slot, docs, facets, &mut files);
                (described, files)
            },
        );
        files.extend(rest);
        let Described { blocks, facets, chunks } = described;
        let data = Root { version: VERSION, shards: shards.sizes.clone(), blocks, facets, ..Root::default() };
        files.push(root(docs, &by_slot, &files, &chunks, data));
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Built { files, chunks, shards }
    }
}

impl Built {
    /// Every file, the metadata chunks made too (as the build makes them
    /// when it writes them), sorted by path: for tests and tools.
    pub fn all_files<'t>(self, docs: &[Doc<'t>], meta: impl Fn(usize) -> DocMeta<'t>) -> Vec<SearchFile> {
        let Built { mut files, chunks, .. } = self;
        for chunk in chunks {
            let records = chunk.records(docs, &meta);
            files.push(SearchFile { path: chunk.path(), bytes: meta_chunk(chunk.number, &records) });
        }
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl MetaChunk {
    /// What its file is made from.
    pub fn records<'t>(&self, docs: &[Doc<'t>], meta: &impl Fn(usize) -> DocMeta<'t>) -> Vec<ChunkRecord<'t>> {
        self.articles.iter().map(|&(slot, i)| ChunkRecord { slot, date: docs[i].date, meta: meta(i) }).collect()
    }
}

/// (slot, article) of every article, by slot.
fn by_slot(docs: &[Doc<'_>]) -> Vec<(u64, usize)> {
    let slots = assign_slots(docs.iter().map(|doc| doc.key));
    let mut by_slot: Vec<(u64, usize)> = slots.into_iter().zip(0..).collect();
    by_slot.sort_unstable();
    by_slot
}

/// Each article's slot, in input order: its home slot is a hash of its
/// key; articles are placed in order of home slot (then key), each in the
/// first free slot from its home. So an article keeps its slot whatever
/// the others do, unless one added just before it took it (then it moves
/// up one). The space doubles with the count of articles (it is kept
/// between a quarter and a half full), which moves every article.
fn assign_slots<'k>(keys: impl Iterator<Item = &'k str>) -> Vec<u64> {
    let keys: Vec<&str> = keys.collect();
    let space = (2 * keys.len()).next_power_of_two().max(64) as u64;
    let mut homes: Vec<(u64, &str, usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| (xxhash_rust::xxh3::xxh3_64(key.as_bytes()) & (space - 1), *key, i))
        .collect();
    homes.sort_unstable();
    let mut slots = vec![0; keys.len()];
    let mut next = 0;
    for (home, _, i) in homes {
        let slot = home.max(next);
        slots[i] = slot;
        next = slot + 1;
    }
    slots
}

/// The terms of one shard, as the browser reads them.
#[derive(Serialize)]
struct Shard<'a> {
    /// The terms (stems) whose shard this is, sorted.
    terms: Vec<&'a str>,
    /// Their posting lists, in the same order.
    post: Vec<&'a str>,
    /// Each form seen whose shard this is, then its term: the term's
    /// position in `terms` when it is here, else the term itself.
    forms: Vec<FormPart<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum FormPart<'a> {
    Text(&'a str),
    Here(usize),
}

/// What the term shards are made from: every article's slot and terms
/// (those of article `i` are `terms(i)`), in slot order (and the index's
/// version and shard size).
pub(super) fn shards_key<'t>(by_slot: &[(u64, usize)], terms: impl Fn(usize) -> &'t DocTerms) -> Key {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&VERSION.to_le_bytes());
    hasher.update(&(SHARD_TARGET as u64).to_le_bytes());
    for &(slot, i) in by_slot {
        let terms = terms(i);
        hasher.update(&slot.to_le_bytes());
        hasher.update(&(terms.as_bytes().len() as u64).to_le_bytes());
        hasher.update(&terms.hash().to_le_bytes());
    }
    hasher.digest128()
}

/// The term shards of the previous build, when made from what `key`
/// hashes, and every one of them reads back whole: the files and their
/// sizes by shard number.
/// Term shards taken rather than made: their files, their sizes by shard
/// number and their measure (see [`ShardsRecord`]).
pub(super) type TakenShards = (Vec<SearchFile>, (Vec<usize>, usize));

fn shards_as_known(key: Key, known: &KnownShards<'_>) -> Option<TakenShards> {
    let KnownShards { record, read, .. } = known;
    if record.key != key {
        return None;
    }
    Some((shards_as_written(&record.sizes, read, |_| true)?, (record.sizes.clone(), record.size)))
}

/// The term shard files of these sizes (by shard number, 0: no file) that
/// `wanted`, as the previous output holds them; `None` when one of them
/// does not read back whole.
pub(super) fn shards_as_written(
    sizes: &[usize],
    read: &(dyn Fn(&str) -> Option<Vec<u8>> + Sync),
    wanted: impl Fn(u32) -> bool,
) -> Option<Vec<SearchFile>> {
    let shards = sizes.iter().enumerate().filter(|&(number, &size)| size > 0 && wanted(number as u32));
    shards
        .map(|(number, &size)| {
            let path = file_path("t", &number.to_string());
            let bytes = read(&path).filter(|bytes| bytes.len() == size)?;
            Some(SearchFile { path, bytes })
        })
        .collect()
}

/// Write the term shards; their sizes, by shard number (0: no file), and
/// the measure their count was worked out from ([`shard_count`]).
fn term_shards(by_slot: &[(u64, usize)], docs: &[Doc<'_>], files: &mut Vec<SearchFile>) -> (Vec<usize>, usize) {
    let vocabulary = Vocabulary::read();
    // The postings on one core, the forms seen on another.
    let ((places, mut terms), pairs) = rayon::join(|| postings(by_slot, docs, &vocabulary), || form_pairs(docs));
    // Form → the terms it stands for (by place; almost always one).
    let mut forms: Vec<(&str, usize)> = pairs
        .into_iter()
        .filter_map(|(form, term)| Some((vocabulary.text(form), *places.get(term as usize)? as usize)))
        .filter(|&(_, place)| place < terms.len())
        .collect();
    forms.sort_unstable();

    let size: usize = terms.iter().map(|(t, p)| term_measure(t, &p.text)).sum::<usize>()
        + forms.iter().map(|(f, t)| form_measure(f, terms[*t].0)).sum::<usize>();
    let count = shard_count(size);
    /// A shard's terms (by place), and its forms with the places of their terms.
    #[derive(Default)]
    struct Parts<'a> {
        terms: Vec<usize>,
        forms: Vec<(&'a str, usize)>,
    }
    let mut shards: BTreeMap<u32, Parts<'_>> = BTreeMap::new();
    for (id, (text, _)) in terms.iter().enumerate() {
        shards.entry(shard_of(text, count)).or_default().terms.push(id);
    }
    for &(form, id) in &forms {
        shards.entry(shard_of(form, count)).or_default().forms.push((form, id));
    }

    let mut sizes = vec![0; count as usize];
    let mut shards: Vec<(u32, Parts<'_>)> = shards.into_iter().collect();
    // A few at a time, on every core.
    for batch in shards.chunks_mut(16) {
        let made: Vec<SearchFile> = batch
            .par_iter_mut()
            .map(|(number, parts)| shard_file(*number, &mut parts.terms, &mut parts.forms, &terms))
            .collect();
        for ((number, parts), file) in batch.iter().zip(made) {
            sizes[*number as usize] = file.bytes.len();
            files.push(file);
            // Written: its postings are not needed any more.
            for &id in &parts.terms {
                terms[id].1.text = String::new();
            }
        }
    }
    (sizes, size)
}

/// What a term with its postings counts for in the measure of the shards.
pub(super) fn term_measure(term: &str, postings: &str) -> usize {
    term.len() + postings.len() + 6
}

/// What a form seen counts for in the measure of the shards.
pub(super) fn form_measure(form: &str, term: &str) -> usize {
    form.len() + term.len() + 6
}

/// How many shards terms and forms of this measure go in.
pub(super) fn shard_count(size: usize) -> u32 {
    u32::try_from(size.div_ceil(SHARD_TARGET).next_power_of_two()).unwrap_or(1 << 31)
}

/// Every term's postings, in order of first use: by term number, its
/// place among them.
fn postings<'v>(
    by_slot: &[(u64, usize)],
    docs: &[Doc<'_>],
    vocabulary: &'v Vocabulary,
) -> (Vec<u32>, Vec<(&'v str, Postings)>) {
    let mut places: Vec<u32> = vec![u32::MAX; vocabulary.count()];
    let mut terms: Vec<(&str, Postings)> = Vec::new();
    for &(slot, i) in by_slot {
        docs[i].terms.each_number(|term, weight| {
            let Some(place) = places.get_mut(term as usize) else { return };
            if *place == u32::MAX {
                *place = u32::try_from(terms.len()).unwrap_or(u32::MAX);
                terms.push((vocabulary.text(term), Postings::default()));
            }
            terms[*place as usize].1.push(slot, weight);
        });
    }
    (places, terms)
}

/// Every (form, term) pair seen, by number.
fn form_pairs(docs: &[Doc<'_>]) -> FxHashSet<(u32, u32)> {
    let mut pairs = FxHashSet::default();
    for doc in docs {
        doc.terms.each_form_number(|form, term| {
            pairs.insert((form, term));
        });
    }
    pairs
}

/// The file of shard `number`, with these terms (by place) and forms.
pub(super) fn shard_file(
    number: u32,
    here: &mut [usize],
    seen: &mut [(&str, usize)],
    terms: &[(&str, Postings)],
) -> SearchFile {
    let term = |id: usize| -> &str { terms[id].0 };
    here.sort_unstable_by_key(|&id| term(id));
    seen.sort_unstable_by_key(|&(form, id)| (form, term(id)));
    let position: FxHashMap<usize, usize> = here.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let shard = Shard {
        terms: here.iter().map(|&id| term(id)).collect(),
        post: here.iter().map(|&id| terms[id].1.text.as_str()).collect(),
        forms: seen
            .iter()
            .flat_map(|&(form, id)| {
                let to = position.get(&id).map_or(FormPart::Text(term(id)), |&i| FormPart::Here(i));
                [FormPart::Text(form), to]
            })
            .collect(),
    };
    script("t", &number.to_string(), &shard)
}

/// What the pass over the articles' metadata makes, besides its files.
struct Described {
    /// The document blocks' numbers.
    blocks: Vec<u64>,
    /// The facets, for the root file.
    facets: Vec<FacetSummary>,
    /// The metadata chunks.
    chunks: Vec<MetaChunk>,
}

/// Write the document blocks and the facet files, and list the metadata
/// chunks, each keyed by its articles' slots and what they show.
fn describe(
    by_slot: &[(u64, usize)],
    docs: &[Doc<'_>],
    facets: Vec<FacetGroup<'_>>,
    files: &mut Vec<SearchFile>,
) -> Described {
    let mut chunks = Vec::new();
    for slots in by_slot.chunk_by(|a, b| a.0 >> CHUNK_BITS == b.0 >> CHUNK_BITS) {
        let mut key = keys::KeyBuilder::new("chunk");
        for &(slot, i) in slots {
            key.num(slot).key(docs[i].shows);
        }
        chunks.push(MetaChunk { number: slots[0].0 >> CHUNK_BITS, articles: slots.to_vec(), key: key.finish() });
    }
    let mut slot_of = vec![0; docs.len()];
    for &(slot, i) in by_slot {
        slot_of[i] = slot;
    }
    Described { blocks: doc_blocks(by_slot, docs, files), facets: facet_files(facets, &slot_of, files), chunks }
}

/// One article in a metadata chunk's file: slot, headline, URL, date (ISO
/// and as shown), byline, dateline, excerpt, and facet values by facet name.
type MetaRecord<'a> =
    (u64, &'a str, &'a str, String, &'a str, &'a str, &'a str, &'a str, BTreeMap<&'a str, Vec<&'a str>>);

/// The file of metadata chunk `number`, of these articles.
pub fn meta_chunk(number: u64, records: &[ChunkRecord<'_>]) -> Vec<u8> {
    let records: Vec<MetaRecord<'_>> = records
        .iter()
        .map(|ChunkRecord { slot, date, meta }| {
            let mut facets: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for (facet, value) in &meta.facets {
                facets.entry(facet.name()).or_default().push(&value.slug);
            }
            (
                *slot,
                meta.headline.as_ref(),
                meta.url.as_str(),
                date.format("%Y-%m-%d").to_string(),
                meta.date_text.as_str(),
                meta.byline.as_ref(),
                meta.dateline.as_ref(),
                meta.excerpt.as_ref(),
                facets,
            )
        })
        .collect();
    script("m", &number.to_string(), &records).bytes
}

/// Write the document blocks: for each article, by slot, the gap since the
/// previous slot of the block, its day (days since 1970, signed) and its
/// word count. Their numbers.
fn doc_blocks(by_slot: &[(u64, usize)], docs: &[Doc<'_>], files: &mut Vec<SearchFile>) -> Vec<u64> {
    let mut numbers = Vec::new();
    for block in by_slot.chunk_by(|a, b| a.0 >> BLOCK_BITS == b.0 >> BLOCK_BITS) {
        let number = block[0].0 >> BLOCK_BITS;
        let mut text = String::new();
        let mut last = None;
        for &(slot, i) in block {
            let slot = slot - (number << BLOCK_BITS);
            let day = i64::from(docs[i].date.num_days_from_ce() - EPOCH_DAYS_FROM_CE);
            push_doc(&mut text, gap(last, slot), day, docs[i].terms.words());
            last = Some(slot);
        }
        files.push(script("d", &number.to_string(), &text));
        numbers.push(number);
    }
    numbers
}

/// 1970-01-01, in days from the common era.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// A facet in the root file: its values, sorted by slug, each with its
/// label and count.
#[derive(Serialize)]
struct FacetSummary {
    name: &'static str,
    values: Vec<(String, String, u32)>,
}

/// Each facet value's articles, from every article's values: a value's
/// label is the one its newest article gives (the key breaks a tie).
fn groups_of<'t>(docs: &[Doc<'t>], facets: impl Fn(usize) -> Facets<'t>) -> Vec<FacetGroup<'t>> {
    // Each group by its facet and slug, with the article its label is from.
    let mut groups: FxHashMap<(Facet, Cow<'t, str>), (FacetGroup<'t>, usize)> = FxHashMap::default();
    let newest = |i: usize| (docs[i].date, docs[i].key);
    for i in 0..docs.len() {
        for (facet, value) in facets(i) {
            let (group, labeled) = groups
                .entry((facet, value.slug.clone()))
                .or_insert_with(|| (FacetGroup { facet, value: value.clone(), docs: Vec::new() }, i));
            if newest(i) > newest(*labeled) {
                group.value.label = value.label;
                *labeled = i;
            }
            // (Past u32::MAX articles, the rest are left out, as the build's own groups do.)
            if let Ok(i) = u32::try_from(i) {
                group.docs.push(i);
            }
        }
    }
    groups.into_values().map(|(group, _)| group).collect()
}

/// Write a file per facet: each value's slug, then its articles' slots
/// (as gaps), values sorted by slug. The summaries for the root file.
fn facet_files(mut groups: Vec<FacetGroup<'_>>, slot_of: &[u64], files: &mut Vec<SearchFile>) -> Vec<FacetSummary> {
    groups.retain(|g| !g.docs.is_empty());
    groups.sort_unstable_by(|a, b| (a.facet, &a.value.slug).cmp(&(b.facet, &b.value.slug)));
    let mut summaries: Vec<(FacetSummary, Vec<String>)> = Vec::new();
    for FacetGroup { facet, value, docs } in groups {
        let mut slots: Vec<u64> = docs.iter().map(|&i| slot_of[i as usize]).collect();
        slots.sort_unstable();
        slots.dedup();
        let mut list = Slots::default();
        slots.into_iter().for_each(|slot| list.push(slot));
        if summaries.last().is_none_or(|(s, _)| s.name != facet.name()) {
            summaries.push((FacetSummary { name: facet.name(), values: Vec::new() }, Vec::new()));
        }
        if let Some((summary, texts)) = summaries.last_mut() {
            summary.values.push((value.slug.to_string(), value.label.into_owned(), list.count));
            texts.extend([value.slug.into_owned(), list.text]);
        }
    }
    summaries
        .into_iter()
        .map(|(summary, texts)| {
            files.push(script("f", summary.name, &texts));
            summary
        })
        .collect()
}

/// The root file: what the browser reads first.
#[derive(Serialize, Default)]
struct Root {
    /// The format's version.
    version: u32,
    /// How many articles.
    docs: usize,
    /// One more than the highest slot.
    slots: u64,
    /// Bits of a slot below its metadata chunk's number.
    chunk_bits: u32,
    /// Bits of a slot below its document block's number.
    block_bits: u32,
    /// The average word count, for ranking.
    avg_words: f64,
    /// Each shard's size in bytes, by shard number: how many there are
    /// ([`shard_of`] needs that), and which exist (0: none).
    shards: Vec<usize>,
    /// The numbers of the document blocks.
    blocks: Vec<u64>,
    /// Each year with articles, newest first, with its count.
    years: Vec<(i32, u32)>,
    /// The facets, each with its values.
    facets: Vec<FacetSummary>,
    /// A hash of every other file, for the browser to ask for this
    /// build's files and not a cached older one.
    key: String,
}

/// Fill in and write the root file, once every other file is made.
fn root(
    docs: &[Doc<'_>],
    by_slot: &[(u64, usize)],
    files: &[SearchFile],
    chunks: &[MetaChunk],
    mut root: Root,
) -> SearchFile {
    root.docs = docs.len();
    root.slots = by_slot.last().map_or(0, |(slot, _)| slot + 1);
    root.chunk_bits = CHUNK_BITS;
    root.block_bits = BLOCK_BITS;
    let words: u64 = docs.iter().map(|doc| u64::from(doc.terms.words())).sum();
    // Rounded, so that the file does not change with every last word.
    root.avg_words = if docs.is_empty() { 0.0 } else { (words as f64 / docs.len() as f64).round() };
    let mut years: BTreeMap<i32, u32> = BTreeMap::new();
    for doc in docs {
        *years.entry(doc.date.year()).or_default() += 1;
    }
    root.years = years.into_iter().rev().collect();
    // By the files' bytes: the shards' key numbers words as this process
    // does, and a clean build gives the same root.
    let mut sorted: Vec<&SearchFile> = files.iter().collect();
    sorted.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for file in sorted {
        hasher.update(file.path.as_bytes());
        hasher.update(&file.bytes);
    }
    // The metadata chunks by what they show (their files are made later).
    for chunk in chunks {
        hasher.update(&chunk.number.to_le_bytes());
        hasher.update(&chunk.key.to_le_bytes());
    }
    root.key = format!("{:016x}", hasher.digest());
    script("root", "", &root)
}

/// The path of file `id` of kind `kind` (its folder; its name when `id`
/// is empty).
pub(super) fn file_path(kind: &str, id: &str) -> String {
    if id.is_empty() { format!("{FOLDER}/{kind}.js") } else { format!("{FOLDER}/{kind}/{id}.js") }
}

/// A file of kind `kind` (see [`file_path`]) as the script that hands
/// `data` to the search script.
fn script(kind: &str, id: &str, data: &impl Serialize) -> SearchFile {
    let path = file_path(kind, id);
    let mut bytes = format!("gazetteSearch.add({kind:?},{id:?},").into_bytes();
    // Serializing plain strings, numbers and maps with string keys cannot fail.
    serde_json::to_writer(&mut bytes, data).unwrap_or_default();
    bytes.extend_from_slice(b");\n");
    // Kept until written, with every other file: not twice its size.
    bytes.shrink_to_fit();
    SearchFile { path, bytes }
}

#[cfg(test)]
mod tests {
    use super::super::text::{Document, Language, terms_of};
    use super::*;

    /// A made-up article: what the index is given of it.
    #[derive(Clone)]
    struct Article {
        key: String,
        date: NaiveDate,
        meta: DocMeta<'static>,
        terms: DocTerms,
    }

    /// A made-up article: `words` words from a small vocabulary, picked by `seed`.
    fn article(n: u64, seed: u64, words: usize, extra: &str) -> Article {
        const VOCABULARY: [&str; 24] = [
            "port", "strike", "council", "vote", "mayor", "harbour", "rain", "budget", "court", "ruling", "fire",
            "school", "bridge", "market", "river", "farm", "rail", "bank", "tax", "housing", "election", "storm",
            "police", "hospital",
        ];
        let mut state = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            VOCABULARY[(state % 24) as usize]
        };
        let headline = format!("{} {} {n}", next(), next());
        let body: Vec<&str> = (0..words).map(|_| next()).collect();
        let body = body.join(" ") + &format!(" {extra} story{n}");
        let terms =
            terms_of(&Document { headline: &headline, body: &body, ..Document::default() }, &Language::from_tag("en"));
        let date =
            NaiveDate::from_ymd_opt(2000 + (n % 25) as i32, 1 + (n % 12) as u32, 1 + (n % 28) as u32).expect("a day");
        let author = FacetValue { slug: format!("author-{}", n % 7).into(), label: format!("Author {}", n % 7).into() };
        let meta = DocMeta {
            headline: headline.into(),
            url: format!("../{n}/"),
            date_text: date.to_string(),
            byline: author.label.clone(),
            dateline: "".into(),
            excerpt: body.chars().take(40).collect::<String>().into(),
            facets: vec![(Facet::Author, author)],
        };
        Article { key: format!("{}/{n:04}.md", date.format("%Y/%m")), date, meta, terms }
    }

    fn site(count: u64) -> Vec<Article> {
        (0..count).map(|n| article(n, n, 120, "")).collect()
    }

    fn docs(articles: &[Article]) -> Vec<Doc<'_>> {
        articles
            .iter()
            .map(|a| Doc { key: &a.key, date: a.date, terms: &a.terms, shows: keys::of_hash(&a.meta) })
            .collect()
    }

    fn build(articles: &[Article]) -> Vec<SearchFile> {
        let docs = docs(articles);
        let meta = |i: usize| articles[i].meta.clone();
        Index::build(&docs, |i| articles[i].meta.facets.clone()).all_files(&docs, meta)
    }

    /// The index of `articles` given the previous build's shards (`record`,
    /// read by `read`): its files, and what its shards were made from.
    fn build_knowing(articles: &[Article], known: Option<KnownShards<'_>>) -> (Vec<SearchFile>, ShardsRecord) {
        let docs = docs(articles);
        let meta = |i: usize| articles[i].meta.clone();
        let built = Index::build_knowing(&docs, groups_of(&docs, |i| articles[i].meta.facets.clone()), known);
        let shards = built.shards.clone();
        (built.all_files(&docs, meta), shards)
    }

    #[test]
    fn the_previous_shards_are_taken_only_when_made_from_the_same_slots_and_terms() {
        let mut articles = site(300);
        let (files, record) = build_knowing(&articles, None);
        let shard_files: Vec<&SearchFile> = files.iter().filter(|f| f.path.starts_with("search/index/t/")).collect();
        assert!(!shard_files.is_empty());
        assert_eq!(record.sizes.iter().filter(|&&size| size > 0).count(), shard_files.len());
        // What the previous output holds: each shard marked, at its size.
        let marked = |path: &str| {
            let size = files.iter().find(|f| f.path == path)?.bytes.len();
            Some(format!("/*{path}*/").into_bytes().into_iter().chain(std::iter::repeat(b' ')).take(size).collect())
        };
        let is_marked = |files: &[SearchFile]| {
            files.iter().filter(|f| f.path.starts_with("search/index/t/")).all(|f| f.bytes.starts_with(b"/*"))
        };

        // A new facet, the same words: the shards are those of the output.
        articles[7].meta.facets.push((Facet::Tag, FacetValue { slug: "floods".into(), label: "Floods".into() }));
        let (again, same) = build_knowing(
            &articles,
            Some(KnownShards { record: record.clone(), read: &marked, earlier: Default::default() }),
        );
        assert_eq!(same, record);
        assert!(is_marked(&again), "taken from the output");
        assert_ne!(again, files, "the facet is new");

        // A shard the output lacks, or holds at another size: made again.
        let lacking = |path: &str| if path == shard_files[0].path { None } else { marked(path) };
        assert!(!is_marked(
            &build_knowing(
                &articles,
                Some(KnownShards { record: record.clone(), read: &lacking, earlier: Default::default() })
            )
            .0
        ));
        let short = |path: &str| {
            marked(path).map(|mut bytes: Vec<u8>| {
                bytes.pop();
                bytes
            })
        };
        assert!(!is_marked(
            &build_knowing(
                &articles,
                Some(KnownShards { record: record.clone(), read: &short, earlier: Default::default() })
            )
            .0
        ));

        // One article's words changed: every shard made again, as a
        // build without the previous one makes them.
        articles[7] = article(7, 1_007, 120, "flood");
        let (changed, other) = build_knowing(
            &articles,
            Some(KnownShards { record: record.clone(), read: &marked, earlier: Default::default() }),
        );
        assert_ne!(other.key, record.key);
        assert_eq!(changed, build_knowing(&articles, None).0);
        // One article more: its slot is new.
        articles.push(article(300, 300, 120, ""));
        assert_ne!(build_knowing(&articles, None).1.key, other.key);
    }

    /// Refiled articles whose words change: the shards they are in are
    /// patched from the previous output, and every file is what making
    /// them all gives, edit after edit: words gained and lost, a form
    /// ("councils" for "council") only one article has, gained then lost,
    /// forms whose term lives in another shard ("skies" for "sky"), a word
    /// no other article has; then new articles, published one at a time.
    /// Not when an article left, or when the shards' measure crosses into
    /// another count: then they are all made.
    #[test]
    fn the_shards_of_changed_words_are_patched_to_what_making_them_gives() {
        const FORMS: [&str; 12] = [
            "councils",
            "skies",
            "harbours",
            "dying",
            "bridges",
            "lying",
            "storms",
            "rivers",
            "budgets",
            "elections",
            "hospitals",
            "mayors",
        ];
        let mut articles = site(2_000);
        let (mut files, mut record) = build_knowing(&articles, None);
        assert!(record.sizes.len() >= 4, "{} shards", record.sizes.len());
        let output = |files: &[SearchFile], path: &str| files.iter().find(|f| f.path == path).map(|f| f.bytes.clone());
        for round in 0..24u64 {
            let earlier_articles = articles.clone();
            let at = |round: u64| (round * 37 % 2_000) as usize;
            // This round's article takes a form and a word of its own; the
            // last round's gives its own back; every third round a third
            // article changes its words.
            let extra = format!("{} unique{round}", FORMS[round as usize % FORMS.len()]);
            articles[at(round)] = article(at(round) as u64, 5_000 + round, 100 + (round % 5) as usize * 10, &extra);
            if round > 0 {
                articles[at(round - 1)] = article(at(round - 1) as u64, 9_000 + round, 120, "");
            }
            if round % 3 == 0 {
                articles[at(round + 1_000)] = article(at(round + 1_000) as u64, 7_000 + round, 90, "rain");
            }
            let earlier = |articles: &[Article]| -> FxHashMap<&str, Option<&DocTerms>> {
                earlier_articles
                    .iter()
                    .zip(articles)
                    .filter(|(before, now)| before.terms != now.terms)
                    .map(|(before, _)| (before.key.as_str(), Some(&before.terms)))
                    .collect()
            };
            let read = |path: &str| output(&files, path);
            let known = |record: ShardsRecord| KnownShards { record, read: &read, earlier: earlier(&articles) };
            let docs = docs(&articles);
            let by_slot = by_slot(&docs);
            let key = shards_key(&by_slot, |i| docs[i].terms);
            assert!(super::super::patch::patched(&by_slot, &docs, key, &known(record.clone())).is_some(), "{round}");
            // Told of a measure four times as large, the count would change.
            let larger = ShardsRecord { size: record.size * 4, ..record.clone() };
            assert!(super::super::patch::patched(&by_slot, &docs, key, &known(larger)).is_none(), "{round}");

            let (now, now_record) = build_knowing(&articles, Some(known(record.clone())));
            let (made, made_record) = build_knowing(&articles, None);
            assert_eq!(now_record, made_record, "round {round}");
            assert!(now == made, "round {round}: {:?}", changed(&now, &made));
            (files, record) = (now, now_record);
        }
        // New articles, each published on its own: patched when no other
        // article's slot moved for it, and what making them gives always.
        let mut added = 0;
        for n in 0..8u64 {
            let new = article(3_000 + n, 11_000 + n, 110, &format!("{} fresh{n}", FORMS[n as usize]));
            let key_of_new = new.key.clone();
            articles.push(new);
            let read = |path: &str| output(&files, path);
            let earlier = [(key_of_new.as_str(), None)].into_iter().collect();
            let docs = docs(&articles);
            let by_slot = by_slot(&docs);
            let key = shards_key(&by_slot, |i| docs[i].terms);
            let known = KnownShards { record: record.clone(), read: &read, earlier };
            if super::super::patch::patched(&by_slot, &docs, key, &known).is_some() {
                added += 1;
            }
            let (now, now_record) = build_knowing(&articles, Some(known));
            let (made, made_record) = build_knowing(&articles, None);
            assert_eq!(now_record, made_record, "new article {n}");
            assert!(now == made, "new article {n}: {:?}", changed(&now, &made));
            (files, record) = (now, now_record);
        }
        assert!(added >= 4, "{added} of 8 new articles patched in");
        // An article gone: the others' slots may have moved.
        let gone = articles.remove(5);
        let read = |path: &str| output(&files, path);
        let earlier = [(gone.key.as_str(), Some(&gone.terms))].into_iter().collect();
        let docs = docs(&articles);
        let by_slot = by_slot(&docs);
        let key = shards_key(&by_slot, |i| docs[i].terms);
        let known = KnownShards { record, read: &read, earlier };
        assert!(super::super::patch::patched(&by_slot, &docs, key, &known).is_none());
    }

    /// The paths whose bytes differ between two builds (or exist in one only).
    fn changed(a: &[SearchFile], b: &[SearchFile]) -> Vec<String> {
        let a: BTreeMap<&str, &[u8]> = a.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
        let b: BTreeMap<&str, &[u8]> = b.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
        let mut paths: Vec<String> =
            a.keys().chain(b.keys()).filter(|p| a.get(*p) != b.get(*p)).map(|p| (*p).to_string()).collect();
        paths.dedup();
        paths
    }

    #[test]
    fn the_files_depend_on_the_articles_not_their_order() {
        let mut docs = site(300);
        let before = build(&docs);
        docs.reverse();
        assert!(changed(&before, &build(&docs)).is_empty());
        let kinds: FxHashSet<&str> = before.iter().filter_map(|f| f.path.split('/').nth(2)).collect();
        assert_eq!(kinds, ["t", "m", "d", "f", "root.js"].into_iter().collect());
    }

    #[test]
    fn an_edit_rewrites_only_the_shards_of_its_terms() {
        let docs = site(2000);
        let before = build(&docs);
        let shards = before.iter().filter(|f| f.path.contains("/t/")).count().next_power_of_two() as u32;
        let chunks = before.iter().filter(|f| f.path.contains("/m/")).count();
        assert!(shards >= 4 && chunks >= 20, "{shards} shards, {chunks} chunks");

        // Article 1234's last word becomes one no other article has: the
        // same length, the same excerpt.
        let mut edited = docs.clone();
        edited[1234] = article(1234, 1234, 119, "zeppelin");
        assert_eq!(edited[1234].terms.words(), docs[1234].terms.words());
        let after = build(&edited);
        let changed = changed(&before, &after);

        let shard_file = |t: &str| format!("{FOLDER}/t/{}.js", shard_of(t, shards));
        let mut its_shards: FxHashSet<String> = FxHashSet::default();
        for doc in [&docs[1234].terms, &edited[1234].terms] {
            doc.each_term(|t, _| {
                its_shards.insert(shard_file(t));
            });
        }
        assert!(changed.contains(&shard_file("zeppelin")), "{changed:?}");
        for path in &changed {
            assert!(
                its_shards.contains(path) || path.ends_with("/root.js"),
                "{path} changed: not a shard of the article's terms"
            );
        }
        assert!(changed.len() <= its_shards.len() + 1);
    }

    #[test]
    fn an_added_article_leaves_the_others_in_their_slots() {
        let docs = site(1000);
        let keys = |docs: &[Article]| -> Vec<String> { docs.iter().map(|a| a.key.clone()).collect() };
        let before = assign_slots(keys(&docs).iter().map(String::as_str));
        let mut more = keys(&docs);
        more.push("2026/01/new.md".into());
        let after = assign_slots(more.iter().map(String::as_str));
        let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        assert!(moved <= 3, "{moved} articles moved");
        let distinct: FxHashSet<u64> = after.iter().copied().collect();
        assert_eq!(distinct.len(), after.len(), "one article a slot");
        assert!(after.iter().all(|&s| s < 4096 + 8), "slots stay near the space (2048 × 2)");
    }

    #[test]
    fn hostile_text_stays_inside_its_strings() {
        let mut hostile = article(1, 1, 10, "");
        let meta = &mut hostile.meta;
        meta.headline = "\");alert(1);//</script><script>alert(2)</script>\u{2028}".into();
        meta.facets = vec![(Facet::Tag, FacetValue { slug: "__proto__".into(), label: "\"});alert(3)//".into() })];
        let headline = meta.headline.to_string();
        for file in build(std::slice::from_ref(&hostile)) {
            let text = String::from_utf8(file.bytes).expect("UTF-8");
            let args = text.strip_prefix("gazetteSearch.add(").and_then(|t| t.strip_suffix(");\n")).expect("one call");
            // The arguments are JSON values: kind, id, data.
            let parsed: serde_json::Value = serde_json::from_str(&format!("[{args}]")).expect("JSON arguments");
            assert_eq!(parsed.as_array().map(Vec::len), Some(3), "{}", file.path);
            if file.path.contains("/m/") {
                assert_eq!(parsed[2][0][1], headline.as_str());
            }
        }
    }
}
