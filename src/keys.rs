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

/// Keys as the build state stores them: their 16 bytes. Postcard would
/// write a 128-bit number as a variable-length integer, up to 19 bytes
/// decoded one at a time, and a hash is never small (the state holds a
/// few for every article and output file).
/// Use with `#[serde(with = "crate::keys::stored")]`.
pub mod stored {
    use super::Key;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

    /// Write a key as 16 bytes.
    pub fn serialize<S: Serializer>(key: &Key, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&key.to_le_bytes())
    }

    /// Read a key written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        d.deserialize_bytes(Bytes16).map(Key::from_le_bytes)
    }

    struct Bytes16;

    impl de::Visitor<'_> for Bytes16 {
        type Value = [u8; 16];

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a key's 16 bytes")
        }

        fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<[u8; 16], E> {
            bytes.try_into().map_err(|_| E::invalid_length(bytes.len(), &self))
        }
    }

    /// A key stored as its bytes, for [`option`].
    #[derive(Serialize, Deserialize)]
    struct Stored(#[serde(with = "super::stored")] Key);

    /// The same for an optional key: `#[serde(with = "crate::keys::stored::option")]`.
    pub mod option {
        use super::{Key, Stored};
        use serde::{Deserialize, Deserializer, Serialize, Serializer};

        /// Write an optional key, the key as 16 bytes.
        pub fn serialize<S: Serializer>(key: &Option<Key>, s: S) -> Result<S::Ok, S::Error> {
            key.map(Stored).serialize(s)
        }

        /// Read an optional key written by [`serialize`].
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Key>, D::Error> {
            Ok(Option::<Stored>::deserialize(d)?.map(|stored| stored.0))
        }
    }
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

    #[test]
    fn stored_keys_are_their_sixteen_bytes_and_read_back() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Record {
            #[serde(with = "stored")]
            key: Key,
            #[serde(with = "stored::option")]
            some: Option<Key>,
            #[serde(with = "stored::option")]
            none: Option<Key>,
        }
        let record = Record { key: u128::MAX - 1, some: Some(1), none: None };
        let bytes = postcard::to_stdvec(&record).unwrap();
        // A length byte and 16 bytes; the option's tag, its length and 16; a tag.
        assert_eq!(bytes.len(), 17 + 18 + 1);
        assert_eq!(&bytes[1..17], &(u128::MAX - 1).to_le_bytes());
        assert_eq!(postcard::from_bytes::<Record>(&bytes).unwrap(), record);
        assert!(postcard::from_bytes::<Record>(&bytes[..10]).is_err());
    }
}
