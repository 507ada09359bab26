//! Reading what citizens and clerks write about visits: keywords with fuzzy matching, until the
//! NLU engine takes over. Every function here is total: any text gives an answer, never a panic.

use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use szpon_nlp::{fold_diacritics, normalize};

use super::{
    office::{Office, Service},
    slots::SlotFilter,
    visit::is_code,
};

/// What a citizen asks about visits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VisitRequest {
    Book,
    List,
    /// Cancel a visit, by code if one was given.
    Cancel(Option<String>),
    Move(Option<String>),
}

/// Lower-case, diacritics folded, punctuation turned to spaces: "Chcę umówić wizytę!" →
/// "chce umowic wizyte".
pub fn fold(text: &str) -> String {
    let folded = fold_diacritics(&normalize(text));
    folded
        .chars()
        .map(|c| if c.is_alphanumeric() || c == ':' || c == '.' { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn words(folded: &str) -> Vec<&str> {
    folded.split(' ').map(|w| w.trim_matches('.')).filter(|w| !w.is_empty()).collect()
}

/// The first word of a text that looks like a visit code, upper-cased.
pub fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_alphanumeric()).find(|w| is_code(w)).map(str::to_uppercase)
}

/// Recognises booking requests, in commands (`!wizyta`) or in plain words.
pub fn visit_request(text: &str) -> Option<VisitRequest> {
    let folded = fold(text.trim().trim_start_matches('!'));
    let words = words(&folded);
    let has = |stems: &[&str]| words.iter().any(|w| stems.iter().any(|s| w.starts_with(s)));
    let phrase = |phrases: &[&str]| phrases.iter().any(|p| folded.contains(p));
    if has(&["odwol", "anuluj", "cancel"]) || phrase(&["nie przyjde"]) {
        return Some(VisitRequest::Cancel(code_in(text)));
    }
    if phrase(&["zmien termin", "zmienic termin", "zmiana terminu", "move my", "change my"])
        || has(&["przeloz", "przesun", "reschedul"])
        || (has(&["zmien"]) && has(&["wizyt"]))
    {
        return Some(VisitRequest::Move(code_in(text)));
    }
    if phrase(&["moje wizyty", "moja wizyta", "my visits", "my appointments", "my bookings"])
        || words.first().is_some_and(|w| *w == "wizyty")
    {
        return Some(VisitRequest::List);
    }
    if has(&["umow", "wizyt", "rezerw", "zarezerw", "zapisz", "zapisac", "book", "appointment"]) {
        return Some(VisitRequest::Book);
    }
    None
}

/// The service a text names, if one stands out; several if it is unclear which.
pub fn match_services<'a>(office: &'a Office, text: &str) -> Vec<&'a Service> {
    let folded = fold(text);
    let tokens = words(&folded);
    let mut scored: Vec<(f64, &Service)> = office
        .services
        .iter()
        .filter_map(|service| {
            let best =
                names_of(service).map(|name| phrase_score(&tokens, &fold(name))).fold(0.0_f64, f64::max);
            (best > 0.0).then_some((best, service))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.first() {
        Some((top, _)) => scored.iter().filter(|(s, _)| *s >= top - 0.01).map(|(_, svc)| *svc).collect(),
        None => Vec::new(),
    }
}

fn names_of(service: &Service) -> impl Iterator<Item = &str> {
    [service.name.as_str(), service.name_en.as_str(), service.id.as_str()]
        .into_iter()
        .chain(service.keywords.iter().map(String::as_str))
        .chain(service.name.split(" — ").take(1))
}

/// How well a name appears among the words: its length in letters times the similarity of the
/// best window of as many words, if that is close enough to be a typo.
fn phrase_score(tokens: &[&str], name: &str) -> f64 {
    let name_words: Vec<&str> = name.split(' ').filter(|w| w.len() > 1).collect();
    let n = name_words.len();
    if n == 0 || tokens.len() < n {
        return 0.0;
    }
    let name = name_words.join(" ");
    let best = tokens
        .windows(n)
        .map(|window| strsim::normalized_damerau_levenshtein(&window.join(" "), &name))
        .fold(0.0_f64, f64::max);
    // Short names must match nearly exactly: "auto" is not "akt".
    let needed = if name.len() <= 5 { 0.99 } else { 0.8 };
    if best >= needed { best * name.len() as f64 } else { 0.0 }
}

/// A number the citizen chose from a list ("2", "nr 2", "2."), 1-based.
pub fn chosen_number(text: &str) -> Option<usize> {
    let folded = fold(text);
    let words = words(&folded);
    let number = match words.as_slice() {
        [n] => n,
        [prefix, n] if ["nr", "numer", "opcja", "termin", "number", "option"].contains(prefix) => n,
        _ => return None,
    };
    number.parse().ok().filter(|n| *n > 0 && *n < 1000)
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("poniedzial", Weekday::Mon),
    ("wtor", Weekday::Tue),
    ("srod", Weekday::Wed),
    ("czwart", Weekday::Thu),
    ("piat", Weekday::Fri),
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

const MONTHS: &[&str] =
    &["stycz", "lut", "mar", "kwie", "maj", "czerw", "lip", "sierp", "wrze", "pazdz", "listop", "grud"];

/// A day named in text: "dziś", "jutro", "pojutrze", "w piątek", "12.12", "12 grudnia", ISO
/// dates. Weekdays mean the next such day after today.
pub fn parse_day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let iso = text
        .split_whitespace()
        .find_map(|w| NaiveDate::parse_from_str(w.trim_matches(['.', ',']), "%Y-%m-%d").ok());
    if iso.is_some() {
        return iso;
    }
    let folded = fold(text);
    let words = words(&folded);
    for (i, word) in words.iter().enumerate() {
        let day = match *word {
            "dzis" | "dzisiaj" | "today" => Some(today),
            "jutro" | "tomorrow" => today.checked_add_days(Days::new(1)),
            "pojutrze" => today.checked_add_days(Days::new(2)),
            _ => weekday_in(word)
                .map(|weekday| next_weekday(today, weekday))
                .or_else(|| numeric_date(word, today))
                .or_else(|| month_name_date(word, words.get(i + 1), today)),
        };
        if day.is_some() {
            return day;
        }
    }
    None
}

fn weekday_in(word: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(stem, _)| word.starts_with(stem)).map(|(_, w)| *w)
}

