//! `gazette check`: every planted problem found at its file and line, as
//! text and as JSON, with the exit code CI needs; nothing written to output/.

use serde_json::Value;

use crate::common::{fixture, gazette, stderr, stdout};

fn check(root: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["check", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    gazette(&args)
}

#[test]
fn check_finds_each_planted_problem_at_its_file_and_line() {
    let root = fixture("check_problems");
    let run = check(&root, &[]);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let report = stdout(&run);
    for line in [
        "error: content/2025/12/bad-date.md:3:7: unparseable date \"someday\"",
        "error: content/2025/12/links.md:8:10: broken link: there is no content/2025/12/chart.png",
        "error: content/2025/12/links.md:10:17: links to content/2025/12/draft.md, which is not published",
        "warning: content/2025/12/links.md:10:43: absolute link \"/about/\"",
        "warning: content/2025/12/no-byline.md:1:1: no byline",
        "warning: content/2025/12/no-byline.md:4:8: lead image \"Frost.SVG\" is an SVG, which link previews",
        "warning: content/2025/12/no-byline.md:4:8: the lead image has no alt text",
        "warning: content/2025/12/wire-no-byline.txt:2:1: no byline",
        "warning: content/2025/11/wrong-folder.md:4:7: dated 2025-12-02, but filed under 2025/11/",
        "warning: content/2025/12/2025-12-04-named.md:4:7: dated 2025-12-05, but the file name says 2025-12-04",
        "warning: content/2025/12/dup-b.md:2:8: same headline as content/2025/12/dup-a.txt:1:1 on the same day",
        "warning: content/2025/12/empty.md:6:1: empty body",
        "warning: content/2026/03/future.md:3:7: dated 2026-03-01T09:00:00+01:00, in the future",
        "warning: content/2025/12/dup-a.txt:2:3: author \"Minwoo Jung (@jmwsoft)\" (1 article) is also written \
         \"Minwoo Jung\" (2 articles, first at content/2025/11/wrong-folder.md:3:9)",
        "warning: content/2025/12/dup-b.md:5:5: author \"Jose Garcia\" (1 article) is also written \"José García\" \
         (1 article, first at content/2025/12/2025-12-04-named.md:3:9)",
        "Checked 12 articles: 3 errors, 12 warnings",
    ] {
        assert!(report.contains(line), "no {line:?} in\n{report}");
    }
    insta::assert_snapshot!("check_problems_report", report);
    assert!(!root.join("output").exists() && !root.join(".output.gazette-state").exists());
}

#[test]
fn json_output_lists_errors_and_warnings_with_kinds() {
    let run = check(&fixture("check_problems"), &["--format", "json"]);
    assert_eq!(run.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&run)).unwrap();
    let kinds = |list: &str| -> Vec<String> {
        report[list].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(kinds("errors"), ["load", "broken-link", "broken-link"]);
    let mut warnings = kinds("warnings");
    warnings.sort();
    warnings.dedup();
    assert_eq!(
        warnings,
        [
            "absolute-link",
            "author-spelling",
            "date-file-name",
            "date-folder",
            "duplicate-headline",
            "empty-body",
            "future-date",
            "missing-alt",
            "missing-byline",
            "preview-image"
        ]
    );
    let first = &report["errors"][0];
    assert_eq!(first["path"], "content/2025/12/bad-date.md");
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(3), Some(7)));
    assert!(first["message"].as_str().unwrap().starts_with("unparseable date"));
}

#[test]
fn a_new_site_checks_clean_and_warnings_alone_do_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    assert_eq!(gazette(&["init", root.to_str().unwrap()]).status.code(), Some(0));
    let run = check(root, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stdout(&run));
    assert_eq!(stdout(&run), "Checked 2 articles: 0 errors, 0 warnings\n");
    assert!(!root.join("output").exists(), "check writes nothing to output/");

    // A story filed but not yet written: a warning, exit 0.
    let run = gazette(&[
        "new",
        "Storm Warning",
        "--author",
        "Ann Lee",
        "--date",
        "2025-12-01",
        "--root",
        root.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let run = check(root, &[]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(
        stdout(&run),
        "warning: content/2025/12/storm-warning.md:7:1: empty body: the story has no text\n\
         Checked 3 articles: 0 errors, 1 warning\n"
    );
}

#[test]
fn a_failing_build_and_template_links_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("content/a.md"), "---\ntitle: A\ndate: 2025-01-01\nauthor: Ann\n---\nText.\n").unwrap();
    std::fs::write(root.join("content/b.md"), "---\ntitle: B\ndate: 2025-01-02\nauthor: Ann\n---\nText.\n").unwrap();
    // Every article page links to a stylesheet that does not exist.
    std::fs::write(
        root.join("templates/article.html"),
        "{% extends \"theme:article.html\" %}\n{% block main %}<link rel=\"stylesheet\" href=\"{{ page.root }}print.css\">{{ super() }}{% endblock main %}\n",
    )
    .unwrap();
    let run = check(root, &[]);
    let report = stdout(&run);
    assert_eq!(run.status.code(), Some(1), "{report}{}", stderr(&run));
    assert!(
        report.contains("error: output/2025/01/01/a/index.html:")
            && report.contains(
                "broken link \"../../../../print.css\": there is no print.css in the built site (and on 1 more page)"
            ),
        "{report}"
    );

    std::fs::write(
        root.join("templates/article.html"),
        "{% extends \"base.html\" %}\n{% block main %}{{ nope }}{% endblock main %}\n",
    )
    .unwrap();
    let run = check(root, &[]);
    let report = stdout(&run);
    assert_eq!(run.status.code(), Some(1));
    assert!(report.contains("error: templates/article.html:2:"), "{report}");
    // Every other page was still built and checked, and the links to the
    // pages the template failed on are not reported again as broken.
    assert!(report.contains("(while rendering 2025/01/02/b/)"), "{report}");
    assert!(!report.contains("broken link"), "{report}");
}

