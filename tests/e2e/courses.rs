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

/// An hourly course for a department: lessons come at every full hour of szpon's clock.
const HOURLY: &str = r#"---
id: dostepnosc
title: Dostępność cyfrowa
audience: department = "promocja"
pacing: "0 * * * *"
room: true
hours: 2
badges:
  - name: Strażnik dostępności
    when: bezbłędnie
completion:
  pass_score: 50
---

# Lekcja: Teksty alternatywne

Każdy obrazek na stronie urzędu potrzebuje tekstu alternatywnego.

# Test: Sprawdź się

```gift
Co opisuje tekst alternatywny? {=treść obrazka#Tak: to, co obrazek przekazuje. ~nazwę pliku#Nie, nazwa pliku nic nie mówi.}

Ile poziomów ma WCAG? {#3}
```

# Ankieta: Opinia

```survey anonimowa
skala: Kurs był zrozumiały.
tekst: Co poprawić?
```
"#;

/// Runs `szpon directory import` on the office's configuration, as an administrator would.
fn import_directory(office: &Office, csv: &str) -> anyhow::Result<String> {
    let file = office.dir.path().join("katalog.csv");
    std::fs::write(&file, csv)?;
    let output = std::process::Command::new(szpon())
        .args(["directory", "import"])
        .arg(&file)
        .arg("--config")
        .arg(office.config_path())
        .output()?;
    anyhow::ensure!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_audience_takes_a_course_in_chat_and_the_trainer_reads_the_results() -> anyhow::Result<()>
{
    // The learner tries every board within seconds, faster than the flood limit's ten answers
    // in half a minute lets anyone (that limit has tests of its own).
    let flood = "[bot]\nanswers_per_half_minute = 30\n";
    let office = Office::start_configured(szpon(), flood, Some(DEMO_OFFICE)).await?;
    let bot = office.bot_user_id.clone();
    let (trainer, room) = trainers_room(&office).await?;
    let learner = office.user("redaktorka").await?;
    let other = office.user("ewidencja").await?;
    let markdown = "text/markdown".parse::<mime::Mime>()?;
    let file = trainer.send_file(&room, "dostepnosc.md", &markdown, HOURLY.as_bytes().to_vec()).await?;
    let published = trainer.reply(&room, &file, &bot, "!kurs opublikuj").await?;
    assert!(published.starts_with("Opublikowano kurs „Dostępność cyfrowa” (dostepnosc)"), "{published}");

    // The directory names the audience; the import enrols it, and the bot opens a direct chat.
    let imported = import_directory(
        &office,
        &format!(
            "user_id,department,kind\n{},promocja,staff\n{},ewidencja,staff\n",
            learner.user_id(),
            other.user_id()
        ),
    )?;
    assert!(imported.contains("Kurs dostepnosc: zapisano 1, wypisano 0."), "{imported}");
    let dm = learner.accept_invite_from(&bot, None).await?;
    // The course's room, for talk next to the lessons: the trainer at 50, learners at 0.
    let course_room = learner.accept_invite_from(&bot, Some("Kurs: Dostępność cyfrowa")).await?;
    trainer.accept_invite(course_room.room_id()).await?;
    let levels = learner.power_levels(&course_room).await?;
    assert_eq!(levels.users.get(&trainer.user_id()).map(|l| i64::from(*l)), Some(50));
    assert_eq!(i64::from(levels.users_default), 0);
    let welcome = learner.wait_for_messages(&dm, &bot, 1, WAIT).await?;
    assert!(
        welcome[0].body.starts_with("Zapisano Cię na kurs „Dostępność cyfrowa” (dostepnosc): 3 części."),
        "{welcome:?}"
    );
    assert!(dm.latest_encryption_state().await?.is_encrypted(), "lessons go in an encrypted chat");

    // The first lesson comes at the next full hour.
    office.advance_clock(Duration::from_secs(3600))?;
    let lesson = learner.wait_for_messages(&dm, &bot, 2, WAIT).await?;
    assert_eq!(
        lesson[1].body,
        "📘 Lekcja 1 z 1: Teksty alternatywne\n\nKażdy obrazek na stronie urzędu potrzebuje tekstu alternatywnego."
    );

    // The quiz at the hour after: a native poll, answered as Element answers it.
    office.advance_clock(Duration::from_secs(3600))?;
    let quiz = learner.wait_for_messages(&dm, &bot, 4, WAIT).await?;
    assert!(quiz[2].body.starts_with("Test „Sprawdź się”: 2 pytania, podejście 1 z 1."), "{quiz:?}");
    let poll = &quiz[3];
    assert_eq!(poll.msgtype, "poll");
    assert_eq!(poll.body, "1. Co opisuje tekst alternatywny?");
    let right = poll.poll_answers.iter().find(|(_, label)| label == "treść obrazka").unwrap().0.clone();
    learner.vote(&dm, poll, &right).await?;
    let asked = learner.wait_for_messages(&dm, &bot, 6, WAIT).await?;
    assert_eq!(asked[4].body, "Dobrze! Tak: to, co obrazek przekazuje.");
    assert_eq!(asked[5].body, "2. Ile poziomów ma WCAG?\nOdpowiedz liczbą, np. 5 albo 2,5.");
    let before = learner.received_from(&dm, &bot).len();
    learner.send_text(&dm, "3").await?;
    let closed = learner.wait_for_messages(&dm, &bot, before + 3, WAIT).await?;
    assert_eq!(closed[before].body, "Dobrze!");
    assert_eq!(closed[before + 1].msgtype, "poll_end");
    assert_eq!(closed[before + 1].ends_poll.as_ref(), Some(&poll.event_id));
    assert_eq!(closed[before + 1].body, "Test zamknięty. Wynik: 100%, zaliczony.");
    assert_eq!(closed[before + 2].body, "Koniec testu: 100% — zaliczony.");

    // The anonymous survey at the next hour; then the course is done.
    office.advance_clock(Duration::from_secs(3600))?;
    let survey = learner.wait_for_messages(&dm, &bot, before + 5, WAIT).await?;
    assert!(survey[before + 3].body.contains("Jest anonimowa"), "{survey:?}");
    let scale = &survey[before + 4];
    let agree = scale.poll_answers.iter().find(|(_, label)| label == "zdecydowanie tak").unwrap().0.clone();
    learner.vote(&dm, scale, &agree).await?;
    learner.wait_for_messages(&dm, &bot, before + 6, WAIT).await?;
    let done = learner.received_from(&dm, &bot).len();
    learner.send_text(&dm, "Więcej przykładów z BIP-u").await?;
    let finished = learner.wait_for_messages(&dm, &bot, done + 3, WAIT).await?;
    // The survey's poll is ended with it, so that nobody votes in a survey already sent.
    assert_eq!(finished[done].msgtype, "poll_end");
    assert_eq!(finished[done].ends_poll.as_ref(), Some(&scale.event_id));
    assert_eq!(finished[done].body, "Ankieta zamknięta — dziękuję za odpowiedzi.");
    assert_eq!(finished[done + 1].body, "Dziękuję za wypełnienie ankiety!");
    assert_eq!(finished[done + 2].body, "Kurs ukończony: wynik 100%, zaliczony. Dziękuję za udział!");
    learner_gets_a_certificate_anyone_can_check(&office, &learner, &dm, &bot, done + 3).await?;
    learner_earns_badges_and_chooses_the_leaderboard(&learner, &dm, &bot, done + 5).await?;

    trainer_reads_the_results(&trainer, &room, &bot).await?;
    trainer_holds_a_live_session(&office, &trainer, &room, &learner, &dm, &course_room).await?;

    // Someone outside the audience was not enrolled, and cannot enrol themselves.
    let other_dm = other.create_dm(&bot, true).await?;
    let refused = other.say(&other_dm, &bot, "!zapisz dostepnosc").await?;
    assert_eq!(
        refused,
        "Ten kurs jest przeznaczony dla innej grupy osób, więc nie mogę Cię na niego zapisać."
    );

    // The anonymous answers are kept only as counts, with nobody's name.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let named = sqlx::query("SELECT COUNT(*) AS n FROM survey_answers").fetch_one(&pool).await?;
    assert_eq!(named.try_get::<i64, _>("n")?, 0);
    let progress = sqlx::query("SELECT progress FROM enrolments").fetch_one(&pool).await?;
    assert!(!progress.try_get::<String, _>("progress")?.contains("przykładów"));
    pool.close().await;
    Ok(())
}

/// After a passed course: a word and the certificate as a PDF, whose text Poppler reads back;
/// its code opens the check page (genuine, with nothing but what the certificate says), a wrong
/// code does not, and axe-core finds nothing on either page.
async fn learner_gets_a_certificate_anyone_can_check(
    office: &Office,
    learner: &szpon_test_harness::TestUser,
    dm: &matrix_sdk::Room,
    bot: &matrix_sdk::ruma::UserId,
    first: usize,
) -> anyhow::Result<()> {
    let said = learner.wait_for_messages(dm, bot, first + 2, WAIT).await?;
    assert!(
        said[first]
            .body
            .starts_with("Gratulacje! Za ukończenie kursu „Dostępność cyfrowa” otrzymujesz certyfikat"),
        "{:?}",
        said[first]
    );
    let file = &said[first + 1];
    assert_eq!(file.msgtype, "m.file");
    assert_eq!(file.file.as_ref().and_then(|f| f.filename.as_deref()), Some("certyfikat-dostepnosc.pdf"));
    let pdf = learner.download_file(file).await?;
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("certyfikat.pdf"), &pdf)?;
    let text =
        std::process::Command::new("pdftotext").arg(dir.path().join("certyfikat.pdf")).arg("-").output()?;
    let text = String::from_utf8(text.stdout)?;
    assert!(text.contains("„Dostępność cyfrowa”") && text.contains("Liczba godzin: 2"), "{text}");
    let code = text
        .lines()
        .find_map(|line| line.strip_prefix("Kod weryfikacyjny: "))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no code in {text}"))
        .to_owned();

    let genuine = format!("{}/certyfikat/{code}", office.web_url);
    let page = reqwest::get(&genuine).await?;
    assert_eq!(page.status(), 200);
    let html = page.text().await?;
    assert!(html.contains("Ten certyfikat jest prawdziwy.") && html.contains("Dostępność cyfrowa"), "{html}");
    assert!(html.contains("<dd>2</dd>") && html.contains(&code), "{html}");
    let typed = format!("{}/certyfikat/{}", office.web_url, code.to_lowercase().replace('-', " "));
    assert_eq!(reqwest::get(&typed).await?.status(), 200, "typed in lower case, with spaces");
    let wrong = format!("{}/certyfikat/ACDE-FGHJ-KMNP-QRTU", office.web_url);
    assert_eq!(reqwest::get(&wrong).await?.status(), 404);

    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web/certificate.mjs");
    let output = tokio::process::Command::new("node").arg(script).arg(&genuine).arg(&wrong).output().await?;
    anyhow::ensure!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    assert_eq!(seen[&genuine]["status"], 200, "{seen}");
    assert_eq!(seen[&genuine]["violations"], serde_json::json!([]), "axe-core on the genuine page: {seen}");
    assert_eq!(seen[&wrong]["violations"], serde_json::json!([]), "axe-core on the not-found page: {seen}");
    Ok(())
}

