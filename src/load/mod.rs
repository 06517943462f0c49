//! Load phase: `content/` in, typed articles and asset files out.
//!
//! Input: the content folder. [`discover`] walks it (sorted, hidden files
//! skipped) and sorts files into articles (`.txt` wire copy, `.md` /
//! `.markdown` with front matter) and assets (everything else, copied
//! as is). [`read_article`] turns one article file into an [`Article`], or
//! into every [`Diagnostic`] it has, each with file, line and column.

pub mod article;
pub mod date;
pub mod front_matter;
mod nesting;
pub(crate) mod simple_yaml;
pub mod wire;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use article::{
    Alias, Article, ArticleMeta, Author, Correction, Extra, ImageText, LoadOptions, Place, Stamp, Summary,
};
pub use date::ArticleDate;

/// The version of the rules that read an article's metadata. Articles are
/// kept between builds as loaded, by their source and these rules: a
/// change to what any article's metadata becomes must raise it, or the
/// next build would keep articles read the old way.
/// 1: a list's items are never split at commas (`tags: ["Washington, D.C."]`).
pub const RULES: u32 = 1;

use crate::error::{Diagnostic, Error, Finding, Kind, Located, Result};
use crate::fsx;
use crate::keys;
use crate::path_index::PathIndex;
use crate::search;

/// What a file under `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Plain-text wire copy (`.txt`).
    Wire,
    /// Markdown with front matter (`.md`, `.markdown`).
    Markdown,
    /// Anything else: copied to the output under the same path.
    Asset,
}

/// One file found under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Path inside `content/`, with `/` separators (also the asset's output path).
    pub rel: String,
    /// Where the file is on disk.
    pub path: PathBuf,
    /// How to treat it.
    pub kind: SourceKind,
}

impl Source {
    /// Is this an article (as opposed to an asset)?
    pub fn is_article(&self) -> bool {
        self.kind != SourceKind::Asset
    }
}

/// What [`discover`] found under `content/`.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Every usable file, sorted by path.
    pub sources: Vec<Source>,
    /// Entries that could not be used, each with its reason.
    pub unusable: Vec<(PathBuf, String)>,
}

/// Every file under `content`, sorted by path, and the entries that could
/// not be used. Hidden files and folders (`.git`, `.DS_Store`) are skipped.
pub fn discover(content: &Path) -> Result<Discovered> {
    if !content.is_dir() {
        return Err(Error::Site(format!(
            "{}: no such folder; put articles (.txt or .md) in content/",
            content.display()
        )));
    }
    let walked = fsx::walk_files(content, fsx::Hidden::Skip);
    // Profiles (`authors/*.yaml`, `sections/`, `tags/`, `places/`) are
    // configuration, not content.
    let is_profile = |rel: &str| {
        ["authors/", "sections/", "tags/", "places/"].iter().any(|folder| {
            rel.strip_prefix(folder)
                .is_some_and(|name| !name.contains('/') && (name.ends_with(".yaml") || name.ends_with(".yml")))
        })
    };
    let sources = walked
        .files
        .into_iter()
        .filter(|(rel, _)| !is_profile(rel))
        .map(|(rel, path)| Source { kind: kind_of(&rel), rel, path })
        .collect();
    Ok(Discovered { sources, unusable: walked.problems })
}

/// The previous build's articles (those that loaded without errors), as
/// the build state stored them, each found by the path of its source
/// inside `content/`. The
/// index holds positions, not paths: no second copy of each path.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    metas: Vec<ArticleMeta>,
    index: PathIndex,
}

impl Sources {
    /// A table of these articles (as the build state stores them).
    pub fn new(metas: Vec<ArticleMeta>) -> Sources {
        let index = PathIndex::new(metas.len(), |i| &metas[i].source);
        Sources { metas, index }
    }

