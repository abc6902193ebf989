//! Identity providers a login session can use, and the attributes they release.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Provider {
    #[serde(rename = "otp-sms")]
    OtpSms,
    #[serde(rename = "otp-email")]
    OtpEmail,
}

/// How a provider's code reaches the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

impl Provider {
    pub const ALL: [Provider; 2] = [Provider::OtpSms, Provider::OtpEmail];

    pub fn name(self) -> &'static str {
        match self {
            Provider::OtpSms => "otp-sms",
            Provider::OtpEmail => "otp-email",
        }
    }

    pub fn channel(self) -> Channel {
        match self {
            Provider::OtpSms => Channel::Sms,
            Provider::OtpEmail => Channel::Email,
        }
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Attributes this provider can release.
    pub fn attributes(self) -> &'static [Attribute] {
        match self {
            Provider::OtpSms => &[Attribute::IdpId, Attribute::PhoneNumber],
            Provider::OtpEmail => &[Attribute::IdpId, Attribute::Email],
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A verified fact about the end user that a relying party may ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Attribute {
    #[serde(rename = "idpId")]
    IdpId,
    #[serde(rename = "phoneNumber")]
    PhoneNumber,
    #[serde(rename = "email")]
    Email,
}

impl Attribute {
    pub const ALL: [Attribute; 3] = [Attribute::IdpId, Attribute::PhoneNumber, Attribute::Email];

    pub fn name(self) -> &'static str {
        match self {
            Attribute::IdpId => "idpId",
            Attribute::PhoneNumber => "phoneNumber",
            Attribute::Email => "email",
        }
    }

    pub fn from_name(name: &str) -> Option<Attribute> {
        Attribute::ALL.into_iter().find(|a| a.name() == name)
    }
}
