//! Search, per article: an article's text → its terms ([`DocTerms`]).
//!
//! Pure and per article, so the build can cache the result by the
//! article's content hash and tokenize only what changed. The rules here
//! (segmentation, folding, CJK bigrams, the longest word) are the ones the
//! browser applies to a query in `assets/search.js`; a change to one is a
//! change to both. Stemming is done here only: the index maps every form
//! seen to its stem, so the browser never stems.

use std::borrow::Cow;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

use super::vocabulary::Vocabulary;

/// The version of the rules that make an article's terms. The terms are
/// kept between builds, by the article's source and these rules: a change
/// to the terms any article gets (segmenting, folding, stemming, weights)
/// must raise it, or the next build would mix old terms with new.
/// 2: numbers are not stemmed.
pub const RULES: u32 = 2;

/// Words longer than this (in characters) are not indexed: URLs, hashes,
/// runs of letters without spaces. The browser skips them in a query too.
pub const MAX_WORD_CHARS: usize = 40;

/// How much a word counts outside the headline, relative to the body.
const STANDFIRST: u16 = 3;
const BYLINE: u16 = 2;
const DATELINE: u16 = 2;
const BODY: u16 = 1;

/// A term's weight in an article is `HEADLINE × (times in the headline, up
/// to 3) + (weighted count elsewhere, up to HEADLINE − 1)`: the browser
/// ranks first the results whose headline holds more of the query's words,
/// then by BM25 over the weighted counts.
pub const HEADLINE: u16 = 64;

/// A part of an article: the headline, or another with its weight.
#[derive(Clone, Copy)]
enum Part {
    Headline,
    Other(u16),
}

/// The site's language, as far as search cares: which stemmer, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    stemmer: Option<Algorithm>,
}

impl Language {
    /// The language of a BCP 47 tag (`en`, `en-GB`, `pt-BR`, `zh-Hant`):
    /// its Snowball stemmer, or none when there is none for it (Chinese,
    /// Japanese, Korean, Polish…), where words match as written.
    pub fn from_tag(tag: &str) -> Language {
        let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        let stemmer = match primary.as_str() {
            "ar" => Some(Algorithm::Arabic),
            "da" => Some(Algorithm::Danish),
            "de" => Some(Algorithm::German),
            "el" => Some(Algorithm::Greek),
            "en" => Some(Algorithm::English),
            "es" => Some(Algorithm::Spanish),
            "fi" => Some(Algorithm::Finnish),
            "fr" => Some(Algorithm::French),
            "hu" => Some(Algorithm::Hungarian),
            "it" => Some(Algorithm::Italian),
            "nl" => Some(Algorithm::Dutch),
            "no" | "nb" | "nn" => Some(Algorithm::Norwegian),
            "pt" => Some(Algorithm::Portuguese),
            "ro" => Some(Algorithm::Romanian),
            "ru" => Some(Algorithm::Russian),
            "sv" => Some(Algorithm::Swedish),
            "ta" => Some(Algorithm::Tamil),
            "tr" => Some(Algorithm::Turkish),
            _ => None,
        };
        Language { stemmer }
    }

    /// Does this language stem words?
    pub fn stems(&self) -> bool {
        self.stemmer.is_some()
    }
}

/// What search reads of an article, borrowed from it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Document<'a> {
    /// The headline.
    pub headline: &'a str,
    /// The standfirst, when the writer gave one (not one taken from the body).
    pub standfirst: &'a str,
    /// The bylined names, in byline order.
    pub byline: &'a [&'a str],
    /// The dateline place, or `""`.
    pub dateline: &'a str,
    /// The body, as Markdown: its text is indexed, not its markup or URLs.
    pub body: &'a str,
}

/// One article's terms: everything the index needs from its text, as
/// numbers in the process's [`Vocabulary`]. Small (two or three bytes a
/// distinct word), for every article's terms stay in memory for the build:
/// one run of bytes, one allocation.
///
/// The bytes: the article's word count, its count of terms, of forms,
/// and the length of its terms' part (LEB128 numbers); then the terms, by
/// increasing number: the gap from the number before (the first from 0)
/// and its weight (see [`HEADLINE`]) in one LEB128 number, `gap × 4 +
/// weight − 1` for weights 1–3, else `gap × 4 + 3` then the weight (a
/// byte); then the forms
/// (folded words that differ from their terms), by term then form: the
/// gap from the previous form's term (LEB128) and how far the form's
/// number is from its term's (signed, zigzag, LEB128).
///
/// The build state keeps them as they are, with the vocabulary's texts
/// (see [`Serialize`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocTerms {
    bytes: Box<[u8]>,
    /// A hash of the bytes, taken as they are made or read (while they
    /// are in the cache): what the search index's shards are made from is
    /// checked by these, not by every article's bytes again.
    hash: u64,
}

/// What the first bytes of a [`DocTerms`] say.
struct Header {
    words: u32,
    terms: usize,
    forms: usize,
    /// Where the terms start, and the forms.
    terms_at: usize,
    forms_at: usize,
}

impl Default for DocTerms {
    /// No terms (with the hash of no bytes, as any other).
    fn default() -> Self {
        DocTerms::of_bytes(Box::default())
    }
}

impl DocTerms {
    /// Terms of these bytes.
    fn of_bytes(bytes: Box<[u8]>) -> DocTerms {
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        DocTerms { bytes, hash }
    }

    /// The bytes, as they are.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// A hash of the bytes (for a hash of what is made from them).
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// How many words the article has.
    pub fn words(&self) -> u32 {
        self.header().words
    }

    /// How many distinct terms it has.
    pub fn len(&self) -> usize {
        self.header().terms
    }

