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
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

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

/// One article's terms: everything the index needs from its text. Small
/// (about the size of its text, gzipped) and serializable, for the build
/// state to keep per article: one run of bytes, one allocation.
///
/// The bytes: the article's word count, its count of terms, of forms,
/// and the length of its terms' part (LEB128 numbers); then the terms,
/// sorted and front-coded: for each, the bytes it shares with the one
/// before (a byte), the rest, a newline (no term holds one) and its weight
/// (a byte: see [`HEADLINE`]); then the forms (folded words that differ
/// from their terms), by term: for each, how many terms after the previous
/// form's term its term comes (LEB128), the bytes it shares with its term
/// (a byte), the rest and a newline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocTerms {
    bytes: Box<[u8]>,
}

/// What the first bytes of a [`DocTerms`] say.
struct Header {
    words: u32,
    terms: usize,
    /// Where the terms start, and the forms.
    terms_at: usize,
    forms_at: usize,
}

impl DocTerms {
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
        let _forms = read_number(&self.bytes, &mut at);
        let length = read_number(&self.bytes, &mut at);
        Header {
            words: u32::try_from(words).unwrap_or(u32::MAX),
            terms: usize::try_from(terms).unwrap_or(0),
            terms_at: at,
            forms_at: at.saturating_add(usize::try_from(length).unwrap_or(usize::MAX)),
        }
    }

    /// Call `f` with each term, in order, and its weight.
    pub fn each_term(&self, mut f: impl FnMut(&str, u16)) {
        let header = self.header();
        let (mut at, mut term) = (header.terms_at, String::new());
        for _ in 0..header.terms {
            let Some(weight) = next_term(&self.bytes, &mut at, &mut term) else { return };
            f(&term, u16::from(weight));
        }
    }

    /// Call `f` with each form and the position of its term.
    pub fn each_form(&self, mut f: impl FnMut(&str, usize)) {
        // Forms come by term: the terms are decoded once, alongside.
        let header = self.header();
        let (mut term_at, mut term, mut decoded) = (header.terms_at, String::new(), 0);
        let (mut at, mut form, mut of) = (header.forms_at, String::new(), 0usize);
        while at < self.bytes.len() {
            of = of.saturating_add(usize::try_from(read_number(&self.bytes, &mut at)).unwrap_or(usize::MAX));
            while decoded <= of {
                if decoded == header.terms || next_term(&self.bytes, &mut term_at, &mut term).is_none() {
                    return;
                }
                decoded += 1;
            }
            let Some((shared, rest)) = next_piece(&self.bytes, &mut at) else { return };
            let Some(start) = term.get(..shared) else { return };
            form.clear();
            form.push_str(start);
            form.push_str(rest);
            f(&form, of);
        }
    }

    /// The terms (sorted, with their weights) and forms (sorted by term,
    /// each with its term's position) of an article, front-coded.
    fn encode(terms: &[(&str, u16)], forms: &[(usize, &str)], words: u32) -> DocTerms {
        let mut body = Vec::new();
        let mut previous = "";
        for &(term, weight) in terms {
            let shared = shared_prefix(previous, term);
            body.push(shared as u8);
            body.extend_from_slice(&term.as_bytes()[shared..]);
            body.push(b'\n');
            body.push(u8::try_from(weight).unwrap_or(u8::MAX));
            previous = term;
        }
        let length = body.len();
        let mut last = 0;
        for &(at, form) in forms {
            let shared = shared_prefix(terms[at].0, form);
            push_leb128(&mut body, (at - last) as u64);
            body.push(shared as u8);
            body.extend_from_slice(&form.as_bytes()[shared..]);
            body.push(b'\n');
            last = at;
        }
        // Sized to fit: every article's terms stay in memory for the build.
        let mut bytes = Vec::with_capacity(body.len() + 16);
        for n in [u64::from(words), terms.len() as u64, forms.len() as u64, length as u64] {
            push_leb128(&mut bytes, n);
        }
        bytes.extend_from_slice(&body);
        DocTerms { bytes: bytes.into_boxed_slice() }
    }
}

/// The next term of a [`DocTerms`] at `at` into `term` (which holds the
/// one before); its weight. `None` at the end or on bytes that are not.
fn next_term(bytes: &[u8], at: &mut usize, term: &mut String) -> Option<u8> {
    let (shared, rest) = next_piece(bytes, at)?;
    let weight = *bytes.get(*at)?;
    *at += 1;
    if !term.is_char_boundary(shared) {
        return None;
    }
    term.truncate(shared);
    term.push_str(rest);
    Some(weight)
}

