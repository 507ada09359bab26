use szpon_bots::booking::{DEMO_OFFICE, Office};
use szpon_homeserver_bridge::{FakeHomeserver, HomeserverError};

use super::*;

async fn store(dir: &tempfile::TempDir) -> Store {
    Store::connect(&format!("sqlite://{}", dir.path().join("app.db").display())).await.unwrap()
}

fn demo_office() -> Office {
    Office::parse(DEMO_OFFICE).unwrap()
}

#[tokio::test]
async fn each_department_gets_a_team_room_with_its_clerks_and_keeps_it_across_starts() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir).await;
    let homeserver = FakeHomeserver::new();

    let office = with_department_rooms(&homeserver, &store, demo_office()).await;
    let rooms: Vec<_> = office.departments.iter().map(|d| d.room.clone().expect("a room")).collect();
    assert_eq!(homeserver.rooms(), rooms, "one new room per department");
    for department in &office.departments {
        let room = department.room.as_deref().unwrap();
        for clerk in &office.clerks {
            let theirs = clerk.departments.contains(&department.id);
            assert_eq!(
                homeserver.was_invited(room, &clerk.user_id),
                theirs,
                "{} in {}",
                clerk.user_id,
                department.id
            );
        }
    }

    // The next start finds the rooms it made and makes no more.
    let again = with_department_rooms(&homeserver, &store, demo_office()).await;
    let rooms_again: Vec<_> = again.departments.iter().map(|d| d.room.clone().unwrap()).collect();
    assert_eq!(rooms_again, rooms);
    assert_eq!(homeserver.rooms().len(), rooms.len());
}

#[tokio::test]
async fn a_room_the_homeserver_could_not_create_is_made_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir).await;
    let homeserver = FakeHomeserver::new();
    homeserver.fail_next([HomeserverError::Unavailable("down".to_owned())]);

    let office = with_department_rooms(&homeserver, &store, demo_office()).await;
    assert!(office.departments[0].room.is_none(), "the first department waits for the next start");
    assert!(office.departments[1..].iter().all(|d| d.room.is_some()));

    let office = with_department_rooms(&homeserver, &store, demo_office()).await;
    assert!(office.departments.iter().all(|d| d.room.is_some()));
}

#[tokio::test]
async fn the_support_team_gets_its_room_with_every_agent_invited() {
    let dir = tempfile::tempdir().unwrap();
    let store = store(&dir).await;
    let homeserver = FakeHomeserver::new();

    let office = with_support_room(&homeserver, &store, demo_office()).await;
    let helpdesk = office.helpdesk.as_ref().unwrap();
    let room = helpdesk.room.as_deref().expect("a support room");
    assert!(helpdesk.agents.iter().all(|a| homeserver.was_invited(room, &a.user_id)));

    let again = with_support_room(&homeserver, &store, demo_office()).await;
    assert_eq!(again.helpdesk.unwrap().room.as_deref(), Some(room));
    assert_eq!(homeserver.rooms().len(), 1);
}
