//! The login session: one state machine that every front door drives.
//!
//! `transition` is pure: it takes a state, an event and the rules, and returns the next state
//! with the effect the caller must carry out, or a refusal that leaves the state as it was.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Duration, OffsetDateTime};

use super::confirm::{self, Confirmation};
use super::lang::Lang;
use super::otp::{CodeHash, OtpPolicy};
use super::provider::{Attribute, Provider};

/// Where the end user goes back to, as the front door that created the session recorded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnTo {
    /// A REST API session: the browser ends at one of these URLs with `?sessionId=`.
    Rest {
        callbacks: Callbacks,
        external_reference: Option<String>,
    },
    /// An OpenID Connect authorization request: the browser ends at `redirect_uri` with a code
    /// or an error.
    Oidc(OidcRequest),
    /// A direct OTP grant: no browser; the application polls the token endpoint.
    Direct(DirectRequest),
    /// A SAML AuthnRequest: the browser ends at the SP's ACS with a signed Response.
    Saml(SamlRequest),
    /// A registered user's authenticator (the HID-compatible API): no browser; the client
    /// verifies by the user's name.
    Registered(RegisteredRequest),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredRequest {
    pub tenant: String,
    pub user_id: i64,
    pub policy: String,
    /// The vendor's code length (HID's are 8 digits).
    pub code_length: u8,
}

/// The front door a session came in by; the browser pages hand the session's end to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Door {
    Rest,
    Oidc,
    Direct,
    Saml,
    Registered,
}

impl Door {
    pub fn name(self) -> &'static str {
        match self {
            Door::Rest => "rest",
            Door::Oidc => "oidc",
            Door::Direct => "direct",
            Door::Saml => "saml",
            Door::Registered => "registered",
        }
    }
}

impl ReturnTo {
    pub fn door(&self) -> Door {
        match self {
            ReturnTo::Rest { .. } => Door::Rest,
            ReturnTo::Oidc(_) => Door::Oidc,
            ReturnTo::Direct(_) => Door::Direct,
            ReturnTo::Saml(_) => Door::Saml,
            ReturnTo::Registered(_) => Door::Registered,
        }
    }
}

/// Who completed a verified session: the one request that did, or a later one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completion {
    First,
    Again,
}

