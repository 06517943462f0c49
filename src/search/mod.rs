//! Search: the archive's search index, built with the site, and the
//! script that searches it in the browser.
//!
//! Per article, [`terms_of`]: its text → its [`DocTerms`] (small and
//! serializable, so the build can keep them by content hash and tokenize
//! only the articles that changed).

mod code;
mod text;

pub use text::{DocTerms, Document, Language, MAX_WORD_CHARS, terms_of};
