//! The build manifest: what the previous build read and wrote.
//!
//! Read at the start of a build, written at its end (the sources once the
//! search index is made, the rest after the commit). It records, for every
//! article under `content/`, its parsed metadata with the stamp of the file
//! it came from (size, modification time, content hash: so unchanged
//! articles are neither read nor parsed again), and for every output file
//! the key of its inputs and the hash of its bytes (so unchanged pages are
//! neither rendered nor written again), and every article's related
//! stories as positions in the archive's order then (so an edit finds
//! again only the lists it can have changed, see [`crate::plan::related`]).
//! The articles' search terms are numbers of the process's vocabulary,
//! whose texts are saved beside them (the `words-` file) and read first.
//!
//! It lives beside the output folder (`.output.gazette-state/` next to
//! `output/`), not in it, so it is never uploaded with the site. Records
//! are stored in chunk files by a hash of their path: a build rewrites only
//! the chunks whose records changed, and all chunks are read in parallel.
//! The sources' chunks are named by the hash of their bytes, so those a
//! build saves early never replace the previous build's before the header
//! names them. A small header names the build id (also written into the output
//! folder's marker) and each chunk's hash; any mismatch (another output, a
//! different Gazette, a chunk torn by a crash) just means a full build.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::archive::discovery::RelatedLists;
use crate::error::{Error, Result};
use crate::fsx;
use crate::keys::{self, Key, KeyBuilder};
use crate::load::{ArticleMeta, Sources};
use crate::search::ShardsRecord;

/// Bumped whenever the manifest's layout or the meaning of keys changes.
const FORMAT: u32 = 21;

/// Records are spread over this many chunk files of each kind.
const CHUNKS: usize = 64;

/// A body link that leads nowhere, recorded with its page: it is warned
/// about on every build until it is fixed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BrokenLink {
    /// Root-absolute (`/about/`, works only from a domain root) rather
    /// than leading nowhere.
    pub rooted: bool,
    /// The article that writes it, as the user names it (`content/…`).
    pub file: String,
    /// Where the article writes it.
    pub line: u32,
    /// The column.
    pub col: u32,
    /// The path inside `content/` it leads to.
    pub target: String,
    /// What is wrong.
    pub message: String,
}

impl BrokenLink {
    /// A link of `reference` written at a (line, column) of `file`.
    pub fn new(file: &str, (line, col): (usize, usize), reference: crate::markdown::BrokenRef) -> Self {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        let crate::markdown::BrokenRef { rooted, target, message, .. } = reference;
        BrokenLink { rooted, file: file.to_string(), line: n(line), col: n(col), target, message }
    }

    /// As a warning.
    pub fn finding(&self) -> crate::error::Finding {
        use crate::error::{Diagnostic, Finding, Kind};
        let at = Diagnostic::at(&self.file, self.line as usize, self.col as usize, &self.message);
        Finding::new(if self.rooted { Kind::AbsoluteLink } else { Kind::BrokenLink }, at)
    }
}

/// An output file as last written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputRecord {
    /// Key of everything it was made from.
    #[serde(with = "keys::stored::option")]
    pub key: Option<Key>,
    /// Hash of its bytes.
    #[serde(with = "keys::stored")]
    pub hash: Key,
    /// For article pages: the content paths its body links to, whose
    /// pages it depends on.
    pub linked: Vec<String>,
    /// For article pages: links that lead nowhere, to warn about on every build.
    pub broken: Vec<BrokenLink>,
}

/// The photo headers saved by the last build into `output` (see
/// [`crate::photos::Known`]), with when that build started.
pub fn load_photos(output: &Path) -> Option<(i128, crate::photos::Headers)> {
    let bytes = std::fs::read(Manifest::folder_for(output).join("photos")).ok()?;
    let (started_ns, list): (i128, Vec<(String, crate::photos::Header)>) = postcard::from_bytes(&bytes).ok()?;
    Some((started_ns, list.into_iter().collect()))
}

/// Save the photo headers of a build that started at `started_ns`.
pub fn save_photos(output: &Path, started_ns: i128, headers: &crate::photos::Headers) -> Result<()> {
    let mut list: Vec<(&String, &crate::photos::Header)> = headers.iter().collect();
    list.sort_by(|a, b| a.0.cmp(b.0));
    let bytes = postcard::to_allocvec(&(started_ns, list))
        .map_err(|e| Error::Site(format!("cannot encode the photo headers: {e}")))?;
    let folder = Manifest::folder_for(output);
    fsx::create_dir_all(&folder)?;
    fsx::write_durably(&folder.join("photos"), &bytes)
}

