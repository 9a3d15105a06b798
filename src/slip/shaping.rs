//! Shaped text for PDF: lines are split into direction runs (`domain::bidi`), each run is
//! shaped with harfrust in the right font, and the glyphs are placed one by one.
//!
//! Extraction: each glyph carries its characters (right-to-left clusters reversed, as they
//! stand on the page), and each line is wrapped in an `/ActualText` span, so readers get plain
//! letters, not shaped presentation forms. Readers such as poppler's `pdftotext` treat page text
//! as visual and reverse every right-to-left stretch themselves, so the span holds the typed
//! line with those stretches pre-reversed (`extraction_text`): what comes out is the typed text,
//! in logical order, ligatures such as lam-alef included.

use std::collections::BTreeMap;

use harfrust::{Direction, FontRef, ShaperData, UnicodeBuffer};
use printpdf::{
    Codepoint, DictItem, FontId, Op, ParsedFont, PdfDocument, PdfFontHandle, Pt, TextItem,
    TextMatrix,
};

use crate::domain::bidi::visual_runs;
use crate::domain::text::has_rtl;

/// Which embedded font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Face {
    /// Noto Sans: Latin, Cyrillic, digits, punctuation.
    Sans,
    /// Noto Sans Arabic: Arabic and Farsi.
    Arabic,
}

struct LoadedFace {
    font: FontRef<'static>,
    shaper: ShaperData,
    units_per_em: f32,
    pdf: FontId,
}

/// The fonts of one document, ready to shape and to be referenced by the page.
pub struct Fonts {
    sans: LoadedFace,
    arabic: LoadedFace,
}

/// One placed glyph, in points from the start of its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Font.
    pub face: Face,
    /// Glyph id in that font.
    pub id: u16,
    /// Left edge of the glyph, from the line's left edge.
    pub x: f32,
    /// Vertical offset (marks above or below).
    pub y: f32,
    /// The characters this glyph stands for (empty for the 2nd+ glyph of a cluster).
    pub text: String,
}

/// A shaped line: its glyphs left to right, its width and its logical text.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedLine {
    /// Glyphs in drawing order.
    pub glyphs: Vec<Glyph>,
    /// Total advance in points.
    pub width: f32,
    /// The line for `/ActualText` (see `extraction_text`).
    pub text: String,
    /// The line reads right to left (so it is right-aligned).
    pub rtl: bool,
}

/// The fonts could not be read.
#[derive(Debug, thiserror::Error)]
#[error("an embedded font could not be read")]
pub struct FontError;

