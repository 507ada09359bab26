use chrono::TimeZone;
use ruma::{owned_room_id, owned_user_id};
use szpon_bots::{ManualClock, learning::DirectMessage};
use szpon_homeserver_bridge::FakeHomeserver;
use szpon_media::FakeVideoRooms;

use super::*;

struct Setup {
    calls: Arc<Calls>,
    rooms: Arc<FakeVideoRooms>,
    homeserver: FakeHomeserver,
    clock: Arc<ManualClock>,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}", dir.path().join("calls.db").display())).await.unwrap();
    let rooms = Arc::new(FakeVideoRooms::new());
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()));
    let settings = CallSettings {
        public_url: "https://szpon.example".to_owned(),
        link_minutes: 15,
        empty_minutes: 5,
        publishers: 6,
        ice_servers: vec!["stun:stun.example.org:3478".to_owned()],
        turn: Some(turn::Turn {
            servers: vec!["turn:turn.example.org:3478?transport=udp".to_owned()],
            secret: secrecy::SecretString::from("coturn-secret"),
            lifetime: chrono::Duration::hours(8),
        }),
    };
    let relay = RelayTarget { websocket_url: "ws://127.0.0.1:1".to_owned(), api_secret: None };
    let openid = szpon_homeserver_bridge::OpenIdVerifier::new(
        "http://127.0.0.1:1",
        ruma::owned_server_name!("localhost"),
    );
    let calls = Calls::new(rooms.clone(), store.clone(), clock.clone(), settings, relay, openid);
    Setup { calls, rooms, homeserver: FakeHomeserver::new(), clock, store, _dir: dir }
}

fn team() -> ruma::OwnedRoomId {
    owned_room_id!("!team:localhost")
}

fn ewa() -> ruma::OwnedUserId {
    owned_user_id!("@ewa:localhost")
}

impl Setup {
    async fn deliver(&self, call: CallAction) {
        let txn = crate::store::new_txn_id();
        self.calls.deliver(&self.homeserver, &team(), &call, &txn).await.unwrap().unwrap();
    }

    /// What is queued to be said and done, oldest first; marked done so the next read is fresh.
    async fn queued(&self) -> Vec<Action> {
        let pending =
            self.store.due_actions(self.clock.now() + chrono::Duration::days(1), 100).await.unwrap();
        for action in &pending {
            self.store.mark_done(action.id, self.clock.now()).await.unwrap();
        }
        pending.into_iter().map(|p| p.action).collect()
    }
}

fn said(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|action| match action {
            Action::SendNotice { notice, .. } => Some(notice.plain.clone()),
            Action::Direct { message: DirectMessage::Notice(notice), .. } => Some(notice.plain.clone()),
            _ => None,
        })
        .collect()
}

/// The token in a personal link.
fn link_token(actions: &[Action]) -> String {
    said(actions)
        .iter()
        .find_map(|text| {
            text.split("/rozmowa/wejscie/")
                .nth(1)
                .map(|rest| rest.chars().take_while(char::is_ascii_alphanumeric).collect())
        })
        .expect("a personal link")
}

#[tokio::test]
async fn a_started_call_has_a_janus_room_a_widget_an_announcement_and_the_starters_link() {
    let s = setup().await;
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    let call = s.store.active_call(&team()).await.unwrap().expect("a call under way");
    let janus_room = s.rooms.room(call.janus_room).expect("Janus has the room");
    assert_eq!((janus_room.pin.len(), janus_room.secret.len()), (24, 32));

    let queued = s.queued().await;
    let Action::SetWidget { widget: Some(widget), widget_id, .. } = &queued[0] else { panic!("{queued:?}") };
    assert_eq!(widget.kind, "m.custom");
    assert!(widget.url.starts_with(&format!("https://szpon.example/rozmowa/{}?", call.id)), "{}", widget.url);
    assert!(widget_id.contains(&call.id));
    let texts = said(&queued);
    assert!(texts[0].contains(&format!("https://szpon.example/rozmowa/{}", call.id)), "{texts:?}");
    assert!(!texts[0].contains(&janus_room.pin) && !texts[0].contains(&janus_room.secret));
    assert!(matches!(&queued[2], Action::Direct { user_id, .. } if *user_id == ewa()));

    // A second start gives a link to the same call, not a second call.
    s.deliver(CallAction::Start { by: owned_user_id!("@jan:localhost"), lang: Lang::Pl, visit: None }).await;
    assert_eq!(s.rooms.open_rooms().await.unwrap().len(), 1);
    let again = s.queued().await;
    assert!(
        matches!(&again[..], [Action::Direct { user_id, .. }] if user_id == "@jan:localhost"),
        "{again:?}"
    );
}

