//! What the bot answers to task commands, and what it writes.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedUserId, RoomId, UserId};

use super::{
    DigestContext, Due, DueAlert, RepeatError, Task, TaskChange, TaskCommand, TaskFilter, TaskJob, TaskList,
    TasksView,
    due::{DueError, DueSetting, parse_due, parse_hour, split_title},
};
use crate::{
    Job, Lang, Notice,
    booking::{Effect, Feed, FeedAddress, asks_for_new_address, feed_address, format},
    documents::{Attachment, register_notice},
    i18n::message_with,
};

/// How long before a timed deadline its reminder goes out.
const SOON_BEFORE: Duration = Duration::hours(1);
/// The hour of the reminder for a task due on a day without an hour.
const DAY_REMINDER_HOUR: u32 = 9;

/// One turn's answers and what it writes.
#[derive(Debug, Default)]
pub struct TaskTurn {
    pub replies: Vec<Notice>,
    pub effects: Vec<Effect>,
}

impl TaskTurn {
    fn reply(notice: Notice) -> Self {
        TaskTurn { replies: vec![notice], effects: Vec::new() }
    }
}

/// The task desk for one message.
pub struct TaskDesk<'a> {
    pub list: TaskList,
    pub room: &'a RoomId,
    pub sender: &'a UserId,
    pub view: &'a TasksView,
    /// The sender's power level in the room.
    pub power: i64,
    pub zone: Tz,
    pub now: DateTime<Utc>,
    pub lang: Lang,
    /// Where calendar feeds are served.
    pub web_url: &'a str,
    /// The people the message names who are members of the room: the only ones a task can go to.
    pub members_named: &'a [OwnedUserId],
}

