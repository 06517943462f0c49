//! Search: the archive's search index, built with the site, and the
//! script that searches it in the browser.
//!
//! Two steps, both pure:
//!
//! 1. per article, [`terms_of`]: its text → its [`DocTerms`] (small and
//!    serializable, so the build can keep them by content hash and
//!    tokenize only the articles that changed);
//! 2. for the site, [`Index::build`]: every article's [`Doc`] (its key,
//!    day and terms) and [`DocMeta`] (what a result shows, asked for a
//!    chunk at a time) → the index files ([`SearchFile`]), under [`FOLDER`].
//!
//! `assets/search.js` reads them in the browser. The format and its limits
//! are described in `docs/search.md`.

mod code;
mod index;
mod patch;
mod text;
pub mod vocabulary;

pub use index::{
    Built, ChunkRecord, Doc, DocMeta, FOLDER, Facet, FacetGroup, FacetValue, Facets, Index, KnownShards, MetaChunk,
    SearchFile, ShardsRecord, meta_chunk,
};
pub use text::{DocTerms, Document, Language, MAX_WORD_CHARS, RULES, forget_words, terms_of};

/// The search script, for the search page.
pub const SCRIPT: &str = include_str!("assets/search.js");
