//! HTTP: the preview folder as a web server would serve it, plus live reload.
//!
//! Input: requests. Output: responses from the served folder (GET and
//! HEAD only; 405 otherwise), with:
//! - folder URLs served from their `index.html`, and `/2025` redirected
//!   (301, as static hosts do) to `/2025/`;
//! - missing files answered with the build's own `404.html`, status 404;
//! - a `Content-Type` for every kind of file a site has; `.xml` files
//!   (feeds, sitemaps) are `application/xml`, which is what static hosts
//!   send for them and what browsers display rather than download;
//! - `Cache-Control: no-cache` everywhere, so a reload always sees the
//!   latest build;
//! - the live-reload script added before `</body>` of every HTML
//!   response, in memory: files on disk never contain it.
//!
//! On loopback, a request whose `Host` is a domain name other than
//! `localhost` gets 403: a web page can point its own domain at 127.0.0.1
//! ("DNS rebinding") and would otherwise read the preview, drafts included.
//!
//! `/__gazette/` is Gazette's: `/__gazette/events` is the Server-Sent
//! Events stream (`hello` with the server's instance, then `reload`, `css`
//! or `build-error` after each rebuild), `/__gazette/live-reload.js` the script.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::paths::{self, Refused, RequestPath, Resolved};
use super::{Hub, Notice};

/// The script that listens for rebuilds and reloads the page.
const LIVE_RELOAD_JS: &str = include_str!("live-reload.js");

/// What is added to every served HTML page.
pub const SCRIPT_TAG: &str = "<script src=\"/__gazette/live-reload.js\"></script>\n";

/// Serve `hub`'s folder on `listener` until the hub stops.
pub async fn serve(listener: tokio::net::TcpListener, hub: Arc<Hub>) {
    let mut stopping = hub.stopping.clone();
    let app = axum::Router::new().fallback(handle).with_state(hub);
    let shutdown = async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
        eprintln!("error: the server stopped: {e}");
    }
}

/// Every request comes here.
async fn handle(State(hub): State<Arc<Hub>>, request: Request) -> Response {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed: this server only reads\n");
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if hub.loopback && !names_this_machine(request.headers().get(header::HOST)) {
        return plain(
            StatusCode::FORBIDDEN,
            "403 Forbidden: this preview answers only to localhost or an IP address, such as http://127.0.0.1/\n",
        );
    }
    let uri = request.uri();
    let response = match uri.path() {
        "/__gazette/events" => events(&hub).into_response(),
        "/__gazette/live-reload.js" => typed(StatusCode::OK, "text/javascript; charset=utf-8", LIVE_RELOAD_JS.into()),
        path => file(&hub, path, uri.query()).await,
    };
    no_cache(response)
}

/// Whether a `Host` header names this machine: `localhost` (or a name
/// under it, which browsers keep on loopback) or an IP address, with or
/// without a port. No header (HTTP/1.0) is allowed too: browsers always
/// send one.
fn names_this_machine(host: Option<&HeaderValue>) -> bool {
    let Some(host) = host else { return true };
    let Ok(host) = host.to_str() else { return false };
    let name = match host.strip_prefix('[') {
        // An IPv6 address: `[::1]` or `[::1]:8000`.
        Some(rest) => return rest.split_once(']').is_some_and(|(ip, _)| ip.parse::<std::net::Ipv6Addr>().is_ok()),
        None => host.rsplit_once(':').map_or(host, |(name, _port)| name),
    };
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

/// A file of the served folder, a redirect, or the 404 page.
async fn file(hub: &Arc<Hub>, raw_path: &str, query: Option<&str>) -> Response {
    let request = match RequestPath::parse(raw_path) {
        Ok(request) => request,
        Err(Refused::Malformed) => return plain(StatusCode::BAD_REQUEST, "400 Bad Request: malformed path\n"),
        Err(Refused::NotFound) => return not_found(hub).await,
    };
    let root = hub.root.clone();
    let resolved =
        tokio::task::spawn_blocking(move || paths::resolve(&root, &request)).await.unwrap_or(Resolved::Missing);
    match resolved {
        Resolved::File(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => send(StatusCode::OK, &path, bytes),
            // Removed by a rebuild since it was found.
            Err(_) => not_found(hub).await,
        },
        Resolved::AddSlash => {
            // `raw_path` passed the checks: it starts with one `/` and has
            // no empty segment, so the redirect stays on this server.
            let location = match query {
                Some(query) => format!("{raw_path}/?{query}"),
                None => format!("{raw_path}/"),
            };
            let mut response = plain(StatusCode::MOVED_PERMANENTLY, "301 Moved Permanently\n");
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::Missing => not_found(hub).await,
    }
}

/// The build's `404.html` with status 404, or a plain page if it has none.
async fn not_found(hub: &Arc<Hub>) -> Response {
    let root = hub.root.clone();
    let page = tokio::task::spawn_blocking(move || match RequestPath::parse("/404.html") {
        Ok(request) => paths::resolve(&root, &request),
        Err(_) => Resolved::Missing,
    })
    .await;
    if let Ok(Resolved::File(path)) = page
        && let Ok(bytes) = tokio::fs::read(&path).await
    {
        return send(StatusCode::NOT_FOUND, &path, bytes);
    }
    let html = format!("<!doctype html>\n<title>Not found</title>\n<h1>404 Not Found</h1>\n{SCRIPT_TAG}");
    typed(StatusCode::NOT_FOUND, "text/html; charset=utf-8", html.into())
}

/// A file's bytes with its content type; HTML gets the live-reload script.
fn send(status: StatusCode, path: &Path, bytes: Vec<u8>) -> Response {
    let content_type = content_type(path);
    let bytes = if content_type.starts_with("text/html") { inject(bytes) } else { bytes };
    typed(status, content_type, bytes.into())
}

/// Add the live-reload script before the last `</body>`, or at the end.
pub fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    html.splice(at..at, SCRIPT_TAG.bytes());
    html
}

/// The `Content-Type` for a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        // Whatever else content/ holds: PDFs, spreadsheets, audio…
        _ => mime_guess::from_ext(&extension).first_raw().unwrap_or("application/octet-stream"),
    }
}

