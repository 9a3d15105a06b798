//! The programme screen: the month's partners at the bureau as a week grid or a list of
//! sessions, the checks to look at, and (for coordinators) the slot editor, days off, copying
//! the month before and printing the poster. "Today at the bureau" on the desk is here too.

use egui::{RichText, ScrollArea, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use super::widgets::field_error;
use crate::app::{Command, Desk, ProgrammeView};
use crate::domain::access::Permission;
use crate::domain::programme::{Flag, Programme, Recurrence, Session, Slot};
use crate::domain::slips::SLIP_LANGUAGES;
use crate::domain::{Organisation, ServiceType, format_date};
use crate::slip::programme::PosterPaper;

/// A weekday's name in the UI language (1 Monday … 7 Sunday).
fn weekday_name(number: u32, locale: &str) -> String {
    t!(format!("slip.poster.weekday_{number}"), locale = locale).into_owned()
}

fn hours(slot: &Slot) -> String {
    format!(
        "{}–{}",
        slot.draft.starts.format("%H:%M"),
        slot.draft.ends.format("%H:%M")
    )
}

/// What the screen names things with: the partners, the services, the UI language.
struct Names<'a> {
    providers: &'a [Organisation],
    services: &'a [ServiceType],
    locale: &'a str,
}

/// Who, what, in which languages and where: one slot in a line.
fn slot_text(slot: &Slot, names: &Names<'_>) -> String {
    let Names {
        providers,
        services,
        locale,
    } = *names;
    let organisation = providers
        .iter()
        .find(|o| o.id == slot.draft.organisation)
        .map_or("?", |o| o.name(locale));
    let offered: Vec<&str> = slot
        .draft
        .services
        .iter()
        .filter_map(|id| services.iter().find(|s| s.id == *id))
        .map(|s| s.name(locale))
        .collect();
    let mut parts = vec![
        format!("{} {}", hours(slot), offered.join(", ")),
        organisation.to_owned(),
    ];
    if slot.draft.languages.is_empty() {
        parts.push(t!("programme.no_language_short", locale = locale).into_owned());
    } else {
        parts.push(slot.draft.languages.join(" "));
    }
    if !slot.draft.place.is_empty() {
        parts.push(slot.draft.place.clone());
    }
    if let Recurrence::Weekly { weeks, .. } = &slot.draft.recurrence
        && !weeks.is_empty()
    {
        let list: Vec<String> = weeks.iter().map(u8::to_string).collect();
        parts.push(
            t!(
                "programme.weeks_of_month",
                locale = locale,
                weeks = list.join(", ")
            )
            .into_owned(),
        );
    }
    parts.join(" · ")
}

/// Draws the programme screen.
pub fn programme_ui(ui: &mut Ui, desk: &mut Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let may_edit = desk.may(Permission::EditProgramme);
    let focus_first = std::mem::take(&mut desk.focus_form);
    let providers = desk.providers.clone();
    let services = desk.services.clone();
    let screen = &mut desk.programme;
    let month = screen.month.first_day();
    ui.horizontal(|ui| {
        if ui
            .button("‹")
            .on_hover_text(t!("programme.previous", locale = locale))
            .clicked()
        {
            commands.push(Command::StepProgrammeMonth(-1));
        }
        ui.heading(format!(
            "{} — {} {}",
            t!("programme.title", locale = locale),
            t!(
                format!("slip.poster.month_{:02}", chrono::Datelike::month(&month)),
                locale = locale
            ),
            chrono::Datelike::year(&month)
        ));
        if ui
            .button("›")
            .on_hover_text(t!("programme.next", locale = locale))
            .clicked()
        {
            commands.push(Command::StepProgrammeMonth(1));
        }
        ui.separator();
        ui.selectable_value(
            &mut screen.view,
            ProgrammeView::Week,
            t!("programme.week", locale = locale),
        );
        ui.selectable_value(
            &mut screen.view,
            ProgrammeView::List,
            t!("programme.list", locale = locale),
        );
    });
    let Some(programme) = screen.programme.clone() else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        if may_edit {
            if ui
                .button(t!("programme.add_slot", locale = locale))
                .clicked()
            {
                commands.push(Command::EditSlot(None));
            }
            if programme.slots.is_empty()
                && ui
                    .button(t!("programme.copy_previous", locale = locale))
                    .clicked()
            {
                commands.push(Command::CopyPreviousMonth);
            }
            ui.separator();
        }
        print_controls(ui, screen, locale, commands);
    });
    let flags = programme.flags();
    for flag in &flags {
        ui.colored_label(
            theme::ERROR,
            flag_text(flag, &programme, &providers, locale),
        );
    }
    ui.separator();
    if let Some(editor) = screen.editor.as_mut() {
        slot_editor(
            ui,
            editor,
            &providers,
            &services,
            focus_first,
            locale,
            commands,
        );
        ui.separator();
    }
    let names = Names {
        providers: &providers,
        services: &services,
        locale,
    };
    ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if programme.slots.is_empty() {
                ui.label(t!("programme.empty", locale = locale));
            }
            match screen.view {
                ProgrammeView::Week => {
                    week_grid(ui, &programme, &flags, &names, may_edit, commands)
                }
                ProgrammeView::List => session_list(ui, &programme, &names),
            }
            days_off(ui, screen, &programme, &names, may_edit, commands);
        });
}

