//! A WordPress export (WXR 1.0–1.2), read as a stream.
//!
//! Part of the WordPress import. Input: the export file (`Tools → Export`:
//! an RSS `<channel>` with `wp:`, `content:`, `excerpt:` and `dc:`
//! elements). Output: the channel (the site's address, its authors and
//! categories) and each `<item>`, one at a time, with its fields as text and
//! where they are; a file that is not well-formed XML is an error at its
//! line and column. Only one item is held at a time, so memory does not
//! grow with the export. Elements are matched by their prefixed names
//! (`wp:post_type`), as every version of the exporter writes them.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use rustc_hash::FxHashMap as HashMap;

use super::body::At;
use crate::error::{Diagnostic, Error, Result};

/// The site an export comes from.
#[derive(Debug, Default)]
pub struct Channel {
    /// `wp:wxr_version`: `1.0`, `1.1`, `1.2`.
    pub version: Option<String>,
    /// The site's address: `wp:base_blog_url`, else the channel's `link`.
    pub home: String,
    /// `wp:base_site_url` (where WordPress itself is, and its uploads).
    pub site: String,
    /// Display names by login (`wp:author`).
    pub authors: HashMap<String, String>,
    /// Categories by their `nicename` (slug).
    pub categories: HashMap<String, Category>,
    /// Category slugs by term id (Yoast's primary category names an id).
    pub category_ids: HashMap<String, String>,
}

/// A category of the export (`wp:category`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Category {
    /// Its name, as WordPress stores it (entities escaped).
    pub name: String,
    /// The slug of its parent; empty at the top.
    pub parent: String,
}

/// A term an item is filed under: `<category domain="…" nicename="…">`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// `category`, `post_tag` (`tag` in WXR 1.0; none for a 1.0 category)…
    pub domain: String,
    /// Its slug.
    pub nicename: String,
    /// Its name, as WordPress stores it.
    pub name: String,
}

/// One `<item>` of the export: a post, page, attachment, menu item…
#[derive(Debug, Default, Clone)]
pub struct Item {
    /// Where the item starts.
    pub at: At,
    /// Where `title` is.
    pub title_at: At,
    /// Where `wp:post_date` is.
    pub date_at: At,
    /// Where the text of `content:encoded` starts.
    pub content_at: At,
    /// `title`.
    pub title: String,
    /// `link`: its address on the old site.
    pub link: String,
    /// `dc:creator`: the author's login.
    pub creator: String,
    /// `content:encoded` (left empty when not asked for).
    pub content: String,
    /// `excerpt:encoded`.
    pub excerpt: String,
    /// `wp:post_id`.
    pub post_id: String,
    /// `wp:post_date`: local time, `2025-10-20 20:03:00`.
    pub post_date: String,
    /// `wp:post_date_gmt`: the same in UTC (`0000-00-00 00:00:00` if never set).
    pub post_date_gmt: String,
    /// `wp:post_name`: the slug (percent-encoded when not ASCII).
    pub post_name: String,
    /// `wp:status`: `publish`, `draft`, `pending`, `future`, `private`, `trash`…
    pub status: String,
    /// `wp:post_type`: `post`, `page`, `attachment`, `nav_menu_item`…
    pub post_type: String,
    /// `wp:post_password`.
    pub post_password: String,
    /// `wp:attachment_url` (attachments only).
    pub attachment_url: String,
    /// The categories, tags and other terms, in order.
    pub terms: Vec<Term>,
    /// `_thumbnail_id`: the featured image's attachment id.
    pub thumbnail_id: Option<String>,
    /// `_yoast_wpseo_primary_category`: the primary category's term id.
    pub primary_category: Option<String>,
}

/// Read an export: `on_item` gets each item in order (with its content
/// when `content` is true); the channel is returned at the end. Stops at
/// the first error of `on_item`, or of the file, which is reported at its
/// line and column.
pub fn read(path: &Path, content: bool, mut on_item: impl FnMut(Item) -> Result<()>) -> Result<Channel> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut parser = Parser::new(BufReader::with_capacity(1 << 16, file), content);
    let at_error = |parser: &Parser<_>, message: String| {
        let offset = parser.reader.error_position().max(parser.error_offset);
        let at = position_in_file(path, offset).unwrap_or(At { line: 0, col: 0 });
        Error::Input(vec![Diagnostic::at(path, at.line, at.col, message)])
    };
    loop {
        match parser.next() {
            Ok(Some(item)) => on_item(item)?,
            Ok(None) => break,
            Err(Problem::Xml(e)) => return Err(at_error(&parser, format!("malformed XML: {e}"))),
            Err(Problem::Wxr(message, Some(at))) => {
                return Err(Error::Input(vec![Diagnostic::at(path, at.line, at.col, message)]));
            }
            Err(Problem::Wxr(message, None)) => return Err(at_error(&parser, message)),
        }
    }
    if parser.channel.version.is_none() {
        return Err(Error::Input(vec![Diagnostic::file(
            path,
            "not a WordPress export: no <wp:wxr_version> in its <channel> (export it with Tools → Export)",
        )]));
    }
    Ok(parser.channel)
}

