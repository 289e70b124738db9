//! TikTok web's page, as data: where the post cards are for each page type, and which visible pill texts
//! are TikTok's own commercial labels. The selectors are handed to the content script as they are
//! (`tiktokPageRules()` in the wasm API), so a markup change is a data fix in `tiktok_page.json`; what a
//! card shows is merged here with the item read from TikTok's JSON, so the content script stays plumbing.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use crate::normalize::fold_term;
use crate::post::{Creator, LabelKind, Platform, PlatformLabel, Post};

/// The page rules file, compiled in (minified, without its notes: see `src/build.rs`).
pub const TIKTOK_PAGE_RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/tiktok_page.json"));

/// Parsed page rules: the raw value for the content script, and the label-text table.
#[derive(Debug)]
pub struct PageRules {
    /// The whole file, handed to the content script.
    pub value: Value,
    labels: HashMap<String, LabelKind>,
}

fn label_kind(name: &str) -> Option<LabelKind> {
    Some(match name {
        "ad" => LabelKind::Ad,
        "paid_partnership" => LabelKind::PaidPartnership,
        "promotional_content" => LabelKind::PromotionalContent,
        "commission_disclosure" => LabelKind::CommissionDisclosure,
        _ => return None,
    })
}

/// Parse and check page rules text. Errors name what is wrong.
pub fn parse_page_rules(text: &str) -> Result<PageRules, String> {
    let value = super::tiktok::parse_json(text).map_err(|e| format!("tiktok_page.json: {e}"))?;
    let types = value
        .get("page_types")
        .and_then(Value::as_array)
        .ok_or("tiktok_page.json: `page_types` must be a list")?;
    for t in types {
        let name = t.get("name").and_then(Value::as_str).unwrap_or("?");
        let cards = t
            .get("card")
            .and_then(Value::as_array)
            .map(Vec::len)
            .unwrap_or(0);
        if cards == 0 {
            return Err(format!(
                "tiktok_page.json: page type `{name}` has no card selector"
            ));
        }
    }
    let mut labels = HashMap::new();
    let table = value
        .get("label_texts")
        .and_then(Value::as_object)
        .ok_or("tiktok_page.json: `label_texts` must be an object")?;
    for (kind_name, texts) in table {
        let kind = label_kind(kind_name)
            .ok_or_else(|| format!("tiktok_page.json: unknown label kind `{kind_name}`"))?;
        for t in texts
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Some(previous) = labels.insert(fold_term(t), kind)
                && previous != kind
            {
                return Err(format!(
                    "tiktok_page.json: pill text `{t}` is listed for two label kinds"
                ));
            }
        }
    }
    Ok(PageRules { value, labels })
}

/// The built-in page rules (parsed once; a broken file is a build-time test failure, not a runtime one).
pub fn page_rules() -> Result<&'static PageRules, String> {
    static RULES: OnceLock<Result<PageRules, String>> = OnceLock::new();
    RULES
        .get_or_init(|| parse_page_rules(TIKTOK_PAGE_RULES))
        .as_ref()
        .map_err(Clone::clone)
}

impl PageRules {
    /// The label a visible pill shows, if its whole text is one of TikTok's commercial labels.
    /// Whole-text only: "ad" inside a caption is not a pill.
    pub fn label_for_text(&self, text: &str) -> Option<LabelKind> {
        if text.chars().count() > 60 {
            return None;
        }
        self.labels.get(&fold_term(text)).copied()
    }
}

/// What the content script read from one card, plus the item from TikTok's JSON when it had one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Card {
    pub id: String,
    pub handle: Option<String>,
    pub display_name: Option<String>,
    pub caption: Option<String>,
    pub hashtags: Vec<String>,
    /// Whole texts of the card's pill elements (`[data-e2e="ad-tag"]`, the tag row).
    pub label_texts: Vec<String>,
    /// The item from TikTok's JSON, when the page sent it: the best source.
    pub post: Option<Post>,
}

/// [`dom_fields_needed`]: the item has no creator handle ([`post_from_card`] takes the card's).
pub const NEEDS_HANDLE: u8 = 1;
/// [`dom_fields_needed`]: the item has no display name.
pub const NEEDS_DISPLAY_NAME: u8 = 2;
/// [`dom_fields_needed`]: the item's caption is blank.
pub const NEEDS_CAPTION: u8 = 4;
/// [`dom_fields_needed`]: the item has no hashtags.
pub const NEEDS_HASHTAGS: u8 = 8;

/// Which of a card's DOM fields [`post_from_card`] would use for this JSON item (a mask of the
/// `NEEDS_*` bits): the content script reads only those. A card that gives none of them and no pill
/// text is judged exactly as its item alone (`post_from_card` returns the item unchanged).
pub fn dom_fields_needed(post: &Post) -> u8 {
    let mut needs = 0;
    if post.creator.handle.is_empty() {
        needs |= NEEDS_HANDLE;
    }
    if post.creator.display_name.is_none() {
        needs |= NEEDS_DISPLAY_NAME;
    }
    if post.caption.trim().is_empty() {
        needs |= NEEDS_CAPTION;
    }
    if post.hashtags.is_empty() {
        needs |= NEEDS_HASHTAGS;
    }
    needs
}

