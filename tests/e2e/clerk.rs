//! The clerk's side through the real Synapse: the department room hears of new visits, the
//! agenda, queue calling on the day, and the calendar feed behind a revocable secret address.

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use matrix_sdk::{Room, ruma::UserId};
use sqlx::Row;
use szpon_bots::booking::DEMO_OFFICE;
use szpon_test_harness::{Office, TestUser};

use super::szpon;

fn code_in(reply: &str) -> String {
    let at = reply.find("Kod wizyty: ").expect("a visit code") + "Kod wizyty: ".len();
    reply[at..at + 6].to_owned()
}

async fn visit_start(office: &Office, code: &str) -> anyhow::Result<DateTime<chrono_tz::Tz>> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let row = sqlx::query("SELECT start_at FROM visits WHERE code = $1").bind(code).fetch_one(&pool).await?;
    pool.close().await;
    let start = DateTime::from_timestamp_millis(row.try_get("start_at")?).unwrap();
    Ok(start.with_timezone(&chrono_tz::Europe::Warsaw))
}

async fn department_room_id(
    office: &Office,
    department: &str,
) -> anyhow::Result<matrix_sdk::ruma::OwnedRoomId> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let row = sqlx::query("SELECT room_id FROM department_rooms WHERE department = $1")
        .bind(department)
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    Ok(matrix_sdk::ruma::OwnedRoomId::try_from(row.try_get::<String, _>("room_id")?)?)
}

fn url_in(text: &str) -> String {
    text.split_whitespace().find(|w| w.starts_with("http")).expect("a URL").to_owned()
}

