//! Incremental builds: after any sequence of edits, additions, deletions,
//! renames, template and configuration changes, the output updated in place
//! is byte-for-byte the output of a clean build.

use std::path::{Path, PathBuf};

use crate::common::now;
use crate::stamps::{rewritten, stamps, wait_for_a_later_mtime};

/// A small deterministic random number generator (xorshift), so a failing
/// sequence can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

const AUTHORS: [&str; 4] = ["Ann Lee", "Bo Chen", "Cy Dee", "Dana Eve"];
const SECTIONS: [&str; 3] = ["City", "Business", "city"];
const PLACES: [&str; 3] = ["Northport", "NORTHPORT", "Southport"];
const TITLES: [&str; 5] = ["Council Votes", "Harbour News", "Weather Warning", "Rail Strike", "Council Votes"];

fn article(rng: &mut Rng, n: usize, others: &[String]) -> (String, String) {
    let title = format!(
        "{} {}",
        TITLES[rng.below(TITLES.len())],
        if rng.below(3) == 0 { String::new() } else { n.to_string() }
    );
    let author = AUTHORS[rng.below(AUTHORS.len())];
    let day = 1 + rng.below(4);
    let month = 11 + rng.below(2);
    let link = match rng.pick(others) {
        Some(other) if rng.below(2) == 0 => format!("\n\nSee [an earlier story](../../{other})."),
        _ => String::new(),
    };
    if rng.below(3) == 0 {
        let labels = match rng.below(2) {
            0 => format!(
                "- Section: {}\n- Tags: t{}, harbour\n- Story: s{}\n",
                SECTIONS[rng.below(3)],
                rng.below(3),
                rng.below(2)
            ),
            _ => String::new(),
        };
        let text = format!(
            "{title}\n- {author}\n- {}\n- 2025-{month:02}-{day:02}\n{labels}First paragraph {n}.\nSecond.\n",
            PLACES[rng.below(PLACES.len())]
        );
        (format!("2025/{month:02}/story-{n}.txt"), text)
    } else {
        // Photos at the top of content/ (a story moved to moved/ names
        // them from outside it: not a photo any more).
        let lead = if rng.below(3) == 0 { "image: ../../lead.jpg\n" } else { "" };
        let inline = if rng.below(3) == 0 { "\n\n![Boats](../../pic.png \"Boats at dawn\")" } else { "" };
        let text = format!(
            "---\ntitle: \"{title}\"\ndate: 2025-{month:02}-{day:02} {:02}:00\nauthor: {author}\ntags: [t{}]\nsection: {}\nlocation: {}\nstory: s{}\n{lead}---\n\nBody of {n}.{link}{inline}\n",
            8 + rng.below(10),
            rng.below(3),
            SECTIONS[rng.below(SECTIONS.len())],
            PLACES[rng.below(PLACES.len())],
            rng.below(3),
        );
        (format!("2025/{month:02}/story-{n}.md"), text)
    }
}

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
    articles: Vec<String>,
    next: usize,
    /// Old addresses given so far (each alias is new: two articles never share one).
    aliases: usize,
}

