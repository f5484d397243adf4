//! The slip's QR code: its text as UTF-8 bytes, marked as UTF-8 (ECI 26) so a phone camera
//! shows "ç" and "ã" rather than guessing Latin-1, in the smallest symbol that holds it.

use qrcode::bits::Bits;
use qrcode::render::svg;
use qrcode::types::QrError;
use qrcode::{Color, EcLevel, QrCode, Version};

use super::SlipError;

/// The ECI designator of UTF-8.
const ECI_UTF8: u32 = 26;

/// The symbol for `text`. Error correction M (a crease or a smudge still reads) when it fits,
/// L when only that fits.
pub(crate) fn encode(text: &str) -> Result<QrCode, SlipError> {
    for ec in [EcLevel::M, EcLevel::L] {
        for version in 1..=40 {
            match encode_at(text.as_bytes(), Version::Normal(version), ec) {
                Ok(code) => return Ok(code),
                Err(QrError::DataTooLong) => continue,
                Err(other) => return Err(SlipError::Qr(other)),
            }
        }
    }
    Err(SlipError::TooLongForQr { bytes: text.len() })
}

fn encode_at(data: &[u8], version: Version, ec: EcLevel) -> Result<QrCode, QrError> {
    let mut bits = Bits::new(version);
    bits.push_eci_designator(ECI_UTF8)?;
    bits.push_byte_data(data)?;
    bits.push_terminator(ec)?;
    QrCode::with_bits(bits, ec)
}

/// The modules, row by row from the top: `true` is dark.
pub(crate) fn modules(code: &QrCode) -> Vec<Vec<bool>> {
    let colors = code.to_colors();
    colors
        .chunks(code.width())
        .map(|row| row.iter().map(|c| *c == Color::Dark).collect())
        .collect()
}

/// The symbol as an SVG image, 8 units per module, with the 4-module quiet zone.
pub(crate) fn svg(code: &QrCode) -> String {
    code.render::<svg::Color<'_>>()
        .module_dimensions(8, 8)
        .quiet_zone(true)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smallest_symbol_that_holds_the_text() {
        // Version 1-M holds 14 bytes; the ECI header takes 12 bits of that.
        assert_eq!(encode("a").expect("fits").version(), Version::Normal(1));
        let code = encode(&"á".repeat(200)).expect("fits");
        assert_eq!(code.error_correction_level(), EcLevel::M);
        assert!(matches!(code.version(), Version::Normal(v) if v > 10));
    }

    #[test]
    fn falls_back_to_low_correction_then_gives_up() {
        // 2,331 bytes is the most 40-M holds; 2,953 the most 40-L holds.
        let code = encode(&"x".repeat(2500)).expect("fits at L");
        assert_eq!(code.error_correction_level(), EcLevel::L);
        assert_eq!(
            encode(&"x".repeat(3000)).map(|c| c.version()),
            Err(SlipError::TooLongForQr { bytes: 3000 })
        );
    }
}
