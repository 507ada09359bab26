//! The bot's Matrix client: an appservice-namespaced user with its own E2EE device, synced
//! with matrix-sdk so that it reads and writes in encrypted rooms.

use std::{path::PathBuf, sync::Arc, time::Duration};

use matrix_sdk::{
    Client, Room, SessionMeta, SessionTokens,
    attachment::AttachmentConfig,
    authentication::matrix::MatrixSession,
    config::{RequestConfig, SyncSettings},
    event_handler::RawEvent,
};
use rand::Rng;
use ruma::{
    OwnedDeviceId, OwnedRoomId, OwnedServerName, OwnedTransactionId, OwnedUserId, RoomId, UserId,
    api::client::{membership::leave_room, room::create_room},
    events::Mentions,
    events::{
        InitialStateEvent,
        poll::{
            response::OriginalSyncPollResponseEvent,
            unstable_end::UnstablePollEndEventContent,
            unstable_response::OriginalSyncUnstablePollResponseEvent,
            unstable_start::{
                NewUnstablePollStartEventContent, UnstablePollAnswer, UnstablePollAnswers,
                UnstablePollStartContentBlock,
            },
        },
        reaction::OriginalSyncReactionEvent,
        room::{
            ImageInfo, MediaSource,
            encrypted::OriginalSyncRoomEncryptedEvent,
            encryption::RoomEncryptionEventContent,
            member::MembershipState,
            member::{OriginalSyncRoomMemberEvent, StrippedRoomMemberEvent},
            message::{
                FileInfo, FileMessageEventContent, ImageMessageEventContent, MessageType,
                OriginalSyncRoomMessageEvent, RoomMessageEventContent,
            },
            redaction::OriginalSyncRoomRedactionEvent,
        },
        sticker::OriginalSyncStickerEvent,
    },
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use szpon_bots::{Action, Input, Invite, MessageContent, PollChoice, PollVote, Reaction, Redaction};
use tokio::sync::{mpsc, watch};

use crate::{
    BridgeError, Homeserver, HomeserverError, Media, RegistrationFile,
    appservice::AppserviceClient,
    events,
    identity_proxy::IdentityProxy,
    names,
    registration::write_secret_file,
    sync_point::{Inbound, Inbox, SyncPoint},
};

const LONG_POLL: Duration = Duration::from_secs(30);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// How long a display name is trusted before it is looked up again.
const NAME_KEPT: Duration = Duration::from_secs(600);
/// How long a send waits for someone's profile; without it, the ID is shown.
const NAME_WAIT: Duration = Duration::from_secs(2);
/// How long opening a direct chat waits for the new room to come down the sync.
const ROOM_ECHO_WAIT: Duration = Duration::from_secs(10);

/// What the bridge needs to connect the bot.
#[derive(Debug, Clone)]
pub struct MatrixBridgeConfig {
    pub homeserver_url: String,
    pub server_name: OwnedServerName,
    pub bot_localpart: String,
    pub display_name: String,
    pub registration: RegistrationFile,
    /// Where the matrix-sdk state and crypto stores and the bot's identity are kept.
    pub state_dir: PathBuf,
    /// Encrypts the crypto store at rest when set.
    pub store_passphrase: Option<SecretString>,
}

/// The bot's user and device, kept so that every start uses the same E2EE device: a new
/// device per start would leave stale devices that keep receiving room keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotIdentity {
    pub user_id: OwnedUserId,
    pub device_id: OwnedDeviceId,
}

impl BotIdentity {
    fn path(state_dir: &std::path::Path) -> PathBuf {
        state_dir.join("bot-identity.json")
    }

    /// The stored identity, or a new one (and `true`) on the very first start.
    fn load_or_create(
        state_dir: &std::path::Path,
        user_id: OwnedUserId,
    ) -> Result<(Self, bool), BridgeError> {
        let path = Self::path(state_dir);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let identity: Self = serde_json::from_slice(&bytes)
                    .map_err(|e| BridgeError::BadFile { path: path.clone(), reason: e.to_string() })?;
                if identity.user_id != user_id {
                    return Err(BridgeError::BadFile {
                        path,
                        reason: format!("it belongs to {}, but the bot is now {user_id}", identity.user_id),
                    });
                }
                Ok((identity, false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
                let mut rng = rand::rng();
                let suffix: String =
                    (0..10).map(|_| LETTERS[rng.random_range(0..LETTERS.len())] as char).collect();
                let identity = Self { user_id, device_id: format!("SZPON{suffix}").into() };
                let json = serde_json::to_vec_pretty(&identity).expect("identity serialises");
                write_secret_file(&path, &json)?;
                Ok((identity, true))
            }
            Err(source) => Err(BridgeError::File { path, source }),
        }
    }
}

