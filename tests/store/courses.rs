//! Published courses on SQLite and PostgreSQL: every version kept, numbered from 1.

use chrono::{TimeZone, Utc};
use ruma::{owned_room_id, owned_user_id};
use szpon_bots::{
    booking::Effect,
    courses::{CourseChange, LessonFile, Publication},
};

use super::each_backend;

pub(crate) fn publication(source: &str) -> Effect {
    publication_with(source, Vec::new())
}

fn publication_with(source: &str, files: Vec<LessonFile>) -> Effect {
    Effect::Course(CourseChange::Publish(Publication {
        course_id: "segregacja".into(),
        title: "Segregacja odpadów".into(),
        source: source.into(),
        published_by: owned_user_id!("@trener:localhost"),
        room_id: Some(owned_room_id!("!trenerzy:localhost")),
        published_at: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
        files,
    }))
}

#[tokio::test]
async fn each_publication_is_the_next_version_and_the_earlier_ones_stay() {
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        assert_eq!(store.latest_course("segregacja").await.unwrap(), None);
        store.apply_effects(&[publication("wersja pierwsza")], now).await.unwrap();
        store.apply_effects(&[publication("wersja druga")], now).await.unwrap();
        let (version, latest) = store.latest_course("segregacja").await.unwrap().unwrap();
        assert_eq!((version, latest.source.as_str()), (2, "wersja druga"));
        assert_eq!(latest.published_by.as_str(), "@trener:localhost");
    })
    .await;
}

#[tokio::test]
async fn lesson_files_are_kept_with_their_version_and_carried_into_the_next() {
    use szpon_course_engine::describe;
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        // Bytes that are no valid UTF-8: a picture's.
        let picture: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let first = vec![
            LessonFile::New { info: describe("mapa.png", &picture), bytes: picture.clone() },
            LessonFile::New { info: describe("regulamin.pdf", b"%PDF"), bytes: b"%PDF".to_vec() },
        ];
        store.apply_effects(&[publication_with("wersja pierwsza", first)], now).await.unwrap();
        let second = vec![
            LessonFile::Kept { name: "mapa.png".into() },
            LessonFile::New { info: describe("regulamin.pdf", b"%PDF-2"), bytes: b"%PDF-2".to_vec() },
        ];
        store.apply_effects(&[publication_with("wersja druga", second)], now).await.unwrap();
        let kept = store.course_file("segregacja", 2, "mapa.png").await.unwrap().unwrap();
        assert_eq!(kept.content, picture);
        assert_eq!((kept.info.mime.as_str(), kept.info.image), ("image/png", None));
        assert_eq!(kept.sha256.len(), 64);
        let first_rules = store.course_file("segregacja", 1, "regulamin.pdf").await.unwrap().unwrap();
        let second_rules = store.course_file("segregacja", 2, "regulamin.pdf").await.unwrap().unwrap();
        assert_eq!((first_rules.content, second_rules.content), (b"%PDF".to_vec(), b"%PDF-2".to_vec()));
        let infos = store.course_file_infos("segregacja", 2).await.unwrap();
        assert_eq!(infos.keys().collect::<Vec<_>>(), ["mapa.png", "regulamin.pdf"]);
        assert_eq!(infos["regulamin.pdf"].mime, "application/pdf");
        assert_eq!(store.course_file("segregacja", 2, "brak.png").await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn an_import_adds_changes_and_removes_only_its_own_rows() {
    use szpon_course_engine::directory::parse_csv;
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        let first = parse_csv("user_id,department,role,kind\n@anna:x,promocja,redaktor,staff\n@piotr:x,ewidencja,,staff\n").unwrap();
        let counts = store.import_directory(&first, now).await.unwrap();
        assert_eq!((counts.added, counts.changed, counts.unchanged, counts.removed), (2, 0, 0, 0));
        let second = parse_csv("user_id,department,role,kind\n@anna:x,promocja,kierowniczka,staff\n@piotr:x,ewidencja,,staff\n@jan:x,,,citizen\n").unwrap();
        let counts = store.import_directory(&second, now).await.unwrap();
        assert_eq!((counts.added, counts.changed, counts.unchanged, counts.removed), (1, 1, 1, 0));
        let third = parse_csv("user_id,kind\n@jan:x,citizen\n").unwrap();
        let counts = store.import_directory(&third, now).await.unwrap();
        assert_eq!((counts.added, counts.changed, counts.unchanged, counts.removed), (0, 0, 1, 2));
        let directory = store.directory().await.unwrap();
        assert_eq!(directory, third);
    })
    .await;
}