fn next_weekday(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today + Days::new(if ahead == 0 { 7 } else { ahead.into() })
}

/// "12.12", "12.12.2026"; a day and month without a year is the next such date.
fn numeric_date(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    let parts: Vec<&str> = word.split('.').filter(|p| !p.is_empty()).collect();
    let number = |s: &str| s.parse::<u32>().ok();
    match parts.as_slice() {
        [d, m] => day_and_month(number(d)?, number(m)?, today),
        [d, m, y] => NaiveDate::from_ymd_opt(i32::try_from(number(y)?).ok()?, number(m)?, number(d)?),
        _ => None,
    }
}

fn month_name_date(word: &str, next: Option<&&str>, today: NaiveDate) -> Option<NaiveDate> {
    let day: u32 = word.parse().ok()?;
    let month = MONTHS.iter().position(|m| next.is_some_and(|n| n.starts_with(m)))?;
    day_and_month(day, month as u32 + 1, today)
}

fn day_and_month(day: u32, month: u32, today: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(today.year(), month, day)?;
    if this_year >= today { Some(this_year) } else { NaiveDate::from_ymd_opt(today.year() + 1, month, day) }
}

/// An hour such as "14", "14:30", "9.15", "2pm".
fn parse_hour(word: &str) -> Option<NaiveTime> {
    let (word, pm) = match word.strip_suffix("pm") {
        Some(rest) => (rest, true),
        None => (word.strip_suffix("am").unwrap_or(word), false),
    };
    let (h, m) = match word.split_once([':', '.']) {
        Some((h, m)) => (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?),
        None => (word.parse::<u32>().ok()?, 0),
    };
    let h = if pm && h < 12 { h + 12 } else { h };
    NaiveTime::from_hms_opt(h, m, 0)
}

/// How a citizen narrows the offered times; `None` if the text says nothing about time.
pub fn parse_narrowing(text: &str, today: NaiveDate) -> Option<SlotFilter> {
    let folded = fold(text);
    let words = words(&folded);
    let mut filter = SlotFilter { date: parse_day(text, today), ..SlotFilter::default() };
    for pair in words.windows(2) {
        match pair[0] {
            "po" | "after" | "od" | "from" => filter.from_time = parse_hour(pair[1]).or(filter.from_time),
            "przed" | "before" | "do" => filter.before_time = parse_hour(pair[1]).or(filter.before_time),
            _ => {}
        }
    }
    if words.iter().any(|w| ["rano", "rana", "morning", "przedpoludniem"].contains(w))
        || folded.contains("przed poludniem")
    {
        filter.before_time = NaiveTime::from_hms_opt(12, 0, 0);
    }
    if folded.contains("po poludniu") || folded.contains("popoludniu") || folded.contains("afternoon") {
        filter.from_time = NaiveTime::from_hms_opt(12, 0, 0);
    }
    let narrowed = filter.date.is_some() || filter.from_time.is_some() || filter.before_time.is_some();
    narrowed.then_some(filter)
}

/// "inny termin", "inne", "później", "more": show times after the ones offered.
pub fn wants_other_times(text: &str) -> bool {
    let folded = fold(text);
    ["inny", "inne", "innego", "pozniej", "dalej", "wiecej", "kolejne", "other", "later", "more", "next"]
        .iter()
        .any(|w| folded.split(' ').any(|word| word == *w))
}

/// "nie", "anuluj", "stop", "koniec", "cancel": leave the current dialogue.
pub fn wants_to_stop(text: &str) -> bool {
    matches!(
        fold(text).as_str(),
        "nie" | "stop" | "koniec" | "rezygnuje" | "zrezygnuj" | "nevermind" | "no" | "quit" | "exit"
    )
}

#[cfg(test)]
mod tests;
