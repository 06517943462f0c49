//! Where an imported post's date was found.
//!
//! Part of import. Old sites keep a post's date in several places: a
//! front-matter key, a `2025/06/26` in its old address, the start of its
//! file name, a WordPress export's local and UTC times. Input: those
//! texts. Output: the day found, and the [`DateRule`] that found it, which
//! the import summary counts and the written front matter notes.

use std::fmt;

use chrono::NaiveDate;

/// Front-matter keys that hold the date, in the order Hugo reads them.
pub const DATE_KEYS: [&str; 5] = ["date", "publishDate", "pubDate", "pubdate", "published"];

/// Keys whose value may be the old address, with its day in it, in the
/// order they are tried (of `aliases`, the first).
pub const ADDRESS_KEYS: [&str; 5] = ["path", "url", "slug", "permalink", "aliases"];

/// The rule that dated a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateRule {
    /// A wire story's date line.
    DateLine,
    /// A front-matter key: `date`, or Hugo's `publishDate`, `pubDate`,
    /// `pubdate`, `published`.
    Key(&'static str),
    /// `date` in Zola's `[extra]` table.
    ExtraDate,
    /// A `YYYY/MM/DD` or `YYYY-MM-DD` in the value of this key (`path`,
    /// `url`, `slug`, `permalink`, `aliases`).
    Address(&'static str),
    /// The start of the file name: `2024-01-01-slug.md`.
    FileName,
    /// The start of a page bundle's folder name: `2024-01-01-slug/index.md`.
    FolderName,
    /// The file name, because the `date:` written did not parse (Jekyll).
    FileNameOverBadDate,
    /// The file's modification time (Jekyll drafts, as Jekyll dates them).
    Modified,
    /// WordPress's `wp:post_date` (local time) with the offset that
    /// `wp:post_date_gmt` implies.
    PostDateGmt,
    /// WordPress's `wp:post_date` alone (no `wp:post_date_gmt`, as for an
    /// unscheduled draft): read in the site's timezone.
    PostDate,
}

impl DateRule {
    /// Where the rule comes in the order the rules are tried.
    pub fn rank(&self) -> (u8, usize) {
        let at = |keys: &[&str], key: &str| keys.iter().position(|k| *k == key).unwrap_or(keys.len());
        match self {
            DateRule::DateLine => (0, 0),
            DateRule::Key(key) => (1, at(&DATE_KEYS, key)),
            DateRule::ExtraDate => (2, 0),
            DateRule::Address(key) => (3, at(&ADDRESS_KEYS, key)),
            DateRule::FileName => (4, 0),
            DateRule::FolderName => (5, 0),
            DateRule::FileNameOverBadDate => (6, 0),
            DateRule::Modified => (7, 0),
            DateRule::PostDateGmt => (8, 0),
            DateRule::PostDate => (9, 0),
        }
    }
}

impl fmt::Display for DateRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateRule::DateLine => f.write_str("the date line"),
            DateRule::Key(key) => write!(f, "`{key}`"),
            DateRule::ExtraDate => f.write_str("`date` in `[extra]`"),
            DateRule::Address(key) => write!(f, "the date in `{key}`"),
            DateRule::FileName => f.write_str("the file name"),
            DateRule::FolderName => f.write_str("the folder name"),
            DateRule::FileNameOverBadDate => f.write_str("the file name (the `date:` did not parse)"),
            DateRule::Modified => f.write_str("the file's modification time"),
            DateRule::PostDateGmt => f.write_str("`wp:post_date` with the offset of `wp:post_date_gmt`"),
            DateRule::PostDate => f.write_str("`wp:post_date` in the site's timezone (no `wp:post_date_gmt`)"),
        }
    }
}

/// The first `YYYY/MM/DD` or `YYYY-MM-DD` in `text` that is a real day and
/// not part of a longer number: `2025/06/26/Rust-1.88.0`,
/// `inside-rust/2021/07/26/x`, `2024-01-01-slug`.
pub fn date_in(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let window = &bytes[i..i + 10];
        let sep = window[4];
        let digits = |from: usize, to: usize| window[from..to].iter().all(u8::is_ascii_digit);
        let alone = (i == 0 || !bytes[i - 1].is_ascii_digit()) && bytes.get(i + 10).is_none_or(|b| !b.is_ascii_digit());
        if !(alone && matches!(sep, b'/' | b'-') && window[7] == sep && digits(0, 4) && digits(5, 7) && digits(8, 10)) {
            return None;
        }
        let number = |from: usize, to: usize| std::str::from_utf8(&window[from..to]).ok()?.parse::<u32>().ok();
        NaiveDate::from_ymd_opt(i32::try_from(number(0, 4)?).ok()?, number(5, 7)?, number(8, 10)?)
    })
}

/// A name that starts with a day, `2024-01-01-slug` or Zola's
/// `2024-01-01_slug`: the day and the rest (`slug`).
pub fn dated_name(name: &str) -> Option<(NaiveDate, &str)> {
    let day = NaiveDate::parse_from_str(name.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = name[10..].strip_prefix(['-', '_'])?;
    Some((day, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_are_found_in_addresses() {
        for (text, found) in [
            ("2025/06/26/Rust-1.88.0", Some("2025-06-26")),
            ("inside-rust/2021/07/26/x.html", Some("2021-07-26")),
            ("/blog/2024-01-01-new-year/", Some("2024-01-01")),
            ("https://example.org/2019/05/15/x", Some("2019-05-15")),
            ("v12025/06/26", None),
            ("2025/06/267", None),
            ("2025/13/01/x", None),
            ("2025/02/30/x", None),
            ("2025-06/26", None),
            ("1.88.0", None),
            ("", None),
            ("北京/2025/06/26", Some("2025-06-26")),
        ] {
            assert_eq!(date_in(text), found.map(day), "{text}");
        }
    }

    #[test]
    fn dated_names_give_the_day_and_the_rest() {
        assert_eq!(dated_name("2024-01-01-slug"), Some((day("2024-01-01"), "slug")));
        assert_eq!(dated_name("2024-01-01_slug.md"), Some((day("2024-01-01"), "slug.md")));
        assert_eq!(dated_name("2024-01-01"), None);
        assert_eq!(dated_name("2024-01-01slug"), None);
        assert_eq!(dated_name("2024-02-30-x"), None);
        assert_eq!(dated_name("é"), None);
    }
}
