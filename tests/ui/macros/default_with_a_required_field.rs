// `Default` is the generator's decision, and only a type whose every field is optional can
// have it: a required field would start out with a made-up value.
#[magic_api::wire(default)]
pub struct Site {
    pub name: String,
    pub description: Option<String>,
}

fn main() {}
