//! The guia de encaminhamento on paper and as a QR code: [`pdf`] lays out one A4 page with the
//! slip's lines and its QR code; [`qr_svg`] gives the QR code alone as an image.
//!
//! The words come from `esv_shared::slip` (the same text the QR code holds), so paper and phone
//! never disagree. The PDF is written by hand (`slip/pdf.rs`): one page, the standard Helvetica
//! fonts, rectangles for the QR modules — a few hundred lines instead of a PDF crate.

pub(crate) mod pages;
mod pdf;
mod qr;
mod winansi;

use esv_shared::slip::{slip_fields, slip_text, ReferralSlip, SlipField, SLIP_TITLE};

use pdf::{Content, Run, PAGE_HEIGHT, PAGE_WIDTH};
use winansi::Font;

/// Why a slip's QR code could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlipError {
    #[error("o texto é longo demais para um código QR ({bytes} bytes)")]
    TooLongForQr { bytes: usize },
    #[error("não foi possível montar o código QR: {0}")]
    Qr(#[source] qrcode::types::QrError),
}

/// The QR code of `text` (normally `slip_text` of a slip) as an SVG image: UTF-8 text that any
/// phone camera reads without the app.
pub fn qr_svg(text: &str) -> Result<String, SlipError> {
    qr::encode(text).map(|code| qr::svg(&code))
}

/// The slip as a one-page A4 PDF: title, the slip's lines in large type, and its QR code.
pub fn pdf(slip: &ReferralSlip) -> Vec<u8> {
    let mut page = Content::default();
    let modules = qr::encode(&slip_text(slip)).ok().map(|c| qr::modules(&c));
    let mut y = PAGE_HEIGHT - MARGIN - TITLE_SIZE;
    page.text(MARGIN, y, &[run(Font::Bold, TITLE_SIZE, SLIP_TITLE)]);
    if !slip.office.trim().is_empty() {
        y -= TITLE_SIZE * 0.5 + OFFICE_SIZE;
        page.text(
            MARGIN,
            y,
            &[run(Font::Regular, OFFICE_SIZE, slip.office.trim())],
        );
    }
    y -= 14.0;
    page.rect(MARGIN, y, TEXT_WIDTH, 1.2);
    y -= 8.0;

    let fields = slip_fields(slip);
    let qr_side = modules.as_ref().map(|m| QrSide::for_modules(m.len()));
    let (lines, side) = fit(&fields, y - MARGIN, qr_side);
    for line in &lines {
        y -= line.advance;
        let runs: Vec<Run<'_>> = line
            .runs
            .iter()
            .map(|(font, text)| run(*font, line.size, text))
            .collect();
        page.text(MARGIN + line.indent, y, &runs);
    }
    if let (Some(modules), Some(side)) = (&modules, side) {
        let top = y - QR_GAP;
        draw_qr(&mut page, modules, MARGIN, top, side);
        draw_qr_caption(&mut page, MARGIN + side + 18.0, top);
    }
    pdf::document(&page, "Guia de encaminhamento")
}

/// 2 cm margins; the page's text column between them.
const MARGIN: f32 = 56.7;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const TITLE_SIZE: f32 = 24.0;
const OFFICE_SIZE: f32 = 14.0;
/// The body's type sizes, largest first: the first whose lines leave room for the QR code wins.
const BODY_SIZES: [f32; 3] = [15.0, 14.0, 12.0];
const CAPTION_SIZE: f32 = 12.0;
const QR_GAP: f32 = 20.0;
/// A list item's bullet, set before each value of a field with several.
const BULLET: &str = "•  ";
const ITEM_INDENT: f32 = 14.0;

fn run(font: Font, size: f32, text: &str) -> Run<'_> {
    Run { font, size, text }
}

/// A line of the slip as set: runs of text after `indent`, `advance` below the previous line.
#[derive(Debug, Clone)]
struct Line {
    indent: f32,
    size: f32,
    advance: f32,
    runs: Vec<(Font, String)>,
}

/// How big the QR code may be drawn: large enough that a phone reads a module from a hand's
/// length (0.5 mm at least), no larger than a third of the page's width.
#[derive(Debug, Clone, Copy)]
struct QrSide {
    min: f32,
    max: f32,
}

impl QrSide {
    fn for_modules(n: usize) -> QrSide {
        // The quiet zone is 4 modules on each side.
        let with_quiet = (n + 8) as f32;
        QrSide {
            min: with_quiet * 1.5,
            max: (with_quiet * 4.0).min(200.0),
        }
    }
}

/// The slip's lines at the largest body size that leaves room for the QR code below them in
/// `height` points, and the QR code's side. When even the smallest size does not leave room, the
/// text is cut with "…" (the QR code still holds all of it).
fn fit(fields: &[SlipField], height: f32, qr: Option<QrSide>) -> (Vec<Line>, Option<f32>) {
    let room_for = |lines: &[Line]| height - lines.iter().map(|l| l.advance).sum::<f32>();
    for size in BODY_SIZES {
        let lines = set_fields(fields, size);
        let left = room_for(&lines);
        match qr {
            Some(qr) if left - QR_GAP >= qr.min => {
                return (lines, Some((left - QR_GAP).min(qr.max)));
            }
            None if left >= 0.0 => return (lines, None),
            _ => {}
        }
    }
    let size = BODY_SIZES[BODY_SIZES.len() - 1];
    let mut lines = set_fields(fields, size);
    let needed = qr.map_or(0.0, |qr| qr.min + QR_GAP);
    while !lines.is_empty() && room_for(&lines) < needed {
        lines.pop();
    }
    if let Some(last) = lines.last_mut() {
        last.runs = vec![(Font::Regular, "…".to_string())];
    }
    (lines, qr.map(|qr| qr.min))
}

