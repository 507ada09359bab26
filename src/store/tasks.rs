//! Task lists: tasks added, changed and deleted inside the turn's transaction, and the views a
//! task command or job needs.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::durable::{decode, encode};
use szpon_bots::{JobContext, tasks::TaskJob};
use szpon_bots::{
    Lang,
    documents::Attachment,
    tasks::{
        DigestContext, Due, LIST_LIMIT, Priority, Task, TaskChange, TaskCommand, TaskFilter, TaskList,
        TasksView,
    },
};

use super::{Store, StoreError, from_millis, millis};

const TASK_COLUMNS: &str = "list_key, number, room_id, title, creator, assignee, due_date, due_time, \
                            repeat, priority, lang, created_at, done_at, done_by, attachment_event, \
                            attachment_name, visit_code";
/// The soonest deadline first, tasks without one last; then the most urgent (the `tasks_open`
/// index's order).
const OPEN_ORDER: &str = "sort_key, priority DESC, number";
/// The most tasks a calendar feed reads from one list.
const FEED_LIMIT: usize = 1000;
/// What `sort_key` holds for a task without a deadline.
const NO_DEADLINE: i64 = i64::MAX;

fn priority_rank(priority: Priority) -> i32 {
    match priority {
        Priority::Low => 0,
        Priority::Normal => 1,
        Priority::High => 2,
        Priority::Urgent => 3,
    }
}

fn priority_of(rank: i32) -> Priority {
    match rank {
        0 => Priority::Low,
        2 => Priority::High,
        3 => Priority::Urgent,
        _ => Priority::Normal,
    }
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("task {what} {value:?}"))
}

