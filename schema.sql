-- bureau-desk: the whole current database schema.
--
-- This file is the one source of truth for the database. A new database file runs it as it is;
-- an older file is brought here step by step by `db::migrations::upgrade_from`. The version this
-- file describes is `PRAGMA user_version` below and `db::migrations::SCHEMA_VERSION` in the code.
--
-- Conventions:
-- * Times are local wall-clock text, `YYYY-MM-DDTHH:MM` (minutes are enough at a desk); dates
--   are `YYYY-MM-DD`. Text in this form sorts and compares correctly.
-- * Booleans are INTEGER 0/1 with a CHECK.
-- * An optional answer a person may decline holds either its value or one of the three HMIS
--   answer codes: 'not_asked', 'doesnt_know', 'refused' (prefers not to answer), so reports can
--   count them apart. Numeric answers keep the value and the answer code in two columns.
-- * Every enum is a CHECK on text codes; the codes are also the i18n key suffixes.

PRAGMA foreign_keys = ON;

-- Key/value settings of this desk: the bureau's details for slips, the paper size, the secret for
-- pseudonyms in exports, the UI language chosen last.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,            -- e.g. 'ui.language', 'bureau.name_bg'
    value TEXT NOT NULL                          -- the value as text
) WITHOUT ROWID;

-- The people who work at or with the desk. Staff who open the file (desk, coordinator, admin,
-- volunteer) each hold a key slot in the key file beside the database, sealed with their own
-- password: no password of theirs is here. A partner (an NGO's consultant) has no key slot: they
-- sign in on a desk a staff member opened, against the hash kept here.
CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    display_name    TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100), -- first name, as printed on slips
    role            TEXT NOT NULL DEFAULT 'desk'
                    CHECK (role IN ('desk', 'partner', 'coordinator', 'admin', 'volunteer')),
    organisation_id INTEGER REFERENCES organisations (id), -- a partner's organisation; NULL for others
    password_hash   TEXT,                        -- a partner's argon2id hash (PHC string); NULL for others
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at      TEXT NOT NULL,               -- when the entry was made
    CHECK ((role = 'partner') = (organisation_id IS NOT NULL))
);

-- Organisations the bureau works with: the NGO partners of the core group (who provide services
-- at the desk) and the institutions visitors are referred or accompanied to.
CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN (
                   'bureau', 'ngo', 'hospital', 'clinic', 'school', 'migration_directorate',
                   'refugee_agency', 'labour_office', 'social_assistance', 'municipal', 'other')),
    name_bg    TEXT NOT NULL CHECK (length(name_bg) BETWEEN 1 AND 200), -- name in Bulgarian
    name_en    TEXT NOT NULL CHECK (length(name_en) BETWEEN 1 AND 200), -- name in English
    address_bg TEXT NOT NULL DEFAULT '',          -- street address in Bulgarian
    address_en TEXT NOT NULL DEFAULT '',          -- street address in Latin letters
    phone      TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    hours_bg   TEXT NOT NULL DEFAULT '',          -- opening hours, as printed on slips
    hours_en   TEXT NOT NULL DEFAULT '',
    languages  TEXT NOT NULL DEFAULT '',          -- ISO 639-1 codes spoken there, space-separated
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE INDEX organisations_by_kind ON organisations (kind, active);

