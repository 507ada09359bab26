//! End-to-end: a real Synapse, the real `szpon` binary and real E2EE clients.
#![recursion_limit = "256"]

use std::{path::Path, time::Duration};

use matrix_sdk::ruma::events::room::message::{
    LocationMessageEventContent, MessageType, RoomMessageEventContent,
};
use szpon_test_harness::{Office, TestUser};

mod booking;
mod calls;
mod clerk;
mod conformance;
mod courses;
mod dev;
mod directory_cli;
mod drills;
mod helpdesk;
mod nlu_cli;
mod race;
mod tasks;

const REPLY_WAIT: Duration = Duration::from_secs(30);

/// szpon's now (its clock moved forward by the test), and 10:00 tomorrow in Warsaw by it: when
/// "jutro o 10" starts.
fn now_and_tomorrow_at_ten(
    office: &Office,
) -> anyhow::Result<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    use anyhow::Context;
    let real = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    let now = chrono::DateTime::from_timestamp_millis((real + office.clock_offset()).as_millis() as i64)
        .context("now")?;
    let tomorrow = now.with_timezone(&chrono_tz::Europe::Warsaw).date_naive() + chrono::Duration::days(1);
    let start =
        tomorrow.and_hms_opt(10, 0, 0).context("10:00")?.and_local_timezone(chrono_tz::Europe::Warsaw);
    Ok((now, start.single().context("one 10:00")?.to_utc()))
}

fn szpon() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_szpon"))
}

async fn pomoc(citizen: &TestUser, room: &matrix_sdk::Room, office: &Office) -> anyhow::Result<String> {
    let reply = citizen.ask(room, &office.bot_user_id, RoomMessageEventContent::text_plain("pomoc")).await?;
    assert_eq!(reply.msgtype, "m.notice", "bots answer with m.notice");
    Ok(reply.body)
}

/// Cases 1 and 5: a plain room, and bad input of every kind, each with a clear Polish answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_room_help_and_bad_input() -> anyhow::Result<()> {
    let office = Office::start(szpon()).await?;
    let citizen = office.user("obywatel").await?;
    let room = citizen.create_dm(&office.bot_user_id, false).await?;
    let bot = &office.bot_user_id;

    let help = pomoc(&citizen, &room, &office).await?;
    assert!(help.contains("Jestem asystentem urzędu Gmina Testowo"), "{help}");

    // The largest message Synapse accepts: a whole PDU may not exceed 64 KiB.
    let huge = "ą".repeat(31_000);
    let reply = citizen.ask(&room, bot, RoomMessageEventContent::text_plain(&huge)).await?;
    assert!(reply.body.contains("Ta wiadomość jest za długa: ma 31\u{a0}000 znaków"), "{}", reply.body);
    assert!(reply.body.len() < 1000, "the bot must not echo a huge message");

    let reply = citizen.ask(&room, bot, RoomMessageEventContent::text_plain("!zrób-kawę")).await?;
    assert_eq!(
        reply.body,
        "Nie znam polecenia „!zrób-kawę”. Napisz „pomoc”, aby zobaczyć dostępne polecenia."
    );

    let html = RoomMessageEventContent::text_html(
        "!<script>alert(1)</script>",
        "<script>alert('x')</script><img src=x onerror=alert(1)><b>!pomoc</b>",
    );
    let reply = citizen.ask(&room, bot, html).await?;
    assert!(reply.body.starts_with("Nie znam polecenia „!<script>alert(1)</script>”"), "{}", reply.body);
    let formatted = reply.formatted_body.expect("the bot sends an HTML body");
    assert!(!formatted.contains("<script") && !formatted.contains("onerror"), "{formatted}");
    assert!(formatted.contains("&lt;script&gt;"), "{formatted}");

    let reply = citizen.ask(&room, bot, RoomMessageEventContent::text_plain("")).await?;
    assert!(reply.body.starts_with("Wiadomość jest pusta."), "{}", reply.body);

    let location = RoomMessageEventContent::new(MessageType::Location(LocationMessageEventContent::new(
        "Urząd".to_owned(),
        "geo:52.2297,21.0122".to_owned(),
    )));
    let reply = citizen.ask(&room, bot, location).await?;
    assert!(reply.body.starts_with("Na razie rozumiem tylko wiadomości tekstowe."), "{}", reply.body);

    // Free text goes through the NLU: an English plea for help gets the help, in English.
    let reply =
        citizen.ask(&room, bot, RoomMessageEventContent::text_plain("Hello, can you help me?")).await?;
    assert!(reply.body.starts_with("Hello! I am the assistant of Gmina Testowo."), "{}", reply.body);

    // szpon is still alive and counted all of it.
    assert_eq!(office.health_status().await, Some(200));
    let metrics = office.metrics().await?;
    assert!(metrics.contains("szpon_replies_sent_total 7"), "{metrics}");
    Ok(())
}

