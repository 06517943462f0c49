//! The edges of real input: leap seconds, year 0, stray NUL bytes,
//! UTF-16 files, impossible days in file names, names Windows reserves.

use crate::common::{gazette, list_files};

/// A site in a temporary folder with these files.
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// Build `dir` with the binary: (exit code, stderr).
fn build(dir: &tempfile::TempDir) -> (Option<i32>, String) {
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    (run.status.code(), String::from_utf8(run.stderr).unwrap())
}

#[test]
fn a_leap_second_is_never_written_as_second_60() {
    let dir = site(&[
        ("site.yaml", b"base_url: https://example.org/\n"),
        ("content/a.md", b"---\ntitle: The Last Second\ndate: 2016-12-31T23:59:60Z\n---\nBody.\n"),
        ("content/b.txt", b"Wire Second\n- Ann Lee\n- 2016-12-31 23:59:60.5 +00:00\nBody.\n"),
    ]);
    assert_eq!(build(&dir).0, Some(0));
    let out = dir.path().join("output");
    let page = std::fs::read_to_string(out.join("2016/12/31/the-last-second/index.html")).unwrap();
    assert!(page.contains("<time datetime=\"2016-12-31T23:59:59+00:00\""), "{page}");
    for file in list_files(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(out.join(&file)).unwrap()).into_owned();
        assert!(!text.contains("59:60"), "{file} has a second 60");
    }
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("2016-12-31T23:59:59.500+00:00") && feed.contains("2016-12-31T23:59:59+00:00"), "{feed}");
}

#[test]
fn year_0_and_impossible_days_are_named() {
    let dir = site(&[
        ("content/a.md", b"---\ntitle: Before Christ\ndate: 0000-06-01\n---\nBody.\n"),
        ("content/b.txt", b"Wire\n- Ann Lee\n- February 29, 2023\nBody.\n"),
        ("content/2023-02-30-feature.md", b"---\ntitle: Feature\n---\nBody.\n"),
    ]);
    let (code, stderr) = build(&dir);
    assert_eq!(code, Some(1));
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        errors,
        [
            "error: content/2023-02-30-feature.md:1:1: missing date, and the file name's date 2023-02-30 is not a \
             day (February 2023 has 28 days): add `date: 2025-12-03` or rename the file",
            "error: content/a.md:3:7: date \"0000-06-01\" is not a day: year 0 does not exist (1 BC is followed by AD 1)",
            "error: content/b.txt:3:3: the date \"February 29, 2023\" is not a day: February 2023 has 28 days",
        ]
    );
}

#[test]
fn a_year_0_date_is_refused_by_new_too() {
    let dir = site(&[("content/.keep", b"")]);
    let run = gazette(&["new", "Headline", "--date", "0000-01-01", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(stderr, "error: --date \"0000-01-01\" is not a day: year 0 does not exist (1 BC is followed by AD 1)\n");
}

#[test]
fn utf16_files_are_named_and_nul_bytes_are_warned_about() {
    let story = "Headline\n- Ann Lee\n- 2025-12-03\nBody.\n";
    let le: Vec<u8> = [0xff, 0xfe].into_iter().chain(story.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let dir = site(&[("content/a.txt", &le)]);
    let (code, stderr) = build(&dir);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("error: content/a.txt:1:1: this file is UTF-16 (little-endian), not UTF-8: save it as UTF-8"),
        "{stderr}"
    );

    let dir = site(&[("content/a.md", b"---\ntitle: Stray\ndate: 2025-01-01\n---\nA\0B.\n")]);
    let (code, stderr) = build(&dir);
    assert_eq!(code, Some(0));
    let warning = "content/a.md:5:2: a NUL byte removed: the file may be damaged, or not plain text; check it";
    assert!(stderr.contains(&format!("warning: {warning}")), "{stderr}");
    let page = std::fs::read_to_string(dir.path().join("output/2025/01/01/stray/index.html")).unwrap();
    assert!(page.contains("<p>AB.</p>"), "{page}");
    let check = gazette(&["check", "--root", dir.path().to_str().unwrap()]);
    assert!(String::from_utf8(check.stdout).unwrap().contains(&format!("warning: {warning}")));
}

#[test]
fn names_windows_reserves_are_never_folder_names() {
    let dir = site(&[
        ("content/a.md", b"---\ntitle: Con\nauthor: Nul\ndate: 2025-01-01\n---\nBody.\n"),
        ("content/b.md", b"---\ntitle: Printers\nslug: LPT1\ndate: 2025-01-01\n---\nBody.\n"),
    ]);
    assert_eq!(build(&dir).0, Some(0));
    let files = list_files(&dir.path().join("output"));
    for page in ["2025/01/01/con-1/index.html", "2025/01/01/lpt1-1/index.html", "authors/nul-1/index.html"] {
        assert!(files.iter().any(|f| f == page), "no {page} in {files:?}");
    }
    let reserved = ["con", "prn", "aux", "nul", "lpt1"];
    assert!(files.iter().all(|f| f.split('/').all(|part| !reserved.contains(&part))), "{files:?}");
}
