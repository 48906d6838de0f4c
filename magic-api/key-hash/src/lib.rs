//! The hash generated decoders match field names on, in a crate of its own so that the macros
//! (which write each field name's hash as a literal) and the runtime (which hashes each key it
//! reads) use one definition and always agree.

#![no_std]
#![deny(missing_docs)]

/// The hash of a field name, 8 bytes at a time (a 20-byte name costs a few instructions).
#[inline]
pub const fn key_hash(bytes: &[u8]) -> u64 {
    let mut hash = (bytes.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut start = 0;
    while start < bytes.len() {
        // The next up-to-8 bytes, little-endian, zero-padded.
        let mut word = 0u64;
        let mut i = 0;
        while i < 8 && start + i < bytes.len() {
            word |= (bytes[start + i] as u64) << (8 * i);
            i += 1;
        }
        hash = (hash ^ word)
            .wrapping_mul(0x0000_0100_0000_01B3)
            .rotate_left(29);
        start += 8;
    }
    hash
}
