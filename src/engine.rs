//! The driver around the pure bots: it feeds them inputs with the person's stored state, commits
//! their outcome to the store, and delivers the decided actions to the homeserver.

use std::{panic::AssertUnwindSafe, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use futures_util::{FutureExt, TryStreamExt};
use rand::{Rng, distr::Alphanumeric};
use szpon_bots::{
    Action, Clock, ConversationView, Input, MessageContent, OfficeBot, Outcome, PollTarget, RoomKind, Route,
    UserMessage, View,
    booking::{BookingView, CODE_ALPHABET, CODE_LENGTH, Feed},
    courses::CourseCommand,
    helpdesk::HelpdeskView,
    learning::{CourseFile, CourseNamed, CourseRoomAction, LearningView, find_course},
    tasks::{TaskCommand, TaskList, TasksView},
};
use szpon_course_engine::AttachmentKind;
use szpon_homeserver_bridge::{Homeserver, HomeserverError, Inbound, Media};
use tokio::sync::{Notify, mpsc};

use crate::{
    config::OutboxConfig,
    metrics::Metrics,
    store::{Commit, DueJob, NewAction, PendingAction, Store, StoreError, booking::JobOutcome, new_txn_id},
    supervision::{Heartbeat, Heartbeats},
};

/// How often a booking is retried with a fresh code when the drawn one is taken.
const CODE_ATTEMPTS: usize = 5;

/// Why an action is retried later: backoff doubles per attempt, up to five minutes.
fn retry_delay(attempts: i64) -> chrono::Duration {
    let seconds = 1i64 << attempts.clamp(0, 8);
    chrono::Duration::seconds(seconds.min(300))
}

/// How long an action that keeps failing for transient reasons (the homeserver down) is
/// retried before it is given up, by default: a day covers a night's outage.
pub const DEFAULT_GIVE_UP_AFTER: Duration = Duration::from_secs(24 * 3600);
/// How long a loop may go without a heartbeat before `/healthz` calls it stuck. Each loop beats
/// at least every [`BEAT_EVERY`] while idle, and after each piece of work.
const LOOP_SILENCE: Duration = Duration::from_secs(120);
const BEAT_EVERY: Duration = Duration::from_secs(5);
/// The longest wait between two tries of an input while the database is unreachable.
const MAX_STORE_BACKOFF: Duration = Duration::from_secs(30);
/// Outbox actions read at a time.
const DELIVERY_BATCH: usize = 200;
/// Rooms sent to at once unless configured. A send waits for the homeserver to store the event
/// (about a second for a Synapse under load), so this bounds the answers a second: at 8 the
/// soak's bot answered ten times slower than the homeserver relayed, at 32 about as fast
/// (BENCHMARKS.md). A homeserver that cannot take more is slower for everyone either way.
pub const DEFAULT_CONCURRENT_LANES: usize = 32;

pub struct Engine {
    store: Store,
    bot: OfficeBot,
    clock: Arc<dyn Clock>,
    metrics: Metrics,
    outbox_ready: Notify,
    /// Taken by each of the outbox's store calls (see [`Engine::one_at_a_time`]).
    outbox_store: tokio::sync::Mutex<()>,
    heartbeats: Heartbeats,
    give_up_after: chrono::Duration,
    /// Rooms the outbox sends to at once.
    concurrent_lanes: usize,
    /// Video calls, when the office has a video gateway.
    calls: std::sync::OnceLock<Arc<crate::calls::Calls>>,
}

impl Engine {
    pub fn new(store: Store, bot: OfficeBot, clock: Arc<dyn Clock>, metrics: Metrics) -> Arc<Self> {
        let outbox = OutboxConfig {
            give_up_after_hours: DEFAULT_GIVE_UP_AFTER.as_secs() / 3600,
            concurrent_rooms: DEFAULT_CONCURRENT_LANES,
        };
        Self::with_settings(store, bot, clock, metrics, Heartbeats::default(), &outbox)
    }

    /// An engine whose loops beat `heartbeats`, and whose outbox sends to `concurrent_rooms`
    /// rooms at once and gives an action up when it has failed for `give_up_after_hours`.
    pub fn with_settings(
        store: Store,
        bot: OfficeBot,
        clock: Arc<dyn Clock>,
        metrics: Metrics,
        heartbeats: Heartbeats,
        outbox: &OutboxConfig,
    ) -> Arc<Self> {
        let give_up_after =
            chrono::Duration::from_std(outbox.give_up_after()).unwrap_or(chrono::Duration::MAX);
        Arc::new(Self {
            store,
            bot,
            clock,
            metrics,
            outbox_ready: Notify::new(),
            outbox_store: tokio::sync::Mutex::new(()),
            heartbeats,
            give_up_after,
            concurrent_lanes: outbox.concurrent_rooms.max(1),
            calls: std::sync::OnceLock::new(),
        })
    }

    /// Carries out call decisions with `calls` from now on (without, a call command is told that
    /// the office has no video calls).
    pub fn set_calls(&self, calls: Arc<crate::calls::Calls>) {
        let _ = self.calls.set(calls);
    }

    /// Handles one input: at most once per event, all of its outcome stored or none of it.
    pub async fn process(&self, input: &Input) -> Result<(), StoreError> {
        self.process_with(input, None).await
    }

    /// Handles one input, fetching from `files` the file it replies to where its command needs
    /// the content (a trainer's `!kurs opublikuj`).
    pub async fn process_with(
        &self,
        input: &Input,
        files: Option<&dyn Homeserver>,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        if let Some(event_id) = input.event_id()
            && self.store.is_processed(event_id).await?
        {
            self.metrics.duplicates_skipped.inc();
            return Ok(());
        }
        let route = self.bot.route(input, now);
        let with_file = match files {
            Some(files) => self.with_replied_file(input, &route, files).await,
            None => None,
        };
        let input = with_file.as_ref().unwrap_or(input);
        let with_privacy = self.with_privacy(input).await?;
        let input = with_privacy.as_ref().unwrap_or(input);
        let person = self.store.person(input.sender(), now).await?;
        let mut attempt = 0;
        let committed = loop {
            let view = self.view_for(input, &route, now).await?;
            let outcome = self.bot.decide(input, &route, &person, &view, now);
            match self.commit(input, outcome, now).await {
                // A code or ticket number drawn twice, or a ticket another agent claimed first:
                // decide again on a fresh view (which then says who was quicker).
                Err(StoreError::CodeTaken | StoreError::TicketChanged | StoreError::TaskChanged)
                    if attempt + 1 < CODE_ATTEMPTS =>
                {
                    attempt += 1
                }
                Err(StoreError::SlotTaken) => {
                    // Someone else's booking of the same time committed first: say so, with
                    // fresh offers.
                    self.metrics.errors.with_label_values(&["slot_taken"]).inc();
                    let view = self.view_for(input, &route, now).await?;
                    let outcome = self.bot.handle_slot_taken(input, &person, &view, now);
                    break self.commit(input, outcome, now).await?;
                }
                result => break result?,
            }
        };
        if committed {
            self.metrics.events_handled.with_label_values(&[input_kind(input)]).inc();
        } else {
            self.metrics.duplicates_skipped.inc();
        }
        Ok(())
    }

    /// The input with the content of the file it replies to, if its command needs it and the
    /// sender may use it. Fetched here, off the sync, and capped while it streams.
    async fn with_replied_file(&self, input: &Input, route: &Route, files: &dyn Homeserver) -> Option<Input> {
        let file = self.bot.replied_file_needed(input, route)?;
        let fetched = files.download(file, file.limit()).await;
        let mut input = input.clone();
        let Input::Message(message) = &mut input else { return None };
        let replied = message.in_reply_to.as_mut()?;
        match fetched {
            Ok(Some(bytes)) => match replied.file.as_deref().map(szpon_bots::RepliedFile::kind) {
                Some(szpon_bots::FileKind::Package) => replied.file_package = Some(bytes),
                _ => replied.file_text = String::from_utf8(bytes).ok(),
            },
            Ok(None) => {}
            Err(HomeserverError::Unavailable(error)) => {
                tracing::warn!(%error, "a replied-to file could not be fetched");
                replied.file_unavailable = true;
            }
            Err(error) => tracing::warn!(%error, "a replied-to file was refused"),
        }
        Some(input)
    }

    /// A message from a one-to-one encrypted room, marked as from the sender's private chat if
    /// the store knows the room as one; `None` if nothing changes. The bridge's word is not
    /// taken for it: only the store knows which rooms were opened with `is_direct`.
    async fn with_privacy(&self, input: &Input) -> Result<Option<Input>, StoreError> {
        let Input::Message(message) = input else { return Ok(None) };
        let private = message.room_kind == RoomKind::Direct
            && message.room_encrypted
            && self.store.is_private_chat(&message.room_id, &message.sender).await?;
        if private == message.private_chat {
            return Ok(None);
        }
        let mut marked = message.clone();
        marked.private_chat = private;
        Ok(Some(Input::Message(marked)))
    }

    async fn commit(&self, input: &Input, outcome: Outcome, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let actions: Vec<NewAction> =
            outcome.actions.into_iter().map(|action| NewAction { txn_id: new_txn_id(), action }).collect();
        let event = event_of(input);
        let direct_room = private_chat_to_record(input, &actions);
        let commit = Commit {
            event,
            user_id: input.sender(),
            person: outcome.person.as_ref(),
            actions: &actions,
            effects: &outcome.effects,
            direct_room,
        };
        let committed = self.store.commit(&commit, now).await?;
        if committed && !actions.is_empty() {
            self.outbox_ready.notify_one();
        }
        Ok(committed)
    }

    /// What the feature `route` names reads from the store for this input: one place, one
    /// match. The randomness a turn may use (a visit code, a feed token) is drawn here too.
    async fn view_for(&self, input: &Input, route: &Route, now: DateTime<Utc>) -> Result<View, StoreError> {
        let Input::Message(message) = input else { return self.event_view(input.sender(), route).await };
        Ok(match route {
            Route::Staff { command, stats_since } => {
                View::Helpdesk(self.store.helpdesk_view(message, Some(command), *stats_since).await?)
            }
            Route::Clerk { from_clerk: true, days, .. } => {
                View::Visits(self.clerk_view(&message.sender, *days, now).await?)
            }
            Route::Task(list, command) => View::Tasks(self.tasks_view(message, list, command, now).await?),
            Route::Call(_) => View::Call(self.store.calls_view(&message.room_id).await?),
            Route::Meeting(command) => {
                View::Meetings(self.store.meetings_view(&message.room_id, command, now).await?)
            }
            Route::Live(command) => View::Live(self.store.live_view(&message.room_id, command, now).await?),
            Route::Progress(command) => {
                View::Progress(Box::new(self.store.progress_view(&message.sender, command, now).await?))
            }
            Route::Review(_) => View::Review(Box::new(self.store.review_view(&message.sender).await?)),
            Route::Course(command) => View::Learning(self.course_view(message, command).await?),
            Route::Talk { direct: true, .. } => {
                View::Conversation(Box::new(self.conversation_view(message, route, now).await?))
            }
            _ => View::empty_for(route),
        })
    }

    /// What a vote or a membership change reads.
    async fn event_view(&self, sender: &ruma::UserId, route: &Route) -> Result<View, StoreError> {
        Ok(match route {
            Route::Vote(PollTarget::Rating { ticket, .. }) => View::Helpdesk(HelpdeskView {
                named: self.store.ticket(*ticket).await?,
                ..HelpdeskView::default()
            }),
            Route::Vote(PollTarget::Lesson) => View::Learning(self.store.learning_view(sender, false).await?),
            Route::Vote(PollTarget::Review(_)) => {
                View::Review(Box::new(self.store.review_view(sender).await?))
            }
            Route::Directory => View::Learning(LearningView {
                directory: self.store.directory().await?,
                directory_sources: self.store.directory_sources().await?,
                all_courses: self.store.courses_with_enrolments().await?,
                ..LearningView::default()
            }),
            _ => View::empty_for(route),
        })
    }

    /// A task command's list, and what the command reads besides: the file or the visit a new
    /// task is made from, the room's documents, the feeds a `!kalendarz` shows.
    async fn tasks_view(
        &self,
        message: &UserMessage,
        list: &TaskList,
        command: &TaskCommand,
        now: DateTime<Utc>,
    ) -> Result<TasksView, StoreError> {
        let mut view = self.store.tasks_view(list, command, &message.sender, now).await?;
        match (command, &message.in_reply_to) {
            (TaskCommand::Add(_), Some(replied)) => {
                view.replied_file = self.store.document(&message.room_id, &replied.event_id).await?;
                view.replied_visit = self.replied_visit(replied.bot_text.as_deref()).await?;
            }
            (TaskCommand::Documents, _) => {
                view.documents = self.store.document_register(&message.room_id).await?;
            }
            (TaskCommand::Calendar(_), _) => {
                let feed = match list {
                    TaskList::Personal(user) => Feed::Person(user.clone()),
                    TaskList::Room(room) => Feed::Room(room.clone()),
                };
                view.feeds_held = self.store.feeds_held(&message.sender, &[feed]).await?;
                view.new_token = new_feed_token();
            }
            _ => {}
        }
        Ok(view)
    }

    /// What a trainer's command reads: the course it publishes or names, or a new editor token.
    async fn course_view(
        &self,
        message: &UserMessage,
        command: &CourseCommand,
    ) -> Result<LearningView, StoreError> {
        match command {
            CourseCommand::Publish => {
                let replied = message.in_reply_to.as_ref();
                let packaged = replied
                    .and_then(|r| r.file_package.as_deref())
                    .and_then(|bytes| szpon_course_engine::read_package(bytes).ok())
                    .map(|package| package.source);
                let source = packaged.as_deref().or(replied.and_then(|r| r.file_text.as_deref()));
                match source.map(szpon_course_engine::parse_course) {
                    Some(Ok(course)) => self.store.publication_view(&course.id).await,
                    _ => Ok(LearningView::default()),
                }
            }
            CourseCommand::Migrate(id) | CourseCommand::Export(id) => self.store.publication_view(id).await,
            CourseCommand::Editor => {
                Ok(LearningView { new_token: new_feed_token(), ..LearningView::default() })
            }
            CourseCommand::Results(id) | CourseCommand::SurveyResults(id) => {
                // The trainer may name the course by its title or a part of it.
                let catalogue = self.store.learning_view(&message.sender, true).await?.catalogue;
                let id = match find_course(catalogue.iter().map(|c| c.course.as_ref()), id) {
                    CourseNamed::One(course) => course.id.clone(),
                    CourseNamed::Several(_) | CourseNamed::NotFound => id.clone(),
                };
                // The catalogue stays in the view: when several courses fit, the trainer is
                // asked which.
                Ok(LearningView {
                    report: self.store.course_report(&id).await?,
                    catalogue,
                    ..LearningView::default()
                })
            }
            CourseCommand::Unknown(_) => Ok(LearningView::default()),
        }
    }

    /// The visit the bot's own message names, if it names exactly one: the message was posted
    /// in the room the reply comes from, so whoever replies has already seen the visit.
    async fn replied_visit(
        &self,
        bot_text: Option<&str>,
    ) -> Result<Option<szpon_bots::booking::Visit>, StoreError> {
        match bot_text.and_then(szpon_bots::tasks::visit_followed_up) {
            Some(code) => self.store.visit(&code).await,
            None => Ok(None),
        }
    }

    /// A text in a direct chat, which any desk may take: the writer's visits and the time held,
    /// their tickets, and their courses.
    async fn conversation_view(
        &self,
        message: &UserMessage,
        route: &Route,
        now: DateTime<Utc>,
    ) -> Result<ConversationView, StoreError> {
        let mut view = ConversationView::default();
        if let Some(office) = self.bot.config().office.as_deref() {
            view.visits = self.visits_view(&message.sender, office, now).await?;
            if office.helpdesk.is_some() {
                view.helpdesk = self.store.helpdesk_view(message, None, None).await?;
            }
        }
        view.learning = self.store.learning_view(&message.sender, route.wants_catalogue()).await?;
        Ok(view)
    }

    /// A clerk's command: the time held, their feeds, and the visits of the days it is about.
    async fn clerk_view(
        &self,
        clerk_id: &ruma::UserId,
        days: Option<szpon_bots::booking::clerk::Span>,
        now: DateTime<Utc>,
    ) -> Result<BookingView, StoreError> {
        let Some(office) = self.bot.config().office.as_deref() else { return Ok(BookingView::default()) };
        let Some(clerk) = office.clerk(clerk_id) else { return Ok(BookingView::default()) };
        let mut view = self.visits_view(clerk_id, office, now).await?;
        if let Some((from, until)) = days {
            view.agenda = self.store.visits_starting(from, until).await?;
        }
        let mut feeds = vec![Feed::Person(clerk.user_id.clone())];
        feeds.extend(clerk.departments.iter().cloned().map(Feed::Department));
        view.feeds_held = self.store.feeds_held(clerk_id, &feeds).await?;
        Ok(view)
    }

    /// The time held within the booking window, and `user`'s own visits to come.
    async fn visits_view(
        &self,
        user: &ruma::UserId,
        office: &szpon_bots::booking::Office,
        now: DateTime<Utc>,
    ) -> Result<BookingView, StoreError> {
        let until = now + chrono::Duration::days(i64::from(office.booking.window_days) + 2);
        Ok(BookingView {
            busy: self.store.busy_between(now, until).await?,
            extra_exceptions: self.store.extra_exceptions().await?,
            own_visits: self.store.upcoming_visits_of(user, now).await?,
            new_code: new_visit_code(),
            new_token: new_feed_token(),
            ..BookingView::default()
        })
    }

    /// Schedules the jobs that must always wait (the daily deletion of old tickets); at each
    /// start, since scheduling a job twice is harmless.
    pub async fn schedule_standing_jobs(&self) -> Result<(), StoreError> {
        let effects = self.bot.standing_jobs(self.clock.now());
        if effects.is_empty() {
            return Ok(());
        }
        self.store.apply_effects(&effects, self.clock.now()).await
    }

    /// Runs the jobs due now; returns them.
    pub async fn run_due_jobs(&self) -> Result<Vec<DueJob>, StoreError> {
        let now = self.clock.now();
        let fired = self
            .store
            .run_due_jobs(now, 500, |job, context| {
                let outcome = self.decide_job(job, context, now);
                let actions = outcome
                    .actions
                    .iter()
                    .map(|a| NewAction { txn_id: new_txn_id(), action: a.clone() })
                    .collect();
                JobOutcome { outcome, actions }
            })
            .await?;
        for job in &fired {
            let lateness = (now - job.due_at).num_milliseconds().max(0) as f64 / 1000.0;
            self.metrics.job_lateness.observe(lateness);
        }
        if !fired.is_empty() {
            self.outbox_ready.notify_one();
        }
        Ok(fired)
    }

    /// The bot's decision on a job; a job whose decision panics is done with nothing said,
    /// rather than claimed again forever.
    fn decide_job(
        &self,
        job: &szpon_bots::Job,
        context: &szpon_bots::JobContext,
        now: DateTime<Utc>,
    ) -> Outcome {
        match std::panic::catch_unwind(AssertUnwindSafe(|| self.bot.handle_job(job, context, now))) {
            Ok(outcome) => outcome,
            Err(_) => {
                self.metrics.turns_failed.with_label_values(&["job"]).inc();
                tracing::error!(job = %job.key(now), "a job's decision panicked; the job is set aside");
                Outcome::default()
            }
        }
    }

    /// Runs jobs as they fall due, forever.
    pub async fn run_jobs(self: Arc<Self>) {
        let heartbeat = self.heartbeats.register("jobs", LOOP_SILENCE);
        loop {
            heartbeat.beat();
            let ran = match self.run_due_jobs().await {
                Ok(fired) => fired.len(),
                Err(error) => {
                    self.metrics.errors.with_label_values(&["store"]).inc();
                    tracing::error!(%error, "jobs unavailable");
                    0
                }
            };
            if ran == 0 {
                tokio::time::sleep(self.time_to_next_job().await).await;
            }
        }
    }

    pub async fn time_to_next_job(&self) -> Duration {
        // Short naps: the clock may jump (tests), and another process may add earlier jobs.
        let nap = Duration::from_millis(250);
        match self.store.next_job_due().await {
            Ok(Some(at)) => (at - self.clock.now()).to_std().unwrap_or(Duration::ZERO).min(nap),
            _ => nap,
        }
    }

    /// Consumes inputs until the channel closes; files that commands need come from `files`.
    /// Each sync point is saved once the inputs before it are handled, so that a restart after
    /// a crash sees again exactly what was not yet committed.
    pub async fn run_inputs(
        self: Arc<Self>,
        mut inputs: mpsc::Receiver<Inbound>,
        files: Arc<dyn Homeserver>,
    ) {
        let heartbeat = self.heartbeats.register("inputs", LOOP_SILENCE);
        loop {
            heartbeat.beat();
            match tokio::time::timeout(BEAT_EVERY, inputs.recv()).await {
                Ok(Some(Inbound::Input(input))) => {
                    self.handle_input(&input, &heartbeat, Some(files.as_ref())).await
                }
                Ok(Some(Inbound::Synced(point))) => {
                    if let Err(error) = point.save() {
                        // Only costs events seen again after a crash, which are answered once.
                        tracing::warn!(%error, "could not save the sync point");
                    }
                }
                Ok(None) => return,
                Err(_idle) => {}
            }
        }
    }

    /// Handles one input whatever happens: while the database is unreachable it is held and
    /// tried again (and the inputs behind it wait, so none overtakes it); a turn that panics,
    /// or fails for another reason, is set aside with an apology, so that it is never retried
    /// forever and never holds anyone else up.
    pub async fn handle_input(&self, input: &Input, heartbeat: &Heartbeat, files: Option<&dyn Homeserver>) {
        let mut backoff = Duration::from_millis(200);
        loop {
            let started = std::time::Instant::now();
            match AssertUnwindSafe(self.process_with(input, files)).catch_unwind().await {
                Ok(Ok(())) => return self.metrics.turn_duration.observe(started.elapsed().as_secs_f64()),
                Ok(Err(error)) if error.is_unavailable() => {
                    self.metrics.errors.with_label_values(&["store_unavailable"]).inc();
                    tracing::warn!(%error, retry_in = ?backoff, "the database is unreachable; the event is held");
                    heartbeat.beat();
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_STORE_BACKOFF);
                }
                Ok(Err(error)) => {
                    tracing::error!(%error, "a turn failed in the store");
                    return self.set_aside(input, "store").await;
                }
                Err(_panic) => return self.set_aside(input, "panic").await,
            }
        }
    }

    /// Records an input whose turn failed as handled, with the bot's apology where it was
    /// addressed to the bot. Its text is never logged.
    async fn set_aside(&self, input: &Input, reason: &'static str) {
        self.metrics.turns_failed.with_label_values(&[reason]).inc();
        tracing::error!(
            reason,
            kind = input_kind(input),
            event_id = ?input.event_id(),
            sender = %input.sender(),
            "a turn failed; the input is set aside"
        );
        let person = self.store.person(input.sender(), self.clock.now()).await.unwrap_or_default();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| self.bot.handle_failure(input, &person)))
            .unwrap_or_default();
        // Recorded straight in the store: `commit` asks the bot about the input, and the bot is
        // what just failed on it.
        let actions: Vec<NewAction> =
            outcome.actions.into_iter().map(|action| NewAction { txn_id: new_txn_id(), action }).collect();
        let recorded = self
            .store
            .commit_outcome(event_of(input), input.sender(), None, &actions, self.clock.now())
            .await;
        match recorded {
            Ok(true) if !actions.is_empty() => self.outbox_ready.notify_one(),
            Ok(_) => {}
            Err(error) => tracing::error!(%error, "could not record a failed turn"),
        }
    }

    /// Carries out stored actions forever, in order within each lane, retrying those the
    /// homeserver could not take yet. Up to `concurrent_rooms` lanes are delivered at once,
    /// and a lane that finishes makes room for the next at once: a slow room never holds up the
    /// others' answers. When `homeserver_ready` turns true again after an outage, what was
    /// postponed is due at once, rather than after its backoff (up to five minutes).
    pub async fn run_outbox(
        self: Arc<Self>,
        homeserver: Arc<dyn Homeserver>,
        mut homeserver_ready: tokio::sync::watch::Receiver<bool>,
    ) {
        let heartbeat = self.heartbeats.register("outbox", LOOP_SILENCE);
        let mut watching = Self::first_sync(&mut homeserver_ready, &heartbeat).await;
        let mut in_flight = tokio::task::JoinSet::new();
        let mut busy = InFlight::default();
        loop {
            heartbeat.beat();
            let free = self.concurrent_lanes.saturating_sub(in_flight.len());
            if free > 0 {
                for lane in self.due_lanes(&busy, free).await {
                    let engine = Arc::clone(&self);
                    let homeserver = Arc::clone(&homeserver);
                    let ids = lane.iter().map(|pending| pending.id).collect();
                    let key = lane.first().map(|pending| pending.lane.clone()).unwrap_or_default();
                    let task =
                        in_flight.spawn(async move { engine.deliver_lane(homeserver.as_ref(), lane).await });
                    busy.start(task.id(), key, ids);
                }
            }
            let idle_for = if in_flight.is_empty() { self.time_to_next_due().await } else { BEAT_EVERY };
            tokio::select! {
                Some(finished) = in_flight.join_next_with_id() => self.lane_finished(&mut busy, finished),
                _ = self.outbox_ready.notified(), if in_flight.len() < self.concurrent_lanes => {}
                _ = tokio::time::sleep(idle_for), if in_flight.is_empty() => {}
                changed = homeserver_ready.changed(), if watching => match changed {
                    Ok(()) if *homeserver_ready.borrow_and_update() => self.homeserver_is_back().await,
                    Ok(()) => {}
                    Err(_closed) => watching = false,
                },
            }
        }
    }

    /// Waits for the bridge's first sync after a start; false if the bridge is gone. Until then
    /// the bot's device lists are stale: an encrypted send would wait on key queries that only
    /// the sync sends, and many sends at once held the first sync up past a minute after a
    /// kill -9 with a backlog (the drill).
    async fn first_sync(
        homeserver_ready: &mut tokio::sync::watch::Receiver<bool>,
        heartbeat: &Heartbeat,
    ) -> bool {
        while !*homeserver_ready.borrow_and_update() {
            heartbeat.beat();
            if let Ok(Err(_closed)) = tokio::time::timeout(BEAT_EVERY, homeserver_ready.changed()).await {
                return false;
            }
        }
        true
    }

    /// Frees a delivered lane, so that its next actions can go.
    fn lane_finished(
        &self,
        busy: &mut InFlight,
        finished: Result<(tokio::task::Id, Result<(), StoreError>), tokio::task::JoinError>,
    ) {
        let (task, result) = match finished {
            Ok((task, result)) => (task, result.map_err(|error| error.to_string())),
            Err(join_error) => (join_error.id(), Err(format!("the lane's task stopped: {join_error}"))),
        };
        busy.finish(task);
        if let Err(error) = result {
            self.metrics.errors.with_label_values(&["store"]).inc();
            tracing::error!(%error, "outbox unavailable");
        }
    }

    /// Up to `free` lanes with actions due now, none of them being delivered already.
    async fn due_lanes(&self, busy: &InFlight, free: usize) -> Vec<Vec<PendingAction>> {
        let lanes: Vec<&str> = busy.lanes().collect();
        let due =
            self.one_at_a_time(self.store.due_actions_outside(self.clock.now(), DELIVERY_BATCH, &lanes));
        match due.await {
            Ok(due) => Self::lanes(due).into_iter().filter(|lane| !busy.holds_any(lane)).take(free).collect(),
            Err(error) => {
                self.metrics.errors.with_label_values(&["store"]).inc();
                tracing::error!(%error, "outbox unavailable");
                Vec::new()
            }
        }
    }

    /// Runs one of the outbox's store calls. Lanes send to many rooms at once, but reach the
    /// store one at a time: the outbox holds at most one pooled connection, and the turns, the
    /// jobs and `/healthz` keep the rest (with 32 lanes on four SQLite connections, a restart
    /// with a backlog starved them all).
    async fn one_at_a_time<T>(&self, work: impl Future<Output = T>) -> T {
        let _turn = self.outbox_store.lock().await;
        work.await
    }

    async fn homeserver_is_back(&self) {
        match self.one_at_a_time(self.store.postponed_due_now(self.clock.now())).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "the homeserver answers again; postponed actions go now"),
            Err(error) => tracing::error!(%error, "could not bring postponed actions forward"),
        }
    }

    async fn time_to_next_due(&self) -> Duration {
        let now = self.clock.now();
        match self.one_at_a_time(self.store.next_due()).await {
            Ok(Some(at)) if at > now => {
                (at - now).to_std().unwrap_or(Duration::from_secs(1)).min(Duration::from_secs(5))
            }
            Ok(Some(_)) => Duration::from_millis(50),
            _ => Duration::from_secs(5),
        }
    }

    /// Delivers the actions due now; returns how many were tried.
    pub async fn deliver_due(&self, homeserver: &dyn Homeserver) -> Result<usize, StoreError> {
        let due = self.one_at_a_time(self.store.due_actions(self.clock.now(), DELIVERY_BATCH)).await?;
        let count = due.len();
        let lanes = Self::lanes(due);
        futures_util::stream::iter(lanes.into_iter().map(Ok))
            .try_for_each_concurrent(self.concurrent_lanes, |lane| self.deliver_lane(homeserver, lane))
            .await?;
        self.metrics.outbox_pending.set(self.one_at_a_time(self.store.pending_count()).await?);
        Ok(count)
    }

    /// Groups due actions by lane (see [`Store::lane`]), each lane in the order queued.
    fn lanes(due: Vec<PendingAction>) -> Vec<Vec<PendingAction>> {
        let mut lanes: Vec<Vec<PendingAction>> = Vec::new();
        let mut lane_of = std::collections::HashMap::<String, usize>::new();
        for pending in due {
            let index = *lane_of.entry(pending.lane.clone()).or_insert_with(|| {
                lanes.push(Vec::new());
                lanes.len() - 1
            });
            lanes[index].push(pending);
        }
        lanes
    }

    /// Delivers one lane in order; a postponed action holds back the rest of its lane.
    async fn deliver_lane(
        &self,
        homeserver: &dyn Homeserver,
        lane: Vec<PendingAction>,
    ) -> Result<(), StoreError> {
        for pending in &lane {
            let result = match AssertUnwindSafe(self.deliver_one(homeserver, pending)).catch_unwind().await {
                Ok(result) => result?,
                Err(_panic) => {
                    self.metrics.turns_failed.with_label_values(&["delivery"]).inc();
                    Err(HomeserverError::Refused("delivering this action panicked".to_owned()))
                }
            };
            if !self.settle(pending, result).await? {
                break;
            }
        }
        Ok(())
    }

    /// Carries out one action, in the person's direct chat or the course's room where it goes
    /// there.
    async fn deliver_one(
        &self,
        homeserver: &dyn Homeserver,
        pending: &PendingAction,
    ) -> Result<Result<(), HomeserverError>, StoreError> {
        Ok(match &pending.action {
            Action::Direct { user_id, message } => match self.direct_room(homeserver, user_id).await? {
                Ok(room_id) => self.perform(homeserver, &message.in_room(room_id), &pending.txn_id).await?,
                Err(error) => Err(error),
            },
            Action::CourseRoom { course_id, action } => {
                self.course_room(homeserver, course_id, action, &pending.txn_id).await?
            }
            Action::Call { room_id, call } => match self.calls.get() {
                Some(calls) => calls.deliver(homeserver, room_id, call, &pending.txn_id).await?,
                None => {
                    let lang = call.lang();
                    let notice = Action::SendNotice {
                        room_id: room_id.clone(),
                        notice: szpon_bots::calls::not_configured(lang),
                    };
                    self.perform(homeserver, &notice, &pending.txn_id).await?
                }
            },
            action => self.perform(homeserver, action, &pending.txn_id).await?,
        })
    }

    /// Records how an action went; false when it is postponed, so that its lane waits.
    async fn settle(
        &self,
        pending: &PendingAction,
        result: Result<(), HomeserverError>,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now();
        match result {
            Ok(()) => {
                self.one_at_a_time(self.store.mark_done(pending.id, now)).await?;
                self.record_delivery(&pending.action, pending.created_at, now);
            }
            Err(HomeserverError::Unavailable(reason)) if now - pending.failing_since < self.give_up_after => {
                self.metrics.errors.with_label_values(&["homeserver_unavailable"]).inc();
                tracing::warn!(%reason, txn_id = %pending.txn_id, "action postponed");
                let retry_at = now + retry_delay(pending.attempts);
                self.one_at_a_time(self.store.mark_failed(pending.id, &reason, now, Some(retry_at))).await?;
                return Ok(false);
            }
            Err(error) => {
                self.metrics.errors.with_label_values(&["homeserver_refused"]).inc();
                tracing::error!(%error, txn_id = %pending.txn_id, "action given up");
                self.one_at_a_time(self.store.mark_failed(pending.id, &error.to_string(), now, None)).await?;
            }
        }
        Ok(true)
    }

    /// Carries out an action in a known room; a course's file is read from the store first, and
    /// a chart is drawn here, so that the bridge only posts pictures.
    async fn perform(
        &self,
        homeserver: &dyn Homeserver,
        action: &Action,
        txn_id: &str,
    ) -> Result<Result<(), HomeserverError>, StoreError> {
        let (room_id, file) = match action {
            Action::SendCourseFile { room_id, file } => (room_id, file),
            Action::SendChart { room_id, chart, caption } => {
                let chart = chart.clone();
                return Ok(send_chart(homeserver, room_id, move || chart.render(), caption, txn_id).await);
            }
            Action::SendBarChart { room_id, chart, caption } => {
                let chart = chart.clone();
                return Ok(send_chart(homeserver, room_id, move || chart.render(), caption, txn_id).await);
            }
            other => return Ok(homeserver.perform(other, txn_id).await),
        };
        let (stored, caption, shared) = match file {
            CourseFile::Certificate { user_id, course_id } => {
                return self.send_certificate(homeserver, room_id, user_id, course_id, txn_id).await;
            }
            CourseFile::Lesson { course_id, version, name, kind } => {
                let caption = match kind {
                    AttachmentKind::Image { alt } => alt.clone(),
                    AttachmentKind::File { title } => title.clone(),
                };
                (
                    self.one_at_a_time(self.store.course_file(course_id, *version, name)).await?,
                    Some(caption),
                    true,
                )
            }
            CourseFile::Export { course_id, version } => {
                (self.one_at_a_time(self.store.course_export(course_id, *version)).await?, None, false)
            }
        };
        let Some(stored) = stored else {
            return Ok(Err(HomeserverError::Refused(format!(
                "the course file {file:?} is not in the store"
            ))));
        };
        let media = Media {
            name: &stored.info.name,
            mime: &stored.info.mime,
            bytes: &stored.content,
            image: stored.info.image,
            caption: caption.as_deref().filter(|c| !c.trim().is_empty()),
            shared_as: shared.then_some(stored.sha256.as_str()),
        };
        Ok(homeserver.send_media(room_id, &media, txn_id).await)
    }

    /// A learner's certificate as a PDF, named with their display name on its first sending
    /// (the name it keeps, on the check page too).
    async fn send_certificate(
        &self,
        homeserver: &dyn Homeserver,
        room_id: &ruma::RoomId,
        user_id: &ruma::UserId,
        course_id: &str,
        txn_id: &str,
    ) -> Result<Result<(), HomeserverError>, StoreError> {
        let Some(mut certificate) = self.one_at_a_time(self.store.certificate_of(user_id, course_id)).await?
        else {
            let missing = format!("{user_id} has no certificate of {course_id}");
            return Ok(Err(HomeserverError::Refused(missing)));
        };
        if certificate.learner_name.is_none() {
            let name =
                homeserver.display_name(user_id).await.unwrap_or_else(|| user_id.localpart().to_owned());
            self.one_at_a_time(self.store.name_certificate(&certificate.code, &name)).await?;
            certificate.learner_name = Some(name);
        }
        let config = self.bot.config();
        let zone = config.office.as_deref().map_or(chrono_tz::Europe::Warsaw, |office| office.time_zone());
        let check_url = format!("{}/certyfikat/{}", config.web_url.trim_end_matches('/'), certificate.code);
        let pdf =
            match szpon_bots::certificates::render_pdf(&certificate, &config.office_name, zone, &check_url) {
                Ok(pdf) => pdf,
                Err(error) => return Ok(Err(HomeserverError::Refused(error.to_string()))),
            };
        let name = szpon_bots::certificates::file_name(course_id);
        let media = Media {
            name: &name,
            mime: "application/pdf",
            bytes: &pdf,
            image: None,
            caption: None,
            shared_as: None,
        };
        Ok(homeserver.send_media(room_id, &media, txn_id).await)
    }

    /// A person's direct chat with the bot: the one they wrote from, or one the bot opened
    /// before; else a new one, opened now and remembered.
    async fn direct_room(
        &self,
        homeserver: &dyn Homeserver,
        user: &ruma::UserId,
    ) -> Result<Result<ruma::OwnedRoomId, HomeserverError>, StoreError> {
        if let Some(room) = self.one_at_a_time(self.store.direct_room(user)).await? {
            return Ok(Ok(room));
        }
        match homeserver.open_direct_chat(user).await {
            Ok(room) => {
                self.one_at_a_time(self.store.record_private_chat(user, &room, self.clock.now())).await?;
                Ok(Ok(room))
            }
            Err(error) => Ok(Err(error)),
        }
    }

    /// Creates a course's room once, or invites or removes a learner there; an invitation waits
    /// while the room is still to be created.
    async fn course_room(
        &self,
        homeserver: &dyn Homeserver,
        course_id: &str,
        action: &CourseRoomAction,
        txn_id: &str,
    ) -> Result<Result<(), HomeserverError>, StoreError> {
        let existing = self.one_at_a_time(self.store.course_room(course_id)).await?;
        let (room_id, action) = match (existing, action) {
            (Some(_), CourseRoomAction::Create { .. }) => return Ok(Ok(())),
            (None, CourseRoomAction::Create { name, topic, trainer }) => {
                return Ok(match homeserver.create_course_room(name, topic, trainer).await {
                    Ok(room) => {
                        self.one_at_a_time(self.store.record_course_room(course_id, &room)).await.map(Ok)?
                    }
                    Err(error) => Err(error),
                });
            }
            (None, _) => {
                return Ok(Err(HomeserverError::Unavailable(format!(
                    "the room of {course_id} is not created yet"
                ))));
            }
            (Some(room_id), other) => (room_id, other),
        };
        let action = match action {
            CourseRoomAction::Invite { user_id } => Action::InviteUser { room_id, user_id: user_id.clone() },
            CourseRoomAction::Remove { user_id, reason } => {
                Action::RemoveUser { room_id, user_id: user_id.clone(), reason: reason.clone() }
            }
            CourseRoomAction::Create { .. } => unreachable!("handled above"),
        };
        Ok(homeserver.perform(&action, txn_id).await)
    }

    fn record_delivery(&self, action: &Action, created_at: DateTime<Utc>, now: DateTime<Utc>) {
        if matches!(action, Action::SendNotice { .. }) {
            self.metrics.replies_sent.inc();
            let latency = (now - created_at).num_microseconds().unwrap_or_default() as f64 / 1e6;
            self.metrics.reply_latency.observe(latency.max(0.0));
        }
    }
}