/// A shared length (a byte) and the rest up to a newline, at `at`.
fn next_piece<'b>(bytes: &'b [u8], at: &mut usize) -> Option<(usize, &'b str)> {
    let shared = usize::from(*bytes.get(*at)?);
    let tail = bytes.get(*at + 1..)?;
    let end = tail.iter().position(|&b| b == b'\n')?;
    let rest = std::str::from_utf8(&tail[..end]).ok()?;
    *at += 1 + end + 1;
    Some((shared, rest))
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

/// Kept in the build state as its bytes.
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
                Ok(DocTerms { bytes: v.into() })
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<DocTerms, E> {
                Ok(DocTerms { bytes: v.into_boxed_slice() })
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<DocTerms, A::Error> {
                let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(b) = seq.next_element()? {
                    bytes.push(b);
                }
                Ok(DocTerms { bytes: bytes.into_boxed_slice() })
            }
        }
        deserializer.deserialize_bytes(Bytes)
    }
}

/// How many leading bytes `a` and `b` share, in whole characters, at most
/// 255 (kept in a byte).
fn shared_prefix(a: &str, b: &str) -> usize {
    let mut shared = a.bytes().zip(b.bytes()).take(255).take_while(|(x, y)| x == y).count();
    // Back to the start of a character both have (they agree up to it).
    while !a.is_char_boundary(shared) || !b.is_char_boundary(shared) {
        shared -= 1;
    }
    shared
}

/// The terms of an article: every word of its headline, standfirst,
/// byline, dateline and body, segmented (Unicode word boundaries), folded
/// (case, diacritics of Latin and Greek letters), stemmed in the site's
/// language; Chinese, Japanese and Korean text as pairs of characters.
pub fn terms_of(doc: &Document<'_>, lang: &Language) -> DocTerms {
    let body = body_text(doc.body);
    // About one distinct word in twenty bytes of text: room for them all.
    let mut counter = Counter::new(lang, body.len() / 20);
    counter.field(doc.headline, Part::Headline);
    counter.field(doc.standfirst, Part::Other(STANDFIRST));
    for name in doc.byline {
        counter.field(name, Part::Other(BYLINE));
    }
    counter.field(doc.dateline, Part::Other(DATELINE));
    counter.field(&body, Part::Other(BODY));
    counter.finish()
}

/// The text of a Markdown body: its words without markup, link targets or
/// raw HTML, blocks separated by line breaks.
fn body_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => {
                text.push('\n');
            }
            Event::Start(Tag::TableCell) | Event::End(TagEnd::TableCell) => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Counts the terms of one article, field by field. Terms and forms are
/// numbers in this thread's [`Stems`], made strings again in [`finish`](Counter::finish).
struct Counter<'t> {
    stemmer: Option<Stemmer>,
    /// Term (by its number in [`Stems`]) → its position in `counts`.
    ids: FxHashMap<u32, usize>,
    /// Each term's number, by position.
    terms: Vec<u32>,
    /// Each term's (times in the headline, weighted count elsewhere).
    counts: Vec<(u32, u32)>,
    /// (term position, form number) where the form differs from its term.
    forms: FxHashSet<(usize, u32)>,
    /// Word as written → its term's position: most words repeat, and are
    /// looked up once.
    seen: FxHashMap<&'t str, usize>,
    words: u32,
}

