/**
 * Run the CLI in-process with fake streams and a fixed clock, like the GitHub CLI's IOStreams tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { run } from '../src/cli.js';
import type { Context, OutStream } from '../src/context.js';
import type { Choice, Prompter } from '../src/io/prompt.js';
import Database from 'better-sqlite3';
import { openDatabase } from '../src/store/db.js';
import { PgConn, pgWrite } from '../src/store/pg-conn.js';
import { SqliteConn } from '../src/store/sqlite-conn.js';
import type { Conn } from '../src/store/conn.js';
import { openPgDatabase } from '../src/store/pg-store.js';
import { TABLES_IN_ORDER, loadSqliteFileIntoPg } from '../src/store/transfer.js';

export class Capture implements OutStream {
  chunks: string[] = [];
  isTTY: boolean;
  columns?: number;
  constructor(tty = false, columns?: number) {
    this.isTTY = tty;
    this.columns = columns;
  }
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

export interface RunOptions {
  stdin?: string | Buffer | Readable;
  /** stdin and stdout are terminals (prompts allowed). */
  tty?: boolean;
  /** stderr is a terminal (colour, progress). Defaults to `tty`. */
  stderrTty?: boolean;
  env?: Record<string, string | undefined>;
  now?: Date;
  prompter?: Prompter;
  cwd?: string;
  columns?: number;
  /** The per-user data directory (default: an unused temporary path). */
  dataDir?: string;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** 2026-11-23 10:00 local time: the fixed "now" of the tests. */
export const NOW = new Date(2026, 10, 23, 10, 0, 0);

/**
 * NGO_TEST_STORE=pg (with NGO_TEST_PG_URL, a server where the tests may create schemas): every
 * database a test makes with tmpDb is a schema on that server instead of a file (.ci/run runs the
 * suite once on each store). Tests of what only a file has (its mode, its -wal, a damaged page, a full
 * disk, FIFOs as the database) run on SQLite only (describe.skipIf(ON_PG)).
 */
export const ON_PG = process.env['NGO_TEST_STORE'] === 'pg';

/**
 * NGO_IMPORT_BATCH_ROWS of the test run, passed on to every command: .ci/run's PostgreSQL pass sets a
 * batch of a few rows, so that every import test crosses the batches a server import reads ahead.
 */
const BATCH_ENV: Record<string, string> = process.env['NGO_IMPORT_BATCH_ROWS'] ? { NGO_IMPORT_BATCH_ROWS: process.env['NGO_IMPORT_BATCH_ROWS'] } : {};

/** A new, empty schema on the test server: the URL that names it. */
export async function pgSchema(): Promise<string> {
  const server = process.env['NGO_TEST_PG_URL'];
  if (!server) throw new Error('NGO_TEST_STORE=pg needs NGO_TEST_PG_URL (a PostgreSQL server for the tests)');
  const name = `t_${crypto.randomBytes(8).toString('hex')}`;
  const c = await PgConn.connect(server);
  try {
    await c.exec(`CREATE SCHEMA ${name}`);
  } finally {
    await c.close();
  }
  const u = new URL(server);
  u.searchParams.set('options', `-csearch_path=${name}`);
  return u.toString();
}

