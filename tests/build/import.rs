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
    assert!(report.contains("Imported 6, skipped 3, already present 0"), "{report}");
    for line in [
        "_posts/2023-02-30-leap-feature.md: the file name's date 2023-02-30 is not a day (February 2023 has 28 \
         days): rename the file with the post's real date",
        "_posts/2025-08-01-untitled.md:1:1: no title",
        "_posts/notes.md: not a post: Jekyll post file names start with the date",
        "warning: ",
        "_posts/2025-12-03-harbour-strike.md:16:1: Liquid tag kept as written (it will show as text): {% include figure.html",
        "_posts/2025-12-03-harbour-strike.md:18:9: Liquid tag kept as written (it will show as text): {{ site.baseurl }}",
        "note: ",
        "_posts/2025-12-03-harbour-strike.md:8:12: old addresses \"/news/harbour-strike/\", \"/2025/12/03/strike.html\", \
         \"/strike/\" kept as `aliases`: Gazette publishes this article at 2025/12/03/harbour-strike/",
        "_posts/2025/2025-10-05-ferry.md:3:7: the date (2025-10-06) is not the file name's (2025-10-05)",
        "Dates: 3 from `date`, 2 from the file name, 1 from the file name (the `date:` did not parse)\n",
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
    // The permalink and `redirect_from` are the article's old addresses.
    assert_eq!(extra["aliases"], json!(["/news/harbour-strike/", "/2025/12/03/strike.html", "/strike/"]));
    assert!(!extra.contains_key("permalink") && !extra.contains_key("redirect_from"), "{extra:?}");
    assert_eq!(extra["layout"], json!("post"));
    assert!(strike.body.contains("<!--more-->\n{% include figure.html"), "{}", strike.body);
    // The date from the file name; `published: false` still keeps it out.
    let budget = load_article(&content.join("2025/11/budget-vote.md"));
    assert_eq!(budget.meta.date.at.to_rfc3339(), "2025-11-20T00:00:00+00:00");
    assert_eq!(budget.meta.tags, ["council", "budget"]);
    assert!(budget.meta.draft);
    assert_eq!(load_article(&content.join("2025/10/ferry-timetable.md")).meta.slug.as_str(), "ferry-timetable");
    // No post left behind: a `date:` Jekyll reads but Gazette cannot is
    // replaced by the file name's day, with a warning and a note of the
    // original; a draft stays a draft.
    assert!(
        report.contains(
            "_posts/2023-01-29-odd-date.md:3:7: date \"2023-01-29 18:30:22 2023 -0800\" does not parse: \
             imported on the file name's day (2023-01-29), as Jekyll publishes it"
        ),
        "{report}"
    );
    let odd = std::fs::read_to_string(content.join("2023/01/odd-date.md")).unwrap();
    assert!(
        odd.contains("the post's date, \"2023-01-29 18:30:22 2023 -0800\", does not parse\ndate: 2023-01-29\n"),
        "{odd}"
    );
    let plans = load_article(&content.join("2025/12/lighthouse-plans.md"));
    assert!(plans.meta.draft);
    assert_eq!(plans.meta.date.at.to_rfc3339(), "2025-12-10T09:00:00+00:00");

    let out = dir.path().join("out");
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(dir.path(), now()) };
    assert_eq!(gazette::build(&options).unwrap().articles, 4);
    assert!(out.join("2025/12/03/harbour-strike/index.html").is_file());
    assert!(out.join("2023/01/29/odd-date/index.html").is_file());
    assert!(!out.join("2025/12/10/lighthouse-plans/index.html").exists(), "a draft is left out");
    // An HTML post's body is kept as HTML.
    let html = std::fs::read_to_string(out.join("2025/09/09/html-post/index.html")).unwrap();
    let main = main_of(&html);
    assert!(main.contains("<em>HTML</em>") && main.contains("<td>06:12</td>"), "{main}");
}

/// A Jekyll draft with no date anywhere is dated as Jekyll dates it, by
/// its file's modification time.
#[test]
fn a_jekyll_draft_without_a_date_gets_its_modification_time() {
    let dir = tempfile::tempdir().unwrap();
    let drafts = dir.path().join("old/_drafts");
    std::fs::create_dir_all(&drafts).unwrap();
    let draft = drafts.join("pier-lights.md");
    std::fs::write(&draft, "---\ntitle: Pier Lights\n---\nSoon.\n").unwrap();
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_733_000_000); // 2024-11-30T20:53:20Z
    std::fs::File::options().write(true).open(&draft).unwrap().set_modified(when).unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("site.yaml"), "timezone: \"+05:00\"\n").unwrap();
    let run = import("jekyll", &dir.path().join("old"), &site, &[]);
    let report = stdout(&run);
    assert!(report.contains("Dates: 1 from the file's modification time\nImported 1,"), "{report}");
    // In the site's timezone, 20:53 UTC is the next day.
    let article = load_article(&site.join("content/2024/12/pier-lights.md"));
    assert_eq!(article.meta.date.at.to_rfc3339(), "2024-12-01T01:53:20+05:00");
    assert!(article.meta.draft);
}

