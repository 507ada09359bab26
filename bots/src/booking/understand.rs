//! Reading what citizens and clerks write about visits. Dates, times, numbers, codes and
//! names come from the NLU crate, so that there is one implementation of each; what is left
//! here are the booking dialogue's own small answers ("inny termin", "nie").

use chrono::NaiveDate;
use szpon_nlp::{Gazetteer, extract_time, text::tokenize};

pub use szpon_nlp::{
    entities::{chosen_number, code_in},
    fold,
};

use super::{
    office::{Office, Service},
    slots::SlotFilter,
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

impl VisitRequest {
    /// The request an NLU intent stands for; the code comes from the text.
    pub fn from_intent(intent: &str, text: &str) -> Option<VisitRequest> {
        Some(match intent {
            "book_visit" => VisitRequest::Book,
            "my_visits" => VisitRequest::List,
            "cancel_visit" => VisitRequest::Cancel(code_in(text)),
            "move_visit" => VisitRequest::Move(code_in(text)),
            _ => return None,
        })
    }

    /// The request a command gives: `!wizyta`, `!wizyty`, `!odwołaj [KOD]`, `!zmień [KOD]`.
    pub fn from_command(text: &str) -> Option<VisitRequest> {
        let rest = text.trim().strip_prefix('!')?;
        let command = fold(rest.split_whitespace().next()?);
        Some(match command.as_str() {
            "wizyta" | "umow" | "book" | "visit" => VisitRequest::Book,
            "wizyty" | "visits" => VisitRequest::List,
            "odwolaj" | "anuluj" | "cancel" => VisitRequest::Cancel(code_in(rest)),
            "zmien" | "przeloz" | "move" | "reschedule" => VisitRequest::Move(code_in(rest)),
            _ => return None,
        })
    }
}

/// The office's service names (Polish, English, identifiers and keywords) to look for.
pub fn service_names(office: &Office) -> Gazetteer {
    let mut names = Gazetteer::new();
    for service in &office.services {
        let first_part = service.name.split(" — ").next().unwrap_or_default();
        let all = [service.name.as_str(), service.name_en.as_str(), service.id.as_str(), first_part];
        for name in all.into_iter().chain(service.keywords.iter().map(String::as_str)) {
            names.add("service", &service.id, &name.replace('-', " "));
        }
    }
    names
}

/// The service a text names, if one stands out; several if it is unclear which.
pub fn match_services<'a>(office: &'a Office, text: &str) -> Vec<&'a Service> {
    office.service_names().best_values(text).iter().filter_map(|id| office.service(id)).collect()
}

/// A day named in text: "dziś", "jutro", "pojutrze", "w piątek", "12.12", "12 grudnia", ISO
/// dates.
pub fn parse_day(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    extract_time(&tokenize(text), today).0.date
}

/// How a citizen narrows the offered times; `None` if the text says nothing about time.
pub fn parse_narrowing(text: &str, today: NaiveDate) -> Option<SlotFilter> {
    let (when, _) = extract_time(&tokenize(text), today);
    if when.is_empty() {
        return None;
    }
    Some(SlotFilter {
        date: when.date,
        from_time: when.from.or(when.at),
        before_time: when.before,
        ..SlotFilter::default()
    })
}

/// "inny termin", "inne", "później", "more": show times after the ones offered.
pub fn wants_other_times(text: &str) -> bool {
    let folded = fold(text);
    ["inny", "inne", "innego", "pozniej", "dalej", "wiecej", "kolejne", "other", "later", "more", "next"]
        .iter()
        .any(|w| folded.split(' ').any(|word| word == *w))
}

/// Whether the text says yes to a question: "tak", "tak, odwołaj", "potwierdzam", "yes".
/// The number chosen from `count` options; a lone option is asked as yes or no, so "tak"
/// takes it too.
pub fn chosen_of(text: &str, count: usize) -> Option<usize> {
    chosen_number(text).or_else(|| (count == 1 && confirms(text)).then_some(1))
}

pub fn confirms(text: &str) -> bool {
    let folded = fold(text);
    let first = folded.split(|c: char| !c.is_alphanumeric()).find(|word| !word.is_empty());
    matches!(first, Some("tak" | "potwierdzam" | "odwolaj" | "yes" | "confirm" | "ok" | "okej" | "dobrze"))
        && !folded.split(|c: char| !c.is_alphanumeric()).any(|word| word == "nie")
}

/// Words that end an open question: "nie", "nieważne", "stop", "anuluj", "rezygnuję"…
const EXIT_WORDS: [&str; 15] = [
    "nie",
    "niewazne",
    "nieistotne",
    "stop",
    "koniec",
    "anuluj",
    "rezygnuje",
    "zrezygnuj",
    "wystarczy",
    "cancel",
    "nevermind",
    "no",
    "quit",
    "exit",
    "stopp",
];

/// Whether the text is only an exit word that, with nothing open, could be misread as a wish
/// to cancel a visit: "anuluj", "stop", "rezygnuję", "nieważne". ("nie" alone answers too many
/// other questions to be taken so.)
pub fn is_bare_exit(text: &str) -> bool {
    let folded = fold(text);
    let word = folded.trim_matches(|c: char| !c.is_alphanumeric());
    EXIT_WORDS.contains(&word) && !matches!(word, "nie" | "no")
}

/// Words after an exit word that still ask for something within the question: "nie, inny
/// termin", "nie pasuje mi, może później".
const STILL_ASKING: [&str; 9] =
    ["inny", "inne", "innego", "pasuje", "pozniej", "wczesniej", "termin", "other", "later"];

/// Whether the text ends whatever question is open: an exit word alone, or one that leads a
/// refusal ("nie, nic nie odwołuj", "stop, jednak nie"), with no number and nothing asked for.
pub fn wants_to_stop(text: &str) -> bool {
    let folded = fold(text);
    let words: Vec<&str> =
        folded.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).collect();
    let Some(first) = words.first() else { return false };
    let exit = EXIT_WORDS.contains(first) || (words.len() == 2 && words == ["nie", "wazne"]);
    exit && !folded.chars().any(|c| c.is_ascii_digit()) && !words.iter().any(|w| STILL_ASKING.contains(w))
}

#[cfg(test)]
mod tests;
