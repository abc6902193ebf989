//! Scopes as OpenID requests carry them: space-separated, and `openid` required.

/// The scope values of `raw`, or `None` when `openid` is not among them.
pub fn openid_scope(raw: Option<&str>) -> Option<Vec<String>> {
    let scope: Vec<String> = raw
        .unwrap_or("")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    scope.iter().any(|s| s == "openid").then_some(scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openid_is_required() {
        assert_eq!(
            openid_scope(Some("openid  phone")),
            Some(vec!["openid".into(), "phone".into()])
        );
        assert_eq!(openid_scope(Some("phone")), None);
        assert_eq!(openid_scope(None), None);
    }
}
