//! Certificates' rows: one per learner and course, kept inside the turn's transaction under a
//! code drawn here, named on first delivery, read by the PDF and by the check page.

use rand::Rng;
use ruma::{OwnedUserId, UserId};
use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::{
    booking::CODE_ALPHABET,
    certificates::{CODE_CHARS, Certificate, CertificateChange},
};

use super::{Store, StoreError, from_millis, millis};

/// Applies one change inside the caller's transaction. A course finished again (or the same
/// turn handled twice) keeps the first certificate and its code.
pub(super) async fn apply(conn: &mut AnyConnection, change: &CertificateChange) -> Result<(), StoreError> {
    let CertificateChange::Earned { user_id, course_id, version, title, minutes, score, at } = change;
    sqlx::query(
        "INSERT INTO certificates (code, user_id, course_id, version, title, minutes, score, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id, course_id) DO NOTHING",
    )
    .bind(new_code())
    .bind(user_id.as_str())
    .bind(course_id)
    .bind(*version)
    .bind(title)
    .bind(minutes.map(i64::from))
    .bind(score.map(i64::from))
    .bind(millis(*at))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn new_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_CHARS).map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())])).collect()
}

const COLUMNS: &str = "code, user_id, course_id, title, minutes, score, issued_at, learner_name";

fn from_row(row: &AnyRow) -> Result<Certificate, StoreError> {
    let user: String = row.try_get("user_id")?;
    let number = |column: &str| -> Result<Option<i64>, StoreError> { Ok(row.try_get(column)?) };
    Ok(Certificate {
        code: row.try_get("code")?,
        user_id: OwnedUserId::try_from(user.as_str())
            .map_err(|_| StoreError::Corrupt(format!("certificate user {user:?}")))?,
        learner_name: row.try_get("learner_name")?,
        course_id: row.try_get("course_id")?,
        title: row.try_get("title")?,
        minutes: number("minutes")?.and_then(|m| u32::try_from(m).ok()),
        score: number("score")?.and_then(|s| u8::try_from(s).ok()),
        issued_at: from_millis(row.try_get("issued_at")?),
    })
}

impl Store {
    /// The certificate with this code (as printed, in capitals without dashes).
    pub async fn certificate(&self, code: &str) -> Result<Option<Certificate>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM certificates WHERE code = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(&self.pool).await?;
        row.as_ref().map(from_row).transpose()
    }

    /// A learner's certificate of a course.
    pub async fn certificate_of(
        &self,
        user: &UserId,
        course_id: &str,
    ) -> Result<Option<Certificate>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM certificates WHERE user_id = $1 AND course_id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user.as_str())
            .bind(course_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Names the learner on a certificate, once: the name it was first sent with stays.
    pub async fn name_certificate(&self, code: &str, name: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE certificates SET learner_name = $1 WHERE code = $2 AND learner_name IS NULL")
            .bind(name)
            .bind(code)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
