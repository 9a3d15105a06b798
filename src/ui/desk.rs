//! The desk (home screen): search on the left with the day below it, the visitor card on the
//! right.

use egui::{RichText, ScrollArea, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use super::widgets::{accompaniment_status, name_label, referral_status};
use crate::app::{Card, Command, Desk, PathFor, SlipTarget};
use crate::domain::access::Permission;
use crate::domain::reference::{countries, languages, name_of};
use crate::domain::referrals::{Accompaniment, AccompanimentStatus, Referral, ReferralStatus};
use crate::domain::slips::SLIP_LANGUAGES;
use crate::domain::visitors::{Answer, ConsentScope, LegalStatus, Sex};
use crate::domain::{NewVisitor, Visit, Visitor, VisitorId, VisitorSummary, format_date};
use crate::slip::Paper;

/// Draws the desk screen.
pub fn desk_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    egui::Panel::left("search_column")
        .exact_size(theme::LEFT_COLUMN_WIDTH)
        .resizable(false)
        .show(ui, |ui| {
            search_ui(ui, desk, commands);
            ui.separator();
            day_ui(ui, desk, commands);
        });
    egui::CentralPanel::default().show(ui, |ui| match desk.card.clone() {
        Some(card) => card_ui(ui, desk, &card, commands),
        None => {
            ui.add_space(12.0);
            ui.heading(t!("desk.nobody_selected", locale = &desk.locale));
            ui.label(
                RichText::new(t!("desk.shortcuts_hint", locale = &desk.locale)).color(theme::MUTED),
            );
            follow_ups_board(ui, desk, commands);
        }
    });
}

fn search_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let label = ui.label(t!("desk.search", locale = &locale));
    let response = ui
        .add(
            TextEdit::singleline(&mut desk.query)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .hint_text(t!("desk.search_hint", locale = &locale))
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    crate::ui::widgets::cut_notice(ui, &desk.query, crate::ui::widgets::LINE_LIMIT, &locale);
    if desk.focus_search {
        response.request_focus();
        desk.focus_search = false;
    }
    if response.changed() {
        commands.push(Command::Search);
    }
    let rows = desk.results.len();
    let list_height = (ui.available_height() * 0.55).max(theme::ROW_HEIGHT * 3.0);
    if rows == 0 && !desk.query.trim().is_empty() {
        ui.label(RichText::new(t!("desk.no_results", locale = &locale)).color(theme::MUTED));
    }
    ScrollArea::vertical()
        .id_salt("results")
        .max_height(list_height)
        .auto_shrink([false, true])
        .show_rows(ui, theme::ROW_HEIGHT, rows, |ui, range| {
            // With a card open, another person in the results can be compared with it.
            let compare_with = desk
                .card
                .as_ref()
                .filter(|_| desk.may(Permission::Merge))
                .map(|card| card.visitor.id);
            for index in range {
                if let Some(hit) = desk.results.get(index) {
                    let row = (hit, index == desk.selected);
                    result_row(ui, row, compare_with, commands, &locale);
                }
            }
        });
    // A common name has more spellings than one list: the next ones are a click away.
    if rows > 0 && rows >= desk.result_limit {
        let more = t!("desk.more_results", locale = &locale, count = rows);
        if ui.button(more).clicked() {
            commands.push(Command::MoreResults);
        }
    }
    ui.horizontal_wrapped(|ui| {
        if desk.may(Permission::Register)
            && ui
                .button(t!("desk.new_visitor", locale = &locale))
                .clicked()
        {
            commands.push(Command::NewVisitor);
        }
        if ui
            .button(t!("desk.anonymous_visit", locale = &locale))
            .clicked()
        {
            commands.push(Command::StartVisit(None));
        }
    });
}

