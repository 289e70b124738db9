//! Integration tests for the TikTok reader (`src/platform/tiktok.rs`).
//!
//! Fixtures live in `tests/fixtures/tiktok/` (see its SOURCES.md): pseudonymised real samples
//! (`tiktok_*`) and hand-written shapes that have no public sample (`synthetic_*`).

use std::path::PathBuf;

use deinfluencer::platform::tiktok::{
    self, MAX_INPUT_BYTES, ReadError, post_from_item, posts_from_html, posts_from_json,
    posts_from_value,
};
use deinfluencer::{LabelKind, Platform, Post};
use serde_json::{Value, json};

// ----- helpers ---------------------------------------------------------------------------------

fn fixture(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "tiktok",
        name,
    ]
    .iter()
    .collect();
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

const JP: &str = "tiktok_item_2022-11_JP_ambassador_hashtags_no_label.json";
const TW: &str = "tiktok_item_2022-11_TW_plain.json";
const US_2021: &str = "tiktok_itemstruct_2021-12_readme_example.json";
const KR_LIST: &str = "tiktok_api_trending_itemList_2024-12_KR_abridged.json";
const SIGI_ITEM: &str = "tiktok_sigi_itemmodule_2022-12_mentions_trimmed.json";
const UNIVERSAL_2026: &str = "tiktok_universal_data_video-detail_2026-09_isAd_true_trimmed.json";
const PAGE_2026: &str = "tiktok_video_page_2026-09_isAd_true_trimmed.html";

