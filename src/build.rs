//! Generates the character folding table (`fold_exceptions.rs`) from the Unicode normalisation rules,
//! so the shipped wasm carries a small table instead of the full NFKC/NFD tables (~60 KB gzip saved),
//! and the embedded copies of the lexicon files without their `note` prose, citations and whitespace
//! (the files in `src/lexicons/` stay the readable source; ~12 KB gzip saved), and of the TikTok page
//! rules (`src/platform/tiktok_page.json`) likewise.

use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

#[path = "fold_rules.rs"]
#[allow(dead_code)]
mod fold_rules;

use fold_rules::{confusable, is_invisible};

/// The reference folding of one character: NFKC, lower case, Latin diacritics removed, look-alikes mapped.
fn reference(c: char, out: &mut String) {
    if is_invisible(c) {
        return;
    }
    for k in std::iter::once(c).nfkc() {
        for l in k.to_lowercase() {
            match l {
                'ß' => out.push_str("ss"),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                _ => {
                    if let Some(m) = confusable(l) {
                        out.push(m);
                        continue;
                    }
                    let mut parts = std::iter::once(l).nfd();
                    match parts.next() {
                        Some(base) if base.is_ascii() => out.push(base),
                        _ if is_latin_combining(l) => {}
                        _ => out.push(l),
                    }
                }
            }
        }
    }
}

/// Combining diacritical marks that float on Latin letters (typed separately, e.g. `e` + U+0301).
fn is_latin_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// What the run-time fallback produces without the table: lower case and look-alikes only.
fn plain(c: char, out: &mut String) {
    if is_invisible(c) {
        return;
    }
    for l in c.to_lowercase() {
        out.push(confusable(l).unwrap_or(l));
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src/build.rs");
    println!("cargo:rerun-if-changed=src/fold_rules.rs");
    let mut table = String::from(
        "/// (code point, folded text), sorted by code point.\nstatic FOLD_EXCEPTIONS: &[(u32, &str)] = &[\n",
    );
    let (mut r, mut p) = (String::new(), String::new());
    for cp in 0..=0x10FFFFu32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        r.clear();
        p.clear();
        reference(c, &mut r);
        plain(c, &mut p);
        if r != p && (cp < 0x2100 || r.is_ascii()) {
            let _ = writeln!(table, "    ({cp:#x}, {r:?}),");
        }
    }
    table.push_str("];\n");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("fold_exceptions.rs"), table).expect("OUT_DIR is writable");
    embed_lexicons(&out);
    embed_page_rules(&out);
}

/// Writes `OUT_DIR/lexicons/…`: every lexicon file minified, without `note` keys and with its
/// `sources` summarised (both are for people editing the files; the engine never reads them). A file that is not JSON is copied as it
/// is, so the engine's own validation reports it with its name, as it would the original.
fn embed_lexicons(out: &std::path::Path) {
    println!("cargo:rerun-if-changed=src/lexicons");
    let src = std::path::Path::new("src/lexicons");
    for dir in ["", "lang"] {
        let from = src.join(dir);
        let to = out.join("lexicons").join(dir);
        std::fs::create_dir_all(&to).expect("OUT_DIR is writable");
        let entries = std::fs::read_dir(&from).expect("src/lexicons is readable");
        for entry in entries {
            let path = entry.expect("src/lexicons is readable").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path).expect("lexicon files are UTF-8");
            let embedded = for_embedding(text);
            let name = path.file_name().expect("a file name");
            std::fs::write(to.join(name), embedded).expect("OUT_DIR is writable");
        }
    }
}

/// Writes `OUT_DIR/tiktok_page.json`: the TikTok page rules minified and without their `note` prose,
/// as the lexicons (the page rules are data for people to edit too; neither the engine nor the content
/// script reads the notes). Text that is not JSON is copied as it is, so the engine's parse reports it.
fn embed_page_rules(out: &std::path::Path) {
    let path = std::path::Path::new("src/platform/tiktok_page.json");
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).expect("src/platform/tiktok_page.json is UTF-8");
    std::fs::write(out.join("tiktok_page.json"), for_embedding(text)).expect("OUT_DIR is writable");
}

/// A data file as it is embedded: minified, without `note` keys, its `sources` summarised. Text that
/// is not JSON stays as it is, so the engine's own parse reports it with the file's name.
fn for_embedding(text: String) -> String {
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(mut value) => {
            drop_notes(&mut value);
            shorten_sources(&mut value);
            value.to_string()
        }
        Err(_) => text,
    }
}

/// A file's `sources` list (citations for people) becomes one line saying how many there are. An
/// empty list stays empty, so the engine's check that every file cites its sources still fails.
fn shorten_sources(value: &mut serde_json::Value) {
    if let Some(serde_json::Value::Array(sources)) = value.get_mut("sources")
        && !sources.is_empty()
    {
        let summary = format!(
            "{} sources, listed in the file in src/lexicons/",
            sources.len()
        );
        *sources = vec![serde_json::Value::String(summary)];
    }
}

fn drop_notes(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("note");
            map.values_mut().for_each(drop_notes);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_notes),
        _ => {}
    }
}
