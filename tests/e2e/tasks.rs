//! A team's task list through the real Synapse, in an encrypted room: tasks added, assigned,
//! listed and done by clerks with real E2EE clients; who may change what follows the room's
//! power levels; reminders and the daily digest arrive with the clock moved on.

use std::time::Duration;

use anyhow::Context;
use chrono::{Datelike, Timelike};
use matrix_sdk::ruma::events::{Mentions, room::message::RoomMessageEventContent};
use szpon_test_harness::Office;

use super::szpon;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_keeps_its_tasks_in_its_room() -> anyhow::Result<()> {
    let office = Office::start(szpon()).await?;
    let bot = office.bot_user_id.clone();
    let anna = office.user("kierowniczka").await?;
    let ewa = office.user("urzedniczka").await?;
    ewa.set_display_name("Ewa Zielińska").await?;
    let piotr = office.user("stazysta").await?;
    let room =
        anna.create_encrypted_group("Wydział Promocji", &[&bot, &ewa.user_id(), &piotr.user_id()]).await?;
    let room_ewa = ewa.accept_invite(room.room_id()).await?;
    let room_piotr = piotr.accept_invite(room.room_id()).await?;
    anna.wait_for_member(&room, &bot).await?;
    anna.wait_for_member(&room, &piotr.user_id()).await?;
    assert!(room.latest_encryption_state().await?.is_encrypted());

    let ewa_id = ewa.user_id();
    let added = anna.say(&room, &bot, &format!("!zadanie Raport kwartalny {ewa_id} za 3 dni !pilne")).await?;
    assert!(added.starts_with("Dodano zadanie nr 1:\n☐ #1 Raport kwartalny — termin: "), "{added}");
    // The assignee is shown by name, as clients show people.
    assert!(added.ends_with(" · Ewa Zielińska · ‼ pilne"), "{added}");
    // In a shared room each person waits until they have seen the bot's earlier answers, so
    // that the next answer they wait for is the one to their own command.
    piotr.wait_for_messages(&room_piotr, &bot, 1, WAIT).await?;
    let added = piotr.say(&room_piotr, &bot, "!zadanie Sprawdzić gaśnice").await?;
    assert_eq!(added, "Dodano zadanie nr 2:\n☐ #2 Sprawdzić gaśnice");

    // Ewa (power level 0) neither wrote task 2 nor has it; Anna, the room's admin, may delete it.
    ewa.wait_for_messages(&room_ewa, &bot, 2, WAIT).await?;
    let refused = ewa.say(&room_ewa, &bot, "!usuń 2").await?;
    assert_eq!(
        refused,
        "Zadanie nr 2 może zmienić jego autor, osoba, do której jest przypisane, albo moderator pokoju."
    );
    anna.wait_for_messages(&room, &bot, 3, WAIT).await?;
    let deleted = anna.say(&room, &bot, "!usuń 2").await?;
    assert!(deleted.starts_with("Usunięto zadanie nr 2 „Sprawdzić gaśnice”."), "{deleted}");

    ewa.wait_for_messages(&room_ewa, &bot, 4, WAIT).await?;
    let mine = ewa.say(&room_ewa, &bot, "!zadania moje").await?;
    assert!(mine.starts_with("Zadania przypisane do Ciebie (1):\n☐ #1 Raport kwartalny"), "{mine}");
    let list = ewa.ask(&room_ewa, &bot, RoomMessageEventContent::text_plain("!zadania")).await?;
    let html = list.formatted_body.unwrap_or_default();
    assert!(html.contains("<ul>") && html.contains("<b>#1</b> Raport kwartalny"), "{html}");

    // The room's admin sets the daily digest. Four days on, the deadline's reminder, the
    // overdue nudge to Ewa and one digest (today's; missed days are not made up for) have come.
    anna.wait_for_messages(&room, &bot, 6, WAIT).await?;
    let set = anna.say(&room, &bot, "!podsumowanie 7:45").await?;
    assert_eq!(set, "Codziennie o 7:45 wyślę tu podsumowanie zadań do zrobienia.");
    let before = ewa.wait_for_messages(&room_ewa, &bot, 7, WAIT).await?.len();
    office.advance_clock(Duration::from_secs(4 * 24 * 3600))?;
    let deadline = tokio::time::Instant::now() + WAIT;
    let heard = loop {
        let heard: Vec<String> =
            ewa.received_from(&room_ewa, &bot)[before..].iter().map(|m| m.body.clone()).collect();
        let nudged = heard.iter().any(|m| m.starts_with("Zadanie nr 1 „Raport kwartalny” jest po terminie"));
        if nudged && heard.iter().any(|m| m.starts_with("Podsumowanie — ")) {
            break heard;
        }
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "not all reminders came: {heard:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        heard.iter().filter(|m| m.starts_with("Przypomnienie: zbliża się termin zadania nr 1")).count(),
        1
    );
    let nudge = heard.iter().find(|m| m.contains("jest po terminie")).unwrap();
    let digest = heard.iter().find(|m| m.starts_with("Podsumowanie — ")).unwrap();
    assert!(
        digest.contains(": jedno zadanie do zrobienia, w tym po terminie: 1.\n☐ #1 Raport kwartalny"),
        "{digest}"
    );
    assert!(nudge.contains("Ewa Zielińska, gdy będzie gotowe, napisz „!zrobione 1”."), "{nudge}");

    let done = ewa.say(&room_ewa, &bot, "!zrobione 1").await?;
    assert_eq!(done, "Zrobione: nr 1 „Raport kwartalny”. Dziękuję!");
    let seen_by_ewa = ewa.received_from(&room_ewa, &bot).len();
    piotr.wait_for_messages(&room_piotr, &bot, seen_by_ewa, WAIT).await?;
    let empty = piotr.say(&room_piotr, &bot, "!zadania").await?;
    assert!(empty.starts_with("Lista zadań jest pusta."), "{empty}");

    // A task is the room's work: someone who is not in the room cannot be given it.
    let outsider_user = office.user("spoza").await?;
    outsider_user.set_display_name("Jerzy Obcy").await?;
    let outsider = outsider_user.user_id();
    let refused = piotr.say(&room_piotr, &bot, &format!("!zadanie Zrobić porządek {outsider}")).await?;
    assert_eq!(
        refused,
        "Jerzy Obcy nie należy do tego pokoju, więc nie może dostać jego zadania. Zaproś tę osobę do \
         pokoju albo przypisz zadanie komuś z jego członków."
    );

    // A mention as Element makes it: the display name in `body`, a `matrix.to` link in
    // `formatted_body` and the person in `m.mentions`.
    let seen = piotr.received_from(&room_piotr, &bot).len();
    anna.wait_for_messages(&room, &bot, seen, WAIT).await?;
    let mut pill = RoomMessageEventContent::text_html(
        "!zadanie Sprawdzić wnioski Ewa Zielińska do środy",
        format!(
            "!zadanie Sprawdzić wnioski <a href=\"https://matrix.to/#/{ewa_id}\">Ewa Zielińska</a> do środy"
        ),
    );
    pill.mentions = Some(Mentions::with_user_ids([ewa_id.clone()]));
    let added = anna.ask(&room, &bot, pill).await?.body;
    assert!(
        added.starts_with("Dodano zadanie nr ") && added.contains(" Sprawdzić wnioski — termin: "),
        "{added}"
    );
    assert!(added.ends_with(" · Ewa Zielińska") && !added.contains("wnioski Ewa"), "{added}");
    Ok(())
}

