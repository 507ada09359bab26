use chrono::{DateTime, Utc};
use ruma::{owned_event_id, owned_room_id, owned_server_name, owned_user_id};

use super::*;
use crate::meetings::Rsvp;

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_790_000_000, 0).unwrap()
}

fn bot() -> OfficeBot {
    OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:gmina.example.pl"), "Gmina Przykładowo"))
}

fn message_in(kind: RoomKind, body: &str) -> Input {
    Input::Message(UserMessage {
        event_id: owned_event_id!("$e1"),
        room_id: owned_room_id!("!r:gmina.example.pl"),
        sender: owned_user_id!("@jan:gmina.example.pl"),
        room_kind: kind,
        content: MessageContent::Text { body: body.to_owned() },
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: true,
        private_chat: kind == RoomKind::Direct,
        in_reply_to: None,
    })
}

fn dm(body: &str) -> Input {
    message_in(RoomKind::Direct, body)
}

fn only_notice(outcome: &Outcome) -> &Notice {
    match outcome.actions.as_slice() {
        [Action::SendNotice { notice, .. }] => notice,
        other => panic!("expected one notice, got {other:?}"),
    }
}

#[test]
fn help_is_answered_in_polish() {
    let out = bot().handle(&dm("pomoc"), &Person::default(), now());
    let notice = only_notice(&out);
    assert!(notice.plain.contains("Jestem asystentem urzędu Gmina Przykładowo"), "{}", notice.plain);
    assert!(notice.html.contains("<br>"));
}

#[test]
fn help_variants_without_diacritics_or_with_bang() {
    for body in ["!pomoc", "Pomoc!", "POMOC", "  pomoc  ", "!help"] {
        let out = bot().handle(&dm(body), &Person::default(), now());
        assert_eq!(out.actions.len(), 1, "{body}");
    }
}

#[test]
fn english_message_gets_english_answer_and_is_remembered() {
    let out = bot().handle(&dm("help"), &Person::default(), now());
    assert!(only_notice(&out).plain.starts_with("Hello!"));
    let person = out.person.unwrap();
    assert_eq!(person.detected_language, Some(Lang::En));

    // A message with no language evidence keeps the last one seen.
    let out = bot().handle(&dm("!xyz"), &person, now());
    assert!(only_notice(&out).plain.contains("I don't know the command"));
}

#[test]
fn chosen_language_wins_over_detection() {
    let out = bot().handle(&dm("!język en"), &Person::default(), now());
    assert!(only_notice(&out).plain.contains("in English"));
    let person = out.person.unwrap();
    assert_eq!(person.chosen_language, Some(Lang::En));
    let out = bot().handle(&dm("dzień dobry"), &person, now());
    assert!(only_notice(&out).plain.starts_with("Hello!"));
    let out = bot().handle(&dm("!lang pl"), &person, now());
    assert_eq!(out.person.unwrap().chosen_language, Some(Lang::Pl));
}

#[test]
fn unknown_language_is_explained() {
    let out = bot().handle(&dm("!język klingoński"), &Person::default(), now());
    assert!(only_notice(&out).plain.contains("Nie znam języka „klingoński”"));
}

#[test]
fn unknown_command_is_named_and_escaped() {
    let out = bot().handle(&dm("!<script>alert(1)</script>"), &Person::default(), now());
    let notice = only_notice(&out);
    assert!(notice.plain.starts_with("Nie znam polecenia „!<script>alert(1)</script>”"), "{}", notice.plain);
    assert!(!notice.html.contains("<script"), "{}", notice.html);
    assert!(notice.html.contains("&lt;script&gt;"), "{}", notice.html);
}

#[test]
fn long_command_names_are_shortened() {
    let long = format!("!{}", "x".repeat(500));
    let out = bot().handle(&dm(&long), &Person::default(), now());
    assert!(only_notice(&out).plain.chars().count() < 200);
}

