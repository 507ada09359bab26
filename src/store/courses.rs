//! Published courses: every version kept as the trainer sent it.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use szpon_bots::courses::{CourseChange, LessonFile, Publication};
use szpon_course_engine::FileInfo;

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
    super::numbered_insert(inserted)?;
    for file in &publication.files {
        store_file(conn, &publication.course_id, file).await?;
    }
    Ok(())
}

/// A lesson file of the version just inserted (the course's highest): sent with it, or copied
/// from the version before.
async fn store_file(conn: &mut AnyConnection, course_id: &str, file: &LessonFile) -> Result<(), StoreError> {
    let latest = "(SELECT MAX(version) FROM courses WHERE course_id = $1)";
    match file {
        LessonFile::New { info, bytes } => {
            let (width, height) =
                info.image.map_or((None, None), |(w, h)| (Some(i64::from(w)), Some(i64::from(h))));
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO course_files (course_id, version, name, mime, size, width, height, sha256, content) \
                 VALUES ($1, {latest}, $2, $3, $4, $5, $6, $7, $8)"
            )))
            .bind(course_id)
            .bind(&info.name)
            .bind(&info.mime)
            .bind(i64::try_from(info.size).unwrap_or(i64::MAX))
            .bind(width)
            .bind(height)
            .bind(hex::encode(Sha256::digest(bytes)))
            .bind(bytes.as_slice())
            .execute(&mut *conn)
            .await?;
        }
        LessonFile::Kept { name } => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO course_files (course_id, version, name, mime, size, width, height, sha256, content) \
                 SELECT course_id, {latest}, name, mime, size, width, height, sha256, content FROM course_files \
                 WHERE course_id = $1 AND name = $2 AND version = {latest} - 1"
            )))
            .bind(course_id)
            .bind(name)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// A course file as delivered: what it is, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub info: FileInfo,
    pub sha256: String,
    pub content: Vec<u8>,
}

fn stored_file(row: &sqlx::any::AnyRow, with_content: bool) -> Result<StoredFile, StoreError> {
    let width: Option<i64> = row.try_get("width")?;
    let height: Option<i64> = row.try_get("height")?;
    let image = width.zip(height).and_then(|(w, h)| Some((u32::try_from(w).ok()?, u32::try_from(h).ok()?)));
    Ok(StoredFile {
        info: FileInfo {
            name: row.try_get("name")?,
            mime: row.try_get("mime")?,
            size: u64::try_from(row.try_get::<i64, _>("size")?).unwrap_or_default(),
            image,
        },
        sha256: row.try_get("sha256")?,
        content: if with_content { row.try_get("content")? } else { Vec::new() },
    })
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
            files: Vec::new(),
        };
        Ok(Some((row.try_get("version")?, publication)))
    }

    /// One file of a course version.
    pub async fn course_file(
        &self,
        course_id: &str,
        version: i64,
        name: &str,
    ) -> Result<Option<StoredFile>, StoreError> {
        let row = sqlx::query(
            "SELECT name, mime, size, width, height, sha256, content FROM course_files \
             WHERE course_id = $1 AND version = $2 AND name = $3",
        )
        .bind(course_id)
        .bind(version)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(|row| stored_file(row, true)).transpose()
    }

    /// What files a course version has, without their bytes.
    pub async fn course_file_infos(
        &self,
        course_id: &str,
        version: i64,
    ) -> Result<BTreeMap<String, FileInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT name, mime, size, width, height, sha256 FROM course_files \
             WHERE course_id = $1 AND version = $2",
        )
        .bind(course_id)
        .bind(version)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| stored_file(row, false).map(|f| (f.info.name.clone(), f.info))).collect()
    }

    /// Every file of a course version, by name.
    pub async fn course_files(
        &self,
        course_id: &str,
        version: i64,
    ) -> Result<BTreeMap<String, StoredFile>, StoreError> {
        let rows = sqlx::query(
            "SELECT name, mime, size, width, height, sha256, content FROM course_files \
             WHERE course_id = $1 AND version = $2 ORDER BY name",
        )
        .bind(course_id)
        .bind(version)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| stored_file(row, true).map(|f| (f.info.name.clone(), f))).collect()
    }

    /// A course version's file as given, read back: its Markdown (questions in GIFT), packed in
    /// a `.zip` with its lessons' files if it has any; its name and type.
    pub async fn course_export(
        &self,
        course_id: &str,
        version: i64,
    ) -> Result<Option<StoredFile>, StoreError> {
        let source: Option<String> =
            sqlx::query("SELECT source FROM courses WHERE course_id = $1 AND version = $2")
                .bind(course_id)
                .bind(version)
                .fetch_optional(&self.pool)
                .await?
                .map(|row| row.try_get("source"))
                .transpose()?;
        let Some(source) = source else { return Ok(None) };
        let markdown = szpon_course_engine::export_markdown(&source).unwrap_or(source);
        let files = self.course_files(course_id, version).await?;
        let (name, mime, content) = if files.is_empty() {
            (format!("{course_id}.md"), "text/markdown", markdown.into_bytes())
        } else {
            let files = files.into_iter().map(|(name, file)| (name, file.content)).collect();
            let package = szpon_course_engine::write_package(&format!("{course_id}.md"), &markdown, &files);
            (format!("{course_id}.zip"), "application/zip", package)
        };
        Ok(Some(StoredFile {
            info: FileInfo { name, mime: mime.to_owned(), size: content.len() as u64, image: None },
            sha256: hex::encode(Sha256::digest(&content)),
            content,
        }))
    }
}
