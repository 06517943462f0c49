//! The previous build's term shards, patched for the articles an edit
//! changed, instead of every posting list made again from every article.
//!
//! Part of making the index ([`super::Index::build_knowing`]). Input: the
//! articles as they are, the terms those read again had before, and the
//! previous build's shards (its record, and its files as the output holds
//! them). Output: the shards, byte for byte what making them all would
//! give; or nothing, when patching cannot tell (then they are all made).
//!
//! It holds when every other article has the slot and terms it had: the
//! previous build's key, taken over the changed articles' earlier terms
//! (and without the new ones), says so. A new article is one whose
//! earlier terms are none. A term the edit changes lives in one shard (by its text, see
//! [`shard_of`]); that shard's file is read back, its postings for the
//! changed articles' slots replaced, and written again. A form a changed
//! article no longer has leaves its shard only if no other article has it
//! (the one pass over every article this can need). When the shards'
//! measure crosses into another count, every term moves: they are made.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use super::code::{Postings, read_postings, shard_of};
use super::index::{
    Doc, KnownShards, SearchFile, TakenShards, file_path, form_measure, shard_count, shard_file, shards_as_written,
    shards_key, term_measure,
};
use super::text::DocTerms;
use super::vocabulary::Vocabulary;
use crate::keys::Key;

/// What the edit changes in one shard.
#[derive(Default)]
struct ShardEdit<'v> {
    /// By term, each changed article's slot and new weight (0: it no
    /// longer has the term).
    postings: BTreeMap<&'v str, Vec<(u64, u16)>>,
    /// Forms (with their terms) a changed article now has.
    added: BTreeSet<(&'v str, &'v str)>,
    /// Forms a changed article no longer has (others may still), with
    /// their terms, by number.
    gone: BTreeSet<(u32, u32)>,
}

/// A shard file as read back.
#[derive(Deserialize)]
struct ShardIn {
    terms: Vec<String>,
    post: Vec<String>,
    forms: Vec<FormIn>,
}

/// A form, or what it stands for: a term's text, or its place in the shard.
#[derive(Deserialize)]
#[serde(untagged)]
enum FormIn {
    Text(String),
    Here(usize),
}

/// A shard as it stands: each term's posting list, each form with its term.
#[derive(Default)]
struct Shard {
    postings: BTreeMap<String, String>,
    forms: BTreeSet<(String, String)>,
}

