//! The helpdesk through the real Synapse with E2EE clients: an FAQ answered, the handover, two
//! agents claiming at once, the conversation between agent and citizen, and closing.

use std::time::Duration;

use matrix_sdk::ruma::{OwnedRoomId, events::room::member::MembershipState};
use sqlx::Row;
use szpon_bots::booking::DEMO_OFFICE;
use szpon_test_harness::Office;

use super::szpon;

const WAIT: Duration = Duration::from_secs(30);

async fn support_room_id(office: &Office) -> anyhow::Result<OwnedRoomId> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let row = sqlx::query("SELECT room_id FROM department_rooms WHERE department = '@helpdesk'")
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    Ok(OwnedRoomId::try_from(row.try_get::<String, _>("room_id")?)?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_is_handed_over_claimed_once_helped_by_a_person_and_closed() -> anyhow::Result<()> {
    let office_file = DEMO_OFFICE.replacen(
        "  { user_id = \"@wsparcie:localhost\", name = \"Ewa Zielińska\", lead = true },\n",
        "  { user_id = \"@wsparcie:localhost\", name = \"Ewa Zielińska\", lead = true },\n  { user_id = \"@marek:localhost\", name = \"Marek Nowicki\" },\n",
        1,
    );
    let mut office = Office::start_with_office(szpon(), &office_file).await?;
    let bot = office.bot_user_id.clone();
    let ewa = office.user_named("wsparcie").await?;
    let marek = office.user_named("marek").await?;
    let citizen = office.user("obywatel").await?;
    citizen.set_display_name("Jan Kowalski").await?;

    // The bot made the team's room at the first start; the agents' accounts came later, so
    // they are invited at the next.
    office.restart_szpon().await?;
    let room_id = support_room_id(&office).await?;
    let team_ewa = ewa.accept_invite(&room_id).await?;
    let team_marek = marek.accept_invite(&room_id).await?;
    assert!(team_ewa.latest_encryption_state().await?.is_encrypted(), "the team's room is encrypted");
    let saved =
        ewa.say(&team_ewa, &bot, "!szablon dodaj powitanie Dzień dobry, tu zespół wsparcia urzędu.").await?;
    assert_eq!(saved, "Zapisano szablon „powitanie”.");

    let dm = citizen.create_dm(&bot, true).await?;
    let answer = citizen.say(&dm, &bot, "zgubiłem dowód osobisty, co teraz?").await?;
    assert!(answer.contains("Czy to pomogło?"), "{answer}");
    let reply = citizen.say(&dm, &bot, "!przyjmij 1").await?;
    assert_eq!(reply, "To polecenie jest tylko dla zespołu wsparcia.");
    let reply = citizen.say(&dm, &bot, "nie pomogło").await?;
    assert!(reply.starts_with("Przekazuję rozmowę konsultantowi — to zgłoszenie nr 1."), "{reply}");

    let told = ewa.wait_for_messages(&team_ewa, &bot, 2, WAIT).await?;
    let new_ticket = &told[1].body;
    assert!(new_ticket.starts_with("Nowe zgłoszenie nr 1 od Jan Kowalski"), "{new_ticket}");
    assert!(new_ticket.contains("> zgubiłem dowód osobisty, co teraz?"), "{new_ticket}");

    // Both agents claim at once: exactly one gets the ticket, the other is told who has it.
    let (a, b) =
        tokio::join!(ewa.send_text(&team_ewa, "!przyjmij 1"), marek.send_text(&team_marek, "!przyjmij 1"));
    a?;
    b?;
    let said = ewa.wait_for_messages(&team_ewa, &bot, 4, WAIT).await?;
    let claims: Vec<&str> = said[2..].iter().map(|m| m.body.as_str()).collect();
    let winners: Vec<&&str> = claims.iter().filter(|b| b.starts_with("Zgłoszenie nr 1 przyjmuje ")).collect();
    let losers: Vec<&&str> =
        claims.iter().filter(|b| b.starts_with("Zgłoszenie nr 1 prowadzi już ")).collect();
    assert_eq!((winners.len(), losers.len()), (1, 1), "{claims:?}");
    let (agent, agent_name) = if winners[0].ends_with("Ewa Zielińska.") {
        (&ewa, "Ewa Zielińska")
    } else {
        (&marek, "Marek Nowicki")
    };
    assert_eq!(**losers[0], format!("Zgłoszenie nr 1 prowadzi już {agent_name}."));

    let joins = citizen.wait_for_messages(&dm, &bot, 4, WAIT).await?;
    assert_eq!(
        joins[3].body,
        format!("Dołącza do nas konsultant: {agent_name}. Możesz pisać jak zwykle — odpowie tutaj.")
    );
    let conversation = agent.accept_invite(dm.room_id()).await?;
    citizen.wait_for_member(&dm, &agent.user_id()).await?;

    // Agent and citizen talk, end to end encrypted, and the bot keeps out of it.
    agent.send_text(&conversation, "!szablon powitanie").await?;
    let greeted = citizen.wait_for_messages(&dm, &bot, 5, WAIT).await?;
    assert_eq!(
        greeted[4].body,
        format!("Dzień dobry, tu zespół wsparcia urzędu.\n— {agent_name}, zespół wsparcia")
    );
    agent.send_text(&conversation, "W czym mogę pomóc?").await?;
    let heard = citizen.wait_for_messages(&dm, &agent.user_id(), 2, WAIT).await?;
    assert_eq!(heard[1].body, "W czym mogę pomóc?");
    citizen.send_text(&dm, "Zgubiłem dowód w tramwaju, czy mogę od razu złożyć wniosek?").await?;
    let heard = agent.wait_for_messages(&conversation, &citizen.user_id(), 1, WAIT).await?;
    assert!(heard.last().unwrap().body.starts_with("Zgubiłem dowód w tramwaju"), "{heard:?}");

    agent.send_text(&conversation, "!zamknij").await?;
    let closed = citizen.wait_for_messages(&dm, &bot, 7, WAIT).await?;
    assert_eq!(closed.len(), 7, "the bot said nothing while the agent helped: {closed:#?}");
    assert_eq!(
        closed[5].body,
        "Konsultant zakończył rozmowę; zgłoszenie nr 1 jest zamknięte. Jeśli potrzebujesz czegoś jeszcze, po prostu napisz."
    );
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let member = dm.get_member_no_sync(&agent.user_id()).await?;
        if member.is_some_and(|m| *m.membership() == MembershipState::Leave) {
            break;
        }
        anyhow::ensure!(
            tokio::time::Instant::now() < deadline,
            "the agent was not removed from the conversation"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let team = ewa.wait_for_messages(&team_ewa, &bot, 5, WAIT).await?;
    assert_eq!(team[4].body, format!("Zgłoszenie nr 1 zamknięte ({agent_name})."));

    rate_the_help(&office, &citizen, &dm, &closed[6]).await?;
    the_lead_sees_the_days_figures(&office, &ewa).await?;

    // The conversation is the citizen's and the bot's again.
    let reply = citizen.say(&dm, &bot, "dziękuję").await?;
    assert!(reply.starts_with("Proszę bardzo"), "{reply}");
    let mine = citizen.say(&dm, &bot, "!zgłoszenia").await?;
    assert!(mine.starts_with("Twoje zgłoszenia:\n• nr 1 — zamknięte"), "{mine}");
    Ok(())
}

/// The citizen rates the help in the native poll the bot sent after closing.
async fn rate_the_help(
    office: &Office,
    citizen: &szpon_test_harness::TestUser,
    dm: &matrix_sdk::Room,
    poll: &szpon_test_harness::Received,
) -> anyhow::Result<()> {
    assert_eq!(
        (poll.msgtype.as_str(), poll.body.as_str()),
        ("poll", "Jak oceniasz pomoc w sprawie zgłoszenia nr 1?")
    );
    assert_eq!(poll.poll_answers.len(), 5);
    let (best, label) = &poll.poll_answers[4];
    assert_eq!(label, "5 — bardzo dobrze");
    let before = citizen.received_from(dm, &office.bot_user_id).len();
    citizen.vote(dm, poll, best).await?;
    let thanked = citizen.wait_for_messages(dm, &office.bot_user_id, before + 1, WAIT).await?;
    assert_eq!(thanked[before].body, "Dziękujemy za ocenę — pomoże nam pracować lepiej.");
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let row = sqlx::query("SELECT satisfaction FROM tickets WHERE id = 1").fetch_one(&pool).await?;
    assert_eq!(row.try_get::<Option<i32>, _>("satisfaction")?, Some(5));
    pool.close().await;
    Ok(())
}

/// The lead asks the bot, in their own chat with it, for today's figures: words, then a chart.
async fn the_lead_sees_the_days_figures(
    office: &Office,
    lead: &szpon_test_harness::TestUser,
) -> anyhow::Result<()> {
    let bot = &office.bot_user_id;
    let dm = lead.create_dm(bot, true).await?;
    let figures = lead.say(&dm, bot, "!statystyki dziś").await?;
    assert!(figures.starts_with("Statystyki zgłoszeń — dziś ("), "{figures}");
    assert!(figures.contains("• zgłoszenia: 1 (czat 1, telefon 0); rozwiązane 1, w kolejce 0"), "{figures}");
    assert!(figures.contains("• przekroczone terminy: pierwszej odpowiedzi 0, rozwiązania 0"), "{figures}");
    assert!(figures.contains("• ocena: średnio 5,0 z 5 (jedna ocena)"), "{figures}");
    let said = lead.wait_for_messages(&dm, bot, 2, WAIT).await?;
    let chart = &said[1];
    assert_eq!(chart.msgtype, "m.image");
    assert!(chart.body.starts_with("Wykres: zgłoszenia dziennie (słupki)"), "{}", chart.body);
    let png = lead.download_image(chart).await?;
    let info = png::Decoder::new(std::io::Cursor::new(png)).read_info()?.info().clone();
    assert_eq!((info.width, info.height), (960, 480), "the chart is a readable picture");
    Ok(())
}

/// A team that works around the clock, every day, with short targets: the test's clock may be
/// any day and hour.
fn round_the_clock_office() -> String {
    let every_day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        .map(|day| format!("{day} = [\"00:00-23:55\"]"))
        .join(", ");
    let start =
        DEMO_OFFICE.find("hours = { monday = [\"08:00-16:00\"], tuesday").expect("the demo helpdesk's hours");
    let end = start + DEMO_OFFICE[start..].find('\n').unwrap();
    format!(
        "{}hours = {{ {every_day} }}\nholidays_off = false\nsla = {{ first_response = \"20m\", resolution = \"8h\", warn_before = \"10m\" }}{}",
        &DEMO_OFFICE[..start],
        &DEMO_OFFICE[end..]
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_team_is_warned_before_a_target_and_escalated_at_it_across_a_kill() -> anyhow::Result<()> {
    let mut office = Office::start_with_office(szpon(), &round_the_clock_office()).await?;
    let bot = office.bot_user_id.clone();
    let ewa = office.user_named("wsparcie").await?;
    let citizen = office.user("obywatel").await?;
    office.restart_szpon().await?;
    let team = ewa.accept_invite(&support_room_id(&office).await?).await?;

    let dm = citizen.create_dm(&bot, true).await?;
    let reply = citizen.say(&dm, &bot, "chcę porozmawiać z konsultantem").await?;
    assert!(reply.starts_with("Przekazuję rozmowę konsultantowi — to zgłoszenie nr 1."), "{reply}");
    ewa.wait_for_messages(&team, &bot, 1, WAIT).await?;

    // szpon is killed with the ticket open: the ticket and its timers survive.
    office.kill_szpon().await?;
    office.start_szpon().await?;
    office.advance_clock(Duration::from_secs(16 * 60))?;
    let said = ewa.wait_for_messages(&team, &bot, 2, WAIT).await?;
    assert!(
        said[1].body.starts_with("Uwaga: zgłoszenie nr 1 czeka na konsultanta od 16 min"),
        "{}",
        said[1].body
    );
    office.advance_clock(Duration::from_secs(14 * 60))?;
    let said = ewa.wait_for_messages(&team, &bot, 3, WAIT).await?;
    assert!(
        said[2].body.starts_with("Przekroczony termin pierwszej odpowiedzi: zgłoszenie nr 1 wciąż czeka"),
        "{}",
        said[2].body
    );
    assert!(said[2].body.contains("Ewa Zielińska (@wsparcie:localhost)"), "{}", said[2].body);

    let queue = ewa.say(&team, &bot, "!zgłoszenia").await?;
    assert!(queue.starts_with("Jedno otwarte zgłoszenie:\n• nr 1 — czeka od "), "{queue}");
    Ok(())
}

/// What the first trial's users hit: a ticket labelled with the topic of an earlier question, a
/// callback number sent while the ticket waited that never reached it, and an agent's staff
/// command in a citizen's chat whose answer the citizen could read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_ticket_is_about_this_conversation_takes_a_callback_number_and_staff_answers_stay_private()
-> anyhow::Result<()> {
    let mut office = Office::start_with_office(szpon(), &round_the_clock_office()).await?;
    let bot = office.bot_user_id.clone();
    let ewa = office.user_named("wsparcie").await?;
    let citizen = office.user("obywatel").await?;
    citizen.set_display_name("Jan Kowalski").await?;
    office.restart_szpon().await?;
    let team = ewa.accept_invite(&support_room_id(&office).await?).await?;

    let dm = citizen.create_dm(&bot, true).await?;
    let answer = citizen.say(&dm, &bot, "jak wziąć ślub cywilny?").await?;
    assert!(answer.contains("Czy to pomogło?"), "{answer}");
    let answer = citizen.say(&dm, &bot, "gdzie zgłosić dziurę w drodze").await?;
    assert!(answer.contains("Dziurę w drodze gminnej"), "{answer}");
    let reply = citizen.say(&dm, &bot, "nie pomogło").await?;
    assert!(reply.starts_with("Przekazuję rozmowę konsultantowi — to zgłoszenie nr 1."), "{reply}");
    let told = ewa.wait_for_messages(&team, &bot, 1, WAIT).await?;
    let first_line = told[0].body.lines().next().unwrap_or_default().to_owned();
    assert_eq!(
        first_line,
        "Nowe zgłoszenie nr 1 od Jan Kowalski — zgłoszenie usterki drogi lub oświetlenia."
    );

    // The number and time sent while the ticket waits go on the ticket, and the team hears them.
    let reply = citizen.say(&dm, &bot, "proszę o telefon 600 123 456 w poniedziałek po 14").await?;
    assert!(reply.starts_with("Dopisałem do zgłoszenia nr 1 prośbę o telefon: 600 123 456"), "{reply}");
    let told = ewa.wait_for_messages(&team, &bot, 2, WAIT).await?;
    assert!(
        told[1].body.starts_with("Zgłoszenie nr 1 od Jan Kowalski: prośba o telefon — 600 123 456"),
        "{}",
        told[1].body
    );
    let queue = ewa.say(&team, &bot, "!zgłoszenia").await?;
    assert!(queue.starts_with("Jedno otwarte zgłoszenie:\n• nr 1 — czeka od "), "{queue}");
    assert!(
        queue.contains("— zgłoszenie usterki drogi lub oświetlenia — Jan Kowalski — tel. 600 123 456"),
        "{queue}"
    );

    // The agent who takes it calls: the citizen is told who will, and when it is closed.
    let claimed = ewa.say(&team, &bot, "!przyjmij 1").await?;
    assert_eq!(claimed, "Zgłoszenie nr 1 przyjmuje Ewa Zielińska.");
    let told = ewa.wait_for_messages(&team, &bot, 5, WAIT).await?;
    assert!(
        told[4].body.starts_with("Zgłoszenie nr 1 jest Twoje: zadzwoń pod 600 123 456"),
        "{}",
        told[4].body
    );
    let heard = citizen.wait_for_messages(&dm, &bot, 5, WAIT).await?;
    assert_eq!(heard[4].body, "Ewa Zielińska z zespołu wsparcia zadzwoni do Ciebie pod numer 600 123 456.");
    let closed = ewa.say(&team, &bot, "!zamknij 1").await?;
    assert_eq!(closed, "Zgłoszenie nr 1 zamknięte (Ewa Zielińska).");
    let heard = citizen.wait_for_messages(&dm, &bot, 7, WAIT).await?;
    assert!(
        heard[5].body.starts_with("Prośba o telefon (zgłoszenie nr 1) jest zamknięta."),
        "{}",
        heard[5].body
    );

    staff_answers_in_a_citizens_chat_go_to_the_agent(&ewa, &team, &citizen, &dm, &bot).await
}

/// A second ticket, by chat: the agent joins the citizen's chat and there asks for the templates.
/// The list goes to the agent's private chat with the bot; the citizen sees only where it went.
async fn staff_answers_in_a_citizens_chat_go_to_the_agent(
    ewa: &szpon_test_harness::TestUser,
    team: &matrix_sdk::Room,
    citizen: &szpon_test_harness::TestUser,
    dm: &matrix_sdk::Room,
    bot: &matrix_sdk::ruma::UserId,
) -> anyhow::Result<()> {
    let reply = citizen.say(dm, bot, "chcę porozmawiać z konsultantem").await?;
    assert!(reply.starts_with("Przekazuję rozmowę konsultantowi — to zgłoszenie nr 2."), "{reply}");
    let told = ewa.wait_for_messages(team, bot, 7, WAIT).await?;
    assert!(told[6].body.starts_with("Nowe zgłoszenie nr 2 od Jan Kowalski"), "{}", told[6].body);
    let claimed = ewa.say(team, bot, "!przyjmij 2").await?;
    assert_eq!(claimed, "Zgłoszenie nr 2 przyjmuje Ewa Zielińska.");
    let conversation = ewa.accept_invite(dm.room_id()).await?;
    citizen.wait_for_member(dm, &ewa.user_id()).await?;
    let before = citizen.received_from(dm, bot).len();
    ewa.send_text(&conversation, "!szablony").await?;
    let private = ewa.accept_invite_from(bot, None).await?;
    let list = ewa.wait_for_messages(&private, bot, 1, WAIT).await?;
    assert!(list[0].body.starts_with("Nie ma jeszcze szablonów."), "{}", list[0].body);
    let seen = citizen.wait_for_messages(dm, bot, before + 1, WAIT).await?;
    assert!(
        seen[before]
            .body
            .starts_with("wsparcie, odpowiedź wysłałem Ci w naszej prywatnej, szyfrowanej rozmowie"),
        "{}",
        seen[before].body
    );
    assert!(citizen.received_from(dm, bot).iter().all(|m| !m.body.contains("szablon")));
    Ok(())
}