/// After a course finished with every answer right: one glad message with the three badges
/// (the author's own among them), then
/// `!postępy`; the learner is off the leaderboard until they opt in, as citizens and learners
/// who are not staff are.
async fn learner_earns_badges_and_chooses_the_leaderboard(
    learner: &szpon_test_harness::TestUser,
    dm: &matrix_sdk::Room,
    bot: &matrix_sdk::ruma::UserId,
    glad_at: usize,
) -> anyhow::Result<()> {
    let glad = learner.wait_for_messages(dm, bot, glad_at + 1, WAIT).await?;
    let glad = &glad[glad_at].body;
    assert!(
        glad.starts_with(
            "Gratulacje! Zdobywasz odznaki: „Pierwszy ukończony kurs”, „Bezbłędnie: Dostępność cyfrowa” i „Strażnik dostępności”. Masz już "
        ),
        "{glad}"
    );
    // Two right answers (5 XP each) and the course (50): 60, or 65 if the test crossed midnight.
    assert!(glad.ends_with(" XP, poziom: Nowicjusz."), "{glad}");
    let progress = learner.say(dm, bot, "!postepy").await?;
    assert!(progress.starts_with("Masz 6"), "{progress}");
    assert!(progress.contains("Do poziomu „Praktykant” brakuje "), "{progress}");
    assert!(
        progress.ends_with(
            "Odznaki: Bezbłędnie: Dostępność cyfrowa, Pierwszy ukończony kurs, Strażnik dostępności."
        ),
        "{progress}"
    );

    let hidden = learner.say(dm, bot, "!ranking").await?;
    assert!(hidden.starts_with("W rankingu nie ma jeszcze nikogo."), "{hidden}");
    let shown = learner.say(dm, bot, "!ranking pokaż").await?;
    assert!(shown.starts_with("Pokazujemy Cię w rankingach"), "{shown}");
    let board = learner.say(dm, bot, "!ranking").await?;
    assert!(board.starts_with("Ranking uczestników szkoleń:\n1. "), "{board}");
    assert!(board.contains("\nTwoje miejsce: 1 (6"), "{board}");
    let course = learner.say(dm, bot, "!ranking dostepnosc").await?;
    assert!(course.starts_with("Ranking kursu „Dostępność cyfrowa”:\n1. "), "{course}");
    assert!(course.ends_with(" XP w tym kursie)."), "{course}");
    let department = learner.say(dm, bot, "!ranking wydział").await?;
    assert!(department.starts_with("Ranking Twojego wydziału (promocja):\n1. "), "{department}");
    let unknown = learner.say(dm, bot, "!ranking astronomia").await?;
    assert!(unknown.starts_with("Nie znam kursu „astronomia”."), "{unknown}");
    let off = learner.say(dm, bot, "!ranking ukryj").await?;
    assert!(off.starts_with("Nie pokazujemy Cię w rankingach."), "{off}");
    let empty = learner.say(dm, bot, "!ranking").await?;
    assert!(empty.starts_with("W rankingu nie ma jeszcze nikogo."), "{empty}");
    let course = learner.say(dm, bot, "!ranking dostepnosc").await?;
    assert!(course.starts_with("W rankingu nie ma jeszcze nikogo."), "opted out of every board: {course}");
    Ok(())
}

