//! Conversions into the unions generated code declares, one
//! [`union_from!`](crate::union_from) line per union.

/// `From` each listed alternative's type for a union (one line of generated code per union).
#[doc(hidden)]
#[macro_export]
macro_rules! union_from {
    ($union:ident { $($variant:ident($ty:ty)),* $(,)? }) => {
        $(
            impl From<$ty> for $union {
                fn from(value: $ty) -> Self {
                    Self::$variant(value)
                }
            }
        )*
    };
}
