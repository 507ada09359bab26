//! The citizen's side: booking, listing, moving and cancelling visits in a chat with the bot.
//! Each step is kept in the person's stored [`Dialogue`], so a restart loses nothing.

use chrono::{DateTime, Duration, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedRoomId, RoomId, UserId};
use serde::{Deserialize, Serialize};

use super::{
    format::{self, DateCase},
    office::{Exception, Office, Service},
    slots::{Busy, Schedule, Slot, SlotFilter},
    understand::{self, VisitRequest},
    visit::{BookingChange, BookingJob, Feed, Visit, VisitStatus, VisitTime},
};
use crate::{Effect, Job, Lang, i18n::message_with};

/// What the store knows that a turn on visits needs: a citizen's own visits and the time held,
/// or a clerk's agenda and feeds.
#[derive(Debug, Clone, Default)]
pub struct BookingView {
    /// Time already held by visits, within the booking window.
    pub busy: Vec<Busy>,
    /// Leave and hours set in chat.
    pub extra_exceptions: Vec<Exception>,
    /// The sender's own visits that have not started yet.
    pub own_visits: Vec<Visit>,
    /// Visits on the days a clerk's command is about.
    pub agenda: Vec<Visit>,
    /// A fresh, unused visit code, for a booking made in this turn.
    pub new_code: String,
    /// The calendar feeds the writer already holds an address of (only its hash is kept).
    pub feeds_held: Vec<Feed>,
    /// A fresh secret token, for a feed address made in this turn.
    pub new_token: String,
}

/// The step a citizen's booking conversation is at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Dialogue {
    ChoosingService {
        since: DateTime<Utc>,
        options: Vec<String>,
    },
    ChoosingTime {
        since: DateTime<Utc>,
        service: String,
        offers: Vec<Slot>,
        moving: Option<String>,
        /// What the person has narrowed the times to so far: "we wtorek", then "po 10", is
        /// Tuesday after 10.
        #[serde(default)]
        filter: SlotFilter,
    },
    ChoosingVisit {
        since: DateTime<Utc>,
        codes: Vec<String>,
        purpose: Purpose,
    },
    /// A visit chosen by its number to be cancelled, waiting for "tak": cancelling cannot be
    /// undone, and a number is easily sent by mistake.
    ConfirmingCancel {
        since: DateTime<Utc>,
        code: String,
    },
}

/// Kept in `people.dialogue` while the conversation lasts.
impl crate::durable::Durable for Dialogue {}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Cancel,
    Move,
}

impl Dialogue {
    pub fn since(&self) -> DateTime<Utc> {
        match self {
            Dialogue::ChoosingService { since, .. }
            | Dialogue::ChoosingTime { since, .. }
            | Dialogue::ChoosingVisit { since, .. }
            | Dialogue::ConfirmingCancel { since, .. } => *since,
        }
    }
}

/// What one booking turn decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Turn {
    pub replies: Vec<String>,
    pub effects: Vec<Effect>,
    /// The dialogue to keep; `None` ends it.
    pub dialogue: Option<Dialogue>,
    /// Messages for the departments' rooms.
    pub announcements: Vec<(OwnedRoomId, String)>,
}

impl Turn {
    pub(crate) fn reply(text: String) -> Self {
        Self { replies: vec![text], ..Self::default() }
    }
}

/// The booking desk, for one turn of one citizen.
pub struct Desk<'a> {
    pub office: &'a Office,
    pub view: &'a BookingView,
    pub lang: Lang,
    pub now: DateTime<Utc>,
    pub citizen: &'a UserId,
    pub room: &'a RoomId,
}

type Args = Vec<(&'static str, FluentValue<'static>)>;

