//! A PDF 1.4 writer: A4 pages of text in the two standard Helvetica fonts and filled
//! rectangles, nothing else. Enough for the slip and a person's record, and small enough to read
//! in one sitting.
//!
//! The file is: header, catalog, page tree, two font dictionaries, the info, each page and its
//! content stream, then the cross-reference table with each object's byte offset, and the
//! trailer.

use std::fmt::Write as _;

use super::winansi::{literal, Font};

/// A4 in points.
pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;

/// A piece of text in one font and size; runs of one line are set one after the other.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run<'a> {
    pub font: Font,
    pub size: f32,
    pub text: &'a str,
}

/// The page's drawing operators. Coordinates are points from the bottom-left corner.
#[derive(Debug, Default)]
pub(crate) struct Content {
    ops: String,
}

impl Content {
    /// A line of text whose baseline starts at (`x`, `y`).
    pub(crate) fn text(&mut self, x: f32, y: f32, runs: &[Run<'_>]) {
        let _ = write!(self.ops, "BT {} {} Td", num(x), num(y));
        for run in runs {
            let _ = write!(
                self.ops,
                " /{} {} Tf {} Tj",
                font_resource(run.font),
                num(run.size),
                literal(run.text)
            );
        }
        self.ops.push_str(" ET\n");
    }

    /// A black rectangle with its bottom-left corner at (`x`, `y`).
    pub(crate) fn rect(&mut self, x: f32, y: f32, width: f32, height: f32) {
        let _ = writeln!(
            self.ops,
            "{} {} {} {} re f",
            num(x),
            num(y),
            num(width),
            num(height)
        );
    }
}

fn font_resource(font: Font) -> &'static str {
    match font {
        Font::Regular => "F1",
        Font::Bold => "F2",
    }
}

/// Two decimals at most, no trailing zeros: "12", "12.5", "-0.25".
fn num(v: f32) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// The whole file for one A4 page drawn by `content`, titled `title` (ASCII, for the reader's
/// window title).
pub(crate) fn document(content: &Content, title: &str) -> Vec<u8> {
    document_pages(std::slice::from_ref(content), title)
}

/// The whole file with one A4 page per `pages` item, in order. Objects: catalog, page tree,
/// the two fonts, the document's info, then each page and its content stream.
pub(crate) fn document_pages(pages: &[Content], title: &str) -> Vec<u8> {
    let font = |f: Font| {
        format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
            f.base_name()
        )
    };
    const FIRST_PAGE: usize = 6;
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", FIRST_PAGE + 2 * i))
        .collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ),
        font(Font::Regular),
        font(Font::Bold),
        format!(
            "<< /Title {} /Producer (Escritorio Social Virtual) >>",
            literal(title)
        ),
    ];
    for (i, content) in pages.iter().enumerate() {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            num(PAGE_WIDTH),
            num(PAGE_HEIGHT),
            FIRST_PAGE + 2 * i + 1
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{}endstream",
            content.ops.len(),
            content.ops
        ));
    }
    // A comment of high bytes right after the header tells transfer tools the file is binary.
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        // Each entry is exactly 20 bytes: 10 digits, space, 5 digits, space, 'n', space, LF.
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(table.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        for (v, s) in [
            (12.0, "12"),
            (12.5, "12.5"),
            (0.004, "0"),
            (-0.001, "0"),
            (595.28, "595.28"),
        ] {
            assert_eq!(num(v), s);
        }
    }

    #[test]
    fn every_xref_offset_points_at_its_object() {
        let mut c = Content::default();
        c.text(
            10.0,
            20.0,
            &[Run {
                font: Font::Bold,
                size: 12.0,
                text: "Olá (1)",
            }],
        );
        c.rect(1.0, 2.0, 3.0, 4.0);
        let pdf = document(&c, "t");
        // Offsets count bytes; the header's high bytes are not UTF-8, so look at the bytes.
        let tail = &pdf[pdf.len() - 40..];
        let tail = std::str::from_utf8(tail).expect("an ASCII trailer");
        let start: usize = tail
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        let table = std::str::from_utf8(&pdf[start..]).expect("an ASCII table");
        assert!(table.starts_with("xref\n0 8\n0000000000 65535 f \n"));
        let entries: Vec<usize> = table
            .lines()
            .skip(3)
            .take(7)
            .map(|l| l[..10].parse().expect("offset"))
            .collect();
        for (i, offset) in entries.into_iter().enumerate() {
            let head = format!("{} 0 obj\n", i + 1);
            assert!(
                pdf[offset..].starts_with(head.as_bytes()),
                "object {}",
                i + 1
            );
        }
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/F2 12 Tf (Ol\\341 \\(1\\)) Tj"));
    }
}
