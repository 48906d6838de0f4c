// Enum fields take the enum, not a string (use `HealthCheckRate::Low`, or `"low".into()`).
use magic_api::types::TunnelHealthCheck;

fn main() {
    let _check = TunnelHealthCheck {
        rate: Some("low"),
        ..Default::default()
    };
}
