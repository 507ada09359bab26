//! Fault drills through the real Synapse: no single message or fault silences the office, and
//! nothing queued is lost. Each drill stops by itself within bounded time.

use std::time::Duration;

use matrix_sdk::{Room, ruma::UserId};
use szpon_test_harness::{LocalPostgres, Office, TestUser};

use crate::szpon;

/// A citizen's long message, with a one-byte letter first so that any cut by bytes lands inside
/// a two-byte letter, once killed the task that fed the bot, and nobody got answers after it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_message_is_answered_and_the_office_goes_on() -> anyhow::Result<()> {
    let office = Office::start(szpon()).await?;
    let bot = &office.bot_user_id;
    let first = office.user("obywatel").await?;
    let second = office.user("sasiadka").await?;
    let first_room = first.create_dm(bot, true).await?;
    let second_room = second.create_dm(bot, true).await?;

    // Over the 4,000-character limit; byte 2,000 falls inside the thousandth "ż".
    let hostile = format!("a{} gęślą jaźń\u{202e}\u{0301}🙂\u{0000}", "ż".repeat(4100));
    assert!(!hostile.is_char_boundary(2000));
    let reply = first.say(&first_room, bot, &hostile).await?;
    assert!(reply.contains("Ta wiadomość jest za długa"), "{reply}");
    let reply = second.say(&second_room, bot, "pomoc").await?;
    assert!(reply.contains("Jestem asystentem urzędu"), "{reply}");
    // Combining marks, right-to-left text, emoji and control characters in a short message.
    let odd = "\u{5d0}\u{5d1} \u{202e}!zadanie\u{0301}\u{0301} 🙂‍🙂 \u{7} ąę\u{200d}";
    let reply = first.say(&first_room, bot, odd).await?;
    assert!(!reply.is_empty());
    let reply = first.say(&first_room, bot, "pomoc").await?;
    assert!(reply.contains("Jestem asystentem urzędu"), "{reply}");

    let metrics = office.metrics().await?;
    assert!(metrics.contains("szpon_turns_failed_total{reason=\"panic\"} 0"), "{metrics}");
    assert_eq!(office.health_status().await, Some(200));
    Ok(())
}

/// Two processes on one state directory would share one E2EE device: the second refuses to
/// start, and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_szpon_on_the_same_state_refuses_to_start() -> anyhow::Result<()> {
    let office = Office::start(szpon()).await?;
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new(szpon())
            .args(["run", "--config"])
            .arg(office.config_path())
            .stdin(std::process::Stdio::null())
            .output(),
    )
    .await??;
    assert!(!output.status.success(), "the second szpon must exit non-zero");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("another szpon is already running"), "{said}");
    assert_eq!(office.health_status().await, Some(200), "the first one goes on");
    Ok(())
}

/// The bot's E2EE key store is encrypted at rest: its passphrase is in a 0600 file, and
/// matrix-sdk's crypto store holds the cipher that only that passphrase opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_store_is_encrypted_with_a_private_passphrase() -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let office = Office::start(szpon()).await?;
    let state = office.dir.path().join("bot");
    let mode = std::fs::metadata(state.join("key-passphrase"))?.permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let crypto = state.join("matrix-store/matrix-sdk-crypto.sqlite3");
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", crypto.display())).await?;
    let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM kv").fetch_all(&pool).await?;
    assert!(keys.iter().any(|k| k == "cipher"), "the store was opened with a passphrase: {keys:?}");
    Ok(())
}

