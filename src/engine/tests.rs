use std::sync::Arc;

use chrono::{DateTime, Duration};
use ruma::{OwnedEventId, owned_room_id, owned_user_id};
use szpon_bots::{Action, BotConfig, Input, ManualClock, MessageContent, OfficeBot, RoomKind, UserMessage};
use szpon_homeserver_bridge::{FakeHomeserver, HomeserverError};

use super::*;

struct Setup {
    engine: Arc<Engine>,
    clock: Arc<ManualClock>,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("e.db").display())).await.unwrap();
    let clock = Arc::new(ManualClock::new(DateTime::from_timestamp(1_790_000_000, 0).unwrap()));
    let bot = OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina"));
    let engine = Engine::new(store.clone(), bot, clock.clone(), Metrics::new());
    Setup { engine, clock, store, _dir: dir }
}

fn message(n: u32, body: &str) -> Input {
    Input::Message(UserMessage {
        event_id: OwnedEventId::try_from(format!("$event{n}")).unwrap(),
        room_id: owned_room_id!("!dm:localhost"),
        sender: owned_user_id!("@jan:localhost"),
        room_kind: RoomKind::Direct,
        content: MessageContent::Text { body: body.to_owned() },
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: true,
        private_chat: false,
        in_reply_to: None,
    })
}

/// A homeserver where the bot is in the rooms these tests write in, and no other.
fn homeserver_in_our_rooms() -> FakeHomeserver {
    let homeserver = FakeHomeserver::new();
    for room in
        ["!dm:localhost", "!other:localhost", "!inny:localhost", "!group:localhost", "!trenerzy:localhost"]
    {
        homeserver.join(<&ruma::RoomId>::try_from(room).unwrap());
    }
    homeserver
}

