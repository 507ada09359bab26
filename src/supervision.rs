//! How szpon's long-running loops are watched, so that none of them can stop unnoticed.
//!
//! Two layers:
//! - **One bad input, job or action is set aside, never retried forever.** The engine runs each
//!   turn, job decision and delivery under `catch_unwind`: a panic there becomes a recorded
//!   failure (the event is marked handled with a polite answer, the job done, the action
//!   given up), counted in `/metrics` and logged without the message's text.
//! - **A loop that stops stops szpon.** If any supervised task (the sync and bridge, the input
//!   loop, the outbox sender, the job runner, the web server) returns or panics, [`supervise`]
//!   returns an error and the process exits non-zero, so that its supervisor (systemd's
//!   `Restart=always`, compose's `restart: unless-stopped`) starts it again. A fresh process
//!   re-reads everything from the store, and the failed input is already set aside.
//!
//! Each loop also beats a [`Heartbeat`]; `/healthz` answers 503 when one has not beaten in its
//! allowed time, which catches a loop that is stuck rather than stopped.

use std::{
    collections::BTreeMap,
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::{task::JoinSet, time::Instant};

/// One loop's sign of life: the time of its last beat.
#[derive(Debug)]
pub struct Heartbeat {
    started: Instant,
    last_beat_ms: AtomicU64,
    allowed_silence: Duration,
}

impl Heartbeat {
    fn new(allowed_silence: Duration) -> Self {
        Self { started: Instant::now(), last_beat_ms: AtomicU64::new(0), allowed_silence }
    }

    /// Says the loop is alive and making progress.
    pub fn beat(&self) {
        let elapsed = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_beat_ms.store(elapsed, Ordering::Relaxed);
    }

    /// How long since the last beat.
    pub fn silence(&self) -> Duration {
        let since_start = self.started.elapsed();
        since_start.saturating_sub(Duration::from_millis(self.last_beat_ms.load(Ordering::Relaxed)))
    }

    pub fn is_stale(&self) -> bool {
        self.silence() > self.allowed_silence
    }
}

/// The heartbeats of every supervised loop, by name.
#[derive(Debug, Clone, Default)]
pub struct Heartbeats {
    loops: Arc<std::sync::Mutex<BTreeMap<&'static str, Arc<Heartbeat>>>>,
}

impl Heartbeats {
    /// A heartbeat for a loop that must beat at least every `allowed_silence`. It counts as a
    /// beat now, so that a loop still starting up is not reported stuck.
    pub fn register(&self, name: &'static str, allowed_silence: Duration) -> Arc<Heartbeat> {
        let heartbeat = Arc::new(Heartbeat::new(allowed_silence));
        heartbeat.beat();
        self.loops.lock().expect("heartbeats lock").insert(name, heartbeat.clone());
        heartbeat
    }

    /// The loops that have not beaten in their allowed time.
    pub fn stale(&self) -> Vec<&'static str> {
        let loops = self.loops.lock().expect("heartbeats lock");
        loops.iter().filter(|(_, h)| h.is_stale()).map(|(name, _)| *name).collect()
    }
}

/// A loop that should run forever, with the name it is reported under.
pub type Loop = (&'static str, std::pin::Pin<Box<dyn Future<Output = ()> + Send>>);

/// A loop under its name.
pub fn named(name: &'static str, task: impl Future<Output = ()> + Send + 'static) -> Loop {
    (name, Box::pin(task))
}

/// Runs the named tasks until the first of them ends, which is always an error: each is meant
/// to run forever. A panic is reported as such, with the task's name.
pub async fn supervise(tasks: Vec<Loop>) -> anyhow::Error {
    let mut set = JoinSet::new();
    for (name, task) in tasks {
        set.spawn(async move {
            let panicked =
                futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(task)).await.is_err();
            (name, panicked)
        });
    }
    match set.join_next().await {
        Some(Ok((name, false))) => {
            anyhow::anyhow!("the {name} loop stopped; szpon exits so that it is restarted")
        }
        Some(Ok((name, true))) => {
            anyhow::anyhow!("the {name} loop panicked; szpon exits so that it is restarted")
        }
        Some(Err(error)) => anyhow::anyhow!("a szpon loop was cancelled: {error}"),
        None => anyhow::anyhow!("szpon had no loops to run"),
    }
}

/// Logs panics with their place in the code but never their message: a panic's message may
/// quote the text that caused it (a cut string is shown in it), and people's messages must not
/// reach the logs.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        let thread = std::thread::current();
        tracing::error!(
            location = location.as_deref().unwrap_or("unknown"),
            thread = thread.name().unwrap_or("unnamed"),
            "panic (its message is not logged, as it may quote a person's text)"
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_loop_that_stops_is_named() {
        let tasks = vec![
            named("forever", std::future::pending()),
            named("outbox", async { tokio::time::sleep(Duration::from_secs(1)).await }),
        ];
        let error = supervise(tasks).await;
        assert!(error.to_string().contains("the outbox loop stopped"), "{error}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_loop_that_panics_is_reported() {
        let tasks = vec![
            named("forever", std::future::pending()),
            named("inputs", async { panic!("byte index 3 is not a char boundary") }),
        ];
        let error = supervise(tasks).await;
        assert!(error.to_string().contains("the inputs loop panicked"), "{error}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_loop_is_stale_and_a_beating_one_is_not() {
        let heartbeats = Heartbeats::default();
        let quiet = heartbeats.register("jobs", Duration::from_secs(60));
        let busy = heartbeats.register("outbox", Duration::from_secs(60));
        assert!(heartbeats.stale().is_empty());
        tokio::time::advance(Duration::from_secs(45)).await;
        busy.beat();
        tokio::time::advance(Duration::from_secs(30)).await;
        assert_eq!(heartbeats.stale(), vec!["jobs"]);
        quiet.beat();
        assert!(heartbeats.stale().is_empty());
    }
}
