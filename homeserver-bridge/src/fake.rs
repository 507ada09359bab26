use std::{
    collections::{HashSet, VecDeque},
    sync::Mutex,
};

use szpon_bots::Action;

use crate::{Homeserver, HomeserverError};

/// An in-memory homeserver for tests: records what was performed, deduplicates by transaction
/// ID as a real homeserver does, and can be told to fail the next calls.
#[derive(Debug, Default)]
pub struct FakeHomeserver {
    inner: Mutex<FakeState>,
    /// Wakes what waits in a stalled room when a test lets it go.
    released: tokio::sync::Notify,
}

#[derive(Debug, Default)]
struct FakeState {
    performed: Vec<Action>,
    media: Vec<SentMedia>,
    seen_txn_ids: HashSet<String>,
    failures: VecDeque<HomeserverError>,
    calls: usize,
    members: HashSet<(ruma::OwnedRoomId, ruma::OwnedUserId)>,
    files: std::collections::HashMap<String, Vec<u8>>,
    downloads: usize,
    names: std::collections::HashMap<ruma::OwnedUserId, String>,
    /// Rooms the bot is in: the ones it created, and any a test gave members.
    rooms: Vec<ruma::OwnedRoomId>,
    invited: HashSet<(ruma::OwnedRoomId, ruma::OwnedUserId)>,
    widgets_refused: Vec<ruma::OwnedRoomId>,
    /// Rooms the bot left.
    left: HashSet<ruma::OwnedRoomId>,
    /// Notices posted with [`Homeserver::post_notice`], as they read now (after their edits).
    notices: std::collections::HashMap<ruma::OwnedEventId, (ruma::OwnedRoomId, szpon_bots::Notice)>,
    edits: usize,
    /// Rooms where a message waits until the test lets it go, as in a homeserver slow to take
    /// one room's events.
    stalled: HashSet<String>,
}

impl FakeState {
    fn failure(&mut self) -> Option<HomeserverError> {
        self.calls += 1;
        self.failures.pop_front()
    }

    fn is_in(&self, room: &ruma::RoomId) -> bool {
        self.rooms.iter().any(|r| r == room) && !self.left.contains(room)
    }

    /// What a homeserver would refuse of `action`.
    fn check(&self, action: &Action) -> Result<(), HomeserverError> {
        let room = match action {
            Action::JoinRoom { .. } => return Ok(()),
            // The engine carries these out itself (charts are drawn there, then sent as media).
            Action::Direct { .. }
            | Action::CourseRoom { .. }
            | Action::SendCourseFile { .. }
            | Action::Call { .. }
            | Action::SendChart { .. }
            | Action::SendBarChart { .. } => {
                return Err(HomeserverError::Refused(format!("unsupported action {action:?}")));
            }
            other => other.queue(),
        };
        let room = <&ruma::RoomId>::try_from(room).map_err(|e| HomeserverError::Refused(e.to_string()))?;
        if !self.is_in(room) {
            return Err(HomeserverError::Refused(format!("the bot is not in {room}")));
        }
        if matches!(action, Action::SetWidget { .. }) && self.widgets_refused.iter().any(|r| r == room) {
            return Err(HomeserverError::Refused(format!("the bot may not set widgets in {room}")));
        }
        Ok(())
    }

    fn carry_out(&mut self, action: &Action) {
        match action {
            Action::JoinRoom { room_id } => {
                self.left.remove(room_id);
                if !self.rooms.contains(room_id) {
                    self.rooms.push(room_id.clone());
                }
            }
            Action::LeaveRoom { room_id, .. } => {
                self.left.insert(room_id.clone());
            }
            Action::InviteUser { room_id, user_id }
                if !self.members.contains(&(room_id.clone(), user_id.clone())) =>
            {
                self.invited.insert((room_id.clone(), user_id.clone()));
            }
            Action::RemoveUser { room_id, user_id, .. } => {
                let key = (room_id.clone(), user_id.clone());
                self.members.remove(&key);
                self.invited.remove(&key);
            }
            _ => {}
        }
    }
}

