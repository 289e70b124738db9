//! Per-creator counts of what the user has seen: how much of a creator's output is commercial, and how
//! much of that is disclosed.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::verdict::VerdictKind;

/// Below this many posts seen, a ratio says more about chance than about the creator.
pub const MIN_POSTS_TO_JUDGE: u64 = 5;

/// How many signal kinds a creator's "why" breakdown lists.
pub const TOP_SIGNALS: usize = 3;

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

    /// Undo one `record` (a post pruned, or replaced by a newer verdict).
    pub fn unrecord(&mut self, verdict: VerdictKind, self_promo: bool) {
        self.seen = self.seen.saturating_sub(1);
        let s = &mut self.verdicts[slot(verdict)];
        *s = s.saturating_sub(1);
        if self_promo {
            self.self_promo = self.self_promo.saturating_sub(1);
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

/// Each signal kind of a post once, in first-seen order (a post with two codes counts once).
fn distinct(signals: &[String]) -> impl Iterator<Item = &String> {
    signals
        .iter()
        .enumerate()
        .filter(|(i, s)| !signals[..*i].contains(s))
        .map(|(_, s)| s)
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

// ---------------------------------------------------------------------------------------------------
// The ledger: every post the user has seen, once per post id, and the per-creator counts derived from it.
// ---------------------------------------------------------------------------------------------------

/// The storage schema this build writes. Older ones are migrated on load; newer ones are refused
/// (a downgraded extension must not destroy data it cannot read).
pub const SCHEMA_VERSION: u32 = 1;

/// How many posts are kept by default; the oldest (by last seen) are pruned beyond it.
pub const DEFAULT_RETENTION: usize = 50_000;

/// The user's own correction of a verdict, kept and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// "Not an ad": counts as organic.
    NotAnAd,
    /// "This is an ad": counts as commercial (undisclosed unless the engine saw a disclosure).
    IsAnAd,
}

/// One post as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRecord {
    pub id: String,
    pub creator: String,
    /// The engine's verdict.
    pub verdict: VerdictKind,
    #[serde(default)]
    pub self_promo: bool,
    /// The kinds of the signals found (for the "why" breakdown), not the matched text.
    #[serde(default)]
    pub signals: Vec<String>,
    /// Milliseconds since the Unix epoch.
    pub first_seen: u64,
    pub last_seen: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
}

impl PostRecord {
    /// The verdict that counts: the user's correction wins over the engine.
    pub fn effective_verdict(&self) -> VerdictKind {
        match (self.correction, self.verdict) {
            (Some(Correction::NotAnAd), _) => VerdictKind::Organic,
            (Some(Correction::IsAnAd), VerdictKind::Organic) => VerdictKind::Undisclosed,
            (_, v) => v,
        }
    }

    fn counts_self_promo(&self) -> bool {
        self.self_promo && self.effective_verdict() != VerdictKind::Organic
    }
}

/// What recording a post did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordOutcome {
    /// First time this post was seen.
    New,
    /// Seen before: not counted again (only `last_seen` moves).
    SeenAgain,
    /// Seen before with another verdict (an engine update): the new verdict replaces the old one.
    Updated,
}

/// Why the ledger could not do something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerError {
    /// Stored or imported data is not valid JSON or not a ledger.
    Corrupt(String),
    /// Written by a newer version of the extension.
    TooNew { found: u32, supported: u32 },
    /// A correction for a post the ledger does not hold.
    UnknownPost(String),
    /// A record with no id or no creator.
    Invalid(String),
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::Corrupt(m) => write!(f, "the saved data is damaged: {m}"),
            LedgerError::TooNew { found, supported } => write!(
                f,
                "the saved data was written by a newer version (schema {found}; this version reads up to {supported})"
            ),
            LedgerError::UnknownPost(id) => write!(f, "no post {id} has been seen"),
            LedgerError::Invalid(m) => write!(f, "invalid record: {m}"),
        }
    }
}

impl std::error::Error for LedgerError {}