    /// Number the articles' search terms as this process does (`map`:
    /// each number they were stored with → this process's); `None`, the
    /// articles as they were, when one has a number `map` lacks.
    pub fn renumber_terms(&mut self, map: &[u32]) -> Option<()> {
        let renumbered: Option<Vec<Option<search::DocTerms>>> = self
            .metas
            .par_iter()
            .map(|meta| meta.terms.as_ref().map_or(Some(None), |terms| terms.renumbered(map).map(Some)))
            .collect();
        for (meta, terms) in self.metas.iter_mut().zip(renumbered?) {
            meta.terms = terms;
        }
        Some(())
    }

    /// Where the article whose source is at `path` sits, for [`Sources::at`]
    /// and in the list [`Sources::take`] returns.
    pub fn find(&self, path: &str) -> Option<usize> {
        self.index.find(path, |i| &self.metas[i].source)
    }

    /// The article at a place [`Sources::find`] gave.
    pub fn at(&self, index: usize) -> Option<&ArticleMeta> {
        self.metas.get(index)
    }

    /// Take every article out, in stored order (the places
    /// [`Sources::find`] gave), leaving the table empty: the load phase
    /// updates the list in place rather than copying it.
    pub fn take(&mut self) -> Vec<ArticleMeta> {
        self.index = PathIndex::default();
        std::mem::take(&mut self.metas)
    }
}

/// Every article loaded, from the files or from the previous build.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The metadata of every article that loaded without errors, each
    /// stamped with the file it came from.
    pub metas: Vec<ArticleMeta>,
    /// Every problem found, each with its file and line.
    pub problems: Vec<Diagnostic>,
    /// How many files had to be read and parsed (the rest were unchanged).
    pub parsed: usize,
    /// Sources that were read (new, edited, touched or unreadable): their
    /// records in the build state change. Empty without a previous build,
    /// when every record is new.
    pub refreshed: Vec<String>,
    /// Sources the previous build loaded that are now gone or failing:
    /// their records leave the build state.
    pub dropped: Vec<String>,
    /// Sources the previous build did not have (new, or renamed). Empty
    /// without a previous build.
    pub added: Vec<String>,
    /// The articles read again whose content changed, as the previous
    /// build had them (to tell what an edit changed: see
    /// [`crate::plan::related`]). Empty without a previous build.
    pub replaced: Vec<ArticleMeta>,
    /// What the files read had that did not stop them (NUL bytes); the
    /// files not read again say nothing (`gazette check` reads every one).
    pub warnings: Vec<Finding>,
}

