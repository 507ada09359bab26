use chrono::{DateTime, Utc};
use ruma::{OwnedServerName, OwnedUserId};
use szpon_nlp::{Decision, Lang, Nlu, Parse, fold_diacritics, normalize};

use std::sync::Arc;

use route::{ConversationView, PollTarget, Route, View};

use crate::{
    booking::{
        BookingJob, BookingView, Desk, Dialogue, Effect, Office, Turn, Visit, VisitStatus,
        clerk::{ClerkCommand, ClerkDesk, department_of_room},
        dialogue::reminder,
        understand::{self, VisitRequest, match_services},
    },
    calls::{CallAction, CallCommand, CallDesk, CallsView},
    courses::{CourseCommand, CourseDesk},
    documents::{Document, DocumentChange, SharedFile},
    gamification::{
        GamificationJob, ProgressCommand, ProgressDesk, ProgressView, Rules, next_streak_reminders_job,
        next_weekly_summaries_job, standing_check, streak_reminders, weekly_summaries,
    },
    helpdesk::{
        Callback, HelpdeskChange, HelpdeskJob, HelpdeskMemory, HelpdeskSettings, HelpdeskView, StaffCommand,
        SupportDesk, describe_time,
    },
    i18n::{intent_label, message, message_with},
    input::{Input, Invite, MessageContent, PollVote, RoomKind, UserMessage},
    learning::{CourseJob, EnrolmentStatus, LearnerCommand, LearnerDesk, LearningView, lesson_time},
    live::{LiveChange, LiveCommand, LiveDesk, LiveJob, LiveView, live_alert},
    meetings::{
        Meeting, MeetingAlert, MeetingChange, MeetingCommand, MeetingDesk, MeetingJob, MeetingsView,
        meeting_alert,
    },
    review::{self, ReviewCommand, ReviewDesk, ReviewJob, ReviewView},
    tasks::{DigestContext, TaskCommand, TaskDesk, TaskJob, TaskList, TasksView, digest, due_alert},
    turn::{Action, Job, JobContext, Notice, Outcome, PaceVerdict, Person},
};

/// Settings of the office bot that come from the office's configuration.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BotConfig {
    pub bot_user_id: OwnedUserId,
    pub office_name: String,
    /// Longest message, in characters, that the bot reads.
    pub max_message_chars: usize,
    /// If set, only people from these servers may invite the bot.
    pub allowed_servers: Option<Vec<OwnedServerName>>,
    /// The office's departments, services and clerks; without it there is no booking.
    pub office: Option<Arc<Office>>,
    /// szpon's public web address, where calendar feeds are served.
    pub web_url: String,
    /// Understands free text: intents, dates, FAQ answers.
    pub nlu: Arc<Nlu>,
    /// Answers one person gets in [`PACE_WINDOW_SECONDS`](crate::turn::PACE_WINDOW_SECONDS) at most; 0 for no limit.
    pub answers_per_window: u32,
    /// Whether the office has video calls (a Janus): meetings then get one at their start.
    pub calls: bool,
}

impl BotConfig {
    pub fn new(bot_user_id: OwnedUserId, office_name: impl Into<String>) -> Self {
        Self {
            bot_user_id,
            office_name: office_name.into(),
            max_message_chars: 4000,
            allowed_servers: None,
            office: None,
            web_url: "http://127.0.0.1:8009".to_owned(),
            nlu: Nlu::shipped(),
            answers_per_window: 10,
            calls: false,
        }
    }

    /// Meetings get a video call at their start.
    pub fn with_calls(mut self, calls: bool) -> Self {
        self.calls = calls;
        self
    }

    pub fn with_answers_per_window(mut self, limit: u32) -> Self {
        self.answers_per_window = limit;
        self
    }

    /// Uses an NLU trained on the office's own data and settings.
    pub fn with_nlu(mut self, nlu: Arc<Nlu>) -> Self {
        self.nlu = nlu;
        self
    }

    pub fn with_max_message_chars(mut self, max: usize) -> Self {
        self.max_message_chars = max;
        self
    }

    pub fn with_web_url(mut self, url: impl Into<String>) -> Self {
        self.web_url = url.into();
        self
    }

    pub fn with_office(mut self, office: Option<Arc<Office>>) -> Self {
        self.office = office;
        self
    }

    pub fn with_allowed_servers(mut self, servers: Option<Vec<OwnedServerName>>) -> Self {
        self.allowed_servers = servers;
        self
    }
}

/// The office's front desk: greets, explains, and routes people to the right service.
#[derive(Debug, Clone)]
pub struct OfficeBot {
    config: BotConfig,
}

