// String enums' variants carry no data (unknown values go to the `Other` the macro adds).
#[magic_api::wire_enum]
pub enum Rate {
    #[wire = "low"]
    Low(u8),
}

fn main() {}
