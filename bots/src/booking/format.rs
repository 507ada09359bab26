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

/// "wtorek, 24 listopada" / "Tuesday, 24 November".
pub fn day(date: NaiveDate, lang: Lang) -> String {
    let month = date.month0() as usize;
    let month = if lang == Lang::En { MONTHS_EN[month] } else { MONTHS_PL[month] };
    format!("{}, {} {month}", weekday_name(date.weekday(), lang), date.day())
}

/// The text with its first letter capitalised, for a phrase that opens a sentence.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "w niedzielę, 29 listopada" / "on Sunday, 29 November": a day, as a sentence says when.
pub fn on_day(date: NaiveDate, lang: Lang) -> String {
    const ON_WEEKDAYS_PL: [&str; 7] =
        ["w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę"];
    let month = date.month0() as usize;
    let weekday = date.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::En => format!("on {}, {} {}", WEEKDAYS_EN[weekday], date.day(), MONTHS_EN[month]),
        _ => format!("{}, {} {}", ON_WEEKDAYS_PL[weekday], date.day(), MONTHS_PL[month]),
    }
}

/// "w poniedziałek, 30 listopada, o 8:00" / "on Monday, 30 November, at 08:00": when
/// something happens, as a sentence says it.
pub fn on_day_at(at: DateTime<Tz>, lang: Lang) -> String {
    const ON_WEEKDAYS_PL: [&str; 7] =
        ["w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę"];
    let date = at.date_naive();
    let month = date.month0() as usize;
    match lang {
        Lang::En => {
            format!(
                "on {}, {} {}, at {}",
                weekday_name(date.weekday(), lang),
                date.day(),
                MONTHS_EN[month],
                hour(at, lang)
            )
        }
        _ => {
            let weekday = ON_WEEKDAYS_PL[date.weekday().num_days_from_monday() as usize];
            format!("{weekday}, {} {}, o {}", date.day(), MONTHS_PL[month], hour(at, lang))
        }
    }
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
    let local = start.with_timezone(&tz);
    match lang {
        Lang::En => format!("{} at {}", day(local.date_naive(), lang), hour(local, lang)),
        _ => format!("{}, godz. {}", day(local.date_naive(), lang), hour(local, lang)),
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
