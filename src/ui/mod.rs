//! The desk's window: a top bar and one of a fixed set of screens. Screens only draw the desk's
//! state and push `Command`s; the app runs them after the frame.

mod accompaniment_form;
mod audit;
mod backups;
mod desk;
mod directory;
mod family;
mod feedback;
pub mod file_dialog;
mod lock;
mod merge;
mod programme;
mod referral_form;
mod register_import;
mod replace_question;
mod reports;
mod rights;
mod sign_in;
mod staff_screen;
pub mod theme;
mod visit_form;
mod visitor_form;
mod week;
pub mod widgets;

use std::sync::mpsc::{Receiver, Sender};

use egui::{Key, Modifiers, RichText, Ui};
use rust_i18n::t;

use crate::app::session::{Gate, GateCommand};
use crate::app::{Clock, Command, Desk, Notice, PathFor, Screen, SlipOutput};
use crate::domain::access::Permission;
use crate::single_desk::DeskLock;

pub use accompaniment_form::accompaniment_form_ui;
pub use audit::audit_ui;
pub use backups::backups_ui;
pub use desk::desk_ui;
pub use directory::directory_ui;
pub use feedback::feedback_ui;
pub use lock::lock_ui;
pub use referral_form::referral_form_ui;
pub use replace_question::replace_question_ui;
pub use reports::reports_ui;
pub use sign_in::sign_in_ui;
pub use staff_screen::staff_ui;
pub use visit_form::visit_form_ui;
pub use visitor_form::visitor_form_ui;
pub use week::week_ui;

/// The eframe application: the desk state and the commands pushed during a frame.
pub struct BureauApp {
    /// The desk's state.
    pub desk: Desk,
    commands: Vec<Command>,
    /// When (egui's clock, seconds) the person last pressed a key, clicked or moved the pointer.
    last_activity: f64,
    /// The notice on screen and when (egui's clock) it appeared: a done-notice goes after
    /// `NOTICE_SECONDS`, a failure stays until dismissed.
    notice_seen: Option<(Notice, f64)>,
    /// Opens the file dialogs the desk asks for.
    chooser: Box<dyn file_dialog::FileChooser>,
    /// Where the dialogs send what the person chose, and where the frame reads it.
    chosen: (Sender<file_dialog::Chosen>, Receiver<file_dialog::Chosen>),
}

/// How long a notice that something was done stays in the status line.
const NOTICE_SECONDS: f64 = 8.0;

impl BureauApp {
    /// Wraps an open desk.
    pub fn new(desk: Desk) -> Self {
        BureauApp {
            desk,
            commands: Vec::new(),
            last_activity: 0.0,
            notice_seen: None,
            chooser: Box::new(file_dialog::SystemDialog),
            chosen: std::sync::mpsc::channel(),
        }
    }

    /// Another way of asking the person for paths (tests answer for the person).
    pub fn set_file_chooser(&mut self, chooser: Box<dyn file_dialog::FileChooser>) {
        self.chooser = chooser;
    }

    /// Turns what the person chose in a file dialog into the desk's command. A choice that
    /// arrives on a locked desk is dropped: whoever unlocks may not be who asked.
    fn take_chosen_paths(&mut self) {
        while let Ok((purpose, path)) = self.chosen.1.try_recv() {
            if self.desk.screen == Screen::Locked {
                continue;
            }
            self.commands.push(match purpose {
                PathFor::ExportFolder => Command::SetExportFolder(path),
                PathFor::Slip(target) => Command::SaveSlipAs(target, path),
                PathFor::Register => Command::SetImportPath(path),
            });
        }
    }

    /// Opens the file dialog the desk asked for, titled in the UI language.
    fn open_asked_dialog(&mut self, ctx: &egui::Context) {
        let Some(request) = self.desk.path_asked.take() else {
            return;
        };
        let key = match request.purpose {
            PathFor::ExportFolder => "dialog.export_folder",
            PathFor::Slip(_) => "dialog.save_slip",
            PathFor::Register => "dialog.register",
        };
        let title = t!(key, locale = &self.desk.locale).into_owned();
        self.chooser
            .open(request, title, self.chosen.0.clone(), ctx.clone());
    }