fn result_row(
    ui: &mut Ui,
    (hit, selected): (&VisitorSummary, bool),
    compare_with: Option<VisitorId>,
    commands: &mut Vec<Command>,
    locale: &str,
) {
    let response = ui
        .horizontal(|ui| {
            ui.set_min_height(theme::ROW_HEIGHT);
            let code = ui.selectable_label(
                selected,
                RichText::new(&hit.code).color(theme::CODE).monospace(),
            );
            name_label(
                ui,
                format!("{} {}", hit.given_name, hit.family_name).trim(),
                theme::BODY_SIZE,
            );
            crate::ui::widgets::latin_label(ui, hit, locale);
            // Birth year and country tell apart two people of the same name.
            let mut known = Vec::new();
            if let Some(year) = hit.birth_year {
                known.push(year.to_string());
            }
            if hit.country_of_origin.len() == 2 {
                known.push(crate::domain::reference::name_of(
                    crate::domain::reference::countries(),
                    &hit.country_of_origin,
                    locale,
                ));
            }
            if !known.is_empty() {
                ui.label(RichText::new(known.join(" · ")).small().color(theme::MUTED));
            }
            // Found through a second registration merged into this one.
            if let Some(alias) = &hit.found_as {
                let found = t!("merge.found_as", locale = locale, alias = alias.as_str());
                ui.label(RichText::new(found).small().color(theme::MUTED));
            }
            if let Some(card) = compare_with.filter(|card| *card != hit.id)
                && ui
                    .small_button(t!("merge.same_person", locale = locale))
                    .on_hover_text(t!("merge.same_person_hint", locale = locale))
                    .clicked()
            {
                commands.push(Command::CompareVisitors(card, hit.id));
            }
            code
        })
        .inner;
    if selected {
        response.scroll_to_me(None);
    }
    if response.clicked() {
        commands.push(Command::OpenVisitor(hit.id));
    }
}

/// The day in the left column: the accompaniments of today and tomorrow first (someone is
/// waiting for them), then today's visits, then the referrals due for follow-up, folded to the
/// next few while a card is open (with no card they have the right half to themselves).
fn day_ui(ui: &mut Ui, desk: &Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.as_str();
    ScrollArea::vertical()
        .id_salt("day")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            super::programme::today_at_the_bureau(ui, desk, commands);
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.strong(t!(
                    "desk.accompaniments_soon",
                    locale = locale,
                    count = desk.accompaniments_soon.len()
                ));
                if ui.small_button(t!("desk.week", locale = locale)).clicked() {
                    commands.push(Command::OpenWeek);
                }
            });
            for booked in &desk.accompaniments_soon {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(format_date(booked.scheduled_at.date(), locale))
                            .color(theme::MUTED),
                    );
                    super::week::accompaniment_row(ui, desk, booked, commands);
                });
            }
            ui.add_space(6.0);
            ui.strong(t!("desk.today", locale = locale, count = desk.today.len()));
            for visit in &desk.today {
                let services = services_text(desk, visit);
                let who = visit
                    .visitor_code
                    .clone()
                    .unwrap_or_else(|| t!("desk.anonymous", locale = locale).into_owned());
                let line = format!("{}  {}  {}", visit.at.format("%H:%M"), who, services);
                let response = ui.selectable_label(false, line);
                if let (true, Some(id)) = (response.clicked(), visit.visitor) {
                    commands.push(Command::OpenVisitor(id));
                }
            }
            ui.add_space(6.0);
            ui.strong(t!(
                "desk.follow_up",
                locale = locale,
                count = desk.follow_ups.len()
            ));
            if desk.card.is_none() {
                if !desk.follow_ups.is_empty() {
                    ui.label(
                        RichText::new(t!("desk.follow_up_right", locale = locale))
                            .color(theme::MUTED),
                    );
                }
                return;
            }
            let (next, rest) = desk
                .follow_ups
                .split_at(desk.follow_ups.len().min(FOLLOW_UPS_SHOWN));
            follow_up_rows(ui, desk, next, commands);
            if !rest.is_empty() {
                egui::CollapsingHeader::new(t!(
                    "desk.follow_up_more",
                    locale = locale,
                    count = rest.len()
                ))
                .id_salt("follow_ups_folded")
                .default_open(false)
                .show(ui, |ui| follow_up_rows(ui, desk, rest, commands));
            }
        });
}

