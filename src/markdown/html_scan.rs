//! What the HTML parser would make of a body, measured in one pass before
//! it runs.
//!
//! Part of the render phase, used by the sanitizing path of `markdown`.
//! The HTML parser behind the sanitizer (html5ever) does work at every
//! tag that grows with how deep the open elements nest, so 600 KB of
//! nested `<div>`s took it 16 to 44 seconds; and it reopens every
//! formatting element left open (`<b>`, `<font>`, `<i>`…) in each block
//! that follows, so a hundred different `<b>` tags left open before
//! thousands of paragraphs made millions of elements and gigabytes of
//! memory. This module follows the parser's rules closely enough to
//! count both — the open elements, as the parser closes them (an unclosed
//! `<p>` or `<li>` is closed by the next one, as in browsers, and void
//! elements like `<br>` never open), and the formatting elements it
//! would reopen — in time linear in the text, and stops at the first
//! place either passes its limit.

/// Why the HTML was refused, at a byte offset in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Where: the tag that went too deep, or the formatting tag left open.
    pub offset: usize,
    /// What is wrong, and the limit.
    pub message: String,
}

/// Reopened formatting elements allowed for each tag written, beyond
/// [`REOPEN_ALLOWANCE`]: old CMS pages leave a `<font>` or two open in
/// every paragraph, which costs two or three per paragraph.
const REOPEN_PER_TAG: usize = 4;

/// Reopened formatting elements allowed in any body.
const REOPEN_ALLOWANCE: usize = 10_000;

/// Check that `html` nests at most `max_depth` elements deep, and that
/// the parser would not reopen far more formatting elements than the
/// text has tags.
pub fn check(html: &str, max_depth: usize) -> Result<(), Refusal> {
    let mut tree = Tree { max_depth, ..Tree::default() };
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(lt) = memchr(b'<', &bytes[i..]).map(|at| i + at) else {
            return tree.text(i);
        };
        if lt > i {
            tree.text(i)?;
        }
        i = match tag(bytes, lt) {
            Token::Start { name, attributes_end, end, self_closing } => {
                tree.tags += 1;
                let key = noah_key(&name, &bytes[lt..attributes_end]);
                tree.start(name, key, lt, self_closing)?;
                match RAW_TEXT.contains(&name.as_str()) {
                    true => skip_raw_text(bytes, end, &name),
                    false => end,
                }
            }
            Token::End { name, end } => {
                tree.tags += 1;
                tree.end(&name);
                end
            }
            Token::Other { end } => end,
            Token::Text => {
                tree.text(lt)?;
                lt + 1
            }
        };
    }
    Ok(())
}

/// A tag name, lowercased, at most 24 bytes (longer names are cut: two
/// custom elements sharing their first 24 letters count as one name).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
struct Name {
    bytes: [u8; 24],
    len: u8,
}

impl Name {
    fn new(raw: &[u8]) -> Name {
        let mut name = Name::default();
        for (slot, b) in name.bytes.iter_mut().zip(raw) {
            *slot = b.to_ascii_lowercase();
        }
        name.len = raw.len().min(24) as u8;
        name
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("")
    }

    fn is(&self, names: &[&str]) -> bool {
        names.contains(&self.as_str())
    }
}

enum Token {
    Start {
        name: Name,
        attributes_end: usize,
        end: usize,
        self_closing: bool,
    },
    End {
        name: Name,
        end: usize,
    },
    /// A comment, doctype or processing instruction.
    Other {
        end: usize,
    },
    /// A `<` that starts no tag.
    Text,
}

