//! The document register: references to shared files, written with the turn that saw them.

use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::documents::{Document, DocumentChange, DocumentsView, REGISTER_LIMIT, SharedFile};

use super::{Store, StoreError, from_millis, millis};

const COLUMNS: &str = "room_id, event_id, sender, name, mimetype, size, url, shared_at";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("document {what} {value:?}"))
}

fn document_from_row(row: &AnyRow) -> Result<Document, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> { Ok(row.try_get(column)?) };
    let (room, event, sender, url) = (text("room_id")?, text("event_id")?, text("sender")?, text("url")?);
    Ok(Document {
        room_id: room.as_str().try_into().map_err(|_| corrupt("room", &room))?,
        event_id: event.as_str().try_into().map_err(|_| corrupt("event", &event))?,
        sender: sender.as_str().try_into().map_err(|_| corrupt("sender", &sender))?,
        file: SharedFile {
            name: text("name")?,
            mimetype: row.try_get("mimetype")?,
            size: row.try_get::<Option<i64>, _>("size")?.and_then(|s| u64::try_from(s).ok()),
            url: url.as_str().into(),
        },
        shared_at: from_millis(row.try_get("shared_at")?),
    })
}

/// Applies one change inside the caller's transaction.
pub(super) async fn apply(conn: &mut AnyConnection, change: &DocumentChange) -> Result<(), StoreError> {
    match change {
        DocumentChange::Record(document) => {
            sqlx::query(
                "INSERT INTO documents (room_id, event_id, sender, name, mimetype, size, url, shared_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (room_id, event_id) DO NOTHING",
            )
            .bind(document.room_id.as_str())
            .bind(document.event_id.as_str())
            .bind(document.sender.as_str())
            .bind(&document.file.name)
            .bind(document.file.mimetype.clone())
            .bind(document.file.size.and_then(|s| i64::try_from(s).ok()))
            .bind(document.file.url.as_str())
            .bind(millis(document.shared_at))
            .execute(&mut *conn)
            .await?;
        }
        DocumentChange::Forget { room_id, event_id } => {
            sqlx::query("DELETE FROM documents WHERE room_id = $1 AND event_id = $2")
                .bind(room_id.as_str())
                .bind(event_id.as_str())
                .execute(&mut *conn)
                .await?;
            // A task keeps its place, but no longer points at a file its room deleted.
            sqlx::query(
                "UPDATE tasks SET attachment_event = NULL, attachment_name = NULL \
                 WHERE room_id = $1 AND attachment_event = $2",
            )
            .bind(room_id.as_str())
            .bind(event_id.as_str())
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// The file a message replies to, if the register has it.
    pub async fn document(
        &self,
        room_id: &ruma::RoomId,
        event_id: &ruma::EventId,
    ) -> Result<Option<Document>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM documents WHERE room_id = $1 AND event_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(room_id.as_str())
            .bind(event_id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(document_from_row).transpose()
    }

    /// A room's register: the newest files and how many there are.
    pub async fn document_register(&self, room_id: &ruma::RoomId) -> Result<DocumentsView, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM documents WHERE room_id = $1 \
             ORDER BY shared_at DESC, event_id LIMIT {REGISTER_LIMIT}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(room_id.as_str()).fetch_all(&mut *conn).await?;
        let listed = rows.iter().map(document_from_row).collect::<Result<Vec<_>, _>>()?;
        let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM documents WHERE room_id = $1")
            .bind(room_id.as_str())
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
        Ok(DocumentsView { listed, count: count.max(0) as u64 })
    }
}
