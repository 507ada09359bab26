//! The durable store: SQLite by default, PostgreSQL in production, one schema for both.

use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use ruma::{EventId, RoomId, UserId};
use sqlx::{
    AnyConnection, AnyPool, Row,
    any::{AnyConnectOptions, AnyPoolOptions},
    migrate::Migrator,
};
use szpon_bots::{
    Action, Effect, Lang, Person,
    courses::CourseChange,
    durable::{Durable, decode, encode},
};

pub mod booking;
pub mod calls;
pub mod certificates;
pub mod courses;
pub mod directory;
pub mod documents;
pub mod editor;
pub mod gamification;
pub mod helpdesk;
pub mod learning;
pub mod live;
pub mod meetings;
pub mod private_chats;
pub mod review;
pub mod tasks;

pub use booking::DueJob;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    /// A booking or move asked for time another visit holds; nothing was written.
    #[error("the time asked for is already held by another visit")]
    SlotTaken,
    /// The new visit's code is in use; nothing was written, and another code will do.
    #[error("the visit code is already in use")]
    CodeTaken,
    /// A ticket changed meanwhile (another agent claimed it, or its number or conversation got
    /// another ticket); nothing was written, and the turn is decided again.
    #[error("the ticket changed meanwhile")]
    TicketChanged,
    /// A task changed meanwhile (its number went to someone else's task, or it was done or
    /// deleted); nothing was written, and the turn is decided again.
    #[error("the task changed meanwhile")]
    TaskChanged,
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Whether the database could not be reached (down, restarting, its connections gone or
    /// busy): the same work succeeds once it answers again, so it is held, not dropped.
    pub fn is_unavailable(&self) -> bool {
        let StoreError::Database(error) = self else { return false };
        match error {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            // PostgreSQL's connection exceptions (08…) and shutdowns (57P…); SQLite's busy and
            // locked database (5, 6).
            sqlx::Error::Database(db) => db.code().is_some_and(|code| {
                code.starts_with("08") || code.starts_with("57P") || code == "5" || code == "6"
            }),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An action waiting in the outbox.
#[derive(Debug, Clone)]
pub struct PendingAction {
    pub id: i64,
    pub txn_id: String,
    pub action: Action,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
    /// Since when it has been tried: its creation, or an administrator's last retry. It is
    /// given up once that is too long ago.
    pub failing_since: DateTime<Utc>,
    /// The queue it is delivered in, in order: see [`lane_of`].
    pub lane: String,
}

/// An action that was given up, for `szpon outbox failed`.
#[derive(Debug, Clone)]
pub struct FailedAction {
    pub id: i64,
    pub action: Option<Action>,
    pub created_at: DateTime<Utc>,
    pub failed_at: DateTime<Utc>,
    pub attempts: i64,
    pub last_error: String,
}

/// A stored row this version could not read, kept as it was (see `set_aside`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableRow {
    /// The table and column it was read from, e.g. `people.dialogue`.
    pub kept_in: String,
    /// Whose it was: the person, or the job's number.
    pub owner: String,
    pub reason: String,
    pub set_aside_at: DateTime<Utc>,
}

/// Which given-up actions `szpon outbox retry` sends again.
#[derive(Debug, Clone)]
pub enum Retry {
    All,
    Ids(Vec<i64>),
}

/// Everything one handled input changes, written in one transaction.
#[derive(Debug, Clone, Copy)]
pub struct Commit<'a> {
    pub event: Option<(&'a EventId, &'a RoomId)>,
    pub user_id: &'a UserId,
    pub person: Option<&'a Person>,
    pub actions: &'a [NewAction],
    pub effects: &'a [Effect],
    /// The sender's private chat with the bot, to record as theirs (an `is_direct` invitation
    /// taken) or as where messages for them go from now on (lessons asked for there).
    pub direct_room: Option<&'a RoomId>,
}

/// An action with the transaction ID that makes sending it idempotent.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub txn_id: String,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Ends SQLite's background checkpoints when the last clone of the store is dropped.
    _checkpoints: Option<Arc<tokio::sync::oneshot::Sender<()>>>,
    /// Course versions already read.
    courses: Arc<learning::CourseCache>,
}

