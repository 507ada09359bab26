//! The learner's side of gamification: what a learning turn records, the check that follows it
//! (the standing worked out again from the events, each new badge announced once), and the
//! commands `!postępy` and `!ranking`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedUserId, UserId};
use serde::{Deserialize, Serialize};
use szpon_course_engine::{Course, Delivery, Event, Progress, Stage};

use super::{Activity, Badge, Entry, Recorded, Rules, Standing, Visibility, leaderboard};
use crate::{
    Action, Effect, Job, Lang, Notice,
    i18n::{message, message_with},
    learning::DirectMessage,
};

/// What the store keeps of gamification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum GamificationChange {
    /// A learning event, kept once by its key.
    Record { user_id: OwnedUserId, recorded: Recorded },
    /// The learner's standing as the events make it now, and the badges it brought, each kept
    /// once: a badge already kept makes the whole change fail, so it is never announced twice.
    Standing { user_id: OwnedUserId, summary: StandingSummary, new_badges: Vec<Badge>, at: DateTime<Utc> },
    /// `!ranking ukryj` or `!ranking pokaż`.
    Visibility { user_id: OwnedUserId, visibility: Visibility },
}

/// What a leaderboard and `!postępy` read without working the standing out again.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StandingSummary {
    pub xp: u32,
    pub streak_days: u32,
    pub last_day: Option<NaiveDate>,
    /// Clerks, trainers and support agents appear on leaderboards unless they opt out.
    pub staff: bool,
    /// XP by course, for the courses' leaderboards.
    #[serde(default)]
    pub courses: BTreeMap<String, u32>,
}

/// Gamification's work for later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GamificationJob {
    /// A learner's standing worked out again after `after` (a recorded event's key).
    #[serde(rename = "learning_standing")]
    Standing { user_id: OwnedUserId, after: String },
    /// The evening of `day`: a reminder to each learner whose streak ends tonight without learning.
    #[serde(rename = "streak_reminders")]
    StreakReminders { day: NaiveDate },
    /// Monday `monday`'s summaries of the week before.
    #[serde(rename = "weekly_summaries")]
    WeeklySummaries { monday: NaiveDate },
}

impl GamificationJob {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self) -> String {
        match self {
            GamificationJob::Standing { user_id, after } => format!("standing:{user_id}:{after}"),
            GamificationJob::StreakReminders { day } => format!("streak-reminders:{day}"),
            GamificationJob::WeeklySummaries { monday } => format!("weekly-summaries:{monday}"),
        }
    }
}

/// When the evening reminder goes out, in the office's time zone: late enough that the day's
/// learning is likely done, early enough to still take a lesson.
pub const REMINDER_HOUR: u32 = 19;

/// The next evening's reminders' job after `now`: tonight's, if its hour has not come yet.
pub fn next_streak_reminders_job(now: DateTime<Utc>, zone: chrono_tz::Tz) -> Option<Effect> {
    crate::calendar::next_day_at_hour(now, REMINDER_HOUR, zone).map(|day| streak_reminders_job(day, zone))
}

/// The evening reminders' job for `day`.
pub fn streak_reminders_job(day: NaiveDate, zone: chrono_tz::Tz) -> Effect {
    let due = crate::calendar::day_at_hour(day, REMINDER_HOUR, zone);
    Effect::Schedule { job: Job::Gamification(GamificationJob::StreakReminders { day }), due }
}

/// The evening of `day`: a reminder to each learner whose streak ends tonight unless they learn
/// today (with no freeze left to bridge the day), and tomorrow evening's job. A day gone by
/// (szpon was down, or its clock moved on) reminds no one: its streaks have ended or gone on.
pub fn streak_reminders(
    learners: &[(OwnedUserId, LearnerRecord)],
    day: NaiveDate,
    rules: &Rules,
    now: DateTime<Utc>,
) -> (Vec<Action>, Vec<Effect>) {
    if day < now.with_timezone(&rules.zone).date_naive() {
        return (Vec::new(), next_streak_reminders_job(now, rules.zone).into_iter().collect());
    }
    let Some(tomorrow) = day.succ_opt() else { return (Vec::new(), Vec::new()) };
    let actions = learners
        .iter()
        .filter_map(|(user_id, record)| {
            let streak = Standing::from_events(&record.events, rules).streak;
            let today = streak.on(day);
            let ends_tonight = today.days > 0 && today.last_day != Some(day) && streak.on(tomorrow).days == 0;
            ends_tonight.then(|| {
                let days = FluentValue::from(today.days);
                let text = message_with(record.lang, "gamification-streak-reminder", &[("days", days)]);
                Action::Direct {
                    user_id: user_id.clone(),
                    message: DirectMessage::Notice(Notice::from_plain(text)),
                }
            })
        })
        .collect();
    (actions, vec![streak_reminders_job(tomorrow, rules.zone)])
}

