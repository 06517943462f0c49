//! Input that would cost far more than its size stops at a limit, with
//! an error naming the file, the line and the limit, before the work.

use crate::common::gazette;

/// A site in a temporary folder with these files.
fn site(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The `error:` lines of a failed build.
fn errors(dir: &tempfile::TempDir) -> Vec<String> {
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    stderr.lines().filter_map(|l| l.strip_prefix("error: ")).map(str::to_string).collect()
}

fn names(n: usize) -> String {
    (1..=n).map(|i| format!("Writer {i}")).collect::<Vec<_>>().join(", ")
}

#[test]
fn a_byline_of_too_many_names_is_an_error_at_its_line() {
    let front =
        format!("---\ntitle: Crowd\ndate: 2025-01-01\nauthors: [Ann Lee]\nauthor: {}\n---\nBody.\n", names(100));
    let wire = format!("Crowd\n- {}\n- Kyiv\n- 2025-01-01\nBody.\n", names(101));
    let dir = site(&[("content/a.md", front.clone()), ("content/b.txt", wire)]);
    assert_eq!(
        errors(&dir),
        [
            "content/a.md:5:9: 101 names in one byline, more than the 100 a byline may have (limits.byline_names \
             in site.yaml): each name gets an author page listing all the others",
            "content/b.txt:2:3: 101 names in one byline, more than the 100 a byline may have (limits.byline_names \
             in site.yaml): each name gets an author page listing all the others",
        ]
    );
    // A site whose archive needs more raises the limit.
    let dir = site(&[("content/a.md", front), ("site.yaml", "limits:\n  byline_names: 101\n".into())]);
    let run = gazette(&["build", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(dir.path().join("output/authors/writer-100/index.html").is_file());
}

#[test]
fn front_matter_nested_too_deep_is_refused_before_parsing() {
    let deep = |open: &str, close: &str| format!("{}1{}", open.repeat(10_000), close.repeat(10_000));
    let dir = site(&[
        // The case: 200 KB of brackets took the YAML parser 18 s.
        (
            "content/a.md",
            format!("---\ntitle: T\ndate: 2025-01-01\nx: {}1{}\n---\n", "[".repeat(100_000), "]".repeat(100_000)),
        ),
        ("content/b.md", format!("---\ntitle: T\ndate: 2025-01-01\nx: {}\n---\n", deep("{a: ", "}"))),
        ("content/c.md", format!("+++\ntitle = 'T'\ndate = 2025-01-01\nx = {}\n+++\n", deep("[", "]"))),
        ("content/d.md", format!("---\ntitle: T\ndate: 2025-01-01\nx:\n  {}y\n---\n", "- ".repeat(100_000))),
        ("content/e.md", format!("+++\ntitle = 'T'\ndate = 2025-01-01\n{}b = 1\n+++\n", "a.".repeat(100_000))),
    ]);
    let message = "lists and maps nest more than 64 deep here: Gazette reads at most 64 levels \
                   (deeper nesting is never real metadata, and would take the parser minutes)";
    let expected: Vec<String> = ["a.md:4:67", "b.md:4:256", "c.md:4:68", "d.md:5:127", "e.md:4:128"]
        .iter()
        .map(|place| format!("content/{place}: {message}"))
        .collect();
    assert_eq!(errors(&dir), expected);
}

#[test]
fn front_matter_past_its_size_limit_is_an_error_where_it_passes_it() {
    let long = "word ".repeat(60_000);
    let dir = site(&[
        ("content/a.md", format!("---\ntitle: T\ndate: 2025-01-01\nsummary: {long}\n---\nBody.\n")),
        ("content/b.txt", format!("{long}\n- Ann Lee\n- 2025-01-01\nBody.\n")),
    ]);
    assert_eq!(
        errors(&dir),
        [
            "content/a.md:4:262119: the front matter passes 256 KB here (limits.front_matter_kb in site.yaml): \
             headlines, bylines and summaries are repeated on every listing page",
            "content/b.txt:1:262145: the headline, byline and dateline pass 256 KB here (limits.front_matter_kb \
             in site.yaml): headlines, bylines and summaries are repeated on every listing page",
        ]
    );
}

#[test]
fn raw_html_nested_too_deep_is_refused_at_its_line() {
    let head = "---\ntitle: T\ndate: 2025-01-01\n---\nA first paragraph.\n\n";
    let divs = format!("{head}<div>\n{}x\n", "<section>".repeat(1000));
    let lists = format!("{head}{}x\n", "<ul><li>".repeat(40_000));
    // Old CMS markup: paragraphs and items never closed, line breaks, images.
    let old_cms =
        format!("{head}<div>\n{}</div>\n", "<p>Text<br><img src=a.png><ul><li>one<li>two</ul>\n".repeat(20_000));
    let dir = site(&[("content/a.md", divs), ("content/b.md", lists), ("content/c.md", old_cms)]);
    let message = "the HTML nests more than 512 elements deep here (limits.html_depth in site.yaml): close the \
                   elements it opens";
    assert_eq!(errors(&dir), [format!("content/a.md:8:4600: {message}"), format!("content/b.md:7:2049: {message}")]);
}

#[test]
fn formatting_tags_left_open_before_many_paragraphs_are_refused_where_they_open() {
    let opened: String = (0..100).map(|i| format!("<b id={i}>")).collect();
    // Each paragraph reopens all hundred, inside it.
    let text =
        format!("---\ntitle: T\ndate: 2025-01-01\n---\nIntro.\n\n<p>{opened}</p>{}\n", "<p>x</p>".repeat(20_000));
    let dir = site(&[("content/a.md", text)]);
    let errors = errors(&dir);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "content/a.md:7:4: this `<b>` is never closed, so the HTML parser reopens it, with the other formatting \
             tags left open, in every block that follows: "
        ),
        "{errors:?}"
    );
}

#[test]
fn a_body_whose_html_passes_its_size_limit_stops_there() {
    let text =
        format!("---\ntitle: T\ndate: 2025-01-01\n---\nIntro.\n\n{}\n\n[^1]: The note.\n", "[^1]".repeat(100_000));
    let dir = site(&[("content/a.md", text), ("site.yaml", "limits:\n  body_mb: 1\n".into())]);
    assert_eq!(errors(&dir), ["content/a.md:7:74897: the body's HTML passes 1 MB here (limits.body_mb in site.yaml)"]);
    // With --keep-going the rest of the site is built without it.
    let run = gazette(&["build", "--keep-going", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&run.stderr).contains("skipped: content/a.md:7:74897: the body's HTML passes"));
    assert!(dir.path().join("output/index.html").is_file());
}

/// The time the loader and the body's rendering take on `bytes` (as
/// Markdown, or as wire copy for a `.txt` name): the least of `runs`.
fn cost(name: &str, bytes: &[u8], runs: usize) -> std::time::Duration {
    use gazette::load::{Source, SourceKind};
    let kind = if name.ends_with(".txt") { SourceKind::Wire } else { SourceKind::Markdown };
    let source = Source { rel: name.into(), path: name.into(), kind };
    let options = gazette::config::Config::default().load_options();
    let target = |_: &str| gazette::markdown::Target::File;
    let links = gazette::markdown::Links { source_dir: "", page_dir: "2025/01/01/a/", target: &target, absolute: None };
    (0..runs)
        .map(|_| {
            let started = std::time::Instant::now();
            if let Ok(article) = gazette::load::parse_article(&source, bytes, std::path::Path::new(name), &options) {
                let policy = gazette::config::RawHtml::Sanitize;
                let _ = gazette::markdown::render(&article.body, &links, policy, &options.limits);
            }
            started.elapsed()
        })
        .min()
        .unwrap()
}

/// Inputs of up to 64 KB built to be expensive: every amplification this
/// project has met, and structured random ones.
fn hostile_inputs() -> Vec<(String, Vec<u8>)> {
    const SIZE: usize = 64 * 1024;
    let head = "---\ntitle: T\ndate: 2025-01-01\n---\nIntro.\n\n";
    let fill = |unit: &str, prefix: &str, suffix: &str| -> Vec<u8> {
        let room = SIZE.saturating_sub(prefix.len() + suffix.len());
        format!("{prefix}{}{suffix}", unit.repeat(room / unit.len())).into_bytes()
    };
    let opened: String = (0..100).map(|i| format!("<b id={i}>")).collect();
    let mut inputs: Vec<(String, Vec<u8>)> = vec![
        ("yaml-brackets.md".into(), fill("[", "---\ntitle: T\ndate: 2025-01-01\nx: ", "\n---\n")),
        ("yaml-maps.md".into(), fill("{a: ", "---\ntitle: T\ndate: 2025-01-01\nx: ", "\n---\n")),
        ("yaml-dashes.md".into(), fill("- ", "---\ntitle: T\ndate: 2025-01-01\nx:\n  ", "y\n---\n")),
        ("toml-brackets.md".into(), fill("[", "+++\ntitle = 'T'\ndate = 2025-01-01\nx = ", "\n+++\n")),
        ("toml-dotted.md".into(), fill("a.", "+++\ntitle = 'T'\ndate = 2025-01-01\n", "b = 1\n+++\n")),
        ("byline.md".into(), fill("Writer Name, ", "---\ntitle: T\ndate: 2025-01-01\nauthor: ", "\n---\nBody.\n")),
        ("byline.txt".into(), fill("Writer Name & ", "Headline\n- ", "\n- 2025-01-01\nBody.\n")),
        ("dashes.txt".into(), fill("- x\n", "Headline\n", "- 2025-01-01\nBody.\n")),
        ("divs.md".into(), fill("<div>", head, "x\n")),
        ("lists.md".into(), fill("<ul><li>", head, "x\n")),
        ("reopen.md".into(), fill("<p>x</p>", &format!("{head}<p>{opened}</p>"), "\n")),
        ("font-lines.md".into(), fill("<p><font size=2>Text</p>\n", &format!("{head}<div>\n"), "</div>\n")),
        ("footnotes.md".into(), fill("[^1]", head, "\n\n[^1]: A note.\n")),
        ("quotes.md".into(), fill(">", head, " x\n")),
        ("emphasis.md".into(), fill("*_", head, "x\n")),
        ("links.md".into(), fill("[", head, "x\n")),
        ("table.md".into(), fill("x\n", &format!("{head}|{}\n|{}\n", " a |".repeat(2000), "---|".repeat(2000)), "")),
        ("refs.md".into(), fill("[a]", &format!("{head}[a]: http://example.org/{}\n\n", "x".repeat(1000)), "\n")),
        ("entities.md".into(), fill("&amp;&#x1F600;&nbsp;", head, "\n")),
    ];
    // Structured random bodies: the tokens every parser on the way knows.
    const TOKENS: &[&str] = &[
        "[",
        "]",
        "{",
        "}",
        "- ",
        ": ",
        "\n",
        "\n\n",
        "<div>",
        "</div>",
        "<b>",
        "</b>",
        "<p>",
        "<i>",
        "<ul><li>",
        "<table><tr><td>",
        "</td>",
        "<font size=2>",
        "*",
        "_",
        "`",
        "[^1]",
        "> ",
        "|",
        "&amp;",
        "\"",
        "'",
        "# ",
        "1. ",
        "    ",
        "![x](a.png)",
        "[l](b.md)",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "word ",
        "\\",
        "~~",
        "---\n",
    ];
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for n in 0..12 {
        let mut body = String::from(head);
        let bias: Vec<&str> = (0..4).map(|_| TOKENS[next() as usize % TOKENS.len()]).collect();
        while body.len() < SIZE - 64 {
            let token =
                if next() % 2 == 0 { bias[next() as usize % 4] } else { TOKENS[next() as usize % TOKENS.len()] };
            body.push_str(token);
        }
        inputs.push((format!("random-{n}.md"), body.into_bytes()));
    }
    inputs
}

/// A plain article of 64 KB: paragraphs of prose, some emphasis and links.
fn plain_article() -> Vec<u8> {
    let paragraph = "The council met on Tuesday to discuss the *harbour* budget, which has grown by a third \
                     since [last year](../11/budget.md). Residents asked why the ferry still runs late.\n\n";
    let head = "---\ntitle: Council Meets\ndate: 2025-01-01\nauthor: Ann Lee & Bo Chen\n---\n";
    format!("{head}{}", paragraph.repeat((64 * 1024 - head.len()) / paragraph.len())).into_bytes()
}

/// No input of up to 64 KB costs more than a fixed multiple of a plain
/// article of that size to load and render. (Times are the least of a few
/// runs, so a busy machine does not make it fail; the multiple is generous,
/// five times the costliest today — a table whose rows pulldown-cmark
/// pads to 2,000 cells — while before the limits, nested lists and
/// `<div>`s took 2,000 times longer.)
#[test]
fn no_input_of_64_kb_costs_far_more_than_a_plain_article() {
    const MULTIPLE: u32 = 250;
    let plain_bytes = plain_article();
    let mut plain = cost("plain.md", &plain_bytes, 5);
    let mut took = Vec::new();
    for (name, bytes) in hostile_inputs() {
        assert!(bytes.len() <= 64 * 1024, "{name}: {} bytes", bytes.len());
        took.push((cost(&name, &bytes, 5), name));
        // The plain article is timed all along, so a slow spell of the
        // machine cannot make it look cheaper than it is.
        plain = plain.min(cost("plain.md", &plain_bytes, 1));
    }
    let mut worst: Vec<(f64, String)> =
        took.into_iter().map(|(t, name)| (t.as_secs_f64() / plain.as_secs_f64(), name)).collect();
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    eprintln!("plain: {plain:?}; costliest: {:?}", &worst[..5]);
    let over: Vec<_> = worst.iter().filter(|(ratio, _)| *ratio > f64::from(MULTIPLE)).collect();
    assert!(over.is_empty(), "more than {MULTIPLE} times a plain article ({plain:?}): {over:?}");
}
