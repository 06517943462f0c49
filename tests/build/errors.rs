//! Bad input: every problem in one run, each with file, line and column;
//! a failed build leaves the previous output untouched.

use crate::common::{build_with, fixture, gazette, list_files};

#[test]
fn every_bad_article_is_reported_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let root = fixture("bad_articles");
    let run = gazette(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    insta::assert_snapshot!("bad_articles_report", stderr);
    assert!(!out.exists(), "a failed first build must not leave an output folder");
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = built_site("good.md", "---\ntitle: Good\ndate: 2025-01-01\n---\nFine.\n");
    let root = site.path();
    let root_arg = root.to_str().unwrap();
    let out = root.join("output");
    let before: Vec<(String, Vec<u8>)> =
        list_files(&out).into_iter().map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap())).collect();

    std::fs::write(root.join("content/bad.md"), "---\ntitle: Bad\ndate: never\n---\n").unwrap();
    std::fs::write(root.join("content/good.md"), "---\ntitle: Changed\ndate: 2025-01-01\n---\nNew.\n").unwrap();
    let run = gazette(&["build", "--root", root_arg]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("content/bad.md:3:7: unparseable date \"never\""));

    let after: Vec<(String, Vec<u8>)> =
        list_files(&out).into_iter().map(|f| (f.clone(), std::fs::read(out.join(&f)).unwrap())).collect();
    assert_eq!(before, after);
    let leftovers: Vec<String> =
        std::fs::read_dir(root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!leftovers.iter().any(|n| n.contains("staging")), "{leftovers:?}");
}

#[test]
fn a_template_error_also_leaves_the_output_alone() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("content/a.md"), "---\ntitle: A\ndate: 2025-01-01\n---\nFine.\n").unwrap();
    let root_arg = root.to_str().unwrap();
    assert_eq!(gazette(&["build", "--root", root_arg]).status.code(), Some(0));
    let home = std::fs::read(root.join("output/index.html")).unwrap();

    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/article.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n{{ article.no_such_field }}\n{% endblock main %}\n",
    )
    .unwrap();
    let run = gazette(&["build", "--root", root_arg]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("templates/article.html:3:"), "{stderr}");
    assert!(stderr.contains("2025/01/01/a/"), "names the page being rendered: {stderr}");
    assert_eq!(std::fs::read(root.join("output/index.html")).unwrap(), home);
}

#[test]
fn keep_going_builds_the_good_articles_and_lists_the_bad() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let root = fixture("bad_articles");
    let run = gazette(&["build", "--keep-going", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(stderr.lines().filter(|l| l.starts_with("skipped: content/")).count(), 7, "{stderr}");
    assert!(out.join("2025/03/01/a-good-story/index.html").is_file());
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.starts_with("Built 1 article in "), "{stdout}");

    let built = build_with("bad_articles", |o| o.keep_going = true);
    assert_eq!(built.report.skipped.len(), 7);
}

#[test]
fn keep_going_leaves_out_a_page_a_template_fails_on_and_publishes_the_rest() {
    // A site template that breaks only on articles whose front matter says so.
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/article.html"),
        "{% extends \"theme:article.html\" %}\n{% block story_body %}{% if article.extra.breaks %}\n\
         {{ article.no_such_field }}{% endif %}{{ super() }}{% endblock story_body %}\n",
    )
    .unwrap();
    let good_md = "---\ntitle: Good\ndate: 2025-01-01\n---\nFine.\n";
    std::fs::write(root.join("content/good.md"), good_md).unwrap();
    std::fs::write(root.join("content/bad.md"), "---\ntitle: Bad\ndate: 2025-01-02\nbreaks: true\n---\nFine.\n")
        .unwrap();
    let root_arg = root.to_str().unwrap();
    let out = root.join("output");
    let skipped =
        |stderr: &str| stderr.lines().filter(|l| l.starts_with("skipped: ")).map(String::from).collect::<Vec<_>>();

    // Without --keep-going the build fails and writes nothing.
    assert_eq!(gazette(&["build", "--root", root_arg]).status.code(), Some(1));
    assert!(!out.exists());

    let run = gazette(&["build", "--keep-going", "--root", root_arg]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8(run.stderr).unwrap();
    let lines = skipped(&stderr);
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("templates/article.html:3:") && lines[0].contains("2025/01/02/bad/"), "{stderr}");
    assert!(out.join("2025/01/01/good/index.html").is_file());
    assert!(out.join("index.html").is_file());
    assert!(!out.join("2025/01/02/bad").exists(), "neither the page nor an empty folder for it");
    assert!(String::from_utf8(run.stdout).unwrap().contains("(1 problem skipped)"));

    // Updating in place: an edit makes the good article fail too. Its page
    // keeps the previous version, and every later build tries both again.
    let good_page = std::fs::read(out.join("2025/01/01/good/index.html")).unwrap();
    std::fs::write(root.join("content/good.md"), good_md.replace("---\nF", "breaks: true\n---\nF")).unwrap();
    for _ in 0..2 {
        let run = gazette(&["build", "--keep-going", "--root", root_arg]);
        assert_eq!(run.status.code(), Some(0));
        let stderr = String::from_utf8(run.stderr).unwrap();
        assert_eq!(skipped(&stderr).len(), 2, "{stderr}");
        assert_eq!(std::fs::read(out.join("2025/01/01/good/index.html")).unwrap(), good_page);
    }
}

