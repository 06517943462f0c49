//! Snapshots of the `<main>` element of every page kind (review changes
//! with `cargo insta review`).

use crate::common::{build, main_of};

#[test]
fn main_of_every_page_kind() {
    let site = build("basic");
    for (name, rel) in [
        ("article_wire", "2025/12/03/talks-end-without-a-deal/index.html"),
        ("article_markdown", "2025/12/03/bridge-reopens-traffic-returns/index.html"),
        ("home", "index.html"),
        ("home_page_2", "page/2/index.html"),
        ("year", "2025/index.html"),
        ("month", "2025/12/index.html"),
        ("day", "2025/12/03/index.html"),
        ("author", "authors/ann-lee/index.html"),
        ("authors", "authors/index.html"),
        ("archive", "archive/index.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&site.read(rel)));
    }
}
