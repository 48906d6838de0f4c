//! What the request builders written by `#[wire(builder)]` need: the check that a required field
//! is set, done by the type system so that a missing field is a compile error, not a runtime one.

/// Implemented by a value of type `T` only: a builder's required field is `T` once set, and a
/// marker type named after the field while unset, so `build()`'s bound `F: Required<T>` fails
/// to compile for an unset field, and the message names it.
///
/// Hidden from the documentation: its blanket impl would otherwise be listed on the page of
/// every type of both crates. The builders' module documents what it does.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the required field `{Self}` is not set",
    label = "`build()` needs every required field",
    note = "call the builder's setter of that name before `build()`"
)]
pub trait Required<T> {
    /// The field's value.
    fn into_value(self) -> T;
}

impl<T> Required<T> for T {
    fn into_value(self) -> T {
        self
    }
}

/// What a builder's list setter takes: any iterable whose items convert into the list's (an
/// array or `Vec` of `&str` for a `Vec<String>`, an iterator of ids). One trait with a blanket
/// impl, so each setter has one generic parameter and its body is one call, compiled here.
pub trait IntoList<T> {
    /// The list.
    fn into_list(self) -> Vec<T>;
}

impl<T, I> IntoList<T> for I
where
    I: IntoIterator,
    I::Item: Into<T>,
{
    fn into_list(self) -> Vec<T> {
        self.into_iter().map(Into::into).collect()
    }
}
