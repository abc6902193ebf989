//! Limits that hold across sessions, front doors and instances: how many codes may go to one
//! person, one client address, one client, one number range and one country, what the day's
//! SMS may cost, how many wrong codes one person may be tried with, and which numbers may get
//! an SMS at all. The counters live in the store (`Store::count`), so every instance enforces
//! one limit; every check is one call, all counters at once or none.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use time::{Duration, OffsetDateTime};

use super::clock::Clock;
use super::keys::Key;
use super::phone;
use super::ports::{Count, Store, StoreError};
use super::provider::Channel;

/// What one client may have its sessions send; `0` is no cap.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientCaps {
    pub sms_per_hour: u32,
    pub sms_per_day: u32,
    /// Regions its users may get SMS in; empty is every region the broker allows.
    pub regions: Vec<String>,
}

/// The limits, read from `[limits]`. Every count of `0` is off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LimitPolicy {
    pub wrong_codes_per_hour: u32,
    pub wrong_codes_per_day: u32,
    /// The least time between two messages to one identifier, whatever the session.
    pub cooldown_per_identifier: Duration,
    pub sends_per_identifier_per_10min: u32,
    pub sends_per_identifier_per_day: u32,
    pub sends_per_address_per_minute: u32,
    pub sends_per_address_per_hour: u32,
    pub sms_per_range_per_hour: u32,
    pub sms_per_country_per_day: BTreeMap<String, u32>,
    /// The day's SMS budget in millionths of the operator's currency; `0` is no cap.
    pub daily_budget: u64,
    pub price_default: u64,
    pub prices: BTreeMap<String, u64>,
    /// Number types (`mobile`, …) that may get an SMS.
    pub number_types: Vec<String>,
    /// Regions whose numbers may get an SMS; empty is every region.
    pub regions: Vec<String>,
    pub breaker_min_sends: u32,
    pub breaker_min_verified_percent: u32,
    pub breaker_block: Duration,
    pub auth_failures_per_address_per_10min: u32,
    pub clients: HashMap<String, ClientCaps>,
}

/// Why a limit said no. Each carries how long until it says yes, never less than the truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Limited {
    /// Too many codes or guesses for this person, address or client.
    #[error("too many attempts; wait {} s", .wait.whole_seconds())]
    TooMany { wait: Duration },
    /// A message went to this identifier a moment ago.
    #[error("a code was sent a moment ago; wait {} s", .wait.whole_seconds())]
    Cooldown { wait: Duration },
    /// The operator's caps (the day's budget, a country's cap) allow no SMS now.
    #[error("no SMS can be sent now; wait {} s", .wait.whole_seconds())]
    SmsUnavailable { wait: Duration },
}

impl Limited {
    /// A name for the metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Limited::TooMany { .. } => "too_many",
            Limited::Cooldown { .. } => "cooldown",
            Limited::SmsUnavailable { .. } => "sms_unavailable",
        }
    }

    pub fn wait(&self) -> Duration {
        match *self {
            Limited::TooMany { wait }
            | Limited::Cooldown { wait }
            | Limited::SmsUnavailable { wait } => wait,
        }
    }

    /// Whole seconds, rounded up: a client that waits this long finds room.
    pub fn wait_secs(&self) -> i64 {
        let wait = self.wait();
        let secs = wait.whole_seconds();
        (if wait > Duration::seconds(secs) {
            secs + 1
        } else {
            secs
        })
        .max(1)
    }

    /// Whole minutes, rounded up, for people.
    pub fn wait_minutes(&self) -> i64 {
        (self.wait_secs() + 59) / 60
    }
}

/// Why a number may not get an SMS at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Undeliverable {
    #[error("the number's type may not receive SMS")]
    NumberType,
    #[error("the number's region may not receive SMS")]
    Region,
}

