//! The default theme, compiled into the binary so `gazette build` works in
//! any folder with a `content/` and no `themes/`.
//!
//! The files live in `themes/default/`; a test checks this list matches
//! that folder exactly.

macro_rules! theme_file {
    ($path:literal) => {
        ($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/", $path)))
    };
}

macro_rules! static_file {
    ($path:literal) => {
        ($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/", $path)))
    };
}

/// Templates of the default theme: (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    theme_file!("base.html"),
    theme_file!("article.html"),
    theme_file!("home.html"),
    theme_file!("year.html"),
    theme_file!("month.html"),
    theme_file!("day.html"),
    theme_file!("author.html"),
    theme_file!("authors.html"),
    theme_file!("archive.html"),
    theme_file!("corrections.html"),
    theme_file!("404.html"),
    theme_file!("partials/article_list.html"),
    theme_file!("partials/byline.html"),
    theme_file!("partials/pagination.html"),
    theme_file!("partials/period_nav.html"),
];

/// Static files of the default theme: (output path, bytes).
pub const STATIC: &[(&str, &[u8])] = &[static_file!("assets/gazette.css")];

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn files(dir: &Path, prefix: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                files(&entry.path(), &format!("{name}/"), out);
            } else {
                out.push(name);
            }
        }
    }

    #[test]
    fn every_default_theme_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = Vec::new();
        files(&root.join("templates"), "", &mut on_disk);
        on_disk.sort();
        let mut listed: Vec<String> = super::TEMPLATES.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk, "update src/render/embedded.rs");
        let mut on_disk = Vec::new();
        files(&root.join("static"), "", &mut on_disk);
        on_disk.sort();
        let mut listed: Vec<String> = super::STATIC.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(listed, on_disk, "update src/render/embedded.rs");
    }
}