/// The connected bot. It is the [`Homeserver`] the rest of szpon performs actions on.
pub struct MatrixBridge {
    client: Client,
    identity: BotIdentity,
    first_start: bool,
    /// Where the committed sync point is kept.
    state_dir: PathBuf,
    _proxy: IdentityProxy,
    /// Files that many rooms get, uploaded once: by their hash and whether encrypted.
    uploads: std::sync::Mutex<std::collections::HashMap<(String, bool), MediaSource>>,
    /// Display names looked up lately, and when (`None`: the person has none, or was not found).
    names: std::sync::Mutex<std::collections::HashMap<OwnedUserId, (Option<String>, std::time::Instant)>>,
}

impl MatrixBridge {
    /// Registers the bot user and device if needed, and opens its stores.
    pub async fn connect(config: MatrixBridgeConfig) -> Result<Self, BridgeError> {
        let as_token = SecretString::from(config.registration.registration.as_token.clone());
        let appservice = AppserviceClient::new(&config.homeserver_url, as_token.clone());
        let user_id = UserId::parse(format!("@{}:{}", config.bot_localpart, config.server_name))
            .map_err(|e| BridgeError::Request { what: "the bot's user ID", reason: e.to_string() })?;
        std::fs::create_dir_all(&config.state_dir)
            .map_err(|source| BridgeError::File { path: config.state_dir.clone(), source })?;
        appservice.register_user(&config.bot_localpart).await?;
        let (identity, first_start) = BotIdentity::load_or_create(&config.state_dir, user_id)?;
        appservice.upsert_device(&identity.user_id, identity.device_id.clone(), &config.display_name).await?;
        if first_start {
            let removed = appservice.delete_other_devices(&identity.user_id, &identity.device_id).await?;
            if removed > 0 {
                tracing::warn!(removed, "deleted devices of an earlier bot state whose keys are gone");
            }
        }

        let proxy = IdentityProxy::start(
            &config.homeserver_url,
            identity.user_id.clone(),
            identity.device_id.clone(),
        )
        .await?;
        let client = Client::builder()
            .homeserver_url(&proxy.url)
            .sqlite_store(
                config.state_dir.join("matrix-store"),
                config.store_passphrase.as_ref().map(|p| p.expose_secret()),
            )
            .request_config(RequestConfig::new().retry_limit(2).timeout(Duration::from_secs(30)))
            .build()
            .await?;
        let session = MatrixSession {
            meta: SessionMeta { user_id: identity.user_id.clone(), device_id: identity.device_id.clone() },
            tokens: SessionTokens { access_token: as_token.expose_secret().to_owned(), refresh_token: None },
        };
        client.restore_session(session).await?;
        if let Err(error) = client.account().set_display_name(Some(&config.display_name)).await {
            tracing::warn!(%error, "could not set the bot's display name");
        }
        tracing::info!(user_id = %identity.user_id, device_id = %identity.device_id, first_start, "bot connected");
        Ok(Self {
            client,
            identity,
            first_start,
            state_dir: config.state_dir,
            _proxy: proxy,
            uploads: Default::default(),
            names: Default::default(),
        })
    }

    pub fn identity(&self) -> &BotIdentity {
        &self.identity
    }

