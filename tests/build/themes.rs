//! Themes: both bundled themes render every page kind, a site overrides
//! one template or one block, and the theme guide documents every variable
//! templates receive (its tables are generated from the view structs).

use std::path::Path;

use crate::common::{PAGE_KINDS, build_with, copy_dir, fixture, gazette, list_files, main_of, text};

#[test]
fn broadsheet_renders_every_page_kind() {
    let site = build_with("basic", |o| o.theme = Some("broadsheet".into()));
    for (name, rel) in PAGE_KINDS {
        let html = site.read(rel);
        assert!(html.contains("broadsheet."), "{rel} does not use the broadsheet stylesheet");
        insta::assert_snapshot!(format!("broadsheet_{name}"), main_of(&html));
    }
    assert!(site.exists("404.html"));
    assert!(crate::common::broken_links(&site.out).is_empty(), "{:?}", crate::common::broken_links(&site.out));
    // The front page leads with the newest story, the rest in columns (the
    // fixture shows one story a page: here, ten).
    let site = crate::common::build_changed("basic", |root| {
        std::fs::write(root.join("site.yaml"), "title: Test Times\nper_page: 10\ntheme: broadsheet\n").unwrap();
    });
    let home = site.page("index.html");
    assert_eq!(text(&home, ".lead-headline"), "Bridge Reopens & Traffic Returns");
    assert_eq!(text(&home, ".column-story h2"), "Talks End Without a Deal");
}

#[test]
fn stylesheets_are_fingerprinted_and_linked_by_their_hashed_name() {
    let site = build_with("basic", |_| {});
    let files = list_files(&site.out);
    let hashed: Vec<&String> =
        files.iter().filter(|f| f.starts_with("assets/gazette.") && f.ends_with(".css") && f.len() > 22).collect();
    assert_eq!(hashed.len(), 1, "{files:?}");
    assert!(site.read("index.html").contains(&format!("href=\"{}\"", hashed[0])));
    // The plain name stays too, for hand-written links.
    assert!(site.exists("assets/gazette.css"));
}

#[test]
fn theme_settings_override_the_themes_defaults() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::write(
        dir.path().join("site.yaml"),
        "title: Test Times\ntheme: broadsheet\ntheme_settings:\n  edition: Sunday Edition\n",
    )
    .unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let home = std::fs::read_to_string(dir.path().join("output/index.html")).unwrap();
    assert!(home.contains("Sunday Edition"), "the site's setting wins");
    assert!(!home.contains("Archive Edition"), "over the theme's default");
}

#[test]
fn an_unknown_theme_names_the_themes_that_exist() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("themes/mine/templates")).unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: T\ntheme: brodsheet\n").unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr
            .contains("site.yaml:2:8: theme: unknown theme \"brodsheet\"; themes available: broadsheet, default, mine"),
        "{stderr}"
    );
}

#[test]
fn an_error_in_the_story_card_names_the_card_template_and_a_list_that_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
    std::fs::write(dir.path().join("templates/partials/story_card.html"), "<li>\n{{ card.page_views }}</li>\n")
        .unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("templates/partials/story_card.html:2:"), "{stderr}");
    // A list page, not the article page (which has no card).
    let page = stderr.split("(while rendering ").nth(1).and_then(|r| r.split(')').next()).unwrap_or_default();
    let lists = ["/", "2025/", "2025/12/", "2025/12/03/", "2025/11/", "2025/11/20/", "2024/"];
    let paged = page.starts_with("page/") || page.contains("/page/");
    assert!(lists.contains(&page) || page.starts_with("authors/") || paged, "{stderr}");
}

#[test]
fn a_missing_variable_is_an_error_not_an_empty_string() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/home.html"),
        "{% extends \"theme:home.html\" %}\n{% block main %}{{ articles_count }}{% endblock main %}\n",
    )
    .unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("templates/home.html:2:"), "{stderr}");
    assert!(stderr.contains("(while rendering /)"), "{stderr}");
}

