//! Jekyll posts into Gazette articles.
//!
//! Part of import. Input: the files of a `_posts/` folder, named
//! `YYYY-MM-DD-slug.md` (or `.html`), with YAML front matter, and of a
//! `_drafts/` folder. Output: the same front matter with the date made
//! explicit (from `date:`, else, or when it does not parse, the file name;
//! a draft without either gets its file's modification time, as Jekyll
//! dates drafts), drafts marked `draft: true`, the file name's slug kept as
//! `slug:`, Jekyll's space-separated `tags` and `categories` made lists,
//! the categories of a post in `<category>/_posts/` (Jekyll's folder
//! categories) put first among its `categories`,
//! `permalink` and `redirect_from` as `aliases`; `layout` and every other
//! key kept as they are. An HTML post's body is kept as HTML (Markdown
//! passes it through). Liquid tags are kept verbatim and reported.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde_json::Value;

use super::dated::DateRule;
use super::{Converted, Found, Front, Item, Plan, take_aliases, template_tags};
use crate::error::Located;
use crate::load::{ArticleDate, article};
use crate::slug::Slug;

/// Where a draft's path starts (see [`folders`]).
const DRAFTS: &str = "_drafts/";

/// The folders to read, each with the prefix its files' paths get: a
/// site's `_posts/` and `_drafts/` folders, at its root and in its
/// category folders (`business/_posts/`), or the `_posts/` or `_drafts/`
/// folder given, or any other folder as posts.
pub fn folders(source: &Path) -> Vec<(PathBuf, String)> {
    let named = source.file_name().and_then(|n| n.to_str()).filter(|n| SPECIAL.contains(n));
    if let Some(name) = named {
        return vec![(source.to_path_buf(), format!("{name}/"))];
    }
    // Not the site's output, its dependencies, hidden or other special
    // folders; never into a posts folder (its files are walked later).
    // Links are not followed: a posts folder is one inside the site.
    let walked = walkdir::WalkDir::new(source).min_depth(1).sort_by_file_name();
    let inside = walked.into_iter().filter_entry(|entry| {
        let name = entry.file_name().to_string_lossy();
        let special = SPECIAL.contains(&name.as_ref());
        entry.file_type().is_dir()
            && (special || !(name.starts_with('_') || name.starts_with('.') || SKIPPED.contains(&name.as_ref())))
            && entry
                .path()
                .parent()
                .and_then(Path::file_name)
                .is_none_or(|parent| !SPECIAL.iter().any(|s| parent == *s))
    });
    let inside: Vec<(PathBuf, String)> = inside
        .filter_map(Result::ok)
        .filter(|entry| SPECIAL.iter().any(|s| entry.file_name() == *s))
        .filter_map(|entry| {
            let rel = entry.path().strip_prefix(source).ok()?.to_str()?.replace('\\', "/");
            Some((entry.path().to_path_buf(), format!("{rel}/")))
        })
        .collect();
    if inside.is_empty() { vec![(source.to_path_buf(), String::new())] } else { inside }
}

/// The folders Jekyll reads posts from.
const SPECIAL: [&str; 2] = ["_posts", "_drafts"];

/// Folders of a Jekyll site that hold no posts of its own.
const SKIPPED: [&str; 2] = ["node_modules", "vendor"];

/// Is this the path of a draft?
fn is_draft(rel: &str) -> bool {
    rel.starts_with(DRAFTS) || rel.contains(&format!("/{DRAFTS}"))
}

/// The categories Jekyll gives a post for the folders above its
/// `_posts/` (`business/world/_posts/…` → business, world); none for a
/// post not in a `_posts/` or `_drafts/` folder.
fn folder_categories(rel: &str) -> Vec<&str> {
    let segments: Vec<&str> = rel.split('/').collect();
    match segments.iter().position(|segment| SPECIAL.contains(segment)) {
        Some(at) => segments[..at].iter().copied().filter(|s| !s.is_empty()).collect(),
        None => Vec::new(),
    }
}

/// Posts are Markdown or HTML files; those in `_posts/` are named
/// `YYYY-MM-DD-slug.md`.
pub fn plan(files: Vec<Found>) -> Plan {
    let mut plan = Plan::default();
    for file in files {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        let post = [".md", ".markdown", ".html", ".htm"].iter().any(|e| name.to_ascii_lowercase().ends_with(e));
        if !post {
            plan.ignored.push((file, "not a post (only .md, .markdown and .html files are converted)".into()));
        } else if let Some(why) = article::file_name_day_problem(name).filter(|_| !is_draft(&file.rel)) {
            plan.ignored.push((file, format!("{why}: rename the file with the post's real date")));
        } else if file_name_date(name).is_none() && !is_draft(&file.rel) {
            plan.ignored
                .push((file, "not a post: Jekyll post file names start with the date (YYYY-MM-DD-title.md)".into()));
        } else {
            plan.articles.push(Item { file, resources: Vec::new() });
        }
    }
    plan
}

/// `2025-12-03-harbour-strike.md` → (2025-12-03, "harbour-strike").
fn file_name_date(name: &str) -> Option<(NaiveDate, &str)> {
    let day = article::date_from_file_name(name)?;
    let rest = name.get(11..)?;
    Some((day, rest.rsplit_once('.').map_or(rest, |(stem, _)| stem)))
}

