//! Helpers shared by the unit tests (compiled only for `cargo test`).

/// A small deterministic random number generator (xorshift64) for the
/// no-panic tests: the same sequence on every run, so a failure replays.
pub fn xorshift() -> impl FnMut() -> u64 {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// An article with only a source path, a headline and a date, everything
/// else empty: for a test to fill in what it is about.
pub fn article(source: &str, title: &str, at: chrono::DateTime<chrono::FixedOffset>) -> crate::load::ArticleMeta {
    crate::load::ArticleMeta {
        source: source.into(),
        title: title.into(),
        date: crate::load::ArticleDate { at, has_time: true },
        updated: None,
        authors: vec![],
        location: None,
        tags: vec![],
        categories: vec![],
        section: None,
        story: None,
        summary: crate::load::Summary { text: String::new(), written: false },
        slug: crate::slug::Slug::from_text(title).expect("a headline with letters"),
        draft: false,
        corrections: vec![],
        image: None,
        aliases: vec![],
        image_text: None,
        has_text: true,
        places: Default::default(),
        extra: Default::default(),
        stamp: Default::default(),
        terms: None,
    }
}
