//! The card's family: registering a family member with the family's details filled in, linking
//! someone already registered by their code, taking a member out; and the family members a
//! visit is logged for at once.

use super::{Desk, Notice, Screen, VisitorForm};
use crate::db::{self, households};
use crate::domain::households::Relation;
use crate::domain::text::{parse_visitor_code, visitor_code};
use crate::domain::{VisitorDraft, VisitorId};

/// Linking someone already registered into the open card's household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyLinkForm {
    /// Their bureau code, as typed.
    pub code: String,
    /// How they are related to the household's contact person.
    pub relation: Relation,
    /// Why the last link was refused (i18n key).
    pub error: Option<&'static str>,
}

impl Default for FamilyLinkForm {
    fn default() -> Self {
        FamilyLinkForm {
            code: String::new(),
            relation: Relation::Child,
            error: None,
        }
    }
}

/// The family member being registered: whose family, and how related.
#[derive(Debug, Clone, PartialEq)]
pub struct FamilyOf {
    /// The card the registration started from.
    pub visitor: VisitorId,
    /// Their code, for the form's heading.
    pub code: String,
    /// How the new person is related to the household's contact.
    pub relation: Relation,
    /// What the form was filled with from the family: nothing typed until it differs.
    pub prefilled: VisitorDraft,
}

/// A family member who may be present at a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentMember {
    /// Their record.
    pub visitor: VisitorId,
    /// Their code.
    pub code: String,
    /// Their given name.
    pub given_name: String,
    /// How they are related to the household's contact.
    pub relation: Relation,
    /// They are here too: the visit is logged for them as well.
    pub present: bool,
}

impl Desk {
    /// Opens the registration form for a family member of the open card, with the family's
    /// country, nationality, languages and phone filled in. A registration typed and not saved
    /// comes back first, as it is (save or discard it, then add the member).
    pub(super) fn add_family_member(&mut self) -> db::Result<()> {
        if super::drafts::visitor_form_has_work(&self.visitor_form) {
            return self.try_run(super::Command::NewVisitor);
        }
        self.record_search()?;
        let Some(card) = &self.card else {
            return Ok(());
        };
        let family = VisitorDraft::from_details(&card.visitor.details);
        let draft = VisitorDraft {
            country_of_origin: family.country_of_origin,
            nationality: family.nationality,
            preferred_language: family.preferred_language,
            languages: family.languages,
            phone: family.phone,
            phone_answer: family.phone_answer,
            ..VisitorDraft::default()
        };
        self.visitor_form = VisitorForm {
            draft: draft.clone(),
            family_of: Some(FamilyOf {
                visitor: card.visitor.id,
                code: card.visitor.code.clone(),
                relation: Relation::Child,
                prefilled: draft,
            }),
            ..VisitorForm::default()
        };
        self.screen = Screen::VisitorForm;
        self.focus_form = true;
        Ok(())
    }

    /// After a family member was registered: links them to the family they were registered
    /// from.
    pub(super) fn link_registered_member(
        &mut self,
        family: &FamilyOf,
        member: VisitorId,
    ) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let stamp = self.stamp();
        households::link(
            &mut self.db,
            &actor,
            family.visitor,
            member,
            family.relation,
            &stamp,
        )?;
        Ok(())
    }

    /// Links the person whose code was typed into the open card's household.
    pub(super) fn link_family_member(&mut self) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let Some(to) = self.card.as_ref().map(|c| c.visitor.id) else {
            return Ok(());
        };
        self.family_link.error = None;
        // A bureau code is the record's number (an alias's links the record it was merged into).
        let Some(member) = parse_visitor_code(&self.family_link.code).map(VisitorId) else {
            self.family_link.error = Some("household.no_such_code");
            return Ok(());
        };
        let stamp = self.stamp();
        let linked = match households::link(
            &mut self.db,
            &actor,
            to,
            member,
            self.family_link.relation,
            &stamp,
        ) {
            Err(db::Error::Household(refusal)) => {
                self.family_link.error = Some(refusal.label_key());
                return Ok(());
            }
            Err(db::Error::NotFound) => {
                self.family_link.error = Some("household.no_such_code");
                return Ok(());
            }
            other => other?,
        };
        self.family_link = super::FamilyLinkForm::default();
        self.notice = Some(Notice::Saved(
            "notice.family_linked",
            visitor_code(linked.member.0),
        ));
        self.refresh_open_card()
    }

    /// Takes a member out of the open card's household.
    pub(super) fn unlink_family_member(&mut self, member: VisitorId) -> db::Result<()> {
        let Some(actor) = self.actor() else {
            return Ok(());
        };
        let stamp = self.stamp();
        households::unlink(&mut self.db, &actor, member, &stamp)?;
        self.refresh_open_card()
    }

    /// The open card's family members, none present yet, for the visit form.
    pub(super) fn members_who_may_be_present(
        &self,
        visitor: Option<VisitorId>,
    ) -> Vec<PresentMember> {
        let Some(card) = self.card.as_ref().filter(|c| Some(c.visitor.id) == visitor) else {
            return Vec::new();
        };
        card.household
            .iter()
            .flat_map(|h| &h.members)
            .filter(|m| m.visitor != card.visitor.id)
            .map(|m| PresentMember {
                visitor: m.visitor,
                code: m.code.clone(),
                given_name: m.given_name.clone(),
                relation: m.relation,
                present: false,
            })
            .collect()
    }
}