/// The post to judge for a card: TikTok's JSON item when known, completed by what the DOM shows, with
/// the visible pills added as platform labels.
pub fn post_from_card(card: Card, rules: &PageRules) -> Post {
    let mut post = card.post.unwrap_or_else(|| Post {
        platform: Platform::Tiktok,
        id: card.id.clone(),
        creator: Creator::default(),
        ..Post::default()
    });
    if post.id.is_empty() {
        post.id = card.id;
    }
    if post.creator.handle.is_empty()
        && let Some(h) = card.handle
    {
        post.creator.handle = h.trim().trim_start_matches('@').to_string();
    }
    if post.creator.display_name.is_none() {
        post.creator.display_name = card.display_name.filter(|d| !d.trim().is_empty());
    }
    if post.caption.trim().is_empty()
        && let Some(c) = card.caption
    {
        post.caption = c;
    }
    if post.hashtags.is_empty() {
        post.hashtags = card
            .hashtags
            .into_iter()
            .map(|h| h.trim().trim_start_matches('#').to_string())
            .filter(|h| !h.is_empty())
            .collect();
    }
    for text in &card.label_texts {
        if let Some(kind) = rules.label_for_text(text)
            && !post.labels.iter().any(|l| l.kind == kind)
        {
            let shown: String = text.trim().chars().take(60).collect();
            post.labels
                .push(PlatformLabel::new(kind, format!("pill: {shown}")));
        }
    }
    post
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse() {
        let rules = page_rules().expect("tiktok_page.json is valid");
        assert_eq!(
            rules.label_for_text(" Paid partnership "),
            Some(LabelKind::PaidPartnership)
        );
        assert_eq!(
            rules.label_for_text("Hợp tác có trả phí"),
            Some(LabelKind::PaidPartnership)
        );
        assert_eq!(rules.label_for_text("sponsored"), Some(LabelKind::Ad));
        assert_eq!(rules.label_for_text("Ad"), Some(LabelKind::Ad));
        assert_eq!(rules.label_for_text("Add to cart"), None);
        assert_eq!(rules.label_for_text("my ad here"), None);
        let types = rules.value["page_types"].as_array().unwrap();
        for name in [
            "feed", "video", "profile", "search", "explore", "tag", "music",
        ] {
            assert!(
                types.iter().any(|t| t["name"] == name),
                "missing page type {name}"
            );
        }
        // The profile banner's anchor is data too (content/banner.js has no selector of its own).
        let profile = types.iter().find(|t| t["name"] == "profile").unwrap();
        assert!(
            profile["banner"]
                .as_array()
                .is_some_and(|b| !b.is_empty()
                    && b.iter().all(|s| s.as_str().is_some_and(|s| !s.is_empty()))),
            "the profile page type names where its banner goes"
        );
    }

    #[test]
    fn broken_rules_are_clear_errors() {
        assert!(parse_page_rules("{").is_err());
        assert!(
            parse_page_rules(r#"{"page_types":[{"name":"x","card":[]}],"label_texts":{}}"#)
                .unwrap_err()
                .contains("no card selector")
        );
        assert!(
            parse_page_rules(
                r#"{"page_types":[],"label_texts":{"ad":["Ad"],"paid_partnership":["ad"]}}"#
            )
            .unwrap_err()
            .contains("two label kinds")
        );
    }

    #[test]
    fn a_card_that_adds_nothing_is_its_item() {
        let rules = page_rules().unwrap();
        let item = Post {
            id: "7".into(),
            caption: "use code X".into(),
            creator: Creator {
                handle: "alice".into(),
                ..Creator::default()
            },
            ..Post::default()
        };
        assert_eq!(
            dom_fields_needed(&item),
            NEEDS_DISPLAY_NAME | NEEDS_HASHTAGS
        );
        // No DOM field and no pill: the very item (the content script then reuses its verdict).
        let card = Card {
            id: "7".into(),
            post: Some(item.clone()),
            ..Card::default()
        };
        assert_eq!(post_from_card(card, rules), item);
        // A needed field from the DOM, or a pill, changes the post.
        let card = Card {
            id: "7".into(),
            hashtags: vec!["#ad".into()],
            post: Some(item.clone()),
            ..Card::default()
        };
        assert_eq!(post_from_card(card, rules).hashtags, vec!["ad"]);
        let full = Post {
            hashtags: vec!["x".into()],
            creator: Creator {
                handle: "alice".into(),
                display_name: Some("Alice".into()),
                ..Creator::default()
            },
            ..item
        };
        assert_eq!(dom_fields_needed(&full), 0);
        assert_eq!(
            dom_fields_needed(&Post::default()),
            NEEDS_HANDLE | NEEDS_DISPLAY_NAME | NEEDS_CAPTION | NEEDS_HASHTAGS
        );
    }

    #[test]
    fn merges_json_item_with_dom_and_pills() {
        let rules = page_rules().unwrap();
        let dom_only = post_from_card(
            Card {
                id: "7".into(),
                handle: Some("@alice".into()),
                caption: Some("hello #ad".into()),
                hashtags: vec!["#ad".into()],
                label_texts: vec!["Paid partnership".into(), "LIVE".into()],
                ..Card::default()
            },
            rules,
        );
        assert_eq!(dom_only.id, "7");
        assert_eq!(dom_only.creator.handle, "alice");
        assert_eq!(dom_only.hashtags, vec!["ad"]);
        assert_eq!(dom_only.labels.len(), 1);
        assert_eq!(dom_only.labels[0].kind, LabelKind::PaidPartnership);

        let json = Post {
            id: "7".into(),
            caption: "from json".into(),
            creator: Creator {
                handle: "alice_json".into(),
                ..Creator::default()
            },
            ..Post::default()
        };
        let merged = post_from_card(
            Card {
                id: "7".into(),
                caption: Some("from dom".into()),
                post: Some(json),
                ..Card::default()
            },
            rules,
        );
        assert_eq!(merged.caption, "from json");
        assert_eq!(merged.creator.handle, "alice_json");
    }
}
