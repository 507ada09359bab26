//! Video calls through the real Synapse and the real Janus: `!wideo` in an encrypted team room
//! posts Element's widget and a plain link, the starter's personal link works once, the relay
//! admits its holder to the call's own Janus room only, a non-member is refused, and the call
//! ends with `!zakończ` or when it stands empty, leaving no Janus room behind.

use std::time::Duration;

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use matrix_sdk::ruma::{events::StateEventType, int};
use serde_json::{Value, json};
use szpon_media::{DEBIAN_LIB_DIR, JanusConfig, JanusPorts, RunningJanus, VideoRooms};
use szpon_test_harness::{Office, TestUser, free_port};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest};

use super::szpon;

const WAIT: Duration = Duration::from_secs(30);

async fn start_janus(dir: &std::path::Path) -> anyhow::Result<RunningJanus> {
    let config = JanusConfig {
        ports: JanusPorts { http: free_port(), websockets: free_port() },
        api_secret: "e2e-api-secret".to_owned(),
        admin_key: "e2e-admin-key".to_owned(),
        ice_enforce_list: None,
        stun_server: None,
        lib_dir: DEBIAN_LIB_DIR.into(),
    };
    RunningJanus::start(config, dir).await.context("Janus must be installed: ./deploy/dev/setup --with-janus")
}

fn calls_toml(janus: &RunningJanus) -> String {
    format!(
        "[calls]\njanus_url = \"{}\"\njanus_websocket_url = \"{}\"\napi_secret = \"{}\"\nadmin_key = \"{}\"\n\
         empty_minutes = 5\n",
        janus.config.http_url(),
        janus.config.websocket_url(),
        janus.config.api_secret,
        janus.config.admin_key,
    )
}

/// The call's ID, from a link to its page in a message.
fn call_id(text: &str) -> anyhow::Result<String> {
    let rest = text.split("/rozmowa/").nth(1).context("no call link")?;
    Ok(rest.chars().take_while(char::is_ascii_alphanumeric).collect())
}

/// The personal link in the starter's direct chat.
async fn personal_link(user: &TestUser, office: &Office) -> anyhow::Result<String> {
    let direct = user.accept_invite_from(&office.bot_user_id, None).await?;
    next_link(user, &direct, &office.bot_user_id, 0).await
}

/// `user`'s direct chat with the bot, which they already have: their room that is not `group`.
fn direct_chat(user: &TestUser, group: &matrix_sdk::Room) -> anyhow::Result<matrix_sdk::Room> {
    let rooms = user.client.joined_rooms();
    rooms.into_iter().find(|r| r.room_id() != group.room_id()).context("a direct chat with the bot")
}

/// The personal link in the message after the first `seen` of the bot's in `direct`.
async fn next_link(
    user: &TestUser,
    direct: &matrix_sdk::Room,
    bot: &matrix_sdk::ruma::UserId,
    seen: usize,
) -> anyhow::Result<String> {
    let messages = user.wait_for_messages(direct, bot, seen + 1, WAIT).await?;
    let text = &messages[seen].body;
    let start = text.find("http").context("a link")?;
    Ok(text[start..].split_whitespace().next().context("a link")?.to_owned())
}

/// An OpenID token for `user`, as Element asks for one on a widget's behalf.
async fn openid_token(office: &Office, user: &TestUser) -> anyhow::Result<Value> {
    let session = user.client.matrix_auth().session().context("logged in")?;
    let url =
        format!("{}/_matrix/client/v3/user/{}/openid/request_token", office.homeserver_url, user.user_id());
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth(&session.tokens.access_token)
        .json(&json!({}))
        .send()
        .await?;
    Ok(response.error_for_status()?.json().await?)
}

/// A call page's connection to Janus through szpon's relay, as janus.js makes it.
struct RelaySocket {
    socket: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    transactions: u32,
}

impl RelaySocket {
    async fn open(office: &Office, call: &str, pass: &str) -> anyhow::Result<Self> {
        let url =
            format!("{}/rozmowa/{call}/janus?przepustka={pass}", office.web_url.replacen("http", "ws", 1));
        let mut request = url.into_client_request()?;
        request.headers_mut().insert("Sec-WebSocket-Protocol", "janus-protocol".parse()?);
        let (socket, _) = tokio_tungstenite::connect_async(request).await.context("the relay refused")?;
        Ok(Self { socket, transactions: 0 })
    }

