//! The figures of a period (see `docs/figures.md`), computed with one SQL query per breakdown
//! over the visits of the period. Counts people once per breakdown (by their own data), visits
//! and services as they happened.

use std::collections::HashMap;

use chrono::Days;
use rusqlite::{Connection, named_params};

use super::{Database, Result};
use crate::domain::access::Permission;
use crate::domain::figures::{
    AGE_BANDS, AccompanimentFigures, Birth, Count, DURATION_BANDS, Figures, HouseholdFigures,
    MonthFigures, Participants, Period, Ratings, ReferralFigures, Satisfaction, age_band,
    duration_band,
};
use crate::domain::{Actor, format_stamp};

/// The visits of the period, as a reusable subquery (`:from` / `:until` are local times).
const PERIOD_VISITS: &str =
    "SELECT * FROM counted_visits WHERE visited_at >= :from AND visited_at < :until";

/// The people with a visit in the period.
const PERIOD_PEOPLE: &str = "SELECT DISTINCT visitor_id AS id FROM counted_visits
     WHERE visited_at >= :from AND visited_at < :until AND visitor_id IS NOT NULL";

struct Bounds {
    from: String,
    until: String,
}

impl Bounds {
    fn of(period: Period) -> Bounds {
        let until = period
            .to
            .checked_add_days(Days::new(1))
            .unwrap_or(period.to);
        Bounds {
            from: format_stamp(period.from.and_time(chrono::NaiveTime::MIN)),
            until: format_stamp(until.and_time(chrono::NaiveTime::MIN)),
        }
    }
}

fn one(conn: &Connection, sql: &str, b: &Bounds) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached(sql)?
        .query_row(named_params! { ":from": b.from, ":until": b.until }, |r| {
            r.get(0)
        })?;
    Ok(n.max(0) as u64)
}

/// A breakdown: the query returns (key, count) rows; they come back largest first.
fn counts(conn: &Connection, sql: &str, b: &Bounds) -> Result<Vec<Count>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows: Vec<Count> = stmt
        .query_map(named_params! { ":from": b.from, ":until": b.until }, |r| {
            Ok(Count {
                key: r
                    .get::<_, Option<String>>(0)?
                    .unwrap_or_else(|| "unknown".to_owned()),
                count: r.get::<_, i64>(1)?.max(0) as u64,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(largest_first(rows))
}

/// Orders a breakdown by a fixed list of keys (bands), keeping zeros.
fn in_order(tally: &HashMap<String, u64>, keys: &[&str]) -> Vec<Count> {
    let mut counts: Vec<Count> = keys
        .iter()
        .map(|k| Count {
            key: (*k).to_owned(),
            count: tally.get(*k).copied().unwrap_or(0),
        })
        .collect();
    // Anything else (a band kept at an erasure before the answers were told apart), after.
    let mut others: Vec<Count> = tally
        .iter()
        .filter(|(k, _)| !keys.contains(&k.as_str()))
        .map(|(key, count)| Count {
            key: key.clone(),
            count: *count,
        })
        .collect();
    others.sort_by(|a, b| a.key.cmp(&b.key));
    counts.append(&mut others);
    counts
}

fn ratings(conn: &Connection, column: &str, period: Period) -> Result<Ratings> {
    let mut distribution = [0u64; 5];
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {column}, count(*) FROM feedback WHERE given_on >= ?1 AND given_on <= ?2 GROUP BY 1"
    ))?;
    let rows = stmt.query_map((period.from.to_string(), period.to.to_string()), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
    })?;
    for row in rows {
        let (mark, n) = row?;
        if let Some(slot) = usize::try_from(mark - 1)
            .ok()
            .and_then(|i| distribution.get_mut(i))
        {
            *slot = n.max(0) as u64;
        }
    }
    let total: u64 = distribution.iter().sum();
    let sum: u64 = distribution
        .iter()
        .enumerate()
        .map(|(i, n)| (i as u64 + 1) * n)
        .sum();
    let mean = (total > 0).then(|| ((sum as f64 / total as f64) * 100.0).round() / 100.0);
    Ok(Ratings { mean, distribution })
}

