// The impls name the type without parameters.
#[magic_api::wire_enum]
pub enum Rate<T> {
    #[wire = "low"]
    Low,
    Phantom(std::marker::PhantomData<T>),
}

fn main() {}
