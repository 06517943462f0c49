//! Embeds the bundled themes (every folder under `themes/` holding a
//! `theme.yaml`) into the binary, so `gazette build` works anywhere and
//! the list of embedded files can never drift from the folders.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut themes: Vec<_> = std::fs::read_dir(&root)
        .map(|entries| {
            entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join("theme.yaml").is_file()).collect()
        })
        .unwrap_or_default();
    themes.sort();
    let mut code = String::from("/// The bundled themes.\npub const THEMES: &[EmbeddedTheme] = &[\n");
    for theme in &themes {
        let name = theme.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let mut files = Vec::new();
        collect(theme, theme, &mut files);
        files.sort();
        let _ = writeln!(code, "    EmbeddedTheme {{\n        name: {name:?},\n        files: &[");
        for (rel, path) in files {
            println!("cargo:rerun-if-changed={path}");
            let _ = writeln!(code, "            ({rel:?}, include_bytes!({path:?})),");
        }
        code.push_str("        ],\n    },\n");
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("embedded_themes.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}

/// Every file under `dir` (hidden ones skipped), as (path relative to the
/// theme with `/`, absolute path).
fn collect(theme: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(theme, &path, out);
        } else if let (Ok(rel), Some(abs)) = (path.strip_prefix(theme), path.to_str()) {
            let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            out.push((rel.join("/"), abs.to_string()));
        }
    }
}
