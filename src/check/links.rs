//! Link check: a built output folder in, every internal reference that
//! leads nowhere out.
//!
//! Part of `gazette check`, which builds the site into a temporary folder
//! first; the integration tests run it on every fixture they build. Each
//! HTML page (but `404.html`, whose links are absolute on purpose: hosts
//! serve it at any URL) is read with html5ever's tokenizer, the HTML
//! standard's own attribute rules, with no tree built; every relative
//! `href`/`src` must name a file of the output (a folder link such as
//! `../` opens a folder listing from `file://`: links name `index.html`),
//! and no link may be root-absolute (`/x/`), which breaks `file://` and
//! sub-path hosting.

use std::cell::RefCell;
use std::path::Path;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use rayon::prelude::*;

use crate::error::Result;
use crate::fsx;
use crate::urls;

/// A reference in a built page that does not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page, relative to the output folder (`2025/12/03/talks/index.html`).
    pub page: String,
    /// The line of the page the reference is on.
    pub line: usize,
    /// The URL as written in the page.
    pub url: String,
    /// Why it does not work.
    pub problem: LinkProblem,
}

/// Why a reference does not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkProblem {
    /// Nothing in the output at `target` (a path relative to the output
    /// folder; `None` when the URL climbs above the output folder).
    Missing {
        /// The file the URL leads to.
        target: Option<String>,
    },
    /// A root-absolute URL (`/about/`): it works only when the site is
    /// served from a domain root, never from `file://` or a sub-path.
    Absolute,
    /// A link to a folder (`../`, `2025/12/`): opened from disk it shows a
    /// folder listing, not the page; `target` is the folder's `index.html`.
    Folder {
        /// The page the link should name.
        target: String,
    },
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.problem {
            LinkProblem::Missing { target: Some(target) } => {
                write!(f, "broken link {:?}: there is no {target} in the built site", self.url)
            }
            LinkProblem::Missing { target: None } => {
                write!(f, "broken link {:?}: it leads above the site's root folder", self.url)
            }
            LinkProblem::Absolute => {
                write!(f, "absolute link {:?}: it breaks when the site is opened from disk or a sub-path", self.url)
            }
            LinkProblem::Folder { target } => {
                write!(f, "folder link {:?}: opened from disk it shows a folder listing; link to {target}", self.url)
            }
        }
    }
}

/// Every broken reference in the HTML pages under `out`, sorted by page
/// and line. External URLs (`https:`, `mailto:`…) and fragments are not
/// checked.
pub fn broken_links(out: &Path) -> Result<Vec<BrokenLink>> {
    let walked = fsx::walk_files(out, fsx::Hidden::Skip);
    let pages: Vec<&(String, std::path::PathBuf)> =
        walked.files.iter().filter(|(rel, _)| rel.ends_with(".html") && rel != "404.html").collect();
    let found: Vec<Result<Vec<BrokenLink>>> = pages
        .par_iter()
        .map(|(rel, path)| {
            let bytes = fsx::read(path)?;
            let html = String::from_utf8_lossy(&bytes);
            Ok(references(&html)
                .into_iter()
                .filter_map(|(line, url)| {
                    let problem = check_reference(out, rel, &url)?;
                    Some(BrokenLink { page: rel.clone(), line, url, problem })
                })
                .collect())
        })
        .collect();
    let mut broken = Vec::new();
    for page in found {
        broken.extend(page?);
    }
    Ok(broken)
}

/// What is wrong with `url` on the page `page_rel`, if anything.
fn check_reference(out: &Path, page_rel: &str, url: &str) -> Option<LinkProblem> {
    let url = url.trim();
    if url.starts_with('/') && !url.starts_with("//") {
        return Some(LinkProblem::Absolute);
    }
    if !urls::is_relative_reference(url) {
        return None;
    }
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None;
    }
    let target = resolve(page_rel, path);
    match target.as_deref() {
        Some(t) if out.join(t).is_file() && !path.ends_with('/') => None,
        Some(t) if t.is_empty() || out.join(t).is_dir() => {
            let index = if t.is_empty() { "index.html".to_string() } else { format!("{t}/index.html") };
            Some(if out.join(&index).is_file() {
                LinkProblem::Folder { target: index }
            } else {
                LinkProblem::Missing { target: Some(index) }
            })
        }
        _ => Some(LinkProblem::Missing { target }),
    }
}

/// The output path a relative URL path on page `page_rel` leads to
/// (percent-escapes decoded), or `None` if it climbs above the root.
pub fn resolve(page_rel: &str, path: &str) -> Option<String> {
    let dir = page_rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    urls::join(dir, &percent_decode(path))
}

