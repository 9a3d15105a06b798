//! Visitors: insert, read, and the search that finds them by any part of a name in any script,
//! a phone number or a bureau code.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, named_params};

use super::{Database, Result, audit, consents};
use crate::domain::access::Permission;
use crate::domain::text::{
    VowelShape, code_key, fold, has_rtl, is_number_like, parse_visitor_code, phone_digits,
    readable_latin, skeleton_variants, skeletons, sound_latin, to_latin, visitor_code,
    vowel_agreement, vowel_shape, word_features, words,
};
use crate::domain::visitors::{Birth, join_name};
use crate::domain::{
    Actor, Answer, ConsentScope, LegalStatus, NewVisitor, Sex, StaffId, Visitor, VisitorId,
    VisitorSummary,
};

const VISITOR_COLS: &str = "id, code, given_name, family_name, given_name_latin, family_name_latin, \
     sex, birth_year, birth_date, birth_answer, country_of_origin, nationality, legal_status, \
     preferred_language, phone, phone_answer, created_by, created_at, updated_at, updated_by";

const SUMMARY_COLS: &str =
    "id, code, given_name, family_name, given_name_latin, family_name_latin, country_of_origin,
     birth_year";

/// Registers a visitor with their languages and consents, gives them a bureau code, and
/// indexes them for search, all in one transaction.
pub fn insert(
    db: &mut Database,
    actor: &Actor,
    visitor: &NewVisitor,
    now: &str,
) -> Result<Visitor> {
    actor.require(Permission::Register)?;
    let tx = db.conn.transaction()?;
    let id: i64 = tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM visitors", [], |r| {
        r.get(0)
    })?;
    let code = visitor_code(id);
    insert_row(&tx, actor, id, &code, visitor, now)?;
    audit::record(&tx, actor, audit::Action::Create, "visitors", Some(id), now)?;
    tx.commit()?;
    Ok(Visitor {
        id: VisitorId(id),
        code,
        details: visitor.clone(),
        created_by: actor.staff_id,
        created_at: now.to_owned(),
        restricted: false,
        last_change: None,
    })
}

/// Corrects a registered person's record: every field the form has, in one transaction with
/// its search keys. Consents are never edited: one ticked anew is recorded as given (dated as
/// typed), one unticked as withdrawn today. The audit trail gets the names of the fields
/// changed, never their values. Returns those names (empty: nothing changed, nothing written).
pub fn update(
    db: &mut Database,
    actor: &Actor,
    id: VisitorId,
    visitor: &NewVisitor,
    now: chrono::NaiveDateTime,
) -> Result<Vec<&'static str>> {
    actor.require(Permission::Register)?;
    actor.require(Permission::SeeCard)?;
    let stamp = crate::domain::format_stamp(now);
    // Read and compared in the transaction that writes, so nothing slips in between.
    let tx = db.conn.transaction()?;
    let before = read(&tx, id)?;
    let changed = before.details.changed_fields(visitor);
    if changed.is_empty() {
        return Ok(changed);
    }
    write_details(&tx, actor, id, visitor, &stamp)?;
    let held: Vec<ConsentScope> = before.details.consents.iter().map(|(c, _)| *c).collect();
    for (scope, dated) in &visitor.consents {
        if !held.contains(scope) {
            consents::record_in(&tx, actor, id, (*scope, true), *dated, &stamp)?;
        }
    }
    for scope in held {
        if !visitor.consents.iter().any(|(c, _)| *c == scope) {
            consents::record_in(&tx, actor, id, (scope, false), now.date(), &stamp)?;
        }
    }
    reindex(&tx, id, &before.code, visitor)?;
    audit::record_changes(&tx, actor, ("visitors", id.0), &changed, &stamp)?;
    tx.commit()?;
    Ok(changed)
}