#[test]
fn unknown_site_yaml_key_is_an_error_naming_it() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("content")).unwrap();
    std::fs::write(site.path().join("site.yaml"), "title: X\nper_pgae: 5\n").unwrap();
    let run = gazette(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("site.yaml:2:1: unknown field `per_pgae`"), "{stderr}");
}

#[test]
fn a_malformed_source_date_epoch_stops_the_build_before_it_starts() {
    let site = built_site("2025-12-03-story.md", "---\ntitle: Story\n---\nText.\n");
    let root = site.path().to_str().unwrap();
    let before = list_files(&site.path().join("output"));
    for value in ["-8334601228800", "yesterday", "99999999999999"] {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "--root", root])
            .env("SOURCE_DATE_EPOCH", value)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "{value}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(&format!("SOURCE_DATE_EPOCH=\"{value}\" is not a time")), "{stderr}");
    }
    assert_eq!(list_files(&site.path().join("output")), before);
}

#[test]
fn no_content_folder_is_a_clear_error() {
    let site = tempfile::tempdir().unwrap();
    let run = gazette(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("content: no such folder"));
}

#[test]
fn a_second_build_into_an_output_being_written_stops_and_leaves_it_alone() {
    let site = built_site("a.md", "---\ntitle: First\ndate: 2025-01-01\n---\nOne.\n");
    let root = site.path();
    let root_arg = root.to_str().unwrap();
    let out = root.join("output");
    let before = list_files(&out);

    // A build in progress holds the lock in the build state beside the output.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(root.join(".output.gazette-state/lock"))
        .unwrap();
    lock.try_lock().unwrap();
    std::fs::write(root.join("content/b.md"), "---\ntitle: Second\ndate: 2025-01-02\n---\nTwo.\n").unwrap();
    let run = gazette(&["build", "--root", root_arg]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("another gazette build is writing this folder"), "{stderr}");
    assert_eq!(list_files(&out), before);
    assert!(!root.join(".output.gazette-staging").exists());

    // Once that build is over, the next one runs.
    drop(lock);
    assert_eq!(gazette(&["build", "--root", root_arg]).status.code(), Some(0));
    assert!(out.join("2025/01/02/second/index.html").exists());
}

/// A site whose `content/` holds one article, `name`, already built once
/// (successfully) into its `output/`.
fn built_site(name: &str, article: &str) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir(site.path().join("content")).unwrap();
    std::fs::write(site.path().join("content").join(name), article).unwrap();
    let run = gazette(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    site
}

#[test]
fn six_different_problems_are_all_reported_in_one_run_in_file_order() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("site.yaml", "title: Six\ncolour: blue\nper_page: 0\n");
    write("content/authors/ann.yaml", "name: Ann Lee\nbio: [not, text]\n");
    write(
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block main %}{{ article.title }{% endblock main %}\n",
    );
    write("content/2025/01/no-date.md", "---\ntitle: No date\n---\nBody.\n");
    write("content/2025/01/bad-date.txt", "Headline\n- Ann Lee\n- 2025-13-45\nBody.\n");
    write("content/2025/01/good.md", "---\ntitle: Good\ndate: 2025-01-02\n---\nFine.\n");
    let run = gazette(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    let places: Vec<&str> = errors.iter().map(|l| l["error: ".len()..].split(": ").next().unwrap()).collect();
    assert_eq!(
        places,
        [
            "content/2025/01/bad-date.txt:3:3",
            "content/2025/01/no-date.md:1:1",
            "content/authors/ann.yaml:2:6",
            "site.yaml:2:1",
            "site.yaml:3:11",
            "templates/article.html:2:34",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("Build failed: 6 problems"), "{stderr}");
    assert!(!root.join("output").exists());
    // `check` finds the same six, each once.
    let check = gazette(&["check", "--root", root.to_str().unwrap()]);
    let stdout = String::from_utf8(check.stdout).unwrap();
    assert!(stdout.ends_with("Checked 3 articles: 6 errors, 1 warning\n"), "{stdout}");
}

#[test]
fn a_robots_txt_in_content_is_told_where_it_goes() {
    // Every .txt file in content/ is wire copy; a site's own robots.txt is
    // not a story, and the error says where it belongs. A story's own error
    // gets no such hint.
    let site = built_site("good.md", "---\ntitle: Good\ndate: 2025-01-01\n---\nFine.\n");
    let root = site.path();
    std::fs::write(root.join("content/robots.txt"), "User-agent: *\nDisallow: /drafts/\n").unwrap();
    std::fs::write(root.join("content/story.txt"), "A Headline\nNo date here.\n").unwrap();
    let run = gazette(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    let line = |file: &str| stderr.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("{file}: {stderr}"));
    assert!(line("content/robots.txt:").contains("the site's own robots.txt goes in static/"), "{stderr}");
    assert!(!line("content/story.txt:").contains("static/"), "{stderr}");

    // Moved there, it is the site's robots.txt.
    std::fs::remove_file(root.join("content/story.txt")).unwrap();
    std::fs::create_dir(root.join("static")).unwrap();
    std::fs::rename(root.join("content/robots.txt"), root.join("static/robots.txt")).unwrap();
    let run = gazette(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let robots = std::fs::read_to_string(root.join("output/robots.txt")).unwrap();
    assert_eq!(robots, "User-agent: *\nDisallow: /drafts/\n");
}
