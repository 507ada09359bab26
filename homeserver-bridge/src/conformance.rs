//! One table of cases for every [`Homeserver`]: what a real homeserver carries out and what it
//! refuses. The in-memory fake is checked against it in this crate's tests, and the Matrix
//! bridge against a real Synapse in the end-to-end tests, so that the fake the engine's tests
//! lean on refuses what Synapse refuses.

use ruma::{OwnedRoomId, OwnedUserId};
use szpon_bots::{Action, Notice, PollChoice, Widget};

use crate::{Homeserver, HomeserverError};

/// The rooms and people the cases are about, set up on the homeserver beforehand.
#[derive(Debug, Clone)]
pub struct World {
    /// A room the bot is in, with the power to invite and to set widgets.
    pub joined: OwnedRoomId,
    /// A room the bot is in at power 0, where widgets need more.
    pub powerless: OwnedRoomId,
    /// A room that exists, which the bot was never in.
    pub stranger: OwnedRoomId,
    /// A room ID no room has.
    pub missing: OwnedRoomId,
    /// Someone to invite, in none of these rooms.
    pub guest: OwnedUserId,
}

/// What a case should come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Done,
    Refused,
    Yes,
    No,
}

#[derive(Debug, Clone)]
enum Probe {
    Perform(Action),
    CanAddWidget(OwnedRoomId),
    JoinedMembers(OwnedRoomId),
    InviteMissing(OwnedRoomId, OwnedUserId),
}

#[derive(Debug, Clone)]
struct Case {
    name: &'static str,
    probe: Probe,
    expected: Expected,
}

fn notice(room: &OwnedRoomId) -> Action {
    Action::SendNotice { room_id: room.clone(), notice: Notice::from_plain("Próba / A test".to_owned()) }
}

fn poll(room: &OwnedRoomId) -> Action {
    Action::SendPoll {
        room_id: room.clone(),
        question: "Działa?".to_owned(),
        fallback: "Działa? 1. tak".to_owned(),
        choices: vec![PollChoice { id: "tak".to_owned(), label: "tak".to_owned() }],
        max_selections: 1,
    }
}

fn widget(room: &OwnedRoomId) -> Action {
    Action::SetWidget {
        room_id: room.clone(),
        widget_id: "szpon-proba".to_owned(),
        widget: Some(Widget {
            kind: "m.custom".to_owned(),
            url: "https://szpon.example/proba".to_owned(),
            name: "Próba".to_owned(),
            data: serde_json::Map::new(),
        }),
    }
}

fn invite(room: &OwnedRoomId, user: &OwnedUserId) -> Action {
    Action::InviteUser { room_id: room.clone(), user_id: user.clone() }
}

fn cases(world: &World) -> Vec<Case> {
    use Expected::{Done, No, Refused, Yes};
    use Probe::{CanAddWidget, InviteMissing, JoinedMembers, Perform};
    let World { joined, powerless, stranger, missing, guest } = world;
    let case = |name, probe, expected| Case { name, probe, expected };
    vec![
        case("a notice in a room the bot is in is sent", Perform(notice(joined)), Done),
        case("a notice in a room the bot was never in is refused", Perform(notice(stranger)), Refused),
        case("a notice in a room that does not exist is refused", Perform(notice(missing)), Refused),
        case("a poll in a room the bot is in is sent", Perform(poll(joined)), Done),
        case("a poll in a room the bot was never in is refused", Perform(poll(stranger)), Refused),
        case("inviting into a room the bot is in is done", Perform(invite(joined, guest)), Done),
        case(
            "inviting someone already invited is done, with nothing to do",
            Perform(invite(joined, guest)),
            Done,
        ),
        case(
            "inviting into a room the bot was never in is refused",
            Perform(invite(stranger, guest)),
            Refused,
        ),
        case("the bot may add a widget where its power allows", CanAddWidget(joined.clone()), Yes),
        case("the bot may not add a widget where its power is 0", CanAddWidget(powerless.clone()), No),
        case("a widget set where the bot's power allows is done", Perform(widget(joined)), Done),
        case("a widget set where the bot's power is 0 is refused", Perform(widget(powerless)), Refused),
        case("a widget set in a room the bot was never in is refused", Perform(widget(stranger)), Refused),
        case(
            "the members of a room the bot was never in are refused",
            JoinedMembers(stranger.clone()),
            Refused,
        ),
        case(
            "inviting people into a room the bot was never in refuses each",
            InviteMissing(stranger.clone(), guest.clone()),
            Refused,
        ),
    ]
}

/// What a probe came to, in the terms of [`Expected`]; `Err` for an answer no case expects (the
/// homeserver unavailable).
async fn outcome(homeserver: &dyn Homeserver, probe: &Probe, txn_id: &str) -> Result<Expected, String> {
    let refused_or = |result: Result<Expected, HomeserverError>| match result {
        Ok(expected) => Ok(expected),
        Err(HomeserverError::Refused(_)) => Ok(Expected::Refused),
        Err(other) => Err(other.to_string()),
    };
    match probe {
        Probe::Perform(action) => {
            refused_or(homeserver.perform(action, txn_id).await.map(|()| Expected::Done))
        }
        Probe::CanAddWidget(room) => refused_or(
            homeserver.can_add_widget(room).await.map(|can| if can { Expected::Yes } else { Expected::No }),
        ),
        Probe::JoinedMembers(room) => {
            refused_or(homeserver.joined_members(room).await.map(|_| Expected::Done))
        }
        Probe::InviteMissing(room, user) => {
            let refused = homeserver.invite_missing(room, std::slice::from_ref(user)).await;
            Ok(if refused.is_empty() { Expected::Done } else { Expected::Refused })
        }
    }
}

/// Runs every case, in order, on `homeserver`; returns the cases that came out otherwise, each
/// said with what it came to. `run` names the run, so that its transaction IDs are its own.
pub async fn check(homeserver: &dyn Homeserver, world: &World, run: &str) -> Vec<String> {
    let mut mismatches = Vec::new();
    for (n, case) in cases(world).iter().enumerate() {
        let got = outcome(homeserver, &case.probe, &format!("conformance-{run}-{n}")).await;
        if got != Ok(case.expected) {
            mismatches.push(format!("{}: expected {:?}, got {got:?}", case.name, case.expected));
        }
    }
    mismatches
}

#[cfg(test)]
mod tests {
    use ruma::{owned_room_id, owned_user_id};

    use super::*;
    use crate::FakeHomeserver;

    #[tokio::test]
    async fn the_fake_carries_out_and_refuses_what_a_homeserver_does() {
        let world = World {
            joined: owned_room_id!("!zespol:localhost"),
            powerless: owned_room_id!("!ogloszenia:localhost"),
            stranger: owned_room_id!("!obcy:localhost"),
            missing: owned_room_id!("!nie-ma:localhost"),
            guest: owned_user_id!("@gosc:localhost"),
        };
        let fake = FakeHomeserver::new();
        fake.join(&world.joined);
        fake.join(&world.powerless);
        fake.refuse_widgets(&world.powerless);
        let mismatches = check(&fake, &world, "fake").await;
        assert!(mismatches.is_empty(), "{mismatches:#?}");
    }
}
