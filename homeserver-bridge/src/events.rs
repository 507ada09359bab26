//! Matrix events, as matrix-sdk delivers them (already decrypted), into bot inputs.

use matrix_sdk::{Room, RoomMemberships};
use ruma::events::room::message::{MessageType, OriginalSyncRoomMessageEvent};
use ruma::events::room::power_levels::UserPowerLevel;
use szpon_bots::{MessageContent, RoomKind, UserMessage};

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
    let content = match &event.content.msgtype {
        MessageType::Text(text) => MessageContent::Text { body: text.body.clone() },
        MessageType::Emote(emote) => MessageContent::Text { body: emote.body.clone() },
        MessageType::Notice(_) => MessageContent::Notice,
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
