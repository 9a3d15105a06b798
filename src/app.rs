//! The desk's state and the commands that change it. The screens draw this state and push
//! `Command`s; `Desk::run` carries them out after the frame and refreshes what the screens show,
//! so no query ever runs while drawing. Nothing here knows about egui.

use chrono::{Local, NaiveDateTime};

use crate::db::{self, Database, catalogue, organisations, settings, staff, visitors, visits};
use crate::domain::{
    Actor, FieldError, Organisation, ServiceLine, ServiceType, Staff, StaffId, Visit, VisitDraft,
    Visitor, VisitorDraft, VisitorId, VisitorSummary, format_date,
};

/// The screens of the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Say who is at the desk.
    ChooseStaff,
    /// Search, the visitor card and the day.
    Desk,
    /// Register a new visitor.
    VisitorForm,
    /// Log a visit.
    VisitForm,
}

/// Every user action, one variant each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The staff member at the desk is this one.
    ChooseStaff(StaffId),
    /// Add the staff member typed into `new_staff_name` and choose them.
    AddStaff,
    /// Switch the UI language (remembered in the database).
    SetLanguage(String),
    /// The search text changed: refresh the results.
    Search,
    /// Empty the search field.
    ClearSearch,
    /// Move the highlighted result by this many rows.
    MoveSelection(i32),
    /// Open the visitor card of the highlighted result.
    OpenSelected,
    /// Open a visitor card.
    OpenVisitor(VisitorId),
    /// Open the new-visitor form (with the search text as the given name).
    NewVisitor,
    /// The name in the visitor form changed: look for people already registered.
    CheckDuplicates,
    /// Validate and save the visitor form.
    SaveVisitor,
    /// Open the visit form, for a visitor or anonymous.
    StartVisit(Option<VisitorId>),
    /// Add a service line to the visit form.
    AddService(ServiceLine),
    /// Remove a service line from the visit form.
    RemoveService(usize),
    /// Validate and save the visit form.
    SaveVisit,
    /// Leave a form without saving and go back to the desk.
    Cancel,
}

/// Where "now" comes from: the system clock, or a fixed time in tests.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The local wall clock.
    System,
    /// Always this time.
    Fixed(NaiveDateTime),
}

impl Clock {
    /// The current local time.
    pub fn now(self) -> NaiveDateTime {
        match self {
            Clock::System => Local::now().naive_local(),
            Clock::Fixed(at) => at,
        }
    }
}

/// A short message shown at the top of the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Something was saved (i18n key of the sentence, and the code it concerns).
    Saved(&'static str, String),
    /// Something went wrong (i18n key of the sentence).
    Failed(&'static str),
}

/// An open visitor card: the visitor and their history.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The visitor.
    pub visitor: Visitor,
    /// Every visit, newest first.
    pub visits: Vec<Visit>,
}

/// The new-visitor form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitorForm {
    /// What has been typed.
    pub draft: VisitorDraft,
    /// Problems from the last save attempt.
    pub errors: Vec<FieldError>,
    /// People already registered whose name is like the one typed.
    pub duplicates: Vec<VisitorSummary>,
    /// Filter text of the country-of-origin picker.
    pub country_filter: String,
    /// Filter text of the nationality picker.
    pub nationality_filter: String,
    /// Filter text of the preferred-language picker.
    pub language_filter: String,
    /// Filter text of the languages-spoken picker.
    pub spoken_filter: String,
}

/// The visit form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitForm {
    /// What has been typed.
    pub draft: VisitDraft,
    /// Problems from the last save attempt.
    pub errors: Vec<FieldError>,
    /// Code and name of the visitor, for the heading; `None` when anonymous.
    pub visitor: Option<(String, String)>,
    /// Filter text of the service picker.
    pub service_filter: String,
    /// Filter text of the language picker.
    pub language_filter: String,
    /// The provider new service lines get.
    pub provider: Option<crate::domain::OrganisationId>,
}

/// Everything the desk shows, and the database behind it.
pub struct Desk {
    db: Database,
    clock: Clock,
    /// UI language code ("bg" or "en").
    pub locale: String,
    /// Staff who can be at the desk.
    pub staff: Vec<Staff>,
    /// The staff member at the desk, once chosen.
    pub at_desk: Option<Staff>,
    /// The service catalogue.
    pub services: Vec<ServiceType>,
    /// Organisations that provide services.
    pub providers: Vec<Organisation>,
    /// Languages services are offered in, ISO 639-1, most used first.
    pub desk_languages: Vec<String>,
    /// The screen shown.
    pub screen: Screen,
    /// Name typed on the staff screen.
    pub new_staff_name: String,
    /// The search text.
    pub query: String,
    /// Results for `query`, best first.
    pub results: Vec<VisitorSummary>,
    /// Highlighted result.
    pub selected: usize,
    /// The open visitor card.
    pub card: Option<Card>,
    /// Today's visits, in time order.
    pub today: Vec<Visit>,
    /// The new-visitor form.
    pub visitor_form: VisitorForm,
    /// The visit form.
    pub visit_form: VisitForm,
    /// The last message.
    pub notice: Option<Notice>,
    /// The search field should take the keyboard focus on the next frame.
    pub focus_search: bool,
}

