// `#[wire_enum]` takes no arguments.
#[magic_api::wire_enum(open)]
pub enum Rate {
    #[wire = "low"]
    Low,
}

fn main() {}