/// The homeserver down for longer than the old thirty tries (about an hour and a half of
/// backoff): the reminders that fell due meanwhile arrive once it is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_queued_through_a_long_homeserver_outage_arrive_after_it() -> anyhow::Result<()> {
    let mut office = Office::start(szpon()).await?;
    let bot = office.bot_user_id.clone();
    let citizen = office.user("obywatel").await?;
    let room = citizen.create_dm(&bot, true).await?;
    let reply = citizen.say(&room, &bot, "!zadanie Oddać raport kwartalny jutro o 12").await?;
    assert!(reply.contains("Oddać raport kwartalny"), "{reply}");
    let before = citizen.received_from(&room, &bot).len();

    office.stop_synapse().await;
    // Past the deadline, then on through two and a half hours of outage in steps, so that
    // szpon tries again and again meanwhile.
    office.advance_clock(Duration::from_secs(2 * 24 * 3600))?;
    for _ in 0..15 {
        tokio::time::sleep(Duration::from_millis(700)).await;
        office.advance_clock(Duration::from_secs(10 * 60))?;
    }
    assert_eq!(office.health_status().await, Some(503), "the homeserver is down");
    office.start_synapse().await?;
    let all = citizen.wait_for_messages(&room, &bot, before + 1, Duration::from_secs(120)).await?;
    let reminders: Vec<_> =
        all[before..].iter().filter(|m| m.body.contains("Oddać raport kwartalny")).collect();
    assert!(!reminders.is_empty(), "{:?}", &all[before..]);
    let metrics = office.metrics().await?;
    assert!(metrics.contains("szpon_errors_total{stage=\"homeserver_unavailable\"}"), "{metrics}");
    Ok(())
}