/// `!na-żywo` from the trainers' room: the course's room announces it, the learner is invited
/// and reminded in the direct chat, and at the start (this office has no video gateway) the
/// course's room is told plainly that video is not switched on.
async fn trainer_holds_a_live_session(
    office: &Office,
    trainer: &szpon_test_harness::TestUser,
    room: &matrix_sdk::Room,
    learner: &szpon_test_harness::TestUser,
    dm: &matrix_sdk::Room,
    course_room: &matrix_sdk::Room,
) -> anyhow::Result<()> {
    use super::calls::wait_for_message;
    let bot = &office.bot_user_id;
    let scheduled = trainer.say(room, bot, "!na-żywo dostepnosc jutro o 10 Pytania i odpowiedzi").await?;
    assert!(
        scheduled.starts_with(
            "Sesja na żywo kursu „Dostępność cyfrowa” (wydarzenie nr 1 w pokoju kursu): „Pytania i odpowiedzi”, "
        ),
        "{scheduled}"
    );
    assert!(scheduled.contains("Prowadzisz Ty. Zaproszenie poszło do 1 uczestnika kursu."), "{scheduled}");
    let announced =
        wait_for_message(learner, course_room, bot, |m| m.body.starts_with("Sesja na żywo kursu")).await?;
    assert!(announced.body.contains("Pytania można zadawać tutaj"), "{}", announced.body);
    let invited = wait_for_message(learner, dm, bot, |m| {
        m.body.starts_with("Zaproszenie na sesję na żywo kursu „Dostępność cyfrowa”")
    })
    .await?;
    assert!(invited.body.contains("Na początku wyślę Ci tu osobisty link"), "{}", invited.body);

    let (now, start) = super::now_and_tomorrow_at_ten(office)?;
    let soon = start - chrono::Duration::minutes(15) + chrono::Duration::seconds(2);
    office.advance_clock((soon - now).to_std()?)?;
    let reminded =
        wait_for_message(learner, dm, bot, |m| m.body.starts_with("Za 15 minut sesja na żywo kursu")).await?;
    assert!(reminded.body.contains("„Pytania i odpowiedzi”"), "{}", reminded.body);
    office.advance_clock(Duration::from_secs(15 * 60))?;
    wait_for_message(learner, course_room, bot, |m| {
        m.body.starts_with("W tym urzędzie rozmowy wideo nie są włączone")
    })
    .await?;
    let late_tomorrow =
        learner.received_from(dm, bot).iter().filter(|m| m.body.starts_with("Jutro sesja")).count();
    assert_eq!(late_tomorrow, 0, "no \"tomorrow\" said of a session about to start");
    Ok(())
}

