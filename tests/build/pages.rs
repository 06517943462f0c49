//! The pages of a small fixture site: each exists at its URL, says the
//! right things and links to the right pages.

use crate::common::{broken_links, build, build_changed, build_with, fixture, gazette, hrefs, list_files, text, write};

const TALKS: &str = "2025/12/03/talks-end-without-a-deal/index.html";
const BRIDGE: &str = "2025/12/03/bridge-reopens-traffic-returns/index.html";
const BUDGET: &str = "2025/11/20/council-passes-budget/index.html";
const STORM: &str = "2024/01/15/storm-cuts-power-to-coast/index.html";
const FERRY: &str = "2024/01/10/ferry-adds-early-sailing/index.html";

#[test]
fn every_page_is_written_at_its_url() {
    let site = build("basic");
    let files = list_files(&site.out);
    for page in [
        "index.html",
        "page/1/index.html",
        "page/4/index.html",
        TALKS,
        BRIDGE,
        BUDGET,
        STORM,
        FERRY,
        "2025/index.html",
        "2025/12/index.html",
        "2025/12/03/index.html",
        "2025/11/index.html",
        "2025/11/20/index.html",
        "2024/index.html",
        "2024/01/index.html",
        "2024/01/15/index.html",
        "2024/01/10/index.html",
        "archive/index.html",
        "authors/index.html",
        "authors/ann-lee/index.html",
        "authors/ann-lee/page/1/index.html",
        "authors/ann-lee/page/2/index.html",
        "authors/bo-chen/index.html",
        "authors/cy-dee/index.html",
        "assets/gazette.css",
        "2025/12/bridge.svg",
        "2025/12/costs.csv",
    ] {
        assert!(files.contains(&page.to_string()), "missing {page}; have:\n{}", files.join("\n"));
    }
    // One a page: the newest on the home page, then four more, counted
    // from the oldest (a page keeps its number as the archive grows).
    assert!(!site.exists("page/5/index.html"));
    assert_eq!(site.report.articles, 5);
}

#[test]
fn wire_article_page_shows_headline_byline_dateline_and_plain_body() {
    let site = build("basic");
    let page = site.page(TALKS);
    assert_eq!(text(&page, "main h1"), "Talks End Without a Deal");
    assert_eq!(text(&page, ".byline"), "By Ann Lee and Bo Chen");
    assert_eq!(text(&page, ".dateline"), "Geneva");
    assert_eq!(text(&page, "time"), "December 3, 2025");
    let html = site.read(TALKS);
    // Wire lines are plain text: never headings or lists.
    assert!(html.contains("<p>#1 sticking point was the border.</p>"), "{html}");
    assert!(html.contains("<p>* Both sides will meet again in January.</p>"), "{html}");
    assert_eq!(
        hrefs(&page, ".byline a"),
        ["../../../../authors/ann-lee/index.html", "../../../../authors/bo-chen/index.html"]
    );
}

