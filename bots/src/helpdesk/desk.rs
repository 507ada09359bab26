//! The support desk's turns: a citizen handed over, and the staff's commands.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedRoomId, OwnedUserId, RoomId};
use szpon_nlp::{TimeMention, fold_diacritics};

use super::{
    Agent, Callback, CannedReply, HelpdeskChange, HelpdeskJob, HelpdeskMemory, HelpdeskSettings,
    HelpdeskView, SlaStage, TemplateChange, Ticket, TicketChange, TicketKind, TicketState, TicketStats,
    period_start, rating_answer, settings::Availability,
};
use crate::{
    Action, Job, Lang, Notice, PollChoice, PollVote,
    booking::{
        Effect,
        format::{date_and_hour, day, hour, on_day, on_day_at},
    },
    chart::{DailyChart, DailyPoint},
    i18n::{intent_label, message, message_with},
};

/// A ticket as a staff command names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketRef {
    Number(i64),
    /// No number: the ticket of the room the command is written in.
    Here,
    /// Something that is not a ticket number.
    Bad(String),
}

/// A support agent's command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffCommand {
    /// `!zgłoszenia`: the queue.
    Queue,
    /// `!przyjmij N`
    Claim(TicketRef),
    /// `!zamknij [N]`
    Close(TicketRef),
    /// `!oddaj [N] [bot]`: back to the queue, or to the bot.
    Release {
        ticket: TicketRef,
        to_bot: bool,
    },
    Template(TemplateCommand),
    /// `!statystyki [dziś|tydzień|miesiąc|N dni]`: the leads' figures for the last days.
    Stats {
        days: u32,
    },
}

/// The longest period `!statystyki` covers, in days.
const MAX_STATS_DAYS: u32 = 366;
/// Tickets the queue lists by name; the rest are counted.
/// Tickets the queue lists at most; the rest are counted.
pub const QUEUE_LINES: usize = 25;

/// `!szablon …`: the support team's canned replies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateCommand {
    /// `!szablony`
    List,
    /// `!szablon nazwa`: into the citizen's chat (a preview in the team's room).
    Use(String),
    /// `!szablon dodaj nazwa treść`
    Set { name: String, body: String },
    /// `!szablon usuń nazwa`
    Delete(String),
}

/// Longest canned reply, in characters.
const TEMPLATE_CHARS: usize = 2000;

impl StaffCommand {
    /// The ticket number the command names, which the store loads before the desk decides.
    pub fn ticket_number(&self) -> Option<i64> {
        match self {
            StaffCommand::Claim(TicketRef::Number(n))
            | StaffCommand::Close(TicketRef::Number(n))
            | StaffCommand::Release { ticket: TicketRef::Number(n), .. } => Some(*n),
            _ => None,
        }
    }
}

/// Recognises a staff command (they all start with `!`).
pub fn parse_staff_command(text: &str) -> Option<StaffCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let mut words = rest.split_whitespace();
    let command = fold_diacritics(&words.next()?.to_lowercase());
    let arguments: Vec<&str> = words.collect();
    let ticket = || ticket_ref(arguments.iter().copied().find(|a| !is_bot_word(a) && !is_number_word(a)));
    Some(match command.as_str() {
        "zgloszenia" | "kolejka" | "tickets" | "queue" => StaffCommand::Queue,
        "przyjmij" | "claim" => StaffCommand::Claim(ticket()),
        "zamknij" | "close" => StaffCommand::Close(ticket()),
        "oddaj" | "release" => {
            StaffCommand::Release { ticket: ticket(), to_bot: arguments.iter().any(|a| is_bot_word(a)) }
        }
        "szablony" | "templates" => StaffCommand::Template(TemplateCommand::List),
        "statystyki" | "stats" => StaffCommand::Stats { days: stats_days(&arguments) },
        "szablon" | "template" => StaffCommand::Template(template_command(rest)),
        _ => return None,
    })
}

/// The words after `!szablon`, the body kept as written (line breaks included).
fn template_command(rest: &str) -> TemplateCommand {
    let after_command = rest.trim_start().split_once(char::is_whitespace).map_or("", |(_, r)| r).trim();
    let (first, after_first) = split_word(after_command);
    match fold_diacritics(&first.to_lowercase()).as_str() {
        "" => TemplateCommand::List,
        "dodaj" | "add" | "ustaw" | "set" => {
            let (name, body) = split_word(after_first);
            TemplateCommand::Set { name: name.to_lowercase(), body: body.to_owned() }
        }
        "usun" | "delete" | "remove" => TemplateCommand::Delete(split_word(after_first).0.to_lowercase()),
        _ => TemplateCommand::Use(first.to_lowercase()),
    }
}

