//! The family on the card (members with their code, relation and age band; register a member,
//! link someone registered, take a member out), the relation asked when a member is registered,
//! and the members ticked present on the visit form.

use egui::{RichText, TextEdit, Ui};
use rust_i18n::t;

use super::theme;
use crate::app::{Card, Command, Desk, FamilyOf, PresentMember};
use crate::domain::access::Permission;
use crate::domain::households::Relation;

fn relation_name(relation: Relation, locale: &str) -> String {
    t!(relation.label_key(), locale = locale).into_owned()
}

/// The card's family section.
pub fn family_section(ui: &mut Ui, desk: &mut Desk, card: &Card, commands: &mut Vec<Command>) {
    let locale = desk.locale.clone();
    let locale = locale.as_str();
    let may_link = desk.may(Permission::Register);
    ui.horizontal_wrapped(|ui| {
        ui.strong(t!("household.title", locale = locale));
        if card.household.is_none() {
            ui.label(RichText::new(t!("household.none", locale = locale)).color(theme::MUTED));
        }
        if may_link
            && ui
                .small_button(t!("household.add_member", locale = locale))
                .clicked()
        {
            commands.push(Command::AddFamilyMember);
        }
    });
    if let Some(household) = &card.household {
        for member in &household.members {
            ui.horizontal_wrapped(|ui| {
                let code = RichText::new(&member.code).monospace().color(theme::CODE);
                if member.visitor == card.visitor.id {
                    ui.label(code);
                } else if ui.link(code).clicked() {
                    commands.push(Command::OpenVisitor(member.visitor));
                }
                super::widgets::name_label(ui, &member.given_name, theme::BODY_SIZE);
                ui.label(
                    RichText::new(format!(
                        "{} · {}",
                        relation_name(member.relation, locale),
                        crate::export::code_label(locale, "age_bands", member.age_band)
                    ))
                    .color(theme::MUTED),
                );
                if may_link
                    && ui
                        .small_button(t!("household.take_out", locale = locale))
                        .on_hover_text(t!("household.take_out_hint", locale = locale))
                        .clicked()
                {
                    commands.push(Command::UnlinkFamilyMember(member.visitor));
                }
            });
        }
    }
    if !may_link {
        return;
    }
    let form = &mut desk.family_link;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(t!("household.link_code", locale = locale));
        let field = ui
            .add(
                TextEdit::singleline(&mut form.code)
                    .char_limit(crate::ui::widgets::LINE_LIMIT)
                    .hint_text(t!("household.code_hint", locale = locale))
                    .desired_width(110.0),
            )
            .labelled_by(label.id);
        relation_picker(ui, "family_link_relation", &mut form.relation, locale);
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(t!("household.link", locale = locale)).clicked() || enter {
            commands.push(Command::LinkFamilyMember);
        }
    });
    if let Some(error) = form.error {
        ui.colored_label(theme::ERROR, t!(error, locale = locale));
    }
}

/// A picker of the relation to the household's contact person.
fn relation_picker(ui: &mut Ui, id: &str, relation: &mut Relation, locale: &str) {
    let label = ui.label(t!("household.relation", locale = locale));
    egui::ComboBox::from_id_salt(id)
        .selected_text(relation_name(*relation, locale))
        .show_ui(ui, |ui| {
            for choice in Relation::OF_MEMBERS {
                ui.selectable_value(relation, choice, relation_name(choice, locale));
            }
        })
        .response
        .labelled_by(label.id);
}

/// On the registration form: whose family member this is, and how related.
pub fn registering_for(ui: &mut Ui, family: &mut FamilyOf, locale: &str) {
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(t!(
                "household.registering_for",
                locale = locale,
                code = family.code
            ))
            .strong(),
        );
        relation_picker(ui, "new_member_relation", &mut family.relation, locale);
    });
}

/// On the visit form: the family members here too, each ticked with Alt and their number.
pub fn present_members(
    ui: &mut Ui,
    family: &[PresentMember],
    commands: &mut Vec<Command>,
    locale: &str,
) {
    if family.is_empty() {
        return;
    }
    ui.label(t!("household.also_present", locale = locale));
    for (index, member) in family.iter().enumerate() {
        let mut present = member.present;
        let text = format!(
            "Alt+{} {} {} ({})",
            index + 1,
            member.code,
            member.given_name,
            relation_name(member.relation, locale)
        );
        if ui.checkbox(&mut present, text).changed() {
            commands.push(Command::ToggleMemberPresent(index));
        }
    }
}

/// Alt+1 … Alt+9 on the visit form: the family member of that number is here too (or not).
pub fn present_shortcut(input: &mut egui::InputState, family: &[PresentMember]) -> Option<Command> {
    const DIGITS: [egui::Key; 9] = [
        egui::Key::Num1,
        egui::Key::Num2,
        egui::Key::Num3,
        egui::Key::Num4,
        egui::Key::Num5,
        egui::Key::Num6,
        egui::Key::Num7,
        egui::Key::Num8,
        egui::Key::Num9,
    ];
    let index = DIGITS
        .iter()
        .take(family.len())
        .position(|key| input.consume_key(egui::Modifiers::ALT, *key))?;
    // The window also sends the digit as typed text: it must not land in the focused field.
    let digit = (index + 1).to_string();
    input
        .events
        .retain(|event| !matches!(event, egui::Event::Text(text) if *text == digit));
    Some(Command::ToggleMemberPresent(index))
}
