//! The file a PCAP download answers with: small, deterministic and a valid pcap.

/// Frame size of the binary (pcap) answer.
pub const PCAP_CHUNK: usize = 1024;
/// Content type of binary answers.
pub const PCAP_CONTENT_TYPE: &str = "application/vnd.tcpdump.pcap";

/// The deterministic binary answer of `Response::Binary` operations: a little-endian
/// pcap file (global header, then 64 Ethernet-sized records of pseudo-random bytes),
/// about 6 KB.
pub fn pcap_bytes() -> Vec<u8> {
    let mut out = Vec::with_capacity(8 * 1024);
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes()); // magic, microsecond timestamps
    out.extend_from_slice(&2u16.to_le_bytes()); // version major
    out.extend_from_slice(&4u16.to_le_bytes()); // version minor
    out.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    out.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    out.extend_from_slice(&65_535u32.to_le_bytes()); // snaplen
    out.extend_from_slice(&1u32.to_le_bytes()); // LINKTYPE_ETHERNET
    let mut x = 0x2545_f491u32;
    for i in 0..64u32 {
        let len = 60 + (i % 5) * 8;
        for word in [1_700_000_000 + i, i * 1000, len, len] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        for _ in 0..len {
            // xorshift32
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            out.push(x.to_le_bytes()[0]);
        }
    }
    out
}
