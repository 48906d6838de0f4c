// `colo_name` belongs to full packet captures only; a simple request has no such field.
use magic_api::types::{PcapSimpleRequest, PcapType};

fn main() {
    let _request = PcapSimpleRequest {
        colo_name: "ord02".into(),
        ..PcapSimpleRequest::new(10_000, "magic-transit", 300, PcapType::Simple)
    };
}
