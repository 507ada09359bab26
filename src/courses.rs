//! Course work that no message brings: re-evaluating every audience after the directory changed
//! (an import, a directory room's members read at start).

use chrono::{DateTime, Utc};
use szpon_bots::{
    booking::Effect,
    courses::{CourseChange, DirectoryChange, DirectoryRoom},
};
use szpon_homeserver_bridge::Homeserver;

use crate::store::{Store, StoreError};

/// How many people an audience took in and let go, per course.
pub struct Reevaluated {
    pub course_id: String,
    pub enrolled: usize,
    pub left: usize,
}

/// Enrols the people the courses' audiences now take in and lets go of those they no longer
/// do; the welcomes wait in the outbox.
pub async fn reevaluate_audiences(
    store: &Store,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<Vec<Reevaluated>, StoreError> {
    let directory = store.directory().await?;
    let mut all = Vec::new();
    for (version, enrolments) in store.courses_with_enrolments().await? {
        let turn = szpon_bots::learning::reevaluate(&version, &directory, &enrolments, zone, now);
        let count = |wanted: fn(&CourseChange) -> bool| {
            turn.effects.iter().filter(|e| matches!(e, Effect::Course(c) if wanted(c))).count()
        };
        let enrolled = count(|c| matches!(c, CourseChange::Enrol(_)));
        let left = count(|c| matches!(c, CourseChange::Leave { .. }));
        store.apply_outcome(&turn.effects, &turn.actions, now).await?;
        all.push(Reevaluated { course_id: version.course.id.clone(), enrolled, left });
    }
    Ok(all)
}

/// Reads the members of the office's directory rooms into the directory (members who left while
/// szpon was away leave it), then re-evaluates every audience. A room that cannot be read keeps
/// its rows as they were.
pub async fn read_directory_rooms(
    homeserver: &dyn Homeserver,
    bot: &ruma::UserId,
    store: &Store,
    rooms: &[DirectoryRoom],
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if rooms.is_empty() {
        return Ok(());
    }
    for room in rooms {
        let members = match homeserver.joined_members(&room.room).await {
            Ok(members) => members,
            Err(error) => {
                tracing::warn!(%error, room = %room.room, "cannot read a directory room's members");
                continue;
            }
        };
        let changes: Vec<DirectoryChange> = members
            .into_iter()
            .filter(|m| m != bot)
            .map(|user_id| DirectoryChange::Set {
                user_id,
                attributes: room.attributes(),
                source: room.source(),
            })
            .collect();
        store.replace_directory_source(&changes, &room.source(), now).await?;
    }
    reevaluate_audiences(store, zone, now).await?;
    Ok(())
}
