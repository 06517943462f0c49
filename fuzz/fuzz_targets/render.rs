//! A Markdown body (raw HTML and all) to HTML, sanitized and trusted,
//! under small limits so they are reached: it renders or is refused at a
//! place inside the body; it never panics, and sanitized output never
//! holds a script.

#![no_main]

use gazette::config::{Limits, RawHtml};
use gazette::markdown::{self, Links, Target};

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let body = String::from_utf8_lossy(bytes);
    let target =
        |path: &str| if path.ends_with(".md") { Target::Page("2025/01/01/other/".into()) } else { Target::File };
    let links = Links { source_dir: "2025/12", page_dir: "2025/12/03/story/", target: &target, absolute: None };
    let limits = Limits { html_depth: 64, body_mb: 1, ..Limits::default() };
    for policy in [RawHtml::Sanitize, RawHtml::Trusted] {
        match markdown::render(&body, &links, policy, &limits) {
            Ok(rendered) => {
                assert!(rendered.html.len() <= 1024 * 1024);
                if policy == RawHtml::Sanitize {
                    assert!(!rendered.html.to_ascii_lowercase().contains("<script"), "{}", rendered.html);
                }
            }
            Err(refused) => assert!(refused.offset <= body.len(), "{refused:?}"),
        }
    }
});
