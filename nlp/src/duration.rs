//! How long something lasts, as people write it: "45 min", "1,5 h", "2 godziny", "90min",
//! "przez godzinę", "pół godziny", "półtorej godziny", "for 2 hours".

use crate::fold_diacritics;

/// The words before a duration that belong to it ("przez 2 godziny", "na 30 min", "for 1 h").
const LEADS: [&str; 3] = ["przez", "na", "for"];

/// Takes the first duration out of a text: its length in minutes, and the text without it.
pub fn take_duration(text: &str) -> (Option<u32>, String) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold_word(w)).collect();
    for i in 0..words.len() {
        let Some((minutes, used)) = duration_at(&folded, i) else { continue };
        let start = if i > 0 && LEADS.contains(&folded[i - 1].as_str()) { i - 1 } else { i };
        let rest: Vec<&str> = words[..start].iter().chain(&words[i + used..]).copied().collect();
        return (Some(minutes), rest.join(" "));
    }
    (None, text.to_owned())
}

fn fold_word(word: &str) -> String {
    fold_diacritics(&word.to_lowercase())
        .trim_end_matches([',', ';', ')', '.'])
        .trim_start_matches('(')
        .to_owned()
}

/// The duration that starts at word `i`, and how many words it takes.
fn duration_at(words: &[String], i: usize) -> Option<(u32, usize)> {
    let word = words[i].as_str();
    let next = words.get(i + 1).map(String::as_str).unwrap_or("");
    let after_lead = i > 0 && LEADS.contains(&words[i - 1].as_str());
    if let Some((number, unit)) = split_number(word) {
        if !unit.is_empty() {
            return minutes(number, unit).map(|m| (m, 1));
        }
        return minutes(number, next).map(|m| (m, 2));
    }
    match word {
        "pol" if is_hours(next) => Some((30, 2)),
        "poltorej" | "poltora" if is_hours(next) => Some((90, 2)),
        "godzine" | "godzina" if after_lead => Some((60, 1)),
        "an" | "one" if after_lead && is_hours(next) => Some((60, 2)),
        "half" if next == "an" && words.get(i + 2).is_some_and(|w| is_hours(w)) => Some((30, 3)),
        _ => None,
    }
}

/// "90min" is (90, "min"); "1,5" is (1.5, ""); a word not starting with a digit is none.
fn split_number(word: &str) -> Option<(f64, &str)> {
    let end = word.find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.')).unwrap_or(word.len());
    let (number, unit) = word.split_at(end);
    if !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let value: f64 = number.replace(',', ".").parse().ok()?;
    Some((value, unit))
}

fn is_hours(unit: &str) -> bool {
    matches!(
        unit,
        "h" | "godz" | "godzina" | "godzine" | "godziny" | "godzin" | "hour" | "hours" | "hr" | "hrs"
    )
}

fn is_minutes(unit: &str) -> bool {
    matches!(unit, "min" | "mins" | "minut" | "minuty" | "minute" | "minutes" | "minuta")
}

fn minutes(number: f64, unit: &str) -> Option<u32> {
    let minutes = if is_hours(unit) {
        number * 60.0
    } else if is_minutes(unit) {
        number
    } else {
        return None;
    };
    (minutes.is_finite() && minutes >= 1.0 && minutes < f64::from(u32::MAX)).then(|| minutes.round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_polish_and_english() {
        let cases = [
            ("Narada zespołu 45 min", Some(45), "Narada zespołu"),
            ("Narada 1,5 h", Some(90), "Narada"),
            ("Narada przez 2 godziny", Some(120), "Narada"),
            ("Narada 90min", Some(90), "Narada"),
            ("Narada na pół godziny", Some(30), "Narada"),
            ("Narada półtorej godziny", Some(90), "Narada"),
            ("Narada przez godzinę", Some(60), "Narada"),
            ("Standup for 15 minutes", Some(15), "Standup"),
            ("Review for an hour", Some(60), "Review"),
            ("Review half an hour", Some(30), "Review"),
            ("Narada (2h)", Some(120), "Narada"),
        ];
        for (text, minutes, rest) in cases {
            assert_eq!(take_duration(text), (minutes, rest.to_owned()), "{text}");
        }
    }

    #[test]
    fn dates_and_hours_are_not_durations() {
        for text in ["Narada 3 maja o 10", "Narada jutro o 9:30", "Narada na 15 grudnia", "Godzina prawdy"] {
            assert_eq!(take_duration(text), (None, text.to_owned()), "{text}");
        }
    }

    #[test]
    fn absurd_numbers_are_not_durations() {
        assert_eq!(take_duration("x 0 min").0, None);
        assert_eq!(take_duration(&format!("x {} h", "9".repeat(400))).0, None);
    }
}
