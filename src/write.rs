//! Write phase: the only module that writes to the output folder.
//!
//! Input: the files a build makes (rendered pages, copies), the files an
//! earlier build wrote that this one no longer makes, and which files an
//! earlier build wrote at all. Output: the site on disk, changed so that no
//! failure, kill or power cut can leave it damaged past the next build:
//!
//! 1. Every file made goes into a staging folder beside the output
//!    (`.output.gazette-staging`) as soon as it is made. A build that fails
//!    before committing deletes that folder: the output is as it was.
//! 2. Committing into an output that does not exist yet is one rename of
//!    the staging folder.
//! 3. Committing into an existing output first writes a journal naming
//!    every file it will replace or remove, flushed to disk, into the
//!    build state folder beside the output; then it removes and moves the
//!    files. The build then saves its state, flushes the file system and
//!    clears the journal ([`Finishing::finish`]).
//! 4. The next build (under the same lock) finds a journal left by one
//!    that stopped half way ([`recover`]): every file it names is of
//!    unknown content, so that build makes each one again (or removes it),
//!    and clears the journal only once it has. Leftover staging folders go.
//!
//! Files in the output that Gazette did not write (`.git`, `CNAME`,
//! `.nojekyll`) are never touched; one standing where the build must write
//! is an error, found before anything changes. Every path is checked to
//! stay inside the output folder.

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

use crate::config::SitePaths;
use crate::error::{Diagnostic, Error, Result};
use crate::fsx::{self, absolute};

/// The file that marks a folder as Gazette's output, so Gazette never
/// replaces a folder it did not make. It holds the build id that ties the
/// folder to its build state.
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

/// What a build found, when it started, of an earlier build of the same
/// output that did not finish.
#[derive(Debug, Default)]
pub struct Unfinished {
    /// The files it was changing when it stopped, whose content is now
    /// unknown: each must be made again, or removed.
    pub files: HashSet<String>,
    /// Its journal could not be read: no file of the output can be trusted.
    pub unreadable: bool,
}

impl Unfinished {
    /// Did an earlier build stop half way?
    pub fn any(&self) -> bool {
        self.unreadable || !self.files.is_empty()
    }
}

/// Clean up after an earlier build of this output that stopped half way,
/// before this one plans anything (call it holding the [`Lock`]): its
/// staging folder goes, an output folder an older Gazette left renamed
/// aside while swapping is put back, and its journal is read (and kept,
/// until this build has repaired what it names).
pub fn recover(paths: &SitePaths) -> Result<Unfinished> {
    let target = absolute(&paths.output);
    let (staging, _) = siblings(&target);
    fsx::remove_dir_all_if_exists(&staging)?;
    // Gazette 0.1 swapped a staged build in with two renames, the old
    // output first moved to `.output.gazette-old`.
    let old = target.with_file_name(format!(".{}.gazette-old", file_name(&target)));
    if old.is_dir() {
        if target.exists() { fsx::remove_dir_all_if_exists(&old)? } else { fsx::rename(&old, &target)? }
    }
    read_journal(&journal_path(&target))
}

/// Has a build of this output stopped half way, leaving a journal for the
/// next build to repair (for `check`, which does not write)?
pub fn interrupted(paths: &SitePaths) -> bool {
    journal_path(&absolute(&paths.output)).exists()
}

/// An output being written: a staging folder beside it that receives every
/// file as it is made, until [`Output::commit`].
#[derive(Debug)]
pub struct Output {
    target: PathBuf,
    staging: PathBuf,
    /// The output folder does not exist yet: committing is one rename.
    fresh: bool,
    /// The id in the output's marker, new or kept.
    build_id: u64,
    committed: bool,
}

/// What a commit changed.
#[derive(Debug, Default)]
pub struct Committed {
    /// Entries at the top of the output that no build wrote, left alone.
    pub kept: usize,
}

/// The changes to bring into the output.
pub struct Changes<'a> {
    /// Files made into the staging folder, to move into the output.
    pub made: Vec<&'a str>,
    /// Files an earlier build wrote that this one does not make (or whose
    /// content is unknown and could not be made again).
    pub removed: Vec<&'a str>,
    /// Whether an earlier build is known to have written a file; `None`
    /// when that is unknown (no usable build state): then a file at a path
    /// this build makes is taken to be Gazette's.
    pub owned: Option<&'a (dyn Fn(&str) -> bool + Sync)>,
    /// The first segment of every path the build makes (to tell, at the
    /// top of the output, Gazette's entries from others').
    pub tops: HashSet<&'a str>,
}