    /// Syncs forever, sending every event meant for the bots into `inputs`, each batch followed
    /// by its [`SyncPoint`]. A restart resumes after the last point its consumer saved. `ready`
    /// turns true after each successful sync and false while the homeserver cannot be reached;
    /// `beat` is called after every sync tried, so that a supervisor can tell a stuck sync from a
    /// quiet one.
    pub async fn run(
        self: Arc<Self>,
        inputs: mpsc::Sender<Inbound>,
        ready: watch::Sender<bool>,
        beat: Box<dyn Fn() + Send + Sync>,
    ) {
        let ready = SyncWatch { ready, beat };
        let inbox = Inbox(inputs);
        // On the very first start the room history is not ours to answer: sync it away first.
        if self.first_start {
            self.sync_until_ok(SyncSettings::default().timeout(Duration::ZERO), &ready).await;
        }
        self.add_handlers(inbox.clone());
        let resume = match SyncPoint::committed(&self.state_dir) {
            Some(token) if !self.first_start => SyncSettings::default().token(token),
            _ => SyncSettings::default(),
        };
        let token = self.sync_until_ok(resume.timeout(Duration::ZERO), &ready).await;
        inbox.synced(SyncPoint::new(&self.state_dir, token)).await;
        self.bootstrap_cross_signing().await;
        // Invitations that arrived while szpon was down came in the first sync, before the
        // handlers could see them.
        for room in self.client.invited_rooms() {
            if let Some(invite) = pending_invite(&room).await {
                inbox.send(Input::Invite(invite)).await;
            }
        }
        loop {
            let token = self.sync_until_ok(SyncSettings::default().timeout(LONG_POLL), &ready).await;
            inbox.synced(SyncPoint::new(&self.state_dir, token)).await;
        }
    }