/// A file the fake homeserver was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMedia {
    pub room_id: ruma::OwnedRoomId,
    pub name: String,
    pub mime: String,
    pub bytes: Vec<u8>,
    pub image: Option<(u32, u32)>,
    pub caption: Option<String>,
}

impl FakeHomeserver {
    /// Makes messages to `room` wait until [`FakeHomeserver::release`].
    pub fn stall(&self, room: &ruma::RoomId) {
        self.inner.lock().expect("fake lock").stalled.insert(room.to_string());
    }

    pub fn release(&self, room: &ruma::RoomId) {
        self.inner.lock().expect("fake lock").stalled.remove(room.as_str());
        self.released.notify_waiters();
    }

    async fn wait_while_stalled(&self, room: &str) {
        loop {
            let released = self.released.notified();
            if !self.inner.lock().expect("fake lock").stalled.contains(room) {
                return;
            }
            released.await;
        }
    }

    /// Every file that reached a "room", in order, each once.
    pub fn media(&self) -> Vec<SentMedia> {
        self.inner.lock().expect("fake lock").media.clone()
    }

    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the next calls fail with these errors, in order.
    /// Makes `user` a joined member of `room`.
    pub fn add_member(&self, room: &ruma::RoomId, user: &ruma::UserId) {
        let mut state = self.inner.lock().expect("fake lock");
        if !state.is_in(room) {
            state.rooms.push(room.to_owned());
        }
        state.members.insert((room.to_owned(), user.to_owned()));
    }

    /// Puts the bot in `room`, as if it had joined it.
    pub fn join(&self, room: &ruma::RoomId) {
        let mut state = self.inner.lock().expect("fake lock");
        state.left.remove(room);
        if !state.rooms.iter().any(|r| r == room) {
            state.rooms.push(room.to_owned());
        }
    }

    /// The rooms the bot created or was shown, in order.
    pub fn rooms(&self) -> Vec<ruma::OwnedRoomId> {
        self.inner.lock().expect("fake lock").rooms.clone()
    }

    /// Whether `user` was invited to `room`.
    pub fn was_invited(&self, room: &ruma::RoomId, user: &ruma::UserId) -> bool {
        self.inner.lock().expect("fake lock").invited.contains(&(room.to_owned(), user.to_owned()))
    }

    /// Gives `user` a display name.
    pub fn set_display_name(&self, user: &ruma::UserId, name: &str) {
        self.inner.lock().expect("fake lock").names.insert(user.to_owned(), name.to_owned());
    }

    /// Makes `user` leave `room`.
    pub fn remove_member(&self, room: &ruma::RoomId, user: &ruma::UserId) {
        self.inner.lock().expect("fake lock").members.remove(&(room.to_owned(), user.to_owned()));
    }

    /// Holds a file's bytes at its `mxc://` address, for [`Homeserver::download`].
    pub fn hold_file(&self, url: &str, bytes: Vec<u8>) {
        self.inner.lock().expect("fake lock").files.insert(url.to_owned(), bytes);
    }

    /// How many files were downloaded.
    pub fn downloads(&self) -> usize {
        self.inner.lock().expect("fake lock").downloads
    }

    pub fn fail_next(&self, errors: impl IntoIterator<Item = HomeserverError>) {
        self.inner.lock().expect("fake lock").failures.extend(errors);
    }

    /// Every action that reached the "room", in order, each once.
    pub fn performed(&self) -> Vec<Action> {
        self.inner.lock().expect("fake lock").performed.clone()
    }

    /// A notice posted with [`Homeserver::post_notice`] as it reads after its edits.
    pub fn notice(&self, event: &ruma::EventId) -> Option<szpon_bots::Notice> {
        self.inner.lock().expect("fake lock").notices.get(event).map(|(_, notice)| notice.clone())
    }

    /// How many edits were made.
    pub fn edits(&self) -> usize {
        self.inner.lock().expect("fake lock").edits
    }

    /// The bot's power level in `room` is too low for widgets.
    pub fn refuse_widgets(&self, room: &ruma::RoomId) {
        self.inner.lock().expect("fake lock").widgets_refused.push(room.to_owned());
    }

    /// How many times `perform` was called, including failures and duplicates.
    pub fn calls(&self) -> usize {
        self.inner.lock().expect("fake lock").calls
    }
}

