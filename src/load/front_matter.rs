//! Front matter: the YAML (`---`) or TOML (`+++`) block at the top of a
//! Markdown article.
//!
//! Part of the load phase. Input: the text of a `.md` file. Output: the
//! front matter as a generic key/value tree plus the Markdown body, with
//! every syntax error placed at its line in the *file* (not in the block).
//! Turning the tree into typed fields is `article.rs`'s job. Hugo's JSON
//! front matter ([`split_json`]) is read by import only: Gazette's own
//! articles are YAML or TOML.

use serde_json::{Map, Value};

use crate::error::Located;

/// Which fence opened the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` … `---` (Jekyll, Hugo)
    Yaml,
    /// `+++` … `+++` (Hugo, Zola)
    Toml,
    /// A JSON object at the top of the file (Hugo; import only).
    Json,
}

/// A Markdown file split into front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    /// Which syntax the block is in.
    pub format: Format,
    /// The text between the fences.
    pub front: &'a str,
    /// 1-based line of the file where `front` starts.
    pub front_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
}

/// Split a file into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, Located> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let format = match text[..first_end].trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => {
            return Err(Located {
                line: 1,
                col: 1,
                message: "no front matter: a Markdown article starts with a `---` (YAML) or `+++` (TOML) \
                          block giving at least its title and date"
                    .into(),
            });
        }
    };
    let fence = if format == Format::Yaml { "---" } else { "+++" };
    let mut offset = first_end;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        let trimmed = text[offset..end].trim_end();
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            return Ok(Split { format, front: &text[first_end..offset], front_line: 2, body: &text[end..] });
        }
        offset = end;
    }
    Err(Located {
        line: 1,
        col: 1,
        message: format!("the front matter opened here is never closed: add a `{fence}` line after it"),
    })
}

/// Split a file that starts with a JSON object (Hugo's JSON front matter)
/// into the object and the body after it; `None` when it does not start
/// with `{`.
pub fn split_json(text: &str) -> Option<Result<Split<'_>, Located>> {
    if !text.starts_with('{') {
        return None;
    }
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    Some(match values.next() {
        Some(Ok(_)) => {
            let end = values.byte_offset();
            let rest = &text[end..];
            let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
            let body = if rest[..line_end].trim().is_empty() { &rest[line_end..] } else { rest };
            Ok(Split { format: Format::Json, front: &text[..end], front_line: 1, body })
        }
        Some(Err(e)) => Err(Located::new(e.line(), e.column(), json_message(&e))),
        None => Err(Located::new(1, 1, "the JSON front matter is empty")),
    })
}

/// serde_json's message without its " at line X column Y" tail (the
/// position is printed as the file's own).
fn json_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    message.find(" at line ").map_or(message.clone(), |i| message[..i].to_string())
}

/// Parse the block into a key/value map.
pub fn parse(split: &Split<'_>) -> Result<Map<String, Value>, Located> {
    if split.format == Format::Yaml
        && let Some(map) = super::simple_yaml::parse(split.front)
    {
        return Ok(map);
    }
    parse_slow(split)
}

/// [`parse`] without the fast path: serde_yaml or toml for every block.
pub(crate) fn parse_slow(split: &Split<'_>) -> Result<Map<String, Value>, Located> {
    let value = match split.format {
        Format::Yaml => {
            let Loose(value) = parse_yaml(split.front)
                .map_err(|e| Located::new(split.front_line + e.line.saturating_sub(1), e.col, e.message))?;
            value
        }
        Format::Toml => parse_toml(split.front).map_err(|(offset, message)| {
            let (line, col) = crate::error::line_col(split.front, offset);
            Located::new(split.front_line + line - 1, col, message)
        })?,
        Format::Json => {
            shallow(split.front, Format::Json)
                .map_err(|e| Located::new(split.front_line + e.line - 1, e.col, e.message))?;
            serde_json::from_str(split.front)
                .map_err(|e| Located::new(split.front_line + e.line().max(1) - 1, e.column(), json_message(&e)))?
        }
    };
    match clean(value) {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(Located::new(
            split.front_line,
            1,
            format!("front matter must be a set of `key: value` lines, found {}", kind(&other)),
        )),
    }
}

