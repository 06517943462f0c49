//! Browser tests: the example site (the repository root) built under every
//! bundled theme, then driven in headless Chromium by the Node suite in
//! `tests/e2e/` (Playwright, axe-core, the Nu Html Checker): the reader's
//! journeys over `file://` and over `gazette serve`, layout at phone and
//! desktop widths, valid HTML, accessibility and no external requests.
//!
//! Without Chromium (or Node.js, Java or the suite's npm packages) the test
//! prints a loud `SKIPPED: …` and passes, unless `GAZETTE_REQUIRE_BROWSER=1`
//! (which `.ci/run` sets), where it fails. Screenshots of every page kind
//! at both widths are left in `target/e2e/<theme>/` for review.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The bundled themes, each built and tested.
const THEMES: [&str; 2] = ["default", "broadsheet"];

/// The build's "now" (2026-01-01T00:00:00Z), as in the other integration tests.
const SOURCE_DATE_EPOCH: &str = "1767225600";

/// Past this the suite is stopped: it takes about a minute on two cores.
const SUITE_DEADLINE: Duration = Duration::from_secs(15 * 60);

#[test]
fn the_example_site_in_a_real_browser() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let suite = repo.join("tests/e2e");

    let Some(chromium) = find_chromium() else {
        return skip(
            "browser tests need chromium",
            "install it with `apt-get install -y chromium chromium-driver`, or set GAZETTE_CHROMIUM to a Chromium or Chrome binary",
        );
    };
    let Some(node_version) = version_of("node", &["--version"]) else {
        return skip("browser tests need node", "install Node.js 20 or later");
    };
    if node_major(&node_version).is_none_or(|major| major < 20) {
        return skip("browser tests need node 20 or later", &format!("found node {node_version}"));
    }
    let java = std::env::var("JAVA").unwrap_or_else(|_| "java".into());
    if version_of(&java, &["-version"]).is_none() {
        return skip(
            "browser tests need java (for the Nu Html Checker)",
            "install it with `apt-get install -y default-jre-headless`, or set JAVA",
        );
    }
    if let Err(why) = ensure_node_modules(&suite) {
        return skip("browser tests need their npm packages", &why);
    }

    // The example site under each bundled theme, into target/e2e/site-<theme>/.
    let artifacts = target_dir().join("e2e");
    let mut sites = Vec::new();
    for theme in THEMES {
        let out = artifacts.join(format!("site-{theme}"));
        let run = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["build", "--quiet", "--theme", theme, "--root"])
            .arg(repo)
            .arg("--output")
            .arg(&out)
            .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
            .output()
            .expect("run gazette build");
        assert!(
            run.status.success(),
            "gazette build --theme {theme} failed:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        sites.push(format!("{theme}={}", out.display()));
    }

    let mut child = Command::new("node")
        .args(["--test-reporter=spec", "run.mjs"])
        .current_dir(&suite)
        .env("GAZETTE_E2E_SITES", sites.join(","))
        .env("GAZETTE_E2E_ARTIFACTS", &artifacts)
        .env("GAZETTE_BIN", env!("CARGO_BIN_EXE_gazette"))
        .env("GAZETTE_E2E_SOURCE", repo)
        // Without its `serve` feature the binary has no `serve` to test.
        .env("GAZETTE_E2E_SERVE", if cfg!(feature = "serve") { "1" } else { "0" })
        .env("GAZETTE_CHROMIUM", &chromium)
        .env("JAVA", &java)
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        // Its report goes straight to the terminal (and CI's log), not
        // through the test harness's capture.
        .stdin(Stdio::null())
        .spawn()
        .expect("start node");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break status;
        }
        if started.elapsed() > SUITE_DEADLINE {
            // The suite's own timeouts should have ended it long before.
            let _ = child.kill();
            let _ = child.wait();
            panic!("the browser tests ran for more than {} s and were stopped", SUITE_DEADLINE.as_secs());
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(status.success(), "the browser tests failed ({status}); their report is above");
    loud(&format!(
        "browser tests passed in {:.0} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        artifacts.display()
    ));
}

/// Is the browser required (`GAZETTE_REQUIRE_BROWSER=1`, as in CI)?
fn required() -> bool {
    std::env::var("GAZETTE_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// Pass with a loud `SKIPPED:` line, or fail when the browser is required.
fn skip(what: &str, hint: &str) {
    assert!(!required(), "GAZETTE_REQUIRE_BROWSER=1, but {what}: {hint}");
    loud(&format!("SKIPPED: {what} ({hint}; set GAZETTE_REQUIRE_BROWSER=1 to make this a failure)"));
}

/// Write to the real stderr: the harness captures `eprintln!` of passing tests.
fn loud(line: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "\n==> {line}\n");
}

/// `GAZETTE_CHROMIUM`, else Debian's `/usr/bin/chromium`, else `chromium` on PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("GAZETTE_CHROMIUM") {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join("chromium")).find(|p| p.is_file())
}

/// What `program args` prints (stdout, else stderr), if it runs and succeeds.
fn version_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok().filter(|o| o.status.success())?;
    let text = if out.stdout.is_empty() { out.stderr } else { out.stdout };
    Some(String::from_utf8_lossy(&text).lines().next().unwrap_or_default().trim().to_string())
}

/// `v20.20.2` → 20.
fn node_major(version: &str) -> Option<u32> {
    version.trim_start_matches('v').split('.').next()?.parse().ok()
}

/// The cargo target folder: the test binary's `gazette` lives in `<target>/<profile>/`.
fn target_dir() -> PathBuf {
    let exe = Path::new(env!("CARGO_BIN_EXE_gazette"));
    exe.parent().and_then(Path::parent).expect("gazette binary is in <target>/<profile>/").to_path_buf()
}

/// Install the suite's npm packages with `npm ci` unless what is installed
/// already matches `package-lock.json`.
fn ensure_node_modules(suite: &Path) -> Result<(), String> {
    if installed_matches_lock(suite) {
        return Ok(());
    }
    loud("tests/e2e: installing the npm packages of the browser tests (npm ci)");
    // tests/e2e/.npmrc sets ignore-scripts: vnu-jar's install script would
    // download a JDK, and the machine's Java serves.
    let run = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(suite)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    if !run.status.success() {
        return Err(format!("`npm ci` in tests/e2e failed:\n{}", String::from_utf8_lossy(&run.stderr)));
    }
    if installed_matches_lock(suite) {
        Ok(())
    } else {
        Err("`npm ci` in tests/e2e did not install what package-lock.json lists".into())
    }
}

/// Do `node_modules/.package-lock.json` (what npm installed) and
/// `package-lock.json` name the same packages at the same versions?
fn installed_matches_lock(suite: &Path) -> bool {
    let versions = |path: PathBuf| -> Option<Vec<(String, String)>> {
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        let mut packages: Vec<(String, String)> = json["packages"]
            .as_object()?
            .iter()
            .filter(|(name, _)| name.starts_with("node_modules/"))
            .map(|(name, p)| (name.clone(), p["version"].as_str().unwrap_or_default().to_string()))
            .collect();
        packages.sort();
        Some(packages)
    };
    match (versions(suite.join("package-lock.json")), versions(suite.join("node_modules/.package-lock.json"))) {
        (Some(locked), Some(installed)) => !locked.is_empty() && locked == installed,
        _ => false,
    }
}