/// One creator's numbers, ready to show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreatorSummary {
    pub creator: String,
    pub seen: u64,
    pub organic: u64,
    pub disclosed: u64,
    pub unclear: u64,
    pub undisclosed: u64,
    pub self_promo: u64,
    pub commercial: u64,
    /// commercial / seen.
    pub sponsored_share: f64,
    /// 95 % Wilson interval of the sponsored share.
    pub sponsored_interval: (f64, f64),
    /// disclosed / commercial (`None` without commercial posts).
    pub disclosure_rate: Option<f64>,
    pub disclosure_interval: Option<(f64, f64)>,
    /// False below [`MIN_POSTS_TO_JUDGE`]: show "too few posts to judge" instead of ratios.
    pub enough_to_judge: bool,
    pub corrections: u64,
    pub last_seen: u64,
    /// The signal kinds most often found in this creator's commercial posts (each counted once per
    /// post), most frequent first: the "why" of the numbers. Filled by [`CreatorLedger::creator`]
    /// only (the all-creators table does not need it), so omitted when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub top_signals: Vec<SignalCount>,
}

/// How many of a creator's commercial posts carried one kind of signal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalCount {
    pub signal: String,
    pub posts: u64,
}

/// A summary of a set of posts (e.g. the ones on the current tab).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TabSummary {
    pub scanned: u64,
    pub organic: u64,
    pub disclosed: u64,
    pub unclear: u64,
    pub undisclosed: u64,
}

/// What an import did. Nothing is overwritten silently: every post is counted in one of these.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub added: u64,
    /// Already present: merged (seen times widened; the newer verdict kept; an existing correction kept).
    pub merged: u64,
    /// Present on both sides with different corrections: the one already here was kept.
    pub conflicts: u64,
    /// Invalid entries skipped (no id, no creator).
    pub skipped: u64,
    /// Posts pruned afterwards to stay within the retention.
    pub pruned: u64,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    schema_version: u32,
    #[serde(default)]
    retention: Option<usize>,
    posts: Vec<PostRecord>,
}

/// Every post the user has seen and the per-creator counts. Pure data: the service worker owns the one
/// instance and persists [`CreatorLedger::to_json`] in `storage.local`.
#[derive(Debug, Clone)]
pub struct CreatorLedger {
    posts: HashMap<String, PostRecord>,
    /// (last_seen, id), oldest first: what pruning removes.
    by_age: BTreeSet<(u64, String)>,
    creators: HashMap<String, CreatorStats>,
    corrections: HashMap<String, u64>,
    /// Per creator: signal kind → commercial posts carrying it (for the "why" breakdown).
    signal_counts: HashMap<String, HashMap<String, u64>>,
    /// When each creator was last seen (kept while the creator has posts; not lowered by pruning).
    creator_last_seen: HashMap<String, u64>,
    retention: usize,
}

impl Default for CreatorLedger {
    fn default() -> Self {
        CreatorLedger::new(DEFAULT_RETENTION)
    }
}

impl CreatorLedger {
    pub fn new(retention: usize) -> Self {
        CreatorLedger {
            posts: HashMap::new(),
            by_age: BTreeSet::new(),
            creators: HashMap::new(),
            corrections: HashMap::new(),
            signal_counts: HashMap::new(),
            creator_last_seen: HashMap::new(),
            retention: retention.max(1),
        }
    }

