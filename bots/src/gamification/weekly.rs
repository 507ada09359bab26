//! The weekly summary: on Monday morning, each learner who learnt in the week before gets their
//! week in one message (XP, lessons, right answers, courses finished), their total and level,
//! and their streak.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use ruma::{OwnedUserId, UserId};

use super::{Activity, GamificationJob, LearnerRecord, Rules, Standing};
use crate::{
    Action, Effect, Job, Notice, booking::format::day_and_month, i18n::message_with, learning::DirectMessage,
};

/// When the summaries go out on Monday, in the office's time zone.
pub const SUMMARY_HOUR: u32 = 8;

/// The summaries' job of the week starting on `monday`.
pub fn weekly_summaries_job(monday: NaiveDate, zone: chrono_tz::Tz) -> Effect {
    let due = crate::calendar::day_at_hour(monday, SUMMARY_HOUR, zone);
    Effect::Schedule { job: Job::Gamification(GamificationJob::WeeklySummaries { monday }), due }
}

/// The next Monday whose summary hour is still to come at `now`.
pub fn next_weekly_summaries_job(now: DateTime<Utc>, zone: chrono_tz::Tz) -> Option<Effect> {
    let mut day = crate::calendar::next_day_at_hour(now, SUMMARY_HOUR, zone)?;
    while day.weekday() != chrono::Weekday::Mon {
        day = day.succ_opt()?;
    }
    Some(weekly_summaries_job(day, zone))
}

/// Monday `monday`'s summaries of the week before, to each learner who learnt in it, and next
/// Monday's job. A Monday gone by (szpon was down, or its clock moved on) sends nothing.
pub fn weekly_summaries(
    learners: &[(OwnedUserId, LearnerRecord)],
    monday: NaiveDate,
    rules: &Rules,
    now: DateTime<Utc>,
) -> (Vec<Action>, Vec<Effect>) {
    let next = next_weekly_summaries_job(now, rules.zone).into_iter().collect();
    let today = now.with_timezone(&rules.zone).date_naive();
    if monday < today {
        return (Vec::new(), next);
    }
    let actions = learners.iter().filter_map(|(user, record)| summary(user, record, monday, rules)).collect();
    (actions, next)
}

fn summary(user: &UserId, record: &LearnerRecord, monday: NaiveDate, rules: &Rules) -> Option<Action> {
    let sunday = monday.pred_opt()?;
    let first = sunday - chrono::Days::new(6);
    let in_week = |at: &DateTime<Utc>| (first..=sunday).contains(&at.with_timezone(&rules.zone).date_naive());
    let count = |kind: fn(&Activity) -> bool| {
        record.events.iter().filter(|event| in_week(&event.at) && kind(&event.activity)).count()
    };
    let lessons = count(|a| matches!(a, Activity::Lesson { .. }));
    let answers = count(|a| matches!(a, Activity::RightAnswer { .. }));
    let courses = count(|a| matches!(a, Activity::CourseFinished { .. }));
    if lessons + answers + courses == 0 {
        return None;
    }
    let standing = Standing::from_events(&record.events, rules);
    let level = rules.levels.get(standing.level).map(|(_, name)| name.clone()).unwrap_or_default();
    let streak = standing.streak.on(monday);
    let lang = record.lang;
    let args: [(&str, FluentValue<'_>); 9] = [
        ("from", day_and_month(first, lang).into()),
        ("to", day_and_month(sunday, lang).into()),
        ("xp", standing.xp_in_week_of(sunday).into()),
        ("lessons", lessons.into()),
        ("answers", answers.into()),
        ("courses", courses.into()),
        ("total", standing.xp.into()),
        ("level", level.into()),
        ("streak", streak.days.into()),
    ];
    let text = message_with(lang, "gamification-weekly", &args);
    Some(Action::Direct {
        user_id: user.to_owned(),
        message: DirectMessage::Notice(Notice::from_plain(text)),
    })
}

#[cfg(test)]
mod tests;
