//! Two registrations of one person made one: which of the two records' values the kept record
//! takes, field by field. The storage side (`db::merges`) moves everything that hangs on them.

use super::visitors::NewVisitor;
use super::{Answer, StaffId, VisitorId};

/// The fields a merge chooses between, in the order the comparison shows them. Languages
/// spoken are not chosen: the kept record speaks those of both. Consents are not chosen
/// either: both histories are kept, and for each scope the decision recorded last holds.
pub const FIELDS: [&str; 11] = [
    "given_name",
    "family_name",
    "given_name_latin",
    "family_name_latin",
    "sex",
    "birth",
    "country_of_origin",
    "nationality",
    "legal_status",
    "preferred_language",
    "phone",
];

/// The chosen fields in which two records differ.
pub fn differing_fields(kept: &NewVisitor, other: &NewVisitor) -> Vec<&'static str> {
    let changed = kept.changed_fields(other);
    FIELDS
        .into_iter()
        .filter(|field| changed.contains(field))
        .collect()
}

/// Whether the record holds an answer in `field` (a name part typed, a question answered).
fn answered(v: &NewVisitor, field: &str) -> bool {
    fn given<T>(answer: &Answer<T>) -> bool {
        answer.given().is_some()
    }
    match field {
        "given_name" => !v.given_name.is_empty(),
        "family_name" => !v.family_name.is_empty(),
        "given_name_latin" => !v.given_name_latin.is_empty(),
        "family_name_latin" => !v.family_name_latin.is_empty(),
        "sex" => given(&v.sex),
        "birth" => given(&v.birth),
        "country_of_origin" => given(&v.country_of_origin),
        "nationality" => given(&v.nationality),
        "legal_status" => given(&v.legal_status),
        "preferred_language" => given(&v.preferred_language),
        "phone" => given(&v.phone),
        _ => false,
    }
}

/// What the comparison proposes before the person chooses: the kept record's value, except
/// where it has none and the other record has one.
pub fn proposed_from_other(kept: &NewVisitor, other: &NewVisitor) -> Vec<&'static str> {
    differing_fields(kept, other)
        .into_iter()
        .filter(|field| !answered(kept, field) && answered(other, field))
        .collect()
}

/// The kept record as it will be: its own values but in the fields taken from the other
/// record, and the languages of both.
pub fn merged(kept: &NewVisitor, other: &NewVisitor, from_other: &[&str]) -> NewVisitor {
    let take = |field: &str| from_other.contains(&field);
    let mut out = kept.clone();
    if take("given_name") {
        out.given_name.clone_from(&other.given_name);
    }
    if take("family_name") {
        out.family_name.clone_from(&other.family_name);
    }
    if take("given_name_latin") {
        out.given_name_latin.clone_from(&other.given_name_latin);
    }
    if take("family_name_latin") {
        out.family_name_latin.clone_from(&other.family_name_latin);
    }
    if take("sex") {
        out.sex = other.sex.clone();
    }
    if take("birth") {
        out.birth = other.birth.clone();
    }
    if take("country_of_origin") {
        out.country_of_origin = other.country_of_origin.clone();
    }
    if take("nationality") {
        out.nationality = other.nationality.clone();
    }
    if take("legal_status") {
        out.legal_status = other.legal_status.clone();
    }
    if take("preferred_language") {
        out.preferred_language = other.preferred_language.clone();
    }
    if take("phone") {
        out.phone = other.phone.clone();
    }
    for language in &other.languages {
        if !out.languages.contains(language) {
            out.languages.push(language.clone());
        }
    }
    out.languages.sort();
    out
}

/// A second registration merged into a record: its code still finds the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The merge that made it.
    pub merge: super::MergeId,
    /// The record that became the alias.
    pub visitor: VisitorId,
    /// Its bureau code.
    pub code: String,
    /// When it was merged ('YYYY-MM-DDTHH:MM').
    pub merged_at: String,
    /// Who merged it.
    pub merged_by: StaffId,
}

impl Alias {
    /// A merge may be undone on the day it was made.
    pub fn undoable_on(&self, today: chrono::NaiveDate) -> bool {
        self.merged_at.get(..10) == Some(today.to_string().as_str())
    }
}

/// Why a merge or its undoing was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MergeRefusal {
    /// Both sides are the same record.
    #[error("a record cannot be merged with itself")]
    SameRecord,
    /// One of the records is already an alias of another, or erased.
    #[error("one of the two records was merged or erased already")]
    NotLive,
    /// Undoing is for the day of the merge.
    #[error("a merge can be undone only on the day it was made")]
    TooLate,
    /// The merge was undone already.
    #[error("this merge was undone already")]
    AlreadyUndone,
    /// A later merge of the same record must be undone first.
    #[error("a later merge of the same record must be undone first")]
    LaterMerge,
}

impl MergeRefusal {
    /// The i18n key of the sentence shown to a person.
    pub fn label_key(self) -> &'static str {
        match self {
            MergeRefusal::SameRecord => "merge.refused_same",
            MergeRefusal::NotLive => "merge.refused_not_live",
            MergeRefusal::TooLate => "merge.refused_too_late",
            MergeRefusal::AlreadyUndone => "merge.refused_undone",
            MergeRefusal::LaterMerge => "merge.refused_later",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::visitors::{Birth, Sex};

    fn record(given: &str) -> NewVisitor {
        NewVisitor {
            given_name: given.into(),
            family_name: String::new(),
            given_name_latin: String::new(),
            family_name_latin: String::new(),
            sex: Answer::NotAsked,
            birth: Answer::NotAsked,
            country_of_origin: Answer::NotAsked,
            nationality: Answer::NotAsked,
            legal_status: Answer::NotAsked,
            preferred_language: Answer::NotAsked,
            languages: vec!["ar".into()],
            phone: Answer::NotAsked,
            consents: Vec::new(),
        }
    }

    #[test]
    fn the_kept_record_takes_only_the_fields_chosen_and_both_languages() {
        let kept = record("Нур");
        let mut other = record("Nour");
        other.sex = Answer::Given(Sex::Female);
        other.birth = Answer::Given(Birth {
            year: 1990,
            date: None,
        });
        other.languages = vec!["en".into(), "ar".into()];
        assert_eq!(
            differing_fields(&kept, &other),
            ["given_name", "sex", "birth"]
        );
        // Kept's name stays (it has one); the answers it lacks are proposed from the other.
        let proposed = proposed_from_other(&kept, &other);
        assert_eq!(proposed, ["sex", "birth"]);
        let result = merged(&kept, &other, &proposed);
        assert_eq!(result.given_name, "Нур");
        assert_eq!(result.sex, Answer::Given(Sex::Female));
        assert_eq!(result.languages, ["ar", "en"]);
        assert_eq!(merged(&kept, &other, &["given_name"]).given_name, "Nour");
        assert_eq!(merged(&kept, &other, &[]).sex, Answer::NotAsked);
    }

    #[test]
    fn a_merge_is_undoable_on_its_day_only() {
        let alias = Alias {
            merge: crate::domain::MergeId(1),
            visitor: VisitorId(2),
            code: "B-000002".into(),
            merged_at: "2026-12-03T10:15".into(),
            merged_by: StaffId(1),
        };
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap_or_default();
        assert!(alias.undoable_on(day(3)));
        assert!(!alias.undoable_on(day(4)));
    }
}