    /// Gives a done-notice its lifetime: it goes `NOTICE_SECONDS` after it appeared (not while
    /// it offers an undo). A failure stays until the person dismisses it.
    fn age_notice(&mut self, ui: &mut Ui) {
        let now = ui.input(|i| i.time);
        let Some(notice) = self.desk.notice.clone() else {
            self.notice_seen = None;
            return;
        };
        let since = match &self.notice_seen {
            Some((seen, since)) if *seen == notice => *since,
            _ => {
                self.notice_seen = Some((notice.clone(), now));
                now
            }
        };
        if !matches!(notice, Notice::Saved(..)) || self.desk.can_undo() {
            return;
        }
        let left = NOTICE_SECONDS - (now - since);
        if left <= 0.0 {
            self.commands.push(Command::DismissNotice);
        } else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(left));
        }
    }

    /// Draws one frame and then runs what the person asked for.
    pub fn show(&mut self, ui: &mut Ui) {
        self.desk.tick();
        if self.desk.backups.running() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs(1));
        }
        self.take_chosen_paths();
        self.shortcuts(ui);
        self.lock_when_idle(ui);
        self.age_notice(ui);
        // The visitor's own screen shows nothing of the staff; the lock screen nothing at all.
        if !matches!(self.desk.screen, Screen::Feedback | Screen::Locked) {
            top_bar(ui, &self.desk, &mut self.commands);
            status_line(ui, &self.desk, &mut self.commands);
        }
        let desk = &mut self.desk;
        let commands = &mut self.commands;
        match desk.screen {
            Screen::Desk => desk_ui(ui, desk, commands),
            Screen::VisitorForm | Screen::EditVisitor => {
                egui::CentralPanel::default().show(ui, |ui| visitor_form_ui(ui, desk, commands));
            }
            Screen::VisitForm => {
                egui::CentralPanel::default().show(ui, |ui| visit_form_ui(ui, desk, commands));
            }
            Screen::ReferralForm => {
                egui::CentralPanel::default().show(ui, |ui| referral_form_ui(ui, desk, commands));
            }
            Screen::AccompanimentForm => {
                egui::CentralPanel::default()
                    .show(ui, |ui| accompaniment_form_ui(ui, desk, commands));
            }
            Screen::Directory => {
                egui::CentralPanel::default().show(ui, |ui| directory_ui(ui, desk, commands));
            }
            Screen::Week => {
                egui::CentralPanel::default().show(ui, |ui| week_ui(ui, desk, commands));
            }
            Screen::Feedback => {
                egui::CentralPanel::default().show(ui, |ui| feedback_ui(ui, desk, commands));
            }
            Screen::Reports => {
                egui::CentralPanel::default().show(ui, |ui| reports_ui(ui, desk, commands));
            }
            Screen::Locked => {
                egui::CentralPanel::default().show(ui, |ui| lock_ui(ui, desk, commands));
            }
            Screen::Backups => {
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| backups_ui(ui, desk, commands));
                });
            }
            Screen::Audit => {
                egui::CentralPanel::default().show(ui, |ui| audit_ui(ui, desk, commands));
            }
            Screen::Merge => {
                egui::CentralPanel::default().show(ui, |ui| merge::merge_ui(ui, desk, commands));
            }
            Screen::Import => {
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| register_import::import_ui(ui, desk, commands));
                });
            }
            Screen::Programme => {
                egui::CentralPanel::default()
                    .show(ui, |ui| programme::programme_ui(ui, desk, commands));
            }
            Screen::Staff => {
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| staff_ui(ui, desk, commands));
                });
            }
        }
        replace_question_ui(ui, desk, commands);
        for command in self.commands.drain(..) {
            self.desk.run(command);
        }
        self.open_asked_dialog(ui.ctx());
    }

    /// Locks the desk after `lock_after` without a key press, a click or a pointer move, and
    /// asks for a frame when that time comes, so it locks with nobody touching it.
    fn lock_when_idle(&mut self, ui: &mut Ui) {
        if self.desk.screen == Screen::Locked {
            return;
        }
        let (now, active) = ui.input(|i| {
            let active = !i.events.is_empty() || i.pointer.is_moving() || i.pointer.any_down();
            (i.time, active)
        });
        if active || self.last_activity > now {
            self.last_activity = now;
        }
        let limit = self.desk.lock_after.as_secs_f64();
        let idle = now - self.last_activity;
        if idle >= limit {
            self.commands.push(Command::Lock);
        } else {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_secs_f64(limit - idle));
        }
    }

    /// Keyboard shortcuts, checked before the widgets so a text field does not swallow them.
    fn shortcuts(&mut self, ui: &mut Ui) {
        let desk = &self.desk;
        let push = &mut self.commands;
        ui.input_mut(|input| {
            let save = input.consume_key(Modifiers::COMMAND, Key::Enter);
            let escape = input.consume_key(Modifiers::NONE, Key::Escape);
            if desk.screen == Screen::Locked {
                return;
            }
            if input.consume_key(Modifiers::COMMAND, Key::L) {
                push.push(Command::Lock);
                return;
            }
            // While the desk asks about replacing a file, Esc keeps it and nothing else runs.
            if desk.replace_question.is_some() {
                if escape {
                    push.push(Command::KeepFile);
                }
                return;
            }
            match desk.screen {
                Screen::Desk => {
                    if input.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, Key::A) {
                        push.push(Command::StartVisit(None));
                    } else if input.consume_key(Modifiers::COMMAND, Key::N) {
                        push.push(Command::NewVisitor);
                    } else if save {
                        if let Some(card) = &desk.card {
                            push.push(Command::StartVisit(Some(card.visitor.id)));
                        }
                    } else if let Some(command) = card_shortcut(desk, input) {
                        push.push(command);
                    } else if escape {
                        push.push(Command::ClearSearch);
                    } else if input.consume_key(Modifiers::NONE, Key::ArrowDown) {
                        push.push(Command::MoveSelection(1));
                    } else if input.consume_key(Modifiers::NONE, Key::ArrowUp) {
                        push.push(Command::MoveSelection(-1));
                    } else if !desk.results.is_empty()
                        && input.consume_key(Modifiers::NONE, Key::Enter)
                    {
                        push.push(Command::OpenSelected);
                    }
                }
                Screen::VisitorForm => {
                    if save {
                        push.push(Command::SaveVisitor);
                    } else if escape {
                        push.push(Command::Cancel);
                    }
                }
                Screen::Merge | Screen::Import => {
                    if escape {
                        push.push(Command::Cancel);
                    }
                }
                Screen::EditVisitor => {
                    if save {
                        push.push(Command::SaveVisitorEdit);
                    } else if escape {
                        push.push(Command::Cancel);
                    }
                }
                Screen::VisitForm => {
                    if save {
                        push.push(Command::SaveVisit);
                    } else if escape {
                        push.push(Command::Cancel);
                    } else if let Some(command) =
                        family::present_shortcut(input, &desk.visit_form.family)
                    {
                        push.push(command);
                    }
                }
                Screen::ReferralForm => {
                    if save {
                        push.push(Command::SaveReferral);
                    } else if escape {
                        push.push(Command::Cancel);
                    }
                }
                Screen::AccompanimentForm => {
                    if save {
                        push.push(Command::SaveAccompaniment);
                    } else if escape {
                        push.push(Command::Cancel);
                    }
                }
                Screen::Directory => {
                    if save && desk.organisation_form.is_some() {
                        push.push(Command::SaveOrganisation);
                    } else if escape {
                        push.push(if desk.organisation_form.is_some() {
                            Command::OpenDirectory
                        } else {
                            Command::OpenDesk
                        });
                    }
                }
                Screen::Locked => {}
                Screen::Programme => {
                    if save && desk.programme.editor.is_some() {
                        push.push(Command::SaveSlot);
                    } else if escape && desk.programme.editor.is_some() {
                        push.push(Command::StepProgrammeMonth(0));
                    } else if escape {
                        push.push(Command::OpenDesk);
                    } else if desk.programme.editor.is_none()
                        && input.consume_key(Modifiers::NONE, Key::PageUp)
                    {
                        push.push(Command::StepProgrammeMonth(-1));
                    } else if desk.programme.editor.is_none()
                        && input.consume_key(Modifiers::NONE, Key::PageDown)
                    {
                        push.push(Command::StepProgrammeMonth(1));
                    } else if desk.may(Permission::EditProgramme)
                        && input.consume_key(Modifiers::COMMAND, Key::N)
                    {
                        push.push(Command::EditSlot(None));
                    }
                }
                Screen::Week
                | Screen::Reports
                | Screen::Staff
                | Screen::Backups
                | Screen::Audit => {
                    if escape {
                        push.push(Command::OpenDesk);
                    }
                }
                // Only a staff shortcut takes the screen back from the visitor.
                Screen::Feedback => {
                    if input.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, Key::D) {
                        push.push(Command::LeaveFeedback);
                    } else if save {
                        push.push(Command::SaveFeedback);
                    }
                }
            }
        });
    }
}

