//! One learner's way through one course version, as a pure state machine: the learner (or the
//! pacing schedule) does something, and [`Progress::handle`] says what to deliver and how the
//! progress changes. Sections come one at a time; a quiz's and a survey's questions come one
//! after another as they are answered.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    course::{Course, Section, SurveyItem},
    gift::{Question, QuestionKind},
    score::{Graded, Response, grade, grade_choices, parse_number},
};

/// Where a learner stands in a course version. Kept by the store as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The section under way, or the next to deliver.
    pub section: usize,
    pub stage: Stage,
    /// Per quiz section: how many attempts were started.
    #[serde(default)]
    pub attempts: BTreeMap<usize, u32>,
    /// Per quiz section: the best score of its attempts, in thousandths.
    #[serde(default)]
    pub scores: BTreeMap<usize, u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// The section `Progress::section` comes with the next lesson time, or on "dalej".
    #[default]
    Ready,
    /// A quiz under way: `question` is the one asked last.
    Quiz { question: usize, answers: Vec<Option<QuizAnswer>> },
    /// A quiz failed with attempts left: "ponów" takes it again, "dalej" goes on.
    Failed,
    /// A survey under way; its answers are sent together after the last item. `polls` are the
    /// polls answered so far, to be ended with the survey.
    Survey {
        item: usize,
        answers: Vec<Option<SurveyAnswer>>,
        #[serde(default)]
        polls: Vec<String>,
    },
    /// Every section is done.
    Finished { passed: bool },
}

/// A quiz question's latest answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizAnswer {
    /// In thousandths of the question's points; none for an essay, which a person reads.
    pub permille: Option<u32>,
    /// The poll the answer came from, to be closed with the quiz.
    pub poll: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SurveyAnswer {
    /// From 1 ("zdecydowanie nie") to 5 ("zdecydowanie tak").
    Scale(u8),
    /// An option, by its place from 0.
    Choice(usize),
    Text(String),
}

/// What the learner did.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// "dalej", or a lesson time of the pacing schedule.
    Next,
    /// "ponów": a failed quiz again.
    Retry,
    /// Answers chosen in a poll about question (or survey item) `question` of `section`.
    Chosen { section: usize, question: usize, choices: Vec<usize>, poll: String },
    /// A message that may answer a typed question.
    Typed(&'a str),
}

/// How a question is answered.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    /// A native poll: the options, and how many may be chosen.
    Poll { options: Vec<String>, max_selections: usize },
    /// The learner's next message; `numeric` when a number is expected.
    Typed { numeric: bool },
    /// "1b 2a 3c": each left item with the letter of its right item.
    Matching { left: Vec<String>, right: Vec<String> },
}

/// Something to tell the learner.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Lesson {
        title: String,
        body: String,
        /// Sent after the text, in order.
        attachments: Vec<crate::Attachment>,
        number: usize,
        total: usize,
    },
    QuizStarted {
        title: String,
        questions: usize,
        attempt: u32,
        attempts: u32,
    },
    Question {
        section: usize,
        question: usize,
        number: usize,
        text: String,
        ask: Ask,
    },
    Feedback {
        graded: Graded,
    },
    /// A quiz's text that asks nothing (GIFT's description).
    Note {
        text: String,
    },
    /// An essay's answer, kept for a person to read.
    Received,
    QuizClosed {
        score: f64,
        pass_score: u8,
        passed: bool,
        attempts_left: u32,
        polls: Vec<String>,
    },
    SurveyStarted {
        title: String,
        items: usize,
        anonymous: bool,
    },
    SurveySent {
        section: usize,
        anonymous: bool,
        answers: Vec<SurveyAnswer>,
        /// The survey's polls, ended now that it is sent.
        polls: Vec<String>,
    },
    Completed {
        score: Option<f64>,
        passed: bool,
    },
    /// "dalej" while a question waits for its answer.
    AnswerFirst,
    /// The answer does not fit the question ("abc" for a number, "1x" for a matching).
    Unreadable {
        numeric: bool,
    },
    /// A vote on a quiz or survey that is no longer open.
    Closed,
    /// "ponów" with nothing to take again.
    NothingToRetry,
    /// "dalej" after the last section.
    NothingMore,
}

/// What [`Progress::handle`] decided: the progress after the event, and what to say. An event
/// that is not for the course (a message while no typed answer is awaited) gives `None`.
pub type Handled = Option<(Progress, Vec<Delivery>)>;

