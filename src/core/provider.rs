//! Identity providers a login session can use, and the attributes they release.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Provider {
    #[serde(rename = "otp-sms")]
    OtpSms,
}

impl Provider {
    pub const ALL: [Provider; 1] = [Provider::OtpSms];

    pub fn name(self) -> &'static str {
        match self {
            Provider::OtpSms => "otp-sms",
        }
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Attributes this provider can release.
    pub fn attributes(self) -> &'static [Attribute] {
        match self {
            Provider::OtpSms => &[Attribute::IdpId, Attribute::PhoneNumber],
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
}

impl Attribute {
    pub const ALL: [Attribute; 2] = [Attribute::IdpId, Attribute::PhoneNumber];

    pub fn name(self) -> &'static str {
        match self {
            Attribute::IdpId => "idpId",
            Attribute::PhoneNumber => "phoneNumber",
        }
    }

    pub fn from_name(name: &str) -> Option<Attribute> {
        Attribute::ALL.into_iter().find(|a| a.name() == name)
    }
}
