//! The directory of people and their attributes, which course audiences are chosen by.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row};
use szpon_bots::courses::DirectoryChange;
use szpon_course_engine::directory::Entry;

use super::{Store, StoreError, millis};

/// The rows an import's source holds.
const IMPORT: &str = "import";

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// A change from a directory room's membership, inside the caller's transaction. The imported
/// directory wins: a member it already has keeps its attributes.
pub(super) async fn apply(
    conn: &mut AnyConnection,
    change: &DirectoryChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match change {
        DirectoryChange::Set { user_id, attributes, source } => {
            let value = |k: &str| attributes.get(k).cloned();
            sqlx::query(
                "INSERT INTO directory (user_id, office, department, role, kind, source, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO UPDATE SET office = $2, \
                 department = $3, role = $4, kind = $5, source = $6, updated_at = $7 WHERE directory.source <> $8",
            )
            .bind(user_id.as_str())
            .bind(value("office"))
            .bind(value("department"))
            .bind(value("role"))
            .bind(value("kind"))
            .bind(source)
            .bind(millis(now))
            .bind(IMPORT)
            .execute(&mut *conn)
            .await?;
        }
        DirectoryChange::Remove { user_id, source } => {
            sqlx::query("DELETE FROM directory WHERE user_id = $1 AND source = $2")
                .bind(user_id.as_str())
                .bind(source)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

impl Store {
    /// Where each person of the directory comes from ("import", or "room:<id>").
    pub async fn directory_sources(&self) -> Result<Vec<(ruma::OwnedUserId, String)>, StoreError> {
        let rows = sqlx::query("SELECT user_id, source FROM directory ORDER BY user_id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let user: String = row.try_get("user_id")?;
                let user = user
                    .as_str()
                    .try_into()
                    .map_err(|_| StoreError::Corrupt(format!("directory user {user:?}")))?;
                Ok((user, row.try_get("source")?))
            })
            .collect()
    }

    /// Makes a directory room's rows its members, as they are now: those who left while szpon
    /// was away are removed, the others added (the imported directory winning), all at once.
    pub async fn replace_directory_source(
        &self,
        members: &[DirectoryChange],
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM directory WHERE source = $1").bind(source).execute(&mut *tx).await?;
        for change in members {
            apply(&mut tx, change, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Replaces the imported part of the directory with `entries`, all or nothing: people not in
    /// the file leave it, the others are added or updated.
    pub async fn import_directory(
        &self,
        entries: &[Entry],
        now: DateTime<Utc>,
    ) -> Result<ImportCounts, StoreError> {
        let mut tx = self.pool.begin().await?;
        let existing =
            sqlx::query("SELECT user_id, office, department, role, kind FROM directory WHERE source = $1")
                .bind(IMPORT)
                .fetch_all(&mut *tx)
                .await?;
        let mut before = std::collections::BTreeMap::new();
        for row in existing {
            let user: String = row.try_get("user_id")?;
            let attributes: Vec<Option<String>> = ["office", "department", "role", "kind"]
                .iter()
                .map(|c| row.try_get::<Option<String>, _>(*c))
                .collect::<Result<_, _>>()?;
            before.insert(user, attributes);
        }
        let mut counts = ImportCounts::default();
        for entry in entries {
            let attributes: Vec<Option<String>> = ["office", "department", "role", "kind"]
                .iter()
                .map(|c| entry.attributes.get(*c).cloned())
                .collect();
            match before.remove(entry.user_id.as_str()) {
                Some(old) if old == attributes => {
                    counts.unchanged += 1;
                    continue;
                }
                Some(_) => counts.changed += 1,
                None => counts.added += 1,
            }
            sqlx::query(
                "INSERT INTO directory (user_id, office, department, role, kind, source, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO UPDATE SET office = $2, \
                 department = $3, role = $4, kind = $5, source = $6, updated_at = $7",
            )
            .bind(entry.user_id.as_str())
            .bind(attributes[0].clone())
            .bind(attributes[1].clone())
            .bind(attributes[2].clone())
            .bind(attributes[3].clone())
            .bind(IMPORT)
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
        }
        for gone in before.keys() {
            sqlx::query("DELETE FROM directory WHERE user_id = $1 AND source = $2")
                .bind(gone)
                .bind(IMPORT)
                .execute(&mut *tx)
                .await?;
            counts.removed += 1;
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// Everyone in the directory, by user ID.
    pub async fn directory(&self) -> Result<Vec<Entry>, StoreError> {
        let rows =
            sqlx::query("SELECT user_id, office, department, role, kind FROM directory ORDER BY user_id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                let user: String = row.try_get("user_id")?;
                let mut attributes = szpon_course_engine::Attributes::new();
                for column in ["office", "department", "role", "kind"] {
                    if let Some(value) = row.try_get::<Option<String>, _>(column)? {
                        attributes.insert(column.to_owned(), value);
                    }
                }
                let user_id = user
                    .as_str()
                    .try_into()
                    .map_err(|_| StoreError::Corrupt(format!("directory user {user:?}")))?;
                Ok(Entry { user_id, attributes })
            })
            .collect()
    }
}
