//! The directory's people and their attributes, as an office imports them (CSV or JSON), and
//! who a course's audience rule enrols or lets go when the directory or the course changes.

use std::collections::BTreeSet;

use ruma::OwnedUserId;
use serde::Deserialize;
use thiserror::Error;

use crate::audience::{ATTRIBUTES, Attributes, Rule};
use crate::gift::MAX_SOURCE_BYTES;

/// The largest directory file taken, in bytes (an office of tens of thousands fits).
pub const MAX_DIRECTORY_BYTES: usize = 32 * MAX_SOURCE_BYTES;

/// One person of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub user_id: OwnedUserId,
    pub attributes: Attributes,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {kind}")]
pub struct DirectoryError {
    pub line: usize,
    pub kind: DirectoryErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DirectoryErrorKind {
    #[error("the file has {0} bytes; at most {max} are taken", max = MAX_DIRECTORY_BYTES)]
    TooLarge(usize),
    #[error("the file cannot be read: {0}")]
    Unreadable(String),
    #[error("the columns must include user_id; the others may be office, department, role and kind")]
    NoUserColumn,
    #[error("unknown column {0:?}; known are user_id, office, department, role and kind")]
    UnknownColumn(String),
    #[error("{0:?} is not a Matrix user ID such as @jan:urzad.example.pl")]
    BadUser(String),
    #[error("kind {0:?} is neither \"citizen\" nor \"staff\"")]
    BadKind(String),
    #[error("{0} appears twice")]
    Duplicate(String),
}

fn error(line: usize, kind: DirectoryErrorKind) -> DirectoryError {
    DirectoryError { line, kind }
}

/// Reads a CSV directory: a header row with `user_id` and any of office, department, role,
/// kind; then a row per person. Everything is checked before anything is used.
pub fn parse_csv(source: &str) -> Result<Vec<Entry>, DirectoryError> {
    if source.len() > MAX_DIRECTORY_BYTES {
        return Err(error(1, DirectoryErrorKind::TooLarge(source.len())));
    }
    let mut reader =
        csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(source.as_bytes());
    let unreadable = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as usize);
        error(line, DirectoryErrorKind::Unreadable(e.to_string()))
    };
    let header: Vec<String> =
        reader.headers().map_err(unreadable)?.iter().map(|h| h.to_lowercase()).collect();
    if let Some(unknown) = header.iter().find(|h| *h != "user_id" && !ATTRIBUTES[..4].contains(&h.as_str())) {
        return Err(error(1, DirectoryErrorKind::UnknownColumn(unknown.clone())));
    }
    let user_column =
        header.iter().position(|h| h == "user_id").ok_or(error(1, DirectoryErrorKind::NoUserColumn))?;
    let mut entries = Vec::new();
    for record in reader.records() {
        let record = record.map_err(unreadable)?;
        let line = record.position().map_or(1, |p| p.line() as usize);
        let pairs = header.iter().zip(record.iter()).enumerate().filter(|(i, _)| *i != user_column);
        let attributes =
            pairs.map(|(_, (k, v))| (k.clone(), v.to_owned())).filter(|(_, v)| !v.is_empty()).collect();
        entries.push((line, record.get(user_column).unwrap_or_default().to_owned(), attributes));
    }
    checked(entries)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonEntry {
    user_id: String,
    office: Option<String>,
    department: Option<String>,
    role: Option<String>,
    kind: Option<String>,
}

/// Reads a JSON directory: an array of objects with `user_id` and any of office, department,
/// role and kind.
pub fn parse_json(source: &str) -> Result<Vec<Entry>, DirectoryError> {
    if source.len() > MAX_DIRECTORY_BYTES {
        return Err(error(1, DirectoryErrorKind::TooLarge(source.len())));
    }
    let people: Vec<JsonEntry> = serde_json::from_str(source)
        .map_err(|e| error(e.line(), DirectoryErrorKind::Unreadable(e.to_string())))?;
    // JSON has no line per person; errors name the person's place in the array, from 1.
    let entries = people
        .into_iter()
        .enumerate()
        .map(|(i, person)| {
            let attributes = [
                ("office", person.office),
                ("department", person.department),
                ("role", person.role),
                ("kind", person.kind),
            ]
            .into_iter()
            .filter_map(|(k, v)| {
                v.filter(|v| !v.trim().is_empty()).map(|v| (k.to_owned(), v.trim().to_owned()))
            })
            .collect();
            (i + 1, person.user_id, attributes)
        })
        .collect();
    checked(entries)
}