/// How many results the search list holds.
pub const RESULT_LIMIT: usize = 50;

impl Desk {
    /// Opens the desk on a database; the UI language and last staff member come from it.
    pub fn new(db: Database, clock: Clock) -> db::Result<Self> {
        let locale = settings::get(&db, settings::UI_LANGUAGE)?
            .filter(|l| crate::UI_LANGUAGES.contains(&l.as_str()))
            .unwrap_or_else(|| "bg".to_owned());
        let desk_languages = settings::get(&db, settings::DESK_LANGUAGES)?
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let desk = Desk {
            staff: staff::list(&db)?,
            services: catalogue::service_types(&db)?,
            providers: organisations::providers(&db)?,
            db,
            clock,
            locale,
            at_desk: None,
            desk_languages,
            screen: Screen::ChooseStaff,
            new_staff_name: String::new(),
            query: String::new(),
            results: Vec::new(),
            selected: 0,
            card: None,
            today: Vec::new(),
            visitor_form: VisitorForm::default(),
            visit_form: VisitForm::default(),
            notice: None,
            focus_search: true,
        };
        Ok(desk)
    }

    /// The current time of this desk's clock.
    pub fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    /// The staff member at the desk, acting.
    pub fn actor(&self) -> Option<Actor> {
        self.at_desk.as_ref().map(Staff::actor)
    }

    /// Carries out one command; a failure becomes a notice, never a panic, and never loses
    /// what was typed.
    pub fn run(&mut self, command: Command) {
        if let Err(error) = self.try_run(command) {
            self.notice = Some(Notice::Failed(error.label_key()));
        }
    }

    fn stamp(&self) -> String {
        visits::stamp(self.now())
    }