fn read_json(name: &str) -> Vec<Post> {
    posts_from_json(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn only_post(name: &str) -> Post {
    let mut posts = read_json(name);
    assert_eq!(posts.len(), 1, "{name}: {posts:#?}");
    posts.remove(0)
}

/// Labels as (kind, detail) pairs, easy to compare.
fn labels(post: &Post) -> Vec<(LabelKind, String)> {
    post.labels
        .iter()
        .map(|l| (l.kind, l.detail.clone().unwrap_or_default()))
        .collect()
}

fn ids(posts: &[Post]) -> Vec<&str> {
    posts.iter().map(|p| p.id.as_str()).collect()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

// ----- real samples ----------------------------------------------------------------------------

#[test]
fn jp_ambassador_item_has_hashtags_and_no_labels() {
    let post = only_post(JP);
    assert_eq!(post.platform, Platform::Tiktok);
    assert_eq!(post.id, "7166174024223952130");
    assert_eq!(post.creator.handle, "creator_jp_1");
    assert_eq!(
        post.creator.display_name.as_deref(),
        Some("クリエイター🥑CreatorJP")
    );
    assert_eq!(post.creator.id.as_deref(), Some("7000000000000000002"));
    assert_eq!(
        post.creator.bio.as_deref(),
        Some("🆕Check out the CreatorJP store😊👍\n🔻Merch/Socials/E-mail🔻")
    );
    assert_eq!(
        post.caption,
        "#ビアボールやってみた #ビアボーラーズ #ビアボールアンバサダー #ビアボール #炭酸で作る自由なビール"
    );
    assert_eq!(
        post.hashtags,
        strings(&[
            "ビアボールやってみた",
            "ビアボーラーズ",
            "ビアボールアンバサダー",
            "ビアボール",
            "炭酸で作る自由なビール",
        ])
    );
    assert!(
        post.hashtags
            .contains(&"ビアボールアンバサダー".to_string())
    );
    assert!(post.mentions.is_empty());
    // isAd:false, adAuthorization:false, adLabelVersion:0 → nothing.
    assert!(post.labels.is_empty(), "{:?}", post.labels);
    assert!(!post.has_platform_disclosure());
    assert_eq!(post.music_title.as_deref(), Some("ビアボールのうた"));
    assert_eq!(post.language, None);
    assert!(post.stickers.is_empty());
    assert!(post.links.is_empty());
}

#[test]
fn tw_plain_item_is_a_bare_caption() {
    let post = only_post(TW);
    assert_eq!(post.id, "7165346556386839834");
    assert_eq!(post.creator.handle, "creator_tw_1");
    assert_eq!(post.creator.display_name.as_deref(), Some("創作者（一號"));
    assert_eq!(post.caption, "口罩還是戴著好了👌🫠");
    assert!(post.hashtags.is_empty());
    assert!(post.mentions.is_empty());
    assert!(post.labels.is_empty());
    assert_eq!(
        post.music_title.as_deref(),
        Some("original sound - 創作者（一號")
    );
}

#[test]
fn item_struct_2021_old_shape_without_ad_keys() {
    let post = only_post(US_2021);
    assert_eq!(post.id, "7039426841836293382");
    assert_eq!(post.creator.handle, "creator_us_1");
    assert_eq!(post.creator.display_name.as_deref(), Some("Creator US"));
    assert_eq!(
        post.creator.bio.as_deref(),
        Some("🇺🇸🇲🇽 💪: gymnast\nBusiness inquiries: manager@example.com")
    );
    assert_eq!(post.caption, "#fyp #foryoupage");
    assert_eq!(post.hashtags, strings(&["fyp", "foryoupage"]));
    // No adAuthorization key at all (2021), isAd false, ttSeller null.
    assert!(post.labels.is_empty());
    assert_eq!(post.music_title.as_deref(), Some("som original"));
}

#[test]
fn kr_trending_list_reads_every_item() {
    let posts = read_json(KR_LIST);
    assert_eq!(ids(&posts), ["7444705554666130708"]);
    let post = &posts[0];
    assert_eq!(post.creator.handle, "creator_kr_1");
    assert_eq!(post.creator.display_name.as_deref(), Some("크리에이터"));
    assert_eq!(post.creator.id.as_deref(), Some("7000000000000000001"));
    assert_eq!(
        post.creator.bio.as_deref(),
        Some("감동, 재미 사연 올려드려요")
    );
    // `desc` is complete here (contents only add line breaks), so it stays the caption.
    assert_eq!(post.caption, "귀여워 #4살딸 #귀여워");
    // The same tags from textExtra, contents[].textExtra and challenges, counted once.
    assert_eq!(post.hashtags, strings(&["4살딸", "귀여워"]));
    assert_eq!(post.language.as_deref(), Some("ko"));
    assert_eq!(
        post.music_title.as_deref(),
        Some("오리지널 사운드 - 크리에이터")
    );
    assert!(post.labels.is_empty());
}

#[test]
fn kr_item_with_empty_desc_takes_its_caption_from_contents() {
    let mut value: Value = serde_json::from_str(&fixture(KR_LIST)).unwrap();
    value["itemList"][0]["desc"] = json!("");
    let posts = posts_from_value(&value);
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].caption, "귀여워\n\n#4살딸\n#귀여워");
    assert_eq!(posts[0].hashtags, strings(&["4살딸", "귀여워"]));

    // A truncated desc (ellipsis) is replaced by the contents as well.
    value["itemList"][0]["desc"] = json!("귀여워 #4살…");
    let posts = posts_from_value(&value);
    assert_eq!(posts[0].caption, "귀여워\n\n#4살딸\n#귀여워");
}

#[test]
fn sigi_item_module_entry_with_string_author_and_mentions() {
    let post = only_post(SIGI_ITEM);
    assert_eq!(post.id, "7171782248281165058");
    assert_eq!(post.creator.handle, "creator_kg_1");
    assert_eq!(
        post.creator.display_name.as_deref(),
        Some("Creator KG • sigma")
    );
    assert_eq!(post.creator.id.as_deref(), Some("7000000000000000005"));
    assert_eq!(post.creator.bio, None);
    // The "…" is mid-caption and there are no contents: the caption is desc as is.
    assert_eq!(
        post.caption,
        "Sigma must respect everyone… @friend_1 @friend2 "
    );
    assert_eq!(post.mentions, strings(&["friend_1", "friend2"]));
    assert!(post.hashtags.is_empty());
    assert!(post.labels.is_empty());
    assert_eq!(post.music_title.as_deref(), Some("оригинальный звук"));
}

fn check_2026_post(post: &Post) {
    assert_eq!(post.id, "7461529726461447432");
    assert_eq!(post.creator.handle, "brand_account_1");
    assert_eq!(post.creator.display_name.as_deref(), Some("עסק לדוגמה"));
    assert_eq!(post.creator.id.as_deref(), Some("7000000000000000008"));
    assert_eq!(
        post.caption,
        "ואיך אתם שולחים הצעות מחיר ללקוחות שלכם? #בעליעסקים #הצעתמחיר #עסקים "
    );
    assert_eq!(post.hashtags, strings(&["בעליעסקים", "הצעתמחיר", "עסקים"]));
    // isAd:true, and no adAuthorization / adLabelVersion / brandOrganicType / isECVideo keys.
    assert_eq!(labels(post), [(LabelKind::Ad, "isAd".to_string())]);
    assert!(post.has_platform_disclosure());
    assert_eq!(post.language.as_deref(), Some("he"));
    assert_eq!(post.music_title.as_deref(), Some("original sound"));
}

#[test]
fn universal_data_2026_video_detail_is_an_ad() {
    let post = only_post(UNIVERSAL_2026);
    check_2026_post(&post);
}

#[test]
fn html_page_with_escaped_universal_data() {
    let html = fixture(PAGE_2026);
    assert!(
        html.contains("\\u002F"),
        "the fixture must keep TikTok's escaping"
    );
    let posts = posts_from_html(&html).unwrap();
    assert_eq!(posts.len(), 1);
    check_2026_post(&posts[0]);
    // Same result as reading the blob on its own.
    assert_eq!(posts, read_json(UNIVERSAL_2026));
}

#[test]
fn api_wrappers_around_real_items() {
    let jp = fixture(JP);
    let tw = fixture(TW);
    let kr: Value = serde_json::from_str(&fixture(KR_LIST)).unwrap();
    let kr_item = kr["itemList"][0].to_string();

    // /api/item/detail/
    let detail = format!(r#"{{"itemInfo":{{"itemStruct":{jp}}},"statusCode":0}}"#);
    assert_eq!(
        ids(&posts_from_json(&detail).unwrap()),
        ["7166174024223952130"]
    );

    // /api/post/item_list/ (array order is document order; the duplicate is merged)
    let list = format!(r#"{{"itemList":[{tw},{kr_item},{jp},{tw}],"cursor":"0","hasMore":false}}"#);
    assert_eq!(
        ids(&posts_from_json(&list).unwrap()),
        [
            "7165346556386839834",
            "7444705554666130708",
            "7166174024223952130"
        ]
    );

    // A bare array of items, and {items:[...]}.
    let bare = format!("[{jp},{tw}]");
    assert_eq!(posts_from_json(&bare).unwrap().len(), 2);
    let items = format!(r#"{{"items":[{jp}]}}"#);
    assert_eq!(posts_from_json(&items).unwrap().len(), 1);

    // post_from_item on the item itself, and on things that are not items.
    let value: Value = serde_json::from_str(&jp).unwrap();
    assert_eq!(post_from_item(&value).unwrap().id, "7166174024223952130");
    assert!(post_from_item(&json!({"itemInfo": {"itemStruct": value}})).is_none());
    assert!(post_from_item(&json!({"id": "1", "desc": "x"})).is_none());
    assert!(post_from_item(&json!({"id": "1", "author": "x"})).is_none());
    assert!(post_from_item(&json!({"id": "", "desc": "x", "author": "x"})).is_none());
    assert!(post_from_item(&json!({"id": 1.5, "desc": "x", "author": "x"})).is_none());
    assert!(post_from_item(&json!({"id": "1", "desc": 3, "author": "x"})).is_none());
    assert!(post_from_item(&json!({"id": "1", "desc": "x", "author": 7})).is_none());
    assert!(post_from_item(&json!("item")).is_none());
}

// ----- synthetic shapes ------------------------------------------------------------------------

#[test]
fn promotional_shop_item_with_nested_product_anchor() {
    let post = only_post("synthetic_item_shop_promotional.json");
    assert_eq!(post.id, "7400000000000000101");
    assert_eq!(post.creator.handle, "shop_owner_1");
    assert_eq!(
        post.creator.bio.as_deref(),
        Some("Founder of Example Serum 🧴")
    );
    assert_eq!(post.hashtags, strings(&["skincare", "myshop"]));
    assert_eq!(
        labels(&post),
        [
            (
                LabelKind::PromotionalContent,
                "brandOrganicType=1001".to_string()
            ),
            (LabelKind::EcommerceVideo, "isECVideo".to_string()),
            (
                LabelKind::ShopAnchor,
                "anchor: Example Serum 30ml – Hyaluronic Acid".to_string()
            ),
            (LabelKind::SellerAccount, "author.ttSeller".to_string()),
        ]
    );
    // The CapCut anchor is not a product, even on an e-commerce video.
    assert!(!post.labels.iter().any(|l| {
        l.detail
            .as_deref()
            .is_some_and(|d| d.to_lowercase().contains("capcut"))
    }));
    assert!(post.has_platform_disclosure());
    assert_eq!(post.stickers, strings(&["use code SERUM10"]));
    assert_eq!(post.music_title.as_deref(), Some("Example Serum jingle"));
    assert_eq!(post.language.as_deref(), Some("en"));
}

#[test]
fn nested_product_id_alone_makes_an_anchor_commercial() {
    // No type 35, no isECVideo: only the doubly nested JSON string names a product_id.
    let inner = json!({"product_id": "1", "title": "Lamp"}).to_string();
    let extra = json!([{ "extra": inner }]).to_string();
    let item = json!({
        "id": "9", "desc": "", "author": {"uniqueId": "a"},
        "anchors": [
            {"type": 99, "keyword": "Desk Lamp", "extra": extra},
            {"type": 99, "keyword": "My workshop", "extra": "{\"poi\":\"workshop\",\"sec_uid\":\"x\"}"},
            {"type": 35, "keyword": "x".repeat(200)},
        ]
    });
    let post = post_from_item(&item).unwrap();
    let details: Vec<String> = labels(&post).into_iter().map(|(_, d)| d).collect();
    assert_eq!(details.len(), 2, "{details:?}");
    assert_eq!(details[0], "anchor: Desk Lamp");
    // Long product names are cut to 80 chars (plus an ellipsis).
    assert_eq!(details[1], format!("anchor: {}…", "x".repeat(80)));
}

#[test]
fn search_general_response_with_paid_partnership() {
    let posts = read_json("synthetic_search_general.json");
    // The type-4 user entry is not a post.
    assert_eq!(ids(&posts), ["7400000000000000201", "7400000000000000202"]);

    let paid = &posts[0];
    assert_eq!(paid.creator.handle, "creator_paid_1");
    assert_eq!(
        paid.caption,
        "Loving my new headphones 🎧 thanks @brand_account_2 #brandpartner #sound"
    );
    assert_eq!(paid.mentions, strings(&["brand_account_2"]));
    assert_eq!(paid.hashtags, strings(&["brandpartner", "sound"]));
    assert_eq!(
        labels(paid),
        [
            (LabelKind::AdAuthorization, "adAuthorization".to_string()),
            (LabelKind::AdLabel, "adLabelVersion=2".to_string()),
            (
                LabelKind::PaidPartnership,
                "brandedContentType=1".to_string()
            ),
            (
                LabelKind::PaidPartnership,
                "brandContentAccounts".to_string()
            ),
            (
                LabelKind::CommissionDisclosure,
                "anchorsExtras.panel_top_disclosure_label: Creator earns commission".to_string()
            ),
            (LabelKind::CommerceHashtag, "#brandpartner".to_string()),
        ]
    );
    assert!(paid.has_platform_disclosure());
    // "un" = undetermined.
    assert_eq!(paid.language, None);

    // Numeric id, a /view/product/ anchor (commercial) and an effect anchor (not).
    let shop = &posts[1];
    assert_eq!(shop.id, "7400000000000000202");
    assert_eq!(
        labels(shop),
        [(
            LabelKind::ShopAnchor,
            "anchor: Wireless Earbuds Pro".to_string()
        )]
    );
    assert!(!shop.has_platform_disclosure());
    assert_eq!(shop.stickers, strings(&["link in bio"]));
    assert_eq!(shop.hashtags, strings(&["unboxing"]));
}

#[test]
fn search_item_list_contents_and_duplicates() {
    let posts = read_json("synthetic_search_item_list.json");
    assert_eq!(ids(&posts), ["7400000000000000301", "7400000000000000302"]);

    let a = &posts[0];
    // desc ends with "…": the full text comes from contents[], one segment per line.
    assert_eq!(
        a.caption,
        "Day 3 of my 30-day glow routine.\n\
         Today I'm trying the new vitamin C serum from @brand_account_3 — link in bio!\n\
         #glowup #skincareroutine"
    );
    // userUniqueId is empty: the handle comes from the segment-relative UTF-16 span.
    assert_eq!(a.mentions, strings(&["brand_account_3"]));
    assert_eq!(a.hashtags, strings(&["glowup", "skincareroutine"]));
    // Only the second copy had textLanguage: the copies were merged.
    assert_eq!(a.language.as_deref(), Some("en"));

    let b = &posts[1];
    assert_eq!(b.caption, "Photo 1: morning\nPhoto 2: night #routine");
    assert_eq!(b.hashtags, strings(&["routine"]));
}

#[test]
fn emoji_before_hashtags_uses_utf16_offsets() {
    let post = only_post("synthetic_item_emoji_hashtags.json");
    assert_eq!(
        post.caption,
        "Glow check 😍🔥👩‍👩‍👧 #skincare #ad @brand_account_4 #終わり"
    );
    // "skincare" and the mention only exist as spans; the out-of-range and emoji-splitting
    // entries are ignored.
    assert_eq!(post.hashtags, strings(&["skincare", "ad", "終わり"]));
    assert_eq!(post.mentions, strings(&["brand_account_4"]));
    assert!(post.labels.is_empty());
    assert_eq!(
        post.creator.display_name.as_deref(),
        Some("😍 Emoji Creator")
    );
}

#[test]
fn sigi_state_script_page() {
    let posts = posts_from_html(&fixture("synthetic_sigi_state_page.html")).unwrap();
    assert_eq!(ids(&posts), ["7171782248281165058", "7171782248281169999"]);
    let first = &posts[0];
    assert_eq!(first.creator.handle, "creator_kg_1");
    assert_eq!(first.mentions, strings(&["friend_1", "friend2"]));
    // The bio is not in the item but in UserModule.users[handle].
    assert_eq!(
        first.creator.bio.as_deref(),
        Some("Actor. Business: manager@example.com")
    );
    assert_eq!(posts[1].hashtags, strings(&["bts"]));
    assert!(posts.iter().all(|p| p.labels.is_empty()));
}

#[test]
fn sigi_window_assignment_page() {
    let posts = posts_from_html(&fixture("synthetic_sigi_window_page.html")).unwrap();
    assert_eq!(ids(&posts), ["7171782248281170001"]);
    let post = &posts[0];
    assert_eq!(post.creator.handle, "seller_kg_2");
    assert_eq!(post.creator.id.as_deref(), Some("7000000000000000602"));
    assert_eq!(post.creator.bio.as_deref(), Some("Official store"));
    assert_eq!(post.caption, "New drop in my shop 🛍️ #newdrop");
    assert_eq!(post.hashtags, strings(&["newdrop"]));
    assert_eq!(
        labels(post),
        [(LabelKind::SellerAccount, "author.ttSeller".to_string())]
    );
}

#[test]
fn next_data_page() {
    let posts = posts_from_html(&fixture("synthetic_next_data_page.html")).unwrap();
    assert_eq!(ids(&posts), ["7039426841836293382"]);
    assert_eq!(posts[0].creator.handle, "creator_us_1");
    assert_eq!(posts[0].hashtags, strings(&["fyp", "foryoupage"]));
    assert_eq!(posts[0], only_post(US_2021));
}

#[test]
fn universal_profile_blob_merges_updated_items() {
    let posts = read_json("synthetic_universal_user_detail.json");
    let mut found = ids(&posts);
    // Object keys are walked in serde_json map order, so only the set is stable here.
    found.sort_unstable();
    assert_eq!(
        found,
        [
            "7400000000000000601",
            "7400000000000000602",
            "7400000000000000603"
        ]
    );
    let second = posts
        .iter()
        .find(|p| p.id == "7400000000000000602")
        .unwrap();
    // The copy in webapp.updated-items carries isAd: the merged post keeps it.
    assert_eq!(labels(second), [(LabelKind::Ad, "isAd".to_string())]);
    assert!(
        posts
            .iter()
            .all(|p| p.creator.handle == "creator_profile_6")
    );
}

#[test]
fn loose_flag_types_are_accepted() {
    let item = json!({
        "id": 7400000000000000999u64, "desc": "x", "author": {"uniqueId": "@someone", "id": 42, "ttSeller": "1"},
        "isAd": 1, "adAuthorization": "true", "adLabelVersion": "2", "brandOrganicType": 1001,
        "brandedContentType": "0", "isECVideo": true, "brandContentAccounts": [],
        "challenges": [{"title": "#Deal", "isCommerce": 1}, {"title": "deal"}],
        "textLanguage": "UN",
    });
    let post = post_from_item(&item).unwrap();
    assert_eq!(post.id, "7400000000000000999");
    assert_eq!(post.creator.handle, "someone");
    assert_eq!(post.creator.id.as_deref(), Some("42"));
    assert_eq!(post.hashtags, strings(&["Deal"]));
    assert_eq!(post.language, None);
    assert_eq!(
        labels(&post),
        [
            (LabelKind::Ad, "isAd".to_string()),
            (LabelKind::AdAuthorization, "adAuthorization".to_string()),
            (LabelKind::AdLabel, "adLabelVersion=2".to_string()),
            (
                LabelKind::PromotionalContent,
                "brandOrganicType=1001".to_string()
            ),
            (LabelKind::EcommerceVideo, "isECVideo".to_string()),
            (LabelKind::CommerceHashtag, "#Deal".to_string()),
            (LabelKind::SellerAccount, "author.ttSeller".to_string()),
        ]
    );

    // Zeros, falses, "0", null, empty strings: no labels.
    let item = json!({
        "id": "1", "desc": "", "author": {"uniqueId": "a", "ttSeller": null},
        "isAd": "false", "adAuthorization": 0, "adLabelVersion": "0", "brandOrganicType": "",
        "brandedContentType": null, "isECVideo": "0", "brandContentAccounts": "[]",
        "anchors": "not a list", "anchorsExtras": "{\"other\":1}",
    });
    assert!(post_from_item(&item).unwrap().labels.is_empty());
}

// ----- errors ----------------------------------------------------------------------------------

#[test]
fn malformed_json_reports_line_and_column() {
    let text = "{\n  \"itemList\": [\n    {\"id\": \"1\",}\n  ]\n}";
    match posts_from_json(text) {
        Err(ReadError::InvalidJson {
            line,
            column,
            message,
        }) => {
            assert_eq!(line, 3);
            assert!(column > 0);
            assert!(!message.contains("at line"), "{message}");
        }
        other => panic!("expected InvalidJson, got {other:?}"),
    }
    let error = posts_from_json("{\"a\": tru}").unwrap_err();
    assert!(error.to_string().contains("line 1"), "{error}");
    let _: &dyn std::error::Error = &error;
}

#[test]
fn too_large_input_is_refused() {
    let big = "x".repeat(17 * 1024 * 1024);
    let expected = ReadError::TooLarge {
        bytes: big.len(),
        limit: MAX_INPUT_BYTES,
    };
    assert_eq!(posts_from_json(&big), Err(expected.clone()));
    assert_eq!(posts_from_html(&big), Err(expected.clone()));
    assert!(expected.to_string().contains("too large"));
    // Exactly at the limit is still read (and here is simply not JSON).
    let at_limit = " ".repeat(MAX_INPUT_BYTES);
    assert!(matches!(
        posts_from_json(&at_limit),
        Err(ReadError::InvalidJson { .. })
    ));
}

#[test]
fn html_without_blobs_and_with_broken_blobs() {
    assert_eq!(
        posts_from_html("<html><body>hello</body></html>"),
        Err(ReadError::NoJsonInPage)
    );
    assert_eq!(posts_from_html(""), Err(ReadError::NoJsonInPage));
    assert!(ReadError::NoJsonInPage.to_string().contains("SIGI_STATE"));

    // The only blob is broken: the error points into the page (line 3).
    let page = "<html>\n<body>\n<script id=\"__UNIVERSAL_DATA_FOR_REHYDRATION__\">{\"a\":</script>\n</body></html>";
    match posts_from_html(page) {
        Err(ReadError::InvalidJson { line, column, .. }) => {
            assert_eq!(line, 3);
            // serde_json puts the EOF at column 5 of `{"a":`; the script tag precedes it.
            let tag = "<script id=\"__UNIVERSAL_DATA_FOR_REHYDRATION__\">";
            assert_eq!(column, tag.len() + 5);
        }
        other => panic!("expected InvalidJson, got {other:?}"),
    }

    // A broken blob next to a good one: the good one is read.
    let good = fixture(PAGE_2026);
    let mixed = good.replace(
        "<div id=\"app\"></div>",
        "<div id=\"app\"></div><script id=\"__NEXT_DATA__\">{oops</script>",
    );
    assert_eq!(
        ids(&posts_from_html(&mixed).unwrap()),
        ["7461529726461447432"]
    );

    // Page state but no items (For You page): an empty list, not an error.
    let empty = "<script id='__UNIVERSAL_DATA_FOR_REHYDRATION__' type='application/json'>{\"__DEFAULT_SCOPE__\":{}}</script>";
    assert_eq!(posts_from_html(empty), Ok(vec![]));

    // `data-id` is not `id`; unclosed tags do not panic.
    assert_eq!(
        posts_from_html("<script data-id=\"SIGI_STATE\">{}</script>"),
        Err(ReadError::NoJsonInPage)
    );
    for odd in [
        "<script",
        "<script id=\"SIGI_STATE\"",
        "<script id=\"SIGI_STATE\">",
        "<SCRIPT ID=SIGI_STATE>{\"ItemModule\":{}}</SCRIPT>",
        "window['SIGI_STATE']",
        "window['SIGI_STATE']=",
        "window['SIGI_STATE'] = {\"ItemModule\": {}};window['SIGI_RETRY']=1",
        "<script id=\"__NEXT_DATA__\">\u{1F600}</script>",
    ] {
        let _ = posts_from_html(odd);
    }
    assert_eq!(
        posts_from_html("<SCRIPT ID=SIGI_STATE>{\"ItemModule\":{}}</SCRIPT>"),
        Ok(vec![])
    );
}

// ----- odd inputs: no panics -------------------------------------------------------------------

#[test]
fn odd_json_inputs_do_not_panic() {
    assert!(matches!(
        posts_from_json(""),
        Err(ReadError::InvalidJson { .. })
    ));
    for text in [
        "null",
        "[]",
        "{}",
        "0",
        "\"text\"",
        "true",
        "[null, 1, \"a\", {}, []]",
    ] {
        assert_eq!(posts_from_json(text), Ok(vec![]), "{text}");
    }
    // Beyond serde_json's recursion limit: an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(
        posts_from_json(&deep),
        Err(ReadError::InvalidJson { .. })
    ));
    // Deep but parseable: an item below the walker's depth cap is ignored, one above is found.
    let item = r#"{"id":"5","desc":"deep","author":"a"}"#;
    let nested = |depth: usize| format!("{}{item}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(posts_from_json(&nested(120)), Ok(vec![]));
    assert_eq!(ids(&posts_from_json(&nested(10)).unwrap()), ["5"]);
    // Byte-order mark.
    assert_eq!(
        ids(&posts_from_json(&format!("\u{feff}{item}")).unwrap()),
        ["5"]
    );
}

#[test]
fn ids_as_numbers_and_odd_values() {
    let text = r#"{"itemList":[
        {"id": 7400000000000000001, "desc": "a", "author": {"uniqueId": "u"}},
        {"id": -3, "desc": "b", "author": "v"},
        {"id": 1e3, "desc": "c", "author": "w"},
        {"id": 18446744073709551615, "desc": "d", "author": "x"},
        {"id": 18446744073709551616, "desc": "e", "author": "y"}
    ]}"#;
    let posts = posts_from_json(text).unwrap();
    assert_eq!(
        ids(&posts),
        ["7400000000000000001", "-3", "18446744073709551615"]
    );
}

#[test]
fn huge_caption_and_many_entries() {
    // A 2 MB caption is kept whole; names come from the entries' own fields.
    let caption = "🙂 #tag ".repeat(200_000);
    let item = json!({
        "id": "1", "desc": caption, "author": {"uniqueId": "a"},
        "textExtra": (0..5000).map(|i| json!({"type": 1, "hashtagName": format!("tag{}", i % 3), "start": 0, "end": 1})).collect::<Vec<_>>(),
    });
    let posts = posts_from_json(&item.to_string()).unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].caption.len(), caption.len());
    assert_eq!(posts[0].hashtags, strings(&["tag0", "tag1", "tag2"]));

    // Thousands of entries that must be sliced out of the caption by UTF-16 offsets
    // ("🙂" = 2 units, so each "🙂 #tag " is 8 units and "#tag" starts 3 units in).
    let caption = "🙂 #tag ".repeat(6000);
    let item = json!({
        "id": "2", "desc": caption, "author": {"uniqueId": "a"},
        "textExtra": (0..6000).map(|i| json!({"type": 1, "hashtagName": "", "start": i * 8 + 3, "end": i * 8 + 7})).collect::<Vec<_>>(),
    });
    let posts = posts_from_json(&item.to_string()).unwrap();
    assert_eq!(posts[0].hashtags, strings(&["tag"]));

    // One id repeated many times with many labels: merging stays cheap (this would take minutes
    // if every copy rescanned the merged lists).
    let tags: Vec<Value> = (0..2000)
        .map(|i| json!({"title": format!("t{i}"), "isCommerce": true}))
        .collect();
    let copies: Vec<Value> = (0..300)
        .map(|_| json!({"id": "3", "desc": "", "author": "a", "challenges": tags}))
        .collect();
    let posts = posts_from_value(&Value::Array(copies));
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].hashtags.len(), 2000);
    assert_eq!(posts[0].labels.len(), 2000);
}

