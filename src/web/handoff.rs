//! The one hand-off at the end of a login: the core says how the session ended (and that a
//! verified one completes exactly once), and the door that opened it answers the browser.
//! Doors register their end here; the app wires them, so the pages never name a door.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;

use crate::core::lang::Lang;
use crate::core::login::{LoginError, LoginService};
use crate::core::session::{Door, Ending, LoginSession};
use crate::web::page::{MessagePage, render};
use crate::web::with_cause;

/// A door's end of a login: where the browser goes once the session has ended.
#[async_trait::async_trait]
pub trait Finish: Send + Sync {
    async fn finish(&self, session: &LoginSession, ending: Ending, lang: Lang) -> Response;
}

#[derive(Default)]
pub struct Handoff {
    doors: HashMap<Door, Arc<dyn Finish>>,
}

impl Handoff {
    pub fn register(&mut self, door: Door, finish: Arc<dyn Finish>) {
        self.doors.insert(door, finish);
    }

    /// Whether sessions of `door` have a browser: doors without one (direct grants, the HID
    /// API) register no end, and their sessions have no pages.
    pub fn has_pages(&self, door: Door) -> bool {
        self.doors.contains_key(&door)
    }

    /// Sends the browser back to the relying party once the session has ended.
    pub async fn respond(
        &self,
        login: &LoginService,
        session: &LoginSession,
        lang: Lang,
    ) -> Response {
        // A direct grant has no browser to send anywhere, so it registers no end.
        let Some(door) = self.doors.get(&session.return_to.door()) else {
            return unavailable(lang, LoginError::NotFound);
        };
        match login.ending(session).await {
            Ok(Some(ending)) => door.finish(session, ending, lang).await,
            Ok(None) => {
                let page = unavailable(lang, LoginError::NotFound);
                with_cause(
                    page,
                    format!("asked to finish an open session ({})", session.state.name()),
                )
            }
            Err(e) => unavailable(lang, e),
        }
    }
}

/// The page for a session whose result was handed over already: an assertion or a code goes
/// to the relying party once.
pub fn finished_already(lang: Lang) -> Response {
    render(
        StatusCode::CONFLICT,
        &MessagePage::error(lang, "error-finished", None),
    )
}

pub fn unavailable(lang: Lang, e: LoginError) -> Response {
    let page = render(
        StatusCode::SERVICE_UNAVAILABLE,
        &MessagePage::error(lang, "error-unavailable", None),
    );
    with_cause(page, format!("could not finish a login session: {e}"))
}
