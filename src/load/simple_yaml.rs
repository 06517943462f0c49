//! A fast reader for the YAML front matter most archives have, tried
//! before serde_yaml.
//!
//! Part of the load phase, used by `front_matter.rs` only. The Rust YAML
//! parsers all cost 33–36 µs for a typical ten-line block (serde_yaml,
//! yaml-rust2 and saphyr measured alike): a fifth of the CPU time of a
//! full build of the benchmark corpus. Most front matter is plain
//! `key: value` lines, which this reads in about 6 µs (into the same map).
//!
//! It accepts a small subset and answers `None` for everything else, so
//! the caller falls back to serde_yaml, which also reports every error:
//! one `key: value` per line at the left margin, where a value is quoted
//! text (`"…"` without escapes, `'…'` without inner quotes), a plain
//! scalar that starts with a letter, `true` / `false`, a date or
//! date-time written with digits (`2025-12-03 10:00 +01:00`), or a
//! one-line `[…]` list or `{…}` map of such values (a map may hold lists).
//! A line starting with `#` is a comment (import writes one above a date it
//! found elsewhere). Other comments, numbers, escapes, `null`, anchors, tags, block lists,
//! indentation and multi-line values all go to serde_yaml. Where it
//! answers, it answers what serde_yaml would: a differential test feeds
//! both the same random blocks.

use serde_json::{Map, Value};

/// The front matter `text` as a key/value map, or `None` when it is not
/// in the subset this reader knows (serde_yaml then reads it).
pub fn parse(text: &str) -> Option<Map<String, Value>> {
    if !plain_characters(text) {
        return None;
    }
    let mut map = Map::new();
    for line in text.split('\n') {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, rest) = key(line)?;
        let rest = rest.strip_prefix(' ')?.trim_start_matches(' ');
        let (value, rest) = block_value(rest)?;
        if !rest.bytes().all(|b| b == b' ') || map.contains_key(key) {
            return None;
        }
        map.insert(key.to_string(), value);
    }
    Some(map)
}

/// Text without anything YAML treats specially at the character level:
/// tabs, carriage returns, the other line breaks (NEL, U+2028, U+2029),
/// byte-order marks and the characters YAML does not allow at all.
fn plain_characters(text: &str) -> bool {
    let simple = |b: u8| (b' '..=b'~').contains(&b) || b == b'\n';
    if text.bytes().all(simple) {
        return true;
    }
    text.chars().all(|c| {
        let c = c as u32;
        (c < 0x80 && simple(c as u8))
            || (0xa0..=0xd7ff).contains(&c) && c != 0x2028 && c != 0x2029
            || (0xe000..=0xfffd).contains(&c) && c != 0xfeff
            || c >= 0x10000
    })
}

/// A key at the start of `line` (a letter or `_`, then letters, digits,
/// `_` and `-`) and what follows its colon.
fn key(line: &str) -> Option<(&str, &str)> {
    let end = line.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(line.len());
    let key = &line[..end];
    let first = key.bytes().next()?;
    if !(first.is_ascii_alphabetic() || first == b'_') || resolves_specially(key) {
        return None;
    }
    Some((key, line[end..].strip_prefix(':')?))
}

/// A value in block context (after `key: `) and the rest of the line.
fn block_value(text: &str) -> Option<(Value, &str)> {
    match text.as_bytes().first()? {
        b'"' | b'\'' => quoted(text),
        b'[' => list(text),
        b'{' => map(text),
        _ => {
            let scalar = text.trim_end_matches(' ');
            // Inside a plain scalar, ": " would start a mapping and " #" a
            // comment; a trailing ":" is a mapping too.
            if scalar.contains(": ") || scalar.contains(" #") || scalar.ends_with(':') {
                return None;
            }
            Some((plain(scalar, false)?, ""))
        }
    }
}

/// A plain (unquoted) scalar: text that starts with a letter, `true` or
/// `false`, or a date. Inside `[…]` / `{…}` (`flow`) it may not hold
/// the characters that end an item there.
fn plain(scalar: &str, flow: bool) -> Option<Value> {
    let first = scalar.chars().next()?;
    if flow && scalar.contains([',', '[', ']', '{', '}', ':', '#']) {
        return None;
    }
    match scalar {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ if resolves_specially(scalar) => None,
        _ if first.is_ascii_alphabetic() || !first.is_ascii() => Some(Value::String(scalar.to_string())),
        _ if is_date(scalar) => Some(Value::String(scalar.to_string())),
        _ => None,
    }
}

