//! Hugo (and Zola) content into Gazette articles.
//!
//! Part of import. Input: the Markdown files of a `content/` folder, with
//! YAML (`---`) or TOML (`+++`) front matter; a leaf bundle's `index.md`
//! is an article and its other files are copied beside it. Output: the same
//! front matter with the date found where the site kept it (a date key, a
//! day in the old address, the file or folder name: see `find_date`),
//! `slug` kept (or taken from the file or bundle name, which is what
//! Hugo's URL used), `lastmod` as Gazette's `updated`, Zola's
//! `[taxonomies]` lifted to the top, a series as the `story`, the old
//! addresses (`path`, `url`, `aliases`) as `aliases`; `draft`, `[params]`,
//! `[extra]` and every other key kept under their names. Shortcodes are
//! kept verbatim and reported.

use serde_json::Value;

use super::dated::{ADDRESS_KEYS, DATE_KEYS, DateRule, date_in, dated_name};
use super::{Converted, Found, Front, Item, Plan, take_aliases, template_tags};
use crate::authoring::date_text;
use crate::authoring::front_matter::Names;
use crate::error::Located;
use crate::load::{ArticleDate, article};
use crate::slug::Slug;

fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The folder of a leaf bundle whose `index.md` is at `rel`.
fn bundle_of(rel: &str) -> Option<&str> {
    let (dir, name) = rel.rsplit_once('/')?;
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    (stem == "index" && is_markdown(name)).then_some(dir)
}

/// Markdown files are articles, but `_index.md` (a section's list page);
/// the other files of a leaf bundle go with its `index.md`.
pub fn plan(files: Vec<Found>) -> Plan {
    let bundles: Vec<String> = files.iter().filter_map(|f| bundle_of(&f.rel)).map(|d| format!("{d}/")).collect();
    let bundle_for = |rel: &str| bundles.iter().filter(|b| rel.starts_with(b.as_str())).max_by_key(|b| b.len());
    let mut plan = Plan::default();
    let mut resources = Vec::new();
    for file in files {
        let name = file_name(&file.rel);
        let markdown = is_markdown(name);
        if markdown && name.starts_with("_index.") {
            plan.ignored.push((file, "a section's list page (_index.md), not an article".into()));
        } else if bundle_of(&file.rel).is_some() {
            plan.articles.push(Item { file, resources: Vec::new() });
        } else if let Some(bundle) = bundle_for(&file.rel) {
            if markdown {
                plan.ignored.push((file, "a Markdown resource of a page bundle, not an article".into()));
            } else {
                resources.push((bundle.trim_end_matches('/'), file));
            }
        } else if markdown {
            plan.articles.push(Item { file, resources: Vec::new() });
        } else {
            plan.ignored.push((file, "not Markdown content (only the files of page bundles are copied)".into()));
        }
    }
    for (bundle, file) in resources {
        if let Some(item) = plan.articles.iter_mut().find(|i| bundle_of(&i.file.rel) == Some(bundle)) {
            item.resources.push(file);
        }
    }
    plan
}

