//! The lexicons: word lists and rules as data (`src/lexicons/`), parsed and validated once.
//!
//! The files are compiled into the binary so the extension needs no I/O to start, and so the CLI and
//! the extension always agree. [`Lexicons::builtin`] loads them; [`Lexicons::from_sources`] takes any
//! other set (tests, or a future user-supplied list). Every problem is a [`LexiconError`] naming the file
//! and the entry, never a panic.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;

use crate::normalize::fold_term;

/// A language file's or brand file's content, with the name it is reported under.
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

macro_rules! lang_files {
    ($($code:literal),* $(,)?) => {
        &[$(($code, include_str!(concat!(env!("OUT_DIR"), "/lexicons/lang/", $code, ".json")))),*]
    };
}

/// The embedded copies are the files of `src/lexicons/` minified and without their `note` prose
/// (`src/build.rs`).
///
/// Every language file shipped with the crate. `lang/index.json` lists which ones the engine loads;
/// a test checks the two lists agree, so adding a language is: add the file, list it in both.
pub const BUILTIN_LANGUAGES: &[(&str, &str)] = lang_files!(
    "en", "id", "vi", "ms", "tl", "th", "es", "pt", "de", "fr", "it", "nl", "tr", "ja", "ko", "zh"
);
pub const BUILTIN_LANGUAGE_INDEX: &str =
    include_str!(concat!(env!("OUT_DIR"), "/lexicons/lang/index.json"));
pub const BUILTIN_BRANDS: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicons/brands.json"));
pub const BUILTIN_LINKS: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicons/links.json"));
pub const BUILTIN_RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicons/rules.json"));
pub const BUILTIN_EXPLANATIONS: &str =
    include_str!(concat!(env!("OUT_DIR"), "/lexicons/explanations.json"));

/// A lexicon file that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "lexicon {}: {}", self.file, self.message)
    }
}

impl std::error::Error for LexiconError {}

fn err(file: &str, message: impl Into<String>) -> LexiconError {
    LexiconError {
        file: file.to_string(),
        message: message.into(),
    }
}

/// What a group of language terms means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    ClearDisclosure,
    AmbiguousDisclosure,
    Negation,
    Exception,
    DiscountCode,
    ShopCta,
    SelfPromo,
    ShopAccount,
}

/// What a disclosure says the creator gets: paid or gifted to post (`sponsorship`, the default), or a
/// commission on what viewers buy through the links (`affiliate`). Both are disclosures; reports and
/// explanations name which, and affiliate-only label sets (Mathur et al.) can be scored on their own scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureTopic {
    #[default]
    Sponsorship,
    Affiliate,
}

impl DisclosureTopic {
    pub fn as_str(self) -> &'static str {
        match self {
            DisclosureTopic::Sponsorship => "sponsorship",
            DisclosureTopic::Affiliate => "affiliate",
        }
    }
}

impl MarkerKind {
    fn needs_weight(self) -> bool {
        !matches!(self, MarkerKind::Negation | MarkerKind::Exception)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum RawTerm {
    Plain(String),
    Weighted { term: String, weight: f32 },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    kind: MarkerKind,
    terms: Vec<RawTerm>,
    #[serde(default)]
    weight: Option<f32>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(default)]
    same_language_only: bool,
    /// Disclosure groups only: what the disclosure is about (default `sponsorship`).
    #[serde(default)]
    topic: Option<DisclosureTopic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    language: String,
    name: String,
    sources: Vec<String>,
    groups: Vec<RawGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndex {
    languages: Vec<String>,
}

/// One term of a language file, validated and folded.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Folded form (see [`crate::normalize`]), without `#` and without the `{CODE}` placeholder.
    pub folded: String,
    /// As written in the file, for reports.
    pub written: String,
    pub kind: MarkerKind,
    pub weight: f32,
    /// Matches a whole hashtag only (`#ad`).
    pub hashtag_only: bool,
    /// Matches the end of a hashtag (`#*ambassador`).
    pub hashtag_suffix: bool,
    /// Matches only at the very start of the text (`^ad:`).
    pub at_start: bool,
    /// Must be followed by a code-like token (`use code {CODE}`).
    pub needs_code: bool,
    /// Used only when the post's language is `language`.
    pub same_language_only: bool,
    /// The file's language code.
    pub language: String,
    /// For disclosure terms, what they disclose; `None` for every other kind.
    pub topic: Option<DisclosureTopic>,
}

/// A language file after validation.
#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub sources: Vec<String>,
    pub terms: Vec<Term>,
}

