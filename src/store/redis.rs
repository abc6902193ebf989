//! Records in Redis (one server, or a Redis Cluster), shared by every instance. Each record is a
//! hash (`v` version, `d` data) with a TTL; insert and compare-and-set are Lua scripts on one
//! key, so they are atomic on the server and route to one cluster slot. Keys carry a hash tag
//! (`idb:session:{id}`) so that related keys can share a slot.

use std::time::Duration as StdDuration;

use async_trait::async_trait;
use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::{Client, Cmd, Pipeline, RedisFuture, Script, Value};
use time::Duration;
use tokio::sync::OnceCell;

use crate::core::ports::{Entry, Space, Store, StoreError};

/// How long one Redis call may take before the request gives up.
const TIMEOUT: StdDuration = StdDuration::from_secs(2);

const INSERT: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', '1', 'd', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1";

const REPLACE: &str = r"
local v = redis.call('HGET', KEYS[1], 'v')
if (not v) or v ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', tostring(tonumber(v) + 1), 'd', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1";

enum Target {
    Server(Client),
    Cluster(Box<ClusterClient>),
}

/// A connection to either; both reconnect by themselves.
#[derive(Clone)]
enum Connection {
    Server(ConnectionManager),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Connection::Server(c) => c.req_packed_command(cmd),
            Connection::Cluster(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Server(c) => c.req_packed_commands(pipeline, offset, count),
            Connection::Cluster(c) => c.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Server(c) => c.get_db(),
            Connection::Cluster(c) => c.get_db(),
        }
    }
}

pub struct RedisStore {
    target: Target,
    /// Connected on first use, so the broker starts (and answers 503) while Redis is down.
    connection: OnceCell<Connection>,
    insert: Script,
    replace: Script,
}

impl RedisStore {
    /// One Redis server.
    pub fn new(url: &str) -> Result<RedisStore, String> {
        let client = Client::open(url).map_err(|e| format!("store.url: {e}"))?;
        Ok(RedisStore::with(Target::Server(client)))
    }

    /// A Redis Cluster, reached through any of its nodes.
    pub fn cluster(urls: &[String]) -> Result<RedisStore, String> {
        let client = ClusterClient::builder(urls.iter().map(String::as_str))
            .connection_timeout(TIMEOUT)
            .response_timeout(TIMEOUT)
            .build()
            .map_err(|e| format!("store.urls: {e}"))?;
        Ok(RedisStore::with(Target::Cluster(Box::new(client))))
    }

    fn with(target: Target) -> RedisStore {
        RedisStore {
            target,
            connection: OnceCell::new(),
            insert: Script::new(INSERT),
            replace: Script::new(REPLACE),
        }
    }

    async fn connection(&self) -> Result<Connection, StoreError> {
        let connection = self
            .connection
            .get_or_try_init(|| async {
                match &self.target {
                    Target::Server(client) => {
                        let config = ConnectionManagerConfig::new()
                            .set_connection_timeout(Some(TIMEOUT))
                            .set_response_timeout(Some(TIMEOUT))
                            .set_number_of_retries(1);
                        ConnectionManager::new_with_config(client.clone(), config)
                            .await
                            .map(Connection::Server)
                    }
                    Target::Cluster(client) => {
                        client.get_async_connection().await.map(Connection::Cluster)
                    }
                }
            })
            .await
            .map_err(unavailable)?;
        Ok(connection.clone())
    }
}

fn unavailable(e: redis::RedisError) -> StoreError {
    StoreError::Unavailable(format!("{:?}", e.kind()))
}

fn key(space: Space, key: &str) -> String {
    format!("idb:{}:{{{key}}}", space.name())
}

fn millis(ttl: Duration) -> i64 {
    ttl.whole_milliseconds().clamp(1, i64::MAX as i128) as i64
}

#[async_trait]
impl Store for RedisStore {
    async fn insert(
        &self,
        space: Space,
        id: &str,
        value: Vec<u8>,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let mut connection = self.connection().await?;
        let inserted: i64 = self
            .insert
            .key(key(space, id))
            .arg(value)
            .arg(millis(ttl))
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(inserted == 1)
    }

    async fn get(&self, space: Space, id: &str) -> Result<Option<Entry>, StoreError> {
        let mut connection = self.connection().await?;
        let (version, value): (Option<u64>, Option<Vec<u8>>) = redis::cmd("HMGET")
            .arg(key(space, id))
            .arg("v")
            .arg("d")
            .query_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(match (version, value) {
            (Some(version), Some(value)) => Some(Entry { value, version }),
            _ => None,
        })
    }

    async fn replace(
        &self,
        space: Space,
        id: &str,
        version: u64,
        value: Vec<u8>,
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let mut connection = self.connection().await?;
        let replaced: i64 = self
            .replace
            .key(key(space, id))
            .arg(version.to_string())
            .arg(value)
            .arg(millis(ttl))
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(replaced == 1)
    }
}
