//! The data szpon ships, and what the NLU trained on it understands.

use std::sync::OnceLock;

use chrono::NaiveDate;
use szpon_nlp::{Decision, Lang, Nlu, NluConfig, TrainingData, eval::score};

fn nlu() -> &'static Nlu {
    static NLU: OnceLock<Nlu> = OnceLock::new();
    NLU.get_or_init(|| {
        Nlu::train(&Nlu::shipped_data(), NluConfig::default()).expect("the shipped data trains")
    })
}

/// Monday, 23 November 2026.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

const BOT_INTENTS: &[&str] = &[
    "book_visit",
    "move_visit",
    "cancel_visit",
    "my_visits",
    "tasks",
    "courses",
    "help",
    "human",
    "greet",
    "thanks",
    "out_of_scope",
];

#[test]
fn every_intent_has_fifteen_examples_in_each_language_and_faq_topics_have_answers() {
    for lang in [Lang::Pl, Lang::En] {
        let data = Nlu::shipped_language(lang);
        for intent in data.intents() {
            let count = data.examples.iter().filter(|e| e.intent == intent).count();
            assert!(count >= 15, "{lang:?} {intent}: {count} examples");
        }
        for intent in BOT_INTENTS {
            assert!(data.intents().contains(intent), "{lang:?} lacks {intent}");
        }
    }
    let data = Nlu::shipped_data();
    let faq: Vec<&str> = data.intents().into_iter().filter(|i| i.starts_with("faq/")).collect();
    assert!(faq.len() >= 25, "{} FAQ topics", faq.len());
    for topic in faq {
        for lang in [Lang::Pl, Lang::En] {
            assert!(
                data.responses.get(topic).and_then(|r| r.get(&lang)).is_some(),
                "{topic} has no {lang:?} answer"
            );
        }
    }
}

#[test]
fn understands_citizens_as_they_write() {
    let cases = [
        ("dzień dobry, chciałbym wyrobić dowód jutro rano", "book_visit"),
        ("gdzie oddać elektrośmieci?", "faq/elektrosmieci"),
        ("gdzie oddac elektrosmieci", "faq/elektrosmieci"),
        ("zgubilem dowod osobisty co teraz", "faq/dowod_utrata"),
        ("chce odwolac wizyte", "cancel_visit"),
        ("kiedy mam wizytę?", "my_visits"),
        ("połącz mnie z człowiekiem", "human"),
        ("jak sie zameldowac?", "faq/meldunek_staly"),
        ("ile płacę za śmieci", "faq/oplata_smieci"),
        ("where can I park near the office", "faq/adres_dojazd"),
        ("I lost my ID card", "faq/dowod_utrata"),
        ("book me an appointment for friday", "book_visit"),
        // Asked in the trial and answered wrongly, or not at all.
        ("czy mogę zapłacić podatek od psa przez internet", "faq/oplata_psy"),
        ("chcę zmienić nazwisko po ślubie", "faq/zmiana_nazwiska"),
        ("gdzie zgłosić dziurę w drodze", "faq/drogi_awarie"),
        ("gdzie zglosic dziure w drodze", "faq/drogi_awarie"),
        ("chcę zarejestrować samochód sprowadzony z Niemiec, kiedy mogę przyjść?", "book_visit"),
        ("nie świeci latarnia na mojej ulicy", "faq/drogi_awarie"),
        ("jak złożyć wniosek o 800 plus", "faq/swiadczenie_800"),
        ("samochod sprowadzony z niemiec jakie dokumenty", "faq/pojazd_sprowadzony"),
    ];
    for (text, expected) in cases {
        let parse = nlu().parse(text, today());
        assert_eq!(parse.intent.name, expected, "{text}: {:?}", &parse.ranking[..3]);
        assert_eq!(parse.decision, Decision::Confident, "{text}: {:?}", &parse.ranking[..3]);
    }
}

#[test]
fn entities_of_a_booking_sentence() {
    let parse = nlu().parse("dzień dobry, chciałbym wyrobić dowód osobisty jutro po 14", today());
    assert_eq!(parse.entity("date"), Some("2026-11-24"));
    assert_eq!(parse.entity("time_from"), Some("14:00"));
    assert_eq!(parse.entity("service"), Some("dowod_osobisty"));
    let inflected = nlu().parse("wizyta w sprawie dowodu osobistego", today());
    assert_eq!(inflected.entity("service"), Some("dowod_osobisty"));
    let code = nlu().parse("odwołaj K7M3QA", today());
    assert_eq!(code.entity("code"), Some("K7M3QA"));
}

#[test]
fn answers_in_the_asked_language() {
    let pl = nlu().answer("faq/elektrosmieci", Lang::Pl).unwrap();
    assert!(pl.contains("PSZOK"), "{pl}");
    let en = nlu().answer("faq/elektrosmieci", Lang::En).unwrap();
    assert!(en.contains("free of charge"), "{en}");
    assert_eq!(nlu().answer("faq/nie_ma_takiego", Lang::Pl), None);
}

#[test]
fn nonsense_is_never_confident_and_never_panics() {
    let huge = "a".repeat(100 * 1024);
    let mixed = "Привет 你好 مرحبا שלום";
    for text in ["", "   ", "🙂🙂🙂", "\u{0}\u{7}\u{1b}[31m", mixed, huge.as_str()] {
        let parse = nlu().parse(text, today());
        assert!(
            parse.decision != Decision::Confident || parse.intent.name == "out_of_scope",
            "{:?} → {:?}",
            text.chars().take(20).collect::<String>(),
            &parse.ranking[..2]
        );
    }
}

/// Every fifth example of each intent is held out; the rest trains.
fn split(data: &TrainingData) -> (TrainingData, TrainingData) {
    let mut train = TrainingData { responses: data.responses.clone(), ..TrainingData::default() };
    let mut test = TrainingData::default();
    for intent in data.intents() {
        for (i, example) in data.examples.iter().filter(|e| e.intent == intent).enumerate() {
            if i % 5 == 4 { &mut test } else { &mut train }.examples.push(example.clone());
        }
    }
    (train, test)
}

#[test]
fn held_out_polish_accuracy_is_at_least_ninety_percent() {
    let (train, test) = split(&Nlu::shipped_language(Lang::Pl));
    let nlu = Nlu::train(&train, NluConfig::default()).unwrap();
    let pairs: Vec<(String, String)> =
        test.examples.iter().map(|e| (e.intent.clone(), nlu.parse(&e.text, today()).intent.name)).collect();
    let metrics = score(&pairs);
    assert!(
        metrics.accuracy >= 0.90,
        "accuracy {:.3}, confusions {:?}",
        metrics.accuracy,
        metrics.confusions
    );
}
