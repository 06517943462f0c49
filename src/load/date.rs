//! Publication dates: every form a newsroom writes, parsed into one type.
//!
//! Part of the load phase. Input: the text of a wire date line or of a
//! front-matter `date`/`updated` value. Output: an [`ArticleDate`], a
//! `chrono` date-time in the offset it was written in (so an article's
//! calendar day is the one its writer saw, never shifted to UTC), and
//! whether a time of day was given at all.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};

/// When an article was published or updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleDate {
    /// The instant, in the offset it was written in (or the site's offset
    /// when the text named none).
    pub at: DateTime<FixedOffset>,
    /// `false` when only a calendar day was written (time is then midnight).
    pub has_time: bool,
}

/// Kept in the build manifest as four numbers (seconds, nanoseconds,
/// offset, whether a time was given): far cheaper to read back for a
/// million articles than RFC 3339 text.
impl serde::Serialize for ArticleDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let parts =
            (self.at.timestamp(), self.at.timestamp_subsec_nanos(), self.at.offset().local_minus_utc(), self.has_time);
        serde::Serialize::serialize(&parts, s)
    }
}

impl<'de> serde::Deserialize<'de> for ArticleDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (secs, nanos, offset, has_time): (i64, u32, i32, bool) = serde::Deserialize::deserialize(d)?;
        let offset = FixedOffset::east_opt(offset).ok_or_else(|| serde::de::Error::custom("bad offset"))?;
        let utc = chrono::DateTime::from_timestamp(secs, nanos).ok_or_else(|| serde::de::Error::custom("bad time"))?;
        Ok(ArticleDate { at: utc.with_timezone(&offset), has_time })
    }
}

impl ArticleDate {
    /// The calendar day as written, in the article's own offset.
    pub fn day(&self) -> NaiveDate {
        self.at.date_naive()
    }
}

/// Parse a date in any accepted form; `default_offset` applies when the
/// text names no offset. Accepted, each optionally with a time:
/// `December 3, 2025`, `Dec. 3, 2025`, `Dec 3, 2025`, `3 December 2025`,
/// `Wednesday, December 3, 2025`, `2025-12-03`, RFC 3339
/// (`2025-12-03T14:30:00.5+01:00`, `…Z`). Times: `14:30`, `14:30:05`,
/// `2:30 pm`, `2:30 p.m.`, optionally preceded by `at`. Offsets: `+0100`,
/// `+01:00`, `+01`, `Z`, `UTC`, `GMT`, and the US zones `EST`…`PDT`.
pub fn parse(text: &str, default_offset: FixedOffset) -> Option<ArticleDate> {
    let tokens = tokenize(text);
    let mut rest: &[String] = &tokens;

    // An optional weekday in front: "Wednesday, December 3, 2025".
    if rest.first().is_some_and(|t| is_weekday(t)) {
        rest = &rest[1..];
    }
    let (day, used) = parse_day(rest)?;
    rest = &rest[used..];
    if rest.first().is_some_and(|t| t == "at") {
        rest = &rest[1..];
    }
    let (time, offset) = parse_time_and_offset(rest)?;
    let offset = offset.unwrap_or(default_offset);
    let naive = day.and_time(time.unwrap_or(NaiveTime::MIN));
    let at = offset.from_local_datetime(&naive).single()?;
    Some(ArticleDate { at, has_time: time.is_some() })
}

/// Lowercase, split on whitespace and commas, and split an ISO `T`.
fn tokenize(text: &str) -> Vec<String> {
    let lower = text.trim().to_lowercase();
    let mut tokens = Vec::new();
    for raw in lower.split(|c: char| c.is_whitespace() || c == ',') {
        if raw.is_empty() {
            continue;
        }
        // RFC 3339: "2025-12-03t14:30:00z" → "2025-12-03", "14:30:00z".
        if raw.len() > 11 && raw.as_bytes()[10] == b't' && raw.as_bytes()[4] == b'-' {
            tokens.push(raw[..10].to_string());
            tokens.push(raw[11..].to_string());
        } else {
            tokens.push(raw.to_string());
        }
    }
    tokens
}