/// Every field as lines at body `size`: "Label: value" wrapped under the value, or the label on
/// a line of its own with one bulleted item per value.
fn set_fields(fields: &[SlipField], size: f32) -> Vec<Line> {
    let leading = size * 1.3;
    let mut lines = Vec::new();
    for SlipField { label, values } in fields {
        let first_advance = leading + size * 0.45;
        if let [value] = values.as_slice() {
            let label = format!("{label}: ");
            let indent = Font::Bold.width(&label, size);
            let wrapped = wrap(value, size, TEXT_WIDTH - indent);
            for (i, text) in wrapped.into_iter().enumerate() {
                let mut runs = Vec::new();
                if i == 0 {
                    runs.push((Font::Bold, label.clone()));
                }
                runs.push((Font::Regular, text));
                lines.push(Line {
                    indent: if i == 0 { 0.0 } else { indent },
                    size,
                    advance: if i == 0 { first_advance } else { leading },
                    runs,
                });
            }
        } else {
            lines.push(Line {
                indent: 0.0,
                size,
                advance: first_advance,
                runs: vec![(Font::Bold, format!("{label}:"))],
            });
            let bullet = Font::Regular.width(BULLET, size);
            for value in values {
                let wrapped = wrap(value, size, TEXT_WIDTH - ITEM_INDENT - bullet);
                for (i, text) in wrapped.into_iter().enumerate() {
                    let mut runs = Vec::new();
                    if i == 0 {
                        runs.push((Font::Regular, BULLET.to_string()));
                    }
                    runs.push((Font::Regular, text));
                    lines.push(Line {
                        indent: ITEM_INDENT + if i == 0 { 0.0 } else { bullet },
                        size,
                        advance: leading,
                        runs,
                    });
                }
            }
        }
    }
    lines
}

/// `text` in lines no wider than `width` at `size` in the regular font: words kept whole, a word
/// wider than the line cut where it must.
fn wrap(text: &str, size: f32, width: f32) -> Vec<String> {
    let fits = |s: &str| Font::Regular.width(s, size) <= width;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The QR code with its quiet zone in a `side`-point square whose top-left corner is
/// (`left`, `top`); each row's runs of dark modules are one rectangle.
fn draw_qr(page: &mut Content, modules: &[Vec<bool>], left: f32, top: f32, side: f32) {
    let unit = side / (modules.len() + 8) as f32;
    for (r, row) in modules.iter().enumerate() {
        let y = top - (r + 5) as f32 * unit;
        let mut c = 0;
        while c < row.len() {
            if !row[c] {
                c += 1;
                continue;
            }
            let start = c;
            while c < row.len() && row[c] {
                c += 1;
            }
            let x = left + (start + 4) as f32 * unit;
            // A hair taller than the module, so no seam shows between rows when rendered.
            page.rect(x, y, (c - start) as f32 * unit, unit + 0.05);
        }
    }
}

/// What the QR code is for, beside it.
fn draw_qr_caption(page: &mut Content, left: f32, top: f32) {
    let width = PAGE_WIDTH - MARGIN - left;
    let mut y = top - CAPTION_SIZE - 12.0;
    page.text(
        left,
        y,
        &[run(Font::Bold, CAPTION_SIZE + 1.0, "Leia no celular")],
    );
    let words = "Aponte a câmera do celular para o código: aparece o texto desta guia, \
                 sem precisar de internet nem de aplicativo.";
    for line in wrap(words, CAPTION_SIZE, width) {
        y -= CAPTION_SIZE * 1.35;
        page.text(left, y, &[run(Font::Regular, CAPTION_SIZE, &line)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_wrap(text: &str, width: f32, expect: &[&str]) {
        assert_eq!(wrap(text, 10.0, width), expect, "{text:?} in {width}");
    }

    #[test]
    fn wrap_keeps_words_whole_and_cuts_only_what_cannot_fit() {
        // At 10 pt, "a" is 5.56 wide and a space 2.78.
        check_wrap("a a a", 100.0, &["a a a"]);
        check_wrap("aa aa aa", 30.0, &["aa aa", "aa"]);
        check_wrap("aaaaaaaa", 20.0, &["aaa", "aaa", "aa"]);
        check_wrap("", 20.0, &[""]);
        check_wrap("x", 1.0, &["x"]);
    }

    #[test]
    fn long_slips_shrink_then_cut_but_stay_on_the_page() {
        let field = |n: usize| SlipField {
            label: "Levar",
            values: (0..n).map(|i| format!("documento número {i}")).collect(),
        };
        let qr = Some(QrSide::for_modules(57));
        let (lines, side) = fit(&[field(5)], 600.0, qr);
        assert_eq!(lines[0].size, BODY_SIZES[0]);
        assert_eq!(side, Some(QrSide::for_modules(57).max));

        let (lines, side) = fit(&[field(60)], 600.0, qr);
        let used: f32 = lines.iter().map(|l| l.advance).sum();
        let side = side.expect("a QR code");
        assert!(used + QR_GAP + side <= 600.0, "{used} + {side}");
        assert_eq!(lines.last().map(|l| l.runs[0].1.as_str()), Some("…"));
    }
}