impl Output {
    /// Start writing a build of `paths.output`: check the folder is safe to
    /// write, and make an empty staging folder beside it. An output that
    /// already carries a marker keeps its build id; otherwise `new_id`.
    pub fn start(paths: &SitePaths, new_id: u64) -> Result<Output> {
        let target = absolute(&paths.output);
        check_target(&target, paths)?;
        let (staging, _) = siblings(&target);
        fsx::remove_dir_all_if_exists(&staging)?;
        fsx::create_dir_all(&staging)?;
        let fresh = !target.exists();
        let build_id = Self::build_id(&target).unwrap_or(new_id);
        fsx::write(&staging.join(MARKER), marker(build_id).as_bytes())?;
        Ok(Output { target, staging, fresh, build_id, committed: false })
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
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
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

    /// The build id in an output folder's marker, if it has one.
    pub fn build_id(target: &Path) -> Option<u64> {
        let text = std::fs::read_to_string(target.join(MARKER)).ok()?;
        text.lines().find_map(|l| l.strip_prefix("build-id: ")).and_then(|id| id.trim().parse().ok())
    }

    /// The id tying this output to its build state.
    pub fn id(&self) -> u64 {
        self.build_id
    }

    /// The final output folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Create, in the staging folder, every folder the files at `rels`
    /// need, once each, so writing thousands of pages does not ask for the
    /// same folders thousands of times.
    pub fn prepare_folders<'r>(&self, rels: impl Iterator<Item = &'r str>) -> Result<()> {
        make_folders(&self.staging, rels)
    }

    /// Stage bytes for a `/`-separated path inside the output.
    pub fn file(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        fsx::write_in_place(&inside(&self.staging, rel)?, bytes)
    }

    /// Stage a copy of a file for a `/`-separated path inside the output.
    pub fn copy(&self, rel: &str, from: &FileSource) -> Result<()> {
        match from {
            FileSource::Embedded(bytes) => self.file(rel, bytes),
            FileSource::File(source) => {
                let to = inside(&self.staging, rel)?;
                if let Some(parent) = to.parent() {
                    fsx::create_dir_all(parent)?;
                }
                fsx::copy(source, &to)
            }
        }
    }

    /// Forget a staged file (a page that failed under `--keep-going`), and
    /// the staged folders it leaves empty.
    pub fn discard(&self, rel: &str) -> Result<()> {
        remove_and_prune(&self.staging, rel)
    }

    /// Bring the staged files into the output and remove the ones the
    /// build no longer makes. Before anything changes, a file that no
    /// build wrote, standing where this one must write, stops the commit.
    pub fn commit(mut self, changes: &Changes<'_>) -> Result<(Committed, Finishing)> {
        if self.fresh {
            fsx::rename(&self.staging, &self.target)?;
            self.committed = true;
            return Ok((Committed::default(), Finishing { target: self.target.clone(), flush: None }));
        }
        if let Some(owned) = changes.owned {
            check_clashes(&self.target, changes, owned)?;
        }
        if !self.target.join(MARKER).exists() {
            fsx::rename(&self.staging.join(MARKER), &self.target.join(MARKER))?;
        }
        let journaled = !(changes.made.is_empty() && changes.removed.is_empty());
        if journaled {
            write_journal(&journal_path(&self.target), changes.made.iter().chain(&changes.removed).copied())?;
        }
        self.move_in(changes).map_err(|e| {
            Error::Site(format!("{e}\nThe output was partly updated: the next build finishes the job."))
        })?;
        self.committed = true;
        let kept = foreign_tops(&self.target, &changes.tops)?;
        let flush = journaled.then(|| Flush::of(&self.target, changes));
        Ok((Committed { kept }, Finishing { target: self.target.clone(), flush }))
    }
}

impl Output {
    /// Remove what goes, then move the staged files in.
    fn move_in(&self, changes: &Changes<'_>) -> Result<()> {
        // Files that go first: one may stand where a new file needs a
        // folder, or hold the folder a new file replaces.
        for rel in &changes.removed {
            remove_and_prune(&self.target, rel)?;
        }
        make_folders(&self.target, changes.made.iter().copied())?;
        changes
            .made
            .par_iter()
            .try_for_each(|rel| fsx::rename(&inside(&self.staging, rel)?, &inside(&self.target, rel)?))?;
        fsx::remove_dir_all_if_exists(&self.staging)
    }
}

