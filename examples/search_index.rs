//! Benchmark harness for the search index (`bench/search.sh`): loads a
//! site's articles with Gazette's load phase, tokenizes them, builds the
//! index and writes it under `--out`, timing each step.
//!
//! `cargo run --release --example search_index -- SITE [--out DIR]`
//! prints one `key=value` line: articles, seconds per step, the peak
//! memory before and after the index, the index's size, its shard count
//! and largest shard, the size of an article's cached terms, and what word
//! positions (for phrase queries) would add.

use gazette::search;

#[path = "../tests/search/articles.rs"]
mod articles;

use std::path::PathBuf;
use std::time::Instant;

use gazette::load::ArticleMeta;
use rayon::prelude::*;
use search::{Doc, DocTerms, Index, Language};

// The allocator `gazette` itself uses, for figures that match a build's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().expect("usage: search_index SITE [--out DIR]"));
    let out = match (args.next().as_deref(), args.next()) {
        (Some("--out"), Some(dir)) => Some(PathBuf::from(dir)),
        _ => None,
    };

    let start = Instant::now();
    let (config, loaded) = articles::load_site(&site);
    let load_s = start.elapsed().as_secs_f64();
    let rss_loaded = peak_kib();

    let lang = Language::from_tag(&config.language);
    let cpu_before = cpu_seconds();
    let start = Instant::now();
    let terms: Vec<DocTerms> = loaded.par_iter().map(|a| articles::terms(a, &lang)).collect();
    let tokenize_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    // The bodies are not needed any more (the build never holds them all).
    let loaded: Vec<ArticleMeta> = loaded.into_iter().map(|a| a.meta).collect();
    let docs: Vec<Doc> =
        loaded.iter().zip(&terms).map(|(m, t)| articles::doc(m, t, &articles::meta(m, &config))).collect();
    let meta_s = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let meta = |i: usize| articles::meta(&loaded[i], &config);
    let files = Index::build(&docs, |i| meta(i).facets).all_files(&docs, meta);
    let index_s = start.elapsed().as_secs_f64();
    let cpu_s = cpu_seconds() - cpu_before;
    let rss_index = peak_kib();

    let cached: usize = terms.iter().map(|t| postcard::to_allocvec(t).map_or(0, |b| b.len())).sum();
    let shards: Vec<usize> = files.iter().filter(|f| f.path.contains("/t/")).map(|f| f.bytes.len()).collect();
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    if let Some(out) = out {
        for file in &files {
            let path = out.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create a folder");
            std::fs::write(&path, &file.bytes).expect("write a file");
        }
    }
    println!(
        "articles={} load_s={load_s:.3} tokenize_s={tokenize_s:.3} meta_s={meta_s:.3} index_s={index_s:.3} search_cpu_s={cpu_s:.3} peak_loaded_mib={} peak_mib={} \
         files={} index_mib={:.1} shards={} max_shard_kib={:.1} median_shard_kib={:.1} terms_bytes_per_article={} \
         positions_estimate_mib={:.1}",
        terms.len(),
        rss_loaded / 1024,
        rss_index / 1024,
        files.len(),
        total as f64 / 1048576.0,
        shards.len(),
        shards.iter().max().copied().unwrap_or(0) as f64 / 1024.0,
        median(&shards) as f64 / 1024.0,
        cached / terms.len().max(1),
        positions_estimate(&terms) as f64 / 1048576.0,
    );
}

fn median(sizes: &[usize]) -> usize {
    let mut sorted = sizes.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

/// Bytes that word positions would add to the postings (an estimate, as
/// the index does not keep them): each of a term's occurrences a gap of
/// about words / occurrences, in the index's 5-bit text digits.
fn positions_estimate(terms: &[DocTerms]) -> usize {
    terms
        .iter()
        .map(|doc| {
            let mut bytes = 0;
            doc.each_term(|_, weight| {
                let times = usize::from((weight % 64).max(weight / 64)).max(1);
                let gap = doc.words() as usize / times + 1;
                bytes += times * (gap.ilog2() as usize / 5 + 1);
            });
            bytes
        })
        .sum()
}

/// CPU time used by the process so far, user and system, in seconds (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which ends with ')'): utime and stime are the 12th and 13th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks: f64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum();
    ticks / 100.0
}

/// The process's peak resident memory so far, in KiB (Linux).
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
