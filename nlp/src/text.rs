//! Words with their places in the original text, and a light Polish stemmer.

use crate::normalize::{fold_diacritics, normalize};

/// Lower-case, diacritics folded, punctuation turned to spaces: "Chcę umówić wizytę!" →
/// "chce umowic wizyte". Dots and colons stay, for dates and times ("15.12", "10:30").
pub fn fold(text: &str) -> String {
    let folded = fold_diacritics(&normalize(text));
    folded
        .chars()
        .map(|c| if c.is_alphanumeric() || c == ':' || c == '.' { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One word of a text: folded for matching, with its place in the original in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub folded: String,
    pub start: usize,
    pub end: usize,
}

/// Splits text into words: runs of letters and digits, keeping the dots, colons, slashes and
/// dashes inside them ("15.12.2026", "10:30", "2026-12-15"), folded to lower case without
/// diacritics.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let inner = ":./-".contains(c)
            && current.is_some()
            && chars.get(i + 1).is_some_and(|next| next.is_alphanumeric());
        if c.is_alphanumeric() || inner {
            current.get_or_insert_with(|| (i, String::new())).1.push(c);
        } else if let Some((start, word)) = current.take() {
            tokens.push(token(start, i, &word));
        }
    }
    if let Some((start, word)) = current {
        tokens.push(token(start, chars.len(), &word));
    }
    tokens
}

fn token(start: usize, end: usize, word: &str) -> Token {
    Token { folded: fold_diacritics(&word.to_lowercase()), start, end }
}

/// Polish inflection endings, longest first, so that "dowodu osobistego" and "dowód osobisty"
/// share their stems.
const ENDINGS: &[&str] = &[
    "owego", "owych", "owymi", "iego", "owej", "owym", "ach", "ami", "ego", "emu", "iem", "ich", "imi",
    "ych", "ymi", "owi", "om", "ow", "ie", "ej", "em", "im", "ym", "a", "e", "i", "o", "u", "y",
];

/// A rough stem of a folded word: the word without its inflectional ending, never shorter
/// than three letters. Good enough to match names, not a linguistic analysis.
pub fn stem(word: &str) -> &str {
    for ending in ENDINGS {
        if let Some(stem) = word.strip_suffix(ending)
            && stem.chars().count() >= 3
        {
            return stem;
        }
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_sentences() {
        assert_eq!(fold("Chcę umówić wizytę!"), "chce umowic wizyte");
        assert_eq!(fold("o 10:30, dnia 15.12."), "o 10:30 dnia 15.12");
    }

    #[test]
    fn tokens_keep_places_in_the_original() {
        let text = "Żółty dowód, 15.12.2026 o 10:30?";
        let tokens = tokenize(text);
        let words: Vec<&str> = tokens.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(words, ["zolty", "dowod", "15.12.2026", "o", "10:30"]);
        let chars: Vec<char> = text.chars().collect();
        let second: String = chars[tokens[1].start..tokens[1].end].iter().collect();
        assert_eq!(second, "dowód");
    }

    #[test]
    fn trailing_punctuation_is_not_part_of_a_word() {
        let words: Vec<String> = tokenize("jutro. po 14-").into_iter().map(|t| t.folded).collect();
        assert_eq!(words, ["jutro", "po", "14"]);
    }

    #[test]
    fn stems_match_across_cases() {
        assert_eq!(stem("dowodu"), stem("dowod"));
        assert_eq!(stem("osobistego"), stem("osobisty"));
        assert_eq!(stem("jazdy"), "jazd");
        assert_eq!(stem("ab"), "ab");
    }
}