    /// Does it have no terms?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn header(&self) -> Header {
        let mut at = 0;
        let words = read_number(&self.bytes, &mut at);
        let terms = read_number(&self.bytes, &mut at);
        let forms = read_number(&self.bytes, &mut at);
        let length = read_number(&self.bytes, &mut at);
        Header {
            words: u32::try_from(words).unwrap_or(u32::MAX),
            terms: usize::try_from(terms).unwrap_or(0),
            forms: usize::try_from(forms).unwrap_or(0),
            terms_at: at,
            forms_at: at.saturating_add(usize::try_from(length).unwrap_or(usize::MAX)),
        }
    }

    /// Call `f` with each term's number, in increasing order, and its weight.
    pub(super) fn each_number(&self, mut f: impl FnMut(u32, u16)) {
        let header = self.header();
        let (mut at, mut number) = (header.terms_at, 0u64);
        for _ in 0..header.terms {
            let gap = read_number(&self.bytes, &mut at);
            number += gap / 4;
            let weight = match gap % 4 {
                3 => {
                    let Some(&weight) = self.bytes.get(at) else { return };
                    at += 1;
                    weight
                }
                small => small as u8 + 1,
            };
            f(u32::try_from(number).unwrap_or(u32::MAX), u16::from(weight));
        }
    }

    /// Call `f` with each form's number and its term's.
    pub(super) fn each_form_number(&self, mut f: impl FnMut(u32, u32)) {
        let header = self.header();
        let (mut at, mut term) = (header.forms_at, 0u64);
        for _ in 0..header.forms {
            term += read_number(&self.bytes, &mut at);
            let zigzag = read_number(&self.bytes, &mut at);
            let offset = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
            let form = term.wrapping_add(offset as u64);
            f(u32::try_from(form).unwrap_or(u32::MAX), u32::try_from(term).unwrap_or(u32::MAX));
        }
    }

    /// Call `f` with each term, in order, and its weight.
    pub fn each_term(&self, mut f: impl FnMut(&str, u16)) {
        let mut terms = Vec::with_capacity(self.len());
        {
            let vocabulary = Vocabulary::read();
            self.each_number(|n, weight| terms.push((vocabulary.text(n).to_string(), weight)));
        }
        terms.sort_unstable();
        for (term, weight) in &terms {
            f(term, *weight);
        }
    }

    /// Call `f` with each form and its term, in the order of their terms.
    pub fn each_form(&self, mut f: impl FnMut(&str, &str)) {
        let mut forms = Vec::new();
        {
            let vocabulary = Vocabulary::read();
            self.each_form_number(|form, term| {
                forms.push((vocabulary.text(term).to_string(), vocabulary.text(form).to_string()));
            });
        }
        forms.sort_unstable();
        for (term, form) in &forms {
            f(form, term);
        }
    }

    /// The terms (by increasing number, with their weights) and forms
    /// (`term << 32 | form`, sorted, each once) of an article.
    fn encode(terms: impl ExactSizeIterator<Item = (u32, u8)>, forms: &[u64], words: u32) -> DocTerms {
        let count = terms.len();
        let mut body = Vec::with_capacity(3 * count + 4 * forms.len());
        let mut last = 0;
        for (number, weight) in terms {
            // Weights 1–3 (most) share the gap's number; others follow it.
            let gap = u64::from(number - last) * 4;
            if (1..=3).contains(&weight) {
                push_leb128(&mut body, gap + u64::from(weight) - 1);
            } else {
                push_leb128(&mut body, gap + 3);
                body.push(weight);
            }
            last = number;
        }
        let length = body.len();
        let mut last = 0;
        for &pair in forms {
            let (term, form) = (pair >> 32, pair & u64::from(u32::MAX));
            push_leb128(&mut body, term - last);
            // A form is often numbered next to its term (both new at once).
            let offset = form.wrapping_sub(term) as i64;
            push_leb128(&mut body, ((offset << 1) ^ (offset >> 63)) as u64);
            last = term;
        }
        // Sized to fit: every article's terms stay in memory for the build.
        let mut bytes = Vec::with_capacity(body.len() + 16);
        for n in [u64::from(words), count as u64, forms.len() as u64, length as u64] {
            push_leb128(&mut bytes, n);
        }
        bytes.extend_from_slice(&body);
        DocTerms::of_bytes(bytes.into_boxed_slice())
    }

    /// The same terms, renumbered by `map` (a number of the vocabulary
    /// they were made in → this process's number for the same text);
    /// `None` when `map` lacks one of their numbers.
    pub fn renumbered(&self, map: &[u32]) -> Option<DocTerms> {
        let (mut terms, mut forms, mut whole) = (Vec::with_capacity(self.len()), Vec::new(), true);
        self.each_number(|n, weight| match map.get(n as usize) {
            Some(&n) => terms.push((n, u8::try_from(weight).unwrap_or(u8::MAX))),
            None => whole = false,
        });
        self.each_form_number(|form, term| match (map.get(form as usize), map.get(term as usize)) {
            (Some(&form), Some(&term)) => forms.push(u64::from(term) << 32 | u64::from(form)),
            _ => whole = false,
        });
        terms.sort_unstable();
        forms.sort_unstable();
        whole.then(|| DocTerms::encode(terms.into_iter(), &forms, self.words()))
    }

    /// Terms from bytes that may not be whole (the build state's): `None`
    /// unless their counts fit in them, so that reading them is bounded
    /// by their length.
    fn from_bytes(bytes: &[u8]) -> Option<DocTerms> {
        let terms = DocTerms::of_bytes(bytes.into());
        let header = terms.header();
        let fits = header.terms <= header.forms_at.saturating_sub(header.terms_at)
            && header.forms_at <= bytes.len()
            && header.forms <= bytes.len() - header.forms_at;
        fits.then_some(terms)
    }
}

/// Append `n` in LEB128: seven bits a byte, low first, the high bit set
/// on every byte but the last.
fn push_leb128(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The LEB128 number at `at` (0 past the end).
fn read_number(bytes: &[u8], at: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        n |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    n
}

/// Kept in the build state as they are: numbers of this process's
/// [`Vocabulary`], which the state keeps beside them (see
/// [`super::vocabulary::stored`]).
impl Serialize for DocTerms {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.bytes)
    }
}

