//! Old addresses kept alive: what each article's `aliases` mean, and
//! where their redirects go.
//!
//! Part of the plan phase. Input: the archive's entries (each with the
//! aliases its source writes, and their places) and the site's base URL.
//! Output: [`Redirects`]: a redirect page per old path (a file in the
//! output), the old `?p=ID` addresses (which cannot be files: the home
//! page sends them on), the warnings (an address on another host) and the
//! problems (an address that climbs out of the site, two articles with
//! one address). [`add`] then puts the redirect pages into the plan,
//! refusing any that would stand where another file goes.

use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use rustc_hash::FxHashMap as HashMap;

use super::{Inputs, Job, PageInputs, Plan, Planned};
use crate::archive::Archive;
use crate::error::{Diagnostic, Finding, Kind};
use crate::load::{Alias, Place};
use crate::urls::BaseUrl;
use crate::write::FileSource;

/// What an old address is, once read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Old {
    /// A path that becomes a file of the output.
    Path {
        /// The file, relative to the output (`archives/12/index.html`).
        file: String,
        /// The path as a server sees it, from the site's root, with `/`
        /// first (`/archives/12`), percent-encoded.
        served: String,
    },
    /// WordPress's `/?p=ID`.
    PostId(u64),
}

/// Why an old address gets no redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// It cannot be written safely (it climbs out of the site): an error.
    Unsafe(String),
    /// It is not this site's to answer (another host, a query string): a warning.
    Elsewhere(String),
}

/// One redirect page: an old path and the article it leads to.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The file, relative to the output.
    pub file: String,
    /// The old path as a server sees it (see [`Old::Path`]).
    pub served: String,
    /// The article, as its position in the archive.
    pub entry: usize,
    /// Where its source writes the alias.
    pub place: Place,
}

/// Every old address of the archive's articles.
#[derive(Debug, Default)]
pub struct Redirects {
    /// The redirect pages, in archive order.
    pub pages: Vec<Redirect>,
    /// Old `?p=ID` addresses and their articles' positions, by ID.
    pub by_id: Vec<(u64, usize)>,
    /// Aliases that get no redirect, and why.
    pub warnings: Vec<Finding>,
    /// Aliases that stop the build.
    pub problems: Vec<Diagnostic>,
    /// The folder articles are read from, as shown to the user.
    content: PathBuf,
}

/// Characters written percent-encoded in `_redirects` (whose fields are
/// separated by spaces).
const SERVED: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'<').add(b'>').add(b'?').add(b'`').add(b'%');

/// Read an old address. `base` tells the site's own host (and folder)
/// from others.
pub fn resolve(written: &str, base: Option<&BaseUrl>) -> Result<Old, Refused> {
    let (path, query) = match written.split_once("://") {
        Some(_) => own_path(written, base)?,
        None => {
            let without_fragment = written.split('#').next().unwrap_or_default();
            match without_fragment.split_once('?') {
                Some((path, query)) => (path.to_string(), Some(query.to_string())),
                None => (without_fragment.to_string(), None),
            }
        }
    };
    match query {
        Some(query) => post_id(&path, &query).map(Old::PostId).ok_or_else(|| {
            Refused::Elsewhere(format!(
                "alias {written:?} has a query string, which cannot be a file: only `/?p=ID` is sent on \
                 (by the home page); redirect it on your host"
            ))
        }),
        None => page_path(&path).map_err(|why| Refused::Unsafe(format!("alias {written:?} {why}"))),
    }
}

/// The path (from the site's root) and query of an absolute URL on the
/// site's own host, under its folder.
fn own_path(written: &str, base: Option<&BaseUrl>) -> Result<(String, Option<String>), Refused> {
    let elsewhere = |why: &str| Refused::Elsewhere(format!("alias {written:?} {why}; no redirect written"));
    let url = url::Url::parse(written).map_err(|e| elsewhere(&format!("is not a URL ({e})")))?;
    let Some(base) = base.and_then(|b| url::Url::parse(b.as_str()).ok()) else {
        return Err(elsewhere("is a full URL, and without base_url in site.yaml its host cannot be told apart"));
    };
    // http and https alike: an old site often moved from one to the other.
    if url.host_str() != base.host_str() || url.port() != base.port() {
        return Err(elsewhere(&format!("is on another host than base_url ({})", base.as_str())));
    }
    let folder = base.path().trim_end_matches('/');
    let path = url.path().strip_prefix(folder).filter(|rest| rest.is_empty() || rest.starts_with('/'));
    let Some(path) = path else {
        return Err(elsewhere(&format!("is outside the site's folder ({})", base.as_str())));
    };
    Ok((path.to_string(), url.query().map(str::to_string)))
}

