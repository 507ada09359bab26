//! `szpon nlu parse` and `szpon nlu eval`: the JSON other tools rely on, with and without the
//! sentence encoder, and clear errors for a broken model folder.

use std::process::Output;

use serde_json::Value;
use szpon_test_harness::encoder_model_dir;

fn run(args: &[&str]) -> Output {
    std::process::Command::new(super::szpon())
        .args(args)
        .env_remove("SZPON_CONFIG")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("szpon runs")
}

fn json_of(output: &Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("szpon prints JSON")
}

fn write_split(dir: &std::path::Path) -> (String, String) {
    let train = dir.join("train.yml");
    let test = dir.join("test.yml");
    std::fs::write(
        &train,
        "version: \"3.1\"\nnlu:\n- intent: book_visit\n  examples: |\n    - chcę umówić wizytę\n    - umów mnie na wizytę\n    - chciałbym się zapisać do urzędu\n    - rezerwacja wizyty\n- intent: faq/godziny\n  examples: |\n    - w jakich godzinach jest otwarty urząd\n    - kiedy urząd jest czynny\n    - godziny otwarcia\n    - do której otwarte\n",
    )
    .unwrap();
    std::fs::write(
        &test,
        "version: \"3.1\"\nnlu:\n- intent: book_visit\n  examples: |\n    - chcę umówić wizytę w urzędzie\n- intent: faq/godziny\n  examples: |\n    - w jakich godzinach otwarte\n",
    )
    .unwrap();
    (train.display().to_string(), test.display().to_string())
}

#[test]
fn parse_prints_intent_confidence_ranking_and_entities() {
    let parse = json_of(&run(&["nlu", "parse", "chcę umówić wizytę w sprawie dowodu jutro po 14"]));
    assert_eq!(parse["intent"]["name"], "book_visit", "{parse}");
    let confidence = parse["confidence"].as_f64().unwrap();
    assert!(confidence > 0.5 && confidence <= 1.0, "{parse}");
    assert_eq!(parse["ranking"][0]["name"], "book_visit");
    let entities = parse["entities"].as_array().unwrap();
    let kinds: Vec<&str> = entities.iter().filter_map(|e| e["entity"].as_str()).collect();
    assert!(kinds.contains(&"date") && kinds.contains(&"service"), "{parse}");
}

#[test]
fn eval_json_has_the_documented_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = write_split(dir.path());
    let report = json_of(&run(&["nlu", "eval", "--train", &train, "--test", &test, "--json"]));
    for key in ["accuracy", "macro_f1", "train_seconds", "predict_p50_ms", "predict_p99_ms"] {
        assert!(report[key].is_number(), "{key} missing: {report}");
    }
    assert_eq!(report["accuracy"], 1.0, "{report}");
}

#[test]
fn the_sentence_encoder_joins_from_a_local_folder() {
    let model = encoder_model_dir();
    let model = model.to_str().unwrap();
    let parse = json_of(&run(&["nlu", "parse", "--encoder", model, "my identity card was stolen"]));
    assert_eq!(parse["intent"]["name"], "faq/dowod_utrata", "{parse}");

    let dir = tempfile::tempdir().unwrap();
    let (train, test) = write_split(dir.path());
    let report =
        json_of(&run(&["nlu", "eval", "--train", &train, "--test", &test, "--json", "--encoder", model]));
    assert_eq!(report["accuracy"], 1.0, "{report}");
}

#[test]
fn a_missing_or_broken_model_is_named() {
    let output = run(&["nlu", "parse", "--encoder", "/nonexistent/model", "dzień dobry"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nlu.encoder: cannot read /nonexistent/model/config.json"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let model = encoder_model_dir();
    for name in ["config.json", "tokenizer.json"] {
        std::fs::copy(model.join(name), dir.path().join(name)).unwrap();
    }
    std::fs::write(dir.path().join("model.safetensors"), b"not a model").unwrap();
    let output = run(&["nlu", "parse", "--encoder", dir.path().to_str().unwrap(), "dzień dobry"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("model.safetensors: "), "{stderr}");
}
