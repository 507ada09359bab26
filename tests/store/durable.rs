//! Stored rows say their shape's version: rows written before that still read, and a row this
//! version cannot read is set aside, never dropped unseen or retried forever.

use ruma::user_id;
use szpon::store::{NewAction, booking::JobOutcome};
use szpon_bots::{
    Action, Effect, Job, Notice, Outcome, Person,
    booking::{BookingChange, BookingJob, Dialogue},
};

use super::{each_backend_raw, t0};

fn choosing_service() -> Dialogue {
    Dialogue::ChoosingService { since: t0(), options: vec!["meldunek".into()] }
}

fn notice_of(job: &Job) -> JobOutcome {
    let Job::Booking(BookingJob::Reminder { code, .. }) = job else { panic!("{job:?}") };
    let action = Action::SendNotice {
        room_id: ruma::owned_room_id!("!r:localhost"),
        notice: Notice::from_plain(format!("reminder-{code}")),
    };
    JobOutcome {
        outcome: Outcome::default(),
        actions: vec![NewAction { txn_id: format!("txn-{code}"), action }],
    }
}

async fn schedule(store: &szpon::store::Store, code: &str) {
    let job = Job::Booking(BookingJob::Reminder { code: code.into(), start: t0() });
    store.apply_effects(&[Effect::Schedule { job, due: t0() }], t0()).await.unwrap();
}

#[tokio::test]
async fn a_dialogue_stored_before_versions_were_explicit_still_reads() {
    each_backend_raw(|store, raw| async move {
        let ola = user_id!("@ola:localhost");
        let bare = serde_json::to_string(&choosing_service()).unwrap();
        sqlx::query("INSERT INTO people (user_id, dialogue, updated_at) VALUES ($1, $2, 0)")
            .bind(ola.as_str())
            .bind(&bare)
            .execute(&raw)
            .await
            .unwrap();
        assert_eq!(store.person(ola, t0()).await.unwrap().dialogue, Some(choosing_service()));
        let set = BookingChange::SetDialogue { user_id: ola.to_owned(), dialogue: Some(choosing_service()) };
        store.apply_effects(&[Effect::Booking(set)], t0()).await.unwrap();
        let written: String = sqlx::query_scalar("SELECT dialogue FROM people WHERE user_id = $1")
            .bind(ola.as_str())
            .fetch_one(&raw)
            .await
            .unwrap();
        assert!(written.starts_with(r#"{"v":1,"data":"#), "{written}");
        assert!(store.unreadable_rows().await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_dialogue_from_a_newer_szpon_is_set_aside_once_and_the_person_goes_on() {
    each_backend_raw(|store, raw| async move {
        let ola = user_id!("@ola:localhost");
        let newer = r#"{"v":7,"data":{"step":"choosing_drone"}}"#;
        sqlx::query(
            "INSERT INTO people (user_id, chosen_language, dialogue, updated_at) VALUES ($1, 'en', $2, 0)",
        )
        .bind(ola.as_str())
        .bind(newer)
        .execute(&raw)
        .await
        .unwrap();
        let person = store.person(ola, t0()).await.unwrap();
        assert_eq!(person.dialogue, None);
        assert_eq!(person.chosen_language, Some(szpon_bots::Lang::En), "the rest of the person reads");
        store.person(ola, t0()).await.unwrap();
        let aside = store.unreadable_rows().await.unwrap();
        assert_eq!(aside.len(), 1, "set aside once however often it is read: {aside:?}");
        assert_eq!((aside[0].kept_in.as_str(), aside[0].owner.as_str()), ("people.dialogue", ola.as_str()));
        assert!(aside[0].reason.contains("version 7"), "{}", aside[0].reason);
        let kept: String =
            sqlx::query_scalar("SELECT row_json FROM unreadable_rows").fetch_one(&raw).await.unwrap();
        assert_eq!(kept, newer, "the row is kept as it was");
        // The person's next turn stores their state afresh.
        let fresh = Person { chosen_language: Some(szpon_bots::Lang::En), ..Person::default() };
        store.commit_outcome(None, ola, Some(&fresh), &[], t0()).await.unwrap();
        assert_eq!(store.person(ola, t0()).await.unwrap(), fresh);
    })
    .await;
}

#[tokio::test]
async fn an_unreadable_job_is_set_aside_and_the_jobs_beside_it_run() {
    each_backend_raw(|store, raw| async move {
        schedule(&store, "AAAAAA").await;
        schedule(&store, "BBBBBB").await;
        sqlx::query(
            "UPDATE jobs SET job = '{\"kind\":\"teleport\"}' WHERE job_key = (SELECT MIN(job_key) FROM jobs)",
        )
        .execute(&raw)
        .await
        .unwrap();
        let fired = store.run_due_jobs(t0(), 10, |job, _| notice_of(job)).await.unwrap();
        assert_eq!(fired.len(), 1, "the readable job runs");
        assert!(
            store.run_due_jobs(t0(), 10, |job, _| notice_of(job)).await.unwrap().is_empty(),
            "and none again"
        );
        let aside = store.unreadable_rows().await.unwrap();
        assert_eq!(aside.len(), 1);
        assert_eq!(aside[0].kept_in, "jobs");
        let kept: String =
            sqlx::query_scalar("SELECT row_json FROM unreadable_rows").fetch_one(&raw).await.unwrap();
        assert_eq!(kept, r#"{"kind":"teleport"}"#);
    })
    .await;
}