/// Words serde_yaml reads as null or true/false rather than as text.
fn resolves_specially(word: &str) -> bool {
    matches!(word, "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE")
}

/// `2025-12-03`, `2025-12-03T10:00:00+01:00`, `2025-12-03 10:00 -0500`:
/// four digits and a dash, then only digits, `-`, `:`, `.`, `+`, `T`, `Z`
/// and spaces. YAML reads these as text (they are neither integers nor
/// floats), and the date parser reads the text.
fn is_date(scalar: &str) -> bool {
    let bytes = scalar.as_bytes();
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..].iter().all(|&b| b.is_ascii_digit() || b"-:.+TZ ".contains(&b))
        && !scalar.ends_with(' ')
}

/// A quoted scalar at the start of `text` (which starts with its quote)
/// and what follows it: text with no escapes (`\` in double quotes) and
/// no doubled quotes, on one line.
fn quoted(text: &str) -> Option<(Value, &str)> {
    let quote = text.as_bytes()[0] as char;
    let inner = &text[1..];
    let end = inner.find(quote)?;
    let content = &inner[..end];
    let rest = &inner[end + 1..];
    if (quote == '"' && content.contains('\\')) || (quote == '\'' && rest.starts_with('\'')) {
        return None;
    }
    Some((Value::String(content.to_string()), rest))
}

/// An item inside `[…]` or a value inside `{…}`: a quoted or plain
/// scalar (or, with `lists`, a `[…]` list), and the rest after it.
fn flow_item(text: &str, lists: bool) -> Option<(Value, &str)> {
    match text.as_bytes().first()? {
        b'"' | b'\'' => quoted(text),
        b'[' if lists => list(text),
        _ => {
            let end = text.find([',', ']', '}']).unwrap_or(text.len());
            let scalar = text[..end].trim_end_matches(' ');
            Some((plain(scalar, true)?, &text[end..]))
        }
    }
}

/// The items of a one-line flow collection: `text` starts just after the
/// opening bracket; `item` reads one entry. Returns the rest after the
/// closing bracket.
fn flow_items<'t>(text: &'t str, close: char, mut item: impl FnMut(&'t str) -> Option<&'t str>) -> Option<&'t str> {
    let mut rest = text.trim_start_matches(' ');
    if let Some(after) = rest.strip_prefix(close) {
        return Some(after);
    }
    loop {
        rest = item(rest)?.trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix(close) {
            return Some(after);
        }
        rest = rest.strip_prefix(',')?.trim_start_matches(' ');
        // A trailing comma, or an empty item: leave those to serde_yaml.
        if rest.starts_with([',', close]) {
            return None;
        }
    }
}

/// `[a, "b", 'c']` at the start of `text`, and the rest after it.
fn list(text: &str) -> Option<(Value, &str)> {
    let mut items = Vec::new();
    let rest = flow_items(&text[1..], ']', |t| {
        let (value, rest) = flow_item(t, false)?;
        items.push(value);
        Some(rest)
    })?;
    Some((Value::Array(items), rest))
}