/// Adds one to a key of a tally.
fn bump(tally: &mut HashMap<String, u64>, key: &str) {
    *tally.entry(key.to_owned()).or_insert(0) += 1;
}

/// A tally as a breakdown, largest first.
fn ranked(tally: HashMap<String, u64>) -> Vec<Count> {
    largest_first(
        tally
            .into_iter()
            .map(|(key, count)| Count { key, count })
            .collect(),
    )
}

/// A breakdown in the order every figure shows it: largest first, then by key.
fn largest_first(mut rows: Vec<Count>) -> Vec<Count> {
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    rows
}

/// Every figure of a period. Three passes over the period's rows (its people, its visits, its
/// services), each read once and tallied here, keep a year of a busy bureau under a second;
/// referrals, accompaniments and feedback are small grouped queries.
pub fn compute(db: &Database, actor: &Actor, period: Period) -> Result<Figures> {
    actor.require(Permission::Reports)?;
    let conn = &db.conn;
    let b = Bounds::of(period);
    let params = named_params! { ":from": b.from, ":until": b.until };
    let mut monthly: Vec<MonthFigures> = period
        .months()
        .into_iter()
        .map(|month| MonthFigures {
            month,
            ..MonthFigures::default()
        })
        .collect();
    let month_of = |stamp: &str| stamp.get(..7).unwrap_or_default().to_owned();
    let month_index: HashMap<String, usize> = monthly
        .iter()
        .enumerate()
        .map(|(i, m)| (m.month.clone(), i))
        .collect();
    let month_row = |month: &str| -> Option<usize> { month_index.get(month).copied() };

    // The people of the period, with their answers and their first visit ever.
    let (mut countries, mut nationality, mut sex, mut ages, mut status, mut languages) = (
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
    );
    let (mut unique_visitors, mut new_visitors) = (0u64, 0u64);
    let mut new_by_month: HashMap<String, u64> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.country_of_origin, p.nationality, p.sex, p.birth_year, p.legal_status, p.preferred_language,
                    (SELECT min(e.visited_at) FROM counted_visits e WHERE e.visitor_id = s.id),
                    CASE WHEN p.erased_at IS NOT NULL THEN
                        (SELECT e.age_band FROM counted_visits e WHERE e.visitor_id = s.id
                         AND e.visited_at >= :from AND e.visited_at < :until
                         ORDER BY e.visited_at DESC LIMIT 1) END,
                    p.birth_date, p.birth_answer
             FROM ({PERIOD_PEOPLE}) s JOIN visitors p ON p.id = s.id"
        ))?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            unique_visitors += 1;
            bump(&mut countries, &r.get::<_, String>(0)?);
            bump(&mut nationality, &r.get::<_, String>(1)?);
            bump(&mut sex, &r.get::<_, String>(2)?);
            // An erased person's birth is gone: the band kept on their last visit counts.
            match r.get::<_, Option<String>>(7)? {
                Some(kept) => bump(&mut ages, &kept),
                None => {
                    let answer: String = r.get(9)?;
                    let birth = Birth {
                        year: r.get(3)?,
                        date: parse_day(r.get(8)?),
                        answer: &answer,
                    };
                    bump(&mut ages, age_band(&birth, period.to));
                }
            }
            bump(&mut status, &r.get::<_, String>(4)?);
            bump(&mut languages, &r.get::<_, String>(5)?);
            let first: String = r.get(6)?;
            if first >= b.from {
                new_visitors += 1;
                *new_by_month.entry(month_of(&first)).or_insert(0) += 1;
            }
        }
    }

    // The visits of the period.
    let (mut by_language, mut interpreter, mut durations, mut consultations) = (
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
        HashMap::new(),
    );
    let (mut visits, mut anonymous_visits) = (0u64, 0u64);
    let mut people_by_month: HashMap<String, std::collections::HashSet<i64>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT v.visitor_id, v.visited_at, v.language, v.interpreter, v.duration_minutes,
                    v.visitor_id IS NOT NULL AND EXISTS (SELECT 1 FROM counted_visits e WHERE e.visitor_id = v.visitor_id
                        AND (e.visited_at < v.visited_at OR (e.visited_at = v.visited_at AND e.id < v.id)))
             FROM ({PERIOD_VISITS}) v"
        ))?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            let visitor: Option<i64> = r.get(0)?;
            let month = month_of(&r.get::<_, String>(1)?);
            let earlier: bool = r.get(5)?;
            visits += 1;
            bump(&mut by_language, &r.get::<_, String>(2)?);
            bump(
                &mut interpreter,
                if r.get::<_, bool>(3)? {
                    "interpreter"
                } else {
                    "no_interpreter"
                },
            );
            bump(&mut durations, duration_band(r.get(4)?));
            let index = month_row(&month);
            if let Some(m) = index.and_then(|i| monthly.get_mut(i)) {
                m.visits += 1;
            }
            match visitor {
                None => {
                    anonymous_visits += 1;
                    bump(&mut consultations, "anonymous");
                    if let Some(m) = index.and_then(|i| monthly.get_mut(i)) {
                        m.anonymous_visits += 1;
                    }
                }
                Some(id) => {
                    bump(
                        &mut consultations,
                        if earlier { "follow_up" } else { "first" },
                    );
                    people_by_month.entry(month).or_default().insert(id);
                }
            }
        }
    }

    // The services rendered in those visits.
    let (mut by_type, mut by_provider) = (HashMap::new(), HashMap::new());
    let mut services_total = 0u64;
    let mut served: HashMap<String, std::collections::HashSet<i64>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT v.visitor_id, v.visited_at, t.code, o.name_en, o.id FROM ({PERIOD_VISITS}) v
             JOIN services_rendered s ON s.visit_id = v.id
             JOIN service_types t ON t.id = s.service_type_id JOIN organisations o ON o.id = s.provider_id"
        ))?;
        let mut rows = stmt.query(params)?;
        while let Some(r) = rows.next()? {
            services_total += 1;
            let code: String = r.get(2)?;
            bump(&mut by_type, &code);
            // By organisation, not by name: two organisations may share a name.
            let (provider, name): (i64, String) = (r.get(4)?, r.get(3)?);
            by_provider.entry(provider).or_insert((name, 0)).1 += 1;
            if let Some(m) =
                month_row(&month_of(&r.get::<_, String>(1)?)).and_then(|i| monthly.get_mut(i))
            {
                m.services += 1;
            }
            if let Some(id) = r.get::<_, Option<i64>>(0)? {
                served.entry(code).or_default().insert(id);
            }
        }
    }
    for m in &mut monthly {
        m.unique_visitors = people_by_month.get(&m.month).map_or(0, |p| p.len() as u64);
        m.new_visitors = new_by_month.get(&m.month).copied().unwrap_or(0);
    }
    let with = |code: &str| served.get(code).map_or(0, |p| p.len() as u64);
    let participants = Participants {
        supported: unique_visitors,
        language_course: with("bulgarian_course"),
        civic_orientation: with("information"),
        labour_market_guidance: with("labour"),
        legal_assistance: with("legal"),
    };

    let referral_base = "FROM referrals r WHERE r.issued_at >= :from AND r.issued_at < :until AND r.reissued_as IS NULL AND r.visit_id NOT IN (SELECT id FROM visits WHERE voided_at IS NOT NULL)";
    let referrals = ReferralFigures {
        total: one(conn, &format!("SELECT count(*) {referral_base}"), &b)?,
        by_destination: counts(
            conn,
            "SELECT o.name_en, count(*) FROM referrals r JOIN organisations o ON o.id = r.organisation_id WHERE r.issued_at >= :from AND r.issued_at < :until AND r.reissued_as IS NULL AND r.visit_id NOT IN (SELECT id FROM visits WHERE voided_at IS NOT NULL) GROUP BY o.id",
            &b,
        )?,
        by_service: counts(
            conn,
            "SELECT t.code, count(*) FROM referrals r JOIN service_types t ON t.id = r.service_type_id WHERE r.issued_at >= :from AND r.issued_at < :until AND r.reissued_as IS NULL AND r.visit_id NOT IN (SELECT id FROM visits WHERE voided_at IS NOT NULL) GROUP BY t.code",
            &b,
        )?,
        by_outcome: counts(
            conn,
            &format!("SELECT r.status, count(*) {referral_base} GROUP BY 1"),
            &b,
        )?,
    };
    let accompaniments = AccompanimentFigures {
        total: one(
            conn,
            "SELECT count(*) FROM accompaniments WHERE scheduled_at >= :from AND scheduled_at < :until AND reissued_as IS NULL AND visit_id NOT IN (SELECT id FROM visits WHERE voided_at IS NOT NULL)",
            &b,
        )?,
        by_institution: counts(
            conn,
            "SELECT o.name_en, count(*) FROM accompaniments a JOIN organisations o ON o.id = a.organisation_id WHERE a.scheduled_at >= :from AND a.scheduled_at < :until AND a.reissued_as IS NULL AND a.visit_id NOT IN (SELECT id FROM visits WHERE voided_at IS NOT NULL) GROUP BY o.id",
            &b,
        )?,
        by_outcome: counts(
            conn,
            "SELECT status, count(*) FROM accompaniments WHERE scheduled_at >= :from AND scheduled_at < :until AND reissued_as IS NULL AND visit_id NOT IN (SELECT id FROM visits WHERE voided_at IS NOT NULL) GROUP BY 1",
            &b,
        )?,
    };
    let households = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT count(DISTINCT p.household_id), count(*) FROM ({PERIOD_PEOPLE}) s
             JOIN visitors p ON p.id = s.id WHERE p.household_id IS NOT NULL"
        ))?;
        stmt.query_row(params, |r| {
            Ok(HouseholdFigures {
                served: r.get::<_, i64>(0)?.unsigned_abs(),
                individuals: r.get::<_, i64>(1)?.unsigned_abs(),
            })
        })?
    };
    let programme = super::programme::partner_figures(db, period.from, period.to)?;
    let overall = ratings(conn, "overall", period)?;
    let satisfaction = Satisfaction {
        responses: overall.distribution.iter().sum(),
        staff: ratings(conn, "staff", period)?,
        overall,
    };
    Ok(Figures {
        period: Some(period),
        unique_visitors,
        new_visitors,
        returning_visitors: unique_visitors - new_visitors,
        anonymous_visits,
        visits,
        services_total,
        services_by_type: ranked(by_type),
        services_by_provider: largest_first(
            by_provider
                .into_values()
                .map(|(key, count)| Count { key, count })
                .collect(),
        ),
        countries_of_origin: ranked(countries),
        nationality: ranked(nationality),
        sex: ranked(sex),
        age_bands: in_order(&ages, &AGE_BANDS),
        legal_status: ranked(status),
        languages: ranked(languages),
        visits_by_language: ranked(by_language),
        interpreter: ranked(interpreter),
        consultations: ranked(consultations),
        duration_bands: in_order(&durations, &DURATION_BANDS),
        referrals,
        accompaniments,
        satisfaction,
        participants,
        monthly,
        households,
        children: ages.get("0-17").copied().unwrap_or(0),
        programme,
    })
}

