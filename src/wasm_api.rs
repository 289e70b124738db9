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
    judge_cards(cards, lang, None)
}

/// [`classify_cards`], a card without `post` taking its item from `items` when they hold it.
fn judge_cards(
    cards: JsValue,
    lang: Option<String>,
    items: Option<&TikTokItems>,
) -> Result<JsValue, JsError> {
    let cards: Vec<tiktok_page::Card> = serde_wasm_bindgen::from_value(cards)
        .map_err(|e| JsError::new(&format!("cards must be an array of card objects: {e}")))?;
    let rules = tiktok_page::page_rules().map_err(|e| JsError::new(&e))?;
    let engine = engine()?;
    let lang = Lang::parse(lang.as_deref().unwrap_or("en"));
    let verdicts: Vec<_> = cards
        .into_iter()
        .map(|mut card| {
            if card.post.is_none()
                && let Some(items) = items
            {
                card.post = items.get(&card.id).cloned();
            }
            engine.judge(&tiktok_page::post_from_card(card, rules), lang)
        })
        .collect();
    to_js(&verdicts)
}

/// The items of TikTok's JSON that a page sent, kept in wasm for the content script: each API
/// response or page blob crosses into wasm once, as text, and is read and judged there
/// ([`TikTokItems::add_json`]); only the verdicts cross back. A card whose DOM adds something to its
/// item (a pill, a field the item lacks) is judged with [`TikTokItems::judge_cards`], which finds the
/// item here: the posts themselves never become JavaScript objects. Holds at most `limit` items, the
/// most recently added (an item added again counts as new), as the content script's own list does.
#[wasm_bindgen]
pub struct TikTokItems {
    /// Oldest first, each with the serial number it was (last) added under: increasing.
    posts: std::collections::VecDeque<(usize, Post)>,
    /// Id → serial of its entry in `posts` (the same items).
    latest: std::collections::HashMap<String, usize>,
    serial: usize,
    limit: usize,
}

#[wasm_bindgen]
impl TikTokItems {
    /// An empty store keeping at most `limit` items (at least 1).
    #[wasm_bindgen(constructor)]
    pub fn new(limit: u32) -> TikTokItems {
        TikTokItems {
            posts: Default::default(),
            latest: Default::default(),
            serial: 0,
            limit: (limit as usize).max(1),
        }
    }

    /// Read every item in a TikTok JSON text (API response, page blob, single item), keep them and
    /// judge each alone. Returns `[verdicts, needs]`: the verdict of each item alone, in document
    /// order (a card that adds nothing to its item gets exactly that one), and a `Uint8Array` of the
    /// same length, the mask of `tiktok_page::dom_fields_needed` (which DOM fields the card's reading
    /// should include). Throws on text that is not JSON (nothing is kept then).
    #[wasm_bindgen(js_name = addJson)]
    pub fn add_json(&mut self, text: &str, lang: Option<String>) -> Result<js_sys::Array, JsError> {
        let posts = tiktok::posts_from_json(text).map_err(|e| JsError::new(&e.to_string()))?;
        let engine = engine()?;
        let lang = Lang::parse(lang.as_deref().unwrap_or("en"));
        let mut verdicts = Vec::with_capacity(posts.len());
        let mut needs = Vec::with_capacity(posts.len());
        for post in posts {
            verdicts.push(engine.judge(&post, lang));
            needs.push(tiktok_page::dom_fields_needed(&post));
            self.keep(post);
        }
        let needs = js_sys::Uint8Array::from(needs.as_slice());
        Ok(js_sys::Array::of2(&to_js(&verdicts)?, &needs))
    }

    /// Judge a batch of cards as `classifyCards` does, each with its kept item as `post` (a card
    /// without a kept item is judged from what its DOM shows).
    #[wasm_bindgen(js_name = judgeCards)]
    pub fn judge_cards(&self, cards: JsValue, lang: Option<String>) -> Result<JsValue, JsError> {
        judge_cards(cards, lang, Some(self))
    }
}

impl TikTokItems {
    fn keep(&mut self, post: Post) {
        // Increasing (2^32 additions on wasm32 would wrap: far beyond any page's life).
        self.serial = self.serial.wrapping_add(1);
        if let Some(old) = self.latest.insert(post.id.clone(), self.serial)
            && let Ok(at) = self.posts.binary_search_by_key(&old, |(s, _)| *s)
        {
            self.posts.remove(at);
        }
        self.posts.push_back((self.serial, post));
        if self.posts.len() > self.limit
            && let Some((_, oldest)) = self.posts.pop_front()
        {
            self.latest.remove(&oldest.id);
        }
    }

    fn get(&self, id: &str) -> Option<&Post> {
        let serial = *self.latest.get(id)?;
        let at = self.posts.binary_search_by_key(&serial, |(s, _)| *s).ok()?;
        Some(&self.posts[at].1)
    }
}

/// The per-creator ledger, for the service worker (its single writer). The worker loads it from
/// `storage.local` with [`Ledger::load`], records every verdict the content scripts report, and
/// writes [`Ledger::to_json`] back in batches.
#[wasm_bindgen]
pub struct Ledger {
    inner: crate::ledger::CreatorLedger,
    skipped_on_load: u32,
}

