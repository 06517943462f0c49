//! How deep front matter nests, found by one pass over its text before
//! any parser reads it.
//!
//! Part of the load phase, used by `front_matter.rs`. The YAML parser
//! takes time that grows with the square of the depth of brackets
//! (`[[[[…` a hundred thousand deep took 18 seconds), so the depth is
//! measured first, in linear time, and deep front matter is refused
//! before parsing. The measure follows the syntax far enough to be right
//! on real front matter — quoted text, comments, block scalars (`|`,
//! `>`), plain text holding brackets (`title: a [b] c`) do not count —
//! and errs towards counting more on anything strange.

use super::front_matter::Format;

/// The byte offset in `text` where its nesting first goes deeper than
/// `max`, and that depth; `None` when it never does.
pub fn too_deep(text: &str, format: Format, max: usize) -> Option<(usize, usize)> {
    match format {
        // JSON is YAML's flow syntax.
        Format::Yaml | Format::Json => Yaml::default().scan(text, max),
        Format::Toml => toml(text, max),
    }
}

/// What the YAML scan carries from one line to the next.
#[derive(Default)]
struct Yaml {
    /// Open `[` and `{`.
    flow: usize,
    /// Inside a quoted scalar, which may span lines: its quote.
    quote: Option<u8>,
    /// Inside a block scalar (`|`, `>`): the indentation of the line that
    /// opened it; lines indented more (or blank) are its text.
    block_scalar: Option<usize>,
    /// Indentations of the enclosing block collections.
    indents: Vec<usize>,
}

