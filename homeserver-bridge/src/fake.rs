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
        self.inner.lock().expect("fake lock").members.insert((room.to_owned(), user.to_owned()));
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

    /// How many times `perform` was called, including failures and duplicates.
    pub fn calls(&self) -> usize {
        self.inner.lock().expect("fake lock").calls
    }
}

#[async_trait::async_trait]
impl Homeserver for FakeHomeserver {
    async fn perform(&self, action: &Action, txn_id: &str) -> Result<(), HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        state.calls += 1;
        if let Some(error) = state.failures.pop_front() {
            return Err(error);
        }
        if state.seen_txn_ids.insert(txn_id.to_owned()) {
            state.performed.push(action.clone());
        }
        Ok(())
    }

    async fn send_media(
        &self,
        room_id: &ruma::RoomId,
        media: &crate::Media<'_>,
        txn_id: &str,
    ) -> Result<(), HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        state.calls += 1;
        if let Some(error) = state.failures.pop_front() {
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
        state.calls += 1;
        if let Some(error) = state.failures.pop_front() {
            return Err(error);
        }
        ruma::OwnedRoomId::try_from(format!("!course-{}:{}", trainer.localpart(), trainer.server_name()))
            .map_err(|e| HomeserverError::Refused(e.to_string()))
    }

    /// A direct chat named after the person: `!dm-<localpart>:<server>`.
    async fn open_direct_chat(&self, user: &ruma::UserId) -> Result<ruma::OwnedRoomId, HomeserverError> {
        let mut state = self.inner.lock().expect("fake lock");
        state.calls += 1;
        if let Some(error) = state.failures.pop_front() {
            return Err(error);
        }
        ruma::OwnedRoomId::try_from(format!("!dm-{}:{}", user.localpart(), user.server_name()))
            .map_err(|e| HomeserverError::Refused(e.to_string()))
    }

    async fn display_name(&self, user: &ruma::UserId) -> Option<String> {
        self.inner.lock().expect("fake lock").names.get(user).cloned()
    }

    async fn is_member(&self, room: &ruma::RoomId, user: &ruma::UserId) -> Result<bool, HomeserverError> {
        let state = self.inner.lock().expect("fake lock");
        Ok(state.members.contains(&(room.to_owned(), user.to_owned())))
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
