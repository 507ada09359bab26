//! Dates and times in Polish and English words, relative to a day the caller gives.
//!
//! "jutro", "pojutrze", "w piątek", "w przyszły wtorek", "15 grudnia", "15.12", "o 10:30",
//! "rano", "po południu", "po 14", "za tydzień", "za 3 dni", and their English forms. The day
//! comes in as an argument (the caller's clock, in the office's time zone): nothing here reads a
//! clock.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};

use crate::{entities::Entity, text::Token};

/// What a text says about when.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeMention {
    pub date: Option<NaiveDate>,
    /// An exact time: "o 10:30".
    pub at: Option<NaiveTime>,
    /// The earliest time: "po 14", "po południu", "od 10".
    pub from: Option<NaiveTime>,
    /// The time to be done before: "przed 12", "rano", "do 15".
    pub before: Option<NaiveTime>,
}

impl TimeMention {
    pub fn is_empty(&self) -> bool {
        *self == TimeMention::default()
    }
}

/// Finds the date and times a text mentions, with an entity for each.
pub fn extract_time(tokens: &[Token], today: NaiveDate) -> (TimeMention, Vec<Entity>) {
    let mut found = TimeMention::default();
    let mut entities = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let words: Vec<&str> = tokens[i..].iter().take(4).map(|t| t.folded.as_str()).collect();
        if let Some((date, used)) = date_at(&words, today).filter(|_| found.date.is_none()) {
            found.date = Some(date);
            entities.push(Entity::spanning("date", date.to_string(), &tokens[i..i + used]));
            i += used;
        } else if let Some((from, before, used)) = range_at(&words) {
            found.from = Some(from);
            found.before = Some(before);
            entities.push(Entity::spanning(
                "time_from",
                from.format("%H:%M").to_string(),
                &tokens[i..i + used],
            ));
            entities.push(Entity::spanning(
                "time_before",
                before.format("%H:%M").to_string(),
                &tokens[i..i + used],
            ));
            i += used;
        } else if let Some((kind, time, used)) = time_at(&words) {
            let slot = match kind {
                "time" => &mut found.at,
                "time_from" => &mut found.from,
                _ => &mut found.before,
            };
            *slot = Some(time);
            entities.push(Entity::spanning(kind, time.format("%H:%M").to_string(), &tokens[i..i + used]));
            i += used;
        } else {
            i += 1;
        }
    }
    (found, entities)
}

/// A day named by the words at the start of `words`, with how many words it took.
fn date_at(words: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let first = *words.first()?;
    let plus = |days: u64, used| today.checked_add_days(Days::new(days)).map(|d| (d, used));
    match words {
        ["dzis" | "dzisiaj" | "today", ..] => return Some((today, 1)),
        ["day", "after", "tomorrow", ..] => return plus(2, 3),
        ["jutro" | "tomorrow", ..] => return plus(1, 1),
        ["pojutrze", ..] => return plus(2, 1),
        ["za" | "in", rest @ ..] => return in_days(rest).and_then(|(days, used)| plus(days, used + 1)),
        _ => {}
    }
    weekday_at(words, today)
        .or_else(|| numeric_date(first, today).map(|d| (d, 1)))
        .or_else(|| named_month_date(words, today))
}

/// "3 dni", "tydzień", "dwa tygodnie", "a week", "5 days": the number of days, words used.
fn in_days(words: &[&str]) -> Option<(u64, usize)> {
    let (count, used) = match words.first().and_then(|w| count_word(w)) {
        Some(n) => (n, 1),
        None => (1, 0),
    };
    let unit = *words.get(used)?;
    let days = match unit {
        u if u.starts_with("dzie") || u.starts_with("dni") || u.starts_with("day") => 1,
        u if u.starts_with("tydz") || u.starts_with("tyg") || u.starts_with("week") => 7,
        _ => return None,
    };
    (count <= 366).then_some((count * days, used + 1))
}

fn count_word(word: &str) -> Option<u64> {
    const WORDS: &[(&str, u64)] = &[
        ("a", 1),
        ("one", 1),
        ("jeden", 1),
        ("dwa", 2),
        ("dwoch", 2),
        ("two", 2),
        ("trzy", 3),
        ("three", 3),
        ("cztery", 4),
        ("four", 4),
        ("piec", 5),
        ("five", 5),
        ("szesc", 6),
        ("six", 6),
        ("siedem", 7),
        ("seven", 7),
        ("osiem", 8),
        ("eight", 8),
        ("dziewiec", 9),
        ("nine", 9),
        ("dziesiec", 10),
        ("ten", 10),
    ];
    word.parse().ok().or_else(|| WORDS.iter().find(|(w, _)| *w == word).map(|(_, n)| *n))
}

