use super::*;
use crate::course::parse_course;

const COURSE: &str = r#"---
id: segregacja
title: Segregacja odpadów
pacing: "0 9 * * 1-5"
completion:
  pass_score: 70
  attempts: 2
---

# Lekcja: Dlaczego segregujemy

Szkło można przetapiać bez końca.

# Test: Sprawdź się

```gift
Gdzie wyrzucić słoik? {=do szkła#Tak, do zielonego. ~do papieru#Nie.}

Szkło wrzucamy z nakrętką. {F}

Ile jest kolorów pojemników? {#5}
```

# Ankieta: Jak oceniasz kurs?

```survey anonimowa
skala: Kurs był zrozumiały.
tekst: Co poprawić?
```
"#;

fn course() -> Course {
    parse_course(COURSE).unwrap()
}

fn chosen(section: usize, question: usize, choice: usize, poll: &str) -> Event<'static> {
    Event::Chosen { section, question, choices: vec![choice], poll: poll.into() }
}

/// Plays events from the start, each on the progress the previous one left.
fn play(events: &[Event<'_>]) -> (Progress, Vec<Vec<Delivery>>) {
    let course = course();
    let mut progress = Progress::default();
    let mut said = Vec::new();
    for event in events {
        let (next, delivered) = progress.handle(&course, event).expect("the event is for the course");
        progress = next;
        said.push(delivered);
    }
    (progress, said)
}

#[test]
fn a_learner_goes_through_lesson_quiz_and_survey() {
    let (progress, said) = play(&[
        Event::Next,
        Event::Next,
        chosen(1, 0, 0, "$p1"),
        chosen(1, 1, 1, "$p2"),
        Event::Typed("5"),
        Event::Next,
        chosen(2, 0, 4, "$p3"),
        Event::Typed("Więcej przykładów."),
    ]);
    assert!(matches!(&said[0][..], [Delivery::Lesson { number: 1, total: 1, .. }]));
    let [Delivery::QuizStarted { questions: 3, attempt: 1, attempts: 2, .. }, Delivery::Question { ask, .. }] =
        &said[1][..]
    else {
        panic!("{:?}", said[1])
    };
    assert_eq!(ask, &Ask::Poll { options: vec!["do szkła".into(), "do papieru".into()], max_selections: 1 });
    let [Delivery::Feedback { graded }, Delivery::Question { question: 1, .. }] = &said[2][..] else {
        panic!()
    };
    assert_eq!(graded.feedback, ["Tak, do zielonego."]);
    assert!(matches!(
        &said[3][..],
        [Delivery::Feedback { .. }, Delivery::Question { ask: Ask::Typed { numeric: true }, .. }]
    ));
    let [Delivery::Feedback { .. }, Delivery::QuizClosed { score, passed: true, polls, .. }] = &said[4][..]
    else {
        panic!("{:?}", said[4])
    };
    assert!((score - 1.0).abs() < 1e-9);
    assert_eq!(polls, &["$p1".to_owned(), "$p2".to_owned()]);
    let [
        Delivery::SurveySent { anonymous: true, answers, polls, .. },
        Delivery::Completed { passed: true, score },
    ] = &said[7][..]
    else {
        panic!("{:?}", said[7])
    };
    assert_eq!(polls, &["$p3".to_owned()], "the survey's polls are ended with it");
    assert_eq!(answers, &[SurveyAnswer::Scale(5), SurveyAnswer::Text("Więcej przykładów.".into())]);
    assert_eq!(*score, Some(1.0));
    // Nothing of the anonymous survey stays with the learner.
    assert_eq!(progress.stage, Stage::Finished { passed: true });
    assert_eq!(progress.handle(&course(), &Event::Next).unwrap().1, [Delivery::NothingMore]);
}

#[test]
fn the_latest_answer_counts_until_the_quiz_closes() {
    let (progress, said) = play(&[
        Event::Next,
        Event::Next,
        chosen(1, 0, 1, "$p1"),
        // The learner changes the first answer while the second question waits.
        chosen(1, 0, 0, "$p1"),
        chosen(1, 1, 1, "$p2"),
        Event::Typed("5"),
    ]);
    assert!(matches!(&said[3][..], [Delivery::Feedback { graded }] if graded.is_right()));
    assert!(matches!(said[5].last(), Some(Delivery::QuizClosed { passed: true, .. })));
    // A vote on the closed quiz changes nothing.
    let (after, closed) = progress.handle(&course(), &chosen(1, 0, 1, "$p1")).unwrap();
    assert_eq!((after, closed), (progress, vec![Delivery::Closed]));
}

#[test]
fn a_failed_quiz_is_taken_again_and_the_best_attempt_counts() {
    let wrong = [chosen(1, 0, 1, "$p1"), chosen(1, 1, 0, "$p2"), Event::Typed("7")];
    let mut events = vec![Event::Next, Event::Next];
    events.extend(wrong.iter().cloned());
    let (progress, said) = play(&events);
    let Some(Delivery::QuizClosed { score, passed: false, attempts_left: 1, .. }) = said[4].last() else {
        panic!("{:?}", said[4])
    };
    assert!(score.abs() < 1e-9);
    assert_eq!(progress.stage, Stage::Failed);
    let course = course();
    let (progress, retried) = progress.handle(&course, &Event::Retry).unwrap();
    assert!(matches!(&retried[..], [Delivery::QuizStarted { attempt: 2, .. }, Delivery::Question { .. }]));
    let (progress, _) = progress.handle(&course, &chosen(1, 0, 0, "$p4")).unwrap();
    let (progress, _) = progress.handle(&course, &chosen(1, 1, 1, "$p5")).unwrap();
    let (progress, last) = progress.handle(&course, &Event::Typed("abc")).unwrap();
    assert_eq!(last, [Delivery::Unreadable { numeric: true }]);
    let (progress, last) = progress.handle(&course, &Event::Typed("7")).unwrap();
    // Two of three right: 67 % is under the pass score, and no attempts are left.
    let Some(Delivery::QuizClosed { passed: false, attempts_left: 0, .. }) = last.last() else {
        panic!("{last:?}")
    };
    assert_eq!(progress.section, 2);
    assert_eq!(progress.handle(&course, &Event::Retry).unwrap().1, [Delivery::NothingToRetry]);
    // Scores are kept in thousandths.
    assert!((progress.score(&course).unwrap() - 0.667).abs() < 1e-9);
}

#[test]
fn messages_are_answers_only_when_one_is_awaited() {
    let course = course();
    assert_eq!(Progress::default().handle(&course, &Event::Typed("dzień dobry")), None);
    let (progress, _) = play(&[Event::Next, Event::Next]);
    assert!(!progress.awaits_typed_answer(&course));
    assert_eq!(progress.handle(&course, &Event::Typed("do szkła")), None);
    assert_eq!(progress.handle(&course, &Event::Next).unwrap().1, [Delivery::AnswerFirst]);
}

#[test]
fn matching_is_answered_with_letters_in_the_order_shown() {
    let source = "---\nid: m\ntitle: M\n---\n# Test: T\n```gift\nPołącz. {=szkło -> zielony =papier -> niebieski =metale -> żółty}\n```\n";
    let course = parse_course(source).unwrap();
    let (progress, said) = Progress::default().handle(&course, &Event::Next).unwrap();
    let Some(Delivery::Question { ask: Ask::Matching { right, .. }, .. }) = said.last() else { panic!() };
    assert_eq!(right, &["niebieski", "zielony", "żółty"]);
    let (_, said) = progress.handle(&course, &Event::Typed("1b, 2a, 3c")).unwrap();
    assert!(matches!(said[1], Delivery::QuizClosed { passed: true, .. }), "{said:?}");
    assert_eq!(
        progress.handle(&course, &Event::Typed("1b 2a")).unwrap().1,
        [Delivery::Unreadable { numeric: false }]
    );
}

#[test]
fn a_learner_moves_to_a_new_version_at_the_same_section() {
    let old = course();
    // The new version adds a lesson before the quiz.
    let new_source = COURSE.replace(
        "# Test: Sprawdź się",
        "# Lekcja: Kolory pojemników\n\nZielony to szkło.\n\n# Test: Sprawdź się",
    );
    let new = parse_course(&new_source).unwrap();
    let (at_quiz, _) = play(&[Event::Next, Event::Next, chosen(1, 0, 0, "$p1")]);
    let moved = at_quiz.migrated(&old, &new);
    assert_eq!(
        (moved.section, moved.stage.clone()),
        (2, Stage::Ready),
        "the quiz starts again, in its new place"
    );
    assert_eq!(moved.attempts.get(&2), Some(&1));
    let (done, _) =
        play(&[Event::Next, Event::Next, chosen(1, 0, 0, "$p1"), chosen(1, 1, 1, "$p2"), Event::Typed("5")]);
    let moved = done.migrated(&old, &new);
    assert_eq!((moved.section, moved.scores.get(&2)), (3, Some(&1000)));
}
