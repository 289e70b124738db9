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
    let mut items = wasm_api::TikTokItems::new(10);
    assert!(items.add_json("{broken", None).is_err());
    assert!(
        wasm_api::TikTokItems::new(10)
            .judge_cards(JsValue::from_str("nope"), None)
            .is_err()
    );
}

#[wasm_bindgen_test]
fn scans_tiktok_json() {
    let json = include_str!(
        "fixtures/tiktok/tiktok_universal_data_video-detail_2026-09_isAd_true_trimmed.json"
    );
    let mut items = wasm_api::TikTokItems::new(10);
    let out = items
        .add_json(json, None)
        .map_err(JsValue::from)
        .expect("reads");
    let verdicts_of = verdicts(out.get(0));
    assert_eq!(verdicts_of[0]["verdict"], "disclosed");
    let needs = js_sys::Uint8Array::new(&out.get(1)).to_vec();
    assert_eq!(needs.len(), verdicts_of.as_array().unwrap().len());
}

/// The kept items: a card joins its item by id (the post never crosses into JavaScript), a pill is
/// added to it, the oldest item goes first, and an item added again counts as new.
#[wasm_bindgen_test]
fn kept_items_join_their_cards() {
    let item = |id: &str, desc: &str| {
        format!(
            r#"{{"id":"{id}","desc":"{desc}","author":{{"uniqueId":"u{id}","nickname":"N"}},"challenges":[{{"title":"x"}}]}}"#
        )
    };
    let mut items = wasm_api::TikTokItems::new(2);
    let first = items
        .add_json(
            &format!(
                r#"{{"itemList":[{},{}]}}"#,
                item("1", "use code ANNA15 for 10% off"),
                item("2", "a walk in the park")
            ),
            None,
        )
        .map_err(JsValue::from)
        .expect("reads");
    let alone = verdicts(first.get(0));
    assert_eq!(alone[0]["verdict"], "undisclosed");
    assert_eq!(alone[1]["verdict"], "organic");
    // Handle, display name, caption and hashtags are all in the items: no DOM field is needed.
    assert_eq!(js_sys::Uint8Array::new(&first.get(1)).to_vec(), [0, 0]);

    let judge = |items: &wasm_api::TikTokItems, cards: &str| {
        verdicts(
            items
                .judge_cards(js_sys::JSON::parse(cards).unwrap(), None)
                .map_err(JsValue::from)
                .expect("judges"),
        )
    };
    let out = judge(
        &items,
        r#"[{"id":"1","label_texts":[]},{"id":"2","label_texts":["Paid partnership"]},{"id":"3","caption":"hello"}]"#,
    );
    // The item's own verdict, the item plus its pill, and a card without an item (from its DOM).
    assert_eq!(out[0], alone[0]);
    assert_eq!(out[0]["creator"], "u1");
    assert_eq!(out[1]["verdict"], "disclosed");
    assert_eq!(out[2]["verdict"], "organic");
    assert_eq!(out[2]["creator"], "");

    // Item 1 added again is the newest: adding item 3 drops item 2, the oldest.
    items
        .add_json(
            &format!(
                r#"{{"itemList":[{}]}}"#,
                item("1", "use code ANNA15 for 10% off")
            ),
            None,
        )
        .map_err(JsValue::from)
        .expect("reads");
    items
        .add_json(&format!(r#"{{"itemList":[{}]}}"#, item("3", "hello")), None)
        .map_err(JsValue::from)
        .expect("reads");
    let out = judge(&items, r#"[{"id":"1"},{"id":"2"},{"id":"3"}]"#);
    assert_eq!(out[0]["creator"], "u1");
    assert_eq!(out[1]["creator"], "", "item 2 was dropped");
    assert_eq!(out[2]["creator"], "u3");
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