#[test]
fn a_broken_template_is_reported_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("themes/mine/templates")).unwrap();
    std::fs::write(
        dir.path().join("themes/mine/templates/article.html"),
        "{% extends \"base.html\" %}\n\n{% block main %}{% if %}{% endblock main %}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: T\ntheme: mine\n").unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("themes/mine/templates/article.html:3:"), "{stderr}");
}

#[test]
fn a_template_reading_a_removed_variable_is_told_what_to_read_instead() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
    let old = "<nav>\n  «{% if pagination.total > 1 %}<ol></ol>{% endif %}\n</nav>\n";
    std::fs::write(dir.path().join("templates/partials/pagination.html"), old).unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    // Once, at its place (the column in characters), with what to use
    // instead; not once a page.
    let at = "templates/partials/pagination.html:2:10: `pagination.total` is gone";
    assert_eq!(stderr.matches(at).count(), 1, "{stderr}");
    assert!(
        stderr.contains("`pagination.pages | length > 1`") && stderr.contains("Build failed: 1 problem;"),
        "{stderr}"
    );
    // A theme's old template that the site overrides is not read: no
    // problem.
    std::fs::create_dir_all(dir.path().join("themes/old/templates/partials")).unwrap();
    std::fs::write(dir.path().join("themes/old/templates/partials/pagination.html"), old).unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: T\ntheme: old\n").unwrap();
    let new = std::fs::read_to_string(fixture("../../themes/default/templates/partials/pagination.html")).unwrap();
    std::fs::write(dir.path().join("templates/partials/pagination.html"), new).unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
}

#[test]
fn each_problem_in_a_site_template_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/home.html"),
        "{% extends \"base.html\" %}\n{% block main %}{{ x | nosuch }}{% include \"partials/nope.html\" %}{% endblock main %}\n",
    )
    .unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    // The winning template is parsed under two names (see Theme::load).
    assert_eq!(stderr.matches("templates/home.html:2:").count(), 2, "{stderr}");
    assert!(stderr.contains("Unknown filter `nosuch`") && stderr.contains("partials/nope.html"), "{stderr}");
    assert!(stderr.contains("Build failed: 2 problems;"), "{stderr}");
}

#[test]
fn a_theme_may_provide_only_what_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    std::fs::create_dir_all(dir.path().join("themes/tiny/static")).unwrap();
    std::fs::write(dir.path().join("themes/tiny/theme.yaml"), "name: Tiny\nversion: 0.1.0\n").unwrap();
    std::fs::create_dir_all(dir.path().join("themes/tiny/templates")).unwrap();
    std::fs::write(
        dir.path().join("themes/tiny/templates/home.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Tiny front page</h1>{% endblock main %}",
    )
    .unwrap();
    std::fs::write(dir.path().join("site.yaml"), "title: T\ntheme: tiny\n").unwrap();
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let out = dir.path().join("output");
    assert!(std::fs::read_to_string(out.join("index.html")).unwrap().contains("<h1>Tiny front page</h1>"));
    let article = std::fs::read_to_string(out.join("2025/12/03/talks-end-without-a-deal/index.html")).unwrap();
    assert!(article.contains("<h1>Talks End Without a Deal</h1>"), "the default theme's article page");
}

#[test]
fn eject_copies_the_default_theme_to_start_from() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture("basic"), dir.path());
    let root = dir.path().to_str().unwrap();
    let run = gazette(&["theme", "eject", "house", "--root", root]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(dir.path().join("themes/house/templates/article.html").is_file());
    assert!(dir.path().join("themes/house/static/assets/gazette.css").is_file());
    assert!(std::fs::read_to_string(dir.path().join("themes/house/theme.yaml")).unwrap().contains("name: house"));
    // It refuses to overwrite.
    assert_eq!(gazette(&["theme", "eject", "house", "--root", root]).status.code(), Some(2));
    // And the ejected theme builds the same site.
    std::fs::write(dir.path().join("site.yaml"), "title: Test Times\nper_page: 2\ntheme: house\n").unwrap();
    assert_eq!(gazette(&["build", "--root", root]).status.code(), Some(0));
    let list = gazette(&["theme", "list", "--root", root]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("house"), "theme list shows it");
}

