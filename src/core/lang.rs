//! The languages the pages and messages are written in, and how a request picks one.

use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Nb,
    Sv,
    Da,
    Fi,
    De,
    Fr,
    Es,
    Nl,
    Pl,
    It,
    El,
}

impl Lang {
    pub const ALL: [Lang; 12] = [
        Lang::En,
        Lang::Nb,
        Lang::Sv,
        Lang::Da,
        Lang::Fi,
        Lang::De,
        Lang::Fr,
        Lang::Es,
        Lang::Nl,
        Lang::Pl,
        Lang::It,
        Lang::El,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
            Lang::Sv => "sv",
            Lang::Da => "da",
            Lang::Fi => "fi",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Nl => "nl",
            Lang::Pl => "pl",
            Lang::It => "it",
            Lang::El => "el",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nb => "Norsk bokmål",
            Lang::Sv => "Svenska",
            Lang::Da => "Dansk",
            Lang::Fi => "Suomi",
            Lang::De => "Deutsch",
            Lang::Fr => "Français",
            Lang::Es => "Español",
            Lang::Nl => "Nederlands",
            Lang::Pl => "Polski",
            Lang::It => "Italiano",
            Lang::El => "Ελληνικά",
        }
    }

    /// Reads a BCP 47 tag ("nb", "en-GB", "NO") by its primary language subtag.
    /// Norwegian without a script ("no") and Nynorsk fall back to Bokmål.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let id: LanguageIdentifier = tag.trim().parse().ok()?;
        match id.language.as_str() {
            "no" | "nn" => Some(Lang::Nb),
            primary => Lang::ALL.into_iter().find(|l| l.code() == primary),
        }
    }

    /// The first supported language in a space-separated list such as OIDC `ui_locales`.
    pub fn first_of_list(list: &str) -> Option<Lang> {
        list.split_whitespace().find_map(Lang::from_tag)
    }

    /// The supported language an `Accept-Language` header prefers most (q-values honoured).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        accept_language::parse(header)
            .iter()
            .find_map(|tag| Lang::from_tag(tag))
    }

    pub fn langid(self) -> LanguageIdentifier {
        self.code()
            .parse()
            .expect("language codes are valid identifiers")
    }
}

/// Where a request's language may come from, strongest first.
#[derive(Default)]
pub struct LangSources<'a> {
    pub session: Option<Lang>,
    pub ui_locales: Option<&'a str>,
    pub cookie: Option<&'a str>,
    pub accept_language: Option<&'a str>,
}

impl LangSources<'_> {
    pub fn resolve(&self) -> Lang {
        self.session
            .or_else(|| self.ui_locales.and_then(Lang::first_of_list))
            .or_else(|| self.cookie.and_then(Lang::from_tag))
            .or_else(|| self.accept_language.and_then(Lang::from_accept_language))
            .unwrap_or(Lang::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_map_by_primary_subtag() {
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("no"), Some(Lang::Nb));
        assert_eq!(Lang::from_tag("EL"), Some(Lang::El));
        assert_eq!(Lang::from_tag("tlh"), None);
        assert_eq!(Lang::from_tag("<script>"), None);
    }

    #[test]
    fn accept_language_honours_q_values() {
        assert_eq!(
            Lang::from_accept_language("ja;q=1, de;q=0.5, fr;q=0.9"),
            Some(Lang::Fr)
        );
    }

    #[test]
    fn sources_apply_in_order() {
        let all = LangSources {
            session: Some(Lang::Sv),
            ui_locales: Some("fi"),
            cookie: Some("de"),
            accept_language: Some("fr"),
        };
        assert_eq!(all.resolve(), Lang::Sv);
        let no_session = LangSources {
            session: None,
            ..all
        };
        assert_eq!(no_session.resolve(), Lang::Fi);
        let cookie_only = LangSources {
            ui_locales: Some("xx yy"),
            ..no_session
        };
        assert_eq!(cookie_only.resolve(), Lang::De);
        let header_only = LangSources {
            cookie: Some("zz"),
            ..cookie_only
        };
        assert_eq!(header_only.resolve(), Lang::Fr);
        assert_eq!(LangSources::default().resolve(), Lang::En);
    }
}
