//! The trainers' reports: `!wyniki` (completion and scores) and `!ankieta` (survey results),
//! each as a short summary, a CSV file and a chart.

use chrono::{DateTime, Utc};
use ruma::{OwnedUserId, RoomId};
use szpon_course_engine::{Section, SurveyAnswer, SurveyItem, learner::LIKERT};

use crate::{
    Action, Lang,
    chart::BarChart,
    i18n::{message, message_with},
    learning::{CourseVersion, EnrolmentStatus},
};

/// What the store knows of a course's learners and surveys.
#[derive(Debug, Clone)]
pub struct CourseReport {
    /// The latest version, whose surveys are reported.
    pub course: CourseVersion,
    pub learners: Vec<LearnerResult>,
    /// The latest version's surveys, item by item.
    pub surveys: Vec<SurveyTally>,
    /// The answers of surveys that are not anonymous, by person.
    pub named_answers: Vec<(OwnedUserId, usize, Vec<SurveyAnswer>)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearnerResult {
    pub user_id: OwnedUserId,
    pub version: i64,
    pub status: EnrolmentStatus,
    /// The score of a finished course with quizzes, in thousandths.
    pub score: Option<u32>,
    pub enrolled_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One survey item's answers: counts per option, and the texts given (sorted, for anonymity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTally {
    pub section: usize,
    pub item: usize,
    pub counts: Vec<u32>,
    pub texts: Vec<String>,
}

/// `!wyniki`: the summary, then the CSV and the score histogram.
pub fn results(report: &CourseReport, room: &RoomId, lang: Lang) -> (String, Vec<Action>) {
    let count = |status| report.learners.iter().filter(|l| l.status == status).count();
    let scores: Vec<u32> = report.learners.iter().filter_map(|l| l.score).collect();
    let pass = u32::from(report.course.course.completion.pass_score) * 10;
    let average =
        if scores.is_empty() { -1 } else { i64::from(scores.iter().sum::<u32>() / scores.len() as u32 / 10) };
    let summary = message_with(
        lang,
        "courses-results",
        &[
            ("title", report.course.course.title.clone().into()),
            ("enrolled", report.learners.len().into()),
            ("active", count(EnrolmentStatus::Active).into()),
            ("finished", count(EnrolmentStatus::Finished).into()),
            ("left", count(EnrolmentStatus::Left).into()),
            ("passed", scores.iter().filter(|s| **s >= pass).count().into()),
            ("average", average.into()),
        ],
    );
    let mut csv = String::from("user_id,version,status,score_percent,enrolled_at,finished_at\n");
    for learner in &report.learners {
        csv.push_str(&csv_row(&[
            learner.user_id.as_str(),
            &learner.version.to_string(),
            learner.status.as_str(),
            &learner.score.map(|s| format!("{:.1}", f64::from(s) / 10.0)).unwrap_or_default(),
            &learner.enrolled_at.to_rfc3339(),
            &learner.finished_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
        ]));
    }
    let mut bars: Vec<(String, u32)> = (0..10).map(|d| (format!("{}–{}%", d * 10, d * 10 + 10), 0)).collect();
    for score in &scores {
        bars[(*score / 100).min(9) as usize].1 += 1;
    }
    let chart = BarChart {
        title: message_with(
            lang,
            "courses-score-chart",
            &[("title", report.course.course.title.clone().into())],
        ),
        count_label: message(lang, "courses-learners-label"),
        bars,
    };
    let file = file_action(room, &report.course.course.id, "wyniki", csv);
    let caption = message(lang, "courses-score-chart-caption");
    (summary, vec![file, Action::SendBarChart { room_id: room.to_owned(), chart, caption }])
}

/// `!ankieta`: each item's answers, then the CSV and a chart of the first item with options.
pub fn survey_results(report: &CourseReport, room: &RoomId, lang: Lang) -> (String, Vec<Action>) {
    let course = &report.course.course;
    let mut lines =
        vec![message_with(lang, "courses-survey-results", &[("title", course.title.clone().into())])];
    let mut csv = String::from("section,item,question,answer,count\n");
    let mut chart = None;
    for (section, section_index) in course.sections.iter().zip(0..) {
        let Section::Survey { items, anonymous, title, .. } = section else { continue };
        let mode = if *anonymous { message(lang, "courses-anonymous") } else { String::new() };
        lines.push(format!("\n{title}{mode}"));
        for (item, item_index) in items.iter().zip(0..) {
            let tally = report.surveys.iter().find(|t| t.section == section_index && t.item == item_index);
            let (question, options) = item_options(item);
            lines.push(format!("{}. {question}", item_index + 1));
            for (option, option_index) in options.iter().zip(0..) {
                let n = tally.and_then(|t| t.counts.get(option_index)).copied().unwrap_or(0);
                lines.push(format!("   {option}: {n}"));
                csv.push_str(&csv_row(&[
                    &(section_index + 1).to_string(),
                    &(item_index + 1).to_string(),
                    &question,
                    option,
                    &n.to_string(),
                ]));
            }
            for text in tally.map(|t| t.texts.as_slice()).unwrap_or_default() {
                lines.push(format!("   „{text}”"));
                csv.push_str(&csv_row(&[
                    &(section_index + 1).to_string(),
                    &(item_index + 1).to_string(),
                    &question,
                    text,
                    "1",
                ]));
            }
            if chart.is_none() && !options.is_empty() {
                let bars = options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| (o.clone(), tally.and_then(|t| t.counts.get(i)).copied().unwrap_or(0)))
                    .collect();
                chart = Some(BarChart {
                    title: question.clone(),
                    count_label: message(lang, "courses-answers-label"),
                    bars,
                });
            }
        }
    }
    if lines.len() == 1 {
        return (message(lang, "courses-no-surveys"), Vec::new());
    }
    let mut actions = vec![file_action(room, &course.id, "ankieta", csv)];
    if let Some(chart) = chart {
        let caption = message(lang, "courses-survey-chart-caption");
        actions.push(Action::SendBarChart { room_id: room.to_owned(), chart, caption });
    }
    (lines.join("\n"), actions)
}

