//! Laying text and shapes out on pages, top to bottom: shared by the slips and the report.

use printpdf::{Color, Greyscale, Op, PaintMode, Pt, Rect};

use super::shaping::{Fonts, ShapedLine};

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;
/// Page margin.
pub(crate) const MARGIN: f32 = 12.0 * MM;

/// Writes text top to bottom on pages, wrapping and aligning each line by its direction.
pub(crate) struct Writer<'a> {
    pub(crate) fonts: &'a Fonts,
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) y: f32,
    pub(crate) pages: Vec<Vec<Op>>,
    /// Text sizes and gaps are multiplied by this, to fit a long slip on one page.
    pub(crate) scale: f32,
}

/// A4 in millimetres.
const A4_MM: (f32, f32) = (210.0, 297.0);

impl<'a> Writer<'a> {
    /// A writer at the top of a first page of `size_mm` (width, height), text at `scale`.
    pub(crate) fn new(fonts: &'a Fonts, size_mm: (f32, f32), scale: f32) -> Self {
        Writer {
            fonts,
            width: size_mm.0 * MM,
            height: size_mm.1 * MM,
            y: size_mm.1 * MM - MARGIN,
            pages: Vec::new(),
            scale,
        }
    }

    /// A writer at the top of a first A4 page (the report, the recovery sheet).
    pub(crate) fn a4(fonts: &'a Fonts) -> Self {
        Writer::new(fonts, A4_MM, 1.0)
    }
}

/// The A4 pages written, as a PDF of `doc`.
pub(crate) fn a4_pdf(mut doc: printpdf::PdfDocument, pages: Vec<Vec<Op>>) -> Vec<u8> {
    let pages = pages
        .into_iter()
        .map(|ops| printpdf::PdfPage::new(printpdf::Mm(A4_MM.0), printpdf::Mm(A4_MM.1), ops))
        .collect();
    let mut warnings = Vec::new();
    doc.with_pages(pages)
        .save(&printpdf::PdfSaveOptions::default(), &mut warnings)
}

impl Writer<'_> {
    pub(crate) fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub(crate) fn ensure_room(&mut self, needed: f32) {
        if self.y - needed < MARGIN {
            self.pages.push(Vec::new());
            self.y = self.height - MARGIN;
        }
    }

    /// Breaks a paragraph into lines no wider than `max` (by words, in logical order).
    pub(crate) fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<ShapedLine> {
        self.wrap_in(text, size, max, "")
    }

    /// `wrap`, each line starting with `mark` (a direction mark that sets the line's direction
    /// whatever its first letter).
    fn wrap_in(&self, text: &str, size: f32, max: f32, mark: &str) -> Vec<ShapedLine> {
        let shape = |line: &str| self.fonts.shape_line(&format!("{mark}{line}"), size);
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in text.split(' ') {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if !current.is_empty() && shape(&candidate).width > max {
                lines.push(shape(&current));
                current = word.to_owned();
            } else {
                current = candidate;
            }
        }
        if !current.is_empty() {
            lines.push(shape(&current));
        }
        lines
    }

    /// Writes a paragraph; right-to-left lines are right-aligned within `[left, left + max]`.
    pub(crate) fn paragraph(&mut self, text: &str, size: f32, left: f32, max: f32) {
        let size = size * self.scale;
        for line in self.wrap(text, size, max) {
            let leading = size * 1.45;
            self.ensure_room(leading);
            self.y -= leading;
            let x = if line.rtl {
                left + max - line.width
            } else {
                left
            };
            let (fonts, y) = (self.fonts, self.y);
            fonts.draw(&line, x, y, size, self.ops());
        }
    }

    /// Writes columns side by side (one language each, `true` for a right-to-left one, whose
    /// every line then reads right to left even when it starts with a date or a Latin name),
    /// row by row so they stay level across a page break.
    pub(crate) fn columns(&mut self, columns: &[(Vec<String>, bool)], size: f32) {
        let size = size * self.scale;
        let gap = 8.0 * MM;
        let count = columns.len().max(1) as f32;
        let width = (self.width - 2.0 * MARGIN - gap * (count - 1.0)) / count;
        let wrapped: Vec<Vec<ShapedLine>> = columns
            .iter()
            .map(|(lines, rtl)| {
                let mark = if *rtl { "\u{200F}" } else { "" };
                lines
                    .iter()
                    .flat_map(|t| self.wrap_in(t, size, width, mark))
                    .collect()
            })
            .collect();
        let rows = wrapped.iter().map(Vec::len).max().unwrap_or(0);
        let leading = size * 1.45;
        // A block's first lines start on the same page as its heading.
        self.ensure_room(leading * rows.min(3) as f32);
        for row in 0..rows {
            self.ensure_room(leading);
            self.y -= leading;
            for (i, column) in wrapped.iter().enumerate() {
                let Some(line) = column.get(row) else {
                    continue;
                };
                let left = MARGIN + i as f32 * (width + gap);
                let x = if line.rtl {
                    left + width - line.width
                } else {
                    left
                };
                let (fonts, y) = (self.fonts, self.y);
                fonts.draw(line, x, y, size, self.ops());
            }
        }
    }

    pub(crate) fn gap(&mut self, points: f32) {
        self.y -= points * self.scale;
    }

    pub(crate) fn rule(&mut self) {
        self.gap(5.0);
        let rect = Rect {
            x: Pt(MARGIN),
            y: Pt(self.y),
            width: Pt(self.width - 2.0 * MARGIN),
            height: Pt(0.6),
            mode: Some(PaintMode::Fill),
            winding_order: None,
        };
        let ops = self.ops();
        ops.push(Op::SetFillColor { col: grey(0.6) });
        ops.push(Op::DrawRectangle { rectangle: rect });
        ops.push(Op::SetFillColor { col: grey(0.0) });
        self.gap(3.0);
    }

    /// A filled rectangle in a shade of grey (0 black, 1 white); (x, y) is its lower left.
    pub(crate) fn fill(&mut self, x: f32, y: f32, width: f32, height: f32, shade: f32) {
        let rect = Rect {
            x: Pt(x),
            y: Pt(y),
            width: Pt(width),
            height: Pt(height),
            mode: Some(PaintMode::Fill),
            winding_order: None,
        };
        let ops = self.ops();
        ops.push(Op::SetFillColor { col: grey(shade) });
        ops.push(Op::DrawRectangle { rectangle: rect });
        ops.push(Op::SetFillColor { col: grey(0.0) });
    }

    /// One line of text at a point (its baseline), not moving the flow.
    pub(crate) fn text_at(&mut self, text: &str, size: f32, x: f32, y: f32) -> f32 {
        let line = self.fonts.shape_line(text, size);
        let width = line.width;
        let fonts = self.fonts;
        fonts.draw(&line, x, y, size, self.ops());
        width
    }
}

/// A shade of grey for fills (0 black, 1 white).
pub(crate) fn grey(level: f32) -> Color {
    Color::Greyscale(Greyscale {
        percent: level,
        icc_profile: None,
    })
}
