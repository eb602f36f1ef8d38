//! Stenogram's browser app: a static, in-browser reader for transcripts of
//! political events.
//!
//! - [`logic`]: pure view logic (filtering, sorting, grouping, URL state,
//!   "only their turns"), unit-tested natively.
//! - [`api`]: fetching and decoding the corpus bundle.
//! - [`app`] and [`components`]: the Leptos views, one file per component.

pub mod after_paint;
pub mod api;
pub mod app;
pub mod components;
pub mod focus;
pub mod logic;
pub mod search_state;
pub mod state;

pub use app::App;
