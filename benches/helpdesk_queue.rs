//! The support team's commands with 1,000 open tickets: `!zgłoszenia` (the queue) and
//! `!statystyki miesiąc`, each through the engine as a message is handled in production
//! (the store's view, the bot's decision, the commit of the answer), beside `pomoc` from the
//! same agent as the floor. SQLite and PostgreSQL side by side.
//! Run: `SZPON_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench helpdesk_queue`

mod common;

use std::{sync::Arc, time::Instant};

use common::{engine_latency, on_sqlite_and_postgres, percentile};

use chrono::{DateTime, Duration, Utc};
use ruma::{OwnedEventId, OwnedRoomId, owned_user_id, room_id, user_id};
use szpon::{app::SystemClock, engine::Engine, metrics::Metrics, store::Store};
use szpon_bots::{
    BotConfig, Clock, Input, Lang, MessageContent, OfficeBot, RoomKind, UserMessage,
    booking::{DEMO_OFFICE, Effect, Office},
    helpdesk::{HelpdeskChange, Ticket, TicketChange, TicketKind, TicketState},
};

const TICKETS: i64 = 1000;
const SAMPLES: usize = 200;
const TEAM_ROOM: &str = "!wsparcie:localhost";

fn ticket(id: i64, now: DateTime<Utc>) -> Ticket {
    let created = now - Duration::minutes(id * 40);
    Ticket {
        id,
        kind: if id % 10 == 0 { TicketKind::Callback } else { TicketKind::Chat },
        state: if id % 3 == 0 { TicketState::Open } else { TicketState::Pending },
        citizen: format!("@obywatel{id}:localhost").try_into().unwrap(),
        room_id: format!("!dm{id}:localhost").try_into().unwrap(),
        topic: Some("faq/dowod_utrata".into()),
        summary: vec!["zgubiłem dowód osobisty, co teraz?".into(), "nie pomogło".into()],
        lang: Lang::Pl,
        created_at: created,
        waiting_since: created,
        assignee: (id % 3 == 0).then(|| owned_user_id!("@wsparcie:localhost")),
        first_response_at: (id % 3 == 0).then(|| created + Duration::minutes(id % 50)),
        resolved_at: None,
        first_response_due: Some(created + Duration::hours(1)),
        resolution_due: Some(created + Duration::hours(16)),
        callback: (id % 10 == 0)
            .then(|| szpon_bots::helpdesk::Callback { phone: "+48600123456".into(), when: None }),
        satisfaction: None,
    }
}

fn command(n: usize, body: &str) -> Input {
    Input::Message(UserMessage {
        event_id: OwnedEventId::try_from(format!("$bench{n}-{}", szpon_test_harness::random_suffix()))
            .unwrap(),
        room_id: OwnedRoomId::try_from(TEAM_ROOM).unwrap(),
        sender: owned_user_id!("@wsparcie:localhost"),
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

async fn run(name: &str, url: &str) {
    let store = Store::connect(url).await.unwrap();
    let now = SystemClock.now();
    let effects: Vec<Effect> = (1..=TICKETS)
        .map(|id| Effect::Helpdesk(HelpdeskChange::Ticket(TicketChange::Open(ticket(id, now)))))
        .collect();
    store.apply_effects(&effects, now).await.unwrap();
    assert_eq!(store.ticket_queue().await.unwrap().len(), TICKETS as usize);
    // What autovacuum (PostgreSQL) or a periodic `PRAGMA optimize` would have done after the load.
    store.optimize().await.unwrap();

    let office = DEMO_OFFICE.replacen("[helpdesk]\n", &format!("[helpdesk]\nroom = \"{TEAM_ROOM}\"\n"), 1);
    let office = Arc::new(Office::parse(&office).unwrap());
    let config = BotConfig::new(user_id!("@urzad:localhost").to_owned(), "Urząd")
        .with_office(Some(office))
        .with_answers_per_window(0);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let engine = Engine::new(store.clone(), OfficeBot::new(config), clock, Metrics::new());
    for (label, body) in
        [("pomoc", "!pomoc"), ("!zgłoszenia", "!zgłoszenia"), ("!statystyki miesiąc", "!statystyki miesiąc")]
    {
        let (p50, p99) = engine_latency(&engine, SAMPLES, |n| command(n, body)).await;
        println!(
            "{name:<9} {label:<22} {TICKETS} open tickets, {SAMPLES} commands: p50 {p50:.2} ms, p99 {p99:.2} ms"
        );
    }
    // The store's part of `!statystyki` alone: reading the month's tickets.
    let since = now - Duration::days(30);
    let mut reads = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let started = Instant::now();
        std::hint::black_box(store.tickets_opened_since(since).await.unwrap());
        reads.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    reads.sort_by(f64::total_cmp);
    let (r50, r99) = (percentile(&reads, 0.5), percentile(&reads, 0.99));
    println!("{name:<9} the month's tickets, store read alone: p50 {r50:.2} ms, p99 {r99:.2} ms");
    let last = store.due_actions(now + Duration::days(1), 5000).await.unwrap();
    assert!(last.iter().any(|a| matches!(&a.action, szpon_bots::Action::SendNotice { room_id, notice }
        if room_id == room_id!("!wsparcie:localhost") && notice.plain.starts_with("1000 otwartych zgłoszeń"))));
    let chart = last.iter().find_map(|a| match &a.action {
        szpon_bots::Action::SendChart { chart, .. } => Some(chart.clone()),
        _ => None,
    });
    if name == "sqlite" {
        drawing(&chart.expect("!statystyki queued a chart"));
    }
    store.close().await;
}

/// The chart is drawn when the answer is delivered, not while the command is handled: how
/// long that takes, for the month's chart of the 1,000 tickets.
fn drawing(chart: &szpon_bots::chart::DailyChart) {
    let mut samples: Vec<f64> = (0..20)
        .map(|_| {
            let started = Instant::now();
            let png = chart.render().unwrap();
            std::hint::black_box(png);
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    let size = chart.render().unwrap().bytes.len();
    println!(
        "drawing   the month's chart ({} days)  20 times: p50 {:.2} ms, p99 {:.2} ms, PNG {} KiB",
        chart.days.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        size / 1024
    );
}

#[tokio::main]
async fn main() {
    on_sqlite_and_postgres(|name, url| async move { run(name, &url).await }).await;
}
