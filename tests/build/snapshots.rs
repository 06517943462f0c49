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

#[test]
fn main_of_the_pages_with_optional_parts_filled() {
    // A corrections page that lists a corrected article.
    let site = build("publishing");
    insta::assert_snapshot!("corrections_listed", main_of(&site.read("corrections/index.html")));
    // An author page with a profile: role, bio and photo.
    let site = build("profiles");
    insta::assert_snapshot!("author_with_profile", main_of(&site.read("authors/ann-lee/index.html")));
}
