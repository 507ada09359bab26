//! Learners: enrolments and their progress, direct chats, and survey answers (anonymous ones
//! only as counts and an unordered set of texts).

use std::{collections::HashMap, sync::Arc};
use szpon_bots::durable::{decode, encode};
use szpon_bots::{JobContext, learning::CourseJob};

use chrono::{DateTime, Utc};
use ruma::{OwnedRoomId, OwnedUserId, RoomId, UserId};
use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::{
    Lang,
    courses::{
        CourseChange,
        report::{CourseReport, LearnerResult, SurveyTally},
    },
    learning::{CourseVersion, Enrolment, EnrolmentStatus, LearningView, Origin},
};
use szpon_course_engine::{SurveyAnswer, parse_course};

use super::{Store, StoreError, from_millis, millis};

const COLUMNS: &str = "course_id, user_id, version, status, origin, progress, enrolled_at";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("enrolment {what} {value:?}"))
}

fn enrolment_from_row(row: &AnyRow) -> Result<Enrolment, StoreError> {
    let user: String = row.try_get("user_id")?;
    let status: String = row.try_get("status")?;
    let origin: String = row.try_get("origin")?;
    let progress: String = row.try_get("progress")?;
    Ok(Enrolment {
        course_id: row.try_get("course_id")?,
        user_id: user.as_str().try_into().map_err(|_| corrupt("user", &user))?,
        version: row.try_get("version")?,
        status: EnrolmentStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        origin: Origin::parse(&origin).ok_or_else(|| corrupt("origin", &origin))?,
        progress: decode(&progress).map_err(|_| corrupt("progress", &progress))?,
        enrolled_at: from_millis(row.try_get("enrolled_at")?),
    })
}

