//! Booking through the real Synapse: a citizen books, lists, moves and cancels visits in an
//! encrypted DM; dialogues survive restarts; reminders come at the configured offsets, once.

use std::time::Duration;

use sqlx::Row;
use szpon_bots::booking::DEMO_OFFICE;
use szpon_test_harness::Office;

use super::szpon;

fn code_in(reply: &str) -> String {
    let at = reply.find("Kod wizyty: ").expect("a visit code") + "Kod wizyty: ".len();
    reply[at..at + 6].to_owned()
}

/// When a visit starts, in milliseconds since the epoch, as szpon stored it.
async fn visit_start_ms(office: &Office, code: &str) -> anyhow::Result<i64> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let row = sqlx::query("SELECT start_at FROM visits WHERE code = $1").bind(code).fetch_one(&pool).await?;
    let start: i64 = row.try_get("start_at")?;
    pool.close().await;
    Ok(start)
}

fn now_ms(office: &Office) -> i64 {
    let real = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    (real + office.clock_offset()).as_millis() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citizens_book_move_and_cancel_visits_and_get_reminders() -> anyhow::Result<()> {
    let mut office = Office::start_with_office(szpon(), DEMO_OFFICE).await?;
    let bot = office.bot_user_id.clone();
    let citizen = office.user("obywatel").await?;
    let room = citizen.create_dm(&bot, true).await?;

    let reply = citizen.say(&room, &bot, "Dzień dobry, chcę umówić wizytę").await?;
    assert!(reply.contains("W jakiej sprawie chcesz się umówić?"), "{reply}");
    assert!(reply.contains("Rejestracja pojazdu"), "{reply}");
    let reply = citizen.say(&room, &bot, "dowod osobisty").await?;
    assert!(
        reply.starts_with("Dowód osobisty — złożenie wniosku — najbliższe wolne terminy:\n1. "),
        "{reply}"
    );
    let reply = citizen.say(&room, &bot, "1").await?;
    assert!(reply.starts_with("Gotowe! Wizyta jest zarezerwowana."), "{reply}");
    assert!(reply.contains("• Miejsce: pokój 12") || reply.contains("• Miejsce: pokój 7"), "{reply}");
    assert!(reply.contains("aktualne zdjęcie 35×45 mm"), "{reply}");
    let first = code_in(&reply);

    // A step of the dialogue survives a restart of szpon.
    let reply = citizen.say(&room, &bot, "umów mnie na zameldowanie").await?;
    assert!(reply.starts_with("Zameldowanie lub wymeldowanie — najbliższe wolne terminy:"), "{reply}");
    office.restart_szpon().await?;
    let reply = citizen.say(&room, &bot, "2").await?;
    assert!(reply.starts_with("Gotowe! Wizyta jest zarezerwowana."), "{reply}");
    let second = code_in(&reply);
    assert_ne!(first, second);

    let reply = citizen.say(&room, &bot, "moje wizyty").await?;
    assert!(reply.contains(&first) && reply.contains(&second), "{reply}");

    // Another citizen cannot touch these visits, and learns nothing about them.
    let stranger = office.user("inny").await?;
    let stranger_room = stranger.create_dm(&bot, true).await?;
    let reply = stranger.say(&stranger_room, &bot, &format!("odwołaj {first}")).await?;
    assert_eq!(
        reply,
        format!(
            "Nie znalazłem wśród Twoich zaplanowanych wizyt żadnej o kodzie {first}. Napisz „moje wizyty”, aby zobaczyć swoje wizyty."
        )
    );
    let reply = stranger.say(&stranger_room, &bot, "moje wizyty").await?;
    assert!(reply.starts_with("Nie masz zaplanowanych wizyt."), "{reply}");

    // Polish typed without diacritics, mid-dialogue, stays Polish to the end of it.
    let reply = stranger.say(&stranger_room, &bot, "umow mnie na rejestracje samochodu").await?;
    assert!(reply.starts_with("Rejestracja pojazdu — najbliższe wolne terminy"), "{reply}");
    let reply = stranger.say(&stranger_room, &bot, "a moze we wtorek kolo 10?").await?;
    assert!(reply.contains("wtorek") && !reply.contains("Vehicle") && !reply.contains("Tuesday"), "{reply}");
    let reply = stranger.say(&stranger_room, &bot, "nie, jednak nie").await?;
    assert!(reply.starts_with("Dobrze, przerywam. Gdy zechcesz wrócić do rezerwacji"), "{reply}");

    // Moving keeps the code.
    let reply = citizen.say(&room, &bot, &format!("zmień termin {second}")).await?;
    assert!(reply.starts_with("Zmieniamy termin wizyty z"), "{reply}");
    let reply = citizen.say(&room, &bot, "3").await?;
    assert!(reply.starts_with("Gotowe! Termin wizyty został zmieniony."), "{reply}");
    assert!(reply.contains(&format!("Kod wizyty (bez zmian): {second}")), "{reply}");

    let reply = citizen.say(&room, &bot, &format!("odwołaj {second}")).await?;
    assert!(reply.starts_with("Wizyta ") && reply.contains("została odwołana"), "{reply}");
    let reply = citizen.say(&room, &bot, "moje wizyty").await?;
    assert!(reply.contains(&first) && !reply.contains(&second), "{reply}");

    // Reminders: the clock is moved, not waited for.
    let start = visit_start_ms(&office, &first).await?;
    let before = citizen.received_from(&room, &bot).len();
    let day_before = start - 24 * 3600 * 1000;
    let mut expected = 0;
    if day_before > now_ms(&office) {
        office.advance_clock(Duration::from_millis((day_before - now_ms(&office) + 2000) as u64))?;
        expected += 1;
        let all = citizen.wait_for_messages(&room, &bot, before + expected, Duration::from_secs(30)).await?;
        let reminder = &all[before].body;
        assert!(reminder.starts_with("Przypomnienie: "), "{reminder}");
        // The office's name in the locative, as the office file declines it.
        assert!(reminder.contains("masz wizytę w Urzędzie Gminy Przykładowo — "), "{reminder}");
        assert!(reminder.contains(&format!("Kod wizyty: {first}")), "{reminder}");
    }
    // The hour-before reminder falls due while szpon is killed; it comes once it is back.
    office.kill_szpon().await?;
    let hour_before = start - 3600 * 1000;
    office.advance_clock(Duration::from_millis((hour_before - now_ms(&office) + 2000) as u64))?;
    office.start_szpon().await?;
    expected += 1;
    let all = citizen.wait_for_messages(&room, &bot, before + expected, Duration::from_secs(30)).await?;
    assert!(all.last().unwrap().body.starts_with("Przypomnienie: "), "{:?}", all.last());
    assert!(
        all.last().unwrap().body.contains("masz wizytę w Urzędzie Gminy Przykładowo — "),
        "{:?}",
        all.last()
    );
    // And only once, even after another restart.
    office.restart_szpon().await?;
    let reply = citizen.say(&room, &bot, "dziękuję").await?;
    assert!(reply.starts_with("Proszę bardzo"), "{reply}");
    let reminders =
        citizen.received_from(&room, &bot).iter().filter(|m| m.body.starts_with("Przypomnienie")).count();
    assert_eq!(reminders, expected);

    // A dialogue left waiting closes politely once its time is up.
    let reply = citizen.say(&room, &bot, "wizyta").await?;
    assert!(reply.contains("W jakiej sprawie"), "{reply}");
    let before = citizen.received_from(&room, &bot).len();
    office.advance_clock(Duration::from_secs(31 * 60))?;
    let all = citizen.wait_for_messages(&room, &bot, before + 1, Duration::from_secs(30)).await?;
    assert!(all[before].body.starts_with("Rozmowa o rezerwacji wygasła"), "{}", all[before].body);
    Ok(())
}

/// A citizen holds at most the office's number of visits at once: a further booking is refused
/// with their visits and how to free one, and cancelling one frees a place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_holds_at_most_the_offices_number_of_visits() -> anyhow::Result<()> {
    let every_day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let office_file = szpon_test_harness::one_clerk_office(14, 15, &every_day, "08:00-16:00").replacen(
        "[booking]\n",
        "[booking]\nmax_active_visits = 2\n",
        1,
    );
    let office = Office::start_with_office(szpon(), &office_file).await?;
    let bot = office.bot_user_id.clone();
    let citizen = office.user("obywatel").await?;
    let room = citizen.create_dm(&bot, true).await?;
    let mut codes = Vec::new();
    for _ in 0..2 {
        let offers = citizen.say(&room, &bot, "wizyta sprawa ogólna").await?;
        assert!(offers.contains("najbliższe wolne terminy"), "{offers}");
        let booked = citizen.say(&room, &bot, "1").await?;
        assert!(booked.starts_with("Gotowe! Wizyta jest zarezerwowana."), "{booked}");
        codes.push(code_in(&booked));
    }
    let refused = citizen.say(&room, &bot, "chcę umówić jeszcze jedną wizytę, sprawa ogólna").await?;
    assert!(refused.starts_with("Masz już 2 zaplanowane wizyty — tyle, ile urząd pozwala"), "{refused}");
    assert!(codes.iter().all(|code| refused.contains(code.as_str())), "{refused}");
    assert!(refused.contains("odwołaj"), "{refused}");
    Ok(())
}
