use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::*;

/// Tuesday, 24 November 2026, 10:00 on the office's clock.
fn now() -> NaiveDateTime {
    at(2026, 11, 24, 10, 0)
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> Due {
    Due { date: NaiveDate::from_ymd_opt(y, m, d).unwrap(), time: None }
}

fn timed(y: i32, m: u32, d: u32, h: u32, min: u32) -> Due {
    Due { date: NaiveDate::from_ymd_opt(y, m, d).unwrap(), time: NaiveTime::from_hms_opt(h, min, 0) }
}

fn rule(text: &str) -> (Repeat, String) {
    take_repeat(text, now()).unwrap().unwrap_or_else(|| panic!("no rule in {text:?}"))
}

fn cron_of(text: &str) -> String {
    rule(text).0.cron
}

#[test]
fn polish_and_english_phrases_become_schedules() {
    let (repeat, rest) = rule("Raport tygodniowy co poniedziałek o 9");
    assert_eq!(repeat.cron, "0 0 9 * * Mon");
    assert!(!repeat.all_day);
    assert_eq!(repeat.label, "co poniedziałek o 9");
    assert_eq!(rest, "Raport tygodniowy");
    assert_eq!(cron_of("Backup w każdy piątek o 15:30"), "0 30 15 * * Fri");
    assert_eq!(cron_of("Poczta codziennie o 8"), "0 0 8 * * *");
    assert_eq!(cron_of("Kasa w dni robocze o 7:45"), "0 45 7 * * Mon-Fri");
    assert_eq!(cron_of("Dyżur co wtorek i czwartek o 10"), "0 0 10 * * Tue,Thu");
    assert_eq!(cron_of("Podlać kwiaty co środę"), "0 0 0 * * Wed");
    assert_eq!(cron_of("Odczyt liczników co tydzień"), "0 0 0 * * Tue");
    assert_eq!(cron_of("Faktury co miesiąc"), "0 0 0 24 * *");
    assert_eq!(cron_of("Sprawozdanie pierwszego dnia miesiąca"), "0 0 0 1 * *");
    assert_eq!(cron_of("Sprawozdanie 15. dnia każdego miesiąca o 12"), "0 0 12 15 * *");
    assert_eq!(cron_of("Czynsz dwudziestego piątego dnia miesiąca"), "0 0 0 25 * *");
    assert_eq!(cron_of("Report every monday at 9"), "0 0 9 * * Mon");
    let (repeat, rest) = rule("Report on the 1st of every month");
    assert_eq!((repeat.cron.as_str(), rest.as_str()), ("0 0 0 1 * *", "Report"));
    assert_eq!(cron_of("Standup every weekday at 9:15"), "0 15 9 * * Mon-Fri");
    let (repeat, rest) = rule("Raport co piątek.");
    assert_eq!((repeat.label.as_str(), rest.as_str()), ("co piątek", "Raport"));
    assert!(repeat.all_day);
}

#[test]
fn texts_without_a_rule_are_left_alone() {
    for text in ["Raport kwartalny", "Sprawdzić co trzeba", "Zadzwonić w piątek", "Kupić 15 krzeseł", ""]
    {
        assert_eq!(take_repeat(text, now()), Ok(None), "{text}");
    }
    // An hour needs "o" or a colon; a bare number stays in the title.
    let (repeat, rest) = rule("Co poniedziałek 3 raporty");
    assert_eq!((repeat.cron.as_str(), rest.as_str()), ("0 0 0 * * Mon", "3 raporty"));
}

#[test]
fn cron_expressions_are_read_as_in_a_crontab() {
    let (repeat, rest) = rule("Kopia zapasowa cron 30 7 * * 1-5");
    assert_eq!(repeat.cron, "0 30 7 * * Mon-Fri");
    assert_eq!(repeat.label, "cron 30 7 * * 1-5");
    assert_eq!(rest, "Kopia zapasowa");
    assert_eq!(cron_of("Raport cron 0 9 * * 0"), "0 0 9 * * Sun");
    assert_eq!(cron_of("Raport cron 0 9 * * 7"), "0 0 9 * * Sun");
    assert_eq!(cron_of("Raport cron \"0 9 1 * *\""), "0 0 9 1 * *");
}

#[test]
fn rules_that_cannot_work_are_named() {
    assert_eq!(take_repeat("Raport cron 0 0 30 2 *", now()), Err(RepeatError::Never));
    assert_eq!(take_repeat("Raport cron * * * * *", now()), Err(RepeatError::TooOften));
    assert_eq!(take_repeat("Raport cron 0 9,17 * * *", now()), Err(RepeatError::TooOften));
    assert!(matches!(take_repeat("Raport cron 0 25 * * *", now()), Err(RepeatError::BadCron(_))));
    assert!(matches!(take_repeat("Raport cron 0 9", now()), Err(RepeatError::BadCron(_))));
    assert!(matches!(take_repeat("Raport cron 0 9 * * 8", now()), Err(RepeatError::BadCron(_))));
}

#[test]
fn the_first_time_counts_today_only_for_a_rule_without_an_hour() {
    // It is Tuesday 10:00.
    assert_eq!(rule("A co wtorek").0.first_due(now()), Some(day(2026, 11, 24)));
    assert_eq!(rule("A co wtorek o 9").0.first_due(now()), Some(timed(2026, 12, 1, 9, 0)));
    assert_eq!(rule("A co wtorek o 11").0.first_due(now()), Some(timed(2026, 11, 24, 11, 0)));
    assert_eq!(
        rule("A co poniedziałek").0.first_due_from(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
        Some(day(2026, 12, 7))
    );
}

#[test]
fn done_early_moves_to_the_next_time_and_done_late_to_the_next_from_now() {
    let weekly = rule("A co poniedziałek o 9").0;
    let monday = timed(2026, 11, 30, 9, 0);
    assert_eq!(weekly.due_after(Some(monday), now()), Some(timed(2026, 12, 7, 9, 0)));
    let three_weeks_late = at(2026, 12, 15, 12, 0);
    assert_eq!(weekly.due_after(Some(monday), three_weeks_late), Some(timed(2026, 12, 21, 9, 0)));
    let all_day = rule("A co wtorek").0;
    assert_eq!(all_day.due_after(Some(day(2026, 11, 24)), now()), Some(day(2026, 12, 1)));
}

#[test]
fn month_ends_keep_the_day_or_the_months_last() {
    let first = rule("A pierwszego dnia miesiąca").0;
    assert_eq!(first.due_after(Some(day(2027, 1, 1)), at(2027, 1, 31, 16, 0)), Some(day(2027, 2, 1)));
    assert_eq!(first.due_after(Some(day(2026, 12, 1)), now()), Some(day(2027, 1, 1)));
    let thirtieth = rule("A trzydziestego dnia miesiąca").0;
    assert_eq!(thirtieth.due_after(Some(day(2027, 1, 30)), now()), Some(day(2027, 2, 28)));
    assert_eq!(thirtieth.due_after(Some(day(2027, 2, 28)), now()), Some(day(2027, 3, 30)));
    let last = rule("A ostatniego dnia miesiąca").0;
    assert_eq!(last.label, "ostatniego dnia miesiąca");
    assert_eq!(last.first_due(now()), Some(day(2026, 11, 30)));
    assert_eq!(last.due_after(Some(day(2026, 11, 30)), now()), Some(day(2026, 12, 31)));
    assert_eq!(last.due_after(Some(day(2028, 1, 31)), now()), Some(day(2028, 2, 29)));
    let monthly = rule("A cron 0 9 31 * *").0;
    assert_eq!(monthly.due_after(Some(timed(2027, 1, 31, 9, 0)), now()), Some(timed(2027, 3, 31, 9, 0)));
}

#[test]
fn clock_changes_keep_the_hour_on_the_wall_clock() {
    use chrono_tz::Europe::Warsaw;
    let weekly = rule("A co poniedziałek o 9").0;
    let before_spring = timed(2026, 3, 23, 9, 0);
    let after_spring = weekly.due_after(Some(before_spring), at(2026, 3, 23, 9, 30)).unwrap();
    assert_eq!(after_spring, timed(2026, 3, 30, 9, 0));
    // 9:00 is 8:00 UTC in winter and 7:00 UTC in summer.
    assert_eq!(before_spring.deadline(Warsaw).format("%H:%M").to_string(), "08:00");
    assert_eq!(after_spring.deadline(Warsaw).format("%H:%M").to_string(), "07:00");
    // 2:30 does not happen on 29 March 2026: that Sunday's time is moved past the gap, not lost.
    let night = rule("A co niedzielę o 2:30").0;
    let skipped = night.due_after(Some(timed(2026, 3, 22, 2, 30)), at(2026, 3, 22, 3, 0)).unwrap();
    assert_eq!(skipped, timed(2026, 3, 29, 2, 30));
    assert_eq!(skipped.deadline(Warsaw).to_rfc3339(), "2026-03-29T01:30:00+00:00");
    // 2:30 happens twice on 25 October 2026: the task comes once.
    let daily = rule("A codziennie o 2:30").0;
    let october = daily.due_after(Some(timed(2026, 10, 24, 2, 30)), at(2026, 10, 24, 3, 0)).unwrap();
    assert_eq!(october, timed(2026, 10, 25, 2, 30));
    assert_eq!(daily.due_after(Some(october), at(2026, 10, 25, 1, 0)), Some(timed(2026, 10, 26, 2, 30)));
}

#[test]
fn reading_never_panics_on_any_text() {
    let words = [
        "co",
        "każdy",
        "cron",
        "*",
        "o",
        "9:",
        "dnia",
        "miesiąca",
        "ostatniego",
        "31.",
        "poniedziałek",
        "i",
        "at",
        "every",
        "1st",
        "-",
        "99",
        "dwudziestego",
        "trzydziestego",
        "dziewiątego",
        "\"",
        ":",
    ];
    let mut seed = 7u64;
    for _ in 0..5_000 {
        let mut text = String::new();
        for _ in 0..(seed % 9) {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.push_str(words[(seed >> 33) as usize % words.len()]);
            text.push(' ');
        }
        seed = seed.wrapping_add(3);
        let _ = take_repeat(&text, now());
    }
}
