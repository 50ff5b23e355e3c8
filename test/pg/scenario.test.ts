/**
 * The same data on both stores gives the same bytes (SPEC "Where the data lives"). Runs when
 * NGO_TEST_PG_URL names a PostgreSQL server where the tests may create databases (.ci/run starts a
 * throwaway one); each test gets a database of its own.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ngo, pgHash, queryValue, tmpDb } from '../helpers.js';
import { runNgo, sleep, spawnNgo } from '../reliability/proc.js';
import { PgConn } from '../../src/store/pg-conn.js';
import { lockKeyFor } from '../../src/store/pg-store.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/schema.js';

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

beforeAll(async () => {
  if (SERVER) admin = await PgConn.connect(SERVER);
});
afterAll(async () => {
  for (const name of made) await admin?.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin?.close();
});

describe.skipIf(!SERVER)('PostgreSQL store: the same scenario as SQLite, byte for byte', () => {
  it('the demo, then every report and list, give identical output on both stores', { timeout: 120_000 }, async () => {
    const pg = await pgDatabase();
    const file = path.join((await tmpDb({ create: false })).dir, 'ngo.db'); // an SQLite file, whatever NGO_TEST_STORE says
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
      const { dir } = await tmpDb({ create: false });
      const file = path.join(dir, 'ngo.db');
      expect((await ngo(['--db', file, 'init'])).code).toBe(0);
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

  it(
    'db backup from PostgreSQL writes an ngo SQLite file, db restore loads one into PostgreSQL: the database moves between engines losslessly',
    { timeout: 120_000 },
    async () => {
      const pg = await pgDatabase();
      const { dir } = await tmpDb({ create: false });
      const file = path.join(dir, 'ngo.db');
      const dataDir = path.join(dir, 'data');
      expect((await ngo(['--db', file, 'demo'])).code).toBe(0);
      const views = [
        ['report', 'funder', '--funder', 'HOPE', '--period', '2025', '--detail'],
        ['report', 'tax', '--year', '2025'],
        ['hours', 'list'],
        ['people', 'list'],
        ['grants', 'list'],
        ['supervision', 'progress', '--all'],
        ['audit', '--format', 'csv'],
      ];
      const seen = async (db: string) => {
        const out: string[] = [];
        for (const v of views) out.push((await ngo(['--db', db, ...v])).stdout);
        return out;
      };
      const original = await seen(file);
      // SQLite → PostgreSQL (an empty server database: restore creates the schema).
      const restored = await ngo(['--db', pg, 'db', 'restore', file, '--yes'], { dataDir });
      expect(restored.code, restored.stderr).toBe(0);
      const onServer = await seen(pg);
      expect(onServer.slice(0, -1)).toEqual(original.slice(0, -1));
      // The audit log is the original's, and one more line: the restore.
      expect(onServer.at(-1)!.startsWith(original.at(-1)!)).toBe(true);
      expect(onServer.at(-1)!.slice(original.at(-1)!.length)).toMatch(/^\d+,[^,]+,tester,restore,database,,/);
      // PostgreSQL → SQLite.
      const back = path.join(dir, 'back.db');
      const b = await ngo(['--db', pg, 'db', 'backup', back]);
      expect(b.code, b.stderr).toBe(0);
      expect(fs.statSync(back).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(back + '-wal')).toBe(false);
      expect(await seen(back)).toEqual(onServer);
      expect((await ngo(['--db', back, 'db', 'check'])).code).toBe(0);
      // A restore over a server database that holds data keeps its state in a copy of its own first.
      const other = path.join(dir, 'other.db');
      expect((await ngo(['--db', other, 'init'])).code).toBe(0);
      expect((await ngo(['--db', other, 'people', 'add', '--first', 'Solo', '--email', 'solo@example.org'])).code).toBe(0);
      const again = await ngo(['--db', pg, 'db', 'restore', other, '--yes'], { dataDir });
      expect(again.code, again.stderr).toBe(0);
      const kept = /the previous database is kept at (\S+)/.exec(again.stderr)![1]!;
      expect(path.dirname(kept)).toBe(dataDir);
      expect(await seen(kept)).toEqual(onServer);
      expect((await ngo(['--db', pg, 'people', 'list'])).stdout).toContain('Solo');
    },
  );

  it(
    'a server import reads rows in batches: at any batch size, repeats, invalid rows, rejects fixed and re-imports end as on SQLite',
    { timeout: 90_000 },
    async () => {
      const { dir } = await tmpDb({ create: false });
      const roster = path.join(dir, 'roster.csv');
      fs.writeFileSync(roster, 'external_id,first_name,last_name,email\nV1,Ann,Lee,ann@example.org\nV2,Bob,Ng,bob@example.org\n');
      const first = path.join(dir, 'first.csv');
      const rows = ['external_id,email,date,hours,program,status,note'];
      for (let i = 0; i < 40; i++) {
        // the same content again and again (k-th repeats across batches), with other rows between
        rows.push('V1,,2026-02-03,1.50,TELE,approved,');
        if (i % 3 === 0) rows.push(`V2,,2026-02-${String(1 + (i % 27)).padStart(2, '0')},0.75,TELE,,every third`);
        if (i === 5) rows.push('V1,,2026-02-03,1.50,TELE,maybe,'); // invalid status: claims its repeat slot
        if (i === 9) rows.push('V1,,2026-02-03,1.50,TELE'); // ragged
        if (i === 11) rows.push('V2,,2026-02-04,2,TELE,void,');
        if (i === 17) rows.push(',bob@example.org,2026-02-05,1,TELE,pending,');
        if (i === 23) rows.push('V1,bob@example.org,2026-02-06,1,TELE,,'); // two people
      }
      fs.writeFileSync(first, rows.join('\n') + '\n');
      const second = path.join(dir, 'second.csv');
      // the first file's first 30 rows again, then 5 rows it does not have
      fs.writeFileSync(
        second,
        [...rows.slice(0, 31), ...[1, 2, 3, 4, 5].map((d) => `V2,,2026-03-0${d},1,TELE,,`), 'V1,,2026-02-03,1.50,TELE,approved,'].join('\n') + '\n',
      );
      const runs: [string, string, Record<string, string>][] = [['sqlite', path.join(dir, 'ngo.db'), {}]];
      for (const batch of ['1', '3', '7', '5000']) runs.push([`pg, batches of ${batch}`, await pgDatabase(), { NGO_IMPORT_BATCH_ROWS: batch }]);
      const seen = new Map<string, string[]>();
      for (const [key, db, env] of runs) {
        const out: string[] = [];
        const run = async (args: string[], code = 0) => {
          const r = await ngo(['--db', db, ...args], { cwd: dir, env });
          expect(r.code, `${key}: ${args.join(' ')}: ${r.stderr}`).toBe(code);
          return r;
        };
        await run(['init']);
        await run(['programs', 'add', 'TELE', '--name', 'Telehealth']);
        await run(['people', 'import', roster]);
        const rejects = path.join(dir, `rejects-${key.replace(/\W+/g, '-')}.csv`);
        out.push((await run(['hours', 'import', first, '--skip-invalid', '--rejects', rejects])).stderr);
        const text = fs.readFileSync(rejects, 'utf8');
        out.push(text.replace(/ref [0-9a-f]+/g, 'ref X'));
        // fix the bad status and the ragged row, in the rejects file as written
        const fixed = path.join(dir, `fixed-${key.replace(/\W+/g, '-')}.csv`);
        fs.writeFileSync(
          fixed,
          text
            .replace(',maybe,', ',approved,')
            .replace(/^V1,,2026-02-03,1.50,TELE,,,(\d+),"expected 7 columns, found 5 \(ngo import/m, 'V1,,2026-02-03,1.50,TELE,approved,,$1,"(ngo import'),
        );
        out.push((await run(['hours', 'import', fixed, '--skip-invalid'])).stderr);
        out.push((await run(['hours', 'import', second, '--skip-invalid'])).stderr);
        out.push((await run(['hours', 'import', first, '--skip-invalid'])).stderr);
        out.push((await run(['hours', 'list', '--format', 'csv'])).stdout);
        seen.set(key, out);
      }
      const sqlite = seen.get('sqlite')!;
      expect(sqlite[0]).toContain('\ninserted 55, updated 0, unchanged 0, skipped 1, invalid 3\n');
      expect(sqlite[2]).toContain('\ninserted 2, updated 0, unchanged 0, skipped 0, invalid 1\n'); // the status and the ragged row fixed
      expect(sqlite[3]).toMatch(/\ninserted 5, updated 0, unchanged \d+, skipped 1, invalid 2\n$/);
      expect(sqlite[4]).toContain('\ninserted 0, updated 0, unchanged 55, skipped 1, invalid 3\n');
      for (const [key, out] of seen) expect(out, key).toEqual(sqlite);
    },
  );

  it(
    'after the commit, the VACUUM of a large import is housekeeping: Ctrl-C there says the import was saved, a lost connection only warns',
    { timeout: 90_000 },
    async () => {
      const pg = await pgDatabase();
      const { dir } = await tmpDb({ create: false });
      const run = async (args: string[], code = 0) => {
        const r = await runNgo(['--db', pg, ...args], { cwd: dir, env: { NGO_IMPORT_BATCH_ROWS: '' } });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
        return r;
      };
      await run(['init']);
      await run(['programs', 'add', 'TELE', '--name', 'Telehealth']);
      fs.writeFileSync(path.join(dir, 'roster.csv'), 'external_id,first_name,email\nV1,Ann,ann@example.org\n');
      await run(['people', 'import', path.join(dir, 'roster.csv')]);
      const big = (year: number) => {
        const file = path.join(dir, `big-${year}.csv`);
        const lines = ['external_id,date,minutes,program'];
        for (let i = 0; i < 12_000; i++) lines.push(`V1,${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},1,TELE`);
        fs.writeFileSync(file, lines.join('\n') + '\n');
        return file;
      };
      // A session that holds what VACUUM needs keeps the import waiting in it, after its commit.
      const blocker = await PgConn.connect(pg);
      const vacuuming = async () =>
        Number(await queryValue(pg, "SELECT COUNT(*) FROM pg_stat_activity WHERE query LIKE 'VACUUM%' AND state = 'active' AND pid <> pg_backend_pid()")) > 0;
      try {
        for (const [year, how] of [
          [2024, 'SIGINT'],
          [2023, 'SIGTERM'],
          [2025, 'terminate'],
        ] as const) {
          await blocker.begin();
          await blocker.exec('LOCK TABLE hours IN SHARE UPDATE EXCLUSIVE MODE');
          const importer = spawnNgo(['--db', pg, 'hours', 'import', big(year)], { cwd: dir, env: { NGO_IMPORT_BATCH_ROWS: '' } });
          const started = Date.now();
          while (!(await vacuuming()) && Date.now() - started < 60_000) await sleep(50);
          expect(await vacuuming()).toBe(true);
          if (how !== 'terminate') importer.child.kill(how);
          else await queryValue(pg, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'VACUUM%' AND pid <> pg_backend_pid()");
          await blocker.rollback();
          const r = await importer.done;
          if (how !== 'terminate') {
            if (how === 'SIGINT') expect(r.code).toBe(130);
            else expect(r.signal).toBe('SIGTERM'); // the signal's own exit, after the line
            expect(r.stderr).toMatch(/ngo: interrupted; the import itself was saved \(import #\d+; importing the file again adds nothing\)/);
          } else {
            expect(r.code, r.stderr).toBe(0);
            expect(r.stderr).toMatch(/warning: the server's statistics were not refreshed after this write/);
            expect(r.stderr).toContain('inserted 12000, updated 0, unchanged 0, skipped 0, invalid 0');
          }
          expect(Number(await queryValue(pg, `SELECT COUNT(*) FROM hours WHERE date LIKE '${year}-%'`))).toBe(12_000);
          expect((await run(['hours', 'import', big(year)])).stderr).toContain('inserted 0, updated 0, unchanged 12000');
        }
      } finally {
        if (blocker.inTransaction) await blocker.rollback();
        await blocker.close();
      }
    },
  );

  it('a read-only server database, or a role that may not write, refuses a write with exit 6, not an internal error', { timeout: 60_000 }, async () => {
    const pg = await pgDatabase();
    const { dir } = await tmpDb({ create: false });
    expect((await ngo(['--db', pg, 'init'], { cwd: dir })).code).toBe(0);
    expect((await ngo(['--db', pg, 'programs', 'add', 'TELE', '--name', 'Telehealth'], { cwd: dir })).code).toBe(0);
    const name = new URL(pg).pathname.slice(1);
    await admin!.exec(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
    const r = await ngo(['--db', pg, 'programs', 'add', 'PEER', '--name', 'Peer'], { cwd: dir });
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(
      /^ngo: error: the PostgreSQL database \S+ refuses this write: cannot execute \w+ in a read-only transaction\nhint: the server or this database is read-only/,
    );
    await admin!.exec(`ALTER DATABASE ${name} RESET default_transaction_read_only`);
    const role = `ngo_ro_${crypto.randomBytes(4).toString('hex')}`;
    await admin!.exec(`CREATE ROLE ${role} LOGIN; GRANT CONNECT ON DATABASE ${name} TO ${role}`);
    try {
      const c = await PgConn.connect(pg);
      await c.exec(`GRANT USAGE ON SCHEMA public TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
      await c.close();
      const u = new URL(pg);
      u.username = role;
      const w = await ngo(['--db', u.toString(), 'programs', 'add', 'PEER', '--name', 'Peer'], { cwd: dir });
      expect(w.code, w.stderr).toBe(6);
      expect(w.stderr).toMatch(/refuses this write: permission denied for table \w+\nhint: this role may not write/);
      expect((await ngo(['--db', pg, 'programs', 'list', '--format', 'csv'], { cwd: dir })).stdout).not.toContain('PEER');
    } finally {
      await admin!.exec(`DROP OWNED BY ${role}`).catch(() => undefined);
    }
  });

  it(
    'a backup holding a value the server cannot hold is refused with exit 6; the server and the data folder are as they were',
    { timeout: 60_000 },
    async () => {
      const pg = await pgDatabase();
      const { dir } = await tmpDb({ create: false });
      const dataDir = path.join(dir, 'data');
      const file = path.join(dir, 'bad.db');
      for (const db of [pg, file]) {
        expect((await ngo(['--db', db, 'init'], { cwd: dir })).code).toBe(0);
        expect((await ngo(['--db', db, 'people', 'add', '--first', 'Ann', '--email', 'ann@example.org'], { cwd: dir })).code).toBe(0);
      }
      const raw = new Database(file);
      raw.prepare("UPDATE people SET notes = 'a' || char(0) || 'b'").run(); // SQLite holds a NUL; PostgreSQL text cannot
      raw.close();
      const before = await pgHash(pg);
      const r = await ngo(['--db', pg, 'db', 'restore', file, '--yes'], { cwd: dir, dataDir });
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toMatch(/^ngo: error: cannot restore \S+bad\.db: the server refuses a value in it \(.*0x00.*\); the live database was not changed\n/);
      expect(await pgHash(pg)).toBe(before);
      expect(fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : []).toEqual([]); // no kept copy of the live data left behind
    },
  );

  it(
    'a backup holding an integer beyond 2^53 is refused by db restore (exit 6) on both stores, naming table and column; nothing changes',
    { timeout: 60_000 },
    async () => {
      const pg = await pgDatabase();
      const { dir } = await tmpDb({ create: false });
      const dataDir = path.join(dir, 'data');
      const file = path.join(dir, 'live.db');
      const bad = path.join(dir, 'huge.db');
      for (const db of [pg, file, bad]) {
        expect((await ngo(['--db', db, 'init'], { cwd: dir })).code).toBe(0);
        expect((await ngo(['--db', db, 'programs', 'add', 'TELE', '--name', 'Telehealth'], { cwd: dir })).code).toBe(0);
      }
      expect((await ngo(['--db', bad, 'people', 'add', '--first', 'Ann', '--email', 'ann@example.org'], { cwd: dir })).code).toBe(0);
      expect(
        (await ngo(['--db', bad, 'hours', 'log', 'ann@example.org', '--program', 'TELE', '--hours', '1', '--date', '2026-01-02'], { cwd: dir })).code,
      ).toBe(0);
      const raw = new Database(bad);
      raw.prepare('UPDATE hours SET expenses = 9007199254740993').run();
      raw.close();
      const before = { pg: await pgHash(pg), file: fs.readFileSync(file) };
      for (const db of [pg, file]) {
        const r = await ngo(['--db', db, 'db', 'restore', bad, '--yes'], { cwd: dir, dataDir });
        expect(r.code, r.stderr).toBe(6);
        expect(r.stderr).toMatch(
          /cannot restore \S+huge\.db: table hours holds an integer beyond what ngo can hold exactly \(expenses = 9007199254740993\); it was not written by ngo; the live database was not changed/,
        );
      }
      expect(await pgHash(pg)).toBe(before.pg);
      expect(fs.readFileSync(file).equals(before.file)).toBe(true);
    },
  );

  it('people forget, db check and a refused restore on PostgreSQL', { timeout: 60_000 }, async () => {
    const pg = await pgDatabase();
    const { dir } = await tmpDb({ create: false });
    const run = async (args: string[], code = 0) => {
      const r = await ngo(['--db', pg, ...args], { cwd: dir });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      return r;
    };
    await run(['init']);
    await run(['programs', 'add', 'TELE', '--name', 'Telehealth']);
    await run(['people', 'add', '--first', 'Zed', '--last', 'Quinn', '--email', 'zed@example.org', '--phone', '020 7946 0958']);
    await run(['people', 'add', '--first', 'Amy', '--last', 'Ng', '--email', 'amy@example.org']);
    await run([
      'hours',
      'log',
      'amy@example.org',
      '--program',
      'TELE',
      '--date',
      '2026-11-02',
      '--hours',
      '1',
      '--note',
      'covered for Zed Quinn (zed@example.org, 020 7946 0958)',
    ]);
    const f = await run(['people', 'forget', 'zed@example.org', '--yes']);
    expect(f.stderr).toMatch(/keeps old row versions until VACUUM/);
    const all = (await run(['people', 'list'])).stdout + (await run(['hours', 'list'])).stdout + (await run(['audit', '--format', 'csv'])).stdout;
    expect(all).not.toMatch(/Zed|Quinn|zed@|7946/);
    expect(all).toContain('covered for [erased] ([erased], [erased])');
    const check = await run(['db', 'check']);
    expect(check.stdout).toMatch(/^writable,ok,ok$/m);
    expect(check.stdout).toMatch(new RegExp(`^schema_version,ok,${LATEST_SCHEMA_VERSION} `, 'm'));
    expect(check.stdout).toMatch(/^erased_people_scrubbed,ok,/m);
    // A kept copy that cannot be written (a data folder under /proc, where Node's recursive mkdir used
    // to spin for ever holding the write lock): exit 6, nothing changed, and the lock is free again.
    const good = path.join(dir, 'good.db');
    expect((await ngo(['--db', good, 'init'])).code).toBe(0);
    const stuck = await ngo(['--db', pg, 'db', 'restore', good, '--yes'], { cwd: dir, dataDir: '/proc/ngo' });
    expect(stuck.code, stuck.stderr).toBe(6);
    expect(stuck.stderr).toMatch(/^ngo: error: cannot write \/proc\/ngo\/ngo-before-restore-/m);
    expect((await run(['people', 'list'])).stdout).toContain('amy@example.org');
    await run(['people', 'add', '--first', 'Eve', '--email', 'eve@example.org']);
    // A restore from a file that is not an ngo database changes nothing.
    const before = (await run(['people', 'list'])).stdout;
    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, 'not a database at all');
    const r = await run(['db', 'restore', junk, '--yes'], 6);
    expect(r.stderr).toMatch(/cannot restore .*junk\.db: .*the live database was not changed/);
    expect((await run(['people', 'list'])).stdout).toBe(before);
  });

  it(
    'a killed importer leaves nothing and holds no lock; a writer behind a long import waits, says so after 5 s, then writes',
    { timeout: 90_000 },
    async () => {
      const pg = await pgDatabase();
      const { dir } = await tmpDb({ create: false });
      const run = async (args: string[], code = 0, env: Record<string, string> = {}) => {
        const r = await runNgo(['--db', pg, ...args], { cwd: dir, env });
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
        return r;
      };
      await run(['init']);
      await run(['programs', 'add', 'TELE', '--name', 'Telehealth']);
      fs.writeFileSync(path.join(dir, 'roster.csv'), 'external_id,first_name,email\nV1,Ann,ann@example.org\n');
      await run(['people', 'import', path.join(dir, 'roster.csv')]);
      const big = path.join(dir, 'big.csv');
      const lines = ['external_id,date,minutes,program'];
      for (let i = 0; i < 30_000; i++) lines.push(`V1,2026-${String(1 + (i % 9)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},1,TELE`);
      fs.writeFileSync(big, lines.join('\n') + '\n');
      const big2 = path.join(dir, 'big2.csv');
      // Long enough to outlast NGO_BUSY_TIMEOUT=5 (about 0.1 ms a row on the test machine).
      const lines2 = ['external_id,date,minutes,program'];
      for (let i = 0; i < 150_000; i++) lines2.push(`V1,2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},1,TELE`);
      fs.writeFileSync(big2, lines2.join('\n') + '\n');
      // kill -9 midway: the server rolls its transaction back and its lock goes with the connection.
      const victim = spawnNgo(['--db', pg, 'hours', 'import', big2], { cwd: dir, env: { NGO_IMPORT_BATCH_ROWS: '' } });
      await sleep(1500);
      victim.child.kill('SIGKILL');
      expect((await victim.done).signal).toBe('SIGKILL');
      const started = Date.now();
      await run(['people', 'add', '--first', 'Bo', '--email', 'bo@example.org']);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(Number(await queryValue(pg, 'SELECT COUNT(*) FROM hours'))).toBe(0);
      expect(Number(await queryValue(pg, "SELECT COUNT(*) FROM imports WHERE kind = 'hours'"))).toBe(0);
      // A write behind a long import waits for it (the advisory lock), tells once after 5 s, then goes in.
      const importer = spawnNgo(['--db', pg, 'hours', 'import', big], { cwd: dir, env: { NGO_IMPORT_BATCH_ROWS: '' } });
      await sleep(800);
      const waiter = await run(['people', 'add', '--first', 'Cy', '--email', 'cy@example.org'], 0, { NGO_BUSY_TIMEOUT: '120' });
      const imp = await importer.done;
      expect(imp.code, imp.stderr).toBe(0);
      if (imp.ms > 7000) expect(waiter.stderr).toMatch(/waiting for another ngo command to finish writing/);
      expect(Number(await queryValue(pg, 'SELECT COUNT(*) FROM hours'))).toBe(30_000);
      // A writer that cannot wait long enough gives up with exit 5 and writes nothing: the lock held
      // here as a writer holds it (a server import is now too quick to outlast the wait reliably).
      const holder = await PgConn.connect(pg);
      try {
        await holder.begin();
        await holder.value('SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))', String(lockKeyFor('public')));
        const busy = await run(['people', 'add', '--first', 'Di', '--email', 'di@example.org'], 5, { NGO_BUSY_TIMEOUT: '5' });
        expect(busy.stderr).toMatch(/database is busy/);
        await holder.rollback();
      } finally {
        await holder.close();
      }
      expect(Number(await queryValue(pg, "SELECT COUNT(*) FROM people WHERE email = 'di@example.org'"))).toBe(0);
    },
  );
});

describe('PostgreSQL URLs that name no database, or are not URLs (no server needed)', () => {
  it('a URL without a database name, a keyword string and a scheme without // are usage errors (exit 2) that never show the password', async () => {
    const { dir } = await tmpDb({ create: false });
    for (const db of [
      'postgres://ngo:s3cr3t-pw@127.0.0.1:5432',
      'postgres://ngo:s3cr3t-pw@127.0.0.1:5432/',
      'host=127.0.0.1 dbname=ngo user=ngo password=s3cr3t-pw',
      'postgres:ngo:s3cr3t-pw@127.0.0.1/ngo',
    ]) {
      const r = await ngo(['--db', db, 'init'], { cwd: dir });
      expect(r.code, `${db}: ${r.stderr}`).toBe(2);
      expect(r.stdout + r.stderr).not.toContain('s3cr3t-pw');
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe.skipIf(!SERVER)('PostgreSQL: what an attack on the server store found', () => {
  it('a search_path naming no existing schema is exit 6 with a hint; hours by program sort codes alike on both stores', async () => {
    const u = new URL(SERVER!);
    u.searchParams.set('options', '-csearch_path=no_such_schema_here');
    const r = await ngo(['--db', u.toString(), 'init']);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/no schema of its search_path exists/);
    const pg = await pgDatabase();
    const { dir } = await tmpDb({ create: false });
    const file = path.join(dir, 'ngo.db');
    const out: string[] = [];
    for (const db of [pg, file]) {
      expect((await ngo(['--db', db, 'init'])).code).toBe(0);
      for (const code of ['AB', 'A_B', 'A-B', 'ab2']) expect((await ngo(['--db', db, 'programs', 'add', code, '--name', code])).code).toBe(0);
      await ngo(['--db', db, 'people', 'add', '--first', 'Ann', '--email', 'ann@example.org']);
      for (const code of ['AB', 'A_B', 'A-B', 'ab2'])
        await ngo(['--db', db, 'hours', 'log', 'ann@example.org', '--program', code, '--date', '2026-11-02', '--hours', '1']);
      out.push(
        (await ngo(['--db', db, 'report', 'hours', '--period', '2026', '--by', 'program'])).stdout + (await ngo(['--db', db, 'programs', 'list'])).stdout,
      );
    }
    expect(out[0]).toBe(out[1]);
  });

  it('Ctrl-C, SIGTERM or SIGHUP during a restore onto a server database leaves no temporary copy of its data behind', { timeout: 60_000 }, async () => {
    const pg = await pgDatabase();
    const { dir } = await tmpDb({ create: false });
    const dataDir = path.join(dir, 'data');
    const src = path.join(dir, 'src.db');
    expect((await ngo(['--db', src, 'demo'])).code).toBe(0);
    expect((await ngo(['--db', pg, 'db', 'restore', src, '--yes'], { dataDir })).code).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
    // Nor the staged copy of the backup in the temporary folder, whichever signal (second attack on the PG store, N2).
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const [i, after] of [100, 200, 300, 400, 500, 600, 700, 800, 900].entries()) {
      const p = spawnNgo(['--db', pg, 'db', 'restore', src, '--yes'], { cwd: dir, env: { XDG_DATA_HOME: dataDir, TMPDIR: tmp } });
      await sleep(after);
      p.child.kill(signals[i % 3]!);
      await p.done;
      const left = fs.existsSync(path.join(dataDir, 'ngo')) ? fs.readdirSync(path.join(dataDir, 'ngo')) : [];
      expect(left.filter((n) => n.endsWith('.tmp') || /\.tmp-(wal|shm|journal)$/.test(n))).toEqual([]);
      expect(fs.readdirSync(tmp), `${signals[i % 3]} after ${after} ms`).toEqual([]);
    }
    // The server database is whole: the last restore either happened or not at all.
    expect((await ngo(['--db', pg, 'report', 'tax', '--year', '2025'])).stdout).toBe((await ngo(['--db', src, 'report', 'tax', '--year', '2025'])).stdout);
  });
});
