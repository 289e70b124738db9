//! The wasm32 build of the engine, run in Node by `wasm-bindgen-test-runner`
//! (`cargo test --target wasm32-unknown-unknown --test wasm`): the same verdicts as natively, through
//! the JavaScript API the extension calls.
#![cfg(target_arch = "wasm32")]

use deinfluencer::wasm_api;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn verdicts(value: JsValue) -> serde_json::Value {
    let json = js_sys::JSON::stringify(&value)
        .expect("serialisable")
        .as_string()
        .expect("a string");
    serde_json::from_str(&json).expect("valid JSON")
}

#[wasm_bindgen_test]
fn engine_builds_and_describes_itself() {
    let d = wasm_api::engine_version()
        .map_err(JsValue::from)
        .expect("engine builds in wasm");
    assert!(d.contains("16 languages"), "{d}");
}

#[wasm_bindgen_test]
fn classifies_a_batch() {
    let posts = js_sys::JSON::parse(
        r##"[{"id":"1","creator":{"handle":"a"},"caption":"#ad new serum"},
             {"id":"2","creator":{"handle":"b"},"caption":"Bấm vào giỏ hàng vàng để mua nha"},
             {"id":"3","caption":"Giấc mơ của chúng ta"}]"##,
    )
    .expect("valid JSON");
    let out = verdicts(
        wasm_api::classify_posts(posts, Some("vi".into()))
            .map_err(JsValue::from)
            .expect("classifies"),
    );
    let got: Vec<&str> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["disclosed", "undisclosed", "organic"]);
    assert!(
        out[1]["evidence"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("mua")
    );
}

#[wasm_bindgen_test]
fn bad_input_is_an_error_not_a_panic() {
    assert!(wasm_api::classify_posts(JsValue::from_str("nope"), None).is_err());
    assert!(wasm_api::scan_tiktok_json("{broken", None).is_err());
}

#[wasm_bindgen_test]
fn scans_tiktok_json() {
    let json = include_str!(
        "fixtures/tiktok/tiktok_universal_data_video-detail_2026-09_isAd_true_trimmed.json"
    );
    let out = verdicts(
        wasm_api::scan_tiktok_json(json, None)
            .map_err(JsValue::from)
            .expect("reads"),
    );
    assert_eq!(out[0]["verdict"], "disclosed");
}

#[wasm_bindgen_test]
fn page_rules_and_cards() {
    let rules = verdicts(
        wasm_api::tiktok_page_rules()
            .map_err(JsValue::from)
            .expect("rules"),
    );
    assert!(rules["page_types"].as_array().unwrap().len() >= 7);
    let cards = js_sys::JSON::parse(
        r##"[{"id":"9","handle":"shop_a","caption":"Mẫu mới","label_texts":["Paid partnership"]},
             {"id":"10","caption":"hello","post":{"id":"10","creator":{"handle":"b"},"caption":"use code ANNA15 for 10% off"}}]"##,
    )
    .unwrap();
    let out = verdicts(
        wasm_api::classify_cards(cards, None)
            .map_err(JsValue::from)
            .expect("classifies"),
    );
    assert_eq!(out[0]["verdict"], "disclosed");
    assert_eq!(out[1]["verdict"], "undisclosed");
    assert_eq!(out[1]["creator"], "b");
}

#[wasm_bindgen_test]
fn ledger_in_wasm() {
    let mut ledger = wasm_api::Ledger::new(Some(10));
    let batch = js_sys::JSON::parse(
        r##"[{"id":"1","creator":"a","verdict":"undisclosed","commercial":true,"self_promo":false,"score":0.8,"evidence":[{"signal":"shop_cta"}]},
             {"id":"1","creator":"a","verdict":"undisclosed"},
             {"id":"","creator":"a","verdict":"organic"}]"##,
    )
    .unwrap();
    let outcomes = verdicts(
        ledger
            .record_verdicts(batch, 1000.0)
            .map_err(JsValue::from)
            .unwrap(),
    );
    assert_eq!(outcomes[0], "new");
    assert_eq!(outcomes[1], "seen_again");
    assert!(outcomes[2].as_str().unwrap().contains("invalid"));
    ledger
        .correct("1", Some("not_an_ad".into()))
        .map_err(JsValue::from)
        .unwrap();
    let c = verdicts(ledger.creator("@a").map_err(JsValue::from).unwrap());
    assert_eq!(c["organic"], 1);
    assert!(ledger.correct("1", Some("bogus".into())).is_err());
    let json = ledger.to_json();
    let back = wasm_api::Ledger::load(&json)
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(back.size(), 1);
    assert!(wasm_api::Ledger::load("{damaged").is_err());
}
