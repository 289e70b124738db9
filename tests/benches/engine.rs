//! Criterion benchmarks of the core: judging posts (throughput in posts/s) and building the engine.
//!
//! Data: every `*.jsonl` in `$DEINFLUENCER_BENCH_DATA` or, when unset, in `../shared/data` (the labelled
//! development data), falling back to the small sample in `tests/fixtures/bench_posts.jsonl` so the
//! benchmark runs from any clone: the same posts as `deinfluencer-bench` (one loader, `data.rs`).
//! Run: `cargo bench --bench engine` (`./build.sh bench` prints the native-vs-wasm table instead).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deinfluencer::ledger::CreatorLedger;
use deinfluencer::{Engine, Lang, VerdictKind};

#[path = "../../src/bin/deinfluencer-bench/data.rs"]
mod data;

fn bench(c: &mut Criterion) {
    // The first build also fills the process-wide normalisation table: report it once, cold.
    let cold = std::time::Instant::now();
    let engine = Engine::new().expect("engine builds");
    eprintln!(
        "engine first build (cold, incl. normalisation table): {:?}",
        cold.elapsed()
    );
    let data = data::load(None).unwrap_or_else(|e| panic!("benchmark data: {e}"));
    eprintln!(
        "data: {} [{}]: {} posts from {} files, {} lines without a post",
        data.note,
        data.source,
        data.posts.len(),
        data.files.len(),
        data.skipped_lines
    );
    let posts = data.posts;
    let mut group = c.benchmark_group("judge");
    group.throughput(Throughput::Elements(posts.len() as u64));
    group.bench_function(format!("{}_posts", posts.len()), |b| {
        b.iter(|| {
            for p in &posts {
                black_box(engine.judge(black_box(p), Lang::En));
            }
        })
    });
    group.finish();
    c.bench_function("engine_build", |b| {
        b.iter(|| black_box(Engine::new().expect("engine builds")))
    });
}

/// The ledger at its default retention: 50,000 posts from 10,000 creators.
fn full_ledger() -> CreatorLedger {
    let mut ledger = CreatorLedger::default();
    for i in 0..50_000u64 {
        let v = VerdictKind::ALL[(i % 4) as usize];
        ledger
            .record(
                &format!("7{i:018}"),
                &format!("creator{}", i % 10_000),
                v,
                i % 9 == 0,
                vec![],
                i,
            )
            .expect("valid record");
    }
    ledger
}

fn bench_ledger(c: &mut Criterion) {
    let mut ledger = full_ledger();
    let mut n = 50_000u64;
    c.bench_function("ledger_record_new_post_at_retention", |b| {
        b.iter(|| {
            n += 1;
            black_box(ledger.record(
                &format!("8{n:018}"),
                "creator42",
                VerdictKind::Undisclosed,
                false,
                vec![],
                n,
            ))
        })
    });
    let ledger = full_ledger();
    c.bench_function("ledger_creators_table_10k_creators_50k_posts", |b| {
        b.iter(|| black_box(ledger.creators("", usize::MAX)))
    });
    c.bench_function("ledger_one_creator_of_10k", |b| {
        b.iter(|| black_box(ledger.creator("creator4242")))
    });
    c.bench_function("ledger_save_50k_posts", |b| {
        b.iter(|| black_box(ledger.to_json()))
    });
    let json = ledger.to_json();
    c.bench_function("ledger_load_50k_posts", |b| {
        b.iter(|| black_box(CreatorLedger::from_json(&json)))
    });
}

criterion_group!(benches, bench, bench_ledger);
criterion_main!(benches);
