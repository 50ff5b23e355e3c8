import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dbHash, ngo, tmpDb, withDb } from '../helpers.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/schema.js';

describe('database location, mode, pragmas and migrations', () => {
  it('--db beats NGO_DB, which beats the data directory', async () => {
    const { dir } = await tmpDb();
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    expect((await ngo(['--db', a, 'db', 'path'], { env: { NGO_DB: b } })).stdout.trim()).toBe(a);
    expect((await ngo(['db', 'path'], { env: { NGO_DB: b } })).stdout.trim()).toBe(b);
    expect((await ngo(['db', 'path'])).stdout.trim()).toMatch(/ngo-test-data-dir-unused[/\\]ngo\.db$/);
  });

  it('init creates the file and its folder with mode 0600, in WAL mode, migrated', async () => {
    const { dir } = await tmpDb();
    const file = path.join(dir, 'nested', 'deeper', 'ngo.db');
    const r = await ngo(['--db', file, 'init']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database written by a newer version with exit 6 and leaves it byte-identical', async () => {
    const { db } = await tmpDb({ create: false });
    const raw = new Database(db);
    raw.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1);');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 41}`);
    raw.close();
    const before = fs.readFileSync(db);
    const list = fs.readdirSync(path.dirname(db));
    const r = await ngo(['--db', db, 'people', 'list']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`schema version ${LATEST_SCHEMA_VERSION + 41}, newer than this program supports (${LATEST_SCHEMA_VERSION})`);
    expect(Buffer.compare(fs.readFileSync(db), before)).toBe(0);
    expect(fs.readdirSync(path.dirname(db))).toEqual(list);
    // Writes are refused too.
    const w = await ngo(['--db', db, 'people', 'add', '--first', 'Ana']);
    expect(w.code).toBe(6);
    expect(Buffer.compare(fs.readFileSync(db), before)).toBe(0);
  });

  it('backs up a file that holds data before migrating it (0600, a name that never collides)', async () => {
    const { dir, db } = await tmpDb({ create: false });
    const oldSchema = () => {
      for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
      const raw = new Database(db);
      raw.exec(MIGRATIONS[0]!);
      raw.pragma('user_version = 1');
      raw.exec("INSERT INTO settings VALUES ('org.name', 'keep me')");
      raw.close();
    };
    oldSchema();
    const r = await ngo(['--db', db, 'init']);
    expect(r.code, r.stderr).toBe(0);
    const backups = () =>
      fs
        .readdirSync(dir)
        .filter((f) => f.startsWith('ngo.db.backup-v1-'))
        .sort();
    expect(backups()).toHaveLength(1);
    expect(r.stderr).toContain('backed up the database to');
    const b = path.join(dir, backups()[0]!);
    expect(fs.statSync(b).mode & 0o777).toBe(0o600);
    const copy = new Database(b, { readonly: true });
    expect(copy.prepare("SELECT value FROM settings WHERE key = 'org.name'").get()).toEqual({ value: 'keep me' });
    expect(copy.pragma('user_version', { simple: true })).toBe(1);
    copy.close();
    // The same migration in the same second again: a second copy beside the first, nothing overwritten.
    oldSchema();
    expect((await ngo(['--db', db, 'init'])).code).toBe(0);
    expect(backups()).toEqual([path.basename(b), `${path.basename(b)}-2`]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an SQLite file that is not an ngo database is refused (exit 6) and left untouched', async () => {
    const { db } = await tmpDb({ create: false });
    const raw = new Database(db);
    raw.exec("CREATE TABLE notes (x); INSERT INTO notes VALUES ('keep me');");
    raw.close();
    const before = fs.readFileSync(db);
    for (const args of [['init'], ['people', 'list'], ['people', 'add', '--first', 'Ana']]) {
      const r = await ngo(['--db', db, ...args]);
      expect(r.code, args.join(' ')).toBe(6);
      expect(r.stderr).toContain('is an SQLite database, but not an ngo one');
    }
    expect(Buffer.compare(fs.readFileSync(db), before)).toBe(0);
  });

  it('a damaged file is exit 6', async () => {
    const { db } = await tmpDb();
    fs.writeFileSync(db, 'this is not a database, just text '.repeat(200));
    const r = await ngo(['--db', db, 'people', 'list']);
    expect(r.code).toBe(6);
    expect(r.stderr).toMatch(/^ngo: error: database file is damaged or not an ngo database/);
  });

  it('foreign keys are enforced', async () => {
    const { db } = await tmpDb();
    await ngo(['--db', db, 'init']);
    const r = await ngo(['--db', db, 'db', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('integrity,ok');
  });
});

describe('config', () => {
  it('get, set, list with validation and audit', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    expect((await run(['config', 'get', 'currency'])).stdout).toBe('USD\n');
    expect((await run(['config', 'set', 'currency', 'eur'])).stdout).toBe('EUR\n');
    expect((await run(['config', 'set', 'fiscal_year_start', '7'])).code).toBe(0);
    const before = await dbHash(db);
    const bad = await run(['config', 'set', 'fiscal_year_start', '13']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('invalid fiscal_year_start "13"');
    expect(await dbHash(db)).toBe(before);
    expect((await run(['config', 'set', 'colour', 'red'])).code).toBe(2);
    const list = await run(['config', 'list']);
    expect(list.stdout).toBe(
      'key,value,source\norg.name,,default\ncurrency,EUR,set\nfiscal_year_start,7,set\ncsv.bom,false,default\n' +
        'org.legal_name,,default\norg.ein,,default\norg.address,,default\norg.signer_name,,default\norg.signer_title,,default\n',
    );
    const audit = await run(['audit', '--entity', 'setting', '--json']);
    const rows = JSON.parse(audit.stdout) as { action: string; changes: string; actor: string }[];
    expect(rows.map((r) => JSON.parse(r.changes))).toEqual([{ currency: [null, 'EUR'] }, { fiscal_year_start: [null, '7'] }]);
    expect(rows[0]!.actor).toBe('tester');
  });

  it('csv.bom makes CSV output start with a BOM', async () => {
    const { db } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'add', '--first', 'Ana']);
    await run(['config', 'set', 'csv.bom', 'true']);
    expect((await run(['people', 'list'])).stdout.startsWith('\ufeffid,')).toBe(true);
  });
});

describe('db backup, restore, check', () => {
  it('backup writes a 0600 copy; restore verifies it and keeps the old database', async () => {
    const { dir, db } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'add', '--first', 'Ana']);
    const backup = path.join(dir, 'b.db');
    const b = await run(['db', 'backup', backup]);
    expect(b.code).toBe(0);
    expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
    await run(['people', 'add', '--first', 'Sam']);
    expect((await run(['people', 'list'])).stdout.split('\n').length).toBe(4);
    const needsYes = await run(['db', 'restore', backup]);
    expect(needsYes.code).toBe(2);
    const r = await run(['db', 'restore', backup, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('the previous database is kept at');
    const names = (await run(['people', 'list'])).stdout;
    expect(names).toContain('Ana');
    expect(names).not.toContain('Sam');
    const kept = fs.readdirSync(dir).filter((f) => f.includes('before-restore'));
    expect(kept).toHaveLength(1);
    expect(fs.statSync(path.join(dir, kept[0]!)).mode & 0o777).toBe(0o600);
  });

  it('restore refuses a damaged or foreign file with exit 6 and changes nothing', async () => {
    const { dir, db } = await tmpDb();
    const run = withDb(db);
    await run(['people', 'add', '--first', 'Ana']);
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database'.repeat(100));
    const before = await dbHash(db);
    const r = await run(['db', 'restore', junk, '--yes']);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('the live database was not changed');
    expect(await dbHash(db)).toBe(before);
  });
});
