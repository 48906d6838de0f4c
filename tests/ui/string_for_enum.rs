// Enum fields take the enum, not a string (use `HealthCheckRate::Low`, or `"low".into()`).
use magic_api::types::GreTunnelHealthCheck;

fn main() {
    let _check = GreTunnelHealthCheck {
        rate: Some("low"),
        ..Default::default()
    };
}
