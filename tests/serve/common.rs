//! The server under test and the clients that talk to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long anything may take on a loaded machine before a test gives up.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A running `gazette serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// Reads its stderr into `log` until it exits.
    reader: Option<std::thread::JoinHandle<()>>,
    /// Holds the site, and the files "just outside" it.
    pub dir: tempfile::TempDir,
    /// The site root (a copy of the fixture).
    pub site: PathBuf,
    /// The arguments given after `serve --port N --root SITE`.
    args: Vec<String>,
    /// `http://127.0.0.1:PORT` (the address it printed), without a trailing slash.
    pub base: String,
    /// The port it listens on.
    pub port: u16,
    /// Everything it printed to stderr so far.
    log: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

/// A response, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced).
    pub body: String,
    /// The body as sent.
    pub bytes: Vec<u8>,
}

impl Reply {
    /// A header's value, or "" when absent.
    pub fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map_or("", |(_, v)| v.as_str())
    }
}

impl Server {
    /// Copy the fixture `case` and start `gazette serve --port 0` on it;
    /// returns once it printed the URL it serves.
    pub fn start(case: &str) -> Server {
        Server::start_with(case, &[], |_| {})
    }

    /// Copy the fixture `case`, let `prepare` change the copy, and start
    /// `gazette serve --port 0 ARGS` on it; returns once it printed the URL
    /// it serves.
    pub fn start_with(case: &str, args: &[&str], prepare: impl FnOnce(&Path)) -> Server {
        let (dir, site) = site_copy(case);
        prepare(&site);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(PATIENCE))
            .build()
            .into();
        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
        let (child, reader, log, url) = launch(&site, 0, &args);
        let mut server =
            Server { child, reader: Some(reader), dir, site, args, base: String::new(), port: 0, log, agent };
        let url = url.recv_timeout(PATIENCE).unwrap_or_else(|_| panic!("no URL printed; stderr:\n{}", server.log()));
        let url = url.trim_end_matches('/');
        server.port = url.rsplit(':').next().and_then(|p| p.parse().ok()).unwrap();
        server.base = url.to_string();
        server
    }

    /// Start it again, on the same site, port and arguments, after [`Server::stop`];
    /// returns once it printed the URL it serves. Its log starts afresh.
    pub fn restart(&mut self) {
        assert!(self.child.try_wait().unwrap().is_some(), "restart a server that was stopped");
        let (child, reader, log, url) = launch(&self.site, self.port, &self.args);
        (self.child, self.reader, self.log) = (child, Some(reader), log);
        let url = url.recv_timeout(PATIENCE).unwrap_or_else(|_| panic!("no URL printed; stderr:\n{}", self.log()));
        assert_eq!(url.trim_end_matches('/'), self.base, "restarted at another address");
    }

    /// Stop it as Ctrl-C does (SIGINT), wait until it exits, and return its
    /// exit status; its log is then complete.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(started.elapsed() < PATIENCE, "still running after Ctrl-C; stderr:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        status
    }

    /// What the server printed to stderr so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Wait until stderr contains `needle`.
    pub fn wait_for_log(&self, needle: &str) {
        let started = Instant::now();
        while !self.log().contains(needle) {
            assert!(started.elapsed() < PATIENCE, "no {needle:?} in stderr:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The preview folder the server serves.
    pub fn served(&self) -> PathBuf {
        self.site.join(".gazette/serve")
    }

    /// GET `path` (which starts with `/`) with a real HTTP client.
    pub fn get(&self, path: &str) -> Reply {
        self.reply(self.agent.get(format!("{}{path}", self.base)).call())
    }

    /// Send `path` with another method.
    pub fn request(&self, method: &str, path: &str) -> Reply {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "HEAD" => self.agent.head(url).call(),
            "POST" => self.agent.post(url).send_empty(),
            "PUT" => self.agent.put(url).send_empty(),
            "DELETE" => self.agent.delete(url).call(),
            other => panic!("no such method in these tests: {other}"),
        };
        self.reply(response)
    }

    fn reply(&self, response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut response = response.unwrap_or_else(|e| panic!("request failed: {e}\nstderr:\n{}", self.log()));
        let headers =
            response.headers().iter().map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string())).collect();
        let status = response.status().as_u16();
        let bytes = response.body_mut().read_to_vec().unwrap_or_default();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Reply { status, headers, body, bytes }
    }

    /// Send `request_target` exactly as given, on a raw request line, and
    /// return the status and the whole response (headers and body).
    pub fn raw(&self, request_target: &str) -> (u16, String) {
        self.raw_method("GET", request_target)
    }

    /// [`Server::raw`] with any method.
    pub fn raw_method(&self, method: &str, request_target: &str) -> (u16, String) {
        self.raw_request(method, request_target, "127.0.0.1")
    }

    /// [`Server::raw`] with any method and `Host` header.
    pub fn raw_request(&self, method: &str, request_target: &str, host: &str) -> (u16, String) {
        let address = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let request = format!("{method} {request_target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, text)
    }

    /// Poll `path` until its body contains `text` (a rebuild may still be
    /// writing); the last reply when it never does.
    pub fn get_until(&self, path: &str, text: &str) -> Reply {
        let started = Instant::now();
        loop {
            let reply = self.get(path);
            if reply.body.contains(text) || started.elapsed() > PATIENCE {
                return reply;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Listen to the live-reload event stream.
    pub fn events(&self) -> Events {
        let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(None).build().into();
        let response = agent.get(format!("{}/__gazette/events", self.base)).call().unwrap();
        assert_eq!(response.headers().get("content-type").unwrap(), "text/event-stream");
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(response.into_body().into_reader());
            let (mut name, mut data) = (String::new(), Vec::new());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(value) = line.strip_prefix("event:") {
                    name = value.trim().to_string();
                } else if let Some(value) = line.strip_prefix("data:") {
                    data.push(value.strip_prefix(' ').unwrap_or(value).to_string());
                } else if line.is_empty() && !name.is_empty() {
                    if send.send((std::mem::take(&mut name), data.join("\n"))).is_err() {
                        return;
                    }
                    data.clear();
                }
            }
        });
        let events = Events { receive };
        events.expect("hello", self);
        events
    }

    /// The CPU time the server has used so far (user and system), from
    /// `/proc`: it grows only while the server works (builds).
    pub fn cpu_time(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        // The fields after the command name (which is in parentheses):
        // utime and stime are the 12th and 13th, in clock ticks.
        let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        // Linux reports these in USER_HZ, 100 per second on every architecture it runs on.
        Duration::from_millis(ticks * 10)
    }
}

