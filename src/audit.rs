//! The audit format: JSON Lines in, one verdict per post out. Pure functions; the CLI does the I/O.
//!
//! A line is a simple post (`{"id", "creator", "text", "hashtags"?, …}`, with `caption` or `desc` for
//! `text`), a raw TikTok item, or a whole TikTok API / page JSON holding items.

use serde::Serialize;
use serde_json::Value;

use crate::ledger::CreatorStats;
use crate::platform::tiktok;
use crate::post::{Creator, LabelKind, Platform, PlatformLabel, Post};
use crate::signals::Evidence;
use crate::verdict::{Verdict, VerdictKind};

/// Why a line could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError(pub String);

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn id_of(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn label_from_name(name: &str) -> Option<LabelKind> {
    let n = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    Some(match n.as_str() {
        "ad" | "is_ad" | "isad" | "sponsored" => LabelKind::Ad,
        "paid_partnership" | "branded_content" => LabelKind::PaidPartnership,
        "promotional_content" | "brand_organic" => LabelKind::PromotionalContent,
        "commission_disclosure" | "creator_earns_commission" => LabelKind::CommissionDisclosure,
        "ad_authorization" | "adauthorization" | "spark_ad" => LabelKind::AdAuthorization,
        "ad_label" => LabelKind::AdLabel,
        "shop_anchor" | "product_anchor" => LabelKind::ShopAnchor,
        "ecommerce_video" | "is_ec_video" | "isecvideo" => LabelKind::EcommerceVideo,
        "commerce_hashtag" => LabelKind::CommerceHashtag,
        "seller_account" => LabelKind::SellerAccount,
        _ => return None,
    })
}

/// A simple post object (the audit schema) → Post.
fn simple_post(obj: &serde_json::Map<String, Value>, line_no: usize) -> Result<Post, LineError> {
    let text = ["text", "caption", "desc"]
        .iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str))
        .unwrap_or("")
        .to_string();
    let id = id_of(obj.get("id")).unwrap_or_else(|| format!("line-{line_no}"));
    let creator = match obj.get("creator").or_else(|| obj.get("author")) {
        Some(Value::String(handle)) => Creator {
            handle: handle.trim_start_matches('@').to_string(),
            ..Creator::default()
        },
        Some(Value::Object(c)) => Creator {
            handle: ["handle", "uniqueId", "unique_id", "username"]
                .iter()
                .find_map(|k| c.get(*k).and_then(Value::as_str))
                .unwrap_or("")
                .trim_start_matches('@')
                .to_string(),
            display_name: ["display_name", "nickname", "name"]
                .iter()
                .find_map(|k| c.get(*k).and_then(Value::as_str))
                .map(str::to_string),
            id: id_of(c.get("id")),
            bio: c
                .get("bio")
                .or_else(|| c.get("signature"))
                .and_then(Value::as_str)
                .map(str::to_string),
        },
        _ => Creator::default(),
    };
    let mut labels = Vec::new();
    if let Some(Value::Array(items)) = obj.get("labels") {
        for item in items {
            let name = match item {
                Value::String(s) => s.as_str(),
                Value::Object(o) => o.get("kind").and_then(Value::as_str).unwrap_or(""),
                _ => "",
            };
            match label_from_name(name) {
                Some(kind) => labels.push(PlatformLabel::new(kind, name)),
                None => return Err(LineError(format!("unknown label `{name}`"))),
            }
        }
    }
    let platform = match obj.get("platform").and_then(Value::as_str) {
        Some(p) => {
            serde_json::from_value(Value::String(p.to_ascii_lowercase())).unwrap_or(Platform::Other)
        }
        None => Platform::Tiktok,
    };
    Ok(Post {
        platform,
        id,
        creator,
        caption: text,
        hashtags: string_list(obj.get("hashtags")),
        mentions: string_list(obj.get("mentions")),
        links: string_list(obj.get("links")),
        labels,
        music_title: ["music", "music_title"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_str))
            .map(str::to_string),
        stickers: string_list(obj.get("stickers")),
        language: ["language", "lang"]
            .iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_str))
            .map(str::to_string),
    })
}

/// Read the posts on one JSON Lines line (1-based `line_no`, used for ids the line lacks).
pub fn parse_line(line: &str, line_no: usize) -> Result<Vec<Post>, LineError> {
    if line.len() > tiktok::MAX_INPUT_BYTES {
        return Err(LineError(format!(
            "line is {} bytes, over the {} byte limit",
            line.len(),
            tiktok::MAX_INPUT_BYTES
        )));
    }
    let value: Value = serde_json::from_str(line)
        .map_err(|e| LineError(format!("invalid JSON at column {}: {e}", e.column())))?;
    let Value::Object(obj) = &value else {
        return Err(LineError("expected a JSON object".into()));
    };
    let is_simple = ["text", "caption"].iter().any(|k| obj.contains_key(*k))
        || (obj.contains_key("desc") && !obj.contains_key("author"));
    if is_simple {
        return simple_post(obj, line_no).map(|p| vec![p]);
    }
    let posts = tiktok::posts_from_value(&value);
    if posts.is_empty() {
        return Err(LineError(
            "no post found: expected {\"id\", \"creator\", \"text\"}, a TikTok item or a TikTok API/page JSON".into(),
        ));
    }
    Ok(posts)
}

