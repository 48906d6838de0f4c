//! The one future type the runtime's request functions return.

/// A boxed, `Send` future: what the runtime's request functions and `magic_api`'s calls return,
/// so that their state machines are compiled once, where they are defined, rather than in every
/// crate that awaits them.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
