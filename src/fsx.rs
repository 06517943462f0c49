//! File-system helpers that attach the path to every I/O error.
//!
//! Used by every phase that touches the disk, so that no error ever reaches
//! the user as a bare "No such file or directory".

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};

/// Read a whole file as bytes.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| Error::io(path, e))
}

/// Read a file that may be absent: `Ok(None)` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Create a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    fault::point(path)?;
    fs::create_dir_all(path).map_err(|e| Error::io(path, e))
}

/// Create one folder, whose parent exists. `Ok(false)` when it already
/// exists as a folder.
pub fn create_dir(path: &Path) -> Result<bool> {
    fault::point(path)?;
    match fs::create_dir(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => Ok(false),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Write bytes to a file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fault::point(path)?;
    fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Write bytes to a file whose folder exists (or, if it does not, create
/// its parents first): the common case costs one system call less.
pub fn write_in_place(path: &Path, bytes: &[u8]) -> Result<()> {
    fault::point(path)?;
    match fs::write(path, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => write(path, bytes),
        other => other.map_err(|e| Error::io(path, e)),
    }
}

/// Write a small file so that it is on disk before this returns: through
/// a temporary file beside it, flushed, then renamed over it (and the
/// folder flushed), so a crash or power loss leaves the old file or the
/// new one, whole.
pub fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("tmp");
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fault::point(&tmp)?;
    let mut file = fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
    file.write_all(bytes).map_err(|e| Error::io(&tmp, e))?;
    fault::point(&tmp)?;
    file.sync_all().map_err(|e| Error::io(&tmp, e))?;
    rename(&tmp, path)?;
    sync(path.parent().unwrap_or(Path::new(".")))
}

/// Flush a file, or a folder's entries (new names, renames), to disk.
pub fn sync(path: &Path) -> Result<()> {
    fault::point(path)?;
    #[cfg(unix)]
    fs::File::open(path).and_then(|f| f.sync_all()).map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// Flush everything written to the file system holding `path` to disk
/// (one `syncfs`, far cheaper than flushing each of thousands of files).
pub fn sync_file_system(path: &Path) -> Result<()> {
    fault::point(path)?;
    #[cfg(target_os = "linux")]
    fs::File::open(path).and_then(|f| rustix::fs::syncfs(&f).map_err(Into::into)).map_err(|e| Error::io(path, e))?;
    #[cfg(all(unix, not(target_os = "linux")))]
    rustix::fs::sync();
    Ok(())
}

/// Write bytes to a new file, creating its parent folders; never replaces
/// an existing file. `Ok(false)` when there already is one (checked and
/// created in one step, so a file appearing meanwhile is not overwritten).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<bool> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fault::point(path)?;
    let mut file = match fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    Ok(true)
}

/// Copy a file's bytes to a new place (replacing what is there).
pub fn copy(from: &Path, to: &Path) -> Result<()> {
    fault::point(to)?;
    fs::copy(from, to).map(drop).map_err(|e| Error::io(from, e))
}

/// Remove a file if it exists.
pub fn remove_file_if_exists(path: &Path) -> Result<()> {
    use std::io::ErrorKind;
    fault::point(path)?;
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        // Not there: also when a folder on its way is now a file, or a
        // folder stands at its path (the file it was is gone).
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory | ErrorKind::IsADirectory) => {
            Ok(())
        }
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Remove a folder if it is empty; `Ok(false)` when it is not (or is gone).
pub fn remove_empty_dir(path: &Path) -> Result<bool> {
    fault::point(path)?;
    Ok(fs::remove_dir(path).is_ok())
}

/// Whether a file written at `path` would land inside `folder`, once the
/// links in the part of both paths that exists are followed: a month
/// folder that is a symlink to somewhere else takes what is written under
/// it somewhere else. A link that leads nowhere counts as outside.
pub fn lands_inside(path: &Path, folder: &Path) -> bool {
    match (path.parent().and_then(real), real(folder)) {
        (Some(place), Some(folder)) => place.starts_with(folder),
        _ => false,
    }
}

/// Where `path` really is: its longest existing beginning with every link
/// followed, then the rest as written; `None` if a link leads nowhere.
fn real(path: &Path) -> Option<PathBuf> {
    let mut existing = path;
    let mut rest = Vec::new();
    while fs::symlink_metadata(existing).is_err() {
        rest.push(existing.file_name()?);
        existing = existing.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    }
    let mut real = existing.canonicalize().ok()?;
    real.extend(rest.into_iter().rev());
    Some(real)
}

/// Remove a folder tree if it exists.
pub fn remove_dir_all_if_exists(path: &Path) -> Result<()> {
    fault::point(path)?;
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Rename a file or folder.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    fault::point(to)?;
    // Named by its destination: that is what the user knows (and what is
    // usually in the way, a folder where a file should go).
    fs::rename(from, to).map_err(|e| Error::io(to, e))
}

/// Fault injection for the durability tests: with `GAZETTE_FAULT=N:kind`
/// in the environment, the N-th file-system change of the process (every
/// write, rename, removal, new folder or flush made through this module)
/// fails instead of happening. `kind` is `abort` (the process dies there,
/// as if killed or the power went: no clean-up runs), `error` (an I/O
/// error) or `enospc` (the disk is full). Without the variable this costs
/// one atomic load per change.
pub mod fault {
    use std::path::Path;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use crate::error::{Error, Result};

    /// How an injected fault shows.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Kind {
        Abort,
        Error,
        NoSpace,
    }

    static PLAN: OnceLock<Option<(usize, Kind)>> = OnceLock::new();
    static COUNT: AtomicUsize = AtomicUsize::new(0);

    fn plan() -> Option<(usize, Kind)> {
        *PLAN.get_or_init(|| {
            let value = std::env::var("GAZETTE_FAULT").ok()?;
            let (at, kind) = value.split_once(':')?;
            let kind = match kind {
                "abort" => Kind::Abort,
                "error" => Kind::Error,
                "enospc" => Kind::NoSpace,
                _ => return None,
            };
            Some((at.parse().ok()?, kind))
        })
    }

    /// Count one file-system change to `path`; fail it if it is the one planned.
    pub fn point(path: &Path) -> Result<()> {
        let Some((at, kind)) = plan() else { return Ok(()) };
        if COUNT.fetch_add(1, Ordering::Relaxed) + 1 != at {
            return Ok(());
        }
        match kind {
            Kind::Abort => std::process::abort(),
            Kind::Error => Err(Error::io(path, std::io::Error::other("injected fault"))),
            Kind::NoSpace => Err(Error::io(path, std::io::Error::from(std::io::ErrorKind::StorageFull))),
        }
    }
}

/// An absolute, symlink-free form of `path`: canonical as far as it
/// exists, the rest as written (none of it exists, so none of it is a
/// link, and `..` there drops the name before it), so a check that one
/// folder is inside another cannot be fooled by `..` or links.
pub fn absolute(path: &Path) -> PathBuf {
    use std::path::Component;
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let whole = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<Component<'_>> = whole.components().collect();
    for split in (1..parts.len()).rev() {
        if let Ok(mut p) = parts[..split].iter().collect::<PathBuf>().canonicalize() {
            for part in &parts[split..] {
                match part {
                    Component::ParentDir => {
                        p.pop();
                    }
                    Component::Normal(name) => p.push(name),
                    _ => {}
                }
            }
            return p;
        }
    }
    whole
}

/// Modification time of file metadata in nanoseconds since the epoch (0 if unknown).
pub fn mtime_ns(metadata: &fs::Metadata) -> i128 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Which hidden entries (names starting with `.`) a walk keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// Skip them all (content, templates: `.git`, `.DS_Store`, editor files).
    Skip,
    /// Keep them (static files: `.well-known/`, `.nojekyll`, `.htaccess`),
    /// except version-control folders and desktop junk.
    KeepExceptJunk,
}

