//! Learning that sticks: XP, levels, streaks and badges, computed from a learner's recorded
//! learning events alone. Nothing here is a running total: the standing is worked out again
//! from the events each time, so a restart, a replayed event or a changed rule can never count
//! twice, and the store keeps only the events (each once, by its key) and the badges awarded.
//!
//! Days are the office's days: an activity at 23:30 in Warsaw belongs to that day, whatever
//! UTC says, across the DST changes too.

mod desk;
mod weekly;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use desk::{
    Board, GamificationChange, GamificationJob, LearnerRecord, ProgressCommand, ProgressDesk, ProgressView,
    RANKING_LIMIT, REMINDER_HOUR, StandingSummary, learned, next_streak_reminders_job,
    parse_progress_command, standing_check, streak_reminders, streak_reminders_job,
};
pub use weekly::{SUMMARY_HOUR, next_weekly_summaries_job, weekly_summaries, weekly_summaries_job};

/// Something a learner did that counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Activity {
    /// A lesson (a section) read to its end.
    Lesson { course_id: String },
    /// A quiz question answered right the first time.
    RightAnswer { course_id: String },
    /// A course finished, with its score in percent where it had quizzes, and its title then.
    CourseFinished {
        course_id: String,
        score: Option<u8>,
        #[serde(default)]
        title: String,
    },
    /// A badge the course's author defined, earned in that course.
    AuthorBadge { course_id: String, badge: String },
}

/// Kept in `learning_events`.
impl crate::durable::Durable for Activity {}

impl Activity {
    pub fn course_id(&self) -> &str {
        match self {
            Activity::Lesson { course_id }
            | Activity::RightAnswer { course_id }
            | Activity::CourseFinished { course_id, .. }
            | Activity::AuthorBadge { course_id, .. } => course_id,
        }
    }
}

/// One recorded activity: `key` names the event it came from (a poll answer's event ID, a
/// course and section), so that the same event recorded twice counts once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub key: String,
    pub at: DateTime<Utc>,
    pub activity: Activity,
}

/// What the office decides: points, the daily cap and the names of its levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub zone: chrono_tz::Tz,
    pub lesson_xp: u32,
    pub right_answer_xp: u32,
    pub course_xp: u32,
    /// For each day of a streak, from its second day on.
    pub streak_day_xp: u32,
    /// Most XP from lessons and answers one day can bring, so that clicking through gains
    /// nothing; finished courses and streak days are outside it.
    pub daily_cap: u32,
    /// The XP at which each level starts, from the lowest (at 0), with its name.
    pub levels: Vec<(u32, String)>,
}

impl Rules {
    pub fn new(zone: chrono_tz::Tz) -> Self {
        let levels =
            [(0, "Nowicjusz"), (100, "Praktykant"), (300, "Znawca"), (700, "Ekspert"), (1500, "Mistrz")];
        Rules {
            zone,
            lesson_xp: 10,
            right_answer_xp: 5,
            course_xp: 50,
            streak_day_xp: 5,
            daily_cap: 150,
            levels: levels.into_iter().map(|(xp, name)| (xp, name.to_owned())).collect(),
        }
    }

    fn day_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }
}

/// A badge; each is awarded once.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Badge {
    FirstCourse,
    /// A course finished with every quiz answer right.
    PerfectScore {
        course_id: String,
    },
    Streak7,
    Streak30,
    Author {
        course_id: String,
        badge: String,
    },
}

/// A run of days with learning in them. One day missed is bridged by a freeze, which comes
/// back with each seventh day of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Streak {
    /// Days of learning in the run, bridged days not counted.
    pub days: u32,
    /// The last day with learning in the run.
    pub last_day: Option<NaiveDate>,
    /// Whether the freeze is there to bridge the next missed day.
    pub freeze_ready: bool,
}

/// A used freeze is ready again on every day of the run that is a multiple of this.
const FREEZE_EVERY: u32 = 7;

