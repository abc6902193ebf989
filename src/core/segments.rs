//! How many SMS segments a text costs, so translations can be kept to one.
//!
//! A text is sent in the GSM 03.38 (3GPP TS 23.038) 7-bit default alphabet when every
//! character is in it, and otherwise in UCS-2. One message carries 160 septets or 70 UTF-16
//! units; a longer text is split into parts that each lose room to the concatenation header,
//! leaving 153 septets or 67 units. A character is never split across two parts: neither an
//! escaped extension character (two septets) nor a surrogate pair (two units).

/// The alphabet a text is sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// What a text costs: its alphabet, its length in that alphabet's units (septets for GSM-7,
/// UTF-16 code units for UCS-2), and the segments it is sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segments {
    pub encoding: Encoding,
    pub units: usize,
    pub count: usize,
}

/// The basic character set, one septet each (LF and CR included; the escape code is not a
/// character of its own).
const GSM7_BASIC: &str = concat!(
    "@£$¥èéùìòÇ\nØø\rÅå",
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ",
    " !\"#¤%&'()*+,-./",
    "0123456789:;<=>?",
    "¡ABCDEFGHIJKLMNO",
    "PQRSTUVWXYZÄÖÑÜ§",
    "¿abcdefghijklmno",
    "pqrstuvwxyzäöñüà",
);

/// The basic character set extension table, reached through the escape code: two septets
/// each.
const GSM7_EXTENSION: &str = "\u{c}^{}\\[~]|€";

/// Septets one character takes in the GSM 7-bit default alphabet, or `None` if it has none.
pub fn gsm7_septets(c: char) -> Option<usize> {
    if GSM7_BASIC.contains(c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// The encoding, length and segment count of `text`; an empty text is still one message.
pub fn segments(text: &str) -> Segments {
    let septets: Option<Vec<usize>> = text.chars().map(gsm7_septets).collect();
    match septets {
        Some(widths) => count(Encoding::Gsm7, &widths, 160, 153),
        None => {
            let widths: Vec<usize> = text.chars().map(char::len_utf16).collect();
            count(Encoding::Ucs2, &widths, 70, 67)
        }
    }
}

/// Fits characters of the given widths into one message of `single` units, or else into
/// parts of `part` units, starting a new part where a character would not fit whole.
fn count(encoding: Encoding, widths: &[usize], single: usize, part: usize) -> Segments {
    let units = widths.iter().sum();
    let mut count = 1;
    if units > single {
        let mut used = 0;
        for &width in widths {
            if used + width > part {
                count += 1;
                used = 0;
            }
            used += width;
        }
    }
    Segments {
        encoding,
        units,
        count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gsm7(units: usize, count: usize) -> Segments {
        Segments {
            encoding: Encoding::Gsm7,
            units,
            count,
        }
    }

    fn ucs2(units: usize, count: usize) -> Segments {
        Segments {
            encoding: Encoding::Ucs2,
            units,
            count,
        }
    }

    #[test]
    fn gsm7_fits_160_septets_in_one_and_153_in_each_part() {
        assert_eq!(segments(""), gsm7(0, 1));
        assert_eq!(segments(&"a".repeat(160)), gsm7(160, 1));
        assert_eq!(segments(&"a".repeat(161)), gsm7(161, 2));
        assert_eq!(segments(&"a".repeat(306)), gsm7(306, 2));
        assert_eq!(segments(&"a".repeat(307)), gsm7(307, 3));
    }

    #[test]
    fn extension_characters_take_two_septets() {
        assert_eq!(segments("€"), gsm7(2, 1));
        assert_eq!(segments("^{}\\[~]|\u{c}"), gsm7(18, 1));
        assert_eq!(segments(&format!("{}€", "a".repeat(158))), gsm7(160, 1));
        assert_eq!(segments(&format!("{}€", "a".repeat(159))), gsm7(161, 2));
        // The escape and its character stay in one part: 152 septets, then the euro.
        assert_eq!(
            segments(&format!("{}€{}", "a".repeat(152), "a".repeat(152))).count,
            3
        );
        assert_eq!(
            segments(&format!("{}€{}", "a".repeat(151), "a".repeat(152))).count,
            2
        );
    }

    #[test]
    fn ucs2_fits_70_units_in_one_and_67_in_each_part() {
        assert_eq!(segments(&"ł".repeat(70)), ucs2(70, 1));
        assert_eq!(segments(&"ł".repeat(71)), ucs2(71, 2));
        assert_eq!(segments(&"ł".repeat(134)), ucs2(134, 2));
        assert_eq!(segments(&"ł".repeat(135)), ucs2(135, 3));
    }

    #[test]
    fn a_character_outside_the_basic_plane_takes_two_units() {
        assert_eq!(segments("😀"), ucs2(2, 1));
        assert_eq!(segments(&format!("{}😀", "a".repeat(68))), ucs2(70, 1));
        assert_eq!(segments(&format!("{}😀", "a".repeat(69))), ucs2(71, 2));
        // A surrogate pair is not split: 66 units, then the pair in the next part.
        assert_eq!(
            segments(&format!("{}😀{}", "a".repeat(66), "a".repeat(66))).count,
            3
        );
    }

    #[test]
    fn one_character_outside_gsm7_makes_the_whole_text_ucs2() {
        assert_eq!(segments(&"é".repeat(160)), gsm7(160, 1));
        assert_eq!(segments(&format!("{}ł", "a".repeat(69))), ucs2(70, 1));
        assert_eq!(segments(&format!("{}ł", "a".repeat(70))), ucs2(71, 2));
    }

    #[test]
    fn the_alphabet_is_the_one_in_the_standard() {
        let basic = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r ";
        assert!(basic.chars().all(|c| gsm7_septets(c) == Some(1)), "{basic}");
        assert_eq!(GSM7_BASIC.chars().count(), 127);
        assert_eq!(GSM7_EXTENSION.chars().count(), 10);
        // Look-alikes and neighbours that are not in it.
        for c in "çÈáíóúêâîôûłęąśżźćńõãÀ`\t\u{a0}\u{1b}ΑΒΕαβ’“".chars()
        {
            assert_eq!(gsm7_septets(c), None, "{c:?}");
        }
    }
}
