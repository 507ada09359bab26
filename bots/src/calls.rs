//! Video calls in a room: `!wideo` (or `!spotkanie teraz`) starts one, `!dołącz` sends a person
//! their own link, `!zakończ` ends it.
//!
//! The decision is here; the call itself (a Janus room, its widget, its links) is made when the
//! [`CallAction`] is carried out, at the edge, since it needs Janus and fresh secrets. The texts
//! the edge says are here too, so that a call speaks one language from start to end.

use chrono::{DateTime, Utc};
use ruma::{OwnedUserId, RoomId, UserId};
use serde::{Deserialize, Serialize};
use szpon_nlp::Lang;

use crate::{
    i18n::{message, message_with},
    turn::{Action, Notice},
};

/// Who may end someone else's call: the room's moderators.
pub const MODERATOR_POWER: i64 = 50;

/// A call command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallCommand {
    /// `!wideo`, `!spotkanie teraz`
    Start,
    /// `!dołącz`
    Join,
    /// `!zakończ`
    End,
}

/// The call command a text is, if it is one.
pub fn parse_call_command(text: &str) -> Option<CallCommand> {
    let rest = text.trim().strip_prefix('!')?;
    let folded = szpon_nlp::fold_diacritics(&rest.to_lowercase());
    let words: Vec<&str> = folded.split_whitespace().collect();
    match words.as_slice() {
        ["wideo" | "video" | "rozmowa" | "call"] | ["spotkanie" | "meeting", "teraz" | "now"] => {
            Some(CallCommand::Start)
        }
        ["dolacz" | "join"] => Some(CallCommand::Join),
        ["zakoncz" | "end"] => Some(CallCommand::End),
        _ => None,
    }
}

/// A call under way in a room, as the store has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveCall {
    /// The call's public identifier, in its page's address.
    pub id: String,
    pub started_by: OwnedUserId,
    pub started_at: DateTime<Utc>,
    /// A LIVE broadcast (`started_by` is its presenter), said as such.
    pub live: bool,
}

/// What a call command reads: the room's call, if one is under way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallsView {
    pub active: Option<ActiveCall>,
}

/// What carrying out a call decision does, at the edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum CallAction {
    /// Open a Janus room, post its widget and the link, and send `by` their own link. `visit`
    /// is the code of the online visit the call is for, if it is for one.
    Start {
        by: OwnedUserId,
        lang: Lang,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        visit: Option<String>,
    },
    /// Send `user` their own single-use link to the room's call; `quiet`: if there is no call,
    /// say nothing (a course's learners at a session's start: the room says why).
    Ticket {
        user: OwnedUserId,
        lang: Lang,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        quiet: bool,
    },
    /// End the room's call and close its Janus room; `by` is who asked (none: it stood empty).
    End { by: Option<OwnedUserId>, lang: Lang },
    /// Open the room's LIVE broadcast: `presenter` alone sends video, everyone else watches; the
    /// room gets the link in an announcement that keeps the viewer count.
    Live { presenter: OwnedUserId, title: String, lang: Lang },
    /// Show in the broadcast's announcement (edited) how many watch it now.
    Viewers { call_id: String, viewers: i64 },
}

impl CallAction {
    /// The language the action speaks in, where it says anything.
    pub fn lang(&self) -> Lang {
        match self {
            CallAction::Start { lang, .. }
            | CallAction::Ticket { lang, .. }
            | CallAction::End { lang, .. }
            | CallAction::Live { lang, .. } => *lang,
            CallAction::Viewers { .. } => Lang::default(),
        }
    }
}

/// The call desk for one message in a room.
pub struct CallDesk<'a> {
    pub room: &'a RoomId,
    pub sender: &'a UserId,
    pub power: i64,
    pub direct: bool,
    pub view: &'a CallsView,
    pub lang: Lang,
}

