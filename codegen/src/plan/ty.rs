//! Rust types as the plan decides them: which type a field, argument, variant or result has,
//! independent of how a printer spells its path. The emitter turns a [`RustTy`] into tokens;
//! the API snapshot writes [`RustTy::text`].

use std::fmt;

/// A Rust type of the generated API.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RustTy {
    /// `String`.
    String,
    /// `i64`.
    I64,
    /// The runtime's exact `Number`.
    Number,
    /// `bool`.
    Bool,
    /// `serde_json::Value`, for what the reference leaves untyped.
    Value,
    /// `BTreeMap<String, T>`.
    Map(Box<RustTy>),
    /// `Vec<T>`.
    Vec(Box<RustTy>),
    /// A generated data type (module `types`), by Rust name.
    Data(String),
    /// A typed identifier (crate root), by Rust name.
    Id(String),
    /// `Option<T>`: an optional field, or a DELETE's result.
    Option(Box<RustTy>),
    /// The runtime's `Nullable<T>`: a field whose `null` means something.
    Nullable(Box<RustTy>),
    /// The runtime's `Secret<T>`: a value the crate never prints.
    Secret(Box<RustTy>),
}

impl RustTy {
    /// The type without the `Option` (and `Nullable`) an optional field adds.
    pub fn inner(&self) -> &RustTy {
        match self {
            RustTy::Option(t) | RustTy::Nullable(t) => t.inner(),
            other => other,
        }
    }

    /// The data type this names at its outermost level, through `Option`, `Vec` and maps.
    pub fn data(&self) -> Option<&str> {
        match self {
            RustTy::Data(name) => Some(name),
            RustTy::Map(t)
            | RustTy::Vec(t)
            | RustTy::Option(t)
            | RustTy::Nullable(t)
            | RustTy::Secret(t) => t.data(),
            _ => None,
        }
    }

    /// The type as a caller writes it after importing the crate's names (`Vec<Ownership>`,
    /// `Option<Nullable<bool>>`): what the API snapshot records.
    pub fn text(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for RustTy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustTy::String => f.write_str("String"),
            RustTy::I64 => f.write_str("i64"),
            RustTy::Number => f.write_str("Number"),
            RustTy::Bool => f.write_str("bool"),
            RustTy::Value => f.write_str("Value"),
            RustTy::Map(t) => write!(f, "BTreeMap<String, {t}>"),
            RustTy::Vec(t) => write!(f, "Vec<{t}>"),
            RustTy::Data(n) | RustTy::Id(n) => f.write_str(n),
            RustTy::Option(t) => write!(f, "Option<{t}>"),
            RustTy::Nullable(t) => write!(f, "Nullable<{t}>"),
            RustTy::Secret(t) => write!(f, "Secret<{t}>"),
        }
    }
}
