// A field may only rename itself on the wire; other serde attributes would change the format
// behind the macro's back.
#[magic_api::wire]
pub struct Tunnel {
    #[serde(default)]
    pub name: String,
}

fn main() {}
