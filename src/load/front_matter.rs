//! Front matter: the YAML (`---`) or TOML (`+++`) block at the top of a
//! Markdown article.
//!
//! Part of the load phase. Input: the text of a `.md` file. Output: the
//! front matter as a generic key/value tree plus the Markdown body, with
//! every syntax error placed at its line in the *file* (not in the block).
//! Turning the tree into typed fields is `article.rs`'s job.

use serde_json::{Map, Value};

/// Which fence opened the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `---` … `---` (Jekyll, Hugo)
    Yaml,
    /// `+++` … `+++` (Hugo, Zola)
    Toml,
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

/// A front-matter problem, located in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// Split a file into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let format = match text[..first_end].trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => {
            return Err(FrontMatterError {
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
    Err(FrontMatterError {
        line: 1,
        col: 1,
        message: format!("the front matter opened here is never closed: add a `{fence}` line after it"),
    })
}

/// Parse the block into a key/value map.
pub fn parse(split: &Split<'_>) -> Result<Map<String, Value>, FrontMatterError> {
    let value = match split.format {
        Format::Yaml => parse_yaml(split.front).map_err(|(line, col, message)| FrontMatterError {
            line: split.front_line + line.saturating_sub(1),
            col,
            message,
        })?,
        Format::Toml => parse_toml(split.front).map_err(|(offset, message)| {
            let (line, col) = crate::error::line_col(split.front, offset);
            FrontMatterError { line: split.front_line + line - 1, col, message }
        })?,
    };
    match clean(value) {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        other => Err(FrontMatterError {
            line: split.front_line,
            col: 1,
            message: format!("front matter must be a set of `key: value` lines, found {}", kind(&other)),
        }),
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

/// YAML to a value tree. The only use of `serde_yaml` in Gazette (also used
/// for `site.yaml`), so the crate can be swapped for a maintained fork here.
/// Errors come as (1-based line, column, message) within `text`.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, (usize, usize, String)> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        // serde_yaml appends " at line X column Y" to its message; we
        // print our own, file-relative position instead.
        let message = e.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        (line, col, message)
    })
}

/// TOML to a value tree; errors come as (byte offset in `text`, message).
fn parse_toml(text: &str) -> Result<Value, (usize, String)> {
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

/// The 1-based (line, column) in the file where a top-level `key` is set,
/// for errors about its value. Falls back to the first line of the block.
pub fn locate_key(split: &Split<'_>, key: &str) -> (usize, usize) {
    for (i, line) in split.front.lines().enumerate() {
        let Some(rest) = line.strip_prefix(key) else { continue };
        let rest_trimmed = rest.trim_start();
        let sep = if split.format == Format::Yaml { ':' } else { '=' };
        if let Some(value) = rest_trimmed.strip_prefix(sep) {
            let value_col = line.len() - value.trim_start().len();
            return (split.front_line + i, line[..value_col].chars().count() + 1);
        }
    }
    (split.front_line.saturating_sub(1).max(1), 1)
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
        assert!(e.line >= 3, "{e:?}");
        assert!(!e.message.contains(" at line "), "{e:?}");
    }

    #[test]
    fn toml_errors_are_placed_in_the_file() {
        let s = split("+++\ntitle = \"A\"\ndate = \n+++\nBody").unwrap();
        let e = parse(&s).unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
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
        assert_eq!(locate_key(&s, "date"), (3, 9));
        let s = split("+++\ntitle = \"A\"\ndate = \"x\"\n+++\n").unwrap();
        assert_eq!(locate_key(&s, "date"), (3, 8));
    }
}