/// One message about to go out.
pub struct Send<'a> {
    pub channel: Channel,
    /// The normalized phone number or e-mail address.
    pub identifier: &'a str,
    pub client_id: &'a str,
    /// The client address the request came from, when known.
    pub address: Option<IpAddr>,
    /// The phone number's region (SMS), for its price and its country's cap.
    pub region: Option<&'a str>,
}

/// What a send counted; handed back when the message did not go out.
#[must_use]
pub struct Ticket {
    taken: Vec<Count>,
}

/// What a code check came to, for the counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checked {
    /// A wrong code: it stays counted against the person.
    Wrong,
    /// The right code: the person is verified.
    Verified,
    /// Neither (an expired code, a refusal): the try is given back.
    Other,
}

/// What a counter is about, to say why a call was refused.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Person,
    Cooldown,
    Operator,
    /// Counted for the breaker only: never refuses.
    Breaker,
}

const MINUTE: Duration = Duration::minutes(1);
const HOUR: Duration = Duration::hours(1);
const DAY: Duration = Duration::days(1);

pub struct Limiter {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    key: Key,
    policy: LimitPolicy,
}

impl Limiter {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        key: Key,
        policy: LimitPolicy,
    ) -> Limiter {
        Limiter {
            store,
            clock,
            key,
            policy,
        }
    }

    pub fn policy(&self) -> &LimitPolicy {
        &self.policy
    }

    /// Whether a number may get an SMS at all: its type, the broker's regions and the client's.
    pub fn deliverable(
        &self,
        client_id: &str,
        destination: &phone::Destination,
    ) -> Result<(), Undeliverable> {
        if !self
            .policy
            .number_types
            .iter()
            .any(|t| t == destination.kind)
        {
            return Err(Undeliverable::NumberType);
        }
        let client_regions = self
            .policy
            .clients
            .get(client_id)
            .map(|c| c.regions.as_slice())
            .unwrap_or_default();
        for allowed in [self.policy.regions.as_slice(), client_regions] {
            if !allowed.is_empty()
                && !destination
                    .region
                    .as_ref()
                    .is_some_and(|r| allowed.contains(r))
            {
                return Err(Undeliverable::Region);
            }
        }
        Ok(())
    }

    /// Counts one message against every limit it falls under, or refuses it and counts nothing.
    pub async fn before_send(
        &self,
        send: &Send<'_>,
    ) -> Result<Result<Ticket, Limited>, StoreError> {
        let now = self.clock.now();
        let p = &self.policy;
        let who = self.name(send.identifier);
        let mut counts: Vec<(Count, Kind)> = Vec::new();
        let mut add = |kind: Kind, key: String, limit: u32, cost: i64, ttl: Duration| {
            if limit > 0 {
                counts.push((count(key, u64::from(limit), cost, ttl), kind));
            }
        };
        // Someone guessing codes for this person gets no more codes to guess at.
        add(
            Kind::Person,
            format!("wrong:h:{who}"),
            p.wrong_codes_per_hour,
            0,
            HOUR,
        );
        add(
            Kind::Person,
            format!("wrong:d:{who}"),
            p.wrong_codes_per_day,
            0,
            DAY,
        );
        if p.cooldown_per_identifier > Duration::ZERO {
            add(
                Kind::Cooldown,
                format!("cool:{who}"),
                1,
                1,
                p.cooldown_per_identifier,
            );
        }
        add(
            Kind::Person,
            format!("send:10m:{who}"),
            p.sends_per_identifier_per_10min,
            1,
            10 * MINUTE,
        );
        add(
            Kind::Person,
            format!("send:d:{who}"),
            p.sends_per_identifier_per_day,
            1,
            DAY,
        );
        if let Some(address) = send.address {
            let at = self.name(&address_key(address));
            add(
                Kind::Person,
                format!("addr:m:{at}"),
                p.sends_per_address_per_minute,
                1,
                MINUTE,
            );
            add(
                Kind::Person,
                format!("addr:h:{at}"),
                p.sends_per_address_per_hour,
                1,
                HOUR,
            );
        }
        let mut breaker = None;
        if send.channel == Channel::Sms {
            let caps = p.clients.get(send.client_id).cloned().unwrap_or_default();
            let client = self.name(send.client_id);
            add(
                Kind::Person,
                format!("client:h:{client}"),
                caps.sms_per_hour,
                1,
                HOUR,
            );
            add(
                Kind::Person,
                format!("client:d:{client}"),
                caps.sms_per_day,
                1,
                DAY,
            );
            let range = self.name(phone::range(send.identifier));
            add(
                Kind::Person,
                format!("range:h:{range}"),
                p.sms_per_range_per_hour,
                1,
                HOUR,
            );
            // A blocked range: a counter that exists for the block's length.
            add(
                Kind::Person,
                format!("block:{range}"),
                1,
                0,
                p.breaker_block,
            );
            let region = send.region;
            let (day, day_left) = day_of(now);
            if let Some(region) = region
                && let Some(cap) = p.sms_per_country_per_day.get(region)
            {
                // A cap of 0 sends nothing there: a peek at an empty counter with no room.
                let cost = i64::from(*cap > 0);
                counts.push((
                    count(
                        format!("country:{region}:{day}"),
                        u64::from(*cap),
                        cost,
                        day_left,
                    ),
                    Kind::Operator,
                ));
            }
            if p.daily_budget > 0 {
                let price = region
                    .and_then(|r| p.prices.get(r))
                    .copied()
                    .unwrap_or(p.price_default);
                counts.push((
                    count(
                        format!("budget:{day}"),
                        p.daily_budget,
                        price as i64,
                        day_left,
                    ),
                    Kind::Operator,
                ));
            }
            if p.breaker_min_sends > 0 {
                let hour = now.unix_timestamp().div_euclid(3600);
                let hour_left = Duration::seconds(3600 - now.unix_timestamp().rem_euclid(3600));
                breaker = Some((counts.len(), range.clone()));
                counts.push((
                    count(format!("brk:s:{range}:{hour}"), u64::MAX, 1, hour_left),
                    Kind::Breaker,
                ));
                counts.push((
                    count(format!("brk:v:{range}:{hour}"), u64::MAX, 0, hour_left),
                    Kind::Breaker,
                ));
            }
        }
        let (counts, kinds): (Vec<Count>, Vec<Kind>) = counts.into_iter().unzip();
        let tally = self.store.count(&counts, self.clock.now()).await?;
        if let Some((i, wait)) = tally.refused {
            let limited = match kinds[i] {
                Kind::Cooldown => Limited::Cooldown { wait },
                Kind::Operator => {
                    self.log_operator_cap(now, &counts[i].key).await;
                    Limited::SmsUnavailable { wait }
                }
                Kind::Person | Kind::Breaker => Limited::TooMany { wait },
            };
            return Ok(Err(limited));
        }
        if let Some((i, range)) = breaker {
            let (sends, verified) = (tally.values[i], tally.values[i + 1]);
            if sends >= u64::from(p.breaker_min_sends)
                && verified * 100 < sends * u64::from(p.breaker_min_verified_percent)
            {
                self.trip(&range, sends, verified).await;
            }
        }
        let taken = counts.into_iter().filter(|c| c.cost > 0).collect();
        Ok(Ok(Ticket { taken }))
    }

    /// The message did not go out: what it counted is given back.
    pub async fn send_failed(&self, ticket: Ticket) {
        let refund: Vec<Count> = ticket
            .taken
            .into_iter()
            .map(|c| Count { cost: -c.cost, ..c })
            .collect();
        if let Err(e) = self.store.count(&refund, self.clock.now()).await {
            tracing::warn!(error = %e, "could not give back a failed send's counts");
        }
    }

    /// Counts a code check against the person before the code is looked at, so that
    /// concurrent guesses cannot overtake the limit.
    pub async fn before_check(&self, identifier: &str) -> Result<Result<(), Limited>, StoreError> {
        let counts = self.wrong_counts(identifier, 1);
        match self.store.count(&counts, self.clock.now()).await?.refused {
            Some((_, wait)) => Ok(Err(Limited::TooMany { wait })),
            None => Ok(Ok(())),
        }
    }

    /// Settles a check counted by `before_check`.
    pub async fn after_check(&self, channel: Channel, identifier: &str, checked: Checked) {
        let mut counts = Vec::new();
        if checked != Checked::Wrong {
            counts = self.wrong_counts(identifier, -1);
        }
        if checked == Checked::Verified
            && channel == Channel::Sms
            && self.policy.breaker_min_sends > 0
        {
            let now = self.clock.now();
            let hour = now.unix_timestamp().div_euclid(3600);
            let hour_left = Duration::seconds(3600 - now.unix_timestamp().rem_euclid(3600));
            let range = self.name(phone::range(identifier));
            counts.push(count(
                format!("brk:v:{range}:{hour}"),
                u64::MAX,
                1,
                hour_left,
            ));
        }
        if counts.is_empty() {
            return;
        }
        if let Err(e) = self.store.count(&counts, self.clock.now()).await {
            tracing::warn!(error = %e, "could not settle a code check's counts");
        }
    }

    /// Whether a client may have SMS sent at all now (its caps, the day's budget), without
    /// counting anything: the REST API asks before it opens an SMS-only session.
    pub async fn sms_available(&self, client_id: &str) -> Result<Result<(), Limited>, StoreError> {
        let p = &self.policy;
        let caps = p.clients.get(client_id).cloned().unwrap_or_default();
        let client = self.name(client_id);
        let mut counts = Vec::new();
        let mut kinds = Vec::new();
        for (key, limit, ttl) in [
            (format!("client:h:{client}"), caps.sms_per_hour, HOUR),
            (format!("client:d:{client}"), caps.sms_per_day, DAY),
        ] {
            if limit > 0 {
                counts.push(count(key, u64::from(limit), 0, ttl));
                kinds.push(Kind::Person);
            }
        }
        if p.daily_budget > 0 {
            let (day, day_left) = day_of(self.clock.now());
            // Room left for the cheapest SMS there is (a peek refuses at `value + 1 > limit`).
            let cheapest = p
                .prices
                .values()
                .copied()
                .chain([p.price_default])
                .min()
                .unwrap_or(0);
            let limit = p.daily_budget.saturating_sub(cheapest) + 1;
            counts.push(count(format!("budget:{day}"), limit, 0, day_left));
            kinds.push(Kind::Operator);
        }
        Ok(
            match self.store.count(&counts, self.clock.now()).await?.refused {
                None => Ok(()),
                Some((i, wait)) if kinds[i] == Kind::Operator => {
                    Err(Limited::SmsUnavailable { wait })
                }
                Some((_, wait)) => Err(Limited::TooMany { wait }),
            },
        )
    }

    /// Whether an address may try to authenticate a client again.
    pub async fn before_auth(
        &self,
        address: Option<IpAddr>,
    ) -> Result<Result<(), Limited>, StoreError> {
        let Some(counts) = self.auth_counts(address, 0) else {
            return Ok(Ok(()));
        };
        Ok(
            match self.store.count(&counts, self.clock.now()).await?.refused {
                Some((_, wait)) => Err(Limited::TooMany { wait }),
                None => Ok(()),
            },
        )
    }

    /// A client authentication from this address failed.
    pub async fn auth_failed(&self, address: Option<IpAddr>) {
        if let Some(counts) = self.auth_counts(address, 1)
            && let Err(e) = self.store.count(&counts, self.clock.now()).await
        {
            tracing::warn!(error = %e, "could not count a failed client authentication");
        }
    }

    fn auth_counts(&self, address: Option<IpAddr>, cost: i64) -> Option<Vec<Count>> {
        let limit = self.policy.auth_failures_per_address_per_10min;
        let address = address.filter(|_| limit > 0)?;
        let at = self.name(&address_key(address));
        // The peek refuses once `limit` failures are counted; counting a failure never does.
        let limit = if cost == 0 {
            u64::from(limit)
        } else {
            u64::MAX
        };
        Some(vec![count(format!("auth:{at}"), limit, cost, 10 * MINUTE)])
    }

    fn wrong_counts(&self, identifier: &str, cost: i64) -> Vec<Count> {
        let who = self.name(identifier);
        let p = &self.policy;
        [
            (format!("wrong:h:{who}"), p.wrong_codes_per_hour, HOUR),
            (format!("wrong:d:{who}"), p.wrong_codes_per_day, DAY),
        ]
        .into_iter()
        .filter(|(_, limit, _)| *limit > 0)
        .map(|(key, limit, ttl)| count(key, u64::from(limit), cost, ttl))
        .collect()
    }

    /// Opens the breaker for a range: no SMS to it until the block has run out.
    async fn trip(&self, range: &str, sends: u64, verified: u64) {
        let block = count(
            format!("block:{range}"),
            u64::MAX,
            1,
            self.policy.breaker_block,
        );
        match self.store.count(&[block], self.clock.now()).await {
            // Only the send that opened it says so.
            Ok(tally) if tally.values.first() == Some(&1) => tracing::warn!(
                %range,
                sends,
                verified,
                block_secs = self.policy.breaker_block.whole_seconds(),
                "SMS breaker opened for a number range: many codes, few logins"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not open the SMS breaker"),
        }
    }

    /// One error line an hour while an operator's cap refuses SMS, across instances.
    async fn log_operator_cap(&self, now: OffsetDateTime, key: &str) {
        let hour = now.unix_timestamp().div_euclid(3600);
        let cap = key.split(':').next().unwrap_or("cap");
        let once = count(format!("logged:{cap}:{hour}"), 1, 1, HOUR);
        if let Ok(tally) = self.store.count(&[once], now).await
            && tally.refused.is_none()
        {
            match cap {
                "budget" => tracing::error!(
                    "the day's SMS budget (limits.daily_sms_budget) is spent: no SMS is sent until midnight UTC"
                ),
                _ => tracing::error!(
                    counter = key.split(':').nth(1).unwrap_or(""),
                    "a country's daily SMS cap (limits.sms_per_country_per_day) is reached: no SMS goes there until midnight UTC"
                ),
            }
        }
    }

    /// A keyed name for a value that must not appear in the store in clear (a phone number, an
    /// address, a client id).
    fn name(&self, value: &str) -> String {
        URL_SAFE_NO_PAD.encode(&self.key.mac(&[b"limit", value.as_bytes()])[..12])
    }
}