#[test]
fn huge_message_gets_a_clear_refusal_without_echo() {
    let body = "a".repeat(65_536);
    let out = bot().handle(&dm(&body), &Person::default(), now());
    let notice = only_notice(&out);
    assert!(notice.plain.contains("65\u{a0}536 znaków"), "{}", notice.plain);
    assert!(notice.plain.contains("najwyżej 4000"), "{}", notice.plain);
    assert!(notice.plain.len() < 500);
}

#[test]
fn empty_message_is_explained() {
    for body in ["", "   ", "\n\t"] {
        let out = bot().handle(&dm(body), &Person::default(), now());
        assert!(only_notice(&out).plain.starts_with("Wiadomość jest pusta"), "{body:?}");
    }
}

#[test]
fn non_text_in_direct_chat_is_explained() {
    let input = Input::Message(UserMessage {
        content: MessageContent::Other { kind: "m.image".into() },
        sender_power: 0,
        mentions: Vec::new(),
        members_named: Vec::new(),
        room_encrypted: true,
        private_chat: true,
        in_reply_to: None,
        ..match dm("x") {
            Input::Message(m) => m,
            _ => unreachable!(),
        }
    });
    let out = bot().handle(&input, &Person::default(), now());
    assert!(only_notice(&out).plain.contains("tylko wiadomości tekstowe"));
}

#[test]
fn an_unreadable_message_is_asked_again_in_a_direct_chat_only() {
    let Input::Message(base) = dm("x") else { unreachable!() };
    let unreadable = UserMessage { content: MessageContent::Unreadable, ..base };
    let out = bot().handle(&Input::Message(unreadable.clone()), &Person::default(), now());
    assert!(only_notice(&out).plain.starts_with("Nie mogę odczytać Twojej ostatniej wiadomości"));
    assert!(only_notice(&out).plain.contains("Wyślij ją proszę jeszcze raz. Jeśli to się powtórzy"));
    let english = Person { chosen_language: Some(Lang::En), ..Person::default() };
    let out = bot().handle(&Input::Message(unreadable.clone()), &english, now());
    assert!(only_notice(&out).plain.starts_with("I can't read your last message"));
    let in_a_group = UserMessage { room_kind: RoomKind::Group, ..unreadable };
    assert!(bot().handle(&Input::Message(in_a_group), &Person::default(), now()).actions.is_empty());
}

#[test]
fn notices_and_own_messages_are_never_answered() {
    let Input::Message(base) = dm("pomoc") else { unreachable!() };
    let notice = Input::Message(UserMessage { content: MessageContent::Notice, ..base.clone() });
    assert!(bot().handle(&notice, &Person::default(), now()).actions.is_empty());
    let own = Input::Message(UserMessage { sender: owned_user_id!("@urzad:gmina.example.pl"), ..base });
    assert!(bot().handle(&own, &Person::default(), now()).actions.is_empty());
}

#[test]
fn group_rooms_hear_only_commands_and_mentions() {
    let group = |body: &str| bot().handle(&message_in(RoomKind::Group, body), &Person::default(), now());
    assert!(group("ktoś wie, gdzie jest kawa?").actions.is_empty());
    assert!(group("pomoc").actions.is_empty());
    assert_eq!(group("!pomoc").actions.len(), 1);
    assert_eq!(group("urzad: pomoc").actions.len(), 1);
    assert_eq!(group("@urzad:gmina.example.pl pomoc").actions.len(), 1);
    assert!(group(&"a".repeat(10_000)).actions.is_empty());
}

#[test]
fn greetings_and_thanks() {
    assert!(
        only_notice(&bot().handle(&dm("Dzień dobry!"), &Person::default(), now()))
            .plain
            .starts_with("Dzień dobry!")
    );
    assert!(
        only_notice(&bot().handle(&dm("dziekuje"), &Person::default(), now()))
            .plain
            .starts_with("Proszę bardzo")
    );
    assert!(
        only_notice(&bot().handle(&dm("thanks"), &Person::default(), now()))
            .plain
            .starts_with("You're welcome")
    );
}

