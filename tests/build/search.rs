//! Search in the built site: the search page at its URL, the box on every
//! page pointing at it, the index written beside it (hostile text kept
//! inside its strings), `search: false` writing none of it, and an edit
//! rewriting only the index files that hold what changed.

use std::path::Path;

use scraper::{Html, Selector};

use crate::common::{build, build_changed, hrefs, list_files, write};

const SEARCH: &str = "search/index.html";

/// The folder of an output file (`a/b/index.html` → `a/b`).
fn folder(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Where a relative link from the page `from` leads, inside the output.
fn resolve(from: &str, href: &str) -> String {
    let href = href.split(['?', '#']).next().unwrap_or_default();
    gazette::urls::join(folder(from), href).unwrap_or_else(|| panic!("{href} climbs out of the output from {from}"))
}

fn attr(html: &Html, css: &str, name: &str) -> String {
    let selector = Selector::parse(css).unwrap();
    let element = html.select(&selector).next().unwrap_or_else(|| panic!("no {css}"));
    element.value().attr(name).unwrap_or_else(|| panic!("{css} has no {name}")).to_string()
}

#[test]
fn the_search_page_loads_its_script_and_index_by_relative_links() {
    for theme in ["default", "broadsheet"] {
        let site = build_changed("basic", |root| {
            write(&root.join("site.yaml"), &format!("title: Test Times\nper_page: 2\ntheme: {theme}\n"));
        });
        let page = site.page(SEARCH);
        let script = resolve(SEARCH, &attr(&page, "main script", "src"));
        assert_eq!(script, "search/search.js", "{theme}");
        assert_eq!(site.read(&script), gazette::search::SCRIPT, "{theme}: the script as it is in the source");
        let index = resolve(SEARCH, &attr(&page, "[data-gazette-search]", "data-index"));
        assert!(site.exists(&format!("{index}/root.js")), "{theme}: no root.js in {index}");
        assert_eq!(attr(&page, "[data-gazette-search]", "data-per-page"), "2");
        // The page's own form searches again on the same page.
        let form = attr(&page, "main form[role=search]", "action");
        assert_eq!(resolve(SEARCH, &form), SEARCH);
        assert_eq!(attr(&page, "main form input[type=search]", "name"), "q");
        // Without JavaScript: a message and the way to the archive.
        let html = site.read(SEARCH);
        let noscript = &html[html.find("<noscript>").expect("a <noscript>")..];
        assert!(noscript.contains("needs JavaScript"), "{theme}: {noscript}");
        assert!(hrefs(&page, "noscript a").is_empty(), "(scraper reads <noscript> as text)");
        assert!(noscript.contains("href=\"../archive/index.html\""), "{theme}: {noscript}");
    }
}

#[test]
fn every_page_has_a_search_box_that_leads_to_the_search_page() {
    for theme in ["default", "broadsheet"] {
        let site = build_changed("basic", |root| {
            write(&root.join("site.yaml"), &format!("title: Test Times\nper_page: 2\ntheme: {theme}\n"));
        });
        let pages: Vec<String> = list_files(&site.out).into_iter().filter(|f| f.ends_with(".html")).collect();
        assert!(pages.len() > 15, "{pages:?}");
        for rel in pages.iter().filter(|p| *p != SEARCH && *p != "404.html") {
            let page = site.page(rel);
            let action = attr(&page, "header form[role=search]", "action");
            assert_eq!(resolve(rel, &action), SEARCH, "{theme}: {rel}");
            assert_eq!(attr(&page, "header form[role=search]", "method"), "get", "{theme}: {rel}");
            assert_eq!(attr(&page, "header form input[type=search]", "name"), "q", "{theme}: {rel}");
        }
        // 404.html is served at any URL: its links start at the domain root.
        let action = attr(&site.page("404.html"), "header form[role=search]", "action");
        assert_eq!(action, "/search/index.html", "{theme}");
    }
}

/// Every index file: its path and the JSON value it hands the script.
fn index_files(out: &Path) -> Vec<(String, serde_json::Value)> {
    list_files(out)
        .into_iter()
        .filter(|f| f.starts_with("search/index/"))
        .map(|rel| {
            let text = std::fs::read_to_string(out.join(&rel)).unwrap();
            let args = text.strip_prefix("gazetteSearch.add(").and_then(|t| t.strip_suffix(");\n"));
            let args = args.unwrap_or_else(|| panic!("{rel} is not one call: {text}"));
            let value: serde_json::Value =
                serde_json::from_str(&format!("[{args}]")).unwrap_or_else(|e| panic!("{rel}: {e}"));
            (rel, value[2].clone())
        })
        .collect()
}

#[test]
fn the_index_holds_every_article_with_its_page_and_filters() {
    let site = build("basic");
    let files = index_files(&site.out);
    let root = &files.iter().find(|(f, _)| f == "search/index/root.js").expect("root.js").1;
    assert_eq!(root["docs"], 5);
    let facet = |name: &str| -> Vec<String> {
        let facets = root["facets"].as_array().unwrap();
        let facet = facets.iter().find(|f| f["name"] == name).unwrap_or_else(|| panic!("no {name} in {root}"));
        facet["values"].as_array().unwrap().iter().map(|v| format!("{}={}", v[0], v[2])).collect()
    };
    assert!(facet("author").contains(&"\"bo-chen\"=2".to_string()), "{:?}", facet("author"));
    assert!(facet("tag").contains(&"\"transport\"=1".to_string()), "{:?}", facet("tag"));
    // Each result links to its article page, relative to the search page.
    let records: Vec<&serde_json::Value> =
        files.iter().filter(|(f, _)| f.contains("/m/")).flat_map(|(_, v)| v.as_array().unwrap()).collect();
    assert_eq!(records.len(), 5);
    for record in records {
        let page = resolve(SEARCH, record[2].as_str().unwrap());
        assert!(site.exists(&page), "{record} links to {page}, which is not there");
        let headline = record[1].as_str().unwrap().replace('&', "&amp;");
        assert!(site.read(&page).contains(&format!("<title>{headline}")), "{page} is not {headline}");
    }
}

#[test]
fn a_filter_value_is_named_as_its_page_names_it() {
    // Bo Chen's two stories spell the name so; the newest says "BO CHEN".
    // The author page shows the spelling most used, and so does the filter.
    let site = build_changed("basic", |root| {
        let story = "Harbour Lights Return\n- BO CHEN\n- Oslo\n- December 20, 2025\nThe lights came back on.\n";
        write(&root.join("content/2025/12/lights.txt"), story);
    });
    let heading = Selector::parse("h1").unwrap();
    let page = site.page("authors/bo-chen/index.html");
    let shown: String = page.select(&heading).next().expect("an <h1>").text().collect();
    assert_eq!(shown.trim(), "Bo Chen");
    let files = index_files(&site.out);
    let root = &files.iter().find(|(f, _)| f == "search/index/root.js").expect("root.js").1;
    let authors = root["facets"].as_array().unwrap().iter().find(|f| f["name"] == "author").expect("authors");
    let bo = authors["values"].as_array().unwrap().iter().find(|v| v[0] == "bo-chen").expect("bo-chen");
    assert_eq!((&bo[1], &bo[2]), (&serde_json::json!("Bo Chen"), &serde_json::json!(3)), "{authors}");
}

#[test]
fn hostile_text_stays_inside_the_index_strings() {
    let site = build("hostile");
    let files = index_files(&site.out);
    let records: Vec<&serde_json::Value> =
        files.iter().filter(|(f, _)| f.contains("/m/")).flat_map(|(_, v)| v.as_array().unwrap()).collect();
    let record = records.iter().find(|r| r[1].as_str().unwrap().contains("alert(1)")).expect("the hostile article");
    assert_eq!(record[1], "<script>alert(1)</script> Headline");
    assert_eq!(record[5], "Eve <b>Mallory</b>");
    assert_eq!(record[6], "\"Quoted\" & <Place>");
}

#[test]
fn search_false_writes_no_index_no_page_and_no_box() {
    let site = build_changed("basic", |root| {
        write(&root.join("site.yaml"), "title: Test Times\nper_page: 2\nsearch: false\n");
    });
    let files = list_files(&site.out);
    assert!(!files.iter().any(|f| f.starts_with("search/")), "{files:?}");
    for rel in files.iter().filter(|f| f.ends_with(".html")) {
        assert!(!site.read(rel).contains("role=\"search\""), "{rel} has a search box");
    }
}