/// From an open card: Ctrl+E corrects the record, Ctrl+R a referral and Ctrl+J an
/// accompaniment for the latest visit, Ctrl+P the slip of the newest referral.
fn card_shortcut(desk: &Desk, input: &mut egui::InputState) -> Option<Command> {
    let card = desk.card.as_ref()?;
    if desk.may(Permission::Register)
        && !card.visitor.restricted
        && input.consume_key(Modifiers::COMMAND, Key::E)
    {
        return Some(Command::EditVisitor);
    }
    if !desk.may(Permission::Refer) {
        return None;
    }
    let latest_visit = card.visits.first().map(|visit| visit.id);
    if input.consume_key(Modifiers::COMMAND, Key::R) {
        return latest_visit.map(Command::StartReferral);
    }
    if input.consume_key(Modifiers::COMMAND, Key::J) {
        return latest_visit.map(Command::StartAccompaniment);
    }
    if input.consume_key(Modifiers::COMMAND, Key::P) {
        return card
            .referrals
            .first()
            .map(|referral| Command::PrintSlip(crate::app::SlipTarget::Referral(referral.id)));
    }
    None
}

/// The status line at the bottom: the age of the last good backup (in amber when it is more
/// than two days old or the last try failed), then the notice of the last action.
fn status_line(ui: &mut Ui, desk: &Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.as_str();
    egui::Panel::bottom("status_line").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            backup_age(ui, desk, locale);
            notice_ui(ui, desk, commands, locale);
        });
    });
}

