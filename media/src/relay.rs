//! The relay between a browser and Janus: a browser's only way to Janus, admitted to one room.
//!
//! A browser speaks Janus's own WebSocket API (janus.js), but to szpon, which has already
//! checked who the person is and which call they may join. The relay forwards only what a
//! participant of that one VideoRoom needs (a session, a VideoRoom handle, joining, publishing,
//! subscribing, ICE candidates), rewrites every join to that room with its PIN and the person's
//! own name, and refuses everything else: other rooms, other plugins, room administration, other
//! sessions. The browser never learns the PIN, the room's secret or Janus's API secret.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use futures_util::{Sink, SinkExt, Stream, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest, http::HeaderValue};

/// The one room a browser was let into, and as whom.
#[derive(Clone)]
pub struct Admission {
    pub room: u64,
    pub pin: String,
    /// The person's name as others see it in the call; the browser cannot choose another.
    pub display: String,
    /// Whether they may send video: everyone in a call, the presenter alone in a broadcast
    /// (everyone else only watches).
    pub publish: bool,
}

impl std::fmt::Debug for Admission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admission")
            .field("room", &self.room)
            .field("publish", &self.publish)
            .finish_non_exhaustive()
    }
}

/// What the relay does with one message from the browser.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Send this (rewritten) request to Janus.
    Forward(Value),
    /// Answer the browser with this error, as Janus would, and send nothing on.
    Refuse(Value),
}

/// VideoRoom requests a participant sends; everything else (create, destroy, kick, list,
/// rtp_forward, recording…) is administration, which only szpon does.
const PARTICIPANT_REQUESTS: &[&str] = &[
    "configure",
    "publish",
    "unpublish",
    "start",
    "pause",
    "switch",
    "update",
    "subscribe",
    "unsubscribe",
    "leave",
];
const VIDEOROOM: &str = "janus.plugin.videoroom";
/// Janus's "unauthorized request" code, which janus.js reports as such.
const UNAUTHORIZED: u64 = 403;
/// A call page needs one session, with a handle to publish and one per feed it watches.
const MAX_SESSIONS: usize = 2;
const MAX_HANDLES: usize = 32;
/// The largest message taken from a browser (an SDP offer is a few kilobytes).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The sessions and handles one browser made through the relay; it may use no others.
#[derive(Debug, Default)]
pub struct Gate {
    sessions: HashSet<u64>,
    handles: HashSet<u64>,
    /// Transactions of `create` and `attach` requests, to learn the IDs Janus gives back.
    pending: HashMap<String, Pending>,
}

#[derive(Debug, Clone, Copy)]
enum Pending {
    Session,
    Handle,
}

impl Gate {
    /// Checks and rewrites one message from the browser.
    pub fn admit(&mut self, text: &str, admission: &Admission, api_secret: Option<&str>) -> Verdict {
        let Ok(Value::Object(mut request)) = serde_json::from_str::<Value>(text) else {
            return refusal(&Value::Null, "not a Janus request");
        };
        let transaction = request.get("transaction").cloned().unwrap_or(Value::Null);
        let verb = request.get("janus").and_then(Value::as_str).unwrap_or_default().to_owned();
        if let Err(reason) = self.check(&verb, &mut request, admission) {
            return refusal(&transaction, reason);
        }
        if let (Some(kind), Some(id)) = (pending_kind(&verb), transaction.as_str()) {
            self.pending.insert(id.to_owned(), kind);
        }
        request.remove("apisecret");
        request.remove("token");
        if let Some(secret) = api_secret {
            request.insert("apisecret".to_owned(), Value::from(secret));
        }
        Verdict::Forward(Value::Object(request))
    }