impl Site {
    fn new(rng: &mut Rng) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: Test\nper_page: 3\nbase_url: https://example.org/news/\n")
            .unwrap();
        std::fs::write(root.join("content/photo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap();
        std::fs::write(root.join("content/pic.png"), crate::photo_files::png(160, 90)).unwrap();
        std::fs::write(root.join("content/lead.jpg"), crate::photo_files::jpeg_with_gps(200, 120)).unwrap();
        let mut site = Site { _dir: dir, root, articles: Vec::new(), next: 0, aliases: 0 };
        for _ in 0..12 {
            site.add(rng);
        }
        site
    }

    fn content(&self, rel: &str) -> PathBuf {
        self.root.join("content").join(rel)
    }

    fn add(&mut self, rng: &mut Rng) {
        let (rel, text) = article(rng, self.next, &self.articles);
        self.next += 1;
        let path = self.content(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self.articles.push(rel);
    }

    /// One random change; returns what it was, for the failure message.
    fn change(&mut self, rng: &mut Rng) -> String {
        let pick = rng.pick(&self.articles).cloned();
        match (rng.below(13), pick) {
            (0, _) | (_, None) => {
                self.add(rng);
                format!("add {}", self.articles.last().unwrap())
            }
            (1, Some(rel)) => {
                let path = self.content(&rel);
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, format!("{text}\nAnother paragraph.\n")).unwrap();
                format!("edit body of {rel}")
            }
            (2, Some(rel)) => {
                let path = self.content(&rel);
                let text = std::fs::read_to_string(&path).unwrap();
                let (old, new) =
                    if rel.ends_with(".md") { ("title: \"", "title: \"Breaking: ") } else { ("", "Update: ") };
                let changed = if old.is_empty() { format!("{new}{text}") } else { text.replacen(old, new, 1) };
                std::fs::write(&path, changed).unwrap();
                format!("retitle {rel}")
            }
            (3, Some(rel)) => {
                let path = self.content(&rel);
                let text = std::fs::read_to_string(&path).unwrap();
                let date = format!("2025-{:02}-{:02}", 11 + rng.below(2), 1 + rng.below(28));
                let lines: Vec<String> = text
                    .lines()
                    .map(|l| {
                        if l.starts_with("date: ") {
                            format!("date: {date} 12:00")
                        } else if l.starts_with("- 2025-") {
                            format!("- {date}")
                        } else {
                            l.to_string()
                        }
                    })
                    .collect();
                std::fs::write(&path, lines.join("\n") + "\n").unwrap();
                format!("redate {rel} to {date}")
            }
            (4, Some(rel)) => {
                std::fs::remove_file(self.content(&rel)).unwrap();
                self.articles.retain(|r| *r != rel);
                format!("delete {rel}")
            }
            (5, Some(rel)) => {
                let new_rel = format!("moved/{}", rel.replace('/', "-"));
                std::fs::create_dir_all(self.content("moved")).unwrap();
                std::fs::rename(self.content(&rel), self.content(&new_rel)).unwrap();
                self.articles.retain(|r| *r != rel);
                self.articles.push(new_rel.clone());
                format!("rename {rel} to {new_rel}")
            }
            (6, _) => {
                let template = self.root.join("templates/article.html");
                if template.exists() {
                    std::fs::remove_file(&template).unwrap();
                    "remove template override".into()
                } else {
                    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
                    let text = "{% extends \"theme:article.html\" %}{% block main %}<p class=\"x\">{{ article.title }}</p>{{ super() }}{% endblock main %}";
                    std::fs::write(&template, text).unwrap();
                    "add template override".into()
                }
            }
            (7, _) => {
                let per_page = 2 + rng.below(3);
                // Search off now and then: its files go, and come back.
                let search = if rng.below(3) == 0 { "search: false\n" } else { "" };
                let width = 50 + 20 * rng.below(4);
                std::fs::write(
                    self.root.join("site.yaml"),
                    format!(
                        "title: Test {per_page}\nper_page: {per_page}\nbase_url: https://example.org/news/\n{search}images:\n  widths: [{width}, 150]\n"
                    ),
                )
                .unwrap();
                format!("config per_page {per_page} {search}, photo widths {width} and 150")
            }
            (8, Some(rel)) if rel.ends_with(".md") => {
                let path = self.content(&rel);
                let text = std::fs::read_to_string(&path).unwrap();
                let changed = if text.contains("draft: true") {
                    text.replace("draft: true\n", "")
                } else {
                    text.replacen("---\n", "---\ndraft: true\n", 1)
                };
                std::fs::write(&path, changed).unwrap();
                format!("toggle draft {rel}")
            }
            (9, _) if rng.below(2) == 0 => {
                // A folder of files becomes a file of the same name, and back:
                // on the next build one stands where the other was.
                let (folder, file) = (self.content("files/report"), self.content("files/report/a.pdf"));
                if file.exists() {
                    std::fs::remove_dir_all(&folder).unwrap();
                    std::fs::write(&folder, "now a file").unwrap();
                    "asset folder files/report/ becomes a file".into()
                } else {
                    let _ = std::fs::remove_file(&folder);
                    std::fs::create_dir_all(&folder).unwrap();
                    std::fs::write(&file, "a pdf").unwrap();
                    "asset file files/report becomes a folder".into()
                }
            }
            (9, _) if rng.below(2) == 0 => {
                let (w, h) = (100 + rng.below(100) as u32, 60 + rng.below(60) as u32);
                std::fs::write(self.content("pic.png"), crate::photo_files::png(w, h)).unwrap();
                format!("photo pic.png becomes {w}×{h}")
            }
            (9, _) => {
                let asset = self.content("photo.svg");
                std::fs::write(&asset, format!("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"v{}\"/>", rng.next()))
                    .unwrap();
                "change asset".into()
            }
            (10, Some(rel)) if rel.ends_with(".md") => {
                // Refile: another section, tag, place or thread.
                let path = self.content(&rel);
                let text = std::fs::read_to_string(&path).unwrap();
                let (key, value) = match rng.below(4) {
                    0 => ("section", SECTIONS[rng.below(SECTIONS.len())].to_string()),
                    1 => ("tags", format!("[t{}, harbour]", rng.below(4))),
                    2 => ("location", PLACES[rng.below(PLACES.len())].to_string()),
                    _ => ("story", format!("s{}", rng.below(3))),
                };
                let lines: Vec<String> = text
                    .lines()
                    .map(|l| if l.starts_with(&format!("{key}: ")) { format!("{key}: {value}") } else { l.to_string() })
                    .collect();
                std::fs::write(&path, lines.join("\n") + "\n").unwrap();
                format!("refile {rel}: {key} {value}")
            }
            (11, Some(rel)) if rel.ends_with(".md") => {
                // An old path (a redirect page and a `_redirects` line) and
                // an old `?p=` (the home page's map).
                let path = self.content(&rel);
                let text = std::fs::read_to_string(&path).unwrap();
                self.aliases += 1;
                let k = self.aliases;
                let changed = if text.contains("aliases: [") {
                    text.replacen("aliases: [", &format!("aliases: [\"/old/{k}/\", \"/?p={k}\", "), 1)
                } else {
                    text.replacen("---\n", &format!("---\naliases: [\"/old/{k}/\", \"/?p={k}\"]\n"), 1)
                };
                std::fs::write(&path, changed).unwrap();
                format!("alias {rel} /old/{k}/ and ?p={k}")
            }
            (_, Some(rel)) if rel.ends_with(".md") => {
                let path = self.content(&rel);
                let text = std::fs::read_to_string(&path).unwrap();
                let changed = if text.contains("corrections:") {
                    text.replacen("corrections:\n", "corrections:\n  - date: 2025-12-21\n    text: Another fix.\n", 1)
                } else {
                    text.replacen(
                        "---\n",
                        "---\ncorrections:\n  - date: 2025-12-20\n    text: A name was misspelled.\n",
                        1,
                    )
                };
                std::fs::write(&path, changed).unwrap();
                format!("correct {rel}")
            }
            (_, Some(rel)) => format!("nothing (picked {rel})"),
        }
    }
}

/// A random site from `seed`, and a scratch folder with an output's path
/// in it.
fn site_and_output(seed: u64) -> (Site, tempfile::TempDir, PathBuf) {
    let site = Site::new(&mut Rng(seed));
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    (site, work, out)
}

/// Build, let the sources' modification times age past the racy window,
/// and build again: the next build trusts every unchanged source's stamp.
fn build_and_age(root: &Path, out: &Path) {
    build(root, out, false);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    build(root, out, false);
}

fn build(root: &Path, out: &Path, clean: bool) -> gazette::BuildReport {
    let options =
        gazette::BuildOptions { output: Some(out.to_path_buf()), clean, ..gazette::BuildOptions::new(root, now()) };
    gazette::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e}"))
}

