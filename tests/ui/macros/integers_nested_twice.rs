// Exact integers nest in at most one `Vec`.
#[magic_api::wire]
pub struct Ports {
    pub ranges: Vec<Vec<i64>>,
}

fn main() {}
