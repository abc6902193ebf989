//! The OIDC door's end of a login: an authorization code (once) or an error, at the client's
//! redirect URI.

use axum::response::Response;

use super::code;
use super::response::{authorization_response, error_response};
use crate::core::lang::Lang;
use crate::core::login::LoginError;
use crate::core::session::{Ending, LoginSession, ReturnTo};
use crate::oauth::OAuth;
use crate::web::handoff::{Finish, finished_already, unavailable};

pub struct OidcFinish(pub OAuth);

#[async_trait::async_trait]
impl Finish for OidcFinish {
    async fn finish(&self, session: &LoginSession, ending: Ending, lang: Lang) -> Response {
        let state = &self.0;
        let ReturnTo::Oidc(request) = &session.return_to else {
            return unavailable(lang, LoginError::NotFound);
        };
        let denied = |why| error_response(state, request, lang, "access_denied", why);
        match ending {
            Ending::Success(verified) => {
                match code::issue(state, session, request, &verified).await {
                    Ok(code) => authorization_response(state, request, lang, vec![("code", code)]),
                    Err(e) => unavailable(lang, LoginError::Store(e)),
                }
            }
            // The code went to the browser once; it is never issued twice.
            Ending::Again => finished_already(lang),
            Ending::Abort => denied("the user cancelled the sign-in"),
            Ending::Failed => denied("too many wrong codes"),
            Ending::Expired => denied("the sign-in expired"),
        }
    }
}