/// "dziś" 1, "tydzień" 7 (also by default), "miesiąc" 30, "90 dni" 90 (at most a year).
fn stats_days(arguments: &[&str]) -> u32 {
    let words: Vec<String> = arguments.iter().map(|a| fold_diacritics(&a.to_lowercase())).collect();
    if let Some(n) = words.first().and_then(|w| w.parse::<u32>().ok()) {
        return n.clamp(1, MAX_STATS_DAYS);
    }
    match words.first().map(String::as_str) {
        Some("dzis" | "dzien" | "today" | "day") => 1,
        Some("miesiac" | "month") => 30,
        Some("rok" | "year") => 365,
        _ => 7,
    }
}

fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    text.split_once(char::is_whitespace).map_or((text, ""), |(word, rest)| (word, rest.trim()))
}

/// A template's name: one word of letters, digits and dashes.
fn valid_template_name(name: &str) -> bool {
    (1..=32).contains(&name.chars().count())
        && name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

fn is_bot_word(word: &str) -> bool {
    matches!(fold_diacritics(&word.to_lowercase()).as_str(), "bot" | "botowi" | "asystentowi")
}

/// "nr 3", "numer 3": the word before a number.
fn is_number_word(word: &str) -> bool {
    matches!(word.to_lowercase().trim_end_matches('.'), "nr" | "numer" | "no")
}

fn ticket_ref(argument: Option<&str>) -> TicketRef {
    let Some(argument) = argument else { return TicketRef::Here };
    match argument.trim_start_matches('#').parse::<i64>() {
        Ok(n) if n > 0 => TicketRef::Number(n),
        _ => TicketRef::Bad(argument.chars().take(20).collect()),
    }
}

/// What a helpdesk turn decided: the actions, in order, and the changes to tickets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HelpdeskTurn {
    pub actions: Vec<Action>,
    /// Changes to tickets and the jobs that watch them.
    pub effects: Vec<Effect>,
}

impl HelpdeskTurn {
    fn say(mut self, room_id: &RoomId, text: String) -> Self {
        self.actions
            .push(Action::SendNotice { room_id: room_id.to_owned(), notice: Notice::from_plain(text) });
        self
    }

    fn change(mut self, change: TicketChange) -> Self {
        self.effects.push(Effect::Helpdesk(HelpdeskChange::Ticket(change)));
        self
    }

    fn schedule(mut self, job: HelpdeskJob, due: DateTime<Utc>) -> Self {
        self.effects.push(Effect::Schedule { job: Job::Helpdesk(job), due });
        self
    }

    fn act(mut self, action: Action) -> Self {
        self.actions.push(action);
        self
    }
}

/// The helpdesk at one moment, as the store sees it.
#[derive(Debug, Clone, Copy)]
pub struct SupportDesk<'a> {
    pub settings: &'a HelpdeskSettings,
    pub view: &'a HelpdeskView,
    pub zone: Tz,
    pub now: DateTime<Utc>,
}