fn print_controls(
    ui: &mut Ui,
    screen: &mut crate::app::ProgrammeScreen,
    locale: &str,
    commands: &mut Vec<Command>,
) {
    poster_language(
        ui,
        "poster_language",
        &t!("programme.print_language", locale = locale),
        &mut screen.print_language,
        None,
    );
    poster_language(
        ui,
        "poster_second",
        &t!("programme.print_second", locale = locale),
        &mut screen.print_second,
        Some(t!("programme.no_second", locale = locale).into_owned()),
    );
    ui.selectable_value(&mut screen.paper, PosterPaper::A4, "A4");
    ui.selectable_value(&mut screen.paper, PosterPaper::A3, "A3");
    if ui.button(t!("programme.print", locale = locale)).clicked() {
        commands.push(Command::PrintProgramme);
    }
}

/// A picker of the poster's slip languages, each named in itself; `none` offers no language ("").
fn poster_language(ui: &mut Ui, id: &str, label: &str, value: &mut String, none: Option<String>) {
    let language_name = |code: &str| t!("slip.language_name", locale = code).into_owned();
    let label = ui.label(label);
    let chosen = match &none {
        Some(none) if value.is_empty() => none.clone(),
        _ => language_name(value),
    };
    egui::ComboBox::from_id_salt(id)
        .selected_text(chosen)
        .show_ui(ui, |ui| {
            if let Some(none) = none {
                ui.selectable_value(value, String::new(), none);
            }
            for code in SLIP_LANGUAGES {
                ui.selectable_value(value, (*code).to_owned(), language_name(code));
            }
        })
        .response
        .labelled_by(label.id);
}

fn organisation_name(
    programme: &Programme,
    slot: i64,
    providers: &[Organisation],
    locale: &str,
) -> String {
    programme
        .slots
        .iter()
        .find(|s| s.id == slot)
        .and_then(|s| providers.iter().find(|o| o.id == s.draft.organisation))
        .map_or_else(|| "?".to_owned(), |o| o.name(locale).to_owned())
}

fn flag_text(
    flag: &Flag,
    programme: &Programme,
    providers: &[Organisation],
    locale: &str,
) -> String {
    match flag {
        Flag::NoLanguage { slot } => t!(
            "programme.flag_no_language",
            locale = locale,
            organisation = organisation_name(programme, *slot, providers, locale)
        )
        .into_owned(),
        Flag::Overlap {
            day,
            place,
            first,
            second,
        } => t!(
            "programme.flag_overlap",
            locale = locale,
            day = format_date(*day, locale),
            place = place,
            first = organisation_name(programme, *first, providers, locale),
            second = organisation_name(programme, *second, providers, locale)
        )
        .into_owned(),
    }
}

/// Seven columns, Monday to Sunday, with the weekly slots; then the extra sessions.
fn week_grid(
    ui: &mut Ui,
    programme: &Programme,
    flags: &[Flag],
    names: &Names<'_>,
    may_edit: bool,
    commands: &mut Vec<Command>,
) {
    let locale = names.locale;
    ui.columns(7, |columns| {
        for (index, column) in columns.iter_mut().enumerate() {
            let number = index as u32 + 1;
            column.strong(weekday_name(number, locale));
            for slot in programme.slots.iter().filter(|s| {
                matches!(&s.draft.recurrence, Recurrence::Weekly { weekday, .. }
                    if weekday.number_from_monday() == number)
            }) {
                slot_entry(column, slot, names, flags, may_edit, commands);
            }
        }
    });
    let extra: Vec<&Slot> = programme
        .slots
        .iter()
        .filter(|s| matches!(s.draft.recurrence, Recurrence::Dates(_)))
        .collect();
    if !extra.is_empty() {
        ui.add_space(6.0);
        ui.strong(t!("programme.extra", locale = locale));
        for slot in extra {
            if let Recurrence::Dates(dates) = &slot.draft.recurrence {
                let days: Vec<String> = dates
                    .iter()
                    .map(|d| d.format("%d.%m").to_string())
                    .collect();
                ui.label(days.join(", "));
            }
            slot_entry(ui, slot, names, flags, may_edit, commands);
        }
    }
}

