//! Preview: around the build pipeline, not part of it (`gazette serve`).
//!
//! Input: a site root and [`ServeOptions`]. Output: an HTTP server on
//! loopback until Ctrl-C, serving a build of the site made for previewing.
//!
//! - The preview is built by [`crate::build`] into a folder of its own,
//!   `ROOT/.gazette/serve/` (with its build state beside it in
//!   `ROOT/.gazette/`), never into `output/`: a preview leaves no
//!   half-built or preview-only files in what gets published. The folder is
//!   kept between runs, so the next `gazette serve` is incremental too,
//!   and built again if it is deleted while serving. One server previews
//!   a site at a time (a lock in `ROOT/.gazette/`).
//! - [`watch`] reports changes to `content/`, `templates/`, `static/`,
//!   `themes/` and `site.yaml`, debounced; one thread rebuilds (in place,
//!   only what changed) while requests keep being served from the last
//!   good build. A failed build does not change the folder, so the last
//!   good build stays served.
//! - [`http`] serves the folder (GET and HEAD only, folder URLs, the
//!   theme's `404.html`, `Cache-Control: no-cache`), every request path
//!   checked by [`paths`] to stay inside it, and tells browsers to reload
//!   over Server-Sent Events through a small script injected into the
//!   HTML it serves (never into files on disk).

mod http;
mod paths;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use tokio::sync::{broadcast, oneshot, watch as tokio_watch};

use crate::error::{Error, Result};
use crate::write::MARKER;
use crate::{BuildOptions, BuildReport, fsx};

/// Where the preview build goes, relative to the site root.
pub const SERVE_DIR: &str = ".gazette/serve";

/// How often, when nothing changes, the server checks that the preview
/// folder is still there.
const PREVIEW_CHECK: Duration = Duration::from_secs(1);

/// What `gazette serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site root (holds `content/` and maybe `site.yaml`).
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user says otherwise.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
    /// Include articles dated after now.
    pub future: bool,
    /// Open the preview in a browser once it is built.
    pub open: bool,
    /// The build's "now", asked again for every rebuild (so an article
    /// whose date arrives while the preview runs is published).
    pub now: fn() -> DateTime<FixedOffset>,
}

/// What connected browsers are told.
#[derive(Debug, Clone)]
enum Notice {
    /// Reload the page: a rebuild changed the site (the text says what changed).
    Reload(String),
    /// Only stylesheets changed: reload them, keep the page.
    Css(String),
    /// A rebuild failed: show the diagnostics over the page.
    Failed(String),
}

/// What the server and the rebuilder share.
struct Hub {
    /// The served folder, canonical.
    root: PathBuf,
    /// Notices for the connected browsers.
    notices: broadcast::Sender<Notice>,
    /// The diagnostics of the last build when it failed, for browsers that
    /// connect after the failure.
    failure: Mutex<Option<String>>,
    /// Differs between runs of the server, so a page reloads after a restart.
    instance: String,
    /// Closes the event streams when the server stops.
    stopping: tokio_watch::Receiver<bool>,
    /// Listening on loopback only: then requests must name this machine
    /// (see `http::names_this_machine`).
    loopback: bool,
}