    /// Syncs once, trying until the homeserver answers; returns the token after the batch.
    async fn sync_until_ok(&self, settings: SyncSettings, watch: &SyncWatch) -> String {
        let mut backoff = Duration::from_millis(500);
        loop {
            let synced = self.client.sync_once(settings.clone()).await;
            (watch.beat)();
            match synced {
                Ok(response) => {
                    watch.ready.send_if_modified(|r| !std::mem::replace(r, true));
                    return response.next_batch;
                }
                Err(error) => {
                    watch.ready.send_if_modified(|r| std::mem::replace(r, false));
                    tracing::warn!(%error, retry_in = ?backoff, "sync failed; the homeserver may be down");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    async fn bootstrap_cross_signing(&self) {
        // Signs the bot's device with its own cross-signing identity, so that clients show it
        // as verified by its owner rather than as an unknown session.
        if let Err(error) = self.client.encryption().bootstrap_cross_signing_if_needed(None).await {
            tracing::warn!(%error, "cross-signing bootstrap failed; clients may show the bot as unverified");
        }
    }

    fn add_handlers(&self, inputs: Inbox) {
        let own_id = self.identity.user_id.clone();
        self.add_relation_handlers(inputs.clone());
        let undecrypted = inputs.clone();
        let tx = inputs.clone();
        self.client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
            let tx = tx.clone();
            async move {
                tx.send(Input::Message(events::user_message(&event, &room).await)).await;
            }
        });
        let tx = inputs.clone();
        self.client.add_event_handler(move |event: OriginalSyncStickerEvent, room: Room| {
            let tx = tx.clone();
            async move {
                let content = MessageContent::Other { kind: "m.sticker".to_owned() };
                tx.send(Input::Message(
                    events::bare_message(event.event_id, event.sender, &room, content).await,
                ))
                .await;
            }
        });
        let tx = inputs.clone();
        self.client.add_event_handler(move |event: OriginalSyncRoomRedactionEvent, room: Room| {
            let tx = tx.clone();
            async move {
                let Some(redacts) = event.redacts.clone().or_else(|| event.content.redacts.clone()) else {
                    return;
                };
                let redaction = Redaction {
                    event_id: event.event_id,
                    room_id: room.room_id().to_owned(),
                    sender: event.sender,
                    redacts,
                };
                tx.send(Input::Redaction(redaction)).await;
            }
        });
        let tx = inputs.clone();
        self.client.add_event_handler(move |event: OriginalSyncRoomMemberEvent, room: Room| {
            let tx = tx.clone();
            async move {
                if let Some(membership) = events::membership(&event, &room) {
                    tx.send(Input::Membership(membership)).await;
                }
            }
        });
        self.client.add_event_handler(move |event: StrippedRoomMemberEvent, room: Room| {
            let tx = inputs.clone();
            let own_id = own_id.clone();
            async move {
                if event.state_key == own_id {
                    let invite = Invite {
                        room_id: room.room_id().to_owned(),
                        inviter: event.sender,
                        is_direct: event.content.is_direct == Some(true),
                    };
                    tx.send(Input::Invite(invite)).await;
                }
            }
        });
        self.client.add_event_handler(move |event: OriginalSyncRoomEncryptedEvent, room: Room, raw: RawEvent| {
            let tx = undecrypted.clone();
            async move {
                tracing::info!(event_id = %event.event_id, "a message came without its key yet; waiting for it");
                tokio::spawn(crate::undecrypted::wait_for_key(event, raw, room, tx));
            }
        });
    }

    /// Events about another event: answers to the bot's polls, and reactions (a LIVE event's
    /// upvotes).
    fn add_relation_handlers(&self, inputs: Inbox) {
        let tx = inputs.clone();
        self.client.add_event_handler(move |event: OriginalSyncReactionEvent, room: Room| {
            let tx = tx.clone();
            async move {
                let reaction = Reaction {
                    event_id: event.event_id,
                    room_id: room.room_id().to_owned(),
                    sender: event.sender,
                    relates_to: event.content.relates_to.event_id,
                    key: event.content.relates_to.key,
                };
                tx.send(Input::Reaction(reaction)).await;
            }
        });
        let tx = inputs.clone();
        self.client.add_event_handler(move |event: OriginalSyncUnstablePollResponseEvent, room: Room| {
            let vote = PollVote {
                event_id: event.event_id,
                room_id: room.room_id().to_owned(),
                sender: event.sender,
                poll_id: event.content.relates_to.event_id,
                answers: event.content.poll_response.answers,
            };
            let tx = tx.clone();
            async move {
                tx.send(Input::PollVote(vote)).await;
            }
        });
        // Clients that speak the stable events (MSC3381 as merged) answer with `m.poll.response`.
        self.client.add_event_handler(move |event: OriginalSyncPollResponseEvent, room: Room| {
            let vote = PollVote {
                event_id: event.event_id,
                room_id: room.room_id().to_owned(),
                sender: event.sender,
                poll_id: event.content.relates_to.event_id,
                answers: event.content.selections.to_vec(),
            };
            let tx = inputs.clone();
            async move {
                tx.send(Input::PollVote(vote)).await;
            }
        });
    }
}

/// What the sync loop tells its watchers: whether the homeserver answers, and that it is alive.
struct SyncWatch {
    ready: watch::Sender<bool>,
    beat: Box<dyn Fn() + Send + Sync>,
}

/// A native poll (MSC3381, as Element sends and shows it) with one answer to choose.
fn poll_content(
    question: &str,
    fallback: &str,
    choices: &[PollChoice],
    max_selections: u32,
) -> Result<NewUnstablePollStartEventContent, HomeserverError> {
    let answers: Vec<UnstablePollAnswer> =
        choices.iter().map(|c| UnstablePollAnswer::new(c.id.as_str(), c.label.as_str())).collect();
    let answers = UnstablePollAnswers::try_from(answers)
        .map_err(|e| HomeserverError::Refused(format!("a poll needs 1 to 20 answers: {e}")))?;
    let mut block = UnstablePollStartContentBlock::new(question, answers);
    block.max_selections = ruma::UInt::from(max_selections.max(1));
    Ok(NewUnstablePollStartEventContent::plain_text(fallback, block))
}

/// The name a chart's file is offered under when saved.
/// Element's room widgets (`m.widget` is not read by Element Web yet).
const WIDGETS_EVENT_TYPE: &str = "im.vector.modular.widgets";

/// An invitation still waiting in `room`, as the bot's own membership event tells it.
async fn pending_invite(room: &Room) -> Option<Invite> {
    let details = room.invite_details().await.ok()?;
    let own = details.invitee.event();
    let is_direct = match (own.as_stripped(), own.as_sync()) {
        (Some(stripped), _) => stripped.content.is_direct,
        (None, Some(synced)) => synced.as_original().and_then(|e| e.content.is_direct),
        (None, None) => None,
    } == Some(true);
    Some(Invite { room_id: room.room_id().to_owned(), inviter: details.inviter_id, is_direct })
}

fn classify(error: matrix_sdk::Error) -> HomeserverError {
    let permanent = error
        .as_client_api_error()
        .is_some_and(|e| e.status_code.is_client_error() && e.status_code.as_u16() != 429);
    if permanent {
        HomeserverError::Refused(error.to_string())
    } else {
        HomeserverError::Unavailable(error.to_string())
    }
}

impl MatrixBridge {
    /// The file uploaded (encrypted for an encrypted room), or its earlier upload if it is shared.
    async fn upload(&self, media: &Media<'_>, encrypted: bool) -> Result<MediaSource, HomeserverError> {
        let key = media.shared_as.map(|hash| (hash.to_owned(), encrypted));
        if let Some(source) =
            key.as_ref().and_then(|k| self.uploads.lock().expect("uploads lock").get(k).cloned())
        {
            return Ok(source);
        }
        let source = if encrypted {
            let mut reader = std::io::Cursor::new(media.bytes);
            MediaSource::Encrypted(Box::new(
                self.client.upload_encrypted_file(&mut reader).await.map_err(classify)?,
            ))
        } else {
            let kind: mime::Mime = media.mime.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM);
            let response =
                self.client.media().upload(&kind, media.bytes.to_vec(), None).await.map_err(classify)?;
            MediaSource::Plain(response.content_uri)
        };
        if let Some(key) = key {
            self.uploads.lock().expect("uploads lock").insert(key, source.clone());
        }
        Ok(source)
    }

    /// The display names of the people `text` names by ID: from the room's members, else from
    /// their profile. Anyone whose name cannot be had stays an ID.
    async fn names_in(&self, room: &Room, text: &str) -> Vec<(OwnedUserId, String)> {
        let mut named = Vec::new();
        for user in names::user_ids_in(text) {
            if let Some(name) = self.name_of(Some(room), &user).await.as_deref().and_then(names::clean_name) {
                named.push((user, name));
            }
        }
        named
    }

    /// `user`'s display name: as a member of `room` if given, else from the profile (kept for a
    /// while, since feeds and notices ask for the same people again and again).
    async fn name_of(&self, room: Option<&Room>, user: &UserId) -> Option<String> {
        if let Some(room) = room
            && let Ok(Some(member)) = room.get_member_no_sync(user).await
        {
            return member.display_name().map(str::to_owned);
        }
        if let Some((name, when)) = self.names.lock().expect("names lock").get(user)
            && when.elapsed() < NAME_KEPT
        {
            return name.clone();
        }
        let profile =
            tokio::time::timeout(NAME_WAIT, self.client.account().fetch_user_profile_of(user)).await;
        let name = match profile {
            Ok(Ok(profile)) => profile.get("displayname").and_then(|v| v.as_str()).map(str::to_owned),
            _ => None,
        };
        self.names
            .lock()
            .expect("names lock")
            .insert(user.to_owned(), (name.clone(), std::time::Instant::now()));
        name
    }

    /// The room, if the bot is in it. A room the synced state does not show as joined is asked
    /// about: if the homeserver has the bot in it, the state is only behind (try again soon);
    /// otherwise the action is refused at once, not retried for a day.
    async fn joined_room(&self, room_id: &RoomId) -> Result<Room, HomeserverError> {
        if let Some(room) = self.client.get_room(room_id)
            && room.state() == matrix_sdk::RoomState::Joined
        {
            return Ok(room);
        }
        let request = ruma::api::client::membership::joined_rooms::v3::Request::new();
        let joined = self.client.send(request).await.map_err(|e| classify(e.into()))?.joined_rooms;
        if joined.iter().any(|joined| joined == room_id) {
            Err(HomeserverError::Unavailable(format!("room {room_id} not synced yet")))
        } else {
            Err(HomeserverError::Refused(format!("the bot is not in {room_id}")))
        }
    }
}

#[async_trait::async_trait]
impl Homeserver for MatrixBridge {
    async fn perform(&self, action: &Action, txn_id: &str) -> Result<(), HomeserverError> {
        match action {
            Action::SendNotice { room_id, notice } => {
                self.post_notice(room_id, notice, None, txn_id).await?;
            }
            Action::JoinRoom { room_id } => {
                self.client.join_room_by_id(room_id).await.map_err(classify)?;
            }
            Action::LeaveRoom { room_id, reason } => {
                let mut request = leave_room::v3::Request::new(room_id.clone());
                request.reason = Some(reason.clone());
                self.client.send(request).await.map_err(|e| classify(e.into()))?;
            }
            Action::SendPoll { room_id, question, fallback, choices, max_selections } => {
                let room = self.joined_room(room_id).await?;
                room.send(poll_content(question, fallback, choices, *max_selections)?)
                    .with_transaction_id(OwnedTransactionId::from(txn_id))
                    .await
                    .map_err(classify)?;
            }
            Action::EndPoll { room_id, poll_id, text } => {
                let room = self.joined_room(room_id).await?;
                room.send(UnstablePollEndEventContent::new(text.as_str(), poll_id.clone()))
                    .with_transaction_id(OwnedTransactionId::from(txn_id))
                    .await
                    .map_err(classify)?;
            }
            Action::SendFile { room_id, name, mime: kind, text } => {
                let room = self.joined_room(room_id).await?;
                let kind: mime::Mime = kind.parse().unwrap_or(mime::TEXT_PLAIN_UTF_8);
                let config = AttachmentConfig::new().txn_id(OwnedTransactionId::from(txn_id));
                room.send_attachment(name, &kind, text.as_bytes().to_vec(), config)
                    .await
                    .map_err(classify)?;
            }
            Action::InviteUser { room_id, user_id } => {
                let room = self.joined_room(room_id).await?;
                let present = room.get_member_no_sync(user_id).await.ok().flatten().is_some_and(|m| {
                    matches!(m.membership(), MembershipState::Join | MembershipState::Invite)
                });
                // A retry after the invitation went through has nothing left to do.
                if !present {
                    room.invite_user_by_id(user_id).await.map_err(classify)?;
                }
            }
            Action::RemoveUser { room_id, user_id, reason } => {
                let room = self.joined_room(room_id).await?;
                let present = room.get_member_no_sync(user_id).await.ok().flatten().is_some_and(|m| {
                    matches!(m.membership(), MembershipState::Join | MembershipState::Invite)
                });
                if present {
                    room.kick_user(user_id, Some(reason)).await.map_err(classify)?;
                }
            }
            Action::SetWidget { room_id, widget_id, widget } => {
                let room = self.joined_room(room_id).await?;
                // An empty content is how a widget is removed (Element does the same).
                let content = match widget {
                    Some(widget) => {
                        serde_json::to_value(widget).map_err(|e| HomeserverError::Refused(e.to_string()))?
                    }
                    None => serde_json::json!({}),
                };
                room.send_state_event_raw(WIDGETS_EVENT_TYPE, widget_id, content).await.map_err(classify)?;
            }
            other => {
                return Err(HomeserverError::Refused(format!("unsupported action {other:?}")));
            }
        }
        Ok(())
    }

