//! Gamification's rows on SQLite and PostgreSQL: learning is kept once however often it is
//! recorded, a badge is awarded once (a second award fails its commit, so it is never announced
//! twice), and leaderboards show only who may be shown.

use chrono::Duration;
use ruma::{OwnedUserId, user_id};
use szpon_bots::{
    Effect,
    gamification::{
        Activity, Badge, GamificationChange, ProgressCommand, Recorded, StandingSummary, Visibility,
    },
};

use super::{each_backend, t0};

fn with_last_day(user: &str, last_day: &str) -> Effect {
    Effect::Gamification(GamificationChange::Standing {
        user_id: OwnedUserId::try_from(user).unwrap(),
        summary: StandingSummary { xp: 30, streak_days: 3, last_day: last_day.parse().ok(), staff: false },
        new_badges: vec![],
        at: t0(),
    })
}

#[tokio::test]
async fn the_evening_reminder_reads_the_learners_who_last_learnt_one_or_two_days_ago() {
    use szpon::store::booking::JobOutcome;
    use szpon_bots::{Job, JobContext, Outcome, gamification::GamificationJob};
    each_backend(|store| async move {
        let effects = [
            with_last_day("@ada:localhost", "2026-12-06"),
            with_last_day("@bea:localhost", "2026-12-05"),
            with_last_day("@cyd:localhost", "2026-12-07"),
            with_last_day("@dan:localhost", "2026-12-01"),
            lesson("@bea:localhost", 1),
        ];
        store.apply_outcome(&effects, &[], t0()).await.unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let job = Job::Gamification(GamificationJob::StreakReminders { day });
        store.apply_outcome(&[Effect::Schedule { job, due: t0() }], &[], t0()).await.unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        store
            .run_due_jobs(t0(), 10, |_, context| {
                if let JobContext::Learners(learners) = context {
                    let mut seen = seen.lock().unwrap();
                    seen.extend(
                        learners.iter().map(|(user, record)| (user.to_string(), record.events.len())),
                    );
                }
                JobOutcome { outcome: Outcome::default(), actions: Vec::new() }
            })
            .await
            .unwrap();
        assert_eq!(
            seen.into_inner().unwrap(),
            [("@ada:localhost".to_owned(), 0), ("@bea:localhost".to_owned(), 1)]
        );
    })
    .await;
}

fn lesson(user: &str, n: u32) -> Effect {
    Effect::Gamification(GamificationChange::Record {
        user_id: OwnedUserId::try_from(user).unwrap(),
        recorded: Recorded {
            key: format!("lesson:rodo:{n}"),
            at: t0(),
            activity: Activity::Lesson { course_id: "rodo".into() },
        },
    })
}

fn standing(user: &str, xp: u32, staff: bool, badges: Vec<Badge>) -> Effect {
    Effect::Gamification(GamificationChange::Standing {
        user_id: OwnedUserId::try_from(user).unwrap(),
        summary: StandingSummary { xp, streak_days: 1, last_day: None, staff },
        new_badges: badges,
        at: t0(),
    })
}

fn visibility(user: &str, visibility: Visibility) -> Effect {
    Effect::Gamification(GamificationChange::Visibility {
        user_id: OwnedUserId::try_from(user).unwrap(),
        visibility,
    })
}

