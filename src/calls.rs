//! Video calls at the edge: what a [`CallAction`] does with Janus, the store and the homeserver,
//! the single-use links, and the sweep that ends empty calls and destroys leftover Janus rooms.
//!
//! The decisions (who may start, join or end a call) are the bot's (`szpon_bots::calls`); this
//! module only carries them out. Every Janus room szpon opens is in the store first-hand, with
//! its secret, so that szpon can always destroy it: Janus never destroys a room by itself.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::{Rng, distr::Alphanumeric};
use ruma::{RoomId, UserId};
use szpon_bots::{
    Action, Clock, Lang, Widget,
    calls::{self, CallAction},
};
use szpon_homeserver_bridge::{Homeserver, HomeserverError};
use szpon_media::{RoomSpec, VideoRooms, relay::Presence};

use crate::store::{
    Store, StoreError,
    calls::{Broadcast, StoredCall},
};

/// How a call page reaches Janus: the relay's target.
#[derive(Clone)]
pub struct RelayTarget {
    pub websocket_url: String,
    pub api_secret: Option<String>,
}

/// The settings of calls.
#[derive(Clone)]
pub struct CallSettings {
    /// szpon's public address, for links.
    pub public_url: String,
    /// How long a personal link works.
    pub link_minutes: i64,
    /// How long a call may stand empty before it is ended.
    pub empty_minutes: i64,
    /// How many people may send video at once in a call.
    pub publishers: u32,
    /// STUN servers for the call page's browsers.
    pub ice_servers: Vec<String>,
    /// TURN servers, whose short-lived credentials a page gets with its pass.
    pub turn: Option<turn::Turn>,
}

/// What a call page gets once its holder is known: a pass for the relay, whether they send
/// video, and the ICE servers with TURN credentials.
pub struct Entry {
    pub pass: String,
    pub sends_video: bool,
    /// `RTCPeerConnection`'s `iceServers`, as JSON.
    pub ice_servers: String,
}

/// A pass a call page holds for a minute, to open its relay: the page gets it after a link was
/// spent or an OpenID token checked. Kept in memory only: it lives a minute.
struct Pass {
    call_id: String,
    user: ruma::OwnedUserId,
    expires_at: DateTime<Utc>,
}

const PASS_SECONDS: i64 = 60;
/// How long a seat (the cookie of a spent link) brings its holder back to a call that lasts.
pub const SEAT_HOURS: i64 = 12;
/// How often empty calls and leftover Janus rooms are looked for.
pub const SWEEP_EVERY: Duration = Duration::from_secs(15);

/// The office's calls, if its configuration names a Janus; its rooms reconciled with the store.
pub async fn from_config(
    config: &crate::config::Config,
    store: &Store,
    clock: Arc<dyn Clock>,
) -> Option<Arc<Calls>> {
    let public_url = &config.web.public_url;
    let openid = szpon_homeserver_bridge::OpenIdVerifier::new(&config.homeserver.url, config.server_name());
    let config = &config.calls;
    use secrecy::ExposeSecret;
    let janus_url = config.janus_url.clone()?;
    let api_secret = config.api_secret.as_ref().map(|s| s.expose_secret().to_owned());
    let admin_key = config.admin_key.as_ref().map(|s| s.expose_secret().to_owned()).unwrap_or_default();
    let rooms = Arc::new(szpon_media::Janus::new(janus_url, api_secret.clone(), admin_key));
    let settings = CallSettings {
        public_url: public_url.trim_end_matches('/').to_owned(),
        link_minutes: config.link_minutes,
        empty_minutes: config.empty_minutes,
        publishers: config.publishers,
        ice_servers: config.ice_servers.clone(),
        turn: config.turn_secret.clone().filter(|_| !config.turn_servers.is_empty()).map(|secret| {
            turn::Turn {
                servers: config.turn_servers.clone(),
                secret,
                lifetime: chrono::Duration::minutes(config.turn_minutes),
            }
        }),
    };
    let relay =
        RelayTarget { websocket_url: config.janus_websocket_url.clone().unwrap_or_default(), api_secret };
    let calls = Calls::new(rooms, store.clone(), clock, settings, relay, openid);
    if let Err(error) = calls.reconcile().await {
        tracing::error!(%error, "the calls' Janus rooms could not be reconciled");
    }
    Some(calls)
}