/// The term shards with those of the changed articles patched, their
/// sizes and measure (see [`super::ShardsRecord`]); `None` when the
/// previous ones cannot be patched into them.
pub(super) fn patched(
    by_slot: &[(u64, usize)],
    docs: &[Doc<'_>],
    key: Key,
    known: &KnownShards<'_>,
) -> Option<TakenShards> {
    let KnownShards { record, read, .. } = known;
    if known.earlier.is_empty() || record.sizes.is_empty() || key == record.key {
        return None;
    }
    let changed = changed_since(by_slot, docs, known)?;
    let vocabulary = Vocabulary::read();
    let count = u32::try_from(record.sizes.len()).ok()?;
    let mut edits = edits(&changed, &vocabulary, count);
    keep_forms_still_seen(&mut edits, docs);

    let mut sizes = record.sizes.clone();
    let mut measure = record.size;
    let mut files = Vec::new();
    for (&number, edit) in &edits {
        let path = file_path("t", &number.to_string());
        let before = match sizes.get(number as usize)? {
            0 => Shard::default(),
            &size => read_shard(&read(&path).filter(|bytes| bytes.len() == size)?, number)?,
        };
        measure = measure.checked_sub(before.measure())?;
        let after = before.edited(edit, &vocabulary)?;
        measure += after.measure();
        let file = after.file(number);
        sizes[number as usize] = file.as_ref().map_or(0, |f| f.bytes.len());
        files.extend(file);
    }
    if shard_count(measure) != count {
        return None;
    }
    // The shards no edit touched, as the output holds them.
    files.extend(shards_as_written(&sizes, *read, |number| !edits.contains_key(&number))?);
    Some((files, (sizes, measure)))
}

/// No terms: what a new article had before.
static NO_TERMS: LazyLock<DocTerms> = LazyLock::new(DocTerms::default);

/// Each article whose terms differ from the previous build's, with its
/// slot, earlier terms and terms now; `None` unless every other article
/// has the slot and terms it had (the previous build's key, taken over
/// the earlier terms and without the new articles, says so).
fn changed_since<'d>(
    by_slot: &[(u64, usize)],
    docs: &[Doc<'d>],
    known: &KnownShards<'d>,
) -> Option<Vec<(u64, &'d DocTerms, &'d DocTerms)>> {
    // Every article as the previous build had it (none: a new one).
    let before = |i: usize| known.earlier.get(docs[i].key).copied().unwrap_or(Some(docs[i].terms));
    let before_slots: Vec<(u64, usize)> = by_slot.iter().filter(|&&(_, i)| before(i).is_some()).copied().collect();
    if shards_key(&before_slots, |i| before(i).unwrap_or(docs[i].terms)) != known.record.key {
        return None;
    }
    let changed = by_slot.iter().map(|&(slot, i)| (slot, before(i).unwrap_or(&NO_TERMS), docs[i].terms));
    Some(changed.filter(|(_, old, new)| old != new).collect())
}

/// What the changed articles change, by shard.
fn edits<'v>(
    changed: &[(u64, &DocTerms, &DocTerms)],
    vocabulary: &'v Vocabulary,
    count: u32,
) -> BTreeMap<u32, ShardEdit<'v>> {
    let mut edits: BTreeMap<u32, ShardEdit<'v>> = BTreeMap::new();
    for &(slot, old, new) in changed {
        let (old_terms, new_terms) = (weights(old), weights(new));
        let numbers: BTreeSet<u32> = old_terms.keys().chain(new_terms.keys()).copied().collect();
        for number in numbers {
            let weight = new_terms.get(&number).copied().unwrap_or(0);
            if old_terms.get(&number).copied().unwrap_or(0) != weight {
                let term = vocabulary.text(number);
                let edit = edits.entry(shard_of(term, count)).or_default();
                edit.postings.entry(term).or_default().push((slot, weight));
            }
        }
        let (old_forms, new_forms) = (form_pairs(old), form_pairs(new));
        for &(form, term) in new_forms.difference(&old_forms) {
            let (form, term) = (vocabulary.text(form), vocabulary.text(term));
            edits.entry(shard_of(form, count)).or_default().added.insert((form, term));
        }
        for &pair in old_forms.difference(&new_forms) {
            edits.entry(shard_of(vocabulary.text(pair.0), count)).or_default().gone.insert(pair);
        }
    }
    edits
}

/// An article's terms by number, with their weights (at least 1, as a
/// posting list writes them: 0 here means "not there").
fn weights(terms: &DocTerms) -> FxHashMap<u32, u16> {
    let mut weights = FxHashMap::default();
    terms.each_number(|number, weight| {
        weights.insert(number, weight.max(1));
    });
    weights
}

/// An article's forms with their terms, by number.
fn form_pairs(terms: &DocTerms) -> FxHashSet<(u32, u32)> {
    let mut pairs = FxHashSet::default();
    terms.each_form_number(|form, term| {
        pairs.insert((form, term));
    });
    pairs
}