impl<'de> Deserialize<'de> for DocTerms {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<DocTerms, D::Error> {
        struct Bytes;
        impl<'de> serde::de::Visitor<'de> for Bytes {
            type Value = DocTerms;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an article's terms, as bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<DocTerms, E> {
                DocTerms::from_bytes(v).ok_or_else(|| E::custom("an article's terms, cut short"))
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

/// The terms of an article: every word of its headline, standfirst,
/// byline, dateline and body, segmented (Unicode word boundaries), folded
/// (case, diacritics of Latin and Greek letters), stemmed in the site's
/// language; Chinese, Japanese and Korean text as pairs of characters.
pub fn terms_of(doc: &Document<'_>, lang: &Language) -> DocTerms {
    let body = body_text(doc.body);
    STEMS.with_borrow_mut(|stems| {
        // About one distinct word in twenty bytes of text: room for them all.
        let mut counter = Counter::new(stems, lang, body.len() / 20);
        counter.field(doc.headline, Part::Headline);
        counter.field(doc.standfirst, Part::Other(STANDFIRST));
        for name in doc.byline {
            counter.field(name, Part::Other(BYLINE));
        }
        counter.field(doc.dateline, Part::Other(DATELINE));
        counter.field(&body, Part::Other(BODY));
        counter.finish()
    })
}

/// The text of a Markdown body: its words without markup, link targets or
/// raw HTML, blocks separated by line breaks. Prose without markup (most
/// wire copy) is its own text, words for words: it is not parsed.
fn body_text(markdown: &str) -> Cow<'_, str> {
    if is_plain(markdown.as_bytes()) { Cow::Borrowed(markdown) } else { Cow::Owned(parsed_text(markdown)) }
}

/// Does this Markdown have the words of its text, in the same order, and
/// no others? True when nothing in it is markup: no emphasis, code, link,
/// HTML, escape or character reference anywhere, and no line that starts a
/// heading, list, quote, fence or rule. Line breaks and indents differ
/// between the two, but only as the spaces between words.
fn is_plain(bytes: &[u8]) -> bool {
    use memchr::{memchr_iter, memchr2_iter, memchr3};
    // Each a vectorized scan of a few kilobytes in the cache: far cheaper
    // than parsing.
    let markup = memchr3(b'\\', b'*', b'_', bytes).is_some()
        || memchr3(b'`', b'[', b'<', bytes).is_some()
        || memchr_iter(b'&', bytes).any(|at| is_reference(&bytes[at + 1..]))
        || starts_block(bytes);
    !markup
        && memchr2_iter(b'\n', b'\r', bytes).all(|at| match bytes[at] {
            // A line ended by a carriage return alone: parsers differ.
            b'\r' => bytes.get(at + 1) == Some(&b'\n'),
            _ => !starts_block(&bytes[at + 1..]),
        })
}

/// Does a line (these bytes on) start a block other than a paragraph: a
/// heading, list item, quote, code fence, rule or heading underline?
fn starts_block(line: &[u8]) -> bool {
    let indent = line.iter().take(3).take_while(|&&b| b == b' ').count();
    let line = &line[indent..];
    match line.first() {
        Some(b'#' | b'-' | b'+' | b'=' | b'>' | b'~') => true,
        Some(b'0'..=b'9') => {
            let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
            matches!(line.get(digits), Some(b'.' | b')'))
        }
        _ => false,
    }
}

/// Do the bytes after an `&` make it a character reference (`&amp;`,
/// `&#8217;`, `&#x2019;`)?
fn is_reference(after: &[u8]) -> bool {
    let name = after.strip_prefix(b"#").unwrap_or(after);
    let len = name.iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    len > 0 && name.get(len) == Some(&b';')
}

/// The text of Markdown, parsed.
fn parsed_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::CodeBlock) => {
                text.push('\n');
            }
            Event::Start(Tag::TableCell) | Event::End(TagEnd::TableCell) => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Counts the terms of one article, field by field, by their numbers.
struct Counter<'s> {
    stems: &'s mut Stems,
    stemmer: Option<Stemmer>,
    /// Each term's number, times in the headline and weighted count elsewhere.
    terms: Vec<(u32, u32, u32)>,
    /// `term << 32 | form` for each word whose folded form differs from
    /// its term (at least once a word).
    forms: Vec<u64>,
    words: u32,
}

