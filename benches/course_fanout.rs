//! Fan-out of one lesson to thousands of learners' encrypted direct chats through a real
//! Synapse, beside the homeserver's raw send rate from one client in the same run.
//!
//! Setup (not measured): a course with an hourly pacing is published, N accounts are registered
//! and imported into the directory, and szpon enrols them, opening a direct chat with each and
//! sending its welcome. Measured: the lesson time (szpon's clock moved forward), from the job's
//! first lesson queued to the last one accepted by Synapse; and one client sending N notices, one
//! after another, into an encrypted room, half before the fan-out and half after.
//!
//! The course's lessons come on 1 January at nine, so that no real hour starts one during the
//! setup; the bench moves szpon's clock to that time.
//!
//! Run: `cargo bench --bench course_fanout` (SZPON_BENCH_LEARNERS sets N, default 5000). With
//! SZPON_BENCH_WAIT_FOR=<file>, the measured part waits until that file exists, so that other
//! work can run during the long setup and be over before anything is timed.
#![recursion_limit = "256"]

use std::{
    path::Path,
    time::{Duration, Instant},
};

use futures_util::{StreamExt, stream};
use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use sqlx::Row;
use szpon_bots::booking::DEMO_OFFICE;
use szpon_test_harness::{Office, TestUser};

const COURSE: &str = "---\nid: fanout\ntitle: Kurs dla wszystkich\naudience: department = \"bench\"\npacing: \"0 9 1 1 *\"\n---\n# Lekcja: Pierwsza\n\nTreść pierwszej lekcji.\n\n# Lekcja: Druga\n\nTreść drugiej lekcji.\n";

async fn count(pool: &sqlx::AnyPool, sql: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(pool).await?.try_get::<i64, _>(0)?)
}

/// Waits until no action is pending, showing progress.
async fn drained(pool: &sqlx::AnyPool, what: &str, total: i64) -> anyhow::Result<()> {
    let mut last_report = Instant::now();
    loop {
        let pending =
            count(pool, "SELECT COUNT(*) FROM outbox WHERE done_at IS NULL AND failed_at IS NULL").await?;
        if pending == 0 {
            return Ok(());
        }
        if last_report.elapsed() > Duration::from_secs(10) {
            eprintln!("{what}: {} of {total} left", pending.min(total));
            last_report = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// One client's notices into one encrypted room, one after another: the seconds they took.
async fn raw_sends(sender: &TestUser, room: &matrix_sdk::Room, count: usize) -> anyhow::Result<f64> {
    let started = Instant::now();
    for i in 0..count {
        sender.send(room, RoomMessageEventContent::notice_plain(format!("Wiadomość {i}"))).await?;
    }
    Ok(started.elapsed().as_secs_f64())
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let learners: usize =
        std::env::var("SZPON_BENCH_LEARNERS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let office = Office::start_with_office(Path::new(env!("CARGO_BIN_EXE_szpon")), DEMO_OFFICE).await?;
    let bot = office.bot_user_id.clone();
    let trainer = office.user_named("trener").await?;
    let colleague = office.user("trenerka").await?;
    let room = trainer.create_encrypted_group("Trenerzy", &[&bot, &colleague.user_id()]).await?;
    colleague.accept_invite(room.room_id()).await?;
    trainer.wait_for_member(&room, &bot).await?;
    let markdown = "text/markdown".parse::<mime::Mime>()?;
    let file = trainer.send_file(&room, "fanout.md", &markdown, COURSE.as_bytes().to_vec()).await?;
    let published = trainer.reply(&room, &file, &bot, "!kurs opublikuj").await?;
    eprintln!("{published}");

    eprintln!("registering {learners} learners…");
    let accounts: Vec<String> = stream::iter(0..learners)
        .map(|i| {
            let office = &office;
            async move { office.register_account(&format!("uczen{i:05}")).await.map(|u| u.to_string()) }
        })
        .buffer_unordered(8)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    let csv: String = std::iter::once("user_id,department".to_owned())
        .chain(accounts.iter().map(|u| format!("{u},bench")))
        .collect::<Vec<_>>()
        .join("\n");
    let file = office.dir.path().join("katalog.csv");
    std::fs::write(&file, csv)?;
    let import = std::process::Command::new(env!("CARGO_BIN_EXE_szpon"))
        .args(["directory", "import"])
        .arg(&file)
        .arg("--config")
        .arg(office.config_path())
        .output()?;
    anyhow::ensure!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    eprint!("{}", String::from_utf8_lossy(&import.stdout));

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    eprintln!("opening {learners} direct chats and sending the welcomes (setup, not measured)…");
    let setup = Instant::now();
    drained(&pool, "welcomes", learners as i64).await?;
    eprintln!("setup took {:.0} s", setup.elapsed().as_secs_f64());

    if let Ok(file) = std::env::var("SZPON_BENCH_WAIT_FOR") {
        eprintln!("setup done; waiting for {file} before measuring…");
        while !Path::new(&file).exists() {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    let raw_room = trainer.create_encrypted_group("Pomiar", &[&colleague.user_id()]).await?;
    colleague.accept_invite(raw_room.room_id()).await?;
    let first_half = raw_sends(&trainer, &raw_room, learners / 2).await?;

    // The lesson time: szpon's clock moves to just past it.
    let before = count(&pool, "SELECT COALESCE(MAX(id), 0) FROM outbox").await?;
    let due =
        count(&pool, "SELECT MIN(due_at) FROM jobs WHERE done_at IS NULL AND job LIKE '%course_lesson%'")
            .await?;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)? + office.clock_offset();
    let wall = Instant::now();
    office
        .advance_clock(Duration::from_millis((due as u64).saturating_sub(now.as_millis() as u64) + 1000))?;
    let lessons = format!("SELECT COUNT(*) FROM outbox WHERE id > {before} AND done_at IS NOT NULL");
    while count(&pool, &lessons).await? < learners as i64 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let wall = wall.elapsed().as_secs_f64();
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT MIN(created_at) AS first, MAX(done_at) AS last, COUNT(*) AS n FROM outbox WHERE id > {before}"
    )))
    .fetch_one(&pool)
    .await?;
    anyhow::ensure!(row.try_get::<i64, _>("n")? == learners as i64, "one lesson per learner");
    let fanout = (row.try_get::<i64, _>("last")? - row.try_get::<i64, _>("first")?) as f64 / 1000.0;
    let rss = office.szpon_pid().and_then(rss_kib);

    let second_half = raw_sends(&trainer, &raw_room, learners - learners / 2).await?;
    let raw_rate = learners as f64 / (first_half + second_half);
    let fanout_rate = learners as f64 / fanout;
    println!("| path ({learners} messages) | messages/s | seconds |");
    println!("|---|---|---|");
    println!("| szpon: one lesson to {learners} learners' encrypted DMs | {fanout_rate:.0} | {fanout:.1} |");
    println!(
        "| one client's sends into one encrypted room (raw) | {raw_rate:.0} | {:.1} |",
        first_half + second_half
    );
    println!("| szpon / raw | {:.0} % | |", 100.0 * fanout_rate / raw_rate);
    println!("\n(from moving the clock to the last lesson sent: {wall:.1} s)");
    if let Some(kib) = rss {
        println!("szpon RSS right after the fan-out: {:.1} MiB", kib as f64 / 1024.0);
    }
    pool.close().await;
    Ok(())
}