/// Start `gazette serve --port PORT --root SITE ARGS`: the child, the thread
/// reading its stderr into the log, the log, and where the URL it prints
/// ("Serving SITE at URL") arrives.
fn launch(
    site: &Path,
    port: u16,
    args: &[String],
) -> (Child, std::thread::JoinHandle<()>, Arc<Mutex<String>>, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(site)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let log = Arc::new(Mutex::new(String::new()));
    let (url_found, url) = mpsc::channel();
    let shared = Arc::clone(&log);
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.starts_with("Serving ")
                && let Some(at) = line.find(" at http://")
            {
                let _ = url_found.send(line[at + 4..].split_whitespace().next().unwrap_or("").to_string());
            }
            let mut log = shared.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    (child, reader, log, url)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Server-Sent Events as they arrive: (event name, data).
pub struct Events {
    receive: mpsc::Receiver<(String, String)>,
}

impl Events {
    /// Wait for an event named `name`, skipping others; returns its data.
    pub fn expect(&self, name: &str, server: &Server) -> String {
        let started = Instant::now();
        let mut seen = Vec::new();
        while let Some(left) = PATIENCE.checked_sub(started.elapsed()) {
            match self.receive.recv_timeout(left) {
                Ok((event, data)) if event == name => return data,
                Ok(other) => seen.push(other),
                Err(_) => break,
            }
        }
        panic!("no {name:?} event; got {seen:?}\nstderr:\n{}", server.log());
    }

    /// The next event, whatever it is: (name, data).
    pub fn next(&self, server: &Server) -> (String, String) {
        self.receive.recv_timeout(PATIENCE).unwrap_or_else(|_| panic!("no event\nstderr:\n{}", server.log()))
    }
}

/// Change a file the way an editor saves it: write a new file beside it,
/// then rename it over the old one.
pub fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("gazette-test-tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// A copy of the fixture site `case`, at `site/` in a new temporary folder.
pub fn site_copy(case: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(case), &site);
    (dir, site)
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
