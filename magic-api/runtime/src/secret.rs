//! Values the crate never prints: a pre-shared key, a connector's licence key. Which fields hold
//! one is decided from the reference, with its evidence, in `spec/refinements.toml`
//! (`[secrets]`). The value is sent and decoded exactly as the API spells it; only `Debug`
//! (and so every log line, error and trace that prints a value) leaves it out.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that prints as `Secret(<redacted>)`. Read it with [`expose`](Self::expose); it has
/// no `Display`, so it cannot end up in a formatted message by accident.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The value itself, for sending it where it belongs (a router's configuration).
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// The value, unwrapped.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Secret<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_redacted_and_round_trips() {
        let psk: Secret<String> = serde_json::from_str("\"s3cr3t-psk\"").expect("decodes");
        assert_eq!(format!("{psk:?}"), "Secret(<redacted>)");
        assert_eq!(format!("{:?}", Some(&psk)), "Some(Secret(<redacted>))");
        assert_eq!(psk.expose(), "s3cr3t-psk");
        assert_eq!(
            serde_json::to_string(&psk).expect("encodes"),
            "\"s3cr3t-psk\""
        );
        assert_eq!(Secret::from("k"), Secret::new("k".to_string()));
    }
}
