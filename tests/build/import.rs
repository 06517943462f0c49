//! `gazette import`: wire copy, Jekyll posts and Hugo content become
//! Gazette articles that load and build as the originals did.

use std::path::Path;

use serde_json::json;

use crate::common::{broken_links, build_with, fixture, gazette, list_files, load_article, main_of, now, stdout};

fn import(from: &str, src: &Path, root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "--from", from, src.to_str().unwrap(), "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    gazette(&args)
}

/// Article pages of a built site: `YYYY/MM/DD/slug/index.html`.
fn article_pages(out: &Path) -> Vec<String> {
    list_files(out)
        .into_iter()
        .filter(|f| {
            let parts: Vec<&str> = f.split('/').collect();
            parts.len() == 5
                && parts[4] == "index.html"
                && parts[..3].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect()
}

#[test]
fn wire_import_then_build_gives_the_same_articles_as_building_the_wire_files() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let run = import("wire", &fixture("import_wire/content"), &site, &[]);
    let report = stdout(&run);
    assert_eq!(run.status.code(), Some(1), "something was skipped:\n{report}");
    assert!(report.contains("Imported 7, skipped 2, already present 0"), "{report}");
    assert!(report.contains("import_wire/content/2025/10/no-date.txt:4:1: no date line"), "{report}");
    assert!(report.contains("import_wire/content/notes.csv: not a wire story"), "{report}");
    // Two stories with one headline on one day: two files, like two URLs.
    assert!(site.join("content/2025/11/council-budget-live-updates.md").is_file());
    assert!(site.join("content/2025/11/council-budget-live-updates-2.md").is_file());

    let direct = build_with("import_wire", |o| o.keep_going = true);
    let out = dir.path().join("out");
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(&site, now()) };
    let imported = gazette::build(&options).unwrap();
    assert_eq!(imported.articles, 7);
    let pages = article_pages(&direct.out);
    assert_eq!(pages.len(), 7, "{pages:?}");
    assert_eq!(article_pages(&out), pages);
    for page in &pages {
        let imported = std::fs::read_to_string(out.join(page)).unwrap();
        assert_eq!(main_of(&imported), main_of(&direct.read(page)), "{page}");
    }
    // Headline, byline, dateline and body as the wire copy wrote them.
    let port = direct.read("2025/12/03/port-strike-dockers-owners-meet-at-2-terminal/index.html");
    assert!(port.contains("<p>#1 demand is a new rota, the union said.</p>"), "{port}");
    assert!(port.contains("<p>* Owners want a two-year deal.</p>") && port.contains("<p>1. Pay</p>"), "{port}");
}

#[test]
fn imported_wire_stories_keep_dates_with_offsets_bylines_and_escaped_bodies() {
    let dir = tempfile::tempdir().unwrap();
    import("wire", &fixture("import_wire/content"), dir.path(), &[]);
    let port = load_article(&dir.path().join("content/2025/12/port-strike-dockers-owners-meet-at-2-terminal.md"));
    assert_eq!(port.meta.title, "Port Strike: Dockers & Owners Meet at #2 Terminal");
    assert_eq!(port.meta.date.at.to_rfc3339(), "2025-12-03T14:30:00-05:00");
    let names: Vec<&str> = port.meta.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Ann Lee", "Bo Chen"]);
    assert_eq!(port.meta.location.as_deref(), Some("Northport"));
    assert!(port.body.starts_with("\\#1 demand"), "{}", port.body);
    let late = load_article(&dir.path().join("content/2025/12/fireworks-cancelled-over-high-winds.md"));
    assert_eq!(late.meta.date.at.to_rfc3339(), "2025-12-30T23:30:00-05:00");
    // A time written without an offset stays without one: the site's
    // timezone applies to it, now and after the site changes it.
    let update = std::fs::read_to_string(dir.path().join("content/2025/11/council-budget-live-updates.md")).unwrap();
    assert!(update.contains("\ndate: 2025-11-20 10:00\n"), "{update}");
    let update = load_article(&dir.path().join("content/2025/11/council-budget-live-updates.md"));
    assert_eq!(update.meta.date.at.to_rfc3339(), "2025-11-20T10:00:00+00:00");
    let port =
        std::fs::read_to_string(dir.path().join("content/2025/12/port-strike-dockers-owners-meet-at-2-terminal.md"))
            .unwrap();
    assert!(port.contains("\ndate: 2025-12-03T14:30:00-05:00\n"), "{port}");
    let tides = std::fs::read_to_string(dir.path().join("content/2025/12/tide-tables-for-the-week.md")).unwrap();
    assert_eq!(
        tides,
        "---\ntitle: Tide Tables for the Week\ndate: 2025-12-01\nslug: tide-tables-for-the-week\n---\nHigh water at 06:12 and 18:40 on Monday.\n"
    );
}

