//! A booking race through the engine: 1,000 citizens, each in their own chat, answer "1" at
//! the same moment for 100 times; on SQLite and PostgreSQL side by side.
//! Run: `SZPON_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench booking_race`

use std::{sync::Arc, time::Instant};

use chrono::{DateTime, TimeZone, Utc};
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, user_id};
use szpon::{engine::Engine, metrics::Metrics, store::Store};
use szpon_bots::{
    Action, BotConfig, Input, ManualClock, MessageContent, OfficeBot, RoomKind, UserMessage, booking::Office,
};
use szpon_homeserver_bridge::FakeHomeserver;

const CITIZENS: usize = 1000;
const SLOTS: usize = 100;

fn says(i: usize, turn: usize, body: &str) -> Input {
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

/// One clerk, one Tuesday, 100 five-minute slots from 8:00 to 16:20.
async fn race(name: &str, url: &str) {
    let store = Store::connect(url).await.unwrap();
    let office = Arc::new(
        Office::parse(&szpon_test_harness::one_clerk_office(6, 5, &["tuesday"], "08:00-16:20")).unwrap(),
    );
    let config = BotConfig::new(user_id!("@urzad:localhost").to_owned(), "Urząd").with_office(Some(office));
    let now: DateTime<Utc> =
        chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap().with_timezone(&Utc);
    let engine =
        Engine::new(store.clone(), OfficeBot::new(config), Arc::new(ManualClock::new(now)), Metrics::new());
    for i in 0..CITIZENS {
        let minutes = (i % SLOTS) * 5;
        let ask = format!("wizyta sprawa ogólna po {}:{:02}", 8 + minutes / 60, minutes % 60);
        engine.process(&says(i, 1, &ask)).await.unwrap();
    }
    let homeserver = FakeHomeserver::new();
    for i in 0..CITIZENS {
        homeserver.join(&OwnedRoomId::try_from(format!("!dm{i}:localhost")).unwrap());
    }
    while engine.deliver_due(&homeserver).await.unwrap() > 0 {}
    let offered = homeserver.performed().len();

    let started = Instant::now();
    let racers: Vec<_> = (0..CITIZENS)
        .map(|i| {
            let engine = engine.clone();
            tokio::spawn(async move { engine.process(&says(i, 2, "1")).await })
        })
        .collect();
    for racer in racers {
        racer.await.unwrap().unwrap();
    }
    let elapsed = started.elapsed();

    while engine.deliver_due(&homeserver).await.unwrap() > 0 {}
    let answers: Vec<String> = homeserver.performed()[offered..]
        .iter()
        .filter_map(|a| match a {
            Action::SendNotice { notice, .. } => Some(notice.plain.clone()),
            _ => None,
        })
        .collect();
    let confirmed = answers.iter().filter(|t| t.starts_with("Gotowe! Wizyta jest zarezerwowana.")).count();
    let taken =
        answers.iter().filter(|t| t.starts_with("Przepraszam, ten termin został właśnie zajęty")).count();
    assert_eq!(confirmed, SLOTS, "{name}: exactly one confirmation per slot");
    assert_eq!(taken, CITIZENS - SLOTS, "{name}");
    println!(
        "{name:<10} {CITIZENS} citizens, {SLOTS} slots: {confirmed} confirmed, {taken} told the time was taken; \
         {:.0} ms, {:.0} booking answers/s",
        elapsed.as_secs_f64() * 1000.0,
        CITIZENS as f64 / elapsed.as_secs_f64()
    );
    store.close().await;
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    race("sqlite", &format!("sqlite://{}", dir.path().join("race.db").display())).await;
    match std::env::var("SZPON_TEST_DATABASE_URL") {
        Ok(admin) => {
            race("postgres", &szpon_test_harness::fresh_postgres_database(&admin).await.unwrap()).await
        }
        Err(_) => println!("postgres   skipped: set SZPON_TEST_DATABASE_URL"),
    }
}