/// Convert one post.
pub fn convert(file: &Found, text: &str, cx: &super::Context<'_>) -> Result<Converted, Vec<Located>> {
    let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    let draft = is_draft(&file.rel);
    let named = file_name_date(name);
    let mut front = Front::parse(text)?;
    let title = front.title().map_err(|e| vec![e])?;
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    let written_date = front.map.get("date").map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
    let (date, dated_by) = match (front.date(&["date"], cx.load), named) {
        (Ok(Some(date)), named) => {
            if let Some((day, _)) = named.filter(|(day, _)| *day != date.day()) {
                notes.push(front.problem(
                    "date",
                    format!(
                        "the date ({}) is not the file name's ({day}); the date: key wins, as in Jekyll",
                        date.day()
                    ),
                ));
            }
            (date, DateRule::Key("date"))
        }
        (Ok(None), Some((day, _))) => (article::midnight(day, cx.load.timezone), DateRule::FileName),
        // Jekyll publishes a post whose date: it cannot read on the file
        // name's day: so does the import, saying so.
        (Err(bad), Some((day, _))) => {
            let written = written_date.clone().unwrap_or_default();
            warnings.push(Located::new(
                bad.line,
                bad.col,
                format!(
                    "date {written:?} does not parse: imported on the file name's day ({day}), as Jekyll publishes it"
                ),
            ));
            (article::midnight(day, cx.load.timezone), DateRule::FileNameOverBadDate)
        }
        (Ok(None), None) if draft => (modified(&file.path, cx)?, DateRule::Modified),
        (Err(bad), None) => return Err(vec![bad]),
        (Ok(None), None) => return Err(vec![Located::new(1, 1, "the file name does not start with a date")]),
    };
    if draft {
        front.map.insert("draft".into(), Value::Bool(true));
    }

    // Jekyll's `tags: a b` and `categories: news world` are lists written
    // with spaces (a single `category` is one name).
    for key in ["tags", "categories"] {
        if let Some(Value::String(words)) = front.map.get(key) {
            let list: Vec<Value> = words.split_whitespace().map(Value::from).collect();
            front.map.insert(key.to_string(), Value::Array(list));
        }
    }
    // The folders' categories come first, as Jekyll lists them, then
    // those of `category` and `categories`.
    let folders = folder_categories(&file.rel);
    if !folders.is_empty() {
        let mut categories: Vec<Value> = folders.into_iter().map(Value::from).collect();
        for key in ["category", "categories"] {
            let written = match front.map.remove(key) {
                Some(Value::Array(list)) => list,
                Some(Value::Null) | None => Vec::new(),
                Some(other) => vec![other],
            };
            for category in written {
                if !categories.contains(&category) {
                    categories.push(category);
                }
            }
        }
        front.map.insert("categories".into(), Value::Array(categories));
    }
    let named_slug = named.map_or_else(|| name.rsplit_once('.').map_or(name, |(stem, _)| stem), |(_, slug)| slug);
    let explicit = front.map.get("slug").and_then(Value::as_str).map(str::to_string);
    let slug_text = explicit.unwrap_or_else(|| {
        front.map.insert("slug".into(), Value::from(named_slug));
        named_slug.to_string()
    });
    let stem = Slug::sanitize(&slug_text).or_else(|| Slug::from_text(&title)).ok_or_else(|| {
        vec![front.problem("slug", "neither the slug nor the title has letters or digits to name a file")]
    })?;
    notes.extend(take_aliases(&mut front, &["permalink", "redirect_from"], cx.permalink, date.day(), &stem));
    let body = front.split.body.to_string();
    warnings.extend(template_tags(&body, front.body_line(text), &[("{%", "%}"), ("{{", "}}")], "Liquid tag"));
    let written = match dated_by {
        DateRule::Key(_) => front.written_date(&["date"], cx.load),
        _ => None,
    };
    let (mut front, key_lines) =
        front.into_front_matter(title, written.unwrap_or_else(|| crate::authoring::date_text(&date)));
    match dated_by {
        DateRule::FileName => front.note("date", format!("gazette import: date from the file name {name:?}")),
        DateRule::FileNameOverBadDate => front.note(
            "date",
            format!(
                "gazette import: date from the file name {name:?}; the post's date, {:?}, does not parse",
                written_date.unwrap_or_default()
            ),
        ),
        DateRule::Modified => front.note("date", "gazette import: date from the draft file's modification time"),
        _ => {}
    }
    Ok(Converted { day: date.day(), stem, front, body, key_lines, resources: Vec::new(), warnings, notes, dated_by })
}

/// When a file was last changed, in the site's timezone, to the second.
fn modified(path: &Path, cx: &super::Context<'_>) -> Result<ArticleDate, Vec<Located>> {
    use chrono::{DateTime, SubsecRound, Utc};
    let time = std::fs::metadata(path).and_then(|m| m.modified()).map_err(|e| {
        vec![Located::new(1, 1, format!("a draft without a date, and its modification time cannot be read: {e}"))]
    })?;
    let at = DateTime::<Utc>::from(time).with_timezone(&cx.load.timezone).trunc_subsecs(0);
    Ok(ArticleDate { at, has_time: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_folders_above_a_posts_folder_are_categories() {
        assert_eq!(folder_categories("business/world/_posts/2025-01-05-a.md"), ["business", "world"]);
        assert_eq!(folder_categories("sport/_drafts/a.md"), ["sport"]);
        for none in ["_posts/2025/2025-01-05-a.md", "posts/world/2025-01-06-b.md", "2025-01-06-b.md"] {
            assert!(folder_categories(none).is_empty(), "{none}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn posts_folders_behind_a_link_out_of_the_site_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let (site, outside) = (dir.path().join("site"), dir.path().join("outside"));
        std::fs::create_dir_all(site.join("business/_posts")).unwrap();
        std::fs::create_dir_all(site.join("_site/_posts")).unwrap();
        std::fs::create_dir_all(outside.join("secret/_posts")).unwrap();
        std::os::unix::fs::symlink(&outside, site.join("ext")).unwrap();
        let found: Vec<String> = folders(&site).into_iter().map(|(_, prefix)| prefix).collect();
        assert_eq!(found, ["business/_posts/"]);
    }
}
