//! Content keys: stable 128-bit hashes of what a page or file is made from.
//!
//! Used by the incremental build. Two builds that give a page the same key
//! give it the same bytes, so an unchanged key means the page need not be
//! rendered again. The hash (XXH3-128) is stable across runs and
//! platforms, unlike the standard library's hashers; every field is
//! length-prefixed, so `("ab", "c")` and `("a", "bc")` differ.

/// A content key.
pub type Key = u128;

/// Builds a [`Key`] from the fields it depends on. The fields are gathered
/// and hashed in one pass at the end: most keys are a few dozen bytes, for
/// which one-shot XXH3 is much cheaper than feeding a streaming hasher
/// field by field (and gives the same hash of the same bytes).
pub struct KeyBuilder(Vec<u8>);

impl KeyBuilder {
    /// A key for something of kind `kind` (a tag keeping kinds apart).
    pub fn new(kind: &str) -> Self {
        let mut k = KeyBuilder(Vec::with_capacity(256));
        k.str(kind);
        k
    }

    /// Add text.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.bytes(s.as_bytes())
    }

    /// Add bytes.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.extend_from_slice(&(b.len() as u64).to_le_bytes());
        self.0.extend_from_slice(b);
        self
    }

    /// Add a number.
    pub fn num(&mut self, n: u64) -> &mut Self {
        self.0.extend_from_slice(&n.to_le_bytes());
        self
    }

    /// Add another key.
    pub fn key(&mut self, k: Key) -> &mut Self {
        self.0.extend_from_slice(&k.to_le_bytes());
        self
    }

    /// The key.
    pub fn finish(&self) -> Key {
        of_bytes(&self.0)
    }
}

/// The key of a value: the stable hash of everything its `Hash` writes
/// (the standard library's hashers are seeded per process; this is not).
pub fn of_hash<T: std::hash::Hash + ?Sized>(value: &T) -> Key {
    let mut hasher = Gather(Vec::with_capacity(256));
    value.hash(&mut hasher);
    of_bytes(&hasher.0)
}

/// Gathers what a value hashes, for one XXH3-128 of it all at the end.
struct Gather(Vec<u8>);

impl std::hash::Hasher for Gather {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    fn finish(&self) -> u64 {
        // Only 128-bit keys are taken from it, through `of_hash`.
        of_bytes(&self.0) as u64
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
    fn keys_are_the_streaming_hash_of_the_same_fields() {
        // Keys saved by builds that fed a streaming hasher field by field
        // stay valid: the same bytes in the same order, the same hash.
        let mut streaming = xxhash_rust::xxh3::Xxh3::new();
        for field in [&3u64.to_le_bytes()[..], b"tag", &5u64.to_le_bytes(), b"title", &7u64.to_le_bytes()] {
            streaming.update(field);
        }
        streaming.update(&9u128.to_le_bytes());
        streaming.update(&300u64.to_le_bytes());
        streaming.update(&[7; 300]);
        let built = KeyBuilder::new("tag").str("title").num(7).key(9).bytes(&[7; 300]).finish();
        assert_eq!(built, streaming.digest128());
    }

    #[test]
    fn keys_are_stable_across_runs() {
        // Fixed values: if these change, every saved build state is invalid.
        assert_eq!(of_bytes(b"gazette"), 0x47ae_6dc8_0f75_4a32_9466_b108_4ff4_2831);
        assert_eq!(KeyBuilder::new("t").num(1).finish(), 0x9e60_8fb3_dedf_39c4_5247_8f59_12c4_39f7);
    }
}