#[test]
fn lone_surrogates_and_odd_strings_do_not_panic() {
    for text in [
        r#"{"id":"1","desc":"\ud800","author":"a"}"#,
        r#"{"id":"1","desc":"\udc00 #x","author":"a","textExtra":[{"type":1,"start":1,"end":3}]}"#,
        r#"{"id":"\ud800","desc":"","author":"a"}"#,
        r#"{"id":"1","desc":"\ud83d\ude00 #x","author":"a","textExtra":[{"type":1,"start":3,"end":5}]}"#,
        r#"{"id":"1","desc":"\u0000","author":{"uniqueId":"\u0000"}}"#,
    ] {
        match posts_from_json(text) {
            Ok(posts) => assert!(posts.len() <= 1),
            Err(ReadError::InvalidJson { .. }) => {}
            Err(other) => panic!("{text}: unexpected {other:?}"),
        }
    }
    // A valid surrogate pair before a hashtag: offsets count it as two units.
    let posts = posts_from_json(
        r#"{"id":"1","desc":"\ud83d\ude00 #x","author":"a","textExtra":[{"type":1,"start":3,"end":5}]}"#,
    )
    .unwrap();
    assert_eq!(posts[0].hashtags, strings(&["x"]));
}

#[test]
fn hostile_textextra_offsets_do_not_panic() {
    let desc = "é😀#a @b";
    for (start, end) in [
        (json!(0), json!(u64::MAX)),
        (json!(-1), json!(3)),
        (json!(3), json!(1)),
        (json!("3"), json!("5")),
        (json!(1.5), json!(2.5)),
        (json!(null), json!({})),
        (json!(1), json!(2)),
        (json!(2), json!(3)),
    ] {
        let item = json!({
            "id": "1", "desc": desc, "author": "a",
            "textExtra": [
                {"type": 1, "hashtagName": "", "start": start, "end": end},
                {"type": 0, "userUniqueId": "", "start": start, "end": end},
            ],
            "contents": [{"desc": desc, "textExtra": [{"type": "1", "start": start, "end": end}]}],
        });
        let _ = post_from_item(&item);
    }
    // String offsets are accepted: "#a" is units 3..5 ("é" = 1, "😀" = 2).
    let item = json!({"id": "1", "desc": desc, "author": "a",
        "textExtra": [{"type": 1, "start": "3", "end": "5"}, {"type": 0, "start": 6, "end": 8}]});
    let post = post_from_item(&item).unwrap();
    assert_eq!(post.hashtags, strings(&["a"]));
    assert_eq!(post.mentions, strings(&["b"]));
}