impl SupportDesk<'_> {
    /// A citizen asks for a person: a new ticket in the queue, or word of the one waiting.
    pub fn hand_over(
        &self,
        citizen: &OwnedUserId,
        room: &OwnedRoomId,
        memory: &HelpdeskMemory,
        lang: Lang,
    ) -> HelpdeskTurn {
        self.open_ticket(citizen, room, memory, lang, None)
    }

    /// A citizen asks to be phoned: a callback ticket, or a question for the number.
    pub fn request_callback(
        &self,
        citizen: &OwnedUserId,
        room: &OwnedRoomId,
        memory: &HelpdeskMemory,
        lang: Lang,
        callback: Option<Callback>,
    ) -> HelpdeskTurn {
        match callback {
            Some(callback) => self.open_ticket(citizen, room, memory, lang, Some(callback)),
            None => HelpdeskTurn::default().say(room, message(lang, "helpdesk-callback-number")),
        }
    }

    fn open_ticket(
        &self,
        citizen: &OwnedUserId,
        room: &OwnedRoomId,
        memory: &HelpdeskMemory,
        lang: Lang,
        callback: Option<Callback>,
    ) -> HelpdeskTurn {
        if let Some(ticket) = &self.view.active_in_room {
            if let Some(callback) = callback {
                return self.add_callback(ticket, lang, callback);
            }
            let text = message_with(lang, "helpdesk-already-waiting", &[("id", ticket.id.into())]);
            return HelpdeskTurn::default().say(room, text);
        }
        let (first_response, resolution, _) = self.settings.sla_durations();
        let ticket = Ticket {
            id: self.view.next_id.max(1),
            kind: if callback.is_some() { TicketKind::Callback } else { TicketKind::Chat },
            state: TicketState::Pending,
            citizen: citizen.clone(),
            room_id: room.clone(),
            topic: memory.topic.clone(),
            summary: memory.recent.clone(),
            lang,
            created_at: self.now,
            waiting_since: self.now,
            assignee: None,
            first_response_at: None,
            resolved_at: None,
            first_response_due: self.settings.after_working_time(self.now, self.zone, first_response),
            resolution_due: self.settings.after_working_time(self.now, self.zone, resolution),
            callback,
            satisfaction: None,
        };
        let reply = self.handed_over(&ticket, lang);
        let turn = HelpdeskTurn::default().say(room, reply);
        let turn = self.tell_team(turn, self.new_ticket_notice(&ticket));
        let turn = self.watch(turn, &ticket);
        turn.change(TicketChange::Open(ticket))
    }

    /// A number given while the citizen's ticket waits: it goes on the ticket, the team hears
    /// it, and the queue shows it from then on.
    fn add_callback(&self, ticket: &Ticket, lang: Lang, callback: Callback) -> HelpdeskTurn {
        let mut args = callback_args(&callback, lang);
        args.push(("id", ticket.id.into()));
        let turn = HelpdeskTurn::default()
            .say(&ticket.room_id, message_with(lang, "helpdesk-callback-added", &args));
        let mut team_args = callback_args(&callback, Lang::Pl);
        team_args.push(("id", ticket.id.into()));
        team_args.push(("citizen", ticket.citizen.to_string().into()));
        let turn = self.tell_team(turn, message_with(Lang::Pl, "helpdesk-callback-added-team", &team_args));
        turn.change(TicketChange::AddCallback { id: ticket.id, callback })
    }

    /// Jobs that warn the team before each target and escalate when it is missed.
    fn watch(&self, mut turn: HelpdeskTurn, ticket: &Ticket) -> HelpdeskTurn {
        let (_, _, warn_before) = self.settings.sla_durations();
        let targets = [
            (ticket.first_response_due, SlaStage::FirstResponseWarning, SlaStage::FirstResponseBreach),
            (ticket.resolution_due, SlaStage::ResolutionWarning, SlaStage::ResolutionBreach),
        ];
        for (due, warning, breach) in targets {
            let Some(due) = due else { continue };
            if due - warn_before > self.now {
                turn = turn
                    .schedule(HelpdeskJob::TicketSla { id: ticket.id, stage: warning }, due - warn_before);
            }
            turn = turn.schedule(HelpdeskJob::TicketSla { id: ticket.id, stage: breach }, due);
        }
        turn
    }

    /// The alert a target's job gives the team, if the ticket still needs it.
    pub fn sla_alert(&self, ticket: &Ticket, stage: SlaStage) -> HelpdeskTurn {
        if !stage.applies_to(ticket) {
            return HelpdeskTurn::default();
        }
        let due = match stage {
            SlaStage::FirstResponseWarning | SlaStage::FirstResponseBreach => ticket.first_response_due,
            SlaStage::ResolutionWarning | SlaStage::ResolutionBreach => ticket.resolution_due,
        };
        let due = due.unwrap_or(self.now).with_timezone(&self.zone);
        let due = if due.date_naive() == self.now.with_timezone(&self.zone).date_naive() {
            format!("o {}", hour(due, Lang::Pl))
        } else {
            on_day_at(due, Lang::Pl)
        };
        let leads: Vec<String> = self
            .settings
            .agents
            .iter()
            .filter(|a| a.lead)
            .map(|a| format!("{} ({})", a.name, a.user_id))
            .collect();
        let status = match ticket.assignee.as_deref() {
            Some(holder) => {
                message_with(Lang::Pl, "helpdesk-status-held", &[("agent", self.name_of(holder).into())])
            }
            None => message(Lang::Pl, "helpdesk-status-queued"),
        };
        let text = message_with(
            Lang::Pl,
            &format!("helpdesk-sla-{}", stage.as_str().replace('_', "-")),
            &[
                ("id", ticket.id.into()),
                ("due", due.into()),
                ("minutes", (self.now - ticket.created_at).num_minutes().max(0).into()),
                ("status", status.into()),
                ("leads", leads.join(", ").into()),
            ],
        );
        self.tell_team(HelpdeskTurn::default(), text)
    }

    fn handed_over(&self, ticket: &Ticket, lang: Lang) -> String {
        let id: FluentValue<'static> = ticket.id.into();
        let availability = self.settings.availability(self.now, self.zone);
        if let Some(callback) = &ticket.callback {
            let mut args = callback_args(callback, lang);
            args.push(("id", id));
            return match availability {
                Availability::BackAt(at) => {
                    args.push(("back", on_day_at(at, lang).into()));
                    message_with(lang, "helpdesk-callback-taken-closed", &args)
                }
                _ => message_with(lang, "helpdesk-callback-taken", &args),
            };
        }
        match availability {
            Availability::Working => message_with(lang, "helpdesk-handed-over", &[("id", id)]),
            Availability::BackAt(at) => {
                let back = on_day_at(at, lang);
                message_with(lang, "helpdesk-handed-over-closed", &[("id", id), ("back", back.into())])
            }
            Availability::Away => message_with(lang, "helpdesk-handed-over-away", &[("id", id)]),
        }
    }

    fn new_ticket_notice(&self, ticket: &Ticket) -> String {
        let summary = ticket.summary.iter().map(|line| format!("> {line}")).collect::<Vec<_>>().join("\n");
        let mut args: Vec<(&'static str, FluentValue<'static>)> = vec![
            ("id", ticket.id.into()),
            ("citizen", ticket.citizen.to_string().into()),
            ("topic", topic_label(ticket.topic.as_deref()).into()),
            ("summary", summary.into()),
        ];
        match &ticket.callback {
            Some(callback) => {
                args.extend(callback_args(callback, Lang::Pl));
                message_with(Lang::Pl, "helpdesk-callback-new-ticket", &args)
            }
            None => message_with(Lang::Pl, "helpdesk-new-ticket", &args),
        }
    }

    fn tell_team(&self, turn: HelpdeskTurn, text: String) -> HelpdeskTurn {
        match &self.settings.room {
            Some(room) => turn.say(room, text),
            None => turn,
        }
    }

    /// Whether a staff command's answer is for staff alone (the queue, the list of templates, a
    /// template's changes, a name that is not a template), rather than something an agent says
    /// to a citizen (a template used in the citizen's chat).
    pub fn answers_staff_only(&self, command: &StaffCommand) -> bool {
        match command {
            StaffCommand::Queue => true,
            StaffCommand::Template(TemplateCommand::Use(name)) => {
                !self.view.templates.iter().any(|t| &t.name == name)
            }
            StaffCommand::Template(_) => true,
            _ => false,
        }
    }

    /// Whether `room` is the support team's own room.
    pub fn is_team_room(&self, room: &RoomId) -> bool {
        self.settings.room.as_deref() == Some(room)
    }

    /// A staff command from `agent` in `room`; `private_chat` is whether the room is the
    /// agent's private chat with the bot.
    pub fn staff(
        &self,
        agent: &Agent,
        command: &StaffCommand,
        room: &RoomId,
        private_chat: bool,
    ) -> HelpdeskTurn {
        let team_room = self.is_team_room(room);
        let private = team_room || private_chat;
        match command {
            // The queue names citizens: never in a room a citizen may read.
            StaffCommand::Queue | StaffCommand::Claim(_) if !private => {
                HelpdeskTurn::default().say(room, message(Lang::Pl, "helpdesk-wrong-room"))
            }
            StaffCommand::Queue => HelpdeskTurn::default().say(room, self.queue_text()),
            StaffCommand::Claim(reference) => match self.ticket(reference, room) {
                Ok(ticket) => self.claim(agent, ticket, room, team_room),
                Err(text) => HelpdeskTurn::default().say(room, text),
            },
            StaffCommand::Close(reference) => match self.ticket(reference, room) {
                Ok(ticket) => self.close(agent, ticket, room, team_room),
                Err(text) => HelpdeskTurn::default().say(room, text),
            },
            StaffCommand::Release { ticket: reference, to_bot } => match self.ticket(reference, room) {
                Ok(ticket) => self.release(agent, ticket, *to_bot, room, team_room),
                Err(text) => HelpdeskTurn::default().say(room, text),
            },
            StaffCommand::Template(command) => self.template(agent, command, room, private),
            StaffCommand::Stats { .. } if !private => {
                HelpdeskTurn::default().say(room, message(Lang::Pl, "helpdesk-wrong-room"))
            }
            StaffCommand::Stats { .. } if !agent.lead => {
                HelpdeskTurn::default().say(room, message(Lang::Pl, "helpdesk-stats-leads-only"))
            }
            StaffCommand::Stats { days } => self.stats(*days, room),
        }
    }

    fn template(
        &self,
        agent: &Agent,
        command: &TemplateCommand,
        room: &RoomId,
        private: bool,
    ) -> HelpdeskTurn {
        let reply = |key: &str, args: &[(&'static str, FluentValue<'static>)]| {
            HelpdeskTurn::default().say(room, message_with(Lang::Pl, key, args))
        };
        let find = |name: &str| self.view.templates.iter().find(|t| t.name == name);
        match command {
            TemplateCommand::List if self.view.templates.is_empty() => reply("helpdesk-templates-empty", &[]),
            TemplateCommand::List => {
                let names: Vec<String> =
                    self.view.templates.iter().map(|t| format!("• {}", t.name)).collect();
                reply(
                    "helpdesk-templates",
                    &[("count", (names.len() as i64).into()), ("names", names.join("\n").into())],
                )
            }
            TemplateCommand::Use(name) => match find(name) {
                None => reply("helpdesk-template-unknown", &[("name", name.clone().into())]),
                Some(template) if private => reply(
                    "helpdesk-template-preview",
                    &[("name", name.clone().into()), ("body", template.body.clone().into())],
                ),
                Some(template) => reply(
                    "helpdesk-template-signed",
                    &[("body", template.body.clone().into()), ("agent", agent.name.clone().into())],
                ),
            },
            TemplateCommand::Set { .. } | TemplateCommand::Delete(_) if !agent.lead => {
                reply("helpdesk-template-leads-only", &[])
            }
            TemplateCommand::Set { name, .. } | TemplateCommand::Delete(name)
                if !valid_template_name(name) =>
            {
                reply("helpdesk-template-bad-name", &[])
            }
            TemplateCommand::Set { body, .. } if body.trim().is_empty() => {
                reply("helpdesk-template-no-body", &[])
            }
            TemplateCommand::Set { body, .. } if body.chars().count() > TEMPLATE_CHARS => {
                reply("helpdesk-template-too-long", &[("limit", (TEMPLATE_CHARS as i64).into())])
            }
            TemplateCommand::Set { name, body } => {
                let change = TemplateChange::Set {
                    reply: CannedReply { name: name.clone(), body: body.clone() },
                    by: agent.user_id.clone(),
                };
                let mut turn = reply("helpdesk-template-saved", &[("name", name.clone().into())]);
                turn.effects.push(Effect::Helpdesk(HelpdeskChange::Template(change)));
                turn
            }
            TemplateCommand::Delete(name) if find(name).is_none() => {
                reply("helpdesk-template-unknown", &[("name", name.clone().into())])
            }
            TemplateCommand::Delete(name) => {
                let mut turn = reply("helpdesk-template-deleted", &[("name", name.clone().into())]);
                turn.effects.push(Effect::Helpdesk(HelpdeskChange::Template(TemplateChange::Delete {
                    name: name.clone(),
                })));
                turn
            }
        }
    }

    /// A citizen's vote in the satisfaction poll: recorded if it is theirs and the ticket closed.
    pub fn rating(&self, vote: &PollVote, id: i64, score: u8) -> HelpdeskTurn {
        let Some(ticket) = self.view.named.as_ref().filter(|t| t.id == id) else {
            return HelpdeskTurn::default();
        };
        // Only the citizen rates, only in their conversation, only what was closed.
        if ticket.citizen != vote.sender
            || ticket.room_id != vote.room_id
            || ticket.state != TicketState::Resolved
        {
            return HelpdeskTurn::default();
        }
        let turn = HelpdeskTurn::default().change(TicketChange::Rate { id, score, at: self.now });
        match ticket.satisfaction {
            None => turn.say(&ticket.room_id, message(ticket.lang, "helpdesk-rating-thanks")),
            Some(_) => turn,
        }
    }

    /// A citizen's `!zgłoszenia`: their own tickets, and nobody else's.
    pub fn own_tickets(&self, room: &RoomId, lang: Lang) -> HelpdeskTurn {
        if self.view.own_tickets.is_empty() {
            return HelpdeskTurn::default().say(room, message(lang, "helpdesk-own-tickets-empty"));
        }
        let lines: Vec<String> = self
            .view
            .own_tickets
            .iter()
            .map(|t| {
                let holder = t.assignee.as_deref().map(|a| self.name_of(a)).unwrap_or_default();
                message_with(
                    lang,
                    "helpdesk-own-ticket-line",
                    &[
                        ("id", t.id.into()),
                        ("state", t.state.as_str().into()),
                        ("agent", holder.into()),
                        ("date", date_and_hour(t.created_at.with_timezone(&self.zone), lang).into()),
                    ],
                )
            })
            .collect();
        HelpdeskTurn::default()
            .say(room, message_with(lang, "helpdesk-own-tickets", &[("tickets", lines.join("\n").into())]))
    }

    fn ticket(&self, reference: &TicketRef, room: &RoomId) -> Result<&Ticket, String> {
        let found = match reference {
            TicketRef::Number(n) => self.view.named.as_ref().filter(|t| t.id == *n),
            TicketRef::Here => self.view.active_in_room.as_ref().filter(|t| t.room_id == room),
            TicketRef::Bad(text) => {
                return Err(message_with(Lang::Pl, "helpdesk-bad-number", &[("text", text.clone().into())]));
            }
        };
        found.ok_or_else(|| match reference {
            TicketRef::Number(n) => message_with(Lang::Pl, "helpdesk-no-such-ticket", &[("id", (*n).into())]),
            _ => message(Lang::Pl, "helpdesk-which-ticket"),
        })
    }

    fn queue_text(&self) -> String {
        if self.view.queue.is_empty() {
            return message(Lang::Pl, "helpdesk-queue-empty");
        }
        let shown: Vec<&Ticket> = self.view.queue.iter().take(QUEUE_LINES).collect();
        let total = self.view.queue_total.max(self.view.queue.len() as u64);
        let mut lines: Vec<String> = shown.iter().map(|t| self.queue_line(t)).collect();
        let more = total.saturating_sub(shown.len() as u64);
        if more > 0 {
            lines.push(message_with(Lang::Pl, "helpdesk-queue-more", &[("count", more.into())]));
        }
        message_with(
            Lang::Pl,
            "helpdesk-queue",
            &[("count", total.into()), ("tickets", lines.join("\n").into())],
        )
    }

    /// `!statystyki`: the figures for the tickets opened in the last `days` days, and a chart of
    /// them day by day.
    fn stats(&self, days: u32, room: &RoomId) -> HelpdeskTurn {
        let (first, _) = period_start(days, self.now, self.zone);
        let stats = TicketStats::compute(&self.view.period_tickets, first, self.now, self.zone);
        let today = self.now.with_timezone(&self.zone).date_naive();
        let period = stats_period(days, first, today);
        let turn = HelpdeskTurn::default().say(room, stats_text(&stats, period.clone()));
        if stats.total == 0 {
            return turn;
        }
        match stats_chart(&stats, &period) {
            Some((chart, caption)) => {
                turn.act(Action::SendChart { room_id: room.to_owned(), chart, caption })
            }
            None => turn,
        }
    }

    fn queue_line(&self, ticket: &Ticket) -> String {
        let waiting = (self.now - ticket.waiting_since).num_minutes().max(0);
        let holder = ticket.assignee.as_deref().map(|a| self.name_of(a)).unwrap_or_default();
        message_with(
            Lang::Pl,
            "helpdesk-queue-line",
            &[
                ("id", ticket.id.into()),
                ("state", ticket.state.as_str().into()),
                ("minutes", waiting.into()),
                ("since", hour(ticket.waiting_since.with_timezone(&self.zone), Lang::Pl).into()),
                ("agent", holder.into()),
                ("topic", topic_label(ticket.topic.as_deref()).into()),
                ("citizen", ticket.citizen.to_string().into()),
                ("callback", queue_callback(ticket.callback.as_ref()).into()),
            ],
        )
    }

    fn name_of(&self, user: &ruma::UserId) -> String {
        self.settings.agent(user).map_or_else(|| user.to_string(), |a| a.name.clone())
    }

    fn claim(&self, agent: &Agent, ticket: &Ticket, room: &RoomId, team_room: bool) -> HelpdeskTurn {
        let id: FluentValue<'static> = ticket.id.into();
        match (ticket.state, &ticket.assignee) {
            (TicketState::Pending, _) => {}
            (TicketState::Open, Some(holder)) => {
                let text = message_with(
                    Lang::Pl,
                    "helpdesk-already-taken",
                    &[("id", id), ("agent", self.name_of(holder).into())],
                );
                return HelpdeskTurn::default().say(room, text);
            }
            _ => {
                let text = message_with(Lang::Pl, "helpdesk-not-waiting", &[("id", id)]);
                return HelpdeskTurn::default().say(room, text);
            }
        }
        let claim = TicketChange::Claim { id: ticket.id, agent: agent.user_id.clone(), at: self.now };
        let mut turn = HelpdeskTurn::default().change(claim);
        let name: FluentValue<'static> = agent.name.clone().into();
        if let Some(callback) = &ticket.callback {
            let mut args = callback_args(callback, ticket.lang);
            args.push(("agent", name.clone()));
            turn =
                turn.say(&ticket.room_id, message_with(ticket.lang, "helpdesk-callback-agent-calls", &args));
        } else {
            let joins = message_with(ticket.lang, "helpdesk-agent-joins", &[("agent", name.clone())]);
            turn = turn
                .say(&ticket.room_id, joins)
                .act(Action::InviteUser { room_id: ticket.room_id.clone(), user_id: agent.user_id.clone() });
        }
        let claimed = message_with(Lang::Pl, "helpdesk-claimed", &[("id", id.clone()), ("agent", name)]);
        turn = self.tell_team(turn, claimed);
        // Where the team's room does not show it, the agent learns what to do next.
        let mine = match &ticket.callback {
            Some(callback) => {
                let mut args = callback_args(callback, Lang::Pl);
                args.push(("id", id));
                message_with(Lang::Pl, "helpdesk-callback-claimed-you", &args)
            }
            None if !team_room => message_with(Lang::Pl, "helpdesk-claimed-you", &[("id", id)]),
            None => return turn,
        };
        turn.say(room, mine)
    }

    /// Whether `agent` may close or hand back `ticket`: its holder, a lead, or anyone while it
    /// waits in the queue.
    fn may_finish(agent: &Agent, ticket: &Ticket) -> bool {
        agent.lead || ticket.state == TicketState::Pending || ticket.assignee.as_ref() == Some(&agent.user_id)
    }

    fn refusal(&self, agent: &Agent, ticket: &Ticket, room: &RoomId) -> Option<HelpdeskTurn> {
        let id: FluentValue<'static> = ticket.id.into();
        if !ticket.state.is_active() {
            let text = message_with(Lang::Pl, "helpdesk-not-active", &[("id", id)]);
            return Some(HelpdeskTurn::default().say(room, text));
        }
        if !Self::may_finish(agent, ticket) {
            let holder = ticket.assignee.as_deref().map(|a| self.name_of(a)).unwrap_or_default();
            let text = message_with(Lang::Pl, "helpdesk-not-yours", &[("id", id), ("agent", holder.into())]);
            return Some(HelpdeskTurn::default().say(room, text));
        }
        None
    }

    fn close(&self, agent: &Agent, ticket: &Ticket, room: &RoomId, team_room: bool) -> HelpdeskTurn {
        if let Some(refusal) = self.refusal(agent, ticket, room) {
            return refusal;
        }
        let id: FluentValue<'static> = ticket.id.into();
        let goodbye = if ticket.callback.is_some() { "helpdesk-callback-closed" } else { "helpdesk-closed" };
        let mut turn = HelpdeskTurn::default()
            .change(TicketChange::Resolve { id: ticket.id, at: self.now })
            .say(&ticket.room_id, message_with(ticket.lang, goodbye, &[("id", id.clone())]));
        turn = self.remove_holder(turn, ticket, "helpdesk-kick-reason-closed");
        turn = turn.act(satisfaction_poll(ticket));
        let closed = message_with(
            Lang::Pl,
            "helpdesk-closed-team",
            &[("id", id), ("agent", agent.name.clone().into())],
        );
        self.confirm(turn, closed, room, team_room, ticket)
    }

    fn release(
        &self,
        agent: &Agent,
        ticket: &Ticket,
        to_bot: bool,
        room: &RoomId,
        team_room: bool,
    ) -> HelpdeskTurn {
        if let Some(refusal) = self.refusal(agent, ticket, room) {
            return refusal;
        }
        let id: FluentValue<'static> = ticket.id.into();
        let (to, citizen_key, team_key) = if to_bot {
            (TicketState::Bot, "helpdesk-back-to-bot", "helpdesk-released-bot")
        } else {
            (TicketState::Pending, "helpdesk-back-to-queue", "helpdesk-released-queue")
        };
        let mut turn = HelpdeskTurn::default()
            .change(TicketChange::Release { id: ticket.id, to, at: self.now })
            .say(&ticket.room_id, message_with(ticket.lang, citizen_key, &[("id", id.clone())]));
        turn = self.remove_holder(turn, ticket, "helpdesk-kick-reason-released");
        let released = message_with(Lang::Pl, team_key, &[("id", id), ("agent", agent.name.clone().into())]);
        self.confirm(turn, released, room, team_room, ticket)
    }

    /// The agent who held the ticket leaves the citizen's conversation.
    fn remove_holder(&self, turn: HelpdeskTurn, ticket: &Ticket, reason_key: &str) -> HelpdeskTurn {
        match (&ticket.assignee, ticket.state, ticket.kind) {
            (Some(holder), TicketState::Open, TicketKind::Chat) => turn.act(Action::RemoveUser {
                room_id: ticket.room_id.clone(),
                user_id: holder.clone(),
                reason: message(Lang::Pl, reason_key),
            }),
            _ => turn,
        }
    }

    /// Tells the team, and the agent too if they wrote elsewhere than the team's room or the
    /// citizen's conversation (which has just been told).
    fn confirm(
        &self,
        turn: HelpdeskTurn,
        text: String,
        room: &RoomId,
        team_room: bool,
        ticket: &Ticket,
    ) -> HelpdeskTurn {
        let turn = self.tell_team(turn, text.clone());
        if team_room || room == ticket.room_id {
            return turn;
        }
        turn.say(room, text)
    }
}

