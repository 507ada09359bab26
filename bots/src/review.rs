//! Spaced repetition: the quiz questions a learner missed, or got right only with difficulty,
//! come back as a review at SM-2's intervals (the `sm-2` crate) until they are learnt. Pure:
//! every step is given the time, and a card's identity is the question's, never the clock's.
//!
//! `!powtórka` asks the questions due as polls in the learner's direct chat, and a morning
//! nudge tells learners with questions waiting (see [`desk`]).

mod desk;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sm_2::{Card, Scheduler};

pub use desk::{
    DueReviews, NUDGE_HOUR, ReviewChange, ReviewCommand, ReviewDesk, ReviewJob, ReviewView, ReviewVote,
    SITTING, missed, next_nudges_job, nudges, nudges_job, parse_review_command, parse_review_vote,
};

/// How a learner answered a question, in a quiz or a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Wrong,
    /// Right, after a wrong answer in the same sitting or a hint: it should come back soon.
    RightWithDifficulty,
    Right,
}

impl Answer {
    /// SM-2's grade: 1 is wrong with the right answer then remembered, 3 right with serious
    /// difficulty, 4 right after a hesitation (a poll cannot tell an instant 5).
    fn grade(self) -> u8 {
        match self {
            Answer::Wrong => 1,
            Answer::RightWithDifficulty => 3,
            Answer::Right => 4,
        }
    }
}

/// A question that stops coming back once its next interval is at least this long.
pub const LEARNT_AFTER_DAYS: u32 = 21;

/// A quiz question of one published course version: versions are kept, so a question missed in
/// version 3 is reviewed as it was asked, whatever later versions changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QuestionRef {
    pub version: i64,
    pub section: usize,
    pub question: usize,
}

/// Where a question stands in SM-2, as the store keeps it: the easiness in thousandths, so
/// that it is exact and comparable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Right answers in a row.
    pub repetitions: u32,
    pub easiness_milli: u32,
    pub interval_days: u32,
    pub due: DateTime<Utc>,
    /// Answered right only with difficulty: asked again before the interval starts.
    pub needs_extra_review: bool,
}

impl Schedule {
    fn card(&self) -> Card {
        Card {
            card_id: 0,
            n: self.repetitions,
            ef: self.easiness_milli as f32 / 1000.0,
            i: self.interval_days,
            due: self.due,
            needs_extra_review: self.needs_extra_review,
        }
    }

    fn of(card: &Card) -> Schedule {
        Schedule {
            repetitions: card.n,
            easiness_milli: (card.ef * 1000.0).round() as u32,
            interval_days: card.i,
            due: card.due,
            needs_extra_review: card.needs_extra_review,
        }
    }
}

/// One question in a learner's review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub course_id: String,
    pub question: QuestionRef,
    pub schedule: Schedule,
}

impl ReviewItem {
    /// A question first met in a quiz at `now`: a missed or hard one enters the queue, due the
    /// next day; one answered right at once does not.
    pub fn after_quiz(
        course_id: &str,
        question: QuestionRef,
        answer: Answer,
        now: DateTime<Utc>,
    ) -> Option<ReviewItem> {
        if answer == Answer::Right {
            return None;
        }
        let schedule = Schedule {
            repetitions: 0,
            easiness_milli: 2500,
            interval_days: 0,
            due: now + Duration::days(1),
            needs_extra_review: false,
        };
        Some(ReviewItem { course_id: course_id.to_owned(), question, schedule })
    }

    pub fn due(&self) -> DateTime<Utc> {
        self.schedule.due
    }

    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.schedule.due <= now
    }

    /// The item after a review answered at `now`, or `None` once it is learnt. The next
    /// interval counts from the review itself, early (`!powtórka` asked for before it was due)
    /// or late (a learner back after a week away).
    pub fn reviewed(&self, answer: Answer, now: DateTime<Utc>) -> Option<ReviewItem> {
        let mut card = self.schedule.card();
        card.due = now;
        let (card, _log) = Scheduler::review_card(&card, answer.grade(), Some(now), None).ok()?;
        let learnt = card.i >= LEARNT_AFTER_DAYS && !card.needs_extra_review;
        (!learnt).then(|| ReviewItem { schedule: Schedule::of(&card), ..self.clone() })
    }
}

