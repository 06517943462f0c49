//! Old addresses kept alive (issue 18): an article's `aliases` become
//! redirect pages at the old paths, `_redirects` lines for hosts that
//! redirect, and the home page's map of old `?p=ID` addresses; an alias
//! that takes another file's place, or climbs out of the output, stops the
//! build with both files named.

use std::path::{Path, PathBuf};

use scraper::Html;

use crate::common::{fixture, gazette, list_files, now, stdout, text, write};

/// A site in a temporary folder: `site.yaml` and articles (path inside
/// `content/`, text).
fn site(yaml: &str, articles: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("site/site.yaml"), yaml);
    for (rel, text) in articles {
        write(&dir.path().join("site/content").join(rel), text);
    }
    dir
}

/// Build `dir`'s site into `dir/output`.
fn build(dir: &Path) -> gazette::Result<gazette::BuildReport> {
    let options = gazette::BuildOptions {
        output: Some(dir.join("output")),
        ..gazette::BuildOptions::new(dir.join("site"), now())
    };
    gazette::build(&options)
}

/// The build's problems, one `path:line:col: message` each.
fn problems(dir: &Path) -> Vec<String> {
    match build(dir) {
        Ok(_) => panic!("the build should have failed"),
        Err(gazette::Error::Input(list)) => list.iter().map(ToString::to_string).collect(),
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

const QUAY: &str = "---\ntitle: Quay Reopens\ndate: 2025-10-20\naliases:\n  - /archives/101\n  - /old/quay.html\n  \
                    - https://example.org/news/2019/quay/\n  - /?p=101\n---\n\nThe quay is open.\n";
const CRANE: &str = "---\ntitle: Crane <Arrives> & \"Lifts\"\ndate: 2025-11-02\n\
                     aliases: [\"/?p=102\", \"https://elsewhere.org/crane/\"]\n---\n\nA crane.\n";

fn news_site(base: &str) -> tempfile::TempDir {
    let yaml = format!("title: Harbour\nper_page: 1\n{base}");
    site(&yaml, &[("2025/10/quay.md", QUAY), ("2025/11/crane.md", CRANE)])
}

/// Where an old address lands, from `out`: the file a reader ends on
/// (following a redirect page's refresh, or the home page's map for
/// `?p=ID`), relative to the output.
fn land(out: &Path, old: &str) -> PathBuf {
    if let Some(id) = old.strip_prefix("/?p=") {
        let home = std::fs::read_to_string(out.join("index.html")).unwrap();
        let map = old_ids(&home).unwrap_or_else(|| panic!("no ?p= map on the home page"));
        let target = map[id].as_str().unwrap_or_else(|| panic!("?p={id} is not in the map {map}"));
        return resolve("", target);
    }
    let path = old.trim_start_matches('/');
    let file = if path.ends_with(".html") { path.to_string() } else { format!("{path}/index.html") };
    let html = std::fs::read_to_string(out.join(&file)).unwrap_or_else(|e| panic!("{old}: {file}: {e}"));
    match refresh_of(&html) {
        Some(url) => resolve(&file[..file.rfind('/').map_or(0, |i| i + 1)], &url),
        None => PathBuf::from(file),
    }
}

/// The `url=` of a page's meta refresh.
fn refresh_of(html: &str) -> Option<String> {
    let page = Html::parse_document(html);
    let selector = scraper::Selector::parse("meta[http-equiv=refresh]").unwrap();
    let content = page.select(&selector).next()?.value().attr("content")?.to_string();
    Some(content.split_once("url=")?.1.to_string())
}

/// The home page's map of old `?p=ID` addresses, if it has one.
fn old_ids(home: &str) -> Option<serde_json::Value> {
    let start = home.find("var m=")? + "var m=".len();
    let end = start + home[start..].find(",p=new URLSearchParams")?;
    Some(serde_json::from_str(&home[start..end]).unwrap())
}

/// A relative URL resolved from a folder of the output; it must stay inside.
fn resolve(folder: &str, url: &str) -> PathBuf {
    assert!(!url.starts_with('/') && !url.contains("://"), "{url} is not relative");
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    for segment in url.split('/') {
        match segment {
            ".." => assert!(parts.pop().is_some(), "{url} climbs out of the output from {folder}"),
            "" | "." => {}
            s => parts.push(s),
        }
    }
    PathBuf::from(parts.join("/"))
}

/// The headline of the article page at `file`.
fn headline(out: &Path, file: &Path) -> String {
    let html = std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    text(&Html::parse_document(&html), "h1")
}

#[test]
fn each_old_path_gets_a_page_that_leads_relatively_to_its_story() {
    let twice = QUAY.replace("  - /old/quay.html\n", "  - /old/quay.html\n  - /archives/101/\n");
    let yaml = "title: Harbour\nper_page: 1\nbase_url: https://example.org/news/\n";
    let dir = site(yaml, &[("2025/10/quay.md", &twice), ("2025/11/crane.md", CRANE)]);
    let report = build(dir.path()).unwrap();
    let out = dir.path().join("output");
    for old in ["/archives/101", "/old/quay.html", "/2019/quay/", "/?p=101"] {
        assert_eq!(land(&out, old), Path::new("2025/10/20/quay-reopens/index.html"), "{old}");
        assert_eq!(headline(&out, &land(&out, old)), "Quay Reopens");
    }
    assert_eq!(headline(&out, &land(&out, "/?p=102")), "Crane <Arrives> & \"Lifts\"");
    let page = std::fs::read_to_string(out.join("archives/101/index.html")).unwrap();
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"), "{page}");
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/news/2025/10/20/quay-reopens/\">"));
    let link = Html::parse_document(&page);
    assert_eq!(crate::common::hrefs(&link, "body a"), ["../../2025/10/20/quay-reopens/index.html"]);
    assert_eq!(text(&link, "body a"), "Quay Reopens");
    // The alias on another host is left to it, with a warning at its line.
    let warning = report.warnings.iter().map(|w| w.diagnostic.to_string()).find(|w| w.contains("elsewhere.org"));
    assert!(warning.is_some_and(|w| w.starts_with("content/2025/11/crane.md:4:")), "{:?}", report.warnings);
}

