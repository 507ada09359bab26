//! The `[helpdesk]` part of the office file: who answers tickets, where they hear of them, and
//! when they work.

use chrono::{DateTime, Datelike, Days, Utc};
use chrono_tz::Tz;
use ruma::{OwnedRoomId, OwnedUserId, UserId};
use serde::{Deserialize, Serialize};

use crate::{
    booking::office::{ParsedPlan, WeekPlan},
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
    #[serde(skip)]
    pub(crate) parsed_hours: Option<ParsedPlan>,
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
        let plan = self.parsed_hours.clone().unwrap_or_else(|| ParsedPlan::from_plan(&self.hours));
        let local = now.with_timezone(&zone);
        let today = local.date_naive();
        for offset in 0..21 {
            let Some(date) = today.checked_add_days(Days::new(offset)) else { break };
            if holiday_on(date).is_some() {
                continue;
            }
            for range in &plan.days[date.weekday().num_days_from_monday() as usize] {
                let start = date.and_time(range.start).and_local_timezone(zone).earliest();
                let end = date.and_time(range.end).and_local_timezone(zone).earliest();
                let (Some(start), Some(end)) = (start, end) else { continue };
                if start <= local && local < end {
                    return Availability::Working;
                }
                if local < start {
                    return Availability::BackAt(start);
                }
            }
        }
        Availability::Away
    }
}