/// Rewrites a record's fields and languages (not its consents, not its search keys); the
/// caller owns the transaction. Shared by a correction and a merge.
pub(super) fn write_details(
    conn: &Connection,
    actor: &Actor,
    id: VisitorId,
    visitor: &NewVisitor,
    stamp: &str,
) -> Result<()> {
    let (birth_year, birth_date) = match &visitor.birth {
        Answer::Given(b) => (Some(b.year), b.date.map(|d| d.to_string())),
        _ => (None, None),
    };
    let phone = visitor.phone.given().cloned().unwrap_or_default();
    conn.prepare_cached(
        "UPDATE visitors SET given_name = :given, family_name = :family,
             given_name_latin = :given_latin, family_name_latin = :family_latin, sex = :sex,
             birth_year = :birth_year, birth_date = :birth_date, birth_answer = :birth_answer,
             country_of_origin = :country, nationality = :nationality,
             legal_status = :legal_status, preferred_language = :language, phone = :phone,
             phone_digits = :phone_digits, phone_answer = :phone_answer,
             name_skeleton = :skeleton, updated_at = :now, updated_by = :staff
         WHERE id = :id AND erased_at IS NULL",
    )?
    .execute(named_params! {
        ":id": id.0,
        ":given": visitor.given_name,
        ":family": visitor.family_name,
        ":given_latin": visitor.given_name_latin,
        ":family_latin": visitor.family_name_latin,
        ":sex": answer_code(&visitor.sex, |s| s.code()),
        ":birth_year": birth_year,
        ":birth_date": birth_date,
        ":birth_answer": visitor.birth.no_answer().map_or("given", |a| a.code()),
        ":country": visitor.country_of_origin.code(),
        ":nationality": visitor.nationality.code(),
        ":legal_status": answer_code(&visitor.legal_status, |s| s.code()),
        ":language": visitor.preferred_language.code(),
        ":phone": phone,
        ":phone_digits": phone_digits(&phone),
        ":phone_answer": visitor.phone.no_answer().map_or("given", |a| a.code()),
        ":skeleton": skeletons(&all_names(visitor)),
        ":now": stamp,
        ":staff": actor.staff_id.0,
    })?;
    conn.execute(
        "DELETE FROM visitor_languages WHERE visitor_id = ?1",
        [id.0],
    )?;
    let mut language = conn.prepare_cached(
        "INSERT OR IGNORE INTO visitor_languages (visitor_id, language) VALUES (?1, ?2)",
    )?;
    for code in &visitor.languages {
        language.execute((id.0, code))?;
    }
    drop(language);
    Ok(())
}

/// Writes a record's search keys anew; the caller owns the transaction.
pub(super) fn reindex(conn: &Connection, id: VisitorId, code: &str, v: &NewVisitor) -> Result<()> {
    conn.execute("DELETE FROM visitor_search WHERE rowid = ?1", [id.0])?;
    conn.execute(
        "DELETE FROM visitor_name_words WHERE visitor_id = ?1",
        [id.0],
    )?;
    index(conn, id.0, code, v)
}

/// Writes one visitor and everything that hangs on them; the caller owns the transaction.
/// Also used by the demo generator, which writes a million of them in one transaction.
pub(crate) fn insert_row(
    conn: &Connection,
    actor: &Actor,
    id: i64,
    code: &str,
    v: &NewVisitor,
    now: &str,
) -> Result<()> {
    let (birth_year, birth_date) = match &v.birth {
        Answer::Given(b) => (Some(b.year), b.date.map(|d| d.to_string())),
        _ => (None, None),
    };
    let phone = v.phone.given().cloned().unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO visitors (id, code, given_name, family_name, given_name_latin, family_name_latin,
             sex, birth_year, birth_date, birth_answer, country_of_origin, nationality, legal_status,
             preferred_language, phone, phone_digits, phone_answer, name_skeleton,
             created_at, created_by, updated_at)
         VALUES (:id, :code, :given, :family, :given_latin, :family_latin, :sex, :birth_year,
             :birth_date, :birth_answer, :country, :nationality, :legal_status, :language, :phone,
             :phone_digits, :phone_answer, :skeleton, :now, :staff, :now)",
    )?
    .execute(named_params! {
        ":id": id,
        ":code": code,
        ":given": v.given_name,
        ":family": v.family_name,
        ":given_latin": v.given_name_latin,
        ":family_latin": v.family_name_latin,
        ":sex": answer_code(&v.sex, |s| s.code()),
        ":birth_year": birth_year,
        ":birth_date": birth_date,
        ":birth_answer": v.birth.no_answer().map_or("given", |a| a.code()),
        ":country": v.country_of_origin.code(),
        ":nationality": v.nationality.code(),
        ":legal_status": answer_code(&v.legal_status, |s| s.code()),
        ":language": v.preferred_language.code(),
        ":phone": phone,
        ":phone_digits": phone_digits(&phone),
        ":phone_answer": v.phone.no_answer().map_or("given", |a| a.code()),
        ":skeleton": skeletons(&all_names(v)),
        ":now": now,
        ":staff": actor.staff_id.0,
    })?;
    let mut language = conn.prepare_cached(
        "INSERT OR IGNORE INTO visitor_languages (visitor_id, language) VALUES (?1, ?2)",
    )?;
    for code in &v.languages {
        language.execute((id, code))?;
    }
    let mut consent = conn.prepare_cached(
        "INSERT INTO consents (visitor_id, scope, given, dated, recorded_by, recorded_at)
         VALUES (?1, ?2, 1, ?3, ?4, ?5)",
    )?;
    for (scope, date) in &v.consents {
        consent.execute((id, scope.code(), date.to_string(), actor.staff_id.0, now))?;
    }
    index(conn, id, code, v)
}

