//! A WordPress post's body (`content:encoded`) into Markdown.
//!
//! Part of the WordPress import. Input: the post's HTML as WordPress keeps
//! it, and where it starts in the export. Output: Markdown, and warnings
//! placed at their line and column in the export. On the way:
//!
//! - block-editor comments (`<!-- wp:… -->`) go; a block WordPress draws
//!   when the page is shown (`<!-- wp:latest-posts /-->`) has no text in
//!   the export and is reported; `<!--more-->` goes (Gazette's summary is
//!   the first paragraph), `<!--nextpage-->` becomes a rule;
//! - a classic-editor body gets WordPress's automatic paragraphs: text
//!   parted by blank lines becomes paragraphs, a single newline a line
//!   break (see [`autop`]);
//! - `[caption]` becomes a `<figure>` with its `<figcaption>`; `[gallery]`,
//!   `[embed]`, `[audio]`, `[video]`, `[playlist]` and unknown shortcodes
//!   are kept as written, and reported;
//! - the HTML is converted by htmd, with handlers for what Markdown cannot
//!   say: a figure with a caption, a table with merged cells or without a
//!   header row, embeds (`iframe`, `video`, `audio`, `script`…) stay HTML;
//!   `sub`, `sup`, `u`, `mark`… stay inline HTML; `del` is `~~struck~~`;
//!   a block-editor embed or a URL alone in a paragraph (which WordPress
//!   showed as a player) becomes a link.

use std::fmt::Write as _;
use std::rc::Rc;
use std::sync::LazyLock;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BrStyle, BulletListMarker, LinkStyle, Options};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};

use crate::error::Located;

/// Where a text starts in the export: 1-based line and column.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// The line.
    pub line: usize,
    /// The column, in characters.
    pub col: usize,
}

impl At {
    /// Where the byte `offset` of a text starting here is.
    pub fn of(self, text: &str, offset: usize) -> At {
        let before = &text[..offset];
        match before.rfind('\n') {
            Some(nl) => {
                At { line: self.line + before.matches('\n').count(), col: before[nl + 1..].chars().count() + 1 }
            }
            None => At { line: self.line, col: self.col + before.chars().count() },
        }
    }

    /// A problem here.
    pub fn located(self, message: impl Into<String>) -> Located {
        Located::new(self.line, self.col, message)
    }
}

/// A converted body.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Body {
    /// The Markdown.
    pub markdown: String,
    /// What was kept as written or left out, at its place in the export.
    pub warnings: Vec<Located>,
}

/// Convert a post's `content:encoded`, which starts at `at` in the export.
pub fn convert(content: &str, at: At) -> Body {
    let warnings = scan(content, at);
    let blocks = content.contains("<!-- wp:");
    let content = content.replace("\r\n", "\n");
    let html = strip_comments(&content);
    let mut kept = Kept::new(&html);
    let html = shortcodes(&html, &mut kept);
    let html = if blocks { html } else { autop(&html) };
    // `<body>` first, so a leading `<script>` or `<style>` stays in the
    // body (the parser would move it to the head, which is not converted).
    let markdown = CONVERTER.convert(&format!("<body>{html}")).unwrap_or_default();
    Body { markdown: tidy(&kept.restore(&markdown)), warnings }
}

