//! The NLU at the edge: reading the office's data files, training at start-up, and the
//! `szpon nlu` commands other tools rely on.

use std::{path::Path, sync::Arc, time::Instant};

use anyhow::Context;
use serde::Serialize;
use szpon_nlp::{
    Nlu, NluConfig, SentenceEncoder, TrainingData,
    data::MAX_DATA_BYTES,
    eval::{Metrics, Outcomes, Ranked, calibration_error, outcomes, score, sweep},
};

use crate::config::NluSection;

/// Reads one Rasa YAML file, refusing oversized ones before reading them.
pub fn read_data(path: &Path) -> anyhow::Result<TrainingData> {
    let shown = path.display().to_string();
    let size = std::fs::metadata(path).with_context(|| format!("{shown}: cannot read the file"))?.len();
    if size > MAX_DATA_BYTES as u64 {
        anyhow::bail!(
            "{shown}: the file has {size} bytes, more than the {} MiB allowed",
            MAX_DATA_BYTES >> 20
        );
    }
    let text = std::fs::read_to_string(path).with_context(|| format!("{shown}: cannot read the file"))?;
    Ok(TrainingData::parse(&shown, &text)?)
}

/// The settings of the NLU from the configuration.
pub fn nlu_config(section: &NluSection) -> NluConfig {
    NluConfig {
        confidence_threshold: section.confidence_threshold,
        ambiguity_threshold: section.ambiguity_threshold,
        ..NluConfig::default()
    }
}

/// The largest model file read; sentence encoders for CPUs are tens to hundreds of megabytes.
const MAX_MODEL_BYTES: u64 = 2 << 30;

/// Loads a sentence-transformers model from a local folder.
pub fn read_encoder(folder: &Path) -> anyhow::Result<SentenceEncoder> {
    let read = |name: &str| {
        let path = folder.join(name);
        let size = std::fs::metadata(&path)
            .with_context(|| format!("nlu.encoder: cannot read {}", path.display()))?
            .len();
        anyhow::ensure!(size <= MAX_MODEL_BYTES, "nlu.encoder: {} is larger than 2 GiB", path.display());
        std::fs::read(&path).with_context(|| format!("nlu.encoder: cannot read {}", path.display()))
    };
    let encoder = SentenceEncoder::from_bytes(
        &read("config.json")?,
        &read("tokenizer.json")?,
        read("model.safetensors")?,
    )
    .with_context(|| format!("nlu.encoder: the model in {}", folder.display()))?;
    Ok(encoder)
}

/// Trains the NLU on the shipped data and the office's own files.
pub fn load(section: &NluSection) -> anyhow::Result<Nlu> {
    let mut data = Nlu::shipped_data();
    for path in &section.data {
        data.merge(read_data(path)?);
    }
    train(&data, section)
}

fn train(data: &TrainingData, section: &NluSection) -> anyhow::Result<Nlu> {
    let encoder = section.encoder.as_deref().map(read_encoder).transpose()?.map(Arc::new);
    let started = Instant::now();
    let nlu = Nlu::train_with_encoder(data, nlu_config(section), encoder).context("training the NLU")?;
    tracing::info!(
        examples = data.examples.len(),
        intents = nlu.intents().len(),
        encoder = nlu.has_encoder(),
        seconds = started.elapsed().as_secs_f64(),
        "NLU trained"
    );
    Ok(nlu)
}

fn today_in_warsaw() -> chrono::NaiveDate {
    use szpon_bots::Clock;
    crate::app::SystemClock.now().with_timezone(&chrono_tz::Europe::Warsaw).date_naive()
}

/// `szpon nlu parse`: what the NLU makes of one text, as JSON.
pub fn parse_command(section: &NluSection, text: &str) -> anyhow::Result<String> {
    let nlu = load(section)?;
    let today = today_in_warsaw();
    Ok(serde_json::to_string_pretty(&nlu.parse(text, today))?)
}