/// The token at `lt` (a `<`).
fn tag(bytes: &[u8], lt: usize) -> Token {
    let rest = &bytes[lt + 1..];
    if rest.starts_with(b"!--") {
        let end = find(bytes, lt + 4, b"-->").map_or(bytes.len(), |at| at + 3);
        return Token::Other { end };
    }
    if rest.first().is_some_and(|&b| b == b'!' || b == b'?') {
        return Token::Other { end: memchr(b'>', rest).map_or(bytes.len(), |at| lt + 1 + at + 1) };
    }
    let closing = rest.first() == Some(&b'/');
    let name_start = lt + 1 + usize::from(closing);
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return Token::Text;
    }
    let name_end = bytes[name_start..]
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .map_or(bytes.len(), |at| name_start + at);
    let name = Name::new(&bytes[name_start..name_end]);
    // The tag runs to the first `>` outside quoted attribute values.
    let mut i = name_end;
    let mut quote = None;
    while i < bytes.len() {
        match (quote, bytes[i]) {
            (Some(q), b) if b == q => quote = None,
            (None, b'"' | b'\'') if bytes[i - 1] == b'=' || bytes[i - 1].is_ascii_whitespace() => {
                quote = Some(bytes[i]);
            }
            (None, b'>') => break,
            _ => {}
        }
        i += 1;
    }
    let end = (i + 1).min(bytes.len());
    if closing {
        Token::End { name, end }
    } else {
        let self_closing = i > 0 && bytes.get(i - 1) == Some(&b'/');
        Token::Start { name, attributes_end: i, end, self_closing }
    }
}

/// Past the text of a raw-text element (`<script>`, `<style>`…): up to its
/// end tag, which the caller reads next.
fn skip_raw_text(bytes: &[u8], from: usize, name: &Name) -> usize {
    let mut i = from;
    while let Some(at) = find(bytes, i, b"</") {
        let after = &bytes[at + 2..];
        let n = usize::from(name.len);
        if after.len() >= n && after[..n].eq_ignore_ascii_case(name.as_str().as_bytes()) {
            return at;
        }
        i = at + 2;
    }
    bytes.len()
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|at| from + at)
}

/// Two formatting tags the parser treats as the same: the same name and
/// the same attributes as written.
fn noah_key(name: &Name, tag: &[u8]) -> u64 {
    crate::keys::of_bytes(tag) as u64 ^ u64::from(name.len)
}

/// Elements that are never opened: they have no content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] =
    &["iframe", "noembed", "noframes", "plaintext", "script", "style", "textarea", "title", "xmp"];

/// The formatting elements, which the parser reopens when they are closed
/// by something else.
const FORMATTING: &[&str] =
    &["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"];

/// Elements that put a marker in the list of formatting elements: none
/// opened before them is reopened inside them.
const MARKERS: &[&str] = &["applet", "caption", "marquee", "object", "td", "template", "th"];

/// Elements whose start tag first closes an open `<p>`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "ul",
];

/// The elements the parser treats specially.
const SPECIAL: &[&str] = &[
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "base",
    "basefont",
    "bgsound",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "img",
    "input",
    "keygen",
    "li",
    "link",
    "listing",
    "main",
    "marquee",
    "menu",
    "meta",
    "nav",
    "noembed",
    "noframes",
    "noscript",
    "object",
    "ol",
    "p",
    "param",
    "plaintext",
    "pre",
    "script",
    "search",
    "section",
    "select",
    "source",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
    "wbr",
    "xmp",
];

/// Where a search down the open elements stops ("in scope").
const SCOPE: &[&str] = &["applet", "caption", "html", "marquee", "object", "table", "td", "template", "th"];
const LIST_SCOPE: &[&str] =
    &["applet", "caption", "html", "marquee", "object", "ol", "table", "td", "template", "th", "ul"];
const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];
const TABLE_PARTS: &[&str] = &["caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"];

/// An open element.
#[derive(Clone, Copy)]
struct Open {
    name: Name,
    id: usize,
}

/// An entry of the list of active formatting elements.
#[derive(Clone, Copy)]
enum Active {
    Marker,
    Element { name: Name, key: u64, id: usize, at: usize },
}

/// The parser's state, as far as the limits need it.
#[derive(Default)]
struct Tree {
    max_depth: usize,
    stack: Vec<Open>,
    active: Vec<Active>,
    /// Whether the element with this id is still open.
    open: Vec<bool>,
    /// `<table>`s and `<svg>`/`<math>`s open.
    tables: usize,
    foreign: usize,
    /// Tags read, and formatting elements reopened.
    tags: usize,
    reopened: usize,
}

