//! Check phase: a site in, its problems out, nothing written to `output/`.
//!
//! [`links`] checks the references of a built site.

pub mod links;
