//! Dates and lists as people write them: "wtorek, 24 listopada, godz. 8:00".

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use crate::Lang;

const WEEKDAYS_PL: [&str; 7] =
    ["poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"];
const WEEKDAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/// Months in the genitive, as dates are written in Polish.
const MONTHS_PL: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn weekday_name(weekday: Weekday, lang: Lang) -> &'static str {
    let i = weekday.num_days_from_monday() as usize;
    if lang == Lang::En { WEEKDAYS_EN[i] } else { WEEKDAYS_PL[i] }
}

/// Where a date stands in a sentence, which sets its preposition and its case in Polish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCase {
    /// A label or a list item: "wtorek, 24 listopada".
    Label,
    /// When something happens: "we wtorek, 24 listopada".
    On,
    /// Where a move starts: "z wtorku, 24 listopada".
    From,
    /// Where a move ends, or what a summary is for: "na wtorek, 24 listopada".
    To,
}

/// The weekday with its preposition, in the case a [`DateCase`] asks for.
fn weekday_phrase(weekday: Weekday, lang: Lang, case: DateCase) -> String {
    const ON_PL: [&str; 7] =
        ["w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę"];
    const FROM_PL: [&str; 7] =
        ["z poniedziałku", "z wtorku", "ze środy", "z czwartku", "z piątku", "z soboty", "z niedzieli"];
    const TO_PL: [&str; 7] =
        ["na poniedziałek", "na wtorek", "na środę", "na czwartek", "na piątek", "na sobotę", "na niedzielę"];
    let i = weekday.num_days_from_monday() as usize;
    match (lang, case) {
        (Lang::En, DateCase::Label) => WEEKDAYS_EN[i].to_owned(),
        (Lang::En, DateCase::On) => format!("on {}", WEEKDAYS_EN[i]),
        (Lang::En, DateCase::From) => format!("from {}", WEEKDAYS_EN[i]),
        (Lang::En, DateCase::To) => format!("to {}", WEEKDAYS_EN[i]),
        (_, DateCase::Label) => WEEKDAYS_PL[i].to_owned(),
        (_, DateCase::On) => ON_PL[i].to_owned(),
        (_, DateCase::From) => FROM_PL[i].to_owned(),
        (_, DateCase::To) => TO_PL[i].to_owned(),
    }
}

/// "wtorek, 24 listopada" / "Tuesday, 24 November".
pub fn day(date: NaiveDate, lang: Lang) -> String {
    day_as(date, lang, DateCase::Label)
}

/// A day as its place in the sentence needs it: "we wtorek, 24 listopada", "z wtorku, 24
/// listopada", "on Tuesday, 24 November". The month stays in the genitive, as Polish dates do.
pub fn day_as(date: NaiveDate, lang: Lang, case: DateCase) -> String {
    let month = date.month0() as usize;
    let month = if lang == Lang::En { MONTHS_EN[month] } else { MONTHS_PL[month] };
    format!("{}, {} {month}", weekday_phrase(date.weekday(), lang, case), date.day())
}

/// The text with its first letter capitalised, for a phrase that opens a sentence.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "w niedzielę, 29 listopada" / "on Sunday, 29 November": a day, as a sentence says when.
pub fn on_day(date: NaiveDate, lang: Lang) -> String {
    day_as(date, lang, DateCase::On)
}

/// "w poniedziałek, 30 listopada, o 8:00" / "on Monday, 30 November, at 08:00": when
/// something happens, as a sentence says it.
pub fn on_day_at(at: DateTime<Tz>, lang: Lang) -> String {
    let day = on_day(at.date_naive(), lang);
    match lang {
        Lang::En => format!("{day}, at {}", hour(at, lang)),
        _ => format!("{day}, o {}", hour(at, lang)),
    }
}

/// "7 grudnia" / "7 December": a day of this year, as a span of days says it.
pub fn day_and_month(date: NaiveDate, lang: Lang) -> String {
    let month = date.month0() as usize;
    let month = if lang == Lang::En { MONTHS_EN[month] } else { MONTHS_PL[month] };
    format!("{} {month}", date.day())
}

