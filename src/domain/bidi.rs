//! Right-to-left layout for one line of text: splits it into direction runs in visual order
//! (Unicode bidi algorithm), so the screen and the slips can draw Arabic and Farsi mixed with
//! Latin text and digits in the right places. egui 0.37 and printpdf have no bidi of their own.

use unicode_bidi::ParagraphBidiInfo;

/// A piece of a line with one direction, in the order it is drawn from left to right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run<'a> {
    /// The text of the run, in logical (typed) order.
    pub text: &'a str,
    /// The run reads right to left (its glyphs are drawn mirrored by the shaper).
    pub rtl: bool,
}

/// True when the line's base direction is right to left (its first strong letter is RTL).
pub fn base_is_rtl(text: &str) -> bool {
    ParagraphBidiInfo::new(text, None).paragraph_level.is_rtl()
}

/// The direction runs of one line (no line breaks inside), left to right as drawn.
pub fn visual_runs(text: &str) -> Vec<Run<'_>> {
    if text.is_empty() {
        return Vec::new();
    }
    let info = ParagraphBidiInfo::new(text, None);
    if !info.has_rtl() {
        return vec![Run { text, rtl: false }];
    }
    let (levels, runs) = info.visual_runs(0..text.len());
    runs.into_iter()
        .filter(|range| !range.is_empty())
        .map(|range| Run {
            rtl: levels[range.start].is_rtl(),
            text: &text[range],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(&str, bool)> {
        visual_runs(text)
            .into_iter()
            .map(|r| (r.text, r.rtl))
            .collect()
    }

    #[test]
    fn pure_scripts_are_one_run() {
        assert_eq!(runs("Иван Петров"), [("Иван Петров", false)]);
        assert_eq!(runs("أحمد حسن"), [("أحمد حسن", true)]);
        assert!(base_is_rtl("أحمد حسن"));
        assert!(!base_is_rtl("Ahmad أحمد"));
        assert!(runs("").is_empty());
    }

    #[test]
    fn latin_and_digits_inside_arabic_keep_their_place() {
        // Drawn right to left: the last Arabic word is leftmost, the Latin word in the middle.
        assert_eq!(
            runs("موعد في Sofia غدا"),
            [(" غدا", true), ("Sofia", false), ("موعد في ", true)]
        );
        assert_eq!(
            runs("عمري 25 سنة"),
            [(" سنة", true), ("25", false), ("عمري ", true)]
        );
        // Digits groups separated by spaces in a right-to-left line run right to left as groups,
        // each group's digits left to right; the final full stop is drawn leftmost.
        assert_eq!(
            runs("رقم: 0881 234 567."),
            [
                (".", true),
                ("567", false),
                (" ", true),
                ("234", false),
                (" ", true),
                ("0881", false),
                ("رقم: ", true)
            ]
        );
    }

    #[test]
    fn arabic_inside_latin_keeps_its_place() {
        assert_eq!(
            runs("Ahmad (أحمد حسن) B-000457"),
            [
                ("Ahmad (", false),
                ("أحمد حسن", true),
                (") B-000457", false)
            ]
        );
        assert_eq!(
            runs("Referral to مستشفى at 10:30"),
            [
                ("Referral to ", false),
                ("مستشفى", true),
                (" at 10:30", false)
            ]
        );
        assert_eq!(runs("لا"), [("لا", true)]);
    }

    #[test]
    fn runs_cover_the_whole_text() {
        for text in [
            "موعد في Sofia غدا",
            "Ahmad (أحمد حسن) B-000457",
            "زهرا رضایی ۱۴۰۳",
            "a ب c د",
        ] {
            let total: usize = visual_runs(text).iter().map(|r| r.text.len()).sum();
            assert_eq!(total, text.len(), "{text}");
        }
    }
}
