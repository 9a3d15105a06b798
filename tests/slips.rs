//! Slips: generated in each of the seven languages, then read back as a PDF reader reads them.

use std::path::Path;
use std::process::Command;

use bureau_desk::domain::slips::{Place, SLIP_LANGUAGES, SlipData, SlipKind};
use bureau_desk::slip::{self, Paper};
use chrono::NaiveDate;

fn place(bg: &str, en: &str) -> Place {
    Place {
        name_bg: bg.into(),
        name_en: en.into(),
        address_bg: "ул. „Пиротска“ 5, София".into(),
        address_en: "5 Pirotska St, Sofia".into(),
        hours_bg: "пон–пет 9:00–17:00".into(),
        hours_en: "Mon–Fri 9:00–17:00".into(),
        phone: "+359 2 000 0000".into(),
    }
}

fn referral() -> SlipData {
    SlipData {
        kind: SlipKind::Referral {
            reason: "Регистрация при личен лекар".into(),
            appointment: NaiveDate::from_ymd_opt(2026, 11, 25)
                .and_then(|d| d.and_hms_opt(10, 30, 0)),
            family: vec!["B-000458".into(), "B-000459".into()],
        },
        reference: "R-2026-000123".into(),
        issued_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
        issued_by: "Мария".into(),
        bureau: place(
            "Бюро за информация и услуги",
            "Information and Services Bureau",
        ),
        visitor_code: "B-000457".into(),
        visitor_given_name: Some("أحمد".into()),
        destination: place(
            "Диагностично-консултативен център (демо)",
            "Diagnostic Centre (demo)",
        ),
        service_code: "health".into(),
        service_names: ("Достъп до здравеопазване".into(), "Health access".into()),
        preferred_language: Some("ar".into()),
    }
}

/// The text poppler extracts, without the invisible bidi marks it and we add.
pub(crate) fn extract(pdf: &[u8], dir: &Path, name: &str) -> String {
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed (installed by .ci/setup.sh): {e}"));
    assert!(out.status.success(), "pdftotext failed on {name}");
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect()
}

fn tr(language: &str, key: &str) -> String {
    bureau_desk::translate(language, key, &[])
}

#[test]
fn every_language_reads_back_in_logical_order_beside_bulgarian() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for language in SLIP_LANGUAGES {
        let pdf =
            slip::render(&referral(), language, "bg", Paper::A5).unwrap_or_else(|e| panic!("{e}"));
        assert!(pdf.len() < 150_000, "{language}: {} bytes", pdf.len());
        let text = extract(&pdf, dir.path(), language);
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        let has_line = |line: &str| lines.contains(&line);
        // The visitor's side, each line exactly as typed (labels and values in logical order).
        assert!(
            has_line(&tr(language, "slip.referral_title")),
            "{language}: title\n{text}"
        );
        let service = format!(
            "{}: {}",
            tr(language, "slip.service"),
            tr(language, "slip.services.health")
        );
        assert!(has_line(&service), "{language}: {service}\n{text}");
        let phone = format!("{}: +359 2 000 0000", tr(language, "slip.phone"));
        assert!(has_line(&phone), "{language}: {phone}\n{text}");
        let appointment = format!("{}: 25.11.2026 10:30", tr(language, "slip.appointment"));
        assert!(has_line(&appointment), "{language}: {appointment}\n{text}");
        let visitor = format!("{}: B-000457 أحمد", tr(language, "slip.visitor"));
        assert!(has_line(&visitor), "{language}: {visitor}\n{text}");
        // A referral for the whole family lists the other members' codes.
        let family = format!("{}: B-000458, B-000459", tr(language, "slip.family"));
        assert!(has_line(&family), "{language}: {family}\n{text}");
        // A long sentence may wrap onto two lines; its words stay in order.
        let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flowing.contains(&tr(language, "slip.bring")),
            "{language}: bring\n{text}"
        );
        let questions = format!("{} +359 2 000 0000", tr(language, "slip.questions"));
        assert!(
            flowing.contains(&questions),
            "{language}: {questions}\n{text}"
        );
        // The Bulgarian side.
        assert!(
            has_line("Направление"),
            "{language}: Bulgarian title\n{text}"
        );
        assert!(
            has_line("Услуга: Достъп до здравеопазване"),
            "{language}\n{text}"
        );
        assert!(
            has_line("Причина: Регистрация при личен лекар"),
            "{language}\n{text}"
        );
        // Arabic comes back as plain letters, never as presentation forms.
        assert!(
            !text.chars().any(|c| ('\u{FB50}'..='\u{FEFF}').contains(&c)),
            "{language}: presentation forms"
        );
    }
}

