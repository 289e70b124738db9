//! Generates the character folding table (`fold_exceptions.rs`) from the Unicode normalisation rules,
//! so the shipped wasm carries a small table instead of the full NFKC/NFD tables (~60 KB gzip saved).

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
}
