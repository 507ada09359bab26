//! Whatever people type, the text functions never panic and keep their promises.

use proptest::prelude::*;
use szpon_nlp::{Lang, detect_language, fold_diacritics, normalize, tokens};

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

    #[test]
    fn language_names_round_trip(lang in prop_oneof![Just(Lang::Pl), Just(Lang::En)]) {
        prop_assert_eq!(Lang::parse(lang.tag()), Some(lang));
    }
}
