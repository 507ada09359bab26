//! The leads' figures: tickets, response and resolution times, missed targets and ratings,
//! over the last days.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{Ticket, TicketKind, TicketState};

/// What the figures read of one ticket: its kind, state, times and rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketTimes {
    pub kind: TicketKind,
    pub state: TicketState,
    pub created_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub first_response_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    pub satisfaction: Option<u8>,
}

impl From<&Ticket> for TicketTimes {
    fn from(t: &Ticket) -> Self {
        TicketTimes {
            kind: t.kind,
            state: t.state,
            created_at: t.created_at,
            first_response_at: t.first_response_at,
            resolved_at: t.resolved_at,
            first_response_due: t.first_response_due,
            resolution_due: t.resolution_due,
            satisfaction: t.satisfaction,
        }
    }
}

/// One day of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayFigures {
    pub date: NaiveDate,
    pub opened: usize,
    pub first_response_median: Option<Duration>,
}

/// The figures for the tickets opened in a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TicketStats {
    pub total: usize,
    pub callbacks: usize,
    pub pending: usize,
    pub open: usize,
    pub resolved: usize,
    pub to_bot: usize,
    pub first_response_median: Option<Duration>,
    pub resolution_median: Option<Duration>,
    pub first_response_breaches: usize,
    pub resolution_breaches: usize,
    pub rating_average: Option<f64>,
    pub ratings: usize,
    pub days: Vec<DayFigures>,
}

/// The first day of a period of `days` days ending today, and the moment it starts.
pub fn period_start(days: u32, now: DateTime<Utc>, zone: Tz) -> (NaiveDate, DateTime<Utc>) {
    let today = now.with_timezone(&zone).date_naive();
    let first = today - Duration::days(i64::from(days.max(1)) - 1);
    let midnight = first.and_hms_opt(0, 0, 0).expect("midnight exists");
    let start =
        midnight.and_local_timezone(zone).earliest().map_or_else(|| midnight.and_utc(), |t| t.to_utc());
    (first, start)
}

impl TicketStats {
    /// The figures for `tickets` (those opened since `first` began), as of `now`.
    pub fn compute(tickets: &[TicketTimes], first: NaiveDate, now: DateTime<Utc>, zone: Tz) -> Self {
        let first_responses: Vec<Duration> = tickets.iter().filter_map(first_response).collect();
        let resolutions: Vec<Duration> =
            tickets.iter().filter_map(|t| t.resolved_at.map(|at| at - t.created_at)).collect();
        let ratings: Vec<u8> = tickets.iter().filter_map(|t| t.satisfaction).collect();
        let count = |state: TicketState| tickets.iter().filter(|t| t.state == state).count();
        TicketStats {
            total: tickets.len(),
            callbacks: tickets.iter().filter(|t| t.kind == TicketKind::Callback).count(),
            pending: count(TicketState::Pending),
            open: count(TicketState::Open),
            resolved: count(TicketState::Resolved),
            to_bot: count(TicketState::Bot),
            first_response_median: median(first_responses),
            resolution_median: median(resolutions),
            first_response_breaches: tickets.iter().filter(|t| missed_first_response(t, now)).count(),
            resolution_breaches: tickets.iter().filter(|t| missed_resolution(t, now)).count(),
            rating_average: (!ratings.is_empty())
                .then(|| ratings.iter().map(|r| f64::from(*r)).sum::<f64>() / ratings.len() as f64),
            ratings: ratings.len(),
            days: days(tickets, first, now, zone),
        }
    }
}

fn first_response(ticket: &TicketTimes) -> Option<Duration> {
    ticket.first_response_at.map(|at| at - ticket.created_at)
}

fn missed_first_response(ticket: &TicketTimes, now: DateTime<Utc>) -> bool {
    // A ticket the bot took back without anyone answering had nobody to miss it.
    let Some(due) = ticket.first_response_due else { return false };
    match ticket.first_response_at {
        Some(at) => at > due,
        None => ticket.state.is_active() && now > due,
    }
}

fn missed_resolution(ticket: &TicketTimes, now: DateTime<Utc>) -> bool {
    let Some(due) = ticket.resolution_due else { return false };
    match (ticket.state, ticket.resolved_at) {
        (TicketState::Resolved, Some(at)) => at > due,
        (state, _) => state.is_active() && now > due,
    }
}

fn median(mut values: Vec<Duration>) -> Option<Duration> {
    if values.is_empty() {
        return None;
    }
    values.sort();
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[middle] } else { (values[middle - 1] + values[middle]) / 2 })
}

fn days(tickets: &[TicketTimes], first: NaiveDate, now: DateTime<Utc>, zone: Tz) -> Vec<DayFigures> {
    let today = now.with_timezone(&zone).date_naive();
    let mut by_day: std::collections::BTreeMap<NaiveDate, Vec<&TicketTimes>> =
        std::collections::BTreeMap::new();
    for ticket in tickets {
        by_day.entry(ticket.created_at.with_timezone(&zone).date_naive()).or_default().push(ticket);
    }
    first
        .iter_days()
        .take_while(|date| *date <= today)
        .map(|date| {
            let of_day = by_day.get(&date).map(Vec::as_slice).unwrap_or_default();
            DayFigures {
                date,
                opened: of_day.len(),
                first_response_median: median(of_day.iter().filter_map(|t| first_response(t)).collect()),
            }
        })
        .collect()
}
