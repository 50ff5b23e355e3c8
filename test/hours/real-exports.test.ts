/**
 * Contract v2 "Imports of real exports": files shaped like the exports of Volunteers for Salesforce,
 * Galaxy Digital and rubyforgood/casa, a coordinator's spreadsheet, a European `;` file, a Windows-1252
 * file and a roster with title lines (fixtures/exports/) import with at most the documented flags and no
 * editing. Each test checks the stored entries field by field, the summary, and that importing the file
 * again changes nothing. Runs on either store (NGO_TEST_STORE=pg).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbHash, mustSucceed, parseCsv, tmpDb, withDb } from '../helpers.js';
import { FIX, query } from './setup.js';

const EX = path.join(FIX, 'exports');
const f = (name: string) => path.join(EX, name);

/** The people of the roster fixture (#1 Ana Okafor, #2 Samuel Lee, #3 Mei Zhang, #4 José Peña) and four programs. */
async function world() {
  const { dir, db } = await tmpDb();
  const run = withDb(db);
  const ok = mustSucceed(run);
  const r = await ok(['people', 'import', f('roster-title-lines.csv')]);
  expect(r.stderr).toContain('inserted 4, updated 0, unchanged 0, skipped 0, invalid 0');
  for (const [code, name] of [
    ['TELE', 'Telehealth Counseling'],
    ['PEER', 'Peer Support Line'],
    ['SCHOOL', 'School Outreach'],
    ['CASA', 'Court Appointed Special Advocates'],
  ]) {
    await ok(['programs', 'add', code!, '--name', name!]);
  }
  return { dir, db, run, ok };
}

type Entry = [string, string, string, number, string, number, number, number, string, string | null];

/** Every entry, in a fixed order: email, program, date, minutes, activity, miles (hundredths), expenses (cents), reimbursed, status, note. */
async function entries(db: string): Promise<Entry[]> {
  const rows = await query<Record<string, unknown>>(
    db,
    `SELECT p.email, g.code, h.date, h.minutes, h.activity, h.miles, h.expenses, h.reimbursed, h.status, h.note
       FROM hours h JOIN people p ON p.id = h.person_id JOIN programs g ON g.id = h.program_id
      ORDER BY h.date, p.email, h.minutes`,
  );
  return rows.map((r) => [
    r['email'] as string,
    r['code'] as string,
    r['date'] as string,
    Number(r['minutes']),
    r['activity'] as string,
    Number(r['miles']),
    Number(r['expenses']),
    Number(r['reimbursed']),
    r['status'] as string,
    (r['note'] as string | null) ?? null,
  ]);
}

/** Import, check the summary, then import again: unchanged, the database byte for byte the same. */
async function importTwice(run: ReturnType<typeof withDb>, db: string, args: string[], summary: string, again: string) {
  const first = await run(['hours', 'import', ...args]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stderr).toContain(summary);
  const before = await dbHash(db);
  const second = await run(['hours', 'import', ...args]);
  expect(second.code, second.stderr).toBe(0);
  expect(second.stderr).toContain(again);
  // The second import is recorded (an import row and its audit entry) but adds no entry.
  const n = await query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM hours');
  expect(before).not.toBe('');
  return { first, second, count: Number(n[0]!.n) };
}

const ANA = 'ana.okafor@example.org';
const SAM = 'sam.lee@example.org';
const MEI = 'mei.zhang@example.org';
const JOSE = 'jose.pena@example.org';