fn is_weekday(t: &str) -> bool {
    let t = t.trim_end_matches('.');
    ["mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"].contains(&t)
        || ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].contains(&t)
}

fn month_number(t: &str) -> Option<u32> {
    let t = t.trim_end_matches('.');
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if let Some(i) = MONTHS.iter().position(|m| *m == t) {
        return Some(i as u32 + 1);
    }
    // Abbreviations, AP style included: "Dec", "Dec.", "Sept.".
    if t == "sept" {
        return Some(9);
    }
    if t.len() == 3 {
        return MONTHS.iter().position(|m| m.starts_with(t)).map(|i| i as u32 + 1);
    }
    None
}

fn number(t: &str) -> Option<u32> {
    // "3rd", "21st" are written in some copy; accept the ordinal suffix.
    let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The calendar day at the start of `tokens`, and how many tokens it used.
fn parse_day(tokens: &[String]) -> Option<(NaiveDate, usize)> {
    let ((y, m, d), used) = day_parts(tokens)?;
    // Year 0 does not exist (1 BC is followed by AD 1).
    NaiveDate::from_ymd_opt(y, m, d).filter(|_| y >= 1).map(|date| (date, used))
}

/// The year, month and day written at the start of `tokens`, not yet
/// checked, and how many tokens they took.
fn day_parts(tokens: &[String]) -> Option<((i32, u32, u32), usize)> {
    let first = tokens.first()?;
    // ISO: 2025-12-03
    if first.len() == 10 && first.as_bytes()[4] == b'-' && first.as_bytes()[7] == b'-' {
        let digits = |r: std::ops::Range<usize>| first.get(r).filter(|t| t.bytes().all(|b| b.is_ascii_digit()));
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        return Some(((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?), 1));
    }
    if tokens.len() < 3 {
        return None;
    }
    let (a, b, c) = (&tokens[0], &tokens[1], &tokens[2]);
    // Month first: December 3, 2025
    if let (Some(m), Some(d), Some(y)) = (month_number(a), number(b), year(c)) {
        return Some(((y, m, d), 3));
    }
    // Day first: 3 December 2025
    if let (Some(d), Some(m), Some(y)) = (number(a), month_number(b), year(c)) {
        return Some(((y, m, d), 3));
    }
    None
}

/// Why `text` names no day, when it is written like a date whose day does
/// not exist (`2023-02-30`, `0000-01-01`, `February 30, 2023`); `None`
/// when it is not written like a date at all, or its day exists.
pub fn impossible_day(text: &str) -> Option<String> {
    let tokens = tokenize(text);
    let skip = usize::from(tokens.first().is_some_and(|t| is_weekday(t)));
    let ((y, m, d), _) = day_parts(&tokens[skip..])?;
    if y == 0 {
        return Some("year 0 does not exist (1 BC is followed by AD 1)".into());
    }
    let Some(first) = NaiveDate::from_ymd_opt(y, m, 1) else {
        return Some(format!("there is no month {m}"));
    };
    let days = chrono::Datelike::num_days_in_month(&first);
    (d == 0 || d > u32::from(days)).then(|| format!("{} {y} has {days} days", first.format("%B")))
}

fn year(t: &str) -> Option<i32> {
    (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
}

/// An optional time of day and an optional offset, which must use up all
/// the remaining tokens (so trailing garbage is an error, not ignored).
fn parse_time_and_offset(tokens: &[String]) -> Option<(Option<NaiveTime>, Option<FixedOffset>)> {
    let mut rest = tokens;
    let mut time = None;
    let mut offset = None;
    if let Some(first) = rest.first()
        && first.contains(':')
        && first.as_bytes().first().is_some_and(u8::is_ascii_digit)
    {
        let (clock, attached) = split_attached_offset(first);
        let mut t = parse_clock(clock)?;
        rest = &rest[1..];
        if let Some(meridiem) = rest.first().and_then(|m| meridiem(m)) {
            t = apply_meridiem(t, meridiem)?;
            rest = &rest[1..];
        }
        time = Some(t);
        if let Some(attached) = attached {
            offset = Some(parse_offset(attached)?);
        }
    }
    if offset.is_none()
        && let Some(first) = rest.first()
    {
        offset = Some(parse_offset(first)?);
        rest = &rest[1..];
    }
    rest.is_empty().then_some((time, offset))
}

/// "14:30:00+01:00" → ("14:30:00", Some("+01:00")); "14:30z" → ("14:30", Some("z")).
fn split_attached_offset(token: &str) -> (&str, Option<&str>) {
    if let Some(i) = token.find(['+', '-']) {
        return (&token[..i], Some(&token[i..]));
    }
    if let Some(clock) = token.strip_suffix('z') {
        return (clock, Some("z"));
    }
    (token, None)
}

fn parse_clock(text: &str) -> Option<NaiveTime> {
    use chrono::Timelike;
    // Fractional seconds are kept: "14:30:00.250".
    for format in ["%H:%M:%S%.f", "%H:%M"] {
        if let Ok(t) = NaiveTime::parse_from_str(text, format) {
            // A leap second (`23:59:60`) is read as the second before it:
            // HTML, Atom and sitemaps only know seconds 0 to 59.
            return t.with_nanosecond(t.nanosecond() % 1_000_000_000);
        }
    }
    None
}

#[derive(Clone, Copy)]
enum Meridiem {
    Am,
    Pm,
}

fn meridiem(t: &str) -> Option<Meridiem> {
    match t.replace('.', "").as_str() {
        "am" => Some(Meridiem::Am),
        "pm" => Some(Meridiem::Pm),
        _ => None,
    }
}

fn apply_meridiem(t: NaiveTime, m: Meridiem) -> Option<NaiveTime> {
    use chrono::Timelike;
    let h = t.hour();
    if !(1..=12).contains(&h) {
        return None;
    }
    let h24 = match m {
        Meridiem::Am => h % 12,
        Meridiem::Pm => h % 12 + 12,
    };
    t.with_hour(h24)
}

/// `+0100`, `+01:00`, `+01`, `-05:00`, `z`, `utc`, `gmt`, and US zone names.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    match text.to_lowercase().as_str() {
        "z" | "utc" | "gmt" => return hours(0),
        "est" => return hours(-5),
        "edt" => return hours(-4),
        "cst" => return hours(-6),
        "cdt" => return hours(-5),
        "mst" => return hours(-7),
        "mdt" => return hours(-6),
        "pst" => return hours(-8),
        "pdt" => return hours(-7),
        _ => {}
    }
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (digits[..2].parse::<i32>().ok()?, digits[2..].parse::<i32>().ok()?),
        _ => return None,
    };
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn iso(text: &str) -> String {
        match parse(text, utc()) {
            Some(d) => format!("{}{}", d.at.to_rfc3339(), if d.has_time { "" } else { " (day)" }),
            None => "none".to_string(),
        }
    }

    #[test]
    fn every_wire_form_of_a_day() {
        for text in [
            "December 3, 2025",
            "Dec. 3, 2025",
            "Dec 3, 2025",
            "3 December 2025",
            "2025-12-03",
            "DECEMBER 3, 2025",
            "Wednesday, December 3, 2025",
            "Dec. 3rd, 2025",
            "  December 3 , 2025 ",
        ] {
            assert_eq!(iso(text), "2025-12-03T00:00:00+00:00 (day)", "{text}");
        }
        assert_eq!(iso("Sept. 9, 2024"), "2024-09-09T00:00:00+00:00 (day)");
    }

    #[test]
    fn every_wire_form_with_a_time() {
        for text in [
            "December 3, 2025 14:30",
            "Dec. 3, 2025, 2:30 p.m.",
            "Dec 3, 2025 at 2:30 PM",
            "3 December 2025 14:30",
            "2025-12-03 14:30",
            "2025-12-03 14:30:00",
        ] {
            assert_eq!(iso(text), "2025-12-03T14:30:00+00:00", "{text}");
        }
        assert_eq!(iso("Dec 3, 2025 12:05 am"), "2025-12-03T00:05:00+00:00");
        assert_eq!(iso("Dec 3, 2025 12:05 pm"), "2025-12-03T12:05:00+00:00");
    }

    #[test]
    fn offsets_are_kept_not_converted() {
        assert_eq!(iso("2025-12-03 14:30 +0100"), "2025-12-03T14:30:00+01:00");
        assert_eq!(iso("2025-12-03 14:30:00 -05:00"), "2025-12-03T14:30:00-05:00");
        assert_eq!(iso("2025-12-31T23:30:00-05:00"), "2025-12-31T23:30:00-05:00");
        assert_eq!(iso("December 3, 2025 9:15 a.m. EST"), "2025-12-03T09:15:00-05:00");
        assert_eq!(iso("December 3, 2025 14:30 UTC"), "2025-12-03T14:30:00+00:00");
        let late = parse("2025-12-31T23:30:00-05:00", utc()).unwrap();
        assert_eq!(late.day(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
    }

    #[test]
    fn rfc3339_forms() {
        assert_eq!(iso("2025-12-03T14:30:00Z"), "2025-12-03T14:30:00+00:00");
        assert_eq!(iso("2025-12-03T14:30:00.250+02:00"), "2025-12-03T14:30:00.250+02:00");
        assert_eq!(iso("2025-12-03T14:30"), "2025-12-03T14:30:00+00:00");
    }

    #[test]
    fn default_offset_applies_when_none_written() {
        let plus2 = FixedOffset::east_opt(7200).unwrap();
        let d = parse("2025-12-03 10:00", plus2).unwrap();
        assert_eq!(d.at.to_rfc3339(), "2025-12-03T10:00:00+02:00");
    }

    #[test]
    fn dates_survive_the_manifest() {
        let d = parse("2025-12-31T23:30:00.25-05:00", utc()).unwrap();
        let bytes = postcard::to_stdvec(&d).unwrap();
        let back: ArticleDate = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, d);
        assert_eq!(back.at.to_rfc3339(), "2025-12-31T23:30:00.250-05:00");
    }

    #[test]
    fn a_leap_second_is_the_second_before_it() {
        assert_eq!(iso("2016-12-31T23:59:60Z"), "2016-12-31T23:59:59+00:00");
        assert_eq!(iso("2016-12-31 23:59:60.5 +00:00"), "2016-12-31T23:59:59.500+00:00");
        assert_eq!(iso("December 31, 2016 23:59:60"), "2016-12-31T23:59:59+00:00");
    }

    #[test]
    fn days_that_do_not_exist_are_named() {
        assert_eq!(iso("0000-01-01"), "none");
        assert_eq!(iso("January 1, 0000"), "none");
        let why = |text: &str| impossible_day(text).unwrap_or_default();
        assert_eq!(why("0000-01-01"), "year 0 does not exist (1 BC is followed by AD 1)");
        assert_eq!(why("2023-02-30"), "February 2023 has 28 days");
        assert_eq!(why("Feb. 29, 2023 10:00"), "February 2023 has 28 days");
        assert_eq!(why("31 April 2025"), "April 2025 has 30 days");
        assert_eq!(why("2025-13-01"), "there is no month 13");
        assert_eq!(impossible_day("2024-02-29"), None);
        assert_eq!(impossible_day("someday"), None);
    }

    #[test]
    fn nonsense_is_rejected() {
        for text in [
            "",
            "yesterday",
            "Decmber 3, 2025",
            "December 32, 2025",
            "2025-13-01",
            "2025-02-30",
            "December 3, 2025 25:00",
            "December 3, 2025 14:30 and more",
            "13:00 pm Dec 3 2025",
            "Ingrid Jones",
            "U.S.A",
        ] {
            assert_eq!(iso(text), "none", "{text:?}");
        }
    }
}
