//! A person at a real Matrix client: matrix-sdk with its E2EE store, synced in the background.

use std::{path::Path, sync::Arc, time::Duration};

use anyhow::{Context, bail};
use matrix_sdk::{
    Client, Room,
    config::SyncSettings,
    ruma::{
        EventId, OwnedEventId, OwnedRoomId, OwnedUserId, UserId,
        api::client::room::create_room::v3::{Request as CreateRoomRequest, RoomPreset},
        events::{
            InitialStateEvent,
            poll::{
                unstable_end::OriginalSyncUnstablePollEndEvent,
                unstable_response::UnstablePollResponseEventContent,
                unstable_start::{OriginalSyncUnstablePollStartEvent, UnstablePollStartEventContent},
            },
            relation::{InReplyTo, Reply},
            room::{
                encryption::RoomEncryptionEventContent,
                message::{
                    FileMessageEventContent, ImageMessageEventContent, MessageType,
                    OriginalSyncRoomMessageEvent, Relation, RoomMessageEventContent,
                },
            },
        },
    },
};
use tokio::{sync::Notify, task::JoinHandle};

/// A message this person's client received and decrypted.
#[derive(Debug, Clone)]
pub struct Received {
    pub room_id: OwnedRoomId,
    pub sender: OwnedUserId,
    pub event_id: OwnedEventId,
    pub msgtype: String,
    pub body: String,
    pub formatted_body: Option<String>,
    /// For a poll ("poll" as the msgtype, the question as the body): its answers' ids and
    /// labels.
    pub poll_answers: Vec<(String, String)>,
    /// For a picture (`m.image`): where to fetch it, and its size.
    pub image: Option<ImageMessageEventContent>,
    /// For a file (`m.file`): where to fetch it, its name and type.
    pub file: Option<FileMessageEventContent>,
    /// For a poll's end ("poll_end" as the msgtype, its text as the body): the poll it closes.
    pub ends_poll: Option<OwnedEventId>,
    /// For an edit (`m.replace`): the message it edits; its body is then the "* …" fallback.
    pub replaces: Option<OwnedEventId>,
}

impl Received {
    /// A message as the client decrypted it.
    fn message(event: &OriginalSyncRoomMessageEvent, room: &Room) -> Self {
        let image = match &event.content.msgtype {
            MessageType::Image(image) => Some(image.clone()),
            _ => None,
        };
        let file = match &event.content.msgtype {
            MessageType::File(file) => Some(file.clone()),
            _ => None,
        };
        let (body, formatted_body) = match &event.content.msgtype {
            MessageType::Notice(n) => (n.body.clone(), n.formatted.as_ref().map(|f| f.body.clone())),
            MessageType::Text(t) => (t.body.clone(), t.formatted.as_ref().map(|f| f.body.clone())),
            other => (other.body().to_owned(), None),
        };
        let replaces = match &event.content.relates_to {
            Some(Relation::Replacement(replacement)) => Some(replacement.event_id.clone()),
            _ => None,
        };
        Received {
            room_id: room.room_id().to_owned(),
            sender: event.sender.clone(),
            event_id: event.event_id.clone(),
            msgtype: event.content.msgtype.msgtype().to_owned(),
            body,
            formatted_body,
            poll_answers: Vec::new(),
            image,
            file,
            ends_poll: None,
            replaces,
        }
    }
}

#[derive(Default)]
struct Inbox {
    messages: std::sync::Mutex<Vec<Received>>,
    arrived: Notify,
}

pub struct TestUser {
    pub client: Client,
    inbox: Arc<Inbox>,
    sync: JoinHandle<()>,
}

impl Drop for TestUser {
    fn drop(&mut self) {
        self.sync.abort();
    }
}