/// The width of the destination's column on the follow-up board.
const FOLLOW_UP_PLACE_WIDTH: f32 = 230.0;

/// How many referrals due for follow-up the left column shows before folding the rest.
const FOLLOW_UPS_SHOWN: usize = 3;

/// The referrals due for follow-up, the whole list, where the card would be.
fn follow_ups_board(ui: &mut Ui, desk: &Desk, commands: &mut Vec<Command>) {
    if desk.follow_ups.is_empty() {
        return;
    }
    let locale = desk.locale.as_str();
    ui.add_space(12.0);
    ui.strong(t!(
        "desk.follow_up",
        locale = locale,
        count = desk.follow_ups.len()
    ));
    ScrollArea::vertical()
        .id_salt("follow_ups_board")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("follow_ups_board_grid")
                .striped(true)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for referral in &desk.follow_ups {
                        follow_up_link(ui, referral, commands, locale);
                        // The destination wraps in its column, so the buttons stay on screen.
                        ui.scope(|ui| {
                            ui.set_max_width(FOLLOW_UP_PLACE_WIDTH);
                            ui.add(
                                egui::Label::new(desk.organisation_name(referral.organisation))
                                    .wrap(),
                            );
                        });
                        ui.horizontal(|ui| outcome_buttons(ui, referral, commands, locale));
                        ui.end_row();
                    }
                });
        });
}

/// A referral's due date, visitor code and reference; a click opens the visitor's card.
fn follow_up_link(ui: &mut Ui, referral: &Referral, commands: &mut Vec<Command>, locale: &str) {
    let due = referral
        .follow_up_on
        .map(|d| format_date(d, locale))
        .unwrap_or_default();
    let who = referral
        .visitor_code
        .clone()
        .unwrap_or_else(|| t!("desk.anonymous", locale = locale).into_owned());
    if ui
        .selectable_label(false, format!("{due}  {who}  {}", referral.reference))
        .clicked()
        && let Some(id) = referral.visitor
    {
        commands.push(Command::OpenVisitor(id));
    }
}

/// One line per referral: due date, the visitor's code, the reference, the destination, and
/// its outcome buttons.
fn follow_up_rows(ui: &mut Ui, desk: &Desk, referrals: &[Referral], commands: &mut Vec<Command>) {
    let locale = desk.locale.as_str();
    for referral in referrals {
        ui.horizontal_wrapped(|ui| {
            follow_up_link(ui, referral, commands, locale);
            ui.label(desk.organisation_name(referral.organisation));
            outcome_buttons(ui, referral, commands, locale);
        });
    }
}

/// "attended / not attended / cancelled" for an issued referral: one click records it.
fn outcome_buttons(ui: &mut Ui, referral: &Referral, commands: &mut Vec<Command>, locale: &str) {
    if referral.status != ReferralStatus::Issued {
        return;
    }
    for status in [
        ReferralStatus::Attended,
        ReferralStatus::NotAttended,
        ReferralStatus::Cancelled,
    ] {
        if ui
            .small_button(t!(status.label_key(), locale = locale))
            .clicked()
        {
            commands.push(Command::SetReferralStatus(referral.id, status));
        }
    }
}

fn services_text(desk: &Desk, visit: &Visit) -> String {
    visit
        .services
        .iter()
        .map(|s| desk.service_name(s.service_type))
        .collect::<Vec<_>>()
        .join(", ")
}

fn answer_text<T>(answer: &Answer<T>, given: impl Fn(&T) -> String, locale: &str) -> String {
    match answer {
        Answer::Given(v) => given(v),
        other => other
            .no_answer()
            .map(|a| t!(a.label_key(), locale = locale).into_owned())
            .unwrap_or_default(),
    }
}

