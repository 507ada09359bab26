//! Video calls and their single-use links. Calls are written when the gateway has opened their
//! room (at the edge, not in a turn): a call in the store always has a Janus room, or had one.

use chrono::{DateTime, Utc};
use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId, RoomId, UserId};
use sqlx::{Row, any::AnyRow};
use szpon_bots::{Lang, calls::ActiveCall, calls::CallsView};

use super::{Store, StoreError, editor::hashed, from_millis, millis};

/// A call as the store keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredCall {
    pub id: String,
    pub room_id: OwnedRoomId,
    pub janus_room: u64,
    pub pin: String,
    pub secret: String,
    pub lang: Lang,
    pub started_by: OwnedUserId,
    pub started_at: DateTime<Utc>,
    pub last_occupied_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    /// A LIVE broadcast: who alone sends video, and what it is called.
    pub live: Option<Broadcast>,
}

/// What makes a call a LIVE broadcast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    pub presenter: OwnedUserId,
    pub title: String,
    /// The announcement that shows the viewer count, once posted; it is edited as it changes.
    pub status_event: Option<OwnedEventId>,
    /// The count it shows.
    pub viewers_shown: Option<i64>,
    /// The most who watched at once.
    pub viewers_most: i64,
}

impl StoredCall {
    /// Everyone sends video in a call; in a broadcast, the presenter alone.
    pub fn may_send_video(&self, user: &UserId) -> bool {
        self.live.as_ref().is_none_or(|live| live.presenter == user)
    }
}

impl std::fmt::Debug for StoredCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredCall")
            .field("id", &self.id)
            .field("room_id", &self.room_id)
            .field("janus_room", &self.janus_room)
            .field("ended_at", &self.ended_at)
            .finish_non_exhaustive()
    }
}

const COLUMNS: &str = "id, room_id, janus_room, pin, secret, lang, started_by, started_at, last_occupied_at, \
     ended_at, presenter, title, status_event, viewers_shown, viewers_most";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("call {what} {value:?}"))
}

fn call_from_row(row: &AnyRow) -> Result<StoredCall, StoreError> {
    let room: String = row.try_get("room_id")?;
    let by: String = row.try_get("started_by")?;
    let lang: String = row.try_get("lang")?;
    let janus_room: i64 = row.try_get("janus_room")?;
    Ok(StoredCall {
        id: row.try_get("id")?,
        room_id: room.as_str().try_into().map_err(|_| corrupt("room", &room))?,
        janus_room: u64::try_from(janus_room).map_err(|_| corrupt("janus room", &janus_room.to_string()))?,
        pin: row.try_get("pin")?,
        secret: row.try_get("secret")?,
        lang: Lang::parse(&lang).unwrap_or_default(),
        started_by: by.as_str().try_into().map_err(|_| corrupt("starter", &by))?,
        started_at: from_millis(row.try_get("started_at")?),
        last_occupied_at: from_millis(row.try_get("last_occupied_at")?),
        ended_at: row.try_get::<Option<i64>, _>("ended_at")?.map(from_millis),
        live: broadcast_from_row(row)?,
    })
}

fn broadcast_from_row(row: &AnyRow) -> Result<Option<Broadcast>, StoreError> {
    let Some(presenter) = row.try_get::<Option<String>, _>("presenter")? else { return Ok(None) };
    let status: Option<String> = row.try_get("status_event")?;
    Ok(Some(Broadcast {
        presenter: presenter.as_str().try_into().map_err(|_| corrupt("presenter", &presenter))?,
        title: row.try_get::<Option<String>, _>("title")?.unwrap_or_default(),
        status_event: status
            .map(|e| e.as_str().try_into().map_err(|_| corrupt("status event", &e)))
            .transpose()?,
        viewers_shown: row.try_get("viewers_shown")?,
        viewers_most: row.try_get("viewers_most")?,
    }))
}

impl Store {
    /// What a call command reads: the room's call under way.
    pub async fn calls_view(&self, room: &RoomId) -> Result<CallsView, StoreError> {
        let active = self.active_call(room).await?.map(|call| ActiveCall {
            id: call.id,
            started_by: call.started_by,
            started_at: call.started_at,
            live: call.live.is_some(),
        });
        Ok(CallsView { active })
    }

    pub async fn active_call(&self, room: &RoomId) -> Result<Option<StoredCall>, StoreError> {
        let query = format!("SELECT {COLUMNS} FROM calls WHERE room_id = $1 AND ended_at IS NULL");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(query)).bind(room.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(call_from_row).transpose()
    }

