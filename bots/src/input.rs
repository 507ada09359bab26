use ruma::{OwnedEventId, OwnedRoomId, OwnedUserId};
use serde::{Deserialize, Serialize};

/// What the homeserver bridge hands to the bots: Matrix events reduced to what the bots need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Input {
    Message(UserMessage),
    Invite(Invite),
    /// An answer to a native poll the bot started.
    PollVote(PollVote),
    /// An event deleted from a room (`m.room.redaction`).
    Redaction(Redaction),
    /// Someone joined or left a room the bot is in.
    Membership(Membership),
    /// Someone reacted to a message (`m.reaction`): a LIVE event's upvote.
    Reaction(Reaction),
}

impl Input {
    /// The event that must be handled at most once, if this input is such an event.
    pub fn event_id(&self) -> Option<&OwnedEventId> {
        match self {
            Input::Message(message) => Some(&message.event_id),
            Input::PollVote(vote) => Some(&vote.event_id),
            Input::Redaction(redaction) => Some(&redaction.event_id),
            Input::Membership(membership) => Some(&membership.event_id),
            Input::Reaction(reaction) => Some(&reaction.event_id),
            Input::Invite(_) => None,
        }
    }

    /// The person the input comes from, whose stored state the bot needs.
    pub fn sender(&self) -> &OwnedUserId {
        match self {
            Input::Message(message) => &message.sender,
            Input::PollVote(vote) => &vote.sender,
            Input::Redaction(redaction) => &redaction.sender,
            Input::Invite(invite) => &invite.inviter,
            Input::Membership(membership) => &membership.user_id,
            Input::Reaction(reaction) => &reaction.sender,
        }
    }
}

/// Someone's answer to a poll: the ids of the answers they chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollVote {
    pub event_id: OwnedEventId,
    pub room_id: OwnedRoomId,
    pub sender: OwnedUserId,
    pub poll_id: OwnedEventId,
    pub answers: Vec<String>,
}

/// Someone joined a room, or left it (or was removed or banned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub event_id: OwnedEventId,
    pub room_id: OwnedRoomId,
    pub user_id: OwnedUserId,
    pub joined: bool,
}

/// Someone reacted to a message with a key (an emoji, mostly).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub event_id: OwnedEventId,
    pub room_id: OwnedRoomId,
    pub sender: OwnedUserId,
    /// The message reacted to.
    pub relates_to: OwnedEventId,
    pub key: String,
}

/// Someone deleted an event from a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redaction {
    /// The redaction's own event.
    pub event_id: OwnedEventId,
    pub room_id: OwnedRoomId,
    pub sender: OwnedUserId,
    /// The event deleted.
    pub redacts: OwnedEventId,
}

/// Whether a room is a one-to-one chat with the bot or a room shared with others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoomKind {
    /// The bot and one person: every message is for the bot.
    Direct,
    /// Several people: only commands and messages that mention the bot are for it.
    Group,
}

/// A message event sent by someone in a room the bot has joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserMessage {
    pub event_id: OwnedEventId,
    pub room_id: OwnedRoomId,
    pub sender: OwnedUserId,
    pub room_kind: RoomKind,
    pub content: MessageContent,
    /// The sender's power level in the room (100 for admins, 50 for moderators).
    #[serde(default)]
    pub sender_power: i64,
    /// The people the message mentions (`m.mentions`), as clients mark pills.
    #[serde(default)]
    pub mentions: Vec<OwnedUserId>,
    /// Of the people the message names (its mentions and the user IDs in its text), those who
    /// are members of the room, joined or invited: only they can be given the room's tasks.
    #[serde(default)]
    pub members_named: Vec<OwnedUserId>,
    /// Whether the room is encrypted, as the bridge knows it.
    #[serde(default)]
    pub room_encrypted: bool,
    /// Whether the room is the sender's private chat with the bot: a direct chat opened with
    /// `is_direct` (by them or by the bot), encrypted, with no one else in it. The engine sets
    /// it from the store's record of such chats; two members alone are not enough. Agendas,
    /// queues and personal addresses are said only here.
    #[serde(default)]
    pub private_chat: bool,
    /// The event this message replies to, if it is a reply.
    #[serde(default)]
    pub in_reply_to: Option<Box<RepliedTo>>,
}

