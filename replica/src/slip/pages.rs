//! Text over as many A4 pages as it needs: headings, label–value lines and paragraphs wrapped to
//! the column, a new page whenever the next line would cross the bottom margin, each page
//! numbered. For papers longer than the slip: a person's copy of their record.

use super::pdf::{self, Content, Run, PAGE_HEIGHT};
use super::winansi::Font;
use super::{wrap, MARGIN, TEXT_WIDTH};

/// One piece of the text, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// A section's title, in bold.
    Heading(String),
    /// "Nome social: Maria" — the label in bold, the value wrapped under it when long.
    Field(String, String),
    /// Plain text, wrapped.
    Paragraph(String),
}

const TITLE_SIZE: f32 = 18.0;
const HEADING_SIZE: f32 = 13.0;
const BODY_SIZE: f32 = 10.5;
const LEADING: f32 = 1.35;
const FOOTER_SIZE: f32 = 8.5;

/// The pages holding `blocks` under `title`, as a PDF.
pub(crate) fn pdf(title: &str, blocks: &[Block]) -> Vec<u8> {
    let mut pages: Vec<Content> = Vec::new();
    let mut page = Content::default();
    let mut y = PAGE_HEIGHT - MARGIN - TITLE_SIZE;
    for line in wrap(title, TITLE_SIZE, TEXT_WIDTH) {
        page.text(MARGIN, y, &[run(Font::Bold, TITLE_SIZE, &line)]);
        y -= TITLE_SIZE * LEADING;
    }
    let bottom = MARGIN + FOOTER_SIZE * 2.0;
    // Moves down by `advance`, starting a page first when that would cross the bottom.
    let mut down = |page: &mut Content, y: &mut f32, advance: f32| {
        if *y - advance < bottom {
            pages.push(std::mem::take(page));
            *y = PAGE_HEIGHT - MARGIN;
        }
        *y -= advance;
    };
    for block in blocks {
        match block {
            Block::Heading(text) => {
                down(&mut page, &mut y, HEADING_SIZE * 1.8);
                page.text(MARGIN, y, &[run(Font::Bold, HEADING_SIZE, text)]);
                down(&mut page, &mut y, 4.0);
                page.rect(MARGIN, y, TEXT_WIDTH, 0.8);
            }
            Block::Field(label, value) => {
                let label = format!("{label}: ");
                let label_width = Font::Bold.width(&label, BODY_SIZE);
                let lines = wrap(value, BODY_SIZE, TEXT_WIDTH - label_width);
                for (i, line) in lines.iter().enumerate() {
                    down(&mut page, &mut y, BODY_SIZE * LEADING);
                    if i == 0 {
                        page.text(
                            MARGIN,
                            y,
                            &[
                                run(Font::Bold, BODY_SIZE, &label),
                                run(Font::Regular, BODY_SIZE, line),
                            ],
                        );
                    } else {
                        page.text(
                            MARGIN + label_width,
                            y,
                            &[run(Font::Regular, BODY_SIZE, line)],
                        );
                    }
                }
            }
            Block::Paragraph(text) => {
                down(&mut page, &mut y, BODY_SIZE * 0.5);
                for line in wrap(text, BODY_SIZE, TEXT_WIDTH) {
                    down(&mut page, &mut y, BODY_SIZE * LEADING);
                    page.text(MARGIN, y, &[run(Font::Regular, BODY_SIZE, &line)]);
                }
            }
        }
    }
    pages.push(page);
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let footer = format!("{title} — página {} de {count}", i + 1);
        page.text(MARGIN, MARGIN, &[run(Font::Regular, FOOTER_SIZE, &footer)]);
    }
    pdf::document_pages(&pages, "Copia dos dados")
}

fn run(font: Font, size: f32, text: &str) -> Run<'_> {
    Run { font, size, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(haystack: &[u8], needle: &str) -> usize {
        String::from_utf8_lossy(haystack).matches(needle).count()
    }

    #[test]
    fn a_long_text_goes_on_over_numbered_pages() {
        let mut blocks = vec![Block::Heading("Atendimentos".into())];
        for i in 0..120 {
            blocks.push(Block::Field(format!("Atendimento {i}"), "Documentação civil; moradia. Voltar na terça com a certidão de nascimento e o comprovante.".into()));
        }
        let pdf = pdf("Cópia dos dados de Maria", &blocks);
        let pages = count(&pdf, "/Type /Page /Parent");
        assert!(pages >= 3, "{pages} page(s)");
        assert_eq!(count(&pdf, &format!("/Count {pages}")), 1);
        assert!(String::from_utf8_lossy(&pdf).contains(&format!("gina {pages} de {pages}")));
        assert_eq!(count(&pdf, "Atendimento 119"), 1, "nothing is left out");
    }

    #[test]
    fn a_short_text_is_one_page() {
        let pdf = pdf("Cópia", &[Block::Paragraph("Pouco.".into())]);
        assert_eq!(count(&pdf, "/Type /Page /Parent"), 1);
    }
}