impl Progress {
    pub fn is_finished(&self) -> bool {
        matches!(self.stage, Stage::Finished { .. })
    }

    /// Whether the learner's next message answers a question.
    pub fn awaits_typed_answer(&self, course: &Course) -> bool {
        match (&self.stage, course.sections.get(self.section)) {
            (Stage::Quiz { question, .. }, Some(Section::Quiz { questions, .. })) => {
                questions.get(*question).is_some_and(|q| !matches!(ask(q), Ask::Poll { .. }))
            }
            (Stage::Survey { item, .. }, Some(Section::Survey { items, .. })) => {
                matches!(items.get(*item), Some(SurveyItem::FreeText { .. }))
            }
            _ => false,
        }
    }

    /// The overall score: the mean of each quiz's best attempt; none for a course without quizzes.
    pub fn score(&self, course: &Course) -> Option<f64> {
        let quizzes: Vec<usize> = quiz_sections(course).collect();
        if quizzes.is_empty() {
            return None;
        }
        let total: u32 = quizzes.iter().map(|s| self.scores.get(s).copied().unwrap_or(0)).sum();
        Some(f64::from(total) / 1000.0 / quizzes.len() as f64)
    }

    /// The same place in a newer version of the course: the section of the same title (the
    /// same place, if none has it), from its start; quiz scores follow their quizzes by title.
    pub fn migrated(&self, from: &Course, to: &Course) -> Progress {
        let place = |index: usize| {
            let old = from.sections.get(index).map(section_title);
            to.sections.iter().position(|s| Some(section_title(s)) == old)
        };
        if self.is_finished() {
            return Progress { section: to.sections.len(), ..self.clone() };
        }
        let section = place(self.section).unwrap_or(self.section.min(to.sections.len()));
        let moved = |map: &BTreeMap<usize, u32>| -> BTreeMap<usize, u32> {
            map.iter().filter_map(|(s, v)| Some((place(*s)?, *v))).collect()
        };
        let mut progress = Progress {
            section,
            stage: Stage::Ready,
            attempts: moved(&self.attempts),
            scores: moved(&self.scores),
        };
        if section >= to.sections.len() {
            progress.stage = Stage::Finished {
                passed: progress.score(to).is_none_or(|s| passes(s, to.completion.pass_score)),
            };
        }
        progress
    }

    /// How many of the course's lessons have come to the learner.
    pub fn lessons_read(&self, course: &Course) -> usize {
        course.sections.iter().take(self.section).filter(|s| matches!(s, Section::Lesson { .. })).count()
    }

    pub fn handle(&self, course: &Course, event: &Event<'_>) -> Handled {
        match event {
            Event::Next => Some(self.next(course)),
            Event::Retry => Some(self.retry(course)),
            Event::Chosen { section, question, choices, poll } => {
                Some(self.chosen(course, *section, *question, choices, poll))
            }
            Event::Typed(text) => self.typed(course, text),
        }
    }

    fn next(&self, course: &Course) -> (Progress, Vec<Delivery>) {
        match &self.stage {
            Stage::Finished { .. } => (self.clone(), vec![Delivery::NothingMore]),
            Stage::Quiz { .. } | Stage::Survey { .. } => (self.clone(), vec![Delivery::AnswerFirst]),
            Stage::Failed => self.moved_on(course, Vec::new()),
            Stage::Ready => self.deliver(course),
        }
    }

    /// Delivers the section `self.section`.
    fn deliver(&self, course: &Course) -> (Progress, Vec<Delivery>) {
        // Lessons are counted among lessons: a test and a survey are named for what they are.
        let is_lesson = |s: &&Section| matches!(s, Section::Lesson { .. });
        let total = course.sections.iter().filter(is_lesson).count();
        let number = course.sections.iter().take(self.section + 1).filter(is_lesson).count();
        match course.sections.get(self.section) {
            None => self.moved_on(course, Vec::new()),
            Some(Section::Lesson { title, body, attachments, .. }) => {
                let lesson = Delivery::Lesson {
                    title: title.clone(),
                    body: body.clone(),
                    attachments: attachments.clone(),
                    number,
                    total,
                };
                self.moved_on(course, vec![lesson])
            }
            Some(Section::Quiz { title, questions, .. }) => {
                let attempt = self.attempts.get(&self.section).copied().unwrap_or(0) + 1;
                let mut progress = self.clone();
                progress.attempts.insert(self.section, attempt);
                progress.stage = Stage::Quiz { question: 0, answers: vec![None; questions.len()] };
                let started = Delivery::QuizStarted {
                    title: title.clone(),
                    questions: questions.len(),
                    attempt,
                    attempts: course.completion.attempts,
                };
                progress.after_question(course, vec![started], 0)
            }
            Some(Section::Survey { title, items, anonymous, .. }) => {
                let mut progress = self.clone();
                progress.stage =
                    Stage::Survey { item: 0, answers: vec![None; items.len()], polls: Vec::new() };
                let started = Delivery::SurveyStarted {
                    title: title.clone(),
                    items: items.len(),
                    anonymous: *anonymous,
                };
                let first = survey_question(self.section, 0, &items[0]);
                (progress, vec![started, first])
            }
        }
    }

