/**
 * A 200,000-row hours import killed half-way (SIGKILL: a crash or power cut; SIGINT: Ctrl-C) leaves the
 * database intact and without a single row of it: the import is one BEGIN IMMEDIATE transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { tmpDb, withDb } from '../helpers.js';
import { HAVE_BUILD, fileSize, hoursCsv, rosterCsv, runNgo, spawnNgo, waitFor, withRaw } from './proc.js';

const ROWS = 200_000;
/** The WAL of the finished import is ~40 MB; 8 MB of uncommitted pages is well inside the run. */
const MID_WAL_BYTES = 8 * 1024 * 1024;

let template: string;
let big: string;
/** Temporary folders of this file (up to ~50 MB each): removed at the end. */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A database with program TELE and people V1..V50, copied fresh for each test. */
beforeAll(async () => {
  const { dir, db } = await tmpDb();
  dirs.push(dir);
  const run = withDb(db);
  expect((await run(['programs', 'add', 'TELE', '--name', 'T'])).code).toBe(0);
  fs.writeFileSync(path.join(dir, 'roster.csv'), rosterCsv());
  const r = await run(['people', 'import', path.join(dir, 'roster.csv')]);
  expect(r.code, r.stderr).toBe(0);
  template = db;
  big = path.join(dir, 'big.csv');
  fs.writeFileSync(big, hoursCsv(ROWS));
  expect(fs.existsSync(`${db}-wal`) ? fileSize(`${db}-wal`) : 0).toBe(0); // closed cleanly: all in the main file
});

async function freshDb(): Promise<string> {
  const { dir, db } = await tmpDb();
  dirs.push(dir);
  fs.copyFileSync(template, db);
  return db;
}

function state(db: string) {
  return withRaw(db, (d) => ({
    integrity: (d.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check),
    hours: (d.prepare('SELECT count(*) AS n FROM hours').get() as { n: number }).n,
    imports: (d.prepare("SELECT count(*) AS n FROM imports WHERE kind = 'hours'").get() as { n: number }).n,
    people: (d.prepare('SELECT count(*) AS n FROM people').get() as { n: number }).n,
    auditImports: (
      d.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'import' AND action = 'import' AND changes LIKE '%\"hours\"%'").get() as { n: number }
    ).n,
  }));
}

describe.skipIf(!HAVE_BUILD)('an import killed half-way writes nothing', () => {
  it('SIGKILL mid-import: integrity ok, zero hours rows, no import record', { timeout: 30_000 }, async () => {
    const db = await freshDb();
    const p = spawnNgo(['--db', db, 'hours', 'import', big]);
    const mid = await waitFor(() => fileSize(`${db}-wal`) > MID_WAL_BYTES || p.child.exitCode !== null, 20_000);
    expect(mid).toBe(true);
    expect(p.child.exitCode, 'the import finished before it could be killed').toBeNull();
    const walAtKill = fileSize(`${db}-wal`);
    p.child.kill('SIGKILL');
    const r = await p.done;
    expect(r.signal).toBe('SIGKILL');
    expect(walAtKill).toBeGreaterThan(MID_WAL_BYTES);
    // The WAL still holds the uncommitted frames; opening the file must ignore them.
    expect(state(db)).toEqual({ integrity: ['ok'], hours: 0, imports: 0, people: 50, auditImports: 0 });
    // And the database is usable: the same import then succeeds completely.
    const again = await runNgo(['--db', db, 'hours', 'import', big]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`inserted ${ROWS}, updated 0, unchanged 0, skipped 0, invalid 0`);
    expect(state(db)).toEqual({ integrity: ['ok'], hours: ROWS, imports: 1, people: 50, auditImports: 1 });
  });

  it('SIGINT (Ctrl-C) mid-import: exit 130, says interrupted, zero hours rows, no import record', { timeout: 30_000 }, async () => {
    const db = await freshDb();
    const p = spawnNgo(['--db', db, 'hours', 'import', big]);
    const mid = await waitFor(() => fileSize(`${db}-wal`) > MID_WAL_BYTES || p.child.exitCode !== null, 20_000);
    expect(mid).toBe(true);
    expect(p.child.exitCode, 'the import finished before it could be interrupted').toBeNull();
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(r.code).toBe(130);
    expect(r.signal).toBeNull();
    expect(r.stderr).toMatch(/interrupted/);
    expect(r.stderr).not.toMatch(/inserted \d+/);
    expect(r.stdout).toBe('');
    expect(state(db)).toEqual({ integrity: ['ok'], hours: 0, imports: 0, people: 50, auditImports: 0 });
  });

  it('SIGTERM mid-import (cron timeout, systemd stop): zero hours rows, no import record', { timeout: 30_000 }, async () => {
    const db = await freshDb();
    const p = spawnNgo(['--db', db, 'hours', 'import', big]);
    expect(await waitFor(() => fileSize(`${db}-wal`) > MID_WAL_BYTES || p.child.exitCode !== null, 20_000)).toBe(true);
    expect(p.child.exitCode).toBeNull();
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(r.code === 143 || r.signal === 'SIGTERM').toBe(true);
    expect(state(db)).toEqual({ integrity: ['ok'], hours: 0, imports: 0, people: 50, auditImports: 0 });
  });

  it('SIGKILL in bulk mode (report indexes dropped inside the transaction): every index is back, zero rows', { timeout: 30_000 }, async () => {
    const db = await freshDb();
    const schema = (f: string) => withRaw(f, (d) => d.prepare('SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name').all());
    const before = schema(db);
    // Bulk mode from the 1,000th row: well before the WAL reaches MID_WAL_BYTES.
    const p = spawnNgo(['--db', db, 'hours', 'import', big], { env: { NGO_IMPORT_BULK_ROWS: '1000' } });
    expect(await waitFor(() => fileSize(`${db}-wal`) > MID_WAL_BYTES || p.child.exitCode !== null, 20_000)).toBe(true);
    expect(p.child.exitCode, 'the import finished before it could be killed').toBeNull();
    p.child.kill('SIGKILL');
    expect((await p.done).signal).toBe('SIGKILL');
    expect(state(db)).toEqual({ integrity: ['ok'], hours: 0, imports: 0, people: 50, auditImports: 0 });
    expect(schema(db)).toEqual(before);
  });

  it('SIGKILL right after start (before the transaction begins) also leaves a clean database', { timeout: 20_000 }, async () => {
    const db = await freshDb();
    const p = spawnNgo(['--db', db, 'hours', 'import', big]);
    await waitFor(() => fs.existsSync(`${db}-wal`) || p.child.exitCode !== null, 10_000, 2);
    p.child.kill('SIGKILL');
    await p.done;
    expect(state(db)).toEqual({ integrity: ['ok'], hours: 0, imports: 0, people: 50, auditImports: 0 });
  });
});