/// Stems of the weekdays' forms. They are long enough not to catch look-alikes: "czwarte"
/// (fourth) is not Thursday, "piąty" (fifth) not Friday, "środek" (middle) not Wednesday.
const WEEKDAYS: &[(&str, Weekday)] = &[
    ("poniedzial", Weekday::Mon),
    ("wtorek", Weekday::Tue),
    ("wtork", Weekday::Tue),
    ("czwartek", Weekday::Thu),
    ("czwartk", Weekday::Thu),
    ("piatek", Weekday::Fri),
    ("piatk", Weekday::Fri),
    ("sobot", Weekday::Sat),
    ("niedziel", Weekday::Sun),
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// Wednesday's forms, whole: their stem "srod" begins "środek" and "środowisko" too.
const WEDNESDAY: &[&str] = &["sroda", "srode", "srody", "srodzie", "sreda", "srede"];

/// The weekday a folded word names, in any of its Polish forms or in English.
pub fn weekday_of(word: &str) -> Option<Weekday> {
    if WEDNESDAY.contains(&word) {
        return Some(Weekday::Wed);
    }
    WEEKDAYS.iter().find(|(stem, _)| word.starts_with(stem)).map(|(_, w)| *w)
}

/// "piątek", "w piątek", "w przyszły wtorek", "next tuesday", "on friday". A bare weekday is
/// the next such day after today; "przyszły" (next) is that day in the next calendar week.
fn weekday_at(words: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let mut used = 0;
    if matches!(words.first(), Some(&("w" | "we" | "on" | "this"))) {
        used += 1;
    }
    let next_week = words.get(used).is_some_and(|w| {
        w.starts_with("przyszl") || w.starts_with("nastepn") || *w == "next" || *w == "kolejny"
    });
    if next_week {
        used += 1;
    }
    let weekday = weekday_of(words.get(used)?)?;
    let day = if next_week { in_next_week(today, weekday)? } else { next_weekday(today, weekday)? };
    Some((day, used + 1))
}

fn next_weekday(today: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today.checked_add_days(Days::new(if ahead == 0 { 7 } else { ahead.into() }))
}

fn in_next_week(today: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let to_monday = Days::new(today.weekday().num_days_from_monday().into());
    let next_monday = today.checked_sub_days(to_monday)?.checked_add_days(Days::new(7))?;
    next_monday.checked_add_days(Days::new(weekday.num_days_from_monday().into()))
}

/// "15.12", "15.12.2026", "15/12", "2026-12-15"; a day and month without a year is the next
/// such date.
pub fn numeric_date(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    // Only the full ISO form: chrono would also read "1-1-1" as the year 1.
    if word.len() == 10
        && let Ok(iso) = NaiveDate::parse_from_str(word, "%Y-%m-%d")
    {
        return Some(iso);
    }
    let parts: Vec<&str> = word.split(['.', '/', '-']).collect();
    let number = |s: &str| if s.len() <= 4 { s.parse::<u32>().ok() } else { None };
    match parts.as_slice() {
        [d, m] if d.len() <= 2 && m.len() <= 2 => day_and_month(number(d)?, number(m)?, today),
        [d, m, y] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(i32::try_from(number(y)?).ok()?, number(m)?, number(d)?)
        }
        _ => None,
    }
}

const MONTHS_PL: &[&str] =
    &["stycz", "lut", "mar", "kwie", "maj", "czerw", "lip", "sierp", "wrze", "pazdz", "listop", "grud"];
const MONTHS_EN: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<u32> {
    let english = || MONTHS_EN.iter().position(|m| word.len() >= 3 && m.starts_with(word));
    let polish = || MONTHS_PL.iter().position(|m| word.starts_with(m));
    english().or_else(polish).map(|i| i as u32 + 1)
}

/// "15 grudnia", "15 december", "december 15", "15th of december".
fn named_month_date(words: &[&str], today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let day_number = |w: &str| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        (digits.len() <= 2 && w.len() - digits.len() <= 2).then(|| digits.parse::<u32>().ok()).flatten()
    };
    match words {
        [day, "of", month, ..] => day_and_month(day_number(day)?, month_of(month)?, today).map(|d| (d, 3)),
        [day, month, ..] if day_number(day).is_some() => {
            day_and_month(day_number(day)?, month_of(month)?, today).map(|d| (d, 2))
        }
        [month, day, ..] => day_and_month(day_number(day)?, month_of(month)?, today).map(|d| (d, 2)),
        _ => None,
    }
}

fn day_and_month(day: u32, month: u32, today: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this_year >= today { Some(this_year) } else { NaiveDate::from_ymd_opt(today.year() + 1, month, day) }
}

