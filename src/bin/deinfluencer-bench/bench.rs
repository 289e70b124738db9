//! Native throughput of the engine's whole judge path, measured the way the wasm module is driven
//! (`tests/tools/bench-wasm.mjs`), so the two numbers can be divided:
//!
//! - posts go in batches of `--batch` (200, the extension's `BATCH` in `extension/content/scan.js`);
//! - each batch is converted from a generic value to `Vec<Post>`, judged, and its verdicts converted back
//!   to a generic value: natively `serde_json::Value`, where `classifyPosts` converts JS objects with
//!   serde-wasm-bindgen;
//! - after a warm-up, each round repeats whole passes over every post for at least `--round-ms`.
//!
//! `--dump-posts FILE` writes the parsed posts as a JSON array: the wasm benchmark reads exactly those,
//! and the verdict counts both print prove they judged the same posts the same way.
//!
//! `--serve`: after the report, one more round for every line read on standard input, each answered
//! with one `{"posts_per_s": …}` line, so a caller can alternate native and wasm rounds without
//! starting (and loading the data) again each time.

use std::hint::black_box;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use deinfluencer::{Engine, Lang, Post, Verdict, VerdictKind};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::data;

#[derive(Parser)]
#[command(
    name = "deinfluencer-bench",
    about = "Native posts/s of the engine's whole judge path (batched like the extension), as JSON"
)]
struct Args {
    /// A *.jsonl file or a directory of them (default: $DEINFLUENCER_BENCH_DATA, ../shared/data,
    /// else the committed tests/fixtures/bench_posts.jsonl).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Posts per engine call.
    #[arg(long, default_value_t = 200)]
    batch: usize,
    /// Timed rounds; the report gives each and their median.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Minimum length of a round (whole passes over every post are repeated until it is reached).
    #[arg(long, default_value_t = 1000)]
    round_ms: u64,
    /// Untimed warm-up before the rounds.
    #[arg(long, default_value_t = 300)]
    warmup_ms: u64,
    /// Length of the extra round over `Engine::judge` alone (no value conversions); 0 skips it.
    #[arg(long)]
    judge_only_ms: Option<u64>,
    /// After the report, run one more round per line read on standard input (see the module docs).
    #[arg(long)]
    serve: bool,
    /// Write the parsed posts here as one JSON array (for tests/tools/bench-wasm.mjs).
    #[arg(long)]
    dump_posts: Option<PathBuf>,
}

pub fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("deinfluencer-bench: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Prints one JSON line and flushes it (a `--serve` caller waits for it).
fn emit(value: &Value) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{value}")
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the report: {e}"))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One pass: every batch through value → posts → judge → value, as `classifyPosts` does.
fn pass(engine: &Engine, batches: &[Value]) -> Result<(), String> {
    for batch in batches {
        let posts = Vec::<Post>::deserialize(batch).map_err(|e| format!("bad post batch: {e}"))?;
        let verdicts: Vec<Verdict> = posts.iter().map(|p| engine.judge(p, Lang::En)).collect();
        let out = serde_json::to_value(&verdicts).map_err(|e| format!("verdicts: {e}"))?;
        black_box(out);
    }
    Ok(())
}

/// Repeats `one_pass` until `min` has elapsed; returns posts per second.
fn timed(
    posts: usize,
    min: Duration,
    mut one_pass: impl FnMut() -> Result<(), String>,
) -> Result<f64, String> {
    let start = Instant::now();
    let mut passes = 0usize;
    loop {
        one_pass()?;
        passes += 1;
        if start.elapsed() >= min {
            break;
        }
    }
    Ok((posts * passes) as f64 / start.elapsed().as_secs_f64())
}

/// Verdict counts over every post: printed by both benchmarks so a mismatch (different posts or a
/// different engine) is caught instead of compared.
fn verdict_counts(engine: &Engine, posts: &[Post]) -> Value {
    let mut kinds = [0usize; 4];
    let (mut commercial, mut self_promo, mut evidence) = (0usize, 0usize, 0usize);
    for post in posts {
        let v = engine.judge(post, Lang::En);
        let index = VerdictKind::ALL.iter().position(|k| *k == v.verdict);
        if let Some(i) = index {
            kinds[i] += 1;
        }
        commercial += usize::from(v.commercial);
        self_promo += usize::from(v.self_promo);
        evidence += v.evidence.len();
    }
    let mut counts = serde_json::Map::new();
    for (kind, n) in VerdictKind::ALL.iter().zip(kinds) {
        counts.insert(kind.as_str().to_string(), json!(n));
    }
    counts.insert("commercial".into(), json!(commercial));
    counts.insert("self_promo".into(), json!(self_promo));
    counts.insert("evidence".into(), json!(evidence));
    Value::Object(counts)
}

fn run(args: &Args) -> Result<(), String> {
    if args.batch == 0 || args.rounds == 0 {
        return Err("--batch and --rounds must be at least 1".into());
    }
    // The first build in a process also fills the normalisation table: the cold figure the
    // extension pays once per JS realm (bench-wasm.mjs measures the same first build in wasm).
    let cold = Instant::now();
    let engine = Engine::new().map_err(|e| format!("the engine does not build: {e}"))?;
    let engine_build_cold_ms = ms(cold.elapsed());
    let mut warm: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            black_box(Engine::new().ok());
            ms(t.elapsed())
        })
        .collect();

    let data = data::load(args.data.as_deref())?;
    let posts = &data.posts;
    if let Some(path) = &args.dump_posts {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let text = serde_json::to_string(posts).map_err(|e| format!("posts: {e}"))?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let batches: Vec<Value> = posts
        .chunks(args.batch)
        .map(serde_json::to_value)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("posts: {e}"))?;

    timed(posts.len(), Duration::from_millis(args.warmup_ms), || {
        pass(&engine, &batches)
    })?;
    let mut rounds = Vec::with_capacity(args.rounds);
    for _ in 0..args.rounds {
        let round = Duration::from_millis(args.round_ms);
        rounds.push(timed(posts.len(), round, || pass(&engine, &batches))?);
    }
    // For information: the engine alone, without the value conversions either side.
    let judge_only = match args.judge_only_ms.unwrap_or(args.round_ms) {
        0 => None,
        judge_ms => Some(timed(posts.len(), Duration::from_millis(judge_ms), || {
            for post in posts {
                black_box(engine.judge(black_box(post), Lang::En));
            }
            Ok(())
        })?),
    };

    emit(&json!({
        "tool": "deinfluencer-bench",
        "engine": engine.describe(),
        "data": {
            "source": data.source,
            "note": data.note,
            "files": data.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
            "skipped_lines": data.skipped_lines,
        },
        "posts": posts.len(),
        "batch": args.batch,
        "rounds_posts_per_s": rounds.clone(),
        "posts_per_s": median(&mut rounds),
        "judge_only_posts_per_s": judge_only,
        "engine_build_cold_ms": engine_build_cold_ms,
        "engine_build_warm_ms": median(&mut warm),
        "verdicts": verdict_counts(&engine, posts),
    }))?;
    if args.serve {
        for line in std::io::stdin().lock().lines() {
            line.map_err(|e| format!("standard input: {e}"))?;
            let round = Duration::from_millis(args.round_ms);
            let posts_per_s = timed(posts.len(), round, || pass(&engine, &batches))?;
            emit(&json!({ "posts_per_s": posts_per_s }))?;
        }
    }
    Ok(())
}
