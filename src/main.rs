//! The `gazette` command: parses arguments, runs a command, prints the
//! outcome and sets the exit code (0 success, 1 failed build, 2 bad usage).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A static site generator for news archives.
#[derive(Debug, Parser)]
#[command(name = "gazette", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site from content/ into output/.
    Build(BuildArgs),
    /// List the themes, or copy the default theme into themes/ to start your own.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Start a site: a commented site.yaml, sample stories in content/, a .gitignore.
    Init(InitArgs),
    /// File a story: writes content/YYYY/MM/<slug>.md (or .txt) and prints its path.
    New(NewArgs),
    /// Convert wire copy, a Jekyll _posts/ folder, Hugo content or a WordPress export into Gazette articles.
    Import(ImportArgs),
    /// Validate the archive and every link of the built site, without writing output/.
    Check(CheckArgs),
    /// Preview the site: build it into ROOT/.gazette/serve/, serve it on
    /// loopback and rebuild on every change, reloading the browser.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// text (one line per problem) or json (for CI).
    #[arg(long, value_enum, default_value = "text")]
    format: CheckFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// What SRC holds.
    #[arg(long, value_enum)]
    from: ImportFrom,
    /// The folder (or file) to import: wire stories, a Jekyll site or its
    /// _posts/, a Hugo site or its content/, a WordPress export (.xml).
    src: PathBuf,
    /// Where the articles go [default: ROOT/content].
    #[arg(long, value_name = "DIR")]
    into: Option<PathBuf>,
    /// With --from wordpress: a copy of the old site's wp-content/uploads;
    /// each file an article links to is copied beside it and the link
    /// rewritten.
    #[arg(long, value_name = "DIR")]
    uploads: Option<PathBuf>,
    /// The Gazette site (its site.yaml sets the timezone and byline rules).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Report what would be imported; write nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ImportFrom {
    Wire,
    Jekyll,
    Hugo,
    #[value(name = "wordpress")]
    WordPress,
}

