//! `gazette new`: a headline in, a new article file out.
//!
//! Writes `content/YYYY/MM/<slug>.md` (or `.txt` in wire form) for the
//! headline, with the date (now in the site's timezone unless given),
//! bylines and dateline filled in and the body left for the writer. What
//! it writes is read back with Gazette's own loader before it is saved, and
//! an existing file is never replaced.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, Timelike};

use super::front_matter::{FrontMatter, Names};
use super::{date_text, wire_date_text};
use crate::config::{Config, SitePaths};
use crate::error::{Error, Result};
use crate::fsx;
use crate::load::{self, ArticleDate, Source, SourceKind, date};
use crate::slug::Slug;

/// Which kind of file to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with YAML front matter (`.md`).
    Markdown,
    /// Plain-text wire copy (`.txt`).
    Wire,
}

/// What `gazette new` was asked for.
#[derive(Debug, Clone)]
pub struct NewArticle {
    /// The site folder.
    pub root: PathBuf,
    /// The headline.
    pub title: String,
    /// Bylined names, in order.
    pub authors: Vec<String>,
    /// The dateline.
    pub location: Option<String>,
    /// The date as the writer typed it (any form Gazette reads); now when `None`.
    pub date: Option<String>,
    /// Markdown or wire copy.
    pub format: Format,
    /// The current time.
    pub now: DateTime<FixedOffset>,
}