    /// Learns the session and handle IDs Janus gave this browser from Janus's answer.
    pub fn observe(&mut self, text: &str) {
        let Ok(answer) = serde_json::from_str::<Value>(text) else { return };
        let Some(transaction) = answer.get("transaction").and_then(Value::as_str) else { return };
        let Some(kind) = self.pending.remove(transaction) else { return };
        let id = answer.get("data").and_then(|data| data.get("id")).and_then(Value::as_u64);
        match (answer.get("janus").and_then(Value::as_str), kind, id) {
            (Some("success"), Pending::Session, Some(id)) => {
                self.sessions.insert(id);
            }
            (Some("success"), Pending::Handle, Some(id)) => {
                self.handles.insert(id);
            }
            _ => {}
        }
    }

    fn check(
        &self,
        verb: &str,
        request: &mut serde_json::Map<String, Value>,
        admission: &Admission,
    ) -> Result<(), &'static str> {
        if verb == "create" {
            return match self.sessions.len() + self.pending.len() < MAX_SESSIONS {
                true => Ok(()),
                false => Err("too many sessions"),
            };
        }
        let session = request.get("session_id").and_then(Value::as_u64);
        if !session.is_some_and(|id| self.sessions.contains(&id)) {
            return Err("not a session of this connection");
        }
        match verb {
            "keepalive" | "destroy" => Ok(()),
            "attach" if self.handles.len() + self.pending.len() >= MAX_HANDLES => Err("too many handles"),
            "attach" => match request.get("plugin").and_then(Value::as_str) {
                Some(VIDEOROOM) => Ok(()),
                _ => Err("only the video room plugin may be used"),
            },
            "message" | "trickle" | "detach" | "hangup" => {
                let handle = request.get("handle_id").and_then(Value::as_u64);
                if !handle.is_some_and(|id| self.handles.contains(&id)) {
                    return Err("not a handle of this connection");
                }
                match (verb, request.get_mut("body")) {
                    ("message", Some(Value::Object(body))) => rewrite_body(body, admission),
                    ("message", _) => Err("a message needs a body"),
                    _ => Ok(()),
                }
            }
            _ => Err("this request is not allowed here"),
        }
    }
}

fn pending_kind(verb: &str) -> Option<Pending> {
    match verb {
        "create" => Some(Pending::Session),
        "attach" => Some(Pending::Handle),
        _ => None,
    }
}

/// A VideoRoom request, as a participant of the admitted room may send it.
fn rewrite_body(
    body: &mut serde_json::Map<String, Value>,
    admission: &Admission,
) -> Result<(), &'static str> {
    let request = body.get("request").and_then(Value::as_str).unwrap_or_default();
    match request {
        "join" | "joinandconfigure" => {
            match body.get("ptype").and_then(Value::as_str) {
                Some("publisher") if !admission.publish => {
                    return Err("only the presenter sends video here; join as a subscriber");
                }
                Some("publisher") => {
                    body.insert("display".to_owned(), Value::from(admission.display.clone()));
                }
                Some("subscriber") => {}
                _ => return Err("join as a publisher or a subscriber"),
            }
            body.insert("room".to_owned(), Value::from(admission.room));
            body.insert("pin".to_owned(), Value::from(admission.pin.clone()));
            body.remove("token");
            Ok(())
        }
        // Who sends video in this room: a viewer learns whom to watch.
        "listparticipants" => {
            body.insert("room".to_owned(), Value::from(admission.room));
            Ok(())
        }
        // Any room named must be this one (subscribe, switch and update name feeds, which Janus
        // looks up in the handle's own room).
        other if PARTICIPANT_REQUESTS.contains(&other) => match body.get("room") {
            None => Ok(()),
            Some(room) if room.as_u64() == Some(admission.room) => Ok(()),
            Some(_) => Err("another room"),
        },
        _ => Err("this video room request is not allowed here"),
    }
}

fn refusal(transaction: &Value, reason: &str) -> Verdict {
    Verdict::Refuse(json!({
        "janus": "error",
        "transaction": transaction,
        "error": { "code": UNAUTHORIZED, "reason": format!("Unauthorized request: {reason}") },
    }))
}