impl<'s> Counter<'s> {
    /// A counter for an article of about `distinct` distinct words.
    fn new(stems: &'s mut Stems, lang: &Language, distinct: usize) -> Counter<'s> {
        stems.start(*lang);
        let terms = distinct.min(1 << 16);
        Counter {
            stems,
            stemmer: lang.stemmer.map(Stemmer::create),
            terms: Vec::with_capacity(terms),
            forms: Vec::with_capacity(terms),
            words: 0,
        }
    }

    fn field(&mut self, text: &str, part: Part) {
        each_token(text, |token| {
            self.words += 1;
            let Met { stemmed: Stemmed { term, form }, first, recent } = match token {
                Token::Word(word) => self.stems.get(word, self.stemmer.as_ref()),
                Token::Cjk(chars) => self.stems.cjk(&chars),
            };
            if first && form != NO_FORM {
                self.forms.push(u64::from(term) << 32 | u64::from(form));
            }
            let at = match recent {
                // Met before in this article: its place is noted with it.
                Some(slot) if !first => self.stems.recent[slot].place as usize,
                _ => {
                    let at = self.stems.place(term, self.terms.len());
                    if let Some(slot) = recent {
                        self.stems.recent[slot].place = u32::try_from(at).unwrap_or(u32::MAX);
                    }
                    at
                }
            };
            if at == self.terms.len() {
                self.terms.push((term, 0, 0));
            }
            let counts = &mut self.terms[at];
            match part {
                Part::Headline => counts.1 += 1,
                Part::Other(weight) => counts.2 += u32::from(weight),
            }
        });
    }

    fn finish(self) -> DocTerms {
        let Counter { terms, mut forms, words, stems, .. } = self;
        // As one number each (term, then weight; term, then form): sorted
        // as numbers.
        let mut weighed: Vec<u64> = terms
            .iter()
            .map(|&(term, headline, other)| {
                let weight = HEADLINE * headline.min(3) as u16 + other.min(u32::from(HEADLINE - 1)) as u16;
                u64::from(term) << 8 | u64::from(u8::try_from(weight).unwrap_or(u8::MAX))
            })
            .collect();
        // Terms are distinct: sorted by term, they are sorted.
        radix_sort(&mut weighed, &mut stems.scratch, 8);
        radix_sort(&mut forms, &mut stems.scratch, 0);
        forms.dedup();
        DocTerms::encode(weighed.iter().map(|&n| ((n >> 8) as u32, n as u8)), &forms, words)
    }
}

/// Sort `numbers` by their bits from `shift` up (stable): a radix sort, a
/// byte at a time, about three times as fast as sorting by comparison the
/// few hundred term numbers of an article. `scratch` is room to use.
fn radix_sort(numbers: &mut Vec<u64>, scratch: &mut Vec<u64>, shift: u32) {
    if numbers.len() < 32 {
        numbers.sort_by_key(|n| n >> shift);
        return;
    }
    // The bytes in which some numbers differ: the others sort nothing.
    let (any, all) = numbers.iter().fold((0, u64::MAX), |(any, all), &n| (any | n, all & n));
    let differ = (any ^ all) >> shift << shift;
    scratch.clear();
    scratch.resize(numbers.len(), 0);
    let mut digit = shift;
    while let Some(rest) = differ.checked_shr(digit).filter(|&rest| rest != 0) {
        if rest & 0xff != 0 {
            let mut starts = [0u32; 256];
            for n in numbers.iter() {
                starts[(n >> digit & 0xff) as usize] += 1;
            }
            let mut sum = 0;
            for start in starts.iter_mut() {
                (*start, sum) = (sum, sum + *start);
            }
            for &n in numbers.iter() {
                let start = &mut starts[(n >> digit & 0xff) as usize];
                scratch[*start as usize] = n;
                *start += 1;
            }
            std::mem::swap(numbers, scratch);
        }
        digit += 8;
    }
}

thread_local! {
    /// Words already folded and stemmed on this thread, for the next
    /// articles (a news archive's words repeat from story to story).
    static STEMS: std::cell::RefCell<Stems> = std::cell::RefCell::default();
}

/// Free the words this thread remembers from the articles it tokenized
/// (megabytes), once they are all done.
pub fn forget_words() {
    STEMS.take();
}

/// Word as written → its term and folded form (by number in the
/// [`Vocabulary`]), in one language: a word is folded and stemmed once
/// however many articles have it. Emptied, between articles, when full or
/// the language changes.
#[derive(Default)]
struct Stems {
    language: Option<Language>,
    /// The words met most recently, by a hash of their [`short_key`]: one
    /// look-up in a small table finds most words (a news story's common
    /// words), without going through the large one.
    recent: Vec<Recent>,
    /// Words of up to [`SHORT`] bytes (most), by [`short_key`].
    short: FxHashMap<[u64; 2], Stemmed>,
    /// Longer words.
    long: FxHashMap<Box<str>, Stemmed>,
    /// The article being counted (a number that changes from one to the next).
    article: u32,
    /// By term number: the article that last had it, and its place in
    /// that article's terms.
    places: Vec<(u32, u32)>,
    /// Room for [`radix_sort`].
    scratch: Vec<u64>,
}

/// A word's term, and its folded form ([`NO_FORM`] when that is the
/// term), by number.
#[derive(Clone, Copy, Default)]
struct Stemmed {
    term: u32,
    form: u32,
}

/// An entry of [`Stems::recent`].
#[derive(Clone, Copy, Default)]
struct Recent {
    key: [u64; 2],
    stemmed: Stemmed,
    /// The last article that met it here, and its term's place there.
    article: u32,
    place: u32,
}

/// A word met: its term and form, whether this may be the first time the
/// article has it (no when it certainly is not), and its entry in
/// [`Stems::recent`].
struct Met {
    stemmed: Stemmed,
    first: bool,
    recent: Option<usize>,
}

/// The form of a word folded to its very term.
const NO_FORM: u32 = u32::MAX;

/// The longest word kept by [`short_key`].
const SHORT: usize = 15;

/// Entries in [`Stems::recent`] (a power of two): half a megabyte a thread.
const RECENT: usize = 16384;

/// A word of up to [`SHORT`] bytes as two numbers: its bytes and its
/// length (so one hash of numbers and one comparison find it). Never
/// `[0, 0]`.
fn short_key(word: &str) -> Option<[u64; 2]> {
    let bytes = word.as_bytes();
    if bytes.is_empty() || bytes.len() > SHORT {
        return None;
    }
    let (low, high) = bytes.split_at(bytes.len().min(8));
    Some([le_bytes(low), le_bytes(high) | (bytes.len() as u64) << 56])
}

/// Up to eight bytes as a little-endian number (with overlapping reads,
/// not byte by byte).
fn le_bytes(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let at = |from: usize, n: usize| -> u64 {
        let mut word = [0u8; 8];
        word[..n].copy_from_slice(&bytes[from..from + n]);
        u64::from_le_bytes(word) << (8 * from)
    };
    match len {
        8 => at(0, 8),
        4..=7 => at(0, 4) | at(len - 4, 4),
        1..=3 => at(0, 1) | at(len / 2, 1) | at(len - 1, 1),
        _ => 0,
    }
}

/// The place of a key in [`Stems::recent`].
fn recent_slot(key: [u64; 2]) -> usize {
    let mixed = (key[0] ^ key[1].rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> (64 - RECENT.trailing_zeros())) as usize
}

impl Stems {
    /// The most words kept (a few tens of megabytes at most).
    const LIMIT: usize = 200_000;

    /// Ready for an article in `language`.
    fn start(&mut self, language: Language) {
        if self.language != Some(language) || self.short.len() + self.long.len() >= Self::LIMIT {
            self.recent = vec![Recent::default(); RECENT];
            self.short = FxHashMap::default();
            self.long = FxHashMap::default();
            self.language = Some(language);
        }
        self.article = self.article.wrapping_add(1);
    }

    /// The place of term `term` in the article's terms; `next` (the count
    /// of its terms so far) when it is new to the article.
    fn place(&mut self, term: u32, next: usize) -> usize {
        let n = term as usize;
        if n >= self.places.len() {
            self.places.resize(n + 1, (self.article.wrapping_sub(1), 0));
        }
        let place = &mut self.places[n];
        if place.0 != self.article {
            *place = (self.article, u32::try_from(next).unwrap_or(u32::MAX));
        }
        place.1 as usize
    }

    /// The term and folded form of `word`.
    fn get(&mut self, word: &str, stemmer: Option<&Stemmer>) -> Met {
        self.known(word, |word| {
            if is_number(word) {
                // Its own term and form: no case to fold, nothing to stem.
                return Stemmed { term: Vocabulary::write().number(word), form: NO_FORM };
            }
            let lower = lowercase(word);
            let form = fold(&lower);
            match stemmer {
                Some(stemmer) => {
                    let stem = stemmer.stem(&lower);
                    let term = fold(&stem);
                    let mut vocabulary = Vocabulary::write();
                    let term_number = vocabulary.number(&term);
                    Stemmed { term: term_number, form: if form == term { NO_FORM } else { vocabulary.number(&form) } }
                }
                None => Stemmed { term: Vocabulary::write().number(&form), form: NO_FORM },
            }
        })
    }

