//! Recurring tasks: a rule in Polish or English words ("co poniedziałek o 9", "pierwszego dnia
//! miesiąca", "every weekday at 8") or a cron expression ("cron 0 9 * * 1"), kept as a schedule
//! of the `cron` crate.
//!
//! Rules run on the office's wall clock, not on UTC: "co poniedziałek o 9" stays at 9:00 on both
//! sides of a clock change, and an hour the spring change skips is moved past the gap (as any
//! deadline is) instead of losing that week.

use std::str::FromStr;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc, Weekday};
use cron::Schedule;
use serde::{Deserialize, Serialize};
use szpon_course_engine::pacing::crontab_weekdays;
use szpon_nlp::{fold_diacritics, weekday_of};

use super::Due;

/// How a task comes back.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Repeat {
    /// The cron expression with seconds, as the `cron` crate reads it.
    pub cron: String,
    /// Whether each time is due on its day without an hour.
    pub all_day: bool,
    /// The rule in the words it was given in, shown beside the task.
    pub label: String,
    /// A day of the month from the 29th on: a month without it has the task on its last day
    /// (the schedule then names the 28th to the 31st, and all but one are passed over).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month_day: Option<u32>,
}

/// Kept with its task.
impl crate::durable::Durable for Repeat {}

/// Why a rule cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepeatError {
    #[error("{0:?} is not a cron expression")]
    BadCron(String),
    #[error("the rule never comes")]
    Never,
    #[error("the rule comes more often than once a day")]
    TooOften,
}

impl Repeat {
    fn schedule(&self) -> Option<Schedule> {
        Schedule::from_str(&self.cron).ok()
    }

    /// The times strictly after `after`, on the wall clock.
    fn times_after(&self, schedule: &Schedule, after: NaiveDateTime) -> impl Iterator<Item = NaiveDateTime> {
        // The schedule is walked on UTC as a stand-in for the wall clock: UTC has no gaps, so
        // every local time the rule names comes exactly once.
        let month_day = self.month_day;
        schedule
            .after(&Utc.from_utc_datetime(&after))
            .map(|t| t.naive_utc())
            .filter(move |t| month_day.is_none_or(|day| t.day() == day.min(last_day_of_month(t.date()))))
    }

    /// The first time strictly after `after`.
    fn next_after(&self, after: NaiveDateTime) -> Option<Due> {
        let next = self.times_after(&self.schedule()?, after).next()?;
        Some(Due { date: next.date(), time: (!self.all_day).then_some(next.time()) })
    }

    /// The first time from `now` on: today counts for a rule without an hour.
    pub fn first_due(&self, now: NaiveDateTime) -> Option<Due> {
        if self.all_day {
            let midnight = now.date().and_time(NaiveTime::MIN);
            return self.next_after(midnight.checked_sub_signed(TimeDelta::seconds(1))?);
        }
        self.next_after(now)
    }

    /// The first time on `day` or after it, for a rule given with the day it starts on
    /// ("od 1 grudnia co poniedziałek").
    pub fn first_due_from(&self, day: NaiveDate) -> Option<Due> {
        let before = day.checked_sub_days(chrono::Days::new(1))?.and_hms_opt(23, 59, 59)?;
        self.next_after(before)
    }

    /// The time after `current` once it is done, and not before `now`: a task done late comes
    /// back at its next time from now, not at the times missed meanwhile.
    pub fn due_after(&self, current: Option<Due>, now: NaiveDateTime) -> Option<Due> {
        let current = current.map(|due| due.date.and_time(due.time.unwrap_or(NaiveTime::MIN)));
        let from = current.map_or(now, |c| c.max(now));
        if self.all_day {
            let last_second = NaiveTime::from_hms_opt(23, 59, 59).expect("23:59:59 exists");
            return self.next_after(from.date().and_time(last_second));
        }
        self.next_after(from)
    }

    fn checked(self, now: NaiveDateTime) -> Result<Self, RepeatError> {
        let schedule = self.schedule().ok_or_else(|| RepeatError::BadCron(self.cron.clone()))?;
        let times: Vec<NaiveDateTime> = self.times_after(&schedule, now).take(3).collect();
        if times.is_empty() {
            return Err(RepeatError::Never);
        }
        if times.windows(2).any(|pair| pair[1] - pair[0] < TimeDelta::days(1)) {
            return Err(RepeatError::TooOften);
        }
        Ok(self)
    }
}