impl Streak {
    /// The run as it stands on `today`: broken (0) once two days in a row were missed, or one
    /// day with no freeze to bridge it.
    pub fn on(&self, today: NaiveDate) -> Streak {
        match self.last_day {
            Some(last) if self.reaches(last, today) => *self,
            _ => Streak { days: 0, last_day: None, freeze_ready: true },
        }
    }

    fn reaches(&self, last: NaiveDate, day: NaiveDate) -> bool {
        let gap = (day - last).num_days();
        gap <= 1 || (gap == 2 && self.freeze_ready)
    }

    fn after_learning_on(self, day: NaiveDate) -> Streak {
        let Some(last) = self.last_day else {
            return Streak { days: 1, last_day: Some(day), freeze_ready: true };
        };
        if day <= last {
            return self;
        }
        if !self.reaches(last, day) {
            return Streak { days: 1, last_day: Some(day), freeze_ready: true };
        }
        let bridged = (day - last).num_days() == 2;
        let days = self.days + 1;
        let freeze_ready =
            if bridged { false } else { self.freeze_ready || days.is_multiple_of(FREEZE_EVERY) };
        Streak { days, last_day: Some(day), freeze_ready }
    }

    /// Whether a reminder tonight would save the run: it has days, and today has no learning yet.
    pub fn at_risk(&self, today: NaiveDate) -> bool {
        let now = self.on(today);
        now.days > 0 && now.last_day != Some(today)
    }
}

/// Where a learner stands, as their recorded events make it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standing {
    pub xp: u32,
    /// The index into [`Rules::levels`].
    pub level: usize,
    pub streak: Streak,
    /// The longest run there has been.
    pub best_streak: u32,
    pub badges: BTreeSet<Badge>,
    /// XP by the office's day, for the weekly summary.
    pub xp_by_day: BTreeMap<NaiveDate, u32>,
    /// XP by course, for the courses' leaderboards: its lessons, answers and finishing, as far
    /// as the daily cap let them count. Streak days belong to no course.
    pub xp_by_course: BTreeMap<String, u32>,
}

impl Standing {
    /// The learner's standing from their recorded events, in any order and with repeats.
    pub fn from_events(events: &[Recorded], rules: &Rules) -> Standing {
        let mut seen = BTreeSet::new();
        let mut events: Vec<&Recorded> = events.iter().filter(|e| seen.insert(e.key.as_str())).collect();
        events.sort_by(|a, b| (a.at, &a.key).cmp(&(b.at, &b.key)));
        let mut standing = Standing::default();
        let mut capped: BTreeMap<NaiveDate, u32> = BTreeMap::new();
        let mut finished = BTreeSet::new();
        for event in events {
            let day = rules.day_of(event.at);
            standing.learned_on(day, rules);
            let gained = match &event.activity {
                Activity::Lesson { .. } => capped_xp(&mut capped, day, rules.lesson_xp, rules.daily_cap),
                Activity::RightAnswer { .. } => {
                    capped_xp(&mut capped, day, rules.right_answer_xp, rules.daily_cap)
                }
                Activity::CourseFinished { course_id, score, .. } => {
                    if !finished.insert(course_id.clone()) {
                        continue;
                    }
                    standing.badges.insert(Badge::FirstCourse);
                    if *score == Some(100) {
                        standing.badges.insert(Badge::PerfectScore { course_id: course_id.clone() });
                    }
                    rules.course_xp
                }
                Activity::AuthorBadge { course_id, badge } => {
                    standing
                        .badges
                        .insert(Badge::Author { course_id: course_id.clone(), badge: badge.clone() });
                    0
                }
            };
            standing.gain(day, gained);
            if gained > 0 {
                *standing.xp_by_course.entry(event.activity.course_id().to_owned()).or_default() += gained;
            }
        }
        standing.level = rules.levels.iter().rposition(|(from, _)| standing.xp >= *from).unwrap_or(0);
        standing
    }

    fn learned_on(&mut self, day: NaiveDate, rules: &Rules) {
        let before = self.streak;
        self.streak = before.after_learning_on(day);
        if self.streak.days > before.days && self.streak.days > 1 {
            self.gain(day, rules.streak_day_xp);
        }
        self.best_streak = self.best_streak.max(self.streak.days);
        if self.streak.days >= 7 {
            self.badges.insert(Badge::Streak7);
        }
        if self.streak.days >= 30 {
            self.badges.insert(Badge::Streak30);
        }
    }

