//! Matrix events, as matrix-sdk delivers them (already decrypted), into bot inputs.

use matrix_sdk::{Room, RoomMemberships};
use ruma::events::room::power_levels::UserPowerLevel;
use ruma::events::room::{
    MediaSource,
    message::{
        FileMessageEventContent, MessageType, OriginalSyncRoomMessageEvent, Relation,
        sanitize::remove_plain_reply_fallback,
    },
};
use ruma::events::{AnySyncMessageLikeEvent, AnySyncTimelineEvent, SyncMessageLikeEvent};
use ruma::{EventId, OwnedEventId};
use szpon_bots::{MessageContent, RepliedTo, RoomKind, UserMessage, documents::SharedFile};

/// The largest text file a reply reads (a course file's limit).
const MAX_TEXT_FILE_BYTES: usize = szpon_bots::MAX_TEXT_FILE_BYTES;

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
    let body = |text: &str| {
        let text = if in_reply_to.is_some() { remove_plain_reply_fallback(text) } else { text };
        MessageContent::Text { body: text.to_owned() }
    };
    let content = match &event.content.msgtype {
        MessageType::Text(text) => body(&text.body),
        MessageType::Emote(emote) => body(&emote.body),
        MessageType::Notice(_) => MessageContent::Notice,
        MessageType::File(file) => MessageContent::File(shared_file(file)),
        other => MessageContent::Other { kind: other.msgtype().to_owned() },
    };
    let mentions =
        event.content.mentions.as_ref().map(|m| m.user_ids.iter().cloned().collect()).unwrap_or_default();
    UserMessage {
        event_id: event.event_id.clone(),
        room_id: room.room_id().to_owned(),
        sender: event.sender.clone(),
        room_kind: room_kind(room).await,
        content,
        sender_power: power_level(room, &event.sender).await,
        mentions,
        in_reply_to,
    }
}

/// What a reply needs of the event it replies to, read (and decrypted) from the room: the
/// bot's own text, or a small text file's content (a course file a trainer publishes).
async fn replied_to(room: &Room, event_id: OwnedEventId) -> RepliedTo {
    let mut replied = RepliedTo::event(event_id);
    let Some(message) = replied_message(room, &replied.event_id).await else { return replied };
    if room.client().user_id() == Some(&*message.sender) {
        replied.bot_text = Some(message.content.body().to_owned());
    } else if let MessageType::File(file) = &message.content.msgtype {
        if is_package(file) {
            replied.file_package = package_file(room, file).await;
        } else {
            replied.file_text = text_file(room, file).await;
        }
    }
    replied
}

fn is_package(file: &FileMessageEventContent) -> bool {
    let name = file.filename.as_deref().unwrap_or(&file.body).to_lowercase();
    let mime = file.info.as_deref().and_then(|i| i.mimetype.as_deref());
    name.ends_with(".zip") || matches!(mime, Some("application/zip" | "application/x-zip-compressed"))
}

/// A `.zip` package's bytes, if it is within the limit (a course with its lessons' files); none
/// for a larger one, which is never downloaded whole.
async fn package_file(room: &Room, file: &FileMessageEventContent) -> Option<Vec<u8>> {
    let limit = szpon_bots::MAX_PACKAGE_BYTES;
    let size = file.info.as_deref().and_then(|i| i.size).map_or(0, u64::from);
    if size > limit as u64 {
        return None;
    }
    let bytes = room.client().media().get_file(file, false).await.ok()??;
    (bytes.len() <= limit).then_some(bytes)
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

/// The content of a file that is plainly text (Markdown, plain text, GIFT) and at most
/// [`MAX_TEXT_FILE_BYTES`]; none for anything else, which is never downloaded.
async fn text_file(room: &Room, file: &FileMessageEventContent) -> Option<String> {
    let name = file.filename.as_deref().unwrap_or(&file.body).to_lowercase();
    let info = file.info.as_deref();
    let textual = info.and_then(|i| i.mimetype.as_deref()).is_some_and(|m| m.starts_with("text/"))
        || [".md", ".markdown", ".txt", ".gift"].iter().any(|ext| name.ends_with(ext));
    let size = info.and_then(|i| i.size).map_or(0, u64::from);
    if !textual || size > MAX_TEXT_FILE_BYTES as u64 {
        return None;
    }
    let bytes = room.client().media().get_file(file, false).await.ok()??;
    if bytes.len() > MAX_TEXT_FILE_BYTES {
        return None;
    }
    String::from_utf8(bytes).ok()
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
