//! `szpon run`: the office bot, its store and its web server, joined to the homeserver.

use std::{future::Future, sync::Arc, time::Duration};

use anyhow::Context;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use szpon_bots::{BotConfig, Clock, Lang, OfficeBot, booking::Office, message, message_with};
use szpon_homeserver_bridge::{Homeserver, MatrixBridge, MatrixBridgeConfig, RegistrationFile};
use tokio::sync::{mpsc, watch};

use crate::{
    config::Config,
    engine::Engine,
    metrics::Metrics,
    store::Store,
    supervision::{self, Heartbeats},
    web,
};

/// The real clock; the only place outside tests where szpon asks the system for the time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        #[allow(clippy::disallowed_methods)]
        Utc::now()
    }
}

/// The system clock shifted by a number of seconds read from a file, for end-to-end tests
/// that advance time (reminders) without waiting. Only the environment variable
/// `SZPON_TEST_CLOCK_OFFSET_FILE` turns it on; no configuration file can.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset_ms: std::sync::atomic::AtomicI64,
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = self.offset_ms.load(std::sync::atomic::Ordering::Relaxed);
        SystemClock.now() + chrono::Duration::milliseconds(offset)
    }
}

fn clock() -> Arc<dyn Clock> {
    let Some(path) = std::env::var_os("SZPON_TEST_CLOCK_OFFSET_FILE") else {
        return Arc::new(SystemClock);
    };
    tracing::warn!(path = ?path, "TEST CLOCK: the time is shifted by the seconds in this file");
    let clock = Arc::new(OffsetClock::default());
    let shifted = clock.clone();
    tokio::spawn(async move {
        loop {
            if let Ok(text) = tokio::fs::read_to_string(&path).await
                && let Ok(seconds) = text.trim().parse::<f64>()
            {
                shifted.offset_ms.store((seconds * 1000.0) as i64, std::sync::atomic::Ordering::Relaxed);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    clock
}

/// How long the sync may go without finishing a request: its long poll, its time-out, and room
/// for a slow answer.
const SYNC_SILENCE: Duration = Duration::from_secs(150);

/// Runs until `shutdown` completes, or until one of szpon's loops stops (an error: the process
/// then exits non-zero for its supervisor to restart it; see `supervision`).
pub async fn run(config: Config, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    supervision::install_panic_hook();
    // Before anything touches the state (the bot's device, its keys): one process per state.
    let _state_lock = crate::state_dir::lock(&config.store.state_dir)?;
    let store = Store::connect(&config.store.database_url)
        .await
        .with_context(|| format!("opening the database {}", redact_url(&config.store.database_url)))?;
    let registration = RegistrationFile::read(&config.appservice.registration)
        .context("reading the appservice registration (create it with `szpon registration`)")?;
    let bot_user_id = config.bot_user_id()?;
    let metrics = Metrics::new();
    let heartbeats = Heartbeats::default();
    let (ready_tx, ready_rx) = watch::channel(false);
    let outbox_ready = ready_rx.clone();
    let office = config.load_office()?.map(Arc::new);
    // Trained before the homeserver is reached, so that a mistake in the office's NLU data
    // stops szpon at once, naming the file and line.
    let nlu = Arc::new(crate::nlu::load(&config.nlu)?);
    let clock = clock();

    let web_state = Arc::new(web::WebState {
        metrics: metrics.clone(),
        store: store.clone(),
        homeserver_ready: ready_rx,
        hs_token: SecretString::from(registration.registration.hs_token.clone()),
        bot_user_id: bot_user_id.clone(),
        office: office.clone(),
        clock: clock.clone(),
        public_url: config.web.public_url.clone(),
        heartbeats: heartbeats.clone(),
        homeserver: std::sync::OnceLock::new(),
        calls: std::sync::OnceLock::new(),
    });
    let web_server = serve_web(config.web.listen, web_state.clone()).await?;

    let bridge_config = MatrixBridgeConfig {
        homeserver_url: config.homeserver.url.clone(),
        server_name: config.server_name(),
        bot_localpart: config.bot.localpart.clone(),
        display_name: config.bot.display_name.clone(),
        registration,
        state_dir: config.store.state_dir.clone(),
        store_passphrase: crate::key_store::passphrase(
            &config.store.state_dir,
            config.store.key_passphrase.as_ref(),
        )?,
    };

    let work = async {
        let bridge = Arc::new(connect_with_backoff(bridge_config).await?);
        let _ = web_state.homeserver.set(bridge.clone());
        let office = match office {
            Some(office) => {
                let office = with_department_rooms(bridge.as_ref(), &store, (*office).clone()).await;
                Some(Arc::new(with_support_room(bridge.as_ref(), &store, office).await))
            }
            None => None,
        };
        let office_name = office.as_ref().map_or(config.office.name.clone(), |o| o.office.name.clone());
        let bot = OfficeBot::new(
            BotConfig::new(bot_user_id, office_name)
                .with_nlu(nlu)
                .with_office(office.clone())
                .with_web_url(config.web.public_url.clone())
                .with_max_message_chars(config.bot.max_message_chars)
                .with_answers_per_window(config.bot.answers_per_half_minute)
                .with_allowed_servers(config.allowed_servers())
                .with_calls(config.calls.enabled()),
        );
        read_directory(bridge.as_ref(), &store, office.as_deref(), clock.now()).await?;
        let calls = crate::calls::from_config(&config, &store, clock.clone()).await;
        let engine =
            Engine::with_settings(store.clone(), bot, clock, metrics, heartbeats.clone(), &config.outbox);
        engine.schedule_standing_jobs().await.context("scheduling the daily jobs")?;
        if let Some(calls) = &calls {
            engine.set_calls(calls.clone());
            let _ = web_state.calls.set(calls.clone());
        }

        let (inputs_tx, inputs_rx) = mpsc::channel(1024);
        let sync_heartbeat = heartbeats.register("sync", SYNC_SILENCE);
        let beat = Box::new(move || sync_heartbeat.beat());
        let mut loops = vec![
            supervision::named("sync", bridge.clone().run(inputs_tx, ready_tx, beat)),
            supervision::named("inputs", engine.clone().run_inputs(inputs_rx, bridge.clone())),
            supervision::named("outbox", engine.clone().run_outbox(bridge, outbox_ready)),
            supervision::named("jobs", engine.clone().run_jobs()),
        ];
        loops.extend(calls.map(|calls| supervision::named("calls", calls.run_sweeps(heartbeats.clone()))));
        Err(supervision::supervise(loops).await)
    };
    let result = tokio::select! {
        result = work => result,
        () = web_server => Err(anyhow::anyhow!("the web server stopped; szpon exits so that it is restarted")),
        () = shutdown => {
            tracing::info!("shutting down");
            Ok(())
        }
    };
    store.close().await;
    result
}

/// Listens on `address`; the returned future serves until the server fails.
async fn serve_web(
    address: std::net::SocketAddr,
    state: Arc<web::WebState>,
) -> anyhow::Result<impl Future<Output = ()>> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("listening on web.listen = {address}"))?;
    tracing::info!(%address, "web server listening");
    // Small, awaited replies (health checks, appservice pushes) must not wait on Nagle.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    Ok(async move {
        // The client's address reaches the handlers: the certificate check is limited per client.
        let app = web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the web server stopped");
        }
    })
}

