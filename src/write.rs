//! Write phase: the only module that writes to the output folder.
//!
//! Input: rendered pages, static files and content assets. Output: the
//! site on disk. A build writes into a staging folder beside the output and
//! swaps it in only when everything succeeded, so a failed build leaves the
//! previous output exactly as it was. Every path is checked to stay inside
//! the staging folder.

use std::path::{Component, Path, PathBuf};

use crate::config::SitePaths;
use crate::error::{Error, Result};
use crate::fsx;
use crate::render::Page;

/// The file that marks a folder as Gazette's output, so Gazette never
/// replaces a folder it did not make.
pub const MARKER: &str = ".gazette-output";

/// An output being built.
#[derive(Debug)]
pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl Output {
    /// Check the output folder is safe to replace and start a staging folder.
    pub fn begin(paths: &SitePaths) -> Result<Output> {
        let target = absolute(&paths.output);
        check_target(&target, paths)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let parent = target.parent().unwrap_or(Path::new("/"));
        let staging = parent.join(format!(".{name}.gazette-staging"));
        fsx::remove_dir_all_if_exists(&staging)?;
        fsx::create_dir_all(&staging)?;
        fsx::write(&staging.join(MARKER), b"This folder was written by gazette build.\n")?;
        Ok(Output { target, staging, committed: false })
    }

    /// Write a rendered page.
    pub fn page(&self, page: &Page) -> Result<()> {
        self.file(&page.path.file(), page.html.as_bytes())
    }

    /// Write bytes at a `/`-separated path inside the output.
    pub fn file(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        fsx::write(&self.inside(rel)?, bytes)
    }

    /// Copy a file from disk to a `/`-separated path inside the output.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<()> {
        let to = self.inside(rel)?;
        if let Some(parent) = to.parent() {
            fsx::create_dir_all(parent)?;
        }
        std::fs::copy(from, &to).map(|_| ()).map_err(|e| Error::io(from, e))
    }

    /// Swap the finished build in place of the previous output.
    pub fn commit(mut self) -> Result<()> {
        let old = self.staging.with_file_name(
            self.staging.file_name().map(|n| n.to_string_lossy().replace("-staging", "-old")).unwrap_or_default(),
        );
        fsx::remove_dir_all_if_exists(&old)?;
        if self.target.exists() {
            fsx::rename(&self.target, &old)?;
        }
        if let Err(e) = fsx::rename(&self.staging, &self.target) {
            // Put the previous output back before reporting.
            let _ = std::fs::rename(&old, &self.target);
            return Err(e);
        }
        self.committed = true;
        fsx::remove_dir_all_if_exists(&old)
    }

    /// The staging path for `rel`, refusing anything that could leave it.
    fn inside(&self, rel: &str) -> Result<PathBuf> {
        let rel_path = Path::new(rel);
        if rel.is_empty() || !rel_path.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Error::Usage(format!("refusing to write {rel:?}: outside the output folder")));
        }
        Ok(self.staging.join(rel_path))
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build leaves no staging folder behind; the previous
            // output was never touched.
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
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
    if let (Some(parent), Some(name)) = (path.parent(), path.file_name()) {
        let parent = if parent.as_os_str().is_empty() { Path::new(".") } else { parent };
        if let Ok(p) = parent.canonicalize() {
            return p.join(name);
        }
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
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
        let out = Output::begin(&paths).unwrap();
        out.file("a/index.html", b"one").unwrap();
        out.commit().unwrap();
        assert_eq!(std::fs::read(paths.output.join("a/index.html")).unwrap(), b"one");

        let out = Output::begin(&paths).unwrap();
        out.file("a/index.html", b"two").unwrap();
        drop(out);
        assert_eq!(std::fs::read(paths.output.join("a/index.html")).unwrap(), b"one");
        let leftovers: Vec<_> = std::fs::read_dir(&paths.root).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn paths_cannot_escape() {
        let (_dir, paths) = site();
        let out = Output::begin(&paths).unwrap();
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
        for bad in [foreign.clone(), dir.path().to_path_buf(), dir.path().join("content/out"), dir.path().join("..")] {
            let p = SitePaths::new(&paths.root, Some(&bad));
            assert!(Output::begin(&p).is_err(), "{}", bad.display());
        }
        assert!(foreign.join("thesis.txt").exists());
    }
}