/// Write the new article; returns its path. Bad input (an empty headline,
/// an unreadable date) and an existing file are [`Error::Usage`].
pub fn new_article(new: &NewArticle) -> Result<PathBuf> {
    let paths = SitePaths::new(&new.root, None);
    let config = Config::load(&paths)?;
    let title = new.title.trim();
    let location = new.location.as_deref().map(str::trim).filter(|l| !l.is_empty());
    let authors: Vec<&str> = new.authors.iter().map(|a| a.trim()).filter(|a| !a.is_empty()).collect();
    if title.is_empty() {
        return Err(Error::Usage("the headline is empty".into()));
    }
    if let Some(text) = [title].iter().chain(&authors).chain(&location).find(|t| t.contains(['\n', '\r'])) {
        return Err(Error::Usage(format!("{text:?}: headline, names and location must each be one line")));
    }
    let date = match &new.date {
        Some(text) => date::parse(text, config.timezone).ok_or_else(|| {
            Error::Usage(match date::impossible_day(text) {
                Some(why) => format!("--date {text:?} is not a day: {why}"),
                None => format!(
                    "--date {text:?}: write it like `2025-12-03`, `2025-12-03 14:30 +01:00` or `December 3, 2025`"
                ),
            })
        })?,
        None => {
            let now = new.now.with_timezone(&config.timezone);
            let minute = now.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(now);
            ArticleDate { at: minute, has_time: true }
        }
    };
    let slug = Slug::from_text(title)
        .ok_or_else(|| Error::Usage(format!("the headline {title:?} has no letters or digits to name a file after")))?;
    let (kind, extension) = match new.format {
        Format::Markdown => (SourceKind::Markdown, "md"),
        Format::Wire => (SourceKind::Wire, "txt"),
    };
    let day = date.day();
    let rel = format!("{}/{slug}.{extension}", day.format("%Y/%m"));
    let path = paths.content.join(&rel);
    let display = paths.display(&path);
    let text = match new.format {
        Format::Markdown => {
            let byline = match authors.as_slice() {
                [] => None,
                [one] => Some(Names::One(one.to_string())),
                many => Some(Names::Many(many.iter().map(|a| a.to_string()).collect())),
            };
            let (author, authors) = if authors.len() > 1 { (None, byline) } else { (byline, None) };
            FrontMatter {
                title: title.to_string(),
                date: date_text(&date),
                author,
                authors,
                location: location.map(str::to_string),
                // Pinned: a headline edited after publication keeps its URL.
                slug: Some(slug.to_string()),
                ..FrontMatter::default()
            }
            .to_text("\n")
        }
        Format::Wire => {
            let separator = config.byline_separators.first().map_or(" & ", String::as_str);
            let mut text = format!("{title}\n- {}\n", authors.join(separator));
            if let Some(location) = location {
                text.push_str(&format!("- {location}\n"));
            }
            text.push_str(&format!("- {}\n\n", wire_date_text(&date)));
            // "- " with nothing after it is an empty byline; keep it tidy.
            text.replace("\n- \n", "\n-\n")
        }
    };
    let options = config.load_options();
    let source = Source { rel, path, kind };
    let article = load::parse_article(&source, text.as_bytes(), &display, &options).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        Error::Usage(format!("cannot write a valid article: {}", list.join("; ")))
    })?;
    // A location that reads as a date would shift a wire header.
    let meta = &article.meta;
    if meta.title != title || meta.date != date || meta.location.as_deref() != location {
        return Err(Error::Usage(
            "these values cannot be written as wire copy without being misread; use --format md".into(),
        ));
    }
    let path = source.path;
    if !fsx::lands_inside(&path, &paths.content) {
        return Err(Error::Usage(format!(
            "{}: a folder on the way is a link to outside content/; new writes only inside content/",
            display.display()
        )));
    }
    if !fsx::write_new(&path, text.as_bytes())? {
        return Err(Error::Usage(format!(
            "{}: already exists; edit that file, or choose another headline or date",
            display.display()
        )));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(dir: &std::path::Path, format: Format) -> NewArticle {
        NewArticle {
            root: dir.to_path_buf(),
            title: "Talks: a \"deal\" #1 & more".into(),
            authors: vec!["Ann Lee".into(), "Bo Chen".into()],
            location: Some("Geneva".into()),
            date: None,
            format,
            now: DateTime::parse_from_rfc3339("2025-12-31T23:30:45.5-05:00").unwrap(),
        }
    }

    #[test]
    fn both_formats_read_back_as_asked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "timezone: \"+01:00\"\n").unwrap();
        for format in [Format::Markdown, Format::Wire] {
            let path = new_article(&new(dir.path(), format)).unwrap();
            let ext = if format == Format::Wire { "txt" } else { "md" };
            // Now in the site's timezone (+01:00) is already January.
            assert_eq!(path, dir.path().join(format!("content/2026/01/talks-a-deal-1-more.{ext}")));
            let kind = if format == Format::Wire { SourceKind::Wire } else { SourceKind::Markdown };
            let source = Source { rel: format!("x.{ext}"), path: path.clone(), kind };
            let opts = crate::load::LoadOptions {
                timezone: FixedOffset::east_opt(0).unwrap(),
                byline_separators: vec![" & ".into()],
                known_authors: Default::default(),
                limits: Default::default(),
                search: None,
                keep_extra: true,
            };
            let a = load::read_article(&source, &path, &opts).unwrap();
            assert_eq!(a.meta.title, "Talks: a \"deal\" #1 & more");
            assert_eq!(a.meta.date.at.to_rfc3339(), "2026-01-01T05:30:00+01:00");
            let names: Vec<&str> = a.meta.authors.iter().map(|a| a.name.as_str()).collect();
            assert_eq!(names, ["Ann Lee", "Bo Chen"]);
            assert_eq!(a.meta.location.as_deref(), Some("Geneva"));
        }
    }

    #[test]
    fn an_existing_file_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let args = NewArticle { date: Some("Dec. 3, 2025".into()), ..new(dir.path(), Format::Markdown) };
        let path = new_article(&args).unwrap();
        std::fs::write(&path, "edited").unwrap();
        let e = new_article(&args).unwrap_err();
        assert!(matches!(&e, Error::Usage(m) if m.contains("2025/12/talks-a-deal-1-more.md: already exists")), "{e}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "edited");
    }

    #[cfg(unix)]
    #[test]
    fn a_month_folder_linked_outside_content_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/2025")).unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("content/2025/12")).unwrap();
        let args = NewArticle { date: Some("Dec. 3, 2025".into()), ..new(dir.path(), Format::Markdown) };
        let e = new_article(&args).unwrap_err();
        assert!(
            matches!(&e, Error::Usage(m) if m == "content/2025/12/talks-a-deal-1-more.md: a folder on the way is a \
                link to outside content/; new writes only inside content/"),
            "{e}"
        );
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn bad_input_is_a_usage_error() {
        let dir = tempfile::tempdir().unwrap();
        for args in [
            NewArticle { title: "  ".into(), ..new(dir.path(), Format::Markdown) },
            NewArticle { title: "!!!".into(), ..new(dir.path(), Format::Markdown) },
            NewArticle { date: Some("someday".into()), ..new(dir.path(), Format::Markdown) },
            NewArticle { location: Some("a\nb".into()), ..new(dir.path(), Format::Wire) },
            NewArticle { title: "- dash".into(), ..new(dir.path(), Format::Wire) },
            NewArticle { location: Some("2025-01-01".into()), ..new(dir.path(), Format::Wire) },
        ] {
            assert!(matches!(new_article(&args), Err(Error::Usage(_))), "{args:?}");
        }
        assert!(!dir.path().join("content").exists());
    }
}
