//! The store on SQLite and, when SZPON_TEST_DATABASE_URL is set, on PostgreSQL: every test
//! runs on a fresh database of each kind.

use chrono::{DateTime, Duration, Utc};
use ruma::{event_id, room_id, user_id};
use szpon::store::{NewAction, PendingAction, Store};
use szpon_bots::{Action, Lang, Notice, Person, learning::DirectMessage};

mod booking;
mod certificates;
mod courses;
mod durable;
mod gamification;
mod helpdesk;
mod live;
mod review;
mod tasks;

struct TestDb {
    store: Store,
    url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::connect(&url).await.unwrap();
    TestDb { store, url, _sqlite_dir: Some(dir) }
}

/// A fresh PostgreSQL database, or None (said plainly) when no server is configured.
async fn postgres() -> Option<TestDb> {
    let Ok(url) = std::env::var("SZPON_TEST_DATABASE_URL") else {
        eprintln!("SZPON_TEST_DATABASE_URL is unset: skipping the PostgreSQL run of this test");
        return None;
    };
    let db_url = szpon_test_harness::fresh_postgres_database(&url).await.unwrap();
    Some(TestDb { store: Store::connect(&db_url).await.unwrap(), url: db_url, _sqlite_dir: None })
}

pub(crate) async fn each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    test(sqlite().await.store).await;
    if let Some(db) = postgres().await {
        test(db.store).await;
    }
}

/// As [`each_backend`], with a second connection to the same database, for writing rows as
/// another version of szpon (or a damaged disk) would have left them.
pub(crate) async fn each_backend_raw<F, Fut>(test: F)
where
    F: Fn(Store, sqlx::AnyPool) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    sqlx::any::install_default_drivers();
    let lite = sqlite().await;
    let raw = sqlx::AnyPool::connect(&lite.url).await.unwrap();
    test(lite.store, raw).await;
    if let Some(db) = postgres().await {
        let raw = sqlx::AnyPool::connect(&db.url).await.unwrap();
        test(db.store, raw).await;
    }
}

pub(crate) fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000, 0).unwrap()
}

fn notice(text: &str) -> NewAction {
    NewAction {
        txn_id: format!("txn-{text}-{}", szpon_test_harness::random_suffix()),
        action: Action::SendNotice {
            room_id: room_id!("!r:localhost").to_owned(),
            notice: Notice::from_plain(text.to_owned()),
        },
    }
}

