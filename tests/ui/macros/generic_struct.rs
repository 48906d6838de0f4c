// The impls name the type without parameters.
#[magic_api::wire]
pub struct Page<T> {
    pub items: Vec<T>,
}

fn main() {}
