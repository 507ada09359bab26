//! Team meetings and their answers, written inside the turn's transaction.

use chrono::{DateTime, Utc};
use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::{JobContext, meetings::MeetingJob};
use szpon_bots::{
    Lang,
    meetings::{Answers, LIST_LIMIT, Meeting, MeetingChange, MeetingCommand, MeetingsView, Rsvp},
};

use super::{Store, StoreError, from_millis, millis};

const COLUMNS: &str =
    "room_id, number, title, starts_at, ends_at, organizer, lang, created_at, cancelled_at, video_link";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("meeting {what} {value:?}"))
}

fn meeting_from_row(row: &AnyRow) -> Result<Meeting, StoreError> {
    let room: String = row.try_get("room_id")?;
    let organizer: String = row.try_get("organizer")?;
    let lang: String = row.try_get("lang")?;
    Ok(Meeting {
        room_id: room.as_str().try_into().map_err(|_| corrupt("room", &room))?,
        number: row.try_get("number")?,
        title: row.try_get("title")?,
        start: from_millis(row.try_get("starts_at")?),
        end: from_millis(row.try_get("ends_at")?),
        organizer: organizer.as_str().try_into().map_err(|_| corrupt("organizer", &organizer))?,
        lang: Lang::parse(&lang).unwrap_or_default(),
        created_at: from_millis(row.try_get("created_at")?),
        cancelled_at: row.try_get::<Option<i64>, _>("cancelled_at")?.map(from_millis),
        video_link: row.try_get("video_link")?,
    })
}