/// Load every article, in parallel. With the previous build's records, an
/// article whose size and modification time are unchanged is not read at
/// all, and one whose content hash is unchanged is not parsed again.
///
/// `valid_before_ns` is when the previous build started: a file modified
/// after that is always read, because an edit made while that build was
/// reading it may not have moved its modification time.
pub fn load_all(
    sources: &[&Source],
    previous: Option<&mut Sources>,
    valid_before_ns: i128,
    display: &(dyn Fn(&Path) -> PathBuf + Sync),
    opts: &LoadOptions,
) -> Loaded {
    enum Outcome {
        /// Same size and modification time: not even read. (Where its
        /// record sits in the previous build's table.)
        Unchanged(usize),
        /// Read again (its time moved), but the content is the same.
        Same(Stamp, usize),
        /// Read and parsed: new, or changed (where its old record sits).
        Read(Stamp, Option<usize>, Box<Parsed>),
        Unreadable(Diagnostic),
    }
    let previous_ref = previous.as_deref();
    let outcomes: Vec<Outcome> = sources
        .par_iter()
        .map(|source| {
            let metadata = match std::fs::metadata(&source.path) {
                Ok(m) => m,
                Err(e) => return Outcome::Unreadable(Diagnostic::at(display(&source.path), 0, 0, e.to_string())),
            };
            let (size, mtime_ns) = (metadata.len(), fsx::mtime_ns(&metadata));
            let found = previous_ref.and_then(|p| Some((p.find(&source.rel)?, p)));
            let cached = found.and_then(|(at, p)| Some((at, p.at(at)?)));
            if let Some((at, meta)) = cached
                && meta.stamp.size == size
                && meta.stamp.mtime_ns == mtime_ns
                && mtime_ns < valid_before_ns
            {
                return Outcome::Unchanged(at);
            }
            let bytes = match fsx::read(&source.path) {
                Ok(b) => b,
                Err(e) => return Outcome::Unreadable(Diagnostic::at(display(&source.path), 0, 0, e.to_string())),
            };
            let stamp = Stamp { size, mtime_ns, hash: keys::of_bytes(&bytes) };
            if let Some((at, meta)) = cached
                && meta.stamp.hash == stamp.hash
            {
                return Outcome::Same(stamp, at);
            }
            let shown = display(&source.path);
            let parsed = parse_article(source, &bytes, &shown, opts).map(|a| with_terms(a, opts));
            let warning = parsed.is_ok().then(|| nul_warning(&bytes, &shown)).flatten();
            Outcome::Read(stamp, cached.map(|(at, _)| at), Box::new(Parsed { result: parsed, warning }))
        })
        .collect();
    if opts.search.is_some() {
        // Tokenized: the words each thread remembers are not needed again.
        rayon::broadcast(|_| search::forget_words());
    }

    // The previous build's articles are updated in place, not copied: for
    // a big archive that list is tens of megabytes. New articles go after
    // them; the archive does not depend on the order.
    let had_previous = previous.is_some();
    let mut metas = previous.map(Sources::take).unwrap_or_default();
    let mut kept = vec![false; metas.len()];
    let mut loaded = Loaded::default();
    let new = outcomes.iter().filter(|o| matches!(o, Outcome::Read(_, None, _))).count();
    let mut added = Vec::with_capacity(new);
    for (source, outcome) in sources.iter().zip(outcomes) {
        if had_previous && !matches!(outcome, Outcome::Unchanged(_)) {
            loaded.refreshed.push(source.rel.clone());
        }
        match outcome {
            Outcome::Unchanged(at) => kept[at] = true,
            Outcome::Same(stamp, at) => {
                metas[at].stamp = stamp;
                kept[at] = true;
            }
            Outcome::Read(stamp, at, read) => {
                loaded.parsed += 1;
                let Parsed { result, warning } = *read;
                loaded.warnings.extend(warning.map(|w| Finding::new(Kind::NulBytes, w)));
                match (result, at) {
                    (Ok(meta), Some(at)) => {
                        loaded.replaced.push(std::mem::replace(&mut metas[at], ArticleMeta { stamp, ..meta }));
                        kept[at] = true;
                    }
                    (Ok(meta), None) => {
                        if had_previous {
                            loaded.added.push(source.rel.clone());
                        }
                        added.push(ArticleMeta { stamp, ..meta });
                    }
                    (Err(problems), _) => loaded.problems.extend(problems),
                }
            }
            Outcome::Unreadable(problem) => loaded.problems.push(problem),
        }
    }
    let mut kept = kept.into_iter();
    metas.retain(|meta| {
        let keep = kept.next().unwrap_or(false);
        if !keep {
            loaded.dropped.push(meta.source.clone());
        }
        keep
    });
    if metas.is_empty() {
        loaded.metas = added;
    } else {
        metas.append(&mut added);
        loaded.metas = metas;
    }
    loaded
}

/// An article's metadata, trimmed to size, with its search terms when the
/// site has search.
fn with_terms(article: Article, opts: &LoadOptions) -> ArticleMeta {
    let mut meta = article.meta;
    meta.shrink_to_fit();
    let Some(language) = &opts.search else { return meta };
    let terms = search_terms(&meta, &article.body, &search::Language::from_tag(language));
    ArticleMeta { terms: Some(terms), ..meta }
}

