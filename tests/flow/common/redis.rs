//! A real redis-server on a free loopback port, stopped when dropped: the same one loadgen
//! starts, from the helpers they share.

pub use testkit::RedisServer;
