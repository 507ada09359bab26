use unicode_normalization::UnicodeNormalization;

/// Lower-cases, trims and collapses inner white space, keeping diacritics.
pub fn normalize(text: &str) -> String {
    text.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

/// Maps Polish (and other Latin) letters to their base letters, because citizens often type
/// without diacritics: "dowod osobisty" must match "dowód osobisty".
///
/// `ł` has no Unicode decomposition, so it is mapped by hand.
pub fn fold_diacritics(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'ł' => 'l',
            'Ł' => 'L',
            other => other,
        })
        .collect()
}

/// Splits normalised text into word tokens, dropping punctuation around them.
pub fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '!' || c == '-')).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_every_polish_letter() {
        assert_eq!(fold_diacritics("Zażółć gęślą jaźń ŁÓDŹ"), "Zazolc gesla jazn LODZ");
    }

    #[test]
    fn normalizes_case_and_spaces() {
        assert_eq!(normalize("  Dzień   DOBRY\n"), "dzień dobry");
    }

    #[test]
    fn tokenizes_around_punctuation() {
        let toks: Vec<_> = tokens("pomoc, proszę! (teraz)").collect();
        assert_eq!(toks, ["pomoc", "proszę!", "teraz"]);
    }
}
