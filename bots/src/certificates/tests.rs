use chrono::TimeZone;
use chrono_tz::Europe::Warsaw;
use ruma::{owned_user_id, user_id};
use szpon_course_engine::parse_course;

use super::*;

const COURSE: &str = "---\nid: rodo\ntitle: Ochrona danych osobowych w urzędzie gminy\nhours: 1.5\n---\n# Lekcja: Dane\n\nTekst.\n";

fn certificate() -> Certificate {
    Certificate {
        code: "ACDEFGHJKMNPQRTU".into(),
        user_id: owned_user_id!("@zofia:localhost"),
        learner_name: Some("Zażółć Gęślą Jaźń".into()),
        course_id: "rodo".into(),
        title: "Ochrona danych osobowych w urzędzie gminy".into(),
        minutes: Some(90),
        score: Some(95),
        issued_at: Warsaw.with_ymd_and_hms(2026, 12, 7, 23, 30, 0).unwrap().to_utc(),
    }
}

#[test]
fn a_passed_course_earns_a_certificate_and_a_failed_one_does_not() {
    let course = parse_course(COURSE).unwrap();
    let now = Warsaw.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap().to_utc();
    let passed = [Delivery::Completed { score: Some(0.954), passed: true }];
    let (effect, messages) =
        earned(user_id!("@zofia:localhost"), &course, 2, &passed, Lang::Pl, now).unwrap();
    assert_eq!(
        effect,
        Effect::Certificate(CertificateChange::Earned {
            user_id: owned_user_id!("@zofia:localhost"),
            course_id: "rodo".into(),
            version: 2,
            title: "Ochrona danych osobowych w urzędzie gminy".into(),
            minutes: Some(90),
            score: Some(95),
            at: now,
        })
    );
    let [DirectMessage::Notice(notice), DirectMessage::File(CourseFile::Certificate { course_id, .. })] =
        &messages[..]
    else {
        panic!("{messages:?}")
    };
    assert!(
        notice
            .plain
            .starts_with("Gratulacje! Za ukończenie kursu „Ochrona danych osobowych w urzędzie gminy”")
    );
    assert_eq!(course_id, "rodo");
    let failed = [Delivery::Completed { score: Some(0.4), passed: false }];
    assert!(earned(user_id!("@zofia:localhost"), &course, 2, &failed, Lang::Pl, now).is_none());
}

#[test]
fn a_code_is_read_as_people_type_it() {
    assert_eq!(normalize_code("acde-fghj-kmnp-qrtu").as_deref(), Some("ACDEFGHJKMNPQRTU"));
    assert_eq!(normalize_code("ACDE FGHJ KMNP QRTU").as_deref(), Some("ACDEFGHJKMNPQRTU"));
    assert_eq!(normalize_code("ACDE-FGHJ"), None);
    assert_eq!(normalize_code("ĄCDE-FGHJ-KMNP-QRTU"), None);
    assert_eq!(normalize_code(&"A".repeat(10_000)), None);
    assert_eq!(certificate().printed_code(), "ACDE-FGHJ-KMNP-QRTU");
    assert_eq!(certificate().hours().as_deref(), Some("1,5"));
    assert_eq!(Certificate { minutes: Some(120), ..certificate() }.hours().as_deref(), Some("2"));
    assert_eq!(Certificate { learner_name: None, ..certificate() }.name(), "zofia");
}

/// Rendered to a picture and read back as text by Poppler, as a person and a search index would
/// see it: every Polish letter is there, in the office's day (23:30 in Warsaw is still the 7th).
#[test]
fn the_pdf_shows_the_learner_the_course_the_date_the_hours_and_the_code() {
    let pdf =
        render_pdf(&certificate(), "Urząd Gminy Przykładowo", Warsaw, "https://urzad.example/certyfikat/X")
            .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = std::env::temp_dir().join(format!("szpon-certificate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("certyfikat.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let poppler = "pdftotext and pdftoppm (poppler-utils) are needed; ./deploy/dev/setup installs them";
    let text = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect(poppler);
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "Urząd Gminy Przykładowo",
        "Certyfikat",
        "Zażółć Gęślą Jaźń",
        "„Ochrona danych osobowych w urzędzie gminy”",
        "Data ukończenia: 7 grudnia 2026",
        "Liczba godzin: 1,5",
        "Wynik: 95%",
        "Kod weryfikacyjny: ACDE-FGHJ-KMNP-QRTU",
        "https://urzad.example/certyfikat/X",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
    let picture = dir.join("strona");
    let rendered = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "30", "-singlefile"])
        .arg(&file)
        .arg(&picture)
        .status()
        .expect(poppler);
    assert!(rendered.success());
    let png = std::fs::read(dir.join("strona.png")).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let info = decoder.read_info().unwrap();
    let (width, height) = (info.info().width, info.info().height);
    assert!(width > height && width >= 340, "an A4 landscape page: {width}×{height}");
    // SZPON_KEEP_CERTIFICATE=1 keeps the PDF and its picture, to look at them.
    if std::env::var_os("SZPON_KEEP_CERTIFICATE").is_none() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
