//! Multinomial logistic regression over sparse features, L2-regularised, fitted with argmin's
//! L-BFGS: the same model scikit-learn's `LogisticRegression` fits.
//!
//! linfa's logistic regression wants a dense matrix; n-gram features are sparse and wide
//! (tens of thousands of columns), so the objective is written here over sparse rows and the
//! optimisation is argmin's.

use std::sync::Mutex;

use argmin::{
    core::{CostFunction, Error as ArgminError, Executor, Gradient, State},
    solver::{linesearch::MoreThuenteLineSearch, quasinewton::LBFGS},
};

use crate::features::SparseVec;

/// Why a model could not be trained.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("there are no training examples")]
    NoExamples,
    #[error("at least two intents are needed, found {0}")]
    TooFewClasses(usize),
    #[error("the optimiser failed: {0}")]
    Optimiser(String),
}

/// How hard to fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// Inverse regularisation strength, as scikit-learn's `C`.
    pub c: f64,
    pub max_iterations: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { c: 10.0, max_iterations: 100 }
    }
}

/// Stop when the mean loss's gradient is this small, or the loss changes less than this, as
/// scikit-learn's `tol` does: further iterations no longer change any prediction.
const TOL_GRAD: Weight = 1e-4;
const TOL_COST: Weight = 1e-6;

/// Weights are single precision: the optimiser moves whole weight vectors around many times
/// per iteration, and half the bytes is nearly half the time; sums are taken in f64.
type Weight = f32;

/// A trained linear model: one weight per (feature, class), plus a bias per class.
#[derive(Debug, Clone)]
pub struct LinearModel {
    classes: usize,
    features: usize,
    /// Laid out feature-major: the weights of feature j are `weights[j*classes..][..classes]`.
    weights: Vec<Weight>,
    bias: Vec<Weight>,
}

impl LinearModel {
    /// Fits a model to rows `x` with class indices `y` (each below `classes`).
    pub fn train(
        x: &[SparseVec],
        y: &[usize],
        features: usize,
        classes: usize,
        config: TrainConfig,
    ) -> Result<Self, TrainError> {
        if x.is_empty() {
            return Err(TrainError::NoExamples);
        }
        if classes < 2 {
            return Err(TrainError::TooFewClasses(classes));
        }
        let problem = Objective { x, y, features, classes, c: config.c, cache: Mutex::new(None) };
        let initial = vec![0.0; (features + 1) * classes];
        let line_search = MoreThuenteLineSearch::new();
        let solver = LBFGS::new(line_search, 5)
            .with_tolerance_grad(TOL_GRAD)
            .and_then(|s| s.with_tolerance_cost(TOL_COST))
            .map_err(|e| TrainError::Optimiser(e.to_string()))?;
        let result = Executor::new(problem, solver)
            .configure(|state| state.param(initial).max_iters(config.max_iterations))
            .timer(false)
            .run()
            .map_err(|e| TrainError::Optimiser(e.to_string()))?;
        let params = result
            .state()
            .get_best_param()
            .cloned()
            .ok_or_else(|| TrainError::Optimiser("no result".into()))?;
        let bias = params[features * classes..].to_vec();
        let mut weights = params;
        weights.truncate(features * classes);
        Ok(LinearModel { classes, features, weights, bias })
    }

    /// The probability of each class for one row.
    pub fn probabilities(&self, row: &SparseVec) -> Vec<f64> {
        let mut scores: Vec<f64> = self.bias.iter().map(|&b| f64::from(b)).collect();
        add_scores(&self.weights, self.classes, row, &mut scores);
        softmax(&mut scores);
        scores
    }

    pub fn features(&self) -> usize {
        self.features
    }
}

fn add_scores(weights: &[Weight], classes: usize, row: &SparseVec, scores: &mut [f64]) {
    for &(j, value) in row {
        let w = &weights[j as usize * classes..][..classes];
        scores.iter_mut().zip(w).for_each(|(s, w)| *s += f64::from(*w) * f64::from(value));
    }
}

fn softmax(scores: &mut [f64]) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    scores.iter_mut().for_each(|s| {
        *s = (*s - max).exp();
        sum += *s;
    });
    scores.iter_mut().for_each(|s| *s /= sum);
}

/// The parameters an evaluation was at, the cost and the gradient there.
type Evaluated = (Vec<Weight>, Weight, Vec<Weight>);

/// Cross-entropy of the rows plus ‖W‖²/(2C) (the biases are not regularised).
struct Objective<'a> {
    x: &'a [SparseVec],
    y: &'a [usize],
    features: usize,
    classes: usize,
    c: f64,
    /// argmin asks for the cost and the gradient at the same point separately; both come from
    /// one pass over the data, so the last pass is kept.
    cache: Mutex<Option<Evaluated>>,
}

