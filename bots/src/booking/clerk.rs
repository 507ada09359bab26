//! The clerk's side: the day's agenda, queue calling, leave and hours, and calendar feeds.
//! Clerk commands work only for the clerks the office file names; messages to clerks are in
//! Polish, messages to citizens in the language of their visit.

use chrono::{DateTime, Days, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use ruma::RoomId;

use super::{
    FeedAddress,
    dialogue::{BookingView, Dialogue, Turn},
    format::{self, DateCase},
    office::{Clerk, Department, Exception, ExceptionKind, Office, TimeRange},
    slots::{Schedule, SlotFilter, local_to_utc},
    understand::{fold, parse_day},
    visit::{BookingChange, Feed, Visit, VisitStatus, is_code},
};
use crate::{Effect, Lang, i18n::message_with};

/// A command only clerks may give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClerkCommand {
    /// `!agenda [dzień]`
    Agenda(String),
    /// `!przyjęto KOD`
    CheckIn(String),
    /// `!następny`
    Next,
    /// `!nieobecny KOD`
    NoShow(String),
    /// `!urlop OD..DO`
    Leave(String),
    /// `!godziny [DZIEŃ GODZINY]`
    Hours(String),
    /// `!kalendarz [nowy] [dział ID]`
    Calendar(String),
}

/// Recognises a clerk's command (they all start with `!`).
pub fn parse_clerk_command(text: &str) -> Option<ClerkCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let (command, argument) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let argument = argument.trim().to_owned();
    Some(match fold(command).as_str() {
        "agenda" | "plan" => ClerkCommand::Agenda(argument),
        "przyjeto" | "przyjety" | "checkin" => ClerkCommand::CheckIn(argument),
        "nastepny" | "nastepna" | "next" => ClerkCommand::Next,
        "nieobecny" | "nieobecna" | "noshow" => ClerkCommand::NoShow(argument),
        "urlop" | "leave" => ClerkCommand::Leave(argument),
        "godziny" | "hours" => ClerkCommand::Hours(argument),
        "kalendarz" | "calendar" => ClerkCommand::Calendar(argument),
        _ => return None,
    })
}

/// A span of time in UTC: `[from, until)`.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// The days whose visits a command needs.
pub fn days_needed(office: &Office, command: &ClerkCommand, now: DateTime<Utc>) -> Option<Span> {
    let today = now.with_timezone(&office.time_zone()).date_naive();
    let (first, last) = match command {
        ClerkCommand::Agenda(day) => {
            let day = if day.is_empty() { today } else { parse_day(day, today)? };
            (day, day)
        }
        ClerkCommand::CheckIn(_) | ClerkCommand::Next | ClerkCommand::NoShow(_) => (today, today),
        ClerkCommand::Leave(range) => parse_range(range, today).ok()?,
        ClerkCommand::Hours(argument) => (parse_day(argument, today)?, parse_day(argument, today)?),
        ClerkCommand::Calendar(_) => return None,
    };
    let midnight = |day: NaiveDate| local_to_utc(office, day.and_hms_opt(0, 0, 0).expect("midnight exists"));
    Some((midnight(first), midnight(last.checked_add_days(Days::new(1))?)))
}

/// "1.12..3.12", "2026-12-01..2026-12-03", "1.12-3.12", "jutro": the first and last day.
fn parse_range(text: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), &'static str> {
    let parts: Vec<&str> = if text.contains("..") {
        text.split("..").collect()
    } else if text.contains(" do ") {
        text.splitn(2, " do ").collect()
    } else if text.contains('–') {
        text.split('–').collect()
    } else if text.matches('-').count() == 1 {
        text.split('-').collect()
    } else {
        vec![text]
    };
    let day = |t: &str| parse_day(t.trim(), today).ok_or("clerk-bad-date");
    match parts.as_slice() {
        [one] if !one.trim().is_empty() => day(one).map(|d| (d, d)),
        [from, to] => {
            let (from, to) = (day(from)?, day(to)?);
            if to < from {
                return Err("clerk-range-backwards");
            }
            if (to - from).num_days() > 366 {
                return Err("clerk-range-too-long");
            }
            Ok((from, to))
        }
        _ => Err("clerk-bad-range"),
    }
}

