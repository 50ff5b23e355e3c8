/**
 * Numbered migrations. Migration N brings the schema from user_version N-1 to N.
 * Never edit a released migration: add a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the whole first schema.
  `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,              -- UTC ISO-8601
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,              -- create, update, archive, restore, void, approve, reject, import, forget, ...
    entity    TEXT NOT NULL,              -- person, program, funder, funding, hours, setting, import, ...
    entity_id INTEGER,
    changes   TEXT                        -- JSON {"field": [before, after], ...}
  ) STRICT;
  CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
  CREATE INDEX audit_log_at ON audit_log(at);

  CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,            -- people | hours
    file_name   TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    actor       TEXT NOT NULL,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    invalid     INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    external_id     TEXT,
    first_name      TEXT NOT NULL,
    last_name       TEXT,
    email           TEXT,                 -- stored lower-case
    phone           TEXT,
    roles           TEXT,                 -- comma-separated
    credential      TEXT,
    license_number  TEXT,
    license_region  TEXT,
    license_expires TEXT,
    hourly_rate     INTEGER,              -- cents per hour; NULL = no specialised-skills rate
    address_line1   TEXT,
    address_line2   TEXT,
    city            TEXT,
    region          TEXT,
    postal_code     TEXT,
    country         TEXT,
    joined_on       TEXT,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),
    notes           TEXT,
    archived_reason TEXT,
    erased_at       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX people_external_id ON people(external_id) WHERE external_id IS NOT NULL;
  CREATE UNIQUE INDEX people_email ON people(email) WHERE email IS NOT NULL;
  CREATE INDEX people_name ON people(last_name, first_name);

  CREATE TABLE programs (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name            TEXT NOT NULL,
    description     TEXT,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','archived')),
    archived_reason TEXT,
    created_at      TEXT NOT NULL
  ) STRICT;

  CREATE TABLE funders (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name            TEXT NOT NULL,
    type            TEXT NOT NULL DEFAULT 'foundation'
                    CHECK (type IN ('foundation','government','corporate','individual','other')),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','archived')),
    archived_reason TEXT,
    created_at      TEXT NOT NULL
  ) STRICT;

  CREATE TABLE funding (
    id          INTEGER PRIMARY KEY,
    funder_id   INTEGER NOT NULL REFERENCES funders(id),
    program_id  INTEGER NOT NULL REFERENCES programs(id),
    start_date  TEXT NOT NULL,
    end_date    TEXT,                     -- NULL = open-ended
    amount      INTEGER,                  -- cents
    reference   TEXT,
    created_at  TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
  ) STRICT;
  CREATE INDEX funding_funder ON funding(funder_id);
  CREATE INDEX funding_program ON funding(program_id);

  CREATE TABLE supervision_sessions (
    id            INTEGER PRIMARY KEY,
    supervisor_id INTEGER NOT NULL REFERENCES people(id),
    date          TEXT NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    format        TEXT NOT NULL CHECK (format IN ('individual','triadic','group')),
    modality      TEXT NOT NULL DEFAULT 'in-person' CHECK (modality IN ('in-person','video','phone')),
    program_id    INTEGER REFERENCES programs(id),
    topic         TEXT,
    voided_at     TEXT,
    void_reason   TEXT,
    created_at    TEXT NOT NULL
  ) STRICT;
  CREATE INDEX supervision_sessions_date ON supervision_sessions(date);
  CREATE INDEX supervision_sessions_supervisor ON supervision_sessions(supervisor_id);

  CREATE TABLE supervision_attendees (
    session_id    INTEGER NOT NULL REFERENCES supervision_sessions(id),
    supervisee_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (session_id, supervisee_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX supervision_attendees_supervisee ON supervision_attendees(supervisee_id);

  CREATE TABLE hours (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    program_id     INTEGER NOT NULL REFERENCES programs(id),
    date           TEXT NOT NULL,
    minutes        INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    activity       TEXT NOT NULL DEFAULT 'direct-service'
                   CHECK (activity IN ('direct-service','supervision','training','peer-support','outreach','admin','other')),
    miles          INTEGER NOT NULL DEFAULT 0 CHECK (miles >= 0),     -- hundredths of a mile
    expenses       INTEGER NOT NULL DEFAULT 0 CHECK (expenses >= 0),  -- cents, out-of-pocket
    reimbursed     INTEGER NOT NULL DEFAULT 0 CHECK (reimbursed IN (0,1)),
    status         TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('approved','pending','rejected')),
    reject_reason  TEXT,
    note           TEXT,
    voided_at      TEXT,
    void_reason    TEXT,
    supervision_id INTEGER REFERENCES supervision_sessions(id),
    import_id      INTEGER REFERENCES imports(id),
    fingerprint    BLOB,                  -- content hash used by idempotent imports
    seq            INTEGER,               -- k-th entry with this fingerprint
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
  ) STRICT;
  CREATE INDEX hours_date ON hours(date);
  CREATE INDEX hours_person_date ON hours(person_id, date);
  CREATE INDEX hours_program_date ON hours(program_id, date);
  CREATE UNIQUE INDEX hours_fingerprint ON hours(fingerprint, seq) WHERE fingerprint IS NOT NULL;
  CREATE INDEX hours_supervision ON hours(supervision_id) WHERE supervision_id IS NOT NULL;

  CREATE TABLE mentorships (
    id          INTEGER PRIMARY KEY,
    mentor_id   INTEGER NOT NULL REFERENCES people(id),
    mentee_id   INTEGER NOT NULL REFERENCES people(id),
    program_id  INTEGER REFERENCES programs(id),
    start_date  TEXT NOT NULL,
    end_date    TEXT,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','paused','ended')),
    outcome     TEXT CHECK (outcome IN ('completed','withdrawn','rematched','other')),
    end_reason  TEXT,
    goals       TEXT,
    created_at  TEXT NOT NULL,
    CHECK (mentor_id <> mentee_id)
  ) STRICT;
  CREATE UNIQUE INDEX mentorships_open_pair ON mentorships(mentor_id, mentee_id) WHERE status IN ('active','paused');

  CREATE TABLE mentorship_meetings (
    id            INTEGER PRIMARY KEY,
    mentorship_id INTEGER NOT NULL REFERENCES mentorships(id),
    date          TEXT NOT NULL,
    minutes       INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    note          TEXT,
    voided_at     TEXT,
    void_reason   TEXT,
    created_at    TEXT NOT NULL
  ) STRICT;
  CREATE INDEX mentorship_meetings_pairing ON mentorship_meetings(mentorship_id, date);

  CREATE TABLE grants (
    id            INTEGER PRIMARY KEY,
    grantee_id    INTEGER NOT NULL REFERENCES people(id),
    funder_id     INTEGER REFERENCES funders(id),
    program_id    INTEGER REFERENCES programs(id),
    purpose       TEXT NOT NULL,
    awarded_on    TEXT NOT NULL,
    amount        INTEGER NOT NULL CHECK (amount > 0),               -- cents
    currency      TEXT NOT NULL,
    service_minutes INTEGER,                                         -- service commitment
    status        TEXT NOT NULL DEFAULT 'awarded' CHECK (status IN ('awarded','active','completed','cancelled')),
    closed_on     TEXT,                                              -- date closed by grants close (NULL = open or completed by payment)
    closed_reason TEXT,
    created_at    TEXT NOT NULL
  ) STRICT;
  CREATE INDEX grants_funder ON grants(funder_id);
  CREATE INDEX grants_grantee ON grants(grantee_id);

  CREATE TABLE disbursements (
    id         INTEGER PRIMARY KEY,
    grant_id   INTEGER NOT NULL REFERENCES grants(id),
    amount     INTEGER NOT NULL CHECK (amount > 0),                  -- cents
    date       TEXT NOT NULL,                                        -- scheduled or paid date
    status     TEXT NOT NULL CHECK (status IN ('scheduled','paid','cancelled')),
    reference  TEXT,
    cancel_reason TEXT,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX disbursements_grant ON disbursements(grant_id);

  CREATE TABLE rates (
    kind   TEXT NOT NULL CHECK (kind IN ('volunteer-hour','mileage')),
    year   INTEGER NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0),                     -- cents (per hour / per mile)
    PRIMARY KEY (kind, year)
  ) STRICT;
  INSERT INTO rates(kind, year, amount) VALUES
    ('volunteer-hour', 2019, 2720), ('volunteer-hour', 2020, 2854), ('volunteer-hour', 2021, 2995),
    ('volunteer-hour', 2022, 3180), ('volunteer-hour', 2023, 3349),
    ('mileage', 1998, 14);
  `,

  // 2: covering indexes for the funder and tax reports (issue 7: both ≤ 0.5 s over 1M entries).
  // hours_report holds only what reports count (approved, not void) and leads with the entry's year:
  // the tax report reads one year grouped by person straight from it (no sort, no table lookups), the
  // funder report reads one year of one program's entries from it. Queries must use the same
  // expression, substr(date, 1, 4), and name the index (INDEXED BY): the planner otherwise prefers
  // hours_date / hours_program_date and then looks up every entry's row in the table.
  // people_rate: the skilled-hours test needs only a person's rate; the covering index keeps that
  // lookup (once per entry) out of the much larger people table.
  `
  CREATE INDEX hours_report ON hours(substr(date, 1, 4), person_id, date, program_id, activity, minutes, miles, expenses, reimbursed)
    WHERE status = 'approved' AND voided_at IS NULL;
  CREATE INDEX people_rate ON people(id, hourly_rate);
  `,

  // 3: work that must be finished later when it cannot be finished now (issue 15): an erasure whose
  // compaction a reader blocked stays listed here until a later command completes it.
  `
  CREATE TABLE maintenance_due (
    task    TEXT PRIMARY KEY,              -- 'purge': compact the file and empty the WAL after people forget
    since   TEXT NOT NULL,                 -- UTC ISO-8601
    detail  TEXT
  ) STRICT;
  `,

  // 4: figures that stay true after later edits (issue 16).
  // - rate_history: a person's hourly rate is dated; an entry is valued at the rate in force on its date.
  //   valid_from/valid_to are inclusive ISO dates ('0000-01-01' = from the start, '9999-12-31' = open).
  //   Each person's single rate so far becomes a rate from the start, as it applied until now: every
  //   figure already reported stays as it was, and an entry logged later for an earlier day is valued
  //   as it would have been. people.hourly_rate now holds the rate of the open span (what a roster
  //   export shows, the rate in force today: a rate never starts in the future).
  // - supervision_sessions keep the supervisor's credential and licence as they were when recorded;
  //   existing sessions are filled from today's records (the migration says so) and keep counting.
  `
  CREATE TABLE rate_history (
    person_id   INTEGER NOT NULL REFERENCES people(id),
    valid_from  TEXT NOT NULL,
    valid_to    TEXT NOT NULL,
    hourly_rate INTEGER NOT NULL CHECK (hourly_rate > 0),   -- cents per hour
    set_at      TEXT NOT NULL,
    PRIMARY KEY (person_id, valid_from),
    CHECK (valid_to >= valid_from)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO rate_history(person_id, valid_from, valid_to, hourly_rate, set_at)
    SELECT p.id, '0000-01-01', '9999-12-31', p.hourly_rate, p.updated_at
    FROM people p WHERE p.hourly_rate IS NOT NULL AND p.hourly_rate > 0;
  UPDATE people SET hourly_rate = NULL WHERE hourly_rate = 0;
  DROP INDEX IF EXISTS people_rate;

  ALTER TABLE supervision_sessions ADD COLUMN supervisor_credential TEXT;
  ALTER TABLE supervision_sessions ADD COLUMN supervisor_license_number TEXT;
  ALTER TABLE supervision_sessions ADD COLUMN supervisor_license_region TEXT;
  ALTER TABLE supervision_sessions ADD COLUMN supervisor_license_expires TEXT;
  -- 1: the supervisor held a licence valid on the session date (counts toward licensure);
  -- 0: recorded with --allow-unlicensed (never counts, the log marks it).
  ALTER TABLE supervision_sessions ADD COLUMN licensed INTEGER NOT NULL DEFAULT 1 CHECK (licensed IN (0, 1));
  UPDATE supervision_sessions SET
    supervisor_credential = (SELECT credential FROM people WHERE id = supervisor_id),
    supervisor_license_number = (SELECT license_number FROM people WHERE id = supervisor_id),
    supervisor_license_region = (SELECT license_region FROM people WHERE id = supervisor_id),
    supervisor_license_expires = (SELECT license_expires FROM people WHERE id = supervisor_id);
  `,

  // 5: an imported entry corrected by hand (hours edit) answers to two rows: the source row it came
  // from (source_fp, source_seq: re-importing the source file adds nothing) and its corrected content
  // (fingerprint, seq, as a hand-logged entry's: an export of it re-imports as unchanged). Entries
  // corrected before this version get their second key in a step after this SQL (migrate-steps.ts).
  `
  ALTER TABLE hours ADD COLUMN source_fp BLOB;
  ALTER TABLE hours ADD COLUMN source_seq INTEGER;
  CREATE UNIQUE INDEX hours_source ON hours(source_fp, source_seq) WHERE source_fp IS NOT NULL;
  `,

  // 6: every key an entry has had, not only its source row's: an entry corrected by hand (hours edit)
  // answers to each content it had before, so an export taken at any earlier time (or the file it was
  // imported from) re-imports as unchanged and never counts it twice. hours holds the current key;
  // hours_keys the earlier ones. Together a slot (fingerprint, seq) is held once.
  `
  CREATE TABLE hours_keys (
    fingerprint BLOB    NOT NULL,
    seq         INTEGER NOT NULL,
    entry_id    INTEGER NOT NULL REFERENCES hours(id) ON DELETE CASCADE,
    PRIMARY KEY (fingerprint, seq)
  ) WITHOUT ROWID;
  CREATE INDEX hours_keys_entry ON hours_keys(entry_id);
  INSERT INTO hours_keys(fingerprint, seq, entry_id) SELECT source_fp, source_seq, id FROM hours WHERE source_fp IS NOT NULL;
  DROP INDEX hours_source;
  ALTER TABLE hours DROP COLUMN source_fp;
  ALTER TABLE hours DROP COLUMN source_seq;
  `,

  // 7: the invalid rows of a committed hours import (--skip-invalid), until a fixed copy of the row is
  // imported from that import's rejects file (its error cells name the import): the fix-and-reimport
  // loop then ends as one corrected import would (fifth and sixth attacks). A row whose content was
  // known keeps the repeat slot it took (fingerprint, seq); the fixed row fills that slot. state:
  // open (waiting), filled (its fixed copy was imported), moved (still invalid in the rejects file,
  // it waits under the later import).
  `
  CREATE TABLE hours_rejected (
    import_id   INTEGER NOT NULL REFERENCES imports(id),
    line        INTEGER NOT NULL,
    fingerprint BLOB,
    seq         INTEGER,
    state       TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'filled', 'moved')),
    moved_to_import INTEGER,
    moved_to_line   INTEGER,
    person_id   INTEGER,                 -- the row's volunteer and date, when they could be read:
    date        TEXT,                    -- a fixed row imported without its rejects columns is named
    pending     INTEGER NOT NULL DEFAULT 0, -- the import ran with --pending: so does the fixed row
    PRIMARY KEY (import_id, line)
  ) WITHOUT ROWID;
  -- A random reference of each import, written into its rejects file with its id: ids start again
  -- after a restore and differ between databases; the pair does not (seventh attack, finding 2).
  ALTER TABLE imports ADD COLUMN token TEXT;
  `,

  // 8: licensure plans and what a grant still requires (issue 21).
  // - grants.service_by: the date by which a service commitment is due (NULL: no deadline).
  // - grant_requirements: reports, milestones and documents a grantee owes, with a due date; fulfilled
  //   when fulfilled_on is set. Overdue / due are derived from today (never stored).
  // - grant_repayments: what a grantee owes back when a grant with an unmet service commitment is
  //   cancelled (amount × unmet share of the committed minutes, applied to what was paid), recorded
  //   once, at the close, with the figures it was computed from.
  // - supervision_plans: one licensure plan per supervisee: a rule set (a key of the rule-set table in
  //   domain/licensure.ts, checked there, so that a new rule set needs no migration), start, optional
  //   end and required hours; supervision_plan_leave: its leave periods (inclusive dates).
  `
  ALTER TABLE grants ADD COLUMN service_by TEXT;
  CREATE TABLE grant_requirements (
    id           INTEGER PRIMARY KEY,
    grant_id     INTEGER NOT NULL REFERENCES grants(id),
    type         TEXT NOT NULL CHECK (type IN ('report','milestone','document')),
    due_on       TEXT NOT NULL,
    note         TEXT,
    fulfilled_on TEXT,
    created_at   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX grant_requirements_grant ON grant_requirements(grant_id);
  CREATE TABLE grant_repayments (
    id                INTEGER PRIMARY KEY,
    grant_id          INTEGER NOT NULL REFERENCES grants(id),
    computed_on       TEXT NOT NULL,                          -- the closing date
    paid              INTEGER NOT NULL CHECK (paid >= 0),     -- cents paid when cancelled
    committed_minutes INTEGER NOT NULL CHECK (committed_minutes > 0),
    served_minutes    INTEGER NOT NULL CHECK (served_minutes >= 0),
    amount            INTEGER NOT NULL CHECK (amount >= 0),   -- cents owed back
    created_at        TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX grant_repayments_grant ON grant_repayments(grant_id);
  CREATE TABLE supervision_plans (
    id               INTEGER PRIMARY KEY,
    supervisee_id    INTEGER NOT NULL REFERENCES people(id),
    rules            TEXT NOT NULL,
    start_date       TEXT NOT NULL,
    end_date         TEXT,
    required_minutes INTEGER CHECK (required_minutes > 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
  ) STRICT;
  CREATE UNIQUE INDEX supervision_plans_supervisee ON supervision_plans(supervisee_id);
  CREATE TABLE supervision_plan_leave (
    plan_id   INTEGER NOT NULL REFERENCES supervision_plans(id),
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    PRIMARY KEY (plan_id, from_date),
    CHECK (to_date >= from_date)
  ) STRICT, WITHOUT ROWID;
  `,

  // 9: the acknowledgment letters issued (report tax --letters): a row per letter written, with the
  // figures it states (the tax report's, at issue) and the SHA-256 of the PDF, so that a re-run knows
  // which letters went out and a reissue (--reissue) names the letter it replaces. No name or address:
  // those stay in people (people forget erases them there, and the hash, see store/privacy.ts).
  `
  CREATE TABLE tax_letters (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people(id),
    tax_year       INTEGER NOT NULL,
    issued_on      TEXT NOT NULL,                  -- the date printed on the letter
    service_days   INTEGER NOT NULL,
    hours_served   INTEGER NOT NULL,               -- hundredths of an hour, as the report shows them
    miles          INTEGER NOT NULL,               -- hundredths of a mile (unreimbursed entries)
    mileage_rate   INTEGER NOT NULL,               -- cents per mile
    mileage_amount INTEGER NOT NULL,               -- cents
    expenses       INTEGER NOT NULL,               -- cents
    total_deductible INTEGER NOT NULL,             -- cents
    largest_single_contribution INTEGER NOT NULL,  -- cents
    file_name      TEXT NOT NULL,                  -- tax-letter-<year>-<person_id>.pdf
    sha256         TEXT NOT NULL,                  -- of the PDF written ([erased] after people forget)
    replaces       INTEGER REFERENCES tax_letters(id), -- the earlier letter a reissue supersedes
    created_at     TEXT NOT NULL
  ) STRICT;
  CREATE INDEX tax_letters_year_person ON tax_letters(tax_year, person_id);
  `,
];

/**
 * What a migration did that the user should know, said once on stderr after it ran (counted after the
 * migrations, in the same transaction). Keyed by the version the migration brings the schema to.
 */
export const MIGRATION_NOTES: Record<number, string> = {
  4: `SELECT
        (SELECT COUNT(*) FROM rate_history) AS rates,
        (SELECT COUNT(*) FROM supervision_sessions) AS sessions`,
};

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
