//! Errors and located diagnostics, shared by every phase.
//!
//! A [`Diagnostic`] is one problem in one input file, printed as
//! `path:line:col: message` so editors and terminals can jump to it. Phases
//! collect every diagnostic they find and fail once at the end, so a user
//! sees all the bad files of an archive in one run.

use std::fmt;

use serde::Serialize;
use std::io;
use std::path::{Path, PathBuf};

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The file, as the user would type it (relative to the site root when possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    /// What is wrong, in words a writer understands.
    pub message: String,
}

impl Diagnostic {
    /// A problem at a position in a file.
    pub fn at(path: impl Into<PathBuf>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self { path: path.into(), line, col, message: message.into() }
    }

    /// A problem with a whole file (reported at 1:1, where editors open it).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::at(path, 1, 1, message)
    }

    /// Another problem at the same place.
    pub fn with(self, message: impl Into<String>) -> Self {
        Diagnostic { message: message.into(), ..self }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// What a finding is about (`kind` in JSON output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `site.yaml` is invalid.
    Config,
    /// An article (or a file under `content/`) cannot be loaded.
    Load,
    /// The build failed (a template error, two pages at one URL…).
    Build,
    /// A link or asset reference of the built site leads nowhere.
    BrokenLink,
    /// A root-absolute link (`/about/`), which breaks `file://` and sub-paths.
    AbsoluteLink,
    /// No byline.
    MissingByline,
    /// The date is not in the `YYYY/MM` folder the file is in.
    DateFolder,
    /// The date is not the one in the file name (`2025-12-03-slug.md`).
    DateFileName,
    /// Another article has the same headline on the same day.
    DuplicateHeadline,
    /// The article has no text.
    EmptyBody,
    /// The article is dated in the future.
    FutureDate,
    /// One author is bylined in two spellings.
    AuthorSpelling,
    /// A section or tag with no letters or digits (it is dropped).
    EmptyTopic,
    /// A section, tag or place written two ways, filed as one.
    TopicSpelling,
    /// The lead image is in a format link previews do not show (SVG).
    PreviewImage,
    /// The lead image has no alt text (`image: {src, alt}`).
    MissingAlt,
    /// The last build of the output stopped before it finished.
    InterruptedBuild,
    /// The file holds NUL bytes (removed, but the file may be damaged).
    NulBytes,
    /// The site has no base URL, so feeds, sitemaps and canonical links
    /// were left out.
    NoBaseUrl,
    /// More recent stories than the Google News sitemap takes.
    NewsSitemapFull,
    /// An old address (`aliases`) gets no redirect: on another host, or a
    /// query string the site cannot answer.
    AliasNotRedirected,
}

/// One problem found, with what it is about: a warning of `build` and
/// `serve`, or a warning or error of `check`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// What kind of problem.
    pub kind: Kind,
    /// Where and what (an empty path: the site as a whole).
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// A finding of `kind`.
    pub fn new(kind: Kind, diagnostic: Diagnostic) -> Self {
        Finding { kind, diagnostic }
    }

    /// A finding about the site as a whole, not one file.
    pub fn site(kind: Kind, message: impl Into<String>) -> Self {
        Finding::new(kind, Diagnostic::at("", 0, 0, message))
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.diagnostic.path.as_os_str().is_empty() {
            f.write_str(&self.diagnostic.message)
        } else {
            self.diagnostic.fmt(f)
        }
    }
}

/// `{path, line, column, message, kind}`; `path` is null for the site as a
/// whole, `line` and `column` are 0 when unknown.
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = &self.diagnostic;
        let path = d.path.to_str().filter(|p| !p.is_empty()).map(|p| p.replace('\\', "/"));
        let mut out = s.serialize_struct("Finding", 5)?;
        out.serialize_field("path", &path)?;
        out.serialize_field("line", &d.line)?;
        out.serialize_field("column", &d.col)?;
        out.serialize_field("message", &d.message)?;
        out.serialize_field("kind", &self.kind)?;
        out.end()
    }
}

/// A problem at a position in some text, before it is tied to a file:
/// what the parsers of one format (wire, front matter, fields) return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

impl Located {
    /// A problem at a line and column.
    pub fn new(line: usize, col: usize, message: impl Into<String>) -> Self {
        Located { line, col, message: message.into() }
    }

    /// The same problem, in the file `path`.
    pub fn in_file(self, path: &Path) -> Diagnostic {
        Diagnostic::at(path, self.line, self.col, self.message)
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed; the path says which.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: io::Error,
    },
    /// One or more input files (articles, `site.yaml`, templates) are invalid.
    #[error("{}", list(.0))]
    Input(Vec<Diagnostic>),
    /// The site cannot be built as it is (no `content/` folder, a file
    /// where a page must go…).
    #[error("{0}")]
    Site(String),
    /// The command was asked to do something unsafe or impossible
    /// (a bad option value, an output folder it must not replace).
    #[error("{0}")]
    Usage(String),
}

fn list(diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

impl Error {
    /// Attach a path to an I/O error.
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        Error::Io { path: path.as_ref().to_path_buf(), source }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(vec![d])
    }
}

/// The result type of the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Diagnostics in the order of their files, lines and columns (a report
/// reads file by file), each once.
pub fn by_file(mut list: Vec<Diagnostic>) -> Vec<Diagnostic> {
    list.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    list.dedup();
    list
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_path_line_col() {
        let d = Diagnostic::at("content/a.md", 3, 7, "missing title");
        assert_eq!(d.to_string(), "content/a.md:3:7: missing title");
    }

    #[test]
    fn line_col_counts_lines_and_chars() {
        let text = "ab\ncé\nxyz";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, 6), (2, 3));
        assert_eq!(line_col(text, 8), (3, 2));
        assert_eq!(line_col(text, 999), (3, 4));
    }
}
