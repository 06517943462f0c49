//! The first step of a build: the site's settings, read and checked.
//!
//! Input: the build options. Output: a [`Site`]: its folders, its
//! configuration (with the command line's overrides), its theme, the
//! settings' keys, the claim on the output folder, and what an earlier
//! build left unfinished. Every problem of the configuration, the profiles
//! and the templates is kept, not raised: the articles are checked too
//! before the build stops, so all are reported in one run.

use crate::config::{self, Config, SitePaths};
use crate::error::{Diagnostic, Error, Finding, Kind, Result};
use crate::keys::{self, Key, KeyBuilder};
use crate::load::LoadOptions;
use crate::render::Theme;
use crate::write::{self, Lock, Output, Unfinished};

use super::BuildOptions;

/// A site ready to build.
pub struct Site {
    /// Its folders.
    pub paths: SitePaths,
    /// Its configuration, with `--base-url` and `--theme` applied.
    pub config: Config,
    /// Its theme; `None` when the theme could not be loaded (its problems
    /// are in `problems`).
    pub theme: Option<Theme>,
    /// What the loader needs from the configuration.
    pub load_options: LoadOptions,
    /// The key of `load_options`: articles parsed under others are read again.
    pub load_settings: Key,
    /// Problems of the configuration, profiles and templates.
    pub problems: Vec<Diagnostic>,
    /// Things to tell the user that do not stop the build.
    pub warnings: Vec<Finding>,
    /// What an earlier build of the output left unfinished.
    pub unfinished: Unfinished,
    /// This build's claim on the output folder.
    _lock: Lock,
}

impl Site {
    /// Read and check the site's settings, claim its output folder, and
    /// clean up after an earlier build that stopped half way.
    pub fn open(options: &BuildOptions) -> Result<Site> {
        let paths = SitePaths::new(&options.root, options.output.as_deref());
        let (mut config, mut problems) = Config::load_checked(&paths)?;
        if let Some(url) = &options.base_url {
            let url = config::BaseUrl::parse(url).map_err(|m| Error::Usage(format!("--base-url: {m}")))?;
            config.base_url = Some(url);
        }
        if let Some(theme) = &options.theme {
            config.theme = Some(theme.clone());
        }
        let mut warnings = Vec::new();
        if config.base_url.is_none() {
            warnings.push(Finding::site(
                Kind::NoBaseUrl,
                "no base_url in site.yaml (or --base-url): feeds, sitemaps and canonical links need absolute \
                 URLs, so they were left out",
            ));
        }
        let theme = Theme::load_checked(&paths, &config, &mut problems)?;
        let lock = Output::lock(&paths)?;
        let unfinished = write::recover(&paths)?;
        let mut load_options = config.load_options();
        // Unknown front-matter keys are kept only for a theme that shows them.
        load_options.keep_extra = theme.as_ref().is_none_or(Theme::reads_extra);
        // Articles are kept between builds as loaded, search terms and all:
        // by these settings and the rules that read them and made the terms.
        let load_settings = keys::of_hash(&("load", &load_options, crate::load::RULES, crate::search::RULES));
        Ok(Site { paths, config, theme, load_options, load_settings, problems, warnings, unfinished, _lock: lock })
    }

    /// The theme, once the articles' problems are known: every problem
    /// of the site together is an error (the articles' alone are not,
    /// under `--keep-going`).
    pub fn theme(&mut self, articles: &[Diagnostic]) -> Result<Theme> {
        match self.theme.take() {
            Some(theme) if self.problems.is_empty() => Ok(theme),
            _ => {
                let all = [std::mem::take(&mut self.problems), articles.to_vec()].concat();
                Err(Error::Input(crate::error::by_file(all)))
            }
        }
    }

    /// The key of every setting that shapes pages: the configuration and
    /// the theme.
    pub fn settings(&self, theme: &Theme) -> Key {
        KeyBuilder::new("settings").key(self.config.key()).key(theme.key()).finish()
    }
}