#[async_trait::async_trait]
impl Homeserver for FakeHomeserver {
    /// Refuses, as a homeserver does, anything in a room the bot is not in and a widget without
    /// the power for it; a room joined or left changes which rooms the bot is in.
    async fn perform(&self, action: &Action, txn_id: &str) -> Result<(), HomeserverError> {
        self.wait_while_stalled(action.queue()).await;
        let mut state = self.inner.lock().expect("fake lock");
        if let Some(error) = state.failure() {
            return Err(error);
        }
        if state.seen_txn_ids.contains(txn_id) {
            return Ok(());
        }
        state.check(action)?;
        state.seen_txn_ids.insert(txn_id.to_owned());
        state.carry_out(action);
        state.performed.push(action.clone());
        Ok(())
    }

    /// A notice's event is named after its transaction, as a homeserver answers a resent
    /// transaction with the same event; an edit of an event that is not the bot's is refused.
    async fn post_notice(
        &self,
        room: &ruma::RoomId,
        notice: &szpon_bots::Notice,
        replaces: Option<&ruma::EventId>,
        txn_id: &str,
    ) -> Result<ruma::OwnedEventId, HomeserverError> {
        self.wait_while_stalled(room.as_str()).await;
        let mut state = self.inner.lock().expect("fake lock");
        if let Some(error) = state.failure() {
            return Err(error);
        }
        let event = ruma::OwnedEventId::try_from(format!("$notice-{txn_id}"))
            .map_err(|e| HomeserverError::Refused(e.to_string()))?;
        if !state.seen_txn_ids.insert(txn_id.to_owned()) {
            return Ok(event);
        }
        match replaces {
            Some(original) => {
                let Some((_, text)) = state.notices.get_mut(original).filter(|(r, _)| r == room) else {
                    return Err(HomeserverError::Refused(format!("no notice {original} to edit")));
                };
                *text = notice.clone();
                state.edits += 1;
            }
            None => {
                state.notices.insert(event.clone(), (room.to_owned(), notice.clone()));
                let action = Action::SendNotice { room_id: room.to_owned(), notice: notice.clone() };
                state.performed.push(action);
            }
        }
        Ok(event)
    }