#[test]
fn without_a_base_url_the_canonical_link_is_relative_and_no_redirects_file_is_written() {
    let dir = news_site("");
    build(dir.path()).unwrap();
    let out = dir.path().join("output");
    let page = std::fs::read_to_string(out.join("old/quay.html")).unwrap();
    assert!(page.contains("<link rel=\"canonical\" href=\"../2025/10/20/quay-reopens/index.html\">"), "{page}");
    assert!(!out.join("_redirects").exists());
    assert_eq!(land(&out, "/archives/101"), Path::new("2025/10/20/quay-reopens/index.html"));
}

#[test]
fn a_site_with_redirects_checks_clean_and_its_own_redirects_file_wins() {
    let dir = news_site("base_url: https://example.org/news/\n");
    write(&dir.path().join("site/static/_redirects"), "/mine /news/ 302\n");
    build(dir.path()).unwrap();
    let lines = std::fs::read_to_string(dir.path().join("output/_redirects")).unwrap();
    assert_eq!(lines, "/mine /news/ 302\n");
    let report =
        gazette::check::check(&gazette::check::CheckOptions { root: dir.path().join("site"), now: now() }).unwrap();
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    let warnings: Vec<String> = report.warnings.iter().map(|w| w.diagnostic.to_string()).collect();
    let alias = report.warnings.iter().find(|w| w.kind == gazette::check::Kind::AliasNotRedirected);
    assert!(alias.is_some_and(|w| w.diagnostic.to_string().contains("elsewhere.org")), "{warnings:#?}");
    let kinds: Vec<gazette::check::Kind> = report.warnings.iter().map(|w| w.kind).collect();
    assert!(!kinds.contains(&gazette::check::Kind::BrokenLink), "{warnings:#?}");
}