/// One field of a record as the card shows it (a name part, an answer, or why it is empty).
pub(super) fn field_text(d: &NewVisitor, field: &str, locale: &str) -> String {
    let country = |c: &String| {
        if c == "stateless" {
            t!("form.stateless", locale = locale).into_owned()
        } else {
            name_of(countries(), c, locale)
        }
    };
    match field {
        "given_name" => d.given_name.clone(),
        "family_name" => d.family_name.clone(),
        "given_name_latin" => d.given_name_latin.clone(),
        "family_name_latin" => d.family_name_latin.clone(),
        "sex" => answer_text(
            &d.sex,
            |s: &Sex| t!(s.label_key(), locale = locale).into_owned(),
            locale,
        ),
        "birth" => answer_text(
            &d.birth,
            |b| {
                b.date
                    .map_or_else(|| b.year.to_string(), |dt| format_date(dt, locale))
            },
            locale,
        ),
        "country_of_origin" => answer_text(&d.country_of_origin, country, locale),
        "nationality" => answer_text(&d.nationality, country, locale),
        "legal_status" => answer_text(
            &d.legal_status,
            |s: &LegalStatus| t!(s.label_key(), locale = locale).into_owned(),
            locale,
        ),
        "preferred_language" => answer_text(
            &d.preferred_language,
            |c| name_of(languages(), c, locale),
            locale,
        ),
        "phone" => answer_text(&d.phone, Clone::clone, locale),
        "languages" => d
            .languages
            .iter()
            .map(|c| name_of(languages(), c, locale))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// The card's lines beyond the identity: legal status, sex, birth, nationality, phone, consent.
fn card_details(ui: &mut Ui, v: &Visitor, country: &str, language: &str, locale: &str) {
    let d = &v.details;
    let status = field_text(d, "legal_status", locale);
    ui.label(format!(
        "{}: {country} · {}: {status} · {}: {language}",
        t!("visitor.country_of_origin", locale = locale),
        t!("visitor.legal_status", locale = locale),
        t!("visitor.preferred_language", locale = locale),
    ));
    let [sex, birth, nationality, phone] =
        ["sex", "birth", "nationality", "phone"].map(|field| field_text(d, field, locale));
    ui.label(format!(
        "{}: {sex} · {}: {birth} · {}: {nationality} · {}: {phone}",
        t!("visitor.sex", locale = locale),
        t!("card.born", locale = locale),
        t!("visitor.nationality", locale = locale),
        t!("visitor.phone", locale = locale),
    ));
    let consents: Vec<String> = ConsentScope::ALL
        .iter()
        .map(|scope| {
            let mark = if v.has_consent(*scope) {
                t!("card.consent_yes", locale = locale)
            } else {
                t!("card.consent_no", locale = locale)
            };
            format!("{}: {mark}", t!(scope.label_key(), locale = locale))
        })
        .collect();
    let consent_date = d
        .consents
        .first()
        .map(|(_, date)| format!(" ({})", format_date(*date, locale)))
        .unwrap_or_default();
    ui.label(format!(
        "{}: {}{consent_date}",
        t!("visitor.consent", locale = locale),
        consents.join(" · ")
    ));
    if !v.has_consent(ConsentScope::ShareWithReferrals) {
        ui.colored_label(theme::STATUS_MISSED, t!("card.code_only", locale = locale));
    }
}

fn card_ui(ui: &mut Ui, desk: &mut Desk, card: &Card, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let v = &card.visitor;
    let d = &v.details;
    ui.horizontal(|ui| {
        name_label(ui, &v.full_name(), theme::HEADING_SIZE + 2.0);
        let latin = v.latin_name();
        if !latin.is_empty() && latin != v.full_name() {
            ui.label(
                RichText::new(format!("· {latin}"))
                    .size(theme::HEADING_SIZE)
                    .color(theme::MUTED),
            );
        }
        ui.label(
            RichText::new(&v.code)
                .size(theme::HEADING_SIZE)
                .color(theme::CODE)
                .monospace(),
        );
    });
    let country = answer_text(
        &d.country_of_origin,
        |c| name_of(countries(), c, locale),
        locale,
    );
    let language = answer_text(
        &d.preferred_language,
        |c| name_of(languages(), c, locale),
        locale,
    );
    if v.restricted {
        ui.label(format!(
            "{}: {country} · {}: {language}",
            t!("visitor.country_of_origin", locale = locale),
            t!("visitor.preferred_language", locale = locale),
        ));
        ui.label(RichText::new(t!("card.identity_only", locale = locale)).color(theme::MUTED));
    } else {
        card_details(ui, v, &country, &language, locale);
    }
    if let Some((at, by)) = &v.last_change {
        let when = crate::domain::format_stored_moment(at, locale);
        ui.label(
            RichText::new(t!(
                "card.changed",
                locale = locale,
                when = when,
                who = desk.staff_name(*by)
            ))
            .color(theme::MUTED),
        );
    }
    merge_lines(ui, desk, card, commands, locale);
    if !v.restricted {
        super::family::family_section(ui, desk, card, commands);
    }
    ui.separator();
    let latest_visit = card.visits.first().map(|visit| visit.id);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(RichText::new(t!("card.log_visit", locale = locale)).strong())
            .clicked()
        {
            commands.push(Command::StartVisit(Some(v.id)));
        }
        if desk.may(Permission::Register)
            && !v.restricted
            && ui.button(t!("card.edit", locale = locale)).clicked()
        {
            commands.push(Command::EditVisitor);
        }
        if !desk.may(Permission::Refer) {
            return;
        }
        let referral = ui.add_enabled(
            latest_visit.is_some(),
            egui::Button::new(t!("card.referral", locale = locale)),
        );
        let accompaniment = ui.add_enabled(
            latest_visit.is_some(),
            egui::Button::new(t!("card.accompaniment", locale = locale)),
        );
        if let Some(visit) = latest_visit {
            if referral.clicked() {
                commands.push(Command::StartReferral(visit));
            }
            if accompaniment.clicked() {
                commands.push(Command::StartAccompaniment(visit));
            }
        } else {
            ui.label(RichText::new(t!("card.visit_first", locale = locale)).color(theme::MUTED));
        }
    });
    if !card.referrals.is_empty() || !card.accompaniments.is_empty() {
        slip_controls(ui, desk, commands);
    }
    if card
        .accompaniments
        .iter()
        .any(|a| a.status == AccompanimentStatus::Planned)
    {
        super::week::outcome_note_field(ui, desk, locale);
    }
    ui.add_space(8.0);
    ScrollArea::vertical()
        .id_salt("history")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // The rights fold scrolls with the history, so opening it never pushes the card
            // off a small screen.
            if !v.restricted {
                super::rights::rights_section(ui, desk, card, commands);
                ui.add_space(4.0);
            }
            ui.strong(t!(
                "card.history",
                locale = locale,
                count = card.visits.len()
            ));
            if card.visits.is_empty() {
                ui.label(RichText::new(t!("card.no_visits", locale = locale)).color(theme::MUTED));
            }
            for visit in &card.visits {
                history_row(ui, desk, visit, commands);
                for referral in card.referrals.iter().filter(|r| r.visit == visit.id) {
                    referral_row(ui, desk, referral, commands);
                }
                for booked in card.accompaniments.iter().filter(|a| a.visit == visit.id) {
                    accompaniment_card_row(ui, desk, booked, commands);
                }
                ui.add_space(4.0);
            }
        });
}