/// Convert one content file.
pub fn convert(item: &Item, text: &str, cx: &super::Context<'_>) -> Result<Converted, Vec<Located>> {
    let rel = &item.file.rel;
    let mut front = Front::parse(text)?;
    let title = front.title();
    let found = find_date(&front, rel, cx);
    let (title, found) = match (title, found) {
        (Ok(title), Ok(found)) => (title, found),
        (title, found) => return Err(title.err().into_iter().chain(found.err()).collect()),
    };
    let date = found.date;
    // The date is `date` now, wherever it was.
    match found.rule {
        DateRule::Key(key) if key != "date" => {
            front.map.remove(key);
            if let Some(at) = front.lines.get(key).copied() {
                front.lines.insert("date".into(), at);
            }
        }
        DateRule::ExtraDate => {
            if let Some(Value::Object(extra)) = front.map.get_mut("extra") {
                extra.remove("date");
                if extra.is_empty() {
                    front.map.remove("extra");
                }
            }
        }
        _ => {}
    }
    // Hugo's last modification date is Gazette's `updated`.
    if !front.map.contains_key("updated")
        && let Some(key) = ["lastmod", "modified"].into_iter().find(|k| front.map.contains_key(*k))
        && let Some(updated) = front.written_date(&[key], cx.load)
    {
        front.map.remove(key);
        front.map.insert("updated".into(), Value::from(updated));
        if let Some(at) = front.lines.get(key).copied() {
            front.lines.insert("updated".into(), at);
        }
    }
    let mut notes = Vec::new();
    lift_taxonomies(&mut front);
    notes.extend(lift_story(&mut front));

    let explicit = front.map.get("slug").and_then(Value::as_str).map(str::to_string);
    let slug_text = explicit.unwrap_or_else(|| {
        // Hugo's URL used the file name, or the bundle's folder name;
        // Zola's too, without a date at its start.
        let named = page_name(rel);
        let named = dated_name(named).map_or(named, |(_, rest)| rest).to_string();
        front.map.insert("slug".into(), Value::from(named.clone()));
        named
    });
    let stem = Slug::sanitize(&slug_text).or_else(|| Slug::from_text(&title)).ok_or_else(|| {
        vec![front.problem("slug", "neither the slug nor the title has letters or digits to name a file")]
    })?;
    notes.extend(take_aliases(&mut front, &["path", "url", "permalink", "aliases"], cx.permalink, date.day(), &stem));
    let body = front.split.body.to_string();
    let warnings = template_tags(&body, front.body_line(text), &[("{{<", ">}}"), ("{{%", "%}}")], "Hugo shortcode");
    let bundle = bundle_of(rel).map(|d| format!("{d}/"));
    let resources = item
        .resources
        .iter()
        .map(|f| {
            let name = bundle.as_deref().and_then(|b| f.rel.strip_prefix(b)).unwrap_or(&f.rel);
            (f.path.clone(), name.to_string())
        })
        .collect();
    let (mut written, key_lines) = front.into_front_matter(title, found.written);
    if let Some(note) = found.note {
        written.note("date", note);
    }
    Ok(Converted {
        day: date.day(),
        stem,
        front: written,
        body,
        key_lines,
        resources,
        warnings,
        notes,
        dated_by: found.rule,
    })
}

/// The name Hugo and Zola made the page's URL from: the file's stem, or a
/// leaf bundle's folder.
fn page_name(rel: &str) -> &str {
    match bundle_of(rel) {
        Some(dir) => file_name(dir),
        None => file_name(rel).rsplit_once('.').map_or(file_name(rel), |(stem, _)| stem),
    }
}

/// A date found for a post, and how.
struct FoundDate {
    date: ArticleDate,
    /// As the imported front matter writes it.
    written: String,
    rule: DateRule,
    /// Where it came from, for a comment above `date:`; `None` for `date:` itself.
    note: Option<String>,
}

