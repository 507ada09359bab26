//! The shapes szpon keeps in its database as JSON must still read after any change to the code:
//! a reminder queued by one version is sent by the next, and a citizen halfway through booking
//! a visit goes on where they were. Each file in `tests/golden/` holds samples of one shape, as
//! szpon wrote them (harvested from the store, end-to-end and engine tests). Rows say their
//! shape's version (`crate::durable`): a change that would read one differently raises the
//! shape's `VERSION` and lifts the older rows in its `upgrade`, and the samples stay.
//!
//! New samples are added, never edited: when a shape gains a field or a variant, append a line
//! written by the new code.

use std::{collections::BTreeSet, path::Path};

use crate::{
    Action, Job, Pace,
    booking::{BookingJob, Dialogue, Exception},
    durable::{Durable, decode, encode},
    gamification::{Activity, GamificationJob},
    helpdesk::HelpdeskJob,
    helpdesk::HelpdeskMemory,
    learning::CourseJob,
    live::LiveJob,
    meetings::MeetingJob,
    review::ReviewJob,
    tasks::Repeat,
    tasks::TaskJob,
};
use szpon_course_engine::{Progress, Stage};

fn samples(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(format!("{name}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter(|line| !line.trim().is_empty()).map(str::to_owned).collect()
}

/// Every sample of `name` reads as `T`, and what this version writes for it reads back the same.
/// Lines without a version are rows written before versions were explicit (version 1); the
/// file also holds at least one row as this version writes it.
fn every_sample_reads<T>(name: &str) -> Vec<T>
where
    T: Durable + PartialEq + std::fmt::Debug,
{
    let samples = samples(name);
    assert!(!samples.is_empty(), "no samples of {name}");
    let current = format!("{{\"v\":{},\"data\":", T::VERSION);
    assert!(
        samples.iter().any(|line| line.starts_with(&current)),
        "{name}.jsonl has no row as version {} writes it",
        T::VERSION
    );
    samples
        .iter()
        .enumerate()
        .map(|(line, json)| {
            let value: T = decode(json)
                .unwrap_or_else(|e| panic!("{name}.jsonl line {} no longer reads: {e}\n{json}", line + 1));
            let written = encode(&value);
            let again: T = decode(&written).unwrap();
            assert_eq!(again, value, "{name}.jsonl line {}: written as {written}", line + 1);
            value
        })
        .collect()
}

fn assert_covers(name: &str, seen: impl IntoIterator<Item = &'static str>, all: &[&str]) {
    let seen: BTreeSet<&str> = seen.into_iter().collect();
    let missing: Vec<_> = all.iter().filter(|v| !seen.contains(*v)).collect();
    assert!(missing.is_empty(), "{name}.jsonl has no sample of {missing:?}");
}

/// The variant's name; a new variant fails to compile here until it is named, and then the
/// coverage check asks for its sample.
fn action_variant(action: &Action) -> &'static str {
    match action {
        Action::SendNotice { .. } => "SendNotice",
        Action::JoinRoom { .. } => "JoinRoom",
        Action::LeaveRoom { .. } => "LeaveRoom",
        Action::InviteUser { .. } => "InviteUser",
        Action::RemoveUser { .. } => "RemoveUser",
        Action::SendPoll { .. } => "SendPoll",
        Action::EndPoll { .. } => "EndPoll",
        Action::Direct { .. } => "Direct",
        Action::SendBarChart { .. } => "SendBarChart",
        Action::CourseRoom { .. } => "CourseRoom",
        Action::SendFile { .. } => "SendFile",
        Action::SendChart { .. } => "SendChart",
        Action::SendCourseFile { .. } => "SendCourseFile",
        Action::Call { .. } => "Call",
        Action::SetWidget { .. } => "SetWidget",
    }
}

const ACTIONS: &[&str] = &[
    "SendNotice",
    "JoinRoom",
    "LeaveRoom",
    "InviteUser",
    "RemoveUser",
    "SendPoll",
    "EndPoll",
    "Direct",
    "SendBarChart",
    "CourseRoom",
    "SendFile",
    "SendChart",
    "SendCourseFile",
    "Call",
    "SetWidget",
];

fn job_variant(job: &Job) -> &'static str {
    match job {
        Job::Booking(BookingJob::Reminder { .. }) => "Reminder",
        Job::Booking(BookingJob::DialogueTimeout { .. }) => "DialogueTimeout",
        Job::Helpdesk(HelpdeskJob::TicketSla { .. }) => "TicketSla",
        Job::Helpdesk(HelpdeskJob::TicketRetention { .. }) => "TicketRetention",
        Job::Task(TaskJob::Due { .. }) => "TaskDue",
        Job::Task(TaskJob::Digest { .. }) => "TaskDigest",
        Job::Meeting(MeetingJob::Alert { .. }) => "Meeting",
        Job::Course(CourseJob::Lesson { .. }) => "CourseLesson",
        Job::Live(LiveJob::Alert { .. }) => "Live",
        Job::Gamification(GamificationJob::Standing { .. }) => "Standing",
        Job::Gamification(GamificationJob::StreakReminders { .. }) => "StreakReminders",
        Job::Gamification(GamificationJob::WeeklySummaries { .. }) => "WeeklySummaries",
        Job::Review(ReviewJob::Nudges { .. }) => "ReviewNudges",
    }
}