/// `%20` → ` `; malformed escapes are kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every (line, URL) of a link or embedded resource in an HTML page.
pub fn references(html: &str) -> Vec<(usize, String)> {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    let tokenizer = Tokenizer::new(References::default(), TokenizerOpts::default());
    // The sink never pauses the tokenizer for a script, so one feed reads all.
    while let TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

/// Collects references as the tokenizer reads tags.
#[derive(Default)]
struct References {
    found: RefCell<Vec<(usize, String)>>,
}

impl TokenSink for References {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else { return TokenSinkResult::Continue };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let name: &str = &tag.name;
        let attribute = match name {
            "a" | "area" | "link" => "href",
            "img" | "script" | "source" | "iframe" | "embed" | "audio" | "video" | "track" => "src",
            _ => "",
        };
        if let Some(value) = tag.attrs.iter().find(|a| &*a.name.local == attribute).map(|a| a.value.to_string()) {
            self.found.borrow_mut().push((usize::try_from(line).unwrap_or(usize::MAX), value));
        }
        // Without a tree builder, the sink says which elements hold raw
        // text, so a `<` inside a script is never read as a tag.
        match name {
            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => TokenSinkResult::RawData(RawKind::Rawtext),
            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
            "plaintext" => TokenSinkResult::Plaintext,
            _ => TokenSinkResult::Continue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_with_their_lines() {
        let html = "<!doctype html>\n<link rel=stylesheet href='a.css'>\n<p><a href=\"x/index.html#top\">x</a>\n\
                    <script>if (a < b) { document.write('<a href=\"no.html\">') }</script>\n<img src=p%20q.png alt=''>\n\
                    <!-- <a href=\"comment.html\"> -->\n";
        assert_eq!(
            references(html),
            vec![(2, "a.css".to_string()), (3, "x/index.html#top".to_string()), (5, "p%20q.png".to_string())]
        );
    }

    #[test]
    fn references_resolve_from_their_page() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fsx::write(&out.join("2025/12/index.html"), b"").unwrap();
        fsx::write(&out.join("2025/12/p q.png"), b"").unwrap();
        let page = "2025/12/03/index.html";
        assert_eq!(check_reference(out, page, "../index.html"), None);
        assert_eq!(check_reference(out, page, "../p%20q.png"), None);
        assert_eq!(check_reference(out, page, "#top"), None);
        assert_eq!(check_reference(out, page, "https://example.org/"), None);
        assert_eq!(check_reference(out, page, "/2025/"), Some(LinkProblem::Absolute));
        assert_eq!(
            check_reference(out, page, "../nope.png"),
            Some(LinkProblem::Missing { target: Some("2025/12/nope.png".into()) })
        );
        assert_eq!(check_reference(out, page, "../../../../x"), Some(LinkProblem::Missing { target: None }));
    }

    #[test]
    fn folder_links_are_refused_and_name_the_page_to_link_to() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        fsx::write(&out.join("index.html"), b"").unwrap();
        fsx::write(&out.join("2025/12/index.html"), b"").unwrap();
        fsx::write(&out.join("2025/12/03/talks/index.html"), b"").unwrap();
        let page = "2025/12/03/talks/index.html";
        let folder = |t: &str| Some(LinkProblem::Folder { target: t.into() });
        assert_eq!(check_reference(out, page, "../../"), folder("2025/12/index.html"));
        assert_eq!(check_reference(out, page, "../.."), folder("2025/12/index.html"));
        assert_eq!(check_reference(out, page, "./"), folder("2025/12/03/talks/index.html"));
        assert_eq!(check_reference(out, page, "../../../../#top"), folder("index.html"));
        assert_eq!(check_reference(out, page, "../../../../"), folder("index.html"));
        // A folder without a page is missing that page.
        assert_eq!(
            check_reference(out, page, "../"),
            Some(LinkProblem::Missing { target: Some("2025/12/03/index.html".into()) })
        );
        // A file named with a trailing slash is no file.
        assert_eq!(
            check_reference(out, page, "index.html/"),
            Some(LinkProblem::Missing { target: Some("2025/12/03/talks/index.html".into()) })
        );
        let link = BrokenLink {
            page: page.into(),
            line: 3,
            url: "../../".into(),
            problem: folder("2025/12/index.html").unwrap(),
        };
        assert_eq!(
            link.to_string(),
            "folder link \"../../\": opened from disk it shows a folder listing; link to 2025/12/index.html"
        );
    }
}
