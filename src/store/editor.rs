//! The course editor's one-time links and sessions. Only SHA-256 hashes of their secrets are
//! kept, so that a copy of the database opens no editor.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ruma::{OwnedUserId, UserId};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::{Store, StoreError, millis};

pub(super) fn hashed(secret: &str) -> String {
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

    /// Keeps (or replaces) a file a trainer uploaded in the editor.
    pub async fn put_editor_file(
        &self,
        user: &UserId,
        name: &str,
        content: &[u8],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut txn = self.pool.begin().await?;
        sqlx::query("DELETE FROM editor_files WHERE user_id = $1 AND name = $2")
            .bind(user.as_str())
            .bind(name)
            .execute(&mut *txn)
            .await?;
        sqlx::query("INSERT INTO editor_files (user_id, name, content, uploaded_at) VALUES ($1, $2, $3, $4)")
            .bind(user.as_str())
            .bind(name)
            .bind(content)
            .bind(millis(now))
            .execute(&mut *txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The files a trainer uploaded in the editor, by name.
    pub async fn editor_files(&self, user: &UserId) -> Result<BTreeMap<String, Vec<u8>>, StoreError> {
        let rows = sqlx::query("SELECT name, content FROM editor_files WHERE user_id = $1 ORDER BY name")
            .bind(user.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| Ok((row.try_get("name")?, row.try_get("content")?))).collect()
    }

    /// Forgets one of a trainer's uploaded files, or (with no name) all of them.
    pub async fn remove_editor_files(&self, user: &UserId, name: Option<&str>) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM editor_files WHERE user_id = $1 AND ($2 = '' OR name = $2)")
            .bind(user.as_str())
            .bind(name.unwrap_or(""))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
