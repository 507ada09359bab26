//! Certificates' rows on SQLite and PostgreSQL: one per learner and course under a code of 16
//! unmistakable characters, kept when the course is finished again, named once.

use chrono::Duration;
use ruma::{owned_user_id, user_id};
use szpon_bots::{Effect, booking::CODE_ALPHABET, certificates::CertificateChange};

use super::{each_backend, t0};

fn earned(user: &str, course: &str, at: chrono::DateTime<chrono::Utc>) -> Effect {
    Effect::Certificate(CertificateChange::Earned {
        user_id: ruma::OwnedUserId::try_from(user).unwrap(),
        course_id: course.into(),
        version: 1,
        title: "Dostępność cyfrowa".into(),
        minutes: Some(90),
        score: Some(100),
        at,
    })
}

#[tokio::test]
async fn a_certificate_is_kept_once_per_learner_and_course_and_found_by_its_code() {
    each_backend(|store| async move {
        let ola = user_id!("@ola:localhost");
        store.apply_effects(&[earned(ola.as_str(), "dostepnosc", t0())], t0()).await.unwrap();
        store
            .apply_effects(&[earned(ola.as_str(), "dostepnosc", t0() + Duration::days(3))], t0())
            .await
            .unwrap();
        store.apply_effects(&[earned("@jan:localhost", "dostepnosc", t0())], t0()).await.unwrap();

        let mine = store.certificate_of(ola, "dostepnosc").await.unwrap().unwrap();
        assert_eq!(mine.issued_at, t0(), "finishing again keeps the first certificate");
        assert_eq!(mine.code.len(), 16);
        assert!(mine.code.bytes().all(|c| CODE_ALPHABET.contains(&c)), "{}", mine.code);
        let his = store.certificate_of(user_id!("@jan:localhost"), "dostepnosc").await.unwrap().unwrap();
        assert_ne!(mine.code, his.code);
        assert_eq!(
            (mine.minutes, mine.score, mine.title.as_str()),
            (Some(90), Some(100), "Dostępność cyfrowa")
        );

        assert_eq!(store.certificate(&mine.code).await.unwrap().as_ref(), Some(&mine));
        assert_eq!(store.certificate("ACDEFGHJKMNPQRTU").await.unwrap(), None);

        store.name_certificate(&mine.code, "Ola Nowak").await.unwrap();
        store.name_certificate(&mine.code, "Aleksandra").await.unwrap();
        let named = store.certificate(&mine.code).await.unwrap().unwrap();
        assert_eq!(named.learner_name.as_deref(), Some("Ola Nowak"), "named once, as first sent");
        assert_eq!(named.user_id, owned_user_id!("@ola:localhost"));
    })
    .await;
}