-- The service catalogue: the kinds of service the bureau records. Data, not code, so the
-- coordinator can add one without a new release.
CREATE TABLE service_types (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE CHECK (code GLOB '[a-z]*'), -- stable key used by reports
    name_bg    TEXT NOT NULL,                     -- shown in a Bulgarian UI
    name_en    TEXT NOT NULL,                     -- shown in an English UI and the funder's exports
    sort_order INTEGER NOT NULL DEFAULT 0,        -- position in pickers
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- Which services an organisation offers (for the directory and for default providers).
CREATE TABLE organisation_services (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    service_type_id INTEGER NOT NULL REFERENCES service_types (id),
    PRIMARY KEY (organisation_id, service_type_id)
) WITHOUT ROWID;

-- A family: visitors who belong together. Each member's `household_role` says how they are
-- related to the household's contact person (the member it was started from).
CREATE TABLE households (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES staff (id)
);

-- A registered visitor: only what they agreed to give. Names are kept as the person writes them
-- (any script) and, optionally, in Latin letters.
CREATE TABLE visitors (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,      -- bureau code used on paper instead of the name, 'B-000457'
    given_name         TEXT NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100), -- as written, any script
    family_name        TEXT NOT NULL DEFAULT '' CHECK (length(family_name) <= 100),
    given_name_latin   TEXT NOT NULL DEFAULT '' CHECK (length(given_name_latin) <= 100), -- as in a passport, if given
    family_name_latin  TEXT NOT NULL DEFAULT '' CHECK (length(family_name_latin) <= 100),
    sex                TEXT NOT NULL DEFAULT 'not_asked'
                       CHECK (sex IN ('female', 'male', 'other', 'not_asked', 'doesnt_know', 'refused')),
    birth_year         INTEGER CHECK (birth_year BETWEEN 1900 AND 2200), -- NULL unless birth_answer = 'given'
    birth_date         TEXT CHECK (birth_date IS NULL OR birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    birth_answer       TEXT NOT NULL DEFAULT 'not_asked'
                       CHECK (birth_answer IN ('given', 'not_asked', 'doesnt_know', 'refused')),
    country_of_origin  TEXT NOT NULL DEFAULT 'not_asked', -- ISO 3166-1 alpha-2 or an answer code
    nationality        TEXT NOT NULL DEFAULT 'not_asked', -- ISO 3166-1 alpha-2, 'stateless' or an answer code
    legal_status       TEXT NOT NULL DEFAULT 'not_asked'
                       CHECK (legal_status IN ('asylum_seeker', 'refugee', 'humanitarian', 'temporary_protection',
                              'residence_permit', 'stateless', 'other', 'not_asked', 'doesnt_know', 'refused')),
    preferred_language TEXT NOT NULL DEFAULT 'not_asked', -- ISO 639-1 or an answer code
    phone              TEXT NOT NULL DEFAULT '',  -- as typed
    phone_digits       TEXT NOT NULL DEFAULT '',  -- normalised digits for search (no +359 / leading 0)
    phone_answer       TEXT NOT NULL DEFAULT 'not_asked'
                       CHECK (phone_answer IN ('given', 'not_asked', 'doesnt_know', 'refused')),
    household_id       INTEGER REFERENCES households (id),
    household_role     TEXT NOT NULL DEFAULT '',  -- '' outside a household; in one: 'contact' or the relation
                                                  -- to the contact: 'spouse', 'child', 'parent', 'sibling', 'other'
    name_skeleton      TEXT NOT NULL DEFAULT '',  -- consonant keys of every name word, for cross-script matching
    created_at         TEXT NOT NULL,
    created_by         INTEGER NOT NULL REFERENCES staff (id),
    updated_at         TEXT NOT NULL,
    erased_at          TEXT,                      -- set when the person was erased: names, birth, phone and
                                                  -- notes are gone, what reports count stays
    updated_by         INTEGER REFERENCES staff (id), -- who last corrected the record (NULL: as registered);
                                                  -- when is updated_at
    merged_into        INTEGER REFERENCES visitors (id) -- set on a second registration of a person merged
                                                  -- into this record: its code is an alias, nothing counts it
);
CREATE INDEX visitors_by_household ON visitors (household_id) WHERE household_id IS NOT NULL;

-- Languages a visitor speaks (besides the preferred one).
CREATE TABLE visitor_languages (
    visitor_id INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
    language   TEXT NOT NULL CHECK (length(language) = 2), -- ISO 639-1
    PRIMARY KEY (visitor_id, language)
) WITHOUT ROWID;

-- Substring search over visitors in any script (trigram, case- and diacritic-insensitive).
-- rowid = visitors.id. Kept in step with `visitors` by the storage layer in the same transaction.
CREATE VIRTUAL TABLE visitor_search USING fts5 (
    native,    -- the names as written plus the Latin names, folded to lower case
    latin,     -- every name transliterated to ASCII, lower case
    skeleton,  -- consonant skeletons of the name words ('mhmd hsn')
    phone,     -- phone digits
    code,      -- bureau code without the dash, lower case ('b000457')
    tokenize = 'trigram remove_diacritics 1'
);
-- A removed row leaves nothing of its names in the index (erasure).
INSERT INTO visitor_search (visitor_search, rank) VALUES ('secure-delete', 1);

-- Short (1-2 character) queries cannot use trigrams: they match the start of a name word here.
CREATE TABLE visitor_name_words (
    word       TEXT NOT NULL,                     -- one folded name word, native or transliterated
    visitor_id INTEGER NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
    PRIMARY KEY (word, visitor_id)
) WITHOUT ROWID;
CREATE INDEX visitor_name_words_by_visitor ON visitor_name_words (visitor_id);

-- Consent as the person gave or withdrew it, scope by scope. A change is a new row, never an
-- edit (the database refuses UPDATE and DELETE): the row of a scope recorded last says whether
-- the consent holds now (`consents_in_force`); its day is never before the one it follows.
CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    visitor_id  INTEGER NOT NULL REFERENCES visitors (id),
    scope       TEXT NOT NULL CHECK (scope IN ('registration', 'share_with_referrals', 'contact_by_phone')),
    given       INTEGER NOT NULL DEFAULT 1 CHECK (given IN (0, 1)), -- 1: given; 0: withdrawn
    dated       TEXT NOT NULL,                    -- the day the person gave or withdrew it
    recorded_by INTEGER NOT NULL REFERENCES staff (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX consents_by_visitor ON consents (visitor_id, scope);
-- Only whose it is may change: when two registrations of one person are merged, and back when
-- the merge is undone.
CREATE TRIGGER consents_refuse_update
BEFORE UPDATE OF id, scope, given, dated, recorded_by, recorded_at ON consents
BEGIN SELECT RAISE(ABORT, 'a consent is changed by a new record'); END;
CREATE TRIGGER consents_refuse_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'a consent is changed by a new record'); END;
-- The consents that hold now, with the day each was given.
CREATE VIEW consents_in_force AS
SELECT c.visitor_id, c.scope, c.dated FROM consents c
WHERE c.given = 1 AND NOT EXISTS (
    SELECT 1 FROM consents later
    WHERE later.visitor_id = c.visitor_id AND later.scope = c.scope
      AND later.id > c.id);

-- One visit to the desk. visitor_id is NULL for an anonymous visit (counted, nobody recorded).
-- Whether it is a first or follow-up consultation is derived: the visitor's earliest visit is
-- the first.
CREATE TABLE visits (
    id               INTEGER PRIMARY KEY,
    visitor_id       INTEGER REFERENCES visitors (id),
    visited_at       TEXT NOT NULL,               -- local time 'YYYY-MM-DDTHH:MM'
    staff_id         INTEGER NOT NULL REFERENCES staff (id), -- who saw the visitor
    language         TEXT NOT NULL,               -- ISO 639-1 of the language used
    interpreter      INTEGER NOT NULL DEFAULT 0 CHECK (interpreter IN (0, 1)),
    duration_minutes INTEGER CHECK (duration_minutes BETWEEN 1 AND 600),
    notes            TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    created_at       TEXT NOT NULL,
    age_band         TEXT,                        -- kept when the visitor was erased; NULL: from their birth year
    -- A visit logged in error is voided, never deleted: it stays for the audit trail, out of
    -- every figure.
    voided_at        TEXT,
    voided_by        INTEGER REFERENCES staff (id),
    void_reason      TEXT NOT NULL DEFAULT '' CHECK (length(void_reason) <= 500)
);
CREATE INDEX visits_by_time ON visits (visited_at);
-- The visits every figure counts: all but the voided ones.
CREATE VIEW counted_visits AS SELECT * FROM visits WHERE voided_at IS NULL;
CREATE INDEX visits_by_visitor ON visits (visitor_id, visited_at);

-- The services rendered in a visit: each a type from the catalogue and who provided it.
CREATE TABLE services_rendered (
    id              INTEGER PRIMARY KEY,
    visit_id        INTEGER NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
    service_type_id INTEGER NOT NULL REFERENCES service_types (id),
    provider_id     INTEGER NOT NULL REFERENCES organisations (id)
);
CREATE INDEX services_rendered_by_visit ON services_rendered (visit_id);
CREATE INDEX services_rendered_by_type ON services_rendered (service_type_id);

-- A referral to another organisation or institution, issued during a visit.
CREATE TABLE referrals (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,        -- printed reference code, 'R-2026-000123'
    visit_id          INTEGER NOT NULL REFERENCES visits (id),
    organisation_id   INTEGER NOT NULL REFERENCES organisations (id), -- destination
    service_type_id   INTEGER NOT NULL REFERENCES service_types (id),
    reason            TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    appointment_at    TEXT,                        -- 'YYYY-MM-DDTHH:MM' if an appointment was made
    follow_up_on      TEXT,                        -- date to ask how it went
    shares_details    INTEGER NOT NULL DEFAULT 0 CHECK (shares_details IN (0, 1)), -- consent to share was on record
    status            TEXT NOT NULL DEFAULT 'issued'
                      CHECK (status IN ('issued', 'attended', 'not_attended', 'cancelled')),
    status_changed_at TEXT,
    status_changed_by INTEGER REFERENCES staff (id),
    issued_by         INTEGER NOT NULL REFERENCES staff (id),
    issued_at         TEXT NOT NULL,
    reissued_as       INTEGER REFERENCES referrals (id), -- corrected after its slip was printed: cancelled,
                                                  -- and counted as the referral that replaced it
    for_household     INTEGER NOT NULL DEFAULT 0 CHECK (for_household IN (0, 1)) -- covers the visitor's
                                                  -- whole household: the slip lists every member's code
);
CREATE INDEX referrals_by_visit ON referrals (visit_id);
CREATE INDEX referrals_by_issue ON referrals (issued_at);
CREATE INDEX referrals_to_follow_up ON referrals (status, follow_up_on);

-- An accompaniment: a person from the bureau goes with the visitor to an institution.
CREATE TABLE accompaniments (
    id                   INTEGER PRIMARY KEY,
    reference            TEXT NOT NULL UNIQUE,     -- printed reference code, 'A-2026-000045'
    visit_id             INTEGER NOT NULL REFERENCES visits (id),
    organisation_id      INTEGER NOT NULL REFERENCES organisations (id), -- the institution
    purpose              TEXT NOT NULL DEFAULT '' CHECK (length(purpose) <= 500),
    scheduled_at         TEXT NOT NULL,            -- 'YYYY-MM-DDTHH:MM'
    meeting_point        TEXT NOT NULL DEFAULT '',
    escort_staff_id      INTEGER REFERENCES staff (id), -- staff member or volunteer who goes
    interpreter_language TEXT,                     -- ISO 639-1, if an interpreter goes too
    status               TEXT NOT NULL DEFAULT 'planned'
                         CHECK (status IN ('planned', 'done', 'cancelled', 'no_show')),
    outcome_note         TEXT NOT NULL DEFAULT '' CHECK (length(outcome_note) <= 1000),
    status_changed_at    TEXT,
    status_changed_by    INTEGER REFERENCES staff (id),
    booked_by            INTEGER NOT NULL REFERENCES staff (id),
    booked_at            TEXT NOT NULL,
    reissued_as          INTEGER REFERENCES accompaniments (id) -- corrected after its confirmation was
                                                  -- printed: cancelled, counted as its replacement
);
CREATE INDEX accompaniments_by_time ON accompaniments (scheduled_at);
CREATE INDEX accompaniments_by_visit ON accompaniments (visit_id);

-- Anonymous satisfaction feedback: no link to a visitor or a visit, on purpose.
CREATE TABLE feedback (
    id          INTEGER PRIMARY KEY,
    given_on    TEXT NOT NULL,                     -- date only
    language    TEXT NOT NULL,                     -- ISO 639-1 of the form shown
    overall     INTEGER NOT NULL CHECK (overall BETWEEN 1 AND 5),
    staff       INTEGER NOT NULL CHECK (staff BETWEEN 1 AND 5), -- staff attitude and competence
    comment     TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 1000)
);
CREATE INDEX feedback_by_date ON feedback (given_on);