/// A learner's record, as the store keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LearnerRecord {
    pub events: Vec<Recorded>,
    pub awarded: BTreeSet<Badge>,
    pub lang: Lang,
}

/// What happened in one learner turn of a course that counts: the lessons read, the questions
/// answered right and the course finished, each with a key that names it, so that a vote seen
/// again or a quiz taken again counts once. `before` is the progress the turn started from.
pub fn learned(
    learner: &UserId,
    course: &Course,
    before: &Progress,
    event: &Event<'_>,
    said: &[Delivery],
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let course_id = course.id.as_str();
    let mut recorded: Vec<Recorded> = author_badges_earned(course, before, said, now).collect();
    for delivery in said {
        let (key, activity) = match delivery {
            Delivery::Lesson { number, .. } => {
                (format!("lesson:{course_id}:{number}"), Activity::Lesson { course_id: course_id.to_owned() })
            }
            Delivery::Feedback { graded } if graded.is_right() => {
                let Some((section, question)) = answered(before, event) else { continue };
                (
                    format!("answer:{course_id}:{section}:{question}"),
                    Activity::RightAnswer { course_id: course_id.to_owned() },
                )
            }
            Delivery::Completed { score, passed: true } => {
                let score = score.map(|s| (s * 100.0).round().clamp(0.0, 100.0) as u8);
                (
                    format!("finished:{course_id}"),
                    Activity::CourseFinished {
                        course_id: course_id.to_owned(),
                        score,
                        title: course.title.clone(),
                    },
                )
            }
            _ => continue,
        };
        recorded.push(Recorded { key, at: now, activity });
    }
    let Some(last) = recorded.last().map(|r| r.key.clone()) else { return Vec::new() };
    let mut effects: Vec<Effect> = recorded
        .into_iter()
        .map(|recorded| {
            Effect::Gamification(GamificationChange::Record { user_id: learner.to_owned(), recorded })
        })
        .collect();
    let job = GamificationJob::Standing {
        user_id: learner.to_owned(),
        after: format!("{}:{last}", now.timestamp_millis()),
    };
    effects.push(Effect::Schedule { job: Job::Gamification(job), due: now });
    effects
}

/// The course's own badges this turn earns, by what it said or by the lessons that came before
/// it, each recorded once by its name.
fn author_badges_earned<'a>(
    course: &'a Course,
    before: &Progress,
    said: &'a [Delivery],
    now: DateTime<Utc>,
) -> impl Iterator<Item = Recorded> + 'a {
    let lessons_read = before.lessons_read(course);
    let earned = move |rule: szpon_course_engine::BadgeRule| {
        rule.earned_before(lessons_read) || said.iter().any(|delivery| rule.earned_by(delivery))
    };
    course.badges.iter().filter(move |badge| earned(badge.earned_by)).map(move |badge| Recorded {
        key: format!("badge:{}:{}", course.id, badge.name),
        at: now,
        activity: Activity::AuthorBadge { course_id: course.id.clone(), badge: badge.name.clone() },
    })
}

/// The question an answer was for: named by the poll, or the one the quiz asked last.
fn answered(before: &Progress, event: &Event<'_>) -> Option<(usize, usize)> {
    match (event, &before.stage) {
        (Event::Chosen { section, question, .. }, _) => Some((*section, *question)),
        (Event::Typed(_), Stage::Quiz { question, .. }) => Some((before.section, *question)),
        _ => None,
    }
}

/// After learning was recorded: the standing worked out again, kept for leaderboards, and a
/// short, glad message for each badge not awarded before.
pub fn standing_check(
    user_id: &UserId,
    record: &LearnerRecord,
    staff: bool,
    rules: &Rules,
    now: DateTime<Utc>,
) -> (Vec<Action>, GamificationChange) {
    let standing = Standing::from_events(&record.events, rules);
    let new_badges: Vec<Badge> = standing.new_badges(&record.awarded).cloned().collect();
    let actions = (!new_badges.is_empty())
        .then(|| {
            let text = badges_awarded(&new_badges, &standing, rules, record);
            Action::Direct {
                user_id: user_id.to_owned(),
                message: DirectMessage::Notice(Notice::from_plain(text)),
            }
        })
        .into_iter()
        .collect();
    let today = now.with_timezone(&rules.zone).date_naive();
    let streak = standing.streak.on(today);
    let summary = StandingSummary {
        xp: standing.xp,
        streak_days: streak.days,
        last_day: streak.last_day,
        staff,
        courses: standing.xp_by_course,
    };
    (actions, GamificationChange::Standing { user_id: user_id.to_owned(), summary, new_badges, at: now })
}

