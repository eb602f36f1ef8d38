//! Any query string into the app's URL-state decoder: no panic, and decoding
//! is a normalisation: encoding the decoded state and decoding it again
//! gives the same state, with nothing left to ignore.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stenogram::logic::url_state::{decode, encode};

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let first = decode(query);
    let again = decode(&encode(&first.state));
    assert_eq!(first.state, again.state);
    assert!(again.ignored.is_empty(), "{:?}", again.ignored);
});
