//! Bilingual slips as PDF: a referral slip or an accompaniment confirmation in the visitor's
//! language and Bulgarian (or any two of the slip languages), A5 or A4. The only module that
//! speaks printpdf. Arabic and Farsi are shaped and laid out right to left (`shaping`).

pub mod page;
pub mod programme;
pub mod recovery;
pub mod report;
pub mod shaping;
pub mod subject;

use chrono::{NaiveDate, NaiveDateTime};
use printpdf::{Mm, Op, PaintMode, PdfDocument, PdfPage, PdfSaveOptions, Pt, Rect};
use rust_i18n::t;

use crate::domain::reference::{languages, name_of};
use crate::domain::slips::{Place, SLIP_LANGUAGES, SlipData, SlipKind};
use page::{MARGIN, MM, Writer, grey};
use shaping::Fonts;

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 148 × 210 mm, the default.
    A5,
    /// 210 × 297 mm.
    A4,
}

impl Paper {
    /// Reads the setting's value ("A4" or "A5").
    pub fn from_setting(value: &str) -> Paper {
        if value.eq_ignore_ascii_case("a4") {
            Paper::A4
        } else {
            Paper::A5
        }
    }

    fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A5 => (148.0, 210.0),
            Paper::A4 => (210.0, 297.0),
        }
    }
}

/// A slip could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SlipError {
    /// A language with no slip text.
    #[error("there is no slip text in the language '{0}'")]
    UnknownLanguage(String),
    /// The fonts could not be loaded.
    #[error(transparent)]
    Font(#[from] shaping::FontError),
    /// The reference could not be encoded as a QR code.
    #[error("the reference could not be encoded as a QR code")]
    Qr,
}

const QR_SIZE: f32 = 22.0 * MM;
const TITLE: f32 = 15.0;
const BODY: f32 = 10.0;
const SMALL: f32 = 8.0;

fn tr(language: &str, key: &str) -> String {
    t!(key, locale = language).into_owned()
}

/// Dates on slips are dd.mm.yyyy in every language (the desk's own form).
fn format_date(date: NaiveDate) -> String {
    crate::domain::format_date(date, "bg")
}

fn format_moment(at: NaiveDateTime) -> String {
    format!("{} {}", format_date(at.date()), at.format("%H:%M"))
}

/// The QR code of the reference, as filled squares with its top-left corner at (x, top).
fn qr_ops(reference: &str, x: f32, top: f32, ops: &mut Vec<Op>) -> Result<(), SlipError> {
    qr_ops_sized(reference, x, top, QR_SIZE, ops)
}

/// The QR code of `text`, `size` points wide, with its top-left corner at (x, top).
fn qr_ops_sized(
    text: &str,
    x: f32,
    top: f32,
    size: f32,
    ops: &mut Vec<Op>,
) -> Result<(), SlipError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|_| SlipError::Qr)?;
    let modules = code.width();
    let cell = size / modules as f32;
    let colors = code.to_colors();
    ops.push(Op::SetFillColor { col: grey(0.0) });
    for row in 0..modules {
        let mut col = 0;
        while col < modules {
            if colors[row * modules + col] == qrcode::Color::Dark {
                let start = col;
                while col < modules && colors[row * modules + col] == qrcode::Color::Dark {
                    col += 1;
                }
                let rect = Rect {
                    x: Pt(x + start as f32 * cell),
                    y: Pt(top - (row + 1) as f32 * cell),
                    width: Pt((col - start) as f32 * cell),
                    height: Pt(cell),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                };
                ops.push(Op::DrawRectangle { rectangle: rect });
            } else {
                col += 1;
            }
        }
    }
    Ok(())
}

/// Whether a slip language is written right to left (its side is laid out from the right).
fn writes_right_to_left(language: &str) -> bool {
    matches!(language, "ar" | "fa")
}

/// The name of a language as its speakers write it (for the interpreter line).
fn endonym(code: &str) -> String {
    if SLIP_LANGUAGES.contains(&code) {
        tr(code, "slip.language_name")
    } else {
        name_of(languages(), code, "en")
    }
}

/// The name of the language `code` on the side written in `side`: Bulgarian and English name
/// it in their own words ("арабски", "Arabic"); the other sides, which the reference list has
/// no names for, name their own language in it and others as their speakers write them.
fn language_named_in(code: &str, side: &str) -> String {
    match side {
        "bg" | "en" => name_of(languages(), code, side),
        _ => endonym(code),
    }
}

/// The service's name in a slip language; the catalogue's own name for codes the slip text
/// does not know.
fn service_name(slip: &SlipData, language: &str) -> String {
    let key = format!("slip.services.{}", slip.service_code);
    crate::_rust_i18n_try_translate(language, &key)
        .map(|s| s.into_owned())
        .unwrap_or_else(|| {
            if language == "bg" {
                slip.service_names.0.clone()
            } else {
                slip.service_names.1.clone()
            }
        })
}