/// The database stops mid-load, as if its server crashed: the messages sent meanwhile are held,
/// not dropped, and each is answered once the database is back, exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_sent_while_the_database_is_down_are_answered_when_it_is_back() -> anyhow::Result<()> {
    let postgres = LocalPostgres::start().await?;
    let office = Office::start_with_database(szpon(), &postgres.url()).await?;
    let bot = &office.bot_user_id;
    let mut citizens = Vec::new();
    for n in 0..4 {
        let citizen = office.user(&format!("mieszkaniec{n}")).await?;
        let room = citizen.create_dm(bot, true).await?;
        let reply = citizen.say(&room, bot, "pomoc").await?;
        assert!(reply.contains("Jestem asystentem urzędu"), "{reply}");
        citizens.push((citizen, room));
    }

    postgres.stop().await?;
    let mut before = Vec::new();
    for (citizen, room) in &citizens {
        before.push(citizen.received_from(room, bot).len());
        citizen.send_text(room, "dziękuję").await?;
        citizen.send_text(room, "!zadanie Zadzwonić do urzędu jutro o 9").await?;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while office.health_status().await != Some(503) && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(office.health_status().await, Some(503), "the database is down");
    tokio::time::sleep(Duration::from_secs(3)).await;
    for ((citizen, room), before) in citizens.iter().zip(&before) {
        assert_eq!(citizen.received_from(room, bot).len(), *before, "nothing can be decided meanwhile");
    }

    postgres.start_again().await?;
    for ((citizen, room), before) in citizens.iter().zip(&before) {
        let all = citizen.wait_for_messages(room, bot, before + 2, Duration::from_secs(120)).await?;
        let answers: Vec<&str> = all[*before..].iter().map(|m| m.body.as_str()).collect();
        assert!(answers[0].starts_with("Proszę bardzo"), "{answers:?}");
        assert!(
            answers[1].starts_with("Dodano zadanie nr 1") && answers[1].contains("Zadzwonić do urzędu"),
            "{answers:?}"
        );
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    for ((citizen, room), before) in citizens.iter().zip(&before) {
        assert_eq!(citizen.received_from(room, bot).len(), before + 2, "each message is answered once");
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while office.health_status().await != Some(200) && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(office.health_status().await, Some(200), "healthy again");
    Ok(())
}

/// Citizens that book a visit while szpon is killed with SIGKILL twice.
const KILLED_CITIZENS: usize = 50;
/// Of them, those who write in encrypted chats; the rest in plain ones.
const KILLED_ENCRYPTED: usize = 10;
/// What a citizen is told when the key of their message never reached the bot.
const UNREADABLE: &str = "Nie mogę odczytać Twojej ostatniej wiadomości";

/// One citizen's dialogue; the visit time is theirs alone, so that no two race for it.
fn dialogue(n: usize) -> Vec<String> {
    let minutes = 5 * n;
    vec![
        "dzień dobry".to_owned(),
        format!("wizyta sprawa ogólna jutro po {}:{:02}", 8 + minutes / 60, minutes % 60),
        "1".to_owned(),
        "dziękuję".to_owned(),
        "moje wizyty".to_owned(),
    ]
}

/// What the bot said in `room` in answer to the citizen: the visit's reminder comes unasked.
fn answers(citizen: &TestUser, room: &Room, bot: &UserId) -> Vec<String> {
    let said = citizen.received_from(room, bot).into_iter().map(|m| m.body);
    said.filter(|body| !body.starts_with("Przypomnienie:")).collect()
}

/// Waits for the answer after `before` others, through kills and restarts.
async fn next_answer(citizen: &TestUser, room: &Room, bot: &UserId, before: usize) -> anyhow::Result<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
    loop {
        if let Some(answer) = answers(citizen, room, bot).get(before) {
            return Ok(answer.clone());
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "no answer: {:#?}",
            answers(citizen, room, bot)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// kill -9 under load: 50 citizens book visits in their chats while szpon is killed twice and
/// started again. Every message is answered exactly once, and every confirmed booking is there
/// afterwards. A kill can cost an encrypted chat a room key for good (see ARCHITECTURE.md): its
/// messages are then answered with a request to send them again, never with silence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_is_answered_once_through_two_kills() -> anyhow::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::future::join_all;

    let every_day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let office_file = szpon_test_harness::one_clerk_office(3, 5, &every_day, "08:00-16:00");
    let mut office = Office::start_with_office(szpon(), &office_file).await?;
    crate::race::skip_to_a_working_tomorrow(&office)?;
    let bot = office.bot_user_id.clone();
    let mut citizens = Vec::new();
    for chunk in (0..KILLED_CITIZENS).collect::<Vec<_>>().chunks(10) {
        let made = join_all(chunk.iter().map(|n| async {
            let citizen = office.user("wytrwaly").await?;
            let room = citizen.create_dm(&bot, *n < KILLED_ENCRYPTED).await?;
            anyhow::Ok((citizen, room))
        }))
        .await;
        citizens.extend(made.into_iter().collect::<anyhow::Result<Vec<_>>>()?);
    }

    let answered = AtomicUsize::new(0);
    let talk = join_all(citizens.iter().enumerate().map(|(n, (citizen, room))| {
        let (bot, answered) = (&bot, &answered);
        async move {
            let mut replies = Vec::new();
            for (sent, text) in dialogue(n).iter().enumerate() {
                citizen.send_text(room, text).await?;
                replies.push(next_answer(citizen, room, bot, sent).await?);
                answered.fetch_add(1, Ordering::Relaxed);
            }
            anyhow::Ok(replies)
        }
    }));
    let total = KILLED_CITIZENS * dialogue(0).len();
    let kills = async {
        for share in [5, 2] {
            while answered.load(Ordering::Relaxed) < total / share {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            office.kill_szpon().await?;
            tokio::time::sleep(Duration::from_secs(2)).await;
            office.start_szpon().await?;
        }
        anyhow::Ok(())
    };
    let (dialogues, killed) = tokio::join!(talk, kills);
    killed?;
    let dialogues = dialogues.into_iter().collect::<anyhow::Result<Vec<_>>>()?;

    tokio::time::sleep(Duration::from_secs(5)).await;
    let mut unreadable = 0;
    for (n, ((citizen, room), replies)) in citizens.iter().zip(&dialogues).enumerate() {
        assert_eq!(answers(citizen, room, &bot).len(), dialogue(n).len(), "answered once: {replies:#?}");
        if replies.iter().any(|r| r.starts_with(UNREADABLE)) {
            assert!(n < KILLED_ENCRYPTED, "a plain chat has no keys to lose: {replies:#?}");
            unreadable += 1;
            continue;
        }
        let minutes = 5 * n;
        let time = format!("godz. {}:{:02}", 8 + minutes / 60, minutes % 60);
        assert!(replies[0].starts_with("Dzień dobry"), "{replies:#?}");
        assert!(replies[1].contains("1. ") && replies[1].contains(&time), "{replies:#?}");
        assert!(replies[2].starts_with("Gotowe! Wizyta jest zarezerwowana."), "{replies:#?}");
        assert!(replies[3].starts_with("Proszę bardzo"), "{replies:#?}");
        assert!(replies[4].contains(&time), "the confirmed visit is kept: {replies:#?}");
    }
    eprintln!("{unreadable} of {KILLED_ENCRYPTED} encrypted chats lost a room key to a kill");
    Ok(())
}