/// Every file of an output, with its bytes, and every folder (named with a
/// trailing `/`, so an empty folder left behind counts), except the marker
/// (which holds the build id).
fn tree(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut entries: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
            if entry.file_type().is_dir() {
                (format!("{rel}/"), Vec::new())
            } else {
                (rel, std::fs::read(entry.path()).unwrap())
            }
        })
        .filter(|(rel, _)| rel != ".gazette-output")
        .collect();
    entries.sort();
    entries
}

fn same_trees(incremental: &Path, clean: &Path) -> Result<(), String> {
    let (a, b) = (tree(incremental), tree(clean));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    if names(&a) != names(&b) {
        let only_a: Vec<_> = names(&a).into_iter().filter(|n| !names(&b).contains(n)).collect();
        let only_b: Vec<_> = names(&b).into_iter().filter(|n| !names(&a).contains(n)).collect();
        return Err(format!("only in incremental: {only_a:?}\nonly in clean: {only_b:?}"));
    }
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        if x != y {
            return Err(format!("{name} differs"));
        }
    }
    Ok(())
}

#[test]
fn incremental_output_equals_a_clean_build_after_every_change() {
    // GAZETTE_INCREMENTAL_SEEDS=N runs N more random sequences (for a longer hunt).
    let extra: u64 = std::env::var("GAZETTE_INCREMENTAL_SEEDS").ok().and_then(|n| n.parse().ok()).unwrap_or(0);
    let seeds =
        [0x2545_f491_4f6c_dd1d_u64, 0x9e37_79b9_7f4a_7c15].into_iter().chain((1..=extra).map(|n| n * 0x1000_0001));
    for seed in seeds {
        let mut rng = Rng(seed);
        let mut site = Site::new(&mut rng);
        let work = tempfile::tempdir().unwrap();
        let incremental = work.path().join("incremental");
        let first = build(&site.root, &incremental, false);
        assert!(first.full);
        let mut in_place = 0;
        for step in 0..40 {
            let change = site.change(&mut rng);
            let report = build(&site.root, &incremental, false);
            in_place += usize::from(!report.full);
            let clean = work.path().join(format!("clean-{step}"));
            build(&site.root, &clean, true);
            if let Err(difference) = same_trees(&incremental, &clean) {
                panic!("seed {seed:#x}, step {step}, after {change}:\n{difference}");
            }
            std::fs::remove_dir_all(&clean).unwrap();
        }
        assert!(in_place > 20, "most steps should update in place, {in_place} did");
    }
}

