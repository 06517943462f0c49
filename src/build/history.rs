//! What earlier builds left in the output, and what this one removes.
//!
//! Input: the previous build's state (its record of every file it wrote)
//! and what an unfinished build left (its journal). Output: which files
//! an earlier build is known to have written (so only those are ever
//! removed), and the list of files this build takes out.

use rustc_hash::FxHashSet as HashSet;

use rayon::prelude::*;

use crate::plan::Plan;
use crate::state::Manifest;
use crate::write::Unfinished;

use super::FailedPage;

/// The previous build's records are trusted, except for the files an
/// unfinished build may have changed since.
pub struct WriteHistory {
    /// Files an earlier build wrote whose content an unfinished build left
    /// unknown (every file, when its journal could not be read): each is
    /// made again, or removed.
    pub unknown: HashSet<String>,
}

impl WriteHistory {
    /// Take an unfinished build's files out of the previous build's records.
    pub fn new(previous: Option<&mut Manifest>, unfinished: Unfinished) -> WriteHistory {
        let mut unknown = unfinished.files;
        if let Some(m) = previous {
            if unfinished.unreadable {
                unknown.extend(m.outputs.drain().map(|(rel, _)| rel));
            }
            for rel in &unknown {
                m.outputs.remove(rel);
            }
        }
        WriteHistory { unknown }
    }

    /// Did an earlier build write this file?
    pub fn owns(&self, previous: Option<&Manifest>, rel: &str) -> bool {
        self.unknown.contains(rel) || previous.is_some_and(|m| m.outputs.contains_key(rel))
    }

    /// The files to take out of the output: those an earlier build wrote
    /// that this one does not plan, and unknown ones that failed to render.
    /// `kept` is how many planned files have a record, when the plan counted them.
    pub fn removals<'a>(
        &'a self,
        previous: Option<&'a Manifest>,
        plan: &Plan,
        kept: Option<usize>,
        failed: &[FailedPage],
    ) -> Vec<&'a str> {
        let records = previous.map(|m| &m.outputs);
        let kept = kept
            .unwrap_or_else(|| records.map_or(0, |r| plan.files.par_iter().filter(|f| r.contains_key(&f.rel)).count()));
        let stale_records = records.is_some_and(|r| r.len() > kept);
        if !stale_records && self.unknown.is_empty() {
            return Vec::new();
        }
        let planned: HashSet<&str> = plan.files.iter().map(|f| f.rel.as_str()).collect();
        let failed: HashSet<&str> = failed.iter().map(|f| f.file.as_str()).collect();
        let mut removed: Vec<&str> = self
            .unknown
            .iter()
            .map(String::as_str)
            .filter(|rel| !planned.contains(rel) || failed.contains(rel))
            .collect();
        if stale_records && let Some(records) = records {
            removed.extend(records.keys().map(String::as_str).filter(|rel| !planned.contains(rel)));
        }
        removed.sort_unstable();
        removed
    }
}