/// The age of the last good backup.
fn backup_age(ui: &mut Ui, desk: &Desk, locale: &str) {
    let state = &desk.backups;
    if state.folder.is_none() {
        return;
    }
    let now = desk.now();
    let text = match (state.failed, state.last) {
        (true, _) => t!("backup.failed_short", locale = locale).into_owned(),
        (false, None) => t!("backup.none", locale = locale).into_owned(),
        (false, Some(at)) => {
            let hours = (now - at).num_hours().max(0);
            if hours == 0 {
                t!("backup.just_now", locale = locale).into_owned()
            } else if hours < 48 {
                t!("backup.hours_ago", locale = locale, hours = hours).into_owned()
            } else {
                t!("backup.days_ago", locale = locale, days = hours / 24).into_owned()
            }
        }
    };
    let colour = if state.overdue(now) {
        theme::STATUS_MISSED
    } else {
        theme::MUTED
    };
    ui.label(RichText::new(text).color(colour));
    ui.separator();
}

/// The notice of the last action, in the status line where a long one has room: what was done
/// (with its undo or its folder), or what failed, with × to put it away.
fn notice_ui(ui: &mut Ui, desk: &Desk, commands: &mut Vec<Command>, locale: &str) {
    if let Some(notice) = &desk.notice {
        match notice {
            Notice::Saved(key, code) => {
                ui.colored_label(theme::SUCCESS, t!(*key, locale = locale, code = code));
                let about_a_slip = matches!(
                    *key,
                    "notice.slip_printed" | "notice.slip_no_viewer" | "notice.slip_saved"
                );
                if *key == "notice.outcome_recorded" && desk.can_undo() {
                    if ui
                        .small_button(t!("notice.undo", locale = locale))
                        .clicked()
                    {
                        commands.push(Command::UndoOutcome);
                    }
                    // Drawn again when the undo runs out, so the button goes.
                    ui.ctx().request_repaint_after(crate::app::UNDO_FOR);
                }
                if about_a_slip
                    && desk.last_slip.is_some()
                    && ui
                        .small_button(t!("notice.open_folder", locale = locale))
                        .clicked()
                {
                    commands.push(Command::OpenSlipFolder);
                }
            }
            Notice::Failed(key) => {
                ui.colored_label(theme::ERROR, t!(*key, locale = locale));
            }
        }
        if ui
            .small_button("×")
            .on_hover_text(t!("notice.dismiss", locale = locale))
            .clicked()
        {
            commands.push(Command::DismissNotice);
        }
    }
}