fn task_from_row(row: &AnyRow) -> Result<Task, StoreError> {
    let key: String = row.try_get("list_key")?;
    let parse_user = |column: &str| -> Result<Option<ruma::OwnedUserId>, StoreError> {
        let value: Option<String> = row.try_get(column)?;
        value.map(|v| v.as_str().try_into().map_err(|_| corrupt(column, &v))).transpose()
    };
    let room: String = row.try_get("room_id")?;
    let due_date: Option<String> = row.try_get("due_date")?;
    let due_time: Option<String> = row.try_get("due_time")?;
    let due = match due_date {
        Some(date) => Some(Due {
            date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| corrupt("date", &date))?,
            time: due_time
                .map(|t| NaiveTime::parse_from_str(&t, "%H:%M").map_err(|_| corrupt("time", &t)))
                .transpose()?,
        }),
        None => None,
    };
    let lang: String = row.try_get("lang")?;
    let repeat: Option<String> = row.try_get("repeat")?;
    let room_id: ruma::OwnedRoomId = room.as_str().try_into().map_err(|_| corrupt("room", &room))?;
    let attachment_event: Option<String> = row.try_get("attachment_event")?;
    let attachment = match attachment_event {
        Some(event) => Some(Attachment {
            room_id: room_id.clone(),
            event_id: event.as_str().try_into().map_err(|_| corrupt("attachment", &event))?,
            name: row.try_get::<Option<String>, _>("attachment_name")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Task {
        list: TaskList::parse(&key).ok_or_else(|| corrupt("list", &key))?,
        number: row.try_get("number")?,
        room_id,
        title: row.try_get("title")?,
        creator: parse_user("creator")?.ok_or_else(|| corrupt("creator", ""))?,
        assignee: parse_user("assignee")?,
        due,
        repeat: repeat.map(|json| decode(&json).map_err(|_| corrupt("repeat", &json))).transpose()?,
        priority: priority_of(row.try_get("priority")?),
        attachment,
        visit: row.try_get("visit_code")?,
        lang: Lang::parse(&lang).unwrap_or_default(),
        created_at: from_millis(row.try_get("created_at")?),
        done_at: row.try_get::<Option<i64>, _>("done_at")?.map(from_millis),
        done_by: parse_user("done_by")?,
    })
}

/// Applies one change inside the caller's transaction.
pub(super) async fn apply(
    conn: &mut AnyConnection,
    change: &TaskChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let touched =
        match change {
            TaskChange::Add { task, deadline } => return insert(conn, task, *deadline, now).await,
            TaskChange::SetDigest { list, room_id, at } => return set_digest(conn, list, room_id, *at).await,
            TaskChange::Done { list, number, by, at } => {
                sqlx::query(
                    "UPDATE tasks SET done_at = $1, done_by = $2, updated_at = $3 \
                 WHERE list_key = $4 AND number = $5 AND deleted_at IS NULL AND done_at IS NULL",
                )
                .bind(millis(*at))
                .bind(by.as_str())
                .bind(millis(now))
                .bind(list.key())
                .bind(number)
                .execute(&mut *conn)
                .await?
            }
            TaskChange::Assign { list, number, assignee } => {
                sqlx::query(
                    "UPDATE tasks SET assignee = $1, updated_at = $2 \
                 WHERE list_key = $3 AND number = $4 AND deleted_at IS NULL",
                )
                .bind(assignee.as_ref().map(|a| a.to_string()))
                .bind(millis(now))
                .bind(list.key())
                .bind(number)
                .execute(&mut *conn)
                .await?
            }
            TaskChange::SetDue { list, number, due, repeat, deadline } => sqlx::query(
                "UPDATE tasks SET due_date = $1, due_time = $2, repeat = $3, deadline = $4, sort_key = $5, \
                 updated_at = $6 WHERE list_key = $7 AND number = $8 AND deleted_at IS NULL",
            )
            .bind(due.map(|d| d.date.format("%Y-%m-%d").to_string()))
            .bind(due.and_then(|d| d.time).map(|t| t.format("%H:%M").to_string()))
            .bind(repeat.as_ref().map(encode))
            .bind(deadline.map(millis))
            .bind(deadline.map_or(NO_DEADLINE, millis))
            .bind(millis(now))
            .bind(list.key())
            .bind(number)
            .execute(&mut *conn)
            .await?,
            TaskChange::Delete { list, number, at } => {
                sqlx::query(
                    "UPDATE tasks SET deleted_at = $1, updated_at = $2 \
                 WHERE list_key = $3 AND number = $4 AND deleted_at IS NULL",
                )
                .bind(millis(*at))
                .bind(millis(now))
                .bind(list.key())
                .bind(number)
                .execute(&mut *conn)
                .await?
            }
        };
    // Done by someone else meanwhile, or deleted: nothing of this turn is written, and the
    // turn is decided again on what the list holds now.
    if touched.rows_affected() == 0 {
        return Err(StoreError::TaskChanged);
    }
    Ok(())
}

async fn insert(
    conn: &mut AnyConnection,
    task: &Task,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO tasks (list_key, number, room_id, title, creator, assignee, due_date, due_time, repeat, \
         deadline, sort_key, priority, lang, created_at, done_at, done_by, updated_at, attachment_event, \
         attachment_name, visit_code) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(task.list.key())
    .bind(task.number)
    .bind(task.room_id.as_str())
    .bind(&task.title)
    .bind(task.creator.as_str())
    .bind(task.assignee.as_ref().map(|a| a.to_string()))
    .bind(task.due.map(|d| d.date.format("%Y-%m-%d").to_string()))
    .bind(task.due.and_then(|d| d.time).map(|t| t.format("%H:%M").to_string()))
    .bind(task.repeat.as_ref().map(encode))
    .bind(deadline.map(millis))
    .bind(deadline.map_or(NO_DEADLINE, millis))
    .bind(priority_rank(task.priority))
    .bind(task.lang.tag())
    .bind(millis(task.created_at))
    .bind(task.done_at.map(millis))
    .bind(task.done_by.as_ref().map(|u| u.to_string()))
    .bind(millis(now))
    .bind(task.attachment.as_ref().map(|a| a.event_id.to_string()))
    .bind(task.attachment.as_ref().map(|a| a.name.clone()))
    .bind(task.visit.clone())
    .execute(&mut *conn)
    .await;
    super::numbered_insert(inserted)
}

async fn set_digest(
    conn: &mut AnyConnection,
    list: &TaskList,
    room_id: &ruma::RoomId,
    at: Option<NaiveTime>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO task_lists (list_key, room_id, digest_at) VALUES ($1, $2, $3) \
         ON CONFLICT (list_key) DO UPDATE SET room_id = excluded.room_id, digest_at = excluded.digest_at",
    )
    .bind(list.key())
    .bind(room_id.as_str())
    .bind(at.map(|t| t.format("%H:%M").to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A task as it is now, unless it was deleted.
pub(super) async fn task_in(
    conn: &mut AnyConnection,
    list: &TaskList,
    number: i64,
) -> Result<Option<Task>, StoreError> {
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE list_key = $1 AND number = $2 AND deleted_at IS NULL"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(list.key())
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(task_from_row).transpose()
}

/// What a list's digest shows at `now`.
pub(super) async fn digest_in(
    conn: &mut AnyConnection,
    list: &TaskList,
    now: DateTime<Utc>,
) -> Result<DigestContext, StoreError> {
    let at: Option<String> = sqlx::query("SELECT digest_at FROM task_lists WHERE list_key = $1")
        .bind(list.key())
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| row.try_get("digest_at"))
        .transpose()?
        .flatten();
    let (open, open_count) = listed(conn, list, TaskFilter::Open, None, now).await?;
    let overdue_count = count(conn, list, TaskFilter::Overdue, None, now).await?;
    Ok(DigestContext {
        at: at.and_then(|t| NaiveTime::parse_from_str(&t, "%H:%M").ok()),
        open,
        open_count,
        overdue_count,
    })
}

/// What a task list's job reads when it falls due.
pub(super) async fn job_context_in(
    conn: &mut AnyConnection,
    job: &TaskJob,
    now: DateTime<Utc>,
) -> Result<JobContext, StoreError> {
    Ok(match job {
        TaskJob::Due { list, number, .. } => JobContext::Task(task_in(conn, list, *number).await?),
        TaskJob::Digest { list, .. } => JobContext::Digest(digest_in(conn, list, now).await?),
    })
}

/// The filter's condition; `$1` is the list, and `$2` the sender (mine) or now (overdue).
fn filter_condition(filter: TaskFilter) -> &'static str {
    match filter {
        TaskFilter::Open => "list_key = $1 AND deleted_at IS NULL AND done_at IS NULL",
        TaskFilter::Mine => "list_key = $1 AND deleted_at IS NULL AND done_at IS NULL AND assignee = $2",
        TaskFilter::Overdue => "list_key = $1 AND deleted_at IS NULL AND done_at IS NULL AND sort_key < $2",
        TaskFilter::All => "list_key = $1 AND deleted_at IS NULL",
    }
}

fn bound_query<'q>(
    sql: &'q str,
    list: &TaskList,
    filter: TaskFilter,
    sender: Option<&ruma::UserId>,
    now: DateTime<Utc>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(list.key());
    match filter {
        TaskFilter::Mine => query.bind(sender.map(|s| s.to_string()).unwrap_or_default()),
        TaskFilter::Overdue => query.bind(millis(now)),
        TaskFilter::Open | TaskFilter::All => query,
    }
}

