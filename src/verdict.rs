//! Verdicts: what the engine concludes about one post, with the evidence that led there.

use serde::{Deserialize, Serialize};

use crate::signals::Evidence;

/// The four outcomes. Never "clean": `Organic` means nothing commercial was detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VerdictKind {
    /// Nothing commercial detected.
    Organic,
    /// Commercial, with a clear disclosure up front (the creator's own or the platform's label).
    Disclosed,
    /// Commercial, with only an ambiguous or buried disclosure.
    Unclear,
    /// Commercial, with no disclosure found.
    Undisclosed,
}

impl VerdictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Organic => "organic",
            VerdictKind::Disclosed => "disclosed",
            VerdictKind::Unclear => "unclear",
            VerdictKind::Undisclosed => "undisclosed",
        }
    }

    pub const ALL: [VerdictKind; 4] = [
        VerdictKind::Organic,
        VerdictKind::Disclosed,
        VerdictKind::Unclear,
        VerdictKind::Undisclosed,
    ];
}

impl std::str::FromStr for VerdictKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        VerdictKind::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown verdict `{s}` (expected organic, disclosed, unclear or undisclosed)"
                )
            })
    }
}

/// The engine's judgement of one post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The post id, echoed exactly.
    pub id: String,
    /// The creator's handle.
    pub creator: String,
    pub verdict: VerdictKind,
    /// Whether the post is commercial (paid, affiliate, gifted, shop, own business).
    pub commercial: bool,
    /// The creator sells its own products (informational, not an accusation).
    pub self_promo: bool,
    /// Commercial evidence strength, 0–1.
    pub score: f32,
    /// Every signal found, the creator's own disclosure included.
    pub evidence: Vec<Evidence>,
}

use crate::lexicon::Rules;
use crate::signals::{EvidenceClass, Finding, SignalKind};

/// The outcome of weighing a post's findings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub verdict: VerdictKind,
    pub commercial: bool,
    pub self_promo: bool,
    pub score: f32,
}

/// Weigh the findings of one post.
///
/// Commercial evidence combines like independent probabilities (`1 − Π(1 − wᵢ)`), so two weak cues
/// add up but never past 1. A post is commercial at `rules.commercial_threshold`, or when it carries a
/// clear disclosure (an ad label says it is an ad). Then: a clear label up front → `disclosed`; only a
/// buried label, a weak label or a tagged brand (tagging the brand is not a disclosure, but it is not
/// hiding the brand either) → `unclear`; nothing at all → `undisclosed`. Precision comes first: weak
/// cues alone stay below the threshold and the post stays `organic`.
pub fn decide(findings: &[Finding], rules: &Rules) -> Decision {
    let mut keep_out = 1.0f32;
    let mut clear = false;
    let mut weak = false;
    let mut self_signals = false;
    for f in findings {
        let class = f.signal.class();
        if class != EvidenceClass::Negation {
            let w = f.weight.clamp(0.0, 1.0);
            keep_out *= 1.0 - w;
        }
        match f.signal {
            SignalKind::ClearDisclosure | SignalKind::PlatformDisclosure
                if f.weight >= rules.commercial_threshold =>
            {
                clear = true
            }
            SignalKind::ClearDisclosure
            | SignalKind::PlatformDisclosure
            | SignalKind::BuriedDisclosure
            | SignalKind::AmbiguousDisclosure => weak = true,
            SignalKind::SelfPromo | SignalKind::ShopAccount => self_signals = true,
            s if s.names_brand() => weak = true,
            _ => {}
        }
        if f.signal == SignalKind::PlatformCommerce && f.text.contains("seller") {
            self_signals = true;
        }
        if f.signal == SignalKind::PlatformDisclosure
            && f.text.to_ascii_lowercase().contains("promotional")
        {
            self_signals = true;
        }
    }
    let score = (1.0 - keep_out).clamp(0.0, 1.0);
    let commercial = clear || score >= rules.commercial_threshold;
    let verdict = if !commercial {
        VerdictKind::Organic
    } else if clear {
        VerdictKind::Disclosed
    } else if weak {
        VerdictKind::Unclear
    } else {
        VerdictKind::Undisclosed
    };
    Decision {
        verdict,
        commercial,
        self_promo: commercial && self_signals,
        score: (score * 1000.0).round() / 1000.0,
    }
}
