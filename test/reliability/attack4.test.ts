/**
 * The findings of a fourth black-box attack on issues 15 and 16, each turned into a test of what must
 * happen.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { mustSucceed, tmpDb, withDb } from '../helpers.js';
import { binWithFd, withRaw } from './proc.js';
import { scrubberFor } from '../../src/domain/erasure.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/schema.js';

async function base() {
  const { dir, db } = await tmpDb();
  const run = withDb(db, { cwd: dir });
  const ok = mustSucceed(run);
  await ok(['programs', 'add', 'PEER', '--name', 'Peer support']);
  await ok(['people', 'add', '--first', 'Sam', '--last', 'Lee', '--email', 'sam@example.org', '--external-id', 'V1']);
  return { dir, db, run, ok };
}

const entries = (db: string) => withRaw(db, (d) => d.prepare('SELECT id, minutes, note FROM hours ORDER BY id').all());
const exportOf = async (ok: ReturnType<typeof mustSucceed>, file: string) =>
  fs.writeFileSync(file, (await ok(['hours', 'list', '--period', '2026-10', '--format', 'csv'])).stdout);

describe('1. an export taken at any time re-imports as unchanged after hours edit', () => {
  it('a hand-logged entry: export, correct it, re-import the export: nothing added', async () => {
    const { dir, db, ok } = await base();
    const id = (await ok(['hours', 'log', 'sam@example.org', '--program', 'PEER', '--hours', '1', '--date', '2026-10-07', '--note', 'manual M'])).stdout.trim();
    const m = path.join(dir, 'm.csv');
    await exportOf(ok, m);
    await ok(['hours', 'edit', id, '--hours', '1.25']);
    expect((await ok(['hours', 'import', m])).stderr).toContain('inserted 0, updated 0, unchanged 1,');
    expect(entries(db)).toEqual([{ id: Number(id), minutes: 75, note: 'manual M' }]);
    // Corrected back, then again: every export taken on the way still matches.
    const m2 = path.join(dir, 'm2.csv');
    await exportOf(ok, m2);
    await ok(['hours', 'edit', id, '--hours', '1']);
    await ok(['hours', 'edit', id, '--hours', '2', '--note', 'manual M fixed']);
    for (const f of [m, m2]) expect((await ok(['hours', 'import', f])).stderr, f).toContain('inserted 0, updated 0, unchanged 1,');
    expect(entries(db)).toEqual([{ id: Number(id), minutes: 120, note: 'manual M fixed' }]);
  });

  it('an imported entry edited twice: the source file, the export between the edits and the latest export add nothing', async () => {
    const { dir, db, ok } = await base();
    const t = path.join(dir, 't.csv');
    fs.writeFileSync(
      t,
      'email,date,hours,program,note\nsam@example.org,2026-10-02,2,PEER,imp A\nsam@example.org,2026-10-02,2,PEER,imp A\nsam@example.org,2026-10-03,1,PEER,imp B\n',
    );
    await ok(['hours', 'import', t]);
    await ok(['hours', 'edit', '1', '--hours', '2.5', '--note', 'fixed A']);
    const exp1 = path.join(dir, 'exp1.csv');
    await exportOf(ok, exp1);
    await ok(['hours', 'edit', '1', '--hours', '3', '--note', 'fixed A again']);
    const exp2 = path.join(dir, 'exp2.csv');
    await exportOf(ok, exp2);
    for (const f of [t, exp1, exp2]) expect((await ok(['hours', 'import', f])).stderr, f).toContain('inserted 0, updated 0, unchanged 3,');
    expect(entries(db)).toEqual([
      { id: 1, minutes: 180, note: 'fixed A again' },
      { id: 2, minutes: 120, note: 'imp A' },
      { id: 3, minutes: 60, note: 'imp B' },
    ]);
    // The source file with a third "imp A" row adds exactly that one.
    fs.appendFileSync(t, 'sam@example.org,2026-10-02,2,PEER,imp A\n');
    expect((await ok(['hours', 'import', t])).stderr).toContain('inserted 1, updated 0, unchanged 3,');
  });

  it('a database at schema 5 keeps the source keys of its corrected entries as earlier keys (schema 6)', async () => {
    const { dir, db, ok } = await base();
    const t = path.join(dir, 't.csv');
    fs.writeFileSync(t, 'email,date,hours,program,note\nsam@example.org,2026-10-02,2,PEER,imp A\n');
    await ok(['hours', 'import', t]);
    await ok(['hours', 'edit', '1', '--hours', '2.5']);
    const exp = path.join(dir, 'exp.csv');
    await exportOf(ok, exp);
    // As schema 5 stored it: the source key in source_fp/source_seq.
    withRaw(db, (d) => {
      d.exec(`ALTER TABLE hours ADD COLUMN source_fp BLOB; ALTER TABLE hours ADD COLUMN source_seq INTEGER;
              CREATE UNIQUE INDEX hours_source ON hours(source_fp, source_seq) WHERE source_fp IS NOT NULL;
              UPDATE hours SET source_fp = (SELECT fingerprint FROM hours_keys WHERE entry_id = hours.id), source_seq = (SELECT seq FROM hours_keys WHERE entry_id = hours.id);
              DROP TABLE tax_letters; DROP TABLE hours_keys; DROP TABLE hours_rejected; ALTER TABLE imports DROP COLUMN token;`);
      d.pragma('user_version = 5');
    });
    for (const f of [t, exp]) expect((await ok(['hours', 'import', f])).stderr, f).toContain('inserted 0, updated 0, unchanged 1,');
    expect(withRaw(db, (d) => d.pragma('user_version', { simple: true }))).toBe(LATEST_SCHEMA_VERSION);
    expect(withRaw(db, (d) => d.prepare("SELECT count(*) FROM pragma_table_info('hours') WHERE name LIKE 'source%'").pluck().get())).toBe(0);
    expect(entries(db)).toHaveLength(1);
  });
});

describe('2. every write whose output cannot be printed says what it saved', () => {
  const toFull = (db: string, args: string[], cwd: string) => {
    const fd = fs.openSync('/dev/full', 'w');
    try {
      return binWithFd(['--db', db, ...args], fd, 1, cwd);
    } finally {
      fs.closeSync(fd);
    }
  };
  it('import, backup, restore, config set: exit 6 naming what was saved; a dry run and a read name nothing', async () => {
    const { dir, db, ok } = await base();
    const q = path.join(dir, 'q.csv');
    fs.writeFileSync(q, 'email,date,hours,program\nsam@example.org,2026-10-22,1,PEER\n');
    const dry = toFull(db, ['--quiet', 'hours', 'import', q, '--dry-run', '--json'], dir);
    expect(dry.status).toBe(6);
    expect(dry.stderr).toBe('ngo: error: cannot write standard output: no space left on the device\n');
    const imp = toFull(db, ['--quiet', 'hours', 'import', q, '--json'], dir);
    expect(imp.status).toBe(6);
    expect(imp.stderr).toMatch(
      /^ngo: error: cannot write standard output: no space left on the device; the import itself was saved \(import #\d+; importing the file again adds nothing\)\n$/,
    );
    expect(entries(db)).toHaveLength(1);
    const bk = path.join(dir, 'bk.db');
    const backup = toFull(db, ['--quiet', 'db', 'backup', bk], dir);
    expect(backup.status).toBe(6);
    expect(backup.stderr).toContain(`; the backup itself was written to ${bk}\n`);
    expect(fs.existsSync(bk)).toBe(true);
    const restore = toFull(db, ['--quiet', 'db', 'restore', bk, '--yes'], dir);
    expect(restore.status).toBe(6);
    expect(restore.stderr).toMatch(/; the restore itself was done \(the previous database is kept at .*ngo\.db\.before-restore-\d{4}-\d\d-\d\d-\d{6}\)\n$/);
    const set = toFull(db, ['--quiet', 'config', 'set', 'org.name', 'Hope'], dir);
    expect(set.status).toBe(6);
    expect(set.stderr).toContain('; the change itself was saved (ngo audit lists it)\n');
    expect((await ok(['config', 'get', 'org.name'])).stdout).toBe('Hope\n');
    const read = toFull(db, ['hours', 'list'], dir);
    expect(read.stderr).toBe('ngo: error: cannot write standard output: no space left on the device\n');
  });
});

describe('3. the audit log shows money and miles in their units, and a table never cuts them', () => {
  it('hours edit --expenses 12345678.91 --km 100: changes reads 12345678.91 and 62.14 in CSV, JSON and at 80 columns', async () => {
    const { ok, run } = await base();
    const id = (await ok(['hours', 'log', 'V1', '--program', 'PEER', '--hours', '1', '--date', '2026-10-07'])).stdout.trim();
    await ok(['hours', 'edit', id, '--expenses', '12345678.91', '--km', '100']);
    await ok(['rates', 'set', 'mileage', '2026', '0.15']);
    const csv = (await ok(['audit', '--entity', 'hours', '--id', id, '--format', 'csv'])).stdout;
    expect(csv).toContain('"{""miles"":[0.00,62.14],""expenses"":[0.00,12345678.91]}"');
    const created = csv.split('\n')[1]!;
    expect(created).toContain('""minutes"":[null,60]');
    expect(created).toContain('""expenses"":[null,0.00]');
    const json = JSON.parse((await ok(['audit', '--entity', 'hours', '--id', id, '--json'])).stdout) as { changes: string }[];
    expect(JSON.parse(json[1]!.changes)).toEqual({ miles: [0, 62.14], expenses: [0, 12345678.91] });
    expect((await ok(['audit', '--entity', 'rate', '--format', 'csv'])).stdout).toContain('"{""mileage"":[null,0.15]}"');
    const table = (await run(['audit', '--entity', 'hours', '--id', id], { tty: true, columns: 80, env: { NO_COLOR: '1' } })).stdout;
    expect(table).toContain('changes    {"miles":[0.00,62.14],"expenses":[0.00,12345678.91]}');
    expect(table).not.toContain('…');
  });
});

describe('4. people forget finds the common spellings of a name, an address and a phone number', () => {
  const jose = {
    first_name: 'José',
    last_name: "O'Neil",
    email: 'jose@example.org',
    external_id: 'V-77',
    phone: '(617) 555-0199',
    license_number: null,
    address_line1: "12 Rue de l'Église",
    address_line2: null,
  };
  const kim = {
    first_name: 'Kim',
    last_name: 'Ng',
    email: null,
    external_id: null,
    phone: '+44 20 7946 0958',
    license_number: null,
    address_line1: null,
    address_line2: null,
  };
  it('a name with two spaces or a line break, an address with a typographic apostrophe, a UK number in national formats', () => {
    const s = scrubberFor(jose);
    for (const t of ["José  O'Neil", 'José\nO’Neil', "O'Neil,  José", '12 Rue de l’Église', "12  Rue de l'Église", '617.555.0199', '+1 (617) 555-0199']) {
      expect(s(`met ${t} today`), t).toBe('met [erased] today');
    }
    const k = scrubberFor(kim);
    for (const t of ['020 7946 0958', '(020) 7946-0958', '+442079460958', '+44 (0)20 7946 0958', '0044 20 7946 0958']) {
      expect(k(`call ${t} now`), t).toMatch(/^call \S*\[erased\] now$/);
    }
    // Other numbers and names stay.
    expect(k('call 020 7946 0959 now')).toBe('call 020 7946 0959 now');
    expect(k('Kimberly Ngo and Kim Ngo')).toBe('Kimberly Ngo and Kim Ngo');
    expect(s("José O'Neill")).toBe("José O'Neill");
  });
});

describe('5. a read-only --out target is never replaced, by root either', () => {
  it('chmod 444 target: exit 6 "the file is read-only", the file unchanged, for --out and --out-dir', async () => {
    const { dir, run, ok } = await base();
    await ok(['funders', 'add', 'F', '--name', 'F']);
    await ok(['funders', 'fund', 'F', '--program', 'PEER', '--from', '2024-01-01']);
    const ro = path.join(dir, 'ro.csv');
    fs.writeFileSync(ro, 'keep\n');
    fs.chmodSync(ro, 0o444);
    const r = await run(['report', 'tax', '--year', '2025', '--out', ro]);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('cannot write');
    expect(r.stderr).toContain('the file is read-only');
    expect(fs.readFileSync(ro, 'utf8')).toBe('keep\n');
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const name = path.join(out, 'funder-F-2025-01-01_2025-12-31.csv');
    fs.writeFileSync(name, 'keep\n');
    fs.chmodSync(name, 0o444);
    const d = await run(['report', 'funder', '--all', '--period', '2025', '--out-dir', out]);
    expect(d.code, d.stderr).toBe(6);
    expect(fs.readFileSync(name, 'utf8')).toBe('keep\n');
  });
});

describe('7. smaller findings', () => {
  it('standard output onto the -wal names the -wal; ending a rate says so; a zero-width space is shown escaped on a terminal', async () => {
    const { db, ok, run } = await base();
    await ok(['hours', 'log', 'V1', '--program', 'PEER', '--hours', '1', '--date', '2026-10-07']);
    const fd = fs.openSync(`${db}-wal`, 'a');
    try {
      const r = binWithFd(['--db', db, 'hours', 'list'], fd, 1);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`standard output is the database's -wal file (${fs.realpathSync(db)}-wal); refusing to write over it`);
    } finally {
      fs.closeSync(fd);
    }
    await ok(['people', 'edit', 'V1', '--rate', '80', '--rate-from', '2026-01-01']);
    const end = await run(['people', 'edit', 'V1', '--rate', '', '--rate-from', '2026-10-01']);
    expect(end.stderr).toContain(
      'ngo: warning: ending the rate makes 1 entry dated from 2026-10-01 on general volunteer time: reports for periods from 2026-10-01 change (earlier periods do not)',
    );
    await ok(['people', 'add', '--first', 'A\u200bB\u200bC']);
    const list = await run(['people', 'list'], { tty: true, columns: 140, env: { NO_COLOR: '1' } });
    expect(list.stdout).toContain('A\\u200bB\\u200bC');
    expect((await run(['people', 'list', '--json'], { tty: true })).stdout).toContain('A\\u200bB\\u200bC');
  });
});
