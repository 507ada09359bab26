//! Encrypted messages the bot could not decrypt when they came.
//!
//! Their room key may still be on its way (it travels apart from the message, and can come in a
//! later sync), so the bridge tries again for a while. A message that stays unreadable is still
//! handed on, as [`MessageContent::Unreadable`], so that the person is told and not ignored: a
//! kill at the wrong moment can lose a room key for good (see ARCHITECTURE.md).

use std::time::Duration;

use matrix_sdk::{Room, deserialized_responses::TimelineEventKind, event_handler::RawEvent};
use ruma::events::{
    AnySyncMessageLikeEvent, AnySyncTimelineEvent, SyncMessageLikeEvent,
    room::encrypted::OriginalSyncRoomEncryptedEvent,
};
use ruma::serde::Raw;
use szpon_bots::{Input, MessageContent, UserMessage};

use crate::{events, sync_point::Inbox};

/// How long a message waits for its key before the person is told it could not be read.
const KEY_WAIT: Duration = Duration::from_secs(20);
const RETRY_EVERY: Duration = Duration::from_secs(1);

/// Waits for the key of `event` and hands on what it says, or that it could not be read.
/// Runs apart from the sync, which must go on for the key to arrive.
pub(crate) async fn wait_for_key(
    event: OriginalSyncRoomEncryptedEvent,
    raw: RawEvent,
    room: Room,
    inbox: Inbox,
) {
    let raw: Raw<OriginalSyncRoomEncryptedEvent> = Raw::from_json(raw.0);
    let deadline = tokio::time::Instant::now() + KEY_WAIT;
    while tokio::time::Instant::now() < deadline {
        tokio::time::sleep(RETRY_EVERY).await;
        let Ok(decrypted) = room.decrypt_event(&raw, None).await else { continue };
        if let TimelineEventKind::Decrypted(decrypted) = decrypted.kind {
            tracing::info!(event_id = %event.event_id, "a message's key came late; it is read now");
            if let Some(input) = late_input(decrypted.event.cast(), &room).await {
                inbox.send(input).await;
            }
            return;
        }
    }
    tracing::warn!(
        event_id = %event.event_id,
        room_id = %room.room_id(),
        "a message stayed undecryptable; its sender is asked to send it again"
    );
    inbox.send(Input::Message(unreadable(&event, &room).await)).await;
}

/// The input of a message decrypted late: only messages are worth answering that late.
async fn late_input(raw: Raw<AnySyncTimelineEvent>, room: &Room) -> Option<Input> {
    match raw.deserialize().ok()? {
        AnySyncTimelineEvent::MessageLike(AnySyncMessageLikeEvent::RoomMessage(
            SyncMessageLikeEvent::Original(message),
        )) => Some(Input::Message(events::user_message(&message, room).await)),
        _ => None,
    }
}

async fn unreadable(event: &OriginalSyncRoomEncryptedEvent, room: &Room) -> UserMessage {
    events::bare_message(event.event_id.clone(), event.sender.clone(), room, MessageContent::Unreadable).await
}
