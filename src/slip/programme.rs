//! The month's programme as a poster for the wall (A4 or A3) and a handout: in one of the slip
//! languages, or two side by side, Arabic and Farsi shaped right to left. Weekly sessions by
//! weekday, then the extra sessions, then the days closed or cancelled, and at the foot the
//! bureau's phone as a QR code (`tel:`, nothing on the internet).

use chrono::{Datelike, NaiveDate};
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use super::page::{MARGIN, MM, Writer};
use super::shaping::Fonts;
use super::{SlipError, language_named_in, tr};
use crate::domain::programme::{Programme, Recurrence, Slot};
use crate::domain::slips::{Place, SLIP_LANGUAGES};
use crate::domain::{Organisation, ServiceType};

/// The poster's paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PosterPaper {
    /// 210 × 297 mm: a handout, or a poster near the desk.
    A4,
    /// 297 × 420 mm: the poster on the wall.
    A3,
}

impl PosterPaper {
    /// Reads `a4` or `a3`.
    pub fn parse(text: &str) -> Option<PosterPaper> {
        match text.to_ascii_lowercase().as_str() {
            "a4" => Some(PosterPaper::A4),
            "a3" => Some(PosterPaper::A3),
            _ => None,
        }
    }

    fn size_mm(self) -> (f32, f32) {
        match self {
            PosterPaper::A4 => (210.0, 297.0),
            PosterPaper::A3 => (297.0, 420.0),
        }
    }

    /// Text on A3 is as much larger as the paper.
    fn text_scale(self) -> f32 {
        match self {
            PosterPaper::A4 => 1.0,
            PosterPaper::A3 => 1.41,
        }
    }
}

/// What the poster shows: the month's programme and the names it needs.
#[derive(Debug, Clone, Copy)]
pub struct Poster<'a> {
    /// The month's slots and days off.
    pub programme: &'a Programme,
    /// The directory (partners' names).
    pub organisations: &'a [Organisation],
    /// The service catalogue (names of services the slip text does not know).
    pub services: &'a [ServiceType],
    /// The bureau (name, address, phone).
    pub bureau: &'a Place,
}

const TITLE: f32 = 17.0;
const HEADING: f32 = 12.5;
const BODY: f32 = 9.5;
const QR: f32 = 24.0 * MM;

/// A time span, kept in its own order inside a right-to-left line.
fn hours(slot: &Slot) -> String {
    format!(
        "\u{2068}{}–{}\u{2069}",
        slot.draft.starts.format("%H:%M"),
        slot.draft.ends.format("%H:%M")
    )
}

fn day_month(day: NaiveDate) -> String {
    format!("\u{2068}{}\u{2069}", day.format("%d.%m"))
}

