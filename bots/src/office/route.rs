//! Where an input goes: parsed once into the feature that takes it and that feature's command,
//! before the store loads what the feature reads and before the bot decides. The order is the
//! order in which the features claim a text; it is in this one place only.

use chrono::{DateTime, Utc};

use super::OfficeBot;
use crate::{
    booking::{
        BookingView,
        clerk::{ClerkCommand, Span, days_needed, parse_clerk_command},
    },
    calls::{CallCommand, CallsView, parse_call_command},
    courses::{CourseCommand, parse_course_command},
    gamification::{ProgressCommand, ProgressView, parse_progress_command},
    helpdesk::{HelpdeskView, StaffCommand, parse_rating, parse_staff_command},
    input::{Input, MessageContent, PollVote, RoomKind, UserMessage},
    learning::{LearnerCommand, LearningView, parse_learner_command, parse_poll_answers},
    live::{LiveCommand, LiveView, parse_live_command, room_question},
    meetings::{MeetingCommand, MeetingsView, Rsvp, parse_meeting_command},
    review::{ReviewCommand, ReviewView, ReviewVote, parse_review_command, parse_review_vote},
    tasks::{TaskCommand, TaskList, TasksView, parse_task_command},
};

/// The feature an input is for, with its parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Route {
    /// Decided from the input and the person alone: an invitation, a file, a deleted event, a
    /// message not meant for the bot or too long to read.
    Plain,
    /// A support agent's command (anyone else is refused, or shown their own tickets), and for
    /// `!statystyki` the start of the period whose tickets it counts.
    Staff { command: StaffCommand, stats_since: Option<DateTime<Utc>> },
    /// A clerk's command; `from_clerk` if the writer is one (anyone else is refused), and then
    /// the days of visits it reads.
    Clerk { command: ClerkCommand, from_clerk: bool, days: Option<Span> },
    /// A command on a task list: the room's, or the writer's own in their direct chat.
    Task(TaskList, TaskCommand),
    /// A command on the room's video call.
    Call(CallCommand),
    /// A command on the room's meetings.
    Meeting(MeetingCommand),
    /// A command on the room's LIVE events, or a question asked in the room.
    Live(LiveCommand),
    /// A reaction: an upvote where it is to a LIVE event's question.
    Reaction,
    /// A trainer's command on a course.
    Course(CourseCommand),
    /// A learner's `!postępy` or `!ranking`.
    Progress(ProgressCommand),
    /// A learner's `!powtórka`.
    Review(ReviewCommand),
    /// Any other text for the bot: a learner's command or answer, a step of a booking
    /// dialogue, or a question for the NLU. `direct` if written in a direct chat, where the
    /// person's visits, tickets and courses are read.
    Talk { learner: Option<LearnerCommand>, direct: bool },
    /// A vote in one of the bot's polls.
    Vote(PollTarget),
    /// Someone joined or left a room whose members are the course directory's.
    Directory,
}

/// Whose poll a vote answers, told by the answer's typed identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PollTarget {
    /// A quiz question or survey of a course.
    Lesson,
    /// A meeting's attendance question.
    Meeting { number: i64, rsvp: Rsvp },
    /// A question of a learner's review.
    Review(ReviewVote),
    /// The rating of a closed helpdesk ticket.
    Rating { ticket: i64, score: u8 },
    /// A poll that is none of the bot's.
    Other,
}

/// What the store loaded for a turn, by its route: each variant holds only what its feature
/// reads. [`View::empty_for`] names the variant a route gets.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum View {
    /// The route decides from the input and the person alone.
    #[default]
    Nothing,
    /// A support agent's command, or the rating of a ticket: the tickets it concerns.
    Helpdesk(HelpdeskView),
    /// A clerk's command: the time held, the clerk's feeds and the days' visits.
    Visits(BookingView),
    Tasks(TasksView),
    Call(CallsView),
    Meetings(MeetingsView),
    Live(LiveView),
    Progress(Box<ProgressView>),
    /// A learner's review queue, for `!powtórka` or a review poll's answer.
    Review(Box<ReviewView>),
    /// A trainer's command, a quiz answer, or a change of the course directory's members.
    Learning(LearningView),
    /// A text in a direct chat, which any desk may take.
    Conversation(Box<ConversationView>),
}

