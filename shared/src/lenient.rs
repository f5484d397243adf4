//! Reading what a later version of the app may write: an enum value this version does not
//! know, in an optional field or a list, is read as absent instead of making the whole record
//! unreadable. The document keeps the value (`document::write` leaves what this version could
//! not read), so a newer app still finds it.
//!
//! For a *required* enum field there is no "absent": a later version that adds a value to one
//! must raise `document::SCHEMA`, and this version holds such documents until it is updated.

use serde::de::{Deserialize, Deserializer, IgnoredAny};

/// A value of `T`, or anything else.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Known<T> {
    Yes(T),
    No(IgnoredAny),
}

impl<T> Known<T> {
    fn into_option(self) -> Option<T> {
        match self {
            Known::Yes(value) => Some(value),
            Known::No(_) => None,
        }
    }
}

/// `#[serde(default, deserialize_with = "lenient::option")]`: an unknown value is `None`.
pub fn option<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Known<T>>::deserialize(deserializer)?.and_then(Known::into_option))
}

/// `#[serde(default, deserialize_with = "lenient::list")]`: unknown values are left out.
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Vec::<Known<T>>::deserialize(deserializer)?
        .into_iter()
        .filter_map(Known::into_option)
        .collect())
}

#[cfg(test)]
mod tests {
    use crate::people::{CivilDocument, Race};
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Sample {
        #[serde(default, deserialize_with = "super::option")]
        race: Option<Race>,
        #[serde(default, deserialize_with = "super::list")]
        documents: Vec<CivilDocument>,
    }

    #[test]
    fn unknown_values_are_absent_and_known_ones_are_read() {
        let json = r#"{"race": "cor-futura", "documents": ["id-card", "reservista", "cpf"]}"#;
        let sample: Sample = serde_json::from_str(json).expect("lenient read");
        assert_eq!(sample.race, None);
        assert_eq!(
            sample.documents,
            vec![CivilDocument::IdCard, CivilDocument::Cpf]
        );
        let json = r#"{"race": "black"}"#;
        let sample: Sample = serde_json::from_str(json).expect("known read");
        assert_eq!(sample.race, Some(Race::Black));
        assert!(sample.documents.is_empty());
        let sample: Sample = serde_json::from_str(r#"{"race": null}"#).expect("null");
        assert_eq!(sample.race, None);
    }
}