#[test]
fn an_unchanged_site_writes_nothing_and_reads_nothing() {
    let (site, _work, out) = site_and_output(7);
    build_and_age(&site.root, &out);
    let report = build(&site.root, &out, false);
    assert!(!report.full);
    assert_eq!(report.written, 0);
    assert_eq!(report.parsed, 0);
    assert!(report.unchanged > 30);
}

#[test]
fn a_build_that_fails_after_saving_its_sources_leaves_the_previous_state_in_use() {
    let (site, work, out) = site_and_output(13);
    build_and_age(&site.root, &out);

    // One article edited, and a template that fails while the pages are
    // made: after the sources (and their search terms) were saved.
    let rel = site.articles.iter().find(|a| a.ends_with(".md")).unwrap().clone();
    let path = site.content(&rel);
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{original}\nA line the failed build read.\n")).unwrap();
    let template = site.root.join("templates/article.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    std::fs::write(&template, "{{ no_such_variable.anywhere }}").unwrap();
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(&site.root, now()) };
    assert!(gazette::build(&options).is_err(), "the template fails");

    // The next build trusts the state the last good build left: it reads
    // only the edited article again, and cleans up what the failed one wrote.
    std::fs::remove_file(&template).unwrap();
    let report = build(&site.root, &out, false);
    assert!(!report.full);
    assert_eq!(report.parsed, 1);
    let clean = work.path().join("clean");
    build(&site.root, &clean, true);
    same_trees(&out, &clean).unwrap();
    let state = out.with_file_name(".out.gazette-state");
    let chunks = std::fs::read_dir(&state)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("sources-"))
        .count();
    assert_eq!(chunks, 64, "one file per chunk of sources, none left over");
    let words = std::fs::read_dir(&state)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("words-"))
        .count();
    assert_eq!(words, 1, "one file of words, the failed build's removed");
}

#[test]
fn a_state_another_process_saved_is_read_in_this_ones_word_numbers() {
    // This process has numbered other words first; the `gazette` binary,
    // a process of its own, numbers the site's words from the start. Its
    // state's search terms are numbers of its own vocabulary.
    let other = gazette::search::Document { headline: "Zeppelin quorum", ..Default::default() };
    gazette::search::terms_of(&other, &gazette::search::Language::from_tag("en"));
    let (site, work, out) = site_and_output(17);
    let (root, out_arg) = (site.root.to_str().unwrap(), out.to_str().unwrap());
    let made = crate::common::gazette(&["build", "--quiet", "--root", root, "--output", out_arg]);
    assert!(made.status.success(), "{}", crate::common::stderr(&made));
    std::thread::sleep(std::time::Duration::from_millis(2100));

    let rel = site.articles.iter().find(|a| a.ends_with(".md")).unwrap().clone();
    let path = site.content(&rel);
    let original = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("{original}\nHarbour pilots walked out at dawn.\n")).unwrap();
    let report = build(&site.root, &out, false);
    assert!(!report.full, "the state is used");
    assert_eq!(report.parsed, 1, "only the edited article is read again");
    let clean = work.path().join("clean");
    build(&site.root, &clean, true);
    same_trees(&out, &clean).unwrap();

    // The state this build saved is in this process's numbers throughout,
    // the articles it did not read again included.
    std::fs::write(&path, format!("{original}\nThe pilots went back to work.\n")).unwrap();
    assert!(!build(&site.root, &out, false).full);
    std::fs::remove_dir_all(&clean).unwrap();
    build(&site.root, &clean, true);
    same_trees(&out, &clean).unwrap();
}