impl Hub {
    fn failure(&self) -> Option<String> {
        self.failure.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set_failure(&self, failure: Option<String>) {
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = failure;
    }
}

/// Build the site, serve it and rebuild on every change, until Ctrl-C.
pub fn run(options: &ServeOptions) -> Result<()> {
    // A mistyped --root must not get a .gazette/ folder made in it.
    let content = options.root.join("content");
    if !content.is_dir() {
        return Err(Error::Site(format!(
            "{}: no such folder; put articles (.txt or .md) in content/, or point --root at the site",
            content.display()
        )));
    }
    // Listen first: a busy port stops here, before anything is built.
    let address = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(address)
        .map_err(|e| Error::Usage(format!("cannot listen on {address}: {e}; choose another --port or --bind")))?;
    let cannot_listen = |e: std::io::Error| Error::Site(format!("cannot listen on {address}: {e}"));
    listener.set_nonblocking(true).map_err(cannot_listen)?;
    let address = listener.local_addr().map_err(cannot_listen)?;
    let serve_dir = options.root.join(SERVE_DIR);
    fsx::create_dir_all(&serve_dir)?;
    let _only_one = only_one_server(&options.root, &url_for(address))?;
    let served = serve_dir.canonicalize().map_err(|e| Error::io(&serve_dir, e))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Site(format!("cannot start the server: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(cannot_listen)?;
        serve(options, listener, address, served).await
    })
}

async fn serve(
    options: &ServeOptions,
    listener: tokio::net::TcpListener,
    address: SocketAddr,
    served: PathBuf,
) -> Result<()> {
    let url = url_for(address);

    let (stop, stopping) = tokio_watch::channel(false);
    let hub = Arc::new(Hub {
        root: served.clone(),
        notices: broadcast::channel(64).0,
        failure: Mutex::new(None),
        instance: format!("{:x}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()),
        stopping,
        loopback: options.bind.is_loopback(),
    });

    // Watch before the first build, so a save made while it runs is not missed.
    let watcher = watch::Watcher::start(&options.root)?;
    let rebuilder = Rebuilder {
        options: BuildOptions {
            output: Some(served),
            drafts: options.drafts,
            future: options.future,
            base_url: Some(url.clone()),
            ..BuildOptions::new(&options.root, (options.now)())
        },
        now: options.now,
        hub: Arc::clone(&hub),
        failed: false,
        warned: Default::default(),
    };
    let (ready, first_build) = oneshot::channel();
    let building = Arc::new(Mutex::new(()));
    let lock = Arc::clone(&building);
    std::thread::Builder::new()
        .name("gazette rebuild".into())
        .spawn(move || rebuilder.run(watcher, ready, &lock))
        .map_err(|e| Error::Site(format!("cannot start the rebuild thread: {e}")))?;

    let server = tokio::spawn(http::serve(listener, Arc::clone(&hub)));
    let first = tokio::select! {
        first = first_build => first,
        // Ctrl-C during a long first build: stop now; the next build tidies up.
        () = stop_signal() => return Ok(()),
    };
    match first {
        Ok(Err(fatal)) => return Err(fatal),
        Ok(Ok(())) => {}
        Err(_) => return Err(Error::Site("the rebuild thread stopped".into())),
    }
    eprintln!("Serving {} at {url} (Ctrl-C to stop)", options.root.display());
    if options.bind.is_unspecified() {
        eprintln!(
            "warning: listening on every network interface ({}): anyone who can reach this machine can read the preview",
            options.bind
        );
    }
    if options.open {
        open_browser(&url);
    }

    stop_signal().await;
    eprintln!("Stopping…");
    let _ = stop.send(true);
    // Browsers' event streams end on `stop`; give open requests a moment.
    let _ = tokio::time::timeout(Duration::from_secs(3), server).await;
    // Let a rebuild that is under way finish, so the preview folder is left whole.
    let _ = tokio::task::spawn_blocking(move || drop(building.lock().unwrap_or_else(PoisonError::into_inner))).await;
    Ok(())
}

/// Where a server notes that it previews a site (and holds a lock while
/// it does), relative to the site root.
const SERVER_LOCK: &str = ".gazette/serve.lock";

/// Make sure this is the only server previewing the site at `root` (two
/// would rebuild one preview folder for two ports); the lock lasts as long
/// as the returned file is open. A second server stops at once, saying
/// where the first one serves.
fn only_one_server(root: &Path, url: &str) -> Result<std::fs::File> {
    use std::io::{Read, Seek, Write};
    let path = root.join(SERVER_LOCK);
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut first = String::new();
            let _ = file.read_to_string(&mut first);
            let at = first.lines().next().filter(|l| !l.is_empty()).unwrap_or("another port");
            return Err(Error::Usage(format!(
                "{}: another gazette serve is previewing this site, at {at}; use that one, or stop it first",
                root.display()
            )));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
    }
    let noted = file.set_len(0).and_then(|()| file.rewind()).and_then(|()| writeln!(file, "{url}"));
    noted.map_err(|e| Error::io(&path, e))?;
    Ok(file)
}

/// The URL to open: loopback when listening on every interface.
fn url_for(address: SocketAddr) -> String {
    let shown = if address.ip().is_unspecified() {
        SocketAddr::new(
            if address.is_ipv4() { [127, 0, 0, 1].into() } else { IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]) },
            address.port(),
        )
    } else {
        address
    };
    format!("http://{shown}/")
}

/// Ctrl-C, or (on Unix) SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Try to open `url` in the desktop's browser; a failure is not an error.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    match command {
        // Reap it, so it leaves no zombie behind.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => eprintln!("warning: could not open a browser ({e}); open {url} yourself"),
    }
}

/// Builds the preview, then rebuilds it after every batch of changes.
struct Rebuilder {
    options: BuildOptions,
    now: fn() -> DateTime<FixedOffset>,
    hub: Arc<Hub>,
    /// Whether the last build failed (browsers show its overlay).
    failed: bool,
    /// Warnings already printed.
    warned: std::collections::HashSet<crate::error::Finding>,
}