impl Poster<'_> {
    fn organisation(&self, slot: &Slot, language: &str) -> String {
        self.organisations
            .iter()
            .find(|o| o.id == slot.draft.organisation)
            .map(|o| {
                let name = if language == "bg" {
                    &o.details.name_bg
                } else {
                    &o.details.name_en
                };
                format!("\u{2068}{name}\u{2069}")
            })
            .unwrap_or_default()
    }

    fn services(&self, slot: &Slot, language: &str) -> String {
        slot.draft
            .services
            .iter()
            .filter_map(|id| self.services.iter().find(|s| s.id == *id))
            .map(|s| {
                crate::_rust_i18n_try_translate(language, format!("slip.services.{}", s.code))
                    .map(|t| t.into_owned())
                    .unwrap_or_else(|| s.name(language).to_owned())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The lines of one session entry: hours and services, then who, in which languages, where.
    fn entry(&self, slot: &Slot, language: &str, prefix: Option<String>) -> Vec<String> {
        let mut first = format!("{}  {}", hours(slot), self.services(slot, language));
        if let Some(prefix) = prefix {
            first = format!("{prefix}  {first}");
        }
        let mut details = vec![self.organisation(slot, language)];
        if !slot.draft.languages.is_empty() {
            let names: Vec<String> = slot
                .draft
                .languages
                .iter()
                .map(|code| language_named_in(code, language))
                .collect();
            details.push(format!(
                "{}: {}",
                tr(language, "slip.poster.languages"),
                names.join(", ")
            ));
        }
        if !slot.draft.place.is_empty() {
            details.push(format!(
                "{}: \u{2068}{}\u{2069}",
                tr(language, "slip.poster.place"),
                slot.draft.place
            ));
        }
        if let Recurrence::Weekly { weeks, .. } = &slot.draft.recurrence
            && !weeks.is_empty()
        {
            let list: Vec<String> = weeks.iter().map(u8::to_string).collect();
            details.push(
                crate::_rust_i18n_try_translate(language, "slip.poster.weeks")
                    .map(|t| t.replace("%{weeks}", &list.join(", ")))
                    .unwrap_or_default(),
            );
        }
        let mut lines = vec![first, details.join(" · ")];
        if !slot.draft.note.is_empty() {
            lines.push(format!("\u{2068}{}\u{2069}", slot.draft.note));
        }
        lines
    }

    /// The poster as blocks, each a heading (or not) and its lines, in one language.
    fn blocks(&self, language: &str) -> Vec<(bool, Vec<String>)> {
        let programme = self.programme;
        let mut blocks = Vec::new();
        for weekday in 1..=7u32 {
            let slots: Vec<&Slot> = programme
                .slots
                .iter()
                .filter(|s| {
                    matches!(&s.draft.recurrence, Recurrence::Weekly { weekday: w, .. }
                        if w.number_from_monday() == weekday)
                })
                .collect();
            if slots.is_empty() {
                continue;
            }
            blocks.push((
                true,
                vec![tr(language, &format!("slip.poster.weekday_{weekday}"))],
            ));
            for slot in slots {
                blocks.push((false, self.entry(slot, language, None)));
            }
        }
        let mut extra: Vec<(NaiveDate, &Slot)> = programme
            .slots
            .iter()
            .filter_map(|s| match &s.draft.recurrence {
                Recurrence::Dates(dates) => Some(dates.iter().map(move |d| (*d, s))),
                Recurrence::Weekly { .. } => None,
            })
            .flatten()
            .filter(|(day, slot)| !programme.cancelled(slot, *day))
            .collect();
        extra.sort_by_key(|(day, slot)| (*day, slot.draft.starts));
        if !extra.is_empty() {
            blocks.push((true, vec![tr(language, "slip.poster.extra")]));
            for (day, slot) in extra {
                blocks.push((false, self.entry(slot, language, Some(day_month(day)))));
            }
        }
        if !programme.days_off.is_empty() {
            blocks.push((true, vec![tr(language, "slip.poster.changes")]));
            for off in &programme.days_off {
                let what = match off
                    .slot
                    .and_then(|id| programme.slots.iter().find(|s| s.id == id))
                {
                    Some(slot) => format!(
                        "{} {} — {}: {}",
                        hours(slot),
                        self.services(slot, language),
                        self.organisation(slot, language),
                        tr(language, "slip.poster.cancelled")
                    ),
                    None => tr(language, "slip.poster.closed"),
                };
                let mut line = format!("{}  {what}", day_month(off.day));
                if !off.note.is_empty() {
                    line = format!("{line} (\u{2068}{}\u{2069})", off.note);
                }
                blocks.push((false, vec![line]));
            }
        }
        if programme.slots.is_empty() {
            blocks.push((false, vec![tr(language, "slip.poster.nothing")]));
        }
        blocks
    }

    fn title(&self, language: &str) -> String {
        let month = self.programme.month.first_day();
        format!(
            "{} — {} {}",
            tr(language, "slip.poster.title"),
            tr(language, &format!("slip.poster.month_{:02}", month.month())),
            month.year()
        )
    }
}

/// Lays the poster out at one text scale.
fn layout(
    fonts: &Fonts,
    poster: &Poster<'_>,
    languages: &[&str],
    paper: PosterPaper,
    scale: f32,
) -> Result<Vec<Vec<printpdf::Op>>, SlipError> {
    let mut w = Writer::new(fonts, paper.size_mm(), scale);
    let width = w.width;
    let content = width - 2.0 * MARGIN;
    let bureau = poster.bureau;
    // The bureau's name (Bulgarian, and in Latin letters), and the phone as a QR code.
    let top = w.y;
    if !bureau.phone.is_empty() {
        let phone: String = bureau
            .phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        super::qr_ops_sized(
            &format!("tel:{phone}"),
            width - MARGIN - QR,
            top,
            QR,
            w.ops(),
        )?;
    }
    super::bureau_heading(&mut w, bureau, &[], content - QR - 6.0 * MM);
    let column = |f: &dyn Fn(&str) -> Vec<String>| -> Vec<(Vec<String>, bool)> {
        languages
            .iter()
            .map(|l| (f(l), super::writes_right_to_left(l)))
            .collect()
    };
    w.y = w.y.min(top - QR - 2.0 * MM);
    w.columns(&column(&|l| vec![poster.title(l)]), TITLE);
    w.rule();
    let per_language: Vec<Vec<(bool, Vec<String>)>> =
        languages.iter().map(|l| poster.blocks(l)).collect();
    for (b, (heading, _)) in per_language.first().into_iter().flatten().enumerate() {
        let lines: Vec<(Vec<String>, bool)> = per_language
            .iter()
            .zip(languages)
            .map(|(blocks, l)| (blocks[b].1.clone(), super::writes_right_to_left(l)))
            .collect();
        if *heading {
            w.gap(5.0);
            w.columns(&lines, HEADING);
        } else {
            w.gap(2.0);
            w.columns(&lines, BODY);
        }
    }
    if !bureau.phone.is_empty() {
        w.rule();
        w.columns(
            &column(&|l| {
                vec![format!(
                    "{} \u{2068}{}\u{2069}",
                    tr(l, "slip.poster.call"),
                    bureau.phone
                )]
            }),
            BODY,
        );
    }
    Ok(w.pages)
}

/// Renders the poster in `first` (and `second` beside it) on `paper`.
pub fn render(
    poster: &Poster<'_>,
    first: &str,
    second: Option<&str>,
    paper: PosterPaper,
) -> Result<Vec<u8>, SlipError> {
    let mut languages = vec![first];
    if let Some(second) = second.filter(|s| *s != first) {
        languages.push(second);
    }
    for language in &languages {
        if !SLIP_LANGUAGES.contains(language) {
            return Err(SlipError::UnknownLanguage((*language).to_owned()));
        }
    }
    let mut doc = PdfDocument::new(&poster.title("en"));
    let fonts = Fonts::load(&mut doc)?;
    // A full month is set smaller rather than spill onto a second sheet; past the smallest
    // size it continues on a second page (the handout).
    let mut pages = Vec::new();
    for scale in [1.0, 0.9, 0.8, 0.72] {
        pages = layout(
            &fonts,
            poster,
            &languages,
            paper,
            scale * paper.text_scale(),
        )?;
        if pages.len() <= 1 {
            break;
        }
    }
    let (width_mm, height_mm) = paper.size_mm();
    let pages = pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(width_mm), Mm(height_mm), ops))
        .collect();
    let mut warnings = Vec::new();
    Ok(doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings))
}
