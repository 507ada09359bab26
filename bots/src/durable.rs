//! How a shape kept in the store is written: `{"v": <version>, "data": <the value>}`, so that a
//! row says which version of its shape it holds. A row is read by lifting it from its version to
//! the one this code writes, one step at a time, and only then decoding it: renaming a variant
//! or a field is a new version with an upgrade, never a row that silently stops reading.
//!
//! Rows written before versions were explicit hold the bare value; they are version 1.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;

/// Why a stored row could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurableError {
    #[error("not JSON: {0}")]
    NotJson(String),
    /// Written by a newer szpon (say, before a rollback): kept for it, not guessed at.
    #[error("written as version {found}; this szpon reads up to version {known}")]
    TooNew { found: u32, known: u32 },
    #[error("no upgrade from version {from}")]
    NoUpgrade { from: u32 },
    #[error("does not read as version {version}: {reason}")]
    Shape { version: u32, reason: String },
}

/// A shape szpon keeps in its database.
pub trait Durable: Serialize + DeserializeOwned {
    /// The version this code writes. Raise it with any change that makes a row written before
    /// read differently (a renamed variant or field, a changed meaning), and lift the old rows
    /// in [`Durable::upgrade`]. Adding an optional field needs no new version.
    const VERSION: u32 = 1;

    /// Lifts a row's value from version `from` to `from + 1`.
    fn upgrade(from: u32, value: Value) -> Result<Value, DurableError> {
        let _ = value;
        Err(DurableError::NoUpgrade { from })
    }
}

#[derive(Serialize)]
struct Written<'a, T> {
    v: u32,
    data: &'a T,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    v: u32,
    data: Value,
}

/// The row for `value`, marked with its shape's version.
pub fn encode<T: Durable>(value: &T) -> String {
    // The durable shapes are plain data with string keys, which always serialise.
    serde_json::to_string(&Written { v: T::VERSION, data: value }).expect("durable shapes serialise")
}

/// The value a row holds, lifted to this code's version of its shape.
pub fn decode<T: Durable>(row: &str) -> Result<T, DurableError> {
    let value: Value = serde_json::from_str(row).map_err(|e| DurableError::NotJson(e.to_string()))?;
    let (mut version, mut data) = match Stored::deserialize(&value) {
        Ok(stored) => (stored.v, stored.data),
        Err(_) => (1, value),
    };
    if version > T::VERSION {
        return Err(DurableError::TooNew { found: version, known: T::VERSION });
    }
    while version < T::VERSION {
        data = T::upgrade(version, data)?;
        version += 1;
    }
    serde_json::from_value(data).map_err(|e| DurableError::Shape { version, reason: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Greeting {
        Hello { name: String },
    }

    impl Durable for Greeting {}

    /// The same greeting after its field was renamed from `who` to `name`.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Renamed {
        Hello { name: String },
    }

    impl Durable for Renamed {
        const VERSION: u32 = 2;

        fn upgrade(from: u32, mut value: Value) -> Result<Value, DurableError> {
            match from {
                1 => {
                    let hello = value.get_mut("Hello").and_then(Value::as_object_mut);
                    let hello = hello.ok_or(DurableError::NoUpgrade { from })?;
                    let who = hello.remove("who").ok_or(DurableError::NoUpgrade { from })?;
                    hello.insert("name".into(), who);
                    Ok(value)
                }
                _ => Err(DurableError::NoUpgrade { from }),
            }
        }
    }

    fn ewa() -> Greeting {
        Greeting::Hello { name: "Ewa".into() }
    }

    #[test]
    fn a_row_says_its_version_and_reads_back() {
        let row = encode(&ewa());
        assert_eq!(row, r#"{"v":1,"data":{"Hello":{"name":"Ewa"}}}"#);
        assert_eq!(decode::<Greeting>(&row), Ok(ewa()));
    }

    #[test]
    fn a_row_written_before_versions_reads_as_version_one() {
        assert_eq!(decode::<Greeting>(r#"{"Hello":{"name":"Ewa"}}"#), Ok(ewa()));
    }

    #[test]
    fn an_older_row_is_lifted_by_the_upgrade() {
        let renamed = Renamed::Hello { name: "Ewa".into() };
        assert_eq!(decode::<Renamed>(r#"{"v":1,"data":{"Hello":{"who":"Ewa"}}}"#), Ok(renamed));
        assert_eq!(
            decode::<Renamed>(r#"{"Hello":{"who":"Ewa"}}"#),
            Ok(Renamed::Hello { name: "Ewa".into() })
        );
    }

    #[test]
    fn a_row_from_a_newer_szpon_is_refused_not_guessed() {
        let row = r#"{"v":2,"data":{"Hello":{"name":"Ewa"}}}"#;
        assert_eq!(decode::<Greeting>(row), Err(DurableError::TooNew { found: 2, known: 1 }));
    }

    #[test]
    fn a_row_of_another_shape_says_so() {
        assert!(matches!(
            decode::<Greeting>(r#"{"v":1,"data":{"Bye":{}}}"#),
            Err(DurableError::Shape { version: 1, .. })
        ));
        assert!(matches!(decode::<Greeting>("{not json"), Err(DurableError::NotJson(_))));
    }
}
