//! TF-IDF features as in Rasa's default pipeline and scikit-learn's `TfidfVectorizer`: word
//! 1–2-grams and `char_wb` 3–5-grams, each block L2-normalised. Character n-grams within words
//! cope well with Polish inflection: "dowodu" and "dowód" share most of theirs. Each word's
//! light stem joins the word n-grams too, so that the inflected forms of one word also count as
//! one word ("odpisu", "odpisem" and "odpis" are all "~odpis").

use std::collections::HashMap;

use crate::normalize::fold_diacritics;

/// A sparse vector: (feature index, value), sorted by index.
pub type SparseVec = Vec<(u32, f32)>;

/// Which n-grams to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureConfig {
    pub word_ngrams: (usize, usize),
    pub char_ngrams: (usize, usize),
    /// Fold diacritics before counting, because citizens often type without them.
    pub fold_diacritics: bool,
    /// N-grams found in fewer training texts than this are left out: they cannot generalise,
    /// and they make the model slower to train.
    pub min_df: u32,
    /// Add each word's stem ([`crate::text::stem`]) as a word feature.
    pub stems: bool,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            word_ngrams: (1, 2),
            char_ngrams: (3, 5),
            fold_diacritics: true,
            min_df: 2,
            stems: true,
        }
    }
}

/// The longest text read for features: longer messages say what they want early on.
const MAX_FEATURE_CHARS: usize = 2000;

/// The n-gram vocabulary and inverse document frequencies learnt from training texts.
#[derive(Debug, Clone)]
pub struct Vectorizer {
    config: FeatureConfig,
    vocabulary: HashMap<String, u32>,
    idf: Vec<f32>,
    /// Features below this index are word n-grams, the rest character n-grams.
    words_end: u32,
}

impl Vectorizer {
    /// Learns the vocabulary of `texts`.
    pub fn fit<'a>(texts: impl IntoIterator<Item = &'a str>, config: FeatureConfig) -> Self {
        let mut word_df: HashMap<String, u32> = HashMap::new();
        let mut char_df: HashMap<String, u32> = HashMap::new();
        let mut documents = 0u32;
        for text in texts {
            documents += 1;
            let (words, chars) = ngrams(text, &config);
            for gram in unique(words) {
                *word_df.entry(gram).or_default() += 1;
            }
            for gram in unique(chars) {
                *char_df.entry(gram).or_default() += 1;
            }
        }
        let mut vocabulary = HashMap::new();
        let mut idf = Vec::new();
        add_block(&mut vocabulary, &mut idf, word_df, 'w', documents, config.min_df);
        let words_end = idf.len() as u32;
        add_block(&mut vocabulary, &mut idf, char_df, 'c', documents, config.min_df);
        Vectorizer { config, vocabulary, idf, words_end }
    }

    /// How many features there are.
    pub fn len(&self) -> usize {
        self.idf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }

    /// The TF-IDF vector of a text; n-grams not seen in training are ignored.
    pub fn transform(&self, text: &str) -> SparseVec {
        let (words, chars) = ngrams(text, &self.config);
        let mut counts: HashMap<u32, f32> = HashMap::new();
        let grams = words.into_iter().map(|g| ('w', g)).chain(chars.into_iter().map(|g| ('c', g)));
        let mut key = String::new();
        for (prefix, gram) in grams {
            key.clear();
            key.push(prefix);
            key.push_str(&gram);
            if let Some(&index) = self.vocabulary.get(&key) {
                *counts.entry(index).or_default() += 1.0;
            }
        }
        let mut vector: SparseVec =
            counts.into_iter().map(|(i, tf)| (i, tf * self.idf[i as usize])).collect();
        vector.sort_unstable_by_key(|(i, _)| *i);
        let split = vector.partition_point(|(i, _)| *i < self.words_end);
        let (words, chars) = vector.split_at_mut(split);
        normalize_l2(words);
        normalize_l2(chars);
        vector
    }
}

/// Numbers the n-grams of one block, sorted so that the same data always gives the same
/// feature numbers, with scikit-learn's smoothed idf: ln((1 + n) / (1 + df)) + 1.
fn add_block(
    vocabulary: &mut HashMap<String, u32>,
    idf: &mut Vec<f32>,
    df: HashMap<String, u32>,
    prefix: char,
    documents: u32,
    min_df: u32,
) {
    let mut grams: Vec<(String, u32)> = df.into_iter().filter(|(_, count)| *count >= min_df).collect();
    grams.sort_unstable();
    for (gram, count) in grams {
        vocabulary.insert(format!("{prefix}{gram}"), idf.len() as u32);
        idf.push(((1.0 + documents as f32) / (1.0 + count as f32)).ln() + 1.0);
    }
}