/// `!wyniki` and `!ankieta` after one learner finished: a summary, a CSV file and a chart each.
async fn trainer_reads_the_results(
    trainer: &szpon_test_harness::TestUser,
    room: &matrix_sdk::Room,
    bot: &matrix_sdk::ruma::UserId,
) -> anyhow::Result<()> {
    // The trainer's reports: a summary, a CSV file and a chart each.
    let before = trainer.received_from(room, bot).len();
    let results = trainer.say(room, bot, "!wyniki Dostępność cyfrowa").await?;
    assert_eq!(
        results,
        "Wyniki kursu „Dostępność cyfrowa”: zapisanych 1, w trakcie 0, ukończyło 1, wypisanych 0. Zaliczyło 1, średni wynik 100%. Szczegóły w pliku CSV."
    );
    let all = trainer.wait_for_messages(room, bot, before + 3, WAIT).await?;
    let kinds: Vec<(&str, &str)> =
        all[before + 1..].iter().map(|m| (m.msgtype.as_str(), m.body.as_str())).collect();
    assert_eq!(kinds[0], ("m.file", "wyniki-dostepnosc.csv"));
    assert_eq!(kinds[1].0, "m.image");
    let before = all.len();
    let survey_report = trainer.say(room, bot, "!ankieta dostepnosc").await?;
    assert!(survey_report.contains("zdecydowanie tak: 1"), "{survey_report}");
    assert!(survey_report.contains("„Więcej przykładów z BIP-u”"), "{survey_report}");
    let all = trainer.wait_for_messages(room, bot, before + 3, WAIT).await?;
    assert_eq!(
        (all[before + 1].msgtype.as_str(), all[before + 1].body.as_str()),
        ("m.file", "ankieta-dostepnosc.csv")
    );
    assert_eq!(all[before + 2].msgtype, "m.image");

    Ok(())
}