/// Applies one change inside the caller's transaction.
pub(super) async fn apply(conn: &mut AnyConnection, change: &MeetingChange) -> Result<(), StoreError> {
    match change {
        MeetingChange::Schedule(meeting) => {
            let inserted = sqlx::query(
                "INSERT INTO meetings (room_id, number, title, starts_at, ends_at, organizer, lang, created_at, \
                 video_link) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(meeting.room_id.as_str())
            .bind(meeting.number)
            .bind(&meeting.title)
            .bind(millis(meeting.start))
            .bind(millis(meeting.end))
            .bind(meeting.organizer.as_str())
            .bind(meeting.lang.tag())
            .bind(millis(meeting.created_at))
            .bind(meeting.video_link.clone())
            .execute(&mut *conn)
            .await;
            super::numbered_insert(inserted)
        }
        MeetingChange::Answer { room_id, number, user, rsvp, at } => {
            sqlx::query(
                "INSERT INTO meeting_answers (room_id, number, user_id, answer, answered_at) \
                 SELECT room_id, number, $3, $4, $5 FROM meetings WHERE room_id = $1 AND number = $2 \
                 ON CONFLICT (room_id, number, user_id) DO UPDATE SET answer = $4, answered_at = $5",
            )
            .bind(room_id.as_str())
            .bind(number)
            .bind(user.as_str())
            .bind(rsvp.as_str())
            .bind(millis(*at))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        MeetingChange::Cancel { room_id, number, at } => {
            let cancelled = sqlx::query(
                "UPDATE meetings SET cancelled_at = $1 WHERE room_id = $2 AND number = $3 AND cancelled_at IS NULL",
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
    }
}

async fn answers_in(conn: &mut AnyConnection, meeting: &Meeting) -> Result<Answers, StoreError> {
    let rows = sqlx::query(
        "SELECT user_id, answer FROM meeting_answers WHERE room_id = $1 AND number = $2 \
         ORDER BY answered_at, user_id",
    )
    .bind(meeting.room_id.as_str())
    .bind(meeting.number)
    .fetch_all(&mut *conn)
    .await?;
    let mut answers = Answers::default();
    for row in rows {
        let user: String = row.try_get("user_id")?;
        let answer: String = row.try_get("answer")?;
        let user = user.as_str().try_into().map_err(|_| corrupt("answer of", &user))?;
        answers.add(user, Rsvp::parse(&answer).ok_or_else(|| corrupt("answer", &answer))?);
    }
    Ok(answers)
}

/// A meeting with its answers, cancelled or not.
pub(super) async fn meeting_in(
    conn: &mut AnyConnection,
    room_id: &ruma::RoomId,
    number: i64,
) -> Result<Option<(Meeting, Answers)>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM meetings WHERE room_id = $1 AND number = $2");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(room_id.as_str())
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let meeting = meeting_from_row(&row)?;
    let answers = answers_in(conn, &meeting).await?;
    Ok(Some((meeting, answers)))
}

/// What a meeting's job reads when it falls due.
pub(super) async fn job_context_in(
    conn: &mut AnyConnection,
    job: &MeetingJob,
) -> Result<JobContext, StoreError> {
    let MeetingJob::Alert { room_id, number, .. } = job;
    Ok(JobContext::Meeting(meeting_in(conn, room_id, *number).await?))
}

async fn with_answers(
    conn: &mut AnyConnection,
    rows: Vec<AnyRow>,
) -> Result<Vec<(Meeting, Answers)>, StoreError> {
    let mut meetings = Vec::with_capacity(rows.len());
    for row in &rows {
        let meeting = meeting_from_row(row)?;
        let answers = answers_in(conn, &meeting).await?;
        meetings.push((meeting, answers));
    }
    Ok(meetings)
}

impl Store {
    /// What a meeting command needs: the room's coming meetings, the one it names, and the
    /// next free number.
    pub async fn meetings_view(
        &self,
        room_id: &ruma::RoomId,
        command: &MeetingCommand,
        now: DateTime<Utc>,
    ) -> Result<MeetingsView, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut view = MeetingsView::default();
        match command {
            MeetingCommand::List => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM meetings WHERE room_id = $1 AND ends_at > $2 AND cancelled_at IS NULL \
                     ORDER BY starts_at, number LIMIT {LIST_LIMIT}"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(room_id.as_str())
                    .bind(millis(now))
                    .fetch_all(&mut *conn)
                    .await?;
                view.upcoming = with_answers(&mut conn, rows).await?;
            }
            MeetingCommand::Schedule(_) => {
                let row = sqlx::query(
                    "SELECT COALESCE(MAX(number), 0) + 1 AS next FROM meetings WHERE room_id = $1",
                )
                .bind(room_id.as_str())
                .fetch_one(&mut *conn)
                .await?;
                view.next_number = row.try_get("next")?;
            }
            MeetingCommand::Cancel(Some(number)) => {
                view.named = meeting_in(&mut conn, room_id, *number).await?;
            }
            MeetingCommand::Cancel(None) => {}
        }
        Ok(view)
    }

    /// The meetings a calendar feed shows, cancelled ones too (so that calendars drop them):
    /// those of `rooms`, and those `attendee` said yes or maybe to, from `since` on.
    pub async fn feed_meetings(
        &self,
        rooms: &[ruma::OwnedRoomId],
        attendee: Option<&ruma::UserId>,
        since: DateTime<Utc>,
    ) -> Result<Vec<(Meeting, Answers)>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut rows = Vec::new();
        for room in rooms {
            let sql = format!(
                "SELECT {COLUMNS} FROM meetings WHERE room_id = $1 AND ends_at >= $2 ORDER BY starts_at LIMIT 500"
            );
            rows.extend(
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(room.as_str())
                    .bind(millis(since))
                    .fetch_all(&mut *conn)
                    .await?,
            );
        }
        if let Some(attendee) = attendee {
            let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("m.{c}")).collect();
            let sql = format!(
                "SELECT {} FROM meetings m JOIN meeting_answers a ON a.room_id = m.room_id AND a.number = m.number \
                 WHERE a.user_id = $1 AND a.answer IN ('yes', 'maybe') AND m.ends_at >= $2 \
                 ORDER BY m.starts_at LIMIT 500",
                columns.join(", ")
            );
            rows.extend(
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(attendee.as_str())
                    .bind(millis(since))
                    .fetch_all(&mut *conn)
                    .await?,
            );
        }
        let mut meetings = with_answers(&mut conn, rows).await?;
        meetings
            .sort_by(|(a, _), (b, _)| (a.room_id.as_str(), a.number).cmp(&(b.room_id.as_str(), b.number)));
        meetings.dedup_by(|(a, _), (b, _)| a.room_id == b.room_id && a.number == b.number);
        Ok(meetings)
    }
}