/// What a text message asks for: a command, or what the NLU made of free text.
#[derive(Debug, PartialEq, Eq)]
enum Request<'a> {
    Help,
    Greeting,
    Thanks,
    SetLanguage(Option<Lang>, &'a str),
    UnknownCommand(&'a str),
    /// A question the office's FAQ answers ("faq/elektrosmieci").
    Faq(&'a str),
    Human,
    /// "proszę o telefon": a callback request.
    Callback,
    Tasks,
    Courses,
    OutOfScope,
    /// Two intents are about as likely: ask which one.
    Unclear(&'a str, &'a str),
    NotUnderstood,
}

impl OfficeBot {
    pub fn new(config: BotConfig) -> Self {
        Self { config }
    }

    pub fn config(&self) -> &BotConfig {
        &self.config
    }

    /// Handles one input that needs nothing from the store but the person.
    pub fn handle(&self, input: &Input, person: &Person, now: DateTime<Utc>) -> Outcome {
        let route = self.route(input, now);
        self.decide(input, &route, person, &View::empty_for(&route), now)
    }

    /// Decides one input, routed by [`OfficeBot::route`], with the view the store loaded for
    /// its route.
    pub fn decide(
        &self,
        input: &Input,
        route: &Route,
        person: &Person,
        view: &View,
        now: DateTime<Utc>,
    ) -> Outcome {
        match input {
            Input::Message(message) => self.on_message(message, route, person, view, now),
            Input::Invite(invite) => self.on_invite(invite, person),
            Input::PollVote(vote) => self.on_vote(vote, route, view, now),
            Input::Membership(membership) => self.on_membership(membership, route, view, now),
            Input::Redaction(redaction) => {
                let forget = DocumentChange::Forget {
                    room_id: redaction.room_id.clone(),
                    event_id: redaction.redacts.clone(),
                };
                let withdraw = LiveChange::Withdraw {
                    room_id: redaction.room_id.clone(),
                    redacted: redaction.redacts.clone(),
                };
                Outcome {
                    effects: vec![Effect::Document(forget), Effect::Live(withdraw)],
                    ..Outcome::default()
                }
            }
            Input::Reaction(reaction) if *route == Route::Reaction => {
                let upvote = LiveChange::Upvote {
                    room_id: reaction.room_id.clone(),
                    question: reaction.relates_to.clone(),
                    voter: reaction.sender.clone(),
                    reaction: reaction.event_id.clone(),
                };
                Outcome { effects: vec![Effect::Live(upvote)], ..Outcome::default() }
            }
            Input::Reaction(_) => Outcome::default(),
        }
    }

    /// The answer to an input whose turn failed (a panic, or a store error that was no outage):
    /// a polite apology in the person's known language, where the input was addressed to the
    /// bot. It reads nothing of the input's text beyond what addressing needs, and detects no
    /// language, since either may be what failed.
    pub fn handle_failure(&self, input: &Input, person: &Person) -> Outcome {
        let Input::Message(msg) = input else { return Outcome::default() };
        self.apology(msg, person)
    }

    fn apology(&self, msg: &UserMessage, person: &Person) -> Outcome {
        let addressed = msg.room_kind == RoomKind::Direct
            || msg.mentions.contains(&self.config.bot_user_id)
            || matches!(&msg.content, MessageContent::Text { body } if body.trim_start().starts_with('!') || self.mentions_bot(body));
        if !addressed {
            return Outcome::default();
        }
        let lang = person.chosen_language.or(person.detected_language).unwrap_or_default();
        let notice = Notice::from_plain(message(lang, "turn-failed"));
        Outcome {
            actions: vec![Action::SendNotice { room_id: msg.room_id.clone(), notice }],
            ..Outcome::default()
        }
    }

    /// The answer when the store refused the booking this input made, because the time went
    /// to someone else first: `person` is the state before the input, `view` a fresh one.
    pub fn handle_slot_taken(
        &self,
        input: &Input,
        person: &Person,
        view: &View,
        now: DateTime<Utc>,
    ) -> Outcome {
        let (Input::Message(msg), Some(office)) = (input, self.config.office.as_deref()) else {
            return Outcome::default();
        };
        let Some(Dialogue::ChoosingTime { service, moving, .. }) = &person.dialogue else {
            return Outcome::default();
        };
        let Some(service) = office.service(service) else { return Outcome::default() };
        let (lang, person) = person.reply_language(None);
        let empty = BookingView::default();
        let view = view.visits().unwrap_or(&empty);
        let desk = Desk { office, view, lang, now, citizen: &msg.sender, room: &msg.room_id };
        let turn = desk.slot_taken(service, moving.as_deref());
        self.outcome_of(msg, turn, Some(person), now)
    }

    /// Carries out a job that fell due, with what the store loaded for it.
    pub fn handle_job(&self, job: &Job, context: &JobContext, now: DateTime<Utc>) -> Outcome {
        match (job, context) {
            (Job::Booking(job), context) => self.booking_job(job, context, now),
            (Job::Helpdesk(job), context) => self.helpdesk_job(job, context, now),
            (Job::Task(job), context) => self.task_job(job, context, now),
            (Job::Course(CourseJob::Lesson { at, .. }), JobContext::Course(Some((versions, enrolments)))) => {
                let turn = lesson_time(versions, enrolments, *at, self.zone(), now);
                Outcome { actions: turn.actions, person: None, effects: turn.effects }
            }
            (Job::Live(LiveJob::Alert { alert, start, .. }), JobContext::Live(context)) => {
                let actions = live_alert(context, *alert, *start, self.zone(), now);
                Outcome { actions, ..Outcome::default() }
            }
            (Job::Meeting(MeetingJob::Alert { room_id, alert, start, .. }), JobContext::Meeting(meeting)) => {
                let Some(notice) = meeting_alert(meeting.as_ref(), *alert, *start, self.zone(), now) else {
                    return Outcome::default();
                };
                let mut actions = vec![Action::SendNotice { room_id: room_id.clone(), notice }];
                actions.extend(
                    meeting.as_ref().and_then(|(meeting, _)| self.meeting_call(meeting, *alert, room_id)),
                );
                Outcome { actions, ..Outcome::default() }
            }
            (Job::Gamification(GamificationJob::Standing { user_id, .. }), JobContext::Learner(record)) => {
                let rules = self.learning_rules();
                let (actions, change) = standing_check(user_id, record, self.is_staff(user_id), &rules, now);
                Outcome { actions, person: None, effects: vec![Effect::Gamification(change)] }
            }
            (Job::Gamification(GamificationJob::StreakReminders { day }), JobContext::Learners(learners)) => {
                let (actions, effects) = streak_reminders(learners, *day, &self.learning_rules(), now);
                Outcome { actions, person: None, effects }
            }
            (
                Job::Gamification(GamificationJob::WeeklySummaries { monday }),
                JobContext::Learners(learners),
            ) => {
                let (actions, effects) = weekly_summaries(learners, *monday, &self.learning_rules(), now);
                Outcome { actions, person: None, effects }
            }
            (Job::Review(ReviewJob::Nudges { day }), JobContext::DueReviews(learners)) => {
                let (actions, effects) = review::nudges(learners, *day, self.zone(), now);
                Outcome { actions, person: None, effects }
            }
            (Job::Course(_) | Job::Live(_) | Job::Meeting(_) | Job::Gamification(_) | Job::Review(_), _) => {
                Outcome::default()
            }
        }
    }

    fn task_job(&self, job: &TaskJob, context: &JobContext, now: DateTime<Utc>) -> Outcome {
        match (job, context) {
            (TaskJob::Due { alert, deadline, .. }, JobContext::Task(Some(task))) => {
                let actions = due_alert(Some(task), *alert, *deadline, self.zone())
                    .map(|notice| Action::SendNotice { room_id: task.room_id.clone(), notice })
                    .into_iter()
                    .collect();
                Outcome { actions, ..Outcome::default() }
            }
            (TaskJob::Digest { list, room_id, day, at }, context) => {
                let empty = DigestContext::default();
                let context = if let JobContext::Digest(digest) = context { digest } else { &empty };
                let (notice, effects) = digest(list, room_id, *day, *at, context, self.zone(), now);
                let actions = notice
                    .map(|notice| Action::SendNotice { room_id: room_id.clone(), notice })
                    .into_iter()
                    .collect();
                Outcome { actions, person: None, effects }
            }
            (TaskJob::Due { .. }, _) => Outcome::default(),
        }
    }

    /// An online visit's call, as it starts: in the citizen's chat with the bot, with the
    /// clerk's own link sent to the clerk.
    fn visit_call(
        &self,
        office: &Office,
        visit: &Visit,
        start: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<Vec<Action>> {
        let online = office.service(&visit.service)?.online;
        let on = matches!(visit.status, VisitStatus::Booked | VisitStatus::CheckedIn)
            && visit.time.start == start
            && (start..visit.time.end).contains(&now);
        let (room_id, lang) = (visit.room_id.clone(), visit.lang);
        (self.config.calls && online && on).then(|| {
            vec![
                Action::Call {
                    room_id: room_id.clone(),
                    call: CallAction::Start {
                        by: visit.citizen.clone(),
                        lang,
                        visit: Some(visit.code.clone()),
                    },
                },
                Action::Call {
                    room_id,
                    call: CallAction::Ticket { user: visit.time.clerk.clone(), lang, quiet: false },
                },
            ]
        })
    }

    /// A meeting without a link of its own gets the office's video call as it starts, started
    /// by its organiser, who gets their own link.
    fn meeting_call(&self, meeting: &Meeting, alert: MeetingAlert, room: &ruma::RoomId) -> Option<Action> {
        let wanted = self.config.calls && alert == MeetingAlert::Start && meeting.video_link.is_none();
        wanted.then(|| Action::Call {
            room_id: room.to_owned(),
            call: CallAction::Start { by: meeting.organizer.clone(), lang: meeting.lang, visit: None },
        })
    }

    /// The time zone the office's people live by.
    fn zone(&self) -> chrono_tz::Tz {
        self.config.office.as_deref().map_or(chrono_tz::Europe::Warsaw, Office::time_zone)
    }

    #[allow(clippy::too_many_arguments)]
    fn task_turn(
        &self,
        msg: &UserMessage,
        list: &TaskList,
        command: &TaskCommand,
        lang: Lang,
        person: &Person,
        view: &TasksView,
        now: DateTime<Utc>,
    ) -> Outcome {
        let desk = TaskDesk {
            list: list.clone(),
            room: &msg.room_id,
            sender: &msg.sender,
            view,
            power: msg.sender_power,
            zone: self.zone(),
            now,
            lang,
            web_url: &self.config.web_url,
            members_named: &msg.members_named,
        };
        let turn = desk.handle(command);
        let room_id = &msg.room_id;
        let actions = turn
            .replies
            .into_iter()
            .map(|notice| Action::SendNotice { room_id: room_id.clone(), notice })
            .collect();
        let outcome = Outcome { actions, person: Some(person.clone()), effects: turn.effects };
        // A feed's address is a key to it: only ever said in the writer's private chat.
        if matches!(command, TaskCommand::Calendar(_)) { said_privately(msg, lang, outcome) } else { outcome }
    }

    fn meeting_turn(
        &self,
        msg: &UserMessage,
        command: &MeetingCommand,
        lang: Lang,
        person: &Person,
        view: &MeetingsView,
        now: DateTime<Utc>,
    ) -> Outcome {
        if msg.room_kind == RoomKind::Direct {
            return self.reply(msg, lang, message(lang, "meetings-in-rooms"), person.clone());
        }
        let desk = MeetingDesk {
            room: &msg.room_id,
            sender: &msg.sender,
            power: msg.sender_power,
            view,
            zone: self.zone(),
            now,
            lang,
        };
        let turn = desk.handle(command);
        Outcome { actions: turn.actions, person: Some(person.clone()), effects: turn.effects }
    }

    fn live_turn(
        &self,
        msg: &UserMessage,
        command: &LiveCommand,
        lang: Lang,
        person: &Person,
        view: &LiveView,
        now: DateTime<Utc>,
    ) -> Outcome {
        let office = self.config.office.as_deref();
        let trainer =
            office.is_some_and(|o| o.courses.as_ref().is_some_and(|c| c.trainers.contains(&msg.sender)));
        let staff = trainer || office.is_some_and(|o| o.clerk(&msg.sender).is_some());
        let desk = LiveDesk {
            room: &msg.room_id,
            sender: &msg.sender,
            event_id: &msg.event_id,
            staff,
            trainer,
            power: msg.sender_power,
            direct: msg.room_kind == RoomKind::Direct,
            view,
            zone: self.zone(),
            now,
            lang,
        };
        let turn = desk.handle(command);
        Outcome { actions: turn.actions, person: Some(person.clone()), effects: turn.effects }
    }

    fn progress_turn(
        &self,
        msg: &UserMessage,
        command: &ProgressCommand,
        lang: Lang,
        person: &Person,
        view: &ProgressView,
        now: DateTime<Utc>,
    ) -> Outcome {
        let rules = self.learning_rules();
        let desk = ProgressDesk {
            sender: &msg.sender,
            staff: self.is_staff(&msg.sender),
            direct: msg.room_kind == RoomKind::Direct,
            view,
            rules: &rules,
            now,
            lang,
        };
        let (text, change) = desk.handle(command);
        let notice = Action::SendNotice { room_id: msg.room_id.clone(), notice: Notice::from_plain(text) };
        let effects = change.map(Effect::Gamification).into_iter().collect();
        Outcome { actions: vec![notice], person: Some(person.clone()), effects }
    }

    /// `!powtórka`: the sitting goes to the learner's direct chat, with a pointer where they
    /// asked in a group room.
    fn review_turn(
        &self,
        msg: &UserMessage,
        command: ReviewCommand,
        lang: Lang,
        person: &Person,
        view: &ReviewView,
        now: DateTime<Utc>,
    ) -> Outcome {
        let direct = msg.room_kind == RoomKind::Direct;
        let room = direct.then_some(msg.room_id.as_ref());
        let desk = ReviewDesk { learner: &msg.sender, room, view, zone: self.zone(), now, lang };
        let (mut actions, effects) = desk.command(command);
        if !direct {
            let notice = Notice::from_plain(message(lang, "review-in-private"));
            actions.insert(0, Action::SendNotice { room_id: msg.room_id.clone(), notice });
        }
        Outcome { actions, person: Some(person.clone()), effects }
    }

    /// Gamification's rules in the office's time zone, with the office's own level names if its
    /// file gives them.
    fn learning_rules(&self) -> Rules {
        let mut rules = Rules::new(self.zone());
        let levels = self.config.office.as_deref().and_then(|o| o.courses.as_ref()).map(|c| &c.levels);
        if let Some(levels) = levels.filter(|levels| !levels.is_empty()) {
            rules.levels = levels.iter().map(|level| (level.xp, level.name.trim().to_owned())).collect();
        }
        rules
    }

    /// Clerks, trainers and support agents: staff appear on leaderboards unless they opt out.
    fn is_staff(&self, user: &ruma::UserId) -> bool {
        self.config.office.as_deref().is_some_and(|o| {
            o.clerk(user).is_some()
                || o.courses.as_ref().is_some_and(|c| c.trainers.iter().any(|t| t == user))
                || o.helpdesk.as_ref().is_some_and(|h| h.agent(user).is_some())
        })
    }

    fn call_turn(
        &self,
        msg: &UserMessage,
        command: CallCommand,
        lang: Lang,
        person: &Person,
        view: &CallsView,
    ) -> Outcome {
        let desk = CallDesk {
            room: &msg.room_id,
            sender: &msg.sender,
            power: msg.sender_power,
            direct: msg.room_kind == RoomKind::Direct,
            view,
            lang,
        };
        Outcome { actions: desk.handle(command), person: Some(person.clone()), effects: Vec::new() }
    }

    fn course_turn(
        &self,
        msg: &UserMessage,
        command: &CourseCommand,
        lang: Lang,
        person: &Person,
        learning: &LearningView,
        now: DateTime<Utc>,
    ) -> Outcome {
        let desk = CourseDesk {
            settings: self.config.office.as_deref().and_then(|o| o.courses.as_ref()),
            sender: &msg.sender,
            room: &msg.room_id,
            file_text: msg.in_reply_to.as_ref().and_then(|r| r.file_text.as_deref()),
            package: msg.in_reply_to.as_ref().and_then(|r| r.file_package.as_deref()),
            replied: msg.in_reply_to.is_some(),
            file_unavailable: msg.in_reply_to.as_ref().is_some_and(|r| r.file_unavailable),
            learning,
            zone: self.zone(),
            web_url: &self.config.web_url,
            now,
            lang,
        };
        let turn = desk.handle(command);
        let mut actions = vec![Action::SendNotice { room_id: msg.room_id.clone(), notice: turn.reply }];
        actions.extend(turn.actions);
        Outcome { actions, person: Some(person.clone()), effects: turn.effects }
    }

    /// The course directory's room `room_id` is, if it is one.
    fn directory_room_of(&self, room_id: &ruma::RoomId) -> Option<&crate::courses::DirectoryRoom> {
        let settings = self.config.office.as_deref()?.courses.as_ref()?;
        settings.directory_rooms.iter().find(|r| r.room == room_id)
    }

    fn on_membership(
        &self,
        membership: &crate::Membership,
        route: &Route,
        view: &View,
        now: DateTime<Utc>,
    ) -> Outcome {
        let (Route::Directory, View::Learning(learning)) = (route, view) else { return Outcome::default() };
        let Some(room) = self.directory_room_of(&membership.room_id) else { return Outcome::default() };
        if membership.user_id == self.config.bot_user_id {
            return Outcome::default();
        }
        let turn = crate::learning::membership_changed(room, membership, learning, self.zone(), now);
        Outcome { actions: turn.actions, person: None, effects: turn.effects }
    }

    /// The file a message replies to, if its command needs the file's content and the sender
    /// may use it: only a trainer's `!kurs opublikuj` does. Nothing is downloaded for anyone
    /// else, nor for a kind of file that is never read.
    pub fn replied_file_needed<'i>(&self, input: &'i Input, route: &Route) -> Option<&'i crate::RepliedFile> {
        let Input::Message(msg) = input else { return None };
        if *route != Route::Course(CourseCommand::Publish) {
            return None;
        }
        let courses = self.config.office.as_deref()?.courses.as_ref()?;
        if !courses.trainers.contains(&msg.sender) {
            return None;
        }
        let file = msg.in_reply_to.as_ref()?.file.as_deref()?;
        (file.kind() != crate::FileKind::Other).then_some(file)
    }

    #[allow(clippy::too_many_arguments)]
    fn learner_turn(
        &self,
        msg: &UserMessage,
        text: &str,
        command: Option<&LearnerCommand>,
        lang: Lang,
        person: &Person,
        learning: &LearningView,
        now: DateTime<Utc>,
    ) -> Option<Outcome> {
        if msg.room_kind != RoomKind::Direct {
            return match command {
                Some(LearnerCommand::List | LearnerCommand::Enrol(_) | LearnerCommand::Leave(_)) => {
                    Some(self.reply(msg, lang, message(lang, "learning-in-direct-chat"), person.clone()))
                }
                _ => None,
            };
        }
        let desk = LearnerDesk {
            view: learning,
            learner: &msg.sender,
            room: &msg.room_id,
            zone: self.zone(),
            now,
            lang,
        };
        let enrolled = learning.enrolments.iter().any(|(e, _)| e.status == EnrolmentStatus::Active);
        let turn = match command {
            // Without a course under way these words are not the courses' to take.
            Some(LearnerCommand::Next | LearnerCommand::Retry) if !enrolled => return None,
            Some(command) => desk.command(command),
            None if text.trim_start().starts_with('!') => return None,
            None => desk.typed_answer(text)?,
        };
        Some(Outcome { actions: turn.actions, person: Some(person.clone()), effects: turn.effects })
    }

    fn booking_job(&self, job: &BookingJob, context: &JobContext, now: DateTime<Utc>) -> Outcome {
        let Some(office) = self.config.office.as_deref() else { return Outcome::default() };
        match (job, context) {
            (BookingJob::Reminder { start, .. }, JobContext::Visit(Some(visit))) => {
                if let Some(actions) = self.visit_call(office, visit, *start, now) {
                    return Outcome { actions, ..Outcome::default() };
                }
                let Some(text) = reminder(office, visit, *start, now) else { return Outcome::default() };
                let notice = Notice::from_plain(text);
                Outcome {
                    actions: vec![Action::SendNotice { room_id: visit.room_id.clone(), notice }],
                    ..Outcome::default()
                }
            }
            (BookingJob::DialogueTimeout { room_id, since, .. }, JobContext::Person(person)) => {
                if person.dialogue.as_ref().map(Dialogue::since) != Some(*since) {
                    return Outcome::default();
                }
                let (lang, person) = person.reply_language(None);
                let notice = Notice::from_plain(message(lang, "booking-expired"));
                Outcome {
                    actions: vec![Action::SendNotice { room_id: room_id.clone(), notice }],
                    person: Some(Person { dialogue: None, ..person }),
                    effects: Vec::new(),
                }
            }
            (BookingJob::Reminder { .. } | BookingJob::DialogueTimeout { .. }, _) => Outcome::default(),
        }
    }

    fn helpdesk_job(&self, job: &HelpdeskJob, context: &JobContext, now: DateTime<Utc>) -> Outcome {
        let Some(office) = self.config.office.as_deref() else { return Outcome::default() };
        match (job, context) {
            (HelpdeskJob::TicketSla { stage, .. }, JobContext::Ticket(Some(ticket))) => {
                let tickets = HelpdeskView::default();
                let Some(desk) = self.support_desk(&tickets, now) else { return Outcome::default() };
                let turn = desk.sla_alert(ticket, *stage);
                Outcome { actions: turn.actions, person: None, effects: turn.effects }
            }
            (HelpdeskJob::TicketRetention { day }, _) => self.retention(office, *day, now),
            (HelpdeskJob::TicketSla { .. }, _) => Outcome::default(),
        }
    }

    /// Jobs that must always be waiting, whatever happened before a start: the daily deletion of
    /// old tickets, the learners' evening streak reminders, Monday summaries and morning review
    /// nudges.
    /// Scheduling one twice is harmless (jobs have keys).
    pub fn standing_jobs(&self, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(office) = self.config.office.as_deref() else { return Vec::new() };
        let local = now.with_timezone(&office.time_zone());
        let today = local.date_naive();
        let mut jobs = Vec::new();
        if office.helpdesk.is_some() {
            jobs.extend(today.succ_opt().map(|tomorrow| retention_job(office, tomorrow)));
        }
        if office.courses.is_some() {
            jobs.extend(next_streak_reminders_job(now, office.time_zone()));
            jobs.extend(next_weekly_summaries_job(now, office.time_zone()));
            jobs.extend(review::next_nudges_job(now, office.time_zone()));
        }
        jobs
    }

    /// Today's deletion of old tickets, and tomorrow's.
    fn retention(&self, office: &Office, day: chrono::NaiveDate, now: DateTime<Utc>) -> Outcome {
        let Some(helpdesk) = &office.helpdesk else { return Outcome::default() };
        let before = now - chrono::Duration::days(i64::from(helpdesk.retention_days));
        let mut effects = vec![Effect::Helpdesk(HelpdeskChange::Forget { before })];
        effects.extend(day.succ_opt().map(|next| retention_job(office, next)));
        Outcome { effects, ..Outcome::default() }
    }

    /// A citizen's rating of a closed ticket, from the poll the bot sent.
    fn on_vote(&self, vote: &PollVote, route: &Route, view: &View, now: DateTime<Utc>) -> Outcome {
        let Route::Vote(target) = route else { return Outcome::default() };
        match (target, view) {
            (PollTarget::Lesson, View::Learning(learning)) => {
                let desk = LearnerDesk {
                    view: learning,
                    learner: &vote.sender,
                    room: &vote.room_id,
                    zone: self.zone(),
                    now,
                    lang: Lang::Pl,
                };
                let turn = desk.vote(&vote.poll_id, &vote.answers);
                Outcome { actions: turn.actions, person: None, effects: turn.effects }
            }
            (PollTarget::Meeting { number, rsvp }, _) => {
                let answer = MeetingChange::Answer {
                    room_id: vote.room_id.clone(),
                    number: *number,
                    user: vote.sender.clone(),
                    rsvp: *rsvp,
                    at: now,
                };
                Outcome { effects: vec![Effect::Meeting(answer)], ..Outcome::default() }
            }
            (PollTarget::Rating { ticket, score }, View::Helpdesk(tickets)) => {
                let Some(desk) = self.support_desk(tickets, now) else { return Outcome::default() };
                let turn = desk.rating(vote, *ticket, *score);
                Outcome { actions: turn.actions, person: None, effects: turn.effects }
            }
            (PollTarget::Review(answer), View::Review(reviews)) => {
                let desk = ReviewDesk {
                    learner: &vote.sender,
                    room: Some(&vote.room_id),
                    view: reviews,
                    zone: self.zone(),
                    now,
                    lang: Lang::Pl,
                };
                let (actions, effects) = desk.vote(&vote.poll_id, answer);
                Outcome { actions, person: None, effects }
            }
            (
                PollTarget::Lesson | PollTarget::Rating { .. } | PollTarget::Review(_) | PollTarget::Other,
                _,
            ) => Outcome::default(),
        }
    }

    /// Since when `!statystyki` counts tickets, which the store loads before the bot decides.
    fn stats_since(&self, command: &StaffCommand, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let StaffCommand::Stats { days } = command else { return None };
        let zone = self.config.office.as_deref()?.time_zone();
        Some(crate::helpdesk::period_start(*days, now, zone).1)
    }

    fn on_invite(&self, invite: &Invite, person: &Person) -> Outcome {
        let allowed = match &self.config.allowed_servers {
            None => true,
            Some(servers) => servers.iter().any(|s| s == invite.inviter.server_name()),
        };
        if allowed {
            return Outcome {
                actions: vec![Action::JoinRoom { room_id: invite.room_id.clone() }],
                ..Outcome::default()
            };
        }
        let (lang, _) = person.reply_language(None);
        let servers =
            self.config.allowed_servers.iter().flatten().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        let reason = message_with(lang, "invite-refused", &[("servers", servers.into())]);
        Outcome {
            actions: vec![Action::LeaveRoom { room_id: invite.room_id.clone(), reason }],
            ..Outcome::default()
        }
    }

    fn on_message(
        &self,
        msg: &UserMessage,
        route: &Route,
        person: &Person,
        view: &View,
        now: DateTime<Utc>,
    ) -> Outcome {
        if msg.sender == self.config.bot_user_id {
            return Outcome::default();
        }
        let direct = msg.room_kind == RoomKind::Direct;
        match &msg.content {
            MessageContent::Notice => Outcome::default(),
            MessageContent::Other { .. } if direct => {
                let (lang, person) = person.reply_language(None);
                self.reply(msg, lang, message(lang, "non-text"), person)
            }
            MessageContent::Other { .. } => Outcome::default(),
            // Said only where every message is for the bot: in a group room it may not have been.
            MessageContent::Unreadable if direct => {
                let (lang, person) = person.reply_language(None);
                self.reply(msg, lang, message(lang, "unreadable"), person)
            }
            MessageContent::Unreadable => Outcome::default(),
            MessageContent::File(file) => self.on_file(msg, file, person, now),
            MessageContent::Text { body } => self.on_text(msg, body, route, person, view, now),
        }
    }

    /// A shared file joins its room's register; in a direct chat the person hears where.
    fn on_file(&self, msg: &UserMessage, file: &SharedFile, person: &Person, now: DateTime<Utc>) -> Outcome {
        let document = Document {
            room_id: msg.room_id.clone(),
            event_id: msg.event_id.clone(),
            sender: msg.sender.clone(),
            file: SharedFile { name: SharedFile::display_name(&file.name), ..file.clone() },
            shared_at: now,
        };
        let name = document.file.name.clone();
        let effects = vec![Effect::Document(DocumentChange::Record(document))];
        if msg.room_kind != RoomKind::Direct {
            return Outcome { effects, ..Outcome::default() };
        }
        let (lang, person) = person.reply_language(None);
        let outcome =
            self.reply(msg, lang, message_with(lang, "documents-recorded", &[("name", name.into())]), person);
        Outcome { effects, ..outcome }
    }

    /// Answers a text, unless the person writes faster than anyone reads: then the bot says so
    /// once and lets the rest of the window go unanswered, changing nothing.
    fn on_text(
        &self,
        msg: &UserMessage,
        body: &str,
        route: &Route,
        person: &Person,
        view: &View,
        now: DateTime<Utc>,
    ) -> Outcome {
        let outcome = self.respond(msg, body, route, person, view, now);
        // A question said to the room gets no answer, so nothing to pace.
        let said_aloud = matches!(route, Route::Live(LiveCommand::Ask { said_aloud: true, .. }));
        if (outcome.actions.is_empty() && outcome.effects.is_empty()) || said_aloud {
            return outcome;
        }
        let (pace, verdict) = person.pace.after_one_more(now, self.config.answers_per_window);
        match verdict {
            PaceVerdict::Answer => {
                let person = Person { pace, ..outcome.person.unwrap_or_else(|| person.clone()) };
                Outcome { person: Some(person), ..outcome }
            }
            PaceVerdict::SlowDown => {
                let (lang, _) = person.reply_language(None);
                self.reply(msg, lang, message(lang, "slow-down"), Person { pace, ..person.clone() })
            }
            PaceVerdict::Quiet => {
                Outcome { person: Some(Person { pace, ..person.clone() }), ..Outcome::default() }
            }
        }
    }

    fn respond(
        &self,
        msg: &UserMessage,
        body: &str,
        route: &Route,
        person: &Person,
        view: &View,
        now: DateTime<Utc>,
    ) -> Outcome {
        let direct = msg.room_kind == RoomKind::Direct;
        let length = body.chars().count();
        if length > self.config.max_message_chars {
            if !direct && !body.trim_start().starts_with('!') && !self.mentions_bot(body) {
                return Outcome::default();
            }
            let sample: String = body.chars().take(2000).collect();
            let (lang, person) = person.reply_language(Some(&sample));
            return self.reply(msg, lang, self.too_long(lang, length), person);
        }
        let Some(text) = self.addressed_text(body, direct) else {
            return match (route, view) {
                // Said to the room: nothing of the person's changes.
                (Route::Live(command), View::Live(live)) => {
                    let lang = person.chosen_language.or(person.detected_language).unwrap_or_default();
                    Outcome { person: None, ..self.live_turn(msg, command, lang, person, live, now) }
                }
                _ => Outcome::default(),
            };
        };
        let (lang, person) = person.reply_language(Some(text));
        if text.trim().is_empty() {
            return self.reply(msg, lang, message(lang, "empty-message"), person);
        }
        if let Some(outcome) = self.routed_turn(msg, text, route, lang, &person, view, now) {
            return outcome;
        }
        let empty = ConversationView::default();
        let view = match view {
            View::Conversation(conversation) => conversation.as_ref(),
            _ => &empty,
        };
        let parse = self.understand(text, now);
        let person = Person { helpdesk: person.helpdesk.clone().heard(text, now), ..person };
        if let Some(outcome) = self.booking(msg, text, &parse, lang, &person, &view.visits, now) {
            return outcome;
        }
        let person = self.forget_expired_dialogue(person, now);
        let request = classify(text, &parse);
        // The number the bot asked for, given on its own.
        let request = match request {
            _ if person.helpdesk.awaiting_phone && parse.entity("phone").is_some() => Request::Callback,
            request => request,
        };
        let person = remember(person, &request);
        self.answer(msg, request, &parse, lang, person, view, now)
    }

    /// The answer to what the NLU made of a message no feature claimed.
    #[allow(clippy::too_many_arguments)]
    fn answer(
        &self,
        msg: &UserMessage,
        request: Request<'_>,
        parse: &Parse,
        lang: Lang,
        person: Person,
        view: &ConversationView,
        now: DateTime<Utc>,
    ) -> Outcome {
        let direct = msg.room_kind == RoomKind::Direct;
        match request {
            Request::Help => self.reply(msg, lang, self.help(msg, lang), person),
            Request::Greeting => self.reply(msg, lang, message(lang, "greeting"), person),
            Request::Thanks => self.reply(msg, lang, message(lang, "thanks"), person),
            Request::SetLanguage(Some(chosen), _) => {
                let person = Person { chosen_language: Some(chosen), ..person };
                self.reply(msg, chosen, message(chosen, "language-set"), person)
            }
            Request::SetLanguage(None, asked) => {
                let text = message_with(lang, "language-unknown", &[("language", shorten(asked, 40).into())]);
                self.reply(msg, lang, text, person)
            }
            Request::UnknownCommand(command) => {
                let text = message_with(lang, "unknown-command", &[("command", shorten(command, 40).into())]);
                self.reply(msg, lang, text, person)
            }
            Request::Faq(intent) => match self.config.nlu.answer(intent, lang) {
                Some(answer) if self.helpdesk().is_some() && direct => {
                    let text = format!("{answer}\n\n{}", message(lang, "helpdesk-did-it-help"));
                    self.reply(msg, lang, text, person)
                }
                Some(answer) => self.reply(msg, lang, answer.to_owned(), person),
                None => self.reply(msg, lang, message(lang, "not-understood"), person),
            },
            Request::Human => self.hand_over(msg, lang, person, &view.helpdesk, now),
            Request::Callback => self.callback(msg, lang, person, parse, &view.helpdesk, now),
            Request::Tasks => self.reply(msg, lang, message(lang, "tasks-help"), person),
            Request::Courses => self.reply(msg, lang, message(lang, "learning-how"), person),
            Request::OutOfScope => self.reply(msg, lang, message(lang, "out-of-scope"), person),
            Request::Unclear(first, second) => {
                let text = message_with(
                    lang,
                    "clarify",
                    &[
                        ("first", intent_label(lang, first).into()),
                        ("second", intent_label(lang, second).into()),
                    ],
                );
                self.reply(msg, lang, text, person)
            }
            // Twice in a row not understood: a person will do better than a third guess.
            Request::NotUnderstood
                if direct && self.helpdesk().is_some() && person.helpdesk.unclear_in_a_row > 1 =>
            {
                self.hand_over(msg, lang, person, &view.helpdesk, now)
            }
            Request::NotUnderstood if direct && self.helpdesk().is_some() => {
                self.reply(msg, lang, message(lang, "helpdesk-not-understood"), person)
            }
            Request::NotUnderstood if direct => {
                self.reply(msg, lang, message(lang, "not-understood"), person)
            }
            Request::NotUnderstood => Outcome::default(),
        }
    }

    /// The turn of the feature the text was routed to; `None` leaves it to the booking desk
    /// and the NLU.
    #[allow(clippy::too_many_arguments)]
    fn routed_turn(
        &self,
        msg: &UserMessage,
        text: &str,
        route: &Route,
        lang: Lang,
        person: &Person,
        view: &View,
        now: DateTime<Utc>,
    ) -> Option<Outcome> {
        match (route, view) {
            (Route::Staff { command, .. }, View::Helpdesk(tickets)) => {
                self.staff_turn(msg, text, command, person, tickets, now)
            }
            (Route::Clerk { command, .. }, View::Visits(visits)) => {
                self.clerk_command_turn(msg, command, person, visits, now)
            }
            (Route::Task(list, command), View::Tasks(tasks)) => {
                Some(self.task_turn(msg, list, command, lang, person, tasks, now))
            }
            (Route::Call(command), View::Call(calls)) => {
                Some(self.call_turn(msg, *command, lang, person, calls))
            }
            (Route::Meeting(command), View::Meetings(meetings)) => {
                Some(self.meeting_turn(msg, command, lang, person, meetings, now))
            }
            (Route::Live(command), View::Live(live)) => {
                Some(self.live_turn(msg, command, lang, person, live, now))
            }
            (Route::Progress(command), View::Progress(progress)) => {
                Some(self.progress_turn(msg, command, lang, person, progress, now))
            }
            (Route::Review(command), View::Review(reviews)) => {
                Some(self.review_turn(msg, *command, lang, person, reviews, now))
            }
            (Route::Course(command), View::Learning(learning)) => {
                Some(self.course_turn(msg, command, lang, person, learning, now))
            }
            (Route::Talk { learner, .. }, View::Conversation(conversation)) => {
                self.learner_turn(msg, text, learner.as_ref(), lang, person, &conversation.learning, now)
            }
            (Route::Plain | Route::Vote(_) | Route::Directory | Route::Reaction, _) => None,
            // The store loaded another route's view: the engine's fault, answered as a failed turn.
            _ => Some(self.apology(msg, person)),
        }
    }

    /// The help: for everyone, then what the helpdesk, clerks and task lists add.
    fn help(&self, msg: &UserMessage, lang: Lang) -> String {
        let direct = msg.room_kind == RoomKind::Direct;
        let office = match (lang, &self.config.office) {
            (Lang::En, _) => self.config.office_name.clone(),
            (_, Some(office)) => office.office.genitive(),
            (_, None) => crate::booking::office::genitive_of(&self.config.office_name),
        };
        let mut help = message_with(lang, "help", &[("office", office.into())]);
        if let Some(helpdesk) = self.helpdesk() {
            help = format!("{help}\n{}", message(lang, "help-helpdesk"));
            if helpdesk.agent(&msg.sender).is_some() {
                help = format!("{help}\n{}", message(Lang::Pl, "help-staff"));
            }
        }
        let clerk = self.config.office.as_deref().is_some_and(|o| o.clerk(&msg.sender).is_some());
        if clerk {
            help = format!("{help}\n{}", message(Lang::Pl, "help-clerk"));
        }
        if clerk || !direct {
            help = format!("{help}\n{}", message(lang, "tasks-help"));
        }
        if self.config.calls && !direct {
            help = format!("{help}\n{}\n{}", message(lang, "calls-help"), message(lang, "live-help"));
        }
        help
    }

    fn helpdesk(&self) -> Option<&HelpdeskSettings> {
        self.config.office.as_deref()?.helpdesk.as_ref()
    }

    fn support_desk<'a>(&'a self, tickets: &'a HelpdeskView, now: DateTime<Utc>) -> Option<SupportDesk<'a>> {
        let office = self.config.office.as_deref()?;
        let settings = office.helpdesk.as_ref()?;
        Some(SupportDesk { settings, view: tickets, zone: office.time_zone(), now })
    }

    /// A person asked for a person: a ticket for the support team, if the office has one.
    fn hand_over(
        &self,
        msg: &UserMessage,
        lang: Lang,
        person: Person,
        tickets: &HelpdeskView,
        now: DateTime<Utc>,
    ) -> Outcome {
        let Some(desk) = self.support_desk(tickets, now) else {
            return self.reply(msg, lang, message(lang, "human-not-yet"), person);
        };
        if msg.room_kind != RoomKind::Direct {
            return self.reply(msg, lang, message(lang, "helpdesk-write-directly"), person);
        }
        let turn = desk.hand_over(&msg.sender, &msg.room_id, &person.helpdesk, lang);
        Outcome {
            actions: turn.actions,
            person: Some(Person { helpdesk: HelpdeskMemory::default(), ..person }),
            effects: turn.effects,
        }
    }

    /// "proszę o telefon 600 123 456 jutro po 14": a callback ticket, or a question for the number.
    fn callback(
        &self,
        msg: &UserMessage,
        lang: Lang,
        person: Person,
        parse: &Parse,
        tickets: &HelpdeskView,
        now: DateTime<Utc>,
    ) -> Outcome {
        let Some(desk) = self.support_desk(tickets, now) else {
            return self.reply(msg, lang, message(lang, "human-not-yet"), person);
        };
        if msg.room_kind != RoomKind::Direct {
            return self.reply(msg, lang, message(lang, "helpdesk-write-directly"), person);
        }
        let callback = parse
            .entity("phone")
            .map(|phone| Callback { phone: phone.to_owned(), when: describe_time(&parse.time, lang) });
        let asked_for_number = callback.is_none();
        let turn = desk.request_callback(&msg.sender, &msg.room_id, &person.helpdesk, lang, callback);
        let memory = match asked_for_number {
            true => HelpdeskMemory { awaiting_phone: true, ..person.helpdesk.clone() },
            false if turn.effects.is_empty() => person.helpdesk.clone(),
            false => HelpdeskMemory::default(),
        };
        Outcome {
            actions: turn.actions,
            person: Some(Person { helpdesk: memory, ..person }),
            effects: turn.effects,
        }
    }

    /// A support agent's command, or the refusal of one from anyone else.
    fn staff_turn(
        &self,
        msg: &UserMessage,
        text: &str,
        command: &StaffCommand,
        person: &Person,
        tickets: &HelpdeskView,
        now: DateTime<Utc>,
    ) -> Option<Outcome> {
        let desk = self.support_desk(tickets, now)?;
        let Some(agent) = desk.settings.agent(&msg.sender) else {
            if *command == StaffCommand::Queue {
                let (lang, _) = person.reply_language(Some(text));
                let turn = desk.own_tickets(&msg.room_id, lang);
                return Some(Outcome { actions: turn.actions, ..Outcome::default() });
            }
            let refusal = Notice::from_plain(message(Lang::Pl, "helpdesk-staff-only"));
            let actions = vec![Action::SendNotice { room_id: msg.room_id.clone(), notice: refusal }];
            return Some(Outcome { actions, ..Outcome::default() });
        };
        // The queue names citizens, and the templates' answers are staff matters: asked for in a
        // citizen's chat or anywhere else, they are said in the agent's private chat (or the
        // team's room). The figures come with a chart, and stay refused elsewhere.
        let elsewhere =
            desk.answers_staff_only(command) && !msg.private_chat && !desk.is_team_room(&msg.room_id);
        let turn = desk.staff(agent, command, &msg.room_id, msg.private_chat || elsewhere);
        let outcome = Outcome { actions: turn.actions, person: None, effects: turn.effects };
        Some(if elsewhere { said_privately(msg, Lang::Pl, outcome) } else { outcome })
    }

    /// What the NLU makes of a text, with dates relative to the office's local day.
    fn understand(&self, text: &str, now: DateTime<Utc>) -> Parse {
        let zone = self.config.office.as_deref().map_or(chrono_tz::Europe::Warsaw, Office::time_zone);
        self.config.nlu.parse(text, now.with_timezone(&zone).date_naive())
    }

    fn clerk_command_turn(
        &self,
        msg: &UserMessage,
        command: &ClerkCommand,
        person: &Person,
        view: &BookingView,
        now: DateTime<Utc>,
    ) -> Option<Outcome> {
        let office = self.config.office.as_deref()?;
        let department_room = department_of_room(office, &msg.room_id);
        let Some(clerk) = office.clerk(&msg.sender) else {
            let refusal = message(Lang::Pl, "clerk-only");
            return Some(self.reply(msg, Lang::Pl, refusal, person.clone()));
        };
        if msg.room_kind != RoomKind::Direct && department_room.is_none() {
            return Some(self.reply(msg, Lang::Pl, message(Lang::Pl, "clerk-wrong-room"), person.clone()));
        }
        let desk = ClerkDesk {
            office,
            view,
            now,
            clerk,
            department_room,
            room: &msg.room_id,
            web_url: &self.config.web_url,
        };
        let turn = desk.handle(command);
        // A clerk's own state (language, booking dialogue) is not the command's business.
        let outcome = self.outcome_of(msg, turn, None, now);
        // An agenda names citizens and an address is a key: outside the department's room they
        // are for the clerk's private chat alone.
        let personal = department_room.is_none() || matches!(command, ClerkCommand::Calendar(_));
        Some(if personal { said_privately(msg, Lang::Pl, outcome) } else { outcome })
    }

    /// The booking desk's turn, if the text is about visits or answers the booking dialogue.
    #[allow(clippy::too_many_arguments)]
    fn booking(
        &self,
        msg: &UserMessage,
        text: &str,
        parse: &Parse,
        lang: Lang,
        person: &Person,
        view: &BookingView,
        now: DateTime<Utc>,
    ) -> Option<Outcome> {
        if msg.room_kind != RoomKind::Direct {
            return None;
        }
        // Only a confident intent acts: an unsure one is asked about, never carried out.
        let request = VisitRequest::from_command(text)
            .or_else(|| parse.confident_intent().and_then(|intent| VisitRequest::from_intent(intent, text)));
        let Some(office) = self.config.office.as_deref() else {
            return request
                .map(|_| self.reply(msg, lang, message(lang, "booking-unavailable"), person.clone()));
        };
        // "wizyta odpis aktu" sits between booking and the FAQ on certificates: naming one of
        // the office's services tips it to booking, which only asks questions, never acts.
        let request = request.or_else(|| {
            let near_booking = parse.decision == Decision::Ambiguous
                && parse.ranking.iter().take(2).any(|r| r.name == "book_visit");
            (near_booking && !match_services(office, text).is_empty()).then_some(VisitRequest::Book)
        });
        let desk = Desk { office, view, lang, now, citizen: &msg.sender, room: &msg.room_id };
        let dialogue = person.dialogue.as_ref().filter(|d| !self.expired(d, now));
        let expired = person.dialogue.is_some() && dialogue.is_none();
        // "anuluj" or "stop" with no question open starts nothing, least of all a cancellation.
        if dialogue.is_none() && understand::is_bare_exit(text) {
            let person = Person { dialogue: None, ..person.clone() };
            return Some(self.reply(msg, lang, message(lang, "booking-nothing-open"), person));
        }
        let unknown = parse.confident_intent().is_none() && !text.starts_with('!');
        let turn = dialogue
            .and_then(|d| desk.answer(d, text))
            .or_else(|| request.map(|request| desk.request(request, text)))
            .or_else(|| dialogue.filter(|_| unknown).map(|d| desk.hint(d)));
        let turn = match turn {
            Some(turn) => turn,
            // An answer to a question asked too long ago: say so rather than "not understood".
            None if expired && unknown => {
                return Some(self.reply(
                    msg,
                    lang,
                    message(lang, "booking-expired"),
                    Person { dialogue: None, ..person.clone() },
                ));
            }
            None => return None,
        };
        let mut turn = turn;
        if expired {
            turn.replies.insert(0, message(lang, "booking-expired-note"));
        }
        Some(self.outcome_of(msg, turn, Some(person.clone()), now))
    }

    fn expired(&self, dialogue: &Dialogue, now: DateTime<Utc>) -> bool {
        let timeout = self.config.office.as_deref().map_or(30, |o| o.booking.dialogue_timeout);
        now - dialogue.since() >= chrono::Duration::minutes(timeout.into())
    }

    fn forget_expired_dialogue(&self, person: Person, now: DateTime<Utc>) -> Person {
        match &person.dialogue {
            Some(d) if self.expired(d, now) => Person { dialogue: None, ..person },
            _ => person,
        }
    }

    /// The actions and effects of a booking turn; with `person`, also their new state and the
    /// timeout of the dialogue the turn leaves them in.
    fn outcome_of(
        &self,
        msg: &UserMessage,
        turn: Turn,
        person: Option<Person>,
        now: DateTime<Utc>,
    ) -> Outcome {
        let mut actions: Vec<Action> = turn
            .replies
            .into_iter()
            .map(|text| Action::SendNotice { room_id: msg.room_id.clone(), notice: Notice::from_plain(text) })
            .collect();
        actions.extend(
            turn.announcements
                .into_iter()
                .map(|(room_id, text)| Action::SendNotice { room_id, notice: Notice::from_plain(text) }),
        );
        let mut effects = turn.effects;
        let Some(person) = person else {
            return Outcome { actions, person: None, effects };
        };
        if let Some(dialogue) = &turn.dialogue {
            let timeout = self.config.office.as_deref().map_or(30, |o| o.booking.dialogue_timeout);
            effects.push(Effect::Schedule {
                job: Job::Booking(BookingJob::DialogueTimeout {
                    user_id: msg.sender.clone(),
                    room_id: msg.room_id.clone(),
                    since: dialogue.since(),
                }),
                due: now + chrono::Duration::minutes(timeout.into()),
            });
        }
        Outcome { actions, person: Some(Person { dialogue: turn.dialogue, ..person }), effects }
    }

    /// The part of a message meant for the bot: all of it in a direct chat; in a group room,
    /// a `!command`, or what follows a mention of the bot.
    fn addressed_text<'a>(&self, body: &'a str, direct: bool) -> Option<&'a str> {
        let trimmed = body.trim();
        if direct || trimmed.starts_with('!') {
            return Some(trimmed);
        }
        let localpart = self.config.bot_user_id.localpart();
        let full = self.config.bot_user_id.as_str();
        [full, localpart]
            .iter()
            .find_map(|name| strip_prefix_ignoring_case(trimmed, name))
            .map(|rest| rest.trim_start_matches([':', ',', ' ']).trim())
    }

    fn mentions_bot(&self, body: &str) -> bool {
        body.contains(self.config.bot_user_id.as_str())
    }

    fn too_long(&self, lang: Lang, length: usize) -> String {
        let limit = self.config.max_message_chars;
        message_with(
            lang,
            "too-long",
            &[
                ("length", group_thousands(length, lang).into()),
                ("count", (length as i64).into()),
                ("limit", group_thousands(limit, lang).into()),
            ],
        )
    }

    fn reply(&self, msg: &UserMessage, _lang: Lang, text: String, person: Person) -> Outcome {
        let notice = Notice::from_plain(text);
        Outcome {
            actions: vec![Action::SendNotice { room_id: msg.room_id.clone(), notice }],
            person: Some(person),
            effects: Vec::new(),
        }
    }
}

