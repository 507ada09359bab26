//! A learner's way through a course, driven by random events (votes on any poll, any text,
//! "dalej", "ponów", in any order): nothing panics, the learner never leaves the course's
//! sections, and a finished course stays finished.

use proptest::prelude::*;
use szpon_course_engine::{Event, Progress, Stage, parse_course};

const COURSE: &str = include_str!("corpus/course.md");

#[derive(Debug, Clone)]
enum Step {
    Next,
    Retry,
    Vote { section: usize, question: usize, choices: Vec<usize> },
    Text(String),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        Just(Step::Next),
        Just(Step::Retry),
        (0usize..6, 0usize..6, prop::collection::vec(0usize..8, 0..4))
            .prop_map(|(section, question, choices)| Step::Vote { section, question, choices }),
        r"(5|3,5|abc|1b 2a 3c|do szkła|\PC{0,12})".prop_map(Step::Text),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_events_keep_the_learner_inside_the_course(steps in prop::collection::vec(step(), 0..40)) {
        let course = parse_course(COURSE).unwrap();
        let mut progress = Progress::default();
        let mut finished = false;
        for step in &steps {
            let event = match step {
                Step::Next => Event::Next,
                Step::Retry => Event::Retry,
                Step::Vote { section, question, choices } => Event::Chosen {
                    section: *section,
                    question: *question,
                    choices: choices.clone(),
                    poll: "$poll".into(),
                },
                Step::Text(text) => Event::Typed(text),
            };
            if let Some((next, _said)) = progress.handle(&course, &event) {
                progress = next;
            }
            prop_assert!(progress.section <= course.sections.len());
            if finished {
                prop_assert!(matches!(progress.stage, Stage::Finished { .. }), "a finished course stays finished");
            }
            finished = progress.is_finished();
            for score in progress.scores.values() {
                prop_assert!(*score <= 1000);
            }
        }
    }
}
