//! Slugs: the URL-safe names of articles and authors.
//!
//! A [`Slug`] is made once, at the edge (when an article or author is
//! loaded), and is safe to use as one path segment: lowercase ASCII letters,
//! digits and single hyphens, never empty, never `.` or `..`, never a name
//! Windows reserves for a device (`con`, `nul`…).

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest slug we produce, in bytes; long headlines are cut at a word.
const MAX_LEN: usize = 80;

/// A URL-safe path segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Give back spare capacity (slugs are held for the whole build).
    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    /// Transliterate free text (a headline, a name) into a slug.
    ///
    /// Accented Latin, Cyrillic, Greek and CJK text all give readable ASCII
    /// (`"Зеленський"` → `"zelenskii"`, `"北京"` → `"bei-jing"`). Returns
    /// `None` when nothing readable is left (only punctuation or symbols).
    pub fn from_text(text: &str) -> Option<Slug> {
        Self::build(text, false)
    }

    /// A slug for a name that stands for one thing (a section, tag, place
    /// or story thread), on whose slug names are merged: as
    /// [`Slug::from_text`], but a name too long for a slug is cut shorter
    /// and ends in a hash of its whole slug, so two long names that differ
    /// only past the cut stay two (`…-negotiations-for-2f7c1e0a`).
    pub fn from_name(name: &str) -> Option<Slug> {
        let whole = Self::letters(name, false);
        if whole.len() <= MAX_LEN {
            return Self::cut(&whole);
        }
        let hash = xxhash_rust::xxh3::xxh3_64(whole.as_bytes()) as u32;
        Some(Slug(format!("{}-{hash:08x}", truncate_at_word(&whole, MAX_LEN - 9))))
    }

    /// Sanitize a slug given explicitly in front matter.
    ///
    /// The writer's choice is kept as far as it is safe: ASCII letters,
    /// digits, `-` and `_` stay (lowercased), anything else (slashes, dots,
    /// spaces, non-ASCII) is transliterated or turned into hyphens, so no
    /// explicit slug can climb out of its folder.
    pub fn sanitize(explicit: &str) -> Option<Slug> {
        Self::build(explicit, true)
    }

    /// Transliterate, keep letters and digits (and `_` when `keep_underscore`),
    /// turn every other run into one hyphen; apostrophes vanish, so
    /// "Putin's" reads "putins" rather than "putin-s".
    fn build(text: &str, keep_underscore: bool) -> Option<Slug> {
        Self::cut(&Self::letters(text, keep_underscore))
    }

    /// A slug of [`Slug::letters`], cut at a word to [`MAX_LEN`].
    fn cut(whole: &str) -> Option<Slug> {
        let slug = truncate_at_word(whole, MAX_LEN);
        match slug {
            "" => None,
            // Windows cannot open a folder with a device's name.
            _ if is_reserved_on_windows(slug) => Some(Slug(format!("{slug}-1"))),
            _ => Some(Slug(slug.to_string())),
        }
    }

    /// The letters and digits of `text` (and `_` when `keep_underscore`),
    /// transliterated, lowercase, every other run one hyphen, uncut.
    fn letters(text: &str, keep_underscore: bool) -> String {
        let ascii = deunicode::deunicode_with_tofu(text.trim(), "-");
        let mut slug = String::with_capacity(ascii.len());
        for c in ascii.chars() {
            match c {
                c if c.is_ascii_alphanumeric() || (keep_underscore && c == '_') => slug.push(c.to_ascii_lowercase()),
                '\'' | '’' => {}
                _ if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
                _ => {}
            }
        }
        slug.truncate(slug.trim_end_matches('-').len());
        slug
    }

    /// This slug with a numeric suffix, used to tell apart two articles
    /// that would otherwise share a URL: `talks` → `talks-2`.
    pub fn with_suffix(&self, n: usize) -> Slug {
        Slug(format!("{}-{n}", self.0))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Names Windows gives to devices (`con`, `nul`, `com1`…): no file or
/// folder may have them there, so no page's folder may either.
fn is_reserved_on_windows(slug: &str) -> bool {
    matches!(slug, "con" | "prn" | "aux" | "nul")
        || (slug.len() == 4
            && (slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.as_bytes()[3].is_ascii_digit())
}

/// Cut `s` (ASCII) to at most `max` bytes, at a hyphen when there is one.
fn truncate_at_word(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let cut = &s[..max];
    match cut.rfind('-') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.trim_end_matches('-'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_that_differ_past_the_cut_stay_apart() {
        let a = "International Monetary Fund emergency lending programme negotiations and conditions for Argentina";
        let b = "International Monetary Fund emergency lending programme negotiations and conditions for Egypt";
        let (slug_a, slug_b) = (Slug::from_name(a).unwrap(), Slug::from_name(b).unwrap());
        assert_ne!(slug_a, slug_b);
        for slug in [&slug_a, &slug_b] {
            assert!(
                slug.as_str().len() <= MAX_LEN && slug.as_str().starts_with("international-monetary-fund-"),
                "{slug}"
            );
        }
        assert_eq!(Slug::from_name(a), Slug::from_name(&a.to_uppercase()), "still one name in any case");
        assert_eq!(Slug::from_text(a), Slug::from_text(b), "a headline's slug is cut as before");
        assert_eq!(Slug::from_name("Harbour Strike"), Slug::from_text("Harbour Strike"));
        assert_eq!(Slug::from_name("!!!"), None);
    }

    fn slug(s: &str) -> String {
        Slug::from_text(s).map(|s| s.to_string()).unwrap_or_default()
    }

    #[test]
    fn headline_becomes_lowercase_hyphenated() {
        assert_eq!(
            slug("Washington and Moscow Talk, but Peace in Ukraine Still Feels Far Away"),
            "washington-and-moscow-talk-but-peace-in-ukraine-still-feels-far-away"
        );
        assert_eq!(slug("  Hello -- World!  "), "hello-world");
        assert_eq!(slug("Putin's “new realities”"), "putins-new-realities");
    }

    #[test]
    fn non_latin_headlines_transliterate() {
        assert_eq!(slug("Café à Zürich"), "cafe-a-zurich");
        assert_eq!(slug("Зеленський у Вашингтоні"), "zelenskii-u-vashingtoni");
        assert_eq!(slug("北京新闻"), "bei-jing-xin-wen");
        assert_eq!(slug("Ελλάδα"), "ellada");
    }

    #[test]
    fn nothing_readable_gives_none() {
        assert_eq!(Slug::from_text("!!! ??? ---"), None);
        assert_eq!(Slug::from_text(""), None);
    }

    #[test]
    fn long_headlines_are_cut_at_a_word() {
        let s = slug(&"word ".repeat(40));
        assert!(s.len() <= MAX_LEN, "{s}");
        assert!(s.ends_with("word"), "{s}");
    }

    #[test]
    fn explicit_slugs_cannot_escape_their_folder() {
        let s = |x: &str| Slug::sanitize(x).map(|s| s.to_string());
        assert_eq!(s("../../etc/passwd").as_deref(), Some("etc-passwd"));
        assert_eq!(s(".hidden").as_deref(), Some("hidden"));
        assert_eq!(s("a/b\\c").as_deref(), Some("a-b-c"));
        assert_eq!(s("My_Story-2025").as_deref(), Some("my_story-2025"));
        assert_eq!(s(".."), None);
        assert_eq!(s("/"), None);
    }

    #[test]
    fn names_windows_reserves_get_a_suffix() {
        for name in ["CON", "Nul", "aux", "prn", "COM1", "lpt9", "com0"] {
            assert_eq!(slug(name), format!("{}-1", name.to_lowercase()), "{name}");
            assert_eq!(Slug::sanitize(name).unwrap().as_str(), format!("{}-1", name.to_lowercase()));
        }
        for name in ["cons", "console", "com", "com10", "nul-and-void", "lpt"] {
            assert_eq!(slug(name), name);
        }
    }

    #[test]
    fn suffix_is_appended() {
        let s = Slug::from_text("talks").unwrap();
        assert_eq!(s.with_suffix(2).as_str(), "talks-2");
    }
}