#[test]
fn import_never_overwrites_and_a_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("import_wire/content");
    let run = import("wire", &src, dir.path(), &["--dry-run"]);
    let report = stdout(&run);
    assert!(report.contains("would convert: "), "{report}");
    assert!(
        report.contains("Dry run: would have imported 7, skipped 2, already present 0 (nothing written)"),
        "{report}"
    );
    assert!(!dir.path().join("content").exists());

    let into = dir.path().join("elsewhere");
    import("wire", &src, dir.path(), &["--into", into.to_str().unwrap()]);
    let edited = into.join("2025/12/tide-tables-for-the-week.md");
    std::fs::write(&edited, "edited by hand").unwrap();
    let run = import("wire", &src, dir.path(), &["--into", into.to_str().unwrap()]);
    let report = stdout(&run);
    assert!(report.contains("Imported 0, skipped 2, already present 7"), "{report}");
    assert!(report.contains("already present: "), "{report}");
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), "edited by hand");
}

#[test]
fn jekyll_posts_keep_their_dates_slugs_and_keys_and_liquid_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = import("jekyll", &fixture("import_jekyll"), dir.path(), &[]);
    let report = stdout(&run);
    assert_eq!(run.status.code(), Some(1));
    assert!(report.contains("Imported 3, skipped 3, already present 0"), "{report}");
    for line in [
        "_posts/2025-08-01-untitled.md:1:1: no title",
        "_posts/2025-09-09-html-post.html: not a Markdown post",
        "_posts/notes.md: not a post: Jekyll post file names start with the date",
        "warning: ",
        "_posts/2025-12-03-harbour-strike.md:13:1: Liquid tag kept as written (it will show as text): {% include figure.html",
        "_posts/2025-12-03-harbour-strike.md:15:9: Liquid tag kept as written (it will show as text): {{ site.baseurl }}",
        "note: ",
        "_posts/2025-12-03-harbour-strike.md:8:12: permalink \"/news/harbour-strike/\" is kept as an unknown key: \
         Gazette publishes this article at 2025/12/03/harbour-strike/",
        "_posts/2025/2025-10-05-ferry.md:3:7: the date (2025-10-06) is not the file name's (2025-10-05)",
    ] {
        assert!(report.contains(line), "no {line:?} in\n{report}");
    }
    let content = dir.path().join("content");
    let strike = load_article(&content.join("2025/12/harbour-strike.md"));
    assert_eq!(strike.meta.title, "Harbour Strike: Day Two");
    assert_eq!(strike.meta.date.at.to_rfc3339(), "2025-12-03T14:30:00+01:00");
    assert_eq!(strike.meta.slug.as_str(), "harbour-strike");
    assert_eq!(strike.meta.categories, ["news", "local"]);
    assert_eq!(strike.meta.tags, ["port", "labour"]);
    let extra = strike.meta.extra.to_map();
    assert_eq!(extra["permalink"], json!("/news/harbour-strike/"));
    assert_eq!(extra["layout"], json!("post"));
    assert!(strike.body.contains("<!--more-->\n{% include figure.html"), "{}", strike.body);
    // The date from the file name; `published: false` still keeps it out.
    let budget = load_article(&content.join("2025/11/budget-vote.md"));
    assert_eq!(budget.meta.date.at.to_rfc3339(), "2025-11-20T00:00:00+00:00");
    assert_eq!(budget.meta.tags, ["council", "budget"]);
    assert!(budget.meta.draft);
    assert_eq!(load_article(&content.join("2025/10/ferry-timetable.md")).meta.slug.as_str(), "ferry-timetable");

    let out = dir.path().join("out");
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(dir.path(), now()) };
    assert_eq!(gazette::build(&options).unwrap().articles, 2);
    assert!(out.join("2025/12/03/harbour-strike/index.html").is_file());
}