/// How a login ended, as the door that opened it needs to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Verified, and this request completed it: hand the result over.
    Success(Verified),
    /// Verified, but completed before: the result went out once already.
    Again,
    /// The user cancelled, or the relying party aborted.
    Abort,
    /// Too many wrong codes.
    Failed,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlRequest {
    pub sp: String,
    pub acs: String,
    /// `true` for HTTP-POST, `false` for HTTP-Redirect.
    pub post: bool,
    pub request_id: String,
    pub relay_state: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectRequest {
    pub grant_type: String,
    /// The username exactly as the application sent it (trimmed), for binding and `sub`.
    pub username: String,
    pub scope: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcRequest {
    pub redirect_uri: String,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub form_post: bool,
    /// The S256 PKCE challenge, when the client sent one.
    pub code_challenge: Option<String>,
    /// The granted scopes (the known ones the client asked for).
    pub scope: Vec<String>,
    /// The granted RFC 9396 `authorization_details` (JSON text), returned with the tokens.
    #[serde(default)]
    pub authorization_details: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callbacks {
    pub success: String,
    pub abort: String,
    pub error: String,
}

/// One login, from creation to its end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginSession {
    pub id: String,
    pub client_id: String,
    pub return_to: ReturnTo,
    pub allowed_providers: Vec<Provider>,
    pub language: Option<Lang>,
    pub requested_attributes: Vec<Attribute>,
    /// The SMS sender name asked for by the relying party.
    pub sender: Option<String>,
    /// Other parameters the relying party passed, kept for the front door to echo.
    pub parameters: BTreeMap<String, String>,
    /// An identifier to pre-fill (a phone number), never trusted as verified. With a
    /// confirmation it is the one identifier the code may go to.
    pub prefill: Option<String>,
    /// The transaction this session's code approves, if it is a confirmation.
    #[serde(default)]
    pub confirmation: Option<Confirmation>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Keyed hash of the browser that opened the session first; the others are turned away.
    pub browser: Option<String>,
    /// The anti-forgery token every form of this session carries.
    pub csrf: String,
    /// Counts code submissions; a direct grant's reference names the turn it is good for, so
    /// each reference works once.
    #[serde(default)]
    pub turn: u32,
    pub state: State,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    Created,
    ProviderChosen {
        provider: Provider,
    },
    /// The identifier is known, no code is out (first send pending, or a send failed).
    IdentifierEntered(Challenge),
    CodeSent(Challenge),
    Authenticated(Verified),
    /// The front door has handed the result to the relying party.
    Completed(Verified),
    Aborted,
    Failed {
        reason: FailReason,
    },
    Expired,
    Cancelled,
}

/// What has been sent to one identifier, and how often the user has tried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub provider: Provider,
    pub identifier: String,
    /// Messages delivered in this session, across identifiers.
    pub sends: u8,
    /// Wrong codes entered in this session, across sends.
    pub attempts: u8,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_send: Option<OffsetDateTime>,
    pub code: Option<PendingCode>,
}

impl Challenge {
    /// Whole seconds (at least 1) until another code may be sent, while a cooldown runs.
    pub fn resend_wait(&self, policy: &OtpPolicy, now: OffsetDateTime) -> Option<i64> {
        let ready = self.last_send? + policy.resend_cooldown;
        (now < ready).then(|| (ready - now).whole_seconds().max(1))
    }

    /// The session has sent as many codes as it may.
    pub fn sends_spent(&self, policy: &OtpPolicy) -> bool {
        self.sends >= policy.max_sends
    }

    /// Wrong codes the session still tolerates.
    pub fn attempts_left(&self, policy: &OtpPolicy) -> u8 {
        policy.max_attempts.saturating_sub(self.attempts)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCode {
    pub hash: CodeHash,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    pub provider: Provider,
    pub identifier: String,
    #[serde(with = "time::serde::rfc3339")]
    pub auth_time: OffsetDateTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailReason {
    TooManyAttempts,
}

#[derive(Clone, Debug)]
pub enum Event {
    ChooseProvider(Provider),
    /// A normalized identifier; entering another one drops any code that is out.
    EnterIdentifier(String),
    /// A new code is about to go out (first send or resend).
    SendCode {
        code: CodeHash,
        at: OffsetDateTime,
    },
    /// The code just recorded by `SendCode` did not reach the gateway.
    DeliveryFailed,
    SubmitCode {
        code: CodeHash,
        at: OffsetDateTime,
    },
    /// The front door delivered the verified result.
    Complete,
    /// The end user gave up.
    Abort,
    /// The relying party withdrew the session.
    Cancel,
    /// The session outlived its lifetime.
    Expire,
}

/// What the caller must do after a transition has been stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Nothing,
    /// Deliver the code recorded in the new state.
    DeliverCode,
    /// Tell the user the code was wrong.
    WrongCode {
        remaining: u8,
    },
    /// Tell the user the code has expired; it no longer works, a new one must be sent.
    CodeExpired,
    /// The session reached an end the relying party must hear about.
    Finished,
}

/// Why an event was not accepted; the state stays as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("event {event} is not allowed in state {state}")]
    Illegal {
        state: &'static str,
        event: &'static str,
    },
    #[error("provider is not allowed for this session")]
    ProviderNotAllowed,
    #[error("a new code can be sent in {wait_secs} s")]
    Cooldown { wait_secs: i64 },
    #[error("no more codes can be sent in this session")]
    SendLimit,
    #[error("this reference has been used already")]
    StaleTurn,
}

impl Refusal {
    /// When this refusal kept a code from going out, its reason for the metrics and the
    /// audit stream, apart from the limits across sessions (`Limited::reason`).
    pub fn send_reason(&self) -> Option<&'static str> {
        match self {
            Refusal::Cooldown { .. } => Some("session_cooldown"),
            Refusal::SendLimit => Some("session_sends"),
            _ => None,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct Step {
    pub state: State,
    pub effect: Effect,
}

impl Step {
    fn to(state: State, effect: Effect) -> Result<Step, Refusal> {
        Ok(Step { state, effect })
    }
}

impl State {
    pub fn name(&self) -> &'static str {
        match self {
            State::Created => "created",
            State::ProviderChosen { .. } => "provider_chosen",
            State::IdentifierEntered(_) => "identifier_entered",
            State::CodeSent(_) => "code_sent",
            State::Authenticated(_) => "authenticated",
            State::Completed(_) => "completed",
            State::Aborted => "aborted",
            State::Failed { .. } => "failed",
            State::Expired => "expired",
            State::Cancelled => "cancelled",
        }
    }

    /// Still waiting for the end user.
    pub fn is_open(&self) -> bool {
        matches!(
            self,
            State::Created
                | State::ProviderChosen { .. }
                | State::IdentifierEntered(_)
                | State::CodeSent(_)
        )
    }

    pub fn verified(&self) -> Option<&Verified> {
        match self {
            State::Authenticated(v) | State::Completed(v) => Some(v),
            _ => None,
        }
    }
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::ChooseProvider(_) => "choose_provider",
            Event::EnterIdentifier(_) => "enter_identifier",
            Event::SendCode { .. } => "send_code",
            Event::DeliveryFailed => "delivery_failed",
            Event::SubmitCode { .. } => "submit_code",
            Event::Complete => "complete",
            Event::Abort => "abort",
            Event::Cancel => "cancel",
            Event::Expire => "expire",
        }
    }
}

/// The session-level facts a transition needs besides the state.
pub struct Rules<'a> {
    pub policy: &'a OtpPolicy,
    pub allowed: &'a [Provider],
}