/// `p=ID` at the site's root (or `/index.php`): the ID.
fn post_id(path: &str, query: &str) -> Option<u64> {
    if !matches!(path.trim_matches('/'), "" | "index.php") {
        return None;
    }
    let id = query.strip_prefix("p=")?;
    id.bytes().all(|b| b.is_ascii_digit()).then(|| id.parse().ok()).flatten()
}

/// A path from the site's root as a file of the output: `.html` paths as
/// they are, others as a folder holding `index.html`.
fn page_path(path: &str) -> Result<Old, String> {
    let mut segments = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let segment = percent_decode_str(raw).decode_utf8().map_err(|_| "is not UTF-8 once decoded".to_string())?;
        if segment == "." || segment == ".." {
            return Err("climbs out of its folder (`.` or `..`): redirects are written only inside the output".into());
        }
        if segment.contains(['/', '\\', '<', '>', '"', '|', '*']) || segment.chars().any(char::is_control) {
            return Err("has a name no file may have (with / \\ < > \" | * or a control character)".into());
        }
        segments.push(segment.into_owned());
    }
    let joined = segments.join("/");
    let served: String = segments.iter().map(|s| format!("/{}", utf8_percent_encode(s, SERVED))).collect();
    let is_file = segments.last().is_some_and(|s| s.ends_with(".html") || s.ends_with(".htm"));
    Ok(if is_file {
        Old::Path { file: joined, served }
    } else {
        let file = if joined.is_empty() { "index.html".to_string() } else { format!("{joined}/index.html") };
        Old::Path { file, served: format!("{served}/") }
    })
}

impl Redirects {
    /// Read every alias of the archive's articles. `content` is the
    /// content folder as shown to the user (`content`).
    pub fn collect(archive: &Archive, base: Option<&BaseUrl>, content: &Path) -> Redirects {
        let mut redirects = Redirects { content: content.to_path_buf(), ..Redirects::default() };
        let mut ids: HashMap<u64, (usize, Place)> = HashMap::default();
        for (entry, e) in archive.entries.iter().enumerate() {
            for alias in &e.meta.aliases {
                redirects.read(archive, entry, alias, base, &mut ids);
            }
        }
        redirects.by_id = ids.into_iter().map(|(id, (entry, _))| (id, entry)).collect();
        redirects.by_id.sort_unstable();
        redirects
    }

    fn read(
        &mut self,
        archive: &Archive,
        entry: usize,
        alias: &Alias,
        base: Option<&BaseUrl>,
        ids: &mut HashMap<u64, (usize, Place)>,
    ) {
        let source = &archive.entries[entry].meta.source;
        match resolve(&alias.written, base) {
            Ok(Old::Path { file, served }) if file != archive.entries[entry].page.file() => {
                self.pages.push(Redirect { file, served, entry, place: alias.place })
            }
            Ok(Old::Path { .. }) => {}
            Ok(Old::PostId(id)) => match ids.get(&id) {
                Some(&(other, _)) if other == entry => {}
                Some(&(other, place)) => {
                    let message = format!(
                        "alias {:?} is also an alias of {}",
                        alias.written,
                        self.at(&archive.entries[other].meta.source, place)
                    );
                    self.problems.push(self.diagnostic(source, alias.place, message));
                }
                None => {
                    ids.insert(id, (entry, alias.place));
                }
            },
            Err(Refused::Unsafe(message)) => self.problems.push(self.diagnostic(source, alias.place, message)),
            Err(Refused::Elsewhere(message)) => {
                let at = self.diagnostic(source, alias.place, message);
                self.warnings.push(Finding::new(Kind::AliasNotRedirected, at))
            }
        }
    }

    /// The source file `source` (inside `content/`) as shown to the user.
    fn shown(&self, source: &str) -> PathBuf {
        self.content.join(source)
    }

    /// `content/a.md:3:5`, for a message naming another file.
    fn at(&self, source: &str, place: Place) -> String {
        format!("{}:{}:{}", self.shown(source).display(), place.line, place.col)
    }

    fn diagnostic(&self, source: &str, place: Place, message: String) -> Diagnostic {
        Diagnostic::at(self.shown(source), place.line as usize, place.col as usize, message)
    }
}

