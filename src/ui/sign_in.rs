//! The sign-in screen, shown before the desk opens: staff sign in with their own password; on
//! a new file the first administrator is made (and on a plain file from before encryption, the
//! file is encrypted); the recovery code is shown once. Nothing personal is on this screen.

use egui::{Response, RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::session::{Gate, GateCommand, GateStep};

/// Draws the sign-in screen.
pub fn sign_in_ui(ui: &mut Ui, gate: &mut Gate, commands: &mut Vec<GateCommand>) {
    let locale = gate.locale.clone();
    let locale = locale.as_str();
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
        for lang in crate::UI_LANGUAGES.iter().rev() {
            if ui
                .selectable_label(gate.locale == *lang, lang.to_uppercase())
                .on_hover_text(t!("app.ui_language", locale = lang))
                .clicked()
            {
                commands.push(GateCommand::SetLanguage((*lang).to_owned()));
            }
        }
    });
    ui.vertical_centered(|ui| {
        ui.set_max_width(460.0);
        ui.add_space(40.0);
        ui.heading(RichText::new(t!("app.title", locale = locale)).size(26.0));
        ui.add_space(16.0);
        match gate.step {
            GateStep::SignIn => sign_in_form(ui, gate, commands, locale),
            GateStep::CreateAdmin | GateStep::EncryptPlain => {
                create_admin_form(ui, gate, commands, locale);
            }
            GateStep::ShowRecovery => recovery(ui, gate, commands, locale),
            GateStep::Restored => restored(ui, gate, commands, locale),
            GateStep::Unusable | GateStep::Damaged => {}
        }
        if let Some(key) = gate.error {
            ui.add_space(8.0);
            ui.colored_label(theme::ERROR, t!(key, locale = locale));
        }
        if gate.step == GateStep::Damaged {
            latest_backup(ui, gate, commands, locale);
        }
        if matches!(gate.step, GateStep::Unusable | GateStep::Damaged) {
            ui.add_space(8.0);
            if ui
                .button(t!("sign_in.look_again", locale = locale))
                .clicked()
            {
                commands.push(GateCommand::LookAgain);
            }
        }
    });
}

fn sign_in_form(ui: &mut Ui, gate: &mut Gate, commands: &mut Vec<GateCommand>, locale: &str) {
    ui.label(t!("sign_in.title", locale = locale));
    ui.add_space(8.0);
    let (name, password) = name_and_password(ui, gate, locale);
    // Once, when the screen opens and after each try: asking every frame would fight the
    // person's own clicks.
    if std::mem::take(&mut gate.focus_field) {
        if gate.name.is_empty() {
            name.request_focus();
        } else {
            password.request_focus();
        }
    }
    let enter = password.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.add_space(8.0);
    if ui.button(t!("sign_in.sign_in", locale = locale)).clicked() || enter {
        commands.push(GateCommand::SignIn);
    }
    // The names that can sign in, after the fields so Tab goes from name to password.
    ui.add_space(12.0);
    ui.horizontal_wrapped(|ui| {
        for known in &gate.names {
            if ui.selectable_label(gate.name == *known, known).clicked() {
                gate.name = known.clone();
                gate.focus_field = true;
            }
        }
    });
    if gate.demo {
        ui.add_space(12.0);
        ui.label(RichText::new(t!("sign_in.demo_hint", locale = locale)).color(theme::MUTED));
    }
}

