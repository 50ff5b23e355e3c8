/**
 * Privacy: `people forget` leaves no trace of the erased values anywhere in the database (every table,
 * the audit rows of the roster import and of `people edit` included) while the hours still count in
 * the reports; and import errors name the bad cell, never the row's other personal values.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseCsv, tmpDb, withDb } from '../helpers.js';
import { withRaw } from './proc.js';

/** Distinctive values that cannot occur by chance in ids, hashes or timestamps. */
const P = {
  ext: 'VOL-ZQ-77',
  first: 'Zephyrine',
  last: 'Quillfeather',
  email: 'zeph.quill@example.org',
  phone: '555-0199-ZQ',
  credential: 'LCSW-Quill',
  license: 'LIC-884422-QF',
  licenseRegion: 'Quillshire',
  address: '742 Evergreen Terrace',
  address2: 'Flat Quill 9',
  city: 'Quillington',
  postal: 'QF-02134',
  notes: 'prefers Quillfeather evenings',
};
/** Values set later by `people edit` (before and after are both in its audit row). */
const EDITED = { address: '12 Juniper Lane', phone: '555-0123-ZQ', license: 'LIC-999111-QF', last: 'Quillfeather-Smythe', email: 'zq.new@example.org' };
const SECRETS = [...Object.values(P), ...Object.values(EDITED)];