/// One glad message for the badges a turn brought.
fn badges_awarded(badges: &[Badge], standing: &Standing, rules: &Rules, record: &LearnerRecord) -> String {
    let lang = record.lang;
    let level = rules.levels.get(standing.level).map(|(_, name)| name.clone()).unwrap_or_default();
    let (open, close) = match lang {
        Lang::En => ("“", "”"),
        _ => ("„", "”"),
    };
    let names: Vec<String> =
        badges.iter().map(|badge| format!("{open}{}{close}", badge_name(badge, record))).collect();
    message_with(
        lang,
        "gamification-badge-awarded",
        &[
            ("count", FluentValue::from(names.len())),
            ("badges", listed(lang, &names).into()),
            ("xp", FluentValue::from(standing.xp)),
            ("level", level.into()),
        ],
    )
}

fn badge_name(badge: &Badge, record: &LearnerRecord) -> String {
    let lang = record.lang;
    match badge {
        Badge::FirstCourse => message(lang, "gamification-badge-first-course"),
        Badge::PerfectScore { course_id } => message_with(
            lang,
            "gamification-badge-perfect",
            &[("course", course_title(record, course_id).into())],
        ),
        Badge::Streak7 => message(lang, "gamification-badge-streak7"),
        Badge::Streak30 => message(lang, "gamification-badge-streak30"),
        Badge::Author { badge, .. } => badge.clone(),
    }
}

/// "A, B i C" in Polish, "A, B and C" in English.
fn listed(lang: Lang, names: &[String]) -> String {
    joined(names, if lang == Lang::En { " and " } else { " i " })
}

/// "A, B czy C" in Polish, "A, B or C" in English.
fn alternatives(lang: Lang, names: &[String]) -> String {
    joined(names, if lang == Lang::En { " or " } else { " czy " })
}

fn joined(names: &[String], last_joint: &str) -> String {
    let and = last_joint;
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A course's title as the learner finished it, or its short name.
fn course_title(record: &LearnerRecord, course_id: &str) -> String {
    record
        .events
        .iter()
        .find_map(|event| match &event.activity {
            Activity::CourseFinished { course_id: id, title, .. } if id == course_id && !title.is_empty() => {
                Some(title.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| course_id.to_owned())
}

/// `!postępy` and `!ranking`, with its `ukryj` and `pokaż`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressCommand {
    /// The learner's own XP, level, streak and badges.
    Mine,
    /// A leaderboard.
    Ranking(Board),
    /// Appear on leaderboards, or not.
    SetVisibility(Visibility),
    /// `!ranking` with something it does not know.
    RankingUsage,
}

/// Which leaderboard `!ranking` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Board {
    /// Everyone's in the office, by all their XP.
    Office,
    /// The writer's department's, as the office's directory says, by all their XP.
    Department,
    /// A course's, by the XP its own learning brought; the course as the writer named it.
    Course(String),
}

pub fn parse_progress_command(text: &str) -> Option<ProgressCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let (name, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    match szpon_nlp::fold_diacritics(&name.to_lowercase()).as_str() {
        "postepy" | "postep" | "progress" | "xp" => Some(ProgressCommand::Mine),
        "ranking" | "leaderboard" => {
            Some(match szpon_nlp::fold_diacritics(&arguments.trim().to_lowercase()).as_str() {
                "" | "urzad" | "urzedu" | "office" => ProgressCommand::Ranking(Board::Office),
                "wydzial" | "wydzialu" | "moj wydzial" | "dzial" | "department" => {
                    ProgressCommand::Ranking(Board::Department)
                }
                "pomoc" | "help" | "?" => ProgressCommand::RankingUsage,
                "ukryj" | "ukryj mnie" | "hide" | "hide me" => {
                    ProgressCommand::SetVisibility(Visibility::Hidden)
                }
                "pokaz" | "pokaz mnie" | "show" | "show me" => {
                    ProgressCommand::SetVisibility(Visibility::Shown)
                }
                _ => ProgressCommand::Ranking(Board::Course(course_named(arguments))),
            })
        }
        _ => None,
    }
}

/// A course's short name as written after `!ranking`: "rodo", "„rodo”" or "kurs rodo".
fn course_named(arguments: &str) -> String {
    let name = arguments.trim().trim_matches(['„', '”', '"', '“', '\'', '<', '>']);
    let name = name.strip_prefix("kurs ").or_else(|| name.strip_prefix("course ")).unwrap_or(name);
    name.trim().to_lowercase()
}

/// What `!postępy` and `!ranking` read: the writer's record and place, and the top of the
/// board asked for (only those who may be shown, best first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgressView {
    pub record: LearnerRecord,
    pub visibility: Option<Visibility>,
    pub top: Vec<Entry<OwnedUserId>>,
    /// Learners shown on the board with more XP than the writer.
    pub ahead: u64,
    /// What the board is of: the course's title, or the writer's department. None for a course
    /// the office does not have, or a writer the directory has no department for.
    pub board_name: Option<String>,
    /// The course of a course's board, as the office names it.
    pub board_course: Option<String>,
    /// The courses that fit what the writer named about as well, each its ID and title.
    pub course_candidates: Vec<(String, String)>,
}

/// How many lines `!ranking` shows.
pub const RANKING_LIMIT: usize = 10;

/// One `!postępy` or `!ranking` turn.
pub struct ProgressDesk<'a> {
    pub sender: &'a UserId,
    pub staff: bool,
    pub direct: bool,
    pub view: &'a ProgressView,
    pub rules: &'a Rules,
    pub now: DateTime<Utc>,
    pub lang: Lang,
}

