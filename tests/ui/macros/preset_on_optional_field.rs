// A preset is where a required field starts; an optional field starts unset.
#[magic_api::wire(builder)]
pub struct Site {
    #[wire(preset = "magic-transit")]
    pub system: Option<String>,
}

fn main() {}
