//! WordPress exports (WXR) into Gazette articles.
//!
//! Part of import. So far: the export read as a stream ([`wxr`]), a post's
//! body, from WordPress's HTML into Markdown ([`body`]), and its links to
//! the old site's uploads ([`uploads`]).

pub mod body;
pub mod uploads;
pub mod wxr;
