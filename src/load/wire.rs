//! The plain-text wire format.
//!
//! Part of the load phase. Input: the text of a `.txt` story, laid out like
//! agency copy:
//!
//! ```text
//! Headline
//! - Byline
//! - Location
//! - December 3, 2025
//! First paragraph, one per line.
//! Second paragraph.
//! ```
//!
//! Output: a [`WireStory`] whose body is Markdown that renders exactly the
//! text as written: wire copy is plain text, so `#1 seed` or `* note` at the
//! start of a line must never turn into a heading or a list.

use chrono::FixedOffset;

use super::date::{self, ArticleDate};
use crate::error::Located;

/// A wire story split into its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct WireStory {
    /// The first line.
    pub headline: String,
    /// Its line in the file.
    pub headline_line: usize,
    /// The byline as written (may name several people) and its line, if there is one.
    pub byline: Option<(String, usize)>,
    /// The dateline location, if there is one.
    pub location: Option<String>,
    /// The publication date.
    pub date: ArticleDate,
    /// The line of the date, for messages about it.
    pub date_line: usize,
    /// `- Section: …` after the date line.
    pub section: Option<String>,
    /// `- Tags: a, b` after the date line.
    pub tags: Vec<String>,
    /// `- Story: …` (a thread id) after the date line.
    pub story: Option<String>,
    /// The lines of the `- Section:` and `- Tags:` labels (0 when absent).
    pub label_lines: (usize, usize),
    /// The line of the location (0 when absent).
    pub location_line: usize,
    /// The body as escaped Markdown, one paragraph per non-blank line.
    pub body: String,
    /// The line where the body starts.
    pub body_line: usize,
}

/// Parse a wire story (BOM already removed; `\r\n` or `\n` line ends).
pub fn parse(text: &str, default_offset: FixedOffset) -> Result<WireStory, Located> {
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim()));
    let Some((headline_line, headline)) = lines.by_ref().find(|(_, l)| !l.is_empty()) else {
        return Err(Located::new(1, 1, "empty file"));
    };
    if headline.starts_with("- ") {
        return Err(Located::new(headline_line, 1, "the first line must be the headline, not a `- ` line"));
    }

    // The `- ` lines after the headline: byline and location, ended by the
    // date line. The date is recognized by parsing it, so a story with no
    // location line (or no byline) still works. Blank lines among them are
    // tolerated.
    let mut fields: Vec<(usize, &str)> = Vec::new();
    let mut date = None;
    let mut body_lines = Vec::new();
    let mut last_line = headline_line;
    for (n, line) in lines.by_ref() {
        last_line = n;
        if line.is_empty() {
            continue;
        }
        let Some(value) = line.strip_prefix("- ").or_else(|| (line == "-").then_some("")) else {
            body_lines.push(line);
            break;
        };
        let value = value.trim();
        if let Some(d) = date::parse(value, default_offset) {
            date = Some((d, n));
            break;
        }
        fields.push((n, value));
    }
    let Some((date, date_line)) = date else {
        return Err(missing_date(&fields, headline_line, last_line));
    };
    if fields.len() > 2 {
        let (n, value) = fields[2];
        return Err(Located::new(
            n,
            3,
            format!("expected at most a byline and a location before the date line, found a third line {value:?}"),
        ));
    }
    let byline = fields.first().filter(|(_, v)| !v.is_empty()).map(|(n, v)| (v.to_string(), *n));
    let location = fields.get(1).map(|(_, v)| v.to_string()).filter(|v| !v.is_empty());

    // Labeled lines right after the date line (blank lines among them
    // tolerated, as among the fields), before any body line.
    let rest: Vec<(usize, &str)> = lines.collect();
    let (mut section, mut tags, mut story) = (None, Vec::new(), None);
    let mut label_lines = (0, 0);
    let mut body_line = date_line + 1;
    let mut first_body = 0;
    if body_lines.is_empty() {
        for (at, (n, line)) in rest.iter().enumerate() {
            if line.is_empty() {
                continue;
            }
            let Some((label, value)) = labeled(line) else { break };
            let value = Some(value.to_string()).filter(|v| !v.is_empty());
            match label {
                Label::Section => (section, label_lines.0) = (value, *n),
                Label::Tags => {
                    label_lines.1 = *n;
                    tags = value
                        .iter()
                        .flat_map(|v| v.split(','))
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(String::from)
                        .collect()
                }
                Label::Story => story = value,
            }
            (body_line, first_body) = (n + 1, at + 1);
        }
    }
    body_lines.extend(rest[first_body..].iter().map(|(_, l)| *l));
    let paragraphs: Vec<String> = body_lines.iter().filter(|l| !l.is_empty()).map(|l| escape_markdown(l)).collect();
    let body = paragraphs.join("\n\n");
    let headline = headline.to_string();
    Ok(WireStory {
        headline,
        headline_line,
        byline,
        location,
        date,
        date_line,
        section,
        tags,
        story,
        label_lines,
        location_line: fields.get(1).map_or(0, |(n, _)| *n),
        body,
        body_line,
    })
}

