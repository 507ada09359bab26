use super::*;
use crate::badges::BadgeRule;

const SEGREGACJA: &str = r#"---
id: segregacja-odpadow
title: Segregacja odpadów w gminie
audience: audience = "all-citizens"
pacing: "0 9 * * 1-5"
completion:
  pass_score: 70
  attempts: 2
---

# Lekcja: Dlaczego segregujemy

Posegregowane odpady wracają do obiegu. **Szkło** można przetapiać bez końca.

# Test: Sprawdź się

```gift
::Słoik::Gdzie wyrzucić słoik? {=do szkła#Tak. ~do papieru#Nie.}

Szkło wrzucamy z nakrętką. {F}
```

# Ankieta: Jak oceniasz kurs?

```survey anonimowa
skala: Kurs był zrozumiały.
wybór: Skąd wiesz o kursie? | plakat | strona gminy | znajomi
tekst: Co poprawić?
```
"#;

#[test]
fn a_course_with_a_lesson_a_quiz_and_a_survey() {
    let course = parse_course(SEGREGACJA).unwrap();
    assert_eq!(course.id, "segregacja-odpadow");
    assert_eq!(course.languages, ["pl"]);
    assert_eq!(course.pacing, Pacing::Schedule("0 9 * * 1-5".into()));
    assert_eq!(course.completion, Completion { pass_score: 70, attempts: 2 });
    let citizen = [("kind".to_owned(), "citizen".to_owned())].into_iter().collect();
    assert!(course.audience.as_ref().unwrap().matches(&citizen));
    assert_eq!(course.sections.len(), 3);
    let Section::Lesson { title, body, line, .. } = &course.sections[0] else { panic!() };
    assert_eq!((title.as_str(), *line), ("Dlaczego segregujemy", 11));
    assert!(body.starts_with("Posegregowane odpady") && body.ends_with("bez końca."), "{body}");
    let Section::Quiz { questions, .. } = &course.sections[1] else { panic!() };
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0].line, 18);
    assert_eq!(questions[1].line, 20);
    let Section::Survey { items, anonymous: true, .. } = &course.sections[2] else { panic!() };
    assert_eq!(
        items[1],
        SurveyItem::Choice {
            question: "Skąd wiesz o kursie?".into(),
            options: vec!["plakat".into(), "strona gminy".into(), "znajomi".into()],
        }
    );
}

#[test]
fn on_demand_is_the_default_pacing() {
    let course = parse_course("---\nid: a\ntitle: A\n---\n# Lekcja: Jedyna\nTekst.\n").unwrap();
    assert_eq!(course.pacing, Pacing::OnDemand);
    assert_eq!(course.audience, None);
    assert_eq!(course.completion, Completion::default());
}

#[test]
fn errors_name_their_line() {
    let with = |from: &str, to: &str| SEGREGACJA.replacen(from, to, 1);
    let cases = [
        (with("id: segregacja-odpadow", "id: Segregacja Odpadów"), 2),
        (with(r#"audience = "all-citizens""#, r#"dzielnica = "stare-miasto""#), 4),
        (with(r#"pacing: "0 9 * * 1-5""#, r#"pacing: "co rano""#), 5),
        (with("pass_score: 70", "pass_score: 170"), 7),
        (with("attempts: 2", "atempts: 2"), 8),
        (with("# Test: Sprawdź się", "# Egzamin: Sprawdź się"), 15),
        (with("Szkło wrzucamy z nakrętką. {F}", "Szkło wrzucamy z nakrętką. {=a"), 20),
        (with("tekst: Co poprawić?", "komentarz: Co poprawić?"), 28),
        (with("---\n\n# Lekcja", "---\nZa wcześnie.\n# Lekcja"), 10),
        ("# Lekcja: bez nagłówka\n".to_owned(), 1),
        ("---\nid: a\ntitle: A\n---\n# Lekcja: A\n```\nniezamknięty\n".to_owned(), 6),
    ];
    for (source, line) in cases {
        let error = parse_course(&source).expect_err(&source);
        assert_eq!(error.line, line, "{error}\n{source}");
    }
    let huge = format!("---\nid: a\ntitle: A\n---\n# Lekcja: A\n{}", "x".repeat(5 << 20));
    assert!(matches!(parse_course(&huge), Err(CourseError { line: 1, kind: CourseErrorKind::TooLarge(_) })));
}

#[test]
fn the_authors_badges_are_read_and_checked_with_their_line() {
    let with_badges = SEGREGACJA.replacen(
        "completion:",
        "badges:\n  - name: Mistrz segregacji\n    when: bezbłędnie\n  - name: Pierwszy krok\n    when: lekcja 1\ncompletion:",
        1,
    );
    let course = parse_course(&with_badges).unwrap();
    let rules: Vec<(&str, BadgeRule)> =
        course.badges.iter().map(|b| (b.name.as_str(), b.earned_by)).collect();
    assert_eq!(rules, [("Mistrz segregacji", BadgeRule::Perfect), ("Pierwszy krok", BadgeRule::Lesson(1))]);
    assert!(parse_course(SEGREGACJA).unwrap().badges.is_empty());
    let wrong = with_badges.replacen("lekcja 1", "lekcja 5", 1);
    let error = parse_course(&wrong).unwrap_err();
    assert_eq!(error.line, 6, "{error}");
    assert!(error.to_string().contains("lesson 5"), "{error}");
    let unknown_field = with_badges.replacen("    when: lekcja 1", "    kiedy: lekcja 1", 1);
    assert!(parse_course(&unknown_field).is_err());
}