-- The month's programme at the bureau: which partner offers which services when, in which
-- languages and where. A slot recurs on a weekday (every week, or only the listed weeks of the
-- month: '1 3' is the first and third) or falls on listed dates (an extra session). Each slot
-- belongs to one month, so a past month's programme stays as it was; the next month starts as a
-- copy and is edited.
CREATE TABLE programme_slots (
    id              INTEGER PRIMARY KEY,
    month           TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    weekday         INTEGER CHECK (weekday BETWEEN 1 AND 7), -- 1 Monday … 7 Sunday; NULL: on `dates`
    weeks           TEXT NOT NULL DEFAULT '',      -- which of the month's such weekdays, '1 3'; '': every one
    dates           TEXT NOT NULL DEFAULT '',      -- 'YYYY-MM-DD …' in the month, when weekday is NULL
    starts_at       TEXT NOT NULL CHECK (starts_at GLOB '[0-2][0-9]:[0-5][0-9]'), -- 'HH:MM'
    ends_at         TEXT NOT NULL CHECK (ends_at GLOB '[0-2][0-9]:[0-5][0-9]' AND ends_at > starts_at),
    languages       TEXT NOT NULL DEFAULT '',      -- ISO 639-1 codes offered, space-separated ('' is flagged)
    place           TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 100), -- the room in the bureau
    note            TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 300),
    CHECK ((weekday IS NULL) = (dates <> ''))
);
CREATE INDEX programme_slots_by_month ON programme_slots (month);

