/**
 * Figures that stay true after later edits (issue 16, SPEC "Figures that stay true"): dated hourly
 * rates, supervisor licence snapshots, the licence rule, the over-agreement warning, and roster rows
 * that claim their keys even when invalid.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dbHash, mustSucceed, ngo, ON_PG, parseCsv, query, queryValue, tmpDb, withDb } from '../helpers.js';
import { MIGRATIONS } from '../../src/store/schema.js';

/** An NGO with a closed period (2025) of hours, supervision, mentoring and grants. */
async function world() {
  const { dir, db } = await tmpDb();
  const run = withDb(db, { cwd: dir });
  const ok = mustSucceed(run);
  await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
  await ok(['programs', 'add', 'TRAIN', '--name', 'Training']);
  await ok(['funders', 'add', 'HOPE', '--name', 'Hope Foundation']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2025-01-01', '--to', '2026-12-31', '--amount', '50000.00']);
  await ok(['funders', 'fund', 'HOPE', '--program', 'TRAIN', '--from', '2025-01-01']);
  await ok(['rates', 'set', 'volunteer-hour', '2025', '34.79']);
  const roster = [
    'external_id,first_name,last_name,email,roles,credential,license_number,license_region,license_expires,hourly_rate',
    'V1,Grace,Mensah,grace@example.org,supervisor;mentor,LPC-S,12345,TX,2026-06-30,95.00',
    'V2,Ana,Okafor,ana@example.org,supervisee;volunteer,,,,,',
    'V3,Ben,Lee,ben@example.org,supervisee;volunteer,,,,,',
    'V4,Sam,Ruiz,sam@example.org,volunteer,LCSW,777,NY,2027-01-31,80.00',
  ];
  fs.writeFileSync(path.join(dir, 'roster.csv'), roster.join('\n') + '\n');
  await ok(['people', 'import', 'roster.csv']);
  const hours = [
    'external_id,date,hours,program,activity,miles,expenses',
    'V1,2025-03-03,2,TELE,direct-service,10,5.00',
    'V1,2025-07-15,1.5,TRAIN,training,,',
    'V2,2025-03-04,3,TELE,outreach,12,',
    'V4,2025-08-01,4,TELE,direct-service,,',
    'V4,2025-08-02,1,TELE,admin,,',
    'V3,2025-11-20,2.25,TRAIN,peer-support,,',
  ];
  fs.writeFileSync(path.join(dir, 'hours.csv'), hours.join('\n') + '\n');
  await ok(['hours', 'import', 'hours.csv']);
  await ok(['supervision', 'add', '--supervisor', 'V1', '--supervisee', 'V2', '--hours', '1', '--date', '2025-04-02', '--program', 'TRAIN']);
  await ok([
    'supervision',
    'add',
    '--supervisor',
    'V1',
    '--supervisee',
    'V2,V3,V4',
    '--hours',
    '1.5',
    '--date',
    '2025-05-07',
    '--program',
    'TRAIN',
    '--log-hours',
  ]);
  await ok(['supervision', 'add', '--supervisor', 'V4', '--supervisee', 'V2', '--hours', '1', '--date', '2025-06-11']);
  const pair = (await ok(['mentorship', 'pair', 'V1', 'V3', '--program', 'TRAIN', '--start', '2025-02-01'])).stdout.trim();
  await ok(['mentorship', 'meet', pair, '--hours', '1', '--date', '2025-03-10']);
  await ok(['grants', 'award', 'V2', '--amount', '1500.00', '--purpose', 'exam fees', '--funder', 'HOPE', '--program', 'TRAIN', '--date', '2025-02-01']);
  await ok(['grants', 'disburse', '1', '--amount', '500.00', '--date', '2025-03-01']);
  return { dir, db, run, ok };
}

async function closedPeriodReports(ok: ReturnType<typeof mustSucceed>) {
  return {
    funder: (await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2025'])).stdout,
    detail: (await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2025', '--detail'])).stdout,
    log: (await ok(['report', 'supervision', '--supervisee', 'V2', '--period', '2025'])).stdout,
    grants: (await ok(['report', 'grants', '--period', '2025'])).stdout,
    hours: (await ok(['report', 'hours', '--period', '2025', '--by', 'program'])).stdout,
  };
}

describe('a closed period gives the same bytes after later edits', () => {
  it("rate edits, licence edits, archiving and re-importing the roster change no byte of 2025's funder report, detail, supervision log or grants report", async () => {
    const { dir, ok } = await world();
    const before = await closedPeriodReports(ok);
    // The figures themselves, by hand: skilled = Grace 2 h direct + 1.5 h training + 1.5 h supervision
    // (--log-hours, TRAIN) = 5 h at 95.00 = 475.00, Sam 4 h at 80.00 = 320.00; general = Ana 3 h (104.37) +
    // Sam 1 h admin (34.79) + Ben 2.25 h (78.28) at 34.79, each entry rounded.
    const total = parseCsv(before.funder).find((r) => r['program_code'] === 'TOTAL')!;
    expect(total).toMatchObject({
      volunteer_hours: '15.25',
      skilled_hours: '9.00',
      general_hours: '6.25',
      inkind_skilled: '795.00',
      inkind_general: '217.44',
      inkind_total: '1012.44',
    });

    await ok(['people', 'edit', 'grace@example.org', '--rate', '120.00']); // from today (2026-11-23)
    await ok(['people', 'edit', 'sam@example.org', '--rate', '']); // no rate from today on
    await ok([
      'people',
      'edit',
      'grace@example.org',
      '--license-number',
      '99999',
      '--license-region',
      'CA',
      '--credential',
      'LMFT',
      '--license-expires',
      '2029-12-31',
    ]);
    await ok(['people', 'edit', 'ben@example.org', '--rate', '60.00']);
    await ok(['people', 'archive', 'sam@example.org', '--reason', 'moved away', '--yes']);
    await ok(['programs', 'archive', 'TELE', '--reason', 'ended', '--yes']);
    const roster = [
      'external_id,email,hourly_rate,license_number,license_expires,phone,roles',
      'V1,grace@example.org,130.00,55555,2030-01-31,555-0101,supervisor',
      'V2,ana@example.org,70.00,,,555-0102,supervisee',
      'V4,sam@example.org,90.00,888,2028-01-31,,volunteer',
    ];
    fs.writeFileSync(path.join(dir, 'roster2.csv'), roster.join('\n') + '\n');
    expect((await ok(['people', 'import', 'roster2.csv'])).stderr).toContain('updated 3,');
    const after = await closedPeriodReports(ok);
    expect(after.funder).toBe(before.funder);
    expect(after.detail).toBe(before.detail);
    expect(after.log).toBe(before.log);
    expect(after.grants).toBe(before.grants);
    expect(after.hours).toBe(before.hours);
    // The log shows the licence as it was when each session was recorded.
    expect(
      parseCsv(after.log).map((r) => [r['supervisor'], r['supervisor_credential'], r['supervisor_license_number'], r['supervisor_license_region']]),
    ).toEqual([
      ['Grace Mensah', 'LPC-S', '12345', 'TX'],
      ['Grace Mensah', 'LPC-S', '12345', 'TX'],
      ['Sam Ruiz', 'LCSW', '777', 'NY'],
    ]);
    // Hours logged now, in 2026, are valued at today's rates.
    await ok(['programs', 'restore', 'TELE', '--yes']);
    await ok(['hours', 'log', 'grace@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-23']);
    const now = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--from', '2026-11-23', '--to', '2026-11-23'])).stdout);
    expect(now.find((r) => r['program_code'] === 'TOTAL')!['inkind_skilled']).toBe('130.00');
  });
});

describe('dated hourly rates', () => {
  it('an entry before a rate change and one after are valued at their own rates in one report; people show lists the history', async () => {
    const { db, run, ok } = await world();
    await ok(['hours', 'log', 'grace@example.org', '--program', 'TELE', '--hours', '2', '--date', '2026-03-01']);
    await ok(['hours', 'log', 'grace@example.org', '--program', 'TELE', '--hours', '3', '--date', '2026-06-01']);
    const e = await run(['people', 'edit', 'grace@example.org', '--rate', '120.00', '--rate-from', '2026-05-01']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toContain(
      'ngo: warning: the new rate values 1 entry dated from 2026-05-01 on: reports for periods from 2026-05-01 change (earlier periods do not)',
    );
    const report = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2026'])).stdout);
    // 2 h × 95.00 + 3 h × 120.00 = 190.00 + 360.00.
    expect(report.find((r) => r['program_code'] === 'TELE')).toMatchObject({ skilled_hours: '5.00', inkind_skilled: '550.00' });
    const detail = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2026', '--detail'])).stdout).filter((r) => r['item'] === 'hours');
    expect(detail.map((r) => [r['date'], r['rate'], r['inkind_value']])).toEqual([
      ['2026-03-01', '95.00', '190.00'],
      ['2026-06-01', '120.00', '360.00'],
    ]);
    // The history, and the rate a roster export shows (the open one).
    const show = await ok(['people', 'show', 'grace@example.org']);
    expect(show.stdout).toContain('valid_from,valid_to,hourly_rate\n,2026-04-30,95.00\n2026-05-01,,120.00\n');
    expect(JSON.parse((await ok(['people', 'show', 'grace@example.org', '--json'])).stdout)[0]).toMatchObject({
      hourly_rate: 120,
      rate_history: [
        { valid_from: null, valid_to: '2026-04-30', hourly_rate: 95 },
        { valid_from: '2026-05-01', valid_to: null, hourly_rate: 120 },
      ],
    });
    // The audit log records the change with its date and both histories.
    const audit = JSON.parse((await ok(['audit', '--entity', 'person', '--id', '1', '--json'])).stdout) as { changes: string }[];
    expect(JSON.parse(audit.at(-1)!.changes)).toEqual({
      hourly_rate: [95, 120], // shown in units (95.00, 120.00); stored in cents,
      rate_from: [null, '2026-05-01'],
      rate_history: ['95.00 from the start', '95.00 from the start to 2026-04-30; 120.00 from 2026-05-01'],
    });
    // No rate from a date on: the later entry becomes general time; the earlier keeps 95.00.
    await ok(['people', 'edit', 'grace@example.org', '--rate', '', '--rate-from', '2026-05-15']);
    const r2 = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2026'])).stdout).find((r) => r['program_code'] === 'TELE')!;
    expect(r2).toMatchObject({ skilled_hours: '2.00', inkind_skilled: '190.00' });
    // The same rate again changes nothing (no audit entry).
    const n = await withRawCount(db, 'SELECT count(*) FROM audit_log');
    await ok(['people', 'edit', 'grace@example.org', '--rate', '', '--rate-from', '2026-06-01']);
    expect(await withRawCount(db, 'SELECT count(*) FROM audit_log')).toBe(n);
  });

  it('--rate 0 is exit 3 everywhere (an empty rate means a general volunteer); --rate-from needs --rate', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    for (const args of [
      ['people', 'add', '--first', 'Zed', '--rate', '0'],
      ['people', 'add', '--first', 'Zed', '--rate', '0.00'],
      ['people', 'edit', 'grace@example.org', '--rate', '0'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toMatch(/^ngo: error: --rate: invalid hourly_rate "0(\.00)?" \(must be more than 0; leave it empty for a general volunteer\)$/m);
    }
    const imp = await run(['people', 'import', '-'], { stdin: 'email,hourly_rate\ngrace@example.org,0\n' });
    expect(imp.code).toBe(3);
    expect(imp.stderr).toMatch(/^ngo: error: line 2, column "hourly_rate": invalid hourly_rate "0"/m);
    const rf = await run(['people', 'edit', 'grace@example.org', '--rate-from', '2026-01-01']);
    expect(rf.code).toBe(2);
    expect(rf.stderr).toContain('--rate-from goes with --rate');
    expect(await dbHash(db)).toBe(before);
  });

  it("the roster import changes a rate from the import date; a new person's rate applies from the start", async () => {
    const { ok } = await world();
    await ok(['hours', 'log', 'sam@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-01']);
    await ok(['people', 'import', '-'], { stdin: 'email,first_name,hourly_rate\nsam@example.org,Sam,100.00\nnew@example.org,Nia,70.00\n' });
    expect((await ok(['people', 'show', 'sam@example.org'])).stdout).toContain('valid_from,valid_to,hourly_rate\n,2026-11-22,80.00\n2026-11-23,,100.00\n');
    expect((await ok(['people', 'show', 'new@example.org'])).stdout).toContain('valid_from,valid_to,hourly_rate\n,,70.00\n');
    // Sam's entry of 2026-11-01 keeps 80.00; Nia's back-dated entry takes her rate.
    await ok(['hours', 'log', 'new@example.org', '--program', 'TELE', '--hours', '2', '--date', '2026-10-01']);
    const r = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--from', '2026-10-01', '--to', '2026-11-30'])).stdout).find(
      (x) => x['program_code'] === 'TELE',
    )!;
    expect(r['inkind_skilled']).toBe('220.00'); // 1 × 80.00 + 2 × 70.00
    // Re-importing the same roster is unchanged.
    const again = await ok(['people', 'import', '-'], { stdin: 'email,first_name,hourly_rate\nsam@example.org,Sam,100.00\nnew@example.org,Nia,70.00\n' });
    expect(again.stderr).toContain('inserted 0, updated 0, unchanged 2,');
  });
});

async function withRawCount(db: string, sql: string): Promise<number> {
  return Number(await queryValue(db, sql));
}

describe('supervisor licences', () => {
  it("a session after the supervisor's licence expired, or by a supervisor with none, exits 5 and writes nothing", async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const expired = await run([
      'supervision',
      'add',
      '--supervisor',
      'grace@example.org',
      '--supervisee',
      'ana@example.org',
      '--hours',
      '1',
      '--date',
      '2026-07-01',
    ]);
    expect(expired.code).toBe(5);
    expect(expired.stderr).toMatch(
      /^ngo: error: #1 Grace Mensah <grace@example.org> \(external id V1\) licence 12345 expired on 2026-06-30: a session on 2026-07-01 under them would not count toward licensure$/m,
    );
    expect(expired.stderr).toMatch(/^hint: .*--allow-unlicensed/m);
    const none = await run([
      'supervision',
      'add',
      '--supervisor',
      'ben@example.org',
      '--supervisee',
      'ana@example.org',
      '--hours',
      '1',
      '--date',
      '2026-07-01',
    ]);
    expect(none.code).toBe(5);
    expect(none.stderr).toContain('has no licence on record');
    expect(await dbHash(db)).toBe(before);
    // On the expiry day itself the licence is still valid.
    expect(
      (await run(['supervision', 'add', '--supervisor', 'grace@example.org', '--supervisee', 'ana@example.org', '--hours', '1', '--date', '2026-06-30'])).code,
    ).toBe(0);
  });

  it('--allow-unlicensed records it; it never counts toward licensure and the log marks it', async () => {
    const { ok, run } = await world();
    const r = await run([
      'supervision',
      'add',
      '--supervisor',
      'grace@example.org',
      '--supervisee',
      'ana@example.org',
      '--hours',
      '2',
      '--date',
      '2026-07-01',
      '--allow-unlicensed',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `ngo: warning: Grace Mensah licence 12345 expired on 2026-06-30: session #${r.stdout.trim()} is recorded but never counts toward licensure (the log marks it)`,
    );
    const log = parseCsv((await ok(['report', 'supervision', '--supervisee', 'ana@example.org'])).stdout);
    expect(log.map((x) => [x['date'], x['supervisor_credential'], x['hours'], x['cumulative_hours']])).toEqual([
      ['2025-04-02', 'LPC-S', '1.00', '1.00'],
      ['2025-05-07', 'LPC-S', '1.50', '2.50'],
      ['2025-06-11', 'LCSW', '1.00', '3.50'],
      ['2026-07-01', 'LPC-S [NOT COUNTED: supervisor licence 12345 expired on 2026-06-30]', '2.00', '3.50'],
    ]);
    const progress = parseCsv((await ok(['supervision', 'progress', '--supervisee', 'ana@example.org'])).stdout);
    expect(progress.find((x) => x['month'] === '2026-07')).toMatchObject({ sessions: '0', hours: '0.00' });
    expect(progress.find((x) => x['month'] === 'TOTAL')).toMatchObject({ hours: '3.50' });
  });
});

describe('awards beyond the funding agreement', () => {
  it('an award that takes the awards under one funder and program past the agreement is recorded with a warning', async () => {
    const { ok, run } = await world();
    const a = await run([
      'grants',
      'award',
      'ana@example.org',
      '--amount',
      '30000.00',
      '--purpose',
      'clinic rent',
      '--funder',
      'HOPE',
      '--program',
      'TELE',
      '--date',
      '2026-01-15',
    ]);
    expect(a.code).toBe(0);
    expect(a.stderr).not.toContain('warning');
    // Exactly the agreement's amount is within it.
    const exact = await run([
      'grants',
      'award',
      'sam@example.org',
      '--amount',
      '20000.00',
      '--purpose',
      'books',
      '--funder',
      'HOPE',
      '--program',
      'TELE',
      '--date',
      '2026-01-20',
    ]);
    expect(exact.stderr).not.toContain('warning');
    await ok(['grants', 'close', exact.stdout.trim(), '--status', 'cancelled', '--reason', 'test', '--yes']);
    const b = await run([
      'grants',
      'award',
      'ben@example.org',
      '--amount',
      '30000.00',
      '--purpose',
      'clinic staff',
      '--funder',
      'HOPE',
      '--program',
      'TELE',
      '--date',
      '2026-02-15',
    ]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain(
      `ngo: warning: awards under HOPE / TELE now total 60000.00 (2 grants), more than the 50000.00 of funding agreement #1 (2025-01-01..2026-12-31); grant #${b.stdout.trim()} is recorded`,
    );
    expect(parseCsv((await ok(['grants', 'list', '--status', 'all'])).stdout)).toHaveLength(4);
    // Cancelled awards do not count; awards outside the agreement's dates neither.
    await ok(['grants', 'close', a.stdout.trim(), '--status', 'cancelled', '--reason', 'withdrawn', '--yes']);
    const c = await run([
      'grants',
      'award',
      'sam@example.org',
      '--amount',
      '10000.00',
      '--purpose',
      'x',
      '--funder',
      'HOPE',
      '--program',
      'TELE',
      '--date',
      '2026-03-01',
    ]);
    expect(c.stderr).not.toContain('warning');
  });
});

describe('the fix-and-reimport loop of a rejects file', () => {
  it('an invalid row claims its email and external id: a later row with the same one is rejected too, and re-importing the fixed rows never changes another person', async () => {
    const { dir, db, run, ok } = await world();
    const people = () => query(db, 'SELECT id, external_id, first_name, email, license_expires FROM people ORDER BY id');
    const before = await people();
    const file = [
      'external_id,first_name,email,license_expires',
      'V10,Kim,kim@example.org,2027-02-30', // invalid: no such day
      'V11,Kip,kim@example.org,2027-01-01', // valid, but the same email as line 2
      'V12,Lou,lou@example.org,2027-01-01',
    ];
    fs.writeFileSync(path.join(dir, 'r.csv'), file.join('\n') + '\n');
    const r = await run(['people', 'import', 'r.csv', '--skip-invalid', '--rejects', 'rejects.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/line 3, column "email": the same person as line 2 \(email kim@example.org\)/);
    expect(r.stderr).toContain('inserted 1, updated 0, unchanged 0, skipped 0, invalid 2');
    const rejects = fs.readFileSync(path.join(dir, 'rejects.csv'), 'utf8').split('\n');
    expect(rejects.slice(1, 3).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'V10,Kim,kim@example.org,2027-02-30',
      'V11,Kip,kim@example.org,2027-01-01',
    ]);
    // The administrator fixes line 2's date and imports the rejects file as it is.
    const fixed = fs.readFileSync(path.join(dir, 'rejects.csv'), 'utf8').replace('2027-02-30', '2027-02-28');
    fs.writeFileSync(path.join(dir, 'fixed.csv'), fixed);
    const again = await run(['people', 'import', 'fixed.csv', '--skip-invalid']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/line 3, column "email": the same person as line 2/);
    const after = (await people()) as { external_id: string; first_name: string; email: string }[];
    // Everyone who was there is unchanged; Kim (V10) and Lou exist once each; nobody became V11.
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((p) => [p.external_id, p.first_name, p.email])).toEqual([
      ['V12', 'Lou', 'lou@example.org'],
      ['V10', 'Kim', 'kim@example.org'],
    ]);
    void ok;
  });
});

describe('migration 4 keeps every figure', () => {
  // A file at schema 3 is an SQLite file (PostgreSQL databases start at the latest schema).
  it.skipIf(ON_PG)(
    "a single rate becomes a dated rate from the start (every figure as before); sessions get their supervisor's licence; both are announced",
    async () => {
      const { db } = await tmpDb({ create: false });
      const raw = new Database(db);
      for (const m of MIGRATIONS.slice(0, 3)) raw.exec(m);
      raw.pragma('user_version = 3');
      const now = '2025-01-01T00:00:00.000Z';
      raw.prepare("INSERT INTO programs(code, name, created_at) VALUES ('TELE', 'Telehealth', ?)").run(now);
      raw.prepare("INSERT INTO funders(code, name, created_at) VALUES ('HOPE', 'Hope', ?)").run(now);
      raw.prepare("INSERT INTO funding(funder_id, program_id, start_date, created_at) VALUES (1, 1, '2024-01-01', ?)").run(now);
      const person = raw.prepare(
        'INSERT INTO people(first_name, email, hourly_rate, credential, license_number, license_region, license_expires, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      person.run('Grace', 'grace@example.org', 9500, 'LPC-S', '12345', 'TX', '2026-06-30', now, now);
      person.run('Zero', 'zero@example.org', 0, null, null, null, null, now, now); // an old "$0 skilled" rate
      person.run('Ana', 'ana@example.org', null, null, null, null, null, now, now);
      person.run('Idle', 'idle@example.org', 7000, null, null, null, null, now, now);
      const hours = raw.prepare(
        "INSERT INTO hours(person_id, program_id, date, minutes, activity, created_at, updated_at) VALUES (?, 1, ?, ?, 'direct-service', ?, ?)",
      );
      hours.run(1, '2024-03-01', 120, now, now);
      hours.run(1, '2024-09-01', 60, now, now);
      hours.run(2, '2024-04-01', 60, now, now);
      raw.prepare("INSERT INTO supervision_sessions(supervisor_id, date, minutes, format, created_at) VALUES (1, '2024-05-01', 60, 'individual', ?)").run(now);
      raw.prepare('INSERT INTO supervision_attendees VALUES (1, 3)').run();
      raw.close();
      const r = await ngo(['--db', db, 'init']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('schema 4: the hourly rates of 2 people are now dated (each applies from the start, as until now;');
      expect(r.stderr).toContain(
        "schema 4: 1 earlier supervision session now keeps the supervisor's credential and licence, filled from the supervisors' records as they are today",
      );
      const run = mustSucceed(withDb(db));
      expect((await run(['people', 'show', 'grace@example.org'])).stdout).toContain('valid_from,valid_to,hourly_rate\n,,95.00\n');
      // An hour logged now for a day before Grace's first entry is valued at her rate, as it was before.
      await run(['hours', 'log', 'grace@example.org', '--program', 'TELE', '--hours', '1', '--date', '2024-01-15']);
      expect((await run(['people', 'show', 'idle@example.org'])).stdout).toContain('valid_from,valid_to,hourly_rate\n,,70.00\n');
      // 3 h at 95.00 skilled; Zero's hour is general now (at the 2023 rate 33.49, carried into 2024).
      const f = parseCsv((await run(['report', 'funder', '--funder', 'HOPE', '--period', '2024'])).stdout).find((x) => x['program_code'] === 'TOTAL')!;
      expect(f).toMatchObject({ skilled_hours: '4.00', inkind_skilled: '380.00', general_hours: '1.00', inkind_general: '33.49' });
      expect(parseCsv((await run(['report', 'supervision', '--supervisee', 'ana@example.org'])).stdout)[0]).toMatchObject({
        supervisor_credential: 'LPC-S',
        supervisor_license_number: '12345',
        cumulative_hours: '1.00',
      });
    },
  );
});

describe('second round: what a black-box check of issue 16 found', () => {
  it("cancelling a grant today leaves the past periods' grants_outstanding as it was; periods after the cancellation owe nothing", async () => {
    const { ok } = await world();
    const before = (await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2025-Q3'])).stdout;
    expect(parseCsv(before).find((r) => r['program_code'] === 'TOTAL')!['grants_outstanding']).toBe('1000.00');
    await ok(['grants', 'close', '1', '--status', 'cancelled', '--reason', 'withdrew', '--yes']);
    expect((await ok(['report', 'funder', '--funder', 'HOPE', '--period', '2025-Q3'])).stdout).toBe(before);
    const now = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--from', '2026-11-23', '--to', '2026-11-30'])).stdout);
    expect(now.find((r) => r['program_code'] === 'TOTAL')!['grants_outstanding']).toBe('0.00');
  });

  it('an invalid roster row claims the person its keys name: a later row cannot update them, and the fix-and-reimport loop ends as one corrected import would', async () => {
    const { dir, db, run } = await world();
    const people = () =>
      query<{ id: number; external_id: string; first_name: string; email: string }>(db, 'SELECT id, external_id, first_name, email FROM people ORDER BY id');
    await mustSucceed(run)(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '3', '--date', '2025-05-01']);
    // Line 2 names Ana by email (and gives her a new external id) but has a bad rate; line 3 names Ana
    // by her old external id with someone else's details.
    fs.writeFileSync(path.join(dir, 'x2.csv'), 'external_id,first_name,email,hourly_rate\nZZ,Ana,ana@example.org,bad\nV2,Carol,carol@example.org,30\n');
    const r = await run(['people', 'import', 'x2.csv', '--skip-invalid', '--rejects', 'x2r.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/line 3, column "external_id": the same person as line 2 \(external_id of person #2\)/);
    expect(r.stderr).toContain('inserted 0, updated 0, unchanged 0, skipped 0, invalid 2');
    fs.writeFileSync(path.join(dir, 'x2fixed.csv'), fs.readFileSync(path.join(dir, 'x2r.csv'), 'utf8').replace(',bad,', ',11,'));
    expect((await run(['people', 'import', 'x2fixed.csv'])).code).toBe(0);
    const after = await people();
    // Ana (#2) keeps her hours and takes the corrected row; Carol is a new person.
    expect(after.find((p) => p.id === 2)).toMatchObject({ external_id: 'ZZ', first_name: 'Ana', email: 'ana@example.org' });
    expect(after.find((p) => p.email === 'carol@example.org')).toMatchObject({ external_id: 'V2', first_name: 'Carol' });
    expect(after.find((p) => p.email === 'carol@example.org')!.id).toBeGreaterThan(4);
    const hours = parseCsv((await mustSucceed(run)(['hours', 'list', '--from', '2025-05-01', '--to', '2025-05-01'])).stdout);
    expect(hours.map((h) => h['email'])).toEqual(['ana@example.org']);
  });

  it('an hours row rejected for its status takes its place among the repeats: the fixed row imports, not lost as a duplicate', async () => {
    const { dir, run, ok } = await world();
    fs.writeFileSync(
      path.join(dir, 'h.csv'),
      'email,date,hours,program,status\nana@example.org,2026-03-01,2,TELE,bogus\nana@example.org,2026-03-01,2,TELE,approved\n',
    );
    const r = await run(['hours', 'import', 'h.csv', '--skip-invalid', '--rejects', 'hrej.csv']);
    expect(r.stderr).toContain('inserted 1, updated 0, unchanged 0, skipped 0, invalid 1');
    const rejects = fs.readFileSync(path.join(dir, 'hrej.csv'), 'utf8');
    expect(rejects.split('\n')[0]).toBe('email,date,hours,program,status,line,error');
    fs.writeFileSync(path.join(dir, 'hfixed.csv'), rejects.replace('bogus', 'approved'));
    const again = await run(['hours', 'import', 'hfixed.csv', '--strict', '--rejects', 'hrej2.csv']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('unknown column');
    expect(again.stderr).toContain('inserted 1, updated 0, unchanged 0');
    expect(parseCsv((await ok(['report', 'hours', '--from', '2026-03-01', '--to', '2026-03-01', '--by', 'person'])).stdout)[0]!['hours']).toBe('4.00');
    // The original file, fixed and imported again, is unchanged: both entries are there.
    fs.writeFileSync(path.join(dir, 'hall.csv'), fs.readFileSync(path.join(dir, 'h.csv'), 'utf8').replace('bogus', 'approved'));
    expect((await ok(['hours', 'import', 'hall.csv'])).stderr).toContain('inserted 0, updated 0, unchanged 2');
    // A rejects file of a rejects file has one line and one error column.
    fs.writeFileSync(path.join(dir, 'bad2.csv'), rejects);
    await run(['hours', 'import', 'bad2.csv', '--skip-invalid', '--rejects', 'rej-of-rej.csv']);
    expect(fs.readFileSync(path.join(dir, 'rej-of-rej.csv'), 'utf8').split('\n')[0]).toBe('email,date,hours,program,status,line,error');
  });

  it('the currency cannot change once amounts are recorded; an unknown ISO 4217 code is refused', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['config', 'set', 'currency', 'EUR']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/the database already holds amounts in USD \(.*grants.*\); changing the currency to EUR would relabel/);
    expect(await dbHash(db)).toBe(before);
    const { db: fresh } = await tmpDb();
    expect((await withDb(fresh)(['config', 'set', 'currency', 'XYZ'])).code).toBe(3);
    expect((await withDb(fresh)(['config', 'set', 'currency', 'eur'])).stdout).toBe('EUR\n');
  });

  it('rates set says how many entries of the year it values, and refuses 0', async () => {
    const { run } = await world();
    const r = await run(['rates', 'set', 'volunteer-hour', '2025', '50.00']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('ngo: warning: the volunteer-hour rate of 2025 values 3 entries dated in 2025: reports for 2025 change');
    expect((await run(['rates', 'set', 'volunteer-hour', '2025', '0'])).code).toBe(3);
    expect((await run(['rates', 'set', 'mileage', '2025', '0.00'])).code).toBe(3);
    const m = await run(['rates', 'set', 'mileage', '2025', '0.70']);
    expect(m.stderr).toContain('the mileage rate of 2025 values 2 entries dated in 2025');
  });

  it('a first rate for someone without entries applies from the start; --rate-from in the future is refused; replacing later rates says so', async () => {
    const { run, ok } = await world();
    await ok(['people', 'add', '--first', 'Two', '--email', 'two@x.org']);
    await ok(['people', 'edit', 'two@x.org', '--rate', '85.00']);
    await ok(['people', 'add', '--first', 'One', '--email', 'one@x.org', '--rate', '85.00']);
    for (const p of ['one', 'two']) await ok(['hours', 'log', `${p}@x.org`, '--program', 'TELE', '--hours', '2', '--date', '2025-05-01']);
    const detail = parseCsv((await ok(['report', 'funder', '--funder', 'HOPE', '--from', '2025-05-01', '--to', '2025-05-01', '--detail'])).stdout);
    expect(detail.map((d) => [d['first_name'], d['skilled'], d['inkind_value']]).sort()).toEqual([
      ['One', 'yes', '170.00'],
      ['Two', 'yes', '170.00'],
    ]);
    const future = await run(['people', 'edit', 'one@x.org', '--rate', '99.00', '--rate-from', '2026-12-01']);
    expect(future.code).toBe(3);
    expect(future.stderr).toContain('--rate-from 2026-12-01 is in the future (today is 2026-11-23)');
    await ok(['people', 'edit', 'one@x.org', '--rate', '90.00', '--rate-from', '2026-01-01']);
    const back = await run(['people', 'edit', 'one@x.org', '--rate', '95.00', '--rate-from', '2025-06-01']);
    expect(back.stderr).toContain('ngo: warning: the rate from 2025-06-01 replaces 90.00 from 2026-01-01');
  });

  it('funders fund refuses an amount of 0 and warns when awards already exceed the new agreement', async () => {
    const { run, ok } = await world();
    expect((await run(['funders', 'fund', 'HOPE', '--program', 'TELE', '--from', '2027-01-01', '--amount', '0'])).code).toBe(3);
    await ok(['funders', 'add', 'NEW', '--name', 'New Fund']);
    await ok(['grants', 'award', 'ana@example.org', '--amount', '900.00', '--purpose', 'x', '--funder', 'NEW', '--program', 'TELE', '--date', '2026-02-01']);
    const f = await run(['funders', 'fund', 'NEW', '--program', 'TELE', '--from', '2026-01-01', '--amount', '500.00']);
    expect(f.code).toBe(0);
    expect(f.stderr).toContain('ngo: warning: awards under NEW / TELE dated within this agreement already total 900.00 (1 grant), more than its 500.00');
  });
});
