//! Where records live: in this process's memory (the embedded default), or in Redis for
//! several instances. Both implement the core's `Store` trait and pass the same test suite.

pub mod memory;
pub mod redis;