/// The Markdown tables of the theme guide's variable reference, generated
/// from the documented fields of the view structs in `src/render/views.rs`.
fn variable_tables() -> String {
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/render/views.rs")).unwrap();
    let mut out = String::new();
    let mut docs: Vec<String> = Vec::new();
    let mut in_struct = false;
    for line in source.lines() {
        let trimmed = line.trim();
        if let Some(doc) = trimmed.strip_prefix("///") {
            docs.push(doc.trim().to_string());
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("pub struct ") {
            let name = rest.split(['<', ' ', '{']).next().unwrap_or_default();
            out.push_str(&format!("\n### {name}\n\n{}\n\n| field | type | meaning |\n|---|---|---|\n", docs.join(" ")));
            in_struct = true;
        } else if in_struct && trimmed.starts_with("pub ") {
            let field = trimmed.trim_start_matches("pub ");
            let (name, ty) = field.split_once(':').unwrap_or((field, ""));
            let ty = pretty_type(ty.trim().trim_end_matches(','));
            out.push_str(&format!("| `{name}` | {ty} | {} |\n", docs.join(" ").replace('|', "\\|")));
        } else if trimmed == "}" {
            in_struct = false;
        }
        if !trimmed.starts_with("#[") {
            docs.clear();
        }
    }
    out
}

/// A Rust type as a template author thinks of it.
fn pretty_type(ty: &str) -> String {
    let ty =
        ty.replace("'static ", "").replace("'a ", "").replace("<'a>", "").replace("<'static>", "").replace('&', "");
    let ty =
        ty.replace("Cow<str>", "text").replace("Cow<'a, str>", "text").replace("String", "text").replace("str", "text");
    let ty = ty.replace("Map<text, Value>", "map").replace("[text]", "list of text");
    let ty =
        ty.replace("usize", "number").replace("u32", "number").replace("i32", "number").replace("bool", "true/false");
    let ty = ty
        .replace("Vec<Html>", "list of HTML text")
        .replace("Option<", "optional ")
        .replace("Vec<Vec<", "list of lists of ")
        .replace("Vec<", "list of ");
    ty.replace('>', "")
}

#[test]
fn the_theme_guide_documents_every_variable() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/themes.md");
    let guide = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- variables:start -->", "<!-- variables:end -->");
    let (Some(a), Some(b)) = (guide.find(start), guide.find(end)) else {
        panic!("docs/themes.md needs the {start} … {end} markers");
    };
    let expected = format!("{start}\n{}\n{end}", variable_tables().trim());
    let current = &guide[a..b + end.len()];
    if current != expected {
        if std::env::var_os("GAZETTE_BLESS_DOCS").is_some() {
            std::fs::write(&path, guide.replace(current, &expected)).unwrap();
            return;
        }
        panic!(
            "docs/themes.md's variable tables are out of date with src/render/views.rs; run GAZETTE_BLESS_DOCS=1 cargo test --test build themes to regenerate them"
        );
    }
}