-- The services a slot offers (one or more from the catalogue).
CREATE TABLE programme_slot_services (
    slot_id         INTEGER NOT NULL REFERENCES programme_slots (id) ON DELETE CASCADE,
    service_type_id INTEGER NOT NULL REFERENCES service_types (id),
    PRIMARY KEY (slot_id, service_type_id)
) WITHOUT ROWID;

-- One-off changes to the month's programme: a slot cancelled on one day, or (slot_id NULL) the
-- whole bureau closed that day, a holiday. An extra session is a slot on listed dates.
CREATE TABLE programme_days_off (
    id      INTEGER PRIMARY KEY,
    day     TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    slot_id INTEGER REFERENCES programme_slots (id) ON DELETE CASCADE, -- NULL: the bureau is closed
    note    TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 300)
);
CREATE INDEX programme_days_off_by_day ON programme_days_off (day);

-- Two registrations of one person made one. The kept record took the values chosen field by
-- field; the other's visits (with their referrals and accompaniments), consents and drafts moved
-- to it; the other's row stays, with `merged_into`, so its code is an alias search still finds.
-- Undone (the same day), the kept record gets back `kept_before` and what moved goes back.
CREATE TABLE merges (
    id          INTEGER PRIMARY KEY,
    kept_id     INTEGER NOT NULL REFERENCES visitors (id),
    merged_id   INTEGER NOT NULL REFERENCES visitors (id), -- the record that became an alias
    merged_at   TEXT NOT NULL,
    merged_by   INTEGER NOT NULL REFERENCES staff (id),
    kept_before TEXT NOT NULL,                     -- the kept record's fields and languages before (JSON);
                                                   -- emptied when the person is erased
    undone_at   TEXT,
    undone_by   INTEGER REFERENCES staff (id)
);
CREATE INDEX merges_by_kept ON merges (kept_id);