impl Desk<'_> {
    fn text(&self, key: &str, args: Args) -> String {
        message_with(self.lang, key, &args)
    }

    fn schedule(&self) -> Schedule<'_> {
        Schedule { office: self.office, extra_exceptions: &self.view.extra_exceptions, busy: &self.view.busy }
    }

    fn when(&self, at: DateTime<Utc>) -> String {
        format::when(at, self.office.time_zone(), self.lang)
    }

    fn when_as(&self, at: DateTime<Utc>, case: DateCase) -> String {
        format::when_as(at, self.office.time_zone(), self.lang, case)
    }

    /// Answers a request that starts something new.
    pub fn request(&self, request: VisitRequest, text: &str) -> Turn {
        match request {
            VisitRequest::Book => self.start_booking(text),
            VisitRequest::List => self.list_visits(),
            VisitRequest::Cancel(code) => self.pick_visit(Purpose::Cancel, code),
            VisitRequest::Move(code) => self.pick_visit(Purpose::Move, code),
        }
    }

    /// Takes the text as the answer to the dialogue's question; `None` if it is not one.
    pub fn answer(&self, dialogue: &Dialogue, text: &str) -> Option<Turn> {
        if understand::wants_to_stop(text) {
            return Some(Turn::reply(self.text(stopped_key(dialogue), vec![])));
        }
        match dialogue {
            Dialogue::ChoosingService { options, .. } => self.answer_service(options, text),
            Dialogue::ChoosingTime { service, offers, moving, filter, .. } => {
                let service = self.office.service(service)?;
                self.answer_time(service, offers, moving.as_deref(), filter, text)
            }
            Dialogue::ChoosingVisit { codes, purpose, .. } => self.answer_visit(codes, *purpose, text),
            Dialogue::ConfirmingCancel { code, .. } => {
                understand::confirms(text).then(|| self.pick_visit(Purpose::Cancel, Some(code.clone())))
            }
        }
    }

    /// A hint of what the current step expects, for text that is no answer.
    pub fn hint(&self, dialogue: &Dialogue) -> Turn {
        let (key, max) = match dialogue {
            Dialogue::ChoosingService { options, .. } => ("booking-hint-service", options.len()),
            Dialogue::ChoosingTime { offers, .. } => ("booking-hint-time", offers.len()),
            Dialogue::ChoosingVisit { codes, .. } => ("booking-hint-visit", codes.len()),
            Dialogue::ConfirmingCancel { .. } => ("booking-hint-confirm", 1),
        };
        let mut turn = Turn::reply(self.text(key, vec![("max", (max as i64).into())]));
        turn.dialogue = Some(dialogue.clone());
        turn
    }

    fn start_booking(&self, text: &str) -> Turn {
        if let Some(refusal) = self.over_visit_limit() {
            return refusal;
        }
        let found = understand::match_services(self.office, text);
        match found.as_slice() {
            [service] => {
                let filter = understand::parse_narrowing(text, self.today()).unwrap_or_default();
                self.offer_times(service, &filter, None, None)
            }
            [] => self.choose_service(self.office.services.iter().collect(), "booking-choose-service"),
            several => self.choose_service(several.to_vec(), "booking-service-unclear"),
        }
    }

    fn today(&self) -> chrono::NaiveDate {
        self.now.with_timezone(&self.office.time_zone()).date_naive()
    }

    fn choose_service(&self, services: Vec<&Service>, key: &str) -> Turn {
        let list = format::numbered(services.iter().map(|s| s.name_in(self.lang).to_owned()));
        let mut turn = Turn::reply(self.text(key, vec![("list", list.into())]));
        turn.dialogue = Some(Dialogue::ChoosingService {
            since: self.now,
            options: services.iter().map(|s| s.id.clone()).collect(),
        });
        turn
    }

    fn answer_service(&self, options: &[String], text: &str) -> Option<Turn> {
        let service = match understand::chosen_of(text, options.len()) {
            Some(n) => match options.get(n - 1) {
                Some(id) => self.office.service(id)?,
                None => {
                    return Some(self.out_of_range(
                        n,
                        options.len(),
                        Dialogue::ChoosingService { since: self.now, options: options.to_vec() },
                    ));
                }
            },
            None => match understand::match_services(self.office, text).as_slice() {
                [service] => service,
                _ => return None,
            },
        };
        let filter = understand::parse_narrowing(text, self.today()).unwrap_or_default();
        Some(self.offer_times(service, &filter, None, None))
    }

    fn out_of_range(&self, number: usize, max: usize, dialogue: Dialogue) -> Turn {
        let args = vec![("number", (number as i64).into()), ("max", (max as i64).into())];
        let mut turn = Turn::reply(self.text("booking-number-out-of-range", args));
        turn.dialogue = Some(dialogue);
        turn
    }

    /// Offers the earliest free times; `lead` is said first (say, that a time was just taken).
    fn offer_times(
        &self,
        service: &Service,
        filter: &SlotFilter,
        moving: Option<&str>,
        lead: Option<String>,
    ) -> Turn {
        // A day the office is closed is said so, with the nearest times instead of "none free".
        if let Some(date) = filter.date.filter(|d| self.schedule().closed_on(service, *d)) {
            let day = format::on_day(date, self.lang);
            // It opens the Polish sentence ("W niedzielę, 29 listopada, urząd…").
            let day = if self.lang == Lang::En { day } else { format::capitalized(&day) };
            let closed = self.text("booking-closed-day", vec![("day", day.into())]);
            let lead = Some(lead.map_or(closed.clone(), |lead| format!("{lead}\n{closed}")));
            let without_day = SlotFilter { date: None, weekday: None, ..filter.clone() };
            return self.offer_times(service, &without_day, moving, lead);
        }
        let offers = self.schedule().free_slots(service, self.now, filter, self.office.booking.offers);
        let name = service.name_in(self.lang).to_owned();
        let text = if offers.is_empty() {
            let key = if *filter == SlotFilter::default() {
                "booking-no-times"
            } else {
                "booking-no-times-filtered"
            };
            self.text(
                key,
                vec![("service", name.into()), ("days", i64::from(self.office.booking.window_days).into())],
            )
        } else {
            let list = format::numbered(offers.iter().map(|slot| self.when(slot.start)));
            self.text("booking-offers", vec![("service", name.into()), ("list", list.into())])
        };
        let mut turn = Turn::reply(match lead {
            Some(lead) => format!("{lead}\n{text}"),
            None => text,
        });
        turn.dialogue = Some(Dialogue::ChoosingTime {
            since: self.now,
            service: service.id.clone(),
            offers,
            moving: moving.map(str::to_owned),
            filter: SlotFilter { after: None, ..filter.clone() },
        });
        turn
    }

    fn answer_time(
        &self,
        service: &Service,
        offers: &[Slot],
        moving: Option<&str>,
        filter: &SlotFilter,
        text: &str,
    ) -> Option<Turn> {
        if let Some(n) = understand::chosen_of(text, offers.len()) {
            let Some(slot) = offers.get(n - 1) else {
                let dialogue = Dialogue::ChoosingTime {
                    since: self.now,
                    service: service.id.clone(),
                    offers: offers.to_vec(),
                    moving: moving.map(str::to_owned),
                    filter: filter.clone(),
                };
                return Some(self.out_of_range(n, offers.len(), dialogue));
            };
            return Some(self.take_slot(service, slot, moving));
        }
        if understand::wants_other_times(text) {
            // Later times within what the person narrowed to, or any later ones once those run out.
            let after = offers.last().map(|s| s.start);
            let narrowed = SlotFilter { after, ..filter.clone() };
            let later = if self.schedule().free_slots(service, self.now, &narrowed, 1).is_empty() {
                SlotFilter { after, ..SlotFilter::default() }
            } else {
                narrowed
            };
            return Some(self.offer_times(service, &later, moving, None));
        }
        let narrowed = understand::parse_narrowing(text, self.today())?;
        Some(self.offer_times(service, &filter.narrowed_by(narrowed), moving, None))
    }

    fn take_slot(&self, service: &Service, slot: &Slot, moving: Option<&str>) -> Turn {
        if slot.start <= self.now {
            let lead = self.text("booking-time-passed", vec![]);
            return self.offer_times(service, &SlotFilter::default(), moving, Some(lead));
        }
        if !self.schedule().is_free(service, slot, self.now) {
            return self.slot_taken(service, moving);
        }
        let time = visit_time(service, slot);
        match moving.and_then(|code| self.own_visit(code)) {
            Some(visit) => self.confirm_move(service, visit, time),
            None => self.confirm_booking(service, time),
        }
    }

    /// The answer when the chosen time went to someone else first, with fresh offers.
    pub fn slot_taken(&self, service: &Service, moving: Option<&str>) -> Turn {
        let lead = self.text("booking-taken", vec![]);
        self.offer_times(service, &SlotFilter::default(), moving, Some(lead))
    }

    /// The refusal of a new booking to a citizen who already holds as many visits as the office
    /// allows, with those visits and how to free one.
    fn over_visit_limit(&self) -> Option<Turn> {
        let max = self.office.booking.max_active_visits as usize;
        let active = self.view.own_visits.iter().filter(|v| v.status.is_active());
        if active.clone().count() < max {
            return None;
        }
        let args = vec![("max", (max as i64).into()), ("list", self.visit_lines(active).into())];
        Some(Turn::reply(self.text("booking-limit-reached", args)))
    }

    fn confirm_booking(&self, service: &Service, time: VisitTime) -> Turn {
        // Checked again here: two dialogues, or two chats, may have run side by side.
        if let Some(refusal) = self.over_visit_limit() {
            return refusal;
        }
        let visit = Visit {
            code: self.view.new_code.clone(),
            citizen: self.citizen.to_owned(),
            room_id: self.room.to_owned(),
            service: service.id.clone(),
            time,
            status: VisitStatus::Booked,
            lang: self.lang,
            checked_in_at: None,
        };
        let mut turn = Turn::reply(self.confirmation("booking-confirmed", service, &visit));
        turn.announcements = self.announce(service, "department-new", &visit, None);
        turn.effects.push(Effect::Booking(BookingChange::Book(visit.clone())));
        turn.effects.extend(self.reminders(&visit));
        turn
    }

    fn confirm_move(&self, service: &Service, old: &Visit, time: VisitTime) -> Turn {
        let moved = Visit { time: time.clone(), ..old.clone() };
        let mut turn = Turn::reply(self.confirmation("booking-moved", service, &moved));
        turn.announcements = self.announce(service, "department-moved", &moved, Some(old.time.start));
        turn.effects.push(Effect::Booking(BookingChange::Move { code: old.code.clone(), time }));
        turn.effects.extend(self.reminders(&moved));
        turn
    }

    fn confirmation(&self, key: &str, service: &Service, visit: &Visit) -> String {
        let desk = self.office.clerk(&visit.time.clerk).map(|c| c.desk.clone()).unwrap_or_default();
        let documents = service.documents_in(self.lang);
        let documents = if documents.is_empty() {
            String::new()
        } else {
            self.text("booking-documents", vec![("list", format::bulleted(documents).into())])
        };
        self.text(
            key,
            vec![
                ("service", service.name_in(self.lang).to_owned().into()),
                ("when", self.when(visit.time.start).into()),
                ("desk", desk.into()),
                ("code", visit.code.clone().into()),
                ("documents", documents.into()),
            ],
        )
    }

    /// The reminders before a visit, and for an online visit one at its start, which opens its
    /// video call where the office has calls.
    fn reminders(&self, visit: &Visit) -> Vec<Effect> {
        let online = self.office.service(&visit.service).is_some_and(|service| service.online);
        self.office
            .reminder_offsets()
            .into_iter()
            .chain(online.then_some(chrono::Duration::zero()))
            .map(|offset| visit.time.start - offset)
            .filter(|due| *due > self.now)
            .map(|due| Effect::Schedule {
                job: Job::Booking(BookingJob::Reminder { code: visit.code.clone(), start: visit.time.start }),
                due,
            })
            .collect()
    }

    fn announce(
        &self,
        service: &Service,
        key: &str,
        visit: &Visit,
        old: Option<DateTime<Utc>>,
    ) -> Vec<(OwnedRoomId, String)> {
        let Some(room) = self.office.department(&service.department).and_then(|d| d.room.clone()) else {
            return Vec::new();
        };
        vec![(room, department_notice(self.office, key, visit, old))]
    }

    fn list_visits(&self) -> Turn {
        if self.view.own_visits.is_empty() {
            return Turn::reply(self.text("visits-none", vec![]));
        }
        let list = self.visit_lines(self.view.own_visits.iter());
        Turn::reply(self.text("visits-list", vec![("list", list.into())]))
    }

    fn visit_lines<'v>(&self, visits: impl Iterator<Item = &'v Visit>) -> String {
        format::numbered(visits.map(|visit| {
            let service = self
                .office
                .service(&visit.service)
                .map_or(visit.service.clone(), |s| s.name_in(self.lang).to_owned());
            let desk = self.office.clerk(&visit.time.clerk).map(|c| c.desk.clone()).unwrap_or_default();
            format!("{} — {service}, {desk} ({})", self.when(visit.time.start), visit.code)
        }))
    }

    fn own_visit(&self, code: &str) -> Option<&Visit> {
        self.view.own_visits.iter().find(|v| v.code.eq_ignore_ascii_case(code) && v.status.is_active())
    }

    fn pick_visit(&self, purpose: Purpose, code: Option<String>) -> Turn {
        if let Some(code) = code {
            return match self.own_visit(&code) {
                Some(visit) => self.act_on_visit(purpose, visit),
                None => Turn::reply(self.text("visit-unknown-code", vec![("code", code.into())])),
            };
        }
        if self.view.own_visits.is_empty() {
            return Turn::reply(self.text("visits-none", vec![]));
        }
        let key = if purpose == Purpose::Cancel { "visit-choose-cancel" } else { "visit-choose-move" };
        let list = self.visit_lines(self.view.own_visits.iter());
        let mut turn = Turn::reply(self.text(key, vec![("list", list.into())]));
        turn.dialogue = Some(Dialogue::ChoosingVisit {
            since: self.now,
            codes: self.view.own_visits.iter().map(|v| v.code.clone()).collect(),
            purpose,
        });
        turn
    }

    /// A visit named by its number on the list or by its code. Only the person's own codes
    /// count: "gdzie zgłosić dziurę" holds a six-letter word, not an answer. A number chosen
    /// to cancel is confirmed first; a code typed out is confirmation enough.
    fn answer_visit(&self, codes: &[String], purpose: Purpose, text: &str) -> Option<Turn> {
        if let Some(n) = understand::chosen_of(text, codes.len()) {
            let Some(code) = codes.get(n - 1) else {
                let dialogue = Dialogue::ChoosingVisit { since: self.now, codes: codes.to_vec(), purpose };
                return Some(self.out_of_range(n, codes.len(), dialogue));
            };
            return Some(match (purpose, self.own_visit(code)) {
                (Purpose::Cancel, Some(visit)) => self.confirm_cancel(visit),
                _ => self.pick_visit(purpose, Some(code.clone())),
            });
        }
        let code =
            understand::code_in(text).filter(|code| codes.iter().any(|c| c.eq_ignore_ascii_case(code)))?;
        Some(self.pick_visit(purpose, Some(code)))
    }

    fn confirm_cancel(&self, visit: &Visit) -> Turn {
        let service =
            self.office.service(&visit.service).map_or(visit.service.as_str(), |s| s.name_in(self.lang));
        let args = vec![
            ("when", self.when_as(visit.time.start, DateCase::On).into()),
            ("service", service.to_owned().into()),
            ("code", visit.code.clone().into()),
        ];
        let mut turn = Turn::reply(self.text("visit-confirm-cancel", args));
        turn.dialogue = Some(Dialogue::ConfirmingCancel { since: self.now, code: visit.code.clone() });
        turn
    }

    fn act_on_visit(&self, purpose: Purpose, visit: &Visit) -> Turn {
        let Some(service) = self.office.service(&visit.service) else {
            return Turn::reply(self.text("visit-service-gone", vec![("code", visit.code.clone().into())]));
        };
        match purpose {
            Purpose::Move => {
                let from = self.when_as(visit.time.start, DateCase::From);
                let lead = self.text("visit-moving", vec![("when", from.into())]);
                self.offer_times(service, &SlotFilter::default(), Some(&visit.code), Some(lead))
            }
            Purpose::Cancel => {
                let args = vec![
                    ("when", self.when_as(visit.time.start, DateCase::On).into()),
                    ("service", service.name_in(self.lang).to_owned().into()),
                    ("code", visit.code.clone().into()),
                ];
                let mut turn = Turn::reply(self.text("visit-cancelled", args));
                turn.effects.push(Effect::Booking(BookingChange::SetStatus {
                    code: visit.code.clone(),
                    status: VisitStatus::Cancelled,
                    at: self.now,
                }));
                turn.announcements = self.announce(service, "department-cancelled", visit, None);
                turn
            }
        }
    }
}