impl ProgressDesk<'_> {
    /// The answer, and the change to keep, if any.
    pub fn handle(&self, command: &ProgressCommand) -> (String, Option<GamificationChange>) {
        match command {
            ProgressCommand::Mine if !self.direct => {
                (message(self.lang, "gamification-mine-in-private"), None)
            }
            ProgressCommand::Mine => (self.mine(), None),
            ProgressCommand::Ranking(board) => (self.ranking(board), None),
            ProgressCommand::SetVisibility(visibility) => {
                let key = match visibility {
                    Visibility::Hidden => "gamification-hidden",
                    _ => "gamification-shown",
                };
                let change = GamificationChange::Visibility {
                    user_id: self.sender.to_owned(),
                    visibility: *visibility,
                };
                (message(self.lang, key), Some(change))
            }
            ProgressCommand::RankingUsage => (message(self.lang, "gamification-ranking-usage"), None),
        }
    }

    fn mine(&self) -> String {
        let standing = Standing::from_events(&self.view.record.events, self.rules);
        if standing.xp == 0 && standing.badges.is_empty() {
            return message(self.lang, "gamification-nothing-yet");
        }
        let today = self.now.with_timezone(&self.rules.zone).date_naive();
        let streak = standing.streak.on(today);
        let level = self.rules.levels.get(standing.level);
        let next = self.rules.levels.get(standing.level + 1);
        let mut lines = vec![message_with(
            self.lang,
            "gamification-mine",
            &[
                ("xp", FluentValue::from(standing.xp)),
                ("level", level.map(|(_, name)| name.clone()).unwrap_or_default().into()),
                ("week", FluentValue::from(standing.xp_in_week_of(today))),
            ],
        )];
        if let Some((from, name)) = next {
            lines.push(message_with(
                self.lang,
                "gamification-next-level",
                &[
                    ("missing", FluentValue::from(from.saturating_sub(standing.xp))),
                    ("level", name.clone().into()),
                ],
            ));
        }
        lines.push(self.streak_line(&streak, today));
        let mut badges: Vec<String> =
            standing.badges.iter().map(|b| badge_name(b, &self.view.record)).collect();
        badges.sort();
        if !badges.is_empty() {
            lines.push(message_with(
                self.lang,
                "gamification-badges",
                &[("badges", badges.join(", ").into())],
            ));
        }
        lines.join("\n")
    }

    fn streak_line(&self, streak: &super::Streak, today: NaiveDate) -> String {
        if streak.days == 0 {
            return message(self.lang, "gamification-no-streak");
        }
        let key = if streak.at_risk(today) { "gamification-streak-at-risk" } else { "gamification-streak" };
        message_with(
            self.lang,
            key,
            &[
                ("days", FluentValue::from(streak.days)),
                ("freeze", (if streak.freeze_ready { "yes" } else { "no" }).into()),
            ],
        )
    }

    fn ranking(&self, board: &Board) -> String {
        let named = self.view.board_name.clone().unwrap_or_default();
        let header = match (board, &self.view.board_name) {
            (Board::Office, _) => message(self.lang, "gamification-ranking-header"),
            (Board::Course(_), Some(_)) => {
                message_with(self.lang, "gamification-ranking-course-header", &[("course", named.into())])
            }
            (Board::Department, Some(_)) => message_with(
                self.lang,
                "gamification-ranking-department-header",
                &[("department", named.into())],
            ),
            (Board::Course(_), None) if !self.view.course_candidates.is_empty() => {
                let titles: Vec<String> = self
                    .view
                    .course_candidates
                    .iter()
                    .map(|(id, title)| format!("„{title}” ({id})"))
                    .collect();
                let example = self.view.course_candidates[0].0.clone();
                return message_with(
                    self.lang,
                    "gamification-ranking-which-course",
                    &[("courses", alternatives(self.lang, &titles).into()), ("example", example.into())],
                );
            }
            (Board::Course(asked), None) => {
                return message_with(
                    self.lang,
                    "gamification-ranking-no-course",
                    &[("course", asked.clone().into())],
                );
            }
            (Board::Department, None) => return message(self.lang, "gamification-ranking-no-department"),
        };
        let top = leaderboard(self.view.top.clone(), RANKING_LIMIT);
        if top.is_empty() {
            return message(self.lang, "gamification-ranking-empty");
        }
        let mut lines = vec![header];
        for (place, entry) in &top {
            lines.push(format!("{place}. {} — {} XP", entry.learner, entry.xp));
        }
        lines.push(self.own_place(board));
        lines.join("\n")
    }

    /// Where the writer stands, or how to appear.
    fn own_place(&self, board: &Board) -> String {
        let standing = Standing::from_events(&self.view.record.events, self.rules);
        let course = self.view.board_course.as_deref();
        let xp = match board {
            Board::Course(_) => course.and_then(|id| standing.xp_by_course.get(id)).copied().unwrap_or(0),
            Board::Office | Board::Department => standing.xp,
        };
        let shown = self.view.visibility.unwrap_or(Visibility::Default).shows(self.staff);
        let kind = FluentValue::from(if matches!(board, Board::Course(_)) { "course" } else { "all" });
        match (shown, xp) {
            (true, 0) => message_with(self.lang, "gamification-ranking-no-xp", &[("board", kind)]),
            (true, _) => message_with(
                self.lang,
                "gamification-ranking-place",
                &[
                    ("place", FluentValue::from(self.view.ahead + 1)),
                    ("xp", FluentValue::from(xp)),
                    ("board", kind),
                ],
            ),
            (false, _) => message(self.lang, "gamification-ranking-hidden"),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Warsaw;
    use ruma::{owned_user_id, user_id};
    use szpon_course_engine::Graded;

    use super::*;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Warsaw.with_ymd_and_hms(2026, 12, d, h, 0, 0).single().unwrap().to_utc()
    }

    fn records(effects: &[Effect]) -> Vec<Recorded> {
        effects
            .iter()
            .filter_map(|effect| match effect {
                Effect::Gamification(GamificationChange::Record { recorded, .. }) => Some(recorded.clone()),
                _ => None,
            })
            .collect()
    }

    fn rodo() -> Course {
        szpon_course_engine::parse_course(
            "---\nid: rodo\ntitle: RODO w urzędzie\n---\n# Lekcja: Dane\n\nTekst.\n",
        )
        .unwrap()
    }

    fn right() -> Delivery {
        Delivery::Feedback { graded: Graded { fraction: 1.0, feedback: Vec::new() } }
    }

    #[test]
    fn a_right_answer_and_a_finished_course_are_recorded_by_what_they_answered() {
        let quiz = Progress {
            section: 2,
            stage: Stage::Quiz { question: 1, answers: Vec::new() },
            ..Progress::default()
        };
        let vote = Event::Chosen { section: 2, question: 1, choices: vec![0], poll: "$p".into() };
        let done = Delivery::Completed { score: Some(1.0), passed: true };
        let effects = learned(user_id!("@ola:localhost"), &rodo(), &quiz, &vote, &[right(), done], at(7, 10));
        let keys: Vec<String> = records(&effects).into_iter().map(|r| r.key).collect();
        assert_eq!(keys, ["answer:rodo:2:1", "finished:rodo"]);
        assert!(matches!(effects.last(), Some(Effect::Schedule { job: Job::Gamification(_), .. })));
        // A typed answer is for the question the quiz asked last.
        let typed =
            learned(user_id!("@ola:localhost"), &rodo(), &quiz, &Event::Typed("42"), &[right()], at(7, 10));
        assert_eq!(records(&typed)[0].key, "answer:rodo:2:1");
    }

    #[test]
    fn a_wrong_answer_or_a_failed_course_records_nothing() {
        let wrong = Delivery::Feedback { graded: Graded { fraction: 0.5, feedback: Vec::new() } };
        let failed = Delivery::Completed { score: Some(0.4), passed: false };
        let vote = Event::Chosen { section: 0, question: 0, choices: vec![1], poll: "$p".into() };
        let effects = learned(
            user_id!("@ola:localhost"),
            &rodo(),
            &Progress::default(),
            &vote,
            &[wrong, failed],
            at(7, 10),
        );
        assert!(effects.is_empty());
    }

    #[test]
    fn the_authors_badges_are_recorded_by_what_earns_them_and_announced_by_name() {
        let course = szpon_course_engine::parse_course(
            "---\nid: rodo\ntitle: RODO w urzędzie\nbadges:\n  - name: Strażnik danych\n    when: wynik 90\n\
             \x20 - name: Pierwszy krok\n    when: lekcja 1\n---\n# Lekcja: Dane\n\nTekst.\n\
             # Test: Sprawdź się\n\n```gift\nDane to informacje. {T}\n```\n",
        )
        .unwrap();
        let ola = user_id!("@ola:localhost");
        let lesson = Delivery::Lesson {
            title: "Dane".into(),
            body: String::new(),
            attachments: Vec::new(),
            number: 1,
            total: 1,
        };
        let first = learned(ola, &course, &Progress::default(), &Event::Next, &[lesson], at(7, 10));
        let keys: Vec<String> = records(&first).into_iter().map(|r| r.key).collect();
        assert_eq!(keys, ["badge:rodo:Pierwszy krok", "lesson:rodo:1"]);
        // Lesson 1 came with the enrolment (no step of the learner's): their next step earns it.
        let after_enrolment = Progress { section: 1, ..Progress::default() };
        let quiz =
            Delivery::QuizStarted { title: "Sprawdź się".into(), questions: 1, attempt: 1, attempts: 1 };
        let next = learned(ola, &course, &after_enrolment, &Event::Next, &[quiz], at(7, 10));
        let keys: Vec<String> = records(&next).into_iter().map(|r| r.key).collect();
        assert_eq!(keys, ["badge:rodo:Pierwszy krok"]);
        let low = Delivery::Completed { score: Some(0.8), passed: true };
        let low = learned(ola, &course, &Progress::default(), &Event::Next, &[low], at(7, 11));
        assert_eq!(records(&low).len(), 1, "80 % finishes the course but does not earn the badge");
        let high = Delivery::Completed { score: Some(0.9), passed: true };
        let mut events =
            records(&learned(ola, &course, &Progress::default(), &Event::Next, &[high], at(7, 12)));
        assert_eq!(events[0].key, "badge:rodo:Strażnik danych");
        events.extend(records(&first));
        let record = LearnerRecord { events, ..LearnerRecord::default() };
        let (actions, _) = standing_check(ola, &record, false, &Rules::new(Warsaw), at(7, 12));
        let [Action::Direct { message: DirectMessage::Notice(glad), .. }] = actions.as_slice() else {
            panic!("{actions:?}")
        };
        assert!(
            glad.plain.contains("„Strażnik danych”") && glad.plain.contains("„Pierwszy krok”"),
            "{}",
            glad.plain
        );
        let only_badge = LearnerRecord { events: records(&next), ..LearnerRecord::default() };
        let (actions, _) = standing_check(ola, &only_badge, false, &Rules::new(Warsaw), at(7, 12));
        let [Action::Direct { message: DirectMessage::Notice(glad), .. }] = actions.as_slice() else {
            panic!("{actions:?}")
        };
        assert_eq!(glad.plain, "Gratulacje! Zdobywasz odznakę „Pierwszy krok”.", "no \"0 XP\" said");
    }

    fn finished(course: &str, score: Option<u8>, d: u32) -> Recorded {
        Recorded {
            key: format!("finished:{course}"),
            at: at(d, 10),
            activity: Activity::CourseFinished {
                course_id: course.into(),
                score,
                title: "RODO w urzędzie".into(),
            },
        }
    }

    #[test]
    fn each_badge_is_announced_once() {
        let rules = Rules::new(Warsaw);
        let mut record =
            LearnerRecord { events: vec![finished("rodo", Some(100), 7)], ..LearnerRecord::default() };
        let user = user_id!("@ola:localhost");
        let (actions, change) = standing_check(user, &record, false, &rules, at(7, 11));
        let [Action::Direct { message: DirectMessage::Notice(glad), .. }] = actions.as_slice() else {
            panic!("{actions:?}")
        };
        assert_eq!(
            glad.plain,
            "Gratulacje! Zdobywasz odznaki: „Pierwszy ukończony kurs” i „Bezbłędnie: RODO w urzędzie”. \
             Masz już 50 XP, poziom: Nowicjusz."
        );
        let GamificationChange::Standing { new_badges, summary, .. } = change else { panic!() };
        assert_eq!(summary.xp, 50);
        record.awarded.extend(new_badges);
        let (again, _) = standing_check(user, &record, false, &rules, at(7, 12));
        assert!(again.is_empty());
    }

    #[test]
    fn the_evening_reminder_goes_to_whoever_loses_their_streak_tonight() {
        let rules = Rules::new(Warsaw);
        let learned_on = |days: &[u32]| LearnerRecord {
            events: days
                .iter()
                .map(|d| Recorded {
                    key: format!("lesson:rodo:{d}"),
                    at: at(*d, 9),
                    activity: Activity::Lesson { course_id: "rodo".into() },
                })
                .collect(),
            ..LearnerRecord::default()
        };
        let learners = vec![
            // Learnt yesterday, with the freeze still there to bridge today: no reminder.
            (owned_user_id!("@ada:localhost"), learned_on(&[5, 6])),
            // The freeze bridged the 4th; today missed would end the run of three.
            (owned_user_id!("@bea:localhost"), learned_on(&[2, 3, 5, 6])),
            // Learnt today already.
            (owned_user_id!("@cyd:localhost"), learned_on(&[5, 6, 7])),
        ];
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let (actions, effects) = streak_reminders(&learners, day, &rules, at(7, 19));
        let [Action::Direct { user_id, message: DirectMessage::Notice(text) }] = actions.as_slice() else {
            panic!("{actions:?}")
        };
        assert_eq!(user_id, "@bea:localhost");
        assert_eq!(
            text.plain,
            "Twoja seria 4 dni nauki skończy się dziś o północy. Wystarczy jedna lekcja albo jedno pytanie: napisz „dalej”."
        );
        let [
            Effect::Schedule { job: Job::Gamification(GamificationJob::StreakReminders { day: next }), due },
        ] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert_eq!(next.to_string(), "2026-12-08");
        assert_eq!(*due, at(8, 19));

        // Run a day late (szpon was down), it reminds no one and schedules tonight's.
        let (actions, effects) = streak_reminders(&learners, day, &rules, at(8, 12));
        assert!(actions.is_empty());
        assert!(matches!(&effects[..], [Effect::Schedule { due, .. }] if *due == at(8, 19)));
    }

    #[test]
    fn commands_read_with_and_without_diacritics() {
        assert_eq!(parse_progress_command("!postępy"), Some(ProgressCommand::Mine));
        assert_eq!(parse_progress_command("!Postepy"), Some(ProgressCommand::Mine));
        assert_eq!(parse_progress_command("!ranking"), Some(ProgressCommand::Ranking(Board::Office)));
        for department in
            ["!ranking wydział", "!Ranking wydzial", "!ranking mój wydział", "!ranking department"]
        {
            assert_eq!(parse_progress_command(department), Some(ProgressCommand::Ranking(Board::Department)));
        }
        for course in ["!ranking rodo", "!ranking „RODO”", "!ranking kurs rodo", "!ranking <rodo>"] {
            assert_eq!(
                parse_progress_command(course),
                Some(ProgressCommand::Ranking(Board::Course("rodo".into())))
            );
        }
        assert_eq!(
            parse_progress_command("!ranking ukryj"),
            Some(ProgressCommand::SetVisibility(Visibility::Hidden))
        );
        assert_eq!(
            parse_progress_command("!ranking pokaz"),
            Some(ProgressCommand::SetVisibility(Visibility::Shown))
        );
        assert_eq!(
            parse_progress_command("!ranking POKAŻ"),
            Some(ProgressCommand::SetVisibility(Visibility::Shown))
        );
        assert_eq!(parse_progress_command("!ranking pomoc"), Some(ProgressCommand::RankingUsage));
        assert_eq!(parse_progress_command("ranking"), None);
    }

    fn desk<'a>(view: &'a ProgressView, rules: &'a Rules, direct: bool) -> ProgressDesk<'a> {
        ProgressDesk {
            sender: user_id!("@ola:localhost"),
            staff: false,
            direct,
            view,
            rules,
            now: at(7, 18),
            lang: Lang::Pl,
        }
    }

    #[test]
    fn progress_is_shown_only_in_the_private_chat() {
        let rules = Rules::new(Warsaw);
        let lesson = |n: u32, d: u32| Recorded {
            key: format!("lesson:rodo:{n}"),
            at: at(d, 9),
            activity: Activity::Lesson { course_id: "rodo".into() },
        };
        let view = ProgressView {
            record: LearnerRecord {
                events: vec![lesson(1, 5), lesson(2, 6), lesson(3, 7)],
                ..LearnerRecord::default()
            },
            ..ProgressView::default()
        };
        let (text, _) = desk(&view, &rules, true).handle(&ProgressCommand::Mine);
        assert_eq!(
            text,
            "Masz 40 XP, poziom: Nowicjusz. W tym tygodniu: 15 XP.\n\
             Do poziomu „Praktykant” brakuje 60 XP.\n\
             Seria: 3 dni nauki z rzędu. Jeden opuszczony dzień jej nie przerwie."
        );
        let (text, _) = desk(&view, &rules, false).handle(&ProgressCommand::Mine);
        assert!(text.starts_with("Swoje postępy zobaczysz na naszym prywatnym czacie"), "{text}");
    }

    #[test]
    fn the_ranking_never_shows_who_opted_out_and_says_where_the_writer_stands() {
        let rules = Rules::new(Warsaw);
        let entry = |name: &str, xp, visibility| Entry {
            learner: OwnedUserId::try_from(format!("@{name}:localhost")).unwrap(),
            xp,
            staff: true,
            visibility,
        };
        let view = ProgressView {
            record: LearnerRecord { events: vec![finished("rodo", None, 7)], ..LearnerRecord::default() },
            visibility: Some(Visibility::Shown),
            top: vec![entry("jan", 300, Visibility::Hidden), entry("ewa", 120, Visibility::Default)],
            ahead: 1,
            ..ProgressView::default()
        };
        let (text, _) = desk(&view, &rules, false).handle(&ProgressCommand::Ranking(Board::Office));
        assert_eq!(
            text,
            "Ranking uczestników szkoleń:\n1. @ewa:localhost — 120 XP\nTwoje miejsce: 2 (50 XP)."
        );
        let course = ProgressView {
            board_name: Some("RODO w urzędzie".into()),
            board_course: Some("rodo".into()),
            ..view.clone()
        };
        let (text, _) =
            desk(&course, &rules, false).handle(&ProgressCommand::Ranking(Board::Course("rodo".into())));
        assert_eq!(
            text,
            "Ranking kursu „RODO w urzędzie”:\n1. @ewa:localhost — 120 XP\nTwoje miejsce: 2 (50 XP w tym kursie)."
        );
        let bhp = ProgressView { board_course: Some("bhp".into()), ..course.clone() };
        let (text, _) =
            desk(&bhp, &rules, false).handle(&ProgressCommand::Ranking(Board::Course("bhp".into())));
        assert!(
            text.ends_with("\nNie masz jeszcze punktów w tym kursie, więc nie ma Cię w jego rankingu."),
            "{text}"
        );
        let two = ProgressView {
            course_candidates: vec![
                ("bhp".into(), "BHP w biurze".into()),
                ("bhp-teren".into(), "BHP w terenie".into()),
            ],
            ..view.clone()
        };
        let (text, _) =
            desk(&two, &rules, false).handle(&ProgressCommand::Ranking(Board::Course("bhp".into())));
        assert_eq!(
            text,
            "Który kurs masz na myśli: „BHP w biurze” (bhp) czy „BHP w terenie” (bhp-teren)? Napisz na przykład „!ranking bhp”."
        );
        let department = ProgressView { board_name: Some("USC".into()), ..view.clone() };
        let (text, _) = desk(&department, &rules, false).handle(&ProgressCommand::Ranking(Board::Department));
        assert!(text.starts_with("Ranking Twojego wydziału (USC):\n1. @ewa:localhost — 120 XP\n"), "{text}");
        let (text, _) =
            desk(&view, &rules, false).handle(&ProgressCommand::Ranking(Board::Course("xyz".into())));
        assert!(text.starts_with("Nie znam kursu „xyz”."), "{text}");
        let (text, _) = desk(&view, &rules, false).handle(&ProgressCommand::Ranking(Board::Department));
        assert!(
            text.starts_with("Ranking wydziału pokazuję pracownikom, których wydział podaje katalog urzędu"),
            "{text}"
        );
        let (text, change) =
            desk(&view, &rules, false).handle(&ProgressCommand::SetVisibility(Visibility::Hidden));
        assert!(text.starts_with("Nie pokazujemy Cię w rankingach."), "{text}");
        assert_eq!(
            change,
            Some(GamificationChange::Visibility {
                user_id: owned_user_id!("@ola:localhost"),
                visibility: Visibility::Hidden
            })
        );
    }
}