fn slot_entry(
    ui: &mut Ui,
    slot: &Slot,
    names: &Names<'_>,
    flags: &[Flag],
    may_edit: bool,
    commands: &mut Vec<Command>,
) {
    let locale = names.locale;
    let text = slot_text(slot, names);
    let flagged = flags.iter().any(|f| f.concerns(slot.id));
    let text = if flagged {
        RichText::new(text).color(theme::ERROR)
    } else {
        RichText::new(text)
    };
    if may_edit {
        if ui
            .add(egui::Button::new(text).wrap())
            .on_hover_text(t!("programme.edit", locale = locale))
            .clicked()
        {
            commands.push(Command::EditSlot(Some(slot.id)));
        }
    } else {
        ui.label(text);
    }
}

/// Every session of the month, day by day.
fn session_list(ui: &mut Ui, programme: &Programme, names: &Names<'_>) {
    let locale = names.locale;
    let mut day = None;
    for session in programme.sessions() {
        if day != Some(session.day) {
            day = Some(session.day);
            ui.add_space(4.0);
            ui.strong(format!(
                "{} {}",
                weekday_name(
                    chrono::Datelike::weekday(&session.day).number_from_monday(),
                    locale
                ),
                format_date(session.day, locale)
            ));
        }
        ui.label(slot_text(session.slot, names));
    }
}

fn days_off(
    ui: &mut Ui,
    screen: &mut crate::app::ProgrammeScreen,
    programme: &Programme,
    names: &Names<'_>,
    may_edit: bool,
    commands: &mut Vec<Command>,
) {
    let locale = names.locale;
    ui.add_space(8.0);
    ui.strong(t!("programme.days_off", locale = locale));
    for off in &programme.days_off {
        ui.horizontal_wrapped(|ui| {
            let what = match off
                .slot
                .and_then(|id| programme.slots.iter().find(|s| s.id == id))
            {
                Some(slot) => format!(
                    "{} — {}",
                    slot_text(slot, names),
                    t!("programme.cancelled", locale = locale)
                ),
                None => t!("programme.closed", locale = locale).into_owned(),
            };
            let note = if off.note.is_empty() {
                String::new()
            } else {
                format!(" ({})", off.note)
            };
            ui.label(format!("{} {what}{note}", format_date(off.day, locale)));
            if may_edit
                && ui
                    .small_button(t!("programme.take_back", locale = locale))
                    .clicked()
            {
                commands.push(Command::RemoveDayOff(off.id));
            }
        });
    }
    if !may_edit {
        return;
    }
    let form = &mut screen.day_off;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t!("programme.day_off_day", locale = locale));
        ui.add(
            TextEdit::singleline(&mut form.day)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(90.0),
        )
        .labelled_by(label.id);
        let label = ui.label(t!("programme.day_off_what", locale = locale));
        let whole = t!("programme.whole_bureau", locale = locale).into_owned();
        let chosen = form
            .slot
            .and_then(|id| programme.slots.iter().find(|s| s.id == id))
            .map_or(whole.clone(), |s| slot_text(s, names));
        egui::ComboBox::from_id_salt("day_off_slot")
            .selected_text(chosen)
            .width(280.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut form.slot, None, whole);
                for slot in &programme.slots {
                    ui.selectable_value(&mut form.slot, Some(slot.id), slot_text(slot, names));
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label(t!("programme.note", locale = locale));
        ui.add(
            TextEdit::singleline(&mut form.note)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(160.0),
        )
        .labelled_by(label.id);
        if ui
            .button(t!("programme.add_day_off", locale = locale))
            .clicked()
        {
            commands.push(Command::AddDayOff);
        }
    });
    let errors = form.errors.clone();
    field_error(ui, &errors, "day", locale);
    field_error(ui, &errors, "note", locale);
}

/// A label and a narrow one-line field beside it.
fn short_field(ui: &mut Ui, label: &str, value: &mut String, width: f32) {
    let label = ui.label(label);
    ui.add(
        TextEdit::singleline(value)
            .char_limit(crate::ui::widgets::LINE_LIMIT)
            .desired_width(width),
    )
    .labelled_by(label.id);
}