/// What search indexes of an article: its headline, the standfirst its
/// writer gave, byline, dateline and body.
pub fn search_terms(meta: &ArticleMeta, body: &str, language: &search::Language) -> search::DocTerms {
    let byline: Vec<&str> = meta.authors.iter().map(|a| a.name.as_str()).collect();
    let document = search::Document {
        headline: &meta.title,
        standfirst: if meta.summary.written { &meta.summary.text } else { "" },
        byline: &byline,
        dateline: meta.location.as_deref().unwrap_or_default(),
        body,
    };
    search::terms_of(&document, language)
}

/// A file read and parsed: its metadata or its problems, and a warning
/// about it (NUL bytes).
struct Parsed {
    result: Result<ArticleMeta, Vec<Diagnostic>>,
    warning: Option<Diagnostic>,
}

/// Is a file at this path an article (by its extension)?
pub fn is_article_path(path: &str) -> bool {
    kind_of(path) != SourceKind::Asset
}

/// What a file is, by the extension of its `/`-separated path (read from
/// the text: taking a `Path` apart costs more than the rest of the walk).
pub fn kind_of(path: &str) -> SourceKind {
    let name = path.rsplit('/').next().unwrap_or(path);
    // As `Path::extension` reads it: none for `.md`, a hidden file's name.
    let extension = name.rsplit_once('.').filter(|(stem, _)| !stem.is_empty()).map_or("", |(_, e)| e);
    let is = |name: &str| extension.eq_ignore_ascii_case(name);
    if is("txt") {
        SourceKind::Wire
    } else if is("md") || is("markdown") {
        SourceKind::Markdown
    } else {
        SourceKind::Asset
    }
}

/// Read and parse one article file. `display` is how to name the file in
/// messages. Every problem found is returned, not just the first.
pub fn read_article(source: &Source, display: &Path, opts: &LoadOptions) -> Result<Article, Vec<Diagnostic>> {
    let bytes = fsx::read(&source.path).map_err(|e| vec![Diagnostic::file(display, e.to_string())])?;
    parse_article(source, &bytes, display, opts)
}

/// Read a file as article text (checked and cleaned as [`decode`] does),
/// for commands that look at an article's lines.
pub fn read_text(path: &Path, display: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = fsx::read(path).map_err(|e| vec![Diagnostic::file(display, e.to_string())])?;
    Ok(decode(&bytes, display)?.into_owned())
}

/// Remove control characters (other than tab and line ends): they are
/// invisible, invalid in XML feeds and flagged by HTML validators, and
/// only ever reach copy by accident (pasted from old wire systems).
pub fn without_control_chars(text: &str) -> std::borrow::Cow<'_, str> {
    strip_controls(text, Scan::of(text).controls)
}

/// What one byte scan of a text finds. Most text has neither, so the
/// character-by-character work runs only when the scan says it may be needed.
struct Scan {
    /// C0 controls (but tab and line ends), DEL, or the lead byte 0xC2 that
    /// C1 controls (U+0080–U+009F) share with other characters.
    controls: bool,
    /// A carriage return.
    cr: bool,
}

impl Scan {
    fn of(text: &str) -> Scan {
        // Folded without an early exit, so the compiler can vectorize it.
        let found = text.bytes().fold(0u8, |acc, b| {
            let control = ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0x7f) | (b == 0xc2);
            acc | u8::from(control) | (u8::from(b == b'\r') << 1)
        });
        Scan { controls: found & 1 != 0, cr: found & 2 != 0 }
    }
}

