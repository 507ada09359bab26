use chrono::TimeZone;
use chrono_tz::Europe::Warsaw;
use ruma::{event_id, user_id};
use szpon_course_engine::parse_course;

use super::*;
use crate::PollChoice;

const COURSE: &str = "---\nid: segregacja\ntitle: Segregacja odpadów\n---\n# Lekcja: Po co\nSzkło przetapia się bez końca.\n\n# Test: Sprawdź\n```gift\nSłoik? {=do szkła#Tak, szkło. ~do papieru}\n\nBaterie wrzucamy do zmieszanych. {F}\n\nIle lat rozkłada się butelka? {#500}\n```\n";

fn at(d: u32, h: u32) -> DateTime<Utc> {
    Warsaw.with_ymd_and_hms(2026, 12, d, h, 0, 0).single().unwrap().to_utc()
}

fn course() -> Arc<Course> {
    Arc::new(parse_course(COURSE).unwrap())
}

fn jar() -> QuestionRef {
    QuestionRef { version: 1, section: 1, question: 0 }
}

fn batteries() -> QuestionRef {
    QuestionRef { version: 1, section: 1, question: 1 }
}

fn missed_item(question: QuestionRef, at: DateTime<Utc>) -> ReviewItem {
    ReviewItem::after_quiz("segregacja", question, Answer::Wrong, at).unwrap()
}

fn view(items: Vec<ReviewItem>) -> ReviewView {
    let courses = BTreeMap::from([(("segregacja".to_owned(), 1), course())]);
    ReviewView { items, courses, nudges: true }
}

fn desk(view: &ReviewView, now: DateTime<Utc>) -> ReviewDesk<'_> {
    ReviewDesk { learner: user_id!("@ola:localhost"), room: None, view, zone: Warsaw, now, lang: Lang::Pl }
}

fn texts(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|action| match action {
            Action::Direct { message: DirectMessage::Notice(notice), .. } => Some(notice.plain.clone()),
            Action::SendNotice { notice, .. } => Some(notice.plain.clone()),
            _ => None,
        })
        .collect()
}

fn polls(actions: &[Action]) -> Vec<(String, Vec<PollChoice>)> {
    actions
        .iter()
        .filter_map(|action| match action {
            Action::Direct { message: DirectMessage::Poll { question, choices, .. }, .. } => {
                Some((question.clone(), choices.clone()))
            }
            _ => None,
        })
        .collect()
}

fn added(effects: &[Effect]) -> Vec<ReviewItem> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Review(ReviewChange::Add { item, .. }) => Some(item.clone()),
            _ => None,
        })
        .collect()
}

fn graded(fraction: f64) -> Delivery {
    Delivery::Feedback { graded: Graded { fraction, feedback: Vec::new() } }
}

#[test]
fn a_question_missed_in_a_poll_joins_the_queue_and_a_right_or_typed_one_does_not() {
    let learner = user_id!("@ola:localhost");
    let course = course();
    let vote = Event::Chosen { section: 1, question: 0, choices: vec![1], poll: "$p".into() };
    let now = at(7, 10);
    let queued = added(&missed(learner, &course, 1, &vote, &[graded(0.0)], now));
    assert_eq!(queued, [missed_item(jar(), now)]);
    assert_eq!(queued[0].due(), now + chrono::Duration::days(1));
    assert_eq!(
        added(&missed(learner, &course, 1, &vote, &[graded(0.5)], now)).len(),
        1,
        "partly right is hard"
    );
    assert!(missed(learner, &course, 1, &vote, &[graded(1.0)], now).is_empty());
    assert!(missed(learner, &course, 1, &Event::Typed("400"), &[graded(0.0)], now).is_empty());
}