#[test]
fn hostile_nested_json_strings_do_not_panic() {
    // JSON strings nested far deeper than the decoder follows, and oversized ones.
    let mut nested = json!({"product_id": 1}).to_string();
    for _ in 0..12 {
        nested = json!([{ "extra": nested }]).to_string();
    }
    let huge = format!("[{}]", "1,".repeat(100_000) + "1");
    let item = json!({
        "id": "1", "desc": "", "author": "a",
        "anchors": [
            {"type": 1, "keyword": "deep", "extra": nested},
            {"type": 1, "keyword": "huge", "extra": huge, "logExtra": "{not json"},
            {"type": 1, "keyword": "odd", "extra": "[", "schema": 5, "logExtra": ["ec_", {"shop": null}]},
        ],
        "anchorsExtras": format!("{{\"x\":{}}}", json!(json!({"panel_top_disclosure_label": {"display_text": "é".repeat(300)}}).to_string())),
    });
    let post = post_from_item(&item).unwrap();
    // The deep one is beyond the decode limit, but its raw text still names product_id; "odd" has
    // ec_/shop markers in logExtra; "huge" is too big to decode and has no marker.
    let details: Vec<String> = labels(&post).into_iter().map(|(_, d)| d).collect();
    assert!(details.contains(&"anchor: deep".to_string()), "{details:?}");
    assert!(details.contains(&"anchor: odd".to_string()), "{details:?}");
    assert!(
        !details.contains(&"anchor: huge".to_string()),
        "{details:?}"
    );
    let disclosure = details
        .iter()
        .find(|d| d.starts_with("anchorsExtras"))
        .unwrap();
    assert!(disclosure.chars().count() < 150, "{disclosure}");
}