    fn gain(&mut self, day: NaiveDate, xp: u32) {
        self.xp += xp;
        *self.xp_by_day.entry(day).or_default() += xp;
    }

    /// XP gained in the office's week (Monday to Sunday) that holds `day`.
    pub fn xp_in_week_of(&self, day: NaiveDate) -> u32 {
        let monday = day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()));
        let sunday = monday + chrono::Days::new(6);
        self.xp_by_day.range(monday..=sunday).map(|(_, xp)| xp).sum()
    }

    /// The badges in this standing not yet in `awarded`: the ones to announce now.
    pub fn new_badges<'a>(&'a self, awarded: &'a BTreeSet<Badge>) -> impl Iterator<Item = &'a Badge> {
        self.badges.difference(awarded)
    }
}

fn capped_xp(capped: &mut BTreeMap<NaiveDate, u32>, day: NaiveDate, xp: u32, cap: u32) -> u32 {
    let so_far = capped.entry(day).or_default();
    let gained = xp.min(cap.saturating_sub(*so_far));
    *so_far += gained;
    gained
}

/// Whether a learner appears on leaderboards. Citizens are private unless they opt in; staff
/// (clerks, trainers, support) appear unless they opt out. `!ranking ukryj` and `!ranking
/// pokaż` set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Nothing chosen: the default of the learner's kind.
    Default,
    Shown,
    Hidden,
}

/// One learner's line on a leaderboard, before it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<Id> {
    pub learner: Id,
    pub xp: u32,
    pub staff: bool,
    pub visibility: Visibility,
}

impl Visibility {
    /// Whether a learner with this choice appears on leaderboards; `staff` decides the default.
    pub fn shows(self, staff: bool) -> bool {
        match self {
            Visibility::Shown => true,
            Visibility::Hidden => false,
            Visibility::Default => staff,
        }
    }
}

impl<Id> Entry<Id> {
    fn shown(&self) -> bool {
        self.visibility.shows(self.staff)
    }
}

