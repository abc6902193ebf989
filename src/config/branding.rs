//! `[clients.branding]` and `[saml.branding."<entity id>"]`: how the sign-in pages name and
//! show the service a user is signing in to. Every value is checked at start, colours for
//! contrast in light and dark mode (WCAG 2.2 AA), so a branded page stays readable.

use serde::{Deserialize, Serialize};
use url::Url;

/// The largest logo we serve: the pages must stay fast on a bad connection.
pub const MAX_LOGO_BYTES: usize = 64 * 1024;
/// WCAG 2.2 AA for normal text (1.4.3).
pub const MIN_CONTRAST: f64 = 4.5;
/// The page backgrounds the accent must stand out on; the button text uses the same colour.
pub const LIGHT_SURFACE: Rgb = Rgb(0xff, 0xff, 0xff);
pub const DARK_SURFACE: Rgb = Rgb(0x12, 0x16, 0x1d);

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Branding {
    /// The service's name: "Sign in to <name>".
    pub display_name: Option<String>,
    /// A PNG, JPEG, WebP or SVG file (path), or a `data:image/…;base64,` URL.
    pub logo: Option<String>,
    /// `#rrggbb` for buttons and links in light mode; white text goes on it.
    pub accent_color: Option<String>,
    /// `#rrggbb` for dark mode; dark text goes on it. Without it, a lighter shade of
    /// `accent_color` is derived.
    pub accent_color_dark: Option<String>,
    pub privacy_url: Option<String>,
    pub help_url: Option<String>,
    /// Where "Back to <name>" goes from an error page.
    pub home_url: Option<String>,
    /// Show our page for a moment after a cancel or too many wrong codes (default), or go
    /// straight back to the service.
    pub outcome_page: Option<bool>,
}

impl Branding {
    pub(super) fn check(&self, key: &impl Fn(&str) -> String, err: &mut impl FnMut(&str, String)) {
        if let Some(name) = &self.display_name
            && let Err(why) = plain_text(name, 60)
        {
            err(&key("display_name"), why);
        }
        if let Some(logo) = &self.logo
            && let Err(why) = Logo::read(logo)
        {
            err(&key("logo"), why);
        }
        for (field, value, surface) in [
            ("accent_color", &self.accent_color, LIGHT_SURFACE),
            ("accent_color_dark", &self.accent_color_dark, DARK_SURFACE),
        ] {
            let Some(value) = value else { continue };
            match Rgb::parse(value) {
                None => err(&key(field), "must be a colour as #rrggbb".into()),
                Some(colour) => {
                    let ratio = colour.contrast(surface);
                    if ratio < MIN_CONTRAST {
                        err(
                            &key(field),
                            format!(
                                "{value} has a contrast of {ratio:.2}:1 with the page ({surface}); \
                                 at least {MIN_CONTRAST}:1 is needed"
                            ),
                        );
                    }
                }
            }
        }
        for (field, value) in [
            ("privacy_url", &self.privacy_url),
            ("help_url", &self.help_url),
            ("home_url", &self.home_url),
        ] {
            if let Some(value) = value
                && !Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "https" | "http"))
            {
                err(&key(field), "must be an absolute http(s) URL".into());
            }
        }
    }

    /// The dark-mode accent: the one configured, or `accent_color` lightened until it reads
    /// on the dark page.
    pub fn dark_accent(&self) -> Option<Rgb> {
        if let Some(dark) = self.accent_color_dark.as_deref().and_then(Rgb::parse) {
            return Some(dark);
        }
        let light = self.accent_color.as_deref().and_then(Rgb::parse)?;
        (0..=20)
            .map(|step| light.mix_white(f64::from(step) / 20.0))
            .find(|c| c.contrast(DARK_SURFACE) >= MIN_CONTRAST)
    }

    pub fn light_accent(&self) -> Option<Rgb> {
        self.accent_color.as_deref().and_then(Rgb::parse)
    }
}

/// Short text for a page: no control characters or invisible direction marks.
fn plain_text(text: &str, max: usize) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if text.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if text.chars().any(crate::core::names::is_hidden) {
        return Err("must not contain control characters or direction marks".into());
    }
    Ok(())
}

/// A logo as served: its bytes and media type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logo {
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

impl Logo {
    /// Reads a logo from a file path or a base64 data URL, refusing anything that is not a
    /// small image.
    pub fn read(source: &str) -> Result<Logo, String> {
        let (media_type, bytes) = if let Some(rest) = source.strip_prefix("data:") {
            let (media, data) = rest
                .split_once(";base64,")
                .ok_or("a data URL must be data:image/<type>;base64,<data>")?;
            let media_type = media_type_named(media).ok_or(
                "the data URL's type must be image/png, image/jpeg, image/webp or image/svg+xml",
            )?;
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(data.trim())
                .map_err(|_| "the data URL's data is not valid base64")?;
            (media_type, bytes)
        } else {
            let extension = std::path::Path::new(source)
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            let media_type = match extension.as_str() {
                "png" => "image/png",
                "jpg" | "jpeg" => "image/jpeg",
                "webp" => "image/webp",
                "svg" => "image/svg+xml",
                _ => return Err("must be a .png, .jpg, .webp or .svg file, or a data URL".into()),
            };
            let meta =
                std::fs::metadata(source).map_err(|e| format!("cannot read {source}: {e}"))?;
            if meta.len() > MAX_LOGO_BYTES as u64 {
                return Err(format!("must be at most {} KiB", MAX_LOGO_BYTES / 1024));
            }
            let bytes = std::fs::read(source).map_err(|e| format!("cannot read {source}: {e}"))?;
            (media_type, bytes)
        };
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(format!("must be at most {} KiB", MAX_LOGO_BYTES / 1024));
        }
        Ok(Logo { media_type, bytes })
    }
}

fn media_type_named(name: &str) -> Option<&'static str> {
    ["image/png", "image/jpeg", "image/webp", "image/svg+xml"]
        .into_iter()
        .find(|m| *m == name)
}

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// Relative luminance (WCAG 2.2, "relative luminance").
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The contrast ratio with `other`, from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// `self` mixed with white by `amount` (0 to 1).
    fn mix_white(self, amount: f64) -> Rgb {
        let mix = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * amount).round() as u8;
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag() {
        assert!((Rgb(0, 0, 0).contrast(Rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
        // #767676 on white is the well-known 4.54:1 grey.
        let grey = Rgb::parse("#767676").unwrap().contrast(LIGHT_SURFACE);
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
    }

    #[test]
    fn a_dark_accent_is_derived_that_reads_on_the_dark_page() {
        let branding = Branding {
            accent_color: Some("#0b3d91".into()),
            ..Branding::default()
        };
        let dark = branding.dark_accent().unwrap();
        assert!(dark.contrast(DARK_SURFACE) >= MIN_CONTRAST, "{dark}");
        assert_ne!(dark, branding.light_accent().unwrap());
    }

    #[test]
    fn colours_must_be_hex() {
        for bad in ["red", "#12345", "#1234567", "#gg0000", "123456"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn logos_must_be_small_images() {
        assert!(Logo::read("data:text/html;base64,PGI+").is_err());
        assert!(Logo::read("data:image/png;base64,!!").is_err());
        assert!(Logo::read("logo.gif").is_err());
        let png = Logo::read("data:image/png;base64,iVBORw0KGgo=").unwrap();
        assert_eq!(png.media_type, "image/png");
        let big = format!(
            "data:image/png;base64,{}",
            "A".repeat(MAX_LOGO_BYTES / 3 * 4 + 8)
        );
        assert!(Logo::read(&big).unwrap_err().contains("KiB"));
    }
}