async fn count(
    conn: &mut AnyConnection,
    list: &TaskList,
    filter: TaskFilter,
    sender: Option<&ruma::UserId>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let sql = format!("SELECT COUNT(*) AS n FROM tasks WHERE {}", filter_condition(filter));
    let row = bound_query(&sql, list, filter, sender, now).fetch_one(&mut *conn).await?;
    Ok(u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or_default())
}

async fn listed(
    conn: &mut AnyConnection,
    list: &TaskList,
    filter: TaskFilter,
    sender: Option<&ruma::UserId>,
    now: DateTime<Utc>,
) -> Result<(Vec<Task>, u64), StoreError> {
    // Open tasks come from the index in the order shown; "all" adds the done ones after them,
    // the most recently done first.
    let open_filter = if filter == TaskFilter::All { TaskFilter::Open } else { filter };
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE {} ORDER BY {OPEN_ORDER} LIMIT {LIST_LIMIT}",
        filter_condition(open_filter)
    );
    let rows = bound_query(&sql, list, open_filter, sender, now).fetch_all(&mut *conn).await?;
    let mut tasks = rows.iter().map(task_from_row).collect::<Result<Vec<_>, _>>()?;
    if filter == TaskFilter::All && tasks.len() < LIST_LIMIT {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE list_key = $1 AND deleted_at IS NULL AND done_at IS NOT NULL \
             ORDER BY done_at DESC, number LIMIT {}",
            LIST_LIMIT - tasks.len()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(list.key()).fetch_all(&mut *conn).await?;
        tasks.extend(rows.iter().map(task_from_row).collect::<Result<Vec<_>, _>>()?);
    }
    let total = if tasks.len() < LIST_LIMIT {
        tasks.len() as u64
    } else {
        count(conn, list, filter, sender, now).await?
    };
    Ok((tasks, total))
}