#[test]
fn a_search_shard_edited_in_the_output_is_not_taken_back() {
    let (site, work, out) = site_and_output(19);
    build_and_age(&site.root, &out);
    // One shard changed by hand, at the same size: its words as before,
    // so the next build would take the shards back if it trusted them.
    let shards = out.join("search/index/t");
    let shard = std::fs::read_dir(&shards).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&shard).unwrap();
    let edited = text.replacen("gazetteSearch", "gazetteSEARCH", 1);
    assert_ne!(edited, text);
    std::fs::write(&shard, edited).unwrap();

    build(&site.root, &out, false);
    let clean = work.path().join("clean");
    build(&site.root, &clean, true);
    // The root file hashes every shard as the build made it: made again,
    // not read back edited. (The edited file itself stays until a build
    // with `--clean`, like any output edited by hand.)
    let root = "search/index/root.js";
    assert_eq!(std::fs::read(out.join(root)).unwrap(), std::fs::read(clean.join(root)).unwrap());
}

#[test]
fn editing_one_article_rewrites_only_what_shows_it() {
    let (site, _work, out) = site_and_output(11);
    build(&site.root, &out, false);
    // A Markdown story (its first paragraph is its summary in listings).
    let rel = site.articles.iter().find(|a| a.ends_with(".md")).unwrap().clone();
    let path = site.content(&rel);
    let original = std::fs::read_to_string(&path).unwrap();

    // A new last paragraph: only the article's page shows it (and the
    // full-text feeds, when the story is among the newest).
    std::fs::write(&path, format!("{original}\nOne more line, added at the desk.\n")).unwrap();
    let (shown, index) = rewritten_by_the_next_build(&site.root, &out, "added at the desk");
    assert!(shown.iter().any(|f| f.ends_with("/index.html") && f.matches('/').count() == 4), "{shown:?}");
    // In the search index: the shard of its new words, its length, the
    // root; not what a result shows (metadata) nor the filters.
    assert!(index.iter().any(|f| f.contains("/t/")), "its new words: {index:?}");
    assert!(index.iter().all(|f| f.contains("/t/") || f.contains("/d/") || f.ends_with("/root.js")), "{index:?}");

    // A new first paragraph: the article's page and every listing that shows
    // its summary (its day and author pages among them).
    let first = original.lines().find(|l| l.starts_with("Body of ")).unwrap();
    let edited = original.replace(first, "Body revised at the desk.");
    std::fs::write(&path, &edited).unwrap();
    let (shown, index) = rewritten_by_the_next_build(&site.root, &out, "Body revised at the desk.");
    // Its excerpt in search results changed: one metadata chunk.
    assert_eq!(index.iter().filter(|f| f.contains("/m/")).count(), 1, "{index:?}");
    assert!(!index.iter().any(|f| f.contains("/f/")), "no filter changed: {index:?}");
    let day = shown.iter().filter(|f| f.matches('/').count() == 3 && f.ends_with("/index.html")).count();
    assert!(day >= 1, "its day page lists it: {shown:?}");
    assert!(shown.iter().any(|f| f.starts_with("authors/")), "its author page lists it: {shown:?}");
}

/// Build `root` into `out` incrementally and check that the pages it
/// rewrote (seen on disk) are exactly those that show `text`; returns them,
/// and the files of the search index it rewrote (which hold words, not text).
fn rewritten_by_the_next_build(root: &Path, out: &Path, text: &str) -> (Vec<String>, Vec<String>) {
    wait_for_a_later_mtime(out);
    let before = stamps(out);
    let bytes_before = tree(out);
    let report = build(root, out, false);
    assert!(!report.full);
    let after = stamps(out);
    let is_index = |f: &String| f.starts_with("search/index/");
    let (index, rewritten): (Vec<String>, Vec<String>) = rewritten(&before, &after).into_iter().partition(is_index);
    let showing: Vec<String> = tree(out)
        .into_iter()
        .filter(|(f, bytes)| !is_index(f) && String::from_utf8_lossy(bytes).contains(text))
        .map(|(f, _)| f)
        .collect();
    assert!(!showing.is_empty(), "no file shows {text:?}");
    assert_eq!(rewritten, showing, "the files rewritten are those that show {text:?}");
    assert_eq!(report.written, rewritten.len() + index.len(), "{report:?}");
    // Nothing else changed, and nothing came or went.
    let unchanged = |t: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        t.into_iter().filter(|(f, _)| !showing.contains(f) && !index.contains(f)).collect()
    };
    assert!(unchanged(tree(out)) == unchanged(bytes_before), "a file that does not show {text:?} changed");
    (showing, index)
}

