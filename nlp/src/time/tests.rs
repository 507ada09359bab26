use chrono::{NaiveDate, NaiveTime};

use super::*;
use crate::text::tokenize;

/// Monday, 23 November 2026.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn day(m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2026, m, d)
}

fn hm(h: u32, m: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, m, 0)
}

fn when(text: &str) -> TimeMention {
    extract_time(&tokenize(text), today()).0
}

#[test]
fn relative_days() {
    assert_eq!(when("dzisiaj").date, day(11, 23));
    assert_eq!(when("Jutro rano").date, day(11, 24));
    assert_eq!(when("pojutrze").date, day(11, 25));
    assert_eq!(when("the day after tomorrow").date, day(11, 25));
    assert_eq!(when("za tydzień").date, day(11, 30));
    assert_eq!(when("za 3 dni").date, day(11, 26));
    assert_eq!(when("za trzy dni").date, day(11, 26));
    assert_eq!(when("za dwa tygodnie").date, day(12, 7));
    assert_eq!(when("in 5 days").date, day(11, 28));
    assert_eq!(when("in a week").date, day(11, 30));
}

#[test]
fn weekdays_this_and_next_week() {
    assert_eq!(when("w piątek").date, day(11, 27));
    assert_eq!(when("we wtorek").date, day(11, 24));
    assert_eq!(when("w poniedziałek").date, day(11, 30), "today is Monday: the next one");
    assert_eq!(when("w przyszły wtorek").date, day(12, 1));
    assert_eq!(when("w przyszla srode").date, day(12, 2));
    assert_eq!(when("next friday").date, day(12, 4));
    assert_eq!(when("on Thursday").date, day(11, 26));
}

#[test]
fn calendar_dates() {
    assert_eq!(when("15 grudnia").date, day(12, 15));
    assert_eq!(when("15.12").date, day(12, 15));
    assert_eq!(when("15/12").date, day(12, 15));
    assert_eq!(when("2026-12-15").date, day(12, 15));
    assert_eq!(when("15.12.2027").date, NaiveDate::from_ymd_opt(2027, 12, 15));
    assert_eq!(when("December 15").date, day(12, 15));
    assert_eq!(when("15th of december").date, day(12, 15));
    assert_eq!(when("3 stycznia").date, NaiveDate::from_ymd_opt(2027, 1, 3), "past dates mean next year");
    assert_eq!(when("do 15.12").date, day(12, 15));
    // A number before a month is a day even after a word that could bring an hour.
    for text in ["do 15 grudnia", "od 15 grudnia", "na 15 grudnia", "until 15th of december"] {
        assert_eq!(when(text), TimeMention { date: day(12, 15), ..TimeMention::default() }, "{text}");
    }
    assert_eq!(when("do 15").before, hm(15, 0));
    assert_eq!(when("31.02").date, None);
}

#[test]
fn times_and_parts_of_day() {
    assert_eq!(when("o 10").at, hm(10, 0));
    assert_eq!(when("o 10:30").at, hm(10, 30));
    assert_eq!(when("o godzinie 9.15").at, hm(9, 15));
    assert_eq!(when("at 2pm").at, hm(14, 0));
    assert_eq!(when("at 2 pm").at, hm(14, 0));
    assert_eq!(when("10:30").at, hm(10, 30));
    assert_eq!(when("po 14").from, hm(14, 0));
    assert_eq!(when("przed 12").before, hm(12, 0));
    assert_eq!(when("rano").before, hm(12, 0));
    assert_eq!(when("po południu").from, hm(12, 0));
    assert_eq!(when("in the afternoon").from, hm(12, 0));
    assert_eq!(when("wieczorem").from, hm(16, 0));
    let range = when("od 10 do 12");
    assert_eq!((range.from, range.before), (hm(10, 0), hm(12, 0)));
}

#[test]
fn a_whole_sentence() {
    let found = when("dzień dobry, chciałbym wyrobić dowód jutro po 14");
    assert_eq!(found.date, day(11, 24));
    assert_eq!(found.from, hm(14, 0));
    assert_eq!(found.at, None);
}

#[test]
fn bare_numbers_are_not_times_and_nonsense_is_nothing() {
    assert!(when("mam 3 dzieci").is_empty());
    assert!(when("o 25:00").is_empty());
    assert!(when("po 14:75").is_empty());
    assert!(when("").is_empty());
    assert!(when("🙂🙂🙂").is_empty());
}

#[test]
fn entities_point_at_the_words() {
    let text = "Jutro o 10:30";
    let (_, entities) = extract_time(&tokenize(text), today());
    let spans: Vec<(&str, &str, usize, usize)> =
        entities.iter().map(|e| (e.entity.as_str(), e.value.as_str(), e.start, e.end)).collect();
    assert_eq!(spans, [("date", "2026-11-24", 0, 5), ("time", "10:30", 6, 13)]);
}

#[test]
fn look_alikes_of_weekdays_are_not_days() {
    for word in ["czwarte", "piąty", "piąta", "środek", "środowisko", "wtóry"] {
        let found = when(&format!("zadanie {word}"));
        assert_eq!(found.date, None, "{word}");
    }
    for word in ["czwartek", "czwartku", "piątku", "środę", "w środzie", "wtorku", "sobotę", "niedzielę"]
    {
        let found = when(&format!("zadanie {word}"));
        assert!(found.date.is_some(), "{word}");
    }
}

#[test]
fn around_and_between_are_spans() {
    let around = when("a moze we wtorek kolo 10?");
    assert_eq!((around.date, around.from, around.before), (day(11, 24), hm(9, 0), hm(11, 0)));
    let around = when("około 11:30");
    assert_eq!((around.from, around.before), (hm(10, 30), hm(12, 30)));
    let between = when("między 10 a 12");
    assert_eq!((between.from, between.before, between.at), (hm(10, 0), hm(12, 0), None));
    let between = when("od 9 do 11");
    assert_eq!((between.from, between.before), (hm(9, 0), hm(11, 0)));
    // A range of days stays a range of days.
    assert_eq!(when("od 15.12 do 20.12").from, None);
    assert_eq!(when("między 12 a 10").from, None, "backwards is no span");
}