fn answer_code<T>(answer: &Answer<T>, code: impl Fn(&T) -> &'static str) -> &'static str {
    match answer {
        Answer::Given(v) => code(v),
        other => other.no_answer().map_or("not_asked", |a| a.code()),
    }
}

fn all_names(v: &NewVisitor) -> String {
    [
        &v.given_name,
        &v.family_name,
        &v.given_name_latin,
        &v.family_name_latin,
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .map(|s| s.as_str())
    .collect::<Vec<_>>()
    .join(" ")
}

/// Writes the search keys of one visitor.
fn index(conn: &Connection, id: i64, code: &str, v: &NewVisitor) -> Result<()> {
    let names = all_names(v);
    let phone = v.phone.given().map(|p| phone_digits(p)).unwrap_or_default();
    conn.prepare_cached(
        "INSERT INTO visitor_search (rowid, native, latin, skeleton, phone, code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute((
        id,
        fold(&names),
        to_latin(&names),
        skeleton_keys(&names),
        phone,
        code_key(code),
    ))?;
    let mut word = conn.prepare_cached(
        "INSERT OR IGNORE INTO visitor_name_words (word, visitor_id) VALUES (?1, ?2)",
    )?;
    for w in name_words(&names) {
        word.execute((w, id))?;
    }
    Ok(())
}

/// The words a short query is matched against: each name word folded, and transliterated;
/// and a consonant key of one letter (Ali, Aisha, علي) as a word of its own, marked, which the
/// trigram index cannot see.
fn name_words(names: &str) -> Vec<String> {
    let mut out: Vec<String> = words(names)
        .flat_map(|w| {
            let short: Vec<String> = skeleton_variants(&w)
                .into_iter()
                .filter(|k| k.chars().count() == 1)
                .map(|k| format!("{WORD_START}{k}"))
                .collect();
            [to_latin(&w), w].into_iter().chain(short)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Writes every person's search keys anew, from their names as stored (the upgrade that
/// changes how keys are made). Erased people have none.
pub(crate) fn rebuild_search_index(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM visitor_search", [])?;
    conn.execute("DELETE FROM visitor_name_words", [])?;
    let mut stmt = conn.prepare(
        "SELECT id, code, given_name, family_name, given_name_latin, family_name_latin, phone
         FROM visitors WHERE erased_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        let text = |i| r.get::<_, String>(i);
        Ok((
            r.get::<_, i64>(0)?,
            text(1)?,
            [text(2)?, text(3)?, text(4)?, text(5)?],
            text(6)?,
        ))
    })?;
    let mut skeleton_column =
        conn.prepare("UPDATE visitors SET name_skeleton = ?2 WHERE id = ?1")?;
    for row in rows {
        let (id, code, [given, family, given_latin, family_latin], phone) = row?;
        let v = NewVisitor {
            given_name: given,
            family_name: family,
            given_name_latin: given_latin,
            family_name_latin: family_latin,
            sex: Answer::NotAsked,
            birth: Answer::NotAsked,
            country_of_origin: Answer::NotAsked,
            nationality: Answer::NotAsked,
            legal_status: Answer::NotAsked,
            preferred_language: Answer::NotAsked,
            languages: Vec::new(),
            phone: if phone.is_empty() {
                Answer::NotAsked
            } else {
                Answer::Given(phone)
            },
            consents: Vec::new(),
        };
        skeleton_column.execute((id, skeletons(&all_names(&v))))?;
        index(conn, id, &code, &v)?;
    }
    Ok(())
}

/// Refills `visitor_name_words` from the visitors table (used by the version 1 → 2 upgrade).
pub(crate) fn rebuild_name_words(conn: &Connection) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT id, given_name, family_name, given_name_latin, family_name_latin FROM visitors",
    )?;
    let rows = stmt.query_map([], |r| {
        let parts: Vec<String> = (1..=4).map(|i| r.get(i)).collect::<rusqlite::Result<_>>()?;
        Ok((r.get::<_, i64>(0)?, parts.join(" ")))
    })?;
    let mut insert = conn
        .prepare("INSERT OR IGNORE INTO visitor_name_words (word, visitor_id) VALUES (?1, ?2)")?;
    for row in rows {
        let (id, names) = row?;
        for w in name_words(&names) {
            insert.execute((w, id))?;
        }
    }
    Ok(())
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Visitor> {
    let birth_answer: String = row.get("birth_answer")?;
    let birth = match row.get::<_, Option<i32>>("birth_year")? {
        Some(year) if birth_answer == "given" => Answer::Given(Birth {
            year,
            date: row
                .get::<_, Option<String>>("birth_date")?
                .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        }),
        _ => Answer::from_code(&birth_answer, |_| None),
    };
    let phone: String = row.get("phone")?;
    let phone_answer: String = row.get("phone_answer")?;
    let text_answer = |col: &str| -> rusqlite::Result<Answer<String>> {
        let code: String = row.get(col)?;
        Ok(Answer::from_code(&code, |c| Some(c.to_owned())))
    };
    Ok(Visitor {
        id: VisitorId(row.get("id")?),
        code: row.get("code")?,
        created_by: StaffId(row.get("created_by")?),
        created_at: row.get("created_at")?,
        restricted: false,
        last_change: match row.get::<_, Option<i64>>("updated_by")? {
            Some(by) => Some((row.get("updated_at")?, StaffId(by))),
            None => None,
        },
        details: NewVisitor {
            given_name: row.get("given_name")?,
            family_name: row.get("family_name")?,
            given_name_latin: row.get("given_name_latin")?,
            family_name_latin: row.get("family_name_latin")?,
            sex: Answer::from_code(&row.get::<_, String>("sex")?, Sex::from_code),
            birth,
            country_of_origin: text_answer("country_of_origin")?,
            nationality: text_answer("nationality")?,
            legal_status: Answer::from_code(
                &row.get::<_, String>("legal_status")?,
                LegalStatus::from_code,
            ),
            preferred_language: text_answer("preferred_language")?,
            languages: Vec::new(),
            phone: if phone_answer == "given" {
                Answer::Given(phone)
            } else {
                Answer::from_code(&phone_answer, |_| None)
            },
            consents: Vec::new(),
        },
    })
}

/// Reads one visitor with languages and consents, and records that `actor` saw them.
pub fn find(db: &mut Database, actor: &Actor, id: VisitorId, now: &str) -> Result<Visitor> {
    actor.require(Permission::SeeIdentity)?;
    let tx = db.conn.transaction()?;
    // A second registration merged into another record opens the record it was merged into.
    let id = tx
        .prepare_cached("SELECT coalesce(merged_into, id) FROM visitors WHERE id = ?1")?
        .query_row([id.0], |r| r.get(0))
        .map(VisitorId)?;
    let visitor = read(&tx, id)?;
    audit::record(&tx, actor, audit::Action::View, "visitors", Some(id.0), now)?;
    tx.commit()?;
    Ok(if actor.role.may(Permission::SeeCard) {
        visitor
    } else {
        visitor.identity_only()
    })
}

/// One visitor (not an erased one, not an alias) with languages and consents in force, whole.
pub(super) fn read(conn: &Connection, id: VisitorId) -> Result<Visitor> {
    let mut visitor = conn.query_row(
        &format!(
            "SELECT {VISITOR_COLS} FROM visitors
             WHERE id = ?1 AND erased_at IS NULL AND merged_into IS NULL"
        ),
        [id.0],
        from_row,
    )?;
    visitor.details.languages = conn
        .prepare_cached(
            "SELECT language FROM visitor_languages WHERE visitor_id = ?1 ORDER BY language",
        )?
        .query_map([id.0], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    visitor.details.consents = conn
        .prepare_cached(
            "SELECT scope, dated FROM consents_in_force WHERE visitor_id = ?1 ORDER BY scope",
        )?
        .query_map([id.0], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?
        .filter_map(|r| match r {
            Ok((scope, date)) => Some(Ok((
                ConsentScope::from_code(&scope)?,
                NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()?,
            ))),
            Err(e) => Some(Err(e)),
        })
        .collect::<rusqlite::Result<_>>()?;
    Ok(visitor)
}

/// Which way a candidate matched; a better tier ranks first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    /// Consonants agree across scripts.
    Skeleton = 1,
    /// The transliterated names contain the query.
    Latin = 2,
    /// The names as written contain the query, or its phone or code matched.
    Native = 3,
    /// The bureau code itself.
    Exact = 4,
}

/// How many candidates each way of matching contributes before ranking, for a result of
/// `limit` people: twice the result, at least 100 ("more results" widens it; ranking a few
/// hundred names is what a keystroke can afford on a million visitors).
fn candidates_per_tier(limit: usize) -> i64 {
    i64::try_from(limit.saturating_mul(2).max(100)).unwrap_or(i64::MAX)
}

/// Marks the start of a word in the skeleton column, so a skeleton matches word starts only
/// ("hmd" for Ahmad must not match inside "mhmd" for Mohammed).
const WORD_START: char = '#';

/// The skeleton column's text: every word's skeleton, each marked as a word start.
fn skeleton_keys(names: &str) -> String {
    words(names)
        .flat_map(|w| skeleton_variants(&w))
        .map(|s| format!("{WORD_START}{s}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The searches for one query, best tier first. Scores are tier × 10 plus a similarity
/// below 1, so once the better tiers have found `limit` people, the others cannot enter the
/// result and are not run: that keeps common names fast on a large file.
fn plan(query: &str) -> Vec<(Tier, String)> {
    let mut plan = Vec::new();
    if is_number_like(query) {
        let phone = phone_digits(query);
        let digits: String = query.chars().filter(char::is_ascii_digit).collect();
        if phone.chars().count() >= 3 {
            plan.push((Tier::Native, format!("phone : {}", quote(&phone))));
        }
        if digits.chars().count() >= 3 {
            plan.push((Tier::Native, format!("code : {}", quote(&digits))));
        }
        return plan;
    }
    // The whole query is a substring of the names (so "al-kh" or "ivan p" match as typed);
    // its words ANDed also match names written family name first.
    let phrase = fold(query);
    let latin_phrase = to_latin(&phrase);
    let long: Vec<String> = words(query).filter(|w| w.chars().count() >= 3).collect();
    plan.push((Tier::Native, format!("native : {}", quote(&phrase))));
    if long.len() > 1 {
        plan.push((
            Tier::Native,
            column_and("native", long.iter().map(String::as_str)),
        ));
    }
    plan.push((Tier::Latin, format!("latin : {}", quote(&latin_phrase))));
    if long.len() > 1 {
        let latin: Vec<String> = long.iter().map(|w| to_latin(w)).collect();
        plan.push((
            Tier::Latin,
            column_and("latin", latin.iter().map(String::as_str)),
        ));
    }
    // Each word by any of its keys that the trigram index can see (two letters or more).
    let skel: Vec<String> = long
        .iter()
        .map(|w| {
            skeleton_variants(w)
                .into_iter()
                .filter(|s| s.chars().count() >= 2)
                .map(|s| format!("skeleton : {}", quote(&format!("{WORD_START}{s}"))))
                .collect::<Vec<_>>()
        })
        .filter(|keys| !keys.is_empty())
        .map(|keys| format!("({})", keys.join(" OR ")))
        .collect();
    if !skel.is_empty() {
        plan.push((Tier::Skeleton, skel.join(" AND ")));
    }
    plan
}

/// Finds visitors by any part of a name (any script, case and diacritics ignored), a phone
/// number or a bureau code; best first. The actor is taken for the audit trail of searches.
pub fn search(
    db: &Database,
    actor: &Actor,
    query: &str,
    limit: usize,
) -> Result<Vec<VisitorSummary>> {
    actor.require(Permission::SeeIdentity)?;
    // No name holds a control character (they are refused when saved), and a NUL would end
    // the full-text query's string early.
    let visible: String = query.chars().filter(|c| !c.is_control()).collect();
    let query = visible.trim();
    if query.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let candidates = candidates_per_tier(limit);
    // One read transaction for the search's few queries: the file's read lock is taken once,
    // not once a query (inside a transaction already, the search joins it).
    let _reading = db.conn.unchecked_transaction().ok();
    let mut tiers: HashMap<i64, Tier> = HashMap::new();
    let add = |tiers: &mut HashMap<i64, Tier>, ids: Vec<i64>, tier: Tier| {
        for id in ids {
            let entry = tiers.entry(id).or_insert(tier);
            *entry = (*entry).max(tier);
        }
    };
    let typed_code =
        parse_visitor_code(query).filter(|_| !query.chars().all(|c| c.is_ascii_digit()));
    if let Some(id) = typed_code
        && exists(db, id)?
    {
        add(&mut tiers, vec![id], Tier::Exact);
    }
    let phrase = fold(query);
    if !is_number_like(query) && phrase.chars().count() < 3 {
        add(
            &mut tiers,
            prefix_words(db, &phrase, candidates)?,
            Tier::Native,
        );
    } else {
        // A name of one consonant (Ali, Aisha) meets its other spellings by its marked key;
        // in a query of several words the others narrow the search instead.
        let one_word = words(query).count() == 1;
        if one_word && !is_number_like(query) {
            for key in words(query).flat_map(|w| skeleton_variants(&w)) {
                if key.chars().count() == 1 {
                    add(
                        &mut tiers,
                        exact_word(db, &format!("{WORD_START}{key}"), candidates)?,
                        Tier::Skeleton,
                    );
                }
            }
        }
        let mut plan = plan(query).into_iter().peekable();
        while let Some((tier, expression)) = plan.next() {
            add(&mut tiers, fts(db, &expression, candidates)?, tier);
            let next_is_worse = plan.peek().is_some_and(|(next, _)| *next < tier);
            let found = tiers.values().filter(|t| **t >= tier).count();
            if next_is_worse && found >= limit {
                break;
            }
        }
    }
    let mut hits = summaries(db, tiers.keys().copied())?;
    let typed = Typed::new(query);
    for (hit, _) in &mut hits {
        let tier = tiers.get(&hit.id.0).copied().unwrap_or(Tier::Skeleton);
        let (same_key, similarity) = compare(&typed, hit);
        // Another spelling of the very name typed ranks with the names as written, above a
        // name that only contains the letters typed (Aly and علي above Khalid for "Ali").
        let tier = if same_key {
            tier.max(Tier::Native)
        } else {
            tier
        };
        hit.score = f64::from(tier as u8) * 10.0 + similarity;
    }
    let mut hits = through_aliases(db, hits)?;
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.id.cmp(&a.id)));
    // A person found both by their own record and through an alias is listed once, best first.
    let mut seen = std::collections::HashSet::new();
    hits.retain(|hit| seen.insert(hit.id));
    hits.truncate(limit);
    Ok(hits)
}

/// Each hit on a second registration merged into another record becomes a hit on that record,
/// scored as the alias matched and marked with the alias's code.
fn through_aliases(
    db: &Database,
    hits: Vec<(VisitorSummary, Option<i64>)>,
) -> Result<Vec<VisitorSummary>> {
    let mut out = Vec::with_capacity(hits.len());
    for (hit, kept) in hits {
        let Some(kept) = kept else {
            out.push(hit);
            continue;
        };
        for (mut found, _) in summaries(db, std::iter::once(kept))? {
            found.score = hit.score;
            found.found_as = Some(hit.code.clone());
            out.push(found);
        }
    }
    Ok(out)
}

/// The naive baseline the benchmark compares `search` with: a plain `LIKE '%q%'` scan over the
/// names and phone as stored. Not used by the desk.
pub fn scan_like(db: &Database, query: &str, limit: usize) -> Result<Vec<i64>> {
    let pattern = format!("%{}%", query.replace(['%', '_'], ""));
    let mut stmt = db.conn.prepare_cached(
        "SELECT id FROM visitors WHERE given_name LIKE ?1 OR family_name LIKE ?1
             OR given_name_latin LIKE ?1 OR family_name_latin LIKE ?1 OR phone LIKE ?1
         ORDER BY id DESC LIMIT ?2",
    )?;
    let ids = stmt
        .query_map((pattern, limit as i64), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn exists(db: &Database, id: i64) -> Result<bool> {
    Ok(db
        .conn
        .prepare_cached("SELECT 1 FROM visitors WHERE id = ?1 AND erased_at IS NULL")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// An FTS5 string literal.
fn quote(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

fn column_and<'a>(column: &str, terms: impl Iterator<Item = &'a str>) -> String {
    terms
        .map(|t| format!("{column} : {}", quote(t)))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The newest matching visitor ids for an FTS5 expression.
fn fts(db: &Database, expression: &str, candidates: i64) -> Result<Vec<i64>> {
    let mut stmt = db.conn.prepare_cached(
        "SELECT rowid FROM visitor_search WHERE visitor_search MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
    )?;
    let ids = stmt
        .query_map((expression, candidates), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Visitors with exactly this word among their name words, newest first.
fn exact_word(db: &Database, word: &str, candidates: i64) -> Result<Vec<i64>> {
    let mut stmt = db.conn.prepare_cached(
        "SELECT visitor_id FROM visitor_name_words WHERE word = ?1 ORDER BY visitor_id DESC LIMIT ?2",
    )?;
    let ids = stmt
        .query_map((word, candidates), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Visitors with a name word starting with a 1–2 character query (exact words first). The
/// index is read in its own order: sorting a large range would cost more than it ranks.
fn prefix_words(db: &Database, prefix: &str, candidates: i64) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    let latin = to_latin(prefix);
    for key in [prefix, latin.as_str()] {
        let mut exact = db.conn.prepare_cached(
            "SELECT visitor_id FROM visitor_name_words WHERE word = ?1 ORDER BY visitor_id DESC LIMIT ?2",
        )?;
        ids.extend(
            exact
                .query_map((key, candidates), |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
        let mut starting = db.conn.prepare_cached(
            "SELECT visitor_id FROM visitor_name_words WHERE word > ?1 AND word < ?1 || char(1114111) LIMIT ?2",
        )?;
        ids.extend(
            starting
                .query_map((key, candidates), |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
        if latin == prefix {
            break;
        }
    }
    Ok(ids)
}

/// The search lines of these visitors, each with the record it was merged into, if it was.
fn summaries(
    db: &Database,
    ids: impl Iterator<Item = i64>,
) -> Result<Vec<(VisitorSummary, Option<i64>)>> {
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLS}, merged_into FROM visitors WHERE id = ?1 AND erased_at IS NULL"
    ))?;
    let mut out = Vec::new();
    for id in ids {
        let row = stmt
            .query_row([id], |r| Ok((summary_from_row(r)?, r.get("merged_into")?)))
            .optional()?;
        out.extend(row);
    }
    Ok(out)
}

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<VisitorSummary> {
    let given: String = row.get("given_name")?;
    let family: String = row.get("family_name")?;
    let written = join_name(&given, &family);
    let latin_given: String = row.get("given_name_latin")?;
    let latin_family: String = row.get("family_name_latin")?;
    let latin = join_name(&latin_given, &latin_family);
    let typed_latin = !latin.is_empty() && latin != written;
    let latin_name = if typed_latin {
        latin
    } else if written.is_ascii() {
        String::new()
    } else {
        // Show a Latin form beside any non-Latin name, so every staff member can read it.
        readable_latin(&written)
    };
    Ok(VisitorSummary {
        id: VisitorId(row.get("id")?),
        code: row.get("code")?,
        given_name: given,
        family_name: family,
        latin_automatic: !typed_latin && !latin_name.is_empty(),
        latin_name,
        country_of_origin: row.get("country_of_origin")?,
        birth_year: row.get("birth_year")?,
        score: 0.0,
        found_as: None,
    })
}

/// The query as every hit is compared with it, worked out once per search.
struct Typed {
    /// Folded.
    folded: String,
    /// Transliterated.
    latin: String,
    /// Its words, folded, each with its transliteration.
    words: Vec<(String, String)>,
    /// The consonant keys of each word.
    keys: Vec<Vec<String>>,
    /// Where each word writes its vowels.
    shapes: Vec<VowelShape>,
    /// The consonant keys of the whole query, space-separated.
    skeleton: String,
}

impl Typed {
    fn new(query: &str) -> Typed {
        let folded = fold(query);
        let words: Vec<(String, String)> = words(&folded)
            .map(|w| {
                let latin = sound_latin(&w);
                (w, latin)
            })
            .collect();
        let keys = if is_number_like(query) {
            Vec::new()
        } else {
            words.iter().map(|(w, _)| skeleton_variants(w)).collect()
        };
        let shapes = words.iter().map(|(w, _)| vowel_shape(w)).collect();
        let words_of_typed_latin = words
            .iter()
            .map(|(_, latin)| latin.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Typed {
            shapes,
            skeleton: skeletons(&folded),
            latin: words_of_typed_latin,
            folded,
            words,
            keys,
        }
    }
}

/// How a hit compares with the query: whether every word typed has the consonant key of one of
/// its name words (another spelling of the very name), and 0..1 within a tier: how close the
/// query is to its best-matching name word, with a lift for a name that starts with what was
/// typed so far or has its key. The same script only breaks ties, so another spelling in
/// another script ranks above a different name in the same script.
fn compare(typed: &Typed, hit: &VisitorSummary) -> (bool, f64) {
    let written = format!("{} {}", hit.given_name, hit.family_name);
    let mut names = word_features(&written);
    names.extend(word_features(&hit.latin_name));
    // Arabic script writes no short vowels: across it, the consonants are compared instead of
    // a transliteration that has none.
    let typed_abjad = has_rtl(&typed.folded);
    let best = names
        .iter()
        .map(|name| {
            let written = strsim::jaro_winkler(&typed.folded, &name.folded)
                .max(strsim::jaro_winkler(&typed.latin, &name.latin));
            if typed_abjad != name.rtl {
                written.max(strsim::jaro_winkler(&typed.skeleton, name.skeleton()))
            } else {
                written
            }
        })
        .fold(0.0, f64::max);
    let same_key = !typed.keys.is_empty()
        && typed.keys.iter().all(|variants| {
            names
                .iter()
                .any(|name| name.keys.iter().any(|k| variants.contains(k)))
        });
    let typed_so_far = !typed.words.is_empty()
        && typed.words.iter().all(|(word, latin)| {
            names.iter().any(|name| {
                name.folded.starts_with(word.as_str()) || name.latin.starts_with(latin.as_str())
            })
        });
    let same_script = script(&typed.folded) == script(&written);
    // Names of one consonant key apart by where they write their vowels (Mohammed, Mahmoud).
    let vowels = if typed.shapes.is_empty() {
        0.0
    } else {
        typed
            .shapes
            .iter()
            .map(|shape| {
                names
                    .iter()
                    .map(|name| vowel_agreement(shape, &name.shape))
                    .fold(-1.0, f64::max)
            })
            .sum::<f64>()
            / typed.shapes.len() as f64
    };
    let bonus = |yes: bool, weight: f64| if yes { weight } else { 0.0 };
    let similarity =
        best * 0.6 + bonus(same_script, 0.05) + bonus(typed_so_far || same_key, 0.3) + 0.3 * vowels;
    (same_key, similarity)
}

#[derive(PartialEq)]
enum Script {
    Latin,
    Cyrillic,
    Arabic,
    Other,
}

fn script(text: &str) -> Script {
    if has_rtl(text) {
        Script::Arabic
    } else if text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        Script::Cyrillic
    } else if text.chars().any(|c| c.is_ascii_alphabetic()) {
        Script::Latin
    } else {
        Script::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::test_support::db_with_staff;
    use crate::domain::VisitorDraft;

    fn register(
        db: &mut Database,
        actor: &Actor,
        given: &str,
        family: &str,
        phone: &str,
    ) -> Visitor {
        let draft = VisitorDraft {
            given_name: given.into(),
            family_name: family.into(),
            phone: phone.into(),
            ..Default::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let new = draft.validate(today).unwrap_or_else(|e| panic!("{e:?}"));
        insert(db, actor, &new, "2026-11-23T10:00").unwrap_or_else(|e| panic!("{e}"))
    }

    fn codes(db: &Database, actor: &Actor, query: &str) -> Vec<String> {
        search(db, actor, query, 20)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|h| h.code)
            .collect()
    }

    #[test]
    fn round_trip_keeps_every_answer() {
        let (mut db, actor) = db_with_staff();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let draft = VisitorDraft {
            given_name: "أحمد".into(),
            family_name: "حسن".into(),
            given_name_latin: "Ahmad".into(),
            family_name_latin: "Hassan".into(),
            sex: Answer::Given(Sex::Male),
            birth: "12.03.1985".into(),
            country_of_origin: Answer::Given("iq".into()),
            nationality: Answer::DoesNotKnow,
            legal_status: Answer::Given(LegalStatus::AsylumSeeker),
            preferred_language: Answer::Given("ar".into()),
            languages: vec!["en".into(), "ku".into()],
            phone: "+359 88 123 4567".into(),
            consents: vec![ConsentScope::Registration, ConsentScope::ShareWithReferrals],
            consent_date: "12.11.2026".into(),
            ..Default::default()
        };
        let new = draft.validate(today).unwrap_or_else(|e| panic!("{e:?}"));
        let stored =
            insert(&mut db, &actor, &new, "2026-11-23T10:00").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(stored.code, "B-000001");
        let read =
            find(&mut db, &actor, stored.id, "2026-11-23T10:01").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.details, new);
        assert_eq!(read.details.country_of_origin, Answer::Given("IQ".into()));
        assert_eq!(read, stored);
        let trail = audit::latest(&db, 2).unwrap_or_default();
        let actions: Vec<_> = trail
            .iter()
            .map(|e| (e.action.as_str(), e.entity.as_str(), e.entity_id))
            .collect();
        assert_eq!(
            actions,
            [
                ("view", "visitors", Some(1)),
                ("create", "visitors", Some(1))
            ]
        );
        assert!(trail.iter().all(|e| e.staff_id == Some(actor.staff_id.0)));
    }

    #[test]
    fn cross_script_search() {
        let (mut db, actor) = db_with_staff();
        let ivan = register(&mut db, &actor, "Иван", "Петров", "");
        let mohamed = register(&mut db, &actor, "Mohamed", "Ali", "");
        let arabic = register(&mut db, &actor, "محمد", "حسين", "");
        let elodie = register(&mut db, &actor, "Élodie", "Durand", "");
        let cyr = register(&mut db, &actor, "Мохамед", "Юсуф", "");
        assert_eq!(codes(&db, &actor, "ivan"), [ivan.code.as_str()]);
        assert_eq!(codes(&db, &actor, "ЕТРО"), [ivan.code.as_str()]);
        assert_eq!(codes(&db, &actor, "elodie"), [elodie.code.as_str()]);
        // Typed so far, "ÉLO" has the one-consonant key of Ali: he comes after, never first.
        assert_eq!(
            codes(&db, &actor, "ÉLO").first().map(String::as_str),
            Some(elodie.code.as_str())
        );
        let found = codes(&db, &actor, "мохамед");
        assert_eq!(found.first(), Some(&cyr.code), "same script first");
        assert!(
            found.contains(&mohamed.code) && found.contains(&arabic.code),
            "{found:?}"
        );
        let found = codes(&db, &actor, "mohammed");
        assert_eq!(found.first(), Some(&mohamed.code), "same script first");
        assert!(
            found[1..].contains(&arabic.code) && found[1..].contains(&cyr.code),
            "other scripts rank below: {found:?}"
        );
    }

    #[test]
    fn short_queries_match_word_starts() {
        let (mut db, actor) = db_with_staff();
        let ivan = register(&mut db, &actor, "Иван", "Петров", "");
        register(&mut db, &actor, "Ali", "Rezai", "");
        assert_eq!(codes(&db, &actor, "iv"), [ivan.code.as_str()]);
        assert_eq!(codes(&db, &actor, "П"), [ivan.code.as_str()]);
        assert_eq!(codes(&db, &actor, "ivan p"), [ivan.code.as_str()]);
        assert!(codes(&db, &actor, "zz").is_empty());
    }

    #[test]
    fn phones_and_codes() {
        let (mut db, actor) = db_with_staff();
        let a = register(&mut db, &actor, "Ana", "", "+359 88 123 4567");
        let b = register(&mut db, &actor, "Olena", "", "0877 55 44 33");
        for q in [
            "0881234567",
            "088 123 4567",
            "+359881234567",
            "1234567",
            "881 234",
        ] {
            assert_eq!(codes(&db, &actor, q), [a.code.as_str()], "{q}");
        }
        assert_eq!(codes(&db, &actor, "+359 877 554433"), [b.code.as_str()]);
        assert_eq!(codes(&db, &actor, "B-000002"), [b.code.as_str()]);
        assert_eq!(codes(&db, &actor, "b2"), [b.code.as_str()]);
        assert_eq!(codes(&db, &actor, "000002"), [b.code.as_str()]);
        assert!(codes(&db, &actor, "B-999999").is_empty());
    }

    #[test]
    fn quotes_and_operators_in_queries_are_plain_text() {
        let (mut db, actor) = db_with_staff();
        register(&mut db, &actor, "O\"Neil", "AND", "");
        for q in ["\"", "O\"Ne", "AND OR NOT", "*", "a:b", "(((", "NEAR("] {
            assert!(search(&db, &actor, q, 10).is_ok(), "{q}");
        }
    }
}
