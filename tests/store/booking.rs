//! Visits and jobs in the store, on both backends: no double booking, whatever the
//! concurrency, and jobs that run exactly once.

use std::{collections::HashSet, sync::Arc};

use chrono::{DateTime, Duration, TimeZone, Utc};
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, room_id, user_id};
use szpon::{
    engine::Engine,
    metrics::Metrics,
    store::{Commit, NewAction, Store, StoreError, booking::JobOutcome},
};
use szpon_bots::{
    Action, BotConfig, Input, Job, JobContext, Lang, ManualClock, MessageContent, Notice, OfficeBot, Outcome,
    RoomKind, UserMessage,
    booking::{BookingChange, BookingJob, Effect, Office, Visit, VisitStatus, VisitTime},
};
use szpon_homeserver_bridge::FakeHomeserver;

use super::{each_backend, t0};

/// Minutes after Tuesday 24 November 2026, 8:00 in Warsaw: visits sit on the five-minute grid.
fn at(minutes: i64) -> DateTime<Utc> {
    warsaw(2026, 11, 24, 8, 0) + Duration::minutes(minutes)
}

fn visit(code: &str, citizen: &str, from: i64, until: i64) -> Visit {
    Visit {
        code: code.into(),
        citizen: OwnedUserId::try_from(citizen).unwrap(),
        room_id: room_id!("!dm:localhost").to_owned(),
        service: "meldunek".into(),
        time: VisitTime {
            clerk: user_id!("@urzednik:localhost").to_owned(),
            start: at(from),
            end: at(until),
            held_from: at(from),
            held_until: at(until),
        },
        status: VisitStatus::Booked,
        lang: Lang::Pl,
        checked_in_at: None,
    }
}

async fn apply(store: &Store, effects: &[Effect], actions: &[NewAction]) -> Result<bool, StoreError> {
    let user = user_id!("@jan:localhost");
    store
        .commit(
            &Commit { event: None, user_id: user, person: None, actions, effects, direct_room: None },
            t0(),
        )
        .await
}

fn notice(text: &str) -> NewAction {
    NewAction {
        txn_id: format!("txn-{text}-{}", szpon_test_harness::random_suffix()),
        action: Action::SendNotice {
            room_id: room_id!("!r:localhost").to_owned(),
            notice: Notice::from_plain(text.into()),
        },
    }
}

#[tokio::test]
async fn overlapping_time_is_refused_and_nothing_of_the_commit_is_written() {
    each_backend(|store| async move {
        apply(&store, &[Effect::Booking(BookingChange::Book(visit("AAAAAA", "@jan:localhost", 0, 30)))], &[])
            .await
            .unwrap();
        // Overlaps by five minutes, with a different code and citizen.
        let second = visit("CCCCCC", "@ola:localhost", 25, 40);
        let result =
            apply(&store, &[Effect::Booking(BookingChange::Book(second))], &[notice("potwierdzenie")]).await;
        assert!(matches!(result, Err(StoreError::SlotTaken)), "{result:?}");
        assert_eq!(store.pending_count().await.unwrap(), 0, "the confirmation is not sent");
        assert!(store.visit("CCCCCC").await.unwrap().is_none());
        // Right after the first visit is fine.
        apply(
            &store,
            &[Effect::Booking(BookingChange::Book(visit("CCCCCC", "@ola:localhost", 30, 45)))],
            &[],
        )
        .await
        .unwrap();
        let busy = store.busy_between(at(-60), at(120)).await.unwrap();
        assert_eq!(busy.len(), 2);
        // The same code again is a code clash, not a time clash.
        let clash = apply(
            &store,
            &[Effect::Booking(BookingChange::Book(visit("AAAAAA", "@ewa:localhost", 100, 110)))],
            &[],
        )
        .await;
        assert!(matches!(clash, Err(StoreError::CodeTaken)), "{clash:?}");
    })
    .await;
}

