//! WordPress exports (WXR) into Gazette articles.
//!
//! Part of import. So far: the export read as a stream ([`wxr`]), and a
//! post's body, from WordPress's HTML into Markdown ([`body`]).

pub mod body;
pub mod wxr;