/// The header file: identity and the hash of every chunk.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    version: String,
    build_id: u64,
    settings: Key,
    load_settings: Key,
    started_ns: i128,
    /// Per chunk: the key of its records (to tell, without serializing,
    /// whether it changed) and the hash of its file's bytes (to detect a
    /// torn write).
    sources: Vec<(Key, Key)>,
    outputs: Vec<(Key, Key)>,
    /// The hash of the related stories' file, when there is one.
    related: Option<Key>,
    /// The hash of the words file: the search vocabulary's texts, which
    /// the sources' search terms are numbers of.
    words: Key,
    /// What the search index's term shards were made from.
    shards: Option<ShardsRecord>,
}

/// What may have changed since the previous build, besides the sources
/// ([`Manifest::save_sources`]).
#[derive(Debug, Default)]
pub struct Changed<'a> {
    /// Output files made again or removed.
    pub outputs: Vec<&'a str>,
    /// Whether the related stories differ from the previous build's.
    pub related: bool,
}

/// The files as stored: per chunk, (records key, bytes hash) of the
/// sources and of the outputs; the related stories' bytes hash.
#[derive(Debug, Clone)]
struct Stored {
    sources: Vec<(Key, Key)>,
    outputs: Vec<(Key, Key)>,
    related: Option<Key>,
}

/// Every article's related stories as a build found them, with the key of
/// the archive order their positions index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RelatedRecord {
    /// The key of the archive's order (its sources, newest first).
    pub order: Key,
    /// The lists, in that order.
    pub lists: RelatedLists,
}

/// The state of one output folder after a build.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Matches the id in the output folder's marker file.
    pub build_id: u64,
    /// Key of the settings that shape every page (configuration, templates).
    pub settings: Key,
    /// Key of the settings that shape parsing (time zone, byline separators).
    pub load_settings: Key,
    /// When the build started, nanoseconds since the epoch; a source
    /// modified after this may have changed without its time moving.
    pub started_ns: i128,
    /// Articles by source path, as read (a build saves its own).
    pub sources: Sources,
    /// Output files by path inside the output folder.
    pub outputs: HashMap<String, OutputRecord>,
    /// Every article's related stories (none when the site shows none,
    /// or the file did not read whole: they are then found again).
    pub related: Option<RelatedRecord>,
    /// What the search index's term shards were made from (none when the
    /// site has no search).
    pub search_shards: Option<ShardsRecord>,
    /// The chunks as stored when this manifest was read, to skip
    /// rewriting the unchanged ones.
    stored: Option<Stored>,
}

impl Manifest {
    /// An empty manifest for a new build.
    pub fn new(build_id: u64, settings: Key, load_settings: Key, started_ns: i128) -> Self {
        Manifest { build_id, settings, load_settings, started_ns, ..Manifest::default() }
    }

    /// Where the state of an output folder lives: beside it.
    pub fn folder_for(output: &Path) -> PathBuf {
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        output.with_file_name(format!(".{name}.gazette-state"))
    }

    /// The manifest of the previous build into `output`, if there is a
    /// usable one: same format and Gazette version, the output folder still
    /// carries its build id, and every chunk is whole.
    pub fn load(output: &Path, output_build_id: Option<u64>) -> Option<Manifest> {
        let folder = Self::folder_for(output);
        let header: Header = postcard::from_bytes(&std::fs::read(folder.join("header")).ok()?).ok()?;
        let usable = header.format == FORMAT
            && header.version == env!("CARGO_PKG_VERSION")
            && Some(header.build_id) == output_build_id
            && header.sources.len() == CHUNKS
            && header.outputs.len() == CHUNKS;
        if !usable {
            return None;
        }
        let ((sources, outputs), (related, numbers)) = rayon::join(
            || rayon::join(|| read_sources(&folder, &header), || read_outputs(&folder, &header)),
            || (read_related(&folder, header.related), read_words(&folder, header.words)),
        );
        let (mut sources, outputs, numbers) = (sources?, outputs?, numbers?);
        let mut stored_sources = header.sources;
        // Read by a process that numbered words before (a test's, or one
        // building other sites): the terms are renumbered, and every
        // source chunk written again in its numbers.
        if numbers.iter().enumerate().any(|(i, &n)| n as usize != i) {
            sources.renumber_terms(&numbers)?;
            stored_sources.clear();
        }
        Some(Manifest {
            build_id: header.build_id,
            settings: header.settings,
            load_settings: header.load_settings,
            started_ns: header.started_ns,
            sources,
            outputs,
            related,
            search_shards: header.shards,
            stored: Some(Stored { sources: stored_sources, outputs: header.outputs, related: header.related }),
        })
    }