/// Add the redirect pages to the plan. Each alias must name a path no
/// other file of the output takes (a page, a generated file, a copy,
/// another alias), nor a folder where one of them is a file. Returns every
/// problem: the aliases' own and the collisions.
pub fn add(plan: &mut Plan, inputs: &Inputs<'_>) -> Vec<Diagnostic> {
    let (redirects, archive) = (inputs.redirects(), inputs.archive());
    let mut problems = redirects.problems.clone();
    let taken: HashMap<&str, usize> = plan.files.iter().enumerate().map(|(i, f)| (f.rel.as_str(), i)).collect();
    let mut aliased: HashMap<&str, &Redirect> = HashMap::default();
    let mut added = Vec::new();
    for (r, redirect) in redirects.pages.iter().enumerate() {
        let source = &archive.entries[redirect.entry].meta.source;
        let folder = redirect.file.strip_suffix("/index.html");
        let clash = taken.get(redirect.file.as_str()).or_else(|| folder.and_then(|f| taken.get(f)));
        let other = match (clash, aliased.get(redirect.file.as_str())) {
            // One article naming one old path twice (`/a` and `/a/`).
            (None, Some(first)) if first.entry == redirect.entry => continue,
            (Some(&i), _) => Some(owner(&plan.files[i], archive, redirects)),
            (None, Some(first)) => {
                Some(redirects.at(&archive.entries[first.entry].meta.source, first.place) + " (an alias too)")
            }
            (None, None) => None,
        };
        if let Some(other) = other {
            let message = format!("alias {} would stand where {other} goes: remove one of them", redirect.served);
            problems.push(redirects.diagnostic(source, redirect.place, message));
            continue;
        }
        aliased.insert(&redirect.file, redirect);
        let key = inputs.key(&PageInputs::Redirect(inputs.redirect(r)));
        added.push(Planned { rel: redirect.file.clone(), key: Some(key), job: Job::Redirect(r), dirty: true });
    }
    plan.files.extend(added);
    problems
}

/// Who makes a planned file, for a message: the article's source at its
/// headline, or the kind of page and its path.
fn owner(file: &Planned, archive: &Archive, redirects: &Redirects) -> String {
    match &file.job {
        Job::Article(i) => {
            let meta = &archive.entries[*i].meta;
            format!("the page of {}", redirects.at(&meta.source, meta.places.title))
        }
        Job::Listing(listing) => format!("the {} page {}", listing.kind.name(), file.rel),
        Job::Generated(_) => format!("the generated file {}", file.rel),
        Job::Copy(FileSource::File(path)) => format!("the file {}", path.display()),
        Job::Copy(FileSource::Embedded(_)) => format!("the theme's file {}", file.rel),
        Job::Redirect(_) => format!("the redirect {}", file.rel),
        Job::Photo(..) => format!("the photo variant {}", file.rel),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(file: &str, served: &str) -> Result<Old, Refused> {
        Ok(Old::Path { file: file.into(), served: served.into() })
    }

    #[test]
    fn paths_become_files_of_the_output() {
        assert_eq!(resolve("/archives/12", None), path("archives/12/index.html", "/archives/12/"));
        assert_eq!(resolve("/2019/05/quay/", None), path("2019/05/quay/index.html", "/2019/05/quay/"));
        assert_eq!(resolve("old/story.html#top", None), path("old/story.html", "/old/story.html"));
        assert_eq!(resolve("/caf%C3%A9 news/", None), path("café news/index.html", "/caf%C3%A9%20news/"));
    }

    #[test]
    fn post_ids_are_kept_apart() {
        assert_eq!(resolve("/?p=12", None), Ok(Old::PostId(12)));
        assert_eq!(resolve("/index.php?p=7", None), Ok(Old::PostId(7)));
        assert!(matches!(resolve("/?p=1</script>", None), Err(Refused::Elsewhere(_))));
        assert!(matches!(resolve("/story?id=3", None), Err(Refused::Elsewhere(_))));
    }

    #[test]
    fn full_urls_count_only_on_the_sites_own_host_and_folder() {
        let base = BaseUrl::parse("https://example.org/news/").unwrap();
        let base = Some(&base);
        assert_eq!(resolve("https://example.org/news/old/", base), path("old/index.html", "/old/"));
        assert_eq!(resolve("http://example.org/news/?p=4", base), Ok(Old::PostId(4)));
        for elsewhere in ["https://other.org/news/old/", "https://example.org/blog/old/", "https://example.org/x"] {
            assert!(matches!(resolve(elsewhere, base), Err(Refused::Elsewhere(_))), "{elsewhere}");
        }
        assert!(matches!(resolve("https://example.org/old/", None), Err(Refused::Elsewhere(_))));
    }

    #[test]
    fn climbing_out_is_refused() {
        for bad in ["/../etc/passwd", "/a/%2e%2e/%2E%2E/b/", "/a/%2Fb/", "/a\\b/", "/./x/", "/x\"><script>/"] {
            assert!(matches!(resolve(bad, None), Err(Refused::Unsafe(_))), "{bad}");
        }
    }
}
