//! Links to the old site's uploads, and the files they name.
//!
//! Part of the WordPress import. Input: an article's converted text, the
//! old site's address and, with `--uploads DIR`, a copy of its
//! `wp-content/uploads`. Output: the text with each link to an upload
//! found in `DIR` made a link to a copy beside the article (a size variant,
//! `photo-300x200.jpg`, links to the original, `photo.jpg`, when `DIR` has
//! it), the files to copy, and the links left pointing at the old site.

use std::path::PathBuf;

use rustc_hash::FxHashMap as HashMap;

/// Where uploads are found on the old site, and in `--uploads DIR`.
pub struct Uploads {
    /// The old site's host names, lowercase, without `www.`.
    hosts: Vec<String>,
    /// The copy of `wp-content/uploads`, if given.
    dir: Option<PathBuf>,
    /// The name each copied file has in each article folder:
    /// (folder, source) → name.
    named: HashMap<(String, PathBuf), String>,
    /// The file each name in each article folder stands for.
    taken: HashMap<(String, String), PathBuf>,
}

/// An article's text with its links to uploads rewritten.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rewritten {
    /// The text.
    pub text: String,
    /// Files to copy beside the article: (source, name).
    pub copies: Vec<(PathBuf, String)>,
    /// Links that still point at the old site: the upload paths
    /// (`2025/10/photo.jpg`) of those not found in `DIR`, or of all of
    /// them without `DIR`.
    pub old: Vec<String>,
}

/// Where uploads live under a site's address.
const UPLOADS: &str = "/wp-content/uploads/";

impl Uploads {
    /// Uploads of the sites at `addresses` (`https://example.org`), copied
    /// in `dir` if given.
    pub fn new<'a>(addresses: impl IntoIterator<Item = &'a str>, dir: Option<PathBuf>) -> Uploads {
        let mut hosts: Vec<String> = addresses.into_iter().filter_map(host).collect();
        hosts.sort();
        hosts.dedup();
        Uploads { hosts, dir, named: HashMap::default(), taken: HashMap::default() }
    }

    /// `text` with its links to uploads made links to copies in `folder`
    /// (the article's folder, `2025/10`), for those found in `DIR`.
    pub fn rewrite(&mut self, text: &str, folder: &str) -> Rewritten {
        let mut out = Rewritten { text: String::with_capacity(text.len()), ..Rewritten::default() };
        let mut from = 0;
        let mut search = 0;
        while let Some(found) = text[search..].find(UPLOADS).map(|i| search + i) {
            search = found + UPLOADS.len();
            let start = text[..found].rfind(ends_url).map_or(0, |i| i + 1);
            if start < from || !self.is_old_site(&text[start..found]) {
                continue;
            }
            let tail = &text[search..];
            let len = tail.find(ends_url).unwrap_or(tail.len());
            let len = tail[..len].trim_end_matches(['.', ',', ';', ':', '!', '?']).len();
            let end = search + len;
            let Some(rel) = upload_path(&text[search..end]) else { continue };
            out.text.push_str(&text[from..start]);
            match self.place(&rel, folder) {
                Some((source, name)) => {
                    out.text.push_str(&name);
                    if !out.copies.iter().any(|(s, _)| *s == source) {
                        out.copies.push((source, name));
                    }
                }
                None => {
                    out.text.push_str(&text[start..end]);
                    out.old.push(rel);
                }
            }
            from = end;
            search = end;
        }
        out.text.push_str(&text[from..]);
        out
    }

    /// Is `prefix` (what comes before `/wp-content/uploads/`) the old
    /// site: nothing (a link from the site's root) or one of its addresses?
    fn is_old_site(&self, prefix: &str) -> bool {
        if prefix.is_empty() {
            return true;
        }
        let address = if prefix.starts_with("//") { format!("https:{prefix}") } else { prefix.to_string() };
        host(&address).is_some_and(|h| self.hosts.contains(&h))
    }

    /// The file for an upload path in `DIR` (the original of a size
    /// variant first), and its name in `folder`.
    fn place(&mut self, rel: &str, folder: &str) -> Option<(PathBuf, String)> {
        let dir = self.dir.as_ref()?;
        let source = [original(rel), Some(rel.to_string())]
            .into_iter()
            .flatten()
            .map(|candidate| dir.join(candidate))
            .find(|path| path.is_file())?;
        if let Some(name) = self.named.get(&(folder.to_string(), source.clone())) {
            return Some((source, name.clone()));
        }
        let file_name = source.file_name()?.to_string_lossy().into_owned();
        let (stem, ext) = file_name.rsplit_once('.').map_or((file_name.as_str(), ""), |(s, e)| (s, e));
        let name = (1..)
            .map(|n| match (n, ext) {
                (1, _) => file_name.clone(),
                (_, "") => format!("{stem}-{n}"),
                _ => format!("{stem}-{n}.{ext}"),
            })
            .find(|name| self.taken.get(&(folder.to_string(), name.clone())).is_none_or(|s| *s == source))
            .unwrap_or_else(|| unreachable!("an unbounded range always finds a free name"));
        self.taken.insert((folder.to_string(), name.clone()), source.clone());
        self.named.insert((folder.to_string(), source.clone()), name.clone());
        Some((source, name))
    }
}

