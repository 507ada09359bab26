//! Against the real Janus (Debian's 1.1.2, which `deploy/dev/setup --with-janus` installs),
//! started here with the config szpon writes: every request szpon relies on, and the relay's
//! refusals as Janus sees them.

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use szpon_media::relay::{self, Admission};
use szpon_media::{
    DEBIAN_LIB_DIR, Janus, JanusConfig, JanusPorts, MediaError, RoomSpec, RunningJanus, VideoRooms,
    janus_program,
};
use tokio::sync::mpsc;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

async fn start_janus() -> (RunningJanus, tempfile::TempDir) {
    assert!(janus_program().is_some(), "Janus is not installed: run ./deploy/dev/setup --with-janus");
    let dir = tempfile::tempdir().expect("dir");
    let config = JanusConfig {
        ports: JanusPorts { http: free_port(), websockets: free_port() },
        api_secret: "api-secret-test".to_owned(),
        admin_key: "admin-key-test".to_owned(),
        ice_enforce_list: None,
        stun_server: None,
        lib_dir: PathBuf::from(DEBIAN_LIB_DIR),
    };
    let janus = RunningJanus::start(config, dir.path()).await.expect("Janus starts and answers");
    (janus, dir)
}

fn rooms(janus: &RunningJanus) -> Janus {
    janus.rooms()
}

fn spec(number: u64) -> RoomSpec {
    RoomSpec { number, pin: format!("pin-{number}"), secret: format!("secret-{number}"), publishers: 6 }
}

#[tokio::test]
async fn rooms_are_opened_listed_and_closed_with_their_secret() {
    let (janus, _dir) = start_janus().await;
    let rooms = rooms(&janus);
    rooms.open(&spec(1001)).await.expect("opened");
    rooms.open(&spec(1002)).await.expect("opened");
    let mut open = rooms.open_rooms().await.expect("listed");
    open.sort_unstable();
    assert_eq!(open, vec![1001, 1002], "private rooms are listed with the admin key");
    assert_eq!(rooms.participants(1001).await.expect("participants"), 0);
    assert!(matches!(rooms.open(&spec(1001)).await, Err(MediaError::Refused(_))), "a number is used once");
    assert!(matches!(rooms.close(1001, "wrong").await, Err(MediaError::Refused(_))));
    rooms.close(1001, "secret-1001").await.expect("closed");
    rooms.close(1001, "secret-1001").await.expect("closing a closed room is fine");
    assert_eq!(rooms.open_rooms().await.expect("listed"), vec![1002]);
}

#[tokio::test]
async fn rooms_cannot_be_made_without_the_admin_key_or_the_api_secret() {
    let (janus, _dir) = start_janus().await;
    let no_key = Janus::new(janus.config.http_url(), Some(janus.config.api_secret.clone()), "guess");
    assert!(matches!(no_key.open(&spec(7)).await, Err(MediaError::Refused(_))));
    let no_secret = Janus::new(janus.config.http_url(), None, janus.config.admin_key.clone());
    assert!(no_secret.open(&spec(7)).await.is_err());
    assert!(rooms(&janus).open_rooms().await.expect("listed").is_empty());
}

#[tokio::test]
async fn a_dead_janus_is_unavailable_not_a_refusal() {
    let janus = Janus::new(format!("http://127.0.0.1:{}", free_port()), None, "key");
    assert!(matches!(janus.open_rooms().await, Err(MediaError::Unavailable(_))));
}

/// A browser's side of the relay: what it sends, and what comes back.
struct Browser {
    to_relay: mpsc::UnboundedSender<String>,
    from_relay: mpsc::UnboundedReceiver<String>,
}

impl Browser {
    fn connect(janus: &RunningJanus, admission: Admission) -> Browser {
        let (to_relay, relay_in) = mpsc::unbounded_channel::<String>();
        let (relay_out, from_relay) = mpsc::unbounded_channel::<String>();
        let url = janus.config.websocket_url();
        let secret = janus.config.api_secret.clone();
        tokio::spawn(async move {
            let incoming = tokio_stream(relay_in);
            let outgoing = futures_util::sink::unfold(relay_out, |sender, text: String| async move {
                sender.send(text).map_err(|_| ())?;
                Ok::<_, ()>(sender)
            });
            relay::run(incoming, Box::pin(outgoing), &url, Some(&secret), &admission).await.expect("relayed");
        });
        Browser { to_relay, from_relay }
    }

    /// Sends a request and waits for the answer to its transaction (events are skipped).
    async fn ask(&mut self, mut request: Value) -> Value {
        let transaction = format!("t{}", rand_number());
        request["transaction"] = Value::from(transaction.clone());
        self.to_relay.send(request.to_string()).expect("sent");
        loop {
            let text = tokio::time::timeout(Duration::from_secs(10), self.from_relay.recv())
                .await
                .expect("an answer within 10 s")
                .expect("relay open");
            let answer: Value = serde_json::from_str(&text).expect("json");
            if answer["transaction"] == transaction.as_str() && answer["janus"] != "ack" {
                return answer;
            }
        }
    }
}

fn tokio_stream(
    mut receiver: mpsc::UnboundedReceiver<String>,
) -> impl futures_util::Stream<Item = String> + Unpin {
    Box::pin(futures_util::stream::poll_fn(move |cx| receiver.poll_recv(cx)))
}

fn rand_number() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

async fn joined_handle(browser: &mut Browser) -> (u64, u64) {
    let session = browser.ask(json!({"janus": "create"})).await;
    let session_id = session["data"]["id"].as_u64().expect("session");
    let attach = json!({"janus": "attach", "plugin": "janus.plugin.videoroom", "session_id": session_id});
    let handle_id = browser.ask(attach).await["data"]["id"].as_u64().expect("handle");
    (session_id, handle_id)
}