/// Reads the office's directory rooms' members into the course directory.
async fn read_directory(
    bridge: &MatrixBridge,
    store: &Store,
    office: Option<&Office>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let rooms =
        office.and_then(|o| o.courses.as_ref()).map(|c| c.directory_rooms.clone()).unwrap_or_default();
    let zone = office.map_or(chrono_tz::Europe::Warsaw, Office::time_zone);
    crate::courses::read_directory_rooms(bridge, &bridge.identity().user_id, store, &rooms, zone, now)
        .await
        .context("reading the directory rooms")
}

/// Gives every department a room for its clerks: the one the office file names, or one the
/// bot created earlier, or a new one. Clerks not yet in their room are invited; those who
/// cannot be (no account yet) are tried again at the next start.
async fn with_department_rooms(homeserver: &dyn Homeserver, store: &Store, mut office: Office) -> Office {
    let created = match store.department_rooms().await {
        Ok(rooms) => rooms,
        Err(error) => {
            tracing::error!(%error, "cannot read the departments' rooms");
            return office;
        }
    };
    let clerks = office.clerks.clone();
    for department in office.departments.iter_mut().filter(|d| d.room.is_none()) {
        let topic = message_with(
            Lang::Pl,
            "team-room-department-topic",
            &[("department", department.name.clone().into())],
        );
        let Some(room) =
            team_room(homeserver, store, &created, &department.id, &department.name, &topic).await
        else {
            continue;
        };
        let members: Vec<_> = clerks
            .iter()
            .filter(|c| c.departments.contains(&department.id))
            .map(|c| c.user_id.clone())
            .collect();
        for (person, reason) in homeserver.invite_missing(&room, &members).await {
            tracing::warn!(%person, %reason, department = %department.id, "could not invite a clerk to the department's room");
        }
        department.room = Some(room);
    }
    office
}