#[derive(Debug, clap::Args)]
struct InitArgs {
    /// The folder to make the site in (created if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Add the missing files to a folder that is not empty (existing files are kept).
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
struct NewArgs {
    /// The headline.
    headline: String,
    /// A bylined name (repeat for several).
    #[arg(long, value_name = "NAME")]
    author: Vec<String>,
    /// The dateline.
    #[arg(long, value_name = "PLACE")]
    location: Option<String>,
    /// The publication date, in any form Gazette reads [default: now].
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// md (Markdown with front matter) or txt (wire copy).
    #[arg(long, value_enum, default_value = "md")]
    format: NewFormat,
    /// The site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum NewFormat {
    Md,
    Txt,
}

#[derive(Debug, Subcommand)]
enum ThemeCommand {
    /// List the themes this site can use (bundled, and its own in themes/).
    List {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Copy the bundled default theme into themes/NAME/ to start your own.
    Eject {
        /// Name of the new theme folder.
        #[arg(default_value = "custom")]
        name: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[cfg(feature = "serve")]
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The site folder (holds content/ and site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The address to listen on. The default, loopback, keeps the preview
    /// on this machine; 0.0.0.0 exposes it to the network.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    bind: std::net::IpAddr,
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    future: bool,
    /// Open the preview in the web browser.
    #[arg(long)]
    open: bool,
}

#[derive(Debug, clap::Args)]
struct BuildArgs {
    /// The site folder (holds content/ and site.yaml).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: ROOT/output].
    #[arg(long)]
    output: Option<PathBuf>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include articles dated in the future.
    #[arg(long)]
    future: bool,
    /// Build the good articles and pages even if some are bad (an article
    /// that does not load, a page a template fails on); list the skipped ones.
    #[arg(long)]
    keep_going: bool,
    /// The absolute URL the site will be published at (overrides base_url
    /// in site.yaml), e.g. https://example.org/news/.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Use this theme (overrides theme in site.yaml).
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
    /// Ignore the previous build: read, render and write everything (use it
    /// after deleting or editing files in the output folder by hand).
    #[arg(long)]
    clean: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = source_date_epoch() {
        return fail(&gazette::Error::Usage(e));
    }
    match cli.command {
        Command::Build(args) => build(args),
        Command::Init(args) => init(args),
        Command::New(args) => new(args),
        Command::Import(args) => import(args),
        Command::Check(args) => check(args),
        Command::Theme(ThemeCommand::List { root }) => {
            let paths = gazette::config::SitePaths::new(&root, None);
            for (name, manifest) in gazette::render::theme::available(&paths) {
                let version =
                    if manifest.version.is_empty() { String::new() } else { format!(" {}", manifest.version) };
                say(&format!("{name}{version}: {}", manifest.description));
            }
            ExitCode::SUCCESS
        }
        Command::Theme(ThemeCommand::Eject { name, root }) => {
            let paths = gazette::config::SitePaths::new(&root, None);
            match gazette::render::theme::eject(&paths, &name) {
                Ok(dir) => {
                    say(&format!("Copied the default theme to {}.", dir.display()));
                    say(&format!("Set `theme: {name}` in site.yaml to use it, then edit its templates/ and static/."));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve(args),
    }
}

#[cfg(feature = "serve")]
fn serve(args: ServeArgs) -> ExitCode {
    let options = gazette::serve::ServeOptions {
        root: args.root,
        bind: args.bind,
        port: args.port,
        drafts: args.drafts,
        future: args.future,
        open: args.open,
        now,
    };
    match gazette::serve::run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let options = gazette::BuildOptions {
        output: args.output,
        drafts: args.drafts,
        future: args.future,
        keep_going: args.keep_going,
        base_url: args.base_url,
        theme: args.theme,
        clean: args.clean,
        progress: show_progress.then_some(progress as fn(usize, usize)),
        ..gazette::BuildOptions::new(args.root, now())
    };
    let result = gazette::build(&options);
    if let Some(bar) = BAR.get() {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            let failed = report.failed.iter().flat_map(|f| f.errors.iter().cloned());
            for skipped in gazette::error::by_file(report.skipped.iter().cloned().chain(failed).collect()) {
                eprintln!("skipped: {skipped}");
            }
            if !args.quiet {
                for warning in &report.warnings {
                    eprintln!("warning: {warning}");
                }
                say(&summary(&report));
            }
            ExitCode::SUCCESS
        }
        Err(gazette::Error::Input(problems)) => {
            let problems = gazette::error::by_file(problems);
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            eprintln!(
                "Build failed: {}; the previous output was left as it was.",
                gazette::counted(problems.len(), "problem", "problems")
            );
            ExitCode::from(1)
        }
        Err(other) => fail(&other),
    }
}

fn init(args: InitArgs) -> ExitCode {
    match gazette::authoring::init::init(&args.dir, args.force) {
        Ok(report) => {
            for path in &report.created {
                say(&format!("created: {}", shown(path).display()));
            }
            for path in &report.kept {
                say(&format!("kept (already there): {}", shown(path).display()));
            }
            say(&format!("Site ready in {}. Next: gazette build --root {0}", args.dir.display()));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn new(args: NewArgs) -> ExitCode {
    let format = match args.format {
        NewFormat::Md => gazette::authoring::new::Format::Markdown,
        NewFormat::Txt => gazette::authoring::new::Format::Wire,
    };
    let request = gazette::authoring::new::NewArticle {
        root: args.root,
        title: args.headline,
        authors: args.author,
        location: args.location,
        date: args.date,
        format,
        now: now(),
    };
    match gazette::authoring::new::new_article(&request) {
        Ok(path) => {
            say(&format!("{}", shown(&path).display()));
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn import(args: ImportArgs) -> ExitCode {
    use gazette::import::Origin;
    let from = match args.from {
        ImportFrom::Wire => Origin::Wire,
        ImportFrom::Jekyll => Origin::Jekyll,
        ImportFrom::Hugo => Origin::Hugo,
        ImportFrom::WordPress => Origin::WordPress,
    };
    let options = gazette::import::ImportOptions {
        from,
        source: args.src,
        root: args.root,
        into: args.into,
        uploads: args.uploads,
        dry_run: args.dry_run,
    };
    let report = match gazette::import::import(&options) {
        Ok(report) => report,
        Err(e) => return fail(&e),
    };
    print_all(&import_report(&report, args.dry_run, options.uploads.is_some()));
    if report.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// What `gazette import` prints: a line per file written, post left out,
/// problem and note, then the counts.
fn import_report(report: &gazette::import::ImportReport, dry_run: bool, uploads_given: bool) -> String {
    let verb = if dry_run { "would " } else { "" };
    let mut out = String::new();
    for m in &report.converted {
        out += &format!("{verb}convert: {} -> {}\n", shown(&m.source).display(), shown(&m.target).display());
    }
    for m in &report.copied {
        out += &format!("{verb}copy: {} -> {}\n", shown(&m.source).display(), shown(&m.target).display());
    }
    for m in &report.present {
        out += &format!("already present: {} (from {})\n", shown(&m.target).display(), shown(&m.source).display());
    }
    let left_out = report.left_out.iter().map(|(_, d)| d);
    for (label, list) in [
        ("left out", left_out.collect::<Vec<_>>()),
        ("skipped", report.skipped.iter().collect()),
        ("warning", report.warnings.iter().collect()),
        ("note", report.notes.iter().collect()),
    ] {
        for d in list {
            out += &format!("{label}: {}\n", shown_diagnostic(d));
        }
    }
    if !report.dated.is_empty() {
        let rules: Vec<String> = report.dated.iter().map(|(rule, n)| format!("{n} from {rule}")).collect();
        out += &format!("Dates: {}\n", rules.join(", "));
    }
    if !report.not_posts.is_empty() {
        let kinds: Vec<String> = report.not_posts.iter().map(|(kind, n)| item_kind(kind, *n)).collect();
        out += &format!("Not posts, not imported: {}\n", kinds.join(", "));
    }
    if report.old_links > 0 {
        let links = gazette::counted(report.old_links, "link points", "links point");
        let hint = if uploads_given {
            "their files are not in the --uploads folder (see the warnings)"
        } else {
            "give --uploads DIR (a copy of wp-content/uploads) to copy the files beside their articles"
        };
        out += &format!("{links} at files on the old site ({}): {hint}\n", report.old_site);
    }
    out + &import_counts(report, dry_run)
}

/// The line `gazette import` ends with: `Imported 6 (3 drafts), left out 3
/// (1 private, 2 in the trash), skipped 0, already present 0, 8 warnings`.
fn import_counts(report: &gazette::import::ImportReport, dry_run: bool) -> String {
    let drafts = match report.drafts {
        0 => String::new(),
        n => format!(" ({})", gazette::counted(n, "draft", "drafts")),
    };
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for (reason, _) in &report.left_out {
        match reasons.iter_mut().find(|(r, _)| r == reason) {
            Some((_, n)) => *n += 1,
            None => reasons.push((reason, 1)),
        }
    }
    let left_out = match reasons.as_slice() {
        [] => String::new(),
        _ => {
            let reasons: Vec<String> = reasons.iter().map(|(reason, n)| format!("{n} {reason}")).collect();
            format!("left out {} ({}), ", report.left_out.len(), reasons.join(", "))
        }
    };
    let warnings = match report.warnings.len() {
        0 => String::new(),
        n => format!(", {}", gazette::counted(n, "warning", "warnings")),
    };
    format!(
        "{}mported {}{drafts}, {left_out}skipped {}, already present {}{warnings}{}\n",
        if dry_run { "Dry run: would have i" } else { "I" },
        report.converted.len(),
        report.skipped.len(),
        report.present.len(),
        if dry_run { " (nothing written)" } else { "" }
    )
}

/// `n` items of a WordPress post type, in words: `3 pages`, `1 menu item`.
fn item_kind(kind: &str, n: usize) -> String {
    match kind {
        "page" => gazette::counted(n, "page", "pages"),
        "attachment" => gazette::counted(n, "attachment", "attachments"),
        "nav_menu_item" => gazette::counted(n, "menu item", "menu items"),
        "revision" => gazette::counted(n, "revision", "revisions"),
        "" => gazette::counted(n, "item without a type", "items without a type"),
        other => format!("{n} {other}"),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let options = gazette::check::CheckOptions { root: args.root, now: now() };
    let report = match gazette::check::check(&options) {
        Ok(report) => report,
        Err(e) => return fail(&e),
    };
    let out = match args.format {
        CheckFormat::Json => report.to_json() + "\n",
        CheckFormat::Text => {
            let mut out = String::new();
            for (label, list) in [("error", &report.errors), ("warning", &report.warnings), ("note", &report.notes)] {
                for finding in list {
                    out += &format!("{label}: {finding}\n");
                }
            }
            let notes = match report.notes.len() {
                0 => String::new(),
                n => format!(", {}", gazette::counted(n, "note", "notes")),
            };
            out += &format!(
                "Checked {}: {}, {}{notes}\n",
                gazette::counted(report.articles, "article", "articles"),
                gazette::counted(report.errors.len(), "error", "errors"),
                gazette::counted(report.warnings.len(), "warning", "warnings")
            );
            out
        }
    };
    print_all(&out);
    if report.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) }
}

/// Print a report to stdout. A reader that stops early (`| head`) is not
/// an error, so a closed pipe is ignored rather than a panic.
fn print_all(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Print one line to stdout (a closed pipe is ignored, as in [`print_all`]).
fn say(line: &str) {
    print_all(&format!("{line}\n"));
}

/// A diagnostic with its path as the user would type it.
fn shown_diagnostic(d: &gazette::Diagnostic) -> gazette::Diagnostic {
    gazette::Diagnostic { path: shown(&d.path).to_path_buf(), ..d.clone() }
}

/// A path as the user would type it: without a leading `./`.
fn shown(path: &std::path::Path) -> &std::path::Path {
    path.strip_prefix(".").unwrap_or(path)
}

/// Print a failed command's error; exit 2 for bad usage, otherwise 1.
fn fail(error: &gazette::Error) -> ExitCode {
    eprintln!("error: {error}");
    if matches!(error, gazette::Error::Usage(_)) { ExitCode::from(2) } else { ExitCode::from(1) }
}

/// The one line a build ends with.
fn summary(report: &gazette::BuildReport) -> String {
    let articles = gazette::counted(report.articles, "article", "articles");
    let mut line = format!("Built {articles} in {:.2?}: {}", report.elapsed, report.files_line());
    if report.photo_variants > 0 {
        line.push_str(&format!(
            " ({} encoded)",
            gazette::counted(report.photo_variants, "photo variant", "photo variants")
        ));
    }
    if let Some(peak) = peak_memory_mib() {
        line.push_str(&format!(", peak memory {peak} MiB"));
    }
    if report.held_back > 0 {
        let held = gazette::counted(report.held_back, "draft or future article", "drafts or future articles");
        line.push_str(&format!(" ({held} held back)"));
    }
    let skipped = report.skipped.len() + report.failed.iter().map(|f| f.errors.len()).sum::<usize>();
    if skipped > 0 {
        line.push_str(&format!(" ({} skipped)", gazette::counted(skipped, "problem", "problems")));
    }
    line
}

/// Peak resident memory of this process, from Linux's /proc (None elsewhere).
fn peak_memory_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

static BAR: OnceLock<ProgressBar> = OnceLock::new();
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Progress of the files being made: a bar on the terminal, shown only
/// once the build has taken more than a second (short builds stay quiet).
fn progress(done: usize, total: usize) {
    let started = *STARTED.get_or_init(Instant::now);
    let bar = BAR.get_or_init(|| {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    });
    if bar.is_hidden() && started.elapsed() > Duration::from_secs(1) {
        bar.set_draw_target(ProgressDrawTarget::stderr());
    }
    bar.set_length(total as u64);
    bar.set_position(done as u64);
}

/// The build's "now": `SOURCE_DATE_EPOCH` when set (reproducible builds),
/// otherwise the clock.
fn now() -> chrono::DateTime<chrono::FixedOffset> {
    // Checked once at start-up, in `main`.
    source_date_epoch().ok().flatten().unwrap_or_else(chrono::Utc::now).fixed_offset()
}

/// The time `SOURCE_DATE_EPOCH` sets, if it is set: whole seconds since
/// 1970, up to the end of year 9999. The reproducible-builds convention is
/// to stop on a malformed value rather than quietly use the clock.
fn source_date_epoch() -> Result<Option<chrono::DateTime<chrono::Utc>>, String> {
    let Some(value) = std::env::var_os("SOURCE_DATE_EPOCH") else { return Ok(None) };
    let text = value.to_string_lossy();
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|secs| (0..=253_402_300_799).contains(secs))
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(Some)
        .ok_or_else(|| {
            format!("SOURCE_DATE_EPOCH={text:?} is not a time: give whole seconds since 1970 (as `date +%s` prints)")
        })
}

// Rendering a large archive allocates millions of small strings; mimalloc
// does this markedly faster than the system allocator (see bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