/// Why reading stopped.
enum Problem {
    /// Not well-formed XML.
    Xml(quick_xml::Error),
    /// Well-formed, but not an export; where, when it is not where the
    /// reader is.
    Wxr(String, Option<At>),
}

impl From<quick_xml::Error> for Problem {
    fn from(e: quick_xml::Error) -> Self {
        Problem::Xml(e)
    }
}

impl From<quick_xml::events::attributes::AttrError> for Problem {
    fn from(e: quick_xml::events::attributes::AttrError) -> Self {
        Problem::Xml(e.into())
    }
}

impl From<quick_xml::encoding::EncodingError> for Problem {
    fn from(e: quick_xml::encoding::EncodingError) -> Self {
        Problem::Xml(e.into())
    }
}

/// The reader's state: where it is in the element tree, the text of the
/// element being read, the item being filled.
struct Parser<R> {
    reader: quick_xml::Reader<Lines<R>>,
    buf: Vec<u8>,
    /// The names of the open elements, outermost first.
    open: Vec<Vec<u8>>,
    /// Where each open element starts.
    open_at: Vec<At>,
    /// The text of the innermost element so far.
    text: String,
    /// Where that text starts.
    text_at: At,
    /// Read `content:encoded`?
    content: bool,
    channel: Channel,
    item: Option<Item>,
    /// The attributes of an item's `<category>` being read.
    term: Option<(String, String)>,
    /// The `wp:meta_key` of the `wp:postmeta` being read.
    meta_key: String,
    /// The `wp:author_login` / `wp:category_nicename` … being read.
    record: HashMap<Vec<u8>, String>,
    /// Where an error found here (not by quick-xml) is.
    error_offset: u64,
}

impl<R: BufRead> Parser<R> {
    fn new(source: R, content: bool) -> Self {
        let mut reader = quick_xml::Reader::from_reader(Lines::new(source));
        let config = reader.config_mut();
        config.enable_all_checks(true);
        config.trim_text(false);
        Parser {
            reader,
            buf: Vec::new(),
            open: Vec::new(),
            open_at: Vec::new(),
            text: String::new(),
            text_at: At { line: 1, col: 1 },
            content,
            channel: Channel::default(),
            item: None,
            term: None,
            meta_key: String::new(),
            record: HashMap::default(),
            error_offset: 0,
        }
    }

    /// The next complete item; `None` at the end of the file.
    fn next(&mut self) -> std::result::Result<Option<Item>, Problem> {
        loop {
            let at = self.reader.get_ref().at;
            let wants_text = self.wants_text();
            let mut buf = std::mem::take(&mut self.buf);
            buf.clear();
            self.error_offset = self.reader.buffer_position();
            match self.reader.read_event_into(&mut buf)? {
                Event::Start(start) => self.open(&start, at)?,
                Event::Empty(start) => {
                    self.open(&start, at)?;
                    if let Some(item) = self.close()? {
                        return Ok(Some(item));
                    }
                }
                Event::End(_) => {
                    if let Some(item) = self.close()? {
                        return Ok(Some(item));
                    }
                }
                Event::Text(text) if wants_text => self.push_text(&text.xml10_content()?, at),
                // The text starts after `<![CDATA[`.
                Event::CData(data) if wants_text => {
                    self.push_text(&data.xml10_content()?, At { line: at.line, col: at.col + 9 });
                }
                Event::GeneralRef(reference) if wants_text => {
                    let c = entity(&reference)?;
                    self.push_text(c.encode_utf8(&mut [0; 4]), at);
                }
                // Not kept, but read: a bad one is an error in every pass.
                Event::Text(text) => drop(text.xml10_content()?),
                Event::CData(data) => drop(data.xml10_content()?),
                Event::GeneralRef(reference) => drop(entity(&reference)?),
                Event::Eof => {
                    if let Some(name) = self.open.last() {
                        let at = self.open_at.last().copied().unwrap_or(at);
                        return Err(Problem::Wxr(
                            format!(
                                "the export ends inside <{}> (opened at line {}): the file is cut short; export it again",
                                String::from_utf8_lossy(name),
                                at.line
                            ),
                            Some(at),
                        ));
                    }
                    return Ok(None);
                }
                _ => {}
            }
            self.buf = buf;
        }
    }

