// A simple PCAP request writes `"type": "simple"` itself: there is no way to say `full` on it.
use magic_api::types::{PcapSimpleRequest, PcapType};

fn main() {
    let _request = PcapSimpleRequest::builder()
        .packet_limit(10_000)
        .time_limit(300)
        .kind(PcapType::Full)
        .build();
}
