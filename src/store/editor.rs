//! The course editor's one-time links and sessions. Only SHA-256 hashes of their secrets are
//! kept, so that a copy of the database opens no editor.

use chrono::{DateTime, Utc};
use ruma::{OwnedUserId, UserId};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::{Store, StoreError, millis};

fn hashed(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Records a one-time link's secret, inside the caller's transaction.
pub(super) async fn add_ticket(
    conn: &mut AnyConnection,
    token: &str,
    user: &UserId,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO editor_tickets (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(hashed(token))
        .bind(user.as_str())
        .bind(millis(expires_at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// Spends a one-time link: its trainer, if it is known, unused and not expired.
    pub async fn redeem_editor_ticket(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<OwnedUserId>, StoreError> {
        let row = sqlx::query(
            "UPDATE editor_tickets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             RETURNING user_id",
        )
        .bind(millis(now))
        .bind(hashed(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let user: String = row.try_get("user_id")?;
        Ok(Some(user.as_str().try_into().map_err(|_| StoreError::Corrupt(format!("editor user {user:?}")))?))
    }

    pub async fn open_editor_session(
        &self,
        session: &str,
        user: &UserId,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO editor_sessions (session_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(hashed(session))
            .bind(user.as_str())
            .bind(millis(expires_at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The trainer of a live session.
    pub async fn editor_session(
        &self,
        session: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<OwnedUserId>, StoreError> {
        let row =
            sqlx::query("SELECT user_id FROM editor_sessions WHERE session_hash = $1 AND expires_at > $2")
                .bind(hashed(session))
                .bind(millis(now))
                .fetch_optional(&self.pool)
                .await?;
        let Some(row) = row else { return Ok(None) };
        let user: String = row.try_get("user_id")?;
        Ok(Some(user.as_str().try_into().map_err(|_| StoreError::Corrupt(format!("editor user {user:?}")))?))
    }

    pub async fn close_editor_session(&self, session: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM editor_sessions WHERE session_hash = $1")
            .bind(hashed(session))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
