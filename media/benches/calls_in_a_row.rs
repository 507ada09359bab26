//! Calls in a row: how many two-person calls the real Janus (Debian's 1.1.2, szpon's config)
//! carries at once, and its CPU per publisher. Each call is a VideoRoom of its own where both
//! people send 500 kbps of video and watch the other, as two str0m peers in this process (real
//! WebRTC, no decoding; see `peers`). A watcher "keeps up" when it got at least 95 % of the frames
//! sent to it in a 10-second window.
//!
//! Run (as root: the peers and Janus get a network namespace of their own):
//! `cargo bench -p szpon-media --bench calls_in_a_row` (SZPON_BENCH_CALLS sets the steps,
//! default "0,5,10,20,40,60").

use std::sync::{Arc, atomic::AtomicU64};

use anyhow::Context;
use szpon_media::{RoomSpec, VideoRooms};

mod peers;
use peers::{
    BITRATE, FPS, PIN, Signal, WINDOW, in_namespace, measure, publish, sending, start_janus, steps, watch,
};

fn main() -> anyhow::Result<()> {
    in_namespace(bench)
}

async fn bench() -> anyhow::Result<()> {
    let steps = steps("SZPON_BENCH_CALLS", "0,5,10,20,40,60");
    let dir = tempfile::tempdir()?;
    let janus = start_janus(dir.path()).await?;
    let janus_pid = janus.pid().context("Janus's process")?;
    let mut signal = Signal::connect(&janus).await?;
    println!(
        "two-person calls, Janus 1.1.2 VideoRoom, each person {} kbps at {FPS} fps, {}-s windows",
        BITRATE / 1000,
        WINDOW.as_secs()
    );
    println!(
        "calls | publishers | Janus CPU (% of a core) | per publisher | bench's own CPU | watchers keeping up | worst"
    );
    let mut watchers: Vec<(Arc<AtomicU64>, Arc<AtomicU64>)> = Vec::new();
    let mut calls = 0;
    let mut base_cpu = None;
    for step in steps {
        signal.keepalive().await?;
        while calls < step {
            calls += 1;
            watchers.extend(open_call(&janus, &mut signal, 1000 + calls as u64).await?);
        }
        let window = measure(janus_pid, &watchers).await?;
        let base = *base_cpu.get_or_insert(window.janus_cpu);
        let publishers = 2 * step;
        let per_publisher = match publishers {
            0 => "—".to_owned(),
            _ => format!("{:.2} %", (window.janus_cpu - base) / publishers as f64),
        };
        println!(
            "{step:>5} | {publishers:>10} | {:>6.1} % | {per_publisher} | {:.1} % | {}/{} | {}",
            window.janus_cpu,
            window.own_cpu,
            window.keeping_up(),
            watchers.len(),
            window.worst()
        );
    }
    Ok(())
}

/// One call: a room for two, both sending, each watching the other.
async fn open_call(
    janus: &szpon_media::RunningJanus,
    signal: &mut Signal,
    room: u64,
) -> anyhow::Result<[(Arc<AtomicU64>, Arc<AtomicU64>); 2]> {
    janus
        .rooms()
        .open(&RoomSpec { number: room, pin: PIN.to_owned(), secret: "s".to_owned(), publishers: 2 })
        .await?;
    let (anna_sent, ewa_sent) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let anna = publish(signal, room, anna_sent.clone()).await?;
    let ewa = publish(signal, room, ewa_sent.clone()).await?;
    sending(&anna_sent).await?;
    sending(&ewa_sent).await?;
    let ewa_watches_anna = watch(signal, room, anna).await?;
    let anna_watches_ewa = watch(signal, room, ewa).await?;
    Ok([(ewa_watches_anna, anna_sent), (anna_watches_ewa, ewa_sent)])
}
