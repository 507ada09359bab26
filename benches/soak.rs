//! A soak through a real Synapse: many citizens at once, each in an encrypted direct chat,
//! each writing a mixed dialogue (booking, questions, tasks), and waiting for each answer as a
//! person would. In the same run and interleaved, each also writes to a plain echo client: the
//! homeserver's own relay time under the same load. Reports answers against messages sent,
//! reply p50 and p99 beside the echo's, and szpon's RSS at the start and at the end.
//!
//! Run: `cargo bench --bench soak` (SZPON_SOAK_CITIZENS, default 200; SZPON_SOAK_MESSAGES,
//! default 20).
#![recursion_limit = "256"]

use std::{
    path::Path,
    time::{Duration, Instant},
};

use futures_util::future::join_all;
use matrix_sdk::{Room, ruma::UserId};
use szpon_bots::booking::DEMO_OFFICE;
use szpon_test_harness::{Office, TestUser};

mod synapse;
use synapse::{ms, percentile, rss_kib, start_echo};

fn rss_mib(pid: u32) -> Option<f64> {
    rss_kib(pid).map(|kib| kib as f64 / 1024.0)
}

/// What each citizen says, in order, again from the start after the last.
const DIALOGUE: [&str; 10] = [
    "dzień dobry",
    "jak wyrobić dowód osobisty?",
    "chcę umówić wizytę w sprawie dowodu osobistego",
    "1",
    "!zadanie Odebrać dowód jutro o 10",
    "!zadania",
    "moje wizyty",
    "godziny otwarcia urzedu",
    "!zrobione 1",
    "dziekuje",
];

/// How long an answer may take before it counts as missing.
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One message and the time until its answer, if it came in time.
async fn round_trip(citizen: &TestUser, room: &Room, responder: &UserId, text: &str) -> Option<Duration> {
    let before = citizen.received_from(room, responder).len();
    let start = Instant::now();
    citizen.send_text(room, text).await.ok()?;
    citizen.wait_for_messages(room, responder, before + 1, ANSWER_WITHIN).await.ok()?;
    Some(start.elapsed())
}

/// Each citizen's samples: the bot's and the echo's answer times (`None` if missing).
struct Samples {
    bot: Vec<Option<Duration>>,
    echo: Vec<Option<Duration>>,
}

