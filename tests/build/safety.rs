//! Security: content is escaped or sanitized, nothing is written outside
//! the output folder, and Gazette never replaces a folder it did not make.

use crate::common::{build, copy_dir, fixture, gazette, hrefs, list_files, now, write};

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

    // A layout where a slug taken as written would escape: article pages
    // at the output's root (`{slug}/`), the output two folders down, and
    // slugs that climb far enough, name an absolute path, or climb with
    // backslashes.
    let dir = tempfile::tempdir().unwrap();
    let top = dir.path();
    let root = top.join("site");
    let out = top.join("deep/down/output");
    write(&root.join("site.yaml"), "title: T\npermalink: \"{slug}/\"\n");
    let slugs = [
        ("climb", "../../../escaped".to_string()),
        ("absolute", top.join("absolute").display().to_string()),
        ("backslashes", "..\\..\\..\\backslashed".to_string()),
    ];
    for (name, slug) in &slugs {
        let text = format!("---\ntitle: {name}\ndate: 2025-02-03\nslug: {slug:?}\n---\nNothing to see.\n");
        write(&root.join(format!("content/{name}.md")), &text);
    }
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(&root, now()) };
    assert_eq!(gazette::build(&options).unwrap().articles, slugs.len());
    // Everything an escape could reach, from the temporary folder down:
    // only the sources, the output and the build state Gazette keeps
    // beside it.
    let outside: Vec<String> = list_files(top)
        .into_iter()
        .filter(|f| {
            !f.starts_with("site/")
                && !f.starts_with("deep/down/output/")
                && !f.starts_with("deep/down/.output.gazette-state/")
        })
        .collect();
    assert!(outside.is_empty(), "written outside the output: {outside:?}");
    let pages: Vec<String> = list_files(&out).into_iter().filter(|f| f.matches('/').count() == 1).collect();
    assert!(pages.contains(&"escaped/index.html".to_string()), "{pages:?}");
    assert!(pages.contains(&"backslashed/index.html".to_string()), "{pages:?}");
    assert_eq!(pages.iter().filter(|p| p.ends_with("absolute/index.html")).count(), 1, "{pages:?}");
}

#[test]
fn every_link_on_the_hostile_site_still_resolves() {
    let site = build("hostile");
    let broken = crate::common::broken_links(&site.out);
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn no_page_links_to_javascript() {
    let site = build("hostile");
    // The article holds the `javascript:` links, in Markdown and in raw HTML.
    let article = "2025/02/02/script-alert-1-script-headline/index.html";
    let links = scraper::Selector::parse(".story-body a").unwrap();
    let texts: Vec<String> = site.page(article).select(&links).map(|a| a.text().collect()).collect();
    assert_eq!(texts, ["click me", "this"], "the links are kept, as text");
    for rel in list_files(&site.out).into_iter().filter(|f| f.ends_with(".html")) {
        let links = hrefs(&site.page(&rel), "a, area");
        assert!(!links.iter().any(|h| h.trim().to_ascii_lowercase().starts_with("javascript")), "{rel}: {links:?}");
    }
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