/// "dziś (24 listopada)", "ostatnie 7 dni (18 listopada – 24 listopada)".
fn stats_period(days: u32, first: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    match days {
        1 => message_with(Lang::Pl, "helpdesk-stats-today", &[("date", day_and_month(today).into())]),
        _ => message_with(
            Lang::Pl,
            "helpdesk-stats-days",
            &[
                ("count", i64::from(days).into()),
                ("from", day_and_month(first).into()),
                ("until", day_and_month(today).into()),
            ],
        ),
    }
}

fn stats_text(stats: &TicketStats, period: String) -> String {
    let rating = match stats.rating_average {
        Some(average) => message_with(
            Lang::Pl,
            "helpdesk-stats-rating",
            &[
                ("average", format!("{average:.1}").replace('.', ",").into()),
                ("count", (stats.ratings as i64).into()),
            ],
        ),
        None => message(Lang::Pl, "helpdesk-stats-no-rating"),
    };
    let by_day: Vec<String> = stats
        .days
        .iter()
        .rev()
        .take(31)
        .rev()
        .map(|d| {
            let first = d.first_response_median.map_or_else(|| "—".to_owned(), minutes_in_words);
            format!("• {}: {} / {first}", d.date.format("%d.%m"), d.opened)
        })
        .collect();
    let count = |n: usize| -> FluentValue<'static> { (n as i64).into() };
    let duration = |d: Option<chrono::Duration>| d.map_or_else(|| "—".to_owned(), minutes_in_words);
    message_with(
        Lang::Pl,
        "helpdesk-stats",
        &[
            ("period", period.into()),
            ("total", count(stats.total)),
            ("chat", count(stats.total - stats.callbacks)),
            ("callback", count(stats.callbacks)),
            ("resolved", count(stats.resolved)),
            ("pending", count(stats.pending)),
            ("open", count(stats.open)),
            ("bot", count(stats.to_bot)),
            ("first", duration(stats.first_response_median).into()),
            ("resolution", duration(stats.resolution_median).into()),
            ("first_breaches", count(stats.first_response_breaches)),
            ("resolution_breaches", count(stats.resolution_breaches)),
            ("rating", rating.into()),
            ("days", by_day.join("\n").into()),
        ],
    )
}

