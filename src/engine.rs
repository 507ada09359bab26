//! The driver around the pure bots: it feeds them inputs with the person's stored state, commits
//! their outcome to the store, and delivers the decided actions to the homeserver.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use rand::{Rng, distr::Alphanumeric};
use szpon_bots::{Action, Clock, Input, OfficeBot};
use szpon_homeserver_bridge::{Homeserver, HomeserverError};
use tokio::sync::{Notify, mpsc};

use crate::{
    metrics::Metrics,
    store::{NewAction, Store, StoreError},
};

/// Why an action is retried later: backoff doubles per attempt, up to five minutes.
fn retry_delay(attempts: i64) -> chrono::Duration {
    let seconds = 1i64 << attempts.clamp(0, 8);
    chrono::Duration::seconds(seconds.min(300))
}

/// Attempts after which an action that keeps failing for transient reasons is given up.
const MAX_ATTEMPTS: i64 = 30;

pub struct Engine {
    store: Store,
    bot: OfficeBot,
    clock: Arc<dyn Clock>,
    metrics: Metrics,
    outbox_ready: Notify,
}

impl Engine {
    pub fn new(store: Store, bot: OfficeBot, clock: Arc<dyn Clock>, metrics: Metrics) -> Arc<Self> {
        Arc::new(Self { store, bot, clock, metrics, outbox_ready: Notify::new() })
    }

    /// Handles one input: at most once per event, all of its outcome stored or none of it.
    pub async fn process(&self, input: &Input) -> Result<(), StoreError> {
        let now = self.clock.now();
        if let Some(event_id) = input.event_id()
            && self.store.is_processed(event_id).await?
        {
            self.metrics.duplicates_skipped.inc();
            return Ok(());
        }
        let person = self.store.person(input.sender()).await?;
        let outcome = self.bot.handle(input, &person, now);
        let actions: Vec<NewAction> =
            outcome.actions.into_iter().map(|action| NewAction { txn_id: new_txn_id(), action }).collect();
        let event = match input {
            Input::Message(message) => Some((&*message.event_id, &*message.room_id)),
            _ => None,
        };
        let committed =
            self.store.commit_outcome(event, input.sender(), outcome.person.as_ref(), &actions, now).await?;
        if committed {
            self.metrics.events_handled.with_label_values(&[input_kind(input)]).inc();
            if !actions.is_empty() {
                self.outbox_ready.notify_one();
            }
        } else {
            self.metrics.duplicates_skipped.inc();
        }
        Ok(())
    }

    /// Consumes inputs until the channel closes.
    pub async fn run_inputs(self: Arc<Self>, mut inputs: mpsc::Receiver<Input>) {
        while let Some(input) = inputs.recv().await {
            if let Err(error) = self.process(&input).await {
                self.metrics.errors.with_label_values(&["store"]).inc();
                tracing::error!(%error, "could not record an event; it will be handled when it is seen again");
            }
        }
    }

    /// Carries out stored actions forever, in order, retrying those the homeserver could not
    /// take yet.
    pub async fn run_outbox(self: Arc<Self>, homeserver: Arc<dyn Homeserver>) {
        loop {
            let delivered = match self.deliver_due(homeserver.as_ref()).await {
                Ok(count) => count,
                Err(error) => {
                    self.metrics.errors.with_label_values(&["store"]).inc();
                    tracing::error!(%error, "outbox unavailable");
                    0
                }
            };
            if delivered == 0 {
                let wait = self.time_to_next_due().await;
                let _ = tokio::time::timeout(wait, self.outbox_ready.notified()).await;
            }
        }
    }

    async fn time_to_next_due(&self) -> Duration {
        let now = self.clock.now();
        match self.store.next_due().await {
            Ok(Some(at)) if at > now => {
                (at - now).to_std().unwrap_or(Duration::from_secs(1)).min(Duration::from_secs(5))
            }
            Ok(Some(_)) => Duration::from_millis(50),
            _ => Duration::from_secs(5),
        }
    }

    /// Delivers the actions due now; returns how many were tried.
    pub async fn deliver_due(&self, homeserver: &dyn Homeserver) -> Result<usize, StoreError> {
        let due = self.store.due_actions(self.clock.now(), 50).await?;
        let mut postponed_rooms = std::collections::HashSet::<ruma::OwnedRoomId>::new();
        for pending in &due {
            let room = pending.action.room_id();
            if postponed_rooms.contains(room) {
                continue;
            }
            let result = homeserver.perform(&pending.action, &pending.txn_id).await;
            let now = self.clock.now();
            match result {
                Ok(()) => {
                    self.store.mark_done(pending.id, now).await?;
                    self.record_delivery(&pending.action, pending.created_at, now);
                }
                Err(HomeserverError::Unavailable(reason)) if pending.attempts + 1 < MAX_ATTEMPTS => {
                    self.metrics.errors.with_label_values(&["homeserver_unavailable"]).inc();
                    tracing::warn!(%reason, txn_id = %pending.txn_id, "action postponed");
                    let retry_at = now + retry_delay(pending.attempts);
                    self.store.mark_failed(pending.id, &reason, now, Some(retry_at)).await?;
                    // Later actions for this room wait too, so that its answers keep their order.
                    postponed_rooms.insert(room.to_owned());
                }
                Err(error) => {
                    self.metrics.errors.with_label_values(&["homeserver_refused"]).inc();
                    tracing::error!(%error, txn_id = %pending.txn_id, "action given up");
                    self.store.mark_failed(pending.id, &error.to_string(), now, None).await?;
                }
            }
        }
        self.metrics.outbox_pending.set(self.store.pending_count().await?);
        Ok(due.len())
    }

    fn record_delivery(&self, action: &Action, created_at: DateTime<Utc>, now: DateTime<Utc>) {
        if matches!(action, Action::SendNotice { .. }) {
            self.metrics.replies_sent.inc();
            let latency = (now - created_at).num_microseconds().unwrap_or_default() as f64 / 1e6;
            self.metrics.reply_latency.observe(latency.max(0.0));
        }
    }
}

fn input_kind(input: &Input) -> &'static str {
    match input {
        Input::Message(_) => "message",
        Input::Invite(_) => "invite",
        _ => "other",
    }
}

/// A transaction ID unique across restarts and database resets, so that the homeserver never
/// mistakes a new message for a retry of an old one.
fn new_txn_id() -> String {
    let random: String = rand::rng().sample_iter(&Alphanumeric).take(20).map(char::from).collect();
    format!("szpon.{random}")
}

#[cfg(test)]
mod tests;