fn item_options(item: &SurveyItem) -> (String, Vec<String>) {
    match item {
        SurveyItem::Likert { statement } => {
            (statement.clone(), LIKERT.iter().map(|s| (*s).to_owned()).collect())
        }
        SurveyItem::Choice { question, options } => (question.clone(), options.clone()),
        SurveyItem::FreeText { question } => (question.clone(), Vec::new()),
    }
}

fn file_action(room: &RoomId, course_id: &str, what: &str, text: String) -> Action {
    Action::SendFile {
        room_id: room.to_owned(),
        name: format!("{what}-{course_id}.csv"),
        mime: "text/csv".to_owned(),
        text,
    }
}

/// A CSV row, every field escaped: quoted where it needs it, and a leading "=", "+", "-", "@",
/// tab or carriage return defused, so that a spreadsheet never runs a field (a learner's text,
/// a user ID that starts with "@") as a formula.
fn csv_row(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            let f = if f.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                format!("'{f}")
            } else {
                (*f).to_owned()
            };
            if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f }
        })
        .collect();
    format!("{}\n", quoted.join(","))
}

#[cfg(test)]
mod tests {
    use super::csv_row;

    #[test]
    fn every_field_is_escaped_and_no_field_can_be_a_formula() {
        let row = csv_row(&["@jan,kowalski:gmina.pl", "=HYPERLINK(\"x\")", "\tcmd", "zwykły \"tekst\"", "3"]);
        assert_eq!(
            row,
            "\"'@jan,kowalski:gmina.pl\",\"'=HYPERLINK(\"\"x\"\")\",'\tcmd,\"zwykły \"\"tekst\"\"\",3\n"
        );
    }
}