    /// The term of CJK characters: themselves. (Kept with the words: no
    /// word is made of CJK characters alone.)
    fn cjk(&mut self, chars: &str) -> Met {
        self.known(chars, |chars| Stemmed { term: Vocabulary::write().number(chars), form: NO_FORM })
    }

    /// What `word` stands for (`stem` makes it the first time).
    fn known(&mut self, word: &str, stem: impl FnOnce(&str) -> Stemmed) -> Met {
        let Some(key) = short_key(word) else {
            let stemmed = match self.long.get(word) {
                Some(&known) => known,
                None => {
                    let stemmed = stem(word);
                    self.long.insert(word.into(), stemmed);
                    stemmed
                }
            };
            return Met { stemmed, first: true, recent: None };
        };
        let (article, slot) = (self.article, recent_slot(key));
        let recent = &mut self.recent[slot];
        if recent.key == key {
            let first = recent.article != article;
            recent.article = article;
            return Met { stemmed: recent.stemmed, first, recent: Some(slot) };
        }
        let stemmed = match self.short.get(&key) {
            Some(&known) => known,
            None => {
                let stemmed = stem(word);
                self.short.insert(key, stemmed);
                stemmed
            }
        };
        *recent = Recent { key, stemmed, article, place: 0 };
        Met { stemmed, first: true, recent: Some(slot) }
    }
}

/// Is a word a number (digits, and the marks that join two of them:
/// `2024`, `1,021`, `3.5`)? Most words of a news archive's vocabulary are.
fn is_number(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b';' | b'\''))
}

/// A token of text: a word to fold and stem, or a term made of Chinese,
/// Japanese or Korean characters (a pair, or a character standing alone).
enum Token<'t> {
    Word(&'t str),
    Cjk(String),
}

/// Every token of `text`, in order. Words are Unicode words (UAX #29);
/// a run of CJK characters, which are written without spaces, gives each
/// pair of neighbours (`東京都` → `東京`, `京都`), or its one character.
///
/// ASCII whitespace always separates words (no rule of UAX #29 joins across
/// it), and a stretch of ASCII letters and digits between two is one word
/// (rules WB5 and WB8–10 join them all): most of a text, taken as it is,
/// without looking up the word-break class of each character.
///
/// Punctuation at either end of such a stretch (`"word`, `word,` `(word).`)
/// joins nothing either: the rules that join across ASCII punctuation
/// (WB6–7, WB11–12) need a letter or digit on both sides, and only `_`
/// (WB13a–b) joins at an edge.
fn each_token<'t>(text: &'t str, mut f: impl FnMut(Token<'t>)) {
    let mut run: Vec<char> = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let plain;
        (at, plain) = stretch(bytes, start);
        // Spaces are ASCII: `start` and `at` are character boundaries.
        let chunk = &text[start..at];
        at += 1;
        if chunk.is_empty() {
            continue;
        }
        match if plain { Some(chunk) } else { simple_word(chunk) } {
            Some(word) => {
                if !run.is_empty() {
                    flush_cjk(&mut run, &mut f);
                }
                // A typographic quote is one character of three bytes.
                let chars = if plain || word.is_ascii() { word.len() } else { word.chars().count() };
                if !word.is_empty() && chars <= MAX_WORD_CHARS {
                    f(Token::Word(word));
                }
            }
            None => segment_tokens(chunk, &mut run, &mut f),
        }
    }
    flush_cjk(&mut run, &mut f);
}

/// One pass over the stretch of `bytes` from `at` up to the next space:
/// where it ends, and whether it is all ASCII letters and digits. Eight
/// bytes at a time (a word and its space, mostly), then byte by byte.
fn stretch(bytes: &[u8], mut at: usize) -> (usize, bool) {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's high bit set where the byte (below 0x80) is at least `n`.
    let at_least = |seven_bits: u64, n: u8| (seven_bits + LOW * u64::from(0x80 - n)) & HIGH;
    let mut plain = true;
    while let Some(block) = bytes.get(at..at + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        let x = u64::from_le_bytes(block);
        let ascii = !x & HIGH;
        let low7 = x & !HIGH;
        let lower = low7 | (LOW * 0x20);
        let digit = at_least(low7, b'0') & !at_least(low7, b'9' + 1);
        let letter = at_least(lower, b'a') & !at_least(lower, b'z' + 1);
        let alnum = (digit | letter) & ascii;
        // Spaces and control characters: ASCII bytes up to 0x20.
        let low = ascii & !at_least(low7, 0x21);
        if low == 0 {
            plain &= alnum == HIGH;
            at += 8;
            continue;
        }
        let k = (low.trailing_zeros() / 8) as usize;
        let before = HIGH & ((1u64 << (8 * k)) - 1);
        plain &= alnum & before == before;
        if BYTE_CLASS[usize::from(block[k])] == SPACE {
            return (at + k, plain);
        }
        // A control character: part of the stretch, not a letter.
        plain = false;
        at += k + 1;
    }
    for &b in &bytes[at..] {
        let class = BYTE_CLASS[usize::from(b)];
        if class == SPACE {
            break;
        }
        plain &= class == ALNUM;
        at += 1;
    }
    (at, plain)
}

/// [`BYTE_CLASS`] of ASCII whitespace.
const SPACE: u8 = 1;
/// [`BYTE_CLASS`] of ASCII letters and digits.
const ALNUM: u8 = 2;

