//! The audit CLI end to end: the real binary on JSON Lines with good, bad and TikTok lines.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_deinfluencer"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const INPUT: &str = concat!(
    r##"{"id": "0012", "creator": "alice", "text": "#ad my new serum"}"##,
    "\n",
    "{not json\n",
    r##"{"id": "13", "creator": "bob", "caption": "Bấm vào giỏ hàng vàng để mua nha", "hashtags": ["xuhuong"]}"##,
    "\n",
    "\n",
    r##"{"id": "14", "creator": "alice", "desc": "sunset walk"}"##,
    "\n"
);

#[test]
fn audit_jsonl_reports_each_post_and_each_bad_line() {
    let (code, out, err) = run(&["audit", "-"], INPUT);
    assert_eq!(code, 1, "a bad line makes the exit code 1");
    assert!(err.contains("line 2"), "stderr names the bad line: {err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "0012", "ids are echoed exactly");
    assert_eq!(lines[0]["verdict"], "disclosed");
    assert_eq!(lines[1]["verdict"], "undisclosed");
    assert_eq!(lines[2]["verdict"], "organic");
    let ev = &lines[0]["evidence"][0];
    assert_eq!(ev["text"], "#ad");
    assert_eq!(
        (ev["start"].as_u64(), ev["end"].as_u64()),
        (Some(0), Some(3))
    );
}

#[test]
fn audit_creators_report() {
    let (code, out, _) = run(&["audit", "--report", "creators", "--format", "csv"], INPUT);
    assert_eq!(code, 1);
    let rows: Vec<&str> = out.lines().collect();
    assert!(rows[0].starts_with("creator,seen"));
    assert!(rows.contains(&"alice,2,1,1,0,0,0,0.5,1"), "{out}");
}

#[test]
fn audit_reads_raw_tiktok_json_and_succeeds_on_good_input() {
    let item = include_str!(
        "fixtures/tiktok/tiktok_universal_data_video-detail_2026-09_isAd_true_trimmed.json"
    );
    let one_line: serde_json::Value = serde_json::from_str(item).unwrap();
    let (code, out, err) = run(&["audit", "--format", "table"], &format!("{one_line}\n"));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("disclosed"), "{out}");
}

#[test]
fn version_and_help() {
    let (code, out, _) = run(&["--version"], "");
    assert_eq!(code, 0);
    assert!(out.starts_with("deinfluencer "));
    let (code, out, _) = run(&["--help"], "");
    assert_eq!(code, 0);
    assert!(out.contains("audit") && out.contains("eval"));
}

#[test]
fn missing_file_is_a_clear_error() {
    let (code, _, err) = run(&["audit", "/nonexistent/posts.jsonl"], "");
    assert_eq!(code, 2);
    assert!(
        err.contains("cannot read /nonexistent/posts.jsonl"),
        "{err}"
    );
}

#[test]
fn eval_prints_metrics() {
    let dir = std::env::temp_dir().join(format!("deinfluencer-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("labelled.jsonl");
    std::fs::write(
        &path,
        concat!(
            r##"{"text": "#ad new", "label_commercial": true, "label_disclosed": true, "lang": "en"}"##,
            "\n",
            r##"{"text": "use code ANNA15 for 10% off", "label_commercial": true, "label_disclosed": false, "lang": "en"}"##,
            "\n",
            r##"{"text": "lovely day", "label_commercial": false, "label_disclosed": null, "lang": "en"}"##,
            "\n"
        ),
    )
    .unwrap();
    let (code, out, err) = run(&["eval", path.to_str().unwrap()], "");
    assert_eq!(code, 0, "{err}");
    let row = out
        .lines()
        .find(|l| l.starts_with("labelled.jsonl"))
        .expect("a row for the file");
    assert!(
        row.contains("1.000 1.000 1.000") && row.contains("2/0/0/1"),
        "{row}"
    );
}

#[test]
fn eval_shows_the_rows_where_detector_and_label_disagree() {
    let dir = std::env::temp_dir().join(format!("deinfluencer-eval-show-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("labelled.jsonl");
    std::fs::write(
        &path,
        concat!(
            r##"{"text": "#ad agreed disclosure", "label_commercial": true, "label_disclosed": true}"##,
            "\n",
            r##"{"text": "#sponsored uncoded disclosure", "label_commercial": true, "label_disclosed": false}"##,
            "\n",
            r##"{"text": "just a walk in the park", "label_commercial": true, "label_disclosed": false}"##,
            "\n",
            r##"{"text": "use code ANNA15 for 10% off", "label_commercial": false, "label_disclosed": null}"##,
            "\n"
        ),
    )
    .unwrap();
    let file = path.to_str().unwrap();
    let shown = |mode: &str| {
        let (code, out, err) = run(&["eval", "--show", mode, file], "");
        assert_eq!(code, 0, "{err}");
        out.lines()
            .filter(|l| l.starts_with("labelled.jsonl:"))
            .map(|l| l.split_once(' ').map_or(l, |(at, _)| at).to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(shown("disclosure-errors"), ["labelled.jsonl:2"]);
    assert_eq!(shown("missed"), ["labelled.jsonl:3"]);
    assert_eq!(shown("false-flags"), ["labelled.jsonl:4"]);
}

/// `deinfluencer audit big.jsonl | head -1`: the reader goes away; the CLI says so and stops, without
/// a panic.
#[test]
fn a_closed_output_pipe_is_reported_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("deinfluencer-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("many.jsonl");
    let line = r##"{"id": "1", "creator": "a", "text": "use code ANNA15 for 10% off", "label_commercial": true}"##;
    std::fs::write(&path, format!("{line}\n").repeat(20_000)).unwrap();
    let file = path.to_str().unwrap();
    for args in [
        vec!["audit", file],
        vec!["eval", "--show", "flagged", "--limit", "100000", file],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deinfluencer"))
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("binary runs");
        let mut first = [0u8; 16];
        std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("cannot write output"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
