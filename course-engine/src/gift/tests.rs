use super::*;

fn one(source: &str) -> Question {
    let mut questions = parse_gift(source).unwrap_or_else(|e| panic!("{source:?}: {e}"));
    assert_eq!(questions.len(), 1, "{source:?}");
    questions.remove(0)
}

fn error(source: &str) -> GiftError {
    parse_gift(source).expect_err(source)
}

fn right(text: &str) -> Answer {
    Answer { text: text.into(), weight: 100.0, feedback: None }
}

#[test]
fn every_kind_of_question() {
    let bank = "\
// Segregacja odpadów
$CATEGORY: $course$/Segregacja

::Słoik::Gdzie wyrzucić słoik? {=do szkła#Tak. ~do papieru#Nie, papier to papier. ~do metali}

::Nakrętka::Szkło wrzucamy z nakrętką. {F#Nakrętkę odkręcamy.#Dobrze.}

Które odpady są bio? {
  ~%50%skórki od bananów
  ~%50%fusy z kawy
  ~%-100%pieluchy
}

Jak nazywa się pojemnik na szkło? {=zielony =zielony pojemnik}

Ile dni ma tydzień? {#7}

Podaj pi. {#3.14:0.01 ####Pi to około 3,14.}

Połącz. {=szkło -> zielony =papier -> niebieski =metale i tworzywa -> żółty}

Opisz, jak segregujesz odpady w domu. {}

[markdown]Pamiętaj: **segregacja** to nawyk.
";
    let questions = parse_gift(bank).unwrap();
    assert_eq!(questions.len(), 9);
    assert_eq!(questions[0].title.as_deref(), Some("Słoik"));
    assert_eq!(questions[0].text, "Gdzie wyrzucić słoik?");
    assert_eq!(questions[0].line, 4);
    assert_eq!(
        questions[0].kind,
        QuestionKind::Choice {
            answers: vec![
                Answer { text: "do szkła".into(), weight: 100.0, feedback: Some("Tak.".into()) },
                Answer {
                    text: "do papieru".into(),
                    weight: 0.0,
                    feedback: Some("Nie, papier to papier.".into())
                },
                Answer { text: "do metali".into(), weight: 0.0, feedback: None },
            ],
            multiple: false,
        }
    );
    assert_eq!(
        questions[1].kind,
        QuestionKind::TrueFalse {
            answer: false,
            wrong_feedback: Some("Nakrętkę odkręcamy.".into()),
            right_feedback: Some("Dobrze.".into()),
        }
    );
    let QuestionKind::Choice { answers, multiple: true } = &questions[2].kind else {
        panic!("{questions:#?}")
    };
    assert_eq!(answers.iter().map(|a| a.weight).collect::<Vec<_>>(), [50.0, 50.0, -100.0]);
    assert_eq!(questions[2].line, 8);
    assert_eq!(
        questions[3].kind,
        QuestionKind::ShortAnswer { answers: vec![right("zielony"), right("zielony pojemnik")] }
    );
    assert_eq!(
        questions[4].kind,
        QuestionKind::Numerical {
            answers: vec![NumericAnswer { value: 7.0, tolerance: 0.0, weight: 100.0, feedback: None }]
        }
    );
    assert_eq!(questions[5].general_feedback.as_deref(), Some("Pi to około 3,14."));
    assert!(
        matches!(&questions[5].kind, QuestionKind::Numerical { answers } if answers[0].tolerance == 0.01)
    );
    assert_eq!(
        questions[6].kind,
        QuestionKind::Matching {
            pairs: vec![
                ("szkło".into(), "zielony".into()),
                ("papier".into(), "niebieski".into()),
                ("metale i tworzywa".into(), "żółty".into()),
            ]
        }
    );
    assert_eq!(questions[7].kind, QuestionKind::Essay);
    assert_eq!(questions[8].kind, QuestionKind::Description);
    assert_eq!(questions[8].text, "Pamiętaj: **segregacja** to nawyk.");
}

#[test]
fn escapes_ranges_and_missing_words() {
    let q = one(r"Ile to 2\+2 \= ? \{liczba\} {#3..5}");
    assert_eq!(q.text, "Ile to 2+2 = ? {liczba}");
    assert!(
        matches!(&q.kind, QuestionKind::Numerical { answers } if answers[0].value == 4.0 && answers[0].tolerance == 1.0)
    );
    let q = one("Urząd gminy mieści się w {=ratuszu ~szkole} przy rynku.");
    assert_eq!(q.text, "Urząd gminy mieści się w _____ przy rynku.");
    let q = one("Kolor \\#1? {=zielony\\#1 ~czerwony}");
    assert!(matches!(&q.kind, QuestionKind::Choice { answers, .. } if answers[0].text == "zielony#1"));
    let q = one("Ile? {#\n  =%100%7:0#Dokładnie.\n  =%50%7:1#Prawie.\n}");
    assert!(
        matches!(&q.kind, QuestionKind::Numerical { answers } if answers.len() == 2 && answers[1].weight == 50.0)
    );
}

#[test]
fn errors_name_their_line() {
    let cases = [
        ("Pytanie {=a ~b", 1, GiftErrorKind::Unclosed),
        ("Pierwsze {=a ~b}\n\nDrugie =a ~b}", 3, GiftErrorKind::Unopened),
        ("Pytanie {=a} i {=b}", 1, GiftErrorKind::SeveralBlocks),
        ("::Tytuł bez końca {=a}", 1, GiftErrorKind::UnclosedTitle),
        ("{=a ~b}", 1, GiftErrorKind::NoText),
        ("Pytanie {~a ~b}", 1, GiftErrorKind::NoRightAnswer),
        ("Pytanie {~%150%a ~b}", 1, GiftErrorKind::BadWeight("150".into())),
        ("Pytanie {#siedem}", 1, GiftErrorKind::BadNumber("siedem".into())),
        ("Pytanie {#5..3}", 1, GiftErrorKind::BadNumber("5..3".into())),
        ("Pytanie {=a -> b}", 1, GiftErrorKind::TooFewPairs),
        ("Pytanie {coś bez znaczników}", 1, GiftErrorKind::BadAnswers("coś bez znaczników".into())),
        ("Pytanie {=a ~ ~b}", 1, GiftErrorKind::EmptyAnswer),
    ];
    for (source, line, kind) in cases {
        assert_eq!(error(source), GiftError { line, kind }, "{source:?}");
    }
    let long = "// komentarz\n\nDobre {T}\n\nZłe {\n=a\n~b\n";
    assert_eq!(error(long).line, 5);
    assert_eq!(error(&"x".repeat(MAX_SOURCE_BYTES + 1)).kind, GiftErrorKind::TooLarge(MAX_SOURCE_BYTES + 1));
    assert_eq!(error("Pytanie {=a ~b").to_string(), "line 1: an answer block opened with { is never closed");
}

#[test]
fn written_back_it_reads_the_same() {
    let bank = "::Słoik::Gdzie: słoik? {=do szkła#Tak. ~do papieru}\n\n\
                Prawda? {T##Dobrze.}\n\nBio? {~%50%skórki ~%50%fusy ~%-100%pieluchy ####Tak to działa.}\n\n\
                Ile? {#3.5:0.25}\n\nPołącz {=a -> b =c -> d}\n\nOpisz {}\n\nTylko tekst \\{z klamrą\\}";
    let questions = parse_gift(bank).unwrap();
    let written = to_gift(&questions);
    let mut again = parse_gift(&written).unwrap_or_else(|e| panic!("{written}\n{e}"));
    for (question, original) in again.iter_mut().zip(&questions) {
        question.line = original.line;
    }
    assert_eq!(again, questions, "{written}");
}
