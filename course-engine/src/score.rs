//! Grading a learner's answer to a GIFT question, with the feedback to show at once.

use crate::gift::{Answer, Question, QuestionKind};

/// What a learner answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// The answers chosen in a poll, by their place in the question (from 0).
    Chosen(Vec<usize>),
    TrueFalse(bool),
    /// A typed answer: a short answer, or a number ("3,14" as well as "3.14").
    Typed(String),
    /// For a matching question: for each left item (by place), the right item chosen.
    Matched(Vec<Option<usize>>),
}

/// The grade of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Graded {
    /// The share of the question's points, from 0 to 1.
    pub fraction: f64,
    /// The feedback of the answers given, then the question's general feedback.
    pub feedback: Vec<String>,
}

impl Graded {
    pub fn is_right(&self) -> bool {
        self.fraction >= 1.0 - 1e-9
    }
}

/// Grades the options chosen in a question's poll, by their place from 0 (a true-false poll
/// offers "Prawda" first).
pub fn grade_choices(question: &Question, choices: &[usize]) -> Option<Graded> {
    let response = match &question.kind {
        QuestionKind::TrueFalse { .. } => Response::TrueFalse(choices.first() == Some(&0)),
        _ => Response::Chosen(choices.to_vec()),
    };
    grade(question, &response)
}

/// The options of a poll question that earn points, as the poll shows them: for a review's
/// "the right answer was…".
pub fn right_options(question: &Question) -> Vec<String> {
    match &question.kind {
        QuestionKind::TrueFalse { answer: true, .. } => vec!["Prawda".to_owned()],
        QuestionKind::TrueFalse { answer: false, .. } => vec!["Fałsz".to_owned()],
        QuestionKind::Choice { answers, .. } => {
            answers.iter().filter(|a| a.weight > 0.0).map(|a| a.text.clone()).collect()
        }
        _ => Vec::new(),
    }
}

/// Grades an answer; none when the answer does not fit the question (a typed answer to a poll,
/// an essay, which a person reads).
pub fn grade(question: &Question, response: &Response) -> Option<Graded> {
    let (fraction, mut feedback) = match (&question.kind, response) {
        (QuestionKind::Choice { answers, multiple }, Response::Chosen(chosen)) => {
            choice(answers, *multiple, chosen)?
        }
        (QuestionKind::TrueFalse { answer, wrong_feedback, right_feedback }, Response::TrueFalse(given)) => {
            let right = answer == given;
            let feedback = if right { right_feedback } else { wrong_feedback };
            (if right { 1.0 } else { 0.0 }, feedback.iter().cloned().collect())
        }
        (QuestionKind::ShortAnswer { answers }, Response::Typed(text)) => short_answer(answers, text),
        (QuestionKind::Numerical { answers }, Response::Typed(text)) => {
            let given = parse_number(text)?;
            let best = answers
                .iter()
                .filter(|a| (given - a.value).abs() <= a.tolerance + 1e-9)
                .max_by(|a, b| a.weight.total_cmp(&b.weight));
            match best {
                Some(a) => ((a.weight / 100.0).clamp(0.0, 1.0), a.feedback.iter().cloned().collect()),
                None => (0.0, Vec::new()),
            }
        }
        (QuestionKind::Matching { pairs }, Response::Matched(matched)) => {
            if matched.len() != pairs.len() {
                return None;
            }
            let right = matched.iter().enumerate().filter(|(i, m)| **m == Some(*i)).count();
            (right as f64 / pairs.len() as f64, Vec::new())
        }
        _ => return None,
    };
    feedback.extend(question.general_feedback.iter().cloned());
    Some(Graded { fraction, feedback })
}

fn choice(answers: &[Answer], multiple: bool, chosen: &[usize]) -> Option<(f64, Vec<String>)> {
    if chosen.is_empty() || chosen.iter().any(|&i| i >= answers.len()) || (!multiple && chosen.len() > 1) {
        return None;
    }
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    let weight: f64 = chosen.iter().map(|&i| answers[i].weight).sum();
    let feedback = chosen.iter().filter_map(|&i| answers[i].feedback.clone()).collect();
    Some(((weight / 100.0).clamp(0.0, 1.0), feedback))
}