pub struct Calls {
    rooms: Arc<dyn VideoRooms>,
    store: Store,
    clock: Arc<dyn Clock>,
    settings: CallSettings,
    pub relay: RelayTarget,
    pub presence: Presence,
    /// Checks the OpenID tokens Element gives a call's widget.
    pub openid: szpon_homeserver_bridge::OpenIdVerifier,
    passes: Mutex<Vec<(String, Pass)>>,
}

impl Calls {
    pub fn new(
        rooms: Arc<dyn VideoRooms>,
        store: Store,
        clock: Arc<dyn Clock>,
        settings: CallSettings,
        relay: RelayTarget,
        openid: szpon_homeserver_bridge::OpenIdVerifier,
    ) -> Arc<Self> {
        Arc::new(Self {
            rooms,
            store,
            clock,
            settings,
            relay,
            openid,
            presence: Presence::default(),
            passes: Mutex::new(Vec::new()),
        })
    }

    /// Carries out a call decision. Janus being down is said to the room, not retried: a call
    /// started an hour late is no call. `txn_id` is the action's, for what it posts itself.
    pub async fn deliver(
        &self,
        homeserver: &dyn Homeserver,
        room: &RoomId,
        call: &CallAction,
        txn_id: &str,
    ) -> Result<Result<(), HomeserverError>, StoreError> {
        match call {
            CallAction::Start { by, lang, visit } => match self.store.active_call(room).await? {
                Some(active) => self.send_link(&active, by, *lang).await,
                None => {
                    self.start(homeserver, room, by, *lang, Opening::Call { visit: visit.as_deref() }).await
                }
            },
            CallAction::Live { presenter, title, lang } => match self.store.active_call(room).await? {
                Some(active) if active.live.is_some() => self.send_link(&active, presenter, *lang).await,
                // A call of the room's is under way: the broadcast is held in it, said so.
                Some(active) => {
                    self.say(room, szpon_bots::live::in_call_under_way(*lang, title)).await?;
                    self.send_link(&active, presenter, *lang).await
                }
                None => self.start(homeserver, room, presenter, *lang, Opening::Live { title }).await,
            },
            CallAction::Ticket { user, lang, quiet } => match self.store.active_call(room).await? {
                Some(active) => self.send_link(&active, user, *lang).await,
                None if *quiet => Ok(()),
                None => self.say(room, calls::no_call(*lang)).await,
            },
            CallAction::End { by, lang } => match self.store.active_call(room).await? {
                Some(active) => self.end(&active, by.as_deref(), *lang).await,
                None => Ok(()),
            },
            CallAction::Viewers { call_id, viewers } => {
                return self.show_viewers(homeserver, call_id, *viewers, txn_id).await;
            }
        }
        .map(|()| Ok(()))
    }

