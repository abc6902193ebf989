//! Paths every door needs to name.

/// Where the sign-in pages of a login session live.
pub const LOGIN_PREFIX: &str = "/auth/login";

/// The sign-in page of a login session; every door that opens a session sends the browser here.
pub fn login_path(id: &str) -> String {
    format!("{LOGIN_PREFIX}/{id}")
}