#[tokio::test]
async fn the_relay_joins_a_browser_to_its_own_room_only() {
    let (janus, _dir) = start_janus().await;
    let rooms = rooms(&janus);
    rooms.open(&spec(2001)).await.expect("opened");
    rooms.open(&spec(2002)).await.expect("opened");
    let admission = Admission {
        room: 2001,
        pin: "pin-2001".to_owned(),
        display: "Ewa Zielińska".to_owned(),
        publish: true,
    };
    let mut browser = Browser::connect(&janus, admission);
    let (session_id, handle_id) = joined_handle(&mut browser).await;

    let join = json!({"janus": "message", "session_id": session_id, "handle_id": handle_id,
        "body": {"request": "join", "ptype": "publisher", "room": 2002, "display": "Someone else"}});
    let joined = browser.ask(join).await;
    let data = &joined["plugindata"]["data"];
    assert_eq!(data["videoroom"], "joined", "{joined}");
    assert_eq!(data["room"], 2001, "the browser asked for another room and got its own: {joined}");
    assert_eq!(rooms.participants(2001).await.expect("listed"), 1);
    assert_eq!(rooms.participants(2002).await.expect("listed"), 0);

    let destroy = json!({"janus": "message", "session_id": session_id, "handle_id": handle_id,
        "body": {"request": "destroy", "room": 2001, "secret": "secret-2001"}});
    assert_eq!(browser.ask(destroy).await["janus"], "error");
    let streaming = json!({"janus": "attach", "plugin": "janus.plugin.streaming", "session_id": session_id});
    assert_eq!(browser.ask(streaming).await["janus"], "error");
    assert_eq!(rooms.open_rooms().await.expect("listed").len(), 2, "both rooms are still there");
}

#[tokio::test]
async fn janus_refuses_a_wrong_pin_and_a_browser_without_the_api_secret() {
    let (janus, _dir) = start_janus().await;
    rooms(&janus).open(&spec(3001)).await.expect("opened");
    let wrong_pin = Admission { room: 3001, pin: "guess".to_owned(), display: "X".to_owned(), publish: true };
    let mut browser = Browser::connect(&janus, wrong_pin);
    let (session_id, handle_id) = joined_handle(&mut browser).await;
    let join = json!({"janus": "message", "session_id": session_id, "handle_id": handle_id,
        "body": {"request": "join", "ptype": "subscriber", "room": 3001, "streams": [{"feed": 1}]}});
    let answer = browser.ask(join).await;
    assert_eq!(answer["plugindata"]["data"]["videoroom"], "event", "{answer}");
    assert!(answer["plugindata"]["data"]["error"].as_str().unwrap_or_default().contains("pin"), "{answer}");

    // Straight to Janus, without the relay: no API secret, no session.
    let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        janus.config.websocket_url(),
    )
    .expect("request");
    request.headers_mut().insert("Sec-WebSocket-Protocol", "janus-protocol".parse().expect("header"));
    let (mut direct, _) = tokio_tungstenite::connect_async(request).await.expect("connected");
    direct
        .send(tokio_tungstenite::tungstenite::Message::text(r#"{"janus":"create","transaction":"x"}"#))
        .await
        .expect("sent");
    let answer = direct.next().await.expect("answer").expect("message");
    let answer: Value = serde_json::from_str(answer.to_text().expect("text")).expect("json");
    assert_eq!(answer["janus"], "error", "{answer}");
}

/// A broadcast: the presenter joins as the one publisher; a viewer is refused as a publisher,
/// lists its own room (only) to learn who sends, and is admitted as a subscriber.
#[tokio::test]
async fn a_viewer_of_a_broadcast_lists_its_room_and_is_refused_as_a_publisher() {
    let (janus, _dir) = start_janus().await;
    let rooms = rooms(&janus);
    rooms.open(&RoomSpec { publishers: 1, ..spec(4001) }).await.expect("opened");
    rooms.open(&spec(4002)).await.expect("opened");
    let presenter =
        Admission { room: 4001, pin: "pin-4001".to_owned(), display: "Trenerka".to_owned(), publish: true };
    let mut presenting = Browser::connect(&janus, presenter.clone());
    let (session_id, handle_id) = joined_handle(&mut presenting).await;
    let join = json!({"janus": "message", "session_id": session_id, "handle_id": handle_id,
        "body": {"request": "join", "ptype": "publisher", "room": 4001}});
    assert_eq!(presenting.ask(join).await["plugindata"]["data"]["videoroom"], "joined");

    let mut watching =
        Browser::connect(&janus, Admission { display: "Widz".to_owned(), publish: false, ..presenter });
    let (session_id, handle_id) = joined_handle(&mut watching).await;
    let publish = json!({"janus": "message", "session_id": session_id, "handle_id": handle_id,
        "body": {"request": "join", "ptype": "publisher", "room": 4001}});
    let refused = watching.ask(publish).await;
    assert_eq!(refused["janus"], "error", "{refused}");
    assert_eq!(rooms.participants(4001).await.expect("listed"), 1, "the viewer is no participant");
    let list = json!({"janus": "message", "session_id": session_id, "handle_id": handle_id,
        "body": {"request": "listparticipants", "room": 4002}});
    let listed = watching.ask(list).await;
    let data = &listed["plugindata"]["data"];
    assert_eq!(data["room"], 4001, "its own room is listed, whatever it asks: {listed}");
    let participants = data["participants"].as_array().expect("participants");
    assert_eq!(participants.len(), 1, "{listed}");
    assert_eq!(participants[0]["display"], "Trenerka");
}