/// The time a slot gives a visit of a service.
pub fn visit_time(service: &Service, slot: &Slot) -> VisitTime {
    let minutes = |m: u32| Duration::minutes(m.into());
    let end = slot.start + minutes(service.duration);
    VisitTime {
        clerk: slot.clerk.clone(),
        start: slot.start,
        end,
        held_from: slot.start - minutes(service.buffer_before),
        held_until: end + minutes(service.buffer_after),
    }
}

/// A message for a department's room, always in Polish: the clerks' working language.
pub fn department_notice(office: &Office, key: &str, visit: &Visit, old: Option<DateTime<Utc>>) -> String {
    let tz = office.time_zone();
    let service = office.service(&visit.service).map_or(visit.service.clone(), |s| s.name.clone());
    let clerk = office.clerk(&visit.time.clerk);
    // A move reads "z wtorku … na środę …"; a new or cancelled visit is a label after a colon.
    let case = if old.is_some() { DateCase::To } else { DateCase::Label };
    let mut args: Args = vec![
        ("when", format::when_as(visit.time.start, tz, Lang::Pl, case).into()),
        ("service", service.into()),
        ("clerk", clerk.map(|c| c.name.clone()).unwrap_or_default().into()),
        ("desk", clerk.map(|c| c.desk.clone()).unwrap_or_default().into()),
        ("code", visit.code.clone().into()),
    ];
    if let Some(old) = old {
        args.push(("old", format::when_as(old, tz, Lang::Pl, DateCase::From).into()));
    }
    message_with(Lang::Pl, key, &args)
}