/// What any desk may read for a text in a direct chat: the writer's visits and the time held,
/// their tickets, and their courses.
#[derive(Debug, Clone, Default)]
pub struct ConversationView {
    pub visits: BookingView,
    pub helpdesk: HelpdeskView,
    pub learning: LearningView,
}

impl View {
    /// The view `route` reads, with nothing in it: what the store fills in, and all a turn
    /// that reads nothing needs.
    pub fn empty_for(route: &Route) -> View {
        match route {
            Route::Plain | Route::Reaction => View::Nothing,
            Route::Staff { .. } | Route::Vote(PollTarget::Rating { .. }) => {
                View::Helpdesk(HelpdeskView::default())
            }
            Route::Clerk { .. } => View::Visits(BookingView::default()),
            Route::Task(..) => View::Tasks(TasksView::default()),
            Route::Call(_) => View::Call(CallsView::default()),
            Route::Meeting(_) => View::Meetings(MeetingsView::default()),
            Route::Live(_) => View::Live(LiveView::default()),
            Route::Progress(_) => View::Progress(Box::default()),
            Route::Review(_) | Route::Vote(PollTarget::Review(_)) => View::Review(Box::default()),
            Route::Course(_) | Route::Vote(PollTarget::Lesson) | Route::Directory => {
                View::Learning(LearningView::default())
            }
            Route::Talk { .. } => View::Conversation(Box::default()),
            Route::Vote(PollTarget::Meeting { .. } | PollTarget::Other) => View::Nothing,
        }
    }

    /// The visits this view holds: a clerk's, or those of a person talking to the bot.
    pub fn visits(&self) -> Option<&BookingView> {
        match self {
            View::Visits(visits) => Some(visits),
            View::Conversation(conversation) => Some(&conversation.visits),
            _ => None,
        }
    }
}

impl Route {
    /// Whether a learner's command needs the course catalogue (`!kursy`, `!zapisz`).
    pub fn wants_catalogue(&self) -> bool {
        matches!(self, Route::Talk { learner: Some(LearnerCommand::List | LearnerCommand::Enrol(_)), .. })
    }
}

impl OfficeBot {
    /// The feature `input` is for, with its command parsed: what the store loads for the turn
    /// and what [`OfficeBot::decide`] decides.
    pub fn route(&self, input: &Input, now: DateTime<Utc>) -> Route {
        match input {
            Input::Message(msg) => self.route_message(msg, now),
            Input::PollVote(vote) => Route::Vote(poll_target(vote)),
            Input::Membership(membership) if self.directory_room_of(&membership.room_id).is_some() => {
                Route::Directory
            }
            Input::Reaction(reaction) if reaction.sender != self.config.bot_user_id => Route::Reaction,
            Input::Membership(_) | Input::Invite(_) | Input::Redaction(_) | Input::Reaction(_) => {
                Route::Plain
            }
        }
    }

    fn route_message(&self, msg: &UserMessage, now: DateTime<Utc>) -> Route {
        if msg.sender == self.config.bot_user_id {
            return Route::Plain;
        }
        let MessageContent::Text { body } = &msg.content else { return Route::Plain };
        if body.chars().count() > self.config.max_message_chars {
            return Route::Plain;
        }
        let direct = msg.room_kind == RoomKind::Direct;
        let Some(text) = self.addressed_text(body, direct) else {
            // Said to the room, not the bot: a question, where a LIVE event is on.
            return room_question(body).map_or(Route::Plain, Route::Live);
        };
        if text.is_empty() {
            return Route::Talk { learner: None, direct };
        }
        self.command_route(msg, text, now)
            .unwrap_or_else(|| Route::Talk { learner: parse_learner_command(text), direct })
    }

