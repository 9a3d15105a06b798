//! Design tokens and fonts: one place for sizes, colours and the embedded Noto fonts.

use std::sync::Arc;

use egui::{Color32, FontData, FontDefinitions, FontFamily, FontId, TextStyle};

use crate::fonts::{NOTO_SANS, NOTO_SANS_ARABIC};

/// Body text size in points (readable from half a metre).
pub const BODY_SIZE: f32 = 16.0;
/// Heading size.
pub const HEADING_SIZE: f32 = 22.0;
/// Small print (hints, secondary lines).
pub const SMALL_SIZE: f32 = 14.0;
/// Height of a clickable row.
pub const ROW_HEIGHT: f32 = 30.0;
/// Width of the left column (search and the day).
pub const LEFT_COLUMN_WIDTH: f32 = 460.0;

/// Error text beside a field.
pub const ERROR: Color32 = Color32::from_rgb(0xB0, 0x00, 0x20);
/// Confirmation ("saved").
pub const SUCCESS: Color32 = Color32::from_rgb(0x1B, 0x5E, 0x20);
/// Secondary text.
pub const MUTED: Color32 = Color32::from_rgb(0x55, 0x55, 0x55);
/// The bureau code, always visible.
pub const CODE: Color32 = Color32::from_rgb(0x0D, 0x47, 0xA1);

/// The font family that draws right-to-left text with the Arabic font first, so a pure Arabic
/// or Farsi string is joined and ordered right to left.
pub fn rtl_family() -> FontFamily {
    FontFamily::Name("rtl".into())
}

/// Installs the embedded fonts: Noto Sans first, Noto Sans Arabic as fallback, egui's own fonts
/// (emoji, symbols) after them; plus the right-to-left family.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "noto_sans".into(),
        Arc::new(FontData::from_static(NOTO_SANS)),
    );
    fonts.font_data.insert(
        "noto_sans_arabic".into(),
        Arc::new(FontData::from_static(NOTO_SANS_ARABIC)),
    );
    let defaults = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let mut proportional = vec!["noto_sans".to_owned(), "noto_sans_arabic".to_owned()];
    proportional.extend(defaults.iter().cloned());
    let mut rtl = vec!["noto_sans_arabic".to_owned(), "noto_sans".to_owned()];
    rtl.extend(defaults);
    fonts
        .families
        .insert(FontFamily::Proportional, proportional);
    fonts.families.insert(rtl_family(), rtl);
    if let Some(mono) = fonts.families.get_mut(&FontFamily::Monospace) {
        mono.push("noto_sans".into());
        mono.push("noto_sans_arabic".into());
    }
    ctx.set_fonts(fonts);
}

/// Light theme, large text, rows a finger can hit.
pub fn install_style(ctx: &egui::Context) {
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Heading, FontId::proportional(HEADING_SIZE)),
            (TextStyle::Body, FontId::proportional(BODY_SIZE)),
            (TextStyle::Button, FontId::proportional(BODY_SIZE)),
            (TextStyle::Small, FontId::proportional(SMALL_SIZE)),
            (TextStyle::Monospace, FontId::monospace(BODY_SIZE)),
        ]
        .into();
        style.spacing.interact_size.y = ROW_HEIGHT - 6.0;
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        // Checkboxes a finger can hit, with a tick that reads: a larger box, and the dark
        // text colour for the mark instead of the theme's pale grey.
        style.spacing.icon_width = 22.0;
        style.spacing.icon_width_inner = 14.0;
        style.spacing.icon_spacing = 8.0;
        let ink = egui::Stroke::new(2.0, TEXT_DARK);
        style.visuals.widgets.inactive.fg_stroke = ink;
        style.visuals.widgets.hovered.fg_stroke = ink;
        style.visuals.widgets.active.fg_stroke = ink;
        style.visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, BOX_EDGE);
    });
}

/// Fonts and style together: what every window and test harness needs before its first frame.
pub fn install(ctx: &egui::Context) {
    install_fonts(ctx);
    install_style(ctx);
}

/// The ink of ticks and the text on buttons.
const TEXT_DARK: Color32 = Color32::from_rgb(0x21, 0x21, 0x21);
/// The edge of an empty checkbox or field.
const BOX_EDGE: Color32 = Color32::from_rgb(0x75, 0x75, 0x75);

/// Status colours, always shown with the status word: still open (issued, planned).
pub const STATUS_OPEN: Color32 = Color32::from_rgb(0x0D, 0x47, 0xA1);
/// Went well (attended, done).
pub const STATUS_GOOD: Color32 = Color32::from_rgb(0x1B, 0x5E, 0x20);
/// Did not happen (not attended, no-show).
pub const STATUS_MISSED: Color32 = Color32::from_rgb(0xB2, 0x4C, 0x00);
/// Called off.
pub const STATUS_OFF: Color32 = Color32::from_rgb(0x61, 0x61, 0x61);