/// Problems to report, found in the body as written (so their places are
/// exact): blocks with no text in the export, embeds, kept shortcodes.
fn scan(content: &str, at: At) -> Vec<Located> {
    let mut warnings = Vec::new();
    let mut from = 0;
    while let Some(start) = content[from..].find("<!-- wp:").map(|i| from + i) {
        let Some(end) = content[start..].find("-->").map(|i| start + i + 3) else { break };
        let comment = &content[start..end];
        let name = comment["<!-- wp:".len()..].split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        let here = at.of(content, start);
        if comment.ends_with("/-->") {
            warnings.push(here.located(format!(
                "block wp:{name} left out: WordPress draws it when the page is shown, the export has no text for it"
            )));
        } else if name == "embed" || name.starts_with("core-embed/") {
            let url = comment.split("\"url\":\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or("");
            let url = url.replace("\\/", "/");
            warnings.push(
                here.located(format!("embedded {url} (block wp:{name}) is now a link: Gazette does not play embeds")),
            );
        }
        from = end;
    }
    for code in find_shortcodes(content) {
        if matches!(code.kind, Kind::Caption | Kind::Escaped | Kind::Close) {
            continue;
        }
        let here = at.of(content, code.start);
        let written: String = content[code.start..code.open_end].chars().take(80).collect();
        warnings.push(here.located(format!("WordPress shortcode kept as written (it will show as text): {written}")));
    }
    warnings
}

/// The body without block-editor comments, `<!--more-->` and
/// `<!--noteaser-->`; `<!--nextpage-->` is a thematic break.
fn strip_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        // `-->` after `<!--` (so `<!-->` is not a comment that ends at once).
        let Some(len) = rest[start + 4..].find("-->").map(|i| i + 4) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let comment = &rest[start..start + len + 3];
        let inner = comment[4..comment.len() - 3].trim();
        if inner == "nextpage" {
            out.push_str("\n\n<hr>\n\n");
        } else if !(inner.starts_with("wp:")
            || inner.starts_with("/wp:")
            || inner.starts_with("more")
            || inner == "noteaser")
        {
            out.push_str(comment);
        }
        rest = &rest[start + len + 3..];
    }
    out.push_str(rest);
    out
}

/// What a shortcode is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `[caption]…[/caption]` (or `[wp_caption]`): becomes a figure.
    Caption,
    /// A core shortcode whose content is not HTML (`[embed]URL[/embed]`):
    /// kept whole, as written.
    Whole,
    /// Another shortcode's opening (or only) tag: kept as written; what it
    /// encloses is converted like the rest of the body.
    Open,
    /// A closing tag of an [`Kind::Open`] shortcode.
    Close,
    /// `[[name]]`: WordPress shows `[name]`.
    Escaped,
}

/// One shortcode found in a body.
#[derive(Debug, Clone, Copy)]
struct Shortcode<'a> {
    kind: Kind,
    /// Where its `[` is.
    start: usize,
    /// Just after its opening tag's `]`.
    open_end: usize,
    /// Just after all of it (the closing tag's `]`, when it has one).
    end: usize,
    /// Its attributes, as written.
    attrs: &'a str,
}

/// Core shortcodes kept whole.
const WHOLE: [&str; 5] = ["gallery", "embed", "audio", "video", "playlist"];

/// The shortcodes of a body, in order. An unknown `[word]` is taken for
/// one only when it has attributes, a closing tag or a `_`/`-` in its name,
/// so `[sic]` or `[1]` in copy stays copy.
fn find_shortcodes(text: &str) -> Vec<Shortcode<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    let mut open: Vec<&str> = Vec::new();
    while let Some(start) = text[from..].find('[').map(|i| from + i) {
        from = start + 1;
        if let Some(name) = open.iter().copied().find(|n| text[start..].starts_with(&format!("[/{n}]"))) {
            let end = start + name.len() + 3;
            found.push(Shortcode { kind: Kind::Close, start, open_end: end, end, attrs: "" });
            open.retain(|n| *n != name);
            from = end;
            continue;
        }
        let escaped = text[start + 1..].starts_with('[');
        let Some((name, attrs, open_end)) = opening(text, start + usize::from(escaped)) else { continue };
        if escaped {
            if text[open_end..].starts_with(']') {
                found.push(Shortcode { kind: Kind::Escaped, start, open_end: open_end + 1, end: open_end + 1, attrs });
                from = open_end + 1;
            }
            continue;
        }
        let close = format!("[/{name}]");
        let closed_at = (!attrs.ends_with('/')).then(|| text[open_end..].find(&close)).flatten();
        let kind = if name == "caption" || name == "wp_caption" {
            Kind::Caption
        } else if WHOLE.contains(&name) {
            Kind::Whole
        } else if closed_at.is_some() || !attrs.trim().is_empty() || name.contains(['_', '-']) {
            Kind::Open
        } else {
            continue;
        };
        let end = match (kind, closed_at) {
            (Kind::Caption | Kind::Whole, Some(at)) => open_end + at + close.len(),
            _ => open_end,
        };
        if kind == Kind::Open && closed_at.is_some() {
            open.push(name);
        }
        found.push(Shortcode { kind, start, open_end, end, attrs });
        from = end;
    }
    found
}

