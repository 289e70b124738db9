//! Criterion benchmarks of the TikTok reader on a realistic item list: what `TikTokItems.addJson`
//! does with one `/api/recommend/item_list/` response, split into its parts.
//!
//! The response: 30 items made from the real items in `tests/fixtures/tiktok/` (2021–2026 shapes),
//! each with its own id and caption, the media URLs their sources elided put back at a real length
//! (TikTok's signed URLs are 150–450 chars) and `&` written `\u0026` as TikTok's API writes it:
//! ~10 KB per item, as real items are (6–12 KB).
//! Run: `cargo bench --bench tiktok_reader` (instruction counts, steadier under load:
//! `valgrind --tool=callgrind` on the bench binary with `--bench --profile-time`).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deinfluencer::platform::tiktok::{posts_from_json, posts_from_value};
use deinfluencer::{Engine, Lang};
use serde_json::{Value, json};

const REAL_ITEMS: [&str; 5] = [
    "tiktok_api_trending_itemList_2024-12_KR_abridged.json",
    "tiktok_item_2022-11_JP_ambassador_hashtags_no_label.json",
    "tiktok_item_2022-11_TW_plain.json",
    "tiktok_itemstruct_2021-12_readme_example.json",
    "tiktok_universal_data_video-detail_2026-09_isAd_true_trimmed.json",
];

/// Every object with an `id`, a `desc` and an `author` (the reader's items), in document order.
fn items_in(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            if ["id", "desc", "author"]
                .iter()
                .all(|k| map.contains_key(*k))
            {
                out.push(value.clone());
            } else {
                map.values().for_each(|v| items_in(v, out));
            }
        }
        Value::Array(values) => values.iter().for_each(|v| items_in(v, out)),
        _ => {}
    }
}

/// A signed-URL-like string of about `len` bytes (deterministic).
fn media_url(seed: usize, len: usize) -> String {
    let mut url = format!(
        "https://v16-webapp-prime.tiktok.com/video/tos/useast2a/tos-useast2a-pve-0068/o{seed:032x}/?a=1988&bti=NEBzNTY6QGo6OjZALnAjNDQuYCMxNDNg&ch=0&cr=3&dr=0&lr=all&cd=0%7C0%7C0%7C&cv=1&br={}&ft=4KJMyMzm8Zmo0",
        1000 + seed % 2000
    );
    let mut n = seed;
    while url.len() < len {
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        url.push_str(&format!("&x{}={:024x}", n % 10, n));
    }
    url
}

/// Puts real-length URLs where the sources elided them ("..." / "<url elided>").
fn restore_urls(value: &mut Value, seed: &mut usize) {
    match value {
        Value::String(s) if s == "..." || s == "<url elided>" => {
            *seed += 1;
            *s = media_url(*seed, 160 + (*seed * 97) % 300);
        }
        Value::Array(values) => values.iter_mut().for_each(|v| restore_urls(v, seed)),
        Value::Object(map) => map.values_mut().for_each(|v| restore_urls(v, seed)),
        _ => {}
    }
}

fn item_list_response(count: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiktok/");
    let mut real = Vec::new();
    for name in REAL_ITEMS {
        let text = std::fs::read_to_string(format!("{dir}{name}")).expect("fixture");
        items_in(
            &serde_json::from_str(&text).expect("fixture JSON"),
            &mut real,
        );
    }
    let mut seed = 0;
    let items: Vec<Value> = (0..count)
        .map(|i| {
            let mut item = real[i % real.len()].clone();
            restore_urls(&mut item, &mut seed);
            item["id"] = json!(format!("74{:017}", 31_337 * i));
            let desc = item["desc"].as_str().unwrap_or("").to_string();
            item["desc"] = json!(format!("{desc} part {i}"));
            if item["author"].is_object() {
                item["author"]["uniqueId"] = json!(format!("creator_{}", i % 17));
            }
            item
        })
        .collect();
    let response = json!({
        "cursor": "1734326659000",
        "extra": {"fatal_item_ids": [], "logid": "20241216052417C019222FE301516359E1", "now": 1734326659000u64},
        "hasMore": true,
        "itemList": items,
        "log_pb": {"impr_id": "20241216052417C019222FE301516359E1"},
        "statusCode": 0,
    });
    // `&` only ever appears inside strings, so this keeps the JSON valid and equal.
    response.to_string().replace('&', "\\u0026")
}

fn bench(c: &mut Criterion) {
    let engine = Engine::new().expect("engine builds");
    let response = item_list_response(30);
    let posts = posts_from_json(&response).expect("reads");
    eprintln!(
        "item list: {} items, {} bytes ({} per item)",
        posts.len(),
        response.len(),
        response.len() / posts.len().max(1)
    );
    let mut group = c.benchmark_group("tiktok_item_list_30");
    group.throughput(Throughput::Bytes(response.len() as u64));
    // What the reader did before pruning: a full `Value`, then the walk.
    group.bench_function("full_value_parse", |b| {
        b.iter(|| black_box(serde_json::from_str::<Value>(black_box(&response)).unwrap()))
    });
    group.bench_function("full_value_parse_and_walk", |b| {
        b.iter(|| {
            let value: Value = serde_json::from_str(black_box(&response)).unwrap();
            black_box(posts_from_value(&value))
        })
    });
    group.bench_function("posts_from_json", |b| {
        b.iter(|| black_box(posts_from_json(black_box(&response)).unwrap()))
    });
    group.bench_function("judge_30_posts", |b| {
        b.iter(|| {
            for post in &posts {
                black_box(engine.judge(post, Lang::En));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