#[tokio::test]
async fn learning_is_kept_once_and_a_badge_is_awarded_once() {
    each_backend(|store| async move {
        let ola = "@ola:localhost";
        store.apply_outcome(&[lesson(ola, 1), lesson(ola, 1), lesson(ola, 2)], &[], t0()).await.unwrap();
        store.apply_outcome(&[lesson(ola, 2)], &[], t0() + Duration::days(1)).await.unwrap();
        let view =
            store.progress_view(user_id!("@ola:localhost"), &ProgressCommand::Mine, t0()).await.unwrap();
        let mut keys: Vec<&str> = view.record.events.iter().map(|e| e.key.as_str()).collect();
        keys.sort();
        assert_eq!(keys, ["lesson:rodo:1", "lesson:rodo:2"]);

        store.apply_outcome(&[standing(ola, 50, false, vec![Badge::FirstCourse])], &[], t0()).await.unwrap();
        let again =
            store.apply_outcome(&[standing(ola, 60, false, vec![Badge::FirstCourse])], &[], t0()).await;
        assert!(again.is_err(), "a badge awarded twice fails the commit");
        let view =
            store.progress_view(user_id!("@ola:localhost"), &ProgressCommand::Ranking, t0()).await.unwrap();
        assert_eq!(view.record.awarded.iter().collect::<Vec<_>>(), [&Badge::FirstCourse]);
    })
    .await;
}

#[tokio::test]
async fn the_leaderboard_shows_staff_and_citizens_who_opted_in_and_never_who_opted_out() {
    each_backend(|store| async move {
        let effects = [
            standing("@jan:localhost", 900, true, vec![]),
            visibility("@jan:localhost", Visibility::Hidden),
            standing("@ewa:localhost", 400, true, vec![]),
            standing("@ola:localhost", 300, false, vec![]),
            standing("@adam:localhost", 200, false, vec![]),
            visibility("@adam:localhost", Visibility::Shown),
            standing("@zofia:localhost", 200, true, vec![]),
        ];
        store.apply_outcome(&effects, &[], t0()).await.unwrap();
        let board = |who: &'static str| {
            let store = store.clone();
            async move {
                let user = OwnedUserId::try_from(who).unwrap();
                store.progress_view(&user, &ProgressCommand::Ranking, t0()).await.unwrap()
            }
        };
        let seen = board("@adam:localhost").await;
        let names: Vec<(&str, u32)> = seen.top.iter().map(|e| (e.learner.as_str(), e.xp)).collect();
        assert_eq!(names, [("@ewa:localhost", 400), ("@adam:localhost", 200), ("@zofia:localhost", 200)]);
        assert_eq!(seen.ahead, 1, "only Ewa is shown with more XP than Adam");
        assert_eq!(seen.visibility, Some(Visibility::Shown));
        // Jan, who opted out, sees the same board without himself.
        assert_eq!(board("@jan:localhost").await.top, seen.top);
    })
    .await;
}

#[tokio::test]
async fn the_monday_summary_reads_the_learners_of_the_week_before() {
    use szpon::store::booking::JobOutcome;
    use szpon_bots::{Job, JobContext, Outcome, gamification::GamificationJob};
    each_backend(|store| async move {
        let at = |user: &str, days_before: i64| {
            Effect::Gamification(GamificationChange::Record {
                user_id: OwnedUserId::try_from(user).unwrap(),
                recorded: Recorded {
                    key: format!("lesson:rodo:{days_before}"),
                    at: t0() - Duration::days(days_before),
                    activity: Activity::Lesson { course_id: "rodo".into() },
                },
            })
        };
        // t0 is Monday 21 September 2026, 14:13 UTC: last week is 1 to 7 days before.
        let effects = [at("@ada:localhost", 1), at("@bea:localhost", 6), at("@cyd:localhost", 20)];
        store.apply_outcome(&effects, &[], t0()).await.unwrap();
        let monday = t0().date_naive();
        let job = Job::Gamification(GamificationJob::WeeklySummaries { monday });
        store.apply_outcome(&[Effect::Schedule { job, due: t0() }], &[], t0()).await.unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        store
            .run_due_jobs(t0(), 10, |_, context| {
                if let JobContext::Learners(learners) = context {
                    seen.lock().unwrap().extend(learners.iter().map(|(user, _)| user.to_string()));
                }
                JobOutcome { outcome: Outcome::default(), actions: Vec::new() }
            })
            .await
            .unwrap();
        assert_eq!(seen.into_inner().unwrap(), ["@ada:localhost", "@bea:localhost"]);
    })
    .await;
}
