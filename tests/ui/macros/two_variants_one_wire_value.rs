// Each wire value names one variant.
#[magic_api::wire_enum]
pub enum Rate {
    #[wire = "low"]
    Low,
    #[wire = "low"]
    Slow,
}

fn main() {}
