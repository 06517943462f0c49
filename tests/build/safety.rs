//! Security: content is escaped or sanitized, nothing is written outside
//! the output folder, and Gazette never replaces a folder it did not make.

use crate::common::{build, fixture, gazette, hrefs, list_files};

#[test]
fn raw_html_is_sanitized_and_front_matter_escaped() {
    let site = build("hostile");
    let files = list_files(&site.out);
    let article = files.iter().find(|f| f.starts_with("2025/02/02/") && f.matches('/').count() == 4).unwrap();
    let html = site.read(article);
    let body = &html[html.find("<main").unwrap()..];
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("onerror"), "{body}");
    assert!(!body.contains("javascript:"), "{body}");
    assert!(!body.contains("<iframe"), "{body}");
    // The headline's markup is shown as text, escaped.
    assert!(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; Headline</h1>"), "{html}");
    // Template syntax in a body is just text.
    assert!(body.contains("{{ site.title }}"), "{body}");
    // The harmless parts of the raw HTML survive.
    assert!(body.contains("<em>kept</em>"), "{body}");
}

#[test]
fn trusted_raw_html_passes_through() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("hostile"), dir.path());
    std::fs::write(dir.path().join("site.yaml"), "raw_html: trusted\n").unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let files = list_files(&dir.path().join("output"));
    let article = files.iter().find(|f| f.starts_with("2025/02/02/") && f.matches('/').count() == 4).unwrap();
    let html = std::fs::read_to_string(dir.path().join("output").join(article)).unwrap();
    assert!(html.contains("onerror"), "trusted HTML is not cleaned");
}

#[test]
fn explicit_slugs_cannot_climb_out_of_the_output() {
    let site = build("hostile");
    let files = list_files(&site.out);
    assert!(files.contains(&"2025/02/03/etc-passwd/index.html".to_string()), "{files:?}");
    let parent = site.out.parent().unwrap();
    // Only the output, and the build manifest Gazette keeps beside it.
    let outside: Vec<String> = list_files(parent)
        .into_iter()
        .filter(|f| !f.starts_with("output/") && !f.starts_with(".output.gazette-state/"))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}

#[test]
fn every_link_on_the_hostile_site_still_resolves() {
    let site = build("hostile");
    let broken = crate::common::broken_links(&site.out);
    assert!(broken.is_empty(), "{broken:?}");
    let home = site.page("index.html");
    assert!(hrefs(&home, "a").iter().all(|h| !h.starts_with("javascript")));
}

#[test]
fn refuses_an_output_folder_it_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("precious");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("thesis.docx"), "years of work").unwrap();
    let root = fixture("basic");
    let run = gazette(&["build", "--root", root.to_str().unwrap(), "--output", precious.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("was not written by Gazette"));
    assert_eq!(std::fs::read_to_string(precious.join("thesis.docx")).unwrap(), "years of work");

    let run = gazette(&["build", "--root", root.to_str().unwrap(), "--output", root.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(root.join("content").is_dir());
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for rel in list_files(from) {
        let target = to.join(&rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&rel), target).unwrap();
    }
}
