//! Publishing: feeds, sitemaps, crawl files and news metadata, on a site
//! published under a sub-path (`https://example.org/news/`).

use std::collections::BTreeSet;

use scraper::{Html, Selector};

use crate::common::{build, build_changed, build_with, fixture, gazette, list_files};

const HOSTILE_TITLE: &str = "</script><script>alert(1)</script> \"Quoted\" & 'single' ]]> 📰";

fn parse_feed(xml: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("feed does not parse: {e}\n{xml}"))
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect()
}

#[test]
fn site_feeds_parse_with_the_right_entries_in_order() {
    let site = build("publishing");
    for file in ["feed.xml", "rss.xml"] {
        let feed = parse_feed(&site.read(file));
        // feed_limit: 3, newest first.
        assert_eq!(titles(&feed), [HOSTILE_TITLE, "Yesterday's Story", "Budget Story With a Correction"], "{file}");
        let first = &feed.entries[0];
        assert_eq!(
            first.links[0].href,
            "https://example.org/news/2025/12/31/script-script-alert-1-script-quoted-single-newspaper/"
        );
        assert_eq!(first.published.unwrap().to_rfc3339(), "2025-12-31T14:00:00+00:00");
        let authors: Vec<&str> = feed.entries[1].authors.iter().map(|a| a.name.as_deref().unwrap_or("")).collect();
        assert_eq!(authors, ["Bo Chen", "Ann Lee"], "{file}");
    }
    let atom = parse_feed(&site.read("feed.xml"));
    // Ids are the permalinks; dates keep their offsets in the XML.
    assert_eq!(atom.entries[2].id, "https://example.org/news/2025/12/10/budget-story-with-a-correction/");
    let xml = site.read("feed.xml");
    assert!(xml.contains("<published>2025-12-31T09:00:00-05:00</published>"), "{xml}");
    // The correction updates the entry.
    assert_eq!(atom.entries[2].updated.unwrap().to_rfc3339(), "2025-12-12T09:30:00+00:00");
    // Full content, with links made absolute.
    let content = atom.entries[2].content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(content.contains("The budget passed."), "{content}");
    let tags: Vec<&str> = atom.entries[0].categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(tags, ["a&b", "<tag>"]);
}

#[test]
fn feed_content_summary_gives_entries_without_their_full_text() {
    let full = build("publishing");
    let site = build_changed("publishing", |root| {
        let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        std::fs::write(root.join("site.yaml"), format!("{yaml}feed_content: summary\n")).unwrap();
    });
    // The hostile story's body has markup its plain-text summary drops.
    for file in ["feed.xml", "rss.xml"] {
        let (with_text, summaries) = (full.read(file), site.read(file));
        assert_eq!(titles(&parse_feed(&summaries)), titles(&parse_feed(&with_text)), "{file}: the same entries");
        assert!(with_text.contains("<b>bold</b>") || with_text.contains("&lt;b&gt;bold&lt;/b&gt;"), "{file}");
        assert!(!summaries.contains("bold</b>") && !summaries.contains("bold&lt;/b&gt;"), "{file}: {summaries}");
        assert!(summaries.contains("The budget passed."), "{file}: {summaries}");
    }
    let atom = parse_feed(&site.read("feed.xml"));
    assert!(atom.entries.iter().all(|e| e.content.is_none() && e.summary.is_some()), "{atom:?}");
    assert!(parse_feed(&full.read("feed.xml")).entries.iter().all(|e| e.content.is_some()));
}

#[test]
fn each_author_has_a_feed_and_pages_announce_their_feeds() {
    let site = build("publishing");
    let ann = parse_feed(&site.read("authors/ann-lee/feed.xml"));
    assert_eq!(titles(&ann), [HOSTILE_TITLE, "Yesterday's Story", "Old Story Two"]);
    let bo = parse_feed(&site.read("authors/bo-chen/feed.xml"));
    assert_eq!(titles(&bo), ["Yesterday's Story", "Budget Story With a Correction"]);

    let page = Html::parse_document(&site.read("authors/ann-lee/index.html"));
    let selector = Selector::parse("link[rel=alternate]").unwrap();
    let feeds: Vec<&str> = page.select(&selector).map(|e| e.value().attr("href").unwrap()).collect();
    assert_eq!(feeds, ["../../feed.xml", "../../rss.xml", "feed.xml"]);
    let home = Html::parse_document(&site.read("index.html"));
    assert_eq!(home.select(&selector).count(), 2);
}