/// The reminder for a visit, if it still stands as the job knew it.
pub fn reminder(office: &Office, visit: &Visit, start: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    let still_on = matches!(visit.status, VisitStatus::Booked | VisitStatus::CheckedIn);
    if !still_on || visit.time.start != start || start <= now {
        return None;
    }
    let service = office.service(&visit.service)?;
    let clerk = office.clerk(&visit.time.clerk);
    let documents = service.documents_in(visit.lang);
    let documents = if documents.is_empty() {
        String::new()
    } else {
        message_with(visit.lang, "booking-documents", &[("list", format::bulleted(documents).into())])
    };
    let args: Args = vec![
        ("when", format::when_as(start, office.time_zone(), visit.lang, DateCase::On).into()),
        ("office", office.office.locative(visit.lang).into()),
        ("service", service.name_in(visit.lang).to_owned().into()),
        ("desk", clerk.map(|c| c.desk.clone()).unwrap_or_default().into()),
        ("code", visit.code.clone().into()),
        ("documents", documents.into()),
    ];
    Some(message_with(visit.lang, "booking-reminder", &args))
}

/// What to say when a person ends the question open in `dialogue`, in that dialogue's words.
fn stopped_key(dialogue: &Dialogue) -> &'static str {
    match dialogue {
        Dialogue::ChoosingVisit { purpose: Purpose::Cancel, .. } | Dialogue::ConfirmingCancel { .. } => {
            "booking-stopped-cancel"
        }
        Dialogue::ChoosingVisit { purpose: Purpose::Move, .. } => "booking-stopped-move",
        Dialogue::ChoosingTime { moving: Some(_), .. } => "booking-stopped-move",
        Dialogue::ChoosingService { .. } | Dialogue::ChoosingTime { .. } => "booking-stopped",
    }
}
