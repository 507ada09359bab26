//! Badges a course's author defines in its front matter, each with what earns it:
//!
//! ```yaml
//! badges:
//!   - name: Strażnik danych
//!     when: bezbłędnie        # every quiz answer right
//!   - name: Pierwszy krok
//!     when: lekcja 1          # the first lesson read
//! ```

use serde::Deserialize;
use thiserror::Error;

use crate::learner::Delivery;

/// The longest badge name, in characters: it is read in one line of a chat message.
pub const MAX_NAME_CHARS: usize = 60;
/// The most badges a course may define.
pub const MAX_BADGES: usize = 20;

/// A badge of the course's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorBadge {
    pub name: String,
    pub earned_by: BadgeRule,
}

/// What earns an author's badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadgeRule {
    /// The course passed (`ukończenie`).
    Finished,
    /// The course passed with every quiz answer right (`bezbłędnie`).
    Perfect,
    /// The course passed with at least this score, in percent (`wynik 90`).
    Score(u8),
    /// The lesson of this number (from 1) read (`lekcja 2`).
    Lesson(usize),
}

impl BadgeRule {
    /// Whether this delivery, said to the learner in their own turn, earns the badge.
    pub fn earned_by(self, delivery: &Delivery) -> bool {
        match (self, delivery) {
            (BadgeRule::Finished, Delivery::Completed { passed, .. }) => *passed,
            (BadgeRule::Perfect, Delivery::Completed { passed, score }) => {
                *passed && score.is_some_and(|s| percent(s) >= 100)
            }
            (BadgeRule::Score(at_least), Delivery::Completed { passed, score }) => {
                *passed && score.is_some_and(|s| percent(s) >= at_least)
            }
            (BadgeRule::Lesson(n), Delivery::Lesson { number, .. }) => *number == n,
            _ => false,
        }
    }

    /// Whether a learner who has read `lessons_read` lessons already has it: a lesson's badge
    /// counts from the learner's next own step after that lesson came (the first lesson of a
    /// course taken on demand comes with the enrolment, which is no step of theirs).
    pub fn earned_before(self, lessons_read: usize) -> bool {
        matches!(self, BadgeRule::Lesson(n) if lessons_read >= n)
    }

    /// Whether it needs a quiz's score.
    pub fn needs_a_quiz(self) -> bool {
        matches!(self, BadgeRule::Perfect | BadgeRule::Score(_))
    }
}

fn percent(score: f64) -> u8 {
    (score * 100.0).round().clamp(0.0, 100.0) as u8
}

/// A badge as the front matter writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBadge {
    name: String,
    when: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BadgeError {
    #[error("a course may define at most {MAX_BADGES} badges, not {0}")]
    TooMany(usize),
    #[error("a badge's name must have 1 to {MAX_NAME_CHARS} characters, not {0:?}")]
    BadName(String),
    #[error("two badges are named {0:?}")]
    SameName(String),
    #[error(
        "{0:?} is not what earns a badge; write \"ukończenie\", \"bezbłędnie\", \"wynik 90\" or \"lekcja 2\""
    )]
    BadRule(String),
    #[error("the badge {0:?} needs a score, but the course has no quiz")]
    NoQuiz(String),
    #[error("the badge {name:?} is for lesson {number}, but the course has {lessons} lessons")]
    NoSuchLesson { name: String, number: usize, lessons: usize },
}

/// Checks the front matter's badges against the course's lessons and quizzes.
pub(crate) fn check_badges(
    raw: Vec<RawBadge>,
    lessons: usize,
    quizzes: usize,
) -> Result<Vec<AuthorBadge>, BadgeError> {
    if raw.len() > MAX_BADGES {
        return Err(BadgeError::TooMany(raw.len()));
    }
    let mut badges: Vec<AuthorBadge> = Vec::with_capacity(raw.len());
    for RawBadge { name, when } in raw {
        let name = name.trim().to_owned();
        let chars = name.chars().count();
        if chars == 0 || chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(BadgeError::BadName(name));
        }
        if badges.iter().any(|badge| badge.name.to_lowercase() == name.to_lowercase()) {
            return Err(BadgeError::SameName(name));
        }
        let earned_by = parse_badge_rule(&when).ok_or(BadgeError::BadRule(when))?;
        if earned_by.needs_a_quiz() && quizzes == 0 {
            return Err(BadgeError::NoQuiz(name));
        }
        if let BadgeRule::Lesson(number) = earned_by
            && number > lessons
        {
            return Err(BadgeError::NoSuchLesson { name, number, lessons });
        }
        badges.push(AuthorBadge { name, earned_by });
    }
    Ok(badges)
}

/// `ukończenie`, `bezbłędnie`, `wynik 90` (also `wynik >= 90%`) or `lekcja 2`, in Polish with
/// or without diacritics, or in English.
pub fn parse_badge_rule(text: &str) -> Option<BadgeRule> {
    let folded: String = text.trim().to_lowercase().chars().map(fold).collect();
    match folded.as_str() {
        "ukonczenie" | "ukonczony" | "ukonczenie kursu" | "finished" | "completed" => {
            return Some(BadgeRule::Finished);
        }
        "bezblednie" | "perfect" | "100%" => return Some(BadgeRule::Perfect),
        _ => {}
    }
    let (word, rest) = folded.split_once(char::is_whitespace)?;
    let number = rest.trim().trim_start_matches(['>', '=', '≥', ' ']).trim_end_matches([' ', '%']);
    match word {
        "wynik" | "score" => match number.parse::<u8>() {
            Ok(100) => Some(BadgeRule::Perfect),
            Ok(n @ 1..=99) => Some(BadgeRule::Score(n)),
            _ => None,
        },
        "lekcja" | "lesson" => match number.parse::<usize>() {
            Ok(n) if n >= 1 => Some(BadgeRule::Lesson(n)),
            _ => None,
        },
        _ => None,
    }
}

