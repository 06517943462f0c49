//! The build manifest: what the previous build read and wrote.
//!
//! Read at the start of a build, written at its end. It records, for every
//! source under `content/`, its size, modification time, content hash and
//! parsed metadata (so unchanged articles are neither read nor parsed
//! again), and for every output file the key of its inputs and the hash of
//! its bytes (so unchanged pages are neither rendered nor written again).
//!
//! It lives beside the output folder (`.output.gazette-manifest` next to
//! `output/`), not in it, so it is never uploaded with the site. It is tied
//! to one output folder by a build id also written into that folder's
//! marker file; any mismatch (another output, a different Gazette, a
//! corrupt file) just means a full build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fsx;
use crate::keys::Key;
use crate::load::ArticleMeta;

/// Bumped whenever the manifest's layout or the meaning of keys changes.
const FORMAT: u32 = 1;

/// A source file as last seen.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourceRecord {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// Hash of the content.
    pub hash: Key,
    /// The parsed metadata, for an article that loaded without errors.
    pub meta: Option<ArticleMeta>,
}

/// An output file as last written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutputRecord {
    /// Key of everything it was made from (`None`: always regenerated).
    pub key: Option<Key>,
    /// Hash of its bytes.
    pub hash: Key,
    /// For article pages: the content paths its body links to, whose
    /// pages it depends on.
    pub linked: Vec<String>,
    /// For article pages: links that lead nowhere, to warn about on every build.
    pub broken: Vec<String>,
}

/// The state of one output folder after a build.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    format: u32,
    version: String,
    /// Matches the id in the output folder's marker file.
    pub build_id: u64,
    /// Key of the settings that shape every page (configuration, templates).
    pub settings: Key,
    /// Key of the settings that shape parsing (time zone, byline separators).
    pub load_settings: Key,
    /// When the build started, nanoseconds since the epoch; a source
    /// modified after this may have changed without its time moving.
    pub started_ns: i128,
    /// Sources by path inside `content/`.
    pub sources: HashMap<String, SourceRecord>,
    /// Output files by path inside the output folder.
    pub outputs: HashMap<String, OutputRecord>,
}

impl Manifest {
    /// An empty manifest for a new build.
    pub fn new(build_id: u64, settings: Key, load_settings: Key, started_ns: i128) -> Self {
        Manifest {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            build_id,
            settings,
            load_settings,
            started_ns,
            sources: HashMap::new(),
            outputs: HashMap::new(),
        }
    }

    /// Where the manifest of an output folder lives: beside it.
    pub fn path_for(output: &Path) -> PathBuf {
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        output.with_file_name(format!(".{name}.gazette-manifest"))
    }

    /// The manifest of the previous build into `output`, if there is a
    /// usable one: same format and Gazette version, and the output folder
    /// still carries its build id.
    pub fn load(output: &Path, output_build_id: Option<u64>) -> Option<Manifest> {
        let bytes = std::fs::read(Self::path_for(output)).ok()?;
        let manifest: Manifest = postcard::from_bytes(&bytes).ok()?;
        let usable = manifest.format == FORMAT
            && manifest.version == env!("CARGO_PKG_VERSION")
            && Some(manifest.build_id) == output_build_id;
        usable.then_some(manifest)
    }

    /// Write the manifest for `output` (through a temporary file, so a
    /// crash leaves the old one or the new one, never half of one).
    pub fn save(&self, output: &Path) -> Result<()> {
        let path = Self::path_for(output);
        let tmp = path.with_extension("tmp");
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut writer = std::io::BufWriter::with_capacity(1 << 20, file);
        postcard::to_io(self, &mut writer).map_err(|e| Error::Site(format!("{}: {e}", tmp.display())))?;
        std::io::Write::flush(&mut writer).map_err(|e| Error::io(&tmp, e))?;
        drop(writer);
        fsx::rename(&tmp, &path)
    }

    /// Remove the manifest of `output` (before a full build replaces it).
    pub fn remove(output: &Path) {
        let _ = std::fs::remove_file(Self::path_for(output));
    }
}

/// Modification time of file metadata in nanoseconds since the epoch (0 if unknown).
pub fn mtime_ns(metadata: &std::fs::Metadata) -> i128 {
    metadata
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128)
}