const JOBS: &[&str] = &[
    "Reminder",
    "DialogueTimeout",
    "TicketSla",
    "TicketRetention",
    "TaskDue",
    "TaskDigest",
    "Meeting",
    "CourseLesson",
    "Live",
    "Standing",
    "StreakReminders",
    "WeeklySummaries",
    "ReviewNudges",
];

fn dialogue_step(dialogue: &Dialogue) -> &'static str {
    match dialogue {
        Dialogue::ChoosingService { .. } => "ChoosingService",
        Dialogue::ChoosingTime { .. } => "ChoosingTime",
        Dialogue::ChoosingVisit { .. } => "ChoosingVisit",
        Dialogue::ConfirmingCancel { .. } => "ConfirmingCancel",
    }
}

fn stage_name(stage: &Stage) -> &'static str {
    match stage {
        Stage::Ready => "Ready",
        Stage::Quiz { .. } => "Quiz",
        Stage::Failed => "Failed",
        Stage::Survey { .. } => "Survey",
        Stage::Finished { .. } => "Finished",
    }
}

#[test]
fn queued_outbox_actions_of_every_kind_still_read() {
    let actions: Vec<Action> = every_sample_reads("actions");
    assert_covers("actions", actions.iter().map(action_variant), ACTIONS);
}

#[test]
fn scheduled_jobs_of_every_kind_still_read() {
    let jobs: Vec<Job> = every_sample_reads("jobs");
    assert_covers("jobs", jobs.iter().map(job_variant), JOBS);
}

#[test]
fn booking_dialogues_at_every_step_still_read() {
    let dialogues: Vec<Dialogue> = every_sample_reads("dialogues");
    assert_covers(
        "dialogues",
        dialogues.iter().map(dialogue_step),
        &["ChoosingService", "ChoosingTime", "ChoosingVisit", "ConfirmingCancel"],
    );
}

#[test]
fn learners_progress_at_every_stage_still_reads() {
    let progress: Vec<Progress> = every_sample_reads("progress");
    assert_covers(
        "progress",
        progress.iter().map(|p| stage_name(&p.stage)),
        &["Ready", "Quiz", "Failed", "Survey", "Finished"],
    );
}

#[test]
fn a_persons_memory_and_pace_still_read() {
    every_sample_reads::<HelpdeskMemory>("helpdesk_memory");
    every_sample_reads::<Pace>("pace");
}

#[test]
fn recorded_learning_of_every_kind_still_reads() {
    let activities: Vec<Activity> = every_sample_reads("activities");
    assert_covers(
        "activities",
        activities.iter().map(|a| match a {
            Activity::Lesson { .. } => "Lesson",
            Activity::RightAnswer { .. } => "RightAnswer",
            Activity::CourseFinished { .. } => "CourseFinished",
            Activity::AuthorBadge { .. } => "AuthorBadge",
        }),
        &["Lesson", "RightAnswer", "CourseFinished", "AuthorBadge"],
    );
}

#[test]
fn clerks_exceptions_and_task_repeats_still_read() {
    every_sample_reads::<Exception>("exceptions");
    every_sample_reads::<Repeat>("repeat");
}
