//! Where login sessions live. The in-memory store is the embedded default; Redis comes later
//! behind the same `SessionStore` trait.

pub mod memory;