/** All text of every user table, one string per table. */
function allText(db: string): Record<string, string> {
  return withRaw(db, (d) => {
    const tables = (d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map(
      (t) => t.name,
    );
    return Object.fromEntries(tables.map((t) => [t, JSON.stringify(d.prepare(`SELECT * FROM "${t}"`).all())]));
  });
}

async function scenario() {
  const { dir, db } = await tmpDb();
  const run = withDb(db);
  const ok = async (args: string[]) => {
    const r = await run(args);
    expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  };
  await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
  await ok(['programs', 'add', 'PEER', '--name', 'Peer support']);
  await ok(['funders', 'add', 'F', '--name', 'Fund']);
  await ok(['funders', 'fund', 'F', '--program', 'TELE', '--from', '2026-01-01']);
  await ok(['funders', 'fund', 'F', '--program', 'PEER', '--from', '2026-01-01']);
  await ok(['rates', 'set', 'volunteer-hour', '2026', '30.00']);
  // The person comes in through a roster import (audited per person) ...
  const roster = path.join(dir, 'roster.csv');
  fs.writeFileSync(
    roster,
    'external_id,first_name,last_name,email,phone,credential,license_number,license_region,license_expires,address_line1,address_line2,city,postal_code,notes,roles,hourly_rate\n' +
      `${P.ext},${P.first},${P.last},${P.email},${P.phone},${P.credential},${P.license},${P.licenseRegion},2027-06-30,${P.address},${P.address2},${P.city},${P.postal},${P.notes},volunteer,85\n` +
      'V-2,Ana,Okafor,ana@example.org,,,,,,,,,,,volunteer,\n',
  );
  expect((await ok(['people', 'import', roster])).stderr).toContain('inserted 2,');
  // ... is edited (before/after audited) ...
  await ok(['people', 'edit', P.email, '--address-line1', EDITED.address, '--phone', EDITED.phone, '--license-number', EDITED.license, '--last', EDITED.last]);
  await ok(['people', 'edit', P.ext, '--email', EDITED.email]);
  // ... and has hours: logged, and imported by email.
  await ok(['hours', 'log', P.ext, '--program', 'TELE', '--hours', '2.5', '--date', '2026-03-01', '--miles', '12', '--expenses', '10.00']);
  await ok(['hours', 'log', 'V-2', '--program', 'TELE', '--hours', '1', '--date', '2026-03-01']);
  const hours = path.join(dir, 'hours.csv');
  fs.writeFileSync(
    hours,
    `email,date,hours,program\n${EDITED.email},2026-03-02,1.5,PEER\n${EDITED.email},2026-04-02,3,TELE\nana@example.org,2026-04-02,2,PEER\n`,
  );
  await ok(['hours', 'import', hours]);
  const id = Number(JSON.parse((await ok(['people', 'show', P.ext, '--json'])).stdout)[0].id);
  return { dir, db, run, ok, id };
}

describe('people forget', () => {
  it('erases name, contact, address and licence everywhere; the hours still count in every report', async () => {
    const { db, run, ok, id } = await scenario();
    // Before: the values are there (in people and in the audit log) — the test would catch them.
    const before = allText(db);
    expect(before['people']).toContain(EDITED.address);
    for (const s of [P.email, P.last, P.address, P.license, EDITED.address, EDITED.license]) expect(before['audit_log']).toContain(s);

    const reports = async () => ({
      byProgram: (await ok(['report', 'hours', '--period', '2026', '--by', 'program'])).stdout,
      byMonth: (await ok(['report', 'hours', '--period', '2026', '--by', 'month'])).stdout,
      funder: (await ok(['report', 'funder', '--funder', 'F', '--period', '2026'])).stdout,
      // The tax statement is per person (name and address change); its figures must not.
      tax: parseCsv((await ok(['report', 'tax', '--year', '2026'])).stdout)
        .map((r) => [r['person_id'], r['hours_served'], r['service_days'], r['miles'], r['mileage_amount'], r['expenses'], r['total_deductible']].join(','))
        .sort(),
    });
    const r0 = await reports();
    // Hand-computed: TELE 2.5 + 1 + 3 = 6.50 h, PEER 1.5 + 2 = 3.50 h.
    const prog = parseCsv(r0.byProgram);
    expect(prog.find((r) => Object.values(r).includes('TELE'))).toMatchObject({ hours: '6.50' });
    expect(prog.find((r) => Object.values(r).includes('PEER'))).toMatchObject({ hours: '3.50' });
    expect(parseCsv(r0.funder).find((r) => r['program_code'] === 'TOTAL')).toMatchObject({
      volunteer_hours: '10.00',
      volunteers: '2',
      miles: '12.00',
      volunteer_expenses: '10.00',
    });

    const f = await run(['people', 'forget', P.ext, '--yes']);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toBe(`${id}\n`);
    for (const s of SECRETS) expect(f.stderr).not.toContain(s);

    const p = JSON.parse((await ok(['people', 'show', String(id), '--json'])).stdout)[0] as Record<string, unknown>;
    expect(p).toMatchObject({
      first_name: `Erased person #${id}`,
      last_name: null,
      email: null,
      external_id: null,
      phone: null,
      credential: null,
      license_number: null,
      license_region: null,
      license_expires: null,
      address_line1: null,
      address_line2: null,
      city: null,
      region: null,
      postal_code: null,
      country: null,
      notes: null,
      roles: 'volunteer',
      hourly_rate: 85,
    });
    // The hours and every aggregate are unchanged.
    expect(await reports()).toEqual(r0);
    expect(parseCsv((await ok(['hours', 'list', '--person', String(id)])).stdout)).toHaveLength(3);

    // No table holds any erased value: people, audit_log (import + edit + log rows), imports, hours …
    const after = allText(db);
    for (const [table, text] of Object.entries(after)) {
      for (const s of SECRETS) expect(text, `${table} still holds "${s}"`).not.toContain(s);
    }
    // The audit log still records that things happened (rows are scrubbed, not deleted).
    const audit = withRaw(db, (d) => d.prepare("SELECT action, changes FROM audit_log WHERE entity = 'person' AND entity_id = ? ORDER BY id").all(id)) as {
      action: string;
      changes: string;
    }[];
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'forget']);
    expect(JSON.parse(audit[1]!.changes)).toMatchObject({ address_line1: ['[erased]', '[erased]'], last_name: ['[erased]', '[erased]'] });
    // Forgetting twice is a conflict; the person's old references no longer resolve.
    expect((await run(['people', 'forget', String(id), '--yes'])).code).toBe(5);
    expect((await run(['people', 'show', P.ext])).code).toBe(4);
    expect((await run(['people', 'show', EDITED.email])).code).toBe(4);
  });

  /** Which erased values can still be read from the bytes on disk (main file and WAL). */
  const onDisk = (db: string) => {
    const bytes = Buffer.concat([db, `${db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    return SECRETS.filter((s) => bytes.includes(Buffer.from(s)));
  };

  // Earlier versions of the person's row (left in free space by `people edit` / the import's updates)
  // would stay readable in the file; the forget command compacts the file after its transaction.
  it('the erased values are not left readable in the database file itself (free space, WAL)', async () => {
    const { db, ok } = await scenario();
    await ok(['people', 'forget', P.ext, '--yes']);
    // The CLI has closed the database; whatever is on disk is what a stolen laptop or a copied file holds.
    const left = onDisk(db);
    expect(left, `still in the file: ${left.join(', ')}`).toEqual([]);
  });

  it('after the compaction the file is sound and the hours still count', async () => {
    const { db, ok } = await scenario();
    await ok(['people', 'forget', P.ext, '--yes']);
    expect(onDisk(db)).toEqual([]);
    expect(withRaw(db, (d) => (d.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check)).toBe('ok');
    expect((await ok(['report', 'hours', '--period', '2026', '--by', 'program'])).stdout).toContain('6.50');
  });
});

describe('errors never print whole rows', () => {
  const row = {
    email: 'row.secret@example.org',
    phone: '555-0177-RS',
    address: '99 Hidden Hollow',
    last: 'Secretsworth',
    ext: 'VOL-RS-1',
  };

  for (const debug of [false, true]) {
    it(`a bad cell prints its line, column and problem, not the row's other personal values${debug ? ' (--debug)' : ''}`, async () => {
      const { dir, db } = await tmpDb();
      const run = withDb(db);
      const g = debug ? ['--debug'] : [];
      await run(['programs', 'add', 'TELE', '--name', 'Telehealth']);
      const roster = path.join(dir, 'r.csv');
      fs.writeFileSync(
        roster,
        'external_id,first_name,last_name,email,phone,address_line1,license_expires,hourly_rate\n' +
          `${row.ext},Rita,${row.last},${row.email},${row.phone},${row.address},2027-02-30,85\n` +
          `VOL-RS-2,Rob,${row.last},rob.${row.email},${row.phone},${row.address},2027-01-01,abc\n` +
          `VOL-RS-3,Ray,${row.last},ray.${row.email},${row.phone},${row.address},2027-01-01,85,\n`,
      );
      const r = await run([...g, 'people', 'import', roster]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^ngo: error: line 2, column "license_expires": invalid license_expires "2027-02-30" \(expected YYYY-MM-DD\)$/m);
      expect(r.stderr).toMatch(/^ngo: error: line 3, column "hourly_rate": invalid hourly_rate "abc"/m);
      for (const s of [row.email, row.phone, row.address, row.last, row.ext, 'Rita', 'Rob']) expect(r.stderr, s).not.toContain(s);
      if (debug) expect(r.stderr).toContain('ValidationError');

      // Hours: a bad hours cell on a row that names the person by email.
      await run(['people', 'add', '--first', 'Rita', '--last', row.last, '--email', row.email, '--phone', row.phone]);
      const hours = path.join(dir, 'h.csv');
      fs.writeFileSync(hours, `email,date,hours,program,note\n${row.email},2026-03-01,2,TELE,ok\n${row.email},2026-03-02,two,TELE,met ${row.last}\n`);
      const h = await run([...g, 'hours', 'import', hours]);
      expect(h.code).toBe(3);
      expect(h.stderr).toMatch(/^ngo: error: line 3, column "hours": invalid hours "two"/m);
      for (const s of [row.email, row.phone, row.last]) expect(h.stderr, s).not.toContain(s);

      // A row with a column too many: the message names the line and the extra cell only.
      const ragged = path.join(dir, 'rg.csv');
      fs.writeFileSync(ragged, `email,date,hours,program\n${row.email},2026-03-01,2,TELE,surplus\n`);
      const rg = await run([...g, 'hours', 'import', ragged]);
      expect(rg.code).toBe(3);
      expect(rg.stderr).toMatch(/^ngo: error: line 2: expected 4 columns, found 5 \(extra: "surplus"\)$/m);
      expect(rg.stderr).not.toContain(row.email);
    });
  }
});
