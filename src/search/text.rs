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
/// and serializable, for the build state to keep per article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocTerms {
    /// The distinct terms (folded stems), sorted, with their weights (see [`HEADLINE`]).
    pub(super) terms: Vec<(String, u16)>,
    /// The folded words seen that differ from their term, sorted, each with
    /// the position of its term in `terms`.
    pub(super) forms: Vec<(String, u32)>,
    /// How many words the article has, for ranking (longer texts mention
    /// everything more often).
    pub(super) words: u32,
}

impl DocTerms {
    /// How many words the article has.
    pub fn words(&self) -> u32 {
        self.words
    }

    /// The terms, sorted, with their weighted counts.
    pub fn terms(&self) -> impl Iterator<Item = (&str, u16)> {
        self.terms.iter().map(|(t, w)| (t.as_str(), *w))
    }
}

/// The terms of an article: every word of its headline, standfirst,
/// byline, dateline and body, segmented (Unicode word boundaries), folded
/// (case, diacritics of Latin and Greek letters), stemmed in the site's
/// language; Chinese, Japanese and Korean text as pairs of characters.
pub fn terms_of(doc: &Document<'_>, lang: &Language) -> DocTerms {
    let mut counter = Counter::new(lang);
    counter.field(doc.headline, Part::Headline);
    counter.field(doc.standfirst, Part::Other(STANDFIRST));
    for name in doc.byline {
        counter.field(name, Part::Other(BYLINE));
    }
    counter.field(doc.dateline, Part::Other(DATELINE));
    counter.field(&body_text(doc.body), Part::Other(BODY));
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

/// Counts the terms of one article, field by field.
struct Counter {
    stemmer: Option<Stemmer>,
    /// Term → (times in the headline, weighted count elsewhere).
    terms: FxHashMap<String, (u32, u32)>,
    /// (form, term) pairs where the form differs from its term.
    forms: FxHashSet<(String, String)>,
    /// Word as written → its term: most words repeat, and are folded and
    /// stemmed once.
    seen: FxHashMap<String, String>,
    words: u32,
}

impl Counter {
    fn new(lang: &Language) -> Counter {
        Counter {
            stemmer: lang.stemmer.map(Stemmer::create),
            terms: FxHashMap::default(),
            forms: FxHashSet::default(),
            seen: FxHashMap::default(),
            words: 0,
        }
    }

    fn field(&mut self, text: &str, part: Part) {
        each_token(text, |token| {
            self.words += 1;
            let term = match token {
                Token::Word(word) => self.word(word),
                Token::Cjk(chars) => chars,
            };
            let counts = self.terms.entry(term).or_default();
            match part {
                Part::Headline => counts.0 += 1,
                Part::Other(weight) => counts.1 += u32::from(weight),
            }
        });
    }

    /// The term of a word, noting its folded form when that differs.
    fn word(&mut self, word: &str) -> String {
        if let Some(term) = self.seen.get(word) {
            return term.clone();
        }
        let lower = lowercase(word);
        let form = fold(&lower).into_owned();
        let term = match &self.stemmer {
            Some(stemmer) => fold(&stemmer.stem(&lower)).into_owned(),
            None => form.clone(),
        };
        if form != term {
            self.forms.insert((form, term.clone()));
        }
        self.seen.insert(word.to_string(), term.clone());
        term
    }

    fn finish(self) -> DocTerms {
        let mut terms: Vec<(String, u16)> = self
            .terms
            .into_iter()
            .map(|(term, (headline, other))| (term, HEADLINE * headline.min(3) as u16 + other.min(u32::from(HEADLINE - 1)) as u16))
            .collect();
        terms.sort_unstable();
        let position = |term: &str| terms.binary_search_by(|(t, _)| t.as_str().cmp(term)).ok();
        let mut forms: Vec<(String, u32)> = self
            .forms
            .into_iter()
            .filter_map(|(form, term)| Some((form, u32::try_from(position(&term)?).ok()?)))
            .collect();
        forms.sort_unstable();
        DocTerms { terms, forms, words: self.words }
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
fn each_token<'t>(text: &'t str, mut f: impl FnMut(Token<'t>)) {
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, f: &mut dyn FnMut(Token<'t>)| {
        if run.len() == 1 {
            f(Token::Cjk(run.iter().collect()));
        }
        for pair in run.windows(2) {
            f(Token::Cjk(pair.iter().collect()));
        }
        run.clear();
    };
    for segment in text.split_word_bounds() {
        if segment.chars().all(is_cjk) {
            run.extend(segment.chars());
            continue;
        }
        flush(&mut run, &mut f);
        if segment.chars().any(char::is_alphanumeric) && segment.chars().nth(MAX_WORD_CHARS).is_none() {
            f(Token::Word(segment));
        }
    }
    flush(&mut run, &mut f);
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

    fn english() -> Language {
        Language::from_tag("en-GB")
    }

    fn doc(headline: &str, body: &str) -> DocTerms {
        terms_of(&Document { headline, body, ..Document::default() }, &english())
    }

    fn weight(terms: &DocTerms, term: &str) -> Option<u16> {
        terms.terms().find(|(t, _)| *t == term).map(|(_, w)| w)
    }

    fn forms(terms: &DocTerms) -> Vec<(&str, &str)> {
        terms.forms.iter().map(|(form, i)| (form.as_str(), terms.terms[*i as usize].0.as_str())).collect()
    }

    #[test]
    fn words_are_stemmed_and_their_forms_kept() {
        let terms = doc("Elections", "The election was held; voters elected a mayor.");
        assert_eq!(weight(&terms, "elect"), Some(HEADLINE + 1 + 1));
        assert_eq!(forms(&terms), [("elected", "elect"), ("election", "elect"), ("elections", "elect"), ("voters", "voter")]);
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
        assert_eq!(terms.terms().map(|(t, _)| t).collect::<Vec<_>>(), ["lodz", "zurich"]);
    }

    #[test]
    fn a_language_without_a_stemmer_keeps_words_whole() {
        let lang = Language::from_tag("pl");
        assert!(!lang.stems());
        let terms = terms_of(&Document { body: "wybory wyborów", ..Document::default() }, &lang);
        assert_eq!(terms.terms().map(|(t, _)| t).collect::<Vec<_>>(), ["wyborow", "wybory"]);
        assert!(terms.forms.is_empty());
        let french = terms_of(&Document { body: "Les élections", ..Document::default() }, &Language::from_tag("fr"));
        assert_eq!(weight(&french, "elect"), Some(1));
    }

    #[test]
    fn cjk_text_is_indexed_as_character_pairs() {
        let terms = terms_of(&Document { body: "東京都に行く。Tokyo 雨", ..Document::default() }, &english());
        let all: Vec<_> = terms.terms().map(|(t, _)| t).collect();
        assert_eq!(all, ["tokyo", "に行", "京都", "東京", "行く", "都に", "雨"]);
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
        let expect = [("ann", 2), ("bold", 1), ("dock", 3), ("harbour", 2), ("lee", 2), ("port", HEADLINE), ("quay", 1), ("ship", 1)];
        assert_eq!(terms.terms().collect::<Vec<_>>(), expect, "no URL or markup words: {terms:?}");
    }

    #[test]
    fn weights_are_capped_and_long_words_skipped() {
        let body = "news ".repeat(400) + &"x".repeat(MAX_WORD_CHARS + 1);
        let terms = doc("News news news news", &body);
        assert_eq!(terms.terms().collect::<Vec<_>>(), [("news", 3 * HEADLINE + HEADLINE - 1)]);
    }

    #[test]
    fn terms_survive_the_build_state() {
        let terms = doc("Port strike", "Dockers walked out.");
        let bytes = postcard::to_allocvec(&terms).expect("serialize");
        assert_eq!(postcard::from_bytes::<DocTerms>(&bytes).expect("deserialize"), terms);
    }
}