/// What `szpon nlu eval --json` prints.
#[derive(Debug, Serialize)]
pub struct EvalReport {
    #[serde(flatten)]
    pub metrics: Metrics,
    pub train_examples: usize,
    pub train_seconds: f64,
    pub predict_p50_ms: f64,
    pub predict_p99_ms: f64,
    /// How far the best intent's confidence is from the share it gets right (0 is perfect).
    pub calibration_error: f64,
    /// What the configured thresholds make the bot do with the test examples.
    pub outcomes: Outcomes,
    /// The same over a grid of thresholds.
    pub sweep: Vec<Outcomes>,
}

/// `szpon nlu eval`: trains on one file, scores on another, times both.
pub fn eval_command(section: &NluSection, train: &Path, test: &Path) -> anyhow::Result<EvalReport> {
    let train_data = read_data(train)?;
    let test_data = read_data(test)?;
    anyhow::ensure!(!test_data.examples.is_empty(), "{}: no test examples", test.display());
    let encoder = section.encoder.as_deref().map(read_encoder).transpose()?.map(Arc::new);
    let started = Instant::now();
    let nlu =
        Nlu::train_with_encoder(&train_data, nlu_config(section), encoder).context("training the NLU")?;
    let train_seconds = started.elapsed().as_secs_f64();
    let today = today_in_warsaw();
    let mut latencies = Vec::with_capacity(test_data.examples.len());
    let mut ranked = Vec::with_capacity(test_data.examples.len());
    for example in &test_data.examples {
        let started = Instant::now();
        let parse = nlu.parse(&example.text, today);
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
        ranked.push(ranked_of(&example.intent, &parse));
    }
    latencies.sort_by(f64::total_cmp);
    let percentile = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    let pairs: Vec<(String, String)> = ranked.iter().map(|r| (r.gold.clone(), r.first.0.clone())).collect();
    let config = nlu.config();
    Ok(EvalReport {
        metrics: score(&pairs),
        train_examples: train_data.examples.len(),
        train_seconds,
        predict_p50_ms: percentile(0.50),
        predict_p99_ms: percentile(0.99),
        calibration_error: calibration_error(&ranked),
        outcomes: outcomes(&ranked, config.confidence_threshold, config.ambiguity_threshold),
        sweep: sweep(&ranked),
    })
}

fn ranked_of(gold: &str, parse: &szpon_nlp::Parse) -> Ranked {
    let place = |i: usize| {
        parse.ranking.get(i).map_or_else(|| (String::new(), 0.0), |s| (s.name.clone(), s.confidence))
    };
    Ranked { gold: gold.to_owned(), first: place(0), second: place(1) }
}

/// The report for people, Polish first.
pub fn eval_text(report: &EvalReport) -> String {
    let m = &report.metrics;
    let correct = (m.accuracy * m.examples as f64).round();
    let mut out = format!(
        "Dokładność / accuracy: {:.3} ({correct}/{})\nMacro-F1: {:.3}\n",
        m.accuracy, m.examples, m.macro_f1
    );
    out.push_str("Najczęstsze pomyłki / worst confusions (oczekiwano → wybrano):\n");
    for (gold, predicted, count) in m.confusions.iter().take(10) {
        out.push_str(&format!("  {gold} → {predicted}: {count}\n"));
    }
    if m.confusions.is_empty() {
        out.push_str("  brak / none\n");
    }
    out.push_str(&format!(
        "Trening / training: {:.2} s ({} przykładów)\nPredykcja / predict: p50 {:.3} ms, p99 {:.3} ms\n",
        report.train_seconds, report.train_examples, report.predict_p50_ms, report.predict_p99_ms
    ));
    out.push_str(&format!("Błąd kalibracji / calibration error (ECE): {:.3}\n", report.calibration_error));
    out.push_str(
        "Progi / thresholds (confidence, ambiguity): odpowiedzi (błędne) · pytania (trafne) · niepewne (trafne)\n",
    );
    let line = |o: &Outcomes| {
        format!(
            "{:.2}, {:.2}: {} ({}) · {} ({}) · {} ({})",
            o.confidence_threshold,
            o.ambiguity_threshold,
            o.answered,
            o.answered_wrong,
            o.asked,
            o.asked_right,
            o.unsure,
            o.unsure_right
        )
    };
    out.push_str(&format!("  {}  ← ustawione / configured\n", line(&report.outcomes)));
    for o in &report.sweep {
        out.push_str(&format!("  {}\n", line(o)));
    }
    out
}