/// One post's output line.
#[derive(Debug, Serialize)]
pub struct PostReport<'a> {
    pub id: &'a str,
    pub creator: &'a str,
    pub verdict: VerdictKind,
    pub commercial: bool,
    pub self_promo: bool,
    pub score: f32,
    pub evidence: &'a [Evidence],
}

impl<'a> From<&'a Verdict> for PostReport<'a> {
    fn from(v: &'a Verdict) -> Self {
        PostReport {
            id: &v.id,
            creator: &v.creator,
            verdict: v.verdict,
            commercial: v.commercial,
            self_promo: v.self_promo,
            score: v.score,
            evidence: &v.evidence,
        }
    }
}

/// Quote a CSV field (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub const POSTS_CSV_HEADER: &str = "id,creator,verdict,commercial,self_promo,score,signals";

pub fn post_csv_row(v: &Verdict) -> String {
    let signals: Vec<String> = v
        .evidence
        .iter()
        .map(|e| format!("{}:{}", e.signal.as_str(), e.text))
        .collect();
    format!(
        "{},{},{},{},{},{},{}",
        csv_field(&v.id),
        csv_field(&v.creator),
        v.verdict.as_str(),
        v.commercial,
        v.self_promo,
        v.score,
        csv_field(&signals.join(" | "))
    )
}

/// One line of the human table: verdict, score, creator, id, and the strongest signals.
pub fn post_table_row(v: &Verdict) -> String {
    let mut signals: Vec<&Evidence> = v.evidence.iter().collect();
    signals.sort_by(|a, b| {
        b.weight
            .partial_cmp(&a.weight)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let top: Vec<String> = signals
        .iter()
        .take(3)
        .map(|e| {
            let t: String = e.text.chars().take(30).collect();
            format!("{} “{}”", e.signal.as_str(), t.replace('\n', " "))
        })
        .collect();
    let creator: String = v.creator.chars().take(20).collect();
    format!(
        "{:<11} {:>5.2} {:<20} {:<20} {}",
        v.verdict.as_str(),
        v.score,
        creator,
        v.id,
        top.join("; ")
    )
}

/// Per-creator output line.
#[derive(Debug, Serialize)]
pub struct CreatorReport<'a> {
    pub creator: &'a str,
    pub seen: u64,
    pub organic: u64,
    pub disclosed: u64,
    pub unclear: u64,
    pub undisclosed: u64,
    pub self_promo: u64,
    pub sponsored_share: f64,
    pub disclosure_rate: Option<f64>,
}

impl<'a> CreatorReport<'a> {
    pub fn new(creator: &'a str, s: &CreatorStats) -> Self {
        CreatorReport {
            creator,
            seen: s.seen,
            organic: s.count(VerdictKind::Organic),
            disclosed: s.count(VerdictKind::Disclosed),
            unclear: s.count(VerdictKind::Unclear),
            undisclosed: s.count(VerdictKind::Undisclosed),
            self_promo: s.self_promo,
            sponsored_share: round3(s.sponsored_share()),
            disclosure_rate: s.disclosure_rate().map(round3),
        }
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub const CREATORS_CSV_HEADER: &str =
    "creator,seen,organic,disclosed,unclear,undisclosed,self_promo,sponsored_share,disclosure_rate";

pub fn creator_csv_row(r: &CreatorReport<'_>) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{}",
        csv_field(r.creator),
        r.seen,
        r.organic,
        r.disclosed,
        r.unclear,
        r.undisclosed,
        r.self_promo,
        r.sponsored_share,
        r.disclosure_rate.map(|d| d.to_string()).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_simple_posts() {
        let posts = parse_line(
            r##"{"id": 42, "creator": "@a", "caption": "hi #ad", "hashtags": ["x"], "labels": ["is_ad"]}"##,
            3,
        )
        .unwrap();
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].id, "42");
        assert_eq!(posts[0].creator.handle, "a");
        assert_eq!(posts[0].caption, "hi #ad");
        assert_eq!(posts[0].labels[0].kind, LabelKind::Ad);
        let posts = parse_line(r#"{"text": "no id"}"#, 7).unwrap();
        assert_eq!(posts[0].id, "line-7");
    }

    #[test]
    fn rejects_bad_lines_clearly() {
        assert!(
            parse_line("{nope", 1)
                .unwrap_err()
                .0
                .contains("invalid JSON")
        );
        assert!(parse_line("[1,2]", 1).unwrap_err().0.contains("object"));
        assert!(
            parse_line(r#"{"foo": 1}"#, 1)
                .unwrap_err()
                .0
                .contains("no post found")
        );
        assert!(
            parse_line(r#"{"text": "x", "labels": ["bogus"]}"#, 1)
                .unwrap_err()
                .0
                .contains("bogus")
        );
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
