//! 100,000 pending reminders falling due over a minute: how late does each go out?
//! The job loop is the engine's own (`run_due_jobs`, napping as `run_jobs` does); lateness is
//! from a job's due time to the commit of its message to the outbox. SQLite and PostgreSQL
//! side by side.
//! Run: `SZPON_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench reminder_lateness`

use std::{sync::Arc, time::Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use ruma::user_id;
use szpon::{app::SystemClock, engine::Engine, metrics::Metrics, store::Store};
use szpon_bots::{
    BotConfig, Clock, Job, OfficeBot,
    booking::{BookingJob, DEMO_OFFICE, Office},
};

const REMINDERS: usize = 100_000;
const SPREAD_SECONDS: i64 = 60;

/// The real clock, moved so that the first reminder falls due a second after the run starts.
struct ShiftedClock(Duration);

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        SystemClock.now() + self.0
    }
}

fn base() -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, 30, 7, 0, 0).unwrap().with_timezone(&Utc)
}

fn due(i: usize) -> DateTime<Utc> {
    base() + Duration::milliseconds(i as i64 * SPREAD_SECONDS * 1000 / REMINDERS as i64)
}

/// Writes the visits and their reminders in bulk: the setup is not what is measured.
async fn fill(url: &str) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    for chunk in (0..REMINDERS).collect::<Vec<_>>().chunks(1000) {
        let mut visits = String::from(
            "INSERT INTO visits (code, citizen, room_id, service, clerk, start_at, end_at, held_from, held_until, \
             status, lang, created_at, updated_at) VALUES ",
        );
        let mut jobs = String::from("INSERT INTO jobs (job_key, job, due_at) VALUES ");
        for (n, &i) in chunk.iter().enumerate() {
            let code = format!("R{i:05}");
            let start = due(i) + Duration::hours(1);
            let ms = start.timestamp_millis();
            let separator = if n == 0 { "" } else { "," };
            visits.push_str(&format!(
                "{separator}('{code}', '@citizen{i}:localhost', '!dm{i}:localhost', 'meldunek', '@urzednik:localhost', \
                 {ms}, {}, {ms}, {}, 'booked', 'pl', 0, 0)",
                ms + 900_000,
                ms + 900_000
            ));
            let job = Job::Booking(BookingJob::Reminder { code, start });
            let json = serde_json::to_string(&job).unwrap();
            jobs.push_str(&format!(
                "{separator}('{}', '{json}', {})",
                job.key(due(i)),
                due(i).timestamp_millis()
            ));
        }
        sqlx::query(sqlx::AssertSqlSafe(visits)).execute(&pool).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(jobs)).execute(&pool).await.unwrap();
    }
    pool.close().await;
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn run(name: &str, url: &str) {
    let store = Store::connect(url).await.unwrap();
    let filling = Instant::now();
    fill(url).await;
    let filled = filling.elapsed();
    assert_eq!(store.pending_jobs().await.unwrap(), REMINDERS as i64);
    let office = Arc::new(Office::parse(DEMO_OFFICE).unwrap());
    let config = BotConfig::new(user_id!("@urzad:localhost").to_owned(), "Urząd").with_office(Some(office));
    let clock = Arc::new(ShiftedClock(base() - Duration::seconds(1) - SystemClock.now()));
    let engine = Engine::new(store.clone(), OfficeBot::new(config), clock.clone(), Metrics::new());
    let mut lateness = Vec::with_capacity(REMINDERS);
    while lateness.len() < REMINDERS {
        let fired = engine.run_due_jobs().await.unwrap();
        let now = clock.now();
        lateness.extend(fired.iter().map(|job| (now - job.due_at).num_microseconds().unwrap() as f64 / 1e6));
        if fired.is_empty() {
            tokio::time::sleep(engine.time_to_next_job().await).await;
        }
    }
    assert_eq!(store.pending_count().await.unwrap(), REMINDERS as i64, "{name}: one message per reminder");
    lateness.sort_by(f64::total_cmp);
    println!(
        "{name:<10} {REMINDERS} reminders over {SPREAD_SECONDS} s (filled in {:.1} s): lateness p50 {:.3} s, \
         p99 {:.3} s, max {:.3} s",
        filled.as_secs_f64(),
        percentile(&lateness, 0.5),
        percentile(&lateness, 0.99),
        lateness.last().unwrap()
    );
    store.close().await;
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    run("sqlite", &format!("sqlite://{}", dir.path().join("reminders.db").display())).await;
    match std::env::var("SZPON_TEST_DATABASE_URL") {
        Ok(admin) => {
            run("postgres", &szpon_test_harness::fresh_postgres_database(&admin).await.unwrap()).await
        }
        Err(_) => println!("postgres   skipped: set SZPON_TEST_DATABASE_URL"),
    }
}