/// The labels a wire story may give after its date line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Section,
    Tags,
    Story,
}

/// `- Section: Business` (any case) as (label, value); `None` for any
/// other line, which starts the body.
fn labeled(line: &str) -> Option<(Label, &str)> {
    let (name, value) = line.strip_prefix("- ")?.split_once(':')?;
    let label = match name.trim().to_ascii_lowercase().as_str() {
        "section" => Label::Section,
        "tags" => Label::Tags,
        "story" => Label::Story,
        _ => return None,
    };
    Some((label, value.trim()))
}

fn missing_date(fields: &[(usize, &str)], headline_line: usize, last_line: usize) -> Located {
    // If the last `- ` line looks like an attempt at a date, quote it.
    if let Some((n, value)) = fields.last()
        && value.chars().any(|c| c.is_ascii_digit())
    {
        let message = match date::impossible_day(value) {
            Some(why) => format!("the date {value:?} is not a day: {why}"),
            None => {
                format!("unparseable date {value:?}: write it like `December 3, 2025`, `3 Dec 2025` or `2025-12-03`")
            }
        };
        return Located::new(*n, 3, message);
    }
    let line = fields.last().map_or(headline_line + 1, |(n, _)| n + 1).min(last_line.max(headline_line + 1));
    Located::new(line, 1, "no date line: after the headline, give `- Byline`, `- Location` and `- December 3, 2025`")
}