impl TaskDesk<'_> {
    pub fn handle(&self, command: &TaskCommand) -> TaskTurn {
        match command {
            TaskCommand::Add(text) => self.add(text),
            TaskCommand::List(filter) => TaskTurn::reply(self.list(*filter)),
            TaskCommand::UnknownFilter(filter) => {
                TaskTurn::reply(self.text("tasks-unknown-filter", vec![("filter", filter.clone().into())]))
            }
            TaskCommand::Digest(text) => self.digest_setting(text),
            TaskCommand::Calendar(argument) => self.calendar(argument),
            TaskCommand::Documents => {
                TaskTurn::reply(register_notice(&self.view.documents, self.zone, self.lang))
            }
            TaskCommand::Done(None)
            | TaskCommand::Assign(None, _)
            | TaskCommand::SetDue(None, _)
            | TaskCommand::Delete(None) => TaskTurn::reply(self.text("tasks-number-needed", vec![])),
            TaskCommand::Done(Some(n))
            | TaskCommand::Assign(Some(n), _)
            | TaskCommand::SetDue(Some(n), _)
            | TaskCommand::Delete(Some(n)) => self.change(command, *n),
        }
    }

    fn add(&self, text: &str) -> TaskTurn {
        // "!zadanie" alone, in reply to a file or a visit notice, is a task named after it.
        let file = self.view.replied_file.as_ref();
        let visit = self.view.replied_visit.as_ref();
        let follow_up =
            visit.map(|v| self.text_plain("tasks-visit-follow-up", vec![("code", v.code.clone().into())]));
        let text = match (file, &follow_up) {
            (Some(document), _) if text.trim().is_empty() => document.file.name.as_str(),
            (None, Some(title)) if text.trim().is_empty() => title.as_str(),
            _ => text,
        };
        let parts = match split_title(text, self.now, self.zone) {
            Ok(parts) => parts,
            Err(error) => return TaskTurn::reply(self.explain(&error)),
        };
        if parts.assignee.is_some() && self.list.is_personal() {
            return TaskTurn::reply(self.text("tasks-personal-no-assignee", vec![]));
        }
        if let Some(refusal) = parts.assignee.as_deref().and_then(|user| self.refuse_non_member(user)) {
            return refusal;
        }
        let task = Task {
            list: self.list.clone(),
            number: self.view.next_number.max(1),
            room_id: self.room.to_owned(),
            title: parts.title,
            creator: self.sender.to_owned(),
            assignee: parts.assignee,
            due: parts.due,
            repeat: parts.repeat,
            priority: parts.priority,
            attachment: file.map(Attachment::of),
            visit: visit.map(|v| v.code.clone()),
            lang: self.lang,
            created_at: self.now,
            done_at: None,
            done_by: None,
        };
        let deadline = task.due.map(|due| due.deadline(self.zone));
        let mut effects = vec![Effect::Task(TaskChange::Add { task: task.clone(), deadline })];
        effects.extend(alert_jobs(&task, self.zone, self.now));
        let line = self.line(&task);
        let notice = self.notice(
            self.text_plain("tasks-added", vec![("number", task.number.into())]),
            std::slice::from_ref(&line),
            None,
        );
        TaskTurn { replies: vec![notice], effects }
    }

    fn list(&self, filter: TaskFilter) -> Notice {
        let key = match (filter, self.list.is_personal()) {
            (TaskFilter::Mine, _) => "tasks-header-mine",
            (TaskFilter::Overdue, _) => "tasks-header-overdue",
            (TaskFilter::All, _) => "tasks-header-all",
            (TaskFilter::Open, true) => "tasks-header-personal",
            (TaskFilter::Open, false) => "tasks-header-room",
        };
        if self.view.matching == 0 {
            let empty = match filter {
                TaskFilter::Open | TaskFilter::All => "tasks-empty",
                TaskFilter::Mine => "tasks-empty-mine",
                TaskFilter::Overdue => "tasks-empty-overdue",
            };
            return self.text(empty, vec![]);
        }
        let header = self.text_plain(key, vec![("count", self.view.matching.into())]);
        let lines: Vec<Line> = self.view.listed.iter().map(|task| self.line(task)).collect();
        self.notice(header, &lines, self.more(self.view.matching, self.view.listed.len()))
    }

    fn more(&self, matching: u64, shown: usize) -> Option<String> {
        let rest = matching.saturating_sub(shown as u64);
        (rest > 0).then(|| self.text_plain("tasks-more", vec![("count", rest.into())]))
    }

    fn change(&self, command: &TaskCommand, number: i64) -> TaskTurn {
        let Some(task) = self.view.named.as_ref().filter(|t| t.number == number) else {
            return TaskTurn::reply(self.text("tasks-not-found", vec![("number", number.into())]));
        };
        if !task.may_be_changed_by(self.sender, self.power) {
            return TaskTurn::reply(self.text("tasks-not-yours", vec![("number", number.into())]));
        }
        match command {
            TaskCommand::Done(_) => self.done(task),
            TaskCommand::Assign(_, who) => self.assign(task, who),
            TaskCommand::SetDue(_, when) => self.set_due(task, when),
            _ => self.delete(task),
        }
    }

    fn done(&self, task: &Task) -> TaskTurn {
        if task.is_done() {
            return TaskTurn::reply(self.text("tasks-already-done", vec![("number", task.number.into())]));
        }
        if let Some(turn) = self.done_until_next_time(task) {
            return turn;
        }
        let change = TaskChange::Done {
            list: task.list.clone(),
            number: task.number,
            by: self.sender.to_owned(),
            at: self.now,
        };
        let reply = self
            .text("tasks-done", vec![("number", task.number.into()), ("title", task.title.clone().into())]);
        TaskTurn { replies: vec![reply], effects: vec![Effect::Task(change)] }
    }

    /// A recurring task done moves to its rule's next time instead of leaving the list.
    fn done_until_next_time(&self, task: &Task) -> Option<TaskTurn> {
        let repeat = task.repeat.as_ref()?;
        let next = repeat.due_after(task.due, self.now.with_timezone(&self.zone).naive_local())?;
        let moved = Task { due: Some(next), ..task.clone() };
        let mut effects = vec![self.set_due_change(&moved)];
        effects.extend(alert_jobs(&moved, self.zone, self.now));
        let reply = self.text(
            "tasks-done-next",
            vec![
                ("number", task.number.into()),
                ("title", task.title.clone().into()),
                ("due", self.describe_due(&next).into()),
            ],
        );
        Some(TaskTurn { replies: vec![reply], effects })
    }

    fn set_due_change(&self, task: &Task) -> Effect {
        Effect::Task(TaskChange::SetDue {
            list: task.list.clone(),
            number: task.number,
            due: task.due,
            repeat: task.repeat.clone(),
            deadline: task.due.map(|d| d.deadline(self.zone)),
        })
    }

    fn assign(&self, task: &Task, who: &str) -> TaskTurn {
        if self.list.is_personal() {
            return TaskTurn::reply(self.text("tasks-personal-no-assignee", vec![]));
        }
        let nobody = matches!(
            szpon_nlp::fold_diacritics(&who.to_lowercase()).as_str(),
            "nikt" | "nikogo" | "nobody" | "-"
        );
        let assignee = if nobody {
            None
        } else {
            match UserId::parse(who.trim()) {
                Ok(user) => Some(user),
                Err(_) => {
                    let who: String = who.chars().take(80).collect();
                    return TaskTurn::reply(self.text("tasks-bad-user", vec![("user", who.into())]));
                }
            }
        };
        if let Some(refusal) = assignee.as_deref().and_then(|user| self.refuse_non_member(user)) {
            return refusal;
        }
        let change =
            TaskChange::Assign { list: task.list.clone(), number: task.number, assignee: assignee.clone() };
        let reply = match &assignee {
            Some(user) => self.text(
                "tasks-assigned",
                vec![("number", task.number.into()), ("user", user.to_string().into())],
            ),
            None => self.text("tasks-unassigned", vec![("number", task.number.into())]),
        };
        let mut effects = vec![Effect::Task(change)];
        let reassigned = Task { assignee, ..task.clone() };
        effects.extend(alert_jobs(&reassigned, self.zone, self.now));
        TaskTurn { replies: vec![reply], effects }
    }

    fn set_due(&self, task: &Task, when: &str) -> TaskTurn {
        let setting = match parse_due(when, self.now, self.zone) {
            Ok(setting) => setting,
            Err(error) => return TaskTurn::reply(self.explain(&error)),
        };
        let number = ("number", task.number.into());
        let (changed, reply) = match setting {
            DueSetting::Clear => (
                Task { due: None, repeat: None, ..task.clone() },
                self.text("tasks-due-cleared", vec![number]),
            ),
            DueSetting::Once(due) => {
                let reply = self.text("tasks-due-set", vec![number, ("due", self.describe_due(&due).into())]);
                (Task { due: Some(due), ..task.clone() }, reply)
            }
            DueSetting::Repeating(repeat, due) => {
                let args = vec![
                    number,
                    ("rule", repeat.label.clone().into()),
                    ("due", self.describe_due(&due).into()),
                ];
                (
                    Task { due: Some(due), repeat: Some(repeat), ..task.clone() },
                    self.text("tasks-repeat-set", args),
                )
            }
            DueSetting::StopRepeating if task.repeat.is_none() => {
                return TaskTurn::reply(self.text("tasks-not-repeating", vec![number]));
            }
            DueSetting::StopRepeating => {
                (Task { repeat: None, ..task.clone() }, self.text("tasks-repeat-stopped", vec![number]))
            }
        };
        let mut effects = vec![self.set_due_change(&changed)];
        effects.extend(alert_jobs(&changed, self.zone, self.now));
        TaskTurn { replies: vec![reply], effects }
    }

    fn delete(&self, task: &Task) -> TaskTurn {
        let change = TaskChange::Delete { list: task.list.clone(), number: task.number, at: self.now };
        let reply = self.text(
            "tasks-deleted",
            vec![("number", task.number.into()), ("title", task.title.clone().into())],
        );
        TaskTurn { replies: vec![reply], effects: vec![Effect::Task(change)] }
    }

    /// `!podsumowanie 8:30` sets the daily digest, `!podsumowanie wyłącz` stops it, and
    /// `!podsumowanie` alone shows today's.
    fn digest_setting(&self, text: &str) -> TaskTurn {
        let folded = szpon_nlp::fold_diacritics(&text.trim().to_lowercase());
        if folded.is_empty() {
            return TaskTurn::reply(self.list(TaskFilter::Open));
        }
        if !self.list.is_personal() && self.power < super::MODERATOR_POWER {
            return TaskTurn::reply(self.text("tasks-digest-moderators", vec![]));
        }
        let change = |at| {
            Effect::Task(TaskChange::SetDigest { list: self.list.clone(), room_id: self.room.to_owned(), at })
        };
        if matches!(folded.as_str(), "wylacz" | "wylaczone" | "nie" | "off" | "stop" | "brak") {
            return TaskTurn {
                replies: vec![self.text("tasks-digest-off", vec![])],
                effects: vec![change(None)],
            };
        }
        let Some(at) = parse_hour(&folded) else {
            let text: String = text.chars().take(40).collect();
            return TaskTurn::reply(self.text("tasks-digest-bad-hour", vec![("text", text.into())]));
        };
        let today = self.now.with_timezone(&self.zone).date_naive();
        let job = digest_job(&self.list, self.room, today, at, self.zone, self.now);
        let hour = at.format("%-H:%M").to_string();
        let reply = self.text("tasks-digest-set", vec![("hour", hour.into())]);
        TaskTurn { replies: vec![reply], effects: vec![change(Some(at)), job] }
    }

    /// The writer's own address of the list's calendar feed: shown once, and a new one (which
    /// revokes only their old one) on request.
    fn calendar(&self, argument: &str) -> TaskTurn {
        let words: Vec<String> = szpon_nlp::fold_diacritics(&argument.to_lowercase())
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let rotate = asks_for_new_address(&words);
        let (feed, whose, key) = match &self.list {
            TaskList::Personal(user) => (Feed::Person(user.clone()), "feed-whose-personal", "feed-address"),
            TaskList::Room(room) => (Feed::Room(room.clone()), "feed-whose-room", "feed-address-room"),
        };
        let address = feed_address(
            &feed,
            self.sender,
            rotate,
            &self.view.feeds_held,
            &self.view.new_token,
            self.web_url,
        );
        let (key, url, effects) = match address {
            FeedAddress::Held => ("feed-address-held", String::new(), Vec::new()),
            FeedAddress::New { url, effect } if rotate => ("feed-rotated", url, vec![*effect]),
            FeedAddress::New { url, effect } => (key, url, vec![*effect]),
        };
        let args = vec![("url", url.into()), ("whose", self.text_plain(whose, vec![]).into())];
        TaskTurn { replies: vec![self.text(key, args)], effects }
    }

    /// A task is work in this room: it goes only to someone who can see the room.
    fn refuse_non_member(&self, user: &UserId) -> Option<TaskTurn> {
        let member = self.members_named.iter().any(|m| m == user);
        let args = vec![("user", user.to_string().into())];
        (!member).then(|| TaskTurn::reply(self.text("tasks-not-a-member", args)))
    }

    fn explain(&self, error: &DueError) -> Notice {
        explain(error, self.lang)
    }

    fn line(&self, task: &Task) -> Line {
        describe(task, self.zone, self.now, self.lang)
    }

    fn describe_due(&self, due: &Due) -> String {
        describe_due(due, self.lang)
    }

    fn text_plain(&self, key: &str, args: Vec<(&'static str, FluentValue<'static>)>) -> String {
        message_with(self.lang, key, &args)
    }

    fn text(&self, key: &str, args: Vec<(&'static str, FluentValue<'static>)>) -> Notice {
        Notice::from_plain(self.text_plain(key, args))
    }

    fn notice(&self, header: String, lines: &[Line], footer: Option<String>) -> Notice {
        task_notice(header, lines, footer)
    }
}

