//! Gamification's rows on SQLite and PostgreSQL: learning is kept once however often it is
//! recorded, a badge is awarded once (a second award fails its commit, so it is never announced
//! twice), and leaderboards show only who may be shown.

use chrono::Duration;
use ruma::{OwnedUserId, user_id};
use szpon_bots::{
    Effect,
    gamification::{
        Activity, Badge, Board, GamificationChange, ProgressCommand, Recorded, StandingSummary, Visibility,
    },
};

use super::{each_backend, t0};

fn with_last_day(user: &str, last_day: &str) -> Effect {
    Effect::Gamification(GamificationChange::Standing {
        user_id: OwnedUserId::try_from(user).unwrap(),
        summary: StandingSummary {
            xp: 30,
            streak_days: 3,
            last_day: last_day.parse().ok(),
            staff: false,
            ..StandingSummary::default()
        },
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
    in_courses(user, xp, staff, badges, &[])
}

/// A standing with XP in these courses too.
fn in_courses(user: &str, xp: u32, staff: bool, badges: Vec<Badge>, courses: &[(&str, u32)]) -> Effect {
    let courses = courses.iter().map(|(course, xp)| ((*course).to_owned(), *xp)).collect();
    Effect::Gamification(GamificationChange::Standing {
        user_id: OwnedUserId::try_from(user).unwrap(),
        summary: StandingSummary { xp, streak_days: 1, last_day: None, staff, courses },
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
        let view = store
            .progress_view(user_id!("@ola:localhost"), &ProgressCommand::Ranking(Board::Office), t0())
            .await
            .unwrap();
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
                store.progress_view(&user, &ProgressCommand::Ranking(Board::Office), t0()).await.unwrap()
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

fn published(course_id: &str, title: &str) -> Effect {
    use szpon_bots::courses::{CourseChange, Publication};
    Effect::Course(CourseChange::Publish(Publication {
        course_id: course_id.into(),
        title: title.into(),
        source: format!("---\nid: {course_id}\ntitle: {title}\n---\n# Lekcja: Jedyna\nTekst.\n"),
        published_by: ruma::owned_user_id!("@trener:localhost"),
        room_id: None,
        published_at: t0(),
        files: Vec::new(),
    }))
}

#[tokio::test]
async fn a_course_and_a_department_have_boards_of_their_own_that_never_show_who_opted_out() {
    use szpon_course_engine::directory::parse_csv;
    each_backend(|store| async move {
        let csv = "user_id,department\n@ewa:localhost,usc\n@jan:localhost,usc\n@ola:localhost,usc\n@piotr:localhost,podatki\n";
        store.import_directory(&parse_csv(csv).unwrap(), t0()).await.unwrap();
        let effects = [
            published("rodo", "RODO w urzędzie"),
            in_courses("@ewa:localhost", 400, true, vec![], &[("rodo", 60), ("bhp", 340)]),
            in_courses("@jan:localhost", 900, true, vec![], &[("rodo", 90)]),
            in_courses("@ola:localhost", 300, true, vec![], &[("rodo", 80)]),
            in_courses("@piotr:localhost", 500, true, vec![], &[("rodo", 70)]),
            in_courses("@obywatel:localhost", 100, false, vec![], &[("rodo", 100)]),
        ];
        store.apply_outcome(&effects, &[], t0()).await.unwrap();
        // Jan opts out after his XP was kept: his course row follows.
        store.apply_outcome(&[visibility("@jan:localhost", Visibility::Hidden)], &[], t0()).await.unwrap();
        let view = |who: &'static str, board: Board| {
            let store = store.clone();
            async move {
                let user = OwnedUserId::try_from(who).unwrap();
                store.progress_view(&user, &ProgressCommand::Ranking(board), t0()).await.unwrap()
            }
        };
        let names = |view: &szpon_bots::gamification::ProgressView| -> Vec<(String, u32)> {
            view.top.iter().map(|e| (e.learner.to_string(), e.xp)).collect()
        };
        let course = view("@ewa:localhost", Board::Course("RODO".into())).await;
        assert_eq!(course.board_name.as_deref(), Some("RODO w urzędzie"));
        assert_eq!(
            names(&course),
            [("@ola:localhost".into(), 80), ("@piotr:localhost".into(), 70), ("@ewa:localhost".into(), 60)],
            "by the course's XP; the citizen who did not opt in and Jan who opted out are not there"
        );
        assert_eq!(course.ahead, 2);
        let unknown = view("@ewa:localhost", Board::Course("nie-ma".into())).await;
        assert_eq!((unknown.board_name, unknown.top.len()), (None, 0));

        let department = view("@ola:localhost", Board::Department).await;
        assert_eq!(department.board_name.as_deref(), Some("usc"));
        assert_eq!(names(&department), [("@ewa:localhost".into(), 400), ("@ola:localhost".into(), 300)]);
        assert_eq!(department.ahead, 1, "Piotr is in another department and Jan opted out");
        let nowhere = view("@obywatel:localhost", Board::Department).await;
        assert_eq!((nowhere.board_name, nowhere.top.len()), (None, 0));

        // Jan opts back in: both boards show him again.
        store.apply_outcome(&[visibility("@jan:localhost", Visibility::Shown)], &[], t0()).await.unwrap();
        assert_eq!(names(&view("@ewa:localhost", Board::Course("rodo".into())).await)[0], ("@jan:localhost".into(), 90));
        assert_eq!(names(&view("@ewa:localhost", Board::Department).await)[0], ("@jan:localhost".into(), 900));
    })
    .await;
}

#[tokio::test]
async fn the_migration_that_keeps_course_xp_works_every_learner_out_again_by_the_bots_rule() {
    use szpon::store::{Backend, booking::JobOutcome};
    use szpon_bots::{JobContext, Outcome};
    super::each_backend_raw(|store, raw| async move {
        store
            .apply_outcome(&[lesson("@ola:localhost", 1), lesson("@ola:localhost", 2)], &[], t0())
            .await
            .unwrap();
        let dialect = match store.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        let path = format!("{}/migrations/{dialect}/0027_boards.sql", env!("CARGO_MANIFEST_DIR"));
        let migration = std::fs::read_to_string(path).unwrap();
        let backfill = &migration[migration.find("INSERT INTO jobs").unwrap()..];
        sqlx::query(sqlx::AssertSqlSafe(backfill.to_owned())).execute(&raw).await.unwrap();
        let seen = std::sync::Mutex::new(Vec::new());
        store
            .run_due_jobs(t0(), 10, |job, context| {
                if let JobContext::Learner(record) = context {
                    seen.lock().unwrap().push((format!("{job:?}"), record.events.len()));
                }
                JobOutcome { outcome: Outcome::default(), actions: Vec::new() }
            })
            .await
            .unwrap();
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen[0].0.contains("@ola:localhost") && seen[0].0.contains("course-xp"), "{seen:?}");
        assert_eq!(seen[0].1, 2);
    })
    .await;
}
