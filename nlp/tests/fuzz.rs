//! Fuzzing the date parser and the Rasa YAML loader with proptest, seeded by a kept corpus of
//! tricky inputs (tests/corpus). Whatever comes in, nothing panics, every date found is a real
//! day, and every data error points at a line of the file.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use szpon_nlp::{TrainingData, extract_time, text::tokenize};

fn corpus_dates() -> Vec<String> {
    include_str!("corpus/dates.txt").lines().map(str::to_owned).collect()
}

fn corpus_yaml() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/yaml");
    let mut files: Vec<_> =
        std::fs::read_dir(dir).expect("the corpus").map(|e| e.expect("an entry").path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a corpus file");
            (path.display().to_string(), String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect()
}

/// A date found is never before today, except an explicit year in the past, and the mention's
/// spans lie inside the text.
fn check_dates(text: &str, today: NaiveDate) {
    let tokens = tokenize(text);
    let (when, entities) = extract_time(&tokens, today);
    let length = text.chars().count();
    for entity in &entities {
        assert!(entity.start < entity.end && entity.end <= length, "{text:?}: {entity:?}");
    }
    if let Some(date) = when.date {
        let explicit_year = text.chars().filter(|c| c.is_ascii_digit()).count() >= 4;
        assert!(date >= today || explicit_year, "{text:?} gave {date} before {today}");
    }
}

#[test]
fn the_date_corpus_parses_without_surprises() {
    let days = [
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        NaiveDate::from_ymd_opt(2028, 2, 29).unwrap(),
        NaiveDate::MAX,
        NaiveDate::MIN,
    ];
    for text in corpus_dates() {
        for today in days {
            check_dates(&text, today);
        }
    }
}

#[test]
fn the_yaml_corpus_gives_located_errors() {
    for (file, text) in corpus_yaml() {
        let lines = yaml_lines(&text);
        match TrainingData::parse(&file, &text) {
            Ok(data) => assert!(!data.examples.is_empty() || !data.responses.is_empty(), "{file}"),
            Err(e) => {
                assert!(e.line >= 1 && e.line <= lines, "{file}: line {} of {lines}: {e}", e.line);
                assert!(e.to_string().starts_with(&file), "{e}");
            }
        }
    }
}

fn date_words() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("jutro".to_owned()),
        Just("pojutrze".to_owned()),
        Just("za".to_owned()),
        Just("w".to_owned()),
        Just("przyszły".to_owned()),
        Just("o".to_owned()),
        Just("po".to_owned()),
        Just("przed".to_owned()),
        Just("do".to_owned()),
        Just("dni".to_owned()),
        Just("tygodnie".to_owned()),
        Just("grudnia".to_owned()),
        Just("piątek".to_owned()),
        Just("rano".to_owned()),
        Just("pm".to_owned()),
        "[0-9]{1,12}",
        "[0-9]{1,4}[.:/-][0-9]{1,4}([.:/-][0-9]{1,6})?",
        "\\PC{1,6}",
    ];
    prop::collection::vec(word, 0..8).prop_map(|words| words.join(" "))
}

fn rasa_file() -> impl Strategy<Value = String> {
    let example = prop_oneof![
        "[a-ząęł ]{0,20}",
        "[a-z ]{0,8}\\[[a-z ]{0,8}\\]\\([a-z:_]{0,8}\\)?[a-z ]{0,8}",
        "[a-z ]{0,8}\\[[a-z]{0,5}\\]\\{\"entity\": \"[a-z]{0,5}\"\\}",
        "\\PC{0,20}",
    ];
    let item = (
        prop_oneof![Just("intent"), Just("synonym"), Just("lookup"), Just("regex"), Just("bogus")],
        "[a-z_/]{0,10}",
        prop::collection::vec(example, 0..4),
    );
    prop::collection::vec(item, 0..5).prop_map(|items| {
        let mut text = String::from("version: \"3.1\"\nnlu:\n");
        for (kind, name, examples) in items {
            text.push_str(&format!("- {kind}: {name}\n  examples: |\n"));
            for example in examples {
                text.push_str(&format!("    - {example}\n"));
            }
        }
        text
    })
}

/// Lines as YAML counts them: it also breaks lines at U+0085, U+2028 and U+2029.
fn yaml_lines(text: &str) -> usize {
    text.split(['\n', '\u{85}', '\u{2028}', '\u{2029}']).count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn dates_from_any_words_on_any_day(text in date_words(), offset in 0u64..3_000_000) {
        let today = NaiveDate::MIN.checked_add_days(Days::new(offset)).unwrap_or(NaiveDate::MAX);
        check_dates(&text, today);
        check_dates(&text, NaiveDate::MAX);
    }

    #[test]
    fn dates_from_any_text(text in "\\PC{0,120}") {
        check_dates(&text, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    }

    #[test]
    fn rasa_files_load_or_point_at_a_line(text in rasa_file()) {
        let lines = yaml_lines(&text);
        if let Err(e) = TrainingData::parse("fuzz.yml", &text) {
            prop_assert!(e.line >= 1 && e.line <= lines, "line {} of {}: {}", e.line, lines, e);
        }
    }

    #[test]
    fn any_text_as_yaml_never_panics(text in "\\PC{0,300}") {
        let _ = TrainingData::parse("fuzz.yml", &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A duration taken out leaves the other words in order, and is a real length.
    #[test]
    fn durations_never_panic_and_keep_the_other_words(
        text in "((przez|na|for|pół|półtorej|[0-9]{1,6}([,.][0-9]{1,3})?) ?(min|minut|h|godz\\.|godziny|godzinę|hours?)?|\\PC{0,8}| ){0,8}"
    ) {
        let (minutes, rest) = szpon_nlp::take_duration(&text);
        prop_assert!(minutes.is_none_or(|m| m >= 1));
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut kept = words.iter();
        for word in rest.split_whitespace() {
            prop_assert!(kept.any(|w| *w == word), "{text:?} -> {rest:?}");
        }
        if minutes.is_none() {
            prop_assert_eq!(rest, text);
        }
    }
}