/// One task as a list shows it: plain text and HTML.
#[derive(Debug, Clone)]
pub struct Line {
    plain: String,
    html: String,
}

fn describe(task: &Task, zone: Tz, now: DateTime<Utc>, lang: Lang) -> Line {
    let mut details = Vec::new();
    if let Some(due) = &task.due {
        let mut due_text = message_with(lang, "tasks-due", &[("due", describe_due(due, lang).into())]);
        if task.is_overdue(now, zone) {
            due_text = format!("⚠ {due_text} — {}", message_with(lang, "tasks-overdue-mark", &[]));
        }
        details.push(due_text);
    }
    if let Some(repeat) = task.repeat.as_ref().filter(|_| !task.is_done()) {
        details.push(message_with(lang, "tasks-repeat-mark", &[("rule", repeat.label.clone().into())]));
    }
    if let Some(assignee) = &task.assignee {
        details.push(assignee.to_string());
    }
    if let Some(mark) = task.priority.mark(lang) {
        details.push(mark.to_owned());
    }
    if let Some(code) = &task.visit {
        details.push(message_with(lang, "tasks-visit-mark", &[("code", code.clone().into())]));
    }

    if let Some(done_at) = task.done_at {
        let day = format::on_day(done_at.with_timezone(&zone).date_naive(), lang);
        details.push(message_with(lang, "tasks-done-mark", &[("day", day.into())]));
    }
    let check = if task.is_done() { "✓" } else { "☐" };
    let escaped_title = html_escape::encode_text(&task.title);
    let title_html =
        if task.is_done() { format!("<s>{escaped_title}</s>") } else { escaped_title.into_owned() };
    let rest = if details.is_empty() { String::new() } else { format!(" — {}", details.join(" · ")) };
    let mut line = Line {
        plain: format!("{check} #{} {}{rest}", task.number, task.title),
        html: format!("{check} <b>#{}</b> {title_html}{}", task.number, html_escape::encode_text(&rest)),
    };
    if let Some(attachment) = &task.attachment {
        let separator = if details.is_empty() { " — " } else { " · " };
        let mark = message_with(lang, "tasks-attachment-mark", &[("name", attachment.name.clone().into())]);
        line.plain.push_str(&format!("{separator}{mark}"));
        line.html.push_str(&format!(
            "{separator}<a href=\"{}\">{}</a>",
            html_escape::encode_double_quoted_attribute(&attachment.link()),
            html_escape::encode_text(&mark),
        ));
    }
    line
}