/// The label: value lines of one language's side.
fn side_lines(slip: &SlipData, language: &str) -> Vec<String> {
    let l = |key: &str| tr(language, &format!("slip.{key}"));
    // Each value is a first-strong isolate: a phone number or a Latin address keeps its own
    // order inside a right-to-left line, and an Arabic reason inside a Bulgarian one.
    let field = |key: &str, value: &str| format!("{}: \u{2068}{value}\u{2069}", l(key));
    let visitor = match &slip.visitor_given_name {
        Some(name) => format!("{} {name}", slip.visitor_code),
        None => slip.visitor_code.clone(),
    };
    let dest = &slip.destination;
    let mut lines = vec![
        format!(
            "{} · {}",
            field("reference", &slip.reference),
            field("date", &format_date(slip.issued_on))
        ),
        field("visitor", &visitor),
        field("destination", dest.name(language)),
    ];
    for (key, value) in [
        ("address", dest.address(language)),
        ("hours", dest.hours(language)),
        ("phone", dest.phone.as_str()),
    ] {
        if !value.is_empty() {
            lines.push(field(key, value));
        }
    }
    lines.push(field("service", &service_name(slip, language)));
    match &slip.kind {
        SlipKind::Referral {
            reason,
            appointment,
            family,
        } => {
            if !family.is_empty() {
                lines.push(field("family", &family.join(", ")));
            }
            if !reason.is_empty() {
                lines.push(field("reason", reason));
            }
            if let Some(at) = appointment {
                lines.push(field("appointment", &format_moment(*at)));
            }
        }
        SlipKind::Accompaniment {
            purpose,
            meeting_at,
            meeting_point,
            escort,
            interpreter_language,
        } => {
            if !purpose.is_empty() {
                lines.push(field("purpose", purpose));
            }
            let meeting = if meeting_point.is_empty() {
                format_moment(*meeting_at)
            } else {
                format!("{} · {meeting_point}", format_moment(*meeting_at))
            };
            lines.push(field("meeting", &meeting));
            if let Some(escort) = escort {
                lines.push(field("escort", escort));
            }
            if let Some(code) = interpreter_language {
                lines.push(field("interpreter", &language_named_in(code, language)));
            }
        }
    }
    lines.push(field("issued_by", &slip.issued_by));
    lines
}

/// The parts that are not empty, joined.
fn joined(parts: &[&str], separator: &str) -> String {
    parts
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(separator)
}

/// The bureau at the top of a page: its name in Bulgarian and in Latin letters, its address in
/// both, then `more` lines (each left out when empty), within `width` from the margin.
fn bureau_heading(w: &mut Writer<'_>, bureau: &Place, more: &[String], width: f32) {
    w.paragraph(bureau.name("bg"), 11.0, MARGIN, width);
    if bureau.name_en != bureau.name_bg && !bureau.name_en.is_empty() {
        w.paragraph(&bureau.name_en, SMALL + 1.0, MARGIN, width);
    }
    let address = joined(&[&bureau.address_bg, &bureau.address_en], " / ");
    for line in std::iter::once(&address).chain(more) {
        if !line.is_empty() {
            w.paragraph(line, SMALL, MARGIN, width);
        }
    }
}

/// Lays the slip out at one text scale; returns the pages' drawing operations.
fn layout(
    fonts: &Fonts,
    slip: &SlipData,
    first: &str,
    second: &str,
    paper: Paper,
    title_key: &str,
    scale: f32,
) -> Result<Vec<Vec<Op>>, SlipError> {
    let mut w = Writer::new(fonts, paper.size_mm(), scale);
    let width = w.width;
    let content = width - 2.0 * MARGIN;

    // The bureau, with the QR code of the reference at the top right.
    let top = w.y;
    qr_ops(&slip.reference, width - MARGIN - QR_SIZE, top, w.ops())?;
    let beside_qr = content - QR_SIZE - 8.0;
    let bureau = &slip.bureau;
    bureau_heading(
        &mut w,
        bureau,
        &[joined(
            &[&bureau.phone, &bureau.hours_bg, &bureau.hours_en],
            " · ",
        )],
        beside_qr,
    );
    w.y = w.y.min(top - QR_SIZE);
    w.paragraph(&slip.reference, SMALL, width - MARGIN - QR_SIZE, QR_SIZE);

    let mut sides = vec![first];
    if second != first {
        sides.push(second);
    }
    for language in sides {
        w.rule();
        w.paragraph(&tr(language, title_key), TITLE, MARGIN, content);
        w.gap(2.0);
        for line in side_lines(slip, language) {
            w.paragraph(&line, BODY, MARGIN, content);
        }
        w.gap(2.0);
        let bring = match slip.kind {
            SlipKind::Referral { .. } => "slip.bring",
            SlipKind::Accompaniment { .. } => "slip.bring_accompaniment",
        };
        w.paragraph(&tr(language, bring), SMALL + 1.0, MARGIN, content);
        if !bureau.phone.is_empty() {
            w.paragraph(
                &format!(
                    "{} \u{2068}{}\u{2069}",
                    tr(language, "slip.questions"),
                    bureau.phone
                ),
                SMALL + 1.0,
                MARGIN,
                content,
            );
        }
    }

    Ok(w.pages)
}

/// Renders the slip in two languages (the same language twice gives one side) as a PDF.
pub fn render(
    slip: &SlipData,
    first: &str,
    second: &str,
    paper: Paper,
) -> Result<Vec<u8>, SlipError> {
    for language in [first, second] {
        if !SLIP_LANGUAGES.contains(&language) {
            return Err(SlipError::UnknownLanguage(language.to_owned()));
        }
    }
    let title_key = match slip.kind {
        SlipKind::Referral { .. } => "slip.referral_title",
        SlipKind::Accompaniment { .. } => "slip.accompaniment_title",
    };
    let mut doc = PdfDocument::new(&format!("{} {}", tr("en", title_key), slip.reference));
    let fonts = Fonts::load(&mut doc)?;
    let (width_mm, height_mm) = paper.size_mm();
    // A long slip (wrapped addresses, a long reason) is set smaller rather than spill onto a
    // second sheet; past the smallest size it does continue on a second page.
    let mut pages = Vec::new();
    for scale in [1.0, 0.92, 0.85, 0.78] {
        pages = layout(&fonts, slip, first, second, paper, title_key, scale)?;
        if pages.len() <= 1 {
            break;
        }
    }
    let pages = pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(width_mm), Mm(height_mm), ops))
        .collect();
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    Ok(bytes)
}