// ----- fuzz-ish: random mutations, no panic ----------------------------------------------------

/// A tiny deterministic PRNG (xorshift64*), so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const SNIPPETS: [&[u8]; 14] = [
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b",",
    b":",
    b"\\u",
    b"\\ud800",
    b"\\\"",
    b"null",
    b"1e999",
    b"</script>",
    "😀".as_bytes(),
];

fn mutate(rng: &mut XorShift, base: &[u8]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if at < bytes.len() => bytes[at] = (rng.next() & 0xff) as u8,
            1 if at < bytes.len() => {
                let end = (at + 1 + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => {
                let snippet = SNIPPETS[rng.below(SNIPPETS.len())];
                bytes.splice(at..at, snippet.iter().copied());
            }
            3 if at < bytes.len() => {
                let end = (at + 1 + rng.below(128)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            _ => {
                // Flip a digit, to turn flags and offsets into other numbers.
                if let Some(pos) = bytes.iter().skip(at).position(u8::is_ascii_digit) {
                    bytes[at + pos] = b'0' + (rng.next() % 10) as u8;
                }
            }
        }
    }
    bytes
}

#[test]
fn fuzz_byte_mutations_of_fixtures_do_not_panic() {
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let sources = [
        fixture("synthetic_search_general.json"),
        fixture(SIGI_ITEM),
        fixture("synthetic_item_emoji_hashtags.json"),
    ];
    let mut parsed = 0;
    for i in 0..3000 {
        let base = sources[i % sources.len()].as_bytes();
        let text = String::from_utf8_lossy(&mutate(&mut rng, base)).into_owned();
        if posts_from_json(&text).is_ok() {
            parsed += 1;
        }
    }
    // Some mutations (digit flips, duplicated values) keep the JSON valid and go through the mapper.
    assert!(parsed > 100, "only {parsed} mutated inputs parsed");

    let pages = [
        fixture("synthetic_sigi_window_page.html"),
        fixture("synthetic_sigi_state_page.html"),
    ];
    for i in 0..1000 {
        let base = pages[i % pages.len()].as_bytes();
        let text = String::from_utf8_lossy(&mutate(&mut rng, base)).into_owned();
        let _ = posts_from_html(&text);
    }
}

/// Random JSON values to put where the reader expects strings, flags, offsets or lists.
fn random_value(rng: &mut XorShift) -> Value {
    match rng.below(16) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(false),
        3 => json!(0),
        4 => json!(-1),
        5 => json!(u64::MAX),
        6 => json!(1e308),
        7 => json!(""),
        8 => json!("1001"),
        9 => json!("inf"),
        10 => json!("😀#\u{0}@"),
        11 => json!([]),
        12 => json!({}),
        13 => json!([{ "extra": "{\"product_id\":\"1\"}", "type": 35 }]),
        14 => json!("[{\"extra\":\"{\\\"panel_top_disclosure_label\\\":{}}\"}]"),
        _ => json!([1, "a", {"type": 1, "start": 2, "end": 1}]),
    }
}

/// A random node of `value`: from the root, stop with a chance of one in `stop_one_in` at each level
/// (and at a leaf or an empty container), else go down into a random child.
fn random_node<'a>(rng: &mut XorShift, value: &'a mut Value, stop_one_in: usize) -> &'a mut Value {
    let stop = rng.below(stop_one_in) == 0;
    let len = match &*value {
        Value::Object(map) => map.len(),
        Value::Array(list) => list.len(),
        _ => 0,
    };
    if stop || len == 0 {
        return value;
    }
    let i = rng.below(len);
    match value {
        Value::Object(map) => match map.values_mut().nth(i) {
            Some(child) => random_node(rng, child, stop_one_in),
            None => unreachable!("i < the object's length"),
        },
        Value::Array(list) => random_node(rng, &mut list[i], stop_one_in),
        _ => unreachable!("only containers have children"),
    }
}