impl Rebuilder {
    /// The first build, then one per batch of changes, until the watcher
    /// stops. `ready` gets the first build's outcome: `Err` only when
    /// serving cannot start at all (the preview folder is unusable).
    fn run(mut self, mut watcher: watch::Watcher, ready: oneshot::Sender<Result<()>>, building: &Mutex<()>) {
        eprintln!("Building {} for preview…", self.options.root.display());
        let first = {
            let _lock = building.lock().unwrap_or_else(PoisonError::into_inner);
            self.build(&[])
        };
        let fatal = match first {
            Err(Error::Usage(message)) => Some(Error::Usage(message)),
            _ => None,
        };
        let stop = fatal.is_some();
        let _ = ready.send(fatal.map_or(Ok(()), Err));
        if stop {
            return;
        }
        while let Some(changed) = watcher.next_batch(PREVIEW_CHECK) {
            let _lock = building.lock().unwrap_or_else(PoisonError::into_inner);
            if *self.hub.stopping.borrow() {
                return;
            }
            // Nothing changed for a while: rebuild only if the preview
            // folder was deleted meanwhile (it is not watched: the builds
            // themselves write there).
            if changed.is_empty() {
                // (After a failed build, only a change can help.)
                if self.failed || self.hub.root.join(MARKER).is_file() {
                    continue;
                }
                eprintln!("The preview folder is gone; building it again…");
            }
            let _ = self.build(&changed);
        }
    }

    /// Build once, print the outcome and tell the browsers.
    fn build(&mut self, changed: &[PathBuf]) -> Result<()> {
        self.options.now = (self.now)();
        let started = Instant::now();
        let result = crate::build(&self.options);
        let what = describe(&self.options.root, changed);
        match result {
            Ok(report) => {
                eprintln!("{}", summary(&report, started.elapsed(), &what));
                for skipped in &report.skipped {
                    eprintln!("skipped: {skipped}");
                }
                // Warnings (broken links) come with every build; each is
                // printed once, not after every save.
                for warning in &report.warnings {
                    if self.warned.insert(warning.clone()) {
                        eprintln!("warning: {warning}");
                    }
                }
                let recovered = std::mem::replace(&mut self.failed, false);
                self.hub.set_failure(None);
                if recovered || report.written > 0 || !report.removed.is_empty() {
                    let css_only = !recovered && only_stylesheets(changed, &report);
                    let notice = if css_only { Notice::Css(what) } else { Notice::Reload(what) };
                    let _ = self.hub.notices.send(notice);
                }
                Ok(())
            }
            Err(error) => {
                let text = match &error {
                    Error::Input(list) => crate::error::by_file(list.clone())
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n"),
                    other => other.to_string(),
                };
                for line in text.lines() {
                    eprintln!("error: {line}");
                }
                let count = match &error {
                    Error::Input(list) => list.len(),
                    _ => 1,
                };
                eprintln!(
                    "Rebuild failed: {}; still serving the last good build.",
                    crate::counted(count, "problem", "problems")
                );
                self.failed = true;
                self.hub.set_failure(Some(text.clone()));
                let _ = self.hub.notices.send(Notice::Failed(text));
                Err(error)
            }
        }
    }
}

/// The changed files, for the rebuild line: the first few, relative to
/// the root. Files that are gone (editors' temporary files, mostly) are
/// named only when nothing else changed.
fn describe(root: &Path, changed: &[PathBuf]) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let existing: Vec<&PathBuf> = changed.iter().filter(|p| p.is_file()).collect();
    let shown: Vec<&PathBuf> = if existing.is_empty() { changed.iter().collect() } else { existing };
    let mut names: Vec<String> =
        shown.iter().take(3).map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string()).collect();
    if shown.len() > 3 {
        names.push(format!("and {} more", shown.len() - 3));
    }
    names.join(", ")
}

/// One line per build.
fn summary(report: &BuildReport, elapsed: Duration, changed: &str) -> String {
    let mut line = if changed.is_empty() {
        format!("Built {} in {:.2?}", crate::counted(report.articles, "article", "articles"), elapsed)
    } else {
        format!("Rebuilt in {elapsed:.2?} ({changed})")
    };
    line.push_str(&format!(": {}", report.files_line()));
    line
}

/// Did only stylesheets change, so browsers can keep the page? Changed
/// paths that are gone are editors' temporary files unless the build
/// removed something other than a stylesheet (whose hashed name changes
/// with its content); folders show up when files are added.
fn only_stylesheets(changed: &[PathBuf], report: &BuildReport) -> bool {
    let mut files = changed.iter().filter(|p| p.is_file()).peekable();
    let is_css = |p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css"));
    report.removed.iter().all(|r| is_css(Path::new(r))) && files.peek().is_some() && files.all(|p| is_css(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_to_open() {
        let url = |s: &str| url_for(s.parse().unwrap());
        assert_eq!(url("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(url("0.0.0.0:8080"), "http://127.0.0.1:8080/");
        assert_eq!(url("[::1]:1111"), "http://[::1]:1111/");
        assert_eq!(url("[::]:1111"), "http://[::1]:1111/");
    }
}
