/**
 * The PostgreSQL connection (src/store/pg-conn.ts). The server tests run only when NGO_TEST_PG_URL names a
 * server (`.ci/pg-cluster start DIR` prints one); each test works in a schema of its own, dropped after it.
 * Placeholders, redaction, error mapping and the connection failures (a closed port, a fake server that
 * refuses the password) need no server and always run.
 */
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, IoError } from '../../src/errors.js';
import { PgConn, pgCreateSchema, pgError, pgMigrateSchema, pgPlaceholders, pgSchemaState, pgSnapshot, pgWrite, redactPgUrl } from '../../src/store/pg-conn.js';
import { PG_BASE_SCHEMA, PG_BASE_VERSION, PG_SCHEMA_VERSION } from '../../src/store/pg-schema.js';
import { LATEST_SCHEMA_VERSION } from '../../src/store/schema.js';

const PG_URL = process.env['NGO_TEST_PG_URL'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Just enough of a PostgreSQL server to ask for a cleartext password and refuse it with 28P01. Its error
 * message quotes the password it got, to prove the client scrubs it. `passwords` collects what arrived.
 */
async function passwordRefusingServer(): Promise<{ port: number; passwords: string[]; close: () => Promise<void> }> {
  const passwords: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buf = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (!started && buf.length >= 4 && buf.length >= buf.readInt32BE(0)) {
        started = true;
        buf = buf.subarray(buf.readInt32BE(0));
        const askCleartext = Buffer.alloc(9);
        askCleartext.write('R', 0);
        askCleartext.writeInt32BE(8, 1);
        askCleartext.writeInt32BE(3, 5);
        socket.write(askCleartext);
      }
      if (started && buf.length >= 5 && buf[0] === 'p'.charCodeAt(0) && buf.length >= 1 + buf.readInt32BE(1)) {
        const password = buf.subarray(5, 1 + buf.readInt32BE(1) - 1).toString('utf8');
        buf = Buffer.alloc(0);
        passwords.push(password);
        const fields = Buffer.from(`SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "u" (got "${password}")\0\0`, 'utf8');
        const err = Buffer.alloc(5);
        err.write('E', 0);
        err.writeInt32BE(4 + fields.length, 1);
        socket.end(Buffer.concat([err, fields]));
      }
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    passwords,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('pgPlaceholders', () => {
  it('numbers ? left to right, skipping literals, identifiers, dollar quotes and comments', () => {
    expect(pgPlaceholders('SELECT * FROM t WHERE a = ? AND b IN (?, ?)')).toEqual({ text: 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)', count: 3 });
    const sql = `SELECT ?, '?', 'it''s ?', E'\\' ?', "col?" , "a""?", $$ ? $$, $x$ ? $x$ -- ?
      /* ? /* ? */ ? */ FROM t WHERE c = ?`;
    const { text, count } = pgPlaceholders(sql);
    expect(count).toBe(2);
    expect(text).toBe(sql.replace(/^SELECT \?/, 'SELECT $1').replace(/c = \?$/, 'c = $2'));
  });

  it('leaves SQL without ? alone, $1 included', () => {
    expect(pgPlaceholders('SELECT $1::int')).toEqual({ text: 'SELECT $1::int', count: 0 });
    expect(pgPlaceholders("SELECT '?'")).toEqual({ text: "SELECT '?'", count: 0 });
  });
});

describe('redactPgUrl', () => {
  it('hides the password of the user part and of any password= parameter', () => {
    expect(redactPgUrl('postgres://u:s3cret@h/db')).toBe('postgres://u:***@h/db');
    expect(redactPgUrl('postgres://u@h:5432/db?password=s3cret&sslmode=require')).toBe('postgres://u@h:5432/db?password=***&sslmode=require');
    expect(redactPgUrl('postgresql://u:s3cret@h/db?sslpassword=k3y')).toBe('postgresql://u:***@h/db?sslpassword=***');
    expect(redactPgUrl('postgres://u:p@ss:w@h/db')).toBe('postgres://u:***@h/db');
    expect(redactPgUrl('postgres://u:a/b?c@h/db')).toBe('postgres://u:***@h/db');
    expect(redactPgUrl("host=h user=u password='s3 cret' dbname=d")).toBe('host=h user=u password=*** dbname=d');
    expect(redactPgUrl('postgres://u@h/db?user=a@b')).toBe('postgres://u@h/db?user=a@b');
    expect(redactPgUrl('postgres://h:5432/db')).toBe('postgres://h:5432/db');
    for (const url of ['postgres://u:s3cret@h/db', 'postgres://u@h/db?password=s3cret', 'postgres://u:s3cret@h/db?password=s3cret']) {
      expect(redactPgUrl(url)).not.toContain('s3cret');
    }
  });
});

describe('pgError', () => {
  const loc = 'postgres://u:***@h/db';
  const dbError = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

  it('maps lock, serialization and deadlock failures to ConflictError, connection failures to IoError', () => {
    for (const code of ['55P03', '40001', '40P01']) {
      const e = pgError(dbError(code), loc);
      expect(e).toBeInstanceOf(ConflictError);
      expect(e.message).toContain(loc);
    }
    for (const code of ['28P01', '28000', '3D000', '57P01', '08006', 'ECONNREFUSED', 'ENOTFOUND']) {
      const e = pgError(dbError(code, 'line one\n  line two'), loc);
      expect(e).toBeInstanceOf(IoError);
      expect(e.message).not.toContain('\n');
      expect(e.message).toContain(loc);
    }
    expect(pgError(new Error('Connection terminated unexpectedly'), loc).message).toMatch(/^lost the connection to/);
    const unique = dbError('23505');
    expect(pgError(unique, loc)).toBe(unique);
    const syntax = dbError('42601');
    expect(pgError(syntax, loc)).toBe(syntax);
  });
});

describe('connection failures', () => {
  it('a closed port is an IoError naming the URL without its password', async () => {
    const port = await closedPort();
    const e = await rejection(PgConn.connect(`postgres://u:s3cret@127.0.0.1:${port}/db?password=s3cret`));
    expect(e).toBeInstanceOf(IoError);
    expect(e.message).toMatch(/^cannot connect to the PostgreSQL database postgres:\/\/u:\*\*\*@127\.0\.0\.1:\d+\/db\?password=\*\*\*: .*ECONNREFUSED/);
    expect(e.message).not.toContain('s3cret');
    expect(e.message).not.toContain('\n');
  });

  it('a refused password is an IoError without the password, even when the server quotes it', async () => {
    const server = await passwordRefusingServer();
    try {
      const e = await rejection(PgConn.connect(`postgres://u:s3cret@127.0.0.1:${server.port}/db`));
      expect(server.passwords).toEqual(['s3cret']);
      expect(e).toBeInstanceOf(IoError);
      expect(e.message).toContain('password authentication failed');
      expect(e.message).not.toContain('s3cret');
      expect((e as IoError).hint).toMatch(/password/);
    } finally {
      await server.close();
    }
  });

  it('reads ~/.pgpass (PGPASSFILE) itself, without node-postgres’s deprecation warning', async () => {
    const server = await passwordRefusingServer();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-pgpass-'));
    const file = path.join(dir, 'pgpass');
    fs.writeFileSync(file, `# comment\nother:*:*:*:no\n127.0.0.1:${server.port}:db:u:from\\:file\n`, { mode: 0o600 });
    const saved = { PGPASSFILE: process.env['PGPASSFILE'], PGPASSWORD: process.env['PGPASSWORD'] };
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      process.env['PGPASSFILE'] = file;
      delete process.env['PGPASSWORD'];
      const e = await rejection(PgConn.connect(`postgres://u@127.0.0.1:${server.port}/db`));
      expect(server.passwords).toEqual(['from:file']);
      expect(e).toBeInstanceOf(IoError);
      expect(e.message).not.toContain('from:file');
      const other = await rejection(PgConn.connect(`postgres://nobody@127.0.0.1:${server.port}/db`));
      expect(other).toBeInstanceOf(IoError);
      expect(other.message).toContain('none was given');
      await sleep(10);
      expect(warnings.filter((w) => /pgpass/i.test(w.message))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      await server.close();
    }
  });

  it('refuses service names, which node-postgres does not support', async () => {
    const e = await rejection(PgConn.connect('postgres:///?service=ngo&password=s3cret'));
    expect(e).toBeInstanceOf(IoError);
    expect(e.message).toMatch(/service/);
    expect(e.message).not.toContain('s3cret');
  });
});

describe.skipIf(!PG_URL)('PgConn against a server', () => {
  let admin: PgConn;
  let schema: string;
  let url: string;
  const opened: PgConn[] = [];

  /** A connection whose search_path is this test's schema (through the URL's options parameter). */
  async function open(): Promise<PgConn> {
    const c = await PgConn.connect(url);
    opened.push(c);
    return c;
  }

  beforeEach(async () => {
    admin = await PgConn.connect(PG_URL!);
    schema = `t_${randomBytes(6).toString('hex')}`;
    await admin.exec(`CREATE SCHEMA ${schema}`);
    const u = new URL(PG_URL!);
    u.searchParams.set('options', `-csearch_path=${schema}`);
    url = u.toString();
  });

  afterEach(async () => {
    for (const c of opened.splice(0)) await c.close();
    await admin.exec(`DROP SCHEMA ${schema} CASCADE`);
    await admin.close();
  });

  it('runs in the schema of the URL, with the session settings', async () => {
    const c = await open();
    expect(await c.value('SELECT current_schema()')).toBe(schema);
    expect(await c.value('SHOW TimeZone')).toBe('UTC');
    expect(await c.value('SHOW client_min_messages')).toBe('warning');
    expect(await c.value('SHOW client_connection_check_interval')).toBe('1s');
    expect(await c.value('SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()')).toBe('ngo');
    expect(c.dialect).toBe('pg');
  });

  it('converts ? placeholders, not those in literals, and binds parameters', async () => {
    const c = await open();
    expect(await c.value("SELECT CAST(? AS TEXT) || '?' || ? -- ?\n", 'a', 'b')).toBe('a?b');
    expect(await c.get('SELECT ? + 1 AS n, \'?\' AS q, ? AS "x?"', 41, 'y')).toEqual({ n: 42, q: '?', 'x?': 'y' });
    // undefined → NULL, booleans → 1/0, bigint → its digits, Buffer → bytea
    expect(await c.value('SELECT CAST(? AS TEXT) IS NULL', undefined)).toBe(1);
    expect(await c.all('SELECT CAST(? AS BIGINT) AS t, CAST(? AS BIGINT) AS f', true, false)).toEqual([{ t: 1, f: 0 }]);
    expect(await c.value('SELECT CAST(? AS BIGINT) + 1', 9007199254740990n)).toBe(9007199254740991);
    const bytes = Buffer.from([0, 1, 2, 255]);
    expect(await c.value('SELECT CAST(? AS BYTEA)', bytes)).toEqual(bytes);
    // An untyped parameter used only in `? IS NULL` cannot be typed: the portable form has a CAST.
    expect(await rejection(c.value('SELECT ? IS NULL', null))).toMatchObject({ code: '42P18' });
    // A parameter alone in a select list reads back as text.
    expect(await c.value('SELECT ?', 5)).toBe('5');
    expect(await rejection(c.value('SELECT ? + ?', 1))).toBeInstanceOf(RangeError);
  });

  it('prepares each query text once, under a short name', async () => {
    const c = await open();
    for (let i = 0; i < 3; i++) expect(await c.value('SELECT CAST(? AS BIGINT) * 2', i)).toBe(i * 2);
    const named = await c.all<{ name: string; statement: string }>(
      "SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT CAST(%' ORDER BY name",
    );
    expect(named).toEqual([{ name: 'ngo1', statement: 'SELECT CAST($1 AS BIGINT) * 2' }]);
  });

  it('returns int8 and numeric (COUNT, SUM of bigint, AVG) as numbers, booleans as 1/0, json as text', async () => {
    const c = await open();
    await c.exec('CREATE TABLE t (v BIGINT NOT NULL); INSERT INTO t VALUES (1), (2), (4000000000000)');
    const row = await c.get(
      'SELECT COUNT(*) AS n, SUM(v) AS s, MAX(v) AS m, AVG(CAST(v AS NUMERIC)) AS a, SUM(v) / 2.0 AS h, pg_typeof(SUM(v))::text AS ty FROM t',
    );
    expect(row).toEqual({ n: 3, s: 4000000000003, m: 4000000000000, a: expect.closeTo(1333333333334.333, 2), h: 2000000000001.5, ty: 'numeric' });
    expect(await c.value('SELECT CAST(1.25 AS NUMERIC)')).toBe(1.25);
    expect(await c.get('SELECT 1 = 1 AS t, 1 = 0 AS f, EXISTS (SELECT 1 FROM t) AS e')).toEqual({ t: 1, f: 0, e: 1 });
    expect(await c.value('SELECT array_agg(v ORDER BY v) FROM t')).toEqual([1, 2, 4000000000000]);
    expect(await c.value('SELECT CAST(json_agg(v ORDER BY v) AS TEXT) FROM t')).toBe('[1, 2, 4000000000000]'); // not SQLite's '[1,2,…]'
    expect(await c.value('SELECT json_build_object(?::text, 1)', 'k')).toBe('{"k" : 1}');
    const big = await rejection(c.value("SELECT CAST('9007199254740993' AS BIGINT)"));
    expect(big.message).toContain('9007199254740993');
    expect(await rejection(c.value("SELECT CAST('123456789012345678901' AS NUMERIC)"))).toBeInstanceOf(Error);
    expect(await c.value('SELECT 1')).toBe(1); // the connection goes on
  });

  it('value, column, get, all, run and insertId', async () => {
    const c = await open();
    await c.exec('CREATE TABLE p (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE q (x INT)');
    expect(await c.insertId('INSERT INTO p(name) VALUES (?) RETURNING id', 'a')).toBe(1);
    expect(await c.insertId('INSERT INTO p(name) VALUES (?) RETURNING id', 'b')).toBe(2);
    expect(await c.column('SELECT name FROM p ORDER BY id')).toEqual(['a', 'b']);
    expect(await c.column('SELECT name FROM p WHERE id > 5')).toEqual([]);
    expect(await c.value('SELECT name FROM p WHERE id = ?', 2)).toBe('b');
    expect(await c.value('SELECT name FROM p WHERE id = ?', 9)).toBeUndefined();
    expect(await c.get('SELECT * FROM p WHERE id = ?', 9)).toBeUndefined();
    expect(await c.all('SELECT * FROM p ORDER BY id')).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    expect(await c.run("UPDATE p SET name = name || '!'")).toEqual({ changes: 2 });
    expect(await c.run('DELETE FROM p WHERE id = ?', 7)).toEqual({ changes: 0 });
    expect(await c.run('CREATE INDEX q_x ON q (x)')).toEqual({ changes: 0 });
    expect(await rejection(c.insertId('INSERT INTO q VALUES (1)'))).toBeInstanceOf(Error);
  });

  it('tracks transactions, and COMMIT of a failed transaction is an error', async () => {
    const c = await open();
    await c.exec('CREATE TABLE t (v INT PRIMARY KEY)');
    expect(c.inTransaction).toBe(false);
    await c.begin();
    expect(c.inTransaction).toBe(true);
    await expect(c.begin()).rejects.toThrow(/already open/);
    await c.run('INSERT INTO t VALUES (1)');
    expect(await rejection(c.run('INSERT INTO t VALUES (1)'))).toMatchObject({ code: '23505' });
    expect(c.inTransaction).toBe(true);
    await expect(c.commit()).rejects.toThrow(/rolled back/);
    expect(c.inTransaction).toBe(false);
    expect(await c.value('SELECT COUNT(*) FROM t')).toBe(0);
  });

  it('pgCreateSchema then pgSchemaState gives the latest version', async () => {
    const c = await open();
    expect(await pgSchemaState(c)).toEqual({ version: 0, tables: false });
    await expect(pgCreateSchema(c, '2024-01-01T00:00:00.000Z')).rejects.toThrow(/write transaction/);
    await pgWrite(c, randomInt(1, 2 ** 47), 1000, undefined, () => pgCreateSchema(c, '2024-01-01T00:00:00.000Z'));
    expect(await pgSchemaState(c)).toEqual({ version: PG_SCHEMA_VERSION, tables: true });
    expect(await c.all('SELECT * FROM schema_migrations')).toEqual([{ version: PG_SCHEMA_VERSION, applied_at: '2024-01-01T00:00:00.000Z' }]);
    // Some other table only: tables, no version.
    const d = await PgConn.connect(PG_URL!);
    opened.push(d);
    await d.exec(`CREATE SCHEMA ${schema}_x; SET search_path = ${schema}_x; CREATE TABLE other (x INT)`);
    try {
      expect(await pgSchemaState(d)).toEqual({ version: 0, tables: true });
    } finally {
      await d.exec(`DROP SCHEMA ${schema}_x CASCADE`);
    }
  });

  it('a database at the base version migrates to the latest, with the columns of a fresh one in the same order', async () => {
    const columns = (c: PgConn, s: string) =>
      c.all(
        `SELECT table_name, ordinal_position, column_name, data_type, is_nullable, column_default
           FROM information_schema.columns WHERE table_schema = ? ORDER BY table_name, ordinal_position`,
        s,
      );
    const old = await open();
    await pgWrite(old, randomInt(1, 2 ** 47), 1000, undefined, async () => {
      await old.exec(PG_BASE_SCHEMA);
      await old.run('INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)', PG_BASE_VERSION, '2024-01-01T00:00:00.000Z');
    });
    await expect(pgMigrateSchema(old, PG_BASE_VERSION, 'x')).rejects.toThrow(/write transaction/);
    await pgWrite(old, randomInt(1, 2 ** 47), 1000, undefined, () => pgMigrateSchema(old, PG_BASE_VERSION, '2024-02-01T00:00:00.000Z'));
    expect(await pgSchemaState(old)).toEqual({ version: PG_SCHEMA_VERSION, tables: true });
    expect(await old.value('SELECT COUNT(*) FROM schema_migrations')).toBe(1 + PG_SCHEMA_VERSION - PG_BASE_VERSION);
    const d = await PgConn.connect(PG_URL!);
    opened.push(d);
    await d.exec(`CREATE SCHEMA ${schema}_f; SET search_path = ${schema}_f`);
    try {
      await pgWrite(d, randomInt(1, 2 ** 47), 1000, undefined, () => pgCreateSchema(d, '2024-01-01T00:00:00.000Z'));
      const fresh = await columns(d, `${schema}_f`);
      expect(fresh.length).toBeGreaterThan(50);
      expect(await columns(d, schema)).toEqual(fresh);
    } finally {
      await d.exec(`DROP SCHEMA ${schema}_f CASCADE`);
    }
  });

  it('opening a database at the base version migrates it once, keeps its rows, and says so', async () => {
    const old = await open();
    await pgWrite(old, randomInt(1, 2 ** 47), 1000, undefined, async () => {
      await old.exec(PG_BASE_SCHEMA);
      await old.run('INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)', PG_BASE_VERSION, 'x');
      await old.run("INSERT INTO people(first_name, email, status, created_at, updated_at) VALUES ('Ana', 'ana@example.org', 'active', 't', 't')");
    });
    const notes: string[] = [];
    const { openPgDatabase } = await import('../../src/store/pg-store.js');
    const c = await openPgDatabase(url, { now: () => new Date('2026-12-01T00:00:00Z'), notice: (m) => notes.push(m) });
    opened.push(c);
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^migrated the server database .* from schema ${PG_BASE_VERSION} to ${PG_SCHEMA_VERSION}$`))]);
    expect(await pgSchemaState(c)).toEqual({ version: PG_SCHEMA_VERSION, tables: true });
    expect(await c.all('SELECT first_name, email FROM people')).toEqual([{ first_name: 'Ana', email: 'ana@example.org' }]);
    const again: string[] = [];
    opened.push(await openPgDatabase(url, { now: () => new Date(), notice: (m) => again.push(m) }));
    expect(again).toEqual([]);
  });

  it('the server schema and the file schema have the same latest version', () => {
    expect(PG_SCHEMA_VERSION).toBe(LATEST_SCHEMA_VERSION);
  });

  it('a second pgWrite waits while the first holds the lock, then proceeds after its commit', async () => {
    const a = await open();
    const b = await open();
    await a.exec('CREATE TABLE t (v INT)');
    const key = BigInt(randomInt(1, 2 ** 47));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = pgWrite(a, key, 5000, undefined, async () => {
      await a.run('INSERT INTO t VALUES (1)');
      entered();
      await gate;
      return 'first';
    });
    await inside;
    const notices: string[] = [];
    let ran = false;
    const second = pgWrite(
      b,
      key,
      10_000,
      (m) => notices.push(m),
      async () => {
        ran = true;
        return b.value('SELECT COUNT(*) FROM t');
      },
    );
    await sleep(400);
    expect(ran).toBe(false);
    expect(b.inTransaction).toBe(true);
    release();
    expect(await first).toBe('first');
    expect(await second).toBe(1); // sees the first writer's row, committed before it got the lock
    expect(notices).toEqual([]);
    expect(a.inTransaction || b.inTransaction).toBe(false);
  });

  it('gives up after waitMs with ConflictError, without the notice before 5 s', async () => {
    const a = await open();
    const b = await open();
    const key = randomInt(1, 2 ** 47);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = pgWrite(a, key, 5000, undefined, async () => {
      entered();
      await gate;
    });
    await inside;
    const notices: string[] = [];
    const t0 = Date.now();
    const e = await rejection(
      pgWrite(
        b,
        key,
        300,
        (m) => notices.push(m),
        () => Promise.resolve(),
      ),
    );
    const took = Date.now() - t0;
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.message).toBe(`database is busy (locked by another ngo process for more than 0.3 s): ${redactPgUrl(url)}`);
    expect((e as ConflictError).hint).toBe('try again when the other command has finished');
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2000);
    expect(notices).toEqual([]);
    expect(b.inTransaction).toBe(false);
    release();
    await first;
  });

  it('tells the notice once after 5 s of waiting', async () => {
    const a = await open();
    const b = await open();
    const key = randomInt(1, 2 ** 47);
    await a.begin();
    expect(await a.value('SELECT pg_try_advisory_xact_lock(CAST(? AS BIGINT))', key)).toBe(1);
    const notices: string[] = [];
    const e = await rejection(
      pgWrite(
        b,
        key,
        5400,
        (m) => notices.push(m),
        () => Promise.resolve(),
      ),
    );
    await a.commit();
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.message).toMatch(/for more than 5 s/);
    expect(notices).toEqual(['waiting for another ngo command to finish writing to the database (up to 5 s; Ctrl-C to give up)']);
  });

  it('a nested pgWrite is a savepoint: its failure undoes only its own part', async () => {
    const c = await open();
    await c.exec('CREATE TABLE t (v INT PRIMARY KEY)');
    const key = randomInt(1, 2 ** 47);
    await pgWrite(c, key, 1000, undefined, async () => {
      await c.run('INSERT INTO t VALUES (1)');
      const e = await rejection(
        pgWrite(c, key, 1000, undefined, async () => {
          await c.run('INSERT INTO t VALUES (2)');
          await c.run('INSERT INTO t VALUES (1)'); // unique violation
        }),
      );
      expect(e).toMatchObject({ code: '23505' });
      await pgWrite(c, key, 1000, undefined, () => c.run('INSERT INTO t VALUES (3)'));
    });
    expect(await c.column('SELECT v FROM t ORDER BY v')).toEqual([1, 3]);
    // A failing outer write rolls everything back.
    await expect(
      pgWrite(c, key, 1000, undefined, async () => {
        await c.run('INSERT INTO t VALUES (4)');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(c.inTransaction).toBe(false);
    expect(await c.column('SELECT v FROM t ORDER BY v')).toEqual([1, 3]);
  });

  it('pgSnapshot sees one state while another connection commits', async () => {
    const a = await open();
    const b = await open();
    await a.exec('CREATE TABLE t (v INT); INSERT INTO t VALUES (1)');
    const seen = await pgSnapshot(a, async () => {
      const before = await a.value('SELECT COUNT(*) FROM t');
      await b.run('INSERT INTO t VALUES (2)');
      return [before, await a.value('SELECT COUNT(*) FROM t')];
    });
    expect(seen).toEqual([1, 1]);
    expect(await a.value('SELECT COUNT(*) FROM t')).toBe(2);
    expect(a.inTransaction).toBe(false);
    // Read only, and inside an open transaction it just runs.
    // a write in a read-only snapshot is refused by the server, as on a read-only server: exit 6 (IoError), the SQLSTATE kept as the cause
    expect(await rejection(pgSnapshot(a, () => a.run('INSERT INTO t VALUES (3)')))).toMatchObject({ exitCode: 6, cause: { code: '25006' } });
    expect(a.inTransaction).toBe(false);
    await a.begin();
    await a.run('INSERT INTO t VALUES (3)');
    expect(await pgSnapshot(a, () => a.value('SELECT COUNT(*) FROM t'))).toBe(3);
    expect(a.inTransaction).toBe(true);
    await a.rollback();
  });

  it('maps a lock timeout to ConflictError and a terminated session to IoError', async () => {
    const a = await open();
    const b = await open();
    await a.exec('CREATE TABLE t (v INT)');
    await a.begin();
    await a.exec('LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
    await b.exec("SET lock_timeout = '100ms'");
    const busy = await rejection(b.all('SELECT * FROM t'));
    expect(busy).toBeInstanceOf(ConflictError);
    expect((busy as Error & { cause?: { code?: string } }).cause?.code).toBe('55P03');
    await a.rollback();

    const pid = await b.value<number>('SELECT pg_backend_pid()');
    expect(await a.value('SELECT pg_terminate_backend(?)', pid)).toBe(1);
    await sleep(100);
    const lost = await rejection(b.value('SELECT 1'));
    expect(lost).toBeInstanceOf(IoError);
    expect(lost.message).toMatch(/^lost the connection to the PostgreSQL database .*terminating connection due to administrator command/);
  });

  it('a missing database is an IoError without the password', async () => {
    const u = new URL(PG_URL!);
    u.password = 's3cret';
    u.pathname = '/no_such_db_here';
    const e = await rejection(PgConn.connect(u.toString()));
    expect(e).toBeInstanceOf(IoError);
    expect(e.message).toContain('does not exist');
    expect(e.message).not.toContain('s3cret');
  });
});