/// The `ical` crate's reading of a feed: each to-do's SUMMARY and DUE, sorted by summary.
async fn feed_todos(url: &str) -> anyhow::Result<Vec<(String, String)>> {
    let response = matrix_sdk::reqwest::get(url).await?;
    anyhow::ensure!(response.status() == 200, "the feed answered {}", response.status());
    let body = response.bytes().await?;
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(&body[..]));
    let calendar = parser.next().context("no calendar")??;
    let property = |todo: &ical::parser::ical::component::IcalTodo, name: &str| {
        todo.properties.iter().find(|p| p.name == name).and_then(|p| p.value.clone()).unwrap_or_default()
    };
    let mut todos: Vec<(String, String)> =
        calendar.todos.iter().map(|t| (property(t, "SUMMARY"), property(t, "DUE"))).collect();
    todos.sort();
    Ok(todos)
}

fn url_in(text: &str) -> String {
    text.split_whitespace().find(|w| w.starts_with("http")).expect("a URL").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_become_a_register_and_attachments_and_tasks_reach_calendars() -> anyhow::Result<()> {
    let office = Office::start(szpon()).await?;
    let bot = office.bot_user_id.clone();
    let anna = office.user("kierowniczka").await?;
    let ewa = office.user("urzedniczka").await?;
    ewa.set_display_name("Ewa Zielińska").await?;
    let ewa_id = ewa.user_id();
    let room = anna.create_encrypted_group("Sekretariat", &[&bot, &ewa_id]).await?;
    let room_ewa = ewa.accept_invite(room.room_id()).await?;
    anna.wait_for_member(&room, &bot).await?;
    anna.wait_for_member(&room, &ewa_id).await?;

    // Ewa shares a file through the encrypted room; the bot registers it without a word.
    let pdf = b"%PDF-1.4\n% umowa najmu sali\n".to_vec();
    let file = ewa.send_file(&room_ewa, "Umowa najmu sali.pdf", &mime::APPLICATION_PDF, pdf).await?;
    let register = anna.ask(&room, &bot, RoomMessageEventContent::text_plain("!dokumenty")).await?;
    assert!(
        register.body.starts_with(
            "Dokumenty udostępnione w tym pokoju (1):\n📄 Umowa najmu sali.pdf — Ewa Zielińska, "
        ),
        "{}",
        register.body
    );
    let html = register.formatted_body.unwrap_or_default();
    assert!(html.contains(&format!("https://matrix.to/#/{}/{file}", room.room_id())), "{html}");

    // Anna answers the file with a task for Ewa: the file is attached.
    let added = anna.reply(&room, &file, &bot, &format!("!zadanie Podpisać umowę {ewa_id} jutro")).await?;
    assert!(added.starts_with("Dodano zadanie nr 1:\n☐ #1 Podpisać umowę — termin: "), "{added}");
    assert!(added.ends_with(" · Ewa Zielińska · 📎 Umowa najmu sali.pdf"), "{added}");
    ewa.wait_for_messages(&room_ewa, &bot, 2, WAIT).await?;
    let weekly = ewa.say(&room_ewa, &bot, "!zadanie Sprawdzić skrzynkę ePUAP co poniedziałek o 9").await?;
    assert!(weekly.contains("#2 Sprawdzić skrzynkę ePUAP — termin: poniedziałek, "), "{weekly}");
    assert!(weekly.contains("↻ co poniedziałek o 9"), "{weekly}");

    // The room's calendar, read by an independent iCalendar parser, has both as to-dos.
    anna.wait_for_messages(&room, &bot, 3, WAIT).await?;
    // Its address is Anna's key: the room hears only that it went to her private chat, which
    // the bot opens for her.
    let pointer = anna.say(&room, &bot, "!kalendarz").await?;
    assert!(
        pointer.starts_with("kierowniczka-")
            && pointer.contains(", odpowiedź wysłałem Ci w naszej prywatnej, szyfrowanej rozmowie"),
        "{pointer}"
    );
    let private = anna.accept_invite_from(&bot, None).await?;
    let url = url_in(&anna.wait_for_messages(&private, &bot, 1, WAIT).await?[0].body);
    let todos = feed_todos(&url).await?;
    assert_eq!(todos.len(), 2, "{todos:?}");
    assert_eq!(todos[0].0, "#1 Podpisać umowę");
    assert_eq!(todos[0].1.len(), 8, "a day without an hour is a DATE: {todos:?}");
    assert_eq!(todos[1].0, "#2 Sprawdzić skrzynkę ePUAP");
    let due = chrono::NaiveDateTime::parse_from_str(&todos[1].1, "%Y%m%dT%H%M%SZ")?.and_utc();
    let local = due.with_timezone(&chrono_tz::Europe::Warsaw);
    assert_eq!((local.weekday(), local.hour(), local.minute()), (chrono::Weekday::Mon, 9, 0), "{todos:?}");

    // Ewa's own calendar has the task assigned to her, not the room's others.
    let dm = ewa.create_dm(&bot, true).await?;
    let personal = ewa.say(&dm, &bot, "!kalendarz").await?;
    assert!(personal.starts_with("Kalendarz (Twoje zadania) do subskrypcji"), "{personal}");
    let todos = feed_todos(&url_in(&personal)).await?;
    assert_eq!(todos.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(), ["#1 Podpisać umowę"]);

    // The weekly task done comes back a week on.
    ewa.wait_for_messages(&room_ewa, &bot, 4, WAIT).await?;
    let done = ewa.say(&room_ewa, &bot, "!zrobione 2").await?;
    assert!(
        done.starts_with("Zrobione: nr 2 „Sprawdzić skrzynkę ePUAP”. Dziękuję! Następny raz: poniedziałek, "),
        "{done}"
    );

    // Ewa deletes her file from the room: the register forgets it.
    ewa.redact(&room_ewa, &file).await?;
    anna.wait_for_messages(&room, &bot, 5, WAIT).await?;
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let register = anna.say(&room, &bot, "!dokumenty").await?;
        if register.starts_with("W tym pokoju nikt jeszcze nie udostępnił pliku.") {
            break;
        }
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "the deleted file stayed: {register}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(!office.szpon_log().contains(url.rsplit('/').next().unwrap()), "feed tokens are never logged");
    meeting_with_a_poll(&office, &anna, &room, &ewa, &room_ewa, &url_in(&personal)).await?;

    // Anna's address of the room's calendar is hers alone, and stops when she leaves the room.
    let http = matrix_sdk::reqwest::Client::new();
    assert_eq!(http.get(&url).send().await?.status(), 200);
    room.leave().await?;
    let deadline = tokio::time::Instant::now() + WAIT;
    while http.get(&url).send().await?.status() != 404 {
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "the feed outlived her membership");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Ok(())
}

/// Anna schedules a meeting; Ewa answers the bot's native poll "yes"; the room's list counts
/// her, her calendar has the meeting, and the reminder and the start come with her mentioned.
async fn meeting_with_a_poll(
    office: &Office,
    anna: &szpon_test_harness::TestUser,
    room: &matrix_sdk::Room,
    ewa: &szpon_test_harness::TestUser,
    room_ewa: &matrix_sdk::Room,
    ewas_feed: &str,
) -> anyhow::Result<()> {
    let bot = office.bot_user_id.clone();
    let seen = anna.received_from(room, &bot).len();
    anna.send_text(room, "!spotkanie jutro o 10 Narada zespołu 45 min").await?;
    let heard = anna.wait_for_messages(room, &bot, seen + 2, WAIT).await?;
    assert!(heard[seen].body.starts_with("Spotkanie nr 1 „Narada zespołu”: "), "{}", heard[seen].body);
    let poll_id = heard[seen + 1].event_id.clone();
    let heard_by_ewa = ewa.wait_for_messages(room_ewa, &bot, seen + 2, WAIT).await?;
    let poll = heard_by_ewa.iter().find(|m| m.event_id == poll_id).context("Ewa sees the poll")?;
    assert_eq!(poll.msgtype, "poll");
    let labels: Vec<&str> = poll.poll_answers.iter().map(|(_, label)| label.as_str()).collect();
    assert_eq!(labels, ["tak", "nie", "może"]);
    ewa.vote(room_ewa, poll, &poll.poll_answers[0].0).await?;

    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let list = anna.say(room, &bot, "!spotkania").await?;
        if list.contains("tak: 1 · nie: 0 · może: 0") {
            break;
        }
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "Ewa's answer was not counted: {list}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let body = matrix_sdk::reqwest::get(ewas_feed).await?.bytes().await?;
    let calendar =
        ical::IcalParser::new(std::io::BufReader::new(&body[..])).next().context("no calendar")??;
    let summaries: Vec<String> = calendar
        .events
        .iter()
        .filter_map(|e| e.properties.iter().find(|p| p.name == "SUMMARY").and_then(|p| p.value.clone()))
        .collect();
    assert_eq!(summaries, ["Narada zespołu"]);

    // szpon's clock goes to ten minutes before the start, then past it.
    let szpon_now =
        chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now() + office.clock_offset());
    let tomorrow = szpon_now.with_timezone(&chrono_tz::Europe::Warsaw).date_naive().succ_opt().unwrap();
    let start =
        tomorrow.and_hms_opt(10, 0, 0).unwrap().and_local_timezone(chrono_tz::Europe::Warsaw).unwrap();
    let before = ewa.received_from(room_ewa, &bot).len();
    let to_reminder = (start.to_utc() - szpon_now - chrono::Duration::minutes(10)).to_std()?;
    office.advance_clock(to_reminder)?;
    // The task due tomorrow has its own reminder meanwhile; the meeting's are picked out.
    let soon = "Za 15 minut spotkanie nr 1 „Narada zespołu”";
    let reminder = next_starting_with(ewa, room_ewa, &bot, before, soon).await?;
    assert!(reminder.ends_with("Ewa Zielińska"), "{reminder}");
    office.advance_clock(Duration::from_secs(15 * 60))?;
    let start = "Zaczyna się spotkanie nr 1 „Narada zespołu”";
    next_starting_with(ewa, room_ewa, &bot, before, start).await?;
    let heard: Vec<String> =
        ewa.received_from(room_ewa, &bot)[before..].iter().map(|m| m.body.clone()).collect();
    assert_eq!(
        heard.iter().filter(|m| m.contains("spotkanie nr 1")).count(),
        2,
        "each comes once: {heard:#?}"
    );
    Ok(())
}

/// The first message from `bot`, of those after the first `skip`, that starts with `prefix`.
async fn next_starting_with(
    user: &szpon_test_harness::TestUser,
    room: &matrix_sdk::Room,
    bot: &matrix_sdk::ruma::UserId,
    skip: usize,
    prefix: &str,
) -> anyhow::Result<String> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let heard = user.received_from(room, bot)[skip..].to_vec();
        if let Some(found) = heard.iter().find(|m| m.body.starts_with(prefix)) {
            return Ok(found.body.clone());
        }
        anyhow::ensure!(tokio::time::Instant::now() < deadline, "no message “{prefix}…” came: {heard:#?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
