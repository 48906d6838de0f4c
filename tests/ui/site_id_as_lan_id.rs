// Identifiers are typed: a site id cannot be passed where a LAN id belongs.
use magic_api::{AccountId, Client, Credentials, SiteId};

fn main() {
    let client = Client::new(Credentials::api_token("t")).unwrap();
    let account = AccountId::from("acc");
    let site = SiteId::from("site");
    let _call = client.sites().lans().get(&account, &site, &site);
}