/// Escape one line of plain text so Markdown renders it exactly as written.
///
/// Inline markup characters are escaped everywhere; block markers (`#`,
/// `>`, `-`, `+`, `=`, `1.`, `1)`) only at the start of the line, where
/// they would otherwise start a heading, quote or list.
pub fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let bytes = line.as_bytes();
    // An ordered-list marker: digits followed by `.` or `)` at line start.
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let list_marker_at = (digits > 0 && matches!(bytes.get(digits), Some(b'.' | b')'))).then_some(digits);
    for (i, c) in line.char_indices() {
        let at_start = i == 0;
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!' => true,
            '#' | '-' | '+' | '=' => at_start,
            '.' | ')' => list_marker_at == Some(i),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    const SAMPLE: &str = "Washington and Moscow Talk\n- Ingrid Jones\n- U.S.A\n- December 3, 2025\nFirst paragraph.\nSecond paragraph.\n";

    #[test]
    fn parses_the_sample_layout() {
        let s = parse(SAMPLE, utc()).unwrap();
        assert_eq!(s.headline, "Washington and Moscow Talk");
        assert_eq!(s.byline, Some(("Ingrid Jones".to_string(), 2)));
        assert_eq!(s.location.as_deref(), Some("U.S.A"));
        assert_eq!(s.date.at.to_rfc3339(), "2025-12-03T00:00:00+00:00");
        assert_eq!(s.body, "First paragraph.\n\nSecond paragraph.");
    }

    #[test]
    fn labeled_lines_after_the_date_give_section_tags_and_story() {
        let text = "Oil talks\n- A. Writer\n- VIENNA\n- December 3, 2025\n\n- section: Business\n- Tags: oil, OPEC ,\n- STORY: opec-talks\nBody one.\n- Tags: not a label now\n";
        let s = parse(text, utc()).unwrap();
        assert_eq!(s.section.as_deref(), Some("Business"));
        assert_eq!(s.tags, ["oil", "OPEC"]);
        assert_eq!(s.story.as_deref(), Some("opec-talks"));
        assert_eq!(s.body_line, 9);
        assert_eq!(s.body, "Body one.\n\n\\- Tags: not a label now");
    }

    #[test]
    fn other_dash_lines_after_the_date_are_body() {
        let s = parse("H\n- A\n- B\n- December 3, 2025\n- Note: kept\n", utc()).unwrap();
        assert_eq!(s.section, None);
        assert!(s.body.contains("Note: kept"), "{}", s.body);
    }

    #[test]
    fn crlf_and_blank_lines_between_paragraphs() {
        let text = "Headline\r\n- A. Writer\r\n- Kyiv\r\n- Dec. 3, 2025\r\n\r\nOne.\r\n\r\n\r\nTwo.\r\n";
        let s = parse(text, utc()).unwrap();
        assert_eq!(s.location.as_deref(), Some("Kyiv"));
        assert_eq!(s.body, "One.\n\nTwo.");
    }

    #[test]
    fn location_line_may_be_missing() {
        let s = parse("H\n- Ingrid Jones\n- 2025-12-03\nBody.", utc()).unwrap();
        assert_eq!(s.byline, Some(("Ingrid Jones".to_string(), 2)));
        assert_eq!(s.location, None);
    }

    #[test]
    fn byline_may_be_missing_too() {
        let s = parse("H\n- 3 December 2025 14:30\nBody.", utc()).unwrap();
        assert_eq!(s.byline, None);
        assert!(s.date.has_time);
    }

    #[test]
    fn blank_lines_inside_the_header_are_tolerated() {
        let s = parse("\n\nH\n\n- Ann\n\n- Kyiv\n\n- 2025-12-03\nP1\n", utc()).unwrap();
        assert_eq!(s.byline, Some(("Ann".to_string(), 5)));
        assert_eq!(s.location.as_deref(), Some("Kyiv"));
        assert_eq!(s.date_line, 9);
        assert_eq!(s.body, "P1");
    }

    #[test]
    fn error_lines_count_leading_blank_lines() {
        let e = parse("\n\n- 2025-12-03\n", utc()).unwrap_err();
        assert_eq!(e.line, 3);
        let e = parse("\nH\n- Ann\n- Kyiv\nBody\n", utc()).unwrap_err();
        assert_eq!(e.line, 5, "{e:?}");
    }

    #[test]
    fn body_lines_starting_with_a_dash_after_the_date_are_body() {
        let s = parse("H\n- A\n- 2025-12-03\n- not meta, a quote\nMore.", utc()).unwrap();
        assert_eq!(s.body, "\\- not meta, a quote\n\nMore.");
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("", utc()).unwrap_err().message, "empty file");
        let e = parse("H\n- Ingrid\n- U.S.A\n- Decmber 3, 2025\nBody", utc()).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("\"Decmber 3, 2025\""), "{}", e.message);
        let e = parse("H\n- Ingrid\n- Kyiv\nBody", utc()).unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.starts_with("no date line"), "{}", e.message);
        let e = parse("H\n- A\n- B\n- C\n- 2025-12-03\nBody", utc()).unwrap_err();
        assert_eq!(e.line, 4);
        let e = parse("H\n- Ann\n- Kyiv\n- 0000-12-03\nBody", utc()).unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (4, "the date \"0000-12-03\" is not a day: year 0 does not exist (1 BC is followed by AD 1)")
        );
    }

    #[test]
    fn escaping_keeps_plain_text_plain() {
        assert_eq!(escape_markdown("#1 seed"), "\\#1 seed");
        assert_eq!(escape_markdown("* note"), "\\* note");
        assert_eq!(escape_markdown("1. item"), "1\\. item");
        assert_eq!(escape_markdown("> x"), "\\> x");
        assert_eq!(escape_markdown("a <b> & c_d"), "a \\<b\\> \\& c\\_d");
        assert_eq!(escape_markdown("Price fell 1.5% - again"), "Price fell 1.5% - again");
    }
}