#[test]
fn build_warns_of_the_same_broken_links_at_the_same_places() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let root = fixture("check_problems");
    let run = gazette(&["build", "--keep-going", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    let stderr = stderr(&run);
    for line in [
        "warning: content/2025/12/links.md:8:10: broken link: there is no content/2025/12/chart.png \
         (the article links to \"chart.png\")",
        "warning: content/2025/12/links.md:10:17: links to content/2025/12/draft.md, which is not published \
         (a draft, dated in the future, or broken)",
    ] {
        assert!(stderr.contains(line), "no {line:?} in\n{stderr}");
    }
}

#[test]
fn tags_with_no_letters_and_names_written_two_ways_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&fixture("discovery"), dir.path());
    crate::common::write(
        &dir.path().join("content/2025/ferry-timetable.md"),
        "---\ntitle: New Ferry Timetable\ndate: 2025-03-08\nauthor: Bo Chen\nsection: POLITICS\nlocation: Rome\ntags: [Ferries, \"!!!\"]\n---\nBody.\n",
    );
    crate::common::write(
        &dir.path().join("content/2025/port-wire.txt"),
        "Port Opens Late\n- Ann Lee\n- Rome\n- March 9, 2025\n- Tags: ferries!\nBody.\n",
    );
    // A draft is not published: its spelling files nothing (a name with
    // no letters is still worth a warning).
    crate::common::write(
        &dir.path().join("content/2025/draft.md"),
        "---\ntitle: Draft\ndate: 2025-03-01\nauthor: Bo Chen\ndraft: true\ntags: [FERRIES, \"???\"]\n---\nBody.\n",
    );
    let run = check(dir.path(), &[]);
    let report = stdout(&run);
    for line in [
        "warning: content/2025/ferry-timetable.md:7:7: tag \"!!!\" has no letters or digits: it is left out of the tags",
        // One use each: the newest article's spelling is the one the page
        // shows (the day as written first: March 7 in Bahía Blanca is
        // before March 8 in Northport, later though it is).
        "note: content/2025/mayor-re-elected.md:6:10: section \"Politics\" is filed with \"POLITICS\" \
         (content/2025/ferry-timetable.md:5:10)",
        "note: content/2025/ferry-timetable.md:7:7: tag \"Ferries\" is filed with \"ferries!\" \
         (content/2025/port-wire.txt:5:3)",
        "note: content/2025/ferry-fares-rise.md:7:7: tag \"ferries\" is filed with \"ferries!\"",
        "warning: content/2025/draft.md:6:7: tag \"???\" has no letters or digits: it is left out of the tags",
        "Checked 9 articles: 0 errors, 2 warnings, 3 notes",
    ] {
        assert!(report.contains(line), "no {line:?} in\n{report}");
    }
    assert!(!report.contains("FERRIES"), "{report}");
    // As the build names them.
    let out = dir.path().join("out");
    let options = ::gazette::BuildOptions {
        output: Some(out.clone()),
        ..::gazette::BuildOptions::new(dir.path(), crate::common::now())
    };
    ::gazette::build(&options).unwrap();
    let tags = std::fs::read_to_string(out.join("tags/index.html")).unwrap();
    assert!(tags.contains(">ferries!</a>"), "{tags}");
    let sections = std::fs::read_to_string(out.join("sections/index.html")).unwrap();
    assert!(sections.contains(">POLITICS</a>"), "{sections}");
    // Spellings a profile names (Harbour, harbor; business, Economy) are
    // meant: no warning.
    assert!(!report.contains("\"harbor\"") && !report.contains("\"Economy\""), "{report}");
    assert_eq!(run.status.code(), Some(0), "warnings and notes alone do not fail: {report}");
}