    /// Sends a request and returns Janus's (or the relay's) answer to it.
    async fn ask(&mut self, mut request: Value) -> anyhow::Result<Value> {
        self.transactions += 1;
        let transaction = format!("t{}", self.transactions);
        request["transaction"] = Value::from(transaction.as_str());
        self.socket.send(tungstenite::Message::text(request.to_string())).await?;
        loop {
            let message = tokio::time::timeout(WAIT, self.socket.next()).await?.context("closed")??;
            let answer: Value = serde_json::from_str(message.to_text()?)?;
            if answer["transaction"] == transaction.as_str() && answer["janus"] != "ack" {
                return Ok(answer);
            }
        }
    }

    /// A session with a video room handle; asks for another room, which the relay rewrites.
    async fn join(&mut self, ptype: &str) -> anyhow::Result<Value> {
        let session =
            self.ask(json!({"janus": "create"})).await?["data"]["id"].as_u64().context("session")?;
        let attach = json!({"janus": "attach", "plugin": "janus.plugin.videoroom", "session_id": session});
        let handle = self.ask(attach).await?["data"]["id"].as_u64().context("handle")?;
        let join = json!({"janus": "message", "session_id": session, "handle_id": handle,
            "body": {"request": "join", "ptype": ptype, "room": 1, "display": "kto inny"}});
        self.ask(join).await
    }
}

/// Opens the relay with `pass` and joins as a publisher; Janus's answer to the join.
async fn join_through_relay(office: &Office, call: &str, pass: &str) -> anyhow::Result<Value> {
    RelaySocket::open(office, call, pass).await?.join("publisher").await
}

/// Spends a personal link as a browser does: the POST gives a seat (a cookie) and sends the
/// browser to the call's page, which it loads with the cookie. The page and the seat.
async fn enter(office: &Office, link: &str) -> anyhow::Result<(String, String)> {
    let browser = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let spent = browser.post(link).send().await?;
    anyhow::ensure!(spent.status() == 303, "the link was refused: {}", spent.status());
    let cookie = spent.headers().get("set-cookie").context("a seat")?.to_str()?;
    anyhow::ensure!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let seat = cookie.split(';').next().and_then(|pair| pair.split_once('=')).context("a seat")?.1.to_owned();
    let location = spent.headers().get("location").context("where to")?.to_str()?;
    let call = location.strip_prefix("/rozmowa/").context("the call's page")?;
    Ok((call_page(office, call, Some(&seat)).await?, seat))
}

/// The call's page, as a browser with `seat` (or without one) loads it.
async fn call_page(office: &Office, call: &str, seat: Option<&str>) -> anyhow::Result<String> {
    let mut request = reqwest::Client::new().get(format!("{}/rozmowa/{call}", office.web_url));
    if let Some(seat) = seat {
        request = request.header("cookie", format!("szpon_rozmowa={seat}"));
    }
    Ok(request.send().await?.error_for_status()?.text().await?)
}

