//! A task's text read apart: its title, its deadline in Polish or English words, its assignee
//! and its priority. Dates come from the NLU's extraction, the one date parser in szpon.

use chrono::{DateTime, Days, NaiveTime, Utc};
use chrono_tz::Tz;
use ruma::{OwnedUserId, UserId};
use szpon_nlp::{extract_time, text::tokenize};

use super::{
    Due, MAX_TITLE_CHARS, Priority,
    repeat::{Repeat, RepeatError, take_repeat},
};

/// Why a task's text or deadline cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DueError {
    #[error("no date or time in {0:?}")]
    NotUnderstood(String),
    #[error("the deadline has passed")]
    Past,
    #[error("the task has no title")]
    NoTitle,
    #[error("the title has {0} characters")]
    TitleTooLong(usize),
    #[error("{0:?} is not a Matrix user ID")]
    BadUser(String),
    #[error(transparent)]
    Repeat(#[from] RepeatError),
}

/// A new task's parts, as `!zadanie` gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskText {
    pub title: String,
    pub due: Option<Due>,
    pub repeat: Option<Repeat>,
    pub assignee: Option<OwnedUserId>,
    pub priority: Priority,
}

/// What `!termin N <kiedy>` sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueSetting {
    /// "brak": no due time and no rule.
    Clear,
    /// A date: this time is moved, and a recurring task keeps its rule.
    Once(Due),
    /// A rule, and its first time.
    Repeating(Repeat, Due),
    /// "jednorazowo": the task keeps its due time and stops coming back.
    StopRepeating,
}

/// Words left before a deadline that only introduced it: "do piątku", "na jutro", "termin", and
/// the first day of a recurring task ("od 1 grudnia co wtorek").
const DEADLINE_WORDS: &[&str] =
    &["do", "na", "od", "termin", "terminem", "by", "due", "until", "before", "from", "starting"];

/// Reads `!zadanie`'s text: "Raport kwartalny @ewa:urzad.pl do piątku !pilne".
pub fn split_title(text: &str, now: DateTime<Utc>, zone: Tz) -> Result<TaskText, DueError> {
    let mut assignee = None;
    let mut priority = Priority::Normal;
    let mut kept = Vec::new();
    for word in text.split_whitespace() {
        if let Some(flag) = Priority::from_flag(word) {
            priority = flag;
        } else if word.starts_with('@') && word.contains(':') && assignee.is_none() {
            let user = UserId::parse(word.trim_end_matches([',', '.', ';']))
                .map_err(|_| DueError::BadUser(word.chars().take(80).collect()))?;
            assignee = Some(user);
        } else {
            kept.push(word);
        }
    }
    let (due, repeat, title) = take_when(&kept.join(" "), now, zone)?;
    let title = title.trim().trim_end_matches([',', ';', '-', '–']).trim().to_owned();
    if title.is_empty() {
        return Err(DueError::NoTitle);
    }
    let length = title.chars().count();
    if length > MAX_TITLE_CHARS {
        return Err(DueError::TitleTooLong(length));
    }
    Ok(TaskText { title, due, repeat, assignee, priority })
}

/// The due time and the rule a text gives, and the text without them. A rule given with a
/// date starts on that date ("od 1 grudnia co poniedziałek").
fn take_when(
    text: &str,
    now: DateTime<Utc>,
    zone: Tz,
) -> Result<(Option<Due>, Option<Repeat>, String), DueError> {
    let local = now.with_timezone(&zone).naive_local();
    let Some((repeat, rest)) = take_repeat(text, local)? else {
        let (due, rest) = take_due(text, now, zone)?;
        return Ok((due, None, rest));
    };
    let (start, rest) = take_due(&rest, now, zone)?;
    let first = match start {
        Some(start) if start.date > local.date() => repeat.first_due_from(start.date),
        _ => repeat.first_due(local),
    };
    let first = first.ok_or(RepeatError::Never)?;
    Ok((Some(first), Some(repeat), rest))
}