fn parse_correction(c: Option<String>) -> Result<Option<crate::ledger::Correction>, JsError> {
    use crate::ledger::Correction;
    match c.as_deref() {
        None | Some("") | Some("none") => Ok(None),
        Some("not_an_ad") => Ok(Some(Correction::NotAnAd)),
        Some("is_an_ad") => Ok(Some(Correction::IsAnAd)),
        Some(other) => Err(JsError::new(&format!(
            "unknown correction `{other}` (expected not_an_ad, is_an_ad or none)"
        ))),
    }
}

#[derive(serde::Deserialize)]
struct SeenVerdict {
    id: String,
    creator: String,
    verdict: crate::verdict::VerdictKind,
    #[serde(default)]
    self_promo: bool,
    #[serde(default)]
    evidence: Vec<SeenEvidence>,
}

#[derive(serde::Deserialize)]
struct SeenEvidence {
    signal: String,
}

#[wasm_bindgen]
impl Ledger {
    /// An empty ledger keeping at most `retention` posts (default 50,000).
    #[wasm_bindgen(constructor)]
    pub fn new(retention: Option<u32>) -> Ledger {
        Ledger {
            inner: crate::ledger::CreatorLedger::new(
                retention
                    .map(|r| r as usize)
                    .unwrap_or(crate::ledger::DEFAULT_RETENTION),
            ),
            skipped_on_load: 0,
        }
    }

    /// Load what `toJson` wrote (older schemas are migrated). Throws on damaged or newer data, so
    /// the caller can keep its last good copy and tell the user.
    pub fn load(text: &str) -> Result<Ledger, JsError> {
        let (inner, skipped) = crate::ledger::CreatorLedger::from_json(text)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Ledger {
            inner,
            skipped_on_load: skipped.min(u32::MAX as u64) as u32,
        })
    }

    /// Invalid entries dropped by `load`.
    #[wasm_bindgen(getter, js_name = skippedOnLoad)]
    pub fn skipped_on_load(&self) -> u32 {
        self.skipped_on_load
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }

    /// Record verdicts (as the engine returned them) seen at `now` (ms since the epoch). Returns one
    /// outcome per verdict: `new`, `seen_again`, `updated`, or an error message for an invalid one.
    #[wasm_bindgen(js_name = recordVerdicts)]
    pub fn record_verdicts(&mut self, verdicts: JsValue, now: f64) -> Result<JsValue, JsError> {
        let verdicts: Vec<SeenVerdict> = serde_wasm_bindgen::from_value(verdicts).map_err(|e| {
            JsError::new(&format!(
                "verdicts must be an array of verdict objects: {e}"
            ))
        })?;
        let now = if now.is_finite() && now > 0.0 {
            now as u64
        } else {
            0
        };
        let outcomes: Vec<String> = verdicts
            .into_iter()
            .map(|v| {
                let signals = v.evidence.into_iter().map(|e| e.signal).collect();
                match self
                    .inner
                    .record(&v.id, &v.creator, v.verdict, v.self_promo, signals, now)
                {
                    Ok(o) => serde_json::to_value(o)
                        .ok()
                        .and_then(|x| x.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    Err(e) => e.to_string(),
                }
            })
            .collect();
        to_js(&outcomes)
    }

    /// Set (`not_an_ad`, `is_an_ad`) or clear (`none`/null) the user's correction of a post.
    pub fn correct(&mut self, id: &str, correction: Option<String>) -> Result<(), JsError> {
        let c = parse_correction(correction)?;
        self.inner
            .correct(id, c)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// One creator's numbers, or null.
    pub fn creator(&self, handle: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.creator(handle.trim_start_matches('@')))
    }

    /// Creators whose handle contains `query` (all when empty), most recently seen first.
    pub fn creators(&self, query: &str, limit: u32) -> Result<JsValue, JsError> {
        to_js(&self.inner.creators(query, limit as usize))
    }

    /// Counts over the given post ids (e.g. those on a tab).
    #[wasm_bindgen(js_name = summaryOf)]
    pub fn summary_of(&self, ids: Vec<String>) -> Result<JsValue, JsError> {
        to_js(&self.inner.summary_of(ids.iter().map(String::as_str)))
    }

    /// The record of one post (with its correction), or null.
    pub fn post(&self, id: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.post(id))
    }

    /// Storage and export form (JSON, with the schema version).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Merge an export; throws (changing nothing) when the file is not a ledger.
    #[wasm_bindgen(js_name = importJson)]
    pub fn import_json(&mut self, text: &str) -> Result<JsValue, JsError> {
        let report = self
            .inner
            .import_json(text)
            .map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&report)
    }

    /// Per-creator CSV.
    #[wasm_bindgen(js_name = creatorsCsv)]
    pub fn creators_csv(&self) -> String {
        self.inner.creators_csv()
    }

    /// Change how many posts are kept; returns how many were pruned.
    #[wasm_bindgen(js_name = setRetention)]
    pub fn set_retention(&mut self, retention: u32) -> u32 {
        self.inner.set_retention(retention as usize) as u32
    }
}