#[test]
fn the_commands_read_with_and_without_diacritics() {
    assert_eq!(parse_review_command("!powtórka"), Some(ReviewCommand::Sitting));
    assert_eq!(parse_review_command("!Powtorka"), Some(ReviewCommand::Sitting));
    assert_eq!(parse_review_command("!review"), Some(ReviewCommand::Sitting));
    assert_eq!(parse_review_command("!powtórka wyłącz"), Some(ReviewCommand::Nudges(false)));
    assert_eq!(parse_review_command("!powtorka wlacz"), Some(ReviewCommand::Nudges(true)));
    assert_eq!(parse_review_command("!powtórka jutro?"), Some(ReviewCommand::Usage));
    assert_eq!(parse_review_command("powtórka"), None);
    assert_eq!(parse_review_command("!postępy"), None);
}

#[test]
fn a_sitting_asks_the_due_questions_as_polls_and_says_when_nothing_is_due() {
    let missed_at = at(7, 10);
    let view = view(vec![
        missed_item(jar(), missed_at),
        missed_item(batteries(), missed_at + chrono::Duration::hours(1)),
    ]);

    let (actions, _) = desk(&view, at(7, 18)).command(ReviewCommand::Sitting);
    let said = texts(&actions);
    assert!(said[0].starts_with("Na dziś wszystko powtórzone. W kolejce czekają 2 pytania"), "{said:?}");
    assert!(
        said[0].ends_with("najbliższa powtórka we wtorek, 8 grudnia. Tego dnia rano Ci o niej przypomnę."),
        "the learner is told the morning nudge will come: {said:?}"
    );
    let unnudged = ReviewView { nudges: false, ..view.clone() };
    let (actions, _) = desk(&unnudged, at(7, 18)).command(ReviewCommand::Sitting);
    assert!(
        texts(&actions)[0].ends_with(
            "najbliższa powtórka we wtorek, 8 grudnia. Porannych przypomnień nie wysyłam; włączysz je, pisząc „!powtórka włącz”."
        ),
        "{:?}",
        texts(&actions)
    );

    let (actions, effects) = desk(&view, at(8, 12)).command(ReviewCommand::Sitting);
    assert!(effects.is_empty());
    let said = texts(&actions);
    assert_eq!(said.len(), 1);
    assert!(said[0].starts_with("Czas na powtórkę: 2 pytania (Segregacja odpadów)."), "{said:?}");
    let asked = polls(&actions);
    assert_eq!(asked.len(), 2);
    assert_eq!(asked[0].0, "1. Słoik?");
    assert_eq!(asked[1].0, "2. Baterie wrzucamy do zmieszanych.");
    let labels: Vec<&str> = asked[1].1.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Prawda", "Fałsz"]);
    let vote = parse_review_vote(&[asked[0].1[0].id.clone()]).unwrap();
    assert_eq!((vote.course_id.as_str(), vote.question, vote.choices), ("segregacja", jar(), vec![0]));
}

#[test]
fn an_empty_queue_is_said_so_and_a_sitting_stops_at_five_questions() {
    let (actions, _) = desk(&view(Vec::new()), at(8, 12)).command(ReviewCommand::Sitting);
    assert!(texts(&actions)[0].starts_with("Nie masz pytań do powtórki."));

    let missed_at = at(1, 10);
    let many: Vec<ReviewItem> = (0..7)
        .map(|n| {
            missed_item(
                if n % 2 == 0 { jar() } else { batteries() },
                missed_at + chrono::Duration::minutes(n),
            )
        })
        .map(|mut item| {
            item.course_id = "segregacja".into();
            item
        })
        .collect();
    let (actions, _) = desk(&view(many), at(8, 12)).command(ReviewCommand::Sitting);
    assert_eq!(polls(&actions).len(), SITTING);
    assert!(texts(&actions)[0].contains("Kolejne pytania dostaniesz"), "{:?}", texts(&actions));
}

