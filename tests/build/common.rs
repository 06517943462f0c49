//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, FixedOffset};
use scraper::{Html, Selector};

/// Every page kind of the `basic` fixture, as (snapshot name, file).
pub const PAGE_KINDS: [(&str, &str); 11] = [
    ("article_wire", "2025/12/03/talks-end-without-a-deal/index.html"),
    ("article_markdown", "2025/12/03/bridge-reopens-traffic-returns/index.html"),
    ("home", "index.html"),
    ("home_page_2", "page/2/index.html"),
    ("year", "2025/index.html"),
    ("month", "2025/12/index.html"),
    ("day", "2025/12/03/index.html"),
    ("author", "authors/ann-lee/index.html"),
    ("authors", "authors/index.html"),
    ("archive", "archive/index.html"),
    ("corrections", "corrections/index.html"),
];

/// The text of every file the `sitemap.xml` index of the output `out`
/// lists (each read by its name under `base`), one after another.
pub fn sitemaps_in(out: &Path, base: &str) -> String {
    let index = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap.xml");
    assert!(index.contains("<sitemapindex"), "{index}");
    let files: Vec<&str> = index.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap()).collect();
    assert!(!files.is_empty(), "{index}");
    files
        .iter()
        .map(|loc| {
            let name = loc.strip_prefix(base).unwrap_or_else(|| panic!("{loc} is not under {base}"));
            std::fs::read_to_string(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
        })
        .collect()
}

/// The folder of a fixture site.
pub fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(case)
}

/// A fixed "now" for builds: 2026-01-01T00:00:00Z.
pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap()
}

/// A built site in a temporary folder.
pub struct Built {
    /// Keeps the temporary folder alive.
    pub _dir: tempfile::TempDir,
    /// The output folder.
    pub out: PathBuf,
    /// What the build reported.
    pub report: gazette::BuildReport,
}

impl Built {
    /// The text of an output file, panicking with a listing if missing.
    pub fn read(&self, rel: &str) -> String {
        let path = self.out.join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{rel}: {e}\nfiles:\n{}", list_files(&self.out).join("\n"));
        })
    }

    /// The text of every file the `sitemap.xml` index lists (each read
    /// from the output by its name under `base`), one after another.
    pub fn sitemaps(&self, base: &str) -> String {
        sitemaps_in(&self.out, base)
    }

    /// Does this output file exist?
    pub fn exists(&self, rel: &str) -> bool {
        self.out.join(rel).is_file()
    }

    /// The parsed HTML of a page.
    pub fn page(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

/// Build a fixture with default options.
pub fn build(case: &str) -> Built {
    build_with(case, |_| {})
}

/// Build a fixture, adjusting the options first.
pub fn build_with(case: &str, adjust: impl FnOnce(&mut gazette::BuildOptions)) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let mut options =
        gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(fixture(case), now()) };
    adjust(&mut options);
    let report = gazette::build(&options).unwrap_or_else(|e| panic!("build of {case} failed:\n{e}"));
    Built { _dir: dir, out, report }
}

/// Copy a fixture into a temporary folder (`site/` in it), let `change`
/// edit the copy (a `site.yaml`, a template, an article), and build it into
/// `output/` beside it with default options.
pub fn build_changed(case: &str, change: impl FnOnce(&Path)) -> Built {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&fixture(case), &root);
    change(&root);
    let out = dir.path().join("output");
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(&root, now()) };
    let report = gazette::build(&options).unwrap_or_else(|e| panic!("build of a changed {case} failed:\n{e}"));
    Built { _dir: dir, out, report }
}

/// Copy every file under `from` to the same place under `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for rel in list_files(from) {
        let target = to.join(&rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&rel), target).unwrap();
    }
}

/// Write a file, making its folder first.
pub fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Run the `gazette` binary.
pub fn gazette(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gazette")).args(args).env("SOURCE_DATE_EPOCH", "1767225600").output().unwrap()
}

/// Every file under `dir`, relative, sorted.
pub fn list_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    out.sort();
    out
}

/// Text of the first element matching `css`, whitespace collapsed.
pub fn text(html: &Html, css: &str) -> String {
    let selector = Selector::parse(css).unwrap();
    let element = html.select(&selector).next().unwrap_or_else(|| panic!("no {css} in page"));
    element.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every `href` of elements matching `css`.
pub fn hrefs(html: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    html.select(&selector).filter_map(|e| e.value().attr("href").map(str::to_string)).collect()
}

/// The `<main>` element of a page, as HTML, for snapshots.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    // Collapse the blank lines templates leave, so snapshots stay readable.
    html[start..end].lines().filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

/// Every link and asset reference in every HTML page of `out` that does not
/// resolve (or is root-absolute), as `page:line: problem`. External URLs are
/// not checked, nor is `404.html`, whose links are absolute on purpose.
pub fn broken_links(out: &Path) -> Vec<String> {
    let broken = gazette::check::links::broken_links(out).unwrap();
    broken.iter().map(|b| format!("{}:{}: {b}", b.page, b.line)).collect()
}

/// Read an article file with Gazette's own loader (UTC, the default byline
/// separators), panicking with its problems if it does not load.
pub fn load_article(path: &Path) -> gazette::load::Article {
    let kind = if path.extension().is_some_and(|e| e == "txt") {
        gazette::load::SourceKind::Wire
    } else {
        gazette::load::SourceKind::Markdown
    };
    let rel = path.file_name().unwrap().to_string_lossy().into_owned();
    let source = gazette::load::Source { rel, path: path.to_path_buf(), kind };
    let opts = gazette::config::Config::default().load_options();
    gazette::load::read_article(&source, path, &opts).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

/// A command's standard output.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A command's standard error.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
