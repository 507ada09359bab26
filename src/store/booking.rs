//! Visits, the clerk time they hold, dated exceptions, feed tokens and due jobs.

use chrono::{DateTime, Utc};
use ruma::{OwnedRoomId, OwnedUserId, UserId};
use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::{
    Job, JobContext, Lang, Outcome,
    booking::{BookingChange, BookingJob, Busy, Exception, Feed, Visit, VisitStatus, VisitTime},
    durable::{decode, encode},
};

use super::{
    Backend, NewAction, Store, StoreError, from_millis, insert_actions, millis, person_in, save_person,
    set_aside,
};

/// Length of one block of held time, in milliseconds: the office file's five-minute grid, on
/// which every visit starts and ends (time zones are whole hours or half hours away from UTC).
const BLOCK_MS: i64 = 5 * 60 * 1000;

const VISIT_COLUMNS: &str = "code, citizen, room_id, service, clerk, start_at, end_at, held_from, held_until, \
                             status, lang, checked_in_at";
/// Whose visits a calendar feed shows.
#[derive(Debug, Clone, Copy)]
pub enum FeedVisits<'a> {
    /// A clerk's own.
    Clerk(&'a UserId),
    /// A department's: those of its services.
    Services(&'a [String]),
}

const ACTIVE: &str = "('booked', 'checked_in', 'called')";

/// A job that fell due, as it was claimed.
#[derive(Debug, Clone)]
pub struct DueJob {
    pub due_at: DateTime<Utc>,
    pub job: Job,
}

/// What a job decided: the actions, the state of the person it concerns, and effects.
pub struct JobOutcome {
    pub outcome: Outcome,
    pub actions: Vec<NewAction>,
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

fn blocks(from: DateTime<Utc>, until: DateTime<Utc>) -> impl Iterator<Item = i64> {
    let first = millis(from).div_euclid(BLOCK_MS);
    let last = (millis(until) + BLOCK_MS - 1).div_euclid(BLOCK_MS);
    first..last
}

async fn hold(conn: &mut AnyConnection, code: &str, time: &VisitTime) -> Result<(), StoreError> {
    for block in blocks(time.held_from, time.held_until) {
        let result = sqlx::query("INSERT INTO visit_holds (clerk, block, code) VALUES ($1, $2, $3)")
            .bind(time.clerk.as_str())
            .bind(block)
            .bind(code)
            .execute(&mut *conn)
            .await;
        match result {
            Err(error) if is_unique_violation(&error) => return Err(StoreError::SlotTaken),
            other => other?,
        };
    }
    Ok(())
}

async fn release(conn: &mut AnyConnection, code: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM visit_holds WHERE code = $1").bind(code).execute(&mut *conn).await?;
    Ok(())
}

async fn insert_visit(conn: &mut AnyConnection, visit: &Visit, now: DateTime<Utc>) -> Result<(), StoreError> {
    let result = sqlx::query(
        "INSERT INTO visits (code, citizen, room_id, service, clerk, start_at, end_at, held_from, held_until, \
         status, lang, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(&visit.code)
    .bind(visit.citizen.as_str())
    .bind(visit.room_id.as_str())
    .bind(&visit.service)
    .bind(visit.time.clerk.as_str())
    .bind(millis(visit.time.start))
    .bind(millis(visit.time.end))
    .bind(millis(visit.time.held_from))
    .bind(millis(visit.time.held_until))
    .bind(visit.status.as_str())
    .bind(visit.lang.tag())
    .bind(millis(now))
    .execute(&mut *conn)
    .await;
    match result {
        Err(error) if is_unique_violation(&error) => Err(StoreError::CodeTaken),
        other => other.map(|_| ()).map_err(Into::into),
    }
}

/// Applies one change of visits, exceptions, dialogues or feeds inside the caller's transaction.
pub(super) async fn apply(
    conn: &mut AnyConnection,
    change: &BookingChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match change {
        BookingChange::Book(visit) => {
            insert_visit(conn, visit, now).await?;
            hold(conn, &visit.code, &visit.time).await
        }
        BookingChange::Move { code, time } => {
            release(conn, code).await?;
            hold(conn, code, time).await?;
            sqlx::query(
                "UPDATE visits SET clerk = $1, start_at = $2, end_at = $3, held_from = $4, held_until = $5, \
                 updated_at = $6 WHERE code = $7",
            )
            .bind(time.clerk.as_str())
            .bind(millis(time.start))
            .bind(millis(time.end))
            .bind(millis(time.held_from))
            .bind(millis(time.held_until))
            .bind(millis(now))
            .bind(code)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        BookingChange::SetStatus { code, status, at } => set_status(conn, code, *status, *at).await,
        BookingChange::AddException(exception) => {
            sqlx::query("INSERT INTO clerk_exceptions (clerk, exception, created_at) VALUES ($1, $2, $3)")
                .bind(exception.clerk.as_str())
                .bind(encode(exception))
                .bind(millis(now))
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
        BookingChange::SetDialogue { user_id, dialogue } => {
            let json = dialogue.as_ref().map(encode);
            sqlx::query(
                "INSERT INTO people (user_id, dialogue, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO UPDATE SET dialogue = excluded.dialogue, updated_at = excluded.updated_at",
            )
            .bind(user_id.as_str())
            .bind(json)
            .bind(millis(now))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        BookingChange::NewFeedToken { feed, holder, token } => {
            sqlx::query(
                "UPDATE feed_keys SET revoked_at = $1 \
                 WHERE holder = $2 AND owner_kind = $3 AND owner = $4 AND revoked_at IS NULL",
            )
            .bind(millis(now))
            .bind(holder.as_str())
            .bind(feed.kind())
            .bind(feed.owner())
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "INSERT INTO feed_keys (token_hash, owner_kind, owner, holder, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(super::editor::hashed(token))
            .bind(feed.kind())
            .bind(feed.owner())
            .bind(holder.as_str())
            .bind(millis(now))
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
    }
}

/// Schedules `job` for `due` inside the caller's transaction; a job scheduled twice (the same
/// key) is kept once.
pub(super) async fn schedule(
    conn: &mut AnyConnection,
    job: &Job,
    due: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO jobs (job_key, job, due_at) VALUES ($1, $2, $3) ON CONFLICT (job_key) DO NOTHING",
    )
    .bind(job.key(due))
    .bind(encode(job))
    .bind(millis(due))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn set_status(
    conn: &mut AnyConnection,
    code: &str,
    status: VisitStatus,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let column = match status {
        VisitStatus::CheckedIn => ", checked_in_at = $3",
        VisitStatus::Called => ", called_at = $3",
        _ => "",
    };
    let sql = format!("UPDATE visits SET status = $1, updated_at = $3{column} WHERE code = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(status.as_str())
        .bind(code)
        .bind(millis(at))
        .execute(&mut *conn)
        .await?;
    if !status.is_active() {
        release(conn, code).await?;
    }
    Ok(())
}

fn visit_from(row: &AnyRow) -> Result<Visit, StoreError> {
    let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("visit {what} {value:?}"));
    let text = |name: &str| row.try_get::<String, _>(name);
    let user = |name: &str| -> Result<OwnedUserId, StoreError> {
        let value = text(name)?;
        OwnedUserId::try_from(value.as_str()).map_err(|_| corrupt(name, &value))
    };
    let at = |name: &str| row.try_get::<i64, _>(name).map(from_millis);
    let room = text("room_id")?;
    let status = text("status")?;
    Ok(Visit {
        code: text("code")?,
        citizen: user("citizen")?,
        room_id: OwnedRoomId::try_from(room.as_str()).map_err(|_| corrupt("room", &room))?,
        service: text("service")?,
        time: VisitTime {
            clerk: user("clerk")?,
            start: at("start_at")?,
            end: at("end_at")?,
            held_from: at("held_from")?,
            held_until: at("held_until")?,
        },
        status: VisitStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        lang: Lang::parse(&text("lang")?).unwrap_or_default(),
        checked_in_at: row.try_get::<Option<i64>, _>("checked_in_at")?.map(from_millis),
    })
}

/// What a booking job reads when it falls due.
async fn job_context_in(
    conn: &mut AnyConnection,
    job: &BookingJob,
    now: DateTime<Utc>,
) -> Result<JobContext, StoreError> {
    Ok(match job {
        BookingJob::Reminder { code, .. } => JobContext::Visit(visit_in(conn, code).await?),
        BookingJob::DialogueTimeout { user_id, .. } => {
            JobContext::Person(person_in(conn, user_id, now).await?)
        }
    })
}

async fn visit_in(conn: &mut AnyConnection, code: &str) -> Result<Option<Visit>, StoreError> {
    let sql = format!("SELECT {VISIT_COLUMNS} FROM visits WHERE code = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(&mut *conn).await?;
    row.as_ref().map(visit_from).transpose()
}

impl Store {
    /// Time held by active visits that overlaps `[from, until)`.
    pub async fn busy_between(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Busy>, StoreError> {
        let sql = format!(
            "SELECT clerk, held_from, held_until FROM visits WHERE status IN {ACTIVE} \
             AND held_until > $1 AND held_from < $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(millis(from))
            .bind(millis(until))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let clerk: String = row.try_get("clerk")?;
                Ok(Busy {
                    clerk: OwnedUserId::try_from(clerk.as_str())
                        .map_err(|_| StoreError::Corrupt(clerk.clone()))?,
                    start: from_millis(row.try_get("held_from")?),
                    end: from_millis(row.try_get("held_until")?),
                })
            })
            .collect()
    }

    /// A citizen's active visits that start after `now`, earliest first.
    pub async fn upcoming_visits_of(
        &self,
        citizen: &UserId,
        now: DateTime<Utc>,
    ) -> Result<Vec<Visit>, StoreError> {
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE citizen = $1 AND start_at > $2 AND status IN {ACTIVE} \
             ORDER BY start_at"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(citizen.as_str())
            .bind(millis(now))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(visit_from).collect()
    }

    /// Visits starting in `[from, until)`, cancelled ones left out, earliest first.
    pub async fn visits_starting(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Visit>, StoreError> {
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE start_at >= $1 AND start_at < $2 AND status <> 'cancelled' \
             ORDER BY start_at, code"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(millis(from))
            .bind(millis(until))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(visit_from).collect()
    }

    /// A calendar feed's visits: only its owner's rows are read, in SQL.
    pub async fn feed_visits(
        &self,
        whose: FeedVisits<'_>,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<Visit>, StoreError> {
        let (filter, values): (String, Vec<&str>) = match whose {
            FeedVisits::Clerk(clerk) => ("clerk = $3".to_owned(), vec![clerk.as_str()]),
            FeedVisits::Services([]) => return Ok(Vec::new()),
            FeedVisits::Services(services) => {
                let places: Vec<String> = (0..services.len()).map(|i| format!("${}", i + 3)).collect();
                (format!("service IN ({})", places.join(", ")), services.iter().map(String::as_str).collect())
            }
        };
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM visits WHERE start_at >= $1 AND start_at < $2 AND status <> 'cancelled' \
             AND {filter} ORDER BY start_at, code"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(millis(from)).bind(millis(until));
        for value in values {
            query = query.bind(value);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(visit_from).collect()
    }

    pub async fn visit(&self, code: &str) -> Result<Option<Visit>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        visit_in(&mut conn, code).await
    }

    /// Leave and hours set in chat.
    pub async fn extra_exceptions(&self) -> Result<Vec<Exception>, StoreError> {
        let rows =
            sqlx::query("SELECT exception FROM clerk_exceptions ORDER BY id").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let json: String = row.try_get("exception")?;
                decode(&json).map_err(|e| StoreError::Corrupt(format!("exception: {e}")))
            })
            .collect()
    }

    /// Which of `feeds` `holder` has a live address of.
    pub async fn feeds_held(&self, holder: &UserId, feeds: &[Feed]) -> Result<Vec<Feed>, StoreError> {
        let mut held = Vec::new();
        for feed in feeds {
            let row = sqlx::query(
                "SELECT 1 AS held FROM feed_keys \
                 WHERE holder = $1 AND owner_kind = $2 AND owner = $3 AND revoked_at IS NULL",
            )
            .bind(holder.as_str())
            .bind(feed.kind())
            .bind(feed.owner())
            .fetch_optional(&self.pool)
            .await?;
            if row.is_some() {
                held.push(feed.clone());
            }
        }
        Ok(held)
    }

    /// The feed a secret address opens and whose address it is, if it is current.
    pub async fn feed_of_token(&self, token: &str) -> Result<Option<(Feed, OwnedUserId)>, StoreError> {
        let row = sqlx::query(
            "SELECT owner_kind, owner, holder FROM feed_keys WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(super::editor::hashed(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let owner: String = row.try_get("owner")?;
        let kind: String = row.try_get("owner_kind")?;
        let holder: String = row.try_get("holder")?;
        let holder =
            OwnedUserId::try_from(holder.as_str()).map_err(|_| StoreError::Corrupt(holder.clone()))?;
        Ok(Feed::parse(&kind, &owner).map(|feed| (feed, holder)))
    }

    /// Moves the plain tokens of addresses made before they were hashed: a person's own feed
    /// keeps working, as theirs; the shared department and room ones are dropped, since no
    /// one person holds them. The plain tokens are then deleted.
    pub(super) async fn hash_old_feed_tokens(&self) -> Result<(), StoreError> {
        let rows = sqlx::query(
            "SELECT token, owner, created_at FROM feed_tokens WHERE owner_kind = 'person' AND revoked_at IS NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut tx = self.pool.begin().await?;
        for row in rows {
            let token: String = row.try_get("token")?;
            let owner: String = row.try_get("owner")?;
            sqlx::query(
                "INSERT INTO feed_keys (token_hash, owner_kind, owner, holder, created_at) \
                 VALUES ($1, 'person', $2, $2, $3) ON CONFLICT (token_hash) DO NOTHING",
            )
            .bind(super::editor::hashed(&token))
            .bind(owner)
            .bind(row.try_get::<i64, _>("created_at")?)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM feed_tokens").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The rooms the bot created for departments, by department.
    pub async fn department_rooms(&self) -> Result<Vec<(String, OwnedRoomId)>, StoreError> {
        let rows =
            sqlx::query("SELECT department, room_id FROM department_rooms").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let room: String = row.try_get("room_id")?;
                let room =
                    OwnedRoomId::try_from(room.as_str()).map_err(|_| StoreError::Corrupt(room.clone()))?;
                Ok((row.try_get("department")?, room))
            })
            .collect()
    }

    pub async fn save_department_room(
        &self,
        department: &str,
        room_id: &ruma::RoomId,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO department_rooms (department, room_id) VALUES ($1, $2) \
             ON CONFLICT (department) DO UPDATE SET room_id = excluded.room_id",
        )
        .bind(department)
        .bind(room_id.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many jobs wait.
    pub async fn pending_jobs(&self) -> Result<i64, StoreError> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM jobs WHERE done_at IS NULL").fetch_one(&self.pool).await?;
        Ok(row.try_get("n")?)
    }

    /// When the next job falls due.
    pub async fn next_job_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let row = sqlx::query("SELECT MIN(due_at) AS next FROM jobs WHERE done_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<Option<i64>, _>("next")?.map(from_millis))
    }

    /// Claims up to `limit` due jobs and stores what `decide` makes of each, all in one
    /// transaction: a job is done exactly when its outcome is stored. Several szpon processes
    /// on PostgreSQL each claim different jobs (`FOR UPDATE SKIP LOCKED`).
    pub async fn run_due_jobs(
        &self,
        now: DateTime<Utc>,
        limit: usize,
        decide: impl Fn(&Job, &JobContext) -> JobOutcome,
    ) -> Result<Vec<DueJob>, StoreError> {
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET done_at = $1 WHERE id IN (SELECT id FROM jobs WHERE done_at IS NULL AND due_at <= $1 \
             ORDER BY due_at LIMIT $2{lock}) RETURNING id, job, due_at"
        );
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(millis(now))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await?;
        let mut fired = Vec::with_capacity(rows.len());
        for row in rows {
            let json: String = row.try_get("job")?;
            let due_at = from_millis(row.try_get("due_at")?);
            let job = match decode::<Job>(&json) {
                Ok(job) => job,
                Err(reason) => {
                    // Marked done all the same, since it would otherwise be claimed forever; the
                    // row is kept for a version that reads it.
                    let id: i64 = row.try_get("id")?;
                    set_aside(&mut tx, "jobs", &id.to_string(), &json, &reason.to_string(), now).await?;
                    continue;
                }
            };
            let context = match &job {
                Job::Booking(job) => job_context_in(&mut tx, job, now).await?,
                Job::Helpdesk(job) => super::helpdesk::job_context_in(&mut tx, job).await?,
                Job::Task(job) => super::tasks::job_context_in(&mut tx, job, now).await?,
                Job::Meeting(job) => super::meetings::job_context_in(&mut tx, job).await?,
                Job::Course(job) => super::learning::job_context_in(&mut tx, &self.courses, job).await?,
                Job::Live(job) => super::live::job_context_in(&mut tx, job).await?,
                Job::Gamification(job) => super::gamification::job_context_in(&mut tx, job, now).await?,
                Job::Review(job) => super::review::job_context_in(&mut tx, job, now).await?,
            };
            let decided = decide(&job, &context);
            if let (Some(person), Job::Booking(BookingJob::DialogueTimeout { user_id, .. })) =
                (&decided.outcome.person, &job)
            {
                save_person(&mut tx, user_id, person, now).await?;
            }
            for effect in &decided.outcome.effects {
                super::apply_effect(&mut tx, effect, now).await?;
            }
            insert_actions(&mut tx, &decided.actions, now, false).await?;
            fired.push(DueJob { due_at, job });
        }
        tx.commit().await?;
        Ok(fired)
    }
}