export async function ngo(args: string[], o: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture(o.tty ?? false, o.columns ?? 120);
  const stderr = new Capture(o.stderrTty ?? o.tty ?? false);
  const stdin = (
    o.stdin instanceof Readable ? o.stdin : Readable.from(o.stdin === undefined ? [] : [typeof o.stdin === 'string' ? Buffer.from(o.stdin) : o.stdin])
  ) as Readable & { isTTY?: boolean };
  stdin.isTTY = o.tty ?? false;
  const ctx: Context = {
    stdin,
    stdout,
    stderr,
    env: { ...BATCH_ENV, ...o.env },
    now: () => o.now ?? NOW,
    cwd: o.cwd ?? process.cwd(),
    osUser: () => 'tester',
    dataDir: () => o.dataDir ?? path.join(os.tmpdir(), 'ngo-test-data-dir-unused'),
    prompter: o.prompter,
  };
  const code = await run(args, ctx);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * A fresh temporary directory and an empty, initialised database in it (only `ngo init`, `ngo demo`
 * and `ngo db restore` create one). `{ create: false }`: the path only, no file.
 */
export async function tmpDb(o: { create?: boolean } = {}): Promise<{ dir: string; db: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngo-test-'));
  if (ON_PG) {
    // A schema of its own on the test server: an empty one is "no ngo database" as a missing file is.
    const db = await pgSchema();
    if (o.create !== false) await (await openPgDatabase(db, { now: () => NOW, create: true })).close();
    return { dir, db };
  }
  const db = path.join(dir, 'ngo.db');
  if (o.create !== false) (await openDatabase(db, { now: () => NOW, create: true })).close();
  return { dir, db };
}

/** A runner bound to one database file. */
export function withDb(db: string, base: RunOptions = {}) {
  return (args: string[], o: RunOptions = {}) => ngo(['--db', db, ...args], { ...base, ...o, env: { ...base.env, ...o.env } });
}

/** A runner that must succeed: for setting up a test's world, where a failure is the test's own bug. */
export function mustSucceed(run: ReturnType<typeof withDb>) {
  return async (args: string[], o: RunOptions = {}) => {
    const r = await run(args, o);
    if (r.code !== 0) throw new Error(`${args.join(' ')} → ${r.code}: ${r.stderr}`);
    return r;
  };
}

/** SHA-256 of everything in a PostgreSQL test database (every table, rows in a fixed order). */
export async function pgHash(url: string): Promise<string> {
  const c = await PgConn.connect(url);
  try {
    const h = crypto.createHash('sha256');
    for (const t of TABLES_IN_ORDER) {
      const rows = (await c.all<Record<string, unknown>>(`SELECT * FROM ${t}`)).map((r) => JSON.stringify(r)).sort();
      h.update(`${t}\n${rows.join('\n')}\n`);
    }
    return h.digest('hex');
  } finally {
    await c.close();
  }
}

/**
 * SHA-256 of the database, to prove a failure changed nothing: of the file and its WAL, or on a
 * PostgreSQL test server of every row of every table.
 */
export async function dbHash(db: string): Promise<string> {
  if (/^postgres(ql)?:/.test(db)) return pgHash(db);
  const h = crypto.createHash('sha256');
  for (const f of [db, `${db}-wal`]) {
    if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  }
  return h.digest('hex');
}

/** An answer to a search prompt that picks the `index`-th (0-based) of the choices `term` leaves. */
export interface PickAnswer {
  term: string;
  index: number;
}

/**
 * Scripted answers for prompts, in order. Each answer is matched against the prompt kind. An input
 * answer the prompt's validation refuses is handled as inquirer does: the refusal is recorded in
 * `seen` (as "refused: REASON") and the prompt takes the next answer. `lists` receives the names each
 * search prompt offered for its term.
 */
export function scriptedPrompter(answers: (string | boolean | PickAnswer)[], seen: string[] = [], lists: string[][] = []): Prompter {
  const next = (kind: string, message: string) => {
    seen.push(`${kind}: ${message}`);
    if (answers.length === 0) throw new Error(`unexpected prompt (${kind}): ${message}`);
    return answers.shift()!;
  };
  return {
    async input(o) {
      for (;;) {
        const a = next('input', o.message);
        const v = a === '' && o.default !== undefined ? o.default : String(a);
        const ok = o.validate ? await o.validate(v) : true;
        if (ok === true) return v;
        seen.push(`refused: ${ok}`);
      }
    },
    async select<T>(o: { message: string; choices: Choice<T>[] }) {
      const a = String(next('select', o.message));
      const c = o.choices.find((x) => String(x.value) === a || x.name === a);
      if (!c) throw new Error(`no choice "${a}" in ${o.choices.map((x) => x.name).join(', ')}`);
      return c.value;
    },
    async search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }) {
      const a = next('search', o.message);
      const pick = typeof a === 'object' ? a : { term: String(a), index: 0 };
      const found = o.source(pick.term);
      lists.push(found.map((c) => c.name));
      const c = found[pick.index];
      if (!c) throw new Error(`search "${pick.term}" found no choice ${pick.index}`);
      return c.value;
    },
    async confirm(o) {
      return Boolean(next('confirm', o.message));
    },
  };
}

export function parseCsv(text: string): Record<string, string>[] {
  // Minimal RFC 4180 reader for assertions on our own output.
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  const t = text.replace(/^\ufeff/, '');
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (q) {
      if (ch === '"' && t[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') q = false;
      else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

/** The rows of a query on a test database, whichever store holds it (opened read-only for a file). */
export async function query<T = Record<string, unknown>>(db: string, sql: string, ...params: unknown[]): Promise<T[]> {
  if (/^postgres(ql)?:/.test(db)) {
    const c = await PgConn.connect(db);
    try {
      return await c.all<T>(sql, ...params);
    } finally {
      await c.close();
    }
  }
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all(...params) as T[];
  } finally {
    d.close();
  }
}

/** The first column of the first row of a query on a test database. */
export async function queryValue<T = unknown>(db: string, sql: string, ...params: unknown[]): Promise<T | undefined> {
  const rows = await query<Record<string, unknown>>(db, sql, ...params);
  const first = rows[0];
  return first === undefined ? undefined : (Object.values(first)[0] as T);
}

/** A connection to a test database, whichever store holds it, for fixtures written straight into the tables. */
export async function testConn(db: string): Promise<Conn & { close(): Promise<void> }> {
  if (/^postgres(ql)?:/.test(db)) return PgConn.connect(db);
  const raw = new Database(db, { timeout: 5000 });
  raw.pragma('foreign_keys = ON');
  return Object.assign(new SqliteConn(raw), {
    close: () => {
      raw.close();
      return Promise.resolve();
    },
  });
}

/** Make `db` a copy of the ngo SQLite file `template`: the file copied, or its rows loaded into the server's schema. */
export async function cloneInto(template: string, db: string): Promise<void> {
  if (!/^postgres(ql)?:/.test(db)) {
    fs.copyFileSync(template, db);
    return;
  }
  const c = await PgConn.connect(db);
  try {
    await pgWrite(c, 1, 5000, undefined, () => loadSqliteFileIntoPg(c, template, NOW.toISOString()));
  } finally {
    await c.close();
  }
}

/**
 * SQL that undoes the migrations after schema 7 (issue 21: grant requirements and repayments,
 * grants.service_by, supervision plans), for tests that rebuild an older schema by hand before they
 * set user_version back: run it first, so the later migrations can run again.
 */
export const UNDO_AFTER_7 = `
  DROP TABLE IF EXISTS tax_letters;
  DROP TABLE IF EXISTS supervision_plan_leave; DROP TABLE IF EXISTS supervision_plans;
  DROP TABLE IF EXISTS grant_repayments; DROP TABLE IF EXISTS grant_requirements;
  ALTER TABLE grants DROP COLUMN service_by;`;