impl Store {
    /// What a task command needs: the tasks its list shows, the task it names, and the next
    /// free number.
    pub async fn tasks_view(
        &self,
        list: &TaskList,
        command: &TaskCommand,
        sender: &ruma::UserId,
        now: DateTime<Utc>,
    ) -> Result<TasksView, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut view = TasksView::default();
        match command {
            TaskCommand::List(filter) => {
                (view.listed, view.matching) = listed(&mut conn, list, *filter, Some(sender), now).await?;
            }
            TaskCommand::Digest(text) if text.trim().is_empty() => {
                (view.listed, view.matching) =
                    listed(&mut conn, list, TaskFilter::Open, Some(sender), now).await?;
            }
            TaskCommand::Add(_) => view.next_number = next_number(&mut conn, list).await?,
            other => {
                if let Some(number) = other.number() {
                    view.named = task_in(&mut conn, list, number).await?;
                }
            }
        }
        Ok(view)
    }

    /// The tasks with a deadline that a calendar feed shows: those of `lists` and those
    /// assigned to `assignee` on any list, open or done since `done_since`.
    pub async fn feed_tasks(
        &self,
        lists: &[TaskList],
        assignee: Option<&ruma::UserId>,
        done_since: DateTime<Utc>,
    ) -> Result<Vec<Task>, StoreError> {
        const SHOWN: &str =
            "deleted_at IS NULL AND due_date IS NOT NULL AND (done_at IS NULL OR done_at >= $2)";
        let mut conn = self.pool.acquire().await?;
        let mut rows = Vec::new();
        for list in lists {
            let sql = format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE list_key = $1 AND {SHOWN} LIMIT {FEED_LIMIT}"
            );
            rows.extend(
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(list.key())
                    .bind(millis(done_since))
                    .fetch_all(&mut *conn)
                    .await?,
            );
        }
        if let Some(assignee) = assignee {
            let sql = format!(
                "SELECT {TASK_COLUMNS} FROM tasks WHERE assignee = $1 AND {SHOWN} LIMIT {FEED_LIMIT}"
            );
            rows.extend(
                sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                    .bind(assignee.as_str())
                    .bind(millis(done_since))
                    .fetch_all(&mut *conn)
                    .await?,
            );
        }
        let mut tasks = rows.iter().map(task_from_row).collect::<Result<Vec<_>, _>>()?;
        tasks.sort_by_key(|task| (task.list.key(), task.number));
        tasks.dedup_by(|a, b| a.list == b.list && a.number == b.number);
        Ok(tasks)
    }

    /// A task as it is now, unless it was deleted.
    pub async fn task(&self, list: &TaskList, number: i64) -> Result<Option<Task>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        task_in(&mut conn, list, number).await
    }
}

async fn next_number(conn: &mut AnyConnection, list: &TaskList) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS next FROM tasks WHERE list_key = $1")
        .bind(list.key())
        .fetch_one(&mut *conn)
        .await?;
    Ok(row.try_get("next")?)
}
