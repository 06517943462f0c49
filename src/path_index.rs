//! Find an item of a list by the path it carries, without a second copy
//! of every path: a hash table of positions into the list.
//!
//! A helper of the load and archive phases: the previous build's articles
//! (`state::Sources`) and the archive's entries are both looked up by
//! their source path inside `content/`.

use std::hash::BuildHasher;

/// Positions in a list, found by each item's path.
#[derive(Debug, Clone, Default)]
pub struct PathIndex(hashbrown::HashTable<usize>);

fn hash(path: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(path)
}

impl PathIndex {
    /// Index `len` items whose paths `path_of` gives; where two share a
    /// path, the later one is found.
    pub fn new<'a>(len: usize, path_of: impl Fn(usize) -> &'a str) -> PathIndex {
        let mut table = hashbrown::HashTable::with_capacity(len);
        for i in 0..len {
            let path = path_of(i);
            match table.entry(hash(path), |&j| path_of(j) == path, |&j| hash(path_of(j))) {
                hashbrown::hash_table::Entry::Occupied(mut e) => *e.get_mut() = i,
                hashbrown::hash_table::Entry::Vacant(e) => {
                    e.insert(i);
                }
            }
        }
        PathIndex(table)
    }

    /// The position of the item at `path`, given the same `path_of`.
    pub fn find<'a>(&self, path: &str, path_of: impl Fn(usize) -> &'a str) -> Option<usize> {
        self.0.find(hash(path), |&i| path_of(i) == path).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_path_and_the_later_of_two_equal_ones() {
        let paths = ["b.md", "a.md", "2025/c.md", "a.md"];
        let index = PathIndex::new(paths.len(), |i| paths[i]);
        assert_eq!(index.find("b.md", |i| paths[i]), Some(0));
        assert_eq!(index.find("2025/c.md", |i| paths[i]), Some(2));
        assert_eq!(index.find("a.md", |i| paths[i]), Some(3));
        assert_eq!(index.find("missing.md", |i| paths[i]), None);
    }
}
