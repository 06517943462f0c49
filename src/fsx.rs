//! File-system helpers that attach the path to every I/O error.
//!
//! Used by every phase that touches the disk, so that no error ever reaches
//! the user as a bare "No such file or directory".

use std::fs;
use std::path::{Path, PathBuf};

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
    fs::rename(from, to).map_err(|e| Error::io(from, e))
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
    let mut walked = Walked::default();
    let Ok(root) = dir.canonicalize() else { return walked };
    let keep = |entry: &walkdir::DirEntry| {
        let name = entry.file_name().to_string_lossy();
        let junk = matches!(name.as_ref(), ".git" | ".hg" | ".svn" | ".DS_Store" | "Thumbs.db" | "desktop.ini");
        entry.depth() == 0
            || match hidden {
                Hidden::Skip => !name.starts_with('.'),
                Hidden::KeepExceptJunk => !junk,
            }
    };
    let walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(keep);
    for entry in walker {
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
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() && !path.canonicalize().is_ok_and(|target| target.starts_with(&root)) {
            walked.problems.push((path.to_path_buf(), format!("links outside {}; skipped", dir.display())));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(path);
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        match parts {
            Some(parts) => walked.files.push((parts.join("/"), path.to_path_buf())),
            None => walked.problems.push((path.to_path_buf(), "file name is not valid UTF-8; skipped".into())),
        }
    }
    walked
}
