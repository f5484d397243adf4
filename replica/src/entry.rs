//! Text as it enters the store: composed Unicode (NFC), whatever the keyboard or the copied text
//! gave. "João" typed as "Joa" + a combining tilde is stored as the one letter "ã", so it is one
//! word in search, matches the same name typed the other way, and prints on the slip.

use serde_json::Value;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// `text` in NFC; borrowed back when it already is (the common case costs a scan, no copy).
pub fn composed(text: &str) -> std::borrow::Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfc().collect()),
    }
}

/// Composes, in place, every string of a command's arguments (keys too).
pub fn compose_all(value: &mut Value) {
    match value {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(c) = composed(s) {
                *s = c;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(compose_all),
        Value::Object(map) => {
            if map
                .keys()
                .any(|k| matches!(composed(k), std::borrow::Cow::Owned(_)))
            {
                let old = std::mem::take(map);
                for (k, mut v) in old {
                    compose_all(&mut v);
                    map.insert(composed(&k).into_owned(), v);
                }
            } else {
                map.values_mut().for_each(compose_all);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decomposed_letters_are_composed_and_the_rest_is_untouched() {
        assert_eq!(composed("Joa\u{303}o"), "João");
        assert_eq!(composed("Conceic\u{327}a\u{303}o"), "Conceição");
        assert!(matches!(composed("João"), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(composed("plain"), std::borrow::Cow::Borrowed(_)));
        let mut args = json!({
            "input": {"name": "Joa\u{303}o", "tags": ["Mun\u{303}oz", 3, null, true]},
            "Sa\u{303}o": "x",
        });
        compose_all(&mut args);
        assert_eq!(
            args,
            json!({"input": {"name": "João", "tags": ["Muñoz", 3, null, true]}, "São": "x"})
        );
    }
}
