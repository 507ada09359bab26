//! Published courses on SQLite and PostgreSQL: every version kept, numbered from 1.

use chrono::{TimeZone, Utc};
use ruma::{owned_room_id, owned_user_id};
use szpon_bots::{
    booking::Effect,
    courses::{CourseChange, Publication},
};

use super::each_backend;

fn publication(source: &str) -> Effect {
    Effect::Course(CourseChange::Publish(Publication {
        course_id: "segregacja".into(),
        title: "Segregacja odpadów".into(),
        source: source.into(),
        published_by: owned_user_id!("@trener:localhost"),
        room_id: owned_room_id!("!trenerzy:localhost"),
        published_at: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
    }))
}

#[tokio::test]
async fn each_publication_is_the_next_version_and_the_earlier_ones_stay() {
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        assert_eq!(store.latest_course("segregacja").await.unwrap(), None);
        store.apply_effects(&[publication("wersja pierwsza")], now).await.unwrap();
        store.apply_effects(&[publication("wersja druga")], now).await.unwrap();
        let (version, latest) = store.latest_course("segregacja").await.unwrap().unwrap();
        assert_eq!((version, latest.source.as_str()), (2, "wersja druga"));
        assert_eq!(latest.published_by.as_str(), "@trener:localhost");
    })
    .await;
}

#[tokio::test]
async fn an_import_adds_changes_and_removes_only_its_own_rows() {
    use szpon_course_engine::directory::parse_csv;
    each_backend(|store| async move {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap();
        let first = parse_csv("user_id,department,role,kind\n@anna:x,promocja,redaktor,staff\n@piotr:x,ewidencja,,staff\n").unwrap();
        let counts = store.import_directory(&first, now).await.unwrap();
        assert_eq!((counts.added, counts.changed, counts.unchanged, counts.removed), (2, 0, 0, 0));
        let second = parse_csv("user_id,department,role,kind\n@anna:x,promocja,kierowniczka,staff\n@piotr:x,ewidencja,,staff\n@jan:x,,,citizen\n").unwrap();
        let counts = store.import_directory(&second, now).await.unwrap();
        assert_eq!((counts.added, counts.changed, counts.unchanged, counts.removed), (1, 1, 1, 0));
        let third = parse_csv("user_id,kind\n@jan:x,citizen\n").unwrap();
        let counts = store.import_directory(&third, now).await.unwrap();
        assert_eq!((counts.added, counts.changed, counts.unchanged, counts.removed), (0, 0, 1, 2));
        let directory = store.directory().await.unwrap();
        assert_eq!(directory, third);
    })
    .await;
}