    async fn post_notice(
        &self,
        room_id: &RoomId,
        notice: &szpon_bots::Notice,
        replaces: Option<&ruma::EventId>,
        txn_id: &str,
    ) -> Result<ruma::OwnedEventId, HomeserverError> {
        let room = self.joined_room(room_id).await?;
        let named = self.names_in(&room, &notice.plain).await;
        let mut content = RoomMessageEventContent::notice_html(
            names::plain_with_names(&notice.plain, &named),
            names::html_with_names(&notice.html, &named),
        );
        // Intentional mentions (`m.mentions`): only the people named are notified.
        content.mentions = Some(Mentions::with_user_ids(notice.mentions.iter().cloned()));
        if let Some(original) = replaces {
            // An edit notifies no one again: its mentions are the original's.
            let metadata = ruma::events::room::message::ReplacementMetadata::new(
                original.to_owned(),
                Some(Mentions::with_user_ids(notice.mentions.iter().cloned())),
            );
            content = content.make_replacement(metadata);
        }
        let sent = room
            .send(content)
            .with_transaction_id(OwnedTransactionId::from(txn_id))
            .await
            .map_err(classify)?;
        Ok(sent.response.event_id)
    }

    async fn can_add_widget(&self, room_id: &RoomId) -> Result<bool, HomeserverError> {
        let room = self.joined_room(room_id).await?;
        let levels = room.power_levels().await.map_err(|e| HomeserverError::Unavailable(e.to_string()))?;
        Ok(levels.user_can_send_state(&self.identity.user_id, WIDGETS_EVENT_TYPE.into()))
    }

