//! `gazette init`: a folder in, a ready site out.
//!
//! Writes a commented `site.yaml` (every key, at its default), `content/`
//! with one sample story in each format, and a `.gitignore` for the built
//! site and its build state. Refuses a folder that already holds something
//! unless forced, and even then never replaces a file.

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::fsx;

/// The files of a new site: (path inside the site, content).
pub const STARTER: &[(&str, &str)] = &[
    (CONFIG_FILE, include_str!("starter/site.yaml")),
    (".gitignore", include_str!("starter/gitignore")),
    ("content/2025/06/ferry-returns.txt", include_str!("starter/ferry-returns.txt")),
    ("content/2025/06/library-hours.md", include_str!("starter/library-hours.md")),
];

/// What `init` did.
#[derive(Debug, Default)]
pub struct InitReport {
    /// Files written.
    pub created: Vec<PathBuf>,
    /// Files left alone because they already existed.
    pub kept: Vec<PathBuf>,
}

/// Make a new site in `dir` (created if missing). Unless `force`, `dir`
/// must be empty (a version-control folder like `.git` is fine); with
/// `force`, the missing files are added and existing ones are kept.
pub fn init(dir: &Path, force: bool) -> Result<InitReport> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!("{}: not a folder", dir.display())));
    }
    if !force && let Some(entry) = first_entry(dir)? {
        return Err(Error::Usage(format!(
            "{} is not empty (it has {entry}): run `gazette init` in an empty folder, or add --force to add the \
             missing files (existing files are never overwritten)",
            dir.display()
        )));
    }
    let mut report = InitReport::default();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if fsx::write_new(&path, text.as_bytes())? {
            report.created.push(path);
        } else {
            report.kept.push(path);
        }
    }
    Ok(report)
}

/// The name of something in `dir` other than version-control folders.
fn first_entry(dir: &Path) -> Result<Option<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let name = entry.map_err(|e| Error::io(dir, e))?.file_name().to_string_lossy().into_owned();
        if !matches!(name.as_str(), ".git" | ".hg" | ".svn") {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{self, Config, SitePaths};

    #[test]
    fn the_starter_configuration_is_the_defaults_and_explains_every_key() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), false).unwrap();
        let loaded = Config::load(&SitePaths::new(dir.path(), None)).unwrap();
        assert_eq!(loaded.key(), Config::default().key());
        let text = std::fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap();
        for key in config::KEYS {
            assert!(text.contains(&format!("\n{key}:")) || text.contains(&format!("\n# {key}:")), "{key}");
        }
    }

    #[test]
    fn a_folder_with_files_is_refused_unless_forced_and_nothing_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(init(dir.path(), false).unwrap().created.len(), STARTER.len());

        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "title: Mine\n").unwrap();
        let e = init(dir.path(), false).unwrap_err();
        assert!(matches!(&e, Error::Usage(m) if m.contains("not empty (it has site.yaml)")), "{e}");
        assert!(!dir.path().join("content").exists());
        let report = init(dir.path(), true).unwrap();
        assert_eq!(report.kept, vec![dir.path().join(CONFIG_FILE)]);
        assert_eq!(report.created.len(), STARTER.len() - 1);
        assert_eq!(std::fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap(), "title: Mine\n");
    }
}