fn checked(entries: Vec<(usize, String, Attributes)>) -> Result<Vec<Entry>, DirectoryError> {
    let mut seen = BTreeSet::new();
    entries
        .into_iter()
        .map(|(line, user, attributes)| {
            let user_id = OwnedUserId::try_from(user.trim())
                .map_err(|_| error(line, DirectoryErrorKind::BadUser(user.chars().take(80).collect())))?;
            if let Some(kind) = attributes.get("kind").filter(|k| *k != "citizen" && *k != "staff") {
                return Err(error(line, DirectoryErrorKind::BadKind(kind.clone())));
            }
            if !seen.insert(user_id.clone()) {
                return Err(error(line, DirectoryErrorKind::Duplicate(user_id.to_string())));
            }
            Ok(Entry { user_id, attributes })
        })
        .collect()
}

/// Who to enrol and who to let go, after the directory or the course changed: the people the
/// rule now selects who are not enrolled, and the enrolled it no longer selects (their records
/// are kept by whoever acts on this).
pub fn enrolment_changes<'a>(
    rule: &Rule,
    directory: &'a [Entry],
    enrolled: &BTreeSet<OwnedUserId>,
) -> (Vec<&'a OwnedUserId>, Vec<OwnedUserId>) {
    let selected: BTreeSet<&OwnedUserId> =
        directory.iter().filter(|e| rule.matches(&e.attributes)).map(|e| &e.user_id).collect();
    let enrol = selected.iter().filter(|u| !enrolled.contains(**u)).copied().collect();
    let release = enrolled.iter().filter(|u| !selected.contains(u)).cloned().collect();
    (enrol, release)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audience::parse_rule;

    const CSV: &str = "user_id,office,department,role,kind\n\
                       @anna:urzad.example.pl,UM Przykładowo,promocja,redaktor,staff\n\
                       @piotr:urzad.example.pl,UM Przykładowo,ewidencja,urzędnik,staff\n\
                       @jan:urzad.example.pl,,,,citizen\n";

    #[test]
    fn csv_and_json_give_the_same_people() {
        let from_csv = parse_csv(CSV).unwrap();
        assert_eq!(from_csv.len(), 3);
        assert_eq!(from_csv[0].attributes["role"], "redaktor");
        assert!(!from_csv[2].attributes.contains_key("department"));
        let json = r#"[
            {"user_id": "@anna:urzad.example.pl", "office": "UM Przykładowo", "department": "promocja", "role": "redaktor", "kind": "staff"},
            {"user_id": "@piotr:urzad.example.pl", "office": "UM Przykładowo", "department": "ewidencja", "role": "urzędnik", "kind": "staff"},
            {"user_id": "@jan:urzad.example.pl", "kind": "citizen"}
        ]"#;
        assert_eq!(parse_json(json).unwrap(), from_csv);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let cases = [
            ("user_id,dział\n@a:x\n", 1, DirectoryErrorKind::UnknownColumn("dział".into())),
            ("office,role\nUM,r\n", 1, DirectoryErrorKind::NoUserColumn),
            ("user_id,kind\n@a:x,staff\nanna,staff\n", 3, DirectoryErrorKind::BadUser("anna".into())),
            ("user_id,kind\n@a:x,pracownik\n", 2, DirectoryErrorKind::BadKind("pracownik".into())),
            ("user_id,kind\n@a:x,staff\n@a:x,citizen\n", 3, DirectoryErrorKind::Duplicate("@a:x".into())),
        ];
        for (source, line, kind) in cases {
            assert_eq!(parse_csv(source), Err(DirectoryError { line, kind }), "{source:?}");
        }
        assert_eq!(parse_csv("user_id,kind\n@a:x,staff,extra\n").unwrap_err().line, 2);
        assert_eq!(parse_json("[{\"user_id\": \"@a:x\", \"dział\": 1}]").unwrap_err().line, 1);
    }

    #[test]
    fn a_changed_directory_enrols_the_new_and_lets_go_of_the_gone() {
        let directory = parse_csv(CSV).unwrap();
        let rule = parse_rule("audience = all-staff").unwrap();
        let enrolled: BTreeSet<OwnedUserId> = ["@anna:urzad.example.pl", "@ola:urzad.example.pl"]
            .iter()
            .map(|u| OwnedUserId::try_from(*u).unwrap())
            .collect();
        let (enrol, release) = enrolment_changes(&rule, &directory, &enrolled);
        assert_eq!(enrol.iter().map(|u| u.as_str()).collect::<Vec<_>>(), ["@piotr:urzad.example.pl"]);
        assert_eq!(release.iter().map(|u| u.as_str()).collect::<Vec<_>>(), ["@ola:urzad.example.pl"]);
    }
}
