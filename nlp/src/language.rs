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
    // Short words that Polish without diacritics is made of: "a moze we wtorek kolo 10?"
    "a",
    "o",
    "u",
    "we",
    "ze",
    "po",
    "od",
    "za",
    "przed",
    "bo",
    "ale",
    "albo",
    "lub",
    "juz",
    "już",
    "tez",
    "też",
    "moze",
    "może",
    "kolo",
    "koło",
    "okolo",
    "około",
    "miedzy",
    "między",
    "jutro",
    "dzis",
    "dziś",
    "dzisiaj",
    "pojutrze",
    "rano",
    "wieczorem",
    "godzina",
    "godzinie",
    "poniedzialek",
    "poniedziałek",
    "wtorek",
    "wtorku",
    "sroda",
    "środa",
    "srode",
    "środę",
    "czwartek",
    "piatek",
    "piątek",
    "sobota",
    "niedziela",
    "termin",
    "terminu",
    "nic",
    "ten",
    "ta",
    "tym",
    "mi",
    "moj",
    "mój",
    "moja",
    "anuluj",
    "odwolaj",
    "odwołaj",
    "zmien",
    "zmień",
    "wniosek",
    "sprawie",
    "zadanie",
    "zadania",
    "dobrze",
    "ok",
    "nowy",
    "jeszcze",
    "ktora",
    "która",
    "ktory",
    "który",
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

/// How much a message looks Polish and how much English: the words of each it holds, and for
/// Polish also the letter pairs English hardly has ("rz", "sz", "cz", "dz").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Evidence {
    pl: u32,
    en: u32,
}

fn evidence(text: &str) -> Evidence {
    let lower = text.to_lowercase();
    let (mut pl, mut en) = (0u32, 0u32);
    for word in tokens(&lower) {
        let word = word.trim_start_matches('!').trim_end_matches('!');
        let polish = POLISH_WORDS.contains(&word);
        let english = ENGLISH_WORDS.contains(&word);
        pl += u32::from(polish);
        en += u32::from(english);
        if !polish && !english && ["rz", "sz", "cz", "dz"].iter().any(|pair| word.contains(pair)) {
            pl += 1;
        }
    }
    Evidence { pl, en }
}

/// How many words more of the other language a message must hold to change the language a
/// person was answered in: short Polish without diacritics never gets there.
const SWITCH_MARGIN: u32 = 3;

/// The language a message is clearly written in, by a margin that short Polish without
/// diacritics never reaches: enough to change the language of someone already answered in the
/// other one. `None` when it is not clear.
pub fn clear_language(text: &str) -> Option<Lang> {
    if text.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)) {
        return Some(Lang::Pl);
    }
    let Evidence { pl, en } = evidence(text);
    if en >= pl + SWITCH_MARGIN {
        Some(Lang::En)
    } else if pl >= en + SWITCH_MARGIN {
        Some(Lang::Pl)
    } else {
        None
    }
}

/// Guesses whether a message is Polish or English.
///
/// Returns `None` when the text gives no evidence either way (a number, a code, one unknown
/// word), so the caller can keep the language it already knew for that person.
pub fn detect_language(text: &str) -> Option<Lang> {
    if text.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)) {
        return Some(Lang::Pl);
    }
    let Evidence { pl, en } = evidence(text);
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
    fn short_polish_without_diacritics_is_not_english() {
        for text in ["a moze we wtorek kolo 10?", "a moze po 10", "nie, nic nie odwoluj", "to moze jutro"] {
            assert_ne!(detect_language(text), Some(Lang::En), "{text}");
            assert_ne!(clear_language(text), Some(Lang::En), "{text}");
        }
    }

    #[test]
    fn only_a_clear_margin_changes_the_language() {
        assert_eq!(clear_language("Hello, I would like to book a visit please"), Some(Lang::En));
        assert_eq!(clear_language("help"), None);
        assert_eq!(clear_language("a visit"), None);
        assert_eq!(clear_language("chcę zmienić termin"), Some(Lang::Pl));
        assert_eq!(clear_language("chce przelozyc wizyte na czwartek rano"), Some(Lang::Pl));
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
