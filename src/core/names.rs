//! A service's name as the service itself declares it, in several languages (a SAML SP's
//! `mdui:DisplayName`s). It is untrusted text: cleaned and capped before any page shows it.

use super::lang::Lang;

/// The longest declared name a page shows, in characters; a longer one is cut, ending in "…".
pub const MAX_DECLARED_NAME: usize = 64;

/// Characters no name on a page may carry: controls, and every character Unicode says to
/// render invisibly (Default_Ignorable_Code_Point: the marks that reorder text, zero-width
/// joiners and spaces, soft hyphens, fillers, tags).
pub fn is_hidden(c: char) -> bool {
    use icu_properties::props::{BinaryProperty, DefaultIgnorableCodePoint};
    c.is_control() || DefaultIgnorableCodePoint::for_char(c)
}

/// Names by language, in the order they were declared: the language we show it in, whether
/// the tag named exactly that language (`nb`, not `nn` read as `nb`), and the name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclaredNames(Vec<(Option<Lang>, bool, String)>);

impl DeclaredNames {
    /// Adds a name in the language `tag` (BCP 47, as in `xml:lang`) names; a language we do not
    /// speak still counts as a name. A name that is empty once cleaned is dropped.
    pub fn add(&mut self, tag: &str, text: &str) {
        if let Some(name) = clean(text) {
            let lang = Lang::from_tag(tag);
            let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
            let exact = lang.is_some_and(|l| l.code().eq_ignore_ascii_case(primary));
            self.0.push((lang, exact, name));
        }
    }

    /// The name in `lang` (one tagged exactly so first), else in English, else the first
    /// declared.
    pub fn pick(&self, lang: Lang) -> Option<&str> {
        let tagged = |wanted: Lang, exact: bool| {
            self.0
                .iter()
                .find(|(l, e, _)| *l == Some(wanted) && (*e || !exact))
        };
        tagged(lang, true)
            .or_else(|| tagged(lang, false))
            .or_else(|| tagged(Lang::En, false))
            .or_else(|| self.0.first())
            .map(|(_, _, name)| name.as_str())
    }
}

/// Whitespace runs (line breaks included) become one space, other hidden characters go, and
/// the rest is capped.
fn clean(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(char::is_whitespace)
        .map(|word| word.chars().filter(|c| !is_hidden(*c)).collect::<String>())
        .filter(|word| !word.is_empty())
        .collect();
    let name = words.join(" ");
    if name.is_empty() {
        return None;
    }
    if name.chars().count() <= MAX_DECLARED_NAME {
        return Some(name);
    }
    let mut cut: String = name.chars().take(MAX_DECLARED_NAME - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    Some(cut)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pairs: &[(&str, &str)]) -> DeclaredNames {
        let mut names = DeclaredNames::default();
        for (tag, text) in pairs {
            names.add(tag, text);
        }
        names
    }

    #[test]
    fn the_pages_language_then_english_then_the_first() {
        let declared = names(&[("xx", "Erste"), ("de-DE", "Stadtrat"), ("en", "Council")]);
        assert_eq!(declared.pick(Lang::De), Some("Stadtrat"));
        assert_eq!(declared.pick(Lang::Fr), Some("Council"));
        // Nynorsk is shown to Bokmål readers only when there is no Bokmål name.
        let norwegian = names(&[("nn", "Kommunen"), ("nb-NO", "Kommunen (bokmål)")]);
        assert_eq!(norwegian.pick(Lang::Nb), Some("Kommunen (bokmål)"));
        assert_eq!(
            names(&[("nn", "Kommunen")]).pick(Lang::Nb),
            Some("Kommunen")
        );
        let no_english = names(&[("xx", "Erste"), ("de", "Stadtrat")]);
        assert_eq!(no_english.pick(Lang::Fr), Some("Erste"));
        assert_eq!(DeclaredNames::default().pick(Lang::En), None);
    }

    #[test]
    fn names_are_cleaned_and_capped() {
        let declared = names(&[
            ("en", " Example\n\tCouncil\u{202e}\u{0007} "),
            (
                "de",
                "\u{200b} \u{0000}\u{061c}\u{feff}\u{2060}\u{00ad}\u{3164}\u{e0041}",
            ),
            ("fr", "Con\u{00ad}seil\u{180e}"),
        ]);
        assert_eq!(declared.pick(Lang::Fr), Some("Conseil"));
        assert_eq!(declared.pick(Lang::En), Some("Example Council"));
        // The name of only hidden characters was dropped: German falls back to English.
        assert_eq!(declared.pick(Lang::De), Some("Example Council"));
        let long = names(&[("en", &"x".repeat(100))]);
        let shown = long.pick(Lang::En).unwrap();
        assert_eq!(shown.chars().count(), MAX_DECLARED_NAME);
        assert!(shown.ends_with('…'));
    }
}
