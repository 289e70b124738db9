#![cfg(not(target_arch = "wasm32"))]
//! Property tests: for any input the core never panics, evidence always points inside the text it
//! quotes, normalisation is idempotent, and adding a clear disclosure up front never leaves a post
//! undisclosed.

use deinfluencer::normalize::fold;
use deinfluencer::signals::Field;
use deinfluencer::{Creator, Engine, Lang, Post, VerdictKind};
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new().expect("builtin lexicons are valid"))
}

/// Text mixing the things evaders and real captions use: markers, hashtags, look-alikes, zero-width
/// characters, diacritics, emoji, URLs and arbitrary Unicode.
fn captionish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("#ad".to_string()),
        Just("# a d".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{202E}".to_string()),
        Just("ѕроnѕоrеd".to_string()),
        Just("quảng cáo".to_string()),
        Just("không phải quảng cáo".to_string()),
        Just("cek keranjang kuning".to_string()),
        Just("use code MAI20".to_string()),
        Just("https://amzn.to/x?tag=abc-20".to_string()),
        Just("#vinamilkpartner".to_string()),
        Just("@shopee_vn".to_string()),
        Just("🔥".to_string()),
        Just("\n".to_string()),
        Just("#".to_string()),
        Just("@".to_string()),
        "[a-zA-Z ]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(pieces, 0..12).prop_map(|v| v.join(" "))
}

fn post(caption: String, hashtags: Vec<String>, handle: String) -> Post {
    Post {
        id: "1".into(),
        creator: Creator {
            handle,
            display_name: Some("Shop Official".into()),
            ..Creator::default()
        },
        caption,
        hashtags,
        music_title: Some("nhạc nền - Shop".into()),
        ..Post::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn evidence_points_inside_its_field(caption in captionish(), tags in prop::collection::vec(captionish(), 0..3), handle in captionish()) {
        let p = post(caption, tags, handle);
        let v = engine().judge(&p, Lang::Vi);
        prop_assert!((0.0..=1.0).contains(&v.score));
        for e in &v.evidence {
            prop_assert!(e.start <= e.end);
            let field_text: Option<&str> = match e.field {
                Field::Caption => Some(&p.caption),
                Field::Handle => Some(&p.creator.handle),
                Field::DisplayName => p.creator.display_name.as_deref(),
                Field::Music => p.music_title.as_deref(),
                Field::Hashtag => p.hashtags.iter().map(|h| h.trim_start_matches(['#', '＃'])).find(|h| h.get(e.start..e.end) == Some(e.text.as_str())),
                _ => None,
            };
            if let Some(t) = field_text {
                prop_assert_eq!(t.get(e.start..e.end), Some(e.text.as_str()), "evidence {:?}", e);
            }
        }
    }

    #[test]
    fn normalisation_is_idempotent(s in captionish()) {
        let once = fold(&s).text;
        let twice = fold(&once).text;
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn folded_offsets_are_char_boundaries(s in captionish()) {
        let f = fold(&s);
        for i in 0..=f.text.len() {
            let (a, b) = f.original_range(i, (i + 1).min(f.text.len()));
            prop_assert!(s.is_char_boundary(a) && s.is_char_boundary(b) && a <= b && b <= s.len());
        }
    }

    #[test]
    fn a_clear_disclosure_up_front_discloses(caption in captionish()) {
        let p = post(format!("#ad {caption}"), vec![], "someone".into());
        let v = engine().judge(&p, Lang::En);
        prop_assert_eq!(v.verdict, VerdictKind::Disclosed);
    }
}

#[test]
fn huge_and_hostile_captions_are_judged_without_panic() {
    let huge = "mua ngay #ad ".repeat(1_000_000); // ~13 MB
    let v = engine().judge(&post(huge, vec![], "x".into()), Lang::En);
    assert_eq!(v.verdict, VerdictKind::Disclosed);
    let spaced = "a ".repeat(500_000);
    let v = engine().judge(&post(spaced, vec![], "x".into()), Lang::En);
    assert_eq!(v.verdict, VerdictKind::Organic);
    let zw = "\u{200B}".repeat(100_000);
    engine().judge(
        &post(
            zw,
            vec!["\u{200B}".into(), "".into(), "#".into()],
            "".into(),
        ),
        Lang::En,
    );
}