#[test]
fn clean_forces_a_full_build() {
    let (site, _work, out) = site_and_output(13);
    build(&site.root, &out, false);
    let report = build(&site.root, &out, true);
    assert!(report.full);
    assert_eq!(report.written, report.files);
}

#[test]
fn the_clean_flag_repairs_an_output_edited_by_hand() {
    let (site, _work, out) = site_and_output(19);
    let gazette_build = |flags: &[&str]| {
        let mut args =
            vec!["build", "--quiet", "--root", site.root.to_str().unwrap(), "--output", out.to_str().unwrap()];
        args.extend_from_slice(flags);
        let run = crate::common::gazette(&args);
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    };
    gazette_build(&[]);
    let clean = tree(&out);
    // An incremental build trusts the output to hold what it wrote; after
    // deleting and editing files by hand, --clean puts them back.
    std::fs::remove_file(out.join("index.html")).unwrap();
    std::fs::write(out.join("archive/index.html"), "edited by hand").unwrap();
    gazette_build(&["--clean"]);
    assert!(tree(&out) == clean, "--clean did not restore the output");
}

/// The previous build checked that no file stands where a page needs a
/// folder; a file added since is checked too, and refused with its name,
/// leaving the output as it was.
#[test]
fn a_file_where_a_folder_must_go_is_refused_on_an_incremental_build_too() {
    let (site, _work, out) = site_and_output(17);
    build(&site.root, &out, false);
    let before = tree(&out);
    // An extensionless asset called `archive` would take the place of the
    // folder `archive/index.html` needs.
    std::fs::write(site.content("archive"), "not a folder").unwrap();
    let options =
        gazette::BuildOptions { output: Some(out.to_path_buf()), ..gazette::BuildOptions::new(&site.root, now()) };
    let message = gazette::build(&options).expect_err("a file where a folder must go").to_string();
    assert!(message.contains("content/archive") && message.contains("the folder archive/ must go"), "{message}");
    assert!(tree(&out) == before, "a failed build changed the output");
    // Removed again, the next build goes through.
    std::fs::remove_file(site.content("archive")).unwrap();
    assert!(!build(&site.root, &out, false).full);
}

/// Refiling one story (another tag, another place) changes the Related
/// lists that held it and no other: a related list is found again only
/// where the edit can change it, and the rest are the previous build's.
#[test]
fn refiling_a_story_rewrites_the_related_lists_that_held_it_and_no_other() {
    // Leaving a tag changes the tag's weight: every member's list is found
    // again. Leaving a place (whose weight is fixed) only the lists of the
    // members near it in time.
    related_lists_after_refiling(("tags", "[birds]"));
    related_lists_after_refiling(("location", "Southport"));
}