    async fn start(
        &self,
        homeserver: &dyn Homeserver,
        room: &RoomId,
        by: &UserId,
        lang: Lang,
        opening: Opening<'_>,
    ) -> Result<(), StoreError> {
        let live = match opening {
            Opening::Live { title } => Some(Broadcast {
                presenter: by.to_owned(),
                title: title.to_owned(),
                status_event: None,
                // The announcement is posted showing no viewers.
                viewers_shown: Some(0),
                viewers_most: 0,
            }),
            Opening::Call { .. } => None,
        };
        let spec = RoomSpec {
            number: rand::rng().random_range(1..(1u64 << 53)),
            pin: random_secret(24),
            secret: random_secret(32),
            // A broadcast has one sender: its presenter.
            publishers: if live.is_some() { 1 } else { self.settings.publishers },
        };
        if let Err(error) = self.rooms.open(&spec).await {
            tracing::error!(%error, %room, "the video gateway could not open a room");
            return self.say(room, calls::unavailable(lang)).await;
        }
        let now = self.clock.now();
        let call = StoredCall {
            id: random_secret(16),
            room_id: room.to_owned(),
            janus_room: spec.number,
            pin: spec.pin,
            secret: spec.secret,
            lang,
            started_by: by.to_owned(),
            started_at: now,
            last_occupied_at: now,
            ended_at: None,
            live,
        };
        if !self.store.record_call(&call).await? {
            // Another start won the race: this room goes, the person gets a link to that call.
            self.close_janus_room(&call).await;
            return match self.store.active_call(room).await? {
                Some(active) => self.send_link(&active, by, lang).await,
                None => Ok(()),
            };
        }
        let widget = homeserver.can_add_widget(room).await.unwrap_or(false);
        let page = self.page_url(&call.id);
        let mut actions = Vec::new();
        if widget {
            actions.push(Action::SetWidget {
                room_id: room.to_owned(),
                widget_id: widget_id(&call.id),
                widget: Some(call_widget(&page, lang, call.live.as_ref())),
            });
        }
        actions.push(match opening {
            // The broadcast's announcement is posted so that it can be edited with the count.
            Opening::Live { .. } => Action::Call {
                room_id: room.to_owned(),
                call: CallAction::Viewers { call_id: call.id.clone(), viewers: 0 },
            },
            Opening::Call { visit } => Action::SendNotice {
                room_id: room.to_owned(),
                notice: match visit {
                    Some(code) => calls::visit_announcement(lang, code, &page, widget),
                    None => calls::announcement(lang, by, &page, widget),
                },
            },
        });
        actions.push(self.link_for(&call, by, lang).await?);
        self.store.apply_outcome(&[], &actions, now).await
    }

    /// Posts the broadcast's announcement with its viewer count, or edits it to the new count;
    /// once the broadcast ended, edits it to say so.
    async fn show_viewers(
        &self,
        homeserver: &dyn Homeserver,
        call_id: &str,
        viewers: i64,
        txn_id: &str,
    ) -> Result<Result<(), HomeserverError>, StoreError> {
        let Some(call) = self.store.call(call_id).await? else { return Ok(Ok(())) };
        let Some(live) = &call.live else { return Ok(Ok(())) };
        let notice = match call.ended_at {
            Some(ended) => {
                let Some(_) = &live.status_event else { return Ok(Ok(())) };
                let minutes = (ended - call.started_at).num_minutes().max(1);
                szpon_bots::live::off_air(call.lang, &live.title, minutes, live.viewers_most)
            }
            None => {
                let widget = homeserver.can_add_widget(&call.room_id).await.unwrap_or(false);
                let page = self.page_url(&call.id);
                szpon_bots::live::on_air(call.lang, &live.title, &live.presenter, &page, viewers, widget)
            }
        };
        let posted =
            homeserver.post_notice(&call.room_id, &notice, live.status_event.as_deref(), txn_id).await;
        match posted {
            Ok(event) if live.status_event.is_none() => {
                self.store.broadcast_announced(&call.id, &event).await?;
                Ok(Ok(()))
            }
            Ok(_) => Ok(Ok(())),
            Err(error) => Ok(Err(error)),
        }
    }

    /// Sends `user` their own single-use link to `call`, in their direct chat.
    async fn send_link(&self, call: &StoredCall, user: &UserId, lang: Lang) -> Result<(), StoreError> {
        let action = self.link_for(call, user, lang).await?;
        self.store.apply_outcome(&[], &[action], self.clock.now()).await
    }

