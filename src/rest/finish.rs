//! The REST door's end of a login: the browser goes to the callback for the outcome, with
//! `?sessionId=`; the relying party reads the result from the API.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use url::Url;

use crate::core::lang::Lang;
use crate::core::login::LoginError;
use crate::core::session::{Ending, LoginSession, ReturnTo};
use crate::core::text::t;
use crate::web::handoff::{Finish, unavailable};
use crate::web::page::{Frame, Link, MessagePage, render};

pub struct RestFinish;

#[async_trait::async_trait]
impl Finish for RestFinish {
    async fn finish(&self, session: &LoginSession, ending: Ending, lang: Lang) -> Response {
        let ReturnTo::Rest { callbacks, .. } = &session.return_to else {
            return unavailable(lang, LoginError::NotFound);
        };
        let with_id = |base: &str| {
            let mut url = Url::parse(base).ok()?;
            url.query_pairs_mut().append_pair("sessionId", &session.id);
            Some(String::from(url))
        };
        let target = match ending {
            // The API, not the browser, carries the result: coming back again is harmless.
            Ending::Success(_) | Ending::Again => with_id(&callbacks.success),
            Ending::Abort => with_id(&callbacks.abort),
            Ending::Failed => with_id(&callbacks.error),
            Ending::Expired => {
                let page = MessagePage {
                    frame: Frame::new(lang),
                    heading: t(lang, "error-expired-heading"),
                    text: t(lang, "error-expired"),
                    link: with_id(&callbacks.error).map(Link::Back),
                    detail: None,
                };
                return render(StatusCode::GONE, &page);
            }
        };
        match target {
            Some(url) => Redirect::to(&url).into_response(),
            None => unavailable(lang, LoginError::NotFound),
        }
    }
}
