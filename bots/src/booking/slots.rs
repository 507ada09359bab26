//! Free-slot search: working plans minus breaks, leave, holidays and booked time, inside the
//! booking window, in the office's time zone.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use ruma::{OwnedUserId, UserId};
use serde::{Deserialize, Serialize};

use super::office::{Clerk, Exception, ExceptionKind, Office, Service, TimeRange, parse_all, without_breaks};
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

impl SlotFilter {
    /// This filter narrowed further: a new day replaces the day, and a new time bound replaces
    /// that bound, while what was not said again stays.
    pub fn narrowed_by(&self, newer: SlotFilter) -> SlotFilter {
        let new_day = newer.date.is_some() || newer.weekday.is_some();
        SlotFilter {
            date: if new_day { newer.date } else { self.date },
            weekday: if new_day { newer.weekday } else { self.weekday },
            from_time: newer.from_time.or(self.from_time),
            before_time: newer.before_time.or(self.before_time),
            after: None,
        }
    }
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
    crate::calendar::local_to_utc(local, office.time_zone())
}

impl<'a> Schedule<'a> {
    /// The hours a clerk works on a date, breaks taken out; none on holidays and leave.
    pub fn working_ranges(&self, clerk: &Clerk, date: NaiveDate) -> Vec<TimeRange> {
        if holiday_on(date).is_some() {
            return Vec::new();
        }
        self.working_ranges_on_workday(clerk, date)
    }

    /// Like [`Schedule::working_ranges`], for a date already known not to be a holiday.
    fn working_ranges_on_workday(&self, clerk: &Clerk, date: NaiveDate) -> Vec<TimeRange> {
        let exceptions = self.office.exceptions.iter().chain(self.extra_exceptions);
        let mut hours: Option<&[String]> = None;
        for exception in exceptions.filter(|e| e.clerk == clerk.user_id && e.covers(date)) {
            match exception.kind {
                ExceptionKind::Leave => return Vec::new(),
                ExceptionKind::Hours => hours = Some(&exception.hours),
            }
        }
        let weekday = date.weekday().num_days_from_monday() as usize;
        match (hours, &clerk.parsed_plan) {
            (None, Some(parsed)) => parsed.days[weekday].clone(),
            (hours, _) => {
                let breaks = parse_all(&clerk.plan.breaks);
                without_breaks(parse_all(hours.unwrap_or(clerk.plan.day(date.weekday()))), &breaks)
            }
        }
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
        let clerks: Vec<&Clerk> =
            self.office.clerks.iter().filter(|c| c.departments.contains(&service.department)).collect();
        let busy = self.busy_by_clerk();
        let mut found: Vec<Slot> = Vec::new();
        let mut day = Vec::new();
        let mut date = first;
        while date <= last && found.len() < limit {
            let wanted =
                filter.date.is_none_or(|d| d == date) && filter.weekday.is_none_or(|w| w == date.weekday());
            if wanted && holiday_on(date).is_none() {
                day.clear();
                for (index, clerk) in clerks.iter().enumerate() {
                    self.free_for_clerk(date, service, clerk, index, &busy, filter, now, &mut day);
                }
                // One offer per time; of several free clerks, the first listed takes it.
                day.sort_unstable();
                day.dedup_by_key(|(start, _)| *start);
                found.extend(
                    day.drain(..).map(|(start, index)| Slot { start, clerk: clerks[index].user_id.clone() }),
                );
            }
            let Some(next) = date.checked_add_days(Days::new(1)) else { break };
            date = next;
        }
        found.truncate(limit);
        found
    }

    /// Whether the office does not serve `service` at all on `date`: a public holiday, or a
    /// day none of its clerks works.
    pub fn closed_on(&self, service: &Service, date: NaiveDate) -> bool {
        holiday_on(date).is_some()
            || self
                .office
                .clerks
                .iter()
                .filter(|c| c.departments.contains(&service.department))
                .all(|clerk| self.working_ranges(clerk, date).is_empty())
    }

    /// Whether a particular slot is still free (the dialogue checks before confirming).
    pub fn is_free(&self, service: &Service, slot: &Slot, now: DateTime<Utc>) -> bool {
        let date = slot.start.with_timezone(&self.office.time_zone()).date_naive();
        let Some(clerk) = self.office.clerk(&slot.clerk) else { return false };
        if holiday_on(date).is_some() {
            return false;
        }
        let busy = self.busy_by_clerk();
        let mut free = Vec::new();
        self.free_for_clerk(date, service, clerk, 0, &busy, &SlotFilter::default(), now, &mut free);
        free.iter().any(|(start, _)| *start == slot.start)
    }

    /// Booked time per clerk, sorted and merged into disjoint intervals.
    fn busy_by_clerk(&self) -> BusyByClerk<'_> {
        let mut map: BusyByClerk<'_> = HashMap::with_capacity(self.office.clerks.len());
        for busy in self.busy {
            map.entry(&*busy.clerk).or_default().push((busy.start, busy.end));
        }
        for intervals in map.values_mut() {
            intervals.sort_unstable();
            let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(intervals.len());
            for &(start, end) in intervals.iter() {
                match merged.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => merged.push((start, end)),
                }
            }
            *intervals = merged;
        }
        map
    }

    /// Appends one clerk's free times on a working day, with the clerk's `index`. Walks the step grid, jumping over
    /// booked time at once, so that a full day costs as much as its bookings, not its slots.
    #[allow(clippy::too_many_arguments)]
    fn free_for_clerk(
        &self,
        date: NaiveDate,
        service: &Service,
        clerk: &Clerk,
        index: usize,
        busy: &BusyByClerk<'_>,
        filter: &SlotFilter,
        now: DateTime<Utc>,
        out: &mut Vec<(DateTime<Utc>, usize)>,
    ) {
        let step = Duration::minutes(self.office.booking.slot_step.into());
        let occupied = Duration::minutes(service.occupied_minutes().into());
        let before = Duration::minutes(service.buffer_before.into());
        let taken = busy.get(&*clerk.user_id).map(Vec::as_slice).unwrap_or_default();
        for range in self.working_ranges_on_workday(clerk, date) {
            let range_start = local_to_utc(self.office, date.and_time(range.start));
            let range_end = local_to_utc(self.office, date.and_time(range.end));
            let mut block_start = range_start;
            while block_start + occupied <= range_end {
                let block_end = block_start + occupied;
                // The first booked interval that ends after this block starts.
                let next_busy = taken.partition_point(|(_, end)| *end <= block_start);
                if let Some(&(busy_start, busy_end)) = taken.get(next_busy)
                    && busy_start < block_end
                {
                    // Whole steps from the range's start to the end of the booked time: the
                    // next block starts at or after it, so the walk always moves on.
                    let (past, step_ms) =
                        ((busy_end - range_start).num_milliseconds(), step.num_milliseconds());
                    block_start =
                        range_start + Duration::milliseconds((past + step_ms - 1) / step_ms * step_ms);
                    continue;
                }
                let start = block_start + before;
                if start > now && passes(self.office, filter, start) {
                    out.push((start, index));
                }
                block_start += step;
            }
        }
    }
}

fn passes(office: &Office, filter: &SlotFilter, start: DateTime<Utc>) -> bool {
    if filter.from_time.is_none() && filter.before_time.is_none() {
        return filter.after.is_none_or(|after| start > after);
    }
    let local = start.with_timezone(&office.time_zone()).time();
    filter.from_time.is_none_or(|t| local >= t)
        && filter.before_time.is_none_or(|t| local < t)
        && filter.after.is_none_or(|after| start > after)
}

#[cfg(test)]
mod tests;