/// A file a message replies to, as its event describes it: nothing of it is downloaded until a
/// command that needs it (a trainer's `!kurs opublikuj`) is allowed to read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepliedFile {
    pub name: String,
    pub mimetype: Option<String>,
    /// What the event claims; the download is capped whatever it says.
    pub size: Option<u64>,
    /// Where the homeserver holds it.
    pub url: ruma::OwnedMxcUri,
    /// How to decrypt it, for a file sent in an encrypted room: the event's `file` object
    /// (`EncryptedFile`), kept as JSON.
    pub encryption: Option<serde_json::Value>,
}

/// What kind of file a reply names, by its name and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A `.zip` package: a course with its lessons' files.
    Package,
    /// Markdown, plain text or GIFT: a course file or a question bank.
    Text,
    /// Anything else, which is never read.
    Other,
}

impl RepliedFile {
    pub fn kind(&self) -> FileKind {
        let name = self.name.to_lowercase();
        let mime = self.mimetype.as_deref();
        if name.ends_with(".zip") || matches!(mime, Some("application/zip" | "application/x-zip-compressed"))
        {
            FileKind::Package
        } else if mime.is_some_and(|m| m.starts_with("text/"))
            || [".md", ".markdown", ".txt", ".gift"].iter().any(|ext| name.ends_with(ext))
        {
            FileKind::Text
        } else {
            FileKind::Other
        }
    }

    /// The most bytes worth fetching for this kind of file.
    pub fn limit(&self) -> usize {
        match self.kind() {
            FileKind::Package => crate::MAX_PACKAGE_BYTES,
            FileKind::Text => crate::MAX_TEXT_FILE_BYTES,
            FileKind::Other => 0,
        }
    }
}

/// The event a message replies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepliedTo {
    pub event_id: OwnedEventId,
    /// The text of that event, if it is the bot's own message: a reply to a visit notice is
    /// read with the visit it names.
    #[serde(default)]
    pub bot_text: Option<String>,
    /// That event's file, if it is one: described, not downloaded.
    #[serde(default)]
    pub file: Option<Box<RepliedFile>>,
    /// The content of that file, if it is a small text file (a course file, a question bank)
    /// that a command needed: a trainer publishes a course by replying to the file.
    #[serde(default)]
    pub file_text: Option<String>,
    /// The content of that file, if it is a `.zip` package within the limit that a command
    /// needed: a course with its lessons' pictures and files.
    #[serde(default)]
    pub file_package: Option<Vec<u8>>,
    /// The file was needed but the homeserver could not hand it over just now.
    #[serde(default)]
    pub file_unavailable: bool,
}

impl RepliedTo {
    pub fn event(event_id: OwnedEventId) -> Self {
        RepliedTo {
            event_id,
            bot_text: None,
            file: None,
            file_text: None,
            file_package: None,
            file_unavailable: false,
        }
    }
}

/// The part of a message the bots read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum MessageContent {
    /// `m.text` or `m.emote`. The HTML body is never interpreted: commands come from `body`.
    Text { body: String },
    /// `m.notice`: by Matrix convention sent by bots, and never answered, so bots never loop.
    Notice,
    /// `m.file`: a document, kept in the room's register.
    File(crate::documents::SharedFile),
    /// Anything else a person can send: images, locations, stickers, polls…
    Other { kind: String },
    /// An encrypted message the bot could not decrypt: the key it needs never reached it.
    Unreadable,
}

/// An invitation of the bot into a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub room_id: OwnedRoomId,
    pub inviter: OwnedUserId,
    /// The invitation says the room is a direct chat (`is_direct`, as "Start chat" sends it).
    #[serde(default)]
    pub is_direct: bool,
}
