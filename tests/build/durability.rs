//! Durability: whatever file-system change a build is stopped at (killed,
//! an I/O error, a full disk), the next build brings the output back to
//! exactly what a clean build writes, no temporary file is left, and files
//! Gazette did not write are never touched.
//!
//! The `gazette` binary is run with `GAZETTE_FAULT=N:kind`, which fails the
//! N-th file-system change of the process (see `fsx::fault`), for every N
//! until a build gets through.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A small site: articles in both formats, an asset, a folder that will
/// become a file, and a config with a base URL (so feeds and sitemaps are
/// made too).
fn write_site(root: &Path) {
    let content = root.join("content");
    let files: [(&str, &str); 7] = [
        ("site.yaml", "title: Durable\nper_page: 2\nbase_url: https://example.org/news/\n"),
        (
            "content/2025/11/council.md",
            "---\ntitle: Council Votes\ndate: 2025-11-03 09:00\nauthor: Ann Lee\n---\n\nThe council voted.\n",
        ),
        ("content/2025/11/harbour.txt", "Harbour Reopens\n- Bo Chen\n- Northport\n- 2025-11-03\nShips are back.\n"),
        (
            "content/2025/12/rail.md",
            "---\ntitle: Rail Strike\ndate: 2025-12-01 10:00\nauthor: Ann Lee\n---\n\nTrains stopped. See [the vote](../11/council.md).\n",
        ),
        (
            "content/2025/12/weather.md",
            "---\ntitle: Weather Warning\ndate: 2025-12-02 08:00\nauthor: Cy Dee\n---\n\nWind.\n",
        ),
        ("content/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("content/files/report/a.pdf", "a pdf"),
    ];
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    assert!(content.is_dir());
}

/// Edits, an addition, a deletion, a rename, an asset change and a folder
/// that becomes a file: every kind of change an update makes.
fn change_site(root: &Path) {
    let content = root.join("content");
    let council = content.join("2025/11/council.md");
    let text = std::fs::read_to_string(&council).unwrap();
    std::fs::write(&council, text.replace("Council Votes", "Council Votes Again") + "\nMore.\n").unwrap();
    std::fs::write(
        content.join("2025/12/ferry.md"),
        "---\ntitle: Ferry Returns\ndate: 2025-12-03 07:00\nauthor: Dana Eve\n---\n\nBack.\n",
    )
    .unwrap();
    std::fs::remove_file(content.join("2025/12/weather.md")).unwrap();
    std::fs::create_dir_all(content.join("moved")).unwrap();
    std::fs::rename(content.join("2025/11/harbour.txt"), content.join("moved/harbour.txt")).unwrap();
    std::fs::write(content.join("photo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"v2\"/>").unwrap();
    std::fs::remove_dir_all(content.join("files/report")).unwrap();
    std::fs::write(content.join("files/report"), "now a file").unwrap();
}

/// Files Gazette did not write, as a GitHub Pages checkout has them.
const FOREIGN: [(&str, &str); 3] =
    [(".git/HEAD", "ref: refs/heads/gh-pages\n"), ("CNAME", "news.example.org\n"), (".nojekyll", "")];

fn add_foreign(out: &Path) {
    for (rel, text) in FOREIGN {
        let path = out.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn gazette(root: &Path, args: &[&str], fault: Option<String>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command.arg("build").arg("--root").arg(root).args(args).arg("--quiet");
    // One thread: the N-th change is the same change on every run.
    command.env("SOURCE_DATE_EPOCH", "1767225600").env("RAYON_NUM_THREADS", "1");
    match fault {
        Some(plan) => command.env("GAZETTE_FAULT", plan),
        None => command.env_remove("GAZETTE_FAULT"),
    };
    command.output().unwrap()
}

fn build_ok(root: &Path, args: &[&str]) {
    let run = gazette(root, args, None);
    assert!(run.status.success(), "build failed:\n{}", String::from_utf8_lossy(&run.stderr));
}

/// Every file and folder of an output with the bytes of each file, but the
/// marker (which holds the output's id) and the foreign files.
fn tree(out: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    if !out.exists() {
        return Vec::new();
    }
    let mut entries: Vec<(String, Option<Vec<u8>>)> = walkdir::WalkDir::new(out)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
            let bytes = e.file_type().is_file().then(|| std::fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .filter(|(rel, _)| rel != ".gazette-output" && !is_foreign(rel))
        .collect();
    entries.sort();
    entries
}

fn is_foreign(rel: &str) -> bool {
    FOREIGN.iter().any(|(f, _)| rel == *f || f.starts_with(&format!("{rel}/")))
}

/// The first difference between two trees, if any.
fn difference(a: &[(String, Option<Vec<u8>>)], b: &[(String, Option<Vec<u8>>)]) -> Option<String> {
    let names = |t: &[(String, Option<Vec<u8>>)]| t.iter().map(|e| e.0.clone()).collect::<Vec<_>>();
    let (na, nb) = (names(a), names(b));
    if na != nb {
        let only_a: Vec<&String> = na.iter().filter(|n| !nb.contains(n)).collect();
        let only_b: Vec<&String> = nb.iter().filter(|n| !na.contains(n)).collect();
        return Some(format!("only in the repaired output: {only_a:?}; only in the clean build: {only_b:?}"));
    }
    a.iter().zip(b).find(|(x, y)| x.1 != y.1).map(|(x, _)| format!("{} differs", x.0))
}

/// Nothing temporary is left in or beside the output.
fn no_temporaries(parent: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(parent).into_iter().map(Result::unwrap) {
        let name = entry.file_name().to_string_lossy();
        if name.ends_with(".gazette-tmp") || name.ends_with(".gazette-staging") || name.ends_with(".gazette-old") {
            return Err(format!("left behind: {}", entry.path().display()));
        }
    }
    Ok(())
}

/// Nothing temporary is left in or beside the output, and the foreign
/// files are as they were.
fn check_leftovers(parent: &Path, out: &Path) -> Result<(), String> {
    no_temporaries(parent)?;
    for (rel, text) in FOREIGN {
        if std::fs::read_to_string(out.join(rel)).ok().as_deref() != Some(text) {
            return Err(format!("{rel}, which Gazette did not write, was changed or removed"));
        }
    }
    Ok(())
}

/// A temporary folder, in memory where the system has a tmpfs: these
/// tests run hundreds of builds, and flushing each to a disk is slow.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    let builder = tempfile::Builder::new();
    if shm.is_dir() { builder.tempdir_in(shm) } else { builder.tempdir() }.unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A site, built before a change (with its state), the same sources
/// after the change, and clean builds of both.
struct Scenario {
    _dir: tempfile::TempDir,
    /// The site before the change, and after.
    before: PathBuf,
    after: PathBuf,
    /// The output (and its state beside it) of `before`, to start each try from.
    start: PathBuf,
    /// Clean builds of `before` and of `after`.
    clean_before: Vec<(String, Option<Vec<u8>>)>,
    clean_after: Vec<(String, Option<Vec<u8>>)>,
}

impl Scenario {
    /// `change` turns the `before` site into the `after` site; with
    /// `prebuilt`, each try starts from `before`'s output and state
    /// (updated by the faulted build), otherwise from no output at all.
    fn new(change: fn(&Path), prebuilt: bool) -> Scenario {
        let dir = scratch();
        let (before, after, start) = (dir.path().join("before"), dir.path().join("after"), dir.path().join("start"));
        write_site(&before);
        copy_dir(&before, &after);
        change(&after);
        let clean = |site: &Path| {
            let out = dir.path().join("clean");
            build_ok(site, &["--output", out.to_str().unwrap()]);
            let t = tree(&out);
            std::fs::remove_dir_all(&out).unwrap();
            t
        };
        let (clean_before, clean_after) = (clean(&before), clean(&after));
        std::fs::create_dir_all(&start).unwrap();
        if prebuilt {
            build_ok(&before, &["--output", start.join("output").to_str().unwrap()]);
            add_foreign(&start.join("output"));
        }
        Scenario { _dir: dir, before, after, start, clean_before, clean_after }
    }

    /// Fault the build of `after` at each change in turn, `kind` being
    /// `abort`, `error` or `enospc`; after each, build again (of `after`, or
    /// with `revert`, of `before`: the edit undone) and compare with a
    /// clean build. Returns how many faults were injected.
    fn run(&self, kind: &str, revert: bool, extra: &[&str]) -> usize {
        for n in 1.. {
            let work = scratch();
            copy_dir(&self.start, work.path());
            let out = work.path().join("output");
            let output_arg = ["--output", out.to_str().unwrap()];
            let args: Vec<&str> = output_arg.iter().chain(extra).copied().collect();
            let previous = tree(&out);
            let faulted = gazette(&self.after, &args, Some(format!("{n}:{kind}")));
            if faulted.status.success() {
                assert!(n > 3, "the fault was never reached: is GAZETTE_FAULT read?");
                return n - 1;
            }
            let stderr = String::from_utf8_lossy(&faulted.stderr);
            if kind != "abort" {
                assert!(!stderr.contains("panicked"), "fault {n}: {stderr}");
                let told = stderr.contains("partly updated") || stderr.contains("build state could not be saved");
                // A build that fails before it commits leaves the output exactly as it was.
                if !told
                    && out.exists()
                    && let Some(d) = difference(&tree(&out), &previous)
                {
                    panic!("{kind} at change {n} damaged the output without saying so ({d}):\n{stderr}");
                }
            }
            let (site, expected) =
                if revert { (&self.before, &self.clean_before) } else { (&self.after, &self.clean_after) };
            let case = format!("{kind} at change {n}{}", if revert { ", edit reverted" } else { "" });
            let repair = gazette(site, &output_arg, None);
            assert!(
                repair.status.success(),
                "{case}: the next build failed:\n{}\nthe faulted build said:\n{stderr}",
                String::from_utf8_lossy(&repair.stderr)
            );
            if let Some(d) = difference(&tree(&out), expected) {
                panic!("{case}: the next build did not repair the output: {d}\nthe faulted build said:\n{stderr}");
            }
            let foreign = self.start.join("output").exists();
            let leftovers = if foreign { check_leftovers(work.path(), &out) } else { no_temporaries(work.path()) };
            if let Err(problem) = leftovers {
                panic!("{case}: {problem}");
            }
        }
        unreachable!()
    }
}

#[test]
fn a_killed_update_is_repaired_by_the_next_build_even_after_the_edit_is_undone() {
    let scenario = Scenario::new(change_site, true);
    let tried = scenario.run("abort", false, &[]);
    assert!(tried > 10, "only {tried} changes were tried");
    assert_eq!(scenario.run("abort", true, &[]), tried);
}

#[test]
fn an_update_that_hits_an_io_error_or_a_full_disk_is_repaired_too() {
    let scenario = Scenario::new(change_site, true);
    let tried = scenario.run("error", false, &[]);
    assert!(tried > 10, "only {tried} changes were tried");
    scenario.run("enospc", true, &[]);
}

#[test]
fn a_killed_full_rebuild_is_repaired_and_keeps_foreign_files() {
    // A configuration change makes every page again.
    let scenario = Scenario::new(
        |root| {
            change_site(root);
            std::fs::write(
                root.join("site.yaml"),
                "title: Durable Daily\nper_page: 3\nbase_url: https://example.org/news/\n",
            )
            .unwrap();
        },
        true,
    );
    let tried = scenario.run("abort", false, &[]);
    assert!(tried > 30, "only {tried} changes were tried");
    scenario.run("abort", true, &["--clean"]);
}

#[test]
fn a_killed_first_build_leaves_nothing_the_next_one_trips_on() {
    let scenario = Scenario::new(change_site, false);
    let tried = scenario.run("abort", false, &[]);
    assert!(tried > 10, "only {tried} changes were tried");
}

/// `.git`, `CNAME` and `.nojekyll` in a published output survive every
/// kind of build, and the summary counts them.
#[test]
fn files_gazette_did_not_write_survive_every_kind_of_build() {
    let scenario = Scenario::new(change_site, true);
    let out = scenario.start.join("output");
    let out_arg = out.to_str().unwrap();
    for (site, args) in [
        (&scenario.after, vec![]),
        (&scenario.after, vec!["--clean"]),
        (&scenario.before, vec!["--base-url", "https://example.com/"]),
    ] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
        let run =
            command.arg("build").arg("--root").arg(site).args(["--output", out_arg]).args(&args).output().unwrap();
        let said = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
        assert!(run.status.success(), "{said}");
        assert!(said.contains(", 3 not written by Gazette kept"), "{args:?}: {said}");
        check_leftovers(&scenario.start, &out).unwrap_or_else(|p| panic!("{args:?}: {p}"));
    }
    assert!(scenario.clean_after.iter().all(|(rel, _)| !is_foreign(rel)));
}

/// A file the user put in the output where the site now makes a page is
/// never replaced: the build stops before changing anything, naming it.
#[test]
fn a_file_gazette_did_not_write_where_a_page_must_go_stops_the_build() {
    let scenario = Scenario::new(change_site, true);
    let out = scenario.start.join("output");
    std::fs::create_dir_all(out.join("2025/12/03/ferry-returns")).unwrap();
    std::fs::write(out.join("2025/12/03/ferry-returns/index.html"), "my own page").unwrap();
    let before = tree(&out);
    let run = gazette(&scenario.after, &["--output", out.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "2025/12/03/ferry-returns/index.html: was not written by Gazette, and the build now writes this file"
        ),
        "{stderr}"
    );
    assert!(difference(&tree(&out), &before).is_none(), "the output changed");
}

/// `gazette check` says when the last build stopped half way, and the
/// next build says what it repaired.
#[test]
fn check_and_the_next_build_tell_of_an_interrupted_build() {
    let scenario = Scenario::new(change_site, true);
    // The output where `check` looks for it: in the site.
    copy_dir(&scenario.start, &scenario.after);
    let out = scenario.after.join("output");
    let journal = scenario.after.join(".output.gazette-state/journal");
    // Kill builds later and later until one stops with its journal written.
    let mut n = 1;
    while !journal.exists() {
        let run = gazette(&scenario.after, &["--output", out.to_str().unwrap()], Some(format!("{n}:abort")));
        assert!(!run.status.success(), "no change left a journal behind");
        n += 1;
    }
    let check = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["check", "--root"])
        .arg(&scenario.after)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.contains("the last build of this folder stopped before it finished"), "{said}");
    let repair =
        Command::new(env!("CARGO_BIN_EXE_gazette")).args(["build", "--root"]).arg(&scenario.after).output().unwrap();
    let stderr = String::from_utf8_lossy(&repair.stderr);
    assert!(stderr.contains("stopped before it finished; this one makes again or removes the"), "{stderr}");
    assert!(!journal.exists());
}
