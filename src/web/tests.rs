use axum::{body::Body, http::Request};
use ruma::owned_user_id;
use szpon_bots::booking::BookingChange;
use tower::ServiceExt;

use super::*;

async fn app(ready: bool) -> (Router, tempfile::TempDir) {
    app_beating(ready, crate::supervision::Heartbeats::default()).await
}

async fn app_beating(ready: bool, heartbeats: crate::supervision::Heartbeats) -> (Router, tempfile::TempDir) {
    app_of(ready, heartbeats, None).await
}

/// The demo office's web server, whose trainer is `@trener:localhost`.
async fn demo_office_app() -> (Router, tempfile::TempDir) {
    let office = szpon_bots::booking::Office::parse(szpon_bots::booking::DEMO_OFFICE).unwrap();
    app_of(true, crate::supervision::Heartbeats::default(), Some(Arc::new(office))).await
}

async fn app_of(
    ready: bool,
    heartbeats: crate::supervision::Heartbeats,
    office: Option<Arc<szpon_bots::booking::Office>>,
) -> (Router, tempfile::TempDir) {
    let (app, _store, dir) = app_and_store(ready, heartbeats, office).await;
    (app, dir)
}

async fn app_and_store(
    ready: bool,
    heartbeats: crate::supervision::Heartbeats,
    office: Option<Arc<szpon_bots::booking::Office>>,
) -> (Router, Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("w.db").display())).await.unwrap();
    let (_tx, rx) = watch::channel(ready);
    let state = Arc::new(WebState {
        metrics: Metrics::new(),
        store: store.clone(),
        homeserver_ready: rx,
        hs_token: SecretString::from("hs-secret"),
        bot_user_id: owned_user_id!("@urzad:localhost"),
        office,
        public_url: "http://127.0.0.1:8009".to_owned(),
        clock: Arc::new(szpon_bots::ManualClock::new(
            chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
        )),
        heartbeats,
        homeserver: std::sync::OnceLock::new(),
        calls: std::sync::OnceLock::new(),
    });
    (router(state), store, dir)
}

