//! An in-memory [`VideoRooms`] that keeps rooms as Janus would, for tests without a Janus.

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::{MediaError, RoomSpec, VideoRooms};

/// Rooms kept in memory. [`FakeVideoRooms::go_down`] makes every request fail as a dead Janus
/// would; [`FakeVideoRooms::set_participants`] stands in for people joining from browsers.
#[derive(Debug, Default)]
pub struct FakeVideoRooms {
    state: Mutex<FakeState>,
}

#[derive(Debug, Default)]
struct FakeState {
    rooms: BTreeMap<u64, FakeRoom>,
    down: bool,
}

#[derive(Debug)]
struct FakeRoom {
    spec: RoomSpec,
    participants: usize,
}

impl FakeVideoRooms {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every later request fails as unavailable, until [`FakeVideoRooms::come_back`].
    pub fn go_down(&self) {
        self.lock().down = true;
    }

    /// Janus answers again, having kept its rooms (`restarted` forgets them, as a restarted
    /// Janus does).
    pub fn come_back(&self, restarted: bool) {
        let mut state = self.lock();
        state.down = false;
        if restarted {
            state.rooms.clear();
        }
    }

    pub fn set_participants(&self, number: u64, participants: usize) {
        if let Some(room) = self.lock().rooms.get_mut(&number) {
            room.participants = participants;
        }
    }

    /// The room as it was opened, while it is open.
    pub fn room(&self, number: u64) -> Option<RoomSpec> {
        self.lock().rooms.get(&number).map(|room| room.spec.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn up(&self) -> Result<std::sync::MutexGuard<'_, FakeState>, MediaError> {
        let state = self.lock();
        if state.down {
            return Err(MediaError::Unavailable("the fake Janus is down".to_owned()));
        }
        Ok(state)
    }
}

#[async_trait::async_trait]
impl VideoRooms for FakeVideoRooms {
    async fn open(&self, room: &RoomSpec) -> Result<(), MediaError> {
        let mut state = self.up()?;
        if state.rooms.contains_key(&room.number) {
            return Err(MediaError::Refused(format!("room {} already exists", room.number)));
        }
        state.rooms.insert(room.number, FakeRoom { spec: room.clone(), participants: 0 });
        Ok(())
    }

    async fn close(&self, number: u64, secret: &str) -> Result<(), MediaError> {
        let mut state = self.up()?;
        match state.rooms.get(&number) {
            None => Ok(()),
            Some(room) if room.spec.secret != secret => Err(MediaError::Refused("wrong secret".to_owned())),
            Some(_) => {
                state.rooms.remove(&number);
                Ok(())
            }
        }
    }

    async fn open_rooms(&self) -> Result<Vec<u64>, MediaError> {
        Ok(self.up()?.rooms.keys().copied().collect())
    }

    async fn participants(&self, number: u64) -> Result<usize, MediaError> {
        let state = self.up()?;
        let room =
            state.rooms.get(&number).ok_or_else(|| MediaError::Refused(format!("no room {number}")))?;
        Ok(room.participants)
    }
}
