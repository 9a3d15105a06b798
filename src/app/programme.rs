//! The programme screen's commands: a month's slots as a week grid and a list, edited by a
//! coordinator (copy the month before, add or change a slot, cancel a day, close the bureau),
//! printed as a poster; and the programme the desk shows as "today at the bureau".

use super::{Desk, Notice, Screen};
use crate::db::{self, programme};
use crate::domain::programme::{Month, Programme, SlotForm, parse_dates};
use crate::domain::{FieldError, OrganisationId, Problem, ServiceTypeId, clean_text};
use crate::output::{self, Overwrite};
use crate::slip::programme::{Poster, PosterPaper};

/// How the month is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProgrammeView {
    /// Seven columns, Monday to Sunday, each with its slots.
    #[default]
    Week,
    /// Every session of the month, day by day.
    List,
}

/// A slot being added or changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotEditor {
    /// The slot changed; None: a new one.
    pub id: Option<i64>,
    /// What has been typed.
    pub form: SlotForm,
    /// Problems from the last save attempt.
    pub errors: Vec<FieldError>,
}

/// A day off being typed: a day of the month, the slot cancelled (None: the bureau closed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayOffForm {
    /// The day, "24" or "24.12.2026".
    pub day: String,
    /// The slot cancelled that day; None: the whole bureau is closed.
    pub slot: Option<i64>,
    /// Why ("holiday", "the lawyer is ill").
    pub note: String,
    /// Problems from the last attempt.
    pub errors: Vec<FieldError>,
}

/// The programme screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeScreen {
    /// The month shown.
    pub month: Month,
    /// Its programme, once read.
    pub programme: Option<Programme>,
    /// Week grid or list.
    pub view: ProgrammeView,
    /// The slot being edited.
    pub editor: Option<SlotEditor>,
    /// The day off being typed.
    pub day_off: DayOffForm,
    /// The poster's language.
    pub print_language: String,
    /// A second language beside it ("" for none).
    pub print_second: String,
    /// The poster's paper.
    pub paper: PosterPaper,
}

impl Default for ProgrammeScreen {
    fn default() -> Self {
        ProgrammeScreen {
            month: Month::of(chrono::NaiveDate::default()),
            programme: None,
            view: ProgrammeView::Week,
            editor: None,
            day_off: DayOffForm::default(),
            print_language: "bg".to_owned(),
            print_second: String::new(),
            paper: PosterPaper::A4,
        }
    }
}

impl Desk {
    /// Opens the programme screen on this month.
    pub(super) fn open_programme(&mut self) -> db::Result<()> {
        self.programme.month = Month::of(self.now().date());
        self.programme.editor = None;
        self.screen = Screen::Programme;
        self.reload_programme()
    }

    /// Shows the month `step` months away from the one shown.
    pub(super) fn step_programme_month(&mut self, step: i32) -> db::Result<()> {
        let mut month = self.programme.month;
        for _ in 0..step.unsigned_abs() {
            month = if step < 0 {
                month.previous()
            } else {
                month.next()
            };
        }
        self.programme.month = month;
        self.programme.editor = None;
        self.reload_programme()
    }

    fn reload_programme(&mut self) -> db::Result<()> {
        self.programme.programme = Some(programme::month(&self.db, self.programme.month)?);
        Ok(())
    }

    /// Opens the editor on a slot of the month shown, or on a new one.
    pub(super) fn edit_slot(&mut self, id: Option<i64>) {
        let slot = id.and_then(|id| {
            self.programme
                .programme
                .as_ref()?
                .slots
                .iter()
                .find(|s| s.id == id)
        });
        let form = slot.map_or_else(
            || SlotForm {
                weekday: Some(1),
                starts: "09:00".to_owned(),
                ends: "12:00".to_owned(),
                ..SlotForm::default()
            },
            SlotForm::from_slot,
        );
        self.programme.editor = Some(SlotEditor {
            id: slot.map(|s| s.id),
            form,
            errors: Vec::new(),
        });
        self.focus_form = true;
    }

    /// Saves the slot being edited; its problems stay beside their fields.
    pub(super) fn save_slot(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let (month, stamp) = (self.programme.month, self.stamp());
        let Some(editor) = self.programme.editor.as_mut() else {
            return Ok(());
        };
        match editor.form.validate(month) {
            Err(errors) => editor.errors = errors,
            Ok(draft) => {
                programme::save_slot(&mut self.db, &actor, month, editor.id, &draft, &stamp)?;
                self.programme.editor = None;
                self.notice = Some(Notice::Saved("notice.slot_saved", month.code()));
                self.reload_programme()?;
                self.refresh_programme_at_desk()?;
            }
        }
        Ok(())
    }

