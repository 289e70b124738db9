//! The engine: lexicons compiled once, then any number of posts judged, from any thread.

use crate::explain::Lang;
use crate::lexicon::{DisclosureTopic, Explanations, LexiconError, Lexicons, Rules};
use crate::post::{LabelKind, Post};
use crate::signals::{Field, Finding, Matcher, SignalKind, to_evidence};
use crate::verdict::{Verdict, decide};

/// The detector. Immutable once built; `Send + Sync`, so one engine serves every thread or JS call.
pub struct Engine {
    matcher: Matcher,
    rules: Rules,
    explanations: Explanations,
    languages: Vec<String>,
}

impl Engine {
    /// The engine over the lexicons compiled into the crate.
    pub fn new() -> Result<Engine, LexiconError> {
        Engine::from_lexicons(Lexicons::builtin()?)
    }

    pub fn from_lexicons(lex: Lexicons) -> Result<Engine, LexiconError> {
        let matcher = Matcher::new(&lex)?;
        Ok(Engine {
            matcher,
            languages: lex.languages.iter().map(|l| l.code.clone()).collect(),
            rules: lex.rules,
            explanations: lex.explanations,
        })
    }

    /// e.g. `deinfluencer 0.1.0 (16 languages, 1234 terms, 512 brands)`.
    pub fn describe(&self) -> String {
        format!(
            "deinfluencer {} ({} languages, {} terms, {} brands)",
            crate::VERSION,
            self.languages.len(),
            self.matcher.term_count(),
            self.matcher.brand_count()
        )
    }

    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Judge one post. Never panics, whatever the post holds.
    pub fn judge(&self, post: &Post, lang: Lang) -> Verdict {
        let mut findings = self.matcher.scan(post).findings;
        self.mark_buried(&post.caption, &mut findings);
        self.add_labels(post, &mut findings);
        let decision = decide(&findings, &self.rules);
        Verdict {
            id: post.id.clone(),
            creator: post.creator.handle.clone(),
            verdict: decision.verdict,
            commercial: decision.commercial,
            self_promo: decision.self_promo,
            score: decision.score,
            evidence: to_evidence(findings, &self.explanations, lang),
        }
    }

    /// A clear label after the visible part of the caption, or behind a wall of hashtags, is buried.
    fn mark_buried(&self, caption: &str, findings: &mut [Finding]) {
        for f in findings.iter_mut() {
            if f.signal != SignalKind::ClearDisclosure || f.field != Field::Caption {
                continue;
            }
            let before = caption.get(..f.start).unwrap_or("");
            let chars = before.chars().count();
            let lines = before.matches('\n').count();
            let hashtags = before
                .split(|c: char| c.is_whitespace())
                .filter(|w| w.starts_with(['#', '＃']) && w.chars().count() > 1)
                .count();
            if chars > self.rules.up_front_chars
                || lines >= 2
                || hashtags >= self.rules.buried_after_hashtags
            {
                f.signal = SignalKind::BuriedDisclosure;
            }
        }
    }

    fn add_labels(&self, post: &Post, findings: &mut Vec<Finding>) {
        for label in &post.labels {
            let text = label
                .detail
                .clone()
                .unwrap_or_else(|| label.kind.as_str().to_string());
            let text = match label.kind {
                LabelKind::SellerAccount => format!("{text} (seller account)"),
                LabelKind::PromotionalContent => format!("{text} (promotional content)"),
                _ => text,
            };
            let mut topic = None;
            let (signal, weight) = if label.kind.is_visible_disclosure() {
                topic = Some(if label.kind == LabelKind::CommissionDisclosure {
                    DisclosureTopic::Affiliate
                } else {
                    DisclosureTopic::Sponsorship
                });
                (SignalKind::PlatformDisclosure, 0.97)
            } else {
                let w = self
                    .rules
                    .label_weights
                    .get(label.kind.as_str())
                    .copied()
                    .unwrap_or(0.5);
                (SignalKind::PlatformCommerce, w)
            };
            let end = text.len();
            findings.push(Finding {
                signal,
                field: Field::Label,
                start: 0,
                end,
                weight,
                text,
                topic,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }

    fn post(id: &str, caption: &str, hashtags: &[&str], stickers: &[&str]) -> Post {
        Post {
            id: id.into(),
            caption: caption.into(),
            hashtags: hashtags.iter().map(|h| h.to_string()).collect(),
            stickers: stickers.iter().map(|s| s.to_string()).collect(),
            music_title: Some("nhạc nền - Shop Mỹ Phẩm".into()),
            ..Post::default()
        }
    }

    /// Scanning reuses per-thread buffers: a verdict must not depend on what was judged before it.
    #[test]
    fn a_verdict_does_not_depend_on_the_posts_judged_before() {
        let engine = Engine::new().expect("builtin lexicons are valid");
        let a = post(
            "1",
            "Giảm giá hôm nay, nhập mã MAI20 nhé #vinamilkpartner @samsungvietnam",
            &["fyp", "lorealparishub"],
            &[],
        );
        let b = post(
            "2",
            "s p o n s o r e d #ad #sp www.example.com/x ทดลอง 광고 and a much longer caption",
            &["quảng_cáo", "xuhuong", "ExcitedToPartnerWithAcme"],
            &["#ad sticker", "link in bio"],
        );
        let first_a = engine.judge(&a, Lang::Vi);
        let first_b = engine.judge(&b, Lang::Vi);
        assert!(first_a.evidence.len() >= 3 && first_b.evidence.len() >= 3);
        for _ in 0..2 {
            assert_eq!(engine.judge(&a, Lang::Vi), first_a);
            assert_eq!(engine.judge(&b, Lang::Vi), first_b);
        }
        // Another thread has its own buffers (wasm32 has no threads).
        #[cfg(not(target_arch = "wasm32"))]
        let from_another_thread = std::thread::scope(|s| {
            s.spawn(|| engine.judge(&a, Lang::Vi))
                .join()
                .expect("judging does not panic")
        });
        #[cfg(not(target_arch = "wasm32"))]
        assert_eq!(from_another_thread, first_a);
    }
}
