//! Courses through the real Synapse with E2EE clients: a trainer publishes a course by replying
//! to its file in an encrypted room; a broken file is refused with its line; nobody else may.

use std::time::Duration;

use sqlx::Row;
use szpon_bots::booking::DEMO_OFFICE;
use szpon_test_harness::Office;

use super::szpon;

const WAIT: Duration = Duration::from_secs(30);
const COURSE: &str = include_str!("../../course-engine/tests/corpus/course.md");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trainer_publishes_a_course_from_its_file() -> anyhow::Result<()> {
    let office = Office::start_with_office(szpon(), DEMO_OFFICE).await?;
    let bot = office.bot_user_id.clone();
    let trainer = office.user_named("trener").await?;
    let clerk = office.user("urzedniczka").await?;
    let room = trainer.create_encrypted_group("Trenerzy", &[&bot, &clerk.user_id()]).await?;
    let room_clerk = clerk.accept_invite(room.room_id()).await?;
    trainer.wait_for_member(&room, &bot).await?;
    trainer.wait_for_member(&room, &clerk.user_id()).await?;

    let markdown = "text/markdown".parse::<mime::Mime>()?;
    let file = trainer.send_file(&room, "segregacja.md", &markdown, COURSE.as_bytes().to_vec()).await?;
    let published = trainer.reply(&room, &file, &bot, "!kurs opublikuj").await?;
    assert_eq!(
        published,
        "Opublikowano kurs „Segregacja odpadów w gminie” (segregacja-odpadow): 1 lekcja, 4 pytania, 1 ankieta."
    );

    // A broken version is refused with its line, and the published one stays.
    let broken = COURSE.replacen("{#5}", "{#pięć}", 1);
    let file = trainer.send_file(&room, "segregacja.md", &markdown, broken.into_bytes()).await?;
    let refused = trainer.reply(&room, &file, &bot, "!kurs opublikuj").await?;
    assert!(refused.starts_with("Kurs nie został opublikowany: wiersz 23: "), "{refused}");

    // A clerk who is no trainer cannot publish, even the good file.
    clerk.wait_for_messages(&room_clerk, &bot, 2, WAIT).await?;
    let good = trainer.send_file(&room, "segregacja.md", &markdown, COURSE.as_bytes().to_vec()).await?;
    let stranger = clerk.reply(&room_clerk, &good, &bot, "!kurs opublikuj").await?;
    assert!(stranger.starts_with("Kursy publikują trenerzy urzędu."), "{stranger}");

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let rows = sqlx::query("SELECT version, source FROM courses WHERE course_id = 'segregacja-odpadow'")
        .fetch_all(&pool)
        .await?;
    pool.close().await;
    assert_eq!(rows.len(), 1, "one version, the good one");
    assert_eq!(rows[0].try_get::<String, _>("source")?, COURSE);
    Ok(())
}
