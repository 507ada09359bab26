//! Each person's private chats with the bot: rooms opened with `is_direct`, by them or by the
//! bot. Whether a room is one is the store's to say, not the room's member count.

use chrono::{DateTime, Utc};
use ruma::{RoomId, UserId};
use sqlx::AnyConnection;

use super::{Store, StoreError, learning, millis};

/// Records `room` as `user`'s private chat with the bot, where their lessons and other messages
/// for them go from now on.
pub(super) async fn record(
    conn: &mut AnyConnection,
    user: &UserId,
    room: &RoomId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO private_chats (room_id, user_id, opened_at) VALUES ($1, $2, $3) \
         ON CONFLICT (room_id) DO NOTHING",
    )
    .bind(room.as_str())
    .bind(user.as_str())
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    learning::set_direct_room(conn, user, room).await
}

impl Store {
    /// Whether `room` is one of `user`'s private chats with the bot.
    pub async fn is_private_chat(&self, room: &RoomId, user: &UserId) -> Result<bool, StoreError> {
        let found = sqlx::query("SELECT 1 FROM private_chats WHERE room_id = $1 AND user_id = $2")
            .bind(room.as_str())
            .bind(user.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// Records a private chat: one the bot opened, or one whose `is_direct` invitation it took.
    pub async fn record_private_chat(
        &self,
        user: &UserId,
        room: &RoomId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        record(&mut conn, user, room, now).await
    }
}
