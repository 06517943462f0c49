//! WordPress exports (WXR) into Gazette articles.
//!
//! Part of import. Input: the file WordPress's `Tools → Export` writes
//! and, with `--uploads DIR`, a copy of the old site's
//! `wp-content/uploads`. Output: one article per post, written like every
//! import's ([`super::place`]): the headline, the date on its local day
//! (`wp:post_date` with the offset `wp:post_date_gmt` implies), the
//! author's display name, the summary (the excerpt), the section (the
//! first category, or Yoast's primary one, at the top of its tree), the
//! categories and tags, the slug, the featured image, the old addresses
//! as `aliases`, and the body in Markdown ([`body`]). Pages, attachments,
//! menu items and other items are counted, not imported; private, trashed
//! and password-protected posts are left out, each with its reason; drafts,
//! pending and scheduled posts are imported as drafts.
//!
//! The export is read twice, as a stream ([`wxr`]), so memory does not grow
//! with it: a first pass checks that it is well-formed and gathers the
//! attachments (a featured image may come after its post); the second
//! converts the posts in parallel batches and writes them in order. A
//! malformed export writes nothing; a write that fails removes what the
//! import wrote before it.

pub mod body;
pub mod uploads;
pub mod wxr;

use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDateTime, TimeZone, Timelike};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde_json::Value;

use super::dated::DateRule;
use super::{Context, Converted, Found, ImportReport, KeyLines, place};
use crate::authoring::date_text;
use crate::authoring::front_matter::{Extra, FrontMatter, Names};
use crate::error::{Located, Result};
use crate::fsx;
use crate::load::ArticleDate;
use crate::slug::Slug;
use body::At;
use uploads::Uploads;
use wxr::{Channel, Item};

/// How many items are converted together (in parallel) before they are
/// written.
const BATCH: usize = 256;

/// What to import, and where.
pub struct Request<'a> {
    /// The export file.
    pub export: &'a Path,
    /// A copy of the old site's `wp-content/uploads`.
    pub uploads: Option<&'a Path>,
    /// Where articles go.
    pub into: &'a Path,
    /// Report only; write nothing.
    pub dry_run: bool,
}

/// Import a WordPress export. Errors are about the whole run (a malformed
/// export, a file that cannot be written: then nothing of the import is
/// left); per-post problems are in the report.
pub fn import(request: &Request<'_>, cx: &Context<'_>) -> Result<ImportReport> {
    let mut attachments = HashMap::default();
    let channel = wxr::read(request.export, false, |item| {
        if item.post_type == "attachment" && !item.attachment_url.is_empty() {
            attachments.insert(item.post_id, item.attachment_url);
        }
        Ok(())
    })?;
    let site = Site { channel, attachments };
    let into_existed = request.into.exists();
    let mut run = Run {
        site: &site,
        cx,
        request,
        export: Found { rel: String::new(), path: request.export.to_path_buf() },
        uploads: Uploads::new(
            [site.channel.home.as_str(), site.channel.site.as_str()],
            request.uploads.map(Path::to_path_buf),
        ),
        taken: HashSet::default(),
        report: ImportReport::default(),
    };
    let mut batch = Vec::with_capacity(BATCH);
    let read = wxr::read(request.export, true, |item| {
        batch.push(item);
        if batch.len() < BATCH { Ok(()) } else { run.write(std::mem::take(&mut batch)) }
    });
    if let Err(e) = read.and_then(|_| run.write(batch)) {
        if !request.dry_run {
            undo(&run.report, request.into, into_existed);
        }
        return Err(e);
    }
    let mut report = run.report;
    if report.old_links > 0 {
        let address = if site.channel.site.is_empty() { &site.channel.home } else { &site.channel.site };
        report.old_site = format!("{}/wp-content/uploads/", address.trim_end_matches('/'));
    }
    for list in [&mut report.skipped, &mut report.warnings, &mut report.notes] {
        list.sort_by_key(|d| (d.line, d.col));
    }
    Ok(report)
}

