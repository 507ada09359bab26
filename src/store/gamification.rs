//! Gamification's rows: learning events (each once), badges (each once), and each learner's
//! standing and leaderboard choice, written inside the turn's or the job's transaction.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use ruma::{OwnedUserId, UserId};
use sqlx::{AnyConnection, Row};
use szpon_bots::{
    JobContext, Lang,
    durable::{decode, encode},
    gamification::{
        Badge, Board, Entry, GamificationChange, GamificationJob, LearnerRecord, ProgressCommand,
        ProgressView, RANKING_LIMIT, Recorded, StandingSummary, Visibility,
    },
    learning::{CourseNamed, find_course},
};

use super::{Store, StoreError, from_millis, millis, set_aside};

/// Applies one change inside the caller's transaction.
pub(super) async fn apply(
    conn: &mut AnyConnection,
    change: &GamificationChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match change {
        GamificationChange::Record { user_id, recorded } => {
            sqlx::query(
                "INSERT INTO learning_events (user_id, event_key, at, activity) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (user_id, event_key) DO NOTHING",
            )
            .bind(user_id.as_str())
            .bind(&recorded.key)
            .bind(millis(recorded.at))
            .bind(encode(&recorded.activity))
            .execute(&mut *conn)
            .await?;
        }
        GamificationChange::Standing { user_id, summary, new_badges, at } => {
            for badge in new_badges {
                // No ON CONFLICT: a badge kept already fails the commit, and with it the
                // announcement, so that no badge is ever announced twice.
                sqlx::query("INSERT INTO learning_badges (user_id, badge, awarded_at) VALUES ($1, $2, $3)")
                    .bind(user_id.as_str())
                    .bind(badge_key(badge))
                    .bind(millis(*at))
                    .execute(&mut *conn)
                    .await?;
            }
            save_standing(conn, user_id, summary, *at).await?;
        }
        GamificationChange::Visibility { user_id, visibility } => {
            sqlx::query(
                "INSERT INTO learning_standings (user_id, visibility, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (user_id) DO UPDATE SET visibility = excluded.visibility",
            )
            .bind(user_id.as_str())
            .bind(visibility_text(*visibility))
            .bind(millis(now))
            .execute(&mut *conn)
            .await?;
            relist(conn, user_id).await?;
        }
    }
    Ok(())
}

/// Makes the learner's course rows say again whether they may be shown, as their standing says.
async fn relist(conn: &mut AnyConnection, user_id: &UserId) -> Result<(), StoreError> {
    let sql = format!(
        "UPDATE learning_course_xp SET listed = COALESCE((SELECT CASE WHEN {LISTED} THEN 1 ELSE 0 END \
         FROM learning_standings WHERE learning_standings.user_id = learning_course_xp.user_id), 0) \
         WHERE user_id = $1"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id.as_str()).execute(&mut *conn).await?;
    Ok(())
}

async fn save_standing(
    conn: &mut AnyConnection,
    user_id: &UserId,
    summary: &StandingSummary,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO learning_standings (user_id, xp, streak_days, last_day, staff, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id) DO UPDATE SET xp = excluded.xp, streak_days = excluded.streak_days, \
         last_day = excluded.last_day, staff = excluded.staff, updated_at = excluded.updated_at",
    )
    .bind(user_id.as_str())
    .bind(i64::from(summary.xp))
    .bind(i64::from(summary.streak_days))
    .bind(summary.last_day.map(|day| day.to_string()))
    .bind(i64::from(summary.staff))
    .bind(millis(at))
    .execute(&mut *conn)
    .await?;
    for (course_id, xp) in &summary.courses {
        sqlx::query(
            "INSERT INTO learning_course_xp (user_id, course_id, xp) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, course_id) DO UPDATE SET xp = excluded.xp",
        )
        .bind(user_id.as_str())
        .bind(course_id)
        .bind(i64::from(*xp))
        .execute(&mut *conn)
        .await?;
    }
    relist(conn, user_id).await
}

