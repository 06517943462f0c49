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

/// An article's old addresses, as written.
fn aliases(article: &gazette::load::Article) -> Vec<&str> {
    article.meta.aliases.iter().map(|a| a.written.as_str()).collect()
}

/// Article pages of a built site: `YYYY/MM/DD/slug/index.html` (not the
/// redirect pages at old addresses of that shape).
fn article_pages(out: &Path) -> Vec<String> {
    list_files(out)
        .into_iter()
        .filter(|f| {
            let parts: Vec<&str> = f.split('/').collect();
            parts.len() == 5
                && parts[4] == "index.html"
                && parts[..3].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
                && !std::fs::read_to_string(out.join(f)).unwrap().contains("<meta http-equiv=\"refresh\"")
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
    assert!(report.contains("Imported 8 (2 drafts), skipped 3, already present 0"), "{report}");
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
        "Dates: 3 from `date`, 4 from the file name, 1 from the file name (the `date:` did not parse)\n",
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
    assert_eq!(aliases(&strike), ["/news/harbour-strike/", "/2025/12/03/strike.html", "/strike/"]);
    assert!(!extra.contains_key("permalink") && !extra.contains_key("redirect_from"), "{extra:?}");
    assert_eq!(extra["layout"], json!("post"));
    assert!(strike.body.contains("<!--more-->\n{% include figure.html"), "{}", strike.body);
    // The date from the file name; `published: false` still keeps it out.
    let budget = load_article(&content.join("2025/11/budget-vote.md"));
    assert_eq!(budget.meta.date.at.to_rfc3339(), "2025-11-20T00:00:00+00:00");
    assert_eq!(budget.meta.tags, ["council", "budget"]);
    assert!(budget.meta.draft);
    assert_eq!(load_article(&content.join("2025/10/ferry-timetable.md")).meta.slug.as_str(), "ferry-timetable");
    // A post in a category folder (`business/_posts/`) is imported, with
    // that category first, as Jekyll files it.
    let profits = load_article(&content.join("2025/01/port-profits.md"));
    assert_eq!(profits.meta.categories, ["business", "markets"]);
    let regatta = load_article(&content.join("2025/01/port-sport.md"));
    assert_eq!(regatta.meta.categories, ["business", "Sport"], "a `category:` comes after the folder's");
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
    assert_eq!(gazette::build(&options).unwrap().articles, 6);
    assert!(out.join("2025/12/03/harbour-strike/index.html").is_file());
    let business = std::fs::read_to_string(out.join("sections/business/index.html")).unwrap();
    assert!(business.contains("Port Profits Double") && business.contains("Port Hosts Regatta"), "{business}");
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
    assert!(report.contains("Dates: 1 from the file's modification time\nImported 1 (1 draft),"), "{report}");
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
    assert!(report.contains("Imported 4 (1 draft), skipped 4, already present 0"), "{report}");
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
    assert_eq!(aliases(&vote), ["/old/council-vote/"]);
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
    assert_eq!(aliases(&port), ["/news/port-reopens.html"], "Hugo's url is an old address");
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
    assert_eq!(load_article(&dir.path().join("content/2024/03/by-alias.md")).meta.story.as_deref(), Some("swans"));

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
    assert_eq!(aliases(&plan), ["/2024/03/06/Dredging-Plan-1.88", "/2024/03/06/Dredging-Plan-1.88.html"]);
    assert_eq!(plan.meta.story.as_deref(), Some("dredging-plan"));
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

/// The WordPress fixture export, imported into `root` (with its uploads
/// when `uploads`), and what the command printed.
fn import_wordpress(root: &Path, extra: &[&str]) -> (std::process::Output, String) {
    let run = import("wordpress", &fixture("import_wordpress/export.xml"), root, extra);
    let report = stdout(&run);
    (run, report)
}

/// Issue 18: a WordPress export becomes articles: every post imported or
/// left out with its reason, the rest counted, each rule of the import
/// visible in the files written.
#[test]
fn a_wordpress_export_becomes_articles_and_the_rest_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    // A copy of the uploads whose photos are real JPEGs (made here): the
    // build publishes them as photos.
    let uploads_dir = tempfile::tempdir().unwrap();
    let uploads = uploads_dir.path().to_path_buf();
    crate::common::copy_dir(&fixture("import_wordpress/uploads"), &uploads);
    for photo in ["quay.jpg", "crane.jpg"] {
        std::fs::write(uploads.join("2025/10").join(photo), crate::photo_files::jpeg_with_gps(320, 200)).unwrap();
    }
    let (run, report) = import_wordpress(dir.path(), &["--uploads", uploads.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "every post imported or left out for a reason:\n{report}");
    for line in [
        "Imported 6 (3 drafts), left out 3 (1 private, 1 in the trash, 1 password-protected), skipped 0, \
         already present 0, 8 warnings\n",
        "Not posts, not imported: 1 page, 2 attachments, 2 menu items\n",
        "import_wordpress/export.xml:190:2: post \"Staff Rota\" is private: a static archive cannot keep it \
         private, so it is not published\n",
        "import_wordpress/export.xml:203:2: post \"Old Timetable\" is in the trash\n",
        "import_wordpress/export.xml:216:2: post \"Subscribers: Tide Tables\" is password-protected",
        "warning: ",
        "import_wordpress/export.xml:55:1: WordPress shortcode kept as written (it will show as text): \
         [gallery ids=\"45,46\" link=\"file\"]\n",
        "import_wordpress/export.xml:111:1: WordPress shortcode kept as written (it will show as text): \
         [audio src=\"https://example.org/wp-content/uploads/2025/10/horn.mp3\"]\n",
        "import_wordpress/export.xml:111:75: WordPress shortcode kept as written (it will show as text): [video ",
        "import_wordpress/export.xml:115:15: WordPress shortcode kept as written (it will show as text): \
         [contact-form-7 id=\"12\" title=\"Tips\"]\n",
        "import_wordpress/export.xml:118:1: block wp:latest-posts left out",
        "import_wordpress/export.xml:100:1: embedded https://video.example/watch/crane (block wp:embed) is now a link",
        "import_wordpress/export.xml:92:29: 2025/10/horn.mp3 is not in ",
        "2 links point at files on the old site (https://example.org/wp-content/uploads/): their files are not \
         in the --uploads folder",
        "Dates: 5 from `wp:post_date` with the offset of `wp:post_date_gmt`, 1 from `wp:post_date` in the site's \
         timezone (no `wp:post_date_gmt`)\n",
    ] {
        assert!(report.contains(line), "no {line:?} in\n{report}");
    }
    let content = dir.path().join("content");
    let mut files = list_files(&content);
    files.retain(|f| f.ends_with(".md"));
    assert_eq!(
        files,
        [
            "2025/10/crane-arrives.md",
            "2025/10/dredging-plan-first-draft.md",
            "2025/10/fish-chips-van-wins.md",
            "2025/10/lifeboat-crew-honoured.md",
            "2025/10/quay-reopens.md",
            "2026/05/regatta-route.md"
        ]
    );

    // 20:03 on 20 October in New York is 21 October in UTC: the story
    // stays on its local day.
    let quay = load_article(&content.join("2025/10/quay-reopens.md"));
    assert_eq!(quay.meta.title, "Quay Reopens After Storm");
    assert_eq!(quay.meta.date.at.to_rfc3339(), "2025-10-20T20:03:00-04:00");
    assert_eq!(quay.meta.authors[0].name, "Ann Lee");
    assert_eq!(quay.meta.summary.text, "The north quay is open again after the storm.");
    assert_eq!(quay.meta.slug.as_str(), "quay-reopens");
    assert_eq!(
        (quay.meta.categories.as_slice(), quay.meta.tags.as_slice()),
        (&s(&["News", "Local"])[..], &s(&["port", "storm"])[..])
    );
    let extra = quay.meta.extra.to_map();
    assert!(!extra.contains_key("aliases") && !extra.contains_key("section"), "typed fields: {extra:?}");
    assert_eq!(quay.meta.section.as_deref(), Some("News"), "the top of the first category's tree");
    assert_eq!(aliases(&quay), ["/2025/10/20/quay-reopens/"]);
    assert_eq!(quay.meta.image.as_deref(), Some("quay.jpg"), "the featured image, an attachment after its post");
    assert!(!quay.meta.draft);
    assert!(!quay.body.contains("Great news"), "readers' comments are not imported");
    let text = std::fs::read_to_string(content.join("2025/10/quay-reopens.md")).unwrap();
    assert!(
        text.contains(
            "---\nThe harbour board voted on Monday to **reopen the north quay**.\\\nFerries return at dawn.\n\n\
             <figure><img src=\"quay.jpg\" alt=\"The north quay at dawn\"><figcaption>The north quay at dawn, \
             <em>before</em> the first ferry.</figcaption></figure>\n\nRead the [board minutes](minutes.pdf).\n\n\
             [gallery ids=\"45,46\" link=\"file\"]\n\n\"It's about time,\" said a stall holder.\n"
        ),
        "{text}"
    );
    // The size variant's link leads to the original, copied beside the article.
    let original = std::fs::read(uploads.join("2025/10/quay.jpg")).unwrap();
    assert_eq!(std::fs::read(content.join("2025/10/quay.jpg")).unwrap(), original);
    assert!(!content.join("2025/10/quay-300x200.jpg").exists());
    assert!(content.join("2025/10/minutes.pdf").is_file());

    // Block editor: comments gone, the figure kept, the embed a link, the
    // table a table; a numeric permalink gives `/?p=` too; Yoast's primary
    // category is the section.
    let crane = load_article(&content.join("2025/10/crane-arrives.md"));
    assert_eq!(crane.meta.authors[0].name, "Bo Chén");
    assert_eq!(crane.meta.categories, s(&["News", "Local", "Sport"]));
    assert_eq!((crane.meta.section.as_deref(), aliases(&crane)), (Some("News"), vec!["/archives/102", "/?p=102"]));
    assert!(!crane.body.contains("wp:") && !crane.body.contains("<!--"), "{}", crane.body);
    assert!(crane.body.starts_with("The new crane came in on the *Northern Star*.\n\n<figure><img src=\"crane.jpg\""));
    assert!(crane.body.contains("\n\n<https://video.example/watch/crane>\n\n| Berth | Opens  |\n"), "{}", crane.body);
    let original = std::fs::read(uploads.join("2025/10/crane.jpg")).unwrap();
    assert_eq!(std::fs::read(content.join("2025/10/crane.jpg")).unwrap(), original);

    // Fields written without CDATA, entities and all.
    let fish = load_article(&content.join("2025/10/fish-chips-van-wins.md"));
    assert_eq!(fish.meta.title, "Fish & Chips Van Wins \u{201c}Best on the Coast\u{201d}");
    assert_eq!(fish.body, "Marta\u{2019}s van won *again*.\n\nQueues ran to the lighthouse & back.\n");
    assert_eq!(aliases(&fish), ["/?p=103"]);
    assert!(fish.meta.categories.is_empty(), "WordPress's Uncategorized is no category");

    // Drafts, pending and scheduled posts are drafts; a draft never
    // scheduled has no UTC date: its local time is read in the site's zone.
    for (file, date) in [
        ("2025/10/dredging-plan-first-draft.md", "2025-10-24T08:30:00+00:00"),
        ("2025/10/lifeboat-crew-honoured.md", "2025-10-25T10:00:00-04:00"),
        ("2026/05/regatta-route.md", "2026-05-01T07:00:00-04:00"),
    ] {
        let draft = load_article(&content.join(file));
        assert!(draft.meta.draft, "{file}");
        assert_eq!(draft.meta.date.at.to_rfc3339(), date, "{file}");
    }
    let scheduled = std::fs::read_to_string(content.join("2026/05/regatta-route.md")).unwrap();
    assert!(scheduled.contains("# gazette import: scheduled in WordPress\ndraft: true\n"), "{scheduled}");

    // Import, build: the published posts at their URLs, with their text,
    // date, byline and image.
    let out = dir.path().join("out");
    let options = gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(dir.path(), now()) };
    assert_eq!(gazette::build(&options).unwrap().articles, 3);
    let mut pages = article_pages(&out);
    pages.sort();
    assert_eq!(
        pages,
        [
            "2025/10/20/quay-reopens/index.html",
            "2025/10/22/crane-arrives/index.html",
            "2025/10/23/fish-chips-van-wins/index.html"
        ]
    );
    let page = main_of(&std::fs::read_to_string(out.join("2025/10/20/quay-reopens/index.html")).unwrap());
    for part in [
        "<h1>Quay Reopens After Storm</h1>",
        "<time datetime=\"2025-10-20T20:03:00-04:00\">October 20, 2025, 20:03</time>",
        ">Ann Lee</a>",
        // The photo, published as variants without its GPS position.
        "<figure class=\"lead-image\"><picture><source type=\"image/webp\" srcset=\"../../quay.200.jpg.webp 200w\"",
        "<figure><img src=\"../../quay.200.jpg\" alt=\"The north quay at dawn\"><figcaption>The north quay at dawn, \
         <em>before</em> the first ferry.</figcaption></figure>",
        "<a href=\"../../minutes.pdf\"",
    ] {
        assert!(page.contains(part), "no {part:?} in\n{page}");
    }
    let day = main_of(&std::fs::read_to_string(out.join("2025/10/20/index.html")).unwrap());
    assert!(day.contains("Quay Reopens After Storm"), "{day}");
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));

    // Again: everything is already there, nothing is replaced.
    let (_, again) = import_wordpress(dir.path(), &["--uploads", uploads.to_str().unwrap()]);
    assert!(
        again.contains(
            "Imported 0, left out 3 (1 private, 1 in the trash, 1 password-protected), skipped 0, already present 6"
        ),
        "{again}"
    );
}

