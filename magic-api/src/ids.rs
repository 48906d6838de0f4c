//! The typed identifiers generated code declares, one [`define_id!`](crate::define_id) line per
//! kind of id.

/// Defines a typed identifier: a string newtype, so that a site id can never be passed where a
/// LAN id belongs.
#[doc(hidden)]
#[macro_export]
macro_rules! define_id {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        ///
        /// A string as the API spells it, typed so that it can only be passed where this kind of
        /// id belongs. Read it with [`as_str`](Self::as_str) (or `AsRef<str>`, `Borrow<str>`,
        /// `Display`); it compares with `&str` and `String`, and is made with `from`.
        #[derive(
            Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an identifier as the API spells it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The identifier as the API spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> Self {
                Self(id.clone())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        // No `Deref<Target = str>`: it would list every `str` method on the id's page, and an
        // id is passed along, not edited. `as_str()` is the one way in.
        impl ::std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl<'a> From<&'a $name> for $name {
            fn from(id: &'a $name) -> Self {
                id.clone()
            }
        }

        /// The id as the API spells it; width, fill and alignment apply (`{:<34}` lines up a
        /// table).
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(&self.0)
            }
        }

        // How generated code fills a path with the id: plumbing, not on the id's page.
        #[doc(hidden)]
        impl<'a> From<&'a $name> for $crate::runtime::PathValue<'a> {
            fn from(id: &'a $name) -> Self {
                $crate::runtime::PathValue::Str(&id.0)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    };
}

/// Defines an enum of id kinds: the id a union's forms each hold under their own name and type
/// (`AppId::Account(AccountAppId)`, `AppId::Managed(ManagedAppId)`), which a union reader such
/// as `App::id()` returns. Read the text with `as_str()` or `Display`; match it for the typed id.
#[doc(hidden)]
#[macro_export]
macro_rules! define_id_choice {
    ($name:ident, $doc:literal, $($variant:ident($id:ident)),+) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!(" A [`", stringify!($id), "`].")]
                $variant($id),
            )+
        }

        impl $name {
            /// The id as the API spells it, whichever kind it is.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant(id) => id.as_str(),)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        $(
            impl From<$id> for $name {
                fn from(id: $id) -> Self {
                    Self::$variant(id)
                }
            }
        )+
    };
}