    pub fn len(&self) -> usize {
        self.posts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    pub fn retention(&self) -> usize {
        self.retention
    }

    /// Change the retention; prunes at once. Returns how many posts were pruned.
    pub fn set_retention(&mut self, retention: usize) -> usize {
        self.retention = retention.max(1);
        self.prune()
    }

    pub fn post(&self, id: &str) -> Option<&PostRecord> {
        self.posts.get(id)
    }

    fn count_in(&mut self, r: &PostRecord) {
        self.creators
            .entry(r.creator.clone())
            .or_default()
            .record(r.effective_verdict(), r.counts_self_promo());
        if r.correction.is_some() {
            *self.corrections.entry(r.creator.clone()).or_default() += 1;
        }
        if r.effective_verdict() != VerdictKind::Organic && !r.signals.is_empty() {
            let counts = self.signal_counts.entry(r.creator.clone()).or_default();
            for signal in distinct(&r.signals) {
                *counts.entry(signal.clone()).or_default() += 1;
            }
        }
        let last = self.creator_last_seen.entry(r.creator.clone()).or_default();
        *last = (*last).max(r.last_seen);
    }

    fn count_out(&mut self, r: &PostRecord) {
        if let Some(stats) = self.creators.get_mut(&r.creator) {
            stats.unrecord(r.effective_verdict(), r.counts_self_promo());
            if stats.seen == 0 {
                self.creators.remove(&r.creator);
                self.creator_last_seen.remove(&r.creator);
                self.signal_counts.remove(&r.creator);
            }
        }
        if r.effective_verdict() != VerdictKind::Organic
            && let Some(counts) = self.signal_counts.get_mut(&r.creator)
        {
            for signal in distinct(&r.signals) {
                if let Some(c) = counts.get_mut(signal) {
                    *c = c.saturating_sub(1);
                    if *c == 0 {
                        counts.remove(signal);
                    }
                }
            }
        }
        if r.correction.is_some()
            && let Some(c) = self.corrections.get_mut(&r.creator)
        {
            *c = c.saturating_sub(1);
        }
    }

    fn insert(&mut self, r: PostRecord) {
        self.count_in(&r);
        self.by_age.insert((r.last_seen, r.id.clone()));
        self.posts.insert(r.id.clone(), r);
    }

    fn remove(&mut self, id: &str) -> Option<PostRecord> {
        let r = self.posts.remove(id)?;
        self.by_age.remove(&(r.last_seen, r.id.clone()));
        self.count_out(&r);
        Some(r)
    }

    /// Record one scanned post. A post is counted once per id; a changed verdict replaces the old one.
    pub fn record(
        &mut self,
        id: &str,
        creator: &str,
        verdict: VerdictKind,
        self_promo: bool,
        signals: Vec<String>,
        now: u64,
    ) -> Result<RecordOutcome, LedgerError> {
        if id.is_empty() || creator.is_empty() {
            return Err(LedgerError::Invalid(
                "a post needs an id and a creator".into(),
            ));
        }
        let outcome = match self.remove(id) {
            None => {
                self.insert(PostRecord {
                    id: id.to_string(),
                    creator: creator.to_string(),
                    verdict,
                    self_promo,
                    signals,
                    first_seen: now,
                    last_seen: now,
                    correction: None,
                });
                RecordOutcome::New
            }
            Some(mut old) => {
                let changed = old.verdict != verdict
                    || old.self_promo != self_promo
                    || old.creator != creator;
                old.last_seen = old.last_seen.max(now);
                if changed {
                    old.verdict = verdict;
                    old.self_promo = self_promo;
                    old.signals = signals;
                    old.creator = creator.to_string();
                }
                self.insert(old);
                if changed {
                    RecordOutcome::Updated
                } else {
                    RecordOutcome::SeenAgain
                }
            }
        };
        self.prune();
        Ok(outcome)
    }

    /// Set or clear the user's correction of a post.
    pub fn correct(&mut self, id: &str, correction: Option<Correction>) -> Result<(), LedgerError> {
        let mut r = self
            .remove(id)
            .ok_or_else(|| LedgerError::UnknownPost(id.to_string()))?;
        r.correction = correction;
        self.insert(r);
        Ok(())
    }

    /// Keep the newest `retention` posts. Returns how many were pruned.
    pub fn prune(&mut self) -> usize {
        let mut pruned = 0;
        while self.posts.len() > self.retention {
            let Some((_, id)) = self.by_age.iter().next().cloned() else {
                break;
            };
            self.remove(&id);
            pruned += 1;
        }
        pruned
    }

    /// One creator's numbers, with the most frequent signal kinds of its commercial posts.
    pub fn creator(&self, creator: &str) -> Option<CreatorSummary> {
        let stats = self.creators.get(creator)?;
        let last_seen = self.creator_last_seen.get(creator).copied().unwrap_or(0);
        let mut summary = self.summarise(creator, stats, last_seen);
        summary.top_signals = self.top_signals(creator, TOP_SIGNALS);
        Some(summary)
    }

    /// The `limit` signal kinds most often seen in a creator's commercial posts (ties by name).
    pub fn top_signals(&self, creator: &str, limit: usize) -> Vec<SignalCount> {
        let mut all: Vec<SignalCount> = self
            .signal_counts
            .get(creator)
            .into_iter()
            .flatten()
            .filter(|(_, posts)| **posts > 0)
            .map(|(signal, posts)| SignalCount {
                signal: signal.clone(),
                posts: *posts,
            })
            .collect();
        all.sort_by(|a, b| b.posts.cmp(&a.posts).then_with(|| a.signal.cmp(&b.signal)));
        all.truncate(limit);
        all
    }

    fn summarise(&self, creator: &str, s: &CreatorStats, last_seen: u64) -> CreatorSummary {
        let commercial = s.commercial();
        let disclosed = s.count(VerdictKind::Disclosed);
        CreatorSummary {
            creator: creator.to_string(),
            seen: s.seen,
            organic: s.count(VerdictKind::Organic),
            disclosed,
            unclear: s.count(VerdictKind::Unclear),
            undisclosed: s.count(VerdictKind::Undisclosed),
            self_promo: s.self_promo,
            commercial,
            sponsored_share: s.sponsored_share(),
            sponsored_interval: wilson_interval(commercial, s.seen),
            disclosure_rate: s.disclosure_rate(),
            disclosure_interval: (commercial > 0).then(|| wilson_interval(disclosed, commercial)),
            enough_to_judge: s.enough_to_judge(),
            corrections: self.corrections.get(creator).copied().unwrap_or(0),
            last_seen,
            top_signals: Vec::new(),
        }
    }

    /// Every creator, most recently seen first; `query` filters by a case-insensitive substring.
    pub fn creators(&self, query: &str, limit: usize) -> Vec<CreatorSummary> {
        let q = query.trim().trim_start_matches('@').to_lowercase();
        let mut out: Vec<CreatorSummary> = self
            .creators
            .iter()
            .filter(|(name, _)| q.is_empty() || name.to_lowercase().contains(&q))
            .map(|(name, s)| {
                self.summarise(
                    name,
                    s,
                    self.creator_last_seen.get(name).copied().unwrap_or(0),
                )
            })
            .collect();
        out.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then_with(|| a.creator.cmp(&b.creator))
        });
        out.truncate(limit);
        out
    }

    /// Counts over the given post ids (those the ledger holds).
    pub fn summary_of<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> TabSummary {
        let mut t = TabSummary::default();
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            let Some(p) = self.posts.get(id) else {
                continue;
            };
            if !seen.insert(id) {
                continue;
            }
            t.scanned += 1;
            match p.effective_verdict() {
                VerdictKind::Organic => t.organic += 1,
                VerdictKind::Disclosed => t.disclosed += 1,
                VerdictKind::Unclear => t.unclear += 1,
                VerdictKind::Undisclosed => t.undisclosed += 1,
            }
        }
        t
    }

    /// The storage and export form: JSON with the schema version, posts oldest first.
    pub fn to_json(&self) -> String {
        let posts: Vec<PostRecord> = self
            .by_age
            .iter()
            .filter_map(|(_, id)| self.posts.get(id).cloned())
            .collect();
        let stored = Stored {
            schema_version: SCHEMA_VERSION,
            retention: Some(self.retention),
            posts,
        };
        serde_json::to_string(&stored)
            .unwrap_or_else(|_| String::from("{\"schema_version\":1,\"posts\":[]}"))
    }

    /// Load stored data, migrating older schemas. Invalid entries are dropped and counted in the
    /// second value; data that is not a ledger at all, or is from a newer schema, is an error, so
    /// the caller can keep its last good copy and tell the user.
    pub fn from_json(text: &str) -> Result<(CreatorLedger, u64), LedgerError> {
        let stored = parse_stored(text)?;
        let mut ledger = CreatorLedger::new(stored.retention.unwrap_or(DEFAULT_RETENTION));
        let mut skipped = 0;
        for r in stored.posts {
            if r.id.is_empty() || r.creator.is_empty() {
                skipped += 1;
                continue;
            }
            // A repeated id keeps the later entry (files are written oldest first).
            ledger.remove(&r.id);
            ledger.insert(r);
        }
        ledger.prune();
        Ok((ledger, skipped))
    }

    /// Merge an export into this ledger. Validated first: a file that is not a ledger changes nothing.
    pub fn import_json(&mut self, text: &str) -> Result<ImportReport, LedgerError> {
        let stored = parse_stored(text)?;
        let mut report = ImportReport::default();
        for r in stored.posts {
            if r.id.is_empty() || r.creator.is_empty() {
                report.skipped += 1;
                continue;
            }
            match self.remove(&r.id) {
                None => {
                    report.added += 1;
                    self.insert(r);
                }
                Some(mut here) => {
                    report.merged += 1;
                    if here.correction.is_some()
                        && r.correction.is_some()
                        && here.correction != r.correction
                    {
                        report.conflicts += 1;
                    }
                    if r.last_seen > here.last_seen {
                        here.verdict = r.verdict;
                        here.self_promo = r.self_promo;
                        here.signals = r.signals;
                    }
                    here.first_seen = here.first_seen.min(r.first_seen);
                    here.last_seen = here.last_seen.max(r.last_seen);
                    if here.correction.is_none() {
                        here.correction = r.correction;
                    }
                    self.insert(here);
                }
            }
        }
        report.pruned = self.prune() as u64;
        Ok(report)
    }

    /// Per-creator CSV, for export.
    pub fn creators_csv(&self) -> String {
        let mut out = String::from(
            "creator,seen,organic,disclosed,unclear,undisclosed,self_promo,sponsored_share,disclosure_rate,corrections\n",
        );
        let mut all = self.creators("", usize::MAX);
        all.sort_by(|a, b| a.creator.cmp(&b.creator));
        for c in all {
            out.push_str(&format!(
                "{},{},{},{},{},{},{},{:.4},{},{}\n",
                crate::audit::csv_field(&c.creator),
                c.seen,
                c.organic,
                c.disclosed,
                c.unclear,
                c.undisclosed,
                c.self_promo,
                c.sponsored_share,
                c.disclosure_rate
                    .map(|d| format!("{d:.4}"))
                    .unwrap_or_default(),
                c.corrections
            ));
        }
        out
    }
}

