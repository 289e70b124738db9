//! The wasm32 binding: the only place that knows about JavaScript.
//!
//! The extension loads this module (built with `wasm-bindgen --target web`) both in the content script
//! (when the page's CSP allows wasm) and in the service worker (always). The engine is built once per
//! JS realm, on first use, and shared by every call. Inputs are batches, because each call across the
//! JS/wasm boundary costs microseconds. Every failure is returned as a JS `Error` with a clear message;
//! nothing here panics on input.

use std::sync::OnceLock;

use wasm_bindgen::prelude::*;

use crate::engine::Engine;
use crate::explain::Lang;
use crate::platform::{tiktok, tiktok_page};
use crate::post::Post;

static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();

fn engine() -> Result<&'static Engine, JsError> {
    match ENGINE.get_or_init(|| Engine::new().map_err(|e| e.to_string())) {
        Ok(engine) => Ok(engine),
        Err(message) => Err(JsError::new(&format!("engine failed to build: {message}"))),
    }
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&format!("could not convert the result to JavaScript: {e}")))
}

/// The engine's version and what it loaded, e.g. `deinfluencer 0.1.0 (16 languages, 512 brands)`.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> Result<String, JsError> {
    Ok(engine()?.describe())
}

/// Judge a batch of posts (objects shaped like the Rust `Post`). `lang` picks the explanation language
/// (`en`, `id`, `vi`; anything else falls back to English).
#[wasm_bindgen(js_name = classifyPosts)]
pub fn classify_posts(posts: JsValue, lang: Option<String>) -> Result<JsValue, JsError> {
    let posts: Vec<Post> = serde_wasm_bindgen::from_value(posts)
        .map_err(|e| JsError::new(&format!("posts must be an array of post objects: {e}")))?;
    let engine = engine()?;
    let lang = Lang::parse(lang.as_deref().unwrap_or("en"));
    let verdicts: Vec<_> = posts.iter().map(|p| engine.judge(p, lang)).collect();
    to_js(&verdicts)
}

/// Read every post out of a TikTok JSON text (API response, page blob, single item).
#[wasm_bindgen(js_name = readTikTokJson)]
pub fn read_tiktok_json(text: &str) -> Result<JsValue, JsError> {
    let posts = tiktok::posts_from_json(text).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&posts)
}

/// Read and judge every post in a TikTok JSON text in one call.
#[wasm_bindgen(js_name = scanTikTokJson)]
pub fn scan_tiktok_json(text: &str, lang: Option<String>) -> Result<JsValue, JsError> {
    let posts = tiktok::posts_from_json(text).map_err(|e| JsError::new(&e.to_string()))?;
    let engine = engine()?;
    let lang = Lang::parse(lang.as_deref().unwrap_or("en"));
    let verdicts: Vec<_> = posts.iter().map(|p| engine.judge(p, lang)).collect();
    to_js(&verdicts)
}

/// TikTok's page as data: card, caption, handle, hashtag and pill selectors per page type, and the
/// visible label texts (see `src/platform/tiktok_page.json`).
#[wasm_bindgen(js_name = tiktokPageRules)]
pub fn tiktok_page_rules() -> Result<JsValue, JsError> {
    let rules = tiktok_page::page_rules().map_err(|e| JsError::new(&e))?;
    to_js(&rules.value)
}

/// Judge a batch of cards: `{id, handle?, display_name?, caption?, hashtags?, label_texts?, post?}`, where
/// `post` is the item from TikTok's JSON when the page sent it. Visible pills become platform labels.
#[wasm_bindgen(js_name = classifyCards)]
pub fn classify_cards(cards: JsValue, lang: Option<String>) -> Result<JsValue, JsError> {
    let cards: Vec<tiktok_page::Card> = serde_wasm_bindgen::from_value(cards)
        .map_err(|e| JsError::new(&format!("cards must be an array of card objects: {e}")))?;
    let rules = tiktok_page::page_rules().map_err(|e| JsError::new(&e))?;
    let engine = engine()?;
    let lang = Lang::parse(lang.as_deref().unwrap_or("en"));
    let verdicts: Vec<_> = cards
        .into_iter()
        .map(|card| engine.judge(&tiktok_page::post_from_card(card, rules), lang))
        .collect();
    to_js(&verdicts)
}
