//! Thin CLI over the corpus library.
fn main() {}
