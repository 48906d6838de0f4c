// A variant's wire value is a string literal.
#[magic_api::wire_enum]
pub enum Rate {
    #[wire = 3]
    Low,
}

fn main() {}
