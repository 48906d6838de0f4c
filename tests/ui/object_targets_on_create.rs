// Creating a GRE tunnel sets `x-magic-new-hc-target` from the body's health-check target, so
// the header cannot disagree with the body: there is no setter for it.
use magic_api::types::GreTunnelCreateRequest;
use magic_api::{AccountId, Client, Credentials};

fn main() {
    let client = Client::new(Credentials::api_token("t")).unwrap();
    let body = GreTunnelCreateRequest::new("203.0.113.1", "203.0.113.2", "192.0.2.0/31", "GRE_1");
    let _call = client
        .gre_tunnels()
        .create(&AccountId::from("acc"), &body)
        .object_targets(true);
}