/// Reads a due time or rule given on its own (`!termin 3 w piątek o 12`, `!termin 3 co piątek`).
pub fn parse_due(text: &str, now: DateTime<Utc>, zone: Tz) -> Result<DueSetting, DueError> {
    let folded = szpon_nlp::fold_diacritics(&text.trim().to_lowercase());
    match folded.as_str() {
        "brak" | "bez" | "bez terminu" | "usun" | "none" | "no" | "-" => return Ok(DueSetting::Clear),
        "jednorazowo" | "jednorazowe" | "bez powtarzania" | "nie powtarzaj" | "once" => {
            return Ok(DueSetting::StopRepeating);
        }
        _ => {}
    }
    match take_when(text, now, zone)? {
        (Some(due), Some(repeat), _) => Ok(DueSetting::Repeating(repeat, due)),
        (Some(due), None, _) => Ok(DueSetting::Once(due)),
        (None, _, _) => Err(DueError::NotUnderstood(text.chars().take(80).collect())),
    }
}

/// The deadline a text names and the text without it.
fn take_due(text: &str, now: DateTime<Utc>, zone: Tz) -> Result<(Option<Due>, String), DueError> {
    let local = now.with_timezone(&zone);
    let today = local.date_naive();
    let tokens = tokenize(text);
    let (mention, entities) = extract_time(&tokens, today);
    let time = mention.at.or(mention.before).or(mention.from);
    let date = match (mention.date, time) {
        (Some(date), _) => date,
        (None, None) => return Ok((None, text.to_owned())),
        // An hour alone is today's, or tomorrow's once today's has passed.
        (None, Some(time)) if time > local.time() => today,
        (None, Some(_)) => today.checked_add_days(Days::new(1)).ok_or(DueError::Past)?,
    };
    let due = Due { date, time };
    if due.deadline(zone) <= now {
        return Err(DueError::Past);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut title = String::new();
    let mut from = 0;
    for entity in &entities {
        let before: String = chars[from..entity.start.clamp(from, chars.len())].iter().collect();
        title.push_str(without_deadline_word(&before));
        title.push(' ');
        from = entity.end.clamp(from, chars.len());
    }
    title.extend(&chars[from..]);
    Ok((Some(due), title.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// A stretch of the title without the word that announced the deadline after it ("do", "na").
fn without_deadline_word(before: &str) -> &str {
    let trimmed = before.trim_end();
    match trimmed.rsplit_once(char::is_whitespace).map_or(("", trimmed), |(head, last)| (head, last)) {
        (head, last) if DEADLINE_WORDS.contains(&last.to_lowercase().as_str()) => head,
        _ => before,
    }
}

/// "8:30", "8", "08.30": the hour of a daily digest.
pub fn parse_hour(text: &str) -> Option<NaiveTime> {
    let text = text.trim().trim_start_matches("o ").trim_start_matches("godz.").trim();
    let (hour, minute) = match text.split_once([':', '.']) {
        Some((h, m)) => (h.parse().ok()?, m.parse().ok()?),
        None => (text.parse().ok()?, 0),
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};
    use chrono_tz::Europe::Warsaw;

    use super::*;

    /// Tuesday, 24 November 2026, 10:00 in Warsaw.
    fn now() -> DateTime<Utc> {
        Warsaw.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap().to_utc()
    }

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn hm(h: u32, m: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, 0)
    }

    fn due_of(text: &str) -> Option<Due> {
        split_title(&format!("Raport {text}"), now(), Warsaw).unwrap().due
    }

    #[test]
    fn deadlines_in_words() {
        assert_eq!(due_of("jutro"), Some(Due { date: date(11, 25), time: None }));
        assert_eq!(due_of("pojutrze"), Some(Due { date: date(11, 26), time: None }));
        assert_eq!(due_of("w piątek"), Some(Due { date: date(11, 27), time: None }));
        assert_eq!(due_of("do piątku"), Some(Due { date: date(11, 27), time: None }));
        assert_eq!(due_of("za 3 dni"), Some(Due { date: date(11, 27), time: None }));
        assert_eq!(due_of("31.12"), Some(Due { date: date(12, 31), time: None }));
        assert_eq!(due_of("31 grudnia 17:00"), Some(Due { date: date(12, 31), time: hm(17, 0) }));
        assert_eq!(due_of("jutro o 9:30"), Some(Due { date: date(11, 25), time: hm(9, 30) }));
        assert_eq!(due_of("on friday"), Some(Due { date: date(11, 27), time: None }));
        assert_eq!(due_of(""), None);
    }

    #[test]
    fn an_hour_alone_is_the_next_such_hour() {
        assert_eq!(due_of("o 15"), Some(Due { date: date(11, 24), time: hm(15, 0) }));
        assert_eq!(due_of("o 9"), Some(Due { date: date(11, 25), time: hm(9, 0) }));
    }

    #[test]
    fn the_title_keeps_only_what_is_not_the_deadline() {
        let text =
            split_title("Raport kwartalny @ewa:urzad.example do piątku !pilne", now(), Warsaw).unwrap();
        assert_eq!(text.title, "Raport kwartalny");
        assert_eq!(text.assignee.as_deref().map(|u| u.as_str()), Some("@ewa:urzad.example"));
        assert_eq!(text.priority, Priority::Urgent);
        assert_eq!(text.due, Some(Due { date: date(11, 27), time: None }));
        let text = split_title("Zamówić papier na jutro", now(), Warsaw).unwrap();
        assert_eq!(text.title, "Zamówić papier");
        let text = split_title("Spotkanie z wójtem, jutro o 12", now(), Warsaw).unwrap();
        assert_eq!(text.title, "Spotkanie z wójtem");
    }

    #[test]
    fn bad_texts_are_named() {
        assert_eq!(split_title("jutro", now(), Warsaw), Err(DueError::NoTitle));
        assert_eq!(split_title("!pilne", now(), Warsaw), Err(DueError::NoTitle));
        assert_eq!(split_title("Raport dziś o 8", now(), Warsaw), Err(DueError::Past));
        assert!(matches!(
            split_title(&"a".repeat(65_536), now(), Warsaw),
            Err(DueError::TitleTooLong(65_536))
        ));
        assert!(matches!(split_title("Raport @ewa:", now(), Warsaw), Err(DueError::BadUser(_))));
        assert!(matches!(parse_due("kiedyś", now(), Warsaw), Err(DueError::NotUnderstood(_))));
        assert_eq!(parse_due("brak", now(), Warsaw), Ok(DueSetting::Clear));
        assert_eq!(parse_due("jednorazowo", now(), Warsaw), Ok(DueSetting::StopRepeating));
        assert_eq!(
            split_title("Raport cron 0 0 30 2 *", now(), Warsaw),
            Err(DueError::Repeat(RepeatError::Never))
        );
    }

    #[test]
    fn a_rule_sets_the_first_time_and_stays_out_of_the_title() {
        let text =
            split_title("Raport tygodniowy @ewa:urzad.example co poniedziałek o 9 !ważne", now(), Warsaw)
                .unwrap();
        assert_eq!(text.title, "Raport tygodniowy");
        assert_eq!(text.due, Some(Due { date: date(11, 30), time: hm(9, 0) }));
        assert_eq!(text.repeat.as_ref().map(|r| r.label.as_str()), Some("co poniedziałek o 9"));
        assert_eq!(text.priority, Priority::High);
        let text = split_title("Zebranie od 15 grudnia co wtorek", now(), Warsaw).unwrap();
        assert_eq!(text.title, "Zebranie");
        assert_eq!(text.due, Some(Due { date: date(12, 15), time: None }));
        let text = split_title("Kawa co wtorek", now(), Warsaw).unwrap();
        assert_eq!(text.due, Some(Due { date: date(11, 24), time: None }));
        match parse_due("w każdy piątek o 12", now(), Warsaw) {
            Ok(DueSetting::Repeating(repeat, due)) => {
                assert_eq!(repeat.cron, "0 0 12 * * Fri");
                assert_eq!(due, Due { date: date(11, 27), time: hm(12, 0) });
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_due("jutro", now(), Warsaw),
            Ok(DueSetting::Once(Due { date: date(11, 25), time: None }))
        );
    }

    #[test]
    fn digest_hours() {
        assert_eq!(parse_hour("8:30"), hm(8, 30));
        assert_eq!(parse_hour("8"), hm(8, 0));
        assert_eq!(parse_hour("o 7.15"), hm(7, 15));
        assert_eq!(parse_hour("25:00"), None);
        assert_eq!(parse_hour("rano"), None);
    }
}
