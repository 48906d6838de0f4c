//! A downstream program for `cargo xtask build-times`, written the way a user writes one: one
//! call of each kind the client has (a list, a create with a body built from a builder, a stream
//! across pages, a get, a download to a file), so the figure sees what each kind costs the
//! program that awaits it.

use magic_api::types::{IpsecTunnelRequest, MagicHealthCheckTarget, TunnelHealthCheck};
use magic_api::{AccountId, Client, ConnectorId, Error, PcapId, StreamExt};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let account = AccountId::from("023e105f4ecef8ad9ca31a8372d0c353");

    // A list.
    let tunnels = client.gre_tunnels().list(&account).await?;
    for tunnel in tunnels.gre_tunnels.unwrap_or_default() {
        println!("GRE {} -> {}", tunnel.name, tunnel.customer_gre_endpoint);
    }

    // A create, its body from a builder (the body carries a form header).
    let target = MagicHealthCheckTarget::builder()
        .saved("203.0.113.50")
        .build();
    let request = IpsecTunnelRequest::builder()
        .name("IPsec_1")
        .cloudflare_endpoint("203.0.113.1")
        .interface_address("192.0.2.0/31")
        .health_check(TunnelHealthCheck::builder().target(target).build())
        .build();
    let created = client.ipsec_tunnels().create(&account, &request).await?;
    println!("created IPsec tunnel {}", created.id);

    // A stream across pages.
    let connector = ConnectorId::from("c4a7362d577a6c3019a474fd6f485821");
    let to: i64 = 1_700_086_400;
    let mut events = client
        .connectors()
        .events()
        .list(&account, &connector, to - 86_400, to)
        .limit(100)
        .stream();
    while let Some(event) = events.next().await {
        let event = event?;
        println!("{} at {}", event.k, event.t);
    }

    // A get, then a download to a file.
    let pcap = PcapId::from("66802ca5668e47a2b82c2e6746e45037");
    let capture = client.pcaps().get(&account, &pcap).await?;
    println!("{capture:?}");
    let bytes = client
        .pcaps()
        .download(&account, &pcap)
        .await?
        .write_to_file("capture.pcap")
        .await?;
    println!("saved {bytes} bytes");
    Ok(())
}
