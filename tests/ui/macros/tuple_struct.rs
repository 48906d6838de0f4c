// `#[wire]` needs named fields: the wire is a JSON object.
#[magic_api::wire]
pub struct Tunnel(pub String);

fn main() {}