async fn call(app: Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

fn transaction(auth: Option<&str>) -> Request<Body> {
    let mut request =
        Request::put("/_matrix/app/v1/transactions/t1").header("content-type", "application/json");
    if let Some(token) = auth {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(Body::from(r#"{"events":[]}"#)).unwrap()
}

#[tokio::test]
async fn health_reflects_the_homeserver() {
    let (status, body) =
        call(app(false).await.0, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains(r#""homeserver":"unreachable""#), "{body}");
    let (status, body) = call(app(true).await.0, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#""status":"ok""#), "{body}");
}

/// A loop that stopped beating (stuck, though its task lives) fails the health check, by name.
#[tokio::test]
async fn health_fails_when_a_loop_stops_beating() {
    let heartbeats = crate::supervision::Heartbeats::default();
    let silence = std::time::Duration::from_millis(300);
    let inputs = heartbeats.register("inputs", silence);
    let _outbox = heartbeats.register("outbox", silence);
    let (app, _dir) = app_beating(true, heartbeats).await;
    tokio::time::sleep(silence + std::time::Duration::from_millis(100)).await;
    inputs.beat();
    let (status, body) = call(app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains(r#""stuck_loops":["outbox"]"#), "{body}");
}

#[tokio::test]
async fn metrics_are_prometheus_text() {
    let (status, body) = call(app(true).await.0, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    for name in [
        "szpon_events_handled_total",
        "szpon_replies_sent_total",
        "szpon_reply_latency_seconds",
        "szpon_outbox_pending",
    ] {
        assert!(body.contains(name), "{name} missing:\n{body}");
    }
}

#[tokio::test]
async fn appservice_pushes_need_the_homeserver_token() {
    let (app, _dir) = app(true).await;
    let (status, body) = call(app.clone(), transaction(None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("M_UNAUTHORIZED"));
    let (status, _) = call(app.clone(), transaction(Some("wrong"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = call(app.clone(), transaction(Some("hs-secret"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "{}");
    let legacy = Request::put("/_matrix/app/v1/transactions/t2?access_token=hs-secret")
        .body(Body::from(r#"{"events":[]}"#))
        .unwrap();
    assert_eq!(call(app, legacy).await.0, StatusCode::OK);
}

#[tokio::test]
async fn malformed_transactions_are_refused_without_internals() {
    let (app, _dir) = app(true).await;
    let request = Request::put("/_matrix/app/v1/transactions/t1")
        .header("authorization", "Bearer hs-secret")
        .body(Body::from("{not json"))
        .unwrap();
    let (status, body) = call(app, request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("M_BAD_JSON"), "{body}");
}

#[tokio::test]
async fn user_queries_know_only_the_bot() {
    let (app, _dir) = app(true).await;
    let get = |user: &str| {
        Request::get(format!("/_matrix/app/v1/users/{user}"))
            .header("authorization", "Bearer hs-secret")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(call(app.clone(), get("@urzad:localhost")).await.0, StatusCode::OK);
    assert_eq!(call(app, get("@szpon_x:localhost")).await.0, StatusCode::NOT_FOUND);
}

mod calendar_feeds {
    use std::sync::Arc;

    use chrono::{DateTime, Duration, TimeZone, Utc};
    use ruma::{OwnedUserId, owned_room_id, room_id, user_id};
    use szpon_bots::{
        Lang, ManualClock,
        booking::{DEMO_OFFICE, Effect, Feed, Office, Visit, VisitStatus, VisitTime},
        meetings::{Meeting, MeetingChange, Rsvp},
        tasks::{Due, Priority, Task, TaskChange, TaskList},
    };
    use szpon_homeserver_bridge::FakeHomeserver;

    use super::*;
    use crate::store::Commit;

    fn warsaw(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        chrono_tz::Europe::Warsaw.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap().with_timezone(&Utc)
    }

    fn visit(code: &str, clerk: &str, service: &str, start: DateTime<Utc>) -> Visit {
        Visit {
            code: code.into(),
            citizen: user_id!("@jan:localhost").to_owned(),
            room_id: owned_room_id!("!dm:localhost"),
            service: service.into(),
            time: VisitTime {
                clerk: OwnedUserId::try_from(clerk).unwrap(),
                start,
                end: start + Duration::minutes(20),
                held_from: start,
                held_until: start + Duration::minutes(25),
            },
            status: VisitStatus::Booked,
            lang: Lang::Pl,
            checked_in_at: None,
        }
    }

    async fn office_app() -> (Router, Store, tempfile::TempDir) {
        let (app, store, _homeserver, dir) = office_app_with_homeserver().await;
        (app, store, dir)
    }

    /// The demo office's web server, whose homeserver (a fake) says `@ewa:localhost` is in
    /// `!zespol:localhost`.
    async fn office_app_with_homeserver() -> (Router, Store, Arc<FakeHomeserver>, tempfile::TempDir) {
        let homeserver = Arc::new(FakeHomeserver::new());
        homeserver.add_member(room_id!("!zespol:localhost"), user_id!("@ewa:localhost"));
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}", dir.path().join("w.db").display())).await.unwrap();
        let (_tx, rx) = watch::channel(true);
        let state = Arc::new(WebState {
            metrics: Metrics::new(),
            store: store.clone(),
            homeserver_ready: rx,
            hs_token: SecretString::from("hs-secret"),
            bot_user_id: owned_user_id!("@urzad:localhost"),
            office: Some(Arc::new(Office::parse(DEMO_OFFICE).unwrap())),
            public_url: "http://127.0.0.1:8009".to_owned(),
            heartbeats: crate::supervision::Heartbeats::default(),
            clock: Arc::new(ManualClock::new(warsaw(23, 12, 0))),
            homeserver: std::sync::OnceLock::new(),
            calls: std::sync::OnceLock::new(),
        });
        let _ = state.homeserver.set(homeserver.clone());
        (router(state), store, homeserver, dir)
    }

    async fn apply(store: &Store, effects: &[Effect]) {
        let commit = Commit {
            event: None,
            user_id: user_id!("@x:localhost"),
            person: None,
            actions: &[],
            effects,
            direct_room: None,
        };
        store.commit(&commit, warsaw(23, 12, 0)).await.unwrap();
    }

    fn get(path: &str) -> Request<Body> {
        Request::get(path).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn a_clerks_feed_lists_their_visits_for_an_independent_parser() {
        let (app, store, _dir) = office_app().await;
        let anna = "@urzednik:localhost";
        apply(
            &store,
            &[
                Effect::Booking(BookingChange::Book(visit(
                    "AAAAAA",
                    anna,
                    "dowod-osobisty",
                    warsaw(24, 8, 0),
                ))),
                Effect::Booking(BookingChange::Book(visit("CCCCCC", anna, "meldunek", warsaw(25, 10, 30)))),
                Effect::Booking(BookingChange::Book(visit("DDDDDD", anna, "meldunek", warsaw(25, 11, 0)))),
                Effect::Booking(BookingChange::Book(visit(
                    "EEEEEE",
                    "@kowalski:localhost",
                    "prawo-jazdy",
                    warsaw(24, 8, 0),
                ))),
                Effect::Booking(BookingChange::SetStatus {
                    code: "DDDDDD".into(),
                    status: VisitStatus::Cancelled,
                    at: warsaw(23, 12, 0),
                }),
                Effect::Booking(BookingChange::NewFeedToken {
                    feed: Feed::Person(OwnedUserId::try_from(anna).unwrap()),
                    holder: OwnedUserId::try_from(anna).unwrap(),
                    token: "A".repeat(32),
                }),
            ],
        )
        .await;
        let response = app.clone().oneshot(get(&format!("/kalendarz/{}.ics", "A".repeat(32)))).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let mut parser = ical::IcalParser::new(std::io::BufReader::new(&body[..]));
        let calendar = parser.next().expect("one calendar").expect("valid iCalendar");
        assert!(parser.next().is_none());
        let header =
            |name: &str| calendar.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone());
        assert!(
            header("PRODID").is_some_and(|id| id.starts_with("-//szpon//szpon ")),
            "{:?}",
            header("PRODID")
        );
        assert_eq!(header("VERSION").as_deref(), Some("2.0"));
        let property = |event: &ical::parser::ical::component::IcalEvent, name: &str| {
            event.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default()
        };
        let mut events: Vec<(String, String, String, String)> = calendar
            .events
            .iter()
            .map(|e| {
                (
                    property(e, "DTSTART"),
                    property(e, "DTEND"),
                    property(e, "SUMMARY"),
                    property(e, "LOCATION"),
                )
            })
            .collect();
        events.sort();
        assert_eq!(
            events,
            [
                (
                    "20261124T070000Z".to_owned(),
                    "20261124T072000Z".to_owned(),
                    "Dowód osobisty — złożenie wniosku (AAAAAA)".to_owned(),
                    "pokój 12".to_owned()
                ),
                (
                    "20261125T093000Z".to_owned(),
                    "20261125T095000Z".to_owned(),
                    "Zameldowanie lub wymeldowanie (CCCCCC)".to_owned(),
                    "pokój 12".to_owned()
                ),
            ]
        );
        assert!(calendar.events.iter().all(|e| property(e, "UID").ends_with("@szpon")));
    }

    fn task(list: TaskList, number: i64, title: &str, due: Option<Due>) -> Task {
        let room_id = match &list {
            TaskList::Room(room) => room.clone(),
            TaskList::Personal(_) => owned_room_id!("!dm:localhost"),
        };
        Task {
            list,
            number,
            room_id,
            title: title.into(),
            creator: user_id!("@piotr:localhost").to_owned(),
            assignee: None,
            due,
            repeat: None,
            priority: Priority::Normal,
            attachment: None,
            visit: None,
            lang: Lang::Pl,
            created_at: warsaw(23, 12, 0),
            done_at: None,
            done_by: None,
        }
    }

    fn add(task: Task) -> Effect {
        let deadline = task.due.map(|d| d.deadline(chrono_tz::Europe::Warsaw));
        Effect::Task(TaskChange::Add { task, deadline })
    }

    /// The feed at `token`, parsed by the `ical` crate: its to-dos' properties, sorted.
    async fn todos(app: &Router, token: &str) -> Vec<Vec<(String, String)>> {
        let response = app.clone().oneshot(get(&format!("/kalendarz/{token}.ics"))).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let mut parser = ical::IcalParser::new(std::io::BufReader::new(&body[..]));
        let calendar = parser.next().expect("one calendar").expect("valid iCalendar");
        let wanted = ["SUMMARY", "DUE", "STATUS", "PRIORITY", "UID", "DESCRIPTION"];
        let mut todos: Vec<Vec<(String, String)>> = calendar
            .todos
            .iter()
            .map(|todo| {
                let mut properties: Vec<(String, String)> = todo
                    .properties
                    .iter()
                    .filter(|p| wanted.contains(&p.name.as_str()))
                    .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                    .collect();
                properties.sort();
                properties
            })
            .collect();
        todos.sort_by(|a, b| value(a, "SUMMARY").cmp(value(b, "SUMMARY")));
        todos
    }

    fn value<'a>(todo: &'a [(String, String)], name: &str) -> &'a str {
        todo.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }

    #[tokio::test]
    async fn a_persons_feed_and_a_rooms_feed_carry_their_tasks_as_todos() {
        let (app, store, homeserver, _dir) = office_app_with_homeserver().await;
        let ewa = user_id!("@ewa:localhost").to_owned();
        homeserver.set_display_name(&ewa, "Ewa Zielińska");
        let room = TaskList::Room(owned_room_id!("!zespol:localhost"));
        let ewas = TaskList::Personal(ewa.clone());
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let at_noon = Due { date: day(25), time: chrono::NaiveTime::from_hms_opt(12, 0, 0) };
        let assigned = Task {
            assignee: Some(ewa.clone()),
            priority: Priority::High,
            ..task(room.clone(), 1, "Raport kwartalny", Some(at_noon))
        };
        apply(
            &store,
            &[
                add(assigned),
                add(task(room.clone(), 2, "Sala na sesję", Some(Due { date: day(26), time: None }))),
                add(task(room.clone(), 3, "Bez terminu", None)),
                add(task(ewas.clone(), 1, "Zamówić papier", Some(Due { date: day(24), time: None }))),
                add(task(
                    TaskList::Personal(user_id!("@piotr:localhost").to_owned()),
                    1,
                    "Cudze",
                    Some(Due { date: day(24), time: None }),
                )),
                Effect::Task(TaskChange::Done {
                    list: ewas.clone(),
                    number: 1,
                    by: ewa.clone(),
                    at: warsaw(23, 12, 0),
                }),
                Effect::Booking(BookingChange::NewFeedToken {
                    feed: Feed::Person(ewa.clone()),
                    holder: ewa.clone(),
                    token: "P".repeat(32),
                }),
                Effect::Booking(BookingChange::NewFeedToken {
                    feed: Feed::Room(owned_room_id!("!zespol:localhost")),
                    holder: ewa.clone(),
                    token: "R".repeat(32),
                }),
            ],
        )
        .await;

        let personal = todos(&app, &"P".repeat(32)).await;
        let summaries: Vec<&str> = personal.iter().map(|t| value(t, "SUMMARY")).collect();
        assert_eq!(summaries, ["#1 Raport kwartalny", "#1 Zamówić papier"]);
        assert_eq!(value(&personal[0], "DUE"), "20261125T110000Z");
        assert_eq!(value(&personal[0], "PRIORITY"), "3");
        assert_eq!(value(&personal[0], "STATUS"), "NEEDS-ACTION");
        assert_eq!(value(&personal[1], "DUE"), "20261124");
        assert_eq!(value(&personal[1], "STATUS"), "COMPLETED");

        let shared = todos(&app, &"R".repeat(32)).await;
        let summaries: Vec<&str> = shared.iter().map(|t| value(t, "SUMMARY")).collect();
        assert_eq!(summaries, ["#1 Raport kwartalny", "#2 Sala na sesję"]);
        // The same task is one to-do in every feed, so a calendar subscribed to both shows it once.
        assert_eq!(value(&shared[0], "UID"), value(&personal[0], "UID"));
        assert_eq!(value(&shared[1], "DUE"), "20261126");
        // People are shown by name, with the ID beside it; one without a name by the ID.
        assert!(value(&shared[0], "DESCRIPTION").contains("Przypisane: Ewa Zielińska (@ewa:localhost)"));
    }

    fn meeting(number: i64, title: &str, start: DateTime<Utc>) -> Meeting {
        Meeting {
            room_id: owned_room_id!("!zespol:localhost"),
            number,
            title: title.into(),
            start,
            end: start + Duration::minutes(45),
            organizer: user_id!("@anna:localhost").to_owned(),
            lang: Lang::Pl,
            created_at: warsaw(23, 12, 0),
            cancelled_at: None,
            video_link: None,
        }
    }

    /// The feed at `token`, parsed by the `ical` crate: its events' SUMMARY, DTSTART and STATUS.
    async fn events(app: &Router, token: &str) -> Vec<(String, String, String)> {
        let response = app.clone().oneshot(get(&format!("/kalendarz/{token}.ics"))).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let calendar = ical::IcalParser::new(std::io::BufReader::new(&body[..])).next().unwrap().unwrap();
        let mut events: Vec<(String, String, String)> = calendar
            .events
            .iter()
            .map(|e| {
                let property = |name: &str| {
                    e.properties
                        .iter()
                        .find(|p| p.name == name)
                        .and_then(|p| p.value.clone())
                        .unwrap_or_default()
                };
                (property("SUMMARY"), property("DTSTART"), property("STATUS"))
            })
            .collect();
        events.sort();
        events
    }

    #[tokio::test]
    async fn meetings_are_events_of_their_room_and_of_those_who_come() {
        let (app, store, _dir) = office_app().await;
        let room = owned_room_id!("!zespol:localhost");
        let ewa = user_id!("@ewa:localhost").to_owned();
        let answer = |number, user: &OwnedUserId, rsvp| {
            Effect::Meeting(MeetingChange::Answer {
                room_id: room.clone(),
                number,
                user: user.clone(),
                rsvp,
                at: warsaw(23, 12, 0),
            })
        };
        apply(
            &store,
            &[
                Effect::Meeting(MeetingChange::Schedule(meeting(1, "Narada", warsaw(25, 10, 0)))),
                Effect::Meeting(MeetingChange::Schedule(meeting(2, "Szkolenie", warsaw(26, 12, 0)))),
                Effect::Meeting(MeetingChange::Schedule(meeting(3, "Odwołane", warsaw(27, 9, 0)))),
                answer(1, &ewa, Rsvp::Yes),
                answer(2, &ewa, Rsvp::No),
                Effect::Meeting(MeetingChange::Cancel {
                    room_id: room.clone(),
                    number: 3,
                    at: warsaw(23, 12, 0),
                }),
                Effect::Booking(BookingChange::NewFeedToken {
                    feed: Feed::Person(ewa.clone()),
                    holder: ewa.clone(),
                    token: "P".repeat(32),
                }),
                Effect::Booking(BookingChange::NewFeedToken {
                    feed: Feed::Room(room.clone()),
                    holder: ewa.clone(),
                    token: "R".repeat(32),
                }),
            ],
        )
        .await;
        let hers = events(&app, &"P".repeat(32)).await;
        assert_eq!(hers, [("Narada".to_owned(), "20261125T090000Z".to_owned(), "CONFIRMED".to_owned())]);
        let rooms = events(&app, &"R".repeat(32)).await;
        let statuses: Vec<(&str, &str)> = rooms.iter().map(|(s, _, st)| (s.as_str(), st.as_str())).collect();
        assert_eq!(
            statuses,
            [("Narada", "CONFIRMED"), ("Odwołane", "CANCELLED"), ("Szkolenie", "CONFIRMED")]
        );
    }

    #[tokio::test]
    async fn wrong_revoked_and_malformed_tokens_get_a_bare_404() {
        let (app, store, _dir) = office_app().await;
        let feed = Feed::Department("ewidencja".into());
        let anna = owned_user_id!("@urzednik:localhost");
        let maria = owned_user_id!("@wisniewska:localhost");
        let new = |holder: &OwnedUserId, token: &str| {
            Effect::Booking(BookingChange::NewFeedToken {
                feed: feed.clone(),
                holder: holder.clone(),
                token: token.repeat(32),
            })
        };
        apply(&store, &[new(&anna, "B"), new(&maria, "M")]).await;
        let (status, _) = call(app.clone(), get(&format!("/kalendarz/{}.ics", "B".repeat(32)))).await;
        assert_eq!(status, StatusCode::OK);
        // Anna's new address revokes her old one, and only hers.
        apply(&store, &[new(&anna, "C")]).await;
        for path in [
            format!("/kalendarz/{}.ics", "B".repeat(32)),
            format!("/kalendarz/{}.ics", "Z".repeat(32)),
            format!("/kalendarz/{}", "C".repeat(32)),
            "/kalendarz/..%2F..%2Fetc%2Fpasswd".to_owned(),
            format!("/kalendarz/{}.ics", "C".repeat(5000)),
        ] {
            let (status, body) = call(app.clone(), get(&path)).await;
            assert_eq!((status, body.as_str()), (StatusCode::NOT_FOUND, ""), "{path}");
        }
        for token in ["C", "M"] {
            let (status, _) = call(app.clone(), get(&format!("/kalendarz/{}.ics", token.repeat(32)))).await;
            assert_eq!(status, StatusCode::OK, "{token}");
        }
    }

    /// Each request asks again whether the address's holder may see the feed: a department's
    /// only while they work in it, a room's only while they are in the room.
    #[tokio::test]
    async fn a_feed_stops_when_its_holder_leaves_the_department_or_the_room() {
        let (app, store, homeserver, _dir) = office_app_with_homeserver().await;
        let room = owned_room_id!("!zespol:localhost");
        let ewa = owned_user_id!("@ewa:localhost");
        let piotr = owned_user_id!("@kowalski:localhost");
        apply(
            &store,
            &[
                // Piotr works in "komunikacja", not "ewidencja".
                Effect::Booking(BookingChange::NewFeedToken {
                    feed: Feed::Department("ewidencja".into()),
                    holder: piotr.clone(),
                    token: "D".repeat(32),
                }),
                Effect::Booking(BookingChange::NewFeedToken {
                    feed: Feed::Room(room.clone()),
                    holder: ewa.clone(),
                    token: "R".repeat(32),
                }),
                Effect::Booking(BookingChange::NewFeedToken {
                    feed: Feed::Room(room.clone()),
                    holder: piotr,
                    token: "Q".repeat(32),
                }),
            ],
        )
        .await;
        let status = |token: &'static str| {
            let app = app.clone();
            async move { call(app, get(&format!("/kalendarz/{}.ics", token.repeat(32)))).await.0 }
        };
        assert_eq!(status("D").await, StatusCode::NOT_FOUND, "not his department");
        assert_eq!(status("Q").await, StatusCode::NOT_FOUND, "not in the room");
        assert_eq!(status("R").await, StatusCode::OK);
        homeserver.remove_member(&room, &ewa);
        assert_eq!(status("R").await, StatusCode::NOT_FOUND, "she left the room");
    }

    /// Only hashes are kept: the database holds no address that would open a feed.
    #[tokio::test]
    async fn the_store_keeps_no_feed_address_in_the_clear() {
        let (app, store, dir) = office_app().await;
        let ewa = owned_user_id!("@ewa:localhost");
        let token = "S".repeat(32);
        apply(
            &store,
            &[Effect::Booking(BookingChange::NewFeedToken {
                feed: Feed::Person(ewa.clone()),
                holder: ewa,
                token: token.clone(),
            })],
        )
        .await;
        let (status, _) = call(app, get(&format!("/kalendarz/{token}.ics"))).await;
        assert_eq!(status, StatusCode::OK);
        let raw = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("w.db").display()))
            .await
            .unwrap();
        let stored: Vec<String> =
            sqlx::query_scalar("SELECT token_hash FROM feed_keys").fetch_all(&raw).await.unwrap();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].contains(&token));
    }
}

#[tokio::test]
async fn the_editors_link_is_spent_by_the_button_not_by_a_link_preview() {
    let (app, dir) = demo_office_app().await;
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("w.db").display())).await.unwrap();
    let token = "L".repeat(32);
    let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    let ticket = szpon_bots::courses::CourseChange::EditorTicket {
        token: token.clone(),
        user_id: owned_user_id!("@trener:localhost"),
        expires_at: now + chrono::Duration::minutes(15),
    };
    store.apply_effects(&[szpon_bots::booking::Effect::Course(ticket)], now).await.unwrap();
    let link = format!("/kursy/edytor/wejscie/{token}");
    for _preview in 0..2 {
        let response = app.clone().oneshot(Request::get(&link).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().get(header::SET_COOKIE).is_none());
        let page =
            String::from_utf8(axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec())
                .unwrap();
        assert!(page.contains(&format!("<form method=\"post\" action=\"{link}\">")), "{page}");
        assert!(page.contains("Otwórz edytor"), "{page}");
    }
    let pressed = app.clone().oneshot(Request::post(&link).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(pressed.status(), StatusCode::SEE_OTHER);
    assert_eq!(pressed.headers()[header::LOCATION], "/kursy/edytor");
    let cookie =
        pressed.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert!(cookie.starts_with("szpon_edytor="), "{cookie}");
    // Signed in: a form from another site still cannot post (JSON only), and a body over the
    // limit is refused whole.
    let form = Request::post("/kursy/edytor/opublikuj")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", &cookie)
        .body(Body::from("source=x"))
        .unwrap();
    assert_eq!(call(app.clone(), form).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = format!(r#"{{"source":"{}"}}"#, "a".repeat(2 * 1024 * 1024));
    let too_big = Request::post("/kursy/edytor/podglad")
        .header("content-type", "application/json")
        .header("cookie", &cookie)
        .body(Body::from(huge))
        .unwrap();
    assert_eq!(call(app.clone(), too_big).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, body) = call(app.clone(), Request::post(&link).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("został już użyty"), "{body}");
    // Anything but a link's shape is refused without a page that echoes it.
    let (status, body) =
        call(app, Request::get("/kursy/edytor/wejscie/%3Cscript%3E").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.contains("<script>"), "{body}");
}

/// The certificate check page: a stored code (typed in any case, with or without dashes) shows
/// the certificate's facts and nothing else, any other is a 404 that echoes nothing unescaped,
/// and a client trying many codes is slowed down.
#[tokio::test]
async fn a_certificate_is_checked_by_its_code_and_guessing_is_limited() {
    use szpon_bots::certificates::CertificateChange;
    let office = szpon_bots::booking::Office::parse(szpon_bots::booking::DEMO_OFFICE).unwrap();
    let (app, store, _dir) =
        app_and_store(true, crate::supervision::Heartbeats::default(), Some(Arc::new(office))).await;
    let earned = CertificateChange::Earned {
        user_id: owned_user_id!("@ola:localhost"),
        course_id: "rodo".into(),
        version: 1,
        title: "RODO <w> urzędzie".into(),
        minutes: Some(90),
        score: Some(88),
        at: chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
    };
    let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    store.apply_effects(&[szpon_bots::Effect::Certificate(earned)], now).await.unwrap();
    let certificate = store.certificate_of(ruma::user_id!("@ola:localhost"), "rodo").await.unwrap().unwrap();
    store.name_certificate(&certificate.code, "Ola Nowak").await.unwrap();
    let get = |path: String| Request::get(path).body(Body::empty()).unwrap();

    let typed = certificate.printed_code().to_lowercase();
    let response = app.clone().oneshot(get(format!("/certyfikat/{typed}"))).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_owned();
    assert!(policy.starts_with("default-src 'none'"), "no script may run: {policy}");
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let page = String::from_utf8(body.to_vec()).unwrap();
    assert!(page.contains("<html lang=\"pl\">") && page.contains("Ten certyfikat jest prawdziwy."), "{page}");
    for fact in ["Ola Nowak", "RODO &lt;w&gt; urzędzie", "1,5", "88%", &certificate.printed_code()] {
        assert!(page.contains(fact), "{fact} not in {page}");
    }
    assert!(!page.contains("@ola:localhost"), "nothing beyond the certificate: {page}");

    let (status, page) =
        call(app.clone(), get("/certyfikat/%3Cscript%3Ealert(1)%3C%2Fscript%3E".into())).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains("<script>") && page.contains("Nie ma certyfikatu o kodzie"), "{page}");

    let mut statuses = Vec::new();
    for _ in 0..30 {
        statuses.push(call(app.clone(), get("/certyfikat/ACDE-FGHJ-KMNP-QRTU".into())).await.0);
    }
    assert!(statuses.contains(&StatusCode::NOT_FOUND));
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
}
