//! Authoring: starting a site and filing stories.
//!
//! Not a build phase: these commands write *sources*, never `output/`.
//! [`init`] turns an empty folder into a site (`site.yaml`, sample stories,
//! `.gitignore`); [`new`] writes one new article file with its front matter
//! (or wire header) filled in. Both, and `import`, write articles through
//! one writer ([`front_matter::FrontMatter`]) and [`date_text`], and never
//! replace an existing file.

pub mod front_matter;
pub mod init;
pub mod new;

use chrono::SecondsFormat;

use crate::load::ArticleDate;

/// A date as front matter writes it, keeping what was written: RFC 3339
/// with its own offset when a time was given (`2025-12-03T14:30:00-05:00`),
/// otherwise the calendar day (`2025-12-03`).
pub fn date_text(date: &ArticleDate) -> String {
    if date.has_time {
        date.at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
    } else {
        date.day().format("%Y-%m-%d").to_string()
    }
}

/// A date as a wire story's date line writes it: `December 3, 2025`, with
/// `14:30 -05:00` after it when a time was given.
pub fn wire_date_text(date: &ArticleDate) -> String {
    use chrono::Timelike;
    let day = date.at.format("%B %-d, %Y");
    if !date.has_time {
        return day.to_string();
    }
    let time = if date.at.second() == 0 && date.at.nanosecond() == 0 {
        date.at.format("%H:%M")
    } else {
        date.at.format("%H:%M:%S%.f")
    };
    format!("{day} {time} {}", date.at.format("%:z"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::date;
    use chrono::FixedOffset;

    fn parse(text: &str) -> ArticleDate {
        date::parse(text, FixedOffset::east_opt(3600).unwrap()).unwrap()
    }

    #[test]
    fn dates_are_written_as_given_and_read_back_the_same() {
        for (text, front, wire) in [
            ("December 3, 2025", "2025-12-03", "December 3, 2025"),
            ("Dec. 3, 2025, 2:30 p.m. EST", "2025-12-03T14:30:00-05:00", "December 3, 2025 14:30 -05:00"),
            ("2025-12-31T23:30:00.25-05:00", "2025-12-31T23:30:00.250-05:00", "December 31, 2025 23:30:00.250 -05:00"),
            ("2025-12-03 09:05", "2025-12-03T09:05:00+01:00", "December 3, 2025 09:05 +01:00"),
        ] {
            let d = parse(text);
            assert_eq!(date_text(&d), front, "{text}");
            assert_eq!(wire_date_text(&d), wire, "{text}");
            assert_eq!(parse(front), d, "{text}");
            assert_eq!(parse(wire), d, "{text}");
        }
    }
}
