//! [`VideoRooms`] on a real Janus, through jarust's REST interface. Each request opens a Janus
//! session of its own and destroys it after, so that a restarted Janus costs nothing but the
//! request that was under way.

use std::time::Duration;

use jarust::core::jaconfig::{JaConfig, JanusAPI};
use jarust::core::jasession::JaSession;
use jarust::interface::tgenerator::RandomTransactionGenerator;
use jarust::plugins::JanusId;
use jarust::plugins::video_room::handle::VideoRoomHandle;
use jarust::plugins::video_room::jahandle_ext::VideoRoom;
use jarust::plugins::video_room::params::{
    VideoRoomAudioCodec, VideoRoomAudioCodecList, VideoRoomCreateParams, VideoRoomDestroyParams,
    VideoRoomDestroyParamsOptional, VideoRoomListParticipantsParams, VideoRoomVideoCodec,
    VideoRoomVideoCodecList,
};
use serde::Deserialize;
use serde_json::json;

use crate::{MediaError, ROOM_DESCRIPTION_PREFIX, RoomSpec, VideoRooms};

const TIMEOUT: Duration = Duration::from_secs(10);
/// VideoRoom's error for a room it does not have.
const NO_SUCH_ROOM: u16 = 426;
/// How often a publisher is asked for a keyframe, so that late joiners and forwarded streams
/// see a picture within seconds.
const KEYFRAME_SECONDS: u64 = 10;

/// A Janus reached over its HTTP API (`http://127.0.0.1:8088/janus`).
#[derive(Clone)]
pub struct Janus {
    url: String,
    api_secret: Option<String>,
    admin_key: String,
}

impl std::fmt::Debug for Janus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Janus").field("url", &self.url).finish_non_exhaustive()
    }
}

impl Janus {
    /// `url` is the HTTP transport's root without its base path (`http://127.0.0.1:8088`);
    /// `api_secret` is Janus's `api_secret`, `admin_key` the VideoRoom plugin's.
    pub fn new(url: impl Into<String>, api_secret: Option<String>, admin_key: impl Into<String>) -> Self {
        Self { url: url.into(), api_secret, admin_key: admin_key.into() }
    }

    async fn session(&self) -> Result<(JaSession, VideoRoomHandle), MediaError> {
        let config = JaConfig {
            url: self.url.clone(),
            apisecret: self.api_secret.clone(),
            server_root: "janus".to_owned(),
            capacity: 32,
        };
        let mut connection = jarust::core::connect(config, JanusAPI::Restful, RandomTransactionGenerator)
            .await
            .map_err(unavailable)?;
        let session = connection.create_session(30, TIMEOUT).await.map_err(unavailable)?;
        let (handle, _events) = session.attach_video_room(TIMEOUT).await.map_err(unavailable)?;
        Ok((session, handle))
    }

    /// Runs one request in a session of its own, and destroys the session after.
    async fn with_handle<T>(
        &self,
        request: impl AsyncFnOnce(&VideoRoomHandle) -> Result<T, MediaError>,
    ) -> Result<T, MediaError> {
        let (session, handle) = self.session().await?;
        let result = request(&handle).await;
        if let Err(error) = session.destroy(TIMEOUT).await {
            tracing::debug!(%error, "a Janus session was left to time out");
        }
        result
    }
}

#[async_trait::async_trait]
impl VideoRooms for Janus {
    async fn open(&self, room: &RoomSpec) -> Result<(), MediaError> {
        let params = VideoRoomCreateParams {
            admin_key: Some(self.admin_key.clone()),
            room: Some(janus_id(room.number)?),
            description: Some(format!("{ROOM_DESCRIPTION_PREFIX}{}", room.number)),
            is_private: Some(true),
            secret: Some(room.secret.clone()),
            pin: Some(room.pin.clone()),
            publishers: Some(u64::from(room.publishers)),
            audiocodec: Some(VideoRoomAudioCodecList::new(vec![VideoRoomAudioCodec::OPUS])),
            videocodec: Some(VideoRoomVideoCodecList::new(vec![VideoRoomVideoCodec::VP8])),
            fir_freq: Some(KEYFRAME_SECONDS),
            permanent: Some(false),
            ..Default::default()
        };
        self.with_handle(async |handle| {
            handle.create_room_with_config(params, TIMEOUT).await.map(drop).map_err(refused_or_unavailable)
        })
        .await
    }

    async fn close(&self, number: u64, secret: &str) -> Result<(), MediaError> {
        let params = VideoRoomDestroyParams {
            room: janus_id(number)?,
            optional: VideoRoomDestroyParamsOptional {
                secret: Some(secret.to_owned()),
                permanent: Some(false),
            },
        };
        self.with_handle(async |handle| match handle.destroy_room(params, TIMEOUT).await {
            Ok(_) => Ok(()),
            Err(jarust::interface::Error::PluginResponseError { error_code: NO_SUCH_ROOM, .. }) => Ok(()),
            Err(error) => Err(refused_or_unavailable(error)),
        })
        .await
    }

    async fn open_rooms(&self) -> Result<Vec<u64>, MediaError> {
        // jarust's `list_rooms` sends no admin key, and without one Janus hides private rooms.
        let request = json!({ "request": "list", "admin_key": self.admin_key });
        let listed: RoomList = self
            .with_handle(async |handle| {
                handle.send_waiton_rsp::<RoomList>(request, TIMEOUT).await.map_err(refused_or_unavailable)
            })
            .await?;
        Ok(listed
            .list
            .into_iter()
            .filter(|room| {
                room.description.as_deref().is_some_and(|d| d.starts_with(ROOM_DESCRIPTION_PREFIX))
            })
            .map(|room| room.room)
            .collect())
    }

    async fn participants(&self, number: u64) -> Result<usize, MediaError> {
        let params = VideoRoomListParticipantsParams { room: janus_id(number)? };
        self.with_handle(async |handle| {
            let listed = handle.list_participants(params, TIMEOUT).await.map_err(refused_or_unavailable)?;
            Ok(listed.participants.len())
        })
        .await
    }
}

#[derive(Deserialize)]
struct RoomList {
    list: Vec<ListedRoom>,
}

#[derive(Deserialize)]
struct ListedRoom {
    room: u64,
    description: Option<String>,
}

fn janus_id(number: u64) -> Result<JanusId, MediaError> {
    number
        .try_into()
        .map(JanusId::Uint)
        .map_err(|_| MediaError::Refused(format!("room number {number} is above Janus's 63 bits")))
}

fn unavailable(error: jarust::interface::Error) -> MediaError {
    MediaError::Unavailable(error.to_string())
}

/// The plugin's answers are final; anything else (a transport error, a timeout) may pass.
fn refused_or_unavailable(error: jarust::interface::Error) -> MediaError {
    match error {
        jarust::interface::Error::PluginResponseError { .. }
        | jarust::interface::Error::JanusError { .. } => MediaError::Refused(error.to_string()),
        other => MediaError::Unavailable(other.to_string()),
    }
}
