//! What the benches that time commands through the engine share.

use std::time::Instant;

use szpon::engine::Engine;
use szpon_bots::Input;

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// p50 and p99, in milliseconds, of `samples` inputs handled by the engine one after another.
pub async fn engine_latency(engine: &Engine, samples: usize, input: impl Fn(usize) -> Input) -> (f64, f64) {
    let mut times = Vec::with_capacity(samples);
    for n in 0..samples {
        let input = input(n);
        let started = Instant::now();
        engine.process(&input).await.unwrap();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// Runs a bench on a fresh SQLite database and, when SZPON_TEST_DATABASE_URL is set, on a fresh
/// PostgreSQL one, side by side.
pub async fn on_sqlite_and_postgres<F, Fut>(run: F)
where
    F: Fn(&'static str, String) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    run("sqlite", format!("sqlite://{}", dir.path().join("bench.db").display())).await;
    match std::env::var("SZPON_TEST_DATABASE_URL") {
        Ok(admin) => {
            run("postgres", szpon_test_harness::fresh_postgres_database(&admin).await.unwrap()).await
        }
        Err(_) => println!("postgres  skipped: set SZPON_TEST_DATABASE_URL"),
    }
}