/// The card's second registrations ("B-000123 is an alias of B-000045", undone by a coordinator on the day),
/// and the people of a like name it can be compared with.
fn merge_lines(ui: &mut Ui, desk: &Desk, card: &Card, commands: &mut Vec<Command>, locale: &str) {
    let today = desk.now().date();
    for alias in &card.aliases {
        ui.horizontal_wrapped(|ui| {
            let when = crate::domain::format_stored_moment(&alias.merged_at, locale);
            ui.label(
                RichText::new(t!(
                    "merge.alias",
                    locale = locale,
                    alias = alias.code.as_str(),
                    code = card.visitor.code.as_str(),
                    when = when,
                    who = desk.staff_name(alias.merged_by)
                ))
                .color(theme::MUTED),
            );
            if desk.may(Permission::UndoMerge)
                && alias.undoable_on(today)
                && ui.small_button(t!("merge.undo", locale = locale)).clicked()
            {
                commands.push(Command::UndoMerge(alias.merge));
            }
        });
    }
    if card.like_names.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t!("merge.like_names", locale = locale)).color(theme::MUTED));
        for hit in &card.like_names {
            ui.label(RichText::new(&hit.code).color(theme::CODE).monospace());
            name_label(
                ui,
                format!("{} {}", hit.given_name, hit.family_name).trim(),
                theme::BODY_SIZE,
            );
            if ui
                .small_button(t!("merge.compare", locale = locale))
                .clicked()
            {
                commands.push(Command::CompareVisitors(card.visitor.id, hit.id));
            }
        }
    });
}