/// The items due at `now`, the longest overdue first, at most `limit` (one review sitting).
pub fn due_now(items: &[ReviewItem], now: DateTime<Utc>, limit: usize) -> Vec<&ReviewItem> {
    let mut due: Vec<&ReviewItem> = items.iter().filter(|item| item.is_due(now)).collect();
    due.sort_by(|a, b| (a.due(), &a.course_id, a.question).cmp(&(b.due(), &b.course_id, b.question)));
    due.truncate(limit);
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(question: usize) -> QuestionRef {
        QuestionRef { version: 1, section: 2, question }
    }

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_796_000_000, 0).unwrap()
    }

    fn days_until(item: &ReviewItem, from: DateTime<Utc>) -> i64 {
        (item.due() - from).num_hours() / 24
    }

    #[test]
    fn only_missed_and_hard_questions_enter_the_queue_due_the_next_day() {
        assert!(ReviewItem::after_quiz("rodo", q(1), Answer::Right, t0()).is_none());
        let missed = ReviewItem::after_quiz("rodo", q(1), Answer::Wrong, t0()).unwrap();
        assert_eq!(days_until(&missed, t0()), 1);
        assert!(!missed.is_due(t0()) && missed.is_due(t0() + Duration::days(1)));
        assert!(ReviewItem::after_quiz("rodo", q(2), Answer::RightWithDifficulty, t0()).is_some());
    }

    #[test]
    fn right_answers_space_the_reviews_out_at_sm2_intervals_until_learnt() {
        let mut item = ReviewItem::after_quiz("rodo", q(1), Answer::Wrong, t0()).unwrap();
        let mut intervals = Vec::new();
        while let Some(next) = item.reviewed(Answer::Right, item.due()) {
            intervals.push(days_until(&next, item.due()));
            item = next;
            assert!(intervals.len() < 10, "never learnt: {intervals:?}");
        }
        // 1 day, 6 days, then 6 × 2.5 = 15; the next (38 days) means it is learnt.
        assert_eq!(intervals, [1, 6, 15]);
    }

    #[test]
    fn a_wrong_review_starts_the_question_over_and_a_hard_one_comes_back_at_once() {
        let item = ReviewItem::after_quiz("rodo", q(1), Answer::Wrong, t0()).unwrap();
        let day = item.due();
        let after_two = item.reviewed(Answer::Right, day).unwrap();
        let after_two = after_two.reviewed(Answer::Right, after_two.due()).unwrap();
        let forgotten = after_two.reviewed(Answer::Wrong, after_two.due()).unwrap();
        assert!(forgotten.is_due(after_two.due()), "due again at once");
        let again = forgotten.reviewed(Answer::Right, forgotten.due()).unwrap();
        assert_eq!(days_until(&again, forgotten.due()), 1, "from the first interval");
        let hard = again.reviewed(Answer::RightWithDifficulty, again.due()).unwrap();
        assert!(hard.is_due(again.due()), "asked again in the same sitting");
    }

    #[test]
    fn a_review_early_or_late_is_scheduled_from_when_it_was_done() {
        let item = ReviewItem::after_quiz("rodo", q(1), Answer::Wrong, t0()).unwrap();
        let early = t0() + Duration::hours(2);
        assert_eq!(days_until(&item.reviewed(Answer::Right, early).unwrap(), early), 1);
        let late = t0() + Duration::days(9);
        assert_eq!(days_until(&item.reviewed(Answer::Right, late).unwrap(), late), 1);
    }

    #[test]
    fn a_sitting_takes_the_longest_overdue_first_and_no_more_than_its_limit() {
        let items: Vec<ReviewItem> = (0..5)
            .map(|n| {
                ReviewItem::after_quiz("rodo", q(n as usize), Answer::Wrong, t0() - Duration::days(n))
                    .unwrap()
            })
            .collect();
        let due = due_now(&items, t0() + Duration::days(1), 3);
        let names: Vec<usize> = due.iter().map(|item| item.question.question).collect();
        assert_eq!(names, [4, 3, 2]);
        assert!(due_now(&items, t0() - Duration::days(4), 3).is_empty());
    }
}