/// The rule a text gives, with the text left without it; `None` if it gives none.
pub fn take_repeat(text: &str, now: NaiveDateTime) -> Result<Option<(Repeat, String)>, RepeatError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    for start in 0..folded.len() {
        let Some(found) = rule_at(&folded[start..], &words[start..], now)? else { continue };
        let end = start + found.words;
        // "on the 1st of every month": the words that led into the rule go with it.
        let mut start = start;
        while start > 0 && matches!(folded[start - 1].as_str(), "on" | "the") {
            start -= 1;
        }
        let label = words[start..end].join(" ").trim_end_matches([',', '.', ';']).to_owned();
        let repeat = Repeat { cron: found.cron, all_day: found.all_day, label, month_day: found.month_day }
            .checked(now)?;
        let rest: Vec<&str> = words[..start].iter().chain(&words[end..]).copied().collect();
        return Ok(Some((repeat, rest.join(" "))));
    }
    Ok(None)
}

struct Found {
    cron: String,
    all_day: bool,
    month_day: Option<u32>,
    words: usize,
}

fn fold(word: &str) -> String {
    fold_diacritics(&word.to_lowercase()).trim_matches([',', ';', '.', '"', '`', '\'']).to_owned()
}

/// The rule starting at the first word, if one does.
fn rule_at(folded: &[String], words: &[&str], now: NaiveDateTime) -> Result<Option<Found>, RepeatError> {
    if folded.first().map(String::as_str) == Some("cron") {
        return explicit_cron(words).map(Some);
    }
    let Some((days, used)) = days_rule(folded, now) else { return Ok(None) };
    let (time, more) = time_after(&folded[used..]);
    let (minute, hour) = time.map_or((0, 0), |t| (t.minute(), t.hour()));
    let (days, month_day) = match days {
        Days::Fields(fields) => (fields, None),
        Days::OfMonth(day) if day >= 29 => ("28-31 * *".to_owned(), Some(day)),
        Days::OfMonth(day) => (format!("{day} * *"), None),
    };
    Ok(Some(Found {
        cron: format!("0 {minute} {hour} {days}"),
        all_day: time.is_none(),
        month_day,
        words: used + more,
    }))
}

/// "cron 0 9 * * 1": five fields as in a crontab, from minutes to weekdays (0 or 7 Sunday).
fn explicit_cron(words: &[&str]) -> Result<Found, RepeatError> {
    let fields: Vec<String> =
        words.iter().skip(1).take(5).map(|w| w.trim_matches(['"', '`', '\'']).to_owned()).collect();
    let written = fields.join(" ");
    if fields.len() < 5 {
        return Err(RepeatError::BadCron(written));
    }
    let weekdays = crontab_weekdays(&fields[4]).ok_or_else(|| RepeatError::BadCron(written.clone()))?;
    let cron = format!("0 {} {} {} {} {weekdays}", fields[0], fields[1], fields[2], fields[3]);
    Schedule::from_str(&cron).map_err(|_| RepeatError::BadCron(written))?;
    Ok(Found { cron, all_day: false, month_day: None, words: 6 })
}

/// The days a rule names: cron's day-of-month, month and weekday fields, or one day of each
/// month.
enum Days {
    Fields(String),
    OfMonth(u32),
}

/// The days a rule's words give, and how many words it took.
fn days_rule(w: &[String], now: NaiveDateTime) -> Option<(Days, usize)> {
    let s = |i: usize| w.get(i).map_or("", String::as_str);
    let fields = |f: &str, used: usize| Some((Days::Fields(f.to_owned()), used));
    let on_todays_weekday = format!("* * {}", weekday_name(now.weekday()));
    match (s(0), s(1), s(2)) {
        ("codziennie" | "daily", _, _) => fields("* * *", 1),
        ("co" | "kazdego", "dzien" | "dnia", _) | ("every", "day", _) => fields("* * *", 2),
        ("w", "dni", "robocze" | "powszednie") => fields("* * Mon-Fri", 3),
        ("every", "weekday", _) | ("on", "weekdays", _) => fields("* * Mon-Fri", 2),
        ("co", "tydzien", _) | ("every", "week", _) => fields(&on_todays_weekday, 2),
        ("weekly", _, _) => fields(&on_todays_weekday, 1),
        ("co" | "kazdego", "miesiac" | "miesiaca", _) | ("every", "month", _) => {
            Some((Days::OfMonth(now.day()), 2))
        }
        ("monthly", _, _) => Some((Days::OfMonth(now.day()), 1)),
        ("co" | "kazdy" | "kazda" | "kazde" | "every", _, _) => weekdays_from(w, 1),
        ("w", "kazdy" | "kazda" | "kazde", _) => weekdays_from(w, 2),
        _ => day_of_month(w),
    }
}