/// The slot being added or changed: keyboard first, Ctrl+Enter saves, Esc closes.
fn slot_editor(
    ui: &mut Ui,
    editor: &mut crate::app::SlotEditor,
    providers: &[Organisation],
    services: &[ServiceType],
    focus_first: bool,
    locale: &str,
    commands: &mut Vec<Command>,
) {
    let errors = editor.errors.clone();
    let form = &mut editor.form;
    ui.strong(if editor.id.is_some() {
        t!("programme.edit_slot", locale = locale)
    } else {
        t!("programme.new_slot", locale = locale)
    });
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t!("programme.organisation", locale = locale));
        let chosen = form
            .organisation
            .and_then(|id| providers.iter().find(|o| o.id == id))
            .map_or("—", |o| o.name(locale));
        let picker = egui::ComboBox::from_id_salt("slot_organisation")
            .selected_text(chosen)
            .width(320.0)
            .show_ui(ui, |ui| {
                for o in providers {
                    ui.selectable_value(&mut form.organisation, Some(o.id), o.name(locale));
                }
            })
            .response
            .labelled_by(label.id);
        // Keyboard first: the partner has the keys when the editor opens.
        if focus_first {
            picker.request_focus();
        }
    });
    field_error(ui, &errors, "organisation", locale);
    ui.label(t!("programme.services", locale = locale));
    ui.horizontal_wrapped(|ui| {
        for service in services {
            let mut on = form.services.contains(&service.id);
            if ui.toggle_value(&mut on, service.name(locale)).changed() {
                if on {
                    form.services.push(service.id);
                } else {
                    form.services.retain(|s| *s != service.id);
                }
            }
        }
    });
    field_error(ui, &errors, "services", locale);
    ui.horizontal_wrapped(|ui| {
        ui.label(t!("programme.when", locale = locale));
        for number in 1..=7u8 {
            ui.selectable_value(
                &mut form.weekday,
                Some(number),
                weekday_name(u32::from(number), locale),
            );
        }
        ui.selectable_value(
            &mut form.weekday,
            None,
            t!("programme.on_dates", locale = locale),
        );
    });
    ui.horizontal_wrapped(|ui| {
        if form.weekday.is_some() {
            short_field(
                ui,
                &t!("programme.weeks", locale = locale),
                &mut form.weeks,
                90.0,
            );
        } else {
            short_field(
                ui,
                &t!("programme.dates", locale = locale),
                &mut form.dates,
                120.0,
            );
        }
        short_field(
            ui,
            &t!("programme.starts", locale = locale),
            &mut form.starts,
            60.0,
        );
        short_field(
            ui,
            &t!("programme.ends", locale = locale),
            &mut form.ends,
            60.0,
        );
    });
    ui.horizontal_wrapped(|ui| {
        short_field(
            ui,
            &t!("programme.languages", locale = locale),
            &mut form.languages,
            110.0,
        );
        short_field(
            ui,
            &t!("programme.place", locale = locale),
            &mut form.place,
            140.0,
        );
        short_field(
            ui,
            &t!("programme.note", locale = locale),
            &mut form.note,
            280.0,
        );
    });
    for field in [
        "weeks",
        "dates",
        "starts",
        "ends",
        "languages",
        "place",
        "note",
    ] {
        field_error(ui, &errors, field, locale);
    }
    ui.horizontal(|ui| {
        if ui.button(t!("form.save", locale = locale)).clicked() {
            commands.push(Command::SaveSlot);
        }
        if ui.button(t!("form.cancel", locale = locale)).clicked() {
            commands.push(Command::StepProgrammeMonth(0));
        }
        if let Some(id) = editor.id
            && ui.button(t!("programme.remove", locale = locale)).clicked()
        {
            commands.push(Command::RemoveSlot(id));
        }
    });
}

/// "Today at the bureau" on the desk: who is in now and later today, with their languages.
pub fn today_at_the_bureau(ui: &mut Ui, desk: &Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.as_str();
    let now = desk.now();
    ui.horizontal(|ui| {
        ui.strong(t!("programme.today", locale = locale));
        if ui
            .small_button(t!("programme.open", locale = locale))
            .clicked()
        {
            commands.push(Command::OpenProgramme);
        }
    });
    let Some(programme) = desk.programme_of(now.date()) else {
        return;
    };
    if let Some(closed) = programme.closed_on(now.date()) {
        let note = if closed.note.is_empty() {
            String::new()
        } else {
            format!(" ({})", closed.note)
        };
        ui.label(format!(
            "{}{note}",
            t!("programme.closed_today", locale = locale)
        ));
        return;
    }
    let today = programme.at_the_bureau(now);
    if today.now.is_empty() && today.later.is_empty() {
        ui.label(RichText::new(t!("programme.nobody_today", locale = locale)).color(theme::MUTED));
    }
    let names = Names {
        providers: &desk.providers,
        services: &desk.services,
        locale,
    };
    let list = |ui: &mut Ui, key: &str, sessions: &[Session<'_>]| {
        if sessions.is_empty() {
            return;
        }
        ui.label(RichText::new(t!(key, locale = locale)).color(theme::MUTED));
        for session in sessions {
            ui.label(slot_text(session.slot, &names));
        }
    };
    list(ui, "programme.now", &today.now);
    list(ui, "programme.later", &today.later);
}
