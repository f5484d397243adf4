//! The guia de encaminhamento against real tools: pdftotext and pdfinfo read the PDF, pdftoppm
//! renders it, zbarimg decodes the QR code on the rendered page and in the SVG (through
//! ImageMagick and rsvg-convert). Rendered files stay in artifacts/slip/ to be looked at.

use std::path::PathBuf;
use std::process::{Command, Output};

use chrono::NaiveDate;
use esv_replica::slip::{pdf, qr_svg, SlipError};
use esv_shared::slip::{slip_text, ReferralSlip};

fn slip() -> ReferralSlip {
    ReferralSlip {
        person_name: "Joana D'Arc Conceição".into(),
        service_name: "Emissão de carteira de identidade (RG)".into(),
        provider: "Polícia Civil do Espírito Santo – PC Cidadão".into(),
        address: Some("Rua Dom Pedro II, 100, São Pedro, Vitória – ES".into()),
        hours: vec!["seg a sex, 8h às 17h".into(), "sáb, 8h às 12h".into()],
        phones: vec!["(27) 3137-9000".into(), "(27) 99999-0000".into()],
        bring: vec![
            "Certidão de nascimento ou de casamento".into(),
            "Comprovante de residência (conta de luz ou água)".into(),
            "Alvará de soltura ou atestado de pena".into(),
        ],
        referred_by: "Ana Lúcia Gonçalves".into(),
        office: "Escritório Social de Vitória".into(),
        office_phone: Some("(27) 3636-1000".into()),
        referred_on: NaiveDate::from_ymd_opt(2026, 12, 1).expect("a valid date"),
        reason: Some("Precisa do RG para abrir conta e começar no emprego; não tem nenhum documento com foto.".into()),
    }
}

/// artifacts/slip/ at the repository's root, made if missing.
fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../artifacts/slip");
    std::fs::create_dir_all(&dir).expect("artifacts/slip");
    dir
}

/// Runs a tool; a missing tool fails the test naming the Debian package that has it.
fn run(tool: &str, package: &str, args: &[&str]) -> Output {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} could not run ({e}): install it with `apt-get install {package}` (or scripts/setup.sh)")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 from the tool")
}

/// What zbarimg decodes in an image: each symbol's text, one per line.
fn decode_qr(png: &str) -> String {
    let out = run("zbarimg", "zbar-tools", &["--raw", "-q", png]);
    stdout(&out).trim_end_matches('\n').to_string()
}

fn write(name: &str, bytes: &[u8]) -> String {
    let path = artifacts().join(name);
    std::fs::write(&path, bytes).expect("write an artifact");
    path.to_string_lossy().into_owned()
}

#[test]
fn pdftotext_reads_the_slip_with_its_accents() {
    let path = write("guia.pdf", &pdf(&slip()));
    let text = stdout(&run("pdftotext", "poppler-utils", &[&path, "-"]));
    for expected in [
        "GUIA DE ENCAMINHAMENTO",
        "Joana D'Arc Conceição",
        "Emissão de carteira de identidade (RG)",
        "Levar:",
        "Certidão de nascimento",
        "São Pedro",
        "Polícia Civil do Espírito Santo – PC Cidadão",
        "seg a sex, 8h às 17h",
        "Encaminhado por: Ana Lúcia Gonçalves",
        "01/12/2026",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    // poppler complains on stderr about a broken xref table or object; say nothing is right.
    let info = run("pdfinfo", "poppler-utils", &[&path]);
    assert_eq!(String::from_utf8_lossy(&info.stderr), "");
    let info = stdout(&info);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
}

#[test]
fn type_is_large_and_the_title_larger() {
    let bytes = pdf(&slip());
    let body = String::from_utf8_lossy(&bytes);
    let sizes: Vec<f32> = body
        .split(" Tf")
        .filter_map(|before| before.rsplit(' ').next()?.parse().ok())
        .collect();
    assert!(sizes.len() > 10, "{sizes:?}");
    assert!(sizes.iter().all(|s| *s >= 12.0), "{sizes:?}");
    let title = sizes[0];
    assert!(sizes[1..].iter().all(|s| *s < title), "{sizes:?}");
}

#[test]
fn the_qr_code_on_the_rendered_page_holds_the_slip_text() {
    let path = write("guia-page.pdf", &pdf(&slip()));
    let prefix = artifacts().join("guia-page");
    let prefix = prefix.to_string_lossy();
    run(
        "pdftoppm",
        "poppler-utils",
        &["-png", "-r", "150", "-singlefile", &path, &prefix],
    );
    assert_eq!(decode_qr(&format!("{prefix}.png")), slip_text(&slip()));
}

#[test]
fn the_qr_svg_holds_the_slip_text() {
    let text = slip_text(&slip());
    let svg = write("guia-qr.svg", qr_svg(&text).expect("fits").as_bytes());
    let png = artifacts().join("guia-qr.png");
    let png = png.to_string_lossy();
    // ImageMagick hands SVG to rsvg-convert; without it convert fails with a riddle.
    run("rsvg-convert", "librsvg2-bin", &["--version"]);
    run("convert", "imagemagick", &[&svg, &png]);
    assert_eq!(decode_qr(&png), text);
}

#[test]
fn a_text_too_long_for_a_qr_code_is_a_plain_error() {
    let err = qr_svg(&"Certidão de nascimento. ".repeat(150)).expect_err("too long");
    assert_eq!(err, SlipError::TooLongForQr { bytes: 3750 });
    assert_eq!(
        err.to_string(),
        "o texto é longo demais para um código QR (3750 bytes)"
    );
}

#[test]
fn a_slip_too_long_for_one_page_stays_on_one_page_and_readable() {
    let mut long = slip();
    long.bring = (1..=60).map(|i| format!("Documento número {i}")).collect();
    let path = write("guia-longa.pdf", &pdf(&long));
    let info = stdout(&run("pdfinfo", "poppler-utils", &[&path]));
    assert!(info.contains("Pages:           1"), "{info}");
    let text = stdout(&run("pdftotext", "poppler-utils", &[&path, "-"]));
    assert!(text.contains("Documento número 1"), "{text}");
    assert!(text.contains('…'), "{text}");
    let prefix = artifacts().join("guia-longa");
    let prefix = prefix.to_string_lossy();
    run(
        "pdftoppm",
        "poppler-utils",
        &["-png", "-r", "200", "-singlefile", &path, &prefix],
    );
    assert_eq!(decode_qr(&format!("{prefix}.png")), slip_text(&long));
}
