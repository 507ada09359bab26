//! Entities: what a text names besides its intent (dates, times, numbers, codes, services).

use serde::Serialize;

use crate::text::{Token, fold, tokenize};

/// One thing found in a text, with its place in characters, as Rasa reports entities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entity {
    /// The kind: "date", "time", "time_from", "time_before", "number", "code", or a lookup
    /// table's name ("service").
    pub entity: String,
    /// The canonical value: an ISO date, "HH:MM", a number, an upper-case code, a synonym's
    /// target.
    pub value: String,
    pub start: usize,
    pub end: usize,
}

impl Entity {
    /// An entity covering `tokens` (which must not be empty).
    pub fn spanning(entity: &str, value: String, tokens: &[Token]) -> Self {
        let start = tokens.first().map_or(0, |t| t.start);
        let end = tokens.last().map_or(start, |t| t.end);
        Entity { entity: entity.to_owned(), value, start, end }
    }
}

/// The letters of visit codes: no 0/O, 1/I/L, 2/Z, 5/S or 8/B, which people confuse.
pub const CODE_ALPHABET: &[u8] = b"ACDEFGHJKMNPQRTUVWXY34679";
pub const CODE_LENGTH: usize = 6;

/// Whether a word looks like a visit code (any case).
pub fn is_code(word: &str) -> bool {
    word.len() == CODE_LENGTH && word.bytes().all(|b| CODE_ALPHABET.contains(&b.to_ascii_uppercase()))
}

/// The first word of a text that looks like a visit code, upper-cased.
pub fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_alphanumeric()).find(|w| is_code(w)).map(str::to_uppercase)
}

/// Polish phone numbers ("600 123 456", "+48 600-123-456", "(12) 345 67 89"), as `phone`
/// entities whose value is "+48" and the nine digits.
pub fn phone_numbers(text: &str) -> Vec<Entity> {
    static PHONE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:(?:\+|\b00)48[\s.-]?\(?|\(|\b)\d{2,3}\)?(?:[\s.-]?\d{2,3}){2,3}\b")
            .expect("the phone pattern compiles")
    });
    PHONE
        .find_iter(text)
        .filter_map(|m| {
            let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
            let national = match digits.len() {
                9 => digits,
                11 if digits.starts_with("48") => digits[2..].to_owned(),
                13 if digits.starts_with("0048") => digits[4..].to_owned(),
                _ => return None,
            };
            let start = text[..m.start()].chars().count();
            let end = start + m.as_str().chars().count();
            Some(Entity { entity: "phone".to_owned(), value: format!("+48{national}"), start, end })
        })
        .collect()
}

/// "+48600123456" as people write it: "600 123 456".
pub fn phone_for_people(value: &str) -> String {
    let national = value.strip_prefix("+48").unwrap_or(value);
    if national.len() != 9 || !national.bytes().all(|b| b.is_ascii_digit()) {
        return value.to_owned();
    }
    format!("{} {} {}", &national[..3], &national[3..6], &national[6..])
}

/// Codes and plain numbers, skipping words that `taken` says belong to another entity.
pub fn codes_and_numbers(tokens: &[Token], taken: impl Fn(&Token) -> bool) -> Vec<Entity> {
    tokens
        .iter()
        .filter(|t| !taken(t))
        .filter_map(|t| {
            if is_code(&t.folded) && t.folded.bytes().any(|b| b.is_ascii_alphabetic()) {
                Some(Entity::spanning("code", t.folded.to_uppercase(), std::slice::from_ref(t)))
            } else if t.folded.len() <= 9 && t.folded.bytes().all(|b| b.is_ascii_digit()) {
                let value = t.folded.trim_start_matches('0');
                let value = if value.is_empty() { "0" } else { value };
                Some(Entity::spanning("number", value.to_owned(), std::slice::from_ref(t)))
            } else {
                None
            }
        })
        .collect()
}

const ORDINALS: &[(&str, usize)] = &[
    ("pierwsz", 1),
    ("drug", 2),
    ("trzec", 3),
    ("czwart", 4),
    ("piat", 5),
    ("szost", 6),
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
];

/// The number a person chose from a numbered list: "2", "nr 2", "opcja 2", "2.", "drugi",
/// "ten drugi", "the second one". `None` if the message is more than a choice.
pub fn chosen_number(text: &str) -> Option<usize> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split(' ')
        .filter(|w| !w.is_empty() && !["ten", "ta", "to", "the", "one", "prosze", "poprosze"].contains(w))
        .collect();
    let number = match words.as_slice() {
        [n] => n,
        [prefix, n] if ["nr", "numer", "opcja", "termin", "number", "option"].contains(prefix) => n,
        _ => return None,
    };
    let ordinal = || ORDINALS.iter().find(|(stem, _)| number.starts_with(stem)).map(|(_, n)| *n);
    number.parse().ok().filter(|n| *n > 0 && *n < 1000).or_else(ordinal)
}

/// All codes in a text, for callers that have only the text.
pub fn codes_in(text: &str) -> Vec<String> {
    codes_and_numbers(&tokenize(text), |_| false)
        .into_iter()
        .filter(|e| e.entity == "code")
        .map(|e| e.value)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_codes_and_numbers() {
        let tokens = tokenize("odwołaj k7m3qa i 2 inne, 007");
        let found: Vec<(String, String)> =
            codes_and_numbers(&tokens, |_| false).into_iter().map(|e| (e.entity, e.value)).collect();
        let expected = [("code", "K7M3QA"), ("number", "2"), ("number", "7")];
        assert_eq!(found, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
        assert_eq!(code_in("mój kod: K7M3QA."), Some("K7M3QA".to_owned()));
        assert!(!is_code("BOOK12"), "1 and 2 and B are not in the alphabet");
    }

    #[test]
    fn finds_polish_phone_numbers() {
        let values = |text: &str| phone_numbers(text).into_iter().map(|e| e.value).collect::<Vec<_>>();
        assert_eq!(values("proszę o telefon 600 123 456 jutro"), ["+48600123456"]);
        assert_eq!(values("mój numer: +48 600-123-456"), ["+48600123456"]);
        assert_eq!(values("0048600123456 albo (12) 345 67 89"), ["+48600123456", "+48123456789"]);
        assert!(values("wizyta 15.12 o 10:30, kod ACD479, 12 osób").is_empty());
        assert!(values("1234567890123").is_empty());
        let found = &phone_numbers("tel. 600123456")[0];
        assert_eq!((found.start, found.end), (5, 14));
        assert_eq!(phone_for_people("+48600123456"), "600 123 456");
    }

    #[test]
    fn choices() {
        assert_eq!(chosen_number("2"), Some(2));
        assert_eq!(chosen_number(" nr 3. "), Some(3));
        assert_eq!(chosen_number("ten drugi"), Some(2));
        assert_eq!(chosen_number("the first one"), Some(1));
        assert_eq!(chosen_number("poproszę trzeci"), Some(3));
        assert_eq!(chosen_number("0"), None);
        assert_eq!(chosen_number("mam 2 sprawy"), None);
    }
}
