// Types the API only sends are `#[non_exhaustive]`: a field Cloudflare adds later must not break
// callers, so callers cannot build them with a struct literal (they decode them instead).
use magic_api::types::{ConnectorEvent, StartUpgrade};

fn main() {
    let _event = ConnectorEvent::StartUpgrade(StartUpgrade {
        extra: Default::default(),
    });
}
