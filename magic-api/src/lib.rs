//! Typed async client for the Cloudflare Magic Transit API.