    async fn send_media(
        &self,
        room_id: &ruma::RoomId,
        media: &crate::Media<'_>,
        txn_id: &str,
    ) -> Result<(), HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        if let Some(error) = state.failure() {
            return Err(error);
        }
        if state.seen_txn_ids.insert(txn_id.to_owned()) {
            state.media.push(SentMedia {
                room_id: room_id.to_owned(),
                name: media.name.to_owned(),
                mime: media.mime.to_owned(),
                bytes: media.bytes.to_vec(),
                image: media.image,
                caption: media.caption.map(str::to_owned),
            });
        }
        Ok(())
    }

    /// A course room named after the trainer: `!course-<localpart>:<server>`.
    async fn create_course_room(
        &self,
        _name: &str,
        _topic: &str,
        trainer: &ruma::UserId,
    ) -> Result<ruma::OwnedRoomId, HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        if let Some(error) = state.failure() {
            return Err(error);
        }
        let room =
            ruma::OwnedRoomId::try_from(format!("!course-{}:{}", trainer.localpart(), trainer.server_name()))
                .map_err(|e| HomeserverError::Refused(e.to_string()))?;
        if !state.is_in(&room) {
            state.rooms.push(room.clone());
        }
        Ok(room)
    }

    /// A direct chat named after the person: `!dm-<localpart>:<server>`.
    async fn open_direct_chat(&self, user: &ruma::UserId) -> Result<ruma::OwnedRoomId, HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        if let Some(error) = state.failure() {
            return Err(error);
        }
        let room = ruma::OwnedRoomId::try_from(format!("!dm-{}:{}", user.localpart(), user.server_name()))
            .map_err(|e| HomeserverError::Refused(e.to_string()))?;
        if !state.is_in(&room) {
            state.rooms.push(room.clone());
        }
        Ok(room)
    }

    async fn display_name(&self, user: &ruma::UserId) -> Option<String> {
        self.inner.lock().expect("fake lock").names.get(user).cloned()
    }

    /// Granted unless [`FakeHomeserver::refuse_widgets`] said otherwise.
    async fn can_add_widget(&self, room: &ruma::RoomId) -> Result<bool, HomeserverError> {
        let state = self.inner.lock().expect("fake lock");
        Ok(!state.widgets_refused.contains(&room.to_owned()))
    }

    async fn is_member(&self, room: &ruma::RoomId, user: &ruma::UserId) -> Result<bool, HomeserverError> {
        let state = self.inner.lock().expect("fake lock");
        Ok(state.members.contains(&(room.to_owned(), user.to_owned())))
    }

    /// A team room numbered in order of creation: `!team-1:localhost`, …
    async fn create_team_room(
        &self,
        _name: &str,
        _topic: &str,
    ) -> Result<ruma::OwnedRoomId, HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        if let Some(error) = state.failure() {
            return Err(error);
        }
        let room = ruma::OwnedRoomId::try_from(format!("!team-{}:localhost", state.rooms.len() + 1))
            .map_err(|e| HomeserverError::Refused(e.to_string()))?;
        state.rooms.push(room.clone());
        Ok(room)
    }

    /// As a homeserver does, refused for a room the bot is not in.
    async fn joined_members(&self, room: &ruma::RoomId) -> Result<Vec<ruma::OwnedUserId>, HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        if let Some(error) = state.failure() {
            return Err(error);
        }
        if !state.is_in(room) {
            return Err(HomeserverError::Refused(format!("the bot is not in {room}")));
        }
        let mut members: Vec<_> =
            state.members.iter().filter(|(r, _)| r == room).map(|(_, u)| u.clone()).collect();
        members.sort();
        Ok(members)
    }

    /// Nobody is invited into a room the bot is not in; a queued failure refuses everyone.
    async fn invite_missing(
        &self,
        room: &ruma::RoomId,
        people: &[ruma::OwnedUserId],
    ) -> Vec<(ruma::OwnedUserId, String)> {
        let mut state = self.inner.lock().expect("fake lock");
        let refusal = match state.failure() {
            Some(error) => Some(error.to_string()),
            None => (!state.is_in(room)).then(|| "the bot is not in the room".to_owned()),
        };
        if let Some(reason) = refusal {
            return people.iter().map(|p| (p.clone(), reason.clone())).collect();
        }
        for person in people {
            let key = (room.to_owned(), person.clone());
            if !state.members.contains(&key) {
                state.invited.insert(key);
            }
        }
        Vec::new()
    }

    async fn download(
        &self,
        file: &szpon_bots::RepliedFile,
        limit: usize,
    ) -> Result<Option<Vec<u8>>, HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        state.downloads += 1;
        let bytes = state.files.get(file.url.as_str()).cloned();
        let bytes = bytes.ok_or_else(|| HomeserverError::Refused(format!("no file at {}", file.url)))?;
        Ok((bytes.len() <= limit).then_some(bytes))
    }
}

#[cfg(test)]
mod tests {
    use ruma::{owned_room_id, owned_user_id};

    use super::*;

    #[tokio::test]
    async fn the_fake_refuses_what_a_homeserver_refuses_in_a_room_the_bot_is_not_in() {
        let homeserver = FakeHomeserver::new();
        let stranger_room = owned_room_id!("!obcy:localhost");
        let ewa = owned_user_id!("@ewa:localhost");

        assert!(matches!(homeserver.joined_members(&stranger_room).await, Err(HomeserverError::Refused(_))));
        let refused = homeserver.invite_missing(&stranger_room, std::slice::from_ref(&ewa)).await;
        assert_eq!(refused.len(), 1);
        assert!(!homeserver.was_invited(&stranger_room, &ewa));

        let team = homeserver.create_team_room("Zespół", "Sprawy zespołu").await.unwrap();
        assert_eq!(homeserver.joined_members(&team).await.unwrap(), Vec::<ruma::OwnedUserId>::new());
        assert!(homeserver.invite_missing(&team, std::slice::from_ref(&ewa)).await.is_empty());
        assert!(homeserver.was_invited(&team, &ewa));
    }
}
