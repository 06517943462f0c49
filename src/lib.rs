//! Gazette: a static site generator for news archives.
//!
//! A build runs these phases, each in its own module (see
//! `docs/architecture.md` for the values they hand each other):
//!
//! 1. [`load`]: `content/` → typed articles (wire copy or Markdown with
//!    front matter), every bad file reported with its line; unchanged
//!    files are taken from the previous build's [`state`];
//! 2. [`archive`]: article metadata → the archive's order and its indexes
//!    (years, months, days, authors) and every page's place ([`urls`]);
//! 3. [`plan`]: every output file, with the typed inputs its renderer
//!    reads and the key of those inputs;
//! 4. [`render`]: one page's inputs + theme → its bytes, pure;
//! 5. [`write`]: the files whose inputs changed → the output folder,
//!    staged beside it and brought in under a journal, so that no
//!    failure can leave it damaged past the next build.
//!
//! [`build()`] runs them in that order ([`build::run`]). With the `serve`
//! feature (on by default), `serve` previews a site: it builds it into a
//! folder of its own, serves it over HTTP and rebuilds on every change.

pub mod archive;
pub mod authoring;
pub mod build;
pub mod check;
pub mod config;
pub mod error;
pub mod fsx;
pub mod html;
pub mod import;
pub mod keys;
pub mod limits;
pub mod load;
pub mod markdown;
pub mod path_index;
pub mod photos;
pub mod plan;
pub mod render;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod slug;
pub mod state;
pub mod urls;
pub mod write;

#[cfg(test)]
mod testing;

pub use build::{BuildOptions, BuildReport, Built, FailedPage, counted};
pub use error::{Diagnostic, Error, Result};

/// Build the site: load → archive → plan → render → write (see [`build::run`]).
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let built = build::run(options)?;
    // Freeing a big archive's millions of small allocations takes a while,
    // and the build's result does not wait for it.
    build::drop_in_background((built.archive, built.held, built.links));
    Ok(built.report)
}