#[test]
fn text_nobody_could_understand_points_to_help() {
    for text in ["xqzv blorp wug", "🙂🙂", "Привет, как дела"] {
        let out = bot().handle(&dm(text), &Person::default(), now());
        assert!(only_notice(&out).plain.contains("„pomoc”"), "{text}: {}", only_notice(&out).plain);
    }
}

#[test]
fn questions_get_the_office_faq_answer_in_the_asked_language() {
    let out = bot().handle(&dm("gdzie oddać elektrośmieci?"), &Person::default(), now());
    assert!(only_notice(&out).plain.contains("PSZOK"), "{}", only_notice(&out).plain);
    let out = bot().handle(&dm("zgubiłem dowód, co mam zrobić"), &Person::default(), now());
    assert!(only_notice(&out).plain.contains("unieważniony"), "{}", only_notice(&out).plain);
    let out = bot().handle(&dm("how do I register my address?"), &Person::default(), now());
    assert!(only_notice(&out).plain.contains("within 30 days"), "{}", only_notice(&out).plain);
}

#[test]
fn out_of_scope_is_said_kindly() {
    let out = bot().handle(&dm("opowiedz mi kawał"), &Person::default(), now());
    assert!(only_notice(&out).plain.starts_with("Tym się nie zajmuję"), "{}", only_notice(&out).plain);
}

#[test]
fn invites_are_accepted_unless_the_server_is_not_allowed() {
    let invite =
        |inviter| Input::Invite(Invite { room_id: owned_room_id!("!r:x"), inviter, is_direct: false });
    let out = bot().handle(&invite(owned_user_id!("@a:elsewhere.org")), &Person::default(), now());
    assert!(matches!(out.actions.as_slice(), [Action::JoinRoom { .. }]));

    let strict = OfficeBot::new(
        BotConfig::new(owned_user_id!("@urzad:gmina.example.pl"), "Gmina")
            .with_allowed_servers(Some(vec![owned_server_name!("gmina.example.pl")])),
    );
    let out = strict.handle(&invite(owned_user_id!("@a:elsewhere.org")), &Person::default(), now());
    match out.actions.as_slice() {
        [Action::LeaveRoom { reason, .. }] => assert!(reason.contains("gmina.example.pl")),
        other => panic!("{other:?}"),
    }
    let out = strict.handle(&invite(owned_user_id!("@a:gmina.example.pl")), &Person::default(), now());
    assert!(matches!(out.actions.as_slice(), [Action::JoinRoom { .. }]));
}

#[test]
fn thousands_are_grouped_the_polish_way() {
    assert_eq!(group_thousands(4000, Lang::Pl), "4000");
    assert_eq!(group_thousands(65_536, Lang::Pl), "65\u{a0}536");
    assert_eq!(group_thousands(1_234_567, Lang::En), "1,234,567");
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever a person writes, the bot answers at most once, briefly, and never echoes
        /// raw HTML back.
        #[test]
        fn any_text_gets_at_most_one_short_safe_answer(body in "\\PC{0,300}|<[a-z]{1,8}[^>]{0,30}>.{0,50}") {
            let out = bot().handle(&dm(&body), &Person::default(), now());
            prop_assert!(out.actions.len() <= 1);
            for action in &out.actions {
                if let Action::SendNotice { notice, .. } = action {
                    prop_assert!(notice.plain.chars().count() < 1000);
                    prop_assert!(!notice.html.to_lowercase().contains("<script"));
                    prop_assert!(!notice.html.replace("<br>", "").contains('<'), "{}", notice.html);
                }
            }
        }
    }
}