/// Case and spacing aside, as Moodle compares by default; `*` in an answer stands for any text.
fn short_answer(answers: &[Answer], text: &str) -> (f64, Vec<String>) {
    let given = tidy(text);
    let best = answers
        .iter()
        .filter(|a| wildcard_match(&tidy(&a.text), &given))
        .max_by(|a, b| a.weight.total_cmp(&b.weight));
    match best {
        Some(a) => ((a.weight / 100.0).clamp(0.0, 1.0), a.feedback.iter().cloned().collect()),
        None => (0.0, Vec::new()),
    }
}

fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first)
        || !text[first.len()..].ends_with(last)
        || text.len() < first.len() + last.len()
    {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// A number as people type it: "3,14", "3.14", " 7 ".
pub fn parse_number(text: &str) -> Option<f64> {
    text.trim().replace(',', ".").parse().ok().filter(|n: &f64| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gift::parse_gift;

    fn question(source: &str) -> Question {
        parse_gift(source).unwrap().remove(0)
    }

    #[test]
    fn choices_true_false_and_weights() {
        let q = question("Słoik? {=do szkła#Tak. ~do papieru#Nie. ####Szkło do szkła.}");
        let right = grade(&q, &Response::Chosen(vec![0])).unwrap();
        assert!(right.is_right());
        assert_eq!(right.feedback, ["Tak.", "Szkło do szkła."]);
        assert_eq!(grade(&q, &Response::Chosen(vec![1])).unwrap().fraction, 0.0);
        assert_eq!(grade(&q, &Response::Chosen(vec![0, 1])), None, "one answer only");
        assert_eq!(grade(&q, &Response::Chosen(vec![5])), None);
        assert_eq!(grade(&q, &Response::Typed("do szkła".into())), None);

        let bio = question("Bio? {~%50%skórki ~%50%fusy ~%-100%pieluchy}");
        assert!(grade(&bio, &Response::Chosen(vec![0, 1])).unwrap().is_right());
        assert_eq!(grade(&bio, &Response::Chosen(vec![0])).unwrap().fraction, 0.5);
        assert_eq!(grade(&bio, &Response::Chosen(vec![0, 2])).unwrap().fraction, 0.0);

        let tf = question("Z nakrętką? {F#Odkręcamy.#Dobrze.}");
        assert_eq!(grade(&tf, &Response::TrueFalse(true)).unwrap().feedback, ["Odkręcamy."]);
        assert!(grade(&tf, &Response::TrueFalse(false)).unwrap().is_right());
    }

    #[test]
    fn typed_answers_numbers_and_pairs() {
        let q = question("Pojemnik na szkło? {=zielony =*zielony pojemnik*}");
        assert!(grade(&q, &Response::Typed("  Zielony ".into())).unwrap().is_right());
        assert!(grade(&q, &Response::Typed("ten zielony   pojemnik chyba".into())).unwrap().is_right());
        assert!(!grade(&q, &Response::Typed("żółty".into())).unwrap().is_right());

        let pi = question("Pi? {#=%100%3.14:0.01 =%50%3:0.2}");
        assert!(grade(&pi, &Response::Typed("3,141".into())).unwrap().is_right());
        assert_eq!(grade(&pi, &Response::Typed("3.1".into())).unwrap().fraction, 0.5);
        assert_eq!(grade(&pi, &Response::Typed("4".into())).unwrap().fraction, 0.0);
        assert_eq!(grade(&pi, &Response::Typed("trzy".into())), None);

        let pairs = question("Połącz. {=szkło -> zielony =papier -> niebieski =metale -> żółty}");
        let graded = grade(&pairs, &Response::Matched(vec![Some(0), Some(2), Some(1)])).unwrap();
        assert!((graded.fraction - 1.0 / 3.0).abs() < 1e-9);
        assert_eq!(grade(&pairs, &Response::Matched(vec![Some(0)])), None);
        assert_eq!(grade(&question("Opisz. {}"), &Response::Typed("tekst".into())), None);
    }
}