/// A badge as its row names it: its JSON, which is stable (serde writes fields in order).
fn badge_key(badge: &Badge) -> String {
    serde_json::to_string(badge).expect("badges serialise")
}

fn visibility_text(visibility: Visibility) -> &'static str {
    match visibility {
        Visibility::Default => "default",
        Visibility::Shown => "shown",
        Visibility::Hidden => "hidden",
    }
}

fn visibility_of(text: &str) -> Visibility {
    match text {
        "shown" => Visibility::Shown,
        "hidden" => Visibility::Hidden,
        _ => Visibility::Default,
    }
}

/// A learner's recorded learning, their badges and their language. An event this version
/// cannot read is set aside, once, and the rest still count.
async fn record_in(
    conn: &mut AnyConnection,
    user_id: &UserId,
    now: DateTime<Utc>,
) -> Result<LearnerRecord, StoreError> {
    let rows = sqlx::query("SELECT event_key, at, activity FROM learning_events WHERE user_id = $1")
        .bind(user_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let key: String = row.try_get("event_key")?;
        let json: String = row.try_get("activity")?;
        match decode(&json) {
            Ok(activity) => events.push(Recorded { key, at: from_millis(row.try_get("at")?), activity }),
            Err(reason) => {
                let owner = format!("{user_id} {key}");
                set_aside(conn, "learning_events", &owner, &json, &reason.to_string(), now).await?;
                sqlx::query("DELETE FROM learning_events WHERE user_id = $1 AND event_key = $2")
                    .bind(user_id.as_str())
                    .bind(&key)
                    .execute(&mut *conn)
                    .await?;
            }
        }
    }
    let rows = sqlx::query("SELECT badge FROM learning_badges WHERE user_id = $1")
        .bind(user_id.as_str())
        .fetch_all(&mut *conn)
        .await?;
    let mut awarded = BTreeSet::new();
    for row in rows {
        let text: String = row.try_get("badge")?;
        // A badge of a newer version still counts as awarded: it is never announced again.
        if let Ok(badge) = serde_json::from_str::<Badge>(&text) {
            awarded.insert(badge);
        }
    }
    Ok(LearnerRecord { events, awarded, lang: language_in(conn, user_id).await? })
}

pub(super) async fn language_in(conn: &mut AnyConnection, user_id: &UserId) -> Result<Lang, StoreError> {
    let row = sqlx::query("SELECT chosen_language, detected_language FROM people WHERE user_id = $1")
        .bind(user_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(Lang::default()) };
    let chosen: Option<String> = row.try_get("chosen_language")?;
    let detected: Option<String> = row.try_get("detected_language")?;
    Ok(chosen.or(detected).as_deref().and_then(Lang::parse).unwrap_or_default())
}

/// What a learner's standing job reads when it falls due.
pub(super) async fn job_context_in(
    conn: &mut AnyConnection,
    job: &GamificationJob,
    now: DateTime<Utc>,
) -> Result<JobContext, StoreError> {
    match job {
        GamificationJob::Standing { user_id, .. } => {
            Ok(JobContext::Learner(record_in(conn, user_id, now).await?))
        }
        GamificationJob::StreakReminders { day } => {
            Ok(JobContext::Learners(streaks_at_risk_in(conn, *day, now).await?))
        }
        GamificationJob::WeeklySummaries { monday } => {
            Ok(JobContext::Learners(learnt_in_week_before_in(conn, *monday, now).await?))
        }
    }
}

