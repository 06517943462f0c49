//! Starting, restarting and stopping: what the command line asks for
//! (`--drafts`, `--future`), a restart that carries on from the saved build
//! state, and Ctrl-C letting a running rebuild finish.

use std::path::Path;

use crate::common::{PATIENCE, Server, save};
use crate::stamps::{rewritten, stamps, wait_for_a_later_mtime};

const DRAFT: &str = "/2025/12/05/a-draft-story/";
const FUTURE: &str = "/2026/03/01/a-story-from-march/";

/// A draft, and a story dated after the tests' "now" (2026-01-01).
fn add_draft_and_future(site: &Path) {
    let draft = "---\ntitle: A Draft Story\ndate: 2025-12-05\ndraft: true\n---\nNot yet.\n";
    std::fs::write(site.join("content/2025/12/draft.md"), draft).unwrap();
    std::fs::create_dir_all(site.join("content/2026/03")).unwrap();
    let future = "---\ntitle: A Story From March\ndate: 2026-03-01\n---\nLater.\n";
    std::fs::write(site.join("content/2026/03/future.md"), future).unwrap();
}

#[test]
fn drafts_and_future_articles_are_previewed_only_when_asked() {
    for (flags, draft, future) in [
        (&[][..], 404, 404),
        (&["--drafts"][..], 200, 404),
        (&["--future"][..], 404, 200),
        (&["--drafts", "--future"][..], 200, 200),
    ] {
        let server = Server::start_with("serve", flags, add_draft_and_future);
        assert_eq!(server.get(DRAFT).status, draft, "{flags:?}: the draft");
        assert_eq!(server.get(FUTURE).status, future, "{flags:?}: the story from March");
        assert_eq!(server.get("/").body.contains("A Draft Story"), draft == 200, "{flags:?}: the home page");
        assert_eq!(server.get("/2025/12/03/bridge-reopens/").status, 200, "{flags:?}: the published story");
    }
}

#[test]
fn a_restart_carries_on_from_the_saved_state() {
    let mut server = Server::start("serve");
    assert!(server.stop().success(), "Ctrl-C ends it with success:\n{}", server.log());
    let served = server.served();
    wait_for_a_later_mtime(&served);
    let before = stamps(&served);

    // Unchanged: the restart rewrites nothing.
    server.restart();
    assert!(server.log().contains(": 0 files written, "), "{}", server.log());
    assert_eq!(rewritten(&before, &stamps(&served)), Vec::<String>::new());
    assert!(server.stop().success());

    // One article edited while it was stopped: its page, and the pages
    // that show its text, are rewritten; the other story's page is not.
    let source = server.site.join("content/2025/12/bridge.md");
    let text = std::fs::read_to_string(&source).unwrap();
    save(&source, &text.replace("after two years of repairs", "after a long winter"));
    server.restart();
    assert!(server.get("/2025/12/03/bridge-reopens/").body.contains("after a long winter"));
    let changed = rewritten(&before, &stamps(&served));
    assert!(changed.contains(&"2025/12/03/bridge-reopens/index.html".to_string()), "{changed:?}");
    assert!(!changed.contains(&"2025/11/20/council-passes-the-budget/index.html".to_string()), "{changed:?}");
    assert!(!changed.contains(&"robots.txt".to_string()), "{changed:?}");
}

/// A template that takes seconds of CPU time to render each article page.
const SLOW_TEMPLATE: &str = "{% extends \"theme:article.html\" %}{% block main %}\
    {% for i in range(end=100000) %}{% for j in range(end=60) %}{% endfor %}{% endfor %}\
    <p class=\"slow\">Rendered slowly</p>{{ super() }}{% endblock main %}";

/// Linux only: a rebuild is seen running by the CPU time the server uses
/// (in `/proc`), as an idle server uses none.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_lets_a_running_rebuild_finish() {
    let mut server = Server::start_with("serve", &[], |site| std::fs::create_dir(site.join("templates")).unwrap());
    let idle = server.cpu_time();
    save(&server.site.join("templates/article.html"), SLOW_TEMPLATE);
    let started = std::time::Instant::now();
    while server.cpu_time() < idle + std::time::Duration::from_millis(200) {
        assert!(started.elapsed() < PATIENCE, "no rebuild started:\n{}", server.log());
        assert!(!server.log().contains("Rebuilt in"), "the rebuild ended before Ctrl-C:\n{}", server.log());
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(server.stop().success(), "{}", server.log());
    let log = server.log();
    // The rebuild, still running at Ctrl-C, finished before the server stopped…
    let stopping = log.find("Stopping").unwrap_or_else(|| panic!("no Stopping line:\n{log}"));
    assert!(log[stopping..].contains("Rebuilt in"), "the rebuild did not finish:\n{log}");
    // …so the preview on disk is the whole rebuild.
    for page in ["2025/12/03/bridge-reopens/index.html", "2025/11/20/council-passes-the-budget/index.html"] {
        let html = std::fs::read_to_string(server.served().join(page)).unwrap();
        assert!(html.contains("Rendered slowly"), "{page} is not the rebuilt page");
    }
}
