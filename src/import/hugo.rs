//! Hugo (and Zola) content into Gazette articles.
//!
//! Part of import. Input: the Markdown files of a `content/` folder, with
//! YAML (`---`) or TOML (`+++`) front matter; a leaf bundle's `index.md`
//! is an article and its other files are copied beside it. Output: the same
//! front matter with `slug` kept (or taken from the file or bundle name,
//! which is what Hugo's URL used), `lastmod` as Gazette's `updated`, Zola's
//! `[taxonomies]` tags and categories lifted to the top; `aliases`, `url`,
//! `draft`, `[params]`, `[extra]` and every other key kept under their
//! names. Shortcodes are kept verbatim and reported.

use serde_json::Value;

use super::{Converted, Found, Front, Item, Plan, old_url_note, template_tags};
use crate::error::Located;
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
    let date_keys = ["date", "publishDate", "pubDate", "pubdate"];
    let written = front.written_date(&date_keys, cx.load);
    let date = match front.date(&date_keys, cx.load) {
        Ok(Some(date)) => Ok(date),
        Ok(None) => Err(front.problem("date", "no date: an article needs `date:` (or Hugo's `publishDate:`)")),
        Err(e) => Err(e),
    };
    let (title, date) = match (title, date) {
        (Ok(title), Ok(date)) => (title, date),
        (title, date) => return Err(title.err().into_iter().chain(date.err()).collect()),
    };
    // The date came from one of these keys: it is `date` now.
    for key in ["publishDate", "pubDate", "pubdate"] {
        if !front.map.contains_key("date") && front.map.remove(key).is_some() {
            if let Some(at) = front.lines.get(key).copied() {
                front.lines.insert("date".into(), at);
            }
            break;
        }
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
    lift_taxonomies(&mut front);

    let explicit = front.map.get("slug").and_then(Value::as_str).map(str::to_string);
    let slug_text = explicit.unwrap_or_else(|| {
        // Hugo's URL used the file name, or the bundle's folder name.
        let named = match bundle_of(rel) {
            Some(dir) => file_name(dir),
            None => file_name(rel).rsplit_once('.').map_or(file_name(rel), |(stem, _)| stem),
        }
        .to_string();
        front.map.insert("slug".into(), Value::from(named.clone()));
        named
    });
    let stem = Slug::sanitize(&slug_text).or_else(|| Slug::from_text(&title)).ok_or_else(|| {
        vec![front.problem("slug", "neither the slug nor the title has letters or digits to name a file")]
    })?;
    let mut notes = Vec::new();
    for key in ["aliases", "url"] {
        notes.extend(old_url_note(&front, key, cx.permalink, date.day(), &stem));
    }
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
    let written = written.unwrap_or_else(|| crate::authoring::date_text(&date));
    let (front, key_lines) = front.into_front_matter(title, written);
    Ok(Converted { day: date.day(), stem, front, body, key_lines, resources, warnings, notes })
}

/// Zola keeps tags and categories in `[taxonomies]`: make them Gazette's
/// own; other taxonomies stay where they are.
fn lift_taxonomies(front: &mut Front<'_>) {
    let Some(Value::Object(mut taxonomies)) = front.map.remove("taxonomies") else { return };
    for key in ["tags", "categories", "authors"] {
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