#[test]
fn a_flood_is_slowed_down_politely_and_nothing_of_it_is_acted_on() {
    let mut person = Person::default();
    let mut answers = Vec::new();
    // Twelve messages in eleven seconds: ten answers, one request to slow down, one silence.
    for i in 0..12 {
        let out = bot().handle(&dm("pomoc"), &person, now() + chrono::Duration::seconds(i));
        answers.push(
            out.actions
                .iter()
                .map(|a| match a {
                    Action::SendNotice { notice, .. } => notice.plain.clone(),
                    other => panic!("{other:?}"),
                })
                .collect::<Vec<_>>(),
        );
        person = out.person.expect("the pace is stored");
    }
    assert!(answers[..10].iter().all(|a| a.len() == 1 && a[0].contains("Jestem asystentem")));
    assert_eq!(answers[10], [message(Lang::Pl, "slow-down")]);
    assert!(answers[11].is_empty());
    // Half a minute after the window opened, the bot answers again.
    let out = bot().handle(&dm("pomoc"), &person, now() + chrono::Duration::seconds(30));
    assert!(only_notice(&out).plain.contains("Jestem asystentem"));
    // Messages the bot does not answer (chatter in a group room) do not count.
    let quiet = bot().handle(&message_in(RoomKind::Group, "hej wszystkim"), &person, now());
    assert!(quiet.person.is_none() && quiet.actions.is_empty());
}

/// A long message whose 2,000th byte falls inside a letter once silenced the whole bot: the cut
/// that sampled its language panicked.
#[test]
fn a_too_long_message_cut_inside_a_letter_is_answered() {
    let body = format!("a{}", "żółć ".repeat(900));
    let out = bot().handle(&dm(&body), &Person::default(), now());
    assert!(only_notice(&out).plain.contains("za długa"), "{}", only_notice(&out).plain);
}

#[test]
fn the_bots_name_is_taken_off_without_case_and_on_letter_boundaries() {
    let out = bot().handle(&message_in(RoomKind::Group, "URZAD: pomoc"), &Person::default(), now());
    assert!(only_notice(&out).plain.contains("Jestem asystentem"), "{}", only_notice(&out).plain);
    // The Kelvin sign lower-cases to a one-byte "k": no prefix, and no panic.
    for body in ["\u{212a}urzad pomoc", "urza\u{301}d pomoc", "urzą", "u"] {
        let _ = bot().handle(&message_in(RoomKind::Group, body), &Person::default(), now());
    }
    assert_eq!(strip_prefix_ignoring_case("Urząd, hej", "urząd"), Some(", hej"));
    assert_eq!(strip_prefix_ignoring_case("urz", "urzad"), None);
    assert_eq!(strip_prefix_ignoring_case("URZAD", "urzad"), Some(""));
}

#[test]
fn a_failed_turn_is_apologised_for_where_it_was_addressed() {
    let english = Person { chosen_language: Some(Lang::En), ..Person::default() };
    let out = bot().handle_failure(&dm("anything"), &english);
    assert!(
        only_notice(&out).plain.starts_with("Sorry, something went wrong"),
        "{}",
        only_notice(&out).plain
    );
    let out = bot().handle_failure(&dm("cokolwiek"), &Person::default());
    assert!(only_notice(&out).plain.starts_with("Przepraszam, przy tej wiadomości"));
    let out = bot().handle_failure(&message_in(RoomKind::Group, "!zadania"), &Person::default());
    assert_eq!(out.actions.len(), 1);
    let out = bot().handle_failure(&message_in(RoomKind::Group, "rozmowa zespołu"), &Person::default());
    assert!(out.actions.is_empty(), "a room's own talk is not answered");
}

#[test]
fn a_turn_given_another_routes_view_is_apologised_for_not_taken_for_another_feature() {
    let bot = demo_office_bot();
    let input = message_in(RoomKind::Group, "!zadania");
    let route = bot.route(&input, now());
    assert!(matches!(View::empty_for(&route), View::Tasks(_)), "{route:?}");
    let out = bot.decide(&input, &route, &Person::default(), &View::Meetings(Default::default()), now());
    assert!(only_notice(&out).plain.starts_with("Przepraszam, przy tej wiadomości"), "{out:?}");
    assert!(out.effects.is_empty());
    let out = bot.decide(&input, &route, &Person::default(), &View::empty_for(&route), now());
    assert!(!only_notice(&out).plain.starts_with("Przepraszam"), "{out:?}");
}

fn demo_office_bot() -> OfficeBot {
    let office = Arc::new(Office::parse(crate::booking::DEMO_OFFICE).unwrap());
    OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina").with_office(Some(office)))
}