-- The rows a merge moved to the kept record, so that undoing it moves exactly those back.
CREATE TABLE merge_moves (
    merge_id INTEGER NOT NULL REFERENCES merges (id),
    entity   TEXT NOT NULL CHECK (entity IN ('visits', 'consents', 'drafts', 'visitors')), -- 'visitors': an
                                                   -- earlier alias of the merged record, now the kept's
    row_id   INTEGER NOT NULL,
    PRIMARY KEY (merge_id, entity, row_id)
) WITHOUT ROWID;

-- Registers brought in from before the desk (`bureau-desk import`): each file once, known by the
-- SHA-256 of its bytes, with what it added. The people and visits are rows like any other.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    file_hash   TEXT NOT NULL UNIQUE CHECK (length(file_hash) = 64),
    imported_at TEXT NOT NULL,
    imported_by INTEGER NOT NULL REFERENCES staff (id),
    rows        INTEGER NOT NULL,                  -- rows read
    people_new  INTEGER NOT NULL,                  -- people registered
    visits      INTEGER NOT NULL                   -- visits logged
);

-- Forms typed and not yet saved, one per staff member and form, so typed work survives leaving
-- the form, the lock, a closed window or a crash; removed when the form is saved or discarded,
-- and after 30 days. `body` is the form as typed (JSON). A draft about a registered person (a
-- visit, a referral, an accompaniment) names them, so erasing the person removes it.
CREATE TABLE drafts (
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    form       TEXT NOT NULL CHECK (form IN ('visitor', 'visit', 'referral', 'accompaniment')),
    visitor_id INTEGER REFERENCES visitors (id),
    body       TEXT NOT NULL,
    saved_at   TEXT NOT NULL,                      -- 'YYYY-MM-DDTHH:MM'
    PRIMARY KEY (staff_id, form)
);