#[test]
fn static_files_replace_the_themes_and_content_files_may_not() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("content/a.md", "---\ntitle: A\ndate: 2025-01-01\n---\nBody.\n");
    write("static/404.html", "<!doctype html><title>Lost</title><p>Our own 404.\n");
    write("static/assets/gazette.css", "body { color: navy }\n");
    let root = dir.path().to_str().unwrap();
    let run = gazette(&["build", "--root", root]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    let out = dir.path().join("output");
    assert!(std::fs::read_to_string(out.join("404.html")).unwrap().contains("Our own 404."));
    // Pages link the site's stylesheet, under a name hashed from it.
    let page = std::fs::read_to_string(out.join("2025/01/01/a/index.html")).unwrap();
    let css = page.split("href=\"../../../../").find_map(|s| s.split('"').next().filter(|h| h.ends_with(".css")));
    let css = css.unwrap_or_else(|| panic!("no stylesheet in {page}"));
    assert_eq!(std::fs::read_to_string(out.join(css)).unwrap(), "body { color: navy }\n");

    // The same files in content/ are errors, like content/index.html.
    std::fs::rename(dir.path().join("static"), dir.path().join("content/static-was-here")).unwrap();
    write("content/404.html", "<p>Our own 404.\n");
    write("content/assets/gazette.css", "body { color: navy }\n");
    write("content/index.html", "<p>Home.\n");
    let run = gazette(&["build", "--root", root]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        errors,
        [
            "error: content/404.html: would overwrite 404.html, which Gazette generates; your own goes in static/",
            "error: content/assets/gazette.css: would replace (bundled theme default) static/assets/gazette.css; \
             files that replace the theme's go in static/",
            "error: content/index.html: would overwrite index.html, which Gazette generates; rename or move it",
        ]
    );
}

/// The unknown front-matter keys are kept only for a theme whose templates
/// mention `extra`: a site that starts showing them must get them on its
/// next build, not the empty map the bundled theme's builds stored.
#[test]
fn a_template_that_starts_reading_extra_gets_it_on_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("site.yaml"), "title: Test Times\n").unwrap();
    std::fs::write(
        root.join("content/vote.md"),
        "---\ntitle: Vote Count\ndate: 2025-01-01\ndesk_note: Late edition\n---\nText.\n",
    )
    .unwrap();
    let build = || {
        let run = gazette(&["build", "--root", root.to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
        std::fs::read_to_string(root.join("output/2025/01/01/vote-count/index.html")).unwrap()
    };
    assert!(build().contains("Vote Count"));
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/article.html"),
        "{% extends \"theme:article.html\" %}\n{% block story_body %}<p class=\"note\">{{ article.extra.desk_note \
         | default(value=\"none\") }}</p>{{ super() }}{% endblock story_body %}\n",
    )
    .unwrap();
    let page = build();
    assert!(page.contains("<p class=\"note\">Late edition</p>"), "{}", main_of(&page));
}

/// The lists whose cards a test looks at: a day, a tag, an on-this-day
/// page and the home page, at four depths.
fn card_lists(site: &crate::common::Built) -> Vec<String> {
    let files = list_files(&site.out);
    let first = |prefix: &str| files.iter().find(|f| f.starts_with(prefix) && f.ends_with("/index.html")).cloned();
    let day = files.iter().find(|f| f.len() == "2025/12/03/index.html".len() && f.ends_with("/index.html")).cloned();
    [day, first("tags/harbour/"), first("on-this-day/"), Some("index.html".to_string())]
        .into_iter()
        .map(|f| f.expect("the fixture has that list"))
        .collect()
}

/// The article page a link on the page at `page` (a file) leads to.
fn target_of(page: &str, href: &str) -> String {
    let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in href.split('/') {
        match seg {
            ".." => assert!(parts.pop().is_some(), "{href} climbs above the root from {page}"),
            "." => {}
            seg => parts.push(seg),
        }
    }
    parts.join("/")
}

#[test]
fn a_sites_story_card_is_every_lists_card_with_its_links_made_for_each_page() {
    let site = crate::common::build_changed("discovery", |root| {
        std::fs::create_dir_all(root.join("templates/partials")).unwrap();
        let card = "<li class=\"mine\"><a class=\"story\" href=\"{{ card.href }}\">{{ card.title }}</a>\
                    {% for a in card.authors %}<a class=\"by\" href=\"{{ a.href }}\">{{ a.label }}</a>{% endfor %}</li>\n";
        std::fs::write(root.join("templates/partials/story_card.html"), card).unwrap();
    });
    let lists = card_lists(&site);
    for list in &lists {
        let page = site.page(list);
        let links = crate::common::hrefs(&page, "li.mine a");
        assert!(!links.is_empty(), "{list} shows the site's cards");
        assert!(crate::common::hrefs(&page, ".story-card a").is_empty(), "{list} shows no bundled card");
        for href in &links {
            assert!(site.exists(&target_of(list, href)), "{list}: {href} leads nowhere");
        }
    }
    assert!(crate::common::broken_links(&site.out).is_empty(), "{:?}", crate::common::broken_links(&site.out));
    // The same story from pages at different depths: one card, two ways up.
    let day = site.page(&lists[0]);
    let story = &crate::common::hrefs(&day, "li.mine a.story")[0];
    assert!(story.starts_with("../../../2"), "{story}");
}