fn related_lists_after_refiling((key, value): (&str, &str)) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: Test\nsearch: false\n").unwrap();
    // Forty stories a day apart in one place, every other one on the
    // harbour; story 20 is the one refiled.
    let retagged = "Kestrel Sighted at the Quay";
    let write = |k: usize, (key, value): (&str, &str)| {
        let title = if k == 20 { retagged.to_string() } else { format!("Story {k} of the Week") };
        let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(k as u64);
        let tags = if k.is_multiple_of(2) { "[harbour]" } else { "[rail]" };
        let lines = [
            ("title", format!("\"{title}\"")),
            ("date", format!("{day} 09:00")),
            ("tags", tags.into()),
            ("location", "Northport".into()),
        ];
        let lines: Vec<String> =
            lines.iter().map(|(k, v)| format!("{k}: {}", if *k == key { value } else { v })).collect();
        std::fs::write(root.join(format!("content/s{k}.md")), format!("---\n{}\n---\n\nBody {k}.\n", lines.join("\n")))
            .unwrap();
    };
    for k in 0..40 {
        write(k, ("", ""));
    }
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    build(&root, &out, false);
    let page = |k: usize| {
        let slug = if k == 20 { "kestrel-sighted-at-the-quay".to_string() } else { format!("story-{k}-of-the-week") };
        let (rel, bytes) = tree(&out).into_iter().find(|(f, _)| f.ends_with(&format!("/{slug}/index.html"))).unwrap();
        let html = String::from_utf8(bytes).unwrap();
        let related = html.split("class=\"related\"").nth(1).unwrap().split("</aside>").next().unwrap().to_string();
        (rel, related)
    };
    // Story 18's list holds story 20 (near it, on the harbour, in the same
    // place); story 0's (the harbour, but far in time) and story 1's (the
    // railway) do not.
    let (near, far, rail) = (page(18), page(0), page(1));
    assert!(near.1.contains(retagged), "{}", near.1);
    assert!(!far.1.contains(retagged) && !rail.1.contains(retagged));

    write(20, (key, value));
    wait_for_a_later_mtime(&out);
    let (before, bytes_before) = (stamps(&out), tree(&out));
    let report = build(&root, &out, false);
    assert!(!report.full);
    let changed = rewritten(&before, &stamps(&out));
    assert!(changed.contains(&near.0) && !page(18).1.contains(retagged), "after {key}: {changed:?}");
    assert!(!changed.contains(&far.0) && !changed.contains(&rail.0), "after {key}: {changed:?}");
    // Only the pages that show story 20, before or after, the lists of
    // tags and places and the front pages of the lists it left and joined
    // (whose counts changed). The other pages of those lists keep their
    // stories: none moves up to fill its place.
    let shows = |tree: &[(String, Vec<u8>)], f: &str| {
        tree.iter().any(|(g, bytes)| g == f && String::from_utf8_lossy(bytes).contains(retagged))
    };
    let counted = ["tags/index.html", "places/index.html", "tags/harbour/index.html", "tags/birds/index.html"];
    let counted = [&counted[..], &["places/northport/index.html", "places/southport/index.html"]].concat();
    let bytes_after = tree(&out);
    for f in &changed {
        assert!(
            counted.contains(&f.as_str()) || shows(&bytes_before, f) || shows(&bytes_after, f),
            "{f} was rewritten after the {key} changed but does not show the refiled story"
        );
    }
    let clean = work.path().join("clean");
    build(&root, &clean, true);
    same_trees(&out, &clean).unwrap();
}