fn classify<'a>(text: &'a str, parse: &'a Parse) -> Request<'a> {
    if let Some(rest) = text.trim().strip_prefix('!') {
        let mut parts = rest.splitn(2, char::is_whitespace);
        let command = parts.next().unwrap_or_default();
        let argument = parts.next().unwrap_or_default().trim();
        return match fold_diacritics(&command.to_lowercase()).as_str() {
            "pomoc" | "help" | "menu" | "start" => Request::Help,
            "jezyk" | "lang" | "language" => Request::SetLanguage(Lang::parse(argument), argument),
            _ => Request::UnknownCommand(text.split_whitespace().next().unwrap_or("!")),
        };
    }
    if let Some(lang) = language_phrase(text) {
        return Request::SetLanguage(Some(lang), "");
    }
    if asks_for_person(text) {
        return Request::Human;
    }
    match parse.decision {
        Decision::Confident => intent_request(&parse.intent.name),
        Decision::Ambiguous => Request::Unclear(&parse.ranking[0].name, &parse.ranking[1].name),
        Decision::Unsure => Request::NotUnderstood,
    }
}

/// The deletion of old tickets on `day`, at 3 in the morning, when nobody works.
fn retention_job(office: &Office, day: chrono::NaiveDate) -> Effect {
    let three = day.and_hms_opt(3, 0, 0).expect("3:00 exists");
    let due = three
        .and_local_timezone(office.time_zone())
        .earliest()
        .map_or_else(|| three.and_utc(), |t| t.with_timezone(&Utc));
    Effect::Schedule { job: Job::Helpdesk(HelpdeskJob::TicketRetention { day }), due }
}

