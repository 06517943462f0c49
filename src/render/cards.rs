//! Render phase, story cards: each article's card as HTML (`cards[]`),
//! made once with the theme's `partials/story_card.html` and reused on
//! every list that shows the article (at 50,000 articles with the
//! discovery indexes, about eleven lists each). The card is made as if
//! from [`PagePath::any`], so its links lead from the root behind
//! [`urls::ROOT`]; the page that shows it puts its own way back to the
//! root in their place ([`urls::unroot`]).

use std::sync::OnceLock;

use tera::{Context, Value};

use super::Renderer;
use crate::error::Diagnostic;
use crate::plan::inputs::Card;
use crate::urls::{self, PagePath};

/// The template of one card.
pub const TEMPLATE: &str = "partials/story_card.html";

/// At most this many cards are kept (about 800 bytes each): every card of
/// an archive up to that size. A bigger archive keeps the cards of its
/// first this-many articles and makes the others for each list: each kind
/// of list runs through the whole archive in turn, so a card that could be
/// put out of its place would be put out before its next list comes.
const KEPT: usize = 1 << 19;

/// A card's HTML, as the list templates print it (`{{ card | safe }}`).
pub type Html = Value;

/// Cards made so far, by their article's position in the archive.
pub(super) struct Cards {
    kept: Box<[OnceLock<Html>]>,
}

impl Cards {
    /// Room for the cards of an archive of `entries` articles.
    pub fn new(entries: usize) -> Self {
        Cards { kept: (0..entries.min(KEPT)).map(|_| OnceLock::new()).collect() }
    }

    /// Article `index`'s card: the one kept, or the one `make` makes.
    fn get_or_make(&self, index: usize, make: impl FnOnce() -> Result<Html, Diagnostic>) -> Result<Html, Diagnostic> {
        let Some(slot) = self.kept.get(index) else { return make() };
        if let Some(html) = slot.get() {
            return Ok(html.clone());
        }
        // Made without a lock: another thread may make it too, and both
        // make the same bytes.
        let html = make()?;
        Ok(slot.get_or_init(|| html).clone())
    }
}

impl Renderer<'_> {
    /// The card of `card` as HTML, its links behind [`urls::ROOT`]; `here`
    /// is the page that shows it, to name in an error.
    pub(super) fn card_html(&self, card: Card<'_>, here: &PagePath) -> Result<Html, Diagnostic> {
        self.cards.get_or_make(card.index, || {
            let mut context = Context::new();
            context.insert("card", &self.card(card, &PagePath::any()));
            let html = self.theme.render_fragment(TEMPLATE, &context, here)?;
            Ok(Value::from(html))
        })
    }

    /// The cards of `list` as HTML, for the page `here`.
    pub(super) fn cards_html(&self, list: &[Card<'_>], here: &PagePath) -> Result<Vec<Html>, Diagnostic> {
        list.iter().map(|&c| self.card_html(c, here)).collect()
    }
}

/// A page's HTML with its cards' links made relative to the page.
pub(super) fn place(html: Vec<u8>, here: &PagePath) -> Vec<u8> {
    urls::unroot(html, &here.root_prefix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_made_once_and_one_past_the_kept_ones_each_time() {
        let cards = Cards::new(2);
        let made = std::cell::Cell::new(0);
        let make = |text: &str| {
            made.set(made.get() + 1);
            Ok(Value::from(text))
        };
        assert_eq!(cards.get_or_make(1, || make("one")).unwrap().as_str(), Some("one"));
        assert_eq!(cards.get_or_make(1, || make("other")).unwrap().as_str(), Some("one"), "kept");
        assert_eq!(made.get(), 1);
        for _ in 0..2 {
            assert_eq!(cards.get_or_make(2, || make("two")).unwrap().as_str(), Some("two"));
        }
        assert_eq!(made.get(), 3, "an archive bigger than the store makes the others each time");
        let failed = cards.get_or_make(0, || Err(Diagnostic::at("t.html", 1, 1, "bad card")));
        assert!(failed.is_err());
        assert_eq!(cards.get_or_make(0, || make("zero")).unwrap().as_str(), Some("zero"), "an error is not kept");
    }
}
