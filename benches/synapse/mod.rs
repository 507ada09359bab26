//! What the benches through a real Synapse share: the echo client that is the homeserver's own
//! relay time, percentiles of durations, and szpon's resident memory.

use std::time::Duration;

use matrix_sdk::{
    Room,
    ruma::events::room::message::{MessageType, OriginalSyncRoomMessageEvent, RoomMessageEventContent},
};
use szpon_test_harness::TestUser;

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A client that answers every text with the same text as a notice, as fast as matrix-sdk can.
/// Each answer is sent from its own task, as the bot's outbox sends to many rooms at once: sent
/// from the handler, one room's answer (and its room key) would hold up the sync and every
/// other room behind it.
pub fn start_echo(echo: &TestUser) {
    echo.client.add_event_handler(|event: OriginalSyncRoomMessageEvent, room: Room| async move {
        if let MessageType::Text(text) = event.content.msgtype {
            tokio::spawn(async move {
                let _ = room.send(RoomMessageEventContent::notice_plain(text.body)).await;
            });
        }
    });
}

/// A process's resident memory, in KiB, from `/proc`.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
