// A builder's `build()` compiles only once every required field is set; here `name` is left out,
// and the error names it.
use magic_api::types::GreTunnelCreateRequest;

fn main() {
    let _body = GreTunnelCreateRequest::builder()
        .cloudflare_gre_endpoint("203.0.113.1")
        .customer_gre_endpoint("203.0.113.2")
        .interface_address("192.0.2.0/31")
        .mtu(1476)
        .build();
}
