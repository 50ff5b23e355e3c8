/**
 * `ngo db check` on a healthy database, then on copies broken with raw SQL (what a hand edit in a
 * SQLite browser, a bad restore or an old bug leaves behind): each broken rule is listed with its
 * detail, and the exit code is 5 for data rules, 6 for integrity problems (src/commands/admin.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { parseCsv, tmpDb, withDb } from '../helpers.js';

const ALL_CHECKS = [
  'writable',
  'not_world_readable',
  'no_leftover_files',
  'integrity',
  'foreign_keys',
  'schema_version',
  'hours_per_day',
  'disbursements_within_award',
  'no_self_supervision',
  'no_self_mentorship',
  'one_open_pairing_per_pair',
  'funding_no_overlap',
  'erased_people_scrubbed',
  'erasures_compacted',
];

let template: string;

beforeAll(async () => {
  const { db } = await tmpDb();
  const run = withDb(db);
  const steps: string[][] = [
    ['programs', 'add', 'TELE', '--name', 'Telehealth'],
    ['funders', 'add', 'F', '--name', 'Fund'],
    ['funders', 'fund', 'F', '--program', 'TELE', '--from', '2026-01-01', '--to', '2026-06-30', '--amount', '1000'],
    ['funders', 'fund', 'F', '--program', 'TELE', '--from', '2026-07-01', '--amount', '2000'], // #2: adjacent, not overlapping
    ['people', 'add', '--first', 'Ana', '--email', 'ana@example.org', '--roles', 'supervisor,mentor', '--license-number', 'L-1'], // #1
    ['people', 'add', '--first', 'Bo', '--email', 'bo@example.org'], // #2
    ['people', 'add', '--first', 'Cy', '--email', 'cy@example.org'], // #3
    ['hours', 'log', '2', '--program', 'TELE', '--hours', '12', '--date', '2026-04-01'], // hours #1
    ['hours', 'log', '2', '--program', 'TELE', '--hours', '12', '--date', '2026-04-01', '--allow-duplicate'], // hours #2: exactly 24 h that day
    ['supervision', 'add', '--supervisor', '1', '--supervisee', '2,3', '--hours', '1', '--date', '2026-03-02'], // session #1
    ['mentorship', 'pair', '1', '2', '--start', '2026-01-01'], // #1
    ['mentorship', 'end', '1', '--date', '2026-02-01', '--outcome', 'rematched'],
    ['mentorship', 'pair', '1', '2', '--start', '2026-02-02'], // #2: the same pair again, only one open
    ['grants', 'award', '2', '--amount', '1500', '--purpose', 'training', '--funder', 'F', '--date', '2026-02-01'], // grant #1
    ['grants', 'disburse', '1', '--amount', '500', '--date', '2026-02-02'],
    ['grants', 'disburse', '1', '--amount', '1000', '--date', '2026-03-02', '--scheduled'], // exactly the award
    ['people', 'forget', '3', '--yes'],
    ['people', 'archive', '3', '--reason', 'left the programme', '--yes'], // an erased person may be archived
  ];
  for (const args of steps) {
    const r = await run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  template = db;
});

async function copy(): Promise<string> {
  const { db } = await tmpDb();
  fs.copyFileSync(template, db);
  return db;
}

function raw(db: string, fn: (d: Database.Database) => void): void {
  const d = new Database(db);
  try {
    fn(d);
  } finally {
    d.close();
  }
}

async function check(db: string) {
  const r = await withDb(db)(['db', 'check']);
  const rows = parseCsv(r.stdout);
  return {
    ...r,
    rows,
    failed: rows.filter((x) => x['status'] === 'fail').map((x) => x['check']),
    detail: Object.fromEntries(rows.map((x) => [x['check'], x['detail']])),
  };
}

const NOW = '2026-05-01T00:00:00.000Z';

interface Broken {
  name: string;
  /** Break it with SQL on a plain connection … */
  sql?: (d: Database.Database) => void;
  /** … or by editing the file's bytes. */
  file?: (db: string) => void;
  failed: string[];
  code: 5 | 6;
  detail?: Record<string, string | RegExp>;
}

