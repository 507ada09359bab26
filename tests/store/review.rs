//! The review queue's rows on SQLite and PostgreSQL: a missed question is queued once and keeps
//! its schedule when missed again, a review moves it on, a learnt one leaves, and the morning
//! nudge reads only learners with questions due who did not turn it off.

use chrono::Duration;
use ruma::{OwnedUserId, owned_user_id, user_id};
use szpon::store::booking::JobOutcome;
use szpon_bots::{
    Effect, Job, JobContext, Outcome,
    courses::{CourseChange, Publication},
    review::{Answer, QuestionRef, ReviewChange, ReviewItem, ReviewJob},
};

use super::{each_backend, t0};

const COURSE: &str = "---\nid: segregacja\ntitle: Segregacja odpadów\n---\n# Lekcja: Po co\nTekst.\n\n# Test: Sprawdź\n```gift\nSłoik? {=do szkła ~do papieru}\n\nBaterie do zmieszanych. {F}\n```\n";

fn published() -> Effect {
    Effect::Course(CourseChange::Publish(Publication {
        course_id: "segregacja".into(),
        title: "Segregacja odpadów".into(),
        source: COURSE.into(),
        published_by: owned_user_id!("@trener:localhost"),
        room_id: None,
        published_at: t0(),
        files: Vec::new(),
    }))
}

fn question(n: usize) -> QuestionRef {
    QuestionRef { version: 1, section: 1, question: n }
}

fn missed(user: &str, n: usize, at: chrono::DateTime<chrono::Utc>) -> Effect {
    let item = ReviewItem::after_quiz("segregacja", question(n), Answer::Wrong, at).unwrap();
    Effect::Review(ReviewChange::Add { user_id: OwnedUserId::try_from(user).unwrap(), item })
}

#[tokio::test]
async fn a_missed_question_is_queued_once_reviewed_on_and_removed_once_learnt() {
    each_backend(|store| async move {
        let ola = user_id!("@ola:localhost");
        store.apply_effects(&[published()], t0()).await.unwrap();
        store
            .apply_effects(&[missed(ola.as_str(), 0, t0()), missed(ola.as_str(), 1, t0())], t0())
            .await
            .unwrap();
        // Missed again a day later, in a quiz taken again: the schedule stays as it was.
        store.apply_effects(&[missed(ola.as_str(), 0, t0() + Duration::days(1))], t0()).await.unwrap();
        let view = store.review_view(ola).await.unwrap();
        assert_eq!(view.items.len(), 2);
        assert!(view.items.iter().all(|item| item.due() == t0() + Duration::days(1)));
        assert!(
            view.courses.contains_key(&("segregacja".to_owned(), 1)),
            "the version is read with the queue"
        );
        assert!(view.nudges);

        let reviewed = view.items[0].reviewed(Answer::Right, view.items[0].due()).unwrap();
        let save = ReviewChange::Save { user_id: ola.to_owned(), item: reviewed.clone() };
        store.apply_effects(&[Effect::Review(save)], t0()).await.unwrap();
        let learnt = ReviewChange::Remove {
            user_id: ola.to_owned(),
            course_id: "segregacja".into(),
            question: question(1),
        };
        store.apply_effects(&[Effect::Review(learnt)], t0()).await.unwrap();
        let view = store.review_view(ola).await.unwrap();
        assert_eq!(view.items, [reviewed], "the schedule reads back exactly as kept");
        assert!(
            store.review_view(user_id!("@jan:localhost")).await.unwrap().items.is_empty(),
            "only one's own"
        );
    })
    .await;
}

#[tokio::test]
async fn the_morning_nudge_reads_who_has_questions_due_and_wants_to_hear() {
    each_backend(|store| async move {
        let yesterday = t0() - Duration::days(2);
        let effects = [
            missed("@ada:localhost", 0, yesterday),
            missed("@ada:localhost", 1, yesterday),
            missed("@bea:localhost", 0, yesterday),
            missed("@cyd:localhost", 0, t0()),
            Effect::Review(ReviewChange::Nudges { user_id: owned_user_id!("@bea:localhost"), on: false }),
        ];
        store.apply_effects(&effects, t0()).await.unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let job = Job::Review(ReviewJob::Nudges { day });
        store.apply_effects(&[Effect::Schedule { job, due: t0() }], t0()).await.unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        store
            .run_due_jobs(t0(), 10, |_, context| {
                if let JobContext::DueReviews(learners) = context {
                    seen.lock().unwrap().extend(learners.iter().map(|l| (l.user_id.to_string(), l.due)));
                }
                JobOutcome { outcome: Outcome::default(), actions: Vec::new() }
            })
            .await
            .unwrap();
        assert_eq!(seen.into_inner().unwrap(), [("@ada:localhost".to_owned(), 2)]);
        assert!(!store.review_view(user_id!("@bea:localhost")).await.unwrap().nudges);
    })
    .await;
}