/// List pages keep their stories: pages are counted from a list's oldest
/// story and end where their stories say, so publishing a story changes
/// the front page of each list it joins (and the page links of the few
/// pages next to it), and refiling an old story changes the pages that
/// show it, not every page after them.
#[test]
fn publishing_or_refiling_a_story_leaves_the_older_list_pages_alone() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: Test\nper_page: 10\nsearch: false\n").unwrap();
    let write = |k: usize, tag: &str| {
        // Three a day, the first 300 in the last hundred days of 2024.
        let day = chrono::NaiveDate::from_ymd_opt(2024, 9, 23).unwrap() + chrono::Days::new(k as u64 / 3);
        let front = format!(
            "title: \"Report {k}\"\ndate: {day} {:02}:00\nauthor: Ann Lee\nsection: City\ntags: [{tag}]\nlocation: Northport",
            8 + k % 3
        );
        std::fs::write(root.join(format!("content/r{k}.md")), format!("---\n{front}\n---\n\nBody {k}.\n")).unwrap();
    };
    for k in 0..300 {
        write(k, if k % 2 == 0 { "harbour" } else { "rail" });
    }
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    build(&root, &out, false);
    // Each list's highest page number.
    let newest_pages = |out: &Path| -> std::collections::HashMap<String, usize> {
        let mut newest = std::collections::HashMap::new();
        for (f, _) in tree(out) {
            if let Some((list, rest)) = f.split_once("page/") {
                let n: usize = rest.trim_end_matches("/index.html").parse().unwrap_or(0);
                let e = newest.entry(list.to_string()).or_insert(0);
                *e = (*e).max(n);
            }
        }
        newest
    };
    let paged = tree(&out).iter().filter(|(f, _)| f.contains("/page/") || f.starts_with("page/")).count();
    assert!(paged > 300, "{paged} numbered pages");
    let check = |change: &dyn Fn(), shown: &str, near_front_only: bool| {
        change();
        wait_for_a_later_mtime(&out);
        let (before, newest) = (stamps(&out), newest_pages(&out));
        let bytes_before = tree(&out);
        build(&root, &out, false);
        let bytes_after = tree(&out);
        let shows = |t: &[(String, Vec<u8>)], f: &str| {
            t.iter().any(|(g, b)| g == f && String::from_utf8_lossy(b).contains(&format!(">{shown}<")))
        };
        assert!(bytes_after.iter().any(|(f, _)| shows(&bytes_after, f)), "no page shows {shown}");
        let moved: Vec<String> = rewritten(&before, &stamps(&out))
            .into_iter()
            .filter(|f| f.contains("page/") && !shows(&bytes_before, f) && !shows(&bytes_after, f))
            .collect();
        let newest_after = newest_pages(&out);
        let number = |f: &str| -> Option<(String, usize)> {
            let (list, rest) = f.split_once("page/")?;
            Some((list.to_string(), rest.trim_end_matches("/index.html").parse().ok()?))
        };
        // The pages of each list that show the story, before or after.
        let showing: Vec<(String, usize)> = bytes_before
            .iter()
            .chain(&bytes_after)
            .filter(|(f, _)| shows(&bytes_before, f) || shows(&bytes_after, f))
            .filter_map(|(f, _)| number(f))
            .collect();
        for f in &moved {
            let (list, n) = number(f).unwrap();
            // A page that does not show the story changes only next to one
            // that does (a page that fell short takes stories from the
            // next), or when a page came or went: next to the front page
            // its links change; when the story was a page break (one edit
            // in ten or so), the pages newer than it are numbered again.
            let beside = showing.iter().any(|(l, m)| *l == list && n.abs_diff(*m) <= 2);
            // (A list that had no numbered page before had none to keep.)
            let before = newest.get(&list).copied().unwrap_or(0);
            let near_front = near_front_only && n + 4 >= before;
            let renumbered = before != newest_after.get(&list).copied().unwrap_or(0);
            assert!(beside || near_front || renumbered, "{f} changed, not showing {shown}: {moved:?}");
        }
        let clean = work.path().join("clean");
        build(&root, &clean, true);
        same_trees(&out, &clean).unwrap();
        moved.len()
    };
    // A new story, the newest and the first of a new year: the front pages
    // of its lists change (and of the last year, month and day: they link
    // the new ones; their later pages do not).
    // The story joins eight lists (home, year, month, day, author, section,
    // tag, place); in each, at most the new page and the three older
    // pages that link the front page change.
    let moved = check(&|| write(300, "harbour"), "Report 300", true);
    assert!(moved <= 8 * 4, "{moved} pages changed that do not show the new story");
    // Old stories move from one tag to another: only the pages that show
    // them (before or after) change, and the lists' front pages, unless a
    // page came or went.
    // At ten a page one article in six is a page break, so most
    // refilings change no page that does not show the story.
    let moved: Vec<usize> = (101..200)
        .step_by(10)
        .map(|k| check(&|| write(k, if k % 2 == 0 { "rail" } else { "harbour" }), &format!("Report {k}"), false))
        .collect();
    let local = moved.iter().filter(|&&m| m == 0).count();
    assert!(local >= 6, "pages changed that do not show the refiled story, by edit: {moved:?}");
}

#[test]
fn a_tag_label_changed_by_another_article_matches_a_clean_build() {
    // Two hundred stories share a tag; the label the search filter shows is the
    // spelling most of them use. Respelling it in two stories changes the
    // label for all of them: every search file that shows labels must
    // follow, though the other stories (most in other metadata chunks) did
    // not change.
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("site");
    std::fs::create_dir_all(root.join("content/2025/03")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: Test\n").unwrap();
    let story = |n: u32, tag: &str| {
        let day = n % 28 + 1;
        let text = format!(
            "---\ntitle: Harbour story {n}\ndate: 2025-03-{day:02}\nauthor: Ann Lee\ntags: [{tag}]\n---\n\nThe harbour works, part {n}.\n"
        );
        std::fs::write(root.join(format!("content/2025/03/story-{n}.md")), text).unwrap();
    };
    for n in 0..200 {
        story(n, if n < 101 { "harbour works" } else { "Harbour Works" });
    }
    let out = work.path().join("out");
    build_and_age(&root, &out);
    let root_file = |out: &Path| std::fs::read_to_string(out.join("search/index/root.js")).unwrap();
    assert!(root_file(&out).contains("\"harbour works\""), "{}", root_file(&out));
    assert!(std::fs::read_dir(out.join("search/index/m")).unwrap().count() > 2, "stories in more than two chunks");

    story(0, "Harbour Works");
    story(1, "Harbour Works");
    build(&root, &out, false);
    assert!(root_file(&out).contains("\"Harbour Works\""), "{}", root_file(&out));
    let clean = work.path().join("clean");
    build(&root, &clean, true);
    same_trees(&out, &clean).unwrap();
}