/// Take out of `gone` the forms some article still has (the changed ones
/// as they are now included): they stay in their shard.
fn keep_forms_still_seen(edits: &mut BTreeMap<u32, ShardEdit<'_>>, docs: &[Doc<'_>]) {
    let gone: FxHashSet<(u32, u32)> = edits.values().flat_map(|e| e.gone.iter().copied()).collect();
    if gone.is_empty() {
        return;
    }
    // On this thread: the caller holds the vocabulary, and a pool thread
    // waiting to add words to it would hold up a parallel pass for good.
    let mut seen: FxHashSet<(u32, u32)> = FxHashSet::default();
    for doc in docs {
        doc.terms.each_form_number(|form, term| {
            if gone.contains(&(form, term)) {
                seen.insert((form, term));
            }
        });
    }
    for edit in edits.values_mut() {
        edit.gone.retain(|pair| !seen.contains(pair));
    }
}

/// Shard `number` from its file's bytes.
fn read_shard(bytes: &[u8], number: u32) -> Option<Shard> {
    let start = format!("gazetteSearch.add(\"t\",\"{number}\",");
    let json = bytes.strip_prefix(start.as_bytes())?.strip_suffix(b");\n")?;
    let ShardIn { terms, post, forms } = serde_json::from_slice(json).ok()?;
    if terms.len() != post.len() || forms.len() % 2 != 0 {
        return None;
    }
    let text = |form: &FormIn| match form {
        FormIn::Text(text) => Some(text.clone()),
        FormIn::Here(place) => terms.get(*place).cloned(),
    };
    let forms = forms.chunks(2).map(|pair| Some((text(&pair[0])?, text(&pair[1])?))).collect::<Option<_>>()?;
    Some(Shard { postings: terms.iter().cloned().zip(post).collect(), forms })
}

impl Shard {
    /// What it counts for in the shards' measure.
    fn measure(&self) -> usize {
        self.postings.iter().map(|(t, p)| term_measure(t, p)).sum::<usize>()
            + self.forms.iter().map(|(f, t)| form_measure(f, t)).sum::<usize>()
    }

    /// The shard with an edit made: each changed article's posting of
    /// each term replaced (a term no article has any more leaves), the
    /// forms added and gone.
    fn edited(mut self, edit: &ShardEdit<'_>, vocabulary: &Vocabulary) -> Option<Shard> {
        for (&term, changes) in &edit.postings {
            let mut list = self.postings.get(term).map_or(Some(Vec::new()), |text| read_postings(text))?;
            for &(slot, weight) in changes {
                list.retain(|&(s, _)| s != slot);
                if weight > 0 {
                    let at = list.partition_point(|&(s, _)| s < slot);
                    list.insert(at, (slot, weight));
                }
            }
            if list.is_empty() {
                self.postings.remove(term);
            } else {
                let mut postings = Postings::default();
                for (slot, weight) in list {
                    postings.push(slot, weight);
                }
                self.postings.insert(term.to_string(), postings.text);
            }
        }
        for (form, term) in &edit.added {
            self.forms.insert((form.to_string(), term.to_string()));
        }
        for &(form, term) in &edit.gone {
            self.forms.remove(&(vocabulary.text(form).to_string(), vocabulary.text(term).to_string()));
        }
        Some(self)
    }

    /// Its file, as making every shard writes it; none when it is empty.
    fn file(&self, number: u32) -> Option<SearchFile> {
        if self.postings.is_empty() && self.forms.is_empty() {
            return None;
        }
        // Its terms first (their places), then those its forms stand for
        // that live in other shards.
        let mut terms: Vec<(&str, Postings)> =
            self.postings.iter().map(|(term, text)| (term.as_str(), Postings::written(text.clone()))).collect();
        let mut here: Vec<usize> = (0..terms.len()).collect();
        let mut place: FxHashMap<&str, usize> = terms.iter().enumerate().map(|(i, (t, _))| (*t, i)).collect();
        let mut seen = Vec::with_capacity(self.forms.len());
        for (form, term) in &self.forms {
            let at = *place.entry(term.as_str()).or_insert_with(|| {
                terms.push((term.as_str(), Postings::default()));
                terms.len() - 1
            });
            seen.push((form.as_str(), at));
        }
        Some(shard_file(number, &mut here, &mut seen, &terms))
    }
}
