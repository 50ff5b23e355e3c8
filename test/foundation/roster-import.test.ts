import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { dbHash, mustSucceed, parseCsv, query, tmpDb, withDb } from '../helpers.js';

const FIX = path.resolve(__dirname, '../../fixtures');

describe('roster import (people import)', () => {
  it('imports a spreadsheet export: BOM, CRLF, synonyms, quoted comma and line break, accents, mixed-case emails, leading zeros', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    const r = await run(['people', 'import', path.join(FIX, 'roster-spreadsheet.csv')]);
    expect(r.stderr).toContain('inserted 4, updated 0, unchanged 0, skipped 0, invalid 0');
    expect(r.code).toBe(0);
    const people = JSON.parse((await run(['people', 'list', '--json'])).stdout) as Record<string, unknown>[];
    expect(people).toHaveLength(4);
    const jose = people.find((p) => p['external_id'] === 'V-001')!;
    expect(jose).toMatchObject({
      first_name: 'José',
      last_name: 'Álvarez',
      email: 'jose.alvarez@example.org',
      phone: '617-555-0101',
      roles: 'volunteer',
      credential: 'LCSW',
      license_number: '0012345',
      region: 'MA',
      postal_code: '02134',
      joined_on: '2024-03-01',
      notes: 'Prefers evenings, weekends ok\nSpeaks Spanish', // the spreadsheet's CRLF inside the cell, stored as \n
    });
    expect(people.find((p) => p['external_id'] === 'V-002')).toMatchObject({
      first_name: 'Zoë',
      last_name: 'Nakamura-Søndergaard',
      email: 'zoe.n@example.org',
      roles: 'volunteer,mentor',
      postal_code: '02903',
    });
    expect(people.find((p) => p['external_id'] === 'V-003')).toMatchObject({
      notes: 'Has "clinical" supervision cert',
      postal_code: '06103',
      license_number: '00987',
    });
    expect(people.find((p) => p['email'] === 'francois.dupont@example.org')).toMatchObject({ external_id: null, first_name: 'François', postal_code: '01608' });
    // Found by any case of the email.
    expect((await run(['people', 'show', 'JOSE.ALVAREZ@example.org', '--json'])).code).toBe(0);
  });

  it('re-importing the same file reports unchanged for every row and writes nothing but the import record', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'import', path.join(FIX, 'roster-spreadsheet.csv')]);
    const peopleBefore = (await run(['people', 'export'])).stdout;
    const r = await run(['people', 'import', path.join(FIX, 'roster-spreadsheet.csv'), '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 0, updated 0, unchanged 4, skipped 0, invalid 0');
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, skipped: 0, invalid: 0 });
    expect((await run(['people', 'export'])).stdout).toBe(peopleBefore);
  });

  it('a file with bad rows among good ones writes nothing, exits 3 and names each line and column', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['init']);
    const before = await dbHash(db);
    const r = await run(['people', 'import', path.join(FIX, 'roster-two-bad.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('line 3, column "joined_on": invalid joined_on "2026-02-30"');
    expect(r.stderr).toContain('line 5, column "email": invalid email "ravi@example"');
    expect(r.stderr).toMatch(/2 invalid row\(s\) in .*roster-two-bad\.csv; nothing was imported/);
    expect(await dbHash(db)).toBe(before);
    expect((await run(['people', 'list'])).stdout.trim().split('\n')).toHaveLength(1);
  });

  it('--skip-invalid --rejects writes the good rows and the bad ones with line and error', async () => {
    const { dir, db } = await tmpDb();
    const run = withDb(db);
    const rejects = path.join(dir, 'r.csv');
    const r = await run(['people', 'import', path.join(FIX, 'roster-two-bad.csv'), '--skip-invalid', '--rejects', rejects]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 2, updated 0, unchanged 0, skipped 0, invalid 2');
    const emails = parseCsv((await run(['people', 'list'])).stdout).map((p) => p['email']);
    expect(emails.sort()).toEqual(['ana@example.org', 'mei@example.org']);
    const rej = parseCsv(fs.readFileSync(rejects, 'utf8'));
    expect(rej).toEqual([
      {
        external_id: 'V-011',
        first_name: 'Sam',
        last_name: 'Lee',
        email: 'sam@example.org',
        joined_on: '2026-02-30',
        postal_code: '10001',
        line: '3',
        error: expect.stringContaining('invalid joined_on "2026-02-30"'),
      },
      {
        external_id: 'V-013',
        first_name: 'Ravi',
        last_name: 'Patel',
        email: 'ravi@example',
        joined_on: '2025-06-01',
        postal_code: '60601',
        line: '5',
        error: expect.stringMatching(/^invalid email "ravi@example" \(ngo import #1 ref [0-9a-f]{8}\)$/),
      },
    ]);
  });

  it('--dry-run validates and writes nothing', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['init']);
    const before = await dbHash(db);
    const r = await run(['people', 'import', path.join(FIX, 'roster-spreadsheet.csv'), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 4');
    expect(await dbHash(db)).toBe(before);
  });

  it('matches by external id first, then email; empty cells leave values alone; conflicts are invalid rows', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'import', '-'], {
      stdin: 'external_id,first_name,last_name,email,phone\nX1,Ana,Okafor,ana@example.org,555-1\n,Sam,Lee,sam@example.org,555-2\n',
    });
    // X1 changes email; Sam (no external id) gets one by email; phone empty = unchanged.
    const r = await run(['people', 'import', '-'], { stdin: 'external_id,first_name,email,phone\nX1,Ana,ana.okafor@example.org,\nX2,Sam,SAM@example.org,\n' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 0, updated 2, unchanged 0');
    const people = JSON.parse((await run(['people', 'list', '--json'])).stdout) as Record<string, unknown>[];
    expect(people.map((p) => [p['external_id'], p['email'], p['phone']])).toEqual([
      ['X2', 'sam@example.org', '555-2'],
      ['X1', 'ana.okafor@example.org', '555-1'],
    ]);
    const before = await dbHash(db);
    const c = await run(['people', 'import', '-'], { stdin: 'external_id,first_name,email\nX1,Ana,sam@example.org\n' });
    expect(c.code).toBe(3);
    expect(c.stderr).toMatch(/line 2, column "email": conflict: external_id X1 is person #1 but email sam@example.org is person #2/);
    expect(await dbHash(db)).toBe(before);
    const audit = JSON.parse((await run(['audit', '--entity', 'person', '--id', '1', '--json'])).stdout) as { action: string; changes: string }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    expect(JSON.parse(audit[1]!.changes)).toEqual({ email: ['ana@example.org', 'ana.okafor@example.org'] });
  });

  it('export round-trips through import', async () => {
    const { dir, db } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'import', path.join(FIX, 'roster-spreadsheet.csv')]);
    await run(['people', 'add', '--first', '=HYPERLINK("x")', '--email', 'h@example.org', '--rate', '85.5']);
    const out = path.join(dir, 'export.csv');
    expect((await run(['people', 'export', '--out', out])).code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe(
      'id,external_id,first_name,last_name,email,phone,roles,credential,license_number,license_region,license_expires,hourly_rate,address_line1,address_line2,city,region,postal_code,country,joined_on,status,notes',
    );
    expect(text).toContain(`'=HYPERLINK`);
    const { db: db2 } = await tmpDb();
    const run2 = withDb(db2);
    const r = await run2(['people', 'import', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('inserted 5');
    const strip = (s: string) =>
      s
        .split('\n')
        .map((l) => l.replace(/^\d+,/, ''))
        .join('\n');
    expect(strip((await run2(['people', 'list', '--status', 'all'])).stdout)).toBe(strip((await run(['people', 'list', '--status', 'all'])).stdout));
    // The formula guard is undone on import: the name is stored exactly as typed.
    expect(JSON.parse((await run2(['people', 'show', 'h@example.org', '--json'])).stdout)[0].first_name).toBe('=HYPERLINK("x")');
  });

  it('export → import round-trips every text value exactly, including values that begin with an apostrophe', async () => {
    const { dir, db } = await tmpDb();
    const run = mustSucceed(withDb(db));
    const values = ["'", "'hello", "'=1+1", "''=x", '=1+1', '+1 617 555 0100', '-x', '@home', "'-", "'@", 'plain', 'Ünïcödé 王秀英'];
    for (const [i, v] of values.entries())
      await run(['people', 'add', '--first', v, '--last', v, '--email', `p${i}@example.org`, '--notes', `${v}\nsecond line`, '--city', v]);
    const out = path.join(dir, 'export.csv');
    await run(['people', 'export', '--out', out]);
    const { db: db2 } = await tmpDb();
    const run2 = mustSucceed(withDb(db2));
    expect((await run2(['people', 'import', out])).stderr).toContain(`inserted ${values.length},`);
    const stored = (d: string) => query(d, 'SELECT email, first_name, last_name, notes, city FROM people ORDER BY email');
    expect(await stored(db2)).toEqual(await stored(db));
    for (const [i, v] of values.entries()) {
      expect((await stored(db2)).find((p) => (p as { email: string }).email === `p${i}@example.org`)).toEqual({
        email: `p${i}@example.org`,
        first_name: v,
        last_name: v,
        notes: `${v}\nsecond line`,
        city: v,
      });
    }
    // And again: the export of the imported copy is the same file, but for the ids (this database's own).
    const out2 = path.join(dir, 'export2.csv');
    await run2(['people', 'export', '--out', out2]);
    const noIds = (f: string) => parseCsv(fs.readFileSync(f, 'utf8')).map(({ id: _id, ...rest }) => rest);
    expect(noIds(out2)).toEqual(noIds(out));
    // Imported into the database it came from, the export is unchanged (Contract v2).
    expect((await run(['people', 'import', out])).stderr).toContain(`inserted 0, updated 0, unchanged ${values.length},`);
  });

  it('a fixed rejects file imported twice: applied the first time, unchanged the second; the unfixed twin is still refused', async () => {
    const { dir, db } = await tmpDb();
    const run = withDb(db, { cwd: dir });
    fs.writeFileSync(
      path.join(dir, 'r.csv'),
      'External ID,First Name,Last Name,E-mail\nV-1,Ana,Okafor,ana@example.org\nV-2,Bob,Smith,BOB@Example.org\nV-3,Cara,Diaz,bob@example.org\nV-4,Dee,Bad,dee@example\n',
    );
    expect((await run(['people', 'import', 'r.csv', '--skip-invalid', '--rejects', 'rej.csv'])).stderr).toContain(
      'inserted 2, updated 0, unchanged 0, skipped 0, invalid 2',
    );
    const rejects = fs.readFileSync(path.join(dir, 'rej.csv'), 'utf8');
    expect(rejects).toContain('V-3,Cara,Diaz,bob@example.org,4,the same person as line 3 (email bob@example.org)');
    // The administrator fixes the values and keeps the line and error columns, as the rejects file says.
    fs.writeFileSync(path.join(dir, 'fixed.csv'), rejects.replace('Diaz,bob@example.org', 'Diaz,cara@example.org').replace('dee@example,', 'dee@example.org,'));
    const first = await run(['people', 'import', 'fixed.csv']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('inserted 2, updated 0, unchanged 0, skipped 0, invalid 0');
    const again = await run(['people', 'import', 'fixed.csv']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('inserted 0, updated 0, unchanged 2, skipped 0, invalid 0');
    // The row as it was rejected still names Bob's email: applying it would overwrite Bob, so it is refused.
    const unfixed = await run(['people', 'import', 'rej.csv']);
    expect(unfixed.code).toBe(3);
    expect(unfixed.stderr).toContain('line 2: the same person as line 3 of the file first imported, whose row was imported');
    expect((await query(db, "SELECT first_name FROM people WHERE email = 'bob@example.org'"))[0]).toEqual({ first_name: 'Bob' });
  });
});
