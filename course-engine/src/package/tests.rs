use super::*;
use crate::{Section, parse_course};

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00,
    0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01,
    0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

const COURSE: &str = "---\nid: mapa\ntitle: Mapa gminy\n---\n# Lekcja: Gdzie są punkty\n\nPunkty zbiórki:\n\n![Mapa punktów](obrazy/mapa.png)\n\nSzczegóły: [Regulamin](regulamin.pdf) i [strona gminy](https://gmina.example.pl).\n";

fn files() -> BTreeMap<String, Vec<u8>> {
    BTreeMap::from([
        ("obrazy/mapa.png".to_owned(), PNG.to_vec()),
        ("regulamin.pdf".to_owned(), b"%PDF-1.4 regulamin".to_vec()),
    ])
}

#[test]
fn a_lesson_names_its_picture_and_file_and_keeps_its_words() {
    let course = parse_course(COURSE).unwrap();
    let Section::Lesson { body, attachments, .. } = &course.sections[0] else { panic!() };
    assert_eq!(
        body,
        "Punkty zbiórki:\n\n\nSzczegóły: Regulamin 📎 i [strona gminy](https://gmina.example.pl)."
    );
    let names: Vec<(&str, usize)> = attachments.iter().map(|a| (a.name.as_str(), a.line)).collect();
    assert_eq!(names, [("obrazy/mapa.png", 9), ("regulamin.pdf", 11)]);
    assert_eq!(attachments[0].kind, AttachmentKind::Image { alt: "Mapa punktów".into() });
    assert_eq!(attachments[1].kind, AttachmentKind::File { title: "Regulamin".into() });
}

#[test]
fn a_package_round_trips_and_its_files_are_described() {
    let written = write_package("kurs.md", COURSE, &files());
    let package = read_package(&written).unwrap();
    assert_eq!(package.course_file, "kurs.md");
    assert_eq!(package.source, COURSE);
    assert_eq!(package.files, files());
    let png = describe("obrazy/mapa.png", PNG);
    assert_eq!((png.mime.as_str(), png.image), ("image/png", Some((1, 1))));
    let pdf = describe("regulamin.pdf", b"%PDF-1.4");
    assert_eq!((pdf.mime.as_str(), pdf.image), ("application/pdf", None));
}

#[test]
fn a_missing_file_or_a_false_picture_is_refused_with_its_line() {
    let course = parse_course(COURSE).unwrap();
    let mut at_hand: BTreeMap<String, FileInfo> =
        files().iter().map(|(name, bytes)| (name.clone(), describe(name, bytes))).collect();
    assert_eq!(check_attachments(&course, &at_hand), Ok(()));
    at_hand.remove("regulamin.pdf");
    let missing = check_attachments(&course, &at_hand).unwrap_err();
    assert_eq!((missing.line, missing.kind), (11, CourseErrorKind::MissingFile("regulamin.pdf".into())));
    at_hand.insert("obrazy/mapa.png".into(), describe("obrazy/mapa.png", b"not a picture"));
    let false_picture = check_attachments(&course, &at_hand).unwrap_err();
    assert_eq!(false_picture.line, 9);
    assert_eq!(false_picture.kind, CourseErrorKind::NotAnImage("obrazy/mapa.png".into()));
}

#[test]
fn pictures_on_the_web_and_paths_out_of_the_package_are_refused() {
    let remote = COURSE.replace("obrazy/mapa.png", "https://example.com/mapa.png");
    let error = parse_course(&remote).unwrap_err();
    assert_eq!(error.line, 9);
    assert!(matches!(error.kind, CourseErrorKind::RemoteImage(_)));
    let escaping = COURSE.replace("regulamin.pdf", "../../etc/passwd");
    let error = parse_course(&escaping).unwrap_err();
    assert_eq!((error.line, error.kind), (11, CourseErrorKind::BadFileName("../../etc/passwd".into())));
}

#[test]
fn packages_without_one_course_file_or_over_the_limits_are_refused() {
    assert!(matches!(read_package(b"not a zip"), Err(PackageError::NotZip(_))));
    let no_course = write_package("notatki.txt", "tekst", &BTreeMap::new());
    assert_eq!(read_package(&no_course), Err(PackageError::NoCourseFile));
    let mut two = files();
    two.insert("drugi.md".into(), b"---".to_vec());
    let several = write_package("kurs.md", COURSE, &two);
    assert!(matches!(read_package(&several), Err(PackageError::SeveralCourseFiles(_))));
    // Zeros pack to almost nothing: the unpacked size is what counts.
    let bomb = BTreeMap::from([("zera.bin".to_owned(), vec![0u8; MAX_FILE_BYTES + 1])]);
    let packed = write_package("kurs.md", COURSE, &bomb);
    assert!(packed.len() < 100_000);
    assert!(matches!(read_package(&packed), Err(PackageError::FileTooLarge { .. })));
}

#[test]
fn an_aiken_bank_is_a_quiz_and_exports_as_gift() {
    let source = "---\nid: a\ntitle: A\n---\n# Test: Aiken\n\n```aiken\nGdzie słoik?\nA. Do szkła\nB. Do papieru\nANSWER: A\n```\n";
    let course = parse_course(source).unwrap();
    let Section::Quiz { questions, .. } = &course.sections[0] else { panic!() };
    assert_eq!(questions[0].line, 8);
    let exported = crate::course::export_markdown(source).unwrap();
    assert!(exported.contains("```gift\n"), "{exported}");
    assert!(!exported.contains("aiken"));
    let again = parse_course(&exported).unwrap();
    let Section::Quiz { questions: read_again, .. } = &again.sections[0] else { panic!() };
    assert_eq!(read_again.len(), 1);
    assert_eq!(read_again[0].kind, questions[0].kind);
}