pub fn transition(state: &State, event: &Event, rules: &Rules) -> Result<Step, Refusal> {
    use Effect::*;
    let illegal = Refusal::Illegal {
        state: state.name(),
        event: event.name(),
    };
    match (state, event) {
        (State::Created | State::ProviderChosen { .. }, Event::ChooseProvider(p)) => {
            if rules.allowed.contains(p) {
                Step::to(State::ProviderChosen { provider: *p }, Nothing)
            } else {
                Err(Refusal::ProviderNotAllowed)
            }
        }
        (State::ProviderChosen { provider }, Event::EnterIdentifier(id)) => Step::to(
            State::IdentifierEntered(Challenge {
                provider: *provider,
                identifier: id.clone(),
                sends: 0,
                attempts: 0,
                last_send: None,
                code: None,
            }),
            Nothing,
        ),
        // A changed identifier keeps the counters: they limit the session, not the number.
        (State::IdentifierEntered(c) | State::CodeSent(c), Event::EnterIdentifier(id)) => Step::to(
            State::IdentifierEntered(Challenge {
                identifier: id.clone(),
                code: None,
                ..c.clone()
            }),
            Nothing,
        ),
        (State::IdentifierEntered(c) | State::CodeSent(c), Event::SendCode { code, at }) => {
            if c.sends_spent(rules.policy) {
                return Err(Refusal::SendLimit);
            }
            if let Some(wait_secs) = c.resend_wait(rules.policy, *at) {
                return Err(Refusal::Cooldown { wait_secs });
            }
            Step::to(
                State::CodeSent(Challenge {
                    sends: c.sends + 1,
                    last_send: Some(*at),
                    code: Some(PendingCode {
                        hash: *code,
                        expires_at: *at + rules.policy.ttl,
                    }),
                    ..c.clone()
                }),
                DeliverCode,
            )
        }
        // The message never left: it does not count, and nothing holds the user back from
        // trying again at once.
        (State::CodeSent(c), Event::DeliveryFailed) => Step::to(
            State::IdentifierEntered(Challenge {
                sends: c.sends.saturating_sub(1),
                last_send: None,
                code: None,
                ..c.clone()
            }),
            Nothing,
        ),
        (State::CodeSent(c), Event::SubmitCode { code, at }) => {
            let Some(pending) = &c.code else {
                return Err(illegal);
            };
            if *at >= pending.expires_at {
                return Step::to(state.clone(), CodeExpired);
            }
            if pending.hash == *code {
                return Step::to(
                    State::Authenticated(Verified {
                        provider: c.provider,
                        identifier: c.identifier.clone(),
                        auth_time: *at,
                    }),
                    Finished,
                );
            }
            let attempts = c.attempts + 1;
            if attempts >= rules.policy.max_attempts {
                return Step::to(
                    State::Failed {
                        reason: FailReason::TooManyAttempts,
                    },
                    Finished,
                );
            }
            Step::to(
                State::CodeSent(Challenge {
                    attempts,
                    ..c.clone()
                }),
                WrongCode {
                    remaining: rules.policy.max_attempts - attempts,
                },
            )
        }
        (State::Authenticated(v), Event::Complete) => {
            Step::to(State::Completed(v.clone()), Nothing)
        }
        (s, Event::Abort) if s.is_open() => Step::to(State::Aborted, Finished),
        (s, Event::Cancel) if s.is_open() => Step::to(State::Cancelled, Finished),
        (s, Event::Expire) if s.is_open() => Step::to(State::Expired, Finished),
        _ => Err(illegal),
    }
}

