//! `[limits]`: what one person, one address, one client, one number range and one country may
//! cost, and the day's SMS budget. Every limit is on by default; `0` turns a count off.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Duration;

use super::Client;
use crate::core::limits::{ClientCaps, LimitPolicy};

/// Number types the `phonenumber` crate tells apart, by the names the config uses.
pub const NUMBER_TYPES: [&str; 12] = [
    "mobile",
    "fixed_line_or_mobile",
    "fixed_line",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
    "unknown",
];

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Wrong codes for one phone number or address, across sessions and front doors.
    pub wrong_codes_per_hour: u32,
    pub wrong_codes_per_day: u32,
    /// The least time between two messages to one phone number or address, across sessions.
    pub cooldown_per_identifier_secs: u32,
    /// Messages to one phone number or address.
    pub sends_per_identifier_per_10min: u32,
    pub sends_per_identifier_per_day: u32,
    /// Messages asked for from one client address (IPv4 address, IPv6 /64).
    pub sends_per_address_per_minute: u32,
    pub sends_per_address_per_hour: u32,
    /// SMS to one number range (the number without its last three digits).
    pub sms_per_range_per_hour: u32,
    /// Optional daily SMS caps per region, e.g. `{ NO = 5000 }`.
    pub sms_per_country_per_day: BTreeMap<String, u32>,
    /// What the broker may spend on SMS in a day (UTC), in the operator's currency; 0 = no cap.
    pub daily_sms_budget: f64,
    /// The price of one SMS to a region not in `sms_prices`.
    pub sms_price_default: f64,
    /// Prices per region, e.g. `{ NO = 0.04, GB = 0.03 }`.
    pub sms_prices: BTreeMap<String, f64>,
    /// The number types that may receive SMS.
    pub sms_number_types: Vec<String>,
    /// Regions whose numbers may receive SMS; empty means every region (and a warning).
    pub sms_regions: Vec<String>,
    /// The breaker: a range with at least `breaker_min_sends` SMS in an hour of which fewer
    /// than `breaker_min_verified_percent` led to a login is blocked for `breaker_block_secs`.
    pub breaker_min_sends: u32,
    pub breaker_min_verified_percent: u32,
    pub breaker_block_secs: u32,
    /// Failed client authentications at the token endpoint from one address.
    pub auth_failures_per_address_per_10min: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wrong_codes_per_hour: 10,
            wrong_codes_per_day: 30,
            cooldown_per_identifier_secs: 30,
            sends_per_identifier_per_10min: 3,
            sends_per_identifier_per_day: 10,
            sends_per_address_per_minute: 10,
            sends_per_address_per_hour: 50,
            sms_per_range_per_hour: 20,
            sms_per_country_per_day: BTreeMap::new(),
            daily_sms_budget: 100.0,
            sms_price_default: 0.05,
            sms_prices: BTreeMap::new(),
            sms_number_types: vec!["mobile".into(), "fixed_line_or_mobile".into()],
            sms_regions: Vec::new(),
            breaker_min_sends: 20,
            breaker_min_verified_percent: 20,
            breaker_block_secs: 3600,
            auth_failures_per_address_per_10min: 20,
        }
    }
}

/// A two-letter region code the phone number database knows.
pub fn valid_region(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && code.parse::<phonenumber::country::Id>().is_ok()
}

