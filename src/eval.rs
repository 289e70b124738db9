//! Evaluation against labelled JSON Lines (`label_commercial`, `label_disclosed`, `lang`): precision,
//! recall and F1 with the confusion counts, per file and language, so anyone can reproduce the numbers.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::signals::EvidenceClass;
use crate::verdict::{Verdict, VerdictKind};

/// True/false positives and negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Confusion {
    pub tp: u64,
    pub fp: u64,
    pub fn_: u64,
    pub tn: u64,
}

impl Confusion {
    pub fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.fn_ + self.tn
    }
    pub fn precision(&self) -> Option<f64> {
        let d = self.tp + self.fp;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
    pub fn recall(&self) -> Option<f64> {
        let d = self.tp + self.fn_;
        (d > 0).then(|| self.tp as f64 / d as f64)
    }
    pub fn f1(&self) -> Option<f64> {
        let d = 2 * self.tp + self.fp + self.fn_;
        (d > 0).then(|| 2.0 * self.tp as f64 / d as f64)
    }
}

/// What the detector predicted for the two questions the labels answer.
///
/// Commercial: the verdict is not `organic`. Disclosed: the post carries any disclosure, clear or
/// ambiguous — the labelled sets code "any disclosure present" (Mathur et al. count "affiliate link"
/// and "support the channel" sentences as disclosures), which is what our disclosure evidence reports.
pub fn predictions(v: &Verdict) -> (bool, bool) {
    let disclosed = v
        .evidence
        .iter()
        .any(|e| e.kind == EvidenceClass::Disclosure);
    (v.commercial, disclosed)
}

/// Counts for one group of rows (a file, or a file and language).
#[derive(Debug, Clone, Default)]
pub struct Group {
    pub rows: u64,
    pub commercial: Confusion,
    pub disclosure: Confusion,
    pub verdicts: [u64; 4],
    pub flagged: u64,
}

impl Group {
    pub fn add(
        &mut self,
        v: &Verdict,
        label_commercial: Option<bool>,
        label_disclosed: Option<bool>,
    ) {
        let (commercial, disclosed) = predictions(v);
        self.rows += 1;
        if commercial {
            self.flagged += 1;
        }
        let slot = VerdictKind::ALL
            .iter()
            .position(|k| *k == v.verdict)
            .unwrap_or(0);
        self.verdicts[slot] += 1;
        if let Some(actual) = label_commercial {
            self.commercial.add(commercial, actual);
        }
        if let Some(actual) = label_disclosed {
            self.disclosure.add(disclosed, actual);
        }
    }
}

/// Groups keyed by (file, language); language `*` is the whole file.
#[derive(Debug, Default)]
pub struct Report {
    pub groups: BTreeMap<(String, String), Group>,
}

impl Report {
    pub fn add(
        &mut self,
        file: &str,
        lang: &str,
        v: &Verdict,
        label_commercial: Option<bool>,
        label_disclosed: Option<bool>,
    ) {
        for l in ["*", lang] {
            self.groups
                .entry((file.to_string(), l.to_string()))
                .or_default()
                .add(v, label_commercial, label_disclosed);
        }
    }

    /// A plain-text table.
    pub fn render(&self) -> String {
        let fmt = |x: Option<f64>| {
            x.map(|v| format!("{v:.3}"))
                .unwrap_or_else(|| "  -  ".into())
        };
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<40} {:>4} {:>6} {:>6} | {:>5} {:>5} {:>5} {:>18} | {:>5} {:>5} {:>5} {:>18} | verdicts o/d/u/n",
            "file",
            "lang",
            "rows",
            "flag%",
            "c.P",
            "c.R",
            "c.F1",
            "c.tp/fp/fn/tn",
            "d.P",
            "d.R",
            "d.F1",
            "d.tp/fp/fn/tn"
        );
        for ((file, lang), g) in &self.groups {
            if lang != "*"
                && self
                    .groups
                    .keys()
                    .filter(|(f, l)| f == file && l != "*")
                    .count()
                    <= 1
            {
                continue; // a single-language file: the file row says it all
            }
            let c = &g.commercial;
            let d = &g.disclosure;
            let conf = |c: &Confusion| {
                if c.total() == 0 {
                    "-".to_string()
                } else {
                    format!("{}/{}/{}/{}", c.tp, c.fp, c.fn_, c.tn)
                }
            };
            let _ = writeln!(
                out,
                "{:<40} {:>4} {:>6} {:>5.1}% | {:>5} {:>5} {:>5} {:>18} | {:>5} {:>5} {:>5} {:>18} | {}/{}/{}/{}",
                file,
                lang,
                g.rows,
                100.0 * g.flagged as f64 / g.rows.max(1) as f64,
                fmt(c.precision()),
                fmt(c.recall()),
                fmt(c.f1()),
                conf(c),
                fmt(d.precision()),
                fmt(d.recall()),
                fmt(d.f1()),
                conf(d),
                g.verdicts[0],
                g.verdicts[1],
                g.verdicts[2],
                g.verdicts[3]
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confusion_metrics() {
        let mut c = Confusion::default();
        for (p, a) in [
            (true, true),
            (true, true),
            (true, false),
            (false, true),
            (false, false),
        ] {
            c.add(p, a);
        }
        assert_eq!((c.tp, c.fp, c.fn_, c.tn), (2, 1, 1, 1));
        assert!((c.precision().unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.recall().unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.f1().unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(Confusion::default().f1(), None);
    }
}
