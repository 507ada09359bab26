//! `!ranking` over 100,000 learners: through the engine as a message is handled in production
//! (the store's view, the bot's decision, the commit of the answer), beside `pomoc` from the same
//! learner as the floor, and the store's view alone. A tenth of the learners are staff (shown
//! unless they opt out), one in fifty of those opted out, and one citizen in twenty opted in.
//! Every learner has XP in one course of the office's (`!ranking rodo`: a board of 100,000) and
//! a department of ten, 10,000 each, staff and citizens alike (`!ranking wydział`). SQLite and
//! PostgreSQL side by side.
//! Run: `SZPON_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench leaderboard`

mod common;

use std::{sync::Arc, time::Instant};

use chrono::{DateTime, Utc};
use common::{engine_latency, on_sqlite_and_postgres, percentile};
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, user_id};
use szpon::{app::SystemClock, engine::Engine, metrics::Metrics, store::Store};
use szpon_bots::{
    BotConfig, Clock, Effect, Input, MessageContent, OfficeBot, RoomKind, UserMessage,
    courses::{CourseChange, Publication},
    gamification::{Board, GamificationChange, ProgressCommand, StandingSummary, Visibility},
};

const LEARNERS: u32 = 100_000;
const SAMPLES: usize = 200;
const LEARNER: &str = "@u77:localhost";

fn learner(n: u32, now: DateTime<Utc>) -> Vec<Effect> {
    let user_id = OwnedUserId::try_from(format!("@u{n}:localhost")).unwrap();
    let staff = n.is_multiple_of(10);
    let xp = (n * 7919) % 5000;
    let summary = StandingSummary {
        xp,
        streak_days: n % 30,
        last_day: None,
        staff,
        courses: [("rodo".to_owned(), xp / 2)].into(),
    };
    let mut effects = vec![Effect::Gamification(GamificationChange::Standing {
        user_id: user_id.clone(),
        summary,
        new_badges: Vec::new(),
        at: now,
    })];
    let visibility = match (staff, n % 20) {
        (true, _) if n.is_multiple_of(50) => Some(Visibility::Hidden),
        (false, 1) => Some(Visibility::Shown),
        _ => None,
    };
    effects.extend(
        visibility
            .map(|visibility| Effect::Gamification(GamificationChange::Visibility { user_id, visibility })),
    );
    effects
}

/// The course the learners' course XP is in, for `!ranking rodo` to find.
fn course(now: DateTime<Utc>) -> Effect {
    Effect::Course(CourseChange::Publish(Publication {
        course_id: "rodo".into(),
        title: "RODO w urzędzie".into(),
        source: "---\nid: rodo\ntitle: RODO w urzędzie\n---\n# Lekcja: Dane\nTekst.\n".into(),
        published_by: user_id!("@trener:localhost").to_owned(),
        room_id: None,
        published_at: now,
        files: Vec::new(),
    }))
}

fn command(n: usize, body: &str) -> Input {
    Input::Message(UserMessage {
        event_id: OwnedEventId::try_from(format!("$bench{n}-{}", szpon_test_harness::random_suffix()))
            .unwrap(),
        room_id: OwnedRoomId::try_from("!dm-u77:localhost").unwrap(),
        sender: LEARNER.try_into().unwrap(),
        room_kind: RoomKind::Direct,
        content: MessageContent::Text { body: body.into() },
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: true,
        private_chat: true,
        in_reply_to: None,
    })
}

/// The store's part alone: the top ten, the writer's place and record.
async fn view_latency(store: &Store, board: &Board, now: DateTime<Utc>) -> (f64, f64, usize) {
    let mut times = Vec::with_capacity(SAMPLES);
    let mut shown = 0;
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let view = store
            .progress_view(user_id!("@u77:localhost"), &ProgressCommand::Ranking(board.clone()), now)
            .await
            .unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        shown = view.top.len();
    }
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.99), shown)
}

async fn run(name: &str, url: &str) {
    let store = Store::connect(url).await.unwrap();
    let now = SystemClock.now();
    let mut effects: Vec<Effect> = (1..=LEARNERS).flat_map(|n| learner(n, now)).collect();
    effects.push(course(now));
    store.apply_effects(&effects, now).await.unwrap();
    let directory: String = std::iter::once("user_id,department".to_owned())
        .chain((1..=LEARNERS).map(|n| format!("@u{n}:localhost,wydzial-{}", (n / 10) % 10)))
        .collect::<Vec<_>>()
        .join("\n");
    let directory = szpon_course_engine::directory::parse_csv(&directory).unwrap();
    store.import_directory(&directory, now).await.unwrap();
    // What autovacuum (PostgreSQL) or a periodic `PRAGMA optimize` would have done after the load.
    store.optimize().await.unwrap();
    let config = BotConfig::new(user_id!("@urzad:localhost").to_owned(), "Urząd").with_answers_per_window(0);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let engine = Engine::new(store.clone(), OfficeBot::new(config), clock, Metrics::new());
    let boards = [
        ("pomoc", "pomoc"),
        ("!ranking", "!ranking"),
        ("course", "!ranking rodo"),
        ("wydział", "!ranking wydział"),
    ];
    for (label, body) in boards {
        let (p50, p99) = engine_latency(&engine, SAMPLES, |n| command(n, body)).await;
        println!(
            "{name:<9} {label:<9} {LEARNERS} learners, {SAMPLES} commands: p50 {p50:.2} ms, p99 {p99:.2} ms"
        );
    }
    for board in [Board::Office, Board::Course("rodo".into()), Board::Department] {
        let (v50, v99, shown) = view_latency(&store, &board, now).await;
        println!(
            "{name:<9} store view alone, {board:?}: p50 {v50:.2} ms, p99 {v99:.2} ms ({shown} rows read for the top ten)"
        );
    }
    store.close().await;
}

#[tokio::main]
async fn main() {
    on_sqlite_and_postgres(|name, url| async move { run(name, &url).await }).await;
}