/// [`without_control_chars`], told by a [`Scan`] whether there may be any.
fn strip_controls(text: &str, suspect: bool) -> std::borrow::Cow<'_, str> {
    let unwanted = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if suspect && text.chars().any(unwanted) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !unwanted(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Article bytes as text: UTF-8 checked (a bad byte is reported at its
/// line), BOM removed, control characters dropped, lone-CR line ends made
/// ordinary. Empty text is an error.
pub fn decode<'b>(bytes: &'b [u8], display: &Path) -> Result<std::borrow::Cow<'b, str>, Vec<Diagnostic>> {
    let at = |line: usize, col: usize, message: String| Diagnostic::at(display, line, col, message);
    if let Some(encoding) = utf16(bytes) {
        return Err(vec![at(1, 1, format!("this file is {encoding}, not UTF-8: save it as UTF-8"))]);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let (line, col) = crate::error::line_col(std::str::from_utf8(valid).unwrap_or_default(), valid.len());
        let byte = bytes.get(e.valid_up_to()).copied().unwrap_or_default();
        vec![at(line, col, format!("invalid UTF-8 (byte 0x{byte:02x}): save the file as UTF-8"))]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let scan = Scan::of(text);
    let mut text = strip_controls(text, scan.controls);
    // Old Mac files end lines with a lone CR; make them ordinary lines so
    // line numbers in messages are right.
    if scan.cr && text.replace("\r\n", "").contains('\r') {
        text = std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
    if text.trim().is_empty() {
        return Err(vec![at(1, 1, "empty file".into())]);
    }
    Ok(text)
}

/// The UTF-16 (or UTF-32) encoding of `bytes`, if they are in one: by its
/// byte-order mark, or, without one, by the zero bytes that UTF-16 puts
/// beside every ASCII letter.
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xff, 0xfe, 0, 0, ..] => return Some("UTF-32 (little-endian)"),
        [0, 0, 0xfe, 0xff, ..] => return Some("UTF-32 (big-endian)"),
        [0xff, 0xfe, ..] => return Some("UTF-16 (little-endian)"),
        [0xfe, 0xff, ..] => return Some("UTF-16 (big-endian)"),
        _ => {}
    }
    // (Text in UTF-16 has a zero byte in its first few letters, unless they
    // are all outside ASCII, which this does not try to catch.)
    if !bytes[..bytes.len().min(64)].contains(&0) {
        return None;
    }
    let start = &bytes[..bytes.len().min(512)];
    let zeros = |parity: usize| start.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let (even, odd, half) = (zeros(0), zeros(1), start.len() / 2);
    match () {
        () if half >= 4 && odd * 10 >= half * 4 && even * 20 < half => {
            Some("UTF-16 (little-endian, no byte-order mark)")
        }
        () if half >= 4 && even * 10 >= half * 4 && odd * 20 < half => Some("UTF-16 (big-endian, no byte-order mark)"),
        () => None,
    }
}

/// A warning for NUL bytes in an article (they are removed with the other
/// control characters, but a file holding them may be damaged), at the
/// first one.
pub fn nul_warning(bytes: &[u8], display: &Path) -> Option<Diagnostic> {
    // (`contains` on bytes is a vectorized search: almost every file is clean.)
    if !bytes.contains(&0) {
        return None;
    }
    let first = bytes.iter().position(|&b| b == 0)?;
    let count = bytes[first..].iter().filter(|&&b| b == 0).count();
    let before = String::from_utf8_lossy(&bytes[..first]);
    let (line, col) = crate::error::line_col(&before, before.len());
    let what = if count == 1 { "a NUL byte".to_string() } else { format!("{count} NUL bytes (the first here)") };
    Some(Diagnostic::at(
        display,
        line,
        col,
        format!("{what} removed: the file may be damaged, or not plain text; check it"),
    ))
}

/// A wire copy problem in a file a site keeps at its root under a `.txt`
/// name but that is no story (`robots.txt`, `ads.txt`…), with where that
/// file goes instead.
fn root_file_hint(rel: &str, mut problem: Located) -> Located {
    if matches!(rel, "robots.txt" | "ads.txt" | "app-ads.txt" | "humans.txt" | "security.txt" | "llms.txt") {
        problem.message.push_str(&format!(
            " (every .txt file in content/ is a story in wire copy: the site's own {rel} goes in static/, beside site.yaml)"
        ));
    }
    problem
}

