//! The repository is itself an example site: build it and walk it the way
//! a reader would, starting from the sample wire story.

use std::path::Path;

use crate::common::{Built, broken_links, hrefs, list_files, now, text};

const SEED: &str = "2025/12/03/washington-and-moscow-talk-but-peace-in-ukraine-still-feels-far-away/";

fn build_example() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let options = gazette::BuildOptions {
        output: Some(out.clone()),
        ..gazette::BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")), now())
    };
    let report = gazette::build(&options).unwrap_or_else(|e| panic!("example site failed:\n{e}"));
    Built { _dir: dir, out, report }
}

#[test]
fn the_seed_story_is_at_its_dated_url_with_author_dateline_and_body() {
    let site = build_example();
    let page = site.page(&format!("{SEED}index.html"));
    assert_eq!(text(&page, "main h1"), "Washington and Moscow Talk, but Peace in Ukraine Still Feels Far Away");
    assert_eq!(text(&page, ".byline"), "By Ingrid Jones");
    assert_eq!(text(&page, ".dateline"), "U.S.A");
    assert_eq!(text(&page, ".story-meta time"), "December 3, 2025");
    let body = text(&page, ".story-body");
    assert!(body.starts_with("The latest round of discussions between the United States and Russia"), "{body}");
    assert!(body.ends_with("the war remains unsolved, and the suffering continues."), "{body}");
}

#[test]
fn the_seed_story_is_linked_from_its_day_month_year_and_author_pages() {
    let site = build_example();
    for (listing, prefix) in [
        ("2025/12/03/index.html", "../../../"),
        ("2025/12/index.html", "../../"),
        ("2025/index.html", "../"),
        ("authors/ingrid-jones/index.html", "../../"),
    ] {
        let mut found = false;
        let mut rel = listing.to_string();
        // Follow the listing's pagination until the story turns up.
        for _ in 0..20 {
            let page = site.page(&rel);
            let depth = rel.matches('/').count();
            let up = "../".repeat(depth);
            let target = format!("{up}{SEED}index.html");
            let links = hrefs(&page, ".story-card-title a");
            if links.iter().any(|h| normalize(&rel, h) == normalize("", &format!("{SEED}index.html")) || *h == target) {
                found = true;
                break;
            }
            match hrefs(&page, ".pagination a[rel=next]").first() {
                Some(next) => rel = normalize(&rel, next),
                None => break,
            }
        }
        assert!(found, "{listing} does not list the seed story (prefix {prefix})");
    }
}

/// Resolve `href` against the page at `from` (a file path), to a path from the root.
fn normalize(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[test]
fn the_example_has_enough_to_show_on_every_index() {
    let site = build_example();
    assert!(site.report.articles >= 12, "{} articles", site.report.articles);
    let authors = site.page("authors/index.html");
    assert!(hrefs(&authors, ".author-index a").len() >= 5);
    let archive = site.page("archive/index.html");
    assert!(hrefs(&archive, ".archive-year h2 a").len() >= 3, "several years");
    // Some stories are co-bylined.
    let files = list_files(&site.out);
    let co_bylined = files
        .iter()
        .filter(|f| f.ends_with("index.html") && f.matches('/').count() == 4)
        .filter(|f| site.read(f).contains("</a> and <a class=\"author\""))
        .count();
    assert!(co_bylined >= 2, "{co_bylined} co-bylined stories");
    // The draft stays out.
    assert!(!site.read("index.html").contains("DRAFT"));
}

#[test]
fn every_relative_link_of_the_example_resolves() {
    let site = build_example();
    let broken = broken_links(&site.out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}