/// A span of time named at the start of `words`: "między 10 a 12", "od 9 do 11", "10-12",
/// or around an hour, "koło 10", "około 11" (an hour either side). Its start, its end (the
/// visit starts before it) and how many words it took.
fn range_at(words: &[&str]) -> Option<(NaiveTime, NaiveTime, usize)> {
    let hour = |word: &str| hour_at(&[word], false).map(|(time, _)| time);
    match words {
        ["kolo" | "okolo" | "around" | "about" | "ok", at, ..] if !at.contains('.') || at.contains(':') => {
            let at = hour(at)?;
            let hour_before = at.overflowing_sub_signed(chrono::Duration::hours(1)).0.min(at);
            let hour_after = at.overflowing_add_signed(chrono::Duration::hours(1)).0.max(at);
            Some((hour_before, hour_after, 2))
        }
        ["miedzy" | "between" | "od" | "from", from, "a" | "i" | "and" | "do" | "to" | "-", before, ..]
            if !from.contains('.') && !before.contains('.') =>
        {
            let (from, before) = (hour(from)?, hour(before)?);
            (from < before).then_some((from, before, 4))
        }
        ["miedzy" | "between", span, ..] => {
            let (from, before) = span.split_once('-')?;
            let (from, before) = (hour(from)?, hour(before)?);
            (from < before).then_some((from, before, 2))
        }
        _ => None,
    }
}

/// A time named at the start of `words`: its kind ("time", "time_from", "time_before"), the
/// time, and how many words it took.
fn time_at(words: &[&str]) -> Option<(&'static str, NaiveTime, usize)> {
    let noon = NaiveTime::from_hms_opt(12, 0, 0)?;
    match words {
        ["po", "poludniu", ..] | ["in", "the", "afternoon", ..] => {
            return Some(("time_from", noon, 2 + usize::from(words[0] == "in")));
        }
        ["przed", "poludniem", ..] => return Some(("time_before", noon, 2)),
        ["popoludniu" | "afternoon", ..] => return Some(("time_from", noon, 1)),
        ["rano" | "rana" | "rankiem" | "morning" | "przedpoludniem", ..] => {
            return Some(("time_before", noon, 1));
        }
        ["wieczorem" | "evening", ..] => return Some(("time_from", NaiveTime::from_hms_opt(16, 0, 0)?, 1)),
        ["w", "poludnie", ..] => return Some(("time", noon, 2)),
        ["noon" | "poludnie", ..] => return Some(("time", noon, 1)),
        _ => {}
    }
    let (kind, skip) = match *words.first()? {
        "o" | "at" | "na" | "godz" | "godzina" | "godzinie" => ("time", 1),
        "po" | "after" | "od" | "from" | "later" => ("time_from", 1),
        "przed" | "before" | "do" | "until" | "till" => ("time_before", 1),
        _ => ("time", 0),
    };
    // "do 15.12" is a date: a range's end with a dot names a day, not a minute. So is anything
    // followed by a month: "do 15 grudnia", "na 3 maja", "od 1st of june".
    let dotted = words.get(1).is_some_and(|w| w.contains('.'));
    if dotted && matches!(words.first(), Some(&("do" | "od" | "until" | "from"))) {
        return None;
    }
    if skip == 1 && words.get(2).is_some_and(|w| *w == "of" || month_of(w).is_some()) {
        return None;
    }
    let skip = skip + usize::from(skip == 1 && words.get(1).is_some_and(|w| w.starts_with("godz")));
    let (time, used) = hour_at(&words[skip.min(words.len())..], skip == 0)?;
    Some((kind, time, skip + used))
}

/// An hour: "14", "14:30", "9.15", "2pm", "2 pm". A bare number counts only after a word
/// that announces a time (`strict` is false then); otherwise it needs a colon or am/pm.
fn hour_at(words: &[&str], strict: bool) -> Option<(NaiveTime, usize)> {
    let word = *words.first()?;
    let (word, suffix_pm, mut used) = match (word.strip_suffix("pm"), word.strip_suffix("am")) {
        (Some(rest), _) => (rest, Some(true), 1),
        (_, Some(rest)) => (rest, Some(false), 1),
        _ => (word, None, 1),
    };
    let pm = suffix_pm.or_else(|| match words.get(1) {
        Some(&"pm") => Some(true),
        Some(&"am") => Some(false),
        _ => None,
    });
    if suffix_pm.is_none() && pm.is_some() {
        used += 1;
    }
    let (h, m, colon) = match word.split_once([':', '.']) {
        Some((h, m)) if m.len() == 2 && h.len() <= 2 => {
            (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?, word.contains(':'))
        }
        Some(_) => return None,
        None if word.len() <= 2 => (word.parse::<u32>().ok()?, 0, false),
        None => return None,
    };
    if strict && !colon && pm.is_none() {
        return None;
    }
    let h = match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    };
    Some((NaiveTime::from_hms_opt(h, m, 0)?, used))
}

#[cfg(test)]
mod tests;
