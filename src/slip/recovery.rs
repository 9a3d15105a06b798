//! The recovery sheet: one A4 page with the recovery code, printed once at set-up and kept in
//! the bureau's safe. It names the database file and the day, and says what the code does.

use printpdf::PdfDocument;
use rust_i18n::t;

use super::SlipError;
use super::page::{MARGIN, Writer, a4_pdf};
use super::shaping::Fonts;

/// The sheet as a PDF, in `locale` (bg or en).
pub fn render(
    code: &str,
    bureau: &str,
    database: &str,
    made_on: &str,
    locale: &str,
) -> Result<Vec<u8>, SlipError> {
    let tr = |key: &str| t!(key, locale = locale).into_owned();
    let mut doc = PdfDocument::new(&tr("recovery_sheet.title"));
    let fonts = Fonts::load(&mut doc)?;
    let mut w = Writer::a4(&fonts);
    let content = w.width - 2.0 * MARGIN;
    w.paragraph(bureau, 10.0, MARGIN, content);
    w.paragraph(&tr("recovery_sheet.title"), 20.0, MARGIN, content);
    w.rule();
    w.gap(6.0);
    // Two lines of four groups, large enough to read back without mistakes.
    let groups: Vec<&str> = code.split('-').collect();
    for half in groups.chunks(4) {
        w.paragraph(&half.join("-"), 26.0, MARGIN, content);
    }
    w.gap(6.0);
    w.rule();
    for line in [
        format!("{}: {database}", tr("recovery_sheet.database")),
        format!("{}: {made_on}", tr("recovery_sheet.made_on")),
    ] {
        w.paragraph(&line, 11.0, MARGIN, content);
    }
    w.gap(6.0);
    for key in [
        "recovery_sheet.what",
        "recovery_sheet.keep",
        "recovery_sheet.rekey",
    ] {
        w.paragraph(&tr(key), 11.0, MARGIN, content);
        w.gap(3.0);
    }
    let pages = std::mem::take(&mut w.pages);
    Ok(a4_pdf(doc, pages))
}
