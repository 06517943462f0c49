//! Request paths → files inside the served folder, and nothing else.
//!
//! Input: the raw path of a request (still percent-encoded) and the served
//! folder. Output: the file to send, a redirect to the folder URL, or
//! nothing. Two gates, both needed:
//!
//! 1. [`RequestPath::parse`] decodes the percent-escapes itself and checks
//!    every segment: no `.` or `..`, no `/` or `\` smuggled in encoded, no
//!    NUL or other control characters, no empty segments (`//etc/passwd`),
//!    no Gazette bookkeeping files. A bad escape or a path that is not
//!    UTF-8 is malformed (400); every other refusal looks like a missing
//!    file (404), so probing learns nothing.
//! 2. [`resolve`] joins the segments to the served folder, resolves
//!    symlinks (`canonicalize`) and checks the result is still inside the
//!    canonical served folder, so a symlink pointing outside serves nothing.

use std::path::{Component, Path, PathBuf};

use crate::write::MARKER;

/// Why a request path was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A broken percent-escape or bytes that are not UTF-8: 400.
    Malformed,
    /// Not a path to anything servable: 404.
    NotFound,
}

/// A request path, decoded and checked segment by segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPath {
    /// Decoded segments, each a plain file or folder name.
    segments: Vec<String>,
    /// Whether the URL ends with `/` (asks for a folder).
    folder: bool,
}

impl RequestPath {
    /// Decode and check the path of a request URL (without its query).
    pub fn parse(raw: &str) -> Result<RequestPath, Refused> {
        let Some(rest) = raw.strip_prefix('/') else { return Err(Refused::NotFound) };
        if rest.is_empty() {
            return Ok(RequestPath { segments: Vec::new(), folder: true });
        }
        let (rest, folder) = match rest.strip_suffix('/') {
            Some(inner) => (inner, true),
            None => (rest, false),
        };
        let mut segments = Vec::new();
        for raw_segment in rest.split('/') {
            let segment = percent_decode(raw_segment)?;
            if !is_plain_name(&segment) {
                return Err(Refused::NotFound);
            }
            segments.push(segment);
        }
        Ok(RequestPath { segments, folder })
    }

    /// The path as a `/`-separated relative path, for messages and tests.
    #[cfg(test)]
    fn rel(&self) -> String {
        self.segments.join("/")
    }
}

/// What a request path leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// This file, inside the served folder.
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect.
    AddSlash,
    /// Nothing servable.
    Missing,
}

/// Find the file for `request` inside `root`, which must be canonical.
pub fn resolve(root: &Path, request: &RequestPath) -> Resolved {
    let mut path = root.to_path_buf();
    path.extend(&request.segments);
    let Some(real) = inside(root, &path) else { return Resolved::Missing };
    if real.is_dir() {
        if !request.folder {
            return Resolved::AddSlash;
        }
        return match inside(root, &real.join("index.html")) {
            Some(index) if index.is_file() => Resolved::File(index),
            _ => Resolved::Missing,
        };
    }
    if real.is_file() && !request.folder { Resolved::File(real) } else { Resolved::Missing }
}

/// `path` with every symlink resolved, if it exists and stays inside `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    real.starts_with(root).then_some(real)
}

/// Is `segment` one plain name, safe to join to a folder?
fn is_plain_name(segment: &str) -> bool {
    let mut components = Path::new(segment).components();
    let single = matches!(components.next(), Some(Component::Normal(n)) if n == segment) && components.next().is_none();
    single
        && !segment.chars().any(|c| c == '/' || c == '\\' || c.is_control())
        && !(cfg!(windows) && segment.contains(':'))
        // Gazette's own bookkeeping is not part of the site. Other dot files
        // are: the build publishes static/.well-known/ and the like.
        && segment != MARKER
        && !segment.ends_with(".gazette-tmp")
}

/// Decode `%XX` escapes. A `%` not followed by two hex digits, or a result
/// that is not UTF-8, is malformed.
fn percent_decode(segment: &str) -> Result<String, Refused> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(Refused::Malformed)?;
            let hex = std::str::from_utf8(hex).map_err(|_| Refused::Malformed)?;
            let byte = u8::from_str_radix(hex, 16).map_err(|_| Refused::Malformed)?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Refused::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_decode() {
        let p = RequestPath::parse("/2025/12/03/bridge-reopens/").unwrap();
        assert_eq!((p.rel().as_str(), p.folder), ("2025/12/03/bridge-reopens", true));
        let p = RequestPath::parse("/assets/gazette.css").unwrap();
        assert_eq!((p.rel().as_str(), p.folder), ("assets/gazette.css", false));
        let p = RequestPath::parse("/files/caf%C3%A9%20menu.pdf").unwrap();
        assert_eq!(p.rel(), "files/café menu.pdf");
        assert_eq!(RequestPath::parse("/").unwrap(), RequestPath { segments: vec![], folder: true });
        assert_eq!(RequestPath::parse("/.well-known/security.txt").unwrap().rel(), ".well-known/security.txt");
    }

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        for bad in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/%2e%2e%2fsecret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/..\\secret.txt",
            "/..%5csecret.txt",
            "/%5c..%5csecret.txt",
            "/%00",
            "/index.html%00.css",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/a//b",
            "/./index.html",
            "/%2e/index.html",
            "etc/passwd",
            "*",
            "",
            "/.gazette-output",
            "/2025/.index.html.gazette-tmp",
            "/line%0Abreak",
        ] {
            assert_eq!(RequestPath::parse(bad), Err(Refused::NotFound), "{bad:?}");
        }
        for malformed in ["/%", "/%2", "/%zz", "/%c3", "/%ff%fe"] {
            assert_eq!(RequestPath::parse(malformed), Err(Refused::Malformed), "{malformed:?}");
        }
    }

    #[test]
    fn resolve_stays_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("served");
        std::fs::create_dir_all(root.join("2025/12")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("2025/index.html"), "year").unwrap();
        std::fs::write(root.join("style.css"), "css").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let root = root.canonicalize().unwrap();
        let get = |raw: &str| resolve(&root, &RequestPath::parse(raw).unwrap());

        assert_eq!(get("/"), Resolved::File(root.join("index.html")));
        assert_eq!(get("/2025/"), Resolved::File(root.join("2025/index.html")));
        assert_eq!(get("/2025"), Resolved::AddSlash);
        assert_eq!(get("/2025/12/"), Resolved::Missing, "a folder without index.html");
        assert_eq!(get("/style.css"), Resolved::File(root.join("style.css")));
        assert_eq!(get("/style.css/"), Resolved::Missing);
        assert_eq!(get("/nothing.html"), Resolved::Missing);

        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(dir.path().join("secret.txt"), root.join("leak.txt")).unwrap();
            symlink(dir.path(), root.join("up")).unwrap();
            symlink(dir.path().join("secret.txt"), root.join("2025/12/index.html")).unwrap();
            symlink(root.join("style.css"), root.join("alias.css")).unwrap();
            assert_eq!(get("/leak.txt"), Resolved::Missing);
            assert_eq!(get("/up/secret.txt"), Resolved::Missing);
            assert_eq!(get("/up"), Resolved::Missing);
            assert_eq!(get("/2025/12/"), Resolved::Missing, "an index.html pointing outside");
            assert_eq!(get("/alias.css"), Resolved::File(root.join("style.css")), "links inside are fine");
        }
    }
}