/// The learners with learning recorded in the week before `monday`, with their records. The
/// window is a day wider on each side than the week in UTC: the bot counts the office's days.
async fn learnt_in_week_before_in(
    conn: &mut AnyConnection,
    monday: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(OwnedUserId, LearnerRecord)>, StoreError> {
    let midnight = monday.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let rows = sqlx::query(
        "SELECT DISTINCT user_id FROM learning_events WHERE at >= $1 AND at < $2 ORDER BY user_id",
    )
    .bind(millis(midnight - chrono::Duration::days(8)))
    .bind(millis(midnight + chrono::Duration::days(1)))
    .fetch_all(&mut *conn)
    .await?;
    records_of_in(conn, &rows, now).await
}

/// The learners whose streak may end tonight: those whose last learning was yesterday, or the
/// day before (yesterday bridged by the freeze), with their records.
async fn streaks_at_risk_in(
    conn: &mut AnyConnection,
    day: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<(OwnedUserId, LearnerRecord)>, StoreError> {
    let (Some(yesterday), Some(before)) = (day.pred_opt(), day.pred_opt().and_then(|d| d.pred_opt())) else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(
        "SELECT user_id FROM learning_standings WHERE streak_days > 0 AND last_day IN ($1, $2) ORDER BY user_id",
    )
    .bind(yesterday.to_string())
    .bind(before.to_string())
    .fetch_all(&mut *conn)
    .await?;
    records_of_in(conn, &rows, now).await
}

/// The learners of `rows` (a `user_id` column), each with their record.
async fn records_of_in(
    conn: &mut AnyConnection,
    rows: &[sqlx::any::AnyRow],
    now: DateTime<Utc>,
) -> Result<Vec<(OwnedUserId, LearnerRecord)>, StoreError> {
    let mut learners = Vec::with_capacity(rows.len());
    for row in rows {
        let user: String = row.try_get("user_id")?;
        let Ok(user_id) = OwnedUserId::try_from(user.as_str()) else { continue };
        let record = record_in(conn, &user_id, now).await?;
        learners.push((user_id, record));
    }
    Ok(learners)
}

impl Store {
    /// What `!postępy` and `!ranking` read.
    pub async fn progress_view(
        &self,
        user_id: &UserId,
        command: &ProgressCommand,
        now: DateTime<Utc>,
    ) -> Result<ProgressView, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut view =
            ProgressView { record: record_in(&mut conn, user_id, now).await?, ..ProgressView::default() };
        let ProgressCommand::Ranking(board) = command else { return Ok(view) };
        let mine = sqlx::query("SELECT xp, visibility FROM learning_standings WHERE user_id = $1")
            .bind(user_id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        let mut own_xp = match &mine {
            Some(row) => {
                view.visibility = Some(visibility_of(&row.try_get::<String, _>("visibility")?));
                row.try_get::<i64, _>("xp")?
            }
            None => 0,
        };
        let (key, board_sql) = match board {
            Board::Office => (String::new(), OFFICE_BOARD),
            Board::Course(asked) => {
                let catalogue = self.catalogue(&mut conn).await?;
                let course_id = match find_course(catalogue.iter().map(|v| v.course.as_ref()), asked) {
                    CourseNamed::One(course) => {
                        view.board_name = Some(course.title.clone());
                        view.board_course = Some(course.id.clone());
                        course.id.clone()
                    }
                    CourseNamed::Several(courses) => {
                        view.course_candidates =
                            courses.iter().map(|c| (c.id.clone(), c.title.clone())).collect();
                        return Ok(view);
                    }
                    CourseNamed::NotFound => return Ok(view),
                };
                own_xp = course_xp_in(&mut conn, user_id, &course_id).await?;
                (course_id, COURSE_BOARD)
            }
            Board::Department => {
                let Some(department) = department_in(&mut conn, user_id).await? else { return Ok(view) };
                view.board_name = Some(department.clone());
                (department, DEPARTMENT_BOARD)
            }
        };
        view.top = board_top_in(&mut conn, &board_sql, &key).await?;
        let ahead: i64 = sqlx::query(sqlx::AssertSqlSafe(board_sql.ahead()))
            .bind(key)
            .bind(own_xp)
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
        view.ahead = u64::try_from(ahead).unwrap_or_default();
        Ok(view)
    }
}

/// One leaderboard in SQL: a FROM and WHERE giving `b.user_id` and `b.xp` of only those who may
/// be shown, its one parameter ($1) naming the board: the course, the department (the office's
/// board ignores it).
struct BoardSql {
    rows: &'static str,
}

/// Who may be shown on a leaderboard, in SQL: [`Visibility`]'s rule, the same as the bot's, and
/// word for word the condition of the index `learning_standings_listed`, so that the queries
/// read that index alone.
macro_rules! listed {
    () => {
        "(visibility = 'shown' OR (visibility = 'default' AND staff = 1))"
    };
}
const LISTED: &str = listed!();

const OFFICE_BOARD: BoardSql =
    BoardSql { rows: concat!("learning_standings b WHERE ", listed!(), " AND $1 = $1") };

const COURSE_BOARD: BoardSql =
    BoardSql { rows: "learning_course_xp b WHERE b.course_id = $1 AND b.listed = 1" };

const DEPARTMENT_BOARD: BoardSql = BoardSql {
    rows: concat!(
        "learning_standings b JOIN directory d ON d.user_id = b.user_id WHERE d.department = $1 AND ",
        listed!()
    ),
};

/// The most rows a board's top reads: the ten places, with room for ties at the last one.
/// Bounding it lets PostgreSQL look up each row's standing by its key instead of reading every
/// standing for a hash join (27 ms against 0.6 ms for a course of 100,000).
const TOP_ROWS: usize = 100;

impl BoardSql {
    /// The top, with each row's standing (`staff`, `visibility`) for the bot to check again;
    /// ties at the last place are read too, up to [`TOP_ROWS`], so that a shared place is not
    /// cut in two.
    fn top(&self) -> String {
        format!(
            "SELECT t.user_id, t.xp, s.staff, s.visibility FROM \
             (SELECT b.user_id, b.xp FROM {rows} \
              AND b.xp >= COALESCE((SELECT b.xp FROM {rows} AND b.xp > 0 ORDER BY b.xp DESC LIMIT 1 OFFSET {last}), 1) \
              ORDER BY b.xp DESC, b.user_id LIMIT {TOP_ROWS}) t \
             JOIN learning_standings s ON s.user_id = t.user_id ORDER BY t.xp DESC, t.user_id",
            rows = self.rows,
            last = RANKING_LIMIT - 1
        )
    }

    /// How many are shown with more XP than $2.
    fn ahead(&self) -> String {
        format!("SELECT COUNT(*) AS n FROM {} AND b.xp > $2", self.rows)
    }
}

async fn board_top_in(
    conn: &mut AnyConnection,
    board: &BoardSql,
    key: &str,
) -> Result<Vec<Entry<OwnedUserId>>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(board.top())).bind(key).fetch_all(&mut *conn).await?;
    let mut top = Vec::with_capacity(rows.len());
    for row in rows {
        let user: String = row.try_get("user_id")?;
        let Ok(learner) = OwnedUserId::try_from(user.as_str()) else { continue };
        top.push(Entry {
            learner,
            xp: u32::try_from(row.try_get::<i64, _>("xp")?).unwrap_or(u32::MAX),
            staff: row.try_get::<i64, _>("staff")? != 0,
            visibility: visibility_of(&row.try_get::<String, _>("visibility")?),
        });
    }
    Ok(top)
}

async fn course_xp_in(
    conn: &mut AnyConnection,
    user_id: &UserId,
    course_id: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT xp FROM learning_course_xp WHERE user_id = $1 AND course_id = $2")
        .bind(user_id.as_str())
        .bind(course_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|row| row.try_get("xp")).transpose()?.unwrap_or(0))
}

/// The writer's department, as the directory has it.
async fn department_in(conn: &mut AnyConnection, user_id: &UserId) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT department FROM directory WHERE user_id = $1")
        .bind(user_id.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let department: Option<String> = row.map(|row| row.try_get("department")).transpose()?.flatten();
    Ok(department.filter(|d| !d.trim().is_empty()))
}