/// Tickets per day as bars and the median first response as a line, for the leads' chat.
fn stats_chart(stats: &TicketStats, period: &str) -> Option<(DailyChart, String)> {
    let days: Vec<DailyPoint> = stats
        .days
        .iter()
        .map(|d| DailyPoint {
            date: d.date,
            count: u32::try_from(d.opened).unwrap_or(u32::MAX),
            seconds: d.first_response_median.and_then(|m| u32::try_from(m.num_seconds()).ok()),
        })
        .collect();
    let busiest = stats.days.iter().max_by_key(|d| (d.opened, std::cmp::Reverse(d.date)))?;
    let chart = DailyChart {
        title: message_with(Lang::Pl, "helpdesk-chart-title", &[("period", period.to_owned().into())]),
        count_label: message(Lang::Pl, "helpdesk-chart-tickets"),
        minutes_label: message(Lang::Pl, "helpdesk-chart-minutes"),
        days,
    };
    let caption = message_with(
        Lang::Pl,
        "helpdesk-chart-caption",
        &[
            ("period", period.to_owned().into()),
            ("most", (busiest.opened as i64).into()),
            ("day", busiest.date.format("%d.%m").to_string().into()),
        ],
    );
    Some((chart, caption))
}

/// "24 listopada".
fn day_and_month(date: chrono::NaiveDate) -> String {
    let full = day(date, Lang::Pl);
    full.split_once(", ").map_or(full.clone(), |(_, rest)| rest.to_owned())
}