/// The two languages slips are printed in (the visitor's first), and where "save as" writes.
fn slip_controls(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t!("card.slip_languages", locale = &locale));
        for (salt, chosen) in [
            ("slip_first", &mut desk.slip_languages.0),
            ("slip_second", &mut desk.slip_languages.1),
        ] {
            egui::ComboBox::from_id_salt(salt)
                .selected_text(t!("slip.language_name", locale = chosen.as_str()))
                .show_ui(ui, |ui| {
                    for code in SLIP_LANGUAGES {
                        ui.selectable_value(
                            chosen,
                            code.to_owned(),
                            t!("slip.language_name", locale = code),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
        }
        let paper_label = ui.label(t!("card.paper", locale = &locale));
        let current = desk.slip_paper;
        egui::ComboBox::from_id_salt("slip_paper")
            .selected_text(paper_name(current))
            .show_ui(ui, |ui| {
                for paper in [Paper::A5, Paper::A4] {
                    if ui
                        .selectable_label(current == paper, paper_name(paper))
                        .clicked()
                    {
                        commands.push(Command::SetSlipPaper(paper));
                    }
                }
            })
            .response
            .labelled_by(paper_label.id);
    });
}

fn paper_name(paper: Paper) -> &'static str {
    match paper {
        Paper::A5 => "A5",
        Paper::A4 => "A4",
    }
}

fn referral_row(ui: &mut Ui, desk: &Desk, referral: &Referral, commands: &mut Vec<Command>) {
    let locale = desk.locale.as_str();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!("   • {}", t!("card.referral_to", locale = locale)));
        ui.label(RichText::new(&referral.reference).monospace());
        ui.label(desk.organisation_name(referral.organisation));
        ui.label(RichText::new(desk.service_name(referral.service_type)).color(theme::MUTED));
        if let Some(at) = referral.appointment_at {
            ui.label(format!(
                "{} {}",
                format_date(at.date(), locale),
                at.format("%H:%M")
            ));
        }
        referral_status(ui, referral.status, locale);
        if referral.status == ReferralStatus::Issued
            && ui
                .small_button(t!("card.correct", locale = locale))
                .on_hover_text(t!("card.correct_referral_hint", locale = locale))
                .clicked()
        {
            commands.push(Command::CorrectReferral(referral.id));
        }
        if ui
            .small_button(t!("card.print", locale = locale))
            .on_hover_text(t!("card.print_hint", locale = locale))
            .clicked()
        {
            commands.push(Command::PrintSlip(SlipTarget::Referral(referral.id)));
        }
        if ui
            .small_button(t!("card.save_as", locale = locale))
            .clicked()
        {
            commands.push(Command::AskForPath(PathFor::Slip(SlipTarget::Referral(
                referral.id,
            ))));
        }
        outcome_buttons(ui, referral, commands, locale);
    });
}

