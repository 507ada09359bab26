//! Reply time through a real Synapse, in encrypted direct chats: the office bot against a plain
//! echo client (the homeserver's own relay time, the floor), interleaved in one run so that
//! machine noise hits both alike. Also szpon's resident memory when idle.
//!
//! Run: `cargo bench --bench reply_latency` (SZPON_BENCH_MESSAGES sets the count, default 200).
#![recursion_limit = "256"]

use std::{
    path::Path,
    time::{Duration, Instant},
};

use matrix_sdk::{Room, ruma::UserId};
use szpon_test_harness::{Office, TestUser};

mod synapse;
use synapse::{ms, percentile, rss_kib, start_echo};

struct Summary {
    p50: Duration,
    p99: Duration,
    mean: Duration,
}

fn summarize(mut samples: Vec<Duration>) -> Summary {
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    Summary { p50: percentile(&samples, 50.0), p99: percentile(&samples, 99.0), mean }
}

/// One question and its answer: the time until the homeserver accepted the question, and
/// the time until the decrypted answer arrived.
async fn round_trip(
    citizen: &TestUser,
    room: &Room,
    responder: &UserId,
) -> anyhow::Result<(Duration, Duration)> {
    let before = citizen.received_from(room, responder).len();
    let start = Instant::now();
    citizen.send_text(room, "pomoc").await?;
    let sent = start.elapsed();
    citizen.wait_for_messages(room, responder, before + 1, Duration::from_secs(30)).await?;
    Ok((sent, start.elapsed()))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let messages: usize =
        std::env::var("SZPON_BENCH_MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    // One citizen writes hundreds of messages back to back: the flood limit would rightly
    // slow them down, so it is off for this measurement of answering itself.
    let office =
        Office::start_with(Path::new(env!("CARGO_BIN_EXE_szpon")), "[bot]\nanswers_per_half_minute = 0\n")
            .await?;
    let citizen = office.user("obywatel").await?;
    let echo = office.user("echo").await?;
    start_echo(&echo);
    echo.auto_join_invites();
    let (bot, echo_id) = (office.bot_user_id.clone(), echo.user_id());
    let bot_room = citizen.create_dm(&bot, true).await?;
    let echo_room = citizen.create_dm(&echo_id, true).await?;

    eprintln!("warming up…");
    for _ in 0..10 {
        round_trip(&citizen, &bot_room, &bot).await?;
        round_trip(&citizen, &echo_room, &echo_id).await?;
    }
    let (mut bot_samples, mut echo_samples, mut send_samples) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..messages {
        let (sent, answered) = round_trip(&citizen, &bot_room, &bot).await?;
        bot_samples.push(answered);
        send_samples.push(sent);
        let (sent, answered) = round_trip(&citizen, &echo_room, &echo_id).await?;
        echo_samples.push(answered);
        send_samples.push(sent);
        if (i + 1) % 50 == 0 {
            eprintln!("{}/{messages} messages each", i + 1);
        }
    }
    tokio::time::sleep(Duration::from_secs(5)).await;
    let idle_rss = office.szpon_pid().and_then(rss_kib);
    report(messages, summarize(bot_samples), summarize(echo_samples), idle_rss);
    let send = summarize(send_samples);
    println!(
        "(of that, the citizen's own send until the homeserver accepted it: p50 {:.1} ms, p99 {:.1} ms)",
        ms(send.p50),
        ms(send.p99)
    );
    Ok(())
}

fn report(messages: usize, bot: Summary, echo: Summary, idle_rss_kib: Option<u64>) {
    println!("| path ({messages} messages each, encrypted DM) | p50 ms | p99 ms | mean ms |");
    println!("|---|---|---|---|");
    println!(
        "| citizen → szpon bot → citizen | {:.1} | {:.1} | {:.1} |",
        ms(bot.p50),
        ms(bot.p99),
        ms(bot.mean)
    );
    println!(
        "| citizen → echo client → citizen (floor) | {:.1} | {:.1} | {:.1} |",
        ms(echo.p50),
        ms(echo.p99),
        ms(echo.mean)
    );
    println!(
        "| bot / floor | {:.2} | {:.2} | {:.2} |",
        ms(bot.p50) / ms(echo.p50),
        ms(bot.p99) / ms(echo.p99),
        ms(bot.mean) / ms(echo.mean)
    );
    match idle_rss_kib {
        Some(kib) => println!("\nszpon idle RSS after the run: {:.1} MiB", kib as f64 / 1024.0),
        None => println!("\nszpon idle RSS: not measurable (no /proc)"),
    }
}