/// Parse article bytes (the file's whole content).
pub fn parse_article(
    source: &Source,
    bytes: &[u8],
    display: &Path,
    opts: &LoadOptions,
) -> Result<Article, Vec<Diagnostic>> {
    let text = decode(bytes, display)?;
    let in_file = |errors: Vec<Located>| errors.into_iter().map(|e| e.in_file(display)).collect::<Vec<_>>();
    let max = opts.limits.front_matter_bytes();
    match source.kind {
        SourceKind::Wire => {
            let story = wire::parse(&text, opts.timezone).map_err(|e| in_file(vec![root_file_hint(&source.rel, e)]))?;
            let header: usize = text.split_inclusive('\n').take(story.date_line).map(str::len).sum();
            if header > max {
                return Err(in_file(vec![too_big(&text, 0, max, "the headline, byline and dateline pass")]));
            }
            article::from_wire(&source.rel, story, opts).map_err(in_file)
        }
        SourceKind::Markdown => {
            let split = front_matter::split(&text).map_err(|e| in_file(vec![e]))?;
            if split.front.len() > max {
                return Err(in_file(vec![too_big(split.front, split.front_line - 1, max, "the front matter passes")]));
            }
            let map = front_matter::parse(&split).map_err(|e| in_file(vec![e]))?;
            article::from_front_matter(&source.rel, &split, map, opts).map_err(in_file)
        }
        SourceKind::Asset => Err(vec![Diagnostic::at(display, 1, 1, "not an article (assets are copied, not parsed)")]),
    }
}

/// Where the metadata at the start of `text` (whose first line is line
/// `lines_before + 1` of its file) passes `max` bytes: listing pages repeat
/// headlines, bylines and summaries, so their size is limited.
fn too_big(text: &str, lines_before: usize, max: usize, what: &str) -> Located {
    let (line, col) = crate::error::line_col(text, max);
    Located::new(
        lines_before + line,
        col,
        format!(
            "{what} {} KB here (limits.front_matter_kb in site.yaml): headlines, bylines and summaries \
             are repeated on every listing page",
            max / 1024
        ),
    )
}

/// An article's body, read again to render its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The body as Markdown (wire bodies escaped into Markdown), after
    /// `start` bytes of what came before it in the file.
    text: String,
    start: usize,
    /// Where it starts when it is not the file's own lines (wire copy is
    /// rebuilt from the story's lines): its problems are placed there.
    rebuilt_at: Option<usize>,
}

impl Body {
    /// A body given as text, as if it were a whole file.
    pub fn new(text: String) -> Body {
        Body { text, start: 0, rebuilt_at: None }
    }

    /// The body's Markdown.
    pub fn text(&self) -> &str {
        &self.text[self.start..]
    }

    /// The line and column in the file of a byte offset in the body.
    /// (Counted only when asked: only problems need it.)
    pub fn place(&self, offset: usize) -> (usize, usize) {
        match self.rebuilt_at {
            Some(line) => (line, 1),
            None => crate::error::line_col(&self.text, self.start + offset),
        }
    }
}

