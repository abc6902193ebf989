//! The SAML door's end of a login: a signed Response to the SP's ACS, once.

use axum::response::Response;

use super::Saml;
use super::response::{respond, status};
use crate::core::lang::Lang;
use crate::core::session::{Ending, LoginSession, ReturnTo};
use crate::web::handoff::{Finish, finished_already, unavailable};

pub struct SamlFinish(pub Saml);

#[async_trait::async_trait]
impl Finish for SamlFinish {
    async fn finish(&self, session: &LoginSession, ending: Ending, lang: Lang) -> Response {
        let state = &self.0;
        let ReturnTo::Saml(request) = &session.return_to else {
            return unavailable(lang, crate::core::login::LoginError::NotFound);
        };
        let failed = |message| status(state, request, lang, "AuthnFailed", message);
        match ending {
            Ending::Success(verified) => respond(state, session, request, lang, &verified).await,
            // An assertion goes to the SP once.
            Ending::Again => finished_already(lang),
            Ending::Abort => failed("the user cancelled the sign-in").await,
            Ending::Failed => failed("too many wrong codes").await,
            Ending::Expired => failed("the sign-in expired").await,
        }
    }
}