async fn converse(
    citizen: &TestUser,
    rooms: &(Room, Room),
    bot: &UserId,
    echo: &UserId,
    messages: usize,
) -> Samples {
    let mut samples = Samples { bot: Vec::new(), echo: Vec::new() };
    for n in 0..messages {
        samples.bot.push(round_trip(citizen, &rooms.0, bot, DIALOGUE[n % DIALOGUE.len()]).await);
        samples.echo.push(round_trip(citizen, &rooms.1, echo, "pomoc").await);
    }
    samples
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let (citizens_wanted, messages) = (env_or("SZPON_SOAK_CITIZENS", 200), env_or("SZPON_SOAK_MESSAGES", 20));
    // Each citizen writes back to back, faster than a person types: the flood limit would
    // rightly slow them down, so it is off for this measurement of answering itself.
    let office = Office::start_configured(
        Path::new(env!("CARGO_BIN_EXE_szpon")),
        "[bot]\nanswers_per_half_minute = 0\n",
        Some(DEMO_OFFICE),
    )
    .await?;
    let echo = office.user("echo").await?;
    start_echo(&echo);
    echo.auto_join_invites();
    let (bot, echo_id) = (office.bot_user_id.clone(), echo.user_id());

    let mut citizens = Vec::new();
    let mut rooms = Vec::new();
    for chunk in (0..citizens_wanted).collect::<Vec<_>>().chunks(10) {
        let made = join_all(chunk.iter().map(|_| office.user("mieszkaniec"))).await;
        let made = made.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
        let opened = join_all(made.iter().map(|c| async {
            anyhow::Ok((c.create_dm(&bot, true).await?, c.create_dm(&echo_id, true).await?))
        }))
        .await;
        rooms.extend(opened.into_iter().collect::<anyhow::Result<Vec<_>>>()?);
        citizens.extend(made);
        eprintln!("{}/{citizens_wanted} citizens in", citizens.len());
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_start = office.szpon_pid().and_then(rss_mib);

    let started = Instant::now();
    let all =
        join_all(citizens.iter().zip(&rooms).map(|(c, r)| converse(c, r, &bot, &echo_id, messages))).await;
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let rss_end = office.szpon_pid().and_then(rss_mib);
    // Answers counted at the end, as the citizens' clients hold them: a late one counts too.
    let answered: usize = citizens.iter().zip(&rooms).map(|(c, r)| c.received_from(&r.0, &bot).len()).sum();
    report(&all, citizens.len() * messages, answered, elapsed, (rss_start, rss_end));
    // Where a bot answer's time goes inside szpon: its turn, then its wait to be sent.
    let turn = histogram_mean(&office.web_url, "turn_duration_seconds").await;
    let outbox = histogram_mean(&office.web_url, "reply_latency_seconds").await;
    match (turn, outbox) {
        (Some(turn), Some(outbox)) => println!(
            "inside szpon, on average: {:.1} ms for a turn, then {:.0} ms from the answer decided to \
             the homeserver accepting it",
            turn * 1000.0,
            outbox * 1000.0
        ),
        _ => println!("inside szpon: /metrics did not answer"),
    }
    Ok(())
}

fn report(
    all: &[Samples],
    sent: usize,
    answered: usize,
    elapsed: Duration,
    (rss_start, rss_end): (Option<f64>, Option<f64>),
) {
    let summary = |pick: fn(&Samples) -> &Vec<Option<Duration>>| {
        let mut times: Vec<Duration> = all.iter().flat_map(|s| pick(s).iter().flatten().copied()).collect();
        let missing = all.iter().map(|s| pick(s).iter().filter(|t| t.is_none()).count()).sum::<usize>();
        times.sort();
        (percentile(&times, 50.0), percentile(&times, 99.0), missing)
    };
    let (bot_p50, bot_p99, bot_missing) = summary(|s| &s.bot);
    let (echo_p50, echo_p99, echo_missing) = summary(|s| &s.echo);
    println!(
        "{} citizens × {} messages to the bot, in {:.0} s",
        all.len(),
        sent / all.len().max(1),
        elapsed.as_secs_f64()
    );
    println!("| path | answered in time | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    println!(
        "| citizen → szpon bot → citizen | {}/{sent} | {:.0} | {:.0} |",
        sent - bot_missing,
        ms(bot_p50),
        ms(bot_p99)
    );
    println!(
        "| citizen → echo client → citizen (floor) | {}/{sent} | {:.0} | {:.0} |",
        sent - echo_missing,
        ms(echo_p50),
        ms(echo_p99)
    );
    println!("| bot / floor | | {:.2} | {:.2} |", ms(bot_p50) / ms(echo_p50), ms(bot_p99) / ms(echo_p99));
    println!(
        "\nbot answers received at the end: {answered} for {sent} messages ({:.1} %)",
        100.0 * answered as f64 / sent as f64
    );
    match (rss_start, rss_end) {
        (Some(start), Some(end)) => {
            println!(
                "szpon RSS: {start:.1} MiB at the start, {end:.1} MiB at the end (growth {:.1} MiB)",
                end - start
            )
        }
        _ => println!("szpon RSS: not measurable (no /proc)"),
    }
}

/// The mean of one of szpon's histograms (`szpon_<name>_sum` over `_count`), from its
/// `/metrics`, in seconds.
pub async fn histogram_mean(web_url: &str, name: &str) -> Option<f64> {
    let text = reqwest::get(format!("{web_url}/metrics")).await.ok()?.text().await.ok()?;
    let value = |suffix: &str| {
        let key = format!("szpon_{name}_{suffix} ");
        text.lines().find_map(|line| line.strip_prefix(key.as_str())?.trim().parse::<f64>().ok())
    };
    let count = value("count")?;
    (count > 0.0).then(|| value("sum").map(|sum| sum / count)).flatten()
}
