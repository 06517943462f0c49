//! Search: the index built from a fixture site, searched by the browser
//! script in Node.js (`tests/search/*.test.mjs`).

// Until the build plans the index (issue 17), the module is compiled here.
#[path = "../src/search/mod.rs"]
#[allow(dead_code, reason = "the build, not yet wired, uses the rest of the module")]
mod search;