impl<'t> Counter<'t> {
    /// A counter for an article of about `distinct` distinct words.
    fn new(lang: &Language, distinct: usize) -> Counter<'t> {
        STEMS.with_borrow_mut(|stems| stems.start(*lang));
        let terms = distinct.min(1 << 16);
        Counter {
            stemmer: lang.stemmer.map(Stemmer::create),
            ids: FxHashMap::with_capacity_and_hasher(terms, Default::default()),
            terms: Vec::with_capacity(terms),
            counts: Vec::with_capacity(terms),
            forms: FxHashSet::with_capacity_and_hasher(terms / 2, Default::default()),
            seen: FxHashMap::with_capacity_and_hasher(terms, Default::default()),
            words: 0,
        }
    }

    fn field(&mut self, text: &'t str, part: Part) {
        each_token(text, |token| {
            self.words += 1;
            let id = match token {
                Token::Word(word) => self.word(word),
                Token::Cjk(chars) => self.id(STEMS.with_borrow_mut(|stems| stems.number(&chars))),
            };
            let counts = &mut self.counts[id];
            match part {
                Part::Headline => counts.0 += 1,
                Part::Other(weight) => counts.1 += u32::from(weight),
            }
        });
    }

    /// The position in `counts` of a term (by number), added if new.
    fn id(&mut self, term: u32) -> usize {
        let next = self.counts.len();
        let id = *self.ids.entry(term).or_insert(next);
        if id == next {
            self.counts.push((0, 0));
            self.terms.push(term);
        }
        id
    }

    /// The term of a word, noting its folded form when that differs.
    fn word(&mut self, word: &'t str) -> usize {
        if let Some(&id) = self.seen.get(word) {
            return id;
        }
        let Stemmed { term, form } = STEMS.with_borrow_mut(|stems| stems.get(word, self.stemmer.as_ref()));
        let id = self.id(term);
        if let Some(form) = form {
            self.forms.insert((id, form));
        }
        self.seen.insert(word, id);
        id
    }

    fn finish(self) -> DocTerms {
        STEMS.with_borrow(|stems| {
            // Sorted by their first eight bytes (big-endian, zero-padded:
            // the same order) first, which settles most comparisons.
            let mut terms: Vec<(u64, &str, usize)> = self
                .terms
                .iter()
                .enumerate()
                .map(|(id, &n)| {
                    let text = stems.text(n);
                    (sort_key(text), text, id)
                })
                .collect();
            terms.sort_unstable();
            let mut position = vec![0; terms.len()];
            for (at, &(_, _, id)) in terms.iter().enumerate() {
                position[id] = at;
            }
            let weighed: Vec<(&str, u16)> = terms
                .iter()
                .map(|&(_, term, id)| {
                    let (headline, other) = self.counts[id];
                    (term, HEADLINE * headline.min(3) as u16 + other.min(u32::from(HEADLINE - 1)) as u16)
                })
                .collect();
            let mut forms: Vec<(usize, &str)> =
                self.forms.iter().map(|&(id, form)| (position[id], stems.text(form))).collect();
            forms.sort_unstable();
            DocTerms::encode(&weighed, &forms, self.words)
        })
    }
}

/// The first eight bytes of a term as a number, zero-padded: numbers in
/// the order of the terms (ties broken by the terms).
fn sort_key(term: &str) -> u64 {
    let mut bytes = [0u8; 8];
    let len = term.len().min(8);
    bytes[..len].copy_from_slice(&term.as_bytes()[..len]);
    u64::from_be_bytes(bytes)
}

thread_local! {
    /// Words already folded and stemmed on this thread, for the next
    /// articles (a news archive's words repeat from story to story).
    static STEMS: std::cell::RefCell<Stems> = std::cell::RefCell::default();
}

/// Word as written → its term and folded form, in one language; and every
/// term and form as a number (one string each, however many articles
/// have it). Emptied, between articles, when full or the language changes.
#[derive(Default)]
struct Stems {
    language: Option<Language>,
    words: FxHashMap<Box<str>, Stemmed>,
    /// Each term or form, by number.
    texts: Vec<Box<str>>,
    numbers: FxHashMap<Box<str>, u32>,
}

/// A word's term, and its folded form when that differs, by number.
#[derive(Clone, Copy)]
struct Stemmed {
    term: u32,
    form: Option<u32>,
}

impl Stems {
    /// The most words kept (a few tens of megabytes at most).
    const LIMIT: usize = 200_000;

    /// Ready for an article in `language`.
    fn start(&mut self, language: Language) {
        if self.language != Some(language) || self.words.len() >= Self::LIMIT || self.texts.len() >= Self::LIMIT {
            *self = Stems { language: Some(language), ..Stems::default() };
        }
    }

    /// The term and folded form of `word`.
    fn get(&mut self, word: &str, stemmer: Option<&Stemmer>) -> Stemmed {
        if let Some(&known) = self.words.get(word) {
            return known;
        }
        let lower = lowercase(word);
        let form = fold(&lower);
        let stemmed = match stemmer {
            Some(stemmer) => {
                let stem = stemmer.stem(&lower);
                let term = self.number(&fold(&stem));
                Stemmed { term, form: (*form != *self.text(term)).then(|| self.number(&form)) }
            }
            None => Stemmed { term: self.number(&form), form: None },
        };
        self.words.insert(word.into(), stemmed);
        stemmed
    }

