//! LIVE, one to many: how many viewers one presenter's 500 kbps video holds in a VideoRoom of
//! the real Janus (Debian's 1.1.2, started with szpon's config), and Janus's CPU per viewer.
//!
//! Browsers would be the bottleneck of such a test (each decodes video), so the presenter and
//! the viewers are str0m peers in this process: full WebRTC (ICE, DTLS, SRTP), but no decoding.
//! The presenter sends 30 frames a second of VP8-framed bytes at 500 kbps; each viewer counts the
//! frames it reassembles. A viewer "keeps up" when it got at least 95 % of the frames sent in a
//! 10-second window. Janus's CPU is read from /proc (user + system time), beside the bench's own.
//!
//! Janus 1.1.2 gathers no loopback candidates, so the bench runs, as root, in a network namespace
//! of its own with a veth pair carrying a private address (as the browser test does).
//!
//! Run: `cargo bench -p szpon-media --bench live_viewers` (SZPON_BENCH_VIEWERS sets the steps,
//! default "0,25,50,100,200,300,400").

use std::sync::{Arc, atomic::AtomicU64};

use anyhow::Context;
use szpon_media::{RoomSpec, VideoRooms};

mod peers;
use peers::{
    BITRATE, FPS, PIN, Signal, WINDOW, in_namespace, measure, publish, sending, start_janus, steps, watch,
};

const ROOM: u64 = 77;

fn main() -> anyhow::Result<()> {
    in_namespace(bench)
}

async fn bench() -> anyhow::Result<()> {
    let steps = steps("SZPON_BENCH_VIEWERS", "0,25,50,100,200,300,400");
    let dir = tempfile::tempdir()?;
    let janus = start_janus(dir.path()).await?;
    let janus_pid = janus.pid().context("Janus's process")?;
    janus
        .rooms()
        .open(&RoomSpec { number: ROOM, pin: PIN.to_owned(), secret: "s".to_owned(), publishers: 1 })
        .await?;
    let mut signal = Signal::connect(&janus).await?;
    let sent = Arc::new(AtomicU64::new(0));
    let feed = publish(&mut signal, ROOM, sent.clone()).await?;
    sending(&sent).await?;

    println!(
        "LIVE one to many, Janus 1.1.2 VideoRoom, {} kbps at {FPS} fps, {}-s windows",
        BITRATE / 1000,
        WINDOW.as_secs()
    );
    println!(
        "viewers | Janus CPU (% of a core) | per viewer | bench's own CPU | viewers keeping up (≥95 % frames) | worst viewer"
    );
    let mut viewers: Vec<(Arc<AtomicU64>, Arc<AtomicU64>)> = Vec::new();
    let mut base_cpu = None;
    for step in steps {
        signal.keepalive().await?;
        while viewers.len() < step {
            viewers.push((watch(&mut signal, ROOM, feed).await?, sent.clone()));
        }
        let window = measure(janus_pid, &viewers).await?;
        let base = *base_cpu.get_or_insert(window.janus_cpu);
        let per_viewer = match step {
            0 => "—".to_owned(),
            _ => format!("{:.2} %", (window.janus_cpu - base) / step as f64),
        };
        println!(
            "{step:>7} | {:>6.1} % | {per_viewer} | {:.1} % | {}/{step} | {}",
            window.janus_cpu,
            window.own_cpu,
            window.keeping_up(),
            window.worst()
        );
    }
    Ok(())
}
