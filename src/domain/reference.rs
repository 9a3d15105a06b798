//! Reference lists: ISO 3166-1 countries and ISO 639-1 languages with English and Bulgarian
//! names, from Debian's iso-codes (see `assets/data/README.md`). Loaded once, on first use.

use std::sync::OnceLock;

use super::text::{fold, to_latin};

/// One entry of a reference list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The ISO code ("IQ", "ar").
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Bulgarian name.
    pub name_bg: String,
    /// Folded names and code, for filtering as the person types.
    keys: String,
}

impl Entry {
    /// The name in the UI language.
    pub fn name(&self, locale: &str) -> &str {
        if locale == "bg" {
            &self.name_bg
        } else {
            &self.name_en
        }
    }
}

/// The entries whose code or either name contains what was typed, in either script ("ира" or
/// "iraq" → Iraq); everything when nothing was typed. The typed text is folded once, not once
/// per entry: pickers call this on every frame.
pub fn matching<'a>(list: &'a [Entry], typed: &str) -> impl Iterator<Item = &'a Entry> + 'a {
    let folded = fold(typed.trim());
    let latin = to_latin(&folded);
    list.iter()
        .filter(move |e| folded.is_empty() || e.keys.contains(&folded) || e.keys.contains(&latin))
}

fn load(csv_text: &str) -> Vec<Entry> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .filter(|r| r.len() == 3)
        .map(|r| {
            let (code, name_en, name_bg) = (&r[0], &r[1], &r[2]);
            let keys = format!(
                "{} {} {} {}",
                code.to_lowercase(),
                fold(name_en),
                fold(name_bg),
                to_latin(name_bg)
            );
            Entry {
                code: code.to_owned(),
                name_en: name_en.to_owned(),
                name_bg: name_bg.to_owned(),
                keys,
            }
        })
        .collect()
}

/// Every ISO 3166-1 country, by code.
pub fn countries() -> &'static [Entry] {
    static LIST: OnceLock<Vec<Entry>> = OnceLock::new();
    LIST.get_or_init(|| load(include_str!("../../assets/data/countries.csv")))
}

/// Every ISO 639-1 language, by code.
pub fn languages() -> &'static [Entry] {
    static LIST: OnceLock<Vec<Entry>> = OnceLock::new();
    LIST.get_or_init(|| load(include_str!("../../assets/data/languages.csv")))
}

/// The entries matching what was typed, best first, for a picker: first those whose name in
/// the UI language (or whose code) starts with it, then the other names starting with it, then
/// those that only contain it; within each, the bureau's `preferred` codes (its most frequent)
/// in their order, then by name. "ира" gives Iraq and Iran before the United Arab Emirates.
pub fn ranked<'a>(
    list: &'a [Entry],
    typed: &str,
    locale: &str,
    preferred: &[String],
) -> Vec<&'a Entry> {
    let folded = fold(typed.trim());
    let latin = to_latin(&folded);
    let starts = |name: &str| {
        let name = fold(name);
        name.starts_with(&folded) || name.starts_with(&latin)
    };
    let mut found: Vec<(u8, usize, &Entry)> = matching(list, typed)
        .map(|entry| {
            let other = if locale == "bg" {
                &entry.name_en
            } else {
                &entry.name_bg
            };
            let tier =
                if entry.code.eq_ignore_ascii_case(typed.trim()) || starts(entry.name(locale)) {
                    0
                } else if starts(other) {
                    1
                } else {
                    2
                };
            let rank = preferred
                .iter()
                .position(|code| code.eq_ignore_ascii_case(&entry.code))
                .unwrap_or(usize::MAX);
            (tier, rank, entry)
        })
        .collect();
    found.sort_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| a.2.name(locale).cmp(b.2.name(locale)))
    });
    found.into_iter().map(|(_, _, entry)| entry).collect()
}

/// Finds an entry by code.
pub fn find<'a>(list: &'a [Entry], code: &str) -> Option<&'a Entry> {
    list.iter().find(|e| e.code.eq_ignore_ascii_case(code))
}

/// The name for a code in the UI language, or the code itself if unknown.
pub fn name_of(list: &[Entry], code: &str, locale: &str) -> String {
    find(list, code).map_or_else(|| code.to_owned(), |e| e.name(locale).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_lists_are_loaded() {
        assert!(countries().len() >= 249);
        assert!(languages().len() >= 180);
        assert_eq!(name_of(countries(), "IQ", "bg"), "Ирак");
        assert_eq!(name_of(countries(), "SY", "en"), "Syria");
        assert_eq!(name_of(languages(), "fa", "en"), "Persian");
    }

    #[test]
    fn filters_match_either_language_and_script() {
        let finds = |typed: &str, code: &str| matching(countries(), typed).any(|e| e.code == code);
        assert!(finds("ира", "IQ") && finds("iraq", "IQ") && finds("IRA", "IQ"));
        assert!(finds("укр", "UA") && !finds("zzz", "UA"));
        assert_eq!(matching(countries(), " ").count(), countries().len());
    }

    #[test]
    fn names_that_start_with_what_was_typed_come_first() {
        let first = |typed: &str, locale: &str, preferred: &[&str]| {
            let preferred: Vec<String> = preferred.iter().map(|c| (*c).to_owned()).collect();
            ranked(countries(), typed, locale, &preferred)
                .first()
                .map(|e| e.code.clone())
        };
        assert_eq!(
            first("ира", "bg", &[]),
            Some("IQ".to_owned()),
            "Ирак before Иран"
        );
        assert_eq!(first("ира", "bg", &["IR", "SY"]), Some("IR".to_owned()));
        assert_eq!(first("ira", "en", &["SY", "IQ"]), Some("IQ".to_owned()));
        assert_eq!(
            first("iq", "bg", &[]),
            Some("IQ".to_owned()),
            "a code typed"
        );
        let emirates = ranked(countries(), "ира", "bg", &[])
            .iter()
            .position(|e| e.code == "AE");
        let iraq = ranked(countries(), "ира", "bg", &[])
            .iter()
            .position(|e| e.code == "IQ");
        assert!(iraq < emirates || emirates.is_none());
    }
}
