//! The one writer of front matter, for `gazette new` and `gazette import`.
//!
//! Not a build phase: it writes *sources*. Input: a [`FrontMatter`], the
//! keys Gazette reads, typed and in a fixed order, then every other key in
//! the order given, and notes to write above keys. Output: the text of a
//! Markdown article (a YAML `---` block, then the body) that Gazette's fast
//! front-matter reader and serde_yaml both read back to the same values
//! (`load::front_matter::to_yaml` chooses the quoting).

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::load::front_matter;

/// Front matter as Gazette writes it. The keys are written in this order
/// (those not set are left out), then [`extra`](Self::extra).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FrontMatter {
    /// The headline.
    pub title: String,
    /// The publication date, as it will be read (see `authoring::date_text`).
    pub date: String,
    /// The last update, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// A byline (`Ann Lee & Bo Chen` is split when read) or a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Names>,
    /// More bylined names (merged with `author` when read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authors: Option<Names>,
    /// The dateline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The standfirst.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The desk the article is filed under (when not set, readers take the
    /// first of `categories`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Names>,
    /// Categories (the first is the section).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categories: Option<Names>,
    /// The running story (thread) the article belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub story: Option<String>,
    /// The URL segment, pinned so an edited headline keeps the URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// `true` keeps the article out of builds without `--drafts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<bool>,
    /// The lead image.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Addresses the article had before (old permalinks, `aliases`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Every other key, in order, with its value as read (never one of the
    /// keys above: the writer of a key has one place to put it).
    #[serde(flatten)]
    pub extra: Extra,
    /// Notes written as comments above a key: (key, note).
    #[serde(skip)]
    pub notes: Vec<(String, String)>,
}

/// One name or a list of names, written as the source had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Names {
    /// `author: Ann Lee`
    One(String),
    /// `authors: [Ann Lee, Bo Chen]`
    Many(Vec<String>),
}

impl Names {
    /// A value that is text or a list of text; `None` for anything else.
    pub fn from_value(value: &Value) -> Option<Names> {
        match value {
            Value::String(one) => Some(Names::One(one.clone())),
            Value::Array(items) => {
                items.iter().map(|i| i.as_str().map(str::to_string)).collect::<Option<_>>().map(Names::Many)
            }
            _ => None,
        }
    }

    /// The names, in order.
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            Names::One(one) => vec![one.clone()],
            Names::Many(many) => many.clone(),
        }
    }
}

/// Keys Gazette does not write itself, in the order to write them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extra(pub Vec<(String, Value)>);

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

impl FrontMatter {
    /// Write a note (a YAML comment) above `key`.
    pub fn note(&mut self, key: &str, note: impl Into<String>) {
        self.notes.push((key.to_string(), note.into()));
    }