/// The post's date, from the first rule that finds one: a date key (a
/// date that does not parse is an error, as in Hugo), `date` in Zola's
/// `[extra]`, a day in the old address, the start of the file or folder
/// name.
fn find_date(front: &Front<'_>, rel: &str, cx: &super::Context<'_>) -> Result<FoundDate, Located> {
    // Jekyll's `published: false` is a flag, not a date.
    let keys: Vec<&'static str> =
        DATE_KEYS.into_iter().filter(|k| !front.map.get(*k).is_some_and(|v| v.is_null() || v.is_boolean())).collect();
    if let Some(key) = keys.iter().find(|k| front.map.contains_key(**k)) {
        let date = front.date(&[key], cx.load)?.unwrap_or_else(|| unreachable!("the key is set"));
        let written = front.written_date(&[key], cx.load).unwrap_or_else(|| date_text(&date));
        let note = (*key != "date").then(|| format!("gazette import: date from `{key}`"));
        return Ok(FoundDate { date, written, rule: DateRule::Key(key), note });
    }
    if let Some(Value::Object(extra)) = front.map.get("extra")
        && let Some(value) = extra.get("date").filter(|v| !v.is_null())
    {
        let date = article::parse_date_value("date", value, cx.load).map_err(|m| front.problem("extra", m))?;
        let note = Some("gazette import: date from `date` in `[extra]`".to_string());
        return Ok(FoundDate { written: date_text(&date), date, rule: DateRule::ExtraDate, note });
    }
    let day_only = |day, rule, note: String| {
        let date = article::midnight(day, cx.load.timezone);
        FoundDate { written: date_text(&date), date, rule, note: Some(note) }
    };
    for key in ADDRESS_KEYS {
        let first = match front.map.get(key) {
            Some(Value::Array(items)) => items.first(),
            other => other,
        };
        if let Some(address) = first.and_then(Value::as_str)
            && let Some(day) = date_in(address)
        {
            return Ok(day_only(day, DateRule::Address(key), format!("gazette import: date from {key} {address:?}")));
        }
    }
    let (name, rule) = match bundle_of(rel) {
        Some(dir) => (file_name(dir), DateRule::FolderName),
        None => (file_name(rel), DateRule::FileName),
    };
    if let Some((day, _)) = dated_name(name) {
        let what = if rule == DateRule::FolderName { "folder" } else { "file" };
        return Ok(day_only(day, rule, format!("gazette import: date from the {what} name {name:?}")));
    }
    Err(Located::new(
        1,
        1,
        "no date: looked for `date`, `publishDate`, `pubDate`, `pubdate`, `published` and `date` in `[extra]`, \
         for a YYYY/MM/DD or YYYY-MM-DD in `path`, `url`, `slug`, `permalink` and the first of `aliases`, and at \
         the start of the file or folder name (2024-01-01-slug.md); add `date:` to import it",
    ))
}

/// Zola keeps authors, tags, categories and series in `[taxonomies]`:
/// make them Gazette's own keys; other taxonomies stay where they are.
fn lift_taxonomies(front: &mut Front<'_>) {
    let Some(Value::Object(mut taxonomies)) = front.map.remove("taxonomies") else { return };
    for key in ["tags", "categories", "authors", "series", "story"] {
        let Some(Value::Array(items)) = taxonomies.remove(key) else { continue };
        let mut merged = match front.map.remove(key) {
            Some(Value::Array(existing)) => existing,
            Some(Value::String(one)) => vec![Value::String(one)],
            _ => Vec::new(),
        };
        for item in items {
            if !merged.contains(&item) {
                merged.push(item);
            }
        }
        front.map.insert(key.to_string(), Value::Array(merged));
    }
    if !taxonomies.is_empty() {
        front.map.insert("taxonomies".into(), Value::Object(taxonomies));
    }
}

/// A series (Hugo's and Zola's taxonomy) is a running story: `story:` names
/// it. An article is in one story; a second one named is noted and dropped.
fn lift_story(front: &mut Front<'_>) -> Option<Located> {
    let mut names: Vec<String> = Vec::new();
    let mut first_key = None;
    for key in ["story", "series"] {
        let Some(found) = front.map.get(key).and_then(Names::from_value) else { continue };
        front.map.remove(key);
        first_key.get_or_insert(key);
        for name in found.to_vec() {
            if !name.trim().is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let key = first_key?;
    if let Some(at) = front.lines.get(key).copied() {
        front.lines.insert("story".into(), at);
    }
    let story = names.first()?.clone();
    front.map.insert("story".into(), Value::from(story.clone()));
    (names.len() > 1).then(|| {
        front.problem("story", format!("an article is in one running story: kept {story:?}, dropped {:?}", &names[1..]))
    })
}