/// A committed build still to be sealed: once its state is saved,
/// [`Finishing::finish`] flushes the output to disk and clears the journal.
#[derive(Debug)]
#[must_use = "the journal stays until `finish` is called"]
pub struct Finishing {
    target: PathBuf,
    /// What to flush before the journal goes; `None` when there is no journal.
    flush: Option<Flush>,
}

/// How to get a commit's changes onto the disk.
#[derive(Debug)]
enum Flush {
    /// Few files: each file moved in, and each folder whose entries changed.
    Each(Vec<PathBuf>),
    /// Many: the whole file system at once (one `syncfs`).
    All,
}

impl Flush {
    /// Past this many files, one flush of the file system is cheaper than
    /// one per file (on a busy disk it can take a fifth of a second).
    const EACH_UP_TO: usize = 256;

    fn of(target: &Path, changes: &Changes<'_>) -> Flush {
        if changes.made.len() + changes.removed.len() > Self::EACH_UP_TO {
            return Flush::All;
        }
        let folders =
            changes.made.iter().chain(&changes.removed).map(|rel| rel.rsplit_once('/').map_or("", |(d, _)| d));
        let mut folders: Vec<&str> = folders.collect();
        folders.sort_unstable();
        folders.dedup();
        let files = changes.made.iter().map(|rel| target.join(rel));
        // A removed file's folder may be gone with it: its parent then changed.
        let folders = folders.into_iter().map(|f| target.join(f)).map(|mut p| {
            while !p.is_dir() && p.pop() {}
            p
        });
        let mut paths: Vec<PathBuf> = files.chain(folders).collect();
        paths.dedup();
        Flush::Each(paths)
    }
}

impl Finishing {
    /// Seal the build: flush what it wrote, then clear its journal. (Until
    /// the journal is gone, the next build repairs every file it names.)
    pub fn finish(self) -> Result<()> {
        let Some(flush) = self.flush else { return Ok(()) };
        match flush {
            Flush::Each(paths) => paths.par_iter().try_for_each(|p| fsx::sync(p))?,
            Flush::All => fsx::sync_file_system(&self.target)?,
        }
        let journal = journal_path(&self.target);
        fsx::remove_file_if_exists(&journal)?;
        fsx::sync(journal.parent().unwrap_or(Path::new(".")))
    }
}

/// A build's claim on its output folder (see [`Output::lock`]), held until dropped.
#[derive(Debug)]
pub struct Lock {
    _file: std::fs::File,
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build leaves no staging folder behind; the output
            // was never touched.
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

fn marker(build_id: u64) -> String {
    format!("This folder was written by gazette build.\nbuild-id: {build_id}\n")
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The staging folder beside an output, and the state folder.
fn siblings(target: &Path) -> (PathBuf, PathBuf) {
    let name = file_name(target);
    (target.with_file_name(format!(".{name}.gazette-staging")), crate::state::Manifest::folder_for(target))
}

/// Where an output's journal lives: in its build state folder.
fn journal_path(target: &Path) -> PathBuf {
    siblings(target).1.join("journal")
}

/// The journal's first line; the paths follow, one a line, then a line
/// `end <count>` that shows it was written whole.
const JOURNAL_HEADER: &str = "gazette journal 1";

fn write_journal<'r>(path: &Path, rels: impl Iterator<Item = &'r str>) -> Result<()> {
    let mut text = format!("{JOURNAL_HEADER}\n");
    let mut count = 0;
    for rel in rels {
        // Output paths never hold a line break: escape one anyway, rather
        // than misread the journal.
        text.push_str(&rel.replace('\\', "\\\\").replace('\n', "\\n"));
        text.push('\n');
        count += 1;
    }
    text.push_str(&format!("end {count}\n"));
    fsx::write_durably(path, text.as_bytes())
}

fn read_journal(path: &Path) -> Result<Unfinished> {
    let text = match fsx::read_optional(path)? {
        None => return Ok(Unfinished::default()),
        Some(bytes) => String::from_utf8(bytes).unwrap_or_default(),
    };
    let mut lines: Vec<&str> = text.lines().collect();
    let end = lines.pop().and_then(|l| l.strip_prefix("end ")).and_then(|n| n.parse::<usize>().ok());
    if lines.first() != Some(&JOURNAL_HEADER) || end != Some(lines.len() - 1) {
        return Ok(Unfinished { files: HashSet::default(), unreadable: true });
    }
    Ok(Unfinished { files: lines[1..].iter().map(|l| unescape(l)).collect(), unreadable: false })
}

/// A journal line back to its path (`\\n` is a line break, `\\\\` a backslash).
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Make every folder the files at `rels` need under `dir`: one `mkdir`
/// each, in parallel; a folder whose parent another thread has not made
/// yet makes the parent itself.
fn make_folders<'r>(dir: &Path, rels: impl Iterator<Item = &'r str>) -> Result<()> {
    let mut folders: Vec<&str> = rels.filter_map(|rel| rel.rsplit_once('/').map(|(dir, _)| dir)).collect();
    folders.sort_unstable();
    folders.dedup();
    folders.par_iter().try_for_each(|folder| {
        let path = inside(dir, folder)?;
        match fsx::create_dir(&path) {
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                fsx::create_dir_all(&path)
            }
            other => other.map(drop),
        }
    })
}