fn describe_due(due: &Due, lang: Lang) -> String {
    let day = format::day(due.date, lang);
    match due.time {
        Some(time) => format!("{day}, {}", time.format("%-H:%M")),
        None => day,
    }
}

fn task_notice(header: String, lines: &[Line], footer: Option<String>) -> Notice {
    let mut plain = header.clone();
    let mut html = format!("<p>{}</p><ul>", html_escape::encode_text(&header));
    for line in lines {
        plain.push('\n');
        plain.push_str(&line.plain);
        html.push_str(&format!("<li>{}</li>", line.html));
    }
    html.push_str("</ul>");
    if let Some(footer) = footer {
        plain.push('\n');
        plain.push_str(&footer);
        html.push_str(&format!("<p>{}</p>", html_escape::encode_text(&footer)));
    }
    Notice::new(plain, html)
}

/// The reminder before a task's deadline and the nudge at it, for its deadline as it is now.
pub fn alert_jobs(task: &Task, zone: Tz, now: DateTime<Utc>) -> Vec<Effect> {
    let Some(due) = task.due.filter(|_| !task.is_done()) else { return Vec::new() };
    let deadline = due.deadline(zone);
    let soon = match due.time {
        Some(_) => deadline - SOON_BEFORE,
        None => {
            let morning = NaiveTime::from_hms_opt(DAY_REMINDER_HOUR, 0, 0).expect("9:00 exists");
            crate::calendar::local_to_utc(due.date.and_time(morning), zone)
        }
    };
    let job = |alert, due_at| Effect::Schedule {
        job: Job::Task(TaskJob::Due { list: task.list.clone(), number: task.number, alert, deadline }),
        due: due_at,
    };
    let mut jobs = Vec::new();
    if soon > now {
        jobs.push(job(DueAlert::Soon, soon));
    }
    if deadline > now {
        jobs.push(job(DueAlert::Overdue, deadline));
    }
    jobs
}