-- Who saw and changed what. Ids only: never a name, a note or any other personal data here.
-- Each row is chained to the one before by its hash (db::audit), so `bureau-desk check` finds a
-- row changed or removed with an outside tool.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,                 -- 1, 2, 3, … with no gaps (the chain's order)
    at        TEXT NOT NULL,                       -- 'YYYY-MM-DDTHH:MM[:SS]'
    staff_id  INTEGER REFERENCES staff (id),       -- NULL: a refused sign-in under an unknown name
    action    TEXT NOT NULL CHECK (action IN (
                  'create', 'view', 'update', 'erase', 'export', 'print',
                  'sign_in', 'sign_out', 'sign_in_failed', 'lock', 'backup', 'restore',
                  'consent', 'subject_access', 'retention', 'settings', 'staff', 'search')),
    entity    TEXT NOT NULL,                       -- table name, e.g. 'visitors'; 'desk' for events
    entity_id INTEGER,                             -- row id, if one row
    detail    TEXT NOT NULL DEFAULT '',            -- counts and codes only: 'length=4 results=12'
    hash      TEXT NOT NULL CHECK (length(hash) = 64) -- SHA-256 of this row and the previous hash
);
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_by_staff ON audit_log (staff_id, at);
-- Append-only: the desk never changes or removes an entry, and the database refuses it too.
CREATE TRIGGER audit_log_refuses_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_log_refuses_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

-- ---------------------------------------------------------------------------------------------
-- What a new database starts with.

-- The bureau's service catalogue (from the first-year evaluation's list).
INSERT INTO service_types (code, name_bg, name_en, sort_order) VALUES
    ('information', 'Информация и консултация', 'Information and consultation', 1),
    ('legal', 'Правна помощ', 'Legal assistance', 2),
    ('accompaniment', 'Придружаване до институции', 'Accompaniment to institutions', 3),
    ('referral', 'Насочване', 'Referral', 4),
    ('financial', 'Финансова помощ', 'Financial assistance', 5),
    ('humanitarian', 'Хуманитарна помощ / помощ в натура', 'Humanitarian / in-kind aid', 6),
    ('interpretation', 'Устен превод', 'Interpretation', 7),
    ('documents', 'Помощ с документи', 'Help with documents', 8),
    ('labour', 'Достъп до пазара на труда', 'Labour-market access', 9),
    ('bulgarian_course', 'Курс по български език', 'Bulgarian language course', 10),
    ('computer_course', 'Компютърен курс', 'Computer course', 11),
    ('medicines', 'Лекарства', 'Medicines', 12),
    ('food', 'Програма за храна', 'Food programme', 13),
    ('health', 'Достъп до здравеопазване', 'Health access', 14),
    ('education', 'Образование / училище', 'Education / school', 15),
    ('social_benefits', 'Социални помощи', 'Social benefits', 16),
    ('psychosocial', 'Психосоциална подкрепа', 'Psychosocial support', 17),
    ('housing', 'Жилищно настаняване', 'Housing', 18);

-- The bureau itself and the organisation of its desk staff: the default providers.
INSERT INTO organisations (kind, name_bg, name_en) VALUES
    ('bureau', 'Бюро за информация и услуги за граждани на трети страни',
               'Bureau for Information and Services for Third-Country Nationals'),
    ('ngo', 'Български Червен кръст', 'Bulgarian Red Cross');

-- The desk's settings: UI language, the languages services are offered in (data, not code),
-- the slips' paper size and the bureau's name on them (address, phone and hours are set by the
-- coordinator).
INSERT INTO settings (key, value) VALUES
    ('ui.language', 'bg'),
    ('desk.languages', 'bg en fr ar fa uk ru'),
    ('slip.paper', 'A5'),
    ('bureau.name_bg', 'Бюро за информация и услуги за граждани на трети страни'),
    ('bureau.name_en', 'Bureau for Information and Services for Third-Country Nationals');

-- Marks the file as a bureau-desk database ('BDSK'), so other SQLite files are refused.
PRAGMA application_id = 1111774027;
PRAGMA user_version = 11;
