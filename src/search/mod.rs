//! Search: the archive's search index, built with the site, and the
//! script that searches it in the browser.
//!
//! Two steps, both pure:
//!
//! 1. per article, [`terms_of`]: its text → its [`DocTerms`] (small and
//!    serializable, so the build can keep them by content hash and
//!    tokenize only the articles that changed);
//! 2. for the site, [`Index::build`]: every article's [`DocMeta`] and
//!    terms → the index files ([`SearchFile`]), under [`FOLDER`].
//!
//! `assets/search.js` reads them in the browser. The format and its limits
//! are described in `docs/search.md`.

mod code;
mod index;
mod text;
mod vocabulary;

pub use index::{DocMeta, FOLDER, Facet, FacetValue, Index, SearchFile};
pub use text::{DocTerms, Document, Language, MAX_WORD_CHARS, forget_words, terms_of};

/// The search script, for the search page.
pub const SCRIPT: &str = include_str!("assets/search.js");