/// The trainers' room, where course files are published: a room of three, since with the bot
/// alone it would be a direct chat.
async fn trainers_room(office: &Office) -> anyhow::Result<(szpon_test_harness::TestUser, matrix_sdk::Room)> {
    let bot = office.bot_user_id.clone();
    let trainer = office.user_named("trener").await?;
    let colleague = office.user("trenerka").await?;
    let room = trainer.create_encrypted_group("Trenerzy", &[&bot, &colleague.user_id()]).await?;
    colleague.accept_invite(room.room_id()).await?;
    trainer.wait_for_member(&room, &bot).await?;
    trainer.wait_for_member(&room, &colleague.user_id()).await?;
    Ok((trainer, room))
}

/// An on-demand course for the promotion department, whose members come from a room.
const ON_DEMAND: &str = "---\nid: wcag\ntitle: WCAG w praktyce\naudience: department = \"promocja\"\n---\n# Lekcja: Kontrast\n\nTekst musi odcinać się od tła.\n\n# Lekcja: Napisy\n\nFilmy mają napisy.\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_of_a_directory_room_are_the_audience_as_they_join_and_leave() -> anyhow::Result<()> {
    let mut office = Office::start_with_office(szpon(), DEMO_OFFICE).await?;
    let bot = office.bot_user_id.clone();
    let trainer = office.user_named("trener").await?;
    let anna = office.user("anna").await?;
    let piotr = office.user("piotr").await?;
    // The promotion department's room, with the bot in it, becomes a directory room.
    let team = trainer.create_encrypted_group("Promocja", &[&bot, &anna.user_id()]).await?;
    let team_anna = anna.accept_invite(team.room_id()).await?;
    trainer.wait_for_member(&team, &bot).await?;
    trainer.wait_for_member(&team, &anna.user_id()).await?;
    let with_room = DEMO_OFFICE.replacen(
        "[courses]\n",
        &format!("[courses]\ndirectory_rooms = [{{ room = \"{}\", department = \"promocja\", kind = \"staff\" }}]\n", team.room_id()),
        1,
    );
    office.replace_office_file(&with_room).await?;

    // Publishing enrols the room's members (the trainer is one too); on demand, the first
    // lesson comes with the welcome.
    let markdown = "text/markdown".parse::<mime::Mime>()?;
    let file = trainer.send_file(&team, "wcag.md", &markdown, ON_DEMAND.as_bytes().to_vec()).await?;
    let published = trainer.reply(&team, &file, &bot, "!kurs opublikuj").await?;
    assert!(published.starts_with("Opublikowano kurs „WCAG w praktyce”"), "{published}");
    let dm_anna = anna.accept_invite_from(&bot, None).await?;
    let said = anna.wait_for_messages(&dm_anna, &bot, 2, WAIT).await?;
    assert!(said[0].body.starts_with("Zapisano Cię na kurs „WCAG w praktyce” (wcag)"), "{said:?}");
    assert!(said[1].body.starts_with("📘 Lekcja 1 z 2: Kontrast"), "{said:?}");

    // Someone who joins the room is enrolled at once.
    trainer.invite(&team, &piotr.user_id()).await?;
    piotr.accept_invite(team.room_id()).await?;
    let dm_piotr = piotr.accept_invite_from(&bot, None).await?;
    let welcome = piotr.wait_for_messages(&dm_piotr, &bot, 1, WAIT).await?;
    assert!(welcome[0].body.starts_with("Zapisano Cię na kurs „WCAG w praktyce”"), "{welcome:?}");

    // Someone who leaves it is let go, and told.
    team_anna.leave().await?;
    let released = anna.wait_for_messages(&dm_anna, &bot, 3, WAIT).await?;
    assert!(
        released[2].body.starts_with("Kurs „WCAG w praktyce” nie jest już przeznaczony dla Twojej grupy"),
        "{released:?}"
    );
    Ok(())
}