/// Replaces a random node of `value` (walking down from the root) with a random value.
fn mutate_value(rng: &mut XorShift, value: &mut Value) {
    let node = random_node(rng, value, 4);
    *node = random_value(rng);
}

#[test]
fn fuzz_value_mutations_do_not_panic() {
    let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
    let sources: Vec<Value> = [
        "synthetic_search_general.json",
        "synthetic_item_shop_promotional.json",
        "synthetic_search_item_list.json",
        UNIVERSAL_2026,
        JP,
    ]
    .iter()
    .map(|name| serde_json::from_str(&fixture(name)).unwrap())
    .collect();
    for i in 0..3000 {
        let mut value = sources[i % sources.len()].clone();
        for _ in 0..1 + rng.below(6) {
            mutate_value(&mut rng, &mut value);
        }
        for post in posts_from_value(&value) {
            assert!(!post.id.is_empty());
            assert!(post.labels.iter().all(|l| {
                l.detail
                    .as_deref()
                    .is_some_and(|d| d.chars().count() <= 200)
            }));
        }
    }
}

#[test]
fn module_path_is_public() {
    // The wasm binding and the CLI call through this path.
    let posts = tiktok::posts_from_json("[]").unwrap();
    assert!(posts.is_empty());
}

// ----- the pruning parser reads exactly what a full parse reads --------------------------------

