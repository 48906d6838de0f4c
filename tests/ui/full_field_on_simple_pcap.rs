// `colo_name` belongs to full packet captures only; a simple request has no such field.
use magic_api::types::PcapSimpleRequest;

fn main() {
    let _request = PcapSimpleRequest {
        colo_name: "ord02".into(),
        ..PcapSimpleRequest::builder()
            .packet_limit(10_000)
            .time_limit(300)
            .build()
    };
}