#[tokio::test]
async fn a_link_works_once_its_seat_while_the_call_lasts_and_each_pass_once() {
    let s = setup().await;
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    let token = link_token(&s.queued().await);
    let (call, seat) = s.calls.redeem_link(&token).await.unwrap().expect("a good link");
    assert!(s.calls.redeem_link(&token).await.unwrap().is_none(), "spent");
    let (_, entry) = s.calls.seated(&call.id, &seat).await.unwrap().expect("a seat");
    let pass = entry.pass;
    assert!(entry.sends_video, "everyone sends video in a call");
    let (_, again) = s.calls.seated(&call.id, &seat).await.unwrap().expect("a reload comes back in");
    assert_ne!(again.pass, pass, "with a pass of its own");
    assert!(s.calls.seated("another-call-xyz", &seat).await.unwrap().is_none(), "a seat is in one call");
    assert!(s.calls.seated(&call.id, "guessedseat0123456789").await.unwrap().is_none());
    assert!(s.calls.take_pass("another-call", &pass).is_none());
    assert_eq!(s.calls.take_pass(&call.id, &pass), Some(ewa()));
    assert_eq!(s.calls.take_pass(&call.id, &pass), None, "a pass opens one relay");

    s.deliver(CallAction::Ticket { user: ewa(), lang: Lang::Pl, quiet: false }).await;
    let late = link_token(&s.queued().await);
    s.clock.advance(chrono::Duration::minutes(16));
    assert!(s.calls.redeem_link(&late).await.unwrap().is_none(), "expired");
    s.deliver(CallAction::End { by: Some(ewa()), lang: Lang::Pl }).await;
    assert!(s.calls.seated(&call.id, &seat).await.unwrap().is_none(), "no seat in an ended call");
}

#[tokio::test]
async fn with_janus_down_the_room_is_told_and_nothing_is_recorded() {
    let s = setup().await;
    s.rooms.go_down();
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    assert!(s.store.active_call(&team()).await.unwrap().is_none());
    let texts = said(&s.queued().await);
    assert!(texts[0].contains("serwer wideo urzędu nie odpowiada"), "{texts:?}");
}

#[tokio::test]
async fn without_the_power_to_add_a_widget_the_announcement_says_so() {
    let s = setup().await;
    s.homeserver.refuse_widgets(&team());
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    let queued = s.queued().await;
    assert!(!queued.iter().any(|a| matches!(a, Action::SetWidget { .. })), "{queued:?}");
    assert!(said(&queued)[0].contains("uprawnienia"), "{queued:?}");
}

#[tokio::test]
async fn ending_destroys_the_janus_room_removes_the_widget_and_tells_the_room() {
    let s = setup().await;
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    s.queued().await;
    let call = s.store.active_call(&team()).await.unwrap().unwrap();
    s.clock.advance(chrono::Duration::minutes(42));
    s.deliver(CallAction::End { by: Some(ewa()), lang: Lang::Pl }).await;
    assert!(s.rooms.room(call.janus_room).is_none(), "Janus's room is destroyed");
    assert!(s.store.active_call(&team()).await.unwrap().is_none());
    let queued = s.queued().await;
    assert!(matches!(&queued[0], Action::SetWidget { widget: None, .. }), "{queued:?}");
    assert!(said(&queued)[0].contains("Trwała 42 min"), "{queued:?}");
    s.deliver(CallAction::End { by: Some(ewa()), lang: Lang::Pl }).await;
    assert!(s.queued().await.is_empty(), "ending twice says nothing more");
}

