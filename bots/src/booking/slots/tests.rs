use chrono::{NaiveDate, TimeZone, Timelike};
use ruma::user_id;

use super::*;
use crate::booking::DEMO_OFFICE;

fn office() -> Office {
    Office::parse(DEMO_OFFICE).unwrap()
}

/// A local Warsaw time, in UTC.
fn warsaw(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
}

fn local_hm(slot: &Slot) -> (NaiveDate, u32, u32) {
    let local = slot.start.with_timezone(&chrono_tz::Europe::Warsaw);
    (local.date_naive(), local.hour(), local.minute())
}

fn free(
    office: &Office,
    busy: &[Busy],
    service: &str,
    now: DateTime<Utc>,
    filter: &SlotFilter,
    n: usize,
) -> Vec<Slot> {
    let schedule = Schedule { office, extra_exceptions: &[], busy };
    schedule.free_slots(office.service(service).unwrap(), now, filter, n)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn the_earliest_slots_are_tomorrow_morning_on_the_step_grid() {
    let office = office();
    // Monday 23 November 2026, mid-morning: booking for today is closed.
    let slots = free(&office, &[], "dowod-osobisty", warsaw(2026, 11, 23, 10, 0), &SlotFilter::default(), 3);
    let times: Vec<_> = slots.iter().map(local_hm).collect();
    assert_eq!(times, [(date(2026, 11, 24), 8, 0), (date(2026, 11, 24), 8, 15), (date(2026, 11, 24), 8, 30)]);
    assert!(slots.iter().all(|s| s.clerk == user_id!("@urzednik:localhost")));
}

#[test]
fn a_visit_and_its_buffer_never_reach_into_a_break() {
    let office = office();
    let filter = SlotFilter {
        date: Some(date(2026, 11, 24)),
        from_time: NaiveTime::from_hms_opt(11, 0, 0),
        ..Default::default()
    };
    let slots = free(&office, &[], "dowod-osobisty", warsaw(2026, 11, 23, 10, 0), &filter, 5);
    let times: Vec<_> = slots.iter().map(|s| (local_hm(s).1, local_hm(s).2)).collect();
    // 25 minutes with the buffer: 11:30 ends 11:55; 11:45 would run into the 12:00 break.
    assert_eq!(times, [(11, 0), (11, 15), (11, 30), (12, 30), (12, 45)]);
}

#[test]
fn booked_time_is_not_offered_and_blocks_overlapping_starts() {
    let office = office();
    let clerk = user_id!("@urzednik:localhost").to_owned();
    let busy = [Busy { clerk, start: warsaw(2026, 11, 24, 8, 0), end: warsaw(2026, 11, 24, 8, 25) }];
    let slots =
        free(&office, &busy, "dowod-osobisty", warsaw(2026, 11, 23, 10, 0), &SlotFilter::default(), 2);
    let times: Vec<_> = slots.iter().map(|s| (local_hm(s).1, local_hm(s).2)).collect();
    assert_eq!(times, [(8, 30), (8, 45)]);
}

#[test]
fn several_clerks_of_a_department_share_the_load_and_times_are_not_repeated() {
    let office = office();
    let anna = user_id!("@urzednik:localhost").to_owned();
    // Wednesday: Anna starts at 10:00 and Maria (also in ewidencja) at 08:00.
    let now = warsaw(2026, 11, 24, 10, 0);
    let filter = SlotFilter { date: Some(date(2026, 11, 25)), ..Default::default() };
    let slots = free(&office, &[], "meldunek", now, &filter, 40);
    assert_eq!(local_hm(&slots[0]).1, 8);
    assert_eq!(slots[0].clerk, user_id!("@wisniewska:localhost"));
    let mut starts: Vec<_> = slots.iter().map(|s| s.start).collect();
    starts.dedup();
    assert_eq!(starts.len(), slots.len());
    // Maria fully booked: Anna's 10:00 still appears.
    let busy = [Busy {
        clerk: user_id!("@wisniewska:localhost").to_owned(),
        start: warsaw(2026, 11, 25, 8, 0),
        end: warsaw(2026, 11, 25, 16, 0),
    }];
    let slots = free(&office, &busy, "meldunek", now, &filter, 1);
    assert_eq!((local_hm(&slots[0]).1, slots[0].clerk.clone()), (10, anna));
}

#[test]
fn holidays_including_christmas_eve_have_no_slots() {
    let office = office();
    let now = warsaw(2026, 12, 21, 9, 0);
    let slots = free(&office, &[], "dowod-osobisty", now, &SlotFilter::default(), 200);
    let days: std::collections::BTreeSet<_> = slots.iter().map(|s| local_hm(s).0).collect();
    assert!(days.contains(&date(2026, 12, 22)) && days.contains(&date(2026, 12, 23)));
    for holiday in [date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)] {
        assert!(!days.contains(&holiday), "{holiday}");
    }
}

#[test]
fn leave_from_the_file_and_from_chat_removes_the_days() {
    let office = office();
    let now = warsaw(2026, 12, 20, 9, 0);
    // Zieliński (USC) is on leave 28–31 December; he works Tuesdays and Thursdays.
    let slots = free(&office, &[], "odpis-aktu", now, &SlotFilter::default(), 500);
    let days: std::collections::BTreeSet<_> = slots.iter().map(|s| local_hm(s).0).collect();
    // Tuesday 22nd only: the 24th is a holiday, and the 29th and 31st are leave.
    assert_eq!(days.into_iter().collect::<Vec<_>>(), [date(2026, 12, 22)]);
    let leave = [Exception {
        clerk: user_id!("@zielinski:localhost").to_owned(),
        from: date(2026, 12, 22),
        to: None,
        kind: ExceptionKind::Leave,
        hours: vec![],
    }];
    let schedule = Schedule { office: &office, extra_exceptions: &leave, busy: &[] };
    let slots = schedule.free_slots(office.service("odpis-aktu").unwrap(), now, &SlotFilter::default(), 500);
    assert!(slots.is_empty(), "{slots:?}");
}

