//! The loader on any bytes, as wire copy and as Markdown with front
//! matter (YAML or TOML, dates, bylines): it loads, or gives problems that
//! each name a line; it never panics. (libFuzzer's `-timeout` catches
//! inputs that take too long.)

#![no_main]

use std::path::Path;

use gazette::load::{self, Source, SourceKind};

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let options = gazette::config::Config::default().load_options();
    for (rel, kind) in
        [("2025/12/03-story.txt", SourceKind::Wire), ("2025/12/2025-12-03-story.md", SourceKind::Markdown)]
    {
        let source = Source { rel: rel.into(), path: rel.into(), kind };
        if let Err(problems) = load::parse_article(&source, bytes, Path::new(rel), &options) {
            assert!(!problems.is_empty());
            assert!(problems.iter().all(|p| p.line >= 1), "{problems:?}");
        }
    }
});
