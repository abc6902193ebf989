//! E-mail addresses: trimmed, checked against RFC 5321/5322 syntax, domain lower-cased.

use std::str::FromStr;

/// Longest address SMTP carries (RFC 5321 §4.5.3.1.3 path limit, less the brackets).
const MAX_LEN: usize = 254;

/// The address with its domain in lower case, or `None` when it is not a usable address.
pub fn normalize(input: &str) -> Option<String> {
    let input = input.trim();
    if input.is_empty()
        || input.len() > MAX_LEN
        || input.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return None;
    }
    let (local, domain) = input.rsplit_once('@')?;
    let domain = domain.to_ascii_lowercase();
    // A bare host ("user@localhost") cannot receive mail from the internet.
    if local.is_empty() || local.len() > 64 || !domain.contains('.') || domain.ends_with('.') {
        return None;
    }
    let address = format!("{local}@{domain}");
    lettre::Address::from_str(&address).ok()?;
    Some(address)
}

/// The address as shown back to the user: first letter, then the domain.
pub fn mask(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_domains_lowercased() {
        assert_eq!(
            normalize("  Kari.Nordmann@Example.NO ").as_deref(),
            Some("Kari.Nordmann@example.no")
        );
        assert_eq!(
            normalize("a+tag@sub.example.com").as_deref(),
            Some("a+tag@sub.example.com")
        );
    }

    #[test]
    fn bad_addresses_are_refused() {
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@localhost",
            "a b@example.com",
            "a@exa mple.com",
            "a@example.com\nBcc: x@y.z",
            "a@@example.com",
            "a@example.",
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
        assert_eq!(normalize(&format!("{}@example.com", "a".repeat(65))), None);
    }

    #[test]
    fn mask_keeps_the_domain() {
        assert_eq!(mask("kari@example.no"), "k•••@example.no");
    }
}
