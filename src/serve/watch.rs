//! Watching the site's sources: which saved files call for a rebuild.
//!
//! Input: the site root. Output: batches of changed paths, one batch per
//! burst of saves (notify's events, debounced here: a batch ends after
//! 150 ms without a change). Watched: `content/`, `templates/`, `static/`
//! and `themes/` (recursively, each only if it exists; one created later
//! is picked up) and `site.yaml`. Everything else in the root (`output/`,
//! the preview's own `.gazette/`, a `target/` or `.git/`) is ignored, and
//! so are reads (the build reads what it watches) and editors' temporary
//! files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher as _};

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};

/// The folders of the root that are watched, recursively.
const FOLDERS: [&str; 4] = ["content", "templates", "static", "themes"];

/// Quiet time after the last event of a burst before it is reported.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// A burst that never goes quiet (a long copy) is still reported this
/// often, so the preview keeps up.
const LONGEST_BURST: Duration = Duration::from_secs(2);

/// Reports changes to the site's sources.
pub struct Watcher {
    root: PathBuf,
    watcher: RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    watched: HashSet<&'static str>,
}

impl Watcher {
    /// Start watching the site at `root`.
    pub fn start(root: &Path) -> Result<Watcher> {
        let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
        let cannot = |e: notify::Error| Error::Site(format!("cannot watch {} for changes: {e}", root.display()));
        let (sender, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(sender).map_err(cannot)?;
        // The root itself, not recursively: `site.yaml`, and source folders
        // that appear (or are replaced) while the preview runs.
        watcher.watch(&root, RecursiveMode::NonRecursive).map_err(cannot)?;
        let mut watcher = Watcher { root, watcher, events, watched: HashSet::new() };
        for folder in FOLDERS {
            watcher.watch_folder(folder, false);
        }
        Ok(watcher)
    }

    /// Wait for the next burst of changes and return its paths, once no
    /// new change came for [`DEBOUNCE`]; an empty list when nothing changed
    /// for `patience`; `None` once watching stopped.
    pub fn next_batch(&mut self, patience: Duration) -> Option<Vec<PathBuf>> {
        let mut changed = Vec::new();
        let waiting = Instant::now();
        while changed.is_empty() {
            let left = patience.saturating_sub(waiting.elapsed());
            match self.events.recv_timeout(left) {
                Ok(first) => self.take(first, &mut changed),
                Err(mpsc::RecvTimeoutError::Timeout) => return Some(changed),
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            };
        }
        let started = Instant::now();
        let mut quiet_since = Instant::now();
        while quiet_since.elapsed() < DEBOUNCE && started.elapsed() < LONGEST_BURST {
            match self.events.recv_timeout(DEBOUNCE.saturating_sub(quiet_since.elapsed())) {
                Ok(event) => {
                    if self.take(event, &mut changed) {
                        quiet_since = Instant::now();
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return None,
            }
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }

    /// Add the paths of `event` that matter to `changed`; whether there were any.
    fn take(&mut self, event: notify::Result<notify::Event>, changed: &mut Vec<PathBuf>) -> bool {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                eprintln!("warning: watching for changes: {e}");
                return false;
            }
        };
        if !changes_files(event.kind) {
            return false;
        }
        let before = changed.len();
        for path in event.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else { continue };
            let mut parts = rel.components();
            let top = parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
            let at_top = parts.next().is_none();
            let relevant = if at_top {
                // A source folder created, removed or replaced: (re)watch it.
                if let Some(folder) = FOLDERS.iter().find(|f| **f == top) {
                    self.watch_folder(folder, true);
                    true
                } else {
                    top == CONFIG_FILE
                }
            } else {
                FOLDERS.contains(&top.as_str())
            };
            if relevant && !is_editor_temporary(&path) {
                changed.push(path);
            }
        }
        changed.len() > before
    }

    /// Watch a source folder of the root, if it exists. `again` replaces
    /// a watch that may have died with a folder that was replaced.
    fn watch_folder(&mut self, folder: &'static str, again: bool) {
        let path = self.root.join(folder);
        if again && self.watched.remove(folder) {
            let _ = self.watcher.unwatch(&path);
        }
        if !path.is_dir() || self.watched.contains(folder) {
            return;
        }
        match self.watcher.watch(&path, RecursiveMode::Recursive) {
            Ok(()) => {
                self.watched.insert(folder);
            }
            Err(e) => eprintln!("warning: cannot watch {} for changes: {e}", path.display()),
        }
    }
}

/// Does an event of this kind mean a file may have changed? Not reads:
/// the build itself opens and reads every source it watches, and treating
/// that as a change would rebuild forever.
fn changes_files(kind: EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        _ => true,
    }
}

/// Files editors write beside the one being saved (swap, backup, lock
/// and atomic-save files), which never change the site.
fn is_editor_temporary(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else { return false };
    let name = name.as_ref();
    name.ends_with('~')
        || name == "4913" // vim's "can I write here" probe
        || (name.starts_with('.') && [".swp", ".swo", ".swx"].iter().any(|e| name.ends_with(e)))
        || name.starts_with(".#") // emacs locks
        || (name.starts_with('#') && name.ends_with('#')) // emacs autosaves
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == ".DS_Store"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temporaries_are_ignored_and_sources_are_not() {
        for temp in [
            "content/.bridge.md.swp",
            "content/bridge.md~",
            "content/4913",
            "content/.#bridge.md",
            "content/#bridge.md#",
            "content/bridge.md___jb_tmp___",
        ] {
            assert!(is_editor_temporary(Path::new(temp)), "{temp}");
        }
        for source in ["content/bridge.md", "static/.well-known/security.txt", "static/app.swp.css"] {
            assert!(!is_editor_temporary(Path::new(source)), "{source}");
        }
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{CreateKind, DataChange, RemoveKind};
        assert!(!changes_files(EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!changes_files(EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(changes_files(EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(changes_files(EventKind::Modify(ModifyKind::Data(DataChange::Any))));
        assert!(changes_files(EventKind::Create(CreateKind::File)));
        assert!(changes_files(EventKind::Remove(RemoveKind::File)));
    }
}
