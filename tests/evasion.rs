//! The evasion suite: clear disclosures in every lexicon language, disguised the ways creators and
//! spam tools disguise them (zero-width characters, look-alike letters, fullwidth forms, spacing, dots,
//! emoji between letters, missing diacritics, upper case), buried after a wall of hashtags or in a
//! comment-like tail, and negated. Each case states the verdict a careful reader would give. The share
//! caught is printed; the test fails below the floor, so a regression cannot slip through.
#![cfg(not(target_arch = "wasm32"))]

use deinfluencer::{Creator, Engine, Lang, Post, VerdictKind};

/// A clear disclosure per language, as a hashtag or a short sentence, plus a commercial cue in that
/// language so that hiding the disclosure leaves a visibly commercial post.
const BASES: &[(&str, &str, &str)] = &[
    ("en", "#ad", "use code ANNA15 for 15% off"),
    ("en", "#sponsored", "link in bio"),
    ("en", "paid partnership", "shop now"),
    ("id", "#iklan", "cek keranjang kuning ya"),
    ("id", "paid promote", "kode promo HEMAT20"),
    ("vi", "#quangcao", "bấm vào giỏ hàng vàng nha"),
    ("vi", "#quảngcáo", "nhập mã GIAM20 nha"),
    ("ms", "#iklan", "kod promo JIMAT10"),
    ("tl", "#ad", "yellow basket"),
    ("th", "#โฆษณา", "กดตะกร้าเหลือง"),
    ("es", "#publicidad", "usa mi código ANA10"),
    ("pt", "#publi", "cupom ANA10"),
    ("de", "#werbung", "rabattcode ANNA10"),
    ("fr", "#publicité", "code promo ANNA10"),
    ("it", "#pubblicità", "codice sconto ANNA10"),
    ("nl", "#reclame", "kortingscode ANNA10"),
    ("tr", "#reklam", "indirim kodu ANNA10"),
    ("ja", "#PR", "クーポンコード ANNA10"),
    ("ko", "#광고", "할인코드 ANNA10"),
    ("zh", "#广告", "优惠码 ANNA10"),
];

/// Insert `sep` between the characters of the marker's word (after any `#`).
fn interleave(marker: &str, sep: &str) -> String {
    let (hash, word) = marker
        .strip_prefix('#')
        .map(|w| ("#", w))
        .unwrap_or(("", marker));
    let chars: Vec<String> = word.chars().map(|c| c.to_string()).collect();
    format!("{hash}{}", chars.join(sep))
}

fn homoglyphs(marker: &str) -> String {
    marker
        .chars()
        .map(|c| match c {
            'a' => 'а', // Cyrillic
            'e' => 'е',
            'o' => 'о',
            'p' => 'р',
            'c' => 'с',
            'i' => 'і',
            _ => c,
        })
        .collect()
}

