// A wire name is a string.
#[magic_api::wire]
pub struct Tunnel {
    #[serde(rename = 5)]
    pub name: String,
}

fn main() {}