#[test]
fn sitemap_lists_every_page_once_with_absolute_urls_under_the_sub_path() {
    let site = build("publishing");
    let xml = site.sitemaps("https://example.org/news/");
    let doc = roxmltree_free_locs(&xml);
    let listed: BTreeSet<String> = doc.iter().cloned().collect();
    assert_eq!(listed.len(), doc.len(), "a URL is listed twice");
    let pages: BTreeSet<String> = list_files(&site.out)
        .into_iter()
        // (The search page shows nothing of its own to index.)
        .filter(|f| f.ends_with("index.html") && f != "search/index.html")
        .map(|f| format!("https://example.org/news/{}", f.trim_end_matches("index.html")))
        .collect();
    assert_eq!(listed, pages);
    assert!(xml.contains("<lastmod>2025-12-12T10:30:00+01:00</lastmod>"), "corrections count as changes");
    let robots = site.read("robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/news/sitemap.xml"), "{robots}");
}

/// The `<loc>` values of a sitemap (they hold no markup to trip on).
fn roxmltree_free_locs(xml: &str) -> Vec<String> {
    xml.split("<loc>").skip(1).map(|s| s.split("</loc>").next().unwrap().replace("&amp;", "&")).collect()
}

#[test]
fn news_sitemap_has_the_last_two_days_only() {
    let site = build("publishing");
    let xml = site.read("news-sitemap.xml");
    let locs = roxmltree_free_locs(&xml);
    assert_eq!(
        locs,
        [
            "https://example.org/news/2025/12/31/script-script-alert-1-script-quoted-single-newspaper/",
            "https://example.org/news/2025/12/30/yesterdays-story/"
        ]
    );
    assert!(xml.contains("<news:name>Sub-Path Media</news:name>"), "{xml}");
    // Google News takes the language code alone: en-GB is "en".
    assert!(xml.contains("<news:language>en</news:language>"), "{xml}");
    assert!(xml.contains("<news:title>&lt;/script&gt;"), "{xml}");

    // A week later nothing is recent, and the file is still a valid, empty sitemap.
    let later = build_with("publishing", |o| o.now += chrono::Duration::days(7));
    let xml = later.read("news-sitemap.xml");
    assert!(xml.contains("<urlset") && !xml.contains("<url>"), "{xml}");
}

#[test]
fn every_article_has_valid_json_ld_even_with_a_hostile_headline() {
    let site = build("publishing");
    let selector = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let articles: Vec<String> =
        list_files(&site.out).into_iter().filter(|f| f.matches('/').count() == 4 && f.ends_with(".html")).collect();
    assert_eq!(articles.len(), 5);
    for article in &articles {
        let html = site.read(article);
        let page = Html::parse_document(&html);
        let scripts: Vec<String> = page.select(&selector).map(|s| s.inner_html()).collect();
        assert_eq!(scripts.len(), 1, "{article}");
        let json: serde_json::Value = serde_json::from_str(&scripts[0]).unwrap_or_else(|e| panic!("{article}: {e}"));
        assert_eq!(json["@type"], "NewsArticle");
        assert_eq!(json["publisher"]["name"], "Sub-Path Media");
        assert_eq!(json["publisher"]["logo"]["url"], "https://example.org/news/assets/logo.png");
        assert!(json["author"][0]["url"].as_str().unwrap().starts_with("https://example.org/news/authors/"));
        assert!(json["datePublished"].is_string() && json["dateModified"].is_string());
        // Exactly one script element: the headline could not close it.
        assert_eq!(html.matches("<script").count(), 1, "{article}");
    }
    let hostile = site.read("2025/12/31/script-script-alert-1-script-quoted-single-newspaper/index.html");
    let page = Html::parse_document(&hostile);
    let json: serde_json::Value = serde_json::from_str(&page.select(&selector).next().unwrap().inner_html()).unwrap();
    assert_eq!(json["headline"], HOSTILE_TITLE);
    assert_eq!(json["locationCreated"]["name"], "Geneva <Switzerland>");
    assert_eq!(json["datePublished"], "2025-12-31T09:00:00-05:00");
}