#[tokio::test]
async fn cancelling_frees_the_time_and_moving_keeps_the_old_time_on_conflict() {
    each_backend(|store| async move {
        apply(&store, &[Effect::Booking(BookingChange::Book(visit("AAAAAA", "@jan:localhost", 0, 30)))], &[])
            .await
            .unwrap();
        apply(
            &store,
            &[Effect::Booking(BookingChange::Book(visit("CCCCCC", "@ola:localhost", 60, 90)))],
            &[],
        )
        .await
        .unwrap();
        let onto_other = visit("AAAAAA", "@jan:localhost", 70, 100).time;
        let moved = apply(
            &store,
            &[Effect::Booking(BookingChange::Move { code: "AAAAAA".into(), time: onto_other })],
            &[],
        )
        .await;
        assert!(matches!(moved, Err(StoreError::SlotTaken)));
        assert_eq!(store.visit("AAAAAA").await.unwrap().unwrap().time.start, at(0));
        // The old time is still held.
        let over_old = apply(
            &store,
            &[Effect::Booking(BookingChange::Book(visit("DDDDDD", "@ewa:localhost", 10, 20)))],
            &[],
        )
        .await;
        assert!(matches!(over_old, Err(StoreError::SlotTaken)));

        let cancel = Effect::Booking(BookingChange::SetStatus {
            code: "CCCCCC".into(),
            status: VisitStatus::Cancelled,
            at: t0(),
        });
        apply(&store, &[cancel], &[]).await.unwrap();
        let free_now = visit("AAAAAA", "@jan:localhost", 70, 100).time;
        apply(&store, &[Effect::Booking(BookingChange::Move { code: "AAAAAA".into(), time: free_now })], &[])
            .await
            .unwrap();
        apply(&store, &[Effect::Booking(BookingChange::Book(visit("DDDDDD", "@ewa:localhost", 0, 30)))], &[])
            .await
            .unwrap();
        let jan = store.upcoming_visits_of(user_id!("@jan:localhost"), at(-1)).await.unwrap();
        assert_eq!(jan.iter().map(|v| v.time.start).collect::<Vec<_>>(), [at(70)]);
        let ola = store.upcoming_visits_of(user_id!("@ola:localhost"), at(-1)).await.unwrap();
        assert!(ola.is_empty(), "a cancelled visit is not listed");
    })
    .await;
}

#[tokio::test]
async fn two_hundred_concurrent_bookings_of_twenty_slots_confirm_exactly_twenty() {
    each_backend(|store| async move {
        let mut tasks = Vec::new();
        for i in 0..200 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let slot = (i % 20) * 15;
                let code = format!("{:0>6}", i).replace('0', "A").replace('1', "C").replace('2', "D");
                let booking = visit(&code, &format!("@citizen{i}:localhost"), slot, slot + 15);
                apply(&store, &[Effect::Booking(BookingChange::Book(booking))], &[notice(&format!("ok{i}"))])
                    .await
            }));
        }
        let mut confirmed = 0;
        let mut taken = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(true) => confirmed += 1,
                Err(StoreError::SlotTaken) => taken += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((confirmed, taken), (20, 180));
        assert_eq!(store.pending_count().await.unwrap(), 20, "only the winners' confirmations are stored");
        assert_eq!(store.busy_between(at(-1), at(600)).await.unwrap().len(), 20);
    })
    .await;
}

fn reminder(code: &str, due: DateTime<Utc>) -> Effect {
    let job = BookingJob::Reminder { code: code.into(), start: due + Duration::hours(1) };
    Effect::Schedule { job: Job::Booking(job), due }
}

fn decide_one_notice(job: &Job) -> JobOutcome {
    let Job::Booking(BookingJob::Reminder { code, .. }) = job else { panic!("{job:?}") };
    JobOutcome { outcome: Outcome::default(), actions: vec![notice(&format!("reminder-{code}"))] }
}

