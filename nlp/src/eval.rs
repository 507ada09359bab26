//! Scores of a classifier against gold labels: accuracy, macro-F1 and the worst confusions.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

/// How well predictions match the gold intents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    pub examples: usize,
    pub accuracy: f64,
    /// The unweighted mean of the per-intent F1 scores, over intents in gold or predictions.
    pub macro_f1: f64,
    /// (gold, predicted, count) for mistakes, most frequent first.
    pub confusions: Vec<(String, String, usize)>,
}

/// Scores (gold, predicted) pairs.
pub fn score(pairs: &[(String, String)]) -> Metrics {
    let correct = pairs.iter().filter(|(g, p)| g == p).count();
    let labels: BTreeSet<&str> = pairs.iter().flat_map(|(g, p)| [g.as_str(), p.as_str()]).collect();
    let f1s: Vec<f64> = labels
        .iter()
        .map(|label| {
            let tp = pairs.iter().filter(|(g, p)| g == label && p == label).count() as f64;
            let predicted = pairs.iter().filter(|(_, p)| p == label).count() as f64;
            let actual = pairs.iter().filter(|(g, _)| g == label).count() as f64;
            if tp == 0.0 { 0.0 } else { 2.0 * tp / (predicted + actual) }
        })
        .collect();
    let mut confusions: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (g, p) in pairs.iter().filter(|(g, p)| g != p) {
        *confusions.entry((g.clone(), p.clone())).or_default() += 1;
    }
    let mut confusions: Vec<(String, String, usize)> =
        confusions.into_iter().map(|((g, p), n)| (g, p, n)).collect();
    confusions.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Metrics {
        examples: pairs.len(),
        accuracy: ratio(correct, pairs.len()),
        macro_f1: if f1s.is_empty() { 0.0 } else { f1s.iter().sum::<f64>() / f1s.len() as f64 },
        confusions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(g, p)| ((*g).to_owned(), (*p).to_owned())).collect()
    }

    #[test]
    fn accuracy_f1_and_confusions() {
        let m = score(&pairs(&[("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]));
        assert!((m.accuracy - 0.75).abs() < 1e-9);
        // a: tp 1, predicted 1, actual 2 → 2/3; b: tp 2, predicted 3, actual 2 → 4/5.
        assert!((m.macro_f1 - (2.0 / 3.0 + 0.8) / 2.0).abs() < 1e-9);
        assert_eq!(m.confusions, [("a".to_owned(), "b".to_owned(), 1)]);
        assert_eq!(score(&[]).accuracy, 0.0);
    }
}