/// Read an article's body again, to render its page (its metadata was
/// kept from the first read; the front matter is not parsed again).
pub fn read_body(source: &Source, display: &Path, opts: &LoadOptions) -> Result<Body, Vec<Diagnostic>> {
    let bytes = fsx::read(&source.path).map_err(|e| vec![Diagnostic::file(display, e.to_string())])?;
    let text = decode(&bytes, display)?;
    let located = |e: Located| vec![e.in_file(display)];
    match source.kind {
        SourceKind::Wire => {
            let story = wire::parse(&text, opts.timezone).map_err(located)?;
            Ok(Body { text: story.body, start: 0, rebuilt_at: Some(story.date_line + 1) })
        }
        SourceKind::Markdown => {
            let start = text.len() - front_matter::split(&text).map_err(located)?.body.len();
            Ok(Body { text: text.into_owned(), start, rebuilt_at: None })
        }
        SourceKind::Asset => Err(vec![Diagnostic::at(display, 1, 1, "not an article")]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use article::{Place, Places};
    use chrono::FixedOffset;

    fn opts() -> LoadOptions {
        LoadOptions {
            timezone: FixedOffset::east_opt(0).unwrap(),
            byline_separators: vec![" & ".into(), " and ".into(), ", ".into()],
            known_authors: Default::default(),
            limits: Default::default(),
            search: None,
            keep_extra: true,
        }
    }

    fn parse(rel: &str, bytes: &[u8]) -> Result<Article, Vec<Diagnostic>> {
        let kind = if rel.ends_with(".txt") { SourceKind::Wire } else { SourceKind::Markdown };
        let source = Source { rel: rel.into(), path: PathBuf::from(rel), kind };
        parse_article(&source, bytes, Path::new(rel), &opts())
    }

    #[test]
    fn the_extension_decides_the_kind_whatever_its_case() {
        assert_eq!(kind_of("2025/12/STORY.TXT"), SourceKind::Wire);
        assert_eq!(kind_of("a.Md"), SourceKind::Markdown);
        assert_eq!(kind_of("a.markdown"), SourceKind::Markdown);
        assert_eq!(kind_of("photo.png"), SourceKind::Asset);
        assert_eq!(kind_of("archive"), SourceKind::Asset);
        assert_eq!(kind_of("notes.txt.bak"), SourceKind::Asset);
        // The file's own extension, as `Path` reads it: a folder's does not count.
        assert_eq!(kind_of("2025.md/notes"), SourceKind::Asset);
        assert_eq!(kind_of("drafts/.md"), SourceKind::Asset);
        assert_eq!(kind_of("drafts/..md"), SourceKind::Markdown);
    }

    #[test]
    fn utf16_files_are_named_and_nul_bytes_found() {
        let utf16 = |text: &str, big: bool, bom: bool| -> Vec<u8> {
            let units = text.encode_utf16().flat_map(|u| if big { u.to_be_bytes() } else { u.to_le_bytes() });
            let mark: &[u8] = match (bom, big) {
                (false, _) => &[],
                (true, false) => &[0xff, 0xfe],
                (true, true) => &[0xfe, 0xff],
            };
            mark.iter().copied().chain(units).collect()
        };
        let story = "Headline\n- Ann Lee\n- 2025-12-03\nBody.\n";
        let message = |bytes: Vec<u8>| parse("a.txt", &bytes).unwrap_err()[0].to_string();
        assert_eq!(
            message(utf16(story, false, true)),
            "a.txt:1:1: this file is UTF-16 (little-endian), not UTF-8: save it as UTF-8"
        );
        assert_eq!(
            message(utf16(story, true, true)),
            "a.txt:1:1: this file is UTF-16 (big-endian), not UTF-8: save it as UTF-8"
        );
        assert!(message(utf16(story, false, false)).contains("UTF-16 (little-endian, no byte-order mark)"));
        assert!(message(utf16(story, true, false)).contains("UTF-16 (big-endian, no byte-order mark)"));
        let nul = b"Headline\n- Ann Lee\n- 2025-12-03\nBo\0dy.\0\n";
        assert_eq!(parse("a.txt", nul).unwrap().body, "Body.");
        let warning = nul_warning(nul, Path::new("a.txt")).unwrap().to_string();
        assert_eq!(
            warning,
            "a.txt:4:3: 2 NUL bytes (the first here) removed: the file may be damaged, or not plain text; check it"
        );
        assert_eq!(nul_warning(b"clean", Path::new("a.txt")), None);
    }

    #[test]
    fn bom_and_crlf_are_handled_in_both_formats() {
        let wire = parse("a.txt", b"\xef\xbb\xbfHeadline\r\n- Ann Lee\r\n- Kyiv\r\n- 2025-12-03\r\nBody.\r\n").unwrap();
        assert_eq!(wire.meta.title, "Headline");
        assert_eq!(wire.meta.location.as_deref(), Some("Kyiv"));
        assert_eq!(wire.body, "Body.");
        let md = parse("a.md", b"\xef\xbb\xbf---\r\ntitle: T\r\ndate: 2025-12-03\r\n---\r\nBody.\r\n").unwrap();
        assert_eq!(md.meta.title, "T");
        assert_eq!(md.body.trim(), "Body.");
    }

    #[test]
    fn where_each_part_is_written_is_recorded_at_load() {
        let pairs = |p: &Places| [p.title, p.byline, p.date, p.image, p.body].map(Place::pair);
        let names = |p: &Places| p.names.iter().map(|n| n.pair()).collect::<Vec<_>>();
        let wire = parse("a.txt", b"\nHeadline\n- Ann Lee & Bo Chen\n- Kyiv\n- 2025-12-03\nBody\n").unwrap();
        assert_eq!(pairs(&wire.meta.places), [(2, 1), (3, 3), (5, 3), (2, 1), (6, 1)]);
        assert_eq!(names(&wire.meta.places), [(3, 3), (3, 13)]);
        let md = "---\ntitle: T\ndate: 2025-12-03\nimage: a.png\nauthors:\n  - Ann Lee\n  - Bo\n---\nBody\n";
        let md = parse("a.md", md.as_bytes()).unwrap();
        assert_eq!(pairs(&md.meta.places), [(2, 8), (5, 9), (3, 7), (4, 8), (9, 1)]);
        assert_eq!(names(&md.meta.places), [(6, 5), (7, 5)]);
        assert!(md.meta.has_text);
        let empty = parse("b.md", b"---\ntitle: T\ndate: 2025-12-03\n---\n\n").unwrap();
        assert!(!empty.meta.has_text);
    }

    /// Arbitrary and mutated inputs never panic the loader: they load or
    /// give located errors.
    #[test]
    fn no_input_panics_the_loader() {
        let seeds: [&[u8]; 4] = [
            b"Headline\n- Ann Lee & Bo Chen\n- Kyiv\n- Dec. 3, 2025, 2:30 p.m. EST\n#1 body\n* two\n",
            b"---\ntitle: \"T\"\ndate: 2025-12-31T23:30:00-05:00\nauthors: [A, B]\ntags: x\nslug: ../y\n---\nBody [l](a.png)\n",
            b"+++\ntitle = 'T'\ndate = 2025-12-03T10:00:00Z\n[extra]\nk = 1\n+++\nBody\n",
            "Заголовок\n- Олена Шевченко\n- Київ\n- 3 грудня 2025\nТекст.\n".as_bytes(),
        ];
        let mut next = crate::testing::xorshift();
        let specials: &[u8] = b"-:\n\r+#*[]{}\"'\\ 0123456789T\xff\xef\xbb\xbf\xd0";
        for round in 0..4000 {
            let mut bytes = seeds[round % seeds.len()].to_vec();
            for _ in 0..(next() % 6 + 1) {
                let at = (next() as usize) % (bytes.len() + 1);
                match next() % 4 {
                    0 if !bytes.is_empty() => {
                        bytes.remove(at.min(bytes.len() - 1));
                    }
                    1 => bytes.insert(at, specials[(next() as usize) % specials.len()]),
                    2 => bytes.truncate(at),
                    _ => bytes.insert(at, (next() % 256) as u8),
                }
            }
            for rel in ["x.txt", "x.md"] {
                if let Err(errors) = parse(rel, &bytes) {
                    assert!(!errors.is_empty());
                    assert!(errors.iter().all(|e| e.line >= 1), "{errors:?}");
                }
            }
        }
    }
}
