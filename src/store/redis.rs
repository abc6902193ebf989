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
use time::{Duration, OffsetDateTime};
use tokio::sync::OnceCell;

use crate::core::ports::{Count, Entry, Space, Store, StoreError, Tally};

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

/// `Store::count` on the server: KEYS are the counters, ARGV the caller's time (ms since 1970)
/// and then limit, cost and TTL (ms) for each. A counter is a hash of its value `n` and the
/// time `e` it runs out by the caller's clock (Redis drops the key then too). Answers
/// `{refused index (1-based, 0 for none), its wait in ms, value...}`.
const COUNT: &str = r"
local now = tonumber(ARGV[1])
local values, ends, worst, wait = {}, {}, 0, -1
for i = 1, #KEYS do
  local h = redis.call('HMGET', KEYS[i], 'n', 'e')
  local v, e = tonumber(h[1] or '0'), tonumber(h[2] or '0')
  if e <= now then v, e = 0, 0 end
  values[i], ends[i] = v, e
  local limit, cost, ttl = tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
  if cost >= 0 and v + math.max(cost, 1) > limit then
    local t = ttl
    if e > 0 then t = e - now end
    if t > wait then worst, wait = i, t end
  end
end
if worst > 0 then return {worst, wait, unpack(values)} end
for i = 1, #KEYS do
  local cost, ttl = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
  if cost > 0 then
    local e = ends[i]
    if e == 0 then e = now + ttl end
    values[i] = values[i] + cost
    redis.call('HSET', KEYS[i], 'n', string.format('%.0f', values[i]), 'e', string.format('%.0f', e))
    redis.call('PEXPIRE', KEYS[i], math.max(e - now, 1))
  elseif cost < 0 and values[i] > 0 then
    values[i] = math.max(values[i] + cost, 0)
    redis.call('HSET', KEYS[i], 'n', string.format('%.0f', values[i]))
  end
end
return {0, 0, unpack(values)}";

/// Lua numbers are doubles: limits beyond 2^53 would lose their meaning.
const MAX_EXACT: u64 = 1 << 53;

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
    count: Script,
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
            count: Script::new(COUNT),
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

/// Counters share one hash tag: a `count` call names several of them, and a script's keys must
/// live in one cluster slot.
fn counter_key(key: &str) -> String {
    format!("idb:{}:{{limits}}:{key}", Space::Count.name())
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

    async fn count(&self, counts: &[Count], now: OffsetDateTime) -> Result<Tally, StoreError> {
        if counts.is_empty() {
            return Ok(Tally {
                values: Vec::new(),
                refused: None,
            });
        }
        let mut connection = self.connection().await?;
        let mut invocation = self.count.prepare_invoke();
        invocation.arg((now.unix_timestamp_nanos() / 1_000_000) as i64);
        for c in counts {
            invocation
                .key(counter_key(&c.key))
                .arg(c.limit.min(MAX_EXACT))
                .arg(c.cost.clamp(-(MAX_EXACT as i64), MAX_EXACT as i64))
                .arg(millis(c.ttl));
        }
        let answer: Vec<i64> = invocation
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        let [worst, wait, values @ ..] = &answer[..] else {
            return Err(StoreError::Corrupt("count: short answer".into()));
        };
        Ok(Tally {
            values: values.iter().map(|v| (*v).max(0) as u64).collect(),
            refused: (*worst > 0).then(|| {
                (
                    (*worst - 1) as usize,
                    Duration::milliseconds((*wait).max(0)),
                )
            }),
        })
    }
}
