// `#[wire_enum]` is for string enums; structs take `#[wire]`.
#[magic_api::wire_enum]
pub struct Tunnel {
    pub name: String,
}

fn main() {}
