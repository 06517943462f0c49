//! Jekyll posts into Gazette articles.
//!
//! Part of import. Input: the files of a `_posts/` folder, named
//! `YYYY-MM-DD-slug.md`, with YAML front matter. Output: the same front
//! matter with the date made explicit (from `date:`, else the file name),
//! the file name's slug kept as `slug:`, Jekyll's space-separated `tags` and
//! `categories` made lists; `permalink`, `layout` and every other key kept
//! as they are. Liquid tags are kept verbatim and reported.

use chrono::NaiveDate;
use serde_json::Value;

use super::dated::DateRule;
use super::{Converted, Found, Front, Item, Plan, take_aliases, template_tags};
use crate::error::Located;
use crate::load::article;
use crate::slug::Slug;

/// Markdown files named `YYYY-MM-DD-slug.md` are posts.
pub fn plan(files: Vec<Found>) -> Plan {
    let mut plan = Plan::default();
    for file in files {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        let markdown = [".md", ".markdown"].iter().any(|e| name.to_ascii_lowercase().ends_with(e));
        if !markdown {
            plan.ignored.push((file, "not a Markdown post (only .md and .markdown files are converted)".into()));
        } else if file_name_date(name).is_none() {
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
    let Some((named_day, named_slug)) = file_name_date(name) else {
        return Err(vec![Located::new(1, 1, "the file name does not start with a date")]);
    };
    let mut front = Front::parse(text)?;
    let title = front.title().map_err(|e| vec![e])?;
    let date = front.date(&["date"], cx.load).map_err(|e| vec![e])?;
    let mut notes = Vec::new();
    if let Some(d) = date
        && d.day() != named_day
    {
        notes.push(front.problem(
            "date",
            format!("the date ({}) is not the file name's ({named_day}); the date: key wins, as in Jekyll", d.day()),
        ));
    }
    let dated_by = if date.is_some() { DateRule::Key("date") } else { DateRule::FileName };
    let date = date.unwrap_or_else(|| article::midnight(named_day, cx.load.timezone));

    // Jekyll's `tags: a b` and `categories: news world` are lists written
    // with spaces (a single `category` is one name).
    for key in ["tags", "categories"] {
        if let Some(Value::String(words)) = front.map.get(key) {
            let list: Vec<Value> = words.split_whitespace().map(Value::from).collect();
            front.map.insert(key.to_string(), Value::Array(list));
        }
    }
    let explicit = front.map.get("slug").and_then(Value::as_str).map(str::to_string);
    let slug_text = explicit.unwrap_or_else(|| {
        front.map.insert("slug".into(), Value::from(named_slug));
        named_slug.to_string()
    });
    let stem = Slug::sanitize(&slug_text).or_else(|| Slug::from_text(&title)).ok_or_else(|| {
        vec![front.problem("slug", "neither the slug nor the title has letters or digits to name a file")]
    })?;
    notes.extend(take_aliases(&mut front, &["permalink"], cx.permalink, date.day(), &stem));
    let body = front.split.body.to_string();
    let warnings = template_tags(&body, front.body_line(text), &[("{%", "%}"), ("{{", "}}")], "Liquid tag");
    let written = front.written_date(&["date"], cx.load).unwrap_or_else(|| crate::authoring::date_text(&date));
    let (mut front, key_lines) = front.into_front_matter(title, written);
    if dated_by == DateRule::FileName {
        front.note("date", format!("gazette import: date from the file name {name:?}"));
    }
    Ok(Converted { day: date.day(), stem, front, body, key_lines, resources: Vec::new(), warnings, notes, dated_by })
}
