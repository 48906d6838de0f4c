// `new` takes every required field: a GRE tunnel cannot be built without its name.
use magic_api::types::GreTunnelCreateRequest;

fn main() {
    let _body = GreTunnelCreateRequest::new("203.0.113.1", "203.0.113.2", "192.0.2.0/31");
}
