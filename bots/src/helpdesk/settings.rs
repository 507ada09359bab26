//! The `[helpdesk]` part of the office file: who answers tickets, where they hear of them, and
//! when they work.

use chrono::{DateTime, Datelike, Days, Duration, Utc};
use chrono_tz::Tz;
use ruma::{OwnedRoomId, OwnedUserId, UserId};
use serde::{Deserialize, Serialize};

use crate::{
    booking::office::{ParsedPlan, WeekPlan, parse_offset},
    calendar::holiday_on,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpdeskSettings {
    /// The support team's room, told of every ticket; the bot creates one if left out.
    pub room: Option<OwnedRoomId>,
    pub agents: Vec<Agent>,
    /// When agents answer; Monday to Friday, 8:00 to 16:00 if left out. Polish public holidays
    /// are days off.
    #[serde(default = "office_hours")]
    pub hours: WeekPlan,
    /// Whether Polish public holidays are days off for the team (a 24/7 line says `false`).
    #[serde(default = "yes")]
    pub holidays_off: bool,
    /// Targets, counted in working time: the first answer by a person, and the resolution.
    #[serde(default)]
    pub sla: SlaTargets,
    /// Days a finished ticket (and what the bot remembers of a quiet conversation) is kept
    /// before it is deleted.
    #[serde(default = "a_year")]
    pub retention_days: u32,
    #[serde(skip)]
    pub(crate) parsed_hours: Option<ParsedPlan>,
}

fn yes() -> bool {
    true
}

fn a_year() -> u32 {
    365
}

/// Service-level targets, as durations of working time: "30m", "1h", "2h30m".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlaTargets {
    pub first_response: String,
    pub resolution: String,
    /// How long before a target the team's room is warned.
    pub warn_before: String,
}

impl Default for SlaTargets {
    fn default() -> Self {
        Self { first_response: "1h".into(), resolution: "16h".into(), warn_before: "15m".into() }
    }
}

fn office_hours() -> WeekPlan {
    let day = || vec!["08:00-16:00".to_owned()];
    WeekPlan {
        monday: day(),
        tuesday: day(),
        wednesday: day(),
        thursday: day(),
        friday: day(),
        ..WeekPlan::default()
    }
}

/// A member of the support team.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    pub user_id: OwnedUserId,
    pub name: String,
    /// Leads may also close and hand back tickets others hold.
    #[serde(default)]
    pub lead: bool,
}

/// Whether the support team works now, or when it is next back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Working,
    BackAt(DateTime<Tz>),
    /// No working hours in the next weeks (the plan is empty).
    Away,
}

impl HelpdeskSettings {
    pub fn agent(&self, user: &UserId) -> Option<&Agent> {
        self.agents.iter().find(|a| a.user_id == user)
    }

    pub(crate) fn parse_hours(&mut self) {
        self.parsed_hours = Some(ParsedPlan::from_plan(&self.hours));
    }

    /// Whether agents work at `now`, in the office's time zone.
    pub fn availability(&self, now: DateTime<Utc>, zone: Tz) -> Availability {
        let local = now.with_timezone(&zone);
        match self.working_spans(now, zone, 21).next() {
            Some((start, _)) if start <= local => Availability::Working,
            Some((start, _)) => Availability::BackAt(start),
            None => Availability::Away,
        }
    }

    /// The moment `work` of working time after `from` has passed; `None` if the plan has no
    /// working time for a year.
    pub fn after_working_time(&self, from: DateTime<Utc>, zone: Tz, work: Duration) -> Option<DateTime<Utc>> {
        let mut left = work;
        let local = from.with_timezone(&zone);
        for (start, end) in self.working_spans(from, zone, 366) {
            let start = start.max(local);
            if start + left <= end {
                return Some((start + left).with_timezone(&Utc));
            }
            left -= end - start;
        }
        None
    }

    /// The team's working spans that end after `from`, in order, for `days` days.
    fn working_spans(
        &self,
        from: DateTime<Utc>,
        zone: Tz,
        days: u64,
    ) -> impl Iterator<Item = (DateTime<Tz>, DateTime<Tz>)> + '_ {
        let plan = self.parsed_hours.clone().unwrap_or_else(|| ParsedPlan::from_plan(&self.hours));
        let local = from.with_timezone(&zone);
        let today = local.date_naive();
        (0..days)
            .filter_map(move |offset| today.checked_add_days(Days::new(offset)))
            .filter(move |date| !(self.holidays_off && holiday_on(*date).is_some()))
            .flat_map(move |date| {
                plan.days[date.weekday().num_days_from_monday() as usize]
                    .iter()
                    .filter_map(move |range| {
                        let start = date.and_time(range.start).and_local_timezone(zone).earliest()?;
                        let end = date.and_time(range.end).and_local_timezone(zone).earliest()?;
                        Some((start, end))
                    })
                    .collect::<Vec<_>>()
            })
            .filter(move |(_, end)| *end > local)
    }

    /// The targets as durations; the office file was checked, so they parse.
    pub fn sla_durations(&self) -> (Duration, Duration, Duration) {
        let parse = |text: &str, fallback: i64| parse_offset(text).unwrap_or(Duration::minutes(fallback));
        (
            parse(&self.sla.first_response, 60),
            parse(&self.sla.resolution, 16 * 60),
            parse(&self.sla.warn_before, 15),
        )
    }
}
