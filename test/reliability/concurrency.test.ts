/**
 * Several ngo processes on one database file at the same time (cron jobs, two administrators):
 * writers queue behind each other's BEGIN IMMEDIATE (5 s quietly, then saying they wait, up to
 * NGO_BUSY_TIMEOUT = 120 s by default), readers see a consistent snapshot, and a writer that waits
 * longer than that fails with exit 5 writing nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { tmpDb, withDb } from '../helpers.js';
import { BUSY_TIMEOUT_MS, WRITE_WAIT_DEFAULT_S } from '../../src/store/db.js';
import { HAVE_BUILD, hoursCsv, rosterCsv, runNgo, sleep, spawnNgo, waitFor, withRaw } from './proc.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function setup() {
  const { dir, db } = await tmpDb();
  dirs.push(dir);
  const run = withDb(db);
  for (const args of [
    ['programs', 'add', 'TELE', '--name', 'T'],
    ['funders', 'add', 'F', '--name', 'Fund'],
    ['funders', 'fund', 'F', '--program', 'TELE', '--from', '2025-01-01', '--amount', '50000'],
    ['rates', 'set', 'volunteer-hour', '2025', '30.00'],
  ]) {
    const r = await run(args);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  fs.writeFileSync(path.join(dir, 'roster.csv'), rosterCsv());
  expect((await run(['people', 'import', path.join(dir, 'roster.csv')])).code).toBe(0);
  return { dir, db, run };
}

const count = (db: string, sql = 'SELECT count(*) AS n FROM hours') => withRaw(db, (d) => (d.prepare(sql).get() as { n: number }).n);

describe.skipIf(!HAVE_BUILD)('concurrent processes on one database', () => {
  it(
    'two 20,000-row imports and a funder report started together: all exit 0, 40,000 rows, the report sees a consistent snapshot',
    { timeout: 60_000 },
    async () => {
      const { dir, db } = await setup();
      const a = path.join(dir, 'a.csv');
      const b = path.join(dir, 'b.csv');
      fs.writeFileSync(a, hoursCsv(20_000, 1));
      fs.writeFileSync(b, hoursCsv(20_000, 2));
      // Each file: 4,000 rows each of 0.25, 0.50, 0.75, 1.00, 1.25 h = 15,000.00 h.
      const procs = [
        spawnNgo(['--db', db, 'hours', 'import', a]),
        spawnNgo(['--db', db, 'hours', 'import', b]),
        spawnNgo(['--db', db, 'report', 'funder', '--funder', 'F', '--period', '2025']),
      ];
      const [ra, rb, rr] = await Promise.all(procs.map((p) => p.done));
      const timings = `a ${ra!.ms} ms, b ${rb!.ms} ms, report ${rr!.ms} ms`;
      expect(ra!.code, `${timings}\n${ra!.stderr}`).toBe(0);
      expect(rb!.code, `${timings}\n${rb!.stderr}`).toBe(0);
      expect(rr!.code, `${timings}\n${rr!.stderr}`).toBe(0);
      expect(ra!.stderr).toContain('inserted 20000, updated 0, unchanged 0, skipped 0, invalid 0');
      expect(rb!.stderr).toContain('inserted 20000, updated 0, unchanged 0, skipped 0, invalid 0');
      expect(count(db)).toBe(40_000);
      expect(count(db, "SELECT count(*) AS n FROM imports WHERE kind = 'hours' AND finished_at IS NOT NULL")).toBe(2);
      expect(count(db, 'SELECT count(DISTINCT import_id) AS n FROM hours')).toBe(2);
      expect(withRaw(db, (d) => (d.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check)).toBe('ok');
      // The report ran while the imports were writing: it shows none, one or both files, never a part of one.
      const lines = rr!.stdout.trim().split('\n');
      const header = lines[0]!.split(',');
      const total = lines.map((l) => l.split(',')).find((c) => c[header.indexOf('program_code')] === 'TOTAL')!;
      expect(['0.00', '15000.00', '30000.00']).toContain(total[header.indexOf('volunteer_hours')]);
      // Once they are done, the report counts everything.
      const after = await runNgo(['--db', db, 'report', 'funder', '--funder', 'F', '--period', '2025', '--format', 'json']);
      expect(after.code).toBe(0);
      const rows = JSON.parse(after.stdout) as Record<string, unknown>[];
      expect(String(rows.find((r) => r['program_code'] === 'TOTAL')!['volunteer_hours'])).toMatch(/^30000(\.0+)?$/);
    },
  );

  it(`a writer waits for a lock held under the busy timeout (${BUSY_TIMEOUT_MS / 1000} s) and then succeeds`, { timeout: 30_000 }, async () => {
    const { db } = await setup();
    const hold = new Database(db, { timeout: 1000 });
    hold.exec('BEGIN IMMEDIATE');
    const p = spawnNgo(['--db', db, 'hours', 'log', 'V1', '--program', 'TELE', '--hours', '2', '--date', '2025-03-01']);
    await sleep(BUSY_TIMEOUT_MS - 2500);
    expect(p.child.exitCode).toBeNull(); // still waiting
    hold.exec('COMMIT');
    hold.close();
    const r = await p.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+\n$/);
    expect(count(db)).toBe(1);
  });

  it(
    `a writer blocked past the ${BUSY_TIMEOUT_MS / 1000} s busy timeout says once that it waits, then succeeds when the lock is released`,
    { timeout: 30_000 },
    async () => {
      const { db } = await setup();
      const hold = new Database(db, { timeout: 1000 });
      hold.exec('BEGIN IMMEDIATE');
      const p = spawnNgo(['--db', db, 'hours', 'log', 'V1', '--program', 'TELE', '--hours', '2', '--date', '2025-03-01']);
      await sleep(BUSY_TIMEOUT_MS + 2000);
      expect(p.child.exitCode).toBeNull(); // still waiting, past the ordinary timeout
      hold.exec('COMMIT');
      hold.close();
      const r = await p.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^\d+\n$/);
      const waits = r.stderr.split('\n').filter((l) => l.includes('waiting for another ngo command'));
      expect(waits).toEqual([`waiting for another ngo command to finish writing to the database (up to ${WRITE_WAIT_DEFAULT_S} s; Ctrl-C to give up)`]);
      expect(count(db)).toBe(1);
    },
  );

  it('a writer blocked longer than NGO_BUSY_TIMEOUT exits 5 "database is busy", writing nothing', { timeout: 30_000 }, async () => {
    const { db } = await setup();
    const hold = new Database(db, { timeout: 1000 });
    hold.exec('BEGIN IMMEDIATE');
    try {
      const r = await runNgo(['--db', db, 'hours', 'log', 'V1', '--program', 'TELE', '--hours', '2', '--date', '2025-03-01'], {
        env: { NGO_BUSY_TIMEOUT: '7' },
      });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/ngo: error: database is busy \(locked by another ngo process for more than 7 s\): .*ngo\.db\n/);
      expect(r.ms).toBeGreaterThanOrEqual(7000 - 200);
      expect(r.stdout).toBe('');
    } finally {
      hold.exec('ROLLBACK');
      hold.close();
    }
    expect(count(db)).toBe(0);
    expect(count(db, "SELECT count(*) AS n FROM audit_log WHERE entity = 'hours'")).toBe(0);
  });

  it('NGO_BUSY_TIMEOUT below 5 s keeps the 5 s minimum of the contract; a non-number is a usage error', async () => {
    const { db } = await setup();
    const hold = new Database(db, { timeout: 1000 });
    hold.exec('BEGIN IMMEDIATE');
    try {
      const r = await runNgo(['--db', db, 'hours', 'log', 'V1', '--program', 'TELE', '--hours', '2', '--date', '2025-03-01'], {
        env: { NGO_BUSY_TIMEOUT: '1' },
      });
      expect(r.code).toBe(5);
      expect(r.stderr).toContain('for more than 5 s');
      expect(r.stderr).not.toContain('waiting for another');
      expect(r.ms).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 200);
    } finally {
      hold.exec('ROLLBACK');
      hold.close();
    }
    const bad = await runNgo(['--db', db, 'hours', 'log', 'V1', '--program', 'TELE', '--hours', '2', '--date', '2025-03-01'], {
      env: { NGO_BUSY_TIMEOUT: 'soon' },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('NGO_BUSY_TIMEOUT must be a number of seconds, got "soon"');
    expect(count(db)).toBe(0);
  }, 30_000);

  it('Ctrl-C while waiting for the lock ends the command at once, writing nothing', { timeout: 30_000 }, async () => {
    const { db } = await setup();
    const hold = new Database(db, { timeout: 1000 });
    hold.exec('BEGIN IMMEDIATE');
    try {
      const p = spawnNgo(['--db', db, 'hours', 'log', 'V1', '--program', 'TELE', '--hours', '2', '--date', '2025-03-01']);
      let stderr = '';
      p.child.stderr!.on('data', (s: string) => (stderr += s));
      expect(await waitFor(() => stderr.includes('waiting for another ngo command'), 15_000)).toBe(true);
      const t = Date.now();
      p.child.kill('SIGINT');
      const r = await p.done;
      expect(Date.now() - t).toBeLessThan(2000);
      expect(r.code === 130 || r.signal === 'SIGINT', `code ${r.code} signal ${r.signal}`).toBe(true);
    } finally {
      hold.exec('ROLLBACK');
      hold.close();
    }
    expect(count(db)).toBe(0);
  });

  it(
    'a second import queued behind a long write transaction waits and then imports; with NGO_BUSY_TIMEOUT too short it exits 5 and writes nothing',
    { timeout: 60_000 },
    async () => {
      const { dir, db } = await setup();
      // The first import's long transaction, simulated deterministically by holding the write lock.
      const b = path.join(dir, 'b.csv');
      fs.writeFileSync(b, hoursCsv(1_000, 3));
      {
        const hold = new Database(db, { timeout: 1000 });
        hold.exec('BEGIN IMMEDIATE');
        hold.prepare("INSERT INTO programs(code, name, created_at) VALUES ('HELD', 'held', '2025-01-01')").run();
        const r = await runNgo(['--db', db, 'hours', 'import', b], { env: { NGO_BUSY_TIMEOUT: '6' } });
        hold.exec('COMMIT');
        hold.close();
        expect(r.code, r.stderr).toBe(5);
        expect(r.stderr).toContain('database is busy (locked by another ngo process for more than 6 s)');
        expect(count(db)).toBe(0);
        expect(count(db, "SELECT count(*) AS n FROM imports WHERE kind = 'hours'")).toBe(0);
        expect(count(db, "SELECT count(*) AS n FROM programs WHERE code = 'HELD'")).toBe(1);
      }
      {
        const hold = new Database(db, { timeout: 1000 });
        hold.exec('BEGIN IMMEDIATE');
        const p = spawnNgo(['--db', db, 'hours', 'import', b]);
        await sleep(BUSY_TIMEOUT_MS + 1500);
        expect(p.child.exitCode).toBeNull();
        hold.exec('COMMIT');
        hold.close();
        const r = await p.done;
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain('waiting for another ngo command');
        expect(r.stderr).toContain('inserted 1000, updated 0');
        expect(count(db)).toBe(1000);
      }
    },
  );
});