/// The lanes the outbox is delivering, by task, and their actions: a lane is not started twice,
/// and an action whose lane changed meanwhile (its person's direct chat became known) is not
/// delivered again beside itself.
#[derive(Default)]
struct InFlight {
    tasks: std::collections::HashMap<tokio::task::Id, (String, Vec<i64>)>,
}

impl InFlight {
    fn start(&mut self, task: tokio::task::Id, lane: String, actions: Vec<i64>) {
        self.tasks.insert(task, (lane, actions));
    }

    fn finish(&mut self, task: tokio::task::Id) {
        self.tasks.remove(&task);
    }

    fn lanes(&self) -> impl Iterator<Item = &str> {
        self.tasks.values().map(|(lane, _)| lane.as_str())
    }

    fn holds_any(&self, lane: &[PendingAction]) -> bool {
        lane.iter().any(|pending| {
            self.tasks.values().any(|(busy, actions)| *busy == pending.lane || actions.contains(&pending.id))
        })
    }
}

/// The event an input is, and its room, for recording it as handled.
fn event_of(input: &Input) -> Option<(&ruma::EventId, &ruma::RoomId)> {
    match input {
        Input::Message(message) => Some((&*message.event_id, &*message.room_id)),
        Input::PollVote(vote) => Some((&*vote.event_id, &*vote.room_id)),
        Input::Redaction(redaction) => Some((&*redaction.event_id, &*redaction.room_id)),
        _ => None,
    }
}

