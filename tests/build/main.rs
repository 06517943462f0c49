//! Integration tests: build fixture sites (`tests/fixtures/<case>/`) into
//! temporary folders and check what a reader or a writer would notice.

#![allow(clippy::unwrap_used, reason = "a test that cannot get its input should fail loudly")]

mod authoring;
mod check;
mod common;
mod discovery;
mod durability;
mod edges;
mod errors;
mod example_site;
mod import;
mod incremental;
mod limits;
mod pages;
mod photo_files;
mod photos;
mod publishing;
mod redirects;
mod safety;
mod search;
mod snapshots;
#[path = "../shared/stamps.rs"]
mod stamps;
mod themes;
