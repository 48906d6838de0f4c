// `#[wire(…)]` on a field says only `preset`.
#[magic_api::wire]
pub struct Tunnel {
    #[wire(skip)]
    pub name: String,
}

fn main() {}