impl Yaml {
    fn scan(mut self, text: &str, max: usize) -> Option<(usize, usize)> {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let found = self.line(line.trim_end_matches(['\n', '\r']), max);
            if let Some((at, depth)) = found {
                return Some((offset + at, depth));
            }
            offset += line.len();
        }
        None
    }

    /// Scan one line; the offset in it where the depth passes `max`.
    fn line(&mut self, line: &str, max: usize) -> Option<(usize, usize)> {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let blank = indent == bytes.len() || bytes[indent] == b'#';
        if let Some(opened_at) = self.block_scalar {
            if blank || indent > opened_at {
                return None;
            }
            self.block_scalar = None;
        }
        if self.quote.is_none() && self.flow == 0 {
            if blank {
                return None;
            }
            while self.indents.last().is_some_and(|&i| i >= indent) {
                self.indents.pop();
            }
            self.indents.push(indent);
            if self.indents.len() > max {
                return Some((indent, self.indents.len()));
            }
        }
        let mut depth = self.indents.len() + self.flow;
        let mut i = if self.quote.is_some() { 0 } else { indent };
        let mut token_start = self.quote.is_none();
        while i < bytes.len() {
            if let Some(quote) = self.quote {
                i = end_of_quote(bytes, i, quote);
                if i < bytes.len() {
                    self.quote = None;
                    i += 1;
                }
                continue;
            }
            let b = bytes[i];
            let next = bytes.get(i + 1).copied();
            let spaced = next.is_none_or(|n| n == b' ' || n == b'\t');
            if b == b' ' || b == b'\t' {
                i += 1;
                continue;
            }
            if b == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')) {
                break;
            }
            if token_start {
                match b {
                    b'"' | b'\'' => {
                        self.quote = Some(b);
                        token_start = false;
                        i += 1;
                        continue;
                    }
                    b'[' | b'{' => {
                        self.flow += 1;
                        depth += 1;
                        if depth > max {
                            return Some((i, depth));
                        }
                        i += 1;
                        continue;
                    }
                    // Compact nesting: `- - x`, `? key`.
                    b'-' | b'?' if spaced && self.flow == 0 => {
                        depth += 1;
                        if depth > max {
                            return Some((i, depth));
                        }
                        i += 1;
                        continue;
                    }
                    b'|' | b'>' if self.flow == 0 => {
                        self.block_scalar = Some(indent);
                        break;
                    }
                    // Anchors, tags and aliases come before a value.
                    b'&' | b'!' | b'*' => {
                        while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t') {
                            i += 1;
                        }
                        continue;
                    }
                    _ => token_start = false,
                }
            }
            match b {
                b':' if spaced => token_start = true,
                b',' if self.flow > 0 => token_start = true,
                b'[' | b'{' if self.flow > 0 => {
                    self.flow += 1;
                    depth += 1;
                    if depth > max {
                        return Some((i, depth));
                    }
                    token_start = true;
                }
                b']' | b'}' if self.flow > 0 => {
                    self.flow -= 1;
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// Where the quoted text that continues at `from` ends: the offset of its
/// closing quote, or the end of the line. `\` escapes in double quotes;
/// `''` is a quote in single quotes.
fn end_of_quote(bytes: &[u8], mut from: usize, quote: u8) -> usize {
    while from < bytes.len() {
        match bytes[from] {
            b'\\' if quote == b'"' => from += 2,
            b'\'' if quote == b'\'' && bytes.get(from + 1) == Some(&b'\'') => from += 2,
            b if b == quote => return from,
            _ => from += 1,
        }
    }
    bytes.len()
}

/// TOML: the table a header opens (`[a.b.c]` is three below the
/// document's), the dotted
/// keys of a line, and arrays and inline tables, which may span lines.
fn toml(text: &str, max: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    // The document is a table: one level.
    let mut table = 1;
    let mut flow: Vec<u8> = Vec::new();
    let mut depth_here = 0;
    let mut at_line_start = true;
    let mut in_key = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if at_line_start && flow.is_empty() {
            // A line of its own: a header, a `key = value`, or nothing.
            let start = i + bytes[i..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
            i = start;
            at_line_start = false;
            match bytes.get(start) {
                Some(b'[') => {
                    let end = bytes[start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |e| start + e);
                    let depth = 2 + count_dots(&bytes[start..end]);
                    if depth > max {
                        return Some((start, depth));
                    }
                    table = depth;
                    i = end;
                    continue;
                }
                Some(b'#' | b'\n') | None => {}
                Some(_) => {
                    in_key = true;
                    depth_here = table;
                }
            }
            continue;
        }
        match b {
            b'\n' => {
                at_line_start = true;
                in_key = false;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                i = end_of_toml_string(bytes, i);
                continue;
            }
            b'.' if in_key => {
                depth_here += 1;
                if depth_here > max {
                    return Some((i, depth_here));
                }
            }
            b'=' => in_key = false,
            b'[' | b'{' if !in_key => {
                flow.push(b);
                depth_here += 1;
                if depth_here > max {
                    return Some((i, depth_here));
                }
                // An inline table starts with a key.
                in_key = b == b'{';
            }
            b',' if flow.last() == Some(&b'{') => in_key = true,
            b']' | b'}' if !in_key && flow.pop().is_some() => depth_here = depth_here.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Dots outside quotes: the segments of a dotted key, less one.
fn count_dots(bytes: &[u8]) -> usize {
    let mut dots = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                i = end_of_toml_string(bytes, i);
                continue;
            }
            b'.' => dots += 1,
            b'#' => break,
            _ => {}
        }
        i += 1;
    }
    dots
}

/// The offset just after the TOML string that starts at `from` (one-line
/// or `"""`/`'''` multi-line; `\` escapes in basic strings).
fn end_of_toml_string(bytes: &[u8], from: usize) -> usize {
    let quote = bytes[from];
    let triple = bytes.get(from..from + 3).is_some_and(|t| t.iter().all(|&b| b == quote));
    let mut i = from + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\n' if !triple => return i,
            b if b == quote => {
                if !triple {
                    return i + 1;
                }
                if bytes.get(i..i + 3).is_some_and(|t| t.iter().all(|&b| b == quote)) {
                    return i + 3;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Option<(usize, usize)> {
        too_deep(text, Format::Yaml, 3)
    }

    fn toml_depth(text: &str) -> Option<(usize, usize)> {
        too_deep(text, Format::Toml, 3)
    }

    #[test]
    fn real_yaml_front_matter_is_shallow() {
        for text in [
            "title: A [bracketed] headline\ndate: 2025-01-01\ntags: [a, b]\n",
            "title: \"[[[[ quoted ]]]]\"\nnote: '{{{{ it''s }}}}'\n",
            "title: \"a long\n  [[[[ quoted line\"\n",
            "summary: |\n  [[[[ block text\n  - - - - not a list\n",
            "title: Putin's \"new [realities]\"\n",
            "corrections:\n  - date: 2025-01-02\n    text: Fixed.\n  - date: 2025-01-03\n    text: Again.\n",
            "a: &x [1, 2]\nb: *x\nc: !!seq [1]\n",
            "title: A # [[[[ comment\n",
        ] {
            assert_eq!(yaml(text), None, "{text}");
        }
    }

    #[test]
    fn deep_yaml_is_found_where_it_passes_the_limit() {
        assert_eq!(yaml("x: [[[[1]]]]\n"), Some((5, 4)));
        assert_eq!(yaml("x: {a: {b: {c: {d: 1}}}}\n"), Some((11, 4)));
        assert_eq!(yaml("x:\n  - - - - y\n"), Some((7, 4)));
        assert_eq!(yaml("x: [\n [\n  [\n   [1]]]]\n"), Some((10, 4)));
        assert_eq!(yaml("a:\n b:\n  c:\n   d: 1\n"), Some((15, 4)));
        assert_eq!(yaml("x: \"q\" [[[["), None);
    }

    #[test]
    fn toml_tables_keys_and_arrays_count() {
        assert_eq!(toml_depth("title = \"[[[[\"\ntags = [\"a\", \"b\"]\n[extra]\nx = 1\n"), None);
        assert_eq!(toml_depth("x = [[[[1]]]]\n"), Some((6, 4)));
        assert_eq!(toml_depth("a.b.c.d = 1\n"), Some((5, 4)));
        assert_eq!(toml_depth("[a.b.c.d]\n"), Some((0, 5)));
        assert_eq!(toml_depth("[a.b]\nc = {d = [1]}\n"), Some((10, 4)));
        assert_eq!(toml_depth("x = '''\n[[[[\n'''\ny = \"1.2.3.4\"\nv = 1.5\n"), None);
    }
}
