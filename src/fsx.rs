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
    fs::create_dir_all(path).map_err(|e| Error::io(path, e))
}

/// Write bytes to a file, creating its parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Write bytes to a new file, creating its parent folders; never replaces
/// an existing file. `Ok(false)` when there already is one (checked and
/// created in one step, so a file appearing meanwhile is not overwritten).
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<bool> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let mut file = match fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(Error::io(path, e)),
    };
    file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    Ok(true)
}

/// Remove a folder tree if it exists.
pub fn remove_dir_all_if_exists(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Rename a file or folder.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    // Named by its destination: that is what the user knows (and what is
    // usually in the way, a folder where a file should go).
    fs::rename(from, to).map_err(|e| Error::io(to, e))
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
        let name = entry.file_name().to_string_lossy();
        let junk = matches!(name.as_ref(), ".git" | ".hg" | ".svn" | ".DS_Store" | "Thumbs.db" | "desktop.ini");
        entry.depth() == 0
            || match hidden {
                Hidden::Skip => !name.starts_with('.'),
                Hidden::KeepExceptJunk => !junk,
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
    walked.files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
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