    /// Is the text of the innermost element kept? (Not a comment's, nor
    /// the content when it is not asked for.)
    fn wants_text(&self) -> bool {
        let inside_item = self.item.is_some();
        let field = self.open.last().map(Vec::as_slice);
        !(inside_item && (self.in_element(b"wp:comment") || (!self.content && field == Some(b"content:encoded"))))
    }

    /// Is an element of this name open?
    fn in_element(&self, name: &[u8]) -> bool {
        self.open.iter().any(|n| n == name)
    }

    fn push_text(&mut self, text: &str, at: At) {
        if self.text.is_empty() {
            self.text_at = at;
        }
        self.text.push_str(text);
    }

    fn open(&mut self, start: &BytesStart<'_>, at: At) -> std::result::Result<(), Problem> {
        let name = start.name().as_ref().to_vec();
        let depth = self.open.len();
        match (depth, name.as_slice()) {
            (0, b"rss") | (1, b"channel") => {}
            (0, _) => return Err(Problem::Wxr("not a WordPress export: it does not start with <rss>".into(), None)),
            (1, _) => return Err(Problem::Wxr("not a WordPress export: no <channel> in its <rss>".into(), None)),
            (2, b"item") => self.item = Some(Item { at, ..Item::default() }),
            (3, b"category") if self.item.is_some() => {
                let decoder = self.reader.decoder();
                let value = |key: &str| -> std::result::Result<String, Problem> {
                    match start.try_get_attribute(key)? {
                        Some(attribute) => {
                            Ok(attribute.decoded_and_normalized_value(XmlVersion::Implicit1_0, decoder)?.into_owned())
                        }
                        None => Ok(String::new()),
                    }
                };
                self.term = Some((value("domain")?, value("nicename")?));
            }
            _ => {}
        }
        if let Some(item) = &mut self.item {
            match name.as_slice() {
                b"title" if depth == 3 => item.title_at = at,
                b"wp:post_date" => item.date_at = at,
                _ => {}
            }
        }
        self.open.push(name);
        self.open_at.push(at);
        self.text.clear();
        Ok(())
    }

    /// Close the innermost element: file its text where it belongs; the
    /// item, when it is the item that closes.
    fn close(&mut self) -> std::result::Result<Option<Item>, Problem> {
        let name = self.open.pop().unwrap_or_default();
        self.open_at.pop();
        let text = std::mem::take(&mut self.text);
        let depth = self.open.len();
        let parent = self.open.last().map_or(&b""[..], Vec::as_slice);
        if let Some(item) = &mut self.item {
            match (depth, parent, name.as_slice()) {
                (2, _, b"item") => return Ok(self.item.take()),
                (3, b"item", field) => {
                    if field == b"category" {
                        let (domain, nicename) = self.term.take().unwrap_or_default();
                        item.terms.push(Term { domain, nicename, name: text });
                    } else if field == b"content:encoded" {
                        item.content_at = self.text_at;
                        item.content = text;
                    } else {
                        item_field(item, field, text);
                    }
                }
                (4, b"wp:postmeta", b"wp:meta_key") => self.meta_key = text,
                (4, b"wp:postmeta", b"wp:meta_value") => match self.meta_key.as_str() {
                    "_thumbnail_id" => item.thumbnail_id = Some(text.trim().to_string()),
                    "_yoast_wpseo_primary_category" => item.primary_category = Some(text.trim().to_string()),
                    _ => {}
                },
                _ => {}
            }
            return Ok(None);
        }
        match (depth, name.as_slice()) {
            (2, b"wp:wxr_version") => self.channel.version = Some(text.trim().to_string()),
            (2, b"wp:base_blog_url") => self.channel.home = text.trim().to_string(),
            (2, b"wp:base_site_url") => self.channel.site = text.trim().to_string(),
            (2, b"link") if self.channel.home.is_empty() => self.channel.home = text.trim().to_string(),
            (2, b"wp:author") => {
                let login = self.record.remove(&b"wp:author_login"[..]).unwrap_or_default();
                let display = self.record.remove(&b"wp:author_display_name"[..]).unwrap_or_default();
                if !login.trim().is_empty() {
                    let display = if display.trim().is_empty() { login.clone() } else { display };
                    self.channel.authors.insert(login.trim().to_string(), display.trim().to_string());
                }
                self.record.clear();
            }
            (2, b"wp:category") => {
                let nicename = self.record.remove(&b"wp:category_nicename"[..]).unwrap_or_default();
                let category = Category {
                    name: self.record.remove(&b"wp:cat_name"[..]).unwrap_or_default(),
                    parent: self.record.remove(&b"wp:category_parent"[..]).unwrap_or_default().trim().to_string(),
                };
                if let Some(id) = self.record.remove(&b"wp:term_id"[..]) {
                    self.channel.category_ids.insert(id.trim().to_string(), nicename.trim().to_string());
                }
                self.channel.categories.insert(nicename.trim().to_string(), category);
                self.record.clear();
            }
            (3, _) if matches!(parent, b"wp:author" | b"wp:category") => {
                self.record.insert(name, text);
            }
            _ => {}
        }
        Ok(None)
    }
}

