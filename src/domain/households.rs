//! Households: visitors who belong together. Each member's relation is to the household's
//! contact person, the member it was started from.

use super::VisitorId;

code_enum!(
    /// How a member is related to the household's contact person.
    Relation, "relation" {
        /// The person the household was started from.
        Contact => "contact",
        /// Husband, wife or partner.
        Spouse => "spouse",
        /// Son or daughter.
        Child => "child",
        /// Mother or father.
        Parent => "parent",
        /// Brother or sister.
        Sibling => "sibling",
        /// Anyone else who belongs to the family.
        Other => "other",
    }
);

impl Relation {
    /// The relations a new member may be given (the contact is the first member).
    pub const OF_MEMBERS: [Relation; 5] = [
        Relation::Spouse,
        Relation::Child,
        Relation::Parent,
        Relation::Sibling,
        Relation::Other,
    ];
}

/// One member as the card lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// Their record.
    pub visitor: VisitorId,
    /// Their bureau code.
    pub code: String,
    /// Their given name as written (empty once erased).
    pub given_name: String,
    /// How they are related to the contact person.
    pub relation: Relation,
    /// Their age band today (a `figures::AGE_BANDS` code: "0-17", or why it is not known).
    pub age_band: &'static str,
}

/// A household as the card shows it: its members, the contact person first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    /// Row id.
    pub id: i64,
    /// The members, contact first, then by code.
    pub members: Vec<Member>,
}