/// Each byte's class for [`each_token`]: [`SPACE`], [`ALNUM`] or 0.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte.is_ascii_whitespace() {
            SPACE
        } else if byte.is_ascii_alphanumeric() {
            ALNUM
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The one word of a stretch (between spaces) of ASCII letters and digits,
/// punctuation and typographic quotes, or `None` when it needs the
/// word-break rules. `""` when it has no letter or digit.
///
/// Punctuation and quotes at either end never join (see [`each_token`]).
/// Inside, the stretch is one word when each mark between two characters
/// joins them: `.`, `'`, `’` and `‘` between two letters or two digits
/// (WB6–7, WB11–12: `U.N.`, `don’t`, `3.5`), `:` between two letters,
/// `,` and `;` between two digits (`9,999`). Anything else (non-ASCII
/// letters, `_`, two marks in a row) goes to [`segment_tokens`].
#[inline(never)]
fn simple_word(chunk: &str) -> Option<&str> {
    let bytes = chunk.as_bytes();
    // Most often, a word with a comma or a full stop after it.
    if let [body @ .., b',' | b'.'] = bytes
        && body.iter().all(u8::is_ascii_alphanumeric)
    {
        return Some(&chunk[..body.len()]);
    }
    let mut start = 0;
    while let Some(len) = edge_mark(&bytes[start..]) {
        start += len;
    }
    let mut end = bytes.len();
    while end > start
        && let Some(len) = edge_mark_before(&bytes[start..end])
    {
        end -= len;
    }
    marks_join(&bytes[start..end]).then(|| &chunk[start..end])
}

/// Whether every character of `word` (trimmed of its edge marks) is an
/// ASCII letter or digit, or a mark that joins the two beside it.
fn marks_join(word: &[u8]) -> bool {
    let mut at = 0;
    while at < word.len() {
        let b = word[at];
        if b.is_ascii_alphanumeric() {
            at += 1;
            continue;
        }
        let (joins, len) = match b {
            b'.' | b'\'' => (Join::LettersOrDigits, 1),
            b':' => (Join::Letters, 1),
            b',' | b';' => (Join::Digits, 1),
            0xE2 if matches!(word.get(at + 1..at + 3), Some([0x80, 0x98 | 0x99])) => (Join::LettersOrDigits, 3),
            _ => return false,
        };
        // Edge marks are trimmed: a mark here has a character on each side.
        let (Some(&before), Some(&after)) = (at.checked_sub(1).and_then(|i| word.get(i)), word.get(at + len)) else {
            return false;
        };
        let letters = before.is_ascii_alphabetic() && after.is_ascii_alphabetic();
        let digits = before.is_ascii_digit() && after.is_ascii_digit();
        let joined = match joins {
            Join::Letters => letters,
            Join::Digits => digits,
            Join::LettersOrDigits => letters || digits,
        };
        if !joined {
            return false;
        }
        at += len;
    }
    true
}

/// Which neighbours a mark inside a word joins.
enum Join {
    Letters,
    Digits,
    LettersOrDigits,
}

/// The length of the mark `bytes` starts with, when it is one that joins
/// nothing at the edge of a word: ASCII punctuation other than `_`, or a
/// typographic quote (`‘ ’ “ ”`).
fn edge_mark(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [0xE2, 0x80, 0x98..=0x99 | 0x9C..=0x9D, ..] => Some(3),
        [b, ..] if is_edge_punctuation(*b) => Some(1),
        _ => None,
    }
}

/// The length of such a mark that `bytes` ends with.
fn edge_mark_before(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [.., 0xE2, 0x80, 0x98..=0x99 | 0x9C..=0x9D] => Some(3),
        [.., b] if is_edge_punctuation(*b) => Some(1),
        _ => None,
    }
}

/// ASCII punctuation that joins nothing at a word's edge: all but `_`.
fn is_edge_punctuation(b: u8) -> bool {
    b.is_ascii() && !b.is_ascii_alphanumeric() && b != b'_'
}

/// The tokens of a text by its Unicode word boundaries, CJK characters
/// gathered in `run` (the caller flushes the last run).
fn segment_tokens<'t, F: FnMut(Token<'t>) + ?Sized>(text: &'t str, run: &mut Vec<char>, f: &mut F) {
    for segment in text.split_word_bounds() {
        if segment.chars().all(is_cjk) {
            run.extend(segment.chars());
            continue;
        }
        flush_cjk(run, f);
        if segment.chars().any(char::is_alphanumeric) && segment.chars().nth(MAX_WORD_CHARS).is_none() {
            f(Token::Word(segment));
        }
    }
    flush_cjk(run, f);
}

/// The tokens of a run of CJK characters: each pair of neighbours, or its
/// one character; the run emptied.
fn flush_cjk<'t, F: FnMut(Token<'t>) + ?Sized>(run: &mut Vec<char>, f: &mut F) {
    if run.len() == 1 {
        f(Token::Cjk(run.iter().collect()));
    }
    for pair in run.windows(2) {
        f(Token::Cjk(pair.iter().collect()));
    }
    run.clear();
}

/// Chinese, Japanese and Korean characters: Han ideographs, kana, Hangul.
/// (The same ranges as `CJK` in `assets/search.js`.)
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF
        | 0x3040..=0x30FF
        | 0x3130..=0x318F
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA960..=0xA97F
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x2FA1F)
}

/// A word in lowercase, with typographic apostrophes made plain (`’` → `'`).
fn lowercase(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.contains('’') { lower.replace('’', "'") } else { lower }
}

