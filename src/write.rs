//! Write phase: the only module that writes to the output folder.
//!
//! Input: rendered pages, static files and content assets. Output: the
//! site on disk. A build writes into a staging folder beside the output and
//! swaps it in only when everything succeeded, so a failed build leaves the
//! previous output exactly as it was. Every path is checked to stay inside
//! the staging folder.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::SitePaths;
use crate::error::{Error, Result};
use crate::fsx;

/// The file that marks a folder as Gazette's output, so Gazette never
/// replaces a folder it did not make. It holds the build id that ties the
/// folder to its manifest.
pub const MARKER: &str = ".gazette-output";

/// Where an output file's bytes come from, when they are copied rather
/// than rendered.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// Compiled into the binary (the default theme's static files).
    Embedded(&'static [u8]),
    /// A file on disk.
    File(PathBuf),
}

/// How the build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A whole new output in a staging folder beside the old one, swapped
    /// in at the end: a failed build leaves the previous output untouched.
    Staged,
    /// Only changed files, in place, each through a temporary file; used
    /// once everything to write has been rendered without error.
    InPlace,
}

/// An output being written.
#[derive(Debug)]
pub struct Output {
    target: PathBuf,
    dir: PathBuf,
    mode: Mode,
    committed: bool,
}

impl Output {
    /// Start a staged build: check the output folder is safe to replace and
    /// make an empty staging folder beside it.
    pub fn staged(paths: &SitePaths, build_id: u64) -> Result<Output> {
        let target = absolute(&paths.output);
        check_target(&target, paths)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let parent = target.parent().unwrap_or(Path::new("/"));
        let staging = parent.join(format!(".{name}.gazette-staging"));
        fsx::remove_dir_all_if_exists(&staging)?;
        fsx::create_dir_all(&staging)?;
        fsx::write(&staging.join(MARKER), marker(build_id).as_bytes())?;
        Ok(Output { target, dir: staging, mode: Mode::Staged, committed: false })
    }

    /// Claim the output folder for one build. A second build into the same
    /// folder while this one runs (a scheduled rebuild meeting one started
    /// by hand) stops at once with a clear error, rather than deleting this
    /// build's staging folder or rewriting its state. The claim is an OS
    /// lock on a file in the build state folder beside the output, so it
    /// ends with the process, however that ends: it is never left stale.
    pub fn lock(paths: &SitePaths) -> Result<Lock> {
        let target = absolute(&paths.output);
        check_target(&target, paths)?;
        let folder = crate::state::Manifest::folder_for(&target);
        fsx::create_dir_all(&folder)?;
        let path = folder.join("lock");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Site(format!(
                "{}: another gazette build is writing this folder; run this one again when it has finished",
                target.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
        }
    }

    /// Write into the existing output folder, which must carry `build_id`.
    pub fn in_place(paths: &SitePaths, build_id: u64) -> Result<Output> {
        let target = absolute(&paths.output);
        check_target(&target, paths)?;
        if Self::build_id(&target) != Some(build_id) {
            return Err(Error::Site(format!("{}: not the output of the previous build", target.display())));
        }
        Ok(Output { dir: target.clone(), target, mode: Mode::InPlace, committed: false })
    }

    /// The build id in an output folder's marker, if it has one.
    pub fn build_id(target: &Path) -> Option<u64> {
        let text = std::fs::read_to_string(target.join(MARKER)).ok()?;
        text.lines().find_map(|l| l.strip_prefix("build-id: ")).and_then(|id| id.trim().parse().ok())
    }

    /// How this output is being written.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The final output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Create every folder the files at `rels` need, once each, so writing
    /// thousands of pages does not ask for the same folders thousands of times.
    pub fn prepare_folders<'r>(&self, rels: impl Iterator<Item = &'r str>) -> Result<()> {
        let mut folders: Vec<&str> = rels.filter_map(|rel| rel.rsplit_once('/').map(|(dir, _)| dir)).collect();
        folders.sort_unstable();
        folders.dedup();
        // One mkdir each, in parallel: a folder whose parent another
        // thread has not made yet makes the parent itself.
        folders.par_iter().try_for_each(|folder| {
            let path = self.inside(folder)?;
            match std::fs::create_dir(&path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => fsx::create_dir_all(&path),
                Err(e) => Err(Error::io(&path, e)),
            }
        })
    }

    /// Write bytes at a `/`-separated path inside the output.
    pub fn file(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.inside(rel)?;
        match self.mode {
            Mode::Staged => match std::fs::write(&path, bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => fsx::write(&path, bytes),
                other => other.map_err(|e| Error::io(&path, e)),
            },
            Mode::InPlace => replace(&path, bytes),
        }
    }

    /// Copy a file to a `/`-separated path inside the output.
    pub fn copy(&self, rel: &str, from: &FileSource) -> Result<()> {
        match from {
            FileSource::Embedded(bytes) => self.file(rel, bytes),
            FileSource::File(source) => {
                let to = self.inside(rel)?;
                if let Some(parent) = to.parent() {
                    fsx::create_dir_all(parent)?;
                }
                let tmp = temporary(&to);
                std::fs::copy(source, &tmp).map_err(|e| Error::io(source, e))?;
                rename_or_clean_up(&tmp, &to)
            }
        }
    }

