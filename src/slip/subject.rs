//! The subject-access copy as a PDF: everything the bureau holds about a person, A4, in their
//! language in one column and Bulgarian in the other (one column when they read Bulgarian),
//! shaped and laid out right to left for Arabic and Farsi like the slips.

use printpdf::PdfDocument;

use super::page::{Writer, a4_pdf};
use super::shaping::Fonts;
use super::{SlipError, format_date, format_moment, tr};
use crate::domain::parse_stamp;
use crate::domain::reference::{countries, languages, name_of};
use crate::domain::slips::SLIP_LANGUAGES;
use crate::domain::subject::{Identity, SubjectRecord};

const TITLE: f32 = 16.0;
const HEADING: f32 = 12.0;
const BODY: f32 = 9.5;

/// The copy in `language` beside Bulgarian; a language with no slip text is English beside it.
pub fn render(record: &SubjectRecord, language: &str) -> Result<Vec<u8>, SlipError> {
    let first = if SLIP_LANGUAGES.contains(&language) {
        language
    } else {
        "en"
    };
    let sides: Vec<&str> = if first == "bg" {
        vec!["bg"]
    } else {
        vec![first, "bg"]
    };
    let mut doc = PdfDocument::new(&format!(
        "{} {}",
        tr("en", "subject.title"),
        record.identity.code
    ));
    let fonts = Fonts::load(&mut doc)?;
    let mut w = Writer::a4(&fonts);
    let block = |w: &mut Writer<'_>, size: f32, lines: &dyn Fn(&str) -> Vec<String>| {
        let columns: Vec<(Vec<String>, bool)> = sides
            .iter()
            .map(|l| (lines(l), super::writes_right_to_left(l)))
            .collect();
        w.columns(&columns, size);
    };
    let heading = |w: &mut Writer<'_>, key: &str| {
        w.gap(8.0);
        block(w, HEADING, &|l| vec![tr(l, key)]);
        w.rule();
    };

    block(&mut w, BODY, &|l| {
        vec![if l == "bg" {
            record.bureau.0.clone()
        } else {
            record.bureau.1.clone()
        }]
    });
    block(&mut w, TITLE, &|l| vec![tr(l, "subject.title")]);
    w.gap(4.0);
    block(&mut w, BODY, &|l| {
        vec![
            tr(l, "subject.intro"),
            field(l, "subject.made_on", &moment(&record.produced_at)),
            field(l, "subject.code", &record.identity.code),
        ]
    });

    heading(&mut w, "subject.identity");
    block(&mut w, BODY, &|l| identity_lines(&record.identity, l));
    for alias in &record.also_registered_as {
        heading(&mut w, "subject.also_registered");
        block(&mut w, BODY, &|l| {
            let mut lines = vec![field(l, "subject.code", &alias.code)];
            lines.extend(identity_lines(alias, l));
            lines
        });
    }

    heading(&mut w, "subject.consents");
    block(&mut w, BODY, &|l| {
        let lines: Vec<String> = record
            .consents
            .iter()
            .map(|c| {
                let state = tr(
                    l,
                    if c.given {
                        "subject.given"
                    } else {
                        "subject.withdrawn"
                    },
                );
                format!(
                    "{} · {}: {state} · {}",
                    day(&c.dated),
                    label(l, "scope", &c.scope),
                    field(l, "subject.by", &c.recorded_by)
                )
            })
            .collect();
        or_none(lines, l)
    });

    heading(&mut w, "subject.visits");
    if record.visits.is_empty() {
        block(&mut w, BODY, &|l| or_none(Vec::new(), l));
    }
    for visit in &record.visits {
        block(&mut w, BODY, &|l| {
            let mut first = format!(
                "{} · {}",
                moment(&visit.at),
                name_of(languages(), &visit.language, names(l))
            );
            if visit.interpreter {
                first.push_str(&format!(" · {}", tr(l, "subject.interpreter")));
            }
            if let Some(minutes) = visit.duration_minutes {
                first.push_str(&format!(" · {minutes} {}", tr(l, "subject.minutes")));
            }
            let mut lines = vec![first];
            for service in &visit.services {
                lines.push(format!(
                    "– {} — {}",
                    label_in(l, "slip.services", &service.service),
                    in_language(&service.provider, l)
                ));
            }
            if !visit.notes.is_empty() {
                lines.push(field(l, "subject.notes", &visit.notes));
            }
            lines.push(field(l, "subject.by", &visit.recorded_by));
            if let Some(reason) = &visit.voided {
                lines.push(field(l, "subject.voided", reason));
            }
            lines
        });
        w.gap(4.0);
    }

    heading(&mut w, "subject.referrals");
    if record.referrals.is_empty() {
        block(&mut w, BODY, &|l| or_none(Vec::new(), l));
    }
    for referral in &record.referrals {
        block(&mut w, BODY, &|l| {
            let mut lines = vec![
                format!(
                    "{} · {} · {}",
                    moment(&referral.issued_at),
                    field(l, "slip.reference", &referral.reference),
                    label(l, "status", &referral.status)
                ),
                field(
                    l,
                    "slip.destination",
                    in_language(&referral.organisation, l),
                ),
                field(
                    l,
                    "slip.service",
                    &label_in(l, "slip.services", &referral.service),
                ),
            ];
            if !referral.reason.is_empty() {
                lines.push(field(l, "slip.reason", &referral.reason));
            }
            if let Some(at) = &referral.appointment_at {
                lines.push(field(l, "slip.appointment", &moment(at)));
            }
            lines.push(field(l, "subject.by", &referral.recorded_by));
            lines
        });
        w.gap(4.0);
    }

    heading(&mut w, "subject.accompaniments");
    if record.accompaniments.is_empty() {
        block(&mut w, BODY, &|l| or_none(Vec::new(), l));
    }
    for booked in &record.accompaniments {
        block(&mut w, BODY, &|l| {
            let mut lines = vec![
                format!(
                    "{} · {} · {}",
                    moment(&booked.scheduled_at),
                    field(l, "slip.reference", &booked.reference),
                    label(l, "status", &booked.status)
                ),
                field(l, "slip.destination", in_language(&booked.organisation, l)),
            ];
            for (key, value) in [
                ("slip.purpose", &booked.purpose),
                ("slip.meeting", &booked.meeting_point),
                ("subject.notes", &booked.outcome_note),
            ] {
                if !value.is_empty() {
                    lines.push(field(l, key, value));
                }
            }
            lines.push(field(l, "subject.by", &booked.recorded_by));
            lines
        });
        w.gap(4.0);
    }

    heading(&mut w, "subject.audit");
    block(&mut w, BODY, &|l| {
        let lines = record
            .audit
            .iter()
            .map(|e| {
                format!(
                    "{} · {} {} {}",
                    moment(&e.at),
                    e.staff,
                    label(l, "action", &e.action),
                    label(l, "entity", &e.entity)
                )
            })
            .collect();
        or_none(lines, l)
    });

    let pages = std::mem::take(&mut w.pages);
    Ok(a4_pdf(doc, pages))
}