    /// The article's text: the front matter, then `body` (ending in a newline).
    pub fn to_text(&self, body: &str) -> String {
        let yaml = front_matter::to_yaml(self, &self.notes);
        let mut text = String::with_capacity(yaml.len() + body.len() + 16);
        text.push_str("---\n");
        text.push_str(&yaml);
        text.push_str("---\n");
        text.push_str(body);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::front_matter::{parse, split};
    use crate::load::{LoadOptions, Source, SourceKind, parse_article};

    /// Awkward pieces of YAML: quotes, colons, comments, numbers, list and
    /// document markers, words YAML reads as something else, unicode.
    const PIECES: [&str; 34] = [
        "\"", "'", "''", ":", ": ", "#", " #", "1984", "1e3", "0x1f", "- ", "-", "[", "]", "{", "}", ",", "&", "*",
        "!", "|", ">", "%", "@", "`", "?", "\\", "---", "yes", "null", "~", "é", "北京", "—",
    ];

    fn random_text(next: &mut impl FnMut() -> u64, words: &[&str]) -> String {
        let mut pick = |n: usize| (next() % n as u64) as usize;
        let text: String = (0..1 + pick(6))
            .map(|_| if pick(2) == 0 { PIECES[pick(PIECES.len())] } else { words[pick(words.len())] })
            .collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The round trip `new` and `import` depend on: random titles, bylines,
    /// tags and keys of any spelling → written → read by the loader → the
    /// same values (and the two YAML readers agree on every block).
    #[test]
    fn what_is_written_is_read_back() {
        let mut next = crate::testing::xorshift();
        let options = LoadOptions {
            timezone: chrono::FixedOffset::east_opt(0).unwrap(),
            byline_separators: Vec::new(),
            known_authors: Default::default(),
            limits: Default::default(),
            search: None,
            keep_extra: true,
        };
        let mut fast = 0;
        for round in 0..2000 {
            let title = format!("{} {}", random_text(&mut next, &["Port", "a"]), ["Strike", "1984"][round % 2]);
            let authors: Vec<String> = ["Ann", "Bo", "Cy"]
                .iter()
                .take(1 + round % 3)
                .map(|n| format!("{} {n}", random_text(&mut next, &["Lee"])))
                .collect();
            let tags: Vec<String> = (0..round % 4)
                .map(|i| format!("{}{i}", random_text(&mut next, &["port", " "]).replace(',', "")))
                .collect();
            let raw = format!("{}\n\t {} \r", random_text(&mut next, &["x"]), random_text(&mut next, &[" "]));
            let mut front = FrontMatter {
                title: title.trim().to_string(),
                date: "2025-12-03T14:30:00-05:00".into(),
                authors: Some(Names::Many(authors.iter().map(|a| a.trim().to_string()).collect())),
                location: Some(random_text(&mut next, &["Kyiv"])).filter(|l| !l.is_empty()),
                tags: Some(Names::Many(tags.iter().map(|t| t.trim().to_string()).collect())),
                extra: Extra(vec![
                    ("params".into(), serde_json::json!({"k": title, "list": [raw]})),
                    ("raw".into(), Value::from(raw.clone())),
                    ("weight".into(), Value::from(round)),
                ]),
                ..FrontMatter::default()
            };
            front.note("date", random_text(&mut next, &["\n", "from"]));
            // Multi-line text and numbers are for serde_yaml: every third
            // round has them.
            if round % 3 != 0 {
                front.extra.0.truncate(1);
                front.extra.0[0].1 = serde_json::json!({"k": title});
            }
            let text = front.to_text("Body.\n");

            let block = split(&text).unwrap();
            let map = parse(&block).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
            assert_eq!(map["params"], front.extra.0[0].1, "{text}");
            if let Some((_, value)) = front.extra.0.get(1) {
                assert_eq!(map["raw"], *value, "{text}");
            }
            fast += usize::from(crate::load::simple_yaml::parse(block.front).is_some());

            let source = Source { rel: "a.md".into(), path: "a.md".into(), kind: SourceKind::Markdown };
            let article = parse_article(&source, text.as_bytes(), source.path.as_ref(), &options)
                .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
            let meta = article.meta;
            assert_eq!(meta.title, front.title, "{text}");
            assert_eq!(meta.date.at.to_rfc3339(), "2025-12-03T14:30:00-05:00");
            let names: Vec<String> = meta.authors.iter().map(|a| a.name.clone()).collect();
            assert_eq!(Some(Names::Many(names)), front.authors, "{text}");
            assert_eq!(meta.location, front.location, "{text}");
            assert_eq!(Some(Names::Many(meta.tags)), front.tags, "{text}");
            assert_eq!(meta.extra.to_map().get("weight"), front.extra.0.get(2).map(|(_, v)| v));
        }
        // What Gazette writes stays on the fast reader's path: it reads
        // nearly every block without multi-line text or numbers (not the
        // text holding both kinds of quote, which needs escapes).
        let plain = 2000 - 2000 / 3;
        assert!(fast * 10 > plain * 9, "the fast reader read {fast} of {plain}");
    }

    #[test]
    fn keys_are_written_in_a_fixed_order_then_the_rest_as_given() {
        let mut front = FrontMatter {
            title: "1984".into(),
            date: "2025-12-03".into(),
            slug: Some("nineteen-eighty-four".into()),
            section: Some("Culture".into()),
            author: Some(Names::One("Ann Lee".into())),
            extra: Extra(vec![("zeta".into(), Value::from(1)), ("alpha".into(), Value::from("yes"))]),
            ..FrontMatter::default()
        };
        front.note("date", "found in the file name");
        assert_eq!(
            front.to_text("Body."),
            "---\ntitle: \"1984\"\n# found in the file name\ndate: 2025-12-03\nauthor: Ann Lee\n\
             section: Culture\nslug: nineteen-eighty-four\nzeta: 1\nalpha: yes\n---\nBody.\n"
        );
    }
}