/// The pass in a call page.
fn pass_in(page: &str) -> anyhow::Result<String> {
    let rest = page.split("data-pass=\"").nth(1).context("a pass in the page")?;
    Ok(rest.split('"').next().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_starts_joins_and_ends_a_video_call() -> anyhow::Result<()> {
    let janus_dir = tempfile::tempdir()?;
    let janus = start_janus(janus_dir.path()).await?;
    let office = Office::start_with(szpon(), &calls_toml(&janus)).await?;
    let bot = office.bot_user_id.clone();
    let anna = office.user("kierowniczka").await?;
    let ewa = office.user("urzedniczka").await?;
    let outsider = office.user("ktos-obcy").await?;
    let room = anna.create_encrypted_group("Wydział Promocji", &[&bot, &ewa.user_id()]).await?;
    let room_ewa = ewa.accept_invite(room.room_id()).await?;
    anna.wait_for_member(&room, &bot).await?;
    // The bot may add widgets as a moderator, as a room's admin would set it up.
    room.update_power_levels(vec![(&bot, int!(50))]).await?;

    let started = anna.say(&room, &bot, "!wideo").await?;
    assert!(started.contains("zaczyna rozmowę wideo"), "{started}");
    assert!(started.contains("!dołącz"), "{started}");
    let call = call_id(&started)?;
    assert!(started.contains(&format!("{}/rozmowa/{call}", office.web_url)), "{started}");
    let janus_rooms = janus.rooms().open_rooms().await?;
    assert_eq!(janus_rooms.len(), 1, "one Janus room for the call");

    // Element's widget: a state event of type im.vector.modular.widgets, an m.custom page.
    let widget = wait_for_widget(&room, &call, true).await?;
    assert_eq!(widget["type"], "m.custom", "{widget}");
    assert!(
        widget["url"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("/rozmowa/{call}?widgetId=$matrix_widget_id")),
        "{widget}"
    );

    // The starter's own link: a GET shows a button, the POST spends it, once.
    let link = personal_link(&anna, &office).await?;
    let web = reqwest::Client::new();
    let page = web.get(&link).send().await?;
    assert_eq!(page.status(), 200);
    assert!(page.text().await?.contains("Dołącz do rozmowy"));
    let (entered, seat) = enter(&office, &link).await?;
    let pass = pass_in(&entered)?;
    let again = web.post(&link).send().await?;
    assert_eq!(again.status(), 403);
    assert!(again.text().await?.contains("został już użyty"));
    // A reload brings the person back, with a pass of their own; without the seat, no pass.
    let reloaded = call_page(&office, &call, Some(&seat)).await?;
    assert_ne!(pass_in(&reloaded)?, pass);
    assert!(pass_in(&call_page(&office, &call, None).await?).is_err(), "no seat, no pass");

    // The pass opens the relay once, into the call's own room, whatever room the page names.
    let joined = join_through_relay(&office, &call, &pass).await?;
    assert_eq!(joined["plugindata"]["data"]["videoroom"], "joined", "{joined}");
    assert_eq!(joined["plugindata"]["data"]["room"].as_u64(), Some(janus_rooms[0]), "{joined}");
    assert!(join_through_relay(&office, &call, &pass).await.is_err(), "a pass opens one relay");
    assert!(join_through_relay(&office, &call, "zmyslonaprzepustka12345").await.is_err());

    // Inside Element: an OpenID token admits a member and refuses anyone else.
    for (user, status) in [(&ewa, 200), (&outsider, 403)] {
        let token = openid_token(&office, user).await?;
        let answer =
            web.post(format!("{}/rozmowa/{call}/openid", office.web_url)).json(&token).send().await?;
        assert_eq!(answer.status(), status, "{}", user.user_id());
        let body: Value = answer.json().await?;
        if status == 403 {
            assert!(body["error"].as_str().unwrap_or_default().contains("Tylko członkowie pokoju"), "{body}");
        } else {
            let joined = join_through_relay(&office, &call, body["pass"].as_str().context("a pass")?).await?;
            assert_eq!(joined["plugindata"]["data"]["videoroom"], "joined", "{joined}");
        }
    }

    // Only the starter or a moderator ends the call.
    ewa.wait_for_messages(&room_ewa, &bot, anna.received_from(&room, &bot).len(), WAIT).await?;
    let refused = ewa.say(&room_ewa, &bot, "!zakoncz").await?;
    assert!(refused.contains("może zakończyć osoba, która ją zaczęła"), "{refused}");
    let seen_by_ewa = ewa.received_from(&room_ewa, &bot).len();
    anna.wait_for_messages(&room, &bot, seen_by_ewa, WAIT).await?;
    let ended = anna.say(&room, &bot, "!zakończ").await?;
    assert!(ended.starts_with("Rozmowę wideo zakończył(a)"), "{ended}");
    assert!(janus.rooms().open_rooms().await?.is_empty(), "the Janus room is destroyed");
    wait_for_widget(&room, &call, false).await?;
    let page = web.get(format!("{}/rozmowa/{call}", office.web_url)).send().await?;
    assert_eq!(page.status(), 410);

    // A call nobody joins ends by itself after the configured five minutes.
    anna.say(&room, &bot, "!wideo").await?;
    assert_eq!(janus.rooms().open_rooms().await?.len(), 1);
    office.advance_clock(Duration::from_secs(6 * 60))?;
    let before = anna.received_from(&room, &bot).len();
    let all = anna.wait_for_messages(&room, &bot, before + 1, Duration::from_secs(60)).await?;
    assert!(all[before].body.contains("nikogo w niej nie było"), "{}", all[before].body);
    assert!(janus.rooms().open_rooms().await?.is_empty(), "no Janus room outlives its call");
    Ok(())
}

/// The room's widget of `call` once it is there (`present`) or gone, as the client syncs it.
async fn wait_for_widget(room: &matrix_sdk::Room, call: &str, present: bool) -> anyhow::Result<Value> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let event = room
            .get_state_event(StateEventType::from("im.vector.modular.widgets"), &format!("szpon-call-{call}"))
            .await?;
        let content = event
            .and_then(|raw| match raw {
                matrix_sdk::deserialized_responses::RawAnySyncOrStrippedState::Sync(sync) => {
                    sync.get_field::<Value>("content").ok().flatten()
                }
                matrix_sdk::deserialized_responses::RawAnySyncOrStrippedState::Stripped(_) => None,
            })
            .unwrap_or(Value::Null);
        let has_widget = content.get("url").is_some();
        if has_widget == present {
            return Ok(content);
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the widget did not {}",
            if present { "appear" } else { "go" }
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Janus 1.1.2 gathers no loopback candidates and Chromium ignores loopback too, so the browser
/// test runs in a network namespace of its own (root, as CI runs) with a veth pair carrying a
/// private address: Synapse, szpon, Janus and Chromium all inside, and no test media ever on the
/// machine's own network.
const NAMESPACED: &str = "SZPON_E2E_IN_NETWORK_NAMESPACE";
const PRIVATE_ADDRESS: &str = "10.99.0.1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_browsers_see_each_other_in_a_call() -> anyhow::Result<()> {
    if std::env::var_os(NAMESPACED).is_none() {
        let status = tokio::process::Command::new("unshare")
            .arg("-n")
            .arg(std::env::current_exe()?)
            .args(["--exact", "calls::two_browsers_see_each_other_in_a_call", "--nocapture"])
            .env(NAMESPACED, "1")
            .status()
            .await
            .context("unshare -n (the browser test runs as root, as CI does)")?;
        anyhow::ensure!(status.success(), "the browser test in its network namespace failed");
        return Ok(());
    }
    for command in [
        "ip link set lo up",
        "ip link add veth0 type veth peer name veth1",
        &format!("ip addr add {PRIVATE_ADDRESS}/24 dev veth0"),
        "ip link set veth0 up",
        "ip link set veth1 up",
    ] {
        let status = tokio::process::Command::new("sh").args(["-c", command]).status().await?;
        anyhow::ensure!(status.success(), "{command}");
    }
    let janus_dir = tempfile::tempdir()?;
    let config = JanusConfig {
        ports: JanusPorts { http: free_port(), websockets: free_port() },
        api_secret: "e2e-api-secret".to_owned(),
        admin_key: "e2e-admin-key".to_owned(),
        ice_enforce_list: Some(PRIVATE_ADDRESS.to_owned()),
        stun_server: None,
        lib_dir: DEBIAN_LIB_DIR.into(),
    };
    let janus = RunningJanus::start(config, janus_dir.path()).await?;
    let office = Office::start_with(szpon(), &calls_toml(&janus)).await?;
    let bot = office.bot_user_id.clone();
    let anna = office.user("kierowniczka").await?;
    let ewa = office.user("urzedniczka").await?;
    ewa.set_display_name("Ewa Zielińska").await?;
    let room = anna.create_encrypted_group("Narada", &[&bot, &ewa.user_id()]).await?;
    let room_ewa = ewa.accept_invite(room.room_id()).await?;
    anna.wait_for_member(&room, &bot).await?;
    anna.say(&room, &bot, "!wideo").await?;
    let anna_link = personal_link(&anna, &office).await?;
    ewa.wait_for_messages(&room_ewa, &bot, 1, WAIT).await?;
    let sent = ewa.say(&room_ewa, &bot, "!dołącz").await?;
    assert!(sent.contains("na czacie prywatnym"), "{sent}");
    let ewa_link = personal_link(&ewa, &office).await?;

    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web/call.mjs");
    let output =
        tokio::process::Command::new("node").arg(script).arg(&anna_link).arg(&ewa_link).output().await?;
    anyhow::ensure!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let seen: Value = serde_json::from_slice(&output.stdout)?;
    let (before, after) = (&seen["before"], &seen["after"]);
    assert!(after["bytes"].as_u64() > before["bytes"].as_u64(), "video flows: {seen}");
    assert!(after["frames"].as_u64() > before["frames"].as_u64(), "frames are decoded: {seen}");
    assert!(before["frames"].as_u64() > Some(0), "{seen}");
    assert_eq!(seen["violations"], json!([]), "axe-core on the call page: {seen}");
    assert_eq!(seen["entry_violations"], json!([]), "axe-core on the link's page: {seen}");
    assert_eq!(seen["foreign"], json!([]), "everything is served by szpon: {seen}");
    assert_eq!(seen["second_visit"], 403, "{seen}");
    assert_eq!(seen["muted"], "true", "the microphone button shows it is off: {seen}");
    assert_eq!(seen["reloaded"], true, "a reload comes back into the call: {seen}");
    let janus_room = janus.rooms().open_rooms().await?;
    assert_eq!(janus.rooms().participants(janus_room[0]).await?, 0, "closing the page leaves the call");
    let ended = anna.say(&room, &bot, "!zakończ").await?;
    assert!(ended.starts_with("Rozmowę wideo zakończył(a)"), "{ended}");
    broadcast_in_browsers(&office, &anna, &ewa, &room, &room_ewa).await
}

/// A LIVE broadcast in the same two browsers: the presenter sends, the viewer (asked for no
/// camera, shown no microphone or camera button) decodes the presenter's video and sees the
/// viewer count.
async fn broadcast_in_browsers(
    office: &Office,
    presenter: &TestUser,
    viewer: &TestUser,
    room: &matrix_sdk::Room,
    viewer_room: &matrix_sdk::Room,
) -> anyhow::Result<()> {
    let bot = &office.bot_user_id;
    let scheduled = presenter.say(room, bot, "!wydarzenie jutro o 10 Nowe zasady naboru").await?;
    assert!(scheduled.starts_with("Wydarzenie LIVE nr 1"), "{scheduled}");
    let (now, start) = super::now_and_tomorrow_at_ten(office)?;
    let presenter_direct = direct_chat(presenter, room)?;
    let presenter_links = presenter.received_from(&presenter_direct, bot).len();
    office.advance_clock((start - now + chrono::Duration::seconds(2)).to_std()?)?;
    wait_for_message(presenter, room, bot, |m| m.body.starts_with("🔴 NA ŻYWO")).await?;
    let presenter_link = next_link(presenter, &presenter_direct, bot, presenter_links).await?;
    viewer.wait_for_messages(viewer_room, bot, presenter.received_from(room, bot).len(), WAIT).await?;
    let viewer_direct = direct_chat(viewer, viewer_room)?;
    let viewer_links = viewer.received_from(&viewer_direct, bot).len();
    viewer.say(viewer_room, bot, "!dołącz").await?;
    let viewer_link = next_link(viewer, &viewer_direct, bot, viewer_links).await?;

    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web/call.mjs");
    let output = tokio::process::Command::new("node")
        .arg(script)
        .arg(&presenter_link)
        .arg(&viewer_link)
        .arg("live")
        .output()
        .await?;
    anyhow::ensure!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let seen: Value = serde_json::from_slice(&output.stdout)?;
    let (before, after) = (&seen["before"], &seen["after"]);
    assert!(after["frames"].as_u64() > before["frames"].as_u64(), "the viewer decodes frames: {seen}");
    assert_eq!(seen["viewers_line"], "Oglądających: 1", "{seen}");
    assert_eq!(seen["viewer_buttons"], json!(["leave"]), "{seen}");
    assert_eq!(seen["viewer_local_video"], 0, "a viewer sends nothing: {seen}");
    assert_eq!(seen["violations"], json!([]), "axe-core on the viewer's page: {seen}");
    Ok(())
}

/// An online visit (the demo office's waste-fee declaration is one) gets its call as it starts:
/// the announcement in the citizen's chat with the bot, and a personal link for the clerk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_online_visit_gets_its_call_at_its_start() -> anyhow::Result<()> {
    let janus_dir = tempfile::tempdir()?;
    let janus = start_janus(janus_dir.path()).await?;
    let office =
        Office::start_configured(szpon(), &calls_toml(&janus), Some(szpon_bots::booking::DEMO_OFFICE))
            .await?;
    let bot = office.bot_user_id.clone();
    let clerk = office.user_named("wisniewska").await?;
    let citizen = office.user("obywatel").await?;
    let room = citizen.create_dm(&bot, true).await?;
    citizen.say(&room, &bot, "chcę umówić wizytę").await?;
    let offered = citizen.say(&room, &bot, "deklaracja smieciowa").await?;
    assert!(offered.starts_with("Deklaracja o opłacie za odpady — najbliższe wolne terminy:"), "{offered}");
    let booked = citizen.say(&room, &bot, "1").await?;
    assert!(booked.starts_with("Gotowe! Wizyta jest zarezerwowana."), "{booked}");
    let code = booked.split("Kod wizyty: ").nth(1).context("a code")?.chars().take(6).collect::<String>();

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let start: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT start_at FROM visits WHERE code = $1").bind(&code).fetch_one(&pool).await?,
        "start_at",
    )?;
    pool.close().await;
    let real = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    let now = (real + office.clock_offset()).as_millis() as i64;
    let before = citizen.received_from(&room, &bot).len();
    office.advance_clock(Duration::from_millis((start - now + 2000) as u64))?;

    let said = citizen.wait_for_messages(&room, &bot, before + 2, Duration::from_secs(60)).await?;
    let texts: Vec<&str> = said[before..].iter().map(|m| m.body.as_str()).collect();
    assert!(
        texts.iter().any(|t| t.starts_with(&format!("Zaczyna się Twoja wizyta online (kod {code})"))),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("/rozmowa/wejscie/")), "the citizen's own link: {texts:?}");
    let clerks_link = personal_link(&clerk, &office).await?;
    assert!(clerks_link.contains("/rozmowa/wejscie/"), "{clerks_link}");
    let (entered, _) = enter(&office, &clerks_link).await?;
    assert!(pass_in(&entered).is_ok(), "the clerk's link opens the call");
    assert_eq!(janus.rooms().open_rooms().await?.len(), 1);
    Ok(())
}

