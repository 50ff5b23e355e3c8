/**
 * `ngo db restore` (issue 15): it takes the write lock like every write, so a restore racing an import
 * never loses a row that a command reported as written: an import that committed first is in the kept
 * copy; one that waited writes into the restored database. It reads the backup through SQLite, so a
 * backup's un-checkpointed WAL is included, and it keeps the previous database under a new name.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { dbHash, mustSucceed, tmpDb, withDb } from '../helpers.js';
import { hoursCsv, rosterCsv, runNgo, sleep, spawnNgo, waitFor, withRaw } from './proc.js';

const count = (db: string, sql = 'SELECT count(*) FROM hours') => withRaw(db, (d) => d.prepare(sql).pluck().get() as number);

async function prepared(): Promise<{ dir: string; db: string; backup: string }> {
  const { dir, db } = await tmpDb();
  const ok = mustSucceed(withDb(db));
  await ok(['programs', 'add', 'TELE', '--name', 'Telehealth']);
  fs.writeFileSync(path.join(dir, 'roster.csv'), rosterCsv());
  await ok(['people', 'import', path.join(dir, 'roster.csv')]);
  await ok(['hours', 'import', '-'], { stdin: hoursCsv(500, 99) });
  const backup = path.join(dir, 'backup.db');
  await ok(['db', 'backup', backup]);
  return { dir, db, backup };
}

const kept = (dir: string) =>
  fs
    .readdirSync(dir)
    .filter((f) => f.includes('.before-restore-') && !f.endsWith('-wal') && !f.endsWith('-shm'))
    .map((f) => path.join(dir, f));

describe('db restore under the write lock', () => {
  it("an import that holds the lock when the restore starts: the restore waits; the import's rows are in the kept copy", { timeout: 60_000 }, async () => {
    const { dir, db, backup } = await prepared();
    fs.writeFileSync(path.join(dir, 'big.csv'), hoursCsv(150_000, 1));
    const imp = spawnNgo(['--db', db, 'hours', 'import', path.join(dir, 'big.csv')]);
    // The import holds the write lock once its WAL grows.
    expect(await waitFor(() => fs.existsSync(`${db}-wal`) && fs.statSync(`${db}-wal`).size > 1_000_000, 20_000)).toBe(true);
    const res = spawnNgo(['--db', db, 'db', 'restore', backup, '--yes'], { env: { NGO_BUSY_TIMEOUT: '60' } });
    const [i, r] = await Promise.all([imp.done, res.done]);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stderr).toContain('inserted 150000,');
    expect(r.code, r.stderr).toBe(0);
    // The live database is the backup (500 entries); the import's 150,000 are in the kept copy.
    expect(count(db)).toBe(500);
    const copies = kept(dir);
    expect(copies).toHaveLength(1);
    expect(count(copies[0]!)).toBe(150_500);
    expect(fs.statSync(copies[0]!).mode & 0o777).toBe(0o600);
    // The restore is in the restored database's audit log.
    expect(count(db, "SELECT count(*) FROM audit_log WHERE action = 'restore' AND entity = 'database'")).toBe(1);
  });

  it('an import started while the restore holds the lock waits, then writes into the restored database', { timeout: 60_000 }, async () => {
    const { dir, db, backup } = await prepared();
    // A large backup makes the restore hold the lock for a while.
    const ok = mustSucceed(withDb(db));
    await ok(['hours', 'import', '-'], { stdin: hoursCsv(150_000, 2) });
    const bigBackup = path.join(dir, 'big-backup.db');
    await ok(['db', 'backup', bigBackup]);
    await ok(['db', 'restore', backup, '--yes']);
    expect(count(db)).toBe(500);
    for (const k of kept(dir)) fs.rmSync(k);
    fs.writeFileSync(path.join(dir, 'more.csv'), hoursCsv(1000, 3));
    const res = spawnNgo(['--db', db, 'db', 'restore', bigBackup, '--yes']);
    // The restore has the lock once it is making the kept copy (a temporary file beside the database).
    expect(await waitFor(() => fs.readdirSync(dir).some((f) => f.includes('.before-restore-') && f.endsWith('.tmp')), 20_000, 2)).toBe(true);
    const imp = spawnNgo(['--db', db, 'hours', 'import', path.join(dir, 'more.csv')], { env: { NGO_BUSY_TIMEOUT: '60' } });
    const [r, i] = await Promise.all([res.done, imp.done]);
    expect(r.code, r.stderr).toBe(0);
    expect(i.code, i.stderr).toBe(0);
    expect(i.stderr).toContain('inserted 1000,');
    // Written after the restore, into the restored database: 150,500 + 1,000.
    expect(count(db)).toBe(151_500);
    expect(count(db, "SELECT count(*) FROM imports WHERE file_name = 'more.csv'")).toBe(1);
  });

  it('a busy lock past NGO_BUSY_TIMEOUT: exit 5, nothing changed, no kept copy', { timeout: 30_000 }, async () => {
    const { dir, db, backup } = await prepared();
    await mustSucceed(withDb(db))(['people', 'add', '--first', 'After', '--email', 'after@example.org']);
    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const before = await dbHash(db);
      const r = await runNgo(['--db', db, 'db', 'restore', backup, '--yes'], { env: { NGO_BUSY_TIMEOUT: '5' } });
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr).toMatch(/^ngo: error: database is busy/m);
      expect(await dbHash(db)).toBe(before);
      expect(kept(dir)).toEqual([]);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});

describe('db restore reads the backup through SQLite', () => {
  it("includes the source's un-checkpointed WAL, and leaves the source files untouched", async () => {
    const { dir, db } = await prepared();
    // A copy of a database taken while it was in use: the last changes are only in its -wal.
    const src = path.join(dir, 'copy.db');
    await mustSucceed(withDb(db))(['db', 'backup', src]);
    const w = new Database(src);
    w.pragma('journal_mode = WAL');
    w.pragma('wal_autocheckpoint = 0');
    w.prepare("INSERT INTO people(first_name, email, created_at, updated_at) VALUES ('OnlyInWal', 'wal@example.org', 'x', 'x')").run();
    w.prepare('DELETE FROM hours WHERE id > 100').run();
    // Copy main file and WAL as they are (a file-level backup), then let the writer go without checkpointing.
    fs.copyFileSync(src, path.join(dir, 'snap.db'));
    fs.copyFileSync(`${src}-wal`, path.join(dir, 'snap.db-wal'));
    w.close();
    const snap = path.join(dir, 'snap.db');
    expect(fs.statSync(`${snap}-wal`).size).toBeGreaterThan(0);
    const before = Buffer.concat([fs.readFileSync(snap), fs.readFileSync(`${snap}-wal`)]);
    const r = await runNgo(['--db', db, 'db', 'restore', snap, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(count(db, "SELECT count(*) FROM people WHERE first_name = 'OnlyInWal'")).toBe(1);
    expect(count(db)).toBe(100);
    expect(Buffer.concat([fs.readFileSync(snap), fs.readFileSync(`${snap}-wal`)])).toEqual(before);
    // Nor a wal-index beside it that the read made (attack on the PostgreSQL store, F13).
    expect(fs.existsSync(`${snap}-shm`)).toBe(false);
  });

  it('two restores in the same second keep two copies under names that never collide', async () => {
    const { dir, db, backup } = await prepared();
    const run = withDb(db);
    expect((await run(['db', 'restore', backup, '--yes'])).code).toBe(0);
    expect((await run(['db', 'restore', backup, '--yes'])).code).toBe(0);
    const names = kept(dir)
      .map((f) => path.basename(f))
      .sort();
    expect(names).toHaveLength(2);
    expect(names[1]).toBe(`${names[0]}-2`);
  });

  it('a source that is damaged, not ngo, or newer is refused (exit 6) before anything changes', async () => {
    const { dir, db } = await prepared();
    const before = await dbHash(db);
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database'.repeat(100));
    const foreign = path.join(dir, 'foreign.db');
    withRaw(foreign, (d) => d.exec('CREATE TABLE t(x)'));
    for (const f of [junk, foreign, path.join(dir, 'missing.db')]) {
      const r = await runNgo(['--db', db, 'db', 'restore', f, '--yes']);
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toContain('the live database was not changed');
    }
    expect(await dbHash(db)).toBe(before);
    expect(kept(dir)).toEqual([]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a restore into a new file, or over a damaged one, is audited in the restored database, as one over a live database is', async () => {
    const { dir, db, backup } = await prepared();
    const restores = (file: string) =>
      withRaw(file, (d) => d.prepare("SELECT changes FROM audit_log WHERE action = 'restore' AND entity = 'database' ORDER BY id").pluck().all() as string[]);
    expect(restores(backup)).toEqual([]);
    // a new file (attack on the PostgreSQL store, F10: a server database gets this entry too)
    const fresh = path.join(dir, 'fresh.db');
    const r = await runNgo(['--db', fresh, 'db', 'restore', backup, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(restores(fresh).map((c) => JSON.parse(c) as unknown)).toEqual([{ from: [null, backup], kept: [null, null] }]);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('fresh.db'))).toEqual(['fresh.db']);
    // over a live one
    await mustSucceed(withDb(db))(['db', 'restore', backup, '--yes']);
    expect(restores(db)).toHaveLength(1);
    // over a damaged one: the entry names the kept copy
    fs.writeFileSync(db, 'garbage '.repeat(1000));
    for (const side of ['-wal', '-shm']) fs.rmSync(db + side, { force: true });
    const d = await runNgo(['--db', db, 'db', 'restore', backup, '--yes']);
    expect(d.code, d.stderr).toBe(0);
    const keptAt = /the previous database is kept at (\S+)/.exec(d.stderr)![1]!;
    expect(restores(db).map((c) => JSON.parse(c) as unknown)).toEqual([{ from: [null, backup], kept: [null, keptAt] }]);
    expect(restores(backup)).toEqual([]); // the backup itself is never changed
  });

  it('a live database too damaged to open is kept under a new name, with its WAL, and replaced', async () => {
    const { dir, db, backup } = await prepared();
    fs.writeFileSync(`${db}-wal`, 'the last transactions, as they were'); // what a crashed writer left
    fs.writeFileSync(db, 'garbage '.repeat(1000));
    const r = await runNgo(['--db', db, 'db', 'restore', backup, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the previous database is kept at .*ngo\.db\.damaged-/);
    expect(count(db)).toBe(500);
    const damaged = fs
      .readdirSync(dir)
      .filter((f) => f.includes('.damaged-'))
      .sort();
    expect(damaged).toHaveLength(2);
    expect(fs.readFileSync(path.join(dir, damaged[0]!), 'utf8')).toBe('garbage '.repeat(1000));
    expect(fs.readFileSync(path.join(dir, damaged[1]!), 'utf8')).toBe('the last transactions, as they were');
    expect(damaged[1]).toBe(`${damaged[0]}-wal`);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await sleep(0);
  });
});