/// `{a: "x", b: [y, z]}` at the start of `text`, and the rest after it.
fn map(text: &str) -> Option<(Value, &str)> {
    let mut map = Map::new();
    let rest = flow_items(&text[1..], '}', |t| {
        let (key, rest) = key(t)?;
        let rest = rest.strip_prefix(' ')?.trim_start_matches(' ');
        let (value, rest) = flow_item(rest, true)?;
        if map.insert(key.to_string(), value).is_some() {
            return None;
        }
        Some(rest)
    })?;
    Some((Value::Object(map), rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What the full parser (serde_yaml) reads, or `None` on an error.
    fn slow(text: &str) -> Option<Map<String, Value>> {
        use crate::load::front_matter::{Format, Split, parse_slow};
        parse_slow(&Split { format: Format::Yaml, front: text, front_line: 2, body: "" }).ok()
    }

    #[test]
    fn reads_the_usual_front_matter() {
        let text = "title: \"Markets & Money: Debt Relief\"\nauthor: 'Amara Díaz'\nlocation: Mumbai\n\
                    # date: found in path \"2021/02/02/debt\"\ndate: 2021-02-02\nupdated: 2021-02-03T10:15:00+01:00\ndraft: false\n\
                    authors: [\"Amara Díaz\", Lee Chen]\ntags: []\n\
                    taxonomies: {authors: [\"Amara Díaz\"], years: [\"2021\"]}\nextra: {location: \"Mumbai\"}\n";
        let map = parse(text).expect("in the subset");
        assert_eq!(
            Value::Object(map.clone()),
            json!({
                "title": "Markets & Money: Debt Relief",
                "author": "Amara Díaz",
                "location": "Mumbai",
                "date": "2021-02-02",
                "updated": "2021-02-03T10:15:00+01:00",
                "draft": false,
                "authors": ["Amara Díaz", "Lee Chen"],
                "tags": [],
                "taxonomies": {"authors": ["Amara Díaz"], "years": ["2021"]},
                "extra": {"location": "Mumbai"},
            })
        );
        assert_eq!(slow(text), Some(map));
    }

    #[test]
    fn leaves_everything_else_to_serde_yaml() {
        for text in [
            "title: A # comment\n",
            "count: 3\n",
            "title: \"escaped \\\" quote\"\n",
            "title: 'it''s'\n",
            "title:\n  indented\n",
            "tags:\n  - a\n",
            "title: null\n",
            "title: True\n",
            "a: x\na: y\n",
            "title: a: b\n",
            "title: *anchor\n",
            "title: |\n  block\n",
            "title:\tA\n",
            "title: A\r\n",
            "tags: [a, [b]]\n",
            "tags: [a,]\n",
            "x: {a: 1}\n",
            "Null: x\n",
            "title: 1e3\n",
            "title: 2025\n",
            " # indented comment\ntitle: A\n",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    /// The heart of it: on random blocks built from YAML's awkward
    /// pieces, whenever the fast reader answers, serde_yaml (through the
    /// same clean-up) answers the same.
    #[test]
    fn agrees_with_serde_yaml_wherever_it_answers() {
        let keys = ["title", "date", "tags", "x", "a-b", "_k", "title", "date", "true", "True", "null", "2025", "é"];
        let seps = [": ", ": ", ": ", ":", " : ", ":  ", ": \t"];
        let benign = ["a", "Mumbai", "b c", "Díaz", "x-y", "2021-02-02", "2021-02-02T10:00:00+01:00", " "];
        let pieces = [
            "a",
            "Z",
            "b c",
            "é",
            "“",
            "–",
            "x:",
            ": ",
            "#",
            " #",
            "'",
            "\"",
            "''",
            "\\",
            "[",
            "]",
            "{",
            "}",
            ",",
            ", ",
            "true",
            "false",
            "null",
            "~",
            "-",
            "- ",
            "1",
            "2021",
            "2021-02-02",
            "10:00",
            "T",
            "Z",
            "+01:00",
            ".",
            "e5",
            "inf",
            "nan",
            "0x1",
            " ",
            "!",
            "&",
            "*",
            "|",
            ">",
            "%",
            "@",
            "`",
            "?",
            "\u{85}",
            "\u{2028}",
            "\u{feff}",
            "\t",
            "\n",
            "\n ",
            "yes",
            "No",
            "_",
        ];
        let mut next = crate::testing::xorshift();
        let mut pick = |n: usize| (next() % n as u64) as usize;
        let (mut answered, total) = (0, 60_000);
        for _ in 0..total {
            let mut text = String::new();
            for _ in 0..1 + pick(3) {
                // Now and then a comment line (whose awkward pieces may
                // end it early).
                if pick(6) == 0 {
                    text.push_str(["#", "# ", " #", "#x: "][pick(4)]);
                    text.push_str(pieces[pick(pieces.len())]);
                    text.push('\n');
                }
                text.push_str(keys[pick(keys.len())]);
                text.push_str(seps[pick(seps.len())]);
                // Mostly harmless pieces with a few awkward ones mixed in.
                let value: String = (0..1 + pick(4))
                    .map(|_| if pick(3) == 0 { pieces[pick(pieces.len())] } else { benign[pick(benign.len())] })
                    .collect();
                match pick(4) {
                    0 => text.push_str(&format!("\"{value}\"")),
                    1 => text.push_str(&format!("[{value}]")),
                    2 => text.push_str(&format!("{{k: {value}}}")),
                    _ => text.push_str(&value),
                }
                text.push('\n');
            }
            if let Some(fast) = parse(&text) {
                answered += 1;
                assert_eq!(Some(fast), slow(&text), "{text:?}");
            }
        }
        // The test means something only if the fast reader answers often.
        assert!(answered > total / 20, "answered {answered} of {total}");
    }
}