    /// The section after this one is next; after the last, the course is finished.
    fn moved_on(&self, course: &Course, mut said: Vec<Delivery>) -> (Progress, Vec<Delivery>) {
        let mut progress = self.clone();
        progress.section = self.section + 1;
        progress.stage = Stage::Ready;
        if progress.section >= course.sections.len() {
            let score = progress.score(course);
            let passed = score.is_none_or(|s| passes(s, course.completion.pass_score));
            progress.stage = Stage::Finished { passed };
            said.push(Delivery::Completed { score, passed });
        }
        (progress, said)
    }

    fn retry(&self, course: &Course) -> (Progress, Vec<Delivery>) {
        if self.stage != Stage::Failed {
            return (self.clone(), vec![Delivery::NothingToRetry]);
        }
        Progress { stage: Stage::Ready, ..self.clone() }.deliver(course)
    }

    fn chosen(
        &self,
        course: &Course,
        section: usize,
        question: usize,
        choices: &[usize],
        poll: &str,
    ) -> (Progress, Vec<Delivery>) {
        let open = section == self.section;
        match (&self.stage, course.sections.get(section)) {
            (Stage::Quiz { question: asked, answers }, Some(Section::Quiz { questions, .. }))
                if open && question <= *asked =>
            {
                let Some(q) = questions.get(question) else { return (self.clone(), vec![Delivery::Closed]) };
                let Some(graded) = grade_choices(q, choices) else {
                    return (self.clone(), vec![Delivery::Unreadable { numeric: false }]);
                };
                let mut answers = answers.clone();
                answers[question] = Some(QuizAnswer {
                    permille: Some(permille(graded.fraction)),
                    poll: Some(poll.to_owned()),
                });
                let progress = Progress { stage: Stage::Quiz { question: *asked, answers }, ..self.clone() };
                let feedback = vec![Delivery::Feedback { graded }];
                if question < *asked {
                    return (progress, feedback);
                }
                progress.after_question(course, feedback, question + 1)
            }
            (Stage::Survey { item: asked, answers, polls }, Some(Section::Survey { items, .. }))
                if open && question <= *asked =>
            {
                let answer = match (items.get(question), choices.first()) {
                    (Some(SurveyItem::Likert { .. }), Some(&c)) if c < 5 => SurveyAnswer::Scale(c as u8 + 1),
                    (Some(SurveyItem::Choice { options, .. }), Some(&c)) if c < options.len() => {
                        SurveyAnswer::Choice(c)
                    }
                    _ => return (self.clone(), vec![Delivery::Closed]),
                };
                let mut polls = polls.clone();
                if !polls.iter().any(|p| p == poll) {
                    polls.push(poll.to_owned());
                }
                self.survey_answered(course, *asked, (answers, polls), question, answer)
            }
            _ => (self.clone(), vec![Delivery::Closed]),
        }
    }