/// What the export says about the whole site.
struct Site {
    channel: Channel,
    /// Attachment URLs by post id.
    attachments: HashMap<String, String>,
}

/// The second pass: items converted and written, and what it found.
struct Run<'a> {
    site: &'a Site,
    cx: &'a Context<'a>,
    request: &'a Request<'a>,
    export: Found,
    uploads: Uploads,
    /// Article files of this run.
    taken: HashSet<PathBuf>,
    report: ImportReport,
}

impl Run<'_> {
    /// Convert a batch of items (in parallel), then write them in order.
    fn write(&mut self, items: Vec<Item>) -> Result<()> {
        let (site, cx) = (self.site, self.cx);
        let outcomes: Vec<Outcome> = items.into_par_iter().map(|item| convert(item, site, cx)).collect();
        for outcome in outcomes {
            let at = |l: Located| l.in_file(self.request.export);
            match outcome {
                Outcome::NotPost(kind) => match self.report.not_posts.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, n)) => *n += 1,
                    None => self.report.not_posts.push((kind, 1)),
                },
                Outcome::LeftOut(reason, why) => self.report.left_out.push((reason, at(why))),
                Outcome::Problems(problems) => self.report.skipped.extend(problems.into_iter().map(at)),
                Outcome::Post(post) => self.place(*post)?,
            }
        }
        Ok(())
    }

    /// Rewrite a post's links to uploads, then write it.
    fn place(&mut self, post: Post) -> Result<()> {
        let Post { mut converted, content_at, item_at } = post;
        let folder = converted.day.format("%Y/%m").to_string();
        let body = self.uploads.rewrite(&converted.body, &folder);
        converted.body = body.text;
        let mut copies = body.copies;
        let mut old: Vec<(At, String)> = body.old.into_iter().map(|rel| (content_at, rel)).collect();
        if let Some(image) = converted.front.image.take() {
            let image = self.uploads.rewrite(&image, &folder);
            converted.front.image = Some(image.text);
            copies.extend(image.copies.into_iter().filter(|c| !copies.contains(c)).collect::<Vec<_>>());
            old.extend(image.old.into_iter().map(|rel| (item_at, rel)));
        }
        converted.resources = copies;
        if let Some(dir) = self.request.uploads {
            converted.warnings.extend(old.iter().map(|(at, rel)| {
                at.located(format!("{rel} is not in {}: the link still points at the old site", dir.display()))
            }));
        }
        let before = self.report.converted.len();
        let (into, dry_run, load) = (self.request.into, self.request.dry_run, self.cx.load);
        place(converted, &self.export, into, dry_run, load, &mut self.taken, &mut self.report)?;
        if self.report.converted.len() > before {
            self.report.old_links += old.len();
        }
        Ok(())
    }
}