/// A lowercase word folded: accents off Latin and Greek letters (`é` → `e`,
/// `ά` → `α`), and letters with no decomposition spelled plainly (`ø` → `o`,
/// `ß` → `ss`). Other scripts keep their marks: they change the letter
/// (`й`, `が`).
pub fn fold(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    let mut out = String::with_capacity(word.len());
    let mut after_latin_or_greek = false;
    for c in word.nfd() {
        if is_combining_mark(c) {
            if !after_latin_or_greek {
                out.push(c);
            }
            continue;
        }
        after_latin_or_greek = matches!(c as u32, 0x41..=0x24F | 0x1E00..=0x1EFF | 0x370..=0x3FF);
        match c {
            'ø' => out.push('o'),
            'ł' => out.push('l'),
            'đ' | 'ð' => out.push('d'),
            'ı' => out.push('i'),
            'ς' => out.push('σ'),
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            c => out.push(c),
        }
    }
    Cow::Owned(out.nfc().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tokenizer: text in, each token handed to the callback.
    type Tokenizer = fn(&str, &mut dyn FnMut(Token<'_>));

    /// Tokens as text, for comparing two tokenizers.
    fn token_texts(text: &str, tokenize: Tokenizer) -> Vec<String> {
        let mut out = Vec::new();
        tokenize(text, &mut |t| {
            out.push(match t {
                Token::Word(w) => format!("w:{w}"),
                Token::Cjk(c) => format!("c:{c}"),
            })
        });
        out
    }

    /// The next number of a xorshift generator.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// `count` texts of up to `longest` characters from `alphabet`.
    fn random_texts(seed: u64, alphabet: &str, count: usize, longest: u64) -> impl Iterator<Item = String> {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut state = seed;
        (0..count).map(move |_| {
            let n = next(&mut state);
            let pick = |i: u64| alphabet[(n.rotate_right(i as u32 * 5) % alphabet.len() as u64) as usize];
            (0..n % (longest + 1)).map(pick).collect()
        })
    }

    #[test]
    fn the_ascii_shortcut_finds_the_words_unicode_word_boundaries_find() {
        // Characters whose word-break classes meet at every rule: letters,
        // digits, the marks between them, spaces, line ends, joiners,
        // combining marks, CJK; then the ones the shortcut joins words
        // with, and some it does not, more often.
        let alphabets = [
            "aZ9_.,:;'’‘“” \t\n\r-é\u{301}\u{200d}東京カナ한x1\"()!?/\u{b}\u{1}&—",
            "a9.,:;'’‘“” _é",
            // The edges of the byte classes the shortcut tells apart.
            "09AZaz/:@[`{\u{7f}\u{80}\u{a0} \u{b}\u{c}\u{1f}\u{20}!",
        ];
        let whole = |text: &str, f: &mut dyn FnMut(Token<'_>)| {
            let mut run = Vec::new();
            segment_tokens(text, &mut run, f);
        };
        let fast = |text: &str, f: &mut dyn FnMut(Token<'_>)| each_token(text, f);
        for (seed, alphabet) in (0x9e37_79b9_7f4a_7c15_u64..).zip(alphabets) {
            // Up to 19 characters: the shortcut reads eight bytes at a time.
            for text in random_texts(seed, alphabet, 20_000, 19) {
                assert_eq!(token_texts(&text, fast), token_texts(&text, whole), "{text:?}");
            }
        }
        // The longest word is counted in characters, a typographic
        // apostrophe one of them.
        for long in ["a".repeat(MAX_WORD_CHARS + 1), "a’".repeat(MAX_WORD_CHARS / 2) + "a", "a’".repeat(14) + "a"] {
            let text = format!("“{long}” {}", "b".repeat(MAX_WORD_CHARS));
            assert_eq!(token_texts(&text, fast), token_texts(&text, whole), "{text:?}");
        }
    }

    #[test]
    fn prose_without_markup_is_tokenized_as_written_with_the_words_parsing_finds() {
        // Random text from prose characters and the ones Markdown may read
        // as markup at a line's start or anywhere: whenever the shortcut
        // takes text as plain, its words are those of the parsed text.
        let alphabet = "aaab19 .)  \n\n\r\t#-+=>~&;#x*_`[]<\\!|é東’\0";
        let tokens = |text: &str, f: &mut dyn FnMut(Token<'_>)| each_token(text, f);
        let mut plain = 0;
        for text in random_texts(0x2545_f491_4f6c_dd1d, alphabet, 100_000, 23) {
            if is_plain(text.as_bytes()) {
                plain += 1;
                assert_eq!(token_texts(&text, tokens), token_texts(&parsed_text(&text), tokens), "{text:?}");
            }
        }
        assert!(plain > 10_000, "only {plain} texts were plain");
        // Each kind of markup is parsed, not taken as written.
        for markup in [
            "# Head",
            "  - item",
            "+ item",
            "12. item",
            "3) item",
            "> quote",
            "~~~ info",
            "text\n===",
            "a *b*",
            "a_b_",
            "`code`",
            "[link](url)",
            "<b>",
            "a\\*",
            "&amp;",
            "&#8217;",
            "&#x2019;",
            "line\r# head",
        ] {
            assert!(!is_plain(markup.as_bytes()), "{markup:?}");
        }
        for prose in ["AT&T rose 5.7 percent.", "In 2024. Then", "1,000 people", "a - b", "  indented", "the #1 hit"] {
            assert!(is_plain(prose.as_bytes()), "{prose:?}");
        }
    }

    #[test]
    fn the_radix_sort_sorts_as_comparing_does() {
        let mut state = 0x853c_49e6_748f_ea9b_u64;
        let mut scratch = Vec::new();
        for round in 0..2_000 {
            next(&mut state);
            let len = (state % 600) as usize;
            // Narrow and wide numbers, pairs of halves, repeats.
            let mask = [0xffff, 0xff_ffff_ffff, u64::MAX, 0xff_0000_00ff][round % 4];
            let numbers: Vec<u64> =
                (0..len as u64).map(|i| state.rotate_left((i * 7) as u32).wrapping_mul(i + 1) & mask).collect();
            for shift in [0, 8] {
                let mut sorted = numbers.clone();
                radix_sort(&mut sorted, &mut scratch, shift);
                let mut expected = numbers.clone();
                expected.sort_by_key(|n| n >> shift);
                assert_eq!(sorted, expected, "shift {shift}");
            }
        }
    }

    #[test]
    fn numbers_are_their_own_terms_in_every_language() {
        // Not stemmed: Arabic's stemmer would drop their marks (`1,000`
        // → `1000`), Finnish's a final digit of `1,000,000`.
        for tag in ["en", "fi", "ar", "tr", "zh"] {
            let document =
                Document { headline: "", standfirst: "", byline: &[], dateline: "", body: "1,000,000 3;5 2024.5 7" };
            let terms = terms_of(&document, &Language::from_tag(tag));
            assert_eq!(names(&terms), ["1,000,000", "2024.5", "3;5", "7"], "{tag}");
            assert!(forms(&terms).is_empty(), "{tag}");
        }
        assert!(is_number("1,021") && !is_number("1990s") && !is_number("x1") && !is_number("1’000"));
    }

    fn english() -> Language {
        Language::from_tag("en-GB")
    }

    fn doc(headline: &str, body: &str) -> DocTerms {
        terms_of(&Document { headline, body, ..Document::default() }, &english())
    }

    fn all(terms: &DocTerms) -> Vec<(String, u16)> {
        let mut out = Vec::new();
        terms.each_term(|t, w| out.push((t.to_string(), w)));
        out
    }

    fn names(terms: &DocTerms) -> Vec<String> {
        all(terms).into_iter().map(|(t, _)| t).collect()
    }

    fn weight(terms: &DocTerms, term: &str) -> Option<u16> {
        all(terms).into_iter().find(|(t, _)| t == term).map(|(_, w)| w)
    }

    fn forms(terms: &DocTerms) -> Vec<(String, String)> {
        let mut out = Vec::new();
        terms.each_form(|form, term| out.push((form.to_string(), term.to_string())));
        out.sort();
        out
    }

    #[test]
    fn words_are_stemmed_and_their_forms_kept() {
        let terms = doc("Elections", "The election was held; voters elected a mayor.");
        assert_eq!(weight(&terms, "elect"), Some(HEADLINE + 1 + 1));
        let pairs = [("elected", "elect"), ("election", "elect"), ("elections", "elect"), ("voters", "voter")];
        assert_eq!(forms(&terms), pairs.map(|(f, t)| (f.to_string(), t.to_string())));
        assert_eq!(terms.words(), 9);
    }

    #[test]
    fn case_and_accents_fold_as_the_browser_folds() {
        assert_eq!(fold("zürich"), "zurich");
        assert_eq!(fold("são"), "sao");
        assert_eq!(fold("ødegaard"), "odegaard");
        assert_eq!(fold("straße"), "strasse");
        assert_eq!(fold("αθήνα"), "αθηνα");
        // A mark that makes another letter stays.
        assert_eq!(fold("київ"), "київ");
        assert_eq!(fold("がっこう"), "がっこう");
        let terms = terms_of(&Document { headline: "ZÜRICH Łódź", ..Document::default() }, &Language::from_tag("pl"));
        assert_eq!(names(&terms), ["lodz", "zurich"]);
    }

    #[test]
    fn a_language_without_a_stemmer_keeps_words_whole() {
        let lang = Language::from_tag("pl");
        assert!(!lang.stems());
        let terms = terms_of(&Document { body: "wybory wyborów", ..Document::default() }, &lang);
        assert_eq!(names(&terms), ["wyborow", "wybory"]);
        assert!(forms(&terms).is_empty());
        let french = terms_of(&Document { body: "Les élections", ..Document::default() }, &Language::from_tag("fr"));
        assert_eq!(weight(&french, "elect"), Some(1));
    }

    #[test]
    fn words_remembered_in_one_language_are_stemmed_anew_in_another() {
        let body = Document { body: "elections", ..Document::default() };
        assert_eq!(names(&terms_of(&body, &english())), ["elect"]);
        assert_eq!(names(&terms_of(&body, &Language::from_tag("pl"))), ["elections"]);
        assert_eq!(names(&terms_of(&body, &english())), ["elect"]);
    }

    #[test]
    fn cjk_text_is_indexed_as_character_pairs() {
        let terms = terms_of(&Document { body: "東京都に行く。Tokyo 雨", ..Document::default() }, &english());
        assert_eq!(names(&terms), ["tokyo", "に行", "京都", "東京", "行く", "都に", "雨"]);
    }

    #[test]
    fn fields_weigh_headline_first() {
        let byline = ["Ann Lee"];
        let d = Document {
            headline: "Port",
            standfirst: "Dock",
            byline: &byline,
            dateline: "Harbour",
            body: "Quay [ship](http://example.com/hidden) <b title=\"secret\">bold</b>",
        };
        let terms = terms_of(&d, &english());
        let expect = [
            ("ann", 2),
            ("bold", 1),
            ("dock", 3),
            ("harbour", 2),
            ("lee", 2),
            ("port", HEADLINE),
            ("quay", 1),
            ("ship", 1),
        ];
        assert_eq!(all(&terms), expect.map(|(t, w)| (t.to_string(), w)), "no URL or markup words");
    }

    #[test]
    fn weights_are_capped_and_long_words_skipped() {
        let body = "news ".repeat(400) + &"x".repeat(MAX_WORD_CHARS + 1);
        let terms = doc("News news news news", &body);
        assert_eq!(all(&terms), [("news".to_string(), 3 * HEADLINE + HEADLINE - 1)]);
    }

    #[test]
    fn terms_survive_the_build_state_and_another_process_numbering() {
        let terms =
            doc("Port strike in Zürich", "Zürcher dockers walked out; the Zürichsee port is closed. 東京 東京都");
        let bytes = postcard::to_allocvec(&terms).expect("serialize");
        let back = postcard::from_bytes::<DocTerms>(&bytes).expect("deserialize");
        assert_eq!(back, terms);
        let expect = [
            "close", "docker", "in", "is", "out", "port", "strike", "the", "walk", "zurcher", "zurich", "zurichse",
            "京都", "東京",
        ];
        assert_eq!(names(&back), expect);
        let pairs = [("closed", "close"), ("dockers", "docker"), ("walked", "walk"), ("zurichsee", "zurichse")];
        assert_eq!(forms(&back), pairs.map(|(f, t)| (f.to_string(), t.to_string())));

        // Another process numbers the same texts otherwise: every number
        // moved, the terms and forms the same texts, still sorted.
        let count = Vocabulary::read().count();
        let mut map: Vec<u32> = (0..count as u32).collect();
        map.reverse();
        let moved = back.renumbered(&map).expect("every number mapped");
        let mut numbers = Vec::new();
        moved.each_number(|n, weight| numbers.push((n, weight)));
        assert!(numbers.is_sorted(), "{numbers:?}");
        let mut expect_numbers = Vec::new();
        back.each_number(|n, weight| expect_numbers.push((map[n as usize], weight)));
        expect_numbers.sort_unstable();
        assert_eq!(numbers, expect_numbers);
        let mut form_pairs = Vec::new();
        moved.each_form_number(|form, term| form_pairs.push((count as u32 - 1 - form, count as u32 - 1 - term)));
        let mut expect_pairs = Vec::new();
        back.each_form_number(|form, term| expect_pairs.push((form, term)));
        form_pairs.sort_unstable();
        expect_pairs.sort_unstable();
        assert_eq!(form_pairs, expect_pairs);
        assert_eq!(moved.words(), back.words());
        assert_eq!(back.renumbered(&map[..1]), None, "a number the map lacks");
    }

    #[test]
    fn terms_from_damaged_bytes_are_refused_or_read_within_their_length() {
        let good = postcard::to_allocvec(&doc("Zürich port", "Dockers walked out. 東京都")).expect("serialize");
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut refused = 0;
        for _ in 0..5_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut bytes = good.clone();
            let at = 1 + (state % (bytes.len() as u64 - 1)) as usize;
            bytes[at] = (state >> 32) as u8;
            bytes.truncate(bytes.len() - (state >> 40) as usize % 4);
            match postcard::from_bytes::<DocTerms>(&bytes) {
                Ok(terms) => {
                    let mut count = 0;
                    terms.each_number(|_, _| count += 1);
                    terms.each_form_number(|_, _| count += 1);
                    assert!(count <= bytes.len());
                }
                Err(_) => refused += 1,
            }
        }
        assert!(refused > 0);
        // After the length: the word count, then the count of terms.
        let mut cut = good.clone();
        cut[2] = 0x7f;
        assert!(postcard::from_bytes::<DocTerms>(&cut).is_err());
    }
}
