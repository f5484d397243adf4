//! Helvetica and Helvetica-Bold in WinAnsiEncoding: text to the bytes a PDF reader maps back
//! to Portuguese letters, the width of those bytes (to wrap lines), and literal-string escaping.
//!
//! The widths are Adobe's published metrics of the two standard fonts (every PDF reader has
//! them, so nothing is embedded), in thousandths of the font size, for codes 32 to 255.

/// One of the two standard fonts the slip uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Font {
    Regular,
    Bold,
}

impl Font {
    /// The PostScript name of the font, for its PDF font dictionary.
    pub(crate) fn base_name(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
        }
    }

    /// Width of `text` set in this font at `size` points.
    pub(crate) fn width(self, text: &str, size: f32) -> f32 {
        let table = match self {
            Font::Regular => &HELVETICA,
            Font::Bold => &HELVETICA_BOLD,
        };
        let units: u32 = crate::entry::composed(text)
            .chars()
            .map(|c| u32::from(table[usize::from(encode_char(c).saturating_sub(32))]))
            .sum();
        units as f32 * size / 1000.0
    }
}

/// The WinAnsi (Windows-1252) byte of a character; `?` for one the encoding lacks.
pub(crate) fn encode_char(c: char) -> u8 {
    let code = u32::from(c);
    match code {
        0x20..=0x7e | 0xa0..=0xff => code as u8,
        _ => match c {
            '€' => 0x80,
            '‚' => 0x82,
            'ƒ' => 0x83,
            '„' => 0x84,
            '…' => 0x85,
            '†' => 0x86,
            '‡' => 0x87,
            'ˆ' => 0x88,
            '‰' => 0x89,
            'Š' => 0x8a,
            '‹' => 0x8b,
            'Œ' => 0x8c,
            'Ž' => 0x8e,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '˜' => 0x98,
            '™' => 0x99,
            'š' => 0x9a,
            '›' => 0x9b,
            'œ' => 0x9c,
            'ž' => 0x9e,
            'Ÿ' => 0x9f,
            _ => b'?',
        },
    }
}

/// `text` as a PDF literal string, parentheses included: WinAnsi bytes, with `(`, `)` and `\`
/// escaped and every byte outside printable ASCII written in octal, so the content stream stays
/// plain ASCII. Decomposed letters ("a" + a combining tilde) are composed first: WinAnsi has
/// "ã", not the lone tilde, which would print as "?".
pub(crate) fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('(');
    for b in crate::entry::composed(text).chars().map(encode_char) {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push(')');
    out
}

/// Helvetica, codes 32–255 of WinAnsiEncoding (0 where the encoding has no glyph).
const HELVETICA: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    0, 556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 222, 222,
    333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556,
    260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 578, 537, 278, 333,
    333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667,
    278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556,
    556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold, codes 32–255 of WinAnsiEncoding (0 where the encoding has no glyph).
const HELVETICA_BOLD: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667,
    611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556,
    278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    0, 556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 278, 278,
    500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556,
    280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584, 333, 333, 333, 611, 556, 278, 333,
    333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667,
    278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667,
    611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611,
    611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portuguese_letters_are_their_cp1252_bytes() {
        let cases = [
            ('ç', 0xe7),
            ('ã', 0xe3),
            ('é', 0xe9),
            ('õ', 0xf5),
            ('Á', 0xc1),
            ('ª', 0xaa),
        ];
        for (c, b) in cases {
            assert_eq!(encode_char(c), b, "{c}");
        }
        assert_eq!(encode_char('–'), 0x96);
        assert_eq!(encode_char('€'), 0x80);
        assert_eq!(encode_char('ŕ'), b'?');
    }

    #[test]
    fn a_decomposed_name_prints_its_letters_not_question_marks() {
        assert_eq!(
            literal("Joa\u{303}o Conceic\u{327}a\u{303}o"),
            literal("João Conceição")
        );
        assert!(!literal("Mun\u{303}oz").contains('?'));
        assert_eq!(
            Font::Regular.width("Joa\u{303}o", 10.0),
            Font::Regular.width("João", 10.0)
        );
    }

    #[test]
    fn literals_escape_delimiters_and_write_high_bytes_in_octal() {
        assert_eq!(literal("(27) a\\b"), "(\\(27\\) a\\\\b)");
        assert_eq!(literal("São"), "(S\\343o)");
    }

    #[test]
    fn widths_follow_the_metrics() {
        // "a" is 556 units in both; "i" 222 in Helvetica, 278 in bold.
        assert_eq!(Font::Regular.width("ai", 10.0), 7.78);
        assert_eq!(Font::Bold.width("ai", 10.0), 8.34);
        assert_eq!(
            Font::Regular.width("ã", 10.0),
            Font::Regular.width("a", 10.0)
        );
    }
}