fn fold(c: char) -> char {
    match c {
        'ą' => 'a',
        'ć' => 'c',
        'ę' => 'e',
        'ł' => 'l',
        'ń' => 'n',
        'ó' => 'o',
        'ś' => 's',
        'ź' | 'ż' => 'z',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_in_polish_with_and_without_diacritics_and_in_english() {
        let cases = [
            ("ukończenie", Some(BadgeRule::Finished)),
            ("Ukonczenie", Some(BadgeRule::Finished)),
            ("finished", Some(BadgeRule::Finished)),
            ("bezbłędnie", Some(BadgeRule::Perfect)),
            ("BEZBLEDNIE", Some(BadgeRule::Perfect)),
            ("wynik 90", Some(BadgeRule::Score(90))),
            ("wynik >= 80%", Some(BadgeRule::Score(80))),
            ("score ≥ 75", Some(BadgeRule::Score(75))),
            ("wynik 100", Some(BadgeRule::Perfect)),
            ("lekcja 2", Some(BadgeRule::Lesson(2))),
            ("lesson 1", Some(BadgeRule::Lesson(1))),
            ("wynik 0", None),
            ("wynik 101", None),
            ("lekcja 0", None),
            ("lekcja druga", None),
            ("zawsze", None),
            ("", None),
        ];
        for (text, rule) in cases {
            assert_eq!(parse_badge_rule(text), rule, "{text:?}");
        }
    }

    fn completed(score: Option<f64>, passed: bool) -> Delivery {
        Delivery::Completed { score, passed }
    }

    #[test]
    fn each_rule_is_earned_only_by_what_it_names() {
        assert!(BadgeRule::Finished.earned_by(&completed(None, true)));
        assert!(!BadgeRule::Finished.earned_by(&completed(Some(0.9), false)));
        assert!(BadgeRule::Perfect.earned_by(&completed(Some(1.0), true)));
        assert!(
            BadgeRule::Perfect.earned_by(&completed(Some(0.9999), true)),
            "rounded as the learner sees it"
        );
        assert!(!BadgeRule::Perfect.earned_by(&completed(Some(0.98), true)));
        assert!(BadgeRule::Score(90).earned_by(&completed(Some(0.9), true)));
        assert!(!BadgeRule::Score(90).earned_by(&completed(Some(0.89), true)));
        assert!(!BadgeRule::Score(90).earned_by(&completed(None, true)));
        let lesson = |number| Delivery::Lesson {
            title: String::new(),
            body: String::new(),
            attachments: Vec::new(),
            number,
            total: 3,
        };
        assert!(BadgeRule::Lesson(2).earned_by(&lesson(2)));
        assert!(!BadgeRule::Lesson(2).earned_by(&lesson(3)));
        assert!(!BadgeRule::Lesson(2).earned_by(&completed(None, true)));
        assert!(BadgeRule::Lesson(1).earned_before(1) && BadgeRule::Lesson(1).earned_before(3));
        assert!(!BadgeRule::Lesson(2).earned_before(1) && !BadgeRule::Finished.earned_before(9));
    }

    fn raw(name: &str, when: &str) -> RawBadge {
        RawBadge { name: name.to_owned(), when: when.to_owned() }
    }

    #[test]
    fn badges_are_checked_against_the_course() {
        let fine = check_badges(vec![raw(" Strażnik danych ", "bezbłędnie"), raw("Start", "lekcja 2")], 2, 1);
        assert_eq!(
            fine.unwrap(),
            [
                AuthorBadge { name: "Strażnik danych".into(), earned_by: BadgeRule::Perfect },
                AuthorBadge { name: "Start".into(), earned_by: BadgeRule::Lesson(2) },
            ]
        );
        let cases = [
            (vec![raw("", "ukończenie")], BadgeError::BadName(String::new())),
            (vec![raw(&"ż".repeat(61), "ukończenie")], BadgeError::BadName("ż".repeat(61))),
            (vec![raw("A", "ukończenie"), raw("a", "lekcja 1")], BadgeError::SameName("a".into())),
            (vec![raw("A", "kiedyś")], BadgeError::BadRule("kiedyś".into())),
            (
                vec![raw("A", "lekcja 3")],
                BadgeError::NoSuchLesson { name: "A".into(), number: 3, lessons: 2 },
            ),
            ((0..21).map(|n| raw(&format!("B{n}"), "ukończenie")).collect(), BadgeError::TooMany(21)),
        ];
        for (badges, error) in cases {
            assert_eq!(check_badges(badges, 2, 1).unwrap_err(), error);
        }
        assert_eq!(
            check_badges(vec![raw("A", "wynik 90")], 2, 0).unwrap_err(),
            BadgeError::NoQuiz("A".into())
        );
    }
}