#[tokio::test]
async fn jobs_run_once_when_due_and_scheduling_twice_is_harmless() {
    each_backend(|store| async move {
        apply(
            &store,
            &[reminder("AAAAAA", at(10)), reminder("AAAAAA", at(10)), reminder("CCCCCC", at(20))],
            &[],
        )
        .await
        .unwrap();
        assert_eq!(store.pending_jobs().await.unwrap(), 2);
        assert_eq!(store.next_job_due().await.unwrap(), Some(at(10)));
        assert!(store.run_due_jobs(at(9), 10, |j, _| decide_one_notice(j)).await.unwrap().is_empty());
        let fired = store.run_due_jobs(at(15), 10, |j, _| decide_one_notice(j)).await.unwrap();
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].due_at, at(10));
        assert!(store.run_due_jobs(at(15), 10, |j, _| decide_one_notice(j)).await.unwrap().is_empty());
        assert_eq!(store.pending_count().await.unwrap(), 1);
        assert_eq!(store.pending_jobs().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_reminder_job_sees_the_visit_as_it_is_now() {
    each_backend(|store| async move {
        apply(
            &store,
            &[
                Effect::Booking(BookingChange::Book(visit("AAAAAA", "@jan:localhost", 120, 135))),
                reminder("AAAAAA", at(60)),
            ],
            &[],
        )
        .await
        .unwrap();
        let cancel = Effect::Booking(BookingChange::SetStatus {
            code: "AAAAAA".into(),
            status: VisitStatus::Cancelled,
            at: t0(),
        });
        apply(&store, &[cancel], &[]).await.unwrap();
        let seen = std::sync::Mutex::new(None);
        store
            .run_due_jobs(at(61), 10, |_, context| {
                let JobContext::Visit(visit) = context else { panic!("{context:?}") };
                *seen.lock().unwrap() = visit.as_ref().map(|v| v.status);
                JobOutcome { outcome: Outcome::default(), actions: vec![] }
            })
            .await
            .unwrap();
        assert_eq!(*seen.lock().unwrap(), Some(VisitStatus::Cancelled));
    })
    .await;
}

/// Several szpon processes share one PostgreSQL: each job still runs exactly once.
#[tokio::test]
async fn concurrent_job_runners_never_run_a_job_twice() {
    each_backend(|store| async move {
        let effects: Vec<Effect> = (0..1000).map(|i| reminder(&format!("J{i:05}"), at(i % 60))).collect();
        apply(&store, &effects, &[]).await.unwrap();
        let runners = (0..4).map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut fired = Vec::new();
                loop {
                    let batch = store.run_due_jobs(at(120), 50, |j, _| decide_one_notice(j)).await.unwrap();
                    if batch.is_empty() {
                        return fired;
                    }
                    fired.extend(batch.into_iter().map(|j| format!("{:?}", j.job)));
                }
            })
        });
        let mut all = Vec::new();
        for runner in runners {
            all.extend(runner.await.unwrap());
        }
        let distinct: HashSet<_> = all.iter().collect();
        assert_eq!((all.len(), distinct.len()), (1000, 1000));
        assert_eq!(store.pending_count().await.unwrap(), 1000);
    })
    .await;
}

