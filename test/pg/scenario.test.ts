/**
 * The same data on both stores gives the same bytes (SPEC "Where the data lives"). Runs when
 * NGO_TEST_PG_URL names a PostgreSQL server where the tests may create databases (.ci/run starts a
 * throwaway one); each test gets a database of its own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ngo, tmpDb } from '../helpers.js';
import { PgConn } from '../../src/store/pg-conn.js';

const SERVER = process.env['NGO_TEST_PG_URL'];
const made: string[] = [];
let admin: PgConn | undefined;

/** A new, empty database on the test server: its URL. */
async function pgDatabase(): Promise<string> {
  const name = `ngo_t_${crypto.randomBytes(6).toString('hex')}`;
  await admin!.exec(`CREATE DATABASE ${name}`);
  made.push(name);
  const u = new URL(SERVER!);
  u.pathname = `/${name}`;
  return u.toString();
}

describe.skipIf(!SERVER)('PostgreSQL store: the same scenario as SQLite, byte for byte', () => {
  beforeAll(async () => {
    admin = await PgConn.connect(SERVER!);
  });
  afterAll(async () => {
    for (const name of made) await admin?.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.close();
  });

  it('the demo, then every report and list, give identical output on both stores', { timeout: 120_000 }, async () => {
    const pg = await pgDatabase();
    const { db: file } = await tmpDb({ create: false });
    const demoPg = await ngo(['--db', pg, 'demo']);
    const demoSq = await ngo(['--db', file, 'demo']);
    expect(demoPg.code, demoPg.stderr).toBe(0);
    expect(demoSq.code, demoSq.stderr).toBe(0);
    expect(demoPg.stdout).toBe(demoSq.stdout);
    const commands = [
      ['people', 'list'],
      ['funders', 'funding'],
      ['report', 'funder', '--funder', 'CITY', '--period', '2025'],
      ['report', 'funder', '--funder', 'HOPE', '--period', '2025', '--detail'],
      ['report', 'tax', '--year', '2025'],
      ['report', 'tax', '--year', '2025', '--deductible-only'],
      ['report', 'hours', '--period', '2025', '--by', 'month'],
      ['report', 'hours', '--period', '2025', '--by', 'person'],
      ['report', 'grants', '--period', '2025'],
      ['grants', 'list'],
      ['supervision', 'progress', '--all'],
      ['hours', 'list'],
      ['mentorship', 'list'],
      ['rates', 'list'],
    ];
    for (const c of commands) {
      const a = await ngo(['--db', pg, ...c]);
      const b = await ngo(['--db', file, ...c]);
      expect(a.code, `${c.join(' ')}: ${a.stderr}`).toBe(0);
      expect(a.stdout, c.join(' ')).toBe(b.stdout);
      expect(a.stdout.length, c.join(' ')).toBeGreaterThan(40);
    }
  });

  it('writes, lookups and errors behave as on SQLite: a missing database is exit 6, a duplicate email exit 5, a code in any case is found', async () => {
    const pg = await pgDatabase();
    const before = await ngo(['--db', pg, 'people', 'list']);
    expect(before.code).toBe(6);
    expect(before.stderr).toMatch(/no ngo database at postgres:\/\//);
    expect((await ngo(['--db', pg, 'init'])).code).toBe(0);
    expect((await ngo(['--db', pg, 'programs', 'add', 'TELE', '--name', 'Telehealth'])).stdout).toBe('1\n');
    expect((await ngo(['--db', pg, 'people', 'add', '--first', 'Ann', '--last', 'Lee', '--email', 'ann@example.org'])).stdout).toBe('1\n');
    const dup = await ngo(['--db', pg, 'people', 'add', '--first', 'Ann', '--email', 'ANN@example.org']);
    expect(dup.code, dup.stderr).toBe(5);
    const logged = await ngo([
      '--db',
      pg,
      'hours',
      'log',
      'ann@example.org',
      '--program',
      'tele',
      '--date',
      '2026-11-02',
      '--hours',
      '1.5',
      '--activity',
      'direct-service',
    ]);
    expect(logged.code, logged.stderr).toBe(0);
    const list = await ngo(['--db', pg, 'hours', 'list', '--format', 'csv']);
    expect(list.stdout).toContain(',2026-11-02,1,Ann,Lee,ann@example.org,TELE,direct-service,1.50,');
    const audit = await ngo(['--db', pg, 'audit', '--format', 'csv']);
    expect(audit.stdout.split('\n').filter((l) => /,create,/.test(l))).toHaveLength(3);
  });

  it('never prints the password of the URL, in results or in errors', async () => {
    const pg = await pgDatabase();
    const u = new URL(pg);
    u.username = 'postgres';
    u.password = 's3cr3t-pw';
    const withPw = u.toString();
    for (const args of [['people', 'list'], ['init'], ['people', 'list'], ['people', 'show', '99']]) {
      const r = await ngo(['--db', withPw, ...args]);
      expect(r.stdout + r.stderr).not.toContain('s3cr3t-pw');
    }
    const bad = await ngo(['--db', withPw.replace(/:\d+\//, ':1/'), 'people', 'list']);
    expect(bad.code).toBe(6);
    expect(bad.stdout + bad.stderr).not.toContain('s3cr3t-pw');
  });

  it('a database with a newer schema is refused (exit 6) and left as it was', async () => {
    const pg = await pgDatabase();
    expect((await ngo(['--db', pg, 'init'])).code).toBe(0);
    const c = await PgConn.connect(pg);
    try {
      await c.run('INSERT INTO schema_migrations(version, applied_at) VALUES (99, ?)', 'now');
      const r = await ngo(['--db', pg, 'people', 'list']);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/schema version 99, newer than this program supports/);
      expect(await c.value('SELECT COUNT(*) FROM schema_migrations')).toBe(2);
    } finally {
      await c.close();
    }
  });

  it(
    'imports on both stores: an all-or-nothing failure, --skip-invalid with --rejects, a re-import; same entries, ids and rejects',
    { timeout: 60_000 },
    async () => {
      const pg = await pgDatabase();
      const { dir, db: file } = await tmpDb();
      const roster = path.join(dir, 'roster.csv');
      fs.writeFileSync(roster, 'external_id,first_name,last_name,email\nV1,Ann,Lee,ann@example.org\nV2,Bob,Ng,bob@example.org\n');
      const hours = path.join(dir, 'hours.csv');
      const rows = ['external_id,date,hours,program,activity'];
      for (let i = 0; i < 300; i++)
        rows.push(`V${1 + (i % 2)},2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')},${(0.25 * (1 + (i % 4))).toFixed(2)},TELE,direct-service`);
      rows.push('V1,2026-13-01,1,TELE,direct-service');
      fs.writeFileSync(hours, rows.join('\n') + '\n');
      expect((await ngo(['--db', pg, 'init'])).code).toBe(0);
      const out: Record<string, string[]> = { pg: [], file: [] };
      for (const [key, db] of [
        ['pg', pg],
        ['file', file],
      ] as const) {
        const run = async (args: string[], code = 0) => {
          const r = await ngo(['--db', db, ...args], { cwd: dir });
          expect(r.code, `${key}: ${args.join(' ')}: ${r.stderr}`).toBe(code);
          return r;
        };
        await run(['programs', 'add', 'TELE', '--name', 'Telehealth']);
        await run(['people', 'import', roster]);
        const failed = await run(['hours', 'import', hours], 3);
        expect(failed.stderr).toContain('line 302, column "date": invalid date "2026-13-01"');
        const rejects = path.join(dir, `rejects-${key}.csv`);
        out[key]!.push((await run(['hours', 'import', hours, '--skip-invalid', '--rejects', rejects])).stdout);
        out[key]!.push((await run(['hours', 'import', hours, '--skip-invalid'])).stdout);
        out[key]!.push(fs.readFileSync(rejects, 'utf8').replace(/ref [0-9a-f]+/g, 'ref X'));
        out[key]!.push((await run(['hours', 'list'])).stdout);
        out[key]!.push((await run(['report', 'hours', '--period', '2026', '--by', 'person'])).stdout);
      }
      expect(out['pg']).toEqual(out['file']);
      expect(out['pg']![3]).toMatch(/^id,date,/);
      expect(out['pg']![3]!.split('\n')[1]).toMatch(/^1,2026-01-01,/); // the rolled-back import left no gap in the ids
    },
  );
});
