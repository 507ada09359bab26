//! Free-slot search for a large office: 50 clerks in one department, over a 14-day window.
//! Run: `cargo bench -p szpon-bots --bench free_slots`.

use std::hint::black_box;

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ruma::OwnedUserId;
use szpon_bots::booking::{Busy, Office, Schedule, SlotFilter};

fn warsaw(d: u32, h: u32) -> DateTime<Utc> {
    chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap().with_timezone(&Utc)
}

/// 50 clerks, Monday to Friday 8:00–16:00 with a break, one 15-minute service.
fn big_office() -> Office {
    let mut source = String::from(
        "[office]\nname = \"Urząd Miasta\"\n[[departments]]\nid = \"obsluga\"\nname = \"Biuro Obsługi\"\n\
         [[services]]\nid = \"sprawa\"\nname = \"Sprawa\"\nname_en = \"Matter\"\ndepartment = \"obsluga\"\nduration = 15\n",
    );
    for i in 0..50 {
        source.push_str(&format!(
            "[[clerks]]\nuser_id = \"@urzednik{i}:miasto.pl\"\nname = \"Urzędnik {i}\"\ndepartments = [\"obsluga\"]\n\
             desk = \"stanowisko {i}\"\nplan = {{ monday = [\"08:00-16:00\"], tuesday = [\"08:00-16:00\"], \
             wednesday = [\"08:00-16:00\"], thursday = [\"08:00-16:00\"], friday = [\"08:00-16:00\"], \
             breaks = [\"12:00-12:30\"] }}\n"
        ));
    }
    Office::parse(&source).unwrap()
}

/// Every clerk fully booked on every working day but the last of the window: the search
/// must walk all 50 clerks through 13 days before it finds anything.
fn nearly_full(office: &Office) -> Vec<Busy> {
    let mut busy = Vec::new();
    for clerk in &office.clerks {
        for day in 24..=30 {
            let start = warsaw(day, 8);
            busy.push(Busy { clerk: clerk.user_id.clone(), start, end: start + Duration::hours(8) });
        }
        for day in 1..=4 {
            let start = chrono_tz::Europe::Warsaw
                .with_ymd_and_hms(2026, 12, day, 8, 0, 0)
                .unwrap()
                .with_timezone(&Utc);
            busy.push(Busy { clerk: clerk.user_id.clone(), start, end: start + Duration::hours(8) });
        }
    }
    busy
}

/// A realistic day: about half of all times taken, in 15-minute visits.
fn half_booked(office: &Office) -> Vec<Busy> {
    let mut busy = Vec::new();
    for (i, clerk) in office.clerks.iter().enumerate() {
        for day in 24..=30 {
            for slot in (0..32).filter(|s| (s + i) % 2 == 0) {
                let start = warsaw(day, 8) + Duration::minutes(15 * slot as i64);
                busy.push(Busy {
                    clerk: OwnedUserId::clone(&clerk.user_id),
                    start,
                    end: start + Duration::minutes(15),
                });
            }
        }
    }
    busy
}

fn free_slots(c: &mut Criterion) {
    let office = big_office();
    let service = office.service("sprawa").unwrap();
    let now = warsaw(23, 10);
    let mut group = c.benchmark_group("free_slots_50_clerks_14_days");
    for (name, busy) in
        [("empty", Vec::new()), ("half_booked", half_booked(&office)), ("nearly_full", nearly_full(&office))]
    {
        let schedule = Schedule { office: &office, extra_exceptions: &[], busy: &busy };
        assert!(!schedule.free_slots(service, now, &SlotFilter::default(), 5).is_empty());
        group.bench_function(format!("earliest_5_{name}"), |b| {
            b.iter(|| black_box(schedule.free_slots(service, now, &SlotFilter::default(), 5)))
        });
    }
    let busy = half_booked(&office);
    let schedule = Schedule { office: &office, extra_exceptions: &[], busy: &busy };
    group.bench_function("every_free_slot_half_booked", |b| {
        b.iter(|| black_box(schedule.free_slots(service, now, &SlotFilter::default(), usize::MAX)))
    });
    group.finish();
}

criterion_group!(benches, free_slots);
criterion_main!(benches);
