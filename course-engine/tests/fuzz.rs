//! Fuzzing the question-bank parsers with proptest, seeded by a kept corpus of tricky inputs
//! (tests/corpus): whatever comes in, nothing panics, every error names a line of the file, and
//! whatever is read, written back, reads the same.

use proptest::prelude::*;
use szpon_course_engine::{parse_aiken, parse_course, parse_gift, read_package, to_gift, write_package};

fn corpus() -> Vec<String> {
    include_str!("corpus/gift.txt").split("\n%%\n").map(str::to_owned).collect()
}

fn lines(text: &str) -> usize {
    text.lines().count().max(1)
}

fn check_gift(source: &str) {
    match parse_gift(source) {
        Ok(questions) => {
            let written = to_gift(&questions);
            let again =
                parse_gift(&written).unwrap_or_else(|e| panic!("{source:?} written as {written:?}: {e}"));
            assert_eq!(again.len(), questions.len(), "{written:?}");
            for (a, b) in again.iter().zip(&questions) {
                assert_eq!(
                    (&a.title, &a.text, &a.kind, &a.general_feedback),
                    (&b.title, &b.text, &b.kind, &b.general_feedback),
                    "{written:?}"
                );
            }
        }
        Err(error) => assert!(error.line >= 1 && error.line <= lines(source), "{source:?}: {error}"),
    }
}

#[test]
fn the_corpus_reads_or_points_at_a_line() {
    for source in corpus() {
        check_gift(&source);
    }
}

/// Text shaped like GIFT: markers, weights, feedback, escapes, titles and blank lines.
fn gift_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("=".to_owned()),
        Just("~".to_owned()),
        Just("#".to_owned()),
        Just("####".to_owned()),
        Just("::".to_owned()),
        Just("->".to_owned()),
        Just("%50%".to_owned()),
        Just("%-100%".to_owned()),
        Just("\\".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("T".to_owned()),
        Just("..".to_owned()),
        Just(":".to_owned()),
        "[0-9]{1,4}(\\.[0-9]{1,2})?",
        "[a-ząęłóż ]{1,10}",
        "\\PC{1,3}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn gift_never_panics_and_round_trips(source in gift_like()) {
        check_gift(&source);
    }

    #[test]
    fn aiken_never_panics(source in "((A|B|C)(\\.|\\)) [a-z]{0,5}|ANSWER: [A-D]|[a-z ?]{0,12}|\n|\n\n){0,16}") {
        if let Err(error) = parse_aiken(&source) {
            prop_assert!(error.line >= 1 && error.line <= lines(&source), "{source:?}: {error}");
        }
    }
}

const COURSE: &str = include_str!("corpus/course.md");

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A course file cut and spliced anywhere is read or refused with a line inside it.
    #[test]
    fn course_files_never_panic(cut in 0usize..COURSE.len(), insert in r"(\PC{0,8}|\n|---|```|# Lekcja: |\{|\}|!\[|\]\(|\[a\]\(\.\./b\)|!\[a\]\(https://x/b\.png\)|!\[a\]\(b\.png\)|\[c\]\(d/e\.pdf\)|\)|```aiken\n)") {
        let mut source = COURSE.to_owned();
        let at = (0..=cut).rev().find(|i| source.is_char_boundary(*i)).unwrap_or(0);
        source.insert_str(at, &insert);
        if let Err(error) = parse_course(&source) {
            prop_assert!(error.line >= 1 && error.line <= lines(&source) + 1, "{source:?}: {error}");
        }
    }
}

#[test]
fn the_corpus_course_reads() {
    let course = parse_course(COURSE).unwrap();
    assert_eq!(course.sections.len(), 3);
    // A plain course file names no file of a package: it is published as it is.
    assert_eq!(course.attachments().count(), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// A package cut short or with bytes changed is read or refused, never a panic.
    #[test]
    fn packages_never_panic(cut in 0usize..4096, flip in 0usize..4096, byte in any::<u8>()) {
        let files = std::collections::BTreeMap::from([("pojemniki.png".to_owned(), vec![7u8; 300])]);
        let mut package = write_package("kurs.md", COURSE, &files);
        let at = flip % package.len();
        package[at] = byte;
        package.truncate(package.len().saturating_sub(cut % 64));
        if let Ok(read) = read_package(&package) {
            prop_assert!(read.source.len() <= szpon_course_engine::package::MAX_FILE_BYTES);
        }
    }
}
