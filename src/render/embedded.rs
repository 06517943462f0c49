//! The bundled themes, compiled into the binary so `gazette build` works
//! in any folder with a `content/`, and `theme: broadsheet` works without
//! a `themes/` folder. The build script (`build.rs`) lists the files of
//! every `themes/<name>/` folder that has a `theme.yaml`.

/// A theme compiled into the binary.
#[derive(Debug)]
pub struct EmbeddedTheme {
    /// Folder name, which is how `site.yaml` chooses it.
    pub name: &'static str,
    /// Every file: (path inside the theme folder with `/`, bytes).
    pub files: &'static [(&'static str, &'static [u8])],
}

include!(concat!(env!("OUT_DIR"), "/embedded_themes.rs"));

/// The bundled theme called `name`.
pub fn theme(name: &str) -> Option<&'static EmbeddedTheme> {
    THEMES.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_bundled_themes_are_embedded_with_their_manifests() {
        for name in ["default", "broadsheet"] {
            let theme = super::theme(name).unwrap_or_else(|| panic!("{name} is not embedded"));
            assert!(theme.files.iter().any(|(p, _)| *p == "theme.yaml"), "{name}");
            assert!(theme.files.iter().any(|(p, _)| p.starts_with("templates/")), "{name}");
        }
    }
}