/// What became of one item.
enum Outcome {
    /// Not a post: its `wp:post_type`.
    NotPost(String),
    /// A post left out on purpose: the reason in a word, and why.
    LeftOut(&'static str, Located),
    /// A post that could not be converted.
    Problems(Vec<Located>),
    /// A post, converted.
    Post(Box<Post>),
}

/// A converted post, with its links to uploads still to rewrite.
struct Post {
    converted: Converted,
    /// Where its content starts (warnings about links in it go there).
    content_at: At,
    /// Where its item starts.
    item_at: At,
}

/// Convert one item.
fn convert(item: Item, site: &Site, cx: &Context<'_>) -> Outcome {
    if item.post_type != "post" {
        return Outcome::NotPost(item.post_type);
    }
    let title = body::plain_text(&item.title);
    if let Some((reason, why)) = left_out(&item) {
        let what = if title.is_empty() { format!("post {}", item.post_id) } else { format!("post {title:?}") };
        return Outcome::LeftOut(reason, item.at.located(format!("{what} {why}")));
    }
    match post(item, title, site, cx) {
        Ok(post) => Outcome::Post(Box::new(post)),
        Err(problem) => Outcome::Problems(vec![problem]),
    }
}

/// Why a post is left out, if it is: the reason in a word, and in full.
/// A static archive cannot protect what WordPress kept from readers.
fn left_out(item: &Item) -> Option<(&'static str, &'static str)> {
    if !item.post_password.is_empty() {
        return Some((
            "password-protected",
            "is password-protected: a static archive cannot protect it, so it is not published",
        ));
    }
    match item.status.as_str() {
        "private" => Some(("private", "is private: a static archive cannot keep it private, so it is not published")),
        "trash" => Some(("in the trash", "is in the trash")),
        "auto-draft" => Some(("auto-drafts", "is an auto-draft, saved by WordPress before anything was written")),
        _ => None,
    }
}

/// A post's article: its front matter and body, and what is worth a warning.
fn post(item: Item, title: String, site: &Site, cx: &Context<'_>) -> std::result::Result<Post, Located> {
    let mut warnings = Vec::new();
    let (date, date_written, dated_by) = post_date(&item, cx, &mut warnings)?;
    let body = body::convert(&item.content, item.content_at);
    warnings.extend(body.warnings);
    let title = if title.is_empty() { untitled(&item, &body.markdown, &mut warnings) } else { title };
    let post_name = percent_encoding::percent_decode_str(&item.post_name).decode_utf8_lossy();
    let stem = Slug::sanitize(&post_name)
        .or_else(|| Slug::from_text(&title))
        .ok_or_else(|| item.at.located("neither wp:post_name nor the title has letters or digits to name a file"))?;
    let (section, categories) = categories(&item, &site.channel);
    let tags = tags(&item);
    let author = site.channel.authors.get(&item.creator).map_or(item.creator.as_str(), String::as_str);
    let author = body::plain_text(author);
    let summary = body::plain_text(&item.excerpt);
    let mut front = FrontMatter {
        title,
        date: date_written,
        author: (!author.is_empty()).then_some(Names::One(author)),
        summary: (!summary.is_empty()).then_some(summary),
        section,
        tags: (!tags.is_empty()).then_some(Names::Many(tags)),
        categories: (!categories.is_empty()).then_some(Names::Many(categories)),
        slug: Some(stem.to_string()),
        draft: draft(&item, &mut warnings),
        image: featured_image(&item, site, &mut warnings),
        aliases: aliases(&item, &site.channel),
        extra: Extra(taxonomies(&item)),
        ..FrontMatter::default()
    };
    match item.status.as_str() {
        "pending" => front.note("draft", "gazette import: pending review in WordPress"),
        "future" => front.note("draft", "gazette import: scheduled in WordPress"),
        _ => {}
    }
    let converted = Converted {
        day: date.day(),
        stem,
        front,
        body: body.markdown,
        key_lines: key_lines(&item),
        resources: Vec::new(),
        warnings,
        notes: Vec::new(),
        dated_by,
    };
    Ok(Post { converted, content_at: item.content_at, item_at: item.at })
}

/// A headline for a post without one: the start of its text, cut at a
/// word (WordPress shows such a post under its date; an archive page needs
/// a headline), with a warning.
fn untitled(item: &Item, markdown: &str, warnings: &mut Vec<Located>) -> String {
    let start = crate::markdown::summary(markdown, 70);
    let start = start.trim();
    let title = if start.is_empty() { format!("Untitled post {}", item.post_id) } else { start.to_string() };
    warnings.push(item.title_at.located(format!("no title: the headline is {title:?}, from the post's first words")));
    title
}

/// `draft: true` for a draft, a post pending review or a scheduled one;
/// a status WordPress does not have (a plugin's) is a draft, with a warning.
fn draft(item: &Item, warnings: &mut Vec<Located>) -> Option<bool> {
    match item.status.as_str() {
        "publish" => None,
        "draft" | "pending" | "future" => Some(true),
        other => {
            warnings.push(item.at.located(format!("status {other:?} is not WordPress's own: imported as a draft")));
            Some(true)
        }
    }
}

/// The featured image's URL (`_thumbnail_id` names its attachment).
fn featured_image(item: &Item, site: &Site, warnings: &mut Vec<Located>) -> Option<String> {
    let id = item.thumbnail_id.as_ref()?;
    let url = site.attachments.get(id).cloned();
    if url.is_none() {
        warnings.push(item.at.located(format!("the featured image (attachment {id}) is not in the export")));
    }
    url
}

/// Where each key written comes from in the export, to place problems
/// the loader finds: the title and date at their elements, the rest at
/// the item.
fn key_lines(item: &Item) -> KeyLines {
    let mut lines = KeyLines::default();
    for key in ["author", "summary", "section", "tags", "categories", "slug", "draft", "image", "aliases"] {
        lines.insert(key.to_string(), (item.at.line, item.at.col));
    }
    lines.insert("title".into(), (item.title_at.line, item.title_at.col));
    lines.insert("date".into(), (item.date_at.line, item.date_at.col));
    lines
}

/// The post's tags (`post_tag`; `tag` in WXR 1.0), once each.
fn tags(item: &Item) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for term in item.terms.iter().filter(|t| matches!(t.domain.as_str(), "post_tag" | "tag")) {
        let name = body::plain_text(&term.name);
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The most a real timezone is away from UTC.
const MAX_OFFSET_SECONDS: i64 = 14 * 3600;

/// A post's date: `wp:post_date`, the local time it was published at,
/// with the offset the difference to `wp:post_date_gmt` gives, so the post
/// stays on its local day; without a usable `wp:post_date_gmt` (a draft
/// never scheduled has `0000-00-00 00:00:00`), the local time alone, read
/// in the site's timezone. Returns the date, its text and the rule.
fn post_date(
    item: &Item,
    cx: &Context<'_>,
    warnings: &mut Vec<Located>,
) -> std::result::Result<(ArticleDate, String, DateRule), Located> {
    const FORMAT: &str = "%Y-%m-%d %H:%M:%S";
    let at = item.date_at;
    let local = NaiveDateTime::parse_from_str(&item.post_date, FORMAT)
        .map_err(|_| at.located(format!("wp:post_date {:?} is not a date (YYYY-MM-DD HH:MM:SS)", item.post_date)))?;
    let gmt = NaiveDateTime::parse_from_str(&item.post_date_gmt, FORMAT).ok();
    let offset = gmt.and_then(|gmt| {
        let seconds = (local - gmt).num_seconds();
        let usable = seconds % 60 == 0 && seconds.abs() <= MAX_OFFSET_SECONDS;
        if !usable {
            warnings.push(at.located(format!(
                "wp:post_date_gmt {:?} gives no timezone for wp:post_date {:?}: the date is read in the site's timezone",
                item.post_date_gmt, item.post_date
            )));
        }
        usable.then(|| i32::try_from(seconds).ok().and_then(FixedOffset::east_opt)).flatten()
    });
    let in_zone = |zone: FixedOffset| zone.from_local_datetime(&local).single();
    match offset.and_then(in_zone) {
        Some(at) => {
            let date = ArticleDate { at, has_time: true };
            Ok((date, date_text(&date), DateRule::PostDateGmt))
        }
        None => {
            let zoned = in_zone(cx.load.timezone).ok_or_else(|| at.located("no such time"))?;
            let format = if local.second() == 0 { "%Y-%m-%d %H:%M" } else { FORMAT };
            Ok((ArticleDate { at: zoned, has_time: true }, local.format(format).to_string(), DateRule::PostDate))
        }
    }
}

/// The section and the categories of a post. Each category comes after
/// the categories it is filed under (`News`, then `Local`), WordPress's
/// default `Uncategorized` left out; the section is the top of the first
/// one's tree, or of Yoast's primary category when it names one, and it
/// comes first in the list.
fn categories(item: &Item, channel: &Channel) -> (Option<String>, Vec<String>) {
    let mut slugs: Vec<&str> = item
        .terms
        .iter()
        .filter(|t| matches!(t.domain.as_str(), "category" | ""))
        .map(|t| t.nicename.as_str())
        .filter(|slug| !slug.is_empty() && *slug != "uncategorized")
        .collect();
    let primary = item.primary_category.as_ref().and_then(|id| channel.category_ids.get(id));
    if let Some(primary) = primary.filter(|p| slugs.contains(&p.as_str())) {
        slugs.retain(|s| s != primary);
        slugs.insert(0, primary);
    }
    let name_of = |slug: &str| {
        let written = channel.categories.get(slug).map(|c| c.name.as_str());
        let from_item = item.terms.iter().find(|t| t.nicename == slug).map(|t| t.name.as_str());
        body::plain_text(from_item.or(written).unwrap_or(slug))
    };
    let mut names: Vec<String> = Vec::new();
    for slug in slugs {
        // The tree from the top; a loop in the parents ends it.
        let mut chain = vec![slug];
        while let Some(parent) = channel.categories.get(*chain.last().unwrap_or(&"")).map(|c| c.parent.as_str()) {
            if parent.is_empty() || chain.contains(&parent) {
                break;
            }
            chain.push(parent);
        }
        for slug in chain.into_iter().rev() {
            let name = name_of(slug);
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    (names.first().cloned(), names)
}

/// Terms of other taxonomies (not categories, tags or post formats), as
/// `taxonomies: {domain: [names]}`.
fn taxonomies(item: &Item) -> Vec<(String, Value)> {
    let mut found: Vec<(String, Vec<Value>)> = Vec::new();
    for term in &item.terms {
        if matches!(term.domain.as_str(), "category" | "" | "post_tag" | "tag" | "post_format") {
            continue;
        }
        let name = Value::from(body::plain_text(&term.name));
        match found.iter_mut().find(|(domain, _)| *domain == term.domain) {
            Some((_, names)) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => found.push((term.domain.clone(), vec![name])),
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let table = found.into_iter().map(|(domain, names)| (domain, Value::Array(names))).collect();
    vec![("taxonomies".to_string(), Value::Object(table))]
}

/// The post's old addresses, from the site's root: its permalink (`link`,
/// less the site's own path when it lives in a folder), and `/?p=ID` when
/// the permalink is numeric (`/?p=12`, `/archives/12`).
fn aliases(item: &Item, channel: &Channel) -> Vec<String> {
    let Ok(link) = url::Url::parse(&item.link) else { return Vec::new() };
    let id = item.post_id.as_str();
    let by_id = format!("/?p={id}");
    let plain = link.query_pairs().any(|(k, v)| k == "p" && v == id);
    if plain {
        return vec![by_id];
    }
    let home = url::Url::parse(&channel.home).map(|u| u.path().trim_end_matches('/').to_string()).unwrap_or_default();
    let path = link.path();
    let path = path.strip_prefix(home.as_str()).filter(|rest| rest.starts_with('/')).unwrap_or(path);
    let mut aliases = vec![match link.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_string(),
    }];
    if !id.is_empty() && path.split('/').rev().find(|s| !s.is_empty()) == Some(id) {
        aliases.push(by_id);
    }
    aliases
}

/// Remove what a failed import wrote: its articles and copies, then the
/// folders that are left empty (`into` too, when the import made it).
fn undo(report: &ImportReport, into: &Path, into_existed: bool) {
    for moved in report.converted.iter().chain(&report.copied) {
        if fsx::remove_file_if_exists(&moved.target).is_err() {
            continue;
        }
        let mut folder = moved.target.parent();
        while let Some(dir) = folder.filter(|d| d.starts_with(into) && *d != into) {
            if !fsx::remove_empty_dir(dir).unwrap_or(false) {
                break;
            }
            folder = dir.parent();
        }
    }
    if !into_existed {
        let _ = fsx::remove_empty_dir(into);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Permalink;
    use crate::load::LoadOptions;
    use wxr::{Category, Term};

    fn with_context<T>(f: impl FnOnce(&Context<'_>) -> T) -> T {
        let load = LoadOptions {
            timezone: FixedOffset::east_opt(3600).unwrap(),
            byline_separators: Vec::new(),
            known_authors: Default::default(),
            limits: Default::default(),
            search: None,
            keep_extra: true,
        };
        let permalink = Permalink::parse("{year}/{month}/{day}/{slug}/").unwrap();
        f(&Context { load: &load, permalink: &permalink })
    }

    fn post(date: &str, gmt: &str) -> Item {
        Item { post_date: date.into(), post_date_gmt: gmt.into(), ..Item::default() }
    }

    #[test]
    fn a_post_stays_on_its_local_day() {
        with_context(|cx| {
            let mut warnings = Vec::new();
            let date = |item: &Item, warnings: &mut Vec<Located>| {
                let (date, text, rule) = post_date(item, cx, warnings).unwrap();
                (date.day().to_string(), text, rule)
            };
            // 20:03 in New York is 01:03 the next day in UTC.
            assert_eq!(
                date(&post("2025-10-20 20:03:00", "2025-10-21 00:03:00"), &mut warnings),
                ("2025-10-20".into(), "2025-10-20T20:03:00-04:00".into(), DateRule::PostDateGmt)
            );
            assert_eq!(
                date(&post("2025-10-21 06:30:15", "2025-10-20 20:00:15"), &mut warnings).1,
                "2025-10-21T06:30:15+10:30"
            );
            assert_eq!(
                date(&post("2025-10-20 20:03:00", "0000-00-00 00:00:00"), &mut warnings),
                ("2025-10-20".into(), "2025-10-20 20:03".into(), DateRule::PostDate)
            );
            assert!(warnings.is_empty(), "{warnings:?}");
            assert_eq!(date(&post("2025-10-20 20:03:00", "2025-10-22 20:03:00"), &mut warnings).2, DateRule::PostDate);
            assert_eq!(warnings.len(), 1);
            let bad = post_date(&post("0000-00-00 00:00:00", ""), cx, &mut warnings).unwrap_err();
            assert!(bad.message.starts_with("wp:post_date \"0000-00-00 00:00:00\" is not a date"), "{bad:?}");
        });
    }

    #[test]
    fn nested_categories_come_after_their_parents_and_the_top_is_the_section() {
        let mut channel = Channel::default();
        for (slug, name, parent, id) in [
            ("news", "News", "", "2"),
            ("local", "Local", "news", "3"),
            ("harbour", "Harbour &amp; Port", "local", "4"),
        ] {
            channel.categories.insert(slug.into(), Category { name: name.into(), parent: parent.into() });
            channel.category_ids.insert(id.into(), slug.into());
        }
        let term = |domain: &str, slug: &str, name: &str| Term {
            domain: domain.into(),
            nicename: slug.into(),
            name: name.into(),
        };
        let mut item = Item {
            terms: vec![
                term("category", "uncategorized", "Uncategorized"),
                term("category", "sport", "Sport"),
                term("category", "harbour", "Harbour &amp; Port"),
                term("post_tag", "tide", "Tide"),
                term("series", "storm-week", "Storm Week"),
            ],
            ..Item::default()
        };
        assert_eq!(
            categories(&item, &channel),
            (Some("Sport".into()), vec!["Sport".into(), "News".into(), "Local".into(), "Harbour & Port".into()])
        );
        item.primary_category = Some("4".into());
        assert_eq!(categories(&item, &channel).0.as_deref(), Some("News"));
        assert_eq!(taxonomies(&item), [("taxonomies".to_string(), serde_json::json!({"series": ["Storm Week"]}))]);
    }

    #[test]
    fn old_addresses_are_written_from_the_site_root() {
        let channel = Channel { home: "https://example.org/news/".into(), ..Channel::default() };
        let item = |link: &str| Item { link: link.into(), post_id: "12".into(), ..Item::default() };
        assert_eq!(aliases(&item("https://example.org/news/2025/10/20/quay/"), &channel), ["/2025/10/20/quay/"]);
        assert_eq!(aliases(&item("https://example.org/news/archives/12"), &channel), ["/archives/12", "/?p=12"]);
        assert_eq!(aliases(&item("https://example.org/news/?p=12"), &channel), ["/?p=12"]);
        assert_eq!(aliases(&item("https://example.org/other/x/"), &channel), ["/other/x/"]);
        assert!(aliases(&item("not a link"), &channel).is_empty());
    }
}