#[tokio::test]
async fn an_empty_call_ends_after_the_grace_time_and_an_occupied_one_does_not() {
    let s = setup().await;
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    s.queued().await;
    let call = s.store.active_call(&team()).await.unwrap().unwrap();
    let inside = s.calls.presence.enter(call.janus_room, false);
    s.clock.advance(chrono::Duration::minutes(30));
    s.calls.sweep().await.unwrap();
    assert!(s.store.active_call(&team()).await.unwrap().is_some(), "someone is in it");
    drop(inside);
    s.clock.advance(chrono::Duration::minutes(4));
    s.calls.sweep().await.unwrap();
    assert!(s.store.active_call(&team()).await.unwrap().is_some(), "empty for 4 minutes only");
    s.clock.advance(chrono::Duration::minutes(1));
    s.calls.sweep().await.unwrap();
    assert!(s.store.active_call(&team()).await.unwrap().is_none(), "empty for 5 minutes");
    assert!(s.rooms.room(call.janus_room).is_none());
    assert!(said(&s.queued().await)[0].contains("nikogo w niej nie było"));
}

#[tokio::test]
async fn a_room_janus_could_not_destroy_is_destroyed_once_it_is_back() {
    let s = setup().await;
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    let call = s.store.active_call(&team()).await.unwrap().unwrap();
    s.rooms.go_down();
    s.deliver(CallAction::End { by: Some(ewa()), lang: Lang::Pl }).await;
    assert!(s.store.active_call(&team()).await.unwrap().is_none(), "the call ended for its people");
    assert_eq!(s.store.calls_to_close().await.unwrap().len(), 1);
    s.rooms.come_back(false);
    s.calls.sweep().await.unwrap();
    assert!(s.rooms.room(call.janus_room).is_none());
    assert!(s.store.calls_to_close().await.unwrap().is_empty());
}

#[tokio::test]
async fn after_a_janus_restart_the_calls_it_lost_end() {
    let s = setup().await;
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    s.queued().await;
    s.rooms.come_back(true);
    s.calls.reconcile().await.unwrap();
    assert!(s.store.active_call(&team()).await.unwrap().is_none());
    assert!(said(&s.queued().await)[0].contains("Rozmowa wideo zakończona"));
}

#[tokio::test]
async fn an_online_visits_call_is_announced_as_the_visit_and_the_clerk_gets_a_link() {
    let s = setup().await;
    let clerk = owned_user_id!("@urzednik:localhost");
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: Some("BBBBBB".to_owned()) }).await;
    s.deliver(CallAction::Ticket { user: clerk.clone(), lang: Lang::Pl, quiet: false }).await;
    let queued = s.queued().await;
    let texts = said(&queued);
    assert!(texts[0].starts_with("Zaczyna się Twoja wizyta online (kod BBBBBB)"), "{texts:?}");
    assert!(
        queued.iter().any(|a| matches!(a, Action::Direct { user_id, .. } if *user_id == clerk)),
        "{queued:?}"
    );
    assert!(
        queued.iter().any(|a| matches!(a, Action::Direct { user_id, .. } if *user_id == ewa())),
        "{queued:?}"
    );
}

