//! The languages explanations are written in, and filling the templates of `lexicons/explanations.json`.

use crate::lexicon::{DisclosureTopic, Explanations};

/// Languages the user interface speaks. Anything else falls back to English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Id,
    Vi,
}

impl Lang {
    /// `en`, `id`, `vi`, or a browser locale such as `vi-VN` / `id_ID`; anything else is English.
    pub fn parse(code: &str) -> Lang {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "id" | "in" => Lang::Id,
            "vi" => Lang::Vi,
            _ => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
            Lang::Vi => "vi",
        }
    }
}

/// Longest quote an explanation carries (captions can be huge; the hint has to stay readable).
const MAX_QUOTE_CHARS: usize = 80;

/// The explanation for `signal` in `lang` (English when missing), with the matched text quoted.
/// A disclosure about affiliate commissions uses the `<signal>/affiliate` template when the file has
/// one, so "affiliate links" is not explained as an ad label.
pub fn explain(
    explanations: &Explanations,
    signal: &str,
    topic: Option<DisclosureTopic>,
    lang: Lang,
    matched: &str,
) -> String {
    let pick = |key: &str| {
        explanations
            .get(key)
            .and_then(|by_lang| by_lang.get(lang.code()).or_else(|| by_lang.get("en")))
    };
    let template = match topic {
        Some(DisclosureTopic::Affiliate) => {
            pick(&format!("{signal}/affiliate")).or_else(|| pick(signal))
        }
        _ => pick(signal),
    };
    let quote = shorten(matched.trim());
    match template {
        Some(t) => t.replace("{text}", &quote),
        None => format!("{signal}: {quote}"),
    }
}

fn shorten(text: &str) -> String {
    // Collapse line breaks so a quote stays one line in the hint.
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= MAX_QUOTE_CHARS {
        flat
    } else {
        let cut: String = flat.chars().take(MAX_QUOTE_CHARS - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_browser_locales() {
        assert_eq!(Lang::parse("vi-VN"), Lang::Vi);
        assert_eq!(Lang::parse("id_ID"), Lang::Id);
        assert_eq!(Lang::parse("in"), Lang::Id);
        assert_eq!(Lang::parse("fr"), Lang::En);
        assert_eq!(Lang::parse(""), Lang::En);
    }

    #[test]
    fn fills_and_shortens() {
        let mut e = Explanations::new();
        e.insert(
            "x".into(),
            [("en".to_string(), "Found “{text}”".to_string())]
                .into_iter()
                .collect(),
        );
        assert_eq!(explain(&e, "x", None, Lang::Vi, "#ad"), "Found “#ad”");
        let long = "a".repeat(500);
        assert!(explain(&e, "x", None, Lang::En, &long).chars().count() < 100);
        assert_eq!(explain(&e, "missing", None, Lang::En, "q"), "missing: q");
        // An affiliate disclosure without its own template falls back to the signal's.
        let affiliate = Some(DisclosureTopic::Affiliate);
        assert_eq!(explain(&e, "x", affiliate, Lang::En, "q"), "Found “q”");
        e.insert(
            "x/affiliate".into(),
            [("en".to_string(), "Commission: “{text}”".to_string())]
                .into_iter()
                .collect(),
        );
        assert_eq!(
            explain(&e, "x", affiliate, Lang::Vi, "q"),
            "Commission: “q”"
        );
        assert_eq!(explain(&e, "x", None, Lang::En, "q"), "Found “q”");
    }
}
