use chrono::TimeZone;
use ruma::{event_id, room_id, user_id};
use szpon_course_engine::{directory::parse_csv, parse_course};

use super::*;

const COURSE: &str = "---\nid: segregacja\ntitle: Segregacja odpadów\naudience: department = \"promocja\"\npacing: \"0 9 * * 1-5\"\n---\n# Lekcja: Po co\nSzkło przetapia się bez końca.\n\n# Test: Sprawdź\n```gift\nSłoik? {=do szkła#Tak. ~do papieru#Nie.}\n```\n\n# Ankieta: Opinia\n```survey anonimowa\nskala: Kurs był zrozumiały.\n```\n";

fn version(source: &str) -> CourseVersion {
    CourseVersion { version: 1, course: Arc::new(parse_course(source).unwrap()) }
}

fn saturday() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 11, 0, 0).unwrap()
}

fn enrolment(user: &str, origin: Origin) -> Enrolment {
    Enrolment {
        course_id: "segregacja".into(),
        user_id: OwnedUserId::try_from(user).unwrap(),
        version: 1,
        status: EnrolmentStatus::Active,
        origin,
        progress: Progress::default(),
        enrolled_at: saturday(),
    }
}

fn texts(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Direct { message: DirectMessage::Notice(n), .. }
            | Action::SendNotice { notice: n, .. } => Some(n.plain.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn the_audience_is_enrolled_and_those_who_left_it_are_let_go() {
    let directory = parse_csv(
        "user_id,department\n@anna:localhost,promocja\n@piotr:localhost,ewidencja\n@ola:localhost,promocja\n",
    )
    .unwrap();
    let before =
        [enrolment("@piotr:localhost", Origin::Audience), enrolment("@ola:localhost", Origin::Audience)];
    let turn = reevaluate(&version(COURSE), &directory, &before, chrono_tz::Europe::Warsaw, saturday());
    let enrolled: Vec<&str> = turn
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Course(CourseChange::Enrol(e)) => Some(e.user_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(enrolled, ["@anna:localhost"]);
    assert!(turn.effects.iter().any(
        |e| matches!(e, Effect::Course(CourseChange::Leave { user_id, .. }) if user_id == "@piotr:localhost")
    ));
    let said = texts(&turn.actions);
    assert!(said[0].starts_with("Zapisano Cię na kurs „Segregacja odpadów” (segregacja): 3 części. Pierwsza lekcja przyjdzie: poniedziałek, 30 listopada, godz. 9:00."), "{said:?}");
    assert!(said[1].starts_with("Kurs „Segregacja odpadów” nie jest już przeznaczony"), "{said:?}");
    // The first lesson time is scheduled, on Monday at nine in Warsaw.
    let due = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
    assert!(turn.effects.contains(&lesson_job("segregacja", due)));
}

#[test]
fn a_lesson_time_reaches_every_ready_learner_once() {
    let course = version(COURSE);
    let mut busy = enrolment("@ola:localhost", Origin::Audience);
    busy.progress.stage = szpon_course_engine::Stage::Quiz { question: 0, answers: vec![None] };
    let learners = [enrolment("@anna:localhost", Origin::Audience), busy];
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
    let turn = lesson_time(std::slice::from_ref(&course), &learners, at, chrono_tz::Europe::Warsaw, at);
    let [Action::Direct { user_id, message: DirectMessage::Notice(lesson) }] = &turn.actions[..] else {
        panic!("{:?}", turn.actions)
    };
    assert_eq!(user_id, "@anna:localhost");
    assert_eq!(lesson.plain, "📘 Lekcja 1 z 1: Po co\n\nSzkło przetapia się bez końca.");
    let next = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    assert!(turn.effects.contains(&lesson_job("segregacja", next)));
    // After downtime, a late run sends one lesson and schedules from now.
    let late = at + chrono::Duration::days(3);
    let turn =
        lesson_time(std::slice::from_ref(&course), &learners[..1], at, chrono_tz::Europe::Warsaw, late);
    assert_eq!(turn.actions.len(), 1);
    assert!(
        turn.effects.contains(&lesson_job("segregacja", Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0).unwrap()))
    );
}

#[test]
fn a_quiz_poll_is_answered_scored_and_closed() {
    let course = version(COURSE);
    let mut learner = enrolment("@anna:localhost", Origin::Audience);
    learner.progress.section = 1;
    let view =
        LearningView { enrolments: vec![(learner.clone(), course.clone())], ..LearningView::default() };
    let room = room_id!("!dm:localhost");
    let desk = LearnerDesk {
        view: &view,
        learner: user_id!("@anna:localhost"),
        room,
        zone: chrono_tz::Europe::Warsaw,
        now: saturday(),
        lang: Lang::Pl,
    };
    let started = desk.command(&LearnerCommand::Next);
    let Some(Action::SendPoll { choices, max_selections: 1, .. }) = started.actions.get(1) else {
        panic!("{:?}", started.actions)
    };
    assert_eq!(choices[0].id, "kurs:segregacja:1:1:0:0");
    let Effect::Course(CourseChange::Progress { progress, .. }) = &started.effects[0] else { panic!() };
    learner.progress = progress.clone();
    let view = LearningView { enrolments: vec![(learner, course)], ..LearningView::default() };
    let desk = LearnerDesk { view: &view, ..desk };
    let voted = desk.vote(event_id!("$poll:localhost"), &["kurs:segregacja:1:1:0:0".to_owned()]);
    let Action::EndPoll { poll_id, text, .. } = &voted.actions[1] else { panic!("{:?}", voted.actions) };
    assert_eq!(
        (poll_id.as_str(), text.as_str()),
        ("$poll:localhost", "Test zamknięty. Wynik: 100%, zaliczony.")
    );
    assert_eq!(texts(&voted.actions), ["Dobrze! Tak.", "Koniec testu: 100% — zaliczony."]);
    // A vote from another room (a poll forwarded elsewhere) is refused politely.
    let elsewhere =
        LearningView { direct_room: Some(ruma::owned_room_id!("!inny:localhost")), ..view.clone() };
    let refused = LearnerDesk { view: &elsewhere, ..desk }
        .vote(event_id!("$poll:localhost"), &["kurs:segregacja:1:1:0:0".to_owned()]);
    assert_eq!(
        texts(&refused.actions),
        ["Na pytania kursu odpowiadasz w naszej rozmowie prywatnej; ta odpowiedź nie została zapisana."]
    );
    assert!(refused.effects.is_empty());
    // A vote in a course the sender does not take is refused politely.
    let stranger = desk.vote(event_id!("$poll:localhost"), &["kurs:inny:1:1:0:0".to_owned()]);
    assert_eq!(
        texts(&stranger.actions),
        ["Nie bierzesz udziału w tym kursie, więc odpowiedź nie została zapisana."]
    );
}

#[test]
fn commands_and_poll_answers_are_read() {
    assert_eq!(parse_learner_command("!zapisz Segregacja"), Some(LearnerCommand::Enrol("segregacja".into())));
    assert_eq!(parse_learner_command("Dalej."), Some(LearnerCommand::Next));
    assert_eq!(parse_learner_command("ponów"), Some(LearnerCommand::Retry));
    assert_eq!(parse_learner_command("!wypisz"), Some(LearnerCommand::Leave(None)));
    assert_eq!(parse_learner_command("!kurs opublikuj"), None);
    let two = ["kurs:a:2:1:0:0".to_owned(), "kurs:a:2:1:0:2".to_owned()];
    assert_eq!(parse_poll_answers(&two), Some(("a".into(), 2, 1, 0, vec![0, 2])));
    let mixed = ["kurs:a:2:1:0:0".to_owned(), "kurs:a:2:1:1:2".to_owned()];
    assert_eq!(parse_poll_answers(&mixed), None);
    assert_eq!(parse_poll_answers(&["meeting:1:yes".to_owned()]), None);
}

#[test]
fn a_directory_room_adds_and_removes_only_what_it_gave() {
    let room = crate::courses::DirectoryRoom {
        room: ruma::owned_room_id!("!promocja:localhost"),
        office: None,
        department: Some("promocja".into()),
        role: None,
        kind: None,
    };
    let membership = |user: &str, joined| crate::Membership {
        event_id: ruma::owned_event_id!("$m:localhost"),
        room_id: room.room.clone(),
        user_id: OwnedUserId::try_from(user).unwrap(),
        joined,
    };
    let directory =
        parse_csv("user_id,department\n@anna:localhost,ewidencja\n@ola:localhost,promocja\n").unwrap();
    let view = LearningView {
        directory,
        directory_sources: vec![
            (OwnedUserId::try_from("@anna:localhost").unwrap(), "import".into()),
            (OwnedUserId::try_from("@ola:localhost").unwrap(), "room:!inny:localhost".into()),
        ],
        all_courses: vec![(version(COURSE), Vec::new())],
        ..LearningView::default()
    };
    let enrolled = |turn: &LearnerTurn| {
        turn.effects.iter().filter(|e| matches!(e, Effect::Course(CourseChange::Enrol(_)))).count()
    };
    let zone = chrono_tz::Europe::Warsaw;
    // The imported directory wins: Anna stays in "ewidencja" and is not enrolled.
    let anna = membership_changed(&room, &membership("@anna:localhost", true), &view, zone, saturday());
    assert_eq!(enrolled(&anna), 1, "Ola, from another room, is in the audience already");
    let jan = membership_changed(&room, &membership("@jan:localhost", true), &view, zone, saturday());
    assert_eq!(enrolled(&jan), 2);
    // Ola came from another room: leaving this one changes nothing for her.
    let ola = membership_changed(&room, &membership("@ola:localhost", false), &view, zone, saturday());
    assert_eq!(enrolled(&ola), 1);
}

#[test]
fn a_lesson_is_its_markdown_then_its_picture_and_file_in_order() {
    let illustrated = COURSE.replace(
        "Szkło przetapia się bez końca.\n",
        "**Szkło** przetapia się bez końca.\n\n![Huta szkła](huta.png)\n\nZasady: [regulamin](regulamin.pdf).\n",
    );
    let course = version(&illustrated);
    let learners = [enrolment("@anna:localhost", Origin::Audience)];
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
    let turn = lesson_time(std::slice::from_ref(&course), &learners, at, chrono_tz::Europe::Warsaw, at);
    let [
        Action::Direct { message: DirectMessage::Notice(lesson), .. },
        Action::Direct { message: DirectMessage::File(picture), .. },
        Action::Direct { message: DirectMessage::File(file), .. },
    ] = &turn.actions[..]
    else {
        panic!("{:?}", turn.actions)
    };
    assert_eq!(
        lesson.plain,
        "📘 Lekcja 1 z 1: Po co\n\n**Szkło** przetapia się bez końca.\n\n\nZasady: regulamin 📎."
    );
    assert!(lesson.html.contains("<strong>Szkło</strong>"), "{}", lesson.html);
    let lesson_file = |name: &str, kind| CourseFile::Lesson {
        course_id: "segregacja".into(),
        version: 1,
        name: name.into(),
        kind,
    };
    assert_eq!(
        picture,
        &lesson_file("huta.png", szpon_course_engine::AttachmentKind::Image { alt: "Huta szkła".into() })
    );
    assert_eq!(
        file,
        &lesson_file(
            "regulamin.pdf",
            szpon_course_engine::AttachmentKind::File { title: "regulamin".into() }
        )
    );
}

#[test]
fn a_course_is_found_by_its_title_or_a_part_of_it_with_typos() {
    let course = |id: &str, title: &str| {
        parse_course(&format!("---\nid: {id}\ntitle: {title}\n---\n# Lekcja: A\nB\n")).unwrap()
    };
    let courses = [
        course("segregacja", "Segregacja odpadów w praktyce"),
        course("rodo-2026", "Ochrona danych osobowych (RODO)"),
        course("excel-1", "Arkusze kalkulacyjne — podstawy"),
        course("excel-2", "Arkusze kalkulacyjne — zaawansowane"),
    ];
    let named = |asked: &str| match find_course(&courses, asked) {
        CourseNamed::One(course) => course.id.clone(),
        CourseNamed::Several(found) => found.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join("|"),
        CourseNamed::NotFound => "-".into(),
    };
    assert_eq!(named("segregacja"), "segregacja");
    assert_eq!(named("Segregacja odpadów"), "segregacja");
    assert_eq!(named("segregacji odpadow"), "segregacja");
    assert_eq!(named("segrgacja"), "segregacja");
    assert_eq!(named("ochrona danych"), "rodo-2026");
    assert_eq!(named("RODO-2026"), "rodo-2026");
    assert_eq!(named("rodo"), "rodo-2026");
    assert_eq!(named("zaawansowane arkusze"), "excel-2");
    assert_eq!(named("arkusze kalkulacyjne"), "excel-1|excel-2");
    assert_eq!(named("gotowanie"), "-");
    assert_eq!(named(""), "-");
}
