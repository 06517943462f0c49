//! Search: an index built from a fixture, searched by the browser's own
//! script (`src/search/assets/search.js`) in Node.js: the tests in
//! `tests/search/*.test.mjs`, run here so that they load files the Rust
//! side really wrote.
//!
//! Without Node.js the tests print a loud `SKIPPED` and pass, unless
//! `GAZETTE_REQUIRE_BROWSER=1` (as in CI), where they fail.

use gazette::search;

#[path = "search/articles.rs"]
mod articles;

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use gazette::slug::Slug;
use search::{Doc, DocMeta, DocTerms, Document, Facet, FacetValue, Index, Language, SearchFile};
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

fn value(label: &str) -> FacetValue<'static> {
    let slug = Slug::from_text(label).map(|s| s.as_str().to_string()).unwrap_or_default();
    FacetValue { slug: slug.into(), label: label.to_string().into() }
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

    fn doc<'a>(&'a self, terms: &'a DocTerms) -> Doc<'a> {
        Doc { key: &self.key, date: self.date, terms, shows: gazette::keys::of_hash(&self.meta()) }
    }

    fn meta(&self) -> DocMeta<'_> {
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
            headline: self.headline.as_str().into(),
            url: format!("../{page}/index.html"),
            date_text: self.date.format("%B %-d, %Y").to_string(),
            byline: self.byline.join(" and ").into(),
            dateline: self.dateline.as_str().into(),
            excerpt: if self.standfirst.is_empty() { &self.body } else { &self.standfirst }.into(),
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
        assert!(
            std::env::var_os("GAZETTE_REQUIRE_BROWSER").is_none(),
            "node not found, and GAZETTE_REQUIRE_BROWSER is set"
        );
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
    let docs: Vec<Doc> = articles.iter().zip(&terms).map(|(a, t)| a.doc(t)).collect();
    let meta = |i: usize| articles[i].meta();
    let files = Index::build(&docs, |i| meta(i).facets).all_files(&docs, meta);
    let dir = tempfile::tempdir().expect("temp dir");
    write(&files, dir.path());
    // The folds the index made, for the browser's to be compared with.
    let words = ["Zürich", "ØDEGAARD", "Straße", "Αθήνα", "Київ", "Don’t", "ÉLECTIONS"];
    let folds: Vec<(&str, String)> = words.iter().map(|w| (*w, search_fold(w))).collect();
    std::fs::write(dir.path().join("folds.json"), serde_json::to_string(&folds).expect("json")).expect("write");
    node_test("tests/search/client.test.mjs", &[("GAZETTE_SEARCH_SITE", dir.path())]);
}

/// The browser's decoders read the vectors whose encoding
/// `search::code`'s own test checks (tests/search/codes.json).
#[test]
fn the_browser_script_decodes_what_the_index_encodes() {
    node_test("tests/search/codes.test.mjs", &[]);
}

#[test]
fn the_browser_script_searches_the_index_a_site_build_wrote() {
    let dir = tempfile::tempdir().expect("temp dir");
    let built = |case: &str| {
        let out = dir.path().join(case);
        let root = repo().join("tests/fixtures").join(case);
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").expect("a date");
        let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(root, now) };
        gazette::build(&options).unwrap_or_else(|e| panic!("build of {case}: {e}"));
        out
    };
    let (site, hostile) = (built("basic"), built("hostile"));
    node_test("tests/search/site.test.mjs", &[("GAZETTE_SEARCH_SITE", &site), ("GAZETTE_SEARCH_HOSTILE", &hostile)]);
}

/// The first term of an article's, or `""`.
fn first_term(terms: &DocTerms) -> String {
    let mut first = None;
    terms.each_term(|t, _| {
        first.get_or_insert_with(|| t.to_string());
    });
    first.unwrap_or_default()
}

/// A word as the index folds it: the terms of a headline of one word, without stemming.
fn search_fold(word: &str) -> String {
    let doc = Document { headline: word, ..Document::default() };
    let terms = search::terms_of(&doc, &Language::from_tag("none"));
    first_term(&terms)
}