/// The desk's window: the sign-in screen until someone signs in, then the desk; signing out
/// closes the database and brings the sign-in screen back.
pub struct DeskWindow {
    state: WindowState,
    slips: SlipOutput,
    clock: Clock,
    /// The file's desk lock while the desk is open (the sign-in screen holds it otherwise).
    lock: Option<DeskLock>,
    /// The window was asked to close with a form unsaved: the question is shown.
    pub asking_to_close: bool,
    /// The person chose to close anyway (their forms stay as drafts).
    closing: bool,
}

enum WindowState {
    SigningIn(Box<Gate>, Vec<GateCommand>),
    Open(Box<BureauApp>),
}

impl DeskWindow {
    /// The window for the database at `path`; printed slips go to `slips`.
    pub fn new(gate: Gate, slips: SlipOutput, clock: Clock) -> Self {
        DeskWindow {
            state: WindowState::SigningIn(Box::new(gate), Vec::new()),
            slips,
            clock,
            lock: None,
            asking_to_close: false,
            closing: false,
        }
    }

    /// A close of the window with a form unsaved is held back once and asked about: the forms
    /// are kept as drafts either way, but the person should know where their work is.
    fn ask_before_closing(&mut self, ui: &mut Ui) {
        let WindowState::Open(app) = &mut self.state else {
            return;
        };
        let requested = ui.input(|i| i.viewport().close_requested());
        if requested && !self.closing && app.desk.has_unsaved_work() {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.asking_to_close = true;
        }
        if !self.asking_to_close {
            return;
        }
        let locale = app.desk.locale.as_str();
        egui::Modal::new(egui::Id::unique("close_with_unsaved_work")).show(ui.ctx(), |ui| {
            ui.set_max_width(520.0);
            ui.label(RichText::new(t!("window.unsaved_title", locale = locale)).strong());
            ui.label(t!("window.unsaved_text", locale = locale));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui
                    .button(t!("window.back_to_form", locale = locale))
                    .clicked()
                {
                    self.asking_to_close = false;
                }
                if ui
                    .button(t!("window.close_anyway", locale = locale))
                    .clicked()
                {
                    self.asking_to_close = false;
                    self.closing = true;
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }

    /// The window is closing: an open desk signs out, so the search being typed and the
    /// sign-out are in the audit trail.
    pub fn close(&mut self) {
        if let WindowState::Open(app) = &mut self.state {
            app.desk.run(Command::SignOut);
        }
    }

    /// The open desk, once someone signed in.
    pub fn desk(&self) -> Option<&Desk> {
        match &self.state {
            WindowState::Open(app) => Some(&app.desk),
            WindowState::SigningIn(..) => None,
        }
    }

    /// The open desk to act on, once someone signed in.
    pub fn desk_mut(&mut self) -> Option<&mut Desk> {
        match &mut self.state {
            WindowState::Open(app) => Some(&mut app.desk),
            WindowState::SigningIn(..) => None,
        }
    }

    /// The sign-in screen's state, while it is shown.
    pub fn gate(&self) -> Option<&Gate> {
        match &self.state {
            WindowState::SigningIn(gate, _) => Some(gate),
            WindowState::Open(_) => None,
        }
    }

    /// The sign-in screen's state to change, while it is shown.
    pub fn gate_mut(&mut self) -> Option<&mut Gate> {
        match &mut self.state {
            WindowState::SigningIn(gate, _) => Some(gate),
            WindowState::Open(_) => None,
        }
    }

    /// Draws one frame, then runs what was asked.
    pub fn show(&mut self, ui: &mut Ui) {
        self.ask_before_closing(ui);
        let next = match &mut self.state {
            WindowState::SigningIn(gate, commands) => {
                egui::CentralPanel::default().show(ui, |ui| sign_in_ui(ui, gate, commands));
                for command in commands.drain(..) {
                    gate.run(command);
                }
                gate.take_opened().map(|signed_in| {
                    let locale = gate.locale.clone();
                    (signed_in, locale)
                })
            }
            WindowState::Open(app) => {
                app.show(ui);
                if app.desk.signed_out {
                    let path = app.desk.database_path();
                    let mut gate = Gate::holding(path, false, self.lock.take());
                    if app.desk.damage_seen {
                        gate.file_damaged();
                    }
                    self.state = WindowState::SigningIn(Box::new(gate), Vec::new());
                }
                None
            }
        };
        if let Some((signed_in, locale)) = next {
            match Desk::new(signed_in.database, signed_in.staff, self.clock) {
                Ok(mut desk) => {
                    desk.slip_output = self.slips.clone();
                    if desk.locale != locale {
                        desk.run(Command::SetLanguage(locale));
                    }
                    if let WindowState::SigningIn(gate, _) = &mut self.state {
                        self.lock = gate.take_lock();
                    }
                    self.state = WindowState::Open(Box::new(BureauApp::new(desk)));
                }
                Err(error) => {
                    if let WindowState::SigningIn(gate, _) = &mut self.state {
                        gate.error = Some(error.label_key());
                    }
                }
            }
        }
    }
}

impl eframe::App for DeskWindow {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.close();
    }
}

fn top_bar(ui: &mut Ui, desk: &Desk, commands: &mut Vec<Command>) {
    let locale = desk.locale.as_str();
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading(t!("app.title", locale = locale));
            ui.separator();
            if desk.at_desk.is_some() {
                let tabs = [
                    (
                        Screen::Desk,
                        "app.tab_desk",
                        Command::OpenDesk,
                        Permission::SeeIdentity,
                    ),
                    (
                        Screen::Directory,
                        "app.tab_directory",
                        Command::OpenDirectory,
                        Permission::Refer,
                    ),
                    (
                        Screen::Week,
                        "app.tab_week",
                        Command::OpenWeek,
                        Permission::Refer,
                    ),
                    (
                        Screen::Programme,
                        "app.tab_programme",
                        Command::OpenProgramme,
                        Permission::SeeIdentity,
                    ),
                    (
                        Screen::Reports,
                        "app.tab_reports",
                        Command::OpenReports,
                        Permission::Reports,
                    ),
                    (
                        Screen::Feedback,
                        "app.tab_feedback",
                        Command::OpenFeedback,
                        Permission::Feedback,
                    ),
                    (
                        Screen::Audit,
                        "app.tab_audit",
                        Command::OpenAudit,
                        Permission::AuditTrail,
                    ),
                    (
                        Screen::Staff,
                        "app.tab_staff",
                        Command::OpenStaff,
                        Permission::ManageStaff,
                    ),
                    (
                        Screen::Backups,
                        "app.tab_backups",
                        Command::OpenBackups,
                        Permission::Backups,
                    ),
                ];
                for (screen, key, command, _) in tabs.into_iter().filter(|t| desk.may(t.3)) {
                    let mut tab =
                        ui.selectable_label(desk.screen == screen, t!(key, locale = locale));
                    // Said before the screen is handed over: the visitor's screen shows
                    // nothing of the staff, not even how to take it back.
                    if screen == Screen::Feedback {
                        tab = tab.on_hover_text(t!("app.feedback_hand_back", locale = locale));
                    }
                    if tab.clicked() {
                        commands.push(command);
                    }
                }
                ui.separator();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                for lang in crate::UI_LANGUAGES.iter().rev() {
                    let text = RichText::new(lang.to_uppercase());
                    if ui
                        .selectable_label(desk.locale == *lang, text)
                        .on_hover_text(t!("app.ui_language", locale = lang))
                        .clicked()
                    {
                        commands.push(Command::SetLanguage((*lang).to_owned()));
                    }
                }
                if let Some(staff) = &desk.at_desk {
                    if ui.button(t!("app.sign_out", locale = locale)).clicked() {
                        commands.push(Command::SignOut);
                    }
                    if ui.button(t!("app.switch_user", locale = locale)).clicked() {
                        commands.push(Command::SwitchUser);
                    }
                    // The name alone: the top bar has no room for a label beside seven tabs.
                    ui.label(RichText::new(&staff.display_name).strong())
                        .on_hover_text(t!("app.at_desk", locale = locale));
                }
            });
        });
    });
}