    pub async fn call(&self, id: &str) -> Result<Option<StoredCall>, StoreError> {
        let query = format!("SELECT {COLUMNS} FROM calls WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(query)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(call_from_row).transpose()
    }

    /// Every call under way, oldest first.
    pub async fn active_calls(&self) -> Result<Vec<StoredCall>, StoreError> {
        let query = format!("SELECT {COLUMNS} FROM calls WHERE ended_at IS NULL ORDER BY started_at");
        let rows = sqlx::query(sqlx::AssertSqlSafe(query)).fetch_all(&self.pool).await?;
        rows.iter().map(call_from_row).collect()
    }

    /// Ended calls whose Janus room is still to be destroyed.
    pub async fn calls_to_close(&self) -> Result<Vec<StoredCall>, StoreError> {
        let query =
            format!("SELECT {COLUMNS} FROM calls WHERE ended_at IS NOT NULL AND janus_closed_at IS NULL");
        let rows = sqlx::query(sqlx::AssertSqlSafe(query)).fetch_all(&self.pool).await?;
        rows.iter().map(call_from_row).collect()
    }

    /// The call a Janus room number belongs to, ended or not.
    pub async fn call_of_janus_room(&self, janus_room: u64) -> Result<Option<StoredCall>, StoreError> {
        let query = format!("SELECT {COLUMNS} FROM calls WHERE janus_room = $1");
        let number = i64::try_from(janus_room).unwrap_or(i64::MAX);
        let row = sqlx::query(sqlx::AssertSqlSafe(query)).bind(number).fetch_optional(&self.pool).await?;
        row.as_ref().map(call_from_row).transpose()
    }

    /// Records a call whose Janus room is open. Returns false, writing nothing, if the room has a
    /// call under way already.
    pub async fn record_call(&self, call: &StoredCall) -> Result<bool, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO calls (id, room_id, janus_room, pin, secret, lang, started_by, started_at, \
             last_occupied_at, presenter, title, viewers_shown) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, \
             $10, $11) ON CONFLICT DO NOTHING",
        )
        .bind(&call.id)
        .bind(call.room_id.as_str())
        .bind(
            i64::try_from(call.janus_room)
                .map_err(|_| corrupt("janus room", &call.janus_room.to_string()))?,
        )
        .bind(&call.pin)
        .bind(&call.secret)
        .bind(call.lang.tag())
        .bind(call.started_by.as_str())
        .bind(millis(call.started_at))
        .bind(call.live.as_ref().map(|live| live.presenter.to_string()))
        .bind(call.live.as_ref().map(|live| live.title.clone()))
        .bind(call.live.as_ref().and_then(|live| live.viewers_shown))
        .execute(&self.pool)
        .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Someone was in the call at `now`.
    pub async fn call_occupied(&self, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE calls SET last_occupied_at = $1 WHERE id = $2 AND ended_at IS NULL")
            .bind(millis(now))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends a call; false if it had ended already.
    pub async fn end_call(
        &self,
        id: &str,
        by: Option<&UserId>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let ended =
            sqlx::query("UPDATE calls SET ended_at = $1, ended_by = $2 WHERE id = $3 AND ended_at IS NULL")
                .bind(millis(now))
                .bind(by.map(UserId::as_str))
                .bind(id)
                .execute(&self.pool)
                .await?;
        Ok(ended.rows_affected() == 1)
    }

    /// The broadcast's announcement, to edit as its viewer count changes.
    pub async fn broadcast_announced(&self, id: &str, event: &ruma::EventId) -> Result<(), StoreError> {
        sqlx::query("UPDATE calls SET status_event = $1 WHERE id = $2 AND status_event IS NULL")
            .bind(event.as_str())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The broadcast's announcement is to show `viewers`: false if it shows that already.
    pub async fn show_viewers(&self, id: &str, viewers: i64) -> Result<bool, StoreError> {
        let changed = sqlx::query(
            "UPDATE calls SET viewers_shown = $1, viewers_most = CASE WHEN viewers_most < $1 THEN $1 \
             ELSE viewers_most END WHERE id = $2 AND presenter IS NOT NULL AND ended_at IS NULL \
             AND (viewers_shown IS NULL OR viewers_shown <> $1)",
        )
        .bind(viewers)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(changed.rows_affected() == 1)
    }

    /// The call's Janus room is gone.
    pub async fn call_closed(&self, id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE calls SET janus_closed_at = $1 WHERE id = $2 AND janus_closed_at IS NULL")
            .bind(millis(now))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Keeps the hash of a person's single-use link to a call.
    pub async fn add_call_ticket(
        &self,
        token: &str,
        call_id: &str,
        user: &UserId,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO call_tickets (token_hash, call_id, user_id, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(hashed(token))
        .bind(call_id)
        .bind(user.as_str())
        .bind(millis(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Spends a link: its call (under way) and person, once, before it expires.
    pub async fn redeem_call_ticket(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(StoredCall, OwnedUserId)>, StoreError> {
        let row = sqlx::query(
            "UPDATE call_tickets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             RETURNING call_id, user_id",
        )
        .bind(millis(now))
        .bind(hashed(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let call_id: String = row.try_get("call_id")?;
        let user: String = row.try_get("user_id")?;
        let user: OwnedUserId = user.as_str().try_into().map_err(|_| corrupt("ticket user", &user))?;
        Ok(self.call(&call_id).await?.filter(|call| call.ended_at.is_none()).map(|call| (call, user)))
    }

    /// Keeps the hash of a person's seat in a call, for their browser's cookie.
    pub async fn add_call_seat(
        &self,
        token: &str,
        call_id: &str,
        user: &UserId,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO call_seats (token_hash, call_id, user_id, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(hashed(token))
        .bind(call_id)
        .bind(user.as_str())
        .bind(millis(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The call under way and the person a seat is theirs, if it is a seat in `call_id` and
    /// has not expired.
    pub async fn call_seat(
        &self,
        token: &str,
        call_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(StoredCall, OwnedUserId)>, StoreError> {
        let row = sqlx::query(
            "SELECT user_id FROM call_seats WHERE token_hash = $1 AND call_id = $2 AND expires_at > $3",
        )
        .bind(hashed(token))
        .bind(call_id)
        .bind(millis(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user: String = row.try_get("user_id")?;
        let user: OwnedUserId = user.as_str().try_into().map_err(|_| corrupt("seat user", &user))?;
        Ok(self.call(call_id).await?.filter(|call| call.ended_at.is_none()).map(|call| (call, user)))
    }
}
