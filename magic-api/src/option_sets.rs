//! The option sets generated code declares, one [`define_options!`](crate::define_options)
//! invocation per operation.
//!
//! Every operation has an option type of its own, named for its call, even when it has no
//! optional parameter: a parameter the API adds later is then a new field and setter, and the
//! call's type stays what it was. The expansion is written once here, so that ~80 sets cost a
//! line or a few each in the generated code and nothing to compile beyond the sets themselves.

/// Defines an operation's option set: a struct with one `Option` field per optional
/// parameter, how the set applies to a request ([`CallOptions`](crate::CallOptions)), and a
/// setter per parameter on the operation's [`Call`](crate::Call).
///
/// `define_options!(Name, "doc"; field: Type, query "wire" into "setter doc"; …)`, or
/// `define_options!(Name, call "sites().get")` for an operation without any: each
/// parameter is sent in the `query` or a `header` (a header the body already set, a form header,
/// is never overridden), and its setter takes `impl Into<Type>` (`into`) or `Type` (`plain`).
/// Values are sent as their `Display` text.
#[doc(hidden)]
#[macro_export]
macro_rules! define_options {
    // No optional parameter (yet): the documentation is the same for every such operation.
    ($name:ident, call $call:literal) => {
        $crate::define_options!(
            $name,
            concat!(
                " The optional parameters of `", $call, "`: none yet. The call has a type of \
                its own so that one the API adds later is a new setter, not a change of the \
                call's type."
            )
        );
    };
    ($name:ident, $doc:expr
        $(; $field:ident: $ty:ty, $location:ident $wire:literal $pass:ident $field_doc:literal)*
        $(;)?
    ) => {
        #[doc = $doc]
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            $($field: Option<$ty>,)*
        }

        impl $crate::CallOptions for $name {
            #[allow(unused_mut)]
            fn apply(&self, mut request: $crate::RawRequest) -> $crate::RawRequest {
                $(
                    if let Some(value) = &self.$field {
                        request = $crate::define_options!(
                            @apply $location, request, $wire, value.to_string()
                        );
                    }
                )*
                request
            }
        }

        impl<R: $crate::Receive> $crate::Call<'_, R, $name> {
            $($crate::define_options!(@setter $pass, $field, $ty, $field_doc);)*
        }
    };
    (@apply query, $request:ident, $wire:literal, $value:expr) => {
        $request.query($wire, $value)
    };
    (@apply header, $request:ident, $wire:literal, $value:expr) => {
        if $request.has_header($wire) {
            $request
        } else {
            $request.header($wire, $value)
        }
    };
    (@setter into, $field:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.options_mut().$field = Some(value.into());
            self
        }
    };
    (@setter plain, $field:ident, $ty:ty, $doc:literal) => {
        #[doc = $doc]
        pub fn $field(mut self, value: $ty) -> Self {
            self.options_mut().$field = Some(value);
            self
        }
    };
}