/// The top `limit` of a leaderboard, ranked by XP (ties share a place, as "1, 2, 2, 4"), with
/// only the learners who may be shown, whoever asks: an opted-out learner is not shown even to
/// an administrator. Ties are listed in `learner` order, so the same entries always read the same.
pub fn leaderboard<Id: Ord>(mut entries: Vec<Entry<Id>>, limit: usize) -> Vec<(usize, Entry<Id>)> {
    entries.retain(|entry| entry.shown() && entry.xp > 0);
    entries.sort_by(|a, b| b.xp.cmp(&a.xp).then_with(|| a.learner.cmp(&b.learner)));
    let mut place = 0;
    let mut previous = None;
    let mut ranked = Vec::with_capacity(limit.min(entries.len()));
    for (index, entry) in entries.into_iter().take(limit).enumerate() {
        if previous != Some(entry.xp) {
            place = index + 1;
            previous = Some(entry.xp);
        }
        ranked.push((place, entry));
    }
    ranked
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use chrono_tz::Europe::Warsaw;

    use super::*;

    fn rules() -> Rules {
        Rules::new(Warsaw)
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Warsaw.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().to_utc()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn lesson(key: &str, when: DateTime<Utc>) -> Recorded {
        Recorded { key: key.to_owned(), at: when, activity: Activity::Lesson { course_id: "rodo".into() } }
    }

    /// One lesson a day on each of these days of December 2026, at 12:00 in Warsaw.
    fn lessons_on(days: &[u32]) -> Vec<Recorded> {
        days.iter().map(|d| lesson(&format!("l{d}"), at(2026, 12, *d, 12, 0))).collect()
    }

    #[test]
    fn a_replayed_event_counts_once_and_order_does_not_matter() {
        let mut events = lessons_on(&[1, 2]);
        events.push(events[0].clone());
        events.reverse();
        let standing = Standing::from_events(&events, &rules());
        assert_eq!(standing, Standing::from_events(&lessons_on(&[1, 2]), &rules()));
        // Two lessons, and the streak's second day.
        assert_eq!(standing.xp, 10 + 10 + 5);
    }

    #[test]
    fn a_day_is_the_offices_day_across_midnight_and_the_dst_changes() {
        // 23:30 and 00:30 in Warsaw are two days, though both are one UTC day in winter...
        let late = [lesson("a", at(2026, 12, 1, 23, 30)), lesson("b", at(2026, 12, 2, 0, 30))];
        assert_eq!(Standing::from_events(&late, &rules()).streak.days, 2);
        // ...and the night the clocks go back (25 October 2026) or forward (29 March) is one
        // night: the evening before and the morning after are consecutive days.
        let autumn = [lesson("a", at(2026, 10, 24, 23, 59)), lesson("b", at(2026, 10, 25, 1, 30))];
        assert_eq!(Standing::from_events(&autumn, &rules()).streak.days, 2);
        let spring = [lesson("a", at(2026, 3, 28, 23, 59)), lesson("b", at(2026, 3, 29, 3, 30))];
        assert_eq!(Standing::from_events(&spring, &rules()).streak.days, 2);
    }

    #[test]
    fn one_missed_day_is_bridged_by_the_freeze_and_two_break_the_streak() {
        let bridged = Standing::from_events(&lessons_on(&[1, 2, 4]), &rules());
        assert_eq!(bridged.streak.days, 3);
        assert!(!bridged.streak.freeze_ready, "the freeze was used");
        // With the freeze used, the next missed day breaks it.
        let broken = Standing::from_events(&lessons_on(&[1, 2, 4, 6]), &rules());
        assert_eq!((broken.streak.days, broken.best_streak), (1, 3));
        let two_missed = Standing::from_events(&lessons_on(&[1, 2, 5]), &rules());
        assert_eq!(two_missed.streak.days, 1);
    }

    #[test]
    fn the_freeze_comes_back_with_each_seventh_day_of_the_run() {
        // Bridged on the 3rd; the 8th is the run's seventh day and brings it back.
        let standing = Standing::from_events(&lessons_on(&[1, 2, 4, 5, 6, 7, 8, 9, 10]), &rules());
        assert!(standing.streak.freeze_ready);
        assert_eq!(standing.streak.on(day(2026, 12, 12)).days, 9, "the 11th is bridged again");
        assert_eq!(standing.streak.on(day(2026, 12, 13)).days, 0);
    }

    #[test]
    fn a_streak_is_at_risk_in_the_evening_of_a_day_without_learning() {
        let streak = Standing::from_events(&lessons_on(&[1, 2]), &rules()).streak;
        assert!(!streak.at_risk(day(2026, 12, 2)), "today has learning");
        assert!(streak.at_risk(day(2026, 12, 3)));
        assert!(!Streak::default().at_risk(day(2026, 12, 3)), "nothing to lose");
    }

    #[test]
    fn lessons_and_answers_are_capped_per_day_but_courses_and_streaks_are_not() {
        let mut events: Vec<Recorded> =
            (0..40).map(|n| lesson(&format!("l{n}"), at(2026, 12, 1, 9, 0))).collect();
        let finished =
            Activity::CourseFinished { course_id: "rodo".into(), score: Some(80), title: String::new() };
        events.push(Recorded { key: "f".into(), at: at(2026, 12, 1, 10, 0), activity: finished });
        let standing = Standing::from_events(&events, &rules());
        assert_eq!(standing.xp, 150 + 50);
        // The next day's lessons count again, with the streak's day.
        events.push(lesson("next", at(2026, 12, 2, 9, 0)));
        assert_eq!(Standing::from_events(&events, &rules()).xp, 150 + 50 + 10 + 5);
    }

    #[test]
    fn badges_come_from_what_was_done_each_once() {
        let perfect =
            Activity::CourseFinished { course_id: "rodo".into(), score: Some(100), title: String::new() };
        let again =
            Activity::CourseFinished { course_id: "rodo".into(), score: Some(100), title: String::new() };
        let author = Activity::AuthorBadge { course_id: "rodo".into(), badge: "Strażnik danych".into() };
        let mut events = lessons_on(&(1..=7).collect::<Vec<_>>());
        events.push(Recorded { key: "f1".into(), at: at(2026, 12, 7, 13, 0), activity: perfect });
        events.push(Recorded { key: "f2".into(), at: at(2026, 12, 7, 14, 0), activity: again });
        events.push(Recorded { key: "a".into(), at: at(2026, 12, 7, 13, 0), activity: author });
        let standing = Standing::from_events(&events, &rules());
        let expected: BTreeSet<Badge> = [
            Badge::FirstCourse,
            Badge::PerfectScore { course_id: "rodo".into() },
            Badge::Streak7,
            Badge::Author { course_id: "rodo".into(), badge: "Strażnik danych".into() },
        ]
        .into();
        assert_eq!(standing.badges, expected);
        assert_eq!(standing.xp, 7 * 10 + 6 * 5 + 50, "a course finished twice counts once");
        let awarded: BTreeSet<Badge> = [Badge::FirstCourse].into();
        assert_eq!(standing.new_badges(&awarded).count(), 3);
    }

    #[test]
    fn course_xp_is_what_its_own_learning_brought_within_the_cap() {
        let other = |key: &str, d: u32| Recorded {
            key: key.to_owned(),
            at: at(2026, 12, d, 12, 0),
            activity: Activity::RightAnswer { course_id: "bhp".into() },
        };
        let mut events = lessons_on(&[1, 2]);
        events.push(other("a", 2));
        events.extend((0..20).map(|n| lesson(&format!("cap{n}"), at(2026, 12, 3, 9, 0))));
        events.push(other("late", 3));
        let standing = Standing::from_events(&events, &rules());
        let expected: BTreeMap<String, u32> = [("rodo".to_owned(), 20 + 150), ("bhp".to_owned(), 5)].into();
        assert_eq!(standing.xp_by_course, expected, "the answer after the day's cap brings nothing");
        assert_eq!(standing.xp, 20 + 150 + 5 + 2 * 5, "streak days count overall only");
    }

    #[test]
    fn levels_follow_the_xp_and_the_week_sums_its_days() {
        let events = lessons_on(&(1..=14).collect::<Vec<_>>());
        let standing = Standing::from_events(&events, &rules());
        assert_eq!(standing.xp, 14 * 10 + 13 * 5);
        assert_eq!(rules().levels[standing.level].1, "Praktykant");
        // Monday 7 to Sunday 13 December.
        assert_eq!(standing.xp_in_week_of(day(2026, 12, 10)), 7 * 15);
    }

    fn entry(learner: &'static str, xp: u32, staff: bool, visibility: Visibility) -> Entry<&'static str> {
        Entry { learner, xp, staff, visibility }
    }

    #[test]
    fn citizens_are_private_unless_they_opt_in_and_no_one_opted_out_is_shown() {
        let board = leaderboard(
            vec![
                entry("@obywatel", 500, false, Visibility::Default),
                entry("@obywatelka", 400, false, Visibility::Shown),
                entry("@urzednik", 300, true, Visibility::Default),
                entry("@trenerka", 900, true, Visibility::Hidden),
                entry("@nowy", 0, true, Visibility::Default),
            ],
            10,
        );
        let names: Vec<&str> = board.iter().map(|(_, e)| e.learner).collect();
        assert_eq!(names, ["@obywatelka", "@urzednik"]);
    }

    #[test]
    fn ties_share_a_place_and_read_the_same_every_time() {
        let entries = vec![
            entry("@c", 50, true, Visibility::Default),
            entry("@b", 80, true, Visibility::Default),
            entry("@a", 80, true, Visibility::Default),
            entry("@d", 10, true, Visibility::Default),
        ];
        let board = leaderboard(entries, 3);
        let places: Vec<(usize, &str)> = board.iter().map(|(p, e)| (*p, e.learner)).collect();
        assert_eq!(places, [(1, "@a"), (1, "@b"), (3, "@c")]);
    }
}