fn s(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// Without `--uploads`, links to the old site's files stay as they were,
/// and the summary counts them; a dry run says the same and writes nothing.
#[test]
fn without_uploads_the_links_to_the_old_site_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (run, report) = import_wordpress(dir.path(), &["--dry-run"]);
    assert_eq!(run.status.code(), Some(0), "{report}");
    let counted = "6 links point at files on the old site (https://example.org/wp-content/uploads/): give --uploads \
                   DIR (a copy of wp-content/uploads) to copy the files beside their articles\n";
    assert!(report.contains(counted), "{report}");
    assert!(report.contains("Dry run: would have imported 6 (3 drafts), left out 3 ("), "{report}");
    assert!(!dir.path().join("content").exists());

    let (_, report) = import_wordpress(dir.path(), &[]);
    assert!(report.contains(counted), "{report}");
    let quay = load_article(&dir.path().join("content/2025/10/quay-reopens.md"));
    assert_eq!(quay.meta.image.as_deref(), Some("https://example.org/wp-content/uploads/2025/10/quay.jpg"));
    assert!(quay.body.contains("<img src=\"https://example.org/wp-content/uploads/2025/10/quay-300x200.jpg\""));
    assert_eq!(list_files(&dir.path().join("content")).len(), 6, "only the articles");
}