    async fn link_for(&self, call: &StoredCall, user: &UserId, lang: Lang) -> Result<Action, StoreError> {
        let token = random_secret(32);
        let expires = self.clock.now() + chrono::Duration::minutes(self.settings.link_minutes);
        self.store.add_call_ticket(&token, &call.id, user, expires).await?;
        let link = format!("{}/rozmowa/wejscie/{token}", self.settings.public_url);
        let message = szpon_bots::learning::DirectMessage::Notice(calls::personal_link(
            lang,
            &link,
            self.settings.link_minutes,
        ));
        Ok(Action::Direct { user_id: user.to_owned(), message })
    }

    /// Ends a call: the store first (so that no one is let in any more), then Janus's room, the
    /// widget and the room's notice.
    async fn end(&self, call: &StoredCall, by: Option<&UserId>, lang: Lang) -> Result<(), StoreError> {
        let now = self.clock.now();
        if !self.store.end_call(&call.id, by, now).await? {
            return Ok(());
        }
        if self.close_janus_room(call).await {
            self.store.call_closed(&call.id, now).await?;
        }
        let minutes = (now - call.started_at).num_minutes().max(1);
        let room_id = call.room_id.clone();
        let mut actions = vec![Action::SetWidget {
            room_id: room_id.clone(),
            widget_id: widget_id(&call.id),
            widget: None,
        }];
        match &call.live {
            Some(live) => {
                // The room hears that it ended, then the announcement stops saying "on air".
                let most = self
                    .store
                    .call(&call.id)
                    .await?
                    .and_then(|c| c.live)
                    .map_or(live.viewers_most, |l| l.viewers_most);
                let notice = szpon_bots::live::off_air(lang, &live.title, minutes, most);
                actions.push(Action::SendNotice { room_id: room_id.clone(), notice });
                let viewers = CallAction::Viewers { call_id: call.id.clone(), viewers: 0 };
                actions.push(Action::Call { room_id, call: viewers });
            }
            None => actions.push(Action::SendNotice { room_id, notice: calls::ended(lang, by, minutes) }),
        }
        self.store.apply_outcome(&[], &actions, now).await
    }

