//! Prometheus metrics, served at `/metrics`.

use prometheus::{
    Encoder, Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    pub events_handled: IntCounterVec,
    pub duplicates_skipped: IntCounter,
    pub replies_sent: IntCounter,
    pub errors: IntCounterVec,
    pub reply_latency: Histogram,
    /// How long the engine takes over one input: reading, deciding and committing.
    pub turn_duration: Histogram,
    pub outbox_pending: IntGauge,
    pub appservice_transactions: IntCounter,
    pub job_lateness: Histogram,
    /// Inputs, jobs and deliveries that failed and were set aside, by what failed.
    pub turns_failed: IntCounterVec,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new_custom(Some("szpon".to_owned()), None).expect("valid prefix");
        let events_handled = IntCounterVec::new(
            Opts::new("events_handled_total", "Inputs handled by the bots, by kind"),
            &["kind"],
        )
        .expect("metric");
        let duplicates_skipped =
            IntCounter::new("duplicate_events_total", "Events seen again and not answered twice")
                .expect("metric");
        let replies_sent = IntCounter::new("replies_sent_total", "Messages the bots sent").expect("metric");
        let errors =
            IntCounterVec::new(Opts::new("errors_total", "Errors, by where they happened"), &["stage"])
                .expect("metric");
        let reply_latency = Histogram::with_opts(
            HistogramOpts::new(
                "reply_latency_seconds",
                "From the answer decided to the homeserver accepting it",
            )
            .buckets(vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
        )
        .expect("metric");
        let turn_duration = Histogram::with_opts(
            HistogramOpts::new("turn_duration_seconds", "From taking an input to its outcome committed")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0]),
        )
        .expect("metric");
        let outbox_pending =
            IntGauge::new("outbox_pending", "Actions waiting to be carried out").expect("metric");
        let appservice_transactions =
            IntCounter::new("appservice_transactions_total", "Transactions pushed by the homeserver")
                .expect("metric");
        let job_lateness = Histogram::with_opts(
            HistogramOpts::new("job_lateness_seconds", "From a job falling due to it being carried out")
                .buckets(vec![0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 30.0, 300.0]),
        )
        .expect("metric");
        let turns_failed = IntCounterVec::new(
            Opts::new(
                "turns_failed_total",
                "Inputs, jobs and deliveries set aside after a failure, by reason",
            ),
            &["reason"],
        )
        .expect("metric");
        for collector in [
            Box::new(turns_failed.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(events_handled.clone()),
            Box::new(duplicates_skipped.clone()),
            Box::new(replies_sent.clone()),
            Box::new(errors.clone()),
            Box::new(reply_latency.clone()),
            Box::new(turn_duration.clone()),
            Box::new(outbox_pending.clone()),
            Box::new(appservice_transactions.clone()),
            Box::new(job_lateness.clone()),
        ] {
            registry.register(collector).expect("unique metric");
        }
        // Labelled series appear at zero from the start, so dashboards and alerts see them.
        for kind in ["message", "invite"] {
            events_handled.with_label_values(&[kind]);
        }
        for stage in ["store", "store_unavailable", "homeserver_unavailable", "homeserver_refused"] {
            errors.with_label_values(&[stage]);
        }
        for reason in ["panic", "store", "job", "delivery"] {
            turns_failed.with_label_values(&[reason]);
        }
        Self {
            registry,
            events_handled,
            duplicates_skipped,
            replies_sent,
            errors,
            reply_latency,
            turn_duration,
            outbox_pending,
            appservice_transactions,
            job_lateness,
            turns_failed,
        }
    }

    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut buffer).expect("text encoding");
        String::from_utf8(buffer).expect("prometheus text is UTF-8")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