#[test]
fn arabic_ligatures_and_punctuation_are_not_reversed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (reason, language) in [
        ("لا يوجد طبيب (عاجل) - تحليل/أشعة، «مهم» 3 مرات", "ar"),
        ("مُهِمّ جِدًّا: گً+ ۱۴۰۳", "fa"),
    ] {
        let slip = SlipData {
            kind: SlipKind::Referral {
                reason: reason.into(),
                appointment: None,
                family: Vec::new(),
            },
            ..referral()
        };
        let pdf = slip::render(&slip, language, "bg", Paper::A4).unwrap_or_else(|e| panic!("{e}"));
        let text = extract(&pdf, dir.path(), language);
        let expected = format!("{}: {reason}", tr(language, "slip.reason"));
        assert!(
            text.lines().any(|l| l.trim() == expected),
            "{language}: {expected}\n{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.trim() == format!("Причина: {reason}")),
            "{language}\n{text}"
        );
    }
}

#[test]
fn accompaniment_confirmation_names_the_meeting_and_escort() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let slip = SlipData {
        kind: SlipKind::Accompaniment {
            purpose: "Подаване на документи".into(),
            meeting_at: NaiveDate::from_ymd_opt(2026, 11, 24)
                .and_then(|d| d.and_hms_opt(8, 45, 0))
                .unwrap_or_default(),
            meeting_point: "Пред бюрото".into(),
            escort: Some("Елена".into()),
            interpreter_language: Some("fa".into()),
        },
        reference: "A-2026-000045".into(),
        visitor_given_name: None,
        ..referral()
    };
    let pdf = slip::render(&slip, "uk", "bg", Paper::A5).unwrap_or_else(|e| panic!("{e}"));
    let text = extract(&pdf, dir.path(), "accompaniment");
    for line in [
        "Підтвердження супроводу",
        "Час і місце зустрічі: 24.11.2026 08:45 · Пред бюрото",
        "Супроводжує: Елена",
        "Перекладач: فارسی",
        "Відвідувач: B-000457",
        "Потвърждение за придружаване",
        "Посетител: B-000457",
        // Each side names the interpreter's language in its own words.
        "Преводач: Персийски (Фарси)",
    ] {
        assert!(text.lines().any(|l| l.trim() == line), "{line}\n{text}");
    }
    assert!(!text.contains("أحمد"), "no name without consent");
    // An accompaniment has its own sentences, not the referral's.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("носете това потвърждение и документ за самоличност"),
        "{flat}"
    );
    assert!(!flat.contains("носете това направление"), "{flat}");
}

/// Checks with poppler's pdffonts that both fonts are embedded, as subsets, with Unicode maps.
pub(crate) fn assert_fonts_embedded_as_subsets(pdf: &[u8], dir: &Path) {
    let path = dir.join("fonts.pdf");
    std::fs::write(&path, pdf).unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new("pdffonts")
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("pdffonts: {e}"));
    let listing = String::from_utf8_lossy(&out.stdout);
    for font in ["NotoSans-Regular", "NotoSansArabic-Regular"] {
        let line = listing
            .lines()
            .find(|l| l.contains(font))
            .unwrap_or_else(|| panic!("{font} missing:\n{listing}"));
        let columns: Vec<&str> = line.split_whitespace().collect();
        // name, type…, encoding, emb, sub, uni, object id, generation
        let n = columns.len();
        assert_eq!(&columns[n - 5..n - 2], ["yes", "yes", "yes"], "{line}");
        assert!(columns[0].contains('+'), "subset tag: {line}");
    }
}

