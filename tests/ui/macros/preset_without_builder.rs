// A preset only means something to a builder.
#[magic_api::wire]
pub struct Site {
    #[wire(preset = "magic-transit")]
    pub system: String,
}

fn main() {}