/// Put the text of an item's field `name` where it belongs.
fn item_field(item: &mut Item, name: &[u8], text: String) {
    let trimmed = || text.trim().to_string();
    match name {
        b"title" => item.title = text,
        b"link" => item.link = trimmed(),
        b"dc:creator" => item.creator = trimmed(),
        b"excerpt:encoded" => item.excerpt = text,
        b"wp:post_id" => item.post_id = trimmed(),
        b"wp:post_date" => item.post_date = trimmed(),
        b"wp:post_date_gmt" => item.post_date_gmt = trimmed(),
        b"wp:post_name" => item.post_name = trimmed(),
        b"wp:status" => item.status = trimmed(),
        b"wp:post_type" => item.post_type = trimmed(),
        b"wp:post_password" => item.post_password = text,
        b"wp:attachment_url" => item.attachment_url = trimmed(),
        _ => {}
    }
}

/// The character an entity reference stands for: a character reference,
/// or one of XML's five named entities (an export names no others).
fn entity(reference: &BytesRef<'_>) -> std::result::Result<char, Problem> {
    if let Some(c) = reference.resolve_char_ref()? {
        return Ok(c);
    }
    let name = reference.decode()?;
    match name.as_ref() {
        "amp" => Ok('&'),
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "quot" => Ok('"'),
        "apos" => Ok('\''),
        other => Err(Problem::Wxr(
            format!(
                "malformed XML: unknown entity &{other}; (XML knows only &amp; &lt; &gt; &quot; &apos; and &#…; numbers)"
            ),
            None,
        )),
    }
}

/// The line and column of a byte offset of a file (read again, up to it).
fn position_in_file(path: &Path, offset: u64) -> io::Result<At> {
    let mut lines = Lines::new(BufReader::new(File::open(path)?.take(offset)));
    loop {
        let len = lines.fill_buf()?.len();
        if len == 0 {
            return Ok(lines.at);
        }
        lines.consume(len);
    }
}

/// A reader that knows the line and column (in characters) of the next
/// byte it will give: where the XML reader is.
struct Lines<R> {
    inner: R,
    at: At,
}

impl<R> Lines<R> {
    fn new(inner: R) -> Self {
        Lines { inner, at: At { line: 1, col: 1 } }
    }