/// Control characters written as escapes (`"\u0007"`) are removed like
/// the raw ones are (see `without_control_chars`).
fn clean(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(super::without_control_chars(&s).into_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(clean).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, clean(v))).collect()),
        other => other,
    }
}

/// YAML to a value tree. The one place Gazette hands YAML text to a YAML
/// crate (front matter the fast reader leaves, `site.yaml`, profiles,
/// `theme.yaml`), so the crate can be swapped here. Errors come with the
/// 1-based line and column within `text`.
///
/// Still serde_yaml, deprecated upstream, on purpose: its maintained forks
/// (yaml_serde, serde_yaml_ng, serde_norway) carry the same libyaml and give
/// no more structure in their errors, and serde-saphyr, which does, points
/// a `[` left open before the next key at that key's line, reads integers
/// past 64 bits as floats and takes twice the time here. The tests
/// `unknown_values_of_any_size_are_kept`, `disputed_scalars_keep_their_meaning`
/// and the `bad_articles` snapshot hold any replacement to today's readings.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Located> {
    shallow(text, Format::Yaml)?;
    serde_yaml::from_str(text).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        // serde_yaml appends " at line X column Y" to its message; we
        // print our own, file-relative position instead.
        let message = e.to_string();
        let (problem, context) = match message.find(" at line ") {
            Some(i) => (&message[..i], &message[i..]),
            None => (message.as_str(), ""),
        };
        // "…, while parsing a flow sequence at line 1 column 8": the error
        // shows where the parser gave up (often the next line); what is
        // unclosed starts here, so point there.
        if let Some(key) = duplicate_key(problem)
            && let Some(again) = second_top_level_line(text, key)
        {
            // The parser points at the mapping (or the first one); the
            // second is the line to fix.
            return Located::new(again, 1, format!("duplicate key `{key}`: it is set again here"));
        }
        match yaml_context(context) {
            Some((what, line, col)) => Located::new(line, col, format!("{problem}: this {what} is not closed")),
            None => Located::new(line, col, problem.to_string()),
        }
    })
}

/// A YAML value tree (from [`parse_yaml`]) read into a type; the error
/// is serde's message.
pub fn from_yaml_value<T: serde::de::DeserializeOwned>(value: serde_yaml::Value) -> Result<T, String> {
    serde_yaml::from_value(value).map_err(|e| e.to_string())
}

/// How deep front matter (and any YAML Gazette reads) may nest: lists
/// and maps inside each other. Real front matter stays under 10; the YAML
/// parser slows down with the square of the depth (and stops at 128).
pub const MAX_DEPTH: usize = 64;

fn too_deep_message() -> String {
    format!(
        "lists and maps nest more than {MAX_DEPTH} deep here: Gazette reads at most {MAX_DEPTH} levels \
         (deeper nesting is never real metadata, and would take the parser minutes)"
    )
}

/// An error at the place where `text` nests deeper than [`MAX_DEPTH`].
fn shallow(text: &str, format: Format) -> Result<(), Located> {
    match super::nesting::too_deep(text, format, MAX_DEPTH) {
        Some((offset, _)) => {
            let (line, col) = crate::error::line_col(text, offset);
            Err(Located::new(line, col, too_deep_message()))
        }
        None => Ok(()),
    }
}

/// The key in a duplicate-key message, from serde_yaml (`duplicate entry
/// with key "title"`) or from this module (``duplicate key `title` ``).
fn duplicate_key(message: &str) -> Option<&str> {
    if let Some(rest) = message.strip_prefix("duplicate entry with key \"") {
        return rest.strip_suffix('"');
    }
    message.strip_prefix("duplicate key `")?.strip_suffix('`')
}

