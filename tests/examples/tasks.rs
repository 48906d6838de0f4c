//! Eight everyday Magic Transit tasks, as a user of `magic-api` writes them. Run it against the
//! API (or the test suite's mock) with `CLOUDFLARE_EMAIL`, `CLOUDFLARE_API_KEY`,
//! `CLOUDFLARE_ACCOUNT_ID` and optionally `CLOUDFLARE_BASE_URL` set:
//! `cargo run -p magic-api-tests --example tasks`. The test suite runs [`run`] on the mock.

use std::pin::pin;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use magic_api::types::{
    AclConfiguration as Side, AclCreateRequest, EventKind, IpsecTunnelRequest, LanCreateRequest,
    LanStaticAddressing, MagicHealthCheckTarget, PcapSimpleRequest, PcapStatus,
    RouteBulkUpdateItem, RouteBulkUpdateRequest, SiteCreateRequest, TunnelHealthCheck,
};
use magic_api::{AccountId, Client, ConnectorId, RetryPolicy, RouteId, StreamExt};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    // 8. Authenticate with e-mail + key from the environment (CLOUDFLARE_EMAIL, _API_KEY).
    let client = Client::from_env()?;
    let account = AccountId::new(std::env::var("CLOUDFLARE_ACCOUNT_ID")?);
    run(&client, &account).await
}

/// Tasks 1 to 7 with a configured client.
pub async fn run(client: &Client, account: &AccountId) -> Result<()> {
    // 1. List the GRE tunnels.
    let gre = client.gre_tunnels().list(account).await?;
    for tunnel in gre.gre_tunnels.unwrap_or_default() {
        println!("GRE {:<34} {}", tunnel.id, tunnel.name);
    }

    // 2. Create an IPsec tunnel with an object health-check target, validating first; a 409
    //    (the tunnel exists) is not a failure.
    let target = MagicHealthCheckTarget::builder().saved("203.0.113.50");
    let ipsec = IpsecTunnelRequest::builder()
        .name("IPsec_1")
        .cloudflare_endpoint("203.0.113.1")
        .interface_address("192.0.2.0/31")
        .health_check(TunnelHealthCheck::builder().target(target.build()).build())
        .build();
    let tunnels = client.ipsec_tunnels();
    let created = async {
        tunnels.create(account, &ipsec).validate_only(true).await?;
        tunnels.create(account, &ipsec).await
    };
    match created.await {
        Ok(tunnel) => println!("created IPsec tunnel {}", tunnel.id),
        Err(e) if e.status() == Some(409) => println!("exists: {:?}", e.api_errors()),
        Err(e) => return Err(e.into()),
    }

    // 3. A site, two LANs on it with static addressing, and an ACL between them.
    let site = SiteCreateRequest::builder().name("branch-1").build();
    let site = client.sites().create(account, &site).await?;
    let site = site.id.ok_or("no site id")?;
    let mut lans = Vec::new();
    for (port, address) in [(1, "192.0.2.1/24"), (2, "198.51.100.1/24")] {
        let addressing = LanStaticAddressing::builder().address(address).build();
        let lan = LanCreateRequest::builder().physport(port);
        let lan = lan.static_addressing(addressing).build();
        let created = client.sites().lans().create(account, &site, &lan).await?;
        lans.extend(created.into_iter().filter_map(|lan| lan.id));
    }
    let [first, second] = lans.as_slice() else {
        return Err("expected two LANs".into());
    };
    let acl = AclCreateRequest::builder()
        .name("lan1-to-lan2")
        .lan_1(Side::builder().lan_id(first).build())
        .lan_2(Side::builder().lan_id(second).build())
        .build();
    let acl = client.sites().acls().create(account, &site, &acl).await?;
    println!("ACL {:?} on site {site}", acl.id);

    // 4. Change a route's priority, sending only what changes (nothing read first, so nothing
    //    stale is written back); a 429 is retried after `Retry-After`, up to five times.
    let route = RouteId::from("023e105f4ecef8ad9ca31a8372d0c353");
    let change = RouteBulkUpdateItem::builder()
        .id(route.clone())
        .priority(200);
    let body = RouteBulkUpdateRequest::builder()
        .routes([change.build()])
        .build();
    let update = client.routes().bulk_update(account, &body);
    match update
        .retry_policy(RetryPolicy::default().max_retries(5))
        .await
    {
        Ok(_) => println!("route {route} now has priority 200"),
        Err(e) if e.status() == Some(429) => println!("still rate limited; try later"),
        Err(e) => return Err(e.into()),
    }

    // 5. Stream a connector's `Init` events of the last hour.
    let connector = ConnectorId::from("c4a7362d577a6c3019a474fd6f485821");
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let events = client.connectors().events();
    let list = events.list(account, &connector, now - 3600, now);
    let mut stream = pin!(list.k(EventKind::Init).stream());
    while let Some(event) = stream.next().await {
        let event = event?;
        println!("event {} #{} at {}", event.k, event.n, event.t);
    }

    // 6. Create a simple PCAP, poll it until it is done, download it.
    let pcaps = client.pcaps();
    let request = PcapSimpleRequest::builder().packet_limit(10_000);
    let request = request.time_limit(300).build().into();
    let pcap = pcaps.create(account, &request).await?;
    let id = pcap.id().ok_or("the PCAP has no id")?.clone();
    loop {
        match pcaps.get(account, &id).await?.status() {
            Some(PcapStatus::Success) => break,
            Some(PcapStatus::Failed) => return Err("the capture failed".into()),
            _ => tokio::time::sleep(Duration::from_secs(5)).await,
        }
    }
    let file = std::env::temp_dir().join(format!("{id}.pcap"));
    let download = pcaps.download(account, &id).await?;
    let bytes = download.write_to_file(&file).await?;
    println!("{bytes} bytes in {}", file.display());
    Ok(())
}