    async fn send_media(
        &self,
        room_id: &RoomId,
        media: &Media<'_>,
        txn_id: &str,
    ) -> Result<(), HomeserverError> {
        let room = self.joined_room(room_id).await?;
        let encrypted = room.latest_encryption_state().await.map_err(classify)?.is_encrypted();
        let source = self.upload(media, encrypted).await?;
        let size = ruma::UInt::new(media.bytes.len() as u64);
        // The caption is the body when there is one, and the file name stays the file name (as
        // clients send captioned media).
        let body = media.caption.unwrap_or(media.name).to_owned();
        let msgtype = match media.image {
            Some((width, height)) => {
                let mut info = ImageInfo::new();
                info.mimetype = Some(media.mime.to_owned());
                info.size = size;
                info.width = Some(width.into());
                info.height = Some(height.into());
                let mut image = ImageMessageEventContent::new(body, source).info(Some(Box::new(info)));
                image.filename = Some(media.name.to_owned());
                MessageType::Image(image)
            }
            None => {
                let mut info = FileInfo::new();
                info.mimetype = Some(media.mime.to_owned());
                info.size = size;
                let mut file = FileMessageEventContent::new(body, source).info(Some(Box::new(info)));
                file.filename = Some(media.name.to_owned());
                MessageType::File(file)
            }
        };
        room.send(RoomMessageEventContent::new(msgtype))
            .with_transaction_id(OwnedTransactionId::from(txn_id))
            .await
            .map_err(classify)?;
        Ok(())
    }