/// "7 grudnia 2026" / "7 December 2026": a date in full, as a document states it.
pub fn full_date(date: NaiveDate, lang: Lang) -> String {
    let month = date.month0() as usize;
    let month = if lang == Lang::En { MONTHS_EN[month] } else { MONTHS_PL[month] };
    format!("{} {month} {}", date.day(), date.year())
}

/// "24 listopada, 9:00" / "24 November, 09:00".
pub fn date_and_hour(at: DateTime<Tz>, lang: Lang) -> String {
    let month = at.month0() as usize;
    let month = if lang == Lang::En { MONTHS_EN[month] } else { MONTHS_PL[month] };
    format!("{} {month}, {}", at.day(), hour(at, lang))
}

/// "8:00" in Polish style, "08:00" in English.
pub fn hour(at: DateTime<Tz>, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{:02}:{:02}", at.hour(), at.minute()),
        _ => format!("{}:{:02}", at.hour(), at.minute()),
    }
}

/// "wtorek, 24 listopada, godz. 8:00" / "Tuesday, 24 November at 08:00".
pub fn when(start: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    when_as(start, tz, lang, DateCase::Label)
}

/// A moment as its place in the sentence needs it: "we wtorek, 24 listopada, o 8:00",
/// "z wtorku, 24 listopada, godz. 8:00", "na wtorek, 24 listopada, godz. 8:00".
pub fn when_as(start: DateTime<Utc>, tz: Tz, lang: Lang, case: DateCase) -> String {
    let local = start.with_timezone(&tz);
    match (lang, case) {
        (_, DateCase::On) => on_day_at(local, lang),
        (Lang::En, _) => format!("{} at {}", day_as(local.date_naive(), lang, case), hour(local, lang)),
        _ => format!("{}, godz. {}", day_as(local.date_naive(), lang, case), hour(local, lang)),
    }
}

/// Numbered lines: "1. …".
pub fn numbered<I: IntoIterator<Item = String>>(items: I) -> String {
    items.into_iter().enumerate().map(|(i, item)| format!("{}. {item}", i + 1)).collect::<Vec<_>>().join("\n")
}

/// Bulleted lines: "• …".
pub fn bulleted<'a, I: IntoIterator<Item = &'a String>>(items: I) -> String {
    items.into_iter().map(|item| format!("• {item}")).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_date_takes_the_preposition_and_case_its_sentence_needs() {
        let tuesday = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let wednesday = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
        let friday = NaiveDate::from_ymd_opt(2026, 12, 11).unwrap();
        assert_eq!(day_as(tuesday, Lang::Pl, DateCase::Label), "wtorek, 8 grudnia");
        assert_eq!(day_as(tuesday, Lang::Pl, DateCase::On), "we wtorek, 8 grudnia");
        assert_eq!(day_as(friday, Lang::Pl, DateCase::From), "z piątku, 11 grudnia");
        assert_eq!(day_as(wednesday, Lang::Pl, DateCase::From), "ze środy, 9 grudnia");
        assert_eq!(day_as(wednesday, Lang::Pl, DateCase::To), "na środę, 9 grudnia");
        assert_eq!(day_as(wednesday, Lang::Pl, DateCase::On), "w środę, 9 grudnia");
        assert_eq!(day_as(tuesday, Lang::En, DateCase::On), "on Tuesday, 8 December");
    }

    #[test]
    fn a_moment_reads_as_a_clerk_would_say_it() {
        let at = Utc.with_ymd_and_hms(2026, 12, 12, 7, 30, 0).unwrap();
        let zone = chrono_tz::Europe::Warsaw;
        assert_eq!(when_as(at, zone, Lang::Pl, DateCase::On), "w sobotę, 12 grudnia, o 8:30");
        assert_eq!(when_as(at, zone, Lang::Pl, DateCase::Label), "sobota, 12 grudnia, godz. 8:30");
        assert_eq!(when_as(at, zone, Lang::Pl, DateCase::From), "z soboty, 12 grudnia, godz. 8:30");
        assert_eq!(when_as(at, zone, Lang::En, DateCase::On), "on Saturday, 12 December, at 08:30");
    }
}