impl Tree {
    fn text(&mut self, at: usize) -> Result<(), Refusal> {
        self.reconstruct(at)
    }

    fn start(&mut self, name: Name, key: u64, at: usize, self_closing: bool) -> Result<(), Refusal> {
        let n = name.as_str();
        match n {
            "html" | "head" | "body" | "frameset" => return Ok(()),
            _ if TABLE_PARTS.contains(&n) && self.tables == 0 => return Ok(()),
            _ => {}
        }
        if self.foreign > 0 && self_closing {
            return Ok(());
        }
        if CLOSES_P.contains(&n) {
            self.close_p();
        }
        match n {
            "li" => self.close_item(&["li"]),
            "dd" | "dt" => self.close_item(&["dd", "dt"]),
            _ if HEADINGS.contains(&n) && self.current_is(HEADINGS) => self.pop(),
            "option" if self.current_is(&["option"]) => self.pop(),
            "optgroup" => {
                while self.current_is(&["option", "optgroup"]) {
                    self.pop();
                }
            }
            "td" | "th" => {
                if let Some(cell) = self.in_scope(&["td", "th"], &["html", "table", "template"]) {
                    self.pop_to(cell);
                }
            }
            "tr" | "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => {
                let keep: &[&str] = if n == "tr" { &["table", "tbody", "tfoot", "thead"] } else { &["table"] };
                while !self.current_is(keep) && !self.current_is(&["html", "template"]) && !self.stack.is_empty() {
                    self.pop();
                }
            }
            "a" | "nobr" => {
                if let Some(entry) = self.active_named(&name) {
                    self.adopt(entry);
                }
            }
            // A button in a button closes the first; a select in a
            // select only closes it.
            "button" | "select" => {
                if let Some(open) = self.in_scope(&[n], SCOPE) {
                    self.pop_to(open);
                    if n == "select" {
                        return Ok(());
                    }
                }
            }
            _ => {}
        }
        if !CLOSES_P.contains(&n) && !TABLE_PARTS.contains(&n) && !matches!(n, "li" | "dd" | "dt") {
            self.reconstruct(at)?;
        }
        if VOID.contains(&n) {
            return Ok(());
        }
        let id = self.push(name, at)?;
        if FORMATTING.contains(&n) {
            self.remember(name, key, id, at);
        } else if MARKERS.contains(&n) {
            self.active.push(Active::Marker);
        }
        Ok(())
    }

    fn end(&mut self, name: &Name) {
        let n = name.as_str();
        match n {
            "html" | "head" | "body" | "br" => {}
            "p" => self.close_p(),
            _ if FORMATTING.contains(&n) => match self.active_named(name) {
                Some(entry) => self.adopt(entry),
                None => self.end_other(name),
            },
            "li" => self.end_in_scope(&["li"], LIST_SCOPE),
            "dd" | "dt" => self.end_in_scope(&[n], SCOPE),
            _ if HEADINGS.contains(&n) => self.end_in_scope(HEADINGS, SCOPE),
            "table" | "tr" | "tbody" | "thead" | "tfoot" => self.end_in_scope(&[n], &["html", "table", "template"]),
            _ if SPECIAL.contains(&n) => self.end_in_scope(&[n], SCOPE),
            _ => self.end_other(name),
        }
    }

    /// "Any other end tag": close the nearest element of that name, unless
    /// a special element comes first.
    fn end_other(&mut self, name: &Name) {
        for i in (0..self.stack.len()).rev() {
            let open = self.stack[i].name;
            if open == *name {
                self.pop_to(i);
                return;
            }
            if open.is(SPECIAL) {
                return;
            }
        }
    }

    fn end_in_scope(&mut self, names: &[&str], scope: &[&str]) {
        if let Some(i) = self.in_scope(names, scope) {
            self.pop_to(i);
        }
    }

    /// The position in the stack of the nearest open element named one of
    /// `names`, searching down until an element of `scope`.
    fn in_scope(&self, names: &[&str], scope: &[&str]) -> Option<usize> {
        for i in (0..self.stack.len()).rev() {
            let open = self.stack[i].name;
            if open.is(names) {
                return Some(i);
            }
            if open.is(scope) {
                return None;
            }
        }
        None
    }

    fn current_is(&self, names: &[&str]) -> bool {
        self.stack.last().is_some_and(|open| open.name.is(names))
    }

    fn close_p(&mut self) {
        let mut scope = SCOPE.to_vec();
        scope.push("button");
        if let Some(p) = self.in_scope(&["p"], &scope) {
            self.pop_to(p);
        }
    }

    /// A new `<li>` (or `<dd>`, `<dt>`) closes the one still open.
    fn close_item(&mut self, names: &[&str]) {
        for i in (0..self.stack.len()).rev() {
            let open = self.stack[i].name;
            if open.is(names) {
                self.pop_to(i);
                return;
            }
            if open.is(SPECIAL) && !open.is(&["address", "div", "p"]) {
                return;
            }
        }
    }

    fn push(&mut self, name: Name, at: usize) -> Result<usize, Refusal> {
        if self.stack.len() >= self.max_depth {
            return Err(Refusal {
                offset: at,
                message: format!(
                    "the HTML nests more than {} elements deep here (limits.html_depth in site.yaml): close the \
                     elements it opens",
                    self.max_depth
                ),
            });
        }
        let id = self.open.len();
        self.open.push(true);
        self.stack.push(Open { name, id });
        if name.is(&["table"]) {
            self.tables += 1;
        }
        if name.is(&["svg", "math"]) {
            self.foreign += 1;
        }
        Ok(id)
    }

    fn pop(&mut self) {
        if let Some(open) = self.stack.pop() {
            self.open[open.id] = false;
            if open.name.is(&["table"]) {
                self.tables -= 1;
            }
            if open.name.is(&["svg", "math"]) {
                self.foreign -= 1;
            }
            if open.name.is(MARKERS) {
                while let Some(entry) = self.active.pop() {
                    if matches!(entry, Active::Marker) {
                        break;
                    }
                }
            }
        }
    }

    /// Close the element at `index` of the stack and everything above it.
    fn pop_to(&mut self, index: usize) {
        while self.stack.len() > index {
            self.pop();
        }
    }

    /// A formatting element opened: remember it, as the parser does (it
    /// keeps at most three alike since the last marker).
    fn remember(&mut self, name: Name, key: u64, id: usize, at: usize) {
        let since_marker = self.active.iter().rposition(|e| matches!(e, Active::Marker)).map_or(0, |m| m + 1);
        let alike: Vec<usize> = (since_marker..self.active.len())
            .filter(|&i| matches!(self.active[i], Active::Element { key: k, .. } if k == key))
            .collect();
        if alike.len() >= 3 {
            self.active.remove(alike[0]);
        }
        self.active.push(Active::Element { name, key, id, at });
    }

    /// The last formatting element of this name since the last marker.
    fn active_named(&self, name: &Name) -> Option<usize> {
        for i in (0..self.active.len()).rev() {
            match self.active[i] {
                Active::Marker => return None,
                Active::Element { name: n, .. } if n == *name => return Some(i),
                Active::Element { .. } => {}
            }
        }
        None
    }

    /// The end of a formatting element (the parser's "adoption agency",
    /// as far as counting goes): it is no longer active, and what was
    /// opened inside it closes with it (formatting elements among those
    /// stay active, to be reopened).
    fn adopt(&mut self, entry: usize) {
        if let Active::Element { id, .. } = self.active.remove(entry)
            && let Some(index) = self.stack.iter().rposition(|open| open.id == id)
        {
            self.pop_to(index);
        }
    }

    /// Text or an inline tag is coming: the parser reopens the formatting
    /// elements that are active but no longer open (the trailing run of
    /// them since the last marker).
    fn reconstruct(&mut self, at: usize) -> Result<(), Refusal> {
        let mut first = self.active.len();
        while first > 0 {
            match self.active[first - 1] {
                Active::Element { id, .. } if !self.open[id] => first -= 1,
                _ => break,
            }
        }
        self.reopened += self.active.len() - first;
        if self.reopened > REOPEN_ALLOWANCE + REOPEN_PER_TAG * self.tags
            && let Some(&Active::Element { name, at: written, .. }) = self.active.get(first)
        {
            return Err(Refusal {
                offset: written,
                message: format!(
                    "this `<{}>` is never closed, so the HTML parser reopens it, with the other formatting tags \
                     left open, in every block that follows: {} elements reopened after {} tags, more than \
                     {REOPEN_PER_TAG} per tag; close it",
                    name.as_str(),
                    self.reopened,
                    self.tags
                ),
            });
        }
        for i in first..self.active.len() {
            let Active::Element { name, key, at: written, .. } = self.active[i] else { continue };
            let id = self.push(name, at)?;
            self.active[i] = Active::Element { name, key, id, at: written };
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(html: &str, depth: usize) -> Option<(usize, String)> {
        check(html, depth).err().map(|r| (r.offset, r.message))
    }

    #[test]
    fn unclosed_paragraphs_items_and_void_elements_do_not_nest() {
        let old_cms = "<p>One<p>Two<br><img src=x><ul><li>a<li>b<li>c</ul><dl><dt>x<dd>y<dt>z</dl>\
                       <table><tr><td>1<td>2<tr><td>3</table><select><option>a<option>b</select><p>end";
        assert_eq!(refused(&old_cms.repeat(10_000), 8), None);
        assert_eq!(refused(&"<p><font size=2>Text</p>".repeat(10_000), 8), None);
        assert_eq!(refused(&"<h2>Head<p>Para\n".repeat(10_000), 8), None);
        assert_eq!(refused("<svg><path d=x/><circle/></svg>", 2), None);
        assert_eq!(refused("<script>if (a<b) {}</script><!-- <div><div><div> --><p>x", 2), None);
    }

    #[test]
    fn nesting_past_the_limit_is_refused_at_the_tag() {
        let (at, message) = refused(&"<div>".repeat(10), 8).unwrap();
        assert_eq!(at, 40);
        assert!(message.starts_with("the HTML nests more than 8 elements deep here (limits.html_depth"), "{message}");
        assert_eq!(refused(&"<ul><li>".repeat(5), 8).map(|(at, _)| at), Some(32));
        assert_eq!(refused(&"<blockquote><p>".repeat(10), 8).map(|(at, _)| at), Some(117));
        // A formatting tag left open in each paragraph, each on its line,
        // nests: the parser reopens it at each line break, outside the
        // next paragraph, which then opens another inside.
        assert_eq!(refused(&"<p><font size=2>Text</p>\n".repeat(10), 8).map(|(at, _)| at), Some(178));
        assert_eq!(refused(&"<div></div>".repeat(100), 8), None);
    }

    #[test]
    fn formatting_tags_left_open_are_counted_as_they_are_reopened() {
        // A hundred different <b>s left open, then paragraphs: each
        // paragraph reopens all hundred.
        let opened: String = (0..100).map(|i| format!("<b id={i}>")).collect();
        let html = format!("<p>{opened}</p>{}", "<p>x</p>".repeat(20_000));
        let (at, message) = refused(&html, 512).unwrap();
        assert_eq!(at, 3, "at the first <b> left open");
        assert!(message.starts_with("this `<b>` is never closed, so the HTML parser reopens it"), "{message}");
        // The same <b> left open again and again is kept three times at most.
        let html = format!("{}{}", "<p><b>x</p>".repeat(1000), "<p>x</p>".repeat(20_000));
        assert_eq!(refused(&html, 512), None);
        // Closed formatting costs nothing.
        assert_eq!(refused(&"<p><b>x</b> <i>y</i></p>".repeat(20_000), 8), None);
    }
}
