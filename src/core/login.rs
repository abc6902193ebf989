//! The login service: runs the state machine against the store and the senders. Every front
//! door calls these methods; none of them touches a session any other way.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::sync::Arc;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use subtle::ConstantTimeEq;
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use super::clock::Clock;
use super::confirm::Confirmation;
use super::email;
use super::ids::{random_token, session_id, short};
use super::keys::Keys;
use super::lang::Lang;
use super::limits::{Checked, Limited, Limiter, Undeliverable};
use super::otp::{CodeHash, OtpPolicy};
use super::phone::PhonePolicy;
use super::ports::{DeliveryError, Mail, MailSender, Sms, SmsSender, Space, Store, StoreError};
use super::provider::{Attribute, Channel, Provider};
use super::records::{Change, Records, UpdateError};
use super::session::{
    Completion, Effect, Ending, Event, LoginSession, Refusal, ReturnTo, State, Step, transition,
};
use super::subject::Subject;
use super::text;
use super::{audit, measure};

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("no such session")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error("identifier is not valid")]
    InvalidIdentifier,
    #[error("code has the wrong shape")]
    MalformedCode,
    #[error("message not delivered: {0}")]
    Delivery(#[from] DeliveryError),
    #[error("session opened in another browser")]
    OtherBrowser,
    #[error("session is too busy")]
    Contention,
    #[error(transparent)]
    Limited(#[from] Limited),
    #[error(transparent)]
    Undeliverable(#[from] Undeliverable),
}

/// What a relying party asks for when it opens a session.
pub struct NewSession {
    pub client_id: String,
    pub return_to: ReturnTo,
    pub allowed_providers: Vec<Provider>,
    pub language: Option<Lang>,
    pub requested_attributes: Vec<Attribute>,
    pub sender: Option<String>,
    pub parameters: BTreeMap<String, String>,
    pub prefill: Option<String>,
    /// A transaction to confirm; the code then goes to `prefill` only.
    pub confirmation: Option<Confirmation>,
}

pub struct LoginSettings {
    pub policy: OtpPolicy,
    pub session_ttl: Duration,
    /// How long a finished session stays readable by its relying party.
    pub retention: Duration,
    pub phone: PhonePolicy,
    pub default_sender: String,
    /// The host named in the WebOTP line of each SMS.
    pub webotp_host: String,
}

/// Whose words carry the code: ours (the sign-in page's), or an application's (direct grants).
#[derive(Clone, Debug, Default)]
pub enum Wording {
    #[default]
    Page,
    App {
        /// The body with `{0}` where the code goes.
        body: Option<String>,
        /// The e-mail subject.
        title: Option<String>,
    },
}

pub struct LoginService {
    sessions: Records<LoginSession>,
    sms: Arc<dyn SmsSender>,
    mail: Option<Arc<dyn MailSender>>,
    clock: Arc<dyn Clock>,
    keys: Keys,
    settings: LoginSettings,
    limits: Limiter,
}

impl LoginService {
    pub fn new(
        store: Arc<dyn Store>,
        sms: Arc<dyn SmsSender>,
        mail: Option<Arc<dyn MailSender>>,
        clock: Arc<dyn Clock>,
        keys: Keys,
        settings: LoginSettings,
        limits: Limiter,
    ) -> LoginService {
        LoginService {
            sessions: Records::new(store, Space::Session),
            sms,
            mail,
            clock,
            keys,
            settings,
            limits,
        }
    }

    pub fn settings(&self) -> &LoginSettings {
        &self.settings
    }

    /// The limits across sessions; the token endpoint and the REST API ask them too.
    pub fn limits(&self) -> &Limiter {
        &self.limits
    }

    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    pub async fn create(&self, new: NewSession) -> Result<LoginSession, LoginError> {
        // A confirmation goes to the identifier the relying party named, never one typed.
        if new.confirmation.is_some() && new.prefill.is_none() {
            return Err(LoginError::InvalidIdentifier);
        }
        let now = self.now();
        let session = LoginSession {
            id: session_id(),
            client_id: new.client_id,
            return_to: new.return_to,
            allowed_providers: new.allowed_providers,
            language: new.language,
            requested_attributes: new.requested_attributes,
            sender: new.sender,
            parameters: new.parameters,
            prefill: new.prefill,
            confirmation: new.confirmation,
            created_at: now,
            expires_at: now + self.settings.session_ttl,
            browser: None,
            csrf: random_token(),
            turn: 0,
            state: State::Created,
        };
        let ttl = session.store_ttl(now, self.settings.retention);
        if !self.sessions.insert(&session.id, &session, ttl).await? {
            return Err(LoginError::Contention);
        }
        tracing::info!(session = %short(&session.id), client = %session.client_id, "login session created");
        measure::login_started(session.return_to.door());
        Ok(session)
    }

    /// The session as it stands, expired first if its time is up.
    pub async fn get(&self, id: &str) -> Result<LoginSession, LoginError> {
        Ok(self.update(id, |_, _| Ok(())).await?.0)
    }

    pub async fn choose_provider(
        &self,
        id: &str,
        provider: Provider,
    ) -> Result<LoginSession, LoginError> {
        self.apply(id, Event::ChooseProvider(provider)).await
    }

    /// Records the identifier the user typed and sends the first code to it. `from` is the
    /// client address the request came from, for the limits.
    pub async fn submit_identifier(
        &self,
        id: &str,
        input: &str,
        lang: Lang,
        wording: &Wording,
        from: Option<IpAddr>,
    ) -> Result<LoginSession, LoginError> {
        self.send_code(id, lang, Some(input), wording, from).await
    }

    /// Sends a new code to the identifier already entered; the previous code stops working.
    pub async fn resend(
        &self,
        id: &str,
        lang: Lang,
        from: Option<IpAddr>,
    ) -> Result<LoginSession, LoginError> {
        self.send_code(id, lang, None, &Wording::Page, from).await
    }

    /// The identifier in canonical form for the provider, or `None` when it is not valid.
    pub fn normalize(&self, provider: Provider, input: &str) -> Option<String> {
        match provider {
            Provider::OtpSms => self.settings.phone.normalize(input),
            Provider::OtpEmail => email::normalize(input),
        }
    }

    async fn send_code(
        &self,
        id: &str,
        lang: Lang,
        input: Option<&str>,
        wording: &Wording,
        from: Option<IpAddr>,
    ) -> Result<LoginSession, LoginError> {
        // The session decides first (its own cooldown and send limit), on a copy: the limits
        // across sessions count only a send the session allows, and a send they refuse leaves
        // the session as it was (a code already out keeps working).
        let mut probe = self.get(id).await?;
        let policy = &probe.policy(&self.settings.policy);
        let code = policy.generate();
        let hash = CodeHash::of(&self.keys.otp, id, code.as_str(), &probe.digest());
        let entered = input.map(|input| self.enter(&probe, input)).transpose()?;
        if let Err(e) = self.record_send(&mut probe, entered.as_ref(), hash, self.now()) {
            if let State::IdentifierEntered(c) | State::CodeSent(c) = &probe.state {
                session_refused(id, c.provider.channel(), &e);
            }
            return Err(e);
        }
        let State::CodeSent(planned) = &probe.state else {
            unreachable!("SendCode leads to CodeSent");
        };
        let region = match &entered {
            Some(entered) => entered.region.clone(),
            None if planned.provider.channel() == Channel::Sms => {
                super::phone::destination(&planned.identifier).region
            }
            None => None,
        };
        let check = super::limits::Send {
            channel: planned.provider.channel(),
            identifier: &planned.identifier,
            client_id: &probe.client_id,
            address: from,
            region: region.as_deref(),
        };
        let ticket = match self.limits.before_send(&check).await? {
            Ok(ticket) => ticket,
            Err(limited) => {
                tracing::info!(session = %short(id), "code not sent: a limit refused it");
                measure::code_refused(planned.provider.channel(), limited.reason());
                audit::code_refused(id, planned.provider.channel().name(), limited.reason());
                return Err(limited.into());
            }
        };
        // The code is stored before it leaves, so a fast user never beats the store.
        let recorded = self
            .update(id, |s, now| {
                self.record_send(s, entered.as_ref(), hash, now)
            })
            .await;
        let session = match recorded {
            Ok((session, ())) => session,
            Err(e) => {
                // Another tab's send got in between the two reads.
                session_refused(id, check.channel, &e);
                self.limits.send_failed(ticket).await;
                return Err(e);
            }
        };
        let State::CodeSent(challenge) = &session.state else {
            unreachable!("SendCode leads to CodeSent");
        };
        // Another request changed the identifier between the two reads: what was counted is
        // not what would be sent.
        if challenge.identifier != check.identifier {
            self.limits.send_failed(ticket).await;
            self.undo_send(id, hash).await;
            return Err(LoginError::Contention);
        }
        let sent = match challenge.provider.channel() {
            Channel::Sms => {
                let minutes = policy.ttl.whole_minutes();
                let sender = self.sender(&session);
                let text = match (wording, &session.confirmation) {
                    (Wording::Page, None) => text::sms_text(
                        lang,
                        sender,
                        code.as_str(),
                        minutes,
                        &self.settings.webotp_host,
                    ),
                    (Wording::Page, Some(c)) => text::confirm_sms(
                        lang,
                        sender,
                        code.as_str(),
                        minutes,
                        c,
                        Some(&self.settings.webotp_host),
                    ),
                    (Wording::App { body: None, .. }, Some(c)) => {
                        text::confirm_sms(lang, sender, code.as_str(), minutes, c, None)
                    }
                    (Wording::App { body, .. }, _) => {
                        text::app_text(lang, body.as_deref(), code.as_str())
                    }
                };
                let sms = Sms {
                    to: challenge.identifier.clone(),
                    sender: self.sender(&session).to_owned(),
                    text: Zeroizing::new(text),
                };
                self.sms.send(&sms, self.now()).await
            }
            Channel::Email => {
                let minutes = policy.ttl.whole_minutes();
                let (subject, text) = match (wording, &session.confirmation) {
                    (Wording::Page, None) => text::email_text(lang, code.as_str(), minutes),
                    (Wording::Page | Wording::App { body: None, .. }, Some(c)) => {
                        text::confirm_email(lang, code.as_str(), minutes, c)
                    }
                    (Wording::App { body, title }, _) => (
                        title
                            .clone()
                            .unwrap_or_else(|| text::t(lang, "email-subject")),
                        text::app_text(lang, body.as_deref(), code.as_str()),
                    ),
                };
                let mail = Mail {
                    to: challenge.identifier.clone(),
                    subject,
                    text: Zeroizing::new(text),
                };
                match &self.mail {
                    Some(sender) => sender.send(&mail, self.now()).await,
                    None => Err(DeliveryError::NotConfigured),
                }
            }
        };
        match sent {
            Ok(()) => {
                tracing::info!(session = %short(id), sends = challenge.sends, channel = ?challenge.provider.channel(), "code sent");
                measure::code_sent(challenge.provider.channel());
                Ok(session)
            }
            Err(e) => {
                tracing::warn!(session = %short(id), error = %e, "code not sent");
                measure::code_failed(challenge.provider.channel());
                self.limits.send_failed(ticket).await;
                self.undo_send(id, hash).await;
                Err(e.into())
            }
        }
    }

    /// The identifier typed, normalized (and for SMS classified) once, for the provider the
    /// session is asking for.
    fn enter(&self, s: &LoginSession, input: &str) -> Result<Entered, LoginError> {
        let provider = asking_for(s)?;
        let (identifier, region) = match provider {
            Provider::OtpSms => {
                let (e164, destination) = self
                    .settings
                    .phone
                    .parse(input)
                    .ok_or(LoginError::InvalidIdentifier)?;
                self.limits.deliverable(&s.client_id, &destination)?;
                (e164, destination.region)
            }
            Provider::OtpEmail => (
                email::normalize(input).ok_or(LoginError::InvalidIdentifier)?,
                None,
            ),
        };
        // A confirmation's code goes only where the relying party said.
        if s.confirmation.is_some() && s.prefill.as_deref() != Some(identifier.as_str()) {
            return Err(LoginError::InvalidIdentifier);
        }
        Ok(Entered {
            provider,
            identifier,
            region,
        })
    }

    /// Enters the identifier (when one was typed) and records a new code about to go out.
    fn record_send(
        &self,
        s: &mut LoginSession,
        entered: Option<&Entered>,
        hash: CodeHash,
        now: OffsetDateTime,
    ) -> Result<(), LoginError> {
        let policy = &self.settings.policy;
        if let Some(entered) = entered {
            // Another tab chose another provider since the identifier was read.
            if asking_for(s)? != entered.provider {
                return Err(LoginError::Contention);
            }
            step(
                s,
                policy,
                Event::EnterIdentifier(entered.identifier.clone()),
            )?;
        }
        step(
            s,
            policy,
            Event::SendCode {
                code: hash,
                at: now,
            },
        )?;
        Ok(())
    }

    /// The code recorded for a send did not go out: the session forgets it. Only our own
    /// send is undone: a newer one may have replaced it meanwhile.
    async fn undo_send(&self, id: &str, hash: CodeHash) {
        let policy = &self.settings.policy;
        let undo = self
            .update(id, |s, _| match &s.state {
                State::CodeSent(c) if c.code.as_ref().is_some_and(|p| p.hash == hash) => {
                    step(s, policy, Event::DeliveryFailed)
                }
                _ => Ok(Effect::Nothing),
            })
            .await;
        if let Err(undo) = undo {
            tracing::warn!(session = %short(id), error = %undo, "could not record failed send");
        }
    }

    /// Checks a typed code. Returns the session and what the check came to. A direct grant
    /// names the `turn` its reference is good for; every check uses up the turn. `presented`
    /// is the digest of the transaction the caller says the code is for (a direct grant
    /// repeats it); `None` takes the session's own. A code checked against another
    /// transaction is a wrong code, and the answer does not say which part differed.
    pub async fn submit_code(
        &self,
        id: &str,
        input: &str,
        turn: Option<u32>,
        presented: Option<&str>,
    ) -> Result<(LoginSession, Effect), LoginError> {
        let policy = &self.settings.policy;
        let current = self.get(id).await?;
        // The code's shape is the session's (a vendor's length, for instance).
        let digits = match (current.policy(policy).normalize_input(input), turn) {
            (Some(digits), _) => digits,
            // An application's malformed code counts as a wrong one: it cannot match, and it
            // uses up the reference like any other try.
            (None, Some(_)) => Zeroizing::new(input.to_owned()),
            (None, None) => return Err(LoginError::MalformedCode),
        };
        let digest = presented.map_or_else(|| current.digest(), str::to_owned);
        let hash = CodeHash::of(&self.keys.otp, id, &digits, &digest);
        // The person's wrong-code limit is counted before the code is looked at.
        let provider = match &current.state {
            State::CodeSent(c) => Some(c.provider),
            _ => None,
        };
        let person = match current.state {
            State::CodeSent(c) => Some((c.provider.channel(), c.identifier)),
            _ => None,
        };
        if let Some((_, identifier)) = &person {
            self.limits.before_check(identifier).await??;
        }
        let checked = self
            .update(id, |s, now| {
                if let Some(turn) = turn {
                    if s.turn != turn {
                        return Err(LoginError::Refused(Refusal::StaleTurn));
                    }
                    s.turn += 1;
                }
                step(
                    s,
                    policy,
                    Event::SubmitCode {
                        code: hash,
                        at: now,
                    },
                )
            })
            .await;
        if let Some((channel, identifier)) = &person {
            let outcome = match &checked {
                Ok((_, Effect::WrongCode { .. })) => Checked::Wrong,
                Ok((s, Effect::Finished)) if s.state.verified().is_some() => Checked::Verified,
                Ok((_, Effect::Finished)) => Checked::Wrong,
                _ => Checked::Other,
            };
            self.limits.after_check(*channel, identifier, outcome).await;
        }
        let (session, effect) = checked?;
        if let Some(provider) = provider {
            match (&effect, session.state.verified()) {
                (Effect::WrongCode { .. }, _) => measure::code_checked(provider.channel(), "wrong"),
                (Effect::Finished, Some(_)) => measure::code_checked(provider.channel(), "right"),
                (Effect::Finished, None) => measure::code_checked(provider.channel(), "wrong"),
                _ => {}
            }
        }
        if effect == Effect::Finished {
            let outcome = match session.state.verified() {
                Some(_) => "verified",
                None => "failed",
            };
            measure::login_ended(session.return_to.door(), provider, outcome);
            let succeeded = if outcome == "verified" {
                "succeeded"
            } else {
                "failed"
            };
            audit::login(
                id,
                &session.client_id,
                session.return_to.door().name(),
                succeeded,
            );
        }
        match effect {
            Effect::WrongCode { .. } => tracing::info!(session = %short(id), "wrong code"),
            _ => tracing::info!(session = %short(id), state = session.state.name(), "code checked"),
        }
        Ok((session, effect))
    }

    /// The OTP policy that holds for `session` (stricter for a confirmation).
    pub fn policy_for(&self, session: &LoginSession) -> OtpPolicy {
        session.policy(&self.settings.policy)
    }

    /// Hands a verified session over. Exactly one request gets `First`: the one that moved it
    /// from authenticated to completed; any later one gets `Again`, and its door must not
    /// hand the result out a second time.
    pub async fn complete(&self, id: &str) -> Result<(LoginSession, Completion), LoginError> {
        let policy = &self.settings.policy;
        self.update(id, |s, _| match s.state {
            State::Authenticated(_) => step(s, policy, Event::Complete).map(|_| Completion::First),
            State::Completed(_) => Ok(Completion::Again),
            _ => Err(LoginError::Refused(Refusal::Illegal {
                state: s.state.name(),
                event: "complete",
            })),
        })
        .await
    }

    /// How a session that is no longer open ended, for the door that opened it; a verified
    /// session is completed here (see `complete`). `None` while the session is still open.
    pub async fn ending(&self, session: &LoginSession) -> Result<Option<Ending>, LoginError> {
        Ok(Some(match &session.state {
            State::Authenticated(_) | State::Completed(_) => {
                let (session, completion) = self.complete(&session.id).await?;
                let verified = session
                    .state
                    .verified()
                    .cloned()
                    .ok_or(LoginError::NotFound)?;
                match completion {
                    Completion::First => Ending::Success(verified),
                    Completion::Again => Ending::Again,
                }
            }
            State::Aborted | State::Cancelled => Ending::Abort,
            State::Failed { .. } => Ending::Failed,
            State::Expired => Ending::Expired,
            _ => return Ok(None),
        }))
    }

    pub async fn abort(&self, id: &str) -> Result<LoginSession, LoginError> {
        let session = self.apply(id, Event::Abort).await?;
        measure::login_ended(session.return_to.door(), None, "aborted");
        Ok(session)
    }

    pub async fn cancel(&self, id: &str) -> Result<LoginSession, LoginError> {
        let session = self.apply(id, Event::Cancel).await?;
        measure::login_ended(session.return_to.door(), None, "cancelled");
        Ok(session)
    }

    pub async fn set_language(&self, id: &str, lang: Lang) -> Result<LoginSession, LoginError> {
        Ok(self
            .update(id, |s, _| {
                s.language = Some(lang);
                Ok(())
            })
            .await?
            .0)
    }

    /// Ties the session to the first browser that opens it (by a keyed hash of that browser's
    /// random cookie); any other browser is refused.
    pub async fn bind_browser(
        &self,
        id: &str,
        browser_cookie: &str,
    ) -> Result<LoginSession, LoginError> {
        let mac = URL_SAFE_NO_PAD.encode(
            self.keys
                .browser
                .mac(&[id.as_bytes(), browser_cookie.as_bytes()]),
        );
        Ok(self
            .update(id, |s, _| match &s.browser {
                None => {
                    s.browser = Some(mac.clone());
                    Ok(())
                }
                Some(bound) if bool::from(bound.as_bytes().ct_eq(mac.as_bytes())) => Ok(()),
                Some(_) => Err(LoginError::OtherBrowser),
            })
            .await?
            .0)
    }

    /// Whether a form's anti-forgery token belongs to this session.
    pub fn csrf_matches(session: &LoginSession, token: &str) -> bool {
        session.csrf.as_bytes().ct_eq(token.as_bytes()).into()
    }

    pub fn subject(&self, provider: Provider, identifier: &str) -> Subject {
        Subject::new(&self.keys.subject, provider, identifier)
    }

    pub fn sender<'a>(&'a self, session: &'a LoginSession) -> &'a str {
        session
            .sender
            .as_deref()
            .unwrap_or(&self.settings.default_sender)
    }

    async fn apply(&self, id: &str, event: Event) -> Result<LoginSession, LoginError> {
        let policy = &self.settings.policy;
        Ok(self
            .update(id, |s, _| step(s, policy, event.clone()))
            .await?
            .0)
    }

    /// Reads the session, lets `change` edit it, and stores the result (compare-and-set, so a
    /// request that lost a race starts over). An open session past its lifetime is expired
    /// first, and stays expired even when `change` refuses.
    async fn update<T>(
        &self,
        id: &str,
        mut change: impl FnMut(&mut LoginSession, OffsetDateTime) -> Result<T, LoginError>,
    ) -> Result<(LoginSession, T), LoginError> {
        let retention = self.settings.retention;
        let now = self.now();
        let outcome = self
            .sessions
            .update(id, |stored: LoginSession| {
                let mut session = stored.clone();
                if session.state.is_open() && now >= session.expires_at {
                    session.state = State::Expired;
                    tracing::info!(session = %short(id), "login session expired");
                }
                let before_change = session.clone();
                let out = change(&mut session, now);
                let ttl = session.store_ttl(now, retention);
                Ok::<_, std::convert::Infallible>(match out {
                    Ok(t) if session == stored => Change::Keep(Ok((session, t))),
                    Ok(t) => Change::Write(session.clone(), ttl, Ok((session, t))),
                    Err(e) if before_change != stored => Change::Write(before_change, ttl, Err(e)),
                    Err(e) => Change::Keep(Err(e)),
                })
            })
            .await;
        match outcome {
            Ok(result) => result,
            Err(UpdateError::Missing) => Err(LoginError::NotFound),
            Err(UpdateError::Store(e)) => Err(LoginError::Store(e)),
            Err(UpdateError::Contention) => Err(LoginError::Contention),
            Err(UpdateError::Refused(never)) => match never {},
        }
    }
}

/// An identifier the user typed, ready for the session.
struct Entered {
    provider: Provider,
    identifier: String,
    /// The phone number's region, for the limits.
    region: Option<String>,
}

/// The provider a session asks an identifier for.
fn asking_for(s: &LoginSession) -> Result<Provider, LoginError> {
    match &s.state {
        State::ProviderChosen { provider } => Ok(*provider),
        State::IdentifierEntered(c) | State::CodeSent(c) => Ok(c.provider),
        _ => Err(LoginError::Refused(Refusal::Illegal {
            state: s.state.name(),
            event: "enter_identifier",
        })),
    }
}

/// Applies one event to the session in place, under the session's own policy.
/// A code the session's own cooldown or send limit kept from going out is counted and audited
/// as one the limits across sessions refused.
fn session_refused(id: &str, channel: Channel, e: &LoginError) {
    if let LoginError::Refused(refusal) = e
        && let Some(reason) = refusal.send_reason()
    {
        tracing::info!(session = %short(id), "code not sent: the session refused it");
        measure::code_refused(channel, reason);
        audit::code_refused(id, channel.name(), reason);
    }
}

fn step(
    session: &mut LoginSession,
    policy: &OtpPolicy,
    event: Event,
) -> Result<Effect, LoginError> {
    let policy = session.policy(policy);
    let Step { state, effect } = transition(&session.state, &event, &session.rules(&policy))?;
    session.state = state;
    Ok(effect)
}
