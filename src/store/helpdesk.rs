//! Helpdesk tickets: opened, claimed, closed and handed back inside the turn's transaction.

use chrono::{DateTime, Utc};
use ruma::{OwnedRoomId, OwnedUserId, RoomId, UserId};
use sqlx::{AnyConnection, Row, any::AnyRow};
use szpon_bots::{JobContext, helpdesk::HelpdeskJob};
use szpon_bots::{
    Lang, UserMessage,
    helpdesk::{
        Callback, CannedReply, HelpdeskChange, HelpdeskView, QUEUE_LINES, StaffCommand, TemplateChange,
        Ticket, TicketChange, TicketKind, TicketState, TicketTimes,
    },
};

use super::{Store, StoreError, from_millis, millis};

const TICKET_COLUMNS: &str = "id, kind, state, citizen, room_id, topic, summary, lang, created_at, \
                              waiting_since, assignee, first_response_at, resolved_at, \
                              first_response_due, resolution_due, phone, callback_when, satisfaction";
const ACTIVE: &str = "('pending', 'open')";

/// A change to an active ticket that finds none: another agent's turn committed first, so nothing
/// of this turn is written.
fn one_ticket_changed(result: sqlx::any::AnyQueryResult) -> Result<(), StoreError> {
    if result.rows_affected() == 0 { Err(StoreError::TicketChanged) } else { Ok(()) }
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Applies one change of the helpdesk inside the caller's transaction.
pub(super) async fn apply(
    conn: &mut AnyConnection,
    change: &HelpdeskChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match change {
        HelpdeskChange::Ticket(change) => apply_ticket(conn, change, now).await,
        HelpdeskChange::Template(change) => apply_template(conn, change, now).await,
        HelpdeskChange::Forget { before } => forget(conn, *before).await,
    }
}

/// Applies one change of a ticket inside the caller's transaction.
async fn apply_ticket(
    conn: &mut AnyConnection,
    change: &TicketChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match change {
        TicketChange::Open(ticket) => insert(conn, ticket, now).await,
        TicketChange::Claim { id, agent, at } => one_ticket_changed(
            sqlx::query(
                "UPDATE tickets SET state = 'open', assignee = $1, \
                 first_response_at = COALESCE(first_response_at, $2), updated_at = $3 \
                 WHERE id = $4 AND state = 'pending'",
            )
            .bind(agent.as_str())
            .bind(millis(*at))
            .bind(millis(now))
            .bind(id)
            .execute(&mut *conn)
            .await?,
        ),
        TicketChange::Resolve { id, at } => {
            let query = format!(
                "UPDATE tickets SET state = 'resolved', resolved_at = $1, updated_at = $2 \
                 WHERE id = $3 AND state IN {ACTIVE}"
            );
            one_ticket_changed(
                sqlx::query(sqlx::AssertSqlSafe(query))
                    .bind(millis(*at))
                    .bind(millis(now))
                    .bind(id)
                    .execute(&mut *conn)
                    .await?,
            )
        }
        TicketChange::AddCallback { id, callback } => {
            let query = format!(
                "UPDATE tickets SET phone = $1, callback_when = $2, updated_at = $3 WHERE id = $4 AND state IN {ACTIVE}"
            );
            one_ticket_changed(
                sqlx::query(sqlx::AssertSqlSafe(query))
                    .bind(&callback.phone)
                    .bind(callback.when.as_deref())
                    .bind(millis(now))
                    .bind(id)
                    .execute(&mut *conn)
                    .await?,
            )
        }
        TicketChange::Rate { id, score, at } => {
            sqlx::query(
                "UPDATE tickets SET satisfaction = $1, rated_at = $2, updated_at = $3 WHERE id = $4 AND state = 'resolved'",
            )
            .bind(i32::from(*score))
            .bind(millis(*at))
            .bind(millis(now))
            .bind(id)
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        TicketChange::Release { id, to, at } => {
            let query = format!(
                "UPDATE tickets SET state = $1, assignee = NULL, waiting_since = $2, updated_at = $3 \
                 WHERE id = $4 AND state IN {ACTIVE}"
            );
            one_ticket_changed(
                sqlx::query(sqlx::AssertSqlSafe(query))
                    .bind(to.as_str())
                    .bind(millis(*at))
                    .bind(millis(now))
                    .bind(id)
                    .execute(&mut *conn)
                    .await?,
            )
        }
    }
}

/// Deletes finished tickets last changed before `before`, and the handover memory of people
/// quiet since then.
async fn forget(conn: &mut AnyConnection, before: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM tickets WHERE state IN ('resolved', 'bot') AND updated_at < $1")
        .bind(millis(before))
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE people SET helpdesk = NULL WHERE helpdesk IS NOT NULL AND updated_at < $1")
        .bind(millis(before))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Applies a change to the canned replies inside the caller's transaction.
async fn apply_template(
    conn: &mut AnyConnection,
    change: &TemplateChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match change {
        TemplateChange::Set { reply, by } => {
            sqlx::query(
                "INSERT INTO canned_replies (name, body, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, \
                 updated_at = excluded.updated_at",
            )
            .bind(&reply.name)
            .bind(&reply.body)
            .bind(by.as_str())
            .bind(millis(now))
            .execute(&mut *conn)
            .await?;
        }
        TemplateChange::Delete { name } => {
            sqlx::query("DELETE FROM canned_replies WHERE name = $1").bind(name).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

async fn insert(conn: &mut AnyConnection, ticket: &Ticket, now: DateTime<Utc>) -> Result<(), StoreError> {
    let summary = serde_json::to_string(&ticket.summary).expect("a summary serialises");
    let result = sqlx::query(
        "INSERT INTO tickets (id, kind, state, citizen, room_id, topic, summary, lang, created_at, \
         waiting_since, assignee, first_response_at, resolved_at, first_response_due, resolution_due, \
         phone, callback_when, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(ticket.id)
    .bind(ticket.kind.as_str())
    .bind(ticket.state.as_str())
    .bind(ticket.citizen.as_str())
    .bind(ticket.room_id.as_str())
    .bind(ticket.topic.as_deref())
    .bind(summary)
    .bind(ticket.lang.tag())
    .bind(millis(ticket.created_at))
    .bind(millis(ticket.waiting_since))
    .bind(ticket.assignee.as_ref().map(|a| a.as_str().to_owned()))
    .bind(ticket.first_response_at.map(millis))
    .bind(ticket.resolved_at.map(millis))
    .bind(ticket.first_response_due.map(millis))
    .bind(ticket.resolution_due.map(millis))
    .bind(ticket.callback.as_ref().map(|c| c.phone.clone()))
    .bind(ticket.callback.as_ref().and_then(|c| c.when.clone()))
    .bind(millis(now))
    .execute(&mut *conn)
    .await;
    match result {
        // The number went to another ticket, or the conversation got one meanwhile.
        Err(error) if is_unique_violation(&error) => Err(StoreError::TicketChanged),
        other => other.map(|_| ()).map_err(Into::into),
    }
}

fn ticket_from(row: &AnyRow) -> Result<Ticket, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("ticket: {what}"));
    let text = |name: &str| row.try_get::<String, _>(name);
    let optional_text = |name: &str| row.try_get::<Option<String>, _>(name);
    let optional_time = |name: &str| row.try_get::<Option<i64>, _>(name).map(|t| t.map(from_millis));
    let summary: Vec<String> = serde_json::from_str(&text("summary")?).map_err(|_| corrupt("summary"))?;
    Ok(Ticket {
        id: row.try_get("id")?,
        kind: TicketKind::parse(&text("kind")?).ok_or_else(|| corrupt("kind"))?,
        state: TicketState::parse(&text("state")?).ok_or_else(|| corrupt("state"))?,
        citizen: OwnedUserId::try_from(text("citizen")?).map_err(|_| corrupt("citizen"))?,
        room_id: OwnedRoomId::try_from(text("room_id")?).map_err(|_| corrupt("room_id"))?,
        topic: optional_text("topic")?,
        summary,
        lang: Lang::parse(&text("lang")?).unwrap_or_default(),
        created_at: from_millis(row.try_get("created_at")?),
        waiting_since: from_millis(row.try_get("waiting_since")?),
        assignee: optional_text("assignee")?
            .map(|a| OwnedUserId::try_from(a).map_err(|_| corrupt("assignee")))
            .transpose()?,
        first_response_at: optional_time("first_response_at")?,
        resolved_at: optional_time("resolved_at")?,
        first_response_due: optional_time("first_response_due")?,
        resolution_due: optional_time("resolution_due")?,
        callback: optional_text("phone")?
            .map(|phone| Ok::<_, sqlx::Error>(Callback { phone, when: optional_text("callback_when")? }))
            .transpose()?,
        satisfaction: row.try_get::<Option<i32>, _>("satisfaction")?.and_then(|s| u8::try_from(s).ok()),
    })
}

/// One ticket's times as `tickets_opened_since` packs them: its fields joined by commas, an
/// absent one empty.
fn times_from_packed(packed: &str) -> Result<TicketTimes, StoreError> {
    let corrupt = || StoreError::Corrupt(format!("ticket times {packed:?}"));
    let fields: Vec<&str> = packed.split(',').collect();
    let [kind, state, created, first_response, resolved, first_response_due, resolution_due, satisfaction] =
        fields[..]
    else {
        return Err(corrupt());
    };
    let time = |field: &str| -> Result<Option<DateTime<Utc>>, StoreError> {
        if field.is_empty() {
            return Ok(None);
        }
        field.parse::<i64>().map(|t| Some(from_millis(t))).map_err(|_| corrupt())
    };
    Ok(TicketTimes {
        kind: TicketKind::parse(kind).ok_or_else(corrupt)?,
        state: TicketState::parse(state).ok_or_else(corrupt)?,
        created_at: time(created)?.ok_or_else(corrupt)?,
        first_response_at: time(first_response)?,
        resolved_at: time(resolved)?,
        first_response_due: time(first_response_due)?,
        resolution_due: time(resolution_due)?,
        satisfaction: if satisfaction.is_empty() {
            None
        } else {
            Some(satisfaction.parse::<u8>().map_err(|_| corrupt())?)
        },
    })
}

/// A ticket, read inside the caller's transaction.
pub(super) async fn ticket_in(conn: &mut AnyConnection, id: i64) -> Result<Option<Ticket>, StoreError> {
    let query = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(query)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(ticket_from).transpose()
}

/// What a helpdesk job reads when it falls due.
pub(super) async fn job_context_in(
    conn: &mut AnyConnection,
    job: &HelpdeskJob,
) -> Result<JobContext, StoreError> {
    Ok(match job {
        HelpdeskJob::TicketSla { id, .. } => JobContext::Ticket(ticket_in(conn, *id).await?),
        HelpdeskJob::TicketRetention { .. } => JobContext::Nothing,
    })
}

impl Store {
    pub async fn ticket(&self, id: i64) -> Result<Option<Ticket>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        ticket_in(&mut conn, id).await
    }

    /// The conversation's ticket that waits or is being handled, if any.
    pub async fn active_ticket_in(&self, room_id: &RoomId) -> Result<Option<Ticket>, StoreError> {
        let query = format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE room_id = $1 AND state IN {ACTIVE}");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(query)).bind(room_id.as_str()).fetch_optional(&self.pool).await?;
        row.as_ref().map(ticket_from).transpose()
    }

    /// Tickets waiting or being handled, those waiting longest first.
    pub async fn ticket_queue(&self) -> Result<Vec<Ticket>, StoreError> {
        let query = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE state IN {ACTIVE} ORDER BY waiting_since, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(query)).fetch_all(&self.pool).await?;
        rows.iter().map(ticket_from).collect()
    }

    /// The first `limit` tickets of the queue, oldest first.
    pub async fn ticket_queue_head(&self, limit: usize) -> Result<Vec<Ticket>, StoreError> {
        let query = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE state IN {ACTIVE} ORDER BY waiting_since, id LIMIT {limit}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(query)).fetch_all(&self.pool).await?;
        rows.iter().map(ticket_from).collect()
    }

    /// How many tickets are pending or open.
    pub async fn active_ticket_count(&self) -> Result<u64, StoreError> {
        let query = format!("SELECT COUNT(*) AS n FROM tickets WHERE state IN {ACTIVE}");
        let row = sqlx::query(sqlx::AssertSqlSafe(query)).fetch_one(&self.pool).await?;
        Ok(u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or_default())
    }

    /// A number no ticket has: one past the highest. Two turns may draw the same one; the
    /// second to commit fails and is decided again.
    pub async fn next_ticket_id(&self) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT MAX(id) AS highest FROM tickets").fetch_one(&self.pool).await?;
        Ok(row.try_get::<Option<i64>, _>("highest")?.unwrap_or(0) + 1)
    }

    /// The canned replies, by name.
    pub async fn canned_replies(&self) -> Result<Vec<CannedReply>, StoreError> {
        let rows =
            sqlx::query("SELECT name, body FROM canned_replies ORDER BY name").fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| Ok(CannedReply { name: row.try_get("name")?, body: row.try_get("body")? }))
            .collect()
    }

    /// The tickets opened since `since`, oldest first.
    pub async fn tickets_opened_since(&self, since: DateTime<Utc>) -> Result<Vec<TicketTimes>, StoreError> {
        // The figures read only the times: no conversation, no people. And a busy office's
        // month is a thousand rows or more, whose decoding value by value in sqlx's Any driver
        // was most of `!statystyki`'s time: they come as one text instead, a ticket per ';'
        // (SQLite from 3.44 and PostgreSQL share `string_agg` and `concat`).
        let row = sqlx::query(
            "SELECT string_agg(concat(kind, ',', state, ',', created_at, ',', first_response_at, ',', resolved_at, \
             ',', first_response_due, ',', resolution_due, ',', satisfaction), ';' ORDER BY created_at, id) \
             AS packed FROM tickets WHERE created_at >= $1",
        )
        .bind(millis(since))
        .fetch_one(&self.pool)
        .await?;
        let packed: Option<String> = row.try_get("packed")?;
        packed.as_deref().map_or(Ok(Vec::new()), |packed| packed.split(';').map(times_from_packed).collect())
    }

    /// A citizen's tickets, newest first (the last fifty).
    pub async fn tickets_of(&self, citizen: &UserId) -> Result<Vec<Ticket>, StoreError> {
        let query = format!(
            "SELECT {TICKET_COLUMNS} FROM tickets WHERE citizen = $1 ORDER BY created_at DESC, id DESC LIMIT 50"
        );
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(query)).bind(citizen.as_str()).fetch_all(&self.pool).await?;
        rows.iter().map(ticket_from).collect()
    }

    /// What a message needs to know of tickets: its room's active one, the one a staff command
    /// names, the queue (or the sender's own tickets) and the canned replies for the commands
    /// that show them.
    pub async fn helpdesk_view(
        &self,
        message: &UserMessage,
        command: Option<&StaffCommand>,
        stats_since: Option<DateTime<Utc>>,
    ) -> Result<HelpdeskView, StoreError> {
        let room_id = &message.room_id;
        let named = command.and_then(StaffCommand::ticket_number);
        let with_queue = command == Some(&StaffCommand::Queue);
        Ok(HelpdeskView {
            templates: if matches!(command, Some(StaffCommand::Template(_))) {
                self.canned_replies().await?
            } else {
                Vec::new()
            },
            own_tickets: if with_queue { self.tickets_of(&message.sender).await? } else { Vec::new() },
            active_in_room: self.active_ticket_in(room_id).await?,
            named: match named {
                Some(id) => self.ticket(id).await?,
                None => None,
            },
            queue: if with_queue { self.ticket_queue_head(QUEUE_LINES).await? } else { Vec::new() },
            queue_total: if with_queue { self.active_ticket_count().await? } else { 0 },
            period_tickets: match stats_since {
                Some(since) => self.tickets_opened_since(since).await?,
                None => Vec::new(),
            },
            next_id: self.next_ticket_id().await?,
        })
    }
}
