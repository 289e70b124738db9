//! The benchmark posts, shared by `deinfluencer-bench` and the criterion benchmark
//! (`tests/benches/engine.rs` includes this file), so every throughput figure is over the same posts.
//!
//! Where they come from, first match wins:
//! 1. `DEINFLUENCER_BENCH_DATA` (or the caller's explicit path): a `*.jsonl` file or a directory of them;
//! 2. `../shared/data/*.jsonl` next to the checkout (the development data; a user's clone has none);
//! 3. the committed sample `tests/fixtures/bench_posts.jsonl`, and the note says so.

use std::path::{Path, PathBuf};

use deinfluencer::{Post, audit};

/// The posts and where they came from.
pub struct BenchData {
    pub posts: Vec<Post>,
    pub files: Vec<PathBuf>,
    /// Lines that held no post (reported, not fatal: the audit CLI skips them the same way).
    pub skipped_lines: usize,
    /// `given` (`--data` or `DEINFLUENCER_BENCH_DATA`), `shared` or `fixture`.
    pub source: &'static str,
    /// One line for the report, e.g. why the committed fixture was used.
    pub note: String,
}

fn jsonl_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Loads the benchmark posts. `explicit` (a `--data` argument) wins over `DEINFLUENCER_BENCH_DATA`;
/// either one naming nothing readable is an error rather than a silent fallback.
pub fn load(explicit: Option<&Path>) -> Result<BenchData, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chosen = explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("DEINFLUENCER_BENCH_DATA").map(PathBuf::from));
    let shared = root.join("../shared/data");
    let (files, source, note) = if let Some(path) = chosen {
        let files = jsonl_files(&path);
        if files.is_empty() {
            return Err(format!("no *.jsonl benchmark data at {}", path.display()));
        }
        let note = format!("{} ({} files)", path.display(), files.len());
        (files, "given", note)
    } else {
        let files = jsonl_files(&shared);
        if files.is_empty() {
            let fixture = root.join("tests/fixtures/bench_posts.jsonl");
            let note = format!(
                "the committed fixture tests/fixtures/bench_posts.jsonl: {} has no *.jsonl \
                 (set DEINFLUENCER_BENCH_DATA to benchmark other posts)",
                shared.display()
            );
            (vec![fixture], "fixture", note)
        } else {
            let note = format!("../shared/data ({} files)", files.len());
            (files, "shared", note)
        }
    };
    let mut posts = Vec::new();
    let mut skipped_lines = 0;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match audit::parse_line(line, i + 1) {
                Ok(mut found) => posts.append(&mut found),
                Err(_) => skipped_lines += 1,
            }
        }
    }
    if posts.is_empty() {
        return Err(format!("no posts in the benchmark data: {note}"));
    }
    Ok(BenchData {
        posts,
        files,
        skipped_lines,
        source,
        note,
    })
}