fn texts(homeserver: &FakeHomeserver) -> Vec<String> {
    homeserver
        .performed()
        .iter()
        .map(|a| match a {
            Action::SendNotice { notice, .. } => notice.plain.chars().take(12).collect(),
            other => format!("{other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn each_event_is_answered_once_even_when_seen_twice() {
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    s.engine.process(&message(1, "dziękuję")).await.unwrap();
    s.engine.process(&message(1, "dziękuję")).await.unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    s.engine.process(&message(1, "dziękuję")).await.unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(texts(&homeserver), ["Proszę bardz"]);
}

#[tokio::test]
async fn decided_answers_survive_a_crash_before_sending() {
    let s = setup().await;
    s.engine.process(&message(1, "pomoc")).await.unwrap();
    drop(s.engine);
    // A new engine over the same store, as after kill -9 and a restart.
    let bot = OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina"));
    let engine = Engine::new(s.store.clone(), bot, s.clock.clone(), Metrics::new());
    let homeserver = homeserver_in_our_rooms();
    engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(homeserver.performed().len(), 1);
    engine.process(&message(1, "pomoc")).await.unwrap();
    engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(homeserver.performed().len(), 1, "the event was not handled again");
}

#[tokio::test]
async fn an_unavailable_homeserver_delays_answers_in_order() {
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    homeserver.fail_next([HomeserverError::Unavailable("down".into())]);
    s.engine.process(&message(1, "dziękuję")).await.unwrap();
    s.engine.process(&message(2, "dzień dobry")).await.unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert!(homeserver.performed().is_empty(), "the second answer waits behind the first");

    s.engine.deliver_due(&homeserver).await.unwrap();
    assert!(homeserver.performed().is_empty(), "nothing is retried before its time");

    s.clock.advance(Duration::seconds(1));
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(texts(&homeserver), ["Proszę bardz", "Dzień dobry!"]);
}

#[tokio::test]
async fn a_refused_action_is_given_up_and_the_rest_go_on() {
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    homeserver.fail_next([HomeserverError::Refused("not in room".into())]);
    s.engine.process(&message(1, "dziękuję")).await.unwrap();
    s.engine.process(&message(2, "dzień dobry")).await.unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(texts(&homeserver), ["Dzień dobry!"]);
    s.clock.advance(Duration::hours(1));
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(homeserver.calls(), 2, "the refused action is not tried again");
}

#[tokio::test]
async fn retries_back_off() {
    assert_eq!(retry_delay(0), Duration::seconds(1));
    assert_eq!(retry_delay(3), Duration::seconds(8));
    assert_eq!(retry_delay(20), Duration::seconds(256));
}

/// Thirty tries (about an hour and a half) once gave every queued answer up; now an outage of
/// hours loses nothing, and only a day's gives up, after which one command sends it again.
#[tokio::test]
async fn an_outage_of_hours_loses_nothing_and_only_a_days_gives_up() {
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    let down = |tries| (0..tries).map(|_| HomeserverError::Unavailable("down".into()));
    homeserver.fail_next(down(40));
    s.engine.process(&message(1, "pomoc")).await.unwrap();
    for _ in 0..41 {
        s.engine.deliver_due(&homeserver).await.unwrap();
        s.clock.advance(Duration::minutes(5));
    }
    assert_eq!(homeserver.calls(), 41, "tried throughout 200 minutes of outage, then delivered");
    assert_eq!(texts(&homeserver), ["Dzień dobry!"]);
    assert_eq!(s.store.pending_count().await.unwrap(), 0);

    // Down for a whole day: tries at 0, 10, …, 1,440 minutes; the last is past a day.
    homeserver.fail_next(down(145));
    s.engine.process(&message(2, "dziękuję")).await.unwrap();
    for _ in 0..150 {
        s.engine.deliver_due(&homeserver).await.unwrap();
        s.clock.advance(Duration::minutes(10));
    }
    assert_eq!(homeserver.calls(), 41 + 145);
    assert_eq!(s.store.pending_count().await.unwrap(), 0);
    let failed = s.store.failed_actions(10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].last_error.contains("down"), "{failed:?}");

    assert_eq!(s.store.retry_failed(&crate::store::Retry::All, s.clock.now()).await.unwrap(), 1);
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(texts(&homeserver), ["Dzień dobry!", "Proszę bardz"]);
    assert!(s.store.failed_actions(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_postponed_room_does_not_hold_up_other_rooms() {
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    homeserver.fail_next([HomeserverError::Unavailable("room not synced yet".into())]);
    s.engine.process(&message(1, "dziękuję")).await.unwrap();
    let Input::Message(other) = message(2, "dzień dobry") else { unreachable!() };
    let other_room = Input::Message(UserMessage { room_id: owned_room_id!("!other:localhost"), ..other });
    s.engine.process(&other_room).await.unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(texts(&homeserver), ["Dzień dobry!"]);
}

/// Waits, on real time, until the fake homeserver has taken `count` notices.
async fn until_performed(homeserver: &FakeHomeserver, count: usize) -> Vec<String> {
    for _ in 0..500 {
        if homeserver.performed().len() >= count {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    texts(homeserver)
}

#[tokio::test]
async fn a_room_slow_to_take_its_answer_holds_up_no_other_room() {
    let s = setup().await;
    let homeserver = Arc::new(homeserver_in_our_rooms());
    homeserver.stall(&owned_room_id!("!dm:localhost"));
    let (_ready, ready) = tokio::sync::watch::channel(true);
    let outbox = tokio::spawn(s.engine.clone().run_outbox(homeserver.clone(), ready));
    s.engine.process(&message(1, "dziękuję")).await.unwrap();
    let Input::Message(other) = message(2, "dzień dobry") else { unreachable!() };
    let other = UserMessage {
        room_id: owned_room_id!("!other:localhost"),
        sender: owned_user_id!("@ola:localhost"),
        ..other
    };
    s.engine.process(&Input::Message(other.clone())).await.unwrap();
    assert_eq!(until_performed(&homeserver, 1).await, ["Dzień dobry!"]);
    // A later answer in the free room goes too, while the slow one still waits.
    let later = UserMessage { event_id: OwnedEventId::try_from("$event3").unwrap(), ..other };
    s.engine.process(&Input::Message(later)).await.unwrap();
    assert_eq!(until_performed(&homeserver, 2).await, ["Dzień dobry!", "Dzień dobry!"]);
    homeserver.release(&owned_room_id!("!dm:localhost"));
    let all = until_performed(&homeserver, 3).await;
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all[2].starts_with("Proszę"), "{all:?}");
    outbox.abort();
}

fn notice_for(user: &str, text: &str) -> Action {
    let message =
        szpon_bots::learning::DirectMessage::Notice(szpon_bots::Notice::from_plain(text.to_owned()));
    Action::Direct { user_id: user.try_into().unwrap(), message }
}

#[tokio::test]
async fn a_person_without_a_direct_chat_gets_one_opened_once_and_remembered() {
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    let now = s.clock.now();
    let actions = [notice_for("@ala:localhost", "Witaj"), notice_for("@ala:localhost", "Lekcja 1")];
    s.store.apply_outcome(&[], &actions, now).await.unwrap();
    // The homeserver is down when the chat is to be opened: nothing is lost, and the order holds.
    homeserver.fail_next([HomeserverError::Unavailable("down".into())]);
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert!(homeserver.performed().is_empty());
    s.clock.advance(Duration::seconds(5));
    s.engine.deliver_due(&homeserver).await.unwrap();
    let rooms: Vec<String> = homeserver.performed().iter().map(|a| a.queue().to_owned()).collect();
    assert_eq!(rooms, ["!dm-ala:localhost", "!dm-ala:localhost"]);
    assert_eq!(texts(&homeserver), ["Witaj", "Lekcja 1"]);
    let remembered = s.store.direct_room(ruma::user_id!("@ala:localhost")).await.unwrap();
    assert_eq!(remembered.as_deref().map(|r| r.as_str()), Some("!dm-ala:localhost"));
}

fn invite(room: &str, is_direct: bool) -> Input {
    Input::Invite(szpon_bots::Invite {
        room_id: room.try_into().unwrap(),
        inviter: owned_user_id!("@jan:localhost"),
        is_direct,
    })
}

#[tokio::test]
async fn only_a_chat_opened_as_direct_is_private_and_there_lessons_go() {
    let s = setup().await;
    let jan = ruma::user_id!("@jan:localhost");
    // Two members and encryption are not enough: the room was not opened as a direct chat.
    s.engine.process(&message(1, "!kursy")).await.unwrap();
    assert_eq!(s.store.direct_room(jan).await.unwrap(), None);
    s.engine.process(&invite("!group:localhost", false)).await.unwrap();
    assert!(!s.store.is_private_chat(ruma::room_id!("!group:localhost"), jan).await.unwrap());

    // "Start chat" sends `is_direct`: once the bot takes that invitation, the room is Jan's.
    s.engine.process(&invite("!dm:localhost", true)).await.unwrap();
    assert!(s.store.is_private_chat(ruma::room_id!("!dm:localhost"), jan).await.unwrap());
    assert!(
        !s.store
            .is_private_chat(ruma::room_id!("!dm:localhost"), ruma::user_id!("@ola:localhost"))
            .await
            .unwrap()
    );
    assert_eq!(s.store.direct_room(jan).await.unwrap().as_deref().map(|r| r.as_str()), Some("!dm:localhost"));

    // The engine marks messages from there as private, and from nowhere else.
    let marked = s.engine.with_privacy(&message(2, "!kursy")).await.unwrap();
    assert!(matches!(marked, Some(Input::Message(m)) if m.private_chat));
    let mut plain = message(3, "!kursy");
    if let Input::Message(m) = &mut plain {
        m.room_encrypted = false;
        m.private_chat = true;
    }
    let unmarked = s.engine.with_privacy(&plain).await.unwrap();
    assert!(
        matches!(unmarked, Some(Input::Message(m)) if !m.private_chat),
        "an unencrypted room is not private"
    );
}

#[tokio::test]
async fn a_course_room_is_created_once_and_learners_are_invited_into_it() {
    use szpon_bots::learning::CourseRoomAction;
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    let course = |action| Action::CourseRoom { course_id: "segregacja".into(), action };
    let create = CourseRoomAction::Create {
        name: "Kurs: Segregacja".into(),
        topic: "Rozmowy".into(),
        trainer: owned_user_id!("@trener:localhost"),
    };
    let actions = [
        course(create.clone()),
        course(CourseRoomAction::Invite { user_id: owned_user_id!("@ala:localhost") }),
        course(create),
    ];
    s.store.apply_outcome(&[], &actions, s.clock.now()).await.unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    let [Action::InviteUser { room_id, user_id }] = &homeserver.performed()[..] else {
        panic!("{:?}", homeserver.performed())
    };
    assert_eq!((room_id.as_str(), user_id.as_str()), ("!course-trener:localhost", "@ala:localhost"));
    let created = homeserver.calls() - 1;
    assert_eq!(created, 1, "the room is created once");
    assert_eq!(
        s.store.course_room("segregacja").await.unwrap().as_deref().map(|r| r.as_str()),
        Some("!course-trener:localhost")
    );
}

#[tokio::test]
async fn a_lessons_picture_and_the_export_are_read_from_the_store_on_delivery() {
    use szpon_bots::{
        booking::Effect,
        courses::{CourseChange, LessonFile, Publication},
        learning::{CourseFile, DirectMessage},
    };
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    let now = s.clock.now();
    let png = one_pixel_png();
    let source = "---\nid: mapa\ntitle: Mapa\n---\n# Lekcja: Punkty\n\n![Mapa punktów](mapa.png)\n";
    let publication = Publication {
        course_id: "mapa".into(),
        title: "Mapa".into(),
        source: source.into(),
        published_by: owned_user_id!("@trener:localhost"),
        room_id: None,
        published_at: now,
        files: vec![LessonFile::New {
            info: szpon_course_engine::describe("mapa.png", &png),
            bytes: png.clone(),
        }],
    };
    let picture = CourseFile::Lesson {
        course_id: "mapa".into(),
        version: 1,
        name: "mapa.png".into(),
        kind: szpon_course_engine::AttachmentKind::Image { alt: "Mapa punktów".into() },
    };
    let actions = [
        Action::Direct { user_id: owned_user_id!("@ala:localhost"), message: DirectMessage::File(picture) },
        Action::SendCourseFile {
            room_id: owned_room_id!("!trenerzy:localhost"),
            file: CourseFile::Export { course_id: "mapa".into(), version: 1 },
        },
    ];
    let effects = [Effect::Course(CourseChange::Publish(publication))];
    s.store.apply_outcome(&effects, &actions, now).await.unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    // Two rooms are served at once: their files may come in either order.
    let mut media = homeserver.media();
    media.sort_by_key(|m| m.room_id.as_str() != "!dm-ala:localhost");
    assert_eq!(media.len(), 2, "{media:?}");
    assert_eq!(media[0].room_id.as_str(), "!dm-ala:localhost");
    assert_eq!((media[0].mime.as_str(), media[0].image), ("image/png", Some((1, 1))));
    assert_eq!((media[0].bytes.clone(), media[0].caption.as_deref()), (png.clone(), Some("Mapa punktów")));
    assert_eq!((media[1].name.as_str(), media[1].mime.as_str()), ("mapa.zip", "application/zip"));
    let package = szpon_course_engine::read_package(&media[1].bytes).unwrap();
    assert_eq!((package.source.as_str(), &package.files["mapa.png"]), (source, &png));
}

/// A 1×1 PNG.
fn one_pixel_png() -> Vec<u8> {
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, 1, 1);
        encoder.set_color(png::ColorType::Rgba);
        encoder.write_header().unwrap().write_image_data(&[0, 0, 0, 255]).unwrap();
    }
    png
}

/// A homeserver where one room answers slowly, as a room Synapse has not touched lately does.
struct SlowRoom {
    inner: FakeHomeserver,
    slow: ruma::OwnedRoomId,
}

#[async_trait::async_trait]
impl Homeserver for SlowRoom {
    async fn perform(&self, action: &Action, txn_id: &str) -> Result<(), HomeserverError> {
        if action.queue() == self.slow.as_str() {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        self.inner.perform(action, txn_id).await
    }

    async fn send_media(
        &self,
        room_id: &ruma::RoomId,
        media: &Media<'_>,
        txn_id: &str,
    ) -> Result<(), HomeserverError> {
        self.inner.send_media(room_id, media, txn_id).await
    }

    async fn create_course_room(
        &self,
        name: &str,
        topic: &str,
        trainer: &ruma::UserId,
    ) -> Result<ruma::OwnedRoomId, HomeserverError> {
        self.inner.create_course_room(name, topic, trainer).await
    }

    async fn open_direct_chat(&self, user: &ruma::UserId) -> Result<ruma::OwnedRoomId, HomeserverError> {
        self.inner.open_direct_chat(user).await
    }

    async fn display_name(&self, user: &ruma::UserId) -> Option<String> {
        self.inner.display_name(user).await
    }

    async fn create_team_room(&self, name: &str, topic: &str) -> Result<ruma::OwnedRoomId, HomeserverError> {
        self.inner.create_team_room(name, topic).await
    }

    async fn joined_members(&self, room: &ruma::RoomId) -> Result<Vec<ruma::OwnedUserId>, HomeserverError> {
        self.inner.joined_members(room).await
    }

    async fn invite_missing(
        &self,
        room: &ruma::RoomId,
        people: &[ruma::OwnedUserId],
    ) -> Vec<(ruma::OwnedUserId, String)> {
        self.inner.invite_missing(room, people).await
    }

    async fn is_member(&self, room: &ruma::RoomId, user: &ruma::UserId) -> Result<bool, HomeserverError> {
        self.inner.is_member(room, user).await
    }

    async fn can_add_widget(&self, room: &ruma::RoomId) -> Result<bool, HomeserverError> {
        self.inner.can_add_widget(room).await
    }

    async fn post_notice(
        &self,
        room: &ruma::RoomId,
        notice: &szpon_bots::Notice,
        replaces: Option<&ruma::EventId>,
        txn_id: &str,
    ) -> Result<ruma::OwnedEventId, HomeserverError> {
        self.inner.post_notice(room, notice, replaces, txn_id).await
    }

    async fn download(
        &self,
        file: &szpon_bots::RepliedFile,
        limit: usize,
    ) -> Result<Option<Vec<u8>>, HomeserverError> {
        self.inner.download(file, limit).await
    }
}

fn notice(room: &str, text: &str) -> Action {
    Action::SendNotice {
        room_id: ruma::OwnedRoomId::try_from(room).unwrap(),
        notice: szpon_bots::Notice::from_plain(text.to_owned()),
    }
}

#[tokio::test]
async fn rooms_are_served_at_once_and_each_chat_keeps_its_order() {
    let s = setup().await;
    let jan = owned_user_id!("@jan:localhost");
    let direct = Action::Direct {
        user_id: jan.clone(),
        message: szpon_bots::learning::DirectMessage::Notice(szpon_bots::Notice::from_plain(
            "drugie".to_owned(),
        )),
    };
    let actions: Vec<NewAction> =
        [notice("!dm:localhost", "pierwsze"), direct, notice("!inny:localhost", "obok")]
            .into_iter()
            .enumerate()
            .map(|(n, action)| NewAction { txn_id: format!("t{n}"), action })
            .collect();
    let commit = Commit {
        event: None,
        user_id: &jan,
        person: None,
        actions: &actions,
        effects: &[],
        direct_room: Some(ruma::room_id!("!dm:localhost")),
    };
    s.store.commit(&commit, s.clock.now()).await.unwrap();

    let homeserver = SlowRoom { inner: homeserver_in_our_rooms(), slow: owned_room_id!("!dm:localhost") };
    s.engine.deliver_due(&homeserver).await.unwrap();
    let sent: Vec<(String, String)> = homeserver
        .inner
        .performed()
        .iter()
        .map(|a| match a {
            Action::SendNotice { room_id, notice } => (room_id.to_string(), notice.plain.clone()),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let expected = [("!inny:localhost", "obok"), ("!dm:localhost", "pierwsze"), ("!dm:localhost", "drugie")];
    assert_eq!(sent, expected.map(|(r, t)| (r.to_owned(), t.to_owned())), "the other room did not wait");
}

/// A turn that failed is recorded as handled with the apology, without asking the bot about
/// the input again; seen again, it is skipped.
#[tokio::test]
async fn a_failed_turn_is_set_aside_once_with_an_apology() {
    let s = setup().await;
    let homeserver = homeserver_in_our_rooms();
    s.engine.set_aside(&message(1, "cokolwiek"), "panic").await;
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(texts(&homeserver), ["Przepraszam,"]);
    s.engine.process(&message(1, "cokolwiek")).await.unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(homeserver.calls(), 1, "the set-aside input is not handled again");
}

/// The demo office's engine, with its trainer `@trener:localhost`.
async fn office_setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("e.db").display())).await.unwrap();
    let clock = Arc::new(ManualClock::new(DateTime::from_timestamp(1_790_000_000, 0).unwrap()));
    let office = szpon_bots::booking::Office::parse(szpon_bots::booking::DEMO_OFFICE).unwrap();
    let config =
        BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina").with_office(Some(Arc::new(office)));
    let engine = Engine::new(store.clone(), OfficeBot::new(config), clock.clone(), Metrics::new());
    Setup { engine, clock, store, _dir: dir }
}

/// `who` replies `body` to a course file held at `mxc://localhost/kurs`.
fn reply_to_file(n: u32, who: &str, body: &str, claimed_size: Option<u64>) -> Input {
    let Input::Message(mut message) = message(n, body) else { unreachable!() };
    message.sender = who.try_into().unwrap();
    let mut replied = szpon_bots::RepliedTo::event(OwnedEventId::try_from("$plik").unwrap());
    replied.file = Some(Box::new(szpon_bots::RepliedFile {
        name: "kurs.md".into(),
        mimetype: Some("text/markdown".into()),
        size: claimed_size,
        url: "mxc://localhost/kurs".into(),
        encryption: None,
    }));
    message.in_reply_to = Some(Box::new(replied));
    Input::Message(message)
}

const COURSE: &str = "---\nid: bhp\ntitle: BHP w biurze\naudience: audience = \"all-staff\"\npacing: na żądanie\n---\n\n# Lekcja: Krzesło\n\nUstaw wysokość krzesła.\n";

/// A file someone replies to is fetched only for a trainer's `!kurs opublikuj`, never for
/// anyone else, and never over the limit, whatever the event claims.
#[tokio::test]
async fn a_replied_file_is_fetched_only_for_a_trainers_publish_command() {
    let s = office_setup().await;
    let homeserver = homeserver_in_our_rooms();
    homeserver.hold_file("mxc://localhost/kurs", COURSE.as_bytes().to_vec());
    let files: Option<&dyn Homeserver> = Some(&homeserver);

    s.engine.process_with(&reply_to_file(1, "@jan:localhost", "!kurs opublikuj", None), files).await.unwrap();
    s.engine.process_with(&reply_to_file(2, "@trener:localhost", "dzięki", None), files).await.unwrap();
    assert_eq!(homeserver.downloads(), 0, "nothing fetched for a citizen, nor for other words");
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(texts(&homeserver)[0], "Kursy publik", "a citizen is refused");

    s.engine
        .process_with(&reply_to_file(3, "@trener:localhost", "!kurs opublikuj", None), files)
        .await
        .unwrap();
    assert_eq!(homeserver.downloads(), 1);
    assert!(s.store.latest_course("bhp").await.unwrap().is_some(), "published");
    s.engine.deliver_due(&homeserver).await.unwrap();

    // A file larger than a course file may be is not taken, whatever its event claimed.
    homeserver.hold_file("mxc://localhost/kurs", vec![b'a'; szpon_bots::MAX_TEXT_FILE_BYTES + 1]);
    let before = homeserver.performed().len();
    s.engine
        .process_with(&reply_to_file(4, "@trener:localhost", "!kurs opublikuj", Some(10)), files)
        .await
        .unwrap();
    s.engine.deliver_due(&homeserver).await.unwrap();
    assert_eq!(texts(&homeserver)[before..].first().map(String::as_str), Some("To nie jest "));
}