#[test]
fn hugo_content_keeps_slugs_aliases_drafts_and_tables_and_shortcodes_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let run = import("hugo", &fixture("import_hugo"), dir.path(), &[]);
    let report = stdout(&run);
    assert!(report.contains("Imported 4, skipped 4, already present 0"), "{report}");
    for line in [
        "posts/_index.md: a section's list page (_index.md), not an article",
        "posts/bad-json.md:3:3: expected `,` or `}`",
        "posts/broken.md:2:16: ",
        "posts/no-date.md:1:1: no date",
        "posts/council-vote.md:14:1: Hugo shortcode kept as written (it will show as text): {{< figure src=\"chart.png\" title=\"The vote\" >}}",
        "posts/council-vote.md:15:1: Hugo shortcode kept as written (it will show as text): {{% note %}}",
        "posts/council-vote.md:6:10: old address \"/old/council-vote/\" kept as `aliases`: \
         Gazette publishes this article at 2025/12/03/council-votes-yes/",
        "posts/port-reopens.md:5:7: old address \"/news/port-reopens.html\" kept as `aliases`: Gazette publishes \
         this article at 2025/12/05/port-reopens/",
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
    assert_eq!(extra["aliases"], json!(["/news/port-reopens.html"]), "Hugo's url is an old address");
    assert_eq!(extra["taxonomies"], json!({"regions": ["north"]}));

    // JSON front matter (`{ … }` at the top) is read like YAML and TOML.
    let storm = load_article(&content.join("2025/12/storm-warning.md"));
    assert_eq!(storm.meta.title, "Storm Warning for the Coast");
    assert_eq!(storm.meta.date.at.to_rfc3339(), "2025-12-06T18:00:00-05:00");
    assert_eq!(
        (storm.meta.authors[0].name.as_str(), storm.meta.tags.as_slice()),
        ("Cy Dee", &["storm".to_string(), "weather".to_string()][..])
    );
    assert_eq!(storm.meta.extra.to_map()["params"], json!({"level": "amber"}));
    assert!(report.contains("posts/storm-warning.md:10:47: Hugo shortcode kept as written"), "{report}");

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
    assert_eq!(gazette::build(&options).unwrap().articles, 4);
    assert!(out.join("2025/12/05/port-reopens/index.html").is_file());
    assert!(std::fs::read_to_string(out.join("2025/11/02/bridge/index.html")).unwrap().contains("bridge.svg"));
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

/// Issue 22: a Zola or Hugo post without `date:` is dated where its old
/// site kept it, each rule counted in the summary, and lands on that day.
#[test]
fn hugo_and_zola_posts_are_dated_where_their_site_kept_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let run = import("hugo", &fixture("import_dates"), dir.path(), &[]);
    let report = stdout(&run);
    assert!(report.contains("Imported 15, skipped 3, already present 0"), "{report}");
    assert!(
        report.contains(
            "Dates: 1 from `date`, 1 from `publishDate`, 1 from `pubdate`, 1 from `published`, \
             1 from `date` in `[extra]`, 2 from the date in `path`, 1 from the date in `url`, \
             1 from the date in `slug`, 1 from the date in `permalink`, 1 from the date in `aliases`, \
             3 from the file name, 1 from the folder name\n"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "content/no-date-anywhere.md:1:1: no date: looked for `date`, `publishDate`, `pubDate`, `pubdate`, \
             `published` and `date` in `[extra]`, for a YYYY/MM/DD or YYYY-MM-DD in `path`, `url`, `slug`, \
             `permalink` and the first of `aliases`"
        ),
        "{report}"
    );

    assert!(
        report.contains(
            "content/by-alias.md:3:9: an article is in one running story: kept \"swans\", dropped [\"wildlife\"]"
        ),
        "{report}"
    );
    assert_eq!(
        load_article(&dir.path().join("content/2024/03/by-alias.md")).meta.extra.to_map()["story"],
        json!("swans")
    );

    // The date found is written down, with where it came from, and the
    // old addresses are the article's aliases.
    let content = dir.path().join("content");
    let plan = std::fs::read_to_string(content.join("2024/03/dredging-plan.md")).unwrap();
    assert!(
        plan.contains("\n# gazette import: date from path \"2024/03/06/Dredging-Plan-1.88\"\ndate: 2024-03-06\n"),
        "{plan}"
    );
    let plan = load_article(&content.join("2024/03/dredging-plan.md"));
    let names: Vec<&str> = plan.meta.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["The Harbour Team", "Ann Lee"]);
    assert_eq!(
        (plan.meta.categories.as_slice(), plan.meta.tags.as_slice()),
        (&["Port".to_string()][..], &["dredging".to_string(), "budget".to_string()][..])
    );
    let extra = plan.meta.extra.to_map();
    assert_eq!(extra["aliases"], json!(["/2024/03/06/Dredging-Plan-1.88", "/2024/03/06/Dredging-Plan-1.88.html"]));
    assert_eq!(extra["story"], json!("dredging-plan"));
    assert!(
        !extra.contains_key("path") && !extra.contains_key("taxonomies") && !extra.contains_key("series"),
        "{extra:?}"
    );
    let market = std::fs::read_to_string(content.join("2024/03/hugo-publish.md")).unwrap();
    assert!(
        market.contains("# gazette import: date from `publishDate`\ndate: 2024-03-02T09:00:00+01:00\n"),
        "{market}"
    );
    let harbour_master = load_article(&content.join("2024/03/zola-extra.md"));
    assert_eq!(harbour_master.meta.extra.to_map()["mood"], json!("fond"));
    assert!(!harbour_master.meta.extra.to_map().contains_key("date"));

    // Import, build: every post on its day.
    let out = dir.path().join("out");
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(dir.path(), now()) };
    assert_eq!(gazette::build(&options).unwrap().articles, 15);
    let expected = [
        ("2024/03/01", "date-key", "Ferry Fares Frozen"),
        ("2024/03/02", "hugo-publish", "Market Hall Reopens"),
        ("2024/03/03", "hugo-pubdate", "Tide Gauge Replaced"),
        ("2024/03/04", "hugo-published", "Lighthouse Open Day"),
        ("2024/03/05", "zola-extra", "Harbour Master Retires"),
        ("2024/03/06", "dredging-plan", "Dredging Plan 1.88: What Changes"),
        ("2024/03/07", "by-url", "Quay Lights Fixed"),
        ("2024/03/08", "2024-03-08-boatyard-sold", "Boatyard Sold"),
        ("2024/03/09", "by-permalink", "Pier Cafe Wins Award"),
        ("2024/03/10", "by-alias", "Swans Return"),
        ("2024/03/11", "file-named", "Crane Inspection Passed"),
        ("2024/03/12", "zola-named", "Regatta Route Announced"),
        ("2024/03/13", "bundle", "Seawall Repairs Begin"),
        ("2021/07/26", "pilots-team", "Meet the Pilots Team"),
        ("2021/07/27", "night-shift", "The Night Shift"),
    ];
    let mut pages: Vec<String> = expected.iter().map(|(day, slug, _)| format!("{day}/{slug}/index.html")).collect();
    pages.sort();
    assert_eq!(article_pages(&out), pages);
    for (day, slug, title) in expected {
        let day_page = std::fs::read_to_string(out.join(day).join("index.html")).unwrap();
        let main = main_of(&day_page);
        assert!(main.contains(title) && main.contains(&format!("{slug}/index.html")), "{day}: {main}");
    }
    assert!(out.join("2024/03/13/bundle/index.html").is_file() && content.join("2024/03/seawall.svg").is_file());
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
}

/// Importing into the folder being read would read the imported files
/// again (by the next import, and by the site's build): it is refused,
/// and nothing is written.
#[test]
fn importing_into_the_folder_being_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::create_dir_all(site.join("content/posts")).unwrap();
    std::fs::write(site.join("content/posts/a.md"), "---\ntitle: A\ndate: 2025-01-02\n---\nA.\n").unwrap();
    let before = list_files(site);
    let elsewhere = site.join("content/imported");
    for extra in [&[][..], &["--into", elsewhere.to_str().unwrap()][..], &["--dry-run"][..]] {
        let run = import("hugo", site, site, extra);
        assert_eq!(run.status.code(), Some(2), "{extra:?}: {}", stdout(&run));
        let message = crate::common::stderr(&run);
        assert!(
            message.contains("the articles would be written into the folder being read; import into another site (--root DIR) or folder (--into DIR)"),
            "{message}"
        );
        assert_eq!(list_files(site), before);
    }
    // Reading a folder inside the one written is the same mistake.
    let run = import("wire", &site.join("content/posts"), site, &[]);
    assert_eq!(run.status.code(), Some(2), "{}", stdout(&run));
}