impl Fonts {
    /// Loads the embedded fonts and registers them with the document.
    pub fn load(doc: &mut PdfDocument) -> Result<Self, FontError> {
        let mut load = |bytes: &'static [u8]| -> Result<LoadedFace, FontError> {
            let font = FontRef::new(bytes).map_err(|_| FontError)?;
            let shaper = ShaperData::new(&font);
            let units_per_em = f32::from(
                harfrust::ShaperData::new(&font)
                    .shaper(&font)
                    .build()
                    .units_per_em() as u16,
            );
            let mut warnings = Vec::new();
            let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(FontError)?;
            let pdf = doc.add_font(&parsed);
            Ok(LoadedFace {
                font,
                shaper,
                units_per_em,
                pdf,
            })
        };
        Ok(Fonts {
            sans: load(crate::fonts::NOTO_SANS)?,
            arabic: load(crate::fonts::NOTO_SANS_ARABIC)?,
        })
    }

    fn face(&self, face: Face) -> &LoadedFace {
        match face {
            Face::Sans => &self.sans,
            Face::Arabic => &self.arabic,
        }
    }

    /// Shapes one piece of text in one font and direction; glyphs come back left to right.
    fn shape_piece(
        &self,
        face: Face,
        text: &str,
        rtl: bool,
        size: f32,
        base: usize,
    ) -> Vec<(u16, f32, f32, f32, usize)> {
        let loaded = self.face(face);
        let shaper = loaded.shaper.shaper(&loaded.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(if rtl {
            Direction::RightToLeft
        } else {
            Direction::LeftToRight
        });
        buffer.guess_segment_properties();
        let output = shaper.shape(buffer, harfrust::ShapeOptions::new());
        let scale = size / loaded.units_per_em;
        output
            .glyph_infos()
            .iter()
            .zip(output.glyph_positions())
            .map(|(info, pos)| {
                (
                    u16::try_from(info.glyph_id).unwrap_or(0),
                    pos.x_advance as f32 * scale,
                    pos.x_offset as f32 * scale,
                    pos.y_offset as f32 * scale,
                    base + info.cluster as usize,
                )
            })
            .collect()
    }

    /// Which font draws each character of a run: the run's natural font, or the other one
    /// where the natural font has no glyph.
    fn faces_for(&self, run: &str, rtl: bool, size: f32) -> Vec<(usize, Face)> {
        let natural = if rtl || has_rtl(run) {
            Face::Arabic
        } else {
            Face::Sans
        };
        let missing: Vec<usize> = self
            .shape_piece(natural, run, rtl, size, 0)
            .iter()
            .filter(|g| g.0 == 0)
            .map(|g| g.4)
            .collect();
        let other = if natural == Face::Arabic {
            Face::Sans
        } else {
            Face::Arabic
        };
        run.char_indices()
            .map(|(i, c)| {
                let fallback = missing.contains(&i) && !c.is_whitespace() && !is_bidi_control(c);
                (i, if fallback { other } else { natural })
            })
            .collect()
    }

    /// Shapes a line: bidi runs in visual order, each split where the font must change.
    pub fn shape_line(&self, text: &str, size: f32) -> ShapedLine {
        let mut glyphs = Vec::new();
        let mut x = 0.0;
        let base_of = |piece: &str| piece.as_ptr() as usize - text.as_ptr() as usize;
        for run in visual_runs(text) {
            // Split the run into pieces of one font, in logical order.
            let faces = self.faces_for(run.text, run.rtl, size);
            let mut pieces: Vec<(Face, &str)> = Vec::new();
            let mut start = 0;
            for (k, (i, face)) in faces.iter().enumerate() {
                let end = faces.get(k + 1).map_or(run.text.len(), |(next, _)| *next);
                let next_face = faces.get(k + 1).map(|(_, f)| *f);
                if next_face != Some(*face) {
                    pieces.push((*face, &run.text[start..end]));
                    start = end;
                }
                let _ = i;
            }
            // A right-to-left run draws its last logical piece first.
            if run.rtl {
                pieces.reverse();
            }
            for (face, piece) in pieces {
                let shaped = self.shape_piece(face, piece, run.rtl, size, base_of(piece));
                let mut clusters_seen = Vec::new();
                for (id, advance, x_offset, y_offset, cluster) in shaped {
                    // Direction marks and isolates steer the layout; they draw nothing.
                    if text
                        .get(cluster..)
                        .and_then(|t| t.chars().next())
                        .is_some_and(is_bidi_control)
                    {
                        continue;
                    }
                    let cluster_text = if clusters_seen.contains(&cluster) {
                        String::new()
                    } else {
                        clusters_seen.push(cluster);
                        let chars = cluster_text(text, cluster);
                        if run.rtl {
                            chars.chars().rev().collect()
                        } else {
                            chars
                        }
                    };
                    glyphs.push(Glyph {
                        face,
                        id,
                        x: x + x_offset,
                        y: y_offset,
                        text: cluster_text,
                    });
                    x += advance;
                }
            }
        }
        ShapedLine {
            glyphs,
            width: x,
            text: extraction_text(text),
            rtl: crate::domain::bidi::base_is_rtl(text),
        }
    }

    /// Ops that draw a shaped line with its left edge at `x`, baseline at `y` (points).
    pub fn draw(&self, line: &ShapedLine, x: f32, y: f32, size: f32, ops: &mut Vec<Op>) {
        if line.glyphs.is_empty() {
            return;
        }
        ops.push(Op::StartTextSection);
        ops.push(actual_text(&line.text));
        let mut current = None;
        for glyph in &line.glyphs {
            if current != Some(glyph.face) {
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(self.face(glyph.face).pdf.clone()),
                    size: Pt(size),
                });
                current = Some(glyph.face);
            }
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Raw([1.0, 0.0, 0.0, 1.0, x + glyph.x, y + glyph.y]),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(vec![Codepoint {
                    gid: glyph.id,
                    offset: 0.0,
                    cid: Some(glyph.text.clone()),
                }])],
            });
        }
        ops.push(Op::EndMarkedContent);
        ops.push(Op::EndTextSection);
    }
}

