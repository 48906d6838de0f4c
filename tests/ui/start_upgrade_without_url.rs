// `StartUpgrade` requires its `url`.
use magic_api::types::{ConnectorEvent, StartUpgrade};

fn main() {
    let _event = ConnectorEvent::StartUpgrade(StartUpgrade {
        extra: Default::default(),
    });
}