fn text_from(sender: &str, kind: RoomKind, body: &str) -> Input {
    let Input::Message(mut message) = message_in(kind, body) else { unreachable!() };
    message.sender = sender.try_into().unwrap();
    Input::Message(message)
}

#[test]
fn each_text_is_routed_once_to_the_feature_that_claims_it_first() {
    let bot = demo_office_bot();
    let route = |sender: &str, kind: RoomKind, body: &str| bot.route(&text_from(sender, kind, body), now());
    let (clerk, citizen, agent) = ("@urzednik:localhost", "@jan:localhost", "@wsparcie:localhost");

    assert!(matches!(
        route(agent, RoomKind::Direct, "!kolejka"),
        Route::Staff { command: StaffCommand::Queue, .. }
    ));
    // `!statystyki` carries the start of the period it counts, which the store loads.
    assert!(matches!(
        route(agent, RoomKind::Direct, "!statystyki"),
        Route::Staff { command: StaffCommand::Stats { .. }, stats_since: Some(_) }
    ));
    // A citizen's `!kolejka` is the staff's command too: the desk shows them their own tickets.
    assert!(matches!(
        route(citizen, RoomKind::Direct, "!kolejka"),
        Route::Staff { command: StaffCommand::Queue, .. }
    ));
    assert!(matches!(route(clerk, RoomKind::Direct, "!agenda"), Route::Clerk { from_clerk: true, .. }));
    assert!(matches!(
        route(citizen, RoomKind::Direct, "!agenda"),
        Route::Clerk { from_clerk: false, days: None, .. }
    ));
    // A clerk asking in words for their visits gets their agenda, with the day loaded.
    assert!(matches!(
        route(clerk, RoomKind::Direct, "kogo mam jutro?"),
        Route::Clerk { command: ClerkCommand::Agenda(_), from_clerk: true, days: Some(_) }
    ));
    // `!kalendarz` is a clerk's feed in their direct chat, and a room's task feed elsewhere.
    assert!(matches!(route(clerk, RoomKind::Direct, "!kalendarz"), Route::Clerk { .. }));
    assert!(matches!(
        route(citizen, RoomKind::Group, "!kalendarz"),
        Route::Task(_, TaskCommand::Calendar(_))
    ));
    assert!(matches!(route(citizen, RoomKind::Group, "!zadania"), Route::Task(TaskList::Room(_), _)));
    assert!(matches!(route(citizen, RoomKind::Direct, "!zadania"), Route::Task(TaskList::Personal(_), _)));
    assert!(matches!(route(citizen, RoomKind::Group, "!spotkania"), Route::Meeting(_)));
    assert!(matches!(
        route(citizen, RoomKind::Group, "!kurs opublikuj"),
        Route::Course(CourseCommand::Publish)
    ));
    let kursy = route(citizen, RoomKind::Direct, "!kursy");
    assert!(matches!(kursy, Route::Talk { learner: Some(LearnerCommand::List), direct: true }));
    assert!(kursy.wants_catalogue());
    assert_eq!(
        route(citizen, RoomKind::Direct, "chcę umówić wizytę"),
        Route::Talk { learner: None, direct: true }
    );
    // In a group room, only what is addressed to the bot is its business.
    assert_eq!(route(citizen, RoomKind::Group, "chcę umówić wizytę"), Route::Plain);
    assert_eq!(
        route(citizen, RoomKind::Group, "@urzad:localhost pomoc"),
        Route::Talk { learner: None, direct: false }
    );
    assert_eq!(route("@urzad:localhost", RoomKind::Direct, "pomoc"), Route::Plain);
    assert_eq!(route(citizen, RoomKind::Direct, &"ą".repeat(5000)), Route::Plain);
}