/// The opening tag at `start` (a `[`): its name, attributes and end.
fn opening(text: &str, start: usize) -> Option<(&str, &str, usize)> {
    let rest = &text[start + 1..];
    let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
    let name = &rest[..name_len];
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return None;
    }
    let after = &rest[name_len..];
    if !after.starts_with([']', '/', ' ', '\t', '\n']) {
        return None;
    }
    // The attributes run to the first `]` outside quotes; a `[` there
    // means this was not a shortcode.
    let mut quote = None;
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[') => return None,
            (None, ']') => return Some((name, after[..i].trim(), start + 1 + name_len + i + 1)),
            (None, _) => {}
        }
    }
    None
}

/// The value of attribute `key` in a shortcode's attributes.
fn attribute<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(at) = rest.find(key) {
        let before_ok = at == 0 || rest[..at].ends_with(char::is_whitespace);
        let after = rest[at + key.len()..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            return match value.chars().next() {
                Some(q @ ('"' | '\'')) => value[1..].split(q).next(),
                _ => value.split_whitespace().next(),
            };
        }
        rest = &rest[at + key.len()..];
    }
    None
}

/// Kept text (shortcodes) stood in for by plain tokens while the body is
/// converted, so the converter neither escapes nor moves it.
struct Kept {
    prefix: String,
    texts: Vec<String>,
}

impl Kept {
    /// A set whose tokens appear nowhere in `html`.
    fn new(html: &str) -> Kept {
        let mut prefix = String::from("wpshortcodekept");
        while html.contains(&prefix) {
            prefix.push('q');
        }
        Kept { prefix, texts: Vec::new() }
    }

    /// The token standing for `text`.
    fn token(&mut self, text: &str) -> String {
        self.texts.push(text.to_string());
        format!("{}{}z", self.prefix, self.texts.len() - 1)
    }