#[test]
fn other_hours_on_a_day_replace_the_plan() {
    let office = office();
    // Saturday 5 December 2026: Kowalski works 09:00–13:00.
    let filter = SlotFilter { date: Some(date(2026, 12, 5)), ..Default::default() };
    let slots = free(&office, &[], "prawo-jazdy", warsaw(2026, 12, 1, 9, 0), &filter, 100);
    assert_eq!(local_hm(slots.first().unwrap()), (date(2026, 12, 5), 9, 0));
    assert_eq!(local_hm(slots.last().unwrap()), (date(2026, 12, 5), 12, 30));
}

#[test]
fn nothing_is_offered_today_or_beyond_the_window() {
    let office = office();
    let now = warsaw(2026, 11, 23, 7, 0);
    let slots = free(&office, &[], "meldunek", now, &SlotFilter::default(), 10_000);
    let first = slots.first().unwrap().start;
    let last = slots.last().unwrap().start;
    assert!(first >= warsaw(2026, 11, 24, 0, 0));
    assert!(last < warsaw(2026, 12, 8, 0, 0), "{last}");
}

#[test]
fn filters_narrow_by_weekday_hour_and_later_than() {
    let office = office();
    let now = warsaw(2026, 11, 23, 10, 0);
    let friday = SlotFilter {
        weekday: Some(Weekday::Fri),
        from_time: NaiveTime::from_hms_opt(14, 0, 0),
        ..Default::default()
    };
    let slots = free(&office, &[], "dowod-osobisty", now, &friday, 3);
    // Anna ends at 14:00 on Fridays; Maria works until 16:00.
    assert_eq!(local_hm(&slots[0]), (date(2026, 11, 27), 14, 0));
    assert_eq!(slots[0].clerk, user_id!("@wisniewska:localhost"));
    let later = SlotFilter { after: Some(slots[2].start), ..Default::default() };
    let next = free(&office, &[], "dowod-osobisty", now, &later, 1);
    assert!(next[0].start > slots[2].start);
}

#[test]
fn slots_keep_local_hours_across_both_daylight_saving_changes() {
    let office = office();
    // Clocks go forward on 28 March 2027 and back on 31 October 2027.
    for (now, before, after, utc_before, utc_after) in [
        // Easter Monday is 29 March 2027, so the Tuesday after.
        (warsaw(2027, 3, 25, 9, 0), date(2027, 3, 26), date(2027, 3, 30), 7, 6),
        (warsaw(2027, 10, 28, 9, 0), date(2027, 10, 29), date(2027, 11, 2), 6, 7),
    ] {
        for (day, utc_hour) in [(before, utc_before), (after, utc_after)] {
            let filter = SlotFilter { date: Some(day), ..Default::default() };
            let slot = free(&office, &[], "dowod-osobisty", now, &filter, 1).remove(0);
            assert_eq!(local_hm(&slot), (day, 8, 0));
            assert_eq!(slot.start.hour(), utc_hour, "{day}");
        }
    }
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever is booked, no offered time overlaps it, and every offer fits the clerk's hours.
        #[test]
        fn offers_never_overlap_booked_time(bookings in proptest::collection::vec((0i64..14 * 24 * 12, 1i64..40), 0..120)) {
            let office = office();
            let service = office.service("dowod-osobisty").unwrap();
            let now = warsaw(2026, 11, 23, 10, 0);
            let anna = user_id!("@urzednik:localhost").to_owned();
            let busy: Vec<Busy> = bookings
                .iter()
                .map(|(start, length)| {
                    let start = now + Duration::minutes(start * 5);
                    Busy { clerk: anna.clone(), start, end: start + Duration::minutes(length * 5) }
                })
                .collect();
            let schedule = Schedule { office: &office, extra_exceptions: &[], busy: &busy };
            let slots = schedule.free_slots(service, now, &SlotFilter::default(), usize::MAX);
            for slot in slots.iter().filter(|s| s.clerk == anna) {
                let held = (slot.start, slot.start + Duration::minutes(service.occupied_minutes().into()));
                prop_assert!(busy.iter().all(|b| b.end <= held.0 || held.1 <= b.start), "{slot:?} overlaps");
                prop_assert!(schedule.is_free(service, slot, now));
            }
            // And nothing free is missed: every grid time that is free is offered.
            let empty = Schedule { office: &office, extra_exceptions: &[], busy: &[] };
            let all = empty.free_slots(service, now, &SlotFilter::default(), usize::MAX);
            let offered: std::collections::HashSet<_> = slots.iter().map(|s| (s.start, s.clerk.clone())).collect();
            for candidate in all.iter().filter(|s| s.clerk == anna) {
                let held = (candidate.start, candidate.start + Duration::minutes(service.occupied_minutes().into()));
                let free = busy.iter().all(|b| b.end <= held.0 || held.1 <= b.start);
                if free {
                    let maria_took_it = slots.iter().any(|s| s.start == candidate.start);
                    prop_assert!(offered.contains(&(candidate.start, anna.clone())) || maria_took_it, "{candidate:?} missed");
                }
            }
        }
    }
}