/// The web editor, in Debian's headless Chromium: the link from `!kurs edytor`, a broken file's
/// line shown live, the preview, publishing, and axe-core finding no WCAG 2.1 AA violation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trainer_publishes_from_the_web_editor_which_meets_wcag() -> anyhow::Result<()> {
    let office = Office::start_with_office(szpon(), DEMO_OFFICE).await?;
    let bot = office.bot_user_id.clone();
    let trainer = office.user_named("trener").await?;
    let dm = trainer.create_dm(&bot, true).await?;
    let sent = trainer.say(&dm, &bot, "!kurs edytor").await?;
    assert_eq!(sent, "Wysłałem Ci link do edytora kursów w naszej rozmowie prywatnej.");
    let said = trainer.wait_for_messages(&dm, &bot, 2, WAIT).await?;
    let link = said[1]
        .body
        .split_whitespace()
        .find(|w| w.contains("/kursy/edytor/wejscie/"))
        .expect("a link")
        .to_owned();
    assert!(link.starts_with(&office.web_url), "{link}");

    let good = office.dir.path().join("dobry.md");
    let illustrated = ON_DEMAND.replace("od tła.\n", "od tła.\n\n![Przykład kontrastu](kontrast.png)\n");
    std::fs::write(&good, &illustrated)?;
    let picture = office.dir.path().join("kontrast.png");
    std::fs::write(&picture, one_pixel_png()?)?;
    let broken = office.dir.path().join("zly.md");
    std::fs::write(&broken, ON_DEMAND.replace("# Lekcja: Napisy", "# Rozdział: Napisy"))?;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/web/editor.mjs");
    let output = tokio::process::Command::new("node")
        .arg(script)
        .arg(&link)
        .arg(&good)
        .arg(&broken)
        .arg(&picture)
        .output()
        .await?;
    anyhow::ensure!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    assert_eq!(seen["url"], "/kursy/edytor", "the link signs in and leads to the editor");
    assert_eq!(seen["title"], "Edytor kursów — Urząd Gminy Przykładowo");
    assert!(seen["errors"].as_str().unwrap().contains("Wiersz 10:"), "{seen}");
    assert!(seen["files"].as_str().unwrap().contains("kontrast.png (obraz, 1 KB)"), "{seen}");
    assert!(seen["preview"].as_str().unwrap().contains("Tekst musi odcinać się od tła."), "{seen}");
    assert!(seen["preview"].as_str().unwrap().contains("obraz kontrast.png (Przykład kontrastu)"), "{seen}");
    assert_eq!(seen["violations"], serde_json::json!([]), "axe-core: {seen}");
    assert_eq!(seen["entry_violations"], serde_json::json!([]), "axe-core on the link's page: {seen}");
    assert!(
        seen["published"].as_str().unwrap().contains("Opublikowano kurs „WCAG w praktyce” (wcag)"),
        "{seen}"
    );
    assert_eq!(seen["foreign"], serde_json::json!([]), "everything is served by szpon");
    assert_eq!(seen["second_visit"], 403, "the link works once");

    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&office.database_url()).await?;
    let rows = sqlx::query("SELECT published_by, room_id FROM courses WHERE course_id = 'wcag'")
        .fetch_all(&pool)
        .await?;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].try_get::<String, _>("published_by")?, trainer.user_id().as_str());
    assert_eq!(rows[0].try_get::<String, _>("room_id")?, dm.room_id().as_str(), "the trainer's direct chat");
    let kept = sqlx::query(
        "SELECT content FROM course_files WHERE course_id = 'wcag' AND version = 1 AND name = 'kontrast.png'",
    )
    .fetch_one(&pool)
    .await?;
    assert_eq!(
        kept.try_get::<Vec<u8>, _>("content")?,
        one_pixel_png()?,
        "the uploaded picture is the version's"
    );
    let left = sqlx::query("SELECT COUNT(*) AS n FROM editor_files").fetch_one(&pool).await?;
    assert_eq!(left.try_get::<i64, _>("n")?, 0, "the uploads are taken by the publication");
    pool.close().await;
    Ok(())
}

/// An on-demand course whose first lesson has a picture and a file, sent as a `.zip` package.
const ILLUSTRATED: &str = "---\nid: punkty\ntitle: Punkty zbiórki\n---\n# Lekcja: Gdzie oddać odpady\n\nPunkty zbiórki są na **mapie**:\n\n![Mapa punktów zbiórki](obrazy/mapa.png)\n\nGodziny otwarcia są w [regulaminie](regulamin.pdf).\n\n# Lekcja: Co dalej\n\nDziękujemy.\n";

