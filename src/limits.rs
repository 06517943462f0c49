//! Limits: how much one source file may cost the build.
//!
//! A value type shared by the phases that enforce the limits (load,
//! markdown), set in the configuration (`limits:` in `site.yaml`).

use serde::Deserialize;

/// How much one source file may cost. Each limit is checked before the
/// work it guards, and passing it is an error naming the file, the line
/// and the limit; the defaults are far above real news copy, and a site
/// whose archive needs more raises them in `site.yaml` (`limits:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Names in one byline: each gets an author page that lists the others.
    pub byline_names: usize,
    /// Kilobytes of front matter (or of a wire story's header lines):
    /// headlines, bylines and summaries are repeated on every listing page.
    pub front_matter_kb: usize,
    /// How deep raw HTML in a Markdown body may nest (the HTML parser's
    /// work grows with the depth at every tag).
    pub html_depth: usize,
    /// Megabytes of HTML one article body may become.
    pub body_mb: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { byline_names: 100, front_matter_kb: 256, html_depth: 512, body_mb: 8 }
    }
}

impl Limits {
    /// The largest front matter, in bytes.
    pub fn front_matter_bytes(&self) -> usize {
        self.front_matter_kb.saturating_mul(1024)
    }

    /// The largest HTML of one article body, in bytes.
    pub fn body_bytes(&self) -> usize {
        self.body_mb.saturating_mul(1024 * 1024)
    }
}
