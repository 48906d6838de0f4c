// `#[wire]` is for structs; string enums take `#[wire_enum]`.
#[magic_api::wire]
pub enum Rate {
    Low,
}

fn main() {}
