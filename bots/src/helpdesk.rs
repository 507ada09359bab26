//! The helpdesk: tickets for what the bot cannot answer, taken over by support staff in chat.
//!
//! A ticket moves `bot → pending → open → resolved`. The citizen's conversation is where the
//! agent talks with them: claiming a ticket invites the agent into that room, and closing it
//! removes them (see docs/helpdesk.md for why). Pure: the store's view of tickets comes in,
//! [`TicketChange`]s go out, to be written with the answers or not at all.

use chrono::{DateTime, Utc};
use ruma::{OwnedRoomId, OwnedUserId, UserId};
use serde::{Deserialize, Serialize};

use crate::Lang;

mod desk;
mod settings;
mod stats;

pub use desk::{
    HelpdeskTurn, QUEUE_LINES, StaffCommand, SupportDesk, TemplateCommand, TicketRef, describe_time,
    parse_staff_command,
};
pub use settings::{Agent, HelpdeskSettings, SlaTargets};
pub use stats::{DayFigures, TicketStats, TicketTimes, period_start};

/// The longest stretch of a citizen's message kept for a ticket's summary.
const SUMMARY_CHARS: usize = 300;
/// How many of the citizen's last messages a ticket's summary keeps.
const SUMMARY_MESSAGES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketState {
    /// Handed back to the bot without a person's help.
    Bot,
    /// Waiting in the queue for an agent.
    Pending,
    /// An agent has it.
    Open,
    Resolved,
}

impl TicketState {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketState::Bot => "bot",
            TicketState::Pending => "pending",
            TicketState::Open => "open",
            TicketState::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [TicketState::Bot, TicketState::Pending, TicketState::Open, TicketState::Resolved]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// Whether a person still has to act on it.
    pub fn is_active(self) -> bool {
        matches!(self, TicketState::Pending | TicketState::Open)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketKind {
    /// A conversation handed over from the bot.
    Chat,
    /// The chat's counterpart of the hotline: the citizen asked to be phoned.
    Callback,
}

impl TicketKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketKind::Chat => "chat",
            TicketKind::Callback => "callback",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "chat" => Some(TicketKind::Chat),
            "callback" => Some(TicketKind::Callback),
            _ => None,
        }
    }
}

/// Whom to phone, and when the citizen asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    /// "+48600123456"
    pub phone: String,
    /// The time asked for, in the citizen's words as the bot understood them ("środa, 25
    /// listopada, po 14:00"), if any.
    pub when: Option<String>,
}

/// A citizen's matter that needs a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: i64,
    pub kind: TicketKind,
    pub state: TicketState,
    pub citizen: OwnedUserId,
    /// The citizen's conversation with the bot, where the agent joins them.
    pub room_id: OwnedRoomId,
    /// The intent the NLU saw last ("faq/dowod_utrata"), if any.
    pub topic: Option<String>,
    /// The citizen's last messages before the handover, oldest first.
    pub summary: Vec<String>,
    pub lang: Lang,
    pub created_at: DateTime<Utc>,
    /// Since when the citizen waits for a person (the handover, or the last return to the queue).
    pub waiting_since: DateTime<Utc>,
    pub assignee: Option<OwnedUserId>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// When a person should have answered, and when the matter should be resolved, by the
    /// team's targets counted in working time; `None` if the plan has no working time.
    pub first_response_due: Option<DateTime<Utc>>,
    pub resolution_due: Option<DateTime<Utc>>,
    /// For a callback: the number and the time asked for.
    pub callback: Option<Callback>,
    /// The citizen's rating after closing, 1 to 5.
    pub satisfaction: Option<u8>,
}

/// The helpdesk's work for later, kept in the store until it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HelpdeskJob {
    /// Warn the support team of a ticket's target coming up, or escalate when it is missed;
    /// ignored if the ticket was answered or resolved since.
    TicketSla { id: i64, stage: SlaStage },
    /// Delete the finished tickets older than the helpdesk's retention period; runs daily.
    TicketRetention { day: chrono::NaiveDate },
}

impl HelpdeskJob {
    /// A key that makes scheduling the same job twice harmless.
    pub fn key(&self) -> String {
        match self {
            HelpdeskJob::TicketSla { id, stage } => format!("sla:{id}:{}", stage.as_str()),
            HelpdeskJob::TicketRetention { day } => format!("retention:{day}"),
        }
    }
}

/// The moments a ticket's targets are watched at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaStage {
    FirstResponseWarning,
    FirstResponseBreach,
    ResolutionWarning,
    ResolutionBreach,
}

impl SlaStage {
    pub fn as_str(self) -> &'static str {
        match self {
            SlaStage::FirstResponseWarning => "first_response_warning",
            SlaStage::FirstResponseBreach => "first_response_breach",
            SlaStage::ResolutionWarning => "resolution_warning",
            SlaStage::ResolutionBreach => "resolution_breach",
        }
    }

    /// Whether the ticket still needs this alert: nobody answered yet, or it is not resolved.
    pub fn applies_to(self, ticket: &Ticket) -> bool {
        match self {
            SlaStage::FirstResponseWarning | SlaStage::FirstResponseBreach => {
                ticket.state == TicketState::Pending && ticket.first_response_at.is_none()
            }
            SlaStage::ResolutionWarning | SlaStage::ResolutionBreach => ticket.state.is_active(),
        }
    }
}

