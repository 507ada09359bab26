//! `szpon directory import`: a CSV or JSON file checked in full and written in one go; a file
//! with an error is refused with its line and changes nothing.

use std::process::Output;

use sqlx::Row;

fn import(database: &str, file: &std::path::Path) -> Output {
    std::process::Command::new(super::szpon())
        .args(["directory", "import"])
        .arg(file)
        .env_remove("SZPON_CONFIG")
        .env("SZPON_STORE__DATABASE_URL", database)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("szpon runs")
}

async fn people(database: &str) -> Vec<(String, Option<String>)> {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database).await.unwrap();
    let rows =
        sqlx::query("SELECT user_id, role FROM directory ORDER BY user_id").fetch_all(&pool).await.unwrap();
    pool.close().await;
    rows.iter().map(|r| (r.try_get("user_id").unwrap(), r.try_get("role").unwrap())).collect()
}

#[tokio::test]
async fn an_import_replaces_the_directory_and_a_bad_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("szpon.db").display());
    let csv = dir.path().join("katalog.csv");
    std::fs::write(
        &csv,
        "user_id,office,department,role,kind\n\
         @anna:urzad.example.pl,UM,promocja,redaktor,staff\n\
         @piotr:urzad.example.pl,UM,ewidencja,urzędnik,staff\n",
    )
    .unwrap();
    let output = import(&database, &csv);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "Zaimportowano katalog: 2 osób (nowe: 2, zmienione: 0, bez zmian: 0, usunięte: 0)."
    );

    let json = dir.path().join("katalog.json");
    std::fs::write(
        &json,
        r#"[{"user_id": "@anna:urzad.example.pl", "office": "UM", "department": "promocja", "role": "kierowniczka", "kind": "staff"},
            {"user_id": "@jan:urzad.example.pl", "kind": "citizen"}]"#,
    )
    .unwrap();
    let output = import(&database, &json);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("(nowe: 1, zmienione: 1, bez zmian: 0, usunięte: 1)")
    );
    assert_eq!(
        people(&database).await,
        [
            ("@anna:urzad.example.pl".to_owned(), Some("kierowniczka".to_owned())),
            ("@jan:urzad.example.pl".to_owned(), None)
        ]
    );

    std::fs::write(&csv, "user_id,kind\n@ola:urzad.example.pl,staff\nola,staff\n").unwrap();
    let output = import(&database, &csv);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("wiersz 3") && stderr.contains("nic nie zmieniono"), "{stderr}");
    assert_eq!(people(&database).await.len(), 2, "the bad file changed nothing");
}
