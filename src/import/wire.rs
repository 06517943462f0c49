//! Wire stories (`.txt`) into Markdown articles.
//!
//! Part of import. Input: plain-text wire copy, read by Gazette's own wire
//! parser. Output: front matter with the headline, the date as written
//! (with its offset if it named one), the byline as written and the dateline; the body is
//! the parser's escaped Markdown, so `#1`, `*` or `1.` at a line start
//! render as the text read, exactly as when the `.txt` is built directly.

use super::dated::DateRule;
use super::{Converted, Found, Item, Plan};
use crate::authoring::front_matter::{FrontMatter, Names};
use crate::error::Located;
use crate::load::{article, wire};

/// `.txt` files are stories; anything else is not imported.
pub fn plan(files: Vec<Found>) -> Plan {
    let mut plan = Plan::default();
    for file in files {
        if file.rel.to_ascii_lowercase().ends_with(".txt") {
            plan.articles.push(Item { file, resources: Vec::new() });
        } else {
            plan.ignored.push((file, "not a wire story (only .txt files are imported)".into()));
        }
    }
    plan
}

/// Convert one wire story.
pub fn convert(file: &Found, text: &str, cx: &super::Context<'_>) -> Result<Converted, Vec<Located>> {
    let story = wire::parse(text, cx.load.timezone).map_err(|e| vec![e])?;
    let byline = story.byline.clone();
    let article = article::from_wire(&file.rel, story, cx.load)?;
    let meta = article.meta;
    let date = super::as_written(&meta.date, |timezone| wire::parse(text, timezone).ok().map(|s| s.date));
    let mut key_lines = super::HashMap::default();
    if let Some((_, line)) = &byline {
        key_lines.insert("author".to_string(), (*line, 3));
    }
    let front = FrontMatter {
        title: meta.title,
        date,
        author: byline.map(|(byline, _)| Names::One(byline)),
        location: meta.location,
        // The URL the story had, pinned: editing the headline later keeps it.
        slug: Some(meta.slug.to_string()),
        ..FrontMatter::default()
    };
    Ok(Converted {
        day: meta.date.day(),
        stem: meta.slug,
        front,
        body: article.body,
        key_lines,
        resources: Vec::new(),
        warnings: Vec::new(),
        notes: Vec::new(),
        dated_by: DateRule::DateLine,
    })
}
