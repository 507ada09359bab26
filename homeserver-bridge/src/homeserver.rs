use szpon_bots::Action;

/// Why an action could not be carried out, which tells the caller whether to try again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HomeserverError {
    /// The homeserver is down, slow or overloaded: the same action may succeed later.
    #[error("homeserver unavailable: {0}")]
    Unavailable(String),
    /// The homeserver said no for good (not a member, room gone, forbidden).
    #[error("homeserver refused: {0}")]
    Refused(String),
}

/// A file to post: a picture (`m.image`, with its size in pixels) or any other file (`m.file`).
#[derive(Debug, Clone, Copy)]
pub struct Media<'a> {
    pub name: &'a str,
    pub mime: &'a str,
    pub bytes: &'a [u8],
    pub image: Option<(u32, u32)>,
    /// Said with the file (a picture's description, a file's title), and in its stead where it
    /// cannot be shown.
    pub caption: Option<&'a str>,
    /// The bytes' hash, for files that many rooms get (a lesson's picture): uploaded once, and
    /// the upload reused.
    pub shared_as: Option<&'a str>,
}

/// The homeserver as the rest of szpon sees it: a place where actions are carried out.
///
/// `txn_id` is the action's stable identity: carrying out the same action twice with the same
/// `txn_id` (after a crash between sending and recording it) must not send it twice.
#[async_trait::async_trait]
pub trait Homeserver: Send + Sync {
    async fn perform(&self, action: &Action, txn_id: &str) -> Result<(), HomeserverError>;

    /// Posts a file into a room (encrypted in an encrypted room), once per `txn_id`.
    async fn send_media(
        &self,
        room_id: &ruma::RoomId,
        media: &Media<'_>,
        txn_id: &str,
    ) -> Result<(), HomeserverError>;

    /// Opens an encrypted direct chat between the bot and `user` (who is invited), and returns it.
    async fn open_direct_chat(&self, user: &ruma::UserId) -> Result<ruma::OwnedRoomId, HomeserverError>;

    /// Creates a course's encrypted room with the trainer (invited) at power 50 and everyone
    /// else at 0, and returns it.
    async fn create_course_room(
        &self,
        name: &str,
        topic: &str,
        trainer: &ruma::UserId,
    ) -> Result<ruma::OwnedRoomId, HomeserverError>;

    /// Creates an encrypted private room for a team (a department's clerks, the support team)
    /// with the bot in it, and returns it. Members are invited with
    /// [`Homeserver::invite_missing`].
    async fn create_team_room(&self, name: &str, topic: &str) -> Result<ruma::OwnedRoomId, HomeserverError>;

    /// The people joined to a room the bot is in, as the homeserver has them now.
    async fn joined_members(&self, room: &ruma::RoomId) -> Result<Vec<ruma::OwnedUserId>, HomeserverError>;

    /// Invites each person not yet in (or invited to) a room the bot is in. Those who cannot be
    /// invited (say, whose accounts do not exist yet) are returned with the reason; they are
    /// tried again on the next call.
    async fn invite_missing(
        &self,
        room: &ruma::RoomId,
        people: &[ruma::OwnedUserId],
    ) -> Vec<(ruma::OwnedUserId, String)>;

    /// `user`'s display name, cleaned of control and direction marks; `None` when they have none
    /// or it cannot be had now (the ID is shown then).
    async fn display_name(&self, user: &ruma::UserId) -> Option<String>;

    /// Whether `user` is joined to `room`, as the bot's synced state says: a room's calendar
    /// feed serves only its current members.
    async fn is_member(&self, room: &ruma::RoomId, user: &ruma::UserId) -> Result<bool, HomeserverError>;

    /// Posts a notice and returns its event, once per `txn_id`; or, with `replaces`, edits the
    /// bot's earlier notice (`m.replace`) to say `notice` instead, as every client shows edits.
    async fn post_notice(
        &self,
        room: &ruma::RoomId,
        notice: &szpon_bots::Notice,
        replaces: Option<&ruma::EventId>,
        txn_id: &str,
    ) -> Result<ruma::OwnedEventId, HomeserverError>;

    /// Whether the bot may add a widget to `room` (its power level allows the
    /// `im.vector.modular.widgets` state event).
    async fn can_add_widget(&self, room: &ruma::RoomId) -> Result<bool, HomeserverError>;

    /// A file someone sent, decrypted, if it is at most `limit` bytes; `None` if it is larger.
    /// The size is capped while it streams, whatever the event claims.
    async fn download(
        &self,
        file: &szpon_bots::RepliedFile,
        limit: usize,
    ) -> Result<Option<Vec<u8>>, HomeserverError>;
}
