//! Full-text search in the browser: the query language ([`query`]), its
//! evaluation against the index chunks a query needs ([`eval`]), and what a
//! loaded transcript says about a hit: passages, highlights, exact phrases
//! ([`snippet`]). The index format and tokenizer are the corpus crate's
//! ([`stenogram_corpus::search`]), so the app reads words exactly as the
//! preprocessor wrote them.

pub mod eval;
pub mod query;
pub mod snippet;