/// "poniedziałek i czwartek": weekdays from word `from`, joined by "i", "oraz", "and" or commas.
fn weekdays_from(w: &[String], from: usize) -> Option<(Days, usize)> {
    let mut days = Vec::new();
    let mut at = from;
    while let Some(day) = w.get(at).and_then(|word| weekday_of(word)) {
        days.push(weekday_name(day));
        at += 1;
        match w.get(at).map(String::as_str) {
            Some("i" | "oraz" | "and") if w.get(at + 1).and_then(|word| weekday_of(word)).is_some() => {
                at += 1
            }
            _ => {}
        }
    }
    (!days.is_empty()).then(|| (Days::Fields(format!("* * {}", days.join(","))), at))
}

/// "pierwszego dnia miesiąca", "15. dnia każdego miesiąca", "1st of every month", "ostatniego
/// dnia miesiąca".
fn day_of_month(w: &[String]) -> Option<(Days, usize)> {
    let (day, mut at) = ordinal(w)?;
    let s = |i: usize| w.get(i).map_or("", String::as_str);
    if s(at) == "dnia" || s(at) == "day" {
        at += 1;
    }
    if matches!(s(at), "of" | "kazdego") {
        at += 1;
    }
    if matches!(s(at), "the" | "every" | "each") {
        at += 1;
    }
    matches!(s(at), "miesiaca" | "month").then_some((Days::OfMonth(day), at + 1))
}

/// A day of the month in words or digits ("pierwszego", "dwudziestego piątego", "15.", "1st"),
/// and how many words it took.
fn ordinal(w: &[String]) -> Option<(u32, usize)> {
    const UNITS: [&str; 9] = [
        "pierwszego",
        "drugiego",
        "trzeciego",
        "czwartego",
        "piatego",
        "szostego",
        "siodmego",
        "osmego",
        "dziewiatego",
    ];
    const TEENS: [&str; 10] = [
        "dziesiatego",
        "jedenastego",
        "dwunastego",
        "trzynastego",
        "czternastego",
        "pietnastego",
        "szesnastego",
        "siedemnastego",
        "osiemnastego",
        "dziewietnastego",
    ];
    const ENGLISH: [&str; 3] = ["first", "second", "third"];
    let first = w.first()?.as_str();
    if matches!(first, "ostatniego" | "last") {
        return Some((31, 1));
    }
    let unit = |word: &str| UNITS.iter().position(|u| *u == word).map(|i| i as u32 + 1);
    let tens = match first {
        "dwudziestego" => Some(20),
        "trzydziestego" => Some(30),
        _ => None,
    };
    let day = if let Some(tens) = tens {
        match w.get(1).and_then(|next| unit(next)) {
            Some(u) => return valid_day(tens + u, 2),
            None => tens,
        }
    } else if let Some(u) = unit(first) {
        u
    } else if let Some(i) = TEENS.iter().position(|t| *t == first) {
        i as u32 + 10
    } else if let Some(i) = ENGLISH.iter().position(|e| *e == first) {
        i as u32 + 1
    } else {
        let digits = first.trim_end_matches('.').trim_end_matches("-go");
        digits.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']).parse().ok()?
    };
    valid_day(day, 1)
}

fn valid_day(day: u32, words: usize) -> Option<(u32, usize)> {
    (1..=31).contains(&day).then_some((day, words))
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

/// "o 9", "o 9:30", "o godz. 8", "at 9", "9:30": the hour after a rule, and how many words it took.
fn time_after(w: &[String]) -> (Option<NaiveTime>, usize) {
    let s = |i: usize| w.get(i).map_or("", String::as_str);
    let mut at = 0;
    let introduced = matches!(s(0), "o" | "at" | "godz." | "godz");
    if introduced {
        at += 1;
        if matches!(s(at), "godz." | "godz" | "godzinie") {
            at += 1;
        }
    }
    let word = s(at).trim_end_matches('.');
    // A bare number after a rule may be part of the title; an hour needs "o" or a colon.
    if !introduced && !word.contains(':') {
        return (None, 0);
    }
    match super::due::parse_hour(word) {
        Some(time) => (Some(time), at + 1),
        None => (None, 0),
    }
}

fn last_day_of_month(date: NaiveDate) -> u32 {
    let first_of_next = if date.month() == 12 {
        NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
    };
    first_of_next.and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

#[cfg(test)]
mod tests;