/// A room of the clerk and the bot that was not opened as a direct chat is not private, though
/// encrypted and of two: the agenda goes to the clerk's direct chat instead.
async fn the_agenda_goes_only_to_the_private_chat(
    clerk: &TestUser,
    bot: &UserId,
    clerk_dm: &Room,
    day: &str,
    code: &str,
) -> anyhow::Result<()> {
    let notes = clerk.create_encrypted_group("Notatki", &[bot]).await?;
    clerk.wait_for_member(&notes, bot).await?;
    let before = clerk.received_from(clerk_dm, bot).len();
    let pointer = clerk.say(&notes, bot, &format!("!agenda {day}")).await?;
    assert!(
        pointer.contains(", odpowiedź wysłałem Ci w naszej prywatnej, szyfrowanej rozmowie"),
        "{pointer}"
    );
    let private = clerk.wait_for_messages(clerk_dm, bot, before + 1, Duration::from_secs(30)).await?;
    assert!(private[before].body.starts_with("Wizyty — ") && private[before].body.contains(code));
    assert!(clerk.received_from(&notes, bot).iter().all(|m| !m.body.contains(code)));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clerks_see_the_agenda_call_the_queue_and_subscribe_to_their_calendar() -> anyhow::Result<()> {
    // Only Anna (the demo clerk) serves ID cards here, so the agenda is hers.
    let office_file =
        DEMO_OFFICE.replacen("departments = [\"podatki\", \"ewidencja\"]", "departments = [\"podatki\"]", 1);
    let mut office = Office::start_with_office(szpon(), &office_file).await?;
    let bot = office.bot_user_id.clone();
    let clerk = office.user_named("urzednik").await?;
    let citizen = office.user("obywatel").await?;
    citizen.set_display_name("Jan Kowalski").await?;

    // The office file names no room for the department: the bot creates one and invites its
    // clerks; Anna's account did not exist at the first start, so she is invited at the next.
    office.restart_szpon().await?;
    let room_id = department_room_id(&office, "ewidencja").await?;
    let department_room = clerk.accept_invite(&room_id).await?;
    assert_eq!(department_room.name().as_deref(), Some("Ewidencja ludności i dowody osobiste"));
    assert!(
        department_room.latest_encryption_state().await?.is_encrypted(),
        "the department's room is encrypted"
    );

    let dm = citizen.create_dm(&bot, true).await?;
    let reply = citizen.say(&dm, &bot, "chcę umówić wizytę w sprawie dowodu osobistego").await?;
    assert!(reply.contains("najbliższe wolne terminy"), "{reply}");
    let reply = citizen.say(&dm, &bot, "1").await?;
    let code = code_in(&reply);
    let told = clerk.wait_for_messages(&department_room, &bot, 1, Duration::from_secs(30)).await?;
    assert!(told[0].body.starts_with(&format!("Nowa wizyta {code}: ")), "{}", told[0].body);
    assert!(told[0].body.contains("Anna Nowak, pokój 12"), "{}", told[0].body);
    // The clerk answers the notice with a follow-up task: it remembers the visit.
    let notice = told[0].event_id.clone();
    let follow_up = clerk.reply(&department_room, &notice, &bot, "!zadanie Oddzwonić do interesanta").await?;
    assert_eq!(follow_up, format!("Dodano zadanie nr 1:\n☐ #1 Oddzwonić do interesanta — ↪ wizyta {code}"));

    let start = visit_start(&office, &code).await?;
    let day = start.format("%d.%m").to_string();
    let clerk_dm = clerk.create_dm(&bot, true).await?;
    let agenda = clerk.say(&clerk_dm, &bot, &format!("!agenda {day}")).await?;
    assert!(agenda.starts_with("Wizyty — "), "{agenda}");
    // People are shown by name, with their ID in the pill's link.
    assert!(agenda.contains(&code) && agenda.contains("Jan Kowalski"), "{agenda}");
    let pill = format!("<a href=\"https://matrix.to/#/{}\">Jan Kowalski</a>", citizen.user_id());
    let html = clerk.received_from(&clerk_dm, &bot).last().and_then(|m| m.formatted_body.clone());
    assert!(html.as_deref().is_some_and(|h| h.contains(&pill)), "{html:?}");
    the_agenda_goes_only_to_the_private_chat(&clerk, &bot, &clerk_dm, &day, &code).await?;
    // A citizen cannot read the agenda.
    let refused = citizen.say(&dm, &bot, &format!("!agenda {day}")).await?;
    assert!(refused.starts_with("To polecenie jest tylko dla pracowników urzędu."), "{refused}");

    // The visit's day comes: the clock moves to 7:30 that morning.
    let morning = chrono_tz::Europe::Warsaw
        .from_local_datetime(&start.date_naive().and_hms_opt(7, 30, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let real_now = DateTime::<Utc>::from(std::time::SystemTime::now() + office.clock_offset());
    office.advance_clock((morning - real_now).to_std()?)?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = citizen.received_from(&dm, &bot).len();
    let reply = clerk.say(&clerk_dm, &bot, &format!("!przyjęto {}", code.to_lowercase())).await?;
    assert!(reply.starts_with(&format!("Przyjęto {code}. W kolejce czeka 1 osoba.")), "{reply}");
    let reply = clerk.say(&clerk_dm, &bot, "!następny").await?;
    assert!(reply.starts_with(&format!("Wezwano {code}")), "{reply}");
    // The visit's reminders, due by now, may come in between: the two answers are looked for.
    let called = format!("Zapraszamy do pokoju 12 — Anna Nowak. Kod wizyty: {code}.");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let bodies = loop {
        let bodies: Vec<String> =
            citizen.received_from(&dm, &bot)[before..].iter().map(|m| m.body.clone()).collect();
        let queued = bodies.iter().any(|b| b.starts_with("Dziękujemy, jesteś w kolejce."));
        if (queued && bodies.contains(&called)) || tokio::time::Instant::now() > deadline {
            break bodies;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(bodies.iter().any(|b| b.starts_with("Dziękujemy, jesteś w kolejce.")), "{bodies:?}");
    assert!(bodies.contains(&called), "{bodies:?}");
    let reply = clerk.say(&clerk_dm, &bot, "!następny").await?;
    assert_eq!(reply, "Nikt nie czeka teraz w kolejce.");

    // Leave over a booked visit: the citizen is told and takes a new time with one number.
    let reply = citizen.say(&dm, &bot, "wizyta dowód osobisty").await?;
    assert!(reply.contains("najbliższe wolne terminy"), "{reply}");
    let reply = citizen.say(&dm, &bot, "1").await?;
    let later = code_in(&reply);
    let leave_day = visit_start(&office, &later).await?.format("%d.%m").to_string();
    let before = citizen.received_from(&dm, &bot).len();
    let reply = clerk.say(&clerk_dm, &bot, &format!("!urlop {leave_day}")).await?;
    assert!(
        reply.starts_with("Zapisano nieobecność: ") && reply.contains(&format!("Jedna osoba ({later})")),
        "{reply}"
    );
    let told = citizen.wait_for_messages(&dm, &bot, before + 1, Duration::from_secs(30)).await?;
    let told = &told[before].body;
    assert!(told.starts_with("Niestety, wizyta ") && told.contains("urzędnik będzie nieobecny"), "{told}");
    let reply = citizen.say(&dm, &bot, "1").await?;
    assert!(reply.starts_with("Gotowe! Termin wizyty został zmieniony."), "{reply}");
    let moved_to = visit_start(&office, &later).await?.format("%d.%m").to_string();
    assert_ne!(moved_to, leave_day, "the visit left the day of leave");

    // The calendar feed, read as a calendar client would, and replaced.
    let reply = clerk.say(&clerk_dm, &bot, "!kalendarz").await?;
    let url = url_in(&reply);
    assert!(url.starts_with(&format!("{}/kalendarz/", office.web_url)), "{url}");
    let http = matrix_sdk::reqwest::Client::new();
    let feed = http.get(&url).send().await?;
    assert_eq!(feed.status(), 200);
    let text = feed.text().await?;
    assert!(text.starts_with("BEGIN:VCALENDAR") && text.contains(&code), "{text}");
    let reply = clerk.say(&clerk_dm, &bot, "!kalendarz nowy").await?;
    let new_url = url_in(&reply);
    assert_ne!(new_url, url);
    assert_eq!(http.get(&url).send().await?.status(), 404);
    assert_eq!(http.get(&new_url).send().await?.status(), 200);
    assert!(!office.szpon_log().contains(url.rsplit('/').next().unwrap()), "feed tokens are never logged");
    Ok(())
}