impl LoginSession {
    /// The OTP policy for this session: a confirmation's code lives at most five minutes and
    /// tolerates at most five wrong tries (PSD2 RTS Art. 4).
    pub fn policy(&self, base: &OtpPolicy) -> OtpPolicy {
        let mut policy = base.clone();
        if self.confirmation.is_some() {
            policy.ttl = policy.ttl.min(confirm::MAX_TTL);
            policy.max_attempts = policy.max_attempts.min(confirm::MAX_ATTEMPTS);
        }
        if let ReturnTo::Registered(r) = &self.return_to {
            policy.length = r.code_length;
        }
        policy
    }

    /// The confirmation's digest, or empty: what the code's hash is bound to.
    pub fn digest(&self) -> String {
        self.confirmation
            .as_ref()
            .map(Confirmation::digest)
            .unwrap_or_default()
    }

    pub fn rules<'a>(&'a self, policy: &'a OtpPolicy) -> Rules<'a> {
        Rules {
            policy,
            allowed: &self.allowed_providers,
        }
    }

    /// Retention after the end, so the relying party can still read the outcome.
    pub fn store_ttl(&self, now: OffsetDateTime, retention: Duration) -> Duration {
        (self.expires_at - now).max(Duration::ZERO) + retention
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::keys::Key;

    fn t0() -> OffsetDateTime {
        time::macros::datetime!(2026-01-01 12:00 UTC)
    }

    fn hash(code: &str) -> CodeHash {
        CodeHash::of(&Key::derive(b"test", "otp"), "sid", code, "")
    }

    fn submit(code: &str, at: OffsetDateTime) -> Event {
        Event::SubmitCode {
            code: hash(code),
            at,
        }
    }

    fn send(code: &str, at: OffsetDateTime) -> Event {
        Event::SendCode {
            code: hash(code),
            at,
        }
    }

    fn challenge(code: Option<&str>) -> Challenge {
        Challenge {
            provider: Provider::OtpSms,
            identifier: "+447700900123".into(),
            sends: u8::from(code.is_some()),
            attempts: 0,
            last_send: code.map(|_| t0()),
            code: code.map(|c| PendingCode {
                hash: hash(c),
                expires_at: t0() + Duration::minutes(5),
            }),
        }
    }

    fn verified() -> Verified {
        Verified {
            provider: Provider::OtpSms,
            identifier: "+447700900123".into(),
            auth_time: t0(),
        }
    }

    fn states() -> Vec<State> {
        vec![
            State::Created,
            State::ProviderChosen {
                provider: Provider::OtpSms,
            },
            State::IdentifierEntered(challenge(None)),
            State::CodeSent(challenge(Some("123456"))),
            State::Authenticated(verified()),
            State::Completed(verified()),
            State::Aborted,
            State::Failed {
                reason: FailReason::TooManyAttempts,
            },
            State::Expired,
            State::Cancelled,
        ]
    }

    fn events() -> Vec<Event> {
        let at = t0() + Duration::minutes(1);
        vec![
            Event::ChooseProvider(Provider::OtpSms),
            Event::EnterIdentifier("+4741234567".into()),
            send("654321", at),
            Event::DeliveryFailed,
            submit("123456", at),
            Event::Complete,
            Event::Abort,
            Event::Cancel,
            Event::Expire,
        ]
    }

    const ALLOWED: [Provider; 1] = [Provider::OtpSms];

    fn run(state: &State, event: &Event) -> Result<Step, Refusal> {
        let policy = OtpPolicy::default();
        transition(
            state,
            event,
            &Rules {
                policy: &policy,
                allowed: &ALLOWED,
            },
        )
    }

    /// Every state × event pair, with the state name it must lead to (or `None` for illegal).
    #[test]
    fn every_state_and_event() {
        const NO: Option<&str> = None;
        let to = Some;
        #[rustfmt::skip]
        let table: [[Option<&str>; 9]; 10] = [
            // choose               enter                       send             fail                        submit                 complete          abort            cancel             expire
            [to("provider_chosen"), NO,                         NO,              NO,                         NO,                    NO,               to("aborted"),   to("cancelled"),   to("expired")], // created
            [to("provider_chosen"), to("identifier_entered"),   NO,              NO,                         NO,                    NO,               to("aborted"),   to("cancelled"),   to("expired")], // provider_chosen
            [NO,                    to("identifier_entered"),   to("code_sent"), NO,                         NO,                    NO,               to("aborted"),   to("cancelled"),   to("expired")], // identifier_entered
            [NO,                    to("identifier_entered"),   to("code_sent"), to("identifier_entered"),   to("authenticated"),   NO,               to("aborted"),   to("cancelled"),   to("expired")], // code_sent
            [NO,                    NO,                         NO,              NO,                         NO,                    to("completed"),  NO,              NO,                NO],            // authenticated
            [NO; 9], // completed
            [NO; 9], // aborted
            [NO; 9], // failed
            [NO; 9], // expired
            [NO; 9], // cancelled
        ];
        for (state, row) in states().iter().zip(table) {
            for (event, expected) in events().iter().zip(row) {
                let got = run(state, event);
                match expected {
                    Some(name) => assert_eq!(
                        got.as_ref().map(|s| s.state.name()),
                        Ok(name),
                        "{} × {}",
                        state.name(),
                        event.name()
                    ),
                    None => assert_eq!(
                        got,
                        Err(Refusal::Illegal {
                            state: state.name(),
                            event: event.name()
                        }),
                        "{} × {}",
                        state.name(),
                        event.name()
                    ),
                }
            }
        }
    }

    #[test]
    fn provider_must_be_allowed() {
        let policy = OtpPolicy::default();
        let rules = Rules {
            policy: &policy,
            allowed: &[],
        };
        assert_eq!(
            transition(
                &State::Created,
                &Event::ChooseProvider(Provider::OtpSms),
                &rules
            ),
            Err(Refusal::ProviderNotAllowed)
        );
    }

    #[test]
    fn right_code_authenticates_once() {
        let sent = State::CodeSent(challenge(Some("123456")));
        let at = t0() + Duration::minutes(1);
        let step = run(&sent, &submit("123456", at)).unwrap();
        assert_eq!(step.effect, Effect::Finished);
        assert_eq!(step.state.verified().unwrap().auth_time, at);
        // Single use: the same code again finds no code-sent state to match.
        assert!(run(&step.state, &submit("123456", at)).is_err());
    }

    #[test]
    fn five_wrong_codes_fail_and_the_right_one_no_longer_works() {
        let mut state = State::CodeSent(challenge(Some("123456")));
        let at = t0() + Duration::minutes(1);
        for remaining in (1..5).rev() {
            let step = run(&state, &submit("000000", at)).unwrap();
            assert_eq!(step.effect, Effect::WrongCode { remaining });
            state = step.state;
        }
        let step = run(&state, &submit("000000", at)).unwrap();
        assert_eq!(step.state.name(), "failed");
        assert!(run(&step.state, &submit("123456", at)).is_err());
    }

    #[test]
    fn code_expires_after_its_ttl() {
        let sent = State::CodeSent(challenge(Some("123456")));
        let at = t0() + Duration::minutes(5);
        assert_eq!(
            run(&sent, &submit("123456", at)),
            Ok(Step {
                state: sent.clone(),
                effect: Effect::CodeExpired
            })
        );
    }

    #[test]
    fn resend_honours_cooldown_and_limit_and_replaces_the_code() {
        let sent = State::CodeSent(challenge(Some("123456")));
        let early = t0() + Duration::seconds(10);
        assert_eq!(
            run(&sent, &send("222222", early)),
            Err(Refusal::Cooldown { wait_secs: 20 })
        );
        let mut state = sent;
        let mut at = t0();
        for _ in 0..2 {
            at += Duration::seconds(30);
            state = run(&state, &send("222222", at)).unwrap().state;
        }
        at += Duration::seconds(30);
        assert_eq!(run(&state, &send("333333", at)), Err(Refusal::SendLimit));
        // The old code no longer matches.
        let step = run(&state, &submit("123456", at)).unwrap();
        assert_eq!(step.effect, Effect::WrongCode { remaining: 4 });
    }

    #[test]
    fn failed_delivery_is_not_counted() {
        let entered = State::IdentifierEntered(challenge(None));
        let sent = run(&entered, &send("1", t0())).unwrap().state;
        let back = run(&sent, &Event::DeliveryFailed).unwrap().state;
        assert_eq!(back, entered);
        // And the user may try again immediately.
        assert!(run(&back, &send("2", t0())).is_ok());
    }
}
