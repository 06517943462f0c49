//! Which files a run of Gazette rewrote, seen from the file system: shared
//! by the build and serve tests (`#[path]`-included by each).

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

/// How each file under `dir` was last written: its inode and modification
/// time. A file rewritten since, in place or by a rename over it, has
/// another (after [`wait_for_a_later_mtime`]).
pub fn stamps(dir: &Path) -> BTreeMap<String, (u64, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            (rel, (meta.ino(), meta.modified().unwrap()))
        })
        .collect()
}

/// The files whose stamp differs between `before` and `after` (rewritten
/// or new), sorted.
pub fn rewritten(
    before: &BTreeMap<String, (u64, SystemTime)>,
    after: &BTreeMap<String, (u64, SystemTime)>,
) -> Vec<String> {
    after.iter().filter(|(f, stamp)| before.get(*f) != Some(stamp)).map(|(f, _)| f.clone()).collect()
}

/// Wait until a file written now gets a later modification time than every
/// file under `dir` (file systems take the time from a clock that ticks
/// every few milliseconds), so [`stamps`] cannot miss a rewrite.
pub fn wait_for_a_later_mtime(dir: &Path) {
    let latest = stamps(dir).into_values().map(|(_, mtime)| mtime).max().unwrap();
    let probe = dir.with_extension("mtime-probe");
    let started = Instant::now();
    loop {
        std::fs::write(&probe, "").unwrap();
        let now = std::fs::metadata(&probe).unwrap().modified().unwrap();
        std::fs::remove_file(&probe).unwrap();
        if now > latest {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the file system clock does not move past {latest:?}");
        std::thread::sleep(Duration::from_millis(1));
    }
}
