use super::*;

const SAMPLE: &str = r#"version: "3.1"
nlu:
- intent: book_visit
  examples: |
    - chce umowic wizyte
    - zapisz mnie na [dowód osobisty](service:dowod) [jutro](date)
- intent: faq/godziny
  examples: |
    - w jakich godzinach pracujecie
- synonym: dowod
  examples: |
    - dowodu
- lookup: service
  examples: |
    - prawo jazdy
- regex: pesel
  examples: |
    - \b\d{11}\b
responses:
  utter_faq/godziny:
  - text: Urząd jest otwarty od 8 do 16.
  - text: We are open from 8 to 4.
    lang: en
"#;

#[test]
fn reads_every_kind_of_item() {
    let data = TrainingData::parse("nlu.yml", SAMPLE).unwrap();
    assert_eq!(data.intents(), ["book_visit", "faq/godziny"]);
    let booked = &data.examples[1];
    assert_eq!(booked.text, "zapisz mnie na dowód osobisty jutro");
    assert_eq!(
        booked.annotations[0],
        Annotation { entity: "service".into(), value: "dowod".into(), start: 15, end: 29 }
    );
    assert_eq!(booked.annotations[1].value, "jutro");
    assert!(data.synonyms.contains(&("dowodu".to_owned(), "dowod".to_owned())));
    assert!(data.synonyms.contains(&("dowód osobisty".to_owned(), "dowod".to_owned())));
    assert_eq!(data.lookups, [("service".to_owned(), "prawo jazdy".to_owned())]);
    assert_eq!(data.regexes[0].0, "pesel");
    assert_eq!(data.responses["faq/godziny"][&Lang::En], ["We are open from 8 to 4."]);
}

#[test]
fn json_annotations() {
    let (text, found) =
        parse_annotations(r#"na [jutro]{"entity": "date", "value": "tomorrow"} prosze"#).unwrap();
    assert_eq!(text, "na jutro prosze");
    assert_eq!((found[0].start, found[0].end, found[0].value.as_str()), (3, 8, "tomorrow"));
}

fn error_of(text: &str) -> DataError {
    TrainingData::parse("bad.yml", text).unwrap_err()
}

#[test]
fn errors_name_the_file_and_line() {
    let broken = "nlu:\n- intent: greet\n  examples: |\n    - hej\n    - [czesc(greeting)\n";
    let e = error_of(broken);
    assert_eq!((e.file.as_str(), e.line), ("bad.yml", 5), "{e}");
    assert!(e.to_string().starts_with("bad.yml:5: "), "{e}");

    let no_examples = "nlu:\n- intent: greet\n  examples: |\n    - hej\n- intent: bye\n";
    assert_eq!(error_of(no_examples).line, 5);

    let bad_yaml = "nlu:\n- intent: greet\n  examples: |\n    - hej\n  - : [\n";
    assert!(error_of(bad_yaml).line >= 4, "{}", error_of(bad_yaml));

    let two_kinds = "nlu:\n- intent: a\n  synonym: b\n  examples: |\n    - x\n";
    assert!(error_of(two_kinds).message.contains("exactly one"));

    let bad_regex = "nlu:\n- regex: r\n  examples: |\n    - a(b\n";
    assert_eq!(error_of(bad_regex).line, 4);

    let bad_lang = "responses:\n  utter_faq/x:\n  - text: a\n    lang: xx\n";
    assert_eq!(error_of(bad_lang).line, 2);

    assert_eq!(error_of("").line, 1);
    assert_eq!(error_of("nlu: 5").line, 1);
}

#[test]
fn refuses_huge_files() {
    let huge = "#".repeat(MAX_DATA_BYTES + 1);
    assert!(error_of(&huge).message.contains("larger"));
}
