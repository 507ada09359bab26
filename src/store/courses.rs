//! Published courses: every version kept as the trainer sent it.

use sqlx::{AnyConnection, Row};
use szpon_bots::courses::{CourseChange, Publication};

use super::{Store, StoreError, from_millis, millis};

/// Applies one change inside the caller's transaction.
pub(super) async fn apply(conn: &mut AnyConnection, change: &CourseChange) -> Result<(), StoreError> {
    let CourseChange::Publish(publication) = change else {
        unreachable!("learners' changes are stored by the learning module")
    };
    // The next version number is drawn inside the insert; two trainers publishing one course at
    // once collide on the key, and the later turn is decided again.
    let inserted = sqlx::query(
        "INSERT INTO courses (course_id, version, title, source, published_by, room_id, published_at) \
         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6 FROM courses WHERE course_id = $1",
    )
    .bind(&publication.course_id)
    .bind(&publication.title)
    .bind(&publication.source)
    .bind(publication.published_by.as_str())
    .bind(publication.room_id.as_ref().map_or("", |r| r.as_str()))
    .bind(millis(publication.published_at))
    .execute(&mut *conn)
    .await;
    super::numbered_insert(inserted)
}

impl Store {
    /// A course's latest version and its number.
    pub async fn latest_course(&self, course_id: &str) -> Result<Option<(i64, Publication)>, StoreError> {
        let row = sqlx::query(
            "SELECT version, title, source, published_by, room_id, published_at FROM courses \
             WHERE course_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(course_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let corrupt = |what: &str| StoreError::Corrupt(format!("course {course_id} {what}"));
        let by: String = row.try_get("published_by")?;
        let room: String = row.try_get("room_id")?;
        let publication = Publication {
            course_id: course_id.to_owned(),
            title: row.try_get("title")?,
            source: row.try_get("source")?,
            published_by: by.as_str().try_into().map_err(|_| corrupt("publisher"))?,
            // Published from the web editor by a trainer the bot had no chat with: no room.
            room_id: (!room.is_empty())
                .then(|| room.as_str().try_into().map_err(|_| corrupt("room")))
                .transpose()?,
            published_at: from_millis(row.try_get("published_at")?),
        };
        Ok(Some((row.try_get("version")?, publication)))
    }
}