#[test]
fn hugo_content_keeps_slugs_aliases_drafts_and_tables_and_shortcodes_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = import("hugo", &fixture("import_hugo"), dir.path(), &[]);
    let report = stdout(&run);
    assert!(report.contains("Imported 3, skipped 3, already present 0"), "{report}");
    for line in [
        "posts/_index.md: a section's list page (_index.md), not an article",
        "posts/broken.md:2:16: ",
        "posts/no-date.md:1:1: no date",
        "posts/council-vote.md:14:1: Hugo shortcode kept as written (it will show as text): {{< figure src=\"chart.png\" title=\"The vote\" >}}",
        "posts/council-vote.md:15:1: Hugo shortcode kept as written (it will show as text): {{% note %}}",
        "posts/council-vote.md:6:10: aliases [\"/old/council-vote/\"] is kept as an unknown key",
        "posts/port-reopens.md:5:7: url \"/news/port-reopens.html\" is kept as an unknown key: Gazette publishes \
         this article at 2025/12/05/port-reopens/ (redirect the old address on your host)",
        "copy: ",
    ] {
        assert!(report.contains(line), "no {line:?} in\n{report}");
    }
    let content = dir.path().join("content");
    let vote = load_article(&content.join("2025/12/council-votes-yes.md"));
    assert_eq!(vote.meta.title, "Council Votes Yes: What Changes");
    assert_eq!(vote.meta.date.at.to_rfc3339(), "2025-12-03T10:00:00-05:00");
    assert_eq!(vote.meta.updated.unwrap().at.to_rfc3339(), "2025-12-04T09:00:00-05:00");
    assert_eq!(vote.meta.slug.as_str(), "council-votes-yes");
    assert_eq!(
        (vote.meta.tags.as_slice(), vote.meta.categories.as_slice()),
        (&["council".to_string()][..], &["politics".to_string()][..])
    );
    let extra = vote.meta.extra.to_map();
    assert_eq!(extra["aliases"], json!(["/old/council-vote/"]));
    assert_eq!(extra["weight"], json!(3));
    assert!(vote.body.contains("{{< figure src=\"chart.png\" title=\"The vote\" >}}"));

    let port = load_article(&content.join("2025/12/port-reopens.md"));
    assert!(port.meta.draft);
    assert_eq!(port.meta.date.at.to_rfc3339(), "2025-12-05T08:00:00+00:00");
    let names: Vec<&str> = port.meta.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Ann Lee", "Bo Chen"]);
    assert_eq!(port.meta.tags, ["port", "storm"]);
    let extra = port.meta.extra.to_map();
    assert_eq!(extra["params"], json!({"subtitle": "Cranes back in service"}));
    assert_eq!(extra["photo_credit"], json!("Staff"));
    assert_eq!(extra["url"], json!("/news/port-reopens.html"));
    assert_eq!(extra["taxonomies"], json!({"regions": ["north"]}));

    // A page bundle: its slug is the folder's name and its image comes along.
    let bridge = load_article(&content.join("2025/11/bridge.md"));
    assert_eq!(bridge.meta.slug.as_str(), "bridge");
    assert!(content.join("2025/11/bridge.svg").is_file());
    let out = dir.path().join("out");
    let options = gazette::BuildOptions {
        output: Some(out.clone()),
        drafts: true,
        ..gazette::BuildOptions::new(dir.path(), now())
    };
    assert_eq!(gazette::build(&options).unwrap().articles, 3);
    assert!(out.join("2025/12/05/port-reopens/index.html").is_file());
    assert!(std::fs::read_to_string(out.join("2025/11/02/bridge/index.html")).unwrap().contains("bridge.svg"));
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}