#[test]
fn the_redirects_file_lists_every_old_path_under_the_sites_folder() {
    let expected = |folder: &str| {
        format!(
            "{folder}/archives/101/ {folder}/2025/10/20/quay-reopens/ 301\n\
             {folder}/old/quay.html {folder}/2025/10/20/quay-reopens/ 301\n\
             {folder}/2019/quay/ {folder}/2025/10/20/quay-reopens/ 301\n"
        )
    };
    let dir = news_site("base_url: https://example.org/news/\n");
    build(dir.path()).unwrap();
    let lines = std::fs::read_to_string(dir.path().join("output/_redirects")).unwrap();
    assert!(lines.ends_with(&expected("/news")), "{lines}");
    let dir = site(
        "title: Harbour\nbase_url: https://example.org\n",
        &[("2025/10/quay.md", &QUAY.replace("https://example.org/news/2019", "https://example.org/2019"))],
    );
    build(dir.path()).unwrap();
    let lines = std::fs::read_to_string(dir.path().join("output/_redirects")).unwrap();
    assert!(lines.ends_with(&expected("")), "{lines}");
}

#[test]
fn only_the_home_pages_first_page_carries_the_map_and_only_when_needed() {
    let dir = news_site("base_url: https://example.org/news/\n");
    build(dir.path()).unwrap();
    let out = dir.path().join("output");
    let map = old_ids(&std::fs::read_to_string(out.join("index.html")).unwrap()).unwrap();
    assert_eq!(map.as_object().unwrap().len(), 2, "{map}");
    assert!(old_ids(&std::fs::read_to_string(out.join("page/1/index.html")).unwrap()).is_none());
    let plain =
        site("title: Plain\n", &[("2025/11/crane.md", "---\ntitle: Crane\ndate: 2025-11-02\n---\n\nA crane.\n")]);
    build(plain.path()).unwrap();
    let home = std::fs::read_to_string(plain.path().join("output/index.html")).unwrap();
    assert!(!home.contains("URLSearchParams"), "{home}");
}

#[test]
fn a_hostile_alias_never_reaches_a_page_as_markup() {
    let hostile = "---\ntitle: Hostile\ndate: 2025-11-02\naliases:\n  - \"/?p=1</script><script>alert(1)</script>\"\n  \
                   - \"/?p=7\"\n---\n\nText.\n";
    let dir = site("title: Harbour\n", &[("2025/11/hostile.md", hostile)]);
    let report = build(dir.path()).unwrap();
    let out = dir.path().join("output");
    for file in list_files(&out) {
        let bytes = std::fs::read(out.join(&file)).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("alert(1)"), "{file} carries the alias's markup");
    }
    assert!(report.warnings.iter().any(|w| w.diagnostic.to_string().contains("query string")));
    assert_eq!(headline(&out, &land(&out, "/?p=7")), "Hostile");
    let bad_path =
        "---\ntitle: Bad\ndate: 2025-11-03\naliases: [\"/x\\\"><script>alert(1)</script>/\"]\n---\n\nText.\n";
    let dir = site("title: Harbour\n", &[("2025/11/bad.md", bad_path)]);
    let found = problems(dir.path());
    assert!(found.len() == 1 && found[0].starts_with("content/2025/11/bad.md:4:"), "{found:?}");
}

/// Articles whose aliases take the places of other files.
fn colliding_site() -> tempfile::TempDir {
    let article = |title: &str, day: &str, aliases: &str| {
        format!("---\ntitle: {title}\ndate: 2025-10-{day}\nauthor: Ann Lee\naliases:\n{aliases}---\n\nText.\n")
    };
    site(
        "title: Harbour\nbase_url: https://example.org/\n",
        &[
            ("2025/10/quay.md", &article("Quay", "20", "  - /2025/10/21/crane/\n  - /2025/\n  - /shared/\n")),
            ("2025/10/crane.md", &article("Crane", "21", "  - /authors/ann-lee/\n  - /feed.xml\n  - /?p=5\n")),
            ("2025/10/tide.md", &article("Tide", "22", "  - /shared/\n  - /?p=5\n")),
        ],
    )
}

