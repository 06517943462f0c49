//! Integration tests of `gazette serve`: each starts the real binary on
//! port 0 against a copy of a fixture site (`tests/fixtures/serve/`) and
//! talks to it over HTTP: a real client (ureq) for what browsers do, raw
//! request lines over TCP for what attackers do (clients tidy `..` away),
//! and stops it as Ctrl-C does.

#![allow(clippy::unwrap_used, reason = "a test that cannot get its input should fail loudly")]

mod common;
mod http;
mod lifecycle;
mod reload;
mod safety;
#[path = "../shared/stamps.rs"]
mod stamps;
