//! A team's task list through the real Synapse, in an encrypted room: tasks added, assigned,
//! listed and done by clerks with real E2EE clients; who may change what follows the room's
//! power levels; reminders and the daily digest arrive with the clock moved on.

use std::time::Duration;

use matrix_sdk::ruma::events::room::message::RoomMessageEventContent;
use szpon_test_harness::Office;

use super::szpon;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_keeps_its_tasks_in_its_room() -> anyhow::Result<()> {
    let office = Office::start(szpon()).await?;
    let bot = office.bot_user_id.clone();
    let anna = office.user("kierowniczka").await?;
    let ewa = office.user("urzedniczka").await?;
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
    assert!(added.ends_with(&format!(" · {ewa_id} · ‼ pilne")), "{added}");
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
        if nudged && heard.iter().any(|m| m.starts_with("Podsumowanie na ")) {
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
    let digest = heard.iter().find(|m| m.starts_with("Podsumowanie na ")).unwrap();
    assert!(
        digest.contains(": jedno zadanie do zrobienia, w tym po terminie: 1.\n☐ #1 Raport kwartalny"),
        "{digest}"
    );
    assert!(nudge.contains(&format!("{ewa_id}, gdy będzie gotowe, napisz „!zrobione 1”.")), "{nudge}");

    let done = ewa.say(&room_ewa, &bot, "!zrobione 1").await?;
    assert_eq!(done, "Zrobione: nr 1 „Raport kwartalny”. Dziękuję!");
    let seen_by_ewa = ewa.received_from(&room_ewa, &bot).len();
    piotr.wait_for_messages(&room_piotr, &bot, seen_by_ewa, WAIT).await?;
    let empty = piotr.say(&room_piotr, &bot, "!zadania").await?;
    assert!(empty.starts_with("Lista zadań jest pusta."), "{empty}");
    Ok(())
}