/// Parse stored or imported text, migrating older schemas to the current one.
fn parse_stored(text: &str) -> Result<Stored, LedgerError> {
    // The TikTok reader's `parse_json` is exactly `serde_json::from_str::<Value>` (same values and
    // errors; unit test there); using it keeps one copy of serde_json's parser in the wasm module.
    let value = crate::platform::tiktok::parse_json(text)
        .map_err(|e| LedgerError::Corrupt(format!("not JSON ({e})")))?;
    let value = migrate(value)?;
    serde_json::from_value(value)
        .map_err(|e| LedgerError::Corrupt(format!("not a Deinfluencer ledger ({e})")))
}

/// Schema 0 (before versioning) was a bare list of post records; schema 1 wraps them with a version.
fn migrate(value: serde_json::Value) -> Result<serde_json::Value, LedgerError> {
    use serde_json::Value;
    match &value {
        Value::Array(_) => {
            Ok(serde_json::json!({ "schema_version": SCHEMA_VERSION, "posts": value }))
        }
        Value::Object(o) => match o.get("schema_version").and_then(Value::as_u64) {
            Some(v) if v as u32 == SCHEMA_VERSION => Ok(value),
            Some(v) if v > SCHEMA_VERSION as u64 => Err(LedgerError::TooNew {
                found: v.min(u32::MAX as u64) as u32,
                supported: SCHEMA_VERSION,
            }),
            Some(v) => Err(LedgerError::Corrupt(format!("unknown schema version {v}"))),
            None => Err(LedgerError::Corrupt("no schema_version".into())),
        },
        _ => Err(LedgerError::Corrupt("expected an object".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(
        l: &mut CreatorLedger,
        id: &str,
        creator: &str,
        v: VerdictKind,
        now: u64,
    ) -> RecordOutcome {
        l.record(id, creator, v, false, vec![], now).unwrap()
    }

    #[test]
    fn counts_each_post_once_and_replaces_changed_verdicts() {
        let mut l = CreatorLedger::default();
        assert_eq!(
            seen(&mut l, "1", "a", VerdictKind::Undisclosed, 10),
            RecordOutcome::New
        );
        assert_eq!(
            seen(&mut l, "1", "a", VerdictKind::Undisclosed, 20),
            RecordOutcome::SeenAgain
        );
        assert_eq!(l.creator("a").unwrap().seen, 1);
        assert_eq!(
            seen(&mut l, "1", "a", VerdictKind::Disclosed, 30),
            RecordOutcome::Updated
        );
        let c = l.creator("a").unwrap();
        assert_eq!((c.seen, c.disclosed, c.undisclosed), (1, 1, 0));
        assert_eq!(l.post("1").unwrap().first_seen, 10);
        assert_eq!(l.post("1").unwrap().last_seen, 30);
        assert!(
            l.record("", "a", VerdictKind::Organic, false, vec![], 1)
                .is_err()
        );
    }

    #[test]
    fn ratios_with_intervals_and_small_samples() {
        let mut l = CreatorLedger::default();
        for (i, v) in [
            VerdictKind::Organic,
            VerdictKind::Disclosed,
            VerdictKind::Undisclosed,
            VerdictKind::Undisclosed,
        ]
        .into_iter()
        .enumerate()
        {
            seen(&mut l, &i.to_string(), "a", v, i as u64);
        }
        let c = l.creator("a").unwrap();
        assert_eq!(c.sponsored_share, 0.75);
        assert!((c.disclosure_rate.unwrap() - 1.0 / 3.0).abs() < 1e-9);
        assert!(!c.enough_to_judge, "4 posts are too few");
        let (lo, hi) = c.sponsored_interval;
        assert!(lo < 0.75 && hi > 0.75);
        seen(&mut l, "9", "a", VerdictKind::Organic, 9);
        assert!(l.creator("a").unwrap().enough_to_judge);
    }

    #[test]
    fn corrections_count_and_are_kept() {
        let mut l = CreatorLedger::default();
        seen(&mut l, "1", "a", VerdictKind::Undisclosed, 1);
        seen(&mut l, "2", "a", VerdictKind::Organic, 2);
        l.correct("1", Some(Correction::NotAnAd)).unwrap();
        l.correct("2", Some(Correction::IsAnAd)).unwrap();
        let c = l.creator("a").unwrap();
        assert_eq!((c.organic, c.undisclosed, c.corrections), (1, 1, 2));
        // A new scan of the same post keeps the user's correction.
        seen(&mut l, "1", "a", VerdictKind::Unclear, 3);
        assert_eq!(l.post("1").unwrap().correction, Some(Correction::NotAnAd));
        assert_eq!(l.creator("a").unwrap().organic, 1);
        l.correct("1", None).unwrap();
        assert_eq!(l.creator("a").unwrap().unclear, 1);
        assert_eq!(
            l.correct("nope", None),
            Err(LedgerError::UnknownPost("nope".into()))
        );
    }

    #[test]
    fn prunes_oldest_beyond_retention() {
        let mut l = CreatorLedger::new(3);
        for i in 0..5u64 {
            seen(&mut l, &i.to_string(), "a", VerdictKind::Organic, i);
        }
        assert_eq!(l.len(), 3);
        assert!(l.post("0").is_none() && l.post("1").is_none() && l.post("4").is_some());
        assert_eq!(l.creator("a").unwrap().seen, 3);
        assert_eq!(l.set_retention(1), 2);
        assert_eq!(l.creator("a").unwrap().seen, 1);
    }

    #[test]
    fn too_new_data_is_refused_with_a_message_the_extension_recognises() {
        // extension/background.js keeps such a ledger aside (not as damaged) by matching this text.
        let err = CreatorLedger::from_json(r#"{"schema_version":2,"posts":[],"later":true}"#)
            .unwrap_err();
        assert_eq!(
            err,
            LedgerError::TooNew {
                found: 2,
                supported: SCHEMA_VERSION
            }
        );
        assert!(err.to_string().contains("written by a newer version"));
    }

    #[test]
    fn round_trips_and_migrates() {
        let mut l = CreatorLedger::new(100);
        seen(&mut l, "1", "a", VerdictKind::Disclosed, 5);
        seen(&mut l, "2", "b", VerdictKind::Undisclosed, 6);
        l.correct("2", Some(Correction::NotAnAd)).unwrap();
        let (back, skipped) = CreatorLedger::from_json(&l.to_json()).unwrap();
        assert_eq!(skipped, 0);
        assert_eq!(back.creators("", 10), l.creators("", 10));
        assert_eq!(back.retention(), 100);
        // Schema 0: a bare list.
        let v0 = r#"[{"id":"1","creator":"a","verdict":"unclear","first_seen":1,"last_seen":2}]"#;
        let (m, _) = CreatorLedger::from_json(v0).unwrap();
        assert_eq!(m.creator("a").unwrap().unclear, 1);
    }

    #[test]
    fn corrupt_and_newer_data_are_errors_not_crashes() {
        assert!(matches!(
            CreatorLedger::from_json("{oops"),
            Err(LedgerError::Corrupt(_))
        ));
        assert!(matches!(
            CreatorLedger::from_json("42"),
            Err(LedgerError::Corrupt(_))
        ));
        assert!(matches!(
            CreatorLedger::from_json(r#"{"schema_version":99,"posts":[]}"#),
            Err(LedgerError::TooNew { found: 99, .. })
        ));
        assert!(matches!(
            CreatorLedger::from_json(r#"{"schema_version":1,"posts":[{"id":1}]}"#),
            Err(LedgerError::Corrupt(_))
        ));
        let (l, skipped) =
            CreatorLedger::from_json(r#"{"schema_version":1,"posts":[{"id":"","creator":"a","verdict":"organic","first_seen":1,"last_seen":1}]}"#)
                .unwrap();
        assert_eq!((l.len(), skipped), (0, 1));
    }

    #[test]
    fn import_merges_without_silent_overwrites() {
        let mut here = CreatorLedger::default();
        seen(&mut here, "1", "a", VerdictKind::Undisclosed, 10);
        here.correct("1", Some(Correction::NotAnAd)).unwrap();
        let mut there = CreatorLedger::default();
        seen(&mut there, "1", "a", VerdictKind::Unclear, 20);
        there.correct("1", Some(Correction::IsAnAd)).unwrap();
        seen(&mut there, "2", "b", VerdictKind::Disclosed, 21);
        let report = here.import_json(&there.to_json()).unwrap();
        assert_eq!((report.added, report.merged, report.conflicts), (1, 1, 1));
        let p = here.post("1").unwrap();
        assert_eq!(p.verdict, VerdictKind::Unclear, "the newer verdict");
        assert_eq!(
            p.correction,
            Some(Correction::NotAnAd),
            "the local correction is kept"
        );
        assert_eq!(p.first_seen, 10);
        assert!(here.import_json("not json").is_err());
        assert_eq!(here.len(), 2, "a failed import changes nothing");
    }

    #[test]
    fn export_erase_import_restores_exactly() {
        let mut l = CreatorLedger::default();
        for i in 0..50u64 {
            let v = VerdictKind::ALL[(i % 4) as usize];
            l.record(
                &i.to_string(),
                &format!("c{}", i % 7),
                v,
                i % 5 == 0,
                vec!["shop_cta".into()],
                i,
            )
            .unwrap();
        }
        let export = l.to_json();
        let mut fresh = CreatorLedger::default();
        fresh.import_json(&export).unwrap();
        assert_eq!(fresh.creators("", 100), l.creators("", 100));
        assert_eq!(fresh.creators_csv(), l.creators_csv());
    }

    #[test]
    fn top_signals_count_commercial_posts_once_each() {
        let mut l = CreatorLedger::default();
        let sig = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let rec = |l: &mut CreatorLedger, id: &str, v, s: &[&str]| {
            l.record(id, "a", v, false, sig(s), 1).unwrap();
        };
        rec(
            &mut l,
            "1",
            VerdictKind::Undisclosed,
            &["discount_code", "discount_code", "link_in_bio"],
        );
        rec(&mut l, "2", VerdictKind::Undisclosed, &["discount_code"]);
        rec(
            &mut l,
            "3",
            VerdictKind::Unclear,
            &["ambiguous_disclosure", "brand_mention"],
        );
        rec(&mut l, "4", VerdictKind::Organic, &["other_link"]);
        let top = l.creator("a").unwrap().top_signals;
        let pairs: Vec<(&str, u64)> = top.iter().map(|s| (s.signal.as_str(), s.posts)).collect();
        assert_eq!(
            pairs,
            [
                ("discount_code", 2),
                ("ambiguous_disclosure", 1),
                ("brand_mention", 1)
            ]
        );
        assert!(
            l.creators("", 10)[0].top_signals.is_empty(),
            "not in the table"
        );
        // A correction to "not an ad" takes the post's signals out; pruning and replacing keep counts right.
        l.correct("2", Some(Correction::NotAnAd)).unwrap();
        assert_eq!(l.top_signals("a", 1)[0].posts, 1);
        rec(&mut l, "3", VerdictKind::Organic, &[]);
        assert_eq!(l.top_signals("a", 10).len(), 2);
        l.set_retention(1);
        assert!(
            l.top_signals("a", 10).is_empty(),
            "only the organic post 4 is left"
        );
    }

    #[test]
    fn search_and_tab_summary() {
        let mut l = CreatorLedger::default();
        seen(&mut l, "1", "GlowLab", VerdictKind::Undisclosed, 1);
        seen(&mut l, "2", "other", VerdictKind::Disclosed, 2);
        assert_eq!(l.creators("@glow", 10).len(), 1);
        let t = l.summary_of(["1", "2", "2", "missing"]);
        assert_eq!((t.scanned, t.undisclosed, t.disclosed), (2, 1, 1));
    }

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
