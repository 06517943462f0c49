//! Search: every term and form this process has seen, each once, by
//! number. An article's terms are kept as numbers ([`super::DocTerms`]),
//! so the load phase, which tokenizes, hands the index numbers to sort
//! postings by, and the index looks up no text until it writes its files.
//!
//! One vocabulary for the process: it only grows, by the words of the
//! sites this process builds (`gazette serve` builds one site again and
//! again: the same words). The numbers mean nothing outside it, so the
//! build state keeps its texts ([`stored`]) beside the articles' terms,
//! and the next build reads them first ([`renumbering`]): a new process
//! gives them the same numbers, and the stored terms are used as they are.

use std::hash::BuildHasher;
use std::sync::{LazyLock, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use hashbrown::HashTable;

/// Terms and forms, by number.
#[derive(Default)]
pub struct Vocabulary {
    texts: Vec<Box<str>>,
    /// Numbers, found by their text.
    numbers: HashTable<u32>,
}

static VOCABULARY: LazyLock<RwLock<Vocabulary>> = LazyLock::new(RwLock::default);

fn hash(text: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(text)
}

impl Vocabulary {
    /// The vocabulary, to read numbers as text. Not to be asked for again
    /// (read or written) on a thread that holds it.
    pub fn read() -> RwLockReadGuard<'static, Vocabulary> {
        // Every change leaves it whole: a panic elsewhere cannot spoil it.
        VOCABULARY.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The vocabulary, to add words to. Held briefly: every thread
    /// tokenizing waits for it.
    pub fn write() -> RwLockWriteGuard<'static, Vocabulary> {
        VOCABULARY.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// The number of a term or form, given one if new.
    pub fn number(&mut self, text: &str) -> u32 {
        let Vocabulary { texts, numbers } = self;
        let hash = hash(text);
        if let Some(&n) = numbers.find(hash, |&n| *texts[n as usize] == *text) {
            return n;
        }
        let n = u32::try_from(texts.len()).unwrap_or(u32::MAX);
        texts.push(text.into());
        numbers.insert_unique(hash, n, |&n| self::hash(&texts[n as usize]));
        n
    }

    /// A term or form, by number (`""` for a number it never gave).
    pub fn text(&self, n: u32) -> &str {
        self.texts.get(n as usize).map_or("", |t| t)
    }

    /// How many numbers it has given: each is below this.
    pub fn count(&self) -> usize {
        self.texts.len()
    }
}

/// The vocabulary's texts in number order, one a line (no term or form
/// holds a line break), for the build state.
pub fn stored() -> Vec<u8> {
    Vocabulary::read().stored()
}

/// The numbers of this process for the texts of a [`stored`] vocabulary,
/// in its order (the texts new to this process numbered now); `None`
/// when the bytes are not text.
pub fn renumbering(stored: &[u8]) -> Option<Vec<u32>> {
    Vocabulary::write().renumbering(stored)
}

impl Vocabulary {
    fn stored(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.texts.iter().map(|t| t.len() + 1).sum());
        for text in &self.texts {
            bytes.extend_from_slice(text.as_bytes());
            bytes.push(b'\n');
        }
        bytes
    }

    fn renumbering(&mut self, stored: &[u8]) -> Option<Vec<u32>> {
        let text = std::str::from_utf8(stored).ok()?;
        let mut numbers = Vec::with_capacity(stored.iter().filter(|&&b| b == b'\n').count());
        for line in text.split_terminator('\n') {
            numbers.push(self.number(line));
        }
        Some(numbers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_keeps_its_number() {
        let mut vocabulary = Vocabulary::default();
        let port = vocabulary.number("port");
        let strike = vocabulary.number("strike");
        assert_ne!(port, strike);
        assert_eq!(vocabulary.number("port"), port);
        assert_eq!((vocabulary.text(port), vocabulary.text(strike)), ("port", "strike"));
        assert_eq!(vocabulary.count(), 2);
    }

    #[test]
    fn a_stored_vocabulary_numbers_its_texts_alike_in_a_new_process_and_anew_in_another() {
        let mut first = Vocabulary::default();
        let texts = ["port", "strike", "zurich", "東京"];
        let numbers: Vec<u32> = texts.iter().map(|t| first.number(t)).collect();
        let stored = first.stored();
        assert_eq!(stored, "port\nstrike\nzurich\n東京\n".as_bytes());

        let mut fresh = Vocabulary::default();
        assert_eq!(fresh.renumbering(&stored), Some(numbers), "a new process: the same numbers");
        let mut other = Vocabulary::default();
        let dock = other.number("dock");
        let zurich = other.number("zurich");
        let map = other.renumbering(&stored).unwrap();
        assert_eq!(map.len(), 4);
        assert_eq!(map[2], zurich, "a text it had keeps its number");
        assert!(!map.contains(&dock));
        for (text, &n) in texts.iter().zip(&map) {
            assert_eq!(other.text(n), *text);
        }
        assert_eq!(Vocabulary::default().renumbering(b""), Some(vec![]));
        assert_eq!(Vocabulary::default().renumbering(b"\xff\n"), None);
    }
}