const broken: Broken[] = [
  {
    name: 'disbursements (paid + scheduled) beyond the award',
    sql: (d) => d.prepare("INSERT INTO disbursements(grant_id, amount, date, status, created_at) VALUES (1, 1, '2026-03-03', 'scheduled', ?)").run(NOW),
    failed: ['disbursements_within_award'],
    code: 5,
    detail: { disbursements_within_award: 'grant #1: 1500.01 disbursed of 1500.00' },
  },
  {
    name: 'a supervisor supervising themself',
    sql: (d) => {
      const s = d
        .prepare("INSERT INTO supervision_sessions(supervisor_id, date, minutes, format, created_at) VALUES (2, '2026-03-05', 60, 'individual', ?)")
        .run(NOW).lastInsertRowid;
      d.prepare('INSERT INTO supervision_attendees(session_id, supervisee_id) VALUES (?, 2)').run(s);
    },
    failed: ['no_self_supervision'],
    code: 5,
    detail: { no_self_supervision: 'session #2' },
  },
  {
    name: 'a foreign key violation (inserted with foreign_keys=OFF)',
    sql: (d) => {
      d.pragma('foreign_keys = OFF');
      d.prepare("INSERT INTO hours(id, person_id, program_id, date, minutes, created_at, updated_at) VALUES (77, 999, 1, '2026-04-02', 60, ?, ?)").run(
        NOW,
        NOW,
      );
    },
    failed: ['foreign_keys'],
    code: 6,
    detail: { foreign_keys: 'hours row 77 → missing people' },
  },
  {
    name: 'a mentorship pairing whose mentor is the mentee (CHECK bypassed)',
    sql: (d) => {
      d.pragma('ignore_check_constraints = ON');
      d.prepare("INSERT INTO mentorships(id, mentor_id, mentee_id, start_date, created_at) VALUES (9, 3, 3, '2026-03-01', ?)").run(NOW);
    },
    // SQLite's integrity_check verifies CHECK constraints too, so this is also an integrity failure (exit 6);
    // the rule names the pairing.
    failed: ['integrity', 'no_self_mentorship'],
    code: 6,
    detail: { no_self_mentorship: 'pairing #9', integrity: /CHECK constraint failed in mentorships/ },
  },
  {
    name: 'two open pairings of the same mentor and mentee (unique index dropped)',
    sql: (d) => {
      d.exec('DROP INDEX mentorships_open_pair');
      d.prepare("INSERT INTO mentorships(id, mentor_id, mentee_id, start_date, status, created_at) VALUES (5, 1, 2, '2026-03-01', 'paused', ?)").run(NOW);
    },
    failed: ['one_open_pairing_per_pair'],
    code: 5,
    detail: { one_open_pairing_per_pair: 'mentor #1 and mentee #2: pairings #2, #5' },
  },
  {
    name: 'two funding agreements of one funder and program that overlap',
    sql: (d) => d.prepare("INSERT INTO funding(funder_id, program_id, start_date, end_date, created_at) VALUES (1, 1, '2026-06-30', '2026-07-01', ?)").run(NOW),
    failed: ['funding_no_overlap'],
    code: 5,
    detail: { funding_no_overlap: 'agreements #1 and #3; agreements #2 and #3' },
  },
  {
    name: 'an erased person with personal data written back',
    sql: (d) => d.prepare("UPDATE people SET email = 'cy@example.org' WHERE id = 3").run(),
    failed: ['erased_people_scrubbed'],
    code: 5,
    detail: { erased_people_scrubbed: 'person #3' },
  },
  {
    name: 'an index page whose keys no longer match the table (bytes damaged on disk)',
    file: (db) => {
      const { root, size } = (() => {
        const d = new Database(db, { readonly: true });
        try {
          return {
            root: (d.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'hours_date'").get() as { rootpage: number }).rootpage,
            size: d.pragma('page_size', { simple: true }) as number,
          };
        } finally {
          d.close();
        }
      })();
      const buf = fs.readFileSync(db);
      const page = buf.subarray((root - 1) * size, root * size);
      const at = page.indexOf('2026-04-01');
      expect(at).toBeGreaterThan(0);
      page.write('1999', at); // the index now holds 1999-04-01 for a row dated 2026-04-01
      fs.writeFileSync(db, buf);
    },
    failed: ['integrity'],
    code: 6,
    detail: { integrity: /hours_date/ },
  },
  {
    name: 'a rule and an integrity problem together: integrity decides the code',
    sql: (d) => {
      d.prepare("INSERT INTO hours(person_id, program_id, date, minutes, created_at, updated_at) VALUES (2, 1, '2026-04-01', 40, ?, ?)").run(NOW, NOW);
      d.pragma('foreign_keys = OFF');
      d.prepare("INSERT INTO grants(id, grantee_id, purpose, awarded_on, amount, currency, created_at) VALUES (8, 404, 'x', '2026-01-01', 100, 'USD', ?)").run(
        NOW,
      );
    },
    failed: ['foreign_keys'],
    code: 6,
    detail: { foreign_keys: 'grants row 8 → missing people' },
  },
];

describe('ngo db check', () => {
  it('a healthy database (edge cases included: exactly 24 h, exactly the award, a re-paired pair, an archived erased person) passes: exit 0, every check ok', async () => {
    const r = await check(await copy());
    expect(r.code, r.stderr).toBe(0);
    expect(r.rows.map((x) => x['check'])).toEqual(ALL_CHECKS);
    expect(r.failed).toEqual([]);
    expect(r.stderr).toContain('all checks passed');
  });

  it.each(broken)('$name', async (c) => {
    const db = await copy();
    if (c.sql) raw(db, c.sql);
    c.file?.(db);
    const r = await check(db);
    expect(r.code, r.stderr).toBe(c.code);
    expect(r.failed).toEqual(c.failed);
    expect(r.rows.map((x) => x['check'])).toEqual(ALL_CHECKS);
    expect(r.stderr).toContain(`ngo: error: ${c.failed.length} check(s) failed: ${c.failed.join(', ')}`);
    for (const [k, v] of Object.entries(c.detail ?? {})) {
      if (typeof v === 'string') expect(r.detail[k]).toBe(v);
      else expect(r.detail[k]).toMatch(v);
    }
  });

  it('more than 24 h in one day for one person is listed for review (status warn) and does not fail: hours log only warns about it (issue 19)', async () => {
    const db = await copy();
    raw(db, (d) =>
      d.prepare("INSERT INTO hours(person_id, program_id, date, minutes, created_at, updated_at) VALUES (2, 1, '2026-04-01', 40, ?, ?)").run(NOW, NOW),
    );
    const r = await check(db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.failed).toEqual([]);
    expect(r.rows.find((x) => x['check'] === 'hours_per_day')).toEqual({
      check: 'hours_per_day',
      status: 'warn',
      detail: 'person #2 on 2026-04-01: 24.67 h',
    });
    expect(r.stderr).toContain('ngo: warning: review hours_per_day: person #2 on 2026-04-01: 24.67 h');
    expect(r.stderr).toContain('all checks passed (1 to review)');
  });

  it('entries that do not count are not flagged: voided or rejected hours, cancelled disbursements, ended pairings', async () => {
    const db = await copy();
    raw(db, (d) => {
      d.prepare(
        "INSERT INTO hours(person_id, program_id, date, minutes, voided_at, void_reason, created_at, updated_at) VALUES (2, 1, '2026-04-01', 600, ?, 'dup', ?, ?)",
      ).run(NOW, NOW, NOW);
      d.prepare(
        "INSERT INTO hours(person_id, program_id, date, minutes, status, reject_reason, created_at, updated_at) VALUES (2, 1, '2026-04-01', 600, 'rejected', 'no', ?, ?)",
      ).run(NOW, NOW);
      d.prepare(
        "INSERT INTO disbursements(grant_id, amount, date, status, cancel_reason, created_at) VALUES (1, 99999, '2026-03-03', 'cancelled', 'typo', ?)",
      ).run(NOW);
      d.prepare(
        "INSERT INTO mentorships(mentor_id, mentee_id, start_date, end_date, status, outcome, created_at) VALUES (1, 2, '2025-01-01', '2025-06-01', 'ended', 'completed', ?)",
      ).run(NOW);
    });
    const r = await check(db);
    expect(r.code, r.stdout).toBe(0);
    expect(r.failed).toEqual([]);
  });

  it('no database at the path: exit 6, and none is created', async () => {
    const { db } = await tmpDb({ create: false });
    const r = await withDb(db)(['db', 'check']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^ngo: error: no ngo database at .*ngo\.db$/m);
    expect(fs.existsSync(db)).toBe(false);
  });
});