    async fn create_course_room(
        &self,
        name: &str,
        topic: &str,
        trainer: &UserId,
    ) -> Result<OwnedRoomId, HomeserverError> {
        let mut request = create_room::v3::Request::new();
        request.name = Some(name.to_owned());
        request.topic = Some(topic.to_owned());
        request.preset = Some(create_room::v3::RoomPreset::PrivateChat);
        request.invite = vec![trainer.to_owned()];
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(RoomEncryptionEventContent::with_recommended_defaults())
                .to_raw_any(),
        ];
        let mut levels = create_room::RoomPowerLevelsContentOverride::default();
        // The bot creates the room: it has the creator's power already (room version 12 refuses
        // a creator listed among the users).
        levels.users.insert(trainer.to_owned(), ruma::Int::from(50));
        levels.users_default = Some(ruma::Int::from(0));
        request.power_level_content_override =
            Some(ruma::serde::Raw::new(&levels).map_err(|e| HomeserverError::Refused(e.to_string()))?);
        let room = self.client.create_room(request).await.map_err(classify)?;
        Ok(room.room_id().to_owned())
    }

    async fn create_team_room(&self, name: &str, topic: &str) -> Result<OwnedRoomId, HomeserverError> {
        let mut request = create_room::v3::Request::new();
        request.name = Some(name.to_owned());
        request.topic = Some(topic.to_owned());
        request.preset = Some(create_room::v3::RoomPreset::PrivateChat);
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(RoomEncryptionEventContent::with_recommended_defaults())
                .to_raw_any(),
        ];
        let room = self.client.create_room(request).await.map_err(classify)?;
        Ok(room.room_id().to_owned())
    }

    async fn joined_members(&self, room_id: &RoomId) -> Result<Vec<OwnedUserId>, HomeserverError> {
        let request = ruma::api::client::membership::joined_members::v3::Request::new(room_id.to_owned());
        let response = self.client.send(request).await.map_err(|e| classify(matrix_sdk::Error::from(e)))?;
        Ok(response.joined.into_keys().collect())
    }

    async fn invite_missing(&self, room_id: &RoomId, people: &[OwnedUserId]) -> Vec<(OwnedUserId, String)> {
        let Some(room) = self.client.get_room(room_id) else {
            return people.iter().map(|p| (p.clone(), "the bot is not in the room".to_owned())).collect();
        };
        let mut failed = Vec::new();
        for person in people {
            let present =
                room.get_member_no_sync(person).await.ok().flatten().is_some_and(|m| {
                    matches!(m.membership(), MembershipState::Join | MembershipState::Invite)
                });
            if present {
                continue;
            }
            if let Err(error) = room.invite_user_by_id(person).await {
                failed.push((person.clone(), error.to_string()));
            }
        }
        failed
    }

    async fn open_direct_chat(&self, user: &UserId) -> Result<OwnedRoomId, HomeserverError> {
        let mut request = create_room::v3::Request::new();
        request.is_direct = true;
        request.invite = vec![user.to_owned()];
        request.preset = Some(create_room::v3::RoomPreset::TrustedPrivateChat);
        request.initial_state = vec![
            InitialStateEvent::with_empty_state_key(RoomEncryptionEventContent::with_recommended_defaults())
                .to_raw_any(),
        ];
        // Sent as a plain request: matrix-sdk's `create_room` would also add the room to the
        // bot's `m.direct`, uploading the whole map (one entry per person) for every new chat,
        // one chat at a time. The bot keeps its direct chats in the store and needs no `m.direct`;
        // the invitation's `is_direct` is what the person's client goes by.
        let response = self.client.send(request).await.map_err(|e| classify(e.into()))?;
        // Its state (encryption above all) is known once the room has come down the sync.
        let _ =
            tokio::time::timeout(ROOM_ECHO_WAIT, self.client.await_room_remote_echo(&response.room_id)).await;
        Ok(response.room_id)
    }

    async fn display_name(&self, user: &UserId) -> Option<String> {
        self.name_of(None, user).await.as_deref().and_then(names::clean_name)
    }

    async fn is_member(&self, room: &RoomId, user: &UserId) -> Result<bool, HomeserverError> {
        let Some(room) = self.client.get_room(room) else { return Ok(false) };
        match room.get_member_no_sync(user).await {
            Ok(Some(member)) => Ok(*member.membership() == MembershipState::Join),
            Ok(None) => Ok(false),
            Err(error) => Err(HomeserverError::Unavailable(error.to_string())),
        }
    }

    async fn download(
        &self,
        file: &szpon_bots::RepliedFile,
        limit: usize,
    ) -> Result<Option<Vec<u8>>, HomeserverError> {
        if file.size.is_some_and(|claimed| claimed > limit as u64) {
            return Ok(None);
        }
        let Some(bytes) = self.download_capped(&file.url, limit).await? else { return Ok(None) };
        match &file.encryption {
            None => Ok(Some(bytes)),
            Some(encryption) => decrypt(bytes, encryption).map(Some),
        }
    }
}

