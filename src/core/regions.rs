//! Region names in the page's language, from Unicode CLDR (ICU4X's compiled data), for the
//! phone hint: a Norwegian reads "Norge", a Greek "Νορβηγία".

use icu_experimental::displaynames::DisplayNamesOptions;
use icu_experimental::displaynames::multi::RegionDisplayNames;
use icu_locale_core::Locale;
use icu_locale_core::subtags::Region;

use crate::core::lang::Lang;

/// The name of `region` (two letters, `NO`) in `lang`, when CLDR has one.
pub fn name(region: &str, lang: Lang) -> Option<String> {
    let region: Region = region.to_ascii_uppercase().parse().ok()?;
    let locale: Locale = lang.code().parse().ok()?;
    let names = RegionDisplayNames::try_new(locale.into(), DisplayNamesOptions::default()).ok()?;
    names.of(region).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_in_the_pages_language() {
        assert_eq!(name("NO", Lang::Nb).as_deref(), Some("Norge"));
        assert_eq!(name("de", Lang::En).as_deref(), Some("Germany"));
        assert_eq!(name("GR", Lang::El).as_deref(), Some("Ελλάδα"));
        assert_eq!(name("ZZZ", Lang::En), None);
    }
}