/// Does this character end a URL written in Markdown or HTML?
fn ends_url(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | '<' | '>' | '[' | ']' | '=')
}

/// The host of an address, lowercase and without `www.`.
fn host(address: &str) -> Option<String> {
    let url = url::Url::parse(address.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").map(str::to_string).unwrap_or(host))
}

/// The path of an upload under `wp-content/uploads/`, from what follows
/// it in a link (`2025/10/photo.jpg?ver=2`): decoded, without query,
/// fragment or Markdown escapes; `None` when it would leave the folder.
fn upload_path(link: &str) -> Option<String> {
    let path = link.split(['?', '#']).next()?;
    let unescaped: String = {
        let mut out = String::with_capacity(path.len());
        let mut chars = path.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('\\', Some(next)) if next.is_ascii_punctuation() => {}
                _ => out.push(c),
            }
        }
        out
    };
    let decoded = percent_encoding::percent_decode_str(&unescaped).decode_utf8().ok()?;
    let parts: Vec<&str> = decoded.split('/').collect();
    let safe = parts.iter().all(|p| !p.is_empty() && *p != "." && *p != ".." && !p.contains('\\'));
    safe.then(|| parts.join("/"))
}

/// The original of a size variant: `2025/10/photo-300x200.jpg` →
/// `2025/10/photo.jpg`; `None` for a name that is not a variant.
fn original(rel: &str) -> Option<String> {
    let (folder, name) = rel.rsplit_once('/').map_or(("", rel), |(f, n)| (f, n));
    let (stem, ext) = name.rsplit_once('.')?;
    let (base, size) = stem.rsplit_once('-')?;
    let (w, h) = size.split_once('x')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(w) && digits(h)) || base.is_empty() {
        return None;
    }
    let file = format!("{base}.{ext}");
    Some(if folder.is_empty() { file } else { format!("{folder}/{file}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_variants_lead_to_their_original() {
        assert_eq!(original("2025/10/quay-300x200.jpg").as_deref(), Some("2025/10/quay.jpg"));
        assert_eq!(original("quay-1024x683.jpeg").as_deref(), Some("quay.jpeg"));
        assert_eq!(original("2025/10/quay-300.jpg"), None);
        assert_eq!(original("2025/10/co-op.jpg"), None);
        assert_eq!(original("2025/10/-3x2.jpg"), None);
    }

    #[test]
    fn upload_paths_cannot_leave_the_folder() {
        assert_eq!(upload_path("2025/10/a\\_b%20c.jpg?ver=2").as_deref(), Some("2025/10/a_b c.jpg"));
        assert_eq!(upload_path("2025/../../etc/passwd"), None);
        assert_eq!(upload_path("2025//x.jpg"), None);
        assert_eq!(upload_path("%2e%2e/x.jpg"), None);
    }

    #[test]
    fn links_to_uploads_found_are_rewritten_and_the_others_counted() {
        let dir = tempfile::tempdir().unwrap();
        let uploads = dir.path().join("uploads");
        for file in ["2025/10/quay.jpg", "2025/10/quay-300x200.jpg", "2024/01/quay.jpg", "2025/10/only-640x480.png"] {
            std::fs::create_dir_all(uploads.join(file).parent().unwrap()).unwrap();
            std::fs::write(uploads.join(file), file).unwrap();
        }
        let mut all = Uploads::new(["https://www.example.org/", "https://example.org/news"], Some(uploads.clone()));
        let text = "![Q](https://example.org/wp-content/uploads/2025/10/quay-300x200.jpg) \
                    <img src=\"//www.example.org/wp-content/uploads/2024/01/quay.jpg\"> \
                    [pdf](/wp-content/uploads/2025/10/gone.pdf), \
                    ![o](http://example.org/wp-content/uploads/2025/10/only-640x480.png) \
                    ![x](https://cdn.other.net/wp-content/uploads/2025/10/quay.jpg)";
        let done = all.rewrite(text, "2025/10");
        assert_eq!(
            done.text,
            "![Q](quay.jpg) <img src=\"quay-2.jpg\"> [pdf](/wp-content/uploads/2025/10/gone.pdf), \
             ![o](only-640x480.png) ![x](https://cdn.other.net/wp-content/uploads/2025/10/quay.jpg)"
        );
        let names: Vec<&str> = done.copies.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["quay.jpg", "quay-2.jpg", "only-640x480.png"]);
        assert!(done.copies.iter().all(|(s, _)| s.starts_with(&uploads)));
        assert_eq!(done.old, ["2025/10/gone.pdf"]);
        // The same file in the same folder keeps its name in the next article.
        assert_eq!(all.rewrite("/wp-content/uploads/2024/01/quay.jpg", "2025/10").text, "quay-2.jpg");
        assert_eq!(all.rewrite("/wp-content/uploads/2024/01/quay.jpg", "2025/11").text, "quay.jpg");

        let mut none = Uploads::new(["https://example.org"], None);
        let done = none.rewrite(text, "2025/10");
        assert_eq!(done.text, text);
        assert_eq!(done.old.len(), 4);
    }
}