/// One visit of the period as an evaluator may count it: the person under a pseudonym, never a
/// name, code, phone or note.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    /// Keyed hash of the visitor's id (stable across exports until the key is rotated); empty
    /// for an anonymous visit.
    pub person: String,
    /// Day of the visit.
    pub date: String,
    /// 'first', 'follow_up' or 'anonymous'.
    pub consultation: String,
    /// Language used.
    pub language: String,
    /// An interpreter was needed.
    pub interpreter: bool,
    /// Duration band.
    pub duration: String,
    /// Service codes, ';'-separated.
    pub services: String,
    /// The person's country of origin (or answer code).
    pub country_of_origin: String,
    /// Sex (or answer code).
    pub sex: String,
    /// Age band at the visit.
    pub age_band: String,
    /// Legal status (or answer code).
    pub legal_status: String,
}

/// The setting that holds the secret key of the pseudonyms.
const PSEUDONYM_KEY: &str = "export.pseudonym_key";

/// A stored day (`YYYY-MM-DD`), if there is one.
pub(crate) fn parse_day(stored: Option<String>) -> Option<chrono::NaiveDate> {
    stored.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

/// The secret key of the pseudonyms, made on first use and kept until rotated.
pub fn pseudonym_key(db: &Database) -> Result<Vec<u8>> {
    if let Some(hex) = super::settings::get(db, PSEUDONYM_KEY)? {
        let key: Vec<u8> = (0..hex.len() / 2)
            .filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
            .collect();
        if key.len() == 32 {
            return Ok(key);
        }
    }
    let key = fresh_pseudonym_key();
    store_pseudonym_key(db, &key)?;
    Ok(key.to_vec())
}

/// A new random pseudonym key (not stored yet: see `store_pseudonym_key`).
pub fn fresh_pseudonym_key() -> [u8; 32] {
    rand::random()
}

/// Makes `key` the pseudonym key: from now on no pseudonym matches an export made before.
pub fn store_pseudonym_key(db: &Database, key: &[u8; 32]) -> Result<()> {
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    super::settings::set(db, PSEUDONYM_KEY, &hex)
}

/// The pseudonym of a visitor under a key: the first 16 hex digits of HMAC-SHA-256 of the id.
pub fn pseudonym(key: &[u8], visitor: i64) -> String {
    use hmac::{KeyInit, Mac};
    let mut mac = match hmac::Hmac::<sha2::Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(visitor.to_string().as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every visit of the period, one row each, people under pseudonyms.
pub fn records(db: &Database, actor: &Actor, period: Period, key: &[u8]) -> Result<Vec<Record>> {
    actor.require(Permission::Reports)?;
    let b = Bounds::of(period);
    let mut stmt = db.conn.prepare_cached(&format!(
        "SELECT v.visitor_id, substr(v.visited_at, 1, 10), v.language, v.interpreter, v.duration_minutes,
                (SELECT group_concat(t.code, ';') FROM services_rendered s JOIN service_types t ON t.id = s.service_type_id WHERE s.visit_id = v.id),
                p.country_of_origin, p.sex, p.birth_year, p.legal_status,
                EXISTS (SELECT 1 FROM counted_visits e WHERE e.visitor_id = v.visitor_id
                        AND (e.visited_at < v.visited_at OR (e.visited_at = v.visited_at AND e.id < v.id))),
                v.age_band, p.birth_date, p.birth_answer
         FROM ({PERIOD_VISITS}) v LEFT JOIN visitors p ON p.id = v.visitor_id ORDER BY v.visited_at, v.id"
    ))?;
    let rows = stmt
        .query_map(named_params! { ":from": b.from, ":until": b.until }, |r| {
            let visitor: Option<i64> = r.get(0)?;
            let date: String = r.get(1)?;
            let day = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or(period.from);
            let earlier: bool = r.get(10)?;
            Ok(Record {
                person: visitor.map(|id| pseudonym(key, id)).unwrap_or_default(),
                consultation: match (visitor, earlier) {
                    (None, _) => "anonymous",
                    (Some(_), true) => "follow_up",
                    (Some(_), false) => "first",
                }
                .to_owned(),
                date,
                language: r.get(2)?,
                interpreter: r.get(3)?,
                duration: duration_band(r.get(4)?).to_owned(),
                services: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                country_of_origin: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                sex: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
                age_band: match (visitor, r.get::<_, Option<String>>(11)?) {
                    (None, _) => String::new(),
                    (Some(_), Some(kept)) => kept,
                    (Some(_), None) => {
                        let answer: Option<String> = r.get(13)?;
                        let birth = Birth {
                            year: r.get(8)?,
                            date: parse_day(r.get(12)?),
                            answer: answer.as_deref().unwrap_or("not_asked"),
                        };
                        age_band(&birth, day).to_owned()
                    }
                },
                legal_status: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