    fn try_run(&mut self, command: Command) -> db::Result<()> {
        match command {
            Command::ChooseStaff(id) => {
                let chosen = staff::find(&self.db, id)?;
                settings::set(&self.db, settings::LAST_STAFF, &id.0.to_string())?;
                self.at_desk = Some(chosen);
                self.screen = Screen::Desk;
                self.focus_search = true;
                self.refresh_day()?;
            }
            Command::AddStaff => {
                let role = if self.staff.is_empty() {
                    crate::domain::Role::Admin
                } else {
                    crate::domain::Role::Desk
                };
                let stamp = self.stamp();
                let added = staff::insert(&mut self.db, &self.new_staff_name, role, &stamp)?;
                self.new_staff_name.clear();
                self.staff = staff::list(&self.db)?;
                self.try_run(Command::ChooseStaff(added.id))?;
            }
            Command::SetLanguage(locale) => {
                if crate::UI_LANGUAGES.contains(&locale.as_str()) {
                    settings::set(&self.db, settings::UI_LANGUAGE, &locale)?;
                    self.locale = locale;
                }
            }
            Command::Search => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                self.results = visitors::search(&self.db, &actor, &self.query, RESULT_LIMIT)?;
                self.selected = 0;
            }
            Command::ClearSearch => {
                self.query.clear();
                self.results.clear();
                self.selected = 0;
                self.card = None;
                self.focus_search = true;
            }
            Command::MoveSelection(step) => {
                if !self.results.is_empty() {
                    let last = self.results.len() as i64 - 1;
                    self.selected =
                        (self.selected as i64 + i64::from(step)).clamp(0, last) as usize;
                }
            }
            Command::OpenSelected => {
                if let Some(hit) = self.results.get(self.selected) {
                    let id = hit.id;
                    self.try_run(Command::OpenVisitor(id))?;
                }
            }
            Command::OpenVisitor(id) => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let stamp = self.stamp();
                let visitor = visitors::find(&mut self.db, &actor, id, &stamp)?;
                let history = visits::for_visitor(&self.db, &actor, id)?;
                self.card = Some(Card {
                    visitor,
                    visits: history,
                });
                self.screen = Screen::Desk;
            }
            Command::NewVisitor => {
                let mut form = VisitorForm::default();
                if !crate::domain::text::is_number_like(&self.query) {
                    form.draft.given_name = self.query.trim().to_owned();
                }
                self.visitor_form = form;
                self.screen = Screen::VisitorForm;
                self.try_run(Command::CheckDuplicates)?;
            }
            Command::CheckDuplicates => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let d = &self.visitor_form.draft;
                let name = format!("{} {}", d.given_name, d.family_name);
                let latin = format!("{} {}", d.given_name_latin, d.family_name_latin);
                let mut found = visitors::search(&self.db, &actor, &name, 5)?;
                if !latin.trim().is_empty() {
                    for hit in visitors::search(&self.db, &actor, &latin, 5)? {
                        if !found.iter().any(|f| f.id == hit.id) {
                            found.push(hit);
                        }
                    }
                }
                self.visitor_form.duplicates = found;
            }
            Command::SaveVisitor => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                match self.visitor_form.draft.validate(self.now().date()) {
                    Err(errors) => self.visitor_form.errors = errors,
                    Ok(new) => {
                        let stamp = self.stamp();
                        let saved = visitors::insert(&mut self.db, &actor, &new, &stamp)?;
                        self.notice =
                            Some(Notice::Saved("notice.visitor_saved", saved.code.clone()));
                        self.visitor_form = VisitorForm::default();
                        self.query = saved.code.clone();
                        self.try_run(Command::Search)?;
                        self.try_run(Command::OpenVisitor(saved.id))?;
                        self.focus_search = true;
                    }
                }
            }
            Command::StartVisit(visitor) => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                let now = self.now();
                let card = self.card.as_ref().filter(|c| Some(c.visitor.id) == visitor);
                let language = card
                    .and_then(|c| c.visitor.details.preferred_language.given().cloned())
                    .or_else(|| self.desk_languages.first().cloned())
                    .unwrap_or_else(|| "bg".to_owned());
                self.visit_form = VisitForm {
                    draft: VisitDraft {
                        visitor,
                        date: format_date(now.date(), "bg"),
                        time: now.format("%H:%M").to_string(),
                        staff: Some(actor.staff_id),
                        language,
                        ..VisitDraft::default()
                    },
                    visitor: card.map(|c| (c.visitor.code.clone(), c.visitor.full_name())),
                    provider: self.providers.first().map(|p| p.id),
                    ..VisitForm::default()
                };
                self.screen = Screen::VisitForm;
            }
            Command::AddService(line) => {
                let services = &mut self.visit_form.draft.services;
                if !services.contains(&line) {
                    services.push(line);
                }
                self.visit_form.service_filter.clear();
            }
            Command::RemoveService(index) => {
                if index < self.visit_form.draft.services.len() {
                    self.visit_form.draft.services.remove(index);
                }
            }
            Command::SaveVisit => {
                let Some(actor) = self.actor() else {
                    return Ok(());
                };
                match self.visit_form.draft.validate(self.now()) {
                    Err(errors) => self.visit_form.errors = errors,
                    Ok(new) => {
                        let stamp = self.stamp();
                        visits::insert(&mut self.db, &actor, &new, &stamp)?;
                        let code = self
                            .visit_form
                            .visitor
                            .as_ref()
                            .map(|(c, _)| c.clone())
                            .unwrap_or_default();
                        self.notice = Some(Notice::Saved("notice.visit_saved", code));
                        self.visit_form = VisitForm::default();
                        self.screen = Screen::Desk;
                        self.focus_search = true;
                        if let Some(id) = new.visitor {
                            self.try_run(Command::OpenVisitor(id))?;
                        }
                        self.refresh_day()?;
                    }
                }
            }
            Command::Cancel => {
                self.screen = if self.at_desk.is_some() {
                    Screen::Desk
                } else {
                    Screen::ChooseStaff
                };
                self.focus_search = true;
            }
        }
        Ok(())
    }

    fn refresh_day(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        self.today = visits::on_day(&self.db, &actor, self.now().date())?;
        Ok(())
    }

    /// The staff member chosen last time, if still active.
    pub fn last_staff(&self) -> Option<StaffId> {
        let id: i64 = settings::get(&self.db, settings::LAST_STAFF)
            .ok()??
            .parse()
            .ok()?;
        self.staff.iter().find(|s| s.id.0 == id).map(|s| s.id)
    }

    /// Name of a service type in the UI language.
    pub fn service_name(&self, id: crate::domain::ServiceTypeId) -> &str {
        self.services
            .iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.name(&self.locale))
    }

    /// Name of a provider in the UI language.
    pub fn provider_name(&self, id: crate::domain::OrganisationId) -> &str {
        self.providers
            .iter()
            .find(|p| p.id == id)
            .map_or("?", |p| p.name(&self.locale))
    }

    /// Name of a staff member.
    pub fn staff_name(&self, id: StaffId) -> &str {
        self.staff
            .iter()
            .find(|s| s.id == id)
            .map_or("?", |s| s.display_name.as_str())
    }
}
