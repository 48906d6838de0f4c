// A struct literal must name every required field (here `name` is left out).
use magic_api::types::GreTunnelCreateRequest;

fn main() {
    let _body = GreTunnelCreateRequest {
        cloudflare_gre_endpoint: "203.0.113.1".into(),
        customer_gre_endpoint: "203.0.113.2".into(),
        interface_address: "192.0.2.0/31".into(),
        automatic_return_routing: None,
        bgp: None,
        description: None,
        health_check: None,
        interface_address6: None,
        mtu: None,
        ttl: None,
        extra: Default::default(),
    };
}
