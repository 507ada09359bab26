//! LIVE events, their questions and upvotes, written inside the turn's transaction.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::{JobContext, live::LiveJob};
use szpon_bots::{
    Lang,
    learning::{CourseNamed, find_course},
    live::{
        AlertContext, CourseTarget, LIST_LIMIT, LiveChange, LiveCommand, LiveEvent, LiveView, QUESTIONS_KEPT,
        QUESTIONS_OPEN_BEFORE, Question,
    },
};

use super::{Store, StoreError, from_millis, millis};

const COLUMNS: &str =
    "room_id, number, title, starts_at, ends_at, presenter, lang, created_at, cancelled_at, course_id";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("live event {what} {value:?}"))
}

fn event_from_row(row: &AnyRow) -> Result<LiveEvent, StoreError> {
    let room: String = row.try_get("room_id")?;
    let presenter: String = row.try_get("presenter")?;
    let lang: String = row.try_get("lang")?;
    Ok(LiveEvent {
        room_id: room.as_str().try_into().map_err(|_| corrupt("room", &room))?,
        number: row.try_get("number")?,
        title: row.try_get("title")?,
        start: from_millis(row.try_get("starts_at")?),
        end: from_millis(row.try_get("ends_at")?),
        presenter: presenter.as_str().try_into().map_err(|_| corrupt("presenter", &presenter))?,
        lang: Lang::parse(&lang).unwrap_or_default(),
        created_at: from_millis(row.try_get("created_at")?),
        cancelled_at: row.try_get::<Option<i64>, _>("cancelled_at")?.map(from_millis),
        course_id: row.try_get("course_id")?,
    })
}

/// Applies one change inside the caller's transaction.
pub(super) async fn apply(conn: &mut AnyConnection, change: &LiveChange) -> Result<(), StoreError> {
    match change {
        LiveChange::Schedule(event) => {
            let inserted = sqlx::query(
                "INSERT INTO live_events (room_id, number, title, starts_at, ends_at, presenter, lang, created_at, \
                 course_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(event.room_id.as_str())
            .bind(event.number)
            .bind(&event.title)
            .bind(millis(event.start))
            .bind(millis(event.end))
            .bind(event.presenter.as_str())
            .bind(event.lang.tag())
            .bind(millis(event.created_at))
            .bind(event.course_id.as_deref())
            .execute(&mut *conn)
            .await;
            super::numbered_insert(inserted)
        }
        LiveChange::Cancel { room_id, number, at } => {
            let cancelled = sqlx::query(
                "UPDATE live_events SET cancelled_at = $1 WHERE room_id = $2 AND number = $3 AND cancelled_at IS NULL",
            )
            .bind(millis(*at))
            .bind(room_id.as_str())
            .bind(number)
            .execute(&mut *conn)
            .await?;
            if cancelled.rows_affected() == 0 {
                // Cancelled by someone else meanwhile: the turn is decided again and says so.
                return Err(StoreError::TaskChanged);
            }
            Ok(())
        }
        LiveChange::Ask { room_id, number, event_id, asker, text, at } => {
            sqlx::query(
                "INSERT INTO live_questions (event_id, room_id, number, asker, text, asked_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .bind(event_id.as_str())
            .bind(room_id.as_str())
            .bind(number)
            .bind(asker.as_str())
            .bind(text)
            .bind(millis(*at))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        LiveChange::Upvote { room_id, question, voter, reaction } => {
            // Only a question of this room, and not by the voter: a reaction to anything else
            // is no upvote and leaves nothing behind.
            sqlx::query(
                "INSERT INTO live_upvotes (reaction_event, question_event, voter) \
                 SELECT $1, event_id, $2 FROM live_questions WHERE event_id = $3 AND room_id = $4 AND asker <> $2 \
                 ON CONFLICT DO NOTHING",
            )
            .bind(reaction.as_str())
            .bind(voter.as_str())
            .bind(question.as_str())
            .bind(room_id.as_str())
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        LiveChange::Withdraw { room_id, redacted } => {
            sqlx::query("DELETE FROM live_upvotes WHERE reaction_event = $1")
                .bind(redacted.as_str())
                .execute(&mut *conn)
                .await?;
            let withdrawn = sqlx::query("DELETE FROM live_questions WHERE event_id = $1 AND room_id = $2")
                .bind(redacted.as_str())
                .bind(room_id.as_str())
                .execute(&mut *conn)
                .await?;
            if withdrawn.rows_affected() > 0 {
                sqlx::query("DELETE FROM live_upvotes WHERE question_event = $1")
                    .bind(redacted.as_str())
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(())
        }
    }
}

/// An event, cancelled or not.
pub(super) async fn event_in(
    conn: &mut AnyConnection,
    room_id: &ruma::RoomId,
    number: i64,
) -> Result<Option<LiveEvent>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM live_events WHERE room_id = $1 AND number = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(room_id.as_str())
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(event_from_row).transpose()
}

/// What a LIVE event's job reads when it falls due.
pub(super) async fn job_context_in(
    conn: &mut AnyConnection,
    job: &LiveJob,
) -> Result<JobContext, StoreError> {
    let LiveJob::Alert { room_id, number, .. } = job;
    let event = event_in(conn, room_id, *number).await?;
    let mut context = AlertContext::default();
    if let Some(course_id) = event.as_ref().and_then(|e| e.course_id.clone()) {
        (_, context.learners) = super::learning::course_audience_in(conn, &course_id).await?;
        context.course_title = course_title_in(conn, &course_id).await?;
    }
    context.event = event;
    Ok(JobContext::Live(context))
}

/// A course's latest title, or its ID if it has none (any more).
async fn course_title_in(conn: &mut AnyConnection, course_id: &str) -> Result<String, StoreError> {
    let row = sqlx::query("SELECT title FROM courses WHERE course_id = $1 ORDER BY version DESC LIMIT 1")
        .bind(course_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(row) => row.try_get("title")?,
        None => course_id.to_owned(),
    })
}

/// The number the next event of a room gets.
async fn next_number_in(conn: &mut AnyConnection, room_id: &ruma::RoomId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS next FROM live_events WHERE room_id = $1")
        .bind(room_id.as_str())
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get("next")?)
}

/// The room's event whose questions are asked or listed now: the one taking questions, or else
/// the last one that ended within [`QUESTIONS_KEPT`].
async fn current_in(
    conn: &mut AnyConnection,
    room_id: &ruma::RoomId,
    now: DateTime<Utc>,
) -> Result<Option<LiveEvent>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM live_events WHERE room_id = $1 AND cancelled_at IS NULL \
         AND starts_at <= $2 AND ends_at > $3 ORDER BY starts_at DESC, number DESC LIMIT 1"
    );
    let open_until = now + QUESTIONS_OPEN_BEFORE;
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(room_id.as_str())
        .bind(millis(open_until))
        .bind(millis(now - QUESTIONS_KEPT))
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(event_from_row).transpose()
}

