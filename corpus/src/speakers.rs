//! Speaker identity.