#[test]
fn an_alias_that_takes_another_files_place_is_an_error_naming_both() {
    let dir = colliding_site();
    let found = problems(dir.path()).join("\n");
    for expected in [
        // Another article's page, named at its headline.
        "content/2025/10/quay.md:6:5: alias /2025/10/21/crane/ would stand where the page of \
         content/2025/10/crane.md:2:8 goes",
        "content/2025/10/quay.md:7:5: alias /2025/ would stand where the year page 2025/index.html goes",
        "content/2025/10/crane.md:6:5: alias /authors/ann-lee/ would stand where the author page",
        "content/2025/10/crane.md:7:5: alias /feed.xml/ would stand where the generated file feed.xml goes",
        // Another article's alias (the newer article is read first).
        "content/2025/10/quay.md:8:5: alias /shared/ would stand where content/2025/10/tide.md:6:5 (an alias too)",
        "content/2025/10/crane.md:8:5: alias \"/?p=5\" is also an alias of content/2025/10/tide.md:7:5",
    ] {
        assert!(found.contains(expected), "missing {expected:?} in:\n{found}");
    }
    assert_eq!(found.lines().count(), 6, "{found}");
    assert!(!dir.path().join("output").exists(), "nothing is written");
}

#[test]
fn check_reports_the_same_collisions() {
    let dir = colliding_site();
    let report =
        gazette::check::check(&gazette::check::CheckOptions { root: dir.path().join("site"), now: now() }).unwrap();
    let errors: Vec<String> = report.errors.iter().map(|e| e.diagnostic.to_string()).collect();
    assert_eq!(errors.len(), 6, "{errors:#?}");
    assert!(errors.iter().any(|e| e.contains("content/2025/10/tide.md:6:5 (an alias too)")), "{errors:#?}");
}

#[test]
fn an_alias_that_climbs_out_of_the_output_is_refused_and_nothing_is_written() {
    let climbing = "---\ntitle: Climb\ndate: 2025-11-02\naliases:\n  - /../../outside/\n  \
                    - /a/%2e%2e/%2e%2e/%2e%2e/outside2/\n---\n\nText.\n";
    let dir = site("title: Harbour\n", &[("2025/11/climb.md", climbing)]);
    let found = problems(dir.path());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("content/2025/11/climb.md:5:5: alias \"/../../outside/\" climbs out"), "{found:?}");
    assert!(found[1].starts_with("content/2025/11/climb.md:6:5:"), "{found:?}");
    let everything = list_files(dir.path());
    assert!(everything.iter().all(|f| !f.contains("outside")), "{everything:?}");
}

#[test]
fn a_wordpress_archive_imported_and_built_keeps_every_old_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write(&root.join("site.yaml"), "title: The Harbour Gazette\nbase_url: https://example.org/\n");
    let export = fixture("import_wordpress/export.xml");
    let run = gazette(&["import", "--from", "wordpress", export.to_str().unwrap(), "--root", root.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stdout(&run));
    let out = dir.path().join("output");
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(&root, now()) };
    gazette::build(&options).unwrap_or_else(|e| panic!("{e}"));
    let mut followed = 0;
    for rel in list_files(&root.join("content")).iter().filter(|f| f.ends_with(".md")) {
        let article = crate::common::load_article(&root.join("content").join(rel));
        if article.meta.draft {
            continue;
        }
        for alias in &article.meta.aliases {
            let landed = land(&out, &alias.written);
            assert_eq!(headline(&out, &landed), article.meta.title, "{} from {rel}", alias.written);
            followed += 1;
        }
    }
    // The quay's permalink, the crane's /archives/102 and ?p=102, the van's ?p=103.
    assert!(followed >= 4, "only {followed} old links followed");
    let lines = std::fs::read_to_string(out.join("_redirects")).unwrap();
    assert!(lines.contains("\n/archives/102/ /"), "{lines}");
}