/// A team's room that the bot made earlier (recorded under `key`), or a new one.
async fn team_room(
    homeserver: &dyn Homeserver,
    store: &Store,
    created: &[(String, ruma::OwnedRoomId)],
    key: &str,
    name: &str,
    topic: &str,
) -> Option<ruma::OwnedRoomId> {
    if let Some((_, room)) = created.iter().find(|(k, _)| k == key) {
        return Some(room.clone());
    }
    let room = match homeserver.create_team_room(name, topic).await {
        Ok(room) => room,
        Err(error) => {
            tracing::warn!(%error, team = key, "could not create the team's room");
            return None;
        }
    };
    if let Err(error) = store.save_department_room(key, &room).await {
        tracing::error!(%error, team = key, "could not record the team's room");
    }
    tracing::info!(team = key, %room, "created the team's room");
    Some(room)
}

/// The key of the support team's room among the team rooms the bot made; department ids
/// cannot start with "@", so it cannot clash with one.
const SUPPORT_ROOM_KEY: &str = "@helpdesk";

/// Gives the helpdesk its team room, as departments get theirs, with every agent invited.
async fn with_support_room(homeserver: &dyn Homeserver, store: &Store, mut office: Office) -> Office {
    let Some(helpdesk) = office.helpdesk.as_mut() else { return office };
    let room = match &helpdesk.room {
        Some(room) => room.clone(),
        None => {
            let created = store.department_rooms().await.unwrap_or_default();
            let (name, topic) =
                (message(Lang::Pl, "team-room-support-name"), message(Lang::Pl, "team-room-support-topic"));
            match team_room(homeserver, store, &created, SUPPORT_ROOM_KEY, &name, &topic).await {
                Some(room) => room,
                None => return office,
            }
        }
    };
    let agents: Vec<_> = helpdesk.agents.iter().map(|a| a.user_id.clone()).collect();
    for (person, reason) in homeserver.invite_missing(&room, &agents).await {
        tracing::warn!(%person, %reason, "could not invite an agent to the support team's room");
    }
    helpdesk.room = Some(room);
    office
}

/// Keeps trying to reach the homeserver at start-up: an office server may boot before it.
async fn connect_with_backoff(config: MatrixBridgeConfig) -> anyhow::Result<MatrixBridge> {
    let mut delay = Duration::from_millis(500);
    loop {
        match MatrixBridge::connect(config.clone()).await {
            Ok(bridge) => return Ok(bridge),
            Err(error @ szpon_homeserver_bridge::BridgeError::Unreachable { .. }) => {
                tracing::warn!(%error, retry_in = ?delay, "homeserver not reachable yet");
                tokio::time::sleep(delay).await;
                delay = (delay * 2).min(Duration::from_secs(30));
            }
            Err(error) => return Err(error).context("connecting the bot to the homeserver"),
        }
    }
}

/// A database URL without its password, for messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests;
