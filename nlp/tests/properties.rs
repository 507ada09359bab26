//! Whatever people type, the text functions never panic and keep their promises.

use proptest::prelude::*;
use szpon_nlp::{Lang, clear_language, detect_language, fold_diacritics, normalize, tokens};

proptest! {
    #[test]
    fn folding_leaves_no_polish_letters_and_is_idempotent(text in "\\PC{0,200}") {
        let folded = fold_diacritics(&text);
        prop_assert!(!folded.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".contains(c)));
        prop_assert_eq!(fold_diacritics(&folded), folded.clone());
    }

    #[test]
    fn normalizing_is_idempotent_and_trims(text in "\\PC{0,200}") {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
        prop_assert!(!once.starts_with(char::is_whitespace) && !once.ends_with(char::is_whitespace));
    }

    #[test]
    fn tokens_are_never_empty(text in "\\PC{0,200}") {
        prop_assert!(tokens(&text).all(|t| !t.is_empty()));
    }

    #[test]
    fn detection_never_panics_and_polish_letters_mean_polish(text in "\\PC{0,200}", letter in "[ąćęłńśźż]") {
        let _ = detect_language(&text);
        prop_assert_eq!(detect_language(&format!("{text}{letter}")), Some(Lang::Pl));
    }

    /// Citizens' Polish, typed without diacritics and short ("a moze we wtorek kolo 10?"),
    /// never reads as English: the language of a Polish conversation must not flip.
    #[test]
    fn polish_without_diacritics_never_reads_as_english(
        words in prop::collection::vec(prop::sample::select(POLISH_AS_TYPED), 1..9),
        hour in prop::option::of(7u32..18),
        mark in prop::sample::select(&["", "?", ".", "!", " :)"][..]),
    ) {
        let mut text = words.join(" ");
        if let Some(hour) = hour {
            text.push_str(&format!(" {hour}"));
        }
        text.push_str(mark);
        prop_assert_ne!(detect_language(&text), Some(Lang::En), "{}", text);
        prop_assert_ne!(clear_language(&text), Some(Lang::En), "{}", text);
    }

    #[test]
    fn language_names_round_trip(lang in prop_oneof![Just(Lang::Pl), Just(Lang::En)]) {
        prop_assert_eq!(Lang::parse(lang.tag()), Some(lang));
    }
}

/// Polish as people type it in a chat, diacritics left out: words of booking, tasks and
/// questions, the short ones above all.
const POLISH_AS_TYPED: &[&str] = &[
    "a",
    "moze",
    "we",
    "wtorek",
    "kolo",
    "okolo",
    "po",
    "przed",
    "miedzy",
    "do",
    "od",
    "i",
    "to",
    "na",
    "w",
    "z",
    "o",
    "jutro",
    "dzis",
    "pojutrze",
    "rano",
    "popoludniu",
    "wieczorem",
    "czwartek",
    "piatek",
    "sroda",
    "srode",
    "poniedzialek",
    "sobota",
    "tak",
    "nie",
    "nic",
    "juz",
    "tez",
    "prosze",
    "dziekuje",
    "chce",
    "chcialbym",
    "chcialabym",
    "umowic",
    "zmienic",
    "przelozyc",
    "odwolac",
    "anuluj",
    "termin",
    "wizyte",
    "wizyta",
    "dowod",
    "osobisty",
    "paszport",
    "zameldowanie",
    "meldunek",
    "urzad",
    "godziny",
    "otwarcia",
    "gdzie",
    "kiedy",
    "jak",
    "ile",
    "kosztuje",
    "oplata",
    "wniosek",
    "sprawa",
    "sprawie",
    "moje",
    "wizyty",
    "zadanie",
    "zadania",
    "zrobione",
    "pomoc",
    "konsultant",
    "czlowiek",
    "dobrze",
    "ok",
    "super",
    "czesc",
    "hej",
    "dzien",
    "dobry",
    "mam",
    "pytanie",
    "czy",
    "mozna",
    "ten",
    "ta",
    "pierwszy",
    "drugi",
    "trzeci",
    "lepiej",
    "jednak",
    "bo",
    "ale",
    "albo",
    "lub",
    "mi",
    "mnie",
    "sie",
];
