//! Polish public holidays (dni ustawowo wolne od pracy), computed rather than listed, for the
//! booking window and for business hours. Source: the Act of 18 January 1951 on public
//! holidays, as amended (Trzech Króli since 2011, Wigilia since 2025).

use chrono::{Datelike, Days, NaiveDate};

/// One public holiday, named in both languages szpon speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name_pl: &'static str,
    pub name_en: &'static str,
}

/// Converts a local wall-clock time to UTC; a time skipped by a clock change (2:30 on the last
/// Sunday of March) is moved past the gap, and an hour that happens twice counts the first time.
pub fn local_to_utc(local: chrono::NaiveDateTime, zone: chrono_tz::Tz) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    match zone.from_local_datetime(&local).earliest() {
        Some(at) => at.with_timezone(&chrono::Utc),
        None => local_to_utc(local + chrono::Duration::hours(1), zone),
    }
}

/// `day` at `hour` o'clock in `zone`, in UTC: when a daily job of that day is due.
pub fn day_at_hour(day: NaiveDate, hour: u32, zone: chrono_tz::Tz) -> chrono::DateTime<chrono::Utc> {
    local_to_utc(day.and_hms_opt(hour, 0, 0).unwrap_or_default(), zone)
}

/// The first day whose `hour` o'clock in `zone` is still to come at `now`: today, or tomorrow
/// once the hour has passed.
pub fn next_day_at_hour(
    now: chrono::DateTime<chrono::Utc>,
    hour: u32,
    zone: chrono_tz::Tz,
) -> Option<NaiveDate> {
    let local = now.with_timezone(&zone);
    let today = local.date_naive();
    if chrono::Timelike::hour(&local) < hour { Some(today) } else { today.succ_opt() }
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let (b, c) = (year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("the algorithm yields a valid date")
}

/// Every public holiday of a year, in date order.
pub fn polish_holidays(year: i32) -> Vec<Holiday> {
    let fixed = |month, day, name_pl, name_en| Holiday {
        date: NaiveDate::from_ymd_opt(year, month, day).expect("a fixed holiday is a valid date"),
        name_pl,
        name_en,
    };
    let easter = easter_sunday(year);
    let after_easter = |days, name_pl, name_en| Holiday { date: easter + Days::new(days), name_pl, name_en };
    let mut holidays = vec![
        fixed(1, 1, "Nowy Rok", "New Year's Day"),
        after_easter(0, "Wielkanoc", "Easter Sunday"),
        after_easter(1, "Poniedziałek Wielkanocny", "Easter Monday"),
        fixed(5, 1, "Święto Pracy", "Labour Day"),
        fixed(5, 3, "Święto Konstytucji 3 Maja", "Constitution Day"),
        after_easter(49, "Zielone Świątki", "Pentecost"),
        after_easter(60, "Boże Ciało", "Corpus Christi"),
        fixed(8, 15, "Wniebowzięcie Najświętszej Maryi Panny", "Assumption Day"),
        fixed(11, 1, "Wszystkich Świętych", "All Saints' Day"),
        fixed(11, 11, "Narodowe Święto Niepodległości", "Independence Day"),
        fixed(12, 25, "Boże Narodzenie (pierwszy dzień)", "Christmas Day"),
        fixed(12, 26, "Boże Narodzenie (drugi dzień)", "Second Day of Christmas"),
    ];
    if year >= 2011 {
        holidays.push(fixed(1, 6, "Święto Trzech Króli", "Epiphany"));
    }
    if year >= 2025 {
        holidays.push(fixed(12, 24, "Wigilia Bożego Narodzenia", "Christmas Eve"));
    }
    holidays.sort_by_key(|h| h.date);
    holidays
}

/// The holiday on a date, if it is one.
pub fn holiday_on(date: NaiveDate) -> Option<Holiday> {
    polish_holidays(date.year()).into_iter().find(|h| h.date == date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_matches_the_published_dates() {
        for (year, month, day) in [
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(year), date(year, month, day), "{year}");
        }
    }

    #[test]
    fn movable_feasts_follow_easter() {
        assert_eq!(holiday_on(date(2026, 4, 6)).unwrap().name_pl, "Poniedziałek Wielkanocny");
        assert_eq!(holiday_on(date(2026, 5, 24)).unwrap().name_pl, "Zielone Świątki");
        assert_eq!(holiday_on(date(2026, 6, 4)).unwrap().name_pl, "Boże Ciało");
        assert_eq!(holiday_on(date(2025, 6, 19)).unwrap().name_en, "Corpus Christi");
    }

    #[test]
    fn christmas_eve_is_a_holiday_from_2025() {
        assert_eq!(holiday_on(date(2024, 12, 24)), None);
        assert_eq!(holiday_on(date(2025, 12, 24)).unwrap().name_pl, "Wigilia Bożego Narodzenia");
        assert_eq!(polish_holidays(2024).len(), 13);
        assert_eq!(polish_holidays(2026).len(), 14);
    }

    #[test]
    fn epiphany_only_since_2011() {
        assert_eq!(holiday_on(date(2010, 1, 6)), None);
        assert!(holiday_on(date(2011, 1, 6)).is_some());
    }

    #[test]
    fn ordinary_days_are_not_holidays() {
        assert_eq!(holiday_on(date(2026, 11, 23)), None);
        assert_eq!(holiday_on(date(2026, 5, 2)), None);
    }

    #[test]
    fn holidays_come_in_date_order_without_duplicates() {
        for year in 1990..2100 {
            let dates: Vec<_> = polish_holidays(year).iter().map(|h| h.date).collect();
            assert!(dates.windows(2).all(|w| w[0] < w[1]), "{year}: {dates:?}");
        }
    }
}