/// The card's lines in one language.
fn identity_lines(p: &Identity, l: &str) -> Vec<String> {
    let answer_or = |value: &str, known: &dyn Fn(&str) -> String| {
        if ["not_asked", "doesnt_know", "refused"].contains(&value) {
            label(l, "answer", value)
        } else {
            known(value)
        }
    };
    let country = |code: &str| name_of(countries(), code, names(l));
    let mut lines = vec![field(
        l,
        "subject.name",
        format!("{} {}", p.given_name, p.family_name).trim(),
    )];
    let latin = format!("{} {}", p.given_name_latin, p.family_name_latin);
    if !latin.trim().is_empty() {
        lines.push(field(l, "subject.latin_name", latin.trim()));
    }
    lines.extend([
        field(
            l,
            "subject.sex",
            &answer_or(&p.sex, &|s| label(l, "sex_value", s)),
        ),
        field(l, "subject.born", &answer_or(&p.birth, &day)),
        field(
            l,
            "subject.country",
            &answer_or(&p.country_of_origin, &country),
        ),
        field(
            l,
            "subject.nationality",
            &answer_or(&p.nationality, &|c| {
                if c == "stateless" {
                    tr(l, "subject.stateless")
                } else {
                    country(c)
                }
            }),
        ),
        field(
            l,
            "subject.legal_status",
            &answer_or(&p.legal_status, &|s| label(l, "legal", s)),
        ),
        field(
            l,
            "subject.language",
            &answer_or(&p.preferred_language, &|c| {
                name_of(languages(), c, names(l))
            }),
        ),
    ]);
    if !p.languages.is_empty() {
        let spoken: Vec<String> = p
            .languages
            .iter()
            .map(|c| name_of(languages(), c, names(l)))
            .collect();
        lines.push(field(l, "subject.languages", &spoken.join(", ")));
    }
    lines.push(field(
        l,
        "subject.phone",
        &answer_or(&p.phone, &str::to_owned),
    ));
    if let Some(family) = &p.household {
        lines.push(field(
            l,
            "subject.family",
            &format!(
                "{} · {}: {}",
                label(l, "relation", &family.relation),
                tr(l, "subject.other_members"),
                family.others
            ),
        ));
    }
    lines.push(format!(
        "{} · {}",
        field(l, "subject.registered", &moment(&p.registered_at)),
        field(l, "subject.by", &p.registered_by)
    ));
    lines
}

/// "Label: value", the value a first-strong isolate so it keeps its own direction.
fn field(l: &str, key: &str, value: &str) -> String {
    format!("{}: \u{2068}{value}\u{2069}", tr(l, key))
}

/// The subject text's label of a code in a group (`subject.GROUP.CODE`), or the code itself.
fn label(l: &str, group: &str, code: &str) -> String {
    label_in(l, &format!("subject.{group}"), code)
}

fn label_in(l: &str, prefix: &str, code: &str) -> String {
    crate::_rust_i18n_try_translate(l, format!("{prefix}.{code}"))
        .map_or_else(|| code.to_owned(), |s| s.into_owned())
}

/// Names of countries and languages exist in Bulgarian and English.
fn names(l: &str) -> &'static str {
    if l == "bg" { "bg" } else { "en" }
}

/// The Bulgarian or English of a pair.
fn in_language<'a>(pair: &'a (String, String), l: &str) -> &'a str {
    if l == "bg" || pair.1.is_empty() {
        &pair.0
    } else {
        &pair.1
    }
}

fn day(text: &str) -> String {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_or_else(|_| text.to_owned(), format_date)
}

fn moment(text: &str) -> String {
    parse_stamp(text).map_or_else(|| text.to_owned(), format_moment)
}

fn or_none(lines: Vec<String>, l: &str) -> Vec<String> {
    if lines.is_empty() {
        vec![tr(l, "subject.none")]
    } else {
        lines
    }
}