    fn count(at: &mut At, bytes: &[u8]) {
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
        let after = bytes.iter().rposition(|&b| b == b'\n').map_or(bytes, |nl| &bytes[nl + 1..]);
        // Characters are the bytes that do not continue a UTF-8 sequence.
        let chars = after.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        if newlines > 0 {
            at.line += newlines;
            at.col = chars + 1;
        } else {
            at.col += chars;
        }
    }
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        Self::count(&mut self.at, &buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        let Lines { inner, at } = self;
        if let Ok(buf) = inner.fill_buf() {
            Self::count(at, &buf[..amount.min(buf.len())]);
        }
        inner.consume(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(xml: &str) -> std::result::Result<(Vec<Item>, Channel), String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.xml");
        std::fs::write(&path, xml).unwrap();
        let mut found = Vec::new();
        let channel = read(&path, true, |item| {
            found.push(item);
            Ok(())
        })
        .map_err(|e| e.to_string().replace(&path.display().to_string(), "export.xml"))?;
        Ok((found, channel))
    }

    const HEAD: &str = "<?xml version=\"1.0\"?>\n<rss><channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n";

    #[test]
    fn fields_are_read_from_cdata_and_escaped_text_with_their_places() {
        let xml = format!(
            "{HEAD}<link>https://example.org</link>\n<wp:author><wp:author_login><![CDATA[ann]]></wp:author_login>\
             <wp:author_display_name>Ann &amp; Co</wp:author_display_name></wp:author>\n\
             <item>\n  <title>Fish &amp; Chips &#8217;25</title>\n  <content:encoded><![CDATA[<p>Hi]]]]><![CDATA[></p>]]></content:encoded>\n\
             <category domain=\"post_tag\" nicename=\"a-b\"><![CDATA[A &amp; B]]></category>\n\
             <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value><![CDATA[45]]></wp:meta_value></wp:postmeta>\n\
             <wp:comment><wp:comment_content>No</wp:comment_content></wp:comment>\n</item>\n</channel></rss>\n"
        );
        let (items, channel) = items(&xml).unwrap();
        assert_eq!(channel.home, "https://example.org");
        assert_eq!(channel.authors["ann"], "Ann & Co");
        let item = &items[0];
        assert_eq!(item.title, "Fish & Chips \u{2019}25");
        assert_eq!(item.content, "<p>Hi]]></p>");
        assert_eq!((item.at, item.title_at, item.content_at), (at(6, 1), at(7, 3), at(8, 29)));
        assert_eq!(item.terms, [Term { domain: "post_tag".into(), nicename: "a-b".into(), name: "A &amp; B".into() }]);
        assert_eq!(item.thumbnail_id.as_deref(), Some("45"));
    }

    fn at(line: usize, col: usize) -> At {
        At { line, col }
    }

    #[test]
    fn malformed_exports_are_errors_at_their_place() {
        let cases = [
            (format!("{HEAD}<item>\n<title>A</titel>\n</item></channel></rss>"), "export.xml:5:9: malformed XML"),
            (
                format!("{HEAD}<item>\n<title>A &nbsp; B</title>"),
                "export.xml:5:10: malformed XML: unknown entity &nbsp;",
            ),
            (
                format!("{HEAD}<item>\n<title>A</title>\n"),
                "export.xml:4:1: the export ends inside <item> (opened at line 4)",
            ),
            (
                "<html><body/></html>".to_string(),
                "export.xml:1:1: not a WordPress export: it does not start with <rss>",
            ),
            (
                "<rss><channel></channel></rss>".to_string(),
                "export.xml:1:1: not a WordPress export: no <wp:wxr_version>",
            ),
        ];
        for (xml, expected) in cases {
            let error = items(&xml).err().unwrap_or_default();
            assert!(error.starts_with(expected), "{expected:?}: {error}");
        }
    }

    /// Mutated exports never panic the reader: they read, or are errors.
    #[test]
    fn no_export_panics_the_reader() {
        let seed = format!(
            "{HEAD}<wp:author><wp:author_login>a</wp:author_login></wp:author>\n<item><title>T &amp; U</title>\
             <category domain=\"tag\" nicename=\"x\">X</category><content:encoded><![CDATA[<p>é]]></content:encoded>\
             <wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>4</wp:meta_value></wp:postmeta>\
             </item>\n</channel></rss>\n"
        );
        let specials = ['<', '>', '/', '&', ';', '#', '"', '[', ']', '!', '\n', 'é'];
        let mut next = crate::testing::xorshift();
        let mut read_whole = 0;
        for _ in 0..1000 {
            let mut chars: Vec<char> = seed.chars().collect();
            for _ in 0..(next() % 3 + 1) {
                let at = (next() as usize) % (chars.len() + 1);
                match next() % 3 {
                    0 if at < chars.len() => drop(chars.remove(at)),
                    1 => chars.insert(at, specials[(next() as usize) % specials.len()]),
                    _ => chars.truncate(at),
                }
            }
            let text: String = chars.into_iter().collect();
            match items(&text) {
                Ok(_) => read_whole += 1,
                Err(message) => assert!(message.starts_with("export.xml:"), "{message}"),
            }
        }
        assert!(read_whole > 50, "only {read_whole} of the mutated exports read");
    }
}
