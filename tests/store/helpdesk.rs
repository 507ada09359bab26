//! Helpdesk tickets on SQLite and PostgreSQL: opening, the one active ticket per conversation,
//! concurrent claims, closing, handing back, and what the queue shows.

use chrono::{DateTime, Duration, Utc};
use ruma::{OwnedRoomId, OwnedUserId, owned_event_id, room_id, user_id};
use szpon::store::{Commit, NewAction, Store, StoreError};
use szpon_bots::{
    Action, Lang, MessageContent, Notice, RoomKind, UserMessage,
    booking::Effect,
    helpdesk::{
        CannedReply, HelpdeskChange, StaffCommand, TemplateChange, Ticket, TicketChange, TicketKind,
        TicketRef, TicketState, TicketTimes,
    },
};

use super::{each_backend, t0};

fn at(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes)
}

fn ticket(id: i64, room: &str, minutes: i64) -> Ticket {
    Ticket {
        id,
        kind: TicketKind::Chat,
        state: TicketState::Pending,
        citizen: user_id!("@jan:localhost").to_owned(),
        room_id: OwnedRoomId::try_from(room).unwrap(),
        topic: Some("faq/dowod_utrata".into()),
        summary: vec!["zgubiłem dowód".into(), "nie pomogło".into()],
        lang: Lang::Pl,
        created_at: at(minutes),
        waiting_since: at(minutes),
        assignee: None,
        first_response_at: None,
        resolved_at: None,
        first_response_due: None,
        resolution_due: None,
        callback: None,
        satisfaction: None,
    }
}

fn said(text: &str) -> NewAction {
    NewAction {
        txn_id: format!("txn-{text}-{}", szpon_test_harness::random_suffix()),
        action: Action::SendNotice {
            room_id: room_id!("!support:localhost").to_owned(),
            notice: Notice::from_plain(text.into()),
        },
    }
}

async fn change(store: &Store, change: TicketChange, text: &str) -> Result<bool, StoreError> {
    let effects = [Effect::Helpdesk(HelpdeskChange::Ticket(change))];
    let actions = [said(text)];
    let commit = Commit {
        event: None,
        user_id: user_id!("@x:localhost"),
        person: None,
        actions: &actions,
        effects: &effects,
        direct_room: None,
    };
    store.commit(&commit, t0()).await
}

#[tokio::test]
async fn a_conversation_has_one_active_ticket_and_numbers_are_never_reused() {
    each_backend(|store| async move {
        assert_eq!(store.next_ticket_id().await.unwrap(), 1);
        assert!(change(&store, TicketChange::Open(ticket(1, "!a:localhost", 0)), "opened 1").await.unwrap());
        // The same number again, or a second active ticket in the same conversation: refused whole.
        let again = change(&store, TicketChange::Open(ticket(1, "!b:localhost", 1)), "dup").await;
        assert!(matches!(again, Err(StoreError::TicketChanged)), "{again:?}");
        let second = change(&store, TicketChange::Open(ticket(2, "!a:localhost", 1)), "dup").await;
        assert!(matches!(second, Err(StoreError::TicketChanged)), "{second:?}");
        assert_eq!(store.pending_count().await.unwrap(), 1, "a refused turn leaves no message behind");
        assert_eq!(store.next_ticket_id().await.unwrap(), 2);

        let stored = store.ticket(1).await.unwrap().unwrap();
        assert_eq!(stored, ticket(1, "!a:localhost", 0));
        assert_eq!(store.active_ticket_in(room_id!("!a:localhost")).await.unwrap(), Some(stored));

        // Once resolved, the conversation may have a new ticket.
        change(&store, TicketChange::Resolve { id: 1, at: at(5) }, "closed").await.unwrap();
        assert!(store.active_ticket_in(room_id!("!a:localhost")).await.unwrap().is_none());
        change(&store, TicketChange::Open(ticket(2, "!a:localhost", 6)), "opened 2").await.unwrap();
        assert_eq!(store.ticket(1).await.unwrap().unwrap().resolved_at, Some(at(5)));
    })
    .await;
}