fn one_pixel_png() -> anyhow::Result<Vec<u8>> {
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, 1, 1);
        encoder.set_color(png::ColorType::Rgba);
        encoder.write_header()?.write_image_data(&[0, 128, 0, 255])?;
    }
    Ok(png)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_course_package_brings_a_picture_and_a_file_into_the_lesson_and_exports_back() -> anyhow::Result<()>
{
    use std::collections::BTreeMap;
    use szpon_course_engine::{read_package, write_package};
    let office = Office::start_with_office(szpon(), DEMO_OFFICE).await?;
    let bot = office.bot_user_id.clone();
    let (trainer, room) = trainers_room(&office).await?;
    let learner = office.user("mieszkanka").await?;
    let zip = "application/zip".parse::<mime::Mime>()?;
    let png = one_pixel_png()?;
    let pdf = b"%PDF-1.4 Regulamin punktow zbiorki".to_vec();

    // A package without the file a lesson names is refused with the lesson's line.
    let partial = BTreeMap::from([("obrazy/mapa.png".to_owned(), png.clone())]);
    let package = write_package("punkty.md", ILLUSTRATED, &partial);
    let file = trainer.send_file(&room, "punkty.zip", &zip, package).await?;
    let refused = trainer.reply(&room, &file, &bot, "!kurs opublikuj").await?;
    assert!(
        refused.starts_with(
            "Kurs nie został opublikowany: wiersz 11: w paczce kursu nie ma pliku „regulamin.pdf”"
        ),
        "{refused}"
    );

    let mut complete = partial.clone();
    complete.insert("regulamin.pdf".to_owned(), pdf.clone());
    let file = trainer
        .send_file(&room, "punkty.zip", &zip, write_package("punkty.md", ILLUSTRATED, &complete))
        .await?;
    let published = trainer.reply(&room, &file, &bot, "!kurs opublikuj").await?;
    assert_eq!(published, "Opublikowano kurs „Punkty zbiórki” (punkty): 2 lekcje, 0 pytań, 0 ankiet.");

    // The learner's lesson: its Markdown as HTML, then the picture and the file, encrypted.
    let dm = learner.create_dm(&bot, true).await?;
    // Named by its title, without diacritics, as people write it.
    learner.send_text(&dm, "!zapisz punkty zbiorki").await?;
    let said = learner.wait_for_messages(&dm, &bot, 4, WAIT).await?;
    assert!(said[0].body.starts_with("Zapisano Cię na kurs „Punkty zbiórki”"), "{:?}", said[0]);
    assert!(said[1].body.starts_with("📘 Lekcja 1 z 2: Gdzie oddać odpady"), "{:?}", said[1]);
    let html = said[1].formatted_body.as_deref().unwrap_or_default();
    assert!(html.contains("<strong>mapie</strong>") && html.contains("regulaminie 📎"), "{html}");
    assert_eq!((said[2].msgtype.as_str(), said[2].body.as_str()), ("m.image", "Mapa punktów zbiórki"));
    let image = said[2].image.as_ref().expect("a picture");
    assert!(matches!(image.source, matrix_sdk::ruma::events::room::MediaSource::Encrypted(_)));
    assert_eq!(image.info.as_ref().and_then(|i| i.width).map(u64::from), Some(1));
    assert_eq!(learner.download_image(&said[2]).await?, png);
    assert_eq!((said[3].msgtype.as_str(), said[3].body.as_str()), ("m.file", "regulaminie"));
    assert_eq!(said[3].file.as_ref().and_then(|f| f.filename.as_deref()), Some("regulamin.pdf"));
    assert_eq!(learner.download_file(&said[3]).await?, pdf);

    // The trainer gets the course back as a package: its Markdown and both files.
    let before = trainer.received_from(&room, &bot).len();
    let exported = trainer.say(&room, &bot, "!kurs eksport punkty").await?;
    assert!(exported.starts_with("Kurs „Punkty zbiórki” (wersja 1) w pliku poniżej"), "{exported}");
    let all = trainer.wait_for_messages(&room, &bot, before + 2, WAIT).await?;
    let export = &all[before + 1];
    assert_eq!(export.file.as_ref().and_then(|f| f.filename.as_deref()), Some("punkty.zip"));
    let package = read_package(&trainer.download_file(export).await?)?;
    assert_eq!((package.source.as_str(), package.files.clone()), (ILLUSTRATED, complete));

    // A new version as plain Markdown keeps the files of the one before.
    let markdown = "text/markdown".parse::<mime::Mime>()?;
    let edited = ILLUSTRATED.replace("Dziękujemy.", "Dziękujemy za udział.");
    let file = trainer.send_file(&room, "punkty.md", &markdown, edited.into_bytes()).await?;
    let republished = trainer.reply(&room, &file, &bot, "!kurs opublikuj").await?;
    assert!(republished.starts_with("Opublikowano kurs „Punkty zbiórki” (punkty)"), "{republished}");
    Ok(())
}

