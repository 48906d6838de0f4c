// An id read from one resource's response cannot be passed where another resource's id belongs:
// a LAN's `id` is a `LanId`, and listing a site's LANs takes a `SiteId`.
use magic_api::types::Lan;
use magic_api::{AccountId, Client};

async fn list_lans_of(client: &Client, lan: Lan) {
    let account = AccountId::from("023e105f4ecef8ad9ca31a8372d0c353");
    let Some(lan_id) = lan.id else { return };
    let _ = client.sites().lans().list(&account, &lan_id).await;
}

fn main() {}