    /// The number of a term or form, given one if new.
    fn number(&mut self, text: &str) -> u32 {
        if let Some(&n) = self.numbers.get(text) {
            return n;
        }
        let n = self.texts.len() as u32;
        self.texts.push(text.into());
        self.numbers.insert(text.into(), n);
        n
    }

    /// A term or form, by number.
    fn text(&self, n: u32) -> &str {
        &self.texts[n as usize]
    }
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
        // One pass over the stretch up to the next space: where it ends,
        // and whether it is all ASCII letters and digits.
        let start = at;
        let mut plain = true;
        while let Some(&b) = bytes.get(at) {
            match BYTE_CLASS[usize::from(b)] {
                SPACE => break,
                ALNUM => {}
                _ => plain = false,
            }
            at += 1;
        }
        // Spaces are ASCII: `start` and `at` are character boundaries.
        let chunk = &text[start..at];
        at += 1;
        if chunk.is_empty() {
            continue;
        }
        match if plain { Some(chunk) } else { ascii_word(chunk) } {
            Some(word) => {
                flush_cjk(&mut run, &mut f);
                if !word.is_empty() && word.len() <= MAX_WORD_CHARS {
                    f(Token::Word(word));
                }
            }
            None => segment_tokens(chunk, &mut run, &mut f),
        }
    }
    flush_cjk(&mut run, &mut f);
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

/// The one word of an ASCII stretch made of letters and digits between
/// punctuation (`""` when it is all punctuation), or `None` when it needs
/// the word-break rules (non-ASCII, `_`, punctuation inside).
fn ascii_word(chunk: &str) -> Option<&str> {
    let edge = |b: u8| b.is_ascii() && !b.is_ascii_alphanumeric() && b != b'_';
    let bytes = chunk.as_bytes();
    let start = bytes.iter().position(|&b| !edge(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| !edge(b)).map_or(start, |i| i + 1);
    bytes[start..end].iter().all(u8::is_ascii_alphanumeric).then(|| &chunk[start..end])
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

    #[test]
    fn the_ascii_shortcut_finds_the_words_unicode_word_boundaries_find() {
        // Characters whose word-break classes meet at every rule: letters,
        // digits, the marks between them, spaces, line ends, joiners,
        // combining marks, CJK.
        let alphabet: Vec<char> = "aZ9_.,:;'’ \t\n\r-é\u{301}\u{200d}東京カナ한x1\"()!?/\u{b}\u{1}&".chars().collect();
        let whole = |text: &str, f: &mut dyn FnMut(Token<'_>)| {
            let mut run = Vec::new();
            segment_tokens(text, &mut run, f);
        };
        let fast = |text: &str, f: &mut dyn FnMut(Token<'_>)| each_token(text, f);
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let text: String =
                (0..len).map(|i| alphabet[((state >> (i * 5)) % alphabet.len() as u64) as usize]).collect();
            assert_eq!(token_texts(&text, fast), token_texts(&text, whole), "{text:?}");
        }
        let long = "a".repeat(MAX_WORD_CHARS + 1) + " " + &"b".repeat(MAX_WORD_CHARS);
        assert_eq!(token_texts(&long, fast), token_texts(&long, whole));
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
        let names = names(terms);
        let mut out = Vec::new();
        terms.each_form(|form, at| out.push((form.to_string(), names[at].clone())));
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
    fn terms_survive_the_build_state() {
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
        assert_eq!(shared_prefix("zürich", "zürcher"), "zür".len());
        assert_eq!(shared_prefix("東京", "東京都"), "東京".len());
    }

    #[test]
    fn terms_from_damaged_bytes_stop_short_without_a_panic() {
        let good = postcard::to_allocvec(&doc("Zürich port", "Dockers walked out. 東京都")).expect("serialize");
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..5_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut bytes = good.clone();
            let at = 1 + (state % (bytes.len() as u64 - 1)) as usize;
            bytes[at] = (state >> 32) as u8;
            bytes.truncate(bytes.len() - (state >> 40) as usize % 4);
            if let Ok(terms) = postcard::from_bytes::<DocTerms>(&bytes) {
                let (mut count, _) = (0, terms.words());
                terms.each_term(|_, _| count += 1);
                terms.each_form(|_, _| count += 1);
                assert!(count <= bytes.len());
            }
        }
    }
}
