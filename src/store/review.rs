//! The review queue's rows: each learner's missed quiz questions with their SM-2 schedule, and
//! whether they want the morning nudge, written inside the turn's or the job's transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use ruma::{OwnedUserId, UserId};
use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::{
    JobContext,
    review::{DueReviews, QuestionRef, ReviewChange, ReviewItem, ReviewJob, ReviewView, Schedule},
};

use super::{Store, StoreError, from_millis, millis};

/// Applies one change inside the caller's transaction.
pub(super) async fn apply(conn: &mut AnyConnection, change: &ReviewChange) -> Result<(), StoreError> {
    match change {
        // A question already queued keeps its schedule: missing it again in a quiz taken again
        // does not start it over.
        ReviewChange::Add { user_id, item } => save(conn, user_id, item, "DO NOTHING").await,
        ReviewChange::Save { user_id, item } => {
            let update = "DO UPDATE SET repetitions = excluded.repetitions, \
                          easiness_milli = excluded.easiness_milli, interval_days = excluded.interval_days, \
                          due_at = excluded.due_at, needs_extra_review = excluded.needs_extra_review";
            save(conn, user_id, item, update).await
        }
        ReviewChange::Remove { user_id, course_id, question } => {
            sqlx::query(
                "DELETE FROM review_queue WHERE user_id = $1 AND course_id = $2 AND version = $3 \
                 AND section = $4 AND question = $5",
            )
            .bind(user_id.as_str())
            .bind(course_id)
            .bind(question.version)
            .bind(place(question.section))
            .bind(place(question.question))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        ReviewChange::Nudges { user_id, on } => {
            sqlx::query(
                "INSERT INTO review_settings (user_id, nudges) VALUES ($1, $2) \
                 ON CONFLICT (user_id) DO UPDATE SET nudges = excluded.nudges",
            )
            .bind(user_id.as_str())
            .bind(i64::from(*on))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
    }
}

async fn save(
    conn: &mut AnyConnection,
    user_id: &UserId,
    item: &ReviewItem,
    on_conflict: &str,
) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO review_queue (user_id, course_id, version, section, question, repetitions, \
         easiness_milli, interval_days, due_at, needs_extra_review) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (user_id, course_id, version, section, question) {on_conflict}"
    );
    let schedule = &item.schedule;
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id.as_str())
        .bind(&item.course_id)
        .bind(item.question.version)
        .bind(place(item.question.section))
        .bind(place(item.question.question))
        .bind(i64::from(schedule.repetitions))
        .bind(i64::from(schedule.easiness_milli))
        .bind(i64::from(schedule.interval_days))
        .bind(millis(schedule.due))
        .bind(i64::from(schedule.needs_extra_review))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

fn place(index: usize) -> i64 {
    i64::try_from(index).unwrap_or(i64::MAX)
}

fn item_from_row(row: &AnyRow) -> Result<ReviewItem, StoreError> {
    let number = |column: &str| -> Result<u32, StoreError> {
        let value: i64 = row.try_get(column)?;
        Ok(u32::try_from(value).unwrap_or(u32::MAX))
    };
    let index = |column: &str| -> Result<usize, StoreError> {
        let value: i64 = row.try_get(column)?;
        Ok(usize::try_from(value).unwrap_or(usize::MAX))
    };
    let extra: i64 = row.try_get("needs_extra_review")?;
    Ok(ReviewItem {
        course_id: row.try_get("course_id")?,
        question: QuestionRef {
            version: row.try_get("version")?,
            section: index("section")?,
            question: index("question")?,
        },
        schedule: Schedule {
            repetitions: number("repetitions")?,
            easiness_milli: number("easiness_milli")?,
            interval_days: number("interval_days")?,
            due: from_millis(row.try_get("due_at")?),
            needs_extra_review: extra != 0,
        },
    })
}

/// What the morning's nudge reads: each learner with questions due by `now`, unless they turned
/// the nudge off, with the language they read.
pub(super) async fn job_context_in(
    conn: &mut AnyConnection,
    job: &ReviewJob,
    now: DateTime<Utc>,
) -> Result<JobContext, StoreError> {
    let ReviewJob::Nudges { .. } = job;
    let rows = sqlx::query(
        "SELECT q.user_id, COUNT(*) AS due FROM review_queue q WHERE q.due_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM review_settings s WHERE s.user_id = q.user_id AND s.nudges = 0) \
         GROUP BY q.user_id ORDER BY q.user_id",
    )
    .bind(millis(now))
    .fetch_all(&mut *conn)
    .await?;
    let mut learners = Vec::with_capacity(rows.len());
    for row in rows {
        let user: String = row.try_get("user_id")?;
        let due: i64 = row.try_get("due")?;
        let Ok(user_id) = OwnedUserId::try_from(user.as_str()) else { continue };
        let lang = super::gamification::language_in(conn, &user_id).await?;
        learners.push(DueReviews { user_id, due: usize::try_from(due).unwrap_or_default(), lang });
    }
    Ok(JobContext::DueReviews(learners))
}

impl Store {
    /// What `!powtórka` and a review poll's answer read: the learner's whole queue (a few dozen
    /// questions at most), the course versions its questions are in, and the nudge setting.
    pub async fn review_view(&self, user_id: &UserId) -> Result<ReviewView, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(
            "SELECT course_id, version, section, question, repetitions, easiness_milli, interval_days, \
             due_at, needs_extra_review FROM review_queue WHERE user_id = $1 ORDER BY due_at, course_id",
        )
        .bind(user_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
        let items = rows.iter().map(item_from_row).collect::<Result<Vec<_>, _>>()?;
        let mut courses = BTreeMap::new();
        for item in &items {
            let key = (item.course_id.clone(), item.question.version);
            if courses.contains_key(&key) {
                continue;
            }
            let version =
                super::learning::version_in(&mut conn, &self.courses, &item.course_id, item.question.version)
                    .await?;
            if let Some(version) = version {
                courses.insert(key, version.course);
            }
        }
        let setting = sqlx::query("SELECT nudges FROM review_settings WHERE user_id = $1")
            .bind(user_id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        let nudges = match setting {
            Some(row) => row.try_get::<i64, _>("nudges")? != 0,
            None => true,
        };
        Ok(ReviewView { items, courses, nudges })
    }
}