fn input_kind(input: &Input) -> &'static str {
    match input {
        Input::Message(_) => "message",
        Input::Invite(_) => "invite",
        Input::PollVote(_) => "poll_vote",
        Input::Redaction(_) => "redaction",
        _ => "other",
    }
}

/// A fresh visit code: six characters that cannot be confused with one another.
fn new_visit_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LENGTH).map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())])).collect()
}

/// A secret for a calendar feed's address: 32 random letters and digits (about 190 bits).
fn new_feed_token() -> String {
    rand::rng().sample_iter(&Alphanumeric).take(32).map(char::from).collect()
}

/// The private chat a handled input makes known: an `is_direct` invitation the bot takes, or a
/// person's private chat where they asked about learning (their lessons go there from now on).
fn private_chat_to_record<'a>(input: &'a Input, actions: &[NewAction]) -> Option<&'a ruma::RoomId> {
    match input {
        Input::Invite(invite)
            if invite.is_direct
                && actions.iter().any(
                    |a| matches!(&a.action, Action::JoinRoom { room_id } if *room_id == invite.room_id),
                ) =>
        {
            Some(&*invite.room_id)
        }
        Input::Message(message)
            if message.private_chat && matches!(message.content, MessageContent::Text { .. }) =>
        {
            Some(&*message.room_id)
        }
        _ => None,
    }
}

/// The chart's file name, as people see it in their client.
const CHART_FILE_NAME: &str = "wykres.png";

/// Draws a chart off the async workers (tens of milliseconds of arithmetic and compression)
/// and posts it as a picture with its caption, which screen readers and text clients show.
async fn send_chart(
    homeserver: &dyn Homeserver,
    room_id: &ruma::RoomId,
    draw: impl FnOnce() -> Result<szpon_bots::chart::Png, szpon_bots::chart::ChartError> + Send + 'static,
    caption: &str,
    txn_id: &str,
) -> Result<(), HomeserverError> {
    let png = tokio::task::spawn_blocking(draw)
        .await
        .map_err(|e| HomeserverError::Refused(format!("drawing a chart stopped: {e}")))?
        .map_err(|e| HomeserverError::Refused(e.to_string()))?;
    let media = Media {
        name: CHART_FILE_NAME,
        mime: "image/png",
        bytes: &png.bytes,
        image: Some((png.width, png.height)),
        caption: Some(caption),
        shared_as: None,
    };
    homeserver.send_media(room_id, &media, txn_id).await
}
#[cfg(test)]
mod tests;
