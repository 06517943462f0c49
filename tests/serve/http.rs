//! HTTP as a browser sees it: pages, content types, folders, methods, 404.

use crate::common::Server;

const SCRIPT: &str = "<script src=\"/__gazette/live-reload.js\"></script>";

#[test]
fn pages_and_files_are_served_with_their_content_types() {
    let server = Server::start("serve");
    let get = |path: &str, content_type: &str| {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), content_type, "{path}");
        assert_eq!(reply.header("cache-control"), "no-cache", "{path}");
        assert_eq!(reply.body.contains(SCRIPT), content_type.starts_with("text/html"), "{path}: script only in HTML");
        reply
    };
    // What the build makes, saying what it should.
    for (path, content_type, expected) in [
        ("/", "text/html; charset=utf-8", "Bridge Reopens"),
        ("/index.html", "text/html; charset=utf-8", "Council Passes the Budget"),
        ("/2025/12/03/bridge-reopens/", "text/html; charset=utf-8", "after two years of repairs"),
        ("/2025/12/03/bridge-reopens/index.html", "text/html; charset=utf-8", "after two years of repairs"),
        ("/2025/", "text/html; charset=utf-8", "Bridge Reopens"),
        ("/assets/gazette.css", "text/css; charset=utf-8", "Gazette default theme"),
        ("/feed.xml", "application/xml; charset=utf-8", "<feed"),
        ("/rss.xml", "application/xml; charset=utf-8", "<rss"),
        ("/sitemap.xml", "application/xml; charset=utf-8", "<sitemapindex"),
        ("/robots.txt", "text/plain; charset=utf-8", "Sitemap:"),
        ("/__gazette/live-reload.js", "text/javascript; charset=utf-8", "EventSource"),
    ] {
        let reply = get(path, content_type);
        assert!(reply.body.contains(expected), "{path}: {expected:?} not in\n{}", reply.body);
    }
    // What the site's static/ and content/ hold, byte for byte.
    for (path, content_type, source) in [
        ("/extra.css", "text/css; charset=utf-8", "static/extra.css"),
        ("/app.js", "text/javascript; charset=utf-8", "static/app.js"),
        ("/data.json", "application/json", "static/data.json"),
        ("/2025/12/chart.svg", "image/svg+xml", "content/2025/12/chart.svg"),
        ("/2025/12/report.pdf", "application/pdf", "content/2025/12/report.pdf"),
        ("/img/dot.png", "image/png", "static/img/dot.png"),
        ("/img/dot.jpg", "image/jpeg", "static/img/dot.jpg"),
        ("/img/dot.gif", "image/gif", "static/img/dot.gif"),
        ("/img/dot.webp", "image/webp", "static/img/dot.webp"),
        ("/favicon.ico", "image/x-icon", "static/favicon.ico"),
        ("/fonts/serif.woff", "font/woff", "static/fonts/serif.woff"),
        ("/fonts/serif.woff2", "font/woff2", "static/fonts/serif.woff2"),
    ] {
        let reply = get(path, content_type);
        assert!(reply.bytes == std::fs::read(server.site.join(source)).unwrap(), "{path} is not {source}");
    }
    // Feeds and canonical links point at the preview itself.
    assert!(server.get("/feed.xml").body.contains(&format!("{}/2025/12/03/bridge-reopens/", server.base)));
}

#[test]
fn a_folder_without_its_slash_is_redirected() {
    let server = Server::start("serve");
    for (path, location) in [("/2025", "/2025/"), ("/2025/12/03/bridge-reopens", "/2025/12/03/bridge-reopens/")] {
        let reply = server.get(path);
        assert_eq!(reply.status, 301, "{path}");
        assert_eq!(reply.header("location"), location, "{path}");
        assert_eq!(reply.header("cache-control"), "no-cache", "{path}");
    }
    assert_eq!(server.get("/2025?page=2").header("location"), "/2025/?page=2", "the query is kept");
    assert_eq!(server.get("/robots.txt/").status, 404, "a file is not a folder");
}

#[test]
fn only_get_and_head_are_allowed() {
    let server = Server::start("serve");
    for method in ["POST", "PUT", "DELETE"] {
        let reply = server.request(method, "/");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), "GET, HEAD", "{method}");
    }
    let (status, _) = server.raw_method("PATCH", "/index.html");
    assert_eq!(status, 405);

    let head = server.request("HEAD", "/2025/12/03/bridge-reopens/");
    let get = server.get("/2025/12/03/bridge-reopens/");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(head.header("content-length"), get.body.len().to_string(), "HEAD tells the length GET sends");
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(server.request("HEAD", "/no-such-page/").status, 404);
}

#[test]
fn a_missing_page_gets_the_theme_404_page() {
    let server = Server::start("serve");
    for path in ["/no-such-page/", "/2025/13/", "/deep/down/missing.html", "/missing.css"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.header("content-type"), "text/html; charset=utf-8", "{path}");
        assert_eq!(reply.header("cache-control"), "no-cache", "{path}");
        assert!(reply.body.contains("Page not found"), "{path}: the theme's 404 page:\n{}", reply.body);
        assert!(reply.body.contains("Preview Times"), "{path}: with the site's title");
        assert!(reply.body.contains(SCRIPT), "{path}: live reload works on the 404 page too");
    }
    // Its links are absolute under the preview's own address.
    assert!(server.get("/nothing/").body.contains(&format!("href=\"{}/", server.base)));
}

#[test]
fn a_wrong_root_or_a_busy_port_stops_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gazette")).arg("serve").args(args).output().unwrap()
    };
    let missing = dir.path().join("typo");
    let output = run(&["--port", "0", "--root", missing.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("content"), "{output:?}");
    assert!(!missing.exists(), "nothing is created for a mistyped --root");

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let (_dir, site) = crate::common::site_copy("serve");
    let output = run(&["--port", &port, "--root", site.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("choose another --port"), "{output:?}");
    assert!(!site.join(".gazette").exists(), "nothing is built when the server cannot start");
}
