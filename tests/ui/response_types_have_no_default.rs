// Types the API only sends never implement `Default`, even while every field is optional: the
// first required field Cloudflare adds would otherwise take the trait away, breaking code in
// what the change report calls an additive change. Test values are decoded from JSON instead.
use magic_api::types::GreTunnelListResponse;

fn main() {
    let _empty = GreTunnelListResponse::default();
}