impl MatrixBridge {
    /// The bytes at an `mxc://` address through the authenticated media API, streamed and cut
    /// off past `limit`.
    async fn download_capped(
        &self,
        url: &ruma::MxcUri,
        limit: usize,
    ) -> Result<Option<Vec<u8>>, HomeserverError> {
        let (server, media_id) =
            url.parts().map_err(|e| HomeserverError::Refused(format!("bad media address: {e}")))?;
        let address = format!(
            "{}/_matrix/client/v1/media/download/{server}/{}",
            self.client.homeserver().as_str().trim_end_matches('/'),
            url::form_urlencoded::byte_serialize(media_id.as_bytes()).collect::<String>(),
        );
        let token = self.client.access_token().unwrap_or_default();
        let http = reqwest::Client::builder()
            .timeout(DOWNLOAD_TIMEOUT)
            .build()
            .map_err(|e| HomeserverError::Unavailable(e.to_string()))?;
        let response = http.get(address).bearer_auth(token).send().await.map_err(download_error)?;
        let status = response.status();
        if !status.is_success() {
            let error = format!("media download answered {status}");
            return Err(if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                HomeserverError::Unavailable(error)
            } else {
                HomeserverError::Refused(error)
            });
        }
        let mut body = response.bytes_stream();
        let mut bytes = Vec::new();
        while let Some(chunk) = futures_util::StreamExt::next(&mut body).await {
            let chunk = chunk.map_err(download_error)?;
            if bytes.len() + chunk.len() > limit {
                return Ok(None);
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Some(bytes))
    }
}

/// How long fetching one file a command needs may take.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(60);

fn download_error(error: reqwest::Error) -> HomeserverError {
    HomeserverError::Unavailable(error.to_string())
}

/// An encrypted attachment's plain bytes, its hash checked.
fn decrypt(bytes: Vec<u8>, encryption: &serde_json::Value) -> Result<Vec<u8>, HomeserverError> {
    use std::io::Read;
    let refused =
        |e: &dyn std::fmt::Display| HomeserverError::Refused(format!("the file could not be decrypted: {e}"));
    let encryption: ruma::events::room::EncryptedFile =
        serde_json::from_value(encryption.clone()).map_err(|e| refused(&e))?;
    let mut cursor = std::io::Cursor::new(bytes);
    let mut reader = matrix_sdk_crypto::AttachmentDecryptor::new(&mut cursor, encryption.into())
        .map_err(|e| refused(&e))?;
    let mut plain = Vec::new();
    reader.read_to_end(&mut plain).map_err(|e| refused(&e))?;
    Ok(plain)
}