    /// Removes a slot from the month shown.
    pub(super) fn remove_slot(&mut self, id: i64) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let stamp = self.stamp();
        programme::delete_slot(&mut self.db, &actor, id, &stamp)?;
        self.programme.editor = None;
        self.reload_programme()?;
        self.refresh_programme_at_desk()
    }

    /// Starts the month shown as a copy of the month before.
    pub(super) fn copy_previous_month(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let stamp = self.stamp();
        let month = self.programme.month;
        let copied = programme::copy_previous_month(&mut self.db, &actor, month, &stamp)?;
        self.notice = Some(Notice::Saved("notice.month_copied", copied.to_string()));
        self.reload_programme()?;
        self.refresh_programme_at_desk()
    }

    /// Cancels the slot chosen on the day typed, or closes the bureau that day.
    pub(super) fn add_day_off(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let (month, stamp) = (self.programme.month, self.stamp());
        let form = &mut self.programme.day_off;
        form.errors.clear();
        let note = clean_text("note", &form.note, 300, false, &mut form.errors);
        let day = match parse_dates(&form.day, month).as_deref() {
            Some([day]) => Some(*day),
            _ => {
                form.errors.push(FieldError {
                    field: "day",
                    problem: Problem::OutsideMonth,
                });
                None
            }
        };
        let (Some(day), true) = (day, form.errors.is_empty()) else {
            return Ok(());
        };
        let slot = form.slot;
        programme::add_day_off(&mut self.db, &actor, day, slot, &note, &stamp)?;
        self.programme.day_off = DayOffForm::default();
        self.reload_programme()?;
        self.refresh_programme_at_desk()
    }

    /// Takes a day off back.
    pub(super) fn remove_day_off(&mut self, id: i64) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let stamp = self.stamp();
        programme::remove_day_off(&mut self.db, &actor, id, &stamp)?;
        self.reload_programme()?;
        self.refresh_programme_at_desk()
    }

    /// Writes the month shown as a poster to the slips folder and opens it for printing.
    pub(super) fn print_programme(&mut self) -> db::Result<()> {
        let Some(month_programme) = self.programme.programme.clone() else {
            return Ok(());
        };
        let organisations = db::organisations::list(&self.db)?;
        let bureau = db::settings::bureau(&self.db)?;
        let poster = Poster {
            programme: &month_programme,
            organisations: &organisations,
            services: &self.services,
            bureau: &bureau,
        };
        let first = self.programme.print_language.clone();
        let second = Some(self.programme.print_second.as_str()).filter(|s| !s.is_empty());
        let bytes = crate::slip::programme::render(&poster, &first, second, self.programme.paper)
            .map_err(|e| db::Error::Slip(e.to_string()))?;
        let folder = self.slip_output.folder.clone();
        std::fs::create_dir_all(&folder)?;
        let stem = format!("programme-{}-{first}", month_programme.month.code());
        let path = output::free_name(&folder, &stem, "pdf");
        output::write_file(&path, Overwrite::Refuse, &self.db.own_files(), |w| {
            Ok(w.write_all(&bytes)?)
        })?;
        self.open_for_printing(&path);
        Ok(())
    }

    /// The programme of the month of `day`, among this month's and next month's read for the
    /// desk (a desk left open past the end of a month still finds the new month's).
    pub fn programme_of(&self, day: chrono::NaiveDate) -> Option<&Programme> {
        self.at_the_bureau.iter().find(|p| p.month.contains(day))
    }

    /// Who offers which service at the bureau today: the partners on now first, then those
    /// later, then those earlier today.
    pub fn todays_providers(&self) -> Vec<(ServiceTypeId, OrganisationId)> {
        let now = self.now();
        let Some(programme) = self.programme_of(now.date()) else {
            return Vec::new();
        };
        let mut sessions = programme.sessions_on(now.date());
        sessions.sort_by_key(|s| {
            let rank = if s.starts() <= now && now < s.ends() {
                0
            } else if s.starts() > now {
                1
            } else {
                2
            };
            (rank, s.starts())
        });
        sessions
            .iter()
            .flat_map(|s| {
                s.slot
                    .draft
                    .services
                    .iter()
                    .map(|service| (*service, s.slot.draft.organisation))
            })
            .collect()
    }

    /// The first session of `organisation` after now in this month's and next month's
    /// programme, for booking a referral into it.
    pub fn next_session_of(&self, organisation: OrganisationId) -> Option<chrono::NaiveDateTime> {
        crate::domain::programme::next_session(&self.at_the_bureau, organisation, self.now())
            .map(|s| s.starts())
    }

    /// Reads this month's and next month's programme for the desk: who is in today, today's
    /// providers, a partner's next session.
    pub(super) fn refresh_programme_at_desk(&mut self) -> db::Result<()> {
        let month = Month::of(self.now().date());
        self.at_the_bureau = vec![
            programme::month(&self.db, month)?,
            programme::month(&self.db, month.next())?,
        ];
        Ok(())
    }
}
