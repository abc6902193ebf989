//! What a redirect back to the page asks it to say (`?notice=`), and the words for it. The
//! numbers in them (attempts left, seconds to wait) come from the session, as the core counts.

use crate::core::session::State as Login;
use crate::core::text::{t, t_args};

use super::Ui;
use super::visit::Visit;

/// Messages a redirect back to the page asks it to show.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Resent,
    WrongCode,
    Malformed,
    CodeExpired,
    SendFailed,
    Cooldown,
    SendLimit,
    CodeRequired,
}

impl Notice {
    const ALL: [(Notice, &'static str); 8] = [
        (Notice::Resent, "resent"),
        (Notice::WrongCode, "wrong-code"),
        (Notice::Malformed, "malformed"),
        (Notice::CodeExpired, "code-expired"),
        (Notice::SendFailed, "send-failed"),
        (Notice::Cooldown, "cooldown"),
        (Notice::SendLimit, "send-limit"),
        (Notice::CodeRequired, "code-required"),
    ];

    pub fn parse(s: &str) -> Option<Notice> {
        Notice::ALL
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(n, _)| *n)
    }

    pub fn name(self) -> &'static str {
        Notice::ALL
            .iter()
            .find(|(n, _)| *n == self)
            .map(|(_, name)| *name)
            .unwrap_or("")
    }

    pub fn is_error(self) -> bool {
        !matches!(self, Notice::Resent)
    }
}

pub fn notice_text(state: &Ui, visit: &Visit, notice: Notice) -> String {
    let lang = visit.lang;
    let policy = &state.login.policy_for(&visit.session);
    let challenge = match &visit.session.state {
        Login::CodeSent(c) | Login::IdentifierEntered(c) => Some(c),
        _ => None,
    };
    match notice {
        Notice::Resent => t(lang, "code-resent"),
        Notice::WrongCode => {
            let remaining = challenge.map_or(policy.max_attempts, |c| c.attempts_left(policy));
            t_args(
                lang,
                "code-wrong",
                &[("remaining", i64::from(remaining).into())],
            )
        }
        Notice::Malformed => t_args(
            lang,
            "code-malformed",
            &[("length", i64::from(policy.length).into())],
        ),
        Notice::CodeExpired => t(lang, "code-expired"),
        Notice::SendFailed => t(lang, "send-failed"),
        Notice::Cooldown => {
            let now = state.login.now();
            let wait = challenge
                .and_then(|c| c.resend_wait(policy, now))
                .unwrap_or(1);
            t_args(lang, "resend-wait", &[("seconds", wait.into())])
        }
        Notice::SendLimit => t(lang, "resend-limit"),
        Notice::CodeRequired => t(lang, "code-required"),
    }
}
