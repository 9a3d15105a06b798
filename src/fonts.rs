//! The embedded fonts (Noto, SIL OFL 1.1, `assets/fonts`), shared by the screen and the slips so
//! that both draw every script the bureau meets.

/// Noto Sans: Latin, Cyrillic, Greek, digits and punctuation.
pub const NOTO_SANS: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Arabic: Arabic and Farsi.
pub const NOTO_SANS_ARABIC: &[u8] = include_bytes!("../assets/fonts/NotoSansArabic-Regular.ttf");