/// WXR 1.0 (WordPress 2.x): categories without a domain, tags as `tag`.
#[test]
fn a_wxr_1_0_export_is_read_too() {
    let dir = tempfile::tempdir().unwrap();
    let run = import("wordpress", &fixture("import_wordpress/wxr-1.0.xml"), dir.path(), &[]);
    assert!(stdout(&run).contains("Imported 1, skipped 0, already present 0\n"), "{}", stdout(&run));
    let ferry = load_article(&dir.path().join("content/2008/01/first-ferry.md"));
    assert_eq!(aliases(&ferry), ["/2008/01/02/first-ferry/"], "from the blog's root");
    assert_eq!((ferry.meta.categories, ferry.meta.tags), (s(&["News"]), s(&["ferry"])));
    assert_eq!(ferry.meta.authors[0].name, "harbourmaster", "a login without an author record stays the byline");
    assert_eq!(ferry.body, "The *Mary Rose* left at nine.\n\nThe sea was calm.\n");
}

/// A malformed export is an error at its line and column, and nothing is
/// written, not even the posts before the fault; a write that fails
/// midway takes back what the import wrote.
#[test]
fn a_failed_wordpress_import_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // 300 posts, more than are converted at a time, then a bad tag.
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<rss><channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n");
    for n in 1..=300 {
        xml += &format!(
            "<item><title>Tide {n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>post</wp:post_type>\
             <wp:status>publish</wp:status><wp:post_date>2025-10-20 10:00:00</wp:post_date>\
             <content:encoded>High water.</content:encoded></item>\n"
        );
    }
    xml += "<item><title>Bad</title><wp:post_name>bad</wp:post_nam></item>\n</channel></rss>\n";
    let export = dir.path().join("broken.xml");
    std::fs::write(&export, xml).unwrap();
    let site = dir.path().join("site");
    let run = import("wordpress", &export, &site, &[]);
    assert_eq!(run.status.code(), Some(1));
    let message = crate::common::stderr(&run);
    assert!(
        message.contains(
            "broken.xml:304:42: malformed XML: ill-formed document: expected `</wp:post_name>`, but \
             `</wp:post_nam>` was found"
        ),
        "{message}"
    );
    assert!(!site.join("content").exists());

    // The disk fills up after two articles are written: they are removed,
    // and the folders made for them.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["import", "--from", "wordpress", fixture("import_wordpress/export.xml").to_str().unwrap()])
        .args(["--root", site.to_str().unwrap()])
        .env("GAZETTE_FAULT", "5:enospc")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", stdout(&run));
    assert!(crate::common::stderr(&run).contains("error: "), "{}", crate::common::stderr(&run));
    assert!(list_files(&site).is_empty(), "{:?}", list_files(&site));
    assert!(!site.join("content").exists());
}