#[tokio::test]
async fn the_page_gets_stun_and_with_its_pass_turn_credentials_of_its_own() {
    let s = setup().await;
    assert_eq!(s.calls.ice_servers(None).to_string(), r#"[{"urls":["stun:stun.example.org:3478"]}]"#);
    s.deliver(CallAction::Start { by: ewa(), lang: Lang::Pl, visit: None }).await;
    let call = s.store.active_call(&team()).await.unwrap().expect("a call");
    let entry = s.calls.entry(&call, &ewa());
    let servers: serde_json::Value = serde_json::from_str(&entry.ice_servers).unwrap();
    assert_eq!(servers[0]["urls"][0], "stun:stun.example.org:3478");
    let turn = &servers[1];
    assert_eq!(turn["urls"][0], "turn:turn.example.org:3478?transport=udp");
    let expires = (s.clock.now() + chrono::Duration::hours(8)).timestamp();
    let username = format!("{expires}:szpon-{}", call.id);
    assert_eq!(turn["username"], username.as_str(), "it expires, and names the call, not the person");
    assert_eq!(
        turn["credential"],
        turn::credential("coturn-secret", expires, &format!("szpon-{}", call.id)).1
    );
}

/// A broadcast: one sender, its announcement posted so that it can be edited with the viewer
/// count as viewers come and go, and edited once more when it ends.
#[tokio::test]
async fn a_broadcast_lets_one_presenter_send_and_keeps_its_viewer_count_in_its_announcement() {
    let s = setup().await;
    let title = "Nowe zasady naboru".to_owned();
    s.deliver(CallAction::Live { presenter: ewa(), title: title.clone(), lang: Lang::Pl }).await;
    let call = s.store.active_call(&team()).await.unwrap().expect("the broadcast is a call under way");
    assert_eq!(s.rooms.room(call.janus_room).expect("Janus has the room").publishers, 1);
    assert_eq!(call.live.as_ref().map(|live| live.presenter.clone()), Some(ewa()));

    let queued = s.queued().await;
    let Action::SetWidget { widget: Some(widget), .. } = &queued[0] else { panic!("{queued:?}") };
    assert_eq!(widget.name, format!("🔴 {title}"));
    let [
        _,
        Action::Call { call: announce @ CallAction::Viewers { viewers: 0, .. }, .. },
        Action::Direct { user_id, .. },
    ] = &queued[..]
    else {
        panic!("{queued:?}")
    };
    assert_eq!(*user_id, ewa(), "the presenter gets their own link");
    s.deliver(announce.clone()).await;
    let posted = s.homeserver.performed();
    let [Action::SendNotice { notice, .. }] = &posted[..] else { panic!("{posted:?}") };
    assert!(
        notice.plain.starts_with("🔴 NA ŻYWO: „Nowe zasady naboru”, prowadzi @ewa:localhost."),
        "{}",
        notice.plain
    );
    assert!(notice.plain.contains("Oglądających teraz: 0."), "{}", notice.plain);
    let status = s.store.call(&call.id).await.unwrap().and_then(|c| c.live).and_then(|l| l.status_event);
    let status = status.expect("the announcement is kept, to edit");

    s.calls.sweep().await.unwrap();
    assert!(s.queued().await.is_empty(), "no one yet: the announcement says so already");

    // Two viewers and the presenter come; the next sweep edits the count, once.
    let _presenter = s.calls.presence.enter(call.janus_room, false);
    let first = s.calls.presence.enter(call.janus_room, true);
    let _second = s.calls.presence.enter(call.janus_room, true);
    s.calls.sweep().await.unwrap();
    for action in s.queued().await {
        let Action::Call { call, .. } = action else { panic!("{action:?}") };
        s.deliver(call).await;
    }
    let shown = s.homeserver.notice(&status).expect("the announcement").plain;
    assert!(shown.contains("Oglądających teraz: 2."), "{shown}");
    s.calls.sweep().await.unwrap();
    assert!(s.queued().await.is_empty(), "nothing changed, nothing edited");
    drop(first);
    s.calls.sweep().await.unwrap();
    for action in s.queued().await {
        let Action::Call { call, .. } = action else { panic!("{action:?}") };
        s.deliver(call).await;
    }
    assert!(s.homeserver.notice(&status).unwrap().plain.contains("Oglądających teraz: 1."));
    assert_eq!(s.homeserver.edits(), 2);

    // The presenter ends it: the announcement says so, and the room hears the most who watched.
    s.clock.advance(chrono::Duration::minutes(40));
    s.deliver(CallAction::End { by: Some(ewa()), lang: Lang::Pl }).await;
    assert!(s.rooms.room(call.janus_room).is_none(), "the Janus room is gone");
    let queued = s.queued().await;
    let texts = said(&queued);
    assert_eq!(
        texts,
        ["Transmisja „Nowe zasady naboru” zakończona. Trwała 40 min; najwięcej oglądających naraz: 2. \
          „!pytania” pokazuje pytania z transmisji."]
    );
    for action in queued {
        if let Action::Call { call, .. } = action {
            s.deliver(call).await;
        }
    }
    assert!(
        s.homeserver
            .notice(&status)
            .unwrap()
            .plain
            .starts_with("Transmisja „Nowe zasady naboru” zakończona.")
    );
}