/// The person's conversation as a ticket would need it, after this request.
fn remember(person: Person, request: &Request<'_>) -> Person {
    let mut memory = person.helpdesk.clone();
    // The topic is what the person talks about now: a question the bot could not answer, or a
    // move to other matters, leaves no earlier answer's topic for a ticket opened next.
    match request {
        Request::NotUnderstood => {
            memory.unclear_in_a_row = memory.unclear_in_a_row.saturating_add(1);
            memory.topic = None;
        }
        Request::Faq(intent) => {
            memory.topic = Some((*intent).to_owned());
            memory.unclear_in_a_row = 0;
        }
        Request::Human | Request::Callback | Request::Thanks | Request::Greeting | Request::Unclear(..) => {
            memory.unclear_in_a_row = 0;
        }
        _ => {
            memory.unclear_in_a_row = 0;
            memory.topic = None;
        }
    }
    if *request != Request::Callback {
        memory.awaiting_phone = false;
    }
    Person { helpdesk: memory, ..person }
}

/// "nie pomogło", "konsultant": asking for a person in so many words.
fn asks_for_person(text: &str) -> bool {
    let folded = fold_diacritics(&normalize(text));
    let words = folded.trim_end_matches(['!', '.', '?', ' ']);
    matches!(
        words,
        "nie pomoglo"
            | "to nie pomoglo"
            | "nic nie pomoglo"
            | "nie pomoglo to"
            | "konsultant"
            | "konsultanta"
            | "czlowiek"
            | "z czlowiekiem"
            | "didn t help"
            | "did not help"
            | "it didn t help"
            | "that didn t help"
            | "agent"
            | "human"
    )
}