impl CallDesk<'_> {
    /// The actions a command asks for.
    pub fn handle(&self, command: CallCommand) -> Vec<Action> {
        if self.direct {
            return vec![self.say("calls-in-rooms")];
        }
        match (command, &self.view.active) {
            (CallCommand::Start, None) => {
                vec![self.call(CallAction::Start {
                    by: self.sender.to_owned(),
                    lang: self.lang,
                    visit: None,
                })]
            }
            (CallCommand::Start | CallCommand::Join, Some(call)) => {
                vec![
                    self.call(CallAction::Ticket {
                        user: self.sender.to_owned(),
                        lang: self.lang,
                        quiet: false,
                    }),
                    self.say(if call.live { "calls-link-sent-live" } else { "calls-link-sent" }),
                ]
            }
            (CallCommand::Join | CallCommand::End, None) => vec![self.say("calls-none")],
            (CallCommand::End, Some(call))
                if call.started_by != self.sender && self.power < MODERATOR_POWER =>
            {
                vec![self.say(if call.live { "calls-end-refused-live" } else { "calls-end-refused" })]
            }
            (CallCommand::End, Some(_)) => {
                vec![self.call(CallAction::End { by: Some(self.sender.to_owned()), lang: self.lang })]
            }
        }
    }

    fn call(&self, call: CallAction) -> Action {
        Action::Call { room_id: self.room.to_owned(), call }
    }

    fn say(&self, key: &str) -> Action {
        Action::SendNotice {
            room_id: self.room.to_owned(),
            notice: Notice::from_plain(message(self.lang, key)),
        }
    }
}

/// The room's announcement of a started call: the link for every client, and what to do in
/// clients that show no widgets. `widget` is false where the bot may not add one.
pub fn announcement(lang: Lang, by: &UserId, link: &str, widget: bool) -> Notice {
    let args = [("by", by.to_string().into()), ("link", link.to_owned().into())];
    announced(lang, "calls-started", &args, widget)
}

/// The citizen's chat is told that their online visit starts, with the link.
pub fn visit_announcement(lang: Lang, code: &str, link: &str, widget: bool) -> Notice {
    let args = [("code", code.to_owned().into()), ("link", link.to_owned().into())];
    announced(lang, "calls-visit-started", &args, widget)
}

/// An announcement, saying too where the bot could not add the widget.
fn announced(
    lang: Lang,
    key: &str,
    args: &[(&'static str, fluent_templates::fluent_bundle::FluentValue<'static>)],
    widget: bool,
) -> Notice {
    let text = message_with(lang, key, args);
    match widget {
        true => Notice::from_plain(text),
        false => Notice::from_plain(format!("{text}\n{}", message(lang, "calls-no-widget"))),
    }
}

/// A person's own link, for their direct chat.
pub fn personal_link(lang: Lang, link: &str, minutes: i64) -> Notice {
    Notice::from_plain(message_with(
        lang,
        "calls-your-link",
        &[("link", link.to_owned().into()), ("minutes", minutes.into())],
    ))
}

/// The room is told that its call ended, and why.
pub fn ended(lang: Lang, by: Option<&UserId>, minutes: i64) -> Notice {
    let text = match by {
        Some(by) => message_with(
            lang,
            "calls-ended-by",
            &[("by", by.to_string().into()), ("minutes", minutes.into())],
        ),
        None => message_with(lang, "calls-ended-empty", &[("minutes", minutes.into())]),
    };
    Notice::from_plain(text)
}

/// A link was asked for a call that has ended meanwhile.
pub fn no_call(lang: Lang) -> Notice {
    Notice::from_plain(message(lang, "calls-none"))
}

/// Janus could not be reached: the call was not started.
pub fn unavailable(lang: Lang) -> Notice {
    Notice::from_plain(message(lang, "calls-unavailable"))
}

/// The office runs without a video gateway.
pub fn not_configured(lang: Lang) -> Notice {
    Notice::from_plain(message(lang, "calls-not-configured"))
}

/// The room's call, for the widget: its name in the room's widget list.
pub fn widget_name(lang: Lang) -> String {
    message(lang, "calls-widget-name")
}

#[cfg(test)]
mod tests;