/// Applies one learner change inside the caller's transaction.
pub(super) async fn apply(
    conn: &mut AnyConnection,
    change: &CourseChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match change {
        CourseChange::Publish(_) => unreachable!("publications are stored by the courses module"),
        CourseChange::Enrol(enrolment) => enrol(conn, enrolment, now).await,
        CourseChange::Progress { course_id, user_id, progress, finished, at } => {
            let json = encode(progress);
            let (status, finished_at, score) = match finished {
                Some(score) => (EnrolmentStatus::Finished, Some(millis(*at)), score.map(i64::from)),
                None => (EnrolmentStatus::Active, None, None),
            };
            sqlx::query(
                "UPDATE enrolments SET progress = $1, status = $2, finished_at = $3, score = $4, updated_at = $5 \
                 WHERE course_id = $6 AND user_id = $7 AND status = 'active'",
            )
            .bind(json)
            .bind(status.as_str())
            .bind(finished_at)
            .bind(score)
            .bind(millis(*at))
            .bind(course_id)
            .bind(user_id.as_str())
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        CourseChange::Migrate { course_id, user_id, version, progress } => {
            let json = encode(progress);
            sqlx::query(
                "UPDATE enrolments SET version = $1, progress = $2, updated_at = $3 \
                 WHERE course_id = $4 AND user_id = $5 AND status = 'active' AND version < $1",
            )
            .bind(*version)
            .bind(json)
            .bind(millis(now))
            .bind(course_id)
            .bind(user_id.as_str())
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        CourseChange::EditorTicket { token, user_id, expires_at } => {
            super::editor::add_ticket(conn, token, user_id, *expires_at).await
        }
        CourseChange::Leave { course_id, user_id } => {
            sqlx::query(
                "UPDATE enrolments SET status = 'left', updated_at = $1 WHERE course_id = $2 AND user_id = $3",
            )
            .bind(millis(now))
            .bind(course_id)
            .bind(user_id.as_str())
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        CourseChange::SurveySent { course_id, version, section, respondent, options, answers } => {
            survey_sent(conn, course_id, *version, *section, respondent.as_deref(), options, answers).await
        }
    }
}

/// A new enrolment, or a new start for someone who left; nobody enrolled is changed.
async fn enrol(conn: &mut AnyConnection, e: &Enrolment, now: DateTime<Utc>) -> Result<(), StoreError> {
    let progress = encode(&e.progress);
    sqlx::query(
        "INSERT INTO enrolments (course_id, user_id, version, status, origin, progress, enrolled_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (course_id, user_id) DO UPDATE SET \
         version = $3, status = $4, origin = $5, progress = $6, enrolled_at = $7, updated_at = $8, \
         finished_at = NULL, score = NULL WHERE enrolments.status = 'left'",
    )
    .bind(&e.course_id)
    .bind(e.user_id.as_str())
    .bind(e.version)
    .bind(e.status.as_str())
    .bind(e.origin.as_str())
    .bind(progress)
    .bind(millis(e.enrolled_at))
    .bind(millis(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn survey_sent(
    conn: &mut AnyConnection,
    course_id: &str,
    version: i64,
    section: usize,
    respondent: Option<&UserId>,
    options: &[usize],
    answers: &[SurveyAnswer],
) -> Result<(), StoreError> {
    let key = (course_id, version, section as i64);
    for (item, (count, answer)) in options.iter().zip(answers).enumerate() {
        let chosen = match answer {
            SurveyAnswer::Scale(n) => Some(usize::from(*n).saturating_sub(1)),
            SurveyAnswer::Choice(c) => Some(*c),
            SurveyAnswer::Text(text) => {
                add_text(conn, key, item as i64, text).await?;
                None
            }
        };
        // Every option's row is written, the chosen one plus one and the others plus nothing.
        for option in 0..*count {
            let add = i64::from(chosen == Some(option));
            sqlx::query(
                "INSERT INTO survey_counts (course_id, version, section, item, answer, count) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (course_id, version, section, item, answer) \
                 DO UPDATE SET count = survey_counts.count + $6",
            )
            .bind(key.0)
            .bind(key.1)
            .bind(key.2)
            .bind(item as i64)
            .bind(option as i64)
            .bind(add)
            .execute(&mut *conn)
            .await?;
        }
    }
    if let Some(user) = respondent {
        let json = serde_json::to_string(answers).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO survey_answers (course_id, version, section, user_id, answers) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (course_id, version, section, user_id) DO UPDATE SET answers = $5",
        )
        .bind(key.0)
        .bind(key.1)
        .bind(key.2)
        .bind(user.as_str())
        .bind(json)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds a text to an item's sorted set. The row is locked first (PostgreSQL locks it for the
/// no-op update), so two respondents at once both get in.
async fn add_text(
    conn: &mut AnyConnection,
    key: (&str, i64, i64),
    item: i64,
    text: &str,
) -> Result<(), StoreError> {
    let bind = |sql: &'static str| sqlx::query(sql).bind(key.0).bind(key.1).bind(key.2).bind(item);
    bind(
        "INSERT INTO survey_texts (course_id, version, section, item, texts) VALUES ($1, $2, $3, $4, '[]') \
         ON CONFLICT (course_id, version, section, item) DO NOTHING",
    )
    .execute(&mut *conn)
    .await?;
    bind("UPDATE survey_texts SET texts = texts WHERE course_id = $1 AND version = $2 AND section = $3 AND item = $4")
        .execute(&mut *conn)
        .await?;
    let row = bind(
        "SELECT texts FROM survey_texts WHERE course_id = $1 AND version = $2 AND section = $3 AND item = $4",
    )
    .fetch_one(&mut *conn)
    .await?;
    let json: String = row.try_get("texts")?;
    let mut texts: Vec<String> = serde_json::from_str(&json).map_err(|_| corrupt("survey texts", &json))?;
    let at = texts.partition_point(|t| t.as_str() < text);
    texts.insert(at, text.to_owned());
    let json = serde_json::to_string(&texts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query(
        "UPDATE survey_texts SET texts = $5 WHERE course_id = $1 AND version = $2 AND section = $3 AND item = $4",
    )
    .bind(key.0)
    .bind(key.1)
    .bind(key.2)
    .bind(item)
    .bind(json)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records the person's direct chat with the bot, where their lessons go from now on.
pub(super) async fn set_direct_room(
    conn: &mut AnyConnection,
    user: &UserId,
    room: &RoomId,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO direct_rooms (user_id, room_id) VALUES ($1, $2) \
         ON CONFLICT (user_id) DO UPDATE SET room_id = $2",
    )
    .bind(user.as_str())
    .bind(room.as_str())
    .execute(&mut *conn)
    .await?;
    // Messages waiting for the person now queue behind this chat's answers.
    sqlx::query("UPDATE outbox SET lane = $1 WHERE direct_to = $2 AND done_at IS NULL AND failed_at IS NULL")
        .bind(room.as_str())
        .bind(user.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A person's known direct chat with the bot, inside a transaction.
pub(super) async fn direct_room_in(
    conn: &mut AnyConnection,
    user: &UserId,
) -> Result<Option<OwnedRoomId>, StoreError> {
    let row = sqlx::query("SELECT room_id FROM direct_rooms WHERE user_id = $1")
        .bind(user.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let room: String = row.try_get("room_id")?;
    Ok(Some(room.as_str().try_into().map_err(|_| corrupt("direct room", &room))?))
}

/// Parsed course versions, kept: a version never changes once published.
#[derive(Debug, Default)]
pub struct CourseCache {
    versions: std::sync::Mutex<HashMap<(String, i64), Arc<szpon_course_engine::Course>>>,
}

impl CourseCache {
    fn get(
        &self,
        course_id: &str,
        version: i64,
        source: impl FnOnce() -> String,
    ) -> Result<CourseVersion, StoreError> {
        let key = (course_id.to_owned(), version);
        if let Some(course) = self.versions.lock().expect("the cache is never poisoned").get(&key) {
            return Ok(CourseVersion { version, course: course.clone() });
        }
        let course = parse_course(&source())
            .map_err(|e| StoreError::Corrupt(format!("course {course_id} version {version}: {e}")))?;
        let course = Arc::new(course);
        self.versions.lock().expect("the cache is never poisoned").insert(key, course.clone());
        Ok(CourseVersion { version, course })
    }
}

/// One course version, parsed once and kept; none if it is not stored.
pub(super) async fn version_in(
    conn: &mut AnyConnection,
    cache: &CourseCache,
    course_id: &str,
    version: i64,
) -> Result<Option<CourseVersion>, StoreError> {
    let row = sqlx::query("SELECT source FROM courses WHERE course_id = $1 AND version = $2")
        .bind(course_id)
        .bind(version)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let source: String = row.try_get("source")?;
    cache.get(course_id, version, || source).map(Some)
}

async fn versions_in(
    conn: &mut AnyConnection,
    cache: &CourseCache,
    course_id: &str,
) -> Result<Vec<CourseVersion>, StoreError> {
    let rows = sqlx::query("SELECT version, source FROM courses WHERE course_id = $1 ORDER BY version")
        .bind(course_id)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|row| {
            let version: i64 = row.try_get("version")?;
            let source: String = row.try_get("source")?;
            cache.get(course_id, version, || source)
        })
        .collect()
}

async fn enrolments_in(conn: &mut AnyConnection, course_id: &str) -> Result<Vec<Enrolment>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM enrolments WHERE course_id = $1 ORDER BY user_id");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(course_id).fetch_all(&mut *conn).await?;
    rows.iter().map(enrolment_from_row).collect()
}

/// Who a course's LIVE session is for: the course's room, if it has one, and its learners
/// (enrolled, not gone), each with their language.
pub(super) async fn course_audience_in(
    conn: &mut AnyConnection,
    course_id: &str,
) -> Result<(Option<OwnedRoomId>, Vec<(OwnedUserId, Lang)>), StoreError> {
    let row = sqlx::query("SELECT room_id FROM course_rooms WHERE course_id = $1")
        .bind(course_id)
        .fetch_optional(&mut *conn)
        .await?;
    let room = match row {
        Some(row) => {
            let room: String = row.try_get("room_id")?;
            Some(room.as_str().try_into().map_err(|_| corrupt("course room", &room))?)
        }
        None => None,
    };
    let mut learners = Vec::new();
    for enrolment in enrolments_in(conn, course_id).await? {
        if enrolment.status != EnrolmentStatus::Left {
            let lang = super::gamification::language_in(conn, &enrolment.user_id).await?;
            learners.push((enrolment.user_id, lang));
        }
    }
    Ok((room, learners))
}

/// A lesson time's context: the course's versions and its active learners.
pub(super) async fn lesson_context_in(
    conn: &mut AnyConnection,
    cache: &CourseCache,
    course_id: &str,
) -> Result<Option<(Vec<CourseVersion>, Vec<Enrolment>)>, StoreError> {
    let versions = versions_in(conn, cache, course_id).await?;
    if versions.is_empty() {
        return Ok(None);
    }
    let mut enrolments = enrolments_in(conn, course_id).await?;
    enrolments.retain(|e| e.status == EnrolmentStatus::Active);
    Ok(Some((versions, enrolments)))
}

/// What a course's job reads when it falls due.
pub(super) async fn job_context_in(
    conn: &mut AnyConnection,
    cache: &CourseCache,
    job: &CourseJob,
) -> Result<JobContext, StoreError> {
    let CourseJob::Lesson { course_id, .. } = job;
    Ok(JobContext::Course(lesson_context_in(conn, cache, course_id).await?))
}

impl Store {
    /// The person's direct chat with the bot, if known.
    pub async fn direct_room(&self, user: &UserId) -> Result<Option<OwnedRoomId>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        direct_room_in(&mut conn, user).await
    }

    /// A course's room, if it has one.
    pub async fn course_room(&self, course_id: &str) -> Result<Option<OwnedRoomId>, StoreError> {
        let row = sqlx::query("SELECT room_id FROM course_rooms WHERE course_id = $1")
            .bind(course_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let room: String = row.try_get("room_id")?;
        Ok(Some(room.as_str().try_into().map_err(|_| corrupt("course room", &room))?))
    }

    /// Records a course's room, once created.
    pub async fn record_course_room(&self, course_id: &str, room: &RoomId) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO course_rooms (course_id, room_id) VALUES ($1, $2) ON CONFLICT (course_id) DO NOTHING")
            .bind(course_id)
            .bind(room.as_str())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A learner's enrolments, with `!kursy`'s catalogue and their directory entry if asked for.
    pub async fn learning_view(&self, user: &UserId, catalogue: bool) -> Result<LearningView, StoreError> {
        // Read before taking a connection for the rest: a turn never holds two at once, so that
        // many turns at once cannot starve each other of the pool.
        let direct_room = self.direct_room(user).await?;
        let attributes = match catalogue {
            true => self.directory().await?.into_iter().find(|e| *e.user_id == *user).map(|e| e.attributes),
            false => None,
        };
        let mut conn = self.pool.acquire().await?;
        let sql = format!("SELECT {COLUMNS} FROM enrolments WHERE user_id = $1 ORDER BY enrolled_at");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user.as_str()).fetch_all(&mut *conn).await?;
        let mut view = LearningView { direct_room, attributes, ..LearningView::default() };
        for row in &rows {
            let enrolment = enrolment_from_row(row)?;
            let source = sqlx::query("SELECT source FROM courses WHERE course_id = $1 AND version = $2")
                .bind(&enrolment.course_id)
                .bind(enrolment.version)
                .fetch_one(&mut *conn)
                .await?;
            let source: String = source.try_get("source")?;
            let version = self.courses.get(&enrolment.course_id, enrolment.version, || source)?;
            view.enrolments.push((enrolment, version));
        }
        if catalogue {
            view.catalogue = self.catalogue(&mut conn).await?;
        }
        Ok(view)
    }

    /// The latest version of every course.
    pub(super) async fn catalogue(&self, conn: &mut AnyConnection) -> Result<Vec<CourseVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT c.course_id, c.version, c.source FROM courses c WHERE c.version = \
             (SELECT MAX(version) FROM courses l WHERE l.course_id = c.course_id) ORDER BY c.course_id",
        )
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|row| {
                let id: String = row.try_get("course_id")?;
                let source: String = row.try_get("source")?;
                self.courses.get(&id, row.try_get("version")?, || source)
            })
            .collect()
    }

    /// What publishing a course needs: the directory, the course's enrolments and its latest
    /// version's number.
    pub async fn publication_view(&self, course_id: &str) -> Result<LearningView, StoreError> {
        let directory = self.directory().await?;
        let mut conn = self.pool.acquire().await?;
        let course_enrolments = enrolments_in(&mut conn, course_id).await?;
        let latest = sqlx::query("SELECT MAX(version) AS latest FROM courses WHERE course_id = $1")
            .bind(course_id)
            .fetch_one(&mut *conn)
            .await?
            .try_get::<Option<i64>, _>("latest")?;
        let versions = versions_in(&mut conn, &self.courses, course_id).await?;
        drop(conn);
        let latest_files = match latest {
            Some(version) => self.course_file_infos(course_id, version).await?,
            None => Default::default(),
        };
        Ok(LearningView {
            directory,
            course_enrolments,
            latest_version: latest,
            versions,
            latest_files,
            ..LearningView::default()
        })
    }

    /// Every course's latest version with its enrolments, to re-evaluate audiences after the
    /// directory changed.
    pub async fn courses_with_enrolments(&self) -> Result<Vec<(CourseVersion, Vec<Enrolment>)>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut all = Vec::new();
        for version in self.catalogue(&mut conn).await? {
            let enrolments = enrolments_in(&mut conn, &version.course.id).await?;
            all.push((version, enrolments));
        }
        Ok(all)
    }

    /// A course's results, for `!wyniki` and `!ankieta`.
    pub async fn course_report(&self, course_id: &str) -> Result<Option<CourseReport>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let Some(course) = versions_in(&mut conn, &self.courses, course_id).await?.pop() else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT user_id, version, status, score, enrolled_at, finished_at FROM enrolments \
             WHERE course_id = $1 ORDER BY enrolled_at, user_id",
        )
        .bind(course_id)
        .fetch_all(&mut *conn)
        .await?;
        let learners = rows
            .iter()
            .map(|row| {
                let user: String = row.try_get("user_id")?;
                let status: String = row.try_get("status")?;
                Ok(LearnerResult {
                    user_id: user.as_str().try_into().map_err(|_| corrupt("user", &user))?,
                    version: row.try_get("version")?,
                    status: EnrolmentStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
                    score: row.try_get::<Option<i64>, _>("score")?.map(|s| s.clamp(0, 1000) as u32),
                    enrolled_at: from_millis(row.try_get("enrolled_at")?),
                    finished_at: row.try_get::<Option<i64>, _>("finished_at")?.map(from_millis),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        let surveys = self.survey_tallies(&mut conn, course_id, course.version).await?;
        let rows = sqlx::query(
            "SELECT user_id, section, answers FROM survey_answers WHERE course_id = $1 AND version = $2 \
             ORDER BY section, user_id",
        )
        .bind(course_id)
        .bind(course.version)
        .fetch_all(&mut *conn)
        .await?;
        let named_answers = rows
            .iter()
            .map(|row| {
                let user: String = row.try_get("user_id")?;
                let json: String = row.try_get("answers")?;
                Ok((
                    user.as_str().try_into().map_err(|_| corrupt("user", &user))?,
                    row.try_get::<i64, _>("section")? as usize,
                    serde_json::from_str(&json).map_err(|_| corrupt("answers", &json))?,
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Some(CourseReport { course, learners, surveys, named_answers }))
    }

    async fn survey_tallies(
        &self,
        conn: &mut AnyConnection,
        course_id: &str,
        version: i64,
    ) -> Result<Vec<SurveyTally>, StoreError> {
        let mut tallies: std::collections::BTreeMap<(usize, usize), SurveyTally> = Default::default();
        let rows = sqlx::query(
            "SELECT section, item, answer, count FROM survey_counts WHERE course_id = $1 AND version = $2 \
             ORDER BY section, item, answer",
        )
        .bind(course_id)
        .bind(version)
        .fetch_all(&mut *conn)
        .await?;
        for row in &rows {
            let (section, item) =
                (row.try_get::<i64, _>("section")? as usize, row.try_get::<i64, _>("item")? as usize);
            let tally = tallies.entry((section, item)).or_insert(SurveyTally {
                section,
                item,
                counts: Vec::new(),
                texts: Vec::new(),
            });
            let answer = row.try_get::<i64, _>("answer")? as usize;
            tally.counts.resize(tally.counts.len().max(answer + 1), 0);
            tally.counts[answer] = row.try_get::<i64, _>("count")?.clamp(0, i64::from(u32::MAX)) as u32;
        }
        let rows = sqlx::query(
            "SELECT section, item, texts FROM survey_texts WHERE course_id = $1 AND version = $2",
        )
        .bind(course_id)
        .bind(version)
        .fetch_all(&mut *conn)
        .await?;
        for row in &rows {
            let (section, item) =
                (row.try_get::<i64, _>("section")? as usize, row.try_get::<i64, _>("item")? as usize);
            let json: String = row.try_get("texts")?;
            let tally = tallies.entry((section, item)).or_insert(SurveyTally {
                section,
                item,
                counts: Vec::new(),
                texts: Vec::new(),
            });
            tally.texts = serde_json::from_str(&json).map_err(|_| corrupt("survey texts", &json))?;
        }
        Ok(tallies.into_values().collect())
    }
}
