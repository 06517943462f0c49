//! Search: every term and form this process has seen, each once, by
//! number. An article's terms are kept as numbers ([`super::DocTerms`]),
//! so the load phase, which tokenizes, hands the index numbers to sort
//! postings by, and the index looks up no text until it writes its files.
//!
//! One vocabulary for the process: the numbers mean nothing outside it
//! (the build state stores the text), and it only grows, by the words of
//! the sites this process builds (`gazette serve` builds one site again
//! and again: the same words).

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
}