/// Remove a file under `dir` if it is there, and the folders it leaves empty.
fn remove_and_prune(dir: &Path, rel: &str) -> Result<()> {
    let path = inside(dir, rel)?;
    fsx::remove_file_if_exists(&path)?;
    let mut folder = path.parent();
    while let Some(d) = folder.filter(|d| *d != dir) {
        if !d.exists() {
            folder = d.parent();
            continue;
        }
        if !fsx::remove_empty_dir(d)? {
            break;
        }
        folder = d.parent();
    }
    Ok(())
}

/// Refuse to commit when something no build wrote stands where a made
/// file goes: at its path, or as a file (or link) where it needs a folder.
/// What the commit removes first is out of the way.
fn check_clashes(target: &Path, changes: &Changes<'_>, owned: &(dyn Fn(&str) -> bool + Sync)) -> Result<()> {
    let removed: HashSet<&str> = changes.removed.iter().copied().collect();
    let mut problems = Vec::new();
    // Folders found present (true) or absent, so each is looked at once.
    let mut seen: rustc_hash::FxHashMap<&str, bool> = Default::default();
    'files: for rel in changes.made.iter().filter(|rel| !owned(rel)) {
        let mut end = 0;
        while let Some(slash) = rel[end..].find('/') {
            let folder = &rel[..end + slash];
            end += slash + 1;
            let present = match seen.get(folder) {
                Some(&present) => present,
                None => {
                    let present = match std::fs::symlink_metadata(target.join(folder)) {
                        Ok(m) if m.is_dir() => true,
                        Ok(_) if removed.contains(folder) => false,
                        Ok(_) => {
                            problems.push(clash(target, folder, rel));
                            continue 'files;
                        }
                        Err(_) => false,
                    };
                    seen.insert(folder, present);
                    present
                }
            };
            if !present {
                continue 'files;
            }
        }
        let in_the_way = match std::fs::symlink_metadata(target.join(rel)) {
            Err(_) => false,
            Ok(m) if m.is_dir() => !goes_whole(target, rel, &removed),
            Ok(_) => true,
        };
        if in_the_way {
            problems.push(clash(target, rel, rel));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(Error::Input(problems)) }
}

/// Does the commit remove everything in the folder `rel` of the output
/// (so the folder goes too)?
fn goes_whole(target: &Path, rel: &str, removed: &HashSet<&str>) -> bool {
    walkdir::WalkDir::new(target.join(rel)).into_iter().all(|entry| {
        entry.is_ok_and(|e| {
            e.file_type().is_dir()
                || e.path()
                    .strip_prefix(target)
                    .ok()
                    .and_then(Path::to_str)
                    .is_some_and(|r| removed.contains(r.replace('\\', "/").as_str()))
        })
    })
}

fn clash(target: &Path, found: &str, rel: &str) -> Diagnostic {
    let what = if found == rel { "writes this file".to_string() } else { format!("needs a folder here for {rel}") };
    Diagnostic::at(
        target.join(found),
        0,
        0,
        format!(
            "was not written by Gazette, and the build now {what}: move it out of the output folder (Gazette \
             never replaces what it did not write)"
        ),
    )
}

