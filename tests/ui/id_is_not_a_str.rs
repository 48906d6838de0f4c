// An id is passed along, not edited: it has no `Deref<Target = str>` (its documentation page
// would list every `str` method), so `str` methods need `as_str()` first.
use magic_api::SiteId;

fn main() {
    let site = SiteId::from("023e105f4ecef8ad9ca31a8372d0c353");
    let _ = site.as_str().len(); // the one way in
    let _ = site == "023e105f4ecef8ad9ca31a8372d0c353"; // and comparisons with strings
    let _ = site.len();
}