#[test]
fn article_head_has_canonical_open_graph_twitter_card_and_description() {
    let site = build("publishing");
    let html = site.read("2025/12/10/budget-story-with-a-correction/index.html");
    for expected in [
        r#"<link rel="canonical" href="https://example.org/news/2025/12/10/budget-story-with-a-correction/">"#,
        r#"<meta property="og:url" content="https://example.org/news/2025/12/10/budget-story-with-a-correction/">"#,
        r#"<meta property="og:image" content="https://example.org/news/2025/12/chart.svg">"#,
        r#"<meta name="description" content="The budget passed.">"#,
        r#"<meta property="article:modified_time" content="2025-12-12T10:30:00+01:00">"#,
        // With a lead image, the large card.
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<meta name="twitter:title" content="Budget Story With a Correction">"#,
        r#"<meta name="twitter:description" content="The budget passed.">"#,
    ] {
        assert!(html.contains(expected), "missing {expected}");
    }
    // Without one, the plain card; the headline escaped.
    let page =
        Html::parse_document(&site.read("2025/12/31/script-script-alert-1-script-quoted-single-newspaper/index.html"));
    let meta = |name: &str| {
        let selector = Selector::parse(&format!("meta[name=\"{name}\"]")).unwrap();
        page.select(&selector).map(|m| m.value().attr("content").unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(meta("twitter:card"), ["summary"]);
    assert_eq!(meta("twitter:title"), [HOSTILE_TITLE]);
}

#[test]
fn corrections_show_on_the_article_and_on_the_corrections_page_and_feed() {
    let site = build("publishing");
    let article = Html::parse_document(&site.read("2025/12/10/budget-story-with-a-correction/index.html"));
    let notice = crate::common::text(&article, ".corrections");
    assert!(notice.starts_with("Corrections December 12, 2025"), "{notice}");
    assert!(
        notice.ends_with("An earlier version gave the wrong total. It is 43.3 million, not 34.3 million."),
        "{notice}"
    );
    let page = Html::parse_document(&site.read("corrections/index.html"));
    assert_eq!(
        crate::common::hrefs(&page, ".story-card-title a"),
        ["../2025/12/10/budget-story-with-a-correction/index.html"]
    );
    let feed = parse_feed(&site.read("corrections/feed.xml"));
    assert_eq!(titles(&feed), ["Correction: Budget Story With a Correction"]);
    assert_eq!(feed.entries[0].updated.unwrap().to_rfc3339(), "2025-12-12T09:30:00+00:00");
}

#[test]
fn the_404_page_works_from_any_depth() {
    let site = build("publishing");
    let html = site.read("404.html");
    assert!(html.contains(r#"href="https://example.org/news/assets/gazette."#), "{html}");
    assert!(html.contains(r#"href="https://example.org/news/archive/""#), "{html}");
    assert!(!html.contains("href=\"../"), "{html}");
}

#[test]
fn without_a_base_url_the_404_page_links_from_the_root() {
    let site = build("basic");
    let page = Html::parse_document(&site.read("404.html"));
    let selector = Selector::parse("link[rel=stylesheet], a[href]").unwrap();
    let links: Vec<&str> = page.select(&selector).map(|e| e.value().attr("href").unwrap()).collect();
    assert!(links.contains(&"/archive/"), "{links:?}");
    assert!(links.iter().any(|l| l.starts_with("/assets/gazette.") && l.ends_with(".css")), "{links:?}");
    for link in &links {
        assert!(link.starts_with('/') || link.starts_with('#'), "{link} is not root-relative: {links:?}");
        assert!(!link.contains("localhost"), "{links:?}");
    }
}

#[test]
fn without_a_base_url_the_build_warns_once_and_leaves_out_absolute_files() {
    let site = build("basic");
    let kinds: Vec<_> = site.report.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, [gazette::check::Kind::NoBaseUrl], "{:?}", site.report.warnings);
    for missing in ["feed.xml", "rss.xml", "sitemap.xml", "news-sitemap.xml"] {
        assert!(!site.exists(missing), "{missing}");
    }
    assert!(!site.read("robots.txt").contains("Sitemap"));
    assert!(!site.read("index.html").contains("localhost"));
    assert!(!site.read("index.html").contains("rel=\"canonical\""));
    assert!(site.exists("404.html"));
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let root = fixture("basic");
    let run = gazette(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--base-url",
        "https://mirror.example/archive/",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(!String::from_utf8_lossy(&run.stderr).contains("warning"));
    let sitemap = crate::common::sitemaps_in(&out, "https://mirror.example/archive/");
    assert!(sitemap.contains("<loc>https://mirror.example/archive/2025/12/03/</loc>"), "{sitemap}");
    let run =
        gazette(&["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap(), "--base-url", "nope"]);
    assert_eq!(run.status.code(), Some(2), "bad usage");
    assert!(String::from_utf8_lossy(&run.stderr).contains("--base-url"));
}

/// The metadata fixture: a story without a byline, and one whose body links
/// to a fragment, a query, the host root and another host, with its lead
/// image at a root-relative path.
#[test]
fn feeds_and_metadata_hold_for_unsigned_stories_and_links_away_from_the_page() {
    let site = build("metadata");
    let atom = site.read("feed.xml");
    let feed = parse_feed(&atom);
    // Atom wants an author for the feed when an entry has none.
    assert_eq!(feed.authors.iter().map(|a| a.name.as_deref().unwrap_or("")).collect::<Vec<_>>(), ["Harbour Media"]);
    let unsigned = feed.entries.iter().find(|e| e.title.as_ref().unwrap().content.starts_with("Ferry")).unwrap();
    assert!(unsigned.authors.is_empty());
    // Links in the content are absolute: the feed is read away from the page.
    let page = "https://example.org/news/2025/12/02/council-votes-on-the-harbour-plan/";
    for href in [
        format!("href=\"{page}#the-vote\""),
        format!("href=\"{page}#1\""),
        format!("href=\"{page}?page=2\""),
        "href=\"https://example.org/about/\"".to_string(),
        "href=\"https://agency.example/story\"".to_string(),
    ] {
        assert!(atom.replace("&quot;", "\"").contains(&href), "no {href} in\n{atom}");
    }
    assert!(!atom.contains("href=&quot;#") && !atom.contains("href=\"#"), "{atom}");

    let rss = site.read("rss.xml");
    assert!(rss.contains("<description>News from the harbour</description>"), "{rss}");
    assert!(rss.contains(r#"href="https://example.org/news/rss.xml""#) && rss.contains(r#"rel="self""#), "{rss}");

    // An empty corrections feed was last updated with the newest story, not in 1970.
    let corrections = parse_feed(&site.read("corrections/feed.xml"));
    assert!(corrections.entries.is_empty());
    assert_eq!(corrections.updated.unwrap().to_rfc3339(), "2025-12-02T09:00:00+00:00");

    // No byline: JSON-LD names the publisher as the author.
    let selector = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let html = site.page("2025/12/01/ferry-timetable-changes-on-monday/index.html");
    let json: serde_json::Value = serde_json::from_str(&html.select(&selector).next().unwrap().inner_html()).unwrap();
    assert_eq!(json["author"][0]["@type"], "Organization");
    assert_eq!(json["author"][0]["name"], "Harbour Media");
    // A root-relative lead image still gets an absolute URL for previews.
    let links = site.read("2025/12/02/council-votes-on-the-harbour-plan/index.html");
    assert!(
        links.contains(r#"<meta property="og:image" content="https://example.org/images/harbour.jpg">"#),
        "{links}"
    );
}

#[test]
fn a_news_sitemap_past_google_news_limit_is_cut_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/2025/12")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: Busy Desk\nbase_url: https://example.org/\n").unwrap();
    for n in 0..1001 {
        let text = format!("---\ntitle: Story {n}\ndate: 2025-12-31 10:{:02}\nauthor: Ann Lee\n---\nText.\n", n % 60);
        std::fs::write(root.join(format!("content/2025/12/story-{n}.md")), text).unwrap();
    }
    let options = gazette::BuildOptions {
        output: Some(root.join("output")),
        ..gazette::BuildOptions::new(root, crate::common::now())
    };
    let report = gazette::build(&options).unwrap();
    let sitemap = std::fs::read_to_string(root.join("output/news-sitemap.xml")).unwrap();
    assert_eq!(sitemap.matches("<url>").count(), 1000);
    assert!(
        report.warnings.iter().any(|w| w.kind == gazette::check::Kind::NewsSitemapFull
            && w.diagnostic.message.contains("newest 1000 of the 1001 stories of the last two days")),
        "{:?}",
        report.warnings
    );
}
