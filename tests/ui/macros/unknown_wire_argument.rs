// `#[wire]` takes `builder` or nothing; anything else is refused where it is written.
#[magic_api::wire(bilder)]
pub struct Tunnel {
    pub name: String,
}

fn main() {}