/// The second line (from 1) that sets `key` at the top level.
fn second_top_level_line(text: &str, key: &str) -> Option<usize> {
    let mut lines = text.lines().enumerate().filter(|(_, line)| {
        [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .any(|k| line.strip_prefix(k.as_str()).is_some_and(|rest| rest.trim_start().starts_with(':')))
    });
    lines.nth(1).map(|(i, _)| i + 1)
}

/// The construct and position in serde_yaml's ", while parsing a flow
/// sequence at line 1 column 8" tail, if there is one.
fn yaml_context(tail: &str) -> Option<(&str, usize, usize)> {
    let (_, context) = tail.split_once(", while parsing a ")?;
    let (what, at) = context.split_once(" at line ")?;
    let (line, col) = at.split_once(" column ")?;
    Some((what, line.trim().parse().ok()?, col.trim().parse().ok()?))
}

/// Front matter as YAML text: the top-level keys of `value` (a struct or a
/// map) in their order, each after its `notes` (written as `# ` comment
/// lines). The only place Gazette writes YAML (the counterpart of
/// [`parse_yaml`]). Each key is written in the form the fast reader reads
/// (`key: plain`, `key: "quoted"`, `key: [a, "b c"]`, `key: {k: v}`)
/// when that form reads back as the same value, and otherwise as
/// serde_yaml writes it, quoting what YAML would read as something else
/// (`: `, `#`, `yes`, `1e3`): every value reads back as written, and most
/// front matter stays on the fast path.
pub fn to_yaml<T: serde::Serialize>(value: &T, notes: &[(String, String)]) -> String {
    // A struct or map always has a YAML form; an error here cannot happen,
    // and would show as a comment rather than lose the article.
    let entries = match serde_yaml::to_value(value) {
        Ok(serde_yaml::Value::Mapping(map)) => map,
        Ok(_) => return "# front matter must be a map\n".into(),
        Err(e) => return format!("# {e}\n"),
    };
    let mut out = String::new();
    for (key, value) in entries {
        let name = key.as_str().unwrap_or_default();
        for (_, note) in notes.iter().filter(|(k, _)| k == name) {
            out.push_str("# ");
            out.extend(note.chars().map(|c| if is_line_break_or_control(c) { ' ' } else { c }));
            out.push('\n');
        }
        match (key.as_str(), serde_json::to_value(&value)) {
            (Some(name), Ok(json)) if let Some(line) = fast_entry(name, &json) => out.push_str(&line),
            _ => out.push_str(&yaml_entry(&key, &value)),
        }
    }
    out
}

/// Characters a comment line cannot hold: they would end it.
fn is_line_break_or_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// One `key: value` line the fast reader reads back as `value`, if there is one.
fn fast_entry(key: &str, value: &Value) -> Option<String> {
    let candidates: Vec<String> = match value {
        Value::String(s) => vec![s.clone(), format!("\"{s}\""), format!("'{s}'")],
        Value::Bool(b) => vec![b.to_string()],
        Value::Array(items) => vec![flow_list(items)?],
        Value::Object(map) => {
            let entries: Option<Vec<String>> = map
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => flow_scalar(s)?,
                        Value::Bool(b) => b.to_string(),
                        Value::Array(items) => flow_list(items)?,
                        _ => return None,
                    };
                    Some(format!("{k}: {v}"))
                })
                .collect();
            vec![format!("{{{}}}", entries?.join(", "))]
        }
        Value::Null | Value::Number(_) => Vec::new(),
    };
    candidates
        .into_iter()
        .map(|c| format!("{key}: {c}\n"))
        .find(|line| super::simple_yaml::parse(line).is_some_and(|map| map.len() == 1 && map.get(key) == Some(value)))
}

/// `[a, "b, c"]`, when every item is text.
fn flow_list(items: &[Value]) -> Option<String> {
    let items: Option<Vec<String>> = items.iter().map(|i| flow_scalar(i.as_str()?)).collect();
    Some(format!("[{}]", items?.join(", ")))
}

/// Text inside `[…]` or `{…}`: plain when it may be, else in the quotes it
/// does not hold (the fast reader reads no escapes). The line is checked
/// as a whole afterwards; this only chooses the form to try.
fn flow_scalar(text: &str) -> Option<String> {
    if text.starts_with(|c: char| c.is_alphabetic()) && !text.contains([',', '[', ']', '{', '}', ':', '#', '"', '\'']) {
        Some(text.to_string())
    } else if !text.contains(['"', '\\']) {
        Some(format!("\"{text}\""))
    } else if !text.contains('\'') {
        Some(format!("'{text}'"))
    } else {
        None
    }
}

/// One `key: value` entry as serde_yaml writes it.
fn yaml_entry(key: &serde_yaml::Value, value: &serde_yaml::Value) -> String {
    let mut one = serde_yaml::Mapping::new();
    one.insert(key.clone(), value.clone());
    serde_yaml::to_string(&one).unwrap_or_else(|e| format!("# {e}\n"))
}