    fn typed(&self, course: &Course, text: &str) -> Handled {
        if !self.awaits_typed_answer(course) {
            return None;
        }
        match (&self.stage, course.sections.get(self.section)) {
            (Stage::Quiz { question, answers }, Some(Section::Quiz { questions, .. })) => {
                let q = &questions[*question];
                let response = match ask(q) {
                    Ask::Matching { left, .. } => match parse_matching(text, left.len()) {
                        Some(letters) => Response::Matched(shown_to_pairs(q, &letters)),
                        None => return Some((self.clone(), vec![Delivery::Unreadable { numeric: false }])),
                    },
                    Ask::Typed { numeric: true } if parse_number(text).is_none() => {
                        return Some((self.clone(), vec![Delivery::Unreadable { numeric: true }]));
                    }
                    _ => Response::Typed(text.trim().to_owned()),
                };
                let graded = grade(q, &response);
                let mut answers = answers.clone();
                answers[*question] =
                    Some(QuizAnswer { permille: graded.as_ref().map(|g| permille(g.fraction)), poll: None });
                let progress =
                    Progress { stage: Stage::Quiz { question: *question, answers }, ..self.clone() };
                let said = vec![graded.map_or(Delivery::Received, |graded| Delivery::Feedback { graded })];
                Some(progress.after_question(course, said, question + 1))
            }
            (Stage::Survey { item, answers, polls }, Some(Section::Survey { .. })) => {
                let answer = SurveyAnswer::Text(text.trim().chars().take(2000).collect());
                Some(self.survey_answered(course, *item, (answers, polls.clone()), *item, answer))
            }
            _ => None,
        }
    }

    /// Asks question `next` of the quiz under way, or closes the quiz after its last one.
    fn after_question(
        &self,
        course: &Course,
        mut said: Vec<Delivery>,
        next: usize,
    ) -> (Progress, Vec<Delivery>) {
        let (Stage::Quiz { answers, .. }, Some(Section::Quiz { questions, .. })) =
            (&self.stage, course.sections.get(self.section))
        else {
            return (self.clone(), said);
        };
        let mut progress = self.clone();
        // Descriptions are said, not answered.
        let mut next = next;
        while let Some(q) = questions.get(next).filter(|q| matches!(q.kind, QuestionKind::Description)) {
            said.push(Delivery::Note { text: q.text.clone() });
            next += 1;
        }
        if let Some(q) = questions.get(next) {
            progress.stage = Stage::Quiz { question: next, answers: answers.clone() };
            said.push(Delivery::Question {
                section: self.section,
                question: next,
                number: next + 1,
                text: q.text.clone(),
                ask: ask(q),
            });
            return (progress, said);
        }
        progress.close_quiz(course, questions, answers, said)
    }

    fn close_quiz(
        &self,
        course: &Course,
        questions: &[Question],
        answers: &[Option<QuizAnswer>],
        mut said: Vec<Delivery>,
    ) -> (Progress, Vec<Delivery>) {
        let graded: Vec<f64> = questions
            .iter()
            .zip(answers)
            .filter(|(q, _)| !matches!(q.kind, QuestionKind::Description | QuestionKind::Essay))
            .map(|(_, a)| f64::from(a.as_ref().and_then(|a| a.permille).unwrap_or(0)) / 1000.0)
            .collect();
        let score = if graded.is_empty() { 1.0 } else { graded.iter().sum::<f64>() / graded.len() as f64 };
        let mut progress = self.clone();
        let best = progress.scores.entry(self.section).or_insert(0);
        *best = (*best).max(permille(score));
        let pass_score = course.completion.pass_score;
        let passed = passes(score, pass_score);
        let used = self.attempts.get(&self.section).copied().unwrap_or(1);
        let attempts_left = if passed { 0 } else { course.completion.attempts.saturating_sub(used) };
        let polls = answers.iter().flatten().filter_map(|a| a.poll.clone()).collect();
        said.push(Delivery::QuizClosed { score, pass_score, passed, attempts_left, polls });
        if attempts_left > 0 {
            progress.stage = Stage::Failed;
            return (progress, said);
        }
        progress.moved_on(course, said)
    }

    fn survey_answered(
        &self,
        course: &Course,
        asked: usize,
        (answers, polls): (&[Option<SurveyAnswer>], Vec<String>),
        item: usize,
        answer: SurveyAnswer,
    ) -> (Progress, Vec<Delivery>) {
        let Some(Section::Survey { items, anonymous, .. }) = course.sections.get(self.section) else {
            return (self.clone(), vec![Delivery::Closed]);
        };
        let mut answers = answers.to_vec();
        answers[item] = Some(answer);
        if item < asked {
            let progress = Progress { stage: Stage::Survey { item: asked, answers, polls }, ..self.clone() };
            return (progress, Vec::new());
        }
        if let Some(next) = items.get(item + 1) {
            let progress =
                Progress { stage: Stage::Survey { item: item + 1, answers, polls }, ..self.clone() };
            return (progress, vec![survey_question(self.section, item + 1, next)]);
        }
        // The answers leave the learner's progress here: an anonymous survey's are kept only as
        // counts, with nothing that leads back to who gave them.
        let sent = Delivery::SurveySent {
            section: self.section,
            anonymous: *anonymous,
            answers: answers.into_iter().flatten().collect(),
            polls,
        };
        self.moved_on(course, vec![sent])
    }
}