/// The name and password fields of a sign-in (at the door, or to restore a backup).
fn name_and_password(ui: &mut Ui, gate: &mut Gate, locale: &str) -> (Response, Response) {
    let name_label = ui.label(t!("sign_in.name", locale = locale));
    let name = ui
        .add(
            TextEdit::singleline(&mut gate.name)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(name_label.id);
    let password_label = ui.label(t!("sign_in.password", locale = locale));
    let password = ui
        .add(
            TextEdit::singleline(&mut *gate.password)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .password(true)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(password_label.id);
    (name, password)
}

fn create_admin_form(ui: &mut Ui, gate: &mut Gate, commands: &mut Vec<GateCommand>, locale: &str) {
    let intro = if gate.step == GateStep::EncryptPlain {
        "sign_in.encrypt_intro"
    } else {
        "sign_in.create_intro"
    };
    ui.label(t!(intro, locale = locale));
    ui.add_space(8.0);
    let name_label = ui.label(t!("sign_in.admin_name", locale = locale));
    let name = ui
        .add(
            TextEdit::singleline(&mut gate.name)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(name_label.id);
    if std::mem::take(&mut gate.focus_field) {
        name.request_focus();
    }
    let first = ui.label(t!("sign_in.new_password", locale = locale));
    ui.add(
        TextEdit::singleline(&mut *gate.password)
            .char_limit(crate::ui::widgets::LINE_LIMIT)
            .password(true)
            .desired_width(f32::INFINITY),
    )
    .labelled_by(first.id);
    let again = ui.label(t!("sign_in.new_password_again", locale = locale));
    let again_field = ui
        .add(
            TextEdit::singleline(&mut *gate.password_again)
                .char_limit(crate::ui::widgets::LINE_LIMIT)
                .password(true)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(again.id);
    ui.small(t!("sign_in.strength_rule", locale = locale));
    let enter = again_field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.add_space(8.0);
    if ui.button(t!("sign_in.create", locale = locale)).clicked() || enter {
        commands.push(GateCommand::CreateAdmin);
    }
}

fn recovery(ui: &mut Ui, gate: &mut Gate, commands: &mut Vec<GateCommand>, locale: &str) {
    ui.label(RichText::new(t!("sign_in.recovery_title", locale = locale)).strong());
    ui.label(t!("sign_in.recovery_explained", locale = locale));
    ui.add_space(8.0);
    if let Some(code) = &gate.recovery {
        ui.add(
            egui::Label::new(RichText::new(code.expose()).monospace().size(20.0))
                .wrap_mode(egui::TextWrapMode::Extend),
        );
    }
    ui.add_space(8.0);
    if gate.converted {
        ui.colored_label(theme::ERROR, t!("sign_in.plain_copies", locale = locale));
        ui.add_space(8.0);
    }
    if ui
        .button(t!("sign_in.print_recovery", locale = locale))
        .clicked()
    {
        commands.push(GateCommand::PrintRecovery);
    }
    ui.add_space(4.0);
    if ui
        .button(t!("sign_in.recovery_noted", locale = locale))
        .clicked()
    {
        commands.push(GateCommand::RecoveryNoted);
    }
}

/// The damaged file's latest backup, and the administrator's name and password to restore it.
fn latest_backup(ui: &mut Ui, gate: &mut Gate, commands: &mut Vec<GateCommand>, locale: &str) {
    ui.add_space(12.0);
    let Some(latest) = &gate.latest_backup else {
        let folder = crate::db::backup::default_folder(&gate.path);
        ui.label(t!(
            "sign_in.no_backup",
            locale = locale,
            folder = folder.display().to_string()
        ));
        return;
    };
    ui.label(t!(
        "sign_in.backup_offer",
        locale = locale,
        when = crate::domain::format_date_time(latest.at, locale),
        path = latest.path.display().to_string()
    ));
    ui.add_space(8.0);
    ui.label(t!("sign_in.restore_who", locale = locale));
    let (_, password) = name_and_password(ui, gate, locale);
    if std::mem::take(&mut gate.focus_field) {
        password.request_focus();
    }
    let enter = password.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.add_space(8.0);
    if ui
        .button(t!("sign_in.restore_latest", locale = locale))
        .clicked()
        || enter
    {
        commands.push(GateCommand::RestoreLatest);
    }
}

/// The backup is back in place: where the damaged file went, and what to log again.
fn restored(ui: &mut Ui, gate: &Gate, commands: &mut Vec<GateCommand>, locale: &str) {
    let when = gate
        .latest_backup
        .as_ref()
        .map(|b| crate::domain::format_date_time(b.at, locale))
        .unwrap_or_default();
    let aside = gate
        .set_aside
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    ui.label(RichText::new(t!("sign_in.restored_title", locale = locale)).strong());
    ui.label(t!(
        "sign_in.restored",
        locale = locale,
        when = when,
        path = aside
    ));
    ui.add_space(8.0);
    if ui
        .button(t!("sign_in.open_desk", locale = locale))
        .clicked()
    {
        commands.push(GateCommand::OpenRestored);
    }
}
