//! When scheduled lessons come: a crontab's five fields, read on the office's wall clock.

use std::str::FromStr;

use chrono::NaiveDateTime;
use cron::Schedule;

use crate::course::Pacing;

/// A crontab's weekdays (0–7, Sunday both 0 and 7) in the names the `cron` crate reads
/// unambiguously (its own numbers count from Sunday as 1, so "1-5" would mean Sunday to Thursday).
pub fn crontab_weekdays(field: &str) -> Option<String> {
    const NAMES: [&str; 8] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    if field.chars().any(|c| c.is_ascii_alphabetic()) || field == "*" || field == "?" {
        return Some(field.to_owned());
    }
    let name = |n: &str| n.parse::<usize>().ok().and_then(|n| NAMES.get(n)).map(|n| (*n).to_owned());
    field
        .split(',')
        .map(|part| match part.split_once('-') {
            Some((from, to)) => Some(format!("{}-{}", name(from)?, name(to)?)),
            None => name(part),
        })
        .collect::<Option<Vec<_>>>()
        .map(|parts| parts.join(","))
}

/// A crontab line (minute, hour, day, month, weekday) as a schedule of the `cron` crate.
pub fn crontab_schedule(text: &str) -> Option<Schedule> {
    let fields: Vec<&str> = text.split_whitespace().collect();
    let [minute, hour, day, month, weekday] = fields[..] else { return None };
    let weekday = crontab_weekdays(weekday)?;
    Schedule::from_str(&format!("0 {minute} {hour} {day} {month} {weekday}")).ok()
}

impl Pacing {
    /// The first lesson time strictly after `after`, on the same wall clock; none on demand.
    pub fn next_after(&self, after: NaiveDateTime) -> Option<NaiveDateTime> {
        let Pacing::Schedule(text) = self else { return None };
        let schedule = crontab_schedule(text)?;
        schedule.after(&after.and_utc()).next().map(|t| t.naive_utc())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn weekdays_count_from_monday_as_in_a_crontab() {
        let pacing = Pacing::Schedule("0 9 * * 1-5".into());
        // Saturday 28 November 2026, noon: the next lesson is on Monday at nine.
        let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap().and_hms_opt(9, 0, 0).unwrap();
        assert_eq!(pacing.next_after(saturday), Some(monday));
        assert_eq!(
            pacing.next_after(monday),
            Some(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap().and_hms_opt(9, 0, 0).unwrap())
        );
        assert_eq!(Pacing::OnDemand.next_after(saturday), None);
        assert!(crontab_schedule("0 9 * * 8").is_none());
        assert!(crontab_schedule("0 9 * *").is_none());
        assert_eq!(crontab_weekdays("0,6").as_deref(), Some("Sun,Sat"));
    }
}