/// "12 min", "1 h 35 min", "2 dni 3 h".
fn minutes_in_words(duration: chrono::Duration) -> String {
    let minutes = duration.num_minutes().max(0);
    let (days, hours, minutes) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, _) if minutes == 0 => format!("{hours} h"),
        (0, _) => format!("{hours} h {minutes} min"),
        (1, _) => format!("1 dzień {hours} h"),
        _ => format!("{days} dni {hours} h"),
    }
}

/// "How did we do?": a native poll of five answers, sent when a ticket is closed.
fn satisfaction_poll(ticket: &Ticket) -> Action {
    let lang = ticket.lang;
    let question = message_with(lang, "helpdesk-rating-question", &[("id", ticket.id.into())]);
    let choices: Vec<PollChoice> = (1..=5u8)
        .map(|score| PollChoice {
            id: rating_answer(ticket.id, score),
            label: message_with(lang, "helpdesk-rating-answer", &[("score", i64::from(score).into())]),
        })
        .collect();
    let fallback =
        format!("{question}\n{}", choices.iter().map(|c| c.label.as_str()).collect::<Vec<_>>().join("\n"));
    Action::SendPoll { room_id: ticket.room_id.clone(), question, fallback, choices, max_selections: 1 }
}

/// The phone number as people write it, and ", <when>" if a time was asked for.
fn callback_args(callback: &Callback, lang: Lang) -> Vec<(&'static str, FluentValue<'static>)> {
    let when = match &callback.when {
        Some(when) => message_with(lang, "helpdesk-when", &[("when", when.clone().into())]),
        None => String::new(),
    };
    vec![("phone", szpon_nlp::phone_for_people(&callback.phone).into()), ("when", when.into())]
}