/// An on-demand course with one true-or-false question, for the review queue.
const PASSWORDS: &str = "---\nid: hasla\ntitle: Bezpieczne hasła\n---\n# Lekcja: Hasła\n\nDobre hasło ma co najmniej 12 znaków.\n\n# Test: Sprawdź się\n\n```gift\nHasło „lato2026” jest bezpieczne. {F}\n```\n\n# Lekcja: Menedżer haseł\n\nHasła trzyma menedżer haseł.\n";

/// A question missed in a quiz comes back as a poll when `!powtórka` asks for it after a day,
/// and a right answer spaces it out; the poll is closed once answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missed_question_comes_back_in_a_review_as_a_poll() -> anyhow::Result<()> {
    let office = Office::start_with_office(szpon(), DEMO_OFFICE).await?;
    let bot = office.bot_user_id.clone();
    let (trainer, room) = trainers_room(&office).await?;
    let learner = office.user("mieszkanka").await?;
    let markdown = "text/markdown".parse::<mime::Mime>()?;
    let file = trainer.send_file(&room, "hasla.md", &markdown, PASSWORDS.as_bytes().to_vec()).await?;
    let published = trainer.reply(&room, &file, &bot, "!kurs opublikuj").await?;
    assert!(published.starts_with("Opublikowano kurs „Bezpieczne hasła” (hasla)"), "{published}");

    let dm = learner.create_dm(&bot, true).await?;
    learner.send_text(&dm, "!zapisz bezpieczne hasla").await?;
    learner.wait_for_messages(&dm, &bot, 2, WAIT).await?;
    learner.send_text(&dm, "dalej").await?;
    let quiz = learner.wait_for_messages(&dm, &bot, 4, WAIT).await?;
    let poll = &quiz[3];
    assert_eq!(poll.msgtype, "poll");
    let wrong = poll.poll_answers.iter().find(|(_, label)| label == "Prawda").unwrap().0.clone();
    learner.vote(&dm, poll, &wrong).await?;
    let answered = learner.wait_for_messages(&dm, &bot, 5, WAIT).await?;
    assert_eq!(answered[4].body, "Niestety nie.");
    // The quiz closes with its poll and its score.
    learner.wait_for_messages(&dm, &bot, 7, WAIT).await?;

    let later = learner.say(&dm, &bot, "!powtorka").await?;
    assert!(
        later.starts_with("Na dziś wszystko powtórzone. W kolejce czeka 1 pytanie, najbliższa powtórka "),
        "{later}"
    );

    // Two days on (the morning nudge of a day gone by is not sent late), the question is due.
    office.advance_clock(Duration::from_secs(2 * 24 * 3600))?;
    let before = learner.received_from(&dm, &bot).len();
    let sitting = learner.say(&dm, &bot, "!powtórka").await?;
    assert_eq!(
        sitting,
        "Czas na powtórkę: 1 pytanie (Bezpieczne hasła). Zaznacz odpowiedź w każdej ankiecie."
    );
    let asked = learner.wait_for_messages(&dm, &bot, before + 2, WAIT).await?;
    let review = &asked[before + 1];
    assert_eq!(
        (review.msgtype.as_str(), review.body.as_str()),
        ("poll", "1. Hasło „lato2026” jest bezpieczne.")
    );
    let right = review.poll_answers.iter().find(|(_, label)| label == "Fałsz").unwrap().0.clone();
    learner.vote(&dm, review, &right).await?;
    let graded = learner.wait_for_messages(&dm, &bot, before + 4, WAIT).await?;
    let verdict = &graded[before + 2].body;
    assert!(verdict.starts_with("Dobrze! To pytanie wróci "), "{verdict}");
    assert!(verdict.ends_with(" Na dziś to wszystkie powtórki. Brawo!"), "{verdict}");
    assert_eq!(graded[before + 3].msgtype, "poll_end");
    assert_eq!(graded[before + 3].ends_poll.as_ref(), Some(&review.event_id));
    assert_eq!(graded[before + 3].body, "Odpowiedź zapisana.");
    Ok(())
}
