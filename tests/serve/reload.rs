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
    let server = Server::start("serve");
    let events = server.events();
    save(&server.site.join("static/extra.css"), "main { outline: 2px dashed crimson; }\n");
    let changed = events.expect("css", &server);
    assert!(changed.contains("extra.css"), "{changed}");
    assert!(server.get_until("/extra.css", "crimson").body.contains("crimson"));
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
