// Two fields cannot share a wire name.
#[magic_api::wire]
pub struct Tunnel {
    pub name: String,
    #[serde(rename = "name")]
    pub title: String,
}

fn main() {}