impl TestUser {
    pub async fn login(
        homeserver: &str,
        localpart: &str,
        password: &str,
        stores: &Path,
    ) -> anyhow::Result<Self> {
        let client = Client::builder()
            .homeserver_url(homeserver)
            .sqlite_store(stores.join(localpart), None)
            .build()
            .await?;
        client
            .matrix_auth()
            .login_username(localpart, password)
            .initial_device_display_name("e2e")
            .send()
            .await?;
        let inbox = Arc::new(Inbox::default());
        let sink = inbox.clone();
        client.add_event_handler(move |event: OriginalSyncRoomMessageEvent, room: Room| {
            let sink = sink.clone();
            async move {
                sink.messages.lock().unwrap().push(Received::message(&event, &room));
                sink.arrived.notify_waiters();
            }
        });
        let sink = inbox.clone();
        client.add_event_handler(move |event: OriginalSyncUnstablePollStartEvent, room: Room| {
            let sink = sink.clone();
            async move {
                let UnstablePollStartEventContent::New(content) = &event.content else { return };
                let poll = &content.poll_start;
                sink.messages.lock().unwrap().push(Received {
                    room_id: room.room_id().to_owned(),
                    sender: event.sender.clone(),
                    event_id: event.event_id.clone(),
                    msgtype: "poll".to_owned(),
                    body: poll.question.text.clone(),
                    formatted_body: None,
                    poll_answers: poll.answers.iter().map(|a| (a.id.clone(), a.text.clone())).collect(),
                    image: None,
                    file: None,
                    ends_poll: None,
                    replaces: None,
                });
                sink.arrived.notify_waiters();
            }
        });
        let sink = inbox.clone();
        client.add_event_handler(move |event: OriginalSyncUnstablePollEndEvent, room: Room| {
            let sink = sink.clone();
            async move {
                sink.messages.lock().unwrap().push(Received {
                    room_id: room.room_id().to_owned(),
                    sender: event.sender.clone(),
                    event_id: event.event_id.clone(),
                    msgtype: "poll_end".to_owned(),
                    body: event.content.text.clone(),
                    formatted_body: None,
                    poll_answers: Vec::new(),
                    image: None,
                    file: None,
                    ends_poll: Some(event.content.relates_to.event_id.clone()),
                    replaces: None,
                });
                sink.arrived.notify_waiters();
            }
        });
        // The first sync uploads this device's keys before anyone writes to it.
        client.sync_once(SyncSettings::default().timeout(Duration::ZERO)).await?;
        // Long-poll again as soon as a sync returns, as Element does. (`Client::sync` waits up
        // to a second between syncs, which would hide a second in every measured reply, and
        // it gives up on the first error, while tests stop the homeserver on purpose.)
        let syncing = client.clone();
        let sync = tokio::spawn(async move {
            loop {
                let settings = SyncSettings::default().timeout(Duration::from_secs(10));
                if syncing.sync_once(settings).await.is_err() {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        });
        Ok(Self { client, inbox, sync })
    }

    /// Sets the name clients show for this user, as a person does in their settings.
    pub async fn set_display_name(&self, name: &str) -> anyhow::Result<()> {
        self.client.account().set_display_name(Some(name)).await?;
        Ok(())
    }

    pub fn user_id(&self) -> OwnedUserId {
        self.client.user_id().expect("logged in").to_owned()
    }

    /// Opens a direct chat the way Element does: `is_direct`, the trusted-private preset, the
    /// other person invited, and (if asked) encryption in the initial state. Waits for the join.
    pub async fn create_dm(&self, with: &UserId, encrypted: bool) -> anyhow::Result<Room> {
        let mut request = CreateRoomRequest::new();
        request.is_direct = true;
        request.preset = Some(RoomPreset::TrustedPrivateChat);
        request.invite = vec![with.to_owned()];
        if encrypted {
            let encryption = InitialStateEvent::with_empty_state_key(
                RoomEncryptionEventContent::with_recommended_defaults(),
            );
            request.initial_state = vec![encryption.to_raw_any()];
        }
        let room = self.client.create_room(request).await?;
        self.wait_for_member(&room, with).await?;
        Ok(room)
    }

    /// A room with several people, all invited.
    pub async fn create_group(&self, name: &str, members: &[&UserId]) -> anyhow::Result<Room> {
        let mut request = CreateRoomRequest::new();
        request.name = Some(name.to_owned());
        request.preset = Some(RoomPreset::PrivateChat);
        request.invite = members.iter().map(|m| (*m).to_owned()).collect();
        Ok(self.client.create_room(request).await?)
    }

    /// A team's room as Element makes a private one: several people invited, encrypted from
    /// the first event, the creator its admin (power level 100) and the rest at 0.
    pub async fn create_encrypted_group(&self, name: &str, members: &[&UserId]) -> anyhow::Result<Room> {
        let mut request = CreateRoomRequest::new();
        request.name = Some(name.to_owned());
        request.preset = Some(RoomPreset::PrivateChat);
        request.invite = members.iter().map(|m| (*m).to_owned()).collect();
        let encryption =
            InitialStateEvent::with_empty_state_key(RoomEncryptionEventContent::with_recommended_defaults());
        request.initial_state = vec![encryption.to_raw_any()];
        Ok(self.client.create_room(request).await?)
    }

    /// Joins every room this person is invited to from now on, as a bot or a kiosk would.
    pub fn auto_join_invites(&self) {
        let own_id = self.user_id();
        self.client.add_event_handler(
            move |event: matrix_sdk::ruma::events::room::member::StrippedRoomMemberEvent, room: Room| {
                let own_id = own_id.clone();
                async move {
                    if event.state_key == own_id {
                        let _ = room.join().await;
                    }
                }
            },
        );
    }

    /// Accepts an invitation from `inviter` once it has arrived, to a room of that name (none for
    /// a direct chat the bot opened), and returns the room.
    pub async fn accept_invite_from(&self, inviter: &UserId, name: Option<&str>) -> anyhow::Result<Room> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            for room in self.client.invited_rooms() {
                // The room can be listed before its invitation's details are stored: look again.
                if let Ok(details) = room.invite_details().await
                    && details.inviter_id == inviter
                    && room.name().as_deref() == name
                {
                    return Ok(self.client.join_room_by_id(room.room_id()).await?);
                }
            }
            if tokio::time::Instant::now() > deadline {
                bail!("no invitation from {inviter} arrived");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Invites someone into a room.
    pub async fn invite(&self, room: &Room, user: &UserId) -> anyhow::Result<()> {
        room.invite_user_by_id(user).await.context("inviting")?;
        Ok(())
    }

    /// Accepts an invitation once it has arrived.
    pub async fn accept_invite(&self, room_id: &matrix_sdk::ruma::RoomId) -> anyhow::Result<Room> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while self.client.get_room(room_id).is_none() {
            if tokio::time::Instant::now() > deadline {
                bail!("no invitation to {room_id} arrived");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(self.client.join_room_by_id(room_id).await?)
    }

    /// A room's power levels, once its state has been synced after joining.
    pub async fn power_levels(
        &self,
        room: &Room,
    ) -> anyhow::Result<matrix_sdk::ruma::events::room::power_levels::RoomPowerLevels> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            match room.power_levels().await {
                Ok(levels) => return Ok(levels),
                // Not synced yet ("local cache doesn't contain all necessary data"): look again.
                Err(_) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => return Err(error).context("reading the room's power levels"),
            }
        }
    }

    pub async fn wait_for_member(&self, room: &Room, user: &UserId) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while tokio::time::Instant::now() < deadline {
            if let Ok(Some(member)) = room.get_member_no_sync(user).await
                && *member.membership() == matrix_sdk::ruma::events::room::member::MembershipState::Join
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("{user} did not join {} within 30 s", room.room_id())
    }

    /// Answers a poll, as a client's poll buttons do.
    pub async fn vote(&self, room: &Room, poll: &Received, answer_id: &str) -> anyhow::Result<()> {
        let content =
            UnstablePollResponseEventContent::new(vec![answer_id.to_owned()], poll.event_id.clone());
        room.send(content).await.context("voting in a poll")?;
        Ok(())
    }

    /// The bytes of a received picture, fetched (and decrypted) as a client shows it.
    pub async fn download_image(&self, message: &Received) -> anyhow::Result<Vec<u8>> {
        let image = message.image.as_ref().context("not a picture")?;
        let bytes = self.client.media().get_file(image, false).await.context("fetching a picture")?;
        bytes.context("the picture has no source")
    }

    /// The bytes of a received file, fetched (and decrypted) as a client saves it.
    pub async fn download_file(&self, message: &Received) -> anyhow::Result<Vec<u8>> {
        let file = message.file.as_ref().context("not a file")?;
        let bytes = self.client.media().get_file(file, false).await.context("fetching a file")?;
        bytes.context("the file has no source")
    }

    /// Shares a file (`m.file`), encrypted in an encrypted room, as a client's paperclip does.
    pub async fn send_file(
        &self,
        room: &Room,
        name: &str,
        content_type: &mime::Mime,
        bytes: Vec<u8>,
    ) -> anyhow::Result<OwnedEventId> {
        let config = matrix_sdk::attachment::AttachmentConfig::new();
        let sent = room.send_attachment(name, content_type, bytes, config).await.context("sharing a file")?;
        Ok(sent.event_id)
    }

    /// Replies to an event with text, as a client's "reply" does (without the old quoted fallback).
    pub async fn reply(
        &self,
        room: &Room,
        to: &EventId,
        from: &UserId,
        text: &str,
    ) -> anyhow::Result<String> {
        let mut content = RoomMessageEventContent::text_plain(text);
        content.relates_to = Some(Relation::Reply(Reply::new(InReplyTo::new(to.to_owned()))));
        Ok(self.ask(room, from, content).await?.body)
    }

    /// Reacts to a message with `key` (an emoji), as clients do with a click.
    pub async fn react(&self, room: &Room, event: &EventId, key: &str) -> anyhow::Result<OwnedEventId> {
        use matrix_sdk::ruma::events::{reaction::ReactionEventContent, relation::Annotation};
        let content = ReactionEventContent::new(Annotation::new(event.to_owned(), key.to_owned()));
        Ok(room.send(content).await.context("reacting")?.response.event_id)
    }

    /// Deletes one of this person's events from a room.
    pub async fn redact(&self, room: &Room, event: &EventId) -> anyhow::Result<()> {
        room.redact(event, None, None).await.context("deleting an event")?;
        Ok(())
    }

    pub async fn send_text(&self, room: &Room, body: &str) -> anyhow::Result<OwnedEventId> {
        self.send(room, RoomMessageEventContent::text_plain(body)).await
    }

    pub async fn send(&self, room: &Room, content: RoomMessageEventContent) -> anyhow::Result<OwnedEventId> {
        Ok(room.send(content).await.context("sending a message")?.response.event_id)
    }

    /// Everything received in a room from one sender, in order.
    pub fn received_from(&self, room: &Room, sender: &UserId) -> Vec<Received> {
        let messages = self.inbox.messages.lock().unwrap();
        messages.iter().filter(|m| m.room_id == room.room_id() && m.sender == sender).cloned().collect()
    }

    /// Waits until `count` messages from `sender` have arrived in `room`; returns them all.
    pub async fn wait_for_messages(
        &self,
        room: &Room,
        sender: &UserId,
        count: usize,
        limit: Duration,
    ) -> anyhow::Result<Vec<Received>> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let arrived = self.inbox.arrived.notified();
            let received = self.received_from(room, sender);
            if received.len() >= count {
                return Ok(received);
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                let received = self.received_from(room, sender);
                if received.len() >= count {
                    return Ok(received);
                }
                bail!("expected {count} messages from {sender}, got {}: {received:#?}", received.len());
            }
        }
    }

    /// Sends a message and waits for the next message from `from`, returning it.
    pub async fn ask(
        &self,
        room: &Room,
        from: &UserId,
        content: RoomMessageEventContent,
    ) -> anyhow::Result<Received> {
        let before = self.received_from(room, from).len();
        self.send(room, content).await?;
        let all = self.wait_for_messages(room, from, before + 1, Duration::from_secs(30)).await?;
        Ok(all[before].clone())
    }

    /// Sends plain text and returns the text of the next message from `from`.
    pub async fn say(&self, room: &Room, from: &UserId, text: &str) -> anyhow::Result<String> {
        Ok(self.ask(room, from, RoomMessageEventContent::text_plain(text)).await?.body)
    }
}
