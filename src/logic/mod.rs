//! Pure view logic: no Leptos, no web-sys, so all of it is unit-tested
//! natively with `cargo test -p stenogram`.
//!
//! The components only call into these functions and render their results.

pub mod cite;
pub mod corpus;
pub mod density;
pub mod export;
pub mod facets;
pub mod filter;
pub mod search;
pub mod speaker_stats;
pub mod speakers;
pub mod text;
pub mod timeline;
pub mod turns;
pub mod url_state;
pub mod virtual_list;

#[cfg(test)]
pub(crate) mod fixture;
