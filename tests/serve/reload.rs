//! Watching and live reload: edits are rebuilt and announced, broken
//! edits are reported without taking the preview down, and the reload
//! script exists only in what is served.

use crate::common::{Server, save};

const ARTICLE: &str = "/2025/12/03/bridge-reopens/";

fn article_source(server: &Server) -> std::path::PathBuf {
    server.site.join("content/2025/12/bridge.md")
}

#[test]
fn editing_an_article_reloads_the_browser_and_serves_the_new_text() {
    let server = Server::start("serve");
    let events = server.events();
    let source = article_source(&server);
    let text = std::fs::read_to_string(&source).unwrap();
    save(&source, &text.replace("after two years of repairs", "after a record-breaking repair"));

    let changed = events.expect("reload", &server);
    assert!(changed.contains("bridge.md"), "the event names the change: {changed}");
    let reply = server.get(ARTICLE);
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("after a record-breaking repair"), "{}", reply.body);
    server.wait_for_log("Rebuilt in");
    assert!(server.log().contains("content/2025/12/bridge.md"), "stderr names the file:\n{}", server.log());
}

#[test]
fn a_burst_of_saves_gives_one_rebuild() {
    let server = Server::start("serve");
    let events = server.events();
    // Five new stories saved one after another, as fast as they can be.
    for n in 1..=5 {
        let text = format!("---\ntitle: Burst Story {n}\ndate: 2025-12-0{n}\n---\nSaved in a burst.\n");
        save(&server.site.join(format!("content/2025/12/burst-{n}.md")), &text);
    }
    let (event, changed) = events.next(&server);
    assert_eq!(event, "reload");
    assert!(changed.contains("burst-") && changed.ends_with("and 2 more"), "one rebuild for all five: {changed}");
    // A later save: the next event is its own rebuild, none was left over
    // from the burst.
    let source = article_source(&server);
    let text = std::fs::read_to_string(&source).unwrap();
    save(&source, &text.replace("after two years of repairs", "after the burst"));
    let (event, changed) = events.next(&server);
    assert_eq!((event.as_str(), changed.as_str()), ("reload", "content/2025/12/bridge.md"));
    server.wait_for_log("(content/2025/12/bridge.md): ");
    let log = server.log();
    assert_eq!(log.matches("Rebuilt in").count(), 2, "one rebuild line per batch:\n{log}");
}

#[test]
fn a_broken_article_keeps_the_last_good_build_and_fixing_it_recovers() {
    let server = Server::start("serve");
    let events = server.events();
    let source = article_source(&server);
    let good = std::fs::read_to_string(&source).unwrap();

    // Break the front matter.
    save(&source, &good.replace("title: Bridge Reopens", "title: [Bridge Reopens"));
    let error = events.expect("build-error", &server);
    assert!(error.contains("content/2025/12/bridge.md:"), "the error names the file and line: {error}");
    server.wait_for_log("error: content/2025/12/bridge.md:");
    server.wait_for_log("still serving the last good build");
    let reply = server.get(ARTICLE);
    assert_eq!(reply.status, 200, "the last good build is still served");
    assert!(reply.body.contains("after two years of repairs"));
    // A browser that connects now learns of the failure at once.
    let late = server.events();
    assert!(late.expect("build-error", &server).contains("bridge.md"));

    // Fix it, with a new text: the preview recovers by itself.
    save(&source, &good.replace("after two years of repairs", "after the fix"));
    events.expect("reload", &server);
    late.expect("reload", &server);
    let reply = server.get_until(ARTICLE, "after the fix");
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("after the fix"), "{}", reply.body);
}

#[test]
fn a_broken_template_is_reported_and_a_new_templates_folder_is_watched() {
    let server = Server::start("serve");
    let events = server.events();
    // `templates/` does not exist when the server starts.
    let templates = server.site.join("templates");
    std::fs::create_dir(&templates).unwrap();
    save(
        &templates.join("article.html"),
        "{% extends \"theme:article.html\" %}{% block main %}{{ oops( }}{% endblock %}",
    );
    let error = events.expect("build-error", &server);
    assert!(error.contains("article.html"), "{error}");
    assert!(server.get(ARTICLE).body.contains("after two years of repairs"), "still the last good build");

    save(
        &templates.join("article.html"),
        "{% extends \"theme:article.html\" %}{% block main %}<p>Overridden: {{ article.title }}</p>{% endblock main %}",
    );
    events.expect("reload", &server);
    assert!(server.get_until(ARTICLE, "Overridden: Bridge Reopens").body.contains("Overridden: Bridge Reopens"));
}