fn intent_request(intent: &str) -> Request<'_> {
    match intent {
        "help" => Request::Help,
        "greet" => Request::Greeting,
        "thanks" => Request::Thanks,
        "human" => Request::Human,
        "callback" => Request::Callback,
        "tasks" => Request::Tasks,
        "courses" => Request::Courses,
        "out_of_scope" => Request::OutOfScope,
        faq if faq.starts_with("faq/") => Request::Faq(faq),
        // Booking intents reach here only without an office file, which the booking turn answers.
        _ => Request::NotUnderstood,
    }
}

/// "po polsku", "english please": asking for a language in words rather than with `!język`.
fn language_phrase(text: &str) -> Option<Lang> {
    let folded = fold_diacritics(&normalize(text));
    match folded.trim_end_matches(['!', '.', '?', ' ']) {
        "po polsku" | "po polsku prosze" | "polski" => Some(Lang::Pl),
        "english" | "in english" | "english please" | "po angielsku" | "speak english" => Some(Lang::En),
        _ => None,
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    format!("{cut}…")
}

/// Writes 65536 as "65 536" in Polish (a non-breaking space; four-digit numbers stay whole, as
/// Polish typography has it) and as "65,536" in English.
fn group_thousands(n: usize, lang: Lang) -> String {
    let digits = n.to_string();
    if lang != Lang::En && digits.len() <= 4 {
        return digits;
    }
    let separator = if lang == Lang::En { ',' } else { '\u{a0}' };
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

/// An outcome whose replies in the message's room are for the sender's eyes only: unless the
/// room is their private chat, they go there instead (the bot opens one if need be), and the
/// room is told where the answer went.
fn said_privately(msg: &UserMessage, lang: Lang, mut outcome: Outcome) -> Outcome {
    if msg.private_chat {
        return outcome;
    }
    let mut moved = false;
    for action in &mut outcome.actions {
        if let Action::SendNotice { room_id, notice } = action
            && *room_id == msg.room_id
        {
            let message = crate::learning::DirectMessage::Notice(notice.clone());
            *action = Action::Direct { user_id: msg.sender.clone(), message };
            moved = true;
        }
    }
    if moved {
        // Named, because others in the room read it too: a citizen must not take it for theirs.
        let person = msg.sender.to_string();
        let notice =
            Notice::from_plain(message_with(lang, "private-reply-sent", &[("person", person.into())]));
        outcome.actions.insert(0, Action::SendNotice { room_id: msg.room_id.clone(), notice });
    }
    outcome
}

pub(crate) mod route;
#[cfg(test)]
mod tests;

/// `text` after `prefix`, compared letter by letter without case. Lower-casing the whole text
/// first would not do: it can change a letter's length in bytes (the Kelvin sign "K" becomes
/// "k"), and the cut would then fall inside a character.
fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let mut rest = text.char_indices();
    for wanted in prefix.chars() {
        let (_, got) = rest.next()?;
        if !got.to_lowercase().eq(wanted.to_lowercase()) {
            return None;
        }
    }
    Some(rest.next().map_or("", |(at, _)| &text[at..]))
}