#[test]
fn a_right_review_is_spaced_out_and_the_poll_is_closed() {
    let item = missed_item(jar(), at(7, 10));
    let view = view(vec![item.clone()]);
    let now = at(8, 12);
    let (actions, _) = desk(&view, now).command(ReviewCommand::Sitting);
    let choice = polls(&actions)[0].1[0].id.clone();
    let vote = parse_review_vote(&[choice]).unwrap();

    let (actions, effects) = desk(&view, now).vote(event_id!("$poll"), &vote);
    let said = texts(&actions);
    assert!(said[0].starts_with("Dobrze! Tak, szkło. To pytanie wróci w środę, 9 grudnia."), "{said:?}");
    assert!(said[0].ends_with("Na dziś to wszystkie powtórki. Brawo!"), "{said:?}");
    assert!(
        actions.iter().any(|a| matches!(a, Action::Direct { message: DirectMessage::EndPoll { .. }, .. }))
    );
    let [Effect::Review(ReviewChange::Save { item: next, .. })] = &effects[..] else { panic!("{effects:?}") };
    assert_eq!(next.due(), now + chrono::Duration::days(1));

    // The same poll answered again, after the question moved on, changes nothing.
    let moved = ReviewView { items: vec![next.clone()], ..view.clone() };
    let (actions, effects) = desk(&moved, now).vote(event_id!("$poll"), &vote);
    assert!(effects.is_empty());
    assert!(texts(&actions)[0].starts_with("To pytanie jest już powtórzone."));
}

#[test]
fn a_wrong_review_shows_the_right_answer_and_comes_back_in_the_next_sitting() {
    let item = missed_item(batteries(), at(7, 10));
    let view = view(vec![item.clone()]);
    let now = at(8, 12);
    let vote = ReviewVote {
        course_id: "segregacja".into(),
        question: batteries(),
        asked_due: item.due().timestamp_millis(),
        choices: vec![0],
    };
    let (actions, effects) = desk(&view, now).vote(event_id!("$poll"), &vote);
    let said = texts(&actions);
    assert_eq!(
        said[0],
        "Niestety nie. Poprawna odpowiedź: „Fałsz”. To pytanie wróci przy następnej powtórce."
    );
    let [Effect::Review(ReviewChange::Save { item: next, .. })] = &effects[..] else { panic!("{effects:?}") };
    assert!(next.is_due(now));
}

#[test]
fn a_question_whose_course_version_is_gone_leaves_the_queue() {
    let item = missed_item(jar(), at(7, 10));
    let view = ReviewView { items: vec![item], courses: BTreeMap::new(), nudges: true };
    let (actions, effects) = desk(&view, at(8, 12)).command(ReviewCommand::Sitting);
    assert!(polls(&actions).is_empty());
    assert!(texts(&actions)[0].starts_with("Nie masz pytań do powtórki."), "{:?}", texts(&actions));
    assert!(matches!(&effects[..], [Effect::Review(ReviewChange::Remove { .. })]));
}

#[test]
fn the_morning_nudge_counts_the_due_questions_in_each_learners_language_and_schedules_tomorrow() {
    let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let learners = [
        DueReviews { user_id: user_id!("@ola:localhost").to_owned(), due: 3, lang: Lang::Pl },
        DueReviews { user_id: user_id!("@jan:localhost").to_owned(), due: 1, lang: Lang::En },
    ];
    let (actions, effects) = nudges(&learners, day, Warsaw, at(8, 9));
    let said = texts(&actions);
    assert!(said[0].starts_with("Dzień dobry! Czekają na Ciebie 3 pytania do powtórki"), "{said:?}");
    assert!(said[1].starts_with("Good morning! 1 question is waiting"), "{said:?}");
    let [Effect::Schedule { job: Job::Review(ReviewJob::Nudges { day: next }), due }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(*next, day.succ_opt().unwrap());
    assert_eq!(*due, at(9, NUDGE_HOUR));

    // Run two days late, it sends nothing and schedules the next morning's.
    let (actions, effects) = nudges(&learners, day, Warsaw, at(10, 12));
    assert!(actions.is_empty());
    assert!(matches!(&effects[..], [Effect::Schedule { due, .. }] if *due == at(11, NUDGE_HOUR)));
}
