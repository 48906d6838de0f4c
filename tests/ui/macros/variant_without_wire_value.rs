// Every variant names its wire value.
#[magic_api::wire_enum]
pub enum Rate {
    #[wire = "low"]
    Low,
    High,
}

fn main() {}
