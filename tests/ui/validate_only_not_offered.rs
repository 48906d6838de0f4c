// Only operations that document `?validate_only=true` have the setter: listing GRE tunnels
// does not.
use magic_api::{AccountId, Client, Credentials};

fn main() {
    let client = Client::new(Credentials::api_token("t")).unwrap();
    let _call = client
        .gre_tunnels()
        .list(&AccountId::from("acc"))
        .validate_only(true);
}