fn unique(mut grams: Vec<String>) -> Vec<String> {
    grams.sort_unstable();
    grams.dedup();
    grams
}

fn normalize_l2(block: &mut [(u32, f32)]) {
    let norm = block.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        block.iter_mut().for_each(|(_, v)| *v /= norm);
    }
}

/// Lower case, optionally without diacritics, with everything but letters and digits as
/// spaces.
pub fn preprocess(text: &str, fold: bool) -> String {
    let head: String = text.chars().take(MAX_FEATURE_CHARS).collect();
    let lower = head.to_lowercase();
    let lower = if fold { fold_diacritics(&lower) } else { lower };
    lower.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect()
}

/// The word n-grams (of words of two or more letters, as scikit-learn's default token
/// pattern) and the `char_wb` n-grams of a text.
fn ngrams(text: &str, config: &FeatureConfig) -> (Vec<String>, Vec<String>) {
    let clean = preprocess(text, config.fold_diacritics);
    let words: Vec<&str> = clean.split_whitespace().collect();
    let long: Vec<&str> = words.iter().copied().filter(|w| w.chars().count() >= 2).collect();
    let mut word_grams = Vec::new();
    let (low, high) = config.word_ngrams;
    for n in low..=high {
        word_grams.extend(long.windows(n.max(1)).map(|w| w.join(" ")));
    }
    if config.stems {
        // "~" keeps a stem apart from a word spelt the same.
        word_grams.extend(long.iter().map(|w| format!("~{}", crate::text::stem(w))));
    }
    let mut char_grams = Vec::new();
    for word in &words {
        char_wb(word, config.char_ngrams, &mut char_grams);
    }
    (word_grams, char_grams)
}

/// The character n-grams of one word padded with a space on each side; a word shorter than
/// n gives itself once, as scikit-learn's `char_wb` does.
fn char_wb(word: &str, (low, high): (usize, usize), out: &mut Vec<String>) {
    let padded: Vec<char> = std::iter::once(' ').chain(word.chars()).chain(std::iter::once(' ')).collect();
    for n in low.max(1)..=high {
        if padded.len() <= n {
            out.push(padded.iter().collect());
            break;
        }
        out.extend(padded.windows(n).map(|w| w.iter().collect::<String>()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_wb_matches_scikit_learn() {
        let mut out = Vec::new();
        char_wb("ab", (1, 4), &mut out);
        // sklearn: [' ', 'a', 'b', ' ', ' a', 'ab', 'b ', ' ab', 'ab ', ' ab ']
        assert_eq!(out, [" ", "a", "b", " ", " a", "ab", "b ", " ab", "ab ", " ab "]);
    }

    #[test]
    fn vectors_are_normalised_per_block_and_deterministic() {
        let texts = ["chcę umówić wizytę", "gdzie oddać elektrośmieci", "dowód osobisty"];
        let config = FeatureConfig { min_df: 1, ..FeatureConfig::default() };
        let v = Vectorizer::fit(texts, config);
        let x = v.transform("Chce umowic wizyte!");
        let split = x.partition_point(|(i, _)| *i < v.words_end);
        for block in [&x[..split], &x[split..]] {
            let norm: f32 = block.iter().map(|(_, v)| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-5, "{norm}");
        }
        assert_eq!(x, Vectorizer::fit(texts, config).transform("chcę umówić wizytę"));
        assert!(v.transform("").is_empty());
        assert!(v.transform("🙂").is_empty());
    }

    #[test]
    fn inflected_forms_of_a_word_share_its_stem() {
        let config = FeatureConfig::default();
        for text in ["odpis aktu", "odpisu aktu", "z odpisem aktu"] {
            let (words, _) = ngrams(text, &config);
            assert!(words.contains(&"~odpis".to_owned()), "{text}: {words:?}");
        }
        let (words, _) = ngrams("odpisu", &FeatureConfig { stems: false, ..config });
        assert!(!words.iter().any(|w| w.starts_with('~')));
    }

    #[test]
    fn rare_ngrams_are_left_out() {
        let v = Vectorizer::fit(["ala ma kota", "ala ma psa"], FeatureConfig::default());
        let x = v.transform("ala kota");
        let v_all = Vectorizer::fit(
            ["ala ma kota", "ala ma psa"],
            FeatureConfig { min_df: 1, ..FeatureConfig::default() },
        );
        assert!(v.len() < v_all.len());
        assert!(x.len() < v_all.transform("ala kota").len(), "\"kota\" is seen once and left out");
    }
}