/// A brand after validation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    pub name: String,
    pub tags: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub lines: Vec<String>,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub markets: Vec<String>,
    #[serde(default)]
    pub generic: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brands {
    pub sources: Vec<String>,
    #[serde(default)]
    pub campaign_suffixes: Vec<String>,
    /// The suffixes that still count on a `generic` brand (`#applepartner` yes, `#applevietnam` no:
    /// fans name their communities after games and common-word brands, they do not partner with them).
    #[serde(default)]
    pub generic_campaign_suffixes: Vec<String>,
    #[serde(default)]
    pub campaign_prefixes: Vec<String>,
    /// Words that start with `x` and are glued after any tag (`#lienquanxuhuong` = Liên Quân +
    /// "xuhuong", trending): an `x` that starts one of them is not the `x` of a `<brand>x<series>`
    /// collaboration tag.
    #[serde(default)]
    pub collab_x_exceptions: Vec<String>,
    pub brands: Vec<Brand>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// What a link is, from the host and parameter rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    AffiliateLink,
    MarketplaceLink,
    LinkInBio,
    ShortLink,
    TrackingLink,
    OtherLink,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostGroup {
    pub kind: LinkKind,
    pub weight: f32,
    pub hosts: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AffiliateRule {
    /// What a matching URL is; `affiliate_link` unless given (e.g. `marketplace_link` for shop product paths).
    #[serde(default = "default_rule_kind")]
    pub kind: LinkKind,
    pub hosts: Vec<String>,
    #[serde(default)]
    pub params: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    pub weight: f32,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

fn default_rule_kind() -> LinkKind {
    LinkKind::AffiliateLink
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherLinks {
    pub weight: f32,
    /// Hosts that are never commercial evidence by themselves (social profiles, video sites).
    pub ignore_hosts: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingParams {
    pub weight: f32,
    pub params: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Links {
    pub sources: Vec<String>,
    pub host_groups: Vec<HostGroup>,
    /// Any other external link (not a social or video profile): a weak hint that something is linked.
    pub other_links: OtherLinks,
    #[serde(default)]
    pub affiliate_rules: Vec<AffiliateRule>,
    pub tracking_params: TrackingParams,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// Scoring parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Commercial evidence at or above this makes a post commercial.
    pub commercial_threshold: f32,
    /// A disclosure starting after this many characters of the caption is buried.
    pub up_front_chars: usize,
    /// A disclosure preceded by at least this many hashtags is buried.
    pub buried_after_hashtags: usize,
    /// Evidence weight of each platform data flag (visible labels are disclosures, not weights).
    #[serde(default = "default_label_weights")]
    pub label_weights: HashMap<String, f32>,
    /// Evidence weights of brand signals.
    #[serde(default = "default_brand_weights")]
    pub brand_weights: BrandWeights,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandWeights {
    /// `#vinamilk`
    pub brand_hashtag: f32,
    /// `#vinamilkgreenfarm` (a known product line, or a brand tag followed by other words)
    pub product_line_hashtag: f32,
    /// `#vinamilkpartner`
    pub campaign_hashtag: f32,
    /// `@vinamilk`
    pub brand_mention: f32,
    /// "Highlands Coffee" in running text
    pub brand_name: f32,
}

fn default_brand_weights() -> BrandWeights {
    BrandWeights {
        brand_hashtag: 0.3,
        product_line_hashtag: 0.4,
        campaign_hashtag: 0.8,
        brand_mention: 0.4,
        brand_name: 0.2,
    }
}

fn default_label_weights() -> HashMap<String, f32> {
    [
        ("ad_authorization", 0.7),
        ("ad_label", 0.5),
        ("shop_anchor", 0.9),
        ("ecommerce_video", 0.8),
        ("commerce_hashtag", 0.5),
        ("seller_account", 0.45),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// Localised explanation templates: signal name → language → text with `{text}` for the match.
pub type Explanations = HashMap<String, HashMap<String, String>>;

/// All lexicons, validated.
#[derive(Debug, Clone)]
pub struct Lexicons {
    pub languages: Vec<Language>,
    pub brands: Brands,
    pub links: Links,
    pub rules: Rules,
    pub explanations: Explanations,
}

fn check_weight(file: &str, what: &str, w: f32) -> Result<(), LexiconError> {
    if (0.0..=1.0).contains(&w) && w.is_finite() {
        Ok(())
    } else {
        Err(err(file, format!("{what}: weight {w} is outside 0–1")))
    }
}

fn parse_json<'a, T: Deserialize<'a>>(name: &str, text: &'a str) -> Result<T, LexiconError> {
    serde_json::from_str(text).map_err(|e| err(name, format!("invalid JSON or schema: {e}")))
}

/// Parse and validate one language file.
pub fn parse_language(source: &Source<'_>) -> Result<Language, LexiconError> {
    let file = source.name;
    let raw: RawLanguage = parse_json(file, source.text)?;
    if raw.language.is_empty()
        || raw.language.len() > 8
        || !raw.language.chars().all(|c| c.is_ascii_lowercase())
    {
        return Err(err(
            file,
            format!(
                "`language` must be a lower-case code, not `{}`",
                raw.language
            ),
        ));
    }
    if raw.sources.is_empty() {
        return Err(err(
            file,
            "`sources` is empty: say where the terms come from",
        ));
    }
    let mut seen: HashMap<(String, bool, bool), String> = HashMap::new();
    let mut terms = Vec::new();
    for (gi, group) in raw.groups.iter().enumerate() {
        let where_ = format!("group {} ({:?})", gi + 1, group.kind);
        if group.terms.is_empty() {
            return Err(err(file, format!("{where_}: `terms` is empty")));
        }
        let group_weight = match (group.weight, group.kind.needs_weight()) {
            (Some(w), _) => {
                check_weight(file, &where_, w)?;
                w
            }
            (None, false) => 0.0,
            (None, true) => {
                return Err(err(
                    file,
                    format!("{where_}: `weight` is required for this kind"),
                ));
            }
        };
        let is_disclosure = matches!(
            group.kind,
            MarkerKind::ClearDisclosure | MarkerKind::AmbiguousDisclosure
        );
        let topic = match (group.topic, is_disclosure) {
            (Some(_), false) => {
                return Err(err(
                    file,
                    format!("{where_}: `topic` applies only to disclosure groups"),
                ));
            }
            (t, true) => Some(t.unwrap_or_default()),
            (None, false) => None,
        };
        for raw_term in &group.terms {
            let (written, weight) = match raw_term {
                RawTerm::Plain(t) => (t.clone(), group_weight),
                RawTerm::Weighted { term, weight } => {
                    check_weight(file, &format!("{where_} term `{term}`"), *weight)?;
                    (term.clone(), *weight)
                }
            };
            let mut body = written.trim();
            let at_start = body.starts_with('^');
            body = body.trim_start_matches('^');
            let needs_code = body.ends_with("{CODE}");
            if needs_code {
                body = body.trim_end_matches("{CODE}").trim_end();
            }
            if body.contains('{') || body.contains('}') {
                return Err(err(
                    file,
                    format!("{where_}: term `{written}` has an unknown placeholder"),
                ));
            }
            let hashtag_only = body.starts_with('#') || body.starts_with('＃');
            let hashtag_suffix = hashtag_only && body[1..].starts_with('*');
            let folded = fold_term(body.trim_start_matches(['#', '＃']).trim_start_matches('*'));
            if folded.is_empty() {
                return Err(err(
                    file,
                    format!("{where_}: term `{written}` is empty after normalisation"),
                ));
            }
            if hashtag_only && folded.contains(' ') {
                return Err(err(
                    file,
                    format!("{where_}: hashtag term `{written}` contains a space"),
                ));
            }
            if at_start && hashtag_only {
                return Err(err(
                    file,
                    format!("{where_}: `{written}`: `^` and `#` do not combine"),
                ));
            }
            let key = (
                folded.clone(),
                hashtag_only,
                needs_code || hashtag_suffix || at_start,
            );
            if let Some(previous) = seen.insert(key, written.clone()) {
                return Err(err(
                    file,
                    format!(
                        "{where_}: term `{written}` duplicates `{previous}` (both normalise to `{folded}`)"
                    ),
                ));
            }
            terms.push(Term {
                folded,
                written,
                kind: group.kind,
                weight,
                hashtag_only,
                hashtag_suffix,
                at_start,
                needs_code,
                same_language_only: group.same_language_only,
                language: raw.language.clone(),
                topic,
            });
        }
    }
    Ok(Language {
        code: raw.language,
        name: raw.name,
        sources: raw.sources,
        terms,
    })
}

fn validate_brands(file: &str, brands: &mut Brands) -> Result<(), LexiconError> {
    if brands.sources.is_empty() {
        return Err(err(file, "`sources` is empty"));
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for brand in &mut brands.brands {
        if brand.name.trim().is_empty() || brand.tags.is_empty() {
            return Err(err(
                file,
                format!("brand `{}` needs a name and at least one tag", brand.name),
            ));
        }
        for list in [&mut brand.tags, &mut brand.lines] {
            for tag in list.iter_mut() {
                let folded: String = fold_term(tag)
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect();
                if folded.is_empty() {
                    return Err(err(
                        file,
                        format!("brand `{}`: tag `{tag}` is empty", brand.name),
                    ));
                }
                if let Some(other) = seen.insert(folded.clone(), brand.name.clone())
                    && other != brand.name
                {
                    return Err(err(
                        file,
                        format!(
                            "tag `{folded}` belongs to both `{other}` and `{}`",
                            brand.name
                        ),
                    ));
                }
                *tag = folded;
            }
        }
        for alias in &mut brand.aliases {
            *alias = fold_term(alias);
        }
        brand.aliases.retain(|a| !a.is_empty());
    }
    for list in [
        &mut brands.campaign_suffixes,
        &mut brands.campaign_prefixes,
        &mut brands.generic_campaign_suffixes,
        &mut brands.collab_x_exceptions,
    ] {
        for s in list.iter_mut() {
            *s = fold_term(s)
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect();
        }
        list.retain(|s| !s.is_empty());
    }
    Ok(())
}

fn validate_links(file: &str, links: &mut Links) -> Result<(), LexiconError> {
    let mut seen: HashMap<String, LinkKind> = HashMap::new();
    for g in &mut links.host_groups {
        check_weight(file, &format!("host group {:?}", g.kind), g.weight)?;
        for h in &mut g.hosts {
            *h = h.trim().to_ascii_lowercase();
            if h.is_empty() || h.contains("://") || h.contains(' ') {
                return Err(err(file, format!("host `{h}` must be a bare host name")));
            }
            if let Some(previous) = seen.insert(h.clone(), g.kind) {
                return Err(err(
                    file,
                    format!("host `{h}` is listed twice ({previous:?} and {:?})", g.kind),
                ));
            }
        }
    }
    for r in &mut links.affiliate_rules {
        check_weight(file, "affiliate rule", r.weight)?;
        if r.params.is_empty() && r.paths.is_empty() {
            return Err(err(file, "an affiliate rule needs `params` or `paths`"));
        }
        for p in r.params.iter_mut().chain(r.hosts.iter_mut()) {
            *p = p.trim().to_ascii_lowercase();
        }
        for p in r.paths.iter_mut() {
            *p = p.trim().to_ascii_lowercase();
        }
    }
    check_weight(file, "tracking_params", links.tracking_params.weight)?;
    check_weight(file, "other_links", links.other_links.weight)?;
    for h in &mut links.other_links.ignore_hosts {
        *h = h.trim().to_ascii_lowercase();
    }
    for p in &mut links.tracking_params.params {
        *p = p.trim().to_ascii_lowercase();
    }
    Ok(())
}

fn validate_rules(file: &str, rules: &Rules) -> Result<(), LexiconError> {
    check_weight(file, "commercial_threshold", rules.commercial_threshold)?;
    if rules.commercial_threshold <= 0.0 {
        return Err(err(file, "commercial_threshold must be above 0"));
    }
    for (k, w) in &rules.label_weights {
        check_weight(file, &format!("label_weights.{k}"), *w)?;
    }
    let b = &rules.brand_weights;
    for (k, w) in [
        ("brand_hashtag", b.brand_hashtag),
        ("product_line_hashtag", b.product_line_hashtag),
        ("campaign_hashtag", b.campaign_hashtag),
        ("brand_mention", b.brand_mention),
        ("brand_name", b.brand_name),
    ] {
        check_weight(file, &format!("brand_weights.{k}"), w)?;
    }
    Ok(())
}

impl Lexicons {
    /// The lexicons compiled into the crate.
    pub fn builtin() -> Result<Lexicons, LexiconError> {
        let index: RawIndex = parse_json("lang/index.json", BUILTIN_LANGUAGE_INDEX)?;
        let mut languages = Vec::new();
        for code in &index.languages {
            let Some((_, text)) = BUILTIN_LANGUAGES.iter().find(|(c, _)| c == code) else {
                return Err(err(
                    "lang/index.json",
                    format!(
                        "lists `{code}` but no lang/{code}.json is compiled in (add it to BUILTIN_LANGUAGES)"
                    ),
                ));
            };
            let name = format!("lang/{code}.json");
            languages.push(parse_language(&Source { name: &name, text })?);
        }
        Self::assemble(
            languages,
            &Source {
                name: "brands.json",
                text: BUILTIN_BRANDS,
            },
            &Source {
                name: "links.json",
                text: BUILTIN_LINKS,
            },
            &Source {
                name: "rules.json",
                text: BUILTIN_RULES,
            },
            &Source {
                name: "explanations.json",
                text: BUILTIN_EXPLANATIONS,
            },
        )
    }

    /// Lexicons from any texts (tests, custom lists).
    pub fn from_sources(
        languages: &[Source<'_>],
        brands: &Source<'_>,
        links: &Source<'_>,
        rules: &Source<'_>,
        explanations: &Source<'_>,
    ) -> Result<Lexicons, LexiconError> {
        let languages = languages
            .iter()
            .map(parse_language)
            .collect::<Result<Vec<_>, _>>()?;
        Self::assemble(languages, brands, links, rules, explanations)
    }

    fn assemble(
        languages: Vec<Language>,
        brands: &Source<'_>,
        links: &Source<'_>,
        rules: &Source<'_>,
        explanations: &Source<'_>,
    ) -> Result<Lexicons, LexiconError> {
        let mut codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        codes.sort_unstable();
        if codes.windows(2).any(|w| w[0] == w[1]) {
            return Err(err("lang/index.json", "a language is listed twice"));
        }
        let mut brands_data: Brands = parse_json(brands.name, brands.text)?;
        validate_brands(brands.name, &mut brands_data)?;
        let mut links_data: Links = parse_json(links.name, links.text)?;
        validate_links(links.name, &mut links_data)?;
        let rules_data: Rules = parse_json(rules.name, rules.text)?;
        validate_rules(rules.name, &rules_data)?;
        let explanations_data: Explanations = parse_json(explanations.name, explanations.text)?;
        for (signal, by_lang) in &explanations_data {
            if !by_lang.contains_key("en") {
                return Err(err(
                    explanations.name,
                    format!("`{signal}` has no English text"),
                ));
            }
        }
        Ok(Lexicons {
            languages,
            brands: brands_data,
            links: links_data,
            rules: rules_data,
            explanations: explanations_data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn language(groups: &str) -> Result<Language, LexiconError> {
        let text =
            format!(r#"{{"language":"xx","name":"Test","sources":["s"],"groups":[{groups}]}}"#);
        parse_language(&Source {
            name: "lang/xx.json",
            text: &text,
        })
    }

    #[test]
    fn disclosure_topics_default_to_sponsorship_and_only_apply_to_disclosures() {
        let l = language(
            r##"{"kind":"clear_disclosure","weight":0.9,"terms":["#ad"]},
               {"kind":"ambiguous_disclosure","weight":0.5,"topic":"affiliate","terms":["affiliate link"]},
               {"kind":"shop_cta","weight":0.5,"terms":["link in bio"]}"##,
        )
        .expect("valid");
        let topic = |folded: &str| l.terms.iter().find(|t| t.folded == folded).unwrap().topic;
        assert_eq!(topic("ad"), Some(DisclosureTopic::Sponsorship));
        assert_eq!(topic("affiliate link"), Some(DisclosureTopic::Affiliate));
        assert_eq!(topic("link in bio"), None);

        let e = language(r#"{"kind":"shop_cta","weight":0.5,"topic":"affiliate","terms":["x"]}"#)
            .unwrap_err();
        assert_eq!(e.file, "lang/xx.json");
        assert!(
            e.message
                .contains("`topic` applies only to disclosure groups"),
            "{e}"
        );
        let e =
            language(r#"{"kind":"clear_disclosure","weight":0.5,"topic":"gift","terms":["x"]}"#)
                .unwrap_err();
        assert!(e.message.contains("gift"), "{e}");
    }

    #[test]
    fn bad_groups_name_the_file_and_the_entry() {
        for (groups, expected) in [
            (
                r#"{"kind":"clear_disclosure","terms":["x"]}"#,
                "`weight` is required",
            ),
            (
                r#"{"kind":"clear_disclosure","weight":1.5,"terms":["x"]}"#,
                "weight",
            ),
            (
                r#"{"kind":"clear_disclosure","weight":0.5,"terms":["x {BRAND}"]}"#,
                "unknown placeholder",
            ),
            (
                r##"{"kind":"clear_disclosure","weight":0.5,"terms":["#ad","#AD"]}"##,
                "duplicates",
            ),
            (
                r#"{"kind":"clear_disclosure","weight":0.5,"terms":["x"],"colour":"red"}"#,
                "colour",
            ),
        ] {
            let e = language(groups).unwrap_err();
            assert_eq!(e.file, "lang/xx.json", "{groups}");
            assert!(e.message.contains(expected), "{groups}: {e}");
        }
    }
}
