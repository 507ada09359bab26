//! Free-slot search: working plans minus breaks, leave, holidays and booked time, inside the
//! booking window, in the office's time zone.

use std::collections::HashMap;

use chrono::{
    DateTime, Datelike, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use ruma::{OwnedUserId, UserId};
use serde::{Deserialize, Serialize};

use super::office::{Clerk, Exception, ExceptionKind, Office, Service, TimeRange};
use crate::calendar::holiday_on;

/// Time of a clerk's day already taken, buffers included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Busy {
    pub clerk: OwnedUserId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// A time a service can be booked, with the clerk who would take it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub clerk: OwnedUserId,
}

/// How the citizen narrowed the search ("jutro", "w piątek", "po 14", "inny termin").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotFilter {
    pub date: Option<NaiveDate>,
    pub weekday: Option<Weekday>,
    /// Local time the visit may start at the earliest.
    pub from_time: Option<NaiveTime>,
    /// Local time the visit must start before.
    pub before_time: Option<NaiveTime>,
    /// Only times after this one ("inny termin": later than what was offered).
    pub after: Option<DateTime<Utc>>,
}

/// Booked intervals per clerk, sorted by start.
type BusyByClerk<'a> = HashMap<&'a UserId, Vec<(DateTime<Utc>, DateTime<Utc>)>>;

/// What the search works on: the office, dated changes made in chat, and the time taken.
#[derive(Debug, Clone, Copy)]
pub struct Schedule<'a> {
    pub office: &'a Office,
    /// Leave and hours set with `!urlop` and `!godziny`, on top of the office file's.
    pub extra_exceptions: &'a [Exception],
    pub busy: &'a [Busy],
}

/// The first and last day that can be booked on `now`.
pub fn booking_window(office: &Office, now: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    let today = now.with_timezone(&office.time_zone()).date_naive();
    let rules = &office.booking;
    (today + Days::new(rules.close_days_before.into()), today + Days::new(rules.window_days.into()))
}

/// Converts a local wall-clock time to UTC; a time skipped by a clock change is moved past it.
pub fn local_to_utc(office: &Office, local: NaiveDateTime) -> DateTime<Utc> {
    let tz = office.time_zone();
    match tz.from_local_datetime(&local).earliest() {
        Some(at) => at.with_timezone(&Utc),
        None => local_to_utc(office, local + Duration::hours(1)),
    }
}

impl<'a> Schedule<'a> {
    /// The hours a clerk works on a date, breaks taken out; none on holidays and leave.
    pub fn working_ranges(&self, clerk: &Clerk, date: NaiveDate) -> Vec<TimeRange> {
        if holiday_on(date).is_some() {
            return Vec::new();
        }
        let exceptions = self.office.exceptions.iter().chain(self.extra_exceptions);
        let mut hours: Option<Vec<String>> = None;
        for exception in exceptions.filter(|e| e.clerk == clerk.user_id && e.covers(date)) {
            match exception.kind {
                ExceptionKind::Leave => return Vec::new(),
                ExceptionKind::Hours => hours = Some(exception.hours.clone()),
            }
        }
        let hours = hours.as_deref().unwrap_or(clerk.plan.day(date.weekday()));
        let breaks: Vec<TimeRange> =
            clerk.plan.breaks.iter().filter_map(|b| TimeRange::parse(b).ok()).collect();
        let mut ranges: Vec<TimeRange> = hours.iter().filter_map(|h| TimeRange::parse(h).ok()).collect();
        for pause in breaks {
            ranges = ranges.into_iter().flat_map(|range| subtract(range, pause)).collect();
        }
        ranges.sort();
        ranges
    }

    /// Whether a clerk works at all on a date (for leave that meets booked visits).
    pub fn works_on(&self, clerk: &Clerk, date: NaiveDate) -> bool {
        !self.working_ranges(clerk, date).is_empty()
    }