/// What `posts_from_json` must give for `text`: the posts of a full `serde_json::Value` parse, or
/// that parse's error (its line, column and message).
fn full_reading(text: &str) -> Result<Vec<Post>, (usize, usize, String)> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    match serde_json::from_str::<Value>(body) {
        Ok(value) => Ok(posts_from_value(&value)),
        Err(e) => Err((e.line(), e.column(), e.to_string())),
    }
}

/// Asserts that the pruned reading of `text` is the full one.
fn assert_reads_as_full_parse(text: &str, what: &str) {
    match (posts_from_json(text), full_reading(text)) {
        (Ok(pruned), Ok(full)) => assert_eq!(pruned, full, "{what}"),
        (
            Err(ReadError::InvalidJson {
                line,
                column,
                message,
            }),
            Err((full_line, full_column, full_message)),
        ) => {
            assert_eq!((line, column), (full_line, full_column), "{what}");
            assert!(full_message.starts_with(&message), "{what}: {message}");
        }
        (pruned, full) => panic!("{what}: pruned {pruned:?}, full {full:?}"),
    }
}

/// Every fixture, real and synthetic.
fn all_fixtures() -> Vec<(String, String)> {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", "tiktok"]
        .iter()
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") || n.ends_with(".html"))
        .collect();
    names.sort();
    names.into_iter().map(|n| (fixture(&n), n)).collect()
}

#[test]
fn pruned_reading_equals_full_reading_on_every_fixture() {
    for (text, name) in all_fixtures() {
        assert_reads_as_full_parse(&text, &name);
    }
}