/// The alert a due-time job sends, if the task is still open with the same deadline (a task
/// done, deleted or moved since gets none).
pub fn due_alert(task: Option<&Task>, alert: DueAlert, deadline: DateTime<Utc>, zone: Tz) -> Option<Notice> {
    let task = task.filter(|t| !t.is_done())?;
    if task.due?.deadline(zone) != deadline {
        return None;
    }
    let whom = task.assignee.as_ref().unwrap_or(&task.creator);
    let key = match alert {
        DueAlert::Soon => "tasks-alert-soon",
        DueAlert::Overdue => "tasks-alert-overdue",
    };
    let due = describe_due(&task.due?, task.lang);
    let plain = message_with(
        task.lang,
        key,
        &[
            ("number", task.number.into()),
            ("title", task.title.clone().into()),
            ("due", due.into()),
            ("user", whom.to_string().into()),
        ],
    );
    Some(Notice::from_plain(plain).with_mention(whom))
}

/// The job that posts a list's digest at `at` on the first day from `from` when that is still
/// ahead.
pub fn digest_job(
    list: &TaskList,
    room: &RoomId,
    from: NaiveDate,
    at: NaiveTime,
    zone: Tz,
    now: DateTime<Utc>,
) -> Effect {
    let mut day = from;
    let mut due = crate::calendar::local_to_utc(day.and_time(at), zone);
    while due <= now {
        day = day.succ_opt().unwrap_or(day);
        due = crate::calendar::local_to_utc(day.and_time(at), zone);
    }
    let job = TaskJob::Digest { list: list.clone(), room_id: room.to_owned(), day, at };
    Effect::Schedule { job: Job::Task(job), due }
}