pub(crate) const COURSE: &str = "---\nid: segregacja\ntitle: Segregacja odpadów\naudience: department = \"promocja\"\npacing: \"0 9 * * 1-5\"\n---\n# Lekcja: Po co\nTekst.\n\n# Ankieta: Opinia\n```survey anonimowa\nwybór: Skąd wiesz? | plakat | strona\ntekst: Co poprawić?\n```\n";

pub(crate) fn enrolment(user: &str) -> szpon_bots::learning::Enrolment {
    szpon_bots::learning::Enrolment {
        course_id: "segregacja".into(),
        user_id: user.try_into().unwrap(),
        version: 1,
        status: szpon_bots::learning::EnrolmentStatus::Active,
        origin: szpon_bots::learning::Origin::Audience,
        progress: szpon_course_engine::Progress::default(),
        enrolled_at: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
    }
}

#[tokio::test]
async fn enrolments_keep_progress_and_records_after_leaving() {
    use szpon_bots::learning::EnrolmentStatus;
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        store.apply_effects(&[publication(COURSE)], now).await.unwrap();
        let anna = owned_user_id!("@anna:x");
        let enrol = Effect::Course(CourseChange::Enrol(enrolment("@anna:x")));
        store.apply_effects(std::slice::from_ref(&enrol), now).await.unwrap();
        let progress = szpon_course_engine::Progress { section: 1, ..Default::default() };
        let step = CourseChange::Progress {
            course_id: "segregacja".into(),
            user_id: anna.clone(),
            progress: progress.clone(),
            finished: None,
            at: now,
        };
        store.apply_effects(&[Effect::Course(step)], now).await.unwrap();
        // Enrolling again changes nobody already in.
        store.apply_effects(std::slice::from_ref(&enrol), now).await.unwrap();
        let view = store.learning_view(&anna, true).await.unwrap();
        let (enrolled, version) = &view.enrolments[0];
        assert_eq!((enrolled.progress.section, version.version), (1, 1));
        assert_eq!(view.catalogue[0].course.title, "Segregacja odpadów");

        let leave = CourseChange::Leave { course_id: "segregacja".into(), user_id: anna.clone() };
        store.apply_effects(&[Effect::Course(leave)], now).await.unwrap();
        let report = store.course_report("segregacja").await.unwrap().unwrap();
        assert_eq!(report.learners[0].status, EnrolmentStatus::Left, "the record stays");
        // Someone who left starts afresh when enrolled again.
        store.apply_effects(&[enrol], now).await.unwrap();
        let view = store.learning_view(&anna, false).await.unwrap();
        assert_eq!(
            (view.enrolments[0].0.status, view.enrolments[0].0.progress.section),
            (EnrolmentStatus::Active, 0)
        );
    })
    .await;
}

