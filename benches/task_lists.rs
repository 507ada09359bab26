//! A room's task list with 10,000 tasks: `!zadania` and its filters, each through the engine as
//! a message is handled in production (the store's view, the bot's decision, the commit of the
//! answer), beside `pomoc` from the same clerk as the floor, and the store's view alone.
//! SQLite and PostgreSQL side by side.
//! Run: `SZPON_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench task_lists`

mod common;

use std::{sync::Arc, time::Instant};

use chrono::{DateTime, Duration, Utc};
use common::{engine_latency, on_sqlite_and_postgres, percentile};
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, owned_user_id, user_id};
use szpon::{app::SystemClock, engine::Engine, metrics::Metrics, store::Store};
use szpon_bots::{
    BotConfig, Clock, Input, Lang, MessageContent, OfficeBot, RoomKind, UserMessage,
    booking::Effect,
    tasks::{Due, Priority, Task, TaskChange, TaskCommand, TaskFilter, TaskList},
};

const TASKS: i64 = 10_000;
const SAMPLES: usize = 200;
const ROOM: &str = "!wydzial:localhost";
const CLERK: &str = "@anna:localhost";

/// A tenth of the tasks are Anna's, a fifth have passed their deadline, a third are done.
fn task(number: i64, now: DateTime<Utc>) -> (Task, Option<DateTime<Utc>>) {
    let zone = chrono_tz::Europe::Warsaw;
    let offset_days = (number % 60) - 12;
    let date = (now + Duration::days(offset_days)).with_timezone(&zone).date_naive();
    let due = (number % 4 != 0).then_some(Due { date, time: None });
    let assignee: OwnedUserId = if number % 10 == 0 {
        CLERK.try_into().unwrap()
    } else {
        format!("@u{}:localhost", number % 37).try_into().unwrap()
    };
    let task = Task {
        list: TaskList::Room(ROOM.try_into().unwrap()),
        number,
        room_id: ROOM.try_into().unwrap(),
        title: format!("Zadanie numer {number}: sprawdzić wniosek i odpisać"),
        creator: owned_user_id!("@kierownik:localhost"),
        assignee: Some(assignee),
        due,
        priority: if number % 7 == 0 { Priority::Urgent } else { Priority::Normal },
        attachment: None,
        visit: None,
        lang: Lang::Pl,
        created_at: now - Duration::days(30),
        done_at: (number % 3 == 0).then(|| now - Duration::days(1)),
        done_by: (number % 3 == 0).then(|| owned_user_id!("@kierownik:localhost")),
        repeat: None,
    };
    (task, due.map(|d| d.deadline(zone)))
}

fn command(n: usize, body: &str) -> Input {
    Input::Message(UserMessage {
        event_id: OwnedEventId::try_from(format!("$bench{n}-{}", szpon_test_harness::random_suffix()))
            .unwrap(),
        room_id: OwnedRoomId::try_from(ROOM).unwrap(),
        sender: CLERK.try_into().unwrap(),
        room_kind: RoomKind::Group,
        content: MessageContent::Text { body: body.into() },
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: true,
        private_chat: false,
        in_reply_to: None,
    })
}

async fn fill(store: &Store, now: DateTime<Utc>) {
    let effects: Vec<Effect> = (1..=TASKS)
        .map(|n| {
            let (task, deadline) = task(n, now);
            Effect::Task(TaskChange::Add { task, deadline })
        })
        .collect();
    store.apply_effects(&effects, now).await.unwrap();
}

/// The store's part alone: loading what one list command shows.
async fn view_latency(store: &Store, filter: TaskFilter, now: DateTime<Utc>) -> (f64, f64, u64) {
    let list = TaskList::Room(ROOM.try_into().unwrap());
    let mut times = Vec::with_capacity(SAMPLES);
    let mut matching = 0;
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let view = store
            .tasks_view(&list, &TaskCommand::List(filter), user_id!("@anna:localhost"), now)
            .await
            .unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        matching = view.matching;
    }
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.99), matching)
}

async fn run(name: &str, url: &str) {
    let store = Store::connect(url).await.unwrap();
    let now = SystemClock.now();
    fill(&store, now).await;
    // What autovacuum (PostgreSQL) or a periodic `PRAGMA optimize` would have done after the load.
    store.optimize().await.unwrap();
    let config = BotConfig::new(user_id!("@urzad:localhost").to_owned(), "Urząd").with_answers_per_window(0);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let engine = Engine::new(store.clone(), OfficeBot::new(config), clock, Metrics::new());
    let commands = [
        ("pomoc", "!pomoc", None),
        ("!zadania", "!zadania", Some(TaskFilter::Open)),
        ("!zadania moje", "!zadania moje", Some(TaskFilter::Mine)),
        ("!zadania zaległe", "!zadania zaległe", Some(TaskFilter::Overdue)),
        ("!zadania wszystkie", "!zadania wszystkie", Some(TaskFilter::All)),
    ];
    for (label, body, filter) in commands {
        let (p50, p99) = engine_latency(&engine, SAMPLES, |n| command(n, body)).await;
        let view = match filter {
            Some(filter) => {
                let (v50, v99, matching) = view_latency(&store, filter, now).await;
                format!("; store view alone p50 {v50:.2} ms, p99 {v99:.2} ms ({matching} match)")
            }
            None => String::new(),
        };
        println!(
            "{name:<9} {label:<20} {TASKS} tasks, {SAMPLES} commands: p50 {p50:.2} ms, p99 {p99:.2} ms{view}"
        );
    }
    store.close().await;
}

#[tokio::main]
async fn main() {
    on_sqlite_and_postgres(|name, url| async move { run(name, &url).await }).await;
}
