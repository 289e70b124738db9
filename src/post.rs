//! The post model: what every platform reader produces and what the engine judges.
//!
//! A `Post` is plain data with no platform types in it, so the engine, the ledger, the CLI and the
//! wasm layer all share it. Every field but `id` may be empty: readers fill what the page gave them.

use serde::{Deserialize, Serialize};

/// Where a post comes from. Only decides which platform labels make sense; matching is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    #[default]
    Tiktok,
    Instagram,
    Youtube,
    Pinterest,
    #[serde(other)]
    Other,
}

/// A commercial label or flag that the platform itself attached to the post.
///
/// The first group are *disclosures* the platform shows to viewers (a pill on the video); the rest are
/// data flags that only say "there is money here" and never count as the creator's disclosure
/// (see `tiktok-page.md` §7.4: which JSON field drives which pill is unverified, so flags only raise
/// the commercial evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelKind {
    /// TikTok `isAd`: a paid ad, shown as "Sponsored" / "Ad".
    Ad,
    /// "Paid partnership" (branded content for a third party).
    PaidPartnership,
    /// "Promotional content" (the creator promotes its own business); TikTok `brandOrganicType`.
    PromotionalContent,
    /// A commission disclosure on an affiliate shop video ("Creator earns commission").
    CommissionDisclosure,
    /// TikTok `adAuthorization`: the creator let a brand run the post as an ad (Spark Ads).
    AdAuthorization,
    /// TikTok `adLabelVersion > 0`.
    AdLabel,
    /// A TikTok Shop / product anchor on the post.
    ShopAnchor,
    /// TikTok `isECVideo`: an e-commerce video.
    EcommerceVideo,
    /// A hashtag the platform marks as commercial (`challenges[].isCommerce`, `textExtra[].isCommerce`).
    CommerceHashtag,
    /// The author is a registered seller (`author.ttSeller`) or business account.
    SellerAccount,
}

impl LabelKind {
    /// Whether viewers see this label on the post: only these count as a disclosure.
    pub fn is_visible_disclosure(self) -> bool {
        matches!(
            self,
            LabelKind::Ad
                | LabelKind::PaidPartnership
                | LabelKind::PromotionalContent
                | LabelKind::CommissionDisclosure
        )
    }

    /// The snake_case name used in JSON and in evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            LabelKind::Ad => "ad",
            LabelKind::PaidPartnership => "paid_partnership",
            LabelKind::PromotionalContent => "promotional_content",
            LabelKind::CommissionDisclosure => "commission_disclosure",
            LabelKind::AdAuthorization => "ad_authorization",
            LabelKind::AdLabel => "ad_label",
            LabelKind::ShopAnchor => "shop_anchor",
            LabelKind::EcommerceVideo => "ecommerce_video",
            LabelKind::CommerceHashtag => "commerce_hashtag",
            LabelKind::SellerAccount => "seller_account",
        }
    }
}

/// One platform label with what it was read from (a JSON field name, the pill's text, a product name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformLabel {
    pub kind: LabelKind,
    /// Where it came from, for the evidence: e.g. `isAd`, `anchors[0].keyword = "Serum 30ml"`, `pill: Paid partnership`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl PlatformLabel {
    pub fn new(kind: LabelKind, detail: impl Into<String>) -> Self {
        PlatformLabel {
            kind,
            detail: Some(detail.into()),
        }
    }
}

/// Who posted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Creator {
    /// The handle without `@` (TikTok `uniqueId`). Shown to users; may change over time.
    #[serde(default)]
    pub handle: String,
    /// Display name (TikTok `nickname`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A stable platform id (TikTok `author.id` / `secUid`) when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Profile bio (TikTok `signature`): may carry link-in-bio hosts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
}

/// A post as the engine sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    #[serde(default)]
    pub platform: Platform,
    /// The platform's post id, echoed exactly in every output.
    pub id: String,
    #[serde(default)]
    pub creator: Creator,
    /// The caption / description as the creator wrote it (hashtags inline included).
    #[serde(default)]
    pub caption: String,
    /// Hashtags without `#`, from structured data. Ones already inline in the caption are not counted twice.
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// Mentioned handles without `@`.
    #[serde(default)]
    pub mentions: Vec<String>,
    /// Links attached to the post (outside the caption text; URLs inside the caption are found by the engine).
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default)]
    pub labels: Vec<PlatformLabel>,
    /// The sound's title (on TikTok, shop accounts often name their sound after the shop).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub music_title: Option<String>,
    /// On-screen text stickers.
    #[serde(default)]
    pub stickers: Vec<String>,
    /// ISO 639-1 language of the caption when the platform says (TikTok `textLanguage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl Post {
    /// Whether the platform shows a disclosure label on this post.
    pub fn has_platform_disclosure(&self) -> bool {
        self.labels.iter().any(|l| l.kind.is_visible_disclosure())
    }
}