    /// Write the source records' chunks that changed (every article as
    /// read, with its search terms), before the pages are made, so that
    /// the build can let the terms go. Each chunk is written under a name
    /// of its own bytes' hash: the previous build's chunks stay as they
    /// are until [`Manifest::save`] writes the header naming the new ones,
    /// so a build that fails after this leaves the previous state whole.
    ///
    /// With `changed` (the paths whose records may differ from
    /// `previous`), only their chunks are even looked at.
    pub fn save_sources(
        output: &Path,
        previous: Option<&Manifest>,
        sources: &[&ArticleMeta],
        changed: Option<&[&str]>,
    ) -> Result<SavedSources> {
        let folder = Self::folder_for(output);
        fsx::create_dir_all(&folder)?;
        let stored = previous.and_then(|m| m.stored.as_ref()).map(|s| s.sources.as_slice());
        let dirty = changed.map(dirty_chunks);
        let chunks = write_chunks(&folder, "sources", sources.iter().copied(), stored, dirty.as_deref())?;
        // The texts of the numbers in the sources' terms (a vocabulary
        // only grows: the terms of the chunks kept from before too).
        let words = crate::search::vocabulary::stored();
        let words_hash = keys::of_bytes(&words);
        if !folder.join(words_name(words_hash)).exists() {
            store(&folder, &words_name(words_hash), &words)?;
        }
        Ok(SavedSources { chunks, words: words_hash })
    }

    /// Write the manifest for `output`: the output records' chunks that
    /// changed, then the header naming them and the source chunks
    /// [`Manifest::save_sources`] wrote, each flushed to disk (through a
    /// temporary file, so a crash leaves a header that either matches its
    /// chunks or is detected as not matching); then the source chunks no
    /// header names any more are removed.
    ///
    /// With `changed` (the output paths whose records may differ from
    /// `previous`), only their chunks are even looked at; without, every
    /// chunk is compared with what is stored.
    pub fn save(
        &self,
        output: &Path,
        previous: Option<&Manifest>,
        sources: SavedSources,
        changed: Option<Changed<'_>>,
    ) -> Result<()> {
        let folder = Self::folder_for(output);
        fsx::create_dir_all(&folder)?;
        let stored = previous.and_then(|m| m.stored.as_ref());
        let related = self.save_related(&folder, stored, changed.as_ref())?;
        let dirty = changed.as_ref().map(|c| dirty_chunks(&c.outputs));
        let outputs = write_chunks(
            &folder,
            "outputs",
            self.outputs.iter(),
            stored.map(|s| s.outputs.as_slice()),
            dirty.as_deref(),
        )?;
        let header = Header {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            build_id: self.build_id,
            settings: self.settings,
            load_settings: self.load_settings,
            started_ns: self.started_ns,
            sources: sources.chunks,
            outputs,
            related,
            words: sources.words,
            shards: self.search_shards.clone(),
        };
        let bytes = postcard::to_stdvec(&header).map_err(|e| Error::Site(format!("saving the build manifest: {e}")))?;
        // On disk, with its chunks, before the build's journal is cleared:
        // a state that does not describe the output must never be trusted.
        fsx::write_durably(&folder.join("header"), &bytes)?;
        remove_stale_sources(&folder, &header.sources, header.words);
        Ok(())
    }
}

/// The source chunks a build wrote ([`Manifest::save_sources`]), for its
/// header: per chunk, (records key, bytes hash); and the words file's hash.
#[derive(Debug)]
pub struct SavedSources {
    chunks: Vec<(Key, Key)>,
    words: Key,
}

/// Which chunks these paths fall in.
fn dirty_chunks(paths: &[&str]) -> Vec<bool> {
    let mut dirty = vec![false; CHUNKS];
    for path in paths {
        dirty[chunk_of(path)] = true;
    }
    dirty
}

/// The file name of chunk `n` of `kind`: the source chunks are named by
/// the hash of their bytes (see [`Manifest::save_sources`]).
fn chunk_name(kind: &str, n: usize, bytes_hash: Key) -> String {
    if kind == "sources" { format!("{kind}-{n:02}-{bytes_hash:032x}") } else { format!("{kind}-{n:02}") }
}

/// The file name of the words file whose bytes have this hash.
fn words_name(bytes_hash: Key) -> String {
    format!("words-{bytes_hash:032x}")
}

