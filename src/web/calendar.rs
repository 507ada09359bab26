//! Calendar feeds (RFC 5545) behind secret, revocable tokens: a person's visits (for clerks)
//! and tasks and the meetings they said they would come to, a department's visits and its
//! room's tasks and meetings, a room's tasks and meetings.

use std::{
    collections::{BTreeSet, HashMap},
    sync::Arc,
};

use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Todo, TodoStatus};
use ruma::{OwnedRoomId, OwnedUserId, UserId};
use szpon_bots::{
    booking::{Feed, Office, Visit, VisitStatus},
    meetings::{Answers, Meeting},
    tasks::{Priority, Task, TaskList},
};
use szpon_homeserver_bridge::HomeserverError;

use super::WebState;
use crate::store::{StoreError, booking::FeedVisits};

/// How far back and ahead a feed reaches.
const PAST_DAYS: i64 = 30;
const FUTURE_DAYS: i64 = 120;

/// What one feed shows.
#[derive(Debug, Default)]
pub struct FeedContents {
    pub visits: Vec<Visit>,
    pub tasks: Vec<Task>,
    pub meetings: Vec<(Meeting, Answers)>,
    /// The display names of the people in it, as far as they could be had.
    pub names: HashMap<OwnedUserId, String>,
}

impl FeedContents {
    /// A person as a calendar shows them: by name, with the ID beside it for the unambiguous
    /// record; by ID alone when they have no name.
    fn person(&self, user: &UserId) -> String {
        match self.names.get(user) {
            Some(name) => format!("{name} ({user})"),
            None => user.to_string(),
        }
    }

    fn people(&self) -> BTreeSet<OwnedUserId> {
        let citizens = self.visits.iter().map(|v| v.citizen.clone());
        let assignees = self.tasks.iter().filter_map(|t| t.assignee.clone());
        let organizers = self.meetings.iter().map(|(m, _)| m.organizer.clone());
        citizens.chain(assignees).chain(organizers).collect()
    }
}