#[test]
fn a_vote_is_routed_by_the_typed_answer_of_the_poll_it_answers() {
    let bot = demo_office_bot();
    let vote = |answer: &str| {
        Input::PollVote(PollVote {
            event_id: owned_event_id!("$vote"),
            poll_id: owned_event_id!("$poll"),
            room_id: owned_room_id!("!r:localhost"),
            sender: owned_user_id!("@jan:localhost"),
            answers: vec![answer.to_owned()],
        })
    };
    let target = |answer: &str| match bot.route(&vote(answer), now()) {
        Route::Vote(target) => target,
        other => panic!("a vote routed as {other:?}"),
    };
    assert_eq!(target(&crate::helpdesk::rating_answer(12, 4)), PollTarget::Rating { ticket: 12, score: 4 });
    assert_eq!(target(&Rsvp::Maybe.poll_answer_id(3)), PollTarget::Meeting { number: 3, rsvp: Rsvp::Maybe });
    assert_eq!(target(&crate::learning::poll_answer_id("bhp", 2, 1, 0, 3)), PollTarget::Lesson);
    // An answer of nobody's poll, or one that only looks like a rating, is nobody's vote.
    assert_eq!(target("nonsense"), PollTarget::Other);
    assert_eq!(target(&crate::helpdesk::rating_answer(12, 9)), PollTarget::Other);
}

#[test]
fn a_call_now_is_a_call_and_a_meeting_later_is_a_meeting() {
    let bot = bot();
    let now = now();
    let route = |body: &str| bot.route(&message_in(RoomKind::Group, body), now);
    assert_eq!(route("!spotkanie teraz"), Route::Call(crate::calls::CallCommand::Start));
    assert_eq!(route("!wideo"), Route::Call(crate::calls::CallCommand::Start));
    assert!(matches!(route("!spotkanie jutro o 10 Narada"), Route::Meeting(_)));
    assert_eq!(route("!zakończ"), Route::Call(crate::calls::CallCommand::End));
}

/// An office may name its own levels in `[courses] levels`: the badge's announcement says them.
#[test]
fn the_office_names_its_own_levels() {
    use crate::gamification::{Activity, GamificationJob, LearnerRecord, Recorded};
    let source = crate::booking::DEMO_OFFICE.replacen(
        "[courses]\n",
        "[courses]\nlevels = [{ name = \"Zielony\", xp = 0 }, { name = \"Niebieski\", xp = 40 }]\n",
        1,
    );
    let office = Arc::new(Office::parse(&source).unwrap());
    let bot =
        OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:localhost"), "Gmina").with_office(Some(office)));
    let learner = owned_user_id!("@ola:localhost");
    let finished = Recorded {
        key: "finished:rodo".into(),
        at: now(),
        activity: Activity::CourseFinished {
            course_id: "rodo".into(),
            score: Some(80),
            title: "RODO".into(),
        },
    };
    let record = LearnerRecord { events: vec![finished], ..LearnerRecord::default() };
    let job = Job::Gamification(GamificationJob::Standing { user_id: learner, after: "x".into() });
    let out = bot.handle_job(&job, &JobContext::Learner(record), now());
    let Some(Action::Direct { message: crate::learning::DirectMessage::Notice(notice), .. }) =
        out.actions.first()
    else {
        panic!("{out:?}")
    };
    assert!(notice.plain.ends_with("Masz już 50 XP, poziom: Niebieski."), "{}", notice.plain);
}

#[test]
fn levels_that_do_not_start_at_zero_or_rise_are_refused_with_their_key() {
    for (levels, key) in [
        ("[{ name = \"A\", xp = 10 }]", "courses.levels[0].xp"),
        ("[{ name = \"A\", xp = 0 }, { name = \"B\", xp = 0 }]", "courses.levels[1].xp"),
        ("[{ name = \" \", xp = 0 }]", "courses.levels[0].name"),
    ] {
        let source = crate::booking::DEMO_OFFICE.replacen(
            "[courses]\n",
            &format!("[courses]\nlevels = {levels}\n"),
            1,
        );
        match Office::parse(&source) {
            Err(crate::booking::OfficeError::Invalid { key: found, .. }) => {
                assert_eq!(found, key, "{levels}")
            }
            other => panic!("{levels}: {other:?}"),
        }
    }
}