/// How many entries at the top of the output no build made.
fn foreign_tops(target: &Path, tops: &HashSet<&str>) -> Result<usize> {
    let entries = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?;
    Ok(entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name != MARKER && !tops.contains(name.as_ref())
        })
        .count())
}

/// The path for `rel` under `dir`, refusing anything that could leave it.
fn inside(dir: &Path, rel: &str) -> Result<PathBuf> {
    let rel_path = Path::new(rel);
    if rel.is_empty() || !rel_path.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(Error::Usage(format!("refusing to write {rel:?}: outside the output folder")));
    }
    Ok(dir.join(rel_path))
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
    if let Ok(link) = std::fs::read_link(target) {
        // `absolute` resolves every link that leads somewhere.
        return refuse(&format!("it is a symbolic link to {}, which does not exist", link.display()));
    }
    if target.exists() {
        if !target.is_dir() {
            return refuse("it is a file");
        }
        let empty = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?.next().is_none();
        if !empty && !target.join(MARKER).exists() {
            return refuse(&format!(
                "it is not empty and was not written by Gazette (it has no {MARKER} file); remove it or choose \
                 another --output (to have Gazette write into it and keep what is there, create an empty \
                 {MARKER} file in it)"
            ));
        }
    }
    Ok(())
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

    fn changes<'a>(
        made: &[&'a str],
        removed: &[&'a str],
        owned: Option<&'a (dyn Fn(&str) -> bool + Sync)>,
    ) -> Changes<'a> {
        let tops = made.iter().map(|r| r.split('/').next().unwrap_or(r)).collect();
        Changes { made: made.to_vec(), removed: removed.to_vec(), owned, tops }
    }

    fn commit(
        paths: &SitePaths,
        files: &[(&str, &str)],
        removed: &[&str],
        owned: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Committed> {
        let out = Output::start(paths, 7)?;
        out.prepare_folders(files.iter().map(|f| f.0))?;
        for (rel, text) in files {
            out.file(rel, text.as_bytes())?;
        }
        let made: Vec<&str> = files.iter().map(|f| f.0).collect();
        let (committed, finishing) = out.commit(&changes(&made, removed, Some(owned)))?;
        finishing.finish()?;
        Ok(committed)
    }

    fn read(paths: &SitePaths, rel: &str) -> String {
        std::fs::read_to_string(paths.output.join(rel)).unwrap()
    }

    #[test]
    fn a_first_commit_makes_the_output_and_a_failed_build_leaves_it_alone() {
        let (_dir, paths) = site();
        commit(&paths, &[("a/index.html", "one")], &[], &|_| false).unwrap();
        assert_eq!(read(&paths, "a/index.html"), "one");
        assert_eq!(Output::build_id(&paths.output), Some(7));

        let out = Output::start(&paths, 8).unwrap();
        assert_eq!(out.id(), 7, "an output keeps its id");
        out.file("a/index.html", b"two").unwrap();
        drop(out);
        assert_eq!(read(&paths, "a/index.html"), "one");
        let beside: Vec<_> = std::fs::read_dir(&paths.root).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(beside.len(), 2, "content and output only, no staging: {beside:?}");
    }

    #[test]
    fn commits_replace_and_remove_only_what_gazette_wrote() {
        let (_dir, paths) = site();
        commit(&paths, &[("a/b/index.html", "one"), ("c.txt", "c")], &[], &|_| false).unwrap();
        std::fs::write(paths.output.join("CNAME"), "news.example.org").unwrap();
        std::fs::create_dir_all(paths.output.join(".git/objects")).unwrap();
        std::fs::write(paths.output.join("a/notes.txt"), "mine").unwrap();
        let owned = |rel: &str| matches!(rel, "a/b/index.html" | "c.txt");
        let committed = commit(&paths, &[("a/b/index.html", "two")], &["c.txt"], &owned).unwrap();
        assert_eq!(read(&paths, "a/b/index.html"), "two");
        assert!(!paths.output.join("c.txt").exists());
        assert_eq!(read(&paths, "CNAME"), "news.example.org");
        assert!(paths.output.join(".git/objects").is_dir());
        assert_eq!(read(&paths, "a/notes.txt"), "mine");
        assert_eq!(committed.kept, 2, "CNAME and .git");
        // Removing the last page of a folder that holds a file of the user's keeps the folder.
        commit(&paths, &[], &["a/b/index.html"], &|rel| rel == "a/b/index.html").unwrap();
        assert!(!paths.output.join("a/b").exists(), "empty folders go");
        assert_eq!(read(&paths, "a/notes.txt"), "mine");
    }

    #[test]
    fn a_file_gazette_did_not_write_is_never_replaced() {
        let (_dir, paths) = site();
        commit(&paths, &[("index.html", "home")], &[], &|_| false).unwrap();
        std::fs::write(paths.output.join("CNAME"), "mine").unwrap();
        std::fs::write(paths.output.join("files"), "a file of mine").unwrap();
        let owned = |rel: &str| rel == "index.html";
        let error = commit(&paths, &[("index.html", "new"), ("CNAME", "x"), ("files/report.pdf", "pdf")], &[], &owned)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("output/CNAME: was not written by Gazette, and the build now writes this file"),
            "{error}"
        );
        assert!(
            error.contains(
                "output/files: was not written by Gazette, and the build now needs a folder here for files/report.pdf"
            ),
            "{error}"
        );
        assert_eq!(read(&paths, "CNAME"), "mine");
        assert_eq!(read(&paths, "index.html"), "home", "nothing changed");
    }

    #[test]
    fn a_commit_journals_first_and_finish_clears_the_journal() {
        let (_dir, paths) = site();
        commit(&paths, &[("a/index.html", "one")], &[], &|_| false).unwrap();
        let out = Output::start(&paths, 1).unwrap();
        out.prepare_folders(["b/index.html"].into_iter()).unwrap();
        out.file("b/index.html", b"b").unwrap();
        let (_, finishing) = out.commit(&changes(&["b/index.html"], &["a/index.html"], Some(&|_| true))).unwrap();
        assert!(interrupted(&paths), "the journal stays until the build is sealed");
        let unfinished = recover(&paths).unwrap();
        let mut named: Vec<&str> = unfinished.files.iter().map(String::as_str).collect();
        named.sort();
        assert_eq!(named, ["a/index.html", "b/index.html"]);
        finishing.finish().unwrap();
        assert!(!interrupted(&paths));
        assert!(!recover(&paths).unwrap().any());
    }

    #[test]
    fn a_torn_journal_is_unreadable_not_empty() {
        let (_dir, paths) = site();
        let state = crate::state::Manifest::folder_for(&absolute(&paths.output));
        std::fs::create_dir_all(&state).unwrap();
        std::fs::write(state.join("journal"), format!("{JOURNAL_HEADER}\na/index.html\n")).unwrap();
        assert!(recover(&paths).unwrap().unreadable);
        write_journal(&state.join("journal"), ["x\ny", "a\\nb"].into_iter()).unwrap();
        let back = recover(&paths).unwrap();
        assert!(!back.unreadable);
        assert!(back.files.contains("x\ny") && back.files.contains("a\\nb"));
    }

    #[test]
    fn leftovers_of_an_interrupted_build_are_cleaned_up() {
        let (dir, paths) = site();
        commit(&paths, &[("a/index.html", "one")], &[], &|_| false).unwrap();
        let staging = dir.path().join(".output.gazette-staging");
        std::fs::create_dir_all(staging.join("x")).unwrap();
        // An older Gazette's swap, stopped between its two renames.
        let old = dir.path().join(".output.gazette-old");
        std::fs::rename(&paths.output, &old).unwrap();
        recover(&paths).unwrap();
        assert!(!staging.exists());
        assert!(!old.exists());
        assert_eq!(read(&paths, "a/index.html"), "one");
    }

    #[test]
    fn paths_cannot_escape() {
        let (_dir, paths) = site();
        let out = Output::start(&paths, 1).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            assert!(out.file(bad, b"x").is_err(), "{bad}");
            assert!(inside(&paths.output, bad).is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_is_no_output_folder() {
        let (dir, _) = site();
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(dir.path().join("nowhere/www"), &link).unwrap();
        let paths = SitePaths::new(dir.path(), Some(&link));
        let error = Output::lock(&paths).unwrap_err();
        assert!(matches!(error, Error::Usage(_)), "{error:?}");
        assert!(error.to_string().contains("is a symbolic link to"), "{error}");
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
            assert!(Output::start(&p, 1).is_err(), "{}", bad.display());
        }
        assert!(foreign.join("thesis.txt").exists());
        // Refused before anything was made for it.
        assert!(!dir.path().join("missing").exists());
    }
}