/// Cases 2, 3 and 4: an encrypted DM made the way Element makes it, then restarts of szpon
/// (gentle and kill -9) and of Synapse, with nothing answered twice and nothing lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn encrypted_dm_survives_restarts() -> anyhow::Result<()> {
    let mut office = Office::start(szpon()).await?;
    let citizen = office.user("obywatel").await?;
    let bot = office.bot_user_id.clone();
    let room = citizen.create_dm(&bot, true).await?;
    assert!(room.latest_encryption_state().await?.is_encrypted());

    let help = pomoc(&citizen, &room, &office).await?;
    assert!(help.contains("Jestem asystentem urzędu"), "decrypted answer: {help}");
    let bot_devices = citizen.client.encryption().get_user_devices(&bot).await?;
    let device_ids: Vec<_> = bot_devices.devices().map(|d| d.device_id().to_owned()).collect();
    assert_eq!(device_ids.len(), 1, "the bot has one device: {device_ids:?}");

    // 3. A gentle restart: no old message is answered again, the same device decrypts.
    office.restart_szpon().await?;
    let reply = citizen.ask(&room, &bot, RoomMessageEventContent::text_plain("dziękuję")).await?;
    assert!(reply.body.starts_with("Proszę bardzo"), "{}", reply.body);
    assert_eq!(citizen.received_from(&room, &bot).len(), 2, "nothing answered twice");
    citizen.client.encryption().wait_for_e2ee_initialization_tasks().await;
    let after: Vec<_> = citizen
        .client
        .encryption()
        .get_user_devices(&bot)
        .await?
        .devices()
        .map(|d| d.device_id().to_owned())
        .collect();
    assert_eq!(after, device_ids, "the bot keeps its device across restarts");

    // kill -9 while citizens keep writing: every message is answered exactly once, and an
    // invitation sent meanwhile is accepted on the way back.
    office.kill_szpon().await?;
    for body in ["pomoc", "!język en", "help"] {
        citizen.send_text(&room, body).await?;
    }
    let newcomer = office.user("obywatelka").await?;
    let invited_while_down = {
        let bot = bot.clone();
        let newcomer = &newcomer;
        async move { newcomer.create_dm(&bot, true).await }
    };
    let (new_room, started) = tokio::join!(invited_while_down, office.start_szpon());
    started?;
    let new_room = new_room?;
    let reply = newcomer.ask(&new_room, &bot, RoomMessageEventContent::text_plain("pomoc")).await?;
    assert!(reply.body.contains("Jestem asystentem"), "{}", reply.body);
    let all = citizen.wait_for_messages(&room, &bot, 5, REPLY_WAIT).await?;
    assert!(all[2].body.contains("Jestem asystentem"), "{}", all[2].body);
    assert_eq!(all[3].body, "All right, from now on I answer in English.");
    assert!(all[4].body.starts_with("Hello! I am the assistant"), "{}", all[4].body);
    let reply = citizen.ask(&room, &bot, RoomMessageEventContent::text_plain("dzień dobry")).await?;
    assert!(reply.body.starts_with("Hello!"), "the chosen language is remembered: {}", reply.body);
    assert_eq!(citizen.received_from(&room, &bot).len(), 6, "nothing answered twice");

    // 4. Synapse goes away and comes back: the bot reconnects by itself.
    office.stop_synapse().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while office.health_status().await == Some(200) {
        assert!(tokio::time::Instant::now() < deadline, "health never noticed Synapse was gone");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    office.start_synapse().await?;
    office.wait_healthy(Duration::from_secs(90)).await?;
    let reply = citizen.ask(&room, &bot, RoomMessageEventContent::text_plain("!lang pl")).await?;
    assert_eq!(reply.body, "Dobrze, od teraz odpowiadam po polsku.");
    assert_eq!(citizen.received_from(&room, &bot).len(), 7);

    // Secrets never reach the log.
    let log = office.szpon_log();
    assert!(!log.contains(&office.registration.registration.as_token), "as_token leaked into the log");
    assert!(!log.contains(&office.registration.registration.hs_token), "hs_token leaked into the log");
    Ok(())
}