/// A real item with every big subtree present (`video`, `stats`, `authorStats`, avatars, covers)
/// and every field the reader reads set: each must still be read.
#[test]
fn fields_next_to_skipped_subtrees_are_read() {
    let mut item: Value = serde_json::from_str(&fixture(JP)).unwrap();
    assert!(item.get("video").is_some() && item.get("stats").is_some());
    let extra = json!({
        "music": {"title": "Promoted sound", "coverThumb": "https://c", "playUrl": "https://p"},
        "stickersOnItem": [{"stickerText": ["use code", "SAVE10"], "coverThumb": "x"}],
        "textLanguage": "ja",
        "isAd": true, "adAuthorization": true, "adLabelVersion": 2, "brandOrganicType": "1001",
        "brandedContentType": 1, "brandContentAccounts": [{"stats": 1}], "isECVideo": 1,
        "anchors": [{"type": 1, "keyword": "Lipstick", "video": {"shop_id": "9"},
                     "stats": "{\"product_id\":\"1\"}"}],
        "anchorsExtras": {"stats": {"panel_top_disclosure_label": {"display_text": "Earns commission"}}},
        "contents": [{"desc": "part one", "textExtra": [], "imagePost": {"x": 1}}],
        "challenges": [{"title": "beerball", "isCommerce": true, "coverLarger": "x", "stats": {}}],
    });
    for (key, value) in extra.as_object().unwrap() {
        item[key] = value.clone();
    }
    item["author"]["signature"] = json!("shop link in bio");
    item["author"]["ttSeller"] = json!(true);
    let text = item.to_string();
    assert_reads_as_full_parse(&text, "JP item with every field");
    let post = posts_from_json(&text).unwrap().remove(0);
    assert_eq!(post.music_title.as_deref(), Some("Promoted sound"));
    assert_eq!(post.stickers, strings(&["use code SAVE10"]));
    assert_eq!(post.language.as_deref(), Some("ja"));
    assert_eq!(post.creator.bio.as_deref(), Some("shop link in bio"));
    assert!(post.hashtags.iter().any(|h| h == "beerball"));
    let kinds: Vec<LabelKind> = post.labels.iter().map(|l| l.kind).collect();
    for kind in [
        LabelKind::Ad,
        LabelKind::AdAuthorization,
        LabelKind::AdLabel,
        LabelKind::PromotionalContent,
        LabelKind::PaidPartnership,
        LabelKind::EcommerceVideo,
        LabelKind::ShopAnchor,
        LabelKind::CommissionDisclosure,
        LabelKind::CommerceHashtag,
        LabelKind::SellerAccount,
    ] {
        assert!(
            kinds.contains(&kind),
            "{kind:?} missing: {:?}",
            labels(&post)
        );
    }
    // The anchor's and the disclosure's text is searched whole, skipped key names included.
    assert!(
        labels(&post).contains(&(
            LabelKind::CommissionDisclosure,
            "anchorsExtras.panel_top_disclosure_label: Earns commission".to_string()
        )),
        "{:?}",
        labels(&post)
    );
}

#[test]
fn items_under_skipped_keys_are_found_outside_items_only() {
    let item = |id: &str| json!({"id": id, "desc": "code SAVE10", "author": {"uniqueId": id}});
    // Outside any item, an item under `video` / `stats` / an avatar key is found as before.
    let outside =
        json!({"video": item("1"), "x": {"stats": [item("2")]}, "avatarThumb": {"a": item("3")}});
    assert_reads_as_full_parse(&outside.to_string(), "items under skipped keys");
    assert_eq!(
        ids(&posts_from_json(&outside.to_string()).unwrap()),
        ["3", "1", "2"] // keys in sorted order: avatarThumb, video, x
    );
    // Inside an item they never were (an item is a leaf of the walk).
    let mut inside = item("4");
    inside["video"] = item("5");
    inside["author"]["stats"] = item("6");
    assert_eq!(ids(&posts_from_json(&inside.to_string()).unwrap()), ["4"]);
    // An anchor that looks like an item keeps its skipped-looking keys: its text is searched.
    let mut anchored = item("7");
    anchored["desc"] = json!("nice");
    anchored["anchors"] = json!([{"type": 1, "extra": {"id": "a", "desc": "", "author": "b", "video": {"shop_id": "1"}}}]);
    let post = posts_from_json(&anchored.to_string()).unwrap().remove(0);
    assert!(
        labels(&post)
            .iter()
            .any(|(k, _)| *k == LabelKind::ShopAnchor)
    );
    assert_reads_as_full_parse(&anchored.to_string(), "item-shaped anchor");
}

#[test]
fn hostile_values_under_skipped_keys_fail_as_a_full_parse_does() {
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    for value in [
        "1e999".to_string(),
        "-1e999".to_string(),
        "\"\\ud800\"".to_string(),
        "\"\\ud800\\u0041\"".to_string(),
        "\"\\x\"".to_string(),
        "\"a\u{1}b\"".to_string(),
        "[1,]".to_string(),
        "{\"a\" 1}".to_string(),
        "123456789012345678901234567890".to_string(),
        deep(120),
        deep(126),
        deep(127),
        deep(200),
        "null".to_string(),
        "\"video\"".to_string(),
    ] {
        for text in [
            format!(r#"{{"itemList":[{{"id":"9","desc":"","author":"a","video":{value}}}]}}"#),
            format!(r#"{{"stats":{value},"itemList":[{{"id":"9","desc":"","author":"a"}}]}}"#),
            format!(r#"[[{{"id":"9","desc":"","author":{{"avatarThumb":{value}}}}}]]"#),
        ] {
            assert_reads_as_full_parse(&text, &text);
        }
    }
}

/// Byte mutations of real fixtures (broken JSON, duplicated values, flipped digits) and value
/// mutations that put items and odd values under skipped keys: the pruned reading always equals
/// the full one, errors included.
#[test]
fn fuzz_pruned_reading_equals_full_reading() {
    let mut rng = XorShift(0x2545_F491_4F6C_DD1D);
    let sources = [
        fixture(JP),
        fixture(KR_LIST),
        fixture(UNIVERSAL_2026),
        fixture(SIGI_ITEM),
    ];
    for i in 0..2000 {
        let base = sources[i % sources.len()].as_bytes();
        let text = String::from_utf8_lossy(&mutate(&mut rng, base)).into_owned();
        assert_reads_as_full_parse(&text, &format!("byte mutation {i}"));
    }
    let values: Vec<Value> = sources
        .iter()
        .map(|s| serde_json::from_str(s).unwrap())
        .collect();
    for i in 0..2000 {
        let mut value = values[i % values.len()].clone();
        for _ in 0..1 + rng.below(4) {
            put_under_skipped_key(&mut rng, &mut value);
        }
        assert_reads_as_full_parse(&value.to_string(), &format!("value mutation {i}"));
    }
}

/// Adds a skipped key (or a key read next to one) holding a random value or an item, at a random
/// object of `value`.
fn put_under_skipped_key(rng: &mut XorShift, value: &mut Value) {
    if let Value::Object(map) = random_node(rng, value, 3) {
        let key = [
            "video",
            "stats",
            "avatarThumb",
            "coverLarge",
            "id",
            "desc",
            "author",
        ][rng.below(7)];
        let held = match rng.below(3) {
            0 => json!({"id": "77", "desc": "#ad", "author": {"uniqueId": "hidden"}}),
            1 => json!([{"x": {"id": 1, "desc": null, "author": "h", "video": 1}}]),
            _ => random_value(rng),
        };
        map.insert(key.to_string(), held);
    }
}