fn count(key: String, limit: u64, cost: i64, ttl: Duration) -> Count {
    Count {
        key,
        limit,
        cost,
        ttl,
    }
}

/// The UTC day (days since 1970) and the time left in it.
fn day_of(now: OffsetDateTime) -> (i64, Duration) {
    let secs = now.unix_timestamp();
    (
        secs.div_euclid(86_400),
        Duration::seconds(86_400 - secs.rem_euclid(86_400)),
    )
}

/// What one client address counts as: an IPv4 address, or an IPv6 /64 (one subscriber's
/// network; addresses within it are free to pick).
pub fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7");
    }

    #[test]
    fn waits_round_up() {
        let limited = Limited::TooMany {
            wait: Duration::milliseconds(60_001),
        };
        assert_eq!(limited.wait_secs(), 61);
        assert_eq!(limited.wait_minutes(), 2);
        let short = Limited::Cooldown {
            wait: Duration::milliseconds(10),
        };
        assert_eq!(short.wait_secs(), 1);
        assert_eq!(short.wait_minutes(), 1);
    }

    #[test]
    fn days_are_utc_days() {
        let (day, left) = day_of(time::macros::datetime!(2026-12-01 23:00 UTC));
        let (next, _) = day_of(time::macros::datetime!(2026-12-02 00:00 UTC));
        assert_eq!(next, day + 1);
        assert_eq!(left, Duration::hours(1));
    }
}