fn typed(status: StatusCode, content_type: &'static str, body: Body) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    typed(status, "text/plain; charset=utf-8", text.into())
}

fn no_cache(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The event stream of one browser tab.
fn events(hub: &Arc<Hub>) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let mut first = vec![Event::default().event("hello").data(&hub.instance)];
    if let Some(failure) = hub.failure() {
        first.push(failed(&failure));
    }
    let notices = hub.notices.subscribe();
    let stopping = hub.stopping.clone();
    let later = stream::unfold((notices, stopping), |(mut notices, mut stopping)| async move {
        let notice = tokio::select! {
            notice = notices.recv() => notice,
            _ = stopping.wait_for(|stop| *stop) => return None,
        };
        let event = match notice {
            Ok(Notice::Reload(what)) => Event::default().event("reload").data(one_line(&what)),
            Ok(Notice::Css(what)) => Event::default().event("css").data(one_line(&what)),
            Ok(Notice::Failed(text)) => failed(&text),
            // Missed some notices: a reload shows the latest build whatever they were.
            Err(RecvError::Lagged(_)) => Event::default().event("reload").data("(several changes)"),
            Err(RecvError::Closed) => return None,
        };
        Some((Ok(event), (notices, stopping)))
    });
    Sse::new(stream::iter(first.into_iter().map(Ok)).chain(later))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// A `build-error` event: the diagnostics, one per line. (Not `error`,
/// which browsers also fire on an `EventSource` when the connection drops.)
fn failed(text: &str) -> Event {
    Event::default().event("build-error").data(text.replace('\r', ""))
}

/// Event data must not be empty (browsers drop such events) and must not
/// hold carriage returns.
fn one_line(text: &str) -> String {
    let line = text.replace(['\r', '\n'], " ");
    if line.trim().is_empty() { "rebuilt".to_string() } else { line }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>&lt;/body&gt;</p></BODY>\n</html>".to_vec();
        let served = String::from_utf8(inject(page)).unwrap();
        assert_eq!(served, format!("<html><body><p>&lt;/body&gt;</p>{SCRIPT_TAG}</BODY>\n</html>"));
        let fragment = String::from_utf8(inject(b"<p>no body</p>".to_vec())).unwrap();
        assert!(fragment.ends_with(SCRIPT_TAG));
    }

    #[test]
    fn only_names_of_this_machine_are_answered_on_loopback() {
        let host = |h: &str| names_this_machine(Some(&HeaderValue::from_str(h).unwrap()));
        for ok in [
            "127.0.0.1:8000",
            "127.0.0.1",
            "localhost:8000",
            "LocalHost",
            "localhost.",
            "app.localhost:1",
            "[::1]:8000",
            "[::1]",
            "10.0.0.2:80",
        ] {
            assert!(host(ok), "{ok}");
        }
        for refused in [
            "attacker.example:8000",
            "attacker.example",
            "localhost.attacker.example",
            "127.0.0.1.nip.io:8000",
            "[evil]:80",
            "",
            "[::1",
        ] {
            assert!(!host(refused), "{refused}");
        }
        assert!(names_this_machine(None));
    }

    #[test]
    fn content_types() {
        for (file, expected) in [
            ("index.html", "text/html; charset=utf-8"),
            ("assets/gazette.css", "text/css; charset=utf-8"),
            ("app.JS", "text/javascript; charset=utf-8"),
            ("feed.xml", "application/xml; charset=utf-8"),
            ("logo.svg", "image/svg+xml"),
            ("photo.jpeg", "image/jpeg"),
            ("font.woff2", "font/woff2"),
            ("report.pdf", "application/pdf"),
            ("data.csv", "text/csv"),
            ("no-extension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(file)), expected, "{file}");
        }
    }
}
