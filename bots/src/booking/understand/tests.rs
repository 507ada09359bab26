use chrono::{NaiveDate, NaiveTime};
use proptest::prelude::*;

use super::*;
use crate::booking::DEMO_OFFICE;

fn office() -> Office {
    Office::parse(DEMO_OFFICE).unwrap()
}

#[test]
fn commands_and_intents_become_requests() {
    assert_eq!(VisitRequest::from_command("!wizyta"), Some(VisitRequest::Book));
    assert_eq!(VisitRequest::from_command("!wizyty"), Some(VisitRequest::List));
    assert_eq!(
        VisitRequest::from_command("!odwołaj k3mx7p"),
        Some(VisitRequest::Cancel(Some("K3MX7P".into())))
    );
    assert_eq!(VisitRequest::from_command("!zmień"), Some(VisitRequest::Move(None)));
    assert_eq!(VisitRequest::from_command("wizyta"), None);
    assert_eq!(
        VisitRequest::from_intent("cancel_visit", "odwołaj K3MX7P"),
        Some(VisitRequest::Cancel(Some("K3MX7P".into())))
    );
    assert_eq!(VisitRequest::from_intent("faq/paszport", "paszport"), None);
}

#[test]
fn services_are_found_without_diacritics_and_with_typos() {
    let office = office();
    let ids = |text: &str| match_services(&office, text).iter().map(|s| s.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids("dowod osobisty"), ["dowod-osobisty"]);
    assert_eq!(ids("chcę umówić wizytę w sprawie dowodu osobistego"), ["dowod-osobisty"]);
    assert_eq!(ids("dowud osobisty"), ["dowod-osobisty"]);
    assert_eq!(ids("odbiór dowodu"), ["odbior-dowodu"]);
    assert_eq!(ids("rejestracja samochodu"), ["rejestracja-pojazdu"]);
    assert_eq!(ids("zameldowanie"), ["meldunek"]);
    assert_eq!(ids("vehicle registration"), ["rejestracja-pojazdu"]);
    assert!(ids("chcę umówić wizytę").is_empty());
    assert!(ids("akt").is_empty());
}

#[test]
fn numbers_are_read_from_short_answers_only() {
    assert_eq!(chosen_number("2"), Some(2));
    assert_eq!(chosen_number("nr 3"), Some(3));
    assert_eq!(chosen_number(" 1. "), Some(1));
    assert_eq!(chosen_number("0"), None);
    assert_eq!(chosen_number("2 osoby"), None);
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn days_are_read_from_polish_words_and_dates() {
    let monday = date(2026, 11, 23);
    assert_eq!(parse_day("jutro", monday), Some(date(2026, 11, 24)));
    assert_eq!(parse_day("w piątek", monday), Some(date(2026, 11, 27)));
    assert_eq!(parse_day("w poniedziałek", monday), Some(date(2026, 11, 30)));
    assert_eq!(parse_day("12.12", monday), Some(date(2026, 12, 12)));
    assert_eq!(parse_day("5.01", monday), Some(date(2027, 1, 5)));
    assert_eq!(parse_day("3 grudnia", monday), Some(date(2026, 12, 3)));
    assert_eq!(parse_day("2026-12-01", monday), Some(date(2026, 12, 1)));
    assert_eq!(parse_day("31.02", monday), None);
    assert_eq!(parse_day("kiedykolwiek", monday), None);
}

#[test]
fn narrowing_reads_days_and_hours() {
    let monday = date(2026, 11, 23);
    let f = parse_narrowing("w piątek po 14", monday).unwrap();
    assert_eq!((f.date, f.from_time), (Some(date(2026, 11, 27)), NaiveTime::from_hms_opt(14, 0, 0)));
    let f = parse_narrowing("jutro rano", monday).unwrap();
    assert_eq!((f.date, f.before_time), (Some(date(2026, 11, 24)), NaiveTime::from_hms_opt(12, 0, 0)));
    let f = parse_narrowing("po 9:30", monday).unwrap();
    assert_eq!(f.from_time, NaiveTime::from_hms_opt(9, 30, 0));
    assert_eq!(parse_narrowing("po 25", monday), None);
    assert_eq!(parse_narrowing("tak", monday), None);
    assert!(wants_other_times("inny termin"));
    assert!(!wants_other_times("termin"));
}

static OFFICE: std::sync::LazyLock<Office> = std::sync::LazyLock::new(office);

proptest! {
    #[test]
    fn reading_never_panics_on_any_text(text in "\\PC{0,200}") {
        let office = &*OFFICE;
        let today = date(2026, 11, 23);
        let _ = VisitRequest::from_command(&text);
        let _ = match_services(office, &text);
        let _ = chosen_number(&text);
        let _ = parse_narrowing(&text, today);
        let _ = parse_day(&text, today);
    }

    #[test]
    fn dates_near_the_end_of_time_do_not_overflow(d in 1u32..40, m in 1u32..14, y in 0i32..300000) {
        let _ = parse_day(&format!("{d}.{m}.{y}"), NaiveDate::MAX);
        let _ = parse_day("jutro pojutrze", NaiveDate::MAX);
        let _ = parse_day(&format!("{d}.{m}"), NaiveDate::MAX);
    }
}
