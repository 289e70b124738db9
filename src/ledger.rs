//! Per-creator counts of what the user has seen: how much of a creator's output is commercial, and how
//! much of that is disclosed.

use serde::{Deserialize, Serialize};

use crate::verdict::VerdictKind;

/// Below this many posts seen, a ratio says more about chance than about the creator.
pub const MIN_POSTS_TO_JUDGE: u64 = 5;

/// Verdict counts for one creator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatorStats {
    pub seen: u64,
    /// Counts per verdict, in `VerdictKind::ALL` order.
    pub verdicts: [u64; 4],
    pub self_promo: u64,
}

fn slot(v: VerdictKind) -> usize {
    match v {
        VerdictKind::Organic => 0,
        VerdictKind::Disclosed => 1,
        VerdictKind::Unclear => 2,
        VerdictKind::Undisclosed => 3,
    }
}

impl CreatorStats {
    pub fn record(&mut self, verdict: VerdictKind, self_promo: bool) {
        self.seen += 1;
        self.verdicts[slot(verdict)] += 1;
        if self_promo {
            self.self_promo += 1;
        }
    }

    pub fn count(&self, v: VerdictKind) -> u64 {
        self.verdicts[slot(v)]
    }

    /// Posts judged commercial (disclosed, unclear or undisclosed).
    pub fn commercial(&self) -> u64 {
        self.seen - self.count(VerdictKind::Organic)
    }

    /// commercial / seen (0 when nothing was seen).
    pub fn sponsored_share(&self) -> f64 {
        ratio(self.commercial(), self.seen).unwrap_or(0.0)
    }

    /// disclosed / commercial; `None` when no commercial post was seen.
    pub fn disclosure_rate(&self) -> Option<f64> {
        ratio(self.count(VerdictKind::Disclosed), self.commercial())
    }

    /// Whether there are enough posts to show a ratio at all.
    pub fn enough_to_judge(&self) -> bool {
        self.seen >= MIN_POSTS_TO_JUDGE
    }
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// The 95 % Wilson score interval for `successes` out of `n` (`(0, 0)` for `n = 0`).
pub fn wilson_interval(successes: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 0.0);
    }
    let z = 1.959_963_984_540_054_f64;
    let n_f = n as f64;
    let p = successes.min(n) as f64 / n_f;
    let denom = 1.0 + z * z / n_f;
    let centre = (p + z * z / (2.0 * n_f)) / denom;
    let half = z * ((p * (1.0 - p) / n_f) + z * z / (4.0 * n_f * n_f)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios() {
        let mut s = CreatorStats::default();
        assert_eq!(s.sponsored_share(), 0.0);
        assert_eq!(s.disclosure_rate(), None);
        for v in [
            VerdictKind::Organic,
            VerdictKind::Organic,
            VerdictKind::Disclosed,
            VerdictKind::Undisclosed,
        ] {
            s.record(v, false);
        }
        assert_eq!(s.seen, 4);
        assert_eq!(s.commercial(), 2);
        assert_eq!(s.sponsored_share(), 0.5);
        assert_eq!(s.disclosure_rate(), Some(0.5));
        assert!(!s.enough_to_judge());
    }

    #[test]
    fn wilson_matches_reference_values() {
        // 5 of 10: the textbook interval is (0.2366, 0.7634).
        let (lo, hi) = wilson_interval(5, 10);
        assert!(
            (lo - 0.2366).abs() < 1e-3 && (hi - 0.7634).abs() < 1e-3,
            "{lo} {hi}"
        );
        assert_eq!(wilson_interval(0, 0), (0.0, 0.0));
        let (lo, hi) = wilson_interval(0, 20);
        assert_eq!(lo, 0.0);
        assert!(hi > 0.1 && hi < 0.2);
    }
}