impl Limits {
    pub fn validate(&self, err: &mut impl FnMut(&str, String)) {
        let price = |p: f64| (0.0..=1000.0).contains(&p);
        if !self.daily_sms_budget.is_finite() || self.daily_sms_budget < 0.0 {
            err(
                "limits.daily_sms_budget",
                "must be a positive amount, or 0 for no cap".into(),
            );
        }
        if !price(self.sms_price_default) {
            err(
                "limits.sms_price_default",
                "must be an amount between 0 and 1000".into(),
            );
        }
        for (region, p) in &self.sms_prices {
            if !valid_region(region) {
                err(&format!("limits.sms_prices.{region}"), REGION_RULE.into());
            } else if !price(*p) {
                err(
                    &format!("limits.sms_prices.{region}"),
                    "must be an amount between 0 and 1000".into(),
                );
            }
        }
        for region in self.sms_per_country_per_day.keys() {
            if !valid_region(region) {
                err(
                    &format!("limits.sms_per_country_per_day.{region}"),
                    REGION_RULE.into(),
                );
            }
        }
        check_regions("limits.sms_regions", &self.sms_regions, err);
        for t in &self.sms_number_types {
            if !NUMBER_TYPES.contains(&t.as_str()) {
                err(
                    "limits.sms_number_types",
                    format!(
                        "unknown number type {t:?}; known: {}",
                        NUMBER_TYPES.join(", ")
                    ),
                );
            }
        }
        if self.breaker_min_verified_percent > 100 {
            err(
                "limits.breaker_min_verified_percent",
                "must be between 0 and 100".into(),
            );
        }
        if self.cooldown_per_identifier_secs > 600 {
            err(
                "limits.cooldown_per_identifier_secs",
                "must be at most 600".into(),
            );
        }
        if !(60..=7 * 86_400).contains(&self.breaker_block_secs) {
            err(
                "limits.breaker_block_secs",
                "must be between 60 and 604800".into(),
            );
        }
    }

    /// The core's policy, with each client's own caps.
    pub fn policy(&self, clients: &[Client]) -> LimitPolicy {
        let micros = |amount: f64| (amount * 1_000_000.0).round() as u64;
        LimitPolicy {
            wrong_codes_per_hour: self.wrong_codes_per_hour,
            wrong_codes_per_day: self.wrong_codes_per_day,
            cooldown_per_identifier: Duration::seconds(self.cooldown_per_identifier_secs.into()),
            sends_per_identifier_per_10min: self.sends_per_identifier_per_10min,
            sends_per_identifier_per_day: self.sends_per_identifier_per_day,
            sends_per_address_per_minute: self.sends_per_address_per_minute,
            sends_per_address_per_hour: self.sends_per_address_per_hour,
            sms_per_range_per_hour: self.sms_per_range_per_hour,
            sms_per_country_per_day: self.sms_per_country_per_day.clone(),
            daily_budget: micros(self.daily_sms_budget),
            price_default: micros(self.sms_price_default),
            prices: self
                .sms_prices
                .iter()
                .map(|(region, price)| (region.clone(), micros(*price)))
                .collect(),
            number_types: self.sms_number_types.clone(),
            regions: self.sms_regions.clone(),
            breaker_min_sends: self.breaker_min_sends,
            breaker_min_verified_percent: self.breaker_min_verified_percent,
            breaker_block: Duration::seconds(self.breaker_block_secs.into()),
            auth_failures_per_address_per_10min: self.auth_failures_per_address_per_10min,
            clients: clients
                .iter()
                .map(|c| {
                    let caps = ClientCaps {
                        sms_per_hour: c.sms_per_hour.unwrap_or(0),
                        sms_per_day: c.sms_per_day.unwrap_or(0),
                        regions: c.sms_regions.clone(),
                    };
                    (c.client_id.clone(), caps)
                })
                .collect(),
        }
    }

    /// Every limit off: for load tests and test fixtures that are about something else.
    pub fn off() -> Limits {
        Limits {
            wrong_codes_per_hour: 0,
            wrong_codes_per_day: 0,
            cooldown_per_identifier_secs: 0,
            sends_per_identifier_per_10min: 0,
            sends_per_identifier_per_day: 0,
            sends_per_address_per_minute: 0,
            sends_per_address_per_hour: 0,
            sms_per_range_per_hour: 0,
            daily_sms_budget: 0.0,
            breaker_min_sends: 0,
            auth_failures_per_address_per_10min: 0,
            ..Limits::default()
        }
    }

    /// What `check-config` and the start-up log say about a configuration that works but is
    /// open to more than it needs to be.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.sms_regions.is_empty() {
            out.push(
                "limits.sms_regions is empty: SMS may go to numbers in every country; list the regions you serve (e.g. [\"NO\", \"SE\"])"
                    .into(),
            );
        }
        out
    }
}

pub const REGION_RULE: &str = "must be a two-letter region code in capitals, such as NO or GB";

pub fn check_regions(key: &str, regions: &[String], err: &mut impl FnMut(&str, String)) {
    for (i, region) in regions.iter().enumerate() {
        if !valid_region(region) {
            err(&format!("{key}[{i}]"), REGION_RULE.into());
        }
    }
}
