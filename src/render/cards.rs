//! Render phase, story cards: each article's card as HTML (`cards[]`),
//! made once with the theme's `partials/story_card.html` and reused on
//! every list that shows the article (at 50,000 articles with the
//! discovery indexes, about eleven lists each). The card is made as if
//! from [`PagePath::any`], so its links lead from the root behind
//! [`urls::ROOT`]; the page that shows it puts its own way back to the
//! root in their place ([`urls::unroot`]).

use std::sync::Mutex;

use tera::{Context, Value};

use super::Renderer;
use crate::error::Diagnostic;
use crate::plan::inputs::Card;
use crate::urls::{self, PagePath};

/// The template of one card.
pub const TEMPLATE: &str = "partials/story_card.html";

/// At most this many cards are kept (about 700 bytes each): every card of
/// an archive up to that size, and a bounded share of a bigger one.
const KEPT: usize = 1 << 18;

/// A card's HTML, as the list templates print it (`{{ card | safe }}`).
pub type Html = Value;

/// A slot: the card kept in it, with its article's position.
type Slot = Mutex<Option<(usize, Html)>>;

/// Cards made so far, each in the slot of its article's position in the
/// archive modulo the number of slots.
pub(super) struct Cards {
    slots: Box<[Slot]>,
}

impl Cards {
    /// Room for the cards of an archive of `entries` articles.
    pub fn new(entries: usize) -> Self {
        Cards { slots: (0..entries.clamp(1, KEPT)).map(|_| Mutex::new(None)).collect() }
    }

    /// Article `index`'s card: the one kept, or the one `make` makes.
    fn get_or_make(&self, index: usize, make: impl FnOnce() -> Result<Html, Diagnostic>) -> Result<Html, Diagnostic> {
        let slot = &self.slots[index % self.slots.len()];
        if let Ok(kept) = slot.lock()
            && let Some((at, html)) = kept.as_ref()
            && *at == index
        {
            return Ok(html.clone());
        }
        // Made without the lock: another thread may make it too, and both
        // make the same bytes.
        let html = make()?;
        if let Ok(mut kept) = slot.lock() {
            *kept = Some((index, html.clone()));
        }
        Ok(html)
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