/// A query of the distinctive words of a story's headline (the three
/// fewest articles have), and the story it should find.
#[derive(serde::Serialize)]
struct Case {
    q: String,
    url: String,
    headline: String,
}

#[test]
fn a_headlines_distinctive_words_find_its_story_in_the_top_three() {
    let script = repo().join("../shared/bench/gen_corpus.py");
    if !script.exists() {
        assert!(std::env::var_os("GAZETTE_REQUIRE_BROWSER").is_none(), "{} is missing", script.display());
        return eprintln!("SKIPPED: the relevance test needs {}", script.display());
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("site/content");
    let made = Command::new("python3")
        .arg(&script)
        .args(["--count", "3000", "--format", "md", "--taxonomies", "--seed", "17", "--out"])
        .arg(&content)
        .output()
        .expect("run python3");
    assert!(made.status.success(), "gen_corpus.py: {}", String::from_utf8_lossy(&made.stderr));

    let (config, loaded) = articles::load_site(&dir.path().join("site"));
    let lang = Language::from_tag(&config.language);
    let terms: Vec<DocTerms> = loaded.iter().map(|a| articles::terms(a, &lang)).collect();
    let metas: Vec<DocMeta> = loaded.iter().map(|a| articles::meta(&a.meta, &config)).collect();
    let docs: Vec<Doc> =
        loaded.iter().zip(&terms).zip(&metas).map(|((a, t), m)| articles::doc(&a.meta, t, m)).collect();
    let meta = |i: usize| metas[i].clone();
    write(&Index::build(&docs, |i| meta(i).facets).all_files(&docs, meta), &dir.path().join("out"));

    // Each headline's terms, and the headlines having each term.
    let headline_terms: Vec<Vec<(String, String)>> = metas.iter().map(|m| headline_words(&m.headline, &lang)).collect();
    let mut having: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, words) in headline_terms.iter().enumerate() {
        for (_, term) in words {
            having.entry(term).or_default().push(i);
        }
    }
    // The distinctive words: added one by one, each the word that leaves
    // the fewest other headlines with every word chosen, up to four.
    let cases: Vec<Case> = (0..metas.len())
        .step_by(10)
        .filter_map(|i| {
            let words = &headline_terms[i];
            let mut chosen: Vec<usize> = Vec::new();
            let mut left: Vec<usize> = (0..metas.len()).collect();
            while left.len() > 1 && chosen.len() < 4 {
                let (best, rest) = (0..words.len())
                    .filter(|w| !chosen.contains(w))
                    .map(|w| {
                        (
                            w,
                            left.iter()
                                .copied()
                                .filter(|h| having[words[w].1.as_str()].binary_search(h).is_ok())
                                .collect::<Vec<_>>(),
                        )
                    })
                    .min_by_key(|(w, rest)| (rest.len(), *w))?;
                chosen.push(best);
                left = rest;
            }
            // Stories whose headline others share word for word are not distinctive.
            (left == [i]).then(|| {
                chosen.sort_unstable();
                let q = chosen.iter().map(|&w| words[w].0.as_str()).collect::<Vec<_>>().join(" ");
                Case { q, url: metas[i].url.clone(), headline: metas[i].headline.to_string() }
            })
        })
        .collect();
    assert!(cases.len() > 250, "{} stories with a headline of their own", cases.len());
    let cases_file = dir.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_string(&cases).expect("json")).expect("write the cases");
    node_test(
        "tests/search/relevance.test.mjs",
        &[("GAZETTE_SEARCH_SITE", &dir.path().join("out")), ("GAZETTE_SEARCH_CASES", &cases_file)],
    );
}

/// The words of a headline, as written and as terms, each term once, in order.
fn headline_words(headline: &str, lang: &Language) -> Vec<(String, String)> {
    let mut seen = std::collections::HashSet::new();
    unicode_segmentation::UnicodeSegmentation::unicode_words(headline)
        .filter_map(|w| {
            let doc = Document { headline: w, ..Document::default() };
            let term = first_term(&search::terms_of(&doc, lang));
            if term.is_empty() {
                return None;
            }
            seen.insert(term.clone()).then(|| (w.to_string(), term))
        })
        .collect()
}
