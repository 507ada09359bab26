use chrono::TimeZone;
use chrono_tz::Europe::Warsaw;
use ruma::owned_user_id;

use super::*;
use crate::{Lang, gamification::Recorded};

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Warsaw.with_ymd_and_hms(2026, 12, d, h, 0, 0).single().unwrap().to_utc()
}

fn event(key: &str, at: DateTime<Utc>, activity: Activity) -> Recorded {
    Recorded { key: key.into(), at, activity }
}

fn lesson(n: u32, at: DateTime<Utc>) -> Recorded {
    event(&format!("lesson:rodo:{n}"), at, Activity::Lesson { course_id: "rodo".into() })
}

fn texts(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|action| match action {
            Action::Direct { message: DirectMessage::Notice(notice), .. } => Some(notice.plain.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn each_learner_of_last_week_gets_their_week_on_monday_morning() {
    let rules = Rules::new(Warsaw);
    // Monday 7 to Sunday 13 December; the 14th is the Monday of the summary.
    let ola = LearnerRecord {
        events: vec![
            lesson(1, at(6, 23)),
            lesson(2, at(7, 9)),
            lesson(3, at(13, 23)),
            event("answer:rodo:1:0", at(8, 10), Activity::RightAnswer { course_id: "rodo".into() }),
            event(
                "finished:rodo",
                at(13, 23),
                Activity::CourseFinished { course_id: "rodo".into(), score: Some(100), title: "RODO".into() },
            ),
        ],
        lang: Lang::Pl,
        ..LearnerRecord::default()
    };
    let quiet = LearnerRecord { events: vec![lesson(1, at(2, 9))], ..LearnerRecord::default() };
    let learners = vec![(owned_user_id!("@ola:localhost"), ola), (owned_user_id!("@jan:localhost"), quiet)];
    let monday = NaiveDate::from_ymd_opt(2026, 12, 14).unwrap();
    let (actions, effects) = weekly_summaries(&learners, monday, &rules, at(14, 8));
    let said = texts(&actions);
    assert_eq!(said.len(), 1, "nothing for a learner who did not learn last week: {said:?}");
    // The lesson at 23:00 on the 6th is the week before; the one at 23:00 on the 13th counts.
    assert!(
        said[0].starts_with(
            "Twój tydzień nauki (7 grudnia – 13 grudnia): 85 XP. Lekcje: 2, dobre odpowiedzi: 1, ukończone kursy: 1. Masz razem 95 XP, poziom: Nowicjusz."
        ),
        "{said:?}"
    );
    assert!(said[0].ends_with(" Seria: 1 dzień nauki z rzędu. Powodzenia w tym tygodniu!"), "{said:?}");
    assert!(
        matches!(&effects[..], [Effect::Schedule { due, .. }] if *due == at(21, SUMMARY_HOUR)),
        "next Monday: {effects:?}"
    );

    // Run a day late (szpon was down), it sends nothing and schedules next Monday's.
    let (late, effects) = weekly_summaries(&learners, monday, &rules, at(15, 12));
    assert!(late.is_empty());
    assert!(matches!(&effects[..], [Effect::Schedule { due, .. }] if *due == at(21, SUMMARY_HOUR)));
}

#[test]
fn the_next_summary_is_next_monday_or_this_one_before_its_hour() {
    let job_day = |now| match next_weekly_summaries_job(now, Warsaw) {
        Some(Effect::Schedule {
            job: Job::Gamification(GamificationJob::WeeklySummaries { monday }),
            ..
        }) => monday.to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(job_day(at(14, 7)), "2026-12-14");
    assert_eq!(job_day(at(14, 8)), "2026-12-21");
    assert_eq!(job_day(at(10, 12)), "2026-12-14");
}