#[test]
fn markdown_article_resolves_assets_and_article_links_from_its_page() {
    let site = build("basic");
    let page = site.page(BRIDGE);
    assert_eq!(text(&page, "main h1"), "Bridge Reopens & Traffic Returns");
    let html = site.read(BRIDGE);
    assert!(html.contains(r#"<img src="../../bridge.svg" alt="The bridge" />"#), "{html}");
    let links = hrefs(&page, ".story-body a");
    assert_eq!(links, ["../../../11/20/council-passes-budget/index.html", "../../costs.csv"]);
    assert!(broken_links(&site.out).is_empty(), "{:?}", broken_links(&site.out));
}

#[test]
fn previous_and_next_follow_the_archive_order() {
    let site = build("basic");
    let page = site.page(BRIDGE);
    // Same day: the 17:00 story is newer than the undated (midnight) one.
    assert_eq!(hrefs(&page, ".story-nav a[rel=prev]"), ["../talks-end-without-a-deal/index.html"]);
    assert!(hrefs(&page, ".story-nav a[rel=next]").is_empty());
    let page = site.page(TALKS);
    assert_eq!(hrefs(&page, ".story-nav a[rel=prev]"), ["../../../11/20/council-passes-budget/index.html"]);
    assert_eq!(hrefs(&page, ".story-nav a[rel=next]"), ["../bridge-reopens-traffic-returns/index.html"]);
}

#[test]
fn date_pages_link_to_their_articles() {
    let site = build("basic");
    let day = site.page("2025/12/03/index.html");
    assert_eq!(text(&day, "main h1"), "December 3, 2025");
    // A card is made once for every list: its links climb to the root.
    assert_eq!(hrefs(&day, ".story-card-title a"), ["../../../2025/12/03/bridge-reopens-traffic-returns/index.html"]);
    assert_eq!(text(&day, ".page-count"), "2 articles · December 3 in every year");
    let day1 = site.page("2025/12/03/page/1/index.html");
    assert_eq!(hrefs(&day1, ".story-card-title a"), ["../../../../../2025/12/03/talks-end-without-a-deal/index.html"]);
    let month = site.page("2025/12/index.html");
    assert_eq!(text(&month, "main h1"), "December 2025");
    // The calendar links the one day with articles, and shows its count.
    // The link's name is its own text ("3, 2 articles", the punctuation and
    // the word visually hidden), so what is seen is part of what is heard.
    assert_eq!(hrefs(&month, ".calendar a"), ["03/index.html"]);
    assert_eq!(text(&month, ".calendar .has-articles a"), "3 , 2 articles");
    assert_eq!(text(&month, ".calendar .has-articles .day-count"), "2 articles");
    assert_eq!(hrefs(&month, ".period-nav a"), ["../11/index.html"]);
    let year = site.page("2025/index.html");
    assert_eq!(hrefs(&year, ".period-index a"), ["12/index.html", "11/index.html"]);
    assert_eq!(hrefs(&year, ".period-nav a.older"), ["../2024/index.html"]);
    // One a page, counted from the oldest: the year's oldest article is on
    // page 1, the next older than the front page's on page 2.
    assert_eq!(hrefs(&year, ".pagination a[rel=next]"), ["page/2/index.html"]);
    let year1 = site.page("2025/page/1/index.html");
    assert_eq!(hrefs(&year1, ".story-card-title a"), ["../../../2025/11/20/council-passes-budget/index.html"]);
    // Only the front page shows the count and the months.
    assert_eq!(text(&year, ".page-count"), "3 articles");
    assert_eq!(text(&year1, ".page-count"), "Page 1");
    assert!(hrefs(&year1, ".period-index a").is_empty() && hrefs(&year1, ".period-nav a").is_empty());
}

#[test]
fn archive_overview_counts_years_and_months() {
    let site = build("basic");
    let page = site.page("archive/index.html");
    assert_eq!(hrefs(&page, ".archive-year h2 a"), ["../2025/index.html", "../2024/index.html"]);
    assert_eq!(text(&page, ".archive-year h2"), "2025 3 articles");
    assert_eq!(
        hrefs(&page, ".archive-months a"),
        ["../2025/11/index.html", "../2025/12/index.html", "../2024/01/index.html"]
    );
}

#[test]
fn author_pages_list_their_articles_newest_first() {
    let site = build("basic");
    let index = site.page("authors/index.html");
    assert_eq!(text(&index, ".author-index"), "Ann Lee 3 articles Bo Chen 2 articles Cy Dee 1 article");
    let ann = site.page("authors/ann-lee/index.html");
    assert_eq!(text(&ann, "main h1"), "Ann Lee");
    assert_eq!(hrefs(&ann, ".story-card-title a"), ["../../2025/12/03/talks-end-without-a-deal/index.html"]);
    assert_eq!(text(&ann, ".page-count"), "3 articles");
    let ann2 = site.page("authors/ann-lee/page/2/index.html");
    assert_eq!(hrefs(&ann2, ".story-card-title a"), ["../../../../2024/01/15/storm-cuts-power-to-coast/index.html"]);
    assert_eq!(hrefs(&ann2, ".pagination a[rel=prev]"), ["../../index.html"]);
    assert_eq!(hrefs(&ann2, ".pagination a[rel=next]"), ["../1/index.html"]);
    let ann1 = site.page("authors/ann-lee/page/1/index.html");
    assert_eq!(hrefs(&ann1, ".story-card-title a"), ["../../../../2024/01/10/ferry-adds-early-sailing/index.html"]);
}

#[test]
fn home_is_paginated_newest_first() {
    let site = build("basic");
    let home = site.page("index.html");
    assert_eq!(hrefs(&home, ".story-card-title a"), ["2025/12/03/bridge-reopens-traffic-returns/index.html"]);
    // Older pages are counted from the oldest: the next older is page 4.
    assert_eq!(hrefs(&home, ".pagination a[rel=next]"), ["page/4/index.html"]);
    assert_eq!(text(&home, ".pagination ol"), "Latest 4 3 … 1");
    let next = site.page("page/4/index.html");
    assert_eq!(hrefs(&next, ".story-card-title a"), ["../../2025/12/03/talks-end-without-a-deal/index.html"]);
    assert_eq!(text(&next, ".pagination ol"), "Latest 4 3 2 1");
    let last = site.page("page/1/index.html");
    assert_eq!(hrefs(&last, ".story-card-title a"), ["../../2024/01/10/ferry-adds-early-sailing/index.html"]);
    assert_eq!(text(&last, "title"), "Page 1 · Test Times");
    assert_eq!(text(&last, "h1"), "Latest news, page 1");
    assert!(hrefs(&last, ".pagination a[rel=next]").is_empty());
}

#[test]
fn breadcrumbs_lead_from_article_to_home() {
    let site = build("basic");
    let page = site.page(TALKS);
    assert_eq!(text(&page, ".breadcrumbs"), "Home 2025 December 3 Talks End Without a Deal");
    assert_eq!(
        hrefs(&page, ".breadcrumbs a"),
        ["../../../../index.html", "../../../index.html", "../../index.html", "../index.html"]
    );
}

#[test]
fn summaries_and_extra_keys_reach_templates() {
    // The bridge story's `custom_key:` shown by a site template.
    let site = build_changed("basic", |root| {
        write(
            &root.join("templates/article.html"),
            "{% extends \"theme:article.html\" %}{% block main %}{% if article.extra.custom_key %}\
             <p class=\"custom\">{{ article.extra.custom_key }}</p>{% endif %}{{ super() }}{% endblock main %}",
        );
    });
    assert_eq!(text(&site.page(BRIDGE), ".custom"), "kept for templates");
    assert!(!site.read(TALKS).contains("class=\"custom\""), "only the article with the key has it");
    let budget = site.page(BUDGET);
    assert_eq!(text(&budget, ".standfirst"), "A late deal froze bus fares.");
    // A summary taken from the body is not repeated as a standfirst.
    assert!(!site.read(TALKS).contains("class=\"standfirst\""));
    let home = site.read("index.html");
    assert!(home.contains("The bridge reopened on Wednesday."), "{home}");
}

#[test]
fn language_date_format_and_week_start_shape_the_pages() {
    let site = build_changed("basic", |root| {
        write(
            &root.join("site.yaml"),
            "title: Test Times\nper_page: 2\nlanguage: fr-CA\ndate_format: \"%d/%m/%Y\"\nweek_start: sunday\n",
        );
    });
    assert!(site.read("index.html").contains("<html lang=\"fr-CA\">"), "the configured language");
    // Dates as configured, on the article and in listings; machine-readable
    // dates stay as they are.
    let bridge = site.page(BRIDGE);
    assert_eq!(text(&bridge, "time"), "03/12/2025, 17:00");
    assert_eq!(text(&site.page("2025/12/03/index.html"), ".story-card time"), "03/12/2025");
    assert!(site.read(BRIDGE).contains("datetime=\"2025-12-03T17:00:00+00:00\""));
    // December 2025 starts on a Monday: with weeks from Sunday, the first
    // row opens with one empty day.
    let month = site.page("2025/12/index.html");
    let heads: Vec<String> = select_texts(&month, ".calendar thead th");
    assert_eq!(heads, ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]);
    let days: Vec<String> = select_texts(&month, ".calendar tbody tr:first-child td")
        .into_iter()
        .map(|cell| cell.split(' ').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(days, ["", "1", "2", "3", "4", "5", "6"]);

    // The defaults: English, "December 3, 2025", weeks from Monday.
    let plain = build("basic");
    assert!(plain.read("index.html").contains("<html lang=\"en\">"));
    assert_eq!(text(&plain.page(BRIDGE), "time"), "December 3, 2025, 17:00");
    assert_eq!(select_texts(&plain.page("2025/12/index.html"), ".calendar thead th")[0], "Mon");
}

/// The text of every element matching `css`, whitespace collapsed.
fn select_texts(html: &scraper::Html, css: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn hidden_files_in_content_are_skipped() {
    let article = "---\ntitle: Hidden Story\ndate: 2025-12-03\n---\nSecret.\n";
    let site = build_changed("basic", |root| {
        write(&root.join("content/.hidden.md"), article);
        write(&root.join("content/2025/12/.backup.md"), article);
        write(&root.join("content/.drafts/story.md"), article);
        write(&root.join("content/2025/12/.DS_Store"), "junk");
    });
    assert_eq!(site.report.articles, 5, "only the fixture's own articles");
    let files = list_files(&site.out);
    let leaked: Vec<&String> = files
        .iter()
        .filter(|f| f.contains("hidden") || f.contains("backup") || f.contains("DS_Store") || f.contains("drafts"))
        .collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    assert!(!site.read("2025/12/03/index.html").contains("Hidden Story"));
}

#[test]
fn every_relative_link_resolves() {
    let site = build("basic");
    let broken = broken_links(&site.out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn drafts_and_future_articles_are_held_back_unless_asked() {
    let site = build("drafts_future");
    assert!(site.exists("2025/06/01/published-story/index.html"));
    assert!(!site.exists("2025/06/02/a-draft/index.html"));
    assert!(!site.exists("2999/01/01/from-the-future/index.html"));
    assert!(!site.read("index.html").contains("A Draft"));
    assert_eq!(site.report.held_back, 2);

    let site = build_with("drafts_future", |o| {
        o.drafts = true;
        o.future = true;
    });
    assert!(site.exists("2025/06/02/a-draft/index.html"));
    assert!(site.exists("2999/01/01/from-the-future/index.html"));
}

#[test]
fn the_drafts_and_future_flags_of_the_command_line() {
    let root = fixture("drafts_future");
    let dir = tempfile::tempdir().unwrap();
    let built = |flags: &[&str]| {
        let out = dir.path().join(format!("out{}", flags.join("")));
        let mut args = vec!["build", "--quiet", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()];
        args.extend_from_slice(flags);
        let run = gazette(&args);
        assert_eq!(run.status.code(), Some(0), "{flags:?}: {}", String::from_utf8_lossy(&run.stderr));
        let draft = out.join("2025/06/02/a-draft/index.html").is_file();
        let future = out.join("2999/01/01/from-the-future/index.html").is_file();
        assert!(out.join("2025/06/01/published-story/index.html").is_file(), "{flags:?}");
        (draft, future)
    };
    assert_eq!(built(&[]), (false, false));
    assert_eq!(built(&["--drafts"]), (true, false));
    assert_eq!(built(&["--future"]), (false, true));
    assert_eq!(built(&["--drafts", "--future"]), (true, true));
}

#[test]
fn same_slug_on_the_same_day_gets_distinct_urls() {
    let site = build("collisions");
    let day = site.page("2025/05/05/index.html");
    let mut links = hrefs(&day, ".story-card-title a");
    links.sort();
    let day_folder = "../../../2025/05/05/";
    assert_eq!(
        links,
        [0, 1, 2].map(|n| format!("{day_folder}{}/index.html", ["briefing-2", "briefing-3", "briefing"][n]))
    );
    // The earliest keeps the plain URL.
    assert_eq!(text(&site.page("2025/05/05/briefing/index.html"), ".story-body"), "Morning edition.");
}

#[test]
fn non_latin_headlines_get_readable_slugs() {
    let site = build("collisions");
    assert!(site.exists("2025/05/06/kyiv-zustrich-u-kiievi/index.html"), "{:?}", list_files(&site.out));
    assert!(site.exists("2025/05/06/bei-jing-xin-wen/index.html"), "{:?}", list_files(&site.out));
}

#[test]
fn a_site_template_overrides_one_file_and_extends_the_theme() {
    let site = build("override");
    let page = site.page("2025/04/01/overridden-story/index.html");
    // The site's block, with the extra front-matter key…
    assert_eq!(text(&page, ".site-banner"), "Photo: Jo Berg");
    // …around the theme's own article markup, kept by super().
    assert_eq!(text(&page, "main h1"), "Overridden Story");
    assert_eq!(text(&page, ".byline"), "By Ann Lee");
    // Pages the site did not override still use the theme.
    assert_eq!(text(&site.page("index.html"), "main h1"), "Latest news");
    // The site's static files are copied next to the theme's.
    assert!(site.exists("site.css") && site.exists("assets/gazette.css"));
}

#[test]
fn author_profiles_show_and_aliases_merge_bylines() {
    let site = build("profiles");
    let minwoo = site.page("authors/minwoo-jung/index.html");
    assert_eq!(text(&minwoo, "main h1"), "Minwoo Jung");
    assert_eq!(text(&minwoo, ".author-role"), "Data reporter");
    assert_eq!(text(&minwoo, ".author-bio"), "Counts things the city would rather not count.");
    // Three spellings, one page, every article.
    assert_eq!(hrefs(&minwoo, ".story-card-title a").len(), 3);
    let index = site.page("authors/index.html");
    assert_eq!(hrefs(&index, ".author-index a"), ["ann-lee/index.html", "minwoo-jung/index.html"]);
    // Bylines show the profile's name, whatever was written.
    let budget = site.page("2025/05/01/budget-data-released/index.html");
    assert_eq!(text(&budget, ".byline"), "By Minwoo Jung");
    // A profile from content/authors/*.yaml, with its photo; the YAML is not published.
    let ann = site.page("authors/ann-lee/index.html");
    assert_eq!(text(&ann, ".author-role"), "Harbour correspondent");
    assert!(site.read("authors/ann-lee/index.html").contains(r#"src="../ann.svg""#));
    assert!(site.exists("authors/ann.svg"));
    assert!(!site.exists("authors/ann-lee.yaml"));
    assert!(broken_links(&site.out).is_empty(), "{:?}", broken_links(&site.out));
}
