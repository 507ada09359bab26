//! Matrix events, as matrix-sdk delivers them (already decrypted), into bot inputs.

use crate::pills;
use matrix_sdk::{Room, RoomMemberships};
use ruma::events::room::member::MembershipState;
use ruma::events::room::power_levels::UserPowerLevel;
use ruma::events::room::{
    MediaSource,
    message::{
        FileMessageEventContent, FormattedBody, MessageFormat, MessageType, OriginalSyncRoomMessageEvent,
        Relation, sanitize::remove_plain_reply_fallback,
    },
};
use ruma::events::{AnySyncMessageLikeEvent, AnySyncTimelineEvent, SyncMessageLikeEvent};
use ruma::{EventId, OwnedEventId, OwnedUserId};
use szpon_bots::{MessageContent, RepliedFile, RepliedTo, RoomKind, UserMessage, documents::SharedFile};

/// A room with the bot and one person is a direct chat, whatever `m.direct` says: that flag
/// lives in the person's account data, which the bot cannot see.
///
/// Members are counted from the stored room state: the sync's member-count summary is only
/// sent with lazy-loaded members, which the bot does not use.
pub(crate) async fn room_kind(room: &Room) -> RoomKind {
    let active = match room.members_no_sync(RoomMemberships::ACTIVE).await {
        Ok(members) => members.len() as u64,
        Err(_) => room.active_members_count(),
    };
    if active <= 2 { RoomKind::Direct } else { RoomKind::Group }
}

pub(crate) async fn user_message(event: &OriginalSyncRoomMessageEvent, room: &Room) -> UserMessage {
    let in_reply_to = match replied_event(event) {
        Some(event_id) => Some(replied_to(room, event_id).await),
        None => None,
    };
    // Older clients quote the message replied to in the body; commands are read after it.
    let body = |text: &str, pills: &[(OwnedUserId, String)]| {
        let text = if in_reply_to.is_some() { remove_plain_reply_fallback(text) } else { text };
        MessageContent::Text { body: pills::with_user_ids(text, pills) }
    };
    let pills = match &event.content.msgtype {
        MessageType::Text(text) => html_pills(text.formatted.as_ref()),
        MessageType::Emote(emote) => html_pills(emote.formatted.as_ref()),
        _ => Vec::new(),
    };
    let content = match &event.content.msgtype {
        MessageType::Text(text) => body(&text.body, &pills),
        MessageType::Emote(emote) => body(&emote.body, &pills),
        MessageType::Notice(_) => MessageContent::Notice,
        MessageType::File(file) => MessageContent::File(shared_file(file)),
        other => MessageContent::Other { kind: other.msgtype().to_owned() },
    };
    let mut mentions: Vec<_> =
        event.content.mentions.as_ref().map(|m| m.user_ids.iter().cloned().collect()).unwrap_or_default();
    // Clients from before `m.mentions` mark people with pills alone.
    for (user, _) in pills {
        if !mentions.contains(&user) {
            mentions.push(user);
        }
    }
    let members_named = members_named(room, &mentions, &content).await;
    UserMessage {
        event_id: event.event_id.clone(),
        room_id: room.room_id().to_owned(),
        sender: event.sender.clone(),
        room_kind: room_kind(room).await,
        content,
        sender_power: power_level(room, &event.sender).await,
        mentions,
        members_named,
        room_encrypted: room.encryption_state().is_encrypted(),
        private_chat: false,
        in_reply_to: in_reply_to.map(Box::new),
    }
}

/// A message with nothing to read in it but its kind: no mentions, no reply.
pub(crate) async fn bare_message(
    event_id: OwnedEventId,
    sender: OwnedUserId,
    room: &Room,
    content: MessageContent,
) -> UserMessage {
    UserMessage {
        event_id,
        room_id: room.room_id().to_owned(),
        sender,
        room_kind: room_kind(room).await,
        content,
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: room.encryption_state().is_encrypted(),
        private_chat: false,
        in_reply_to: None,
    }
}

/// The pills in a message's HTML body, if it has one.
fn html_pills(formatted: Option<&FormattedBody>) -> Vec<(OwnedUserId, String)> {
    match formatted {
        Some(formatted) if formatted.format == MessageFormat::Html => crate::pills::pills(&formatted.body),
        _ => Vec::new(),
    }
}

/// Which of the people a message names are members of the room (joined or invited), read from
/// the stored room state: a command that gives someone the room's work checks against this.
async fn members_named(room: &Room, mentions: &[OwnedUserId], content: &MessageContent) -> Vec<OwnedUserId> {
    let typed = match content {
        MessageContent::Text { body } => typed_user_ids(body),
        _ => Vec::new(),
    };
    let mut members = Vec::new();
    for user in mentions.iter().chain(&typed) {
        if members.contains(user) {
            continue;
        }
        if let Ok(Some(member)) = room.get_member_no_sync(user).await
            && matches!(member.membership(), MembershipState::Join | MembershipState::Invite)
        {
            members.push(user.clone());
        }
    }
    members
}

