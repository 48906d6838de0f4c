//! The one message every refinement entry that matches nothing gets.

/// The message for an entry that stopped matching: which entry, what it expected, what to do.
pub(super) fn stale(entry: &str, expected: &str) -> String {
    format!(
        "{entry}: {expected}. The reference may have renamed or removed what it names: point the \
         entry at the new name or delete it (`cargo xtask diff <last-good-revision>` lists what \
         changed)"
    )
}
