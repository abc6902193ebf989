//! The client's address: the TCP peer, or, when the peer is a trusted proxy, the right-most
//! address in `X-Forwarded-For` (or `Forwarded`) that is not one of ours. Entries to the left
//! of it are the client's own words and count for nothing.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

/// Parses `server.trusted_proxies` (validated at load): CIDR ranges or single addresses.
pub fn trusted_proxies(entries: &[String]) -> Vec<IpNet> {
    entries
        .iter()
        .filter_map(|e| {
            e.parse::<IpNet>()
                .ok()
                .or_else(|| e.parse::<IpAddr>().ok().map(IpNet::from))
        })
        .collect()
}

/// The address a request came from; `None` when the listener gives no peer (a test router).
pub fn client_address(parts: &Parts, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())?;
    Some(through_proxies(peer, &parts.headers, trusted))
}

pub fn through_proxies(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(&canonical(*ip)));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut hops = forwarded_for(headers);
    let mut last = peer;
    while let Some(hop) = hops.pop() {
        match hop {
            Some(ip) if is_trusted(&ip) => last = ip,
            Some(ip) => return ip,
            // A hop we cannot read: the chain is not to be believed past it.
            None => return last,
        }
    }
    last
}

/// The hops named by `X-Forwarded-For`, else by `Forwarded`, left to right.
fn forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or("\u{0}").to_owned())
            .collect()
    };
    let xff = values("x-forwarded-for");
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|v| v.split(','))
            .map(|hop| parse_hop(hop.trim()))
            .collect();
    }
    values("forwarded")
        .iter()
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (k, v) = pair.trim().split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_hop(v.trim().trim_matches('"')))
            })
        })
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = hop.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let trusted = trusted_proxies(&["10.0.0.0/8".into()]);
        let h = headers(&[("x-forwarded-for", "198.51.100.9")]);
        assert_eq!(
            through_proxies(ip("203.0.113.5"), &h, &trusted),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let trusted = trusted_proxies(&["10.0.0.0/8".into(), "127.0.0.1".into()]);
        // The client made up the first entry; our proxies appended the last two.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.7, 10.1.2.3")]);
        assert_eq!(
            through_proxies(ip("127.0.0.1"), &h, &trusted),
            ip("203.0.113.7")
        );
    }

    #[test]
    fn forwarded_is_read_when_there_is_no_x_forwarded_for() {
        let trusted = trusted_proxies(&["10.0.0.0/8".into()]);
        let h = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"",
        )]);
        assert_eq!(
            through_proxies(ip("10.0.0.1"), &h, &trusted),
            ip("2001:db8:cafe::17")
        );
    }

    #[test]
    fn a_chain_of_only_proxies_names_the_leftmost_and_garbage_stops_the_walk() {
        let trusted = trusted_proxies(&["10.0.0.0/8".into()]);
        let h = headers(&[("x-forwarded-for", "10.0.0.9, 10.0.0.8")]);
        assert_eq!(
            through_proxies(ip("10.0.0.1"), &h, &trusted),
            ip("10.0.0.9")
        );
        let h = headers(&[("x-forwarded-for", "evil, 10.0.0.8")]);
        assert_eq!(
            through_proxies(ip("10.0.0.1"), &h, &trusted),
            ip("10.0.0.8")
        );
    }
}
