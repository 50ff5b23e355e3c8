import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dbHash, ON_PG, parseCsv } from '../helpers.js';
import { FIX, HEADER, lines, query, seeded } from './setup.js';

const OCT = path.join(FIX, 'hours-2026-10.csv');
const OCT_NOV = path.join(FIX, 'hours-2026-10-11.csv');
const REPEATS = path.join(FIX, 'hours-repeats.csv');
const BAD = path.join(FIX, 'hours-bad.csv');

describe('hours import', () => {
  it('imports a spreadsheet export (synonym headers, mixed-case emails, quoted commas) into exact entries', async () => {
    const { db, run } = await seeded();
    const r = await run(['hours', 'import', OCT]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 5, updated 0, unchanged 0, skipped 0, invalid 0');
    expect((await run(['hours', 'list'])).stdout).toBe(
      [
        HEADER,
        '1,2026-10-01,1,Ana,Okafor,ana@example.org,TELE,direct-service,2.50,0.00,0.00,no,approved,intake',
        '2,2026-10-02,1,Ana,Okafor,ana@example.org,TELE,direct-service,1.25,0.00,0.00,no,approved,',
        '3,2026-10-03,2,Sam,Lee,sam@example.org,PEER,peer-support,3.00,12.50,8.75,no,approved,"evening group, Roxbury"',
        '4,2026-10-05,3,Mei,Zhang,mei@example.org,SCHOOL,outreach,1.50,20.00,15.00,yes,approved,Grade 10 assembly',
        '5,2026-10-10,2,Sam,Lee,sam@example.org,PEER,peer-support,2.00,0.00,0.00,no,approved,',
        '',
      ].join('\n'),
    );
    // Rows carry the import id; the import is one audit entry, not one per row.
    expect(await query(db, 'SELECT DISTINCT import_id FROM hours')).toEqual([{ import_id: 2 }]);
    const audit = JSON.parse((await run(['audit', '--entity', 'import', '--json'])).stdout) as { entity_id: number; changes: string }[];
    expect(audit.at(-1)!.entity_id).toBe(2);
    expect(JSON.parse(audit.at(-1)!.changes)).toMatchObject({ kind: [null, 'hours'] });
    expect(JSON.stringify(JSON.parse(audit.at(-1)!.changes).counts)).toMatch(/inserted\D+5\D/);
    expect(await query(db, "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'hours'")).toEqual([{ n: 0 }]);
  });

  it('re-importing the same file inserts nothing; an overlapping later export inserts only its new rows', async () => {
    const { db, run } = await seeded();
    await run(['hours', 'import', OCT]);
    const again = await run(['hours', 'import', OCT, '--json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('inserted 0, updated 0, unchanged 5, skipped 0, invalid 0');
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, unchanged: 5, invalid: 0 });
    expect(await query(db, 'SELECT COUNT(*) AS n FROM hours')).toEqual([{ n: 5 }]);
    // Oct 2 – Nov 6 from the same system (CRLF this time): 4 rows overlap, 3 are new.
    const later = await run(['hours', 'import', OCT_NOV]);
    expect(later.code).toBe(0);
    expect(later.stderr).toContain('inserted 3, updated 0, unchanged 4, skipped 0, invalid 0');
    expect(lines((await run(['hours', 'list', '--period', '2026-11'])).stdout)).toEqual([
      '6,2026-11-02,1,Ana,Okafor,ana@example.org,TELE,direct-service,1.00,0.00,0.00,no,approved,',
      '7,2026-11-04,3,Mei,Zhang,mei@example.org,SCHOOL,admin,0.25,0.00,0.00,no,approved,call with school counsellor',
      '8,2026-11-06,2,Sam,Lee,sam@example.org,PEER,training,4.00,30.00,42.10,no,approved,peer specialist refresher',
    ]);
    expect(await query(db, 'SELECT COUNT(*) AS n FROM hours')).toEqual([{ n: 8 }]);
    // And both files once more: nothing new.
    expect((await run(['hours', 'import', OCT])).stderr).toContain('inserted 0, updated 0, unchanged 5');
    expect((await run(['hours', 'import', OCT_NOV])).stderr).toContain('inserted 0, updated 0, unchanged 7');
  });

  it('identical rows inside one file are all kept; the k-th repeat matches only the k-th earlier one', async () => {
    const { db, run } = await seeded();
    // BOM, semicolons, minutes column.
    const r = await run(['hours', 'import', REPEATS]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 5, updated 0, unchanged 0, skipped 0, invalid 0');
    expect(await query(db, 'SELECT person_id, date, minutes, seq FROM hours ORDER BY id')).toEqual([
      { person_id: 1, date: '2026-11-02', minutes: 60, seq: 1 },
      { person_id: 1, date: '2026-11-02', minutes: 60, seq: 2 },
      { person_id: 1, date: '2026-11-02', minutes: 60, seq: 3 },
      { person_id: 2, date: '2026-11-03', minutes: 90, seq: 1 },
      { person_id: 2, date: '2026-11-03', minutes: 90, seq: 2 },
    ]);
    expect((await run(['hours', 'import', REPEATS])).stderr).toContain('inserted 0, updated 0, unchanged 5');
    // A later file holding Ana's row four times and Sam's once: only the 4th Ana row is new.
    const more =
      'email,date,minutes,program,activity\n' +
      'ana@example.org,2026-11-02,60,TELE,direct-service\n'.repeat(4) +
      'sam@example.org,2026-11-03,90,PEER,peer-support\n';
    const m = await run(['hours', 'import', '-'], { stdin: more });
    // (Sam's row here has no note, so it is different content from his two "group" rows: new.)
    expect(m.stderr).toContain('inserted 2, updated 0, unchanged 3');
    expect(await query(db, 'SELECT COUNT(*) AS n FROM hours WHERE person_id = 1')).toEqual([{ n: 4 }]);
  });

  it('our own CSV export re-imports as unchanged, including hand-logged entries, repeats, formulas and edits', async () => {
    const { dir, db, run } = await seeded();
    await run(['hours', 'import', OCT]);
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-05', '--note', '=cmd|calc']);
    await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-05', '--note', '=cmd|calc', '--allow-duplicate']);
    await run(['hours', 'log', 'sam@example.org', '--program', 'PEER', '--hours', '2', '--date', '2026-11-06', '--km', '10', '--pending']);
    await run(['hours', 'log', 'mei@example.org', '--program', 'SCHOOL', '--hours', '2', '--date', '2026-11-07']);
    // A hand-logged entry edited after the fact: the export shows its new content.
    await run(['hours', 'edit', '9', '--hours', '3', '--expenses', '4.50']);
    const out = path.join(dir, 'export.csv');
    fs.writeFileSync(out, (await run(['hours', 'list'])).stdout);
    const before = (await run(['hours', 'list', '--status', 'all'])).stdout;
    const r = await run(['hours', 'import', out, '--strict']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 0, updated 0, unchanged 9, skipped 0, invalid 0');
    expect(r.stderr).not.toContain('unknown column');
    expect((await run(['hours', 'list', '--status', 'all'])).stdout).toBe(before);
    // Into an empty database with the same people and programs, the export rebuilds the same entries.
    const other = await seeded();
    const r2 = await other.run(['hours', 'import', out]);
    expect(r2.code).toBe(0);
    expect(r2.stderr).toContain('inserted 9');
    const strip = (s: string) =>
      s
        .split('\n')
        .map((l) => l.replace(/^\d+,/, ''))
        .join('\n');
    expect(strip((await other.run(['hours', 'list'])).stdout)).toBe(strip(fs.readFileSync(out, 'utf8')));
    expect(await query(other.db, "SELECT note FROM hours WHERE note LIKE '=%'")).toEqual([{ note: '=cmd|calc' }, { note: '=cmd|calc' }]);
    expect(await query(db, 'SELECT COUNT(*) AS n FROM hours')).toEqual([{ n: 9 }]);
  });

  it('a voided entry is not brought back by a re-import (counted as skipped); rows with status void are skipped', async () => {
    const { run } = await seeded();
    await run(['hours', 'import', OCT]);
    await run(['hours', 'void', '3', '--reason', 'Sam was not there that day', '--yes']);
    const r = await run(['hours', 'import', OCT]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 0, updated 0, unchanged 4, skipped 1, invalid 0');
    expect(r.stderr).toContain('skipped 1 row(s) matching entries that were voided');
    expect(parseCsv((await run(['hours', 'list'])).stdout).map((x) => x['id'])).toEqual(['1', '2', '4', '5']);
    const v = await run(['hours', 'import', '-'], {
      stdin: 'email,date,hours,program,status\nana@example.org,2026-11-01,1,TELE,void\nana@example.org,2026-11-01,2,TELE,Pending\n',
    });
    expect(v.stderr).toContain('inserted 1, updated 0, unchanged 0, skipped 1, invalid 0');
    expect(parseCsv((await run(['hours', 'list', '--status', 'pending'])).stdout).map((x) => x['hours'])).toEqual(['2.00']);
  });

  it('an imported entry corrected by hand keeps matching its source row: re-importing the source adds nothing', async () => {
    const { run } = await seeded();
    await run(['hours', 'import', OCT]);
    expect((await run(['hours', 'edit', '1', '--hours', '2'])).code).toBe(0);
    const r = await run(['hours', 'import', OCT]);
    expect(r.stderr).toContain('inserted 0, updated 0, unchanged 5');
    expect(parseCsv((await run(['hours', 'list'])).stdout)[0]).toMatchObject({ id: '1', hours: '2.00' });
  });

  it('a hand-logged repeat edited away keeps its earlier key: the export from before the edit and the one after both match', async () => {
    const { db, run } = await seeded();
    for (let i = 0; i < 3; i++)
      await run(['hours', 'log', 'ana@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-11-05', '--allow-duplicate']);
    expect((await query(db, 'SELECT seq FROM hours ORDER BY id')).map((x) => x['seq'])).toEqual([1, 2, 3]);
    await run(['hours', 'edit', '1', '--hours', '1.5']);
    // #1 has the first key of its new content and keeps the one it had (schema 6); nothing moves.
    expect(await query(db, 'SELECT id, seq FROM hours ORDER BY id')).toEqual([
      { id: 1, seq: 1 },
      { id: 2, seq: 2 },
      { id: 3, seq: 3 },
    ]);
    expect(await query(db, 'SELECT entry_id, seq FROM hours_keys')).toEqual([{ entry_id: 1, seq: 1 }]);
    const after = await run(['hours', 'import', '-'], {
      stdin: 'person,date,hours,program\n1,2026-11-05,1,TELE\n1,2026-11-05,1,TELE\n1,2026-11-05,1.5,TELE\n',
    });
    expect(after.stderr).toContain('inserted 0, updated 0, unchanged 3');
    const before = await run(['hours', 'import', '-'], { stdin: 'person,date,hours,program\n1,2026-11-05,1,TELE\n1,2026-11-05,1,TELE\n1,2026-11-05,1,TELE\n' });
    expect(before.stderr).toContain('inserted 0, updated 0, unchanged 3');
    // A fourth such row is new.
    const more = await run(['hours', 'import', '-'], {
      stdin: 'person,date,hours,program\n1,2026-11-05,1,TELE\n1,2026-11-05,1,TELE\n1,2026-11-05,1,TELE\n1,2026-11-05,1,TELE\n',
    });
    expect(more.stderr).toContain('inserted 1, updated 0, unchanged 3');
  });

  it('bad rows: nothing written, exit 3, every bad row listed with its line and column', async () => {
    const { db, run } = await seeded();
    const before = await dbHash(db);
    const r = await run(['hours', 'import', BAD]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 3, column "email": no person with email "nobody@example.org"');
    expect(r.stderr).toContain('line 4, column "hours": duration must be more than 0 and at most 24 hours (got 25.00 h)');
    expect(r.stderr).toContain('line 5, column "date": invalid date "2026-02-30" (expected YYYY-MM-DD)');
    expect(r.stderr).toContain('line 6, column "program": unknown program "GARDEN"');
    expect(r.stderr).toContain('line 7, column "date": date 2026-12-01 is in the future');
    expect(r.stderr).toContain('line 8, column "activity": invalid activity "dancing"');
    expect(r.stderr).not.toContain('line 2');
    expect(r.stderr).toMatch(/6 invalid row\(s\) in .*hours-bad\.csv; nothing was imported/);
    expect(await dbHash(db)).toBe(before);
  });

  it('--skip-invalid --rejects imports the good rows and writes the bad ones with line and error', async () => {
    const { dir, run } = await seeded();
    const rejects = path.join(dir, 'rejects.csv');
    const r = await run(['hours', 'import', BAD, '--skip-invalid', '--rejects', rejects]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 1, updated 0, unchanged 0, skipped 0, invalid 6');
    expect(lines((await run(['hours', 'list'])).stdout)).toEqual(['1,2026-11-01,1,Ana,Okafor,ana@example.org,TELE,direct-service,2.00,0.00,0.00,no,approved,']);
    const rej = parseCsv(fs.readFileSync(rejects, 'utf8'));
    expect(rej.map((x) => x['line'])).toEqual(['3', '4', '5', '6', '7', '8']);
    expect(rej[1]).toEqual({
      email: 'sam@example.org',
      date: '2026-11-01',
      hours: '25',
      program: 'PEER',
      activity: '',
      line: '4',
      error: expect.stringMatching(
        /^duration must be more than 0 and at most 24 hours \(got 25\.00 h\) \(ngo import #2 ref [0-9a-f]{8}\)$/,
      ) as unknown as string,
    });
  });

  it('--dry-run validates and writes nothing; --pending; --create-programs; --allow-future', async () => {
    const { db, run } = await seeded();
    const before = await dbHash(db);
    const d = await run(['hours', 'import', OCT, '--dry-run']);
    expect(d.code).toBe(0);
    expect(d.stderr).toMatch(/dry run.*would have inserted 5, updated 0, unchanged 0/);
    expect(await dbHash(db)).toBe(before);
    const p = await run(['hours', 'import', OCT, '--pending']);
    expect(p.stderr).toContain('inserted 5');
    expect(new Set(parseCsv((await run(['hours', 'list'])).stdout).map((x) => x['status']))).toEqual(new Set(['pending']));
    const csv = 'email,date,hours,program\nana@example.org,2026-11-01,1,garden\nsam@example.org,2026-11-02,2,GARDEN\n';
    const no = await run(['hours', 'import', '-'], { stdin: csv });
    expect(no.code).toBe(3);
    expect(no.stderr).toContain('unknown program "garden"');
    expect(no.stderr).toContain('use --create-programs');
    const dry = await run(['hours', 'import', '-', '--create-programs', '--dry-run'], { stdin: csv });
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('would create program(s): GARDEN');
    expect((await run(['programs', 'list'])).stdout).not.toContain('GARDEN');
    const yes = await run(['hours', 'import', '-', '--create-programs'], { stdin: csv });
    expect(yes.code).toBe(0);
    expect(yes.stderr).toContain('inserted 2');
    expect(yes.stderr).toContain('created program(s): GARDEN');
    expect(parseCsv((await run(['programs', 'list'])).stdout).find((x) => x['code'] === 'GARDEN')).toMatchObject({ name: 'garden' });
    const fut = 'email,date,hours,program\nana@example.org,2026-12-24,1,TELE\n';
    expect((await run(['hours', 'import', '-'], { stdin: fut })).code).toBe(3);
    expect((await run(['hours', 'import', '-', '--allow-future'], { stdin: fut })).code).toBe(0);
  });

  it('person by id, email or external id; conflicting references; archived person/program; km and duration columns', async () => {
    const { db, run } = await seeded();
    await run(['people', 'archive', 'V-3', '--reason', 'left', '--yes']);
    const csv = [
      'person,external_id,email,date,duration,program,km,miles,reimbursed',
      '1,,,2026-11-01,1:30,TELE,10,,yes',
      ',V-2,,2026-11-01,0:15,PEER,,,',
      ',V-1,sam@example.org,2026-11-02,1:00,TELE,,,',
      'V-3,,,2026-11-02,1:00,TELE,,,',
      '2,,,2026-11-02,1:00,TELE,5,3,',
      '2,,,2026-11-02,1:00,TELE,,,maybe',
    ].join('\n');
    const before = await dbHash(db);
    const r = await run(['hours', 'import', '-'], { stdin: csv });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 4, column "email": conflict: external_id V-1 is person #1 but email');
    expect(r.stderr).toContain('line 5: person #3 is archived; new entries are refused');
    expect(r.stderr).toContain('line 6, column "km": give miles or km, not both');
    expect(r.stderr).toContain('line 7, column "reimbursed": invalid reimbursed "maybe"');
    expect(await dbHash(db)).toBe(before);
    const ok = await run(['hours', 'import', '-', '--skip-invalid'], { stdin: csv });
    expect(ok.stderr).toContain('inserted 2, updated 0, unchanged 0, skipped 0, invalid 4');
    expect(lines((await run(['hours', 'list'])).stdout)).toEqual([
      '1,2026-11-01,1,Ana,Okafor,ana@example.org,TELE,direct-service,1.50,6.21,0.00,yes,approved,',
      '2,2026-11-01,2,Sam,Lee,sam@example.org,PEER,direct-service,0.25,0.00,0.00,no,approved,',
    ]);
    await run(['programs', 'archive', 'TELE', '--yes']);
    const g = await run(['hours', 'import', '-'], { stdin: 'email,date,hours,program\nana@example.org,2026-11-03,1,TELE\n' });
    expect(g.code).toBe(3);
    expect(g.stderr).toContain('line 2, column "program": program TELE is archived; new entries are refused');
    // …but re-importing rows that are already there is fine after archiving.
    const again = await run(['hours', 'import', '-'], { stdin: 'person,date,duration,program,km,reimbursed\n1,2026-11-01,1:30,TELE,10,yes\n' });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('unchanged 1');
  });

  it('warns once per import about people passing 24 h in a day, naming up to 5', async () => {
    const { run } = await seeded();
    const rows = ['email,date,hours,program'];
    for (let d = 1; d <= 7; d++) rows.push(`ana@example.org,2026-11-0${d},20,TELE`, `ana@example.org,2026-11-0${d},5,PEER`);
    const r = await run(['hours', 'import', '-'], { stdin: rows.join('\n') + '\n' });
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warning'));
    expect(warnings).toEqual([
      'ngo: warning: 7 person-day(s) now pass 24 h: Ana Okafor (#1) on 2026-11-01: 25.00 h; Ana Okafor (#1) on 2026-11-02: 25.00 h; Ana Okafor (#1) on 2026-11-03: 25.00 h; Ana Okafor (#1) on 2026-11-04: 25.00 h; Ana Okafor (#1) on 2026-11-05: 25.00 h; and 2 more',
    ]);
  });

  it('needs a person, a date, a duration and a program on every row', async () => {
    const { run } = await seeded();
    const r = await run(['hours', 'import', '-'], {
      stdin:
        'email,date,hours,program,note\n,2026-11-01,1,TELE,x\nana@example.org,,1,TELE,x\nana@example.org,2026-11-01,,TELE,x\nana@example.org,2026-11-01,1,,x\n',
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 2, column "email": a row needs the person');
    expect(r.stderr).toContain('line 3, column "date": a date is required');
    expect(r.stderr).toContain('line 4, column "hours": a duration is required');
    expect(r.stderr).toContain('line 5, column "program": a program is required (a program column, or --program CODE for every row)');
  });

  it("--map and --date-format for other systems' column names", async () => {
    const { run } = await seeded();
    const csv = 'Volunteer,Shift,Time,Prog,Miles\nana@example.org,11/3/2026,2:45,TELE,7.5\n';
    const r = await run(['hours', 'import', '-', '--map', 'Shift=date', '--map', 'Time=duration', '--map', 'Prog=program', '--date-format', 'mdy'], {
      stdin: csv,
    });
    expect(r.code).toBe(0);
    expect(lines((await run(['hours', 'list'])).stdout)).toEqual(['1,2026-11-03,1,Ana,Okafor,ana@example.org,TELE,direct-service,2.75,7.50,0.00,no,approved,']);
    const strict = await run(['hours', 'import', '-', '--strict'], { stdin: 'email,date,hours,program,Colour\nana@example.org,2026-11-01,1,TELE,red\n' });
    expect(strict.code).toBe(3);
    expect(strict.stderr).toContain('unknown column(s): Colour');
  });
});

/**
 * Bulk mode: an import that inserts many rows (NGO_IMPORT_BULK_ROWS, default 100,000, and at least
 * half the table) drops the report indexes and builds them again at its end. NGO_IMPORT_BULK_ROWS=1
 * puts these small files into it at their first insert.
 */
describe('hours import in bulk mode', () => {
  const BULK = { NGO_IMPORT_BULK_ROWS: '1' };
  const schema = (db: string) => query<{ name: string; sql: string }>(db, 'SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name');

  // Bulk mode drops and rebuilds SQLite's indexes; PostgreSQL keeps its indexes (dropping them would lock readers out).
  it.skipIf(ON_PG)('stores the same entries as row by row, and leaves every index as the migrations made it', async () => {
    const a = await seeded();
    const b = await seeded();
    const before = await schema(b.db);
    expect(before.map((r) => r.name)).toEqual(expect.arrayContaining(['hours_date', 'hours_person_date', 'hours_program_date', 'hours_report']));
    const plain = await a.run(['hours', 'import', OCT]);
    const bulk = await b.run(['hours', 'import', OCT], { env: BULK, stderrTty: true });
    expect(plain.code).toBe(0);
    expect(bulk.code, bulk.stderr).toBe(0);
    expect(bulk.stderr).toContain('rebuilding the report indexes…');
    expect(bulk.stderr).toContain('inserted 5, updated 0, unchanged 0, skipped 0, invalid 0');
    expect((await b.run(['hours', 'list'])).stdout).toBe((await a.run(['hours', 'list'])).stdout);
    expect(await schema(b.db)).toEqual(before);
    expect(await query(b.db, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    // The rebuilt report index serves the tax report: same figures both ways.
    expect((await b.run(['report', 'tax', '--year', '2026'])).stdout).toBe((await a.run(['report', 'tax', '--year', '2026'])).stdout);
    // Re-importing in bulk mode finds every row.
    expect((await b.run(['hours', 'import', OCT], { env: BULK })).stderr).toContain('inserted 0, updated 0, unchanged 5');
  });

  it('a bad row after the indexes were dropped: exit 3, the database (indexes included) exactly as it was', async () => {
    const { db, run } = await seeded();
    await run(['hours', 'import', OCT]);
    const hash = await dbHash(db);
    const csv = 'email,date,hours,program\n' + 'ana@example.org,2026-11-01,1,TELE\n'.repeat(12) + 'sam@example.org,2026-11-02,25,PEER\n';
    const r = await run(['hours', 'import', '-'], { stdin: csv, env: BULK });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 14, column "hours"');
    expect(await dbHash(db)).toBe(hash);
    // A dry run in bulk mode also leaves it untouched.
    const ok = 'email,date,hours,program\n' + 'ana@example.org,2026-11-01,1,TELE\n'.repeat(12);
    const dry = await run(['hours', 'import', '-', '--dry-run'], { stdin: ok, env: BULK });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('dry run: would have inserted 12');
    expect(await dbHash(db)).toBe(hash);
  });

  it.each([
    ['row by row', {}],
    ['in bulk mode', BULK],
  ])('warns about the days the import took past 24 h, counting earlier entries, and only those days (%s)', async (_m, env) => {
    const { run } = await seeded();
    // Earlier: Sam already has 25 h on Nov 1 (not this import's business), Ana 20 h on Nov 2.
    await run(['hours', 'import', '-'], {
      stdin: 'email,date,hours,program\nsam@example.org,2026-11-01,20,PEER\nsam@example.org,2026-11-01,5,PEER\nana@example.org,2026-11-02,20,TELE\n',
    });
    const r = await run(['hours', 'import', '-'], {
      stdin: 'email,date,hours,program\nana@example.org,2026-11-02,5,PEER\nmei@example.org,2026-11-02,24,SCHOOL\nmei@example.org,2026-11-03,10,SCHOOL\n',
      env,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.includes('warning'))).toEqual([
      'ngo: warning: 1 person-day(s) now pass 24 h: Ana Okafor (#1) on 2026-11-02: 25.00 h',
    ]);
  });

  it('refuses a NGO_IMPORT_BULK_ROWS or NGO_IMPORT_BATCH_ROWS that is not a whole number of rows (exit 2), before reading anything', async () => {
    const { db, run } = await seeded();
    const hash = await dbHash(db);
    for (const name of ['NGO_IMPORT_BULK_ROWS', 'NGO_IMPORT_BATCH_ROWS']) {
      for (const bad of ['0', '1.5', 'many']) {
        const r = await run(['hours', 'import', OCT], { env: { [name]: bad } });
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`ngo: error: ${name} must be a whole number of rows (at least 1), got "${bad}"\n`);
      }
    }
    expect(await dbHash(db)).toBe(hash);
  });
});