#[tokio::test]
async fn of_concurrent_claims_exactly_one_wins() {
    each_backend(|store| async move {
        change(&store, TicketChange::Open(ticket(7, "!a:localhost", 0)), "opened").await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..10 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let agent = OwnedUserId::try_from(format!("@agent{i}:localhost")).unwrap();
                change(&store, TicketChange::Claim { id: 7, agent, at: at(3) }, &format!("claim{i}")).await
            }));
        }
        let mut won = 0;
        let mut lost = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(true) => won += 1,
                Err(StoreError::TicketChanged) => lost += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((won, lost), (1, 9));
        let claimed = store.ticket(7).await.unwrap().unwrap();
        assert_eq!(claimed.state, TicketState::Open);
        assert_eq!(claimed.first_response_at, Some(at(3)));
        assert!(claimed.assignee.unwrap().as_str().starts_with("@agent"));
        assert_eq!(store.pending_count().await.unwrap(), 2, "the opening and the one winning claim");
    })
    .await;
}

#[tokio::test]
async fn handing_back_requeues_and_the_queue_shows_the_longest_waiting_first() {
    each_backend(|store| async move {
        change(&store, TicketChange::Open(ticket(1, "!a:localhost", 10)), "1").await.unwrap();
        change(&store, TicketChange::Open(ticket(2, "!b:localhost", 5)), "2").await.unwrap();
        change(&store, TicketChange::Open(ticket(3, "!c:localhost", 20)), "3").await.unwrap();
        let agent = user_id!("@ola:localhost").to_owned();
        change(&store, TicketChange::Claim { id: 2, agent, at: at(21) }, "claim").await.unwrap();
        change(&store, TicketChange::Release { id: 2, to: TicketState::Pending, at: at(30) }, "back")
            .await
            .unwrap();
        change(&store, TicketChange::Release { id: 3, to: TicketState::Bot, at: at(31) }, "bot")
            .await
            .unwrap();
        let queue: Vec<(i64, TicketState)> =
            store.ticket_queue().await.unwrap().iter().map(|t| (t.id, t.state)).collect();
        assert_eq!(queue, [(1, TicketState::Pending), (2, TicketState::Pending)]);
        let back = store.ticket(2).await.unwrap().unwrap();
        assert_eq!((back.assignee, back.waiting_since, back.first_response_at), (None, at(30), Some(at(21))));
        // A finished ticket cannot be finished again.
        let twice =
            change(&store, TicketChange::Release { id: 3, to: TicketState::Pending, at: at(32) }, "x").await;
        assert!(matches!(twice, Err(StoreError::TicketChanged)));

        let message = UserMessage {
            event_id: owned_event_id!("$m"),
            room_id: room_id!("!a:localhost").to_owned(),
            sender: user_id!("@jan:localhost").to_owned(),
            room_kind: RoomKind::Direct,
            content: MessageContent::Text { body: "!zamknij 3".into() },
            sender_power: 0,
            mentions: Vec::new(),
            members_named: Vec::new(),
            room_encrypted: true,
            private_chat: false,
            in_reply_to: None,
        };
        let close = StaffCommand::Close(TicketRef::Number(3));
        let view = store.helpdesk_view(&message, Some(&close), None).await.unwrap();
        assert_eq!(view.active_in_room.map(|t| t.id), Some(1));
        assert_eq!(view.named.map(|t| t.state), Some(TicketState::Bot));
        assert_eq!((view.queue.len(), view.next_id), (0, 4));
        let view = store.helpdesk_view(&message, Some(&StaffCommand::Queue), None).await.unwrap();
        assert_eq!(view.queue.len(), 2);
        // The sender's own tickets, newest first: all three are @jan's.
        assert_eq!(view.own_tickets.iter().map(|t| t.id).collect::<Vec<_>>(), [3, 1, 2]);
    })
    .await;
}

