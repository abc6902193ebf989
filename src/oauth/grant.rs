//! Grant handlers: the token endpoint runs the one registered for a request's `grant_type`.
//! The app registers the doors' grants (the authorization code, the direct OTP grants); this
//! layer brings `client_credentials`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::issue::TokenBody;
use super::{AuthMethod, Client, OAuth, OAuthError};
use crate::core::grant::GrantType;
use crate::web::body::Form;

/// A token request once the client has authenticated and may use the grant type.
pub struct GrantRequest<'a> {
    pub grant_type: GrantType,
    pub client: &'a Client,
    pub method: AuthMethod,
    pub form: &'a Form,
    pub headers: &'a HeaderMap,
    /// The client address, for the limits.
    pub from: Option<IpAddr>,
}

#[async_trait::async_trait]
pub trait Grant: Send + Sync {
    async fn grant(&self, state: &OAuth, request: GrantRequest<'_>)
    -> Result<Response, OAuthError>;
}

#[derive(Default)]
pub struct Grants {
    by_type: HashMap<GrantType, Arc<dyn Grant>>,
}

impl Grants {
    /// With `client_credentials` registered.
    pub fn new() -> Grants {
        let mut grants = Grants::default();
        grants.register(GrantType::ClientCredentials, Arc::new(ClientCredentials));
        grants
    }

    pub fn register(&mut self, grant_type: GrantType, grant: Arc<dyn Grant>) {
        self.by_type.insert(grant_type, grant);
    }

    pub fn get(&self, grant_type: GrantType) -> Option<&Arc<dyn Grant>> {
        self.by_type.get(&grant_type)
    }

    /// The registered grant types, for discovery.
    pub fn types(&self) -> Vec<GrantType> {
        GrantType::ALL
            .into_iter()
            .filter(|g| self.by_type.contains_key(g))
            .collect()
    }
}

/// Scopes a REST API token may carry; Signicat's name is accepted for compatibility.
const API_SCOPES: [&str; 2] = ["idbroker-api", "signicat-api"];

/// A bearer token for the REST API, for a client that holds a credential.
struct ClientCredentials;

#[async_trait::async_trait]
impl Grant for ClientCredentials {
    async fn grant(
        &self,
        state: &OAuth,
        request: GrantRequest<'_>,
    ) -> Result<Response, OAuthError> {
        if request.method == AuthMethod::None {
            return Err(OAuthError::unauthorized_client());
        }
        let scope = match request.form.get("scope") {
            None => None,
            Some(scope) if scope.split(' ').all(|s| API_SCOPES.contains(&s)) => Some(scope),
            Some(_) => return Err(OAuthError::invalid_scope()),
        };
        let (token, expires_in) = state.tokens.issue(&request.client.client_id);
        Ok(TokenBody {
            access_token: token,
            expires_in,
            scope: scope.map(str::to_owned),
            id_token: None,
            authorization_details: None,
        }
        .into_response())
    }
}