    /// The earliest free times for a service, at most `limit` distinct start times, each with
    /// the clerk who would take it.
    pub fn free_slots(
        &self,
        service: &Service,
        now: DateTime<Utc>,
        filter: &SlotFilter,
        limit: usize,
    ) -> Vec<Slot> {
        let (first, last) = booking_window(self.office, now);
        let busy = self.busy_by_clerk();
        let clerks: Vec<&Clerk> =
            self.office.clerks.iter().filter(|c| c.departments.contains(&service.department)).collect();
        let mut found: Vec<Slot> = Vec::new();
        let mut date = first;
        while date <= last && found.len() < limit {
            if filter.date.is_none_or(|d| d == date) && filter.weekday.is_none_or(|w| w == date.weekday()) {
                let mut day = self.free_on(date, service, &clerks, &busy, filter, now);
                day.sort_by_key(|slot| slot.start);
                day.dedup_by(|later, earlier| later.start == earlier.start);
                found.extend(day);
            }
            date = date + Days::new(1);
        }
        found.truncate(limit);
        found
    }

    /// Whether a particular slot is still free (the dialogue checks before confirming).
    pub fn is_free(&self, service: &Service, slot: &Slot, now: DateTime<Utc>) -> bool {
        let local = slot.start.with_timezone(&self.office.time_zone());
        let filter = SlotFilter { date: Some(local.date_naive()), ..SlotFilter::default() };
        let Some(clerk) = self.office.clerk(&slot.clerk) else { return false };
        let busy = self.busy_by_clerk();
        self.free_on(local.date_naive(), service, &[clerk], &busy, &filter, now)
            .iter()
            .any(|s| s.start == slot.start)
    }

    fn busy_by_clerk(&self) -> BusyByClerk<'_> {
        let mut map: HashMap<&UserId, Vec<_>> = HashMap::new();
        for busy in self.busy {
            map.entry(&*busy.clerk).or_default().push((busy.start, busy.end));
        }
        for intervals in map.values_mut() {
            intervals.sort();
        }
        map
    }

    fn free_on(
        &self,
        date: NaiveDate,
        service: &Service,
        clerks: &[&Clerk],
        busy: &BusyByClerk<'_>,
        filter: &SlotFilter,
        now: DateTime<Utc>,
    ) -> Vec<Slot> {
        let step = Duration::minutes(self.office.booking.slot_step.into());
        let occupied = Duration::minutes(service.occupied_minutes().into());
        let before = Duration::minutes(service.buffer_before.into());
        let mut slots = Vec::new();
        for clerk in clerks {
            let taken = busy.get(&*clerk.user_id).map(Vec::as_slice).unwrap_or_default();
            for range in self.working_ranges(clerk, date) {
                let range_end = local_to_utc(self.office, date.and_time(range.end));
                let mut block_start = local_to_utc(self.office, date.and_time(range.start));
                while block_start + occupied <= range_end {
                    let start = block_start + before;
                    if start > now
                        && passes(self.office, filter, start)
                        && !overlaps(taken, block_start, block_start + occupied)
                    {
                        slots.push(Slot { start, clerk: clerk.user_id.clone() });
                    }
                    block_start += step;
                }
            }
        }
        slots
    }
}

fn passes(office: &Office, filter: &SlotFilter, start: DateTime<Utc>) -> bool {
    let local = start.with_timezone(&office.time_zone()).time();
    filter.from_time.is_none_or(|t| local >= t)
        && filter.before_time.is_none_or(|t| local < t)
        && filter.after.is_none_or(|after| start > after)
}

fn overlaps(taken: &[(DateTime<Utc>, DateTime<Utc>)], start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    // Sorted by start, and no visit spans a day: only those starting in the day before `end`
    // can overlap, which keeps a full agenda cheap to search.
    let candidates = taken.partition_point(|(s, _)| *s < end);
    taken[..candidates]
        .iter()
        .rev()
        .take_while(|(s, _)| *s + Duration::days(1) > start)
        .any(|(_, e)| start < *e)
}

fn subtract(range: TimeRange, pause: TimeRange) -> Vec<TimeRange> {
    if pause.end <= range.start || range.end <= pause.start {
        return vec![range];
    }
    let mut parts = Vec::new();
    if range.start < pause.start {
        parts.push(TimeRange { start: range.start, end: pause.start });
    }
    if pause.end < range.end {
        parts.push(TimeRange { start: pause.end, end: range.end });
    }
    parts
}

#[cfg(test)]
mod tests;