fn notice_text(action: &Action) -> &str {
    match action {
        Action::SendNotice { notice, .. } => &notice.plain,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_event_is_recorded_once() {
    each_backend(|store| async move {
        let event = Some((event_id!("$a"), room_id!("!r:localhost")));
        let user = user_id!("@jan:localhost");
        assert!(store.commit_outcome(event, user, None, &[notice("one")], t0()).await.unwrap());
        assert!(!store.commit_outcome(event, user, None, &[notice("again")], t0()).await.unwrap());
        let due = store.due_actions(t0(), 10).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(notice_text(&due[0].action), "one");
        assert!(store.is_processed(event_id!("$a")).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_failed_commit_writes_nothing() {
    each_backend(|store| async move {
        let user = user_id!("@jan:localhost");
        let first = notice("first");
        store.commit_outcome(None, user, None, std::slice::from_ref(&first), t0()).await.unwrap();
        // The second action reuses a transaction ID, so the whole commit must fail…
        let person = Person { chosen_language: Some(Lang::En), ..Person::default() };
        let event = Some((event_id!("$b"), room_id!("!r:localhost")));
        let result = store.commit_outcome(event, user, Some(&person), &[notice("x"), first], t0()).await;
        assert!(result.is_err());
        // …and leave no trace: the event can be handled again, the person is unchanged.
        assert!(!store.is_processed(event_id!("$b")).await.unwrap());
        assert_eq!(store.person(user, t0()).await.unwrap(), Person::default());
        assert_eq!(store.pending_count().await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn people_are_remembered() {
    each_backend(|store| async move {
        let user = user_id!("@anna:localhost");
        assert_eq!(store.person(user, t0()).await.unwrap(), Person::default());
        let person = Person {
            chosen_language: Some(Lang::En),
            detected_language: Some(Lang::Pl),
            ..Person::default()
        };
        store.commit_outcome(None, user, Some(&person), &[], t0()).await.unwrap();
        assert_eq!(store.person(user, t0()).await.unwrap(), person);
        let changed =
            Person { chosen_language: None, detected_language: Some(Lang::En), ..Person::default() };
        store.commit_outcome(None, user, Some(&changed), &[], t0()).await.unwrap();
        assert_eq!(store.person(user, t0()).await.unwrap(), changed);
    })
    .await;
}

#[tokio::test]
async fn lanes_being_delivered_are_left_out_of_the_next_batch() {
    each_backend(|store| async move {
        let user = user_id!("@jan:localhost");
        let in_room = |room: &str, text: &str| NewAction {
            txn_id: format!("txn-{text}-{}", szpon_test_harness::random_suffix()),
            action: Action::SendNotice {
                room_id: room.try_into().unwrap(),
                notice: Notice::from_plain(text.to_owned()),
            },
        };
        let actions =
            [in_room("!a:localhost", "a1"), in_room("!b:localhost", "b1"), in_room("!c:localhost", "c1")];
        store.commit_outcome(None, user, None, &actions, t0()).await.unwrap();
        let texts = |due: Vec<PendingAction>| -> Vec<String> {
            due.iter().map(|p| notice_text(&p.action).to_owned()).collect()
        };
        let all = store.due_actions_outside(t0(), 10, &[]).await.unwrap();
        assert_eq!(texts(all), ["a1", "b1", "c1"]);
        let rest = store.due_actions_outside(t0(), 10, &["!a:localhost", "!c:localhost"]).await.unwrap();
        assert_eq!(texts(rest), ["b1"]);
        // A batch of one is not used up by a lane already on its way.
        let next = store.due_actions_outside(t0(), 1, &["!a:localhost"]).await.unwrap();
        assert_eq!(texts(next), ["b1"]);
    })
    .await;
}

#[tokio::test]
async fn outbox_keeps_order_retries_and_gives_up() {
    each_backend(|store| async move {
        let user = user_id!("@jan:localhost");
        store.commit_outcome(None, user, None, &[notice("1"), notice("2"), notice("3")], t0()).await.unwrap();
        let due = store.due_actions(t0(), 10).await.unwrap();
        let texts: Vec<_> = due.iter().map(|p| notice_text(&p.action).to_owned()).collect();
        assert_eq!(texts, ["1", "2", "3"]);

        store.mark_done(due[0].id, t0()).await.unwrap();
        store
            .mark_failed(due[1].id, "homeserver down", t0(), Some(t0() + Duration::seconds(30)))
            .await
            .unwrap();
        store.mark_failed(due[2].id, "forbidden", t0(), None).await.unwrap();

        assert!(store.due_actions(t0() + Duration::seconds(29), 10).await.unwrap().is_empty());
        assert_eq!(store.next_due().await.unwrap(), Some(t0() + Duration::seconds(30)));
        let later = store.due_actions(t0() + Duration::seconds(30), 10).await.unwrap();
        assert_eq!(later.len(), 1);
        assert_eq!(notice_text(&later[0].action), "2");
        assert_eq!(later[0].attempts, 1);
        assert_eq!(store.pending_count().await.unwrap(), 1);
    })
    .await;
}

fn direct(to: &str, text: &str) -> NewAction {
    NewAction {
        txn_id: format!("txn-{text}-{}", szpon_test_harness::random_suffix()),
        action: Action::Direct {
            user_id: to.try_into().unwrap(),
            message: DirectMessage::Notice(Notice::from_plain(text.to_owned())),
        },
    }
}

#[tokio::test]
async fn a_message_to_a_person_waits_behind_a_postponed_answer_in_their_direct_chat() {
    each_backend(|store| async move {
        let anna = user_id!("@anna:localhost");
        store.record_private_chat(anna, room_id!("!r:localhost"), t0()).await.unwrap();
        store.commit_outcome(None, anna, None, &[notice("answer")], t0()).await.unwrap();
        let answer = store.due_actions(t0(), 10).await.unwrap().remove(0);
        assert_eq!(answer.lane, "!r:localhost");
        let retry_at = t0() + Duration::seconds(30);
        store.mark_failed(answer.id, "homeserver down", t0(), Some(retry_at)).await.unwrap();

        // Read in a later batch: the lesson for Anna goes to the same chat, so it waits; a
        // lesson for someone else goes now.
        let lessons = [direct("@anna:localhost", "lesson"), direct("@ola:localhost", "lesson")];
        store.commit_outcome(None, anna, None, &lessons, t0()).await.unwrap();
        let due = store.due_actions(t0() + Duration::seconds(1), 10).await.unwrap();
        let people: Vec<_> = due
            .iter()
            .map(|p| match &p.action {
                Action::Direct { user_id, .. } => user_id.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(people, ["@ola:localhost"]);
        assert_eq!(due[0].lane, "@ola:localhost", "no direct chat with Ola is known yet");

        let later = store.due_actions(retry_at, 10).await.unwrap();
        let order: Vec<_> = later.iter().map(|p| (p.lane.as_str(), &p.action)).collect();
        assert_eq!(order.len(), 3);
        assert_eq!(order[0].0, "!r:localhost");
        assert_eq!(notice_text(order[0].1), "answer");
        assert!(matches!(order[1].1, Action::Direct { user_id, .. } if user_id == anna));
    })
    .await;
}

#[tokio::test]
async fn an_unreadable_action_is_set_aside_and_the_rest_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::connect(&url).await.unwrap();
    let user = user_id!("@jan:localhost");
    store.commit_outcome(None, user, None, &[notice("first"), notice("second")], t0()).await.unwrap();
    // Another version's action, or a damaged row.
    sqlx::any::install_default_drivers();
    let raw = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("UPDATE outbox SET action = '{\"Teleport\":{}}' WHERE id = (SELECT MIN(id) FROM outbox)")
        .execute(&raw)
        .await
        .unwrap();
    let due = store.due_actions(t0(), 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(notice_text(&due[0].action), "second");
    assert_eq!(store.pending_count().await.unwrap(), 1, "the unreadable row is given up, not retried");
}

#[tokio::test]
async fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::connect(&url).await.unwrap();
    store
        .commit_outcome(
            Some((event_id!("$c"), room_id!("!r:localhost"))),
            user_id!("@j:localhost"),
            None,
            &[notice("kept")],
            t0(),
        )
        .await
        .unwrap();
    store.close().await;
    let store = Store::connect(&url).await.unwrap();
    assert!(store.is_processed(event_id!("$c")).await.unwrap());
    assert_eq!(store.pending_count().await.unwrap(), 1);
}

#[tokio::test]
async fn unsupported_urls_are_refused_clearly() {
    let error = Store::connect("mysql://localhost/x").await.unwrap_err().to_string();
    assert!(error.contains("use sqlite://… or postgres://…"), "{error}");
}

fn notice_in(room: &str, text: &str) -> NewAction {
    NewAction {
        txn_id: format!("txn-{text}-{}", szpon_test_harness::random_suffix()),
        action: Action::SendNotice {
            room_id: room.try_into().unwrap(),
            notice: Notice::from_plain(text.to_owned()),
        },
    }
}

/// A course room whose creation keeps failing, with 1,200 invitations queued behind it, once
/// filled every batch the sender read: no other room got anything.
#[tokio::test]
async fn a_long_postponed_lane_never_holds_back_another() {
    each_backend(|store| async move {
        let system = user_id!("@szpon:localhost");
        let stuck: Vec<_> =
            (0..1200).map(|n| notice_in("!course:localhost", &format!("invite {n}"))).collect();
        store.commit_outcome(None, system, None, &stuck, t0()).await.unwrap();
        let head = store.due_actions(t0(), 1).await.unwrap().remove(0);
        store.mark_failed(head.id, "room not created", t0(), Some(t0() + Duration::hours(1))).await.unwrap();
        store
            .commit_outcome(None, system, None, &[notice_in("!other:localhost", "hello")], t0())
            .await
            .unwrap();

        let due = store.due_actions(t0() + Duration::seconds(1), 200).await.unwrap();
        let lanes: Vec<_> = due.iter().map(|p| p.lane.as_str()).collect();
        assert_eq!(lanes, ["!other:localhost"]);
    })
    .await;
}

/// An answer to someone who just wrote goes in the next batch, before a lesson to thousands
/// queued earlier; within its own chat it still keeps its place.
#[tokio::test]
async fn an_answer_waits_behind_no_more_than_one_batch_of_bulk() {
    each_backend(|store| async move {
        let system = user_id!("@szpon:localhost");
        let lessons: Vec<_> =
            (0..500).map(|n| notice_in(&format!("!learner{n}:localhost"), "lesson")).collect();
        store.commit_outcome(None, system, None, &lessons, t0()).await.unwrap();
        let jan = user_id!("@jan:localhost");
        let event = Some((event_id!("$pomoc"), room_id!("!learner7:localhost")));
        let answer = notice_in("!learner7:localhost", "answer");
        store.commit_outcome(event, jan, None, &[answer], t0()).await.unwrap();

        let batch = store.due_actions(t0(), 200).await.unwrap();
        let texts: Vec<_> = batch.iter().take(2).map(|p| (p.lane.as_str(), notice_text(&p.action))).collect();
        assert_eq!(texts, [("!learner7:localhost", "lesson"), ("!learner7:localhost", "answer")]);
        assert_eq!(batch.len(), 200);
    })
    .await;
}

#[tokio::test]
async fn given_up_actions_are_listed_and_sent_again_by_id() {
    each_backend(|store| async move {
        let user = user_id!("@jan:localhost");
        store.commit_outcome(None, user, None, &[notice("a"), notice("b")], t0()).await.unwrap();
        let due = store.due_actions(t0(), 10).await.unwrap();
        for pending in &due {
            store.mark_failed(pending.id, "forbidden", t0(), None).await.unwrap();
        }
        let failed = store.failed_actions(10).await.unwrap();
        assert_eq!(failed.len(), 2);
        assert_eq!(failed[0].last_error, "forbidden");
        let later = t0() + Duration::hours(30);
        let retried = store.retry_failed(&szpon::store::Retry::Ids(vec![due[1].id]), later).await.unwrap();
        assert_eq!(retried, 1);
        let again = store.due_actions(later, 10).await.unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!(notice_text(&again[0].action), "b");
        assert_eq!(again[0].failing_since, later, "a retried action has a fresh day to go through");
        assert_eq!(store.failed_actions(10).await.unwrap().len(), 1);
    })
    .await;
}
