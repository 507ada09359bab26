//! Calendar feeds (RFC 5545) of clerks and departments, behind secret, revocable tokens.

use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Duration;
use icalendar::{Calendar, Component, Event, EventLike};
use szpon_bots::booking::{Feed, Office, Visit, VisitStatus};

use super::WebState;

/// How far back and ahead a feed reaches.
const PAST_DAYS: i64 = 30;
const FUTURE_DAYS: i64 = 120;

/// `GET /kalendarz/{token}.ics`. Anything but a current token is a bare 404: a guess learns
/// nothing, not even whether a token ever existed.
pub async fn feed(State(state): State<Arc<WebState>>, Path(file): Path<String>) -> Response {
    let not_found = || StatusCode::NOT_FOUND.into_response();
    let Some(office) = state.office.as_deref() else { return not_found() };
    let Some(token) = file.strip_suffix(".ics") else { return not_found() };
    if token.len() != 32 || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
        return not_found();
    }
    let feed = match state.store.feed_of_token(token).await {
        Ok(Some(feed)) => feed,
        Ok(None) => return not_found(),
        Err(error) => {
            tracing::error!(%error, "calendar feed unavailable");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let now = state.clock.now();
    let visits = match state
        .store
        .visits_starting(now - Duration::days(PAST_DAYS), now + Duration::days(FUTURE_DAYS))
        .await
    {
        Ok(visits) => visits,
        Err(error) => {
            tracing::error!(%error, "calendar feed unavailable");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let body = render(office, &feed, &visits);
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    )
        .into_response()
}

fn belongs(office: &Office, feed: &Feed, visit: &Visit) -> bool {
    match feed {
        Feed::Clerk(user_id) => visit.time.clerk == *user_id,
        Feed::Department(id) => office.service(&visit.service).is_some_and(|s| s.department == *id),
    }
}

/// The feed as iCalendar text.
pub fn render(office: &Office, feed: &Feed, visits: &[Visit]) -> String {
    let name = match feed {
        Feed::Clerk(user_id) => office.clerk(user_id).map_or(user_id.to_string(), |c| c.name.clone()),
        Feed::Department(id) => office.department(id).map_or(id.clone(), |d| d.name.clone()),
    };
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} — {name}", office.office.name)).timezone(office.office.time_zone.as_str());
    for visit in visits.iter().filter(|v| belongs(office, feed, v) && v.status != VisitStatus::Cancelled) {
        calendar.push(event(office, visit));
    }
    calendar.done().to_string()
}

fn event(office: &Office, visit: &Visit) -> Event {
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
        visit.citizen,
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
