//! `!wideo` until Element would show the call: the time from sending the command until the
//! widget's state event reaches the starter's client, and until the announcement with the link
//! arrives; beside it, in the same run and interleaved, a plain message relayed by an echo
//! client (the homeserver's own relay time, the floor). Real Synapse, real Janus, encrypted room.
//!
//! Run: `cargo bench --bench call_start` (SZPON_BENCH_CALLS sets the count, default 30).
#![recursion_limit = "256"]

use std::{
    path::Path,
    time::{Duration, Instant},
};

use matrix_sdk::ruma::{events::StateEventType, int};
use szpon_media::{DEBIAN_LIB_DIR, JanusConfig, JanusPorts, RunningJanus};
use szpon_test_harness::{Office, free_port};

mod synapse;
use synapse::{ms, percentile, rss_kib, start_echo};

async fn widget_present(room: &matrix_sdk::Room) -> anyhow::Result<bool> {
    let events = room.get_state_events(StateEventType::from("im.vector.modular.widgets")).await?;
    Ok(events.iter().any(|raw| match raw {
        matrix_sdk::deserialized_responses::RawAnySyncOrStrippedState::Sync(sync) => sync
            .get_field::<serde_json::Value>("content")
            .ok()
            .flatten()
            .is_some_and(|content| content.get("url").is_some()),
        matrix_sdk::deserialized_responses::RawAnySyncOrStrippedState::Stripped(_) => false,
    }))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let calls: usize = std::env::var("SZPON_BENCH_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
    let janus_dir = tempfile::tempdir()?;
    let janus = RunningJanus::start(
        JanusConfig {
            ports: JanusPorts { http: free_port(), websockets: free_port() },
            api_secret: "bench-api-secret".to_owned(),
            admin_key: "bench-admin-key".to_owned(),
            ice_enforce_list: None,
            stun_server: None,
            lib_dir: DEBIAN_LIB_DIR.into(),
        },
        janus_dir.path(),
    )
    .await?;
    let toml = format!(
        "[bot]\nanswers_per_half_minute = 0\n[calls]\njanus_url = \"{}\"\njanus_websocket_url = \"{}\"\n\
         api_secret = \"{}\"\nadmin_key = \"{}\"\n",
        janus.config.http_url(),
        janus.config.websocket_url(),
        janus.config.api_secret,
        janus.config.admin_key
    );
    let office = Office::start_with(Path::new(env!("CARGO_BIN_EXE_szpon")), &toml).await?;
    let bot = office.bot_user_id.clone();
    let anna = office.user("kierowniczka").await?;
    let echo = office.user("echo").await?;
    start_echo(&echo);
    echo.auto_join_invites();
    // Three people: with the bot alone, a room is the person's chat with the bot, where calls
    // are not made.
    let ewa = office.user("urzedniczka").await?;
    let room = anna.create_encrypted_group("Narady", &[&bot, &ewa.user_id()]).await?;
    ewa.accept_invite(room.room_id()).await?;
    anna.wait_for_member(&room, &bot).await?;
    anna.wait_for_member(&room, &ewa.user_id()).await?;
    room.update_power_levels(vec![(&bot, int!(50))]).await?;
    // Once the bot answers this, it has synced the new power levels (a room's events arrive in order).
    anna.say(&room, &bot, "!pomoc").await?;
    let echo_room = anna.create_dm(&echo.user_id(), true).await?;

    let (mut widget, mut announced, mut floor) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..calls + 3 {
        let before = anna.received_from(&room, &bot).len();
        let start = Instant::now();
        anna.send_text(&room, "!wideo").await?;
        while !widget_present(&room).await? {
            if start.elapsed() > Duration::from_secs(30) {
                let events = room.get_state_events(StateEventType::from("im.vector.modular.widgets")).await?;
                let said: Vec<String> = anna.received_from(&room, &bot).into_iter().map(|m| m.body).collect();
                anyhow::bail!("no widget within 30 s: {} widget events; the bot said {said:?}", events.len());
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let widget_at = start.elapsed();
        anna.wait_for_messages(&room, &bot, before + 1, Duration::from_secs(30)).await?;
        let announced_at = start.elapsed();
        // The call ends before the next: its widget goes, and its notice comes.
        anna.send_text(&room, "!zakończ").await?;
        anna.wait_for_messages(&room, &bot, before + 2, Duration::from_secs(30)).await?;
        while widget_present(&room).await? {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let echoed = anna.received_from(&echo_room, &echo.user_id()).len();
        let start = Instant::now();
        anna.send_text(&echo_room, "ping").await?;
        anna.wait_for_messages(&echo_room, &echo.user_id(), echoed + 1, Duration::from_secs(30)).await?;
        let relayed = start.elapsed();
        // The first three are warm-up.
        if i >= 3 {
            widget.push(widget_at);
            announced.push(announced_at);
            floor.push(relayed);
        }
    }
    for samples in [&mut widget, &mut announced, &mut floor] {
        samples.sort();
    }
    println!("| path ({calls} each, encrypted room) | p50 ms | p99 ms |");
    println!("|---|---|---|");
    let row = |name: &str, samples: &[Duration]| {
        println!("| {name} | {:.1} | {:.1} |", ms(percentile(samples, 50.0)), ms(percentile(samples, 99.0)));
    };
    row("`!wideo` → widget state event at the starter's client", &widget);
    row("`!wideo` → announcement with the link at the starter's client", &announced);
    row("plain message → echo client → back (floor)", &floor);
    if let Some(kib) = office.szpon_pid().and_then(rss_kib) {
        println!("\nszpon RSS after {calls} calls: {:.1} MiB", kib as f64 / 1024.0);
    }
    Ok(())
}
