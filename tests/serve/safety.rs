//! Nothing outside the served folder is ever readable. Every attack is
//! sent on a raw request line: HTTP clients would resolve `..` before
//! sending it, and then the server would never see the attack.

use crate::common::Server;

const SECRET: &str = "TOP-SECRET-do-not-serve";

/// A server with secrets just outside the served folder (`.gazette/serve/`):
/// in `.gazette/`, in the site root and in the temporary folder above it,
/// plus symlinks inside the served folder that point at them.
fn server_with_secrets() -> Server {
    let server = Server::start("serve");
    let served = server.served();
    for dir in [served.parent().unwrap(), server.site.as_path(), server.dir.path()] {
        std::fs::write(dir.join("secret.txt"), SECRET).unwrap();
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(server.dir.path().join("secret.txt"), served.join("leak.txt")).unwrap();
        symlink(server.dir.path(), served.join("up")).unwrap();
        symlink("../secret.txt", served.join("relative-leak.txt")).unwrap();
        std::fs::create_dir(served.join("folder-leak")).unwrap();
        symlink(server.dir.path().join("secret.txt"), served.join("folder-leak/index.html")).unwrap();
    }
    server
}

#[test]
fn the_raw_client_reaches_real_files() {
    // The attacks below are only meaningful if this client gets files at all.
    let server = server_with_secrets();
    let (status, text) = server.raw("/robots.txt");
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("User-agent"), "{text}");
    assert_eq!(server.raw("/2025/12/../12/chart.svg").0, 404, "no `..` even when it stays inside");
}

#[test]
fn traversal_attempts_get_404_or_400_and_never_the_secret() {
    let server = server_with_secrets();
    let attacks = [
        // Plain and percent-encoded `..`, one and more levels up.
        "/../secret.txt",
        "/../../secret.txt",
        "/../../../secret.txt",
        "/2025/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2f..%2fsecret.txt",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        // Double encoding must stay a literal name.
        "/%252e%252e/secret.txt",
        // Backslashes, raw and encoded.
        "/..\\secret.txt",
        "/..\\..\\secret.txt",
        "/..%5csecret.txt",
        "/%5c..%5csecret.txt",
        // NUL bytes.
        "/%00",
        "/secret.txt%00.html",
        "/%00/../secret.txt",
        // Absolute paths.
        "//etc/passwd",
        "/%2fetc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "http://127.0.0.1/../secret.txt",
        // Symlinks inside the served folder that point outside it.
        "/leak.txt",
        "/relative-leak.txt",
        "/up/secret.txt",
        "/up/site/secret.txt",
        "/up/",
        "/folder-leak/",
        // Gazette's own bookkeeping.
        "/.gazette-output",
        // Malformed escapes.
        "/%",
        "/%2",
        "/%zz/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
    ];
    let mut failures = Vec::new();
    for attack in attacks {
        let (status, text) = server.raw(attack);
        if !(status == 404 || status == 400) || text.contains(SECRET) || text.contains("root:") {
            failures.push(format!("{attack}: {status}\n{text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
    // The server is still there and well.
    assert_eq!(server.raw("/").0, 200);
}

#[test]
fn a_page_on_another_domain_cannot_read_the_preview_by_dns_rebinding() {
    // A web page whose domain now resolves to 127.0.0.1 sends its own name.
    let server = server_with_secrets();
    let port = server.port;
    for path in ["/", "/robots.txt", "/__gazette/events"] {
        let (status, text) = server.raw_request("GET", path, &format!("attacker.example:{port}"));
        assert_eq!(status, 403, "{path}: {text}");
        assert!(text.contains("only to localhost or an IP address"), "{text}");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}")] {
        assert_eq!(server.raw_request("GET", "/robots.txt", &host).0, 200, "{host}");
    }
}

#[test]
fn it_listens_only_where_bind_says() {
    // Another loopback address: it answers there, and nothing listens on
    // 127.0.0.1; the preview's own links name the address it listens on.
    let server = Server::start_with("serve", &["--bind", "127.0.0.2"], |_| {});
    assert!(server.base.starts_with("http://127.0.0.2:"), "{}", server.base);
    assert_eq!(server.get("/robots.txt").status, 200);
    assert!(server.get("/feed.xml").body.contains(&format!("{}/2025/12/03/bridge-reopens/", server.base)));
    assert!(std::net::TcpStream::connect(("127.0.0.1", server.port)).is_err(), "it answers on 127.0.0.1 too");
    drop(server);

    // Every interface: a warning says so; links still say 127.0.0.1, and
    // requests naming the machine any way are answered (it is not on
    // loopback only, so Host is not checked).
    let server = Server::start_with("serve", &["--bind", "0.0.0.0"], |_| {});
    server.wait_for_log("warning: listening on every network interface (0.0.0.0)");
    assert!(server.base.starts_with("http://127.0.0.1:"), "{}", server.base);
    assert!(server.get("/feed.xml").body.contains(&format!("{}/2025/12/03/bridge-reopens/", server.base)));
    let host = format!("preview.example:{}", server.port);
    assert_eq!(server.raw_request("GET", "/robots.txt", &host).0, 200);
}