impl Objective<'_> {
    fn evaluate(&self, params: &[Weight]) -> (Weight, Vec<Weight>) {
        let mut cache = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((at, cost, gradient)) = cache.as_ref()
            && at == params
        {
            return (*cost, gradient.clone());
        }
        let (cost, gradient) = self.compute(params);
        let (cost, gradient) =
            (cost as Weight, gradient.into_iter().map(|g| g as Weight).collect::<Vec<_>>());
        *cache = Some((params.to_vec(), cost, gradient.clone()));
        (cost, gradient)
    }

    fn compute(&self, params: &[Weight]) -> (f64, Vec<f64>) {
        let (mut cost, mut gradient) = self.data_loss(params);
        // The mean over rows, as scikit-learn scales it, so that the tolerances mean the same
        // for a hundred examples as for ten thousand.
        let n = self.x.len() as f64;
        let lambda = 1.0 / self.c;
        let weights = &params[..self.features * self.classes];
        for (g, &w) in gradient.iter_mut().zip(weights) {
            let w = f64::from(w);
            cost += 0.5 * lambda * w * w;
            *g += lambda * w;
        }
        gradient.iter_mut().for_each(|g| *g /= n);
        (cost / n, gradient)
    }

    /// The summed cross-entropy of the rows and its gradient.
    fn data_loss(&self, params: &[Weight]) -> (f64, Vec<f64>) {
        let k = self.classes;
        let (weights, bias) = params.split_at(self.features * k);
        let mut gradient = vec![0.0; params.len()];
        let mut cost = 0.0;
        let mut scores = vec![0.0; k];
        for (row, &label) in self.x.iter().zip(self.y) {
            scores.iter_mut().zip(bias).for_each(|(s, &b)| *s = f64::from(b));
            add_scores(weights, k, row, &mut scores);
            softmax(&mut scores);
            cost -= scores[label].max(1e-300).ln();
            scores[label] -= 1.0;
            for &(j, value) in row {
                let g = &mut gradient[j as usize * k..][..k];
                g.iter_mut().zip(&scores).for_each(|(g, d)| *g += d * f64::from(value));
            }
            let g = &mut gradient[self.features * k..];
            g.iter_mut().zip(&scores).for_each(|(g, d)| *g += d);
        }
        (cost, gradient)
    }
}

impl CostFunction for Objective<'_> {
    type Param = Vec<Weight>;
    type Output = Weight;

    fn cost(&self, params: &Self::Param) -> Result<Weight, ArgminError> {
        Ok(self.evaluate(params).0)
    }
}

impl Gradient for Objective<'_> {
    type Param = Vec<Weight>;
    type Gradient = Vec<Weight>;

    fn gradient(&self, params: &Self::Param) -> Result<Vec<Weight>, ArgminError> {
        Ok(self.evaluate(params).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_two_classes() {
        let x = vec![vec![(0, 1.0)], vec![(0, 0.9), (2, 0.1)], vec![(1, 1.0)], vec![(1, 0.8), (2, 0.2)]];
        let y = [0, 0, 1, 1];
        let model = LinearModel::train(&x, &y, 3, 2, TrainConfig::default()).unwrap();
        assert!(model.probabilities(&vec![(0, 1.0)])[0] > 0.8);
        assert!(model.probabilities(&vec![(1, 1.0)])[1] > 0.8);
        let unknown = model.probabilities(&vec![]);
        assert!((unknown[0] - 0.5).abs() < 0.1, "no evidence is a coin toss: {unknown:?}");
    }

    #[test]
    fn gradient_matches_finite_differences() {
        let x = vec![vec![(0, 0.6), (1, 0.8)], vec![(1, 1.0)], vec![(0, 1.0)]];
        let y = [0, 1, 2];
        let objective = Objective { x: &x, y: &y, features: 2, classes: 3, c: 2.0, cache: Mutex::new(None) };
        let params: Vec<Weight> = (0..9u8).map(|i| Weight::from(i) * 0.1 - 0.4).collect();
        let (_, gradient) = objective.compute(&params);
        // Single-precision weights allow only a coarse step.
        let step = 1e-2;
        for i in 0..params.len() {
            let mut up = params.clone();
            up[i] += step;
            let mut down = params.clone();
            down[i] -= step;
            let numeric = (objective.compute(&up).0 - objective.compute(&down).0) / (2.0 * f64::from(step));
            assert!((numeric - gradient[i]).abs() < 1e-3, "{i}: {numeric} vs {}", gradient[i]);
        }
    }

    #[test]
    fn refuses_what_cannot_be_learnt() {
        assert!(matches!(
            LinearModel::train(&[], &[], 1, 2, TrainConfig::default()),
            Err(TrainError::NoExamples)
        ));
        let one = LinearModel::train(&[vec![(0, 1.0)]], &[0], 1, 1, TrainConfig::default());
        assert!(matches!(one, Err(TrainError::TooFewClasses(1))));
    }
}