#[test]
fn a_list_template_that_writes_its_own_cards_gets_each_storys_fields() {
    let site = crate::common::build_changed("discovery", |root| {
        std::fs::create_dir_all(root.join("templates/partials")).unwrap();
        let list = "<ol>{% for card in articles %}<li class=\"own\"><a href=\"{{ card.href }}\">{{ card.title }}</a> \
                    {{ card.date.display }}</li>{% endfor %}</ol>\n";
        std::fs::write(root.join("templates/partials/article_list.html"), list).unwrap();
    });
    // On-this-day pages group their cards by year (`group.cards`), without the list template.
    for list in card_lists(&site).into_iter().filter(|l| !l.starts_with("on-this-day/")) {
        let page = site.page(&list);
        let links = crate::common::hrefs(&page, "li.own a");
        assert!(!links.is_empty(), "{list} shows the stories");
        for href in &links {
            assert!(site.exists(&target_of(&list, href)), "{list}: {href} leads nowhere");
        }
        assert!(text(&page, "li.own").contains(", 20"), "{list}: the date is printed");
    }
    // Links made for the page itself: from a day page, straight down.
    let day = site.page(&card_lists(&site)[0]);
    let story = &crate::common::hrefs(&day, "li.own a")[0];
    assert!(!story.starts_with(".."), "{story}");
}

#[test]
fn each_year_on_an_on_this_day_page_shows_its_own_stories_whatever_list_template_the_site_has() {
    let site = crate::common::build_changed("discovery", |root| {
        let config = std::fs::read_to_string(root.join("site.yaml")).unwrap();
        std::fs::write(root.join("site.yaml"), config.replace("per_page: 1", "per_page: 50")).unwrap();
        std::fs::create_dir_all(root.join("templates/partials")).unwrap();
        let list = "<ol>{% for card in articles %}<li class=\"own\">{{ card.title }}</li>{% endfor %}</ol>\n";
        std::fs::write(root.join("templates/partials/article_list.html"), list).unwrap();
    });
    let pages: Vec<String> = list_files(&site.out)
        .into_iter()
        .filter(|f| f.starts_with("on-this-day/") && f.ends_with("index.html"))
        .collect();
    let mut most_years = 0;
    for rel in &pages {
        let page = site.page(rel);
        let groups = scraper::Selector::parse(".year-group").unwrap();
        let title = scraper::Selector::parse(".story-card-title a").unwrap();
        let mut seen = std::collections::BTreeSet::new();
        let mut years = 0;
        for group in page.select(&groups) {
            years += 1;
            let links: Vec<&str> = group.select(&title).filter_map(|a| a.value().attr("href")).collect();
            assert!(!links.is_empty(), "{rel}: a year without stories");
            for href in links {
                assert!(seen.insert(href.to_string()), "{rel}: {href} shown twice");
                assert!(href.contains(&format!("/{}/", text_of_year(&group))), "{rel}: {href} under another year");
            }
        }
        most_years = most_years.max(years);
    }
    assert!(most_years >= 2, "the fixture has a calendar day in two years");
}

/// The year a `.year-group` is headed with.
fn text_of_year(group: &scraper::ElementRef<'_>) -> String {
    let h2 = scraper::Selector::parse("h2").unwrap();
    group.select(&h2).next().map(|h| h.text().collect::<String>()).unwrap_or_default().trim().to_string()
}
