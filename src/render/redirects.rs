//! Old addresses kept alive: the redirect page at each old path, the
//! `_redirects` file, and the home page's map of old `?p=ID` addresses.
//!
//! Part of the render phase. Input: a redirect's inputs (the old file and
//! the article's page and headline), the base URL. Output: bytes. Every
//! link is relative to the page it is on, so a redirect works from
//! `file://` and under any sub-path; every value is escaped for where it
//! goes (HTML text, an attribute, a script).

use crate::plan::inputs::RedirectInputs;
use crate::urls::{BaseUrl, PagePath, relative};

/// The folder holding an output file (`a/b/` for `a/b/index.html`).
fn folder_of(file: &str) -> &str {
    file.rfind('/').map_or("", |i| &file[..=i])
}

use crate::html::escape;

/// A redirect page: a refresh to the article, its canonical address
/// (absolute with a base URL), `noindex`, and a link a reader can follow.
pub fn page(inputs: &RedirectInputs<'_>, base: Option<&BaseUrl>, language: &str) -> Vec<u8> {
    let href = escape(&relative(folder_of(inputs.file), inputs.page.as_str()));
    let canonical = base.map_or_else(|| href.clone(), |b| escape(&b.join(inputs.page.as_str())));
    let title = escape(inputs.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n\
         <p>This story has moved: <a href=\"{href}\">{title}</a></p>\n</body>\n</html>\n",
        lang = escape(language),
    )
    .into_bytes()
}

/// `_redirects` (Netlify, Cloudflare Pages): `/old/path /new/path/ 301` per
/// redirect, both paths under the base URL's folder.
pub fn netlify(lines: &[(&str, &PagePath)], base: &BaseUrl) -> Vec<u8> {
    let folder = url::Url::parse(base.as_str()).map(|u| u.path().trim_end_matches('/').to_string()).unwrap_or_default();
    let mut out = String::from("# Old addresses of the archive's stories (aliases), written by Gazette.\n");
    for (served, page) in lines {
        out.push_str(&format!("{folder}{served} {folder}/{} 301\n", page.as_str()));
    }
    out.into_bytes()
}

/// The home page's HTML with a script that sends `?p=ID` to its story
/// (relative to the home page), before `</body>`. The map is JSON with
/// every character that could end a script written as an escape.
pub fn with_old_ids(html: Vec<u8>, old_ids: &[(u64, &PagePath)]) -> Vec<u8> {
    if old_ids.is_empty() {
        return html;
    }
    let map: serde_json::Map<String, serde_json::Value> =
        old_ids.iter().map(|(id, page)| (id.to_string(), relative("", page.as_str()).into())).collect();
    let json = script_safe(&serde_json::Value::Object(map).to_string());
    let script = format!(
        "<script>(function(){{var m={json},p=new URLSearchParams(location.search).get(\"p\");\
         if(p&&Object.prototype.hasOwnProperty.call(m,p))location.replace(m[p]);}})();</script>\n"
    );
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// JSON written so that it cannot close or confuse a `<script>`.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_links_relatively_and_escapes_the_headline() {
        let page_path = PagePath::from_dir("2025/10/20/quay/");
        let inputs =
            RedirectInputs { file: "archives/12/index.html", title: "Quay <b>&</b> \"dock\"", page: &page_path };
        let html = String::from_utf8(page(&inputs, None, "en")).unwrap();
        assert!(html.contains("content=\"0; url=../../2025/10/20/quay/index.html\""), "{html}");
        assert!(html.contains("<link rel=\"canonical\" href=\"../../2025/10/20/quay/index.html\">"), "{html}");
        assert!(html.contains("Quay &lt;b&gt;&amp;&lt;/b&gt; &quot;dock&quot;"), "{html}");
        let base = BaseUrl::parse("https://example.org/news/").unwrap();
        let html = String::from_utf8(page(&inputs, Some(&base), "en")).unwrap();
        assert!(html.contains("href=\"https://example.org/news/2025/10/20/quay/\""), "{html}");
    }

    #[test]
    fn the_map_cannot_end_its_script() {
        let page_path = PagePath::from_dir("a</script><script>x/");
        let html = with_old_ids(b"<body>\n</body>".to_vec(), &[(7, &page_path)]);
        let html = String::from_utf8(html).unwrap();
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
        assert!(html.ends_with("</script>\n</body>"), "{html}");
    }
}