fn permille(fraction: f64) -> u32 {
    (fraction.clamp(0.0, 1.0) * 1000.0).round() as u32
}

fn section_title(section: &Section) -> &str {
    match section {
        Section::Lesson { title, .. } | Section::Quiz { title, .. } | Section::Survey { title, .. } => title,
    }
}

fn passes(score: f64, pass_score: u8) -> bool {
    score * 100.0 + 1e-9 >= f64::from(pass_score)
}

fn quiz_sections(course: &Course) -> impl Iterator<Item = usize> + '_ {
    course.sections.iter().enumerate().filter(|(_, s)| matches!(s, Section::Quiz { .. })).map(|(i, _)| i)
}

/// How a quiz question is answered.
pub fn ask(question: &Question) -> Ask {
    match &question.kind {
        QuestionKind::TrueFalse { .. } => {
            Ask::Poll { options: vec!["Prawda".into(), "Fałsz".into()], max_selections: 1 }
        }
        QuestionKind::Choice { answers, multiple } => Ask::Poll {
            options: answers.iter().map(|a| a.text.clone()).collect(),
            max_selections: if *multiple { answers.len() } else { 1 },
        },
        QuestionKind::Numerical { .. } => Ask::Typed { numeric: true },
        QuestionKind::Matching { pairs } => Ask::Matching {
            left: pairs.iter().map(|(l, _)| l.clone()).collect(),
            right: matching_order(pairs).into_iter().map(|i| pairs[i].1.clone()).collect(),
        },
        QuestionKind::ShortAnswer { .. } | QuestionKind::Essay | QuestionKind::Description => {
            Ask::Typed { numeric: false }
        }
    }
}

/// The five steps of a Likert item, as polls show them.
pub const LIKERT: [&str; 5] =
    ["zdecydowanie nie", "raczej nie", "trudno powiedzieć", "raczej tak", "zdecydowanie tak"];

fn survey_question(section: usize, item: usize, survey_item: &SurveyItem) -> Delivery {
    let (text, ask) = match survey_item {
        SurveyItem::Likert { statement } => (
            statement.clone(),
            Ask::Poll { options: LIKERT.iter().map(|s| (*s).to_owned()).collect(), max_selections: 1 },
        ),
        SurveyItem::Choice { question, options } => {
            (question.clone(), Ask::Poll { options: options.clone(), max_selections: 1 })
        }
        SurveyItem::FreeText { question } => (question.clone(), Ask::Typed { numeric: false }),
    };
    Delivery::Question { section, question: item, number: item + 1, text, ask }
}

/// The right-hand items in the order they are shown: alphabetical, so that the pairs' own order
/// gives nothing away, and the same every time (the course engine draws no randomness).
fn matching_order(pairs: &[(String, String)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by(|a, b| pairs[*a].1.to_lowercase().cmp(&pairs[*b].1.to_lowercase()));
    order
}

/// Letters as shown, as the pairs' own places.
fn shown_to_pairs(question: &Question, letters: &[Option<usize>]) -> Vec<Option<usize>> {
    let QuestionKind::Matching { pairs } = &question.kind else { return Vec::new() };
    let order = matching_order(pairs);
    letters.iter().map(|l| l.and_then(|l| order.get(l).copied())).collect()
}

/// "1b 2a 3c", "1-b, 2-a, 3-c" or "b a c": the letter chosen for each left item.
fn parse_matching(text: &str, count: usize) -> Option<Vec<Option<usize>>> {
    let letters: Vec<char> = text
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '.' || c == ')'))
        .map(|w| {
            let mut chars = w.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii_lowercase() => Some(c),
                _ => None,
            }
        })
        .collect::<Option<_>>()?;
    if letters.len() != count {
        return None;
    }
    letters
        .into_iter()
        .map(|c| {
            let index = (c as u8 - b'a') as usize;
            (index < count).then_some(Some(index))
        })
        .collect()
}

#[cfg(test)]
mod tests;