async fn questions_in(conn: &mut AnyConnection, event: &LiveEvent) -> Result<Vec<Question>, StoreError> {
    let rows = sqlx::query(
        "SELECT q.event_id, q.asker, q.text, q.asked_at, COUNT(DISTINCT u.voter) AS upvotes \
         FROM live_questions q LEFT JOIN live_upvotes u ON u.question_event = q.event_id \
         WHERE q.room_id = $1 AND q.number = $2 \
         GROUP BY q.event_id, q.asker, q.text, q.asked_at \
         ORDER BY upvotes DESC, q.asked_at, q.event_id",
    )
    .bind(event.room_id.as_str())
    .bind(event.number)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let event_id: String = row.try_get("event_id")?;
            let asker: String = row.try_get("asker")?;
            Ok(Question {
                event_id: event_id.as_str().try_into().map_err(|_| corrupt("question", &event_id))?,
                asker: asker.as_str().try_into().map_err(|_| corrupt("asker", &asker))?,
                text: row.try_get("text")?,
                asked_at: from_millis(row.try_get("asked_at")?),
                upvotes: row.try_get("upvotes")?,
            })
        })
        .collect()
}

impl Store {
    /// What a LIVE command reads: what it names, lists or numbers, and for a question or
    /// `!pytania` the current event with its questions.
    pub async fn live_view(
        &self,
        room_id: &ruma::RoomId,
        command: &LiveCommand,
        now: DateTime<Utc>,
    ) -> Result<LiveView, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut view = LiveView::default();
        match command {
            LiveCommand::List => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM live_events WHERE room_id = $1 AND ends_at > $2 AND cancelled_at IS NULL \
                     ORDER BY starts_at, number LIMIT {LIST_LIMIT}"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(room_id.as_str())
                    .bind(millis(now))
                    .fetch_all(&mut *conn)
                    .await?;
                view.upcoming = rows.iter().map(event_from_row).collect::<Result<_, _>>()?;
            }
            LiveCommand::Schedule(_) => view.next_number = next_number_in(&mut conn, room_id).await?,
            LiveCommand::ForCourse { course, .. } => {
                let catalogue = self.catalogue(&mut conn).await?;
                match find_course(catalogue.iter().map(|v| v.course.as_ref()), course) {
                    CourseNamed::One(course) => {
                        let (room, learners) =
                            super::learning::course_audience_in(&mut conn, &course.id).await?;
                        let next_number = match &room {
                            Some(room) => next_number_in(&mut conn, room).await?,
                            None => 1,
                        };
                        view.course = Some(CourseTarget {
                            course_id: course.id.clone(),
                            title: course.title.clone(),
                            room,
                            next_number,
                            learners,
                        });
                    }
                    CourseNamed::Several(courses) => {
                        view.course_candidates =
                            courses.iter().map(|c| (c.id.clone(), c.title.clone())).collect();
                    }
                    CourseNamed::NotFound => {}
                }
            }
            LiveCommand::ForCourseUsage => {}
            LiveCommand::Cancel(Some(number)) => {
                view.named = event_in(&mut conn, room_id, *number).await?;
                if let Some(course_id) = view.named.as_ref().and_then(|e| e.course_id.clone()) {
                    let (room, learners) = super::learning::course_audience_in(&mut conn, &course_id).await?;
                    let title = course_title_in(&mut conn, &course_id).await?;
                    view.course = Some(CourseTarget { course_id, title, room, next_number: 0, learners });
                }
            }
            LiveCommand::Cancel(None) => {}
            LiveCommand::Ask { .. } => view.current = current_in(&mut conn, room_id, now).await?,
            LiveCommand::Questions => {
                view.current = current_in(&mut conn, room_id, now).await?;
                if let Some(event) = &view.current {
                    view.questions = questions_in(&mut conn, event).await?;
                }
            }
        }
        Ok(view)
    }
}