describe('imports of real exports', () => {
  it('a roster with title lines above its header (Excel CSV UTF-8: BOM, CRLF) imports, and errors name the file’s own lines', async () => {
    const { db, run } = await world();
    const people = await query<Record<string, unknown>>(
      db,
      'SELECT external_id, first_name, last_name, email, phone, roles, city, region, postal_code FROM people ORDER BY id',
    );
    expect(people).toEqual([
      {
        external_id: 'V-1001',
        first_name: 'Ana',
        last_name: 'Okafor',
        email: ANA,
        phone: '617-555-0101',
        roles: 'volunteer',
        city: 'Boston',
        region: 'MA',
        postal_code: '02134',
      },
      {
        external_id: 'V-1002',
        first_name: 'Samuel',
        last_name: 'Lee',
        email: SAM,
        phone: '617-555-0102',
        roles: 'volunteer',
        city: 'Cambridge',
        region: 'MA',
        postal_code: '02139',
      },
      {
        external_id: 'V-1003',
        first_name: 'Mei',
        last_name: 'Zhang',
        email: MEI,
        phone: '617-555-0103',
        roles: 'volunteer,supervisor',
        city: 'Somerville',
        region: 'MA',
        postal_code: '02143',
      },
      {
        external_id: 'V-1004',
        first_name: 'José',
        last_name: 'Peña',
        email: JOSE,
        phone: '617-555-0104',
        roles: 'volunteer',
        city: 'Boston',
        region: 'MA',
        postal_code: '02118',
      },
    ]);
    expect(await query(db, 'SELECT hourly_rate FROM rate_history WHERE person_id = 3')).toEqual([{ hourly_rate: 9500 }]);
    const again = await run(['people', 'import', f('roster-title-lines.csv')]);
    expect(again.stderr).toContain('inserted 0, updated 0, unchanged 4, skipped 0, invalid 0');
    // The same file with a bad row: its line is the file's line 7, title lines counted.
    const bad = fs
      .readFileSync(f('roster-title-lines.csv'), 'utf8')
      .replace('jose.pena@example.org,617-555-0104,V-1004,volunteer,', 'not-an-email,617-555-0104,V-1004,pilot,');
    const before = await dbHash(db);
    const r = await run(['people', 'import', '-'], { stdin: bad });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 8, column "Email Address": invalid email "not-an-email"');
    expect(r.stderr).toContain('line 8, column "Role": unknown role "pilot"');
    expect(await dbHash(db)).toBe(before);
  });

  it('Volunteers for Salesforce hours: "Last, First" names, US dates, Completed/Confirmed/No-Show/Canceled, a campaign name, the report footer', async () => {
    const { db, run } = await world();
    const { first, second } = await importTwice(
      run,
      db,
      [f('v4s-volunteer-hours.csv')],
      'inserted 4, updated 0, unchanged 0, skipped 2, invalid 0',
      'inserted 0, updated 0, unchanged 4, skipped 2, invalid 0',
    );
    expect(first.stderr).toContain('skipped 2 row(s) whose status is not hours (No-Show 1, Canceled 1); they were not stored');
    expect(first.stderr).toContain(`ignored 5 line(s) of one cell after the last row, from line 9 (a report's footer: "Volunteer Hours with Contacts")`);
    expect(first.stderr).toContain("1 row(s) are a group's shift (Number of Volunteers above 1)");
    expect(second.stderr).toContain('ignoring unknown column(s): Contact, Volunteer Job, Volunteer Shift');
    expect(await entries(db)).toEqual([
      [ANA, 'PEER', '2026-03-02', 180, 'direct-service', 0, 0, 0, 'approved', null],
      [SAM, 'PEER', '2026-03-04', 150, 'direct-service', 0, 0, 0, 'approved', 'brought two friends'],
      [ANA, 'SCHOOL', '2026-03-14', 90, 'direct-service', 0, 0, 0, 'approved', 'Career day'],
      [MEI, 'PEER', '2026-03-23', 120, 'direct-service', 0, 0, 0, 'approved', null],
    ]);
  });

  it('Galaxy Digital hour records: date-times, need titles holding program names (any case), approved/pending/declined', async () => {
    const { db, run } = await world();
    await importTwice(
      run,
      db,
      [f('galaxy-hours.csv')],
      'inserted 4, updated 0, unchanged 0, skipped 0, invalid 0',
      'inserted 0, updated 0, unchanged 4, skipped 0, invalid 0',
    );
    expect(await entries(db)).toEqual([
      [ANA, 'TELE', '2026-03-03', 180, 'direct-service', 1250, 0, 0, 'approved', 'Evening telehealth block'],
      [MEI, 'SCHOOL', '2026-03-05', 90, 'direct-service', 0, 0, 0, 'pending', 'Career day table'],
      [SAM, 'PEER', '2026-03-06', 75, 'direct-service', 0, 0, 0, 'rejected', 'Call coverage'],
      [JOSE, 'TELE', '2026-03-08', 120, 'direct-service', 420, 0, 0, 'approved', 'Intake calls'],
    ]);
    expect(await query(db, "SELECT reject_reason FROM hours WHERE status = 'rejected'")).toEqual([{ reject_reason: 'rejected in the imported file' }]);
  });

  it('rubyforgood/casa learning hours: unpadded H:M durations (1:5 is 65 minutes), a whole name, no program column (--program, --activity)', async () => {
    const { db, run } = await world();
    const no = await run(['hours', 'import', f('casa-learning-hours.csv')]);
    expect(no.code).toBe(3);
    expect(no.stderr).toContain('line 2, column "program": a program is required (a program column, or --program CODE for every row)');
    const args = [f('casa-learning-hours.csv'), '--program', 'CASA', '--activity', 'training'];
    await importTwice(run, db, args, 'inserted 4, updated 0, unchanged 0, skipped 0, invalid 0', 'inserted 0, updated 0, unchanged 4, skipped 0, invalid 0');
    expect(await entries(db)).toEqual([
      [ANA, 'CASA', '2026-03-04', 65, 'training', 0, 0, 0, 'approved', 'Trauma-Informed Advocacy'],
      [SAM, 'CASA', '2026-03-11', 150, 'training', 0, 0, 0, 'approved', 'Court Report Writing'],
      [MEI, 'CASA', '2026-03-18', 45, 'training', 0, 0, 0, 'approved', 'The Body Keeps the Score'],
      [ANA, 'CASA', '2026-03-25', 65, 'training', 0, 0, 0, 'approved', 'Trauma-Informed Advocacy'],
    ]);
  });

  it('a spreadsheet: BOM and CRLF, US dates, hours as 2.5, 1:30 and 90 min, a row with only its start and end times, Opportunity as the program', async () => {
    const { db, run } = await world();
    await importTwice(
      run,
      db,
      [f('spreadsheet-hours.csv')],
      'inserted 4, updated 0, unchanged 0, skipped 0, invalid 0',
      'inserted 0, updated 0, unchanged 4, skipped 0, invalid 0',
    );
    expect(await entries(db)).toEqual([
      [ANA, 'TELE', '2026-03-07', 150, 'direct-service', 0, 0, 0, 'approved', null],
      [SAM, 'PEER', '2026-03-09', 90, 'direct-service', 0, 0, 0, 'approved', 'Covered for Mei, evening line'],
      [MEI, 'SCHOOL', '2026-03-12', 90, 'direct-service', 0, 0, 0, 'approved', null],
      [JOSE, 'PEER', '2026-03-16', 135, 'direct-service', 0, 0, 0, 'approved', 'hours left blank: start and end give them'],
    ]);
  });

  it('a European ; file: decimal commas (by default for ;), D.M.YYYY dates', async () => {
    const { db, run } = await world();
    await importTwice(
      run,
      db,
      [f('european-hours.csv')],
      'inserted 3, updated 0, unchanged 0, skipped 0, invalid 0',
      'inserted 0, updated 0, unchanged 3, skipped 0, invalid 0',
    );
    expect(await entries(db)).toEqual([
      [ANA, 'TELE', '2026-03-02', 90, 'direct-service', 1240, 350, 0, 'approved', 'Sitzung am Abend'],
      [MEI, 'SCHOOL', '2026-03-15', 120, 'direct-service', 0, 0, 0, 'approved', null],
      [SAM, 'PEER', '2026-03-20', 45, 'direct-service', 0, 1200, 0, 'approved', 'Fahrkarte'],
    ]);
    // --no-decimal-comma: 1,5 could be 1.5 or 15; each such cell is an error that says so.
    const before = await dbHash(db);
    const r = await run(['hours', 'import', f('european-hours.csv'), '--no-decimal-comma']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 2, column "Hours": invalid hours "1,5" (a decimal comma? add --decimal-comma to read 1,5 as 1.5)');
    expect(r.stderr).toContain('line 2, column "Miles": invalid miles "12,4" (a decimal comma? add --decimal-comma to read 1,5 as 1.5)');
    expect(await dbHash(db)).toBe(before);
  });

  it('a Windows-1252 file: refused as invalid UTF-8 with a hint naming --encoding, read exactly with --encoding windows-1252', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const no = await run(['hours', 'import', f('windows-1252-hours.csv')]);
    expect(no.code).toBe(3);
    expect(no.stderr).toContain('line 2: invalid UTF-8 (byte 0xF3');
    expect(no.stderr).toContain('--encoding windows-1252');
    expect(await dbHash(db)).toBe(before);
    const args = [f('windows-1252-hours.csv'), '--encoding', 'windows-1252'];
    await importTwice(run, db, args, 'inserted 2, updated 0, unchanged 0, skipped 0, invalid 0', 'inserted 0, updated 0, unchanged 2, skipped 0, invalid 0');
    expect(await entries(db)).toEqual([
      [JOSE, 'PEER', '2026-03-10', 120, 'direct-service', 0, 0, 0, 'approved', 'Sesión grupal – café'],
      [JOSE, 'PEER', '2026-03-17', 60, 'direct-service', 0, 0, 0, 'approved', 'Año nuevo: 5 € de transporte'],
    ]);
    // The import records the SHA-256 of the file's own bytes, not of the decoded text.
    const sha = (await query<{ sha256: string }>(db, "SELECT sha256 FROM imports WHERE kind = 'hours' ORDER BY id DESC LIMIT 1"))[0]!.sha256;
    const { createHash } = await import('node:crypto');
    expect(sha).toBe(
      createHash('sha256')
        .update(fs.readFileSync(f('windows-1252-hours.csv')))
        .digest('hex'),
    );
  });

  it('slash dates that fit both readings: exit 3 naming --date-format, nothing written; --date-format decides', async () => {
    const { db, run } = await world();
    const csv = `email,date,hours,program\n${ANA},3/7/2026,1,TELE\n${SAM},4/2/2026,2,TELE\n${MEI},5/5/2026,1,TELE\n`;
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], { stdin: csv });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ngo: error: stdin: every slash date (from line 2: 3/7/2026) fits both M/D/YYYY and D/M/YYYY; nothing was imported');
    expect(r.stderr).toContain('hint: say how to read them: --date-format mdy (3/7/2026 = March 7) or --date-format dmy (3/7/2026 = 3 July)');
    expect(await dbHash(db)).toBe(before);
    const dry = await run(['hours', 'import', '-', '--dry-run', '--skip-invalid'], { stdin: csv });
    expect(dry.code).toBe(3);
    expect(await dbHash(db)).toBe(before);
    expect((await run(['hours', 'import', '-', '--date-format', 'dmy'], { stdin: csv })).code).toBe(0);
    expect((await entries(db)).map((e) => e[2])).toEqual(['2026-02-04', '2026-05-05', '2026-07-03']);
  });

  it('a row whose date fits only the other reading than the one the file decided is an error naming the deciding line', async () => {
    const { db, run } = await world();
    const csv = `email,date,hours,program\n${ANA},3/7/2026,1,TELE\n${SAM},3/25/2026,2,TELE\n${MEI},25/3/2026,1,TELE\n`;
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], { stdin: csv });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'line 4, column "date": invalid date "25/3/2026" (not a M/D/YYYY date, the reading of this file\'s slash dates, decided by line 3 (3/25/2026); it reads only as D/M/YYYY)',
    );
    expect(r.stderr).not.toContain('line 2,');
    expect(await dbHash(db)).toBe(before);
  });

  it('a row whose name and email are two different people is an error (exit 3); a name that names nobody lets the email decide', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], { stdin: `Volunteer Name,Volunteer Email,Date,Hours,Program\nSamuel Lee,${ANA},2026-03-02,1,TELE\n` });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`line 2, column "Volunteer Name": conflict: email ${ANA} is person #1 but the name "Samuel Lee" is person #2`);
    expect(await dbHash(db)).toBe(before);
    const nick = await run(['hours', 'import', '-'], { stdin: `Volunteer Name,Volunteer Email,Date,Hours,Program\nAnnie Okafor,${ANA},2026-03-02,1,TELE\n` });
    expect(nick.code, nick.stderr).toBe(0);
    expect((await entries(db)).map((e) => e[0])).toEqual([ANA]);
  });

  it('a name alone must name exactly one person (case and accents ignored; "Last, First" turned round)', async () => {
    const { db, run, ok } = await world();
    await ok(['people', 'add', '--first', 'Ana', '--last', 'Okafor', '--email', 'ana.two@example.org']);
    const csv = 'Full Name,Date,Hours,Program\n"Okafor, Ana",2026-03-02,1,TELE\njose pena,2026-03-03,1,TELE\nNobody Here,2026-03-04,1,TELE\n';
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], { stdin: csv });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 2, column "Full Name": "Okafor, Ana" names 2 people (#1, #5): add an email or external id column to tell them apart');
    expect(r.stderr).toContain('line 4, column "Full Name": no person named "Nobody Here" (add them with ngo people add, or add an email column)');
    expect(r.stderr).not.toContain('line 3,');
    expect(await dbHash(db)).toBe(before);
    expect((await run(['hours', 'import', '-', '--skip-invalid'], { stdin: csv })).code).toBe(0);
    expect((await entries(db)).map((e) => e[0])).toEqual([JOSE]);
  });

  it('a row with three errors lists all three: on stderr, in --json, and in the rejects file', async () => {
    const { dir, db, run } = await world();
    const csv = `email,date,hours,program,activity\n${ANA},2026-02-30,25,TELE,dancing\n${SAM},2026-03-01,1,TELE,\n`;
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-', '--json'], { stdin: csv });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 2, column "date": invalid date "2026-02-30" (expected YYYY-MM-DD)');
    expect(r.stderr).toContain('line 2, column "hours": duration must be more than 0 and at most 24 hours (got 25.00 h)');
    expect(r.stderr).toContain('line 2, column "activity": invalid activity "dancing"');
    expect(r.stderr).toContain('1 invalid row(s) in stdin; nothing was imported');
    expect(await dbHash(db)).toBe(before);
    const rejects = path.join(dir, 'rejects.csv');
    const s = await run(['hours', 'import', '-', '--skip-invalid', '--rejects', rejects, '--json'], { stdin: csv });
    expect(s.code).toBe(0);
    const summary = JSON.parse(s.stdout) as { invalid: number; errors: { line: number; column: string }[] };
    expect(summary.invalid).toBe(1);
    expect(summary.errors.map((e) => [e.line, e.column])).toEqual([
      [2, 'date'],
      [2, 'hours'],
      [2, 'activity'],
    ]);
    const bad = parseCsv(fs.readFileSync(rejects, 'utf8'));
    expect(bad).toHaveLength(1);
    expect(bad[0]!['error']).toMatch(
      /^date: invalid date "2026-02-30" \(expected YYYY-MM-DD\); hours: duration must be .*; activity: invalid activity "dancing"/,
    );
  });

  it('programs by name (case, spaces and punctuation ignored); --create-programs makes a code from a name and keeps the name', async () => {
    const { db, run, ok } = await world();
    await ok(['programs', 'add', 'PEER2', '--name', 'peer support line']);
    const csv = `email,date,hours,Opportunity\n${ANA},2026-03-02,1,telehealth-counseling\n${SAM},2026-03-03,1,Peer Support Line\n${MEI},2026-03-04,1,Family Café Nights\n`;
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], { stdin: csv });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 3, column "Opportunity": program "Peer Support Line" matches 2 programs by code or name (PEER, PEER2): write its code');
    expect(r.stderr).toContain('line 4, column "Opportunity": unknown program "Family Café Nights"');
    expect(await dbHash(db)).toBe(before);
    const c = await run(['hours', 'import', '-', '--create-programs', '--skip-invalid'], { stdin: csv });
    expect(c.code).toBe(0);
    expect(c.stderr).toContain('created program(s): FAMILY-CAFE-NIGHTS ("Family Café Nights")');
    expect(await query(db, "SELECT code, name FROM programs WHERE code = 'FAMILY-CAFE-NIGHTS'")).toEqual([
      { code: 'FAMILY-CAFE-NIGHTS', name: 'Family Café Nights' },
    ]);
    expect((await entries(db)).map((e) => [e[0], e[1]])).toEqual([
      [ANA, 'TELE'],
      [MEI, 'FAMILY-CAFE-NIGHTS'],
    ]);
  });

  it('lines of one cell are a footer only at the end: followed by a row, they are rows (refused)', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], { stdin: `email,date,hours,program\n${ANA},2026-03-02,1,TELE\n"a note line"\n${SAM},2026-03-03,1,TELE\n` });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 3: expected 4 columns, found 1');
    expect(await dbHash(db)).toBe(before);
  });

  it('attack findings: a ; file refuses 1.250 (1250 or 1.25?) and names the cell as written; 2.50 is a decimal point', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], {
      stdin: `Email;Date;Hours;Program;Miles;Expenses\n${ANA};2026-03-02;1,5;TELE;1.000;1.250\n${SAM};2026-03-03;1;TELE;1,234;0\n`,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 2, column "Miles": invalid miles "1.000" (1250 or 1.25? with decimal commas write 1250 or 1,25; no thousands separators)');
    expect(r.stderr).toContain('line 2, column "Expenses": invalid expenses "1.250" (1250 or 1.25?');
    expect(r.stderr).toContain('line 3, column "Miles": invalid miles "1,234" (at most 2 decimal places)');
    expect(await dbHash(db)).toBe(before);
    expect((await run(['hours', 'import', '-'], { stdin: `Email;Date;Hours;Program;Expenses\n${ANA};2026-03-02;1,5;TELE;2.50\n` })).code).toBe(0);
    expect((await entries(db))[0]!.slice(3, 7)).toEqual([90, 'direct-service', 0, 250]);
  });

  it("attack findings: a cell that is one program's code and another's name is ambiguous; --program and --activity are checked once", async () => {
    const { db, run, ok } = await world();
    await ok(['programs', 'add', 'SUPPORT', '--name', 'PEER']);
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], { stdin: `email,date,hours,program\n${ANA},2026-03-02,1,PEER\n` });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 2, column "program": program "PEER" matches 2 programs by code or name (PEER, SUPPORT): write its code');
    const np = await run(['hours', 'import', '-', '--program', 'NOPE'], { stdin: `email,date,hours\n${ANA},2026-03-02,1\n${SAM},2026-03-02,1\n` });
    expect([np.code, np.stderr.trim().split('\n')[0]]).toEqual([4, 'ngo: error: --program NOPE: no such program']);
    const na = await run(['hours', 'import', '-', '--program', 'TELE', '--activity', 'dancing'], { stdin: `email,date,hours\n${ANA},2026-03-02,1\n` });
    expect(na.code).toBe(2);
    expect(na.stderr).toContain('--activity: invalid activity "dancing"');
    expect(await dbHash(db)).toBe(before);
  });

  it('attack findings: a fixed rejects file reads its slash dates as its import decided, even when the deciding row is not in it', async () => {
    const { dir, db, run } = await world();
    const rejects = path.join(dir, 'rejects.csv');
    const csv = `Email,Date,Hours,Program,Notes\n${ANA},3/7/2026,1,NOPE,w1\n${ANA},3/13/2026,1,TELE,w4\n`;
    const r = await run(['hours', 'import', '-', '--skip-invalid', '--rejects', rejects], { stdin: csv });
    expect(r.code, r.stderr).toBe(0);
    const text = fs.readFileSync(rejects, 'utf8');
    expect(text).toMatch(/, dates M\/D\/YYYY\)"\n$/);
    fs.writeFileSync(rejects, text.replace(',NOPE,', ',TELE,'));
    const fixed = await run(['hours', 'import', rejects]);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((await entries(db)).map((e) => [e[2], e[9]])).toEqual([
      ['2026-03-07', 'w1'],
      ['2026-03-13', 'w4'],
    ]);
  });

  it('attack findings: start and end are checked when an hours cell is there; a disagreeing duration or date is warned about; every missing field is listed', async () => {
    const { db, run } = await world();
    const before = await dbHash(db);
    const bad = await run(['hours', 'import', '-'], {
      stdin: `Email,Date,Start Time,End Time,Hours,Program\n${ANA},2026-03-02,9:00 AM,garbage,2.5,TELE\n${SAM},,,,,TELE\n`,
    });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('line 2, column "End Time": invalid end "garbage" (expected a time such as 9:00 AM or 13:30');
    expect(bad.stderr).toContain('line 3, column "Date": a date is required');
    expect(bad.stderr).toContain('line 3, column "Hours": a duration is required');
    expect(await dbHash(db)).toBe(before);
    const warn = await run(['hours', 'import', '-'], {
      stdin: `Email,Date,Start,End,Hours,Program\n${ANA},2026-03-02,9:00 AM,10:00 AM,2.5,TELE\n${SAM},2026-03-15,2026-03-16 10:00,2026-03-16 11:00,1,TELE\n${MEI},2026-03-03,10:00 PM,1:00 AM,3,TELE\n`,
    });
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stderr).toContain('1 row(s) have a duration that is not the time from their start to their end (from line 2): the duration was used');
    expect(warn.stderr).toContain('1 row(s) have a date that is not the date of their start (from line 3): the date column was used');
    expect((await entries(db)).map((e) => [e[2], e[3]])).toEqual([
      ['2026-03-02', 150],
      ['2026-03-03', 180],
      ['2026-03-15', 60],
    ]);
  });

  it('attack findings: dot dates are day first and do not decide slash dates; a date that fits both readings alike never waits', async () => {
    const { db, run } = await world();
    const dots = await run(['hours', 'import', '-'], { stdin: `Email;Date;Hours;Program\n${ANA};02.03.2026;1;TELE\n${SAM};03.03.2026;1;TELE\n` });
    expect(dots.code, dots.stderr).toBe(0);
    const mixed = await run(['hours', 'import', '-'], { stdin: `email,date,hours,program\n${MEI},15.3.2026,1,TELE\n${MEI},3/9/2026,1,TELE\n` });
    expect(mixed.code).toBe(3);
    expect(mixed.stderr).toContain('every slash date (from line 3: 3/9/2026) fits both');
    const same = await run(['hours', 'import', '-'], { stdin: `email,date,hours,program\n${JOSE},5/5/2026,1,TELE\n${JOSE},2026-05-06,1,TELE\n` });
    expect(same.code, same.stderr).toBe(0);
    expect((await entries(db)).map((e) => [e[0], e[2]])).toEqual([
      [ANA, '2026-03-02'],
      [SAM, '2026-03-03'],
      [JOSE, '2026-05-05'],
      [JOSE, '2026-05-06'],
    ]);
  });

  it('attack findings: a title line that is a field name ("Volunteer Hours") loses to the real header below it', async () => {
    const { db, run } = await world();
    const r = await run(['hours', 'import', '-'], { stdin: `Volunteer Hours\nEmail,Date,Hours,Program,Notes\n${ANA},2026-03-02,1,TELE,r1\n` });
    expect(r.code, r.stderr).toBe(0);
    expect((await entries(db)).map((e) => e[9])).toEqual(['r1']);
  });
});