    /// The feature whose command `text` is, in the order the features claim a text.
    fn command_route(&self, msg: &UserMessage, text: &str, now: DateTime<Utc>) -> Option<Route> {
        if let Some(command) = self.helpdesk().and_then(|_| parse_staff_command(text)) {
            let stats_since = self.stats_since(&command, now);
            return Some(Route::Staff { command, stats_since });
        }
        if let Some(route) = self.clerk_route(msg, text, now) {
            return Some(route);
        }
        if let Some(command) = self.parse_task_command(msg, text) {
            return Some(Route::Task(TaskList::of(msg), command));
        }
        // Before the meetings: "!spotkanie teraz" is a call now, not a meeting to schedule.
        if let Some(command) = parse_call_command(text) {
            return Some(Route::Call(command));
        }
        if let Some(command) = parse_meeting_command(text) {
            return Some(Route::Meeting(command));
        }
        if let Some(command) = parse_live_command(text) {
            return Some(Route::Live(command));
        }
        if let Some(command) = parse_progress_command(text) {
            return Some(Route::Progress(command));
        }
        if let Some(command) = parse_review_command(text) {
            return Some(Route::Review(command));
        }
        parse_course_command(text).map(Route::Course)
    }

    fn clerk_route(&self, msg: &UserMessage, text: &str, now: DateTime<Utc>) -> Option<Route> {
        let office = self.config.office.as_deref()?;
        let command = self.clerk_request(office, msg, text, now)?;
        let from_clerk = office.clerk(&msg.sender).is_some();
        let days = from_clerk.then(|| days_needed(office, &command, now)).flatten();
        Some(Route::Clerk { command, from_clerk, days })
    }

    /// A clerk's command: a `!command` from anyone (others are refused), or free text from a
    /// clerk that surely asks for their visits ("kogo mam jutro?"), which is their agenda.
    fn clerk_request(
        &self,
        office: &crate::booking::Office,
        msg: &UserMessage,
        text: &str,
        now: DateTime<Utc>,
    ) -> Option<ClerkCommand> {
        if let Some(command) = parse_clerk_command(text) {
            let tasks_feed = matches!(command, ClerkCommand::Calendar(_)) && !self.is_clerks_calendar(msg);
            return (!tasks_feed).then_some(command);
        }
        if text.starts_with('!') || office.clerk(&msg.sender).is_none() {
            return None;
        }
        let parse = self.understand(text, now);
        let day = parse.time.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        (parse.confident_intent()? == "my_visits").then_some(ClerkCommand::Agenda(day))
    }

    /// A task command, leaving `!kalendarz` to the clerk's desk where it gives a clerk's feed.
    fn parse_task_command(&self, msg: &UserMessage, text: &str) -> Option<TaskCommand> {
        let command = parse_task_command(text)?;
        let clerks = matches!(command, TaskCommand::Calendar(_)) && self.is_clerks_calendar(msg);
        (!clerks).then_some(command)
    }

    /// Whether `!kalendarz` here is a clerk's: in their direct chat or their department's room
    /// (anywhere else it is the room's task feed).
    fn is_clerks_calendar(&self, msg: &UserMessage) -> bool {
        let Some(office) = self.config.office.as_deref() else { return false };
        office.clerk(&msg.sender).is_some()
            && (msg.room_kind == RoomKind::Direct
                || crate::booking::clerk::department_of_room(office, &msg.room_id).is_some())
    }
}

fn poll_target(vote: &PollVote) -> PollTarget {
    if parse_poll_answers(&vote.answers).is_some() {
        return PollTarget::Lesson;
    }
    if let Some(review) = parse_review_vote(&vote.answers) {
        return PollTarget::Review(review);
    }
    let Some(answer) = vote.answers.first() else { return PollTarget::Other };
    if let Some((number, rsvp)) = Rsvp::from_poll_answer(answer) {
        return PollTarget::Meeting { number, rsvp };
    }
    match parse_rating(answer) {
        Some((ticket, score)) => PollTarget::Rating { ticket, score },
        None => PollTarget::Other,
    }
}