fn accompaniment_card_row(
    ui: &mut Ui,
    desk: &Desk,
    booked: &Accompaniment,
    commands: &mut Vec<Command>,
) {
    let locale = desk.locale.as_str();
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "   • {}",
            t!("card.accompaniment_to", locale = locale)
        ));
        ui.label(RichText::new(&booked.reference).monospace());
        ui.label(format!(
            "{} {}",
            format_date(booked.scheduled_at.date(), locale),
            booked.scheduled_at.format("%H:%M")
        ));
        ui.label(desk.organisation_name(booked.organisation));
        accompaniment_status(ui, booked.status, locale);
        if booked.status == AccompanimentStatus::Planned
            && ui
                .small_button(t!("card.correct", locale = locale))
                .on_hover_text(t!("card.correct_accompaniment_hint", locale = locale))
                .clicked()
        {
            commands.push(Command::CorrectAccompaniment(booked.id));
        }
        if ui
            .small_button(t!("card.print", locale = locale))
            .on_hover_text(t!("card.print_hint", locale = locale))
            .clicked()
        {
            commands.push(Command::PrintSlip(SlipTarget::Accompaniment(booked.id)));
        }
        if ui
            .small_button(t!("card.save_as", locale = locale))
            .clicked()
        {
            commands.push(Command::AskForPath(PathFor::Slip(
                SlipTarget::Accompaniment(booked.id),
            )));
        }
        super::week::accompaniment_outcome_buttons(ui, booked, commands, locale);
    });
}

fn history_row(ui: &mut Ui, desk: &mut Desk, visit: &Visit, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let kind = if visit.first {
        "card.first"
    } else {
        "card.follow_up"
    };
    let interpreter = if visit.interpreter {
        format!(" · {}", t!("card.with_interpreter", locale = locale))
    } else {
        String::new()
    };
    let duration = visit
        .duration_minutes
        .map(|m| format!(" · {}", t!("card.minutes", locale = locale, minutes = m)))
        .unwrap_or_default();
    // A voided visit stays on the card, struck through, with who voided it and why.
    let struck = |text: RichText| {
        if visit.voided.is_some() {
            text.strikethrough().color(theme::MUTED)
        } else {
            text
        }
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(struck(
            RichText::new(format!(
                "{} {} · {} · {}{interpreter}{duration} · {}",
                format_date(visit.at.date(), locale),
                visit.at.format("%H:%M"),
                t!(kind, locale = locale),
                name_of(languages(), &visit.language, locale),
                desk.staff_name(visit.staff),
            ))
            .strong(),
        ));
        if visit.voided.is_none() && desk.may(Permission::LogVisits) {
            if ui
                .small_button(t!("card.correct", locale = locale))
                .on_hover_text(t!("card.correct_hint", locale = locale))
                .clicked()
            {
                commands.push(Command::CorrectVisit(visit.id));
            }
            if desk.void_form.visit != Some(visit.id)
                && ui.small_button(t!("card.void", locale = locale)).clicked()
            {
                commands.push(Command::AskToVoid(Some(visit.id)));
            }
        }
    });
    for service in &visit.services {
        ui.label(struck(RichText::new(format!(
            "   • {} — {}",
            desk.service_name(service.service_type),
            desk.provider_name(service.provider)
        ))));
    }
    if !visit.notes.is_empty() {
        name_label(ui, &visit.notes, theme::SMALL_SIZE);
    }
    if let Some(voided) = &visit.voided {
        let when = crate::domain::format_stored_moment(&voided.at, locale);
        ui.label(
            RichText::new(t!(
                "card.voided",
                locale = locale,
                when = when,
                who = desk.staff_name(voided.by),
                reason = voided.reason.as_str()
            ))
            .color(theme::ERROR),
        );
    }
    if desk.void_form.visit == Some(visit.id) {
        void_question(ui, desk, commands, locale);
    }
    ui.add_space(4.0);
}

/// The reason asked before a visit is voided, with the buttons that void it or keep it.
fn void_question(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>, locale: &str) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(t!("card.void_explained", locale = locale));
        let errors = desk.void_form.errors.clone();
        crate::ui::widgets::text_field(
            ui,
            &t!("card.void_reason", locale = locale),
            &mut desk.void_form.reason,
            &errors,
            "void_reason",
            locale,
        );
        ui.horizontal(|ui| {
            if ui
                .button(t!("card.void_confirm", locale = locale))
                .clicked()
            {
                commands.push(Command::VoidVisit);
            }
            if ui.button(t!("card.void_keep", locale = locale)).clicked() {
                commands.push(Command::AskToVoid(None));
            }
        });
    });
}
