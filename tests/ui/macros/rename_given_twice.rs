// One wire name per field.
#[magic_api::wire]
pub struct Tunnel {
    #[serde(rename = "name")]
    #[serde(rename = "title")]
    pub name: String,
}

fn main() {}
