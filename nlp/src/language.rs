use crate::normalize::tokens;

/// A language szpon can answer in. Polish is the default everywhere.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Lang {
    #[default]
    Pl,
    En,
}

impl Lang {
    /// The BCP 47 tag, as stored and as used to pick message bundles.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    /// Parses a tag or a language name in Polish or English ("pl", "polski", "english").
    pub fn parse(word: &str) -> Option<Lang> {
        match crate::fold_diacritics(&word.trim().to_lowercase()).as_str() {
            "pl" | "pol" | "polski" | "polish" | "po polsku" | "polsku" => Some(Lang::Pl),
            "en" | "eng" | "english" | "angielski" | "po angielsku" | "angielsku" => Some(Lang::En),
            _ => None,
        }
    }
}

const POLISH_WORDS: &[&str] = &[
    "i",
    "w",
    "na",
    "nie",
    "jest",
    "sie",
    "się",
    "to",
    "z",
    "do",
    "jak",
    "czy",
    "co",
    "mnie",
    "chce",
    "chcę",
    "prosze",
    "proszę",
    "dzien",
    "dzień",
    "dobry",
    "pomoc",
    "wizyta",
    "wizyte",
    "wizytę",
    "gdzie",
    "kiedy",
    "moje",
    "mam",
    "jestem",
    "dziekuje",
    "dziękuję",
    "czesc",
    "cześć",
    "witam",
    "umow",
    "umów",
    "zapisz",
    "urzad",
    "urząd",
    "sprawa",
    "dowod",
    "dowód",
    "tak",
];

const ENGLISH_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "is",
    "are",
    "i",
    "you",
    "to",
    "of",
    "and",
    "in",
    "my",
    "me",
    "what",
    "how",
    "where",
    "when",
    "can",
    "please",
    "help",
    "hello",
    "hi",
    "thanks",
    "thank",
    "want",
    "would",
    "like",
    "book",
    "appointment",
    "visit",
    "need",
    "do",
    "does",
    "with",
    "for",
    "english",
];

/// Guesses whether a message is Polish or English.
///
/// Returns `None` when the text gives no evidence either way (a number, a code, one unknown
/// word), so the caller can keep the language it already knew for that person.
pub fn detect_language(text: &str) -> Option<Lang> {
    if text.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)) {
        return Some(Lang::Pl);
    }
    let lower = text.to_lowercase();
    let (mut pl, mut en) = (0u32, 0u32);
    for word in tokens(&lower) {
        let word = word.trim_start_matches('!').trim_end_matches('!');
        pl += u32::from(POLISH_WORDS.contains(&word));
        en += u32::from(ENGLISH_WORDS.contains(&word));
    }
    match pl.cmp(&en) {
        std::cmp::Ordering::Greater => Some(Lang::Pl),
        std::cmp::Ordering::Less => Some(Lang::En),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_with_and_without_diacritics() {
        assert_eq!(detect_language("Dzień dobry, potrzebuję pomocy"), Some(Lang::Pl));
        assert_eq!(detect_language("chce umowic wizyte prosze"), Some(Lang::Pl));
        assert_eq!(detect_language("pomoc"), Some(Lang::Pl));
    }

    #[test]
    fn english() {
        assert_eq!(detect_language("Hello, I would like to book a visit"), Some(Lang::En));
        assert_eq!(detect_language("help"), Some(Lang::En));
    }

    #[test]
    fn no_evidence_is_none() {
        assert_eq!(detect_language("12345"), None);
        assert_eq!(detect_language(""), None);
        assert_eq!(detect_language("XK4P9Q"), None);
    }

    #[test]
    fn parses_language_names() {
        assert_eq!(Lang::parse("English"), Some(Lang::En));
        assert_eq!(Lang::parse("polski"), Some(Lang::Pl));
        assert_eq!(Lang::parse("klingon"), None);
    }
}
