//! The booking race through the real Synapse: 50 citizens, each in their own chat with the
//! bot, answer "1" at the same moment for 5 times, ten for each. Exactly 5 get a confirmation;
//! 45 are told plainly that the time was just taken. (The race of 200 citizens for 20 slots
//! runs through the engine on SQLite and PostgreSQL in the store tests: there, the citizens are
//! truly concurrent, while szpon's bridge hands events to the engine one at a time.)

use std::time::Duration;

use chrono::{Days, Utc};
use futures_util::future::join_all;
use szpon_bots::calendar::holiday_on;
use szpon_test_harness::{Office, TestUser};

use super::szpon;

const CITIZENS: usize = 50;
const SLOTS: usize = 5;

/// One clerk with exactly five 15-minute slots a day, and a window of one day: tomorrow.
fn five_slots_tomorrow() -> String {
    let every_day = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    szpon_test_harness::one_clerk_office(1, 15, &every_day, "08:00-09:15")
}

/// "Tomorrow" must not be a public holiday: if it is, szpon's clock moves on a few days.
pub(crate) fn skip_to_a_working_tomorrow(office: &Office) -> anyhow::Result<()> {
    let today = chrono::DateTime::<Utc>::from(std::time::SystemTime::now())
        .with_timezone(&chrono_tz::Europe::Warsaw)
        .date_naive();
    let skip = (0..10).find(|k| holiday_on(today + Days::new(k + 1)).is_none()).unwrap_or(0);
    office.advance_clock(Duration::from_secs(skip * 24 * 3600))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_citizens_race_for_five_slots_through_synapse() -> anyhow::Result<()> {
    let office = Office::start_with_office(szpon(), &five_slots_tomorrow()).await?;
    skip_to_a_working_tomorrow(&office)?;
    let bot = &office.bot_user_id;

    let mut citizens: Vec<TestUser> = Vec::new();
    for chunk in (0..CITIZENS).collect::<Vec<_>>().chunks(10) {
        let made = join_all(chunk.iter().map(|_| office.user("racer"))).await;
        citizens.extend(made.into_iter().collect::<anyhow::Result<Vec<_>>>()?);
    }
    // Plain DMs: encryption has its own tests; here the subject is the race. Set up ten at
    // a time, as a busy morning would, not all at once.
    let mut rooms = Vec::new();
    for chunk in citizens.chunks(10) {
        let made = join_all(chunk.iter().map(|c| c.create_dm(bot, false))).await;
        rooms.extend(made.into_iter().collect::<anyhow::Result<Vec<_>>>()?);
    }

    // Each aims at one slot: ten citizens per slot.
    let mut offers = Vec::new();
    for (chunk, chunk_rooms) in citizens.chunks(SLOTS).zip(rooms.chunks(SLOTS)) {
        let asked = join_all(chunk.iter().zip(chunk_rooms).enumerate().map(|(i, (citizen, room))| {
            let minutes = (i % SLOTS) * 15;
            let ask = format!("wizyta sprawa ogólna po {}:{:02}", 8 + minutes / 60, minutes % 60);
            async move { citizen.say(room, bot, &ask).await }
        }))
        .await;
        offers.extend(asked.into_iter().collect::<anyhow::Result<Vec<_>>>()?);
    }
    for (i, offer) in offers.into_iter().enumerate() {
        let minutes = (i % SLOTS) * 15;
        assert!(
            offer.contains("1. ")
                && offer.contains(&format!("godz. {}:{:02}", 8 + minutes / 60, minutes % 60)),
            "{offer}"
        );
    }

    // The race: everyone answers "1" at once.
    let answers =
        join_all(citizens.iter().zip(&rooms).map(|(citizen, room)| citizen.say(room, bot, "1"))).await;
    let answers = answers.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    let confirmed = answers.iter().filter(|a| a.starts_with("Gotowe! Wizyta jest zarezerwowana.")).count();
    let taken =
        answers.iter().filter(|a| a.starts_with("Przepraszam, ten termin został właśnie zajęty")).count();
    assert_eq!((confirmed, taken), (SLOTS, CITIZENS - SLOTS), "{answers:#?}");
    // Each refusal goes on to what is left: times still free then, or plainly none.
    for refusal in answers.iter().filter(|a| a.starts_with("Przepraszam")) {
        assert!(
            refusal.contains("najbliższe wolne terminy:\n1. ")
                || refusal.contains("nie ma już wolnych terminów"),
            "{refusal}"
        );
    }
    Ok(())
}