#[test]
fn fonts_are_embedded_as_subsets() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pdf = slip::render(&referral(), "ar", "bg", Paper::A5).unwrap_or_else(|e| panic!("{e}"));
    assert_fonts_embedded_as_subsets(&pdf, dir.path());
}

#[test]
fn one_language_twice_gives_one_side_and_unknown_languages_are_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pdf = slip::render(&referral(), "bg", "bg", Paper::A5).unwrap_or_else(|e| panic!("{e}"));
    let text = extract(&pdf, dir.path(), "bg");
    assert_eq!(
        text.lines().filter(|l| l.trim() == "Направление").count(),
        1
    );
    assert!(slip::render(&referral(), "xx", "bg", Paper::A5).is_err());
}

#[test]
fn a_long_slip_still_fits_on_one_sheet() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let long = "Подаване на документи за социална помощ и консултация за разрешение за пребиваване";
    let slip = SlipData {
        kind: SlipKind::Accompaniment {
            purpose: long.into(),
            meeting_at: NaiveDate::from_ymd_opt(2026, 11, 24)
                .and_then(|d| d.and_hms_opt(8, 45, 0))
                .unwrap_or_default(),
            meeting_point: "Пред входа на институцията, до спирката на метрото".into(),
            escort: Some("Елена".into()),
            interpreter_language: Some("ar".into()),
        },
        ..referral()
    };
    for language in SLIP_LANGUAGES {
        let pdf = slip::render(&slip, language, "bg", Paper::A5).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join(format!("{language}.pdf"));
        std::fs::write(&path, &pdf).unwrap_or_else(|e| panic!("{e}"));
        let info = Command::new("pdfinfo")
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("pdfinfo: {e}"));
        let info = String::from_utf8_lossy(&info.stdout);
        let pages = info
            .lines()
            .find(|l| l.starts_with("Pages:"))
            .map(|l| l.split_whitespace().last().unwrap_or_default().to_owned());
        assert_eq!(pages.as_deref(), Some("1"), "{language}:\n{info}");
        // The purpose wraps; its words come back in order.
        let text = extract(&pdf, dir.path(), language);
        assert!(
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(long),
            "{language}\n{text}"
        );
    }
}

#[test]
fn a_name_with_bidi_overrides_cannot_reverse_the_rest_of_the_slip_line() {
    // A right-to-left override, an isolate closed early, a zero-width space and a mark.
    let typed = "\u{202E}Ali\u{2069} \u{2067}Reza\u{200B}\u{200F}";
    let saved = bureau_desk::domain::visitors::VisitorDraft {
        given_name: typed.into(),
        ..Default::default()
    }
    .validate(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default())
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(saved.given_name, "Ali Reza", "removed when saved");
    let mut data = referral();
    data.visitor_given_name = Some(saved.given_name);
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pdf = slip::render(&data, "en", "bg", Paper::A5).unwrap_or_else(|e| panic!("{e}"));
    let text = extract(&pdf, dir.path(), "spoof");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let visitor = format!("{}: B-000457 Ali Reza", tr("en", "slip.visitor"));
    assert!(lines.contains(&visitor.as_str()), "{visitor}\n{text}");
    // The line after it reads as written, not reversed.
    let service = format!(
        "{}: {}",
        tr("en", "slip.service"),
        tr("en", "slip.services.health")
    );
    assert!(lines.contains(&service.as_str()), "{service}\n{text}");
    // And the PDF itself carries no override a reader could act on.
    let raw = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(dir.path().join("spoof.pdf"))
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let raw = String::from_utf8_lossy(&raw.stdout);
    assert!(
        !raw.contains(['\u{202D}', '\u{202E}', '\u{200B}']),
        "{raw:?}"
    );
}
