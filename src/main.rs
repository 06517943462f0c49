//! The `gazette` command: parses arguments, runs a command, prints the
//! outcome and sets the exit code (0 success, 1 failed build, 2 bad usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let options = gazette::BuildOptions {
        root: args.root,
        output: args.output,
        drafts: args.drafts,
        future: args.future,
        keep_going: args.keep_going,
        now: now(),
        base_url: args.base_url,
    };
    match gazette::build(&options) {
        Ok(report) => {
            for skipped in &report.skipped {
                eprintln!("skipped: {skipped}");
            }
            if !args.quiet {
                for warning in &report.warnings {
                    eprintln!("warning: {warning}");
                }
            }
            if !args.quiet {
                let held = match report.held_back {
                    0 => String::new(),
                    n => format!(", {n} drafts or future articles held back"),
                };
                let skipped = match report.skipped.len() {
                    0 => String::new(),
                    n => format!(", {n} problems skipped"),
                };
                println!(
                    "Built {} articles: {} pages, {} files in {:.2?}{held}{skipped}",
                    report.articles, report.pages, report.files, report.elapsed
                );
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
        Err(other) => {
            eprintln!("error: {other}");
            ExitCode::from(1)
        }
    }
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