/// `GET /kalendarz/{token}.ics`. Anything but a current token is a bare 404: a guess learns
/// nothing, not even whether a token ever existed.
pub async fn feed(State(state): State<Arc<WebState>>, Path(file): Path<String>) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(token) = file.strip_suffix(".ics") else { return not_found() };
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return not_found();
    }
    let (feed, holder) = match state.store.feed_of_token(token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(error) => return unavailable(&error),
    };
    match may_see(&state, &feed, &holder).await {
        Ok(true) => {}
        Ok(false) => return not_found(),
        Err(()) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
    let mut contents = match gather(&state, &feed, state.clock.now()).await {
        Ok(contents) => contents,
        Err(error) => return unavailable(&error),
    };
    contents.names = names_of(&state, contents.people()).await;
    let body = render(state.office.as_deref(), &feed, &contents);
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// Whether the address's holder may still see the feed, asked at every request: a clerk who
/// left the department, or a person who left the room, loses the feed with it. `Err` when the
/// homeserver's view of the room is not at hand yet.
async fn may_see(state: &WebState, feed: &Feed, holder: &UserId) -> Result<bool, ()> {
    match feed {
        Feed::Person(user) => Ok(user == holder),
        Feed::Department(id) => Ok(state
            .office
            .as_deref()
            .and_then(|office| office.clerk(holder))
            .is_some_and(|clerk| clerk.departments.contains(id))),
        Feed::Room(room) => {
            let Some(homeserver) = state.homeserver.get() else { return Err(()) };
            match homeserver.is_member(room, holder).await {
                Ok(member) => Ok(member),
                Err(HomeserverError::Refused(_)) => Ok(false),
                Err(error) => {
                    tracing::warn!(%error, "a room feed's membership could not be checked");
                    Err(())
                }
            }
        }
    }
}

fn unavailable(error: &StoreError) -> Response {
    tracing::error!(%error, "calendar feed unavailable");
    StatusCode::SERVICE_UNAVAILABLE.into_response()
}

async fn gather(state: &WebState, feed: &Feed, now: DateTime<Utc>) -> Result<FeedContents, StoreError> {
    let office = state.office.as_deref();
    let (from, until) = (now - Duration::days(PAST_DAYS), now + Duration::days(FUTURE_DAYS));
    let visits = match (office, feed) {
        (Some(office), Feed::Person(user)) if office.clerk(user).is_some() => {
            state.store.feed_visits(FeedVisits::Clerk(user), from, until).await?
        }
        (Some(office), Feed::Department(id)) => {
            let services: Vec<String> =
                office.services.iter().filter(|s| s.department == *id).map(|s| s.id.clone()).collect();
            state.store.feed_visits(FeedVisits::Services(&services), from, until).await?
        }
        _ => Vec::new(),
    };
    let (lists, assignee) = match feed {
        Feed::Person(user) => (vec![TaskList::Personal(user.clone())], Some(user.as_ref())),
        Feed::Room(room) => (vec![TaskList::Room(room.clone())], None),
        Feed::Department(id) => (department_room(state, office, id).await?.into_iter().collect(), None),
    };
    let since = now - Duration::days(PAST_DAYS);
    let tasks = state.store.feed_tasks(&lists, assignee, since).await?;
    let rooms: Vec<OwnedRoomId> = lists
        .iter()
        .filter_map(|list| match list {
            TaskList::Room(room) => Some(room.clone()),
            TaskList::Personal(_) => None,
        })
        .collect();
    let meetings = state.store.feed_meetings(&rooms, assignee, since).await?;
    Ok(FeedContents { visits, tasks, meetings, names: HashMap::new() })
}

/// The display names the homeserver has for `people`; none while it is not at hand.
async fn names_of(state: &WebState, people: BTreeSet<OwnedUserId>) -> HashMap<OwnedUserId, String> {
    let Some(homeserver) = state.homeserver.get() else { return HashMap::new() };
    let mut names = HashMap::new();
    for user in people {
        if let Some(name) = homeserver.display_name(&user).await {
            names.insert(user, name);
        }
    }
    names
}

/// The department's room's task list: the office file's room, or the one szpon created.
async fn department_room(
    state: &WebState,
    office: Option<&Office>,
    id: &str,
) -> Result<Option<TaskList>, StoreError> {
    if let Some(room) = office.and_then(|o| o.department(id)).and_then(|d| d.room.clone()) {
        return Ok(Some(TaskList::Room(room)));
    }
    let created = state.store.department_rooms().await?;
    Ok(created.into_iter().find(|(department, _)| department == id).map(|(_, room)| TaskList::Room(room)))
}

fn belongs(office: &Office, feed: &Feed, visit: &Visit) -> bool {
    match feed {
        Feed::Person(user_id) => visit.time.clerk == *user_id,
        Feed::Department(id) => office.service(&visit.service).is_some_and(|s| s.department == *id),
        Feed::Room(_) => false,
    }
}

/// The feed as iCalendar text: visits as VEVENTs, tasks with deadlines as VTODOs.
/// Who made the feed, as iCalendar's PRODID says it (RFC 5545, 3.7.3).
const PRODID: &str = concat!("-//szpon//szpon ", env!("CARGO_PKG_VERSION"), "//PL");

pub fn render(office: Option<&Office>, feed: &Feed, contents: &FeedContents) -> String {
    let zone = office.map_or(chrono_tz::Europe::Warsaw, Office::time_zone);
    // Calendar::new() would name the library as the producer; clients show this one instead.
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"));
    calendar.name(&calendar_name(office, feed)).timezone(zone.name());
    if let Some(office) = office {
        let shown = contents.visits.iter().filter(|v| belongs(office, feed, v));
        for visit in shown.filter(|v| v.status != VisitStatus::Cancelled) {
            calendar.push(event(office, visit, contents));
        }
    }
    for task in &contents.tasks {
        if let Some(todo) = todo(task, zone, contents) {
            calendar.push(todo);
        }
    }
    for (meeting, answers) in &contents.meetings {
        calendar.push(meeting_event(meeting, answers, contents));
    }
    calendar.done().to_string()
}

fn calendar_name(office: Option<&Office>, feed: &Feed) -> String {
    let whose = match feed {
        Feed::Person(user_id) => {
            office.and_then(|o| o.clerk(user_id)).map_or(user_id.to_string(), |c| c.name.clone())
        }
        Feed::Department(id) => office.and_then(|o| o.department(id)).map_or(id.clone(), |d| d.name.clone()),
        Feed::Room(room_id) => format!("zadania pokoju {room_id}"),
    };
    match office {
        Some(office) => format!("{} — {whose}", office.office.name),
        None => whose,
    }
}

fn event(office: &Office, visit: &Visit, contents: &FeedContents) -> Event {
    let service = office.service(&visit.service).map_or(visit.service.clone(), |s| s.name.clone());
    let clerk = office.clerk(&visit.time.clerk);
    let status = match visit.status {
        VisitStatus::Booked => "zarezerwowana",
        VisitStatus::CheckedIn => "czeka w kolejce",
        VisitStatus::Called => "wezwany",
        VisitStatus::NoShow => "nieobecność",
        VisitStatus::Cancelled => "odwołana",
    };
    let description = format!(
        "Kod wizyty: {}\nInteresant: {}\nUrzędnik: {}\nStatus: {status}",
        visit.code,
        contents.person(&visit.citizen),
        clerk.map_or(visit.time.clerk.to_string(), |c| c.name.clone()),
    );
    Event::new()
        .uid(&format!("{}@szpon", visit.code))
        .summary(&format!("{service} ({})", visit.code))
        .starts(visit.time.start)
        .ends(visit.time.end)
        .location(clerk.map_or("", |c| c.desk.as_str()))
        .description(&description)
        .done()
}

/// A task with a deadline as a VTODO: due on its day (a date) or at its hour (an instant).
/// The same task has one UID in every feed it is in, so a calendar shows it once.
fn todo(task: &Task, zone: Tz, contents: &FeedContents) -> Option<Todo> {
    let due = task.due?;
    let mut todo = Todo::new();
    todo.uid(&format!("zadanie-{}-{}@szpon", task.list.key(), task.number))
        .summary(&format!("#{} {}", task.number, task.title))
        .priority(ical_priority(task.priority));
    match due.time {
        Some(_) => todo.due(due.deadline(zone)),
        None => todo.due(due.date),
    };
    match task.done_at {
        Some(done_at) => todo.status(TodoStatus::Completed).completed(done_at).percent_complete(100),
        None => todo.status(TodoStatus::NeedsAction),
    };
    let mut description = Vec::new();
    if let TaskList::Room(room) = &task.list {
        description.push(format!("Pokój: {room}"));
    }
    if let Some(assignee) = &task.assignee {
        description.push(format!("Przypisane: {}", contents.person(assignee)));
    }
    if let Some(repeat) = &task.repeat {
        description.push(format!("Powtarza się: {}", repeat.label));
    }
    if let Some(code) = &task.visit {
        description.push(format!("Wizyta: {code}"));
    }
    if !description.is_empty() {
        todo.description(&description.join("\n"));
    }
    Some(todo.done())
}

/// A meeting as a VEVENT; a cancelled one stays, marked CANCELLED, so subscribed calendars
/// drop it instead of keeping a stale copy.
fn meeting_event(meeting: &Meeting, answers: &Answers, contents: &FeedContents) -> Event {
    let mut event = Event::new();
    event
        .uid(&format!("spotkanie-{}-{}@szpon", meeting.room_id, meeting.number))
        .summary(&meeting.title)
        .starts(meeting.start)
        .ends(meeting.end)
        .status(if meeting.cancelled_at.is_some() { EventStatus::Cancelled } else { EventStatus::Confirmed });
    let mut description = vec![
        format!("Pokój: {}", meeting.room_id),
        format!("Organizator: {}", contents.person(&meeting.organizer)),
        format!(
            "Odpowiedzi: tak {}, nie {}, może {}",
            answers.yes.len(),
            answers.no.len(),
            answers.maybe.len()
        ),
    ];
    if let Some(link) = &meeting.video_link {
        event.location(link);
        description.push(format!("Rozmowa wideo: {link}"));
    }
    event.description(&description.join("\n"));
    event.done()
}

/// RFC 5545's priorities: 1 is the highest, 9 the lowest, 5 the middle.
fn ical_priority(priority: Priority) -> u32 {
    match priority {
        Priority::Urgent => 1,
        Priority::High => 3,
        Priority::Normal => 5,
        Priority::Low => 9,
    }
}