    async fn close_janus_room(&self, call: &StoredCall) -> bool {
        match self.rooms.close(call.janus_room, &call.secret).await {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(%error, call = %call.id, "the call's Janus room will be destroyed later");
                false
            }
        }
    }

    async fn say(&self, room: &RoomId, notice: szpon_bots::Notice) -> Result<(), StoreError> {
        let action = Action::SendNotice { room_id: room.to_owned(), notice };
        self.store.apply_outcome(&[], &[action], self.clock.now()).await
    }

    /// Ends calls that stood empty too long, and destroys the Janus rooms of ended calls that
    /// are still there (Janus was down when they ended).
    pub async fn sweep(&self) -> Result<(), StoreError> {
        let now = self.clock.now();
        for call in self.store.active_calls().await? {
            let in_janus = self.rooms.participants(call.janus_room).await.unwrap_or(0);
            if call.live.is_some() {
                self.count_viewers(&call, now).await?;
            }
            if self.presence.count(call.janus_room) + in_janus > 0 {
                self.store.call_occupied(&call.id, now).await?;
            } else if now - call.last_occupied_at >= chrono::Duration::minutes(self.settings.empty_minutes) {
                self.end(&call, None, call.lang).await?;
            }
        }
        for call in self.store.calls_to_close().await? {
            if self.close_janus_room(&call).await {
                self.store.call_closed(&call.id, now).await?;
            }
        }
        Ok(())
    }

    /// Shows a broadcast's viewer count in its announcement, where it changed since.
    async fn count_viewers(&self, call: &StoredCall, now: DateTime<Utc>) -> Result<(), StoreError> {
        let viewers = i64::try_from(self.presence.viewers(call.janus_room)).unwrap_or(i64::MAX);
        if !self.store.show_viewers(&call.id, viewers).await? {
            return Ok(());
        }
        let action = Action::Call {
            room_id: call.room_id.clone(),
            call: CallAction::Viewers { call_id: call.id.clone(), viewers },
        };
        self.store.apply_outcome(&[], &[action], now).await
    }

    /// At start-up: Janus rooms of szpon's that no call under way owns are destroyed (with the
    /// secret the store has); calls under way whose Janus room is gone (Janus restarted) end.
    pub async fn reconcile(&self) -> Result<(), StoreError> {
        let Ok(open) = self.rooms.open_rooms().await else {
            tracing::warn!("the video gateway is unreachable; its rooms are reconciled at the next start");
            return Ok(());
        };
        for number in &open {
            match self.store.call_of_janus_room(*number).await? {
                Some(call) if call.ended_at.is_none() => {}
                Some(call) => {
                    if self.close_janus_room(&call).await {
                        self.store.call_closed(&call.id, self.clock.now()).await?;
                    }
                }
                None => tracing::warn!(room = number, "a Janus room szpon has no record of is left alone"),
            }
        }
        for call in self.store.active_calls().await? {
            if !open.contains(&call.janus_room) {
                tracing::warn!(call = %call.id, "the call's Janus room is gone (Janus restarted): the call ends");
                self.end(&call, None, call.lang).await?;
            }
        }
        Ok(())
    }

    /// Sweeps every [`SWEEP_EVERY`], beating `heartbeats`' "calls"; a database outage waits.
    pub async fn run_sweeps(self: Arc<Self>, heartbeats: crate::supervision::Heartbeats) {
        let heartbeat = heartbeats.register("calls", SWEEP_EVERY * 5);
        loop {
            heartbeat.beat();
            if let Err(error) = self.sweep().await {
                tracing::error!(%error, "calls could not be swept; trying again");
            }
            tokio::time::sleep(SWEEP_EVERY).await;
        }
    }

    /// Whether Janus answers, for the health check.
    pub async fn gateway_answers(&self) -> bool {
        self.rooms.open_rooms().await.is_ok()
    }

    /// Spends a person's link: their call and a seat in it (for a cookie that brings them back
    /// after a reload), if the link is good.
    pub async fn redeem_link(&self, token: &str) -> Result<Option<(StoredCall, String)>, StoreError> {
        let Some((call, user)) = self.store.redeem_call_ticket(token, self.clock.now()).await? else {
            return Ok(None);
        };
        let seat = random_secret(32);
        let expires = self.clock.now() + chrono::Duration::hours(SEAT_HOURS);
        self.store.add_call_seat(&seat, &call.id, &user, expires).await?;
        Ok(Some((call, seat)))
    }

    /// The page's entry for the holder of a seat in `call_id`, while the call lasts.
    pub async fn seated(&self, call_id: &str, seat: &str) -> Result<Option<(StoredCall, Entry)>, StoreError> {
        let Some((call, user)) = self.store.call_seat(seat, call_id, self.clock.now()).await? else {
            return Ok(None);
        };
        let entry = self.entry(&call, &user);
        Ok(Some((call, entry)))
    }

    /// A pass for `user` to `call`'s page, whether they send video there, and TURN credentials.
    pub fn entry(&self, call: &StoredCall, user: &UserId) -> Entry {
        Entry {
            pass: self.issue_pass(&call.id, user),
            sends_video: call.may_send_video(user),
            ice_servers: self.ice_servers(Some(&call.id)).to_string(),
        }
    }

    /// How many watch a broadcast now.
    pub fn viewers(&self, call: &StoredCall) -> usize {
        self.presence.viewers(call.janus_room)
    }

    /// A pass for `user` to `call_id`'s page, good once within a minute.
    pub fn issue_pass(&self, call_id: &str, user: &UserId) -> String {
        let secret = random_secret(32);
        let now = self.clock.now();
        let mut passes = self.passes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        passes.retain(|(_, pass)| pass.expires_at > now);
        let pass = Pass {
            call_id: call_id.to_owned(),
            user: user.to_owned(),
            expires_at: now + chrono::Duration::seconds(PASS_SECONDS),
        };
        passes.push((secret.clone(), pass));
        secret
    }

    /// Spends a pass: the person it was issued to, if it is for `call_id` and still good.
    pub fn take_pass(&self, call_id: &str, secret: &str) -> Option<ruma::OwnedUserId> {
        let now = self.clock.now();
        let mut passes = self.passes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let index = passes.iter().position(|(s, pass)| {
            s.len() == secret.len()
                && crate::web::constant_time_eq(s.as_bytes(), secret.as_bytes())
                && pass.call_id == call_id
        })?;
        let (_, pass) = passes.swap_remove(index);
        (pass.expires_at > now).then_some(pass.user)
    }

    /// The browsers' ICE servers, as `RTCPeerConnection` takes them: the STUN servers, and for
    /// the holder of a pass to `call_id` the TURN servers with credentials of their own.
    pub fn ice_servers(&self, call_id: Option<&str>) -> serde_json::Value {
        let mut list = Vec::new();
        if !self.settings.ice_servers.is_empty() {
            list.push(serde_json::json!({ "urls": self.settings.ice_servers }));
        }
        if let (Some(turn), Some(call_id)) = (&self.settings.turn, call_id) {
            list.push(turn.ice_server(&format!("szpon-{call_id}"), self.clock.now()));
        }
        serde_json::Value::Array(list)
    }

    pub fn page_url(&self, call_id: &str) -> String {
        format!("{}/rozmowa/{call_id}", self.settings.public_url)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// Writes a Janus config with fresh secrets into `dir`, and beside it `szpon-calls.toml`, the
/// `[calls]` section that reaches it; returns that file's path. Both are readable by their owner
/// only: they hold Janus's API secret and admin key.
pub fn write_janus_config(
    dir: &std::path::Path,
    ice: Option<String>,
    stun: Option<String>,
    http: u16,
    websockets: u16,
) -> anyhow::Result<std::path::PathBuf> {
    use anyhow::Context;
    let config = szpon_media::JanusConfig {
        ports: szpon_media::JanusPorts { http, websockets },
        api_secret: random_secret(32),
        admin_key: random_secret(32),
        ice_enforce_list: ice,
        stun_server: stun,
        lib_dir: szpon_media::DEBIAN_LIB_DIR.into(),
    };
    config.write(dir).with_context(|| format!("writing Janus's config into {}", dir.display()))?;
    let section = format!(
        "[calls]\njanus_url = \"{}\"\njanus_websocket_url = \"{}\"\napi_secret = \"{}\"\nadmin_key = \"{}\"\n",
        config.http_url(),
        config.websocket_url(),
        config.api_secret,
        config.admin_key,
    );
    let path = dir.join("szpon-calls.toml");
    let mut file = std::fs::OpenOptions::new();
    std::os::unix::fs::OpenOptionsExt::mode(file.create(true).write(true).truncate(true), 0o600);
    std::io::Write::write_all(&mut file.open(&path)?, section.as_bytes())?;
    Ok(path)
}

fn widget_id(call_id: &str) -> String {
    format!("szpon-call-{call_id}")
}

/// The widget Element shows beside the room: the call page, told it is inside a widget.
fn call_widget(page: &str, lang: Lang, live: Option<&Broadcast>) -> Widget {
    let name = match live {
        Some(live) => format!("🔴 {}", live.title),
        None => calls::widget_name(lang),
    };
    let mut data = serde_json::Map::new();
    data.insert("title".to_owned(), serde_json::Value::from(name.clone()));
    Widget {
        kind: "m.custom".to_owned(),
        url: format!("{page}?widgetId=$matrix_widget_id&userId=$matrix_user_id"),
        name,
        data,
    }
}

/// What a call opens as: a call of the room's (for an online visit, maybe), or a broadcast.
#[derive(Clone, Copy)]
enum Opening<'a> {
    Call { visit: Option<&'a str> },
    Live { title: &'a str },
}

fn random_secret(length: usize) -> String {
    rand::rng().sample_iter(&Alphanumeric).take(length).map(char::from).collect()
}

#[cfg(test)]
mod tests;
pub mod turn;
