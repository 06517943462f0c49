//! Search: an index built from a fixture, searched by the browser's own
//! script (`src/search/assets/search.js`) in Node.js: the tests in
//! `tests/search/*.test.mjs`, run here so that they load files the Rust
//! side really wrote.
//!
//! Without Node.js the tests print a loud `SKIPPED` and pass, unless
//! `GAZETTE_REQUIRE_BROWSER=1` (as in CI), where they fail.

// Until the build plans the index (issue 17), the module is compiled here.
#[path = "../src/search/mod.rs"]
#[allow(dead_code, unused_imports, reason = "the build, not yet wired, uses the rest of the module")]
mod search;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use gazette::slug::Slug;
use search::{DocMeta, DocTerms, Document, Facet, FacetValue, Index, Language, SearchFile};
use serde::Deserialize;

/// An article of `tests/search/fixture.json`.
#[derive(Deserialize)]
struct Fixture {
    key: String,
    headline: String,
    date: NaiveDate,
    byline: Vec<String>,
    dateline: String,
    standfirst: String,
    body: String,
    section: String,
    tags: Vec<String>,
}

fn value(label: &str) -> FacetValue {
    let slug = Slug::from_text(label).map(|s| s.as_str().to_string()).unwrap_or_default();
    FacetValue { slug, label: label.to_string() }
}

impl Fixture {
    fn terms(&self) -> DocTerms {
        let byline: Vec<&str> = self.byline.iter().map(String::as_str).collect();
        let doc = Document {
            headline: &self.headline,
            standfirst: &self.standfirst,
            byline: &byline,
            dateline: &self.dateline,
            body: &self.body,
        };
        search::terms_of(&doc, &Language::from_tag("en"))
    }

    fn meta(&self) -> DocMeta {
        let mut facets: Vec<(Facet, FacetValue)> = self.byline.iter().map(|a| (Facet::Author, value(a))).collect();
        if !self.dateline.is_empty() {
            facets.push((Facet::Place, value(&self.dateline)));
        }
        if !self.section.is_empty() {
            facets.push((Facet::Section, value(&self.section)));
        }
        facets.extend(self.tags.iter().map(|t| (Facet::Tag, value(t))));
        let page = self.key.trim_end_matches(".md");
        DocMeta {
            key: self.key.clone(),
            headline: self.headline.clone(),
            url: format!("../{page}/index.html"),
            date: self.date,
            date_text: self.date.format("%B %-d, %Y").to_string(),
            byline: self.byline.join(" and "),
            dateline: self.dateline.clone(),
            excerpt: if self.standfirst.is_empty() { self.body.clone() } else { self.standfirst.clone() },
            facets,
        }
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> Vec<Fixture> {
    let text = std::fs::read_to_string(repo().join("tests/search/fixture.json")).expect("read the fixture");
    serde_json::from_str(&text).expect("parse the fixture")
}

/// Write the index files under `dir`, as the build would under the output.
fn write(files: &[SearchFile], dir: &Path) {
    for file in files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the folder");
        std::fs::write(path, &file.bytes).expect("write an index file");
    }
}

/// Run a Node test file with `env` set; `false` when Node is missing (and allowed to be).
fn node_test(file: &str, env: &[(&str, &Path)]) -> bool {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(std::env::var_os("GAZETTE_REQUIRE_BROWSER").is_none(), "node not found, and GAZETTE_REQUIRE_BROWSER is set");
        eprintln!("SKIPPED: the search script's tests need node (install Node.js 20 or later)");
        return false;
    }
    let mut command = Command::new("node");
    command.args(["--test", "--test-reporter=spec", file]).current_dir(repo());
    for (name, value) in env {
        command.env(name, value);
    }
    let run = command.output().expect("run node");
    let out = String::from_utf8_lossy(&run.stdout);
    println!("{out}");
    assert!(run.status.success(), "{file} failed:\n{out}\n{}", String::from_utf8_lossy(&run.stderr));
    true
}

#[test]
fn the_browser_script_searches_an_index_built_from_a_fixture() {
    let articles = fixture();
    let terms: Vec<DocTerms> = articles.iter().map(Fixture::terms).collect();
    let files = Index::build(articles.iter().map(Fixture::meta).zip(&terms));
    let dir = tempfile::tempdir().expect("temp dir");
    write(&files, dir.path());
    // The folds the index made, for the browser's to be compared with.
    let words = ["Zürich", "ØDEGAARD", "Straße", "Αθήνα", "Київ", "Don’t", "ÉLECTIONS"];
    let folds: Vec<(&str, String)> = words.iter().map(|w| (*w, search_fold(w))).collect();
    std::fs::write(dir.path().join("folds.json"), serde_json::to_string(&folds).expect("json")).expect("write");
    node_test("tests/search/client.test.mjs", &[("GAZETTE_SEARCH_SITE", dir.path())]);
}

/// A word as the index folds it: the terms of a headline of one word, without stemming.
fn search_fold(word: &str) -> String {
    let doc = Document { headline: word, ..Document::default() };
    let terms = search::terms_of(&doc, &Language::from_tag("none"));
    terms.terms().next().map(|(t, _)| t.to_string()).unwrap_or_default()
}

#[allow(dead_code, reason = "used by the relevance test")]
fn corpus_script() -> PathBuf {
    repo().join("../shared/bench/gen_corpus.py")
}
