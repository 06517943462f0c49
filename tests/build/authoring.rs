//! `gazette init` and `gazette new`: the files they write, read back with
//! Gazette's own loader, and their exit codes.

use crate::common::{gazette, list_files, load_article as load, stderr, stdout};

#[test]
fn init_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("news");
    let run = gazette(&["init", site.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        list_files(&site),
        [".gitignore", "content/2025/06/ferry-returns.txt", "content/2025/06/library-hours.md", "site.yaml"]
    );
    let gitignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "/output") && gitignore.lines().any(|l| l == "/.output.gazette-*"));
    let wire = load(&site.join("content/2025/06/ferry-returns.txt"));
    assert_eq!(wire.meta.authors[0].name, "Mara Quinn");
    let md = load(&site.join("content/2025/06/library-hours.md"));
    assert_eq!(md.meta.title, "Library Opens Evenings and Sundays: A Trial Until September");

    let run = gazette(&["build", "--root", site.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stdout(&run).starts_with("Built 2 articles"), "{}", stdout(&run));
    assert!(site.join("output/2025/06/02/harbour-ferry-returns-after-winter-repairs/index.html").is_file());
    let output = site.join("output");
    let broken = gazette::check::links::broken_links(&output).unwrap();
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn init_refuses_a_folder_with_files_and_force_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::write(site.join("site.yaml"), "title: Ours\n").unwrap();
    let run = gazette(&["init", site.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("is not empty (it has site.yaml)"), "{}", stderr(&run));
    assert_eq!(list_files(site), ["site.yaml"]);

    let run = gazette(&["init", "--force", site.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stdout(&run).contains("kept (already there): "), "{}", stdout(&run));
    assert_eq!(std::fs::read_to_string(site.join("site.yaml")).unwrap(), "title: Ours\n");
    assert_eq!(list_files(site).len(), 4);
}

#[test]
fn new_writes_a_story_in_its_month_folder_and_prints_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    std::fs::create_dir(dir.path().join("content")).unwrap();
    let run = gazette(&[
        "new",
        "Port Strike: Talks Resume at #2 Dock",
        "--author",
        "Ann Lee",
        "--author",
        "José García",
        "--location",
        "Northport",
        "--date",
        "Dec. 3, 2025, 2:30 p.m. EST",
        "--root",
        root,
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let path = dir.path().join("content/2025/12/port-strike-talks-resume-at-2-dock.md");
    assert_eq!(stdout(&run).trim(), path.display().to_string());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\ndate: 2025-12-03T14:30:00-05:00\n"), "{text}");
    let article = load(&path);
    assert_eq!(article.meta.title, "Port Strike: Talks Resume at #2 Dock");
    assert_eq!(article.meta.date.at.to_rfc3339(), "2025-12-03T14:30:00-05:00");
    let names: Vec<&str> = article.meta.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Ann Lee", "José García"]);
    assert_eq!(article.meta.location.as_deref(), Some("Northport"));
    // The slug is written down: a headline edited after publication keeps
    // the story at its URL.
    assert!(text.contains("\nslug: port-strike-talks-resume-at-2-dock\n"), "{text}");
    std::fs::write(&path, text.replace("Talks Resume at #2 Dock", "Talks Resume at Dock Two")).unwrap();
    assert_eq!(load(&path).meta.slug.as_str(), "port-strike-talks-resume-at-2-dock");

    // The date defaults to now (SOURCE_DATE_EPOCH: 2026-01-01T00:00Z) in
    // the site's timezone; wire form on request.
    std::fs::write(dir.path().join("site.yaml"), "timezone: \"-05:00\"\n").unwrap();
    let run = gazette(&["new", "Snow Closes Schools", "--format", "txt", "--author", "Bo Chen", "--root", root]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let path = dir.path().join("content/2025/12/snow-closes-schools.txt");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "Snow Closes Schools\n- Bo Chen\n- December 31, 2025 19:00 -05:00\n\n"
    );
    assert_eq!(load(&path).meta.date.at.to_rfc3339(), "2025-12-31T19:00:00-05:00");
}

#[test]
fn new_refuses_to_overwrite_and_rejects_bad_dates() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let args = ["new", "Budget Passes", "--date", "2025-11-20", "--root", root];
    assert_eq!(gazette(&args).status.code(), Some(0));
    let path = dir.path().join("content/2025/11/budget-passes.md");
    std::fs::write(&path, "my edits").unwrap();
    let run = gazette(&args);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("content/2025/11/budget-passes.md: already exists"), "{}", stderr(&run));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my edits");

    let run = gazette(&["new", "Budget Passes", "--date", "the 5th of never", "--root", root]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("--date \"the 5th of never\""), "{}", stderr(&run));
}