/// The first message from `from` in `room` (as `user` sees it) that `matches`, waiting for it.
pub(crate) async fn wait_for_message(
    user: &TestUser,
    room: &matrix_sdk::Room,
    from: &matrix_sdk::ruma::UserId,
    matches: impl Fn(&szpon_test_harness::Received) -> bool,
) -> anyhow::Result<szpon_test_harness::Received> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(found) = user.received_from(room, from).into_iter().find(|m| matches(m)) {
            return Ok(found);
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "no such message; got {:#?}",
            user.received_from(room, from).iter().map(|m| &m.body).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A LIVE event through the real Synapse and Janus: scheduled by the trainer, opened at its
/// start with an announcement that counts its viewers (edited as they come), viewers who may
/// watch but never send, and questions ordered by their upvotes (reactions).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_event_counts_its_viewers_and_puts_the_most_upvoted_question_first() -> anyhow::Result<()> {
    let janus_dir = tempfile::tempdir()?;
    let janus = start_janus(janus_dir.path()).await?;
    let office = Office::start_with(szpon(), &calls_toml(&janus)).await?;
    let bot = office.bot_user_id.clone();
    let trainer = office.user("trenerka").await?;
    let ewa = office.user("sluchaczka").await?;
    let piotr = office.user("sluchacz").await?;
    let room =
        trainer.create_encrypted_group("Szkolenie: nabór", &[&bot, &ewa.user_id(), &piotr.user_id()]).await?;
    let room_ewa = ewa.accept_invite(room.room_id()).await?;
    let room_piotr = piotr.accept_invite(room.room_id()).await?;
    trainer.wait_for_member(&room, &bot).await?;
    room.update_power_levels(vec![(&bot, int!(50))]).await?;

    let refused = ewa.say(&room_ewa, &bot, "!wydarzenie jutro o 10 Moje wydarzenie").await?;
    assert!(refused.contains("planują trenerzy, urzędnicy i moderatorzy"), "{refused}");
    trainer.wait_for_messages(&room, &bot, ewa.received_from(&room_ewa, &bot).len(), WAIT).await?;
    let scheduled = trainer.say(&room, &bot, "!wydarzenie jutro o 10 Nowe zasady naboru").await?;
    assert!(scheduled.starts_with("Wydarzenie LIVE nr 1 „Nowe zasady naboru”"), "{scheduled}");

    // To its start: the broadcast opens with its announcement, and the presenter's own link.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let start: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT starts_at FROM live_events WHERE number = 1").fetch_one(&pool).await?,
        "starts_at",
    )?;
    pool.close().await;
    let real = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;
    let now = (real + office.clock_offset()).as_millis() as i64;
    office.advance_clock(Duration::from_millis((start - now + 2000) as u64))?;
    let on_air = wait_for_message(&trainer, &room, &bot, |m| m.body.starts_with("🔴 NA ŻYWO")).await?;
    // IDs become display names on the way out (Synapse's default one is the localpart).
    assert!(on_air.body.contains("„Nowe zasady naboru”, prowadzi trenerka-"), "{}", on_air.body);
    assert!(on_air.body.contains("Oglądających teraz: 0."), "{}", on_air.body);
    let call = call_id(&on_air.body)?;
    let widget = wait_for_widget(&room, &call, true).await?;
    assert_eq!(widget["name"], "🔴 Nowe zasady naboru", "{widget}");
    assert_eq!(janus.rooms().open_rooms().await?.len(), 1);
    let web = reqwest::Client::new();
    let (presenting, _) = enter(&office, &personal_link(&trainer, &office).await?).await?;
    assert!(presenting.contains("data-sends-video=\"true\""), "the presenter sends video");

    // Two viewers, each with their own link: they may watch, never send.
    let mut viewers = Vec::new();
    for (viewer, viewer_room) in [(&ewa, &room_ewa), (&piotr, &room_piotr)] {
        viewer.wait_for_messages(viewer_room, &bot, 2, WAIT).await?;
        let sent = viewer.say(viewer_room, &bot, "!dołącz").await?;
        assert!(sent.contains("na czacie prywatnym"), "{sent}");
        let (page, _) = enter(&office, &personal_link(viewer, &office).await?).await?;
        assert!(page.contains("data-sends-video=\"false\"") && page.contains("data-live=\"true\""), "{page}");
        viewers.push(RelaySocket::open(&office, &call, &pass_in(&page)?).await?);
    }
    let refused = viewers[0].join("publisher").await?;
    assert_eq!(refused["janus"], "error", "{refused}");
    assert!(
        refused["error"]["reason"].as_str().unwrap_or_default().contains("only the presenter"),
        "{refused}"
    );
    assert_eq!(viewers[1].join("subscriber").await?["janus"], "event", "a viewer subscribes");

    // The announcement is edited to the count (szpon's sweep, every 15 s), and the page shows it.
    let counted = wait_for_message(&trainer, &room, &bot, |m| {
        m.replaces.as_ref() == Some(&on_air.event_id) && m.body.contains("Oglądających teraz: 2.")
    })
    .await?;
    assert!(counted.body.starts_with("* 🔴 NA ŻYWO"), "an edit of the announcement: {}", counted.body);
    let shown: Value =
        web.get(format!("{}/rozmowa/{call}/widzowie", office.web_url)).send().await?.json().await?;
    assert_eq!(shown["viewers"], 2, "{shown}");

    // Questions in the room, upvoted with reactions: the most upvoted first.
    piotr.send_text(&room_piotr, "Czy będzie nagranie?").await?;
    let noted = ewa.say(&room_ewa, &bot, "!pytanie Do kiedy trwa nabór?").await?;
    assert!(noted.starts_with("Pytanie zapisane."), "{noted}");
    let question = ewa.received_from(&room_ewa, &ewa.user_id());
    let question = question.last().context("Ewa's question, as her client has it")?;
    trainer.react(&room, &question.event_id, "👍").await?;
    piotr.react(&room_piotr, &question.event_id, "👍").await?;
    ewa.react(&room_ewa, &question.event_id, "👍").await?; // her own: no upvote
    trainer.wait_for_messages(&room, &bot, trainer.received_from(&room, &bot).len(), WAIT).await?;
    let listed = trainer.say(&room, &bot, "!pytania").await?;
    assert_eq!(
        listed,
        format!(
            "Pytania do wydarzenia nr 1 „Nowe zasady naboru” (2), od najczęściej popieranych:\n\
             1. Do kiedy trwa nabór? — {} · 2 głosy\n\
             2. Czy będzie nagranie? — {} · bez poparcia",
            ewa.user_id().localpart(),
            piotr.user_id().localpart()
        )
    );

    // The presenter ends it: no Janus room left, and the room hears how many watched.
    let ended = trainer.say(&room, &bot, "!zakończ").await?;
    assert!(ended.starts_with("Transmisja „Nowe zasady naboru” zakończona."), "{ended}");
    assert!(ended.contains("najwięcej oglądających naraz: 2"), "{ended}");
    assert!(janus.rooms().open_rooms().await?.is_empty());
    Ok(())
}