/// The files under a folder, and what could not be read.
#[derive(Debug, Default)]
pub struct Walked {
    /// (`/`-separated path relative to the folder, full path), sorted.
    pub files: Vec<(String, PathBuf)>,
    /// Entries that were skipped, with the reason.
    pub problems: Vec<(PathBuf, String)>,
}

/// Every file under `dir`, sorted; nothing if `dir` does not exist.
///
/// Symbolic links are followed only when they point inside `dir`, so a
/// link cannot publish a file from elsewhere on the machine. Unreadable
/// entries, broken links, loops and names that are not UTF-8 are reported
/// and skipped, never fatal.
pub fn walk_files(dir: &Path, hidden: Hidden) -> Walked {
    let Ok(root) = dir.canonicalize() else { return Walked::default() };
    let keep = move |entry: &walkdir::DirEntry| {
        if entry.depth() == 0 {
            return true;
        }
        // The name is the end of the path walkdir joined: slicing it off is
        // cheaper than `file_name`, which takes the whole path apart.
        let path = entry.path().as_os_str().as_encoded_bytes();
        let name = path.rsplit(|&b| std::path::is_separator(char::from(b))).next().unwrap_or(path);
        match hidden {
            Hidden::Skip => !name.starts_with(b"."),
            Hidden::KeepExceptJunk => {
                !matches!(name, b".git" | b".hg" | b".svn" | b".DS_Store" | b"Thumbs.db" | b"desktop.ini")
            }
        }
    };
    // The first level is read here and each folder in it walked on its own
    // core: an archive is mostly year folders.
    let walker = walkdir::WalkDir::new(dir).follow_links(true).min_depth(1).max_depth(1).into_iter().filter_entry(keep);
    let mut walked = Walked::default();
    let mut folders = Vec::new();
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_dir() && !links_outside(&entry, &root) => folders.push(entry.into_path()),
            entry => visit(entry, dir, &root, &mut walked),
        }
    }
    let parts: Vec<Walked> = folders
        .par_iter()
        .map(|folder| {
            let mut part = Walked::default();
            let mut walker = walkdir::WalkDir::new(folder).follow_links(true).into_iter().filter_entry(keep);
            while let Some(entry) = walker.next() {
                let outside = entry.as_ref().is_ok_and(|e| e.file_type().is_dir() && links_outside(e, &root));
                visit(entry, dir, &root, &mut part);
                if outside {
                    // Reported by `visit`; nothing under it is read.
                    walker.skip_current_dir();
                }
            }
            part
        })
        .collect();
    for part in parts {
        walked.files.extend(part.files);
        walked.problems.extend(part.problems);
    }
    walked.files.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    walked.problems.sort();
    walked
}

