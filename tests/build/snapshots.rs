//! Snapshots of the `<main>` element of every page kind (review changes
//! with `cargo insta review`).

use crate::common::{PAGE_KINDS, build, main_of};

#[test]
fn main_of_every_page_kind() {
    let site = build("basic");
    for (name, rel) in PAGE_KINDS {
        insta::assert_snapshot!(name, main_of(&site.read(rel)));
    }
}