/// A change to the helpdesk: a ticket, a canned reply, or the deletion of old tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum HelpdeskChange {
    /// Opens, claims, closes or hands back a helpdesk ticket.
    Ticket(TicketChange),
    /// Adds, replaces or deletes one of the support team's canned replies.
    Template(TemplateChange),
    /// Deletes finished tickets last changed before `before`, and forgets what the bot kept
    /// for a handover of people who have not written since.
    Forget { before: DateTime<Utc> },
}

/// A change to tickets, written with the turn's answers or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketChange {
    /// Fails as a whole if the number was taken meanwhile; the turn is then decided again.
    Open(Ticket),
    /// Fails as a whole if the ticket is no longer pending: another agent was quicker.
    Claim {
        id: i64,
        agent: OwnedUserId,
        at: DateTime<Utc>,
    },
    Resolve {
        id: i64,
        at: DateTime<Utc>,
    },
    /// Back to the queue (`Pending`) or to the bot (`Bot`), without an agent.
    Release {
        id: i64,
        to: TicketState,
        at: DateTime<Utc>,
    },
    /// A phone number (and a time) given while the ticket waits or is handled; fails as a whole
    /// if the ticket was closed meanwhile.
    AddCallback {
        id: i64,
        callback: Callback,
    },
    /// The citizen's rating of a resolved ticket; a later vote replaces an earlier one.
    Rate {
        id: i64,
        score: u8,
        at: DateTime<Utc>,
    },
}

/// The prefix of the satisfaction poll's answer ids: "ocena-12-5" is 5 for ticket 12.
const RATING_PREFIX: &str = "ocena-";

/// The poll answer id for `score` of ticket `id`.
pub fn rating_answer(id: i64, score: u8) -> String {
    format!("{RATING_PREFIX}{id}-{score}")
}

/// The ticket and score a satisfaction poll's answer id stands for.
pub fn parse_rating(answer: &str) -> Option<(i64, u8)> {
    let (id, score) = answer.strip_prefix(RATING_PREFIX)?.split_once('-')?;
    let score: u8 = score.parse().ok().filter(|s| (1..=5).contains(s))?;
    Some((id.parse().ok().filter(|id| *id > 0)?, score))
}

/// A reply the support team keeps ready, used with `!szablon nazwa`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CannedReply {
    pub name: String,
    pub body: String,
}

/// A change to the canned replies, which only leads make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TemplateChange {
    Set { reply: CannedReply, by: OwnedUserId },
    Delete { name: String },
}

/// What the store knows about tickets that a message needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpdeskView {
    /// The canned replies, for `!szablon` commands.
    pub templates: Vec<CannedReply>,
    /// The sender's own tickets, newest first, for a citizen's `!zgłoszenia`.
    pub own_tickets: Vec<Ticket>,
    /// The tickets opened in the period `!statystyki` asks about.
    pub period_tickets: Vec<TicketTimes>,
    /// The pending or open ticket of the room the message came from.
    pub active_in_room: Option<Ticket>,
    /// The ticket a staff command names.
    pub named: Option<Ticket>,
    /// Pending and open tickets, oldest first, for the queue: the first [`QUEUE_LINES`].
    pub queue: Vec<Ticket>,
    /// How many tickets are pending or open in all.
    pub queue_total: u64,
    /// A number no ticket has yet, for a ticket opened in this turn.
    pub next_id: i64,
}

/// What the bot remembers of a person's conversation for a possible handover.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpdeskMemory {
    /// The person's last messages, newest last, each cut to a few hundred characters.
    #[serde(default)]
    pub recent: Vec<String>,
    /// The last intent the bot acted on.
    #[serde(default)]
    pub topic: Option<String>,
    /// Messages in a row the bot did not understand.
    #[serde(default)]
    pub unclear_in_a_row: u8,
    /// The person asked to be phoned and was asked for their number.
    #[serde(default)]
    pub awaiting_phone: bool,
    /// When the last message was heard: after a long pause a new conversation begins, and what
    /// was asked before is not what a ticket opened now is about.
    #[serde(default)]
    pub last_heard: Option<DateTime<Utc>>,
}

/// Kept in `people.helpdesk`.
impl crate::durable::Durable for HelpdeskMemory {}

/// A pause after which a person's next message starts a new conversation.
const CONVERSATION_PAUSE_MINUTES: i64 = 60;

impl HelpdeskMemory {
    /// Remembers a message for the summary; after a long pause, it starts a new conversation.
    pub fn heard(mut self, text: &str, now: DateTime<Utc>) -> Self {
        let paused = self
            .last_heard
            .is_some_and(|at| now - at > chrono::Duration::minutes(CONVERSATION_PAUSE_MINUTES));
        if paused {
            self.recent.clear();
            self.topic = None;
            self.unclear_in_a_row = 0;
        }
        self.last_heard = Some(now);
        let mut kept: String = text.chars().take(SUMMARY_CHARS).collect();
        if kept.len() < text.len() {
            kept.push('…');
        }
        self.recent.push(kept);
        let excess = self.recent.len().saturating_sub(SUMMARY_MESSAGES);
        self.recent.drain(..excess);
        self
    }
}

/// The ticket of the room a message comes from, if a person is handling it there.
pub fn handled_by_person(view: &HelpdeskView) -> Option<&Ticket> {
    view.active_in_room.as_ref().filter(|t| t.state == TicketState::Open)
}

/// Whether `user` may act on tickets.
pub fn is_staff(settings: &HelpdeskSettings, user: &UserId) -> bool {
    settings.agent(user).is_some()
}