/// The daily digest of a list, and tomorrow's job; nothing if the hour was changed or the
/// digest stopped since the job was set.
pub fn digest(
    list: &TaskList,
    room: &RoomId,
    day: NaiveDate,
    at: NaiveTime,
    context: &DigestContext,
    zone: Tz,
    now: DateTime<Utc>,
) -> (Option<Notice>, Vec<Effect>) {
    if context.at != Some(at) {
        return (None, Vec::new());
    }
    // A digest late by days (szpon was down) shows today's list under today's date, once:
    // the days missed are not made up for.
    let today = now.with_timezone(&zone).date_naive().max(day);
    let next = today.succ_opt().map(|next| digest_job(list, room, next, at, zone, now));
    if context.open_count == 0 {
        return (None, next.into_iter().collect());
    }
    let lang = Lang::Pl;
    let header = message_with(
        lang,
        "tasks-digest",
        &[
            ("day", format::day(today, lang).into()),
            ("count", context.open_count.into()),
            ("overdue", context.overdue_count.into()),
        ],
    );
    let lines: Vec<Line> = context.open.iter().map(|task| describe(task, zone, now, lang)).collect();
    let rest = context.open_count.saturating_sub(lines.len() as u64);
    let footer = (rest > 0).then(|| message_with(lang, "tasks-more", &[("count", rest.into())]));
    (Some(task_notice(header, &lines, footer)), next.into_iter().collect())
}

/// What was wrong with a text that should have said when, in the person's language.
pub fn explain(error: &DueError, lang: Lang) -> Notice {
    let text = |key: &str, args: Vec<(&'static str, FluentValue<'static>)>| {
        Notice::from_plain(message_with(lang, key, &args))
    };
    match error {
        DueError::NotUnderstood(said) => text("tasks-bad-date", vec![("text", said.clone().into())]),
        DueError::Past => text("tasks-date-past", vec![]),
        DueError::NoTitle => text("tasks-no-title", vec![]),
        DueError::TitleTooLong(length) => text(
            "tasks-title-too-long",
            vec![("length", (*length as i64).into()), ("limit", (super::MAX_TITLE_CHARS as i64).into())],
        ),
        DueError::BadUser(user) => text("tasks-bad-user", vec![("user", user.clone().into())]),
        DueError::Repeat(RepeatError::BadCron(rule)) => {
            let rule: String = rule.chars().take(80).collect();
            text("tasks-repeat-bad-cron", vec![("rule", rule.into())])
        }
        DueError::Repeat(RepeatError::Never) => text("tasks-repeat-never", vec![]),
        DueError::Repeat(RepeatError::TooOften) => text("tasks-repeat-too-often", vec![]),
    }
}