/// A new server with an empty state directory is a first start: it does not answer what was
/// written before it came, and the device whose keys were lost is deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_bot_state_ignores_history_and_drops_the_lost_device() -> anyhow::Result<()> {
    let mut office = Office::start(szpon()).await?;
    let citizen = office.user("obywatel").await?;
    let bot = office.bot_user_id.clone();
    let plain = citizen.create_dm(&bot, false).await?;
    let secure = citizen.create_dm(&bot, true).await?;
    pomoc(&citizen, &plain, &office).await?;
    pomoc(&citizen, &secure, &office).await?;
    let old_devices = bot_devices(&citizen, &bot).await?;
    assert_eq!(old_devices.len(), 1);

    office.stop_szpon().await?;
    office.wipe_szpon_state()?;
    citizen.send_text(&plain, "dziękuję").await?;
    office.start_szpon().await?;

    let reply = citizen.ask(&plain, &bot, RoomMessageEventContent::text_plain("dzień dobry")).await?;
    assert!(reply.body.starts_with("Dzień dobry!"), "history was answered: {}", reply.body);
    assert_eq!(citizen.received_from(&plain, &bot).len(), 2);

    // The citizen's client learns that the old device is gone and the new one replaced it…
    let deadline = tokio::time::Instant::now() + REPLY_WAIT;
    loop {
        let devices = bot_devices(&citizen, &bot).await?;
        if devices.len() == 1 && devices != old_devices {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bot's devices are {devices:?}, the old one was {old_devices:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // …and encrypts for it.
    let reply = citizen.ask(&secure, &bot, RoomMessageEventContent::text_plain("dziękuję")).await?;
    assert!(reply.body.starts_with("Proszę bardzo"), "{}", reply.body);
    Ok(())
}

async fn bot_devices(citizen: &TestUser, bot: &matrix_sdk::ruma::UserId) -> anyhow::Result<Vec<String>> {
    let devices = citizen.client.encryption().get_user_devices(bot).await?;
    Ok(devices.devices().map(|d| d.device_id().to_string()).collect())
}

/// In a room with several people the bot hears commands and mentions, not the chatter.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_room_hears_only_commands() -> anyhow::Result<()> {
    let office = Office::start_with(szpon(), "[log]\nformat = \"json\"\n").await?;
    let clerk = office.user("urzednik").await?;
    let colleague = office.user("urzedniczka").await?;
    let bot = office.bot_user_id.clone();
    let room = clerk.create_group("Wydział Spraw Obywatelskich", &[&bot, &colleague.user_id()]).await?;
    colleague.accept_invite(room.room_id()).await?;
    clerk.wait_for_member(&room, &bot).await?;
    clerk.wait_for_member(&room, &colleague.user_id()).await?;

    clerk.send_text(&room, "Dzień dobry wszystkim, kawa w kuchni").await?;
    let reply = clerk.ask(&room, &bot, RoomMessageEventContent::text_plain("!pomoc")).await?;
    assert!(reply.body.contains("Jestem asystentem"), "{}", reply.body);
    let reply = clerk.ask(&room, &bot, RoomMessageEventContent::text_plain("urzad: dziękuję")).await?;
    assert!(reply.body.starts_with("Proszę bardzo"), "{}", reply.body);
    assert_eq!(clerk.received_from(&room, &bot).len(), 2, "the chatter was not answered");
    Ok(())
}