/// The Matrix user IDs written out in a text, as a person types them (`@ewa:urzad.gov.pl,`).
fn typed_user_ids(text: &str) -> Vec<OwnedUserId> {
    text.split_whitespace()
        .filter(|word| word.starts_with('@'))
        .filter_map(|word| {
            let word = word.trim_end_matches([',', '.', ';', ':', '!', '?', ')']);
            ruma::UserId::parse(word).ok()
        })
        .take(20)
        .collect()
}

/// What a reply needs of the event it replies to, read (and decrypted) from the room: the
/// bot's own text, or a file's description. A file is never downloaded here: the sync waits
/// for this, and only a command that needs the file, from someone allowed, fetches it later.
async fn replied_to(room: &Room, event_id: OwnedEventId) -> RepliedTo {
    let mut replied = RepliedTo::event(event_id);
    let Some(message) = replied_message(room, &replied.event_id).await else { return replied };
    if room.client().user_id() == Some(&*message.sender) {
        replied.bot_text = Some(message.content.body().to_owned());
    } else if let MessageType::File(file) = &message.content.msgtype {
        replied.file = Some(Box::new(replied_file(file)));
    }
    replied
}

async fn replied_message(room: &Room, event_id: &EventId) -> Option<OriginalSyncRoomMessageEvent> {
    let event = room.load_or_fetch_event(event_id, None).await.ok()?;
    match event.raw().deserialize().ok()? {
        AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(
            SyncMessageLikeEvent::Original(message),
        )) => Some(message),
        _ => None,
    }
}

fn replied_file(file: &FileMessageEventContent) -> RepliedFile {
    let info = file.info.as_deref();
    let (url, encryption) = match &file.source {
        MediaSource::Plain(url) => (url.clone(), None),
        MediaSource::Encrypted(encrypted) => (encrypted.url.clone(), serde_json::to_value(encrypted).ok()),
    };
    RepliedFile {
        name: file.filename.clone().unwrap_or_else(|| file.body.clone()),
        mimetype: info.and_then(|i| i.mimetype.clone()),
        size: info.and_then(|i| i.size).map(u64::from),
        url,
        encryption,
    }
}

/// The event a message replies to, in the room or in a thread.
fn replied_event(event: &OriginalSyncRoomMessageEvent) -> Option<OwnedEventId> {
    match event.content.relates_to.as_ref()? {
        Relation::Reply(reply) => Some(reply.in_reply_to.event_id.clone()),
        Relation::Thread(thread) if !thread.is_falling_back => {
            thread.in_reply_to.as_ref().map(|reply| reply.event_id.clone())
        }
        _ => None,
    }
}

/// What the register keeps of a file message: its name (the file name, where the body is a
/// caption), type, size and where the homeserver holds it; never its key.
fn shared_file(file: &FileMessageEventContent) -> SharedFile {
    let info = file.info.as_deref();
    SharedFile {
        name: file.filename.clone().unwrap_or_else(|| file.body.clone()),
        mimetype: info.and_then(|i| i.mimetype.clone()),
        size: info.and_then(|i| i.size).map(u64::from),
        url: match &file.source {
            MediaSource::Plain(url) => url.clone(),
            MediaSource::Encrypted(encrypted) => encrypted.url.clone(),
        },
    }
}

/// A member's power level from the stored room state; a room version 12 creator's "infinite"
/// level counts as the highest number.
pub(crate) async fn power_level(room: &Room, user: &ruma::UserId) -> i64 {
    match room.get_member_no_sync(user).await {
        Ok(Some(member)) => match member.power_level() {
            UserPowerLevel::Int(level) => level.into(),
            _ => i64::MAX,
        },
        _ => 0,
    }
}

/// A join or a leave (or a removal or ban) in a room, as a membership change; none for a member
/// who only changed their name or picture, or for an invitation.
pub fn membership(
    event: &ruma::events::room::member::OriginalSyncRoomMemberEvent,
    room: &Room,
) -> Option<szpon_bots::Membership> {
    use ruma::events::room::member::MembershipState;
    let was_joined = event
        .unsigned
        .prev_content
        .as_ref()
        .is_some_and(|previous| previous.membership == MembershipState::Join);
    let joined = match event.content.membership {
        MembershipState::Join if !was_joined => true,
        MembershipState::Leave | MembershipState::Ban if was_joined => false,
        _ => return None,
    };
    Some(szpon_bots::Membership {
        event_id: event.event_id.clone(),
        room_id: room.room_id().to_owned(),
        user_id: ruma::OwnedUserId::try_from(event.state_key.as_str()).ok()?,
        joined,
    })
}
