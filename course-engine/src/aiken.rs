//! Moodle's Aiken format: single-answer multiple-choice questions, one per paragraph.
//!
//! ```text
//! Gdzie wyrzucić słoik?
//! A. Do szkła
//! B) Do papieru
//! ANSWER: A
//! ```

use thiserror::Error;

use crate::gift::{Answer, MAX_SOURCE_BYTES, Question, QuestionKind};

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {kind}")]
pub struct AikenError {
    pub line: usize,
    pub kind: AikenErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AikenErrorKind {
    #[error("the file has {0} bytes; at most {max} are taken", max = MAX_SOURCE_BYTES)]
    TooLarge(usize),
    #[error("a question needs at least two options, \"A. …\" and \"B. …\"")]
    TooFewOptions,
    #[error("the question has no \"ANSWER: <letter>\" line")]
    NoAnswer,
    #[error("the answer {0:?} is none of the options' letters")]
    UnknownAnswer(String),
    #[error("{0:?} is neither an option (\"A. …\") nor the answer (\"ANSWER: A\")")]
    Unexpected(String),
}

/// Reads an Aiken question bank; the first error is returned, with its line.
pub fn parse_aiken(source: &str) -> Result<Vec<Question>, AikenError> {
    if source.len() > MAX_SOURCE_BYTES {
        return Err(AikenError { line: 1, kind: AikenErrorKind::TooLarge(source.len()) });
    }
    let mut questions = Vec::new();
    let mut lines = source.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).peekable();
    while let Some((line, text)) = lines.next() {
        if text.is_empty() {
            continue;
        }
        let mut options: Vec<(char, String)> = Vec::new();
        let answer = loop {
            let Some((at, next)) = lines.next() else {
                return Err(AikenError { line, kind: AikenErrorKind::NoAnswer });
            };
            if let Some(letter) = next.strip_prefix("ANSWER:") {
                break (at, letter.trim().to_uppercase());
            }
            match option(next) {
                Some(found) => options.push(found),
                None if next.is_empty() => return Err(AikenError { line, kind: AikenErrorKind::NoAnswer }),
                None => {
                    let shown = next.chars().take(60).collect();
                    return Err(AikenError { line: at, kind: AikenErrorKind::Unexpected(shown) });
                }
            }
        };
        if options.len() < 2 {
            return Err(AikenError { line, kind: AikenErrorKind::TooFewOptions });
        }
        let (at, letter) = answer;
        if !options.iter().any(|(l, _)| letter.chars().eq(std::iter::once(*l))) {
            return Err(AikenError { line: at, kind: AikenErrorKind::UnknownAnswer(letter) });
        }
        let answers = options
            .into_iter()
            .map(|(l, text)| {
                let weight = if letter.chars().eq(std::iter::once(l)) { 100.0 } else { 0.0 };
                Answer { text, weight, feedback: None }
            })
            .collect();
        questions.push(Question {
            title: None,
            text: text.to_owned(),
            kind: QuestionKind::Choice { answers, multiple: false },
            general_feedback: None,
            line,
        });
    }
    Ok(questions)
}

/// "A. text" or "A) text": the letter and the text.
fn option(line: &str) -> Option<(char, String)> {
    let mut chars = line.chars();
    let letter = chars.next().filter(char::is_ascii_uppercase)?;
    let rest = chars.as_str();
    let text = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") "))?;
    Some((letter, text.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_with_options_and_an_answer() {
        let bank = "Gdzie wyrzucić słoik?\nA. Do szkła\nB) Do papieru\nANSWER: A\n\nCzy pudełko po pizzy to papier?\nA. Tak\nB. Nie, to zmieszane\nANSWER: b\n";
        let questions = parse_aiken(bank).unwrap();
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[1].line, 6);
        let QuestionKind::Choice { answers, multiple: false } = &questions[1].kind else { panic!() };
        assert_eq!(answers[1].text, "Nie, to zmieszane");
        assert_eq!(answers.iter().map(|a| a.weight).collect::<Vec<_>>(), [0.0, 100.0]);
    }

    #[test]
    fn errors_name_their_line() {
        let cases = [
            ("Pytanie?\nA. Tak\nB. Nie\n", 1, AikenErrorKind::NoAnswer),
            ("Pytanie?\nA. Tak\nANSWER: A", 1, AikenErrorKind::TooFewOptions),
            ("Pytanie?\nA. Tak\nB. Nie\nANSWER: C", 4, AikenErrorKind::UnknownAnswer("C".into())),
            (
                "Pytanie?\nA. Tak\nto nie opcja\nANSWER: A",
                3,
                AikenErrorKind::Unexpected("to nie opcja".into()),
            ),
        ];
        for (source, line, kind) in cases {
            assert_eq!(parse_aiken(source), Err(AikenError { line, kind }), "{source:?}");
        }
    }
}