/// Whether `entry` is a symbolic link to something outside `root`.
fn links_outside(entry: &walkdir::DirEntry, root: &Path) -> bool {
    entry.path_is_symlink() && !entry.path().canonicalize().is_ok_and(|target| target.starts_with(root))
}

/// Add one walked entry: a file, or the reason it cannot be used.
fn visit(entry: walkdir::Result<walkdir::DirEntry>, dir: &Path, root: &Path, walked: &mut Walked) {
    let entry = match entry {
        Ok(entry) => entry,
        Err(e) => {
            let path = e.path().unwrap_or(dir).to_path_buf();
            let message = if e.loop_ancestor().is_some() {
                "symbolic link loop; skipped".to_string()
            } else {
                match e.io_error() {
                    Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
                        "broken symbolic link; skipped".to_string()
                    }
                    Some(io) => format!("{io}; skipped"),
                    None => format!("{e}; skipped"),
                }
            };
            walked.problems.push((path, message));
            return;
        }
    };
    let path = entry.path();
    if links_outside(&entry, root) {
        walked.problems.push((path.to_path_buf(), format!("links outside {}; skipped", dir.display())));
        return;
    }
    if !entry.file_type().is_file() {
        return;
    }
    // Paths under `dir` start with it: slice, rather than rebuild, the rest.
    let prefix = dir.as_os_str().len() + 1;
    match path.to_str().and_then(|p| p.get(prefix..)) {
        Some(rel) => {
            let rel = if std::path::MAIN_SEPARATOR == '/' { rel.to_string() } else { rel.replace('\\', "/") };
            walked.files.push((rel, entry.into_path()));
        }
        None => walked.problems.push((path.to_path_buf(), "file name is not valid UTF-8; skipped".into())),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[cfg(unix)]
    #[test]
    fn a_linked_folder_leads_outside() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("2025")).unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, content.join("2025/06")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), content.join("2025/07")).unwrap();
        assert!(lands_inside(&content.join("2025/05/a.md"), &content));
        assert!(lands_inside(&content.join("2026/01/a.md"), &content));
        assert!(!lands_inside(&content.join("2025/06/a.md"), &content));
        assert!(!lands_inside(&content.join("2025/06/deeper/a.md"), &content));
        assert!(!lands_inside(&content.join("2025/07/a.md"), &content));
        assert!(lands_inside(&dir.path().join("new-site/content/2025/06/a.md"), &dir.path().join("new-site/content")));
    }

    #[test]
    fn hidden_entries_are_skipped_or_kept_but_for_junk() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("static");
        for file in [".well-known/security.txt", ".nojekyll", ".DS_Store", "css/Thumbs.db", ".git/HEAD", "css/a.css"] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let rels = |hidden| walk_files(&dir, hidden).files.into_iter().map(|(rel, _)| rel).collect::<Vec<_>>();
        assert_eq!(rels(Hidden::Skip), ["css/Thumbs.db", "css/a.css"]);
        assert_eq!(rels(Hidden::KeepExceptJunk), [".nojekyll", ".well-known/security.txt", "css/a.css"]);
    }

    #[test]
    fn nothing_behind_a_link_to_outside_the_folder_is_walked() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, secret) = (tmp.path().join("content"), tmp.path().join("secret"));
        std::fs::create_dir_all(dir.join("2025/12/inside")).unwrap();
        std::fs::create_dir_all(secret.join("deeper")).unwrap();
        std::fs::write(secret.join("passwords.pdf"), "x").unwrap();
        std::fs::write(secret.join("deeper/more.pdf"), "x").unwrap();
        std::fs::write(dir.join("2025/12/inside/story.md"), "x").unwrap();
        // Links to a folder outside, at the first level and deeper, to a
        // file outside, and to a folder inside (which is followed).
        symlink(&secret, dir.join("leak")).unwrap();
        symlink(&secret, dir.join("2025/12/leak")).unwrap();
        symlink(secret.join("passwords.pdf"), dir.join("2025/file.pdf")).unwrap();
        symlink(dir.join("2025/12/inside"), dir.join("2025/alias")).unwrap();

        let walked = walk_files(&dir, Hidden::Skip);
        let files: Vec<&str> = walked.files.iter().map(|(rel, _)| rel.as_str()).collect();
        assert_eq!(files, ["2025/12/inside/story.md", "2025/alias/story.md"]);
        let skipped: Vec<String> =
            walked.problems.iter().map(|(p, m)| format!("{}: {m}", p.strip_prefix(&dir).unwrap().display())).collect();
        let outside = format!("links outside {}; skipped", dir.display());
        assert_eq!(
            skipped,
            [format!("2025/12/leak: {outside}"), format!("2025/file.pdf: {outside}"), format!("leak: {outside}")]
        );
    }
}