/// " — tel. 600 123 456, w środę, 25 listopada, po 14:00" for a queue line, if a number was given.
fn queue_callback(callback: Option<&Callback>) -> String {
    callback.map_or_else(String::new, |callback| {
        message_with(Lang::Pl, "helpdesk-queue-callback", &callback_args(callback, Lang::Pl))
    })
}

/// "w środę, 25 listopada, po 14:00": the time a text asked for, as the bot understood it.
pub fn describe_time(time: &TimeMention, lang: Lang) -> Option<String> {
    let clock =
        |t: chrono::NaiveTime| format!("{}:{:02}", chrono::Timelike::hour(&t), chrono::Timelike::minute(&t));
    let (at, after, before) = if lang == Lang::En { ("at", "after", "before") } else { ("o", "po", "przed") };
    let mut parts = Vec::new();
    if let Some(date) = time.date {
        parts.push(on_day(date, lang));
    }
    parts.extend(time.at.map(|t| format!("{at} {}", clock(t))));
    parts.extend(time.from.map(|t| format!("{after} {}", clock(t))));
    parts.extend(time.before.map(|t| format!("{before} {}", clock(t))));
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// "pytanie o utratę dowodu osobistego", from the intent the NLU saw.
fn topic_label(topic: Option<&str>) -> String {
    match topic {
        Some(intent) => intent_label(Lang::Pl, intent),
        None => message(Lang::Pl, "helpdesk-no-topic"),
    }
}