fn fullwidth(marker: &str) -> String {
    marker
        .chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn strip_diacritics(marker: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    marker
        .nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

fn is_latin(marker: &str) -> bool {
    marker.chars().all(|c| {
        c.is_ascii()
            || ('\u{00C0}'..='\u{024F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
    })
}

struct Case {
    lang: &'static str,
    name: String,
    caption: String,
    expected: VerdictKind,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let wall: String = (0..30).map(|i| format!("#tag{i} ")).collect();
    for &(lang, marker, cue) in BASES {
        let mut disguises: Vec<(&str, String)> = vec![
            ("plain", marker.to_string()),
            ("upper", marker.to_uppercase()),
            ("zero-width space", interleave(marker, "\u{200B}")),
            ("zero-width joiner", interleave(marker, "\u{200D}")),
            ("bidi marks", interleave(marker, "\u{200E}")),
            ("soft hyphen", interleave(marker, "\u{00AD}")),
        ];
        if is_latin(marker) {
            disguises.push(("cyrillic look-alikes", homoglyphs(marker)));
            disguises.push(("fullwidth", fullwidth(marker)));
            disguises.push(("without diacritics", strip_diacritics(marker)));
            if !marker.contains(' ') {
                disguises.push(("spaced", interleave(marker, " ")));
                disguises.push(("dotted", interleave(marker, ".")));
                disguises.push(("emoji between letters", interleave(marker, "🔥")));
            }
        }
        for (name, disguised) in disguises {
            out.push(Case {
                lang,
                name: format!("{name} up front"),
                caption: format!("{disguised} {cue}"),
                expected: VerdictKind::Disclosed,
            });
        }
        out.push(Case {
            lang,
            name: "after 30 hashtags".into(),
            caption: format!("{cue} {wall}{marker}"),
            expected: VerdictKind::Unclear,
        });
        out.push(Case {
            lang,
            name: "in a comment-like tail".into(),
            caption: format!("{cue}\n.\n.\n.\n.\n.\n{marker}"),
            expected: VerdictKind::Unclear,
        });
        out.push(Case {
            lang,
            name: "no disclosure".into(),
            caption: cue.to_string(),
            expected: VerdictKind::Undisclosed,
        });
    }
    // Negations: a denial is not a disclosure, and with nothing else the post stays organic.
    for (lang, text) in [
        ("en", "not sponsored, just love it"),
        ("en", "This is not an ad"),
        ("id", "bukan endorse ya"),
        ("vi", "không phải quảng cáo đâu nha"),
        ("vi", "khong phai quang cao dau nha"),
        ("de", "unbezahlte Werbung"),
        ("fr", "pas sponsorisé"),
        ("es", "no es publicidad"),
    ] {
        out.push(Case {
            lang,
            name: "negation alone".into(),
            caption: text.to_string(),
            expected: VerdictKind::Organic,
        });
    }
    for (lang, text) in [
        ("en", "not sponsored! use code ANNA15 for 15% off"),
        ("vi", "không phải quảng cáo, bấm vào giỏ hàng vàng nha"),
        ("id", "bukan endorse, cek keranjang kuning ya"),
    ] {
        out.push(Case {
            lang,
            name: "negation with a sales cue".into(),
            caption: text.to_string(),
            expected: VerdictKind::Undisclosed,
        });
    }
    // Harder disguises seen in the wild: leetspeak, separators inside the hashtag, a bare "Ad:" prefix.
    for (lang, text, expected) in [
        (
            "en",
            "#sp0ns0red use code ANNA15 for 15% off",
            VerdictKind::Disclosed,
        ),
        (
            "en",
            "#a_d use code ANNA15 for 15% off",
            VerdictKind::Disclosed,
        ),
        (
            "en",
            "#a🔥d use code ANNA15 for 15% off",
            VerdictKind::Disclosed,
        ),
        (
            "en",
            "Ad: my new serum, use code ANNA15",
            VerdictKind::Disclosed,
        ),
        (
            "en",
            "AD | morning routine, link in bio",
            VerdictKind::Disclosed,
        ),
        (
            "vi",
            "#q.c bấm vào giỏ hàng vàng nha",
            VerdictKind::Disclosed,
        ),
        (
            "id",
            "#i k l a n cek keranjang kuning ya",
            VerdictKind::Disclosed,
        ),
    ] {
        out.push(Case {
            lang,
            name: "hard disguise".into(),
            caption: text.to_string(),
            expected,
        });
    }
    // Look-alike words that are not disclosures.
    for (lang, text) in [
        ("en", "#adventure time with my dog"),
        ("en", "my #dad made dinner"),
        ("vi", "ad ơi cho em hỏi với"),
        ("en", "ad blocker tips for your browser"),
        ("vi", "hàng giống ảnh quảng cáo, giao nhanh"),
    ] {
        out.push(Case {
            lang,
            name: "look-alike, not a disclosure".into(),
            caption: text.to_string(),
            expected: VerdictKind::Organic,
        });
    }
    out
}

#[test]
fn evasion_suite() {
    let engine = Engine::new().expect("builtin lexicons are valid");
    let all = cases();
    assert!(all.len() >= 200, "the suite has {} cases", all.len());
    let mut misses = Vec::new();
    for c in &all {
        let post = Post {
            id: "1".into(),
            creator: Creator {
                handle: "someone".into(),
                ..Creator::default()
            },
            caption: c.caption.clone(),
            ..Post::default()
        };
        let v = engine.judge(&post, Lang::En);
        if v.verdict != c.expected {
            misses.push(format!(
                "[{}] {}: {:?} expected {:?}, got {:?}",
                c.lang, c.name, c.caption, c.expected, v.verdict
            ));
        }
    }
    let caught = all.len() - misses.len();
    let share = caught as f64 / all.len() as f64;
    println!(
        "evasion suite: {caught}/{} caught ({:.1} %)",
        all.len(),
        100.0 * share
    );
    for m in &misses {
        println!("  miss {m}");
    }
    assert!(
        share >= 0.95,
        "only {:.1} % caught:\n{}",
        100.0 * share,
        misses.join("\n")
    );
}