/// Remove the source chunks and words files the header does not name (a
/// previous build's, or a failed build's). Best effort: a file left
/// behind is only space.
fn remove_stale_sources(folder: &Path, named: &[(Key, Key)], words: Key) {
    let mut keep: std::collections::HashSet<PathBuf> =
        named.iter().enumerate().map(|(n, &(_, hash))| folder.join(chunk_name("sources", n, hash))).collect();
    keep.insert(folder.join(words_name(words)));
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let is_source = name.to_str().is_some_and(|name| name.starts_with("sources-") || name.starts_with("words-"));
        if is_source && !keep.contains(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

impl Manifest {
    /// Write the related stories' file, unless they are as stored;
    /// returns its bytes hash for the header.
    fn save_related(
        &self,
        folder: &Path,
        stored: Option<&Stored>,
        changed: Option<&Changed<'_>>,
    ) -> Result<Option<Key>> {
        let Some(related) = &self.related else { return Ok(None) };
        if let (Some(changed), Some(hash)) = (changed, stored.and_then(|s| s.related))
            && !changed.related
        {
            return Ok(Some(hash));
        }
        let bytes = postcard::to_stdvec(related).map_err(|e| Error::Site(format!("saving the build manifest: {e}")))?;
        store(folder, "related", &bytes)?;
        Ok(Some(keys::of_bytes(&bytes)))
    }
}

/// The sources' chunks, as one table.
fn read_sources(folder: &Path, header: &Header) -> Option<Sources> {
    let chunks = read_chunks::<ArticleMeta>(folder, "sources", &header.sources)?;
    let mut metas = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        metas.extend(chunk);
    }
    Some(Sources::new(metas))
}

/// The words file: this process's number for each of its texts.
fn read_words(folder: &Path, hash: Key) -> Option<Vec<u32>> {
    crate::search::vocabulary::renumbering(&read_whole(&folder.join(words_name(hash)), hash)?)
}

/// The bytes of a file, if they hash to `hash` (a file of the state, or
/// of the output as a build recorded it): none when it is missing, torn
/// or edited since.
pub fn read_whole(path: &Path, hash: Key) -> Option<Vec<u8>> {
    let bytes = std::fs::read(path).ok()?;
    (keys::of_bytes(&bytes) == hash).then_some(bytes)
}

/// The outputs' chunks, as one table.
fn read_outputs(folder: &Path, header: &Header) -> Option<HashMap<String, OutputRecord>> {
    let chunks = read_chunks::<(String, OutputRecord)>(folder, "outputs", &header.outputs)?;
    let mut outputs = HashMap::with_capacity_and_hasher(chunks.iter().map(Vec::len).sum(), Default::default());
    outputs.extend(chunks.into_iter().flatten());
    Some(outputs)
}

/// The related stories' file, if the header names one and it is whole.
fn read_related(folder: &Path, hash: Option<Key>) -> Option<RelatedRecord> {
    postcard::from_bytes(&read_whole(&folder.join("related"), hash?)?).ok()
}

/// Write a file of the state through a temporary file, flushed to disk.
fn store(folder: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let path = folder.join(name);
    let tmp = folder.join(format!("{name}.tmp"));
    fsx::write(&tmp, bytes)?;
    fsx::sync(&tmp)?;
    fsx::rename(&tmp, &path)
}

/// Which chunk a record goes in.
fn chunk_of(path: &str) -> usize {
    (xxhash_rust::xxh3::xxh3_64(path.as_bytes()) % CHUNKS as u64) as usize
}

/// A record with the path it is filed under.
trait Record: Serialize + Sync {
    fn path(&self) -> &str;
    /// What identifies the record's content (cheaper than serializing it).
    fn key(&self) -> Key;
}

impl Record for &ArticleMeta {
    fn path(&self) -> &str {
        &self.source
    }

    fn key(&self) -> Key {
        // The metadata follows from the content (and the load settings,
        // which the header holds), so the stamp is enough.
        let stamp = &self.stamp;
        KeyBuilder::new("source")
            .str(self.path())
            .num(stamp.size)
            .bytes(&stamp.mtime_ns.to_le_bytes())
            .key(stamp.hash)
            .finish()
    }
}

impl Record for (&String, &OutputRecord) {
    fn path(&self) -> &str {
        self.0
    }

    fn key(&self) -> Key {
        let (path, r) = self;
        keys::of_hash(&("output", path, r.key, r.hash, &r.linked, &r.broken))
    }
}

/// Read every chunk of one kind in parallel, checking each against the
/// header. The chunks are returned as read, not joined into one list: the
/// caller moves each record once, into the list or table it keeps.
fn read_chunks<R>(folder: &Path, kind: &str, hashes: &[(Key, Key)]) -> Option<Vec<Vec<R>>>
where
    R: for<'de> Deserialize<'de> + Send,
{
    hashes
        .par_iter()
        .enumerate()
        .map(|(n, &(_, bytes_hash))| {
            postcard::from_bytes(&read_whole(&folder.join(chunk_name(kind, n, bytes_hash)), bytes_hash)?).ok()
        })
        .collect()
}

/// Write the chunks of one kind whose records changed since `stored`;
/// returns every chunk's (records key, bytes hash) for the header.
fn write_chunks<R: Record + Send>(
    folder: &Path,
    kind: &str,
    records: impl Iterator<Item = R>,
    stored: Option<&[(Key, Key)]>,
    dirty: Option<&[bool]>,
) -> Result<Vec<(Key, Key)>> {
    // Which chunk each record goes in, on every core (hashing each path
    // means reading it from wherever it sits in memory).
    let records: Vec<R> = records.collect();
    let chunks: Vec<usize> = records.par_iter().map(|r| chunk_of(r.path())).collect();
    let mut buckets: Vec<Vec<R>> = (0..CHUNKS).map(|_| Vec::new()).collect();
    for (record, chunk) in records.into_iter().zip(chunks) {
        buckets[chunk].push(record);
    }
    buckets
        .into_par_iter()
        .enumerate()
        .map(|(n, mut bucket)| {
            // A chunk no changed path falls in is as stored.
            if let (Some(dirty), Some(&old)) = (dirty, stored.and_then(|s| s.get(n)))
                && !dirty[n]
            {
                return Ok(old);
            }
            // The same records give the same bytes whatever the map's order.
            bucket.sort_unstable_by(|a, b| a.path().cmp(b.path()));
            let mut k = KeyBuilder::new(kind);
            for record in &bucket {
                k.key(record.key());
            }
            let records_key = k.finish();
            if let Some(&(old_key, old_hash)) = stored.and_then(|s| s.get(n))
                && old_key == records_key
            {
                return Ok((records_key, old_hash));
            }
            let bytes =
                postcard::to_stdvec(&bucket).map_err(|e| Error::Site(format!("saving the build manifest: {e}")))?;
            let hash = keys::of_bytes(&bytes);
            store(folder, &chunk_name(kind, n, hash), &bytes)?;
            Ok((records_key, hash))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> OutputRecord {
        OutputRecord { key: Some(u128::from(n)), hash: u128::from(n), linked: vec![], broken: vec![] }
    }

    #[test]
    fn a_manifest_round_trips_and_rewrites_only_changed_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let mut m = Manifest::new(42, 1, 2, 3);
        for n in 0..500 {
            m.outputs.insert(format!("page/{n}/index.html"), record(n));
        }
        m.save(&output, None, Manifest::save_sources(&output, None, &[], None).unwrap(), None).unwrap();
        let back = Manifest::load(&output, Some(42)).unwrap();
        assert_eq!(back.outputs.len(), 500);
        assert_eq!(back.outputs["page/7/index.html"].hash, 7);
        assert!(Manifest::load(&output, Some(43)).is_none(), "another output folder");

        let folder = Manifest::folder_for(&output);
        let modified = |name: &str| std::fs::metadata(folder.join(name)).unwrap().modified().unwrap();
        let before: Vec<_> = (0..CHUNKS).map(|n| modified(&format!("outputs-{n:02}"))).collect();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut next = back.clone();
        next.outputs.insert("page/7/index.html".into(), record(700));
        let sources = Manifest::save_sources(&output, Some(&back), &[], Some(&[])).unwrap();
        let changed = Changed { outputs: vec!["page/7/index.html"], related: false };
        next.save(&output, Some(&back), sources, Some(changed)).unwrap();
        let after: Vec<_> = (0..CHUNKS).map(|n| modified(&format!("outputs-{n:02}"))).collect();
        let rewritten = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        assert_eq!(rewritten, 1);
        assert_eq!(Manifest::load(&output, Some(42)).unwrap().outputs["page/7/index.html"].hash, 700);
    }

    #[test]
    fn a_torn_chunk_means_no_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("output");
        let mut m = Manifest::new(1, 1, 1, 1);
        m.outputs.insert("a".into(), record(1));
        m.save(&output, None, Manifest::save_sources(&output, None, &[], None).unwrap(), None).unwrap();
        let chunk = Manifest::folder_for(&output).join(format!("outputs-{:02}", chunk_of("a")));
        std::fs::write(&chunk, b"garbage").unwrap();
        assert!(Manifest::load(&output, Some(1)).is_none());
    }
}