/// Why a relay ended other than by either side closing it.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("Janus cannot be reached: {0}")]
    Unavailable(String),
}

/// How many browsers are in each room now, through the relay, and how many of them only watch;
/// Janus itself lists publishers only, so viewers are counted here.
#[derive(Debug, Clone, Default)]
pub struct Presence {
    rooms: Arc<Mutex<HashMap<u64, Counts>>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    browsers: usize,
    viewers: usize,
}

impl Presence {
    pub fn count(&self, room: u64) -> usize {
        self.lock().get(&room).map_or(0, |counts| counts.browsers)
    }

    /// The browsers in `room` that may only watch.
    pub fn viewers(&self, room: u64) -> usize {
        self.lock().get(&room).map_or(0, |counts| counts.viewers)
    }

    /// Counts one browser in `room` (as a viewer, if it may only watch) until the returned
    /// guard is dropped.
    pub fn enter(&self, room: u64, viewer: bool) -> PresenceGuard {
        let mut rooms = self.lock();
        let counts = rooms.entry(room).or_default();
        counts.browsers += 1;
        counts.viewers += usize::from(viewer);
        PresenceGuard { presence: self.clone(), room, viewer }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Counts>> {
        self.rooms.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One browser counted in a room.
#[derive(Debug)]
pub struct PresenceGuard {
    presence: Presence,
    room: u64,
    viewer: bool,
}

impl Drop for PresenceGuard {
    fn drop(&mut self) {
        let mut rooms = self.presence.lock();
        if let Some(counts) = rooms.get_mut(&self.room) {
            counts.browsers = counts.browsers.saturating_sub(1);
            counts.viewers = counts.viewers.saturating_sub(usize::from(self.viewer));
            if counts.browsers == 0 {
                rooms.remove(&self.room);
            }
        }
    }
}

/// Relays one browser's WebSocket to Janus's (`janus_url`, `ws://127.0.0.1:8188`) until either
/// side closes. Messages from the browser pass through a [`Gate`]; Janus's pass unchanged.
pub async fn run<I, O>(
    mut from_browser: I,
    mut to_browser: O,
    janus_url: &str,
    api_secret: Option<&str>,
    admission: &Admission,
) -> Result<(), RelayError>
where
    I: Stream<Item = String> + Unpin,
    O: Sink<String> + Unpin,
{
    let mut request = janus_url.into_client_request().map_err(|e| RelayError::Unavailable(e.to_string()))?;
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("janus-protocol"));
    let (janus, _) = tokio_tungstenite::connect_async(request)
        .await
        .map_err(|e| RelayError::Unavailable(e.to_string()))?;
    let (mut to_janus, mut from_janus) = janus.split();
    let mut gate = Gate::default();
    loop {
        tokio::select! {
            text = from_browser.next() => {
                let Some(text) = text else { break };
                let verdict = if text.len() > MAX_MESSAGE_BYTES {
                    refusal(&Value::Null, "message too large")
                } else {
                    gate.admit(&text, admission, api_secret)
                };
                match verdict {
                    Verdict::Forward(request) => {
                        let sent = to_janus.send(tungstenite::Message::text(request.to_string())).await;
                        if sent.is_err() { break }
                    }
                    Verdict::Refuse(answer) => {
                        if to_browser.send(answer.to_string()).await.is_err() { break }
                    }
                }
            }
            message = from_janus.next() => {
                let text = match message {
                    Some(Ok(tungstenite::Message::Text(text))) => text.to_string(),
                    Some(Ok(tungstenite::Message::Close(_)) | Err(_)) | None => break,
                    Some(Ok(_)) => continue,
                };
                gate.observe(&text);
                if to_browser.send(text).await.is_err() { break }
            }
        }
    }
    let _ = to_janus.send(tungstenite::Message::Close(None)).await;
    Ok(())
}

#[cfg(test)]
mod tests;
