//! Five operations a typical program calls, for the downstream build-time figure.

use magic_api::{AccountId, Client, Error, GreTunnelId, IpsecTunnelId};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let account = AccountId::from("023e105f4ecef8ad9ca31a8372d0c353");
    let tunnels = client.gre_tunnels().list(&account).await?;
    println!("{tunnels:?}");
    let tunnel = client
        .gre_tunnels()
        .get(&account, &GreTunnelId::from("c4a7362d577a6c3019a474fd6f485821"))
        .await?;
    println!("{tunnel:?}");
    let ipsec = client
        .ipsec_tunnels()
        .get(&account, &IpsecTunnelId::from("c4a7362d577a6c3019a474fd6f485821"))
        .await?;
    println!("{ipsec:?}");
    let sites = client.sites().list(&account).await?;
    println!("{sites:?}");
    let routes = client.routes().list(&account).await?;
    println!("{routes:?}");
    Ok(())
}
