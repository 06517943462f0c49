//! Finding stories by desk, topic, place and running story: the section,
//! tag, place, story and on-this-day pages of a fixture site, the links
//! an article page gets, related stories, feeds, and the switches.

use chrono::DateTime;

use crate::common::{broken_links, build, build_changed, build_with, hrefs, list_files, text, write};

const BEGINS: &str = "2023/03/05/dockers-walk-out-as-harbour-strike-begins/index.html";
const COLLAPSE: &str = "2024/03/05/strike-talks-collapse/index.html";
const ENDS: &str = "2025/03/05/harbour-strike-ends-after-two-years/index.html";
const FERRY: &str = "2025/03/06/ferry-fares-rise-again/index.html";
const MAYOR: &str = "2025/03/07/mayor-re-elected-in-bahia-blanca/index.html";
const ROME: &str = "2025/03/05/heat-closes-schools-in-rome/index.html";

fn texts(html: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn sections_list_the_desks_in_order_and_merge_spellings_and_aliases() {
    let site = build("discovery");
    let index = site.page("sections/index.html");
    // The desks of `sections:` first, in that order (Opinion has no story
    // yet, and still a page), then the others alphabetically.
    assert_eq!(
        texts(&index, ".topic-index li a"),
        ["City", "Business", "Opinion", "Politics", "World"],
        "{}",
        site.read("sections/index.html")
    );
    assert_eq!(texts(&index, ".topic-index li .count")[1], "3 articles");
    // `section: business`, a wire `- Section: Business` and `categories:
    // [Economy, …]` (an alias) are one desk, shown with the profile's name.
    let business = site.page("sections/business/index.html");
    assert_eq!(text(&business, "h1"), "Business");
    assert_eq!(text(&business, ".topic-description"), "Money, jobs and the port.");
    // One a page (`per_page: 1`), newest first; older pages are counted
    // from the oldest.
    assert_eq!(
        hrefs(&business, ".story-card-title a"),
        ["../../2025/03/05/harbour-strike-ends-after-two-years/index.html"]
    );
    assert_eq!(text(&business, ".page-count"), "3 articles · Atom feed");
    let older = site.page("sections/business/page/2/index.html");
    assert_eq!(hrefs(&older, ".story-card-title a"), ["../../../../2024/03/05/strike-talks-collapse/index.html"]);
    assert_eq!(text(&older, ".page-count"), "Page 2 · Atom feed");
    assert!(site.exists("sections/business/page/1/index.html") && !site.exists("sections/business/page/3/index.html"));
    assert_eq!(texts(&site.page("sections/opinion/index.html"), ".empty"), ["No articles yet."]);
    // City is named alone in `sections:`, and its profile is a file.
    let city = site.page("sections/city/index.html");
    assert_eq!(text(&city, ".topic-description"), "News from the town hall and the streets.");
    // The masthead shows the desks, linked relatively.
    let home = site.page("index.html");
    assert_eq!(
        hrefs(&home, ".site-nav a")[1..4],
        ["sections/city/index.html", "sections/business/index.html", "sections/opinion/index.html"]
    );
}

#[test]
fn tags_are_alphabetical_with_counts_a_jump_list_and_merged_spellings() {
    let site = build("discovery");
    let tags = site.page("tags/index.html");
    let names = texts(&tags, ".topic-index li a");
    assert!(names.contains(&"Harbour".to_string()), "{names:?}");
    let jump = texts(&tags, ".jump-list a");
    assert_eq!(jump, ["B", "E", "F", "H", "S", "W"], "an A–Z jump list of the initials in use");
    // `harbour`, `Harbour` and `harbor` (an alias) are one tag.
    let harbour = site.page("tags/harbour/index.html");
    assert_eq!(text(&harbour, ".page-count"), "4 articles · Atom feed");
    let article = site.page(ENDS);
    assert_eq!(texts(&article, ".tags a"), ["Harbour", "strike"]);
    assert_eq!(hrefs(&article, ".tags a")[0], "../../../../tags/harbour/index.html");
    // A tag in a list is one tag, commas and all (a string is split at
    // them), and an article shows its tags in the order it gives them.
    assert!(site.exists("tags/washington-d-c/index.html") && !site.exists("tags/washington/index.html"));
    assert_eq!(texts(&site.page(FERRY), ".tags a"), ["Harbour", "Washington, D.C.", "ferries"]);
}

#[test]
fn places_group_by_country_and_datelines_link_to_them() {
    let site = build("discovery");
    let places = site.page("places/index.html");
    assert_eq!(texts(&places, ".topic-group h2"), ["Argentina", "Norway", "Elsewhere"]);
    assert_eq!(texts(&places, ".topic-index li a"), ["Bahía Blanca", "Northport", "Rome"]);
    // A dateline with a comma is one place; NORTHPORT is Northport. The
    // article shows its dateline as written, linked to the place.
    let mayor = site.page(MAYOR);
    assert_eq!(text(&mayor, "a.dateline"), "BAHIA BLANCA, Argentina");
    assert_eq!(hrefs(&mayor, "a.dateline"), ["../../../../places/bahia-blanca/index.html"]);
    assert_eq!(text(&site.page("places/northport/index.html"), ".page-count"), "4 articles");
    assert_eq!(text(&site.page("places/bahia-blanca/index.html"), ".topic-country"), "Argentina");
    // Cards link their dateline too.
    let day = site.page("2025/03/05/index.html");
    assert!(hrefs(&day, ".story-card a.dateline").contains(&"../../../places/rome/index.html".to_string()));
}

#[test]
fn a_running_story_is_a_timeline_and_each_article_shows_the_story_so_far() {
    let site = build("discovery");
    let story = site.page("stories/harbour-strike/index.html");
    assert_eq!(text(&story, "h1"), "Dockers Walk Out as Harbour Strike Begins");
    assert_eq!(text(&story, ".page-count"), "3 articles, oldest first");
    assert_eq!(texts(&story, ".timeline-item h2"), ["Dockers Walk Out as Harbour Strike Begins"]);
    // Oldest first: the later stories are on the next pages.
    assert_eq!(texts(&story, ".pagination a[rel=next]"), ["Later →"]);
    assert_eq!(hrefs(&story, ".pagination a.newer"), ["page/2/index.html"]);
    assert_eq!(text(&story, ".pagination ol"), "1 2 3");
    let later = site.page("stories/harbour-strike/page/2/index.html");
    assert_eq!(texts(&later, ".timeline-item h2"), ["Strike Talks Collapse"]);
    assert_eq!(texts(&later, ".pagination a[rel=prev]"), ["← Earlier"]);
    assert_eq!(hrefs(&later, ".pagination a.older"), ["../../index.html"]);
    assert_eq!(hrefs(&later, ".pagination a.newer"), ["../3/index.html"]);
    let last = site.page("stories/harbour-strike/page/3/index.html");
    assert_eq!(texts(&last, ".timeline-item h2"), ["Harbour Strike Ends After Two Years"]);
    assert!(texts(&last, ".pagination a.newer").is_empty());
    // `series:` (Hugo) joins the same thread as `story:` and `- Story:`.
    let page = site.page(COLLAPSE);
    assert_eq!(
        texts(&page, ".story-so-far li"),
        [
            "March 5, 2023 Dockers Walk Out as Harbour Strike Begins",
            "March 5, 2024 Strike Talks Collapse",
            "March 5, 2025 Harbour Strike Ends After Two Years"
        ]
    );
    assert_eq!(texts(&page, ".story-so-far li.current"), ["March 5, 2024 Strike Talks Collapse"]);
    assert_eq!(hrefs(&page, ".story-so-far h2 a"), ["../../../../stories/harbour-strike/index.html"]);
}

#[test]
fn related_stories_put_the_thread_first_then_rare_shared_tags() {
    let site = build("discovery");
    // The ferry story shares `harbour` with the three strike stories and
    // nothing else; those are its related stories, nearest in time first.
    let ferry = site.page(FERRY);
    assert_eq!(
        texts(&ferry, ".related li a"),
        ["Harbour Strike Ends After Two Years", "Strike Talks Collapse", "Dockers Walk Out as Harbour Strike Begins"]
    );
    // A thread member's related list does not repeat the story so far.
    let ends = site.page(ENDS);
    assert!(
        texts(&ends, ".related li a").iter().all(|t| !t.contains("Strike Talks")),
        "{:?}",
        texts(&ends, ".related li a")
    );
    assert_eq!(texts(&ends, ".related li a"), ["Ferry Fares Rise Again"]);
}

#[test]
fn on_this_day_groups_a_calendar_day_by_year_and_the_home_page_shows_it() {
    let site = build_with("discovery", |o| o.now = DateTime::parse_from_rfc3339("2026-03-05T09:00:00+01:00").unwrap());
    let day = site.page("on-this-day/03-05/index.html");
    assert_eq!(text(&day, "h1"), "On this day: March 5");
    assert_eq!(text(&day, ".page-count"), "4 articles in every year");
    assert_eq!(texts(&day, ".year-group > h2"), ["2025"], "one a page: a 2025 story first");
    assert_eq!(texts(&site.page("on-this-day/03-05/page/3/index.html"), ".year-group > h2"), ["2025"]);
    assert_eq!(texts(&site.page("on-this-day/03-05/page/2/index.html"), ".year-group > h2"), ["2024"]);
    assert_eq!(texts(&site.page("on-this-day/03-05/page/1/index.html"), ".year-group > h2"), ["2023"]);
    // Each day page links to its calendar day in every year.
    assert_eq!(hrefs(&site.page("2024/03/05/index.html"), ".page-count a"), ["../../../on-this-day/03-05/index.html"]);
    // The build's day is March 5: the home page shows earlier years' stories.
    let home = site.page("index.html");
    assert_eq!(text(&home, ".on-this-day h2"), "On this day, March 5");
    assert_eq!(texts(&home, ".on-this-day li").len(), 4);
    // On another day, the home page shows none.
    let other = build("discovery");
    assert!(texts(&other.page("index.html"), ".on-this-day").is_empty());
}

#[test]
fn sections_and_tags_have_feeds_and_the_news_metadata_names_them() {
    let site = build("discovery");
    let feed = site.read("sections/business/feed.xml");
    assert!(feed.contains("<title>Business — Discovery Test</title>"), "{feed}");
    assert_eq!(feed.matches("<entry>").count(), 3);
    // Each entry's categories are its desk and tags as their pages name
    // them (`categories: [Economy, Port]` and `harbor` file as Business
    // and Harbour).
    assert_eq!(feed.matches(r#"<category term="Business"/>"#).count(), 3, "{feed}");
    assert_eq!(feed.matches(r#"<category term="Harbour"/>"#).count(), 3, "{feed}");
    assert!(!feed.contains(r#"term="harbor""#) && !feed.contains(r#"term="Economy""#), "{feed}");
    assert!(site.exists("tags/harbour/feed.xml"));
    assert!(!site.exists("places/northport/feed.xml"), "places have pages, not feeds");
    let business = site.read("sections/business/index.html");
    assert!(
        business
            .contains(r#"<link rel="alternate" type="application/atom+xml" title="Business (Atom)" href="feed.xml">"#),
        "{business}"
    );
    let article = site.read(ENDS);
    // As the pages name them: `categories: [Economy, …]` is the Business
    // desk, `harbor` the Harbour tag.
    assert!(article.contains(r#""articleSection":"Business""#), "{article}");
    assert!(article.contains(r#""keywords":"Harbour, strike""#), "{article}");
    let sitemap = site.sitemaps("https://example.org/news/");
    for page in
        ["sections/business/", "tags/harbour/", "places/bahia-blanca/", "stories/harbour-strike/", "on-this-day/03-05/"]
    {
        assert!(sitemap.contains(&format!("https://example.org/news/{page}")), "{page} not in the sitemap");
    }
}

#[test]
fn wire_copy_gives_section_tags_and_story_in_labeled_lines() {
    let site = build("discovery");
    let page = site.page(BEGINS);
    assert_eq!(text(&page, ".kicker"), "Business");
    assert_eq!(texts(&page, ".tags a"), ["Harbour", "strike"]);
    assert!(
        text(&page, ".story-body").contains("- Tags: this line is body, not a label"),
        "{}",
        text(&page, ".story-body")
    );
}

#[test]
fn hostile_tags_are_text_everywhere() {
    let site = build("discovery");
    let page = site.read(ROME);
    assert!(!page.contains("<b>\"Heat\"</b>"), "markup from a tag reached the page");
    assert!(
        page.contains("&lt;b&gt;&quot;Heat&quot;&lt;&#x2F;b&gt; ]]&gt; &amp; co")
            || page.contains("&lt;b&gt;&quot;Heat&quot;&lt;/b&gt; ]]&gt; &amp; co"),
        "{page}"
    );
    let tags = site.read("tags/index.html");
    assert!(!tags.contains("<b>"), "{tags}");
    let slug = list_files(&site.out).into_iter().find(|f| f.starts_with("tags/b-heat")).unwrap();
    let feed = site.read(&slug.replace("index.html", "feed.xml"));
    assert!(!feed.contains("<b>") && !feed.contains("]]>"), "{feed}");
    assert!(broken_links(&site.out).is_empty(), "{:?}", broken_links(&site.out));
}

#[test]
fn each_index_can_be_switched_off() {
    let site = build_changed("discovery", |root| {
        let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        write(&root.join("site.yaml"), &format!("{yaml}indexes:\n  tags: false\n  places: false\n  related: false\n"));
    });
    let files = list_files(&site.out);
    assert!(!files.iter().any(|f| f.starts_with("tags/") || f.starts_with("places/")), "{files:?}");
    assert!(site.exists("sections/business/index.html") && site.exists("stories/harbour-strike/index.html"));
    let page = site.page(ENDS);
    assert_eq!(texts(&page, ".tags li"), ["Harbour", "strike"], "tags still shown, as text");
    assert!(hrefs(&page, ".tags a").is_empty() && hrefs(&page, "a.dateline").is_empty());
    assert!(texts(&page, ".related").is_empty());
    assert!(broken_links(&site.out).is_empty(), "{:?}", broken_links(&site.out));
}

#[test]
fn bad_profiles_are_reported_at_their_place() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_dir(&crate::common::fixture("discovery"), dir.path());
    write(&dir.path().join("content/places/nowhere.yaml"), "name: Nowhere\nlatitude: 95\nlongitude: 10\ncolour: red\n");
    write(&dir.path().join("content/tags/empty.yaml"), "name: \"!!!\"\n");
    let options = gazette::BuildOptions::new(dir.path(), crate::common::now());
    let error = gazette::build(&options).unwrap_err().to_string();
    assert!(error.contains("content/places/nowhere.yaml:4:1: unknown field `colour`"), "{error}");
    assert!(error.contains("content/places/nowhere.yaml:1:1: place \"Nowhere\": latitude"), "{error}");
    assert!(error.contains("content/tags/empty.yaml:1:1: a tag needs a `name:` with letters or digits"), "{error}");
}

#[test]
fn a_ten_thousand_character_tag_gets_a_short_url_and_stays_text() {
    let long = format!("{}\u{7}<i>{}", "harbour dues ".repeat(500), "x".repeat(3500));
    assert!(long.chars().count() > 10_000);
    // The same words and one more: another tag, however long the two.
    let longer = format!("{long} and more");
    let site = build_changed("discovery", |root| {
        for (file, tag) in [("dues", &long), ("more-dues", &longer)] {
            let text = format!(
                "---\ntitle: {file}\ndate: 2025-03-09T10:00:00+01:00\nauthor: Ann Lee\ntags: [{}]\n---\nBody.\n",
                serde_json::to_string(tag).unwrap()
            );
            write(&root.join(format!("content/2025/{file}.md")), &text);
        }
    });
    let pages: Vec<String> = list_files(&site.out)
        .into_iter()
        .filter(|f| f.starts_with("tags/harbour-dues") && f.ends_with(".html"))
        .collect();
    assert_eq!(pages.len(), 2, "{pages:?}");
    let tag = pages[0].clone();
    assert!(tag.len() < 120, "{tag}");
    let page = site.read(&tag);
    assert!(!page.contains("<i>") && !page.contains('\u{7}'), "markup and control characters stay out of the page");
    assert!(site.read("tags/index.html").contains("harbour dues harbour dues"));
}

#[test]
fn retagging_one_article_rewrites_only_the_pages_that_show_its_tags() {
    use crate::stamps::{rewritten, stamps, wait_for_a_later_mtime};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    crate::common::copy_dir(&crate::common::fixture("discovery"), &root);
    let out = dir.path().join("out");
    let options =
        gazette::BuildOptions { output: Some(out.clone()), ..gazette::BuildOptions::new(&root, crate::common::now()) };
    gazette::build(&options).unwrap();
    wait_for_a_later_mtime(&out);
    let before = stamps(&out);
    // The ferry story drops `harbour` for a new tag, `Timetables`.
    let path = root.join("content/2025/ferry-fares-rise.md");
    let old = r#"tags: [harbour, "Washington, D.C.", ferries]"#;
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(old));
    let text = text.replace(old, r#"tags: [ferries, "Washington, D.C.", Timetables]"#);
    write(&path, &text);
    let report = gazette::build(&options).unwrap();
    assert!(!report.full);
    let changed: Vec<String> =
        rewritten(&before, &stamps(&out)).into_iter().filter(|f| !f.starts_with("search/index/")).collect();
    // Its page, the tags it left and joined (pages and feeds), the A–Z of
    // tags, the pages whose related stories it was among by `harbour` (the
    // strike stories of 2023 and 2024; the 2025 one still relates to it by
    // place, within a week), and the feeds, whose entries carry their tags.
    for expected in [
        FERRY,
        "tags/index.html",
        "tags/timetables/index.html",
        "tags/timetables/feed.xml",
        "tags/harbour/index.html",
        "tags/harbour/feed.xml",
        BEGINS,
        COLLAPSE,
        "feed.xml",
        "sections/city/feed.xml",
    ] {
        assert!(changed.contains(&expected.to_string()), "{expected} not rewritten: {changed:?}");
    }
    assert!(!changed.contains(&ENDS.to_string()), "its related stories did not change: {changed:?}");
    // Not the listings that show its card (a card shows no tags), not the
    // other tags' pages, not the sections or places.
    for untouched in [
        "index.html",
        "2025/03/06/index.html",
        "authors/bo-chen/index.html",
        "tags/ferries/index.html",
        "sections/city/index.html",
        "places/northport/index.html",
        MAYOR,
    ] {
        assert!(!changed.contains(&untouched.to_string()), "{untouched} rewritten: {changed:?}");
    }
    // Of the sitemaps, only the tags' file: it lists the new tag's page.
    let sitemaps: Vec<&String> = changed.iter().filter(|f| f.starts_with("sitemap")).collect();
    assert_eq!(sitemaps, ["sitemap-tags.xml"], "{changed:?}");
}
