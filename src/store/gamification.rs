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
        Badge, Entry, GamificationChange, GamificationJob, LearnerRecord, ProgressCommand, ProgressView,
        RANKING_LIMIT, Recorded, StandingSummary, Visibility,
    },
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
        }
    }
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
    Ok(())
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

/// Who may be shown on a leaderboard, in SQL: [`Visibility`]'s rule, the same as the bot's, and
/// word for word the condition of the index `learning_standings_listed`, so that the queries
/// read that index alone.
const LISTED: &str = "(visibility = 'shown' OR (visibility = 'default' AND staff = 1))";

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
        if !matches!(command, ProgressCommand::Ranking) {
            return Ok(view);
        }
        let mine = sqlx::query("SELECT xp, visibility FROM learning_standings WHERE user_id = $1")
            .bind(user_id.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        let own_xp = match &mine {
            Some(row) => {
                view.visibility = Some(visibility_of(&row.try_get::<String, _>("visibility")?));
                row.try_get::<i64, _>("xp")?
            }
            None => 0,
        };
        view.top = self.leaderboard_top(&mut conn).await?;
        let sql = format!("SELECT COUNT(*) AS n FROM learning_standings WHERE {LISTED} AND xp > $1");
        let ahead: i64 =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(own_xp).fetch_one(&mut *conn).await?.try_get("n")?;
        view.ahead = u64::try_from(ahead).unwrap_or_default();
        Ok(view)
    }

    /// The top of the office's leaderboard, only those who may be shown, best first; ties are
    /// all read, so that a shared place is never cut in two.
    async fn leaderboard_top(&self, conn: &mut AnyConnection) -> Result<Vec<Entry<OwnedUserId>>, StoreError> {
        let sql = format!(
            "SELECT user_id, xp, staff, visibility FROM learning_standings WHERE {LISTED} \
             AND xp >= COALESCE((SELECT xp FROM learning_standings WHERE {LISTED} AND xp > 0 \
                 ORDER BY xp DESC LIMIT 1 OFFSET {}), 1) \
             ORDER BY xp DESC, user_id",
            RANKING_LIMIT - 1
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
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
}