#[tokio::test]
async fn anonymous_answers_are_counts_and_sorted_texts_with_no_name() {
    use szpon_course_engine::SurveyAnswer;
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        store.apply_effects(&[publication(COURSE)], now).await.unwrap();
        let sent = |choice: usize, text: &str| {
            Effect::Course(CourseChange::SurveySent {
                course_id: "segregacja".into(),
                version: 1,
                section: 1,
                respondent: None,
                options: vec![2, 0],
                answers: vec![SurveyAnswer::Choice(choice), SurveyAnswer::Text(text.into())],
            })
        };
        // Concurrent respondents all get in.
        let writes = [(1, "więcej zdjęć"), (0, "ani słowa"), (1, "krócej")].map(|(choice, text)| {
            let store = store.clone();
            let effect = sent(choice, text);
            async move { store.apply_effects(&[effect], now).await }
        });
        for result in futures_util::future::join_all(writes).await {
            result.unwrap();
        }
        let report = store.course_report("segregacja").await.unwrap().unwrap();
        let [choice, text] = &report.surveys[..] else { panic!("{:?}", report.surveys) };
        assert_eq!(choice.counts, [1, 2]);
        assert_eq!(text.texts, ["ani słowa", "krócej", "więcej zdjęć"], "sorted, not in the order given");
        assert!(report.named_answers.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_lesson_time_runs_once_and_schedules_the_next() {
    use szpon_bots::{Action, BotConfig, OfficeBot, learning::DirectMessage};
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        store.apply_effects(&[publication(COURSE)], now).await.unwrap();
        let enrolments = [
            Effect::Course(CourseChange::Enrol(enrolment("@anna:x"))),
            Effect::Course(CourseChange::Enrol(enrolment("@ola:x"))),
        ];
        store.apply_effects(&enrolments, now).await.unwrap();
        store.apply_effects(&[szpon_bots::learning::lesson_job("segregacja", now)], now).await.unwrap();
        let bot = OfficeBot::new(BotConfig::new(owned_user_id!("@urzad:localhost"), "Urząd"));
        let decide = |job: &szpon_bots::Job, context: &szpon_bots::JobContext| {
            let outcome = bot.handle_job(job, context, now);
            let actions = outcome
                .actions
                .iter()
                .map(|a| szpon::store::NewAction { txn_id: szpon::store::new_txn_id(), action: a.clone() })
                .collect();
            szpon::store::booking::JobOutcome { outcome, actions }
        };
        let fired = store.run_due_jobs(now, 10, decide).await.unwrap();
        assert_eq!(fired.len(), 1);
        assert!(store.run_due_jobs(now, 10, decide).await.unwrap().is_empty(), "exactly once");
        let due = store.due_actions(now, 10).await.unwrap();
        let people: Vec<&str> = due
            .iter()
            .filter_map(|p| match &p.action {
                Action::Direct { user_id, message: DirectMessage::Notice(_) } => Some(user_id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(people, ["@anna:x", "@ola:x"]);
        let anna = store.learning_view(&owned_user_id!("@anna:x"), false).await.unwrap();
        assert_eq!(anna.enrolments[0].0.progress.section, 1);
        assert_eq!(
            store.next_job_due().await.unwrap(),
            Some(Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap())
        );
    })
    .await;
}

#[tokio::test]
async fn a_migrated_learner_continues_in_the_latest_version() {
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        store.apply_effects(&[publication(COURSE)], now).await.unwrap();
        store.apply_effects(&[Effect::Course(CourseChange::Enrol(enrolment("@anna:x")))], now).await.unwrap();
        store.apply_effects(&[publication(&COURSE.replace("Tekst.", "Nowy tekst."))], now).await.unwrap();
        let view = store.publication_view("segregacja").await.unwrap();
        assert_eq!((view.latest_version, view.versions.len()), (Some(2), 2));
        let progress = szpon_course_engine::Progress { section: 1, ..Default::default() };
        let migrate = CourseChange::Migrate {
            course_id: "segregacja".into(),
            user_id: owned_user_id!("@anna:x"),
            version: 2,
            progress,
        };
        store.apply_effects(&[Effect::Course(migrate)], now).await.unwrap();
        let anna = store.learning_view(&owned_user_id!("@anna:x"), false).await.unwrap();
        let (enrolment, version) = &anna.enrolments[0];
        assert_eq!((enrolment.version, enrolment.progress.section), (2, 1));
        let szpon_course_engine::Section::Lesson { body, .. } = &version.course.sections[0] else { panic!() };
        assert_eq!(body, "Nowy tekst.");
    })
    .await;
}

#[tokio::test]
async fn a_directory_room_never_overrides_the_import_and_its_snapshot_replaces_its_rows() {
    use szpon_bots::courses::DirectoryChange;
    use szpon_course_engine::directory::parse_csv;
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        store
            .import_directory(&parse_csv("user_id,department\n@anna:x,ewidencja\n").unwrap(), now)
            .await
            .unwrap();
        let set = |user: &str| DirectoryChange::Set {
            user_id: user.try_into().unwrap(),
            attributes: [("department".to_owned(), "promocja".to_owned())].into(),
            source: "room:!p:x".into(),
        };
        store
            .apply_effects(&[Effect::Directory(set("@anna:x")), Effect::Directory(set("@ola:x"))], now)
            .await
            .unwrap();
        let departments = |directory: Vec<szpon_course_engine::Entry>| -> Vec<(String, String)> {
            directory
                .into_iter()
                .map(|e| (e.user_id.to_string(), e.attributes["department"].clone()))
                .collect()
        };
        assert_eq!(
            departments(store.directory().await.unwrap()),
            [("@anna:x".into(), "ewidencja".into()), ("@ola:x".into(), "promocja".into())]
        );
        // The room's members at a start: Ola left meanwhile, Jan joined.
        store.replace_directory_source(&[set("@jan:x")], "room:!p:x", now).await.unwrap();
        assert_eq!(
            departments(store.directory().await.unwrap()),
            [("@anna:x".into(), "ewidencja".into()), ("@jan:x".into(), "promocja".into())]
        );
        let remove =
            DirectoryChange::Remove { user_id: owned_user_id!("@anna:x"), source: "room:!p:x".into() };
        store.apply_effects(&[Effect::Directory(remove)], now).await.unwrap();
        assert_eq!(store.directory().await.unwrap().len(), 2, "the imported Anna stays");
    })
    .await;
}
