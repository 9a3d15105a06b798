//! Translations: every file has exactly the reference keys, every key used exists, and no
//! screen string is typed into the code.

use std::collections::BTreeSet;
use std::path::Path;

/// Flattens the simple nested YAML of `i18n/*.yml` into dotted keys.
fn keys(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut keys = BTreeSet::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("_version") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let Some((key, value)) = trimmed.split_once(':') else {
            panic!("{}: not a key line: {line}", path.display());
        };
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let full: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).chain([key]).collect();
        if value.trim().is_empty() {
            stack.push((indent, key.to_owned()));
        } else {
            assert!(
                !value.trim().trim_matches('"').is_empty(),
                "empty translation for {}",
                full.join(".")
            );
            keys.insert(full.join("."));
        }
    }
    keys
}

fn i18n_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/i18n"))
}

/// Checks every file in a folder against the folder's `en.yml`; returns the languages found.
fn same_keys_as_english(dir: &Path) -> Vec<String> {
    let reference = keys(&dir.join("en.yml"));
    let mut languages = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            continue;
        }
        let found = keys(&path);
        let missing: Vec<_> = reference.difference(&found).collect();
        let extra: Vec<_> = found.difference(&reference).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, extra {extra:?}",
            path.display()
        );
        languages.extend(path.file_stem().map(|s| s.to_string_lossy().into_owned()));
    }
    languages.sort();
    languages
}

/// Every key of the screens (`i18n/*.yml`), the slips (`i18n/slip/`), the visitor's own
/// screen (`i18n/visitor/`) and the subject-access copy (`i18n/subject/`).
fn all_keys() -> BTreeSet<String> {
    let mut all = keys(&i18n_dir().join("en.yml"));
    all.extend(keys(&i18n_dir().join("slip/en.yml")));
    all.extend(keys(&i18n_dir().join("visitor/en.yml")));
    all.extend(keys(&i18n_dir().join("subject/en.yml")));
    all
}

#[test]
fn every_translation_has_exactly_the_reference_keys() {
    assert!(keys(&i18n_dir().join("en.yml")).len() > 50);
    let mut expected: Vec<String> = bureau_desk::UI_LANGUAGES
        .iter()
        .map(|l| (*l).to_owned())
        .collect();
    expected.sort();
    assert_eq!(same_keys_as_english(i18n_dir()), expected);
    for folder in ["slip", "visitor", "subject"] {
        let languages = same_keys_as_english(&i18n_dir().join(folder));
        assert_eq!(
            languages,
            ["ar", "bg", "en", "fa", "fr", "ru", "uk"],
            "{folder}"
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_key_the_code_uses_exists() {
    let reference = all_keys();
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut files,
    );
    // Every string literal shaped like a key of a known section ("card.print"), wherever it is:
    // in `t!`, in a match arm, in a tuple of tabs. Settings keys are not translations.
    let sections: BTreeSet<&str> = reference
        .iter()
        .filter_map(|k| k.split('.').next())
        .collect();
    let mut used = 0;
    for file in files.iter().filter(|f| !f.ends_with("db/settings.rs")) {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for literal in text.split('"').skip(1).step_by(2) {
            let looks_like_key = literal.contains('.')
                && !literal.ends_with('.')
                && literal
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
            let section = literal.split('.').next().unwrap_or_default();
            if looks_like_key && sections.contains(section) {
                used += 1;
                // A literal may also name a whole section ("report.key"), used as a prefix.
                let prefix = format!("{literal}.");
                let known =
                    reference.contains(literal) || reference.iter().any(|k| k.starts_with(&prefix));
                assert!(known, "{}: key {literal} is not in en.yml", file.display());
            }
        }
    }
    assert!(used > 50, "found only {used} keys");
    use bureau_desk::domain::OrganisationKind;
    use bureau_desk::domain::referrals::{AccompanimentStatus, ReferralStatus};
    use bureau_desk::domain::visitors::{ConsentScope, LegalStatus, NoAnswer, Sex};
    let enum_keys = Sex::ALL
        .iter()
        .map(|s| s.label_key())
        .chain(ReferralStatus::ALL.iter().map(|s| s.label_key()))
        .chain(AccompanimentStatus::ALL.iter().map(|s| s.label_key()))
        .chain(OrganisationKind::ALL.iter().map(|s| s.label_key()))
        .chain(LegalStatus::ALL.iter().map(|s| s.label_key()))
        .chain(ConsentScope::ALL.iter().map(|s| s.label_key()))
        .chain(NoAnswer::ALL.iter().map(|s| s.label_key()));
    for key in enum_keys {
        assert!(reference.contains(key), "{key} is not in en.yml");
    }
}

#[test]
fn screens_hold_no_literal_text() {
    let mut files = Vec::new();
    rust_files(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src/ui")),
        &mut files,
    );
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for call in [
            "label(\"",
            "button(\"",
            "heading(\"",
            "strong(\"",
            "small(\"",
            "hint_text(\"",
            "on_hover_text(\"",
            "checkbox(&mut",
        ] {
            for part in text.split(call).skip(1) {
                let literal: String = part.chars().take_while(|c| *c != '"').collect();
                let wordy = literal.chars().any(char::is_alphabetic);
                assert!(
                    call == "checkbox(&mut" || !wordy,
                    "{}: literal text in {call}{literal}",
                    file.display()
                );
            }
        }
    }
}