type Args = Vec<(&'static str, FluentValue<'static>)>;

/// One clerk's command, in a DM with the bot or in a department's room.
pub struct ClerkDesk<'a> {
    pub office: &'a Office,
    pub view: &'a BookingView,
    pub now: DateTime<Utc>,
    pub clerk: &'a Clerk,
    /// The department whose room the command was given in, if any.
    pub department_room: Option<&'a Department>,
    pub room: &'a RoomId,
    /// Where calendar feeds are served: szpon's public web address.
    pub web_url: &'a str,
}

impl ClerkDesk<'_> {
    fn text(&self, key: &str, args: Args) -> String {
        message_with(Lang::Pl, key, &args)
    }

    fn today(&self) -> NaiveDate {
        self.now.with_timezone(&self.office.time_zone()).date_naive()
    }

    pub fn handle(&self, command: &ClerkCommand) -> Turn {
        match command {
            ClerkCommand::Agenda(day) => self.agenda(day),
            ClerkCommand::CheckIn(code) => self.check_in(code),
            ClerkCommand::Next => self.call_next(),
            ClerkCommand::NoShow(code) => self.no_show(code),
            ClerkCommand::Leave(range) => self.leave(range),
            ClerkCommand::Hours(argument) => self.hours(argument),
            ClerkCommand::Calendar(argument) => self.calendar(argument),
        }
    }

    fn serves(&self, visit: &Visit) -> bool {
        let department = self.office.service(&visit.service).map(|s| s.department.as_str());
        match self.department_room {
            Some(room_department) => department == Some(room_department.id.as_str()),
            None => department.is_some_and(|d| self.clerk.departments.iter().any(|own| own == d)),
        }
    }

    fn agenda(&self, day: &str) -> Turn {
        let date = if day.is_empty() { Some(self.today()) } else { parse_day(day, self.today()) };
        let Some(date) = date else {
            return Turn::reply(self.text("clerk-bad-date", vec![("text", day.to_owned().into())]));
        };
        let tz = self.office.time_zone();
        let visits: Vec<&Visit> = self
            .view
            .agenda
            .iter()
            .filter(|v| v.time.start.with_timezone(&tz).date_naive() == date)
            .filter(|v| match self.department_room {
                Some(_) => self.serves(v),
                None => v.time.clerk == self.clerk.user_id,
            })
            .collect();
        let whose = match self.department_room {
            Some(department) => department.name.clone(),
            None => format!("{} ({})", self.clerk.name, self.clerk.desk),
        };
        let day_name = format::day(date, Lang::Pl);
        if visits.is_empty() {
            return Turn::reply(
                self.text("clerk-agenda-empty", vec![("day", day_name.into()), ("whose", whose.into())]),
            );
        }
        let lines = visits.iter().map(|v| self.agenda_line(v)).collect::<Vec<_>>().join("\n");
        let args = vec![
            ("day", day_name.into()),
            ("whose", whose.into()),
            ("list", lines.into()),
            ("count", (visits.len() as i64).into()),
        ];
        Turn::reply(self.text("clerk-agenda", args))
    }

    fn agenda_line(&self, visit: &Visit) -> String {
        let tz = self.office.time_zone();
        let service = self.office.service(&visit.service).map_or(visit.service.as_str(), |s| s.name.as_str());
        let status = self.text(&format!("visit-status-{}", visit.status.as_str()), vec![]);
        let clerk = match self.department_room {
            Some(_) => {
                self.office.clerk(&visit.time.clerk).map(|c| format!(" — {}", c.name)).unwrap_or_default()
            }
            None => String::new(),
        };
        format!(
            "• {}–{} {service} — {} — {} ({status}){clerk}",
            format::hour(visit.time.start.with_timezone(&tz), Lang::Pl),
            format::hour(visit.time.end.with_timezone(&tz), Lang::Pl),
            visit.citizen,
            visit.code,
        )
    }

    /// Today's visit with this code that this clerk may handle, or the reason why not.
    fn todays_visit(&self, code: &str) -> Result<&Visit, String> {
        let code = code.trim().to_uppercase();
        if !is_code(&code) {
            return Err(self.text("clerk-code-needed", vec![]));
        }
        let Some(visit) = self.view.agenda.iter().find(|v| v.code == code) else {
            return Err(self.text("clerk-no-such-visit-today", vec![("code", code.into())]));
        };
        if !self.serves(visit) {
            return Err(self.text("clerk-other-department", vec![("code", code.into())]));
        }
        Ok(visit)
    }

    fn check_in(&self, code: &str) -> Turn {
        let visit = match self.todays_visit(code) {
            Ok(visit) => visit,
            Err(refusal) => return Turn::reply(refusal),
        };
        if visit.status != VisitStatus::Booked {
            let status = self.text(&format!("visit-status-{}", visit.status.as_str()), vec![]);
            return Turn::reply(self.text(
                "clerk-wrong-status",
                vec![("code", visit.code.clone().into()), ("status", status.into())],
            ));
        }
        let waiting = self.queue().len() + 1;
        let mut turn = Turn::reply(self.text(
            "clerk-checked-in",
            vec![("code", visit.code.clone().into()), ("waiting", (waiting as i64).into())],
        ));
        turn.effects.push(Effect::Booking(BookingChange::SetStatus {
            code: visit.code.clone(),
            status: VisitStatus::CheckedIn,
            at: self.now,
        }));
        turn.announcements.push((visit.room_id.clone(), message_with(visit.lang, "citizen-checked-in", &[])));
        turn
    }

    /// Checked-in visits this clerk may call: their own first, then by the time booked.
    fn queue(&self) -> Vec<&Visit> {
        let mut waiting: Vec<&Visit> = self
            .view
            .agenda
            .iter()
            .filter(|v| v.status == VisitStatus::CheckedIn && self.serves(v))
            .collect();
        waiting.sort_by_key(|v| (v.time.clerk != self.clerk.user_id, v.time.start, v.checked_in_at));
        waiting
    }

    fn call_next(&self) -> Turn {
        let Some(visit) = self.queue().first().copied() else {
            return Turn::reply(self.text("clerk-queue-empty", vec![]));
        };
        let call_to = self.clerk.call_to.clone().unwrap_or_else(|| format!("— {}", self.clerk.desk));
        let args: Args = vec![
            ("to", call_to.into()),
            ("desk", self.clerk.desk.clone().into()),
            ("clerk", self.clerk.name.clone().into()),
            ("code", visit.code.clone().into()),
        ];
        let invitation = message_with(visit.lang, "citizen-called", &args);
        let service = self.office.service(&visit.service).map_or(visit.service.clone(), |s| s.name.clone());
        let mut turn = Turn::reply(self.text(
            "clerk-called",
            vec![
                ("code", visit.code.clone().into()),
                ("service", service.into()),
                ("citizen", visit.citizen.to_string().into()),
                ("left", (self.queue().len() as i64 - 1).into()),
            ],
        ));
        turn.effects.push(Effect::Booking(BookingChange::SetStatus {
            code: visit.code.clone(),
            status: VisitStatus::Called,
            at: self.now,
        }));
        turn.announcements.push((visit.room_id.clone(), invitation));
        turn
    }

    fn no_show(&self, code: &str) -> Turn {
        let visit = match self.todays_visit(code) {
            Ok(visit) => visit,
            Err(refusal) => return Turn::reply(refusal),
        };
        if !matches!(visit.status, VisitStatus::Booked | VisitStatus::CheckedIn | VisitStatus::Called) {
            let status = self.text(&format!("visit-status-{}", visit.status.as_str()), vec![]);
            return Turn::reply(self.text(
                "clerk-wrong-status",
                vec![("code", visit.code.clone().into()), ("status", status.into())],
            ));
        }
        let late_from = visit.time.start + chrono::Duration::minutes(self.office.booking.late_after.into());
        if self.now < late_from {
            let at = format::hour(late_from.with_timezone(&self.office.time_zone()), Lang::Pl);
            return Turn::reply(self.text(
                "clerk-too-early-for-no-show",
                vec![("code", visit.code.clone().into()), ("at", at.into())],
            ));
        }
        let mut turn = Turn::reply(self.text("clerk-no-show", vec![("code", visit.code.clone().into())]));
        turn.effects.push(Effect::Booking(BookingChange::SetStatus {
            code: visit.code.clone(),
            status: VisitStatus::NoShow,
            at: self.now,
        }));
        let when = format::when_as(visit.time.start, self.office.time_zone(), visit.lang, DateCase::On);
        let args: Args = vec![("code", visit.code.clone().into()), ("when", when.into())];
        turn.announcements.push((visit.room_id.clone(), message_with(visit.lang, "citizen-no-show", &args)));
        turn
    }

    fn leave(&self, range: &str) -> Turn {
        let (from, to) = match parse_range(range, self.today()) {
            Ok(days) => days,
            Err(key) => return Turn::reply(self.text(key, vec![("text", range.to_owned().into())])),
        };
        if to < self.today() {
            return Turn::reply(self.text("clerk-range-past", vec![]));
        }
        let exception = Exception {
            clerk: self.clerk.user_id.clone(),
            from,
            to: Some(to),
            kind: ExceptionKind::Leave,
            hours: vec![],
        };
        let days = if from == to {
            format::day(from, Lang::Pl)
        } else {
            format!("{} – {}", format::day(from, Lang::Pl), format::day(to, Lang::Pl))
        };
        self.change_availability(exception, "clerk-leave-saved", days)
    }

    fn hours(&self, argument: &str) -> Turn {
        if argument.trim().is_empty() {
            return self.show_hours();
        }
        let Some(date) = parse_day(argument, self.today()) else {
            return Turn::reply(self.text("clerk-hours-usage", vec![]));
        };
        let ranges: Vec<String> = argument
            .split([' ', ',', ';'])
            .filter(|w| w.contains(':') && w.contains('-'))
            .map(str::to_owned)
            .collect();
        if ranges.is_empty() || ranges.iter().any(|r| TimeRange::parse(r).is_err()) {
            return Turn::reply(self.text("clerk-hours-usage", vec![]));
        }
        if date < self.today() {
            return Turn::reply(self.text("clerk-range-past", vec![]));
        }
        let exception = Exception {
            clerk: self.clerk.user_id.clone(),
            from: date,
            to: None,
            kind: ExceptionKind::Hours,
            hours: ranges.clone(),
        };
        let what = format!("{}: {}", format::day(date, Lang::Pl), ranges.join(", "));
        self.change_availability(exception, "clerk-hours-saved", what)
    }

    fn show_hours(&self) -> Turn {
        let plan = &self.clerk.plan;
        let days = [
            chrono::Weekday::Mon,
            chrono::Weekday::Tue,
            chrono::Weekday::Wed,
            chrono::Weekday::Thu,
            chrono::Weekday::Fri,
            chrono::Weekday::Sat,
            chrono::Weekday::Sun,
        ];
        let mut lines: Vec<String> = days
            .iter()
            .filter(|d| !plan.day(**d).is_empty())
            .map(|d| format!("• {}: {}", format::weekday_name(*d, Lang::Pl), plan.day(*d).join(", ")))
            .collect();
        if !plan.breaks.is_empty() {
            lines.push(format!("• przerwa: {}", plan.breaks.join(", ")));
        }
        let exceptions = self.office.exceptions.iter().chain(&self.view.extra_exceptions);
        for e in
            exceptions.filter(|e| e.clerk == self.clerk.user_id && e.to.unwrap_or(e.from) >= self.today())
        {
            let days = match e.to {
                Some(to) if to != e.from => {
                    format!("{} – {}", format::day(e.from, Lang::Pl), format::day(to, Lang::Pl))
                }
                _ => format::day(e.from, Lang::Pl),
            };
            lines.push(match e.kind {
                ExceptionKind::Leave => format!("• {days}: nieobecność"),
                ExceptionKind::Hours => format!("• {days}: {}", e.hours.join(", ")),
            });
        }
        Turn::reply(self.text("clerk-hours", vec![("list", lines.join("\n").into())]))
    }

    /// Records leave or other hours, and tells each citizen whose visit no longer fits,
    /// offering new times they can take with one number.
    fn change_availability(&self, exception: Exception, key: &str, what: String) -> Turn {
        let mut exceptions = self.view.extra_exceptions.clone();
        exceptions.push(exception.clone());
        let schedule = Schedule { office: self.office, extra_exceptions: &exceptions, busy: &self.view.busy };
        let affected: Vec<&Visit> = self
            .view
            .agenda
            .iter()
            .filter(|v| v.time.clerk == self.clerk.user_id && v.status.is_active() && v.time.start > self.now)
            .filter(|v| !fits(&schedule, self.office, self.clerk, v))
            .collect();
        let codes = affected.iter().map(|v| v.code.clone()).collect::<Vec<_>>().join(", ");
        let mut turn = Turn::reply(self.text(
            key,
            vec![("what", what.into()), ("count", (affected.len() as i64).into()), ("codes", codes.into())],
        ));
        turn.effects.push(Effect::Booking(BookingChange::AddException(exception)));
        for visit in affected {
            self.offer_new_time(&schedule, visit, &mut turn);
        }
        turn
    }

    fn offer_new_time(&self, schedule: &Schedule<'_>, visit: &Visit, turn: &mut Turn) {
        let Some(service) = self.office.service(&visit.service) else { return };
        let offers =
            schedule.free_slots(service, self.now, &SlotFilter::default(), self.office.booking.offers);
        let tz = self.office.time_zone();
        let list = format::numbered(offers.iter().map(|s| format::when(s.start, tz, visit.lang)));
        let args: Args = vec![
            ("when", format::when_as(visit.time.start, tz, visit.lang, DateCase::On).into()),
            ("service", service.name_in(visit.lang).to_owned().into()),
            ("code", visit.code.clone().into()),
            ("list", list.into()),
        ];
        let key =
            if offers.is_empty() { "citizen-visit-affected-no-times" } else { "citizen-visit-affected" };
        turn.announcements.push((visit.room_id.clone(), message_with(visit.lang, key, &args)));
        let dialogue = (!offers.is_empty()).then(|| Dialogue::ChoosingTime {
            since: self.now,
            service: service.id.clone(),
            offers,
            moving: Some(visit.code.clone()),
            filter: SlotFilter::default(),
        });
        turn.effects
            .push(Effect::Booking(BookingChange::SetDialogue { user_id: visit.citizen.clone(), dialogue }));
    }

    fn calendar(&self, argument: &str) -> Turn {
        let words: Vec<String> =
            fold(argument).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
        let rotate = super::asks_for_new_address(&words);
        let department =
            words.iter().position(|w| w == "dzial" || w == "department").and_then(|i| words.get(i + 1));
        let feed = match department.or(self.department_room.map(|d| &d.id)) {
            Some(id) if self.clerk.departments.contains(id) => Feed::Department(id.clone()),
            Some(id) => {
                return Turn::reply(
                    self.text("clerk-not-your-department", vec![("department", id.clone().into())]),
                );
            }
            None => Feed::Person(self.clerk.user_id.clone()),
        };
        let address = super::feed_address(
            &feed,
            &self.clerk.user_id,
            rotate,
            &self.view.feeds_held,
            &self.view.new_token,
            self.web_url,
        );
        let whose = match &feed {
            Feed::Department(id) => self.office.department(id).map_or(id.clone(), |d| d.name.clone()),
            _ => self.text("feed-whose-clerk", vec![]),
        };
        let (key, url, effect) = match address {
            FeedAddress::Held => ("feed-address-held", String::new(), None),
            FeedAddress::New { url, effect } if rotate => ("feed-rotated", url, Some(*effect)),
            FeedAddress::New { url, effect } => ("feed-address", url, Some(*effect)),
        };
        let mut turn = Turn::reply(self.text(key, vec![("url", url.into()), ("whose", whose.into())]));
        turn.effects.extend(effect);
        turn
    }
}

/// Whether a visit still fits its clerk's working hours, with the changed exceptions.
fn fits(schedule: &Schedule<'_>, office: &Office, clerk: &Clerk, visit: &Visit) -> bool {
    let tz = office.time_zone();
    let date = visit.time.start.with_timezone(&tz).date_naive();
    schedule.working_ranges(clerk, date).iter().any(|range| {
        let start = local_to_utc(office, date.and_time(range.start));
        let end = local_to_utc(office, date.and_time(range.end));
        start <= visit.time.held_from && visit.time.held_until <= end
    })
}

/// The department whose clerks' room this is, if any.
pub fn department_of_room<'a>(office: &'a Office, room: &RoomId) -> Option<&'a Department> {
    office.departments.iter().find(|d| d.room.as_deref() == Some(room))
}