/// A YAML value read straight into a JSON value, losing nothing a template
/// could use: numbers too big for JSON become text, non-text keys become
/// text, tags are dropped. An unknown key is never an error.
struct Loose(Value);

impl<'de> serde::Deserialize<'de> for Loose {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor).map(Loose)
    }
}

struct LooseVisitor;

impl<'de> serde::de::Visitor<'de> for LooseVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or_else(|| Value::String(v.to_string()), Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Loose(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some((Loose(key), Loose(value))) = map.next_entry()? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag value`): keep the value.
        use serde::de::VariantAccess;
        let (_, variant): (serde::de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant::<Loose>().map(|Loose(v)| v)
    }
}

/// TOML to a value tree; errors come as (byte offset in `text`, message).
fn parse_toml(text: &str) -> Result<Value, (usize, String)> {
    if let Some((offset, _)) = super::nesting::too_deep(text, Format::Toml, MAX_DEPTH) {
        return Err((offset, too_deep_message()));
    }
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        (offset, e.message().trim().to_string())
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

/// TOML dates become their text (`1979-05-27T07:32:00-08:00`), which the
/// date parser reads like any other written date.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

/// A short name for a value's type, for error messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}

impl Split<'_> {
    /// The line of the file where the body starts: the one after the
    /// closing fence (or after the line that ends JSON front matter).
    pub fn body_line(&self) -> usize {
        self.front_line + self.front.matches('\n').count() + 1
    }

    /// The 1-based (line, column) in the file where a top-level `key` is
    /// set, for errors about its value. Falls back to the opening fence.
    pub fn locate(&self, key: &str) -> (usize, usize) {
        locate_key(self.front, self.front_line, self.format, key)
            .unwrap_or((self.front_line.saturating_sub(1).max(1), 1))
    }

    /// A number read under top-level `key` as text spelled as written: a
    /// headline like `title: 1984` or `title: 1e3` stays "1984" or "1e3"
    /// (never 1000.0). The one place this rule lives, for the loader and import.
    pub fn number_text(&self, key: &str, number: &serde_json::Number) -> String {
        self.raw_scalar(key).map_or_else(|| number.to_string(), str::to_string)
    }

    /// The value of top-level `key` exactly as written on its line, when it
    /// is a plain scalar (so `title: 1e3` can stay "1e3", not become 1000.0).
    fn raw_scalar(&self, key: &str) -> Option<&str> {
        let (line, col) = locate_key(self.front, self.front_line, self.format, key)?;
        let text = self.front.lines().nth(line - self.front_line)?;
        let value: String = text.chars().skip(col - 1).collect();
        let start = text.len() - value.len();
        let raw = text[start..].trim();
        // In JSON, a comma may follow the value.
        let raw = if self.format == Format::Json { raw.trim_end_matches(',').trim_end() } else { raw };
        (!raw.is_empty() && !raw.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!'])).then_some(raw)
    }
}

/// Where a top-level `key` is set in a YAML or TOML `text` whose first
/// line is line `first_line` of its file: the 1-based line and the column
/// of the value. Quoted keys (`"date": …`) are found too.
pub fn locate_key(text: &str, first_line: usize, format: Format, key: &str) -> Option<(usize, usize)> {
    let sep = if format == Format::Toml { '=' } else { ':' };
    for (i, full) in text.lines().enumerate() {
        // JSON keys are indented inside their `{`; their columns still count.
        let line = if format == Format::Json { full.trim_start() } else { full };
        let indent = full.len() - line.len();
        let rest = [("", ""), ("\"", "\""), ("'", "'")]
            .iter()
            .find_map(|(open, close)| line.strip_prefix(open)?.strip_prefix(key)?.strip_prefix(close));
        let Some(rest) = rest else { continue };
        if let Some(value) = rest.trim_start().strip_prefix(sep) {
            let value_at = indent + line.len() - value.trim_start().len();
            return Some((first_line + i, full[..value_at].chars().count() + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_toml() {
        let s = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!((s.format, s.front, s.body), (Format::Yaml, "title: A\n", "Body\n"));
        let s = split("+++\ntitle = \"A\"\n+++\r\nBody").unwrap();
        assert_eq!((s.format, s.front, s.body), (Format::Toml, "title = \"A\"\n", "Body"));
        let s = split("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!((s.front, s.body), ("title: A\r\n", "Body"));
    }

    #[test]
    fn missing_or_unclosed_fences_are_errors() {
        assert!(split("# Just markdown\n").unwrap_err().message.starts_with("no front matter"));
        assert!(split("---\ntitle: A\nBody\n").unwrap_err().message.contains("never closed"));
    }

    #[test]
    fn yaml_errors_are_placed_in_the_file() {
        let s = split("---\ntitle: A\ndate: [unclosed\n---\nBody").unwrap();
        let e = parse(&s).unwrap_err();
        // At the bracket left open, not where the parser gave up.
        assert_eq!((e.line, e.col), (3, 7), "{e:?}");
        assert_eq!(e.message, "did not find expected ',' or ']': this flow sequence is not closed");
        let s = split("---\ntitle: A\ndate: 2025-01-01\n\"title\": B\n---\nBody").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!((e.line, e.col), (4, 1), "{e:?}");
        assert_eq!(e.message, "duplicate key `title`: it is set again here");
        let s = split("---\ntitle: A\ndate: b: c\n---\nBody").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "mapping values are not allowed in this context"), "{e:?}");
    }

    #[test]
    fn toml_errors_are_placed_in_the_file() {
        let s = split("+++\ntitle = \"A\"\ndate = \n+++\nBody").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
    }

    #[test]
    fn json_front_matter_is_split_parsed_and_located() {
        let text = "{\n  \"title\": 1984,\n  \"date\": \"2024-01-01\",\n  \"tags\": [\"a\"]\n}\nBody {not json}\n";
        let s = split_json(text).unwrap().unwrap();
        assert_eq!((s.format, s.body), (Format::Json, "Body {not json}\n"));
        let map = parse(&s).unwrap();
        assert_eq!(map["tags"], serde_json::json!(["a"]));
        assert_eq!(s.number_text("title", map["title"].as_number().unwrap()), "1984");
        assert_eq!(s.locate("date"), (3, 11));
        assert!(split_json("---\ntitle: A\n---\n").is_none());
        let e = split_json("{\n  \"title\": \"A\",\n  \"date\" 2024\n}\n").unwrap().unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (3, "expected `:`"), "{e:?}");
    }

    #[test]
    fn toml_dates_become_text() {
        let s = split("+++\ndate = 2025-12-03T10:00:00+01:00\n+++\n").unwrap();
        let map = parse(&s).unwrap();
        assert_eq!(map["date"], Value::String("2025-12-03T10:00:00+01:00".into()));
    }

    #[test]
    fn empty_front_matter_is_an_empty_map() {
        let s = split("---\n---\nBody").unwrap();
        assert!(parse(&s).unwrap().is_empty());
    }

    #[test]
    fn non_map_front_matter_is_an_error() {
        let s = split("---\n- a\n- b\n---\n").unwrap();
        assert!(parse(&s).unwrap_err().message.contains("found a list"));
    }

    #[test]
    fn keys_are_located() {
        let s = split("---\ntitle: A\ndate:   nope\n---\n").unwrap();
        assert_eq!(s.locate("date"), (3, 9));
        let s = split("+++\ntitle = \"A\"\ndate = \"x\"\n+++\n").unwrap();
        assert_eq!(s.locate("date"), (3, 8));
        let s = split("---\n\"date\": nope\n---\n").unwrap();
        assert_eq!(s.locate("date"), (2, 9));
        assert_eq!(s.locate("missing"), (1, 1));
    }

    #[test]
    fn raw_scalars_keep_their_spelling() {
        let s = split("---\ntitle: 1e3\nslug: \"q\"\n---\n").unwrap();
        assert_eq!(s.raw_scalar("title"), Some("1e3"));
        assert_eq!(s.raw_scalar("slug"), None);
        assert_eq!(s.number_text("title", &serde_json::Number::from_f64(1000.0).unwrap()), "1e3");
        assert_eq!(s.number_text("slug", &serde_json::Number::from(7)), "7");
    }

    #[test]
    fn unknown_values_of_any_size_are_kept() {
        // Too big for any number type: kept as written, digit for digit
        // (an f64 would keep 17 of them), by both parsers.
        let digits = "123456789012345678901234567890";
        let s = split("---\nbig: 123456789012345678901234567890\n2025: year key\n---\n").unwrap();
        for map in [parse(&s).unwrap(), parse_slow(&s).unwrap()] {
            let shown = match &map["big"] {
                Value::String(text) => text.clone(),
                Value::Number(n) => n.to_string(),
                other => panic!("{other:?}"),
            };
            assert_eq!(shown, digits, "{map:?}");
            assert_eq!(map["2025"], Value::String("year key".into()));
        }
    }

    /// Spellings YAML 1.1 and 1.2 (and their parsers' defaults) read
    /// differently. Archives were written against these readings, so a
    /// change of YAML crate must not change them.
    #[test]
    fn disputed_scalars_keep_their_meaning() {
        use serde_json::json;
        let text = |s: &str| json!(s);
        for (written, meaning) in [
            ("yes", text("yes")),
            ("No", text("No")),
            ("on", text("on")),
            ("off", text("off")),
            ("y", text("y")),
            ("True", json!(true)),
            ("tRue", text("tRue")),
            ("~", Value::Null),
            ("", Value::Null),
            ("012", text("012")),
            ("0o12", json!(10)),
            ("0x1f", json!(31)),
            ("1_000", text("1_000")),
            ("1:20", text("1:20")),
            ("1e3", json!(1000.0)),
            ("2025-01-01", text("2025-01-01")),
        ] {
            let front = format!("v: {written}\n");
            let s = Split { format: Format::Yaml, front: &front, front_line: 2, body: "" };
            assert_eq!(parse_slow(&s).unwrap()["v"], meaning, "`v: {written}`");
        }
    }

    #[test]
    fn written_yaml_reads_back_unchanged() {
        let tricky = [
            "Talks: a deal? #1 \"maybe\" & 'perhaps'",
            "yes",
            "1e3",
            "- not a list",
            "[not, a, list]",
            "line one\nline two",
            "a\n---\nb",
            "",
            "~",
            "@handle",
            "100%",
        ];
        #[derive(serde::Serialize)]
        struct Ordered {
            title: String,
            tags: Value,
            params: Value,
        }
        for text in tricky {
            let written = Ordered {
                title: text.into(),
                tags: serde_json::json!([text, "b"]),
                params: serde_json::json!({"k": text, "n": 1, "f": 1.5, "b": true, "z": null}),
            };
            let notes = [("tags".to_string(), format!("a note\nthat {text} cannot break"))];
            let yaml = to_yaml(&written, &notes);
            let article = format!("---\n{yaml}---\n");
            let split = split(&article).unwrap();
            let back = parse(&split).unwrap();
            assert_eq!(back, parse_slow(&split).unwrap(), "{yaml}");
            assert_eq!(back["title"], Value::String(text.into()), "{yaml}");
            assert_eq!(back["tags"], written.tags, "{yaml}");
            assert_eq!(back["params"], written.params, "{yaml}");
            assert!(yaml.starts_with("title:"), "keys keep their order: {yaml}");
            assert!(yaml.contains("\n# a note that "), "{yaml}");
        }
        // Plain text stays on the fast reader's path, comments and all.
        let plain = Ordered {
            title: "Talks: a deal #1".into(),
            tags: serde_json::json!(["Port", "Harbour, North"]),
            params: serde_json::json!({"subtitle": "x", "regions": ["north"], "on": true}),
        };
        let yaml = to_yaml(&plain, &[("title".into(), "from `path`".into())]);
        assert_eq!(
            yaml,
            "# from `path`\ntitle: \"Talks: a deal #1\"\ntags: [Port, \"Harbour, North\"]\n\
             params: {on: true, regions: [north], subtitle: x}\n"
        );
        assert!(crate::load::simple_yaml::parse(&yaml).is_some(), "{yaml}");
    }

    #[test]
    fn duplicate_yaml_keys_are_an_error() {
        let s = split("---\ntitle: A\ntitle: B\n---\n").unwrap();
        assert!(parse(&s).unwrap_err().message.contains("duplicate"));
    }
}