/// Invisible characters that only steer the bidi algorithm.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The characters of the cluster starting at byte `start`: up to the next char boundary that
/// begins a new base character.
fn cluster_text(text: &str, start: usize) -> String {
    let rest = text.get(start..).unwrap_or_default();
    let mut chars = rest.chars();
    let mut out: String = chars.next().map(String::from).unwrap_or_default();
    for c in chars {
        if unicode_normalization::char::is_combining_mark(c) {
            out.push(c);
        } else {
            break;
        }
    }
    out
}

/// The text a line's `/ActualText` holds so that a reader which reverses right-to-left stretches
/// (starting at a right-to-left letter, running until a left-to-right letter, a digit or a
/// number separator such as `:` `,` `.` `+` `-`) gives
/// back `logical`: each such stretch is reversed here, and trailing spaces or punctuation of a
/// stretch (marks on its last letter included) are kept after it behind a left-to-right mark,
/// so they stay where they were typed.
pub fn extraction_text(logical: &str) -> String {
    use unicode_bidi::{BidiClass, bidi_class};
    let is_rtl = |c: char| matches!(bidi_class(c), BidiClass::R | BidiClass::AL);
    let ends_rtl = |c: char| {
        matches!(
            bidi_class(c),
            BidiClass::L
                | BidiClass::EN
                | BidiClass::AN
                | BidiClass::CS
                | BidiClass::ES
                | BidiClass::ET
        )
    };
    let chars: Vec<char> = logical.chars().collect();
    let mut out = String::with_capacity(logical.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if !is_rtl(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = (i..chars.len())
            .find(|&j| ends_rtl(chars[j]))
            .unwrap_or(chars.len());
        let core_end = (i..end)
            .rev()
            .find(|&j| is_rtl(chars[j]))
            .map_or(end, |j| j + 1);
        out.extend(chars[i..core_end].iter().rev());
        if core_end < end {
            out.push('\u{200E}');
            out.extend(&chars[core_end..end]);
        }
        i = end;
    }
    out
}

/// `BDC /Span << /ActualText (…) >>`: the logical text of what follows, for extraction.
fn actual_text(text: &str) -> Op {
    let mut data = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        data.extend(unit.to_be_bytes());
    }
    let mut map = BTreeMap::new();
    map.insert(
        "ActualText".to_owned(),
        DictItem::String {
            data,
            literal: false,
        },
    );
    Op::BeginMarkedContentWithProperties {
        tag: "Span".to_owned(),
        properties: DictItem::Dict { map },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_bidi::{BidiClass, bidi_class};

    /// What poppler's `pdftotext` does with a line of page text (`reorderText`, left-to-right
    /// page): left-to-right stretches as they are, each stretch from a right-to-left letter up
    /// to the next left-to-right letter, digit or number separator reversed.
    fn poppler_reading(page_text: &str) -> String {
        let is_rtl = |c: char| matches!(bidi_class(c), BidiClass::R | BidiClass::AL);
        let stops = |c: char| {
            matches!(
                bidi_class(c),
                BidiClass::L
                    | BidiClass::EN
                    | BidiClass::AN
                    | BidiClass::CS
                    | BidiClass::ES
                    | BidiClass::ET
            )
        };
        let chars: Vec<char> = page_text.chars().collect();
        let mut out = String::new();
        let mut i = 0;
        while i < chars.len() {
            if is_rtl(chars[i]) {
                let end = (i..chars.len())
                    .find(|&j| stops(chars[j]))
                    .unwrap_or(chars.len());
                out.extend(chars[i..end].iter().rev());
                i = end;
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out.replace('\u{200E}', "")
    }

    #[test]
    fn typed_lines_come_back_as_typed() {
        for line in [
            "الخدمة: الوصول إلى الرعاية الصحية",
            "الرقم المرجعي: R-2026-000123 · التاريخ: 23.11.2026",
            "لا يوجد طبيب (عاجل) - تحليل/أشعة، «مهم» 3 مرات",
            "Посетител: B-000457 أحمد",
            "مراجعه‌کننده: زهرا رضایی",
        ] {
            assert_eq!(poppler_reading(&extraction_text(line)), line);
        }
    }

    proptest! {
        #[test]
        fn any_mixed_line_comes_back_as_typed(line in "[a-zA-Z0-9 .,:;()«»/+\\-ابتثجحخدذرزسشصضطظعغفقكلمنهويأإآةىءًٌٍَُِّ،؟پچژگکی]{0,40}") {
            prop_assert_eq!(poppler_reading(&extraction_text(&line)), line);
        }
    }
}
