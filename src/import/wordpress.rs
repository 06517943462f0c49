//! WordPress exports (WXR) into Gazette articles.
//!
//! Part of import. So far: a post's body, from WordPress's HTML into
//! Markdown ([`body`]).

pub mod body;
