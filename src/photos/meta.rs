//! What a photo says about itself: which way up it is, and the caption
//! and credit a picture desk filed in it (IPTC IIM, or XMP).

use image::ImageDecoder;
use image::metadata::Orientation;

/// A caption and credit filed in a photo.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Filed {
    /// IPTC Caption/Abstract (2:120) or XMP `dc:description`.
    pub caption: Option<String>,
    /// IPTC Credit (2:110) or By-line (2:80), or XMP `photoshop:Credit`.
    pub credit: Option<String>,
}

/// Does turning the photo upright swap its width and height?
pub fn swaps_sides(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    )
}

/// The caption and credit of a photo: IPTC first, then XMP.
pub fn filed(decoder: &mut impl ImageDecoder) -> Filed {
    let iptc = decoder.iptc_metadata().ok().flatten().map(|b| iptc(&b)).unwrap_or_default();
    let xmp = decoder.xmp_metadata().ok().flatten().map(|b| xmp(&String::from_utf8_lossy(&b))).unwrap_or_default();
    Filed { caption: iptc.caption.or(xmp.caption), credit: iptc.credit.or(xmp.credit) }
}

/// The caption and credit of IPTC IIM records (`0x1C 2 dataset length value`).
fn iptc(bytes: &[u8]) -> Filed {
    let (mut caption, mut credit, mut byline) = (None, None, None);
    let mut i = 0;
    while i + 5 <= bytes.len() {
        if bytes[i] != 0x1C || bytes[i + 1] != 2 {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 3], bytes[i + 4]]) & 0x7FFF);
        let value = bytes.get(i + 5..i + 5 + len).map(|v| clean(&String::from_utf8_lossy(v)));
        match bytes[i + 2] {
            120 => caption = caption.or(value.flatten()),
            110 => credit = credit.or(value.flatten()),
            80 => byline = byline.or(value.flatten()),
            _ => {}
        }
        i += 5 + len;
    }
    Filed { caption, credit: credit.or(byline) }
}

/// The caption and credit of an XMP packet.
fn xmp(text: &str) -> Filed {
    let caption = element(text, "dc:description").and_then(|inner| element(inner, "rdf:li").or(Some(inner)));
    let credit = element(text, "photoshop:Credit").or_else(|| attribute(text, "photoshop:Credit"));
    Filed { caption: caption.and_then(clean_xml), credit: credit.and_then(clean_xml) }
}

/// The text inside the first `<name …>…</name>`.
fn element<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let open = text.find(&format!("<{name}"))?;
    let start = open + text[open..].find('>')? + 1;
    let end = start + text[start..].find(&format!("</{name}>"))?;
    Some(&text[start..end])
}

/// The value of the first `name="…"`.
fn attribute<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let start = text.find(&format!("{name}=\""))? + name.len() + 2;
    let end = start + text[start..].find('"')?;
    Some(&text[start..end])
}

/// XML text with its five entities read, trimmed; `None` when empty.
fn clean_xml(text: &str) -> Option<String> {
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'");
    clean(&text.replace("&amp;", "&"))
}

/// Trimmed text without control characters; `None` when empty.
fn clean(text: &str) -> Option<String> {
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iptc_records_give_caption_and_credit() {
        let mut b = b"8BIM\x04\x04junk".to_vec();
        for (ds, v) in [(80u8, "Ann Lee"), (120, "Flood waters rise"), (110, "Wire Photo")] {
            b.extend([0x1C, 2, ds, 0, v.len() as u8]);
            b.extend(v.as_bytes());
        }
        let f = iptc(&b);
        assert_eq!(f.caption.as_deref(), Some("Flood waters rise"));
        assert_eq!(f.credit.as_deref(), Some("Wire Photo"));
    }

    #[test]
    fn xmp_gives_caption_and_credit() {
        let x = r#"<rdf:Description photoshop:Credit="A &amp; B"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">The mayor</rdf:li></rdf:Alt></dc:description></rdf:Description>"#;
        assert_eq!(xmp(x), Filed { caption: Some("The mayor".into()), credit: Some("A & B".into()) });
        assert_eq!(iptc(&[0x1C, 2, 120, 0xFF, 0xFF]), Filed::default());
    }
}
