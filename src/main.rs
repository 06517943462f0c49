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
    /// Preview the site: build it into ROOT/.gazette/serve/, serve it on
    /// loopback and rebuild on every change, reloading the browser.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
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
    /// Build the good articles even if some are bad; list the skipped ones.
    #[arg(long)]
    keep_going: bool,
    /// The absolute URL the site will be published at (overrides base_url
    /// in site.yaml), e.g. https://example.org/news/.
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Use this theme (overrides theme in site.yaml).
    #[arg(long, value_name = "NAME")]
    theme: Option<String>,
    /// Ignore the previous build: read, render and write everything.
    #[arg(long)]
    clean: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Theme(ThemeCommand::List { root }) => {
            let paths = gazette::config::SitePaths::new(&root, None);
            for (name, manifest) in gazette::render::theme::available(&paths) {
                let version =
                    if manifest.version.is_empty() { String::new() } else { format!(" {}", manifest.version) };
                println!("{name}{version}: {}", manifest.description);
            }
            ExitCode::SUCCESS
        }
        Command::Theme(ThemeCommand::Eject { name, root }) => {
            let paths = gazette::config::SitePaths::new(&root, None);
            match gazette::render::theme::eject(&paths, &name) {
                Ok(dir) => {
                    println!("Copied the default theme to {}.", dir.display());
                    println!("Set `theme: {name}` in site.yaml to use it, then edit its templates/ and static/.");
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
        Err(gazette::Error::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(other) => {
            eprintln!("error: {other}");
            ExitCode::from(1)
        }
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
            for skipped in &report.skipped {
                eprintln!("skipped: {skipped}");
            }
            if !args.quiet {
                for warning in &report.warnings {
                    eprintln!("warning: {warning}");
                }
                println!("{}", summary(&report));
            }
            ExitCode::SUCCESS
        }
        Err(gazette::Error::Input(problems)) => {
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            eprintln!("Build failed: {} problem(s); the previous output was left as it was.", problems.len());
            ExitCode::from(1)
        }
        Err(gazette::Error::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(other) => {
            eprintln!("error: {other}");
            ExitCode::from(1)
        }
    }
}

/// The one line a build ends with.
fn summary(report: &gazette::BuildReport) -> String {
    let mut line =
        format!("Built {} articles: {} files written, {} unchanged", report.articles, report.written, report.unchanged);
    if report.removed > 0 {
        line.push_str(&format!(", {} removed", report.removed));
    }
    line.push_str(&format!(" in {:.2?}", report.elapsed));
    if let Some(peak) = peak_memory_mib() {
        line.push_str(&format!(", peak memory {peak} MiB"));
    }
    if report.held_back > 0 {
        line.push_str(&format!(" ({} drafts or future articles held back)", report.held_back));
    }
    if !report.skipped.is_empty() {
        line.push_str(&format!(" ({} problems skipped)", report.skipped.len()));
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
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0));
    from_env.unwrap_or_else(chrono::Utc::now).fixed_offset()
}

// Rendering a large archive allocates millions of small strings; mimalloc
// does this markedly faster than the system allocator (see bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