#[tokio::test]
async fn canned_replies_are_saved_replaced_and_deleted() {
    each_backend(|store| async move {
        let set = |name: &str, body: &str| TemplateChange::Set {
            reply: CannedReply { name: name.into(), body: body.into() },
            by: user_id!("@wsparcie:localhost").to_owned(),
        };
        let commit = |change: TemplateChange| {
            let store = store.clone();
            async move {
                let effects = [Effect::Helpdesk(HelpdeskChange::Template(change))];
                let commit = Commit {
                    event: None,
                    user_id: user_id!("@x:localhost"),
                    person: None,
                    actions: &[],
                    effects: &effects,
                    direct_room: None,
                };
                store.commit(&commit, t0()).await.unwrap();
            }
        };
        commit(set("powitanie", "Dzień dobry!")).await;
        commit(set("dowod-utrata", "Zgłoś utratę w mObywatelu.\nPotem złóż wniosek.")).await;
        commit(set("powitanie", "Dzień dobry, tu zespół wsparcia.")).await;
        let names: Vec<(String, String)> =
            store.canned_replies().await.unwrap().into_iter().map(|r| (r.name, r.body)).collect();
        assert_eq!(
            names,
            [
                ("dowod-utrata".to_owned(), "Zgłoś utratę w mObywatelu.\nPotem złóż wniosek.".to_owned()),
                ("powitanie".to_owned(), "Dzień dobry, tu zespół wsparcia.".to_owned()),
            ]
        );
        commit(TemplateChange::Delete { name: "powitanie".into() }).await;
        assert_eq!(store.canned_replies().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_callback_keeps_its_number_and_time() {
    each_backend(|store| async move {
        let mut callback = ticket(1, "!a:localhost", 0);
        callback.kind = TicketKind::Callback;
        callback.callback = Some(szpon_bots::helpdesk::Callback {
            phone: "+48600123456".into(),
            when: Some("jutro po 14:00".into()),
        });
        callback.first_response_due = Some(at(60));
        change(&store, TicketChange::Open(callback.clone()), "opened").await.unwrap();
        assert_eq!(store.ticket(1).await.unwrap(), Some(callback));
    })
    .await;
}

#[tokio::test]
async fn forgetting_deletes_only_old_finished_tickets_and_quiet_memories() {
    each_backend(|store| async move {
        let early = t0() - Duration::days(400);
        let open_at = |store: &Store, t: Ticket, when: DateTime<Utc>| {
            let store = store.clone();
            async move {
                store
                    .apply_effects(&[Effect::Helpdesk(HelpdeskChange::Ticket(TicketChange::Open(t)))], when)
                    .await
                    .unwrap();
            }
        };
        open_at(&store, ticket(1, "!a:localhost", 0), early).await;
        open_at(&store, ticket(2, "!b:localhost", 0), early).await;
        open_at(&store, ticket(3, "!c:localhost", 0), t0()).await;
        // 1 was resolved long ago, 2 still waits after all this time, 3 was resolved today.
        let resolve = |id: i64, when: DateTime<Utc>| {
            let store = store.clone();
            async move {
                let effects =
                    [Effect::Helpdesk(HelpdeskChange::Ticket(TicketChange::Resolve { id, at: when }))];
                let commit = Commit {
                    event: None,
                    user_id: user_id!("@x:localhost"),
                    person: None,
                    actions: &[],
                    effects: &effects,
                    direct_room: None,
                };
                store.commit(&commit, when).await.unwrap();
            }
        };
        resolve(1, early).await;
        resolve(3, t0()).await;
        let mut remembered = szpon_bots::Person::default();
        remembered.helpdesk = remembered.helpdesk.heard("mój PESEL to 90010112345", at(0));
        let quiet = Commit {
            event: None,
            user_id: user_id!("@quiet:localhost"),
            person: Some(&remembered),
            actions: &[],
            effects: &[],
            direct_room: None,
        };
        store.commit(&quiet, early).await.unwrap();
        let recent = Commit {
            event: None,
            user_id: user_id!("@recent:localhost"),
            person: Some(&remembered),
            actions: &[],
            effects: &[],
            direct_room: None,
        };
        store.commit(&recent, t0()).await.unwrap();

        let effects = [Effect::Helpdesk(HelpdeskChange::Forget { before: t0() - Duration::days(365) })];
        let commit = Commit {
            event: None,
            user_id: user_id!("@x:localhost"),
            person: None,
            actions: &[],
            effects: &effects,
            direct_room: None,
        };
        store.commit(&commit, t0()).await.unwrap();
        assert!(store.ticket(1).await.unwrap().is_none(), "an old resolved ticket is deleted");
        assert!(store.ticket(2).await.unwrap().is_some(), "a ticket still waiting is kept");
        assert!(store.ticket(3).await.unwrap().is_some(), "a recent one is kept");
        assert!(store.person(user_id!("@quiet:localhost"), t0()).await.unwrap().helpdesk.recent.is_empty());
        assert_eq!(store.person(user_id!("@recent:localhost"), t0()).await.unwrap().helpdesk.recent.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_rating_is_kept_for_resolved_tickets_only() {
    each_backend(|store| async move {
        change(&store, TicketChange::Open(ticket(1, "!a:localhost", 0)), "opened").await.unwrap();
        change(&store, TicketChange::Rate { id: 1, score: 2, at: at(1) }, "early").await.unwrap();
        assert_eq!(store.ticket(1).await.unwrap().unwrap().satisfaction, None, "not rated while open");
        change(&store, TicketChange::Resolve { id: 1, at: at(2) }, "closed").await.unwrap();
        change(&store, TicketChange::Rate { id: 1, score: 2, at: at(3) }, "rated").await.unwrap();
        change(&store, TicketChange::Rate { id: 1, score: 5, at: at(4) }, "changed").await.unwrap();
        assert_eq!(store.ticket(1).await.unwrap().unwrap().satisfaction, Some(5));
    })
    .await;
}

#[tokio::test]
async fn the_figures_read_every_ticket_of_the_period_with_its_times_in_order() {
    each_backend(|store| async move {
        assert_eq!(store.tickets_opened_since(at(0)).await.unwrap(), Vec::new(), "no tickets yet");
        let old = ticket(1, "!old:localhost", -60);
        let plain = ticket(2, "!plain:localhost", 30);
        let full = Ticket {
            kind: TicketKind::Callback,
            state: TicketState::Resolved,
            first_response_at: Some(at(12)),
            resolved_at: Some(at(95)),
            first_response_due: Some(at(70)),
            resolution_due: Some(at(970)),
            satisfaction: Some(5),
            ..ticket(3, "!full:localhost", 10)
        };
        let mut effects: Vec<Effect> = [&old, &plain, &Ticket { satisfaction: None, ..full.clone() }]
            .into_iter()
            .map(|t| Effect::Helpdesk(HelpdeskChange::Ticket(TicketChange::Open(t.clone()))))
            .collect();
        effects.push(Effect::Helpdesk(HelpdeskChange::Ticket(TicketChange::Rate {
            id: 3,
            score: 5,
            at: at(110),
        })));
        store.apply_effects(&effects, at(110)).await.unwrap();
        let read = store.tickets_opened_since(at(0)).await.unwrap();
        let expected: Vec<TicketTimes> = [&full, &plain].into_iter().map(TicketTimes::from).collect();
        assert_eq!(read, expected, "oldest first, the ticket before the period left out");
    })
    .await;
}

#[tokio::test]
async fn a_number_given_later_goes_on_an_active_ticket_only() {
    use szpon_bots::helpdesk::Callback;
    each_backend(|store| async move {
        change(&store, TicketChange::Open(ticket(1, "!a:localhost", 0)), "opened").await.unwrap();
        let callback =
            Callback { phone: "+48600123456".into(), when: Some("w poniedziałek, po 14:00".into()) };
        change(&store, TicketChange::AddCallback { id: 1, callback: callback.clone() }, "number")
            .await
            .unwrap();
        let stored = store.ticket(1).await.unwrap().unwrap();
        assert_eq!(stored.callback, Some(callback.clone()));
        assert_eq!(
            store.active_ticket_in(room_id!("!a:localhost")).await.unwrap().unwrap().callback,
            Some(callback.clone())
        );

        // A ticket closed meanwhile: the turn is refused whole and decided again.
        change(&store, TicketChange::Resolve { id: 1, at: at(5) }, "closed").await.unwrap();
        let late = change(&store, TicketChange::AddCallback { id: 1, callback }, "late").await;
        assert!(matches!(late, Err(StoreError::TicketChanged)), "{late:?}");
    })
    .await;
}