    /// `markdown` with each token replaced by its text.
    fn restore(&self, markdown: &str) -> String {
        if self.texts.is_empty() {
            return markdown.to_string();
        }
        let mut out = String::with_capacity(markdown.len());
        let mut rest = markdown;
        while let Some(at) = rest.find(&self.prefix) {
            out.push_str(&rest[..at]);
            let after = &rest[at + self.prefix.len()..];
            let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
            match after[..digits].parse::<usize>().ok().and_then(|i| self.texts.get(i)) {
                Some(text) if after[digits..].starts_with('z') => {
                    out.push_str(text);
                    rest = &after[digits + 1..];
                }
                _ => {
                    out.push_str(&self.prefix);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Shortcodes replaced: a caption by a `<figure>`, `[[name]]` by the text
/// `[name]`, every other one by a token for its text as written.
fn shortcodes(html: &str, kept: &mut Kept) -> String {
    let found = find_shortcodes(html);
    if found.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for code in found {
        out.push_str(&html[from..code.start]);
        let whole = &html[code.start..code.end];
        match code.kind {
            Kind::Caption => out.push_str(&figure(code.attrs, &html[code.open_end..code.end], whole)),
            Kind::Escaped => out.push_str(&whole[1..whole.len() - 1]),
            Kind::Whole | Kind::Open | Kind::Close => out.push_str(&kept.token(whole)),
        }
        from = code.end;
    }
    out.push_str(&html[from..]);
    out
}

/// A caption shortcode as a figure: its image (`<img>`, or a link around
/// one) and the rest, or its `caption` attribute, as the caption.
fn figure(attrs: &str, enclosed: &str, whole: &str) -> String {
    let inner = enclosed.rsplit_once("[/").map_or(enclosed, |(inner, _)| inner).trim();
    let image_end = if inner.starts_with("<a") {
        inner.find("</a>").map(|i| i + 4)
    } else if inner.starts_with("<img") {
        inner.find('>').map(|i| i + 1)
    } else {
        None
    };
    let Some(image_end) = image_end else { return whole.to_string() };
    let (image, text) = inner.split_at(image_end);
    let caption = attribute(attrs, "caption").unwrap_or(text).trim();
    format!("\n\n<figure>{image}<figcaption>{caption}</figcaption></figure>\n\n")
}

/// Block-level tags: a paragraph never wraps them.
const BLOCK_TAGS: [&str; 43] = [
    "address",
    "article",
    "aside",
    "audio",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "embed",
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
    "hr",
    "iframe",
    "li",
    "math",
    "nav",
    "object",
    "ol",
    "p",
    "pre",
    "script",
    "section",
    "style",
    "table",
    "tbody",
    "td",
    "tr",
    "ul",
    "video",
];

/// Does `text` start with a block-level tag (opening or closing)?
fn starts_with_block(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('<') else { return false };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name_len = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    BLOCK_TAGS.contains(&rest[..name_len].to_ascii_lowercase().as_str())
}

/// Does `text` end with a block-level tag?
fn ends_with_block(text: &str) -> bool {
    text.ends_with('>') && text.rfind('<').is_some_and(|at| starts_with_block(&text[at..]))
}

/// WordPress's automatic paragraphs for a classic-editor body: each run
/// of text parted by blank lines that does not start with a block-level
/// tag becomes a `<p>`, and a newline inside it a `<br>` (not next to a
/// block tag). A run that is only a URL (WordPress showed it as an
/// embedded player) becomes a link to it. Blank lines inside `<pre>`,
/// `<script>` and `<style>` do not part anything.
fn autop(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    for chunk in chunks(html) {
        let chunk = chunk.trim();
        if chunk.is_empty() {
            continue;
        }
        if starts_with_block(chunk) {
            out.push_str(chunk);
        } else if is_url(chunk) {
            let _ = write!(out, "<p><a href=\"{0}\">{0}</a></p>", chunk.replace('"', "&quot;"));
        } else {
            out.push_str("<p>");
            let mut lines = chunk.split('\n').peekable();
            while let Some(line) = lines.next() {
                out.push_str(line);
                if let Some(next) = lines.peek() {
                    let tag_next_to_it = ends_with_block(line.trim_end()) || starts_with_block(next.trim_start());
                    out.push_str(if tag_next_to_it { "\n" } else { "<br>\n" });
                }
            }
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

/// Elements in which blank lines do not part paragraphs: (opening, closing).
const RAW_BLOCKS: [(&str, &str); 3] = [("<pre", "</pre>"), ("<script", "</script>"), ("<style", "</style>")];

/// The runs of `html` parted by blank lines, outside `<pre>`, `<script>`
/// and `<style>`.
fn chunks(html: &str) -> Vec<&str> {
    // Lowercase ASCII keeps every byte where it was.
    let lower = html.to_ascii_lowercase();
    let mut chunks = Vec::new();
    let (mut start, mut at) = (0, 0);
    while let Some(i) = lower[at..].find(['\n', '<']).map(|i| at + i) {
        let rest = &lower[i..];
        if rest.starts_with('<') {
            let raw = RAW_BLOCKS
                .iter()
                .find(|(open, _)| rest.starts_with(open) && rest[open.len()..].starts_with(['>', ' ', '\t', '\n']));
            at = raw.map_or(i + 1, |(_, close)| rest.find(close).map_or(lower.len(), |end| i + end + close.len()));
        } else if blank_line_follows(&rest[1..]) {
            chunks.push(&html[start..i]);
            at = i + 1 + rest[1..].find(|c: char| !c.is_whitespace()).unwrap_or(rest.len() - 1);
            start = at;
        } else {
            at = i + 1;
        }
    }
    chunks.push(&html[start..]);
    chunks
}

/// Does `text` start with a line of only spaces and tabs, then a newline?
fn blank_line_follows(text: &str) -> bool {
    let spaces = text.len() - text.trim_start_matches([' ', '\t']).len();
    text[spaces..].starts_with('\n')
}

/// Is `text` one http(s) URL, with nothing else?
fn is_url(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
}

/// The converter: htmd, with handlers for what Markdown cannot say.
static CONVERTER: LazyLock<HtmlToMarkdown> = LazyLock::new(|| {
    let options = Options {
        br_style: BrStyle::Backslash,
        bullet_list_marker: BulletListMarker::Dash,
        ul_bullet_spacing: 1,
        ol_number_spacing: 1,
        link_style: LinkStyle::InlinedPreferAutolinks,
        ..Options::default()
    };
    HtmlToMarkdown::builder()
        .options(options)
        .skip_tags(vec!["style", "noscript"])
        .add_handler(vec!["figure"], figure_handler)
        .add_handler(vec!["table"], table_handler)
        .add_handler(vec!["pre"], pre_handler)
        .add_handler(EMBEDS.to_vec(), |_: &dyn Handlers, element: Element| Some(block_html(element.node)))
        .add_handler(INLINE_HTML.to_vec(), inline_html_handler)
        .add_handler(vec!["del", "s", "strike"], |handlers: &dyn Handlers, element: Element| {
            let inner = handlers.walk_children(element.node).content;
            let inner = inner.trim();
            Some(if inner.is_empty() { String::new() } else { format!("~~{inner}~~") }.into())
        })
        .build()
});

/// Elements kept as HTML, whole: embeds and drawings.
const EMBEDS: [&str; 7] = ["iframe", "video", "audio", "object", "embed", "script", "svg"];

/// Inline elements Markdown has no form for: kept as tags around their
/// converted content.
const INLINE_HTML: [&str; 8] = ["sub", "sup", "u", "mark", "small", "kbd", "abbr", "ins"];

/// `<figure>`: an image with a caption stays a figure (as HTML, the only
/// way to keep a caption under its image); a block-editor embed is a link
/// to what it embedded; any other figure is its content.
fn figure_handler(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let node = element.node;
    if attr(element.attrs.iter().map(|a| (a.name.local.as_ref(), a.value.as_ref())), "class")
        .is_some_and(|class| class.split_whitespace().any(|c| c == "wp-block-embed"))
    {
        let url = text_of(node);
        let url = url.trim();
        if is_url(url) {
            return Some(format!("\n\n<{url}>\n\n").into());
        }
    }
    let children = element_children(node);
    let image = children.iter().find_map(|child| match tag(child) {
        Some("img") => Some(Rc::clone(child)),
        Some("a") => element_children(child).into_iter().find(|c| tag(c) == Some("img")),
        _ => None,
    });
    let caption = children.iter().find(|child| tag(child) == Some("figcaption"));
    let (Some(image), Some(caption)) = (image, caption) else { return handlers.fallback(element) };
    let mut html = String::from("\n\n<figure><img src=\"");
    escape_into(&node_attr(&image, "src").unwrap_or_default(), true, &mut html);
    html.push_str("\" alt=\"");
    escape_into(&node_attr(&image, "alt").unwrap_or_default(), true, &mut html);
    html.push_str("\"><figcaption>");
    let mut inner = String::new();
    for child in caption.children.borrow().iter() {
        write_html(child, &mut inner);
    }
    html.push_str(&inner.split_whitespace().collect::<Vec<_>>().join(" "));
    html.push_str("</figcaption></figure>\n\n");
    Some(html.into())
}

/// `<table>`: a Markdown table when it has a header row and no merged
/// cells; otherwise kept as HTML.
fn table_handler(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let mut header = false;
    let mut markdown_can_say_it = true;
    visit(element.node, &mut |node| match tag(node) {
        Some("th") => header = true,
        Some("td") if ["colspan", "rowspan"].iter().any(|a| node_attr(node, a).is_some_and(|v| v.trim() != "1")) => {
            markdown_can_say_it = false;
        }
        Some("table") if !Rc::ptr_eq(node, element.node) => markdown_can_say_it = false,
        Some("ul" | "ol" | "pre" | "blockquote") => markdown_can_say_it = false,
        _ => {}
    });
    if header && markdown_can_say_it { handlers.fallback(element) } else { Some(block_html(element.node)) }
}

/// `<pre>`: a code block; its text as it is, when it is not one `<code>`
/// (a classic-editor `<pre>` holds text, not code).
fn pre_handler(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let node = element.node;
    let only_code = {
        let children = node.children.borrow();
        children.len() == 1 && tag(&children[0]) == Some("code")
    };
    if only_code {
        return handlers.fallback(element);
    }
    let text = text_of(node);
    let text = text.trim_matches('\n');
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    Some(format!("\n\n{fence}\n{text}\n{fence}\n\n").into())
}

/// An inline element kept as its tag (with its `title`, for `abbr`)
/// around its converted content.
fn inline_html_handler(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let inner = handlers.walk_children(element.node).content;
    let mut out = format!("<{}", element.tag);
    if let Some(title) = node_attr(element.node, "title") {
        out.push_str(" title=\"");
        escape_into(&title, true, &mut out);
        out.push('"');
    }
    let _ = write!(out, ">{inner}</{}>", element.tag);
    Some(out.into())
}

/// An element as an HTML block: its markup as written (the attributes
/// too), on lines of its own, without blank lines (which would end a
/// Markdown HTML block).
fn block_html(node: &Rc<Node>) -> HandlerResult {
    let mut html = String::new();
    write_html(node, &mut html);
    let lines: Vec<&str> = html.lines().filter(|l| !l.trim().is_empty()).collect();
    format!("\n\n{}\n\n", lines.join("\n")).into()
}

/// Elements whose text is not escaped in HTML.
const RAW_TEXT: [&str; 4] = ["script", "style", "iframe", "noscript"];

/// Elements with no closing tag.
const VOID: [&str; 13] =
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Write a node as HTML (comments left out).
fn write_html(node: &Rc<Node>, out: &mut String) {
    match &node.data {
        NodeData::Element { name, attrs, .. } => {
            let tag = name.local.as_ref();
            out.push('<');
            out.push_str(tag);
            for a in attrs.borrow().iter() {
                let _ = write!(out, " {}=\"", a.name.local.as_ref());
                escape_into(&a.value, true, out);
                out.push('"');
            }
            out.push('>');
            if VOID.contains(&tag) {
                return;
            }
            for child in node.children.borrow().iter() {
                match &child.data {
                    NodeData::Text { contents } if RAW_TEXT.contains(&tag) => out.push_str(&contents.borrow()),
                    _ => write_html(child, out),
                }
            }
            let _ = write!(out, "</{tag}>");
        }
        NodeData::Text { contents } => escape_into(&contents.borrow(), false, out),
        _ => {}
    }
}

/// Escape text for HTML: `&`, `<`, `>`, and `"` in attributes.
fn escape_into(text: &str, attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

/// The tag name of an element node.
fn tag(node: &Rc<Node>) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.as_ref()),
        _ => None,
    }
}

/// The element children of a node.
fn element_children(node: &Rc<Node>) -> Vec<Rc<Node>> {
    node.children.borrow().iter().filter(|c| tag(c).is_some()).cloned().collect()
}

/// Call `f` on a node and every node under it.
fn visit(node: &Rc<Node>, f: &mut impl FnMut(&Rc<Node>)) {
    f(node);
    for child in node.children.borrow().iter() {
        visit(child, f);
    }
}

/// The value of a node's attribute.
fn node_attr(node: &Rc<Node>, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => {
            attr(attrs.borrow().iter().map(|a| (a.name.local.as_ref(), a.value.as_ref())), name).map(str::to_string)
        }
        _ => None,
    }
}

/// The value of the attribute `name` among `(name, value)` pairs.
fn attr<'a>(mut attrs: impl Iterator<Item = (&'a str, &'a str)>, name: &str) -> Option<&'a str> {
    attrs.find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// The text of a node and everything under it.
fn text_of(node: &Rc<Node>) -> String {
    let mut text = String::new();
    visit(node, &mut |n| {
        if let NodeData::Text { contents } = &n.data {
            text.push_str(&contents.borrow());
        }
    });
    text
}

/// The text of an HTML fragment (a title, an excerpt, a category name as
/// WordPress stores them: `News &amp; Views`, `<em>Live</em>`), with
/// entities read and runs of white space made one space.
pub fn plain_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let tree = CONVERTER.html_to_tree(&format!("<body>{html}")).ok();
    let text = tree.map(|t| text_of(&t)).unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The converted Markdown, tidied: no lines of only spaces (an empty
/// `<p>&nbsp;</p>` gives one), at most one blank line in a row, no space
/// at the start of a line after a line break, a final newline.
fn tidy(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 1);
    let mut blank = 0;
    let mut after_break = false;
    for line in markdown.lines() {
        let line = line.trim_end_matches([' ', '\u{a0}']);
        if line.trim_start_matches([' ', '\u{a0}']).is_empty() {
            blank += 1;
            after_break = false;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(if after_break { line.trim_start() } else { line });
        after_break = line.ends_with('\\');
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        convert(html, At { line: 1, col: 1 }).markdown
    }

    #[test]
    fn classic_bodies_get_paragraphs_and_line_breaks() {
        assert_eq!(
            md("First line\nsecond line.\n\nNext paragraph with <em>stress</em>.\n\n\n<ul>\n<li>one</li>\n</ul>"),
            "First line\\\nsecond line.\n\nNext paragraph with *stress*.\n\n- one\n"
        );
        // Blank lines in <pre> do not part it.
        assert_eq!(md("<pre>a\n\nb</pre>\n\nAfter."), "```\na\n\nb\n```\n\nAfter.\n");
    }

    #[test]
    fn block_comments_go_and_block_bodies_keep_their_paragraphs() {
        let body = "<!-- wp:paragraph -->\n<p>One.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:more -->\n<!--more-->\n\
                    <!-- /wp:more -->\n\n<!-- wp:paragraph -->\n<p>Two\nstill two.</p>\n<!-- /wp:paragraph -->";
        assert_eq!(md(body), "One.\n\nTwo still two.\n");
        let converted = convert("<p>A</p>\n<!-- wp:latest-posts /-->", At { line: 10, col: 20 });
        assert_eq!(converted.markdown, "A\n");
        assert_eq!((converted.warnings[0].line, converted.warnings[0].col), (11, 1));
        assert!(converted.warnings[0].message.starts_with("block wp:latest-posts left out"));
    }

    #[test]
    fn captions_become_figures() {
        let body = "[caption id=\"attachment_5\" align=\"alignnone\" width=\"300\"]<a href=\"big.jpg\">\
                    <img src=\"q-300x200.jpg\" alt=\"The quay\" width=\"300\" /></a> The quay at <em>dawn</em> &amp; dusk[/caption]\n\nText.";
        assert_eq!(
            md(body),
            "<figure><img src=\"q-300x200.jpg\" alt=\"The quay\"><figcaption>The quay at <em>dawn</em> &amp; dusk\
             </figcaption></figure>\n\nText.\n"
        );
        let old = "[caption id=\"a\" caption=\"Old style\"]<img src=\"x.jpg\" alt=\"\">[/caption]";
        assert_eq!(md(old), "<figure><img src=\"x.jpg\" alt=\"\"><figcaption>Old style</figcaption></figure>\n");
    }

    #[test]
    fn other_shortcodes_are_kept_as_written_and_reported() {
        let body = "Intro.\n\n[gallery ids=\"1,2\" link=\"file\"]\n\nSee [contact-form-7 id=\"9\" title=\"Tips_line\"] \
                    and [note]a *star*[/note], [[gallery]], [sic] and [1].";
        let converted = convert(body, At { line: 3, col: 5 });
        assert_eq!(
            converted.markdown,
            "Intro.\n\n[gallery ids=\"1,2\" link=\"file\"]\n\nSee [contact-form-7 id=\"9\" title=\"Tips_line\"] and \
             [note]a \\*star\\*[/note], \\[gallery\\], \\[sic\\] and \\[1\\].\n"
        );
        let at: Vec<(usize, usize)> = converted.warnings.iter().map(|w| (w.line, w.col)).collect();
        assert_eq!(at, [(5, 1), (7, 5), (7, 51)]);
        assert!(converted.warnings[0].message.ends_with(": [gallery ids=\"1,2\" link=\"file\"]"));
    }

    #[test]
    fn what_markdown_cannot_say_stays_html() {
        let table = "<table><tr><td colspan=\"2\">Both</td></tr><tr><td>a</td><td>b</td></tr></table>";
        assert_eq!(
            md(table),
            "<table><tbody><tr><td colspan=\"2\">Both</td></tr><tr><td>a</td><td>b</td></tr></tbody></table>\n"
        );
        let simple = "<table><thead><tr><th>Day</th></tr></thead><tbody><tr><td>Mon</td></tr></tbody></table>";
        assert_eq!(md(simple), "| Day |\n| --- |\n| Mon |\n");
        assert_eq!(
            md("<p>H<sub>2</sub>O, <del>old</del> <abbr title=\"a &quot;b\">AB</abbr></p>"),
            "H<sub>2</sub>O, ~~old~~ <abbr title=\"a &quot;b\">AB</abbr>\n"
        );
        let frame = "<iframe src=\"https://maps.example/x?a=1&amp;b=2\" width=\"600\"></iframe>";
        assert_eq!(md(frame), format!("{frame}\n"));
        let embed = "<!-- wp:embed {\"url\":\"https:\\/\\/video.example\\/v\\/1\"} -->\n<figure class=\"wp-block-embed\">\
                     <div class=\"wp-block-embed__wrapper\">\nhttps://video.example/v/1\n</div></figure>\n<!-- /wp:embed -->";
        let converted = convert(embed, At { line: 1, col: 1 });
        assert_eq!(converted.markdown, "<https://video.example/v/1>\n");
        assert!(converted.warnings[0].message.starts_with("embedded https://video.example/v/1 (block wp:embed)"));
        assert_eq!(md("https://video.example/v/2\n\nText."), "<https://video.example/v/2>\n\nText.\n");
    }

    #[test]
    fn titles_and_names_are_plain_text() {
        assert_eq!(plain_text("News &amp; Views"), "News & Views");
        assert_eq!(plain_text(" <em>Live:</em>  Quay &#8217;s\nday "), "Live: Quay ’s day");
        assert_eq!(plain_text("a < b"), "a < b");
    }

    /// Mutated bodies never panic the converter: every one converts.
    #[test]
    fn no_body_panics_the_converter() {
        let seed = "<!-- wp:paragraph -->\n<p>Été [caption id=\"a\" caption='x']<a href=\"u\"><img src=\"i-3x2.jpg\"></a> \
                    Cap[/caption] [[g]] [note k=\"v\"]in[/note]</p>\n<!-- /wp:x /-->\n\n<pre>a\n\nb</pre><!--more-->\
                    <table><tr><td rowspan=2>x</td></tr></table>\nhttps://v.example/1\n\n<figure><img src=x>\
                    <figcaption>c</figcaption></figure><!--nextpage-->";
        let specials = ['[', ']', '<', '>', '/', '-', '!', '"', '\'', '=', '\n', ' ', 'é', '北'];
        let mut next = crate::testing::xorshift();
        for _ in 0..2000 {
            let mut chars: Vec<char> = seed.chars().collect();
            for _ in 0..(next() % 6 + 1) {
                let at = (next() as usize) % (chars.len() + 1);
                match next() % 3 {
                    0 if at < chars.len() => drop(chars.remove(at)),
                    1 => chars.insert(at, specials[(next() as usize) % specials.len()]),
                    _ => chars.truncate(at),
                }
            }
            let text: String = chars.into_iter().collect();
            let body = convert(&text, At { line: 1, col: 1 });
            assert!(body.warnings.iter().all(|w| w.line >= 1 && w.col >= 1), "{text:?}");
        }
    }
}