/// How often SQLite's write-ahead log is folded into the database, off the turns' path.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// The log's length (pages) at which a commit checkpoints itself anyway: a backstop, should the
/// background checkpoints fall behind.
const CHECKPOINT_BACKSTOP_PAGES: u32 = 10_000;

/// Folds SQLite's write-ahead log into the database every [`CHECKPOINT_EVERY`]. A commit then
/// only appends to the log; left to SQLite, the commit that crosses 1,000 pages would also copy
/// them and fsync the database, and that turn would wait for it.
async fn checkpoint_in_background(pool: AnyPool, mut stop: tokio::sync::oneshot::Receiver<()>) {
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = &mut stop => return,
        }
        if pool.is_closed() {
            return;
        }
        if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            tracing::warn!(%error, "SQLite checkpoint failed; the next commit past the backstop does it");
        }
    }
}

fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// An insert that draws the next number of a list (tasks, meetings): a number someone else took
/// first is a changed view, and the turn is decided again with the next one.
fn numbered_insert(inserted: Result<sqlx::any::AnyQueryResult, sqlx::Error>) -> Result<(), StoreError> {
    match inserted {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Err(StoreError::TaskChanged),
        Err(error) => Err(error.into()),
    }
}

impl Store {
    /// Opens (and for SQLite creates) the database and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 10 })
            // While the database is down, a turn is held and tried again, and `/healthz` must
            // answer: neither waits sqlx's default 30 s to hear that no connection can be had.
            .acquire_timeout(std::time::Duration::from_secs(5))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers and the writer work at once; NORMAL sync stays
                        // crash-safe in WAL mode and spares an fsync per commit.
                        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut *conn).await?;
                        let backstop = format!("PRAGMA wal_autocheckpoint = {CHECKPOINT_BACKSTOP_PAGES}");
                        sqlx::query(sqlx::AssertSqlSafe(backstop)).execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let checkpoints = (backend == Backend::Sqlite).then(|| {
            let (stop, stopped) = tokio::sync::oneshot::channel();
            tokio::spawn(checkpoint_in_background(pool.clone(), stopped));
            Arc::new(stop)
        });
        let store = Self { pool, backend, _checkpoints: checkpoints, courses: Arc::default() };
        store.migrate().await?;
        store.backfill_lanes().await?;
        store.hash_old_feed_tokens().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers, within two seconds.
    pub async fn ping(&self) -> Result<(), StoreError> {
        let query = sqlx::query("SELECT 1").execute(&self.pool);
        match tokio::time::timeout(std::time::Duration::from_secs(2), query).await {
            Ok(result) => result.map(|_| ()).map_err(StoreError::from),
            Err(_) => Err(StoreError::Database(sqlx::Error::PoolTimedOut)),
        }
    }

    /// A person's state; what of it this version cannot read is set aside (`unreadable_rows`)
    /// at `now`, and the person goes on without it.
    pub async fn person(&self, user_id: &UserId, now: DateTime<Utc>) -> Result<Person, StoreError> {
        let mut conn = self.pool.acquire().await?;
        person_in(&mut conn, user_id, now).await
    }

    /// Records the outcome of handling one input, all or nothing: the event as handled, the
    /// person's new state and the actions to carry out.
    ///
    /// Returns `false`, writing nothing, if the event had been handled before.
    pub async fn commit_outcome(
        &self,
        event: Option<(&EventId, &RoomId)>,
        user_id: &UserId,
        person: Option<&Person>,
        actions: &[NewAction],
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.commit(&Commit { event, user_id, person, actions, effects: &[], direct_room: None }, now).await
    }

    /// Writes effects that no message brought (an import, standing jobs), all or nothing.
    pub async fn apply_effects(&self, effects: &[Effect], now: DateTime<Utc>) -> Result<(), StoreError> {
        let system = UserId::parse("@szpon:localhost").expect("a valid user ID");
        let commit =
            Commit { event: None, user_id: &system, person: None, actions: &[], effects, direct_room: None };
        self.commit(&commit, now).await.map(|_| ())
    }

    /// Writes effects and the actions that announce them, with no message behind them (the
    /// directory's import re-evaluating audiences), all or nothing.
    pub async fn apply_outcome(
        &self,
        effects: &[Effect],
        actions: &[Action],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let system = UserId::parse("@szpon:localhost").expect("a valid user ID");
        let actions: Vec<NewAction> =
            actions.iter().map(|action| NewAction { txn_id: new_txn_id(), action: action.clone() }).collect();
        let commit = Commit {
            event: None,
            user_id: &system,
            person: None,
            actions: &actions,
            effects,
            direct_room: None,
        };
        self.commit(&commit, now).await.map(|_| ())
    }

    /// Records an outcome with its effects on visits and jobs, all or nothing.
    ///
    /// Returns `false`, writing nothing, if the event had been handled before; fails with
    /// [`StoreError::SlotTaken`] or [`StoreError::CodeTaken`], writing nothing, if a booking
    /// cannot be made as decided.
    pub async fn commit(&self, commit: &Commit<'_>, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        if let Some((event_id, room_id)) = commit.event {
            let inserted = sqlx::query(
                "INSERT INTO processed_events (event_id, room_id, processed_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (event_id) DO NOTHING",
            )
            .bind(event_id.as_str())
            .bind(room_id.as_str())
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 0 {
                return Ok(false);
            }
        }
        if let Some(person) = commit.person {
            save_person(&mut tx, commit.user_id, person, now).await?;
        }
        if let Some(room) = commit.direct_room {
            private_chats::record(&mut tx, commit.user_id, room, now).await?;
        }
        for effect in commit.effects {
            apply_effect(&mut tx, effect, now).await?;
        }
        // An input's actions answer someone who just wrote; the rest (imports) are bulk.
        insert_actions(&mut tx, commit.actions, now, commit.event.is_some()).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Whether an event was handled already.
    pub async fn is_processed(&self, event_id: &EventId) -> Result<bool, StoreError> {
        let row = sqlx::query("SELECT 1 FROM processed_events WHERE event_id = $1")
            .bind(event_id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Actions due now, oldest first within each lane. An action waits while an earlier one
    /// in its lane is postponed, so that answers in a chat keep their order; other lanes go on,
    /// however many actions wait in a postponed one. Lanes that hold an answer to someone who
    /// just wrote come first, so that bulk deliveries (a lesson to thousands) never make a
    /// person wait more than one batch.
    pub async fn due_actions(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<PendingAction>, StoreError> {
        self.due_actions_outside(now, limit, &[]).await
    }

    /// As [`Store::due_actions`], leaving out the lanes being delivered already, so that they
    /// do not fill the batch.
    pub async fn due_actions_outside(
        &self,
        now: DateTime<Utc>,
        limit: usize,
        busy_lanes: &[&str],
    ) -> Result<Vec<PendingAction>, StoreError> {
        const PENDING: &str = "done_at IS NULL AND failed_at IS NULL";
        let busy = if busy_lanes.is_empty() {
            String::new()
        } else {
            let places: Vec<String> = (0..busy_lanes.len()).map(|i| format!("${}", i + 3)).collect();
            format!("AND COALESCE(o.lane, '') NOT IN ({}) ", places.join(", "))
        };
        let sql = format!(
            "SELECT o.id, o.txn_id, o.action, o.attempts, o.created_at, o.retried_at, o.lane FROM outbox o \
             WHERE o.{PENDING} AND o.next_attempt_at <= $1 {busy}\
             AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.lane = o.lane AND p.id < o.id \
                 AND p.{PENDING} AND p.next_attempt_at > $1) \
             ORDER BY CASE WHEN EXISTS (SELECT 1 FROM outbox u WHERE u.lane = o.lane AND u.urgent = 1 \
                 AND u.{PENDING}) THEN 0 ELSE 1 END, o.id \
             LIMIT $2"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(millis(now))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX));
        for lane in busy_lanes {
            query = query.bind(*lane);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut due = Vec::with_capacity(rows.len());
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let json: String = row.try_get("action")?;
            let action: Action = match decode(&json) {
                Ok(action) => action,
                Err(error) => {
                    // An unreadable row (say, written by another szpon version) is set aside,
                    // not retried: left in place it would stop every answer behind it.
                    tracing::error!(id, %error, "outbox action cannot be read; giving it up");
                    self.mark_failed(id, &format!("unreadable action: {error}"), now, None).await?;
                    continue;
                }
            };
            let created_at = from_millis(row.try_get("created_at")?);
            let retried_at: Option<i64> = row.try_get("retried_at")?;
            due.push(PendingAction {
                id,
                txn_id: row.try_get("txn_id")?,
                action,
                attempts: row.try_get("attempts")?,
                created_at,
                failing_since: retried_at.map_or(created_at, from_millis),
                lane: row.try_get::<Option<String>, _>("lane")?.unwrap_or_default(),
            });
        }
        Ok(due)
    }

    /// Makes every postponed action due now (the homeserver answers again); returns how many.
    pub async fn postponed_due_now(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let result = sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1 \
             WHERE done_at IS NULL AND failed_at IS NULL AND next_attempt_at > $1 AND attempts > 0",
        )
        .bind(millis(now))
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    /// Fills in the lanes of actions queued before lanes were stored (migration 0017).
    async fn backfill_lanes(&self) -> Result<(), StoreError> {
        let rows = sqlx::query(
            "SELECT id, action FROM outbox WHERE lane IS NULL AND done_at IS NULL AND failed_at IS NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut conn = self.pool.acquire().await?;
        for row in rows {
            let json: String = row.try_get("action")?;
            let Ok(action) = decode::<Action>(&json) else { continue };
            let (lane, direct_to) = lane_of(&mut conn, &action).await?;
            sqlx::query("UPDATE outbox SET lane = $1, direct_to = $2 WHERE id = $3")
                .bind(lane)
                .bind(direct_to)
                .bind(row.try_get::<i64, _>("id")?)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    /// The rows set aside because this version could not read them, newest first; the rows
    /// themselves stay in `unreadable_rows.row_json` for the version that can.
    pub async fn unreadable_rows(&self) -> Result<Vec<UnreadableRow>, StoreError> {
        let rows =
            sqlx::query("SELECT kept_in, owner, reason, set_aside_at FROM unreadable_rows ORDER BY id DESC")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|row| {
                Ok(UnreadableRow {
                    kept_in: row.try_get("kept_in")?,
                    owner: row.try_get("owner")?,
                    reason: row.try_get("reason")?,
                    set_aside_at: from_millis(row.try_get("set_aside_at")?),
                })
            })
            .collect()
    }

    /// The actions given up, newest first: for `szpon outbox failed`.
    pub async fn failed_actions(&self, limit: usize) -> Result<Vec<FailedAction>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, action, created_at, failed_at, attempts, last_error FROM outbox \
             WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT $1",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(FailedAction {
                    id: row.try_get("id")?,
                    action: decode(&row.try_get::<String, _>("action")?).ok(),
                    created_at: from_millis(row.try_get("created_at")?),
                    failed_at: from_millis(row.try_get("failed_at")?),
                    attempts: row.try_get("attempts")?,
                    last_error: row.try_get::<Option<String>, _>("last_error")?.unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Puts given-up actions back in the queue, due now and with a fresh day to go through;
    /// returns how many. The running szpon sends them within seconds.
    pub async fn retry_failed(&self, which: &Retry, now: DateTime<Utc>) -> Result<u64, StoreError> {
        const RETRY: &str = "UPDATE outbox SET failed_at = NULL, next_attempt_at = $1, retried_at = $1 \
                             WHERE failed_at IS NOT NULL";
        let result = match which {
            Retry::All => sqlx::query(RETRY).bind(millis(now)).execute(&self.pool).await?,
            Retry::Ids(ids) => {
                let mut tx = self.pool.begin().await?;
                let mut total = 0;
                for id in ids {
                    let sql = format!("{RETRY} AND id = $2");
                    total += sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(millis(now))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
                tx.commit().await?;
                return Ok(total);
            }
        };
        Ok(result.rows_affected())
    }

    /// The earliest time an action waits for, so the sender can sleep until then.
    pub async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let row = sqlx::query(
            "SELECT MIN(next_attempt_at) AS next FROM outbox WHERE done_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<Option<i64>, _>("next")?.map(from_millis))
    }

    pub async fn mark_done(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE outbox SET done_at = $1, attempts = attempts + 1 WHERE id = $2")
            .bind(millis(now))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: to be retried at `retry_at`, or given up if `None`.
    pub async fn mark_failed(
        &self,
        id: i64,
        error: &str,
        now: DateTime<Utc>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(1000).collect();
        let query = match retry_at {
            Some(at) => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3",
            )
            .bind(error)
            .bind(millis(at)),
            None => sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1, failed_at = $2 WHERE id = $3")
                .bind(error)
                .bind(millis(now)),
        };
        query.bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// How many actions wait to be carried out.
    pub async fn pending_count(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE done_at IS NULL AND failed_at IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Refreshes the planner's statistics (and on PostgreSQL the visibility map, which lets
    /// counts come from indexes alone), as autovacuum does in time; for after a bulk import.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => "PRAGMA optimize",
            Backend::Postgres => "VACUUM ANALYZE",
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }
}

async fn person_in(
    conn: &mut AnyConnection,
    user_id: &UserId,
    now: DateTime<Utc>,
) -> Result<Person, StoreError> {
    let row = sqlx::query(
        "SELECT chosen_language, detected_language, dialogue, helpdesk, pace FROM people WHERE user_id = $1",
    )
    .bind(user_id.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let lang = |value: Option<String>| value.as_deref().and_then(Lang::parse);
    let Some(row) = row else { return Ok(Person::default()) };
    let kept = |column: &'static str| -> Result<Option<String>, StoreError> { Ok(row.try_get(column)?) };
    let (dialogue, helpdesk, pace) = (kept("dialogue")?, kept("helpdesk")?, kept("pace")?);
    let owner = user_id.as_str();
    Ok(Person {
        chosen_language: lang(row.try_get("chosen_language")?),
        detected_language: lang(row.try_get("detected_language")?),
        dialogue: readable(conn, "people.dialogue", owner, dialogue, now).await?,
        helpdesk: readable(conn, "people.helpdesk", owner, helpdesk, now).await?.unwrap_or_default(),
        pace: readable(conn, "people.pace", owner, pace, now).await?.unwrap_or_default(),
    })
}

/// A stored value, or `None` if there is none or this version cannot read it. An unreadable one
/// (written by a newer szpon, or damaged) is set aside with the reason, once, and logged
/// without its content: the person starts that part afresh, and nothing is dropped unseen.
async fn readable<T: Durable>(
    conn: &mut AnyConnection,
    kept_in: &'static str,
    owner: &str,
    row: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<T>, StoreError> {
    let Some(row) = row else { return Ok(None) };
    match decode(&row) {
        Ok(value) => Ok(Some(value)),
        Err(reason) => {
            set_aside(conn, kept_in, owner, &row, &reason.to_string(), now).await?;
            Ok(None)
        }
    }
}

/// Keeps a row this version cannot read in `unreadable_rows`, once however often it is met.
async fn set_aside(
    conn: &mut AnyConnection,
    kept_in: &str,
    owner: &str,
    row: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tracing::error!(kept_in, owner, reason, "a stored row cannot be read; it is set aside");
    sqlx::query(
        "INSERT INTO unreadable_rows (kept_in, owner, row_json, reason, set_aside_at) \
         SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS \
         (SELECT 1 FROM unreadable_rows WHERE kept_in = $1 AND owner = $2 AND row_json = $3)",
    )
    .bind(kept_in)
    .bind(owner)
    .bind(row)
    .bind(reason)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Applies one effect inside the caller's transaction, by its feature's own store module.
async fn apply_effect(
    conn: &mut AnyConnection,
    effect: &Effect,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match effect {
        Effect::Booking(change) => booking::apply(conn, change, now).await,
        Effect::Helpdesk(change) => helpdesk::apply(conn, change, now).await,
        Effect::Task(change) => tasks::apply(conn, change, now).await,
        Effect::Document(change) => documents::apply(conn, change).await,
        Effect::Meeting(change) => meetings::apply(conn, change).await,
        Effect::Live(change) => live::apply(conn, change).await,
        Effect::Gamification(change) => gamification::apply(conn, change, now).await,
        Effect::Review(change) => review::apply(conn, change).await,
        Effect::Certificate(change) => certificates::apply(conn, change).await,
        Effect::Course(change @ CourseChange::Publish(_)) => courses::apply(conn, change).await,
        Effect::Course(change) => learning::apply(conn, change, now).await,
        Effect::Directory(change) => directory::apply(conn, change, now).await,
        Effect::Schedule { job, due } => booking::schedule(conn, job, *due).await,
    }
}

async fn save_person(
    conn: &mut AnyConnection,
    user_id: &UserId,
    person: &Person,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let dialogue = person.dialogue.as_ref().map(encode);
    let helpdesk = encode(&person.helpdesk);
    let pace = encode(&person.pace);
    sqlx::query(
        "INSERT INTO people (user_id, chosen_language, detected_language, dialogue, helpdesk, pace, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (user_id) DO UPDATE SET chosen_language = excluded.chosen_language, \
         detected_language = excluded.detected_language, dialogue = excluded.dialogue, \
         helpdesk = excluded.helpdesk, pace = excluded.pace, updated_at = excluded.updated_at",
    )
    .bind(user_id.as_str())
    .bind(person.chosen_language.map(|l| l.tag().to_owned()))
    .bind(person.detected_language.map(|l| l.tag().to_owned()))
    .bind(dialogue)
    .bind(helpdesk)
    .bind(pace)
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn insert_actions(
    conn: &mut AnyConnection,
    actions: &[NewAction],
    now: DateTime<Utc>,
    urgent: bool,
) -> Result<(), StoreError> {
    for new in actions {
        let json = encode(&new.action);
        let (lane, direct_to) = lane_of(conn, &new.action).await?;
        sqlx::query(
            "INSERT INTO outbox (txn_id, action, created_at, next_attempt_at, lane, direct_to, urgent) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&new.txn_id)
        .bind(json)
        .bind(millis(now))
        .bind(millis(now))
        .bind(lane)
        .bind(direct_to)
        .bind(i64::from(urgent))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The queue an action is delivered in: its room, or for a message to a person, their direct
/// chat once it is known (else the person), so that it cannot overtake an earlier answer in
/// that chat; and whom a message to a person is for, so that its lane follows their direct
/// chat when that becomes known.
pub(crate) async fn lane_of(
    conn: &mut AnyConnection,
    action: &Action,
) -> Result<(String, Option<String>), StoreError> {
    let Action::Direct { user_id, .. } = action else { return Ok((action.queue().to_owned(), None)) };
    let room = learning::direct_room_in(conn, user_id).await?;
    Ok((room.map_or_else(|| user_id.to_string(), |room| room.to_string()), Some(user_id.to_string())))
}

/// A transaction ID unique across restarts and database resets, so that the homeserver never
/// mistakes a new message for a retry of an old one.
pub fn new_txn_id() -> String {
    let random: String =
        rand::Rng::sample_iter(rand::rng(), &rand::distr::Alphanumeric).take(20).map(char::from).collect();
    format!("szpon.{random}")
}