    /// Remove a file that the build no longer makes, and the folders it
    /// leaves empty.
    pub fn remove(&self, rel: &str) -> Result<()> {
        let path = self.inside(rel)?;
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.dir) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    /// Finish: swap a staged build in place of the previous output.
    pub fn commit(mut self) -> Result<()> {
        if self.mode == Mode::InPlace {
            self.committed = true;
            return Ok(());
        }
        let old = self.dir.with_file_name(
            self.dir.file_name().map(|n| n.to_string_lossy().replace("-staging", "-old")).unwrap_or_default(),
        );
        fsx::remove_dir_all_if_exists(&old)?;
        if self.target.exists() {
            fsx::rename(&self.target, &old)?;
        }
        if let Err(e) = fsx::rename(&self.dir, &self.target) {
            // Put the previous output back before reporting.
            let _ = std::fs::rename(&old, &self.target);
            return Err(e);
        }
        self.committed = true;
        fsx::remove_dir_all_if_exists(&old)
    }

    /// The path for `rel`, refusing anything that could leave the output.
    fn inside(&self, rel: &str) -> Result<PathBuf> {
        let rel_path = Path::new(rel);
        if rel.is_empty() || !rel_path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Error::Usage(format!("refusing to write {rel:?}: outside the output folder")));
        }
        Ok(self.dir.join(rel_path))
    }
}

/// A build's claim on its output folder (see [`Output::lock`]), held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed && self.mode == Mode::Staged {
            // A failed build leaves no staging folder behind; the previous
            // output was never touched.
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn marker(build_id: u64) -> String {
    format!("This folder was written by gazette build.\nbuild-id: {build_id}\n")
}

/// A temporary name beside `path`, in the same folder (so renaming is atomic).
fn temporary(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.gazette-tmp"))
}

/// Replace a file's content atomically: readers see the old or the new file.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temporary(path);
    fsx::write(&tmp, bytes)?;
    rename_or_clean_up(&tmp, path)
}

/// Move a temporary file to its place; on failure, leave no temporary behind.
fn rename_or_clean_up(tmp: &Path, path: &Path) -> Result<()> {
    fsx::rename(tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(tmp);
    })
}

/// Refuse output folders whose replacement would destroy something else:
/// the site itself, one of its source folders, or a folder not made by Gazette.
fn check_target(target: &Path, paths: &SitePaths) -> Result<()> {
    let root = absolute(&paths.root);
    let refuse =
        |why: &str| Err(Error::Usage(format!("refusing to use {} as the output folder: {why}", target.display())));
    if root.starts_with(target) {
        return refuse("it contains the site itself");
    }
    for source in [&paths.content, &paths.templates, &paths.static_dir, &paths.themes] {
        if target.starts_with(absolute(source)) {
            return refuse("it is inside one of the site's source folders");
        }
    }
    if target.exists() {
        if !target.is_dir() {
            return refuse("it is a file");
        }
        let empty = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?.next().is_none();
        if !empty && !target.join(MARKER).exists() {
            return refuse(&format!(
                "it is not empty and was not written by Gazette (it has no {MARKER} file); remove it or choose another --output"
            ));
        }
    }
    Ok(())
}

/// An absolute, symlink-free form of `path` when it exists (or its parent
/// does), so containment checks cannot be fooled by `..` or links.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    // The longest part that exists, canonical, then the rest read as
    // written: none of it exists, so none of it is a link, and `..` there
    // just drops the name before it (`missing/../docs` is `docs`).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, SitePaths) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let paths = SitePaths::new(dir.path(), None);
        (dir, paths)
    }

    #[test]
    fn commit_replaces_and_drop_discards() {
        let (_dir, paths) = site();
        let out = Output::staged(&paths, 7).unwrap();
        out.file("a/index.html", b"one").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(paths.output.join("a/index.html")).unwrap(), b"one");
        assert_eq!(Output::build_id(&paths.output), Some(7));

        let out = Output::staged(&paths, 8).unwrap();
        out.file("a/index.html", b"two").unwrap();
        drop(out);
        assert_eq!(std::fs::read(paths.output.join("a/index.html")).unwrap(), b"one");
        let leftovers: Vec<_> = std::fs::read_dir(&paths.root).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn in_place_writes_replace_and_remove_files() {
        let (_dir, paths) = site();
        let out = Output::staged(&paths, 3).unwrap();
        out.file("a/b/index.html", b"one").unwrap();
        out.commit().unwrap();
        assert!(Output::in_place(&paths, 4).is_err(), "another build's output");
        let out = Output::in_place(&paths, 3).unwrap();
        out.file("a/b/index.html", b"two").unwrap();
        out.copy("c.txt", &FileSource::Embedded(b"c")).unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(paths.output.join("a/b/index.html")).unwrap(), b"two");
        let out = Output::in_place(&paths, 3).unwrap();
        out.remove("a/b/index.html").unwrap();
        assert!(!paths.output.join("a").exists(), "empty folders go too");
        assert!(paths.output.join("c.txt").exists());
    }

    #[test]
    fn paths_cannot_escape() {
        let (_dir, paths) = site();
        let out = Output::staged(&paths, 1).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(out.file(bad, b"x").is_err(), "{bad}");
        }
    }

    #[test]
    fn refuses_to_replace_foreign_or_source_folders() {
        let (dir, paths) = site();
        let foreign = dir.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.txt"), "precious").unwrap();
        for bad in [
            foreign.clone(),
            dir.path().to_path_buf(),
            dir.path().join("content/out"),
            dir.path().join(".."),
            dir.path().join("missing/../docs"),
            dir.path().join("missing/../content/x/../out"),
        ] {
            let p = SitePaths::new(&paths.root, Some(&bad));
            assert!(Output::lock(&p).is_err(), "{}", bad.display());
            assert!(Output::staged(&p, 1).is_err(), "{}", bad.display());
        }
        assert!(foreign.join("thesis.txt").exists());
        // Refused before anything was made for it.
        assert!(!dir.path().join("missing").exists());
    }
}