#[test]
fn a_stylesheet_change_reloads_only_stylesheets() {
    // The site overrides the theme's stylesheet with a copy (the same
    // bytes, so the same hashed name), edited while the server runs. (A
    // folder made while it runs is a change of its own.)
    let theme_css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/assets/gazette.css"),
    )
    .unwrap();
    let server = Server::start_with("serve", &[], |site| {
        std::fs::create_dir_all(site.join("static/assets")).unwrap();
        std::fs::write(site.join("static/assets/gazette.css"), &theme_css).unwrap();
    });
    let events = server.events();
    let before = stylesheet_of(&server, "/");
    assert_eq!(server.get(&format!("/{before}")).body, theme_css);
    let override_css = server.site.join("static/assets/gazette.css");
    save(&override_css, &format!("{theme_css}\nmain {{ outline: 2px dashed crimson; }}\n"));
    let (event, changed) = events.next(&server);
    assert_eq!(event, "css", "the first event after a stylesheet edit ({changed})");
    assert!(changed.contains("gazette.css"), "{changed}");
    // Nothing else follows it: the next event is the one for a later edit
    // of an article (a reload), not a reload for the stylesheet.
    let source = article_source(&server);
    let text = std::fs::read_to_string(&source).unwrap();
    save(&source, &text.replace("after two years of repairs", "after the stylesheet"));
    let (event, changed) = events.next(&server);
    assert_eq!((event.as_str(), changed.contains("bridge.md")), ("reload", true), "after the css event: {changed}");
    // The page links the stylesheet under its new hashed name, which
    // serves the edit (what the browser's script swaps in).
    let after = stylesheet_of(&server, "/");
    assert_ne!(after, before, "an edited stylesheet gets a new name");
    let reply = server.get(&format!("/{after}"));
    assert_eq!((reply.status, reply.header("content-type")), (200, "text/css; charset=utf-8"));
    assert!(reply.body.contains("outline: 2px dashed crimson"), "{}", reply.body);
}

/// The stylesheet a served page links (`assets/gazette.1234abcd.css`).
fn stylesheet_of(server: &Server, page: &str) -> String {
    let html = server.get(page).body;
    let at = html.find("<link rel=\"stylesheet\" href=\"").unwrap() + "<link rel=\"stylesheet\" href=\"".len();
    let href = html[at..].split('"').next().unwrap().to_string();
    assert!(href.starts_with("assets/gazette.") && href.ends_with(".css"), "{href}");
    href
}

#[test]
fn the_script_is_only_in_served_pages_never_on_disk() {
    let server = Server::start("serve");
    assert!(server.get("/").body.contains("/__gazette/live-reload.js"));
    let served = server.served();
    let on_disk = html_files(&served);
    assert!(on_disk.len() > 5, "the preview build is on disk: {on_disk:?}");
    for file in &on_disk {
        assert!(!std::fs::read_to_string(file).unwrap().contains("__gazette"), "{}", file.display());
    }
    // `gazette build` of the same site: no script either, and the preview
    // left nothing in output/.
    assert!(!server.site.join("output").exists(), "serve never writes output/");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--quiet", "--root"])
        .arg(&server.site)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .status()
        .unwrap();
    assert!(status.success());
    let built = html_files(&server.site.join("output"));
    assert!(built.len() > 5);
    for file in &built {
        assert!(!std::fs::read_to_string(file).unwrap().contains("__gazette"), "{}", file.display());
    }
}

fn html_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn a_second_server_on_the_same_site_is_refused() {
    let server = Server::start("serve");
    let mut second = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&server.site)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while second.try_wait().unwrap().is_none() {
        if started.elapsed() > crate::common::PATIENCE {
            second.kill().unwrap();
            panic!("a second server on the same site went on running");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let second = second.wait_with_output().unwrap();
    assert_eq!(second.status.code(), Some(2));
    let stderr = String::from_utf8(second.stderr).unwrap();
    let expected =
        format!("another gazette serve is previewing this site, at {}/; use that one, or stop it first", server.base);
    assert!(stderr.contains(&expected), "{stderr}");
    // The first one goes on serving its own preview.
    assert_eq!(server.get(ARTICLE).status, 200);
}

#[test]
fn a_deleted_preview_folder_is_built_again() {
    let server = Server::start("serve");
    assert_eq!(server.get(ARTICLE).status, 200);
    std::fs::remove_dir_all(server.site.join(".gazette")).unwrap();
    let reply = server.get_until(ARTICLE, "Bridge Reopens");
    assert_eq!(reply.status, 200);
    assert!(server.log().contains("The preview folder is gone; building it again"), "{}", server.log());
}
