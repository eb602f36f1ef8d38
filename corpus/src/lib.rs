//! Stenogram's corpus crate: everything between raw transcript text and the
//! JSON the app reads.
//!
//! - [`model`]: the serde types of the data (the in-memory `Bundle`, and the
//!   site layout: `Index` plus `Shard`s), shared with the app (the JSON
//!   contract has this one definition).
//! - [`text`]: bytes -> normalised lines (BOM, CRLF, NBSP, zero-width, bad UTF-8).
//! - [`parse`]: the kremlin.ru "text version" export -> records, with
//!   diagnostics that name file, line and reason instead of panicking.
//! - [`labels`]: which paragraphs open a speaker turn.
//! - [`speakers`]: label variants -> one speaker identity across the corpus
//!   (`Names` learnt from the corpus, a `Resolver` fed event by event).
//! - [`bundle`]: files and folders -> a [`model::Bundle`] in memory, with
//!   counts that add up (tests, eval, the lossless check).
//! - [`site`]: files and folders -> the site's data folder (`index.json` and
//!   content-addressed shards), streamed: parsed in parallel, transcripts
//!   spilled to disk, the same events, ids and speakers as [`bundle`].
//! - [`generate`]: a deterministic scale corpus in the raw format, for benchmarks.
//! - [`reconstruct`]: a parsed record back in the export's layout (the lossless check).
//! - [`eval`]: fidelity figures against the dev set's `truth.jsonl`.
//!
//! - [`search`]: the search tokenizer, stemmer and index format (shared with
//!   the app, which decodes the chunks a query needs).
//! - [`search_build`]: the search index, built while [`site`] streams.
//!
//! Only [`model`] and [`search`] are compiled into the app; the rest is
//! preprocessing.

pub mod model;
pub mod search;

#[cfg(not(target_arch = "wasm32"))]
pub mod bundle;
#[cfg(not(target_arch = "wasm32"))]
pub mod eval;
#[cfg(not(target_arch = "wasm32"))]
mod file_writer;
#[cfg(not(target_arch = "wasm32"))]
pub mod generate;
#[cfg(not(target_arch = "wasm32"))]
pub mod labels;
#[cfg(not(target_arch = "wasm32"))]
pub mod parse;
#[cfg(not(target_arch = "wasm32"))]
pub mod reconstruct;
#[cfg(not(target_arch = "wasm32"))]
pub mod search_build;
#[cfg(not(target_arch = "wasm32"))]
mod shard_json;
#[cfg(not(target_arch = "wasm32"))]
pub mod site;
#[cfg(not(target_arch = "wasm32"))]
pub mod speakers;
#[cfg(not(target_arch = "wasm32"))]
pub mod text;
