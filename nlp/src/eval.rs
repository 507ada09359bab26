//! Scores of a classifier against gold labels: accuracy, macro-F1 and the worst confusions,
//! and how well its confidence tells right answers from wrong ones.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::Decision;

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

/// One held-out example as the NLU ranked it: the gold intent and the two best guesses.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub gold: String,
    pub first: (String, f64),
    pub second: (String, f64),
}

/// What a pair of thresholds makes the bot do with held-out examples.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcomes {
    pub confidence_threshold: f64,
    pub ambiguity_threshold: f64,
    /// Answered outright; the wrong ones are what calibration keeps down.
    pub answered: usize,
    pub answered_wrong: usize,
    /// Asked "A or B?"; the right ones had the gold intent among the two.
    pub asked: usize,
    pub asked_right: usize,
    /// Said it did not understand; the right ones would have been answered well.
    pub unsure: usize,
    pub unsure_right: usize,
}

/// What the bot would do with each example under these thresholds.
pub fn outcomes(ranked: &[Ranked], confidence_threshold: f64, ambiguity_threshold: f64) -> Outcomes {
    let mut tally = Outcomes {
        confidence_threshold,
        ambiguity_threshold,
        answered: 0,
        answered_wrong: 0,
        asked: 0,
        asked_right: 0,
        unsure: 0,
        unsure_right: 0,
    };
    for r in ranked {
        match Decision::of(r.first.1, r.second.1, confidence_threshold, ambiguity_threshold) {
            Decision::Confident => {
                tally.answered += 1;
                tally.answered_wrong += usize::from(r.first.0 != r.gold);
            }
            Decision::Ambiguous => {
                tally.asked += 1;
                tally.asked_right += usize::from(r.first.0 == r.gold || r.second.0 == r.gold);
            }
            Decision::Unsure => {
                tally.unsure += 1;
                tally.unsure_right += usize::from(r.first.0 == r.gold);
            }
        }
    }
    tally
}

/// The outcomes over a grid of thresholds, for choosing an office's settings.
pub fn sweep(ranked: &[Ranked]) -> Vec<Outcomes> {
    const CONFIDENCE: [f64; 5] = [0.2, 0.25, 0.3, 0.35, 0.4];
    const AMBIGUITY: [f64; 6] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.3];
    CONFIDENCE.iter().flat_map(|&c| AMBIGUITY.iter().map(move |&a| outcomes(ranked, c, a))).collect()
}

/// The expected calibration error of the best intent's confidence: over ten equal bins, how far
/// the mean confidence is from the share that was right, weighted by the bin's size.
pub fn calibration_error(ranked: &[Ranked]) -> f64 {
    const BINS: usize = 10;
    let mut bins = [(0usize, 0.0f64, 0usize); BINS];
    for r in ranked {
        let bin = ((r.first.1.clamp(0.0, 1.0) * BINS as f64) as usize).min(BINS - 1);
        bins[bin].0 += 1;
        bins[bin].1 += r.first.1;
        bins[bin].2 += usize::from(r.first.0 == r.gold);
    }
    if ranked.is_empty() {
        return 0.0;
    }
    bins.iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, confidence, right)| {
            let n_f = n as f64;
            (confidence / n_f - right as f64 / n_f).abs() * n_f / ranked.len() as f64
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(gold: &str, first: (&str, f64), second: (&str, f64)) -> Ranked {
        Ranked {
            gold: gold.to_owned(),
            first: (first.0.to_owned(), first.1),
            second: (second.0.to_owned(), second.1),
        }
    }

    #[test]
    fn thresholds_split_answers_questions_and_unsure() {
        let examples = [
            ranked("a", ("a", 0.9), ("b", 0.05)),
            ranked("a", ("b", 0.5), ("a", 0.45)),
            ranked("c", ("b", 0.2), ("a", 0.1)),
            ranked("c", ("b", 0.7), ("a", 0.1)),
        ];
        let o = outcomes(&examples, 0.3, 0.1);
        assert_eq!((o.answered, o.answered_wrong), (2, 1));
        assert_eq!((o.asked, o.asked_right), (1, 1));
        assert_eq!((o.unsure, o.unsure_right), (1, 0));
        // Without the question, the close call is answered, and wrongly.
        let o = outcomes(&examples, 0.3, 0.0);
        assert_eq!((o.answered, o.answered_wrong, o.asked), (3, 2, 0));
        assert_eq!(sweep(&examples).len(), 30);
    }

    #[test]
    fn calibration_error_is_the_gap_between_confidence_and_accuracy() {
        let right = ranked("a", ("a", 0.95), ("b", 0.0));
        let wrong = ranked("b", ("a", 0.95), ("b", 0.0));
        assert!((calibration_error(&[right.clone(), right.clone()]) - 0.05).abs() < 1e-9);
        assert!((calibration_error(&[right, wrong]) - 0.45).abs() < 1e-9);
        assert_eq!(calibration_error(&[]), 0.0);
    }

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