fn warsaw(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn citizen_says(i: usize, turn: usize, body: &str) -> Input {
    Input::Message(UserMessage {
        event_id: OwnedEventId::try_from(format!("$c{i}t{turn}")).unwrap(),
        room_id: OwnedRoomId::try_from(format!("!dm{i}:localhost")).unwrap(),
        sender: OwnedUserId::try_from(format!("@citizen{i}:localhost")).unwrap(),
        room_kind: RoomKind::Direct,
        content: MessageContent::Text { body: body.to_owned() },
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: true,
        private_chat: false,
        in_reply_to: None,
    })
}

/// The race through the bot, in an office with exactly twenty 15-minute slots in its window
/// (one Tuesday): 200 citizens in their own chats answer "1" at once for 20 times.
#[tokio::test]
async fn two_hundred_citizens_racing_for_twenty_slots_get_twenty_confirmations_and_180_clear_refusals() {
    each_backend(|store| async move {
        let office = Arc::new(
            Office::parse(&szpon_test_harness::one_clerk_office(6, 15, &["tuesday"], "08:00-13:00")).unwrap(),
        );
        let config =
            BotConfig::new(user_id!("@urzad:localhost").to_owned(), "Urząd").with_office(Some(office));
        let clock = Arc::new(ManualClock::new(warsaw(2026, 11, 23, 10, 0)));
        let engine = Engine::new(store.clone(), OfficeBot::new(config), clock, Metrics::new());
        for i in 0..200 {
            let minutes = (i % 20) * 15;
            let ask = format!("wizyta sprawa ogólna po {}:{:02}", 8 + minutes / 60, minutes % 60);
            engine.process(&citizen_says(i, 1, &ask)).await.unwrap();
        }
        let homeserver = FakeHomeserver::new();
        for i in 0..200 {
            homeserver.join(&ruma::OwnedRoomId::try_from(format!("!dm{i}:localhost")).unwrap());
        }
        while engine.deliver_due(&homeserver).await.unwrap() > 0 {}
        let offers = homeserver.performed().len();
        assert_eq!(offers, 200);
        let racers: Vec<_> = (0..200)
            .map(|i| {
                let engine = engine.clone();
                tokio::spawn(async move { engine.process(&citizen_says(i, 2, "1")).await })
            })
            .collect();
        for racer in racers {
            racer.await.unwrap().unwrap();
        }
        while engine.deliver_due(&homeserver).await.unwrap() > 0 {}
        let answers: Vec<String> = homeserver.performed()[offers..]
            .iter()
            .map(|a| match a {
                Action::SendNotice { notice, .. } => notice.plain.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        let confirmed =
            answers.iter().filter(|t| t.starts_with("Gotowe! Wizyta jest zarezerwowana.")).count();
        let taken =
            answers.iter().filter(|t| t.starts_with("Przepraszam, ten termin został właśnie zajęty")).count();
        assert_eq!((answers.len(), confirmed, taken), (200, 20, 180));
    })
    .await;
}

#[tokio::test]
async fn feed_addresses_are_per_person_replaced_and_the_old_ones_stop_working() {
    each_backend(|store| async move {
        let anna = user_id!("@urzednik:localhost").to_owned();
        let maria = user_id!("@wisniewska:localhost").to_owned();
        let feed = szpon_bots::booking::Feed::Department("ewidencja".into());
        let new = |holder: &ruma::OwnedUserId, token: &str| {
            Effect::Booking(BookingChange::NewFeedToken {
                feed: feed.clone(),
                holder: holder.clone(),
                token: token.repeat(32),
            })
        };
        apply(&store, &[new(&anna, "A"), new(&maria, "M")], &[]).await.unwrap();
        assert_eq!(store.feed_of_token(&"A".repeat(32)).await.unwrap(), Some((feed.clone(), anna.clone())));
        apply(&store, &[new(&anna, "B")], &[]).await.unwrap();
        assert_eq!(store.feed_of_token(&"A".repeat(32)).await.unwrap(), None);
        assert_eq!(store.feed_of_token(&"B".repeat(32)).await.unwrap(), Some((feed.clone(), anna.clone())));
        assert_eq!(store.feed_of_token(&"M".repeat(32)).await.unwrap(), Some((feed.clone(), maria)));
        assert_eq!(
            store.feeds_held(&anna, std::slice::from_ref(&feed)).await.unwrap(),
            std::slice::from_ref(&feed)
        );
        let piotr = user_id!("@kowalski:localhost");
        assert!(store.feeds_held(piotr, std::slice::from_ref(&feed)).await.unwrap().is_empty());
        assert_eq!(store.feed_of_token("nonsense").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn another_persons_dialogue_is_set_without_touching_their_language() {
    each_backend(|store| async move {
        let ola = user_id!("@ola:localhost");
        let english = szpon_bots::Person { chosen_language: Some(Lang::En), ..szpon_bots::Person::default() };
        store
            .commit(
                &Commit {
                    event: None,
                    user_id: ola,
                    person: Some(&english),
                    actions: &[],
                    effects: &[],
                    direct_room: None,
                },
                t0(),
            )
            .await
            .unwrap();
        let dialogue =
            szpon_bots::booking::Dialogue::ChoosingService { since: t0(), options: vec!["meldunek".into()] };
        let set = Effect::Booking(BookingChange::SetDialogue {
            user_id: ola.to_owned(),
            dialogue: Some(dialogue.clone()),
        });
        apply(&store, &[set], &[]).await.unwrap();
        let person = store.person(ola, t0()).await.unwrap();
        assert_eq!((person.chosen_language, person.dialogue), (Some(Lang::En), Some(dialogue)));
    })
    .await;
}

/// Addresses made before they were hashed: on SQLite and PostgreSQL alike, a person's own
/// keeps working (now as a hash), the shared ones are dropped, and no plain token is left.
#[tokio::test]
async fn old_plain_feed_tokens_are_hashed_or_dropped_at_connect() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let mut urls = vec![url];
    if let Ok(server) = std::env::var("SZPON_TEST_DATABASE_URL") {
        urls.push(szpon_test_harness::fresh_postgres_database(&server).await.unwrap());
    }
    for url in urls {
        Store::connect(&url).await.unwrap().close().await;
        sqlx::any::install_default_drivers();
        let raw = sqlx::AnyPool::connect(&url).await.unwrap();
        for (token, kind, owner) in [
            ("P".repeat(32), "person", "@urzednik:localhost"),
            ("D".repeat(32), "department", "ewidencja"),
            ("R".repeat(32), "room", "!zespol:localhost"),
        ] {
            sqlx::query(
                "INSERT INTO feed_tokens (token, owner_kind, owner, created_at) VALUES ($1, $2, $3, 0)",
            )
            .bind(token)
            .bind(kind)
            .bind(owner)
            .execute(&raw)
            .await
            .unwrap();
        }
        let store = Store::connect(&url).await.unwrap();
        let anna = user_id!("@urzednik:localhost").to_owned();
        let person = szpon_bots::booking::Feed::Person(anna.clone());
        assert_eq!(store.feed_of_token(&"P".repeat(32)).await.unwrap(), Some((person, anna)));
        assert_eq!(store.feed_of_token(&"D".repeat(32)).await.unwrap(), None);
        assert_eq!(store.feed_of_token(&"R".repeat(32)).await.unwrap(), None);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feed_tokens").fetch_one(&raw).await.unwrap();
        assert_eq!(left, 0, "no token is kept in the clear");
        raw.close().await;
        store.close().await;
    }
}
